"""Row-level security for the insurers' seats (migration 0006, docs/isolation.md), checked with
hand-written SQL as insurer A's own database role: no row of a case only insurer B is in is
visible in any table that holds case data, nor can it be changed, deleted or added to; A's own
cases and the cases it shares with B are visible; every other role is unrestricted.

The tables are found in the catalogue, not listed by hand: a table added later with a case_id
column and no policy, or with no rows built here, fails these tests until it gets both.
PostgreSQL only; in CI a missing server fails them (tests/conftest.py `pg_url`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest
from alembic import command
from psycopg import errors
from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from console.db.migrate import alembic_config, upgrade
from console.db.models import (
    Attachment,
    AuditLogEntry,
    Call,
    CallLeg,
    Camera,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseHelper,
    CheckpointHit,
    Claim,
    Complaint,
    Determination,
    Evidence,
    Helper,
    Letter,
    LookupResult,
    Organisation,
    OutboxMessage,
    Party,
    Policy,
    RefusedFile,
    RescueTask,
    Submission,
    User,
    Vehicle,
    WatchlistEntry,
)
from console.db.org_roles import drop_org_role, provision_org_role
from tests.conftest import libpq_url, postgres_only

pytestmark = postgres_only

AT = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)

# Reached from a case through another table: table -> (its key, the keys a company with cases
# {visible} may see, as the hall's owner computes them with the policies out of the way).
DERIVED: dict[str, tuple[str, str]] = {
    "vehicles": ("id", "SELECT vehicle_id FROM parties WHERE case_id IN ({visible})"),
    "policies": (
        "id",
        "SELECT id FROM policies WHERE insurer_org_id = {org} "
        "UNION SELECT policy_id FROM parties WHERE case_id IN ({visible})",
    ),
    "attachments": (
        "sha256",
        "SELECT sha256 FROM case_attachments WHERE case_id IN ({visible}) "
        "UNION SELECT pdf_sha256 FROM letters WHERE case_id IN ({visible}) "
        "UNION SELECT sha256 FROM evidence WHERE case_id IN ({visible})",
    ),
    "call_legs": (
        "id",
        "SELECT l.id FROM call_legs l JOIN calls c ON c.id = l.call_id "
        "WHERE c.case_id IN ({visible})",
    ),
    "watchlist_entries": (
        "id",
        "SELECT w.id FROM watchlist_entries w JOIN complaints c ON c.id = w.complaint_id "
        "WHERE c.case_id IN ({visible})",
    ),
    "checkpoint_hits": (
        "id",
        "SELECT h.id FROM checkpoint_hits h JOIN watchlist_entries w "
        "ON w.id = h.watchlist_entry_id JOIN complaints c ON c.id = w.complaint_id "
        "WHERE c.case_id IN ({visible})",
    ),
    "audit_log": (
        "id",
        "SELECT a.id FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE u.org_id = {org}",
    ),
}


# ---------------------------------------------------------------- the hall


@dataclass
class World:
    url: str
    a: int  # insurer A, whose role connects
    b: int  # insurer B
    cases: dict[str, int]  # b_only, a_only, shared, police_only
    adjusters: dict[int, int]  # org -> its adjuster's user id
    officer: int

    @property
    def visible(self) -> set[int]:
        return {self.cases["a_only"], self.cases["shared"]}


class _Builder:
    """One row in every table that holds case data, for each case; distinct values each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.n = itertools.count(1)

    def add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def org(self, kind: str, code: str) -> int:
        org = self.add(Organisation(kind=kind, code=code, name_zh=code, name_en=code))
        return int(org.id)

    def user(self, org_id: int, name: str) -> int:
        user = self.add(User(org_id=org_id, username=name, display_name=name, password_hash="x"))
        return int(user.id)

    def blob(self) -> str:
        i = next(self.n)
        digest = f"{i:064x}"
        self.add(Attachment(sha256=digest, size=1, mime="image/jpeg", content=bytes([i % 256])))
        return digest

    def case(
        self, insurers: tuple[int | None, ...], *, officer: int, police: int, camera: str
    ) -> int:
        i = next(self.n)
        case = self.add(
            Case(
                case_no=f"RLS{i:05d}",
                state="claims_open",
                owner_position="claims",
                occurred_at=AT,
                source="app",
                place_text="府前大街",
                caller_phone=f"1390546{i:04d}",
            )
        )
        submission = self.add(
            Submission(
                external_id=f"sub-{i}",
                case_id=case.id,
                channel="12123",
                state="received",
                submitted_at=AT,
            )
        )
        for letter, insurer in zip("AB", insurers, strict=False):
            j = next(self.n)
            vehicle = self.add(Vehicle(plate_type="02", plate_no=f"鲁E{j:05d}"))
            policy = None
            if insurer is not None:
                policy = self.add(
                    Policy(
                        insurer_org_id=insurer,
                        policy_no=f"POL{j}",
                        vehicle_id=vehicle.id,
                        kind="compulsory",
                        valid_from=date(2026, 1, 1),
                        valid_until=date(2026, 12, 31),
                    )
                )
            party = self.add(
                Party(
                    case_id=case.id,
                    letter=letter,
                    name=f"当事人{j}",
                    phone=f"1380546{j:04d}",
                    id_number=f"37050219900101{j:04d}",
                    plate_type="02",
                    plate_no=vehicle.plate_no,
                    vehicle_id=vehicle.id,
                    insurer_org_id=insurer,
                    policy_id=policy.id if policy else None,
                )
            )
            self.add(
                CaseAttachment(
                    case_id=case.id,
                    sha256=self.blob(),
                    kind="damage",
                    party_letter=letter,
                    source="app",
                    submission_id=submission.id,
                )
            )
            self.add(
                LookupResult(
                    case_id=case.id,
                    party_letter=letter,
                    check_kind="licence",
                    outcome="pass",
                    source="sim",
                    answered_at=AT,
                )
            )
            if insurer is None:
                continue
            claim = self.add(Claim(case_id=case.id, party_id=party.id, insurer_org_id=insurer))
            complaint = self.add(
                Complaint(
                    case_id=case.id,
                    claim_id=claim.id,
                    respondent_org_id=insurer,
                    complainant_name="投诉人",
                    complainant_phone="13905460000",
                    filed_by=officer,
                    contact_due_at=AT + timedelta(days=1),
                    pay_due_at=AT + timedelta(days=3),
                    party_letter=letter,
                )
            )
            entry = self.add(
                WatchlistEntry(
                    plate_type="02",
                    plate_no=vehicle.plate_no,
                    reason="unpaid",
                    complaint_id=complaint.id,
                )
            )
            self.add(
                CheckpointHit(
                    camera_id=camera,
                    plate_type="02",
                    plate_no=vehicle.plate_no,
                    watchlist_entry_id=entry.id,
                )
            )
        self.add(
            RefusedFile(
                submission_id=submission.id,
                case_id=case.id,
                photo_ref=f"r{i}",
                kind="damage",
                reason="corrupt",
            )
        )
        self.add(CaseEvent(case_id=case.id, kind="created", to_state="new"))
        call = self.add(Call(external_id=f"call-{i}", caller_phone="13905469999", case_id=case.id))
        self.add(CallLeg(call_id=call.id, seat="接警-01", position="reception", kind="answer"))
        determination = self.add(
            Determination(
                case_id=case.id,
                officer_id=officer,
                situation_code="REAR_END",
                accident_form="RE",
                narrative="追尾",
            )
        )
        self.add(
            Letter(
                case_id=case.id,
                determination_id=determination.id,
                unit_org_id=police,
                year=2026,
                serial=i,
                doc_no=f"东公交〔2026〕第{i:06d}号",
                verification_code=f"V{i:08d}",
                pdf_sha256=self.blob(),
            )
        )
        self.add(
            Evidence(
                case_id=case.id,
                camera_id=camera,
                kind="snapshot",
                start_at=AT,
                end_at=AT,
                sha256=self.blob(),
                taken_by=officer,
            )
        )
        self.add(RescueTask(case_id=case.id, requested_by=officer, place_text="府前大街"))
        helper = self.add(Helper(name="热心人", phone=f"1370546{i:04d}"))
        self.add(CaseHelper(case_id=case.id, helper_id=helper.id))
        self.add(
            OutboxMessage(
                kind="sms",
                destination="13905461111",
                idempotency_key=f"sms-{i}",
                payload={"text": "..."},
                case_id=case.id,
            )
        )
        return int(case.id)


def role_url(url: str, role: str) -> str:
    """The libpq URL of the hall's database with another role as the user."""
    return libpq_url(make_url(url).set(username=role).render_as_string(hide_password=False))


def build_world(session_factory: sessionmaker[Session], url: str) -> World:
    with session_factory() as session, session.begin():
        build = _Builder(session)
        police = build.org("police", "DYJJ")
        a, b, c = (build.org("insurer", code) for code in ("PICC", "CPIC", "PAIC"))
        officer = build.user(police, "officer")
        adjusters = {org: build.user(org, f"claims{org}") for org in (a, b, c)}
        camera = build.add(
            Camera(
                id="CAM1",
                name="府前大街",
                district="东营区",
                road="府前大街",
                direction="东",
                lat=37.4,
                lon=118.5,
                group_path="东营区/府前大街/1",
                main_url="rtsp://cam/1",
            )
        ).id
        made = {"police": police, "officer": officer, "camera": camera}
        cases = {
            "b_only": build.case((b, c), **made),
            "a_only": build.case((a, None), **made),
            "shared": build.case((a, b), **made),
            "police_only": build.case((None, None), **made),
        }
        # Rows of no case: the hall's own business, none of an insurer's.
        build.add(Call(external_id="call-ringing", caller_phone="13905468888"))
        build.add(RescueTask(requested_by=officer, place_text="西城"))
        build.add(OutboxMessage(kind="sms", destination="13905468888", idempotency_key="no-case"))
        build.add(WatchlistEntry(plate_type="02", plate_no="鲁E99999", reason="stolen"))
        for actor in (officer, adjusters[a], adjusters[b], None):
            build.add(AuditLogEntry(actor_id=actor, action="sign_in", target=f"user:{actor}"))
    return World(url, a, b, cases, adjusters, officer)


# ---------------------------------------------------------------- connections


@pytest.fixture
def world(engine: Engine, session_factory: sessionmaker[Session], db_url: str) -> World:
    return build_world(session_factory, db_url)


@pytest.fixture
def as_a(engine: Engine, world: World) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """Insurer A's own role, as its seats connect; the role is dropped afterwards."""
    made = provision_org_role(engine, world.a)
    try:
        with psycopg.connect(role_url(world.url, made.role), password=made.password) as conn:
            yield conn
    finally:
        _wait_until_gone(world, made.role)
        drop_org_role(engine, world.a)


def _wait_until_gone(world: World, role: str) -> None:
    """A closed connection's backend exits a moment later; a role with a live backend (or
    its temporary tables) cannot be dropped."""
    with psycopg.connect(libpq_url(world.url), autocommit=True) as conn:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [role]
            ).fetchone()
            if row == (0,):
                return
            time.sleep(0.05)


@pytest.fixture
def admin(world: World) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """The hall's owner (here the superuser): the policies do not apply to it."""
    with psycopg.connect(libpq_url(world.url), autocommit=True) as conn:
        yield conn


def case_tables(conn: psycopg.Connection[tuple[Any, ...]]) -> list[str]:
    """Every table of the hall's schema with a case_id column, plus `cases` itself."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'case_id' "
        "AND t.table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    return ["cases", *(r[0] for r in rows)]


def unprotected(conn: psycopg.Connection[tuple[Any, ...]], tables: list[str]) -> list[str]:
    """The tables without row-level security, or without a policy for every command."""
    bad = []
    for table in tables:
        secured = conn.execute(
            "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(%s)", [table]
        ).fetchone()
        commands = {
            r[0]
            for r in conn.execute(
                "SELECT cmd FROM pg_policies WHERE schemaname = current_schema() "
                "AND tablename = %s",
                [table],
            )
        }
        if not (secured and secured[0]) or commands != {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            bad.append(table)
    return bad


def _case_column(table: str) -> str:
    return "id" if table == "cases" else "case_id"


def _rows_per_case(conn: psycopg.Connection[tuple[Any, ...]], table: str) -> dict[Any, int]:
    column = _case_column(table)
    return dict(
        conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}").fetchall()
    )


# ---------------------------------------------------------------- the tests


def test_every_table_with_case_data_has_row_level_security(
    admin: psycopg.Connection[tuple[Any, ...]],
) -> None:
    tables = case_tables(admin)
    assert {"cases", "parties", "claims", "case_events", "outbox"} <= set(tables)
    assert unprotected(admin, [*tables, *DERIVED]) == []


def test_a_new_case_table_without_a_policy_is_caught(
    admin: psycopg.Connection[tuple[Any, ...]],
) -> None:
    """What the test above does when a later migration forgets the policy."""
    admin.execute("CREATE TABLE case_notes (id bigserial PRIMARY KEY, case_id bigint)")
    assert unprotected(admin, case_tables(admin)) == ["case_notes"]
    admin.execute("ALTER TABLE case_notes ENABLE ROW LEVEL SECURITY")
    assert unprotected(admin, case_tables(admin)) == ["case_notes"], "a policy per command too"


def test_insurer_a_sees_exactly_the_rows_of_its_own_and_shared_cases(
    world: World,
    admin: psycopg.Connection[tuple[Any, ...]],
    as_a: psycopg.Connection[tuple[Any, ...]],
) -> None:
    b_only, police_only = world.cases["b_only"], world.cases["police_only"]
    for table in case_tables(admin):
        everything = _rows_per_case(admin, table)
        assert {b_only, *world.visible} <= set(everything), f"build rows of each case in {table}"
        seen = _rows_per_case(as_a, table)
        assert b_only not in seen, f"{table} shows a row of a case only insurer B is in"
        assert police_only not in seen and None not in seen, table
        assert seen == {c: n for c, n in everything.items() if c in world.visible}, table


def test_insurer_a_sees_exactly_what_its_cases_reach_in_the_other_tables(
    world: World,
    admin: psycopg.Connection[tuple[Any, ...]],
    as_a: psycopg.Connection[tuple[Any, ...]],
) -> None:
    visible = ", ".join(str(c) for c in sorted(world.visible))
    every = ", ".join(str(c) for c in world.cases.values())
    for table, (key, query) in DERIVED.items():
        own = {r[0] for r in admin.execute(query.format(visible=visible, org=world.a))}
        reachable = {r[0] for r in admin.execute(query.format(visible=every, org=world.b))}
        assert reachable - own, f"build rows in {table} that insurer A must not see"
        seen = {r[0] for r in as_a.execute(f"SELECT {key} FROM {table}")}
        assert seen == own - {None}, table


def test_insurer_a_changes_and_deletes_nothing_of_b(
    world: World, as_a: psycopg.Connection[tuple[Any, ...]]
) -> None:
    b_only, shared, a_only = world.cases["b_only"], world.cases["shared"], world.cases["a_only"]
    updates = [
        ("UPDATE cases SET state = state WHERE id = %s", b_only),
        ("UPDATE claims SET stage = stage WHERE case_id = %s", b_only),
        ("UPDATE complaints SET state = state WHERE case_id = %s", b_only),
        ("UPDATE watchlist_entries SET lifted_at = now() WHERE plate_no = '鲁E99999'", None),
        (
            "UPDATE watchlist_entries SET lifted_at = now() WHERE complaint_id IN "
            "(SELECT id FROM complaints WHERE case_id = %s)",
            b_only,
        ),
        # B's own claim and complaint in a case A shares: A may read them, not change them.
        (
            f"UPDATE claims SET stage = stage WHERE insurer_org_id = {world.b} AND case_id = %s",
            shared,
        ),
        (
            f"UPDATE complaints SET state = state WHERE respondent_org_id = {world.b} "
            "AND case_id = %s",
            shared,
        ),
    ]
    for statement, case_id in updates:
        with as_a.transaction(force_rollback=True):
            changed = as_a.execute(statement, [case_id] if case_id else []).rowcount
        assert changed == 0, statement
    # The same statements reach A's own rows: the zero above is the policy, not a typo.
    with as_a.transaction(force_rollback=True):
        assert as_a.execute(updates[0][0], [a_only]).rowcount == 1
        assert as_a.execute(updates[1][0], [a_only]).rowcount == 1
    for table in [*case_tables(as_a), *DERIVED]:  # an adjuster deletes nothing at all
        with pytest.raises(errors.InsufficientPrivilege), as_a.transaction():
            as_a.execute(f"DELETE FROM {table}")
    for table in ("parties", "letters", "determinations", "evidence"):
        with pytest.raises(errors.InsufficientPrivilege), as_a.transaction():
            as_a.execute(f"UPDATE {table} SET case_id = case_id WHERE case_id = %s", [b_only])


def test_insurer_a_adds_nothing_to_a_case_of_b(
    world: World, as_a: psycopg.Connection[tuple[Any, ...]]
) -> None:
    b_only, shared, a_only = world.cases["b_only"], world.cases["shared"], world.cases["a_only"]
    event = "INSERT INTO case_events (case_id, kind, at, details) VALUES (%s, 'note', now(), '{}')"
    outbox = (
        "INSERT INTO outbox (kind, destination, idempotency_key, payload, case_id, created_at, "
        "state, attempts, next_attempt_at) VALUES ('sms', '1', %s, '{}', %s, now(), 'pending', "
        "0, now())"
    )
    complaint = (
        "INSERT INTO complaints (case_id, respondent_org_id, complainant_name, "
        "complainant_phone, filed_at, filed_by, contact_due_at, pay_due_at, state, reason) "
        "VALUES (%s, %s, 'x', '1', now(), %s, now(), now(), 'open', '')"
    )
    audit = "INSERT INTO audit_log (at, actor_id, action, details) VALUES (now(), %s, 'x', '{}')"
    refused: list[tuple[str, list[Any]]] = [
        (event, [b_only]),
        (outbox, ["k-b", b_only]),
        (complaint, [b_only, world.b, world.adjusters[world.a]]),
        (complaint, [shared, world.b, world.adjusters[world.a]]),  # against B, in a shared case
        (audit, [world.adjusters[world.b]]),  # in B's staff's name
        (
            "INSERT INTO claims (case_id, party_id, insurer_org_id, stage, damaged_parts, "
            "knock_for_knock, version, created_at) SELECT case_id, id, %s, 'notified', '[]', "
            "false, 1, now() FROM parties WHERE case_id = %s",
            [world.a, a_only],
        ),
        ("INSERT INTO parties (case_id, letter, name) VALUES (%s, 'C', 'x')", [b_only]),
    ]
    for statement, values in refused:
        with pytest.raises(errors.InsufficientPrivilege), as_a.transaction():
            as_a.execute(statement, values)
    # Where an adjuster's use cases write, A's own cases take the same rows.
    with as_a.transaction(force_rollback=True):
        as_a.execute(event, [a_only])
        as_a.execute(outbox, ["k-a", a_only])
        as_a.execute(complaint, [shared, world.a, world.adjusters[world.a]])
        as_a.execute(audit, [world.adjusters[world.a]])


def test_the_password_hashes_stay_out_of_reach(as_a: psycopg.Connection[tuple[Any, ...]]) -> None:
    names = as_a.execute("SELECT display_name FROM users").fetchall()
    assert len(names) >= 4, "names are shown on the timeline"
    with pytest.raises(errors.InsufficientPrivilege), as_a.transaction():
        as_a.execute("SELECT password_hash FROM users")
    with pytest.raises(errors.InsufficientPrivilege), as_a.transaction():
        as_a.execute("SELECT count(*) FROM helpers")


def test_the_group_alone_sees_nothing_and_a_cannot_shed_its_company(
    world: World,
    engine: Engine,
    admin: psycopg.Connection[tuple[Any, ...]],
    as_a: psycopg.Connection[tuple[Any, ...]],
) -> None:
    group = admin.execute("SELECT hall_insurer_group()").fetchone()
    assert group is not None
    as_a.execute(f'SET ROLE "{group[0]}"')
    seen = {r[0] for r in as_a.execute("SELECT id FROM cases")}
    assert seen == world.visible, "the login still counts as insurer A"
    as_a.execute("RESET ROLE")
    # A member of the group that no organisation is mapped to: no case at all.
    stray = f"{group[0]}_stray"
    admin.execute(f'CREATE ROLE "{stray}" LOGIN IN ROLE "{group[0]}"')
    try:
        with psycopg.connect(role_url(world.url, stray)) as conn:
            assert conn.execute("SELECT count(*) FROM cases").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM hall_insurer_cases").fetchone() == (0,)
    finally:
        admin.execute(f'DROP ROLE "{stray}"')


def test_temporary_tables_cannot_stand_in_for_the_mapping(
    world: World, as_a: psycopg.Connection[tuple[Any, ...]]
) -> None:
    """The policies' helper runs with the owner's rights: a temporary `organisations` saying
    A's role is B, or a temporary `parties`, must not be what it reads."""
    # ON COMMIT DROP: gone when the test's transaction ends, not when the backend has exited
    # (which happens after the connection closes, racing the fixture's DROP ROLE).
    as_a.execute("CREATE TEMP TABLE organisations (id bigint, db_role name) ON COMMIT DROP")
    as_a.execute("INSERT INTO organisations VALUES (%s, current_user)", [world.b])
    as_a.execute("CREATE TEMP TABLE parties (case_id bigint, insurer_org_id bigint) ON COMMIT DROP")
    as_a.execute("INSERT INTO parties VALUES (%s, %s)", [world.cases["b_only"], world.a])
    assert {r[0] for r in as_a.execute("SELECT id FROM public.cases")} == world.visible
    own = as_a.execute("SELECT hall_viewer_org(current_user)").fetchone()
    assert own == (world.a,)


def test_roles_that_are_not_an_insurers_are_unrestricted(
    world: World, admin: psycopg.Connection[tuple[Any, ...]]
) -> None:
    """A seat role that does not own the tables (as a hall may set up its seats) sees all."""
    seat = f"{make_url(world.url).database}_seat"
    admin.execute(f'CREATE ROLE "{seat}" LOGIN')
    admin.execute(f'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO "{seat}"')
    try:
        with psycopg.connect(role_url(world.url, seat)) as conn:
            for table in case_tables(admin):
                assert _rows_per_case(conn, table) == _rows_per_case(admin, table), table
            for table, (key, _query) in DERIVED.items():
                count = f"SELECT count({key}) FROM {table}"
                assert conn.execute(count).fetchone() == admin.execute(count).fetchone(), table
            with conn.transaction(force_rollback=True):
                done = conn.execute(
                    "UPDATE cases SET notes = 'x' WHERE id = %s", [world.cases["b_only"]]
                )
                assert done.rowcount == 1
    finally:
        admin.execute(f'DROP OWNED BY "{seat}"')
        admin.execute(f'DROP ROLE "{seat}"')


def test_provisioning_again_rotates_the_password_and_downgrade_removes_it_all(
    world: World, engine: Engine, admin: psycopg.Connection[tuple[Any, ...]]
) -> None:
    first = provision_org_role(engine, world.a)
    verifier = "SELECT rolpassword FROM pg_authid WHERE rolname = %s"
    before = admin.execute(verifier, [first.role]).fetchone()
    second = provision_org_role(engine, world.a)
    after = admin.execute(verifier, [first.role]).fetchone()
    assert second.role == first.role and second.password != first.password
    assert before and after and before != after and str(after[0]).startswith("SCRAM-SHA-256$")
    assert first.password not in repr(first)
    with Session(engine) as session:
        mapped = session.scalar(select(Organisation.db_role).where(Organisation.id == world.a))
    assert mapped == first.role
    group = admin.execute("SELECT hall_insurer_group()").fetchone()
    assert group is not None

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005")
    roles = admin.execute(
        "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [first.role, group[0]]
    ).fetchall()
    assert roles == []
    assert admin.execute("SELECT count(*) FROM pg_class WHERE relrowsecurity").fetchone() == (0,)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(db_role) FROM organisations")).scalar() == 0
    upgrade(engine)
    assert unprotected(admin, case_tables(admin)) == []
