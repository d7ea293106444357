"""The parties' uploads from the simulator over real loopback HTTP into the hall (SQLite and
PostgreSQL): every defect ends in the right checklist result, nothing of an upload is lost,
the follower keeps running, and the outbox delivers the review outcome and the SMS."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import Case, CaseAttachment, OutboxMessage, RefusedFile
from console.domain.lifecycle import CaseState
from console.domain.review import CheckStatus, Judgements, ReturnCode
from console.hall.cases import NewCase, create_case, move_case
from console.hall.review import approve_review, checklist_for, load_review
from console.integrations.http import RetryPolicy, Timeouts
from console.integrations.lookups import LookupGateway
from console.integrations.sim import SimulatorServer
from console.integrations.sms import SmsGateway
from console.integrations.submissions import (
    SubmissionEventBatch,
    SubmissionGateway,
    follow_submission_events,
)
from console.workers.outbox_dispatcher import Receivers, dispatch_once, poll_deliveries
from console.workers.submission_sync import apply_submission_events
from tests.hall.conftest import Hall, build_hall

FAST = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.05)
TIMEOUTS = Timeouts(connect_s=1.0, read_s=5.0)
GOOD = Judgements(photos_legible=True, damage_consistent=True)


@dataclass
class Follower:
    session_factory: sessionmaker[Session]
    base_url: str
    stop: threading.Event = field(default_factory=threading.Event)
    taken: list[Any] = field(default_factory=list)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.gateway = SubmissionGateway(self.base_url, timeouts=TIMEOUTS, retry=FAST)
        self.lookups = LookupGateway(self.base_url, timeouts=TIMEOUTS, retry=FAST)
        self.thread = threading.Thread(target=self._run, name="gateway-test-follower")

    def _run(self) -> None:
        def deliver(batch: SubmissionEventBatch) -> None:
            self.taken.extend(
                apply_submission_events(self.session_factory, self.gateway, self.lookups, batch)
            )

        try:
            follow_submission_events(self.gateway, deliver, self.stop, wait_s=0.5)
        except BaseException as exc:
            self.error = exc


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=21, calls_per_hour=0, generate=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def follower(hall: Hall, sim: SimulatorServer) -> Iterator[Follower]:
    running = Follower(hall.session_factory, sim.base_url)
    running.thread.start()
    try:
        yield running
    finally:
        running.stop.set()
        running.thread.join(10)
        running.gateway.close()
        running.lookups.close()
    assert not running.thread.is_alive()
    assert running.error is None, running.error


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def collecting(hall: Hall) -> tuple[int, str]:
    from datetime import UTC, datetime, timedelta

    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(
            source="call",
            occurred_at=datetime.now(UTC) - timedelta(minutes=10),
            place_text="东营区府前大街",
            caller_phone="13905463333",
            injuries=False,
            movable=True,
        ),
    )
    move_case(
        hall.session_factory,
        hall["reception"],
        change.case_id,
        CaseState.COLLECTING,
        expected_version=None,
    )
    return change.case_id, change.case_no


def upload(hall: Hall, sim: SimulatorServer, follower: Follower, **spec: Any) -> int:
    case_id, case_no = collecting(hall)
    sim.submissions.inject({"case_no": case_no, "phones": ["13905463333", "13905464444"], **spec})
    wait_for(lambda: any(r.case_id == case_id for r in follower.taken))
    return case_id


def failed_keys(hall: Hall, case_id: int) -> dict[str, ReturnCode | None]:
    checklist = checklist_for(hall.session_factory, case_id, GOOD)
    return {i.key: i.reason for i in checklist.items if i.status is CheckStatus.FAIL}


def test_a_clean_upload_is_checked_approved_and_the_parties_told(
    hall: Hall, sim: SimulatorServer, follower: Follower
) -> None:
    case_id = upload(hall, sim, follower)
    detail = load_review(hall.session_factory, case_id)
    assert detail.state is CaseState.UNDER_REVIEW
    assert len(detail.photos) >= 7 and not detail.refused
    assert {v.outcome for v in detail.lookups} == {"pass"}
    assert checklist_for(hall.session_factory, case_id, GOOD).clean
    approve_review(
        hall.session_factory, hall["review"], case_id, expected_version=None, judgements=GOOD
    )
    sms = SmsGateway(sim.base_url, timeouts=TIMEOUTS, retry=FAST)
    submissions = SubmissionGateway(sim.base_url, timeouts=TIMEOUTS, retry=FAST)
    try:
        receivers = Receivers(sms=sms, submissions=submissions)
        assert dispatch_once(hall.session_factory, receivers) == 2
        assert dispatch_once(hall.session_factory, receivers) == 0, "nothing is sent twice"
        wait_for(
            lambda: poll_deliveries(hall.session_factory, sms) > 0 and delivered(hall, case_id)
        )
    finally:
        sms.close()
        submissions.close()
    states = {s["state"] for s in sim.submissions.all_submissions() if s.get("case_no")}
    assert "approved" in states


def delivered(hall: Hall, case_id: int) -> bool:
    with hall.session_factory() as session:
        return (
            session.scalar(
                select(OutboxMessage.delivery).where(
                    OutboxMessage.case_id == case_id, OutboxMessage.kind == "sms"
                )
            )
            == "delivered"
        )


def test_defective_files_are_refused_with_reasons_and_the_rest_is_kept(
    hall: Hall, sim: SimulatorServer, follower: Follower
) -> None:
    case_id = upload(
        hall,
        sim,
        follower,
        missing=["scene_rear_side"],
        corrupt="collision_point",
        oversize="driving_licence:A",
        pdf_as_jpg="vehicle_registration:B",
        extra_photos=0,
    )
    with hall.session_factory() as session:
        refused = dict(
            session.execute(
                select(RefusedFile.kind, RefusedFile.reason).where(RefusedFile.case_id == case_id)
            ).all()
        )
        kept = session.scalar(
            select(func.count())
            .select_from(CaseAttachment)
            .where(CaseAttachment.case_id == case_id)
        )
    assert refused == {
        "collision_point": "corrupt",
        "driving_licence": "too_large",
        "vehicle_registration": "wrong_type",
    }
    assert kept == 3  # front side, B's licence, A's registration
    failed = failed_keys(hall, case_id)
    assert failed["photo:scene_rear_side"] is ReturnCode.PHOTO_MISSING
    assert failed["photo:collision_point"] is ReturnCode.PHOTO_ILLEGIBLE
    assert failed["photo:driving_licence:A"] is ReturnCode.PHOTO_MISSING
    assert failed["photo:vehicle_registration:B"] is ReturnCode.PHOTO_MISSING
    assert follower.thread.is_alive()


def test_an_expired_licence_and_no_insurance_fail_their_record_checks(
    hall: Hall, sim: SimulatorServer, follower: Follower
) -> None:
    case_id = upload(hall, sim, follower, expired_licence=["A"], no_insurance=["B"])
    failed = failed_keys(hall, case_id)
    assert failed["doc:A:eligibility.licence_expired"] is ReturnCode.LICENCE_INVALID
    assert failed["doc:B:eligibility.no_compulsory_insurance"] is (
        ReturnCode.COMPULSORY_INSURANCE_INVALID
    )
    outcomes = {
        (v.party_letter, v.check): v.outcome
        for v in load_review(hall.session_factory, case_id).lookups
    }
    assert outcomes[("A", "licence")] == "fail" and outcomes[("B", "insurance")] == "fail"
    assert outcomes[("B", "licence")] == "pass" and outcomes[("A", "insurance")] == "pass"


def test_a_guidance_sms_brings_the_parties_upload_into_review(
    hall: Hall, session_factory: sessionmaker[Session]
) -> None:
    """The whole loop the demo runs: guidance SMS → the app uploads → the case is in review."""
    from console.hall.guidance import send_guidance_sms

    server = SimulatorServer(
        seed=5, calls_per_hour=0, generate=False, uploads=True, upload_delay_s=(0.2, 0.4)
    )
    server.start()
    running = Follower(session_factory, server.base_url)
    running.thread.start()
    sms = SmsGateway(server.base_url, timeouts=TIMEOUTS, retry=FAST)
    try:
        case_id, _ = collecting(hall)
        send_guidance_sms(
            session_factory, hall["reception"], case_id, link_base=server.base_url, to="13905463333"
        )
        assert dispatch_once(session_factory, Receivers(sms=sms)) == 1
        wait_for(lambda: state(hall, case_id) == "under_review", timeout=20)
    finally:
        running.stop.set()
        server.stop()
        running.thread.join(10)
        running.gateway.close()
        running.lookups.close()
        sms.close()
    assert running.error is None


def state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as session:
        return str(session.scalar(select(Case.state).where(Case.id == case_id)))
