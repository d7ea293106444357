"""Who is acting: the signed-in user at a seat, as one position."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.positions import Position


@dataclass(frozen=True, slots=True)
class Actor:
    """Built by sign-in; every use case takes one and records it on the events it writes."""

    user_id: int
    display_name: str
    position: Position
    seat: str
    org_id: int | None = None

    @property
    def is_supervisor(self) -> bool:
        return self.position is Position.SUPERVISOR
