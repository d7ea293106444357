"""From an unpaid complaint to a checkpoint alert, over real loopback HTTP on both databases:
the sanction's watch-list entry and credit notice reach the simulated platform once (also
after an outage and after requests that timed out but acted), payment lifts the plate, and
a listed plate's reads, followed from the hit log, are stored once however often delivered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import CaseEvent, CheckpointHit, OutboxMessage, WatchlistEntry
from console.hall.cameras import seed_demo_cameras
from console.hall.checkpoint_hits import record_hit, record_hits, watchlist_ref
from console.hall.complaints import record_payment, sanction_overdue
from console.integrations.checkpoints import CheckpointGateway, HitBatch, follow_checkpoint_hits
from console.integrations.http import RetryPolicy, Timeouts
from console.integrations.sim.calls import ManualClock
from console.integrations.sim.faults import Fault, FaultMode
from console.integrations.sim.server import SimulatorServer
from console.workers.outbox_dispatcher import Receivers, dispatch_once
from tests.hall.conftest import Hall, build_hall
from tests.hall.test_complaints import AFTER, case_with_parties, file_against_picc, second_insurer

PLATE = "鲁E12345"  # party A's plate in `case_with_parties`


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def sim(clock: ManualClock) -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=5, generate=False, clock=clock) as server:
        yield server


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[CheckpointGateway]:
    with CheckpointGateway(
        sim.base_url,
        timeouts=Timeouts(connect_s=1.0, read_s=0.5),
        retry=RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02),
    ) as client:
        yield client


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def sanctioned(hall: Hall) -> int:
    """A complaint against PICC about party A, sanctioned after its deadline; its id."""
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    run = sanction_overdue(hall.session_factory, hall["lookup"], AFTER)
    assert run.complaint_ids == (filed.complaint_id,)
    return filed.complaint_id


def outbox_states(hall: Hall) -> dict[str, str]:
    with hall.session_factory() as session:
        return dict(
            session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.state)).all()
        )


def make_due(hall: Hall) -> None:
    """Skip the backoff: every pending message is due now."""
    with hall.session_factory() as session, session.begin():
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == "pending")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


def entry_id(hall: Hall) -> int:
    with hall.session_factory() as session:
        return session.scalars(select(WatchlistEntry.id)).one()


def test_the_sanction_reaches_the_watch_list_and_the_credit_bureau_once(
    hall: Hall, sim: SimulatorServer, gateway: CheckpointGateway
) -> None:
    complaint_id = sanctioned(hall)
    receivers = Receivers(checkpoints=gateway)
    assert set(receivers.kinds) >= {"watchlist", "credit_notice"}
    assert dispatch_once(hall.session_factory, receivers) == 2
    assert dispatch_once(hall.session_factory, receivers) == 0

    (listed,) = gateway.watchlist()
    assert (listed.ref, listed.plate_type, listed.plate_no) == (
        watchlist_ref(entry_id(hall)), "02", PLATE
    )  # fmt: skip
    assert listed.lifted_at is None
    notices = sim.checkpoints.credit_notices()
    assert list(notices) == [f"complaint-{complaint_id}-credit-notice"]
    notice = notices[f"complaint-{complaint_id}-credit-notice"]
    assert (notice["complaint_id"], notice["insurer_code"]) == (complaint_id, "PICC")
    assert set(outbox_states(hall).values()) == {"sent"}


def test_an_outage_delays_delivery_and_each_key_arrives_once(
    hall: Hall, sim: SimulatorServer, gateway: CheckpointGateway
) -> None:
    complaint_id = sanctioned(hall)
    receivers = Receivers(checkpoints=gateway)
    for subsystem in ("checkpoints", "credit"):
        sim.faults.set(subsystem, Fault(FaultMode.ERROR, status=503))
    for _ in range(2):
        assert dispatch_once(hall.session_factory, receivers) == 0
        make_due(hall)
    assert set(outbox_states(hall).values()) == {"pending"}
    assert sim.checkpoints.entries() == [] and sim.checkpoints.credit_notices() == {}
    ref = watchlist_ref(entry_id(hall))
    # Two rounds of two attempts each: retried, never given up on.
    assert sim.hits.count("PUT", f"/checkpoints/watchlist/{ref}") == 4

    # Then hung: each request times out at the hall but acts at the platform.
    for subsystem in ("checkpoints", "credit"):
        sim.faults.set(subsystem, Fault(FaultMode.TIMEOUT, delay_ms=800))
    assert dispatch_once(hall.session_factory, receivers) == 0
    make_due(hall)
    sim.faults.clear()
    assert dispatch_once(hall.session_factory, receivers) == 2

    with hall.session_factory() as session:
        attempts = dict(session.execute(select(OutboxMessage.kind, OutboxMessage.attempts)).all())
    assert attempts == {"watchlist": 4, "credit_notice": 4}  # three failed, the fourth sent
    assert [e["ref"] for e in sim.checkpoints.entries()] == [ref]
    assert list(sim.checkpoints.credit_notices()) == [f"complaint-{complaint_id}-credit-notice"]


def test_payment_lifts_the_plate_off_the_list(
    hall: Hall, sim: SimulatorServer, gateway: CheckpointGateway
) -> None:
    complaint_id = sanctioned(hall)
    receivers = Receivers(checkpoints=gateway)
    assert dispatch_once(hall.session_factory, receivers) == 2
    assert sim.checkpoints.listed(PLATE)
    paid_at = AFTER + timedelta(hours=2)
    record_payment(
        hall.session_factory, hall["lookup"], complaint_id, Decimal(4200), paid_at, now=paid_at
    )
    assert dispatch_once(hall.session_factory, receivers) == 1
    assert not sim.checkpoints.listed(PLATE)
    assert gateway.watchlist() == []
    assert set(outbox_states(hall).values()) == {"sent"}


def test_a_payment_during_an_outage_leaves_the_plate_off_the_list(
    hall: Hall, sim: SimulatorServer, gateway: CheckpointGateway
) -> None:
    complaint_id = sanctioned(hall)
    receivers = Receivers(checkpoints=gateway)
    for subsystem in ("checkpoints", "credit"):
        sim.faults.set(subsystem, Fault(FaultMode.ERROR))
    assert dispatch_once(hall.session_factory, receivers) == 0
    paid_at = AFTER + timedelta(hours=2)
    record_payment(
        hall.session_factory, hall["lookup"], complaint_id, Decimal(4200), paid_at, now=paid_at
    )
    sim.faults.clear()
    make_due(hall)
    # The lift may go first (the platform never had the entry) and the add after it: the
    # add is dropped, so the paid-up plate is never listed.
    assert dispatch_once(hall.session_factory, receivers) == 3
    assert not sim.checkpoints.listed(PLATE)
    assert sim.hits.count("PUT", f"/checkpoints/watchlist/{watchlist_ref(entry_id(hall))}") == 2


def test_a_listed_plate_is_seen_and_each_hit_is_stored_once(
    hall: Hall, sim: SimulatorServer, gateway: CheckpointGateway, clock: ManualClock
) -> None:
    seed_demo_cameras(hall.session_factory, lambda cid: (f"rtsp://127.0.0.1:8554/{cid}", None))
    complaint_id = sanctioned(hall)
    assert dispatch_once(hall.session_factory, Receivers(checkpoints=gateway)) == 2
    assert gateway.poll_hits(0, 0).hits == ()
    clock.advance(timedelta(seconds=5))  # the first read falls due within 3 s of placement

    stop = threading.Event()
    batches: list[HitBatch] = []
    offered = 0

    def deliver(batch: HitBatch) -> None:
        nonlocal offered
        offered += 1
        record_hits(hall.session_factory, batch.hits)
        record_hits(hall.session_factory, batch.hits)  # the same batch twice
        if offered == 1:
            raise RuntimeError("crashed after storing: the follower must offer it again")
        batches.append(batch)
        stop.set()

    follower = threading.Thread(
        target=follow_checkpoint_hits,
        args=(gateway, deliver, stop),
        kwargs={"wait_s": 0.5, "backoff": RetryPolicy(attempts=1, base_delay_s=0.01)},
        name="gateway-test-hits",
    )
    follower.start()
    deadline = time.monotonic() + 10
    while not stop.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    follower.join(5)
    assert offered == 2
    (batch,) = batches
    (hit,) = batch.hits
    assert (hit.seq, hit.plate_no, hit.watchlist_ref) == (1, PLATE, watchlist_ref(entry_id(hall)))
    assert not record_hit(hall.session_factory, hit)

    with hall.session_factory() as session:
        rows = session.scalars(select(CheckpointHit)).all()
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "checkpoint_hit")).all()
        cameras = session.scalar(select(func.count()).select_from(CheckpointHit))
    assert cameras == 1
    (row,) = rows
    assert (row.camera_id, row.plate_no, row.seen_at) == (hit.camera_id, PLATE, hit.seen_at)
    assert row.watchlist_entry_id == entry_id(hall)
    (event,) = events
    assert event.details["camera_id"] == hit.camera_id
    assert event.details["plate_no"] == PLATE
    assert event.details["seen_at"] == hit.seen_at.isoformat()
    assert event.details["complaint_id"] == complaint_id
    assert event.details["hit_id"] == hit.hit_id
