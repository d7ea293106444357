"""Accounts: creating users, signing in to a seat as one position, passwords and lockout.

Passwords are stored only as argon2id hashes (RFC 9106). Sign-in answers an unknown user name
and a wrong password with the same words, and spends the same hashing time on both, so the
sign-in dialog cannot be used to find out who works in the hall. Repeated wrong passwords lock
the account for a while; every attempt, good or bad, is written to the audit log, never the
password itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.db.models import AuditLogEntry, Organisation, Seat, User, UserPosition
from console.domain.deadlines import to_local
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, utcnow, write

__all__ = [
    "DEFAULT_HASHER_COST",
    "MIN_PASSWORD_LENGTH",
    "HasherCost",
    "LockoutPolicy",
    "change_password",
    "check_password_policy",
    "configure_hasher",
    "create_user",
    "hash_password",
    "hasher_cost",
    "normalise_username",
    "positions_of",
    "sign_in",
    "sign_out",
    "unlock_user",
    "verify_password",
]

log = logging.getLogger("console.hall")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.-]{1,63}")
_TARGET_LIMIT = 64
_SEAT_LIMIT = 64  # audit_log.seat and case_events.seat


# ---------------------------------------------------------------- hashing


@dataclass(frozen=True, slots=True)
class HasherCost:
    """argon2id work factors: passes, memory in KiB, lanes."""

    time_cost: int
    memory_cost: int
    parallelism: int


DEFAULT_HASHER_COST = HasherCost(time_cost=3, memory_cost=64 * 1024, parallelism=4)
"""RFC 9106's second recommended option (64 MiB): about 0.1 s per hash on a desk PC."""


class _Hashing:
    """The module's hasher and a dummy hash for unknown users, replaced together."""

    def __init__(self, cost: HasherCost) -> None:
        self.cost = cost
        self.hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_cost,
            parallelism=cost.parallelism,
            type=Type.ID,
        )
        self._dummy: str | None = None

    @property
    def dummy(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash("not a password of anyone in the hall")
        return self._dummy


_hashing = _Hashing(DEFAULT_HASHER_COST)


def configure_hasher(cost: HasherCost = DEFAULT_HASHER_COST) -> None:
    """Set the argon2id cost for new hashes; call with no argument to restore the default.

    Tests make it cheap; a hall with fast desks may make it dearer. Existing hashes keep
    verifying and are rehashed to the new cost at the user's next sign-in.
    """
    if min(cost.time_cost, cost.memory_cost, cost.parallelism) < 1:
        raise RuleViolation("password.bad_cost", f"argon2 cost {cost} must be positive")
    global _hashing  # noqa: PLW0603 - one process-wide setting, swapped atomically
    _hashing = _Hashing(cost)


def hasher_cost() -> HasherCost:
    return _hashing.cost


def hash_password(plain: str) -> str:
    """An argon2id hash (PHC string, random salt) of `plain` at the configured cost."""
    return str(_hashing.hasher.hash(plain))


def verify_password(stored_hash: str, plain: str) -> bool:
    """True if `plain` matches; an unreadable stored hash counts as no match (and is logged)."""
    try:
        return bool(_hashing.hasher.verify(stored_hash, plain))
    except InvalidHashError:
        log.warning("a stored password hash is not an argon2 hash; the user cannot sign in")
        return False
    except VerificationError:
        return False


def _needs_rehash(stored_hash: str) -> bool:
    try:
        return bool(_hashing.hasher.check_needs_rehash(stored_hash))
    except InvalidHashError:
        return True


# ---------------------------------------------------------------- rules for names and passwords


def normalise_username(text: str) -> str:
    """User names are case-insensitive: stored and looked up lower-cased, without spaces."""
    return text.strip().lower()


def _check_username(text: str) -> str:
    name = normalise_username(text)
    if not _USERNAME.fullmatch(name):
        raise RuleViolation(
            "user.bad_username",
            f"User name {name!r} must be 2 to 64 characters: letters, digits, '_', '.' or '-', "
            "starting with a letter or digit",
            username=name,
        )
    return name


def check_password_policy(password: str, *, username: str | None = None) -> None:
    """Refuse a password that is too easy to guess, saying why (the dialog shows it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            "password.too_short",
            f"The password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} "
            "are required",
            found=len(password),
            required=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise RuleViolation(
            "password.too_long",
            f"The password has {len(password)} characters; at most {MAX_PASSWORD_LENGTH} "
            "are allowed",
            found=len(password),
            allowed=MAX_PASSWORD_LENGTH,
        )
    if password.isdigit():
        raise RuleViolation(
            "password.all_digits",
            "The password is only digits (like a phone or ID number); add letters",
        )
    if not password.strip():
        raise RuleViolation("password.blank", "The password is only spaces")
    if username is not None and password.strip().lower() == normalise_username(username):
        raise RuleViolation("password.is_username", "The password must not be the user name")


# ---------------------------------------------------------------- creating users

# Insurer staff see only their own company's cases (ARCHITECTURE.md), so an insurer account
# holds the claims position and nothing else; liability is decided by police officers, whose
# badge number is printed on the determination letter.
_POLICE_ONLY = frozenset({Position.DETERMINATION, Position.SUPERVISOR})
_ALLOWED_BY_ORG_KIND: dict[str, frozenset[Position]] = {
    "police": frozenset(Position) - {Position.CLAIMS},
    "insurer": frozenset({Position.CLAIMS}),
    "rescue": frozenset({Position.RESCUE}),
}


def _check_positions(positions: Iterable[Position]) -> tuple[Position, ...]:
    held = tuple(dict.fromkeys(Position(p) for p in positions))
    if not held:
        raise RuleViolation("user.no_positions", "A user needs at least one position")
    return tuple(p for p in Position if p in held)


def _check_org_fits(org: Organisation, held: tuple[Position, ...], badge_no: str | None) -> None:
    allowed = _ALLOWED_BY_ORG_KIND.get(org.kind, frozenset())
    refused = [p for p in held if p not in allowed]
    if refused:
        names = ", ".join(p.value for p in refused)
        raise RuleViolation(
            "user.position_not_for_org",
            f"Staff of {org.name_en} ({org.kind}) cannot hold the position(s) {names}",
            org=org.code,
            positions=[p.value for p in refused],
        )
    if Position.DETERMINATION in held and not badge_no:
        raise RuleViolation(
            "user.badge_required",
            "A determination officer needs a badge number: it is printed on every letter",
        )


def create_user(
    session_factory: SessionFactory,
    actor: Actor | None,
    *,
    org_id: int,
    username: str,
    display_name: str,
    password: str,
    positions: Iterable[Position],
    badge_no: str | None = None,
) -> int:
    """Add a person who may sign in; returns the new user's id.

    `actor` is the supervisor doing it, or None while the hall is being set up. The row and
    its audit entry are written together or not at all.
    """
    if actor is not None and not actor.is_supervisor:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not create users",
            position=actor.position.value,
            action="create_user",
        )
    name = _check_username(username)
    shown = display_name.strip()
    if not shown:
        raise RuleViolation("user.no_display_name", "The user's name (as shown) is missing")
    held = _check_positions(positions)
    badge = (badge_no or "").strip() or None
    check_password_policy(password, username=name)
    password_hash = hash_password(password)  # ~0.1 s: before the write lock, not under it
    now = utcnow()
    try:
        with write(session_factory) as session:
            org = session.get(Organisation, org_id)
            if org is None:
                raise NotFound(
                    "org.not_found", f"Organisation {org_id} does not exist", org_id=org_id
                )
            _check_org_fits(org, held, badge)
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                raise _duplicate(name)
            user_id = int(
                session.execute(
                    insert(User).returning(User.id),
                    {
                        "org_id": org_id,
                        "username": name,
                        "display_name": shown,
                        "password_hash": password_hash,
                        "badge_no": badge,
                        "active": True,
                        "failed_logins": 0,
                        "created_at": now,
                    },
                ).scalar_one()
            )
            session.execute(
                insert(UserPosition), [{"user_id": user_id, "position": p.value} for p in held]
            )
            record_audit(
                session,
                actor,
                "create_user",
                f"user:{name}",
                at=now,
                details={
                    "user_id": user_id,
                    "org": org.code,
                    "positions": [p.value for p in held],
                },
            )
    except IntegrityError:
        # Another seat created the same name between our check and our insert.
        raise _duplicate(name) from None
    return user_id


def _duplicate(name: str) -> RuleViolation:
    return RuleViolation(
        "user.duplicate",
        f"The user name {name!r} is taken; choose another",
        username=name,
    )


# ---------------------------------------------------------------- signing in


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """How many wrong passwords in a row lock an account, and for how long (configurable)."""

    max_failures: int = 5
    lock_minutes: int = 15

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_minutes < 1:
            raise RuleViolation(
                "auth.bad_policy",
                f"Lockout after {self.max_failures} failures for {self.lock_minutes} minutes: "
                "both must be at least 1",
            )


def _bad_credentials() -> RuleViolation:
    return RuleViolation("auth.bad_credentials", "Wrong user name or password")


def _locked(until: datetime) -> RuleViolation:
    hhmm = f"{to_local(until):%H:%M}"
    return RuleViolation(
        "auth.locked",
        f"Too many wrong passwords: this account is locked until {hhmm}; try again then, or "
        "ask the supervisor to unlock it",
        until=hhmm,
        locked_until=until.isoformat(),
    )


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None or now.utcoffset() is None:
        msg = f"naive datetime {now!r} given; pass an aware datetime"
        raise ValueError(msg)
    return now


def _audit_attempt(
    session: Session,
    *,
    at: datetime,
    seat: str,
    position: Position,
    action: str,
    username: str,
    details: dict[str, object],
) -> None:
    """Audit a refused sign-in: no actor (whoever typed may not own the account), but the
    seat and the position asked for are recorded."""
    session.add(
        AuditLogEntry(
            at=at,
            actor_id=None,
            seat=seat,
            position=position.value,
            action=action,
            target=f"user:{username[:_TARGET_LIMIT]}",
            details=details,
        )
    )


def _held_positions(session: Session, user_id: int) -> list[Position]:
    values = set(
        session.scalars(select(UserPosition.position).where(UserPosition.user_id == user_id))
    )
    return [p for p in Position if p.value in values]


def sign_in(
    session_factory: SessionFactory,
    *,
    username: str,
    password: str,
    position: Position,
    seat: str,
    now: datetime | None = None,
    policy: LockoutPolicy | None = None,
) -> Actor:
    """Check the password and the position, and return who is now working at this seat.

    The slow hash check runs before the write transaction; counting the attempt runs inside
    it with the user row locked, so attempts from several seats at once all count.
    """
    policy = policy or LockoutPolicy()
    at = _aware(now)
    seat_name = seat.strip()
    if not seat_name:
        raise RuleViolation("auth.no_seat", "This desk has no seat name; start it with --seat")
    if len(seat_name) > _SEAT_LIMIT:
        raise RuleViolation(
            "auth.bad_seat",
            f"The seat name {seat_name!r} is longer than {_SEAT_LIMIT} characters",
            seat=seat_name,
        )
    position = Position(position)
    name = normalise_username(username)
    dummy = _hashing.dummy  # made before the lookup, so no attempt pays for it alone
    with session_factory() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == name))
    # Hash even for an unknown name, so the answer takes as long as for a wrong password.
    matched = verify_password(stored if stored is not None else dummy, password)
    matched = matched and stored is not None
    fresh_hash = hash_password(password) if matched and stored and _needs_rehash(stored) else None

    with write(session_factory) as session:
        outcome = _settle_attempt(
            session,
            name=name,
            verified_hash=stored,
            matched=matched,
            fresh_hash=fresh_hash,
            password=password,
            position=position,
            seat=seat_name,
            at=at,
            policy=policy,
        )
    # Raised only now: the failed-attempt count and its audit row must be committed.
    if isinstance(outcome, RuleViolation):
        raise outcome
    return outcome


def _settle_attempt(
    session: Session,
    *,
    name: str,
    verified_hash: str | None,
    matched: bool,
    fresh_hash: str | None,
    password: str,
    position: Position,
    seat: str,
    at: datetime,
    policy: LockoutPolicy,
) -> Actor | RuleViolation:
    def audit(action: str, **details: object) -> None:
        _audit_attempt(
            session,
            at=at,
            seat=seat,
            position=position,
            action=action,
            username=name,
            details=details,
        )

    user = session.scalars(
        select(User).where(User.username == name).with_for_update()
    ).one_or_none()
    if user is None:
        audit("sign_in_failed", reason="unknown_user")
        return _bad_credentials()
    if user.password_hash != verified_hash:
        # The password changed while we were hashing: check against the current one.
        matched, fresh_hash = verify_password(user.password_hash, password), None
    if user.locked_until is not None:
        if user.locked_until > at:
            audit("sign_in_failed", reason="locked", user_id=user.id)
            return _locked(user.locked_until)
        # The lock has run out: the next attempts start a fresh count.
        user.locked_until = None
        user.failed_logins = 0
    if not matched:
        user.failed_logins += 1
        failures = user.failed_logins
        audit("sign_in_failed", reason="wrong_password", user_id=user.id, failures=failures)
        if failures >= policy.max_failures:
            user.locked_until = at + timedelta(minutes=policy.lock_minutes)
            audit(
                "locked",
                user_id=user.id,
                failures=failures,
                locked_until=user.locked_until.isoformat(),
            )
            return _locked(user.locked_until)
        return _bad_credentials()
    # The right password: whatever else is refused below, the person knows it.
    user.failed_logins = 0
    if fresh_hash is not None:
        user.password_hash = fresh_hash
    if not user.active:
        audit("sign_in_failed", reason="inactive", user_id=user.id)
        return RuleViolation(
            "auth.inactive",
            "This account is disabled; ask the supervisor",
            username=name,
        )
    held = _held_positions(session, user.id)
    if position not in held:
        audit("sign_in_failed", reason="position_not_held", user_id=user.id)
        return RuleViolation(
            "auth.position_not_held",
            f"{user.display_name} does not hold the {position.value} position "
            f"({position.label_zh}); sign in as {', '.join(p.value for p in held) or 'nothing'}"
            " or ask the supervisor",
            position=position.value,
            held=[p.value for p in held],
        )
    actor = Actor(
        user_id=user.id,
        display_name=user.display_name,
        position=position,
        seat=seat,
        org_id=user.org_id,
    )
    _register_seat(session, seat, position)
    record_audit(
        session,
        actor,
        "sign_in",
        f"user:{name}",
        at=at,
        details={"rehashed": fresh_hash is not None},
    )
    return actor


def _register_seat(session: Session, seat: str, position: Position) -> None:
    """The desk now works as `position`: calls transferred to this seat ring here, and the
    transfer list offers it. One upsert, so two desks signing in at once cannot collide."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(Seat).values(name=seat, position=position.value, active=True)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Seat.name], set_={"position": position.value, "active": True}
        )
    )


def positions_of(session_factory: SessionFactory, username: str) -> list[Position]:
    """The positions the sign-in dialog offers for this name; empty for unknown or disabled."""
    name = normalise_username(username)
    with session_factory() as session:
        values = set(
            session.scalars(
                select(UserPosition.position)
                .join(User, User.id == UserPosition.user_id)
                .where(User.username == name, User.active.is_(True))
            )
        )
    return [p for p in Position if p.value in values]


def sign_out(session_factory: SessionFactory, actor: Actor, *, now: datetime | None = None) -> None:
    """Record that the user left the seat (the audit trail shows who sat where, when)."""
    at = _aware(now)
    with write(session_factory) as session:
        username = session.scalar(select(User.username).where(User.id == actor.user_id))
        record_audit(session, actor, "sign_out", f"user:{username or actor.user_id}", at=at)


def change_password(
    session_factory: SessionFactory,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    now: datetime | None = None,
) -> None:
    """The signed-in user replaces their own password; the current one must be given."""
    at = _aware(now)
    with session_factory() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound(
                "user.not_found", f"User {actor.user_id} does not exist", user_id=actor.user_id
            )
        username, old_hash = user.username, user.password_hash
    check_password_policy(new_password, username=username)
    if not verify_password(old_hash, current_password):
        raise RuleViolation("password.wrong_current", "The current password is wrong")
    if new_password == current_password:
        raise RuleViolation("password.unchanged", "The new password is the same as the current one")
    new_hash = hash_password(new_password)
    with write(session_factory) as session:
        changed = session.execute(
            update(User)
            .where(User.id == actor.user_id, User.password_hash == old_hash)
            .values(password_hash=new_hash, failed_logins=0, locked_until=None)
            .returning(User.id)
        ).scalar_one_or_none()
        if changed is None:
            raise RuleViolation(
                "password.changed_meanwhile",
                "The password was changed from another seat meanwhile; sign in again",
            )
        record_audit(session, actor, "change_password", f"user:{username}", at=at)


def unlock_user(
    session_factory: SessionFactory,
    actor: Actor,
    *,
    username: str,
    now: datetime | None = None,
) -> None:
    """The supervisor lifts a lockout before it runs out (audited)."""
    if not actor.is_supervisor:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not unlock accounts",
            position=actor.position.value,
            action="unlock_user",
        )
    at = _aware(now)
    name = normalise_username(username)
    with write(session_factory) as session:
        user = session.scalars(
            select(User).where(User.username == name).with_for_update()
        ).one_or_none()
        if user is None:
            raise NotFound("user.not_found", f"No user is called {name!r}", username=name)
        was_locked = user.locked_until
        user.failed_logins = 0
        user.locked_until = None
        record_audit(
            session,
            actor,
            "unlock_user",
            f"user:{name}",
            at=at,
            details={"was_locked_until": was_locked.isoformat() if was_locked else None},
        )
