"""Bring a database to the schema this program expects, with Alembic run from code.

The Alembic configuration is built here rather than read from an alembic.ini, so an installed
program (PyInstaller bundle included) migrates its own database with no file beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from console.db.engine import (
    BEGIN_IMMEDIATE,
    SQLITE_BUSY_TIMEOUT_MS,
    describe,
    is_postgres,
    make_engine,
)

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "head_revision", "upgrade"]

log = logging.getLogger("console.db")

MIGRATIONS_DIR: Final = Path(__file__).resolve().with_name("migrations")

# pg_advisory_xact_lock key serialising migrations of one database (arbitrary, fixed forever).
_PG_MIGRATION_LOCK: Final = 0x48414C4C  # "HALL"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for our migrations; `connection`, if given, is what env.py uses."""
    config = Config()
    # ConfigParser interpolates '%', which may occur in an install path.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this program's models correspond to."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        msg = f"no Alembic revision found in {MIGRATIONS_DIR}"
        raise RuntimeError(msg)
    return head


MIGRATION_WAIT_MS: Final = 120_000


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate to `revision` in one transaction (DDL is transactional on both backends).

    Seats starting at the same moment may all call this: the first takes a lock (SQLite's
    write lock, a PostgreSQL advisory lock), the others wait and then find nothing to do.
    """
    if isinstance(engine_or_url, str):
        engine = make_engine(engine_or_url)
        try:
            _upgrade(engine, revision)
        finally:
            engine.dispose()
    else:
        _upgrade(engine_or_url, revision)


def _upgrade(engine: Engine, revision: str) -> None:
    log.info("migrating %s to %s", describe(engine), revision)
    with engine.connect() as connection:
        raw = None if is_postgres(engine) else connection.connection.driver_connection
        if raw is not None:
            # Another seat migrating holds the write lock for longer than a use case would:
            # wait for it rather than fail at the usual busy timeout. (Raw DBAPI: a pragma
            # through SQLAlchemy would begin the transaction before BEGIN IMMEDIATE.)
            raw.execute(f"PRAGMA busy_timeout = {MIGRATION_WAIT_MS}")
        try:
            connection.execution_options(**{BEGIN_IMMEDIATE: True})
            with connection.begin():
                if is_postgres(engine):
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                    )
                command.upgrade(alembic_config(connection), revision)
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
