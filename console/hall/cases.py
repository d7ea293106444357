"""Use cases on a case itself: open it, move it through the lifecycle, edit it, record the
parties' own agreement."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.db.models import Case, Party, User
from console.domain import validation
from console.domain.deadlines import to_local
from console.domain.errors import RuleViolation
from console.domain.liability import AccidentForm, Grade, validate_grades
from console.domain.lifecycle import (
    CLAIM_MOVES,
    CaseState,
    check_transition,
    clock_starts_on_entry,
    find_transition,
    is_terminal,
    owner_of,
)
from console.hall.actor import Actor
from console.hall.errors import HeldByOther, NotFound, StaleEdit
from console.hall.journal import SessionFactory, record_event, utcnow, write
from console.hall.permissions import Action, require
from console.hall.visibility import insurer_of, require_case_visible

PARTY_LETTERS = ("A", "B", "C")
SOURCES = frozenset({"call", "app", "patrol", "walk_in"})


@dataclass(frozen=True, slots=True)
class CaseChange:
    """What a use case changed: enough for a view to refresh one row without a reload."""

    case_id: int
    case_no: str
    state: CaseState
    version: int
    assignee_id: int | None
    event_id: int


@dataclass(frozen=True, slots=True)
class PartyInput:
    """One driver as typed at a seat; validated before anything is written."""

    name: str
    phone: str | None = None
    plate_no: str | None = None
    plate_type: str | None = None
    id_number: str | None = None
    licence_number: str | None = None
    insurer_org_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    source: str
    occurred_at: datetime
    place_text: str
    district: str | None = None
    lat: float | None = None
    lon: float | None = None
    caller_phone: str | None = None
    vehicle_count: int | None = None
    injuries: bool | None = None
    movable: bool | None = None
    drink_or_drugs: bool | None = None
    plates_suspect: bool | None = None
    dangerous_goods: bool | None = None
    party_fled: bool | None = None
    deliberate: bool | None = None
    notes: str = ""
    parties: Sequence[PartyInput] = field(default_factory=tuple)


def case_number(opened_at: datetime, case_id: int) -> str:
    """The number people read out on the phone: the hall's local date of opening + the id."""
    return f"KC{to_local(opened_at):%Y%m%d}{case_id:06d}"


def change_of(case: Case, event_id: int) -> CaseChange:
    return CaseChange(
        case_id=case.id,
        case_no=case.case_no,
        state=CaseState(case.state),
        version=case.version,
        assignee_id=case.assignee_id,
        event_id=event_id,
    )


def load_case(session: Session, case_id: int, *, lock: bool = True) -> Case:
    """Load a case for change; on PostgreSQL the row stays locked until commit."""
    query = select(Case).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    case = session.scalars(query).one_or_none()
    if case is None:
        raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise StaleEdit(
            "case.stale",
            f"Case {case.case_no} was changed by someone else since you opened it "
            f"(your copy is version {expected_version}, the hall has {case.version}); "
            "reload it and apply your change again",
            case_no=case.case_no,
            expected=expected_version,
            actual=case.version,
        )


def holder_name(session: Session, user_id: int) -> str:
    # The name alone: an insurer's database role may not read the rest of a user's row.
    name = session.scalar(select(User.display_name).where(User.id == user_id))
    return name if name is not None else f"#{user_id}"


def check_not_held_by_other(session: Session, case: Case, actor: Actor) -> None:
    if case.assignee_id is not None and case.assignee_id != actor.user_id:
        name = holder_name(session, case.assignee_id)
        raise HeldByOther(
            "case.held_by_other",
            f"Case {case.case_no} is being handled by {name}",
            case_no=case.case_no,
            holder=name,
            holder_id=case.assignee_id,
        )


def _validate_parties(parties: Sequence[PartyInput]) -> list[dict[str, Any]]:
    if len(parties) > len(PARTY_LETTERS):
        raise RuleViolation(
            "case.too_many_parties",
            f"A fast-handling case has at most {len(PARTY_LETTERS)} parties, not {len(parties)}",
            count=len(parties),
        )
    rows = []
    for letter, party in zip(PARTY_LETTERS, parties, strict=False):
        if not party.name.strip():
            raise RuleViolation("party.name_missing", f"Party {letter} has no name", letter=letter)
        row: dict[str, Any] = {"letter": letter, "name": party.name.strip()}
        if party.phone:
            row["phone"] = validation.validate_mobile(party.phone)
        if party.plate_no:
            plate = validation.validate_plate(party.plate_no)
            row["plate_no"] = plate.text
            # The GA 24.7 plate type the seat confirmed, else the likeliest for this format.
            row["plate_type"] = party.plate_type or plate.kind.plate_type_codes[0]
        if party.id_number:
            row["id_number"] = validation.validate_id_number(party.id_number)
        if party.licence_number:
            row["licence_number"] = party.licence_number.strip().upper()
        row["insurer_org_id"] = party.insurer_org_id
        rows.append(row)
    return rows


def _validate_new_case(new: NewCase) -> str | None:
    if new.source not in SOURCES:
        raise RuleViolation(
            "case.bad_source", f"Unknown case source {new.source!r}", source=new.source
        )
    if not new.place_text.strip():
        raise RuleViolation("case.place_missing", "The place of the accident is missing")
    if new.occurred_at.tzinfo is None:
        raise RuleViolation("case.naive_time", "The accident time has no time zone")
    if new.vehicle_count is not None and not 1 <= new.vehicle_count <= 9:
        raise RuleViolation(
            "case.bad_vehicle_count",
            f"Vehicle count {new.vehicle_count} is not between 1 and 9",
            count=new.vehicle_count,
        )
    _validate_coordinates(new.lat, new.lon)
    return validation.validate_caller_number(new.caller_phone) if new.caller_phone else None


def _validate_coordinates(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise RuleViolation("case.half_coordinates", "Give both latitude and longitude, or neither")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RuleViolation(
            "case.bad_coordinates",
            f"Coordinates {lat}, {lon} are outside the valid range",
            lat=lat,
            lon=lon,
        )


def create_case(session_factory: SessionFactory, actor: Actor, new: NewCase) -> CaseChange:
    """Open a case (from a call, an app submission, a patrol sighting or a walk-in)."""
    require(actor, Action.CREATE_CASE)
    _validate_new_case(new)
    _validate_parties(new.parties)
    with write(session_factory) as session:
        return insert_case(session, actor, new, at=utcnow())


def insert_case(
    session: Session,
    actor: Actor | None,
    new: NewCase,
    *,
    at: datetime,
    details: dict[str, Any] | None = None,
    before_event: Callable[[Case], None] | None = None,
) -> CaseChange:
    """Validate and write a new case inside the caller's transaction, for use cases that open
    a case as part of something larger (a call answered at reception). `before_event` runs
    once the case has its id and parties, before the `created` event is recorded."""
    caller_phone = _validate_new_case(new)
    party_rows = _validate_parties(new.parties)
    case = Case(
        case_no=f"TMP-{uuid.uuid4().hex[:24]}",
        state=CaseState.NEW.value,
        owner_position=owner_of(CaseState.NEW),
        created_at=at,
        updated_at=at,
        state_since=at,
        occurred_at=new.occurred_at,
        place_text=new.place_text.strip(),
        district=new.district,
        lat=new.lat,
        lon=new.lon,
        source=new.source,
        caller_phone=caller_phone,
        vehicle_count=new.vehicle_count or (len(party_rows) or None),
        injuries=new.injuries,
        movable=new.movable,
        drink_or_drugs=new.drink_or_drugs,
        plates_suspect=new.plates_suspect,
        dangerous_goods=new.dangerous_goods,
        party_fled=new.party_fled,
        deliberate=new.deliberate,
        notes=new.notes,
    )
    session.add(case)
    session.flush()
    case.case_no = case_number(at, case.id)
    for row in party_rows:
        session.add(Party(case_id=case.id, **row))
    if before_event is not None:
        before_event(case)
    session.flush()
    event_id = record_event(
        session,
        actor,
        case.id,
        "created",
        at=at,
        to_state=CaseState.NEW,
        details={"source": new.source, "parties": len(party_rows), **(details or {})},
    )
    return change_of(case, event_id)


def apply_move(
    session: Session,
    actor: Actor | None,
    case: Case,
    target: CaseState,
    *,
    reason: str | None,
    details: dict[str, Any] | None = None,
    at: datetime,
    kind: str = "transition",
) -> int:
    """Move a loaded case: check the rule, the position and the lock; write state and event.

    `actor` None is the hall itself (the parties' upload moves a case into review): the move
    must be in the table, but no position or lock applies."""
    source = CaseState(case.state)
    if actor is None:
        found = find_transition(source, target)
        if found is None or found.needs_lock:
            raise RuleViolation(
                "lifecycle.not_allowed",
                f"A case cannot move from {source.value} to {target.value}",
                source=source.value,
                target=target.value,
            )
        move = found
    else:
        move = check_transition(source, target, actor.position, reason)
    if (
        actor is not None
        and move.needs_lock
        and case.assignee_id != actor.user_id
        and not actor.is_supervisor
    ):
        if case.assignee_id is None:
            raise HeldByOther(
                "case.not_claimed",
                f"Claim case {case.case_no} before you {move.action.replace('_', ' ')}",
                case_no=case.case_no,
            )
        check_not_held_by_other(session, case, actor)
    case.state = target.value
    case.owner_position = owner_of(target)
    case.state_since = at
    case.updated_at = at
    if clock_starts_on_entry(target):
        case.timer_started_at = at
    if target in CLAIM_MOVES.values() and actor is not None:
        # Entering a locked step (taking a determination task): the mover holds the lock.
        case.assignee_id = actor.user_id
        case.claimed_at = at
    else:
        # A claim belongs to one step; the next step starts unclaimed.
        case.assignee_id = None
        case.claimed_at = None
    session.flush()
    return record_event(
        session,
        actor,
        case.id,
        kind,
        at=at,
        from_state=source,
        to_state=target,
        reason=reason,
        details={"action": move.action, **(details or {})},
    )


def move_case(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    target: CaseState,
    *,
    expected_version: int | None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> CaseChange:
    """Move a case one step of the lifecycle (the generic form of every seat's action)."""
    now = utcnow()
    with write(session_factory) as session:
        require_case_visible(session, case_id, insurer_of(actor))
        case = load_case(session, case_id)
        check_version(case, expected_version)
        event_id = apply_move(session, actor, case, target, reason=reason, details=details, at=now)
        return change_of(case, event_id)


TRIAGE_ANSWERS = ("drink_or_drugs", "plates_suspect", "dangerous_goods", "party_fled", "deliberate")
"""Yes/no answers from triage, stored as asked (None: not asked yet)."""

EDITABLE_FIELDS = frozenset(
    {
        "place_text",
        "district",
        "lat",
        "lon",
        "weather",
        "notes",
        "occurred_at",
        "accident_form",
        "injuries",
        "movable",
        "vehicle_count",
        *TRIAGE_ANSWERS,
    }
)


def edit_case(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
) -> CaseChange:
    """Change a case's facts. A stale view is refused instead of overwriting newer data."""
    require(actor, Action.EDIT_CASE)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(
            "case.field_not_editable",
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}",
            fields=sorted(unknown),
        )
    if "place_text" in changes and not str(changes["place_text"] or "").strip():
        raise RuleViolation("case.place_missing", "The place of the accident is missing")
    if "lat" in changes or "lon" in changes:
        _validate_coordinates(changes.get("lat"), changes.get("lon"))
    for name in (*TRIAGE_ANSWERS, "injuries", "movable"):
        if name in changes and changes[name] is not None and not isinstance(changes[name], bool):
            raise RuleViolation(
                "case.bad_answer", f"{name} must be yes, no or not asked", field=name
            )
    if "accident_form" in changes and changes["accident_form"] is not None:
        try:
            AccidentForm(str(changes["accident_form"]))
        except ValueError:
            raise RuleViolation(
                "case.bad_accident_form",
                f"{changes['accident_form']!r} is not an accident form code",
                form=changes["accident_form"],
            ) from None
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        if is_terminal(CaseState(case.state)):
            raise RuleViolation(
                "case.closed", f"Case {case.case_no} is closed and cannot be edited"
            )
        check_not_held_by_other(session, case, actor)
        diff = {}
        for name, value in changes.items():
            old = getattr(case, name)
            if old != value:
                diff[name] = [_jsonable(old), _jsonable(value)]
                setattr(case, name, value)
        if not diff:
            return change_of(case, 0)
        case.updated_at = now
        session.flush()
        changed = {"changed": diff}
        event_id = record_event(session, actor, case.id, "edited", at=now, details=changed)
        return change_of(case, event_id)


def record_agreement(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    expected_version: int | None,
    grades: Mapping[str, Grade],
) -> CaseChange:
    """The parties settled liability themselves (自行协商): only 全/同/无 grades are valid."""
    now = utcnow()
    with write(session_factory) as session:
        case = load_case(session, case_id)
        check_version(case, expected_version)
        parties = session.scalars(
            select(Party).where(Party.case_id == case.id).order_by(Party.letter)
        ).all()
        letters = [p.letter for p in parties]
        if sorted(grades) != letters:
            raise RuleViolation(
                "agreement.parties_mismatch",
                f"The agreement must grade exactly parties {', '.join(letters) or '(none)'}",
                expected=letters,
                got=sorted(grades),
            )
        validate_grades([grades[letter] for letter in letters], by_officer=False)
        for party in parties:
            party.grade = grades[party.letter].value
        event_id = apply_move(
            session,
            actor,
            case,
            CaseState.AGREED,
            reason=None,
            details={"grades": {k: v.value for k, v in grades.items()}},
            at=now,
        )
        return change_of(case, event_id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
