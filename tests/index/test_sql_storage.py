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
from copy_samples import REVIEW_2024, UNRELATED_2025, build
from copy_samples import SYLLABLES as VOCAB
from sqlalchemy import create_engine, text

from service.index.copyindex import WINDOW_PARAMS, CopyIndex
from service.index.lsh import LshParams, MinHashLSH
from service.index.sql_storage import IndexParamsMismatch, SqlStorage
from service.index.storage import LshStorage, MemoryStorage


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


def test_texts_inserted_together_are_found_as_if_inserted_one_by_one(database_urls: list[str]) -> None:
    # A review's windows go to the storage in one call (one transaction in SQL); the index must answer
    # exactly as with one insert per window.
    rng = random.Random(5)
    docs = [_doc(rng) for _ in range(30)]
    near = " ".join(rng.choice(VOCAB) if rng.random() < 0.04 else w for w in docs[9].split())
    params = LshParams()
    one_by_one = MinHashLSH(params)
    for i, d in enumerate(docs):
        one_by_one.insert(f"doc{i}", d)
    storages = [MemoryStorage(params.num_perm, params.bands)]
    storages += [SqlStorage(url, params.num_perm, params.bands) for url in database_urls]
    for storage in storages:
        together = MinHashLSH(params, storage)
        together.insert_new([(f"doc{i}", d) for i, d in enumerate(docs)])
        assert len(together) == 30 and together.query(near) == one_by_one.query(near)
        np.testing.assert_array_equal(storage.signature("doc4"), one_by_one.storage.signature("doc4"))
        together.insert_new([])  # nothing to add is no error
        assert len(together) == 30


def _shared_storages(database_urls: list[str]) -> list[LshStorage]:
    params = WINDOW_PARAMS
    # One memory storage given to two indexes stands for a storage another writer shares.
    return [
        MemoryStorage(params.num_perm, params.bands),
        *(SqlStorage(url, params.num_perm, params.bands) for url in database_urls),
    ]


def test_a_second_copy_index_on_the_same_storage_finds_removes_and_replaces(
    database_urls: list[str],
) -> None:
    old, other = build(REVIEW_2024), build(UNRELATED_2025)
    for storage in _shared_storages(database_urls):
        first = CopyIndex(storage=storage)
        first.add("review:1", old.text, old.spans["heading"])
        first.add("review:10", other.text)
        # A new process: a fresh index over the same tables (a new SqlStorage object for SQL).
        if isinstance(storage, SqlStorage):
            url = storage.engine.url.render_as_string(hide_password=False)
            storage = SqlStorage(url, WINDOW_PARAMS.num_perm, WINDOW_PARAMS.bands)
        second = CopyIndex(storage=storage)
        assert "review:1" in second and "review:10" in second and "review:2" not in second
        assert len(second) == 2
        assert [k for k, _ in second.query(old.text, old.spans["heading"])][:1] == ["review:1"]
        # Replaced by the second index: the first one's windows are gone, whatever their number.
        second.add("review:1", other.text[: len(other.text) // 3])
        assert "review:1" not in dict(second.query(old.text, old.spans["heading"]))
        assert "review:1" in dict(first.query(other.text))
        # Removed by the first index, which never saw the replacement: nothing of it is left.
        assert first.remove("review:1") and not second.remove("review:1")
        assert "review:1" not in second and len(second) == 1
        assert storage.keys_with_prefix("review:1\x1f") == []
        assert [k for k, _ in first.query(other.text)] == ["review:10"]


def test_keys_with_prefix_is_exact(database_urls: list[str]) -> None:
    sig = np.arange(WINDOW_PARAMS.num_perm, dtype=np.uint32)
    lsh = MinHashLSH(WINDOW_PARAMS)
    keys = ["a_b\x1f0", "a_b\x1f1", "axb\x1f0", "A_B\x1f0", "a%b\x1f0", "a\\b\x1f0", "a_b\x1f"]
    for storage in _shared_storages(database_urls):
        for key in keys:
            storage.insert(key, sig, lsh.band_keys(sig))
        assert sorted(storage.keys_with_prefix("a_b\x1f")) == ["a_b\x1f", "a_b\x1f0", "a_b\x1f1"]
        assert storage.keys_with_prefix("a%b\x1f") == ["a%b\x1f0"]
        assert storage.keys_with_prefix("a\\b") == ["a\\b\x1f0"]
        assert sorted(storage.keys_with_prefix("")) == sorted(keys)
