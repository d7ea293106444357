"""Triage answers on cases, and an index over the calls that are waiting for a seat.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIAGE_COLUMNS = ("drink_or_drugs", "plates_suspect", "dangerous_goods", "party_fled", "deliberate")
WAITING = "state IN ('ringing', 'transferring')"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in TRIAGE_COLUMNS:
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=True))
    op.create_index(
        "ix_calls_waiting",
        "calls",
        ["rang_at", "id"],
        postgresql_where=sa.text(WAITING),
        sqlite_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_calls_waiting", table_name="calls")
    with op.batch_alter_table("cases") as batch:
        for name in reversed(TRIAGE_COLUMNS):
            batch.drop_column(name)
