"""Claiming work: take a case, take the next one, release it, and the supervisor's take-over.

A claimed case is locked to its holder (DOMAIN.md): only the holder completes or releases it;
a supervisor may take it over with a reason, which is audited. "Take next" must never give one
case to two seats: PostgreSQL skips rows another transaction has locked (`FOR UPDATE SKIP
LOCKED`); SQLite serialises writers with BEGIN IMMEDIATE, so the select-then-update inside one
write transaction cannot interleave with another process's.
"""

from __future__ import annotations

from sqlalchemy import case as sql_case
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.db.models import Case, User
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CLAIM_MOVES, WORK_STATES, CaseState
from console.hall.actor import Actor
from console.hall.cases import (
    CaseChange,
    apply_move,
    change_of,
    check_not_held_by_other,
    check_version,
    holder_name,
    load_case,
)
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_event, utcnow, write
from console.hall.permissions import Action, require
from console.hall.visibility import case_visible, insurer_of, require_case_visible


def _claim_loaded(session: Session, actor: Actor, case: Case) -> CaseChange:
    now = utcnow()
    state = CaseState(case.state)
    target = CLAIM_MOVES.get(state)
    if target is not None:
        event_id = apply_move(session, actor, case, target, reason=None, at=now, kind="claimed")
    else:
        case.assignee_id = actor.user_id
        case.claimed_at = now
        case.updated_at = now
        session.flush()
        event_id = record_event(session, actor, case.id, "claimed", at=now)
    return change_of(case, event_id)


def claim_case(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    expected_version: int | None = None,
) -> CaseChange:
    """Take one case from the queue; refused with the holder's name if someone has it."""
    require(actor, Action.CLAIM_CASE)
    with write(session_factory) as session:
        require_case_visible(session, case_id, insurer_of(actor))
        case = load_case(session, case_id)
        check_version(case, expected_version)
        check_not_held_by_other(session, case, actor)
        if case.assignee_id == actor.user_id:
            return change_of(case, 0)
        if case.owner_position != actor.position.value and not actor.is_supervisor:
            raise PermissionDenied(
                "case.not_for_position",
                f"Case {case.case_no} waits on the {case.owner_position or 'no'} position, "
                f"not on {actor.position.value}",
                case_no=case.case_no,
                owner=case.owner_position,
            )
        return _claim_loaded(session, actor, case)


def claim_next(session_factory: SessionFactory, actor: Actor) -> CaseChange | None:
    """Claim the oldest unclaimed case waiting on the actor's position; None if there is none.
    An adjuster draws only from its own company's cases."""
    require(actor, Action.CLAIM_CASE)
    states = [s.value for s in WORK_STATES.get(actor.position, ())]
    if not states:
        return None
    now = utcnow()
    waiting = [
        Case.owner_position == actor.position.value,
        Case.assignee_id.is_(None),
        Case.state.in_(states),
    ]
    company = insurer_of(actor)
    if company is not None:
        waiting.append(case_visible(Case.id, company))
    # One statement picks and claims: PostgreSQL skips rows another seat has locked; on
    # SQLite the write transaction already holds the database's single write lock.
    pick = (
        select(Case.id)
        .where(*waiting)
        .order_by(Case.state_since, Case.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    moved = [(Case.state == source.value, target.value) for source, target in CLAIM_MOVES.items()]
    entering = [(Case.state == source.value, now) for source in CLAIM_MOVES]
    claim = (
        update(Case)
        .where(Case.id == pick, Case.assignee_id.is_(None))
        .values(
            assignee_id=actor.user_id,
            claimed_at=now,
            updated_at=now,
            version=Case.version + 1,
            state=sql_case(*moved, else_=Case.state),
            state_since=sql_case(*entering, else_=Case.state_since),
        )
        .returning(Case.id, Case.case_no, Case.state, Case.version)
        .execution_options(synchronize_session=False)
    )
    with write(session_factory) as session:
        row = session.execute(claim).one_or_none()
        if row is None:
            return None
        case_id, case_no, state_value, version = row
        state = CaseState(state_value)
        source = _CLAIM_SOURCES.get(state)
        event_id = record_event(
            session,
            actor,
            case_id,
            "claimed",
            at=now,
            from_state=source,
            to_state=state if source else None,
            details={"action": "start_determination"} if source else None,
        )
        return CaseChange(case_id, case_no, state, version, actor.user_id, event_id)


_CLAIM_SOURCES = {target: source for source, target in CLAIM_MOVES.items()}


def release_case(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    reason: str | None = None,
) -> CaseChange:
    """Give a claimed case back to its position's queue (only its holder may)."""
    now = utcnow()
    with write(session_factory) as session:
        require_case_visible(session, case_id, insurer_of(actor))
        case = load_case(session, case_id)
        if case.assignee_id is None:
            raise RuleViolation(
                "case.not_claimed", f"Case {case.case_no} is not claimed", case_no=case.case_no
            )
        check_not_held_by_other(session, case, actor)
        state = CaseState(case.state)
        back = _CLAIM_SOURCES.get(state)
        if back is not None:
            event_id = apply_move(
                session, actor, case, back, reason=reason, at=now, kind="released"
            )
        else:
            case.assignee_id = None
            case.claimed_at = None
            case.updated_at = now
            session.flush()
            event_id = record_event(session, actor, case.id, "released", at=now, reason=reason)
        return change_of(case, event_id)


def take_over(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    reason: str,
    to_user_id: int | None = None,
) -> CaseChange:
    """A supervisor moves a locked case to themself (or another user) — with a reason."""
    require(actor, Action.TAKE_OVER)
    if not reason or not reason.strip():
        raise RuleViolation("case.takeover_reason", "Taking over a case needs a reason")
    now = utcnow()
    new_holder = to_user_id or actor.user_id
    with write(session_factory) as session:
        case = load_case(session, case_id)
        if session.get(User, new_holder) is None:
            raise NotFound(
                "user.not_found", f"User {new_holder} does not exist", user_id=new_holder
            )
        previous = case.assignee_id
        case.assignee_id = new_holder
        case.claimed_at = now
        case.updated_at = now
        session.flush()
        event_id = record_event(
            session,
            actor,
            case.id,
            "taken_over",
            at=now,
            reason=reason,
            details={
                "from_user_id": previous,
                "from_user": holder_name(session, previous) if previous else None,
                "to_user_id": new_holder,
            },
        )
        return change_of(case, event_id)
