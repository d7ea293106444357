"""May this accident stay on the fast track (快处快赔)?

The items are DOMAIN.md "Eligibility", drawn from MPS order 146 Art. 13 (parties must stay and
call the police) and Art. 14 (move first, then report) and the local schemes of domain-brief
§1.2. A fact nobody has checked yet is "unknown", never a pass: the reviewer must see what is
still open before ordering evacuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from console.domain.deadlines import HALL_TZ, to_local
from console.domain.errors import Finding, RuleViolation

# The absolute range of vehicle counts any local scheme allows (domain-brief §1.2 [S8][S42]).
MIN_VEHICLES_ALLOWED = 1
MAX_VEHICLES_ALLOWED = 3

# 准驾车型 and the classes each one also permits, from 《机动车驾驶证申领和使用规定》
# (MPS order 162, 2022) Annex 1.
LICENCE_CLASSES: dict[str, frozenset[str]] = {
    "A1": frozenset({"A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"}),
    "A2": frozenset({"B1", "B2", "C1", "C2", "C3", "C4", "C6", "M"}),
    "A3": frozenset({"C1", "C2", "C3", "C4"}),
    "B1": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "B2": frozenset({"C1", "C2", "C3", "C4", "M"}),
    "C1": frozenset({"C2", "C3", "C4"}),
    "C2": frozenset(),
    "C3": frozenset({"C4"}),
    "C4": frozenset(),
    "C5": frozenset(),
    "C6": frozenset(),
    "D": frozenset({"E", "F"}),
    "E": frozenset({"F"}),
    "F": frozenset(),
    "M": frozenset(),
    "N": frozenset(),
    "P": frozenset(),
}
_LICENCE_CLASS = re.compile(r"A[1-3]|B[12]|C[1-6]|[DEFMNP]")


def parse_licence_classes(printed: str) -> frozenset[str]:
    """The classes on a licence as printed ('C1E', 'A2 D'), refusing anything unknown."""
    text = "".join(printed.split()).upper()
    classes = _LICENCE_CLASS.findall(text)
    if not classes or "".join(classes) != text:
        raise RuleViolation(
            "licence.bad_class",
            f"Licence class '{printed}' is not a list of classes such as C1, B2 or C1E",
            found=printed,
        )
    return frozenset(classes)


def licence_covers(printed: str, required: str) -> bool:
    """Whether a licence with the printed classes may drive a vehicle needing `required`."""
    held = parse_licence_classes(printed)
    needed_classes = parse_licence_classes(required)
    if len(needed_classes) != 1:
        raise RuleViolation(
            "licence.bad_class",
            f"A vehicle needs exactly one licence class; got '{required}'",
            found=required,
        )
    (needed,) = needed_classes
    permitted = set(held)
    for cls in held:
        permitted |= LICENCE_CLASSES[cls]
    return needed in permitted


class OffTrackRoute(StrEnum):
    """Where a case goes when it leaves the fast track (DOMAIN.md "Eligibility")."""

    ESCALATE = "escalate"  # police to the scene: Art. 13 situations
    OFFLINE = "offline"  # the offline service centre: everything else


# Art. 13 of MPS order 146 makes the parties stay and call the police for these; the rest
# (documents, insurance, place, vehicle count) can be settled at the offline centre.
_ESCALATING_CODES = frozenset(
    {
        "eligibility.death_or_injury",
        "eligibility.not_drivable",
        "eligibility.licence_expired",
        "eligibility.licence_status",
        "eligibility.licence_class",
        "eligibility.suspected_drink_or_drugs",
        "eligibility.fake_or_missing_plates",
        "eligibility.dangerous_goods",
        "eligibility.party_fled",
        "eligibility.deliberate_crash",
    }
)


@dataclass(frozen=True)
class FastTrackConfig:
    """City settings with the defaults of DOMAIN.md (07:30–19:30 every day, two vehicles)."""

    min_vehicles: int = 2
    max_vehicles: int = 2
    allow_non_motor_vehicle: bool = False
    service_start: time = time(7, 30)
    service_end: time = time(19, 30)
    service_weekdays: frozenset[int] = frozenset(range(7))
    """Days (Monday = 0) on which the service window opens."""
    districts: frozenset[str] | None = None
    """Districts served; None means the whole city."""
    tz: tzinfo = HALL_TZ

    def __post_init__(self) -> None:
        if not (
            MIN_VEHICLES_ALLOWED <= self.min_vehicles <= self.max_vehicles <= MAX_VEHICLES_ALLOWED
        ):
            raise RuleViolation(
                "eligibility.bad_vehicle_range",
                f"Vehicle range {self.min_vehicles}–{self.max_vehicles} is not allowed; fast "
                f"handling covers {MIN_VEHICLES_ALLOWED} to {MAX_VEHICLES_ALLOWED} vehicles",
                min_vehicles=self.min_vehicles,
                max_vehicles=self.max_vehicles,
            )
        if not self.service_weekdays or not self.service_weekdays <= frozenset(range(7)):
            raise RuleViolation(
                "eligibility.bad_weekdays",
                f"Service weekdays {sorted(self.service_weekdays)} must be a non-empty set of "
                "0 (Monday) to 6 (Sunday)",
            )
        if self.districts is not None and not self.districts:
            raise RuleViolation(
                "eligibility.no_districts",
                "The district list is empty; use None for the whole city",
            )
        if self.service_start.tzinfo is not None or self.service_end.tzinfo is not None:
            raise RuleViolation(
                "eligibility.bad_hours",
                "Service hours are wall-clock times in the hall's zone; give them without a "
                "time zone",
            )


DEFAULT_FAST_TRACK = FastTrackConfig()


@dataclass(frozen=True)
class VehicleFacts:
    """What review has established about one vehicle and its driver; None = not checked."""

    party: str
    motor_vehicle: bool = True
    drivable: bool | None = None
    licence_valid_until: date | None = None
    licence_status_normal: bool | None = None
    """Not suspended, revoked or over the point limit."""
    licence_classes: str | None = None
    """准驾车型 as printed on the licence, e.g. 'C1' or 'A2D'."""
    required_licence_class: str | None = None
    """The class the vehicle needs, from its registration."""
    registration_valid_until: date | None = None
    """End of the inspection period (检验有效期)."""
    registration_status_normal: bool | None = None
    compulsory_insurance_from: date | None = None
    compulsory_insurance_until: date | None = None

    def __post_init__(self) -> None:
        if self.licence_classes is not None:
            parse_licence_classes(self.licence_classes)
        if self.required_licence_class is not None:
            licence_covers(self.required_licence_class, self.required_licence_class)


@dataclass(frozen=True)
class AccidentFacts:
    """The case-level facts of DOMAIN.md "Eligibility"; None = not established yet."""

    occurred_at: datetime
    vehicles: Sequence[VehicleFacts]
    district: str | None = None
    death_or_injury: bool | None = None
    suspected_drink_or_drugs: bool | None = None
    suspected_fake_or_missing_plates: bool | None = None
    dangerous_goods: bool | None = None
    party_fled: bool | None = None
    deliberate_crash: bool | None = None


@dataclass(frozen=True)
class EligibilityVerdict:
    """Every failed and every still-unknown item, plus the service-hours outcome.

    Outside hours is not a failure: the case is accepted and queued for `next_opening`.
    """

    failures: tuple[Finding, ...]
    unknowns: tuple[Finding, ...]
    outside_hours: bool
    next_opening: datetime | None

    @property
    def eligible(self) -> bool:
        return not self.failures and not self.unknowns

    @property
    def pending(self) -> bool:
        """Nothing has failed but some items are still unknown."""
        return not self.failures and bool(self.unknowns)

    @property
    def route(self) -> OffTrackRoute | None:
        """Where a failing case goes: on-scene police if any Art. 13 item failed."""
        if not self.failures:
            return None
        if any(f.code in _ESCALATING_CODES for f in self.failures):
            return OffTrackRoute.ESCALATE
        return OffTrackRoute.OFFLINE


class _Collector:
    def __init__(self) -> None:
        self.failures: list[Finding] = []
        self.unknowns: list[Finding] = []

    def flag(
        self, value: bool | None, code: str, failed: str, unknown: str, **params: object
    ) -> None:
        """A yes/no fact where True is the disqualifying answer."""
        if value is None:
            self.unknowns.append(Finding(code, unknown, params))
        elif value:
            self.failures.append(Finding(code, failed, params))

    def fail(self, code: str, message: str, **params: object) -> None:
        self.failures.append(Finding(code, message, params))

    def unknown(self, code: str, message: str, **params: object) -> None:
        self.unknowns.append(Finding(code, message, params))


def assess_fast_track(
    facts: AccidentFacts, config: FastTrackConfig = DEFAULT_FAST_TRACK
) -> EligibilityVerdict:
    """Check every fast-track item and list all failures and unknowns at once."""
    out = _Collector()
    on = to_local(facts.occurred_at, config.tz).date()
    out.flag(
        facts.death_or_injury,
        "eligibility.death_or_injury",
        "Someone was injured or killed; fast handling covers property damage only",
        "Whether anyone was injured or killed is not yet known",
    )
    _check_vehicle_count(out, facts.vehicles, config)
    for vehicle in facts.vehicles:
        _check_vehicle(out, vehicle, on, config)
    out.flag(
        facts.suspected_drink_or_drugs,
        "eligibility.suspected_drink_or_drugs",
        "A driver is suspected of drinking or taking drugs",
        "Whether any driver drank or took drugs is not yet known",
    )
    out.flag(
        facts.suspected_fake_or_missing_plates,
        "eligibility.fake_or_missing_plates",
        "A vehicle has no plates or is suspected of fake or altered plates",
        "Whether every vehicle carries genuine plates is not yet known",
    )
    out.flag(
        facts.dangerous_goods,
        "eligibility.dangerous_goods",
        "A vehicle carries dangerous goods",
        "Whether any vehicle carries dangerous goods is not yet known",
    )
    out.flag(
        facts.party_fled,
        "eligibility.party_fled",
        "A party has left the scene",
        "Whether every party stayed at the scene is not yet known",
    )
    out.flag(
        facts.deliberate_crash,
        "eligibility.deliberate_crash",
        "The crash is suspected to have been caused on purpose",
        "Whether the crash was caused on purpose is not yet assessed",
    )
    if config.districts is not None:
        if facts.district is None:
            out.unknown("eligibility.outside_districts", "The accident's district is not yet known")
        elif facts.district not in config.districts:
            out.fail(
                "eligibility.outside_districts",
                f"District '{facts.district}' is not served by online fast handling; served: "
                + ", ".join(sorted(config.districts)),
                district=facts.district,
            )
    open_now = is_open(facts.occurred_at, config)
    return EligibilityVerdict(
        failures=tuple(out.failures),
        unknowns=tuple(out.unknowns),
        outside_hours=not open_now,
        next_opening=None if open_now else next_opening(facts.occurred_at, config),
    )


def _check_vehicle_count(
    out: _Collector, vehicles: Sequence[VehicleFacts], config: FastTrackConfig
) -> None:
    count = len(vehicles)
    if not config.min_vehicles <= count <= config.max_vehicles:
        allowed = (
            str(config.min_vehicles)
            if config.min_vehicles == config.max_vehicles
            else f"{config.min_vehicles} to {config.max_vehicles}"
        )
        out.fail(
            "eligibility.vehicle_count",
            f"The accident involves {count} vehicle{'' if count == 1 else 's'}; fast handling "
            f"here takes {allowed}",
            found=count,
            min_vehicles=config.min_vehicles,
            max_vehicles=config.max_vehicles,
        )


def _check_vehicle(out: _Collector, v: VehicleFacts, on: date, config: FastTrackConfig) -> None:
    party = v.party
    if not v.motor_vehicle:
        if not config.allow_non_motor_vehicle:
            out.fail(
                "eligibility.non_motor_vehicle",
                f"Party {party} is not in a motor vehicle; fast handling here covers motor "
                "vehicles only",
                party=party,
            )
        return  # licences, registration and 交强险 concern motor vehicles only
    out.flag(
        None if v.drivable is None else not v.drivable,
        "eligibility.not_drivable",
        f"Party {party}'s vehicle cannot be driven",
        f"Whether party {party}'s vehicle can be driven is not yet known",
        party=party,
    )
    _check_until(
        out,
        v.licence_valid_until,
        on,
        code="eligibility.licence_expired",
        what=f"Party {party}'s driving licence",
        party=party,
    )
    out.flag(
        None if v.licence_status_normal is None else not v.licence_status_normal,
        "eligibility.licence_status",
        f"Party {party}'s driving licence is suspended, revoked or otherwise not valid",
        f"Party {party}'s driving licence status is not yet checked",
        party=party,
    )
    if v.licence_classes is None or v.required_licence_class is None:
        out.unknown(
            "eligibility.licence_class",
            f"Whether party {party}'s licence class covers the vehicle is not yet known",
            party=party,
        )
    elif not licence_covers(v.licence_classes, v.required_licence_class):
        out.fail(
            "eligibility.licence_class",
            f"Party {party}'s licence class {v.licence_classes} does not cover a vehicle "
            f"needing class {v.required_licence_class}",
            party=party,
            held=v.licence_classes,
            required=v.required_licence_class,
        )
    _check_until(
        out,
        v.registration_valid_until,
        on,
        code="eligibility.registration_expired",
        what=f"Party {party}'s vehicle inspection",
        party=party,
    )
    out.flag(
        None if v.registration_status_normal is None else not v.registration_status_normal,
        "eligibility.registration_status",
        f"Party {party}'s vehicle registration is not in normal status",
        f"Party {party}'s vehicle registration status is not yet checked",
        party=party,
    )
    start, end = v.compulsory_insurance_from, v.compulsory_insurance_until
    if start is None or end is None:
        out.unknown(
            "eligibility.no_compulsory_insurance",
            f"Party {party}'s compulsory insurance (交强险) period is not yet known",
            party=party,
        )
    elif not start <= on <= end:
        out.fail(
            "eligibility.no_compulsory_insurance",
            f"Party {party}'s compulsory insurance (交强险) runs {start.isoformat()} to "
            f"{end.isoformat()} and does not cover the accident date {on.isoformat()}",
            party=party,
            insured_from=start.isoformat(),
            insured_until=end.isoformat(),
            accident_date=on.isoformat(),
        )


def _check_until(
    out: _Collector, until: date | None, on: date, *, code: str, what: str, party: str
) -> None:
    if until is None:
        out.unknown(code, f"{what} validity is not yet known", party=party)
    elif until < on:
        out.fail(
            code,
            f"{what} expired on {until.isoformat()}, before the accident on {on.isoformat()}",
            party=party,
            valid_until=until.isoformat(),
            accident_date=on.isoformat(),
        )


def _window(day: date, config: FastTrackConfig) -> tuple[datetime, datetime]:
    """The service window opening on `day`, as naive hall wall-clock times."""
    start = datetime.combine(day, config.service_start)
    if config.service_end > config.service_start:
        end = datetime.combine(day, config.service_end)
    elif config.service_end == config.service_start:
        end = start + timedelta(days=1)  # round the clock
    else:
        end = datetime.combine(day + timedelta(days=1), config.service_end)  # overnight
    return start, end


def is_open(moment: datetime, config: FastTrackConfig = DEFAULT_FAST_TRACK) -> bool:
    """Whether `moment` falls inside a service window (end exclusive, hall time)."""
    local = to_local(moment, config.tz).replace(tzinfo=None)
    for day in (local.date() - timedelta(days=1), local.date()):
        if day.weekday() in config.service_weekdays:
            start, end = _window(day, config)
            if start <= local < end:
                return True
    return False


def next_opening(moment: datetime, config: FastTrackConfig = DEFAULT_FAST_TRACK) -> datetime:
    """`moment` itself if the service is open, else when it next opens.

    An aware `moment` gives an aware answer in the hall's zone; a naive one stays naive.
    """
    if is_open(moment, config):
        return moment
    local = to_local(moment, config.tz).replace(tzinfo=None)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in config.service_weekdays:
            continue
        start, _ = _window(day, config)
        if start > local:
            return start if moment.tzinfo is None else start.replace(tzinfo=config.tz)
    raise AssertionError("a non-empty weekday set opens within eight days")
