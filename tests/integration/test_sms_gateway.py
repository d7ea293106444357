"""`SmsGateway` against the simulator over real loopback HTTP.

Idempotency (the outbox's key: a retry never texts twice), delivery reports moving from
queued to delivered on the simulator's clock, failing numbers, faults with the link's health,
and the guidance SMS setting off the parties' upload when the generator is on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from console.hall.guidance import submission_link
from console.integrations.http import (
    GatewayRejected,
    GatewayUnavailable,
    LinkState,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
)
from console.integrations.sim import (
    Fault,
    FaultMode,
    MalformedKind,
    ManualClock,
    SimulatorServer,
)
from console.integrations.sim.sms import TEMPLATES
from console.integrations.sms import (
    DeliveryState,
    SmsDelivery,
    SmsGateway,
    SmsMessageNotFound,
    SmsTemplate,
)
from console.integrations.submissions import SubmissionEventKind, SubmissionGateway

SPEC_PATH = Path(__file__).resolve().parents[2] / "resources" / "api" / "hall-gateway.openapi.json"
FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
FAST_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.3)
START = datetime(2025, 3, 12, 1, 30, tzinfo=UTC)  # 09:30 in Dongying
CALLER = "13905461234"
OTHER = "18653812345"
LINK_BASE = "https://hall.example.cn"


def server(**kw: Any) -> SimulatorServer:
    options: dict[str, Any] = {"seed": 29, "calls_per_hour": 0, "generate": False,
                               "photo_bytes": 20_000}  # fmt: skip
    options.update(kw)
    return SimulatorServer(**options)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sim(clock: ManualClock) -> Iterator[SimulatorServer]:
    simulator = server(clock=clock)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[SmsGateway]:
    client = SmsGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY)
    try:
        yield client
    finally:
        client.close()


def state_of(gateway: SmsGateway) -> LinkState:
    return gateway.health.state


def guidance(case_no: str, token: str = "tok-A1b2C3d4") -> dict[str, str]:
    return {"case_no": case_no, "link": submission_link(LINK_BASE, case_no, token)}


# ---------------------------------------------------------------- the contract's vocabulary


def test_templates_agree_across_contract_simulator_and_client() -> None:
    schemas = json.loads(SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    documented = schemas["SmsRequest"]["properties"]["template"]["enum"]
    assert documented == [t.value for t in SmsTemplate] == list(TEMPLATES)
    assert "guidance" in documented
    states = schemas["SmsRecipient"]["properties"]["state"]["enum"]
    assert states == [s.value for s in DeliveryState]


# ---------------------------------------------------------------- sending


def test_a_message_is_delivered_over_a_second_or_two(
    sim: SimulatorServer, gateway: SmsGateway, clock: ManualClock
) -> None:
    accepted = gateway.send(
        [CALLER, OTHER], "evacuate", {"case_no": "DY-1"}, "DY-1", idempotency_key="outbox-1-abc"
    )
    assert accepted.message_id and accepted.accepted_at == START
    seen: dict[str, list[DeliveryState]] = {CALLER: [], OTHER: []}
    last: SmsDelivery | None = None
    for _ in range(26):  # 2.5 s of simulated time in steps of 0.1 s
        last = gateway.status(accepted.message_id)
        assert [r.to for r in last.recipients] == [CALLER, OTHER]
        for recipient in last.recipients:
            if not seen[recipient.to] or seen[recipient.to][-1] is not recipient.state:
                seen[recipient.to].append(recipient.state)
            assert START <= recipient.at <= clock.now() and recipient.error is None
        clock.advance(timedelta(seconds=0.1))
    order = [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.DELIVERED]
    assert seen == {CALLER: order, OTHER: order}
    assert last is not None and last.delivered and last.final and not last.failed
    assert last.state_of(CALLER) is DeliveryState.DELIVERED and last.state_of("x") is None
    [message] = sim.sms.sent()
    assert message["text"].startswith("【警保联动】案件DY-1材料审核通过")
    assert message["idempotency_key"] == "outbox-1-abc"
    assert state_of(gateway) is LinkState.UP


def test_the_same_key_sends_once_and_answers_with_the_same_message(
    sim: SimulatorServer, gateway: SmsGateway
) -> None:
    first = gateway.send(CALLER, SmsTemplate.GUIDANCE, guidance("DY-2"), "DY-2",
                         idempotency_key="guidance:7:tok")  # fmt: skip
    again = gateway.send(CALLER, SmsTemplate.GUIDANCE, guidance("DY-2"), "DY-2",
                         idempotency_key="guidance:7:tok")  # fmt: skip
    assert again == first
    other = gateway.send(CALLER, SmsTemplate.GUIDANCE, guidance("DY-2"), "DY-2",
                         idempotency_key="guidance:7:tok2")  # fmt: skip
    assert other.message_id != first.message_id
    sent = sim.sms.sent()
    assert [m["message_id"] for m in sent] == [first.message_id, other.message_id]
    assert sent[0]["to"] == [CALLER] and sent[0]["template"] == "guidance"
    assert "DY-2" in sent[0]["text"] and guidance("DY-2")["link"] in sent[0]["text"]


def test_a_send_that_timed_out_is_retried_with_its_key_and_texts_once(
    clock: ManualClock,
) -> None:
    with (
        server(clock=clock) as sim,
        SmsGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY) as gateway,
    ):
        sim.faults.set("sms", Fault(mode=FaultMode.TIMEOUT, delay_ms=500, times=1))
        accepted = gateway.send(CALLER, "evacuate", {}, "DY-3", idempotency_key="outbox-3-xyz")
        assert sim.hits.count("POST", "/sms/messages") == 2
        time.sleep(0.4)  # let the held first attempt finish
        assert [m["message_id"] for m in sim.sms.sent()] == [accepted.message_id]
        # An error answer is retried too, and still texts once.
        sim.faults.set("sms", Fault(mode=FaultMode.ERROR, times=2))
        second = gateway.send(CALLER, "evacuate", {}, "DY-4", idempotency_key="outbox-4-xyz")
        assert sim.hits.count("POST", "/sms/messages") == 5
        assert len(sim.sms.sent()) == 2 and sim.sms.sent()[1]["message_id"] == second.message_id
        assert gateway.health.state is LinkState.DEGRADED  # it took retries


def test_a_failing_number_ends_failed_with_the_carriers_error(
    sim: SimulatorServer, gateway: SmsGateway, clock: ManualClock
) -> None:
    before = gateway.send([CALLER, OTHER], "evacuate", {}, "DY-5", idempotency_key="k-before-5")
    with requests.Session() as http:
        http.trust_env = False
        answer = http.post(
            f"{sim.base_url}/_sim/sms/failures",
            json={"to": OTHER, "error": "UNDELIV: number does not exist"},
            timeout=5,
        )
        assert answer.json() == {
            "failures": [{"to": OTHER, "error": "UNDELIV: number does not exist"}]
        }
    after = gateway.send(OTHER, "evacuate", {}, "DY-5", idempotency_key="k-after-55")
    clock.advance(timedelta(seconds=3))
    delivery = gateway.status(before.message_id)
    assert delivery.state_of(CALLER) is DeliveryState.DELIVERED
    assert delivery.state_of(OTHER) is DeliveryState.FAILED
    [failed] = delivery.failed
    assert failed.to == OTHER and failed.error == "UNDELIV: number does not exist"
    assert delivery.final and not delivery.delivered
    assert gateway.status(after.message_id).state_of(OTHER) is DeliveryState.FAILED
    assert sim.sms.clear_failures() == []
    later = gateway.send(OTHER, "evacuate", {}, "DY-5", idempotency_key="k-later-555")
    clock.advance(timedelta(seconds=3))
    assert gateway.status(later.message_id).delivered


def test_input_the_contract_forbids_is_refused_before_sending(
    sim: SimulatorServer, gateway: SmsGateway
) -> None:
    key = {"idempotency_key": "k-12345678"}
    with pytest.raises(ValueError, match="needs link"):
        gateway.send(CALLER, "guidance", {"case_no": "DY-6"}, "DY-6", **key)
    with pytest.raises(ValueError):  # noqa: PT011 - a landline cannot take a text
        gateway.send("0546-8321234", "evacuate", {}, "DY-6", **key)
    with pytest.raises(ValueError):  # noqa: PT011 - no such template
        gateway.send(CALLER, "birthday", {}, "DY-6", **key)
    with pytest.raises(ValueError, match="200"):
        gateway.send(CALLER, "evacuate", {"note": "x" * 201}, "DY-6", **key)
    with pytest.raises(ValueError, match="1–10"):
        gateway.send([CALLER] * 11, "evacuate", {}, "DY-6", **key)
    with pytest.raises(ValueError, match="key"):
        gateway.send(CALLER, "evacuate", {}, "DY-6", idempotency_key="short")
    # Numbers are normalised as people type them.
    accepted = gateway.send("139 0546 1234", "evacuate", {}, None, **key)
    assert sim.sms.sent()[-1]["to"] == [CALLER] and accepted.message_id
    assert sim.hits.count("POST", "/sms/messages") == 1
    # The gateway refuses a send without a key, or a guidance without its link.
    with requests.Session() as http:
        http.trust_env = False
        body = {"to": [CALLER], "template": "evacuate", "params": {}, "case_no": None}
        raw = http.post(f"{sim.base_url}/sms/messages", json=body, timeout=5)
        assert raw.status_code == 400 and raw.json()["error"] == "idempotency_key_required"
        body = {"to": [CALLER], "template": "guidance", "params": {"case_no": "X"}, "case_no": "X"}
        raw = http.post(
            f"{sim.base_url}/sms/messages", json=body, headers={"Idempotency-Key": "k" * 9},
            timeout=5,
        )  # fmt: skip
        assert raw.status_code == 400 and raw.json()["error"] == "missing_params"


def test_an_unknown_message_is_not_found(gateway: SmsGateway) -> None:
    with pytest.raises(SmsMessageNotFound) as missing:
        gateway.status("SMS19990101000001")
    assert missing.value.status == 404 and missing.value.message_id == "SMS19990101000001"
    assert isinstance(missing.value, GatewayRejected)
    assert state_of(gateway) is LinkState.UP


# ---------------------------------------------------------------- faults


def test_an_sms_outage_is_down_then_recovers(sim: SimulatorServer, gateway: SmsGateway) -> None:
    sim.faults.set("sms", Fault(mode=FaultMode.ERROR))
    with pytest.raises(GatewayUnavailable) as down:
        gateway.send(CALLER, "evacuate", {}, "DY-7", idempotency_key="outbox-7-abc")
    assert down.value.attempts == 3 and sim.hits.count("POST", "/sms/messages") == 3
    assert sim.sms.sent() == []  # an error answer never acted
    assert state_of(gateway) is LinkState.DOWN
    sim.faults.clear()
    accepted = gateway.send(CALLER, "evacuate", {}, "DY-7", idempotency_key="outbox-7-abc")
    assert gateway.status(accepted.message_id).message_id == accepted.message_id
    assert state_of(gateway) is LinkState.UP


@pytest.mark.parametrize("kind", list(MalformedKind))
def test_malformed_answers_are_refused(
    sim: SimulatorServer, gateway: SmsGateway, kind: MalformedKind
) -> None:
    accepted = gateway.send(CALLER, "evacuate", {}, "DY-8", idempotency_key="outbox-8-abc")
    sim.faults.set("sms", Fault(mode=FaultMode.MALFORMED, malformed=kind))
    with pytest.raises(MalformedPayload):
        gateway.status(accepted.message_id)
    with pytest.raises(MalformedPayload):
        gateway.send(CALLER, "evacuate", {}, "DY-9", idempotency_key="outbox-9-abc")
    assert sim.hits.count("POST", "/sms/messages") == 2  # refused, not retried
    assert state_of(gateway) is LinkState.DEGRADED
    sim.faults.clear()
    # The message was accepted before its answer was garbled: the outbox's retry with the
    # same key learns its id and sends nothing more.
    again = gateway.send(CALLER, "evacuate", {}, "DY-9", idempotency_key="outbox-9-abc")
    assert [m["message_id"] for m in sim.sms.sent()] == [accepted.message_id, again.message_id]
    assert state_of(gateway) is LinkState.UP


# ---------------------------------------------------------------- guidance sets off the upload


def upload_after_guidance(seed: int) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Send a guidance SMS to a caller on a generating simulator; return the scheduled upload,
    the submission made when it fell due, and the event batch the hall saw."""
    clock = ManualClock(START)
    sim = server(seed=seed, clock=clock, generate=True)
    sim.start()
    try:
        sim.submissions.defect_rate = 0.0
        call = sim.calls.inject({"phone": CALLER, "caller_name": "王芳", "vehicle_count": 2})
        with SmsGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY) as sms:
            sms.send(CALLER, "guidance", guidance("DY-10", "tok-Zz9"), "DY-10",
                     idempotency_key="guidance:10:tok-Zz9")  # fmt: skip
        [upload] = sim.submissions.scheduled()
        due = datetime.fromisoformat(upload["due_at"])
        assert timedelta(seconds=20) <= due - START <= timedelta(seconds=60)
        assert (upload["case_no"], upload["token"], upload["phone"]) == ("DY-10", "tok-Zz9", CALLER)
        assert upload["call_id"] == call["id"]
        assert sim.submissions.tick() == []  # not yet due
        clock.advance(due - START - timedelta(seconds=1))
        assert sim.submissions.tick() == []
        clock.advance(timedelta(seconds=2))
        sim.submissions.wake.set()  # the simulator's thread makes it now
        with SubmissionGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY) as subs:
            batch = subs.poll_events(0, wait_s=5)
            [event] = batch.events
            info = subs.submission(event.submission_id)
        assert sim.submissions.scheduled() == []
        return upload, sim.submissions.submission(event.submission_id), (batch, info, call)
    finally:
        sim.stop()


def test_a_guidance_sms_makes_the_parties_upload_for_its_case_later() -> None:
    upload, made, (batch, info, call) = upload_after_guidance(31)
    assert [e.kind for e in batch.events] == [SubmissionEventKind.SUBMITTED]
    assert (info.case_no, info.token, info.call_id) == ("DY-10", "tok-Zz9", call["id"])
    a = info.parties[0]
    assert (a.letter, a.phone, a.name) == ("A", CALLER, "王芳") and len(info.parties) == 2
    assert info.place.text == call["place_text"] and info.place.district == call["district"]
    assert info.occurred_at < datetime.fromisoformat(call["rang_at"])
    assert len(info.photos) >= 7  # nothing left out: the defect rate was 0
    # The same seed gives the same upload at the same time; another seed another one.
    again = upload_after_guidance(31)
    assert again[0] == upload and again[1] == made
    other = upload_after_guidance(32)
    assert other[0]["due_at"] != upload["due_at"]
    assert other[1]["parties"][1]["plate_no"] != made["parties"][1]["plate_no"]


def test_no_upload_is_scheduled_while_the_generator_is_off(
    sim: SimulatorServer, gateway: SmsGateway, clock: ManualClock
) -> None:
    gateway.send(CALLER, "guidance", guidance("DY-11"), "DY-11", idempotency_key="g:11:tok-x")
    assert sim.submissions.scheduled() == []
    clock.advance(timedelta(minutes=5))
    assert sim.submissions.tick() == [] and sim.submissions.last_seq == 0


def test_guidance_after_a_return_makes_the_parties_upload_again(clock: ManualClock) -> None:
    with (
        server(clock=clock, generate=True) as sim,
        SmsGateway(sim.base_url, timeouts=FAST_TIMEOUTS, retry=FAST_RETRY) as sms,
    ):
        sub = sim.submissions.inject({"case_no": "DY-12", "corrupt": "collision_point",
                                      "extra_photos": 0, "phones": [CALLER]})  # fmt: skip
        sms.send(CALLER, "guidance", guidance("DY-12"), "DY-12", idempotency_key="g:12:first")
        assert sim.submissions.scheduled() == []  # uploaded already, not returned
        sim.submissions.review(sub["id"], {
            "outcome": "returned", "case_no": "DY-12", "reviewer_seat": "审核-01",
            "reasons": [{"code": "photo_illegible", "party_letter": None,
                         "photo_kind": "collision_point", "text": "碰撞部位照片无法识别"}],
        })  # fmt: skip
        sms.send(CALLER, "guidance", guidance("DY-12"), "DY-12", idempotency_key="g:12:again")
        [upload] = sim.submissions.scheduled()
        clock.advance(timedelta(seconds=61))
        sim.submissions.wake.set()
        [event] = sim.submissions.events_after(1, wait_s=5)[0]
        assert (event["kind"], event["submission_id"]) == ("resubmitted", sub["id"])
        again = sim.submissions.submission(sub["id"])
        assert again["round"] == 2 and again["state"] == "submitted"
        assert upload["case_no"] == "DY-12"
