"""What a route may ask for: the engine (once the schema is ready), a session per request, the current
user, and a role check. Routes declare these; they never open sessions or read headers themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.api.errors import ApiError
from service.api.settings import Settings
from service.store import repository as repo
from service.store.db import current_revision, head_revision, session_scope
from service.store.models import User

ROLE_NAMES = {
    "admin": "quản trị",
    "committee": "cấp ủy",
    "secretary": "bí thư chi bộ",
    "inspector": "kiểm tra",
}


class SchemaGuard:
    """Whether the database has the schema this code needs. Checked on each request until it is found at
    the newest revision, so an upgrade made while the server runs is noticed without a restart."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ready = False

    def revision(self) -> str:
        if self.ready:
            return head_revision()
        found, head = current_revision(self.engine), head_revision()
        if found is None:
            raise ApiError(
                503,
                "schema_missing",
                "cơ sở dữ liệu chưa có lược đồ của kiemdiem; hãy chạy: kiemdiem db upgrade",
            )
        if found != head:
            raise ApiError(
                503,
                "schema_outdated",
                f"lược đồ cơ sở dữ liệu ở phiên bản {found}, cần {head}; hãy chạy: kiemdiem db upgrade",
            )
        self.ready = True
        return head


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    """The app's engine, after making sure the schema is there (503 otherwise)."""
    request.app.state.schema.revision()
    return request.app.state.engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back if it raises."""
    with session_scope(engine) as session:
        yield session


# scope="function": the commit happens before the response is sent, so a client never gets 201 for a
# review whose commit then failed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_user(request: Request, session: SessionDep) -> User:
    challenge = {"WWW-Authenticate": "Bearer"}
    token = _bearer(request)
    if token is None:
        raise ApiError(
            401, "unauthenticated", "thiếu mã truy cập (tiêu đề Authorization: Bearer <mã>)", challenge
        )
    user = repo.user_by_token(session, token)
    if user is None:
        raise ApiError(401, "unauthenticated", "mã truy cập không hợp lệ hoặc đã bị thu hồi", challenge)
    return user


UserDep = Annotated[User, Depends(current_user)]


def require_roles(*roles: str) -> Callable[[User], User]:
    """A dependency that lets in only users with one of `roles` (403 otherwise)."""

    def check(user: UserDep) -> User:
        if user.role not in roles:
            allowed = ", ".join(ROLE_NAMES[r] for r in roles)
            raise ApiError(
                403,
                "forbidden",
                f"vai trò {ROLE_NAMES.get(user.role, user.role)} không được thực hiện thao tác này "
                f"(chỉ dành cho: {allowed})",
            )
        return user

    return check
