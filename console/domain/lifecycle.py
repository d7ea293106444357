"""The case lifecycle of DOMAIN.md as a transition table.

One table answers every question a seat asks about a case's next step: may it move there, who
may move it, does the move need a reason, must the mover hold the case's lock. Use cases in
`console.hall` enforce it; views read it to decide which actions to offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from console.domain.errors import RuleViolation
from console.domain.positions import Position


class CaseState(StrEnum):
    """States of one accident case (DOMAIN.md "Case lifecycle")."""

    NEW = "new"
    COLLECTING = "collecting"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    EVACUATED = "evacuated"
    AGREED = "agreed"
    AWAITING_DETERMINATION = "awaiting_determination"
    DETERMINING = "determining"
    DETERMINED = "determined"
    DISPUTED = "disputed"
    MEDIATING = "mediating"
    INSURERS_NOTIFIED = "insurers_notified"
    CLAIMS_OPEN = "claims_open"
    SETTLED = "settled"
    CLOSED = "closed"
    ESCALATED = "escalated"
    OFFLINE_REFERRED = "offline_referred"
    REVOKED = "revoked"

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]


_LABELS_ZH: dict[CaseState, str] = {
    CaseState.NEW: "新建",
    CaseState.COLLECTING: "取证中",
    CaseState.UNDER_REVIEW: "在线审核",
    CaseState.RETURNED: "已退回",
    CaseState.EVACUATED: "已撤离",
    CaseState.AGREED: "自行协商",
    CaseState.AWAITING_DETERMINATION: "待认定",
    CaseState.DETERMINING: "认定中",
    CaseState.DETERMINED: "已认定",
    CaseState.DISPUTED: "有异议",
    CaseState.MEDIATING: "调解中",
    CaseState.INSURERS_NOTIFIED: "已推送保险",
    CaseState.CLAIMS_OPEN: "理赔中",
    CaseState.SETTLED: "已赔付",
    CaseState.CLOSED: "已结案",
    CaseState.ESCALATED: "转现场处置",
    CaseState.OFFLINE_REFERRED: "转线下处理",
    CaseState.REVOKED: "已撤销",
}

S = CaseState
P = Position

TERMINAL_STATES: frozenset[CaseState] = frozenset({S.CLOSED, S.REVOKED})
"""No transition leaves these."""

OFF_TRACK_STATES: frozenset[CaseState] = frozenset({S.ESCALATED, S.OFFLINE_REFERRED, S.REVOKED})
"""The case left the fast track (DOMAIN.md: on-scene police, offline centre, revoked)."""

FAST_TRACK_OPEN: frozenset[CaseState] = frozenset(
    {
        S.NEW,
        S.COLLECTING,
        S.UNDER_REVIEW,
        S.RETURNED,
        S.EVACUATED,
        S.AWAITING_DETERMINATION,
        S.DETERMINING,
    }
)
"""Open states before a determination: the ones a case may leave the fast track from."""

OWNER: dict[CaseState, Position | None] = {
    S.NEW: P.RECEPTION,
    S.COLLECTING: P.RECEPTION,
    S.UNDER_REVIEW: P.REVIEW,
    S.RETURNED: P.RECEPTION,
    # "determination ≤ 10 min after evacuation": the officer's clock starts at evacuation.
    S.EVACUATED: P.DETERMINATION,
    S.AGREED: P.DETERMINATION,
    S.AWAITING_DETERMINATION: P.DETERMINATION,
    S.DETERMINING: P.DETERMINATION,
    S.DETERMINED: P.DETERMINATION,
    S.DISPUTED: P.DETERMINATION,
    S.MEDIATING: P.DETERMINATION,
    S.INSURERS_NOTIFIED: P.CLAIMS,
    S.CLAIMS_OPEN: P.CLAIMS,
    S.SETTLED: P.CLAIMS,
    S.CLOSED: None,
    S.ESCALATED: None,
    S.OFFLINE_REFERRED: None,
    S.REVOKED: None,
}
"""Which position must act next on a case in each state (None: nobody in the hall)."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed move; `positions` may make it, always together with the supervisor."""

    source: CaseState
    target: CaseState
    action: str
    positions: frozenset[Position]
    needs_reason: bool = False
    needs_lock: bool = False


def _t(
    sources: Iterable[CaseState],
    target: CaseState,
    action: str,
    positions: Iterable[Position],
    *,
    needs_reason: bool = False,
    needs_lock: bool = False,
) -> list[Transition]:
    who = frozenset(positions) | {P.SUPERVISOR}
    return [Transition(s, target, action, who, needs_reason, needs_lock) for s in sources]


_FRONT = (P.RECEPTION, P.REVIEW)
_OFF_TRACK_BY = (P.RECEPTION, P.REVIEW, P.DETERMINATION, P.PATROL)

TRANSITIONS: tuple[Transition, ...] = (
    *_t([S.NEW], S.COLLECTING, "start_collecting", _FRONT),
    *_t([S.NEW, S.COLLECTING], S.UNDER_REVIEW, "submit_materials", _FRONT),
    *_t([S.UNDER_REVIEW], S.RETURNED, "return_materials", [P.REVIEW], needs_reason=True),
    *_t([S.RETURNED], S.COLLECTING, "resume_collecting", _FRONT),
    *_t([S.RETURNED], S.UNDER_REVIEW, "submit_materials", _FRONT),
    *_t([S.UNDER_REVIEW], S.EVACUATED, "approve_materials", [P.REVIEW]),
    *_t([S.EVACUATED], S.AGREED, "record_agreement", [P.REVIEW, P.DETERMINATION]),
    *_t(
        [S.EVACUATED, S.AGREED],
        S.AWAITING_DETERMINATION,
        "request_determination",
        [P.REVIEW, P.DETERMINATION, P.RECEPTION],
    ),
    *_t([S.AWAITING_DETERMINATION], S.DETERMINING, "start_determination", [P.DETERMINATION]),
    *_t(
        [S.DETERMINING],
        S.AWAITING_DETERMINATION,
        "release_determination",
        [P.DETERMINATION],
        needs_lock=True,
    ),
    *_t([S.DETERMINING], S.DETERMINED, "determine", [P.DETERMINATION], needs_lock=True),
    *_t(
        [S.DETERMINING],
        S.RETURNED,
        "return_materials",
        [P.DETERMINATION],
        needs_reason=True,
        needs_lock=True,
    ),
    *_t([S.AGREED, S.DETERMINED], S.INSURERS_NOTIFIED, "notify_insurers", [P.DETERMINATION]),
    *_t(
        [S.DETERMINED, S.INSURERS_NOTIFIED, S.CLAIMS_OPEN],
        S.DISPUTED,
        "raise_objection",
        [P.DETERMINATION, P.LOOKUP, P.RECEPTION],
        needs_reason=True,
    ),
    *_t([S.DISPUTED], S.MEDIATING, "start_mediation", [P.DETERMINATION]),
    *_t(
        [S.DISPUTED],
        S.DETERMINED,
        "uphold_determination",
        [P.DETERMINATION],
        needs_reason=True,
    ),
    *_t([S.MEDIATING], S.DETERMINED, "record_mediation", [P.DETERMINATION]),
    *_t(
        [S.DISPUTED, S.MEDIATING],
        S.CLOSED,
        "refer_to_court",
        [P.DETERMINATION],
        needs_reason=True,
    ),
    *_t([S.INSURERS_NOTIFIED], S.CLAIMS_OPEN, "open_claims", [P.CLAIMS]),
    *_t([S.CLAIMS_OPEN], S.SETTLED, "settle", [P.CLAIMS]),
    *_t([S.SETTLED], S.CLOSED, "close", [P.CLAIMS, P.LOOKUP]),
    *_t(
        [S.ESCALATED, S.OFFLINE_REFERRED],
        S.CLOSED,
        "close",
        [P.LOOKUP, P.RECEPTION],
        needs_reason=True,
    ),
    *_t(FAST_TRACK_OPEN, S.ESCALATED, "escalate", _OFF_TRACK_BY, needs_reason=True),
    *_t(FAST_TRACK_OPEN, S.OFFLINE_REFERRED, "refer_offline", _OFF_TRACK_BY, needs_reason=True),
    *_t(
        FAST_TRACK_OPEN | {S.DETERMINED},
        S.REVOKED,
        "revoke",
        [P.DETERMINATION],
        needs_reason=True,
    ),
)

_BY_PAIR: dict[tuple[CaseState, CaseState], Transition] = {
    (t.source, t.target): t for t in TRANSITIONS
}
if len(_BY_PAIR) != len(TRANSITIONS):  # pragma: no cover - a table typo must fail at import
    raise RuntimeError("duplicate (source, target) pair in the transition table")


def find_transition(source: CaseState, target: CaseState) -> Transition | None:
    return _BY_PAIR.get((source, target))


def check_transition(
    source: CaseState,
    target: CaseState,
    position: Position,
    reason: str | None = None,
) -> Transition:
    """Return the transition if `position` may move a case from `source` to `target`.

    Raises RuleViolation naming the first thing that is wrong.
    """
    move = _BY_PAIR.get((source, target))
    if move is None:
        raise RuleViolation(
            "lifecycle.not_allowed",
            f"A case cannot move from {source.value} to {target.value}",
            source=source.value,
            target=target.value,
        )
    if position not in move.positions:
        raise RuleViolation(
            "lifecycle.position_not_allowed",
            f"The {position.value} position may not move a case from "
            f"{source.value} to {target.value}",
            source=source.value,
            target=target.value,
            position=position.value,
        )
    if move.needs_reason and not (reason and reason.strip()):
        raise RuleViolation(
            "lifecycle.reason_required",
            f"Moving a case to {target.value} needs a reason",
            target=target.value,
        )
    return move


def allowed_moves(source: CaseState, position: Position) -> tuple[Transition, ...]:
    """The moves a seat of `position` may offer for a case in `source`."""
    return tuple(t for t in TRANSITIONS if t.source == source and position in t.positions)


def owner_of(state: CaseState) -> Position | None:
    return OWNER[state]


def is_terminal(state: CaseState) -> bool:
    return state in TERMINAL_STATES


CLAIM_MOVES: dict[CaseState, CaseState] = {S.AWAITING_DETERMINATION: S.DETERMINING}
"""Claiming a case in these states also moves it (taking a determination task locks it)."""


class StepClock(StrEnum):
    """The service-level timers of DOMAIN.md that run while a case waits on the hall."""

    REVIEW = "review"  # review ≤ 5 min after upload
    DETERMINATION = "determination"  # determination ≤ 10 min after evacuation
    INSURER_ACK = "insurer_ack"  # insurer acknowledgement ≤ 30 min


CLOCKS: dict[CaseState, tuple[StepClock, CaseState]] = {
    S.UNDER_REVIEW: (StepClock.REVIEW, S.UNDER_REVIEW),
    S.EVACUATED: (StepClock.DETERMINATION, S.EVACUATED),
    S.AGREED: (StepClock.DETERMINATION, S.EVACUATED),
    S.AWAITING_DETERMINATION: (StepClock.DETERMINATION, S.EVACUATED),
    S.DETERMINING: (StepClock.DETERMINATION, S.EVACUATED),
    S.INSURERS_NOTIFIED: (StepClock.INSURER_ACK, S.INSURERS_NOTIFIED),
}
"""Which clock runs in a state, and the state whose entry started it."""


def clock_starts_on_entry(target: CaseState) -> bool:
    """True when entering `target` (re)starts the case's step clock."""
    return any(anchor == target for _, anchor in CLOCKS.values())


WORK_STATES: dict[Position, tuple[CaseState, ...]] = {
    P.RECEPTION: (S.NEW,),
    P.REVIEW: (S.UNDER_REVIEW,),
    P.DETERMINATION: (S.AWAITING_DETERMINATION, S.DISPUTED, S.MEDIATING),
    P.CLAIMS: (S.INSURERS_NOTIFIED, S.CLAIMS_OPEN),
}
"""States in which a position has work to pick up ("take next" draws from these, oldest first).
States that wait on the parties (COLLECTING, RETURNED) or on a machine are not work."""
