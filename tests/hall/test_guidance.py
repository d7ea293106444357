"""The guidance SMS: queued in the outbox with the case's move, refused with a reason and
nothing written when it cannot reach anyone or the case is past uploading."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from console.db.models import Case, CaseEvent, OutboxMessage
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.cases import NewCase, create_case, move_case
from console.hall.errors import PermissionDenied, StaleEdit
from console.hall.guidance import send_guidance_sms
from tests.hall.conftest import Hall

LINK_BASE = "https://kc.dyjj.example.cn/"
MOBILE = "13912345678"
LANDLINE = "0546-8221234"


def new_case(hall: Hall, caller_phone: str | None = MOBILE) -> int:
    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(
            source="call",
            occurred_at=datetime.now(UTC),
            place_text="东营区府前大街与西四路路口",
            district="东营区",
            caller_phone=caller_phone,
        ),
    )
    return change.case_id


def outbox(hall: Hall) -> list[OutboxMessage]:
    with hall.session_factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def events(hall: Hall, case_id: int) -> list[CaseEvent]:
    with hall.session_factory() as session:
        return list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        )


def case_row(hall: Hall, case_id: int) -> Case:
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def snapshot(hall: Hall) -> tuple[object, ...]:
    """Everything sending guidance may write, to prove a refusal wrote nothing."""
    with hall.session_factory() as session:
        return (
            tuple(session.execute(select(Case.id, Case.state, Case.version).order_by(Case.id))),
            session.scalar(select(func.count()).select_from(CaseEvent)),
            session.scalar(select(func.count()).select_from(OutboxMessage)),
        )


def test_guidance_on_a_new_case_queues_one_sms_and_starts_collecting(hall: Hall) -> None:
    case_id = new_case(hall)
    before = case_row(hall, case_id)
    queued = send_guidance_sms(
        hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE
    )
    case = case_row(hall, case_id)
    assert case.state == CaseState.COLLECTING.value
    assert queued.change.state is CaseState.COLLECTING
    assert queued.change.case_no == case.case_no and queued.change.version == case.version
    assert case.version > before.version
    assert queued.to == MOBILE

    (message,) = outbox(hall)
    assert message.id == queued.outbox_id
    assert (message.kind, message.destination, message.state) == ("sms", MOBILE, "pending")
    assert message.case_id == case_id
    text = message.payload["text"]
    assert case.case_no in text and queued.link in text
    assert text.startswith("【警保联动】")
    assert message.payload["link"] == queued.link and message.payload["case_no"] == case.case_no
    link = urlsplit(queued.link)
    assert f"{link.scheme}://{link.netloc}/" == LINK_BASE
    assert link.path == f"/submit/{case.case_no}"
    (token,) = parse_qs(link.query)["t"]
    assert len(token) >= 12

    created, moved = events(hall, case_id)
    assert created.kind == "created"
    assert (moved.kind, moved.from_state, moved.to_state) == ("transition", "new", "collecting")
    assert moved.id == queued.change.event_id
    assert moved.details["outbox_id"] == message.id and moved.details["to"] == MOBILE
    assert moved.actor_id == hall["reception"].user_id and moved.seat == hall["reception"].seat


def test_sending_again_while_collecting_queues_another_without_moving(hall: Hall) -> None:
    case_id = new_case(hall)
    first = send_guidance_sms(hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE)
    again = send_guidance_sms(
        hall.session_factory,
        hall["reception"],
        case_id,
        link_base=LINK_BASE,
        expected_version=first.change.version,
    )
    assert again.change.state is CaseState.COLLECTING
    assert again.change.version == first.change.version + 1
    assert again.link != first.link, "each message carries its own upload token"
    messages = outbox(hall)
    assert [m.id for m in messages] == [first.outbox_id, again.outbox_id]
    assert all(m.destination == MOBILE and m.kind == "sms" for m in messages)
    assert len({m.idempotency_key for m in messages}) == 2
    case = case_row(hall, case_id)
    assert case.state == CaseState.COLLECTING.value and case.version == again.change.version
    kinds = [(e.kind, e.from_state, e.to_state) for e in events(hall, case_id)]
    assert kinds == [
        ("created", None, "new"),
        ("transition", "new", "collecting"),
        ("guidance_sms_queued", None, None),
    ]
    last = events(hall, case_id)[-1]
    assert last.id == again.change.event_id and last.details["outbox_id"] == again.outbox_id


def test_review_resends_guidance_after_returning_the_materials(hall: Hall) -> None:
    case_id = new_case(hall)
    sf = hall.session_factory
    sent = send_guidance_sms(sf, hall["reception"], case_id, link_base=LINK_BASE)
    review = move_case(
        sf, hall["reception"], case_id, CaseState.UNDER_REVIEW, expected_version=sent.change.version
    )
    returned = move_case(
        sf,
        hall["review"],
        case_id,
        CaseState.RETURNED,
        expected_version=review.version,
        reason="照片模糊，请重新拍摄碰撞部位",
    )
    again = send_guidance_sms(
        sf, hall["review"], case_id, link_base=LINK_BASE, expected_version=returned.version
    )
    assert again.change.state is CaseState.RETURNED
    assert len(outbox(hall)) == 2
    assert events(hall, case_id)[-1].kind == "guidance_sms_queued"
    assert events(hall, case_id)[-1].position == "review"


def test_a_landline_caller_is_refused_until_a_mobile_is_typed(hall: Hall) -> None:
    case_id = new_case(hall, caller_phone=LANDLINE)
    assert case_row(hall, case_id).caller_phone is not None, "cases accept landlines"
    before = snapshot(hall)
    with pytest.raises(RuleViolation) as refused:
        send_guidance_sms(hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE)
    assert refused.value.code == "guidance.not_mobile"
    assert "8221234" in refused.value.message
    assert snapshot(hall) == before

    queued = send_guidance_sms(
        hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE, to=MOBILE
    )
    (message,) = outbox(hall)
    assert message.destination == MOBILE == queued.to
    assert case_row(hall, case_id).state == CaseState.COLLECTING.value


def test_a_case_with_no_number_asks_for_one(hall: Hall) -> None:
    case_id = new_case(hall, caller_phone=None)
    before = snapshot(hall)
    with pytest.raises(RuleViolation) as refused:
        send_guidance_sms(hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE)
    assert refused.value.code == "guidance.no_number"
    with pytest.raises(RuleViolation) as typed_landline:
        send_guidance_sms(
            hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE, to=LANDLINE
        )
    assert typed_landline.value.code == "guidance.not_mobile"
    assert snapshot(hall) == before


def test_a_case_past_uploading_is_refused(hall: Hall) -> None:
    case_id = new_case(hall)
    moved = move_case(
        hall.session_factory,
        hall["reception"],
        case_id,
        CaseState.UNDER_REVIEW,
        expected_version=case_row(hall, case_id).version,
    )
    escalated_id = new_case(hall)
    move_case(
        hall.session_factory,
        hall["reception"],
        escalated_id,
        CaseState.ESCALATED,
        expected_version=None,
        reason="一人受伤",
    )
    before = snapshot(hall)
    for target, version in ((case_id, moved.version), (escalated_id, None)):
        with pytest.raises(RuleViolation) as refused:
            send_guidance_sms(
                hall.session_factory,
                hall["reception"],
                target,
                link_base=LINK_BASE,
                expected_version=version,
            )
        assert refused.value.code == "guidance.wrong_state"
    assert refused.value.params["state"] == "escalated"
    assert snapshot(hall) == before


@pytest.mark.parametrize("who", ["claims", "officer", "lookup", "patrol"])
def test_a_position_that_does_not_guide_callers_is_denied(hall: Hall, who: str) -> None:
    case_id = new_case(hall)
    before = snapshot(hall)
    with pytest.raises(PermissionDenied) as denied:
        send_guidance_sms(hall.session_factory, hall[who], case_id, link_base=LINK_BASE)
    assert denied.value.code == "permission.denied"
    assert denied.value.params["action"] == "send_guidance"
    assert snapshot(hall) == before


def test_the_supervisor_may_send_guidance(hall: Hall) -> None:
    case_id = new_case(hall)
    queued = send_guidance_sms(
        hall.session_factory, hall["supervisor"], case_id, link_base=LINK_BASE
    )
    assert queued.change.state is CaseState.COLLECTING


def test_a_stale_copy_of_the_case_is_refused(hall: Hall) -> None:
    case_id = new_case(hall)
    first = send_guidance_sms(hall.session_factory, hall["reception"], case_id, link_base=LINK_BASE)
    before = snapshot(hall)
    with pytest.raises(StaleEdit) as stale:
        send_guidance_sms(
            hall.session_factory,
            hall["reception"],
            case_id,
            link_base=LINK_BASE,
            expected_version=first.change.version - 1,
        )
    assert stale.value.code == "case.stale"
    assert stale.value.params["actual"] == first.change.version
    assert snapshot(hall) == before


def test_a_link_base_that_is_not_a_web_address_is_a_programming_error(hall: Hall) -> None:
    case_id = new_case(hall)
    before = snapshot(hall)
    with pytest.raises(ValueError, match="http"):
        send_guidance_sms(
            hall.session_factory, hall["reception"], case_id, link_base="kc.dyjj.example.cn"
        )
    assert snapshot(hall) == before
