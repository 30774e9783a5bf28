"""Where an LSH index keeps its buckets and signatures: one small interface, backends behind it.

The index hands a backend, per document key, its signature and its band keys; the backend answers which
documents share a (band, bucket key) with a query. That is all a persisted backend has to store:

    lsh_bucket(band SMALLINT, bucket BIGINT, doc_key TEXT)   -- index on (band, bucket)
    lsh_signature(doc_key TEXT PRIMARY KEY, signature BYTEA) -- uint32 little-endian, num_perm values
    lsh_params(name TEXT PRIMARY KEY, value TEXT)            -- num_perm, bands, rows, k, seed, version

Bucket keys are below 2^63 so they fit a signed BIGINT.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class LshStorage(Protocol):
    def insert(self, key: str, signature: np.ndarray, band_keys: np.ndarray) -> None:
        """Store `key`; the caller has removed any earlier entry under the same key."""

    def insert_many(self, entries: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """`insert` each (key, signature, band keys) — in one transaction where the backend has them."""

    def remove(self, key: str, band_keys: np.ndarray) -> bool:
        """Forget `key`; False when it was not stored."""

    def candidates(self, band_keys: np.ndarray) -> list[str]:
        """Keys that share at least one (band, bucket key) with `band_keys` (band i at position i)."""

    def signatures(self, keys: Sequence[str]) -> np.ndarray:
        """Stored signatures of `keys`, one row each, in order."""

    def signature(self, key: str) -> np.ndarray | None: ...

    def keys(self) -> Iterator[str]: ...

    def keys_with_prefix(self, prefix: str) -> list[str]:
        """The stored keys that start with `prefix` (exactly, case-sensitive), in no particular order."""
        ...

    def __contains__(self, key: object) -> bool: ...

    def __len__(self) -> int: ...


class MemoryStorage:
    """Buckets in one dict per band; signatures in one growing uint32 matrix.

    A bucket holds a bare slot number until a second document arrives, then a list: most buckets of a
    near-duplicate index hold one document, and a bare int costs a fraction of a list.
    """

    def __init__(self, num_perm: int, num_bands: int) -> None:
        self.num_perm = num_perm
        self.num_bands = num_bands
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(num_bands)]
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._slot: dict[str, int] = {}
        self._key: list[str | None] = []
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, key: object) -> bool:
        return key in self._slot

    def keys(self) -> Iterator[str]:
        return iter(self._slot)

    def keys_with_prefix(self, prefix: str) -> list[str]:
        # A scan: an index that owns its memory storage knows its own keys (CopyIndex counts them), so
        # this only serves a storage shared by several indexes, which is small in memory.
        return [k for k in self._slot if k.startswith(prefix)]

    def _new_slot(self, key: str) -> int:
        if self._free:
            slot = self._free.pop()
            self._key[slot] = key
        else:
            slot = len(self._key)
            self._key.append(key)
            if slot >= len(self._sigs):
                grown = np.zeros((len(self._sigs) * 2, self.num_perm), dtype=np.uint32)
                grown[: len(self._sigs)] = self._sigs
                self._sigs = grown
        return slot

    def insert(self, key: str, signature: np.ndarray, band_keys: np.ndarray) -> None:
        slot = self._new_slot(key)
        self._slot[key] = slot
        self._sigs[slot] = signature
        for band, bucket_key in zip(self._buckets, band_keys.tolist(), strict=True):
            held = band.get(bucket_key)
            if held is None:
                band[bucket_key] = slot
            elif isinstance(held, int):
                band[bucket_key] = [held, slot]
            else:
                held.append(slot)

    def insert_many(self, entries: Sequence[tuple[str, np.ndarray, np.ndarray]]) -> None:
        for key, signature, band_keys in entries:
            self.insert(key, signature, band_keys)

    def remove(self, key: str, band_keys: np.ndarray) -> bool:
        slot = self._slot.pop(key, None)
        if slot is None:
            return False
        for band, bucket_key in zip(self._buckets, band_keys.tolist(), strict=True):
            held = band.get(bucket_key)
            if held == slot:
                del band[bucket_key]
            elif isinstance(held, list):
                held.remove(slot)
                if len(held) == 1:
                    band[bucket_key] = held[0]
        self._key[slot] = None
        self._free.append(slot)
        return True

    def candidate_slots(self, band_keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        for band, bucket_key in zip(self._buckets, band_keys.tolist(), strict=True):
            held = band.get(bucket_key)
            if held is None:
                continue
            if isinstance(held, int):
                found.add(held)
            else:
                found.update(held)
        return found

    def candidates(self, band_keys: np.ndarray) -> list[str]:
        return [self._key[s] for s in self.candidate_slots(band_keys)]  # type: ignore[misc]

    def signatures(self, keys: Sequence[str]) -> np.ndarray:
        slots = [self._slot[k] for k in keys]
        return self._sigs[slots]

    def signature(self, key: str) -> np.ndarray | None:
        slot = self._slot.get(key)
        return None if slot is None else self._sigs[slot].copy()
