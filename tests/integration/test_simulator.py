"""The hall simulator over real HTTP on loopback, and the contract it serves.

The OpenAPI document is checked against what the simulator really does: every route it
serves is documented with the right method, and its answers on the call endpoints validate
against the documented schemas (a small JSON Schema subset, checked here without new
dependencies).
"""

from __future__ import annotations

import itertools
import json
import re
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from console.domain.validation import validate_mobile
from console.integrations.sim import ROUTES, CallSimulator, ManualClock, SimulatorServer
from console.integrations.sim.__main__ import main as hall_sim_main
from console.integrations.sim.calls import DISTRICTS, FLAT_CURVE
from console.integrations.sim.faults import SUBSYSTEMS

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "resources" / "api" / "hall-gateway.openapi.json"

# Rough extents of Dongying's county-level units (south, west, north, east), kept apart from
# the simulator's own table so a slip there shows here.
DISTRICT_BOXES = {
    "东营区": (37.20, 118.25, 37.70, 119.00),
    "河口区": (37.70, 118.15, 38.20, 119.10),
    "垦利区": (37.40, 118.35, 38.00, 119.30),
    "广饶县": (36.85, 118.20, 37.35, 118.85),
    "利津县": (37.25, 117.90, 38.00, 118.50),
}

# 08:00 in Dongying (UTC+8) on a weekday: the morning rush.
RUSH_HOUR = datetime(2025, 3, 12, 0, 0, tzinfo=UTC)
NIGHT = datetime(2025, 3, 12, 19, 0, tzinfo=UTC)  # 03:00 local


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=7, calls_per_hour=0, generate=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False
    try:
        yield session
    finally:
        session.close()


def inject(http: requests.Session, sim: SimulatorServer, **fields: Any) -> dict[str, Any]:
    response = http.post(f"{sim.base_url}/_sim/calls", json=fields, timeout=5)
    assert response.status_code == 201, response.text
    call: dict[str, Any] = response.json()["call"]
    return call


def events(http: requests.Session, sim: SimulatorServer, after: int = 0) -> list[dict[str, Any]]:
    response = http.get(f"{sim.base_url}/calls/events", params={"after": after}, timeout=5)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["events"]
    return found


# ---------------------------------------------------------------- a JSON Schema subset


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schema_errors(spec: dict[str, Any], schema: dict[str, Any], value: Any, at: str) -> list[str]:
    """What in `value` breaks `schema` (type, required, properties, items, enum, const,
    oneOf/anyOf, additionalProperties, bounds, pattern, date-time); empty when valid."""
    schema = resolve(spec, schema)
    errors: list[str] = []
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not schema_errors(spec, s, value, at)]
        if len(matches) != 1:
            errors.append(f"{at}: matches {len(matches)} of oneOf")
    if "anyOf" in schema and not any(
        not schema_errors(spec, s, value, at) for s in schema["anyOf"]
    ):
        errors.append(f"{at}: matches none of anyOf")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{at}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{at}: {value!r} not in {schema['enum']}")
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else types
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
        }
        if not any(checks[t](value) for t in allowed):
            return [*errors, f"{at}: {type(value).__name__} is not {allowed}"]
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{at}: missing {key}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(spec, properties[key], item, f"{at}.{key}")
            elif extra is False:
                errors.append(f"{at}: unexpected {key}")
            elif isinstance(extra, dict):
                errors += schema_errors(spec, extra, item, f"{at}.{key}")
            if "propertyNames" in schema:
                errors += schema_errors(spec, schema["propertyNames"], key, f"{at}[{key!r}]")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(spec, schema["items"], item, f"{at}[{index}]")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{at}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{at}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{at}: {value!r} does not match {schema['pattern']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{at}: longer than {schema['maxLength']}")
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{at}: shorter than {schema['minLength']}")
        if schema.get("format") == "date-time":
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                errors.append(f"{at}: {value!r} is not a date-time")
            else:
                if parsed.tzinfo is None:
                    errors.append(f"{at}: {value!r} has no offset")
    return errors


def documented_schema(
    spec: dict[str, Any], method: str, template: str, status: int
) -> dict[str, Any]:
    operation = spec["paths"][template][method.lower()]
    response = resolve(spec, operation["responses"][str(status)])
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


class ContractRecorder:
    """Sends requests and checks each answer against the documented response schema."""

    def __init__(self, spec: dict[str, Any], http: requests.Session, base_url: str) -> None:
        self.spec, self.http, self.base_url = spec, http, base_url
        self.checked: set[tuple[str, str, int]] = set()
        self.headers: dict[str, str] = {}  # sent with every request (an Idempotency-Key)

    def send(
        self, method: str, template: str, path: str, *, expect: int, body: object = None,
        params: dict[str, Any] | None = None,
    ) -> Any:  # fmt: skip
        response = self.http.request(
            method,
            self.base_url + path,
            json=body,
            params=params,
            headers=self.headers,
            timeout=10,
        )
        assert response.status_code == expect, (method, path, response.text)
        payload = response.json()
        errors = schema_errors(
            self.spec, documented_schema(self.spec, method, template, expect), payload, "$"
        )
        assert not errors, (method, path, errors)
        self.checked.add((method, template, expect))
        return payload


# ---------------------------------------------------------------- the document


def test_the_document_is_openapi_3_1_with_resolvable_references(spec: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    tags = {t["name"] for t in spec["tags"]}
    assert tags == {*SUBSYSTEMS, "simulator"}
    operation_ids: list[str] = []
    text = SPEC_PATH.read_text(encoding="utf-8")
    for ref in set(re.findall(r'"\$ref": "([^"]+)"', text)):
        resolve(spec, {"$ref": ref})  # raises KeyError when dangling
    for template, item in spec["paths"].items():
        placeholders = set(re.findall(r"\{(\w+)\}", template))
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert method in {"get", "put", "post", "delete"}, (template, method)
            assert len(operation["tags"]) == 1 and operation["tags"][0] in tags
            expected_tag = "simulator" if template.startswith("/_sim/") else template.split("/")[1]
            assert operation["tags"][0] == expected_tag, template
            operation_ids.append(operation["operationId"])
            assert operation["responses"], (template, method)
            params = [resolve(spec, p) for p in [*item.get("parameters", []),
                                                 *operation.get("parameters", [])]]  # fmt: skip
            path_params = {p["name"] for p in params if p["in"] == "path"}
            assert path_params == placeholders, (template, method)
    assert len(operation_ids) == len(set(operation_ids))
    # Every subsystem has at least one documented endpoint for later issues to implement.
    documented_tags = {
        op["tags"][0]
        for item in spec["paths"].values()
        for key, op in item.items()
        if key != "parameters"
    }
    assert documented_tags == tags


def test_every_served_route_is_documented_and_every_call_endpoint_is_served(
    spec: dict[str, Any],
) -> None:
    served = {(route.method, route.template) for route in ROUTES}
    for method, template in served:
        assert template in spec["paths"], template
        assert method.lower() in spec["paths"][template], (method, template)
    documented_calls = {
        (method.upper(), template)
        for template, item in spec["paths"].items()
        if template.startswith("/calls")
        for method in item
        if method != "parameters"
    }
    assert documented_calls <= served


def test_call_endpoints_answer_as_documented(
    spec: dict[str, Any], sim: SimulatorServer, http: requests.Session
) -> None:
    api = ContractRecorder(spec, http, sim.base_url)
    call = api.send("POST", "/_sim/calls", "/_sim/calls", expect=201, body={})["call"]
    cid = call["id"]
    other = api.send("POST", "/_sim/calls", "/_sim/calls", expect=201, body=None)["call"]["id"]
    one = "/calls/{call_id}"
    api.send("GET", "/calls", "/calls", expect=200)
    api.send("GET", one, f"/calls/{cid}", expect=200)
    api.send("GET", one, "/calls/nope", expect=404)
    answer = one + "/answer"
    api.send("POST", answer, f"/calls/{cid}/answer", expect=400, body={"seat": "R1"})
    api.send("POST", answer, f"/calls/{cid}/answer", expect=200, body={"seat": "R1", "user": "a"})
    api.send("POST", answer, f"/calls/{cid}/answer", expect=409, body={"seat": "R2", "user": "b"})
    api.send("POST", answer, "/calls/nope/answer", expect=404, body={"seat": "R2", "user": "b"})
    transfer = one + "/transfer"
    api.send("POST", transfer, f"/calls/{cid}/transfer", expect=400, body={"by_seat": "R1"})
    body = {"by_seat": "R9", "to_seat": "D1"}
    api.send("POST", transfer, f"/calls/{cid}/transfer", expect=409, body=body)
    body = {"by_seat": "R1", "to_position": "determination", "to_seat": "D1"}
    api.send("POST", transfer, f"/calls/{cid}/transfer", expect=200, body=body)
    api.send("POST", answer, f"/calls/{cid}/answer", expect=409, body={"seat": "R2", "user": "b"})
    api.send("POST", answer, f"/calls/{cid}/answer", expect=200, body={"seat": "D1", "user": "c"})
    hangup = one + "/hangup"
    api.send("POST", hangup, f"/calls/{cid}/hangup", expect=409, body={"seat": "R1"})
    api.send("POST", hangup, f"/calls/{cid}/hangup", expect=200, body={"seat": "D1"})
    api.send("POST", hangup, f"/calls/{cid}/hangup", expect=200, body={"seat": "D1"})
    api.send("POST", hangup, "/calls/nope/hangup", expect=404, body={"seat": "D1"})
    api.send("POST", answer, f"/calls/{cid}/answer", expect=410, body={"seat": "R3", "user": "d"})
    api.send("POST", transfer, f"/calls/{cid}/transfer", expect=410,
             body={"by_seat": "D1", "to_seat": "X"})  # fmt: skip
    hung = "/_sim/calls/{call_id}/caller-hangup"
    api.send("POST", hung, f"/_sim/calls/{other}/caller-hangup", expect=200)
    api.send("POST", hung, f"/_sim/calls/{other}/caller-hangup", expect=410)
    api.send("POST", hangup, f"/calls/{other}/hangup", expect=410, body={"seat": "R1"})
    page = api.send("GET", "/calls/events", "/calls/events", expect=200, params={"after": 0})
    kinds = [(e["call"]["id"], e["kind"]) for e in page["events"]]
    assert kinds == [
        (cid, "rang"), (other, "rang"), (cid, "answered"), (cid, "transferred"),
        (cid, "answered"), (cid, "ended"), (other, "caller_hung_up"),
    ]  # fmt: skip
    api.send("GET", "/calls/events", "/calls/events", expect=400, params={"wait": "soon"})
    for template, method in (
        ("/_sim/health", "GET"), ("/_sim/hits", "GET"), ("/_sim/faults", "GET"),
        ("/_sim/clock/pause", "POST"), ("/_sim/clock/resume", "POST"),
        ("/_sim/faults", "DELETE"), ("/_sim/hits", "DELETE"),
    ):  # fmt: skip
        api.send(method, template, template, expect=200)
    fault = "/_sim/faults/{subsystem}"
    api.send("PUT", fault, "/_sim/faults/sms", expect=200, body={"mode": "slow", "delay_ms": 5})
    api.send("PUT", fault, "/_sim/faults/sms", expect=400, body={"mode": "melt"})
    api.send("PUT", fault, "/_sim/faults/fax", expect=404, body={"mode": "none"})
    # Every documented call endpoint and status the simulator can produce was exercised.
    assert {(m, t) for m, t, _ in api.checked} >= {
        (r.method, r.template) for r in ROUTES if r.template.startswith("/calls")
    }


# ---------------------------------------------------------------- call control


def test_twenty_concurrent_answers_have_exactly_one_winner(sim: SimulatorServer) -> None:
    cid = inject_direct(sim)
    barrier = threading.Barrier(20)
    results: list[tuple[int, dict[str, Any], str]] = []
    lock = threading.Lock()

    def seat(n: int) -> None:
        with requests.Session() as session:
            session.trust_env = False
            barrier.wait(5)
            response = session.post(
                f"{sim.base_url}/calls/{cid}/answer",
                json={"seat": f"R{n}", "user": f"user{n}"},
                timeout=10,
            )
            with lock:
                results.append((response.status_code, response.json(), f"R{n}"))

    threads = [threading.Thread(target=seat, args=(n,), name=f"seat-{n}") for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert len(results) == 20
    winners = [r for r in results if r[0] == 200]
    assert len(winners) == 1
    winner_seat = winners[0][2]
    holder = {"seat": winner_seat, "user": "user" + winner_seat[1:]}
    assert winners[0][1]["call"]["holder"] == holder
    for status, body, _ in results:
        if status != 200:
            assert status == 409
            assert body == {"error": "already_answered", "call_id": cid, "holder": holder}
    answered = [e for e in sim.calls.events_after(0)[0] if e["kind"] == "answered"]
    assert len(answered) == 1


def inject_direct(sim: SimulatorServer, **fields: Any) -> str:
    call_id: str = sim.calls.inject(fields)["id"]
    return call_id


def test_injected_calls_appear_in_the_event_log_in_order(
    sim: SimulatorServer, http: requests.Session
) -> None:
    phones = [f"1391234{n:04d}" for n in range(12)]
    ids = [inject(http, sim, phone=p)["id"] for p in phones]
    log = events(http, sim)
    assert [e["call"]["id"] for e in log] == ids
    assert [e["call"]["phone"] for e in log] == phones
    assert [e["seq"] for e in log] == list(range(1, 13))
    assert {e["kind"] for e in log} == {"rang"}
    # A cursor part-way returns the rest; `limit` pages.
    page = http.get(f"{sim.base_url}/calls/events?after=5&limit=4", timeout=5).json()
    assert [e["seq"] for e in page["events"]] == [6, 7, 8, 9] and page["next"] == 9
    calls = http.get(f"{sim.base_url}/calls", timeout=5).json()["calls"]
    assert [c["id"] for c in calls] == ids


def test_a_caller_who_gives_up_before_an_answer_is_gone(
    sim: SimulatorServer, http: requests.Session
) -> None:
    cid = inject(http, sim, patience_s=0.2)["id"]
    started = time.monotonic()
    page = http.get(f"{sim.base_url}/calls/events?after=1&wait=5", timeout=10).json()
    assert time.monotonic() - started < 3
    [event] = page["events"]
    assert event["kind"] == "caller_hung_up"
    assert event["call"]["state"] == "abandoned"
    assert event["call"]["ended_by"] == "caller"
    response = http.post(
        f"{sim.base_url}/calls/{cid}/answer", json={"seat": "R1", "user": "u"}, timeout=5
    )
    assert response.status_code == 410
    assert response.json()["error"] == "caller_hung_up"
    assert http.get(f"{sim.base_url}/calls", timeout=5).json()["calls"] == []


def test_a_caller_who_hangs_up_mid_call_ends_it(
    sim: SimulatorServer, http: requests.Session
) -> None:
    cid = inject(http, sim)["id"]
    http.post(f"{sim.base_url}/calls/{cid}/answer", json={"seat": "R1", "user": "u"}, timeout=5)
    gone = http.post(f"{sim.base_url}/_sim/calls/{cid}/caller-hangup", timeout=5).json()["call"]
    assert gone["state"] == "ended" and gone["ended_by"] == "caller" and gone["holder"] is None
    assert events(http, sim)[-1]["kind"] == "caller_hung_up"


def test_a_transfer_rings_again_for_its_target(
    sim: SimulatorServer, http: requests.Session
) -> None:
    base = sim.base_url
    cid = inject(http, sim)["id"]
    http.post(f"{base}/calls/{cid}/answer", json={"seat": "R1", "user": "u1"}, timeout=5)
    moved = http.post(
        f"{base}/calls/{cid}/transfer", json={"by_seat": "R1", "to_seat": "D2"}, timeout=5
    ).json()["call"]
    assert moved["state"] == "transferring"
    assert moved["target"] == {"position": None, "seat": "D2"}
    assert moved["holder"] is None
    [ringing] = http.get(f"{base}/calls", timeout=5).json()["calls"]
    assert ringing["id"] == cid and ringing["state"] == "transferring"
    # It rings at D2 only; the seat that transferred it cannot take it back either.
    for seat in ("R1", "R2"):
        refused = http.post(
            f"{base}/calls/{cid}/answer", json={"seat": seat, "user": "x"}, timeout=5
        )
        assert refused.status_code == 409
        assert refused.json()["error"] == "offered_to_other_seat"
        assert refused.json()["target"] == {"position": None, "seat": "D2"}
    taken = http.post(f"{base}/calls/{cid}/answer", json={"seat": "D2", "user": "u2"}, timeout=5)
    assert taken.status_code == 200
    assert taken.json()["call"]["holder"] == {"seat": "D2", "user": "u2"}
    # A transfer to a position rings for any seat of it (the console filters by position).
    http.post(
        f"{base}/calls/{cid}/transfer", json={"by_seat": "D2", "to_position": "rescue"}, timeout=5
    )
    rescue = http.post(f"{base}/calls/{cid}/answer", json={"seat": "S1", "user": "u3"}, timeout=5)
    assert rescue.status_code == 200
    transfers = [e for e in events(http, sim) if e["kind"] == "transferred"]
    assert [(e["seat"], e["to_position"], e["to_seat"]) for e in transfers] == [
        ("R1", None, "D2"),
        ("D2", "rescue", None),
    ]
    bad = http.post(
        f"{base}/calls/{cid}/transfer", json={"by_seat": "S1", "to_position": "janitor"}, timeout=5
    )
    assert bad.status_code == 400


def test_a_repeated_idempotency_key_gets_the_first_answer(
    sim: SimulatorServer, http: requests.Session
) -> None:
    cid = inject(http, sim)["id"]
    url = f"{sim.base_url}/calls/{cid}/answer"
    key = {"Idempotency-Key": "k-123456789"}
    first = http.post(url, json={"seat": "R1", "user": "u1"}, headers=key, timeout=5)
    http.post(f"{sim.base_url}/calls/{cid}/hangup", json={"seat": "R1"}, timeout=5)
    again = http.post(url, json={"seat": "R1", "user": "u1"}, headers=key, timeout=5)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    fresh = http.post(url, json={"seat": "R1", "user": "u1"}, timeout=5)
    assert fresh.status_code == 410


def test_a_long_poll_waits_for_the_next_event(sim: SimulatorServer, http: requests.Session) -> None:
    timer = threading.Timer(0.3, inject_direct, args=(sim,))
    timer.name = "hall-sim-test-timer"
    started = time.monotonic()
    timer.start()
    try:
        page = http.get(f"{sim.base_url}/calls/events?after=0&wait=10", timeout=15).json()
    finally:
        timer.join()
    waited = time.monotonic() - started
    assert 0.2 < waited < 5
    assert [e["kind"] for e in page["events"]] == ["rang"] and page["next"] == 1
    # Nothing new: the poll comes back empty after `wait`, with the same cursor.
    started = time.monotonic()
    page = http.get(f"{sim.base_url}/calls/events?after=1&wait=0.3", timeout=5).json()
    assert page["events"] == [] and page["next"] == 1
    assert 0.25 < time.monotonic() - started < 3
    # A cursor from an earlier run of the gateway gets the current end back.
    page = http.get(f"{sim.base_url}/calls/events?after=999&wait=5", timeout=5).json()
    assert page["events"] == [] and page["next"] == 1


# ---------------------------------------------------------------- faults


def test_fault_modes_over_http(sim: SimulatorServer, http: requests.Session) -> None:
    base = sim.base_url

    def fault(subsystem: str, **body: Any) -> None:
        response = http.put(f"{base}/_sim/faults/{subsystem}", json=body, timeout=5)
        assert response.status_code == 200, response.text

    fault("calls", mode="error")
    assert http.get(f"{base}/calls", timeout=5).status_code == 503
    # The simulator's own controls never fail.
    assert http.get(f"{base}/_sim/health", timeout=5).json()["faults"]["calls"]["mode"] == "error"
    fault("calls", mode="error", status=500)
    assert http.get(f"{base}/calls", timeout=5).status_code == 500
    fault("calls", mode="malformed")
    with pytest.raises(ValueError):  # noqa: PT011 - any JSON decoding error
        json.loads(http.get(f"{base}/calls", timeout=5).content)
    fault("calls", mode="malformed", malformed="wrong_shape")
    assert http.get(f"{base}/calls", timeout=5).json() == {"calls": {"items": 0}}
    fault("calls", mode="slow", delay_ms=300)
    started = time.monotonic()
    assert http.get(f"{base}/calls", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3
    fault("calls", mode="timeout", delay_ms=2000)
    with pytest.raises(requests.ReadTimeout):
        http.get(f"{base}/calls", timeout=(1, 0.2))
    fault("calls", mode="error", times=2)
    statuses = [http.get(f"{base}/calls", timeout=5).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    # Faults are per subsystem.
    fault("sms", mode="error")
    assert http.get(f"{base}/calls", timeout=5).status_code == 200
    sim.faults.clear()
    assert all(
        f["mode"] == "none" for f in http.get(f"{base}/_sim/faults").json()["faults"].values()
    )
    hits = http.get(f"{base}/_sim/hits", timeout=5).json()["hits"]
    assert {"method": "GET", "path": "/calls", "count": 10} in hits


def test_unknown_paths_and_methods_are_refused(
    sim: SimulatorServer, http: requests.Session
) -> None:
    # Every path of the contract is simulated now (checkpoints came last); others are not.
    assert http.get(f"{sim.base_url}/nowhere", timeout=5).status_code == 404
    assert http.delete(f"{sim.base_url}/calls", timeout=5).status_code == 405


# ---------------------------------------------------------------- life cycle


def test_stop_ends_hung_requests_and_joins_every_thread() -> None:
    server = SimulatorServer(seed=1, calls_per_hour=3600, generate=True)
    base = server.start()
    server.faults.set("calls", sim_fault("timeout", 60_000))
    outcomes: list[str] = []

    def hang(path: str) -> None:
        try:
            requests.get(base + path, timeout=(1, 30))
            outcomes.append("answered")
        except requests.RequestException:
            outcomes.append("cut")

    clients = [
        threading.Thread(target=hang, args=(path,), name="hall-sim-test-client")
        for path in ("/calls", "/calls/events?after=0&wait=30")
    ]
    for client in clients:
        client.start()
    time.sleep(0.3)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    for client in clients:
        client.join(5)
    assert sorted(outcomes) == ["cut", "cut"]
    assert not [t.name for t in threading.enumerate() if t.name.startswith("hall-sim-")]
    with pytest.raises(RuntimeError):
        server.start()


def sim_fault(mode: str, delay_ms: int) -> Any:
    from console.integrations.sim.faults import Fault, FaultMode

    return Fault(mode=FaultMode(mode), delay_ms=delay_ms)


def test_the_simulator_serves_loopback_only_unless_told() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SimulatorServer(host="0.0.0.0")
    SimulatorServer(host="0.0.0.0", allow_remote=True)  # constructed, not started
    assert hall_sim_main(["--host", "192.0.2.1"]) == 2


def test_the_hall_sim_command_serves_until_terminated() -> None:
    command = [sys.executable, "-m", "console.integrations.sim", "--port", "0", "--seed", "5",
               "--calls-per-hour", "0", "--no-generate", "--log-level", "WARNING"]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT) as proc:
        try:
            assert proc.stdout is not None
            with selectors.DefaultSelector() as selector:
                selector.register(proc.stdout, selectors.EVENT_READ)
                assert selector.select(timeout=20), "hall-sim printed nothing"
            line = proc.stdout.readline()
            url = re.fullmatch(r"hall-sim serving (http://127\.0\.0\.1:\d+)\n", line)
            assert url, line
            with requests.Session() as session:
                session.trust_env = False
                health = session.get(url[1] + "/_sim/health", timeout=5).json()
            assert health["seed"] == 5 and health["generate"] is False
        finally:
            proc.terminate()
            returncode = proc.wait(10)
    assert returncode == 0


def test_the_generator_runs_in_real_time() -> None:
    with SimulatorServer(seed=3, calls_per_hour=36_000, curve=FLAT_CURVE) as server:
        deadline = time.monotonic() + 5
        while server.calls.last_seq < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.calls.last_seq >= 3
        server.calls.pause()
        time.sleep(0.05)
        frozen = server.calls.last_seq
        time.sleep(0.4)
        assert server.calls.last_seq == frozen


# ---------------------------------------------------------------- the generator


def simulated(seed: int, calls_per_hour: float, start: datetime, hours: float, **kw: Any) -> Any:
    clock = ManualClock(start)
    sim = CallSimulator(seed=seed, calls_per_hour=calls_per_hour, clock=clock, **kw)
    step = timedelta(seconds=30)
    end = start + timedelta(hours=hours)
    while clock.now() < end:
        clock.advance(step)
        sim.tick()
    return sim


def test_a_fixed_seed_gives_the_same_calls() -> None:
    a = simulated(42, 120, RUSH_HOUR, 1).all_calls()
    b = simulated(42, 120, RUSH_HOUR, 1).all_calls()
    c = simulated(43, 120, RUSH_HOUR, 1).all_calls()
    assert a == b
    assert len(a) > 50
    assert [x["phone"] for x in a] != [x["phone"] for x in c]


def test_arrivals_follow_the_rate_and_the_daily_curve() -> None:
    flat = simulated(5, 600, NIGHT, 1, curve=FLAT_CURVE).all_calls()
    assert 520 <= len(flat) <= 680  # Poisson(600): ±3.3 σ
    rush = simulated(5, 600, RUSH_HOUR, 1).all_calls()
    assert 520 <= len(rush) <= 680  # 08:00–09:00 runs at the full rate
    night = simulated(5, 600, NIGHT, 1).all_calls()
    assert 10 <= len(night) <= 60  # 03:00–04:00 runs at 5 %
    times = [datetime.fromisoformat(c["rang_at"]) for c in rush]
    assert times == sorted(times)
    assert all(RUSH_HOUR <= t <= RUSH_HOUR + timedelta(hours=1) for t in times)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert 4.5 < sum(gaps) / len(gaps) < 7.5  # exponential gaps, mean 6 s


def test_unanswered_callers_give_up_after_their_patience() -> None:
    sim = simulated(9, 300, RUSH_HOUR, 1, patience_mean_s=60)
    calls = sim.all_calls()
    waited = [
        (datetime.fromisoformat(c["ended_at"]) - datetime.fromisoformat(c["rang_at"]))
        for c in calls
        if c["state"] == "abandoned"
    ]
    assert len(waited) >= len(calls) - 10  # nobody answers; only the last few still ring
    mean = sum(w.total_seconds() for w in waited) / len(waited)
    assert 45 < mean < 75
    log = sim.events_after(0, limit=10_000)[0]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    rang = {e["call"]["id"]: e["seq"] for e in log if e["kind"] == "rang"}
    for event in log:
        if event["kind"] == "caller_hung_up":
            assert event["seq"] > rang[event["call"]["id"]]


def test_pausing_freezes_arrivals_and_patience() -> None:
    clock = ManualClock(RUSH_HOUR)
    sim = CallSimulator(seed=2, calls_per_hour=600, clock=clock, patience_mean_s=30)
    clock.advance(timedelta(minutes=5))
    sim.tick()
    before = sim.all_calls()
    ringing = [c["id"] for c in before if c["state"] == "ringing"]
    sim.pause()
    clock.advance(timedelta(hours=2))
    sim.tick()
    assert sim.all_calls() == before
    sim.resume()
    sim.tick()
    assert sim.all_calls() == before  # nothing was due: the pause moved every deadline
    clock.advance(timedelta(minutes=10))
    sim.tick()
    after = {c["id"]: c for c in sim.all_calls()}
    assert len(after) > len(before)
    assert all(after[cid]["state"] == "abandoned" for cid in ringing)


def test_a_clock_jump_is_not_replayed_when_catch_up_is_bounded() -> None:
    clock = ManualClock(RUSH_HOUR)
    sim = CallSimulator(seed=4, calls_per_hour=600, clock=clock, max_catch_up=timedelta(minutes=2))
    clock.advance(timedelta(minutes=1))
    sim.tick()
    before = len(sim.all_calls())
    clock.advance(timedelta(hours=8))  # the desk slept
    sim.tick()
    assert len(sim.all_calls()) == before
    for _ in range(10):
        clock.advance(timedelta(minutes=1))
        sim.tick()
    assert len(sim.all_calls()) > before + 20  # and then carries on at the rate


def test_callers_are_believable() -> None:
    calls = simulated(11, 3000, RUSH_HOUR, 1).all_calls()
    assert len(calls) > 2000
    for call in calls:
        assert validate_mobile(call["phone"]) == call["phone"]
        south, west, north, east = DISTRICT_BOXES[call["district"]]
        assert south <= call["lat"] <= north and west <= call["lon"] <= east, call
        assert abs(call["lat"] - 37.43) < 0.6 and abs(call["lon"] - 118.67) < 0.6
        assert call["place_text"].startswith(call["district"])
        assert call["description"] and call["vehicle_count"] in (1, 2, 3)
        assert call["id"].startswith("122-20250312-")
    assert {c["district"] for c in calls} == set(DISTRICT_BOXES)
    assert {d.name for d in DISTRICTS} == set(DISTRICT_BOXES)
    named = sum(1 for c in calls if c["caller_name"])
    assert 0.8 < named / len(calls) < 0.97
    roads = "".join(c["place_text"] for c in calls)
    for road in ("府前大街", "西四路", "东三路", "黄河路", "济南路", "南一路"):
        assert road in roads
    share = sum(1 for c in calls if c["district"] == "东营区") / len(calls)
    assert 0.55 < share < 0.78  # the city centre and the west city


# ---------------------------------------------------------------- submissions, look-ups, SMS


def test_every_submission_lookup_sms_and_simulator_path_is_served(spec: dict[str, Any]) -> None:
    served = {(route.method, route.template) for route in ROUTES}
    documented = {
        (method.upper(), template)
        for template, item in spec["paths"].items()
        if template.split("/")[1] in ("submissions", "lookups", "sms", "_sim")
        for method in item
        if method != "parameters"
    }
    assert documented <= served, documented - served
    keyed = {(r.method, r.template) for r in ROUTES if r.keyed}
    for method, template in keyed:
        params = spec["paths"][template][method.lower()].get("parameters", [])
        assert {"$ref": "#/components/parameters/IdempotencyKeyRequired"} in params


def test_submission_lookup_and_sms_endpoints_answer_as_documented(
    spec: dict[str, Any], http: requests.Session
) -> None:
    clock = ManualClock(RUSH_HOUR)
    with SimulatorServer(seed=7, calls_per_hour=0, generate=True, clock=clock,
                         photo_bytes=20_000) as sim:  # fmt: skip
        sim.submissions.defect_rate = 0.0
        api = ContractRecorder(spec, http, sim.base_url)
        inject_path = "/_sim/submissions"
        sub = api.send("POST", inject_path, inject_path, expect=201, body={
            "case_no": "DY-1", "token": "t0k3n", "corrupt": "collision_point",
            "expired_licence": "A", "no_insurance": "B", "extra_photos": 1,
            "agreement": {"A": "full", "B": "none"},
        })  # fmt: skip
        sid = sub["id"]
        api.send("POST", inject_path, inject_path, expect=201, body=None)
        api.send("POST", inject_path, inject_path, expect=400, body={"missing": "roof"})
        api.send("POST", inject_path, inject_path, expect=400, body={"colour": "red"})
        one = "/submissions/{submission_id}"
        api.send("GET", one, f"/submissions/{sid}", expect=200)
        api.send("GET", one, "/submissions/nope", expect=404)
        events = "/submissions/events"
        page = api.send("GET", events, events, expect=200, params={"after": 0})
        assert [e["kind"] for e in page["events"]] == ["submitted", "submitted"]
        api.send("GET", events, events, expect=400, params={"limit": 0})
        photo = sub["photos"][0]
        response = http.get(f"{sim.base_url}/submissions/{sid}/photos/{photo['id']}", timeout=5)
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
        assert len(response.content) == photo["size"]
        photo_path = "/submissions/{submission_id}/photos/{photo_id}"
        api.send("GET", photo_path, f"/submissions/{sid}/photos/nope", expect=404)
        review = one + "/review"
        body = {
            "outcome": "returned",
            "case_no": "DY-1",
            "reviewer_seat": "审核-01",
            "reasons": [
                {
                    "code": "photo_illegible",
                    "party_letter": None,
                    "photo_kind": "collision_point",
                    "text": "碰撞部位照片无法识别",
                }
            ],
        }
        api.send("POST", review, f"/submissions/{sid}/review", expect=400, body=body)  # no key
        api.headers = {"Idempotency-Key": "review-key-1"}
        api.send("POST", review, f"/submissions/{sid}/review", expect=200, body=body)
        api.headers = {"Idempotency-Key": "review-key-2"}
        approve = {**body, "outcome": "approved", "reasons": []}
        api.send("POST", review, f"/submissions/{sid}/review", expect=409, body=approve)
        api.send("POST", review, "/submissions/nope/review", expect=404, body=approve)
        api.headers = {"Idempotency-Key": "review-key-x"}  # a repeated key: the first answer
        api.send("POST", review, f"/submissions/{sid}/review", expect=400,
                 body={**body, "reasons": []})  # fmt: skip
        api.headers = {}
        reviews = "/_sim/submissions/{submission_id}/reviews"
        assert len(api.send("GET", reviews, f"/_sim/submissions/{sid}/reviews", expect=200)[
            "reviews"]) == 1  # fmt: skip
        api.send("GET", reviews, "/_sim/submissions/nope/reviews", expect=404)
        resubmit = "/_sim/submissions/{submission_id}/resubmit"
        again = api.send("POST", resubmit, f"/_sim/submissions/{sid}/resubmit", expect=200,
                         body={"corrupt": "scene_front_side"})  # fmt: skip
        assert again["round"] == 2
        api.send("POST", resubmit, f"/_sim/submissions/{sid}/resubmit", expect=409, body={})
        api.send("POST", resubmit, "/_sim/submissions/nope/resubmit", expect=404, body={})
        photos = "/_sim/submissions/{submission_id}/photos"
        api.send("POST", photos, f"/_sim/submissions/{sid}/photos", expect=200,
                 body={"photos": ["damage"]})  # fmt: skip
        api.send("POST", photos, f"/_sim/submissions/{sid}/photos", expect=400, body={})
        api.send("POST", photos, "/_sim/submissions/nope/photos", expect=404,
                 body={"photos": ["damage"]})  # fmt: skip
        agreement = "/_sim/submissions/{submission_id}/agreement"
        api.send("POST", agreement, f"/_sim/submissions/{sid}/agreement", expect=200,
                 body={"grades": {"A": "equal", "B": "equal"}})  # fmt: skip
        api.send("POST", agreement, f"/_sim/submissions/{sid}/agreement", expect=400,
                 body={"grades": {"A": "main"}})  # fmt: skip
        api.send("POST", agreement, "/_sim/submissions/nope/agreement", expect=404,
                 body={"grades": {"A": "full"}})  # fmt: skip
        withdraw = "/_sim/submissions/{submission_id}/withdraw"
        api.send("POST", withdraw, f"/_sim/submissions/{sid}/withdraw", expect=200)
        api.send("POST", withdraw, "/_sim/submissions/nope/withdraw", expect=404)
        api.send("POST", photos, f"/_sim/submissions/{sid}/photos", expect=409,
                 body={"photos": ["damage"]})  # fmt: skip
        api.send("POST", agreement, f"/_sim/submissions/{sid}/agreement", expect=409,
                 body={"grades": {"A": "full"}})  # fmt: skip
        api.headers = {"Idempotency-Key": "review-key-3"}
        api.send("POST", review, f"/submissions/{sid}/review", expect=409, body=approve)
        api.headers = {}
        # Look-ups of the parties.
        a, b = sub["parties"]
        day = "2025-03-12"
        vehicles, drivers, policies = "/lookups/vehicles", "/lookups/drivers", "/lookups/policies"
        plate = {"plate_no": a["plate_no"], "plate_type": a["plate_type"]}
        api.send("GET", vehicles, vehicles, expect=200, params=plate)
        api.send("GET", vehicles, vehicles, expect=404, params={**plate, "plate_no": "鲁E00000"})
        api.send("GET", vehicles, vehicles, expect=400, params={**plate, "plate_type": "x"})
        found = api.send("GET", drivers, drivers, expect=200,
                         params={"licence_number": a["licence_number"]})  # fmt: skip
        assert found["status"] == "expired"
        api.send("GET", drivers, drivers, expect=404, params={"licence_number": "1234567"})
        api.send("GET", drivers, drivers, expect=400, params={"licence_number": "1"})
        assert api.send("GET", policies, policies, expect=200, params={**plate, "on": day})[
            "policies"]  # fmt: skip
        b_plate = {"plate_no": b["plate_no"], "plate_type": b["plate_type"], "on": day}
        assert api.send("GET", policies, policies, expect=200, params=b_plate)["policies"] == []
        api.send("GET", policies, policies, expect=404,
                 params={**b_plate, "plate_no": "鲁E00000"})  # fmt: skip
        api.send("GET", policies, policies, expect=400, params={**plate, "on": "12/03/2025"})
        # SMS, and the upload a guidance message sets off.
        messages = "/sms/messages"
        guidance = {
            "to": [a["phone"]],
            "template": "guidance",
            "case_no": "DY-2",
            "params": {"case_no": "DY-2", "link": "https://h.example/submit/DY-2?t=x"},
        }
        api.headers = {"Idempotency-Key": "sms-key-0001"}
        sent = api.send("POST", messages, messages, expect=202, body=guidance)
        api.headers = {"Idempotency-Key": "sms-key-0002"}
        api.send("POST", messages, messages, expect=400, body={**guidance, "to": ["12345"]})
        api.headers = {}
        api.send("POST", messages, messages, expect=400, body=guidance)
        status = "/sms/messages/{message_id}"
        api.send("GET", status, f"/sms/messages/{sent['message_id']}", expect=200)
        api.send("GET", status, "/sms/messages/nope", expect=404)
        failures = "/_sim/sms/failures"
        api.send("POST", failures, failures, expect=200, body={"to": b["phone"]})
        api.send("POST", failures, failures, expect=400, body={"to": "0546"})
        assert api.send("GET", failures, failures, expect=200)["failures"][0]["to"] == b["phone"]
        assert api.send("DELETE", failures, failures, expect=200) == {"failures": []}
        listed = api.send("GET", "/_sim/sms/messages", "/_sim/sms/messages", expect=200)
        assert listed["messages"][0]["message_id"] == sent["message_id"]
        uploads = api.send("GET", "/_sim/uploads", "/_sim/uploads", expect=200)["uploads"]
        assert [u["case_no"] for u in uploads] == ["DY-2"]
        health = api.send("GET", "/_sim/health", "/_sim/health", expect=200)
        assert health["uploads"] is True and health["photo_bytes"] == 20_000
        # Every documented endpoint of these subsystems and simulator route was exercised.
        exercised = {(m, t) for m, t, _ in api.checked}
        mine = {
            (r.method, r.template)
            for r in ROUTES
            if r.subsystem in ("submissions", "lookups", "sms")
            or r.template.startswith(("/_sim/submissions", "/_sim/sms", "/_sim/uploads"))
        }
        assert mine <= exercised, mine - exercised


def test_a_fixed_seed_gives_the_same_submissions() -> None:
    def run(seed: int) -> list[dict[str, Any]]:
        sim = SimulatorServer(seed=seed, calls_per_hour=0, generate=False,
                              clock=ManualClock(RUSH_HOUR), photo_bytes=20_000)  # fmt: skip
        made = [sim.submissions.inject({"extra_photos": 1}) for _ in range(2)]
        made.append(sim.submissions.inject({"corrupt": "damage", "no_insurance": "A"}))
        return made

    first, again, other = run(5), run(5), run(6)
    assert first == again
    assert [p["sha256"] for p in first[0]["photos"]] == [p["sha256"] for p in again[0]["photos"]]
    assert [p["plate_no"] for s in first for p in s["parties"]] != [
        p["plate_no"] for s in other for p in s["parties"]
    ]


def test_generated_photos_are_jpegs_of_the_asked_size_and_defects_are_what_they_say() -> None:
    import cv2
    import numpy as np

    from console.integrations.sim.images import (
        DEFAULT_PHOTO_BYTES,
        OVERSIZE_BYTES,
        PHOTO_KINDS,
        Defect,
        PhotoFactory,
        PhotoSpec,
    )

    factory = PhotoFactory()
    for n, kind in enumerate(PHOTO_KINDS):
        spec = PhotoSpec(kind, n, DEFAULT_PHOTO_BYTES, (("plate", "鲁E12345"),), tag=f"p{n}")
        data = factory.data(spec)
        assert 150_000 <= len(data) <= 400_000, (kind, len(data))
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        assert image.shape == (1200, 1600, 3)
        assert factory.data(spec) == data  # a pure function of its spec (and cached)
        assert factory.describe(spec).size == len(data)
    big = factory.data(PhotoSpec("scene_front_side", 1, 2_000_000))
    assert 1_000_000 <= len(big) <= 3_000_000
    # The PDF is a real one: its cross-reference table points at its objects.
    pdf = factory.data(PhotoSpec("driving_licence", 2, 30_000, defect=Defect.PDF_AS_JPG))
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref : xref + 4] == b"xref"
    offsets = [int(line.split()[0]) for line in pdf[xref:].splitlines()[3:9]]
    assert [pdf[o : o + 7] for o in offsets] == [f"{k} 0 obj".encode() for k in range(1, 7)]
    # The oversize file is exactly ten times the hall's limit, a JPEG from start to end,
    # and produced piece by piece.
    spec = PhotoSpec("driving_licence", 3, 30_000, defect=Defect.OVERSIZE)
    total, largest, first, last = 0, 0, b"", b""
    for chunk in factory.chunks(spec):
        total += len(chunk)
        largest = max(largest, len(chunk))
        first = first or chunk[:3]
        last = chunk[-2:]
    assert total == OVERSIZE_BYTES == factory.describe(spec).size
    assert first == b"\xff\xd8\xff" and last == b"\xff\xd9" and largest < 100_000
    with pytest.raises(ValueError, match="streamed"):
        factory.data(spec)


def test_hall_sim_refuses_a_photo_size_out_of_range() -> None:
    assert hall_sim_main(["--photo-bytes", "5"]) == 2
