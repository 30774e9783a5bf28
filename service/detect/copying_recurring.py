"""Shortcomings "inherited" from one year's review to the next: `recurring_shortcoming` flags.

The review's own sentences stating shortcomings (section II.1, or II without its causes, II.2) are aligned
with those of each of the author's earlier reviews; a passage close enough to one of theirs, and long enough,
is flagged, with the most similar (then the latest) earlier passage as evidence. Part of the copying
detector (`service.detect.copying`), whose rules it shares (`service.detect.copying_rules`).
"""

from __future__ import annotations

from typing import Any

from service.detect.base import Flag, Reference
from service.detect.copying_rules import (
    DETECTOR,
    EXCERPT,
    PARAMS,
    RECURRING_HINT,
    RECURRING_MIN_SIMILARITY,
    RECURRING_MIN_SYLLABLES,
    RULES,
    RULES_VERSION,
    VERSION,
    degree,
    number,
)
from service.index.align import Prepared, match_units, prepare
from service.text.document import Review, Sentence

SHORTCOMING_SECTIONS = ("II.1", "II")
CAUSE_SECTION = "II.2"


def _section_sentences(review: Review) -> list[Sentence]:
    """The review's own sentences stating shortcomings: section II.1, or II without its causes (II.2)."""
    own = [s for s in review.sentences if not s.is_heading]
    tagged = [s for s in own if s.section_id in SHORTCOMING_SECTIONS]
    if tagged:
        return tagged
    section = next((review.section(sid) for sid in SHORTCOMING_SECTIONS if review.section(sid)), None)
    if section is None:
        return []
    causes = review.section(CAUSE_SECTION)
    return [
        s
        for s in own
        if section.body_start <= s.start < section.end
        and not (causes and causes.start <= s.start < causes.end)
    ]


def _only(review: Review, sentences: list[Sentence]) -> Prepared:
    """The review prepared for alignment with everything but `sentences` masked."""
    mask: list[tuple[int, int]] = []
    pos = 0
    for s in sorted(sentences, key=lambda s: s.start):
        if s.start > pos:
            mask.append((pos, s.start))
        pos = max(pos, s.end)
    mask.append((pos, len(review.text)))
    return prepare(review.text, mask, PARAMS)


def recurring(review: Review, history: list[Reference]) -> list[Flag]:
    mine = _section_sentences(review)
    if not mine:
        return []
    prepared = _only(review, mine)
    best: dict[tuple[int, int], tuple[float, int, Any, Reference]] = {}
    for ref in history:
        theirs = _section_sentences(ref.review)
        if not theirs:
            continue
        for m in match_units(prepared, _only(ref.review, theirs), PARAMS):
            words = len(review.text[m.start : m.end].split())
            if m.similarity < RECURRING_MIN_SIMILARITY or words < RECURRING_MIN_SYLLABLES:
                continue
            key = (m.start, m.end)
            rank = (m.similarity, ref.year or 0)
            if key not in best or rank > best[key][:2]:
                best[key] = (m.similarity, ref.year or 0, m, ref)
    flags = []
    for (start, end), (sim, _, m, ref) in sorted(best.items()):
        year = f"năm {ref.year}" if ref.year else "năm trước"
        flags.append(
            Flag(
                code="recurring_shortcoming",
                severity="medium",
                start=start,
                end=end,
                message=(
                    f"Hạn chế này {degree(sim)} hạn chế đã nêu trong bản kiểm điểm {year} ({ref.named}), "
                    f'độ giống {number(sim)}: hạn chế được "kế thừa" qua các năm.'
                ),
                hint=RECURRING_HINT,
                evidence={
                    "source": ref.source,
                    "source_year": ref.year,
                    "source_start": m.source_start,
                    "source_end": m.source_end,
                    "similarity": round(sim, 2),
                    "source_role": "history",
                    "source_excerpt": ref.review.text[m.source_start : m.source_end][:EXCERPT],
                    "detector": f"{DETECTOR}/{VERSION}",
                    "rules": f"{RULES['id']}/{RULES_VERSION}",
                },
            )
        )
    return flags
