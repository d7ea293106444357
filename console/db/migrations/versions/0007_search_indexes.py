"""Indexes for the lookup seat's search (issue 9): every kind of search finds its cases through
an index, exactly or by prefix, on PostgreSQL and SQLite.

- cases: occurred_at (newest first), (state, occurred_at), (district, occurred_at), and
  case_no for prefix search;
- parties: (plate_no, case_id), (name, case_id), (phone, case_id), (id_number, case_id),
  (licence_number, case_id): the search's sub-selects read only the index;
- letters: (doc_no, case_id), (verification_code, case_id);
- audit_log: target, and calls: case_id, for a case's history (its reprints, exports,
  unmaskings and calls).

On PostgreSQL the prefix columns (case_no, plate_no, name, doc_no, verification_code) use
varchar_pattern_ops: under any collation but "C" a default b-tree cannot serve LIKE 'x%'.
They are built in the migration's transaction (not CONCURRENTLY), which locks the tables
against writes while it runs: upgrade a large hall outside service hours.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PATTERN = 'varchar_pattern_ops'

# name, table, columns, the PostgreSQL operator class per column
INDEXES: tuple[tuple[str, str, list[str], dict[str, str]], ...] = (
    ('ix_cases_occurred_at', 'cases', ['occurred_at'], {}),
    ('ix_cases_state_occurred_at', 'cases', ['state', 'occurred_at'], {}),
    ('ix_cases_district_occurred_at', 'cases', ['district', 'occurred_at'], {}),
    ('ix_cases_case_no_prefix', 'cases', ['case_no'], {'case_no': _PATTERN}),
    ('ix_parties_plate_no_case_id', 'parties', ['plate_no', 'case_id'], {'plate_no': _PATTERN}),
    ('ix_parties_name_case_id', 'parties', ['name', 'case_id'], {'name': _PATTERN}),
    ('ix_parties_phone_case_id', 'parties', ['phone', 'case_id'], {}),
    ('ix_parties_id_number_case_id', 'parties', ['id_number', 'case_id'], {}),
    ('ix_parties_licence_number_case_id', 'parties', ['licence_number', 'case_id'], {}),
    ('ix_letters_doc_no_case_id', 'letters', ['doc_no', 'case_id'], {'doc_no': _PATTERN}),
    (
        'ix_letters_verification_code_case_id',
        'letters',
        ['verification_code', 'case_id'],
        {'verification_code': _PATTERN},
    ),
    # A case's history lists the reprints, exports and unmaskings audited against it.
    ('ix_audit_log_target', 'audit_log', ['target'], {}),
    ('ix_calls_case_id', 'calls', ['case_id'], {}),
)


def upgrade() -> None:
    for name, table, columns, ops in INDEXES:
        op.create_index(name, table, columns, unique=False, postgresql_ops=ops)


def downgrade() -> None:
    for name, table, _columns, _ops in reversed(INDEXES):
        op.drop_index(name, table_name=table)
