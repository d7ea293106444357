"""The rescue seat (issue 9): every unit state change time-stamped in `rescue_unit_log`; on a
request whether it blocks a lane, which position raised it, a note, and when and why it was
cancelled; `rescue_board`, one row whose number every rescue write raises, so a seat polling
the board once a second reloads only when something changed.

On PostgreSQL the log gets row-level security like the tables of migration 0006: a row of a
task that belongs to a case is visible only where that task is (the `rescue_tasks` policy);
a row of no task, to unrestricted roles only. The insurers' group role gets no privilege on
the log or on the board row, as it has none on `rescue_units`: no adjuster's work reads them.

Written by hand in the style autogenerate produces; `tests/db/test_schema.py` checks it
against the models on both backends.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_UNIT_STATES = "('available', 'dispatched', 'en_route', 'on_scene', 'towing', 'back')"
_POSITIONS = (
    "('reception', 'review', 'determination', 'lookup', 'patrol', 'claims', 'rescue', "
    "'supervisor')"
)

# As migration 0006 words them: NULL is a role that is not an insurer's (unrestricted).
_UNRESTRICTED = '(SELECT hall_viewer_org(current_user)) IS NULL'
_READ = (
    f'{_UNRESTRICTED} OR EXISTS '
    '(SELECT 1 FROM rescue_tasks t WHERE t.id = rescue_unit_log.task_id)'
)
_POLICY_NAMES = ('hall_read', 'hall_insert', 'hall_update', 'hall_delete')


def upgrade() -> None:
    with op.batch_alter_table('rescue_tasks', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lane_blocked', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column('requested_position', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(
            sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_rescue_tasks_requested_position'), f'requested_position IN {_POSITIONS}'
        )
        batch_op.create_index(op.f('ix_rescue_tasks_state'), ['state'], unique=False)
        batch_op.create_index(op.f('ix_rescue_tasks_unit_id'), ['unit_id'], unique=False)

    op.create_table('rescue_unit_log',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('unit_id', _ID, nullable=False),
    sa.Column('task_id', _ID, nullable=True),
    sa.Column('from_state', sa.String(length=24), nullable=False),
    sa.Column('to_state', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', _ID, nullable=True),
    sa.Column('seat', sa.String(length=64), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.CheckConstraint(
        f'from_state IN {_UNIT_STATES}', name=op.f('ck_rescue_unit_log_from_state')
    ),
    sa.CheckConstraint(f'to_state IN {_UNIT_STATES}', name=op.f('ck_rescue_unit_log_to_state')),
    sa.ForeignKeyConstraint(
        ['actor_id'], ['users.id'], name=op.f('fk_rescue_unit_log_actor_id_users')
    ),
    sa.ForeignKeyConstraint(
        ['task_id'], ['rescue_tasks.id'], name=op.f('fk_rescue_unit_log_task_id_rescue_tasks')
    ),
    sa.ForeignKeyConstraint(
        ['unit_id'], ['rescue_units.id'], name=op.f('fk_rescue_unit_log_unit_id_rescue_units')
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_unit_log')),
    )
    op.create_index(
        'ix_rescue_unit_log_unit_id_id', 'rescue_unit_log', ['unit_id', 'id'], unique=False
    )
    op.create_index(
        op.f('ix_rescue_unit_log_task_id'), 'rescue_unit_log', ['task_id'], unique=False
    )

    board = op.create_table('rescue_board',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_rescue_board_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescue_board')),
    )
    op.bulk_insert(board, [{'id': 1, 'version': 0}])

    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE rescue_unit_log ENABLE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY hall_read ON rescue_unit_log FOR SELECT USING ({_READ})')
    op.execute(
        f'CREATE POLICY hall_insert ON rescue_unit_log FOR INSERT WITH CHECK ({_UNRESTRICTED})'
    )
    op.execute(
        'CREATE POLICY hall_update ON rescue_unit_log FOR UPDATE '
        f'USING ({_UNRESTRICTED}) WITH CHECK ({_UNRESTRICTED})'
    )
    op.execute(f'CREATE POLICY hall_delete ON rescue_unit_log FOR DELETE USING ({_UNRESTRICTED})')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for policy in _POLICY_NAMES:
            op.execute(f'DROP POLICY IF EXISTS {policy} ON rescue_unit_log')
    op.drop_table('rescue_board')
    op.drop_index(op.f('ix_rescue_unit_log_task_id'), table_name='rescue_unit_log')
    op.drop_index('ix_rescue_unit_log_unit_id_id', table_name='rescue_unit_log')
    op.drop_table('rescue_unit_log')
    with op.batch_alter_table('rescue_tasks', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_rescue_tasks_unit_id'))
        batch_op.drop_index(op.f('ix_rescue_tasks_state'))
        batch_op.drop_constraint(op.f('ck_rescue_tasks_requested_position'), type_='check')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('note')
        batch_op.drop_column('requested_position')
        batch_op.drop_column('lane_blocked')
