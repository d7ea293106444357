"""Citizen helpers' monthly ledger (DOMAIN.md "Citizen helpers"): which cases count, the month
they count in (hall time, while the database holds UTC), the amount, and registration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import RuleViolation
from console.domain.helper_rewards import (
    CountedLink,
    LedgerLine,
    Month,
    case_counts,
    compute_ledger,
    month_of,
    validate_registration,
)
from console.domain.lifecycle import CaseState
from console.domain.rewards import DEFAULT_REWARD_RULE, RewardRule
from console.domain.validation import id_check_digit

JAN = Month(2026, 1)
FEB = Month(2026, 2)
# 23:59 on 31 January in Dongying is 15:59 UTC; midnight on 1 February is 16:00 UTC on the 31st.
LAST_MINUTE_OF_JAN = datetime(2026, 1, 31, 15, 59, tzinfo=UTC)
FIRST_MINUTE_OF_FEB = datetime(2026, 1, 31, 16, 0, tzinfo=UTC)


def _id(first17: str = "37050219800101001") -> str:
    return first17 + id_check_digit(first17)


def links(n: int, at: datetime, *, helper_id: int = 1, first_case: int = 1) -> list[CountedLink]:
    return [
        CountedLink(helper_id, first_case + i, CaseState.DETERMINED, at + timedelta(seconds=i))
        for i in range(n)
    ]


# ---------------------------------------------------------------- the amount


@pytest.mark.parametrize(("cases", "yuan"), [(1, 0), (2, 100), (3, 100), (11, 500), (12, 500)])
def test_the_rule_with_1_2_3_11_and_12_cases(cases: int, yuan: int) -> None:
    at = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
    assert compute_ledger(links(cases, at), JAN) == [LedgerLine(1, cases, yuan)]


def test_the_rule_is_configurable() -> None:
    rule = RewardRule(yuan_per_block=30, cases_per_block=1, monthly_cap_yuan=100)
    at = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)
    assert compute_ledger(links(3, at), JAN, rule) == [LedgerLine(1, 3, 90)]
    assert compute_ledger(links(4, at), JAN, rule) == [LedgerLine(1, 4, 100)]


# ---------------------------------------------------------------- the month boundary


def test_23_59_local_on_the_last_day_counts_in_that_month() -> None:
    assert month_of(LAST_MINUTE_OF_JAN) == JAN
    assert month_of(FIRST_MINUTE_OF_FEB) == FEB
    # Still January in UTC, but February in the hall.
    assert FIRST_MINUTE_OF_FEB.month == 1


def test_boundary_cases_split_between_the_months() -> None:
    both = [
        CountedLink(1, 1, CaseState.DETERMINED, LAST_MINUTE_OF_JAN),
        CountedLink(1, 2, CaseState.DETERMINED, LAST_MINUTE_OF_JAN - timedelta(days=3)),
        CountedLink(1, 3, CaseState.DETERMINED, FIRST_MINUTE_OF_FEB),
    ]
    assert compute_ledger(both, JAN) == [LedgerLine(1, 2, 100)]
    assert compute_ledger(both, FEB) == [LedgerLine(1, 1, 0)]


def test_two_cases_across_the_boundary_earn_nothing() -> None:
    """Blocks do not carry over: one case in each month is 0 + 0, not 100."""
    split = [
        CountedLink(1, 1, CaseState.DETERMINED, LAST_MINUTE_OF_JAN),
        CountedLink(1, 2, CaseState.DETERMINED, FIRST_MINUTE_OF_FEB),
    ]
    assert compute_ledger(split, JAN) == [LedgerLine(1, 1, 0)]
    assert compute_ledger(split, FEB) == [LedgerLine(1, 1, 0)]


def test_year_end_and_leap_day_boundaries() -> None:
    assert month_of(datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)) == Month(2026, 12)
    assert month_of(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == Month(2027, 1)
    assert Month(2028, 2).bounds() == (
        datetime(2028, 1, 31, 16, 0, tzinfo=UTC),
        datetime(2028, 2, 29, 16, 0, tzinfo=UTC),
    )
    assert Month(2026, 12).bounds()[1] == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_a_month_is_over_from_midnight_hall_time() -> None:
    assert not JAN.is_over(LAST_MINUTE_OF_JAN)
    assert JAN.is_over(FIRST_MINUTE_OF_FEB)
    assert not FEB.is_over(FIRST_MINUTE_OF_FEB)


def test_month_parse_and_refusals() -> None:
    assert Month.parse(" 2026-03 ") == Month(2026, 3)
    assert str(Month(2026, 3)) == "2026-03"
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    for text in ("2026-13", "2026-3", "26-03", "2026/03", ""):
        with pytest.raises(RuleViolation) as refused:
            Month.parse(text)
        assert refused.value.code == "helper.bad_month"
        assert refused.value.params["month"] == text


# ---------------------------------------------------------------- which cases count


def test_only_determined_and_not_revoked_cases_count() -> None:
    at = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    assert case_counts(CaseState.DETERMINED, at)
    assert case_counts(CaseState.CLAIMS_OPEN, at)
    assert case_counts(CaseState.DISPUTED, at)
    assert case_counts(CaseState.CLOSED, at)  # e.g. sent to court after the determination
    assert not case_counts(CaseState.REVOKED, at)
    assert not case_counts(CaseState.AGREED, None)  # settled by the parties, never determined
    assert not case_counts(CaseState.CLOSED, None)  # escalated, then closed
    mixed = [
        CountedLink(1, 1, CaseState.SETTLED, at),
        CountedLink(1, 2, CaseState.REVOKED, at),
        CountedLink(1, 3, CaseState.AGREED, None),
        CountedLink(1, 4, CaseState.INSURERS_NOTIFIED, at),
    ]
    assert compute_ledger(mixed, JAN) == [LedgerLine(1, 2, 100)]


def test_a_link_counts_once_and_a_shared_case_counts_for_each_helper() -> None:
    at = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    rows = [
        CountedLink(2, 7, CaseState.DETERMINED, at),
        CountedLink(2, 7, CaseState.DETERMINED, at),
        CountedLink(1, 7, CaseState.DETERMINED, at),
        CountedLink(1, 8, CaseState.DETERMINED, at),
    ]
    assert compute_ledger(rows, JAN) == [LedgerLine(1, 2, 100), LedgerLine(2, 1, 0)]
    assert compute_ledger([], JAN) == []


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    )
)
def test_every_moment_falls_inside_its_months_bounds(moment: datetime) -> None:
    month = month_of(moment)
    start, end = month.bounds()
    assert start <= moment < end
    assert month_of(start) == month
    assert month_of(end) == month.next()
    assert month_of(end - timedelta(microseconds=1)) == month


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=4),  # helper
            st.integers(min_value=1, max_value=40),  # case
            st.sampled_from(list(CaseState)),
            st.none()
            | st.datetimes(
                min_value=datetime(2025, 12, 25),
                max_value=datetime(2026, 2, 5),
                timezones=st.just(UTC),
            ),
        ),
        max_size=80,
    )
)
def test_ledger_lines_follow_the_rule(
    raw: list[tuple[int, int, CaseState, datetime | None]],
) -> None:
    facts = [CountedLink(*r) for r in raw]
    rule = DEFAULT_REWARD_RULE
    for month in (Month(2025, 12), JAN, FEB):
        lines = compute_ledger(facts, month)
        assert [line.helper_id for line in lines] == sorted({line.helper_id for line in lines})
        for line in lines:
            counted = {
                f.case_id
                for f in facts
                if f.helper_id == line.helper_id
                and f.first_determined_at is not None
                and f.state is not CaseState.REVOKED
                and month.bounds()[0] <= f.first_determined_at < month.bounds()[1]
            }
            assert line.cases == len(counted) >= 1
            assert line.amount == min(
                line.cases // rule.cases_per_block * rule.yuan_per_block, rule.monthly_cap_yuan
            )
            assert 0 <= line.amount <= rule.monthly_cap_yuan
            assert line.amount % rule.yuan_per_block == 0


# ---------------------------------------------------------------- registration


def test_registration_cleans_the_details() -> None:
    registered = validate_registration(
        "  刘  热心 ", "+86 138-0546-1234", _id().lower(), today=date(2026, 1, 1)
    )
    assert registered.name == "刘 热心"
    assert registered.phone == "13805461234"
    assert registered.id_number == _id()


def test_registration_with_an_x_check_digit() -> None:
    first17 = next(
        f"37050219800101{n:03d}"
        for n in range(1000)
        if id_check_digit(f"37050219800101{n:03d}") == "X"
    )
    assert validate_registration("刘热心", "13805461234", first17 + "x").id_number.endswith("X")


@pytest.mark.parametrize(
    ("name", "phone", "id_number", "code"),
    [
        ("", "13805461234", _id(), "helper.name_empty"),
        ("   ", "13805461234", _id(), "helper.name_empty"),
        ("刘" * 65, "13805461234", _id(), "helper.name_too_long"),
        ("刘热心", "", _id(), "mobile.empty"),
        ("刘热心", "1380546123", _id(), "mobile.bad_length"),
        ("刘热心", "12805461234", _id(), "mobile.bad_prefix"),
        ("刘热心", "1380546123a", _id(), "mobile.bad_character"),
        ("刘热心", "13805461234", "", "id.empty"),
        ("刘热心", "13805461234", _id()[:17], "id.bad_length"),
        (
            "刘热心",
            "13805461234",
            _id()[:17] + ("0" if _id()[17] != "0" else "1"),
            "id.bad_check_digit",
        ),
    ],
)
def test_registration_refusals_say_what_is_wrong(
    name: str, phone: str, id_number: str, code: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        validate_registration(name, phone, id_number, today=date(2026, 1, 1))
    assert refused.value.code == code
    assert refused.value.message


def test_the_longest_name_fits() -> None:
    assert validate_registration("刘" * 64, "13805461234", _id()).name == "刘" * 64
