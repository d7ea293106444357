"""Insurer isolation in the use cases (issue 8, docs/isolation.md): an insurer's staff see and
change only cases in which a party is insured by their company.

Every read and write an insurer's seat can reach applies the rule here, on both backends; on
PostgreSQL the company's database role is held to the same rule by row-level security, so a
gap in a query still leaks nothing there. A case the insurer may not see is refused exactly like
a case that does not exist (NotFound), so the refusal does not reveal that another company's
customer had an accident.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from console.db.models import CaseAttachment, Evidence, Letter, Party
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import NotFound

__all__ = ["blob_visible", "case_visible", "insurer_of", "require_case_visible"]

NO_COMPANY = 0
"""The company of a claims seat whose user belongs to none: no organisation has this id, so
such a seat sees no case at all."""


def insurer_of(actor: Actor) -> int | None:
    """The company an actor is confined to: its own for a claims seat; None (the whole hall)
    for every police-side position."""
    if actor.position is not Position.CLAIMS:
        return None
    return actor.org_id if actor.org_id is not None else NO_COMPANY


def case_visible(case_id: Any, insurer_org_id: int) -> ColumnElement[bool]:
    """SQL: the case (a column or a value) has a party insured by the company."""
    return exists().where(Party.case_id == case_id, Party.insurer_org_id == insurer_org_id)


def blob_visible(sha256: Any, insurer_org_id: int) -> ColumnElement[bool]:
    """SQL: a stored blob is a photo, a letter or footage of one of the company's cases."""
    return or_(
        exists().where(
            CaseAttachment.sha256 == sha256,
            case_visible(CaseAttachment.case_id, insurer_org_id),
        ),
        exists().where(Letter.pdf_sha256 == sha256, case_visible(Letter.case_id, insurer_org_id)),
        exists().where(Evidence.sha256 == sha256, case_visible(Evidence.case_id, insurer_org_id)),
    )


def require_case_visible(session: Session, case_id: int, insurer_org_id: int | None) -> None:
    """Refuse a case the company may not see as if it did not exist; no-op for the police."""
    if insurer_org_id is None:
        return
    if not session.scalar(select(case_visible(case_id, insurer_org_id))):
        raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
