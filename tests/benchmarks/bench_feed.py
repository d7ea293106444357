"""Change-feed latency: commit in one process → subscriber in another, p50/p99 over 1,000 events.

Run: .venv/bin/python -m tests.benchmarks.bench_feed   (prints one JSON line per engine)
"""

from __future__ import annotations

import json
import multiprocessing
import random
import sys
import threading
import time
from datetime import UTC, datetime

from tests.benchmarks._support import percentile, throwaway_database

EVENTS = 1000


def _writer(url: str, case_id: int, n: int) -> dict[int, int]:
    """Commit n events, 2–8 ms apart; return event id → monotonic ns just before COMMIT."""
    from sqlalchemy import insert

    from console.db.engine import make_engine
    from console.db.models import CaseEvent

    engine = make_engine(url)
    stamps: dict[int, int] = {}
    try:
        for _ in range(n):
            with engine.begin() as conn:
                event_id = conn.execute(
                    insert(CaseEvent).returning(CaseEvent.id),
                    {"case_id": case_id, "kind": "edited", "at": datetime.now(UTC), "details": {}},
                ).scalar_one()
                stamps[event_id] = time.monotonic_ns()
            time.sleep(random.uniform(0.002, 0.008))
    finally:
        engine.dispose()
    return stamps


def run(kind: str) -> dict[str, object]:
    from sqlalchemy import insert

    from console.db.engine import make_engine
    from console.db.feed import FeedEvent, open_feed
    from console.db.models import Case

    with throwaway_database(kind) as url:
        engine = make_engine(url)
        with engine.begin() as conn:
            now = datetime.now(UTC)
            case_id = conn.execute(
                insert(Case).returning(Case.id),
                {
                    "case_no": "BENCH1",
                    "state": "new",
                    "owner_position": "reception",
                    "created_at": now,
                    "updated_at": now,
                    "state_since": now,
                    "occurred_at": now,
                    "place_text": "bench",
                    "source": "call",
                    "notes": "",
                },
            ).scalar_one()
        received: dict[int, int] = {}
        done = threading.Event()

        def on_event(event: FeedEvent) -> None:
            received[event.event_id] = time.monotonic_ns()
            if len(received) >= EVENTS:
                done.set()

        feed = open_feed(engine)
        feed.subscribe(on_event)
        feed.start()
        feed.wait_live(10)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            stamps = pool.apply(_writer, (url, case_id, EVENTS))
        done.wait(30)
        feed.stop()
        engine.dispose()
    latencies = [(received[i] - t) / 1e6 for i, t in stamps.items() if i in received]
    return {
        "bench": "change_feed_latency",
        "engine": kind,
        "events": EVENTS,
        "delivered": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "sqlite_poll_interval_ms": 200 if kind == "sqlite" else None,
    }


if __name__ == "__main__":
    kinds = sys.argv[1:] or ["postgresql", "sqlite"]
    results = [run(kind) for kind in kinds]
    pg = next((r for r in results if r["engine"] == "postgresql"), None)
    lite = next((r for r in results if r["engine"] == "sqlite"), None)
    for result in results:
        if pg and lite and result is lite:
            result["p50_ratio_sqlite_over_pg"] = round(
                float(lite["p50_ms"]) / max(float(pg["p50_ms"]), 1e-6),
                1,  # type: ignore[arg-type]
            )
        print(json.dumps(result))
