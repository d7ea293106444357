"""Turn a refusal or an outage into one sentence in the user's language.

The core raises `RuleViolation(code, English message, **params)`; here each code has a
translatable template with the same `{param}` names (error_templates.py). A code without a
template falls back to the core's English sentence, which still says exactly what is wrong.

Params are shown the way the hall speaks: case states and positions by their translated
names, liability grades and party letters (甲/乙/丙) in the user's language, lists joined with
"、", times as hall wall-clock HH:MM.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from console.credentials import KeyringUnavailable, MissingSecret
from console.db.engine import DatabaseUnavailable
from console.domain.deadlines import to_local
from console.domain.errors import Finding, RuleViolation
from console.views.error_templates import (
    action_label,
    error_template,
    grade_label,
    has_unknown_wording,
    party_label,
)
from console.views.labels import photo_label, position_label, state_label, unit_state_label

log = logging.getLogger("console.ui")

_STATE_PARAMS = frozenset({"source", "target", "state", "to_state", "from_state"})
_POSITION_PARAMS = frozenset(
    {"position", "owner", "held", "positions", "target_position", "seat_position"}
)
_GRADE_PARAMS = frozenset({"grade", "grades", "missing"})
_PARTY_PARAMS = frozenset({"party", "letter", "expected", "got"})
_UNIT_STATE_PARAMS = frozenset({"current", "requested"})  # rescue.bad_move
_NOTHING = "—"


def _state(value: object) -> str | None:
    try:
        return state_label(str(value))
    except ValueError:  # the same name means something else here (a case's source: "call")
        return None


def _unit_state(value: str) -> str | None:
    try:
        return unit_state_label(value)
    except ValueError:
        return None


def _position(value: object) -> str | None:
    if value is None:
        return _NOTHING
    try:
        return position_label(str(value))
    except ValueError:  # a character position (int) or a licence class ("C1")
        return None


def _one(name: str, value: object) -> object:
    """One value as people read it; anything not recognised is shown unchanged."""
    if isinstance(value, datetime):
        return f"{to_local(value):%H:%M}"
    shown: str | None = None
    if name in _STATE_PARAMS:
        shown = _state(value)
    elif name in _POSITION_PARAMS:
        shown = _position(value)
    elif name in _GRADE_PARAMS and isinstance(value, str):
        shown = grade_label(value)
    elif name in _PARTY_PARAMS and isinstance(value, str):
        shown = party_label(value)
    elif name in _UNIT_STATE_PARAMS and isinstance(value, str):
        shown = _unit_state(value)
    elif name == "kind" and isinstance(value, str):
        shown = photo_label(value)
    elif name == "action" and isinstance(value, str):
        shown = action_label(value) or value.replace("_", " ")
    return value if shown is None else shown


def _show(name: str, value: object) -> object:
    if isinstance(value, Mapping):
        items = [f"{_one(name, k)} {v}" for k, v in value.items()]
        return "、".join(items) or _NOTHING
    if isinstance(value, (list, tuple, set, frozenset)):
        ordered = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "、".join(str(_one(name, v)) for v in ordered) or _NOTHING
    return _one(name, value)


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _describe(code: str, english: str, params: Mapping[str, object], *, unknown: bool) -> str:
    template = error_template(code, unknown=unknown)
    if template is not None and not _fields(template) <= set(params):
        # An open check that reached us as a plain violation: its params say which wording.
        template = error_template(code, unknown=True) if has_unknown_wording(code) else None
        if template is not None and not _fields(template) <= set(params):
            template = None
    if template is None:
        return english
    shown = {name: _show(name, value) for name, value in params.items()}
    return template.format_map(shown)


def describe_error(error: BaseException) -> str:
    """The message a seat shows for a failed action; never a traceback."""
    if isinstance(error, RuleViolation):
        return _describe(error.code, error.message, error.params, unknown=False)
    if isinstance(error, DatabaseUnavailable):
        return QCoreApplication.translate(
            "Messages", "The central database cannot be reached. Your input is kept; try again."
        )
    if isinstance(error, MissingSecret):
        return QCoreApplication.translate(
            "Messages", "A password this seat needs is not stored in its keyring yet: {key}"
        ).format(key=error.key or "")
    if isinstance(error, KeyringUnavailable):
        return QCoreApplication.translate(
            "Messages", "This seat has no system keyring to keep the hall's passwords; ask IT."
        )
    if isinstance(error, (ConnectionError, TimeoutError, OSError)):
        return QCoreApplication.translate("Messages", "A connection failed: {detail}").format(
            detail=error
        )
    log.error("unexpected error shown to the user", exc_info=error)
    return QCoreApplication.translate(
        "Messages", "Something went wrong: {detail}. Your input is kept."
    ).format(detail=error)


def describe_finding(finding: Finding, *, unknown: bool = False) -> str:
    """One item of an eligibility or knock-for-knock verdict in the user's language.

    Pass `unknown=True` for items from the verdict's `unknowns`: an open check shares its code
    with the failure but reads "not yet known".
    """
    return _describe(finding.code, finding.message, finding.params, unknown=unknown)
