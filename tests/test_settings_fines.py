"""The city's fine for an insurer that does not pay is configured in the settings file; a
range that is not one falls back to the rule's own, so the lookup seat still opens."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from console.domain.complaints import ComplaintPolicy
from console.settings import load_settings


def write(path: Path, values: dict[str, object]) -> Path:
    path.write_text(json.dumps({"schema": 1, **values}), encoding="utf-8")
    return path


def test_the_configured_fine_range_and_default_are_the_policy(tmp_path: Path) -> None:
    settings = load_settings(
        write(
            tmp_path / "settings.json",
            {
                "complaint_fine_min": 8000,
                "complaint_fine_max": 15000,
                "complaint_default_fine": 10000,
            },
        )
    )
    policy = settings.complaint_policy()
    assert (policy.fine_min, policy.fine_max, policy.default_fine) == (
        Decimal(8000),
        Decimal(15000),
        Decimal(10000),
    )


@pytest.mark.parametrize(
    "values",
    [
        {"complaint_fine_min": 20000, "complaint_fine_max": 5000},
        {"complaint_fine_min": 0},
        {"complaint_default_fine": 30000},
        {"complaint_fine_min": "lots"},
    ],
)
def test_a_range_that_is_not_one_falls_back_to_the_rule(
    tmp_path: Path, values: dict[str, object]
) -> None:
    settings = load_settings(write(tmp_path / "settings.json", values))
    assert settings.complaint_policy() == ComplaintPolicy()
