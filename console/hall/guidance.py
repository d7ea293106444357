"""The guidance SMS (引导短信): tell the parties how to move to safety and where to upload.

Reception sends it while the caller is still on the line; review re-sends it after a return.
The message goes into the outbox in the same transaction as the case event (and, for a new
case, the move to COLLECTING), so it leaves the building after commit or not at all, and a
receiver that is down delays it without losing it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from console.domain import validation
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor
from console.hall.cases import (
    CaseChange,
    apply_move,
    change_of,
    check_not_held_by_other,
    check_version,
    load_case,
)
from console.hall.journal import SessionFactory, enqueue_outbox, record_event, utcnow, write
from console.hall.permissions import Action, require

# Sent to citizens, so always in Chinese whatever language the seat's screen speaks.
GUIDANCE_TEXT: Final = (
    "【警保联动】您报的交通事故已受理，案件编号{case_no}。"
    "请开启危险报警闪光灯、在车后放置警告标志，人员撤至安全处；"
    "拍摄车辆前后45度、碰撞部位及双方驾驶证、行驶证照片，并通过以下链接上传：{link} "
    "如有人员受伤或车辆无法移动，请立即拨打122。"
)
SENDABLE_STATES: Final = frozenset({CaseState.NEW, CaseState.COLLECTING, CaseState.RETURNED})
"""States in which the parties are expected to (re)upload, so guidance makes sense."""


@dataclass(frozen=True, slots=True)
class GuidanceQueued:
    change: CaseChange
    outbox_id: int
    to: str
    link: str


def submission_link(base_url: str, case_no: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/submit/{quote(case_no)}?t={quote(token)}"


def send_guidance_sms(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    link_base: str,
    expected_version: int | None = None,
    to: str | None = None,
) -> GuidanceQueued:
    """Queue the guidance SMS to `to` (else the caller's number); a NEW case moves to
    COLLECTING in the same transaction. A landline is refused with a reason: type a mobile."""
    require(actor, Action.SEND_GUIDANCE)
    if not link_base.startswith(("https://", "http://")):
        raise ValueError(f"link_base must be an http(s) URL, not {link_base!r}")
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        state = CaseState(case.state)
        if state not in SENDABLE_STATES:
            raise RuleViolation(
                "guidance.wrong_state",
                f"Case {case.case_no} is {state.value}; guidance goes out only while the "
                "parties are to upload",
                case_no=case.case_no,
                state=state.value,
            )
        check_not_held_by_other(session, case, actor)
        number = (to or case.caller_phone or "").strip()
        if not number:
            raise RuleViolation(
                "guidance.no_number",
                f"Case {case.case_no} has no number to text; type the caller's mobile",
                case_no=case.case_no,
            )
        if not validation.is_mobile(number):
            raise RuleViolation(
                "guidance.not_mobile",
                f"{number} cannot receive an SMS; ask the caller for a mobile number",
                number=number,
            )
        mobile = validation.validate_mobile(number)
        token = secrets.token_urlsafe(12)
        link = submission_link(link_base, case.case_no, token)
        text = GUIDANCE_TEXT.format(case_no=case.case_no, link=link)
        message = enqueue_outbox(
            session,
            kind="sms",
            destination=mobile,
            payload={"template": "guidance", "text": text, "case_no": case.case_no, "link": link},
            case_id=case.id,
            at=now,
            idempotency_key=f"guidance:{case.id}:{token}",
        )
        session.flush()
        details = {"outbox_id": message.id, "to": mobile, "token": token}
        if state is CaseState.NEW:
            event_id = apply_move(
                session, actor, case, CaseState.COLLECTING, reason=None, details=details, at=now
            )
        else:
            case.updated_at = now
            session.flush()
            event_id = record_event(
                session, actor, case.id, "guidance_sms_queued", at=now, details=details
            )
        return GuidanceQueued(change_of(case, event_id), message.id, mobile, link)
