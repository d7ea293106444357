"""Intake of the parties' uploads and the review decisions, on SQLite and PostgreSQL: the
upload lands in its case, bad files are refused with a reason and the rest is kept, the
checklist follows the records, approve orders the parties off the road, return sends the
reasons, and a re-upload goes back into the same case and into review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    Attachment,
    Case,
    CaseAttachment,
    OutboxMessage,
    Party,
    RefusedFile,
    Submission,
)
from console.domain.errors import RuleViolation
from console.domain.review import CheckStatus, Judgements, ReturnCode
from console.hall.intake import IncomingParty, IncomingSubmission, intake_submission
from console.hall.review import (
    ReturnItem,
    approve_review,
    checklist_for,
    load_review,
    record_lookups,
    return_review,
)
from tests.hall.conftest import Hall, build_hall
from tests.hall.uploads import (
    OCCURRED,
    answers,
    collecting_case,
    full_set,
    jpeg,
    photo,
    submission,
)

GOOD = Judgements(photos_legible=True, damage_consistent=True)


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as session:
        return str(session.scalar(select(Case.state).where(Case.id == case_id)))


def test_a_complete_upload_lands_in_its_case_and_a_clean_case_is_approved(hall: Hall) -> None:
    case_id, case_no = collecting_case(hall)
    result = intake_submission(hall.session_factory, submission("s-1", full_set(), case_no=case_no))
    assert (result.case_id, result.matched_by, result.accepted, result.refused) == (
        case_id,
        "case_no",
        7,
        0,
    )
    assert state(hall, case_id) == "under_review"
    with hall.session_factory() as session:
        insurers = dict(
            session.execute(
                select(Party.letter, Party.insurer_org_id).where(Party.case_id == case_id)
            ).all()
        )
    assert insurers == {"A": hall.insurer_id, "B": None}, "the named insurer is the hall's PICC"
    # Records not yet checked: the documents are open items, approval is refused.
    with pytest.raises(RuleViolation) as refused:
        approve_review(
            hall.session_factory, hall["review"], case_id, expected_version=None, judgements=GOOD
        )
    assert refused.value.code == "review.not_clean"
    record_lookups(hall.session_factory, case_id, answers("A") + answers("B"))
    checklist = checklist_for(hall.session_factory, case_id, GOOD)
    assert checklist.clean, [i.key for i in checklist.items if i.status is not CheckStatus.PASS]
    detail = load_review(hall.session_factory, case_id)
    assert {v.outcome for v in detail.lookups} == {"pass"} and len(detail.lookups) == 6
    approve_review(
        hall.session_factory, hall["review"], case_id, expected_version=None, judgements=GOOD
    )
    assert state(hall, case_id) == "evacuated"
    with hall.session_factory() as session:
        kinds = sorted(
            session.scalars(select(OutboxMessage.kind).where(OutboxMessage.case_id == case_id))
        )
        sms = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.case_id == case_id, OutboxMessage.kind == "sms"
            )
        ).one()
        assert sms.payload["template"] == "evacuate"
        assert set(sms.payload["to"]) == {"13905461111", "13905462222"}
        assert (
            session.scalar(select(Submission.state).where(Submission.external_id == "s-1"))
            == "approved"
        )
    assert kinds == ["sms", "submission_review"]


def test_bad_files_are_refused_with_reasons_and_the_rest_is_kept(hall: Hall) -> None:
    case_id, case_no = collecting_case(hall)
    photos = full_set()
    good = jpeg(99)
    photos[0] = photo("p0", "scene_front_side", None, good[: len(good) // 2])  # truncated
    photos[2] = photo("p2", "collision_point", None, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    photos[3] = photo("p3", "driving_licence", "A", good + b"\0" * (9 * 1024 * 1024))  # over 8 MiB
    del photos[6]  # B's registration never uploaded
    result = intake_submission(hall.session_factory, submission("s-2", photos, case_no=case_no))
    assert (result.accepted, result.refused) == (3, 3)
    with hall.session_factory() as session:
        reasons = dict(session.execute(select(RefusedFile.kind, RefusedFile.reason)).all())
        assert session.scalar(select(func.count()).select_from(CaseAttachment)) == 3
    assert reasons == {
        "scene_front_side": "corrupt",
        "collision_point": "wrong_type",
        "driving_licence": "too_large",
    }
    checklist = checklist_for(hall.session_factory, case_id, GOOD)
    failed = {i.key: i.reason for i in checklist.failures}
    assert failed["photo:scene_front_side"] is ReturnCode.PHOTO_ILLEGIBLE
    assert failed["photo:collision_point"] is ReturnCode.PHOTO_MISSING
    assert failed["photo:driving_licence:A"] is ReturnCode.PHOTO_MISSING
    assert failed["photo:vehicle_registration:B"] is ReturnCode.PHOTO_MISSING
    assert all(i.reason is not None for i in checklist.return_reasons)


def test_an_expired_licence_and_no_insurance_fail_their_checks_and_the_case_is_returned(
    hall: Hall,
) -> None:
    case_id, case_no = collecting_case(hall)
    intake_submission(hall.session_factory, submission("s-3", full_set(), case_no=case_no))
    record_lookups(
        hall.session_factory,
        case_id,
        answers("A", licence_until=OCCURRED.date() - timedelta(days=3))
        + answers("B", insured=False),
    )
    checklist = checklist_for(hall.session_factory, case_id, GOOD)
    reasons = {(i.party_letter, i.reason) for i in checklist.failures}
    assert (("A", ReturnCode.LICENCE_INVALID)) in reasons
    assert (("B", ReturnCode.COMPULSORY_INSURANCE_INVALID)) in reasons
    outcomes = {
        (v.party_letter, v.check): v.outcome
        for v in load_review(hall.session_factory, case_id).lookups
    }
    assert outcomes[("A", "licence")] == "fail" and outcomes[("B", "insurance")] == "fail"
    assert outcomes[("A", "insurance")] == "pass"
    return_review(
        hall.session_factory,
        hall["review"],
        case_id,
        expected_version=None,
        reasons=[
            ReturnItem(ReturnCode.LICENCE_INVALID, "A"),
            ReturnItem(ReturnCode.COMPULSORY_INSURANCE_INVALID, "B"),
        ],
    )
    assert state(hall, case_id) == "returned"
    with hall.session_factory() as session:
        sms = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.case_id == case_id, OutboxMessage.kind == "sms"
            )
        ).one()
        note = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "submission_review")
        ).one()
    assert sms.payload["template"] == "returned" and "A方驾驶证" in sms.payload["params"]["reasons"]
    assert [r["code"] for r in note.payload["reasons"]] == [
        "licence_invalid",
        "compulsory_insurance_invalid",
    ]


def test_a_re_upload_after_a_return_goes_back_into_the_same_case_and_review(hall: Hall) -> None:
    case_id, case_no = collecting_case(hall)
    photos = full_set()
    intake_submission(hall.session_factory, submission("s-4", photos[:-1], case_no=case_no))
    return_review(
        hall.session_factory,
        hall["review"],
        case_id,
        expected_version=None,
        reasons=[ReturnItem(ReturnCode.PHOTO_MISSING, "B", "vehicle_registration")],
    )
    # The app re-submits the same submission with the missing photo; no case number this time.
    again = intake_submission(hall.session_factory, submission("s-4", photos))
    assert (again.case_id, again.accepted, again.duplicate_photos, again.round) == (
        case_id,
        1,
        6,
        2,
    )
    assert state(hall, case_id) == "under_review"
    with hall.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 7


def test_an_upload_without_case_number_is_matched_by_phone_or_opens_a_case(hall: Hall) -> None:
    case_id, _ = collecting_case(hall)
    by_phone = intake_submission(hall.session_factory, submission("s-5", full_set("q")))
    assert (by_phone.case_id, by_phone.matched_by) == (case_id, "phone")
    stranger = IncomingSubmission(
        external_id="s-6",
        channel="wechat",
        submitted_at=datetime.now(UTC),
        occurred_at=OCCURRED,
        parties=(
            IncomingParty("A", "王五", "13800001111"),
            IncomingParty("B", "赵六", "13800002222"),
        ),
        photos=full_set("r"),
        place_text="垦利区胜兴路",
    )
    fresh = intake_submission(hall.session_factory, stranger)
    assert (
        fresh.new_case and fresh.case_id != case_id and state(hall, fresh.case_id) == "under_review"
    )
