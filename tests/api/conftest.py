"""Fixtures of the API tests; the database and the stored hierarchy with one user per role (`world`) are
in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from service.api.app import create_app


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as client:
        yield client
