"""The determination seat by keyboard, with the real letter renderer: take the task, find the
situation by pinyin initials, say who did it, confirm — the case is determined, the letter is a
real PDF with its number, and it opens in the console's viewer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedState
from console.db.models import Case, Letter, Party
from console.domain.lifecycle import CaseState
from console.hall.cameras import seed_demo_cameras
from console.hall.determination import letter_pdf
from console.hall.evidence import attach_snapshot
from console.hall.link import HallLink
from console.hall.queries import FilterKind
from console.settings import Settings
from console.views.main_window import MainWindow
from console.views.seat_session import SeatSession
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall, bulk_cases


@pytest.fixture
def seat(
    qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[Hall, SeatSession]]:
    hall = build_hall(session_factory)
    link = HallLink(engine, session_factory, "test database", demo=False)
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(threads=2)
    opened = SeatSession(
        hall["officer"], link, runner, window, Settings(), link_base="https://hall.example"
    )
    opened.start()
    window.show()
    qtbot.waitUntil(lambda: opened.bridge.status.state is FeedState.LIVE, timeout=10_000)
    try:
        yield hall, opened
    finally:
        opened.stop()
        assert runner.shutdown(timeout=5)
        window.allow_close()
        window.close()


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, k, mod)


def determine_by_keyboard(qtbot: QtBot, hall: Hall, session: SeatSession) -> int:
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    with hall.session_factory() as db, db.begin():
        db.execute(
            insert(Party),
            [
                {
                    "case_id": case_id,
                    "letter": "A",
                    "name": "王志强",
                    "phone": "13805461234",
                    "plate_no": "鲁E5K267",
                },
                {
                    "case_id": case_id,
                    "letter": "B",
                    "name": "李秀英",
                    "phone": "15966018877",
                    "plate_no": "鲁ED3M90",
                },
            ],
        )
    desk = session.determination
    assert desk is not None
    session.refresh([case_id])  # inserted in bulk, without an event for the feed to carry
    session.queue.set_filter_kind(FilterKind.ALL)
    qtbot.waitUntil(lambda: session.queue.select_case(case_id), timeout=5000)
    session.queue.table.setFocus()
    key(qtbot, Qt.Key.Key_F2)  # take the task
    qtbot.waitUntil(lambda: state(hall, case_id) == "determining", timeout=5000)
    qtbot.waitUntil(
        lambda: desk.panel.detail is not None and desk.panel.search.isEnabled(), timeout=5000
    )
    desk.panel.search.setFocus()
    qtbot.keyClicks(desk.panel.search, "zzqcwb")  # 追撞前车尾部
    assert desk.panel.results.currentItem() is not None
    assert "REAR_END" in desk.panel.results.currentItem().text()
    key(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is desk.panel.who
    key(qtbot, Qt.Key.Key_1)  # party A did it
    assert "全部" in desk.panel.grade_boxes["A"].currentText()
    assert "王志强" in desk.panel.narrative.toPlainText()
    assert desk.panel.confirm_button.isEnabled()
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(desk.panel.letter_button.isEnabled, timeout=10_000)
    return case_id


def test_an_officer_determines_by_keyboard_and_the_letter_opens(
    qtbot: QtBot, seat: tuple[Hall, SeatSession]
) -> None:
    hall, session = seat
    case_id = determine_by_keyboard(qtbot, hall, session)
    desk = session.determination
    assert desk is not None
    with hall.session_factory() as db:
        assert db.scalar(select(Case.state).where(Case.id == case_id)) == "determined"
        letter = db.scalars(select(Letter).where(Letter.case_id == case_id)).one()
    pdf = letter_pdf(hall.session_factory, letter.id)
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.letter_dialog is not None, timeout=5000)
    assert desk.letter_dialog is not None and desk.letter_dialog.document.pageCount() == 1
    desk.letter_dialog.close()


def test_an_objection_then_the_mediation_result_reissue_the_letter_by_keyboard(
    qtbot: QtBot, seat: tuple[Hall, SeatSession]
) -> None:
    hall, session = seat
    case_id = determine_by_keyboard(qtbot, hall, session)
    desk = session.determination
    assert desk is not None
    qtbot.waitUntil(desk.panel.objection_button.isEnabled, timeout=5000)
    assert not desk.panel.mediation_button.isEnabled(), "no objection yet"

    # The objection's save fails (someone changed the case meanwhile): the text is kept.
    key(qtbot, Qt.Key.Key_O, CTRL_SHIFT)
    qtbot.waitUntil(lambda: desk.entry_dialog is not None, timeout=5000)
    dialog = desk.entry_dialog
    assert dialog is not None
    dialog.editor.insertPlainText("乙方称甲方并未追尾")  # as an input method commits it
    with hall.session_factory() as db, db.begin():
        db.execute(update(Case).where(Case.id == case_id).values(version=Case.version + 1))
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: "changed by someone else" in desk.panel.message.text(),
        timeout=5000,
    )
    assert state(hall, case_id) == "determined"
    session.refresh([case_id])
    qtbot.waitUntil(
        lambda: (
            desk.panel.detail is not None and desk.panel.detail.version == version(hall, case_id)
        ),
        timeout=5000,
    )
    back_to_the_seat(qtbot, session)
    key(qtbot, Qt.Key.Key_O, CTRL_SHIFT)
    qtbot.waitUntil(lambda: desk.entry_dialog is not None, timeout=5000)
    dialog = desk.entry_dialog
    assert dialog is not None and dialog.text() == "乙方称甲方并未追尾", "nothing typed is lost"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: state(hall, case_id) == "disputed", timeout=5000)
    qtbot.waitUntil(desk.panel.mediation_button.isEnabled, timeout=5000)

    back_to_the_seat(qtbot, session)
    key(qtbot, Qt.Key.Key_M, CTRL_SHIFT)
    qtbot.waitUntil(lambda: desk.entry_dialog is not None, timeout=5000)
    dialog = desk.entry_dialog
    assert dialog is not None and dialog.text() == ""
    dialog.editor.insertPlainText("经调解，双方同意各自承担本车损失。")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: state(hall, case_id) == "determined", timeout=10_000)
    with hall.session_factory() as db:
        letters = db.execute(
            select(Letter.id, Letter.version, Letter.superseded_at.is_(None))
            .where(Letter.case_id == case_id)
            .order_by(Letter.version)
        ).all()
    assert [(v, live) for _, v, live in letters] == [(1, False), (2, True)]
    qtbot.waitUntil(lambda: "Mediation recorded" in desk.panel.message.text(), timeout=5000)
    back_to_the_seat(qtbot, session)
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.letter_dialog is not None, timeout=5000)
    assert desk.letter_dialog is not None
    shown = desk.letter_dialog.document
    assert "经调解" in "".join(shown.getAllText(p).text() for p in range(shown.pageCount()))
    desk.letter_dialog.close()


def test_the_pane_shows_the_place_with_the_nearest_cameras_and_the_kept_footage(
    qtbot: QtBot, seat: tuple[Hall, SeatSession]
) -> None:
    hall, session = seat
    seed_demo_cameras(hall.session_factory, lambda cid: (f"http://127.0.0.1:9/cam/{cid}", None))
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.AWAITING_DETERMINATION)
    with hall.session_factory() as db, db.begin():
        # 50 m north of the 西四路/南一路 crossing.
        db.execute(update(Case).where(Case.id == case_id).values(lat=37.44747, lon=118.47951))
    frame = QImage(64, 36, QImage.Format.Format_RGB32)
    frame.fill(0x336699)
    png = QBuffer()
    png.open(QIODevice.OpenModeFlag.WriteOnly)
    frame.save(png, "PNG")
    attach_snapshot(
        hall.session_factory,
        hall["patrol"],
        case_id,
        camera_id="37050200001320000001",
        png_bytes=bytes(png.data().data()),
        taken_at=datetime.now(UTC) - timedelta(minutes=3),
    )
    desk = session.determination
    assert desk is not None
    session.refresh([case_id])
    session.queue.set_filter_kind(FilterKind.ALL)
    qtbot.waitUntil(lambda: session.queue.select_case(case_id), timeout=5000)
    session.open_case(case_id)
    qtbot.waitUntil(lambda: desk.evidence_list.count() == 1, timeout=5000)
    assert "西四路与南一路路口 东向西" in desk.evidence_list.item(0).text()
    assert desk.place_map.message_text() is None, "the case has coordinates: a map, no excuse"
    east, north = desk.place_map.point_position("37050200001320000001")
    assert abs(east) < 10 and -60 < north < -40, "the crossing is 50 m south of the place"


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def back_to_the_seat(qtbot: QtBot, session: SeatSession) -> None:
    """The dialog closed: the officer is back in the seat's window, in the queue."""
    session.queue.table.window().activateWindow()
    session.queue.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)


def version(hall: Hall, case_id: int) -> int:
    with hall.session_factory() as db:
        return int(db.scalar(select(Case.version).where(Case.id == case_id)) or 0)


def state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as db:
        return str(db.scalar(select(Case.state).where(Case.id == case_id)))
