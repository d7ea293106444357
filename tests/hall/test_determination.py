"""Determination write-back on SQLite and PostgreSQL: the officer holding the task decides,
the letter gets a unit-and-year number no one else gets, the parties and insurers are queued,
a second officer or a stale view is refused, and the verification code finds the letter."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import Case, Letter, OutboxMessage, Party
from console.domain.errors import RuleViolation
from console.domain.letter import LetterContent
from console.domain.liability import Grade
from console.domain.lifecycle import CaseState
from console.hall.assignment import claim_case
from console.hall.determination import (
    DeterminationInput,
    determine_case,
    letter_by_code,
    letter_pdf,
)
from console.hall.errors import HeldByOther, StaleEdit
from tests.conftest import postgres_only
from tests.hall.conftest import Hall, build_hall, bulk_cases

REAR_END = DeterminationInput(
    situation_code="REAR_END",
    at_fault_letter="A",
    grades={"A": Grade.FULL, "B": Grade.NONE},
    narrative="甲车追尾乙车，甲方负全部责任。",
    collision_parts=("甲车前部", "乙车尾部"),
)


def text_pdf(content: LetterContent) -> bytes:
    """A stand-in renderer with the same contract as console.reports.letter: equal content,
    equal bytes. The PDF itself is tested with the real renderer in tests/ui."""
    return b"%PDF-1.4\n" + repr(content).encode("utf-8") + b"\n%%EOF"


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def waiting_case(hall: Hall, *, start: int = 0) -> int:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION, start=start)
    with hall.session_factory() as session, session.begin():
        session.execute(
            insert(Party),
            [
                {
                    "case_id": case_id,
                    "letter": "A",
                    "name": "刘一",
                    "phone": "13905461111",
                    "plate_no": "鲁E3K821",
                    "insurer_org_id": hall.insurer_id,
                },
                {
                    "case_id": case_id,
                    "letter": "B",
                    "name": "陈二",
                    "phone": "13905462222",
                    "plate_no": "鲁EF12345",
                },
            ],
        )
    return case_id


def decide(
    hall: Hall,
    case_id: int,
    who: str = "officer",
    decision: DeterminationInput = REAR_END,
    version: int | None = None,
):  # type: ignore[no-untyped-def]
    return determine_case(
        hall.session_factory,
        hall[who],
        case_id,
        decision,
        expected_version=version,
        render=text_pdf,
        verification_base_url="https://hall.example/letters",
    )


def test_the_officer_holding_the_task_determines_and_the_letter_is_issued(hall: Hall) -> None:
    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    done = decide(hall, case_id)
    assert done.doc_no.endswith("第000001号") and "〔2026〕" in done.doc_no
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.state == "determined" and case.situation_code == "REAR_END"
        grades = dict(
            session.execute(select(Party.letter, Party.grade).where(Party.case_id == case_id)).all()
        )
        kinds = sorted(
            session.scalars(select(OutboxMessage.kind).where(OutboxMessage.case_id == case_id))
        )
        push = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "insurer_push")
        ).one()
    assert grades == {"A": "full", "B": "none"}
    assert kinds == ["insurer_push", "sms"], "one push per insurer, one SMS to the parties"
    assert push.destination == "PICC" and push.payload["knock_for_knock"] is False
    sent = push.payload
    assert (sent["basis"], sent["doc_no"], sent["unit"]["code"]) == (
        "determination",
        done.doc_no,
        "DYJJ",
    )
    assert sent["documents"] == [
        {"kind": "letter", "sha256": done.pdf_sha256, "mime": "application/pdf"}
    ], "the letter goes with the push (its bytes are added when it is sent)"
    assert [(p["letter"], p["grade"], p["insured_here"]) for p in sent["parties"]] == [
        ("A", "full", True),
        ("B", "none", False),
    ]
    assert sent["officer"]["name"] == hall["officer"].display_name
    found = letter_by_code(hall.session_factory, done.verification_code.lower())
    assert (found.case_id, found.doc_no) == (case_id, done.doc_no)
    first = letter_pdf(hall.session_factory, done.letter_id)
    assert letter_pdf(hall.session_factory, done.letter_id) == first, "a reprint is identical"
    assert done.doc_no.encode() in first


def test_a_second_officer_is_told_who_holds_the_task_and_a_stale_view_is_refused(
    hall: Hall,
) -> None:
    case_id = waiting_case(hall)
    change = claim_case(hall.session_factory, hall["officer"], case_id)
    with pytest.raises(HeldByOther) as other:
        decide(hall, case_id, who="officer2")
    assert other.value.params["holder"] == hall["officer"].display_name
    with pytest.raises(StaleEdit):
        decide(hall, case_id, version=change.version - 1)
    with hall.session_factory() as session:
        assert session.scalar(select(Letter.id)) is None, "a refusal writes nothing"


def test_overriding_the_proposal_needs_a_reason_and_invalid_grades_are_refused(hall: Hall) -> None:
    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    main_minor = DeterminationInput(
        situation_code="REAR_END",
        at_fault_letter="A",
        grades={"A": Grade.MAIN, "B": Grade.MINOR},
        narrative="乙车急刹，甲车追尾。",
    )
    with pytest.raises(RuleViolation) as no_reason:
        decide(hall, case_id, decision=main_minor)
    assert no_reason.value.code == "determination.override_needs_reason"
    full_full = DeterminationInput(
        situation_code="REAR_END",
        at_fault_letter="A",
        grades={"A": Grade.FULL, "B": Grade.FULL},
        narrative="x",
        override_reason="?",
    )
    with pytest.raises(RuleViolation) as invalid:
        decide(hall, case_id, decision=full_full)
    assert invalid.value.code.startswith("liability.")
    reasoned = replace(main_minor, override_reason="乙车无故急刹，甲车未保持安全距离")
    done = decide(hall, case_id, decision=reasoned)
    with hall.session_factory() as session:
        assert session.scalar(select(Case.state).where(Case.id == case_id)) == "determined"
    assert done.knock_for_knock in ("possible", "no")


def _determine_in_process(url: str, officer_id: int, case_ids: list[int]) -> list[str]:
    from console.db.engine import make_engine, make_session_factory
    from console.domain.positions import Position
    from console.hall.actor import Actor

    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(officer_id, "张警官", Position.DETERMINATION, f"seat-{officer_id}")
    numbers = []
    try:
        for case_id in case_ids:
            claim_case(factory, actor, case_id)
            done = determine_case(
                factory,
                actor,
                case_id,
                REAR_END,
                expected_version=None,
                render=text_pdf,
                verification_base_url="https://hall.example",
            )
            numbers.append(done.doc_no)
    finally:
        engine.dispose()
    return numbers


@postgres_only
def test_officers_in_four_processes_never_share_a_document_number(hall: Hall, db_url: str) -> None:
    cases = [waiting_case(hall, start=i) for i in range(40)]
    officer = hall["officer"].user_id
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(
            _determine_in_process, [(db_url, officer, cases[i::4]) for i in range(4)]
        )
    numbers = [n for chunk in results for n in chunk]
    assert len(numbers) == 40 and not [n for n, c in Counter(numbers).items() if c > 1]
    serials = sorted(int(n.split("第")[1].rstrip("号")) for n in numbers)
    assert serials == list(range(1, 41)), "no number lost, none reused"


def test_an_objection_in_time_disputes_and_mediation_adds_a_new_letter_version(hall: Hall) -> None:
    from datetime import timedelta

    from console.hall.cases import move_case
    from console.hall.determination import raise_objection, record_mediation

    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    first = decide(hall, case_id)
    with hall.session_factory() as session:
        issued = session.scalar(select(Letter.issued_at).where(Letter.id == first.letter_id))
    assert issued is not None
    with pytest.raises(RuleViolation) as late:
        raise_objection(
            hall.session_factory,
            hall["lookup"],
            case_id,
            reason="乙方称甲方未减速",
            received_at=issued + timedelta(days=5),
        )
    assert late.value.code == "objection.too_late"
    raise_objection(hall.session_factory, hall["lookup"], case_id, reason="乙方对责任有异议")
    move_case(
        hall.session_factory, hall["officer"], case_id, CaseState.MEDIATING, expected_version=None
    )
    second = record_mediation(
        hall.session_factory,
        hall["officer"],
        case_id,
        mediation_text="经调解，双方自愿达成协议。",
        expected_version=None,
        render=text_pdf,
        verification_base_url="https://hall.example/letters",
    )
    assert second.doc_no == first.doc_no and second.verification_code != first.verification_code
    with hall.session_factory() as session:
        versions = session.execute(
            select(Letter.version, Letter.superseded_at.is_(None))
            .where(Letter.case_id == case_id)
            .order_by(Letter.version)
        ).all()
        assert session.scalar(select(Case.state).where(Case.id == case_id)) == "determined"
    assert [tuple(v) for v in versions] == [(1, False), (2, True)], "the old version is kept"
    assert letter_by_code(hall.session_factory, first.verification_code).superseded
    assert "经调解".encode() in letter_pdf(hall.session_factory, second.letter_id)
    assert "经调解".encode() not in letter_pdf(hall.session_factory, first.letter_id)
