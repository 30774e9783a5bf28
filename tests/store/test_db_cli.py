"""`kiemdiem db upgrade`: prints the revision reached; database problems are one line and exit code 2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from service.cli import main
from service.store.db import ENV_URL, head_revision, make_engine


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_upgrade_creates_the_schema_and_says_which_revision_it_reached(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    code, out, err = _run(capsys, "db", "upgrade", "--url", db_url)
    assert code == 0, err
    assert out.strip().endswith(f"đã nâng cấp lược đồ từ trống lên phiên bản {head_revision()}")
    engine = make_engine(db_url)
    assert {"units", "members", "reviews", "screenings", "flags"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    code, out, _ = _run(capsys, "db", "upgrade", "--url", db_url)
    assert code == 0 and f"đã ở phiên bản lược đồ {head_revision()} (mới nhất)" in out


def test_db_upgrade_defaults_to_the_environment_then_kiemdiem_home(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIEMDIEM_HOME", str(tmp_path / "home"))
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and out.startswith(f"sqlite:///{tmp_path / 'home' / 'kiemdiem.db'}:")
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'khac.db'}")
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and out.startswith(f"sqlite:///{tmp_path / 'khac.db'}:")
    assert (tmp_path / "khac.db").is_file()


def test_db_problems_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for url in ("khong-phai-url", "postgresql+psycopg://kd:bi-mat@127.0.0.1:9/kiemdiem"):
        code, out, err = _run(capsys, "db", "upgrade", "--url", url)
        assert code == 2 and out == "" and err.startswith("kiemdiem: ") and err.count("\n") == 1
        assert "bi-mat" not in err and "Traceback" not in err
    # A database upgraded by a newer kiemdiem, at a revision this one does not know.
    newer = tmp_path / "moi-hon.db"
    with sqlite3.connect(newer) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        db.execute("INSERT INTO alembic_version VALUES ('9999')")
    code, _, err = _run(capsys, "db", "upgrade", "--url", f"sqlite:///{newer}")
    assert code == 2 and "lược đồ cơ sở dữ liệu không khớp" in err and err.count("\n") == 1
    # The default database's folder cannot be created: KIEMDIEM_HOME lies under a file.
    (tmp_path / "tep").write_text("không phải thư mục", encoding="utf-8")
    monkeypatch.setenv("KIEMDIEM_HOME", str(tmp_path / "tep" / "home"))
    code, _, err = _run(capsys, "db", "upgrade")
    assert code == 2 and "không tạo được" in err and err.count("\n") == 1
