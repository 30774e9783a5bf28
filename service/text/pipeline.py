"""From raw text (or a file) to a Review: normalise, split, segment, parse the form, read the metadata."""

from __future__ import annotations

import re
from pathlib import Path

from service.text.document import Kind, Review, Sentence
from service.text.forms import parse_form
from service.text.meta import read_grade, read_points, read_year
from service.text.normalize import normalize
from service.text.readers import read_document
from service.text.segment import split_sentences, tokenize

# "review.docx@2025": a file argument may pin its year.
_YEAR_SUFFIX = re.compile(r"^(?P<path>.+)@(?P<year>\d{4})$")


def split_year_suffix(argument: str) -> tuple[str, int | None]:
    """`path@2025` → ("path", 2025); a path without the suffix → (path, None)."""
    m = _YEAR_SUFFIX.match(argument)
    if m and not Path(argument).exists():
        return m.group("path"), int(m.group("year"))
    return argument, None


def _mark_sentences(sentences: list[Sentence], review: Review, form_spans: list[tuple[int, int]]) -> None:
    """Give each sentence its section and say whether it is the form's own text (heading/instruction)."""
    marked: list[Sentence] = []
    for s in sentences:
        section = review.section_at(s.start)
        covered = sum(max(0, min(s.end, fe) - max(s.start, fs)) for fs, fe in form_spans)
        is_heading = covered >= 0.6 * max(1, s.end - s.start)
        marked.append(
            Sentence(
                start=s.start,
                end=s.end,
                text=s.text,
                section_id=section.id if section else None,
                is_heading=is_heading,
            )
        )
    review.sentences = marked


def build_review(
    raw_text: str,
    source: str = "<text>",
    *,
    year: int | None = None,
    kind: Kind | None = None,
) -> Review:
    """The one picture of a review every detector works on. `year`/`kind` given by the user win over
    what is read from the text; what cannot be read stays None ("unknown"), never guessed."""
    normalized = normalize(raw_text)
    text = normalized.text
    review = Review(text=text, source=source, original=raw_text, offset_map=normalized.offset_map)
    review.year = year if year is not None else read_year(text, Path(source).name)
    parsed = parse_form(text, year=review.year, kind=kind)
    review.form = parsed.form
    review.kind = kind or parsed.kind
    review.sections = parsed.sections
    review.form_definition = parsed.definition
    _mark_sentences(split_sentences(text), review, parsed.form_text_spans)
    review.tokens = tokenize(text)
    review.grade = read_grade(text, review.sections)
    review.points = read_points(text, review.sections)
    return review


def load_review(argument: str, *, year: int | None = None, kind: Kind | None = None) -> Review:
    """Read a file argument (with an optional `@YEAR`) into a Review; raises ReadError on bad input."""
    path, pinned = split_year_suffix(argument)
    document = read_document(path)
    return build_review(document.text, source=path, year=year if year is not None else pinned, kind=kind)
