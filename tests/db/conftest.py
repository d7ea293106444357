"""Helpers for tests of the database layer itself.

The fixtures (`db_url`, `engine`, `session_factory`, `pg_url`) and the `sqlite_only` /
`postgres_only` decorators live in tests/conftest.py so every test directory shares them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from console.db.models import Case


def new_case(case_no: str = "C0001", **values: Any) -> Case:
    """A minimal valid case; pass columns to override."""
    fields: dict[str, Any] = {
        "case_no": case_no,
        "state": "new",
        "owner_position": "reception",
        "occurred_at": datetime(2026, 11, 20, 8, 30, tzinfo=UTC),
        "source": "call",
        "place_text": "东营区府前大街与西四路路口",
    }
    fields.update(values)
    return Case(**fields)
