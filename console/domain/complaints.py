"""Non-payment complaints against an insurer (Shenzhen rule, DOMAIN.md "Insurers").

The hall calls the respondent within 24 h and orders payment within 3 working days of the
official calendar; once that passes unpaid, the at-fault vehicle goes on the checkpoint watch
list, a fine is recorded and the credit bureau is notified — once. Payment closes the complaint
and lifts the watch-list entry. The amounts are the city's configuration, with DOMAIN.md's
defaults here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from enum import StrEnum

from console.domain.deadlines import (
    DEFAULT_TIMER_POLICY,
    HALL_TZ,
    TimerPolicy,
    WorkingCalendar,
    complaint_deadlines,
)
from console.domain.errors import RuleViolation


class ComplaintState(StrEnum):
    OPEN = "open"  # filed; the hall has not reached the respondent yet
    CONTACTED = "contacted"  # the respondent was called and ordered to pay
    SANCTIONED = "sanctioned"  # deadline passed unpaid: watch list, fine, credit notice
    PAID = "paid"  # the respondent paid
    CLOSED = "closed"  # nothing left to do (watch-list entry lifted if there was one)


_TRANSITIONS: dict[ComplaintState, frozenset[ComplaintState]] = {
    ComplaintState.OPEN: frozenset(
        {ComplaintState.CONTACTED, ComplaintState.SANCTIONED, ComplaintState.PAID}
    ),
    ComplaintState.CONTACTED: frozenset({ComplaintState.SANCTIONED, ComplaintState.PAID}),
    # Sanctioning happens once: there is no way back into SANCTIONED.
    ComplaintState.SANCTIONED: frozenset({ComplaintState.PAID}),
    ComplaintState.PAID: frozenset({ComplaintState.CLOSED}),
    ComplaintState.CLOSED: frozenset(),
}

UNPAID_STATES: frozenset[ComplaintState] = frozenset(
    {ComplaintState.OPEN, ComplaintState.CONTACTED, ComplaintState.SANCTIONED}
)
SANCTIONABLE_STATES: frozenset[ComplaintState] = frozenset(
    {ComplaintState.OPEN, ComplaintState.CONTACTED}
)


def can_move(from_state: ComplaintState, to_state: ComplaintState) -> bool:
    return to_state in _TRANSITIONS[from_state]


def check_move(from_state: ComplaintState, to_state: ComplaintState) -> None:
    if not can_move(from_state, to_state):
        raise RuleViolation(
            "complaint.bad_transition",
            f"A complaint that is {from_state.value} cannot become {to_state.value}",
            from_state=from_state.value,
            to_state=to_state.value,
        )


@dataclass(frozen=True)
class ComplaintPolicy:
    """The fine range in yuan (DOMAIN.md: 5,000–20,000) and the fine used when the hall's
    timer sanctions without anyone choosing an amount (the minimum, unless configured)."""

    fine_min: Decimal = Decimal(5000)
    fine_max: Decimal = Decimal(20000)
    default_fine: Decimal | None = None

    def __post_init__(self) -> None:
        if self.fine_min <= 0 or self.fine_max < self.fine_min:
            raise RuleViolation(
                "complaint.bad_fine_range",
                f"The fine range must be above zero with the minimum not above the maximum; "
                f"got {self.fine_min}–{self.fine_max} yuan",
                fine_min=str(self.fine_min),
                fine_max=str(self.fine_max),
            )
        if self.default_fine is not None:
            check_fine(self.default_fine, self)

    @property
    def fine(self) -> Decimal:
        return self.fine_min if self.default_fine is None else self.default_fine


DEFAULT_COMPLAINT_POLICY = ComplaintPolicy()


def check_fine(amount: Decimal, policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY) -> Decimal:
    """The fine as it will be recorded (whole fen); refused outside the configured range."""
    if not amount.is_finite() or not policy.fine_min <= amount <= policy.fine_max:
        raise RuleViolation(
            "complaint.fine_out_of_range",
            f"The fine must be between {policy.fine_min} and {policy.fine_max} yuan; got {amount}",
            amount=str(amount),
            fine_min=str(policy.fine_min),
            fine_max=str(policy.fine_max),
        )
    return amount.quantize(Decimal("0.01"))


def check_payment(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise RuleViolation(
            "complaint.bad_payment",
            f"The amount paid must be more than zero yuan; got {amount}",
            amount=str(amount),
        )
    return amount.quantize(Decimal("0.01"))


def check_claimed_amount(amount: Decimal) -> Decimal:
    """What the complainant says the insurer owes (whole fen), as filed with the complaint."""
    if not amount.is_finite() or amount <= 0:
        raise RuleViolation(
            "complaint.bad_claim_amount",
            f"The amount claimed must be more than zero yuan; got {amount}",
            amount=str(amount),
        )
    return amount.quantize(Decimal("0.01"))


def call_due(filed_at: datetime, policy: TimerPolicy = DEFAULT_TIMER_POLICY) -> datetime:
    """When the hall must have called the respondent: 24 h (configurable) after filing."""
    return filed_at + policy.complaint_contact


def payment_due(
    filed_at: datetime,
    policy: TimerPolicy = DEFAULT_TIMER_POLICY,
    calendar: WorkingCalendar | None = None,
    tz: tzinfo = HALL_TZ,
) -> datetime:
    """End of the 3rd (configurable) working day after the filing day, in hall time."""
    return complaint_deadlines(filed_at, policy, calendar, tz).pay_by


def contact_overdue(state: ComplaintState, contact_due_at: datetime, now: datetime) -> bool:
    """Nobody has called the respondent and the 24 hours are up."""
    return state is ComplaintState.OPEN and now > contact_due_at


def payment_overdue(state: ComplaintState, pay_due_at: datetime, now: datetime) -> bool:
    """Unpaid past the deadline (reaching the last instant exactly still meets it)."""
    return state in UNPAID_STATES and now > pay_due_at


def due_for_sanction(
    state: ComplaintState, sanctioned_at: datetime | None, pay_due_at: datetime, now: datetime
) -> bool:
    """Overdue and not sanctioned yet: the one moment a sanction may be imposed."""
    return (
        state in SANCTIONABLE_STATES
        and sanctioned_at is None
        and payment_overdue(state, pay_due_at, now)
    )
