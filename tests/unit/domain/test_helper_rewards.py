"""Citizen-helper rewards (DOMAIN.md "Citizen helpers")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import RuleViolation
from console.domain.rewards import (
    DEFAULT_REWARD_RULE,
    RewardRule,
    monthly_ledger,
    monthly_reward,
    monthly_rewards,
)


@pytest.mark.parametrize(
    ("cases", "yuan"),
    [(0, 0), (1, 0), (2, 100), (3, 100), (4, 200), (9, 400), (10, 500), (11, 500), (200, 500)],
)
def test_default_rule(cases: int, yuan: int) -> None:
    assert monthly_reward(cases) == yuan


def test_rule_is_configurable() -> None:
    rule = RewardRule(yuan_per_block=50, cases_per_block=1, monthly_cap_yuan=1000)
    assert monthly_reward(7, rule) == 350
    assert monthly_reward(30, rule) == 1000


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(RuleViolation) as negative:
        monthly_reward(-1)
    assert negative.value.code == "reward.negative_cases"
    with pytest.raises(RuleViolation) as bad_rule:
        RewardRule(cases_per_block=0)
    assert bad_rule.value.code == "reward.bad_rule"


@given(st.integers(min_value=0, max_value=10_000))
def test_reward_is_capped_monotonic_and_in_whole_blocks(cases: int) -> None:
    rule = DEFAULT_REWARD_RULE
    reward = monthly_reward(cases)
    assert 0 <= reward <= rule.monthly_cap_yuan
    assert reward % rule.yuan_per_block == 0
    assert monthly_reward(cases + 1) >= reward


def test_ledger_counts_by_hall_month() -> None:
    moments = [
        datetime(2024, 1, 31, 15, 59, tzinfo=UTC),  # 23:59 on 31 Jan in Beijing
        datetime(2024, 1, 31, 16, 30, tzinfo=UTC),  # 00:30 on 1 Feb in Beijing
        datetime(2024, 2, 10, 9, 0),  # naive: already hall time
        datetime(2023, 12, 31, 12, 0),
    ]
    ledger = monthly_ledger(moments)
    assert ledger == {"2023-12": 1, "2024-01": 1, "2024-02": 2}
    assert list(ledger) == ["2023-12", "2024-01", "2024-02"]


def test_ledger_with_another_zone() -> None:
    utc_zone = timezone(timedelta(0))
    moment = datetime(2024, 1, 31, 16, 30, tzinfo=UTC)
    assert monthly_ledger([moment], utc_zone) == {"2024-01": 1}
    assert monthly_ledger([]) == {}


def test_monthly_rewards_combines_ledger_and_rule() -> None:
    march = [datetime(2024, 3, d, 10, 0) for d in range(1, 14)]  # 13 cases
    april = [datetime(2024, 4, 2, 10, 0)] * 3
    assert monthly_rewards(march + april) == {"2024-03": 500, "2024-04": 100}
