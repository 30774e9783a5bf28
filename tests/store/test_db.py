"""The store's database: URL, migrations that build exactly the models' schema, and transactions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from service.index.sql_storage import SqlStorage
from service.index.sql_storage import metadata as index_metadata
from service.store import repository as repo
from service.store.db import (
    ENV_URL,
    StoreError,
    current_revision,
    database_url,
    display_url,
    head_revision,
    make_engine,
    session_scope,
    store_errors,
    upgrade,
)
from service.store.models import Base, Member, Review, Unit, schema_metadata

ALL_TABLES = set(Base.metadata.tables) | set(index_metadata.tables)


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, schema_metadata()))


def test_upgrade_builds_every_table_exactly_as_the_models_define_them(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == head_revision() == "0002"
        assert set(inspect(engine).get_table_names()) == ALL_TABLES | {"alembic_version"}
        assert {"units", "members", "reviews", "screenings", "flags", "users", "lsh_bucket"} <= ALL_TABLES
        assert _differences(engine) == []
        # Upgrading again is a no-op, not an error.
        assert upgrade(engine) == "0002" and _differences(engine) == []
        # The comparison does see a schema that drifted from the models.
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_flags_code"))
        assert any(d[0] == "add_index" and d[1].name == "ix_flags_code" for d in _differences(engine))
    finally:
        engine.dispose()


def test_the_copy_index_works_on_the_upgraded_database_and_an_earlier_index_is_adopted(
    db_url: str, tmp_path: Path
) -> None:
    signature = np.arange(8, dtype=np.uint32)
    engine = make_engine(db_url)
    try:
        # The copy index was used on this database before the store existed: its tables are kept.
        SqlStorage(engine, 8, 2).insert("doc1", signature, np.array([11, 12]))
        upgrade(engine)
        assert _differences(engine) == []
        storage = SqlStorage(engine, 8, 2)
        assert len(storage) == 1 and storage.candidates(np.array([11, 99])) == ["doc1"]
        np.testing.assert_array_equal(storage.signature("doc1"), signature)
    finally:
        engine.dispose()
    # And on a database the migrations created, SqlStorage opens the tables they made.
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    storage = SqlStorage(fresh, 8, 2)
    storage.insert("doc2", signature, np.array([1, 2]))
    assert list(storage.keys()) == ["doc2"]
    fresh.dispose()


def test_a_failure_inside_session_scope_rolls_everything_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError, match="giữa chừng"), session_scope(engine) as session:
        province = repo.unit(session, "tinh", "Đảng bộ tỉnh Thử Nghiệm", "province")
        chibo = repo.unit(session, "tinh/cb1", "Chi bộ Thôn Một", "chibo", parent=province)
        someone = repo.member(session, "tinh/cb1/dv1", "Nguyễn Văn Một", chibo)
        repo.add_review(
            session,
            unit=chibo,
            member=someone,
            year=2025,
            kind="individual",
            source="mot.txt",
            text="Nội dung bản kiểm điểm.",
            form=None,
        )
        raise RuntimeError("lỗi giữa chừng")
    with session_scope(engine) as session:
        assert [repo.count(session, model) for model in (Unit, Member, Review)] == [0, 0, 0]
    # The same work without the failure is committed.
    with session_scope(engine) as session:
        repo.unit(session, "tinh", "Đảng bộ tỉnh Thử Nghiệm", "province")
    with session_scope(engine) as session:
        assert session.scalars(select(Unit.code)).all() == ["tinh"]


def test_foreign_keys_are_enforced_on_sqlite_too(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Member(code="x", name="Không có đơn vị", unit_id=4242))


def test_the_default_database_is_an_sqlite_file_under_kiemdiem_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "nha" / "kiemdiem"
    monkeypatch.setenv("KIEMDIEM_HOME", str(home))
    assert database_url() == f"sqlite:///{home / 'kiemdiem.db'}" and home.is_dir()
    upgrade(None)
    assert (home / "kiemdiem.db").is_file()
    monkeypatch.setenv(ENV_URL, "postgresql+psycopg://kd:bi-mat@db.example:5432/kiemdiem")
    assert database_url() == "postgresql+psycopg://kd:bi-mat@db.example:5432/kiemdiem"
    assert display_url(database_url()) == "postgresql+psycopg://kd:***@db.example:5432/kiemdiem"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("khong-phai-url", "địa chỉ cơ sở dữ liệu không hợp lệ"),
        ("oracle2://u:bi-mat@h/db", "không hỗ trợ loại cơ sở dữ liệu này"),
        # Nothing listens on port 9 (discard) locally: the connection is refused at once.
        ("postgresql+psycopg://kd:bi-mat@127.0.0.1:9/kiemdiem", "không kết nối hoặc không mở được"),
        ("sqlite:////thu-muc-khong-co/kiemdiem.db", "không kết nối hoặc không mở được"),
    ],
)
def test_database_problems_become_one_vietnamese_line_without_the_password(url: str, expected: str) -> None:
    with pytest.raises(StoreError) as caught, store_errors(url):
        upgrade(url)
    message = str(caught.value)
    assert expected in message and "bi-mat" not in message and "\n" not in message
