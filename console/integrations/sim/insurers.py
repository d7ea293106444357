"""The simulated insurers: signed case pushes in, report numbers and claim progress out.

The hall pushes a determined case to each party's insurer (`POST /insurers/{code}/
notifications`). The push is signed with the insurer's shared key (HMAC-SHA256 over the
timestamp and the exact body bytes, `signature()`); a wrong or stale signature is refused with
401 and nothing is recorded. The Idempotency-Key is the insurer's promise that the outbox may
retry: the same key gets the same report number (报案号) and is recorded once — `received()`
lists the keys per insurer so tests can check it.

Each accepted push later yields the insurer's answers on the long-poll log
(`GET /insurers/answers`): reported → surveying → assessed (with an amount) → paid, a few
simulated seconds apart. Delays and amounts come from the seed and the key, so a run is
repeatable whatever order the pushes arrive in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from console.integrations.sim.calls import CHINA_TZ, Clock, SystemClock
from console.integrations.sim.submissions import iso

SIGNATURE_HEADER: Final = "X-Hall-Signature"
TIMESTAMP_HEADER: Final = "X-Hall-Timestamp"
SIGNATURE_PREFIX: Final = "sha256="
MAX_SKEW_S: Final = 300
DEFAULT_CODES: Final = ("PICC", "PAIC", "CPIC")
# Seconds after receipt at which each answer appears: (low, high) per kind.
STEPS: Final = (
    ("reported", (0.5, 1.5)),
    ("surveying", (2.0, 4.0)),
    ("assessed", (5.0, 8.0)),
    ("paid", (10.0, 15.0)),
)
MAX_WAIT_S: Final = 60.0
REPAIR_SHOPS: Final = ("东营市众诚汽修厂", "东营区利源汽车维修中心", "垦利区顺通汽修")


def signature(key: bytes, timestamp: str, body: bytes) -> str:
    """The `X-Hall-Signature` value: `sha256=` + hex HMAC-SHA256(key, timestamp "." body)."""
    mac = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + mac.hexdigest()


def default_key(seed: int, code: str) -> str:
    """The simulator's shared secret for an insurer unless a test set another."""
    digest = hashlib.sha256(f"hall-sim/{seed}/insurer/{code}".encode()).hexdigest()
    return f"sim-{code.lower()}-{digest[:32]}"


class InsurerError(Exception):
    """A push the insurer refuses: the HTTP answer to give."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.status = status
        self.body: dict[str, Any] = {"error": error}
        if detail:
            self.body["detail"] = detail


@dataclass(frozen=True)
class _Notification:
    id: str
    code: str
    key: str
    report_no: str
    case_no: str
    party_letter: str
    received_at: datetime


class InsurerSimulator:
    """Every insurer of the hall. Thread-safe."""

    def __init__(
        self,
        *,
        seed: int = 1,
        clock: Clock | None = None,
        codes: tuple[str, ...] = DEFAULT_CODES,
        max_skew_s: float = MAX_SKEW_S,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.seed = seed
        self.max_skew_s = max_skew_s
        self._wall = wall_clock
        self.stream = uuid.uuid4().hex
        self._cond = threading.Condition()
        self._keys: dict[str, str] = {code: default_key(seed, code) for code in codes}
        self._serial: dict[str, itertools.count[int]] = {}
        self._by_key: dict[tuple[str, str], _Notification] = {}
        self._received: dict[str, list[str]] = {}
        self._bodies: dict[tuple[str, str], Mapping[str, Any]] = {}
        # Answers not yet due: (due, order, answer without seq), and the published log.
        self._pending: list[tuple[datetime, int, dict[str, Any]]] = []
        self._order = itertools.count()
        self._log: list[dict[str, Any]] = []
        self._closed = False

    # ------------------------------------------------------------ keys

    def key_text(self, code: str) -> str:
        with self._cond:
            if code not in self._keys:
                raise KeyError(code)
            return self._keys[code]

    def key(self, code: str) -> bytes:
        """The shared key's bytes (the UTF-8 of its text)."""
        return self.key_text(code).encode()

    def set_key(self, code: str, key: str) -> None:
        """Use another key for `code` (also makes an unknown insurer known)."""
        if not key:
            raise ValueError("the key is empty")
        with self._cond:
            self._keys[code] = key

    @property
    def codes(self) -> tuple[str, ...]:
        with self._cond:
            return tuple(self._keys)

    # ------------------------------------------------------------ pushes

    def verify(self, code: str, body: bytes, headers: Mapping[str, str]) -> None:
        """Check the signature of a push to `code`; InsurerError 404 / 401 otherwise."""
        with self._cond:
            key = self._keys.get(code)
        if key is None:
            raise InsurerError(404, "no_such_insurer", f"no insurer {code}")
        given = headers.get(SIGNATURE_HEADER) or ""
        stamp = headers.get(TIMESTAMP_HEADER) or ""
        if not stamp.isdigit() or len(stamp) > 12:
            raise InsurerError(401, "bad_signature", f"{TIMESTAMP_HEADER} missing or not a number")
        if abs(float(self._wall()) - int(stamp)) > self.max_skew_s:
            raise InsurerError(401, "bad_signature", "the signature is stale")
        expected = signature(key.encode(), stamp, body)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise InsurerError(401, "bad_signature", "the signature does not match")

    def notify(self, code: str, body: object, idempotency_key: str) -> dict[str, Any]:
        """Accept a (verified) push; the same key gets the first answer again."""
        case_no, party_letter = _request(body, code)
        with self._cond:
            if code not in self._keys:
                raise InsurerError(404, "no_such_insurer", f"no insurer {code}")
            known = self._by_key.get((code, idempotency_key))
            if known is None:
                now = self.clock.now()
                serial = next(self._serial.setdefault(code, itertools.count(1)))
                local = now.astimezone(CHINA_TZ)
                known = _Notification(
                    id=f"N{code}{local:%Y%m%d}{serial:06d}",
                    code=code,
                    key=idempotency_key,
                    report_no=f"R{code}{local:%Y%m%d}{serial:06d}",
                    case_no=case_no,
                    party_letter=party_letter,
                    received_at=now,
                )
                self._by_key[(code, idempotency_key)] = known
                if isinstance(body, Mapping):
                    self._bodies[(code, idempotency_key)] = body
                self._received.setdefault(code, []).append(idempotency_key)
                self._schedule(known)
                self._cond.notify_all()
        return {
            "notification_id": known.id,
            "report_no": known.report_no,
            "received_at": iso(known.received_at),
        }

    def _schedule(self, n: _Notification) -> None:
        rng = random.Random(f"{self.seed}/insurers/{n.code}/{n.key}")
        assessed = f"{rng.randrange(800, 20_000)}.{rng.randrange(100):02d}"
        shop = rng.choice(REPAIR_SHOPS)
        for kind, (low, high) in STEPS:
            due = n.received_at + timedelta(seconds=rng.uniform(low, high))
            answer = {
                "at": iso(due),
                "insurer_code": n.code,
                "notification_id": n.id,
                "case_no": n.case_no,
                "party_letter": n.party_letter,
                "kind": kind,
                "report_no": n.report_no,
                "assessed_amount": assessed if kind in ("assessed", "paid") else None,
                "paid_amount": assessed if kind == "paid" else None,
                "paid_at": iso(due) if kind == "paid" else None,
                "repair_shop": shop if kind in ("assessed", "paid") else None,
                "note": None,
            }
            self._pending.append((due, next(self._order), answer))
        self._pending.sort(key=lambda item: (item[0], item[1]))

    def received(self, code: str | None = None) -> dict[str, list[str]]:
        """Idempotency keys recorded per insurer, in order of arrival (each once)."""
        with self._cond:
            return {
                c: list(keys) for c, keys in self._received.items() if code is None or c == code
            }

    def body(self, code: str, idempotency_key: str) -> Mapping[str, Any] | None:
        """The push as first received under that key (tests read what an insurer got)."""
        with self._cond:
            return self._bodies.get((code, idempotency_key))

    # ------------------------------------------------------------ answers

    def _release(self) -> None:
        now = self.clock.now()
        while self._pending and self._pending[0][0] <= now:
            _, _, answer = self._pending.pop(0)
            self._log.append({"seq": len(self._log) + 1, **answer})

    def seconds_until_due(self) -> float | None:
        with self._cond:
            if not self._pending:
                return None
            return (self._pending[0][0] - self.clock.now()).total_seconds()

    @property
    def last_seq(self) -> int:
        with self._cond:
            self._release()
            return len(self._log)

    def answers_after(
        self, after: int, wait_s: float = 0.0, limit: int = 500
    ) -> tuple[list[dict[str, Any]], int]:
        """Answers with seq > after (waiting up to wait_s for one) and the cursor to pass."""
        deadline = time.monotonic() + min(max(0.0, wait_s), MAX_WAIT_S)
        with self._cond:
            while True:
                self._release()
                if len(self._log) > after or after > len(self._log) or self._closed:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # Answers fall due as the (maybe simulated) clock moves: look again soon.
                self._cond.wait(min(left, 0.05))
            last = len(self._log)
            if after >= last:
                return [], last
            answers = [dict(a) for a in self._log[after : after + max(1, limit)]]
            return answers, answers[-1]["seq"]

    def close(self) -> None:
        """Wake every long poll: the simulator is stopping."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def _request(body: object, code: str) -> tuple[str, str]:
    """The case number and the letter of the party this insurer covers (A if none says)."""
    if not isinstance(body, Mapping):
        raise InsurerError(400, "bad_request", "the body must be a JSON object")
    case_no = body.get("case_no")
    if not isinstance(case_no, str) or not 1 <= len(case_no) <= 32:
        raise InsurerError(400, "bad_request", "case_no must be a string of 1–32 characters")
    parties = body.get("parties", [])
    if not isinstance(parties, list) or len(parties) > 3:
        raise InsurerError(400, "bad_request", "parties must be a list of at most 3")
    for doc in body.get("documents", []):
        # An insurer pays on the letter it received: the bytes must be the ones named.
        if not isinstance(doc, Mapping):
            raise InsurerError(400, "bad_request", "each document must be an object")
        try:
            content = base64.b64decode(str(doc.get("content_base64", "")), validate=True)
        except binascii.Error as exc:
            raise InsurerError(400, "bad_request", "a document is not base64") from exc
        if hashlib.sha256(content).hexdigest() != doc.get("sha256"):
            raise InsurerError(400, "bad_request", "a document does not match its sha256")
    letter = "A"
    for party in parties:
        if not isinstance(party, Mapping):
            raise InsurerError(400, "bad_request", "each party must be an object")
        if party.get("insurer_code") == code and party.get("letter") in ("A", "B", "C"):
            letter = str(party["letter"])
            break
    return case_no, letter
