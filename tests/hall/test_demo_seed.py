"""The demo hall: a week of cases whose every row could have come from the use cases."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import make_engine, make_session_factory
from console.db.migrate import upgrade
from console.db.models import (
    Call,
    Case,
    CaseEvent,
    Claim,
    Determination,
    Organisation,
    Party,
    Policy,
    RescueTask,
    RescueUnit,
    RescueUnitLog,
    Seat,
    User,
    UserPosition,
    Vehicle,
)
from console.domain import validation
from console.domain.deadlines import DEFAULT_TIMER_POLICY, TimerState, timer_status, to_local
from console.domain.liability import AGREEMENT_GRADES, AccidentForm, Grade, validate_grades
from console.domain.lifecycle import (
    CLAIM_MOVES,
    CLOCKS,
    OFF_TRACK_STATES,
    WORK_STATES,
    CaseState,
    StepClock,
    check_transition,
    clock_starts_on_entry,
    owner_of,
)
from console.domain.positions import Position
from console.domain.situations import propose_grades, situation
from console.hall.accounts import HasherCost, configure_hasher, sign_in
from console.hall.cases import case_number
from console.hall.demo_seed import DEMO_PASSWORD, DemoSummary, seed_demo_hall
from console.hall.permissions import PERMISSIONS, Action
from tests.conftest import sqlite_only

# 18:15 in the hall (UTC+8), three quarters of an hour before service hours end.
NOW = datetime(2026, 11, 22, 10, 15, tzinfo=UTC)
LIMITS = {
    StepClock.REVIEW: DEFAULT_TIMER_POLICY.review,
    StepClock.DETERMINATION: DEFAULT_TIMER_POLICY.determination,
    StepClock.INSURER_ACK: DEFAULT_TIMER_POLICY.insurer_acknowledgement,
}
DECIDING = frozenset({"determine", "record_mediation"})
DETERMINED_PATH = frozenset(
    {
        CaseState.DETERMINED,
        CaseState.DISPUTED,
        CaseState.MEDIATING,
        CaseState.INSURERS_NOTIFIED,
        CaseState.CLAIMS_OPEN,
        CaseState.SETTLED,
    }
)


@pytest.fixture
def cheap_hasher() -> Iterator[None]:
    configure_hasher(HasherCost(time_cost=1, memory_cost=64, parallelism=1))
    yield
    configure_hasher()


@pytest.fixture
def seeded(
    session_factory: sessionmaker[Session], cheap_hasher: None
) -> tuple[sessionmaker[Session], DemoSummary]:
    return session_factory, seed_demo_hall(session_factory, now=NOW)


def test_the_summary_names_the_users_the_password_and_every_state(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, summary = seeded
    assert summary.seeded
    assert summary.password == DEMO_PASSWORD == "demo1234"
    assert sum(summary.cases_by_state.values()) == 320
    assert set(summary.cases_by_state) == {s.value for s in CaseState}
    assert all(n > 0 for n in summary.cases_by_state.values()), summary.cases_by_state
    for name in (
        "reception1",
        "review1",
        "officer1",
        "officer2",
        "lookup1",
        "patrol1",
        "claims_picc",
        "claims_paic",
        "claims_cpic",
        "rescue1",
        "supervisor1",
    ):
        assert name in summary.users
    assert summary.users["officer1"] == (Position.DETERMINATION,)
    assert set(Position) <= {p for held in summary.users.values() for p in held}
    with session_factory() as session:
        by_state = dict(
            session.execute(select(Case.state, func.count()).group_by(Case.state)).all()
        )
    assert by_state == {k: v for k, v in summary.cases_by_state.items() if v}


def test_the_hall_is_dongying_with_its_police_insurers_and_rescue(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, _ = seeded
    with session_factory() as session:
        orgs = session.scalars(select(Organisation)).all()
        kinds = defaultdict(list)
        for org in orgs:
            kinds[org.kind].append(org)
        (police,) = kinds["police"]
        assert police.name_zh == "东营市公安局交通警察支队"
        assert police.unit_prefix == "东公交"
        assert {o.code for o in kinds["insurer"]} >= {"PICC", "PAIC", "CPIC"}
        assert all(o.name_zh and o.name_en for o in orgs)
        assert len(kinds["rescue"]) == 2
        districts = set(session.scalars(select(Case.district)))
        assert districts == {"东营区", "河口区", "垦利区", "广饶县", "利津县"}
        places = session.execute(select(Case.lat, Case.lon)).all()
        assert all(36.9 < lat < 38.0 and 118.1 < lon < 118.8 for lat, lon in places)
        officers = session.scalars(
            select(User)
            .join(UserPosition, UserPosition.user_id == User.id)
            .where(UserPosition.position == Position.DETERMINATION.value)
        ).all()
        assert officers and all(u.badge_no for u in officers)
        assert all(re.search(r"[\u4e00-\u9fff]", u.display_name) for u in officers)
        seats = session.scalars(select(Seat.name)).all()
        assert "接警-01" in seats


def test_every_tow_leaves_a_unit_log_that_ends_in_the_units_state(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, _ = seeded
    with session_factory() as session:
        tasks = session.scalars(select(RescueTask)).all()
        assert tasks
        for task in tasks:
            moves = session.scalars(
                select(RescueUnitLog)
                .where(RescueUnitLog.task_id == task.id)
                .order_by(RescueUnitLog.at, RescueUnitLog.id)
            ).all()
            assert [m.from_state for m in moves[1:]] == [m.to_state for m in moves[:-1]]
            assert moves[0].to_state == "dispatched" and moves[0].at == task.assigned_at
            assert all(m.at <= NOW for m in moves)
            if task.state in ("assigned", "arrived"):  # the unit is still on it
                unit = session.get(RescueUnit, task.unit_id)
                assert unit is not None and unit.state == moves[-1].to_state
            if task.arrived_at is not None:
                (on_scene,) = [m for m in moves if m.to_state == "on_scene"]
                assert on_scene.at == task.arrived_at and on_scene.lat == task.lat


def test_every_history_walks_the_lifecycle_and_matches_its_case_row(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    check_histories(seeded[0], NOW)


def check_histories(session_factory: sessionmaker[Session], now: datetime) -> None:
    """Replay each case's events through the transition table, as `apply_move` would."""
    with session_factory() as session:
        cases = {c.id: c for c in session.scalars(select(Case))}
        events: dict[int, list[CaseEvent]] = defaultdict(list)
        for event in session.scalars(select(CaseEvent).order_by(CaseEvent.id)):
            events[event.case_id].append(event)
        held = {
            (u, Position(p))
            for u, p in session.execute(select(UserPosition.user_id, UserPosition.position))
        }
        seats = set(session.scalars(select(Seat.name)))
    earliest = now - timedelta(days=7)
    for case_id, case in cases.items():
        history = events[case_id]
        first = history[0]
        assert (first.kind, first.from_state, first.to_state) == ("created", None, "new")
        assert Position(first.position) in PERMISSIONS[Action.CREATE_CASE]
        assert first.at == case.created_at
        assert earliest <= case.occurred_at < case.created_at
        state = CaseState.NEW
        state_since, timer, assignee, claimed_at = first.at, None, None, None
        last_at = first.at
        for event in history[1:]:
            position = Position(event.position)
            assert (event.actor_id, position) in held, (case.case_no, event.kind)
            assert event.seat in seats
            assert event.at > last_at, case.case_no
            last_at = event.at
            if event.to_state is None:
                assert event.kind == "claimed"
                assignee, claimed_at = event.actor_id, event.at
                continue
            assert event.from_state == state.value, (case.case_no, event.kind)
            target = CaseState(event.to_state)
            move = check_transition(state, target, position, event.reason)
            assert event.details["action"] == move.action
            if move.needs_lock and position is not Position.SUPERVISOR:
                assert assignee == event.actor_id, (case.case_no, move.action)
            state, state_since = target, event.at
            if clock_starts_on_entry(target):
                timer = event.at
            if target in CLAIM_MOVES.values():
                assignee, claimed_at = event.actor_id, event.at
            else:
                assignee, claimed_at = None, None
        assert last_at <= now
        assert case.state == state.value, case.case_no
        owner = owner_of(state)
        assert case.owner_position == (owner.value if owner else None)
        assert case.state_since == state_since
        assert case.timer_started_at == timer
        assert (case.assignee_id, case.claimed_at) == (assignee, claimed_at)
        assert case.updated_at == last_at
        # The insert, the case number, then one write per event after "created".
        assert case.version == 1 + len(history)
        assert case.case_no == case_number(case.created_at, case.id)
        assert re.fullmatch(r"KC\d{14}", case.case_no)


def test_queues_hold_claimed_and_overdue_work(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, _ = seeded
    with session_factory() as session:
        cases = session.scalars(select(Case)).all()
    work = {s for states in WORK_STATES.values() for s in states}
    claimed = [c for c in cases if c.assignee_id is not None]
    assert all(c.assignee_id for c in cases if c.state == CaseState.DETERMINING)
    assert any(CaseState(c.state) in work for c in claimed)
    red = green = 0
    for case in cases:
        clock = CLOCKS.get(CaseState(case.state))
        if clock is None:
            continue
        assert case.timer_started_at is not None
        status = timer_status(case.timer_started_at, NOW, LIMITS[clock[0]])
        red += status.state is TimerState.RED
        green += status.state is TimerState.GREEN
    assert red >= 3
    assert green > red


def test_every_identifier_validates_and_policies_fit_the_cases(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    assert check_identifiers(seeded[0], NOW) > 0  # a few expired policies, for realism


def check_identifiers(session_factory: sessionmaker[Session], now: datetime) -> int:
    """Every identifier validates; returns how many cases involve an expired 交强险."""
    today = to_local(now).date()
    with session_factory() as session:
        vehicles = {v.id: v for v in session.scalars(select(Vehicle))}
        policies = {p.id: p for p in session.scalars(select(Policy))}
        rows = session.execute(select(Party, Case).join(Case, Case.id == Party.case_id)).all()
        reasons: dict[int, str] = defaultdict(str)
        for case_id, reason in session.execute(
            select(CaseEvent.case_id, CaseEvent.reason).where(CaseEvent.reason.is_not(None))
        ):
            reasons[case_id] += reason
    assert len({(v.plate_type, v.plate_no) for v in vehicles.values()}) == len(vehicles)
    kinds = set()
    for vehicle in vehicles.values():
        assert vehicle.vin is not None
        assert validation.validate_vin(vehicle.vin) == vehicle.vin
        kinds.add(validation.validate_plate(vehicle.plate_no).kind)
    assert validation.PlateKind.NEW_ENERGY_SMALL in kinds
    assert validation.PlateKind.ORDINARY in kinds
    assert sum(v.plate_no.startswith("鲁E") for v in vehicles.values()) > 0.8 * len(vehicles)
    expired_cases = set()
    for party, case in rows:
        assert party.plate_no is not None and party.phone is not None
        assert party.id_number is not None
        assert validation.validate_plate(party.plate_no).text == party.plate_no
        assert validation.validate_id_number(party.id_number, today=today) == party.id_number
        assert validation.validate_mobile(party.phone) == party.phone
        assert party.vehicle_id is not None and party.policy_id is not None
        vehicle = vehicles[party.vehicle_id]
        assert (vehicle.plate_no, vehicle.plate_type) == (party.plate_no, party.plate_type)
        policy = policies[party.policy_id]
        assert policy.kind == "compulsory"
        assert policy.vehicle_id == vehicle.id
        assert policy.insurer_org_id == party.insurer_org_id
        day = to_local(case.occurred_at).date()
        if not policy.valid_from <= day <= policy.valid_until:
            expired_cases.add(case.id)
            # Only cases that left the fast track may involve a vehicle without 交强险.
            assert case.fast_track is False
            assert "交强险" in reasons[case.id]
    return len(expired_cases)


def test_graded_parties_follow_the_situation_or_the_agreement(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    determined, agreed, calls = check_grades(seeded[0])
    assert determined > 50
    assert agreed > 0
    assert calls > 100


def check_grades(session_factory: sessionmaker[Session]) -> tuple[int, int, int]:
    """Grades, situations, determinations and claims agree with the history."""
    with session_factory() as session:
        cases = session.scalars(select(Case)).all()
        determinations = defaultdict(list)
        for det in session.scalars(select(Determination).order_by(Determination.id)):
            determinations[det.case_id].append(det)
        claims = defaultdict(list)
        for claim in session.scalars(select(Claim)):
            claims[claim.case_id].append(claim)
        parties_of = {c.id: list(c.parties) for c in cases}
        events_of = {c.id: [e.details.get("action") for e in c.events] for c in cases}
        decided_at = {
            c.id: [e.at for e in c.events if e.details.get("action") in DECIDING] for c in cases
        }
        calls = session.scalar(select(func.count()).select_from(Call)) or 0
    determined = agreed = 0
    for case in cases:
        state = CaseState(case.state)
        parties = parties_of[case.id]
        grades = [p.grade for p in parties]
        actions = events_of[case.id]
        if state in DETERMINED_PATH and "determine" in actions:
            determined += 1
            assert case.situation_code is not None
            current = [d for d in determinations[case.id] if d.superseded_at is None]
            assert len(current) == 1
            det = current[0]
            letters = [p.letter for p in parties]
            proposed = propose_grades(
                situation(case.situation_code), letters.index(det.at_fault_letter), len(parties)
            )
            assert [Grade(g) for g in grades if g] == list(proposed)
            assert det.grades == {p.letter: p.grade for p in parties}
            assert case.accident_form == situation(case.situation_code).accident_form.value
            assert all(p.damaged_parts for p in parties)
            assert [d.determined_at for d in determinations[case.id]] == decided_at[case.id]
            assert any(p.fault_statute for p in parties)
        elif state is CaseState.AGREED:
            agreed += 1
            assert all(g is not None for g in grades)
            validate_grades([Grade(g) for g in grades if g], by_officer=False)
            assert {Grade(g) for g in grades if g} <= AGREEMENT_GRADES
        elif "determine" not in actions and "record_agreement" not in actions:
            assert grades == [None] * len(parties), case.case_no
        if case.accident_form is not None:
            AccidentForm(case.accident_form)
        if CaseState(case.state) in {CaseState.CLAIMS_OPEN, CaseState.SETTLED}:
            assert {c.party_id for c in claims[case.id]} == {p.id for p in parties}
        if state in OFF_TRACK_STATES:
            assert not claims[case.id]
        if case.fast_track:
            assert len(parties) == 2  # the default fast track takes two vehicles
    return determined, agreed, calls


def test_every_position_has_a_demo_user_who_can_sign_in(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, summary = seeded
    for position in Position:
        username = next(name for name, held in summary.users.items() if position in held)
        actor = sign_in(
            session_factory,
            username=username,
            password=summary.password,
            position=position,
            seat="演示-01",
            now=NOW,
        )
        assert actor.position is position


def test_seeding_twice_changes_nothing(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    session_factory, first = seeded

    def totals() -> list[int]:
        with session_factory() as session:
            return [
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Organisation, User, Case, CaseEvent, Party, Vehicle, Policy)
            ]

    before = totals()
    again = seed_demo_hall(session_factory, now=NOW + timedelta(days=3), seed=99)
    assert not again.seeded
    assert again.cases_by_state == first.cases_by_state
    assert again.users == first.users
    assert totals() == before


@sqlite_only
def test_the_same_seed_gives_the_same_hall(
    session_factory: sessionmaker[Session], cheap_hasher: None, tmp_path: Path
) -> None:
    def digest(factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
        with factory() as session:
            return [
                tuple(row)
                for row in session.execute(
                    select(Case.case_no, Case.state, Case.place_text, Case.updated_at).order_by(
                        Case.id
                    )
                )
            ]

    seed_demo_hall(session_factory, now=NOW, cases=60)
    second = make_engine(f"sqlite:///{tmp_path / 'second.db'}")
    try:
        upgrade(second)
        factory = make_session_factory(second)
        seed_demo_hall(factory, now=NOW, cases=60)
        assert digest(factory) == digest(session_factory)
    finally:
        second.dispose()


@sqlite_only
def test_seeding_is_quick_with_the_real_hasher(session_factory: sessionmaker[Session]) -> None:
    started = perf_counter()
    summary = seed_demo_hall(session_factory, now=NOW)
    elapsed = perf_counter() - started
    assert summary.seeded
    assert elapsed < 10, f"seeding took {elapsed:.1f} s"
    with session_factory() as session:
        hashes = session.scalars(select(User.password_hash)).all()
    assert all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in hashes)
    assert len(set(hashes)) == len(hashes)  # a salt of its own for every user


def test_people_work_in_service_hours(
    seeded: tuple[sessionmaker[Session], DemoSummary],
) -> None:
    """With `now` in the afternoon, the week's steps fall (almost all) in the hall's hours."""
    session_factory, _ = seeded
    with session_factory() as session:
        moments = session.scalars(select(CaseEvent.at)).all()
    inside = [m for m in moments if time(7, 0) <= to_local(m).time() <= time(20, 0)]
    assert len(inside) >= 0.95 * len(moments)


@sqlite_only
@pytest.mark.parametrize(
    ("seed", "now", "cases"),
    [
        (1, datetime(2026, 2, 17, 19, 5, tzinfo=UTC), 150),  # 03:05 hall time, Spring Festival
        (23, datetime(2027, 1, 1, 0, 0, tzinfo=UTC), 40),
        (58, datetime(2026, 7, 1, 4, 30, tzinfo=UTC), 400),
    ],
)
def test_other_seeds_and_moments_give_consistent_halls(
    session_factory: sessionmaker[Session],
    cheap_hasher: None,
    seed: int,
    now: datetime,
    cases: int,
) -> None:
    summary = seed_demo_hall(session_factory, now=now, seed=seed, cases=cases)
    assert sum(summary.cases_by_state.values()) == cases
    assert all(n > 0 for n in summary.cases_by_state.values())
    check_histories(session_factory, now)
    check_identifiers(session_factory, now)
    check_grades(session_factory)


def test_two_desks_seeding_at_once_make_one_hall(
    session_factory: sessionmaker[Session], cheap_hasher: None
) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda s: seed_demo_hall(session_factory, now=NOW, seed=s, cases=40), (1, 2))
        )
    assert sorted(r.seeded for r in results) == [False, True]
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 40
        assert session.scalar(select(func.count()).select_from(Organisation)) == 7
