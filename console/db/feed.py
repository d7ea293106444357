"""The change feed: every committed case event, from any process, delivered to every seat.

One interface, two engines. PostgreSQL pushes (a trigger on `case_events` calls `pg_notify`
inside the writing transaction, so the notice is delivered on commit and never for a rollback);
SQLite has no push, so the feed polls the event table by id. NOTIFY is not queued for a
listener that is disconnected (perf-baseline §9), so the PostgreSQL feed catches up with a query
on every (re)connect and, as a safety net, every `catch_up_every` seconds.

The feed runs its own thread and calls subscribers there; Qt adapters in `console/workers`
move the events onto the GUI thread.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, text

from console.db.models import CHANGE_FEED_CHANNEL

log = logging.getLogger("console.db")

CHANNEL = CHANGE_FEED_CHANNEL  # the trigger on `case_events` notifies here (migration 0001)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One committed case event: enough for a seat to refresh that case's row."""

    event_id: int
    case_id: int
    kind: str


class FeedState(StrEnum):
    STARTING = "starting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    LOST = "lost"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """What the status bar shows: the link state and how fresh the data is."""

    state: FeedState
    since: float  # time.time() when this state began
    last_event_at: float | None  # time.time() of the newest delivered event
    detail: str = ""


EventCallback = Callable[[FeedEvent], None]
StatusCallback = Callable[[FeedStatus], None]


class ChangeFeed(ABC):
    """Base of both engines: subscribers, status, the thread and a cooperative stop."""

    name = "feed"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._subscribers: list[EventCallback] = []
        self._status_subscribers: list[StatusCallback] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_id = 0
        self._recent: deque[int] = deque(maxlen=20_000)
        self._recent_set: set[int] = set()
        self._status = FeedStatus(FeedState.STOPPED, time.time(), None)
        self._started = threading.Event()

    # -- subscription -------------------------------------------------------------------------
    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call `callback` (on the feed thread) for every new event; returns an unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def on_status(self, callback: StatusCallback) -> Callable[[], None]:
        with self._lock:
            self._status_subscribers.append(callback)
            current = self._status
        callback(current)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._status_subscribers:
                    self._status_subscribers.remove(callback)

        return unsubscribe

    @property
    def status(self) -> FeedStatus:
        return self._status

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, *, from_event_id: int | None = None) -> None:
        """Start delivering events committed after `from_event_id` (default: from now on)."""
        if self._thread is not None:
            raise RuntimeError("feed already started")
        self._last_id = self._newest_event_id() if from_event_id is None else from_event_id
        self._set_status(FeedState.STARTING)
        self._thread = threading.Thread(target=self._run_guarded, name=self.name, daemon=True)
        self._thread.start()

    def wait_live(self, timeout: float = 5.0) -> bool:
        """Block until the feed is listening (tests and benchmarks need a known start)."""
        return self._started.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish and wait for it (bounded)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():  # pragma: no cover - would mean a hung driver call
                log.warning("%s did not stop within %.1f s", self.name, timeout)
        self._set_status(FeedState.STOPPED)

    # -- for the engines ----------------------------------------------------------------------
    def _run_guarded(self) -> None:
        try:
            self._run()
        except Exception:  # pragma: no cover - a bug, not an outage: log it loudly
            log.exception("%s crashed", self.name)
            self._set_status(FeedState.LOST, "internal error")

    @abstractmethod
    def _run(self) -> None:
        """The engine's loop: deliver events until `_stop` is set."""

    def _newest_event_id(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.execute(text("SELECT coalesce(max(id), 0) FROM case_events")).scalar_one()
            )

    def _fetch_since(self, conn: Any, after_id: int, limit: int = 5000) -> list[FeedEvent]:
        rows = conn.execute(
            text(
                "SELECT id, case_id, kind FROM case_events WHERE id > :after ORDER BY id LIMIT :lim"
            ),
            {"after": after_id, "lim": limit},
        ).all()
        return [FeedEvent(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def _deliver(self, events: Iterable[FeedEvent]) -> None:
        fresh = []
        for event in events:
            if event.event_id in self._recent_set:
                continue
            if len(self._recent) == self._recent.maxlen:
                self._recent_set.discard(self._recent[0])
            self._recent.append(event.event_id)
            self._recent_set.add(event.event_id)
            self._last_id = max(self._last_id, event.event_id)
            fresh.append(event)
        if not fresh:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for event in fresh:
            for callback in subscribers:
                try:
                    callback(event)
                except Exception:
                    log.exception("feed subscriber failed on %s", event)
        status = self._status
        self._status = FeedStatus(status.state, status.since, time.time(), status.detail)

    def _set_status(self, state: FeedState, detail: str = "") -> None:
        old = self._status
        if old.state == state and old.detail == detail:
            return
        self._status = FeedStatus(state, time.time(), old.last_event_at, detail)
        if state == FeedState.LIVE:
            self._started.set()
        with self._lock:
            callbacks = list(self._status_subscribers)
        for callback in callbacks:
            try:
                callback(self._status)
            except Exception:
                log.exception("feed status subscriber failed")


class SqlitePollingFeed(ChangeFeed):
    """SQLite: poll `case_events` by id. Ids are assigned under SQLite's single write lock, so
    they become visible in order and `id > last` misses nothing."""

    name = "sqlite-feed"

    def __init__(self, engine: Engine, *, interval: float = 0.2) -> None:
        super().__init__(engine)
        self.interval = interval

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                with self._engine.connect() as conn:
                    events = self._fetch_since(conn, self._last_id)
                    conn.rollback()
                failures = 0
                self._set_status(FeedState.LIVE)
                self._deliver(events)
                if len(events) >= 5000:
                    continue
            except Exception as exc:  # the file may be locked or gone; keep trying
                failures += 1
                self._set_status(
                    FeedState.RECONNECTING if failures < 10 else FeedState.LOST, str(exc)
                )
                log.warning("sqlite feed poll failed (%d): %s", failures, exc)
            self._stop.wait(self.interval)


class PostgresNotifyFeed(ChangeFeed):
    """PostgreSQL: LISTEN on `hall_events` with its own autocommit connection."""

    name = "pg-feed"

    def __init__(
        self,
        engine: Engine,
        *,
        catch_up_every: float = 30.0,
        max_backoff: float = 10.0,
        lost_after: float = 15.0,
    ) -> None:
        super().__init__(engine)
        self.catch_up_every = catch_up_every
        self.max_backoff = max_backoff
        self.lost_after = lost_after
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )

    def _run(self) -> None:
        import psycopg

        attempt = 0
        down_since: float | None = None
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    attempt, down_since = 0, None
                    self._catch_up()
                    self._set_status(FeedState.LIVE)
                    self._listen(conn)
            except psycopg.Error as exc:
                attempt += 1
                now = time.time()
                down_since = down_since or now
                lost = now - down_since > self.lost_after
                self._set_status(FeedState.LOST if lost else FeedState.RECONNECTING, str(exc))
                log.warning("change feed connection failed (attempt %d): %s", attempt, exc)
                delay = min(self.max_backoff, 0.25 * 2 ** min(attempt, 8))
                self._stop.wait(delay * random.uniform(0.5, 1.0))

    def _listen(self, conn: Any) -> None:
        next_catch_up = time.monotonic() + self.catch_up_every
        while not self._stop.is_set():
            # The generator yields each notice as it arrives and ends after `timeout`, which
            # bounds how long a stop request waits.
            for notice in conn.notifies(timeout=0.25):
                event = _parse_notice(notice.payload)
                if event is not None:
                    self._deliver((event,))
            if time.monotonic() >= next_catch_up:
                self._catch_up()
                next_catch_up = time.monotonic() + self.catch_up_every

    def _catch_up(self) -> None:
        # Sequence values are handed out before commit, so a slow writer can commit an id
        # below one already seen: look back over a window and let _deliver drop repeats.
        after = max(0, self._last_id - 1000)
        while True:
            with self._engine.connect() as conn:
                events = self._fetch_since(conn, after)
                conn.rollback()
            self._deliver(events)
            if len(events) < 5000:
                return
            after = events[-1].event_id


def _parse_notice(payload: str) -> FeedEvent | None:
    try:
        data = json.loads(payload)
        return FeedEvent(int(data["id"]), int(data["case_id"]), str(data["kind"]))
    except (ValueError, KeyError, TypeError):
        log.warning("ignored a malformed change notice: %r", payload[:200])
        return None


def open_feed(engine: Engine, **options: float) -> ChangeFeed:
    """The feed that fits the engine: push on PostgreSQL, polling on SQLite."""
    if engine.dialect.name == "postgresql":
        return PostgresNotifyFeed(engine, **options)
    return SqlitePollingFeed(engine, **options)
