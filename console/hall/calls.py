"""Use cases on 122 calls handed over to the hall (一键托管): ring, answer, transfer, hang up,
and turn a call into a case or link it to one.

The hall's database decides who handles a call inside the hall; the integration layer tells
the 122 gateway after commit, and nothing here talks HTTP. Answering must give a call to
exactly one seat when several press at once, so it is one conditional UPDATE (the row is
answerable, rings at this seat) that either wins or changes nothing; the loser is told who
has it. Every change is one transaction, audited in audit_log under `call:<id>`; a change to a
call linked to a case also appends a case event, so the case timeline shows it.

Legs (`call_legs`): a seat's part of a call starts when it answers and ends when it transfers
or the call ends. The first leg is kind 'answer'; a leg taken from a transfer is 'transfer'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningUpdate

from console.db.models import Call, CallLeg, Case, CaseEvent, Seat, UtcDateTime
from console.domain import validation
from console.domain.errors import RuleViolation
from console.domain.lifecycle import OFF_TRACK_STATES, TERMINAL_STATES, CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.call_queries import (
    WAITING_STATES,
    CallState,
    CallView,
    load_call_view,
    rings_at,
)
from console.hall.cases import (
    TRIAGE_ANSWERS,
    CaseChange,
    NewCase,
    PartyInput,
    _validate_parties,
    holder_name,
    insert_case,
    load_case,
)
from console.hall.errors import HeldByOther, NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, record_event, utcnow, write
from console.hall.permissions import Action, require

__all__ = [
    "answer_call",
    "answer_oldest",
    "hang_up",
    "link_call_to_case",
    "open_case_from_call",
    "record_caller_hung_up",
    "record_ringing",
    "transfer_call",
]

_EXTERNAL_ID_LIMIT = 64
_SEAT_LIMIT = 64
_NAME_LIMIT = 64
_PLACE_LIMIT = 255
_WAITING = [s.value for s in WAITING_STATES]


# ---------------------------------------------------------------- shared pieces


def _target(call_id: int) -> str:
    return f"call:{call_id}"


def _position(value: Position | str) -> Position:
    try:
        return Position(value)
    except ValueError:
        raise RuleViolation(
            "call.bad_position", f"{value!r} is not a position of the hall", position=str(value)
        ) from None


def _check_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleViolation("call.naive_time", f"The {what} time has no time zone", what=what)


def _trimmed(text: str | None, limit: int) -> str | None:
    """Free text from the gateway, cut to the column: a long subscriber name or address must
    not cost the hall the call."""
    if text is None:
        return None
    text = text.strip()
    return text[:limit] or None


def _check_coordinates(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise RuleViolation("call.half_coordinates", "Give both latitude and longitude, or neither")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RuleViolation(
            "call.bad_coordinates",
            f"Coordinates {lat}, {lon} are outside the valid range",
            lat=lat,
            lon=lon,
        )


def _lock_call(session: Session, call_id: int) -> Call:
    """Load a call for change; on PostgreSQL the row stays locked until commit."""
    call = session.scalars(select(Call).where(Call.id == call_id).with_for_update()).one_or_none()
    if call is None:
        raise NotFound("call.not_found", f"Call {call_id} does not exist", call_id=call_id)
    return call


def _system_case_event(
    session: Session, case_id: int, kind: str, *, at: datetime, details: dict[str, Any]
) -> None:
    """A case event nobody at a seat caused (the caller hung up): no actor, seat or position."""
    session.execute(
        insert(CaseEvent),
        {
            "case_id": case_id,
            "kind": kind,
            "actor_id": None,
            "seat": None,
            "position": None,
            "at": at,
            "reason": None,
            "details": details,
        },
    )


def _close_open_legs(session: Session, call_id: int, at: datetime) -> None:
    session.execute(
        update(CallLeg)
        .where(CallLeg.call_id == call_id, CallLeg.ended_at.is_(None))
        .values(ended_at=at)
        .execution_options(synchronize_session=False)
    )


def _not_answerable(view: CallView, actor: Actor) -> RuleViolation:
    """Why the conditional answer changed nothing, in words the loser can act on."""
    ext = view.external_id
    if view.state is CallState.ABANDONED:
        return RuleViolation(
            "call.caller_gone",
            f"The caller of call {ext} hung up before anyone answered",
            call=ext,
        )
    if view.state is CallState.ENDED:
        return RuleViolation("call.ended", f"Call {ext} has already ended", call=ext)
    if view.state is CallState.ANSWERED:
        name = view.answered_by_name or f"#{view.answered_by}"
        return HeldByOther(
            "call.answered_by_other",
            f"Call {ext} was answered by {name} at {view.answered_seat}",
            call=ext,
            holder=name,
            holder_id=view.answered_by,
            seat=view.answered_seat,
        )
    if view.target_seat:
        return PermissionDenied(
            "call.for_other_seat",
            f"Call {ext} is ringing at seat {view.target_seat}, not at yours ({actor.seat})",
            call=ext,
            target_seat=view.target_seat,
        )
    target = view.target_position.value if view.target_position else "no"
    return PermissionDenied(
        "call.for_other_position",
        f"Call {ext} is ringing for the {target} position, not for {actor.position.value}",
        call=ext,
        target_position=target,
    )


def _check_holder(session: Session, call: Call, actor: Actor, doing: str) -> None:
    """Only the seat holding the live call may transfer it or hang up."""
    ext = call.external_id
    state = CallState(call.state)
    if state is CallState.ANSWERED:
        if call.answered_by == actor.user_id and call.answered_seat == actor.seat:
            return
        name = holder_name(session, call.answered_by) if call.answered_by else "?"
        raise HeldByOther(
            "call.held_by_other",
            f"Call {ext} is held by {name} at {call.answered_seat}; only that seat may {doing}",
            call=ext,
            holder=name,
            holder_id=call.answered_by,
            seat=call.answered_seat,
        )
    if state is CallState.ABANDONED:
        raise RuleViolation(
            "call.caller_gone", f"The caller of call {ext} hung up before anyone answered", call=ext
        )
    if state is CallState.ENDED:
        raise RuleViolation("call.ended", f"Call {ext} has already ended", call=ext)
    raise RuleViolation(
        "call.not_answered",
        f"Call {ext} is not held by any seat; answer it before you {doing}",
        call=ext,
    )


def _check_may_link(session: Session, call: Call, actor: Actor) -> None:
    """A call is filed with one case, by the seat that took it (or the supervisor), once
    someone has spoken to the caller; it may have ended since (paperwork follows the call)."""
    ext = call.external_id
    if call.case_id is not None:
        case_no = session.scalar(select(Case.case_no).where(Case.id == call.case_id))
        raise RuleViolation(
            "call.already_linked",
            f"Call {ext} is already linked to case {case_no}",
            call=ext,
            case_no=case_no,
        )
    if call.answered_at is None:
        raise RuleViolation(
            "call.not_answered",
            f"Call {ext} was never answered; only an answered call opens or joins a case",
            call=ext,
        )
    if call.answered_by != actor.user_id and not actor.is_supervisor:
        name = holder_name(session, call.answered_by) if call.answered_by else "?"
        raise HeldByOther(
            "call.answered_by_other",
            f"Call {ext} was taken by {name}; only they or the supervisor may file it with a case",
            call=ext,
            holder=name,
            holder_id=call.answered_by,
            seat=call.answered_seat,
        )


# ---------------------------------------------------------------- from the gateway


def record_ringing(
    session_factory: SessionFactory,
    *,
    external_id: str,
    caller_phone: str,
    rang_at: datetime,
    caller_name: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    place_text: str | None = None,
    district: str | None = None,
    target_position: Position | str = Position.RECEPTION,
    target_seat: str | None = None,
) -> CallView:
    """A handed-over call starts ringing in the hall.

    Idempotent on `external_id`: the gateway may deliver an event twice, and the second
    delivery changes nothing and returns the call as it now is (perhaps already answered).
    A landline caller is accepted (the call still needs answering; only the SMS steps need a
    mobile); a number that is neither is refused (RuleViolation, nothing written), which the
    gateway follower logs as a gateway bug.
    """
    ext = (external_id or "").strip()
    if not ext or len(ext) > _EXTERNAL_ID_LIMIT:
        raise RuleViolation(
            "call.bad_external_id",
            f"The gateway's call id must be 1 to {_EXTERNAL_ID_LIMIT} characters; "
            f"got {external_id!r}",
            external_id=external_id,
        )
    phone = validation.validate_caller_number(caller_phone)
    _check_aware(rang_at, "ring")
    _check_coordinates(lat, lon)
    position = _position(target_position)
    seat = (target_seat or "").strip() or None
    if seat is not None and len(seat) > _SEAT_LIMIT:
        raise RuleViolation(
            "call.bad_seat", f"Seat name {seat!r} is too long", seat=seat, limit=_SEAT_LIMIT
        )
    row = {
        "external_id": ext,
        "caller_phone": phone,
        "caller_name": _trimmed(caller_name, _NAME_LIMIT),
        "lat": lat,
        "lon": lon,
        "place_text": _trimmed(place_text, _PLACE_LIMIT),
        "district": _trimmed(district, _NAME_LIMIT),
        "state": CallState.RINGING.value,
        "rang_at": rang_at,
        "target_position": position.value,
        "target_seat": seat,
        "version": 1,
    }
    now = utcnow()
    with write(session_factory) as session:
        # ON CONFLICT DO NOTHING rather than look-then-insert: two deliveries racing on
        # PostgreSQL must not make the second one fail on the unique key.
        dialect = session.get_bind().dialect.name
        builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            builder(Call)
            .values(**row)
            .on_conflict_do_nothing(index_elements=[Call.external_id])
            .returning(Call.id)
        )
        call_id = session.execute(statement).scalar_one_or_none()
        if call_id is None:
            existing = session.scalar(select(Call.id).where(Call.external_id == ext))
            assert existing is not None  # the conflict was on this very key
            return load_call_view(session, existing, now=now)
        record_audit(
            session,
            None,
            "call_rang",
            _target(call_id),
            at=now,
            details={
                "external_id": ext,
                "rang_at": rang_at.isoformat(),
                "target_position": position.value,
                "target_seat": seat,
            },
        )
        return load_call_view(session, call_id, now=now)


def record_caller_hung_up(
    session_factory: SessionFactory, *, external_id: str, at: datetime
) -> CallView:
    """The caller hung up (reported by the gateway).

    A call nobody answered becomes 'abandoned' and leaves every ringing list; an answered one
    (held, or on hold in a transfer) ends, with the open leg. A repeated report changes
    nothing. Times are clamped so no duration comes out negative when the gateway's clock
    is a little behind the seat's.
    """
    _check_aware(at, "hang-up")
    ext = (external_id or "").strip()
    now = utcnow()
    with write(session_factory) as session:
        call = session.scalars(
            select(Call).where(Call.external_id == ext).with_for_update()
        ).one_or_none()
        if call is None:
            raise NotFound(
                "call.not_found",
                f"No call with the gateway id {external_id!r}",
                external_id=external_id,
            )
        state = CallState(call.state)
        if state in (CallState.ENDED, CallState.ABANDONED):
            return load_call_view(session, call.id, now=now)
        if call.answered_at is None:
            call.state = CallState.ABANDONED.value
            call.ended_at = max(at, call.rang_at)
            action = "call_abandoned"
        else:
            open_since = session.scalar(
                select(func.max(CallLeg.started_at)).where(
                    CallLeg.call_id == call.id, CallLeg.ended_at.is_(None)
                )
            )
            ended = max(at, call.answered_at, open_since or call.answered_at)
            call.state = CallState.ENDED.value
            call.ended_at = ended
            _close_open_legs(session, call.id, ended)
            action = "caller_hung_up"
        session.flush()
        details = {"external_id": call.external_id, "from_state": state.value, "at": at.isoformat()}
        record_audit(session, None, action, _target(call.id), at=now, details=details)
        if call.case_id is not None:
            _system_case_event(
                session, call.case_id, action, at=now, details={"call_id": call.id, **details}
            )
        return load_call_view(session, call.id, now=now)


# ---------------------------------------------------------------- at a seat


_AnswerUpdate = ReturningUpdate[int, int | None, str]


def _answer(actor: Actor, now: datetime) -> _AnswerUpdate:
    """The conditional UPDATE that gives a waiting call to this seat, or changes nothing.

    `answered_at` keeps the first answer: the hall's answer time is ring to first pick-up,
    whatever transfers follow.
    """
    return (
        update(Call)
        .where(Call.state.in_(_WAITING), rings_at(actor.position, actor.seat))
        .values(
            state=CallState.ANSWERED.value,
            answered_by=actor.user_id,
            answered_seat=actor.seat,
            answered_at=func.coalesce(Call.answered_at, literal(now, UtcDateTime())),
            version=Call.version + 1,
        )
        .returning(Call.id, Call.case_id, Call.external_id)
        .execution_options(synchronize_session=False)
    )


def _after_answer(
    session: Session, actor: Actor, row: Row[int, int | None, str], now: datetime
) -> CallView:
    call_id, case_id, external_id = row
    # The UPDATE holds the row lock (PostgreSQL) or the write lock (SQLite): no leg can
    # appear between this check and the insert.
    earlier_leg = session.scalar(select(exists().where(CallLeg.call_id == call_id)))
    kind = "transfer" if earlier_leg else "answer"
    session.execute(
        insert(CallLeg),
        {
            "call_id": call_id,
            "seat": actor.seat,
            "user_id": actor.user_id,
            "position": actor.position.value,
            "started_at": now,
            "ended_at": None,
            "kind": kind,
        },
    )
    details = {"external_id": external_id, "leg": kind}
    record_audit(session, actor, "call_answered", _target(call_id), at=now, details=details)
    if case_id is not None:
        record_event(
            session,
            actor,
            case_id,
            "call_answered",
            at=now,
            details={"call_id": call_id, **details},
        )
    return load_call_view(session, call_id, now=now)


def answer_call(session_factory: SessionFactory, actor: Actor, call_id: int) -> CallView:
    """Pick up one call from the ringing list.

    Exactly one seat wins when several press at once; the others get `call.answered_by_other`
    naming the seat and user who has it. Pressing again at the seat that holds it is harmless.
    """
    now = utcnow()
    with write(session_factory) as session:
        row = session.execute(_answer(actor, now).where(Call.id == call_id)).one_or_none()
        if row is not None:
            return _after_answer(session, actor, row, now)
        view = load_call_view(session, call_id, now=now)
        if view.held_by(actor.user_id, actor.seat):
            return view
        raise _not_answerable(view, actor)


def answer_oldest(session_factory: SessionFactory, actor: Actor) -> CallView | None:
    """The one-key answer: the call that has rung longest at this seat, or None.

    One statement picks and answers. PostgreSQL skips a row another seat is answering this
    instant (`FOR UPDATE SKIP LOCKED`) and takes the next; SQLite's write transaction holds
    the single write lock, so the pick and the update cannot interleave with another process.
    """
    now = utcnow()
    pick = (
        select(Call.id)
        .where(Call.state.in_(_WAITING), rings_at(actor.position, actor.seat))
        .order_by(Call.rang_at, Call.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .correlate(None)
        .scalar_subquery()
    )
    with write(session_factory) as session:
        row = session.execute(_answer(actor, now).where(Call.id == pick)).one_or_none()
        if row is None:
            return None
        return _after_answer(session, actor, row, now)


def transfer_call(
    session_factory: SessionFactory,
    actor: Actor,
    call_id: int,
    *,
    to_position: Position | str | None = None,
    to_seat: str | None = None,
    reason: str | None = None,
) -> CallView:
    """Send the live call to another position, or to one seat (one key at reception).

    The caller stays on the line (on hold); the call rings again for the target, the
    holder's leg ends now and the target's leg starts when it answers. A seat named must
    exist in the hall's seat list and be active, else the call would ring nowhere.
    """
    position = _position(to_position) if to_position is not None else None
    seat = to_seat.strip() if to_seat else None
    if position is None and not seat:
        raise RuleViolation(
            "call.transfer_target_missing", "Name the position or the seat to transfer the call to"
        )
    if seat == actor.seat:
        raise RuleViolation(
            "call.transfer_to_self", f"The call is already at your seat ({seat})", seat=seat
        )
    reason_text = reason.strip() if reason and reason.strip() else None
    now = utcnow()
    with write(session_factory) as session:
        call = _lock_call(session, call_id)
        _check_holder(session, call, actor, "transfer it")
        if seat:
            desk = session.scalars(select(Seat).where(Seat.name == seat)).one_or_none()
            if desk is None:
                raise NotFound("seat.not_found", f"There is no seat named {seat!r}", seat=seat)
            if not desk.active:
                raise RuleViolation("seat.inactive", f"Seat {seat} is not in use", seat=seat)
            seat_position = Position(desk.position)
            if position is not None and position is not seat_position:
                raise RuleViolation(
                    "call.seat_position_mismatch",
                    f"Seat {seat} is a {seat_position.value} seat, not {position.value}",
                    seat=seat,
                    seat_position=seat_position.value,
                    position=position.value,
                )
            position = seat_position
        assert position is not None
        from_seat = call.answered_seat
        call.state = CallState.TRANSFERRING.value
        call.target_position = position.value
        call.target_seat = seat
        _close_open_legs(session, call.id, now)
        session.flush()
        details = {
            "external_id": call.external_id,
            "from_seat": from_seat,
            "to_position": position.value,
            "to_seat": seat,
            "reason": reason_text,
        }
        record_audit(session, actor, "call_transferred", _target(call.id), at=now, details=details)
        if call.case_id is not None:
            record_event(
                session,
                actor,
                call.case_id,
                "call_transferred",
                at=now,
                reason=reason_text,
                details={"call_id": call.id, **details},
            )
        return load_call_view(session, call.id, now=now)


def hang_up(session_factory: SessionFactory, actor: Actor, call_id: int) -> CallView:
    """The seat that holds the call ends it; its leg ends at the same moment."""
    now = utcnow()
    with write(session_factory) as session:
        call = _lock_call(session, call_id)
        _check_holder(session, call, actor, "hang up")
        call.state = CallState.ENDED.value
        call.ended_at = now
        _close_open_legs(session, call.id, now)
        session.flush()
        details = {"external_id": call.external_id}
        record_audit(session, actor, "call_hung_up", _target(call.id), at=now, details=details)
        if call.case_id is not None:
            record_event(
                session,
                actor,
                call.case_id,
                "call_ended",
                at=now,
                details={"call_id": call.id, **details},
            )
        return load_call_view(session, call.id, now=now)


# ---------------------------------------------------------------- calls and cases


def open_case_from_call(
    session_factory: SessionFactory,
    actor: Actor,
    call_id: int,
    *,
    place_text: str | None = None,
    parties: Sequence[PartyInput] = (),
    occurred_at: datetime | None = None,
    district: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    vehicle_count: int | None = None,
    injuries: bool | None = None,
    movable: bool | None = None,
    answers: Mapping[str, bool | None] | None = None,
    notes: str = "",
) -> CaseChange:
    """Open a case from the call, pre-filled with the caller's number and location, and link
    the call to it, in one transaction: a refused case leaves the call unlinked.

    The case is written by `console.hall.cases.insert_case`, the same code and rules as
    `create_case`, inside this use case's transaction. Anything not given comes from the
    call; the accident time defaults to the ring, the latest moment it can have happened.
    `answers` holds the triage answers by name (`console.hall.cases.TRIAGE_ANSWERS`).
    """
    require(actor, Action.CREATE_CASE)
    _validate_parties(parties)
    triage = dict(answers or {})
    unknown = set(triage) - set(TRIAGE_ANSWERS)
    if unknown:
        raise RuleViolation(
            "case.field_not_editable",
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}",
            fields=sorted(unknown),
        )
    now = utcnow()
    with write(session_factory) as session:
        call = _lock_call(session, call_id)
        _check_may_link(session, call, actor)
        own_coordinates = lat is not None or lon is not None
        new = NewCase(
            source="call",
            occurred_at=occurred_at or call.rang_at,
            place_text=place_text if place_text is not None else (call.place_text or ""),
            district=district if district is not None else call.district,
            lat=lat if own_coordinates else call.lat,
            lon=lon if own_coordinates else call.lon,
            caller_phone=call.caller_phone,
            vehicle_count=vehicle_count,
            injuries=injuries,
            movable=movable,
            notes=notes,
            parties=tuple(parties),
            drink_or_drugs=triage.get("drink_or_drugs"),
            plates_suspect=triage.get("plates_suspect"),
            dangerous_goods=triage.get("dangerous_goods"),
            party_fled=triage.get("party_fled"),
            deliberate=triage.get("deliberate"),
        )
        link = {"call_id": call.id, "external_id": call.external_id}

        def link_call(case: Case) -> None:
            call.case_id = case.id

        change = insert_case(session, actor, new, at=now, details=link, before_event=link_call)
        record_audit(
            session,
            actor,
            "call_linked",
            _target(call.id),
            at=now,
            details={
                **link,
                "case_id": change.case_id,
                "case_no": change.case_no,
                "new_case": True,
            },
        )
        return change


def link_call_to_case(
    session_factory: SessionFactory, actor: Actor, call_id: int, case_id: int
) -> CallView:
    """File the call with an open case (a second caller about the same crash, a party
    calling back). Linking it to the case it already has changes nothing."""
    require(actor, Action.EDIT_CASE)
    now = utcnow()
    with write(session_factory) as session:
        call = _lock_call(session, call_id)
        if call.case_id == case_id:
            return load_call_view(session, call.id, now=now)
        _check_may_link(session, call, actor)
        case = load_case(session, case_id)
        state = CaseState(case.state)
        if state in TERMINAL_STATES or state in OFF_TRACK_STATES:
            raise RuleViolation(
                "case.not_open",
                f"Case {case.case_no} is {state.value}; a call can only join an open case",
                case_no=case.case_no,
                state=state.value,
            )
        call.case_id = case.id
        session.flush()
        details = {
            "call_id": call.id,
            "external_id": call.external_id,
            "caller_phone": call.caller_phone,
        }
        record_event(session, actor, case.id, "call_linked", at=now, details=details)
        record_audit(
            session,
            actor,
            "call_linked",
            _target(call.id),
            at=now,
            details={**details, "case_id": case.id, "case_no": case.case_no, "new_case": False},
        )
        return load_call_view(session, call.id, now=now)
