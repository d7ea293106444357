"""Complaint deadlines on the official calendar, overdue checks, the fine range and the
complaint state machine (Shenzhen non-payment rule, DOMAIN.md "Insurers")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import chinese_calendar
import pytest

from console.domain.complaints import (
    DEFAULT_COMPLAINT_POLICY,
    ComplaintPolicy,
    ComplaintState,
    call_due,
    can_move,
    check_fine,
    check_move,
    check_payment,
    contact_overdue,
    due_for_sanction,
    payment_due,
    payment_overdue,
)
from console.domain.deadlines import (
    HALL_TZ,
    OFFICIAL_HOLIDAYS,
    OFFICIAL_MAKE_UP_WORKING_DAYS,
    TimerPolicy,
    WorkingCalendar,
    complaint_deadlines,
)
from console.domain.errors import RuleViolation

S = ComplaintState


def hall_time(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HALL_TZ)


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=HALL_TZ)


def test_the_2026_table_agrees_with_the_package_day_by_day() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert WorkingCalendar().is_working_day(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert len(OFFICIAL_HOLIDAYS[2026]) == 33
    assert all(d.weekday() >= 5 for d in OFFICIAL_MAKE_UP_WORKING_DAYS[2026])


def test_call_is_due_24_hours_after_filing() -> None:
    filed = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    assert call_due(filed) == datetime(2026, 11, 21, 2, 30, tzinfo=UTC)
    assert call_due(filed, TimerPolicy(complaint_contact=timedelta(hours=12))) == filed + (
        timedelta(hours=12)
    )


@pytest.mark.parametrize(
    ("filed", "due_day"),
    [
        # Thursday: Friday, then over the weekend to Monday and Tuesday.
        (hall_time(2026, 11, 19, 10, 0), date(2026, 11, 24)),
        # Tuesday before National Day: Wednesday, then 1–7 October off, Thursday 8, Friday 9.
        (hall_time(2026, 9, 29, 10, 0), date(2026, 10, 9)),
        # Thursday 8 October: Friday 9, make-up working Saturday 10, Monday 12.
        (hall_time(2026, 10, 8, 16, 0), date(2026, 10, 12)),
        # Friday 18 September: make-up working Sunday 20, then Monday and Tuesday.
        (hall_time(2026, 9, 18, 9, 0), date(2026, 9, 22)),
        # Filed on a holiday (Labour Day, 1–5 May): 6, 7 and 8 May.
        (hall_time(2026, 5, 3, 9, 0), date(2026, 5, 8)),
        # Wednesday 6 May: Thursday, Friday and the make-up working Saturday 9 May.
        (hall_time(2026, 5, 6, 9, 0), date(2026, 5, 9)),
    ],
)
def test_payment_is_due_at_the_end_of_the_third_working_day(filed: datetime, due_day: date) -> None:
    assert payment_due(filed) == end_of(due_day)


def test_payment_deadline_counts_from_the_hall_date_not_the_utc_date() -> None:
    # 17:00 UTC on 29 September is 01:00 on the 30th in Dongying: days are 8, 9 and the
    # make-up Saturday 10 October.
    filed = datetime(2026, 9, 29, 17, 0, tzinfo=UTC)
    due = payment_due(filed)
    assert due == end_of(date(2026, 10, 10))
    assert due.astimezone(UTC) == datetime(2026, 10, 10, 15, 59, 59, 999999, tzinfo=UTC)


def test_a_year_without_the_official_calendar_is_reported_as_an_estimate() -> None:
    # The 2027 notice is not in the table (nor, at 1.11, in the package): Monday–Friday.
    calendar = WorkingCalendar()
    deadlines = complaint_deadlines(hall_time(2026, 12, 30, 9, 0), calendar=calendar)
    assert deadlines.calendar_fallback is not WorkingCalendar.covers(2027)
    assert not complaint_deadlines(hall_time(2026, 9, 29, 9, 0)).calendar_fallback


def test_overdue_checks_meet_the_deadline_at_its_last_instant() -> None:
    due = end_of(date(2026, 10, 9))
    assert not payment_overdue(S.CONTACTED, due, due)
    assert payment_overdue(S.CONTACTED, due, due + timedelta(microseconds=1))
    assert payment_overdue(S.SANCTIONED, due, due + timedelta(days=1))
    assert not payment_overdue(S.CLOSED, due, due + timedelta(days=1))
    assert not payment_overdue(S.PAID, due, due + timedelta(days=1))
    contact = hall_time(2026, 10, 9, 10, 0)
    assert contact_overdue(S.OPEN, contact, contact + timedelta(seconds=1))
    assert not contact_overdue(S.OPEN, contact, contact)
    assert not contact_overdue(S.CONTACTED, contact, contact + timedelta(days=2))


def test_a_complaint_is_due_for_sanction_once() -> None:
    due = end_of(date(2026, 10, 9))
    later = due + timedelta(hours=1)
    assert due_for_sanction(S.OPEN, None, due, later)
    assert due_for_sanction(S.CONTACTED, None, due, later)
    assert not due_for_sanction(S.CONTACTED, None, due, due)
    assert not due_for_sanction(S.SANCTIONED, later, due, later)
    assert not due_for_sanction(S.CONTACTED, later, due, later)
    assert not due_for_sanction(S.CLOSED, None, due, later)


def test_state_machine() -> None:
    assert [s.value for s in S] == ["open", "contacted", "sanctioned", "paid", "closed"]
    assert can_move(S.OPEN, S.CONTACTED)
    assert can_move(S.CONTACTED, S.SANCTIONED)
    assert can_move(S.SANCTIONED, S.PAID)
    assert can_move(S.OPEN, S.PAID)
    assert can_move(S.PAID, S.CLOSED)
    for from_state, to_state in [
        (S.SANCTIONED, S.SANCTIONED),
        (S.CONTACTED, S.CONTACTED),
        (S.SANCTIONED, S.CONTACTED),
        (S.CLOSED, S.OPEN),
        (S.OPEN, S.CLOSED),
        (S.PAID, S.SANCTIONED),
    ]:
        with pytest.raises(RuleViolation) as refused:
            check_move(from_state, to_state)
        assert refused.value.code == "complaint.bad_transition"
        assert refused.value.params == {"from_state": from_state.value, "to_state": to_state.value}


def test_fine_defaults_and_range() -> None:
    assert DEFAULT_COMPLAINT_POLICY.fine == Decimal(5000)
    assert check_fine(Decimal(5000)) == Decimal("5000.00")
    assert check_fine(Decimal(20000)) == Decimal("20000.00")
    for amount in (Decimal("4999.99"), Decimal("20000.01"), Decimal(0), Decimal("NaN")):
        with pytest.raises(RuleViolation) as refused:
            check_fine(amount)
        assert refused.value.code == "complaint.fine_out_of_range"
        assert refused.value.params["fine_min"] == "5000"


def test_fine_range_is_configurable_and_checked() -> None:
    city = ComplaintPolicy(fine_min=Decimal(2000), fine_max=Decimal(10000), default_fine=None)
    assert check_fine(Decimal(2000), city) == Decimal("2000.00")
    with pytest.raises(RuleViolation, match="between 2000 and 10000"):
        check_fine(Decimal(12000), city)
    assert ComplaintPolicy(default_fine=Decimal(8000)).fine == Decimal(8000)
    with pytest.raises(RuleViolation) as refused:
        ComplaintPolicy(default_fine=Decimal(30000))
    assert refused.value.code == "complaint.fine_out_of_range"
    for low, high in ((Decimal(0), Decimal(100)), (Decimal(500), Decimal(100))):
        with pytest.raises(RuleViolation) as bad:
            ComplaintPolicy(fine_min=low, fine_max=high)
        assert bad.value.code == "complaint.bad_fine_range"


def test_payment_must_be_positive() -> None:
    assert check_payment(Decimal("1234.5")) == Decimal("1234.50")
    for amount in (Decimal(0), Decimal(-1), Decimal("Infinity")):
        with pytest.raises(RuleViolation) as refused:
            check_payment(amount)
        assert refused.value.code == "complaint.bad_payment"
