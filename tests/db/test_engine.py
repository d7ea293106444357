"""Engine set-up: SQLite pragmas and transactions, PostgreSQL options, unreachable databases."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, exc, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import (
    DatabaseUnavailable,
    check_connection,
    describe,
    is_postgres,
    is_sqlite,
    make_engine,
    make_session_factory,
    write_transaction,
)
from console.db.models import Case, Organisation, User
from tests.conftest import postgres_only, sqlite_only
from tests.db.conftest import new_case

# ---------------------------------------------------------------- SQLite


@sqlite_only
def test_sqlite_pragmas_are_set_on_every_connection(engine: Engine) -> None:
    # Two connections at once: both come from the pool's connect hook, not from luck.
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
            assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL


@sqlite_only
def test_sqlite_reads_in_a_transaction_see_one_snapshot(engine: Engine) -> None:
    """pysqlite would not BEGIN before a SELECT; our own BEGIN makes reads repeatable."""
    factory = make_session_factory(engine)
    with factory() as reader, factory() as writer:
        count = select(func.count()).select_from(Case)
        assert reader.scalar(count) == 0
        with writer.begin():
            writer.add(new_case())
        assert reader.scalar(count) == 0
        reader.commit()
        assert reader.scalar(count) == 1


@sqlite_only
def test_sqlite_savepoints_work(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        session.add(new_case("KEEP"))
        savepoint = session.begin_nested()
        session.add(new_case("DROP"))
        session.flush()
        savepoint.rollback()
    with factory() as session:
        assert session.scalars(select(Case.case_no)).all() == ["KEEP"]


@sqlite_only
def test_sqlite_deferred_read_then_write_fails_without_write_transaction(
    engine: Engine,
) -> None:
    """Why `write_transaction` exists: a stale WAL snapshot cannot be upgraded to write."""
    factory = make_session_factory(engine)
    with factory() as setup, setup.begin():
        setup.add(new_case())
    with factory() as slow, factory() as fast:
        slow.scalars(select(Case)).one()  # deferred BEGIN: read snapshot taken here
        with fast.begin():
            fast.execute(update(Case).values(notes="fast"))
        started = time.monotonic()
        with pytest.raises(exc.OperationalError, match="locked"):
            slow.execute(update(Case).values(notes="slow"))
        assert time.monotonic() - started < 1  # the busy timeout cannot help here
        slow.rollback()


@sqlite_only
def test_write_transaction_waits_for_the_lock_then_sees_the_other_commit(
    engine: Engine,
) -> None:
    factory = make_session_factory(engine)
    with factory() as setup, setup.begin():
        setup.add(new_case())
    holding = threading.Event()
    release = threading.Event()

    def first_writer() -> None:
        with write_transaction(factory) as session:
            session.execute(update(Case).values(notes="first"))
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert holding.wait(5)
        threading.Timer(0.3, release.set).start()
        started = time.monotonic()
        with write_transaction(factory) as session:
            waited = time.monotonic() - started
            case = session.scalars(select(Case)).one()
            assert case.notes == "first"
            case.notes += ", second"
    finally:
        release.set()
        thread.join(5)
    assert 0.2 < waited < 4
    with factory() as session:
        assert session.scalars(select(Case.notes)).one() == "first, second"


def _claim(url: str, case_id: int, user_id: int, start: Any, results: Any) -> None:
    """One seat's claim in its own process: read the case, then take it if it is still free."""
    engine = make_engine(url)
    try:
        check_connection(engine)  # connect before the race, not during it
        start.wait(30)
        with write_transaction(make_session_factory(engine)) as session:
            free = session.scalar(select(Case.assignee_id).where(Case.id == case_id)) is None
            time.sleep(0.05)  # widen the window between the read and the write
            taken = (
                free
                and session.execute(
                    update(Case)
                    .where(Case.id == case_id, Case.assignee_id.is_(None))
                    .values(assignee_id=user_id, version=Case.version + 1)
                ).rowcount
                == 1
            )  # type: ignore[attr-defined]
        results.put((user_id, taken))
    except Exception as error:  # reported to the test, which fails on it
        results.put((user_id, repr(error)))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_claim_is_atomic_across_processes(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    seats = 4
    with session_factory() as session, session.begin():
        org = Organisation(kind="police", code="DYJJ", name_zh="交警支队", name_en="Police")
        session.add(org)
        session.flush()
        users = [
            User(org_id=org.id, username=f"u{i}", display_name=f"u{i}", password_hash="x")
            for i in range(seats)
        ]
        case = new_case()
        session.add_all([*users, case])
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(seats)
    results = context.Queue()
    processes = [
        context.Process(target=_claim, args=(db_url, case.id, user.id, start, results))
        for user in users
    ]
    for process in processes:
        process.start()
    try:
        outcomes = dict(results.get(timeout=60) for _ in processes)
    finally:
        for process in processes:
            process.join(10)
        results.close()
        results.join_thread()
    assert sorted(outcomes.values(), key=str) == [False, False, False, True], outcomes
    winner = next(user_id for user_id, won in outcomes.items() if won is True)
    with session_factory() as session:
        claimed = session.get_one(Case, case.id)
        assert (claimed.assignee_id, claimed.version) == (winner, 2)


# ---------------------------------------------------------------- both backends


def test_session_objects_stay_readable_after_commit(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session, session.begin():
        case = new_case()
        session.add(case)
    assert case.case_no == "C0001"  # would need a new query (and fail detached) if expired


def test_backend_predicates(engine: Engine) -> None:
    assert is_postgres(engine) != is_sqlite(engine)
    check_connection(engine)


@postgres_only
def test_postgres_connections_are_named(engine: Engine, request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("pg") is not None
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW application_name").scalar() == "hall-console"


# ---------------------------------------------------------------- URLs and failures


def test_password_is_added_but_never_shown() -> None:
    engine = make_engine("postgresql+psycopg://hall@db.example/hall", password="s3cret")
    try:
        assert engine.url.password == "s3cret"
        assert "s3cret" not in describe(engine)
    finally:
        engine.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        make_engine("mysql://root@localhost/hall")


def test_unreachable_postgres_raises_database_unavailable_quickly() -> None:
    engine = make_engine("postgresql+psycopg://hall@127.0.0.1:1/hall", password="s3cret")
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            check_connection(engine)
    finally:
        engine.dispose()
    assert time.monotonic() - started < 6
    message = str(raised.value)
    assert message.startswith("Cannot reach the database postgresql+psycopg://hall:***@127.0.0.1:1")
    assert "refused" in message.lower()
    assert "s3cret" not in message
    assert raised.value.url == "postgresql+psycopg://hall:***@127.0.0.1:1/hall"


def test_unopenable_sqlite_file_raises_database_unavailable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'no such folder' / 'hall.db'}")
    try:
        with pytest.raises(DatabaseUnavailable, match="unable to open database file"):
            check_connection(engine)
    finally:
        engine.dispose()
