"""Grades (Art. 60), grade combinations, accident forms, shares and knock-for-knock."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import Finding, RuleViolation
from console.domain.liability import (
    DEFAULT_SHARES,
    AccidentForm,
    Grade,
    KnockForKnockInput,
    compensation_shares,
    knock_for_knock,
    validate_grades,
)

F, M, E, m, N = Grade.FULL, Grade.MAIN, Grade.EQUAL, Grade.MINOR, Grade.NONE


def _code(grades: tuple[Grade, ...], *, by_officer: bool = True) -> str | None:
    try:
        validate_grades(grades, by_officer=by_officer)
    except RuleViolation as violation:
        return violation.code
    return None


def test_grade_labels() -> None:
    assert [g.label_zh for g in Grade] == ["全部责任", "主要责任", "同等责任", "次要责任", "无责任"]
    assert "".join(g.short_zh for g in Grade) == "全主同次无"
    assert not N.is_liable
    assert all(g.is_liable for g in Grade if g is not N)


def test_grade_code_sets_of_real_systems() -> None:
    # domain-brief §2.2: [C1] 0 全 1 无 2 同 3 主 4 次; [C2] 10 全 11 主 12 次 13 同 14 无.
    assert [F.app_code, N.app_code, E.app_code, M.app_code, m.app_code] == [0, 1, 2, 3, 4]
    assert [F.picc_code, M.picc_code, m.picc_code, E.picc_code, N.picc_code] == [
        10,
        11,
        12,
        13,
        14,
    ]
    for grade in Grade:
        assert Grade.from_app_code(grade.app_code) is grade
        assert Grade.from_picc_code(grade.picc_code) is grade


def test_unknown_grade_code_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        Grade.from_picc_code(15)
    assert caught.value.code == "liability.unknown_code"
    assert caught.value.params["value"] == 15


def test_no_parties() -> None:
    assert _code(()) == "liability.no_parties"


@pytest.mark.parametrize("grade", list(Grade))
def test_single_vehicle_is_always_full(grade: Grade) -> None:
    expected = None if grade is F else "liability.single_vehicle"
    assert _code((grade,)) == expected


def test_two_parties_allow_exactly_four_pairs() -> None:
    allowed = {frozenset({F, N}), frozenset({M, m}), frozenset({E}), frozenset({N})}
    for a, b in product(Grade, repeat=2):
        code = _code((a, b))
        if frozenset({a, b}) in allowed:
            assert code is None, (a, b)
        else:
            assert code == "liability.bad_pair", (a, b)


def test_bad_pair_message_lists_the_allowed_pairs() -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_grades([E, N], by_officer=True)
    assert caught.value.message.startswith("Grades equal + none are not allowed for two parties")
    assert "main/minor" in caught.value.message
    assert caught.value.params["grades"] == ["equal", "none"]


@pytest.mark.parametrize(
    "grades",
    [(F, N), (N, F), (E, E), (N, N), (F,), (F, N, N), (E, E, N), (N, N, N)],
)
def test_agreements_accept_full_equal_none(grades: tuple[Grade, ...]) -> None:
    assert _code(grades, by_officer=False) is None


@pytest.mark.parametrize("grades", [(M, m), (m, M), (M, m, N), (E, E, m)])
def test_agreements_refuse_main_and_minor(grades: tuple[Grade, ...]) -> None:
    assert _code(grades, by_officer=False) == "liability.officer_only_grade"
    assert _code(grades, by_officer=True) is None


@pytest.mark.parametrize(
    ("grades", "code"),
    [
        ((N, N, N), None),
        ((F, N, N), None),
        ((N, N, F), None),
        ((M, m, N), None),
        ((M, m, m), None),
        ((M, M, m), None),
        ((E, E, E), None),
        ((E, E, N), None),
        ((E, E, m), None),
        ((F, F, N), "liability.full_not_alone"),
        ((F, m, N), "liability.full_not_alone"),
        ((F, E, E), "liability.full_not_alone"),
        ((M, N, N), "liability.main_without_minor"),
        ((M, E, E), "liability.main_without_minor"),
        ((m, N, N), "liability.minor_without_main"),
        ((m, m, N), "liability.minor_without_main"),
        ((E, N, N), "liability.equal_alone"),
        ((E, M, m), "liability.equal_alone"),
    ],
)
def test_three_parties(grades: tuple[Grade, ...], code: str | None) -> None:
    assert _code(grades) == code


@given(st.lists(st.sampled_from(list(Grade)), min_size=3, max_size=6))
def test_accepted_many_party_grades_are_coherent(grades: list[Grade]) -> None:
    if _code(tuple(grades)) is not None:
        return
    liable = [g for g in grades if g.is_liable]
    assert not liable or len(liable) >= 2 or liable == [F]
    assert grades.count(F) <= 1
    if F in grades:
        assert liable == [F]
    if E in grades:
        assert grades.count(E) >= 2


def test_accident_forms() -> None:
    assert [f.value for f in AccidentForm] == [
        "111",
        "112",
        "113",
        "121",
        "122",
        "130",
        "140",
        "150",
        "160",
        "170",
        "190",
        "199",
    ]
    assert AccidentForm("113") is AccidentForm.REAR_END
    assert AccidentForm.REAR_END.label_zh == "尾随相撞"
    assert AccidentForm.STATIONARY_VEHICLE.label_zh == "撞静止车辆"
    assert AccidentForm.SIDE.label_en == "side impact"
    assert all(f.label_zh and f.label_en for f in AccidentForm)


@pytest.mark.parametrize(
    ("grades", "shares"),
    [
        ((F, N), (100, 0)),
        ((N, F), (0, 100)),
        ((M, m), (70, 30)),
        ((E, E), (50, 50)),
        ((N, N), (0, 0)),
        ((F,), (100,)),
    ],
)
def test_default_compensation_shares(grades: tuple[Grade, ...], shares: tuple[int, ...]) -> None:
    assert compensation_shares(grades) == shares


def test_compensation_shares_are_configurable() -> None:
    local = dict(DEFAULT_SHARES) | {M: 80, m: 20}
    assert compensation_shares([M, m], local) == (80, 20)
    assert DEFAULT_SHARES[M] == 70  # the default is untouched


def test_compensation_share_table_must_be_complete_and_in_range() -> None:
    with pytest.raises(RuleViolation) as missing:
        compensation_shares([F, N], {F: 100, N: 0})
    assert missing.value.code == "liability.shares_incomplete"
    assert missing.value.params["missing"] == ["main", "equal", "minor"]
    with pytest.raises(RuleViolation) as out_of_range:
        compensation_shares([F, N], dict(DEFAULT_SHARES) | {F: 120})
    assert out_of_range.value.code == "liability.shares_out_of_range"


def test_compensation_shares_refuse_an_invalid_combination() -> None:
    with pytest.raises(RuleViolation) as caught:
        compensation_shares([F, F])
    assert caught.value.code == "liability.bad_pair"


def _car(
    party: str,
    grade: Grade = E,
    *,
    insured: bool = True,
    damage_only: bool = True,
    loss: Decimal | int | None = 1500,
    consents: bool | None = True,
) -> KnockForKnockInput:
    return KnockForKnockInput(
        party=party,
        grade=grade,
        has_compulsory_insurance=insured,
        vehicle_damage_only=damage_only,
        loss_yuan=loss,
        consents=consents,
    )


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.code for finding in findings]


def test_knock_for_knock_applies_to_liable_insured_consenting_small_losses() -> None:
    for grades in ((E, E), (M, m), (E, E, m)):
        verdict = knock_for_knock([_car(chr(65 + i), g) for i, g in enumerate(grades)])
        assert verdict.applies, grades
        assert verdict.failures == ()
        assert verdict.unknowns == ()


def test_knock_for_knock_limit_is_inclusive_and_configurable() -> None:
    assert knock_for_knock([_car("A", loss=2000), _car("B", loss=Decimal("0"))]).applies
    over = knock_for_knock([_car("A", loss=Decimal("2000.01")), _car("B")])
    assert _codes(over.failures) == ["knock_for_knock.loss_over_limit"]
    assert over.failures[0].params == {"party": "A", "loss_yuan": "2000.01", "limit": "2000"}
    assert "2000.01 yuan is over the 2000 yuan limit" in over.failures[0].message
    assert knock_for_knock([_car("A", loss=4800), _car("B")], loss_limit_yuan=5000).applies


def test_knock_for_knock_needs_two_vehicles() -> None:
    verdict = knock_for_knock([_car("A", F)])
    assert "knock_for_knock.too_few_vehicles" in _codes(verdict.failures)
    assert not verdict.applies


def test_knock_for_knock_needs_every_party_liable() -> None:
    verdict = knock_for_knock([_car("A", F), _car("B", N)])
    assert _codes(verdict.failures) == [
        "knock_for_knock.party_fully_liable",
        "knock_for_knock.party_not_liable",
    ]
    assert [f.params["party"] for f in verdict.failures] == ["A", "B"]


def test_knock_for_knock_reports_an_invalid_grade_combination() -> None:
    verdict = knock_for_knock([_car("A", E), _car("B", m)])
    assert _codes(verdict.failures) == ["liability.bad_pair"]


def test_knock_for_knock_lists_every_failed_condition() -> None:
    verdict = knock_for_knock(
        [
            _car("A", insured=False, loss=2500),
            _car("B", damage_only=False, consents=False),
        ]
    )
    assert _codes(verdict.failures) == [
        "knock_for_knock.no_compulsory_insurance",
        "knock_for_knock.loss_over_limit",
        "knock_for_knock.not_vehicle_damage_only",
        "knock_for_knock.no_consent",
    ]
    assert not verdict.applies
    assert not verdict.pending


def test_knock_for_knock_unknowns_leave_it_pending() -> None:
    verdict = knock_for_knock([_car("A", loss=None), _car("B", consents=None)])
    assert verdict.failures == ()
    assert _codes(verdict.unknowns) == [
        "knock_for_knock.loss_unknown",
        "knock_for_knock.consent_unknown",
    ]
    assert verdict.pending
    assert not verdict.applies


def test_negative_loss_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        _car("A", loss=-1)
    assert caught.value.code == "knock_for_knock.negative_loss"
