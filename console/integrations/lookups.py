"""The record look-up link: vehicle registrations, driving licences, insurance policies.

Review checks each party against the records (DOMAIN.md "Eligibility"): the licence is valid
and of the right class, the vehicle's registration and inspection are valid, and a compulsory
policy (交强险) covers the accident date. Look-ups are GETs, so they are retried on outages.
An unknown plate or licence number is not an error of the link: `vehicle()` and `driver()`
answer None, `policies()` raises `VehicleNotFound` (an unknown vehicle is not the same as an
uninsured one, which is an empty answer).

Contract: resources/api/hall-gateway.openapi.json, tag `lookups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from console.domain.validation import normalise_plate
from console.integrations.http import (
    GatewayClient,
    GatewayRejected,
    HttpLink,
    JsonObject,
    LinkHealth,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
)

LINK_NAME: Final = "lookups"
VEHICLE_STATUSES: Final = frozenset(
    {"normal", "stolen", "scrapped", "seized", "inspection_overdue", "pending_violations",
     "mortgaged"}
)  # fmt: skip
_PLATE_TYPE = re.compile(r"^[0-9]{2}$")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class DriverStatus(StrEnum):
    NORMAL = "normal"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    POINTS_FULL = "points_full"
    CANCELLED = "cancelled"


class PolicyKind(StrEnum):
    COMPULSORY = "compulsory"  # 交强险
    COMMERCIAL = "commercial"


@dataclass(frozen=True)
class VehicleRecordInfo:
    """A vehicle's registration record. `status` holds every flag the record carries
    (`normal` alone for a vehicle with nothing against it)."""

    plate_type: str
    plate_no: str
    vin: str | None
    vehicle_type: str
    brand_model: str | None
    owner_name: str
    registration_valid_until: date | None
    inspection_valid_until: date | None
    status: tuple[str, ...]

    @property
    def normal(self) -> bool:
        return set(self.status) <= {"normal"}

    def inspection_valid_on(self, day: date) -> bool | None:
        """Whether the inspection covers `day`; None when the record does not say."""
        if self.inspection_valid_until is None:
            return None
        return day <= self.inspection_valid_until


@dataclass(frozen=True)
class DriverRecordInfo:
    """A driving licence record (the licence number is the holder's ID number)."""

    name: str
    licence_number: str
    licence_class: str
    valid_from: date
    valid_until: date
    status: DriverStatus
    points: int

    def valid_on(self, day: date) -> bool:
        return self.status is DriverStatus.NORMAL and self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class PolicyInfo:
    insurer_code: str
    insurer_name: str
    policy_no: str
    kind: PolicyKind
    valid_from: date
    valid_until: date

    @property
    def compulsory(self) -> bool:
        return self.kind is PolicyKind.COMPULSORY

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


class VehicleNotFound(GatewayRejected):
    """The policy look-up does not know the plate at all (`no_such_vehicle`)."""

    def __init__(self, error: GatewayRejected, plate_no: str, plate_type: str) -> None:
        super().__init__(error.link, error.status, error.code, error.body)
        self.plate_no = plate_no
        self.plate_type = plate_type


# ---------------------------------------------------------------- parsing


def _date(obj: JsonObject, key: str) -> date:
    raw = obj.text(key, max_len=10)
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(obj.link, f"{obj.where}.{key}", "not a date YYYY-MM-DD") from None


def _opt_date(obj: JsonObject, key: str) -> date | None:
    return None if obj.opt_text(key, max_len=10) is None else _date(obj, key)


def parse_vehicle(obj: JsonObject) -> VehicleRecordInfo:
    plate_type = obj.text("plate_type", max_len=2)
    if not _PLATE_TYPE.match(plate_type):
        raise MalformedPayload(obj.link, f"{obj.where}.plate_type", "not two digits")
    vin = obj.opt_text("vin", max_len=17)
    if vin is not None and not _VIN.match(vin):
        raise MalformedPayload(obj.link, f"{obj.where}.vin", "not a VIN")
    status = []
    for index, item in enumerate(obj.items("status")):
        if not isinstance(item, str) or item not in VEHICLE_STATUSES:
            raise MalformedPayload(obj.link, f"{obj.where}.status[{index}]", "unknown status")
        status.append(item)
    return VehicleRecordInfo(
        plate_type=plate_type,
        plate_no=obj.text("plate_no", max_len=10),
        vin=vin,
        vehicle_type=obj.text("vehicle_type", max_len=24),
        brand_model=obj.opt_text("brand_model", max_len=64),
        owner_name=obj.text("owner_name", max_len=128),
        registration_valid_until=_opt_date(obj, "registration_valid_until"),
        inspection_valid_until=_opt_date(obj, "inspection_valid_until"),
        status=tuple(status),
    )


def parse_driver(obj: JsonObject) -> DriverRecordInfo:
    return DriverRecordInfo(
        name=obj.text("name", max_len=64),
        licence_number=obj.text("licence_number", max_len=24),
        licence_class=obj.text("licence_class", max_len=8),
        valid_from=_date(obj, "valid_from"),
        valid_until=_date(obj, "valid_until"),
        status=DriverStatus(obj.choice("status", [s.value for s in DriverStatus])),
        points=obj.integer("points", low=0, high=12),
    )


def parse_policy(obj: JsonObject) -> PolicyInfo:
    return PolicyInfo(
        insurer_code=obj.text("insurer_code", max_len=16),
        insurer_name=obj.text("insurer_name", max_len=128),
        policy_no=obj.text("policy_no", max_len=64),
        kind=PolicyKind(obj.choice("kind", [k.value for k in PolicyKind])),
        valid_from=_date(obj, "valid_from"),
        valid_until=_date(obj, "valid_until"),
    )


# ---------------------------------------------------------------- the client


class LookupGateway(GatewayClient):
    """Client of the look-up endpoints; as `CallGateway` for failures and health."""

    def __init__(
        self,
        base_url: str,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        health: LinkHealth | None = None,
        slow_after_s: float = 2.0,
    ) -> None:
        self.link = HttpLink(
            LINK_NAME,
            base_url,
            timeouts=timeouts,
            retry=retry,
            health=health,
            slow_after_s=slow_after_s,
        )

    def vehicle(self, plate_no: str, plate_type: str) -> VehicleRecordInfo | None:
        """The registration record of a plate; None when no such vehicle is registered."""
        params = _plate_params(plate_no, plate_type)
        try:
            return self.link.call("GET", "/lookups/vehicles", parse_vehicle, params=params)
        except GatewayRejected as exc:
            if exc.status == 404:
                return None
            raise

    def driver(self, licence_number: str) -> DriverRecordInfo | None:
        """The licence record; None when no such licence is known."""
        number = "".join(licence_number.split()).upper()
        if not 6 <= len(number) <= 24:
            raise ValueError("a licence number has 6–24 characters")
        try:
            return self.link.call(
                "GET", "/lookups/drivers", parse_driver, params={"licence_number": number}
            )
        except GatewayRejected as exc:
            if exc.status == 404:
                return None
            raise

    def policies(self, plate_no: str, plate_type: str, on: date) -> tuple[PolicyInfo, ...]:
        """Policies on the vehicle valid on `on` (the accident date), compulsory first; empty
        when none is. Raises `VehicleNotFound` when the plate is unknown."""
        params = _plate_params(plate_no, plate_type)
        params["on"] = on.isoformat()

        def parse(obj: JsonObject) -> tuple[PolicyInfo, ...]:
            found = tuple(parse_policy(p) for p in obj.objects("policies"))
            return tuple(sorted(found, key=lambda p: not p.compulsory))

        try:
            return self.link.call("GET", "/lookups/policies", parse, params=params)
        except GatewayRejected as exc:
            if exc.status == 404:
                raise VehicleNotFound(exc, params["plate_no"], plate_type) from exc
            raise


def _plate_params(plate_no: str, plate_type: str) -> dict[str, str]:
    plate = normalise_plate(plate_no)
    if not 6 <= len(plate) <= 10:
        raise ValueError(f"{plate_no!r} is not a plate number")
    if not _PLATE_TYPE.match(plate_type):
        raise ValueError(f"plate_type must be a two-digit GA 24.7 code, not {plate_type!r}")
    return {"plate_no": plate, "plate_type": plate_type}
