"""Fixtures of the API tests (the database ones are in tests/conftest.py): a small hierarchy with one user
per role is stored first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_samples import USERS, World
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from service.api.app import create_app
from service.store import repository as repo
from service.store.db import session_scope


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
