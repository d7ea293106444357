"""Insurer isolation on PostgreSQL: a group role for the insurers' seats, its privileges, and
row-level security on every table that holds case data (issue 8; docs/isolation.md).

Each insurer's seats connect as that company's own login role (made by
`console.db.org_roles.provision_org_role`, named `<group>_<org id>` and recorded in
`organisations.db_role`), a member of the group role made here. The policies let such a role
see only rows of cases in which a party is insured by its company, and write only where an
adjuster's use cases write. Every other role is left unrestricted: the policies pass whenever
the connection is not an insurer's, and the tables' owner (the role that migrates) bypasses
row-level security anyway (it is not FORCEd).

Roles are cluster-wide, so the group role is named after the database (`hall` -> `hall_insurer`):
two halls, or many throwaway test databases, on one server never share or drop each other's.

Also, on both backends, indexes on the columns the policies look rows up by (a party's vehicle
and policy; the blob of a photo, a letter, a clip). Not on a party's insurer: with one, the
planner probes it for every case it checks (it cannot know how many parties the company has)
instead of the case's own two or three parties. Measured on 30,000 cases, one company's queue
of 16,666 took 20 s with that index and 2 s without.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

"""

from __future__ import annotations

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_parties_vehicle_id", "parties", "vehicle_id"),
    ("ix_parties_policy_id", "parties", "policy_id"),
    ("ix_case_attachments_sha256", "case_attachments", "sha256"),
    ("ix_letters_pdf_sha256", "letters", "pdf_sha256"),
    ("ix_evidence_sha256", "evidence", "sha256"),
)

# Who is looking: the organisation of an insurer's role, 0 for a member of the group that no
# organisation is mapped to (it sees nothing), NULL for every other role (unrestricted). The
# login (session_user) counts first, so an insurer's login that SETs ROLE to the group keeps
# its company's restriction; an administrator testing with SET ROLE gets the role's.
# Evaluated once per statement: the policies call it inside a scalar subquery (an InitPlan).
# Tables named with their schema, and pg_temp searched last: otherwise a temporary table
# `organisations` made by the caller would stand in for the real one (PostgreSQL manual,
# "Writing SECURITY DEFINER Functions Safely").
VIEWER_ORG = """
CREATE FUNCTION hall_viewer_org(p_role name) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, {schema}, pg_temp
AS $$
    SELECT coalesce(
        (SELECT min(id) FROM {schema}.organisations WHERE db_role = session_user),
        (SELECT min(id) FROM {schema}.organisations WHERE db_role = p_role),
        CASE
            WHEN pg_has_role(p_role, {group_literal}, 'USAGE')
                 AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = p_role)
            THEN 0
        END
    )
$$
"""

# The cases of the viewer's company. Owned by the migrating role, so reading `parties` through
# it is not subject to the parties policy (which reads this view): no policy recursion.
# security_barrier: a function in a query on the view cannot see rows the filter drops.
INSURER_CASES = """
CREATE VIEW hall_insurer_cases WITH (security_barrier) AS
    SELECT case_id FROM parties
    WHERE insurer_org_id = (SELECT hall_viewer_org(current_user))
"""

GROUP_OF = """
CREATE FUNCTION hall_insurer_group() RETURNS name
LANGUAGE sql IMMUTABLE
AS $$ SELECT {group_literal}::name $$
"""

UNRESTRICTED = "(SELECT hall_viewer_org(current_user)) IS NULL"
VIEWER = "(SELECT hall_viewer_org(current_user))"


def _case_visible(column: str) -> str:
    return (
        f"{UNRESTRICTED} OR EXISTS "
        f"(SELECT 1 FROM hall_insurer_cases v WHERE v.case_id = {column})"
    )


def _through(table: str, key: str, column: str) -> str:
    """Visible when the row it points at is visible to the viewer (that table's policy)."""
    return f"{UNRESTRICTED} OR EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = {column})"


# table -> (read rule, write rule). A write rule of None: only unrestricted roles write (the
# group has no privilege to either; the policy keeps it so if one is granted by mistake).
POLICIES: dict[str, tuple[str, str | None]] = {
    "cases": (_case_visible("cases.id"), _case_visible("cases.id")),
    "parties": (_case_visible("parties.case_id"), None),
    "case_attachments": (_case_visible("case_attachments.case_id"), None),
    "submissions": (_case_visible("submissions.case_id"), None),
    "refused_files": (_case_visible("refused_files.case_id"), None),
    "lookup_results": (_case_visible("lookup_results.case_id"), None),
    "case_events": (
        _case_visible("case_events.case_id"),
        _case_visible("case_events.case_id"),
    ),
    "calls": (_case_visible("calls.case_id"), None),
    "determinations": (_case_visible("determinations.case_id"), None),
    "letters": (_case_visible("letters.case_id"), None),
    "claims": (
        _case_visible("claims.case_id"),
        f"{UNRESTRICTED} OR (claims.insurer_org_id = {VIEWER} AND ({_case_visible('claims.case_id')}))",
    ),
    "complaints": (
        _case_visible("complaints.case_id"),
        f"{UNRESTRICTED} OR (complaints.respondent_org_id = {VIEWER} "
        f"AND ({_case_visible('complaints.case_id')}))",
    ),
    "evidence": (_case_visible("evidence.case_id"), None),
    "rescue_tasks": (_case_visible("rescue_tasks.case_id"), None),
    "case_helpers": (_case_visible("case_helpers.case_id"), None),
    "outbox": (_case_visible("outbox.case_id"), _case_visible("outbox.case_id")),
    # Reached through the tables above.
    "vehicles": (_through("parties", "vehicle_id", "vehicles.id"), None),
    "policies": (
        f"{UNRESTRICTED} OR policies.insurer_org_id = {VIEWER} "
        "OR EXISTS (SELECT 1 FROM parties t WHERE t.policy_id = policies.id)",
        None,
    ),
    "attachments": (
        f"{UNRESTRICTED} "
        "OR EXISTS (SELECT 1 FROM case_attachments t WHERE t.sha256 = attachments.sha256) "
        "OR EXISTS (SELECT 1 FROM letters t WHERE t.pdf_sha256 = attachments.sha256) "
        "OR EXISTS (SELECT 1 FROM evidence t WHERE t.sha256 = attachments.sha256)",
        None,
    ),
    "call_legs": (_through("calls", "id", "call_legs.call_id"), None),
    "watchlist_entries": (
        _through("complaints", "id", "watchlist_entries.complaint_id"),
        f"{UNRESTRICTED} OR EXISTS (SELECT 1 FROM complaints t "
        f"WHERE t.id = watchlist_entries.complaint_id AND t.respondent_org_id = {VIEWER})",
    ),
    "checkpoint_hits": (
        _through("watchlist_entries", "id", "checkpoint_hits.watchlist_entry_id"),
        None,
    ),
    # Not case events but the audit trail of sign-ins, payments, reprints: a company's own
    # staff's entries only, and it may write only entries in its own staff's name.
    "audit_log": (
        f"{UNRESTRICTED} OR EXISTS (SELECT 1 FROM users t "
        f"WHERE t.id = audit_log.actor_id AND t.org_id = {VIEWER})",
        f"{UNRESTRICTED} OR EXISTS (SELECT 1 FROM users t "
        f"WHERE t.id = audit_log.actor_id AND t.org_id = {VIEWER})",
    ),
}

# What an adjuster's seat reads besides the tables above (no case data, no RLS needed).
READ_ONLY = ("organisations", "seats", "cameras", "alembic_version", "hall_insurer_cases")
# Sign-in runs on the hall's own connection: the insurer's role never reads password hashes.
USER_COLUMNS = "id, org_id, username, display_name, badge_no, active"
# Where the claims, complaint and case-claiming use cases write.
UPDATES = {
    "cases": (
        "state, owner_position, assignee_id, claimed_at, updated_at, state_since, "
        "timer_started_at, version"
    ),
    "claims": (
        "stage, assessed_amount, paid_amount, paid_at, repair_shop, damaged_parts, "
        "knock_for_knock, assignee_id, version"
    ),
    "complaints": "state, paid_amount, paid_at, closed_at",
    "watchlist_entries": "lifted_at",
}
INSERTS = ("case_events", "audit_log", "complaints", "outbox")
POLICY_NAMES = ("hall_read", "hall_insert", "hall_update", "hall_delete")


def group_role_name(database: str) -> str:
    """`hall` -> `hall_insurer`; anything but [a-z0-9_] becomes `_`, kept well under 63 bytes.
    console.db.org_roles reads the name back with hall_insurer_group(), never re-derives it."""
    prefix = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40] or "hall"
    if not prefix[0].isalpha():
        prefix = "h" + prefix
    return f"{prefix}_insurer"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    database, schema = bind.execute(text("SELECT current_database(), current_schema()")).one()
    group = group_role_name(database)
    may_create = bind.execute(
        text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    ).scalar_one()
    exists = bind.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :group"), {"group": group}
    ).scalar()
    if not exists:
        if not may_create:
            msg = (
                f"migration 0006 creates the role {group} for the insurers' seats, and the "
                "role migrating the hall database may not create roles: migrate once as a "
                "role with CREATEROLE (see docs/isolation.md)"
            )
            raise RuntimeError(msg)
        op.execute(f"CREATE ROLE {_ident(group)} NOLOGIN")
    names = {"schema": _ident(schema), "group_literal": _literal(group)}
    op.execute(GROUP_OF.format(**names))
    op.execute(VIEWER_ORG.format(**names))
    op.execute(INSURER_CASES)
    op.execute("GRANT SELECT ON hall_insurer_cases TO PUBLIC")  # each role sees its own only

    g = _ident(group)
    # Usually PUBLIC has both already; a hall that revoked them grants them to the group.
    connect, usage = bind.execute(
        text(
            "SELECT has_database_privilege(:group, current_database(), 'CONNECT'), "
            "has_schema_privilege(:group, current_schema(), 'USAGE')"
        ),
        {"group": group},
    ).one()
    if not connect:
        op.execute(f"GRANT CONNECT ON DATABASE {_ident(database)} TO {g}")
    if not usage:
        op.execute(f"GRANT USAGE ON SCHEMA {_ident(schema)} TO {g}")
    for table in (*POLICIES, *READ_ONLY):
        op.execute(f"GRANT SELECT ON {table} TO {g}")
    op.execute(f"GRANT SELECT ({USER_COLUMNS}) ON users TO {g}")
    for table, columns in UPDATES.items():
        op.execute(f"GRANT UPDATE ({columns}) ON {table} TO {g}")
    for table in INSERTS:
        op.execute(f"GRANT INSERT ON {table} TO {g}")
        sequence = bind.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
        ).scalar_one()
        op.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {g}")

    for table, (read, write) in POLICIES.items():
        changes = write or UNRESTRICTED
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY hall_read ON {table} FOR SELECT USING ({read})")
        op.execute(f"CREATE POLICY hall_insert ON {table} FOR INSERT WITH CHECK ({changes})")
        op.execute(
            f"CREATE POLICY hall_update ON {table} FOR UPDATE "
            f"USING ({changes}) WITH CHECK ({changes})"
        )
        op.execute(f"CREATE POLICY hall_delete ON {table} FOR DELETE USING ({changes})")


# Drop a role unless something outside this database still holds on to it.
DROP_ROLE = """
DO $$
BEGIN
    EXECUTE format('DROP ROLE IF EXISTS %I', {role});
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'role % is still used elsewhere and was kept', {role};
END
$$
"""


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        database, schema, group = bind.execute(
            text("SELECT current_database(), current_schema(), hall_insurer_group()")
        ).one()
        for table in POLICIES:
            for policy in POLICY_NAMES:
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP VIEW IF EXISTS hall_insurer_cases")
        op.execute("DROP FUNCTION IF EXISTS hall_viewer_org(name)")
        op.execute("DROP FUNCTION IF EXISTS hall_insurer_group()")
        g = _ident(group)
        # Column privileges go with the table's; nothing else was granted to the group.
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {_ident(schema)} FROM {g}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_ident(schema)} FROM {g}")
        op.execute(f"REVOKE ALL ON SCHEMA {_ident(schema)} FROM {g}")
        op.execute(f"REVOKE ALL ON DATABASE {_ident(database)} FROM {g}")
        # The companies' login roles: members of the group, named in organisations.db_role.
        roles = list(
            bind.execute(
                text(
                    "SELECT r.rolname FROM organisations o JOIN pg_roles r "
                    "ON r.rolname = o.db_role "
                    "WHERE pg_has_role(r.oid, :group, 'MEMBER') AND NOT r.rolsuper"
                ),
                {"group": group},
            ).scalars()
        )
        for role in [*roles, group]:
            op.execute(DROP_ROLE.format(role=_literal(role)))
        if roles:
            bind.execute(
                text("UPDATE organisations SET db_role = NULL WHERE db_role = ANY(:roles)"),
                {"roles": roles},
            )
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
