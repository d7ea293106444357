"""An insurer's own database role from the administrator's side (docs/isolation.md): the
provisioning command stores the password in the keyring, another seat stores it after the
server accepted it, and a claims seat finds it there at sign-in, or says what is missing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from console.admin import provision_insurer_role, store_insurer_role_password
from console.app import CompanyRoleMissing, _needs_company_role, _open_company_link, parse_args
from console.credentials import (
    database_password,
    forget_org_role_password,
    keyring_key,
    org_role_password,
    org_role_url,
    store_org_role_password,
)
from console.db.org_roles import drop_org_role, role_of
from console.hall.link import HallLink
from tests.conftest import postgres_only
from tests.hall.conftest import build_hall

URL = "postgresql+psycopg://hall@db.dongying.example:5432/hall"


def no_prompt(question: str) -> str:
    """The hall's own password at a test server that trusts every local connection."""
    return ""


def test_a_role_password_is_filed_under_the_url_with_the_role_as_its_user() -> None:
    store_org_role_password(URL, "hall_insurer_3", "s3cret")
    assert org_role_password(URL, "hall_insurer_3") == "s3cret"
    assert keyring_key(org_role_url(URL, "hall_insurer_3")) == (
        "hall_insurer_3@db.dongying.example:5432/hall"
    )
    assert database_password(URL) is None, "the hall's own entry is a different one"
    assert org_role_password(URL, "hall_insurer_4") is None
    forget_org_role_password(URL, "hall_insurer_3")
    assert org_role_password(URL, "hall_insurer_3") is None


def test_the_admin_options_exit_before_the_window_and_exclude_each_other() -> None:
    args = parse_args(["--db", URL, "--provision-insurer-role", "3"])
    assert (args.provision_insurer_role, args.store_insurer_role_password) == (3, None)
    with pytest.raises(SystemExit):
        parse_args(["--provision-insurer-role", "3", "--store-insurer-role-password", "3"])


def test_a_demo_hall_has_no_roles() -> None:
    out = io.StringIO()
    assert provision_insurer_role("sqlite:///hall.db", 3, out=out, prompt=no_prompt) == 2
    assert provision_insurer_role(None, 3, out=out, prompt=no_prompt) == 2
    assert "PostgreSQL" in out.getvalue()


@postgres_only
def test_provision_store_elsewhere_and_connect_as_the_company(
    engine: Engine, session_factory: sessionmaker[Session], db_url: str
) -> None:
    hall = build_hall(session_factory)
    link = HallLink(engine, session_factory, "hall", demo=False)
    adjuster = hall["claims"]
    assert _needs_company_role(link, adjuster)
    assert not _needs_company_role(link, hall["officer"])
    with pytest.raises(CompanyRoleMissing) as none_yet:
        _open_company_link(link, db_url, adjuster)
    assert none_yet.value.role is None

    out = io.StringIO()
    try:
        assert provision_insurer_role(db_url, hall.insurer_id, out=out, prompt=no_prompt) == 0
        role = role_of(engine, hall.insurer_id)
        assert role is not None and role in out.getvalue()
        password = org_role_password(db_url, role)
        assert password is not None and password in out.getvalue(), "shown once, for the others"

        company = _open_company_link(link, db_url, adjuster)
        try:
            with company.engine.connect() as connection:
                assert connection.execute(text("SELECT current_user")).scalar() == role
            assert role in company.description and not company.demo
        finally:
            company.close()

        # Another seat of the company: nothing in its keyring until the admin stores it.
        forget_org_role_password(db_url, role)
        with pytest.raises(CompanyRoleMissing) as no_password:
            _open_company_link(link, db_url, adjuster)
        assert no_password.value.role == role
        answers = iter(["", password])  # the hall's password, then the role's
        stored = io.StringIO()
        code = store_insurer_role_password(
            db_url, hall.insurer_id, out=stored, prompt=lambda _question: next(answers)
        )
        assert code == 0, stored.getvalue()
        assert org_role_password(db_url, role) == password
        assert password not in stored.getvalue()
    finally:
        drop_org_role(engine, hall.insurer_id)


@postgres_only
def test_only_an_insurer_gets_a_role(
    engine: Engine, session_factory: sessionmaker[Session], db_url: str
) -> None:
    hall = build_hall(session_factory)
    out = io.StringIO()
    assert provision_insurer_role(db_url, hall.police_id, out=out, prompt=no_prompt) == 1
    assert "not an insurer" in out.getvalue()
    assert provision_insurer_role(db_url, 9999, out=out, prompt=no_prompt) == 1
    assert "9999 does not exist" in out.getvalue()
    assert store_insurer_role_password(db_url, hall.insurer_id, out=out, prompt=no_prompt) == 1
    assert "no database role yet" in out.getvalue()
    assert role_of(engine, hall.police_id) is None
