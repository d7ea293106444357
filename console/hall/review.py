"""Online review: record the record look-ups, load what the review seat shows, approve (the
evacuation order) or return with reasons.

The checklist is computed here from the database on every decision, never taken from the
screen: a stale view cannot approve a case whose licence check failed a second ago. Approve
and return each write the move, the SMS to the parties and the note to the parties' app into
the outbox in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.db.models import (
    Case,
    CaseAttachment,
    LookupResult,
    OutboxMessage,
    Party,
    RefusedFile,
    Submission,
)
from console.domain import validation
from console.domain.deadlines import to_local
from console.domain.eligibility import VehicleFacts, parse_licence_classes
from console.domain.errors import RuleViolation
from console.domain.lifecycle import OFF_TRACK_STATES, TERMINAL_STATES, CaseState
from console.domain.masking import mask_phone, must_mask
from console.domain.review import (
    PHOTO_NAMES_ZH,
    RETURN_TEXTS_ZH,
    Checklist,
    CheckStatus,
    Judgements,
    RefusedPhoto,
    ReturnCode,
    ReviewFacts,
    review_checklist,
)
from console.hall.actor import Actor
from console.hall.cases import CaseChange, apply_move, change_of, check_version, load_case
from console.hall.journal import SessionFactory, enqueue_outbox, record_event, utcnow, write
from console.hall.visibility import blob_visible, require_case_visible

LOOKUP_CHECKS: Final = ("licence", "registration", "insurance")
DUPLICATE_WINDOW: Final = timedelta(hours=24)
_CLOSED: Final = tuple(s.value for s in TERMINAL_STATES | OFF_TRACK_STATES)

# GA 24.4 vehicle type → the licence class it needs (the common cases; others: unknown).
_CLASS_BY_TYPE_PREFIX: Final = (
    ("K1", "A1"),
    ("K2", "B1"),
    ("K3", "C1"),
    ("K4", "C1"),
    ("H1", "A2"),
    ("H2", "B2"),
    ("H3", "C1"),
    ("H4", "C1"),
    ("M1", "D"),
    ("M2", "E"),
)


def required_licence_class(vehicle_type: str | None) -> str | None:
    if not vehicle_type:
        return None
    for prefix, licence_class in _CLASS_BY_TYPE_PREFIX:
        if vehicle_type.upper().startswith(prefix):
            return licence_class
    return None


@dataclass(frozen=True, slots=True)
class LookupAnswer:
    """One record check for one party, as the worker got it from the gateway.

    `facts`: licence {valid_until, status, classes}; registration {registration_valid_until,
    inspection_valid_until, status: [...], vehicle_type}; insurance {compulsory: {policy_no,
    insurer_code, valid_from, valid_until} | None}. `not_found`: the records have no such
    licence or vehicle. `error`: the look-up failed; the check stays unknown.
    """

    party_letter: str
    check: str
    facts: Mapping[str, Any]
    source: str
    answered_at: datetime
    not_found: bool = False
    error: str | None = None


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def vehicle_facts(
    letter: str, movable: bool | None, rows: Mapping[str, LookupResult]
) -> VehicleFacts:
    """What the look-ups established about one party's driver and vehicle (None: not known)."""

    def answered(check: str) -> Mapping[str, Any]:
        row = rows.get(check)
        return row.details if row is not None and not row.details.get("error") else {}

    lic, reg, ins = answered("licence"), answered("registration"), answered("insurance")
    statuses = reg.get("status")
    compulsory = ins.get("compulsory") if ins else None
    insured_from = insured_until = None
    if ins and isinstance(compulsory, Mapping):
        insured_from, insured_until = (
            _day(compulsory.get("valid_from")),
            _day(compulsory.get("valid_until")),
        )
    elif ins:
        # Answered, and no compulsory policy covers the date: an empty period fails the check.
        insured_from, insured_until = date.max, date.min
    classes = lic.get("classes")
    if not isinstance(classes, str) or not _valid_classes(classes):
        classes = None
    return VehicleFacts(
        party=letter,
        drivable=movable,
        licence_valid_until=_day(lic.get("valid_until")) if lic else None,
        licence_status_normal=(lic.get("status") == "normal" and not lic.get("not_found"))
        if lic
        else None,
        licence_classes=classes,
        required_licence_class=required_licence_class(reg.get("vehicle_type")) if reg else None,
        registration_valid_until=_day(reg.get("inspection_valid_until")) if reg else None,
        registration_status_normal=(
            isinstance(statuses, list) and not ({"stolen", "scrapped", "seized"} & set(statuses))
        )
        if reg
        else None,
        compulsory_insurance_from=insured_from,
        compulsory_insurance_until=insured_until,
    )


def _valid_classes(printed: str) -> bool:
    try:
        parse_licence_classes(printed)
    except RuleViolation:
        return False
    return True


def _lookups(session: Session, case_id: int) -> dict[str, dict[str, LookupResult]]:
    found: dict[str, dict[str, LookupResult]] = {}
    for row in session.scalars(select(LookupResult).where(LookupResult.case_id == case_id)):
        found.setdefault(row.party_letter, {})[row.check_kind] = row
    return found


def _duplicates(session: Session, case: Case, plates: Sequence[str]) -> list[str]:
    if not plates:
        return []
    rows = session.scalars(
        select(Case.case_no)
        .join(Party, Party.case_id == Case.id)
        .where(
            Case.id != case.id,
            Case.state.not_in(_CLOSED),
            Party.plate_no.in_(plates),
            Case.occurred_at.between(
                case.occurred_at - DUPLICATE_WINDOW, case.occurred_at + DUPLICATE_WINDOW
            ),
        )
        .distinct()
        .order_by(Case.case_no)
    )
    return list(rows)


def review_facts(session: Session, case: Case, judgements: Judgements) -> ReviewFacts:
    parties = list(
        session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.letter))
    )
    photos = frozenset(
        (kind, letter)
        for kind, letter in session.execute(
            select(CaseAttachment.kind, CaseAttachment.party_letter).where(
                CaseAttachment.case_id == case.id
            )
        )
    )
    refused = tuple(
        RefusedPhoto(kind, letter, reason)
        for kind, letter, reason in session.execute(
            select(RefusedFile.kind, RefusedFile.party_letter, RefusedFile.reason).where(
                RefusedFile.case_id == case.id
            )
        )
    )
    lookups = _lookups(session, case.id)
    return ReviewFacts(
        occurred_at=case.occurred_at,
        party_letters=[p.letter for p in parties],
        vehicles=[
            vehicle_facts(p.letter, case.movable, lookups.get(p.letter, {})) for p in parties
        ],
        photos=photos,
        refused=refused,
        district=case.district,
        injuries=case.injuries,
        drink_or_drugs=case.drink_or_drugs,
        plates_suspect=case.plates_suspect,
        dangerous_goods=case.dangerous_goods,
        party_fled=case.party_fled,
        deliberate=case.deliberate,
        duplicates=_duplicates(session, case, [p.plate_no for p in parties if p.plate_no]),
        judgements=judgements,
    )


def _outcome(checklist: Checklist, letter: str, check: str) -> str:
    codes = {
        "licence": ("licence_expired", "licence_status", "licence_class"),
        "registration": ("registration_expired", "registration_status"),
        "insurance": ("no_compulsory_insurance",),
    }[check]
    statuses = [
        i.status
        for i in checklist.items
        if i.party_letter == letter and i.key.startswith("doc:") and i.key.endswith(codes)
    ]
    if CheckStatus.FAIL in statuses:
        return "fail"
    if CheckStatus.UNKNOWN in statuses or not statuses:
        return "unknown"
    return "pass"


def record_lookups(
    session_factory: SessionFactory, case_id: int, answers: Sequence[LookupAnswer]
) -> CaseChange:
    """Keep the latest answer per party and check (the cache the review seat reads), with its
    pass / fail / unknown as the checklist judges it, and one case event for the batch."""
    for answer in answers:
        if answer.check not in LOOKUP_CHECKS:
            raise ValueError(f"unknown look-up {answer.check!r}")
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        dialect = session.get_bind().dialect.name
        builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for answer in answers:
            details = dict(answer.facts)
            if answer.not_found:
                details["not_found"] = True
            if answer.error:
                details["error"] = answer.error
            values = {
                "case_id": case.id,
                "party_letter": answer.party_letter,
                "check_kind": answer.check,
                "outcome": "unknown",  # judged below, with every answer of the case in place
                "source": answer.source[:32],
                "answered_at": answer.answered_at,
                "details": details,
            }
            statement = builder(LookupResult).values(**values)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["case_id", "party_letter", "check_kind"],
                    set_={k: statement.excluded[k] for k in values if k != "case_id"},
                )
            )
        session.expire_all()
        case = load_case(session, case_id)
        checklist = review_checklist(review_facts(session, case, Judgements()))
        rows = _lookups(session, case.id)
        summary: dict[str, str] = {}
        for letter, checks in rows.items():
            for check, row in checks.items():
                if row.details.get("not_found"):
                    row.outcome = "fail"
                elif row.details.get("error"):
                    row.outcome = "unknown"
                else:
                    row.outcome = _outcome(checklist, letter, check)
                summary[f"{letter}.{check}"] = row.outcome
        case.updated_at = now
        session.flush()
        event_id = record_event(
            session, None, case.id, "records_checked", at=now, details={"results": summary}
        )
        return change_of(case, event_id)


@dataclass(frozen=True, slots=True)
class RecordSubject:
    """What the record checks need of one party."""

    letter: str
    name: str
    phone: str | None
    licence_number: str | None
    plate_no: str | None
    plate_type: str | None


def record_subjects(
    session_factory: SessionFactory, case_id: int
) -> tuple[datetime, list[RecordSubject]]:
    with session_factory() as session:
        case = load_case(session, case_id, lock=False)
        parties = session.scalars(
            select(Party).where(Party.case_id == case.id).order_by(Party.letter)
        ).all()
        return case.occurred_at, [
            RecordSubject(p.letter, p.name, p.phone, p.licence_number, p.plate_no, p.plate_type)
            for p in parties
        ]


def checklist_for(
    session_factory: SessionFactory, case_id: int, judgements: Judgements
) -> Checklist:
    with session_factory() as session:
        case = load_case(session, case_id, lock=False)
        return review_checklist(review_facts(session, case, judgements))


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class ReturnItem:
    code: ReturnCode
    party_letter: str | None = None
    photo_kind: str | None = None
    text: str = ""

    def text_zh(self) -> str:
        if self.text.strip():
            return self.text.strip()[:200]
        photo = PHOTO_NAMES_ZH.get(self.photo_kind or "", "")
        if self.party_letter and self.photo_kind:
            photo = f"{self.party_letter}方{photo}"
        return RETURN_TEXTS_ZH[self.code].format(photo=photo, party=self.party_letter or "")


def _party_mobiles(session: Session, case: Case) -> list[str]:
    numbers = [case.caller_phone] if case.caller_phone else []
    numbers += [
        p for p in session.scalars(select(Party.phone).where(Party.case_id == case.id)) if p
    ]
    return sorted({n for n in numbers if validation.is_mobile(n)})


def _notify(
    session: Session,
    case: Case,
    *,
    template: str,
    params: dict[str, str],
    review: dict[str, Any],
    at: datetime,
    round_key: str,
) -> list[int]:
    """Queue the SMS to the parties and the outcome note to each open submission's app."""
    ids = []
    mobiles = _party_mobiles(session, case)
    if mobiles:
        message = enqueue_outbox(
            session,
            kind="sms",
            destination=",".join(mobiles),
            payload={
                "template": template,
                "params": params,
                "case_no": case.case_no,
                "to": mobiles,
            },
            case_id=case.id,
            at=at,
            idempotency_key=f"{template}:{case.id}:{round_key}",
        )
        session.flush()
        ids.append(message.id)
    submissions = session.scalars(
        select(Submission).where(Submission.case_id == case.id, Submission.state == "received")
    ).all()
    for submission in submissions:
        submission.state = review["outcome"]
        message = enqueue_outbox(
            session,
            kind="submission_review",
            destination=submission.external_id,
            payload={**review, "case_no": case.case_no},
            case_id=case.id,
            at=at,
            idempotency_key=f"review:{submission.external_id}:{submission.round}",
        )
        session.flush()
        ids.append(message.id)
    return ids


def approve_review(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    expected_version: int | None,
    judgements: Judgements,
) -> CaseChange:
    """The evacuation order (撤离): every checklist item passed; the parties get the SMS."""
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        checklist = review_checklist(review_facts(session, case, judgements))
        if not checklist.clean:
            pending = [i.finding.code for i in checklist.failures + checklist.open_items]
            raise RuleViolation(
                "review.not_clean",
                f"Case {case.case_no} cannot be approved: {len(checklist.failures)} items "
                f"failed and {len(checklist.open_items)} are open",
                case_no=case.case_no,
                failed=len(checklist.failures),
                open=len(checklist.open_items),
                items=", ".join(pending),
            )
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.EVACUATED,
            reason=None,
            details={"judgements": _judged(judgements)},
            at=now,
        )
        _notify(
            session,
            case,
            template="evacuate",
            params={"case_no": case.case_no},
            review={"outcome": "approved", "reviewer_seat": actor.seat, "reasons": []},
            at=now,
            round_key=str(event_id),
        )
        return change_of(case, event_id)


def return_review(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    expected_version: int | None,
    reasons: Sequence[ReturnItem],
) -> CaseChange:
    """Send the case back to the parties with one or more reasons they can fix."""
    if not reasons:
        raise RuleViolation("review.no_reasons", "Choose at least one reason to return the case")
    texts = [r.text_zh() for r in reasons]
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.RETURNED,
            reason="；".join(texts),
            details={"reasons": [r.code.value for r in reasons]},
            at=now,
        )
        _notify(
            session,
            case,
            template="returned",
            params={"case_no": case.case_no, "reasons": "；".join(texts)[:200]},
            review={
                "outcome": "returned",
                "reviewer_seat": actor.seat,
                "reasons": [
                    {
                        "code": r.code.value,
                        "party_letter": r.party_letter,
                        **({"photo_kind": r.photo_kind} if r.photo_kind else {}),
                        "text": t,
                    }
                    for r, t in zip(reasons, texts, strict=True)
                ],
            },
            at=now,
            round_key=str(event_id),
        )
        return change_of(case, event_id)


def _judged(judgements: Judgements) -> dict[str, bool | None]:
    return {
        "photos_legible": judgements.photos_legible,
        "damage_consistent": judgements.damage_consistent,
        "not_duplicate": judgements.not_duplicate,
    }


# ---------------------------------------------------------------- what the seat shows


@dataclass(frozen=True, slots=True)
class PhotoRef:
    sha256: str
    kind: str
    party_letter: str | None
    mime: str
    width: int | None
    height: int | None
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class RefusedRef:
    kind: str
    party_letter: str | None
    reason: str
    detail: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LookupView:
    party_letter: str
    check: str
    outcome: str
    source: str
    answered_at: datetime
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SmsView:
    template: str
    to: str
    state: str  # pending, sent, dead
    delivery: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class PartyRow:
    letter: str
    name: str
    plate_no: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    case_id: int
    case_no: str
    state: CaseState
    version: int
    accident_day: date
    place: str
    assignee_id: int | None
    parties: tuple[PartyRow, ...]
    photos: tuple[PhotoRef, ...]
    refused: tuple[RefusedRef, ...]
    lookups: tuple[LookupView, ...]
    sms: tuple[SmsView, ...]
    facts: ReviewFacts


def load_review(
    session_factory: SessionFactory, case_id: int, *, insurer_org_id: int | None = None
) -> ReviewDetail:
    """Everything the review seat shows for one case except the photo bytes (`load_photos`).
    An insurer's seat (`insurer_org_id`) gets only its company's cases, with the phones of the
    parties other companies insure masked."""
    from console.db.models import Attachment

    with session_factory() as session:
        require_case_visible(session, case_id, insurer_org_id)
        case = load_case(session, case_id, lock=False)
        photos = tuple(
            PhotoRef(a.sha256, a.kind, a.party_letter, mime, a.width, a.height, a.uploaded_at)
            for a, mime in session.execute(
                select(CaseAttachment, Attachment.mime)
                .join(Attachment, Attachment.sha256 == CaseAttachment.sha256)
                .where(CaseAttachment.case_id == case.id)
                .order_by(CaseAttachment.uploaded_at, CaseAttachment.id)
            )
        )
        refused = tuple(
            RefusedRef(r.kind, r.party_letter, r.reason, r.detail, r.at)
            for r in session.scalars(
                select(RefusedFile).where(RefusedFile.case_id == case.id).order_by(RefusedFile.id)
            )
        )
        lookups = tuple(
            LookupView(
                r.party_letter, r.check_kind, r.outcome, r.source, r.answered_at, dict(r.details)
            )
            for r in session.scalars(
                select(LookupResult)
                .where(LookupResult.case_id == case.id)
                .order_by(LookupResult.party_letter, LookupResult.check_kind)
            )
        )
        sms = tuple(
            SmsView(
                str(m.payload.get("template", "")),
                m.destination,
                m.state,
                m.delivery,
                m.delivery_at or m.sent_at or m.created_at,
            )
            for m in session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.case_id == case.id, OutboxMessage.kind == "sms")
                .order_by(OutboxMessage.id)
            )
        )
        return ReviewDetail(
            case_id=case.id,
            case_no=case.case_no,
            state=CaseState(case.state),
            version=case.version,
            accident_day=to_local(case.occurred_at).date(),
            place=case.place_text,
            assignee_id=case.assignee_id,
            parties=tuple(
                PartyRow(
                    p.letter,
                    p.name,
                    p.plate_no,
                    mask_phone(p.phone) if must_mask(insurer_org_id, p.insurer_org_id) else p.phone,
                )
                for p in session.scalars(
                    select(Party).where(Party.case_id == case.id).order_by(Party.letter)
                )
            ),
            photos=photos,
            refused=refused,
            lookups=lookups,
            sms=sms,
            facts=review_facts(session, case, Judgements()),
        )


def load_photos(
    session_factory: SessionFactory,
    sha256s: Sequence[str],
    *,
    insurer_org_id: int | None = None,
) -> dict[str, bytes]:
    """The stored bytes by SHA-256; one asked for but not stored is absent. With
    `insurer_org_id`, so is one that belongs to no case of that company."""
    from console.db.models import Attachment

    if not sha256s:
        return {}
    query = select(Attachment.sha256, Attachment.content).where(
        Attachment.sha256.in_(list(sha256s))
    )
    if insurer_org_id is not None:
        query = query.where(blob_visible(Attachment.sha256, insurer_org_id))
    with session_factory() as session:
        return {digest: bytes(content) for digest, content in session.execute(query)}
