"""A unit's pages: the committee's ranked list, the secretary's list of reviews, the copy audit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api import queries
from service.api.deps import SessionDep
from service.api.routes.units import AUDIT_ROLES, RANKING_ROLES
from service.api.scope import unit_in_scope, visible_units
from service.store import repository as repo
from service.store.models import Unit, User
from service.web.audit import clusters
from service.web.auth import PageUser, form_csrf, page_roles
from service.web.render import page

router = APIRouter()

Year = Annotated[int | None, Query(alias="nam", ge=1990, le=2100)]
RANKING_LIMIT = 1000

# The main problems a committee looks at, as columns of the ranked list: header → flag codes counted.
PROBLEMS: dict[str, tuple[str, ...]] = {
    "Sao chép": ("copied_from_history", "copied_from_peer", "copied_from_template", "recurring_shortcoming"),
    "Sáo rỗng": ("boilerplate",),
    "Khắc phục": (
        "shortcoming_without_cause",
        "shortcoming_without_remedy",
        "remedy_without_deadline",
        "vague_deadline",
        "implausible_deadline",
        "previous_shortcoming_unreported",
    ),
    "Chỗ trống": ("placeholder_left",),
    "Thiếu mục": ("missing_section", "thin_section"),
}
# Column headers are short so the table fits a screen; the full meaning is the header's tooltip.
PROBLEM_TITLES = {
    "Sao chép": "Đoạn chép từ năm trước, từ đảng viên khác, từ bài mẫu; hạn chế lặp lại qua các năm",
    "Sáo rỗng": "Câu sáo rỗng, chung chung, không có việc làm, số liệu, thời gian",
    "Khắc phục": (
        "Khuyết điểm thiếu nguyên nhân, biện pháp hoặc thời hạn khắc phục; hạn chế năm trước chưa báo cáo"
    ),
    "Chỗ trống": "Chỗ trống của mẫu chưa điền",
    "Thiếu mục": "Thiếu mục của mẫu hoặc mục viết sơ sài",
}
SCORE_SHORT = {
    "formalism": "Tổng hợp",
    "duplication": "Sao chép",
    "boilerplate": "Sáo rỗng",
    "remedies": "Khắc phục",
    "coverage": "Thiếu mục",
}


def _year(session: Session, unit: Unit, asked: int | None) -> tuple[int, list[int]]:
    """The year shown (asked, else the newest with reviews, else this year) and the years to choose from."""
    years = queries.review_years(session, unit_code=unit.code)
    year = asked if asked is not None else (years[0] if years else date.today().year)
    return year, sorted({*years, year}, reverse=True)


def _children(session: Session, user: User, unit: Unit) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, Unit.id.in_(visible_units(user)))
            .order_by(Unit.name)
        )
    )


@router.get("/don-vi/{code:path}/sao-chep")
def copy_audit_page(
    request: Request,
    code: str,
    session: SessionDep,
    user: Annotated[User, Depends(page_roles(*AUDIT_ROLES))],
    nam: Year = None,
) -> Response:
    unit = unit_in_scope(session, user, code)
    year, years = _year(session, unit, nam)
    found = clusters(session, user, unit_code=unit.code, year=year)
    return page(
        request,
        "copies.html",
        user=user,
        csrf=form_csrf(request),
        unit=unit,
        year=year,
        years=years,
        clusters=found,
    )


@router.get("/don-vi/{code:path}/ban-kiem-diem")
def unit_reviews_page(
    request: Request, code: str, session: SessionDep, user: PageUser, nam: Year = None
) -> Response:
    """The secretary's home: the unit's reviews of the year with the number of fixes each."""
    unit = unit_in_scope(session, user, code)
    year, years = _year(session, unit, nam)
    rows = repo.ranked(session, year=year, unit_code=unit.code)
    fixes = queries.fix_counts(session, [r.screening_id for r in rows])
    rows.sort(key=lambda r: (r.unit_name, r.member_name or "", r.review_id))
    return page(
        request,
        "reviews.html",
        user=user,
        csrf=form_csrf(request),
        unit=unit,
        year=year,
        years=years,
        rows=rows,
        fixes=fixes,
        children=_children(session, user, unit),
    )


@router.get("/don-vi/{code:path}")
def ranking_page(
    request: Request,
    code: str,
    session: SessionDep,
    user: Annotated[User, Depends(page_roles(*RANKING_ROLES))],
    nam: Year = None,
) -> Response:
    """The unit's ranked list of the year, most formalistic first (units below included)."""
    unit = unit_in_scope(session, user, code)
    year, years = _year(session, unit, nam)
    rows = queries.ranking(session, unit_code=unit.code, year=year, limit=RANKING_LIMIT)
    for row in rows:
        counts = row["flags"]
        row["problems"] = {name: sum(counts.get(c, 0) for c in codes) for name, codes in PROBLEMS.items()}
    return page(
        request,
        "ranking.html",
        user=user,
        csrf=form_csrf(request),
        unit=unit,
        year=year,
        years=years,
        rows=rows,
        problems=PROBLEM_TITLES,
        score_short=SCORE_SHORT,
        children=_children(session, user, unit),
    )
