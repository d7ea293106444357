"""The online review checklist (DOMAIN.md "Parties' submissions").

Every item is answered by the data where it can be (photos present, record look-ups,
exclusions, duplicate hints) and by the reviewer where only a person can judge (legible
plates and markings, damage consistent with the account). Each failed item maps to a return
reason the parties receive by SMS, or, for an exclusion, sends the case off the fast track.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from console.domain.eligibility import (
    DEFAULT_FAST_TRACK,
    AccidentFacts,
    EligibilityVerdict,
    FastTrackConfig,
    OffTrackRoute,
    VehicleFacts,
    assess_fast_track,
)
from console.domain.errors import Finding


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class ReturnCode(StrEnum):
    """Return reasons of the gateway contract (`ReturnReason.code`)."""

    PHOTO_MISSING = "photo_missing"
    PHOTO_ILLEGIBLE = "photo_illegible"
    LICENCE_INVALID = "licence_invalid"
    LICENCE_CLASS_MISMATCH = "licence_class_mismatch"
    REGISTRATION_INVALID = "registration_invalid"
    INSPECTION_OVERDUE = "inspection_overdue"
    COMPULSORY_INSURANCE_INVALID = "compulsory_insurance_invalid"
    EXCLUDED = "excluded"
    DUPLICATE_SUSPECTED = "duplicate_suspected"


RETURNABLE: Final = frozenset(ReturnCode) - {ReturnCode.EXCLUDED, ReturnCode.DUPLICATE_SUSPECTED}
"""Reasons the parties can fix by uploading again; the others take the case off the track."""

SCENE_PHOTOS: Final = ("scene_front_side", "scene_rear_side", "collision_point")
PARTY_PHOTOS: Final = ("driving_licence", "vehicle_registration")
MAX_EXTRA_PHOTOS: Final = 12

PHOTO_NAMES_ZH: Final = {
    "scene_front_side": "现场侧前方",
    "scene_rear_side": "现场侧后方",
    "collision_point": "碰撞部位",
    "driving_licence": "驾驶证",
    "vehicle_registration": "行驶证",
    "scene_other": "其他现场",
    "damage": "车损细节",
}

# Citizen-facing, so always Chinese: what the parties read in the return SMS.
RETURN_TEXTS_ZH: Final = {
    ReturnCode.PHOTO_MISSING: "缺少{photo}照片，请补拍上传",
    ReturnCode.PHOTO_ILLEGIBLE: "{photo}照片无法识别（模糊或文件损坏），请重新拍摄上传",
    ReturnCode.LICENCE_INVALID: "{party}方驾驶证状态异常或已过期，请核实",
    ReturnCode.LICENCE_CLASS_MISMATCH: "{party}方驾驶证准驾车型与车辆不符",
    ReturnCode.REGISTRATION_INVALID: "{party}方车辆登记状态异常，请核实行驶证",
    ReturnCode.INSPECTION_OVERDUE: "{party}方车辆未按期检验",
    ReturnCode.COMPULSORY_INSURANCE_INVALID: "{party}方车辆事故当日无有效交强险",
    ReturnCode.EXCLUDED: "本事故不适用快速处理",
    ReturnCode.DUPLICATE_SUSPECTED: "材料与其他案件重复，请核实",
}

_DOCUMENT_CHECKS: Final = (
    ("eligibility.licence_expired", ReturnCode.LICENCE_INVALID),
    ("eligibility.licence_status", ReturnCode.LICENCE_INVALID),
    ("eligibility.licence_class", ReturnCode.LICENCE_CLASS_MISMATCH),
    ("eligibility.registration_expired", ReturnCode.INSPECTION_OVERDUE),
    ("eligibility.registration_status", ReturnCode.REGISTRATION_INVALID),
    ("eligibility.no_compulsory_insurance", ReturnCode.COMPULSORY_INSURANCE_INVALID),
)
_CASE_CHECKS: Final = (
    "eligibility.death_or_injury",
    "eligibility.vehicle_count",
    "eligibility.not_drivable",
    "eligibility.non_motor_vehicle",
    "eligibility.suspected_drink_or_drugs",
    "eligibility.fake_or_missing_plates",
    "eligibility.dangerous_goods",
    "eligibility.party_fled",
    "eligibility.deliberate_crash",
    "eligibility.outside_districts",
)
SEEN_BY_REVIEWER: Final = frozenset(
    {
        "eligibility.suspected_drink_or_drugs",
        "eligibility.fake_or_missing_plates",
        "eligibility.dangerous_goods",
        "eligibility.party_fled",
        "eligibility.deliberate_crash",
    }
)
"""Exclusions a reviewer judges from the photos and the account when reception did not ask:
judging the damage consistent with the account answers them."""
_REFUSAL_REASONS: Final = {"corrupt": ReturnCode.PHOTO_ILLEGIBLE}


@dataclass(frozen=True, slots=True)
class RefusedPhoto:
    kind: str
    party_letter: str | None
    reason: str  # corrupt, too_large, wrong_type, empty


@dataclass(frozen=True, slots=True)
class Judgements:
    """What only the reviewer can say; None = not yet judged."""

    photos_legible: bool | None = None
    damage_consistent: bool | None = None
    not_duplicate: bool | None = None


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    occurred_at: datetime
    party_letters: Sequence[str]
    vehicles: Sequence[VehicleFacts]
    """One per party (`party` = its letter), filled from the record look-ups."""
    photos: frozenset[tuple[str, str | None]]
    """(kind, party letter) of every accepted photo; scene photos have no letter."""
    refused: Sequence[RefusedPhoto] = ()
    district: str | None = None
    injuries: bool | None = None
    drink_or_drugs: bool | None = None
    plates_suspect: bool | None = None
    dangerous_goods: bool | None = None
    party_fled: bool | None = None
    deliberate: bool | None = None
    duplicates: Sequence[str] = ()
    """Case numbers of other open cases with the same plates close in time."""
    judgements: Judgements = field(default_factory=Judgements)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    key: str  # stable: "photo:scene_front_side", "doc:A:eligibility.licence_status", …
    status: CheckStatus
    by_reviewer: bool
    finding: Finding
    reason: ReturnCode | None = None
    party_letter: str | None = None
    photo_kind: str | None = None

    def return_text_zh(self) -> str:
        if self.reason is None:
            return ""
        photo = PHOTO_NAMES_ZH.get(self.photo_kind or "", self.photo_kind or "")
        if self.party_letter and self.photo_kind:
            photo = f"{self.party_letter}方{photo}"
        return RETURN_TEXTS_ZH[self.reason].format(photo=photo, party=self.party_letter or "")


@dataclass(frozen=True, slots=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    route: OffTrackRoute | None
    """Where the case would go off the fast track (police for Art. 13 items such as an
    invalid licence, else the offline centre); None while nothing excludes it. A document
    failure may still be returned first, if the parties may have uploaded the wrong card."""

    @property
    def failures(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.items if i.status is CheckStatus.FAIL)

    @property
    def open_items(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.items if i.status is CheckStatus.UNKNOWN)

    @property
    def clean(self) -> bool:
        """Every item passed: the case may be approved and the parties ordered off the road."""
        return all(i.status is CheckStatus.PASS for i in self.items)

    @property
    def return_reasons(self) -> tuple[ChecklistItem, ...]:
        """Failed items the parties can fix by uploading again."""
        return tuple(i for i in self.failures if i.reason in RETURNABLE)


def _status(
    code: str, party: str | None, verdict: EligibilityVerdict
) -> tuple[CheckStatus, Finding]:
    def mine(f: Finding) -> bool:
        return party is None or f.params.get("party") == party

    for finding in verdict.failures:
        if finding.code == code and mine(finding):
            return CheckStatus.FAIL, finding
    for finding in verdict.unknowns:
        if finding.code == code and mine(finding):
            return CheckStatus.UNKNOWN, finding
    params = {"party": party} if party is not None else {}
    return CheckStatus.PASS, Finding(code, "passed", params)


def review_checklist(facts: ReviewFacts, config: FastTrackConfig = DEFAULT_FAST_TRACK) -> Checklist:
    """Fill the checklist; every item is present whatever its outcome, so the reviewer sees
    what passed as well as what did not."""
    items: list[ChecklistItem] = []
    have = facts.photos
    refused = {(r.kind, r.party_letter): r for r in facts.refused}

    def photo_item(kind: str, letter: str | None) -> None:
        key = f"photo:{kind}" + (f":{letter}" if letter else "")
        params: dict[str, object] = {"kind": kind}
        if letter:
            params["party"] = letter
        if (kind, letter) in have:
            items.append(
                ChecklistItem(
                    key,
                    CheckStatus.PASS,
                    False,
                    Finding("review.photo_present", "present", params),
                    None,
                    letter,
                    kind,
                )
            )
            return
        refusal = refused.get((kind, letter))
        if refusal is not None:
            reason = _REFUSAL_REASONS.get(refusal.reason, ReturnCode.PHOTO_MISSING)
            finding = Finding(
                "review.photo_refused",
                f"The {kind} photo was refused ({refusal.reason})",
                {**params, "reason": refusal.reason},
            )
        else:
            reason = ReturnCode.PHOTO_MISSING
            finding = Finding("review.photo_missing", f"The {kind} photo is missing", params)
        items.append(ChecklistItem(key, CheckStatus.FAIL, False, finding, reason, letter, kind))

    for kind in SCENE_PHOTOS:
        photo_item(kind, None)
    for letter in facts.party_letters:
        for kind in PARTY_PHOTOS:
            photo_item(kind, letter)
    extra = sum(1 for kind, _ in have if kind in ("scene_other", "damage"))
    if extra > MAX_EXTRA_PHOTOS:
        items.append(
            ChecklistItem(
                "photo:extra",
                CheckStatus.FAIL,
                False,
                Finding(
                    "review.too_many_photos",
                    f"{extra} extra photos; at most {MAX_EXTRA_PHOTOS} are taken",
                    {"count": extra, "limit": MAX_EXTRA_PHOTOS},
                ),
                ReturnCode.PHOTO_ILLEGIBLE,
            )
        )

    verdict = assess_fast_track(
        AccidentFacts(
            occurred_at=facts.occurred_at,
            vehicles=facts.vehicles,
            district=facts.district,
            death_or_injury=facts.injuries,
            suspected_drink_or_drugs=facts.drink_or_drugs,
            suspected_fake_or_missing_plates=facts.plates_suspect,
            dangerous_goods=facts.dangerous_goods,
            party_fled=facts.party_fled,
            deliberate_crash=facts.deliberate,
        ),
        config,
    )
    motor = {v.party for v in facts.vehicles if v.motor_vehicle}
    for letter in facts.party_letters:
        if letter not in motor:
            continue
        for code, reason in _DOCUMENT_CHECKS:
            status, finding = _status(code, letter, verdict)
            items.append(
                ChecklistItem(
                    f"doc:{letter}:{code}",
                    status,
                    False,
                    finding,
                    reason if status is CheckStatus.FAIL else None,
                    letter,
                )
            )
    judged = facts.judgements
    for code in _CASE_CHECKS:
        status, finding = _status(code, None, verdict)
        if code == "eligibility.outside_districts" and config.districts is None:
            continue
        by_reviewer = False
        if status is CheckStatus.UNKNOWN and code in SEEN_BY_REVIEWER and judged.damage_consistent:
            # Nobody asked on the phone; the reviewer, judging the photos and the account
            # consistent, has seen nothing of it.
            status, by_reviewer = CheckStatus.PASS, True
        items.append(
            ChecklistItem(
                f"case:{code}",
                status,
                by_reviewer,
                finding,
                ReturnCode.EXCLUDED if status is CheckStatus.FAIL else None,
            )
        )

    items.append(
        _judged(
            "judge:photos_legible",
            judged.photos_legible,
            Finding("review.photos_legible", "Plates and markings are legible in the photos"),
            ReturnCode.PHOTO_ILLEGIBLE,
        )
    )
    items.append(
        _judged(
            "judge:damage_consistent",
            judged.damage_consistent,
            Finding("review.damage_consistent", "The damage matches the parties' account"),
            ReturnCode.EXCLUDED,
        )
    )
    if facts.duplicates:
        cleared = judged.not_duplicate is True
        items.append(
            ChecklistItem(
                "judge:duplicate",
                CheckStatus.PASS if cleared else CheckStatus.FAIL,
                True,
                Finding(
                    "review.duplicate_suspected",
                    "Other open cases have the same plates: " + ", ".join(facts.duplicates),
                    {"cases": ", ".join(facts.duplicates)},
                ),
                None if cleared else ReturnCode.DUPLICATE_SUSPECTED,
            )
        )

    route = verdict.route
    if route is None and any(
        i.reason in (ReturnCode.EXCLUDED, ReturnCode.DUPLICATE_SUSPECTED) for i in items
    ):
        route = OffTrackRoute.OFFLINE
    return Checklist(tuple(items), route)


def _judged(key: str, value: bool | None, finding: Finding, reason: ReturnCode) -> ChecklistItem:
    if value is None:
        return ChecklistItem(key, CheckStatus.UNKNOWN, True, finding)
    if value:
        return ChecklistItem(key, CheckStatus.PASS, True, finding)
    return ChecklistItem(key, CheckStatus.FAIL, True, finding, reason)
