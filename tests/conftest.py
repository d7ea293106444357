"""Fixtures for every test: a fresh data/config folder and keyring, and the shared database.

Database fixtures live here rather than in tests/db so use-case, feed and UI tests get the same
throwaway databases:

- `db_url`: a URL to an empty database, parametrized over SQLite (a file in tmp_path) and
  PostgreSQL (`CREATE DATABASE hall_test_<random>`, dropped afterwards). The PostgreSQL variant
  carries the `pg` marker, so `-m "not pg"` runs SQLite only. For behaviour only one backend
  has, decorate the test with `sqlite_only` or `postgres_only` (below); the latter is `pg` too.
- `engine`: `make_engine(db_url)` migrated to head; disposed afterwards. Its SQLite database is
  a copy of a file migrated once per run (0.25 s a test saved). Its PostgreSQL database is
  cloned from a template migrated once per run to `TEMPLATE_REVISION` (the schema before the
  insurer roles, which are named after the database) and migrated to head by a worker process
  ahead of the test (tests/db_prefetch.py): the 0.3–0.45 s of `CREATE DATABASE` on a server
  that syncs to disk, and the 0.2 s of migrating, overlap earlier tests.
- `session_factory`: `make_session_factory(engine)`.
- `pg_url` (session): the PostgreSQL server the throwaway databases are made on.
  `HALL_TEST_PG` (default postgresql+psycopg://postgres@127.0.0.1:5432/test); when that is
  unreachable, CI fails the tests and a desk starts a private server in a temp folder.
- `pg_database(server_url)`: context manager for one more throwaway database.
"""

from __future__ import annotations

import os

# Before anything can import Qt: tests never open windows on a real display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import contextlib
import faulthandler
import gc
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import psycopg
import pytest
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import make_engine, make_session_factory
from console.db.migrate import upgrade
from console.workers.gui_thread import collect_due
from tests.db_prefetch import HeadDatabases, drop_database

DEFAULT_TEST_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# ---------------------------------------------------------------- a test that hangs in C

# pytest-timeout (300 s, pyproject) raises in the test from a signal handler, which only runs
# when the main thread executes Python. A test stuck inside Qt or waiting for the GIL never
# gets there and would hang the whole run. faulthandler's watchdog is a C thread: past this
# limit it prints every thread's stack to the real stderr and ends the process.
HARD_LIMIT_S = 420
_real_stderr: list[int] = []


_gc_threshold = gc.get_threshold()


def pytest_configure(config: pytest.Config) -> None:
    _real_stderr.append(os.dup(2))  # capturing is suspended here; fd 2 is the terminal
    # As in the program (GuiThreadGarbageCollector): cycles are collected on the main thread
    # only, between tests, never by a worker thread that happens to allocate.
    gc.disable()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    if _real_stderr:
        faulthandler.dump_traceback_later(HARD_LIMIT_S, exit=True, file=_real_stderr[0])
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        collect_due(_gc_threshold)


# ---------------------------------------------------------------- per-test environment


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything when the test ends; never the desk's real one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(f"no password for {username}") from None


@dataclass(frozen=True)
class IsolatedEnvironment:
    data_dir: Path
    config_dir: Path
    keyring: MemoryKeyring


@pytest.fixture(autouse=True)
def test_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> IsolatedEnvironment:
    """Each test gets its own empty data and config folders and an empty keyring."""
    data_dir = tmp_path_factory.mktemp("data")
    config_dir = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("HALL_CONSOLE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HALL_CONSOLE_CONFIG_DIR", str(config_dir))
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    return IsolatedEnvironment(data_dir, config_dir, ring)


WORKER_THREAD_PREFIXES = (
    "task-runner-",
    "pg-feed",
    "sqlite-feed",
    "open-db",
    "hall-sim-",
    "call-link-",
    "gateway-",
    "outbox-dispatcher",
    "demo-cam-",
    "capture-",
    "camera-reaper",
)


@pytest.fixture(autouse=True)
def no_leaked_workers() -> Iterator[None]:
    """A test that starts a worker thread must stop it: a leaked one would emit into a torn-down
    QApplication later and abort the process (perf-baseline §12)."""
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 3
    while True:
        leaked = [
            t.name
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and t.name.startswith(WORKER_THREAD_PREFIXES)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"worker threads left running after the test: {leaked}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Anything that needs the PostgreSQL server is a `pg` test, however it asked for it."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        indirect_pg = callspec is not None and callspec.params.get("db_url") == "postgresql"
        if indirect_pg or "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pg)


# ---------------------------------------------------------------- PostgreSQL server


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq conninfo URI, for psycopg.connect()."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _reachable(url: str) -> str | None:
    """None if the server answers, else why not."""
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return " ".join(str(error).split())
    return None


def _pg_bindir() -> Path:
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not candidates:
        pytest.fail("PostgreSQL is unreachable and no initdb was found to start a private one")
    return candidates[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _private_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL server in a temp folder, stopped and deleted afterwards."""
    bindir = _pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="hall-pg-"))
    data = root / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_postgres, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}")

    try:
        run(
            str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL server (its maintenance database) to make throwaway databases on."""
    url = os.environ.get("HALL_TEST_PG", DEFAULT_TEST_PG)
    problem = _reachable(url)
    if problem is None:
        yield url
        return
    shown = make_url(url).render_as_string(hide_password=True)
    if os.environ.get("CI"):
        pytest.fail(
            f"PostgreSQL at {shown} is unreachable ({problem}). CI must run the PostgreSQL "
            "tests: start the service or point HALL_TEST_PG at one."
        )
    with _private_cluster() as private_url:
        yield private_url


@contextlib.contextmanager
def pg_database(server_url: str, *, template: str | None = None) -> Iterator[str]:
    """Create a database on the server (empty, or a copy of `template`), yield its URL, drop
    it (sessions and all)."""
    name = f"hall_test_{secrets.token_hex(6)}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        copy = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        drop_database(server_url, url)  # and the roles named after it


# ---------------------------------------------------------------- throwaway databases

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
postgres_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


# Migration 0006 creates a role named after the database it runs in and bakes that name into
# a function: a clone must run it (and everything after it) itself.
TEMPLATE_REVISION = "0005"


@pytest.fixture(scope="session")
def pg_template(pg_url: str) -> Iterator[str]:
    """A database migrated to TEMPLATE_REVISION, for the run; `engine`'s databases copy it."""
    with pg_database(pg_url) as url:
        engine = make_engine(url)
        try:
            upgrade(engine, TEMPLATE_REVISION)
        finally:
            engine.dispose()  # CREATE DATABASE … TEMPLATE needs it unconnected
        name = make_url(url).database
        assert name is not None
        yield name


@pytest.fixture(scope="session")
def pg_head_databases(pg_url: str, pg_template: str) -> Iterator[HeadDatabases]:
    """Databases at head made ahead in worker processes (tests/db_prefetch.py)."""
    made = HeadDatabases(pg_url, pg_template)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; `engine`'s SQLite databases are copies."""
    path = tmp_path_factory.mktemp("sqlite-template") / "hall.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()  # the last connection folds the WAL into the file
    return path


_AT_HEAD: set[str] = set()
"""URLs `db_url` handed out already migrated to head: `engine` need not ask Alembic again."""


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.pg),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each kind, for this test only: empty, unless the test asks for `engine`,
    which wants it at head anyway; then it is a copy of one migrated once (SQLite) or one made
    ahead while earlier tests ran (PostgreSQL)."""
    at_head = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "hall.db"
        url = f"sqlite:///{path}"
        if at_head:
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            _AT_HEAD.add(url)
        try:
            yield url
        finally:
            _AT_HEAD.discard(url)
        return
    server = request.getfixturevalue("pg_url")
    if not at_head:
        with pg_database(server) as url:
            yield url
        return
    databases: HeadDatabases = request.getfixturevalue("pg_head_databases")
    url = databases.take()
    _AT_HEAD.add(url)
    try:
        yield url
    finally:
        _AT_HEAD.discard(url)
        databases.give_back(url)  # dropped by a worker, sessions and roles and all


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The program's engine on `db_url`, migrated to the newest revision."""
    engine = make_engine(db_url)
    try:
        if db_url not in _AT_HEAD:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
