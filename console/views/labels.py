"""Translated names of the hall's vocabulary (positions, case states), in one place."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.domain.rescue import TaskState, UnitState, UnitType


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


# Marked for lupdate here, translated when shown (the language can change between sign-ins).


def position_label(position: Position | str | None) -> str:
    if position is None or position == "":
        return "—"
    return _t(str(_POSITIONS[Position(position)]))


_POSITIONS = {
    Position.RECEPTION: QT_TRANSLATE_NOOP("Labels", "Reception"),
    Position.REVIEW: QT_TRANSLATE_NOOP("Labels", "Online review"),
    Position.DETERMINATION: QT_TRANSLATE_NOOP("Labels", "Determination"),
    Position.LOOKUP: QT_TRANSLATE_NOOP("Labels", "Lookup"),
    Position.PATROL: QT_TRANSLATE_NOOP("Labels", "Video patrol"),
    Position.CLAIMS: QT_TRANSLATE_NOOP("Labels", "Claims"),
    Position.RESCUE: QT_TRANSLATE_NOOP("Labels", "Rescue"),
    Position.SUPERVISOR: QT_TRANSLATE_NOOP("Labels", "Supervisor"),
}


def state_label(state: CaseState | str) -> str:
    return _t(str(_STATES[CaseState(state)]))


_STATES = {
    CaseState.NEW: QT_TRANSLATE_NOOP("Labels", "New"),
    CaseState.COLLECTING: QT_TRANSLATE_NOOP("Labels", "Collecting evidence"),
    CaseState.UNDER_REVIEW: QT_TRANSLATE_NOOP("Labels", "Under review"),
    CaseState.RETURNED: QT_TRANSLATE_NOOP("Labels", "Returned"),
    CaseState.EVACUATED: QT_TRANSLATE_NOOP("Labels", "Evacuated"),
    CaseState.AGREED: QT_TRANSLATE_NOOP("Labels", "Agreed by parties"),
    CaseState.AWAITING_DETERMINATION: QT_TRANSLATE_NOOP("Labels", "Awaiting determination"),
    CaseState.DETERMINING: QT_TRANSLATE_NOOP("Labels", "Determining"),
    CaseState.DETERMINED: QT_TRANSLATE_NOOP("Labels", "Determined"),
    CaseState.DISPUTED: QT_TRANSLATE_NOOP("Labels", "Disputed"),
    CaseState.MEDIATING: QT_TRANSLATE_NOOP("Labels", "Mediating"),
    CaseState.INSURERS_NOTIFIED: QT_TRANSLATE_NOOP("Labels", "Insurers notified"),
    CaseState.CLAIMS_OPEN: QT_TRANSLATE_NOOP("Labels", "Claims open"),
    CaseState.SETTLED: QT_TRANSLATE_NOOP("Labels", "Settled"),
    CaseState.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
    CaseState.ESCALATED: QT_TRANSLATE_NOOP("Labels", "Escalated to on-scene police"),
    CaseState.OFFLINE_REFERRED: QT_TRANSLATE_NOOP("Labels", "Referred offline"),
    CaseState.REVOKED: QT_TRANSLATE_NOOP("Labels", "Revoked"),
}


def action_label(action: str) -> str:
    """The verb on the button for a lifecycle move (lifecycle.Transition.action)."""
    label = _ACTIONS.get(action)
    return _t(str(label)) if label else action


_ACTIONS = {
    "start_collecting": QT_TRANSLATE_NOOP("Labels", "Start collecting evidence"),
    "submit_materials": QT_TRANSLATE_NOOP("Labels", "Materials submitted"),
    "return_materials": QT_TRANSLATE_NOOP("Labels", "Return to parties"),
    "resume_collecting": QT_TRANSLATE_NOOP("Labels", "Resume collecting"),
    "approve_materials": QT_TRANSLATE_NOOP("Labels", "Approve and evacuate"),
    "record_agreement": QT_TRANSLATE_NOOP("Labels", "Parties agreed"),
    "request_determination": QT_TRANSLATE_NOOP("Labels", "Request determination"),
    "start_determination": QT_TRANSLATE_NOOP("Labels", "Take determination"),
    "release_determination": QT_TRANSLATE_NOOP("Labels", "Release determination"),
    "determine": QT_TRANSLATE_NOOP("Labels", "Determine liability"),
    "notify_insurers": QT_TRANSLATE_NOOP("Labels", "Notify insurers"),
    "raise_objection": QT_TRANSLATE_NOOP("Labels", "Record objection"),
    "start_mediation": QT_TRANSLATE_NOOP("Labels", "Start mediation"),
    "uphold_determination": QT_TRANSLATE_NOOP("Labels", "Uphold determination"),
    "record_mediation": QT_TRANSLATE_NOOP("Labels", "Record mediation result"),
    "refer_to_court": QT_TRANSLATE_NOOP("Labels", "Refer to court"),
    "open_claims": QT_TRANSLATE_NOOP("Labels", "Open claims"),
    "settle": QT_TRANSLATE_NOOP("Labels", "Settle"),
    "close": QT_TRANSLATE_NOOP("Labels", "Close case"),
    "escalate": QT_TRANSLATE_NOOP("Labels", "Escalate to on-scene police"),
    "refer_offline": QT_TRANSLATE_NOOP("Labels", "Refer offline"),
    "revoke": QT_TRANSLATE_NOOP("Labels", "Revoke"),
}


def photo_label(kind: str) -> str:
    """The photo type codes of a submission (contract `PhotoKind`)."""
    label = _PHOTOS.get(kind)
    return _t(str(label)) if label else kind


_PHOTOS = {
    "scene_front_side": QT_TRANSLATE_NOOP("Labels", "Scene, front side"),
    "scene_rear_side": QT_TRANSLATE_NOOP("Labels", "Scene, rear side"),
    "collision_point": QT_TRANSLATE_NOOP("Labels", "Collision point"),
    "driving_licence": QT_TRANSLATE_NOOP("Labels", "Driving licence"),
    "vehicle_registration": QT_TRANSLATE_NOOP("Labels", "Vehicle registration"),
    "scene_other": QT_TRANSLATE_NOOP("Labels", "Other scene photo"),
    "damage": QT_TRANSLATE_NOOP("Labels", "Damage close-up"),
}


def unit_state_label(state: UnitState | str) -> str:
    """A rescue unit's state on the board (domain.rescue.UnitState)."""
    return _t(str(_UNIT_STATES[UnitState(state)]))


_UNIT_STATES = {
    UnitState.AVAILABLE: QT_TRANSLATE_NOOP("Labels", "Available"),
    UnitState.DISPATCHED: QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    UnitState.EN_ROUTE: QT_TRANSLATE_NOOP("Labels", "En route"),
    UnitState.ON_SCENE: QT_TRANSLATE_NOOP("Labels", "On scene"),
    UnitState.TOWING: QT_TRANSLATE_NOOP("Labels", "Towing"),
    UnitState.BACK: QT_TRANSLATE_NOOP("Labels", "Returning"),
}


def task_state_label(state: TaskState | str) -> str:
    """A rescue request's state (domain.rescue.TaskState)."""
    return _t(str(_TASK_STATES[TaskState(state)]))


_TASK_STATES = {
    TaskState.REQUESTED: QT_TRANSLATE_NOOP("Labels", "Waiting for a unit"),
    TaskState.ASSIGNED: QT_TRANSLATE_NOOP("Labels", "Unit on its way"),
    TaskState.ARRIVED: QT_TRANSLATE_NOOP("Labels", "Unit on scene"),
    TaskState.FINISHED: QT_TRANSLATE_NOOP("Labels", "Finished"),
    TaskState.CANCELLED: QT_TRANSLATE_NOOP("Labels", "Cancelled"),
}


def unit_type_label(unit_type: UnitType | str) -> str:
    """What kind of vehicle a rescue unit is (domain.rescue.UnitType)."""
    return _t(str(_UNIT_TYPES[UnitType(unit_type)]))


_UNIT_TYPES = {
    UnitType.TOW: QT_TRANSLATE_NOOP("Labels", "Tow truck"),
    UnitType.RESCUE: QT_TRANSLATE_NOOP("Labels", "Rescue vehicle"),
}
