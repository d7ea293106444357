"""Determinations per second with 8 concurrent writers on PostgreSQL, each issuing the real
letter PDF, and the letter render time on its own.

Checks as it goes: no case determined twice, no document number reused or skipped.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_determination [per_writer]
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter

from tests.benchmarks._support import percentile, throwaway_database

WRITERS = 8


def _writer(
    url: str, officer_id: int, case_ids: list[int], start_at: float
) -> list[tuple[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from console.db.engine import make_engine, make_session_factory
    from console.domain.liability import Grade
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.assignment import claim_case
    from console.hall.determination import DeterminationInput, determine_case
    from console.reports.letter import render_letter_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor(officer_id, "张警官", Position.DETERMINATION, f"seat-{os.getpid()}")
    decision = DeterminationInput(
        situation_code="REAR_END",
        at_fault_letter="A",
        grades={"A": Grade.FULL, "B": Grade.NONE},
        narrative="甲车追尾乙车，甲方负全部责任。",
    )
    done = []
    while time.time() < start_at:
        time.sleep(0.001)
    try:
        for case_id in case_ids:
            began = time.perf_counter()
            claim_case(factory, actor, case_id)
            result = determine_case(
                factory,
                actor,
                case_id,
                decision,
                expected_version=None,
                render=render_letter_pdf,
                verification_base_url="https://jgjc.hall.example.cn/v",
            )
            done.append((result.doc_no, (time.perf_counter() - began) * 1000))
    finally:
        engine.dispose()
        del app
    return done


def main() -> int:
    per_writer = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sqlalchemy import insert

    from console.db.engine import make_engine, make_session_factory
    from console.db.models import Party
    from console.domain.lifecycle import CaseState
    from tests.hall.conftest import build_hall, bulk_cases

    total = per_writer * WRITERS
    with throwaway_database("postgresql") as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        hall = build_hall(factory)
        cases = bulk_cases(factory, total, CaseState.AWAITING_DETERMINATION)
        with factory() as session, session.begin():
            session.execute(
                insert(Party),
                [
                    {"case_id": c, "letter": letter, "name": name, "phone": phone}
                    for c in cases
                    for letter, name, phone in (
                        ("A", "王志强", "13805461234"),
                        ("B", "李秀英", "15966018877"),
                    )
                ],
            )
        engine.dispose()
        render_ms = letter_render_ms()
        ctx = multiprocessing.get_context("spawn")
        start_at = time.time() + 8.0  # every writer imported and connected before the clock
        with ctx.Pool(WRITERS) as pool:
            jobs = [
                (url, hall["officer"].user_id, cases[i::WRITERS], start_at) for i in range(WRITERS)
            ]
            results = pool.starmap(_writer, jobs)
        elapsed = time.time() - start_at
    numbers = [n for chunk in results for n, _ in chunk]
    latencies = [ms for chunk in results for _, ms in chunk]
    doubles = sum(1 for c in Counter(numbers).values() if c > 1)
    serials = sorted(int(n.split("第")[1].rstrip("号")) for n in numbers)
    print(
        json.dumps(
            {
                "bench": "determination",
                "engine": "postgresql",
                "writers": WRITERS,
                "cases": total,
                "determined": len(numbers),
                "duplicate_numbers": doubles,
                "numbers_contiguous": serials == list(range(1, total + 1)),
                "per_s": round(len(numbers) / elapsed, 1),
                "latency_ms_p50": round(percentile(latencies, 50), 1),
                "latency_ms_p99": round(percentile(latencies, 99), 1),
                "letter_render_ms_p50": round(percentile(render_ms, 50), 1),
            }
        ),
        flush=True,
    )
    return 0


def letter_render_ms(n: int = 20) -> list[float]:
    from PySide6.QtGui import QGuiApplication

    from console.reports.letter import render_letter_pdf

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "installer"))
    from letter_preview import sample_letter  # type: ignore[import-not-found]

    app = QGuiApplication.instance() or QGuiApplication([])
    content = sample_letter()
    render_letter_pdf(content)  # the font loads once
    times = []
    for _ in range(n):
        began = time.perf_counter()
        render_letter_pdf(content)
        times.append((time.perf_counter() - began) * 1000)
    del app
    return times


if __name__ == "__main__":
    raise SystemExit(main())
