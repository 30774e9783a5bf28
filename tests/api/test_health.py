"""GET /api/v1/health, and the app's refusal (503) to work on a database `kiemdiem db upgrade` has not
prepared: it never upgrades the schema itself."""

from __future__ import annotations

from fastapi.testclient import TestClient
from service_samples import assert_error
from sqlalchemy import Engine, inspect

from service.api.app import create_app
from service.store.db import head_revision, make_engine, upgrade


def test_health_needs_no_token_and_names_the_schema(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "schema": head_revision()}


def test_without_the_schema_every_request_is_503_until_db_upgrade_runs(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with TestClient(create_app(engine)) as client:
            for response in (
                client.get("/api/v1/health"),
                client.get("/api/v1/reviews/1", headers={"Authorization": "Bearer x"}),
                client.post("/api/v1/reviews", data={"unit": "t"}, files={"file": ("a.txt", b"x")}),
            ):
                assert "kiemdiem db upgrade" in assert_error(response, 503, "schema_missing")
            # The app created nothing.
            assert inspect(engine).get_table_names() == []
            # An older schema is refused too, naming both revisions.
            upgrade(engine, "0001")
            message = assert_error(client.get("/api/v1/health"), 503, "schema_outdated")
            assert "0001" in message and head_revision() in message
            # Upgraded while the server runs: noticed without a restart.
            upgrade(engine)
            assert client.get("/api/v1/health").json()["schema"] == head_revision()
    finally:
        engine.dispose()


def test_unknown_routes_and_methods_answer_in_the_error_shape(client: TestClient, engine: Engine) -> None:
    assert_error(client.get("/api/v1/khong-co"), 404, "not_found")
    assert_error(client.delete("/api/v1/health"), 405, "method_not_allowed")
