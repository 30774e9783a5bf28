"""MinHash LSH: near-duplicates are retrieved, unrelated texts are not, updates are incremental."""

from __future__ import annotations

import random

import numpy as np
import pytest
from copy_samples import SYLLABLES as VOCAB

from service.index.lsh import LshParams, MinHashLSH
from service.index.minhash import MinHasher
from service.index.shingles import Shingler, jaccard
from service.index.storage import LshStorage, MemoryStorage


def text(rng: random.Random, n: int = 300) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def edit(rng: random.Random, t: str, rate: float) -> str:
    return " ".join(rng.choice(VOCAB) if rng.random() < rate else w for w in t.split())


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    rng = random.Random(7)
    return [text(rng) for _ in range(300)]


def test_near_duplicate_found_unrelated_not(corpus: list[str]) -> None:
    index = MinHashLSH()
    for i, t in enumerate(corpus):
        index.insert(f"doc{i}", t)
    rng = random.Random(1)
    near = edit(rng, corpus[42], 0.05)  # Jaccard of 4-shingles ≈ 0.6
    sh = Shingler(4)
    assert jaccard(sh.hashes(near), sh.hashes(corpus[42])) > 0.5
    found = index.query(near)
    assert found[0] == "doc42"
    assert index.query(text(random.Random(99))) == []


def test_estimated_jaccard_tracks_the_exact_value(corpus: list[str]) -> None:
    index = MinHashLSH()
    sh = Shingler(4)
    rng = random.Random(3)
    for rate in (0.02, 0.05, 0.1):
        other = edit(rng, corpus[0], rate)
        exact = jaccard(sh.hashes(corpus[0]), sh.hashes(other))
        est = float((index.signature(corpus[0]) == index.signature(other)).mean())
        assert abs(est - exact) < 0.12  # 128 permutations: standard error ≈ 0.044


def test_min_jaccard_ranks_and_filters(corpus: list[str]) -> None:
    index = MinHashLSH()
    rng = random.Random(5)
    index.insert("close", edit(rng, corpus[1], 0.02))
    index.insert("farther", edit(rng, corpus[1], 0.08))
    scored = index.query_signature(index.signature(corpus[1]))
    assert [k for k, _ in scored] == ["close", "farther"]
    assert index.query(corpus[1], min_jaccard=scored[0][1]) == ["close"]


def test_remove_and_replace_are_incremental(corpus: list[str]) -> None:
    index = MinHashLSH()
    index.insert("a", corpus[0])
    index.insert("b", corpus[1])
    assert index.remove("a") is True
    assert index.remove("a") is False
    assert "a" not in index and len(index) == 1
    assert index.query(corpus[0]) == []
    index.insert("b", corpus[2])  # replaces: the old text is gone from the buckets
    assert index.query(corpus[1]) == []
    assert index.query(corpus[2]) == ["b"]
    index.insert("c", corpus[3])  # reuses the freed slot
    assert index.query(corpus[3]) == ["c"] and len(index) == 2


def test_signatures_are_stable_across_instances_for_persistence(corpus: list[str]) -> None:
    # A persisted index is queried by another process: signatures must not depend on the process.
    a = MinHashLSH().signature(corpus[0])
    b = MinHashLSH().signature(corpus[0])
    assert np.array_equal(a, b)
    assert not np.array_equal(a, MinHashLSH(LshParams(seed=2)).signature(corpus[0]))
    assert MinHasher(16).signature(np.array([], dtype=np.uint64)).tolist() == [0xFFFFFFFF] * 16


def test_empty_text_matches_nothing(corpus: list[str]) -> None:
    index = MinHashLSH()
    index.insert("x", corpus[0])
    index.insert("empty", "... ; !")
    assert index.query("") == []


def test_bands_favour_recall_at_half_jaccard() -> None:
    p = LshParams()
    assert p.probability(0.5) > 0.99
    assert p.probability(0.05) < 0.01
    with pytest.raises(ValueError):
        LshParams(num_perm=64, bands=42, rows=3)


def test_memory_storage_implements_the_storage_interface(corpus: list[str]) -> None:
    storage = MemoryStorage(num_perm=128, num_bands=42)
    assert isinstance(storage, LshStorage)
    index = MinHashLSH(storage=storage)
    index.insert("k", corpus[0])
    sig = storage.signature("k")
    assert sig is not None and sig.dtype == np.uint32
    keys = index.band_keys(sig)
    assert keys.dtype == np.uint64 and int(keys.max()) < 2**63  # fits a signed BIGINT column
    assert storage.candidates(keys) == ["k"]
    with pytest.raises(ValueError):
        index.insert_signature("bad", sig[:10])


def test_signature_is_the_minimum_of_the_permutations() -> None:
    # Checked against plain Python integers: h_i(x) = (a_i * x + b_i) mod 2^32 over x = hash >> 32.
    hasher = MinHasher(num_perm=8, seed=3)
    hashes = np.array([0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x00000001FFFFFFFF], dtype=np.uint64)
    a, b = hasher._a.tolist(), hasher._b.tolist()
    expected = [min((ai * (int(h) >> 32) + bi) % 2**32 for h in hashes) for ai, bi in zip(a, b, strict=True)]
    assert hasher.signature(hashes).tolist() == expected
    assert all(ai % 2 == 1 for ai in a)  # odd multipliers: each permutation is a bijection
