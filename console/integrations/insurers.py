"""The insurers' link: push a determined case to each party's insurer, follow their answers.

A push leaves the hall through the outbox with the row's own Idempotency-Key; the insurer
answers a repeated key with the first report number (报案号) and records nothing new, so
`notify()` is retried on outages like a GET. Each push is signed with that insurer's shared
key, kept in the seat's keyring under `insurer-hmac:{code}`:

    X-Hall-Timestamp: 1763802000
    X-Hall-Signature: sha256=<hex HMAC-SHA256(key, timestamp + "." + body)>

The signature covers the exact bytes sent: it is computed on the prepared request, after the
body was serialised, and again (with a fresh timestamp) on every retry.

Contract: resources/api/hall-gateway.openapi.json, tag `insurers`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

import requests
import requests.auth

from console.credentials import secret
from console.integrations.http import (
    GatewayClient,
    HttpLink,
    JsonObject,
    LinkHealth,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
    follow_log,
)

log = logging.getLogger("console.net")

LINK_NAME: Final = "insurers"
SIGNATURE_HEADER: Final = "X-Hall-Signature"
TIMESTAMP_HEADER: Final = "X-Hall-Timestamp"
MAX_WAIT_S: Final = 60.0
ANSWER_KINDS: Final = ("reported", "surveying", "assessed", "paid", "declined")
_CODE = re.compile(r"^[A-Z0-9]{2,16}$")
_HEADER_SAFE = re.compile(r"^[\x21-\x7e]+$")
_MONEY = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")


class MissingInsurerKey(ValueError):  # noqa: N818 - says what the seat lacks
    """No signing key for this insurer is stored at this seat: the push cannot be sent."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"no HMAC key for insurer {code} in this seat's keyring "
            f"(store it as the secret 'insurer-hmac:{code}')"
        )
        self.code = code


def insurer_key(code: str) -> bytes:
    """The shared signing key of an insurer (the UTF-8 bytes of its keyring secret);
    `MissingInsurerKey` (a ValueError: a permanent failure for the message) if none."""
    value = secret(f"insurer-hmac:{code}")
    if not value:
        raise MissingInsurerKey(code)
    return value.encode()


def wire_key(idempotency_key: str) -> str:
    """The Idempotency-Key as sent. An HTTP header carries printable ASCII only, and the
    outbox's keys name the letter (`push:东公交认字[2026]第00001号:1:PICC`): such a key, or
    one too long, is sent as `sha256:` and its hex digest — the same every time, so the
    insurer still de-duplicates by it."""
    if _HEADER_SAFE.match(idempotency_key) and 8 <= len(idempotency_key) <= 128:
        return idempotency_key
    return "sha256:" + hashlib.sha256(idempotency_key.encode()).hexdigest()


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256(key, timestamp "." body): the `X-Hall-Signature` value."""
    mac = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True)
class NotificationAccepted:
    report_no: str
    accepted_at: datetime
    notification_id: str


@dataclass(frozen=True)
class InsurerAnswer:
    seq: int
    at: datetime
    insurer_code: str
    notification_id: str
    case_no: str
    party_letter: str
    kind: str
    report_no: str | None
    assessed_amount: Decimal | None
    paid_amount: Decimal | None
    paid_at: datetime | None
    repair_shop: str | None
    note: str | None


@dataclass(frozen=True)
class AnswerBatch:
    answers: tuple[InsurerAnswer, ...]
    next_seq: int
    stream: str
    refused: int = 0


def parse_accepted(obj: JsonObject) -> NotificationAccepted:
    return NotificationAccepted(
        obj.text("report_no", max_len=64),
        obj.timestamp("received_at"),
        obj.text("notification_id", max_len=64),
    )


def _money(obj: JsonObject, key: str) -> Decimal | None:
    raw = obj.opt_text(key, max_len=16)
    if raw is None:
        return None
    if not _MONEY.match(raw):
        raise MalformedPayload(obj.link, f"{obj.where}.{key}", "not an amount of yuan")
    return Decimal(raw)


def parse_answer(obj: JsonObject) -> InsurerAnswer:
    return InsurerAnswer(
        seq=obj.integer("seq", low=1),
        at=obj.timestamp("at"),
        insurer_code=obj.text("insurer_code", max_len=16),
        notification_id=obj.text("notification_id", max_len=64),
        case_no=obj.text("case_no", max_len=32),
        party_letter=obj.choice("party_letter", ("A", "B", "C")),
        kind=obj.choice("kind", ANSWER_KINDS),
        report_no=obj.opt_text("report_no", max_len=64),
        assessed_amount=_money(obj, "assessed_amount"),
        paid_amount=_money(obj, "paid_amount"),
        paid_at=obj.opt_timestamp("paid_at"),
        repair_shop=obj.opt_text("repair_shop", max_len=128),
        note=obj.opt_text("note", max_len=500),
    )


class _Signer(requests.auth.AuthBase):
    """Signs the prepared request's body with the key the current thread set."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._local = threading.local()

    def use(self, key: bytes | None) -> None:
        self._local.key = key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        key: bytes | None = getattr(self._local, "key", None)
        if key is not None:
            body = request.body or b""
            if isinstance(body, str):
                data = body.encode()
            elif isinstance(body, bytes):
                data = body
            else:  # a streamed body: the link never sends one
                raise ValueError("cannot sign a streamed request body")
            stamp = str(int(self._clock()))
            request.headers[TIMESTAMP_HEADER] = stamp
            request.headers[SIGNATURE_HEADER] = sign(key, stamp, data)
        return request


class _SignedLink(HttpLink):
    """An `HttpLink` whose sessions sign requests through `_Signer`."""

    def __init__(self, *args: Any, signer: _Signer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signer = signer

    def _session(self) -> requests.Session:
        session = super()._session()
        if session.auth is not self.signer:
            session.auth = self.signer
        return session


class InsurerGateway(GatewayClient):
    """Client of the insurers' endpoints; as `SmsGateway` for failures and health."""

    link: _SignedLink

    def __init__(
        self,
        base_url: str,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        health: LinkHealth | None = None,
        slow_after_s: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.link = _SignedLink(
            LINK_NAME,
            base_url,
            timeouts=timeouts,
            retry=retry,
            health=health,
            slow_after_s=slow_after_s,
            signer=_Signer(clock),
        )

    def notify(
        self,
        insurer_code: str,
        payload: Mapping[str, Any],
        *,
        idempotency_key: str,
        key: bytes,
    ) -> NotificationAccepted:
        """Push a case to one insurer, signed with `key`. Retried on outages (the key
        makes that safe); the key is sent as `wire_key()` makes it. Raises `GatewayRejected`
        with status 401 when the insurer does not accept the signature — a wrong key, which
        no retry cures."""
        if not _CODE.match(insurer_code):
            raise ValueError(f"not an insurer code: {insurer_code!r}")
        if not 1 <= len(idempotency_key) <= 128:
            raise ValueError("the idempotency key must be 1–128 characters")
        if not key:
            raise ValueError("the signing key is empty")
        self.link.signer.use(key)
        try:
            return self.link.call(
                "POST",
                f"/insurers/{quote(insurer_code, safe='')}/notifications",
                parse_accepted,
                body=dict(payload),
                idempotency_key=wire_key(idempotency_key),
                accept=(200, 201, 202),
            )
        finally:
            self.link.signer.use(None)

    def poll_answers(
        self, after_seq: int = 0, wait_s: float = 20.0, *, limit: int = 500
    ) -> AnswerBatch:
        """Answers after `after_seq`, waiting up to `wait_s` for the first one. A malformed
        answer is logged and skipped (counted in `refused`); a malformed envelope raises."""
        items, next_seq, stream, refused = self.link.poll_log(
            "/insurers/answers",
            "answers",
            parse_answer,
            after_seq,
            wait_s,
            limit=limit,
            max_wait_s=MAX_WAIT_S,
        )
        return AnswerBatch(items, next_seq, stream, refused)


def follow_insurer_answers(
    gateway: InsurerGateway,
    deliver: Callable[[AnswerBatch], None],
    stop: threading.Event,
    *,
    after_seq: int = 0,
    wait_s: float = 10.0,
    backoff: RetryPolicy | None = None,
) -> int:
    """Long-poll the answers until `stop` is set, handing each non-empty batch to `deliver`;
    returns the last sequence number seen. As `follow_call_events`: outages are ridden out
    with growing pauses, a new `stream` restarts at 0, and a batch `deliver` refused (it
    raised) is offered again, so `deliver` must be idempotent."""
    return follow_log(
        "insurer answers",
        gateway.poll_answers,
        lambda b: b.answers,
        deliver,
        stop,
        after_seq=after_seq,
        wait_s=wait_s,
        backoff=backoff,
    )
