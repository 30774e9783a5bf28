"""Setting the service up from the command line: units of the hierarchy and API users with their tokens.

Used by `kiemdiem units add`, `kiemdiem users add` and `kiemdiem index rebuild`; each call is one
transaction on a database that `kiemdiem db upgrade` has prepared (refused otherwise: these commands never
change the schema either).
Problems are `SetupError`s with one Vietnamese line; database problems are the store's `StoreError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.store import repository as repo
from service.store.db import (
    current_revision,
    database_url,
    display_url,
    head_revision,
    make_engine,
    session_scope,
    store_errors,
)
from service.store.models import Unit


class SetupError(ValueError):
    """What the user asked cannot be done; one Vietnamese line."""


@contextmanager
def _engine(url: str | None) -> Iterator[Engine]:
    """An engine on a database at the newest schema (SetupError otherwise), disposed afterwards."""
    with store_errors(url):
        engine = make_engine(url or database_url())
        try:
            found, head = current_revision(engine), head_revision()
            if found != head:
                raise SetupError(
                    f"lược đồ cơ sở dữ liệu ở phiên bản {found or 'trống'}, cần {head}; "
                    "hãy chạy trước: kiemdiem db upgrade"
                )
            yield engine
        finally:
            engine.dispose()


@contextmanager
def _session(url: str | None) -> Iterator[Session]:
    with _engine(url) as engine, session_scope(engine) as session:
        yield session


def _unit(session: Session, code: str, what: str) -> Unit:
    found = session.scalar(select(Unit).where(Unit.code == code))
    if found is None:
        raise SetupError(f"không có {what} mã '{code}' (thêm bằng: kiemdiem units add)")
    return found


def add_unit(url: str | None, *, code: str, name: str, kind: str, parent: str | None) -> str:
    """Create (or rename) a unit; returns a line describing it."""
    with _session(url) as session:
        above = _unit(session, parent, "đơn vị cấp trên") if parent is not None else None
        try:
            unit = repo.unit(session, code.strip(), name.strip(), kind, parent=above)
        except ValueError as exc:
            raise SetupError(str(exc)) from exc
        shown = f"{unit.name} (mã {unit.code}, {unit.kind})"
    return f"Đã lưu đơn vị {shown}"


def add_user(url: str | None, *, name: str, role: str, unit: str) -> tuple[str, str]:
    """Create an API user; returns who was created and the plain token (shown once, never stored)."""
    with _session(url) as session:
        found = _unit(session, unit, "đơn vị")
        try:
            user, token = repo.add_user(session, name=name, role=role, unit=found)
        except ValueError as exc:
            raise SetupError(str(exc)) from exc
        who = f"{user.name} (số {user.id}, vai trò {role}, đơn vị {found.code})"
    # Returned only once the block has committed: a token for a user never stored would be useless.
    return who, token


def rebuild_index(url: str | None) -> tuple[int, str]:
    """Index every stored review again (service.api.review_index.rebuild); returns how many and the
    database as it may be shown."""
    from service.api.review_index import open_index, rebuild
    from service.index.sql_storage import IndexParamsMismatch

    with _engine(url) as engine, session_scope(engine) as session:
        try:
            count = rebuild(session, open_index(engine))
        except IndexParamsMismatch as exc:
            raise SetupError(f"chỉ mục sao chép được lập với tham số khác ({exc})") from exc
    return count, display_url(url or database_url())
