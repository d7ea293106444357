"""The change feed: a commit in one process reaches a subscriber in another."""

from __future__ import annotations

import multiprocessing
import queue
import time
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedEvent, FeedState, FeedStatus, open_feed
from console.hall.cases import NewCase, create_case
from tests.conftest import postgres_only
from tests.hall.conftest import Hall, open_case_in_another_process


def _collect(feed_events: queue.Queue[FeedEvent], case_id: int, timeout: float) -> FeedEvent:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = feed_events.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if event.case_id == case_id:
            return event
    raise AssertionError(f"no event for case {case_id} within {timeout} s")


def test_a_case_opened_in_another_process_reaches_the_subscriber(
    hall: Hall, engine: Engine, db_url: str
) -> None:
    feed = open_feed(engine)
    got: queue.Queue[FeedEvent] = queue.Queue()
    feed.subscribe(got.put)
    feed.start()
    try:
        assert feed.wait_live(5)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            case_id = pool.apply(open_case_in_another_process, (db_url, hall["reception"].user_id))
        event = _collect(got, case_id, timeout=2.0)
        assert event.kind == "created"
    finally:
        feed.stop()
    assert feed.status.state is FeedState.STOPPED


def test_a_rolled_back_event_is_never_delivered(
    hall: Hall, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    feed = open_feed(engine)
    got: queue.Queue[FeedEvent] = queue.Queue()
    feed.subscribe(got.put)
    feed.start()
    try:
        assert feed.wait_live(5)
        made = create_case(
            session_factory,
            hall["reception"],
            NewCase(source="call", occurred_at=datetime.now(UTC), place_text="西四路"),
        )
        _collect(got, made.case_id, timeout=2.0)
        with session_factory() as session:
            session.execute(
                text(
                    "INSERT INTO case_events (case_id, kind, at, details) "
                    "VALUES (:c, 'edited', :at, '{}')"
                ),
                {"c": made.case_id, "at": datetime.now(UTC)},
            )
            session.rollback()
        time.sleep(0.6)  # three SQLite poll periods; NOTIFY would have arrived in ~1 ms
        assert got.empty()
    finally:
        feed.stop()


@postgres_only
def test_the_postgres_feed_reconnects_by_itself_and_catches_up(
    hall: Hall, engine: Engine, db_url: str, session_factory: sessionmaker[Session]
) -> None:
    feed = open_feed(engine)
    got: queue.Queue[FeedEvent] = queue.Queue()
    states: list[FeedState] = []

    def on_status(status: FeedStatus) -> None:
        states.append(status.state)

    feed.on_status(on_status)
    feed.subscribe(got.put)
    feed.start()
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        assert feed.wait_live(5)
        with admin.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                )
            ).all()
        assert killed == [(True,)]
        # Written while the listener is down or reconnecting: NOTIFY alone would lose it.
        made = create_case(
            session_factory,
            hall["reception"],
            NewCase(source="call", occurred_at=datetime.now(UTC), place_text="黄河路"),
        )
        event = _collect(got, made.case_id, timeout=10.0)
        assert event.kind == "created"
        deadline = time.monotonic() + 5
        while feed.status.state is not FeedState.LIVE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert FeedState.RECONNECTING in states
        assert feed.status.state is FeedState.LIVE
    finally:
        feed.stop()
        admin.dispose()
