"""Insurer pushes end to end, on both databases, over real loopback HTTP: queued in the outbox,
signed with each insurer's key from the keyring, ridden through an outage of the insurers'
gateway without losing or doubling a push, a wrong key ending dead and retried by hand."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from console.credentials import store_secret
from console.db.models import AuditLogEntry, OutboxMessage
from console.hall import outbox
from console.hall.cases import NewCase, create_case
from console.hall.journal import enqueue_outbox, write
from console.integrations.http import GatewayRejected, RetryPolicy, Timeouts
from console.integrations.insurers import (
    AnswerBatch,
    InsurerAnswer,
    InsurerGateway,
    MissingInsurerKey,
    follow_insurer_answers,
    insurer_key,
    sign,
    wire_key,
)
from console.integrations.sim.calls import ManualClock
from console.integrations.sim.faults import Fault, FaultMode
from console.integrations.sim.insurers import signature
from console.integrations.sim.server import SimulatorServer
from console.workers.outbox_dispatcher import Receivers, dispatch_once
from tests.hall.conftest import Hall, build_hall

CODES = ("PICC", "PAIC", "CPIC")
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sim(clock: ManualClock) -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=7, generate=False, clock=clock) as server:
        yield server


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[InsurerGateway]:
    with InsurerGateway(
        sim.base_url,
        timeouts=Timeouts(connect_s=1.0, read_s=2.0),
        retry=RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02),
    ) as client:
        yield client


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def store_keys(sim: SimulatorServer) -> None:
    for code in CODES:
        store_secret(f"insurer-hmac:{code}", sim.insurers.key_text(code))


def queue_pushes(hall: Hall, codes: list[str]) -> tuple[str, list[int]]:
    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(source="call", occurred_at=datetime.now(UTC), place_text="东营区府前大街"),
    )
    ids = []
    with write(hall.session_factory) as session:
        for n, code in enumerate(codes):
            doc_no = f"东公交认字[2026]第{n + 1:05d}号"
            message = enqueue_outbox(
                session,
                kind="insurer_push",
                destination=code,
                payload={
                    "case_no": change.case_no,
                    "doc_no": doc_no,
                    "insurer_code": code,
                    "knock_for_knock": False,
                    "parties": [
                        {"letter": "A", "name": "王某", "insurer_code": code},
                        {"letter": "B", "name": "李某", "insurer_code": "ZZZZ"},
                    ],
                },
                case_id=change.case_id,
                at=datetime.now(UTC) - timedelta(seconds=1),
                idempotency_key=f"push:{doc_no}:1:{code}",
            )
            session.flush()
            ids.append(message.id)
    return change.case_no, ids


def rows(session_factory: sessionmaker[Session], ids: list[int]) -> list[OutboxMessage]:
    with session_factory() as session:
        found = list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
            )
        )
        session.expunge_all()
        return found


def make_due(session_factory: sessionmaker[Session]) -> None:
    """Skip the backoff: every pending message is due now (as if its time had come)."""
    with write(session_factory) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == "pending")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


def drain(session_factory: sessionmaker[Session], receivers: Receivers, rounds: int = 20) -> int:
    sent = 0
    for _ in range(rounds):
        sent += dispatch_once(session_factory, receivers)
        make_due(session_factory)
        with session_factory() as session:
            left = session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.state == "pending")
            ).all()
        if not left:
            break
    return sent


# ---------------------------------------------------------------- signatures


def test_the_signature_matches_a_known_vector() -> None:
    # printf '1700000000.{"case_no":"DY1"}' | openssl dgst -sha256 -hmac 'sim-key'
    expected = "sha256=49389f30473e6b5cfc32a180f613fcab9e9c5f7a810d7c69fb6911d3579d10b7"
    body = b'{"case_no":"DY1"}'
    assert sign(b"sim-key", "1700000000", body) == expected
    assert signature(b"sim-key", "1700000000", body) == expected


def test_the_key_comes_from_the_keyring_and_a_missing_one_says_where_to_put_it() -> None:
    with pytest.raises(MissingInsurerKey, match=r"insurer-hmac:PICC"):
        insurer_key("PICC")
    store_secret("insurer-hmac:PICC", "秘密-key")
    assert insurer_key("PICC") == "秘密-key".encode()


# ---------------------------------------------------------------- the simulator


def test_the_simulator_refuses_bad_signatures_and_unknown_insurers(sim: SimulatorServer) -> None:
    url = f"{sim.base_url}/insurers/PICC/notifications"
    body = json.dumps({"case_no": "DY2026112200001"}).encode()
    stamp = str(int(datetime.now(UTC).timestamp()))
    good = signature(sim.insurers.key("PICC"), stamp, body)
    base = {"Content-Type": "application/json", "Idempotency-Key": "push:test:1:PICC"}
    with requests.Session() as http:
        http.trust_env = False
        wrong = signature(b"not the key", stamp, body)
        stale = str(int(stamp) - 3600)
        for headers in (
            {},
            {"X-Hall-Timestamp": stamp, "X-Hall-Signature": wrong},
            {"X-Hall-Timestamp": stale, "X-Hall-Signature": signature(b"x", stale, body)},
            {"X-Hall-Timestamp": stamp, "X-Hall-Signature": good + "0"},
        ):
            answer = http.post(url, data=body, headers={**base, **headers}, timeout=5)
            assert answer.status_code == 401 and answer.json()["error"] == "bad_signature"
        assert sim.insurers.received() == {}, "a refused push is not recorded"
        signed = {**base, "X-Hall-Timestamp": stamp, "X-Hall-Signature": good}
        first = http.post(url, data=body, headers=signed, timeout=5)
        again = http.post(url, data=body, headers=signed, timeout=5)
        assert first.status_code == again.status_code == 202
        assert first.json() == again.json()
        assert first.json()["report_no"].startswith("RPICC20261122")
        assert sim.insurers.received() == {"PICC": ["push:test:1:PICC"]}
        other = http.post(
            f"{sim.base_url}/insurers/ZZZZ/notifications", data=body, headers=signed, timeout=5
        )
        assert other.status_code == 404


def test_answers_follow_each_push_in_order_and_repeat_with_the_seed(
    sim: SimulatorServer, clock: ManualClock, gateway: InsurerGateway
) -> None:
    accepted = gateway.notify(
        "CPIC",
        {"case_no": "DY1", "parties": [{"letter": "B", "insurer_code": "CPIC"}]},
        idempotency_key="push:doc-1:1:CPIC",
        key=sim.insurers.key("CPIC"),
    )
    assert gateway.poll_answers(0, 0).answers == (), "nothing before its time"
    clock.advance(timedelta(seconds=30))
    batch = gateway.poll_answers(0, 0)
    assert [a.kind for a in batch.answers] == ["reported", "surveying", "assessed", "paid"]
    assert {a.report_no for a in batch.answers} == {accepted.report_no}
    assert {a.party_letter for a in batch.answers} == {"B"}
    assert batch.answers[2].assessed_amount == batch.answers[3].paid_amount is not None
    assert batch.next_seq == 4
    assert gateway.poll_answers(4, 0.2).answers == ()
    # Another simulator with the same seed answers the same key the same way.
    twin_clock = ManualClock(START)
    with (
        SimulatorServer(seed=7, generate=False, clock=twin_clock) as twin,
        InsurerGateway(twin.base_url) as other,
    ):
        other.notify(
            "CPIC",
            {"case_no": "DY1", "parties": [{"letter": "B", "insurer_code": "CPIC"}]},
            idempotency_key="push:doc-1:1:CPIC",
            key=twin.insurers.key("CPIC"),
        )
        twin_clock.advance(timedelta(seconds=30))
        again = other.poll_answers(0, 0).answers
    assert [(a.kind, a.at, a.assessed_amount) for a in again] == [
        (a.kind, a.at, a.assessed_amount) for a in batch.answers
    ]


# ---------------------------------------------------------------- through the outbox


def test_an_outage_delays_pushes_and_none_is_lost_or_doubled(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    store_keys(sim)
    codes = [CODES[n % 3] for n in range(9)]
    _, ids = queue_pushes(hall, codes)
    receivers = Receivers(insurers=gateway)
    sim.faults.set("insurers", Fault(mode=FaultMode.ERROR))
    for _ in range(3):
        assert dispatch_once(hall.session_factory, receivers) == 0
        waiting = rows(hall.session_factory, ids)
        assert all(r.state == "pending" for r in waiting)
        assert all(r.next_attempt_at > datetime.now(UTC) for r in waiting), "backing off"
        make_due(hall.session_factory)
    waiting = rows(hall.session_factory, ids)
    assert {r.attempts for r in waiting} == {3}
    assert all("503" in (r.last_error or "") for r in waiting)
    assert sim.insurers.received() == {}

    sim.faults.clear("insurers")
    assert drain(hall.session_factory, receivers) == 9
    done = rows(hall.session_factory, ids)
    assert all(r.state == "sent" and r.attempts == 4 for r in done)
    assert all((r.external_ref or "").startswith(f"R{r.destination}") for r in done)
    received = sim.insurers.received()
    for code in CODES:
        expected = [wire_key(r.idempotency_key) for r in done if r.destination == code]
        assert received[code] == expected, "each push arrived exactly once"
    # A push sent again (a dispatcher that died before recording it) changes nothing.
    first = done[0]
    again = gateway.notify(
        first.destination,
        first.payload,
        idempotency_key=first.idempotency_key,
        key=sim.insurers.key(first.destination),
    )
    assert again.report_no == first.external_ref
    assert sim.insurers.received() == received


def test_a_wrong_key_is_dead_at_once_and_a_manual_retry_delivers_it(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    store_keys(sim)
    store_secret("insurer-hmac:PAIC", "an old key nobody uses any more")
    case_no, (picc, paic) = queue_pushes(hall, ["PICC", "PAIC"])
    receivers = Receivers(insurers=gateway)
    assert dispatch_once(hall.session_factory, receivers) == 1
    sent, dead = rows(hall.session_factory, [picc, paic])
    assert sent.state == "sent"
    assert dead.state == "dead" and dead.attempts == 1, "a 401 is not retried"
    assert "401" in (dead.last_error or "") and "bad_signature" in (dead.last_error or "")
    letters = outbox.dead_letters(hall.session_factory, limit=10)
    assert [(d.id, d.kind, d.destination, d.attempts, d.case_no) for d in letters] == [
        (paic, "insurer_push", "PAIC", 1, case_no)
    ]
    assert "PAIC" not in sim.insurers.received()

    store_secret("insurer-hmac:PAIC", sim.insurers.key_text("PAIC"))
    supervisor = hall["supervisor"]
    assert outbox.retry_dead(hall.session_factory, paic, supervisor)
    assert not outbox.retry_dead(hall.session_factory, paic, supervisor), "only a dead one"
    assert not outbox.retry_dead(hall.session_factory, picc, supervisor)
    assert outbox.dead_letters(hall.session_factory) == []
    assert dispatch_once(hall.session_factory, receivers) == 1
    (delivered,) = rows(hall.session_factory, [paic])
    assert delivered.state == "sent" and delivered.attempts == 1
    assert sim.insurers.received()["PAIC"] == [wire_key(delivered.idempotency_key)]
    with hall.session_factory() as session:
        audits = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action == "outbox.retry")
        ).all()
        assert [(a.target, a.actor_id, a.details["attempts"]) for a in audits] == [
            (f"outbox:{paic}", supervisor.user_id, 1)
        ]


def test_a_missing_key_is_dead_at_once_and_says_which(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    _, (cpic,) = queue_pushes(hall, ["CPIC"])
    hits_before = sim.hits.count("POST", "/insurers/CPIC/notifications")
    assert dispatch_once(hall.session_factory, Receivers(insurers=gateway)) == 0
    (dead,) = rows(hall.session_factory, [cpic])
    assert dead.state == "dead" and "insurer-hmac:CPIC" in (dead.last_error or "")
    assert sim.hits.count("POST", "/insurers/CPIC/notifications") == hits_before


def test_the_key_lookup_can_be_injected(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    _, (picc,) = queue_pushes(hall, ["PICC"])
    receivers = Receivers(insurers=gateway, insurer_key=sim.insurers.key)
    assert dispatch_once(hall.session_factory, receivers) == 1
    assert rows(hall.session_factory, [picc])[0].state == "sent"


def test_a_rejected_push_raises_with_the_status(
    sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    with pytest.raises(GatewayRejected) as caught:
        gateway.notify("PICC", {"case_no": "DY1"}, idempotency_key="push:x:1:PICC", key=b"bad")
    assert caught.value.status == 401 and caught.value.code == "bad_signature"
    assert wire_key("push:ABC-1:1:PICC") == "push:ABC-1:1:PICC"
    chinese = wire_key("push:东公交认字[2026]第00001号:1:PICC")
    assert chinese.startswith("sha256:") and len(chinese) == 71 and chinese.isascii()
    assert wire_key("short") != "short", "too short for the contract: hashed"
    with pytest.raises(ValueError, match="insurer code"):
        gateway.notify("picc", {"case_no": "DY1"}, idempotency_key="push:x:1:PICC", key=b"k")


def test_following_the_answers_hands_over_each_batch_until_stopped(
    sim: SimulatorServer, clock: ManualClock, gateway: InsurerGateway
) -> None:
    for n, code in enumerate(CODES):
        gateway.notify(
            code,
            {"case_no": f"DY{n}"},
            idempotency_key=f"push:follow-{n}:1:{code}",
            key=sim.insurers.key(code),
        )
    clock.advance(timedelta(seconds=30))
    stop = threading.Event()
    seen: list[InsurerAnswer] = []
    offered = [0]

    def deliver(batch: AnswerBatch) -> None:
        offered[0] += 1
        if offered[0] == 1:
            raise RuntimeError("the database is away for a moment")
        seen.extend(batch.answers)
        if len(seen) >= 12:
            stop.set()

    last = follow_insurer_answers(
        gateway, deliver, stop, wait_s=0.2, backoff=RetryPolicy(attempts=1, base_delay_s=0.01)
    )
    assert last == 12 and [a.seq for a in seen] == list(range(1, 13)), "offered again"
    assert {a.insurer_code for a in seen} == set(CODES)
