"""Saved camera wall layouts per seat (the camera registry and evidence tables exist since 0001).

Written by hand in the style autogenerate produces; `tests/db/test_schema.py` checks it
against the models on both backends.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('wall_layouts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('seat', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('layout', sa.JSON(), server_default='{}', nullable=False),
    sa.Column('saved_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['saved_by'], ['users.id'], name=op.f('fk_wall_layouts_saved_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wall_layouts')),
    sa.UniqueConstraint('seat', 'name', name=op.f('uq_wall_layouts_seat_name'))
    )


def downgrade() -> None:
    op.drop_table('wall_layouts')
