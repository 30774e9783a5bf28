"""An upload, from bytes to a stored screening, in the caller's one transaction.

Order matters: everything that can be refused cheaply (fields, the unit's scope, the file) is refused
before the review is analysed and screened, and any refusal raises, so `session_scope` rolls back the
member an upload may have created: a refused upload stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from service.api.errors import ApiError
from service.api.references import ReviewCache, context_for
from service.api.review_index import add_indexed_peers, index_after_commit
from service.api.scope import MEMBER_NOT_FOUND, member_for_upload, unit_in_scope
from service.index.copyindex import CopyIndex
from service.screening import screen
from service.store import repository as repo
from service.store.models import Member, Unit, User
from service.text.pipeline import build_review
from service.text.readers import SUPPORTED, ReadError, read_text_bytes

YEARS = (1990, 2100)


@dataclass(frozen=True)
class Upload:
    filename: str
    unit: str
    member: str | None
    member_name: str | None
    year: int | None
    kind: str
    replace: bool


@dataclass(frozen=True)
class Submitted:
    review_id: int
    screening_id: int
    screening: dict[str, Any]


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_upload(stream: BinaryIO, filename: str, max_bytes: int) -> tuple[str, str]:
    """The uploaded file's text and the name it is known by; 413/415/422 with the reader's message."""
    name = Path(filename.replace("\\", "/")).name or "tep-tai-len"
    # One byte past the limit is enough to know it is too big, without holding a huge file in memory.
    data = stream.read(max_bytes + 1)
    try:
        document = read_text_bytes(data, name, max_bytes=max_bytes)
    except ReadError as exc:
        suffix = Path(name).suffix.lower()
        if len(data) > max_bytes:
            raise ApiError(413, "too_large", str(exc)) from exc
        if suffix not in (*SUPPORTED, ".doc"):
            raise ApiError(415, "unsupported_media_type", str(exc)) from exc
        raise ApiError(422, "unreadable_file", str(exc)) from exc
    return document.text, name


def _member(session: Session, user: User, unit: Unit, upload: Upload) -> Member | None:
    code, name = _clean(upload.member), _clean(upload.member_name)
    if upload.kind == "collective":
        if code is not None:
            raise ApiError(422, "invalid", "báo cáo kiểm điểm tập thể không có trường 'member'")
        return None
    if code is None:
        raise ApiError(422, "invalid", "bản kiểm điểm cá nhân cần trường 'member' (mã đảng viên)")
    found = member_for_upload(session, user, code)
    if found is None:
        if name is None:
            raise ApiError(
                404,
                "not_found",
                f"{MEMBER_NOT_FOUND} mã '{code}'; gửi kèm 'member_name' để tạo đảng viên mới",
            )
        return repo.member(session, code, name, unit)
    # A known member keeps their name unless a new one is given; their current unit becomes this one
    # (members transfer between chi bộ; each stored review keeps the unit it was written in).
    return repo.member(session, code, name or found.name, unit)


def submit(
    session: Session,
    user: User,
    upload: Upload,
    stream: BinaryIO,
    *,
    max_bytes: int,
    cache: ReviewCache,
    index: CopyIndex | None = None,
) -> Submitted:
    """Screen and store an upload. With `index` (the persisted copy index), the stored reviews it finds
    anywhere in the uploader's scope are compared too, and the new review is indexed once the caller's
    transaction commits (service.api.review_index)."""
    if upload.year is not None and not YEARS[0] <= upload.year <= YEARS[1]:
        raise ApiError(422, "invalid", f"năm {upload.year} không hợp lệ (từ {YEARS[0]} đến {YEARS[1]})")
    unit = unit_in_scope(session, user, upload.unit.strip())
    member = _member(session, user, unit, upload)
    text, name = read_upload(stream, upload.filename, max_bytes)
    kind = "collective" if upload.kind == "collective" else "individual"
    review = build_review(text, source=name, year=upload.year, kind=kind)
    if review.year is None:
        raise ApiError(
            422,
            "year_unknown",
            f"tệp '{name}': không đọc được năm kiểm điểm từ văn bản; hãy gửi kèm trường 'year'",
        )
    try:
        stored = repo.add_review(
            session,
            unit=unit,
            member=member,
            year=review.year,
            kind=kind,
            source=name,
            text=review.text,
            form=review.form,
            replace=upload.replace,
        )
    except repo.DuplicateReview as exc:
        raise ApiError(409, "duplicate_review", str(exc)) from exc
    context = context_for(session, user, stored, cache)
    if index is not None:
        add_indexed_peers(session, user, stored, review, context, index, cache)
    screening = screen(review, context)
    row = repo.save_screening(session, stored, screening)
    if index is not None:
        index_after_commit(session, index, stored.id, review)
    return Submitted(review_id=stored.id, screening_id=row.id, screening=row.result)
