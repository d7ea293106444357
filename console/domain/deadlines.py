"""Service-level timers and working-day arithmetic on the official Chinese calendar.

The timers of DOMAIN.md "Case lifecycle" are derived from event times and shown green, amber
or red; complaint deadlines (Shenzhen rule, DOMAIN.md "Insurers") count working days on the
State Council's holiday calendar, where make-up working weekends (调休) count as working days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

from console.domain.errors import RuleViolation

log = logging.getLogger("console.domain")


def _hall_timezone() -> tzinfo:
    # China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for
    # any case date when the system lacks tz data (Windows without the tzdata package).
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "Asia/Shanghai")


HALL_TZ: tzinfo = _hall_timezone()


def to_local(moment: datetime, tz: tzinfo = HALL_TZ) -> datetime:
    """Wall-clock time in the hall's zone; naive datetimes are taken as hall time already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(tz)


class TimerKind(StrEnum):
    """The timers of DOMAIN.md, each started by one event of the case history."""

    ANSWER_HANDOVER = "answer_handover"  # handover offered → answered
    REVIEW = "review"  # materials uploaded → review done
    DETERMINATION = "determination"  # evacuation ordered → determined
    INSURER_ACKNOWLEDGEMENT = "insurer_acknowledgement"  # pushed → report number received
    OBJECTION = "objection"  # letter delivered → objection window closes


def _check_fraction(fraction: float) -> None:
    if not 0 < fraction <= 1:
        raise RuleViolation(
            "timer.bad_amber_fraction",
            f"The amber threshold must be a fraction above 0 and at most 1; got {fraction}",
            amber_fraction=fraction,
        )


@dataclass(frozen=True)
class TimerPolicy:
    """Timer limits with the defaults of DOMAIN.md; each city configures its own."""

    answer_handover: timedelta = timedelta(seconds=60)
    review: timedelta = timedelta(minutes=5)
    determination: timedelta = timedelta(minutes=10)
    insurer_acknowledgement: timedelta = timedelta(minutes=30)
    objection_days: int = 3
    amber_fraction: float = 0.7
    complaint_contact: timedelta = timedelta(hours=24)
    complaint_pay_working_days: int = 3

    def __post_init__(self) -> None:
        for name in ("answer_handover", "review", "determination", "insurer_acknowledgement"):
            value: timedelta = getattr(self, name)
            if value <= timedelta(0):
                raise RuleViolation(
                    "timer.bad_limit",
                    f"Timer '{name}' must be longer than zero; got {value}",
                    timer=name,
                )
        if self.complaint_contact <= timedelta(0):
            raise RuleViolation(
                "timer.bad_limit",
                f"Complaint contact time must be longer than zero; got {self.complaint_contact}",
                timer="complaint_contact",
            )
        if self.objection_days < 1 or self.complaint_pay_working_days < 1:
            raise RuleViolation(
                "timer.bad_days",
                "Objection days and complaint payment working days must be at least 1; got "
                f"{self.objection_days} and {self.complaint_pay_working_days}",
            )
        _check_fraction(self.amber_fraction)

    def limit(self, kind: TimerKind) -> timedelta:
        """The limit of a fixed-length timer; the objection window depends on the date."""
        limits = {
            TimerKind.ANSWER_HANDOVER: self.answer_handover,
            TimerKind.REVIEW: self.review,
            TimerKind.DETERMINATION: self.determination,
            TimerKind.INSURER_ACKNOWLEDGEMENT: self.insurer_acknowledgement,
        }
        if kind not in limits:
            raise RuleViolation(
                "timer.date_based",
                f"Timer '{kind.value}' ends on a date, not after a fixed duration; use "
                "objection_deadline()",
                timer=kind.value,
            )
        return limits[kind]


DEFAULT_TIMER_POLICY = TimerPolicy()


class TimerState(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class TimerStatus:
    """Where a running timer stands; exactly one of remaining/overdue is non-zero past start."""

    state: TimerState
    elapsed_seconds: float
    remaining_seconds: float
    overdue_seconds: float
    deadline: datetime


def timer_status(
    started_at: datetime, now: datetime, limit: timedelta, amber_fraction: float = 0.7
) -> TimerStatus:
    """Green before `amber_fraction` of the limit, amber until it, red once it is exceeded.

    Reaching the limit exactly still meets it ("answer ≤ 60 s"). A `now` before `started_at`
    (clocks of two seats disagree) counts as zero elapsed rather than a negative time.
    """
    if limit <= timedelta(0):
        raise RuleViolation(
            "timer.bad_limit", f"A timer limit must be longer than zero; got {limit}"
        )
    _check_fraction(amber_fraction)
    elapsed = max(now - started_at, timedelta(0))
    if elapsed > limit:
        state = TimerState.RED
    elif elapsed >= limit * amber_fraction:
        state = TimerState.AMBER
    else:
        state = TimerState.GREEN
    return TimerStatus(
        state=state,
        elapsed_seconds=elapsed.total_seconds(),
        remaining_seconds=max(limit - elapsed, timedelta(0)).total_seconds(),
        overdue_seconds=max(elapsed - limit, timedelta(0)).total_seconds(),
        deadline=started_at + limit,
    )


def _end_of_day(day: date, like: datetime, tz: tzinfo) -> datetime:
    """The last instant of `day` in hall time, aware if `like` is aware."""
    end = datetime.combine(day, time.max)
    return end if like.tzinfo is None else end.replace(tzinfo=tz)


def objection_deadline(
    delivered_at: datetime, policy: TimerPolicy = DEFAULT_TIMER_POLICY, tz: tzinfo = HALL_TZ
) -> datetime:
    """Last moment to object to a letter: end of the N-th day after the delivery day.

    Chinese procedural periods counted in days leave out the starting day, so "within 3 days
    of delivery" on 1 June runs to the end of 4 June, in hall time.
    """
    local = to_local(delivered_at, tz)
    return _end_of_day(local.date() + timedelta(days=policy.objection_days), delivered_at, tz)


def _span(first: date, last: date) -> frozenset[date]:
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


# The State Council General Office's notice on the 2026 holidays (国务院办公厅关于2026年部分
# 节假日安排的通知, published November 2025), kept here so complaint deadlines in 2026 do not
# depend on the installed chinesecalendar release (before 1.11 it lacks 2026 and would
# silently count Monday–Friday). The 2027 notice was not known when this was written: 2027
# comes from the package if it has it, else the logged Monday–Friday fallback.
OFFICIAL_HOLIDAYS: dict[int, frozenset[date]] = {
    2026: _span(date(2026, 1, 1), date(2026, 1, 3))  # New Year
    | _span(date(2026, 2, 15), date(2026, 2, 23))  # Spring Festival
    | _span(date(2026, 4, 4), date(2026, 4, 6))  # Tomb-sweeping Day
    | _span(date(2026, 5, 1), date(2026, 5, 5))  # Labour Day
    | _span(date(2026, 6, 19), date(2026, 6, 21))  # Dragon Boat Festival
    | _span(date(2026, 9, 25), date(2026, 9, 27))  # Mid-autumn Festival
    | _span(date(2026, 10, 1), date(2026, 10, 7)),  # National Day
}
# Weekend days worked to make up for the long holidays (调休上班).
OFFICIAL_MAKE_UP_WORKING_DAYS: dict[int, frozenset[date]] = {
    2026: frozenset(
        {
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        }
    ),
}


class WorkingCalendar:
    """Working days by the official calendar, falling back to Monday–Friday outside its years.

    Years in `OFFICIAL_HOLIDAYS` are answered from that table first.

    The `chinese_calendar` package carries each year's State Council holiday notice and its
    make-up working weekends; it raises NotImplementedError for years it does not know (the
    next year's notice comes out in the autumn). Then Monday–Friday is used, a warning is
    logged once per year, and `fallback_years` records it so the UI can say the date is an
    estimate.
    """

    def __init__(self) -> None:
        self._fallback_years: set[int] = set()

    @staticmethod
    def covers(year: int) -> bool:
        if year in OFFICIAL_HOLIDAYS:
            return True
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    @property
    def fallback_years(self) -> frozenset[int]:
        return frozenset(self._fallback_years)

    @property
    def fallback_used(self) -> bool:
        return bool(self._fallback_years)

    def is_working_day(self, day: date) -> bool:
        if day.year in OFFICIAL_HOLIDAYS:
            if day in OFFICIAL_HOLIDAYS[day.year]:
                return False
            return day.weekday() < 5 or day in OFFICIAL_MAKE_UP_WORKING_DAYS[day.year]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            if day.year not in self._fallback_years:
                self._fallback_years.add(day.year)
                log.warning(
                    "The official holiday calendar does not cover %d; counting Monday to "
                    "Friday as working days for that year (update chinesecalendar)",
                    day.year,
                )
            return day.weekday() < 5

    def add_working_days(self, start: datetime | date, n: int) -> date:
        """The n-th working day after `start`'s date (the start day itself is not counted).

        n = 0 gives the start day if it is a working day, else the next working day.
        """
        if n < 0:
            raise RuleViolation(
                "calendar.negative_days",
                f"Cannot count {n} working days; the count must be zero or more",
                days=n,
            )
        day = start.date() if isinstance(start, datetime) else start
        if n == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day


_DEFAULT_CALENDAR = WorkingCalendar()


def default_calendar() -> WorkingCalendar:
    """The process-wide calendar whose `fallback_years` the UI can show."""
    return _DEFAULT_CALENDAR


def is_working_day(day: date) -> bool:
    return _DEFAULT_CALENDAR.is_working_day(day)


def add_working_days(start: datetime | date, n: int) -> date:
    return _DEFAULT_CALENDAR.add_working_days(start, n)


@dataclass(frozen=True)
class ComplaintDeadlines:
    """The two deadlines of a non-payment complaint (Shenzhen rule, DOMAIN.md "Insurers")."""

    contact_by: datetime
    pay_by: datetime
    calendar_fallback: bool = field(default=False)
    """True when the pay-by date was counted Monday–Friday for lack of official data."""


def complaint_deadlines(
    filed_at: datetime,
    policy: TimerPolicy = DEFAULT_TIMER_POLICY,
    calendar: WorkingCalendar | None = None,
    tz: tzinfo = HALL_TZ,
) -> ComplaintDeadlines:
    """Call the respondent within 24 h; payment due by the end of the 3rd working day after
    the filing day, both in hall time."""
    calendar = calendar or _DEFAULT_CALENDAR
    local = to_local(filed_at, tz)
    pay_day = calendar.add_working_days(local.date(), policy.complaint_pay_working_days)
    fallback = not all(calendar.covers(y) for y in range(local.year, pay_day.year + 1))
    return ComplaintDeadlines(
        contact_by=filed_at + policy.complaint_contact,
        pay_by=_end_of_day(pay_day, filed_at, tz),
        calendar_fallback=fallback,
    )
