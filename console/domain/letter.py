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
