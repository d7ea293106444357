"""The database password and other secrets live in the OS keyring, never in a URL or file."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest
from sqlalchemy import make_url

from console.credentials import (
    SERVICE,
    KeyringUnavailable,
    MissingSecret,
    database_password,
    forget_database_password,
    forget_secret,
    keyring_key,
    require_secret,
    secret,
    store_database_password,
    store_secret,
    url_with_password,
)
from console.domain.errors import RuleViolation
from tests.conftest import IsolatedEnvironment

URL = "postgresql+psycopg://hall@db.dongying.example:5432/hall"


def test_keyring_key_is_user_host_port_database_whatever_the_driver() -> None:
    assert keyring_key(URL) == "hall@db.dongying.example:5432/hall"
    # Same server and database, written differently: one keyring entry.
    assert keyring_key("postgresql://hall@DB.dongying.example/hall") == keyring_key(URL)
    assert keyring_key("postgresql+psycopg://hall@db.dongying.example:6432/hall") != keyring_key(
        URL
    )
    assert keyring_key("postgresql+psycopg://other@db.dongying.example/hall") != keyring_key(URL)


def test_store_read_and_forget_the_database_password(
    test_environment: IsolatedEnvironment,
) -> None:
    assert database_password(URL) is None
    store_database_password(URL, "s3cret-Pw")
    assert database_password(URL) == "s3cret-Pw"
    # Filed under the program's service and the password-free key, nowhere else.
    assert test_environment.keyring.passwords == {
        (SERVICE, "hall@db.dongying.example:5432/hall"): "s3cret-Pw"
    }
    forget_database_password(URL)
    assert database_password(URL) is None
    forget_database_password(URL)  # forgetting twice is not an error


def test_url_with_password_fills_in_the_stored_password() -> None:
    password = "p@ss:w/rd%20 中"  # characters a URL must escape
    store_database_password(URL, password)
    full = url_with_password(URL)
    parsed = make_url(full)
    assert parsed.password == password
    assert parsed.username == "hall"
    assert parsed.host == "db.dongying.example"
    assert parsed.database == "hall"
    assert parsed.drivername == "postgresql+psycopg"


def test_missing_password_raises_missing_secret_naming_the_database() -> None:
    with pytest.raises(MissingSecret) as caught:
        url_with_password(URL)
    assert caught.value.key == "hall@db.dongying.example:5432/hall"
    assert "hall@db.dongying.example:5432/hall" in str(caught.value)


def test_a_password_in_the_url_is_refused_without_echoing_it(
    test_environment: IsolatedEnvironment,
) -> None:
    with_password = "postgresql+psycopg://hall:hunter22@db.dongying.example/hall"
    for call in (
        lambda: url_with_password(with_password),
        lambda: keyring_key(with_password),
        lambda: store_database_password(with_password, "x-other"),
        lambda: database_password(with_password),
    ):
        with pytest.raises(RuleViolation) as caught:
            call()
        assert isinstance(caught.value, ValueError)
        assert caught.value.code == "credentials.password_in_url"
        assert "put the password in the keyring, not in the URL" in str(caught.value)
        assert "hunter22" not in str(caught.value)
    assert test_environment.keyring.passwords == {}


def test_sqlite_needs_no_password() -> None:
    url = "sqlite:////tmp/demo.sqlite3"
    assert url_with_password(url) == url


def test_an_empty_password_is_not_stored(test_environment: IsolatedEnvironment) -> None:
    with pytest.raises(RuleViolation):
        store_database_password(URL, "")
    assert test_environment.keyring.passwords == {}


def test_no_keyring_backend_raises_keyring_unavailable_with_advice() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    for call in (
        lambda: database_password(URL),
        lambda: store_database_password(URL, "pw-123456"),
        lambda: forget_database_password(URL),
        lambda: url_with_password(URL),
        lambda: secret("insurer_hmac:PICC"),
        lambda: store_secret("insurer_hmac:PICC", "k"),
    ):
        with pytest.raises(KeyringUnavailable) as caught:
            call()
        assert "keyring" in str(caught.value)
        assert "gnome-keyring" in str(caught.value)  # says what to install


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring that exists but refuses every request, as a locked Secret Service does."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the login keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the login keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("the login keyring is locked")


def test_a_locked_keyring_is_reported_as_unavailable_not_as_a_crash() -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailable, match="locked"):
        url_with_password(URL)
    with pytest.raises(KeyringUnavailable, match="unlock"):
        store_database_password(URL, "pw-123456")
    with pytest.raises(KeyringUnavailable, match="locked"):
        forget_database_password(URL)


def test_other_secrets_by_name(test_environment: IsolatedEnvironment) -> None:
    assert secret("insurer_hmac:PICC") is None
    with pytest.raises(MissingSecret, match="insurer_hmac:PICC"):
        require_secret("insurer_hmac:PICC")
    store_secret("insurer_hmac:PICC", "k-picc")
    store_secret("insurer_hmac:PAIC", "k-paic")
    assert secret("insurer_hmac:PICC") == "k-picc"
    assert require_secret(" insurer_hmac:PAIC ") == "k-paic"
    # Secrets and database passwords cannot shadow each other.
    assert all(key.startswith("secret:") for _, key in test_environment.keyring.passwords)
    forget_secret("insurer_hmac:PICC")
    assert secret("insurer_hmac:PICC") is None
    assert secret("insurer_hmac:PAIC") == "k-paic"
    with pytest.raises(RuleViolation):
        secret("  ")
