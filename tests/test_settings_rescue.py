"""The rescue arrival target is configured in the settings file; a target outside 1–180
minutes falls back to the rule's 30, so the rescue seat still opens."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from console.domain.rescue import RescuePolicy
from console.settings import Settings, load_settings, save_settings


def write(path: Path, values: dict[str, object]) -> Path:
    path.write_text(json.dumps({"schema": 1, **values}), encoding="utf-8")
    return path


def test_the_default_is_thirty_minutes() -> None:
    assert Settings().rescue_policy() == RescuePolicy(timedelta(minutes=30))


def test_the_configured_target_is_the_policy_and_survives_a_save(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.json", {"rescue_arrival_target_minutes": 20})
    settings = load_settings(path)
    assert settings.rescue_policy().arrival_target == timedelta(minutes=20)
    save_settings(settings, path)
    assert load_settings(path).rescue_arrival_target_minutes == 20


@pytest.mark.parametrize("minutes", [0, 181, -5, "soon", None, 10**12])
def test_a_target_that_is_not_one_falls_back_to_the_rule(
    tmp_path: Path, minutes: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        write(tmp_path / "settings.json", {"rescue_arrival_target_minutes": minutes})
    )
    assert settings.rescue_policy() == RescuePolicy()
    assert "rescue arrival target in the settings ignored" in caplog.text
