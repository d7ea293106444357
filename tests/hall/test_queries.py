"""The read side: queue rows and case detail, on SQLite and PostgreSQL, as plain dataclasses."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, update

from console.db.models import Case, Organisation, Party, Policy, Vehicle
from console.domain.deadlines import TimerPolicy
from console.domain.lifecycle import OWNER, CaseState, StepClock
from console.domain.positions import Position
from console.hall.assignment import claim_case, claim_next
from console.hall.cases import NewCase, PartyInput, create_case, move_case
from console.hall.errors import NotFound
from console.hall.queries import (
    FilterKind,
    QueueFilter,
    QueueRow,
    load_case_detail,
    load_queue,
    load_rows,
    step_limit,
)
from tests.hall.conftest import Hall, bulk_cases

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
S = CaseState


def open_case(hall: Hall, *, insurer_id: int | None = None, place: str = "") -> int:
    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(
            source="call",
            occurred_at=WHEN,
            place_text=place or "东营区府前大街与西四路路口",
            district="东营区",
            caller_phone="13912345678",
            parties=(
                PartyInput(
                    name="刘一", phone="13912345678", plate_no="鲁E12345", insurer_org_id=insurer_id
                ),
                PartyInput(name="陈二", phone="13698765432", plate_no="鲁EA1234"),
            ),
        ),
    )
    return change.case_id


def by_id(rows: list[QueueRow]) -> dict[int, QueueRow]:
    return {row.case_id: row for row in rows}


def test_the_queue_holds_every_case_with_plates_holder_and_clock(hall: Hall) -> None:
    fresh = open_case(hall)
    reviewed = open_case(hall, place="垦利区胜兴路与黄河路路口")
    move_case(
        hall.session_factory, hall["reception"], reviewed, S.UNDER_REVIEW, expected_version=None
    )
    claim_case(hall.session_factory, hall["review"], reviewed)
    waiting = bulk_cases(hall.session_factory, 2, S.AWAITING_DETERMINATION, start=100)

    rows = by_id(load_queue(hall.session_factory))

    assert set(rows) == {fresh, reviewed, *waiting}
    new = rows[fresh]
    assert new.state is S.NEW and new.owner_position is Position.RECEPTION
    assert new.plates == ("鲁E12345", "鲁EA1234")
    assert new.plates_text == "鲁E12345 / 鲁EA1234"
    assert new.party_names == ("刘一", "陈二")
    assert new.party_phones == ("13912345678", "13698765432")
    assert new.assignee_id is None and new.assignee_name is None
    assert new.clock is None and new.clock_started_at is None
    assert new.created_at.tzinfo is not None
    for needle in ("kc", "鲁e12345", "府前大街", "刘一", "13698765432", "东营区"):
        assert needle in new.search_text

    review = rows[reviewed]
    assert review.state is S.UNDER_REVIEW and review.owner_position is Position.REVIEW
    assert review.assignee_id == hall["review"].user_id
    assert review.assignee_name == "李审核"
    assert review.clock is StepClock.REVIEW
    assert review.clock_started_at == review.timer_started_at == review.state_since
    assert review.version == new.version + 2  # submitted, then claimed
    assert "李审核" in review.search_text
    assert review.deadline(TimerPolicy()) == review.state_since + timedelta(minutes=5)
    with hall.session_factory() as session:  # the fast timestamp path reads what the ORM reads
        case = session.get(Case, reviewed)
        assert case is not None
        stored = (case.created_at, case.state_since, case.timer_started_at, case.occurred_at)
    loaded = (review.created_at, review.state_since, review.timer_started_at, review.occurred_at)
    assert loaded == stored
    assert all(t is not None and t.utcoffset() == timedelta(0) for t in loaded)

    # Seeded rows without timer_started_at: the determination clock started at evacuation,
    # which the row does not know, so no timer rather than a wrong one.
    seeded = rows[waiting[0]]
    assert seeded.clock is StepClock.DETERMINATION and seeded.clock_started_at is None
    assert seeded.plates == () and seeded.party_phones == ()


def test_the_determination_clock_survives_taking_the_task(hall: Hall) -> None:
    case_id = open_case(hall)
    for actor, target in (
        ("reception", S.UNDER_REVIEW),
        ("review", S.EVACUATED),
        ("review", S.AWAITING_DETERMINATION),
    ):
        move_case(hall.session_factory, hall[actor], case_id, target, expected_version=None)
    (before,) = load_rows(hall.session_factory, [case_id])
    taken = claim_next(hall.session_factory, hall["officer"])
    assert taken is not None and taken.case_id == case_id
    (after,) = load_rows(hall.session_factory, [case_id])
    assert after.state is S.DETERMINING and after.assignee_name == "张警官"
    assert after.clock is StepClock.DETERMINATION
    assert after.clock_started_at == before.clock_started_at
    assert after.state_since > before.state_since
    assert step_limit(StepClock.DETERMINATION, TimerPolicy()) == timedelta(minutes=10)


def test_since_days_drops_old_closed_cases_but_never_open_ones(hall: Hall) -> None:
    old_open = bulk_cases(hall.session_factory, 1, S.NEW, start=0)[0]
    old_closed = bulk_cases(hall.session_factory, 1, S.CLOSED, start=1)[0]
    recent_closed = bulk_cases(hall.session_factory, 1, S.REVOKED, start=2)[0]
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC) + timedelta(days=30)
    with hall.session_factory() as session, session.begin():
        session.execute(
            update(Case).where(Case.id == recent_closed).values(updated_at=now - timedelta(days=1))
        )
    ids = {r.case_id for r in load_queue(hall.session_factory, since_days=7, now=now)}
    assert ids == {old_open, recent_closed}
    assert old_closed in {r.case_id for r in load_queue(hall.session_factory)}


def test_limit_keeps_the_newest_cases_with_their_parties(hall: Hall) -> None:
    ids = bulk_cases(hall.session_factory, 5, S.NEW)  # one second apart, oldest first
    with hall.session_factory() as session, session.begin():
        for case_id, plate in ((ids[4], "鲁E11111"), (ids[0], "鲁E00000")):
            session.execute(
                insert(Party), {"case_id": case_id, "letter": "A", "name": "甲", "plate_no": plate}
            )
    rows = load_queue(hall.session_factory, limit=3)
    assert [r.case_id for r in rows] == [ids[4], ids[3], ids[2]]
    assert rows[0].plates == ("鲁E11111",)
    assert [r.plates for r in rows[1:]] == [(), ()]


def test_insurer_staff_see_only_cases_their_company_insures(hall: Hall) -> None:
    insured = open_case(hall, insurer_id=hall.insurer_id)
    other = open_case(hall)
    rows = load_queue(hall.session_factory, insurer_org_id=hall.insurer_id)
    assert [r.case_id for r in rows] == [insured]
    assert rows[0].plates == ("鲁E12345", "鲁EA1234")  # every party of a visible case
    assert (
        load_rows(hall.session_factory, [insured, other], insurer_org_id=hall.insurer_id)[0].case_id
        == insured
    )
    with pytest.raises(NotFound):
        load_case_detail(hall.session_factory, other, insurer_org_id=hall.insurer_id)


def test_load_rows_refreshes_just_the_named_cases_in_batches(hall: Hall) -> None:
    ids = bulk_cases(hall.session_factory, 1_200, S.UNDER_REVIEW)
    with_parties = open_case(hall)
    wanted = [*ids[::3], with_parties, 999_999]  # more than one batch, and a missing id
    rows = load_rows(hall.session_factory, wanted)
    assert sorted(r.case_id for r in rows) == sorted([*ids[::3], with_parties])
    assert by_id(rows)[with_parties].plates == ("鲁E12345", "鲁EA1234")
    assert by_id(rows)[ids[0]].clock_started_at == by_id(rows)[ids[0]].state_since
    assert load_rows(hall.session_factory, []) == []


def test_rows_from_the_database_drive_the_queue_filter(hall: Hall) -> None:
    mine = open_case(hall)
    move_case(hall.session_factory, hall["reception"], mine, S.UNDER_REVIEW, expected_version=None)
    claim_case(hall.session_factory, hall["review"], mine)
    waiting = open_case(hall)
    move_case(
        hall.session_factory, hall["reception"], waiting, S.UNDER_REVIEW, expected_version=None
    )
    rows = load_queue(hall.session_factory)
    now = datetime.now(UTC)

    def passing(queue_filter: QueueFilter) -> set[int]:
        match = queue_filter.predicate(now, TimerPolicy())
        return {r.case_id for r in rows if match is None or match(r)}

    review = hall["review"]
    assert passing(QueueFilter(FilterKind.MINE, review.position, review.user_id)) == {mine}
    assert passing(QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, review.position)) == {waiting}
    assert passing(QueueFilter(FilterKind.OVERDUE)) == set()
    assert passing(QueueFilter(FilterKind.ALL, search="鲁e12345 13698765432")) == {mine, waiting}


def test_case_detail_has_parties_with_vehicle_insurer_policy_and_the_timeline(hall: Hall) -> None:
    case_id = open_case(hall, insurer_id=hall.insurer_id)
    with hall.session_factory() as session, session.begin():
        vehicle_id = session.execute(
            insert(Vehicle).returning(Vehicle.id),
            {
                "plate_type": "small",
                "plate_no": "鲁E12345",
                "vin": "LSVAU2180N2183294",
                "vehicle_type": "小型轿车",
                "owner_name": "刘一",
            },
        ).scalar_one()
        policy_id = session.execute(
            insert(Policy).returning(Policy.id),
            {
                "insurer_org_id": hall.insurer_id,
                "policy_no": "PDZA202637050000012345",
                "vehicle_id": vehicle_id,
                "kind": "compulsory",
                "valid_from": date(2026, 1, 1),
                "valid_until": date(2026, 12, 31),
            },
        ).scalar_one()
        session.execute(
            update(Party)
            .where(Party.case_id == case_id, Party.letter == "A")
            .values(vehicle_id=vehicle_id, policy_id=policy_id, damaged_parts=["front"])
        )
    move_case(
        hall.session_factory, hall["reception"], case_id, S.UNDER_REVIEW, expected_version=None
    )
    claim_case(hall.session_factory, hall["review"], case_id)
    move_case(
        hall.session_factory,
        hall["review"],
        case_id,
        S.RETURNED,
        expected_version=None,
        reason="侧后方照片模糊",
    )

    detail = load_case_detail(hall.session_factory, case_id)

    assert detail.case_id == case_id and detail.state is S.RETURNED
    assert detail.owner_position is Position.RECEPTION
    assert detail.assignee_id is None and detail.clock is None
    assert detail.place == "东营区府前大街与西四路路口" and detail.district == "东营区"
    assert detail.caller_phone == "13912345678" and detail.source == "call"
    assert detail.plates == ("鲁E12345", "鲁EA1234")
    a, b = detail.parties
    assert (a.letter, a.name, a.phone, a.plate_no) == ("A", "刘一", "13912345678", "鲁E12345")
    assert (a.vehicle_type, a.vin, a.vehicle_owner) == ("小型轿车", "LSVAU2180N2183294", "刘一")
    assert (a.insurer_name_zh, a.insurer_name_en) == ("中国人保财险", "PICC P&C")
    assert (a.policy_no, a.policy_kind) == ("PDZA202637050000012345", "compulsory")
    assert a.policy_valid_until == date(2026, 12, 31)
    assert a.damaged_parts == ("front",) and a.signature == "pending"
    assert (b.letter, b.vehicle_type, b.insurer_name_zh, b.policy_no) == ("B", None, None, None)

    kinds = [(e.kind, e.from_state, e.to_state, e.actor_name) for e in detail.timeline]
    assert kinds == [
        ("created", None, S.NEW, "王接警"),
        ("transition", S.NEW, S.UNDER_REVIEW, "王接警"),
        ("claimed", None, None, "李审核"),
        ("transition", S.UNDER_REVIEW, S.RETURNED, "李审核"),
    ]
    created, _, _, returned = detail.timeline
    assert created.details == {"source": "call", "parties": 2}
    assert created.position is Position.RECEPTION and created.seat == hall["reception"].seat
    assert returned.reason == "侧后方照片模糊"
    assert returned.details["action"] == "return_materials"
    assert [e.at for e in detail.timeline] == sorted(e.at for e in detail.timeline)
    assert all(e.at.tzinfo is not None for e in detail.timeline)


def test_case_detail_of_a_missing_case_is_not_found(hall: Hall) -> None:
    with pytest.raises(NotFound) as err:
        load_case_detail(hall.session_factory, 424242)
    assert err.value.code == "case.not_found"


def test_results_carry_no_orm_objects(hall: Hall) -> None:
    case_id = open_case(hall)
    detail = load_case_detail(hall.session_factory, case_id)
    row = load_queue(hall.session_factory)[0]
    for value in (*vars_of(detail), *vars_of(row), *vars_of(detail.parties[0])):
        assert not isinstance(value, (Case, Party, Organisation))


def vars_of(obj: object) -> list[object]:
    return [getattr(obj, name) for name in obj.__slots__]  # type: ignore[attr-defined]


def test_bulk_selection_agrees_with_the_row_predicate() -> None:
    """`QueueFilter.select` (whole queue) and `predicate` (one changed row) must never differ."""
    rng = random.Random(11)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    rows = {}
    for case_id in range(1, 400):
        state = rng.choice(list(CaseState))
        started = now - timedelta(seconds=rng.randint(0, 3600))
        rows[case_id] = QueueRow.create(
            case_id=case_id,
            case_no=f"KC{case_id:06d}",
            state=state,
            owner_position=OWNER[state],
            created_at=started,
            timer_started_at=rng.choice([None, started]),
            assignee_id=rng.choice([None, 1, 2]),
            assignee_name=rng.choice(["张警官", "赵警官"]),
            plates=(f"鲁E{rng.randint(10, 99)}{rng.randint(100, 999)}",),
            place=rng.choice(["垦利区胜兴路", "东营区府前大街", "河口区海宁路"]),
            party_phones=(f"1380013{rng.randint(1000, 9999)}",),
        )
    ordered = sorted(rows)
    rng.shuffle(ordered)
    policy = TimerPolicy()
    for kind in FilterKind:
        for position in (None, *Position):
            for search in ("", "鲁e1", "胜兴路 鲁e", "1380013", "nothing"):
                queue_filter = QueueFilter(kind, position, rng.choice([None, 1, 2]), search)
                match = queue_filter.predicate(now, policy)
                expected = [c for c in ordered if match is None or match(rows[c])]
                assert queue_filter.select(ordered, rows, now, policy) == expected, queue_filter
