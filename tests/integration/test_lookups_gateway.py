"""`LookupGateway` against the simulator over real loopback HTTP.

The records of a submission's parties agree with what the parties typed, and the record
defects a spec asks for (expired or suspended licence, no compulsory insurance on the
accident date, overdue inspection) show in the answers the way review must read them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.domain.deadlines import HALL_TZ
from console.domain.eligibility import licence_covers
from console.domain.validation import (
    validate_id_number,
    validate_mobile,
    validate_plate,
    validate_vin,
)
from console.integrations.http import (
    GatewayUnavailable,
    LinkState,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
)
from console.integrations.lookups import (
    VEHICLE_STATUSES,
    DriverStatus,
    LookupGateway,
    PolicyKind,
    VehicleNotFound,
)
from console.integrations.sim import Fault, FaultMode, MalformedKind, SimulatorServer
from console.integrations.sim.records import INSURERS, RecordDefect, make_party

SPEC_PATH = Path(__file__).resolve().parents[2] / "resources" / "api" / "hall-gateway.openapi.json"
FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
FAST_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.3)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=17, calls_per_hour=0, generate=False, photo_bytes=20_000)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[LookupGateway]:
    client = LookupGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        yield client
    finally:
        client.close()


def submitted(sim: SimulatorServer, **spec: Any) -> tuple[dict[str, Any], date]:
    """A submission's JSON and its accident date (China time)."""
    sub = sim.submissions.inject({"extra_photos": 0, **spec})
    return sub, datetime.fromisoformat(sub["occurred_at"]).astimezone(HALL_TZ).date()


def state_of(gateway: LookupGateway) -> LinkState:
    return gateway.health.state


def test_statuses_and_kinds_agree_with_the_contract() -> None:
    schemas = json.loads(SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    assert schemas["DriverRecord"]["properties"]["status"]["enum"] == [
        s.value for s in DriverStatus
    ]
    assert schemas["Policy"]["properties"]["kind"]["enum"] == [k.value for k in PolicyKind]
    vehicle = schemas["VehicleRecord"]["properties"]["status"]["items"]["enum"]
    assert set(vehicle) == VEHICLE_STATUSES


def test_records_agree_with_what_the_parties_submitted(
    sim: SimulatorServer, gateway: LookupGateway
) -> None:
    sub, day = submitted(sim)
    for party in sub["parties"]:
        vehicle = gateway.vehicle(party["plate_no"], party["plate_type"])
        assert vehicle is not None and vehicle.normal
        assert (vehicle.plate_no, vehicle.plate_type) == (party["plate_no"], party["plate_type"])
        assert vehicle.vehicle_type == party["vehicle_type"]
        assert vehicle.vin is not None and validate_vin(vehicle.vin) == vehicle.vin
        assert vehicle.inspection_valid_on(day) is True
        assert (
            vehicle.registration_valid_until is not None and vehicle.registration_valid_until >= day
        )
        driver = gateway.driver(party["licence_number"])
        assert driver is not None and driver.status is DriverStatus.NORMAL
        assert (driver.name, driver.licence_class) == (party["name"], party["licence_class"])
        assert driver.valid_on(day) and 0 <= driver.points <= 12
        assert licence_covers(driver.licence_class, "C1")
        policies = gateway.policies(party["plate_no"], party["plate_type"], day)
        assert policies and policies[0].compulsory and policies[0].valid_on(day)
        assert policies[0].policy_no == party["policy_no"]
        assert {p.insurer_code for p in policies} == {party["insurer_code"]}
        assert all(p.insurer_name for p in policies)
        assert [p.kind for p in policies][1:] in ([], [PolicyKind.COMMERCIAL])
    assert state_of(gateway) is LinkState.UP


def test_record_defects_show_as_review_must_read_them(
    sim: SimulatorServer, gateway: LookupGateway
) -> None:
    sub, day = submitted(
        sim, party_count=3, expired_licence="A", no_insurance=["B"], suspended_licence="C",
        inspection_overdue="C",
    )  # fmt: skip
    a, b, c = sub["parties"]
    expired = gateway.driver(a["licence_number"])
    assert expired is not None and expired.status is DriverStatus.EXPIRED
    assert expired.valid_until < day and not expired.valid_on(day)
    suspended = gateway.driver(c["licence_number"])
    assert suspended is not None and suspended.status is DriverStatus.SUSPENDED
    assert suspended.valid_until > day and not suspended.valid_on(day)
    # No compulsory policy on the accident date: it lapsed shortly before.
    assert gateway.policies(b["plate_no"], b["plate_type"], day) == ()
    lapsed = gateway.policies(b["plate_no"], b["plate_type"], day - timedelta(days=100))
    assert [p.kind for p in lapsed] == [PolicyKind.COMPULSORY]
    assert lapsed[0].valid_until < day and lapsed[0].policy_no == b["policy_no"]
    overdue = gateway.vehicle(c["plate_no"], c["plate_type"])
    assert overdue is not None and "inspection_overdue" in overdue.status
    assert not overdue.normal and overdue.inspection_valid_on(day) is False
    # The others are clean.
    ok_driver = gateway.driver(b["licence_number"])
    assert ok_driver is not None and ok_driver.valid_on(day)
    assert gateway.policies(a["plate_no"], a["plate_type"], day)
    ok_vehicle = gateway.vehicle(a["plate_no"], a["plate_type"])
    assert ok_vehicle is not None and ok_vehicle.normal


def test_unknown_plates_and_licences_are_not_found(
    sim: SimulatorServer, gateway: LookupGateway
) -> None:
    sub, day = submitted(sim, parties=[{"plate_no": "鲁E3K8M2", "plate_type": "02"}, {}])
    assert gateway.vehicle("鲁E99999", "02") is None
    assert gateway.vehicle("鲁E3K8M2", "01") is None  # same text, other plate type
    assert gateway.driver("370502199001011234") is None
    with pytest.raises(VehicleNotFound) as unknown:
        gateway.policies("鲁E99999", "02", day)
    assert unknown.value.status == 404 and unknown.value.code == "no_such_vehicle"
    assert unknown.value.plate_no == "鲁E99999"
    # Plates are normalised before asking: separators, full width, lower case.
    found = gateway.vehicle("鲁e·3k8m2", "02")
    assert found is not None and found.plate_no == "鲁E3K8M2"
    assert gateway.driver(" " + sub["parties"][0]["licence_number"].lower() + " ") is not None
    assert state_of(gateway) is LinkState.UP


def test_bad_input_is_refused_before_asking(gateway: LookupGateway) -> None:
    with pytest.raises(ValueError, match="plate_type"):
        gateway.vehicle("鲁E12345", "2")
    with pytest.raises(ValueError, match="plate"):
        gateway.vehicle("鲁E1", "02")
    with pytest.raises(ValueError, match="6–24"):
        gateway.driver("123")
    with pytest.raises(ValueError, match="plate_type"):
        gateway.policies("鲁E12345", "small", date(2025, 3, 12))


# ---------------------------------------------------------------- faults


def test_errors_are_retried_then_the_link_is_down_and_recovers(
    sim: SimulatorServer, gateway: LookupGateway
) -> None:
    sub, day = submitted(sim)
    a = sub["parties"][0]
    sim.faults.set("lookups", Fault(mode=FaultMode.ERROR))
    with pytest.raises(GatewayUnavailable) as down:
        gateway.driver(a["licence_number"])
    assert down.value.attempts == 3 and sim.hits.count("GET", "/lookups/drivers") == 3
    assert state_of(gateway) is LinkState.DOWN
    with pytest.raises(GatewayUnavailable):
        gateway.policies(a["plate_no"], a["plate_type"], day)
    sim.faults.clear()
    assert gateway.policies(a["plate_no"], a["plate_type"], day)
    assert state_of(gateway) is LinkState.UP
    sim.faults.set("lookups", Fault(mode=FaultMode.ERROR, times=1))
    assert gateway.vehicle(a["plate_no"], a["plate_type"]) is not None
    assert state_of(gateway) is LinkState.DEGRADED
    gateway.vehicle(a["plate_no"], a["plate_type"])
    assert state_of(gateway) is LinkState.UP


@pytest.mark.parametrize("kind", list(MalformedKind))
def test_malformed_records_are_refused_and_never_taken_for_absent(
    sim: SimulatorServer, gateway: LookupGateway, kind: MalformedKind
) -> None:
    sub, day = submitted(sim)
    a = sub["parties"][0]
    sim.faults.set("lookups", Fault(mode=FaultMode.MALFORMED, malformed=kind))
    with pytest.raises(MalformedPayload):
        gateway.vehicle(a["plate_no"], a["plate_type"])
    with pytest.raises(MalformedPayload):
        gateway.driver(a["licence_number"])
    with pytest.raises(MalformedPayload):
        gateway.policies(a["plate_no"], a["plate_type"], day)
    assert sim.hits.count("GET", "/lookups/vehicles") == 1  # refused, not retried
    assert state_of(gateway) is LinkState.DEGRADED
    sim.faults.clear()
    assert gateway.driver(a["licence_number"]) is not None
    assert state_of(gateway) is LinkState.UP


def test_a_hung_lookup_times_out(sim: SimulatorServer, gateway: LookupGateway) -> None:
    sub, _ = submitted(sim)
    a = sub["parties"][0]
    sim.faults.set("lookups", Fault(mode=FaultMode.TIMEOUT, delay_ms=1500))
    with pytest.raises(GatewayUnavailable, match="no answer in time"):
        gateway.vehicle(a["plate_no"], a["plate_type"])
    assert state_of(gateway) is LinkState.DOWN
    sim.faults.clear()
    assert gateway.vehicle(a["plate_no"], a["plate_type"]) is not None


# ---------------------------------------------------------------- made-up parties


def test_made_up_parties_are_believable_dongying_drivers() -> None:
    rng = random.Random(5)
    day = date(2025, 3, 12)
    insurers = set()
    plate_types = set()
    for n in range(300):
        defects = frozenset({RecordDefect.NO_INSURANCE}) if n % 10 == 0 else frozenset()
        party = make_party(rng, "A", day, defects=defects)
        plate = validate_plate(party.plate_no)
        assert plate.text == party.plate_no and party.plate_no.startswith("鲁E")
        assert party.plate_type in plate.kind.plate_type_codes
        plate_types.add(party.plate_type)
        assert party.id_number is not None
        assert validate_id_number(party.id_number, today=day).startswith("3705")
        assert party.licence_number == party.id_number
        assert validate_mobile(party.phone) == party.phone
        assert validate_vin(party.vehicle.vin) == party.vehicle.vin
        assert party.driver.valid_from <= day <= party.driver.valid_until
        assert party.driver.first_issue <= party.driver.valid_from
        assert licence_covers(party.licence_class, "C1")
        compulsory = [p for p in party.policies if p.kind == "compulsory"]
        assert len(compulsory) == 1 and compulsory[0].policy_no == party.policy_no
        assert compulsory[0].valid_on(day) is (n % 10 != 0)
        assert (compulsory[0].valid_until - compulsory[0].valid_from).days in (364, 365)
        insurers.add(party.insurer_code)
    assert insurers == {i.code for i in INSURERS} == {"PICC", "PAIC", "CPIC"}
    assert plate_types == {"02", "52"}
