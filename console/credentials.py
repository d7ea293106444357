"""Secrets of a hall seat, kept in the operating system's keyring and nowhere else.

In hall mode every seat connects to the central PostgreSQL server. Its password must not sit in
a settings file, a shortcut's command line or a shell history, where anyone at the desk could
read it; the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service on Linux)
holds it instead, under a key made from the URL without the password. The first start at a
seat finds no password (`MissingSecret`), asks for it once and stores it here.

An insurer's claims seat connects, after sign-in, as its company's own database role (row-level
security, docs/isolation.md); that role's password is filed like a database password, under the
URL with the role as its user (`org_role_password`).

Other secrets (each insurer's HMAC key, later) go under the same service with `store_secret`.
"""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.errors
from sqlalchemy.engine import URL, make_url

from console.domain.errors import RuleViolation

__all__ = [
    "SERVICE",
    "CredentialError",
    "KeyringUnavailable",
    "MissingSecret",
    "database_password",
    "forget_database_password",
    "forget_org_role_password",
    "forget_secret",
    "keyring_key",
    "org_role_password",
    "org_role_url",
    "require_secret",
    "secret",
    "store_database_password",
    "store_org_role_password",
    "store_secret",
    "url_with_password",
]

SERVICE = "hall-console"
"""The keyring service name every entry of this program is filed under."""

_DEFAULT_PORTS = {"postgresql": 5432}
_SECRET_PREFIX = "secret:"

_NO_KEYRING_HELP = (
    "No system keyring is available to keep the hall's passwords. On Windows and macOS the "
    "built-in credential store is used; on Linux install and unlock a Secret Service "
    "provider (GNOME Keyring or KWallet, e.g. `apt install gnome-keyring`), or on a headless "
    "seat install keyrings.alt and set PYTHON_KEYRING_BACKEND to one of its backends."
)


class CredentialError(Exception):
    """A secret the program needs cannot be had: an environment problem, not a bug."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class MissingSecret(CredentialError):  # noqa: N818 - the name says what the caller lacks
    """Nothing is stored under the key yet; the app asks for it once (first-run prompt)."""


class KeyringUnavailable(CredentialError):  # noqa: N818 - the name the app catches
    """The OS has no usable keyring (none installed, or locked); the message says what to do."""


def _backend() -> keyring.backend.KeyringBackend:
    ring = keyring.get_keyring()
    if isinstance(ring, keyring.backends.fail.Keyring):
        raise KeyringUnavailable(_NO_KEYRING_HELP)
    return ring


def _parse(url: str | URL) -> URL:
    parsed = make_url(url)
    if parsed.password is not None:
        shown = parsed.render_as_string(hide_password=True)
        raise RuleViolation(
            "credentials.password_in_url",
            f"The database URL {shown} contains a password; put the password in the keyring, "
            "not in the URL",
            url=shown,
        )
    return parsed


def keyring_key(url: str | URL) -> str:
    """The key a database's password is filed under: `user@host:port/database`.

    The driver and query options are left out and the default port filled in, so
    `postgresql+psycopg://hall@db/hall` and `postgresql://hall@db:5432/hall` share one entry.
    """
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    port = parsed.port or _DEFAULT_PORTS.get(backend)
    host = (parsed.host or "localhost").lower()
    where = f"{host}:{port}" if port else host
    return f"{parsed.username or ''}@{where}/{parsed.database or ''}"


def _get(key: str) -> str | None:
    try:
        return _backend().get_password(SERVICE, key)
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(f"{_NO_KEYRING_HELP} ({error})", key=key) from error


def _set(key: str, value: str) -> None:
    if not value:
        raise RuleViolation("credentials.empty", "An empty password or secret cannot be stored")
    try:
        _backend().set_password(SERVICE, key, value)
    except keyring.errors.PasswordSetError as error:
        raise KeyringUnavailable(
            f"The keyring refused to store the entry {key!r} ({error}); unlock it and try again",
            key=key,
        ) from error
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(f"{_NO_KEYRING_HELP} ({error})", key=key) from error


def _forget(key: str) -> None:
    backend = _backend()
    try:
        backend.delete_password(SERVICE, key)
    except keyring.errors.PasswordDeleteError:
        return  # nothing stored: forgetting is already done
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(f"{_NO_KEYRING_HELP} ({error})", key=key) from error


def database_password(url: str | URL) -> str | None:
    """The stored password for this database, or None if the seat has none yet."""
    return _get(keyring_key(url))


def store_database_password(url: str | URL, password: str) -> None:
    """Remember the password for this database (first-run prompt, or after it changed)."""
    _set(keyring_key(url), password)


def forget_database_password(url: str | URL) -> None:
    """Drop the stored password (wrong password, seat handed over); no error if none."""
    _forget(keyring_key(url))


def org_role_url(url: str | URL, role: str) -> URL:
    """The hall's URL with an organisation's role as the user: what its seats connect with."""
    return _parse(url).set(username=role)


def org_role_password(url: str | URL, role: str) -> str | None:
    """The stored password of an organisation's role on this database, or None."""
    return _get(keyring_key(org_role_url(url, role)))


def store_org_role_password(url: str | URL, role: str, password: str) -> None:
    """Remember the role's password on this computer (after provisioning it, or as given)."""
    _set(keyring_key(org_role_url(url, role)), password)


def forget_org_role_password(url: str | URL, role: str) -> None:
    _forget(keyring_key(org_role_url(url, role)))


def url_with_password(url: str | URL) -> str:
    """The URL to connect with, password filled in from the keyring.

    SQLite needs no password and is returned unchanged. Raises `MissingSecret` when the
    keyring has nothing for this database, so the app can show its first-run prompt.
    """
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.render_as_string(hide_password=False)
    key = keyring_key(parsed)
    password = _get(key)
    if password is None:
        raise MissingSecret(
            f"No password for the database {key} is stored in the keyring of this seat; "
            "enter it once to continue",
            key=key,
        )
    return parsed.set(password=password).render_as_string(hide_password=False)


def _secret_key(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise RuleViolation("credentials.no_name", "A secret needs a name")
    return _SECRET_PREFIX + cleaned


def secret(name: str) -> str | None:
    """Another stored secret by name (e.g. `insurer_hmac:PICC`), or None."""
    return _get(_secret_key(name))


def require_secret(name: str) -> str:
    """Like `secret`, but a missing one is a `MissingSecret` naming what to configure."""
    key = _secret_key(name)
    value = _get(key)
    if value is None:
        raise MissingSecret(
            f"The secret {name.strip()!r} is not stored in the keyring of this seat", key=key
        )
    return value


def store_secret(name: str, value: str) -> None:
    _set(_secret_key(name), value)


def forget_secret(name: str) -> None:
    _forget(_secret_key(name))
