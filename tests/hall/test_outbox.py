"""The outbox's delivery bookkeeping on both databases: two dispatchers never lease the same
message, a failure is retried later with backoff, the last attempt or a permanent refusal
ends dead and shows on the case, and delivery reports are recorded once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import CaseEvent, OutboxMessage
from console.hall import outbox
from console.hall.cases import NewCase, create_case
from console.hall.journal import enqueue_outbox, write
from tests.hall.conftest import Hall, build_hall


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def queue_sms(hall: Hall, count: int) -> tuple[int, list[int]]:
    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(source="call", occurred_at=datetime.now(UTC), place_text="东营区府前大街"),
    )
    ids = []
    with write(hall.session_factory) as session:
        for n in range(count):
            message = enqueue_outbox(
                session,
                kind="sms",
                destination="13905461111",
                payload={"template": "evacuate", "params": {"case_no": change.case_no}},
                case_id=change.case_id,
                at=datetime.now(UTC) - timedelta(seconds=1),
                idempotency_key=f"k-{change.case_id}-{n}",
            )
            session.flush()
            ids.append(message.id)
    return change.case_id, ids


def row(hall: Hall, message_id: int) -> OutboxMessage:
    with hall.session_factory() as session:
        found = session.get(OutboxMessage, message_id)
        assert found is not None
        session.expunge(found)
        return found


def test_two_dispatchers_never_lease_the_same_message(hall: Hall) -> None:
    _, ids = queue_sms(hall, 6)
    first = outbox.lease_due(hall.session_factory, kinds=["sms"], limit=4)
    second = outbox.lease_due(hall.session_factory, kinds=["sms"], limit=4)
    assert len(first) == 4 and len(second) == 2
    assert sorted(m.id for m in first + second) == ids
    assert outbox.lease_due(hall.session_factory, kinds=["sms"]) == [], "leased ones wait"


def test_a_failure_is_retried_later_and_the_last_attempt_is_dead_on_the_case(hall: Hall) -> None:
    case_id, (message_id,) = queue_sms(hall, 1)
    rng = random.Random(1)
    now = datetime.now(UTC)
    state = outbox.mark_failed(hall.session_factory, message_id, "gateway down", now=now, rng=rng)
    after = row(hall, message_id)
    assert state == "pending" and after.attempts == 1
    assert now + timedelta(seconds=1) <= after.next_attempt_at <= now + timedelta(seconds=2)
    for _ in range(3):
        state = outbox.mark_failed(
            hall.session_factory, message_id, "down", max_attempts=4, now=now, rng=rng
        )
    assert state == "dead" and row(hall, message_id).attempts == 4
    with hall.session_factory() as session:
        kinds = list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)))
    assert "delivery_failed" in kinds


def test_a_permanent_refusal_is_dead_at_once(hall: Hall) -> None:
    _, (message_id,) = queue_sms(hall, 1)
    state = outbox.mark_failed(hall.session_factory, message_id, "400 bad", permanent=True)
    assert state == "dead" and row(hall, message_id).attempts == 1


def test_sent_then_delivered_is_recorded_once(hall: Hall) -> None:
    case_id, (message_id,) = queue_sms(hall, 1)
    outbox.mark_sent(hall.session_factory, message_id, external_ref="m-1", delivery="queued")
    assert [m.id for m in outbox.sent_awaiting_delivery(hall.session_factory)] == [message_id]
    at = datetime.now(UTC)
    assert outbox.record_delivery(hall.session_factory, message_id, "delivered", at=at)
    assert not outbox.record_delivery(hall.session_factory, message_id, "delivered", at=at)
    assert outbox.sent_awaiting_delivery(hall.session_factory) == []
    sent = row(hall, message_id)
    assert (sent.state, sent.delivery, sent.external_ref) == ("sent", "delivered", "m-1")
    with hall.session_factory() as session:
        kinds = list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)))
    assert kinds.count("sms_delivered") == 1 and "sms_sent" in kinds
