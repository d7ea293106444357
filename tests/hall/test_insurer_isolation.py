"""Insurer isolation through the use cases (issue 8, docs/isolation.md): insurer A's adjuster
sees and changes only cases in which a party is insured by A, and sees the other companies'
parties' personal numbers masked.

Each test runs three ways: on SQLite and on PostgreSQL with the hall's own connection (the use
cases alone keep A to its cases), and on PostgreSQL connected as A's own database role, as a
claims seat is in a real hall (the use cases and row-level security together; this also shows
the role may do everything an adjuster's use cases write).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, make_url, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import make_engine, make_session_factory
from console.db.models import (
    Attachment,
    Camera,
    Case,
    CaseAttachment,
    Evidence,
    Letter,
    Party,
    WatchlistEntry,
)
from console.db.org_roles import drop_org_role, provision_org_role
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor
from console.hall.assignment import claim_case, claim_next, release_case
from console.hall.cases import move_case
from console.hall.claims import claims_of_company, record_assessment, record_payout, take_claim
from console.hall.complaints import (
    file_complaint,
    list_complaints,
    overdue_complaints,
    record_payment,
    sanction_overdue,
)
from console.hall.determination import current_letter, document_bytes, letter_by_code, letter_pdf
from console.hall.errors import NotFound
from console.hall.evidence import evidence_content, list_evidence
from console.hall.queries import load_case_detail, load_queue, load_rows
from console.hall.review import load_photos, load_review
from tests.hall.conftest import Hall, build_hall, bulk_cases
from tests.hall.test_claims import claim_of, second_insurer
from tests.hall.test_determination import decide, waiting_case

pytestmark = pytest.mark.parametrize(
    ("db_url", "connection"),
    [
        pytest.param("sqlite", "hall", id="sqlite-hall"),
        pytest.param("postgresql", "hall", id="postgresql-hall"),
        pytest.param("postgresql", "role", id="postgresql-company-role"),
    ],
    indirect=["db_url"],
)

PHONE_A, PHONE_B = "13905461111", "13905462222"  # waiting_case's parties A and B
IDS = {"A": "370502199001011111", "B": "370502199001012222"}


@dataclass
class World:
    hall: Hall
    a: int  # PICC, the hall's insurer: the adjuster under test
    b: int  # CPIC
    adjuster_b: Actor
    cases: dict[str, int]  # b_only, a_only, shared
    blobs: dict[str, str]  # case key -> a photo's SHA-256
    evidence: dict[str, int]
    seat: sessionmaker[Session]  # what A's claims seat works through

    @property
    def adjuster(self) -> Actor:
        return self.hall["claims"]


def _determined(hall: Hall, start: int, a: int | None, b: int | None) -> int:
    """A determined case whose parties A and B are insured by `a` and `b`: the determination
    opens a claim with each insurer."""
    case_id = waiting_case(hall, start=start)
    with hall.session_factory() as session, session.begin():
        for letter, org in (("A", a), ("B", b)):
            session.execute(
                update(Party)
                .where(Party.case_id == case_id, Party.letter == letter)
                .values(insurer_org_id=org, id_number=IDS[letter], plate_type="02")
            )
    claim_case(hall.session_factory, hall["officer"], case_id)
    decide(hall, case_id)
    return case_id


def _extras(hall: Hall, case_id: int, n: int, officer: int) -> tuple[str, int]:
    """A party's photo and a clip of the case, as the parties' upload and the patrol leave them."""
    with hall.session_factory() as session, session.begin():
        photo = Attachment(
            sha256=f"{n:064x}", size=3, mime="image/jpeg", content=b"jp" + bytes([n])
        )
        clip = Attachment(sha256=f"{n + 100:064x}", size=2, mime="video/mp4", content=bytes([n, 1]))
        session.add_all([photo, clip])
        if session.get(Camera, "CAM1") is None:
            session.add(
                Camera(
                    id="CAM1", name="府前大街", district="东营区", road="府前大街", direction="东",
                    lat=37.4, lon=118.5, group_path="东营区/府前大街/1", main_url="rtsp://cam/1",
                )
            )  # fmt: skip
        session.flush()
        session.add(
            CaseAttachment(case_id=case_id, sha256=photo.sha256, kind="damage", source="app")
        )
        at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        evidence = Evidence(
            case_id=case_id, camera_id="CAM1", kind="clip", start_at=at, end_at=at,
            sha256=clip.sha256, taken_by=officer,
        )  # fmt: skip
        session.add(evidence)
        session.flush()
        return photo.sha256, evidence.id


@pytest.fixture
def world(
    connection: str, session_factory: sessionmaker[Session], engine: Engine, db_url: str
) -> Iterator[World]:
    hall = build_hall(session_factory)
    b, adjuster_b = second_insurer(hall)
    cases = {
        "b_only": _determined(hall, 1, b, None),
        "a_only": _determined(hall, 2, hall.insurer_id, None),
        "shared": _determined(hall, 3, hall.insurer_id, b),
    }
    blobs, evidence = {}, {}
    for n, (key, case_id) in enumerate(cases.items(), start=1):
        blobs[key], evidence[key] = _extras(hall, case_id, n, hall["officer"].user_id)
    if connection == "hall":
        yield World(hall, hall.insurer_id, b, adjuster_b, cases, blobs, evidence, session_factory)
        return
    made = provision_org_role(engine, hall.insurer_id)
    role_engine = make_engine(make_url(db_url).set(username=made.role), password=made.password)
    try:
        seat = make_session_factory(role_engine)
        yield World(hall, hall.insurer_id, b, adjuster_b, cases, blobs, evidence, seat)
    finally:
        role_engine.dispose()
        drop_org_role(engine, hall.insurer_id)


def _not_found(code: str, call: object, *args: object, **kwargs: object) -> None:
    with pytest.raises(NotFound) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    assert refused.value.code == code


def _letter(world: World, key: str) -> Letter:
    with world.hall.session_factory() as session:
        return session.scalars(select(Letter).where(Letter.case_id == world.cases[key])).one()


# ---------------------------------------------------------------- reading


def test_the_queue_holds_only_the_companys_cases(world: World, connection: str) -> None:
    own = {world.cases["a_only"], world.cases["shared"]}
    rows = load_queue(world.seat, insurer_org_id=world.a)
    assert {r.case_id for r in rows} == own
    refreshed = load_rows(world.seat, world.cases.values(), insurer_org_id=world.a)
    assert {r.case_id for r in refreshed} == own
    if connection == "role":
        # A view that forgot the filter still gets nothing else: row-level security.
        assert {r.case_id for r in load_queue(world.seat)} == own


def test_the_queue_masks_the_other_companys_phones(world: World) -> None:
    rows = {r.case_id: r for r in load_queue(world.seat, insurer_org_id=world.a)}
    shared = rows[world.cases["shared"]]
    assert shared.party_phones == (PHONE_A, "*******2222")
    assert PHONE_B not in shared.search_text
    uninsured = rows[world.cases["a_only"]]  # party B has no insurer: not A's insured either
    assert uninsured.party_phones == (PHONE_A, "*******2222")
    police = {r.case_id: r for r in load_queue(world.hall.session_factory)}
    assert police[world.cases["shared"]].party_phones == (PHONE_A, PHONE_B)


def test_case_detail_refuses_another_companys_case_and_masks_the_other_party(
    world: World,
) -> None:
    _not_found(
        "case.not_found",
        load_case_detail,
        world.seat,
        world.cases["b_only"],
        insurer_org_id=world.a,
    )
    detail = load_case_detail(world.seat, world.cases["shared"], insurer_org_id=world.a)
    a, b = detail.parties
    assert (a.masked, a.phone, a.id_number) == (False, PHONE_A, IDS["A"])
    assert (b.masked, b.phone, b.id_number) == (True, "*******2222", "370502********2222")
    assert b.name == "陈二" and b.plate_no == "鲁EF12345", "whom to pay stays readable"
    assert detail.timeline, "the history is there"
    police = load_case_detail(world.hall.session_factory, world.cases["shared"])
    assert [p.phone for p in police.parties] == [PHONE_A, PHONE_B]
    assert not any(p.masked for p in police.parties)


def test_letters_photos_and_footage_of_another_companys_case_are_refused(world: World) -> None:
    seat, a = world.seat, world.a
    theirs, mine = _letter(world, "b_only"), _letter(world, "a_only")
    _not_found("letter.not_found", letter_pdf, seat, theirs.id, insurer_org_id=a)
    assert letter_pdf(seat, mine.id, insurer_org_id=a).startswith(b"%PDF")
    _not_found("case.not_found", current_letter, seat, world.cases["b_only"], insurer_org_id=a)
    own = current_letter(seat, world.cases["a_only"], insurer_org_id=a)
    assert own is not None and own.letter_id == mine.id
    _not_found(
        "letter.code_unknown", letter_by_code, seat, theirs.verification_code, insurer_org_id=a
    )
    _not_found("document.not_found", document_bytes, seat, theirs.pdf_sha256, insurer_org_id=a)
    assert load_photos(seat, [world.blobs["b_only"]], insurer_org_id=a) == {}
    photos = load_photos(seat, list(world.blobs.values()), insurer_org_id=a)
    assert set(photos) == {world.blobs["a_only"], world.blobs["shared"]}
    _not_found("case.not_found", list_evidence, seat, world.cases["b_only"], insurer_org_id=a)
    assert len(list_evidence(seat, world.cases["shared"], insurer_org_id=a)) == 1
    _not_found(
        "evidence.not_found", evidence_content, seat, world.evidence["b_only"], insurer_org_id=a
    )
    assert evidence_content(seat, world.evidence["a_only"], insurer_org_id=a).content
    _not_found("case.not_found", load_review, seat, world.cases["b_only"], insurer_org_id=a)
    review = load_review(seat, world.cases["shared"], insurer_org_id=a)
    assert [p.phone for p in review.parties] == [PHONE_A, "*******2222"]


# ---------------------------------------------------------------- acting


def test_claims_an_adjuster_sees_takes_and_pays_are_its_companys_only(world: World) -> None:
    seat, adjuster = world.seat, world.adjuster
    rows = claims_of_company(seat, world.a)
    assert {(r.case_id, r.party_letter) for r in rows} == {
        (world.cases["a_only"], "A"),
        (world.cases["shared"], "A"),
    }
    theirs = claim_of(world.hall, world.cases["b_only"], "A")
    _not_found("claim.no_such_claim", take_claim, seat, adjuster, theirs)
    shared_b = claim_of(world.hall, world.cases["shared"], "B")
    _not_found("claim.no_such_claim", take_claim, seat, adjuster, shared_b)
    # Its own claims go the whole way, through the company's role where there is one.
    for key, settles in (("a_only", True), ("shared", False)):
        taken = take_claim(seat, adjuster, claim_of(world.hall, world.cases[key], "A"))
        assessed = record_assessment(
            seat, adjuster, taken.claim_id, expected_version=taken.version,
            damaged_parts=["后保险杠"], amount=Decimal("1800.00"), repair_shop="宏达汽修",
            knock_for_knock=False,
        )  # fmt: skip
        paid = record_payout(
            seat, adjuster, assessed.claim_id, expected_version=assessed.version,
            amount=Decimal("1800.00"), paid_at=datetime.now(UTC) - timedelta(minutes=1),
        )  # fmt: skip
        expected = CaseState.SETTLED if settles else CaseState.CLAIMS_OPEN
        assert paid.case_state is expected, "B's unpaid claim keeps the shared case open"


def test_cases_of_another_company_cannot_be_claimed_moved_or_released(world: World) -> None:
    seat, adjuster = world.seat, world.adjuster
    b_only = world.cases["b_only"]
    _not_found("case.not_found", claim_case, seat, adjuster, b_only)
    _not_found("case.not_found", release_case, seat, adjuster, b_only)
    _not_found(
        "case.not_found", move_case, seat, adjuster, b_only, CaseState.CLAIMS_OPEN,
        expected_version=None,
    )  # fmt: skip
    # "Take next" draws from the company's cases only, oldest first.
    theirs, mine = bulk_cases(world.hall.session_factory, 2, CaseState.INSURERS_NOTIFIED, start=90)
    with world.hall.session_factory() as session, session.begin():
        session.add_all(
            [
                Party(case_id=theirs, letter="A", name="王五", insurer_org_id=world.b),
                Party(case_id=mine, letter="A", name="赵六", insurer_org_id=world.a),
            ]
        )
    taken = claim_next(seat, adjuster)
    assert taken is not None and taken.case_id == mine
    assert claim_next(seat, adjuster) is None, "the older case is B's: not offered"
    released = release_case(seat, adjuster, mine)
    assert released.assignee_id is None
    with world.hall.session_factory() as session:
        assert session.get(Case, theirs).assignee_id is None  # type: ignore[union-attr]


def test_complaints_an_adjuster_sees_files_and_pays_are_its_companys_only(
    world: World,
) -> None:
    seat, adjuster, hall = world.seat, world.adjuster, world.hall
    filed_at = datetime.now(UTC) - timedelta(days=30)
    theirs = file_complaint(
        hall.session_factory, hall["lookup"], world.cases["b_only"], party_letter="A",
        insurer_org_id=world.b, reason="未赔付", now=filed_at,
    )  # fmt: skip
    _not_found(
        "case.not_found", file_complaint, seat, adjuster, world.cases["b_only"],
        party_letter="A", insurer_org_id=world.a, reason="x",
    )  # fmt: skip
    mine = file_complaint(
        seat, adjuster, world.cases["shared"], party_letter="A", insurer_org_id=world.a,
        reason="本公司自查：定损后未赔付", now=filed_at,
    )  # fmt: skip
    assert [r.id for r in list_complaints(seat, insurer_org_id=world.a)] == [mine.complaint_id]
    now = datetime.now(UTC)
    alarms = overdue_complaints(seat, now, insurer_org_id=world.a)
    assert [r.id for r in alarms] == [mine.complaint_id]
    _not_found(
        "complaint.not_found", record_payment, seat, adjuster, theirs.complaint_id,
        Decimal(100), now,
    )  # fmt: skip
    # The hall sanctions both; A's own payment lifts only its watch-list entry.
    assert len(sanction_overdue(hall.session_factory, None, now).sanctioned) == 2
    paid = record_payment(seat, adjuster, mine.complaint_id, Decimal(1800), now)
    assert len(paid.lifted_entry_ids) == 1
    with hall.session_factory() as session:
        query = select(WatchlistEntry.complaint_id, WatchlistEntry.lifted_at)
        lifted = dict(session.execute(query).all())
    assert lifted[mine.complaint_id] is not None and lifted[theirs.complaint_id] is None
