"""The administrator's commands, run from a terminal without the window (docs/isolation.md):

- `hall-console --db URL --provision-insurer-role ORG_ID` makes the insurer's own database role
  (or gives it a new password), stores the password in this computer's keyring and shows it
  once, for the company's other seats;
- `hall-console --db URL --store-insurer-role-password ORG_ID` stores that password at one of
  those seats (typed at a hidden prompt, checked against the server first).

Both connect with the `--db` URL's own role and its password from the keyring (asked for at
the terminal if this computer has none); provisioning needs a role that may create roles, such
as the one owning the hall's tables. Messages are English: these are an administrator's tools,
like the database server's own.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from sqlalchemy import make_url

from console import credentials
from console.db.engine import DatabaseUnavailable, check_connection, make_engine
from console.domain.errors import RuleViolation

__all__ = ["provision_insurer_role", "store_insurer_role_password"]

Prompt = Callable[[str], str]


def _hall_engine_password(url: str, prompt: Prompt) -> str:
    stored = credentials.database_password(url)
    return stored if stored is not None else prompt(f"Password for {url}: ")


def _check_url(url: str | None, out: TextIO) -> str | None:
    if not url or make_url(url).get_backend_name() != "postgresql":
        print(
            "Insurer roles exist only in a PostgreSQL hall: give its URL with "
            "--db postgresql+psycopg://owner@host/hall",
            file=out,
        )
        return None
    return url


def provision_insurer_role(
    url: str | None,
    org_id: int,
    *,
    out: TextIO = sys.stdout,
    prompt: Prompt = getpass.getpass,
) -> int:
    """Make or rotate the company's role; returns the process exit code."""
    from console.db.migrate import upgrade
    from console.db.org_roles import provision_org_role

    hall_url = _check_url(url, out)
    if hall_url is None:
        return 2
    try:
        engine = make_engine(hall_url, password=_hall_engine_password(hall_url, prompt))
        try:
            check_connection(engine)
            upgrade(engine)  # the policies and the group come with migration 0006
            made = provision_org_role(engine, org_id)
        finally:
            engine.dispose()
        credentials.store_org_role_password(hall_url, made.role, made.password)
    except (RuleViolation, DatabaseUnavailable, credentials.CredentialError) as error:
        print(f"Not provisioned: {error}", file=out)
        return 1
    print(
        f"Organisation {org_id} now connects as the database role {made.role}; its password "
        "is stored in this computer's keyring.\n"
        "Any older password of this role no longer works. For the company's other seats, "
        "run there:\n"
        f"  hall-console --db {hall_url} --store-insurer-role-password {org_id}\n"
        f"and type this password (shown once):\n  {made.password}",
        file=out,
    )
    return 0


def store_insurer_role_password(
    url: str | None,
    org_id: int,
    *,
    out: TextIO = sys.stdout,
    prompt: Prompt = getpass.getpass,
) -> int:
    """Store the company role's password at this seat, once the server accepts it."""
    from console.db.org_roles import role_of

    hall_url = _check_url(url, out)
    if hall_url is None:
        return 2
    try:
        engine = make_engine(hall_url, password=_hall_engine_password(hall_url, prompt))
        try:
            role = role_of(engine, org_id)
        finally:
            engine.dispose()
        if role is None:
            print(
                f"Organisation {org_id} has no database role yet: run --provision-insurer-role "
                f"{org_id} first",
                file=out,
            )
            return 1
        password = prompt(f"Password of the database role {role}: ")
        trial = make_engine(credentials.org_role_url(hall_url, role), password=password)
        try:
            check_connection(trial)
        finally:
            trial.dispose()
        credentials.store_org_role_password(hall_url, role, password)
    except (RuleViolation, DatabaseUnavailable, credentials.CredentialError) as error:
        print(f"Not stored: {error}", file=out)
        return 1
    print(f"The password of {role} is stored in this computer's keyring.", file=out)
    return 0
