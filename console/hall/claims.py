"""The claims seat's use cases: an adjuster of one insurer takes its company's claim, records
the loss assessment (定损) and the payout (赔付); the case settles when every claim on it is paid.

Isolation (issue 8): an adjuster sees and changes only claims of its own company. A claim of
another company is refused as NotFound, the same as one that does not exist, so the refusal
does not reveal that another insurer's customer had an accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.db.models import CLAIM_STAGES, Case, Claim, Party
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.cases import apply_move, holder_name, load_case
from console.hall.errors import HeldByOther, NotFound, PermissionDenied, StaleEdit
from console.hall.journal import SessionFactory, record_event, utcnow, write

# The same order insurer_answers moves a claim by: a stage never goes backwards.
STAGE_ORDER: Final = {stage: index for index, stage in enumerate(CLAIM_STAGES)}

AMOUNT_CAP: Final = Decimal("1000000")
"""A guard against a mistyped amount (fast handling is minor property damage), not a rule of
the trade; callers pass the hall's configured cap when it has one."""

_TAKE_STATES: Final = frozenset(
    {CaseState.AGREED, CaseState.DETERMINED, CaseState.INSURERS_NOTIFIED, CaseState.CLAIMS_OPEN}
)
"""Case states in which a claim may be taken; a disputed case waits for its determination."""

_REPAIR_SHOP_MAX: Final = 128
_PART_MAX: Final = 64
_PARTS_MAX: Final = 40


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """What a claims use case changed: the claim's new stage and version, the case's state."""

    claim_id: int
    case_id: int
    case_no: str
    stage: str
    version: int
    assignee_id: int | None
    case_state: CaseState
    event_id: int


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One line of a company's claims queue, a plain snapshot for the view."""

    claim_id: int
    case_id: int
    case_no: str
    case_state: CaseState
    party_letter: str
    plate_no: str | None
    stage: str
    report_no: str | None
    notified_at: datetime
    minutes_since_notified: int
    assessed_amount: Decimal | None
    paid_amount: Decimal | None
    paid_at: datetime | None
    knock_for_knock: bool
    assignee_id: int | None
    version: int


def _require_claims_seat(actor: Actor, action: str) -> int:
    """Only an insurer's adjuster acts on claims; returns the actor's company id."""
    if actor.position is not Position.CLAIMS or actor.org_id is None:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.replace('_', ' ')}",
            position=actor.position.value,
            action=action,
        )
    return actor.org_id


def _load_own_claim(session: Session, actor_org_id: int, claim_id: int) -> Claim:
    claim = session.scalars(
        select(Claim).where(Claim.id == claim_id).with_for_update()
    ).one_or_none()
    if claim is None or claim.insurer_org_id != actor_org_id:
        raise NotFound("claim.no_such_claim", f"Claim {claim_id} does not exist", claim_id=claim_id)
    return claim


def _check_claim_version(claim: Claim, case: Case, expected_version: int) -> None:
    if claim.version != expected_version:
        raise StaleEdit(
            "claim.stale",
            f"The claim on case {case.case_no} was changed by someone else since you opened it "
            f"(your copy is version {expected_version}, the hall has {claim.version}); "
            "reload it and apply your change again",
            case_no=case.case_no,
            expected=expected_version,
            actual=claim.version,
        )


def _check_holder(session: Session, claim: Claim, case: Case, actor: Actor) -> None:
    if claim.assignee_id is None:
        raise HeldByOther(
            "claim.not_taken",
            f"Take the claim on case {case.case_no} before you change it",
            case_no=case.case_no,
        )
    if claim.assignee_id != actor.user_id:
        name = holder_name(session, claim.assignee_id)
        raise HeldByOther(
            "claim.held_by_other",
            f"The claim on case {case.case_no} is being handled by {name}",
            case_no=case.case_no,
            holder=name,
        )


def _check_case_open(case: Case) -> None:
    if case.state != CaseState.CLAIMS_OPEN.value:
        raise RuleViolation(
            "claim.case_not_open",
            f"Case {case.case_no} is {case.state}; its claims cannot change now",
            case_no=case.case_no,
            state=case.state,
        )


def _check_amount(amount: Decimal, cap: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0 or amount > cap:
        raise RuleViolation(
            "claim.bad_amount",
            f"The amount {amount} must be more than 0 and at most {cap} yuan",
            amount=str(amount),
            cap=str(cap),
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise RuleViolation(
            "claim.bad_amount",
            f"The amount {amount} has more than two decimal places",
            amount=str(amount),
            cap=str(cap),
        )
    return amount


def _stage_forward(claim: Claim, case: Case, target: str) -> None:
    """Refuse a move to an earlier stage (a paid claim is not re-assessed)."""
    if STAGE_ORDER[target] < STAGE_ORDER[claim.stage]:
        raise RuleViolation(
            "claim.stage_backwards",
            f"The claim on case {case.case_no} is already {claim.stage}; "
            f"it cannot go back to {target}",
            case_no=case.case_no,
            stage=claim.stage,
            target=target,
        )


def _party_letter(session: Session, claim: Claim) -> str:
    letter = session.scalar(select(Party.letter).where(Party.id == claim.party_id))
    return letter or "?"


def _change(claim: Claim, case: Case, event_id: int) -> ClaimChange:
    return ClaimChange(
        claim_id=claim.id,
        case_id=case.id,
        case_no=case.case_no,
        stage=claim.stage,
        version=claim.version,
        assignee_id=claim.assignee_id,
        case_state=CaseState(case.state),
        event_id=event_id,
    )


def take_claim(session_factory: SessionFactory, actor: Actor, claim_id: int) -> ClaimChange:
    """The adjuster takes its company's claim. A case still waiting on the push (agreed or
    determined) is first marked notified by the hall itself, since the insurer is evidently
    acting on it, then opened for claims by the adjuster: the lifecycle's two moves in order."""
    org_id = _require_claims_seat(actor, "take_claim")
    now = utcnow()
    with write(session_factory) as session:
        claim = _load_own_claim(session, org_id, claim_id)
        case = load_case(session, claim.case_id)
        if CaseState(case.state) not in _TAKE_STATES:
            _check_case_open(case)
        if claim.stage == "paid":
            raise RuleViolation(
                "claim.already_paid",
                f"The claim on case {case.case_no} is already paid",
                case_no=case.case_no,
            )
        if claim.assignee_id is not None and claim.assignee_id != actor.user_id:
            _check_holder(session, claim, case, actor)
        if case.state in (CaseState.AGREED.value, CaseState.DETERMINED.value):
            apply_move(
                session,
                None,
                case,
                CaseState.INSURERS_NOTIFIED,
                reason=None,
                details={"by": "claim_taken"},
                at=now,
            )
        if case.state == CaseState.INSURERS_NOTIFIED.value:
            apply_move(session, actor, case, CaseState.CLAIMS_OPEN, reason=None, at=now)
        if claim.assignee_id != actor.user_id:
            claim.assignee_id = actor.user_id
            session.flush()
        event_id = record_event(
            session,
            actor,
            case.id,
            "claim_taken",
            at=now,
            details={"claim_id": claim.id, "party": _party_letter(session, claim)},
        )
        return _change(claim, case, event_id)


def record_assessment(
    session_factory: SessionFactory,
    actor: Actor,
    claim_id: int,
    *,
    expected_version: int,
    damaged_parts: Sequence[str],
    amount: Decimal,
    repair_shop: str,
    knock_for_knock: bool,
    cap: Decimal = AMOUNT_CAP,
) -> ClaimChange:
    """The loss assessment (定损): parts, amount, repair shop and the knock-for-knock flag.
    A correction before payout is allowed; a paid claim is not re-assessed."""
    org_id = _require_claims_seat(actor, "record_assessment")
    parts = [p.strip()[:_PART_MAX] for p in damaged_parts if p.strip()]
    if not parts or len(parts) > _PARTS_MAX:
        raise RuleViolation(
            "claim.no_damaged_parts",
            f"Name between 1 and {_PARTS_MAX} damaged parts",
            max=_PARTS_MAX,
        )
    _check_amount(amount, cap)
    shop = repair_shop.strip()
    if not shop or len(shop) > _REPAIR_SHOP_MAX:
        raise RuleViolation(
            "claim.bad_repair_shop",
            f"The repair shop must be named in at most {_REPAIR_SHOP_MAX} characters",
            max=_REPAIR_SHOP_MAX,
        )
    now = utcnow()
    with write(session_factory) as session:
        claim = _load_own_claim(session, org_id, claim_id)
        case = load_case(session, claim.case_id)
        _check_claim_version(claim, case, expected_version)
        _check_holder(session, claim, case, actor)
        _check_case_open(case)
        _stage_forward(claim, case, "assessed")
        claim.stage = "assessed"
        claim.damaged_parts = parts
        claim.assessed_amount = amount
        claim.repair_shop = shop
        claim.knock_for_knock = knock_for_knock
        session.flush()
        event_id = record_event(
            session,
            actor,
            case.id,
            "claim_assessed",
            at=now,
            details={
                "claim_id": claim.id,
                "party": _party_letter(session, claim),
                "damaged_parts": parts,
                "assessed_amount": str(amount),
                "repair_shop": shop,
                "knock_for_knock": knock_for_knock,
            },
        )
        return _change(claim, case, event_id)


def record_payout(
    session_factory: SessionFactory,
    actor: Actor,
    claim_id: int,
    *,
    expected_version: int,
    amount: Decimal,
    paid_at: datetime,
    cap: Decimal = AMOUNT_CAP,
) -> ClaimChange:
    """The payout (赔付) of an assessed claim; the last one settles the case in the same
    transaction (DOMAIN.md: CLAIMS_OPEN → SETTLED when every claim is paid)."""
    org_id = _require_claims_seat(actor, "record_payout")
    _check_amount(amount, cap)
    now = utcnow()
    if paid_at.tzinfo is None:
        raise RuleViolation("claim.naive_time", "The payout time has no time zone")
    if paid_at > now + timedelta(minutes=5):
        raise RuleViolation(
            "claim.paid_in_future",
            f"The payout time {paid_at.isoformat()} is in the future",
            paid_at=paid_at.isoformat(),
        )
    with write(session_factory) as session:
        claim = _load_own_claim(session, org_id, claim_id)
        case = load_case(session, claim.case_id)
        _check_claim_version(claim, case, expected_version)
        _check_holder(session, claim, case, actor)
        _check_case_open(case)
        if claim.stage == "paid":
            raise RuleViolation(
                "claim.already_paid",
                f"The claim on case {case.case_no} is already paid",
                case_no=case.case_no,
            )
        if STAGE_ORDER[claim.stage] < STAGE_ORDER["assessed"]:
            raise RuleViolation(
                "claim.not_assessed",
                f"The claim on case {case.case_no} is {claim.stage}; assess it before paying",
                case_no=case.case_no,
                stage=claim.stage,
            )
        if paid_at < case.occurred_at:
            raise RuleViolation(
                "claim.paid_before_accident",
                f"The payout time {paid_at.isoformat()} is before the accident",
                paid_at=paid_at.isoformat(),
            )
        claim.stage = "paid"
        claim.paid_amount = amount
        claim.paid_at = paid_at
        session.flush()
        event_id = record_event(
            session,
            actor,
            case.id,
            "claim_paid",
            at=now,
            details={
                "claim_id": claim.id,
                "party": _party_letter(session, claim),
                "paid_amount": str(amount),
                "paid_at": paid_at.isoformat(),
            },
        )
        unpaid = session.scalar(
            select(func.count())
            .select_from(Claim)
            .where(Claim.case_id == case.id, Claim.stage != "paid")
        )
        if not unpaid:
            apply_move(session, actor, case, CaseState.SETTLED, reason=None, at=now)
        return _change(claim, case, event_id)


def claims_of_company(
    session_factory: SessionFactory, insurer_org_id: int, *, now: datetime | None = None
) -> list[ClaimRow]:
    """The company's claims queue, oldest notification first; never another company's."""
    at = now or utcnow()
    query = (
        select(Claim, Case.case_no, Case.state, Party.letter, Party.plate_no)
        .join(Case, Case.id == Claim.case_id)
        .join(Party, Party.id == Claim.party_id)
        .where(Claim.insurer_org_id == insurer_org_id)
        .order_by(Claim.created_at, Claim.id)
    )
    with session_factory() as session:
        return [
            ClaimRow(
                claim_id=claim.id,
                case_id=claim.case_id,
                case_no=case_no,
                case_state=CaseState(state),
                party_letter=letter,
                plate_no=plate,
                stage=claim.stage,
                report_no=claim.report_no,
                notified_at=claim.created_at,
                minutes_since_notified=max(0, int((at - claim.created_at).total_seconds() // 60)),
                assessed_amount=claim.assessed_amount,
                paid_amount=claim.paid_amount,
                paid_at=claim.paid_at,
                knock_for_knock=claim.knock_for_knock,
                assignee_id=claim.assignee_id,
                version=claim.version,
            )
            for claim, case_no, state, letter, plate in session.execute(query)
        ]


def accident_to_payout(session_factory: SessionFactory, case_id: int) -> timedelta | None:
    """From the accident to the last payout; None while a claim is unpaid or there is none."""
    with session_factory() as session:
        occurred = session.scalar(select(Case.occurred_at).where(Case.id == case_id))
        if occurred is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        rows = session.execute(
            select(Claim.stage, Claim.paid_at).where(Claim.case_id == case_id)
        ).all()
    if not rows or any(stage != "paid" or paid is None for stage, paid in rows):
        return None
    return max(paid for _, paid in rows if paid is not None) - occurred
