"""The standard fast-handling situations (domain-brief §2.3), shipped as a data file.

The determining officer picks a situation and the party who caused it; the console proposes
each party's grade and the statute for the letter, and the officer confirms or overrides with
a reason (DOMAIN.md "Liability"). The rows live in `resources/data/situations.json` so a city
can adjust wording or statutes without a code change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from console.domain.errors import RuleViolation
from console.domain.liability import AccidentForm, Grade, validate_grades

SITUATIONS_FILE = Path(__file__).resolve().parents[2] / "resources" / "data" / "situations.json"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_INITIALS = re.compile(r"[a-z]+")


class Law(StrEnum):
    """The two texts fast-handling determinations cite (《道路交通事故处理程序规定》 Art. 60)."""

    RTSL = "RTSL"  # 中华人民共和国道路交通安全法 (2021 revision)
    RTSL_REG = "RTSL_REG"  # 中华人民共和国道路交通安全法实施条例 (2017 revision)

    @property
    def name_zh(self) -> str:
        return _LAW_NAMES[self][0]

    @property
    def name_en(self) -> str:
        return _LAW_NAMES[self][1]


_LAW_NAMES: dict[Law, tuple[str, str]] = {
    Law.RTSL: ("中华人民共和国道路交通安全法", "Road Traffic Safety Law"),
    Law.RTSL_REG: (
        "中华人民共和国道路交通安全法实施条例",
        "Regulations on the Implementation of the Road Traffic Safety Law",
    ),
}

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..999 in Chinese numerals as article numbers are written (第四十三条, 第一百零一条)."""
    if not 1 <= n <= 999:
        raise RuleViolation("statute.bad_number", f"Article number {n} is outside 1..999", number=n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _CN_DIGITS[units]
    if tens:
        # 十三 on its own, but 一百一十三 inside a hundred.
        out += ("" if tens == 1 and not hundreds else _CN_DIGITS[tens]) + "十"
    if units:
        out += _CN_DIGITS[units]
    return out


@dataclass(frozen=True)
class Citation:
    """One statute reference: law, article, and optionally paragraph (款) and item (项)."""

    law: Law
    article: int
    paragraph: int | None = None
    item: int | None = None

    @property
    def zh(self) -> str:
        """As printed on letters: 《…》第四十三条第一款第（二）项."""
        text = f"《{self.law.name_zh}》第{chinese_number(self.article)}条"
        if self.paragraph is not None:
            text += f"第{chinese_number(self.paragraph)}款"
        if self.item is not None:
            text += f"第（{chinese_number(self.item)}）项"
        return text

    @property
    def en(self) -> str:
        text = f"{self.law.name_en}, Art. {self.article}"
        if self.paragraph is not None:
            text += f" para. {self.paragraph}"
        if self.item is not None:
            text += f" item {self.item}"
        return text


def citations_zh(citations: Sequence[Citation]) -> str:
    """Several citations joined the way letters do: 《A》第x条、《B》第y条."""
    return "、".join(c.zh for c in citations)


@dataclass(frozen=True)
class Situation:
    """One standard situation with the default grades of its two roles."""

    number: int
    code: str
    label_zh: str
    label_en: str
    initials: str
    """Pinyin initials of `label_zh`'s Han characters: typing 'zzqcwb' finds 追撞前车尾部."""
    keywords_zh: tuple[str, ...]
    at_fault_party_zh: str
    at_fault_party_en: str
    other_party_zh: str
    other_party_en: str
    grade_at_fault: Grade
    grade_other: Grade
    statute_at_fault: tuple[Citation, ...]
    statute_other: tuple[Citation, ...]
    accident_form: AccidentForm

    @property
    def both_liable(self) -> bool:
        return self.grade_other.is_liable


def _bad_file(path: Path, detail: str) -> RuleViolation:
    return RuleViolation(
        "situations.bad_file",
        f"Situation file {path} is invalid: {detail}",
        path=str(path),
        detail=detail,
    )


def _citation(raw: Mapping[str, Any]) -> Citation:
    return Citation(
        law=Law(raw["law"]),
        article=int(raw["article"]),
        paragraph=None if raw.get("paragraph") is None else int(raw["paragraph"]),
        item=None if raw.get("item") is None else int(raw["item"]),
    )


def _situation(raw: Mapping[str, Any]) -> Situation:
    return Situation(
        number=int(raw["number"]),
        code=str(raw["code"]),
        label_zh=str(raw["label_zh"]),
        label_en=str(raw["label_en"]),
        initials=str(raw["initials"]),
        keywords_zh=tuple(str(k) for k in raw.get("keywords_zh", ())),
        at_fault_party_zh=str(raw["at_fault_party_zh"]),
        at_fault_party_en=str(raw["at_fault_party_en"]),
        other_party_zh=str(raw["other_party_zh"]),
        other_party_en=str(raw["other_party_en"]),
        grade_at_fault=Grade(raw["grade_at_fault"]),
        grade_other=Grade(raw["grade_other"]),
        statute_at_fault=tuple(_citation(c) for c in raw["statute_at_fault"]),
        statute_other=tuple(_citation(c) for c in raw.get("statute_other", ())),
        accident_form=AccidentForm(str(raw["accident_form"])),
    )


def _check(path: Path, situations: Sequence[Situation]) -> None:
    codes = [s.code for s in situations]
    if len(set(codes)) != len(codes):
        raise _bad_file(path, "situation codes repeat")
    for s in situations:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", s.code):
            raise _bad_file(path, f"code {s.code!r} is not UPPER_SNAKE_CASE")
        han = _HAN.findall(s.label_zh)
        if not _INITIALS.fullmatch(s.initials) or len(s.initials) != len(han):
            raise _bad_file(
                path,
                f"{s.code}: initials {s.initials!r} must be one lower-case letter per Han "
                f"character of {s.label_zh!r} ({len(han)})",
            )
        try:
            validate_grades((s.grade_at_fault, s.grade_other), by_officer=True)
        except RuleViolation as violation:
            raise _bad_file(path, f"{s.code}: {violation.message}") from None
        if not s.statute_at_fault:
            raise _bad_file(path, f"{s.code}: no statute for the party at fault")
        if s.grade_other.is_liable and not s.statute_other:
            raise _bad_file(path, f"{s.code}: the other party is liable but has no statute")


@cache
def load_situations(path: Path = SITUATIONS_FILE) -> tuple[Situation, ...]:
    """Read, check and cache the situation table, ordered by its row number."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        rows = document["situations"]
        situations = tuple(sorted((_situation(r) for r in rows), key=lambda s: s.number))
    except OSError as error:
        raise _bad_file(path, f"cannot be read ({error.strerror})") from error
    except (ValueError, KeyError, TypeError) as error:
        raise _bad_file(path, f"{type(error).__name__}: {error}") from error
    _check(path, situations)
    return situations


def situation(code: str) -> Situation:
    """The situation with this code, as stored on a case."""
    for s in load_situations():
        if s.code == code:
            return s
    raise RuleViolation(
        "situation.unknown", f"No standard situation has the code '{code}'", situation_code=code
    )


def search_situations(query: str) -> tuple[Situation, ...]:
    """Situations matching a Chinese substring, a pinyin-initials prefix, a code or English.

    Best matches first: exact code or row number, then initials, Chinese label, keywords,
    code fragment, English label; ties keep table order.
    """
    q = query.strip()
    situations = load_situations()
    if not q:
        return situations
    ranked: list[tuple[int, int, Situation]] = []
    for s in situations:
        rank = _match_rank(s, q)
        if rank is not None:
            ranked.append((rank, s.number, s))
    return tuple(s for _, _, s in sorted(ranked, key=lambda t: (t[0], t[1])))


def _match_rank(s: Situation, q: str) -> int | None:
    upper, folded = q.upper(), q.casefold()
    if upper == s.code or q == str(s.number):
        return 0
    if q.isascii() and q.isalpha() and s.initials.startswith(q.lower()):
        return 1
    if q in s.label_zh:
        return 2
    if any(q in keyword for keyword in s.keywords_zh):
        return 3
    if upper in s.code:
        return 4
    if folded in s.label_en.casefold():
        return 5
    return None


def propose_grades(
    situation: Situation, at_fault_index: int, party_count: int, *, by_officer: bool = True
) -> tuple[Grade, ...]:
    """Default grades for every party: the one who did it, and the rest as 'the other party'.

    The result passes `validate_grades`, so a situation that needs two liable parties cannot
    be proposed for a single vehicle, and a main/minor situation not for an agreement.
    """
    if party_count < 1:
        raise RuleViolation(
            "situation.no_parties",
            f"A case needs at least one party; got {party_count}",
            party_count=party_count,
        )
    if not 0 <= at_fault_index < party_count:
        raise RuleViolation(
            "situation.bad_party_index",
            f"Party index {at_fault_index} is outside the {party_count} parties of the case",
            at_fault_index=at_fault_index,
            party_count=party_count,
        )
    grades = tuple(
        situation.grade_at_fault if i == at_fault_index else situation.grade_other
        for i in range(party_count)
    )
    validate_grades(grades, by_officer=by_officer)
    return grades
