"""Claiming work: one holder per case, audited take-over, and no double claims across processes."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import select

from console.db.models import Case, CaseEvent
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.assignment import claim_case, claim_next, release_case, take_over
from console.hall.cases import move_case
from console.hall.errors import HeldByOther, PermissionDenied
from tests.hall.conftest import Hall, bulk_cases


def test_take_next_gives_the_oldest_waiting_case_and_locks_the_task(hall: Hall) -> None:
    ids = bulk_cases(hall.session_factory, 3, CaseState.AWAITING_DETERMINATION)
    first = claim_next(hall.session_factory, hall["officer"])
    second = claim_next(hall.session_factory, hall["officer2"])
    assert first is not None and second is not None
    assert (first.case_id, second.case_id) == (ids[0], ids[1])
    assert first.state is CaseState.DETERMINING
    assert first.assignee_id == hall["officer"].user_id


def test_take_next_only_draws_from_my_position(hall: Hall) -> None:
    bulk_cases(hall.session_factory, 2, CaseState.UNDER_REVIEW)
    assert claim_next(hall.session_factory, hall["officer"]) is None
    got = claim_next(hall.session_factory, hall["review"])
    assert got is not None and got.state is CaseState.UNDER_REVIEW


def test_a_second_officer_is_told_who_holds_the_case(hall: Hall) -> None:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    claim_case(hall.session_factory, hall["officer"], case_id)
    with pytest.raises(HeldByOther) as err:
        claim_case(hall.session_factory, hall["officer2"], case_id)
    assert "张警官" in err.value.message
    with pytest.raises(HeldByOther):
        move_case(
            hall.session_factory,
            hall["officer2"],
            case_id,
            CaseState.DETERMINED,
            expected_version=None,
        )
    with pytest.raises(HeldByOther):
        release_case(hall.session_factory, hall["officer2"], case_id)
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.assignee_id == hall["officer"].user_id


def test_determining_needs_the_lock(hall: Hall) -> None:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    claimed = claim_case(hall.session_factory, hall["officer"], case_id)
    done = move_case(
        hall.session_factory,
        hall["officer"],
        case_id,
        CaseState.DETERMINED,
        expected_version=claimed.version,
    )
    assert done.state is CaseState.DETERMINED
    assert done.assignee_id is None


def test_a_case_waiting_on_review_cannot_be_claimed_by_an_officer(hall: Hall) -> None:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.UNDER_REVIEW)
    with pytest.raises(PermissionDenied) as err:
        claim_case(hall.session_factory, hall["officer"], case_id)
    assert "review" in err.value.message


def test_release_returns_a_determination_task_to_the_queue(hall: Hall) -> None:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    claim_case(hall.session_factory, hall["officer"], case_id)
    released = release_case(hall.session_factory, hall["officer"], case_id, reason="换班")
    assert released.state is CaseState.AWAITING_DETERMINATION
    assert released.assignee_id is None
    again = claim_next(hall.session_factory, hall["officer2"])
    assert again is not None and again.case_id == case_id


def test_supervisor_take_over_needs_a_reason_and_is_audited(hall: Hall) -> None:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    claim_case(hall.session_factory, hall["officer"], case_id)
    with pytest.raises(RuleViolation):
        take_over(hall.session_factory, hall["supervisor"], case_id, reason=" ")
    with pytest.raises(PermissionDenied):
        take_over(hall.session_factory, hall["officer2"], case_id, reason="I want it")
    moved = take_over(
        hall.session_factory,
        hall["supervisor"],
        case_id,
        reason="张警官离席",
        to_user_id=hall["officer2"].user_id,
    )
    assert moved.assignee_id == hall["officer2"].user_id
    with hall.session_factory() as session:
        event = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "taken_over")
        ).one()
        assert event.actor_id == hall["supervisor"].user_id
        assert event.reason == "张警官离席"
        assert event.details["from_user"] == "张警官"
    done = move_case(
        hall.session_factory, hall["officer2"], case_id, CaseState.DETERMINED, expected_version=None
    )
    assert done.state is CaseState.DETERMINED


def _claim_all(url: str, actor_fields: tuple[object, ...]) -> list[int]:
    """Run in a separate process: claim until the queue is empty."""
    from console.db.engine import make_engine, make_session_factory
    from console.domain.positions import Position
    from console.hall.actor import Actor

    user_id, name, seat = actor_fields
    actor = Actor(int(user_id), str(name), Position.REVIEW, str(seat))  # type: ignore[call-overload]
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    got = []
    try:
        while (change := claim_next(session_factory, actor)) is not None:
            got.append(change.case_id)
    finally:
        engine.dispose()
    return got


@pytest.mark.slow
def test_two_processes_claiming_one_queue_never_share_or_lose_a_case(
    hall: Hall, db_url: str
) -> None:
    ids = bulk_cases(hall.session_factory, 1000, CaseState.UNDER_REVIEW)
    review = hall["review"]
    jobs = [(review.user_id, review.display_name, f"seat-{n}") for n in range(2)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_claim_all, [(db_url, job) for job in jobs])
    claimed = [case_id for result in results for case_id in result]
    assert all(results), "both processes should have claimed some cases"
    doubles = [case_id for case_id, n in Counter(claimed).items() if n > 1]
    assert doubles == []
    assert sorted(claimed) == ids
    with hall.session_factory() as session:
        unclaimed = session.scalars(select(Case.id).where(Case.assignee_id.is_(None))).all()
        assert unclaimed == []
        claim_events = session.scalars(
            select(CaseEvent.case_id).where(CaseEvent.kind == "claimed")
        ).all()
        assert sorted(claim_events) == ids
