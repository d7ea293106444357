"""Tow and rescue dispatch (事故救援, issue 9): a seat asks for a tow, the rescue seat sends the
nearest free unit, the unit's moves are logged and its task follows, and every seat's board
reloads when anything changed.

Who may do what (`permissions.Action`): the seats that meet a vehicle that cannot move —
reception, review, patrol — and the rescue seat and the supervisor request rescue and may call
a request off; the rescue seat and the supervisor dispatch and move units; every position but
an insurer's reads the board.

What is recorded: every change of a unit's state (and every position report) is a
`rescue_unit_log` row with who, seat, when and where. Every change of a task is a case event
(`rescue_requested`, `rescue_assigned`, `rescue_en_route`, `rescue_arrived`, `rescue_towing`,
`rescue_finished`, `rescue_released`, `rescue_cancelled`) when the task belongs to a case, so
the change feed brings it to every seat and the case's timeline shows it; an audit row of the
same name otherwise.

Two seats never get the same unit: a unit is taken by a conditional UPDATE that only an
available row passes. On PostgreSQL the second seat's UPDATE waits for the first's commit,
finds the unit dispatched, and the seat takes the next-nearest one instead; on SQLite the
write lock serialises the two. A task is locked before it is assigned, so two seats assigning
the same request give it one unit and the second is told it is no longer waiting.

The board's version is one row (`rescue_board`) that every write here raises last thing
before commit, so a seat polling `board_version` once a second reloads exactly when a change
it has not seen has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from console.db.models import (
    Case,
    Organisation,
    Party,
    RescueBoardVersion,
    RescueTask,
    RescueUnit,
    RescueUnitLog,
    User,
    Vehicle,
)
from console.domain.cameras import haversine_m
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.domain.rescue import (
    CANCELLABLE_TASK_STATES,
    OPEN_TASK_STATES,
    TaskState,
    UnitState,
    UnitType,
    can_move,
    rank_available,
    task_state_after,
)
from console.hall.actor import Actor
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory, record_audit, record_event, utcnow, write
from console.hall.permissions import Action, require

__all__ = [
    "RECENT",
    "Assignment",
    "RescueBoard",
    "RescueDraft",
    "TaskCancelled",
    "TaskRow",
    "UnitLogRow",
    "UnitMoved",
    "UnitRow",
    "assign_nearest",
    "assign_unit",
    "board_version",
    "cancel_request",
    "request_rescue",
    "rescue_board",
    "rescue_draft",
    "set_unit_state",
    "unit_log",
]

RECENT: Final = timedelta(hours=12)
"""How long a finished or cancelled task stays on the board."""

_SHORT_MAX: Final = 255  # place and vehicle: String(255) columns
_LONG_MAX: Final = 2000  # note and cancel reason

_WORKING_TASK_STATES: Final = (TaskState.ASSIGNED.value, TaskState.ARRIVED.value)
_OPEN_TASK_STATES: Final = tuple(sorted(s.value for s in OPEN_TASK_STATES))

# The case event (or audit action) a unit's move writes when it concerns a task.
_MOVE_EVENTS: Final[dict[UnitState, str]] = {
    UnitState.EN_ROUTE: "rescue_en_route",
    UnitState.ON_SCENE: "rescue_arrived",
    UnitState.TOWING: "rescue_towing",
    UnitState.BACK: "rescue_finished",
    UnitState.AVAILABLE: "rescue_released",
}


# ---------------------------------------------------------------- what changed / what is read


@dataclass(frozen=True, slots=True)
class Assignment:
    task_id: int
    unit_id: int
    call_sign: str
    distance_m: float | None
    """From the unit's last known position to the place; None when either is unknown."""


@dataclass(frozen=True, slots=True)
class UnitMoved:
    unit_id: int
    call_sign: str
    from_state: UnitState
    to_state: UnitState
    task_id: int | None
    """The task the unit was working on, if any."""
    task_state: TaskState | None
    """That task's state after the move."""
    case_id: int | None


@dataclass(frozen=True, slots=True)
class TaskCancelled:
    task_id: int
    case_id: int | None
    freed_unit_id: int | None
    """The unit that was on its way and is available again."""


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: int
    call_sign: str
    company: str
    unit_type: UnitType
    state: UnitState
    state_since: datetime
    lat: float | None
    lon: float | None
    task_id: int | None
    """The task the unit is working on (assigned or arrived), if any."""


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: int
    case_id: int | None
    case_no: str | None
    place_text: str
    lat: float | None
    lon: float | None
    vehicle_desc: str
    lane_blocked: bool
    note: str
    state: TaskState
    requested_at: datetime
    requested_by: str
    """The display name of who asked."""
    requested_position: Position | None
    unit_id: int | None
    call_sign: str | None
    assigned_at: datetime | None
    arrived_at: datetime | None
    finished_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None


@dataclass(frozen=True, slots=True)
class RescueBoard:
    units: list[UnitRow]
    """Every unit, by call sign."""
    tasks: list[TaskRow]
    """Open tasks, oldest request first, then those finished or cancelled within `RECENT`,
    most recently closed first."""
    version: int
    """`board_version` as it was before the rows were read: poll for a different number."""
    as_of: datetime


@dataclass(frozen=True, slots=True)
class UnitLogRow:
    id: int
    unit_id: int
    task_id: int | None
    from_state: UnitState
    to_state: UnitState
    at: datetime
    actor_id: int | None
    actor_name: str | None
    seat: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class _Candidate:
    """An available unit as ranking sees it (`console.domain.rescue.BoardUnit`)."""

    id: int
    call_sign: str
    unit_type: str
    state: str
    lat: float | None
    lon: float | None


# ---------------------------------------------------------------- checks


def _text(value: str, *, empty: str, too_long: str, what: str, limit: int) -> str:
    """The codes are spelled out at each call, so the translation check finds them."""
    text = value.strip()
    if not text and empty:
        raise RuleViolation(empty, f"The {what} must not be empty")
    if len(text) > limit:
        raise RuleViolation(
            too_long,
            f"The {what} is {len(text)} characters; at most {limit} fit",
            length=len(text),
            limit=limit,
        )
    return text


def _check_coordinates(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise RuleViolation(
            "rescue.half_coordinates", "Give both latitude and longitude, or neither"
        )
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RuleViolation(
            "rescue.bad_coordinates",
            f"Coordinates {lat}, {lon} are outside the valid range",
            lat=lat,
            lon=lon,
        )


# ---------------------------------------------------------------- writing


def _record(
    session: Session,
    actor: Actor,
    task: RescueTask,
    kind: str,
    at: datetime,
    *,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """A task's change: a case event when it has a case (every seat hears of it), else audit."""
    facts = {"task_id": task.id, **(details or {})}
    if task.case_id is not None:
        record_event(session, actor, task.case_id, kind, at=at, reason=reason, details=facts)
    else:
        if reason:
            facts["reason"] = reason
        record_audit(session, actor, kind, f"rescue_task:{task.id}", at=at, details=facts)


def _log(
    session: Session,
    actor: Actor,
    unit: RescueUnit | _Candidate,
    *,
    from_state: UnitState,
    to_state: UnitState,
    at: datetime,
    task_id: int | None,
) -> None:
    session.add(
        RescueUnitLog(
            unit_id=unit.id,
            task_id=task_id,
            from_state=from_state.value,
            to_state=to_state.value,
            at=at,
            actor_id=actor.user_id,
            seat=actor.seat,
            lat=unit.lat,
            lon=unit.lon,
        )
    )


def _bump(session: Session) -> None:
    """Raise the board's version; last in each write, so the row is locked only briefly."""
    raised = session.execute(
        update(RescueBoardVersion)
        .where(RescueBoardVersion.id == 1)
        .values(version=RescueBoardVersion.version + 1)
        .returning(RescueBoardVersion.version)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if raised is None:  # a database whose row was removed by hand
        session.add(RescueBoardVersion(id=1, version=1))
        session.flush()


def _locked_task(session: Session, task_id: int) -> RescueTask:
    task = session.scalar(
        select(RescueTask)
        .where(RescueTask.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if task is None:
        raise NotFound(
            "rescue.task_not_found", f"Rescue request {task_id} does not exist", task_id=task_id
        )
    return task


def _locked_unit(session: Session, unit_id: int) -> RescueUnit:
    unit = session.scalar(
        select(RescueUnit)
        .where(RescueUnit.id == unit_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if unit is None:
        raise NotFound(
            "rescue.unit_not_found", f"Rescue unit {unit_id} does not exist", unit_id=unit_id
        )
    return unit


def _waiting_task(session: Session, task_id: int) -> RescueTask:
    """The task, locked, if it still waits for a unit."""
    task = _locked_task(session, task_id)
    if task.state != TaskState.REQUESTED:
        raise RuleViolation(
            "rescue.task_not_waiting",
            f"Rescue request {task_id} is {task.state} and no longer waits for a unit",
            task_id=task_id,
        )
    return task


def _take(session: Session, unit_id: int, at: datetime) -> bool:
    """Dispatch the unit if it is still available; False when another seat took it first."""
    taken = session.execute(
        update(RescueUnit)
        .where(RescueUnit.id == unit_id, RescueUnit.state == UnitState.AVAILABLE.value)
        .values(state=UnitState.DISPATCHED.value, state_since=at)
        .returning(RescueUnit.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return taken is not None


def _assigned(
    session: Session,
    actor: Actor,
    task: RescueTask,
    unit: RescueUnit | _Candidate,
    *,
    distance_m: float | None,
    at: datetime,
) -> Assignment:
    task.unit_id = unit.id
    task.state = TaskState.ASSIGNED.value
    task.assigned_at = at
    _log(
        session,
        actor,
        unit,
        from_state=UnitState.AVAILABLE,
        to_state=UnitState.DISPATCHED,
        at=at,
        task_id=task.id,
    )
    details: dict[str, Any] = {"unit_id": unit.id, "call_sign": unit.call_sign}
    if distance_m is not None:
        details["distance_m"] = round(distance_m)
    _record(session, actor, task, "rescue_assigned", at, details=details)
    _bump(session)
    return Assignment(task.id, unit.id, unit.call_sign, distance_m)


def request_rescue(
    session_factory: SessionFactory,
    actor: Actor,
    *,
    case_id: int | None,
    place_text: str,
    lat: float | None,
    lon: float | None,
    vehicle_desc: str,
    lane_blocked: bool,
    note: str = "",
    now: datetime | None = None,
) -> int:
    """Ask for a tow or rescue at a place; the new task's id. A case has at most one open
    request: a second while the first is waiting, assigned or on scene is refused."""
    require(actor, Action.REQUEST_RESCUE)
    place = _text(
        place_text,
        empty="rescue.place_required",
        too_long="rescue.place_too_long",
        what="place",
        limit=_SHORT_MAX,
    )
    _check_coordinates(lat, lon)
    vehicle = _text(
        vehicle_desc,
        empty="rescue.vehicle_required",
        too_long="rescue.vehicle_too_long",
        what="vehicle description",
        limit=_SHORT_MAX,
    )
    note_text = _text(note, empty="", too_long="rescue.note_too_long", what="note", limit=_LONG_MAX)
    at = now or utcnow()
    with write(session_factory) as session:
        if case_id is not None:
            # The case row's lock keeps two seats asking at once from both adding a task.
            case_no = session.scalar(
                select(Case.case_no).where(Case.id == case_id).with_for_update()
            )
            if case_no is None:
                raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
            open_task = session.scalar(
                select(RescueTask.id)
                .where(RescueTask.case_id == case_id, RescueTask.state.in_(_OPEN_TASK_STATES))
                .order_by(RescueTask.id)
                .limit(1)
            )
            if open_task is not None:
                raise RuleViolation(
                    "rescue.already_requested",
                    f"Case {case_no} already has rescue request {open_task} open",
                    case_no=case_no,
                    task_id=open_task,
                )
        task = RescueTask(
            case_id=case_id,
            requested_at=at,
            requested_by=actor.user_id,
            requested_position=actor.position.value,
            place_text=place,
            lat=lat,
            lon=lon,
            vehicle_desc=vehicle,
            lane_blocked=lane_blocked,
            note=note_text,
            state=TaskState.REQUESTED.value,
        )
        session.add(task)
        session.flush()
        _record(
            session,
            actor,
            task,
            "rescue_requested",
            at,
            details={"place_text": place, "lane_blocked": lane_blocked, "vehicle": vehicle},
        )
        _bump(session)
        return task.id


def assign_nearest(
    session_factory: SessionFactory,
    actor: Actor,
    task_id: int,
    *,
    prefer_type: UnitType | None = UnitType.TOW,
    now: datetime | None = None,
) -> Assignment:
    """Send the nearest available unit to a waiting request. Units of `prefer_type` come
    first (a tow truck, by default: most requests are for a vehicle that cannot move), the
    nearest of the others only when none of that type is free. A unit another seat takes in
    the same moment is passed over for the next-nearest."""
    require(actor, Action.DISPATCH_RESCUE)
    at = now or utcnow()
    with write(session_factory) as session:
        task = _waiting_task(session, task_id)
        if task.lat is None or task.lon is None:
            raise RuleViolation(
                "rescue.no_position",
                f"Rescue request {task_id} has no coordinates; choose a unit yourself",
                task_id=task_id,
            )
        free = [
            _Candidate(row.id, row.call_sign, row.unit_type, row.state, row.lat, row.lon)
            for row in session.execute(
                select(
                    RescueUnit.id,
                    RescueUnit.call_sign,
                    RescueUnit.unit_type,
                    RescueUnit.state,
                    RescueUnit.lat,
                    RescueUnit.lon,
                ).where(RescueUnit.state == UnitState.AVAILABLE.value)
            ).all()
        ]
        for ranked in rank_available(free, task.lat, task.lon, prefer_type=prefer_type):
            if _take(session, ranked.unit.id, at):
                return _assigned(
                    session, actor, task, ranked.unit, distance_m=ranked.distance_m, at=at
                )
        raise RuleViolation(
            "rescue.no_unit_available",
            f"No rescue unit with a known position is available for request {task_id}",
            task_id=task_id,
        )


def assign_unit(
    session_factory: SessionFactory,
    actor: Actor,
    task_id: int,
    unit_id: int,
    *,
    now: datetime | None = None,
) -> Assignment:
    """Send the unit the dispatcher chose to a waiting request."""
    require(actor, Action.DISPATCH_RESCUE)
    at = now or utcnow()
    with write(session_factory) as session:
        task = _waiting_task(session, task_id)
        unit = session.get(RescueUnit, unit_id)
        if unit is None:
            raise NotFound(
                "rescue.unit_not_found", f"Rescue unit {unit_id} does not exist", unit_id=unit_id
            )
        if not _take(session, unit_id, at):
            raise RuleViolation(
                "rescue.unit_busy",
                f"Rescue unit {unit.call_sign} is not available",
                call_sign=unit.call_sign,
            )
        session.refresh(unit)
        distance = None
        if (
            task.lat is not None
            and task.lon is not None
            and unit.lat is not None
            and unit.lon is not None
        ):
            distance = haversine_m(task.lat, task.lon, unit.lat, unit.lon)
        return _assigned(session, actor, task, unit, distance_m=distance, at=at)


def set_unit_state(
    session_factory: SessionFactory,
    actor: Actor,
    unit_id: int,
    state: UnitState,
    *,
    lat: float | None = None,
    lon: float | None = None,
    now: datetime | None = None,
) -> UnitMoved:
    """Move a unit on the board (with its position, when known); its task follows: on scene
    stamps the arrival, back finishes it, available before arrival (recalled) leaves it
    waiting for another unit. The unit's present state with a position is a position report.
    A unit is dispatched only by assigning it to a request."""
    require(actor, Action.DISPATCH_RESCUE)
    target = UnitState(state)
    _check_coordinates(lat, lon)
    if target is UnitState.DISPATCHED:
        raise RuleViolation(
            "rescue.dispatch_by_assigning",
            "A unit is dispatched by assigning it to a rescue request",
        )
    at = now or utcnow()
    with write(session_factory) as session:
        unit = _locked_unit(session, unit_id)
        current = UnitState(unit.state)
        report = target is current and lat is not None
        if not report and not can_move(current, target):
            raise RuleViolation(
                "rescue.bad_move",
                f"Rescue unit {unit.call_sign} is {current.value} and cannot become {target.value}",
                call_sign=unit.call_sign,
                current=current.value,
                requested=target.value,
            )
        task = session.scalar(
            select(RescueTask)
            .where(RescueTask.unit_id == unit.id, RescueTask.state.in_(_WORKING_TASK_STATES))
            .order_by(RescueTask.id)
            .limit(1)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if not report:
            unit.state = target.value
            unit.state_since = at
        if target is UnitState.ON_SCENE and lat is None and task is not None:
            # No GPS report with the move: the unit stands where the request said.
            lat, lon = task.lat, task.lon
        if lat is not None and lon is not None:
            unit.lat, unit.lon = lat, lon
        _log(
            session,
            actor,
            unit,
            from_state=current,
            to_state=target,
            at=at,
            task_id=task.id if task else None,
        )
        task_state: TaskState | None = None
        if task is not None:
            task_state = TaskState(task.state)
            if not report:
                task_state = _follow(
                    session, actor, task, unit, current=current, target=target, at=at
                )
        _bump(session)
        return UnitMoved(
            unit.id,
            unit.call_sign,
            current,
            target,
            task.id if task else None,
            task_state,
            task.case_id if task else None,
        )


def _follow(
    session: Session,
    actor: Actor,
    task: RescueTask,
    unit: RescueUnit,
    *,
    current: UnitState,
    target: UnitState,
    at: datetime,
) -> TaskState:
    """The task follows its unit's move; the move is recorded against the task."""
    before = TaskState(task.state)
    after = task_state_after(target, before)
    task.state = after.value
    details: dict[str, Any] = {
        "unit_id": unit.id,
        "call_sign": unit.call_sign,
        "unit_from": current.value,
        "unit_to": target.value,
    }
    if unit.lat is not None:
        details |= {"lat": unit.lat, "lon": unit.lon}
    if after is TaskState.ARRIVED and task.arrived_at is None:
        task.arrived_at = at
        details["waited_s"] = round((at - task.requested_at).total_seconds())
    elif after is TaskState.FINISHED:
        task.finished_at = at
    elif after is TaskState.REQUESTED:  # recalled before arrival: waits for another unit
        task.unit_id = None
        task.assigned_at = None
    _record(session, actor, task, _MOVE_EVENTS[target], at, details=details)
    return after


def cancel_request(
    session_factory: SessionFactory,
    actor: Actor,
    task_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> TaskCancelled:
    """Call a request off before the unit arrives (the parties moved the car, a duplicate);
    a unit dispatched or on its way is available again. Once on scene a task ends by the unit
    coming back, not by a cancellation."""
    require(actor, Action.REQUEST_RESCUE)
    why = _text(
        reason,
        empty="rescue.reason_required",
        too_long="rescue.reason_too_long",
        what="reason",
        limit=_LONG_MAX,
    )
    at = now or utcnow()
    with write(session_factory) as session:
        # Lock the unit before the task, as set_unit_state does, so the two never deadlock.
        unit_id = session.scalar(select(RescueTask.unit_id).where(RescueTask.id == task_id))
        unit = _locked_unit(session, unit_id) if unit_id is not None else None
        task = _locked_task(session, task_id)
        if task.unit_id != unit_id:  # assigned or released in between: lock that unit too
            unit = _locked_unit(session, task.unit_id) if task.unit_id is not None else None
        state = TaskState(task.state)
        if state not in CANCELLABLE_TASK_STATES:
            raise RuleViolation(
                "rescue.cannot_cancel",
                f"Rescue request {task_id} is {state.value}; only a request no unit has "
                "reached yet can be cancelled",
                task_id=task_id,
            )
        task.state = TaskState.CANCELLED.value
        task.cancelled_at = at
        task.cancel_reason = why
        freed: int | None = None
        if unit is not None and state is TaskState.ASSIGNED:
            current = UnitState(unit.state)
            if current in (UnitState.DISPATCHED, UnitState.EN_ROUTE):
                unit.state = UnitState.AVAILABLE.value
                unit.state_since = at
                _log(
                    session,
                    actor,
                    unit,
                    from_state=current,
                    to_state=UnitState.AVAILABLE,
                    at=at,
                    task_id=task.id,
                )
                freed = unit.id
        details: dict[str, Any] = {"was": state.value}
        if freed is not None and unit is not None:
            details |= {"unit_id": unit.id, "call_sign": unit.call_sign}
        _record(session, actor, task, "rescue_cancelled", at, reason=why, details=details)
        _bump(session)
        return TaskCancelled(task.id, task.case_id, freed)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class RescueDraft:
    """What a request form starts from when a case is open: the case's place and vehicles."""

    case_id: int
    case_no: str
    place_text: str
    lat: float | None
    lon: float | None
    vehicles: str
    """One line per vehicle, plate and type ("鲁E12345 小型轿车"), as the parties gave them."""
    open_task_id: int | None
    """The case's rescue request still open, if any: a second one would be refused."""


def rescue_draft(session_factory: SessionFactory, actor: Actor, case_id: int) -> RescueDraft:
    require(actor, Action.REQUEST_RESCUE)
    with session_factory() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        vehicles = session.execute(
            select(Party.plate_no, Vehicle.vehicle_type)
            .outerjoin(Vehicle, Vehicle.id == Party.vehicle_id)
            .where(Party.case_id == case_id)
            .order_by(Party.letter)
        ).all()
        open_task = session.scalar(
            select(func.min(RescueTask.id)).where(
                RescueTask.case_id == case_id, RescueTask.state.in_(_OPEN_TASK_STATES)
            )
        )
        lines = [" ".join(part for part in (plate, kind) if part) for plate, kind in vehicles]
        return RescueDraft(
            case.id,
            case.case_no,
            case.place_text,
            case.lat,
            case.lon,
            "；".join(line for line in lines if line),
            open_task,
        )


def _version(session: Session) -> int:
    return int(
        session.scalar(select(RescueBoardVersion.version).where(RescueBoardVersion.id == 1)) or 0
    )


def board_version(session_factory: SessionFactory) -> int:
    """A number that changes whenever a rescue write commits: one row read by its key."""
    with session_factory() as session:
        return _version(session)


def rescue_board(
    session_factory: SessionFactory, actor: Actor, *, now: datetime | None = None
) -> RescueBoard:
    """The units and the tasks the rescue seat shows."""
    require(actor, Action.VIEW_RESCUE)
    as_of = now or utcnow()
    since = as_of - RECENT
    working = (
        select(RescueTask.unit_id, func.min(RescueTask.id).label("task_id"))
        .where(RescueTask.unit_id.is_not(None), RescueTask.state.in_(_WORKING_TASK_STATES))
        .group_by(RescueTask.unit_id)
        .subquery()
    )
    units_query = (
        select(RescueUnit, Organisation.name_zh, working.c.task_id)
        .join(Organisation, Organisation.id == RescueUnit.org_id)
        .outerjoin(working, working.c.unit_id == RescueUnit.id)
        .order_by(RescueUnit.call_sign)
    )
    tasks_query = (
        select(RescueTask, Case.case_no, User.display_name, RescueUnit.call_sign)
        .outerjoin(Case, Case.id == RescueTask.case_id)
        .join(User, User.id == RescueTask.requested_by)
        .outerjoin(RescueUnit, RescueUnit.id == RescueTask.unit_id)
        .where(
            or_(
                RescueTask.state.in_(_OPEN_TASK_STATES),
                and_(RescueTask.state == TaskState.FINISHED.value, RescueTask.finished_at >= since),
                and_(
                    RescueTask.state == TaskState.CANCELLED.value,
                    RescueTask.cancelled_at >= since,
                ),
            )
        )
    )
    with session_factory() as session:
        version = _version(session)
        units = [
            UnitRow(
                id=u.id,
                call_sign=u.call_sign,
                company=company,
                unit_type=UnitType(u.unit_type),
                state=UnitState(u.state),
                state_since=u.state_since,
                lat=u.lat,
                lon=u.lon,
                task_id=task_id,
            )
            for u, company, task_id in session.execute(units_query).all()
        ]
        tasks = [_task_row(*record) for record in session.execute(tasks_query).all()]
    open_tasks = sorted(
        (t for t in tasks if t.state in OPEN_TASK_STATES), key=lambda t: (t.requested_at, t.id)
    )
    closed = sorted(
        (t for t in tasks if t.state not in OPEN_TASK_STATES),
        key=lambda t: (t.finished_at or t.cancelled_at or t.requested_at, t.id),
        reverse=True,
    )
    return RescueBoard(units, open_tasks + closed, version, as_of)


def _task_row(
    t: RescueTask, case_no: str | None, requested_by: str, call_sign: str | None
) -> TaskRow:
    return TaskRow(
        id=t.id,
        case_id=t.case_id,
        case_no=case_no,
        place_text=t.place_text,
        lat=t.lat,
        lon=t.lon,
        vehicle_desc=t.vehicle_desc,
        lane_blocked=t.lane_blocked,
        note=t.note,
        state=TaskState(t.state),
        requested_at=t.requested_at,
        requested_by=requested_by,
        requested_position=(
            Position(t.requested_position) if t.requested_position is not None else None
        ),
        unit_id=t.unit_id,
        call_sign=call_sign,
        assigned_at=t.assigned_at,
        arrived_at=t.arrived_at,
        finished_at=t.finished_at,
        cancelled_at=t.cancelled_at,
        cancel_reason=t.cancel_reason,
    )


def unit_log(session_factory: SessionFactory, unit_id: int, limit: int = 50) -> list[UnitLogRow]:
    """A unit's moves and position reports, newest first."""
    with session_factory() as session:
        if session.get(RescueUnit, unit_id) is None:
            raise NotFound(
                "rescue.unit_not_found", f"Rescue unit {unit_id} does not exist", unit_id=unit_id
            )
        rows = session.execute(
            select(RescueUnitLog, User.display_name)
            .outerjoin(User, User.id == RescueUnitLog.actor_id)
            .where(RescueUnitLog.unit_id == unit_id)
            .order_by(RescueUnitLog.id.desc())
            .limit(limit)
        ).all()
        return [
            UnitLogRow(
                id=r.id,
                unit_id=r.unit_id,
                task_id=r.task_id,
                from_state=UnitState(r.from_state),
                to_state=UnitState(r.to_state),
                at=r.at,
                actor_id=r.actor_id,
                actor_name=name,
                seat=r.seat,
                lat=r.lat,
                lon=r.lon,
            )
            for r, name in rows
        ]
