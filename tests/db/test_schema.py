"""The migrated schema is the schema the models describe, on both backends, and behaves so."""

from __future__ import annotations

import json
import multiprocessing
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    CheckConstraint,
    Column,
    Engine,
    Integer,
    MetaData,
    bindparam,
    exc,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from console.db.engine import is_postgres, make_engine
from console.db.migrate import alembic_config, current_revision, head_revision, upgrade
from console.db.models import (
    CASE_STATES,
    CHANGE_FEED_CHANNEL,
    POSITIONS,
    Base,
    Case,
    CaseEvent,
    Claim,
    Organisation,
    Party,
    User,
    UtcDateTime,
)
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from tests.conftest import libpq_url, postgres_only
from tests.db.conftest import new_case

SHANGHAI = timezone(timedelta(hours=8))


def test_models_and_migration_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_the_comparison_would_notice_a_difference(engine: Engine) -> None:
    """Guards the test above against comparing nothing with nothing."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["cases"].append_column(Column("extra", Integer))
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), changed)
    assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "cases", "extra")]


def test_one_head_and_the_database_is_at_it(engine: Engine) -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [head_revision()]
    assert current_revision(engine) == head_revision()


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def _upgrade_in_another_process(url: str, start: Any) -> None:
    start.wait(30)
    upgrade(url)


@pytest.mark.slow
def test_seats_starting_together_migrate_once(db_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(3)
    seats = [
        context.Process(target=_upgrade_in_another_process, args=(db_url, start)) for _ in range(3)
    ]
    for seat in seats:
        seat.start()
    for seat in seats:
        seat.join(60)
    assert [seat.exitcode for seat in seats] == [0, 0, 0]
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_downgrade_to_nothing_and_back(engine: Engine) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def test_check_constraints_hold_the_same_values_as_the_models(engine: Engine) -> None:
    """compare_metadata ignores CHECKs; compare the quoted literals each one allows."""
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        in_models = {
            c.name: _literals(str(c.sqltext))
            for c in table.constraints
            if isinstance(c, CheckConstraint)
        }
        in_db = {
            c["name"]: _literals(c["sqltext"]) for c in inspector.get_check_constraints(table.name)
        }
        assert in_db == in_models, table.name


def _literals(sql: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", sql))


def test_constraint_and_index_names_fit_postgres() -> None:
    names = [
        str(obj.name)
        for table in Base.metadata.sorted_tables
        for obj in [*table.constraints, *table.indexes]
    ]
    assert names
    assert all(len(name) <= 63 for name in names), [n for n in names if len(n) > 63]


def test_value_sets_match_the_domain() -> None:
    assert set(CASE_STATES) == {s.value for s in CaseState}
    assert set(POSITIONS) == {p.value for p in Position}


def test_foreign_keys_are_enforced(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        session.add(Party(case_id=424242, letter="A", name="张三"))
        with pytest.raises(exc.IntegrityError):
            session.flush()


def test_check_constraints_are_enforced(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        session.add(new_case(state="lost_in_space"))
        with pytest.raises(exc.IntegrityError):
            session.flush()


def test_deleting_a_case_deletes_its_parties(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session, session.begin():
        case = new_case()
        case.parties = [Party(letter="B", name="李四"), Party(letter="A", name="张三")]
        session.add(case)
    with session_factory() as session, session.begin():
        loaded = session.get_one(Case, case.id)
        assert [p.letter for p in loaded.parties] == ["A", "B"]
        session.delete(loaded)
    with session_factory() as session:
        assert session.scalars(select(Party)).all() == []


def test_server_defaults_fill_what_a_raw_insert_leaves_out(engine: Engine) -> None:
    """Hand-written SQL (fixtures, repairs, other tools) gets the same defaults as the ORM."""
    now = bindparam("now", datetime.now(UTC), type_=UtcDateTime())
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cases (case_no, state, occurred_at, created_at, updated_at,"
                " state_since, source) VALUES ('RAW1', 'new', :now, :now, :now, :now, 'app')"
            ).bindparams(now)
        )
        row = connection.execute(
            text("SELECT id, version, notes, place_text FROM cases WHERE case_no = 'RAW1'")
        ).one()
        assert tuple(row)[1:] == (1, "", "")
        connection.execute(
            text(
                "INSERT INTO case_events (case_id, kind, at) VALUES (:id, 'created', :now)"
            ).bindparams(now, id=row.id)
        )
        connection.execute(
            text(
                "INSERT INTO parties (case_id, letter, name) VALUES (:id, 'A', '张三')"
            ).bindparams(id=row.id)
        )
    with Session(engine) as session:
        assert session.scalars(select(CaseEvent.details)).one() == {}
        party = session.scalars(select(Party)).one()
        assert (party.signature, party.damaged_parts) == ("pending", [])


def test_json_and_numeric_round_trip(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session, session.begin():
        insurer = Organisation(kind="insurer", code="PICC", name_zh="人保财险", name_en="PICC")
        police = Organisation(kind="police", code="DYJJ", name_zh="交警支队", name_en="Police")
        session.add_all([insurer, police])
        session.flush()
        case = new_case(parties=[Party(letter="A", name="张三", damaged_parts=["前保险杠"])])
        session.add(case)
        session.flush()
        session.add(
            CaseEvent(case_id=case.id, kind="created", details={"说明": "一键托管", "n": [1, 2]})
        )
        session.add(
            Claim(
                case_id=case.id,
                party_id=case.parties[0].id,
                insurer_org_id=insurer.id,
                assessed_amount=Decimal("1999.50"),
            )
        )
    with session_factory() as session:
        loaded = session.get_one(Case, case.id)
        assert loaded.parties[0].damaged_parts == ["前保险杠"]
        assert loaded.events[0].details == {"说明": "一键托管", "n": [1, 2]}
        claim = session.scalars(select(Claim)).one()
        assert claim.assessed_amount == Decimal("1999.50")
        assert claim.stage == "notified"
        assert claim.knock_for_knock is False


def test_stale_update_is_refused(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session, session.begin():
        session.add(new_case())
    first, second = session_factory(), session_factory()
    try:
        # Load in one short transaction each, as seats do, then save later.
        mine = first.scalars(select(Case)).one()
        first.commit()
        theirs = second.scalars(select(Case)).one()
        second.commit()

        mine.notes = "first seat"
        first.commit()
        assert mine.version == 2

        theirs.notes = "second seat"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with session_factory() as session:
        assert session.scalars(select(Case.notes)).one() == "first seat"


def test_utc_datetime_round_trips_aware_utc(engine: Engine) -> None:
    local = datetime(2026, 11, 20, 16, 30, 15, 123456, tzinfo=SHANGHAI)
    with Session(engine) as session, session.begin():
        if is_postgres(engine):
            # The column must not depend on the server's or session's time zone.
            session.execute(text("SET LOCAL TIME ZONE 'Asia/Shanghai'"))
        session.add(new_case(occurred_at=local))
    with Session(engine) as session:
        occurred = session.scalars(select(Case.occurred_at)).one()
    assert occurred == local
    assert occurred.tzinfo is UTC
    assert occurred.hour == 8


def test_hand_written_sql_stores_datetimes_as_the_orm_does(engine: Engine) -> None:
    local = datetime(2026, 11, 20, 16, 0, tzinfo=SHANGHAI)
    with Session(engine) as session, session.begin():
        session.add(new_case("ORM", occurred_at=local))
        session.flush()
        session.execute(
            text(
                "INSERT INTO cases (case_no, state, occurred_at, created_at, updated_at,"
                " state_since, source) VALUES ('RAW', 'new', :at, :at, :at, :at, 'app')"
            ),
            {"at": local},
        )
    with Session(engine) as session:
        stored = session.execute(text("SELECT DISTINCT occurred_at FROM cases")).scalars().all()
        assert len(stored) == 1  # the same text on SQLite, the same instant on PostgreSQL
        assert set(session.scalars(select(Case.occurred_at))) == {local}


def test_naive_datetimes_are_refused(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        session.add(new_case(occurred_at=datetime(2026, 11, 20, 8, 30)))
        with pytest.raises(exc.StatementError, match="naive datetime"):
            session.flush()


def test_events_are_ordered_by_id_and_ids_only_grow(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session, session.begin():
        case = new_case()
        session.add(case)
        session.flush()
        for kind in ("created", "claimed", "released"):
            session.add(CaseEvent(case_id=case.id, kind=kind))
            session.flush()
    with session_factory() as session:
        events = session.get_one(Case, case.id).events
        assert [e.kind for e in events] == ["created", "claimed", "released"]
        assert [e.id for e in events] == sorted(e.id for e in events)


def test_user_needs_an_organisation(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        session.add(User(org_id=999, username="x", display_name="x", password_hash="x"))
        with pytest.raises(exc.IntegrityError):
            session.flush()


# ---------------------------------------------------------------- PostgreSQL change feed


@postgres_only
def test_case_event_notifies_on_commit_only(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    factory = session_factory
    with psycopg.connect(
        libpq_url(engine.url.render_as_string(hide_password=False)), autocommit=True
    ) as listener:
        listener.execute(f"LISTEN {CHANGE_FEED_CHANNEL}")

        with factory() as session, session.begin():
            case = new_case()
            session.add(case)
            session.flush()
            event = CaseEvent(case_id=case.id, kind="created")
            session.add(event)
            session.flush()
            assert list(listener.notifies(timeout=0.3, stop_after=1)) == []

        delivered = list(listener.notifies(timeout=5, stop_after=1))
        assert len(delivered) == 1
        assert delivered[0].channel == CHANGE_FEED_CHANNEL
        assert json.loads(delivered[0].payload) == {
            "id": event.id,
            "case_id": case.id,
            "kind": "created",
        }

        with factory() as session:
            session.add(CaseEvent(case_id=case.id, kind="edited"))
            session.flush()
            session.rollback()
        assert list(listener.notifies(timeout=0.3, stop_after=1)) == []
