"""Engines and sessions for the shared database, SQLite (single desk) or PostgreSQL (hall).

SQLite gets WAL (readers never block the writer), enforced foreign keys, a busy timeout and
real transactions: pysqlite's own BEGIN handling is switched off and SQLAlchemy emits BEGIN
itself (the recipe in SQLAlchemy's SQLite dialect docs), so reads inside a transaction see one
snapshot and a read-then-write use case can take the write lock up front with
`write_transaction`. PostgreSQL connections are checked before use and named in
`pg_stat_activity`, so a stale connection after a server restart is replaced, not reported.

Creating a SQLite engine also registers sqlite3 adapters for `datetime` and `date` (process-wide,
as sqlite3 adapters are): Python 3.12 deprecated the default ones, and they would store aware
values in a different text format from the models' `UtcDateTime`. With ours, a datetime bound
in hand-written SQL is stored exactly as the ORM stores it: naive UTC with microseconds.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import URL, Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "APPLICATION_NAME",
    "BEGIN_IMMEDIATE",
    "DatabaseUnavailable",
    "check_connection",
    "describe",
    "describe_url",
    "is_postgres",
    "is_sqlite",
    "make_engine",
    "make_session_factory",
    "write_transaction",
]

log = logging.getLogger("console.db")

APPLICATION_NAME: Final = "hall-console"
SQLITE_BUSY_TIMEOUT_MS: Final = 5000
PG_CONNECT_TIMEOUT_S: Final = 5

# Execution option: on SQLite, start this connection's transaction with BEGIN IMMEDIATE.
# A deferred transaction that reads and then writes fails at once with "database is locked"
# when another process committed in between (WAL snapshot), whatever the busy timeout;
# taking the write lock first makes it wait its turn instead. Ignored on PostgreSQL.
BEGIN_IMMEDIATE: Final = "hall_sqlite_begin_immediate"


class DatabaseUnavailable(Exception):  # noqa: N818 - the name the other layers catch
    """The database cannot be reached or opened: an environment failure, not a bug.

    Panels that depend on the database show a banner and retry; the message names the
    database (without password) and what the driver said.
    """

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


def make_engine(url: str | URL, *, password: str | None = None) -> Engine:
    """Create the engine for a SQLite file or a PostgreSQL server (`postgresql+psycopg://`).

    `password` comes from the OS keyring in hall mode and is never part of a stored URL.
    """
    parsed = make_url(url)
    if password is not None:
        parsed = parsed.set(password=password)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _make_sqlite_engine(parsed)
    if backend == "postgresql":
        return _make_postgres_engine(parsed)
    msg = f"unsupported database {describe_url(parsed)!r}: use sqlite:/// or postgresql+psycopg://"
    raise ValueError(msg)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit, for handing results to the GUI."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction that commits on success and takes the write lock first.

    Use it for use cases that read, check a rule and then write: on SQLite two processes then
    queue for the lock instead of one failing; on PostgreSQL it is a plain transaction.
    """
    with factory() as session, session.begin():
        session.connection(execution_options={BEGIN_IMMEDIATE: True})
        yield session


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def describe_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def describe(engine: Engine) -> str:
    """The engine's URL with the password hidden, for messages and logs."""
    return describe_url(engine.url)


def check_connection(engine: Engine) -> None:
    """Open one connection and run a trivial query; raise `DatabaseUnavailable` if that fails."""
    where = describe(engine)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except (exc.OperationalError, exc.InterfaceError) as error:
        reason = _driver_message(error)
        msg = f"Cannot reach the database {where}: {reason}"
        log.warning("%s", msg)
        raise DatabaseUnavailable(msg, url=where) from error


def _driver_message(error: exc.DBAPIError) -> str:
    """The driver's own words on one line, without SQLAlchemy's statement and links."""
    text = str(error.orig) if error.orig is not None else str(error)
    return re.sub(r"\s+", " ", text).strip() or type(error.orig).__name__


def _adapt_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", timespec="microseconds")


def _adapt_date(value: date) -> str:
    return value.isoformat()


def _set_wal(cursor: sqlite3.Cursor) -> None:
    """Switch to WAL, waiting like any other statement would. Changing the journal mode of a
    file another process is writing fails at once with "database is locked" (SQLite does not
    call the busy handler for it), which two seats starting together on a new file meet."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _make_sqlite_engine(url: URL) -> Engine:
    sqlite3.register_adapter(datetime, _adapt_datetime)
    sqlite3.register_adapter(date, _adapt_date)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite from issuing BEGIN (and from committing before DDL); see _on_begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            _set_wal(cursor)
            # Safe with WAL: a power cut may lose the last commits, never corrupt the file.
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(BEGIN_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _make_postgres_engine(url: URL) -> Engine:
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "application_name": APPLICATION_NAME,
            "connect_timeout": PG_CONNECT_TIMEOUT_S,
        },
    )
