"""MinHash LSH: the copy index's candidate retrieval.

Documents are shingled (service.index.shingles), signed (service.index.minhash) and cut into `bands` bands
of `rows` values; two documents become candidates when any band matches exactly. A pair with Jaccard J is
found with probability 1 - (1 - J^rows)^bands. The defaults (42 bands x 3 rows of 128 permutations) find
a pair at J = 0.5 with probability 0.996 and at J = 0.3 with 0.68, while a pair at J = 0.05 collides
with probability 0.005: the index favours recall, and callers rank or filter candidates by the Jaccard
estimated from the stored signatures (`min_jaccard`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from service.index.minhash import MinHasher, estimate_jaccard
from service.index.shingles import Shingler, Span, Syllables
from service.index.storage import LshStorage, MemoryStorage

INDEX_VERSION = 1
_U64 = np.uint64
_KEY_MASK = _U64(0x7FFF_FFFF_FFFF_FFFF)


@dataclass(frozen=True)
class LshParams:
    num_perm: int = 128
    bands: int = 42
    rows: int = 3
    shingle_k: int = 4
    seed: int = 1
    version: int = INDEX_VERSION

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands*rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")

    def probability(self, jaccard: float) -> float:
        """Probability that a pair with this Jaccard similarity becomes a candidate."""
        return 1.0 - (1.0 - jaccard**self.rows) ** self.bands


class MinHashLSH:
    """Incremental MinHash LSH over texts. `insert` replaces an existing key; `remove` forgets one."""

    def __init__(self, params: LshParams | None = None, storage: LshStorage | None = None) -> None:
        self.params = params or LshParams()
        p = self.params
        self.shingler = Shingler(p.shingle_k)
        self.hasher = MinHasher(p.num_perm, p.seed)
        self.storage: LshStorage = storage if storage is not None else MemoryStorage(p.num_perm, p.bands)
        rng = np.random.default_rng(p.seed + 7919)
        self._band_mult = rng.integers(0, 2**63, size=p.rows, dtype=np.uint64) * _U64(2) + _U64(1)

    # -- signatures -------------------------------------------------------------------------------
    def signature(self, text: str | Syllables, mask: Sequence[Span] = ()) -> np.ndarray:
        return self.hasher.signature(self.shingler.all_hashes(text, mask))

    def band_keys(self, signature: np.ndarray) -> np.ndarray:
        """One 63-bit bucket key per band (a mixed hash of the band's `rows` values)."""
        p = self.params
        rows = signature[: p.bands * p.rows].astype(np.uint64).reshape(p.bands, p.rows)
        acc = (rows * self._band_mult[None, :]).sum(axis=1, dtype=np.uint64)
        acc ^= acc >> _U64(31)
        acc *= _U64(0x94D049BB133111EB)
        acc ^= acc >> _U64(29)
        return acc & _KEY_MASK

    # -- updates ----------------------------------------------------------------------------------
    def insert(self, key: str, text: str | Syllables, mask: Sequence[Span] = ()) -> np.ndarray:
        """Index `text` under `key` (replacing what was there); returns its signature."""
        sig = self.signature(text, mask)
        self.insert_signature(key, sig)
        return sig

    def insert_signature(self, key: str, signature: np.ndarray) -> None:
        self._check(signature)
        if key in self.storage:
            self.remove(key)
        self.storage.insert(key, np.asarray(signature, dtype=np.uint32), self.band_keys(signature))

    def insert_new(self, items: Sequence[tuple[str, str | Syllables]]) -> None:
        """Index several texts under keys not stored yet (the caller removed them), in one storage call."""
        entries = []
        for key, text in items:
            sig = self.signature(text)
            self._check(sig)
            entries.append((key, np.asarray(sig, dtype=np.uint32), self.band_keys(sig)))
        self.storage.insert_many(entries)

    def _check(self, signature: np.ndarray) -> None:
        if len(signature) != self.params.num_perm:
            raise ValueError(f"signature has {len(signature)} values, index expects {self.params.num_perm}")

    def remove(self, key: str) -> bool:
        sig = self.storage.signature(key)
        if sig is None:
            return False
        return self.storage.remove(key, self.band_keys(sig))

    # -- queries ----------------------------------------------------------------------------------
    def query(
        self, text: str | Syllables, mask: Sequence[Span] = (), *, min_jaccard: float | None = None
    ) -> list[str]:
        """Keys of candidate near-duplicates of `text`, most similar first."""
        return [k for k, _ in self.query_signature(self.signature(text, mask), min_jaccard=min_jaccard)]

    def query_signature(
        self, signature: np.ndarray, *, min_jaccard: float | None = None
    ) -> list[tuple[str, float]]:
        """(key, estimated Jaccard) of the candidates, most similar first; ties by key."""
        if (signature == np.uint32(0xFFFFFFFF)).all():
            return []  # an empty text matches nothing
        keys = self.storage.candidates(self.band_keys(signature))
        if not keys:
            return []
        est = estimate_jaccard(signature, self.storage.signatures(keys))
        scored = [(k, float(j)) for k, j in zip(keys, est.tolist(), strict=True)]
        if min_jaccard is not None:
            scored = [(k, j) for k, j in scored if j >= min_jaccard]
        scored.sort(key=lambda kj: (-kj[1], kj[0]))
        return scored

    def __contains__(self, key: object) -> bool:
        return key in self.storage

    def __len__(self) -> int:
        return len(self.storage)
