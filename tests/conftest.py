import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_samples import USERS, World
from sqlalchemy import Engine, create_engine, text

from service.store import repository as repo
from service.store.db import ENV_URL, make_engine, session_scope, upgrade

# Store and API tests run on SQLite, and on PostgreSQL too when this names one (CI points it at a shared
# `test` database, so each test gets a fresh schema, dropped afterwards).
PG_ENV = "KIEMDIEM_TEST_DATABASE_URL"
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get(PG_ENV) else [])]


@pytest.fixture(autouse=True)
def _empty_template_library(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never see templates a developer added to their own library (var/kiemdiem)."""
    home: Path = tmp_path_factory.mktemp("kiemdiem-home")
    monkeypatch.setenv("KIEMDIEM_HOME", str(home))


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's KIEMDIEM_DATABASE_URL must never receive test rows."""
    monkeypatch.delenv(ENV_URL, raising=False)


def with_search_path(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, or a fresh PostgreSQL schema dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield with_search_path(base, schema)
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
