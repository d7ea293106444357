"""The checkpoint platform's link (卡口布控): place plates on the watch list, lift them, follow
the plate reads that matched — and the credit bureau's notice of a sanctioned insurer.

Placing is a PUT by the hall's own reference for the entry (`watchlist-17`, made by
`console.hall.checkpoint_hits.watchlist_ref`), lifting a DELETE of it; both are idempotent,
so the outbox retries them like GETs. A DELETE of an entry the
platform does not know answers 404: `lift()` reports that as "not listed" rather than an
error, since the plate is off the list either way (the add may never have got through).

Credit notices go through the same link (the same gateway, one health for the seat's status
bar): `notify_credit_bureau()` POSTs to `/credit/notices` with a required Idempotency-Key.

Contract: resources/api/hall-gateway.openapi.json, tags `checkpoints` and `credit`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote

from console.integrations.http import (
    GatewayClient,
    GatewayRejected,
    HttpLink,
    JsonObject,
    LinkHealth,
    RetryPolicy,
    Timeouts,
    follow_log,
)
from console.integrations.insurers import wire_key

log = logging.getLogger("console.net")

LINK_NAME: Final = "checkpoints"
MAX_WAIT_S: Final = 60.0
CREDIT_NOTICES_PATH: Final = "/credit/notices"
_REF = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_PLATE_TYPE = re.compile(r"^[0-9]{2}$")


@dataclass(frozen=True)
class WatchlistEntry:
    ref: str
    plate_type: str
    plate_no: str
    reason: str
    added_at: datetime
    until: datetime | None
    lifted_at: datetime | None


@dataclass(frozen=True)
class CheckpointHit:
    seq: int
    hit_id: str
    camera_id: str
    plate_type: str
    plate_no: str
    seen_at: datetime
    direction: str | None
    lat: float | None
    lon: float | None
    image_url: str | None
    watchlist_ref: str


@dataclass(frozen=True)
class HitBatch:
    hits: tuple[CheckpointHit, ...]
    next_seq: int
    stream: str
    refused: int = 0


@dataclass(frozen=True)
class CreditNoticeAccepted:
    notice_id: str
    received_at: datetime


def parse_entry(obj: JsonObject) -> WatchlistEntry:
    return WatchlistEntry(
        ref=obj.text("ref", max_len=64),
        plate_type=obj.text("plate_type", max_len=2),
        plate_no=obj.text("plate_no", max_len=10),
        reason=obj.text("reason", max_len=255),
        added_at=obj.timestamp("added_at"),
        until=obj.opt_timestamp("until"),
        lifted_at=obj.opt_timestamp("lifted_at"),
    )


def parse_hit(obj: JsonObject) -> CheckpointHit:
    return CheckpointHit(
        seq=obj.integer("seq", low=1),
        hit_id=obj.text("hit_id", max_len=64),
        camera_id=obj.text("camera_id", max_len=32),
        plate_type=obj.text("plate_type", max_len=2),
        plate_no=obj.text("plate_no", max_len=16),
        seen_at=obj.timestamp("seen_at"),
        direction=obj.opt_text("direction", max_len=32),
        lat=obj.opt_number("lat", low=-90, high=90),
        lon=obj.opt_number("lon", low=-180, high=180),
        image_url=obj.opt_text("image_url", max_len=2048),
        watchlist_ref=obj.text("watchlist_ref", max_len=64),
    )


def parse_credit_accepted(obj: JsonObject) -> CreditNoticeAccepted:
    return CreditNoticeAccepted(obj.text("notice_id", max_len=64), obj.timestamp("received_at"))


def _check_ref(ref: str) -> str:
    if not _REF.match(ref):
        raise ValueError(f"not a watch-list reference: {ref!r}")
    return ref


class CheckpointGateway(GatewayClient):
    """Client of the checkpoint platform (and, for now, the credit bureau); as `SmsGateway`
    for failures and health: `GatewayUnavailable` when down, `GatewayRejected` for a 4xx,
    `MalformedPayload` for an answer off the contract."""

    def __init__(
        self,
        base_url: str,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        health: LinkHealth | None = None,
        slow_after_s: float = 2.0,
    ) -> None:
        self.link = HttpLink(
            LINK_NAME,
            base_url,
            timeouts=timeouts,
            retry=retry,
            health=health,
            slow_after_s=slow_after_s,
        )

    # ------------------------------------------------------------ the watch list

    def place_on_watchlist(
        self,
        entry_ref: str,
        plate_type: str,
        plate_no: str,
        reason: str,
        *,
        until: datetime | None = None,
    ) -> WatchlistEntry:
        """Put a plate on the list (or update the entry) under the hall's reference; the same
        reference again changes nothing twice, so a retry is safe."""
        if not _PLATE_TYPE.match(plate_type):
            raise ValueError(f"not a GA 24.7 plate type: {plate_type!r}")
        if not 6 <= len(plate_no) <= 10:
            raise ValueError("a plate number has 6–10 characters")
        body: dict[str, Any] = {
            "plate_type": plate_type,
            "plate_no": plate_no,
            "reason": reason[:255],
            "until": until.isoformat() if until is not None else None,
        }
        return self.link.call(
            "PUT",
            f"/checkpoints/watchlist/{quote(_check_ref(entry_ref), safe='')}",
            parse_entry,
            body=body,
            accept=(200,),
        )

    def lift(self, entry_ref: str) -> WatchlistEntry | None:
        """Lift an entry; None when the platform never had it (nothing to lift)."""
        try:
            return self.link.call(
                "DELETE",
                f"/checkpoints/watchlist/{quote(_check_ref(entry_ref), safe='')}",
                parse_entry,
                accept=(200,),
            )
        except GatewayRejected as exc:
            if exc.status == 404:
                return None
            raise

    def watchlist(self) -> list[WatchlistEntry]:
        """The active entries as the platform holds them."""
        return self.link.call(
            "GET",
            "/checkpoints/watchlist",
            lambda obj: [parse_entry(entry) for entry in obj.objects("entries")],
        )

    # ------------------------------------------------------------ hits

    def poll_hits(self, after_seq: int = 0, wait_s: float = 20.0, *, limit: int = 500) -> HitBatch:
        """Hits after `after_seq`, waiting up to `wait_s` for the first one. A malformed hit
        is logged and skipped (counted in `refused`); a malformed envelope raises."""
        items, next_seq, stream, refused = self.link.poll_log(
            "/checkpoints/hits",
            "hits",
            parse_hit,
            after_seq,
            wait_s,
            limit=limit,
            max_wait_s=MAX_WAIT_S,
        )
        return HitBatch(items, next_seq, stream, refused)

    # ------------------------------------------------------------ credit bureau

    def notify_credit_bureau(
        self, notice: Mapping[str, Any], *, idempotency_key: str
    ) -> CreditNoticeAccepted:
        """Tell the credit bureau an insurer was sanctioned; the key makes a retry safe."""
        if not 1 <= len(idempotency_key) <= 128:
            raise ValueError("the idempotency key must be 1–128 characters")
        return self.link.call(
            "POST",
            CREDIT_NOTICES_PATH,
            parse_credit_accepted,
            body=dict(notice),
            idempotency_key=wire_key(idempotency_key),
            accept=(200, 201, 202),
        )


def follow_checkpoint_hits(
    gateway: CheckpointGateway,
    deliver: Callable[[HitBatch], None],
    stop: threading.Event,
    *,
    after_seq: int = 0,
    wait_s: float = 10.0,
    backoff: RetryPolicy | None = None,
) -> int:
    """Long-poll the hits until `stop` is set, handing each non-empty batch to `deliver`;
    returns the last sequence number seen. As `follow_insurer_answers`: outages are ridden
    out with growing pauses, a new `stream` restarts at 0, and a batch `deliver` refused (it
    raised) is offered again, so `deliver` must be idempotent (`record_hit` is, by hit id)."""
    return follow_log(
        "checkpoint hits",
        gateway.poll_hits,
        lambda b: b.hits,
        deliver,
        stop,
        after_seq=after_seq,
        wait_s=wait_s,
        backoff=backoff,
    )
