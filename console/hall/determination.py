"""Liability determination write-back: the decision, the letter, the events and the outbox
rows in one transaction.

Only the officer holding the determination task may determine (the lifecycle's lock); a
stale view is refused by the case version. The letter's document number comes from a counter
per issuing unit and year, incremented under its row lock as the last step before the PDF is
rendered, so concurrent officers never share a number and the lock is held briefly. The PDF
is rendered by a function the caller passes in (`console.reports.letter` on a worker thread),
so this module stays free of Qt; it is stored with its SHA-256 and a reprint returns those
bytes, identical by construction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.db.models import (
    Attachment,
    Case,
    CaseAttachment,
    Claim,
    Determination,
    DocCounter,
    Letter,
    LookupResult,
    Organisation,
    Party,
    Policy,
    Submission,
    User,
    Vehicle,
)
from console.domain import validation
from console.domain.deadlines import objection_deadline, to_local
from console.domain.errors import RuleViolation
from console.domain.letter import LetterContent, LetterParty, doc_number, new_verification_code
from console.domain.liability import (
    AccidentForm,
    Grade,
    KnockForKnockInput,
    knock_for_knock,
    validate_grades,
)
from console.domain.lifecycle import CaseState
from console.domain.situations import citations_zh, propose_grades, situation
from console.hall.actor import Actor
from console.hall.cases import CaseChange, apply_move, change_of, check_version, load_case
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory, enqueue_outbox, utcnow, write
from console.hall.visibility import blob_visible, case_visible

Renderer = Callable[[LetterContent], bytes]

GRADE_ZH: Final = {
    Grade.FULL: "全部责任",
    Grade.MAIN: "主要责任",
    Grade.EQUAL: "同等责任",
    Grade.MINOR: "次要责任",
    Grade.NONE: "无责任",
}
SIGNATURE_ZH: Final = {"pending": "待签名", "signed": "已签名", "refused": "拒绝签名"}


@dataclass(frozen=True, slots=True)
class DeterminationInput:
    situation_code: str
    at_fault_letter: str
    grades: Mapping[str, Grade]
    narrative: str
    accident_form: AccidentForm | None = None
    collision_parts: Sequence[str] = ()
    override_reason: str | None = None
    weather: str = ""


@dataclass(frozen=True, slots=True)
class Determined:
    change: CaseChange
    determination_id: int
    letter_id: int
    doc_no: str
    verification_code: str
    pdf_sha256: str
    knock_for_knock: str  # possible, no


def _next_serial(session: Session, unit_org_id: int, year: int) -> int:
    """Take the next serial for the unit and year; the counter row stays locked until commit."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        builder(DocCounter)
        .values(unit_org_id=unit_org_id, year=year, next_serial=1)
        .on_conflict_do_nothing(index_elements=[DocCounter.unit_org_id, DocCounter.year])
    )
    taken = session.execute(
        update(DocCounter)
        .where(DocCounter.unit_org_id == unit_org_id, DocCounter.year == year)
        .values(next_serial=DocCounter.next_serial + 1)
        .returning(DocCounter.next_serial)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(taken) - 1


def _knock_for_knock(
    session: Session, case: Case, letters: Sequence[str], grades: Sequence[Grade]
) -> str:
    insured = {
        letter: outcome == "pass"
        for letter, outcome in session.execute(
            select(LookupResult.party_letter, LookupResult.outcome).where(
                LookupResult.case_id == case.id, LookupResult.check_kind == "insurance"
            )
        )
    }
    verdict = knock_for_knock(
        [
            KnockForKnockInput(
                party=letter,
                grade=grade,
                has_compulsory_insurance=insured.get(letter, False),
                vehicle_damage_only=case.injuries is False,
                loss_yuan=None,
                consents=None,
            )
            for letter, grade in zip(letters, grades, strict=True)
        ]
    )
    return "no" if verdict.failures else "possible"


def _grades_of(parties: Sequence[Party]) -> list[Grade]:
    return [Grade(p.grade) if p.grade else Grade.NONE for p in parties]


def determine_case(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    decision: DeterminationInput,
    *,
    expected_version: int | None,
    render: Renderer,
    verification_base_url: str,
) -> Determined:
    chosen = situation(decision.situation_code)
    narrative = decision.narrative.strip()
    if not narrative:
        raise RuleViolation("determination.no_narrative", "Write the facts and the liability")
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        parties = list(
            session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.letter))
        )
        letters = [p.letter for p in parties]
        if sorted(decision.grades) != letters:
            raise RuleViolation(
                "agreement.parties_mismatch",
                f"The determination must grade exactly parties {', '.join(letters) or '(none)'}",
                expected=letters,
                got=sorted(decision.grades),
            )
        if decision.at_fault_letter not in letters:
            raise RuleViolation(
                "determination.bad_party",
                f"Party {decision.at_fault_letter} is not a party of case {case.case_no}",
                party=decision.at_fault_letter,
            )
        grades = [decision.grades[letter] for letter in letters]
        validate_grades(grades, by_officer=True)
        proposed = propose_grades(chosen, letters.index(decision.at_fault_letter), len(letters))
        override = (decision.override_reason or "").strip() or None
        if tuple(grades) != proposed and override is None:
            raise RuleViolation(
                "determination.override_needs_reason",
                "The grades differ from the situation's proposal; give the reason",
            )
        form = decision.accident_form or chosen.accident_form
        # The move checks the state, the position and that this officer holds the task.
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.DETERMINED,
            reason=override,
            details={
                "situation": chosen.code,
                "grades": dict(zip(letters, [g.value for g in grades], strict=True)),
            },
            at=now,
        )
        determination = Determination(
            case_id=case.id,
            officer_id=actor.user_id,
            situation_code=chosen.code,
            at_fault_letter=decision.at_fault_letter,
            accident_form=form.value,
            collision_parts=list(decision.collision_parts),
            narrative=narrative,
            proposed_grades={k: g.value for k, g in zip(letters, proposed, strict=True)},
            grades={k: g.value for k, g in zip(letters, grades, strict=True)},
            override_reason=override,
            determined_at=now,
        )
        session.add(determination)
        case.situation_code = chosen.code
        case.accident_form = form.value
        if decision.weather:
            case.weather = decision.weather[:24]
        for party, grade in zip(parties, grades, strict=True):
            party.grade = grade.value
            statute = (
                chosen.statute_at_fault
                if party.letter == decision.at_fault_letter
                else chosen.statute_other
            )
            party.fault_statute = citations_zh(statute)[:255] or None
        officer = session.get(User, actor.user_id)
        if officer is None:
            raise NotFound("user.not_found", f"User {actor.user_id} does not exist")
        unit = session.get(Organisation, officer.org_id)
        if unit is None or not unit.unit_prefix:
            raise RuleViolation(
                "determination.no_unit",
                f"{officer.display_name} belongs to no unit that issues letters",
                officer=officer.display_name,
            )
        insurers = {
            o.id: o
            for o in session.scalars(
                select(Organisation).where(
                    Organisation.id.in_([p.insurer_org_id for p in parties if p.insurer_org_id])
                )
            )
        }
        k4k = _knock_for_knock(session, case, letters, grades)
        session.flush()
        year = to_local(now).year
        serial = _next_serial(session, unit.id, year)  # locked from here to commit: keep it short
        number = doc_number(unit.unit_prefix, year, serial)
        code = new_verification_code()
        content = _letter_content(
            case=case,
            parties=parties,
            insurers=insurers,
            determination=determination,
            officer=officer,
            unit=unit,
            doc_no=number,
            code=code,
            issued_at=now,
            verification_base_url=verification_base_url,
        )
        digest = _store_pdf(session, render(content), now)
        letter = Letter(
            case_id=case.id,
            determination_id=determination.id,
            unit_org_id=unit.id,
            year=year,
            serial=serial,
            doc_no=number,
            version=1,
            verification_code=code,
            pdf_sha256=digest,
            issued_at=now,
        )
        session.add(letter)
        session.flush()
        _queue_notices(
            session,
            case=case,
            parties=parties,
            insurers=insurers,
            letter=letter,
            officer=officer,
            unit=unit,
            k4k=k4k,
            at=now,
        )
        return Determined(
            change=change_of(case, event_id),
            determination_id=determination.id,
            letter_id=letter.id,
            doc_no=number,
            verification_code=code,
            pdf_sha256=digest,
            knock_for_knock=k4k,
        )


def _letter_content(
    *,
    case: Case,
    parties: Sequence[Party],
    insurers: Mapping[int, Organisation],
    determination: Determination,
    officer: User,
    unit: Organisation,
    doc_no: str,
    code: str,
    issued_at: datetime,
    verification_base_url: str,
    mediation: str | None = None,
    version: int = 1,
) -> LetterContent:
    form = AccidentForm(determination.accident_form)
    return LetterContent(
        issuing_unit=unit.name_zh,
        doc_no=doc_no,
        occurred_at=case.occurred_at,
        weather=case.weather or "",
        place=case.place_text,
        lat=case.lat,
        lon=case.lon,
        parties=tuple(
            LetterParty(
                letter=p.letter,
                name=p.name,
                id_or_licence=p.licence_number or p.id_number or "",
                phone=p.phone or "",
                travel_mode=p.mode_of_travel or "机动车",
                plate_type=p.plate_type or "",
                plate_no=p.plate_no or "",
                insurer=(
                    insurers[p.insurer_org_id].name_zh
                    if p.insurer_org_id is not None and p.insurer_org_id in insurers
                    else ""
                ),
                policy_no="",
                fault=p.fault_statute or "",
                grade=GRADE_ZH[Grade(p.grade)] if p.grade else "",
                signature=SIGNATURE_ZH.get(p.signature, p.signature),
            )
            for p in parties
        ),
        facts=determination.narrative,
        accident_form=f"{form.value} {form.label_zh}",
        collision_parts="、".join(str(part) for part in determination.collision_parts),
        officer_name=officer.display_name,
        officer_badge=officer.badge_no or "",
        issued_at=issued_at,
        verification_code=code,
        verification_url=f"{verification_base_url.rstrip('/')}/verify/{code}",
        mediation=mediation,
        version=version,
    )


def _store_pdf(session: Session, pdf: bytes, at: datetime) -> str:
    digest = hashlib.sha256(pdf).hexdigest()
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        builder(Attachment)
        .values(sha256=digest, size=len(pdf), mime="application/pdf", content=pdf, created_at=at)
        .on_conflict_do_nothing(index_elements=[Attachment.sha256])
    )
    session.flush()
    return digest


def _photo_path(submission_ref: str, photo_ref: str) -> str:
    """The photo's path on the submissions gateway, where an insurer can fetch it."""
    return f"/submissions/{quote(submission_ref, safe='')}/photos/{quote(photo_ref, safe='')}"


def _push_payload(
    session: Session,
    *,
    case: Case,
    parties: Sequence[Party],
    insurers: Mapping[int, Organisation],
    letter: Letter,
    officer: User,
    unit: Organisation,
    k4k: str,
) -> dict[str, Any]:
    """The contract's `InsurerNotification`, less the letter's bytes and the photos' host:
    the dispatcher adds those when it sends (the outbox row stays small, and the photo URL
    names whichever gateway the seat follows)."""
    vehicles = {
        v.id: v
        for v in session.scalars(
            select(Vehicle).where(Vehicle.id.in_([p.vehicle_id for p in parties if p.vehicle_id]))
        )
    }
    policies = {
        p.id: p
        for p in session.scalars(
            select(Policy).where(Policy.id.in_([p.policy_id for p in parties if p.policy_id]))
        )
    }
    photos = session.execute(
        select(
            CaseAttachment.kind,
            CaseAttachment.party_letter,
            CaseAttachment.sha256,
            CaseAttachment.photo_ref,
            Submission.external_id,
        )
        .join(Submission, Submission.id == CaseAttachment.submission_id)
        .where(CaseAttachment.case_id == case.id, CaseAttachment.photo_ref.is_not(None))
        .order_by(CaseAttachment.id)
    ).all()

    def insurer_code(party: Party) -> str | None:
        org = insurers.get(party.insurer_org_id) if party.insurer_org_id is not None else None
        return org.code if org is not None else None

    def party_json(party: Party) -> dict[str, Any]:
        vehicle = vehicles.get(party.vehicle_id) if party.vehicle_id is not None else None
        policy = policies.get(party.policy_id) if party.policy_id is not None else None
        return {
            "letter": party.letter,
            "name": party.name,
            "id_number": party.id_number,
            "licence_number": party.licence_number,
            "licence_class": party.licence_class,
            "phone": party.phone,
            "plate_type": party.plate_type,
            "plate_no": party.plate_no,
            "vehicle_type": vehicle.vehicle_type if vehicle is not None else None,
            "vin": vehicle.vin if vehicle is not None else None,
            "insurer_code": insurer_code(party),
            "policy_no": policy.policy_no if policy is not None else None,
            "policy_valid_until": (policy.valid_until.isoformat() if policy is not None else None),
            "grade": party.grade,
            "fault_statute": party.fault_statute,
            "damaged_parts": list(party.damaged_parts or []),
        }

    return {
        "case_no": case.case_no,
        "basis": "determination",
        "doc_no": letter.doc_no,
        "letter_version": letter.version,
        "verification_code": letter.verification_code,
        "documents": [{"kind": "letter", "sha256": letter.pdf_sha256, "mime": "application/pdf"}],
        "occurred_at": case.occurred_at.isoformat(),
        "place": {
            "text": case.place_text,
            "lat": case.lat,
            "lon": case.lon,
            "district": case.district,
        },
        "weather": case.weather,
        "accident_form": case.accident_form,
        "situation_code": case.situation_code,
        "parties": [party_json(p) for p in parties],
        "photos": [
            {
                "kind": kind,
                "party_letter": letter_of,
                "sha256": digest,
                "path": _photo_path(external, ref or ""),
            }
            for kind, letter_of, digest, ref, external in photos
        ],
        "officer": {"name": officer.display_name, "badge_no": officer.badge_no},
        "unit": {"code": unit.code, "name": unit.name_zh},
        "knock_for_knock": k4k == "possible",
    }


def _queue_notices(
    session: Session,
    *,
    case: Case,
    parties: Sequence[Party],
    insurers: Mapping[int, Organisation],
    letter: Letter,
    officer: User,
    unit: Organisation,
    k4k: str,
    at: datetime,
) -> None:
    """The letter to the parties by SMS, and the push to each party's insurer (once per
    company, with every party of the case: the insurer needs the other side too). Each
    insured party gets its claim, stage `notified`, which the insurer's answers then move."""
    mobiles = sorted({p.phone for p in parties if p.phone and validation.is_mobile(p.phone)})
    if mobiles:
        enqueue_outbox(
            session,
            kind="sms",
            destination=",".join(mobiles),
            payload={
                "template": "determined",
                "params": {
                    "case_no": case.case_no,
                    "doc_no": letter.doc_no,
                    "code": letter.verification_code,
                },
                "case_no": case.case_no,
                "to": mobiles,
            },
            case_id=case.id,
            at=at,
            idempotency_key=f"determined:{letter.id}:{letter.version}",
        )
    push = _push_payload(
        session,
        case=case,
        parties=parties,
        insurers=insurers,
        letter=letter,
        officer=officer,
        unit=unit,
        k4k=k4k,
    )
    claimed = {
        (party_id, org_id)
        for party_id, org_id in session.execute(
            select(Claim.party_id, Claim.insurer_org_id).where(Claim.case_id == case.id)
        )
    }
    for party in parties:
        org_id = party.insurer_org_id
        if org_id is not None and org_id in insurers and (party.id, org_id) not in claimed:
            session.add(
                Claim(case_id=case.id, party_id=party.id, insurer_org_id=org_id, created_at=at)
            )
    for _, org in sorted(insurers.items()):
        enqueue_outbox(
            session,
            kind="insurer_push",
            destination=org.code,
            payload={
                **push,
                "insurer_code": org.code,
                "parties": [
                    {**p, "insured_here": p["insurer_code"] == org.code} for p in push["parties"]
                ],
            },
            case_id=case.id,
            at=at,
            idempotency_key=f"push:{letter.id}:{letter.version}:{org.code}",
        )


# ---------------------------------------------------------------- objection and mediation


def raise_objection(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
    received_at: datetime | None = None,
) -> CaseChange:
    """A party objects to the determination: accepted until the end of the third day after
    the letter was issued (DOMAIN.md), and the case is DISPUTED."""
    text = reason.strip()
    if not text:
        raise RuleViolation("objection.no_reason", "Write what the party objects to")
    now = utcnow()
    at = received_at or now
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        letter = session.scalars(
            select(Letter)
            .where(Letter.case_id == case.id, Letter.superseded_at.is_(None))
            .order_by(Letter.version.desc())
        ).first()
        if letter is None:
            raise RuleViolation(
                "objection.no_letter",
                f"Case {case.case_no} has no determination letter to object to",
                case_no=case.case_no,
            )
        deadline = objection_deadline(letter.issued_at)
        if at > deadline:
            raise RuleViolation(
                "objection.too_late",
                f"The objection window of letter {letter.doc_no} closed at {deadline.isoformat()}",
                doc_no=letter.doc_no,
                deadline=f"{to_local(deadline):%Y-%m-%d %H:%M}",
            )
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.DISPUTED,
            reason=text,
            details={"doc_no": letter.doc_no, "received_at": at.isoformat()},
            at=now,
        )
        return change_of(case, event_id)


def record_mediation(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    mediation_text: str,
    expected_version: int | None,
    render: Renderer,
    verification_base_url: str,
) -> Determined:
    """The mediation result is added to the letter: a new version with the same document
    number and a new verification code; the old version is kept, marked superseded. The
    parties and insurers get the new version as they got the first. A disputed case is
    moved through mediating in the same transaction."""
    text = mediation_text.strip()
    if not text:
        raise RuleViolation("mediation.no_text", "Write the mediation result")
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        old = session.scalars(
            select(Letter)
            .where(Letter.case_id == case.id, Letter.superseded_at.is_(None))
            .order_by(Letter.version.desc())
            .with_for_update()
        ).first()
        if old is None:
            raise RuleViolation(
                "objection.no_letter",
                f"Case {case.case_no} has no determination letter to object to",
                case_no=case.case_no,
            )
        if case.state == CaseState.DISPUTED.value:
            # Recording the result is also the start of the mediation: one step for the seat.
            apply_move(session, actor, case, CaseState.MEDIATING, reason=None, at=now)
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.DETERMINED,
            reason=None,
            details={"doc_no": old.doc_no, "version": old.version + 1},
            at=now,
        )
        determination = session.get(Determination, old.determination_id)
        assert determination is not None  # a letter always has its determination
        officer = session.get(User, determination.officer_id)
        unit = session.get(Organisation, old.unit_org_id)
        assert officer is not None
        assert unit is not None
        parties = list(
            session.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.letter))
        )
        insurers = {
            o.id: o
            for o in session.scalars(
                select(Organisation).where(
                    Organisation.id.in_([p.insurer_org_id for p in parties if p.insurer_org_id])
                )
            )
        }
        code = new_verification_code()
        content = _letter_content(
            case=case,
            parties=parties,
            insurers=insurers,
            determination=determination,
            officer=officer,
            unit=unit,
            doc_no=old.doc_no,
            code=code,
            issued_at=now,
            verification_base_url=verification_base_url,
            mediation=text,
            version=old.version + 1,
        )
        digest = _store_pdf(session, render(content), now)
        old.superseded_at = now
        letter = Letter(
            case_id=case.id,
            determination_id=old.determination_id,
            unit_org_id=old.unit_org_id,
            year=old.year,
            serial=old.serial,
            doc_no=old.doc_no,
            version=old.version + 1,
            verification_code=code,
            pdf_sha256=digest,
            issued_at=now,
            mediation_text=text,
        )
        session.add(letter)
        session.flush()
        k4k = _knock_for_knock(session, case, [p.letter for p in parties], _grades_of(parties))
        _queue_notices(
            session,
            case=case,
            parties=parties,
            insurers=insurers,
            letter=letter,
            officer=officer,
            unit=unit,
            k4k=k4k,
            at=now,
        )
        return Determined(
            change=change_of(case, event_id),
            determination_id=old.determination_id,
            letter_id=letter.id,
            doc_no=letter.doc_no,
            verification_code=code,
            pdf_sha256=digest,
            knock_for_knock=k4k,
        )


# ---------------------------------------------------------------- reading letters


@dataclass(frozen=True, slots=True)
class LetterView:
    letter_id: int
    case_id: int
    case_no: str
    doc_no: str
    version: int
    verification_code: str
    issued_at: datetime
    pdf_sha256: str
    superseded: bool


def _view(session: Session, letter: Letter) -> LetterView:
    case_no = session.scalar(select(Case.case_no).where(Case.id == letter.case_id)) or ""
    return LetterView(
        letter.id,
        letter.case_id,
        case_no,
        letter.doc_no,
        letter.version,
        letter.verification_code,
        letter.issued_at,
        letter.pdf_sha256,
        letter.superseded_at is not None,
    )


def letter_by_code(
    session_factory: SessionFactory, code: str, *, insurer_org_id: int | None = None
) -> LetterView:
    """What a verification code (on paper, or from the QR) stands for. `insurer_org_id`: an
    insurer's seat, which finds only its own company's cases' letters (issue 8)."""
    cleaned = "".join(code.split()).upper()
    query = select(Letter).where(Letter.verification_code == cleaned)
    if insurer_org_id is not None:
        query = query.where(case_visible(Letter.case_id, insurer_org_id))
    with session_factory() as session:
        letter = session.scalars(query).one_or_none()
        if letter is None:
            raise NotFound(
                "letter.code_unknown",
                f"No letter has the verification code {cleaned}",
                verification_code=cleaned,
            )
        return _view(session, letter)


def current_letter(
    session_factory: SessionFactory, case_id: int, *, insurer_org_id: int | None = None
) -> LetterView | None:
    """The case's letter in force (the newest version), if it has one; for an insurer's seat
    (`insurer_org_id`) a case of another company's is refused as not found."""
    with session_factory() as session:
        if insurer_org_id is not None and not session.scalar(
            select(case_visible(case_id, insurer_org_id))
        ):
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        letter = session.scalars(
            select(Letter)
            .where(Letter.case_id == case_id, Letter.superseded_at.is_(None))
            .order_by(Letter.version.desc())
        ).first()
        return _view(session, letter) if letter is not None else None


def letter_pdf(
    session_factory: SessionFactory, letter_id: int, *, insurer_org_id: int | None = None
) -> bytes:
    """The stored PDF: a reprint is these bytes, never a new rendering. An insurer's seat
    (`insurer_org_id`) gets only its own company's cases' letters."""
    query = (
        select(Attachment.content)
        .join(Letter, Letter.pdf_sha256 == Attachment.sha256)
        .where(Letter.id == letter_id)
    )
    if insurer_org_id is not None:
        query = query.where(case_visible(Letter.case_id, insurer_org_id))
    with session_factory() as session:
        content = session.scalar(query)
        if content is None:
            raise NotFound(
                "letter.not_found", f"Letter {letter_id} does not exist", letter_id=letter_id
            )
        return bytes(content)


def document_bytes(
    session_factory: SessionFactory, sha256: str, *, insurer_org_id: int | None = None
) -> bytes:
    """A stored document (a letter's PDF) by its SHA-256, for the push that carries it; with
    `insurer_org_id`, only one of that company's cases."""
    query = select(Attachment.content).where(Attachment.sha256 == sha256)
    if insurer_org_id is not None:
        query = query.where(blob_visible(Attachment.sha256, insurer_org_id))
    with session_factory() as session:
        content = session.scalar(query)
        if content is None:
            raise NotFound("document.not_found", f"No document {sha256}", sha256=sha256[:12])
        return bytes(content)
