"""The 122 call handover link: follow handed-over calls and control them from a seat.

Calls reach the hall as an event log with sequence numbers (rang, answered, transferred,
caller hung up, ended). Seats long-poll it, so every seat sees every step once and in order,
and a seat that was away catches up from its last sequence number. Answering is a race the
gateway decides: exactly one seat wins, the others learn who holds the call
(`CallAlreadyAnswered`). Every control request carries an Idempotency-Key, so a retry after a
lost answer cannot act twice.

Contract: resources/api/hall-gateway.openapi.json, tag `calls`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.domain.validation import validate_mobile
from console.integrations.http import (
    GatewayClient,
    GatewayRejected,
    HttpLink,
    JsonObject,
    LinkHealth,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
    follow_log,
    new_idempotency_key,
)

log = logging.getLogger("console.net")

LINK_NAME = "calls"
MAX_WAIT_S = 60.0
_POSITIONS = frozenset(p.value for p in Position)


class CallState(StrEnum):
    """As `console.db.models.CALL_STATES`."""

    RINGING = "ringing"
    ANSWERED = "answered"
    TRANSFERRING = "transferring"  # ringing again for the transfer's target
    ENDED = "ended"
    ABANDONED = "abandoned"  # the caller hung up before anyone answered


class CallEventKind(StrEnum):
    RANG = "rang"
    CALLER_HUNG_UP = "caller_hung_up"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"
    ENDED = "ended"


@dataclass(frozen=True)
class SeatHolder:
    """The seat (and person) on the line."""

    seat: str
    user: str | None


@dataclass(frozen=True)
class CallInfo:
    """A handed-over call as the gateway last reported it."""

    call_id: str
    state: CallState
    phone: str
    caller_name: str | None
    lat: float | None
    lon: float | None
    place_text: str | None
    district: str | None
    description: str | None
    vehicle_count: int | None
    injuries: bool | None
    rang_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    holder: SeatHolder | None
    target_position: str | None
    target_seat: str | None
    ended_by: str | None  # "caller" or "seat"

    @property
    def over(self) -> bool:
        return self.state in (CallState.ENDED, CallState.ABANDONED)

    @property
    def mobile(self) -> str | None:
        """The caller's number as a mainland mobile (11 digits), or None for a landline or
        garbled number. `phone` is passed on as the 122 platform gave it, because a caller
        ringing from a landline still needs an answer; only the SMS steps need a mobile."""
        try:
            return validate_mobile(self.phone)
        except RuleViolation:
            return None


@dataclass(frozen=True)
class CallEvent:
    """One step of one call, with the call as it stood right after it.

    `seat`/`user`: who answered, transferred or hung up; `to_position`/`to_seat`: where a
    transfer sent the call.
    """

    seq: int
    kind: CallEventKind
    at: datetime
    call: CallInfo
    seat: str | None
    user: str | None
    to_position: str | None
    to_seat: str | None

    @property
    def call_id(self) -> str:
        return self.call.call_id


@dataclass(frozen=True)
class EventBatch:
    """What one poll returned. `next_seq` is the cursor for the next poll; `stream` changes
    when the gateway's log starts afresh (a restart); `refused` counts malformed events that
    were logged and skipped."""

    events: tuple[CallEvent, ...]
    next_seq: int
    stream: str
    refused: int = 0


# ---------------------------------------------------------------- refusals


class CallControlRefused(GatewayRejected):
    """The gateway refused a seat's request on a call."""

    def __init__(self, error: GatewayRejected, call_id: str) -> None:
        super().__init__(error.link, error.status, error.code, error.body)
        self.call_id = call_id


class CallAlreadyAnswered(CallControlRefused):
    """Another seat won the answer race; `holder` says which."""

    def __init__(self, error: GatewayRejected, call_id: str, holder: SeatHolder | None) -> None:
        super().__init__(error, call_id)
        self.holder = holder


class CallNotHeld(CallControlRefused):
    """Transfer or hang-up from a seat that does not hold the call."""

    def __init__(self, error: GatewayRejected, call_id: str, holder: SeatHolder | None) -> None:
        super().__init__(error, call_id)
        self.holder = holder


class CallOfferedElsewhere(CallControlRefused):
    """The call was transferred to another seat and rings only there."""

    def __init__(
        self, error: GatewayRejected, call_id: str, position: str | None, seat: str | None
    ) -> None:
        super().__init__(error, call_id)
        self.target_position = position
        self.target_seat = seat


class CallGone(CallControlRefused):
    """The call is over: the caller hung up (`caller_hung_up`) or a seat ended it."""

    @property
    def caller_hung_up(self) -> bool:
        return self.code == "caller_hung_up"


class CallNotFound(CallControlRefused):
    """The gateway does not know the call (a wrong id, or one it has forgotten)."""


# ---------------------------------------------------------------- parsing


def parse_call(obj: JsonObject) -> CallInfo:
    holder_obj = obj.opt_obj("holder")
    target = obj.opt_obj("target")
    return CallInfo(
        call_id=obj.text("id", max_len=64),
        state=CallState(obj.choice("state", [s.value for s in CallState])),
        phone=obj.text("phone", max_len=20),
        caller_name=obj.opt_text("caller_name", max_len=64),
        lat=obj.opt_number("lat", low=-90, high=90),
        lon=obj.opt_number("lon", low=-180, high=180),
        place_text=obj.opt_text("place_text", max_len=255),
        district=obj.opt_text("district", max_len=64),
        description=obj.opt_text("description", max_len=2000),
        vehicle_count=obj.opt_integer("vehicle_count", low=0, high=99),
        injuries=obj.opt_flag("injuries"),
        rang_at=obj.timestamp("rang_at"),
        answered_at=obj.opt_timestamp("answered_at"),
        ended_at=obj.opt_timestamp("ended_at"),
        holder=_holder(holder_obj),
        target_position=target.opt_choice("position", _POSITIONS) if target else None,
        target_seat=target.opt_text("seat", max_len=64) if target else None,
        ended_by=obj.opt_choice("ended_by", ("caller", "seat")),
    )


def _holder(obj: JsonObject | None) -> SeatHolder | None:
    if obj is None:
        return None
    return SeatHolder(obj.text("seat", max_len=64), obj.opt_text("user", max_len=64))


def parse_event(obj: JsonObject) -> CallEvent:
    """One event, checked against what its kind must carry."""
    kind = CallEventKind(obj.choice("kind", [k.value for k in CallEventKind]))
    event = CallEvent(
        seq=obj.integer("seq", low=1),
        kind=kind,
        at=obj.timestamp("at"),
        call=parse_call(obj.obj("call")),
        seat=obj.opt_text("seat", max_len=64),
        user=obj.opt_text("user", max_len=64),
        to_position=obj.opt_choice("to_position", _POSITIONS),
        to_seat=obj.opt_text("to_seat", max_len=64),
    )
    if kind is CallEventKind.ANSWERED and (event.seat is None or event.user is None):
        raise MalformedPayload(obj.link, obj.where, "an answer without seat and user")
    if kind is CallEventKind.TRANSFERRED and (
        event.seat is None or (event.to_position is None and event.to_seat is None)
    ):
        raise MalformedPayload(obj.link, obj.where, "a transfer without its seat or target")
    if kind is CallEventKind.ENDED and event.seat is None:
        raise MalformedPayload(obj.link, obj.where, "an end without the seat that ended it")
    return event


# ---------------------------------------------------------------- the client


class CallGateway(GatewayClient):
    """Client of the call handover and call control endpoints.

    Environment failures raise `GatewayUnavailable` and show in `health`; payloads that break
    the contract raise `MalformedPayload` (logged, refused); a refused control request raises
    a `CallControlRefused` subclass saying why.
    """

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

    # ------------------------------------------------------------ reading

    def poll_events(
        self, after_seq: int = 0, wait_s: float = 20.0, *, limit: int = 500
    ) -> EventBatch:
        """Events after `after_seq`, waiting up to `wait_s` for the first one.

        A malformed event is logged and skipped (and counted in `refused`) rather than
        refusing the batch: otherwise one bad event would stop the log for good, since every
        later poll would fetch it again. A malformed envelope raises `MalformedPayload`.
        """
        items, next_seq, stream, refused = self.link.poll_log(
            "/calls/events",
            "events",
            parse_event,
            after_seq,
            wait_s,
            limit=limit,
            max_wait_s=MAX_WAIT_S,
        )
        return EventBatch(items, next_seq, stream, refused)

    def current_calls(self) -> list[CallInfo]:
        """Calls ringing, answered or being transferred, oldest first. All or nothing: a
        snapshot with a bad entry is refused whole."""
        return self.link.call(
            "GET", "/calls", lambda obj: [parse_call(c) for c in obj.objects("calls")]
        )

    def call(self, call_id: str) -> CallInfo:
        try:
            return self.link.call("GET", _path(call_id), lambda obj: parse_call(obj.obj("call")))
        except GatewayRejected as exc:
            raise _refusal(exc, call_id) from exc

    # ------------------------------------------------------------ control

    def answer(self, call_id: str, seat: str, user: str) -> CallInfo:
        """Take the call at `seat`. Raises `CallAlreadyAnswered` naming the holder if another
        seat was first, `CallGone` if the caller hung up."""
        return self._control(call_id, "answer", {"seat": seat, "user": user})

    def transfer(
        self,
        call_id: str,
        *,
        to_position: str | None = None,
        to_seat: str | None = None,
        by_seat: str,
    ) -> CallInfo:
        """Hand the call held at `by_seat` to a position or a seat; it rings there again."""
        if to_position is None and to_seat is None:
            raise ValueError("a transfer needs to_position or to_seat")
        if to_position is not None and to_position not in _POSITIONS:
            raise ValueError(f"unknown position {to_position!r}")
        body: dict[str, Any] = {"by_seat": by_seat}
        if to_position is not None:
            body["to_position"] = to_position
        if to_seat is not None:
            body["to_seat"] = to_seat
        return self._control(call_id, "transfer", body)

    def hang_up(self, call_id: str, seat: str) -> CallInfo:
        """End the call held at `seat`."""
        return self._control(call_id, "hangup", {"seat": seat})

    def _control(self, call_id: str, action: str, body: dict[str, Any]) -> CallInfo:
        try:
            return self.link.call(
                "POST",
                f"{_path(call_id)}/{action}",
                lambda obj: parse_call(obj.obj("call")),
                body=body,
                idempotency_key=new_idempotency_key(),
            )
        except GatewayRejected as exc:
            raise _refusal(exc, call_id) from exc


def _path(call_id: str) -> str:
    if not call_id:
        raise ValueError("call_id is empty")
    return "/calls/" + quote(call_id, safe="")


def _refusal(error: GatewayRejected, call_id: str) -> CallControlRefused:
    """The specific refusal for a 4xx answer, with what the body tells (checked loosely: a
    refusal must reach the seat even if its details are odd)."""
    body = error.body

    def seat_ref(value: object) -> SeatHolder | None:
        if isinstance(value, dict) and isinstance(value.get("seat"), str):
            user = value.get("user")
            return SeatHolder(value["seat"], user if isinstance(user, str) else None)
        return None

    if error.status == 404:
        return CallNotFound(error, call_id)
    if error.status == 410:
        return CallGone(error, call_id)
    if error.status == 409 and error.code == "already_answered":
        return CallAlreadyAnswered(error, call_id, seat_ref(body.get("holder")))
    if error.status == 409 and error.code == "not_holder":
        return CallNotHeld(error, call_id, seat_ref(body.get("holder")))
    if error.status == 409 and error.code == "offered_to_other_seat":
        target = body.get("target")
        target = target if isinstance(target, dict) else {}
        position, seat = target.get("position"), target.get("seat")
        return CallOfferedElsewhere(
            error,
            call_id,
            position if isinstance(position, str) else None,
            seat if isinstance(seat, str) else None,
        )
    return CallControlRefused(error, call_id)


# ---------------------------------------------------------------- following the log


def follow_call_events(
    gateway: CallGateway,
    deliver: Callable[[EventBatch], None],
    stop: threading.Event,
    *,
    after_seq: int = 0,
    wait_s: float = 10.0,
    backoff: RetryPolicy | None = None,
) -> int:
    """Long-poll the event log until `stop` is set, handing each non-empty batch to
    `deliver`; returns the last sequence number seen.

    Outages and refused envelopes are ridden out with growing pauses (the link's health says
    DOWN, "reconnecting…", meanwhile), so the worker running this never dies of the network.
    When the gateway's log starts afresh (another `stream`), following restarts at 0.
    The cursor moves past a batch only once `deliver` has taken it: if `deliver` raises (the
    hall's database is away for a moment), the same batch is offered again after a pause, so
    `deliver` must be idempotent.
    """
    return follow_log(
        "call events",
        gateway.poll_events,
        lambda b: b.events,
        deliver,
        stop,
        after_seq=after_seq,
        wait_s=wait_s,
        backoff=backoff,
    )
