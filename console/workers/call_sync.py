"""Keep the hall's calls in step with the 122 gateway, and the gateway with the hall.

Two directions, plain Python (the Qt worker in `console.workers.call_link` runs them):

* gateway → hall: each event batch from `follow_call_events` becomes `record_ringing` /
  `record_caller_hung_up`. Both are idempotent, so every console in the hall may follow the
  log and the first to record a step wins without harm. Answers, transfers and hang-ups in
  the log were made by hall seats, which recorded them already, so they are skipped.
* hall → gateway: after a seat's use case has committed, the gateway is told (answer,
  transfer, hang up). The hall's database decides which seat wins an answer; the gateway
  only learns it. If the gateway says the caller has gone, the hall records the hang-up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from console.domain.errors import RuleViolation
from console.hall.actor import Actor
from console.hall.call_queries import CallView
from console.hall.calls import record_caller_hung_up, record_ringing
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory
from console.integrations.calls import (
    CallEventKind,
    CallGateway,
    CallGone,
    CallNotHeld,
    CallOfferedElsewhere,
    EventBatch,
)
from console.integrations.http import GatewayRejected, GatewayUnavailable, MalformedPayload

log = logging.getLogger("console.net")


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one batch changed in the hall: the gateway ids that rang or ended."""

    rang: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()
    refused: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.rang or self.ended)


def apply_call_events(session_factory: SessionFactory, batch: EventBatch) -> SyncResult:
    """Record one batch of gateway events in the hall. A step the hall refuses (a garbled
    number, a hang-up for a call it never heard ring) is logged and skipped, never raised: one
    bad event must not stop the calls behind it."""
    rang: list[str] = []
    ended: list[str] = []
    refused = 0
    for event in batch.events:
        call = event.call
        try:
            if event.kind is CallEventKind.RANG:
                record_ringing(
                    session_factory,
                    external_id=call.call_id,
                    caller_phone=call.phone,
                    rang_at=call.rang_at,
                    caller_name=call.caller_name,
                    lat=call.lat,
                    lon=call.lon,
                    place_text=call.place_text,
                    district=call.district,
                )
                rang.append(call.call_id)
            elif event.kind is CallEventKind.CALLER_HUNG_UP:
                record_caller_hung_up(session_factory, external_id=call.call_id, at=event.at)
                ended.append(call.call_id)
        except (RuleViolation, NotFound) as exc:
            refused += 1
            log.warning("call event %s (%s) refused by the hall: %s", event.seq, event.kind, exc)
    return SyncResult(tuple(rang), tuple(ended), refused)


class ControlKind(StrEnum):
    ANSWER = "answer"
    TRANSFER = "transfer"
    HANG_UP = "hang_up"


@dataclass(frozen=True, slots=True)
class ControlOutcome:
    """How telling the gateway went. `caller_gone`: the hall has recorded the hang-up."""

    kind: ControlKind
    external_id: str
    ok: bool
    caller_gone: bool = False
    detail: str = ""


def tell_gateway(
    gateway: CallGateway,
    session_factory: SessionFactory,
    actor: Actor,
    kind: ControlKind,
    view: CallView,
    *,
    attempts: int = 4,
    pause_s: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
) -> ControlOutcome:
    """Tell the gateway what the hall has committed for `view` (the call after the change).

    A refusal saying the call is still offered elsewhere or held by the previous seat is a
    race with that seat's own report (a transfer reported a moment later than our answer), so
    it is retried a few times. The gateway being unreachable is reported, not raised: the
    hall's record stands and the seat keeps working; the link's health shows the outage.
    """
    ext = view.external_id
    for attempt in range(1, attempts + 1):
        try:
            if kind is ControlKind.ANSWER:
                gateway.answer(ext, actor.seat, actor.display_name)
            elif kind is ControlKind.TRANSFER:
                gateway.transfer(
                    ext,
                    to_position=view.target_position.value if view.target_position else None,
                    to_seat=view.target_seat,
                    by_seat=actor.seat,
                )
            else:
                gateway.hang_up(ext, actor.seat)
            return ControlOutcome(kind, ext, ok=True)
        except CallGone as exc:
            if exc.caller_hung_up:
                _record_gone(session_factory, ext)
                return ControlOutcome(kind, ext, ok=False, caller_gone=True, detail=str(exc))
            # Ended by a seat: for a hang-up that is what we asked for.
            return ControlOutcome(kind, ext, ok=kind is ControlKind.HANG_UP, detail=str(exc))
        except (CallOfferedElsewhere, CallNotHeld) as exc:
            if attempt == attempts:
                log.warning("gateway refused %s of call %s: %s", kind, ext, exc)
                return ControlOutcome(kind, ext, ok=False, detail=str(exc))
            sleep(pause_s * attempt)
        except (GatewayRejected, GatewayUnavailable, MalformedPayload) as exc:
            log.warning("gateway could not be told %s of call %s: %s", kind, ext, exc)
            return ControlOutcome(kind, ext, ok=False, detail=str(exc))
    raise AssertionError("unreachable")  # pragma: no cover - the loop always returns


def _record_gone(session_factory: SessionFactory, external_id: str) -> None:
    try:
        record_caller_hung_up(session_factory, external_id=external_id, at=datetime.now(UTC))
    except (RuleViolation, NotFound) as exc:
        log.warning("could not record that the caller of %s hung up: %s", external_id, exc)
