"""Reviews: upload (screened and stored at once), one review with its latest screening, its fix-list."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from service.api.deps import SessionDep, UserDep, get_settings, require_roles
from service.api.queries import latest_screening
from service.api.schemas import Created, ErrorBody, FixList, MemberRef, ReviewDetail, ReviewMeta, UnitRef
from service.api.scope import review_in_scope
from service.api.settings import Settings
from service.api.submit import Upload, submit
from service.store.models import Review, User

router = APIRouter(prefix="/reviews", tags=["reviews"])

UPLOADERS = ("admin", "secretary", "committee")
ERRORS = {status: {"model": ErrorBody} for status in (401, 403, 404, 409, 413, 415, 422)}


def _meta(review: Review) -> ReviewMeta:
    member = review.member
    return ReviewMeta(
        id=review.id,
        unit=UnitRef(code=review.unit.code, name=review.unit.name),
        member=MemberRef(code=member.code, name=member.name) if member else None,
        year=review.year,
        kind=review.kind,
        form=review.form,
        source=review.source,
        sha256=review.sha256,
        created_at=review.created_at,
    )


@router.post("", status_code=201, response_model=Created, responses=ERRORS)
def upload_review(
    request: Request,
    session: SessionDep,
    user: Annotated[User, Depends(require_roles(*UPLOADERS))],
    settings: Annotated[Settings, Depends(get_settings)],
    file: Annotated[UploadFile, File(description="Bản kiểm điểm (.txt, .md, .docx, .pdf)")],
    unit: Annotated[str, Form(description="Mã đơn vị")],
    member: Annotated[str | None, Form(description="Mã đảng viên (bản cá nhân)")] = None,
    member_name: Annotated[str | None, Form(description="Họ tên, để tạo đảng viên mới")] = None,
    year: Annotated[int | None, Form(description="Năm kiểm điểm (nếu không đọc được từ văn bản)")] = None,
    kind: Annotated[Literal["individual", "collective"], Form()] = "individual",
    replace: Annotated[bool, Query(description="Thay bản đã lưu cùng năm")] = False,
) -> Created:
    """Rà soát một bản kiểm điểm và lưu cả bản lẫn kết quả trong một giao dịch."""
    upload = Upload(
        filename=file.filename or "",
        unit=unit,
        member=member,
        member_name=member_name,
        year=year,
        kind=kind,
        replace=replace,
    )
    done = submit(
        session,
        user,
        upload,
        file.file,
        max_bytes=settings.max_upload_bytes,
        cache=request.app.state.review_cache,
        index=request.app.state.copy_index.get(),
    )
    return Created(review_id=done.review_id, screening_id=done.screening_id, screening=done.screening)


@router.get("/{review_id}", response_model=ReviewDetail, responses=ERRORS)
def get_review(review_id: int, session: SessionDep, user: UserDep) -> ReviewDetail:
    """Một bản kiểm điểm và kết quả rà soát mới nhất (hợp đồng kiemdiem.screen/1)."""
    review = review_in_scope(session, user, review_id)
    row = latest_screening(session, review.id)
    return ReviewDetail(
        review=_meta(review),
        screening_id=row.id if row else None,
        screening=row.result if row else None,
    )


@router.get("/{review_id}/fixes", response_model=FixList, responses=ERRORS)
def get_fixes(review_id: int, session: SessionDep, user: UserDep) -> FixList:
    """Danh sách việc cần sửa của một bản kiểm điểm, quan trọng nhất trước."""
    review = review_in_scope(session, user, review_id)
    row = latest_screening(session, review.id)
    meta = _meta(review)
    return FixList(
        review_id=review.id,
        screening_id=row.id if row else None,
        year=review.year,
        member=meta.member,
        unit=meta.unit,
        text=review.text,
        fixes=list(row.result.get("fixes", [])) if row else [],
    )
