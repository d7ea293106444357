"""From the officer's letter to the insurer's payout, over real loopback HTTP on both
databases: the push carries the letter's bytes (the insurer checks them against the SHA-256),
the 202's report number lands on the claim at once, and the insurer's later answers, followed
from its log, move the claim to paid and show in the case's history."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import CaseEvent, Claim
from console.hall.assignment import claim_case
from console.hall.determination import letter_pdf
from console.integrations.http import RetryPolicy, Timeouts
from console.integrations.insurers import AnswerBatch, InsurerGateway, follow_insurer_answers
from console.integrations.sim.calls import ManualClock
from console.integrations.sim.server import SimulatorServer
from console.workers.insurer_sync import apply_insurer_answers
from console.workers.outbox_dispatcher import Receivers, dispatch_once
from tests.hall.conftest import Hall, build_hall
from tests.hall.test_determination import decide, waiting_case


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def sim(clock: ManualClock) -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=11, generate=False, clock=clock) as server:
        yield server


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[InsurerGateway]:
    with InsurerGateway(
        sim.base_url,
        timeouts=Timeouts(connect_s=1.0, read_s=3.0),
        retry=RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02),
    ) as client:
        yield client


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def claim_row(hall: Hall) -> tuple[str, str | None, str | None]:
    with hall.session_factory() as session:
        claim = session.scalars(select(Claim)).one()
        paid = f"{claim.paid_amount:.2f}" if claim.paid_amount is not None else None
        return claim.stage, claim.report_no, paid


def test_the_push_carries_the_letter_and_the_answers_reach_the_claim(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway, clock: ManualClock
) -> None:
    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    done = decide(hall, case_id)
    receivers = Receivers(insurers=gateway, insurer_key=sim.insurers.key)
    assert dispatch_once(hall.session_factory, receivers) == 1

    key = f"push:{done.letter_id}:1:PICC"
    body = sim.insurers.body("PICC", key)
    assert body is not None, "the insurer received the push"
    (document,) = body["documents"]
    pdf = base64.b64decode(document["content_base64"])
    assert pdf == letter_pdf(hall.session_factory, done.letter_id)
    assert hashlib.sha256(pdf).hexdigest() == document["sha256"] == done.pdf_sha256
    stage, report_no, _ = claim_row(hall)
    assert stage == "reported" and report_no is not None and report_no.startswith("RPICC")

    clock.advance(timedelta(seconds=30))  # every answer of the simulated insurer falls due
    stop = threading.Event()
    seen: list[int] = []

    def deliver(batch: AnswerBatch) -> None:
        apply_insurer_answers(hall.session_factory, batch)
        seen.extend(a.seq for a in batch.answers)
        if len(seen) >= 4:
            stop.set()

    follower = threading.Thread(
        target=follow_insurer_answers,
        args=(gateway, deliver, stop),
        kwargs={"wait_s": 0.5},
        name="gateway-test-answers",
    )
    follower.start()
    deadline = time.monotonic() + 10
    while not stop.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    follower.join(5)
    assert seen == [1, 2, 3, 4]
    stage, same_report, paid = claim_row(hall)
    assert (stage, same_report) == ("paid", report_no)
    assert paid is not None and float(paid) >= 800
    with hall.session_factory() as session:
        stages = [
            d["stage"]
            for d in session.scalars(
                select(CaseEvent.details)
                .where(CaseEvent.case_id == case_id, CaseEvent.kind == "insurer_answered")
                .order_by(CaseEvent.id)
            )
        ]
    # The 202 already said "reported": its answer on the log changes nothing.
    assert stages == ["reported", "surveying", "assessed", "paid"]


def test_a_push_whose_letter_bytes_differ_is_refused_by_the_insurer(
    hall: Hall, sim: SimulatorServer, gateway: InsurerGateway
) -> None:
    case_id = waiting_case(hall)
    claim_case(hall.session_factory, hall["officer"], case_id)
    decide(hall, case_id)
    receivers = Receivers(
        insurers=gateway, insurer_key=sim.insurers.key, documents=lambda _sha: b"not the letter"
    )
    assert dispatch_once(hall.session_factory, receivers) == 0
    assert sim.insurers.received() == {}
    assert claim_row(hall) == ("notified", None, None)
