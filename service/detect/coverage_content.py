"""What the coverage checks read from a review's text: its content sentences, and spans to flag.

A sentence's content is its text without bullet, emphasis or enumerator; a content sentence is substantive
when it gives a checkable instance (`is_substantive`). Spans are trimmed of surrounding space: a section's
written heading (`heading_span`) and the document's first line (`title_span`). Also the form definition a
review was parsed with, and the shortcomings listed in a review's section II: those of the author's latest
earlier review and of the unit's collective review decide how sections III and V are checked.

Used by `service.detect.coverage` and by the grade check (`service.detect.grade`); `short_title` also by
the fix list (`service.fixlist`).
"""

from __future__ import annotations

import re
from typing import Any

from service.detect.base import Context, Reference
from service.detect.lexicon import syllables
from service.text.document import Review, Section
from service.text.forms import FormDefinition, load_definitions
from service.text.segment import ENUMERATOR
from service.text.specificity import specificity

_LEAD = re.compile(r"^[\s*_#>•·\-–+]+")


def content_text(sentence_text: str) -> str:
    """A sentence without its bullet, markdown emphasis or enumerator ("1.", "a)"), which are not content."""
    text = _LEAD.sub("", sentence_text.replace("**", "").replace("__", ""))
    m = ENUMERATOR.match(text)
    return text[m.end() :] if m else text


def is_substantive(sentence_text: str, min_syllables: int = 4) -> bool:
    """True when the sentence gives a checkable instance (count, date, local document, name…)."""
    text = content_text(sentence_text).strip()
    if len(syllables(text).words) < min_syllables:
        return False
    return specificity(text).strong


def body_sentences(review: Review, start: int, end: int) -> list[str]:
    """The author's own sentences in [start, end): headings and the form's printed instructions excluded."""
    return [
        s.text
        for s in review.sentences
        if start <= s.start < end and not s.is_heading and content_text(s.text).strip(" .…:;")
    ]


def heading_span(review: Review, section: Section) -> tuple[int, int] | None:
    """The span of a section's written heading, trimmed; None when the heading was dropped."""
    if not section.heading.strip():
        return None
    return trim(review.text, section.start, max(section.body_start, section.start + len(section.heading)))


def title_span(text: str) -> tuple[int, int]:
    """The document's first non-empty line (where document-wide flags sit)."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            return trim(text, pos, pos + len(line))
        pos += len(line) + 1
    return 0, 0


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def short_title(title: str, limit: int = 60) -> str:
    """A long form title cut at its first clause or word boundary, for messages."""
    title = " ".join(title.split()).rstrip(".")
    if len(title) <= limit:
        return title
    head = title.split(";", 1)[0]
    if len(head) <= limit:
        return head + "…"
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def definition_of(review: Review) -> FormDefinition | None:
    """The form definition the review was parsed with (None for the generic fallback)."""
    if not review.form_definition:
        return None
    definition_id = review.form_definition.split("@", 1)[0]
    return load_definitions().get(definition_id)


def listed_shortcomings(review: Review, cfg: dict[str, Any]) -> int:
    """How many shortcoming sentences a review's section II (or II.1) lists ("Không có." is none)."""
    section = review.section("II.1") or review.section("II")
    if section is None:
        return 0
    causes = review.section("II.2")
    end = causes.start if causes and section.id == "II" else section.end
    empty = re.compile(cfg["no_shortcoming_pattern"], re.IGNORECASE)
    texts = [content_text(t).strip() for t in body_sentences(review, section.body_start, end)]
    return sum(len(syllables(t).words) >= cfg["history_min_syllables"] and not empty.match(t) for t in texts)


def history_shortcomings(review: Review, context: Context, cfg: dict[str, Any]) -> tuple[int, int | None]:
    """How many shortcomings the latest earlier review (context.history) lists, and its year."""

    def year(r: Reference) -> int:
        return r.year or r.review.year or 0

    earlier = [r for r in context.history if review.year is None or year(r) < review.year]
    if not earlier:
        return 0, None
    ref = max(earlier, key=year)
    return listed_shortcomings(ref.review, cfg), year(ref) or None


def collective_shortcomings(review: Review, context: Context, cfg: dict[str, Any]) -> bool:
    """A collective review of the same year (given as a peer) that lists shortcomings."""
    return any(
        ref.review.kind == "collective"
        and not (review.year and (ref.year or ref.review.year) not in (None, review.year))
        and listed_shortcomings(ref.review, cfg) > 0
        for ref in context.peers
    )
