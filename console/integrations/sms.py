"""The SMS link: send templated text messages to the parties and follow their delivery.

Messages leave the hall through the outbox, each row with its own Idempotency-Key, and the
gateway answers a repeated key with the first message instead of sending again. So `send()`
is retried on outages like a GET: a retry after a lost answer cannot text a party twice.
Delivery is reported per recipient: queued → sent → delivered, or failed with the carrier's
error.

Contract: resources/api/hall-gateway.openapi.json, tag `sms`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from urllib.parse import quote

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
)

LINK_NAME: Final = "sms"
MAX_RECIPIENTS: Final = 10
MAX_PARAM_CHARS: Final = 200
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


class SmsTemplate(StrEnum):
    GUIDANCE = "guidance"  # 引导短信: move to safety and upload (case_no, link)
    EVACUATE = "evacuate"
    RETURNED = "returned"
    DETERMINED = "determined"
    AGREEMENT = "agreement"
    INSURER_REPORT = "insurer_report"
    COMPLAINT_RECEIVED = "complaint_received"
    VIDEO_LINK = "video_link"


# Placeholders a template cannot go without.
REQUIRED_PARAMS: Final[Mapping[SmsTemplate, tuple[str, ...]]] = {
    SmsTemplate.GUIDANCE: ("case_no", "link"),
}


class DeliveryState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"  # handed to the carrier
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (DeliveryState.DELIVERED, DeliveryState.FAILED)


@dataclass(frozen=True)
class SmsAccepted:
    message_id: str
    accepted_at: datetime


@dataclass(frozen=True)
class RecipientStatus:
    """One recipient's delivery: `at` is when it reached `state`; `error` the carrier's
    reason for a failure."""

    to: str
    state: DeliveryState
    at: datetime
    error: str | None


@dataclass(frozen=True)
class SmsDelivery:
    message_id: str
    recipients: tuple[RecipientStatus, ...]

    @property
    def delivered(self) -> bool:
        """Every recipient has it."""
        return bool(self.recipients) and all(
            r.state is DeliveryState.DELIVERED for r in self.recipients
        )

    @property
    def failed(self) -> tuple[RecipientStatus, ...]:
        return tuple(r for r in self.recipients if r.state is DeliveryState.FAILED)

    @property
    def final(self) -> bool:
        """Nothing will change any more."""
        return all(r.state.final for r in self.recipients)

    def state_of(self, to: str) -> DeliveryState | None:
        return next((r.state for r in self.recipients if r.to == to), None)


class SmsMessageNotFound(GatewayRejected):
    """The gateway does not know the message (a wrong id, or one it has forgotten)."""

    def __init__(self, error: GatewayRejected, message_id: str) -> None:
        super().__init__(error.link, error.status, error.code, error.body)
        self.message_id = message_id


def parse_accepted(obj: JsonObject) -> SmsAccepted:
    return SmsAccepted(obj.text("message_id", max_len=64), obj.timestamp("accepted_at"))


def parse_delivery(obj: JsonObject) -> SmsDelivery:
    recipients = []
    for item in obj.objects("recipients"):
        to = item.text("to", max_len=11)
        if not _MOBILE.match(to):
            raise MalformedPayload(item.link, f"{item.where}.to", "not a mobile number")
        recipients.append(
            RecipientStatus(
                to=to,
                state=DeliveryState(item.choice("state", [s.value for s in DeliveryState])),
                at=item.timestamp("at"),
                error=item.opt_text("error", max_len=200),
            )
        )
    return SmsDelivery(obj.text("message_id", max_len=64), tuple(recipients))


class SmsGateway(GatewayClient):
    """Client of the SMS endpoints; as `CallGateway` for failures and health."""

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

    def send(
        self,
        to: str | Sequence[str],
        template: SmsTemplate | str,
        params: Mapping[str, str],
        case_no: str | None,
        *,
        idempotency_key: str,
    ) -> SmsAccepted:
        """Hand a message to the platform. `idempotency_key` is the outbox row's: the same
        key is answered with the first message and sends nothing, which is why this POST is
        retried on outages. Input the contract forbids raises ValueError before sending."""
        numbers = [to] if isinstance(to, str) else list(to)
        if not 1 <= len(numbers) <= MAX_RECIPIENTS:
            raise ValueError(f"a message goes to 1–{MAX_RECIPIENTS} numbers")
        mobiles = [validate_mobile(n) for n in numbers]
        chosen = SmsTemplate(template)
        values = dict(params)
        for name, value in values.items():
            if not isinstance(value, str) or len(value) > MAX_PARAM_CHARS:
                raise ValueError(f"{name} must be a string of at most {MAX_PARAM_CHARS} chars")
        absent = [n for n in REQUIRED_PARAMS.get(chosen, ()) if not values.get(n)]
        if absent:
            raise ValueError(f"the {chosen.value} message needs {', '.join(absent)}")
        if case_no is not None and not 1 <= len(case_no) <= 32:
            raise ValueError("case_no must be 1–32 characters")
        if not 8 <= len(idempotency_key) <= 128:
            raise ValueError("the idempotency key must be 8–128 characters")
        body = {"to": mobiles, "template": chosen.value, "params": values, "case_no": case_no}
        return self.link.call(
            "POST",
            "/sms/messages",
            parse_accepted,
            body=body,
            idempotency_key=idempotency_key,
            accept=(200, 201, 202),
        )

    def status(self, message_id: str) -> SmsDelivery:
        """Delivery per recipient as of now."""
        if not message_id:
            raise ValueError("message_id is empty")
        try:
            return self.link.call(
                "GET", "/sms/messages/" + quote(message_id, safe=""), parse_delivery
            )
        except GatewayRejected as exc:
            if exc.status == 404:
                raise SmsMessageNotFound(exc, message_id) from exc
            raise
