"""Handed-over 122 calls end to end: the simulated gateway over real loopback HTTP, the event
follower recording calls in the hall's database, seats answering, transferring and hanging up
there, and the gateway told what the hall decided.

The hall database is the real one of each kind (`session_factory`); nothing is mocked. Every
thread a test starts is stopped and joined before it ends.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
import requests
from sqlalchemy import make_url, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import Call, CallLeg, Seat, User, UserPosition
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.call_queries import CallState, call_record, held_call, ringing_calls
from console.hall.calls import answer_call, answer_oldest, hang_up, transfer_call
from console.hall.errors import PermissionDenied
from console.integrations.calls import (
    CallEventKind,
    CallGateway,
    CallOfferedElsewhere,
    EventBatch,
    follow_call_events,
)
from console.integrations.calls import CallState as GatewayCallState
from console.integrations.http import LinkState, RetryPolicy, Timeouts
from console.integrations.sim import Fault, FaultMode, MalformedKind, SimulatorServer
from console.workers.call_sync import (
    ControlKind,
    ControlOutcome,
    SyncResult,
    apply_call_events,
    tell_gateway,
)
from tests.conftest import libpq_url, postgres_only
from tests.hall.conftest import Hall, build_hall

FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
# Roomy enough for three seats and a follower sharing one link; the fault tests use their own.
TIMEOUTS = Timeouts(connect_s=1.0, read_s=3.0)
FAULT_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.3)
FOLLOW_BACKOFF = RetryPolicy(attempts=1, base_delay_s=0.02, max_delay_s=0.1)
FOLLOW_WAIT_S = 0.2  # short long-polls, so a follower stops within a fraction of a second
RECEPTIONISTS = ("reception", "reception2", "reception3")


# ---------------------------------------------------------------- the hall and the gateway


@pytest.fixture
def desk(session_factory: sessionmaker[Session]) -> Hall:
    """The test hall with three reception seats (three users) and the hall's seat list."""
    hall = build_hall(session_factory)
    actors = dict(hall.actors)
    with session_factory() as session, session.begin():
        for key, name, seat in (
            ("reception2", "钱接警", "seat-R2"),
            ("reception3", "郑接警", "seat-R3"),
        ):
            user = User(
                org_id=hall.police_id,
                username=key,
                display_name=name,
                password_hash="x",
                active=True,
                failed_logins=0,
                created_at=datetime.now(UTC),
            )
            session.add(user)
            session.flush()
            session.add(UserPosition(user_id=user.id, position=Position.RECEPTION.value))
            actors[key] = Actor(user.id, name, Position.RECEPTION, seat, hall.police_id)
        for actor in actors.values():
            session.add(Seat(name=actor.seat, position=actor.position.value, active=True))
    return Hall(session_factory, hall.police_id, hall.insurer_id, actors)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    server = SimulatorServer(seed=23, calls_per_hour=0, generate=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gateway(sim: SimulatorServer) -> Iterator[CallGateway]:
    client = CallGateway(sim.base_url, timeouts=TIMEOUTS, retry=FAST_RETRY)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain HTTP client for the simulator's own controls (`/_sim/...`)."""
    session = requests.Session()
    session.trust_env = False
    try:
        yield session
    finally:
        session.close()


def ring(sim: SimulatorServer, **fields: Any) -> str:
    call_id: str = sim.calls.inject(fields)["id"]
    return call_id


def caller_hangs_up(http: requests.Session, sim: SimulatorServer, call_id: str) -> dict[str, Any]:
    """The caller puts the phone down, through the simulator's HTTP control."""
    response = http.post(f"{sim.base_url}/_sim/calls/{call_id}/caller-hangup", timeout=5)
    assert response.status_code == 200, response.text
    call: dict[str, Any] = response.json()["call"]
    return call


def wait_until(check: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def state_of(gateway: CallGateway) -> LinkState:
    """The link's state now (a function, so a type checker does not carry it over)."""
    return gateway.health.state


def ringing_ids(desk: Hall, name: str) -> list[int]:
    actor = desk[name]
    return [
        c.id for c in ringing_calls(desk.session_factory, position=actor.position, seat=actor.seat)
    ]


def hall_call(desk: Hall, external_id: str) -> Call | None:
    with desk.session_factory() as session:
        return session.scalars(select(Call).where(Call.external_id == external_id)).one_or_none()


# ---------------------------------------------------------------- the follower


@dataclass
class Follower:
    """`follow_call_events` on a thread, each batch recorded with `apply_call_events`."""

    gateway: CallGateway
    session_factory: sessionmaker[Session]

    def __post_init__(self) -> None:
        self.stop = threading.Event()
        self.results: list[SyncResult] = []
        self.last_seq = 0
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="test-call-follower", daemon=True)

    def _run(self) -> None:
        try:
            follow_call_events(
                self.gateway,
                self._deliver,
                self.stop,
                wait_s=FOLLOW_WAIT_S,
                backoff=FOLLOW_BACKOFF,
            )
        except BaseException as exc:  # judged on the test thread
            self.error = exc

    def _deliver(self, batch: EventBatch) -> None:
        result = apply_call_events(self.session_factory, batch)
        with self._lock:
            self.results.append(result)
            self.last_seq = batch.events[-1].seq

    def rang(self) -> set[str]:
        with self._lock:
            return {ext for r in self.results for ext in r.rang}

    def ended(self) -> set[str]:
        with self._lock:
            return {ext for r in self.results for ext in r.ended}

    def refused(self) -> int:
        with self._lock:
            return sum(r.refused for r in self.results)


@contextlib.contextmanager
def following(gateway: CallGateway, session_factory: sessionmaker[Session]) -> Iterator[Follower]:
    follower = Follower(gateway, session_factory)
    follower.thread.start()
    try:
        yield follower
    finally:
        follower.stop.set()
        follower.thread.join(10)
    assert not follower.thread.is_alive(), "the call follower did not stop"
    assert follower.error is None, f"the call follower died: {follower.error!r}"


# ---------------------------------------------------------------- sharing the work


def test_three_seats_share_twenty_calls_and_the_gateway_agrees_on_every_one(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway
) -> None:
    sf = desk.session_factory
    external_ids = [ring(sim, phone=f"1391234{n:04d}") for n in range(20)]
    seats = [desk[name] for name in RECEPTIONISTS]
    taken: dict[str, list[str]] = {actor.seat: [] for actor in seats}
    outcomes: list[ControlOutcome] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(seats))

    def work(actor: Actor) -> None:
        try:
            start.wait(10)
            while (call := answer_oldest(sf, actor)) is not None:
                answered = tell_gateway(gateway, sf, actor, ControlKind.ANSWER, call)
                ended = hang_up(sf, actor, call.id)
                done = tell_gateway(gateway, sf, actor, ControlKind.HANG_UP, ended)
                with lock:
                    taken[actor.seat].append(call.external_id)
                    outcomes.extend((answered, done))
        except BaseException as exc:  # judged below, on the test thread
            with lock:
                errors.append(exc)

    with following(gateway, sf) as follower:
        assert wait_until(lambda: follower.rang() == set(external_ids)), follower.rang()
        assert len(ringing_ids(desk, "reception")) == 20
        threads = [
            threading.Thread(target=work, args=(a,), name=f"test-seat-{a.seat}") for a in seats
        ]
        try:
            for thread in threads:
                thread.start()
        finally:
            for thread in threads:
                thread.join(60)
        assert not any(t.is_alive() for t in threads)
        # The follower hears the seats' answers and hang-ups too; they were the hall's own.
        assert wait_until(lambda: follower.last_seq == sim.calls.last_seq == 60)
    assert errors == []
    assert follower.refused() == 0 and follower.ended() == set()

    everything = [ext for got in taken.values() for ext in got]
    assert sorted(everything) == sorted(external_ids)
    assert [ext for ext, n in Counter(everything).items() if n > 1] == []
    assert len(outcomes) == 40
    assert [o for o in outcomes if not o.ok or o.caller_gone] == []
    assert Counter(o.kind for o in outcomes) == {ControlKind.ANSWER: 20, ControlKind.HANG_UP: 20}
    # The work is shared: each seat goes to the gateway between its two writes, which lets the
    # others in (PostgreSQL skips the row another seat is answering; SQLite queues the writers).
    assert sum(bool(got) for got in taken.values()) >= 2, {s: len(g) for s, g in taken.items()}

    # The hall: every call answered exactly once, by the seat that took it, and ended.
    users = {a.user_id: a for a in seats}
    with sf() as session:
        calls = {c.external_id: c for c in session.scalars(select(Call))}
        legs = list(session.scalars(select(CallLeg)))
    assert set(calls) == set(external_ids)
    assert Counter(leg.call_id for leg in legs) == {c.id: 1 for c in calls.values()}
    assert {leg.kind for leg in legs} == {"answer"}
    assert all(leg.ended_at is not None for leg in legs)
    for seat, got in taken.items():
        for ext in got:
            call = calls[ext]
            assert call.state == CallState.ENDED.value
            assert call.answered_by in users and users[call.answered_by].seat == seat
            assert call.answered_seat == seat
    leg_seat = {leg.call_id: (leg.seat, leg.user_id) for leg in legs}
    assert all(leg_seat[c.id] == (c.answered_seat, c.answered_by) for c in calls.values())
    assert ringing_ids(desk, "reception") == []

    # The gateway: the same seat (and person) answered and hung up each call.
    log = gateway.poll_events(0, wait_s=0)
    assert log.refused == 0
    answers = {e.call_id: e for e in log.events if e.kind is CallEventKind.ANSWERED}
    ends = {e.call_id: e for e in log.events if e.kind is CallEventKind.ENDED}
    assert Counter(e.kind for e in log.events) == {
        CallEventKind.RANG: 20,
        CallEventKind.ANSWERED: 20,
        CallEventKind.ENDED: 20,
    }
    for ext, call in calls.items():
        assert call.answered_by is not None
        actor = users[call.answered_by]
        assert (answers[ext].seat, answers[ext].user) == (call.answered_seat, actor.display_name)
        assert answers[ext].call.holder is not None
        assert answers[ext].call.holder.seat == call.answered_seat
        assert ends[ext].seat == call.answered_seat
        info = gateway.call(ext)
        assert info.state is GatewayCallState.ENDED and info.ended_by == "seat"
    assert gateway.current_calls() == []
    assert state_of(gateway) is LinkState.UP


# ---------------------------------------------------------------- transfer


def test_a_transfer_rings_only_at_its_seat_and_the_gateway_follows(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway
) -> None:
    sf = desk.session_factory
    reception, review = desk["reception"], desk["review"]
    ext = ring(sim, phone="13912345678", caller_name="刘一")
    with following(gateway, sf) as follower:
        assert wait_until(lambda: ext in follower.rang())
        (ringing,) = ringing_calls(sf, position=reception.position, seat=reception.seat)
        assert ringing.external_id == ext and ringing.caller_name == "刘一"
        assert ringing_ids(desk, "review") == []

        first = answer_call(sf, reception, ringing.id)
        assert tell_gateway(gateway, sf, reception, ControlKind.ANSWER, first).ok
        holder = gateway.call(ext).holder
        assert holder is not None and (holder.seat, holder.user) == (reception.seat, "王接警")

        moved = transfer_call(
            sf, reception, ringing.id, to_seat=review.seat, reason="当事人对照片有疑问"
        )
        assert moved.state is CallState.TRANSFERRING
        assert (moved.target_position, moved.target_seat) == (Position.REVIEW, review.seat)
        told = tell_gateway(gateway, sf, reception, ControlKind.TRANSFER, moved)
        assert told.ok, told.detail
        at_gateway = gateway.call(ext)
        assert at_gateway.state is GatewayCallState.TRANSFERRING and at_gateway.holder is None
        assert (at_gateway.target_position, at_gateway.target_seat) == ("review", review.seat)

        # It rings at the review seat and nowhere else, in the hall and at the gateway.
        assert ringing_ids(desk, "review") == [ringing.id]
        for name in (*RECEPTIONISTS, "supervisor", "officer"):
            assert ringing_ids(desk, name) == [], name
        with pytest.raises(PermissionDenied) as elsewhere:
            answer_call(sf, desk["reception2"], ringing.id)
        assert elsewhere.value.code == "call.for_other_seat"
        with pytest.raises(CallOfferedElsewhere) as not_here:
            gateway.answer(ext, desk["reception2"].seat, "钱接警")
        assert not_here.value.target_seat == review.seat

        taken = answer_call(sf, review, ringing.id)
        assert taken.state is CallState.ANSWERED
        assert (taken.answered_seat, taken.answered_by_name) == (review.seat, "李审核")
        assert taken.answered_at == first.answered_at, "the answer time counts the first pick-up"
        told = tell_gateway(gateway, sf, review, ControlKind.ANSWER, taken)
        assert told.ok, told.detail
        at_gateway = gateway.call(ext)
        assert at_gateway.state is GatewayCallState.ANSWERED
        assert at_gateway.holder is not None
        assert (at_gateway.holder.seat, at_gateway.holder.user) == (review.seat, "李审核")
        assert ringing_ids(desk, "review") == []

        record = call_record(sf, ringing.id)
        assert [(leg.kind, leg.seat, leg.user_name) for leg in record.legs] == [
            ("answer", reception.seat, "王接警"),
            ("transfer", review.seat, "李审核"),
        ]
        assert record.legs[0].ended_at is not None and record.legs[1].ended_at is None
        assert record.legs[0].ended_at <= record.legs[1].started_at

        ended = hang_up(sf, review, ringing.id)
        assert tell_gateway(gateway, sf, review, ControlKind.HANG_UP, ended).ok
        assert gateway.call(ext).state is GatewayCallState.ENDED
    assert follower.refused() == 0 and follower.ended() == set()


# ---------------------------------------------------------------- the caller gives up


def test_a_caller_who_hangs_up_before_an_answer_leaves_every_list(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway, http: requests.Session
) -> None:
    sf = desk.session_factory
    gone_ext = ring(sim, phone="13912345678")
    kept_ext = ring(sim, phone="0546-8321234")  # a landline caller still rings
    with following(gateway, sf) as follower:
        assert wait_until(lambda: follower.rang() == {gone_ext, kept_ext})
        gone = hall_call(desk, gone_ext)
        kept = hall_call(desk, kept_ext)
        assert gone is not None and kept is not None
        for name in (*RECEPTIONISTS, "supervisor"):
            assert ringing_ids(desk, name) == [gone.id, kept.id], name

        assert caller_hangs_up(http, sim, gone_ext)["state"] == "abandoned"
        assert wait_until(lambda: gone_ext in follower.ended())
        for name in (*RECEPTIONISTS, "supervisor", "review"):
            assert ringing_ids(desk, name) == ([] if name == "review" else [kept.id]), name

        with pytest.raises(RuleViolation) as refused:
            answer_call(sf, desk["reception"], gone.id)
        assert refused.value.code == "call.caller_gone"
        # One-key answer skips the abandoned call and takes the one still ringing.
        next_call = answer_oldest(sf, desk["reception2"])
        assert next_call is not None and next_call.external_id == kept_ext
        assert tell_gateway(gateway, sf, desk["reception2"], ControlKind.ANSWER, next_call).ok

    record = call_record(sf, gone.id)
    assert record.call.state is CallState.ABANDONED and record.legs == ()
    assert record.call.ended_at is not None and record.answer_seconds is None
    assert gateway.call(gone_ext).state is GatewayCallState.ABANDONED
    assert follower.refused() == 0


def test_telling_the_gateway_after_the_caller_left_records_the_hang_up_in_the_hall(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway, http: requests.Session
) -> None:
    sf = desk.session_factory
    reception = desk["reception"]
    ext = ring(sim)
    # Deliver the ring by hand, and then nothing more: the hall never hears the hang-up.
    first = gateway.poll_events(0, wait_s=0)
    assert apply_call_events(sf, first) == SyncResult(rang=(ext,))
    (ringing,) = ringing_calls(sf, position=reception.position, seat=reception.seat)
    caller_hangs_up(http, sim, ext)

    answered = answer_call(sf, reception, ringing.id)
    assert answered.state is CallState.ANSWERED, "the hall does not know yet"
    outcome = tell_gateway(gateway, sf, reception, ControlKind.ANSWER, answered)
    assert outcome.caller_gone and not outcome.ok
    assert (outcome.kind, outcome.external_id) == (ControlKind.ANSWER, ext)

    record = call_record(sf, ringing.id)
    assert not record.call.is_live
    assert record.call.state in (CallState.ENDED, CallState.ABANDONED)
    assert record.call.ended_at is not None
    assert all(leg.ended_at is not None for leg in record.legs)
    assert held_call(sf, user_id=reception.user_id, seat=reception.seat) is None
    assert ringing_ids(desk, "reception") == []
    with pytest.raises(RuleViolation) as over:
        hang_up(sf, reception, ringing.id)
    assert over.value.code == "call.ended"
    info = gateway.call(ext)
    assert info.state is GatewayCallState.ABANDONED and info.holder is None

    # The gateway's own report arriving later changes nothing.
    later = gateway.poll_events(first.next_seq, wait_s=0)
    assert [e.kind for e in later.events] == [CallEventKind.CALLER_HUNG_UP]
    assert apply_call_events(sf, later) == SyncResult(ended=(ext,))
    again = call_record(sf, ringing.id)
    assert (again.call.state, again.call.ended_at, again.call.version) == (
        record.call.state,
        record.call.ended_at,
        record.call.version,
    )


# ---------------------------------------------------------------- faults


@dataclass(frozen=True)
class Outage:
    name: str
    fault: Fault
    shows: LinkState
    says: str


OUTAGES = (
    Outage("errors", Fault(mode=FaultMode.ERROR), LinkState.DOWN, "HTTP 503"),
    Outage("timeouts", Fault(mode=FaultMode.TIMEOUT, delay_ms=1500), LinkState.DOWN, "no answer"),
    Outage(
        "garbled JSON",
        Fault(mode=FaultMode.MALFORMED, malformed=MalformedKind.INVALID_JSON),
        LinkState.DEGRADED,
        "malformed payload",
    ),
    Outage(
        "wrong shape",
        Fault(mode=FaultMode.MALFORMED, malformed=MalformedKind.WRONG_SHAPE),
        LinkState.DEGRADED,
        "malformed payload",
    ),
)


def test_the_follower_rides_out_errors_timeouts_and_garbage_and_catches_up(
    desk: Hall, sim: SimulatorServer
) -> None:
    sf = desk.session_factory
    with CallGateway(sim.base_url, timeouts=FAULT_TIMEOUTS, retry=FAST_RETRY) as gateway:
        seen: list[LinkState] = []
        gateway.health.subscribe(lambda status: seen.append(status.state))
        with following(gateway, sf) as follower:
            before = ring(sim)
            assert wait_until(lambda: before in follower.rang())
            arrived = [before]
            for outage in OUTAGES:
                sim.faults.set("calls", outage.fault)
                assert wait_until(lambda o=outage: state_of(gateway) is o.shows), outage.name
                assert outage.says in (gateway.health.status.last_error or ""), outage.name
                during = ring(sim)
                time.sleep(0.3)
                assert follower.thread.is_alive(), outage.name
                assert hall_call(desk, during) is None, f"{outage.name}: delivered through a fault"

                sim.faults.clear()
                after = ring(sim)
                assert wait_until(lambda d=during, a=after: {d, a} <= follower.rang()), outage.name
                assert wait_until(lambda: state_of(gateway) is LinkState.UP), outage.name
                arrived += [during, after]
            assert follower.thread.is_alive()
    # Every call reached reception's ringing list, once and in the order it rang.
    reception = desk["reception"]
    listed = ringing_calls(sf, position=reception.position, seat=reception.seat)
    assert [c.external_id for c in listed] == arrived
    assert follower.refused() == 0
    assert LinkState.DOWN in seen and LinkState.DEGRADED in seen and seen[-1] is LinkState.UP


def test_a_slow_gateway_degrades_the_link_but_calls_still_arrive(
    desk: Hall, sim: SimulatorServer
) -> None:
    sf = desk.session_factory
    with (
        CallGateway(
            sim.base_url, timeouts=Timeouts(1.0, 1.5), retry=FAST_RETRY, slow_after_s=0.1
        ) as gateway,
        following(gateway, sf) as follower,
    ):
        sim.faults.set("calls", Fault(mode=FaultMode.SLOW, delay_ms=400))
        assert wait_until(lambda: state_of(gateway) is LinkState.DEGRADED)
        assert "slow answer" in (gateway.health.status.last_error or "")
        slow = ring(sim)
        assert wait_until(lambda: slow in follower.rang())
        assert follower.thread.is_alive()
        sim.faults.clear()
        assert wait_until(lambda: state_of(gateway) is LinkState.UP)
        quick = ring(sim)
        assert wait_until(lambda: quick in follower.rang())
    reception = desk["reception"]
    listed = ringing_calls(sf, position=reception.position, seat=reception.seat)
    assert [c.external_id for c in listed] == [slow, quick]


def test_an_unreachable_gateway_leaves_the_hall_answer_standing(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway
) -> None:
    """The hall's database decides: a seat that answered keeps its call while the gateway is
    down, and learns that telling the gateway failed instead of getting an error."""
    sf = desk.session_factory
    reception = desk["reception"]
    ext = ring(sim)
    assert apply_call_events(sf, gateway.poll_events(0, wait_s=0)).rang == (ext,)
    sim.faults.set("calls", Fault(mode=FaultMode.ERROR))
    answered = answer_call(sf, reception, ringing_ids(desk, "reception")[0])
    outcome = tell_gateway(gateway, sf, reception, ControlKind.ANSWER, answered)
    assert not outcome.ok and not outcome.caller_gone
    assert "503" in outcome.detail
    assert state_of(gateway) is LinkState.DOWN
    held = held_call(sf, user_id=reception.user_id, seat=reception.seat)
    assert held is not None and held.id == answered.id
    sim.faults.clear()
    # Once the link is back, telling again succeeds: the call is the seat's at the gateway.
    assert tell_gateway(gateway, sf, reception, ControlKind.ANSWER, answered).ok
    holder = gateway.call(ext).holder
    assert holder is not None and holder.seat == reception.seat
    assert state_of(gateway) is LinkState.UP


@contextlib.contextmanager
def database_refusing_connections(server_url: str, database: str) -> Iterator[None]:
    """The hall's PostgreSQL database goes away for a moment (a failover, a restart): every
    open connection is cut and new ones are refused until the block ends."""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            )
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')


@postgres_only
def test_the_follower_survives_a_short_database_outage(
    desk: Hall, sim: SimulatorServer, gateway: CallGateway, db_url: str, pg_url: str
) -> None:
    sf = desk.session_factory
    database = make_url(db_url).database
    assert database is not None
    with following(gateway, sf) as follower:
        first = ring(sim)
        assert wait_until(lambda: first in follower.rang())
        with database_refusing_connections(pg_url, database):
            during = ring(sim)
            time.sleep(1.0)  # the follower hears the ring and cannot record it yet
        after = ring(sim)
        assert wait_until(lambda: {during, after} <= follower.rang(), 5.0), follower.error
        assert follower.thread.is_alive()
