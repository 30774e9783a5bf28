"""API users in the store: revision 0002 adds them to a database with data, tokens are kept only hashed."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from service.store import repository as repo
from service.store.db import current_revision, make_engine, session_scope, upgrade
from service.store.models import User


def test_revision_0002_adds_users_to_a_database_that_already_holds_reviews(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, "0001") == "0001"
        assert "users" not in inspect(engine).get_table_names()
        with session_scope(engine) as session:
            repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
        assert upgrade(engine) == "0002" == current_revision(engine)
        with session_scope(engine) as session:
            province = repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
            user, _ = repo.add_user(session, name="Nguyễn Văn Kiểm", role="inspector", unit=province)
            assert user.unit_id == province.id
    finally:
        engine.dispose()


def test_a_token_is_returned_once_and_only_its_hash_is_stored(engine: Engine) -> None:
    with session_scope(engine) as session:
        province = repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
        user, token = repo.add_user(session, name=" Lê Thị Thư ", role="secretary", unit=province)
        _, other = repo.add_user(session, name="Trần Văn Ủy", role="committee", unit=province)
        user_id = user.id
    assert token != other and len(token) >= 40
    with session_scope(engine) as session:
        stored = session.get(User, user_id)
        assert stored is not None and stored.name == "Lê Thị Thư" and stored.active
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
        stored_values = {str(v) for row in session.execute(select(User.__table__)) for v in row}
        assert token not in stored_values and other not in stored_values
        found = repo.user_by_token(session, token)
        assert found is not None and found.id == user_id and found.unit.code == "t"
        assert repo.user_by_token(session, token + "x") is None
        assert repo.user_by_token(session, "") is None
        # A user switched off no longer gets in.
        stored.active = False
    with session_scope(engine) as session:
        assert repo.user_by_token(session, token) is None
        assert repo.user_by_token(session, other) is not None


def test_roles_are_checked_by_the_code_and_by_the_database(engine: Engine) -> None:
    with session_scope(engine) as session:
        province = repo.unit(session, "t", "Đảng bộ tỉnh Thử Nghiệm", "province")
        with pytest.raises(ValueError, match="vai trò không hợp lệ"):
            repo.add_user(session, name="X", role="member", unit=province)
        with pytest.raises(ValueError, match="không được để trống"):
            repo.add_user(session, name="  ", role="admin", unit=province)
        unit_id = province.id
    row = {"name": "X", "role": "superuser", "unit_id": unit_id, "token_hash": "0" * 64, "active": True}
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (name, role, unit_id, token_hash, active, created_at) "
                "VALUES (:name, :role, :unit_id, :token_hash, :active, CURRENT_TIMESTAMP)"
            ),
            row,
        )
