"""The copy index persisted in a database: same answers as in memory, kept across processes.

SQLite always; PostgreSQL too when KIEMDIEM_TEST_DATABASE_URL names one (CI sets it to the machine's
server), since production runs on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from copy_samples import SYLLABLES as VOCAB
from sqlalchemy import create_engine, text

from service.index.lsh import LshParams, MinHashLSH
from service.index.sql_storage import IndexParamsMismatch, SqlStorage
from service.index.storage import LshStorage


def _doc(rng: random.Random, n: int = 250) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def _urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'index.sqlite3'}"]
    pg = os.environ.get("KIEMDIEM_TEST_DATABASE_URL")
    if pg:
        urls.append(pg)
    return urls


@pytest.fixture
def database_urls(tmp_path: Path) -> Iterator[list[str]]:
    urls = _urls(tmp_path)
    schemas = []
    for url in urls:
        if url.startswith("postgresql"):
            # A fresh schema per test so runs never see each other's rows; dropped afterwards.
            schema = f"t_{uuid.uuid4().hex[:12]}"
            with create_engine(url).begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            schemas.append((url, schema))
            urls[urls.index(url)] = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    yield urls
    for url, schema in schemas:
        with create_engine(url).begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def test_sql_index_answers_like_the_memory_index_and_survives_reopening(database_urls: list[str]) -> None:
    rng = random.Random(3)
    docs = [_doc(rng) for _ in range(60)]
    near = " ".join(rng.choice(VOCAB) if rng.random() < 0.04 else w for w in docs[17].split())
    params = LshParams()
    memory = MinHashLSH(params)
    for i, d in enumerate(docs):
        memory.insert(f"doc{i}", d)
    for url in database_urls:
        stored = MinHashLSH(params, SqlStorage(url, params.num_perm, params.bands))
        assert isinstance(stored.storage, LshStorage)
        for i, d in enumerate(docs):
            stored.insert(f"doc{i}", d)
        assert stored.query(near) == memory.query(near) and stored.query(near)[0] == "doc17"
        # A new process opens the same database: the index is there, and grows incrementally.
        reopened = MinHashLSH(params, SqlStorage(url, params.num_perm, params.bands))
        assert len(reopened) == 60 and "doc17" in reopened
        assert reopened.query(near)[0] == "doc17"
        np.testing.assert_array_equal(reopened.storage.signature("doc5"), memory.storage.signature("doc5"))
        reopened.insert("doc17", _doc(random.Random(11)))  # replaced: the old text is gone
        assert "doc17" not in reopened.query(near)
        assert reopened.remove("doc3") and not reopened.remove("doc3") and len(reopened) == 59


def test_an_index_is_never_opened_with_other_parameters(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'index.sqlite3'}"
    SqlStorage(url, 128, 42)
    with pytest.raises(IndexParamsMismatch):
        SqlStorage(url, 128, 32)
