"""Which position may do which action (besides lifecycle moves, which the transition table
governs). One table, checked by every use case before it writes."""

from __future__ import annotations

from enum import StrEnum

from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import PermissionDenied

P = Position


class Action(StrEnum):
    CREATE_CASE = "create_case"
    EDIT_CASE = "edit_case"
    CLAIM_CASE = "claim_case"
    TAKE_OVER = "take_over"
    SEND_GUIDANCE = "send_guidance"
    RETRY_OUTBOX = "retry_outbox"
    REPRINT_LETTER = "reprint_letter"
    EXPORT_CASE_FILE = "export_case_file"
    REQUEST_RESCUE = "request_rescue"
    DISPATCH_RESCUE = "dispatch_rescue"
    VIEW_RESCUE = "view_rescue_board"


PERMISSIONS: dict[Action, frozenset[Position]] = {
    Action.CREATE_CASE: frozenset({P.RECEPTION, P.REVIEW, P.PATROL, P.SUPERVISOR}),
    Action.EDIT_CASE: frozenset({P.RECEPTION, P.REVIEW, P.DETERMINATION, P.SUPERVISOR}),
    Action.CLAIM_CASE: frozenset({P.RECEPTION, P.REVIEW, P.DETERMINATION, P.CLAIMS, P.SUPERVISOR}),
    Action.TAKE_OVER: frozenset({P.SUPERVISOR}),
    Action.SEND_GUIDANCE: frozenset({P.RECEPTION, P.REVIEW, P.SUPERVISOR}),
    # The dead-letter list shows every company's messages: not for an insurer's seat.
    Action.RETRY_OUTBOX: frozenset({P.DETERMINATION, P.SUPERVISOR}),
    # Lookup (issue 9); an adjuster reprints its own company's cases' letters only.
    Action.REPRINT_LETTER: frozenset({P.LOOKUP, P.DETERMINATION, P.CLAIMS, P.SUPERVISOR}),
    Action.EXPORT_CASE_FILE: frozenset({P.LOOKUP, P.DETERMINATION, P.SUPERVISOR}),
    # Rescue (issue 9): the seats that meet a vehicle that cannot move ask for a tow (and may
    # call it off); the rescue seat dispatches and moves the units. An insurer's seat does
    # neither and does not see the board: its tasks are of every company's cases.
    Action.REQUEST_RESCUE: frozenset({P.RECEPTION, P.REVIEW, P.PATROL, P.RESCUE, P.SUPERVISOR}),
    Action.DISPATCH_RESCUE: frozenset({P.RESCUE, P.SUPERVISOR}),
    Action.VIEW_RESCUE: frozenset(
        {P.RECEPTION, P.REVIEW, P.DETERMINATION, P.LOOKUP, P.PATROL, P.RESCUE, P.SUPERVISOR}
    ),
}


def require(actor: Actor, action: Action) -> None:
    if actor.position not in PERMISSIONS[action]:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.value.replace('_', ' ')}",
            position=actor.position.value,
            action=action.value,
        )
