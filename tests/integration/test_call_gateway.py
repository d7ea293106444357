"""`CallGateway` and the shared HTTP link against the simulator over real loopback HTTP.

Each fault mode is checked end to end: the right exception, the link's health, how many
times the request reached the server (only idempotent requests are retried), and recovery
once the fault is cleared.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from console.db.models import CALL_STATES
from console.integrations.calls import (
    CallAlreadyAnswered,
    CallEventKind,
    CallGateway,
    CallGone,
    CallNotFound,
    CallNotHeld,
    CallOfferedElsewhere,
    CallState,
    EventBatch,
    follow_call_events,
)
from console.integrations.http import (
    GatewayRejected,
    GatewayUnavailable,
    HttpLink,
    JsonObject,
    LinkHealth,
    LinkState,
    LinkStatus,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
    decode_json,
    describe,
)
from console.integrations.sim import Fault, FaultMode, MalformedKind, SimulatorServer
from console.integrations.sim.calls import CallState as SimCallState
from console.integrations.sim.calls import EventKind as SimEventKind

SPEC_PATH = Path(__file__).resolve().parents[2] / "resources" / "api" / "hall-gateway.openapi.json"
FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
FAST_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.3)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=11, calls_per_hour=0, generate=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[CallGateway]:
    client = CallGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        yield client
    finally:
        client.close()


def ring(sim: SimulatorServer, **fields: Any) -> str:
    call_id: str = sim.calls.inject(fields)["id"]
    return call_id


def state_of(gateway: CallGateway) -> LinkState:
    """The link's state now (a function, so a type checker does not carry it over)."""
    return gateway.health.state


def set_fault(sim: SimulatorServer, mode: FaultMode, **kw: Any) -> None:
    sim.faults.set("calls", Fault(mode=mode, **kw))


# ---------------------------------------------------------------- the contract's vocabulary


def test_states_and_kinds_agree_across_schema_simulator_client_and_document() -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    assert [s.value for s in CallState] == list(CALL_STATES)
    assert [s.value for s in SimCallState] == list(CALL_STATES)
    assert schemas["CallState"]["enum"] == list(CALL_STATES)
    assert [k.value for k in CallEventKind] == [k.value for k in SimEventKind]
    assert schemas["CallEventKind"]["enum"] == [k.value for k in CallEventKind]


# ---------------------------------------------------------------- reading


def test_poll_events_returns_typed_events_in_order(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim, phone="13912345678", caller_name="王芳", lat=37.44, lon=118.66,
               place_text="东营区府前大街与东三路路口", district="东营区")  # fmt: skip
    gateway.answer(cid, "R1", "reception1")
    gateway.transfer(cid, to_position="determination", by_seat="R1")
    gateway.answer(cid, "D1", "officer1")
    gateway.hang_up(cid, "D1")
    batch = gateway.poll_events(0, wait_s=0)
    assert isinstance(batch, EventBatch) and batch.refused == 0
    assert [e.kind for e in batch.events] == [
        CallEventKind.RANG, CallEventKind.ANSWERED, CallEventKind.TRANSFERRED,
        CallEventKind.ANSWERED, CallEventKind.ENDED,
    ]  # fmt: skip
    assert [e.seq for e in batch.events] == [1, 2, 3, 4, 5] and batch.next_seq == 5
    rang, answered, transferred, _, ended = batch.events
    assert rang.call_id == cid and rang.call.phone == "13912345678"
    assert rang.call.caller_name == "王芳" and rang.call.district == "东营区"
    assert (rang.call.lat, rang.call.lon) == (37.44, 118.66)
    assert rang.call.place_text == "东营区府前大街与东三路路口"
    assert rang.at.tzinfo is UTC and rang.call.state is CallState.RINGING
    assert (answered.seat, answered.user) == ("R1", "reception1")
    assert answered.call.holder is not None and answered.call.holder.seat == "R1"
    assert transferred.to_position == "determination" and transferred.to_seat is None
    assert transferred.call.state is CallState.TRANSFERRING
    assert transferred.call.target_position == "determination"
    assert ended.seat == "D1" and ended.call.over and ended.call.ended_by == "seat"
    assert gateway.poll_events(batch.next_seq, wait_s=0).events == ()
    assert state_of(gateway) is LinkState.UP


def test_current_calls_and_one_call(sim: SimulatorServer, gateway: CallGateway) -> None:
    first, second = ring(sim), ring(sim, phone="0546-8321234")
    assert [c.call_id for c in gateway.current_calls()] == [first, second]
    landline = gateway.current_calls()[1]
    assert landline.phone == "0546-8321234" and landline.mobile is None
    assert gateway.current_calls()[0].mobile == gateway.current_calls()[0].phone
    sim.calls.caller_hang_up(first)
    assert [c.call_id for c in gateway.current_calls()] == [second]
    assert gateway.call(first).state is CallState.ABANDONED
    with pytest.raises(CallNotFound):
        gateway.call("122-19990101-00001")


def test_a_malformed_event_is_refused_without_losing_the_others(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    ring(sim)
    ring(sim, lat=95.0)  # off the globe: the contract says -90..90
    ring(sim)
    batch = gateway.poll_events(0, wait_s=0)
    assert [e.seq for e in batch.events] == [1, 3]
    assert batch.refused == 1 and batch.next_seq == 3
    assert state_of(gateway) is LinkState.DEGRADED
    assert "events[1]" in (gateway.health.status.last_error or "")


# ---------------------------------------------------------------- call control


def test_twenty_seats_answer_at_once_and_one_wins(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim)
    barrier = threading.Barrier(20)
    outcomes: dict[str, object] = {}
    lock = threading.Lock()

    def seat(n: int) -> None:
        barrier.wait(5)
        try:
            result: object = gateway.answer(cid, f"R{n}", f"user{n}")
        except Exception as exc:  # the test inspects whatever came back
            result = exc
        with lock:
            outcomes[f"R{n}"] = result

    threads = [threading.Thread(target=seat, args=(n,), name=f"seat-{n}") for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    winners = {s: r for s, r in outcomes.items() if not isinstance(r, Exception)}
    assert len(outcomes) == 20 and len(winners) == 1
    [(seat_name, call)] = winners.items()
    assert call.holder is not None  # type: ignore[attr-defined]
    for name, result in outcomes.items():
        if name != seat_name:
            assert isinstance(result, CallAlreadyAnswered), result
            assert result.holder is not None and result.holder.seat == seat_name
            assert result.holder.user == "user" + seat_name[1:]
            assert result.status == 409 and result.call_id == cid


def test_answering_after_the_caller_gave_up_says_so(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim, patience_s=0.1)
    batch = gateway.poll_events(1, wait_s=5)
    assert [e.kind for e in batch.events] == [CallEventKind.CALLER_HUNG_UP]
    assert batch.events[0].call.state is CallState.ABANDONED
    with pytest.raises(CallGone) as gone:
        gateway.answer(cid, "R1", "u1")
    assert gone.value.caller_hung_up and gone.value.status == 410


def test_a_transferred_call_rings_only_for_its_seat(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim)
    gateway.answer(cid, "R1", "u1")
    with pytest.raises(CallNotHeld) as not_held:
        gateway.transfer(cid, to_seat="D1", by_seat="R2")
    assert not_held.value.holder is not None and not_held.value.holder.seat == "R1"
    moved = gateway.transfer(cid, to_position="determination", to_seat="D1", by_seat="R1")
    assert moved.state is CallState.TRANSFERRING and moved.holder is None
    assert (moved.target_position, moved.target_seat) == ("determination", "D1")
    with pytest.raises(CallOfferedElsewhere) as elsewhere:
        gateway.answer(cid, "D2", "u2")
    assert elsewhere.value.target_seat == "D1"
    assert elsewhere.value.target_position == "determination"
    taken = gateway.answer(cid, "D1", "officer")
    assert taken.state is CallState.ANSWERED and taken.holder is not None
    with pytest.raises(CallNotHeld):
        gateway.hang_up(cid, "R1")
    assert gateway.hang_up(cid, "D1").state is CallState.ENDED
    with pytest.raises(CallGone) as gone:
        gateway.answer(cid, "R3", "u3")
    assert not gone.value.caller_hung_up
    with pytest.raises(ValueError, match="to_position or to_seat"):
        gateway.transfer(cid, by_seat="D1")
    with pytest.raises(ValueError, match="unknown position"):
        gateway.transfer(cid, to_position="canteen", by_seat="D1")


# ---------------------------------------------------------------- faults


def test_server_errors_are_retried_for_reads_then_the_link_is_down(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    seen: list[LinkStatus] = []
    gateway.health.subscribe(seen.append)
    ring(sim)
    set_fault(sim, FaultMode.ERROR)
    with pytest.raises(GatewayUnavailable) as down:
        gateway.current_calls()
    assert down.value.status == 503 and down.value.attempts == 3
    assert sim.hits.count("GET", "/calls") == 3
    status = gateway.health.status
    assert status.state is LinkState.DOWN and status.failures == 1
    assert "HTTP 503" in (status.last_error or "")
    assert status.summary.startswith("calls link lost, reconnecting")
    assert [s.state for s in seen] == [LinkState.DEGRADED, LinkState.DOWN]
    sim.faults.clear()
    assert len(gateway.current_calls()) == 1
    assert state_of(gateway) is LinkState.UP and gateway.health.status.failures == 0
    assert seen[-1].state is LinkState.UP


def test_control_requests_carry_a_key_and_are_retried_once_keyed(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim)
    set_fault(sim, FaultMode.ERROR, status=500)
    with pytest.raises(GatewayUnavailable):
        gateway.answer(cid, "R1", "u1")
    assert sim.hits.count("POST", f"/calls/{cid}/answer") == 3
    # A POST without an Idempotency-Key is sent exactly once, whatever happens.
    raw = HttpLink("calls", sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        with pytest.raises(GatewayUnavailable) as once:
            raw.request("POST", f"/calls/{cid}/hangup", body={"seat": "R1"})
        assert once.value.attempts == 1
        assert sim.hits.count("POST", f"/calls/{cid}/hangup") == 1
    finally:
        raw.close()
    sim.faults.clear()
    assert gateway.answer(cid, "R1", "u1").holder is not None
    assert state_of(gateway) is LinkState.UP


def test_a_transient_error_is_ridden_out_by_a_retry(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    ring(sim)
    set_fault(sim, FaultMode.ERROR, times=1)
    assert len(gateway.current_calls()) == 1
    assert sim.hits.count("GET", "/calls") == 2
    assert state_of(gateway) is LinkState.DEGRADED  # it answered, but only on a retry
    gateway.current_calls()
    assert state_of(gateway) is LinkState.UP


def test_timeouts_are_retried_only_when_safe(sim: SimulatorServer, gateway: CallGateway) -> None:
    cid = ring(sim)
    set_fault(sim, FaultMode.TIMEOUT, delay_ms=1500)
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match="no answer in time"):
        gateway.current_calls()
    assert time.monotonic() - started < 2.5
    assert sim.hits.count("GET", "/calls") == 3
    assert state_of(gateway) is LinkState.DOWN
    raw = HttpLink("calls", sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        with pytest.raises(GatewayUnavailable):
            raw.request("POST", f"/calls/{cid}/answer", body={"seat": "R9", "user": "u9"})
        assert sim.hits.count("POST", f"/calls/{cid}/answer") == 1
    finally:
        raw.close()
    sim.faults.clear()
    assert [c.call_id for c in gateway.current_calls()] == [cid]
    assert state_of(gateway) is LinkState.UP


def test_a_keyed_answer_that_timed_out_is_retried_without_acting_twice(
    sim: SimulatorServer, gateway: CallGateway
) -> None:
    cid = ring(sim)
    # The first attempt is held past the read timeout but still acts; the retry with the
    # same key must not answer a second time.
    set_fault(sim, FaultMode.TIMEOUT, delay_ms=500, times=1)
    call = gateway.answer(cid, "R1", "u1")
    assert call.holder is not None and call.holder.seat == "R1"
    assert sim.hits.count("POST", f"/calls/{cid}/answer") == 2
    time.sleep(0.4)  # let the held first attempt finish
    answered = [e for e in sim.calls.events_after(0)[0] if e["kind"] == "answered"]
    assert len(answered) == 1


@pytest.mark.parametrize("kind", list(MalformedKind))
def test_malformed_bodies_are_refused_not_retried_and_never_crash(
    sim: SimulatorServer, gateway: CallGateway, kind: MalformedKind
) -> None:
    cid = ring(sim)
    set_fault(sim, FaultMode.MALFORMED, malformed=kind)
    with pytest.raises(MalformedPayload):
        gateway.current_calls()
    with pytest.raises(MalformedPayload):
        gateway.poll_events(0, wait_s=0)
    with pytest.raises(MalformedPayload):
        gateway.answer(cid, "R1", "u1")
    assert sim.hits.count("GET", "/calls") == 1
    assert sim.hits.count("GET", "/calls/events") == 1
    assert sim.hits.count("POST", f"/calls/{cid}/answer") == 1
    assert state_of(gateway) is LinkState.DEGRADED
    assert "malformed payload" in (gateway.health.status.last_error or "")
    sim.faults.clear()
    assert gateway.poll_events(0, wait_s=0).events
    assert state_of(gateway) is LinkState.UP


def test_slow_answers_degrade_the_link(sim: SimulatorServer) -> None:
    with CallGateway(
        sim.base_url, timeouts=Timeouts(1.0, 2.0), retry=FAST_RETRY, slow_after_s=0.1
    ) as gateway:
        set_fault(sim, FaultMode.SLOW, delay_ms=250)
        assert gateway.current_calls() == []
        assert sim.hits.count("GET", "/calls") == 1
        assert state_of(gateway) is LinkState.DEGRADED
        assert "slow answer" in (gateway.health.status.last_error or "")
        sim.faults.clear()
        gateway.current_calls()
        assert state_of(gateway) is LinkState.UP


def test_an_unreachable_gateway_is_down_then_reconnects() -> None:
    server = SimulatorServer(seed=1, calls_per_hour=0, generate=False)
    url = server.start()
    server.stop()
    with CallGateway(url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY) as gateway:
        with pytest.raises(GatewayUnavailable, match="cannot connect"):
            gateway.poll_events(0, wait_s=0)
        assert state_of(gateway) is LinkState.DOWN
    with pytest.raises(ValueError, match="not an http"):
        CallGateway("ftp://127.0.0.1/")


def test_following_the_log_rides_out_an_outage(sim: SimulatorServer, gateway: CallGateway) -> None:
    delivered: list[EventBatch] = []
    stop = threading.Event()
    backoff = RetryPolicy(attempts=1, base_delay_s=0.02, max_delay_s=0.1)
    follower = threading.Thread(
        target=follow_call_events,
        args=(gateway, delivered.append, stop),
        kwargs={"wait_s": 0.2, "backoff": backoff},
        name="test-call-follower",
    )
    follower.start()
    try:
        set_fault(sim, FaultMode.ERROR)
        deadline = time.monotonic() + 5
        while state_of(gateway) is not LinkState.DOWN and time.monotonic() < deadline:
            time.sleep(0.02)
        assert state_of(gateway) is LinkState.DOWN
        first = ring(sim)
        time.sleep(0.2)
        assert delivered == []
        sim.faults.clear()
        second = ring(sim)
        deadline = time.monotonic() + 5
        while sum(len(b.events) for b in delivered) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [e.call_id for b in delivered for e in b.events] == [first, second]
        # The poll that got through may have needed a retry (DEGRADED); the next clean one
        # brings the link UP.
        while state_of(gateway) is not LinkState.UP and time.monotonic() < deadline:
            time.sleep(0.02)
        assert state_of(gateway) is LinkState.UP
    finally:
        stop.set()
        follower.join(5)
    assert not follower.is_alive()


# ---------------------------------------------------------------- building blocks


def test_link_health_tells_listeners_of_changes_only() -> None:
    health = LinkHealth("sms")
    seen: list[LinkState] = []
    unsubscribe = health.subscribe(lambda s: seen.append(s.state))
    health.record_success()
    health.record_down("HTTP 503")
    health.record_down("cannot connect")
    assert health.status.failures == 2 and health.status.last_error == "cannot connect"
    health.record_degraded("slow")
    health.record_success()
    assert seen == [LinkState.DOWN, LinkState.DEGRADED, LinkState.UP]
    unsubscribe()
    health.record_down("gone")
    assert seen[-1] is LinkState.UP
    line = describe([LinkHealth("insurers").status, health.status])
    assert line == "sms link lost, reconnecting… (gone); insurers link up"


def test_a_failing_listener_does_not_break_the_link(caplog: pytest.LogCaptureFixture) -> None:
    health = LinkHealth("calls")

    def broken(_: LinkStatus) -> None:
        raise RuntimeError("listener bug")

    health.subscribe(broken)
    health.record_down("x")
    assert health.state is LinkState.DOWN
    assert "listener failed" in caplog.text


def test_payload_checks_name_the_place_and_never_the_value() -> None:
    obj = JsonObject(
        {"a": "13912345678", "n": 1, "t": "2025-03-12T08:00:00", "o": {"x": []}}, "$", "calls"
    )
    cases: list[tuple[Callable[[], object], str | None]] = [
        (lambda: obj.integer("a"), "$.a: expected an integer, got a string"),
        (lambda: obj.text("missing"), "$.missing: missing"),
        (lambda: obj.timestamp("t"), "$.t: date-time without a UTC offset"),
        (lambda: obj.obj("o").objects("x").__next__(), None),
        (lambda: obj.obj("o").text("x"), "$.o.x: expected a string, got a list"),
        (lambda: obj.integer("n", low=2), "$.n: 1 is out of range"),
        (lambda: obj.choice("a", ("x",)), "$.a: unexpected value '13912345678'"),
    ]
    for check, message in cases:
        if message is None:
            with pytest.raises(StopIteration):
                check()
            continue
        with pytest.raises(MalformedPayload) as refused:
            check()
        assert str(refused.value) == message
    with pytest.raises(MalformedPayload, match="expected an object, got a list"):
        JsonObject([], "$", "calls")
    for bad in (b'{"x": NaN}', b"\xff", b"{"):
        with pytest.raises(ValueError):  # noqa: PT011 - each is its own decoding error
            decode_json(bad)


def test_retry_delays_grow_with_jitter_and_stay_bounded() -> None:
    policy = RetryPolicy(attempts=5, base_delay_s=0.5, max_delay_s=4.0, jitter=0.5)
    rng = random.Random(1)
    for retry, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)):
        delays = {policy.delay_s(retry, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 40  # jittered, so seats do not retry in step
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)


def test_rejections_carry_the_contract_error_code(sim: SimulatorServer) -> None:
    link = HttpLink("calls", sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        with pytest.raises(GatewayRejected) as rejected:
            link.request("POST", "/calls/x/answer", body={"seat": "R1"}, idempotency_key="k" * 8)
        assert rejected.value.status == 400 and rejected.value.code == "bad_request"
        assert sim.hits.count("POST", "/calls/x/answer") == 1  # a 4xx is an answer, not a fault
        assert link.health.state is LinkState.UP
    finally:
        link.close()
    with pytest.raises(GatewayUnavailable, match="closed"):
        link.request("GET", "/calls")
