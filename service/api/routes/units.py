"""A unit's reviews: the committee's ranked list and the inspector's copy audit (units below included)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from service.api import queries
from service.api.deps import SessionDep, require_roles
from service.api.schemas import Copies, CopyFlag, ErrorBody, RankedRow, Ranking, UnitRef
from service.api.scope import unit_in_scope
from service.store.models import User

router = APIRouter(prefix="/units", tags=["units"])

RANKING_ROLES = ("admin", "committee", "inspector")
AUDIT_ROLES = ("admin", "inspector", "committee")
ERRORS = {status: {"model": ErrorBody} for status in (401, 403, 404, 422)}
Year = Annotated[int, Query(ge=1990, le=2100, description="Năm kiểm điểm")]


@router.get("/{code:path}/screenings", response_model=Ranking, responses=ERRORS)
def ranked_screenings(
    code: str,
    year: Year,
    session: SessionDep,
    user: Annotated[User, Depends(require_roles(*RANKING_ROLES))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Ranking:
    """Xếp hạng các bản kiểm điểm của đơn vị theo mức độ hình thức, cao nhất trước."""
    unit = unit_in_scope(session, user, code)
    rows = queries.ranking(session, unit_code=unit.code, year=year, limit=limit)
    return Ranking(
        unit=UnitRef(code=unit.code, name=unit.name), year=year, reviews=[RankedRow(**r) for r in rows]
    )


@router.get("/{code:path}/copies", response_model=Copies, responses=ERRORS)
def copy_audit(
    code: str,
    session: SessionDep,
    user: Annotated[User, Depends(require_roles(*AUDIT_ROLES))],
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> Copies:
    """Mọi đoạn sao chép trong các kết quả rà soát mới nhất của đơn vị: chép từ đâu, giống bao nhiêu."""
    unit = unit_in_scope(session, user, code)
    rows = queries.copies(session, unit_code=unit.code, year=year)
    return Copies(
        unit=UnitRef(code=unit.code, name=unit.name),
        year=year,
        copies=[CopyFlag(**row.__dict__) for row in rows],
    )
