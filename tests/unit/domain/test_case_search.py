"""Reading the lookup search box: each kind of token by its shape, and who sees what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.domain.case_search import (
    PersonalData,
    SearchKind,
    classify_token,
    may_unmask,
    parse_search,
    personal_data_access,
    shows_unmasked,
)
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position

K = SearchKind


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("KC20261201000123", (K.CASE_NO, "KC20261201000123")),
        ("kc2026", (K.CASE_NO, "KC2026")),
        ("KC2", None),  # too short: every case
        ("东公交认字〔2026〕第000123号", (K.DOC_NO, "东公交认字〔2026〕第000123号")),
        ("东公交认字[2026]第123号", (K.DOC_NO, "东公交认字〔2026〕第000123号")),
        ("东公交认字（2026）第0001", (K.DOC_NO, "东公交认字〔2026〕第0001")),
        ("东公交认字〔2026〕第00", None),  # the start of a year's numbers
        ("第000123号", None),  # no unit: not a prefix of any number
        ("7KQ2M9PX3HAB", (K.VERIFICATION_CODE, "7KQ2M9PX3HAB")),
        ("7kq2", (K.VERIFICATION_CODE, "7KQ2")),
        ("2345", None),  # digits only: not a code
        ("鲁E12345", (K.PLATE, "鲁E12345")),
        ("鲁e·1234５", (K.PLATE, "鲁E12345")),  # full-width, middle dot, lower case
        ("鲁EF12345", (K.PLATE, "鲁EF12345")),
        ("鲁E1234学", (K.PLATE, "鲁E1234学")),
        ("鲁E", None),  # the whole city
        ("13905461111", (K.PHONE, "13905461111")),
        ("+8613905461111", (K.PHONE, "13905461111")),
        ("12905461111", None),  # not a mobile prefix
        ("370502199001011234", (K.ID_NUMBER, "370502199001011234")),
        ("37050219900101123x", (K.ID_NUMBER, "37050219900101123X")),
        ("刘一", (K.NAME, "刘一")),
        ("鲁迅", (K.NAME, "鲁迅")),  # a name that starts with a province
        ("阿依古丽·买买提", (K.NAME, "阿依古丽·买买提")),
        ("王", None),  # a surname alone
        ("", None),
        ("hello", None),
    ],
)
def test_each_token_is_read_by_its_shape(
    token: str, expected: tuple[SearchKind, str] | None
) -> None:
    assert classify_token(token) == expected


def test_the_box_and_the_filters_make_one_criteria() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 12, 1, tzinfo=UTC)
    criteria = parse_search(
        " 鲁E12345，刘一 鲁E12345 xyz 13905461111",
        occurred_from=start,
        occurred_to=end,
        states=["closed", CaseState.SETTLED],
        district=" 东营区 ",
    )
    assert criteria.plates == ("鲁E12345",)  # a repeat counts once
    assert criteria.names == ("刘一",)
    assert criteria.phones == ("13905461111",)
    assert criteria.unrecognised == ("xyz",)
    assert criteria.states == frozenset({CaseState.CLOSED, CaseState.SETTLED})
    assert criteria.district == "东营区"
    assert criteria.kinds == {K.PLATE, K.NAME, K.PHONE, K.DATE_RANGE, K.STATE, K.DISTRICT}


def test_empty_input_is_an_empty_search_and_a_backward_range_is_refused() -> None:
    assert parse_search("  ").is_empty
    assert parse_search("王").is_empty
    with pytest.raises(RuleViolation):
        parse_search(
            "",
            occurred_from=datetime(2026, 12, 1, tzinfo=UTC),
            occurred_to=datetime(2026, 11, 1, tzinfo=UTC),
        )
    with pytest.raises(ValueError, match="naive"):
        parse_search("", occurred_from=datetime(2026, 12, 1))


def test_who_sees_personal_data_and_who_may_unmask() -> None:
    P = Position  # noqa: N806
    assert personal_data_access(P.DETERMINATION) is PersonalData.FULL
    assert personal_data_access(P.LOOKUP) is PersonalData.ON_REQUEST
    lookup = PersonalData.ON_REQUEST
    assert not shows_unmasked(lookup, 1, 1) and may_unmask(lookup, 1, 2)
    claims = personal_data_access(P.CLAIMS)
    assert shows_unmasked(claims, 7, 7) and not shows_unmasked(claims, 7, 8)
    assert may_unmask(claims, 7, 7) and not may_unmask(claims, 7, 8)
    for position in (P.PATROL, P.RESCUE):
        access = personal_data_access(position)
        assert not shows_unmasked(access, None, 1) and not may_unmask(access, None, 1)
    assert {personal_data_access(p) for p in P} <= set(PersonalData)
