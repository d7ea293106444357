"""Opening the hall's database: connect, migrate, and in demo mode seed a living hall.

Runs off the GUI thread (importing SQLAlchemy and migrating take a second or more). An
unreachable server is an environment failure (`DatabaseUnavailable`) the window shows with
a retry, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import check_connection, describe, make_engine, make_session_factory
from console.db.migrate import upgrade
from console.db.models import CaseEvent


@dataclass(frozen=True)
class HallLink:
    """An open connection to the hall: what every seat's use cases run against."""

    engine: Engine
    session_factory: sessionmaker[Session]
    description: str
    demo: bool

    def newest_event_id(self) -> int:
        with self.session_factory() as session:
            return int(session.scalar(select(func.coalesce(func.max(CaseEvent.id), 0))) or 0)

    def close(self) -> None:
        self.engine.dispose()


def open_hall(url: str, *, password: str | None = None, demo: bool = False) -> HallLink:
    """Connect (raising DatabaseUnavailable), bring the schema up to date, seed if demo."""
    engine = make_engine(url, password=password)
    try:
        check_connection(engine)
        upgrade(engine)
        factory = make_session_factory(engine)
        if demo:
            from console.hall.demo_seed import seed_demo_hall

            seed_demo_hall(factory, now=datetime.now(UTC))
    except BaseException:
        engine.dispose()
        raise
    return HallLink(engine, factory, describe(engine), demo)


def open_role_link(url: str, *, role: str, password: str) -> HallLink:
    """The hall as an organisation's own database role sees it (row-level security,
    docs/isolation.md): what an insurer's claims seat works on after sign-in. The schema was
    brought up to date by the seat's first connection; this role may not migrate it."""
    engine = make_engine(make_url(url).set(username=role), password=password)
    try:
        check_connection(engine)
    except BaseException:
        engine.dispose()
        raise
    return HallLink(engine, make_session_factory(engine), describe(engine), demo=False)
