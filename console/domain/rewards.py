"""Rewards for citizen helpers who complete online cases for the parties (DOMAIN.md).

A helper earns a fixed sum for every block of determined cases, capped per calendar month;
months are counted in hall time so a case determined at 00:30 on the 1st in Beijing belongs to
the new month even though it is still the old month in UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from console.domain.deadlines import HALL_TZ, to_local
from console.domain.errors import RuleViolation


@dataclass(frozen=True)
class RewardRule:
    """Defaults of DOMAIN.md "Citizen helpers": 100 yuan per 2 cases, at most 500 a month."""

    yuan_per_block: int = 100
    cases_per_block: int = 2
    monthly_cap_yuan: int = 500

    def __post_init__(self) -> None:
        if self.cases_per_block < 1 or self.yuan_per_block < 0 or self.monthly_cap_yuan < 0:
            raise RuleViolation(
                "reward.bad_rule",
                f"Reward rule {self.yuan_per_block} yuan per {self.cases_per_block} cases, cap "
                f"{self.monthly_cap_yuan} yuan: cases per block must be at least 1 and amounts "
                "zero or more",
            )


DEFAULT_REWARD_RULE = RewardRule()


def monthly_reward(cases_determined_in_month: int, rule: RewardRule = DEFAULT_REWARD_RULE) -> int:
    """Yuan earned in one month; an unfinished block earns nothing until its last case."""
    if cases_determined_in_month < 0:
        raise RuleViolation(
            "reward.negative_cases",
            f"A helper cannot have {cases_determined_in_month} determined cases in a month",
            cases=cases_determined_in_month,
        )
    earned = (cases_determined_in_month // rule.cases_per_block) * rule.yuan_per_block
    return min(earned, rule.monthly_cap_yuan)


def monthly_ledger(determined_at: Iterable[datetime], tz: tzinfo = HALL_TZ) -> dict[str, int]:
    """Determined cases per month ('YYYY-MM', hall time), oldest month first.

    Naive datetimes are taken as hall wall-clock time already.
    """
    counts = Counter(to_local(moment, tz).strftime("%Y-%m") for moment in determined_at)
    return dict(sorted(counts.items()))


def monthly_rewards(
    determined_at: Iterable[datetime],
    rule: RewardRule = DEFAULT_REWARD_RULE,
    tz: tzinfo = HALL_TZ,
) -> dict[str, int]:
    """Yuan due per month ('YYYY-MM', hall time) for one helper's determined cases."""
    return {
        month: monthly_reward(count, rule)
        for month, count in monthly_ledger(determined_at, tz).items()
    }
