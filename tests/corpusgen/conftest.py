"""Small generated provinces shared by the generator tests (one generation per split per session)."""

from __future__ import annotations

import pytest

from service.corpusgen import GeneratedCorpus, generate

SMALL = {"n_units": 3, "members_per_unit": 5, "docx_share": 0.3}


@pytest.fixture(scope="session")
def small_params() -> dict[str, float]:
    return dict(SMALL)


@pytest.fixture(scope="session")
def train_corpus(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCorpus:
    return generate(11, tmp_path_factory.mktemp("train"), **SMALL)


@pytest.fixture(scope="session")
def heldout_corpus(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCorpus:
    return generate(11, tmp_path_factory.mktemp("heldout"), split="heldout", **SMALL)
