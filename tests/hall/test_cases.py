"""Use cases on a case: every refusal names the problem and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from console.db.models import Case, CaseEvent, Party
from console.domain.errors import RuleViolation
from console.domain.liability import Grade
from console.domain.lifecycle import CaseState
from console.hall.cases import (
    NewCase,
    PartyInput,
    create_case,
    edit_case,
    move_case,
    record_agreement,
)
from console.hall.errors import PermissionDenied, StaleEdit
from tests.hall.conftest import Hall

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def a_case(**overrides: object) -> NewCase:
    fields: dict[str, object] = {
        "source": "call",
        "occurred_at": WHEN,
        "place_text": "东营区府前大街与西四路路口",
        "district": "东营区",
        "lat": 37.434,
        "lon": 118.674,
        "caller_phone": "13912345678",
        "parties": (
            PartyInput(name="刘一", phone="13912345678", plate_no="鲁E12345"),
            PartyInput(name="陈二", phone="13698765432", plate_no="鲁EA1234"),
        ),
    }
    fields.update(overrides)
    return NewCase(**fields)  # type: ignore[arg-type]


def counts(hall: Hall) -> tuple[int, int, int]:
    with hall.session_factory() as session:
        return (
            session.scalar(select(func.count()).select_from(Case)) or 0,
            session.scalar(select(func.count()).select_from(Party)) or 0,
            session.scalar(select(func.count()).select_from(CaseEvent)) or 0,
        )


def test_create_case_writes_case_parties_and_the_created_event(hall: Hall) -> None:
    change = create_case(hall.session_factory, hall["reception"], a_case())
    assert change.state is CaseState.NEW
    assert change.case_no.startswith("KC")
    with hall.session_factory() as session:
        case = session.get(Case, change.case_id)
        assert case is not None
        assert case.owner_position == "reception"
        assert [p.letter for p in case.parties] == ["A", "B"]
        assert case.parties[0].plate_no == "鲁E12345"
        (event,) = case.events
        assert (event.kind, event.to_state, event.actor_id, event.seat, event.position) == (
            "created",
            "new",
            hall["reception"].user_id,
            hall["reception"].seat,
            "reception",
        )


@pytest.mark.parametrize(
    ("overrides", "code", "named"),
    [
        ({"parties": (PartyInput(name="刘一", plate_no="鲁E1234"),)}, "plate.", "鲁E1234"),
        ({"caller_phone": "1391234567"}, "phone.invalid", "1391234567"),
        ({"place_text": "  "}, "case.place_missing", "place"),
        ({"lat": 37.4, "lon": None}, "case.half_coordinates", "longitude"),
        ({"parties": (PartyInput(name=""),)}, "party.name_missing", "Party A"),
    ],
)
def test_create_case_refuses_bad_input_and_writes_nothing(
    hall: Hall, overrides: dict[str, object], code: str, named: str
) -> None:
    with pytest.raises(RuleViolation) as err:
        create_case(hall.session_factory, hall["reception"], a_case(**overrides))
    assert err.value.code.startswith(code)
    assert named in err.value.message
    assert counts(hall) == (0, 0, 0)


def test_a_position_that_may_not_open_cases_is_refused(hall: Hall) -> None:
    with pytest.raises(PermissionDenied) as err:
        create_case(hall.session_factory, hall["claims"], a_case())
    assert "claims" in err.value.message
    assert counts(hall) == (0, 0, 0)


def test_a_move_not_allowed_for_the_position_changes_nothing(hall: Hall) -> None:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    with pytest.raises(RuleViolation) as err:
        move_case(
            hall.session_factory,
            hall["lookup"],  # not claims: an insurer would not even find this case (issue 8)
            made.case_id,
            CaseState.COLLECTING,
            expected_version=made.version,
        )
    assert err.value.code == "lifecycle.position_not_allowed"
    with hall.session_factory() as session:
        case = session.get(Case, made.case_id)
        assert case is not None and case.state == "new" and case.version == made.version
    assert counts(hall)[2] == 1


def test_a_move_appends_an_event_with_from_to_and_reason(hall: Hall) -> None:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    moved = move_case(
        hall.session_factory,
        hall["reception"],
        made.case_id,
        CaseState.ESCALATED,
        expected_version=made.version,
        reason="一方受伤",
    )
    assert moved.state is CaseState.ESCALATED
    assert moved.version == made.version + 1
    with hall.session_factory() as session:
        event = session.get(CaseEvent, moved.event_id)
        assert event is not None
        assert (event.from_state, event.to_state, event.reason) == ("new", "escalated", "一方受伤")
        assert event.details["action"] == "escalate"


def test_escalating_without_a_reason_is_refused(hall: Hall) -> None:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    with pytest.raises(RuleViolation) as err:
        move_case(
            hall.session_factory,
            hall["reception"],
            made.case_id,
            CaseState.ESCALATED,
            expected_version=made.version,
            reason="",
        )
    assert err.value.code == "lifecycle.reason_required"
    assert counts(hall)[2] == 1


def test_a_stale_edit_is_refused_and_the_newer_data_stays(hall: Hall) -> None:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    first = edit_case(
        hall.session_factory,
        hall["reception"],
        made.case_id,
        expected_version=made.version,
        changes={"place_text": "西城南一路"},
    )
    assert first.version == made.version + 1
    with pytest.raises(StaleEdit) as err:
        edit_case(
            hall.session_factory,
            hall["review"],
            made.case_id,
            expected_version=made.version,
            changes={"place_text": "东城北二路"},
        )
    assert err.value.code == "case.stale"
    assert made.case_no in err.value.message
    with hall.session_factory() as session:
        case = session.get(Case, made.case_id)
        assert case is not None and case.place_text == "西城南一路"
        assert [e.kind for e in case.events] == ["created", "edited"]
        assert case.events[1].details["changed"]["place_text"] == [
            "东营区府前大街与西四路路口",
            "西城南一路",
        ]


def test_edit_refuses_fields_that_are_not_facts(hall: Hall) -> None:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    with pytest.raises(RuleViolation) as err:
        edit_case(
            hall.session_factory,
            hall["reception"],
            made.case_id,
            expected_version=made.version,
            changes={"state": "closed"},
        )
    assert "state" in err.value.message


def evacuated_case(hall: Hall) -> int:
    made = create_case(hall.session_factory, hall["reception"], a_case())
    sf = hall.session_factory
    version = made.version
    for actor, target in [
        ("reception", CaseState.COLLECTING),
        ("review", CaseState.UNDER_REVIEW),
        ("review", CaseState.EVACUATED),
    ]:
        version = move_case(sf, hall[actor], made.case_id, target, expected_version=version).version
    return made.case_id


def test_parties_may_not_agree_on_main_and_minor_themselves(hall: Hall) -> None:
    case_id = evacuated_case(hall)
    with pytest.raises(RuleViolation) as err:
        record_agreement(
            hall.session_factory,
            hall["review"],
            case_id,
            expected_version=None,
            grades={"A": Grade.MAIN, "B": Grade.MINOR},
        )
    assert err.value.code.startswith("liability.")
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.state == "evacuated"
        assert all(p.grade is None for p in case.parties)


def test_an_invalid_grade_pair_is_refused(hall: Hall) -> None:
    case_id = evacuated_case(hall)
    with pytest.raises(RuleViolation) as err:
        record_agreement(
            hall.session_factory,
            hall["review"],
            case_id,
            expected_version=None,
            grades={"A": Grade.FULL, "B": Grade.EQUAL},
        )
    assert err.value.code.startswith("liability.")


def test_a_valid_agreement_grades_the_parties_and_moves_the_case(hall: Hall) -> None:
    case_id = evacuated_case(hall)
    change = record_agreement(
        hall.session_factory,
        hall["review"],
        case_id,
        expected_version=None,
        grades={"A": Grade.FULL, "B": Grade.NONE},
    )
    assert change.state is CaseState.AGREED
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert {p.letter: p.grade for p in case.parties} == {"A": "full", "B": "none"}


def test_evacuation_starts_the_determination_clock(hall: Hall) -> None:
    case_id = evacuated_case(hall)
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.timer_started_at == case.state_since
