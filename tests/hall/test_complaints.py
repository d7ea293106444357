"""Non-payment complaints on SQLite and PostgreSQL: filing and who may file, the hall's call,
the sanction (watch list, fine, credit notice) exactly once — also with two seats running it at
the same moment — and payment closing the complaint and lifting the watch-list entry."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import ColumnElement, func, select

from console.db.models import (
    COMPLAINT_STATES,
    Base,
    CaseEvent,
    Complaint,
    Organisation,
    OutboxMessage,
    Party,
    WatchlistEntry,
)
from console.domain.complaints import ComplaintPolicy, ComplaintState
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.complaints import (
    ComplaintFiled,
    file_complaint,
    list_complaints,
    overdue_complaints,
    record_contact,
    record_payment,
    sanction_overdue,
)
from console.hall.errors import NotFound, PermissionDenied
from tests.conftest import postgres_only
from tests.hall.conftest import Hall, bulk_cases

# Tuesday 29 September 2026, 10:00 in Dongying: payment due at the end of Friday 9 October
# (National Day 1–7 October in between).
FILED = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
PAY_BY = datetime(2026, 10, 9, 15, 59, 59, 999999, tzinfo=UTC)
AFTER = PAY_BY + timedelta(seconds=1)


def second_insurer(hall: Hall) -> int:
    with hall.session_factory() as session, session.begin():
        org = Organisation(
            kind="insurer", code="CPIC", name_zh="太平洋财险", name_en="CPIC", active=True
        )
        session.add(org)
        session.flush()
        return org.id


def case_with_parties(hall: Hall, other_insurer: int, *, start: int = 0) -> int:
    """A at fault, insured by the hall's insurer (PICC); B insured by `other_insurer`."""
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.CLAIMS_OPEN, start=start)
    with hall.session_factory() as session, session.begin():
        session.add_all(
            [
                Party(
                    case_id=case_id,
                    letter="A",
                    name="刘一",
                    phone="13800000001",
                    plate_type="02",
                    plate_no="鲁E12345",
                    insurer_org_id=hall.insurer_id,
                ),
                Party(
                    case_id=case_id,
                    letter="B",
                    name="陈二",
                    phone="13800000002",
                    plate_type="02",
                    plate_no="鲁E67890",
                    insurer_org_id=other_insurer,
                ),
            ]
        )
    return case_id


def file_against_picc(hall: Hall, case_id: int) -> ComplaintFiled:
    return file_complaint(
        hall.session_factory,
        hall["lookup"],
        case_id,
        party_letter="A",
        insurer_org_id=hall.insurer_id,
        reason="定损后十日未赔付",
        now=FILED,
    )


def count(hall: Hall, model: type[Base], *where: ColumnElement[bool]) -> int:
    with hall.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def complaint(hall: Hall, complaint_id: int) -> Complaint:
    with hall.session_factory() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        return row


def test_states_match_the_schema() -> None:
    assert tuple(s.value for s in ComplaintState) == COMPLAINT_STATES


def test_filing_sets_both_deadlines_and_records_an_event(hall: Hall) -> None:
    case_id = case_with_parties(hall, second_insurer(hall))
    filed = file_against_picc(hall, case_id)
    assert filed.contact_due_at == FILED + timedelta(hours=24)
    assert filed.pay_due_at == PAY_BY
    assert not filed.calendar_fallback
    row = complaint(hall, filed.complaint_id)
    assert (row.state, row.party_letter, row.complainant_name) == ("open", "A", "陈二")
    assert row.complainant_phone == "13800000002"
    assert row.pay_due_at == PAY_BY
    with hall.session_factory() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
    assert event.kind == "complaint_filed"
    assert event.position == "lookup"
    assert event.details["complaint_id"] == filed.complaint_id


def test_filing_is_checked(hall: Hall) -> None:
    other = second_insurer(hall)
    case_id = case_with_parties(hall, other)
    sf, lookup = hall.session_factory, hall["lookup"]
    cases: list[tuple[str, dict[str, object]]] = [
        ("complaint.no_party", {"party_letter": "C", "insurer_org_id": hall.insurer_id}),
        ("complaint.insurer_mismatch", {"party_letter": "A", "insurer_org_id": other}),
        ("complaint.bad_complainant", {"complainant_letter": "A"}),
    ]
    for code, changes in cases:
        kwargs: dict[str, object] = {
            "party_letter": "A",
            "insurer_org_id": hall.insurer_id,
            "reason": "未赔付",
        }
        kwargs.update(changes)
        with pytest.raises(RuleViolation) as refused:
            file_complaint(sf, lookup, case_id, **kwargs)  # type: ignore[arg-type]
        assert refused.value.code == code
    with pytest.raises(RuleViolation) as empty:
        file_complaint(sf, lookup, case_id, party_letter="A", insurer_org_id=1, reason="  ")
    assert empty.value.code == "complaint.reason_required"
    with pytest.raises(NotFound):
        file_complaint(
            sf, lookup, 999_999, party_letter="A", insurer_org_id=hall.insurer_id, reason="x"
        )
    file_against_picc(hall, case_id)
    with pytest.raises(RuleViolation) as twice:
        file_against_picc(hall, case_id)
    assert twice.value.code == "complaint.already_open"
    assert count(hall, Complaint) == 1


def test_who_may_file(hall: Hall) -> None:
    other = second_insurer(hall)
    case_id = case_with_parties(hall, other)
    sf = hall.session_factory
    with pytest.raises(PermissionDenied) as patrol:
        file_complaint(
            sf, hall["patrol"], case_id, party_letter="A", insurer_org_id=hall.insurer_id,
            reason="未赔付",
        )  # fmt: skip
    assert patrol.value.code == "permission.denied"
    # PICC's adjuster may not file against a competitor, only against PICC itself.
    with pytest.raises(PermissionDenied) as competitor:
        file_complaint(
            sf, hall["claims"], case_id, party_letter="B", insurer_org_id=other, reason="未赔付"
        )
    assert competitor.value.code == "complaint.other_insurer"
    assert count(hall, Complaint) == 0
    filed = file_complaint(
        sf, hall["claims"], case_id, party_letter="A", insurer_org_id=hall.insurer_id,
        reason="客户投诉未赔付", now=FILED,
    )  # fmt: skip
    assert complaint(hall, filed.complaint_id).filed_by == hall["claims"].user_id


def test_the_call_is_recorded_once_by_the_hall(hall: Hall) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    sf = hall.session_factory
    with pytest.raises(PermissionDenied):
        record_contact(sf, hall["claims"], filed.complaint_id, "已致电")
    with pytest.raises(RuleViolation) as empty:
        record_contact(sf, hall["lookup"], filed.complaint_id, " ")
    assert empty.value.code == "complaint.note_required"
    late = FILED + timedelta(hours=25)
    changed = record_contact(
        sf, hall["lookup"], filed.complaint_id, "已致电人保，责令三日内赔付", now=late
    )
    assert changed.state is ComplaintState.CONTACTED
    row = complaint(hall, filed.complaint_id)
    assert (row.state, row.contacted_at, row.contact_note) == (
        "contacted", late, "已致电人保，责令三日内赔付"
    )  # fmt: skip
    with pytest.raises(RuleViolation) as again:
        record_contact(sf, hall["supervisor"], filed.complaint_id, "再次致电", now=late)
    assert again.value.code == "complaint.bad_transition"
    with pytest.raises(NotFound):
        record_contact(sf, hall["lookup"], 999_999, "x")


def test_an_overdue_complaint_is_sanctioned_once_not_twice(hall: Hall) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    sf = hall.session_factory
    record_contact(sf, hall["lookup"], filed.complaint_id, "已致电", now=FILED + timedelta(hours=1))
    assert sanction_overdue(sf, None, PAY_BY).sanctioned == ()
    run = sanction_overdue(sf, None, AFTER)
    assert run.complaint_ids == (filed.complaint_id,)
    (sanctioned,) = run.sanctioned
    assert (sanctioned.plate_no, sanctioned.fine_amount) == ("鲁E12345", Decimal("5000.00"))
    assert sanction_overdue(sf, hall["lookup"], AFTER + timedelta(days=1)).sanctioned == ()

    row = complaint(hall, filed.complaint_id)
    assert (row.state, row.sanctioned_at, row.credit_notice_at) == ("sanctioned", AFTER, AFTER)
    assert row.fine_amount == Decimal("5000.00")
    with sf() as session:
        entry = session.scalars(select(WatchlistEntry)).one()
        outbox = session.scalars(select(OutboxMessage).order_by(OutboxMessage.kind)).all()
        kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
    assert (entry.plate_no, entry.complaint_id, entry.lifted_at) == (
        "鲁E12345", filed.complaint_id, None
    )  # fmt: skip
    assert [(m.kind, m.destination, m.idempotency_key) for m in outbox] == [
        ("credit_notice", "credit_bureau", f"complaint-{filed.complaint_id}-credit-notice"),
        ("watchlist", "checkpoint", f"complaint-{filed.complaint_id}-watchlist-add"),
    ]
    assert outbox[1].payload["plate_no"] == "鲁E12345"
    assert outbox[0].payload["fine_amount"] == "5000.00"
    assert kinds == ["complaint_filed", "complaint_contacted", "complaint_sanctioned"]


def test_sanction_permissions_and_fine_range(hall: Hall) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    sf = hall.session_factory
    with pytest.raises(PermissionDenied):
        sanction_overdue(sf, hall["claims"], AFTER)
    for fine in (Decimal(4999), Decimal(20001)):
        with pytest.raises(RuleViolation) as refused:
            sanction_overdue(sf, hall["supervisor"], AFTER, fine=fine)
        assert refused.value.code == "complaint.fine_out_of_range"
    assert count(hall, WatchlistEntry) == 0
    assert complaint(hall, filed.complaint_id).state == "open"
    city = ComplaintPolicy(fine_min=Decimal(1000), fine_max=Decimal(30000))
    run = sanction_overdue(sf, hall["supervisor"], AFTER, fine=Decimal(25000), policy=city)
    assert run.sanctioned[0].fine_amount == Decimal("25000.00")
    assert complaint(hall, filed.complaint_id).fine_amount == Decimal("25000.00")


def test_payment_closes_the_complaint_and_lifts_the_watch_list_entry(hall: Hall) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    sf = hall.session_factory
    sanction_overdue(sf, None, AFTER)
    with pytest.raises(RuleViolation) as nothing:
        record_payment(sf, hall["lookup"], filed.complaint_id, Decimal(0), AFTER)
    assert nothing.value.code == "complaint.bad_payment"
    with pytest.raises(PermissionDenied):
        record_payment(sf, hall["patrol"], filed.complaint_id, Decimal(3200), AFTER)
    paid_at = AFTER + timedelta(hours=3)
    recorded = record_payment(
        sf, hall["lookup"], filed.complaint_id, Decimal("3200.5"), paid_at, now=paid_at
    )
    row = complaint(hall, filed.complaint_id)
    assert (row.state, row.paid_amount, row.paid_at, row.closed_at) == (
        "closed", Decimal("3200.50"), paid_at, paid_at
    )  # fmt: skip
    with sf() as session:
        entry = session.scalars(select(WatchlistEntry)).one()
        removal = session.scalars(
            select(OutboxMessage).where(OutboxMessage.payload["action"].as_string() == "remove")
        ).one()
    assert recorded.lifted_entry_ids == (entry.id,)
    assert entry.lifted_at == paid_at
    assert (removal.kind, removal.destination, removal.payload["plate_no"]) == (
        "watchlist", "checkpoint", "鲁E12345"
    )  # fmt: skip
    with pytest.raises(RuleViolation) as twice:
        record_payment(sf, hall["lookup"], filed.complaint_id, Decimal(1), paid_at)
    assert twice.value.code == "complaint.bad_transition"
    assert sanction_overdue(sf, None, paid_at + timedelta(days=5)).sanctioned == ()


def test_payment_before_the_deadline_means_no_sanction(hall: Hall) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    sf = hall.session_factory
    # The respondent's own adjuster records the payment.
    recorded = record_payment(sf, hall["claims"], filed.complaint_id, Decimal(2000), FILED)
    assert recorded.lifted_entry_ids == ()
    assert sanction_overdue(sf, None, AFTER).sanctioned == ()
    assert count(hall, WatchlistEntry) == 0
    assert count(hall, OutboxMessage) == 0


def test_an_insurer_sees_and_pays_only_its_own_complaints(hall: Hall) -> None:
    other = second_insurer(hall)
    case_id = case_with_parties(hall, other)
    mine = file_against_picc(hall, case_id)
    theirs = file_complaint(
        hall.session_factory, hall["lookup"], case_id, party_letter="B", insurer_org_id=other,
        reason="未赔付", now=FILED + timedelta(minutes=1),
    )  # fmt: skip
    everything = list_complaints(hall.session_factory, now=FILED)
    assert [r.id for r in everything] == [theirs.complaint_id, mine.complaint_id]
    own = list_complaints(hall.session_factory, insurer_org_id=hall["claims"].org_id)
    assert [(r.id, r.plate_no, r.respondent_name_zh) for r in own] == [
        (mine.complaint_id, "鲁E12345", "中国人保财险")
    ]
    with pytest.raises(NotFound):
        record_payment(
            hall.session_factory, hall["claims"], theirs.complaint_id, Decimal(100), FILED
        )
    assert complaint(hall, theirs.complaint_id).state == "open"


def test_overdue_complaints_raise_the_alarms(hall: Hall) -> None:
    other = second_insurer(hall)
    filed = file_against_picc(hall, case_with_parties(hall, other))
    sf = hall.session_factory
    assert overdue_complaints(sf, FILED + timedelta(hours=24)) == []
    (late_call,) = overdue_complaints(sf, FILED + timedelta(hours=24, seconds=1))
    assert (late_call.id, late_call.contact_overdue, late_call.payment_overdue) == (
        filed.complaint_id, True, False
    )  # fmt: skip
    record_contact(
        sf, hall["lookup"], filed.complaint_id, "已致电", now=FILED + timedelta(hours=30)
    )
    assert overdue_complaints(sf, PAY_BY) == []
    (unpaid,) = overdue_complaints(sf, AFTER)
    assert (unpaid.contact_overdue, unpaid.payment_overdue) == (False, True)
    assert overdue_complaints(sf, AFTER, insurer_org_id=other) == []
    sanction_overdue(sf, None, AFTER)
    (still,) = overdue_complaints(sf, AFTER)
    assert still.state is ComplaintState.SANCTIONED
    record_payment(sf, hall["lookup"], filed.complaint_id, Decimal(100), AFTER)
    assert overdue_complaints(sf, AFTER + timedelta(days=1)) == []


@postgres_only
def test_two_seats_sanctioning_at_once_sanction_each_complaint_once(hall: Hall) -> None:
    other = second_insurer(hall)
    ids = [file_against_picc(hall, case_with_parties(hall, other, start=i)).complaint_id
           for i in range(12)]  # fmt: skip
    barrier = threading.Barrier(2)
    results: list[tuple[int, ...]] = []
    errors: list[BaseException] = []

    def seat(actor_key: str) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(
                sanction_overdue(hall.session_factory, hall[actor_key], AFTER).complaint_ids
            )
        except BaseException as error:  # reported to the test thread below
            errors.append(error)

    threads = [threading.Thread(target=seat, args=(k,)) for k in ("lookup", "supervisor")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert sorted(results[0] + results[1]) == sorted(ids)
    assert count(hall, WatchlistEntry) == 12
    assert count(hall, OutboxMessage, OutboxMessage.kind == "watchlist") == 12
    assert count(hall, OutboxMessage, OutboxMessage.kind == "credit_notice") == 12
    assert count(hall, Complaint, Complaint.state == "sanctioned") == 12


@postgres_only
def test_a_row_being_sanctioned_elsewhere_is_skipped_not_doubled(hall: Hall) -> None:
    """One seat holds the complaint's row lock mid-sanction; the other's run passes it by, and
    after the first commits there is nothing left to do."""
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    with hall.session_factory() as holder, holder.begin():
        holder.get(Complaint, filed.complaint_id, with_for_update=True)
        assert sanction_overdue(hall.session_factory, None, AFTER).sanctioned == ()
    assert sanction_overdue(hall.session_factory, None, AFTER).complaint_ids == (
        filed.complaint_id,
    )
    assert sanction_overdue(hall.session_factory, None, AFTER).sanctioned == ()
    assert count(hall, WatchlistEntry) == 1
