"""The claims seat on SQLite and PostgreSQL: an adjuster takes its company's claim, assesses and
pays it and the case settles when every claim is paid; a stale view, a backwards stage and
another company's adjuster are refused; accident-to-payout is computed per case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from console.db.models import Case, CaseEvent, Claim, Organisation, Party, User, UserPosition
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.assignment import claim_case
from console.hall.claims import (
    TAKE_TARGET,
    ClaimChange,
    accident_to_payout,
    claims_case,
    claims_of_company,
    parse_amount,
    parse_parts,
    record_assessment,
    record_payout,
    take_claim,
    take_overdue,
)
from console.hall.errors import HeldByOther, NotFound, PermissionDenied, StaleEdit
from console.hall.insurer_answers import AnswerInput, record_insurer_answer
from tests.hall.conftest import Hall
from tests.hall.test_determination import decide, waiting_case

PAID_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)  # the bulk cases occurred 2026-11-20 08:00


def second_insurer(hall: Hall) -> tuple[int, Actor]:
    """CPIC with one adjuster, for a case whose parties have different insurers."""
    with hall.session_factory() as session, session.begin():
        org = Organisation(
            kind="insurer", code="CPIC", name_zh="太平洋财险", name_en="CPIC P&C", active=True
        )
        session.add(org)
        session.flush()
        user = User(
            org_id=org.id,
            username="claims2",
            display_name="钱理赔",
            password_hash="x",
            active=True,
            failed_logins=0,
            created_at=datetime.now(UTC),
        )
        session.add(user)
        session.flush()
        session.add(UserPosition(user_id=user.id, position=Position.CLAIMS.value))
        return org.id, Actor(user.id, "钱理赔", Position.CLAIMS, "seat-20", org.id)


def determined_case(
    hall: Hall, *, b_insurer: int | None = None, start: int = 0, a_insurer: int | None = None
) -> int:
    case_id = waiting_case(hall, start=start)
    for letter, insurer in (("A", a_insurer), ("B", b_insurer)):
        if insurer is None:
            continue
        with hall.session_factory() as session, session.begin():
            session.execute(
                update(Party)
                .where(Party.case_id == case_id, Party.letter == letter)
                .values(insurer_org_id=insurer)
            )
    claim_case(hall.session_factory, hall["officer"], case_id)
    decide(hall, case_id)
    return case_id


def claim_of(hall: Hall, case_id: int, letter: str) -> int:
    with hall.session_factory() as session:
        return session.scalars(
            select(Claim.id)
            .join(Party, Party.id == Claim.party_id)
            .where(Claim.case_id == case_id, Party.letter == letter)
        ).one()


def case_state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as session:
        return session.scalars(select(Case.state).where(Case.id == case_id)).one()


def assess(hall: Hall, actor: Actor, change: ClaimChange, amount: str = "1800.00") -> ClaimChange:
    return record_assessment(
        hall.session_factory,
        actor,
        change.claim_id,
        expected_version=change.version,
        damaged_parts=["后保险杠", "左尾灯"],
        amount=Decimal(amount),
        repair_shop="东营宏达汽修",
        knock_for_knock=False,
    )


def pay(hall: Hall, actor: Actor, change: ClaimChange, at: datetime = PAID_AT) -> ClaimChange:
    return record_payout(
        hall.session_factory,
        actor,
        change.claim_id,
        expected_version=change.version,
        amount=Decimal("1800.00"),
        paid_at=at,
    )


def test_take_assess_pay_settles_the_case(hall: Hall) -> None:
    case_id = determined_case(hall)
    claim_id = claim_of(hall, case_id, "A")
    taken = take_claim(hall.session_factory, hall["claims"], claim_id)
    assert (taken.case_state, taken.assignee_id) == (CaseState.CLAIMS_OPEN, hall["claims"].user_id)
    assessed = assess(hall, hall["claims"], taken)
    assert assessed.stage == "assessed" and assessed.version > taken.version
    paid = pay(hall, hall["claims"], assessed)
    assert (paid.stage, paid.case_state) == ("paid", CaseState.SETTLED)
    assert case_state(hall, case_id) == "settled"
    with hall.session_factory() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        assert (claim.damaged_parts, claim.assessed_amount, claim.paid_amount) == (
            ["后保险杠", "左尾灯"],
            Decimal("1800.00"),
            Decimal("1800.00"),
        )
        moves = session.execute(
            select(CaseEvent.kind, CaseEvent.to_state)
            .where(CaseEvent.case_id == case_id, CaseEvent.id > 0)
            .order_by(CaseEvent.id)
        ).all()
    # The determined case is first marked notified by the hall, then opened by the adjuster.
    assert moves[-6:] == [
        ("transition", "insurers_notified"),
        ("transition", "claims_open"),
        ("claim_taken", None),
        ("claim_assessed", None),
        ("claim_paid", None),
        ("transition", "settled"),
    ]


def test_two_insurers_the_case_settles_only_when_both_claims_are_paid(hall: Hall) -> None:
    cpic_id, cpic = second_insurer(hall)
    case_id = determined_case(hall, b_insurer=cpic_id)
    a = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    b = take_claim(hall.session_factory, cpic, claim_of(hall, case_id, "B"))
    assert b.case_state is CaseState.CLAIMS_OPEN, "the second take does not move the case again"
    paid_a = pay(hall, hall["claims"], assess(hall, hall["claims"], a))
    assert paid_a.case_state is CaseState.CLAIMS_OPEN
    assert case_state(hall, case_id) == "claims_open"
    paid_b = pay(hall, cpic, assess(hall, cpic, b), at=PAID_AT + timedelta(hours=2))
    assert paid_b.case_state is CaseState.SETTLED
    assert accident_to_payout(hall.session_factory, case_id) == timedelta(days=1, hours=3.5)


def test_accident_to_payout_counts_a_payout_the_insurer_reported_from_the_events(
    hall: Hall,
) -> None:
    cpic_id, _cpic = second_insurer(hall)
    case_id = determined_case(hall, b_insurer=cpic_id)
    a = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    pay(hall, hall["claims"], assess(hall, hall["claims"], a))
    assert accident_to_payout(hall.session_factory, case_id) is None, "B is not paid yet"
    answer = AnswerInput(
        insurer_code="CPIC", case_no="T00000000", party_letter="B", stage="paid",
        paid_amount=Decimal("900"), paid_at=PAID_AT + timedelta(hours=5),
    )  # fmt: skip
    assert record_insurer_answer(hall.session_factory, answer)
    assert accident_to_payout(hall.session_factory, case_id) == timedelta(days=1, hours=6.5)
    with hall.session_factory() as session:
        session.execute(update(Claim).where(Claim.case_id == case_id).values(paid_at=None))
        session.commit()
    assert accident_to_payout(hall.session_factory, case_id) == timedelta(days=1, hours=6.5), (
        "the events are the record, not the claims' columns"
    )


def test_a_stale_view_is_refused(hall: Hall) -> None:
    case_id = determined_case(hall)
    taken = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    assess(hall, hall["claims"], taken)
    with pytest.raises(StaleEdit) as refused:
        assess(hall, hall["claims"], taken, amount="1900.00")  # the version before assessing
    assert refused.value.code == "claim.stale"
    with pytest.raises(StaleEdit):
        pay(hall, hall["claims"], taken)


def test_a_stage_never_goes_backwards(hall: Hall) -> None:
    case_id = determined_case(hall)
    taken = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    with pytest.raises(RuleViolation) as early:
        pay(hall, hall["claims"], taken)
    assert early.value.code == "claim.not_assessed"
    assessed = assess(hall, hall["claims"], taken)
    # An insurer's own system reported the payout (insurer_answers) while this view was open.
    with hall.session_factory() as session, session.begin():
        session.execute(
            update(Claim).where(Claim.id == taken.claim_id).values(stage="paid", version=9)
        )
    stale_free = replace(assessed, version=9)
    with pytest.raises(RuleViolation) as back:
        assess(hall, hall["claims"], stale_free)
    assert back.value.code == "claim.stage_backwards"
    with pytest.raises(RuleViolation) as again:
        pay(hall, hall["claims"], stale_free)
    assert again.value.code == "claim.already_paid"


def test_another_company_cannot_take_assess_or_pay_and_does_not_learn_the_claim_exists(
    hall: Hall,
) -> None:
    cpic_id, cpic = second_insurer(hall)
    case_id = determined_case(hall)
    claim_id = claim_of(hall, case_id, "A")
    with pytest.raises(NotFound) as take_refused:
        take_claim(hall.session_factory, cpic, claim_id)
    with pytest.raises(NotFound) as missing:
        take_claim(hall.session_factory, cpic, claim_id + 1000)
    assert take_refused.value.code == missing.value.code == "claim.no_such_claim"
    assert take_refused.value.params == {"claim_id": claim_id}
    taken = take_claim(hall.session_factory, hall["claims"], claim_id)
    with pytest.raises(NotFound):
        assess(hall, cpic, taken)
    assessed = assess(hall, hall["claims"], taken)
    with pytest.raises(NotFound):
        pay(hall, cpic, assessed)
    assert claims_of_company(hall.session_factory, cpic_id) == []
    assert case_state(hall, case_id) == "claims_open"


def test_only_the_taker_and_only_a_claims_seat_may_act(hall: Hall) -> None:
    case_id = determined_case(hall)
    claim_id = claim_of(hall, case_id, "A")
    with pytest.raises(PermissionDenied) as denied:
        take_claim(hall.session_factory, hall["officer"], claim_id)
    assert denied.value.params["action"] == "take_claim"
    with hall.session_factory() as session:
        version = session.scalars(select(Claim.version).where(Claim.id == claim_id)).one()
    with pytest.raises(HeldByOther) as not_taken:
        record_assessment(
            hall.session_factory,
            hall["claims"],
            claim_id,
            expected_version=version,
            damaged_parts=["前保险杠"],
            amount=Decimal("500"),
            repair_shop="宏达",
            knock_for_knock=True,
        )
    assert not_taken.value.code == "claim.not_taken"


@pytest.mark.parametrize(
    ("parts", "amount", "shop", "code"),
    [
        ([], "100", "宏达", "claim.no_damaged_parts"),
        (["  "], "100", "宏达", "claim.no_damaged_parts"),
        (["前杠"], "0", "宏达", "claim.bad_amount"),
        (["前杠"], "-5", "宏达", "claim.bad_amount"),
        (["前杠"], "1000000.01", "宏达", "claim.bad_amount"),
        (["前杠"], "10.001", "宏达", "claim.bad_amount"),
        (["前杠"], "100", " ", "claim.bad_repair_shop"),
    ],
)
def test_a_bad_assessment_is_refused(
    hall: Hall, parts: list[str], amount: str, shop: str, code: str
) -> None:
    case_id = determined_case(hall)
    taken = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    with pytest.raises(RuleViolation) as refused:
        record_assessment(
            hall.session_factory,
            hall["claims"],
            taken.claim_id,
            expected_version=taken.version,
            damaged_parts=parts,
            amount=Decimal(amount),
            repair_shop=shop,
            knock_for_knock=False,
        )
    assert refused.value.code == code


def test_the_company_queue_and_accident_to_payout(hall: Hall) -> None:
    case_id = determined_case(hall)
    assert accident_to_payout(hall.session_factory, case_id) is None
    (row,) = claims_of_company(hall.session_factory, hall.insurer_id)
    assert (row.case_id, row.party_letter, row.plate_no, row.stage) == (
        case_id,
        "A",
        "鲁E3K821",
        "notified",
    )
    later = claims_of_company(
        hall.session_factory, hall.insurer_id, now=row.notified_at + timedelta(minutes=42)
    )
    assert later[0].minutes_since_notified == 42
    taken = take_claim(hall.session_factory, hall["claims"], row.claim_id)
    pay(hall, hall["claims"], assess(hall, hall["claims"], taken))
    (done,) = claims_of_company(hall.session_factory, hall.insurer_id)
    assert (done.stage, done.paid_amount, done.case_state) == (
        "paid",
        Decimal("1800.00"),
        CaseState.SETTLED,
    )
    assert accident_to_payout(hall.session_factory, case_id) == timedelta(hours=25, minutes=30)


@pytest.mark.parametrize(
    ("paid_at", "code"),
    [
        (datetime(2026, 11, 21, 9, 30), "claim.naive_time"),
        (datetime(2026, 11, 20, 7, 0, tzinfo=UTC), "claim.paid_before_accident"),
        (datetime.now(UTC) + timedelta(days=1), "claim.paid_in_future"),
    ],
)
def test_a_bad_payout_time_is_refused(hall: Hall, paid_at: datetime, code: str) -> None:
    case_id = determined_case(hall)
    taken = take_claim(hall.session_factory, hall["claims"], claim_of(hall, case_id, "A"))
    assessed = assess(hall, hall["claims"], taken)
    with pytest.raises(RuleViolation) as refused:
        pay(hall, hall["claims"], assessed, at=paid_at)
    assert refused.value.code == code
    assert case_state(hall, case_id) == "claims_open"


def test_a_colleague_cannot_take_a_claim_already_taken(hall: Hall) -> None:
    case_id = determined_case(hall)
    claim_id = claim_of(hall, case_id, "A")
    take_claim(hall.session_factory, hall["claims"], claim_id)
    colleague = Actor(
        hall["supervisor"].user_id, "陈值班长", Position.CLAIMS, "seat-30", hall.insurer_id
    )
    with pytest.raises(HeldByOther) as refused:
        take_claim(hall.session_factory, colleague, claim_id)
    assert refused.value.code == "claim.held_by_other"
    assert refused.value.params["holder"] == "周理赔"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1800", "1800"), (" 1,800.50 ", "1800.50"), ("１８００元", "1800"), ("¥950", "950")],
)
def test_amounts_as_adjusters_type_them(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "claim.no_amount"),
        ("abc", "claim.amount_not_a_number"),
        ("1e3", "claim.amount_not_a_number"),
        ("NaN", "claim.amount_not_a_number"),
        ("-5", "claim.bad_amount"),
        ("0", "claim.bad_amount"),
        ("1000000.01", "claim.bad_amount"),
        ("12.345", "claim.bad_amount"),
    ],
)
def test_a_typed_amount_that_is_not_one_is_refused(typed: str, code: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        parse_amount(typed)
    assert refused.value.code == code


def test_damaged_parts_typed_as_a_list() -> None:
    assert parse_parts("后保险杠、左尾灯，右前门\n引擎盖;; ") == [
        "后保险杠",
        "左尾灯",
        "右前门",
        "引擎盖",
    ]


def test_the_claims_pane_view_of_a_case(hall: Hall) -> None:
    cpic_id, cpic = second_insurer(hall)
    case_id = determined_case(hall, b_insurer=cpic_id)
    answer = AnswerInput(
        insurer_code="PICC", case_no="T00000000", party_letter="A", stage="reported", report_no="R7"
    )
    record_insurer_answer(hall.session_factory, answer)
    view = claims_case(hall.session_factory, hall.insurer_id, case_id)
    (mine,) = view.claims
    assert (mine.party_letter, mine.report_no, view.other_claims_unpaid) == ("A", "R7", 1)
    marks = {m.stage: m for m in mine.stages}
    assert marks["reported"].reached and marks["reported"].at is not None
    assert not marks["surveying"].reached and marks["paid"].at is None
    assert [(p.letter, p.insured_here) for p in view.parties] == [("A", True), ("B", False)]
    assert view.letter_id is not None and view.doc_no is not None
    assert view.verdict.failures, "full and none liability: knock-for-knock does not apply"
    codes = {f.code for f in view.verdict.failures}
    assert {"knock_for_knock.party_fully_liable", "knock_for_knock.party_not_liable"} <= codes
    assert mine.may_take(hall["claims"].user_id) and not mine.may_pay(
        hall["claims"].user_id, view.state
    )
    taken = take_claim(hall.session_factory, hall["claims"], mine.claim_id)
    paid = pay(hall, hall["claims"], assess(hall, hall["claims"], taken))
    later = claims_case(hall.session_factory, hall.insurer_id, case_id)
    assert later.claims[0].stages[-1].at == PAID_AT and later.accident_to_payout is None
    assert paid.case_state is CaseState.CLAIMS_OPEN, "CPIC's claim is still unpaid"
    # A case none of whose parties PICC insures does not exist for PICC.
    only_cpic = determined_case(hall, b_insurer=cpic_id, start=1, a_insurer=cpic_id)
    with pytest.raises(NotFound):
        claims_case(hall.session_factory, hall.insurer_id, only_cpic)
    assert claims_case(hall.session_factory, cpic_id, only_cpic).claims
    assert cpic.org_id == cpic_id


def test_the_queue_row_knows_when_a_notification_waits_too_long(hall: Hall) -> None:
    case_id = determined_case(hall)
    (row,) = claims_of_company(hall.session_factory, hall.insurer_id, case_ids=[case_id])
    assert not take_overdue(row, row.notified_at + TAKE_TARGET)
    assert take_overdue(row, row.notified_at + TAKE_TARGET + timedelta(seconds=1))
    assert claims_of_company(hall.session_factory, hall.insurer_id, case_ids=[]) == []
    assert row.occurred_at is not None and row.accident_to_payout is None
