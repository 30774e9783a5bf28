"""How common a sentence's wording is: distinct authors per syllable 4-gram (after Lang & Stice-Lawrence).

A sentence whose 4-grams are used by many different authors — in the store, in the unit's reviews of the
year, in the circulating templates — is boilerplate even when no lexicon rule names it. Digits are masked,
so "năm 2024" and "năm 2025" are the same 4-gram. The index is updated incrementally as reviews arrive.

The background model says which 4-grams are ordinary in public pages about "kiểm điểm" (guides, sample
reviews, legal Q&A). It is learned from ../shared/corpus/background/ by `build_background` and saved as a
small artifact of hashed 4-grams (no text of the pages is kept); without the artifact it is simply absent.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import xxhash

from service.detect.lexicon import syllables
from service.paths import MODELS_DIR, SHARED_CORPUS_DIR

N = 4
BACKGROUND_PATH = MODELS_DIR / "boilerplate-background.npz"
BACKGROUND_SOURCE = SHARED_CORPUS_DIR / "background" / "kiem-diem-pages.jsonl.gz"
# Authors sets are capped: beyond this many the exact number does not change any decision.
_MAX_AUTHORS = 64


def gram_hashes(text: str, n: int = N) -> list[int]:
    """64-bit hashes of the syllable n-grams of `text`, digits masked, in order (duplicates kept)."""
    words = ["0" if w.isdigit() else w for w in syllables(text).words]
    if len(words) < n:
        return [xxhash.xxh64_intdigest(" ".join(words).encode("utf-8"))] if words else []
    return [
        xxhash.xxh64_intdigest(" ".join(words[i : i + n]).encode("utf-8")) for i in range(len(words) - n + 1)
    ]


class CommonnessIndex:
    """Distinct authors per 4-gram, overall and per (unit, year). Add reviews as they arrive."""

    def __init__(self, k: int = 3, n: int = N) -> None:
        self.k = k  # a 4-gram is common when at least k distinct authors use it
        self.n = n
        self._overall: dict[int, set[str]] = defaultdict(set)
        self._by_unit_year: dict[tuple[str | None, int | None], dict[int, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self.documents = 0

    def add(self, author_id: str, text: str, unit: str | None = None, year: int | None = None) -> None:
        grams = set(gram_hashes(text, self.n))
        bucket = self._by_unit_year[(unit, year)] if unit is not None or year is not None else None
        for g in grams:
            authors = self._overall[g]
            if len(authors) < _MAX_AUTHORS:
                authors.add(author_id)
            if bucket is not None:
                local = bucket[g]
                if len(local) < _MAX_AUTHORS:
                    local.add(author_id)
        self.documents += 1

    def authors(self, gram: int, unit: str | None = None, year: int | None = None) -> int:
        table = self._table(unit, year)
        return len(table.get(gram, ())) if table is not None else 0

    def _table(self, unit: str | None, year: int | None) -> dict[int, set[str]] | None:
        if unit is None and year is None:
            return self._overall
        return self._by_unit_year.get((unit, year))

    def commonness(
        self,
        sentence_text: str,
        unit: str | None = None,
        year: int | None = None,
        *,
        exclude_author: str | None = None,
    ) -> float:
        """Share of the sentence's 4-grams used by ≥ k distinct authors (in the unit-year when given).

        `exclude_author` leaves the sentence's own author out of the count, so a review is not common
        merely because it was added to the index itself.
        """
        grams = set(gram_hashes(sentence_text, self.n))
        table = self._table(unit, year)
        if not grams or table is None:
            return 0.0
        common = 0
        for g in grams:
            authors = table.get(g, ())
            count = len(authors) - (1 if exclude_author is not None and exclude_author in authors else 0)
            common += count >= self.k
        return common / len(grams)


@dataclass(frozen=True)
class BackgroundModel:
    """Document frequency of hashed 4-grams in the background pages."""

    hashes: np.ndarray  # sorted uint64
    df: np.ndarray  # uint16, aligned with hashes
    pages: int
    min_df: int
    source_sha256: str

    def document_frequency(self, grams: Iterable[int]) -> np.ndarray:
        q = np.fromiter(grams, dtype=np.uint64)
        if not len(q) or not len(self.hashes):
            return np.zeros(len(q), dtype=np.uint16)
        pos = np.searchsorted(self.hashes, q)
        pos = np.minimum(pos, len(self.hashes) - 1)
        hit = self.hashes[pos] == q
        return np.where(hit, self.df[pos], 0)

    def share(self, sentence_text: str, min_df: int | None = None) -> float:
        """Share of the sentence's 4-grams found in at least `min_df` background pages."""
        grams = sorted(set(gram_hashes(sentence_text)))
        if not grams:
            return 0.0
        df = self.document_frequency(grams)
        return float(np.mean(df >= (min_df or self.min_df)))

    def save(self, path: Path = BACKGROUND_PATH) -> None:
        meta = {"n": N, "pages": self.pages, "min_df": self.min_df, "source_sha256": self.source_sha256}
        with path.open("wb") as f:
            np.savez_compressed(f, hashes=self.hashes, df=self.df, meta=np.array(json.dumps(meta)))


def build_background(source: Path = BACKGROUND_SOURCE, min_df: int = 2) -> BackgroundModel:
    """Count in how many distinct pages each 4-gram occurs; keep those in at least `min_df` pages."""
    raw = source.read_bytes()
    counts: dict[int, int] = defaultdict(int)
    seen_pages: set[str] = set()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if digest in seen_pages:  # the crawl holds the same page under several ids
            continue
        seen_pages.add(digest)
        for g in set(gram_hashes(text)):
            counts[g] += 1
    kept = sorted((g, c) for g, c in counts.items() if c >= min_df)
    hashes = np.array([g for g, _ in kept], dtype=np.uint64)
    df = np.array([min(c, 65535) for _, c in kept], dtype=np.uint16)
    return BackgroundModel(hashes, df, len(seen_pages), min_df, hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=2)
def load_background(path: Path = BACKGROUND_PATH) -> BackgroundModel | None:
    """The saved background model, or None when the artifact is absent (it is optional)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        return BackgroundModel(
            data["hashes"], data["df"], int(meta["pages"]), int(meta["min_df"]), meta["source_sha256"]
        )
