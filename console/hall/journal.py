"""Writing inside a use case: the transaction, the case event and the outbox row.

Kept in one module so every use case opens its transaction the same way and no event or
outbox row is ever written outside the transaction of the change that caused it.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import write_transaction
from console.db.models import AuditLogEntry, CaseEvent, OutboxMessage
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor

SessionFactory = sessionmaker[Session]


def utcnow() -> datetime:
    return datetime.now(UTC)


def write(session_factory: SessionFactory) -> AbstractContextManager[Session]:
    """One write transaction: commits on success, rolls back on any error. On SQLite it starts
    with BEGIN IMMEDIATE so two processes cannot both read a row and then race to update it."""
    return write_transaction(session_factory)


def record_event(
    session: Session,
    actor: Actor | None,
    case_id: int,
    kind: str,
    *,
    at: datetime,
    from_state: CaseState | None = None,
    to_state: CaseState | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one row to the case's history and return its id; on PostgreSQL the row's
    trigger notifies every seat when this transaction commits. `actor` None: the hall's own
    doing (the parties' upload arrived, the caller hung up), with no seat or position."""
    row = {
        "case_id": case_id,
        "kind": kind,
        "from_state": from_state.value if from_state else None,
        "to_state": to_state.value if to_state else None,
        "actor_id": actor.user_id if actor else None,
        "seat": actor.seat if actor else None,
        "position": actor.position.value if actor else None,
        "at": at,
        "reason": reason.strip() if reason else None,
        "details": details or {},
    }
    # A Core insert: the id comes back in one round trip and the ORM never tracks the row.
    return int(session.execute(insert(CaseEvent).returning(CaseEvent.id), row).scalar_one())


def record_audit(
    session: Session,
    actor: Actor | None,
    action: str,
    target: str,
    *,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit a write that is not a case event (sign-in, reprint, unmasking …)."""
    session.add(
        AuditLogEntry(
            at=at,
            actor_id=actor.user_id if actor else None,
            seat=actor.seat if actor else None,
            position=actor.position.value if actor else None,
            action=action,
            target=target,
            details=details or {},
        )
    )


def enqueue_outbox(
    session: Session,
    *,
    kind: str,
    destination: str,
    payload: dict[str, Any],
    case_id: int | None,
    at: datetime,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Queue a message to leave the building; the dispatcher sends it after commit."""
    message = OutboxMessage(
        kind=kind,
        destination=destination,
        idempotency_key=idempotency_key or uuid.uuid4().hex,
        payload=payload,
        case_id=case_id,
        created_at=at,
        state="pending",
        attempts=0,
        next_attempt_at=at,
    )
    session.add(message)
    return message
