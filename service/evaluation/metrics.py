"""Metrics of the evaluation: precision/recall/F1, PAN character-level plagdet, ROC AUC.

PAN measures follow Potthast et al. (2010), "An Evaluation Framework for Plagiarism Detection", on the
submission's side: a case is a labelled copied span (with its source), a detection a copy flag; a
detection detects a case when their spans overlap and they name the same source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]], min_overlap: float = 0.5
) -> Counts:
    """Span-level counts: a gold span is found when some prediction covers ≥ min_overlap of the shorter."""

    def hit(p: tuple[int, int], g: tuple[int, int]) -> bool:
        shorter = max(1, min(p[1] - p[0], g[1] - g[0]))
        return overlap(p, g) >= min_overlap * shorter

    found = sum(1 for g in gold if any(hit(p, g) for p in predicted))
    correct = sum(1 for p in predicted if any(hit(p, g) for g in gold))
    return Counts(tp=found, fp=len(predicted) - correct, fn=len(gold) - found)


@dataclass(frozen=True)
class Case:
    start: int
    end: int
    source: str
    # Other sources that hold the same passage: attributing the copy to any of them is right.
    also: frozenset[str] = frozenset()


@dataclass
class PlagdetAccumulator:
    """Macro-averaged PAN measures accumulated over documents."""

    precision_sum: float = 0.0
    detections: int = 0
    recall_sum: float = 0.0
    cases: int = 0
    granularity_sum: int = 0
    detected_cases: int = 0

    def add(self, cases: Sequence[Case], detections: Sequence[Case]) -> None:
        def detects(r: Case, s: Case) -> bool:
            same_source = r.source == s.source or r.source in s.also
            return same_source and overlap((r.start, r.end), (s.start, s.end)) > 0

        for r in detections:
            covered = _union_length(
                [(max(r.start, s.start), min(r.end, s.end)) for s in cases if detects(r, s)]
            )
            self.precision_sum += covered / max(1, r.end - r.start)
            self.detections += 1
        for s in cases:
            hits = [r for r in detections if detects(r, s)]
            covered = _union_length([(max(r.start, s.start), min(r.end, s.end)) for r in hits])
            self.recall_sum += covered / max(1, s.end - s.start)
            self.cases += 1
            if hits:
                self.detected_cases += 1
                self.granularity_sum += len(hits)

    def result(self) -> dict[str, float | None]:
        precision = self.precision_sum / self.detections if self.detections else None
        recall = self.recall_sum / self.cases if self.cases else None
        granularity = self.granularity_sum / self.detected_cases if self.detected_cases else None
        plagdet = None
        if precision is not None and recall is not None and granularity is not None:
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            plagdet = f1 / math.log2(1 + granularity)
        return {"precision": precision, "recall": recall, "granularity": granularity, "plagdet": plagdet}


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, last_end = 0, -1
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if end <= last_end:
            continue
        total += end - max(start, last_end)
        last_end = end
    return total


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y]
    negatives = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not positives or not negatives:
        return None
    ranked = sorted((s, i) for i, s in enumerate(scores))
    # Average ranks with ties (Mann–Whitney U).
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
