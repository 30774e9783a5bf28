"""Logging in to the pages with an API token, the session cookie, and protection of the POST forms.

The session cookie holds the user's API token itself (`kiemdiem users add` prints it; the store keeps only
its SHA-256, so there is no server-side session to keep): HttpOnly so no script can read it, SameSite=Strict
so no other site's page can make the browser send it, Secure when the page is served over https.

CSRF: SameSite=Strict plus a per-session token in every form. The form token is an HMAC of the session
token, so it needs no server state, changes with the session, and cannot be computed by anyone who does not
hold the cookie. The login form has no session yet, so it uses the double-submit pattern instead: a random
value in a SameSite=Strict cookie that the form must repeat (this stops another site from logging the
browser in under the attacker's own token).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from service.api.deps import SessionDep, require_roles
from service.api.errors import ApiError
from service.store import repository as repo
from service.store.models import User
from service.web.render import page, unit_url

SESSION_COOKIE = "kiemdiem_phien"
LOGIN_CSRF_COOKIE = "kiemdiem_csrf"
LOGIN_URL = "/dang-nhap"
SESSION_SECONDS = 8 * 3600

router = APIRouter()


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the login form (see service.web.errors)."""


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode("utf-8"), b"kiemdiem-web-csrf", hashlib.sha256).hexdigest()


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def page_user(request: Request, session: SessionDep) -> User:
    token = request.cookies.get(SESSION_COOKIE)
    user = repo.user_by_token(session, token) if token else None
    if user is None:
        raise LoginRequired()
    return user


PageUser = Annotated[User, Depends(page_user)]


def page_roles(*roles: str) -> Callable[[User], User]:
    """Only users with one of `roles`: the API's own check (service.api.deps.require_roles), page-side."""
    check = require_roles(*roles)

    def dependency(user: PageUser) -> User:
        return check(user)

    return dependency


def form_csrf(request: Request) -> str:
    """The token the current session's forms carry."""
    return csrf_token(request.cookies.get(SESSION_COOKIE, ""))


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a POST whose form token is not the session's (403 page)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or not _same(sent, csrf_token(token)):
        raise ApiError(403, "csrf", "biểu mẫu đã hết hạn hoặc không hợp lệ; hãy tải lại trang rồi gửi lại")


def home_url(user: User) -> str:
    # Secretaries help members fix their reviews; everyone else starts at the unit's ranked list.
    if user.role == "secretary":
        return unit_url(user.unit.code, "/ban-kiem-diem")
    return unit_url(user.unit.code)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_form(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    value = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = page(request, "login.html", login_csrf=value, error=error, status=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, value, httponly=True, samesite="strict", secure=_secure(request), path=LOGIN_URL
    )
    return response


@router.get("/")
def root(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    user = repo.user_by_token(session, token) if token else None
    return RedirectResponse(home_url(user) if user else LOGIN_URL, status_code=303)


@router.get(LOGIN_URL)
def login_form(request: Request) -> Response:
    return _login_form(request)


@router.post(LOGIN_URL)
def login(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    if not _same(csrf, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_form(request, error="Biểu mẫu đã hết hạn; hãy dán lại mã và đăng nhập.", status=403)
    user = repo.user_by_token(session, token.strip())
    if user is None:
        return _login_form(request, error="Mã truy cập không đúng hoặc đã bị thu hồi.", status=401)
    response = RedirectResponse(home_url(user), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token.strip(),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_URL)
    return response


@router.post("/dang-xuat")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    response = RedirectResponse(LOGIN_URL, status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response
