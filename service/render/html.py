"""A standalone HTML page of a screening: the review with flagged spans highlighted, and the flag list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape

from service.render.labels import FLAG_NAMES, GRADE_NAMES, KIND_NAMES, SCORE_NAMES, SEVERITY_NAMES
from service.screening import Screening

COPY_CODES = {"copied_from_history", "copied_from_peer", "copied_from_template", "recurring_shortcoming"}


@dataclass(frozen=True)
class Segment:
    text: str
    flag_ids: tuple[int, ...]
    severity: str | None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("service.render", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows which spans (by index) cover it."""
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((start, end))
    order = sorted(cuts)
    rank = {"high": 0, "medium": 1, "low": 2}
    pieces: list[Segment] = []
    for a, b in pairwise(order):
        covering = tuple(i for i, (s, e, _) in enumerate(spans) if s <= a and b <= e)
        severity = min((spans[i][2] for i in covering), key=rank.__getitem__, default=None)
        pieces.append(Segment(text[a:b], covering, severity))
    return pieces


@dataclass(frozen=True)
class CopyPair:
    """One copied passage beside its source, for the side-by-side view."""

    flag_index: int
    code: str
    passage: str
    source: str
    source_year: int | None
    source_passage: str
    similarity: float | None


def copy_pairs(screening: Screening) -> list[CopyPair]:
    sources = {
        ref.source: ref.review
        for ref in (*screening.context.history, *screening.context.peers, *screening.context.templates)
    }
    text = screening.review.text
    pairs = []
    for i, f in enumerate(screening.flags):
        if f.code not in COPY_CODES:
            continue
        source = str(f.evidence.get("source", ""))
        source_review = sources.get(source)
        start, end = f.evidence.get("source_start"), f.evidence.get("source_end")
        if source_review is not None and isinstance(start, int) and isinstance(end, int):
            source_passage = source_review.text[start:end]
        else:
            source_passage = str(f.evidence.get("source_excerpt", ""))
        pairs.append(
            CopyPair(
                flag_index=i,
                code=f.code,
                passage=text[f.start : f.end],
                source=source,
                source_year=f.evidence.get("source_year"),
                source_passage=source_passage,
                similarity=f.evidence.get("similarity"),
            )
        )
    return pairs


def render_html(screening: Screening) -> str:
    r = screening.review
    flags = screening.flags
    spans = [(f.start, f.end, f.severity) for f in flags]
    template = _environment().get_template("screening.html")
    return template.render(
        review=r,
        screening=screening,
        segments=segments(r.text, spans),
        copy_pairs=copy_pairs(screening),
        flags=flags,
        flag_names=FLAG_NAMES,
        severity_names=SEVERITY_NAMES,
        score_names=SCORE_NAMES,
        grade_names=GRADE_NAMES,
        kind_names=KIND_NAMES,
    )
