"""Intake of the parties' uploads (12123, WeChat …): match the upload to its case, store the
photos, record what was refused, and put the case in front of the review seat.

The submission is matched by the case number the guidance SMS link carried, then by the
122 call it follows, then by a party's phone on an open case of the last day; otherwise it
opens a new case. Photos are content-addressed (SHA-256): a photo uploaded twice is stored
once. Files the worker found unusable arrive as refusals and are kept as such, so nothing of
the submission is lost and the reviewer sees why a photo is missing. One transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.db.models import (
    PHOTO_KINDS,
    Attachment,
    Call,
    Case,
    CaseAttachment,
    Organisation,
    Party,
    RefusedFile,
    Submission,
)
from console.domain.errors import RuleViolation
from console.domain.lifecycle import OFF_TRACK_STATES, TERMINAL_STATES, CaseState
from console.domain.validation import validate_plate
from console.hall.cases import NewCase, PartyInput, apply_move, change_of, insert_case
from console.hall.journal import SessionFactory, record_event, utcnow, write

MATCH_WINDOW: Final = timedelta(hours=24)
_CLOSED: Final = tuple(s.value for s in TERMINAL_STATES | OFF_TRACK_STATES)
_INTO_REVIEW: Final = frozenset({CaseState.NEW, CaseState.COLLECTING, CaseState.RETURNED})


@dataclass(frozen=True, slots=True)
class IncomingPhoto:
    """One file of the upload: `content` and `mime` if it was accepted, else `refusal`
    (corrupt, too_large, wrong_type, empty, unreadable) with `detail`."""

    ref: str
    kind: str
    party_letter: str | None
    content: bytes | None
    mime: str | None
    width: int | None = None
    height: int | None = None
    claimed_mime: str | None = None
    size: int | None = None
    refusal: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class IncomingParty:
    letter: str
    name: str
    phone: str | None
    id_number: str | None = None
    licence_number: str | None = None
    licence_class: str | None = None
    plate_no: str | None = None
    plate_type: str | None = None
    vehicle_type: str | None = None
    insurer_code: str | None = None
    policy_no: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingSubmission:
    external_id: str
    channel: str
    submitted_at: datetime
    occurred_at: datetime
    parties: Sequence[IncomingParty]
    photos: Sequence[IncomingPhoto]
    case_no: str | None = None
    call_external_id: str | None = None
    place_text: str = ""
    district: str | None = None
    lat: float | None = None
    lon: float | None = None
    injuries: bool | None = None
    movable: bool | None = None
    data: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class IntakeResult:
    case_id: int
    case_no: str
    new_case: bool
    matched_by: str  # case_no, call, phone, new
    accepted: int
    refused: int
    duplicate_photos: int
    moved_to_review: bool
    round: int


def _find_case(session: Session, sub: IncomingSubmission) -> tuple[Case | None, str]:
    if sub.case_no:
        case = session.scalars(
            select(Case).where(Case.case_no == sub.case_no.strip()).with_for_update()
        ).one_or_none()
        if case is not None:
            return case, "case_no"
    if sub.call_external_id:
        case_id = session.scalar(
            select(Call.case_id).where(Call.external_id == sub.call_external_id)
        )
        if case_id is not None:
            return session.scalars(
                select(Case).where(Case.id == case_id).with_for_update()
            ).one(), "call"
    phones = sorted({p.phone for p in sub.parties if p.phone})
    if phones:
        query = (
            select(Case)
            .where(
                Case.state.not_in(_CLOSED),
                Case.created_at >= sub.submitted_at - MATCH_WINDOW,
                or_(
                    Case.caller_phone.in_(phones),
                    exists().where(Party.case_id == Case.id, Party.phone.in_(phones)),
                ),
            )
            .order_by(Case.created_at.desc(), Case.id.desc())
            .limit(1)
            .with_for_update()
        )
        case = session.scalars(query).one_or_none()
        if case is not None:
            return case, "phone"
    return None, "new"


def _check(sub: IncomingSubmission) -> None:
    if not sub.external_id.strip() or len(sub.external_id) > 64:
        raise RuleViolation("submission.bad_id", "The submission id must be 1 to 64 characters")
    if sub.submitted_at.tzinfo is None or sub.occurred_at.tzinfo is None:
        raise RuleViolation("submission.naive_time", "A submission time has no time zone")
    letters = [p.letter for p in sub.parties]
    if len(set(letters)) != len(letters) or not set(letters) <= {"A", "B", "C"}:
        raise RuleViolation(
            "submission.bad_parties",
            f"Parties must be lettered A to C once each, not {', '.join(letters)}",
            letters=", ".join(letters),
        )
    for photo in sub.photos:
        if photo.kind not in PHOTO_KINDS:
            raise RuleViolation(
                "submission.bad_photo_kind",
                f"Unknown photo kind {photo.kind!r}",
                kind=photo.kind,
            )


def _store_blob(session: Session, content: bytes, mime: str, at: datetime) -> str:
    digest = hashlib.sha256(content).hexdigest()
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        builder(Attachment)
        .values(sha256=digest, size=len(content), mime=mime, content=content, created_at=at)
        .on_conflict_do_nothing(index_elements=[Attachment.sha256])
    )
    return digest


def _party_rows(session: Session, case: Case, parties: Sequence[IncomingParty]) -> None:
    """The parties' own data fills (or corrects) the case's party rows, letter by letter."""
    existing = {p.letter: p for p in session.scalars(select(Party).where(Party.case_id == case.id))}
    codes = {p.insurer_code for p in parties if p.insurer_code}
    insurers = (
        dict(
            session.execute(
                select(Organisation.code, Organisation.id).where(
                    Organisation.kind == "insurer", Organisation.code.in_(codes)
                )
            ).all()
        )
        if codes
        else {}
    )
    for incoming in parties:
        plate = None
        if incoming.plate_no:
            try:
                plate = validate_plate(incoming.plate_no).text
            except RuleViolation:
                plate = incoming.plate_no.strip().upper()[:16]  # shown as typed; review judges
        values = {
            "name": incoming.name.strip()[:64] or f"{incoming.letter}方",
            "phone": incoming.phone,
            "id_number": incoming.id_number,
            "licence_number": incoming.licence_number,
            "licence_class": incoming.licence_class,
            "plate_no": plate,
            "plate_type": incoming.plate_type,
            # The insurer the party named, if the hall knows it (claims seats see by it).
            "insurer_org_id": insurers.get(incoming.insurer_code or ""),
        }
        row = existing.get(incoming.letter)
        if row is None:
            session.add(Party(case_id=case.id, letter=incoming.letter, **values))
        else:
            for name, value in values.items():
                if value is not None:
                    setattr(row, name, value)


def intake_submission(session_factory: SessionFactory, sub: IncomingSubmission) -> IntakeResult:
    """Record one upload (or a re-upload after a return). Idempotent per upload round: the
    same submission delivered twice adds nothing the second time."""
    _check(sub)
    now = utcnow()
    with write(session_factory) as session:
        known = session.scalars(
            select(Submission).where(Submission.external_id == sub.external_id).with_for_update()
        ).one_or_none()
        if known is not None:
            case = session.scalars(
                select(Case).where(Case.id == known.case_id).with_for_update()
            ).one()
            matched = "known"
            created = False
        else:
            found, matched = _find_case(session, sub)
            created = found is None
            if found is None:
                change = insert_case(
                    session,
                    None,
                    NewCase(
                        source="app",
                        occurred_at=sub.occurred_at,
                        place_text=sub.place_text or "（当事人未填写地点）",
                        district=sub.district,
                        lat=sub.lat,
                        lon=sub.lon,
                        caller_phone=next((p.phone for p in sub.parties if p.phone), None),
                        vehicle_count=len(sub.parties) or None,
                        injuries=sub.injuries,
                        movable=sub.movable,
                        parties=[PartyInput(name=p.name or f"{p.letter}方") for p in sub.parties],
                    ),
                    at=now,
                    details={"submission": sub.external_id},
                )
                case = session.scalars(select(Case).where(Case.id == change.case_id)).one()
            else:
                case = found
        seen = set(
            session.scalars(
                select(CaseAttachment.photo_ref).where(
                    CaseAttachment.case_id == case.id, CaseAttachment.photo_ref.is_not(None)
                )
            )
        )
        seen_refused = set(
            session.scalars(select(RefusedFile.photo_ref).where(RefusedFile.case_id == case.id))
        )
        if known is None:
            submission = Submission(
                external_id=sub.external_id,
                case_id=case.id,
                channel=sub.channel,
                state="received",
                round=1,
                submitted_at=sub.submitted_at,
                received_at=now,
                data=sub.data or {},
            )
            session.add(submission)
            session.flush()
        else:
            submission = known
            new_refs = {p.ref for p in sub.photos} - seen - seen_refused
            if new_refs or known.state == "returned":
                submission.round += 1
            submission.state = "received"
            submission.submitted_at = sub.submitted_at
            if sub.data:
                submission.data = sub.data
        _party_rows(session, case, sub.parties)
        # What the parties declared fills what nobody asked on the phone; a seat's answer stays.
        if case.injuries is None and sub.injuries is not None:
            case.injuries = sub.injuries
        if case.movable is None and sub.movable is not None:
            case.movable = sub.movable
        accepted = refused = duplicates = 0
        for photo in sub.photos:
            if photo.ref in seen or photo.ref in seen_refused:
                duplicates += 1
                continue
            if photo.content is not None and photo.mime is not None and photo.refusal is None:
                digest = _store_blob(session, photo.content, photo.mime, now)
                session.add(
                    CaseAttachment(
                        case_id=case.id,
                        sha256=digest,
                        kind=photo.kind,
                        party_letter=photo.party_letter,
                        uploaded_at=now,
                        uploaded_by=None,
                        source="app",
                        submission_id=submission.id,
                        photo_ref=photo.ref,
                        width=photo.width,
                        height=photo.height,
                    )
                )
                accepted += 1
            else:
                session.add(
                    RefusedFile(
                        submission_id=submission.id,
                        case_id=case.id,
                        photo_ref=photo.ref,
                        kind=photo.kind,
                        party_letter=photo.party_letter,
                        claimed_mime=photo.claimed_mime,
                        size=photo.size,
                        reason=photo.refusal or "unreadable",
                        detail=photo.detail[:500],
                        at=now,
                    )
                )
                refused += 1
        session.flush()
        details = {
            "submission": sub.external_id,
            "channel": sub.channel,
            "round": submission.round,
            "matched_by": matched,
            "accepted": accepted,
            "refused": refused,
        }
        state = CaseState(case.state)
        moved = state in _INTO_REVIEW
        if moved:
            event_id = apply_move(
                session, None, case, CaseState.UNDER_REVIEW, reason=None, details=details, at=now
            )
        else:
            case.updated_at = now
            session.flush()
            event_id = record_event(
                session, None, case.id, "materials_received", at=now, details=details
            )
        change = change_of(case, event_id)
        return IntakeResult(
            case_id=change.case_id,
            case_no=change.case_no,
            new_case=created,
            matched_by=matched,
            accepted=accepted,
            refused=refused,
            duplicate_photos=duplicates,
            moved_to_review=moved,
            round=submission.round,
        )
