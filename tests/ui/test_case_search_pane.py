"""The lookup seat's search pane and a case's history, by keyboard, on both databases.

A signed-in lookup seat (the desk in the main window, as the seat session composes it): typing a
plate or the start of a case number shows only the matching cases, and the hint says how the
text was read; an older query's answer arriving after a newer one's is dropped; Enter opens the
history with its events; Ctrl+P writes the stored letter byte for byte and audits it; Ctrl+E
writes the case file PDF; Ctrl+U asks why, shows the full ID number in its own dialog only and
audits it; a position that may not unmask is told so, and what it typed stays.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import AuditLogEntry, CaseEvent
from console.domain.case_search import SearchCriteria
from console.domain.lifecycle import CaseState
from console.hall import case_search as hall_search
from console.hall.actor import Actor
from console.hall.case_search import AUDIT_EXPORT, AUDIT_REPRINT, AUDIT_UNMASK, SearchRow
from console.hall.complaints import file_complaint
from console.hall.journal import SessionFactory
from console.hall.link import HallLink
from console.settings import SeatLayout
from console.views import case_search as search_view
from console.views.case_history import CaseHistoryDialog, UnmaskDialog
from console.views.case_search import CaseSearchPane, Column
from console.views.lookup_desk import LookupDesk
from console.views.main_window import MainWindow
from console.views.queue_view import CaseQueueView
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall
from tests.hall.test_case_search import BASE, PDF, World, _case
from tests.hall.test_claims import second_insurer
from tests.ui.keyboard import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
DISTRICTS = ["东营区", "河口区", "垦利区"]
FULL_ID = "370502199001011234"  # party A of case "one"


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class Chooser:
    """Stands in for the save dialog: answers with the next path, records what was asked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[tuple[str, str]] = []
        self.answer = ""

    def __call__(self, _parent: QWidget, title: str, suggested: str, _filter: str) -> str:
        self.asked.append((title, suggested))
        return self.answer


def build_world(hall: Hall) -> World:
    """Three cases (as the back end's tests have them), case "one" with its history: opened at
    reception, determined, a complaint filed about party A's insurer."""
    world = World(hall, second_insurer(hall)[0])
    _case(
        world, "one", start=1, occurred=BASE, district="东营区", state=CaseState.DETERMINED,
        parties=[
            {"letter": "A", "name": "刘一", "phone": "13905461111", "id_number": FULL_ID,
             "plate_no": "鲁E3K821", "plate_type": "02", "insurer_org_id": hall.insurer_id},
            {"letter": "B", "name": "陈二", "phone": "13905462222",
             "licence_number": "370502198505055678", "plate_no": "鲁EF12345",
             "insurer_org_id": world.other_insurer},
        ],
        letter=("东公交认字〔2026〕第000001号", "7KQ2M9PX3HAB"),
    )  # fmt: skip
    _case(
        world, "two", start=2, occurred=BASE + timedelta(days=2), district="垦利区",
        state=CaseState.CLOSED,
        parties=[
            {"letter": "A", "name": "刘一鸣", "phone": "13905463333", "plate_no": "鲁E3K829",
             "insurer_org_id": world.other_insurer},
        ],
        letter=("东公交认字〔2026〕第000002号", "ZZZZ9PX3HABC"), pdf=PDF + b"2",
    )  # fmt: skip
    _case(
        world, "three", start=3, occurred=BASE + timedelta(days=5), district="东营区",
        state=CaseState.UNDER_REVIEW,
        parties=[{"letter": "A", "name": "赵六", "phone": "13905465555", "plate_no": "鲁E77777",
                  "insurer_org_id": hall.insurer_id}],
        letter=None,
    )  # fmt: skip
    one = world.ids["one"]
    with hall.session_factory() as session, session.begin():
        for at, who, kind, source, target in (
            (BASE, "reception", "created", None, "new"),
            (BASE + timedelta(hours=1), "officer", "moved", "determining", "determined"),
        ):
            actor = hall[who]
            session.add(
                CaseEvent(
                    case_id=one, kind=kind, from_state=source, to_state=target,
                    actor_id=actor.user_id, seat=actor.seat, position=actor.position.value, at=at,
                )
            )  # fmt: skip
    file_complaint(
        hall.session_factory, hall["lookup"], one, party_letter="A",
        insurer_org_id=hall.insurer_id, reason="定损后十日未赔付", now=BASE + timedelta(days=1),
    )  # fmt: skip
    return world


class Seat:
    """A signed-in lookup seat on the test database; its search asks `chooser` for paths."""

    def __init__(self, qtbot: QtBot, hall: Hall, engine: Engine, chooser: Chooser) -> None:
        self.hall = hall
        self.link = HallLink(engine, hall.session_factory, "test database", demo=False)
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        self.runner = TaskRunner(threads=2)
        self.desk = LookupDesk(
            hall["lookup"], self.link, self.runner, self.window,
            cases_changed=lambda ids: None, auto_sanction=False,
            clock=Clock(BASE + timedelta(days=1, hours=1)), districts=DISTRICTS,
        )  # fmt: skip
        self.pane = self.desk.search
        self.pane.choose_path = chooser
        actor = hall["lookup"]
        self.queue = CaseQueueView(position=actor.position, user_id=actor.user_id)
        self.window.show_workspace(
            actor, self.link.description, queue=self.queue, detail=QWidget(),
            seat_panel=QWidget(), layout=SeatLayout(),
            work=("lookup", self.desk.title, self.desk.panel),
            bottom=("hits", "Checkpoint hits", self.desk.bottom or QWidget()),
        )  # fmt: skip
        self.desk.start()
        self.window.resize(1400, 900)
        self.window.show()
        qtbot.waitExposed(self.window)
        qtbot.waitUntil(lambda: self.desk._overdue is not None, timeout=10_000)

    def close(self) -> None:
        self.desk.stop()
        assert self.runner.shutdown(timeout=10)
        self.window.allow_close()
        self.window.close()


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


@pytest.fixture
def world(hall: Hall) -> World:
    return build_world(hall)


@pytest.fixture
def chooser(tmp_path: Path) -> Chooser:
    return Chooser(tmp_path)


@pytest.fixture
def seat(qtbot: QtBot, world: World, engine: Engine, chooser: Chooser) -> Iterator[Seat]:
    seat = Seat(qtbot, world.hall, engine, chooser)
    try:
        yield seat
    finally:
        seat.close()


# ---------------------------------------------------------------- helpers


def shown(world: World, pane: CaseSearchPane) -> list[str]:
    names = {case_id: key for key, case_id in world.ids.items()}
    return [names[case_id] for case_id in pane.model.case_ids()]


def settle(qtbot: QtBot, pane: CaseSearchPane) -> None:
    """The debounce has run and the newest query's answer is in the table."""
    qtbot.waitUntil(lambda: not pane.pending(), timeout=10_000)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, mod)


def retype(qtbot: QtBot, pane: CaseSearchPane, text: str) -> None:
    """Select what is in the box and type over it, as a user does."""
    pane.box.setFocus()
    pane.box.selectAll()
    if text.isascii():
        qtbot.keyClicks(pane.box, text)
    else:
        type_text(qtbot, pane.box, text)
    settle(qtbot, pane)


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def audit(hall: Hall, action: str) -> list[AuditLogEntry]:
    with hall.session_factory() as session:
        return list(session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)))


def open_history(qtbot: QtBot, world: World, pane: CaseSearchPane, text: str) -> CaseHistoryDialog:
    """Search, Down into the results, Enter: the history window, loaded and active."""
    retype(qtbot, pane, text)
    qtbot.keyClick(pane.box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: focused() is pane.table)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.history is not None and pane.history.history is not None,
                    timeout=10_000)  # fmt: skip
    history = pane.history
    assert history is not None and history.history is not None
    assert history.history.case_id == pane.current_case()
    history.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is history)
    history.events.setFocus()
    qtbot.waitUntil(lambda: focused() is history.events)
    return history


def unmask_dialog(qtbot: QtBot, history: CaseHistoryDialog) -> UnmaskDialog:
    history.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is history)
    history.events.setFocus()
    qtbot.waitUntil(lambda: focused() is history.events)
    press(qtbot, Qt.Key.Key_U, CTRL)
    qtbot.waitUntil(lambda: history.unmask_dialog is not None)
    dialog = history.unmask_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: focused() is dialog.reason)
    return dialog


# ---------------------------------------------------------------- searching


def test_typing_a_plate_or_a_case_number_shows_only_matching_cases(
    qtbot: QtBot, qtmodeltester: object, seat: Seat, world: World
) -> None:
    pane = seat.pane
    assert focused() is pane.box, "signed in: the keyboard is in the search box"
    # Ctrl+F is window-wide, except in the queue, whose own Ctrl+F goes to its filter.
    seat.queue.table.setFocus()
    qtbot.waitUntil(lambda: focused() is seat.queue.table)
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: focused() is seat.queue.search_box)
    seat.desk.complaints.table.setFocus()
    qtbot.waitUntil(lambda: focused() is seat.desk.complaints.table)
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: focused() is pane.box)

    type_text(qtbot, pane.box, "鲁E3K821")  # as the input method commits it
    settle(qtbot, pane)
    assert shown(world, pane) == ["one"]
    assert "plate 鲁E3K821…" in pane.hint.text()
    row = pane.model.row_at(0)
    assert isinstance(row, SearchRow)
    model = pane.model
    parties = model.index(0, Column.PARTIES).data()
    assert "刘一 *******1111" in parties and "13905461111" not in parties, "masked for lookup"
    assert model.index(0, Column.PLATES).data() == "鲁E3K821 / 鲁EF12345"
    assert model.index(0, Column.OCCURRED).data() == "2026-11-20 16:00", "hall time"
    assert model.index(0, Column.DISTRICT).data() == "东营区"
    assert model.index(0, Column.STATE).data() == "Determined"
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    retype(qtbot, pane, "KC20261120")
    assert shown(world, pane) == ["one"]
    assert "case no. KC20261120…" in pane.hint.text()
    retype(qtbot, pane, "KC2026112")
    assert shown(world, pane) == ["three", "two", "one"], "newest first"
    pane.table.sortByColumn(Column.CASE_NO, Qt.SortOrder.AscendingOrder)
    assert shown(world, pane) == ["one", "two", "three"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    # Filters narrow the text; a district filter alone searches too.
    pane.district.setCurrentIndex(pane.district.findData("东营区"))
    settle(qtbot, pane)
    assert shown(world, pane) == ["one", "three"]
    assert "district 东营区" in pane.hint.text()
    retype(qtbot, pane, "刘一")
    assert shown(world, pane) == ["one"]
    pane.district.setCurrentIndex(0)
    settle(qtbot, pane)
    assert shown(world, pane) == ["one", "two"], "a new answer keeps the order chosen"

    # Accident dates in hall time, both ends included; a range that ends before it starts
    # is said under the box and not searched.
    pane.date_from.setDate(QDate(2026, 11, 21))
    settle(qtbot, pane)
    assert shown(world, pane) == ["two"]
    assert "name 刘一…, occurred from 2026-11-21" in pane.hint.text()
    pane.date_to.setDate(QDate(2026, 11, 22))
    settle(qtbot, pane)
    assert shown(world, pane) == ["two"] and "occurred up to 2026-11-22" in pane.hint.text()
    pane.date_to.setDate(QDate(2026, 11, 20))
    settle(qtbot, pane)
    assert shown(world, pane) == []
    assert pane.hint.text() == "The end of the date range must come after its start."
    for edit in (pane.date_from, pane.date_to):
        edit.setDate(edit.minimumDate())
    pane.state.setCurrentIndex(pane.state.findData("closed"))
    settle(qtbot, pane)
    assert shown(world, pane) == ["two"] and "state Closed" in pane.hint.text()
    pane.state.setCurrentIndex(0)

    # Too short to search: said, and nothing shown.
    retype(qtbot, pane, "鲁E")
    assert shown(world, pane) == []
    assert "Not understood, ignored: 鲁E" in pane.hint.text()
    assert "at least 3 characters" in pane.hint.text()
    assert pane.count.text() == ""
    retype(qtbot, pane, "鲁E3K82 王五")
    assert shown(world, pane) == [] and pane.count.text() == "No case matches."


def test_an_older_answer_arriving_late_never_replaces_the_newest(
    qtbot: QtBot, seat: Seat, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search for 鲁E3K82 is held on its worker thread until the one for 鲁E3K821 has been
    shown; its (larger) answer then arrives and must be dropped."""
    pane = seat.pane
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def search(
        session_factory: SessionFactory, actor: Actor, criteria: SearchCriteria, limit: int = 50
    ) -> list[SearchRow]:
        rows = hall_search.search_cases(session_factory, actor, criteria, limit)
        if criteria.plates == ("鲁E3K82",):
            started.set()
            release.wait(10)
            finished.set()
        return rows

    monkeypatch.setattr(search_view, "search_cases", search)
    try:
        pane.box.setFocus()
        type_text(qtbot, pane.box, "鲁E3K82")
        qtbot.waitUntil(started.is_set, timeout=5000)
        assert pane.pending() and pane.count.text() == "Searching…"
        type_text(qtbot, pane.box, "1")  # 鲁E3K821
        settle(qtbot, pane)
        assert shown(world, pane) == ["one"]
    finally:
        release.set()
    qtbot.waitUntil(finished.is_set, timeout=5000)
    qtbot.waitUntil(lambda: seat.runner.pending() == 0, timeout=5000)
    assert shown(world, pane) == ["one"], "the late answer (two cases) was dropped"
    assert pane.count.text() == "Found: 1"
    assert "plate 鲁E3K821…" in pane.hint.text()


# ---------------------------------------------------------------- the history


def test_enter_opens_the_history_and_ctrl_p_reprints_the_letter_byte_for_byte(
    qtbot: QtBot, seat: Seat, world: World, chooser: Chooser
) -> None:
    pane = seat.pane
    history = open_history(qtbot, world, pane, "7KQ2M9PX3HAB")  # the verification code
    assert "verification code 7KQ2M9PX3HAB" in pane.hint.text()
    assert history.title.text() == f"Case KC20261120{world.ids['one']:06d} · Determined"
    events = history.events
    steps = [cell(events, row, 1) for row in range(events.rowCount())]
    assert steps == ["New", "Determining → Determined", "Non-payment complaint filed"]
    assert [cell(events, row, 2) for row in range(3)] == ["王接警", "张警官", "孙查询"]
    assert [cell(events, row, 0) for row in range(2)] == [
        "2026-11-20 16:00:00",
        "2026-11-20 17:00:00",
    ]
    assert cell(events, 1, 3) == seat.hall["officer"].seat
    assert cell(history.letters, 0, 0) == "东公交认字〔2026〕第000001号"
    assert cell(history.letters, 0, 4) == "in force"
    assert history.evidence.rowCount() == 1
    assert cell(history.complaints, 0, 3) == "*******2222", "masked for lookup"
    assert cell(history.parties, 0, 4) == "370502********1234"
    assert history.tabs.tabText(0) == "Events (3)" and history.tabs.tabText(6) == "Audit (0)"

    # -- Ctrl+P: cancelled in the file dialog, nothing happens; then into a file --------------
    press(qtbot, Qt.Key.Key_P, CTRL)
    assert len(chooser.asked) == 1 and chooser.asked[0][1].endswith("-letter-v1.pdf")
    assert audit(seat.hall, AUDIT_REPRINT) == []
    target = chooser.folder / "letter.pdf"
    chooser.answer = str(target)
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "written to" in history.message_text(), timeout=10_000)
    assert target.read_bytes() == PDF, "byte-identical to the stored letter"
    (entry,) = audit(seat.hall, AUDIT_REPRINT)
    assert entry.actor_id == seat.hall["lookup"].user_id
    assert entry.target == f"case/{world.ids['one']}"
    qtbot.waitUntil(lambda: history.tabs.tabText(6) == "Audit (1)", timeout=10_000)
    assert cell(history.audit, 0, 1) == "Letter reprinted"
    assert cell(history.audit, 0, 2) == "孙查询"

    # -- Esc closes the window; Esc in the results goes back to the box --------------------
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not history.isVisible())
    seat.window.activateWindow()
    qtbot.waitUntil(lambda: focused() is pane.table)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: focused() is pane.box)
    assert pane.box.selectedText() == "7KQ2M9PX3HAB", "ready to be typed over"


def test_ctrl_e_exports_the_case_file_pdf(
    qtbot: QtBot, seat: Seat, world: World, chooser: Chooser
) -> None:
    history = open_history(qtbot, world, seat.pane, "KC20261120")
    target = chooser.folder / "case-file.pdf"
    chooser.answer = str(target)
    press(qtbot, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: "Case file of" in history.message_text(), timeout=20_000)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    (entry,) = audit(seat.hall, AUDIT_EXPORT)
    assert entry.details["size"] == len(data) and entry.actor_id == seat.hall["lookup"].user_id
    assert not list(chooser.folder.glob(".hall-*")), "no half-written file left behind"
    qtbot.waitUntil(lambda: history.tabs.tabText(6) == "Audit (1)", timeout=10_000)


def test_ctrl_u_asks_why_shows_the_full_id_number_in_its_dialog_only_and_is_audited(
    qtbot: QtBot, seat: Seat, world: World
) -> None:
    history = open_history(qtbot, world, seat.pane, "鲁E3K821")
    dialog = unmask_dialog(qtbot, history)
    assert dialog.party_id() == world.parties["oneA"]
    press(qtbot, Qt.Key.Key_Return)  # no reason given
    qtbot.waitUntil(lambda: "Say why" in dialog.error_text(), timeout=5000)
    assert audit(seat.hall, AUDIT_UNMASK) == [] and dialog.shown.isHidden()

    dialog.reason.insert("投诉人来电核实身份")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.id_number.text() == FULL_ID, timeout=5000)
    assert dialog.phone.text() == "13905461111" and dialog.error_text() == ""
    (entry,) = audit(seat.hall, AUDIT_UNMASK)
    assert entry.details == {
        "party_id": world.parties["oneA"],
        "letter": "A",
        "reason": "投诉人来电核实身份",
    }
    assert entry.actor_id == seat.hall["lookup"].user_id
    qtbot.waitUntil(lambda: history.tabs.tabText(6) == "Audit (1)", timeout=10_000)
    assert cell(history.audit, 0, 1) == "Personal data shown"
    assert "投诉人来电核实身份" in cell(history.audit, 0, 4)
    assert cell(history.parties, 0, 4) == "370502********1234", "masked outside it"
    assert FULL_ID not in cell(history.audit, 0, 4)

    # Choosing the other party hides the numbers shown; closing keeps the reason typed.
    dialog.party.setCurrentIndex(1)
    assert dialog.shown.isHidden() and dialog.id_number.text() == ""
    dialog.reject()
    qtbot.waitUntil(lambda: history.unmask_dialog is None)
    again = unmask_dialog(qtbot, history)
    assert again.reason_text() == "投诉人来电核实身份"
    again.reject()


def test_a_position_that_may_not_unmask_is_refused_and_keeps_what_it_typed(
    qtbot: QtBot, world: World, chooser: Chooser
) -> None:
    """The pane at a patrol seat: it finds the case (masked) but may neither unmask nor
    reprint; the refusals are the translated sentences and nothing is audited."""
    hall = world.hall
    runner = TaskRunner(threads=2)
    window = QWidget()
    qtbot.addWidget(window)
    pane = CaseSearchPane(hall["patrol"], hall.session_factory, runner, parent=window,
                          choose_path=chooser)  # fmt: skip
    try:
        window.resize(1000, 600)
        window.show()
        qtbot.waitExposed(window)
        history = open_history(qtbot, world, pane, "鲁E3K821")
        dialog = unmask_dialog(qtbot, history)
        dialog.reason.insert("想看看")
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=5000)
        assert dialog.error_text() == (
            "The Video patrol position may not show the parties' personal data."
        )
        assert dialog.reason_text() == "想看看" and dialog.shown.isHidden()
        assert dialog.isVisible(), "the dialog stays open with the reason"
        dialog.reject()
        qtbot.waitUntil(lambda: history.unmask_dialog is None)

        chooser.answer = str(chooser.folder / "letter.pdf")
        history.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is history)
        press(qtbot, Qt.Key.Key_P, CTRL)
        qtbot.waitUntil(lambda: "may not" in history.message_text(), timeout=5000)
        assert history.message_text() == (
            "The Video patrol position may not reprint determination letters."
        )
        assert not (chooser.folder / "letter.pdf").exists()
        assert not list(chooser.folder.glob(".hall-*"))
        assert audit(hall, AUDIT_UNMASK) == [] and audit(hall, AUDIT_REPRINT) == []
    finally:
        pane.shut()
        assert runner.shutdown(timeout=10)
