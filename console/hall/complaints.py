"""Non-payment complaints (Shenzhen rule, DOMAIN.md "Insurers"): filing, the hall's call,
the sanction once the payment deadline passes, and payment, which lifts the watch-list entry.

Who may do what (kept here rather than in `permissions.PERMISSIONS`, which governs case work):
the lookup seat and the supervisor run complaints; an insurer's claims seat may file a
complaint and record a payment only against its own company — one insurer's staff never act
against a competitor — and sees only its own company's complaints. Calling the respondent and
sanctioning are the hall's (police side) job; the sanction run may also be the hall's own
timer, with no actor.

Sanctioning happens exactly once per complaint, also when two seats run it at the same moment:
candidate rows are taken `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite's write lock serialises),
the state change is a conditional UPDATE that only an unsanctioned row passes, and the outbox
rows carry per-complaint idempotency keys, unique in the table, as the last guard.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from console.db.models import (
    Camera,
    Case,
    CheckpointHit,
    Claim,
    Complaint,
    Organisation,
    Party,
    WatchlistEntry,
)
from console.domain.complaints import (
    DEFAULT_COMPLAINT_POLICY,
    SANCTIONABLE_STATES,
    UNPAID_STATES,
    ComplaintPolicy,
    ComplaintState,
    check_claimed_amount,
    check_fine,
    check_move,
    check_payment,
    contact_overdue,
    due_for_sanction,
    payment_overdue,
)
from console.domain.deadlines import DEFAULT_TIMER_POLICY, TimerPolicy, complaint_deadlines
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import (
    SessionFactory,
    enqueue_outbox,
    record_audit,
    record_event,
    utcnow,
    write,
)
from console.hall.visibility import require_case_visible

CHECKPOINT_DESTINATION: Final = "checkpoint"
CREDIT_BUREAU_DESTINATION: Final = "credit_bureau"
_REASON_MAX: Final = 2000


class ComplaintAction(StrEnum):
    FILE = "file_complaint"
    CONTACT = "record_contact"
    SANCTION = "sanction_complaint"
    PAYMENT = "record_payment"


P = Position
_ALLOWED: dict[ComplaintAction, frozenset[Position]] = {
    ComplaintAction.FILE: frozenset({P.LOOKUP, P.CLAIMS, P.SUPERVISOR}),
    ComplaintAction.CONTACT: frozenset({P.LOOKUP, P.SUPERVISOR}),
    ComplaintAction.SANCTION: frozenset({P.LOOKUP, P.SUPERVISOR}),
    ComplaintAction.PAYMENT: frozenset({P.LOOKUP, P.CLAIMS, P.SUPERVISOR}),
}


def _require(actor: Actor, action: ComplaintAction) -> None:
    if actor.position not in _ALLOWED[action]:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.value.replace('_', ' ')}",
            position=actor.position.value,
            action=action.value,
        )


def _own_company(actor: Actor) -> int | None:
    """The insurer an actor is confined to: their company for a claims seat, else None."""
    if actor.position is not Position.CLAIMS:
        return None
    if actor.org_id is None:
        raise PermissionDenied(
            "complaint.no_company",
            "A claims seat must belong to an insurer to work on complaints",
        )
    return actor.org_id


# ---------------------------------------------------------------- what changed


@dataclass(frozen=True, slots=True)
class ComplaintFiled:
    complaint_id: int
    case_id: int
    contact_due_at: datetime
    pay_due_at: datetime
    calendar_fallback: bool
    """The pay-by date was counted Monday–Friday for lack of the official calendar."""


@dataclass(frozen=True, slots=True)
class ComplaintChanged:
    complaint_id: int
    case_id: int
    state: ComplaintState


@dataclass(frozen=True, slots=True)
class Sanctioned:
    complaint_id: int
    case_id: int
    watchlist_entry_id: int
    plate_no: str
    fine_amount: Decimal


@dataclass(frozen=True, slots=True)
class SanctionRun:
    sanctioned: tuple[Sanctioned, ...]

    @property
    def complaint_ids(self) -> tuple[int, ...]:
        return tuple(s.complaint_id for s in self.sanctioned)


@dataclass(frozen=True, slots=True)
class PaymentRecorded:
    complaint_id: int
    case_id: int
    lifted_entry_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    """A complaint as the lookup and claims seats list it, with its alarm flags at `as_of`."""

    id: int
    case_id: int
    case_no: str
    party_letter: str | None
    plate_no: str | None
    respondent_org_id: int
    respondent_name_zh: str
    complainant_name: str
    reason: str
    state: ComplaintState
    filed_at: datetime
    contact_due_at: datetime
    contacted_at: datetime | None
    pay_due_at: datetime
    sanctioned_at: datetime | None
    fine_amount: Decimal | None
    paid_amount: Decimal | None
    paid_at: datetime | None
    closed_at: datetime | None
    as_of: datetime
    contact_overdue: bool
    payment_overdue: bool


# ---------------------------------------------------------------- use cases


def _text(value: str, *, empty: str, too_long: str, what: str) -> str:
    """The codes are spelled out at each call, so the translation check finds them."""
    text = value.strip()
    if not text:
        raise RuleViolation(empty, f"The {what} must not be empty")
    if len(text) > _REASON_MAX:
        raise RuleViolation(
            too_long,
            f"The {what} is {len(text)} characters; at most {_REASON_MAX} fit",
            length=len(text),
            limit=_REASON_MAX,
        )
    return text


def file_complaint(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    party_letter: str,
    insurer_org_id: int,
    reason: str,
    complainant_letter: str | None = None,
    amount_claimed: Decimal | None = None,
    now: datetime | None = None,
    policy: TimerPolicy = DEFAULT_TIMER_POLICY,
) -> ComplaintFiled:
    """File a complaint that `insurer_org_id`, insurer of party `party_letter` (whose vehicle
    would be watch-listed), has not paid. The complainant is `complainant_letter`, or the one
    other party of a two-party case. `amount_claimed` (what the complainant says is owed) is
    kept in the filing event's details."""
    _require(actor, ComplaintAction.FILE)
    own = _own_company(actor)
    if own is not None and own != insurer_org_id:
        raise PermissionDenied(
            "complaint.other_insurer",
            "An insurer's staff may file complaints only against their own company",
            insurer_org_id=insurer_org_id,
        )
    reason_text = _text(
        reason,
        empty="complaint.reason_required",
        too_long="complaint.reason_too_long",
        what="complaint reason",
    )
    claimed = check_claimed_amount(amount_claimed) if amount_claimed is not None else None
    at = now or utcnow()
    with write(session_factory) as session:
        require_case_visible(session, case_id, own)
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        parties = {p.letter: p for p in case.parties}
        respondent_party = parties.get(party_letter)
        if respondent_party is None:
            raise RuleViolation(
                "complaint.no_party",
                f"Case {case.case_no} has no party {party_letter}",
                case_no=case.case_no,
                letter=party_letter,
            )
        if respondent_party.insurer_org_id != insurer_org_id:
            raise RuleViolation(
                "complaint.insurer_mismatch",
                f"Party {party_letter} of case {case.case_no} is not insured by the named insurer",
                case_no=case.case_no,
                letter=party_letter,
            )
        if not respondent_party.plate_no or not respondent_party.plate_type:
            raise RuleViolation(
                "complaint.no_plate",
                f"Party {party_letter} of case {case.case_no} has no plate to put on the "
                "watch list",
                case_no=case.case_no,
                letter=party_letter,
            )
        complainant = _complainant(case.case_no, parties, party_letter, complainant_letter)
        duplicate = session.scalar(
            select(Complaint.id).where(
                Complaint.case_id == case_id,
                Complaint.party_letter == party_letter,
                Complaint.respondent_org_id == insurer_org_id,
                Complaint.state.in_([s.value for s in UNPAID_STATES]),
            )
        )
        if duplicate is not None:
            raise RuleViolation(
                "complaint.already_open",
                f"Complaint {duplicate} against this insurer about party {party_letter} of "
                f"case {case.case_no} is still open",
                complaint_id=duplicate,
                case_no=case.case_no,
                letter=party_letter,
            )
        deadlines = complaint_deadlines(at, policy)
        claim_id = session.scalar(
            select(Claim.id).where(
                Claim.case_id == case_id,
                Claim.party_id == respondent_party.id,
                Claim.insurer_org_id == insurer_org_id,
            )
        )
        complaint = Complaint(
            case_id=case_id,
            claim_id=claim_id,
            respondent_org_id=insurer_org_id,
            complainant_name=complainant.name,
            complainant_phone=complainant.phone or "",
            filed_at=at,
            filed_by=actor.user_id,
            contact_due_at=deadlines.contact_by,
            pay_due_at=deadlines.pay_by,
            state=ComplaintState.OPEN.value,
            party_letter=party_letter,
            reason=reason_text,
        )
        session.add(complaint)
        session.flush()
        record_event(
            session,
            actor,
            case_id,
            "complaint_filed",
            at=at,
            reason=reason_text,
            details={
                "complaint_id": complaint.id,
                "party_letter": party_letter,
                "complainant_letter": complainant.letter,
                "respondent_org_id": insurer_org_id,
                "contact_due_at": deadlines.contact_by.isoformat(),
                "pay_due_at": deadlines.pay_by.isoformat(),
                "calendar_fallback": deadlines.calendar_fallback,
                **({"amount_claimed": str(claimed)} if claimed is not None else {}),
            },
        )
        return ComplaintFiled(
            complaint.id,
            case_id,
            deadlines.contact_by,
            deadlines.pay_by,
            deadlines.calendar_fallback,
        )


def _complainant(
    case_no: str, parties: dict[str, Party], respondent: str, letter: str | None
) -> Party:
    if letter is None:
        others = [p for key, p in parties.items() if key != respondent]
        if len(others) != 1:
            raise RuleViolation(
                "complaint.complainant_required",
                f"Case {case_no} does not have exactly one other party; name the complainant",
                case_no=case_no,
            )
        return others[0]
    if letter == respondent or letter not in parties:
        raise RuleViolation(
            "complaint.bad_complainant",
            f"Party {letter} of case {case_no} cannot be the complainant",
            case_no=case_no,
            letter=letter,
        )
    return parties[letter]


def _locked_complaint(session: Session, actor: Actor | None, complaint_id: int) -> Complaint:
    """The complaint under a row lock; another insurer's complaint does not exist for a
    claims seat."""
    complaint = session.get(Complaint, complaint_id, with_for_update=True)
    own = _own_company(actor) if actor else None
    if complaint is None or (own is not None and complaint.respondent_org_id != own):
        raise NotFound(
            "complaint.not_found",
            f"Complaint {complaint_id} does not exist",
            complaint_id=complaint_id,
        )
    return complaint


def record_contact(
    session_factory: SessionFactory,
    actor: Actor,
    complaint_id: int,
    note: str,
    *,
    now: datetime | None = None,
) -> ComplaintChanged:
    """The hall called the respondent and ordered payment (due within 24 h of filing; a late
    call is still recorded, marked late)."""
    _require(actor, ComplaintAction.CONTACT)
    note_text = _text(
        note,
        empty="complaint.note_required",
        too_long="complaint.note_too_long",
        what="call note",
    )
    at = now or utcnow()
    with write(session_factory) as session:
        complaint = _locked_complaint(session, actor, complaint_id)
        check_move(ComplaintState(complaint.state), ComplaintState.CONTACTED)
        complaint.state = ComplaintState.CONTACTED.value
        complaint.contacted_at = at
        complaint.contact_note = note_text
        record_event(
            session,
            actor,
            complaint.case_id,
            "complaint_contacted",
            at=at,
            reason=note_text,
            details={
                "complaint_id": complaint.id,
                "late": at > complaint.contact_due_at,
            },
        )
        return ComplaintChanged(complaint.id, complaint.case_id, ComplaintState.CONTACTED)


def sanction_overdue(
    session_factory: SessionFactory,
    actor: Actor | None,
    now: datetime,
    *,
    fine: Decimal | None = None,
    policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY,
) -> SanctionRun:
    """Sanction every complaint unpaid past its deadline that is not sanctioned yet: the plate
    on the checkpoint watch list, the fine recorded and the credit bureau notified (both
    through the outbox). `actor` None: the hall's own timer."""
    if actor is not None:
        _require(actor, ComplaintAction.SANCTION)
    amount = check_fine(policy.fine if fine is None else fine, policy)
    sanctionable = [s.value for s in SANCTIONABLE_STATES]
    done: list[Sanctioned] = []
    with write(session_factory) as session:
        candidates = session.execute(
            select(
                Complaint.id,
                Complaint.case_id,
                Complaint.state,
                Complaint.sanctioned_at,
                Complaint.pay_due_at,
                Complaint.party_letter,
                Complaint.reason,
                Complaint.respondent_org_id,
            )
            .where(
                Complaint.state.in_(sanctionable),
                Complaint.sanctioned_at.is_(None),
                Complaint.pay_due_at < now,
            )
            .order_by(Complaint.id)
            .with_for_update(skip_locked=True)
        ).all()
        for row in candidates:
            if not due_for_sanction(
                ComplaintState(row.state), row.sanctioned_at, row.pay_due_at, now
            ):
                continue
            # Only a row still unsanctioned passes; a second seat's run updates nothing.
            won = session.execute(
                update(Complaint)
                .where(
                    Complaint.id == row.id,
                    Complaint.sanctioned_at.is_(None),
                    Complaint.state.in_(sanctionable),
                )
                .values(
                    state=ComplaintState.SANCTIONED.value,
                    sanctioned_at=now,
                    fine_amount=amount,
                    credit_notice_at=now,
                )
                .returning(Complaint.id)
                .execution_options(synchronize_session=False)
            ).scalar_one_or_none()
            if won is None:
                continue
            done.append(_sanction(session, actor, row, amount, now))
    return SanctionRun(tuple(done))


def _sanction(
    session: Session, actor: Actor | None, row: Any, amount: Decimal, now: datetime
) -> Sanctioned:
    case = session.get(Case, row.case_id)
    assert case is not None  # a foreign key holds it
    party = next((p for p in case.parties if p.letter == row.party_letter), None)
    insurer = session.get(Organisation, row.respondent_org_id)
    assert insurer is not None  # a foreign key holds it
    plate_type = party.plate_type if party and party.plate_type else ""
    plate_no = party.plate_no if party and party.plate_no else ""
    entry = WatchlistEntry(
        plate_type=plate_type,
        plate_no=plate_no,
        reason=f"complaint {row.id}: insurer {insurer.code} did not pay (case {case.case_no})"[
            :255
        ],
        complaint_id=row.id,
        added_at=now,
    )
    session.add(entry)
    session.flush()
    enqueue_outbox(
        session,
        kind="watchlist",
        destination=CHECKPOINT_DESTINATION,
        payload={
            "action": "add",
            "entry_id": entry.id,
            "plate_type": plate_type,
            "plate_no": plate_no,
            "complaint_id": row.id,
            "case_no": case.case_no,
        },
        case_id=row.case_id,
        at=now,
        idempotency_key=f"complaint-{row.id}-watchlist-add",
    )
    enqueue_outbox(
        session,
        kind="credit_notice",
        destination=CREDIT_BUREAU_DESTINATION,
        payload={
            "complaint_id": row.id,
            "case_no": case.case_no,
            "insurer_code": insurer.code,
            "insurer_name": insurer.name_zh,
            "pay_due_at": row.pay_due_at.isoformat(),
            "fine_amount": str(amount),
        },
        case_id=row.case_id,
        at=now,
        idempotency_key=f"complaint-{row.id}-credit-notice",
    )
    record_event(
        session,
        actor,
        row.case_id,
        "complaint_sanctioned",
        at=now,
        details={
            "complaint_id": row.id,
            "watchlist_entry_id": entry.id,
            "plate_no": plate_no,
            "fine_amount": str(amount),
            "respondent_org_id": row.respondent_org_id,
        },
    )
    record_audit(
        session,
        actor,
        "complaint_sanctioned",
        f"complaint:{row.id}",
        at=now,
        details={"watchlist_entry_id": entry.id, "fine_amount": str(amount)},
    )
    return Sanctioned(row.id, row.case_id, entry.id, plate_no, amount)


def record_payment(
    session_factory: SessionFactory,
    actor: Actor,
    complaint_id: int,
    amount: Decimal,
    paid_at: datetime,
    *,
    now: datetime | None = None,
) -> PaymentRecorded:
    """The respondent paid: the complaint closes and any watch-list entry it caused is lifted
    (the checkpoint system told through the outbox)."""
    _require(actor, ComplaintAction.PAYMENT)
    paid = check_payment(amount)
    at = now or utcnow()
    with write(session_factory) as session:
        complaint = _locked_complaint(session, actor, complaint_id)
        state = ComplaintState(complaint.state)
        check_move(state, ComplaintState.PAID)
        check_move(ComplaintState.PAID, ComplaintState.CLOSED)
        complaint.state = ComplaintState.CLOSED.value
        complaint.paid_amount = paid
        complaint.paid_at = paid_at
        complaint.closed_at = at
        entries = session.scalars(
            select(WatchlistEntry)
            .where(
                WatchlistEntry.complaint_id == complaint.id,
                WatchlistEntry.lifted_at.is_(None),
            )
            .order_by(WatchlistEntry.id)
        ).all()
        for entry in entries:
            entry.lifted_at = at
            enqueue_outbox(
                session,
                kind="watchlist",
                destination=CHECKPOINT_DESTINATION,
                payload={
                    "action": "remove",
                    "entry_id": entry.id,
                    "plate_type": entry.plate_type,
                    "plate_no": entry.plate_no,
                    "complaint_id": complaint.id,
                },
                case_id=complaint.case_id,
                at=at,
                idempotency_key=f"complaint-{complaint.id}-watchlist-lift-{entry.id}",
            )
        lifted = tuple(e.id for e in entries)
        record_event(
            session,
            actor,
            complaint.case_id,
            "complaint_paid",
            at=at,
            details={
                "complaint_id": complaint.id,
                "amount": str(paid),
                "paid_at": paid_at.isoformat(),
                "was": state.value,
                "lifted_entry_ids": list(lifted),
            },
        )
        if lifted:
            record_audit(
                session,
                actor,
                "watchlist_lifted",
                f"complaint:{complaint.id}",
                at=at,
                details={"entry_ids": list(lifted)},
            )
        return PaymentRecorded(complaint.id, complaint.case_id, lifted)


# ---------------------------------------------------------------- queries


def _rows_query() -> Select[Complaint, str, str, str | None]:
    return (
        select(Complaint, Case.case_no, Organisation.name_zh, Party.plate_no)
        .join(Case, Case.id == Complaint.case_id)
        .join(Organisation, Organisation.id == Complaint.respondent_org_id)
        .outerjoin(
            Party, (Party.case_id == Complaint.case_id) & (Party.letter == Complaint.party_letter)
        )
    )


def _row(record: Any, as_of: datetime) -> ComplaintRow:
    c: Complaint = record[0]
    state = ComplaintState(c.state)
    return ComplaintRow(
        id=c.id,
        case_id=c.case_id,
        case_no=record[1],
        party_letter=c.party_letter,
        plate_no=record[3],
        respondent_org_id=c.respondent_org_id,
        respondent_name_zh=record[2],
        complainant_name=c.complainant_name,
        reason=c.reason,
        state=state,
        filed_at=c.filed_at,
        contact_due_at=c.contact_due_at,
        contacted_at=c.contacted_at,
        pay_due_at=c.pay_due_at,
        sanctioned_at=c.sanctioned_at,
        fine_amount=c.fine_amount,
        paid_amount=c.paid_amount,
        paid_at=c.paid_at,
        closed_at=c.closed_at,
        as_of=as_of,
        contact_overdue=contact_overdue(state, c.contact_due_at, as_of),
        payment_overdue=payment_overdue(state, c.pay_due_at, as_of),
    )


def list_complaints(
    session_factory: SessionFactory,
    *,
    insurer_org_id: int | None = None,
    case_ids: Collection[int] | None = None,
    now: datetime | None = None,
) -> list[ComplaintRow]:
    """Every complaint, newest first; `insurer_org_id` confines the list to complaints against
    that company (a claims seat always passes its own, as with the case queue); `case_ids` to
    the complaints about those cases (a seat refreshing the cases the change feed named)."""
    as_of = now or utcnow()
    query = _rows_query().order_by(Complaint.filed_at.desc(), Complaint.id.desc())
    if insurer_org_id is not None:
        query = query.where(Complaint.respondent_org_id == insurer_org_id)
    if case_ids is not None:
        query = query.where(Complaint.case_id.in_(sorted(set(case_ids))))
    with session_factory() as session:
        return [_row(r, as_of) for r in session.execute(query).all()]


def overdue_complaints(
    session_factory: SessionFactory, now: datetime, *, insurer_org_id: int | None = None
) -> list[ComplaintRow]:
    """The alarms: complaints nobody has called about within 24 h, and complaints unpaid past
    their deadline (sanctioned or not), oldest deadline first."""
    unpaid = [s.value for s in UNPAID_STATES]
    query = (
        _rows_query()
        .where(
            Complaint.state.in_(unpaid),
            (Complaint.pay_due_at < now)
            | ((Complaint.state == ComplaintState.OPEN.value) & (Complaint.contact_due_at < now)),
        )
        .order_by(Complaint.pay_due_at, Complaint.id)
    )
    if insurer_org_id is not None:
        query = query.where(Complaint.respondent_org_id == insurer_org_id)
    with session_factory() as session:
        rows = [_row(r, now) for r in session.execute(query).all()]
    return [r for r in rows if r.contact_overdue or r.payment_overdue]


@dataclass(frozen=True, slots=True)
class PartyChoice:
    """A party as the filing form offers it: complainant, or respondent through its insurer."""

    letter: str
    name: str
    plate_no: str | None
    insurer_org_id: int | None
    insurer_name_zh: str | None


@dataclass(frozen=True, slots=True)
class ComplaintCase:
    case_id: int
    case_no: str
    parties: tuple[PartyChoice, ...]


def complaint_case(session_factory: SessionFactory, case_id: int) -> ComplaintCase:
    """A case's parties with their insurers, for filing a complaint about it."""
    with session_factory() as session:
        case_no = session.scalar(select(Case.case_no).where(Case.id == case_id))
        if case_no is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        rows = session.execute(
            select(
                Party.letter, Party.name, Party.plate_no, Party.insurer_org_id, Organisation.name_zh
            )
            .outerjoin(Organisation, Organisation.id == Party.insurer_org_id)
            .where(Party.case_id == case_id)
            .order_by(Party.letter)
        ).all()
    return ComplaintCase(
        case_id, case_no, tuple(PartyChoice(r[0], r[1] or "", r[2], r[3], r[4]) for r in rows)
    )


@dataclass(frozen=True, slots=True)
class HitRow:
    """A checkpoint read of a watch-listed plate as the lookup seat lists it: where and when,
    and the complaint (and case) whose sanction listed the plate."""

    hit_row_id: int
    camera_id: str
    camera_name: str
    plate_no: str
    seen_at: datetime
    watchlist_entry_id: int | None
    lifted: bool
    complaint_id: int | None
    case_id: int | None
    case_no: str | None
    respondent_name_zh: str | None


def list_checkpoint_hits(
    session_factory: SessionFactory,
    *,
    hit_row_ids: Collection[int] | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[HitRow]:
    """Reads of watch-listed plates, newest first: those named, those stored after `after_id`
    (what a seat has not seen yet), or the newest `limit`."""
    query = (
        select(
            CheckpointHit.id,
            CheckpointHit.camera_id,
            Camera.name,
            CheckpointHit.plate_no,
            CheckpointHit.seen_at,
            CheckpointHit.watchlist_entry_id,
            WatchlistEntry.lifted_at,
            Complaint.id,
            Complaint.case_id,
            Case.case_no,
            Organisation.name_zh,
        )
        .outerjoin(Camera, Camera.id == CheckpointHit.camera_id)
        .outerjoin(WatchlistEntry, WatchlistEntry.id == CheckpointHit.watchlist_entry_id)
        .outerjoin(Complaint, Complaint.id == WatchlistEntry.complaint_id)
        .outerjoin(Case, Case.id == Complaint.case_id)
        .outerjoin(Organisation, Organisation.id == Complaint.respondent_org_id)
        .order_by(CheckpointHit.seen_at.desc(), CheckpointHit.id.desc())
        .limit(limit)
    )
    if hit_row_ids is not None:
        query = query.where(CheckpointHit.id.in_(sorted(set(hit_row_ids))))
    if after_id is not None:
        query = query.where(CheckpointHit.id > after_id)
    with session_factory() as session:
        return [
            HitRow(
                hit_row_id=r[0],
                camera_id=r[1],
                camera_name=r[2] or r[1],
                plate_no=r[3],
                seen_at=r[4],
                watchlist_entry_id=r[5],
                lifted=r[6] is not None,
                complaint_id=r[7],
                case_id=r[8],
                case_no=r[9],
                respondent_name_zh=r[10],
            )
            for r in session.execute(query).all()
        ]
