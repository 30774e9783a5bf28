"""Where the store lives and how to reach it: URL, engine, sessions, and schema upgrades with Alembic.

The URL comes from `KIEMDIEM_DATABASE_URL`; without it the store is an SQLite file under KIEMDIEM_HOME
(`var/kiemdiem/kiemdiem.db`), so the service works with nothing to set up. Schema changes go through the
Alembic migrations shipped inside the package; `upgrade()` runs them programmatically, so a user never
needs an alembic.ini of their own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from service.library import library_home
from service.store.errors import StoreError as StoreError  # re-exported for the store's callers

STORE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = STORE_DIR / "migrations"
ENV_URL = "KIEMDIEM_DATABASE_URL"


def database_url() -> str:
    """`KIEMDIEM_DATABASE_URL`, or the SQLite file under KIEMDIEM_HOME (whose folder is created)."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    home = library_home()
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'kiemdiem.db'}"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def display_url(url: str | URL) -> str:
    """The URL as it may be printed or written to a file: the password never appears."""
    return make_url(url).render_as_string(hide_password=True)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores FOREIGN KEY clauses unless asked on every connection; without this, deleting a
    # review would leave its screenings and flags behind.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | URL | None = None) -> Engine:
    """An engine for `url` (default: `database_url()`); SQLite connections enforce foreign keys."""
    target = make_url(url if url is not None else database_url())
    engine = create_engine(target)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back entirely if it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config() -> Any:
    """The Alembic configuration of the shipped migrations, independent of the working directory."""
    from alembic.config import Config

    config = Config(str(STORE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration found under {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(target: Engine | str | URL | None = None, revision: str = "head") -> str | None:
    """Bring the database's schema to `revision` (default the newest); returns the revision reached."""
    from alembic import command

    engine = target if isinstance(target, Engine) else make_engine(target)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            # env.py runs the migrations on this connection instead of opening one from a URL.
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return current_revision(engine)
    finally:
        if engine is not target:
            # An engine made here is ours to close; a caller's engine stays open for the caller.
            engine.dispose()


@contextmanager
def store_errors(url: str | URL | None) -> Iterator[None]:
    """Turn a database problem into a StoreError with one Vietnamese line naming the database."""
    try:
        yield
    except NoSuchModuleError as exc:  # an ArgumentError too, so it comes first
        raise StoreError(f"{_shown(url)}: không hỗ trợ loại cơ sở dữ liệu này") from exc
    except ArgumentError as exc:
        # The raw string may hold a password, so it is not echoed back.
        raise StoreError("địa chỉ cơ sở dữ liệu không hợp lệ (ví dụ đúng: sqlite:///duong/dan.db)") from exc
    except ModuleNotFoundError as exc:
        raise StoreError(f"{_shown(url)}: thiếu trình điều khiển cơ sở dữ liệu ({exc.name})") from exc
    except OperationalError as exc:
        reason = " ".join(str(exc.orig or exc).split())[:200]
        raise StoreError(f"{_shown(url)}: không kết nối hoặc không mở được cơ sở dữ liệu ({reason})") from exc
    except OSError as exc:
        # e.g. the folder of the default SQLite file cannot be created.
        raise StoreError(f"{_shown(url)}: không tạo được {exc.filename or 'tệp'} ({exc.strerror})") from exc
    except CommandError as exc:
        # e.g. the database was upgraded by a newer kiemdiem whose revision this one does not know.
        raise StoreError(
            f"{_shown(url)}: lược đồ cơ sở dữ liệu không khớp với các bản nâng cấp của kiemdiem ({exc})"
        ) from exc


def _shown(url: str | URL | None) -> str:
    if url is None:
        return "cơ sở dữ liệu mặc định"
    try:
        return display_url(url)
    except ArgumentError:
        return "cơ sở dữ liệu"
