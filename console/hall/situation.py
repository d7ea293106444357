"""What the rescue seat's situation map shows beside the unit board: the open cases that have a
place on the map (marked when they wait for a tow) and the cameras.

Plain records, no Qt: the map (`console.views.situation_map`) turns them into markers. The
newest open cases come first and the list stops at `MAX_CASES`, so a backlog of old cases
cannot make the map slow; the seat says when the list was cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import exists, select

from console.db.models import Camera, Case, RescueTask
from console.domain.lifecycle import TERMINAL_STATES, CaseState
from console.domain.rescue import OPEN_TASK_STATES
from console.hall.actor import Actor
from console.hall.journal import SessionFactory
from console.hall.permissions import Action, require

__all__ = ["MAX_CASES", "CameraPlace", "CasePlace", "Situation", "situation"]

MAX_CASES: Final = 2000


@dataclass(frozen=True, slots=True)
class CasePlace:
    id: int
    case_no: str
    state: CaseState
    lat: float
    lon: float
    waiting_rescue: bool
    """A rescue request of the case is open: the map draws it red."""


@dataclass(frozen=True, slots=True)
class CameraPlace:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Situation:
    cases: list[CasePlace]
    cameras: list[CameraPlace]
    cases_cut: bool
    """More open cases have a place than `MAX_CASES`; the oldest are left off."""


def situation(
    session_factory: SessionFactory, actor: Actor, *, max_cases: int = MAX_CASES
) -> Situation:
    require(actor, Action.VIEW_RESCUE)
    waiting = (
        exists()
        .where(
            RescueTask.case_id == Case.id,
            RescueTask.state.in_(sorted(s.value for s in OPEN_TASK_STATES)),
        )
        .correlate(Case)
    )
    cases_query = (
        select(Case.id, Case.case_no, Case.state, Case.lat, Case.lon, waiting)
        .where(
            Case.state.not_in(sorted(s.value for s in TERMINAL_STATES)),
            Case.lat.is_not(None),
            Case.lon.is_not(None),
        )
        .order_by(Case.id.desc())
        .limit(max_cases + 1)
    )
    cameras_query = (
        select(Camera.id, Camera.name, Camera.lat, Camera.lon)
        .where(Camera.active.is_(True))
        .order_by(Camera.id)
    )
    with session_factory() as session:
        rows = session.execute(cases_query).all()
        cameras = [CameraPlace(*row) for row in session.execute(cameras_query).all()]
    cases = [
        CasePlace(id_, case_no, CaseState(state), lat, lon, bool(flag))
        for id_, case_no, state, lat, lon, flag in rows[:max_cases]
        if lat is not None and lon is not None  # the query's filter, restated for the types
    ]
    return Situation(cases, cameras, cases_cut=len(rows) > max_cases)
