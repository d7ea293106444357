"""Timers (DOMAIN.md "Case lifecycle") and working days on the official Chinese calendar."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest

from console.domain.deadlines import (
    DEFAULT_TIMER_POLICY,
    HALL_TZ,
    TimerKind,
    TimerPolicy,
    TimerState,
    WorkingCalendar,
    add_working_days,
    complaint_deadlines,
    is_working_day,
    objection_deadline,
    timer_status,
)
from console.domain.errors import RuleViolation

START = datetime(2024, 5, 20, 10, 0, 0)


def test_default_policy_matches_domain() -> None:
    policy = DEFAULT_TIMER_POLICY
    assert policy.limit(TimerKind.ANSWER_HANDOVER) == timedelta(seconds=60)
    assert policy.limit(TimerKind.REVIEW) == timedelta(minutes=5)
    assert policy.limit(TimerKind.DETERMINATION) == timedelta(minutes=10)
    assert policy.limit(TimerKind.INSURER_ACKNOWLEDGEMENT) == timedelta(minutes=30)
    assert policy.objection_days == 3
    assert policy.amber_fraction == 0.7
    assert policy.complaint_contact == timedelta(hours=24)
    assert policy.complaint_pay_working_days == 3


def test_objection_timer_is_date_based() -> None:
    with pytest.raises(RuleViolation) as caught:
        DEFAULT_TIMER_POLICY.limit(TimerKind.OBJECTION)
    assert caught.value.code == "timer.date_based"


def test_policy_is_configurable_and_checked() -> None:
    slow = TimerPolicy(review=timedelta(minutes=8))
    assert slow.limit(TimerKind.REVIEW) == timedelta(minutes=8)
    with pytest.raises(RuleViolation) as zero:
        TimerPolicy(answer_handover=timedelta(0))
    assert zero.value.params["timer"] == "answer_handover"
    with pytest.raises(RuleViolation):
        TimerPolicy(objection_days=0)
    with pytest.raises(RuleViolation):
        TimerPolicy(amber_fraction=1.5)
    with pytest.raises(RuleViolation):
        TimerPolicy(complaint_contact=timedelta(hours=-1))


@pytest.mark.parametrize(
    ("seconds", "state", "remaining", "overdue"),
    [
        (0, TimerState.GREEN, 60, 0),
        (41.9, TimerState.GREEN, 18.1, 0),
        (42, TimerState.AMBER, 18, 0),
        (59, TimerState.AMBER, 1, 0),
        (60, TimerState.AMBER, 0, 0),  # "≤ 60 s" is met at exactly 60 s
        (61, TimerState.RED, 0, 1),
        (600, TimerState.RED, 0, 540),
    ],
)
def test_timer_status_thresholds(
    seconds: float, state: TimerState, remaining: float, overdue: float
) -> None:
    status = timer_status(START, START + timedelta(seconds=seconds), timedelta(seconds=60))
    assert status.state is state
    assert status.remaining_seconds == pytest.approx(remaining)
    assert status.overdue_seconds == pytest.approx(overdue)
    assert status.elapsed_seconds == pytest.approx(seconds)
    assert status.deadline == START + timedelta(seconds=60)


def test_timer_status_custom_amber_fraction() -> None:
    limit = timedelta(minutes=10)
    assert timer_status(START, START + timedelta(minutes=4), limit, 0.5).state is TimerState.GREEN
    assert timer_status(START, START + timedelta(minutes=5), limit, 0.5).state is TimerState.AMBER
    assert timer_status(START, START + timedelta(minutes=9), limit, 1.0).state is TimerState.GREEN


def test_timer_status_with_clock_skew_counts_zero() -> None:
    status = timer_status(START, START - timedelta(seconds=5), timedelta(seconds=60))
    assert status.state is TimerState.GREEN
    assert status.elapsed_seconds == 0
    assert status.remaining_seconds == 60


def test_timer_status_refuses_bad_arguments() -> None:
    with pytest.raises(RuleViolation):
        timer_status(START, START, timedelta(0))
    with pytest.raises(RuleViolation):
        timer_status(START, START, timedelta(seconds=60), amber_fraction=0)


def test_timer_status_works_across_time_zones() -> None:
    started = datetime(2024, 5, 20, 2, 0, tzinfo=UTC)
    now = datetime(2024, 5, 20, 10, 4, tzinfo=HALL_TZ)  # 02:04 UTC
    status = timer_status(started, now, timedelta(minutes=5))
    assert status.state is TimerState.AMBER
    assert status.remaining_seconds == 60


def test_objection_deadline_leaves_out_the_delivery_day() -> None:
    delivered = datetime(2024, 6, 1, 15, 0)
    assert objection_deadline(delivered) == datetime.combine(date(2024, 6, 4), time.max)
    five = TimerPolicy(objection_days=5)
    assert objection_deadline(delivered, five).date() == date(2024, 6, 6)


def test_objection_deadline_counts_the_hall_date() -> None:
    # 17:00 UTC on 31 May is 01:00 on 1 June in Beijing.
    deadline = objection_deadline(datetime(2024, 5, 31, 17, 0, tzinfo=UTC))
    assert deadline == datetime.combine(date(2024, 6, 4), time.max, tzinfo=HALL_TZ)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 5, 20), True),  # ordinary Monday
        (date(2024, 5, 18), False),  # ordinary Saturday
        (date(2024, 10, 1), False),  # National Day
        (date(2024, 10, 7), False),  # Monday inside the Golden Week
        (date(2024, 9, 29), True),  # make-up working Sunday
        (date(2024, 10, 12), True),  # make-up working Saturday
        (date(2024, 2, 4), True),  # make-up working Sunday before Spring Festival
        (date(2024, 2, 12), False),  # Spring Festival Monday
        (date(2025, 1, 26), True),  # make-up working Sunday
    ],
)
def test_working_days_follow_the_official_calendar(day: date, working: bool) -> None:
    assert is_working_day(day) is working
    assert WorkingCalendar().is_working_day(day) is working


def test_add_working_days_skips_holidays_and_counts_make_up_days() -> None:
    # Friday 27 Sep 2024: Sunday 29 Sep is a working day, 1–7 Oct are off.
    assert add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)
    assert add_working_days(date(2024, 9, 27), 2) == date(2024, 9, 30)
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)
    assert add_working_days(datetime(2024, 9, 27, 23, 0), 3) == date(2024, 10, 8)


def test_add_zero_working_days() -> None:
    assert add_working_days(date(2024, 5, 20), 0) == date(2024, 5, 20)
    assert add_working_days(date(2024, 10, 1), 0) == date(2024, 10, 8)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        add_working_days(date(2024, 5, 20), -1)
    assert caught.value.code == "calendar.negative_days"


def test_years_outside_the_package_fall_back_to_weekdays(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calendar = WorkingCalendar()
    assert calendar.covers(2024)
    assert not calendar.covers(2099)
    assert not calendar.fallback_used
    with caplog.at_level(logging.WARNING, logger="console.domain"):
        assert calendar.is_working_day(date(2099, 1, 1))  # Thursday; New Year unknown
        assert not calendar.is_working_day(date(2099, 1, 3))  # Saturday
        assert calendar.add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)
    assert calendar.fallback_used
    assert calendar.fallback_years == frozenset({2099})
    warnings = [r for r in caplog.records if r.name == "console.domain"]
    assert len(warnings) == 1  # once per year, not per day
    assert "2099" in warnings[0].getMessage()


def test_complaint_deadlines() -> None:
    filed = datetime(2024, 9, 27, 10, 0)
    deadlines = complaint_deadlines(filed, calendar=WorkingCalendar())
    assert deadlines.contact_by == datetime(2024, 9, 28, 10, 0)
    assert deadlines.pay_by == datetime.combine(date(2024, 10, 8), time.max)
    assert not deadlines.calendar_fallback


def test_complaint_deadlines_use_the_hall_date_and_stay_aware() -> None:
    filed = datetime(2024, 9, 26, 17, 0, tzinfo=UTC)  # 01:00 on Friday 27 Sep in Beijing
    deadlines = complaint_deadlines(filed, calendar=WorkingCalendar())
    assert deadlines.contact_by == filed + timedelta(hours=24)
    assert deadlines.pay_by == datetime.combine(date(2024, 10, 8), time.max, tzinfo=HALL_TZ)


def test_complaint_deadlines_report_the_fallback() -> None:
    calendar = WorkingCalendar()
    deadlines = complaint_deadlines(datetime(2099, 12, 30, 9, 0), calendar=calendar)
    assert deadlines.calendar_fallback
    # Wednesday 30 Dec 2099 + 3 weekdays = Monday 4 Jan 2100.
    assert deadlines.pay_by.date() == date(2100, 1, 4)


def test_complaint_payment_days_are_configurable() -> None:
    policy = TimerPolicy(complaint_pay_working_days=5, complaint_contact=timedelta(hours=12))
    deadlines = complaint_deadlines(datetime(2024, 5, 20, 9, 0), policy, calendar=WorkingCalendar())
    assert deadlines.contact_by == datetime(2024, 5, 20, 21, 0)
    assert deadlines.pay_by.date() == date(2024, 5, 27)
