"""Read-side queries of the API over the store: a review's latest screening, flag counts for the ranked
list, and the copy flags of a unit's latest screenings for the inspector's audit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.store import repository as repo
from service.store.models import Flag, Member, Review, Unit
from service.store.models import Screening as ScreeningRow

COPY_CODES = ("copied_from_peer", "copied_from_history", "copied_from_template", "recurring_shortcoming")
REVIEW_SOURCE_PREFIX = "review:"


def review_source(review_id: int) -> str:
    """How a stored review is named as a copy source in evidence (instead of a file path)."""
    return f"{REVIEW_SOURCE_PREFIX}{review_id}"


def source_review_id(source: Any) -> int | None:
    if isinstance(source, str) and source.startswith(REVIEW_SOURCE_PREFIX):
        tail = source[len(REVIEW_SOURCE_PREFIX) :]
        return int(tail) if tail.isdigit() else None
    return None


def latest_screening(session: Session, review_id: int) -> ScreeningRow | None:
    return session.scalar(
        select(ScreeningRow)
        .where(ScreeningRow.review_id == review_id)
        .order_by(ScreeningRow.created_at.desc(), ScreeningRow.id.desc())
        .limit(1)
    )


def flag_counts(session: Session, screening_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each screening, how many flags of each code it has."""
    counts: dict[int, Counter[str]] = {sid: Counter() for sid in screening_ids}
    if screening_ids:
        rows = session.execute(
            select(Flag.screening_id, Flag.code, func.count())
            .where(Flag.screening_id.in_(screening_ids))
            .group_by(Flag.screening_id, Flag.code)
        )
        for sid, code, n in rows:
            counts[sid][code] = int(n)
    return {sid: dict(sorted(c.items())) for sid, c in counts.items()}


def ranking(session: Session, *, unit_code: str, year: int, limit: int) -> list[dict[str, Any]]:
    rows = repo.ranked(session, year=year, unit_code=unit_code, limit=limit)
    counts = flag_counts(session, [r.screening_id for r in rows])
    return [
        {
            "review_id": r.review_id,
            "screening_id": r.screening_id,
            "member_code": r.member_code,
            "member_name": r.member_name,
            "unit_code": r.unit_code,
            "unit_name": r.unit_name,
            "year": r.year,
            "kind": r.kind,
            "scores": r.scores,
            "flags": counts[r.screening_id],
        }
        for r in rows
    ]


@dataclass(frozen=True)
class CopyRow:
    review_id: int
    screening_id: int
    member_code: str | None
    member_name: str | None
    unit_code: str
    year: int
    code: str
    start: int
    end: int
    text: str
    source: str | None
    source_review_id: int | None
    source_year: int | None
    similarity: float | None
    # Where the copied passage sits in the source's text (the web's side-by-side view); not in the API.
    source_start: int | None = None
    source_end: int | None = None
    source_excerpt: str | None = None


def copies(session: Session, *, unit_code: str, year: int | None) -> list[CopyRow]:
    """Every copy flag of the latest screenings of the reviews of `unit_code` and the units below it."""
    query = (
        select(Flag, Review, Unit, Member)
        .join(ScreeningRow, Flag.screening_id == ScreeningRow.id)
        .join(Review, ScreeningRow.review_id == Review.id)
        .join(Unit, Review.unit_id == Unit.id)
        .outerjoin(Member, Review.member_id == Member.id)
        .where(
            Flag.screening_id.in_(repo.latest_screening_ids()),
            Flag.code.in_(COPY_CODES),
            Review.unit_id.in_(repo.subtree(unit_code)),
        )
        .order_by(Review.year.desc(), Review.id, Flag.start, Flag.id)
    )
    if year is not None:
        query = query.where(Review.year == year)
    out = []
    for flag, review, unit, member in session.execute(query):
        evidence = flag.evidence or {}
        similarity = evidence.get("similarity")
        out.append(
            CopyRow(
                review_id=review.id,
                screening_id=flag.screening_id,
                member_code=member.code if member else None,
                member_name=member.name if member else None,
                unit_code=unit.code,
                year=review.year,
                code=flag.code,
                start=flag.start,
                end=flag.end,
                text=review.text[flag.start : flag.end],
                source=evidence.get("source"),
                source_review_id=source_review_id(evidence.get("source")),
                source_year=evidence.get("source_year"),
                similarity=float(similarity) if similarity is not None else None,
                source_start=_int_or_none(evidence.get("source_start")),
                source_end=_int_or_none(evidence.get("source_end")),
                source_excerpt=evidence.get("source_excerpt"),
            )
        )
    return out


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def review_years(session: Session, *, unit_code: str) -> list[int]:
    """The years that have reviews in `unit_code` or the units below it, newest first."""
    rows = session.scalars(select(Review.year).where(Review.unit_id.in_(repo.subtree(unit_code))).distinct())
    return sorted(rows, reverse=True)


def fix_counts(session: Session, screening_ids: list[int]) -> dict[int, int]:
    """How many fix-list items each screening has (the list lives in the stored contract object)."""
    if not screening_ids:
        return {}
    rows = session.execute(
        select(ScreeningRow.id, ScreeningRow.result).where(ScreeningRow.id.in_(screening_ids))
    )
    return {sid: len((result or {}).get("fixes") or []) for sid, result in rows}
