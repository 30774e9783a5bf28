"""A standalone HTML page of a screening: the review with flagged spans highlighted, and the flag list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jinja2 import Environment, PackageLoader, select_autoescape

from service.render.labels import FLAG_NAMES, GRADE_NAMES, KIND_NAMES, SCORE_NAMES, SEVERITY_NAMES
from service.screening import Screening


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


def render_html(screening: Screening) -> str:
    r = screening.review
    flags = screening.flags
    spans = [(f.start, f.end, f.severity) for f in flags]
    template = _environment().get_template("screening.html")
    return template.render(
        review=r,
        screening=screening,
        segments=segments(r.text, spans),
        flags=flags,
        flag_names=FLAG_NAMES,
        severity_names=SEVERITY_NAMES,
        score_names=SCORE_NAMES,
        grade_names=GRADE_NAMES,
        kind_names=KIND_NAMES,
    )
