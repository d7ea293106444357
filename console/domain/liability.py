"""Liability grades, accident forms, compensation shares and knock-for-knock (互碰自赔).

Sources: 《道路交通事故处理程序规定》 (MPS order 146) Art. 60 for the grades; domain-brief §2.2
for the pairings and the code sets of real systems; §2.4 for the accident-form codes; §4.2
and DOMAIN.md "Insurers" for knock-for-knock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from console.domain.errors import Finding, RuleViolation


class Grade(StrEnum):
    """A party's liability under Art. 60 of MPS order 146."""

    FULL = "full"  # 全部责任
    MAIN = "main"  # 主要责任
    EQUAL = "equal"  # 同等责任
    MINOR = "minor"  # 次要责任
    NONE = "none"  # 无责任

    @property
    def label_zh(self) -> str:
        """The wording printed on the determination letter."""
        return _GRADE_ZH[self][0]

    @property
    def short_zh(self) -> str:
        """One character, as on agreement forms' check boxes (全/主/同/次/无)."""
        return _GRADE_ZH[self][1]

    @property
    def label_en(self) -> str:
        return self.value

    @property
    def is_liable(self) -> bool:
        return self is not Grade.NONE

    @property
    def app_code(self) -> int:
        """Code in the police/assistant app of domain-brief [C1]: 0 全 1 无 2 同 3 主 4 次."""
        return _APP_CODES[self]

    @property
    def picc_code(self) -> int:
        """Code in the PICC fast-claims back end of domain-brief [C2]: 10 全 … 14 无."""
        return _PICC_CODES[self]

    @classmethod
    def from_app_code(cls, code: int) -> Grade:
        return _lookup_code(_APP_CODES, code, "app")

    @classmethod
    def from_picc_code(cls, code: int) -> Grade:
        return _lookup_code(_PICC_CODES, code, "PICC")


_GRADE_ZH: dict[Grade, tuple[str, str]] = {
    Grade.FULL: ("全部责任", "全"),
    Grade.MAIN: ("主要责任", "主"),
    Grade.EQUAL: ("同等责任", "同"),
    Grade.MINOR: ("次要责任", "次"),
    Grade.NONE: ("无责任", "无"),
}
_APP_CODES: dict[Grade, int] = {
    Grade.FULL: 0,
    Grade.NONE: 1,
    Grade.EQUAL: 2,
    Grade.MAIN: 3,
    Grade.MINOR: 4,
}
_PICC_CODES: dict[Grade, int] = {
    Grade.FULL: 10,
    Grade.MAIN: 11,
    Grade.MINOR: 12,
    Grade.EQUAL: 13,
    Grade.NONE: 14,
}


def _lookup_code(codes: Mapping[Grade, int], code: int, system: str) -> Grade:
    for grade, value in codes.items():
        if value == code:
            return grade
    raise RuleViolation(
        "liability.unknown_code",
        f"{code} is not a liability code of the {system} code set; known codes are "
        + ", ".join(str(v) for v in sorted(codes.values())),
        value=code,
        system=system,
    )


# Self-negotiation forms offer only these (domain-brief §2.2 [S25][S26][C1]).
AGREEMENT_GRADES = frozenset({Grade.FULL, Grade.EQUAL, Grade.NONE})

TWO_PARTY_PAIRS = frozenset(
    {
        frozenset({Grade.FULL, Grade.NONE}),
        frozenset({Grade.MAIN, Grade.MINOR}),
        frozenset({Grade.EQUAL}),
        frozenset({Grade.NONE}),
    }
)


def _names(grades: Sequence[Grade]) -> str:
    return " + ".join(g.value for g in grades)


def validate_grades(grades: Sequence[Grade], *, by_officer: bool) -> None:
    """Refuse a combination of grades that no determination or agreement may contain.

    Art. 60 gives full liability to a sole cause, shares main/equal/minor among several causes
    and none to all in a pure accident; a single-vehicle case is always 全部 (domain-brief
    §2.2 [C1]); agreements between the parties offer only 全/同/无, 主/次 needs an officer.
    """
    grades = tuple(grades)
    if not grades:
        raise RuleViolation("liability.no_parties", "No party has a liability grade")
    if not by_officer:
        officer_only = [g for g in grades if g not in AGREEMENT_GRADES]
        if officer_only:
            raise RuleViolation(
                "liability.officer_only_grade",
                f"Grades {_names(grades)}: an agreement between the parties may only use "
                "full, equal or none; main and minor need an officer's determination",
                grades=[g.value for g in grades],
            )
    if len(grades) == 1:
        if grades[0] is not Grade.FULL:
            raise RuleViolation(
                "liability.single_vehicle",
                f"A single-vehicle case must be graded full; got {grades[0].value}",
                grades=[grades[0].value],
            )
        return
    if len(grades) == 2:
        if frozenset(grades) not in TWO_PARTY_PAIRS:
            raise RuleViolation(
                "liability.bad_pair",
                f"Grades {_names(grades)} are not allowed for two parties; allowed pairs are "
                "full/none, main/minor, equal/equal and none/none",
                grades=[g.value for g in grades],
            )
        return
    _validate_many(grades)


def _validate_many(grades: tuple[Grade, ...]) -> None:
    """Three or more parties: the pairwise rules generalised."""
    count = Counter(grades)
    values = [g.value for g in grades]
    named = _names(grades)
    if count[Grade.NONE] == len(grades):
        return  # a pure accident (交通意外): nobody at fault
    if count[Grade.FULL] > 1 or (count[Grade.FULL] == 1 and count[Grade.NONE] != len(grades) - 1):
        raise RuleViolation(
            "liability.full_not_alone",
            f"Grades {named}: a party with full liability leaves every other party with none",
            grades=values,
        )
    if count[Grade.MAIN] and not count[Grade.MINOR]:
        raise RuleViolation(
            "liability.main_without_minor",
            f"Grades {named}: main liability needs at least one party with minor liability",
            grades=values,
        )
    if count[Grade.MINOR] and not (count[Grade.MAIN] or count[Grade.EQUAL]):
        raise RuleViolation(
            "liability.minor_without_main",
            f"Grades {named}: minor liability needs a party with main or equal liability",
            grades=values,
        )
    if count[Grade.EQUAL] == 1:
        raise RuleViolation(
            "liability.equal_alone",
            f"Grades {named}: equal liability needs at least two parties graded equal",
            grades=values,
        )


class AccidentForm(StrEnum):
    """事故形态 codes of the national accident-information code set (domain-brief §2.4)."""

    HEAD_ON = "111"
    SIDE = "112"
    REAR_END = "113"
    OPPOSITE_SCRAPE = "121"
    SAME_DIRECTION_SCRAPE = "122"
    RUN_OVER = "130"
    ROLLOVER = "140"
    FALL = "150"
    FIRE = "160"
    FIXED_OBJECT = "170"
    STATIONARY_VEHICLE = "190"
    OTHER = "199"

    @property
    def label_zh(self) -> str:
        return _FORM_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _FORM_LABELS[self][1]


_FORM_LABELS: dict[AccidentForm, tuple[str, str]] = {
    AccidentForm.HEAD_ON: ("正面相撞", "head-on collision"),
    AccidentForm.SIDE: ("侧面相撞", "side impact"),
    AccidentForm.REAR_END: ("尾随相撞", "rear-end collision"),
    AccidentForm.OPPOSITE_SCRAPE: ("对向刮擦", "opposite-direction scrape"),
    AccidentForm.SAME_DIRECTION_SCRAPE: ("同向刮擦", "same-direction scrape"),
    AccidentForm.RUN_OVER: ("碾压", "run over"),
    AccidentForm.ROLLOVER: ("翻车", "rollover"),
    AccidentForm.FALL: ("坠车", "vehicle fell off the road"),
    AccidentForm.FIRE: ("失火", "fire"),
    AccidentForm.FIXED_OBJECT: ("撞固定物", "hit a fixed object"),
    AccidentForm.STATIONARY_VEHICLE: ("撞静止车辆", "hit a stationary vehicle"),
    AccidentForm.OTHER: ("其他", "other"),
}


# Motor-vs-motor split of domain-brief §2.2 [S31]; local rules and policies vary, so this is
# only the default of a configurable mapping (percent of the loss a party bears).
DEFAULT_SHARES: Mapping[Grade, int] = MappingProxyType(
    {Grade.FULL: 100, Grade.MAIN: 70, Grade.EQUAL: 50, Grade.MINOR: 30, Grade.NONE: 0}
)


def compensation_shares(
    grades: Sequence[Grade], shares: Mapping[Grade, int] = DEFAULT_SHARES
) -> tuple[int, ...]:
    """Each party's share of the compensation, in percent, in the order of `grades`."""
    missing = [g.value for g in Grade if g not in shares]
    if missing:
        raise RuleViolation(
            "liability.shares_incomplete",
            "The compensation share table has no entry for " + ", ".join(missing),
            missing=missing,
        )
    out_of_range = {g.value: v for g, v in shares.items() if not 0 <= v <= 100}
    if out_of_range:
        raise RuleViolation(
            "liability.shares_out_of_range",
            "Compensation shares must be 0 to 100 percent; got "
            + ", ".join(f"{k} {v}" for k, v in out_of_range.items()),
            shares=out_of_range,
        )
    validate_grades(grades, by_officer=True)
    return tuple(shares[g] for g in grades)


# 交强险 at-fault property limit since the 2020 reform (domain-brief §4.3); configurable
# because some local schemes use other thresholds (§4.2).
DEFAULT_KNOCK_FOR_KNOCK_LIMIT_YUAN = 2000


@dataclass(frozen=True)
class KnockForKnockInput:
    """What the insurer seat knows about one vehicle when checking 互碰自赔."""

    party: str
    grade: Grade
    has_compulsory_insurance: bool
    vehicle_damage_only: bool
    """False when the case has an injury or third-party property damage on this side."""
    loss_yuan: Decimal | int | None
    """Assessed or estimated loss; None while nobody has assessed it."""
    consents: bool | None
    """None while the party has not been asked."""

    def __post_init__(self) -> None:
        if self.loss_yuan is not None and self.loss_yuan < 0:
            raise RuleViolation(
                "knock_for_knock.negative_loss",
                f"Party {self.party}'s loss is {self.loss_yuan} yuan; a loss cannot be negative",
                party=self.party,
                loss_yuan=str(self.loss_yuan),
            )


@dataclass(frozen=True)
class Verdict:
    """Whether knock-for-knock applies, with every failed and every still-unknown condition."""

    failures: tuple[Finding, ...]
    unknowns: tuple[Finding, ...]

    @property
    def applies(self) -> bool:
        return not self.failures and not self.unknowns

    @property
    def pending(self) -> bool:
        """Nothing failed yet, but some condition is still unknown."""
        return not self.failures and bool(self.unknowns)


def knock_for_knock(
    vehicles: Sequence[KnockForKnockInput],
    *,
    loss_limit_yuan: Decimal | int = DEFAULT_KNOCK_FOR_KNOCK_LIMIT_YUAN,
) -> Verdict:
    """Check the five 互碰自赔 conditions (domain-brief §4.2 [S27][S28]), listing all failures."""
    failures: list[Finding] = []
    unknowns: list[Finding] = []
    if len(vehicles) < 2:
        failures.append(
            Finding(
                "knock_for_knock.too_few_vehicles",
                f"Knock-for-knock needs at least two vehicles; the case has {len(vehicles)}",
                {"found": len(vehicles), "required": 2},
            )
        )
    grades = [v.grade for v in vehicles]
    if len(grades) >= 2:
        try:
            validate_grades(grades, by_officer=True)
        except RuleViolation as violation:
            failures.append(Finding(violation.code, violation.message, violation.params))
    for v in vehicles:
        if not v.has_compulsory_insurance:
            failures.append(
                Finding(
                    "knock_for_knock.no_compulsory_insurance",
                    f"Party {v.party}'s vehicle has no compulsory insurance (交强险)",
                    {"party": v.party},
                )
            )
        if not v.vehicle_damage_only:
            failures.append(
                Finding(
                    "knock_for_knock.not_vehicle_damage_only",
                    f"Party {v.party}'s side has injury or third-party property damage; "
                    "knock-for-knock covers vehicle damage only",
                    {"party": v.party},
                )
            )
        if v.loss_yuan is None:
            unknowns.append(
                Finding(
                    "knock_for_knock.loss_unknown",
                    f"Party {v.party}'s loss has not been assessed yet",
                    {"party": v.party},
                )
            )
        elif v.loss_yuan > loss_limit_yuan:
            failures.append(
                Finding(
                    "knock_for_knock.loss_over_limit",
                    f"Party {v.party}'s loss of {v.loss_yuan} yuan is over the "
                    f"{loss_limit_yuan} yuan limit",
                    {
                        "party": v.party,
                        "loss_yuan": str(v.loss_yuan),
                        "limit": str(loss_limit_yuan),
                    },
                )
            )
        if v.grade in (Grade.FULL, Grade.NONE):
            failures.append(
                Finding(
                    "knock_for_knock.party_not_liable"
                    if v.grade is Grade.NONE
                    else "knock_for_knock.party_fully_liable",
                    f"Party {v.party} is graded {v.grade.value}; knock-for-knock needs every "
                    "party liable (equal, or main and minor)",
                    {"party": v.party, "grade": v.grade.value},
                )
            )
        if v.consents is None:
            unknowns.append(
                Finding(
                    "knock_for_knock.consent_unknown",
                    f"Party {v.party} has not been asked to consent yet",
                    {"party": v.party},
                )
            )
        elif not v.consents:
            failures.append(
                Finding(
                    "knock_for_knock.no_consent",
                    f"Party {v.party} does not consent to knock-for-knock",
                    {"party": v.party},
                )
            )
    return Verdict(tuple(failures), tuple(unknowns))
