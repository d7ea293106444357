"""An insurer's own PostgreSQL login role, for its seats' row-level security (docs/isolation.md).

Migration 0006 makes the group role the insurers' seats belong to, its privileges and the
policies; this module makes one login role per company in that group and records it in
`organisations.db_role`, which is what the policies read to know whose cases a connection may
see. It runs as the hall's owner (or another role with CREATEROLE), from the administrator's
`hall-console --provision-insurer-role` command, never from a seat.

The password is made here, sent to the server only as a SCRAM verifier (so it never appears
in the server's statement log), and handed back once for the OS keyring.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, Engine, text

from console.db.engine import is_postgres
from console.domain.errors import RuleViolation

__all__ = [
    "OrgRoleCredentials",
    "drop_org_role",
    "group_role",
    "org_role_name",
    "provision_org_role",
    "role_of",
]

_PASSWORD_BYTES: Final = 32


@dataclass(frozen=True, slots=True)
class OrgRoleCredentials:
    """What a company's seats connect with: the role and its (new) password."""

    org_id: int
    role: str
    password: str

    def __repr__(self) -> str:  # never the password in a log or a traceback
        return f"OrgRoleCredentials(org_id={self.org_id}, role={self.role!r})"


def _require_postgres(engine: Engine) -> None:
    if not is_postgres(engine):
        raise RuleViolation(
            "org_role.not_postgres",
            "Database roles for insurers exist only in a PostgreSQL hall, not in the demo",
        )


def group_role(connection: Connection) -> str:
    """The insurers' group role of this database, as migration 0006 named it."""
    return str(connection.execute(text("SELECT hall_insurer_group()")).scalar_one())


def org_role_name(group: str, org_id: int) -> str:
    """`hall_insurer` + 3 -> `hall_insurer_3`: a company's role is named after the group."""
    return f"{group}_{org_id}"


def role_of(engine: Engine, org_id: int) -> str | None:
    """The login role the organisation's seats connect as, or None if none was provisioned."""
    with engine.connect() as connection:
        role = connection.execute(
            text("SELECT db_role FROM organisations WHERE id = :org"), {"org": org_id}
        ).scalar()
    return str(role) if role else None


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _verifier(connection: Connection, role: str, password: str) -> str:
    """The SCRAM verifier libpq computes for the password, as the server would store it."""
    raw: Any = connection.connection.driver_connection
    return bytes(raw.pgconn.encrypt_password(password.encode(), role.encode())).decode()


def provision_org_role(engine: Engine, org_id: int) -> OrgRoleCredentials:
    """Create the insurer's login role in the group, or give an existing one a new password
    (idempotent: running it again rotates the password), and record it for the policies."""
    _require_postgres(engine)
    password = secrets.token_urlsafe(_PASSWORD_BYTES)
    with engine.begin() as connection:
        org = connection.execute(
            text("SELECT kind FROM organisations WHERE id = :org FOR UPDATE"), {"org": org_id}
        ).one_or_none()
        if org is None:
            raise RuleViolation(
                "org.not_found", f"Organisation {org_id} does not exist", org_id=org_id
            )
        if org.kind != "insurer":
            raise RuleViolation(
                "org_role.not_insurer",
                f"Organisation {org_id} is not an insurer; only insurers' seats get a role",
                org_id=org_id,
            )
        group = group_role(connection)
        role = org_role_name(group, org_id)
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
        ).scalar()
        verifier = _verifier(connection, role, password).replace("'", "''")
        quoted = _quote_ident(role)
        if exists:
            connection.exec_driver_sql(f"ALTER ROLE {quoted} WITH LOGIN PASSWORD '{verifier}'")
        else:
            connection.exec_driver_sql(
                f"CREATE ROLE {quoted} WITH LOGIN INHERIT PASSWORD '{verifier}'"
            )
        connection.exec_driver_sql(f"GRANT {_quote_ident(group)} TO {quoted}")
        connection.execute(
            text("UPDATE organisations SET db_role = :role WHERE id = :org"),
            {"role": role, "org": org_id},
        )
    return OrgRoleCredentials(org_id, role, password)


def drop_org_role(engine: Engine, org_id: int) -> str | None:
    """Withdraw a company's database access: drop its role and forget the mapping. Returns
    the role dropped, or None if the organisation had none."""
    _require_postgres(engine)
    with engine.begin() as connection:
        role = connection.execute(
            text("SELECT db_role FROM organisations WHERE id = :org FOR UPDATE"), {"org": org_id}
        ).scalar()
        if not role:
            return None
        connection.execute(
            text("UPDATE organisations SET db_role = NULL WHERE id = :org"), {"org": org_id}
        )
        connection.exec_driver_sql(f"DROP ROLE IF EXISTS {_quote_ident(str(role))}")
    return str(role)
