"""Claim throughput: 4 concurrent claimer processes take 10,000 cases through `claim_next`.

Run: .venv/bin/python -m tests.benchmarks.bench_claim   (prints one JSON line per engine)
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.benchmarks._support import throwaway_database

CASES = 10_000
CLAIMERS = 4


def _claimer(url: str, user_id: int, seat: str, start_at: float) -> list[int]:
    from console.db.engine import make_engine, make_session_factory
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.assignment import claim_next

    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(user_id, seat, Position.REVIEW, seat)
    while time.time() < start_at:
        time.sleep(0.001)
    got = []
    try:
        while (change := claim_next(factory, actor)) is not None:
            got.append(change.case_id)
    finally:
        engine.dispose()
    return got


def run(kind: str) -> dict[str, object]:
    from sqlalchemy import insert

    from console.db.engine import make_engine
    from console.db.models import Case, Organisation, User

    with throwaway_database(kind) as url:
        engine = make_engine(url)
        base = datetime(2026, 11, 1, tzinfo=UTC)
        with engine.begin() as conn:
            org = conn.execute(
                insert(Organisation).returning(Organisation.id),
                {"kind": "police", "code": "P", "name_zh": "交警", "name_en": "Police"},
            ).scalar_one()
            users = (
                conn.execute(
                    insert(User).returning(User.id),
                    [
                        {
                            "org_id": org,
                            "username": f"u{i}",
                            "display_name": f"u{i}",
                            "password_hash": "x",
                            "created_at": base,
                        }
                        for i in range(CLAIMERS)
                    ],
                )
                .scalars()
                .all()
            )
            conn.execute(
                insert(Case),
                [
                    {
                        "case_no": f"B{i:08d}",
                        "state": "under_review",
                        "owner_position": "review",
                        "created_at": base,
                        "updated_at": base,
                        "state_since": base + timedelta(seconds=i),
                        "occurred_at": base,
                        "place_text": "bench",
                        "source": "app",
                        "notes": "",
                    }
                    for i in range(CASES)
                ],
            )
        engine.dispose()
        ctx = multiprocessing.get_context("spawn")
        start_at = time.time() + 3.0  # let every process import and connect first
        with ctx.Pool(CLAIMERS) as pool:
            results = pool.starmap(
                _claimer, [(url, users[i], f"seat-{i}", start_at) for i in range(CLAIMERS)]
            )
        elapsed = time.time() - start_at
    claimed = [c for r in results for c in r]
    doubles = sum(1 for n in Counter(claimed).values() if n > 1)
    return {
        "bench": "claim_throughput",
        "engine": kind,
        "cases": CASES,
        "claimers": CLAIMERS,
        "claimed": len(set(claimed)),
        "double_claims": doubles,
        "per_claimer": [len(r) for r in results],
        "seconds": round(elapsed, 2),
        "claims_per_s": round(len(claimed) / elapsed, 1),
    }


if __name__ == "__main__":
    for kind in sys.argv[1:] or ["postgresql", "sqlite"]:
        print(json.dumps(run(kind)))
