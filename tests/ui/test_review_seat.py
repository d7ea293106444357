"""The review seat by keyboard: a clean case is approved in three keys from the queue, a case
with failed checks is returned with its reasons, and the parties' re-upload lands back in
review. Uploads go through the real intake use case, with real JPEGs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedState
from console.db.models import Case, OutboxMessage
from console.hall.actor import Actor
from console.hall.intake import intake_submission
from console.hall.link import HallLink
from console.hall.queries import FilterKind
from console.hall.review import record_lookups
from console.settings import Settings
from console.views.main_window import MainWindow
from console.views.seat_session import SeatSession
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall
from tests.hall.uploads import OCCURRED, answers, collecting_case, full_set, submission

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


def state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as session:
        return str(session.scalar(select(Case.state).where(Case.id == case_id)))


def key(
    qtbot: QtBot,
    seat: SeatSession,
    k: Qt.Key,
    mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    target = QApplication.focusWidget() or seat.window
    qtbot.keyClick(target, k, mod)


def uploaded_case(hall: Hall, ext: str, *, lookups: bool = True, expired: bool = False) -> int:
    case_id, case_no = collecting_case(hall)
    intake_submission(hall.session_factory, submission(ext, full_set(ext), case_no=case_no))
    if lookups:
        until = OCCURRED.date() - timedelta(days=2) if expired else None
        record_lookups(
            hall.session_factory, case_id, answers("A", licence_until=until) + answers("B")
        )
    return case_id


def select_in_queue(qtbot: QtBot, seat: SeatSession, case_id: int) -> None:
    seat.queue.set_filter_kind(FilterKind.ALL)
    qtbot.waitUntil(lambda: seat.queue.select_case(case_id), timeout=5000)
    seat.queue.table.setFocus()


def test_a_clean_case_is_approved_in_three_keys_from_the_queue(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    case_id = uploaded_case(hall, "k1")
    seat = open_seat(hall["review"])
    assert seat.review is not None
    select_in_queue(qtbot, seat, case_id)
    key(qtbot, seat, Qt.Key.Key_Return)  # 1: open
    qtbot.waitUntil(
        lambda: (
            seat.review.panel.detail is not None and seat.review.panel.detail.case_id == case_id
        ),
        timeout=5000,
    )  # type: ignore[union-attr]
    key(qtbot, seat, Qt.Key.Key_Y)  # 2: photos legible, damage consistent
    assert (
        seat.review.panel.current_checklist is not None
        and seat.review.panel.current_checklist.clean
    )
    key(qtbot, seat, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 3: approve
    qtbot.waitUntil(lambda: state(hall, case_id) == "evacuated", timeout=5000)
    with hall.session_factory() as session:
        templates = [
            m.payload.get("template")
            for m in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "sms", OutboxMessage.case_id == case_id
                )
            )
        ]
    assert templates == ["evacuate"]
    # The photos were shown: seven tiles in the strip, the first in the viewer.
    qtbot.waitUntil(lambda: seat.review.photos.strip.list_widget.count() >= 7, timeout=5000)  # type: ignore[union-attr]


def test_failed_checks_are_returned_with_their_reasons_and_the_re_upload_comes_back(
    qtbot: QtBot, hall: Hall, open_seat: OpenSeat
) -> None:
    case_id = uploaded_case(hall, "k2", expired=True)
    seat = open_seat(hall["review"])
    desk = seat.review
    assert desk is not None
    select_in_queue(qtbot, seat, case_id)
    key(qtbot, seat, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: desk.panel.detail is not None and desk.panel.detail.case_id == case_id, timeout=5000
    )
    key(qtbot, seat, Qt.Key.Key_Y)
    checklist = desk.panel.current_checklist
    assert checklist is not None and not checklist.clean
    assert not desk.panel.approve_button.isEnabled()
    assert desk.panel.reasons.count() == 1 and "A方驾驶证" in desk.panel.reasons.item(0).text()
    key(qtbot, seat, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: state(hall, case_id) == "returned", timeout=5000)
    # The parties upload again (the same submission, a fresh licence record): back in review.
    intake_submission(hall.session_factory, submission("k2", full_set("k2b")))
    record_lookups(hall.session_factory, case_id, answers("A"))
    assert state(hall, case_id) == "under_review"
    qtbot.waitUntil(
        lambda: desk.panel.detail is not None and desk.panel.detail.state.value == "under_review",
        timeout=5000,
    )
    desk.panel.setFocus()
    key(qtbot, seat, Qt.Key.Key_Y)
    qtbot.waitUntil(
        lambda: desk.panel.current_checklist is not None and desk.panel.current_checklist.clean,
        timeout=5000,
    )
