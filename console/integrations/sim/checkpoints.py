"""The simulated checkpoint platform (卡口布控) and credit bureau.

The hall places plates on the watch list (`PUT /checkpoints/watchlist/{ref}`) and lifts them
(`DELETE …`). While a plate is listed, the platform's cameras read it now and then: the first
hit a few simulated seconds after placement, then one every minute or two, each at a camera
of the demo registry (resources/data/demo_cameras.csv) and published on the long-poll log
(`GET /checkpoints/hits`). Times and cameras come from the seed, the entry's reference and the
hit's number, so a run is repeatable.

The credit bureau records each sanction notice once per Idempotency-Key (`POST
/credit/notices`, a draft endpoint not yet in the gateway contract); `credit_notices()` lists
the keys so tests can check it.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from console.integrations.sim.calls import Clock, SystemClock
from console.integrations.sim.submissions import iso

MAX_WAIT_S: Final = 60.0
DEMO_CAMERAS: Final = (
    Path(__file__).resolve().parents[3] / "resources" / "data" / "demo_cameras.csv"
)
# Seconds from placement to the first read, and between later reads, (low, high).
FIRST_HIT_S: Final = (1.0, 3.0)
NEXT_HIT_S: Final = (60.0, 120.0)
_PLATE_TYPE = re.compile(r"^[0-9]{2}$")
_REF = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class CameraSpot:
    id: str
    direction: str | None
    lat: float | None
    lon: float | None


FALLBACK_CAMERA: Final = CameraSpot("37050200001320000001", "东向西", 37.44702, 118.47951)


def demo_camera_spots(path: Path = DEMO_CAMERAS) -> tuple[CameraSpot, ...]:
    """The demo registry's cameras, or one fixed camera if the file cannot be read."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            spots = tuple(
                CameraSpot(
                    row["id"],
                    row.get("direction") or None,
                    float(row["lat"]) if row.get("lat") else None,
                    float(row["lon"]) if row.get("lon") else None,
                )
                for row in csv.DictReader(handle)
                if row.get("id")
            )
    except (OSError, KeyError, ValueError):
        spots = ()
    return spots or (FALLBACK_CAMERA,)


class CheckpointError(Exception):
    """A request the platform refuses: the HTTP answer to give."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.status = status
        self.body: dict[str, Any] = {"error": error}
        if detail:
            self.body["detail"] = detail


@dataclass(frozen=True)
class _Entry:
    ref: str
    plate_type: str
    plate_no: str
    reason: str
    added_at: datetime
    until: datetime | None
    lifted_at: datetime | None
    next_hit_at: datetime | None  # None once lifted
    hits: int  # reads published so far

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "plate_type": self.plate_type,
            "plate_no": self.plate_no,
            "reason": self.reason,
            "added_at": iso(self.added_at),
            "until": iso(self.until),
            "lifted_at": iso(self.lifted_at),
        }


class CheckpointSimulator:
    """The watch list, its hit log and the credit bureau. Thread-safe."""

    def __init__(
        self,
        *,
        seed: int = 1,
        clock: Clock | None = None,
        cameras: Sequence[CameraSpot] | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.seed = seed
        self.cameras = tuple(cameras) if cameras else demo_camera_spots()
        self.stream = uuid.uuid4().hex
        self._cond = threading.Condition()
        self._entries: dict[str, _Entry] = {}
        self._log: list[dict[str, Any]] = []
        self._notices: dict[str, dict[str, Any]] = {}
        self._notice_serial = itertools.count(1)
        self._closed = False

    # ------------------------------------------------------------ the watch list

    def place(self, ref: str, body: object) -> dict[str, Any]:
        """Place (or update) an entry; a lifted one is listed again. Placing the same plate
        again under the same reference keeps its hit schedule."""
        if not _REF.match(ref):
            raise CheckpointError(400, "bad_request", "ref must match ^[A-Za-z0-9_.-]{1,64}$")
        plate_type, plate_no, reason, until = _watchlist_request(body)
        with self._cond:
            now = self.clock.now()
            known = self._entries.get(ref)
            if known is not None and known.lifted_at is None:
                entry = replace(
                    known, plate_type=plate_type, plate_no=plate_no, reason=reason, until=until
                )
            else:
                entry = _Entry(
                    ref,
                    plate_type,
                    plate_no,
                    reason,
                    now,
                    until,
                    None,
                    now + timedelta(seconds=self._rng(ref, 0).uniform(*FIRST_HIT_S)),
                    known.hits if known is not None else 0,
                )
            self._entries[ref] = entry
            self._cond.notify_all()
            return entry.to_json()

    def lift(self, ref: str) -> dict[str, Any]:
        """Lift an entry (lifting it again answers the same); 404 if never placed."""
        with self._cond:
            entry = self._entries.get(ref)
            if entry is None:
                raise CheckpointError(404, "no_such_entry", f"no watch-list entry {ref}")
            if entry.lifted_at is None:
                entry = replace(entry, lifted_at=self.clock.now(), next_hit_at=None)
                self._entries[ref] = entry
            return entry.to_json()

    def entries(self) -> list[dict[str, Any]]:
        """The active entries, oldest first."""
        with self._cond:
            self._release()
            return [e.to_json() for e in self._entries.values() if e.lifted_at is None]

    def listed(self, plate_no: str) -> bool:
        with self._cond:
            return any(
                e.plate_no == plate_no and e.lifted_at is None for e in self._entries.values()
            )

    # ------------------------------------------------------------ hits

    def _rng(self, ref: str, n: int) -> random.Random:
        return random.Random(f"{self.seed}/checkpoints/{ref}/{n}")

    def _release(self) -> None:
        """Publish every read that has fallen due: at most one per entry per look, so a
        clock that jumps an hour does not flood the log."""
        now = self.clock.now()
        due = sorted(
            (e for e in self._entries.values() if _due(e, now)),
            key=lambda e: (e.next_hit_at, e.ref),
        )
        for entry in due:
            assert entry.next_hit_at is not None
            if entry.until is not None and entry.next_hit_at > entry.until:
                self._entries[entry.ref] = replace(entry, next_hit_at=None)
                continue
            n = entry.hits + 1
            rng = self._rng(entry.ref, n)
            camera = rng.choice(self.cameras)
            hit_id = f"H{self.seed}-{entry.ref}-{n}"[:64]
            self._log.append(
                {
                    "seq": len(self._log) + 1,
                    "hit_id": hit_id,
                    "camera_id": camera.id,
                    "plate_type": entry.plate_type,
                    "plate_no": entry.plate_no,
                    "seen_at": iso(entry.next_hit_at),
                    "direction": camera.direction,
                    "lat": camera.lat,
                    "lon": camera.lon,
                    "image_url": None,
                    "watchlist_ref": entry.ref,
                }
            )
            later = max(entry.next_hit_at, now) + timedelta(seconds=rng.uniform(*NEXT_HIT_S))
            self._entries[entry.ref] = replace(entry, hits=n, next_hit_at=later)

    def seconds_until_due(self) -> float | None:
        with self._cond:
            times = [e.next_hit_at for e in self._entries.values() if e.next_hit_at]
            if not times:
                return None
            return (min(times) - self.clock.now()).total_seconds()

    @property
    def last_seq(self) -> int:
        with self._cond:
            self._release()
            return len(self._log)

    def hits_after(
        self, after: int, wait_s: float = 0.0, limit: int = 500
    ) -> tuple[list[dict[str, Any]], int]:
        """Hits with seq > after (waiting up to wait_s for one) and the cursor to pass."""
        deadline = time.monotonic() + min(max(0.0, wait_s), MAX_WAIT_S)
        with self._cond:
            while True:
                self._release()
                if len(self._log) > after or after > len(self._log) or self._closed:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # Reads fall due as the (maybe simulated) clock moves: look again soon.
                self._cond.wait(min(left, 0.05))
            last = len(self._log)
            if after >= last:
                return [], last
            hits = [dict(h) for h in self._log[after : after + max(1, limit)]]
            return hits, hits[-1]["seq"]

    # ------------------------------------------------------------ credit bureau

    def credit_notice(self, body: object, idempotency_key: str) -> dict[str, Any]:
        """Record a sanction notice; the same key gets the first answer again."""
        if not isinstance(body, Mapping):
            raise CheckpointError(400, "bad_request", "the body must be a JSON object")
        for key in ("complaint_id", "insurer_code"):
            if body.get(key) in (None, ""):
                raise CheckpointError(400, "bad_request", f"missing field: {key}")
        with self._cond:
            known = self._notices.get(idempotency_key)
            if known is None:
                known = {
                    "notice_id": f"CN{next(self._notice_serial):06d}",
                    "received_at": iso(self.clock.now()),
                    "body": dict(body),
                }
                self._notices[idempotency_key] = known
            return {"notice_id": known["notice_id"], "received_at": known["received_at"]}

    def credit_notices(self) -> dict[str, dict[str, Any]]:
        """Notices received by Idempotency-Key, in order of arrival (each once)."""
        with self._cond:
            return {key: dict(n["body"]) for key, n in self._notices.items()}

    def close(self) -> None:
        """Wake every long poll: the simulator is stopping."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def _due(entry: _Entry, now: datetime) -> bool:
    return entry.lifted_at is None and entry.next_hit_at is not None and entry.next_hit_at <= now


def _watchlist_request(body: object) -> tuple[str, str, str, datetime | None]:
    if not isinstance(body, Mapping):
        raise CheckpointError(400, "bad_request", "the body must be a JSON object")
    fields = {"plate_type", "plate_no", "reason", "until"}
    missing = fields - set(body)
    if missing:
        raise CheckpointError(400, "bad_request", f"missing fields: {', '.join(sorted(missing))}")
    unknown = set(body) - fields
    if unknown:
        raise CheckpointError(400, "bad_request", f"unknown fields: {', '.join(sorted(unknown))}")
    plate_type, plate_no, reason = body["plate_type"], body["plate_no"], body["reason"]
    if not isinstance(plate_type, str) or not _PLATE_TYPE.match(plate_type):
        raise CheckpointError(400, "bad_request", "plate_type must be two digits (GA 24.7)")
    if not isinstance(plate_no, str) or not 6 <= len(plate_no) <= 10:
        raise CheckpointError(400, "bad_request", "plate_no must be 6–10 characters")
    if not isinstance(reason, str) or len(reason) > 255:
        raise CheckpointError(400, "bad_request", "reason must be a string of ≤ 255 characters")
    until: datetime | None = None
    if body["until"] is not None:
        raw = body["until"]
        try:
            until = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            until = None
        if until is None or until.tzinfo is None:
            raise CheckpointError(400, "bad_request", "until must be a date-time with offset")
    return plate_type, plate_no, reason, until
