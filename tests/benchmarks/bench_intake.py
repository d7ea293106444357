"""Intake throughput and the time to open a case at the review seat.

1. Submissions of 8 photos of 1–3 MB each into PostgreSQL: every photo judged by content
   (`check_photo`, as the follower does) and stored content-addressed, one transaction per
   submission. Reported: submissions/s and MB/s, with and without the content check.
2. A case with 15 such photos opened at the review seat: review detail, photo bytes, decoding
   for the viewer (worker side) and `PhotoPanel.set_photos` (GUI side).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_intake
"""

from __future__ import annotations

import json
import os
import time
import zlib
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np

from tests.benchmarks._support import throwaway_database

SUBMISSIONS = 12
PHOTOS = 8
KINDS = (
    ("scene_front_side", None),
    ("scene_rear_side", None),
    ("collision_point", None),
    ("driving_licence", "A"),
    ("vehicle_registration", "A"),
    ("driving_licence", "B"),
    ("vehicle_registration", "B"),
    ("damage", None),
)


def make_photo(rng: np.random.Generator) -> bytes:
    """A phone-sized JPEG of 1–3 MB: smooth shapes plus sensor-like noise."""
    width = int(rng.integers(2000, 3200))
    height = width * 3 // 4
    image = np.zeros((height, width, 3), np.uint8)
    image[:] = rng.integers(60, 200, 3, dtype=np.uint8)
    for _ in range(12):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(image, (x, y), (x + 400, y + 200), colour, -1)
    noise = rng.normal(0, 14, image.shape)
    image = np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 88])
    assert ok
    return bytes(data.tobytes())


def tagged(jpeg: bytes, tag: int) -> bytes:
    """The same picture with a JPEG comment segment holding `tag`: other bytes, same image."""
    comment = tag.to_bytes(8, "big")
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def incoming(ext: str, photos: list[bytes], *, check: bool):  # type: ignore[no-untyped-def]
    from console.hall.intake import IncomingParty, IncomingPhoto, IncomingSubmission
    from console.integrations.photo_check import check_photo

    items = []
    for index, data in enumerate(photos):
        kind, letter = KINDS[index % len(KINDS)]
        if check:
            result = check_photo(data)
            mime, width, height = result.mime, result.width, result.height
        else:
            mime, width, height = "image/jpeg", None, None
        items.append(
            IncomingPhoto(
                ref=f"{ext}-{index}",
                kind=kind,
                party_letter=letter,
                content=data,
                mime=mime,
                width=width,
                height=height,
                size=len(data),
            )
        )
    return IncomingSubmission(
        external_id=ext,
        channel="12123",
        submitted_at=datetime.now(UTC),
        occurred_at=datetime.now(UTC) - timedelta(minutes=10),
        parties=(
            # Phones of their own: an upload is matched to an open case by phone.
            IncomingParty("A", "刘一", f"139{zlib.crc32(ext.encode()) % 10**8:08d}"),
            IncomingParty("B", "陈二", f"138{zlib.crc32(ext.encode()[::-1]) % 10**8:08d}"),
        ),
        photos=items,
        place_text="东营区府前大街",
    )


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.db.engine import make_engine, make_session_factory
    from console.hall.intake import intake_submission

    rng = np.random.default_rng(7)
    pool = [make_photo(rng) for _ in range(24)]
    sizes = [len(p) for p in pool]

    def photos_for(n: int, salt: int) -> list[bytes]:
        # Distinct bytes per photo (content addressing must not dedupe the benchmark away).
        return [tagged(pool[(salt * 5 + i) % len(pool)], salt * 100 + i) for i in range(n)]

    with throwaway_database("postgresql") as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        timings: dict[str, float] = {}
        for check in (False, True):
            started = time.perf_counter()
            total = 0
            for n in range(SUBMISSIONS):
                photos = photos_for(PHOTOS, n + (1000 if check else 0))
                total += sum(len(p) for p in photos)
                intake_submission(factory, incoming(f"b{int(check)}-{n}", photos, check=check))
            elapsed = time.perf_counter() - started
            timings[f"{'checked' if check else 'stored'}_per_s"] = SUBMISSIONS / elapsed
            timings[f"{'checked' if check else 'stored'}_mb_per_s"] = total / elapsed / 1e6
        # Let the ~200 MB just written reach the disk first: opening a case is measured on
        # its own, not against the intake's checkpoint.
        from sqlalchemy import text

        with engine.connect() as connection:
            connection.execute(text("CHECKPOINT"))
        opened = open_case_ms(factory, photos_for(15, 5000))
        engine.dispose()
    print(
        json.dumps(
            {
                "bench": "intake",
                "engine": "postgresql",
                "submissions": SUBMISSIONS,
                "photos_each": PHOTOS,
                "photo_mb_min": round(min(sizes) / 1e6, 2),
                "photo_mb_max": round(max(sizes) / 1e6, 2),
                "stored_submissions_per_s": round(timings["stored_per_s"], 2),
                "stored_mb_per_s": round(timings["stored_mb_per_s"], 1),
                "checked_submissions_per_s": round(timings["checked_per_s"], 2),
                "checked_mb_per_s": round(timings["checked_mb_per_s"], 1),
                "ratio_check_cost": round(timings["stored_per_s"] / timings["checked_per_s"], 2),
                **opened,
            }
        ),
        flush=True,
    )
    return 0


def open_case_ms(factory, photos: list[bytes]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from console.hall.intake import intake_submission
    from console.hall.link import HallLink
    from console.hall.review import load_review
    from console.views.photo_viewer import PhotoPanel
    from console.views.review_desk import load_photo_items

    app = QApplication.instance() or QApplication([])
    result = intake_submission(factory, incoming("open-15", photos, check=True))
    link = HallLink(factory.kw["bind"], factory, "bench", demo=False)
    started = time.perf_counter()
    detail = load_review(factory, result.case_id)
    loaded = time.perf_counter()
    from console.hall.review import load_photos

    load_photos(factory, [p.sha256 for p in detail.photos])
    fetched = time.perf_counter()
    items = load_photo_items(link, detail.photos)
    decoded = time.perf_counter()
    panel = PhotoPanel()
    panel.resize(1200, 700)
    panel.show()
    panel.set_photos(items)
    app.processEvents()
    shown = time.perf_counter()
    panel.close()
    return {
        "open_15_detail_ms": round((loaded - started) * 1000, 1),
        "open_15_fetch_ms": round((fetched - loaded) * 1000, 1),
        "open_15_fetch_decode_ms": round((decoded - fetched) * 1000, 1),
        "open_15_gui_ms": round((shown - decoded) * 1000, 1),
        "open_15_total_ms": round((shown - started - (fetched - loaded)) * 1000, 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
