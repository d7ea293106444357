"""Tow and rescue dispatch (事故救援): a unit's moves on the board, the task's state that follows
them, the nearest free unit, and the arrival timer the rescue seat shows green/amber/red.

A unit goes out and comes back the one way round:
available → dispatched → en_route → on_scene → towing → back → available. A unit that is not
needed after all (the request was cancelled, or the unit was recalled) goes from dispatched or
en_route straight back to available; a unit on scene with nothing to tow (the parties moved
the car, the road was cleared) goes back without towing.

The task follows its unit: dispatched and en route mean assigned; on scene means arrived (the
arrival time is stamped then); towing is still arrived; back means finished. A unit recalled
before it arrived leaves its task waiting for another unit. Pure Python: the hall layer reads
and writes the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, Generic, Protocol, TypeVar

from console.domain.cameras import haversine_m
from console.domain.errors import RuleViolation

__all__ = [
    "ARRIVAL_TARGET_RANGE",
    "BUSY_UNIT_STATES",
    "CANCELLABLE_TASK_STATES",
    "DEFAULT_RESCUE_POLICY",
    "OPEN_TASK_STATES",
    "ArrivalTimer",
    "BoardUnit",
    "Ranked",
    "RescuePolicy",
    "TaskState",
    "UnitState",
    "UnitType",
    "arrival_timer",
    "can_move",
    "moves_from",
    "nearest_available",
    "rank_available",
    "task_state_after",
]


class UnitState(StrEnum):
    AVAILABLE = "available"  # free, at its depot or wherever it last reported
    DISPATCHED = "dispatched"  # given a task, not yet moving
    EN_ROUTE = "en_route"  # driving to the scene
    ON_SCENE = "on_scene"  # at the scene
    TOWING = "towing"  # the vehicle is on the hook
    BACK = "back"  # task done, returning


class TaskState(StrEnum):
    REQUESTED = "requested"  # waiting for a unit
    ASSIGNED = "assigned"  # a unit is dispatched or on its way
    ARRIVED = "arrived"  # the unit is at the scene (or towing from it)
    FINISHED = "finished"  # the unit left the scene with the work done
    CANCELLED = "cancelled"  # nobody needs it any more


class UnitType(StrEnum):
    TOW = "tow"  # 清障车: lifts or drags a vehicle that cannot move
    RESCUE = "rescue"  # 救援车: jump start, tyre, fuel, road clearing


U = UnitState
_MOVES: Final[dict[UnitState, frozenset[UnitState]]] = {
    U.AVAILABLE: frozenset({U.DISPATCHED}),
    U.DISPATCHED: frozenset({U.EN_ROUTE, U.AVAILABLE}),
    U.EN_ROUTE: frozenset({U.ON_SCENE, U.AVAILABLE}),
    U.ON_SCENE: frozenset({U.TOWING, U.BACK}),
    U.TOWING: frozenset({U.BACK}),
    U.BACK: frozenset({U.AVAILABLE}),
}

OPEN_TASK_STATES: Final = frozenset({TaskState.REQUESTED, TaskState.ASSIGNED, TaskState.ARRIVED})
"""A case with a task in one of these has rescue on the way: a second request is refused."""

CANCELLABLE_TASK_STATES: Final = frozenset({TaskState.REQUESTED, TaskState.ASSIGNED})
"""Once the unit is on scene the task ends by the unit coming back, not by a cancellation."""

BUSY_UNIT_STATES: Final = frozenset({U.DISPATCHED, U.EN_ROUTE, U.ON_SCENE, U.TOWING})
"""A unit in one of these is working on a task."""


def can_move(from_state: UnitState, to_state: UnitState) -> bool:
    return to_state in _MOVES[from_state]


def moves_from(state: UnitState) -> frozenset[UnitState]:
    """The states a unit in `state` may go to next (the seat's buttons)."""
    return _MOVES[state]


def task_state_after(unit_state: UnitState, task_state: TaskState) -> TaskState:
    """The state of a unit's task once the unit has moved to `unit_state`.

    A unit going back to available before it arrived (recalled) leaves the task waiting for
    another unit; a task already closed stays as it is."""
    if task_state not in OPEN_TASK_STATES:
        return task_state
    match unit_state:
        case U.DISPATCHED | U.EN_ROUTE:
            return TaskState.ASSIGNED
        case U.ON_SCENE | U.TOWING:
            return TaskState.ARRIVED
        case U.BACK:
            return TaskState.FINISHED
        case U.AVAILABLE:
            return TaskState.REQUESTED if task_state is TaskState.ASSIGNED else task_state
    raise AssertionError(unit_state)  # pragma: no cover - the match covers every state


# ---------------------------------------------------------------- the nearest free unit


class BoardUnit(Protocol):
    """What ranking needs of a unit: its call sign, type, state and last known position."""

    @property
    def call_sign(self) -> str: ...

    @property
    def unit_type(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...


B = TypeVar("B", bound=BoardUnit)


@dataclass(frozen=True, slots=True)
class Ranked(Generic[B]):
    unit: B
    distance_m: float


def rank_available(
    units: Iterable[B], lat: float, lon: float, *, prefer_type: str | None = None
) -> list[Ranked[B]]:
    """The available units with a known position, best first: units of `prefer_type` (a tow
    truck for a vehicle that cannot move) before the others, then by great-circle distance,
    then by call sign, so two seats asked the same question give the same answer."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"not a point: {lat}, {lon}")
    ranked = [
        Ranked(u, haversine_m(lat, lon, u.lat, u.lon))
        for u in units
        if u.state == UnitState.AVAILABLE and u.lat is not None and u.lon is not None
    ]
    ranked.sort(
        key=lambda r: (
            prefer_type is not None and r.unit.unit_type != prefer_type,
            r.distance_m,
            r.unit.call_sign,
        )
    )
    return ranked


def nearest_available(
    units: Iterable[B], lat: float, lon: float, *, prefer_type: str | None = None
) -> Ranked[B] | None:
    """The best unit of `rank_available`, or None when no unit is free with a known position."""
    ranked = rank_available(units, lat, lon, prefer_type=prefer_type)
    return ranked[0] if ranked else None


# ---------------------------------------------------------------- the arrival timer


@dataclass(frozen=True, slots=True)
class ArrivalTimer:
    elapsed: timedelta
    """From the request to the arrival, or to now while the unit is still on its way."""
    remaining: timedelta
    """Target minus elapsed: negative once the target is passed."""
    overdue: bool
    """The target is passed: still waiting past it, or the unit arrived after it."""
    arrived: bool


def arrival_timer(
    requested_at: datetime, arrived_at: datetime | None, now: datetime, target: timedelta
) -> ArrivalTimer:
    """How the request stands against the arrival target; the clock stops at arrival."""
    end = arrived_at if arrived_at is not None else now
    elapsed = max(end - requested_at, timedelta(0))
    remaining = target - elapsed
    return ArrivalTimer(elapsed, remaining, remaining < timedelta(0), arrived_at is not None)


ARRIVAL_TARGET_RANGE: Final = (timedelta(minutes=1), timedelta(minutes=180))


@dataclass(frozen=True)
class RescuePolicy:
    """The city's arrival target for a rescue unit, counted from the request (default 30 min)."""

    arrival_target: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        low, high = ARRIVAL_TARGET_RANGE
        if not low <= self.arrival_target <= high:
            minutes = self.arrival_target / timedelta(minutes=1)
            raise RuleViolation(
                "rescue.bad_arrival_target",
                f"The arrival target must be between 1 and 180 minutes; got {minutes:g}",
                minutes=f"{minutes:g}",
            )

    @classmethod
    def from_minutes(cls, minutes: int) -> RescuePolicy:
        return cls(timedelta(minutes=minutes))

    def timer(
        self, requested_at: datetime, arrived_at: datetime | None, now: datetime
    ) -> ArrivalTimer:
        return arrival_timer(requested_at, arrived_at, now, self.arrival_target)


DEFAULT_RESCUE_POLICY: Final = RescuePolicy()
