"""Rescue dispatch on SQLite and PostgreSQL: a request, the nearest free unit sent, the unit's
moves logged and its task following them, every write evented or audited and raising the
board's version; refusals with their codes and nothing written; and two seats dispatching at
the same moment never sending one unit twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import ColumnElement, Engine, func, make_url, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    AuditLogEntry,
    Base,
    CaseEvent,
    Organisation,
    RescueTask,
    RescueUnit,
    RescueUnitLog,
    User,
    UserPosition,
)
from console.db.org_roles import drop_org_role, provision_org_role
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.domain.rescue import TaskState, UnitState, UnitType
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.rescue import (
    Assignment,
    assign_nearest,
    assign_unit,
    board_version,
    cancel_request,
    request_rescue,
    rescue_board,
    set_unit_state,
    unit_log,
)
from tests.conftest import libpq_url, postgres_only
from tests.hall.conftest import Hall, bulk_cases

NOW = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 10:00 in Dongying
PLACE = (37.4340, 118.6750)  # 府前大街与西四路路口


def north(metres: float) -> float:
    return PLACE[0] + metres / 111_195


# Call sign -> (type, state, metres north of the place, or None: position unknown).
UNITS: dict[str, tuple[str, str, float | None]] = {
    "顺通清障01": ("tow", "available", 2000),
    "顺通清障02": ("tow", "en_route", 400),  # nearer, but busy
    "顺通清障03": ("tow", "available", 3500),
    "安达救援01": ("rescue", "available", 300),  # nearest, but no tow truck
    "安达清障04": ("tow", "available", None),
}


@dataclass
class Rescue:
    hall: Hall
    units: dict[str, int]
    seat: Actor  # the rescue seat

    @property
    def sf(self) -> sessionmaker[Session]:
        return self.hall.session_factory

    def __getitem__(self, name: str) -> Actor:
        return self.seat if name == "rescue" else self.hall[name]


@pytest.fixture
def rescue(hall: Hall) -> Rescue:
    with hall.session_factory() as session, session.begin():
        company = Organisation(
            kind="rescue", code="DYST", name_zh="东营顺通清障救援", name_en="Shuntong", active=True
        )
        session.add(company)
        session.flush()
        user = User(
            org_id=company.id,
            username="rescue",
            display_name="刘救援",
            password_hash="x",
            active=True,
            failed_logins=0,
            created_at=NOW,
        )
        session.add(user)
        session.flush()
        session.add(UserPosition(user_id=user.id, position=Position.RESCUE.value))
        units = {}
        for call_sign, (kind, state, metres) in UNITS.items():
            unit = RescueUnit(
                org_id=company.id,
                call_sign=call_sign,
                unit_type=kind,
                state=state,
                lat=north(metres) if metres is not None else None,
                lon=PLACE[1] if metres is not None else None,
                state_since=NOW - timedelta(hours=1),
            )
            session.add(unit)
            session.flush()
            units[call_sign] = unit.id
        seat = Actor(user.id, "刘救援", Position.RESCUE, "seat-rescue", company.id)
    return Rescue(hall, units, seat)


def a_case(r: Rescue, start: int = 0) -> int:
    (case_id,) = bulk_cases(r.sf, 1, CaseState.ESCALATED, start=start)
    return case_id


def ask(r: Rescue, case_id: int | None, *, who: str = "reception", **changes: Any) -> int:
    values: dict[str, Any] = {
        "case_id": case_id,
        "place_text": "东营区府前大街与西四路路口",
        "lat": PLACE[0],
        "lon": PLACE[1],
        "vehicle_desc": "鲁E12345 白色轿车，前轮脱落",
        "lane_blocked": True,
        "note": "占用最内侧车道",
        "now": NOW,
    }
    return request_rescue(r.sf, r[who], **(values | changes))


def count(r: Rescue, model: type[Base], *where: ColumnElement[bool]) -> int:
    with r.sf() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def task(r: Rescue, task_id: int) -> RescueTask:
    with r.sf() as session:
        row = session.get(RescueTask, task_id)
        assert row is not None
        return row


def unit_state(r: Rescue, call_sign: str) -> str:
    with r.sf() as session:
        return str(
            session.scalar(select(RescueUnit.state).where(RescueUnit.call_sign == call_sign))
        )


def events(r: Rescue, case_id: int) -> list[CaseEvent]:
    with r.sf() as session:
        return list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        )


def audits(r: Rescue) -> list[AuditLogEntry]:
    with r.sf() as session:
        return list(session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id)))


def snapshot(r: Rescue) -> tuple[int, ...]:
    """Everything a rescue write touches."""
    return (
        count(r, RescueTask),
        count(r, RescueTask, RescueTask.state != "requested"),
        count(r, RescueUnit, RescueUnit.state == "available"),
        count(r, RescueUnitLog),
        count(r, CaseEvent),
        count(r, AuditLogEntry),
        board_version(r.sf),
    )


def refused(r: Rescue, code: str, action: Callable[[], object]) -> RuleViolation:
    before = snapshot(r)
    with pytest.raises(RuleViolation) as caught:
        action()
    assert caught.value.code == code, caught.value
    assert snapshot(r) == before, "a refusal writes nothing"
    return caught.value


# ---------------------------------------------------------------- the run of a tow


def test_a_tow_from_request_to_the_unit_back_at_its_depot(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    versions = [board_version(r.sf)]
    task_id = ask(r, case_id)
    versions.append(board_version(r.sf))

    sent = assign_nearest(r.sf, r["rescue"], task_id, now=NOW + timedelta(minutes=2))
    assert (sent.task_id, sent.unit_id, sent.call_sign) == (
        task_id, r.units["顺通清障01"], "顺通清障01"
    )  # fmt: skip
    assert sent.distance_m == pytest.approx(2000, rel=1e-3)
    versions.append(board_version(r.sf))
    assert unit_state(r, "顺通清障01") == "dispatched"
    assert task(r, task_id).state == "assigned"

    unit = r.units["顺通清障01"]
    moves = [
        (UnitState.EN_ROUTE, 3, TaskState.ASSIGNED),
        (UnitState.ON_SCENE, 21, TaskState.ARRIVED),
        (UnitState.TOWING, 30, TaskState.ARRIVED),
        (UnitState.BACK, 55, TaskState.FINISHED),
    ]
    for state, minute, task_state in moves:
        lat, lon = PLACE if state is UnitState.ON_SCENE else (None, None)
        moved = set_unit_state(
            r.sf, r["rescue"], unit, state, lat=lat, lon=lon, now=NOW + timedelta(minutes=minute)
        )
        assert (moved.to_state, moved.task_id, moved.task_state, moved.case_id) == (
            state, task_id, task_state, case_id
        )  # fmt: skip
        versions.append(board_version(r.sf))
    home = set_unit_state(
        r.sf, r["rescue"], unit, UnitState.AVAILABLE, lat=north(2000), lon=PLACE[1],
        now=NOW + timedelta(minutes=80),
    )  # fmt: skip
    assert (home.from_state, home.task_id, home.task_state) == (UnitState.BACK, None, None)
    versions.append(board_version(r.sf))
    assert versions == sorted(set(versions)), "every write raises the board's version"

    done = task(r, task_id)
    assert done.state == "finished"
    assert done.assigned_at == NOW + timedelta(minutes=2)
    assert done.arrived_at == NOW + timedelta(minutes=21)
    assert done.finished_at == NOW + timedelta(minutes=55)
    assert (done.requested_position, done.lane_blocked, done.note) == (
        "reception", True, "占用最内侧车道"
    )  # fmt: skip

    kinds = [e.kind for e in events(r, case_id)]
    assert kinds[-6:] == [
        "rescue_requested",
        "rescue_assigned",
        "rescue_en_route",
        "rescue_arrived",
        "rescue_towing",
        "rescue_finished",
    ]
    arrived = next(e for e in events(r, case_id) if e.kind == "rescue_arrived")
    assert (arrived.position, arrived.seat) == ("rescue", "seat-rescue")
    assert arrived.details["waited_s"] == 21 * 60
    assert arrived.details["task_id"] == task_id
    assert audits(r) == [], "a task of a case is on the case's timeline, not in the audit log"

    log = unit_log(r.sf, unit)
    assert [(e.from_state, e.to_state) for e in reversed(log)] == [
        (UnitState.AVAILABLE, UnitState.DISPATCHED),
        (UnitState.DISPATCHED, UnitState.EN_ROUTE),
        (UnitState.EN_ROUTE, UnitState.ON_SCENE),
        (UnitState.ON_SCENE, UnitState.TOWING),
        (UnitState.TOWING, UnitState.BACK),
        (UnitState.BACK, UnitState.AVAILABLE),
    ]
    assert [e.at for e in reversed(log)] == [
        NOW + timedelta(minutes=m) for m in (2, 3, 21, 30, 55, 80)
    ]
    assert {e.task_id for e in log[1:]} == {task_id} and log[0].task_id is None
    assert {(e.actor_name, e.seat) for e in log} == {("刘救援", "seat-rescue")}
    assert (log[3].lat, log[3].lon) == PLACE, "where the unit said it was"
    assert [e.id for e in unit_log(r.sf, unit, limit=2)] == [log[0].id, log[1].id]


def test_a_request_of_no_case_is_audited(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None, who="patrol", lane_blocked=False, note="")
    assign_unit(r.sf, r["supervisor"], task_id, r.units["顺通清障03"], now=NOW)
    cancel_request(r.sf, r["patrol"], task_id, "车辆已自行驶离", now=NOW + timedelta(minutes=5))
    entries = audits(r)
    assert [(a.action, a.target, a.position) for a in entries] == [
        ("rescue_requested", f"rescue_task:{task_id}", "patrol"),
        ("rescue_assigned", f"rescue_task:{task_id}", "supervisor"),
        ("rescue_cancelled", f"rescue_task:{task_id}", "patrol"),
    ]
    assert entries[2].details["reason"] == "车辆已自行驶离"
    assert count(r, CaseEvent) == 0


def test_the_nearest_is_any_free_unit_when_no_type_is_preferred(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None)
    sent = assign_nearest(r.sf, r["rescue"], task_id, prefer_type=None, now=NOW)
    assert sent.call_sign == "安达救援01"
    assert sent.distance_m == pytest.approx(300, rel=1e-3)


def test_on_scene_with_nothing_to_tow_goes_back_and_finishes(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    task_id = ask(r, case_id)
    unit = assign_nearest(r.sf, r["rescue"], task_id, now=NOW).unit_id
    for state in (UnitState.EN_ROUTE, UnitState.ON_SCENE, UnitState.BACK):
        set_unit_state(r.sf, r["rescue"], unit, state, now=NOW + timedelta(minutes=10))
    assert task(r, task_id).state == "finished"
    assert events(r, case_id)[-1].kind == "rescue_finished"


def test_a_recalled_unit_leaves_the_request_waiting_for_another(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    task_id = ask(r, case_id)
    first = assign_nearest(r.sf, r["rescue"], task_id, now=NOW)
    set_unit_state(r.sf, r["rescue"], first.unit_id, UnitState.EN_ROUTE, now=NOW)
    moved = set_unit_state(r.sf, r["rescue"], first.unit_id, UnitState.AVAILABLE, now=NOW)
    assert moved.task_state is TaskState.REQUESTED
    waiting = task(r, task_id)
    assert (waiting.state, waiting.unit_id, waiting.assigned_at) == ("requested", None, None)
    second = assign_nearest(r.sf, r["rescue"], task_id, now=NOW + timedelta(minutes=1))
    assert second.call_sign == "顺通清障01", "the recalled unit is free again, and nearest"
    assert events(r, case_id)[-2].kind == "rescue_released"


def test_a_position_report_moves_the_unit_on_the_board_only(rescue: Rescue) -> None:
    r = rescue
    unit = r.units["顺通清障03"]
    moved = set_unit_state(
        r.sf, r["rescue"], unit, UnitState.AVAILABLE, lat=north(100), lon=PLACE[1], now=NOW
    )
    assert (moved.from_state, moved.to_state) == (UnitState.AVAILABLE, UnitState.AVAILABLE)
    (entry,) = unit_log(r.sf, unit)
    assert (entry.from_state, entry.to_state, entry.lat) == ("available", "available", north(100))
    board = rescue_board(r.sf, r["rescue"], now=NOW)
    row = next(u for u in board.units if u.id == unit)
    assert row.state_since == NOW - timedelta(hours=1), "the state did not change"
    assert row.lat == north(100)
    task_id = ask(r, None)
    assert assign_nearest(r.sf, r["rescue"], task_id, now=NOW).call_sign == "顺通清障03"


# ---------------------------------------------------------------- cancelling


def test_cancelling_frees_the_unit_on_its_way(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    task_id = ask(r, case_id)
    sent = assign_nearest(r.sf, r["rescue"], task_id, now=NOW)
    set_unit_state(r.sf, r["rescue"], sent.unit_id, UnitState.EN_ROUTE, now=NOW)
    done = cancel_request(r.sf, r["reception"], task_id, "  当事人已将车移至路边  ", now=NOW)
    assert (done.task_id, done.case_id, done.freed_unit_id) == (task_id, case_id, sent.unit_id)
    assert unit_state(r, sent.call_sign) == "available"
    row = task(r, task_id)
    assert (row.state, row.cancel_reason, row.cancelled_at) == (
        "cancelled", "当事人已将车移至路边", NOW
    )  # fmt: skip
    last = events(r, case_id)[-1]
    assert (last.kind, last.reason, last.details["call_sign"]) == (
        "rescue_cancelled", "当事人已将车移至路边", sent.call_sign
    )  # fmt: skip
    assert unit_log(r.sf, sent.unit_id)[0].to_state is UnitState.AVAILABLE
    # The case may ask again now.
    assert ask(r, case_id) > task_id


def test_a_request_no_unit_was_sent_to_is_cancelled_alone(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None)
    assert cancel_request(r.sf, r["rescue"], task_id, "重复报警", now=NOW).freed_unit_id is None
    assert count(r, RescueUnitLog) == 0


def test_what_cannot_be_cancelled(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None)
    refused(r, "rescue.reason_required", lambda: cancel_request(r.sf, r["rescue"], task_id, " "))
    refused(
        r,
        "rescue.reason_too_long",
        lambda: cancel_request(r.sf, r["rescue"], task_id, "因" * 2001),
    )
    unit = assign_nearest(r.sf, r["rescue"], task_id, now=NOW).unit_id
    set_unit_state(r.sf, r["rescue"], unit, UnitState.EN_ROUTE, now=NOW)
    set_unit_state(r.sf, r["rescue"], unit, UnitState.ON_SCENE, now=NOW)
    refused(r, "rescue.cannot_cancel", lambda: cancel_request(r.sf, r["rescue"], task_id, "x"))
    refused(r, "rescue.task_not_found", lambda: cancel_request(r.sf, r["rescue"], 9999, "x"))


# ---------------------------------------------------------------- refusals


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"place_text": "  "}, "rescue.place_required"),
    ({"place_text": "路" * 256}, "rescue.place_too_long"),
    ({"vehicle_desc": ""}, "rescue.vehicle_required"),
    ({"vehicle_desc": "车" * 256}, "rescue.vehicle_too_long"),
    ({"note": "备" * 2001}, "rescue.note_too_long"),
    ({"lat": None}, "rescue.half_coordinates"),
    ({"lat": 91.0}, "rescue.bad_coordinates"),
    ({"lon": float("nan")}, "rescue.bad_coordinates"),
    ({"case_id": 424242}, "case.not_found"),
]


def test_bad_requests_are_refused_and_nothing_written(rescue: Rescue) -> None:
    """One database for all of them: each refusal is checked to leave every table as it was."""
    for changes, code in BAD_REQUESTS:
        values = dict(changes)
        case_id = values.pop("case_id", None)
        refused(rescue, code, lambda: ask(rescue, case_id, **values))  # noqa: B023 - run at once


def test_a_place_without_coordinates_may_be_asked_for_and_chosen_a_unit(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None, lat=None, lon=None, place_text="东营港疏港路K12")
    error = refused(r, "rescue.no_position", lambda: assign_nearest(r.sf, r["rescue"], task_id))
    assert error.params == {"task_id": task_id}
    sent = assign_unit(r.sf, r["rescue"], task_id, r.units["安达清障04"], now=NOW)
    assert (sent.call_sign, sent.distance_m) == ("安达清障04", None)


def test_a_second_open_request_for_a_case_is_refused(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    first = ask(r, case_id)
    error = refused(r, "rescue.already_requested", lambda: ask(r, case_id, who="patrol"))
    assert error.params == {"case_no": "T00000000", "task_id": first}
    assign_nearest(r.sf, r["rescue"], first, now=NOW)
    refused(r, "rescue.already_requested", lambda: ask(r, case_id))
    assert ask(r, a_case(r, start=1)) > first, "another case may"


def test_no_free_unit_is_refused(rescue: Rescue) -> None:
    r = rescue
    for call_sign in ("顺通清障01", "顺通清障03", "安达救援01"):
        assign_unit(r.sf, r["rescue"], ask(r, None), r.units[call_sign], now=NOW)
    task_id = ask(r, None)
    error = refused(
        r, "rescue.no_unit_available", lambda: assign_nearest(r.sf, r["rescue"], task_id)
    )
    assert error.params == {"task_id": task_id}


def test_assigning_what_cannot_be_assigned(rescue: Rescue) -> None:
    r = rescue
    task_id = ask(r, None)
    busy = r.units["顺通清障02"]
    error = refused(r, "rescue.unit_busy", lambda: assign_unit(r.sf, r["rescue"], task_id, busy))
    assert error.params == {"call_sign": "顺通清障02"}
    refused(r, "rescue.unit_not_found", lambda: assign_unit(r.sf, r["rescue"], task_id, 9999))
    refused(r, "rescue.task_not_found", lambda: assign_nearest(r.sf, r["rescue"], 9999))
    assign_nearest(r.sf, r["rescue"], task_id, now=NOW)
    refused(r, "rescue.task_not_waiting", lambda: assign_nearest(r.sf, r["supervisor"], task_id))
    other = r.units["顺通清障03"]
    refused(r, "rescue.task_not_waiting", lambda: assign_unit(r.sf, r["rescue"], task_id, other))


def test_moves_that_are_not_allowed(rescue: Rescue) -> None:
    r = rescue
    free = r.units["顺通清障01"]
    error = refused(
        r, "rescue.bad_move", lambda: set_unit_state(r.sf, r["rescue"], free, UnitState.ON_SCENE)
    )
    assert error.params == {
        "call_sign": "顺通清障01",
        "current": "available",
        "requested": "on_scene",
    }
    refused(
        r, "rescue.bad_move", lambda: set_unit_state(r.sf, r["rescue"], free, UnitState.AVAILABLE)
    )
    refused(
        r,
        "rescue.dispatch_by_assigning",
        lambda: set_unit_state(r.sf, r["rescue"], free, UnitState.DISPATCHED),
    )
    refused(
        r,
        "rescue.half_coordinates",
        lambda: set_unit_state(r.sf, r["rescue"], free, UnitState.AVAILABLE, lat=37.0),
    )
    refused(
        r,
        "rescue.unit_not_found",
        lambda: set_unit_state(r.sf, r["rescue"], 9999, UnitState.EN_ROUTE),
    )
    with pytest.raises(NotFound):
        unit_log(r.sf, 9999)


def test_who_may_do_what(rescue: Rescue) -> None:
    r = rescue
    for who in ("reception", "review", "patrol", "rescue", "supervisor"):
        cancel_request(r.sf, r[who], ask(r, None, who=who), "测试", now=NOW)
    for who in ("claims", "officer", "lookup"):
        refused(r, "permission.denied", partial(ask, r, None, who=who))
    task_id = ask(r, None)
    busy = r.units["顺通清障02"]
    for who in ("reception", "review", "patrol", "claims", "officer", "lookup"):
        refused(r, "permission.denied", partial(assign_nearest, r.sf, r[who], task_id))
        refused(
            r,
            "permission.denied",
            partial(set_unit_state, r.sf, r[who], busy, UnitState.ON_SCENE),
        )
    refused(r, "permission.denied", lambda: cancel_request(r.sf, r["claims"], task_id, "x"))
    with pytest.raises(PermissionDenied) as denied:
        rescue_board(r.sf, r["claims"])
    assert denied.value.params == {"position": "claims", "action": "view_rescue_board"}
    assert rescue_board(r.sf, r["lookup"], now=NOW).tasks


# ---------------------------------------------------------------- the board


def test_the_board_shows_the_units_and_the_tasks_of_the_last_twelve_hours(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    old = ask(r, None, now=NOW - timedelta(hours=20))
    assign_unit(r.sf, r["rescue"], old, r.units["顺通清障03"], now=NOW - timedelta(hours=20))
    for state in (UnitState.EN_ROUTE, UnitState.ON_SCENE, UnitState.BACK, UnitState.AVAILABLE):
        set_unit_state(
            r.sf, r["rescue"], r.units["顺通清障03"], state, now=NOW - timedelta(hours=19)
        )
    finished = ask(r, None, now=NOW - timedelta(hours=3))
    assign_unit(r.sf, r["rescue"], finished, r.units["顺通清障03"], now=NOW - timedelta(hours=3))
    for state in (UnitState.EN_ROUTE, UnitState.ON_SCENE, UnitState.BACK):
        set_unit_state(
            r.sf, r["rescue"], r.units["顺通清障03"], state, now=NOW - timedelta(hours=2)
        )
    cancelled = ask(r, None, now=NOW - timedelta(hours=1))
    cancel_request(r.sf, r["rescue"], cancelled, "误报", now=NOW - timedelta(minutes=50))
    waiting_long = ask(r, None, who="review", now=NOW - timedelta(hours=30), lane_blocked=False)
    working = ask(r, case_id, now=NOW - timedelta(minutes=10))
    sent = assign_nearest(r.sf, r["rescue"], working, now=NOW - timedelta(minutes=8))

    version = board_version(r.sf)
    board = rescue_board(r.sf, r["rescue"], now=NOW)
    assert (board.version, board.as_of) == (version, NOW)
    assert [t.id for t in board.tasks] == [waiting_long, working, cancelled, finished]
    row = board.tasks[1]
    assert (row.case_id, row.case_no, row.state, row.unit_id, row.call_sign) == (
        case_id, "T00000000", TaskState.ASSIGNED, sent.unit_id, "顺通清障01"
    )  # fmt: skip
    assert (row.requested_by, row.requested_position, row.lane_blocked) == (
        "王接警", Position.RECEPTION, True
    )  # fmt: skip
    assert (row.assigned_at, row.arrived_at, row.finished_at) == (
        NOW - timedelta(minutes=8), None, None
    )  # fmt: skip
    first = board.tasks[0]
    assert (first.case_no, first.requested_position, first.lane_blocked) == (
        None,
        Position.REVIEW,
        False,
    )
    assert (board.tasks[2].state, board.tasks[2].cancel_reason) == (TaskState.CANCELLED, "误报")
    assert board.tasks[3].state is TaskState.FINISHED

    assert [u.call_sign for u in board.units] == sorted(UNITS)
    by_sign = {u.call_sign: u for u in board.units}
    assert by_sign["顺通清障01"].task_id == working
    assert by_sign["顺通清障01"].state is UnitState.DISPATCHED
    assert by_sign["顺通清障01"].state_since == NOW - timedelta(minutes=8)
    assert by_sign["顺通清障03"].state is UnitState.BACK and by_sign["顺通清障03"].task_id is None
    assert by_sign["安达救援01"].unit_type is UnitType.RESCUE
    assert by_sign["安达清障04"].lat is None
    assert {u.company for u in board.units} == {"东营顺通清障救援"}

    later = rescue_board(r.sf, r["rescue"], now=NOW + timedelta(hours=13))
    assert [t.id for t in later.tasks] == [waiting_long, working], "closed ones age off"
    assert board_version(r.sf) == version, "reading changes nothing"


# ---------------------------------------------------------------- two seats at once


@postgres_only
def test_two_seats_dispatching_at_once_send_different_units(rescue: Rescue) -> None:
    r = rescue
    tasks = [ask(r, None), ask(r, None, place_text="府前大街东段")]
    barrier = threading.Barrier(2)
    sent: list[Assignment] = []
    failures: list[BaseException] = []

    def seat(actor: Actor, task_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            sent.append(assign_nearest(r.sf, actor, task_id, now=NOW))
        except BaseException as error:  # reported to the test thread below
            failures.append(error)

    threads = [
        threading.Thread(target=seat, args=(actor, t))
        for actor, t in zip((r["rescue"], r["supervisor"]), tasks, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not failures
    assert sorted(a.call_sign for a in sent) == ["顺通清障01", "顺通清障03"]
    assert count(r, RescueUnitLog, RescueUnitLog.to_state == "dispatched") == 2
    assert {task(r, t).unit_id for t in tasks} == {a.unit_id for a in sent}


@postgres_only
def test_a_unit_taken_by_another_seat_mid_dispatch_is_passed_for_the_next(
    rescue: Rescue,
) -> None:
    """The other seat has dispatched the nearest unit and not committed yet: this seat's take
    waits for it, finds the unit gone, and sends the next-nearest instead."""
    r = rescue
    task_id = ask(r, None)
    result: list[Assignment] = []
    failures: list[BaseException] = []

    def seat() -> None:
        try:
            result.append(assign_nearest(r.sf, r["rescue"], task_id, now=NOW))
        except BaseException as error:  # reported to the test thread below
            failures.append(error)

    with r.sf() as other, other.begin():
        other.execute(
            update(RescueUnit)
            .where(RescueUnit.call_sign == "顺通清障01")
            .values(state="dispatched", state_since=NOW)
        )
        thread = threading.Thread(target=seat)
        thread.start()
        _wait_for_a_lock_wait(r)
    thread.join(timeout=30)
    assert not failures
    assert [a.call_sign for a in result] == ["顺通清障03"]


def _wait_for_a_lock_wait(r: Rescue) -> None:
    deadline = time.monotonic() + 10
    with r.sf() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            if waiting:
                return
            watcher.rollback()  # pg_stat_activity is a snapshot per transaction
            time.sleep(0.02)
    pytest.fail("the second seat never waited for the first's unit")


@postgres_only
def test_two_seats_asking_for_one_case_at_once_make_one_request(rescue: Rescue) -> None:
    r = rescue
    case_id = a_case(r)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def seat(who: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(ask(r, case_id, who=who))
        except RuleViolation as error:
            outcomes.append(error.code)
        except BaseException as error:  # reported to the test thread below
            outcomes.append(error)

    threads = [threading.Thread(target=seat, args=(w,)) for w in ("reception", "patrol")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    made = [o for o in outcomes if isinstance(o, int)]
    assert (len(made), [o for o in outcomes if not isinstance(o, int)]) == (
        1, ["rescue.already_requested"]
    )  # fmt: skip
    assert count(r, RescueTask, RescueTask.case_id == case_id) == 1


# ---------------------------------------------------------------- an insurer's seat


@postgres_only
def test_an_insurers_seat_reads_no_unit_log(rescue: Rescue, engine: Engine, db_url: str) -> None:
    """No privilege on the log (as on the units); and should one be granted by mistake, the
    row-level policy still shows only the log of tasks of its own cases."""
    r = rescue
    task_id = ask(r, None)
    assign_nearest(r.sf, r["rescue"], task_id, now=NOW)
    made = provision_org_role(engine, r.hall.insurer_id)
    try:
        url = make_url(db_url).set(username=made.role).render_as_string(hide_password=False)
        with psycopg.connect(libpq_url(url), password=made.password) as conn:
            with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
                conn.execute("SELECT count(*) FROM rescue_unit_log")
            with engine.begin() as admin:
                group = admin.execute(text("SELECT hall_insurer_group()")).scalar_one()
                admin.execute(text(f'GRANT SELECT ON rescue_unit_log TO "{group}"'))
            assert conn.execute("SELECT count(*) FROM rescue_unit_log").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM rescue_tasks").fetchone() == (0,)
    finally:
        _drop_role(engine, r.hall.insurer_id, made.role)
    assert count(r, RescueUnitLog) == 1


def _drop_role(engine: Engine, org_id: int, role: str) -> None:
    deadline = time.monotonic() + 10
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            left = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE usename = :role"),
                {"role": role},
            ).scalar_one()
            if not left:
                break
            conn.rollback()  # pg_stat_activity is a snapshot per transaction
            time.sleep(0.05)
    drop_org_role(engine, org_id)
