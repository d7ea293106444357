"""The claims seat's use cases: an adjuster of one insurer takes its company's claim, records
the loss assessment (定损) and the payout (赔付); the case settles when every claim on it is paid.

Isolation (issue 8): an adjuster sees and changes only claims of its own company. A claim of
another company is refused as NotFound, the same as one that does not exist, so the refusal
does not reveal that another insurer's customer had an accident. On a case the company is
part of, another company's claims show only whether they are paid (what keeps the case open).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from console.db.models import (
    CLAIM_STAGES,
    Attachment,
    Case,
    CaseAttachment,
    CaseEvent,
    Claim,
    Letter,
    LookupResult,
    Organisation,
    Party,
    Policy,
    User,
)
from console.domain.deadlines import to_local
from console.domain.errors import RuleViolation
from console.domain.liability import (
    DEFAULT_KNOCK_FOR_KNOCK_LIMIT_YUAN,
    Grade,
    KnockForKnockInput,
    Verdict,
    knock_for_knock,
)
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.cases import apply_move, holder_name, load_case
from console.hall.errors import HeldByOther, NotFound, PermissionDenied, StaleEdit
from console.hall.evidence import EvidenceItem, list_evidence
from console.hall.journal import SessionFactory, record_event, utcnow, write
from console.hall.review import PhotoRef
from console.hall.visibility import require_case_visible

# The same order insurer_answers moves a claim by: a stage never goes backwards.
STAGE_ORDER: Final = {stage: index for index, stage in enumerate(CLAIM_STAGES)}

AMOUNT_CAP: Final = Decimal("1000000")
"""A guard against a mistyped amount (fast handling is minor property damage), not a rule of
the trade; callers pass the hall's configured cap when it has one."""

_TAKE_STATES: Final = frozenset(
    {CaseState.AGREED, CaseState.DETERMINED, CaseState.INSURERS_NOTIFIED, CaseState.CLAIMS_OPEN}
)
"""Case states in which a claim may be taken; a disputed case waits for its determination."""

TAKE_TARGET: Final = timedelta(minutes=10)
"""How long a notification may wait for an adjuster before the claims queue shows it late.
DOMAIN.md's best accident-to-payout is 10 minutes; a claim not even taken by then is late."""

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
    occurred_at: datetime | None = None
    assignee_name: str | None = None

    @property
    def accident_to_payout(self) -> timedelta | None:
        """From the accident to this claim's payout; None while unpaid."""
        if self.paid_at is None or self.occurred_at is None:
            return None
        return self.paid_at - self.occurred_at


def take_overdue(row: ClaimRow, now: datetime, target: timedelta = TAKE_TARGET) -> bool:
    """An unpaid claim nobody has taken, waiting longer than the target."""
    return row.assignee_id is None and row.stage != "paid" and now - row.notified_at > target


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
    session_factory: SessionFactory,
    insurer_org_id: int,
    *,
    now: datetime | None = None,
    case_ids: Sequence[int] | None = None,
) -> list[ClaimRow]:
    """The company's claims queue, oldest notification first; never another company's.
    `case_ids` narrows it to those cases (the change feed said they changed)."""
    at = now or utcnow()
    assignee = aliased(User)
    query = (
        select(
            Claim,
            Case.case_no,
            Case.state,
            Case.occurred_at,
            Party.letter,
            Party.plate_no,
            assignee.display_name,
        )
        .join(Case, Case.id == Claim.case_id)
        .join(Party, Party.id == Claim.party_id)
        .outerjoin(assignee, assignee.id == Claim.assignee_id)
        .where(Claim.insurer_org_id == insurer_org_id)
        .order_by(Claim.created_at, Claim.id)
    )
    if case_ids is not None:
        if not case_ids:
            return []
        query = query.where(Claim.case_id.in_(sorted(set(case_ids))))
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
                occurred_at=occurred,
                assignee_name=assignee_name,
            )
            for claim, case_no, state, occurred, letter, plate, assignee_name in session.execute(
                query
            )
        ]


def accident_to_payout(session_factory: SessionFactory, case_id: int) -> timedelta | None:
    """From the accident to the last payout; None while a claim is unpaid or there is none."""
    with session_factory() as session:
        occurred = session.scalar(select(Case.occurred_at).where(Case.id == case_id))
        if occurred is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        return _accident_to_payout(session, case_id, occurred)


def _accident_to_payout(session: Session, case_id: int, occurred: datetime) -> timedelta | None:
    """Read from the case's events, the record the hall is judged by: the payouts recorded at
    the claims seat (`claim_paid`) and insurers' answers that say paid (`insurer_answered`),
    each with the payout time it gives (else when the answer came). None until every claim on
    the case is paid."""
    stages = session.scalars(select(Claim.stage).where(Claim.case_id == case_id)).all()
    if not stages or any(stage != "paid" for stage in stages):
        return None
    events = session.execute(
        select(CaseEvent.kind, CaseEvent.at, CaseEvent.details).where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind.in_(("claim_paid", "insurer_answered")),
        )
    ).all()
    paid_times = [
        datetime.fromisoformat(details["paid_at"]) if details.get("paid_at") else at
        for kind, at, details in ((k, a, d or {}) for k, a, d in events)
        if kind == "claim_paid" or details.get("stage") == "paid"
    ]
    return max(paid_times) - occurred if paid_times else None


# ---------------------------------------------------------------- what the adjuster types

_AMOUNT_TEXT: Final = re.compile(r"-?\d+(?:\.\d+)?")
_PART_SEPARATORS: Final = re.compile(r"[、，,;；\n]+")


def parse_amount(text: str, cap: Decimal = AMOUNT_CAP) -> Decimal:
    """An amount of yuan as an adjuster types it: full-width digits, thousands separators, a
    leading ¥ or a trailing 元 are accepted; the amount rules are those of the use cases."""
    shown = text.strip()
    cleaned = unicodedata.normalize("NFKC", shown).replace(",", "").replace(" ", "")
    cleaned = cleaned.removeprefix("¥").removesuffix("元").strip()
    if not cleaned:
        raise RuleViolation("claim.no_amount", "Type the amount in yuan")
    if not _AMOUNT_TEXT.fullmatch(cleaned):
        raise RuleViolation(
            "claim.amount_not_a_number",
            f"{shown} is not an amount of yuan; type digits such as 1800 or 1800.50",
            amount=shown,
        )
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:  # the pattern admits only what Decimal reads
        raise RuleViolation(
            "claim.amount_not_a_number",
            f"{shown} is not an amount of yuan; type digits such as 1800 or 1800.50",
            amount=shown,
        ) from None
    return _check_amount(amount, cap)


def parse_parts(text: str) -> list[str]:
    """Damaged parts typed as a list: one per line, or separated by 、，, or ；."""
    return [part.strip() for part in _PART_SEPARATORS.split(text) if part.strip()]


# ---------------------------------------------------------------- one case at the claims seat


@dataclass(frozen=True, slots=True)
class StageMark:
    """One stop of a claim's stage strip: whether the claim got there, and when if known."""

    stage: str
    reached: bool
    at: datetime | None


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One of the company's claims on the case, with its stage strip."""

    claim_id: int
    party_letter: str
    plate_no: str | None
    stage: str
    version: int
    report_no: str | None
    notified_at: datetime
    assignee_id: int | None
    assignee_name: str | None
    damaged_parts: tuple[str, ...]
    assessed_amount: Decimal | None
    repair_shop: str | None
    knock_for_knock: bool
    paid_amount: Decimal | None
    paid_at: datetime | None
    stages: tuple[StageMark, ...]

    def may_take(self, user_id: int) -> bool:
        """Offer "take": unpaid and not this adjuster's yet (a colleague's hold is refused by
        the use case, with the holder's name)."""
        return self.stage != "paid" and self.assignee_id != user_id

    def may_assess(self, user_id: int, case_state: CaseState) -> bool:
        return (
            self.assignee_id == user_id
            and self.stage != "paid"
            and case_state is CaseState.CLAIMS_OPEN
        )

    def may_pay(self, user_id: int, case_state: CaseState) -> bool:
        return self.may_assess(user_id, case_state) and self.stage == "assessed"


@dataclass(frozen=True, slots=True)
class CaseParty:
    """A party of the case as the insurers see it in the push (every party, both sides)."""

    letter: str
    name: str
    plate_no: str | None
    grade: Grade | None
    insurer_name: str | None
    insured_here: bool


@dataclass(frozen=True, slots=True)
class ClaimsCase:
    """Everything the claims pane shows for one case, read in one transaction (the footage
    list in a second one): the company's claims, the parties, the knock-for-knock check with
    its inputs, the letter in force, the photos and the footage."""

    case_id: int
    case_no: str
    state: CaseState
    occurred_at: datetime
    place: str
    parties: tuple[CaseParty, ...]
    claims: tuple[ClaimView, ...]
    other_claims_unpaid: int
    """Claims of other companies on this case not yet paid: the case settles after them."""
    vehicles: tuple[KnockForKnockInput, ...]
    loss_limit_yuan: Decimal
    verdict: Verdict
    letter_id: int | None
    doc_no: str | None
    letter_version: int | None
    photos: tuple[PhotoRef, ...]
    evidence: tuple[EvidenceItem, ...]
    accident_to_payout: timedelta | None

    def claim(self, claim_id: int | None) -> ClaimView | None:
        return next((c for c in self.claims if c.claim_id == claim_id), None)

    def first_open_claim(self) -> ClaimView | None:
        """The claim an adjuster most likely came for: the first unpaid one, else the first."""
        return next((c for c in self.claims if c.stage != "paid"), None) or (
            self.claims[0] if self.claims else None
        )

    def verdict_with_loss(self, party_letter: str, loss_yuan: Decimal | None) -> Verdict:
        """The knock-for-knock check again with one party's loss as being typed."""
        vehicles = [
            replace(v, loss_yuan=loss_yuan) if v.party == party_letter else v for v in self.vehicles
        ]
        return knock_for_knock(vehicles, loss_limit_yuan=self.loss_limit_yuan)


def _stage_marks(
    claim: Claim, letter: str, insurer_code: str, events: Sequence[CaseEvent]
) -> tuple[StageMark, ...]:
    """When the claim reached each stage, from the case's events: the insurer's answers
    (report number, survey, assessment, payout), the adjuster's assessment and payout. A stage
    the claim went past without (no report number, no survey answer) is not marked reached."""
    reached_at: dict[str, datetime] = {"notified": claim.created_at}
    for event in events:
        details = event.details or {}
        if event.kind == "insurer_answered":
            if details.get("insurer") != insurer_code or details.get("party") != letter:
                continue
            stage = str(details.get("stage"))
            if stage not in STAGE_ORDER:
                continue
            for earlier in CLAIM_STAGES[1 : STAGE_ORDER[stage] + 1]:
                reached_at.setdefault(earlier, event.at)
        elif details.get("claim_id") == claim.id:
            if event.kind == "claim_assessed":
                reached_at.setdefault("assessed", event.at)
            elif event.kind == "claim_paid":
                reached_at.setdefault("paid", event.at)
    if claim.paid_at is not None:
        reached_at["paid"] = claim.paid_at  # the payout time as recorded, not when it was typed
    current = STAGE_ORDER[claim.stage]

    def reached(stage: str) -> bool:
        if STAGE_ORDER[stage] > current:
            return False
        if stage == "reported":
            return claim.report_no is not None or stage in reached_at
        if stage == "surveying":
            # An adjuster who assesses at the hall skips the insurer's own survey.
            return stage in reached_at or (current == STAGE_ORDER[stage])
        return True

    return tuple(
        StageMark(stage, reached(stage), reached_at.get(stage) if reached(stage) else None)
        for stage in CLAIM_STAGES
    )


def _compulsory_insurance(
    session: Session, case: Case, parties: Sequence[Party]
) -> dict[str, bool]:
    """Per party: 交强险 in force, by the record check where it answered, else by a compulsory
    policy on file valid on the accident day."""
    checked = dict(
        session.execute(
            select(LookupResult.party_letter, LookupResult.outcome).where(
                LookupResult.case_id == case.id, LookupResult.check_kind == "insurance"
            )
        ).all()
    )
    day: date = to_local(case.occurred_at).date()
    policy_ids = [p.policy_id for p in parties if p.policy_id is not None]
    valid: set[int] = set()
    if policy_ids:
        valid = set(
            session.scalars(
                select(Policy.id).where(
                    Policy.id.in_(policy_ids),
                    Policy.kind == "compulsory",
                    Policy.valid_from <= day,
                    Policy.valid_until >= day,
                )
            )
        )
    found: dict[str, bool] = {}
    for party in parties:
        outcome = checked.get(party.letter)
        if outcome in ("pass", "fail"):
            found[party.letter] = outcome == "pass"
        else:
            found[party.letter] = party.policy_id in valid
    return found


def claims_case(
    session_factory: SessionFactory,
    insurer_org_id: int,
    case_id: int,
    *,
    loss_limit_yuan: Decimal | int = DEFAULT_KNOCK_FOR_KNOCK_LIMIT_YUAN,
) -> ClaimsCase:
    """One case as the company's adjuster sees it. A case none of whose parties the company
    insures is NotFound, the same as a case that does not exist (console.hall.visibility)."""
    with session_factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            # One snapshot for every query below (as queries._reading does).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        require_case_visible(session, case_id, insurer_org_id)
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        parties = list(
            session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.letter))
        )
        all_claims = list(
            session.scalars(select(Claim).where(Claim.case_id == case_id).order_by(Claim.id))
        )
        own = [c for c in all_claims if c.insurer_org_id == insurer_org_id]
        insurer_ids = {p.insurer_org_id for p in parties if p.insurer_org_id is not None}
        insurers = dict(
            session.execute(
                select(Organisation.id, Organisation.name_zh).where(
                    Organisation.id.in_(insurer_ids)
                )
            ).all()
        )
        insurer_code = session.scalar(
            select(Organisation.code).where(Organisation.id == insurer_org_id)
        )
        assignee_ids = {c.assignee_id for c in own if c.assignee_id is not None}
        names = dict(
            session.execute(
                select(User.id, User.display_name).where(User.id.in_(assignee_ids))
            ).all()
        )
        events = list(
            session.scalars(
                select(CaseEvent)
                .where(
                    CaseEvent.case_id == case_id,
                    CaseEvent.kind.in_(("insurer_answered", "claim_assessed", "claim_paid")),
                )
                .order_by(CaseEvent.id)
            )
        )
        by_party = {p.id: p for p in parties}
        claims = tuple(
            ClaimView(
                claim_id=c.id,
                party_letter=by_party[c.party_id].letter,
                plate_no=by_party[c.party_id].plate_no,
                stage=c.stage,
                version=c.version,
                report_no=c.report_no,
                notified_at=c.created_at,
                assignee_id=c.assignee_id,
                assignee_name=names.get(c.assignee_id) if c.assignee_id is not None else None,
                damaged_parts=tuple(str(part) for part in c.damaged_parts or ()),
                assessed_amount=c.assessed_amount,
                repair_shop=c.repair_shop,
                knock_for_knock=c.knock_for_knock,
                paid_amount=c.paid_amount,
                paid_at=c.paid_at,
                stages=_stage_marks(c, by_party[c.party_id].letter, insurer_code or "", events),
            )
            for c in own
        )
        # The rule needs every vehicle's loss, whichever company assessed it.
        losses = {c.party_id: c.assessed_amount for c in all_claims if c.assessed_amount}
        insured = _compulsory_insurance(session, case, parties)
        vehicles = tuple(
            KnockForKnockInput(
                party=p.letter,
                grade=Grade(p.grade) if p.grade else Grade.NONE,
                has_compulsory_insurance=insured[p.letter],
                vehicle_damage_only=case.injuries is False,
                loss_yuan=losses.get(p.id),
                # The parties' agreement to settle knock-for-knock, where the case records it.
                consents=True if case.knock_for_knock else None,
            )
            for p in parties
        )
        limit = Decimal(loss_limit_yuan)
        letter = session.scalars(
            select(Letter)
            .where(Letter.case_id == case_id, Letter.superseded_at.is_(None))
            .order_by(Letter.version.desc())
        ).first()
        photos = tuple(
            PhotoRef(a.sha256, a.kind, a.party_letter, mime, a.width, a.height, a.uploaded_at)
            for a, mime in session.execute(
                select(CaseAttachment, Attachment.mime)
                .join(Attachment, Attachment.sha256 == CaseAttachment.sha256)
                .where(CaseAttachment.case_id == case_id, Attachment.mime.like("image/%"))
                .order_by(CaseAttachment.uploaded_at, CaseAttachment.id)
            )
        )
        view = ClaimsCase(
            case_id=case.id,
            case_no=case.case_no,
            state=CaseState(case.state),
            occurred_at=case.occurred_at,
            place=case.place_text,
            parties=tuple(
                CaseParty(
                    letter=p.letter,
                    name=p.name,
                    plate_no=p.plate_no,
                    grade=Grade(p.grade) if p.grade else None,
                    insurer_name=(
                        insurers.get(p.insurer_org_id) if p.insurer_org_id is not None else None
                    ),
                    insured_here=p.insurer_org_id == insurer_org_id,
                )
                for p in parties
            ),
            claims=claims,
            other_claims_unpaid=sum(
                1 for c in all_claims if c.insurer_org_id != insurer_org_id and c.stage != "paid"
            ),
            vehicles=vehicles,
            loss_limit_yuan=limit,
            verdict=knock_for_knock(vehicles, loss_limit_yuan=limit),
            letter_id=letter.id if letter is not None else None,
            doc_no=letter.doc_no if letter is not None else None,
            letter_version=letter.version if letter is not None else None,
            photos=photos,
            evidence=(),
            accident_to_payout=_accident_to_payout(session, case.id, case.occurred_at),
        )
    footage = list_evidence(session_factory, case_id, insurer_org_id=insurer_org_id)
    return replace(view, evidence=tuple(footage))
