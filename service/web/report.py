"""The review page: the existing HTML report (service.render.html.render_html) over a stored screening.

The report renders a `Screening` object; a stored screening is its `kiemdiem.screen/1` dict. Re-analysing
the stored text would cost seconds per page, and the report only reads the text, the flags, the fix-list,
the scores and the copied sources, so those are rebuilt from the dict (with sources named and hidden as
service.web.sources decides) and the page's navigation is spliced into the report's own document.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.detect.base import Context, Flag, Reference
from service.fixlist import Fix
from service.render.html import render_html
from service.render.labels import FLAG_NAMES
from service.screening import Screening
from service.store.models import Review, User
from service.text.document import GradeClaim
from service.text.document import Review as TextReview
from service.web.sources import OUT_OF_SCOPE, Source, cited, shown_flag, sources

EXCERPT = 70
FLAG_FIELDS = ("code", "severity", "start", "end", "message", "hint", "evidence")


def shown_result(
    session: Session, user: User, result: dict[str, Any]
) -> tuple[dict[str, Any], dict[int, Source]]:
    """The stored result with every cited stored review named or hidden for `user`; fix hints follow the
    flags they were taken from."""
    flags = list(result.get("flags") or [])
    known = sources(session, user, cited(flags))
    shown = [shown_flag(f, known) for f in flags]
    # A fix is worded from the flag it was built from (its hint, the source's year): when that flag had to
    # hide its source, the fix is reworded from what the reader may see.
    hidden = {
        (f["code"], f["start"], f["end"], f["hint"]): g
        for f, g in zip(flags, shown, strict=True)
        if g["evidence"].get("source") == OUT_OF_SCOPE
    }
    text = str(result.get("text") or "")
    fixes = []
    for item in result.get("fixes") or []:
        flag = hidden.get((item["code"], item["start"], item["end"], item["hint"]))
        if flag is not None:
            excerpt = " ".join(text[item["start"] : item["end"]].split())
            excerpt = excerpt if len(excerpt) <= EXCERPT else excerpt[:EXCERPT].rsplit(" ", 1)[0] + "…"
            name = FLAG_NAMES.get(item["code"], item["code"])
            item = {**item, "what": f"{name} (so với {OUT_OF_SCOPE}): “{excerpt}”", "hint": flag["hint"]}
        fixes.append(item)
    return {**result, "flags": shown, "fixes": fixes}, known


def _grade(text: str, grade: dict[str, Any]) -> GradeClaim:
    start, end = int(grade["start"]), int(grade["end"])
    return GradeClaim(level=grade["level"], start=start, end=end, text=text[start:end])


def _fix(item: dict[str, Any]) -> Fix:
    return Fix(
        section_id=item.get("section_id"),
        section_title=item.get("section_title") or "",
        code=item["code"],
        severity=item["severity"],
        start=item["start"],
        end=item["end"],
        what=item["what"],
        hint=item["hint"],
        rule=item.get("rule"),
        count=int(item.get("count", 1)),
        spans=tuple((int(a), int(b)) for a, b in item.get("spans") or []),
    )


def _screening(review: Review, label: str, result: dict[str, Any], known: dict[int, Source]) -> Screening:
    grade = result.get("grade")
    text_review = TextReview(
        text=review.text,
        source=label,
        year=result.get("year", review.year),
        kind=result.get("kind", review.kind),
        form=result.get("form", review.form),
        grade=_grade(review.text, grade) if grade else None,
    )
    # Visible sources, under the label their flags now carry, so the report can quote them side by side.
    references = [
        Reference(review=TextReview(text=s.text, source=s.label), role="history", source=s.label, year=s.year)
        for s in known.values()
        if s.text is not None
    ]
    return Screening(
        review=text_review,
        flags=[Flag(**{k: f[k] for k in FLAG_FIELDS}) for f in result["flags"]],
        scores=dict(result.get("scores") or {}),
        fixes=[_fix(x) for x in result.get("fixes") or []],
        context=Context(history=references),
    )


def review_page(
    session: Session, user: User, review: Review, label: str, result: dict[str, Any], nav: str, head: str
) -> str:
    """The report of `review`'s stored `result`, with `head` added to its <head> and `nav` above it."""
    shown, known = shown_result(session, user, result)
    html = render_html(_screening(review, label, shown, known))
    # The report is a whole document of its own; the page's stylesheet and navigation go into it.
    html = html.replace("</head>", f"{head}\n</head>", 1)
    return html.replace("<body>", f"<body>\n{nav}", 1)
