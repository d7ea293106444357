"""The outbox dispatcher: delivers what the use cases queued (SMS to the parties, review
outcomes to the parties' app, signed case pushes to the insurers, watch-list changes to the
checkpoint platform, sanction notices to the credit bureau) and follows SMS delivery reports.

One thread per console. Each round leases due messages (`console.hall.outbox`), sends them
outside any transaction with the message's own idempotency key, and records the result: sent,
retried later with backoff and jitter, or dead after the last attempt or a refusal that no
retry can cure. A receiver that is down delays messages; it never loses one.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Final

from console.credentials import CredentialError, MissingSecret
from console.hall import outbox
from console.hall.checkpoint_hits import watchlist_entry_lifted, watchlist_ref
from console.hall.determination import document_bytes
from console.hall.errors import NotFound
from console.hall.insurer_answers import AnswerInput, record_insurer_answer
from console.hall.journal import SessionFactory
from console.integrations.checkpoints import CheckpointGateway
from console.integrations.http import GatewayRejected, GatewayUnavailable, MalformedPayload
from console.integrations.insurers import InsurerGateway, insurer_key
from console.integrations.sms import SmsGateway
from console.integrations.submissions import ReturnReason, SubmissionGateway

log = logging.getLogger("console.net")

KINDS: Final = ("sms", "submission_review", "insurer_push", "watchlist", "credit_notice")
ROUND_S: Final = 1.0
DELIVERY_EVERY_S: Final = 3.0


@dataclass(frozen=True, slots=True)
class Sent:
    external_ref: str | None = None
    delivery: str | None = None


class Permanent(Exception):  # noqa: N818 - a kind of failure, named for what it means
    """The receiver refused the message for good: no retry can help."""


def _send_sms(sms: SmsGateway, item: outbox.OutboxItem) -> Sent:
    payload = item.payload
    to = payload.get("to") or [n for n in item.destination.split(",") if n]
    params = payload.get("params")
    if params is None:
        params = {k: str(payload[k]) for k in ("case_no", "link") if payload.get(k)}
    accepted = sms.send(
        to,
        str(payload.get("template", "")),
        {str(k): str(v) for k, v in dict(params).items()},
        payload.get("case_no"),
        idempotency_key=item.idempotency_key,
    )
    return Sent(accepted.message_id, "queued")


def _send_review(submissions: SubmissionGateway, item: outbox.OutboxItem) -> Sent:
    payload = item.payload
    reasons = [
        ReturnReason(
            code=r["code"],
            party_letter=r.get("party_letter"),
            text=str(r.get("text", ""))[:200],
            photo_kind=r.get("photo_kind"),
        )
        for r in payload.get("reasons", [])
    ]
    submissions.record_review(
        item.destination,
        outcome=str(payload["outcome"]),
        case_no=str(payload["case_no"]),
        reviewer_seat=str(payload.get("reviewer_seat") or "hall"),
        reasons=reasons,
        idempotency_key=item.idempotency_key,
    )
    return Sent()


def _send_push(
    insurers: InsurerGateway,
    key_of: Callable[[str], bytes],
    documents: Callable[[str], bytes],
    item: outbox.OutboxItem,
) -> Sent:
    code = str(item.payload.get("insurer_code") or item.destination)
    # A missing key raises a ValueError (MissingInsurerKey): permanent for this message.
    key = key_of(code)
    accepted = insurers.notify(
        code,
        notification_body(item.payload, documents, insurers.link.base_url),
        idempotency_key=item.idempotency_key,
        key=key,
    )
    return Sent(accepted.report_no)


def _send_watchlist(
    checkpoints: CheckpointGateway, lifted: Callable[[int], bool], item: outbox.OutboxItem
) -> Sent:
    """`add` puts the entry's plate on the list, `remove` lifts it; both by the entry's
    reference, so a repeat is harmless. An add that outlived its entry (the payment came
    while the platform was down, and the lift may have gone first) is not sent: it would put
    a paid-up plate back on the list."""
    payload = item.payload
    entry_id = int(payload["entry_id"])
    ref = watchlist_ref(entry_id)
    action = payload.get("action")
    if action == "add":
        if lifted(entry_id):
            log.info("watch-list entry %s was lifted before it was placed; not placing", ref)
            return Sent(external_ref=None, delivery=None)
        reason = f"complaint {payload.get('complaint_id')}: insurer did not pay"
        if payload.get("case_no"):
            reason += f" (case {payload['case_no']})"
        placed = checkpoints.place_on_watchlist(
            ref, str(payload["plate_type"]), str(payload["plate_no"]), reason
        )
        return Sent(placed.ref)
    if action == "remove":
        # None: the platform never had it (the add was not sent), which is just as good.
        checkpoints.lift(ref)
        return Sent(ref)
    raise ValueError(f"unknown watch-list action {action!r}")


def _send_credit_notice(checkpoints: CheckpointGateway, item: outbox.OutboxItem) -> Sent:
    accepted = checkpoints.notify_credit_bureau(item.payload, idempotency_key=item.idempotency_key)
    return Sent(accepted.notice_id)


def notification_body(
    payload: Mapping[str, Any], documents: Callable[[str], bytes], photo_host: str
) -> dict[str, Any]:
    """The queued push as the insurer receives it: the letter's bytes inlined (base64) and
    each photo's gateway path made a URL. The outbox row itself stays small."""
    body = dict(payload)
    body["documents"] = [
        {**doc, "content_base64": base64.b64encode(documents(str(doc["sha256"]))).decode()}
        for doc in payload.get("documents", ())
    ]
    body["photos"] = [
        {
            "kind": photo["kind"],
            "party_letter": photo["party_letter"],
            "sha256": photo["sha256"],
            "url": photo_host.rstrip("/") + str(photo["path"]),
        }
        for photo in payload.get("photos", ())
    ]
    return body


def record_report_numbers(
    session_factory: SessionFactory, item: outbox.OutboxItem, report_no: str | None
) -> None:
    """The insurer's 202 carries its report number (报案号): it goes on the claims of the
    parties that insurer covers at once, before any later answer."""
    if not report_no or item.kind != "insurer_push":
        return
    code = str(item.payload.get("insurer_code") or item.destination)
    for party in item.payload.get("parties", ()):
        if party.get("insured_here"):
            try:
                record_insurer_answer(
                    session_factory,
                    AnswerInput(
                        code,
                        str(item.payload["case_no"]),
                        str(party["letter"]),
                        "reported",
                        report_no=report_no,
                    ),
                )
            except NotFound as exc:
                log.warning("report number %s not recorded: %s", report_no, exc)


def _never_lifted(_entry_id: int) -> bool:
    return False


@dataclass
class Receivers:
    sms: SmsGateway | None = None
    submissions: SubmissionGateway | None = None
    insurers: InsurerGateway | None = None
    # Where an insurer's signing key comes from: the seat's keyring unless a test says.
    insurer_key: Callable[[str], bytes] = field(default=insurer_key)
    # The bytes of a document by SHA-256 (the letter the push carries); set by the dispatcher.
    documents: Callable[[str], bytes] | None = None
    # The checkpoint platform (watch list) and, through the same link, the credit bureau.
    checkpoints: CheckpointGateway | None = None
    # Whether a watch-list entry was lifted meanwhile; set by the dispatcher.
    watchlist_lifted: Callable[[int], bool] | None = None

    def sender(self, kind: str) -> Callable[[outbox.OutboxItem], Sent] | None:
        if kind == "sms" and self.sms is not None:
            sms = self.sms
            return lambda item: _send_sms(sms, item)
        if kind == "submission_review" and self.submissions is not None:
            submissions = self.submissions
            return lambda item: _send_review(submissions, item)
        if kind == "insurer_push" and self.insurers is not None and self.documents is not None:
            insurers, key_of, documents = self.insurers, self.insurer_key, self.documents
            return lambda item: _send_push(insurers, key_of, documents, item)
        if kind == "watchlist" and self.checkpoints is not None:
            checkpoints = self.checkpoints
            lifted = self.watchlist_lifted or _never_lifted
            return lambda item: _send_watchlist(checkpoints, lifted, item)
        if kind == "credit_notice" and self.checkpoints is not None:
            bureau = self.checkpoints
            return lambda item: _send_credit_notice(bureau, item)
        return None

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if self.sender(k) is not None)


def dispatch_once(session_factory: SessionFactory, receivers: Receivers, *, limit: int = 20) -> int:
    """One round: lease, send, record. Returns how many messages were sent."""
    if receivers.documents is None:
        receivers = replace(receivers, documents=partial(document_bytes, session_factory))
    if receivers.watchlist_lifted is None:
        receivers = replace(
            receivers, watchlist_lifted=partial(watchlist_entry_lifted, session_factory)
        )
    kinds = receivers.kinds
    if not kinds:
        return 0
    sent = 0
    for item in outbox.lease_due(session_factory, kinds=kinds, limit=limit):
        sender = receivers.sender(item.kind)
        assert sender is not None
        try:
            result = sender(item)
        except (GatewayUnavailable, MalformedPayload) as exc:
            outbox.mark_failed(session_factory, item.id, str(exc))
            continue
        except CredentialError as exc:
            # A keyring locked or away is the seat's environment: try again later. A secret
            # that is simply not there will not appear by retrying.
            permanent = isinstance(exc, MissingSecret)
            outbox.mark_failed(session_factory, item.id, str(exc), permanent=permanent)
            log.warning("outbox message %s not sent: %s", item.id, exc)
            continue
        except (GatewayRejected, NotFound, ValueError, KeyError, TypeError) as exc:
            # 4xx or a payload the contract forbids: sending it again would be refused again.
            permanent = not isinstance(exc, GatewayRejected) or exc.status < 500
            outbox.mark_failed(session_factory, item.id, str(exc), permanent=permanent)
            log.warning("outbox message %s refused: %s", item.id, exc)
            continue
        outbox.mark_sent(
            session_factory, item.id, external_ref=result.external_ref, delivery=result.delivery
        )
        record_report_numbers(session_factory, item, result.external_ref)
        sent += 1
    return sent


def poll_deliveries(session_factory: SessionFactory, sms: SmsGateway) -> int:
    """Ask for the delivery of sent SMS not yet final; returns how many changed."""
    changed = 0
    for item in outbox.sent_awaiting_delivery(session_factory):
        if item.external_ref is None:
            continue
        try:
            delivery = sms.status(item.external_ref)
        except (GatewayUnavailable, GatewayRejected, MalformedPayload) as exc:
            log.debug("delivery of %s not known yet: %s", item.external_ref, exc)
            continue
        if not delivery.recipients:
            continue
        states = {r.state.value for r in delivery.recipients}
        if delivery.delivered:
            state = "delivered"
        elif delivery.final and delivery.failed:
            state = "failed"
        elif "sent" in states or "delivered" in states:
            state = "sent"
        else:
            state = "queued"
        at = max(r.at for r in delivery.recipients)
        if outbox.record_delivery(session_factory, item.id, state, at=at):
            changed += 1
    return changed


class OutboxDispatcher:
    """The dispatch loop on its own thread; `wake()` after a use case queued something."""

    def __init__(self, session_factory: SessionFactory, receivers: Receivers) -> None:
        self._session_factory = session_factory
        self._receivers = receivers
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.on_change: Callable[[], None] | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="outbox-dispatcher", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        since_delivery = DELIVERY_EVERY_S
        while not self._stop.is_set():
            changed = 0
            try:
                changed += dispatch_once(self._session_factory, self._receivers)
                since_delivery += ROUND_S
                if self._receivers.sms is not None and since_delivery >= DELIVERY_EVERY_S:
                    since_delivery = 0.0
                    changed += poll_deliveries(self._session_factory, self._receivers.sms)
            except Exception:
                # The database away for a moment: try again next round, never die.
                log.exception("outbox round failed")
            if changed and self.on_change is not None:
                self.on_change()
            self._wake.wait(ROUND_S)
            self._wake.clear()
