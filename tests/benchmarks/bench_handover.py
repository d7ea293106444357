"""Call handover latency over real loopback HTTP: the simulator rings a call, the follower
records it in the hall database, and a seat answers it and tells the gateway.

Measured per call: ring at the gateway → visible in the seat's ringing list (the query the
view polls), and the seat's one-key answer (hall transaction) + the gateway told.

Run: .venv/bin/python -m tests.benchmarks.bench_handover   (one JSON line per engine)
"""

from __future__ import annotations

import json
import sys
import threading
import time

from tests.benchmarks._support import percentile, throwaway_database

CALLS = 100


def run(kind: str) -> dict[str, object]:
    from console.db.engine import make_engine, make_session_factory
    from console.db.models import Organisation, User
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.call_queries import ringing_calls
    from console.hall.calls import answer_oldest, hang_up
    from console.integrations.calls import CallGateway, follow_call_events
    from console.integrations.sim import SimulatorServer
    from console.workers.call_sync import ControlKind, apply_call_events, tell_gateway

    with throwaway_database(kind) as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with factory() as session, session.begin():
            org = Organisation(kind="police", code="B", name_zh="交警", name_en="P", active=True)
            session.add(org)
            session.flush()
            user = User(
                org_id=org.id,
                username="r1",
                display_name="接警员",
                password_hash="x",
                active=True,
            )
            session.add(user)
            session.flush()
            actor = Actor(user.id, "接警员", Position.RECEPTION, "接警-01")
        sim = SimulatorServer(seed=3, calls_per_hour=0, generate=False)
        sim.start()
        stop = threading.Event()
        follow = CallGateway(sim.base_url)
        control = CallGateway(sim.base_url)
        follower = threading.Thread(
            target=follow_call_events,
            args=(follow, lambda batch: apply_call_events(factory, batch), stop),
            kwargs={"wait_s": 5.0},
            name="bench-follow",
        )
        follower.start()
        visible_ms: list[float] = []
        answer_ms: list[float] = []
        try:
            for _ in range(CALLS):
                started = time.perf_counter()
                call_id = sim.calls.inject({})["id"]
                while not any(
                    c.external_id == call_id
                    for c in ringing_calls(factory, position=actor.position, seat=actor.seat)
                ):
                    time.sleep(0.001)
                visible_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                view = answer_oldest(factory, actor)
                assert view is not None and view.external_id == call_id
                outcome = tell_gateway(control, factory, actor, ControlKind.ANSWER, view)
                assert outcome.ok, outcome
                answer_ms.append((time.perf_counter() - started) * 1000)
                ended = hang_up(factory, actor, view.id)
                tell_gateway(control, factory, actor, ControlKind.HANG_UP, ended)
        finally:
            stop.set()
            sim.stop()
            follower.join(10)
            follow.close()
            control.close()
            engine.dispose()
    return {
        "bench": "handover",
        "engine": kind,
        "calls": CALLS,
        "ring_to_list_ms_p50": round(percentile(visible_ms, 50), 1),
        "ring_to_list_ms_p99": round(percentile(visible_ms, 99), 1),
        "answer_and_tell_ms_p50": round(percentile(answer_ms, 50), 1),
        "answer_and_tell_ms_p99": round(percentile(answer_ms, 99), 1),
    }


def main() -> int:
    for kind in sys.argv[1:] or ["postgresql", "sqlite"]:
        print(json.dumps(run(kind)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
