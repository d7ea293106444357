"""Throwaway PostgreSQL databases at the newest revision, made ahead while tests run.

On a server that syncs to disk, `CREATE DATABASE` costs about 0.3–0.45 s whatever the template
(it writes and syncs every block), and migrating the clone to head another 0.2 s: more than most
tests themselves. Three worker processes make the next databases (and drop the used ones) while
the current test runs, so a test takes one that is ready. Each test still gets a database of its
own, made for it alone. (Two workers fell behind on a run of quick tests; four cost more CPU
than they saved, on two cores.)

The workers are spawned, not forked (the test process has threads), and import only what
creating and migrating needs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import secrets
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

import psycopg
from sqlalchemy import make_url

__all__ = ["HeadDatabases", "drop_database", "make_head_database"]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_head_database(server_url: str, template: str) -> str:
    """In a worker: a copy of `template` migrated to head; its URL."""
    from console.db.migrate import upgrade

    name = f"hall_test_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(server_url: str, url: str) -> None:
    """Drop a test database and the roles named after it (cluster-wide: migration 0006's
    insurer group `<database>_insurer` and the companies' roles in it), members first."""
    name = str(make_url(url).database)
    pattern = name.replace("_", r"\_") + r"\_%"
    with psycopg.connect(_libpq(server_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        roles = admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", [pattern])
        for (role,) in sorted(roles.fetchall(), key=lambda row: -len(str(row[0]))):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


class HeadDatabases:
    """`take()` hands out the next ready database, `give_back(url)` has a worker drop it;
    `close()` waits for the drops and drops the ones made but never taken."""

    def __init__(self, server_url: str, template: str, *, ahead: int = 3) -> None:
        self._server_url = server_url
        self._template = template
        self._pool = ProcessPoolExecutor(
            max_workers=ahead, mp_context=multiprocessing.get_context("spawn")
        )
        self._queue: deque[Future[str]] = deque(self._order() for _ in range(ahead))
        self._drops: list[Future[None]] = []

    def _order(self) -> Future[str]:
        return self._pool.submit(make_head_database, self._server_url, self._template)

    def take(self) -> str:
        future = self._queue.popleft()
        self._queue.append(self._order())
        return future.result(timeout=120)

    def give_back(self, url: str) -> None:
        self._drops.append(self._pool.submit(drop_database, self._server_url, url))

    def close(self) -> None:
        made = [f for f in self._queue if not f.cancel()]  # cancelled if not started yet
        for future in (*made, *self._drops):
            with contextlib.suppress(Exception):  # a failed one failed its test already
                url = future.result(timeout=120)
                if isinstance(url, str):
                    drop_database(self._server_url, url)
        self._pool.shutdown(wait=True)
