"""The lookup seat's use cases (issue 9): search, a case's full history, reprinting the letter,
unmasking a party's personal data, exporting the case file.

The search combines its criteria (console.domain.case_search) with AND, each through an index
of migration 0007: exact or prefix match, never a leading wildcard. On PostgreSQL a prefix is
`LIKE 'x%'` on a varchar_pattern_ops index; on SQLite `GLOB 'x*'` (case-sensitive, so the
plain b-tree serves it, where SQLite's case-insensitive LIKE could not). Party and letter
criteria are sub-selects of case ids, so criteria on different parties of one case combine.

Every function applies insurer isolation (console.hall.visibility: an adjuster finds only its
company's cases, others are NotFound) and the position's access to personal data
(`personal_data_access`): masked unless the position needs it. Reprints, unmasking and
exports write an audit entry naming the case, which the case's history lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, intersect, select, text, union
from sqlalchemy.orm import Session, aliased

from console.db.models import (
    Attachment,
    AuditLogEntry,
    Call,
    Case,
    CaseAttachment,
    CaseEvent,
    Claim,
    Complaint,
    Evidence,
    Letter,
    Organisation,
    Party,
    User,
)
from console.domain.case_file import (
    CaseFileContent,
    CaseFileEntry,
    CaseFileEvidence,
    CaseFileParty,
)
from console.domain.case_search import (
    PersonalData,
    SearchCriteria,
    may_unmask,
    personal_data_access,
    shows_unmasked,
)
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.masking import (
    mask_event_details,
    mask_id_number,
    mask_licence_number,
    mask_phone,
)
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, utcnow, write
from console.hall.permissions import Action, require
from console.hall.visibility import case_visible, insurer_of, require_case_visible

__all__ = [
    "AUDIT_EXPORT",
    "AUDIT_REPRINT",
    "AUDIT_UNMASK",
    "CaseHistory",
    "PartyHit",
    "PartyPersonalData",
    "SearchRow",
    "case_file_content",
    "case_history",
    "explain_search",
    "export_case_file",
    "reprint_letter",
    "search_cases",
    "unmask_party",
]

AUDIT_REPRINT: Final = "letter_reprinted"
AUDIT_UNMASK: Final = "party_unmasked"
AUDIT_EXPORT: Final = "case_file_exported"
MAX_LIMIT: Final = 500

CaseFileRenderer = Callable[[CaseFileContent], bytes]
_AnySelect = Select[*tuple[Any, ...]]


def case_target(case_id: int) -> str:
    """The audit entry's target for anything done to a case (its history reads by it)."""
    return f"case/{case_id}"


# ---------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class PartyHit:
    party_id: int
    letter: str
    name: str
    plate_no: str | None
    phone: str | None
    id_number: str | None
    licence_number: str | None
    insurer_org_id: int | None
    masked: bool


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One case found, as the search list shows it; newest (by accident time) first."""

    case_id: int
    case_no: str
    state: CaseState
    occurred_at: datetime
    place: str
    district: str | None
    parties: tuple[PartyHit, ...]
    doc_nos: tuple[str, ...]

    @property
    def plates_text(self) -> str:
        return " / ".join(p.plate_no for p in self.parties if p.plate_no)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _escape_glob(value: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in value)


def _prefix(column: Any, value: str, *, sqlite: bool) -> ColumnElement[bool]:
    """`column` starts with `value`, in the form the backend's index serves."""
    if sqlite:
        return column.op("GLOB")(_escape_glob(value) + "*")  # type: ignore[no-any-return]
    return column.like(_escape_like(value) + "%", escape="\\")  # type: ignore[no-any-return]


def _matching_case_ids(criteria: SearchCriteria, *, sqlite: bool) -> list[Any]:
    """One select of case ids per party or letter criterion (each served by its own index)."""
    sets: list[Any] = []
    for value in criteria.doc_nos:
        sets.append(select(Letter.case_id).where(_prefix(Letter.doc_no, value, sqlite=sqlite)))
    for value in criteria.verification_codes:
        sets.append(
            select(Letter.case_id).where(_prefix(Letter.verification_code, value, sqlite=sqlite))
        )
    for value in criteria.plates:
        sets.append(select(Party.case_id).where(_prefix(Party.plate_no, value, sqlite=sqlite)))
    for value in criteria.names:
        sets.append(select(Party.case_id).where(_prefix(Party.name, value, sqlite=sqlite)))
    for value in criteria.phones:
        # A party's phone or the number the 122 call came from; a union, so each side keeps
        # its own index (an OR across tables would scan).
        sets.append(
            union(
                select(Party.case_id).where(Party.phone == value),
                select(Case.id).where(Case.caller_phone == value),
            )
        )
    for value in criteria.id_numbers:
        # In China the driving licence number is the holder's ID number: either column.
        sets.append(
            union(
                select(Party.case_id).where(Party.id_number == value),
                select(Party.case_id).where(Party.licence_number == value),
            )
        )
    return sets


def _criteria_query(
    criteria: SearchCriteria, *, sqlite: bool, case_ids: list[int] | None = None
) -> _AnySelect:
    """`case_ids`: the party and letter criteria already resolved to these cases."""
    query: _AnySelect = select(
        Case.id, Case.case_no, Case.state, Case.occurred_at, Case.place_text, Case.district
    )
    for value in criteria.case_nos:
        query = query.where(_prefix(Case.case_no, value, sqlite=sqlite))
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    else:
        for ids in _matching_case_ids(criteria, sqlite=sqlite):
            query = query.where(Case.id.in_(ids))
    if criteria.occurred_from is not None:
        query = query.where(Case.occurred_at >= criteria.occurred_from)
    if criteria.occurred_to is not None:
        query = query.where(Case.occurred_at < criteria.occurred_to)
    if criteria.states:
        query = query.where(Case.state.in_(sorted(s.value for s in criteria.states)))
    if criteria.district is not None:
        query = query.where(Case.district == criteria.district)
    return query


CANDIDATE_CAP: Final = 5000
"""Party and letter matches fetched first when there are at most this many (see below)."""


def _few_candidates(
    session: Session, criteria: SearchCriteria, *, sqlite: bool
) -> list[int] | None:
    """With a case filter (district, state, dates) on top of a party or letter criterion,
    PostgreSQL may walk the case filter's index newest first and test every case against the
    party match — most of a district when the name is rare there (698 ms p95 at 1M cases).
    When the party and letter criteria match few cases, fetch those first and look the cases
    up by key; when they match many, the walk finds 50 quickly and the plain query is best."""
    has_case_filter = (
        criteria.district is not None
        or bool(criteria.states)
        or criteria.occurred_from is not None
        or criteria.occurred_to is not None
    )
    sets = _matching_case_ids(criteria, sqlite=sqlite)
    if not has_case_filter or not sets:
        return None
    both: Any = sets[0] if len(sets) == 1 else intersect(*sets)
    ids = list(session.scalars(select(both.subquery().c[0]).distinct().limit(CANDIDATE_CAP + 1)))
    return ids if len(ids) <= CANDIDATE_CAP else None


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def search_cases(
    session_factory: SessionFactory,
    actor: Actor,
    criteria: SearchCriteria,
    limit: int = 50,
) -> list[SearchRow]:
    """The cases matching every criterion, newest first, at most `limit`; personal data
    masked as the actor's position sees it. Empty criteria find nothing."""
    if criteria.is_empty or limit <= 0:
        return []
    insurer = insurer_of(actor)
    access = personal_data_access(actor.position)
    with session_factory() as session:
        sqlite = _is_sqlite(session)
        query = _criteria_query(
            criteria, sqlite=sqlite, case_ids=_few_candidates(session, criteria, sqlite=sqlite)
        )
        if insurer is not None:
            query = query.where(case_visible(Case.id, insurer))
        query = query.order_by(Case.occurred_at.desc(), Case.id.desc()).limit(min(limit, MAX_LIMIT))
        found = session.execute(query).all()
        ids = [row[0] for row in found]
        if not ids:
            return []
        parties: dict[int, list[PartyHit]] = {case_id: [] for case_id in ids}
        for party in session.scalars(
            select(Party).where(Party.case_id.in_(ids)).order_by(Party.case_id, Party.letter)
        ):
            parties[party.case_id].append(_party_hit(party, access, actor.org_id))
        doc_nos: dict[int, list[str]] = {case_id: [] for case_id in ids}
        for case_id, doc_no in session.execute(
            select(Letter.case_id, Letter.doc_no)
            .where(Letter.case_id.in_(ids), Letter.superseded_at.is_(None))
            .order_by(Letter.case_id, Letter.version)
        ):
            if doc_no not in doc_nos[case_id]:
                doc_nos[case_id].append(doc_no)
        return [
            SearchRow(
                case_id=case_id,
                case_no=case_no,
                state=CaseState(state),
                occurred_at=occurred_at,
                place=place,
                district=district,
                parties=tuple(parties[case_id]),
                doc_nos=tuple(doc_nos[case_id]),
            )
            for case_id, case_no, state, occurred_at, place, district in found
        ]


def _party_hit(party: Party, access: PersonalData, viewer_org_id: int | None) -> PartyHit:
    shown = shows_unmasked(access, viewer_org_id, party.insurer_org_id)
    return PartyHit(
        party_id=party.id,
        letter=party.letter,
        name=party.name,
        plate_no=party.plate_no,
        phone=party.phone if shown else mask_phone(party.phone),
        id_number=party.id_number if shown else mask_id_number(party.id_number),
        licence_number=(
            party.licence_number if shown else mask_licence_number(party.licence_number)
        ),
        insurer_org_id=party.insurer_org_id,
        masked=not shown,
    )


def explain_search(session_factory: SessionFactory, criteria: SearchCriteria) -> str:
    """The database's plan for a search (the benchmark shows it uses the indexes)."""
    with session_factory() as session:
        sqlite = _is_sqlite(session)
        case_ids = _few_candidates(session, criteria, sqlite=sqlite)
        query = (
            _criteria_query(criteria, sqlite=sqlite, case_ids=case_ids)
            .order_by(Case.occurred_at.desc(), Case.id.desc())
            .limit(50)
        )
        compiled = query.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        rows = session.execute(text(prefix + str(compiled))).all()
        return "\n".join(str(row[-1]) for row in rows)


# ---------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    event_id: int
    at: datetime
    kind: str
    from_state: str | None
    to_state: str | None
    actor_name: str | None
    seat: str | None
    position: str | None
    reason: str | None
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class HistoryCall:
    call_id: int
    external_id: str
    caller_phone: str
    state: str
    rang_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    answered_by: str | None
    answered_seat: str | None


@dataclass(frozen=True, slots=True)
class HistoryAttachment:
    sha256: str
    kind: str
    party_letter: str | None
    mime: str
    size: int
    at: datetime
    source: str


@dataclass(frozen=True, slots=True)
class HistoryFootage:
    evidence_id: int
    camera_id: str
    kind: str
    start_at: datetime
    end_at: datetime
    sha256: str
    size: int
    taken_by: str | None
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryLetter:
    letter_id: int
    doc_no: str
    version: int
    verification_code: str
    issued_at: datetime
    sha256: str
    size: int
    superseded_at: datetime | None
    mediation_text: str | None


@dataclass(frozen=True, slots=True)
class HistoryClaim:
    claim_id: int
    party_letter: str
    insurer: str
    stage: str
    report_no: str | None
    assessed_amount: Decimal | None
    paid_amount: Decimal | None
    paid_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryComplaint:
    complaint_id: int
    respondent: str
    complainant_name: str
    complainant_phone: str
    state: str
    filed_at: datetime
    pay_due_at: datetime
    fine_amount: Decimal | None
    paid_amount: Decimal | None
    paid_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryAudit:
    """A reprint, an export or an unmasking of this case."""

    at: datetime
    action: str
    actor_name: str | None
    seat: str | None
    position: str | None
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CaseHistory:
    case_id: int
    case_no: str
    state: CaseState
    occurred_at: datetime
    place: str
    district: str | None
    parties: tuple[PartyHit, ...]
    events: tuple[HistoryEvent, ...]
    calls: tuple[HistoryCall, ...]
    attachments: tuple[HistoryAttachment, ...]
    footage: tuple[HistoryFootage, ...]
    letters: tuple[HistoryLetter, ...]
    claims: tuple[HistoryClaim, ...]
    complaints: tuple[HistoryComplaint, ...]
    audit: tuple[HistoryAudit, ...]


def case_history(session_factory: SessionFactory, actor: Actor, case_id: int) -> CaseHistory:
    """Everything that happened to a case, each list oldest first; personal data masked as
    the actor's position sees it. NotFound for a missing case or one the insurer may not see."""
    with session_factory() as session:
        return _history(session, actor, case_id)


def _history(session: Session, actor: Actor, case_id: int) -> CaseHistory:
    require_case_visible(session, case_id, insurer_of(actor))
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
    access = personal_data_access(actor.position)
    parties = tuple(
        _party_hit(p, access, actor.org_id)
        for p in session.scalars(
            select(Party).where(Party.case_id == case_id).order_by(Party.letter)
        )
    )
    full = access is PersonalData.FULL
    own_phones = {p.phone for p in parties if not p.masked and p.phone}

    def phone(value: str | None) -> str:
        if not value:
            return ""
        return value if full or value in own_phones else mask_phone(value)

    def details(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
        value = dict(value or {})
        return value if full else mask_event_details(value, keep_phones=own_phones)

    who = aliased(User)
    events = tuple(
        HistoryEvent(
            e.id,
            e.at,
            e.kind,
            e.from_state,
            e.to_state,
            name,
            e.seat,
            e.position,
            e.reason,
            details(e.details),
        )
        for e, name in session.execute(
            select(CaseEvent, who.display_name)
            .outerjoin(who, who.id == CaseEvent.actor_id)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )
    calls = tuple(
        HistoryCall(
            c.id,
            c.external_id,
            phone(c.caller_phone),
            c.state,
            c.rang_at,
            c.answered_at,
            c.ended_at,
            name,
            c.answered_seat,
        )
        for c, name in session.execute(
            select(Call, who.display_name)
            .outerjoin(who, who.id == Call.answered_by)
            .where(Call.case_id == case_id)
            .order_by(Call.rang_at, Call.id)
        )
    )
    attachments = tuple(
        HistoryAttachment(a.sha256, a.kind, a.party_letter, mime, size, a.uploaded_at, a.source)
        for a, mime, size in session.execute(
            select(CaseAttachment, Attachment.mime, Attachment.size)
            .join(Attachment, Attachment.sha256 == CaseAttachment.sha256)
            .where(CaseAttachment.case_id == case_id)
            .order_by(CaseAttachment.uploaded_at, CaseAttachment.id)
        )
    )
    footage = tuple(
        HistoryFootage(
            ev.id, ev.camera_id, ev.kind, ev.start_at, ev.end_at, ev.sha256, size, name, ev.taken_at
        )
        for ev, size, name in session.execute(
            select(Evidence, Attachment.size, who.display_name)
            .join(Attachment, Attachment.sha256 == Evidence.sha256)
            .outerjoin(who, who.id == Evidence.taken_by)
            .where(Evidence.case_id == case_id)
            .order_by(Evidence.taken_at, Evidence.id)
        )
    )
    letters = tuple(
        HistoryLetter(
            le.id,
            le.doc_no,
            le.version,
            le.verification_code,
            le.issued_at,
            le.pdf_sha256,
            size,
            le.superseded_at,
            le.mediation_text,
        )
        for le, size in session.execute(
            select(Letter, Attachment.size)
            .join(Attachment, Attachment.sha256 == Letter.pdf_sha256)
            .where(Letter.case_id == case_id)
            .order_by(Letter.version, Letter.id)
        )
    )
    org = aliased(Organisation)
    claims = tuple(
        HistoryClaim(
            c.id,
            letter,
            insurer,
            c.stage,
            c.report_no,
            c.assessed_amount,
            c.paid_amount,
            c.paid_at,
            c.created_at,
        )
        for c, letter, insurer in session.execute(
            select(Claim, Party.letter, org.name_zh)
            .join(Party, Party.id == Claim.party_id)
            .join(org, org.id == Claim.insurer_org_id)
            .where(Claim.case_id == case_id)
            .order_by(Claim.created_at, Claim.id)
        )
    )
    complaints = tuple(
        HistoryComplaint(
            c.id,
            respondent,
            c.complainant_name,
            phone(c.complainant_phone),
            c.state,
            c.filed_at,
            c.pay_due_at,
            c.fine_amount,
            c.paid_amount,
            c.paid_at,
            c.closed_at,
        )
        for c, respondent in session.execute(
            select(Complaint, org.name_zh)
            .join(org, org.id == Complaint.respondent_org_id)
            .where(Complaint.case_id == case_id)
            .order_by(Complaint.filed_at, Complaint.id)
        )
    )
    audit = tuple(
        HistoryAudit(a.at, a.action, name, a.seat, a.position, dict(a.details or {}))
        for a, name in session.execute(
            select(AuditLogEntry, who.display_name)
            .outerjoin(who, who.id == AuditLogEntry.actor_id)
            .where(AuditLogEntry.target == case_target(case_id))
            .order_by(AuditLogEntry.at, AuditLogEntry.id)
        )
    )
    return CaseHistory(
        case_id=case.id,
        case_no=case.case_no,
        state=CaseState(case.state),
        occurred_at=case.occurred_at,
        place=case.place_text,
        district=case.district,
        parties=parties,
        events=events,
        calls=calls,
        attachments=attachments,
        footage=footage,
        letters=letters,
        claims=claims,
        complaints=complaints,
        audit=audit,
    )


# ---------------------------------------------------------------- reprint and unmask


def reprint_letter(session_factory: SessionFactory, actor: Actor, letter_id: int) -> bytes:
    """The letter's stored PDF, byte for byte as issued (never rendered again); the reprint is
    audited against the case. An adjuster reprints only its company's cases' letters."""
    require(actor, Action.REPRINT_LETTER)
    insurer = insurer_of(actor)
    query = (
        select(Letter, Attachment.content)
        .join(Attachment, Attachment.sha256 == Letter.pdf_sha256)
        .where(Letter.id == letter_id)
    )
    if insurer is not None:
        query = query.where(case_visible(Letter.case_id, insurer))
    with write(session_factory) as session:
        found = session.execute(query).one_or_none()
        if found is None:
            raise NotFound(
                "letter.not_found", f"Letter {letter_id} does not exist", letter_id=letter_id
            )
        letter, content = found
        pdf = bytes(content)
        record_audit(
            session,
            actor,
            AUDIT_REPRINT,
            case_target(letter.case_id),
            at=utcnow(),
            details={
                "letter_id": letter.id,
                "doc_no": letter.doc_no,
                "version": letter.version,
                "sha256": letter.pdf_sha256,
            },
        )
        return pdf


@dataclass(frozen=True, slots=True)
class PartyPersonalData:
    party_id: int
    case_id: int
    letter: str
    name: str
    phone: str | None
    id_number: str | None
    licence_number: str | None


def unmask_party(
    session_factory: SessionFactory, actor: Actor, party_id: int, reason: str
) -> PartyPersonalData:
    """A party's phone, ID and licence numbers unmasked, for a position that may see them;
    audited with the reason. Refused (PermissionDenied) for patrol and rescue, and for an
    adjuster asking about another company's insured."""
    why = reason.strip()
    if not why:
        raise RuleViolation("unmask.no_reason", "Say why the personal data must be shown")
    access = personal_data_access(actor.position)
    insurer = insurer_of(actor)
    with write(session_factory) as session:
        party = session.get(Party, party_id)
        if party is None:
            raise NotFound("party.not_found", f"Party {party_id} does not exist", party_id=party_id)
        require_case_visible(session, party.case_id, insurer)
        if not may_unmask(access, actor.org_id, party.insurer_org_id):
            raise PermissionDenied(
                "permission.denied",
                f"The {actor.position.value} position may not unmask personal data",
                position=actor.position.value,
                action="unmask_personal_data",
            )
        record_audit(
            session,
            actor,
            AUDIT_UNMASK,
            case_target(party.case_id),
            at=utcnow(),
            details={"party_id": party.id, "letter": party.letter, "reason": why},
        )
        return PartyPersonalData(
            party_id=party.id,
            case_id=party.case_id,
            letter=party.letter,
            name=party.name,
            phone=party.phone,
            id_number=party.id_number,
            licence_number=party.licence_number,
        )


# ---------------------------------------------------------------- export


_LIABILITY_ZH: Final = {
    "full": "全部责任",
    "main": "主要责任",
    "equal": "同等责任",
    "minor": "次要责任",
    "none": "无责任",
}
_ATTACHMENT_ZH: Final = {
    "scene_front_side": "现场照片（侧前方）",
    "scene_rear_side": "现场照片（侧后方）",
    "collision_point": "碰撞部位",
    "driving_licence": "驾驶证",
    "vehicle_registration": "行驶证",
    "scene_other": "现场照片",
    "damage": "车损照片",
}


def export_case_file(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    render: CaseFileRenderer,
) -> bytes:
    """The case file as a PDF (summary, timeline, evidence list with SHA-256), personal data
    masked as the actor sees it; rendered by `render` (console.reports.case_file on a worker
    thread, so this module stays free of Qt) outside any transaction, then audited."""
    require(actor, Action.EXPORT_CASE_FILE)
    now = utcnow()
    with session_factory() as session:
        history = _history(session, actor, case_id)
        insurers = dict(
            session.execute(
                select(Organisation.id, Organisation.name_zh).where(
                    Organisation.id.in_(
                        [p.insurer_org_id for p in history.parties if p.insurer_org_id]
                    )
                )
            ).all()
        )
        grades = dict(
            session.execute(select(Party.id, Party.grade).where(Party.case_id == case_id)).all()
        )
    content = case_file_content(history, actor=actor, at=now, insurers=insurers, grades=grades)
    pdf = render(content)
    with write(session_factory) as session:
        record_audit(
            session,
            actor,
            AUDIT_EXPORT,
            case_target(case_id),
            at=utcnow(),
            details={
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "size": len(pdf),
                "evidence": len(content.evidence),
            },
        )
    return pdf


def case_file_content(
    history: CaseHistory,
    *,
    actor: Actor,
    at: datetime,
    insurers: Mapping[int, str],
    grades: Mapping[int, str | None],
) -> CaseFileContent:
    """What the exported case file says, from the case's history."""
    state = history.state
    parties = tuple(
        CaseFileParty(
            letter=p.letter,
            name=p.name,
            plate_no=p.plate_no or "",
            phone=p.phone or "",
            id_or_licence=p.licence_number or p.id_number or "",
            insurer=insurers.get(p.insurer_org_id, "") if p.insurer_org_id else "",
            grade=_LIABILITY_ZH.get(grades.get(p.party_id) or "", ""),
        )
        for p in history.parties
    )
    timeline: list[CaseFileEntry] = []
    for e in history.events:
        move = f"{e.from_state or ''} → {e.to_state}" if e.to_state else ""
        what = " ".join(part for part in (e.kind, move, e.reason or "") if part)
        timeline.append(CaseFileEntry(e.at, what, e.actor_name or "", e.seat or ""))
    for c in history.calls:
        timeline.append(
            CaseFileEntry(c.rang_at, f"122 来电 {c.caller_phone}", c.answered_by or "", "")
        )
    for le in history.letters:
        timeline.append(CaseFileEntry(le.issued_at, f"认定书 {le.doc_no} 第{le.version}版", "", ""))
    for cl in history.claims:
        paid = f" 赔付 {cl.paid_amount} 元" if cl.paid_amount is not None else ""
        timeline.append(
            CaseFileEntry(
                cl.created_at, f"理赔 {cl.insurer} {cl.party_letter}方 {cl.stage}{paid}", "", ""
            )
        )
    for co in history.complaints:
        timeline.append(
            CaseFileEntry(co.filed_at, f"投诉 {co.respondent} {co.state}", co.complainant_name, "")
        )
    for au in history.audit:
        timeline.append(CaseFileEntry(au.at, au.action, au.actor_name or "", au.seat or ""))
    timeline.sort(key=lambda entry: entry.at)
    evidence: list[CaseFileEvidence] = [
        CaseFileEvidence(
            "photo",
            _ATTACHMENT_ZH.get(a.kind, a.kind)
            + (f"（{a.party_letter}方）" if a.party_letter else ""),
            a.at,
            a.sha256,
            a.size,
        )
        for a in history.attachments
    ]
    evidence += [
        CaseFileEvidence(
            "letter", f"认定书 {le.doc_no} 第{le.version}版", le.issued_at, le.sha256, le.size
        )
        for le in history.letters
    ]
    evidence += [
        CaseFileEvidence("footage", f"视频 {f.camera_id} {f.kind}", f.taken_at, f.sha256, f.size)
        for f in history.footage
    ]
    summary = (
        ("案件编号", history.case_no),
        ("状态", f"{state.value}"),
        ("事故时间", history.occurred_at.isoformat(timespec="minutes")),
        ("地点", history.place),
        ("辖区", history.district or ""),
        ("当事人", "、".join(f"{p.letter}方 {p.name}" for p in history.parties)),
        ("认定书", "、".join(sorted({le.doc_no for le in history.letters}))),
    )
    return CaseFileContent(
        case_no=history.case_no,
        state=state.value,
        occurred_at=history.occurred_at,
        place=history.place,
        district=history.district or "",
        summary=summary,
        parties=parties,
        timeline=tuple(timeline),
        evidence=tuple(evidence),
        exported_at=at,
        exported_by=actor.display_name,
        seat=actor.seat,
    )
