"""Where the program keeps its files: the platform's user folders, or test overrides."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "HallConsole"


def data_dir() -> Path:
    """User data (the demo database, evidence cache). HALL_CONSOLE_DATA_DIR overrides."""
    override = os.environ.get("HALL_CONSOLE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Settings and layouts. HALL_CONSOLE_CONFIG_DIR overrides."""
    override = os.environ.get("HALL_CONSOLE_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The repository's (or the frozen bundle's) `resources/` folder."""
    return Path(__file__).resolve().parent.parent / "resources"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite3'}"
