"""The simplified-procedure determination letter (道路交通事故认定书（简易程序）) as data: every
field of DOMAIN.md "The determination letter", ready for a renderer. Pure: the PDF is made by
`console.reports.letter`, the number and code by the determination use case.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from console.domain.deadlines import to_local

TITLE: Final = "道路交通事故认定书（简易程序）"
RIGHTS_NOTICE: Final = (
    "当事人对本认定书有异议的，可以自收到之日起三日内向作出认定的公安机关交通管理部门提出；"
    "当事人拒绝签名、对损害赔偿有争议或者调解未达成协议的，可以依法向人民法院提起民事诉讼。"
)
_CODE_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


@dataclass(frozen=True, slots=True)
class LetterParty:
    letter: str
    name: str
    id_or_licence: str
    phone: str
    travel_mode: str  # mode of travel / vehicle type, e.g. 小型轿车
    plate_type: str
    plate_no: str
    insurer: str
    policy_no: str
    fault: str  # what this party did, with the statute
    grade: str  # 全部 / 主要 / 同等 / 次要 / 无
    signature: str  # 已签名 / 拒绝签名 / 待签名


@dataclass(frozen=True, slots=True)
class LetterContent:
    issuing_unit: str
    doc_no: str
    occurred_at: datetime  # aware; printed in the hall's zone
    weather: str
    place: str
    lat: float | None
    lon: float | None
    parties: tuple[LetterParty, ...]
    facts: str  # facts and liability, the narrative
    accident_form: str  # e.g. 113 追尾碰撞
    collision_parts: str
    officer_name: str
    officer_badge: str
    issued_at: datetime  # aware; also the PDF's creation date, so a reprint is identical
    verification_code: str
    verification_url: str
    mediation: str | None = None
    version: int = 1
    title: str = TITLE
    rights_notice: str = RIGHTS_NOTICE
    extra: dict[str, str] = field(default_factory=dict)


def doc_number(unit_prefix: str, year: int, serial: int) -> str:
    """Unit prefix + year + serial, e.g. 东公交认字〔2026〕第000123号."""
    return f"{unit_prefix}认字〔{year}〕第{serial:06d}号"


def new_verification_code(length: int = 12) -> str:
    """Random, unambiguous when read aloud; unique by database constraint."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def content_digest(content: LetterContent) -> str:
    """A stable fingerprint of what the letter says (not of its PDF bytes)."""
    return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()


GRADE_WORDS_ZH: Final = {
    "full": "全部责任",
    "main": "主要责任",
    "equal": "同等责任",
    "minor": "次要责任",
    "none": "无责任",
}


@dataclass(frozen=True, slots=True)
class NarrativeParty:
    letter: str
    name: str
    plate_no: str
    grade: str  # Grade value


def draft_facts(
    *,
    occurred_at: datetime,
    place: str,
    situation_zh: str,
    at_fault_letter: str,
    statute_at_fault: str,
    statute_other: str,
    parties: tuple[NarrativeParty, ...],
) -> str:
    """The facts-and-liability paragraph as officers write it; the officer edits it freely."""
    local = to_local(occurred_at)

    def who(p: NarrativeParty) -> str:
        vehicle = f"驾驶{p.plate_no}号车" if p.plate_no else ""
        return f"{p.letter}方{p.name}{vehicle}"

    culprit = next((p for p in parties if p.letter == at_fault_letter), None)
    others = [p for p in parties if p.letter != at_fault_letter]
    lines = [
        f"{local:%Y年%m月%d日%H时%M分}，{'、'.join(who(p) for p in parties)}，"
        f"在{place}发生交通事故。"
    ]
    if culprit is not None:
        fault = f"{culprit.letter}方{situation_zh}"
        if statute_at_fault:
            fault += f"，违反{statute_at_fault}的规定"
        lines.append(fault + "。")
    for other in others:
        if other.grade != "none" and statute_other:
            lines.append(f"{other.letter}方违反{statute_other}的规定。")
    lines.append(
        "根据《道路交通事故处理程序规定》，认定"
        + "，".join(
            f"{p.letter}方{p.name}负此事故{GRADE_WORDS_ZH.get(p.grade, p.grade)}" for p in parties
        )
        + "。"
    )
    return "".join(lines)
