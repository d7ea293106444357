"""Citizen helpers on both databases: registering, linking to cases (idempotent), the monthly
ledger from the determinations (hall-time month boundaries while the database holds UTC),
closing a month exactly once, and the payment sheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    AuditLogEntry,
    Case,
    CaseEvent,
    CaseHelper,
    Determination,
    Helper,
    HelperReward,
)
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.validation import id_check_digit
from console.hall import helpers
from console.hall.errors import NotFound, PermissionDenied
from tests.hall.conftest import Hall, build_hall, bulk_cases

MID_JAN = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)  # 10:00 in the hall
LAST_MINUTE_OF_JAN = datetime(2026, 1, 31, 15, 59, tzinfo=UTC)  # 23:59 on 31 Jan, hall time
FIRST_MINUTE_OF_FEB = datetime(2026, 1, 31, 16, 0, tzinfo=UTC)  # 00:00 on 1 Feb, hall time
CLOSING_TIME = datetime(2026, 2, 2, 1, 0, tzinfo=UTC)


def id_number(serial: int) -> str:
    first17 = f"37050219800101{serial:03d}"
    return first17 + id_check_digit(first17)


def wrong_check_digit(serial: int) -> str:
    good = id_number(serial)
    return good[:17] + ("1" if good[17] == "0" else "0")


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


def register(hall: Hall, n: int, name: str = "刘热心") -> int:
    return helpers.register_helper(
        hall.session_factory,
        hall["lookup"],
        name=f"{name}{n}",
        phone=f"1380546{n:04d}",
        id_number=id_number(n),
        now=MID_JAN,
    ).helper.id


def determined(
    hall: Hall,
    n: int,
    at: datetime,
    *,
    start: int,
    state: CaseState = CaseState.DETERMINED,
) -> list[str]:
    """n cases in `state`, each with a determination at `at` (+ i seconds); their numbers."""
    ids = bulk_cases(hall.session_factory, n, state, start=start)
    with hall.session_factory() as session, session.begin():
        session.execute(
            insert(Determination),
            [
                {
                    "case_id": case_id,
                    "officer_id": hall["officer"].user_id,
                    "situation_code": "S01",
                    "accident_form": "113",
                    "narrative": "追尾",
                    "determined_at": at + timedelta(seconds=i),
                }
                for i, case_id in enumerate(ids)
            ],
        )
        return list(session.scalars(select(Case.case_no).where(Case.id.in_(ids))))


def link_all(hall: Hall, helper_id: int, case_nos: list[str]) -> None:
    for case_no in case_nos:
        helpers.link_helper_to_case(hall.session_factory, hall["lookup"], helper_id, case_no)


def count(hall: Hall, model: Any, *where: Any) -> int:
    with hall.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# ---------------------------------------------------------------- registering


def test_register_helper_validates_audits_and_lists(hall: Hall) -> None:
    registered = helpers.register_helper(
        hall.session_factory,
        hall["supervisor"],
        name=" 刘 热心 ",
        phone="+86 138 0546 1234",
        id_number=id_number(1).lower(),
        now=MID_JAN,
    )
    row = registered.helper
    assert (row.name, row.phone, row.id_number) == ("刘 热心", "13805461234", id_number(1))
    assert row.registered_at == MID_JAN
    assert helpers.list_helpers(hall.session_factory, hall["lookup"]) == [row]
    with hall.session_factory() as session:
        audit = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action == "helper_registered")
        ).one()
    assert audit.target == f"helper:{row.id}"
    assert audit.actor_id == hall["supervisor"].user_id
    assert audit.details == {"name": "刘 热心", "phone_last4": "1234"}


def test_register_refuses_bad_details_and_a_taken_phone(hall: Hall) -> None:
    register(hall, 1)
    attempts = [
        ({"phone": "1380546000"}, "mobile.bad_length"),
        ({"id_number": wrong_check_digit(2)}, "id.bad_check_digit"),
        ({"name": "  "}, "helper.name_empty"),
        ({"phone": "13805460001"}, "helper.phone_taken"),
    ]
    for change, code in attempts:
        details = {"name": "王热心", "phone": "13905460002", "id_number": id_number(2)} | change
        with pytest.raises(RuleViolation) as refused:
            helpers.register_helper(hall.session_factory, hall["lookup"], **details)
        assert refused.value.code == code
    assert count(hall, Helper) == 1
    assert count(hall, AuditLogEntry, AuditLogEntry.action == "helper_registered") == 1


@pytest.mark.parametrize("who", ["reception", "officer", "claims", "patrol"])
def test_only_lookup_and_supervisor_manage_helpers(hall: Hall, who: str) -> None:
    actor = hall[who]
    with pytest.raises(PermissionDenied) as refused:
        helpers.register_helper(
            hall.session_factory, actor, name="刘", phone="13805461234", id_number=id_number(1)
        )
    assert refused.value.code == "permission.denied"
    assert refused.value.params == {"position": actor.position.value, "action": "manage_helpers"}
    for call in (
        lambda: helpers.list_helpers(hall.session_factory, actor),
        lambda: helpers.link_helper_to_case(hall.session_factory, actor, 1, "T00000001"),
        lambda: helpers.monthly_ledger(hall.session_factory, actor, "2026-01"),
        lambda: helpers.close_month(hall.session_factory, actor, "2026-01", now=CLOSING_TIME),
        lambda: helpers.export_ledger_csv(hall.session_factory, actor, "2026-01"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert count(hall, Helper) == 0


# ---------------------------------------------------------------- linking


def test_link_is_idempotent_and_evented(hall: Hall) -> None:
    helper_id = register(hall, 1)
    [case_no] = determined(hall, 1, MID_JAN, start=1)
    first = helpers.link_helper_to_case(
        hall.session_factory, hall["lookup"], helper_id, f" {case_no} ", now=MID_JAN
    )
    again = helpers.link_helper_to_case(hall.session_factory, hall["lookup"], helper_id, case_no)
    assert first.linked
    assert not again.linked
    assert (again.helper_id, again.case_id, again.case_no) == (helper_id, first.case_id, case_no)
    assert count(hall, CaseHelper) == 1
    with hall.session_factory() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "helper_linked")).one()
    assert event.case_id == first.case_id
    assert event.actor_id == hall["lookup"].user_id
    assert event.position == "lookup"
    assert event.at == MID_JAN
    assert event.details == {"helper_id": helper_id, "helper_name": "刘热心1"}


def test_link_refuses_an_unknown_case_or_helper(hall: Hall) -> None:
    helper_id = register(hall, 1)
    [case_no] = determined(hall, 1, MID_JAN, start=1)
    for bad in ("T99999999", "", "X" * 40):
        with pytest.raises(NotFound) as missing:
            helpers.link_helper_to_case(hall.session_factory, hall["lookup"], helper_id, bad)
        assert missing.value.code == "helper.case_not_found"
    with pytest.raises(NotFound) as no_helper:
        helpers.link_helper_to_case(hall.session_factory, hall["lookup"], helper_id + 99, case_no)
    assert no_helper.value.code == "helper.not_found"
    assert no_helper.value.params == {"helper_id": helper_id + 99}
    assert count(hall, CaseHelper) == 0
    assert count(hall, CaseEvent, CaseEvent.kind == "helper_linked") == 0


# ---------------------------------------------------------------- the ledger


def test_ledger_with_1_2_3_11_and_12_cases(hall: Hall) -> None:
    expected = {}
    start = 0
    for serial, (cases, yuan) in enumerate([(1, 0), (2, 100), (3, 100), (11, 500), (12, 500)]):
        helper_id = register(hall, serial)
        link_all(hall, helper_id, determined(hall, cases, MID_JAN, start=start))
        start += cases
        expected[helper_id] = (cases, yuan)
    ledger = helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-01")
    assert {r.helper_id: (r.cases, r.amount) for r in ledger.rows} == expected
    assert (ledger.total_cases, ledger.total_amount) == (29, 1200)
    assert not ledger.closed
    assert [r.name for r in ledger.rows] == sorted(r.name for r in ledger.rows)
    assert ledger.rows[0].phone == "13805460000"
    assert ledger.rows[0].id_number == id_number(0)
    assert helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-02").rows == ()


def test_the_month_boundary_is_midnight_in_the_hall(hall: Hall) -> None:
    """23:59 on 31 January (15:59 UTC) counts in January; 00:00 on 1 February (16:00 UTC on
    the 31st) in February, though UTC still says January."""
    helper_id = register(hall, 1)
    link_all(hall, helper_id, determined(hall, 1, LAST_MINUTE_OF_JAN - timedelta(days=2), start=0))
    link_all(hall, helper_id, determined(hall, 1, LAST_MINUTE_OF_JAN, start=1))
    link_all(hall, helper_id, determined(hall, 1, FIRST_MINUTE_OF_FEB, start=2))
    january = helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-01")
    february = helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-02")
    assert [(r.cases, r.amount) for r in january.rows] == [(2, 100)]
    assert [(r.cases, r.amount) for r in february.rows] == [(1, 0)]


def test_first_determination_counts_and_revoked_or_undetermined_cases_do_not(hall: Hall) -> None:
    helper_id = register(hall, 1)
    mediated = determined(hall, 1, MID_JAN, start=0, state=CaseState.CLAIMS_OPEN)
    revoked = determined(hall, 1, MID_JAN, start=1, state=CaseState.REVOKED)
    agreed = bulk_cases(hall.session_factory, 1, CaseState.AGREED, start=2)
    plain = determined(hall, 1, MID_JAN, start=3, state=CaseState.SETTLED)
    link_all(hall, helper_id, [*mediated, *revoked, "T00000002", *plain])
    with hall.session_factory() as session, session.begin():
        # The mediation result is a new determination in February: the case stays January's.
        case_id = session.scalar(select(Case.id).where(Case.case_no == mediated[0]))
        session.execute(
            update(Determination)
            .where(Determination.case_id == case_id)
            .values(superseded_at=FIRST_MINUTE_OF_FEB)
        )
        session.add(
            Determination(
                case_id=case_id,
                officer_id=hall["officer"].user_id,
                situation_code="S01",
                accident_form="113",
                narrative="调解",
                determined_at=FIRST_MINUTE_OF_FEB + timedelta(days=1),
            )
        )
    assert agreed
    january = helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-01")
    assert [(r.cases, r.amount) for r in january.rows] == [(2, 100)]
    assert helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-02").rows == ()


def test_ledger_refuses_a_bad_month(hall: Hall) -> None:
    with pytest.raises(RuleViolation) as refused:
        helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-13")
    assert refused.value.code == "helper.bad_month"


# ---------------------------------------------------------------- closing the month


def test_close_month_writes_once(hall: Hall) -> None:
    first_helper = register(hall, 1)
    second_helper = register(hall, 2)
    link_all(hall, first_helper, determined(hall, 3, MID_JAN, start=0))
    link_all(hall, second_helper, determined(hall, 1, MID_JAN, start=3))
    with pytest.raises(RuleViolation) as early:
        helpers.close_month(hall.session_factory, hall["lookup"], "2026-01", now=LAST_MINUTE_OF_JAN)
    assert early.value.code == "helper.month_not_over"
    assert early.value.params == {"month": "2026-01"}

    closed = helpers.close_month(
        hall.session_factory, hall["supervisor"], "2026-01", now=FIRST_MINUTE_OF_FEB
    )
    assert closed == helpers.MonthClosed("2026-01", 2, False, 100)
    with hall.session_factory() as session:
        rewards = {
            r.helper_id: (r.month, r.cases, r.amount, r.computed_at)
            for r in session.scalars(select(HelperReward))
        }
    assert rewards == {
        first_helper: ("2026-01", 3, 100, FIRST_MINUTE_OF_FEB),
        second_helper: ("2026-01", 1, 0, FIRST_MINUTE_OF_FEB),
    }
    audits = count(hall, AuditLogEntry, AuditLogEntry.action == "helper_month_closed")
    assert audits == 1

    # A late link and a revocation change nothing in a closed month.
    link_all(hall, second_helper, determined(hall, 1, MID_JAN, start=4))
    with hall.session_factory() as session, session.begin():
        session.execute(update(Case).values(state=CaseState.REVOKED.value))
    again = helpers.close_month(hall.session_factory, hall["lookup"], "2026-01", now=CLOSING_TIME)
    assert again == helpers.MonthClosed("2026-01", 0, True, 100)
    assert count(hall, HelperReward) == 2
    assert count(hall, AuditLogEntry, AuditLogEntry.action == "helper_month_closed") == 1
    ledger = helpers.monthly_ledger(hall.session_factory, hall["lookup"], "2026-01")
    assert ledger.closed_at == FIRST_MINUTE_OF_FEB
    assert {r.helper_id: (r.cases, r.amount) for r in ledger.rows} == {
        first_helper: (3, 100),
        second_helper: (1, 0),
    }


def test_closing_a_month_nobody_earned_in_writes_nothing(hall: Hall) -> None:
    register(hall, 1)
    closed = helpers.close_month(hall.session_factory, hall["lookup"], "2025-12", now=MID_JAN)
    assert closed == helpers.MonthClosed("2025-12", 0, False, 0)
    assert count(hall, HelperReward) == 0


# ---------------------------------------------------------------- the payment sheet


def test_export_is_a_bom_csv_with_chinese_headers_and_is_audited(hall: Hall) -> None:
    helper_id = register(hall, 7, name="=刘")
    link_all(hall, helper_id, determined(hall, 5, MID_JAN, start=0))
    data = helpers.export_ledger_csv(
        hall.session_factory, hall["lookup"], "2026-01", now=CLOSING_TIME
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(helpers.CSV_HEADERS)
    assert rows[0][-1] == "奖励金额（元）"
    assert rows[1:] == [["2026-01", "'=刘7", "13805460007", f"\t{id_number(7)}", "5", "200"]]
    assert b"\r\n" in data
    with hall.session_factory() as session:
        audit = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action == "helper_ledger_exported")
        ).one()
    assert audit.target == "helper_rewards:2026-01"
    assert audit.at == CLOSING_TIME
    assert audit.details == {"helpers": 1, "amount": 200, "closed": False}
