"""Fixtures of the web page tests: an app and logged-in browsers (one TestClient per user, each with its own
cookie jar) over the stored hierarchy and users of tests/conftest.py (`world`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from service_samples import World
from sqlalchemy import Engine
from web_helpers import login

from service.api.app import create_app


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app(engine)


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    """A client of the JSON API (bearer tokens), to store reviews the pages then show."""
    return TestClient(app)


@pytest.fixture
def browser(app: FastAPI, world: World) -> Callable[[str], TestClient]:
    """`browser(who)`: a client logged in through the login form as `who`."""

    def make(who: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        login(client, world.tokens[who])
        return client

    return make
