"""Accounts: sign-in, lockout, password policy and the audit trail of every attempt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import AuditLogEntry, Organisation, User, UserPosition
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall import accounts
from console.hall.accounts import (
    DEFAULT_HASHER_COST,
    HasherCost,
    LockoutPolicy,
    change_password,
    configure_hasher,
    create_user,
    hash_password,
    positions_of,
    sign_in,
    sign_out,
    unlock_user,
)
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied

# 18:00 in the hall (UTC+8): the lock message shows hall time.
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
PASSWORD = "Dongying-2026"
CHEAP = HasherCost(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hasher() -> Iterator[None]:
    """argon2id at a tiny cost so sign-in tests do not spend 0.1 s per hash."""
    configure_hasher(CHEAP)
    yield
    configure_hasher()


@dataclass
class Staff:
    session_factory: sessionmaker[Session]
    police_id: int
    insurer_id: int
    officer_id: int


@pytest.fixture
def staff(session_factory: sessionmaker[Session]) -> Staff:
    with session_factory() as session, session.begin():
        police, insurer = session.execute(
            insert(Organisation).returning(Organisation.id, sort_by_parameter_order=True),
            [
                {
                    "kind": "police",
                    "code": "DYJJZD",
                    "name_zh": "东营市公安局交通警察支队",
                    "name_en": "Dongying Traffic Police",
                    "unit_prefix": "东公交",
                },
                {
                    "kind": "insurer",
                    "code": "PICC",
                    "name_zh": "人保财险东营市分公司",
                    "name_en": "PICC Dongying",
                },
            ],
        ).scalars()
    officer_id = create_user(
        session_factory,
        None,
        org_id=police,
        username="officer1",
        display_name="张建国",
        password=PASSWORD,
        positions=[Position.DETERMINATION, Position.LOOKUP],
        badge_no="037215",
    )
    return Staff(session_factory, police, insurer, officer_id)


def attempt(staff: Staff, password: str, *, at: datetime = NOW, **kw: object) -> Actor:
    fields: dict[str, object] = {
        "username": "officer1",
        "password": password,
        "position": Position.DETERMINATION,
        "seat": "认定-01",
        "now": at,
    }
    fields.update(kw)
    return sign_in(staff.session_factory, **fields)  # type: ignore[arg-type]


def refusal(staff: Staff, password: str, **kw: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        attempt(staff, password, **kw)
    return caught.value


def user_row(staff: Staff, username: str = "officer1") -> User:
    with staff.session_factory() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def audit_rows(staff: Staff) -> list[AuditLogEntry]:
    with staff.session_factory() as session:
        return list(session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id)))


def counts(staff: Staff) -> tuple[int, int, int]:
    with staff.session_factory() as session:
        return (
            session.scalar(select(func.count()).select_from(User)) or 0,
            session.scalar(select(func.count()).select_from(UserPosition)) or 0,
            session.scalar(select(func.count()).select_from(AuditLogEntry)) or 0,
        )


# ---------------------------------------------------------------- hashing and creating


def test_the_default_hash_is_a_proper_salted_argon2id() -> None:
    configure_hasher()
    assert accounts.hasher_cost() == DEFAULT_HASHER_COST
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second  # a fresh salt each time
    assert PASSWORD not in first
    assert accounts.verify_password(first, PASSWORD)
    assert not accounts.verify_password(first, PASSWORD + "x")
    assert not accounts.verify_password("not a hash", PASSWORD)


def test_create_user_stores_an_argon2id_hash_positions_and_an_audit_row(staff: Staff) -> None:
    user = user_row(staff)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.badge_no == "037215"
    assert user.failed_logins == 0
    assert positions_of(staff.session_factory, "officer1") == [
        Position.DETERMINATION,
        Position.LOOKUP,
    ]
    (row,) = audit_rows(staff)
    assert row.action == "create_user"
    assert row.target == "user:officer1"
    assert row.details["positions"] == ["determination", "lookup"]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("abc123", "password.too_short"),
        ("", "password.too_short"),
        ("13912345678", "password.all_digits"),
        ("        ", "password.blank"),
        ("Reception9", "password.is_username"),
    ],
)
def test_create_user_refuses_weak_passwords_and_writes_nothing(
    staff: Staff, password: str, code: str
) -> None:
    before = counts(staff)
    with pytest.raises(RuleViolation) as caught:
        create_user(
            staff.session_factory,
            None,
            org_id=staff.police_id,
            username="reception9",
            display_name="王晓燕",
            password=password,
            positions=[Position.RECEPTION],
        )
    assert caught.value.code == code
    assert "password" in caught.value.message.lower()
    assert counts(staff) == before


def test_create_user_refuses_a_taken_name_in_any_case(staff: Staff) -> None:
    before = counts(staff)
    for name in ("officer1", " Officer1 "):
        with pytest.raises(RuleViolation) as caught:
            create_user(
                staff.session_factory,
                None,
                org_id=staff.police_id,
                username=name,
                display_name="赵志强",
                password="Another-pass1",
                positions=[Position.REVIEW],
            )
        assert caught.value.code == "user.duplicate"
        assert "'officer1' is taken" in caught.value.message
    assert counts(staff) == before


def test_create_user_checks_organisation_positions_and_badge(staff: Staff) -> None:
    before = counts(staff)

    def make(**kw: object) -> RuleViolation:
        fields: dict[str, object] = {
            "org_id": staff.police_id,
            "username": "new_user",
            "display_name": "新用户",
            "password": "Good-pass-1",
            "positions": [Position.REVIEW],
        }
        fields.update(kw)
        with pytest.raises(RuleViolation) as caught:
            create_user(staff.session_factory, None, **fields)  # type: ignore[arg-type]
        return caught.value

    assert make(positions=[Position.DETERMINATION]).code == "user.badge_required"
    assert make(positions=[Position.CLAIMS]).code == "user.position_not_for_org"
    no_review = make(org_id=staff.insurer_id, positions=[Position.CLAIMS, Position.REVIEW])
    assert no_review.code == "user.position_not_for_org"
    assert "review" in no_review.message
    assert make(positions=[]).code == "user.no_positions"
    assert make(username="x").code == "user.bad_username"
    assert make(username="王五").code == "user.bad_username"
    assert make(display_name="  ").code == "user.no_display_name"
    assert isinstance(make(org_id=9999), NotFound)
    assert counts(staff) == before


def test_only_a_supervisor_creates_users_and_it_is_audited_with_the_actor(staff: Staff) -> None:
    clerk = Actor(staff.officer_id, "张建国", Position.DETERMINATION, "认定-01", staff.police_id)
    with pytest.raises(PermissionDenied):
        create_user(
            staff.session_factory,
            clerk,
            org_id=staff.insurer_id,
            username="claims_picc",
            display_name="周文斌",
            password="Good-pass-1",
            positions=[Position.CLAIMS],
        )
    boss = Actor(staff.officer_id, "张建国", Position.SUPERVISOR, "值班长-01", staff.police_id)
    new_id = create_user(
        staff.session_factory,
        boss,
        org_id=staff.insurer_id,
        username="claims_picc",
        display_name="周文斌",
        password="Good-pass-1",
        positions=[Position.CLAIMS],
    )
    row = audit_rows(staff)[-1]
    assert (row.action, row.actor_id, row.seat, row.position) == (
        "create_user",
        staff.officer_id,
        "值班长-01",
        "supervisor",
    )
    assert row.details["user_id"] == new_id


# ---------------------------------------------------------------- signing in


def test_the_right_password_signs_in_and_returns_the_actor(staff: Staff) -> None:
    actor = attempt(staff, PASSWORD, username="  OFFICER1 ")
    assert actor == Actor(
        user_id=staff.officer_id,
        display_name="张建国",
        position=Position.DETERMINATION,
        seat="认定-01",
        org_id=staff.police_id,
    )
    row = audit_rows(staff)[-1]
    assert (row.action, row.actor_id, row.seat, row.position) == (
        "sign_in",
        staff.officer_id,
        "认定-01",
        "determination",
    )
    assert row.at == NOW


def test_wrong_password_and_unknown_user_get_the_same_answer(staff: Staff) -> None:
    wrong = refusal(staff, "Wrong-password")
    unknown = refusal(staff, PASSWORD, username="nobody")
    assert wrong.code == unknown.code == "auth.bad_credentials"
    assert wrong.message == unknown.message == "Wrong user name or password"
    assert wrong.params == unknown.params == {}
    assert user_row(staff).failed_logins == 1


def test_five_wrong_passwords_lock_the_account_until_the_lock_runs_out(staff: Staff) -> None:
    for n in range(1, 5):
        assert refusal(staff, f"Wrong-{n}", at=NOW + timedelta(seconds=n)).code == (
            "auth.bad_credentials"
        )
    fifth = refusal(staff, "Wrong-5", at=NOW + timedelta(seconds=5))
    assert fifth.code == "auth.locked"
    assert "locked until 18:15" in fifth.message  # hall time, UTC+8
    user = user_row(staff)
    assert user.failed_logins == 5
    assert user.locked_until == NOW + timedelta(seconds=5, minutes=15)
    # Even the right password is refused while the lock holds.
    during = refusal(staff, PASSWORD, at=NOW + timedelta(minutes=10))
    assert during.code == "auth.locked"
    assert "18:15" in during.message
    actor = attempt(staff, PASSWORD, at=NOW + timedelta(minutes=16))
    assert actor.user_id == staff.officer_id
    user = user_row(staff)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_an_expired_lock_gives_a_fresh_count(staff: Staff) -> None:
    for n in range(5):
        refusal(staff, f"Wrong-{n}", at=NOW)
    later = NOW + timedelta(minutes=20)
    assert refusal(staff, "Wrong-again", at=later).code == "auth.bad_credentials"
    assert user_row(staff).failed_logins == 1


def test_a_good_sign_in_resets_the_failure_count(staff: Staff) -> None:
    for n in range(4):
        refusal(staff, f"Wrong-{n}")
    attempt(staff, PASSWORD)
    assert user_row(staff).failed_logins == 0
    for n in range(4):
        assert refusal(staff, f"Wrong-{n}").code == "auth.bad_credentials"
    assert user_row(staff).locked_until is None


def test_the_lockout_policy_is_configurable(staff: Staff) -> None:
    strict = LockoutPolicy(max_failures=2, lock_minutes=60)
    assert refusal(staff, "Wrong-1", policy=strict).code == "auth.bad_credentials"
    locked = refusal(staff, "Wrong-2", policy=strict)
    assert locked.code == "auth.locked"
    assert "19:00" in locked.message
    with pytest.raises(RuleViolation):
        LockoutPolicy(max_failures=0)


def test_a_position_the_user_does_not_hold_is_refused(staff: Staff) -> None:
    refused = refusal(staff, PASSWORD, position=Position.CLAIMS)
    assert refused.code == "auth.position_not_held"
    assert "claims" in refused.message
    assert refused.params["position"] == "claims"
    assert refused.params["held"] == ["determination", "lookup"]
    # The other position the officer holds works.
    assert attempt(staff, PASSWORD, position=Position.LOOKUP).position is Position.LOOKUP


def test_a_disabled_account_cannot_sign_in(staff: Staff) -> None:
    with staff.session_factory() as session, session.begin():
        session.execute(update(User).where(User.id == staff.officer_id).values(active=False))
    assert refusal(staff, PASSWORD).code == "auth.inactive"
    assert refusal(staff, "Wrong-one").code == "auth.bad_credentials"
    assert positions_of(staff.session_factory, "officer1") == []


def test_a_seat_name_is_required(staff: Staff) -> None:
    assert refusal(staff, PASSWORD, seat="  ").code == "auth.no_seat"
    assert refusal(staff, PASSWORD, seat="席" * 65).code == "auth.bad_seat"


def test_every_attempt_is_audited_and_no_password_is_ever_written(staff: Staff) -> None:
    secrets = [f"Wrong-{n}" for n in range(5)]
    refusal(staff, PASSWORD, username="nobody")
    refusal(staff, PASSWORD, position=Position.CLAIMS)
    for n, wrong in enumerate(secrets):
        refusal(staff, wrong, at=NOW + timedelta(seconds=n))
    refusal(staff, PASSWORD, at=NOW + timedelta(minutes=1))  # refused: locked
    attempt(staff, PASSWORD, at=NOW + timedelta(minutes=30))
    rows = audit_rows(staff)[1:]  # after create_user
    actions = [r.action for r in rows]
    assert actions == [
        "sign_in_failed",  # unknown user
        "sign_in_failed",  # position not held
        *["sign_in_failed"] * 4,
        "sign_in_failed",  # the fifth wrong password…
        "locked",  # …locks the account
        "sign_in_failed",  # refused while locked
        "sign_in",
    ]
    reasons = [r.details.get("reason") for r in rows if r.action == "sign_in_failed"]
    assert reasons == [
        "unknown_user",
        "position_not_held",
        *["wrong_password"] * 5,
        "locked",
    ]
    assert rows[0].target == "user:nobody"
    assert all(r.seat == "认定-01" for r in rows)
    assert all(r.actor_id is None for r in rows[:-1])
    assert rows[-1].actor_id == staff.officer_id
    with staff.session_factory() as session:
        dumped = json.dumps(
            [list(row) for row in session.execute(select(AuditLogEntry.__table__)).all()],
            default=str,
            ensure_ascii=False,
        )
    for password in [PASSWORD, *secrets]:
        assert password not in dumped


def test_simultaneous_wrong_passwords_from_many_seats_all_count(staff: Staff) -> None:
    def wrong(n: int) -> str:
        with pytest.raises(RuleViolation) as caught:
            attempt(staff, f"Wrong-{n}", seat=f"认定-{n:02d}")
        return caught.value.code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(wrong, range(6)))
    assert sorted(codes) == ["auth.bad_credentials"] * 4 + ["auth.locked"] * 2
    user = user_row(staff)
    assert user.failed_logins == 5
    assert user.locked_until is not None


def test_an_outdated_hash_is_upgraded_at_sign_in(staff: Staff) -> None:
    old = user_row(staff).password_hash
    assert "m=64,t=1,p=1" in old
    configure_hasher(HasherCost(time_cost=2, memory_cost=128, parallelism=1))
    attempt(staff, PASSWORD)
    new = user_row(staff).password_hash
    assert new != old
    assert "m=128,t=2,p=1" in new
    assert audit_rows(staff)[-1].details == {"rehashed": True}
    attempt(staff, PASSWORD)
    assert user_row(staff).password_hash == new
    assert audit_rows(staff)[-1].details == {"rehashed": False}


# ---------------------------------------------------------------- positions, sign-out, passwords


def test_positions_of_lists_held_positions_and_nothing_for_unknown_names(staff: Staff) -> None:
    assert positions_of(staff.session_factory, "Officer1") == [
        Position.DETERMINATION,
        Position.LOOKUP,
    ]
    assert positions_of(staff.session_factory, "nobody") == []


def test_sign_out_is_audited(staff: Staff) -> None:
    actor = attempt(staff, PASSWORD)
    sign_out(staff.session_factory, actor, now=NOW + timedelta(hours=8))
    row = audit_rows(staff)[-1]
    assert (row.action, row.actor_id, row.seat, row.target, row.at) == (
        "sign_out",
        staff.officer_id,
        "认定-01",
        "user:officer1",
        NOW + timedelta(hours=8),
    )


def test_change_password_needs_the_current_one_and_a_good_new_one(staff: Staff) -> None:
    actor = attempt(staff, PASSWORD)
    with pytest.raises(RuleViolation) as caught:
        change_password(
            staff.session_factory, actor, current_password="Wrong-1", new_password="New-pass-99"
        )
    assert caught.value.code == "password.wrong_current"
    with pytest.raises(RuleViolation) as caught:
        change_password(
            staff.session_factory, actor, current_password=PASSWORD, new_password="12345678"
        )
    assert caught.value.code == "password.all_digits"
    with pytest.raises(RuleViolation) as caught:
        change_password(
            staff.session_factory, actor, current_password=PASSWORD, new_password=PASSWORD
        )
    assert caught.value.code == "password.unchanged"
    change_password(
        staff.session_factory, actor, current_password=PASSWORD, new_password="New-pass-99"
    )
    assert refusal(staff, PASSWORD).code == "auth.bad_credentials"
    assert attempt(staff, "New-pass-99").user_id == staff.officer_id
    assert "change_password" in [r.action for r in audit_rows(staff)]
    dumped = json.dumps([r.details for r in audit_rows(staff)], ensure_ascii=False)
    assert "New-pass-99" not in dumped


def test_the_supervisor_can_lift_a_lock(staff: Staff) -> None:
    for n in range(5):
        refusal(staff, f"Wrong-{n}")
    officer = Actor(staff.officer_id, "张建国", Position.DETERMINATION, "认定-01", staff.police_id)
    with pytest.raises(PermissionDenied):
        unlock_user(staff.session_factory, officer, username="officer1")
    boss = Actor(staff.officer_id, "张建国", Position.SUPERVISOR, "值班长-01", staff.police_id)
    unlock_user(staff.session_factory, boss, username="officer1", now=NOW)
    assert attempt(staff, PASSWORD, at=NOW + timedelta(minutes=1)).user_id == staff.officer_id
    assert audit_rows(staff)[-2].action == "unlock_user"
    with pytest.raises(NotFound):
        unlock_user(staff.session_factory, boss, username="nobody")
