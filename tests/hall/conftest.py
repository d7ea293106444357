"""A small hall for use-case tests: a police unit, an insurer, and one user per position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import Case, Organisation, User, UserPosition
from console.domain.lifecycle import CaseState, owner_of
from console.domain.positions import Position
from console.hall.actor import Actor


@dataclass
class Hall:
    session_factory: sessionmaker[Session]
    police_id: int
    insurer_id: int
    actors: dict[str, Actor]

    def __getitem__(self, name: str) -> Actor:
        return self.actors[name]


PEOPLE = {
    "reception": ("王接警", Position.RECEPTION),
    "review": ("李审核", Position.REVIEW),
    "officer": ("张警官", Position.DETERMINATION),
    "officer2": ("赵警官", Position.DETERMINATION),
    "claims": ("周理赔", Position.CLAIMS),
    "lookup": ("孙查询", Position.LOOKUP),
    "patrol": ("吴巡查", Position.PATROL),
    "supervisor": ("陈值班长", Position.SUPERVISOR),
}


def build_hall(session_factory: sessionmaker[Session]) -> Hall:
    with session_factory() as session, session.begin():
        police = Organisation(
            kind="police",
            code="DYJJ",
            name_zh="东营市公安局交警支队",
            name_en="Dongying Traffic Police",
            unit_prefix="东公交",
            active=True,
        )
        insurer = Organisation(
            kind="insurer", code="PICC", name_zh="中国人保财险", name_en="PICC P&C", active=True
        )
        session.add_all([police, insurer])
        session.flush()
        actors = {}
        for i, (key, (name, position)) in enumerate(PEOPLE.items()):
            org = insurer if position is Position.CLAIMS else police
            user = User(
                org_id=org.id,
                username=key,
                display_name=name,
                password_hash="x",
                active=True,
                failed_logins=0,
                created_at=datetime.now(UTC),
            )
            session.add(user)
            session.flush()
            session.add(UserPosition(user_id=user.id, position=position.value))
            actors[key] = Actor(user.id, name, position, f"seat-{i + 1:02d}", org.id)
        return Hall(session_factory, police.id, insurer.id, actors)


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def bulk_cases(
    session_factory: sessionmaker[Session], n: int, state: CaseState, *, start: int = 0
) -> list[int]:
    """Insert n cases waiting in `state`, oldest first, with one bulk statement."""
    base = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    owner = owner_of(state)
    rows = [
        {
            "case_no": f"T{start + i:08d}",
            "state": state.value,
            "version": 1,
            "owner_position": owner.value if owner else None,
            "created_at": base + timedelta(seconds=i),
            "updated_at": base + timedelta(seconds=i),
            "state_since": base + timedelta(seconds=i),
            "occurred_at": base,
            "place_text": "东营区府前大街与西四路路口",
            "source": "call",
            "notes": "",
        }
        for i in range(n)
    ]
    with session_factory() as session, session.begin():
        result = session.execute(insert(Case).returning(Case.id), rows)
        return sorted(result.scalars().all())


def open_case_in_another_process(url: str, user_id: int) -> int:
    """Run in a spawned process, exactly as a second seat would: its own engine, one case."""
    from console.db.engine import make_engine, make_session_factory
    from console.hall.cases import NewCase, create_case

    engine = make_engine(url)
    try:
        actor = Actor(user_id, "王接警", Position.RECEPTION, "seat-remote")
        new = NewCase(source="call", occurred_at=datetime.now(UTC), place_text="府前大街")
        return create_case(make_session_factory(engine), actor, new).case_id
    finally:
        engine.dispose()
