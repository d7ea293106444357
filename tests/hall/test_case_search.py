"""The lookup search and its companions (issue 9) on SQLite and PostgreSQL: every kind of
search finds its case and only matching ones, combinations AND, results are masked by
position, an adjuster finds only its company's cases, a reprint is byte-identical and audited,
unmasking is audited and refused where the position may not, the case file exports."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    Attachment,
    AuditLogEntry,
    CaseAttachment,
    Determination,
    Letter,
    Party,
)
from console.domain.case_search import parse_search
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall import case_search
from console.hall.case_search import (
    AUDIT_EXPORT,
    AUDIT_REPRINT,
    AUDIT_UNMASK,
    case_history,
    export_case_file,
    reprint_letter,
    search_cases,
    unmask_party,
)
from console.hall.errors import NotFound, PermissionDenied
from tests.hall.conftest import Hall, build_hall, bulk_cases
from tests.hall.test_claims import second_insurer

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n% a stored letter, never rendered again\n%%EOF\n"


class World:
    def __init__(self, hall: Hall, other_insurer: int) -> None:
        self.hall = hall
        self.other_insurer = other_insurer
        self.ids: dict[str, int] = {}
        self.letters: dict[str, int] = {}
        self.parties: dict[str, int] = {}


def _case(
    world: World,
    key: str,
    *,
    start: int,
    occurred: datetime,
    district: str,
    state: CaseState,
    parties: list[dict[str, object]],
    letter: tuple[str, str] | None,
    pdf: bytes = PDF,
) -> None:
    hall = world.hall
    (case_id,) = bulk_cases(hall.session_factory, 1, state, start=start)
    world.ids[key] = case_id
    with hall.session_factory() as session, session.begin():
        from console.db.models import Case

        case = session.get(Case, case_id)
        assert case is not None
        case.case_no = f"KC{occurred:%Y%m%d}{case_id:06d}"
        case.occurred_at = occurred
        case.district = district
        for party in parties:
            row = Party(case_id=case_id, **party)
            session.add(row)
            session.flush()
            world.parties[f"{key}{party['letter']}"] = row.id
        if letter is not None:
            digest = hashlib.sha256(pdf).hexdigest()
            if session.get(Attachment, digest) is None:
                session.add(
                    Attachment(
                        sha256=digest,
                        size=len(pdf),
                        mime="application/pdf",
                        content=pdf,
                        created_at=occurred,
                    )
                )
            photo = key.encode() * 50
            photo_sha = hashlib.sha256(photo).hexdigest()
            session.add(
                Attachment(
                    sha256=photo_sha,
                    size=len(photo),
                    mime="image/jpeg",
                    content=photo,
                    created_at=occurred,
                )
            )
            session.flush()
            session.add(
                CaseAttachment(
                    case_id=case_id,
                    sha256=photo_sha,
                    kind="collision_point",
                    uploaded_at=occurred,
                    source="app",
                )
            )
            determination = Determination(
                case_id=case_id,
                officer_id=hall["officer"].user_id,
                situation_code="REAR_END",
                accident_form="113",
                narrative="追尾",
                determined_at=occurred,
            )
            session.add(determination)
            session.flush()
            doc_no, code = letter
            row_l = Letter(
                case_id=case_id,
                determination_id=determination.id,
                unit_org_id=hall.police_id,
                year=2026,
                serial=int(doc_no[-7:-1]),
                doc_no=doc_no,
                version=1,
                verification_code=code,
                pdf_sha256=digest,
                issued_at=occurred,
            )
            session.add(row_l)
            session.flush()
            world.letters[key] = row_l.id


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    hall = build_hall(session_factory)
    other, _ = second_insurer(hall)
    w = World(hall, other)
    _case(
        w,
        "one",
        start=1,
        occurred=BASE,
        district="东营区",
        state=CaseState.DETERMINED,
        parties=[
            {
                "letter": "A",
                "name": "刘一",
                "phone": "13905461111",
                "id_number": "370502199001011234",
                "plate_no": "鲁E3K821",
                "insurer_org_id": hall.insurer_id,
            },
            {
                "letter": "B",
                "name": "陈二",
                "phone": "13905462222",
                "licence_number": "370502198505055678",
                "plate_no": "鲁EF12345",
                "insurer_org_id": other,
            },
        ],
        letter=("东公交认字〔2026〕第000001号", "7KQ2M9PX3HAB"),
    )
    _case(
        w,
        "two",
        start=2,
        occurred=BASE + timedelta(days=2),
        district="垦利区",
        state=CaseState.CLOSED,
        parties=[
            {
                "letter": "A",
                "name": "刘一鸣",
                "phone": "13905463333",
                "plate_no": "鲁E3K829",
                "insurer_org_id": other,
            },
            {
                "letter": "B",
                "name": "王五",
                "phone": "13905464444",
                "plate_no": "鲁A55555",
                "insurer_org_id": other,
            },
        ],
        letter=("东公交认字〔2026〕第000002号", "ZZZZ9PX3HABC"),
        pdf=PDF + b"2",
    )
    _case(
        w,
        "three",
        start=3,
        occurred=BASE + timedelta(days=5),
        district="东营区",
        state=CaseState.UNDER_REVIEW,
        parties=[
            {
                "letter": "A",
                "name": "赵六",
                "phone": "13905465555",
                "plate_no": "鲁E77777",
                "insurer_org_id": hall.insurer_id,
            }
        ],
        letter=None,
    )
    return w


def found(world: World, text: str, who: str = "lookup", **filters: object) -> list[str]:
    criteria = parse_search(text, **filters)  # type: ignore[arg-type]
    rows = search_cases(world.hall.session_factory, world.hall[who], criteria)
    names = {v: k for k, v in world.ids.items()}
    return [names[r.case_id] for r in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KC20261120", ["one"]),  # case number prefix
        ("东公交认字[2026]第2号", ["two"]),  # letter number, typed loosely
        ("东公交认字〔2026〕第0000", ["two", "one"]),  # its start: newest first
        ("7KQ2M9PX3HAB", ["one"]),  # verification code
        ("7kq2", ["one"]),  # its start, lower case
        ("鲁E3K82", ["two", "one"]),  # plate prefix
        ("鲁E3K821", ["one"]),
        ("鲁EF12345", ["one"]),
        ("13905464444", ["two"]),  # phone, exact
        ("1390546444", []),  # never a part of one
        ("370502199001011234", ["one"]),  # ID number
        ("370502198505055678", ["one"]),  # a licence number is an ID number
        ("刘一", ["two", "one"]),  # name prefix
        ("刘一鸣", ["two"]),
        ("张三", []),
        ("鲁E3K82 王五", ["two"]),  # AND across parties of one case
        ("鲁E3K821 王五", []),
    ],
)
def test_each_kind_finds_its_case_and_only_matching_ones(
    world: World, text: str, expected: list[str]
) -> None:
    assert found(world, text) == expected


def test_filters_combine_with_text(world: World) -> None:
    assert found(world, "", district="东营区") == ["three", "one"]
    assert found(world, "", states=[CaseState.CLOSED]) == ["two"]
    assert found(
        world, "", occurred_from=BASE + timedelta(days=1), occurred_to=BASE + timedelta(days=3)
    ) == ["two"]
    assert found(world, "刘一", district="东营区") == ["one"]
    assert found(world, "刘一", states=[CaseState.UNDER_REVIEW]) == []
    assert found(world, "") == []  # empty criteria find nothing, not the whole hall


@pytest.mark.parametrize("cap", [0, 1, 5000])
def test_text_with_filters_gives_the_same_cases_however_many_the_text_matches(
    world: World, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few party matches are fetched first and looked up by key; many fall back to the one
    query (cap 0 and 1 force the fallback for 刘一's two cases)."""
    monkeypatch.setattr(case_search, "CANDIDATE_CAP", cap)
    assert found(world, "刘一", district="东营区") == ["one"]
    assert found(world, "刘一", district="垦利区") == ["two"]
    assert found(world, "鲁E3K82 王五", states=[CaseState.CLOSED]) == ["two"]
    assert found(world, "鲁E3K82 王五", states=[CaseState.UNDER_REVIEW]) == []


def test_results_are_masked_by_position(world: World) -> None:
    criteria = parse_search("鲁E3K821")
    sf = world.hall.session_factory
    (seen,) = search_cases(sf, world.hall["lookup"], criteria)
    a, b = seen.parties
    assert (a.phone, a.id_number, a.masked) == ("*******1111", "370502********1234", True)
    assert b.licence_number == "370502********5678" and a.name == "刘一"
    (officer,) = search_cases(sf, world.hall["officer"], criteria)
    assert officer.parties[0].phone == "13905461111" and not officer.parties[0].masked
    (adjuster,) = search_cases(sf, world.hall["claims"], criteria)
    own, other = adjuster.parties
    assert own.phone == "13905461111" and not own.masked  # its own insured
    assert other.phone == "*******2222" and other.masked
    (patrol,) = search_cases(sf, world.hall["patrol"], criteria)
    assert all(p.masked for p in patrol.parties)


def test_an_adjuster_finds_only_its_companys_cases(world: World) -> None:
    # Case two has only the other company's insured.
    assert found(world, "刘一", who="claims") == ["one"]
    assert found(world, "13905464444", who="claims") == []
    with pytest.raises(NotFound):
        case_history(world.hall.session_factory, world.hall["claims"], world.ids["two"])
    with pytest.raises(NotFound):
        reprint_letter(world.hall.session_factory, world.hall["claims"], world.letters["two"])


def _audit(world: World, action: str) -> list[AuditLogEntry]:
    with world.hall.session_factory() as session:
        return list(session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)))


def test_a_reprint_is_byte_identical_and_audited(world: World) -> None:
    sf = world.hall.session_factory
    pdf = reprint_letter(sf, world.hall["lookup"], world.letters["one"])
    assert pdf == PDF
    again = reprint_letter(sf, world.hall["claims"], world.letters["one"])
    assert again == pdf
    entries = _audit(world, AUDIT_REPRINT)
    assert [(e.actor_id, e.target) for e in entries] == [
        (world.hall["lookup"].user_id, f"case/{world.ids['one']}"),
        (world.hall["claims"].user_id, f"case/{world.ids['one']}"),
    ]
    assert entries[0].details["sha256"] == hashlib.sha256(PDF).hexdigest()
    with pytest.raises(PermissionDenied):
        reprint_letter(sf, world.hall["patrol"], world.letters["one"])
    history = case_history(sf, world.hall["lookup"], world.ids["one"])
    assert [a.action for a in history.audit] == [AUDIT_REPRINT, AUDIT_REPRINT]


def test_unmasking_is_audited_with_its_reason_and_refused_where_not_allowed(
    world: World,
) -> None:
    sf = world.hall.session_factory
    party = world.parties["oneB"]
    with pytest.raises(RuleViolation):
        unmask_party(sf, world.hall["lookup"], party, "  ")
    shown = unmask_party(sf, world.hall["lookup"], party, "complainant asks about the case")
    assert shown.phone == "13905462222" and shown.licence_number == "370502198505055678"
    (entry,) = _audit(world, AUDIT_UNMASK)
    assert entry.details == {
        "party_id": party,
        "letter": "B",
        "reason": "complainant asks about the case",
    }
    for who in ("patrol", "claims"):  # claims: B is another company's insured
        with pytest.raises(PermissionDenied):
            unmask_party(sf, world.hall[who], party, "curious")
    assert len(_audit(world, AUDIT_UNMASK)) == 1
    own = unmask_party(sf, world.hall["claims"], world.parties["oneA"], "call our insured")
    assert own.phone == "13905461111"


def test_the_history_lists_everything_with_who_and_masks(world: World) -> None:
    history = case_history(world.hall.session_factory, world.hall["lookup"], world.ids["one"])
    assert [le.doc_no for le in history.letters] == ["东公交认字〔2026〕第000001号"]
    assert len(history.attachments) == 1 and history.attachments[0].kind == "collision_point"
    assert all(p.masked for p in history.parties)


def test_the_case_file_exports_with_the_evidence_hashes_and_is_audited(
    world: World, qapp: object
) -> None:
    from console.reports.case_file import render_case_file_pdf

    sf = world.hall.session_factory
    pdf = export_case_file(sf, world.hall["lookup"], world.ids["one"], render=render_case_file_pdf)
    assert pdf.startswith(b"%PDF")
    history = case_history(sf, world.hall["officer"], world.ids["one"])
    photo_sha = history.attachments[0].sha256
    captured: list[object] = []

    def keep(content: object) -> bytes:
        captured.append(content)
        return render_case_file_pdf(content)  # type: ignore[arg-type]

    export_case_file(sf, world.hall["lookup"], world.ids["one"], render=keep)
    from console.reports.case_file import case_file_html

    html = case_file_html(captured[0])  # type: ignore[arg-type]
    assert photo_sha in html and hashlib.sha256(PDF).hexdigest() in html
    assert "13905461111" not in html  # masked for the lookup seat
    assert len(_audit(world, AUDIT_EXPORT)) == 2
    with pytest.raises(PermissionDenied):
        export_case_file(sf, world.hall["patrol"], world.ids["one"], render=keep)
