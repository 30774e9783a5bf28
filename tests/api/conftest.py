"""Fixtures of the API tests: every test runs on SQLite, and on PostgreSQL too when
KIEMDIEM_TEST_DATABASE_URL names one (each test in a fresh schema, dropped afterwards, so the shared
database is left as it was). A small hierarchy with one user per role is stored first."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, create_engine, text

from service.api.app import create_app
from service.store import repository as repo
from service.store.db import ENV_URL, make_engine, session_scope, upgrade

PG_ENV = "KIEMDIEM_TEST_DATABASE_URL"
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get(PG_ENV) else [])]


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's KIEMDIEM_DATABASE_URL must never receive test rows."""
    monkeypatch.delenv(ENV_URL, raising=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, or a fresh PostgreSQL schema dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'api.db'}"
        return
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An upgraded database; disposed before its schema is dropped, so no pooled connection blocks it."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@dataclass
class World:
    """The stored hierarchy: province `t` → grassroots `t/xa`, `t/phuong` → chi bộ `t/xa/cb1`,
    `t/phuong/cb1`; and a token per user."""

    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


USERS = {
    # who: (role, unit)
    "admin": ("admin", "t"),
    "committee_xa": ("committee", "t/xa"),
    "secretary_cb1": ("secretary", "t/xa/cb1"),
    "secretary_phuong": ("secretary", "t/phuong/cb1"),
    "inspector": ("inspector", "t"),
}


@pytest.fixture
def world(engine: Engine) -> World:
    with session_scope(engine) as session:
        province = repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
        xa = repo.unit(session, "t/xa", "Đảng bộ xã Hòa Bình", "grassroots", parent=province)
        phuong = repo.unit(session, "t/phuong", "Đảng bộ phường Bến Đá", "grassroots", parent=province)
        units = {
            "t": province,
            "t/xa": xa,
            "t/phuong": phuong,
            "t/xa/cb1": repo.unit(session, "t/xa/cb1", "Chi bộ thôn Đồng Tâm", "chibo", parent=xa),
            "t/phuong/cb1": repo.unit(session, "t/phuong/cb1", "Chi bộ khu phố 3", "chibo", parent=phuong),
        }
        tokens = {
            who: repo.add_user(session, name=who, role=role, unit=units[unit])[1]
            for who, (role, unit) in USERS.items()
        }
    return World(tokens=tokens)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as client:
        yield client


def upload(
    client: TestClient,
    world: World,
    who: str,
    name: str,
    content: bytes | str,
    *,
    replace: bool | None = None,
    **fields: Any,
) -> Response:
    """POST /api/v1/reviews with one file and form fields (None fields are left out)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    form = {k: str(v) for k, v in fields.items() if v is not None}
    params = {"replace": "true"} if replace else None
    return client.post(
        "/api/v1/reviews",
        headers=world.auth(who),
        data=form,
        files={"file": (name, data, "application/octet-stream")},
        params=params,
    )


def assert_error(response: Response, status: int, code: str | None = None) -> str:
    """The response is the API's error shape with `status`; returns its message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    message = body["error"]["message"]
    assert isinstance(message, str) and message and "\n" not in message
    if code is not None:
        assert body["error"]["code"] == code
    return message
