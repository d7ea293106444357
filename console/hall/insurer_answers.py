"""Insurers' answers to the push, recorded on the case: the report number (报案号), then the
survey, the assessed amount and the payout, on the claim of the party the insurer covers.

Answers come from the gateway's log, possibly twice and possibly late: a stage never moves
backwards and a repeated answer changes nothing. Each change is a case event (no seat: the
insurer's system did it), so every seat sees the claim move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.db.models import CLAIM_STAGES, Case, CaseEvent, Claim, Organisation, Party
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory, record_event, utcnow, write

_ORDER: Final = {stage: index for index, stage in enumerate(CLAIM_STAGES)}
DECLINED: Final = "declined"


@dataclass(frozen=True, slots=True)
class AnswerInput:
    insurer_code: str
    case_no: str
    party_letter: str
    stage: str  # reported, surveying, assessed, paid; or declined (with a note)
    report_no: str | None = None
    assessed_amount: Decimal | None = None
    paid_amount: Decimal | None = None
    paid_at: datetime | None = None
    repair_shop: str | None = None
    note: str | None = None


def record_insurer_answer(session_factory: SessionFactory, answer: AnswerInput) -> bool:
    """Returns whether the claim changed. Unknown case, insurer or party: NotFound (the
    worker logs it; the insurer answered about something the hall does not have)."""
    if answer.stage not in _ORDER and answer.stage != DECLINED:
        raise ValueError(f"unknown claim stage {answer.stage!r}")
    now = utcnow()
    with write(session_factory) as session:
        case = session.scalars(
            select(Case).where(Case.case_no == answer.case_no).with_for_update()
        ).one_or_none()
        if case is None:
            raise NotFound("case.not_found", f"No case {answer.case_no}", case_id=answer.case_no)
        insurer = session.scalars(
            select(Organisation).where(
                Organisation.code == answer.insurer_code, Organisation.kind == "insurer"
            )
        ).one_or_none()
        party = session.scalars(
            select(Party).where(Party.case_id == case.id, Party.letter == answer.party_letter)
        ).one_or_none()
        if insurer is None or party is None:
            raise NotFound(
                "claim.not_found",
                f"Case {case.case_no} has no party {answer.party_letter} insured by "
                f"{answer.insurer_code}",
                case_no=case.case_no,
            )
        claim = session.scalars(
            select(Claim).where(
                Claim.case_id == case.id,
                Claim.party_id == party.id,
                Claim.insurer_org_id == insurer.id,
            )
        ).one_or_none()
        if claim is None:
            claim = Claim(
                case_id=case.id,
                party_id=party.id,
                insurer_org_id=insurer.id,
                stage="notified",
                created_at=now,
            )
            session.add(claim)
            session.flush()
        if answer.stage == DECLINED:
            return _record_declined(
                session, case=case, insurer=insurer, party=party, answer=answer, at=now
            )
        before = (claim.stage, claim.report_no, claim.assessed_amount, claim.paid_amount)
        if _ORDER[answer.stage] > _ORDER[claim.stage]:
            claim.stage = answer.stage
        claim.report_no = claim.report_no or answer.report_no
        if answer.assessed_amount is not None:
            claim.assessed_amount = answer.assessed_amount
        if answer.paid_amount is not None:
            claim.paid_amount = answer.paid_amount
            claim.paid_at = answer.paid_at or now
        if answer.repair_shop:
            claim.repair_shop = answer.repair_shop[:128]
        after = (claim.stage, claim.report_no, claim.assessed_amount, claim.paid_amount)
        if after == before:
            return False
        session.flush()
        record_event(
            session,
            None,
            case.id,
            "insurer_answered",
            at=now,
            details={
                "insurer": insurer.code,
                "party": party.letter,
                "stage": claim.stage,
                "report_no": claim.report_no,
                "assessed_amount": str(claim.assessed_amount)
                if claim.assessed_amount is not None
                else None,
                "paid_amount": str(claim.paid_amount) if claim.paid_amount is not None else None,
                "paid_at": claim.paid_at.isoformat() if claim.paid_at is not None else None,
            },
        )
        return True


def _record_declined(
    session: Session,
    *,
    case: Case,
    insurer: Organisation,
    party: Party,
    answer: AnswerInput,
    at: datetime,
) -> bool:
    """The insurer refuses the claim: the stage stays where it is (a refusal is what the
    non-payment complaint is for) and the refusal with its note is a case event, once."""
    details = {"insurer": insurer.code, "party": party.letter, "note": (answer.note or "")[:500]}
    seen = session.scalars(
        select(CaseEvent.details).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "insurer_declined"
        )
    ).all()
    if any(d == details for d in seen):
        return False
    record_event(session, None, case.id, "insurer_declined", at=at, details=details)
    return True
