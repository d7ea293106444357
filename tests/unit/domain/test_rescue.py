"""Rescue dispatch rules: a unit's moves and the task state that follows them, the nearest
free unit, the arrival timer and its configured target."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from console.db.models import RESCUE_TASK_STATES, RESCUE_UNIT_STATES, RESCUE_UNIT_TYPES
from console.domain.errors import RuleViolation
from console.domain.rescue import (
    DEFAULT_RESCUE_POLICY,
    RescuePolicy,
    TaskState,
    UnitState,
    UnitType,
    arrival_timer,
    can_move,
    moves_from,
    nearest_available,
    rank_available,
    task_state_after,
)

U = UnitState
T = TaskState

# The hall (东营 府前大街 and 西四路): about 111 m per 0.001° of latitude.
HALL = (37.4340, 118.6750)


@dataclass(frozen=True)
class Unit:
    call_sign: str
    state: str = "available"
    lat: float | None = HALL[0]
    lon: float | None = HALL[1]
    unit_type: str = "tow"


def north(metres: float) -> float:
    return HALL[0] + metres / 111_195


def test_states_match_the_schema() -> None:
    assert tuple(s.value for s in UnitState) == RESCUE_UNIT_STATES
    assert tuple(s.value for s in TaskState) == RESCUE_TASK_STATES
    assert tuple(t.value for t in UnitType) == RESCUE_UNIT_TYPES


def test_a_unit_goes_out_and_comes_back_one_way_round() -> None:
    trip = [U.AVAILABLE, U.DISPATCHED, U.EN_ROUTE, U.ON_SCENE, U.TOWING, U.BACK, U.AVAILABLE]
    for here, there in itertools.pairwise(trip):
        assert can_move(here, there), (here, there)
    for there, here in itertools.pairwise(trip):
        if (here, there) not in {(U.DISPATCHED, U.AVAILABLE)}:
            assert not can_move(here, there), (here, there)


@pytest.mark.parametrize(
    ("here", "there", "allowed"),
    [
        (U.DISPATCHED, U.AVAILABLE, True),  # cancelled or recalled before setting off
        (U.EN_ROUTE, U.AVAILABLE, True),  # ... or on the way
        (U.ON_SCENE, U.BACK, True),  # nothing to tow
        (U.ON_SCENE, U.AVAILABLE, False),  # a unit on scene comes back first
        (U.TOWING, U.AVAILABLE, False),
        (U.AVAILABLE, U.EN_ROUTE, False),  # dispatched first
        (U.AVAILABLE, U.ON_SCENE, False),
        (U.DISPATCHED, U.ON_SCENE, False),
        (U.BACK, U.DISPATCHED, False),  # available first
        (U.AVAILABLE, U.AVAILABLE, False),
    ],
)
def test_the_shortcuts_and_the_moves_that_are_not_allowed(
    here: UnitState, there: UnitState, allowed: bool
) -> None:
    assert can_move(here, there) is allowed


def test_every_state_has_a_way_on() -> None:
    assert all(moves_from(s) for s in UnitState)
    assert moves_from(U.ON_SCENE) == {U.TOWING, U.BACK}


@pytest.mark.parametrize(
    ("unit", "task", "after"),
    [
        (U.DISPATCHED, T.REQUESTED, T.ASSIGNED),
        (U.EN_ROUTE, T.ASSIGNED, T.ASSIGNED),
        (U.ON_SCENE, T.ASSIGNED, T.ARRIVED),
        (U.TOWING, T.ARRIVED, T.ARRIVED),
        (U.BACK, T.ARRIVED, T.FINISHED),
        (U.AVAILABLE, T.ASSIGNED, T.REQUESTED),  # recalled: waits for another unit
        (U.AVAILABLE, T.ARRIVED, T.ARRIVED),
        (U.BACK, T.CANCELLED, T.CANCELLED),  # a closed task stays closed
        (U.ON_SCENE, T.FINISHED, T.FINISHED),
    ],
)
def test_the_task_follows_its_unit(unit: UnitState, task: TaskState, after: TaskState) -> None:
    assert task_state_after(unit, task) is after


# ---------------------------------------------------------------- the nearest free unit


def test_the_nearest_available_unit_with_its_distance() -> None:
    units = [
        Unit("far", lat=north(3000)),
        Unit("near", lat=north(800)),
        Unit("mid", lat=north(1500)),
    ]
    best = nearest_available(units, *HALL)
    assert best is not None
    assert best.unit.call_sign == "near"
    assert best.distance_m == pytest.approx(800, rel=1e-3)
    assert [r.unit.call_sign for r in rank_available(units, *HALL)] == ["near", "mid", "far"]


def test_busy_units_and_units_of_unknown_position_are_passed_over() -> None:
    units = [
        Unit("busy", state="en_route"),
        Unit("back", state="back"),
        Unit("lost", lat=None, lon=None),
        Unit("free", lat=north(5000)),
    ]
    best = nearest_available(units, *HALL)
    assert best is not None and best.unit.call_sign == "free"
    assert nearest_available(units[:3], *HALL) is None
    assert nearest_available([], *HALL) is None


def test_equal_distances_go_by_call_sign_whatever_the_order() -> None:
    east = (HALL[0], HALL[1] + 0.01)
    west = (HALL[0], HALL[1] - 0.01)
    a = Unit("顺通清障02", lat=east[0], lon=east[1])
    b = Unit("顺通清障01", lat=west[0], lon=west[1])
    for units in ([a, b], [b, a]):
        best = nearest_available(units, *HALL)
        assert best is not None and best.unit.call_sign == "顺通清障01"


def test_a_tow_truck_is_preferred_for_a_vehicle_that_cannot_move() -> None:
    units = [Unit("van", lat=north(300), unit_type="rescue"), Unit("tow", lat=north(4000))]
    assert [r.unit.call_sign for r in rank_available(units, *HALL, prefer_type="tow")] == [
        "tow",
        "van",
    ]
    only_van = nearest_available(units[:1], *HALL, prefer_type="tow")
    assert only_van is not None and only_van.unit.call_sign == "van", "a preference, not a filter"
    best = nearest_available(units, *HALL)
    assert best is not None and best.unit.call_sign == "van"


def test_not_a_point_is_a_bug() -> None:
    with pytest.raises(ValueError, match="not a point"):
        nearest_available([Unit("x")], float("nan"), 118.0)


# ---------------------------------------------------------------- the arrival timer

REQUESTED = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
THIRTY = timedelta(minutes=30)


def test_on_the_way_within_the_target() -> None:
    timer = arrival_timer(REQUESTED, None, REQUESTED + timedelta(minutes=12), THIRTY)
    assert timer.elapsed == timedelta(minutes=12)
    assert timer.remaining == timedelta(minutes=18)
    assert (timer.overdue, timer.arrived) == (False, False)


def test_on_the_way_past_the_target_counts_below_zero() -> None:
    timer = arrival_timer(REQUESTED, None, REQUESTED + timedelta(minutes=41), THIRTY)
    assert timer.remaining == timedelta(minutes=-11)
    assert (timer.overdue, timer.arrived) == (True, False)


def test_exactly_at_the_target_is_in_time() -> None:
    timer = arrival_timer(REQUESTED, None, REQUESTED + THIRTY, THIRTY)
    assert timer.remaining == timedelta(0)
    assert not timer.overdue


def test_the_clock_stops_at_arrival() -> None:
    arrived = REQUESTED + timedelta(minutes=25)
    for now in (arrived, arrived + timedelta(hours=3)):
        timer = arrival_timer(REQUESTED, arrived, now, THIRTY)
        assert timer.elapsed == timedelta(minutes=25)
        assert (timer.overdue, timer.arrived) == (False, True)
    late = arrival_timer(REQUESTED, REQUESTED + timedelta(minutes=35), arrived, THIRTY)
    assert (late.remaining, late.overdue, late.arrived) == (timedelta(minutes=-5), True, True)


def test_a_clock_behind_the_request_shows_no_time_elapsed() -> None:
    timer = arrival_timer(REQUESTED, None, REQUESTED - timedelta(seconds=5), THIRTY)
    assert (timer.elapsed, timer.remaining) == (timedelta(0), THIRTY)


def test_the_policy_times_against_its_target() -> None:
    assert DEFAULT_RESCUE_POLICY.arrival_target == THIRTY
    policy = RescuePolicy.from_minutes(15)
    assert policy.timer(REQUESTED, None, REQUESTED + timedelta(minutes=20)).overdue
    assert not DEFAULT_RESCUE_POLICY.timer(
        REQUESTED, None, REQUESTED + timedelta(minutes=20)
    ).overdue


@pytest.mark.parametrize("minutes", [1, 45, 180])
def test_targets_from_one_to_180_minutes(minutes: int) -> None:
    assert RescuePolicy.from_minutes(minutes).arrival_target == timedelta(minutes=minutes)


@pytest.mark.parametrize("target", [timedelta(0), timedelta(seconds=59), timedelta(minutes=181),
                                    timedelta(minutes=-30)])  # fmt: skip
def test_other_targets_are_refused(target: timedelta) -> None:
    with pytest.raises(RuleViolation) as refused:
        RescuePolicy(target)
    assert refused.value.code == "rescue.bad_arrival_target"
    assert set(refused.value.params) == {"minutes"}
