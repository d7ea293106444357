"""Insurers' answers on the claims, on SQLite and PostgreSQL: a determination opens a claim
per insured party, answers move it forward only, a repeated or late answer changes nothing,
a refusal is recorded once, and an answer about something the hall does not have is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from console.db.models import CaseEvent, Claim
from console.hall.assignment import claim_case
from console.hall.errors import NotFound
from console.hall.insurer_answers import AnswerInput, record_insurer_answer
from tests.hall.conftest import Hall
from tests.hall.test_determination import decide, waiting_case


def determined(hall: Hall) -> str:
    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    return decide(hall, case_id).change.case_no


def claims(hall: Hall) -> list[tuple[str, str | None, Decimal | None, Decimal | None]]:
    with hall.session_factory() as session:
        return [
            (c.stage, c.report_no, c.assessed_amount, c.paid_amount)
            for c in session.scalars(select(Claim).order_by(Claim.id))
        ]


def events(hall: Hall, kind: str) -> list[dict[str, object]]:
    with hall.session_factory() as session:
        return [
            dict(d)
            for d in session.scalars(
                select(CaseEvent.details).where(CaseEvent.kind == kind).order_by(CaseEvent.id)
            )
        ]


def test_a_determination_opens_a_claim_for_the_insured_party_only(hall: Hall) -> None:
    determined(hall)
    # Party A is insured with PICC; party B has no insurer on record: one claim.
    assert claims(hall) == [("notified", None, None, None)]


def test_answers_move_the_claim_forward_and_each_change_is_a_case_event(hall: Hall) -> None:
    case_no = determined(hall)
    steps = [
        AnswerInput("PICC", case_no, "A", "reported", report_no="RPICC001"),
        AnswerInput("PICC", case_no, "A", "surveying", report_no="RPICC001"),
        AnswerInput(
            "PICC",
            case_no,
            "A",
            "assessed",
            assessed_amount=Decimal("3200.50"),
            repair_shop="东营宏达汽修",
        ),
        AnswerInput(
            "PICC",
            case_no,
            "A",
            "paid",
            assessed_amount=Decimal("3200.50"),
            paid_amount=Decimal("3200.50"),
        ),
    ]
    for step in steps:
        assert record_insurer_answer(hall.session_factory, step)
    assert claims(hall) == [("paid", "RPICC001", Decimal("3200.50"), Decimal("3200.50"))]
    assert [e["stage"] for e in events(hall, "insurer_answered")] == [
        "reported",
        "surveying",
        "assessed",
        "paid",
    ]


def test_a_repeated_or_late_answer_changes_nothing(hall: Hall) -> None:
    case_no = determined(hall)
    paid = AnswerInput("PICC", case_no, "A", "paid", report_no="R9", paid_amount=Decimal("800"))
    assert record_insurer_answer(hall.session_factory, paid)
    assert not record_insurer_answer(hall.session_factory, paid), "the same answer again"
    late = AnswerInput("PICC", case_no, "A", "surveying", report_no="R-other")
    assert not record_insurer_answer(hall.session_factory, late), "a stage never goes back"
    assert claims(hall) == [("paid", "R9", None, Decimal("800"))]
    assert len(events(hall, "insurer_answered")) == 1


def test_a_refusal_is_recorded_once_and_leaves_the_stage(hall: Hall) -> None:
    case_no = determined(hall)
    record_insurer_answer(hall.session_factory, AnswerInput("PICC", case_no, "A", "reported"))
    declined = AnswerInput("PICC", case_no, "A", "declined", note="保单已过期")
    assert record_insurer_answer(hall.session_factory, declined)
    assert not record_insurer_answer(hall.session_factory, declined)
    assert claims(hall)[0][0] == "reported"
    assert events(hall, "insurer_declined") == [
        {"insurer": "PICC", "party": "A", "note": "保单已过期"}
    ]


@pytest.mark.parametrize(
    ("case_no", "insurer", "party", "code"),
    [
        ("NO-SUCH-CASE", "PICC", "A", "case.not_found"),
        (None, "ZZZZ", "A", "claim.not_found"),
        (None, "PICC", "C", "claim.not_found"),
    ],
)
def test_an_answer_about_what_the_hall_does_not_have_is_refused(
    hall: Hall, case_no: str | None, insurer: str, party: str, code: str
) -> None:
    real = determined(hall)
    with pytest.raises(NotFound) as refused:
        record_insurer_answer(
            hall.session_factory, AnswerInput(insurer, case_no or real, party, "reported")
        )
    assert refused.value.code == code
    assert claims(hall) == [("notified", None, None, None)]


def test_an_unknown_stage_is_a_programming_error(hall: Hall) -> None:
    case_no = determined(hall)
    with pytest.raises(ValueError, match="unknown claim stage"):
        record_insurer_answer(hall.session_factory, AnswerInput("PICC", case_no, "A", "lost"))
