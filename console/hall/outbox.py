"""The outbox's side of delivery: hand out due messages, record what the receiver said.

Sending happens outside any transaction (the dispatcher in `console.workers`): a message is
leased (its next attempt moved past the lease) in one short transaction, sent, then marked
sent or failed in another. A dispatcher that dies mid-send leaves the lease to run out and
the message is sent again — with the same idempotency key, so the receiver drops the copy.
Several dispatchers (one per console) never take the same message: the lease is taken with
`FOR UPDATE SKIP LOCKED` on PostgreSQL and under SQLite's single write lock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import select

from console.db.models import Case, OutboxMessage
from console.hall.actor import Actor
from console.hall.journal import SessionFactory, record_audit, record_event, utcnow, write
from console.hall.permissions import Action, require

LEASE: Final = timedelta(seconds=60)
BASE_DELAY_S: Final = 2.0
MAX_DELAY_S: Final = 600.0
MAX_ATTEMPTS: Final = 12


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    kind: str
    destination: str
    idempotency_key: str
    payload: dict[str, Any]
    case_id: int | None
    attempts: int
    external_ref: str | None


def lease_due(
    session_factory: SessionFactory,
    *,
    kinds: Sequence[str],
    limit: int = 20,
    now: datetime | None = None,
    lease: timedelta = LEASE,
) -> list[OutboxItem]:
    """Take up to `limit` pending messages whose time has come, oldest first."""
    at = now or utcnow()
    with write(session_factory) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.state == "pending",
                OutboxMessage.kind.in_(list(kinds)),
                OutboxMessage.next_attempt_at <= at,
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.next_attempt_at = at + lease
        return [
            OutboxItem(
                r.id,
                r.kind,
                r.destination,
                r.idempotency_key,
                dict(r.payload),
                r.case_id,
                r.attempts,
                r.external_ref,
            )
            for r in rows
        ]


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential with full jitter: retries of many messages do not arrive in step."""
    ceiling = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** max(0, attempts - 1))
    return (rng or random.Random()).uniform(ceiling / 2, ceiling)


def mark_sent(
    session_factory: SessionFactory,
    message_id: int,
    *,
    external_ref: str | None = None,
    delivery: str | None = None,
    now: datetime | None = None,
) -> None:
    at = now or utcnow()
    with write(session_factory) as session:
        row = session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None or row.state != "pending":
            return
        row.state = "sent"
        row.sent_at = at
        row.attempts += 1
        row.last_error = None
        row.external_ref = external_ref
        if delivery is not None:
            row.delivery, row.delivery_at = delivery, at
        if row.case_id is not None and row.kind == "sms":
            record_event(
                session,
                None,
                row.case_id,
                "sms_sent",
                at=at,
                details={"outbox_id": row.id, "template": row.payload.get("template")},
            )


def mark_failed(
    session_factory: SessionFactory,
    message_id: int,
    error: str,
    *,
    permanent: bool = False,
    max_attempts: int = MAX_ATTEMPTS,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> str:
    """Record a failed attempt; returns the new state ('pending' again, or 'dead' once the
    attempts are used up or the receiver refused it for good)."""
    at = now or utcnow()
    with write(session_factory) as session:
        row = session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None or row.state != "pending":
            return row.state if row is not None else "missing"
        row.attempts += 1
        row.last_error = error[:2000]
        if permanent or row.attempts >= max_attempts:
            row.state = "dead"
            if row.case_id is not None:
                record_event(
                    session,
                    None,
                    row.case_id,
                    "delivery_failed",
                    at=at,
                    details={"outbox_id": row.id, "kind": row.kind, "error": row.last_error},
                )
        else:
            row.next_attempt_at = at + timedelta(seconds=backoff(row.attempts, rng))
        return row.state


def sent_awaiting_delivery(
    session_factory: SessionFactory, *, limit: int = 50, within: timedelta = timedelta(hours=1)
) -> list[OutboxItem]:
    """Sent SMS whose delivery report is not final yet (to ask the gateway again)."""
    since = utcnow() - within
    with session_factory() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.kind == "sms",
                OutboxMessage.state == "sent",
                OutboxMessage.external_ref.is_not(None),
                OutboxMessage.sent_at >= since,
                (OutboxMessage.delivery.is_(None)) | OutboxMessage.delivery.in_(["queued", "sent"]),
            )
            .order_by(OutboxMessage.sent_at)
            .limit(limit)
        ).all()
        return [
            OutboxItem(
                r.id,
                r.kind,
                r.destination,
                r.idempotency_key,
                dict(r.payload),
                r.case_id,
                r.attempts,
                r.external_ref,
            )
            for r in rows
        ]


def record_delivery(
    session_factory: SessionFactory, message_id: int, delivery: str, *, at: datetime
) -> bool:
    """The SMS gateway's delivery report; a change to a final state is a case event, so the
    case shows it at every seat. Returns whether anything changed."""
    if delivery not in ("queued", "sent", "delivered", "failed"):
        raise ValueError(f"unknown delivery state {delivery!r}")
    with write(session_factory) as session:
        row = session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None or row.delivery == delivery:
            return False
        row.delivery, row.delivery_at = delivery, at
        if row.case_id is not None and delivery in ("delivered", "failed"):
            record_event(
                session,
                None,
                row.case_id,
                f"sms_{delivery}",
                at=utcnow(),
                details={"outbox_id": row.id, "template": row.payload.get("template")},
            )
        return True


# ---------------------------------------------------------------- dead letters


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message that will not be sent again by itself: for the supervisor to look at."""

    id: int
    kind: str
    destination: str
    attempts: int
    last_error: str | None
    case_no: str | None
    created_at: datetime


def dead_letters(session_factory: SessionFactory, limit: int = 100) -> list[DeadLetter]:
    """Dead messages, newest first."""
    with session_factory() as session:
        rows = session.execute(
            select(OutboxMessage, Case.case_no)
            .outerjoin(Case, Case.id == OutboxMessage.case_id)
            .where(OutboxMessage.state == "dead")
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        ).all()
        return [
            DeadLetter(m.id, m.kind, m.destination, m.attempts, m.last_error, case_no, m.created_at)
            for m, case_no in rows
        ]


def retry_dead(
    session_factory: SessionFactory,
    message_id: int,
    actor: Actor | None,
    *,
    now: datetime | None = None,
) -> bool:
    """The manual retry: a dead message is pending again, due now, with its attempts reset
    (and the same idempotency key, so a receiver that did get it drops the copy). Audited.
    Returns False, changing nothing, when the message is not dead (or not there). `actor`
    None: the hall's own maintenance (no seat)."""
    if actor is not None:
        require(actor, Action.RETRY_OUTBOX)
    at = now or utcnow()
    with write(session_factory) as session:
        row = session.get(OutboxMessage, message_id, with_for_update=True)
        if row is None or row.state != "dead":
            return False
        details = {
            "kind": row.kind,
            "destination": row.destination,
            "attempts": row.attempts,
            "last_error": row.last_error,
        }
        row.state = "pending"
        row.attempts = 0
        row.next_attempt_at = at
        record_audit(session, actor, "outbox.retry", f"outbox:{row.id}", at=at, details=details)
        return True
