"""The shared queue at 100,000 cases: first paint, sort, filter, and a burst of 1,000 change
events through the CoalescingApplier while a 10 ms precise timer watches the GUI thread.

Run: .venv/bin/python -m tests.benchmarks.bench_queue [--no-db] [--rows N]
     (offscreen; prints one JSON line; --no-db skips timing load_queue on a SQLite file)

Goals (issue 3): set_rows -> first paint < 1 s; no GUI stall over 50 ms while the burst is
applied; filtering 100k rows well under 100 ms of Python.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import json
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.benchmarks._support import percentile

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
ROADS = ["府前大街", "西四路", "胜兴路", "黄河路", "济南路", "淄博路", "南一路", "东三路", "运河路"]
DISTRICTS = ["东营区", "垦利区", "河口区", "广饶县", "利津县"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
# A hall's history: mostly finished cases, a working set of open ones.
STATE_WEIGHTS = {
    "closed": 55,
    "settled": 8,
    "claims_open": 6,
    "insurers_notified": 3,
    "determined": 4,
    "new": 3,
    "collecting": 3,
    "under_review": 8,
    "returned": 2,
    "evacuated": 2,
    "awaiting_determination": 3,
    "determining": 1,
    "escalated": 1,
    "offline_referred": 1,
}


def synthetic_rows(n: int, rng: random.Random) -> list[Any]:
    from console.domain.lifecycle import OWNER, CaseState
    from console.hall.queries import QueueRow

    states = [CaseState(s) for s in STATE_WEIGHTS]
    weights = list(STATE_WEIGHTS.values())
    users = {i: f"{SURNAMES[i % len(SURNAMES)]}警官{i}" for i in range(1, 41)}
    rows = []
    for case_id, state in enumerate(rng.choices(states, weights, k=n), start=1):
        rows.append(
            _row(
                rng,
                case_id=case_id,
                state=state,
                owner=OWNER[state],
                users=users,
                queue_row=QueueRow,
            )
        )
    return rows


def _row(
    rng: random.Random,
    *,
    case_id: int,
    state: Any,
    owner: Any,
    users: dict[int, str],
    queue_row: Any,
    version: int = 1,
    created: datetime | None = None,
    assignee: int | None = -1,
) -> Any:
    created = created or NOW - timedelta(seconds=rng.randint(60, 90 * 86400))
    since = created + timedelta(seconds=rng.randint(0, 3600))
    if assignee == -1:
        assignee = rng.choice([None, None, None, *range(1, 41)])
    plates = tuple(
        f"鲁E{rng.choice('ABCDFGHJK')}{rng.randint(1000, 9999)}" for _ in range(rng.randint(1, 2))
    )
    return queue_row.create(
        case_id=case_id,
        case_no=f"KC{created:%Y%m%d}{case_id:06d}",
        state=state,
        owner_position=owner,
        created_at=created,
        state_since=since,
        timer_started_at=since,
        assignee_id=assignee,
        assignee_name=users.get(assignee or 0),
        version=version,
        plates=plates,
        place=f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}与{rng.choice(ROADS)}路口",
        district=rng.choice(DISTRICTS),
        party_names=tuple(rng.choice(SURNAMES) + "某" for _ in plates),
        party_phones=tuple(f"13{rng.randint(100000000, 999999999)}" for _ in plates),
    )


def change_events(rows: list[Any], rng: random.Random, n: int) -> list[Any]:
    """A hall's busy minute: updates in place, new cases, and moves that leave the filter."""
    from console.domain.lifecycle import OWNER, CaseState
    from console.hall.queries import QueueRow

    users = {i: f"警官{i}" for i in range(1, 41)}
    reviewing = [r for r in rows if r.state is CaseState.UNDER_REVIEW and r.assignee_id is None]
    next_id = len(rows) + 1
    versions: dict[int, int] = {}
    events = []
    for i in range(n):
        kind = i % 10
        if kind < 3:  # a new case submitted for review: enters the reviewers' filter
            row = _row(
                rng,
                case_id=next_id,
                state=CaseState.UNDER_REVIEW,
                owner=OWNER[CaseState.UNDER_REVIEW],
                users=users,
                queue_row=QueueRow,
                created=NOW - timedelta(seconds=rng.randint(0, 600)),
                assignee=None,
            )
            next_id += 1
        else:
            old = rng.choice(reviewing)
            version = versions.get(old.case_id, old.version) + 1
            versions[old.case_id] = version
            if kind < 6:  # approved (evacuated) or claimed: leaves the filter
                state = rng.choice([CaseState.EVACUATED, CaseState.UNDER_REVIEW])
                assignee = None if state is CaseState.EVACUATED else rng.randint(1, 40)
            else:  # edited in place (place, parties): same state, new version
                state, assignee = CaseState.UNDER_REVIEW, None
            row = QueueRow.create(
                case_id=old.case_id,
                case_no=old.case_no,
                state=state,
                owner_position=OWNER[state],
                created_at=old.created_at,
                state_since=NOW if state is not old.state else old.state_since,
                timer_started_at=NOW if state is not old.state else old.timer_started_at,
                assignee_id=assignee,
                assignee_name=users.get(assignee or 0),
                version=version,
                plates=old.plates,
                place=old.place + ("（已更正）" if kind >= 6 else ""),
                district=old.district,
                party_names=old.party_names,
                party_phones=old.party_phones,
            )
        events.append(row)
    return events


def time_load_queue(n: int) -> dict[str, float]:
    """Build a SQLite hall of n cases with two parties each by bulk insert; time load_queue."""
    from sqlalchemy import insert

    from console.db.engine import make_engine, make_session_factory
    from console.db.models import Case, Organisation, Party, User
    from console.hall.queries import load_queue
    from tests.benchmarks._support import throwaway_database

    rng = random.Random(7)
    with throwaway_database("sqlite") as url:
        engine = make_engine(url)
        started = time.perf_counter()
        with engine.begin() as conn:
            org = conn.execute(
                insert(Organisation).returning(Organisation.id),
                {"kind": "police", "code": "P", "name_zh": "交警", "name_en": "Police"},
            ).scalar_one()
            conn.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "org_id": org,
                        "username": f"u{i}",
                        "display_name": f"警官{i}",
                        "password_hash": "x",
                        "created_at": NOW,
                    }
                    for i in range(1, 41)
                ],
            )
            states = list(STATE_WEIGHTS)
            weights = list(STATE_WEIGHTS.values())
            for start in range(0, n, 20_000):
                count = min(20_000, n - start)
                cases = []
                parties = []
                for case_id in range(start + 1, start + count + 1):
                    created = NOW - timedelta(seconds=rng.randint(60, 90 * 86400))
                    state = rng.choices(states, weights)[0]
                    cases.append(
                        {
                            "id": case_id,
                            "case_no": f"KC{created:%Y%m%d}{case_id:06d}",
                            "state": state,
                            "owner_position": None,
                            "assignee_id": rng.choice([None, None, None, rng.randint(1, 40)]),
                            "created_at": created,
                            "updated_at": created,
                            "state_since": created,
                            "timer_started_at": created,
                            "occurred_at": created,
                            "place_text": f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}路口",
                            "district": rng.choice(DISTRICTS),
                            "source": "app",
                            "notes": "",
                        }
                    )
                    for letter in "AB":
                        parties.append(
                            {
                                "case_id": case_id,
                                "letter": letter,
                                "name": rng.choice(SURNAMES) + "某",
                                "phone": f"13{rng.randint(100000000, 999999999)}",
                                "plate_no": f"鲁E{rng.randint(10000, 99999)}",
                                "signature": "pending",
                                "damaged_parts": [],
                            }
                        )
                conn.execute(insert(Case), cases)
                conn.execute(insert(Party), parties)
        built = time.perf_counter() - started
        factory = make_session_factory(engine)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            rows = load_queue(factory)
            timings.append(time.perf_counter() - started)
        assert len(rows) == n
        engine.dispose()
    return {
        "db_build_s": round(built, 2),
        "load_queue_s": round(min(timings), 2),
        "load_queue_s_max": round(max(timings), 2),
    }


class StallWatch:
    """A 10 ms precise timer on the GUI thread; the gaps between its ticks are the stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks.clear()
        self._timer.start()

    def stop(self) -> dict[str, float]:
        self._timer.stop()
        gaps = [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        return {
            "max_gap_ms": round(max(gaps), 1) if gaps else float("nan"),
            "p99_gap_ms": round(percentile(gaps, 99), 1),
            "gaps_over_50ms": sum(1 for g in gaps if g > 50),
        }


def run(n: int, with_db: bool) -> dict[str, object]:
    from PySide6.QtCore import QEvent, QObject, Qt, Signal
    from PySide6.QtWidgets import QApplication

    from console.domain.positions import Position
    from console.hall.queries import FilterKind, QueueFilter
    from console.views.queue_model import CaseQueueModel, Column
    from console.views.queue_view import CaseQueueView

    app = QApplication.instance() or QApplication([])
    rng = random.Random(20261122)
    result: dict[str, object] = {"bench": "queue", "rows": n}

    started = time.perf_counter()
    rows = synthetic_rows(n, rng)
    result["build_rows_s"] = round(time.perf_counter() - started, 2)

    model = CaseQueueModel(now=NOW)
    view = CaseQueueView(model, position=Position.REVIEW, user_id=1)
    view.resize(1280, 800)
    view.show()
    app.processEvents()

    paints = [0]

    class PaintProbe(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    probe = PaintProbe()
    view.table.viewport().installEventFilter(probe)

    def until_painted(action: Callable[[], None]) -> tuple[float, float]:
        """(ms in the call, ms until the next paint of the table has finished)."""
        before = paints[0]
        t0 = time.perf_counter()
        action()
        t1 = time.perf_counter()
        while paints[0] == before:
            app.processEvents()
        return (t1 - t0) * 1000, (time.perf_counter() - t0) * 1000

    call_ms, paint_ms = until_painted(lambda: model.set_rows(rows))
    result["set_rows_ms"] = round(call_ms, 1)
    result["set_rows_to_first_paint_ms"] = round(paint_ms, 1)

    sorts = {}
    for column in (Column.PLACE, Column.CASE_NO, Column.STATE, Column.AGE, Column.TIMER):
        call_ms, paint_ms = until_painted(lambda c=column: model.sort(c))
        sorts[column.name.lower()] = (round(call_ms, 1), round(paint_ms, 1))
    call_ms, paint_ms = until_painted(
        lambda: model.sort(Column.TIMER, Qt.SortOrder.DescendingOrder)
    )
    sorts["timer_reversed"] = (round(call_ms, 1), round(paint_ms, 1))
    result["sort_ms_call_and_to_paint"] = sorts
    model.sort(Column.TIMER)

    filters = {
        "unclaimed_review": QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.REVIEW, 1),
        "mine": QueueFilter(FilterKind.MINE, Position.REVIEW, 1),
        "overdue": QueueFilter(FilterKind.OVERDUE),
        "search_plate": QueueFilter(FilterKind.ALL, search="鲁EA12"),
        "search_place_two_terms": QueueFilter(FilterKind.ALL, search="垦利区 黄河路"),
        "all": QueueFilter(FilterKind.ALL),
    }
    filter_ms = {}
    for name, queue_filter in filters.items():
        call_ms, paint_ms = until_painted(lambda f=queue_filter: model.set_filter(f))
        filter_ms[name] = (round(call_ms, 1), round(paint_ms, 1), model.rowCount())
    result["filter_ms_call_to_paint_rows"] = filter_ms

    # Ticks: ages and timers of the visible rows, once a second.
    tick_ms = []
    for second in range(1, 6):
        call_ms, paint_ms = until_painted(
            lambda s=second: model.tick(NOW + timedelta(seconds=s), rows=(0, 40))
        )
        tick_ms.append(paint_ms)
    result["tick_to_paint_ms_max"] = round(max(tick_ms), 1)

    # The bursts: 1,000 feed events each, delivered as queued signals from a feed thread.
    class Feed(QObject):
        delivered = Signal(object)

    watch = StallWatch()

    def feed_through_applier(events: list[Any], spread_s: float) -> dict[str, object]:
        feed = Feed()
        applies_before = view.applier.apply_count
        feed.delivered.connect(lambda row: view.applier.add((row,)))
        done = threading.Event()

        def emit_all() -> None:
            for i, row in enumerate(events):
                feed.delivered.emit(row)  # one queued signal per event, as the feed bridge does
                if spread_s and i % 10 == 9:
                    time.sleep(spread_s / 100)
            done.set()

        app.processEvents()
        watch.start()
        t0 = time.perf_counter()
        sender = threading.Thread(target=emit_all)
        sender.start()
        while not (done.is_set() and view.applier.pending_count == 0):
            app.processEvents()
        before = paints[0]
        while paints[0] == before:
            app.processEvents()
        applied_ms = (time.perf_counter() - t0) * 1000
        end = time.perf_counter() + 0.1
        while time.perf_counter() < end:
            app.processEvents()
        sender.join()
        stats = watch.stop()
        feed.delivered.disconnect()
        return {
            "events": len(events),
            "applies": view.applier.apply_count - applies_before,
            "first_event_to_painted_ms": round(applied_ms, 1),
            **stats,
            "visible_after": model.rowCount(),
        }

    stream = change_events(rows, rng, 3000)
    # Reviewers' view: unclaimed cases, most urgent first; claims and approvals leave it.
    view.set_seat(Position.REVIEW, 1)
    view.set_filter_kind(FilterKind.UNCLAIMED_FOR_POSITION)
    result["review_visible_before"] = model.rowCount()
    selected = model.case_at(5) or 0
    view.select_case(selected)
    result["review_burst"] = feed_through_applier(stream[:1000], 0.0)
    result["review_spread_1s"] = feed_through_applier(stream[1000:2000], 1.0)
    still_shown = model.row_for_case(selected) >= 0
    result["selection_followed_case"] = (not still_shown) or view.current_case() == selected
    # The whole hall (all 100k rows shown): every insert shifts a 100k list.
    view.set_filter_kind(FilterKind.ALL)
    view.select_case(selected)
    result["all_burst"] = feed_through_applier(stream[2000:], 0.0)
    result["all_selection_followed_case"] = view.current_case() == selected

    view.close()
    if with_db:
        result.update(time_load_queue(n))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-db", action="store_true", help="skip timing load_queue on SQLite")
    args = parser.parse_args()
    print(json.dumps(run(args.rows, not args.no_db), ensure_ascii=False))


if __name__ == "__main__":
    main()
