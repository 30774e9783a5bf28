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
    """Incremental: `add` (replacing a key), `remove`, `query`. Keys are the texts' ids (path or store id)."""

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
        self._count: dict[str, int] = {}
        self._payload: dict[str, Any] = {}

    def add(self, key: str, text: str, mask: Sequence[Span] = (), payload: Any = None) -> None:
        if _SEP in key:
            raise ValueError("key must not contain \\x1f")
        self.remove(key)
        parts = windows(syllables(text, mask), self.window, self.stride)
        for n, part in enumerate(parts):
            self.lsh.insert(f"{key}{_SEP}{n}", part)
        self._count[key] = len(parts)
        self._payload[key] = payload

    def remove(self, key: str) -> bool:
        count = self._count.pop(key, None)
        if count is None:
            return False
        for n in range(count):
            self.lsh.remove(f"{key}{_SEP}{n}")
        self._payload.pop(key, None)
        return True

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

    def payload(self, key: str) -> Any:
        return self._payload.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._count

    def __len__(self) -> int:
        return len(self._count)
