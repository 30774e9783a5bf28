"""A review's pages (the report, the printable fix-list) and the upload form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from service.api.deps import SessionDep, get_settings
from service.api.errors import ApiError
from service.api.queries import latest_screening
from service.api.routes.reviews import UPLOADERS
from service.api.scope import review_in_scope, visible_units
from service.api.settings import Settings
from service.api.submit import Upload, submit
from service.store.models import Review, Unit, User
from service.web.auth import PageUser, check_csrf, form_csrf, page_roles
from service.web.render import STATIC_PREFIX, page, render
from service.web.report import review_page, shown_result
from service.web.sources import review_label

router = APIRouter()

NO_SCREENING = "bản kiểm điểm này chưa được rà soát"


def _latest(session: SessionDep, review: Review) -> dict[str, Any]:
    row = latest_screening(session, review.id)
    if row is None:
        raise ApiError(404, "not_found", NO_SCREENING)
    return row.result


@router.get("/ban-kiem-diem/{review_id}", response_class=HTMLResponse)
def review_report(request: Request, review_id: int, session: SessionDep, user: PageUser) -> Response:
    review = review_in_scope(session, user, review_id)
    result = _latest(session, review)
    label = review_label(review)
    nav = render("nav.html", user=user, csrf=form_csrf(request), review=review, label=label)
    head = f'<link rel="stylesheet" href="{STATIC_PREFIX}/web.css">'
    html = review_page(session, user, review, f"{label} (tệp {review.source})", result, nav, head)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@router.get("/ban-kiem-diem/{review_id}/viec-can-sua")
def fix_list(request: Request, review_id: int, session: SessionDep, user: PageUser) -> Response:
    """The secretary's printable fix-list: grouped by section, with hints and line numbers."""
    review = review_in_scope(session, user, review_id)
    result, _ = shown_result(session, user, _latest(session, review))
    text = review.text
    groups: list[dict[str, Any]] = []
    for fix in result.get("fixes") or []:
        key = fix.get("section_id")
        if not groups or groups[-1]["id"] != key:
            groups.append({"id": key, "title": fix.get("section_title") or "", "items": []})
        spans = fix.get("spans") or [[fix["start"], fix["end"]]]
        lines = sorted({_line(text, int(a)) for a, _ in spans})
        groups[-1]["items"].append({**fix, "lines": lines, "excerpt": text[fix["start"] : fix["end"]]})
    return page(
        request,
        "fixes.html",
        user=user,
        csrf=form_csrf(request),
        review=review,
        label=review_label(review),
        groups=groups,
        total=sum(len(g["items"]) for g in groups),
    )


def _units(session: SessionDep, user: User) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.id.in_(visible_units(user))).order_by(Unit.code)))


def _upload_form(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    values: dict[str, Any],
    error: str | None,
    status: int,
) -> Response:
    return page(
        request,
        "upload.html",
        user=user,
        csrf=form_csrf(request),
        units=_units(session, user),
        values=values,
        error=error,
        status=status,
    )


Uploader = Annotated[User, Depends(page_roles(*UPLOADERS))]


@router.get("/tai-len")
def upload_form(request: Request, session: SessionDep, user: Uploader) -> Response:
    return _upload_form(
        request, session, user, values={"unit": user.unit.code, "kind": "individual"}, error=None, status=200
    )


@router.post("/tai-len")
def upload_review(
    request: Request,
    session: SessionDep,
    user: Uploader,
    settings: Annotated[Settings, Depends(get_settings)],
    file: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    member: Annotated[str, Form()] = "",
    member_name: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "individual",
    replace: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    values = {"unit": unit, "member": member, "member_name": member_name, "year": year, "kind": kind}
    values["replace"] = bool(replace)
    try:
        if file is None or not file.filename:
            raise ApiError(422, "invalid", "hãy chọn tệp bản kiểm điểm (.txt, .md, .docx, .pdf)")
        if kind not in ("individual", "collective"):
            raise ApiError(422, "invalid", "loại bản kiểm điểm không hợp lệ")
        if year.strip() and not year.strip().isdigit():
            raise ApiError(422, "invalid", f"năm '{year.strip()}' không hợp lệ (phải là số, ví dụ 2025)")
        upload = Upload(
            filename=file.filename,
            unit=unit,
            member=member if kind == "individual" else None,
            member_name=member_name if kind == "individual" else None,
            year=int(year) if year.strip() else None,
            kind=kind,
            replace=bool(replace),
        )
        # The API's own upload: same scope, same checks, same screening, same single transaction.
        done = submit(
            session,
            user,
            upload,
            file.file,
            max_bytes=settings.max_upload_bytes,
            cache=request.app.state.review_cache,
            index=request.app.state.copy_index.get(),
        )
    except ApiError as exc:
        # Anything the refused upload flushed (a new member) is dropped, so nothing is stored.
        session.rollback()
        message = exc.message[:1].upper() + exc.message[1:]
        return _upload_form(request, session, user, values=values, error=message, status=exc.status)
    return RedirectResponse(f"/ban-kiem-diem/{done.review_id}", status_code=303)
