"""Non-payment complaints: the respondent's party (whose plate is watch-listed), the reason,
the note of the hall's call, the payment, and an index for the sanction run.

Written by hand in the style autogenerate produces; `tests/db/test_schema.py` checks it
against the models on both backends.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_letter', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_note', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column('paid_amount', sa.Numeric(precision=12, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_complaints_party_letter'), "party_letter IN ('A', 'B', 'C')"
        )
        batch_op.create_check_constraint(
            op.f('ck_complaints_paid_amount_non_negative'), 'paid_amount >= 0'
        )
        batch_op.create_index(
            'ix_complaints_state_pay_due_at', ['state', 'pay_due_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_state_pay_due_at')
        batch_op.drop_constraint(op.f('ck_complaints_paid_amount_non_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_complaints_party_letter'), type_='check')
        batch_op.drop_column('paid_at')
        batch_op.drop_column('paid_amount')
        batch_op.drop_column('contact_note')
        batch_op.drop_column('reason')
        batch_op.drop_column('party_letter')
