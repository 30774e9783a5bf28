"""`kiemdiem units add`, `users add` and `serve`: the token is printed once and lets its holder in;
problems are one line on stderr and exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_samples import assert_error
from sqlalchemy import Engine

from service.api.app import create_app
from service.cli import main
from service.store import repository as repo
from service.store.db import session_scope
from service.store.models import User


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_users_add_prints_the_token_once_and_it_opens_the_api(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine
) -> None:
    assert (
        _run(
            capsys,
            "units",
            "add",
            "--code",
            "t",
            "--name",
            "Đảng bộ tỉnh",
            "--kind",
            "province",
            "--url",
            db_url,
        )[0]
        == 0
    )
    code, out, err = _run(
        capsys,
        "units",
        "add",
        "--code",
        "t/cb1",
        "--name",
        "Chi bộ Một",
        "--kind",
        "chibo",
        "--parent",
        "t",
        "--url",
        db_url,
    )
    assert code == 0 and out == "Đã lưu đơn vị Chi bộ Một (mã t/cb1, chibo)\n", err
    code, out, err = _run(
        capsys,
        "users",
        "add",
        "--name",
        "Nguyễn Thị Thư",
        "--role",
        "committee",
        "--unit",
        "t/cb1",
        "--url",
        db_url,
    )
    assert code == 0 and err == "" and out.count("\n") == 1, err
    token = re.fullmatch(
        r"Đã tạo người dùng Nguyễn Thị Thư \(số \d+, vai trò committee, đơn vị t/cb1\); "
        r"mã truy cập \(chỉ hiện một lần, hãy lưu lại\): (\S+)\n",
        out,
    )
    assert token is not None
    plain = token.group(1)
    with session_scope(engine) as session:
        (user,) = session.query(User).all()
        assert user.token_hash == repo.token_hash(plain) and plain not in (user.token_hash, user.name)
    with TestClient(create_app(engine)) as client:
        headers = {"Authorization": f"Bearer {plain}"}
        ranked = client.get("/api/v1/units/t/cb1/screenings?year=2025", headers=headers)
        assert ranked.status_code == 200 and ranked.json()["reviews"] == []
        # Scope: the chi bộ, not the province above it.
        assert_error(client.get("/api/v1/units/t/screenings?year=2025", headers=headers), 404)
    # A second user gets another token.
    _, again, _ = _run(
        capsys, "users", "add", "--name", "B", "--role", "admin", "--unit", "t", "--url", db_url
    )
    assert plain not in again


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["users", "add", "--name", "A", "--role", "admin", "--unit", "khong-co"],
            "không có đơn vị mã 'khong-co'",
        ),
        (["users", "add", "--name", "A", "--role", "chu-tich", "--unit", "t"], "chu-tich"),
        (["users", "add", "--name", "  ", "--role", "admin", "--unit", "t"], "không được để trống"),
        (["users", "add", "--role", "admin", "--unit", "t"], "--name"),
        (
            ["units", "add", "--code", "t/x", "--name", "X", "--kind", "chibo", "--parent", "khong"],
            "cấp trên",
        ),
    ],
)
def test_users_add_problems_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, argv: list[str], expected: str
) -> None:
    with session_scope(engine) as session:
        repo.unit(session, "t", "Đảng bộ tỉnh", "province")
    code, out, err = _run(capsys, *argv, "--url", db_url)
    assert code == 2 and out == "" and err.startswith("kiemdiem: ") and err.count("\n") == 1, err
    assert expected in err and "Traceback" not in err
    with session_scope(engine) as session:
        assert repo.count(session, User) == 0


def test_users_add_refuses_a_database_not_upgraded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'trong.db'}"
    code, out, err = _run(
        capsys, "users", "add", "--name", "A", "--role", "admin", "--unit", "t", "--url", url
    )
    assert code == 2 and out == "" and "kiemdiem db upgrade" in err and err.count("\n") == 1


def test_serve_runs_uvicorn_on_the_app_for_the_given_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine
) -> None:
    import uvicorn
    from fastapi import FastAPI

    served: dict[str, object] = {}

    def fake_run(app: FastAPI, host: str, port: int) -> None:
        served.update(app=app, host=host, port=port)
        with TestClient(app) as client:
            served["health"] = client.get("/api/v1/health").json()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    code, _, err = _run(capsys, "serve", "--host", "0.0.0.0", "--port", "8123", "--url", db_url)
    assert code == 0, err
    assert (served["host"], served["port"]) == ("0.0.0.0", 8123)
    assert served["health"] == {"status": "ok", "schema": "0002"}
