"""The rescue seat and the rescue request, by keyboard, on both databases.

Reception asks for a tow for the open case (Ctrl+Shift+R): the form starts from the case's
place and vehicles, a refusal keeps everything typed and writes nothing, a good request
reaches the board. At the rescue seat F3 sends the nearest tow truck, F4 moves it on, the
arrival timer runs against the target and stops on scene; a unit moved at another seat shows
within a second; the map shows the units and cases and opens a case; a request is called off
with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedState
from console.db.models import Case, Party, RescueTask
from console.domain.rescue import TaskState, UnitState
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.hall.rescue import TaskRow, set_unit_state
from console.settings import Settings
from console.views.main_window import MainWindow
from console.views.rescue_board import RescueTasksModel
from console.views.rescue_desk import RescueDesk
from console.views.rescue_request import RescueRequestForm
from console.views.seat_session import SeatSession
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall
from tests.hall.test_rescue import PLACE, Rescue, a_case, ask, rescue, task, unit_state
from tests.ui.keyboard import type_text

__all__ = ["rescue"]

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
OpenSeat = Callable[[Actor], SeatSession]


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


@pytest.fixture
def open_seat(
    qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[OpenSeat]:
    link = HallLink(engine, session_factory, "test database", demo=False)
    opened: list[tuple[MainWindow, TaskRunner, SeatSession]] = []

    def open_one(actor: Actor) -> SeatSession:
        window = MainWindow()
        qtbot.addWidget(window)
        runner = TaskRunner(threads=2)
        seat = SeatSession(actor, link, runner, window, Settings())
        seat.start()
        window.resize(1500, 950)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: seat.bridge.status.state is FeedState.LIVE, timeout=10_000)
        opened.append((window, runner, seat))
        return seat

    yield open_one
    for window, runner, seat in opened:
        seat.stop()
        assert runner.shutdown(timeout=5)
        window.allow_close()
        window.close()


def placed_case(r: Rescue, start: int = 0) -> int:
    case_id = a_case(r, start)
    with r.sf() as session, session.begin():
        session.execute(update(Case).where(Case.id == case_id).values(lat=PLACE[0], lon=PLACE[1]))
        session.add(Party(case_id=case_id, letter="A", name="刘一", plate_no="鲁E12345"))
    return case_id


def tasks_of(r: Rescue, case_id: int) -> int:
    with r.sf() as session:
        return int(
            session.scalar(select(func.count(RescueTask.id)).where(RescueTask.case_id == case_id))
            or 0
        )


def the_form(qtbot: QtBot, seat: SeatSession) -> RescueRequestForm:
    requester = seat.rescue_requests
    assert requester is not None
    qtbot.waitUntil(lambda: requester.form is not None and requester.form.isVisible(), timeout=5000)
    form = requester.form
    assert form is not None
    qtbot.waitUntil(form.isActiveWindow, timeout=5000)  # the keys go to the form from here
    return form


def rescue_desk(seat: SeatSession) -> RescueDesk:
    assert isinstance(seat.desk, RescueDesk)
    return seat.desk


def test_reception_asks_for_a_tow_and_a_refusal_keeps_what_was_typed(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    case_id = placed_case(rescue)
    seat = open_seat(rescue["reception"])
    seat.open_case(case_id)
    qtbot.keyClick(seat.window, Qt.Key.Key_R, CTRL_SHIFT)
    form = the_form(qtbot, seat)
    assert form.place.text() == "东营区府前大街与西四路路口"
    assert form.vehicle.text() == "鲁E12345"
    assert "from the case" in form.position.text()

    form.vehicle.clear()  # nothing to say what to tow: refused, nothing written
    form.lane_blocked.setChecked(True)
    form.note.setFocus()
    type_text(qtbot, form.note, "占用最内侧车道")
    qtbot.keyClick(form.note, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "Describe the vehicle" in form.error_text(), timeout=5000)
    assert tasks_of(rescue, case_id) == 0
    assert form.note.toPlainText() == "占用最内侧车道" and form.lane_blocked.isChecked()

    form.vehicle.setFocus()
    type_text(qtbot, form.vehicle, "鲁E12345 白色轿车")
    qtbot.keyClick(form.vehicle, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: seat.rescue_requests is not None and seat.rescue_requests.form is None)
    assert "sent to the rescue seat" in seat.window.statusBar().currentMessage()
    with rescue.sf() as session:
        stored = session.scalars(select(RescueTask).where(RescueTask.case_id == case_id)).one()
    assert stored.vehicle_desc == "鲁E12345 白色轿车" and stored.lane_blocked
    assert (stored.lat, stored.lon) == PLACE and stored.requested_position == "reception"

    # A second request for the same case is refused in the form, which stays open.
    seat.window.activateWindow()
    qtbot.waitUntil(seat.window.isActiveWindow)
    qtbot.keyClick(seat.window, Qt.Key.Key_R, CTRL_SHIFT)
    again = the_form(qtbot, seat)
    assert f"already has rescue request {stored.id}" in again.error_text()


def test_a_form_closed_unsent_keeps_its_text_for_that_case(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    case_id = placed_case(rescue)
    seat = open_seat(rescue["patrol"])
    seat.open_case(case_id)
    qtbot.keyClick(seat.window, Qt.Key.Key_R, CTRL_SHIFT)
    form = the_form(qtbot, seat)
    form.note.setFocus()
    type_text(qtbot, form.note, "右前轮脱落")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: seat.rescue_requests is not None and seat.rescue_requests.form is None)
    seat.window.activateWindow()
    qtbot.waitUntil(seat.window.isActiveWindow)
    qtbot.keyClick(seat.window, Qt.Key.Key_R, CTRL_SHIFT)
    assert the_form(qtbot, seat).note.toPlainText() == "右前轮脱落"
    assert tasks_of(rescue, case_id) == 0


def test_a_seat_without_an_open_case_is_told_to_open_one(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    seat = open_seat(rescue["review"])
    qtbot.keyClick(seat.window, Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "Open the case" in seat.window.statusBar().currentMessage())
    assert seat.rescue_requests is not None and seat.rescue_requests.form is None


def test_the_determination_seat_has_no_rescue_key(rescue: Rescue, open_seat: OpenSeat) -> None:
    assert open_seat(rescue["officer"]).rescue_requests is None


def test_f3_sends_the_nearest_tow_f4_moves_it_on_and_the_timer_stops_on_scene(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    case_id = placed_case(rescue)
    asked_at = datetime.now(UTC) - timedelta(minutes=12)
    task_id = ask(rescue, case_id, now=asked_at)
    seat = open_seat(rescue["rescue"])
    desk = rescue_desk(seat)
    qtbot.waitUntil(lambda: desk.tasks_model.row_of(task_id) is not None, timeout=5000)
    row = desk.tasks_model.task(desk.tasks_model.row_of(task_id) or 0)
    assert row is not None
    assert desk.tasks_model.timer_text(row).endswith("left")  # about 18 minutes of 30
    assert "1 waiting for a unit" in desk.tasks_caption.text()
    assert not desk.tasks_model.overdue(row)

    qtbot.keyClick(seat.window, Qt.Key.Key_F3)
    # The rescue vehicle 300 m away is no tow truck; the tow 2 km away goes, not the busy one.
    qtbot.waitUntil(lambda: unit_state(rescue, "顺通清障01") == "dispatched", timeout=5000)
    qtbot.waitUntil(lambda: "顺通清障01 sent to request" in desk.message.text(), timeout=5000)
    assert "2.0 km" in desk.message.text()
    qtbot.waitUntil(lambda: desk.chosen_unit_id() == rescue.units["顺通清障01"], timeout=5000)

    qtbot.keyClick(seat.window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: unit_state(rescue, "顺通清障01") == "en_route", timeout=5000)
    qtbot.waitUntil(lambda: "En route" in desk.message.text(), timeout=5000)
    qtbot.keyClick(seat.window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: unit_state(rescue, "顺通清障01") == "on_scene", timeout=5000)
    assert task(rescue, task_id).state == TaskState.ARRIVED.value

    def arrived_text() -> str:
        current = desk.tasks_model.task(desk.tasks_model.row_of(task_id) or 0)
        return desk.tasks_model.timer_text(current) if current is not None else ""

    qtbot.waitUntil(lambda: arrived_text().startswith("arrived after 12:"), timeout=5000)
    qtbot.keyClick(seat.window, Qt.Key.Key_4, CTRL)  # towing
    qtbot.waitUntil(lambda: unit_state(rescue, "顺通清障01") == "towing", timeout=5000)

    # Enter on the unit: its moves, newest first, each with who and seat.
    desk.units_view.setFocus()
    qtbot.keyClick(desk.units_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.unit_log is not None and desk.unit_log.isVisible(), timeout=5000)
    log = desk.unit_log
    assert log is not None
    column = {log.table.horizontalHeaderItem(c).text(): c for c in range(log.table.columnCount())}
    moves = [log.table.item(r, column["To"]).text() for r in range(log.table.rowCount())]
    assert moves == ["Towing", "On scene", "En route", "Dispatched"]
    assert log.table.item(0, column["By"]).text() == "刘救援 · seat-rescue"
    assert log.table.item(0, column["Request"]).text() == str(task_id)


def test_a_request_past_the_target_shows_red_and_counts_as_overdue(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    task_id = ask(rescue, placed_case(rescue), now=datetime.now(UTC) - timedelta(minutes=31))
    seat = open_seat(rescue["rescue"])
    desk = rescue_desk(seat)
    qtbot.waitUntil(lambda: desk.tasks_model.row_of(task_id) is not None, timeout=5000)
    row = desk.tasks_model.row_of(task_id) or 0
    index = desk.tasks_model.index(row, desk.tasks_model.TIMER)
    assert "over target" in index.data()
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert "1 past the 30-minute arrival target" in desk.tasks_caption.text()


def test_a_unit_moved_at_another_seat_shows_within_a_second_or_two(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    seat = open_seat(rescue["rescue"])
    desk = rescue_desk(seat)
    qtbot.waitUntil(lambda: len(desk.units_model.units()) == 5, timeout=5000)
    busy = rescue.units["顺通清障02"]  # en route (no task): on scene next
    set_unit_state(rescue.sf, rescue["supervisor"], busy, UnitState.ON_SCENE)

    def shown_state() -> UnitState | None:
        unit = desk.units_model.unit(desk.units_model.row_of(busy) or 0)
        return unit.state if unit is not None else None

    qtbot.waitUntil(lambda: shown_state() is UnitState.ON_SCENE, timeout=2500)


def test_the_map_shows_units_and_cases_and_enter_on_a_case_opens_it(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    case_id = placed_case(rescue)
    ask(rescue, case_id)
    seat = open_seat(rescue["rescue"])
    desk = rescue_desk(seat)
    # Four of the five units have a position; the fifth is left off the map.
    qtbot.waitUntil(lambda: desk.map.marker_count("unit") == 4, timeout=5000)
    qtbot.waitUntil(lambda: desk.map.marker_count("case") == 1, timeout=5000)
    assert desk.map.marker_count("camera") == 0  # this hall registered none
    desk.map.setFocus()
    assert desk.map.select("case", case_id)
    qtbot.keyClick(desk.map, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: seat.detail.detail is not None and seat.detail.detail.case_id == case_id,
        timeout=5000,
    )
    # Ctrl+M takes the keyboard back to the map.
    seat.queue.setFocus()
    qtbot.keyClick(seat.window, Qt.Key.Key_M, CTRL)
    assert QApplication.focusWidget() is desk.map


def test_calling_off_needs_a_reason_and_frees_the_unit(
    qtbot: QtBot, rescue: Rescue, open_seat: OpenSeat
) -> None:
    case_id = placed_case(rescue)
    task_id = ask(rescue, case_id)
    seat = open_seat(rescue["rescue"])
    desk = rescue_desk(seat)
    qtbot.waitUntil(lambda: desk.choose_task(task_id), timeout=5000)
    qtbot.keyClick(seat.window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: unit_state(rescue, "顺通清障01") == "dispatched", timeout=5000)
    qtbot.waitUntil(lambda: desk.choose_task(task_id), timeout=5000)

    def dialog_text(text: str) -> None:
        seat.window.activateWindow()
        qtbot.waitUntil(seat.window.isActiveWindow)
        qtbot.keyClick(seat.window, Qt.Key.Key_X, CTRL_SHIFT)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=3000)
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "rescue_cancel_dialog"
        editor = dialog.findChild(QPlainTextEdit, "text_entry")
        assert editor is not None
        if text:
            type_text(qtbot, editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)

    dialog_text("")
    qtbot.waitUntil(lambda: "Type why" in desk.message.text(), timeout=5000)
    assert task(rescue, task_id).state == TaskState.ASSIGNED.value
    dialog_text("当事人已自行挪车")
    qtbot.waitUntil(lambda: task(rescue, task_id).state == TaskState.CANCELLED.value, timeout=5000)
    assert unit_state(rescue, "顺通清障01") == "available"
    assert task(rescue, task_id).cancel_reason == "当事人已自行挪车"
    qtbot.waitUntil(lambda: "called off" in desk.message.text(), timeout=5000)


def _task_row(task_id: int, state: TaskState, minutes_ago: int, now: datetime) -> TaskRow:
    return TaskRow(
        id=task_id, case_id=None, case_no=None, place_text="东营区府前大街", lat=None, lon=None,
        vehicle_desc="鲁E12345", lane_blocked=False, note="", state=state,
        requested_at=now - timedelta(minutes=minutes_ago), requested_by="王接警",
        requested_position=None, unit_id=None, call_sign=None, assigned_at=None,
        arrived_at=None, finished_at=None, cancelled_at=None, cancel_reason=None,
    )  # fmt: skip


def test_requests_waiting_for_a_unit_lead_the_list_oldest_first(qtbot: QtBot) -> None:
    now = datetime.now(UTC)
    model = RescueTasksModel()
    # As the hall lists them: open ones oldest first, then the closed ones newest first.
    model.set_rows(
        [
            _task_row(1, TaskState.ARRIVED, 50, now),
            _task_row(2, TaskState.REQUESTED, 40, now),
            _task_row(3, TaskState.ASSIGNED, 30, now),
            _task_row(4, TaskState.REQUESTED, 5, now),
            _task_row(5, TaskState.FINISHED, 90, now),
            _task_row(6, TaskState.CANCELLED, 120, now),
        ],
        now,
    )
    assert [t.id for t in model.tasks()] == [2, 4, 3, 1, 5, 6]
