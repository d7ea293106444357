"""Settings, declared once: typed fields with defaults, a schema version and upgrades.

Stored as JSON in the user config folder. Window layouts are kept per seat, because a seat's
desk (one screen or three, the camera wall beside it) is what decides its layout, not the
person who signs in. (After Picard's option registry and config_upgrade.)
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from console.domain.complaints import ComplaintPolicy
from console.domain.errors import RuleViolation
from console.domain.rescue import RescuePolicy
from console.paths import config_dir

log = logging.getLogger("console.ui")

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"


@dataclass
class SeatLayout:
    """Base64 of QMainWindow.saveGeometry() and saveState() for one seat."""

    geometry: str = ""
    state: str = ""


@dataclass
class Settings:
    language: str = "zh_CN"
    last_username: str = ""
    last_position: str = ""
    last_seat: str = ""
    hall_db_url: str = ""
    gateway_url: str = ""
    submission_url: str = ""
    districts: list[str] = field(
        default_factory=lambda: ["东营区", "河口区", "垦利区", "利津县", "广饶县"]
    )
    layouts: dict[str, SeatLayout] = field(default_factory=dict)
    # The city's fine for an insurer that does not pay (DOMAIN.md: 5,000–20,000 yuan); the
    # default is what the hall's own sanction run fines (the minimum when not set).
    complaint_fine_min: int = 5000
    complaint_fine_max: int = 20000
    complaint_default_fine: int | None = None
    # How soon a rescue unit should reach the scene, from the request (1–180 minutes).
    rescue_arrival_target_minutes: int = 30

    def layout_for(self, seat: str) -> SeatLayout:
        return self.layouts.setdefault(seat, SeatLayout())

    def complaint_policy(self) -> ComplaintPolicy:
        """The configured fine range; the rule's own when the configured one is not a range
        (logged, so a typo in the file cannot stop the lookup seat)."""
        default = self.complaint_default_fine
        try:
            return ComplaintPolicy(
                Decimal(self.complaint_fine_min),
                Decimal(self.complaint_fine_max),
                Decimal(default) if default is not None else None,
            )
        except (RuleViolation, ArithmeticError, TypeError, ValueError) as error:
            log.warning("complaint fines in the settings ignored: %s", error)
            return ComplaintPolicy()

    def rescue_policy(self) -> RescuePolicy:
        """The configured arrival target; 30 minutes when the configured one is not 1–180
        minutes (logged, so a typo in the file cannot stop the rescue seat)."""
        try:
            return RescuePolicy.from_minutes(self.rescue_arrival_target_minutes)
        except (RuleViolation, ArithmeticError, TypeError, ValueError) as error:
            log.warning("rescue arrival target in the settings ignored: %s", error)
            return RescuePolicy()


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings file up to SCHEMA_VERSION (one step per version)."""
    version = int(data.get("schema", 0))
    if version < 1:
        # Version 0 had no layouts and called the language "lang".
        if "lang" in data:
            data["language"] = data.pop("lang")
        data.setdefault("layouts", {})
    data["schema"] = SCHEMA_VERSION
    return data


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing or broken file gives defaults (and the broken one is kept)."""
    path = path or config_dir() / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("settings file is not an object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        path.replace(path.with_suffix(".broken.json"))
        return Settings()
    data = _upgrade(raw)
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
    layouts = {
        str(seat): SeatLayout(
            **{k: str(v) for k, v in layout.items() if k in ("geometry", "state")}
        )
        for seat, layout in dict(values.pop("layouts", {})).items()
        if isinstance(layout, dict)
    }
    return Settings(**values, layouts=layouts)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically, so a crash mid-write never leaves half a file."""
    path = path or config_dir() / FILE_NAME
    data = {"schema": SCHEMA_VERSION, **asdict(settings)}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
