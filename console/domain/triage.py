"""Triage at reception: what the caller's answers say about fast handling, while they talk.

Reception can only ask what a caller can tell (injuries, can the cars move, plates, drink,
dangerous goods …); documents, licences and insurance are checked at review. So the verdict
splits the unknown items of `assess_fast_track` into questions still to ask now and checks
that come later, and names the next step: guide the parties to upload, or send the police.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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

ASKED_AT_RECEPTION: Final = frozenset(
    {
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
    }
)
"""Eligibility items a caller can answer on the phone; the rest wait for review."""


class TriageStep(StrEnum):
    """What reception should do next with the call."""

    ASK = "ask"  # questions still open: keep asking
    GUIDE = "guide"  # eligible so far: send the guidance SMS, transfer to review
    ESCALATE = "escalate"  # an Art. 13 item failed: on-scene police
    OFFLINE = "offline"  # not for online handling: the offline service centre


@dataclass(frozen=True, slots=True)
class TriageVehicle:
    """One vehicle as the caller describes it; None = not asked yet."""

    plate: str = ""
    motor_vehicle: bool = True
    movable: bool | None = None


@dataclass(frozen=True, slots=True)
class TriageFacts:
    occurred_at: datetime
    vehicles: Sequence[TriageVehicle]
    district: str | None = None
    injuries: bool | None = None
    drink_or_drugs: bool | None = None
    plates_suspect: bool | None = None
    dangerous_goods: bool | None = None
    party_fled: bool | None = None
    deliberate: bool | None = None


@dataclass(frozen=True, slots=True)
class TriageVerdict:
    failures: tuple[Finding, ...]
    to_ask: tuple[Finding, ...]
    checked_later: tuple[Finding, ...]
    outside_hours: bool
    next_opening: datetime | None
    step: TriageStep

    @property
    def eligible_so_far(self) -> bool:
        return not self.failures and not self.to_ask


def triage(facts: TriageFacts, config: FastTrackConfig = DEFAULT_FAST_TRACK) -> TriageVerdict:
    """Assess the caller's answers; every failed item and every open question is listed."""
    vehicles = [
        VehicleFacts(
            party=str(index),
            motor_vehicle=vehicle.motor_vehicle,
            drivable=vehicle.movable,
        )
        for index, vehicle in enumerate(facts.vehicles, start=1)
    ]
    verdict: EligibilityVerdict = assess_fast_track(
        AccidentFacts(
            occurred_at=facts.occurred_at,
            vehicles=vehicles,
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
    to_ask = tuple(f for f in verdict.unknowns if f.code in ASKED_AT_RECEPTION)
    later = tuple(f for f in verdict.unknowns if f.code not in ASKED_AT_RECEPTION)
    if verdict.route is OffTrackRoute.ESCALATE:
        step = TriageStep.ESCALATE
    elif verdict.route is OffTrackRoute.OFFLINE:
        step = TriageStep.OFFLINE
    elif to_ask:
        step = TriageStep.ASK
    else:
        step = TriageStep.GUIDE
    return TriageVerdict(
        failures=verdict.failures,
        to_ask=to_ask,
        checked_later=later,
        outside_hours=verdict.outside_hours,
        next_opening=verdict.next_opening,
        step=step,
    )
