"""Citizen helpers (DOMAIN.md "Citizen helpers"): who may register, which of their cases
count, in which month a case counts, and what the month's ledger pays.

The amount rule itself (100 yuan per 2 cases, at most 500 a month, configurable) lives in
`console.domain.rewards`; this module decides what is counted:

- A case counts once it has been determined by an officer (it has a determination) and has not
  been revoked since. A case the parties settled themselves (AGREED) was never determined and
  does not count; a determined case that was later disputed, mediated, closed or sent to court
  still does — the online case was determined, which is what the helper helped with.
- It counts in the month of its *first* determination in hall time (China Standard Time): a
  mediation that issues a new determination does not move it or count it again, and a case
  determined at 23:59 on the 31st in Dongying belongs to that month although the database holds
  16:59 UTC, while 00:00 on the 1st (16:00 UTC the day before) belongs to the next.
- A case helped by two helpers counts for each of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Final

from console.domain.deadlines import HALL_TZ, to_local
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.rewards import DEFAULT_REWARD_RULE, RewardRule, monthly_reward
from console.domain.validation import validate_id_number, validate_mobile

__all__ = [
    "DEFAULT_REWARD_RULE",
    "NAME_MAX",
    "NOT_COUNTED_STATES",
    "CountedLink",
    "HelperRegistration",
    "LedgerLine",
    "Month",
    "RewardRule",
    "case_counts",
    "compute_ledger",
    "month_of",
    "validate_registration",
]

NAME_MAX: Final = 64
"""helpers.name is VARCHAR(64)."""

NOT_COUNTED_STATES: Final = frozenset({CaseState.REVOKED})
"""States in which a case with a determination no longer earns its helper anything."""

_MONTH = re.compile(r"(\d{4})-(\d{2})")


# ---------------------------------------------------------------- months in hall time


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month on the hall's wall clock, written 'YYYY-MM' (helper_rewards.month)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.year <= 9999 and 1 <= self.month <= 12):
            raise RuleViolation(
                "helper.bad_month",
                f"'{self.year:04d}-{self.month:02d}' is not a month; write it as YYYY-MM",
                month=f"{self.year:04d}-{self.month:02d}",
            )

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.fullmatch(text.strip())
        if match is None:
            raise RuleViolation(
                "helper.bad_month",
                f"'{text.strip()}' is not a month; write it as YYYY-MM",
                month=text.strip(),
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def starts_at(self, tz: tzinfo = HALL_TZ) -> datetime:
        """Midnight on the 1st in the hall, as aware UTC (how the database compares times)."""
        local = datetime(self.year, self.month, 1, tzinfo=tz)
        return local.astimezone(UTC)

    def bounds(self, tz: tzinfo = HALL_TZ) -> tuple[datetime, datetime]:
        """[start, end) of the month in aware UTC; 2024-02 in Beijing is
        2024-01-31 16:00Z to 2024-02-29 16:00Z."""
        return self.starts_at(tz), self.next().starts_at(tz)

    def is_over(self, now: datetime, tz: tzinfo = HALL_TZ) -> bool:
        """True once the hall's wall clock has reached the 1st of the next month."""
        return month_of(now, tz) > self


def month_of(moment: datetime, tz: tzinfo = HALL_TZ) -> Month:
    """The hall month a moment falls in; naive datetimes are taken as hall time already."""
    local = to_local(moment, tz)
    return Month(local.year, local.month)


# ---------------------------------------------------------------- registration


@dataclass(frozen=True, slots=True)
class HelperRegistration:
    """A helper's details as validated: the name trimmed, the mobile as its 11 digits, the ID
    number upper-cased. The ID number is required: the reward is a payment to a person."""

    name: str
    phone: str
    id_number: str


def validate_registration(
    name: str, phone: str, id_number: str, *, today: date | None = None
) -> HelperRegistration:
    """Refuse, with the first problem found, a name that is empty or too long, a phone that is
    not a mainland mobile (mobile.*), or an ID number that fails GB 11643 (id.*)."""
    clean_name = " ".join(unicodedata.normalize("NFKC", name).split())
    if not clean_name:
        raise RuleViolation("helper.name_empty", "The helper's name is empty")
    if len(clean_name) > NAME_MAX:
        raise RuleViolation(
            "helper.name_too_long",
            f"The helper's name has {len(clean_name)} characters; at most {NAME_MAX} fit",
            length=len(clean_name),
            limit=NAME_MAX,
        )
    return HelperRegistration(
        clean_name, validate_mobile(phone), validate_id_number(id_number, today=today)
    )


# ---------------------------------------------------------------- the ledger


@dataclass(frozen=True, slots=True)
class CountedLink:
    """A helper's part in a case, with what the reward rule needs to know about the case:
    its current state and when it was first determined (None: never)."""

    helper_id: int
    case_id: int
    state: CaseState
    first_determined_at: datetime | None


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One helper's line of a month's ledger."""

    helper_id: int
    cases: int
    amount: int  # yuan


def case_counts(state: CaseState, first_determined_at: datetime | None) -> bool:
    """Whether a helped case earns a reward at all (see the module docstring)."""
    return first_determined_at is not None and state not in NOT_COUNTED_STATES


def compute_ledger(
    links: Iterable[CountedLink],
    month: Month,
    rule: RewardRule = DEFAULT_REWARD_RULE,
    tz: tzinfo = HALL_TZ,
) -> list[LedgerLine]:
    """The month's ledger: one line per helper with at least one counted case in the month
    (also when the count earns nothing yet), ordered by helper id. A link given twice counts
    once."""
    cases: defaultdict[int, set[int]] = defaultdict(set)
    for link in links:
        at = link.first_determined_at
        if at is not None and case_counts(link.state, at) and month_of(at, tz) == month:
            cases[link.helper_id].add(link.case_id)
    return [
        LedgerLine(helper_id, len(ids), monthly_reward(len(ids), rule))
        for helper_id, ids in sorted(cases.items())
    ]
