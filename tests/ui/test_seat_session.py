"""A signed-in seat end to end: the queue fills, changes from other seats and processes
arrive, take-next never double-books, and a refused save keeps what was typed."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedState
from console.db.models import Party
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor
from console.hall.cases import NewCase, create_case, edit_case
from console.hall.link import HallLink
from console.settings import Settings
from console.views.main_window import MainWindow
from console.views.seat_session import SeatSession
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall, bulk_cases, open_case_in_another_process
from tests.ui.keyboard import type_text

OpenSeat = Callable[[Actor], SeatSession]


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


@pytest.fixture
def open_seat(
    qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[OpenSeat]:
    """Open a seat window for an actor, the way the app does after sign-in."""
    link = HallLink(engine, session_factory, "test database", demo=False)
    opened: list[tuple[MainWindow, TaskRunner, SeatSession]] = []

    def open_one(actor: Actor) -> SeatSession:
        window = MainWindow()
        qtbot.addWidget(window)
        runner = TaskRunner(threads=2)
        seat = SeatSession(actor, link, runner, window, Settings())
        seat.start()
        window.show()
        qtbot.waitUntil(lambda: seat.bridge.status.state is FeedState.LIVE, timeout=10_000)
        opened.append((window, runner, seat))
        return seat

    yield open_one
    for window, runner, seat in opened:
        seat.stop()
        assert runner.shutdown(timeout=5)
        window.allow_close()
        window.close()


def _visible_ids(seat: SeatSession) -> set[int]:
    return set(seat.queue.model.visible_case_ids())


def test_the_queue_shows_the_hall_cases(hall: Hall, open_seat: OpenSeat) -> None:
    ids = bulk_cases(hall.session_factory, 25, CaseState.UNDER_REVIEW)
    seat = open_seat(hall["review"])
    seat.queue.set_filter_kind(_kind("ALL"))
    assert set(ids) <= _visible_ids(seat)


def _kind(name: str) -> object:
    from console.hall.queries import FilterKind

    return FilterKind[name]


def test_a_case_created_by_another_process_appears_within_a_second(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat, db_url: str
) -> None:
    seat = open_seat(hall["reception"])
    seat.queue.set_filter_kind(_kind("ALL"))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        case_id = pool.apply(open_case_in_another_process, (db_url, hall["reception"].user_id))
        # The clock starts once the other process has committed.
        qtbot.waitUntil(lambda: case_id in _visible_ids(seat), timeout=1000)


def test_two_windows_taking_next_at_once_never_get_the_same_case(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    ids = bulk_cases(hall.session_factory, 6, CaseState.AWAITING_DETERMINATION)
    first = open_seat(hall["officer"])
    second = open_seat(hall["officer2"])
    for _ in range(3):
        first.take_next()
        second.take_next()
    mine = {hall["officer"].user_id: first, hall["officer2"].user_id: second}

    def held() -> dict[int, int]:
        with hall.session_factory() as session:
            from sqlalchemy import select

            from console.db.models import Case

            rows = session.execute(select(Case.id, Case.assignee_id).where(Case.id.in_(ids))).all()
            return {case_id: assignee for case_id, assignee in rows if assignee is not None}

    qtbot.waitUntil(lambda: len(held()) == 6, timeout=10_000)
    holders = held()
    assert sorted(holders) == ids  # every case claimed once, none twice, none lost
    assert sorted(holders.values()).count(hall["officer"].user_id) == 3
    # Each window shows the other's claims too, through the change feed.
    for seat in mine.values():
        seat.queue.set_filter_kind(_kind("ALL"))
        qtbot.waitUntil(
            lambda s=seat: all(
                (row := s.queue.model.queue_row(i)) is not None and row.assignee_id == holders[i]
                for i in ids
            ),
            timeout=3000,
        )


def test_enter_opens_the_case_and_shows_its_timeline(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    made = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(source="call", occurred_at=datetime.now(UTC), place_text="西四路口"),
    )
    seat = open_seat(hall["reception"])
    seat.queue.set_filter_kind(_kind("ALL"))
    qtbot.waitUntil(lambda: seat.queue.select_case(made.case_id), timeout=3000)
    seat.queue.table.setFocus()
    qtbot.keyClick(seat.queue.table, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: seat.detail.detail is not None and seat.detail.detail.case_id == made.case_id,
        timeout=3000,
    )
    assert seat.detail.place.text() == "西四路口"
    assert seat.detail.timeline.rowCount() == 1
    assert seat.detail.timeline.item(0, 2).text() == "王接警"


def test_a_refused_save_keeps_what_was_typed(qtbot: QtBot, hall: Hall, open_seat: OpenSeat) -> None:
    made = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(source="call", occurred_at=datetime.now(UTC), place_text="黄河路"),
    )
    seat = open_seat(hall["reception"])
    seat.open_case(made.case_id)
    qtbot.waitUntil(lambda: seat.detail.detail is not None, timeout=3000)
    # Someone at another seat corrects the place first.
    edit_case(
        hall.session_factory,
        hall["review"],
        made.case_id,
        expected_version=made.version,
        changes={"notes": "另一席位已修改"},
    )
    seat.detail.place.setFocus()
    seat.detail.place.selectAll()
    type_text(qtbot, seat.detail.place, "黄河路与东三路路口")
    seat.detail.save_button.click()
    qtbot.waitUntil(lambda: "changed by someone else" in seat.detail.message.text(), timeout=3000)
    assert seat.detail.place.text() == "黄河路与东三路路口"
    assert seat.detail.dirty


def test_the_claims_seat_hears_of_a_new_notification_through_the_change_feed(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    from console.views.claims_desk import ClaimsDesk
    from tests.hall.test_claims import determined_case

    adjuster = hall["claims"]
    seat = open_seat(adjuster)
    desk = seat.desk
    assert isinstance(desk, ClaimsDesk) and desk.panel.isVisible()
    case_id = determined_case(hall, a_insurer=adjuster.org_id)  # by another seat
    qtbot.waitUntil(lambda: bool(desk.panel.queue.model.claims_of_case(case_id)), timeout=10_000)


def test_the_lookup_seat_hears_of_a_complaint_filed_elsewhere_through_the_change_feed(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    from console.hall.complaints import file_complaint
    from console.views.lookup_desk import LookupDesk
    from tests.hall.test_claims import determined_case

    seat = open_seat(hall["lookup"])
    desk = seat.desk
    assert isinstance(desk, LookupDesk) and desk.panel.isVisible()
    case_id = determined_case(hall, b_insurer=hall["claims"].org_id)
    with hall.session_factory() as db, db.begin():
        db.execute(
            update(Party)
            .where(Party.case_id == case_id, Party.letter == "B")
            .values(plate_no="鲁E67890", plate_type="02")
        )
    file_complaint(
        hall.session_factory, hall["supervisor"], case_id, party_letter="B",
        insurer_org_id=hall["claims"].org_id, reason="乙方保险公司未赔付",
    )  # fmt: skip
    qtbot.waitUntil(lambda: bool(desk.complaints.model.for_case(case_id)), timeout=10_000)


def test_tools_offer_the_citizen_helpers_ledger_to_the_lookup_seat_only(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    from console.views.helpers_dialog import HelpersDialog

    claims = open_seat(hall["claims"])
    assert not claims.window.helpers_action.isEnabled()
    claims.window.helpers_action.trigger()
    assert claims.window.findChild(HelpersDialog) is None
    lookup = open_seat(hall["lookup"])
    assert lookup.window.helpers_action.isEnabled()
    assert lookup.window.tools_menu.menuAction().isVisible()
    lookup.window.helpers_action.trigger()
    qtbot.waitUntil(lambda: lookup.window.findChild(HelpersDialog) is not None, timeout=5000)
