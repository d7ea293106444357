"""Dead letters on both databases: listed newest first with their case, and the manual retry
puts one back in the queue, due now, with its attempts reset, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from console.db.models import AuditLogEntry, OutboxMessage
from console.hall import outbox
from console.hall.journal import enqueue_outbox, write
from tests.hall.conftest import Hall


def queue(hall: Hall, count: int, *, case_id: int | None = None) -> list[int]:
    ids = []
    with write(hall.session_factory) as session:
        for n in range(count):
            message = enqueue_outbox(
                session,
                kind="insurer_push",
                destination="PICC",
                payload={"case_no": "DY1"},
                case_id=case_id,
                at=datetime.now(UTC) - timedelta(minutes=count - n),
                idempotency_key=f"dead-{case_id}-{n}",
            )
            session.flush()
            ids.append(message.id)
    return ids


def test_dead_letters_are_listed_newest_first_up_to_the_limit(hall: Hall) -> None:
    ids = queue(hall, 4)
    for message_id in ids[:3]:
        outbox.mark_failed(
            hall.session_factory, message_id, f"refused {message_id}", permanent=True
        )
    letters = outbox.dead_letters(hall.session_factory, limit=2)
    assert [d.id for d in letters] == [ids[2], ids[1]]
    assert letters[0].last_error == f"refused {ids[2]}" and letters[0].case_no is None
    assert letters[0].kind == "insurer_push" and letters[0].attempts == 1
    assert len(outbox.dead_letters(hall.session_factory)) == 3


def test_a_manual_retry_makes_a_dead_letter_due_again_and_is_audited(hall: Hall) -> None:
    (message_id,) = queue(hall, 1)
    for _ in range(3):
        outbox.mark_failed(hall.session_factory, message_id, "down", max_attempts=3)
    assert [d.id for d in outbox.dead_letters(hall.session_factory)] == [message_id]
    now = datetime.now(UTC)
    assert outbox.retry_dead(hall.session_factory, message_id, hall["supervisor"], now=now)
    with hall.session_factory() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None and row.state == "pending" and row.attempts == 0
        audit = session.scalars(select(AuditLogEntry)).one()
        assert audit.action == "outbox.retry" and audit.target == f"outbox:{message_id}"
        assert audit.details["attempts"] == 3 and audit.details["last_error"] == "down"
    leased = outbox.lease_due(hall.session_factory, kinds=["insurer_push"], now=now)
    assert [m.id for m in leased] == [message_id]
    assert not outbox.retry_dead(hall.session_factory, 999_999, None)
