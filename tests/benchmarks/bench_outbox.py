"""Outbox drain rate: 500 insurer pushes through the dispatcher into the simulator on
PostgreSQL, with a flapping receiver (the insurers' gateway answers 503 for 0.5 s every 1.5 s).

Run: .venv/bin/python -m tests.benchmarks.bench_outbox [--messages N] [--db postgresql|sqlite]
     (prints one JSON line)

Every push must arrive exactly once. Backoff is the outbox's real one (2 s base, jittered),
so the figure includes the time failed messages wait for their next attempt.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

CODES = ("PICC", "PAIC", "CPIC")


def run(messages: int, db: str, fault_on_s: float, period_s: float) -> dict[str, Any]:
    from sqlalchemy import func, select

    from console.db.engine import make_engine, make_session_factory
    from console.db.models import OutboxMessage
    from console.hall.journal import enqueue_outbox, write
    from console.integrations.http import RetryPolicy, Timeouts
    from console.integrations.insurers import InsurerGateway
    from console.integrations.sim.faults import Fault, FaultMode
    from console.integrations.sim.server import SimulatorServer
    from console.workers.outbox_dispatcher import Receivers, dispatch_once
    from tests.benchmarks._support import throwaway_database

    with (
        throwaway_database(db) as url,
        SimulatorServer(seed=3, generate=False) as sim,
        InsurerGateway(
            sim.base_url,
            timeouts=Timeouts(connect_s=1.0, read_s=2.0),
            retry=RetryPolicy(attempts=1),
        ) as gateway,
    ):
        engine = make_engine(url)
        factory = make_session_factory(engine)
        at = datetime.now(UTC) - timedelta(seconds=1)
        with write(factory) as session:
            for n in range(messages):
                code = CODES[n % len(CODES)]
                enqueue_outbox(
                    session,
                    kind="insurer_push",
                    destination=code,
                    payload={"case_no": f"DY2026{n:07d}", "insurer_code": code, "parties": []},
                    case_id=None,
                    at=at,
                    idempotency_key=f"push:BENCH-{n:05d}:1:{code}",
                )
        receivers = Receivers(insurers=gateway, insurer_key=sim.insurers.key)
        stop = threading.Event()
        faulted = [0.0]

        def flap() -> None:
            while not stop.is_set():
                sim.faults.set("insurers", Fault(mode=FaultMode.ERROR))
                began = time.monotonic()
                stop.wait(fault_on_s)
                sim.faults.clear("insurers")
                faulted[0] += time.monotonic() - began
                stop.wait(period_s - fault_on_s)

        flapper = threading.Thread(target=flap, name="bench-flap", daemon=True)
        started = time.monotonic()
        flapper.start()
        rounds = 0
        try:
            while True:
                rounds += 1
                dispatch_once(factory, receivers, limit=50)
                with factory() as session:
                    pending = session.scalar(
                        select(func.count()).where(OutboxMessage.state == "pending")
                    )
                if not pending:
                    break
                if rounds > 100_000 or time.monotonic() - started > 600:
                    raise RuntimeError(f"not drained: {pending} pending")
                time.sleep(0.01)  # idle rounds while everything left waits out its backoff
        finally:
            stop.set()
            flapper.join()
            sim.faults.clear()
        elapsed = time.monotonic() - started
        with factory() as session:
            states = dict(
                session.execute(
                    select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                ).all()
            )
            attempts = session.scalar(select(func.sum(OutboxMessage.attempts))) or 0
            first_try = session.scalar(select(func.count()).where(OutboxMessage.attempts == 1))
        engine.dispose()
        received = sim.insurers.received()
        keys = [k for ks in received.values() for k in ks]
        return {
            "bench": "outbox_drain",
            "db": db,
            "messages": messages,
            "fault_on_s": fault_on_s,
            "period_s": period_s,
            "elapsed_s": round(elapsed, 3),
            "messages_per_s": round(messages / elapsed, 1),
            "rounds": rounds,
            "attempts_total": int(attempts),
            "sent_first_try": int(first_try or 0),
            "states": states,
            "received": len(keys),
            "received_unique": len(set(keys)),
            "hits": sim.hits.count("POST", "/insurers/PICC/notifications")
            + sim.hits.count("POST", "/insurers/PAIC/notifications")
            + sim.hits.count("POST", "/insurers/CPIC/notifications"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--fault-on", type=float, default=0.5)
    parser.add_argument("--period", type=float, default=1.5)
    args = parser.parse_args()
    result = run(args.messages, args.db, args.fault_on, args.period)
    print(json.dumps(result, ensure_ascii=False))
    if result["received_unique"] != args.messages or result["received"] != args.messages:
        raise SystemExit("a push was lost or doubled")


if __name__ == "__main__":
    main()
