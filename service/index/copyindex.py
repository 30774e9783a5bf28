"""The copy index: many stored texts, and which of them a new text may have copied from.

A copied section is a small part of a review, so whole-document similarity misses it. The index keeps
overlapping windows of each text (`window` syllables every `stride`) as separate LSH entries over syllable
3-shingles; a query cuts the new text the same way and returns the stored texts whose windows collide,
ranked by how many windows did. The caller then aligns only those (service.index.align).

Each entry may carry a payload (the detector stores its `Reference`), so one index serves the CLI (built
in memory from the files given) and the service (a persisted storage backend; see storage.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from service.index.lsh import LshParams, MinHashLSH
from service.index.shingles import Span, Syllables, syllables
from service.index.storage import LshStorage

WINDOW_PARAMS = LshParams(num_perm=128, bands=42, rows=3, shingle_k=3)
_SEP = "\x1f"  # between a text's key and its window number; never in a file path or store id


def windows(syl: Syllables, window: int, stride: int) -> list[Syllables]:
    """Overlapping slices of `syl`; the last one reaches the end."""
    n = len(syl)
    if n == 0:
        return []
    starts = list(range(0, max(1, n - window + stride), stride))
    return [
        Syllables(
            syl.tokens[s : s + window],
            syl.starts[s : s + window],
            syl.ends[s : s + window],
            syl.segment[s : s + window],
        )
        for s in starts
    ]


class CopyIndex:
    """Incremental: `add` (replacing a key), `remove`, `query`. Keys are the texts' ids (path or store id).

    With no `storage`, the index owns an in-memory one and counts each text's windows itself. With a
    storage given (persisted, or shared by several indexes), the storage is the truth: another process
    may have added, replaced or removed a text since, so `remove`, `in` and `len` ask it which windows a
    key has (`keys_with_prefix`) instead of trusting a count kept here. Payloads stay in memory: they are
    whatever this caller attached (the CLI's References), and a service names texts by key instead.
    An empty text has no window, so a shared storage does not hold it.
    """

    def __init__(
        self,
        params: LshParams = WINDOW_PARAMS,
        *,
        window: int = 60,
        stride: int = 30,
        min_jaccard: float = 0.15,
        storage: LshStorage | None = None,
    ) -> None:
        self.lsh = MinHashLSH(params, storage)
        self.window = window
        self.stride = stride
        # Windows whose estimated Jaccard with a query window is below this are chance collisions.
        self.min_jaccard = min_jaccard
        self._owned = storage is None
        self._count: dict[str, int] = {}  # windows per key; kept only when the storage is ours alone
        self._payload: dict[str, Any] = {}

    def add(self, key: str, text: str, mask: Sequence[Span] = (), payload: Any = None) -> None:
        if _SEP in key:
            raise ValueError("key must not contain \\x1f")
        self.remove(key)
        parts = windows(syllables(text, mask), self.window, self.stride)
        # The key's windows were removed just above: all of them go in with one storage call.
        self.lsh.insert_new([(f"{key}{_SEP}{n}", part) for n, part in enumerate(parts)])
        if self._owned:
            self._count[key] = len(parts)
        self._payload[key] = payload

    def _window_keys(self, key: str) -> list[str]:
        if self._owned:
            return [f"{key}{_SEP}{n}" for n in range(self._count.get(key, 0))]
        return self.lsh.storage.keys_with_prefix(f"{key}{_SEP}")

    def remove(self, key: str) -> bool:
        """Forget `key`; False when it was not indexed."""
        stored = self._window_keys(key)
        for window_key in stored:
            self.lsh.remove(window_key)
        known = self._count.pop(key, None) is not None
        self._payload.pop(key, None)
        return known or bool(stored)

    def query(
        self, text: str, mask: Sequence[Span] = (), *, exclude: str | None = None
    ) -> list[tuple[str, int]]:
        """(key, number of the query's windows that found it), most hits first; `exclude` skips a key
        (the text itself, when it is stored)."""
        hits: Counter[str] = Counter()
        for part in windows(syllables(text, mask), self.window, self.stride):
            found = {
                k.rsplit(_SEP, 1)[0]
                for k, _ in self.lsh.query_signature(self.lsh.signature(part), min_jaccard=self.min_jaccard)
            }
            hits.update(found)
        hits.pop(exclude or "", None)
        return sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))

    def keys(self, prefix: str = "") -> set[str]:
        """The indexed texts' keys that start with `prefix`."""
        if self._owned:
            return {k for k in self._count if k.startswith(prefix)}
        return {k.rsplit(_SEP, 1)[0] for k in self.lsh.storage.keys_with_prefix(prefix)}

    def payload(self, key: str) -> Any:
        return self._payload.get(key)

    def __contains__(self, key: object) -> bool:
        if self._owned:
            return key in self._count
        # Every non-empty text has a window 0: one primary-key lookup.
        return isinstance(key, str) and f"{key}{_SEP}0" in self.lsh.storage

    def __len__(self) -> int:
        if self._owned:
            return len(self._count)
        stored = self.lsh.storage.keys()  # an iterator of window keys (the storage is no dict)
        return sum(1 for k in stored if k.endswith(f"{_SEP}0"))
