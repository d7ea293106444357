"""Undelivered messages by keyboard, on both databases: the main window's Ctrl+Shift+U opens the
list of dead outbox messages (newest first, numbers masked), R or Enter puts the selection back
in the queue — audited, due now — and wakes the outbox; F5 reloads; an empty list says so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import AuditLogEntry, OutboxMessage
from console.domain.lifecycle import CaseState
from console.hall import outbox
from console.hall.journal import enqueue_outbox, write
from console.views.dead_letters import (
    DeadLetterModel,
    DeadLettersDialog,
    kind_label,
    mask_phones,
    may_retry_dead_letters,
    shown_destination,
)
from console.views.main_window import MainWindow
from console.workers.tasks import TaskRunner
from tests.conftest import sqlite_only
from tests.hall.conftest import Hall, build_hall, bulk_cases

NOW = datetime(2026, 5, 3, 7, 0, tzinfo=UTC)


@dataclass
class Desk:
    hall: Hall
    window: MainWindow
    runner: TaskRunner
    wakes: list[int] = field(default_factory=list)

    @property
    def dialog(self) -> DeadLettersDialog:
        assert self.window.dead_letters is not None
        return self.window.dead_letters


@pytest.fixture
def desk(qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]) -> Iterator[Desk]:
    hall = build_hall(session_factory)
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(threads=2)
    opened = Desk(hall, window, runner)
    assert window.enable_dead_letters(
        hall["supervisor"],
        session_factory,
        runner,
        wake_outbox=lambda: opened.wakes.append(1),
    )
    window.show()
    qtbot.waitExposed(window)
    try:
        yield opened
    finally:
        window.clear_workspace()
        assert runner.shutdown(timeout=5)
        window.allow_close()
        window.close()


def dead(
    hall: Hall,
    kind: str,
    destination: str,
    *,
    minutes_ago: int,
    case_id: int | None = None,
    error: str = "HTTP 503 from the receiver",
) -> int:
    with write(hall.session_factory) as session:
        message = enqueue_outbox(
            session,
            kind=kind,
            destination=destination,
            payload={"case_no": "T00000000"},
            case_id=case_id,
            at=NOW - timedelta(minutes=minutes_ago),
        )
        session.flush()
        message_id = message.id
    assert outbox.mark_failed(hall.session_factory, message_id, error, permanent=True) == "dead"
    return message_id


def row(hall: Hall, message_id: int) -> OutboxMessage:
    with hall.session_factory() as session:
        found = session.get(OutboxMessage, message_id)
        assert found is not None
        session.expunge(found)
        return found


def press(
    qtbot: QtBot, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, mod)


def requeued_text(dialog: DeadLettersDialog, count: int) -> str:
    return dialog.tr("Requeued: {count}. The outbox sends them again now.").format(count=count)


def open_list(qtbot: QtBot, desk: Desk, rows: int) -> DeadLettersDialog:
    desk.window.activateWindow()
    desk.window.setFocus()
    qtbot.keyClick(desk.window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: desk.window.dead_letters is not None, timeout=5000)
    dialog = desk.dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == rows and not dialog._busy, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table, timeout=5000)
    return dialog


def test_r_requeues_the_selected_message_and_wakes_the_outbox(qtbot: QtBot, desk: Desk) -> None:
    hall = desk.hall
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.DETERMINED)
    sms = dead(
        hall,
        "sms",
        "13805461234,15966018877",
        minutes_ago=5,
        case_id=case_id,
        error="gateway refused 13805461234: blocked",
    )
    push = dead(hall, "insurer_push", "PICC", minutes_ago=30, case_id=case_id)
    dialog = open_list(qtbot, desk, rows=2)
    model = dialog.model

    assert model.ids() == [sms, push], "newest first"
    texts = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert texts[DeadLetterModel.KIND] == kind_label("sms")
    assert texts[DeadLetterModel.DESTINATION] == "•••••••1234, •••••••8877"
    assert texts[DeadLetterModel.CASE] == "T00000000"
    assert texts[DeadLetterModel.ATTEMPTS] == "1"
    assert texts[DeadLetterModel.ERROR] == "gateway refused •••••••1234: blocked"
    shown = " ".join(
        str(t) for r in range(2) for t in (model.data(model.index(r, c)) for c in range(6))
    )
    assert "13805461234" not in shown and "15966018877" not in shown
    assert model.data(model.index(1, DeadLetterModel.KIND)) == kind_label("insurer_push")

    assert dialog.selected_ids() == [sms], "the newest is selected, ready for R"
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: model.ids() == [push], timeout=5000)
    requeued = row(hall, sms)
    assert requeued.state == "pending" and requeued.attempts == 0
    assert row(hall, push).state == "dead"
    assert desk.wakes == [1]
    assert dialog.status.text() == requeued_text(dialog, 1)
    with hall.session_factory() as session:
        audit = session.scalars(select(AuditLogEntry)).one()
    assert audit.action == "outbox.retry" and audit.target == f"outbox:{sms}"
    assert audit.actor_id == hall["supervisor"].user_id and audit.position == "supervisor"
    assert dialog.selected_ids() == [push], "the next one is selected"

    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_enter_requeues_a_multi_selection_f5_reloads_and_an_empty_list_says_so(
    qtbot: QtBot, desk: Desk
) -> None:
    hall = desk.hall
    ids = [dead(hall, "submission_review", f"SUB-{n}", minutes_ago=10 + n) for n in range(3)]
    dialog = open_list(qtbot, desk, rows=3)
    assert dialog.model.ids() == ids
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.selected_ids() == ids[:2]
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.model.ids() == [ids[2]], timeout=5000)
    assert [row(hall, i).state for i in ids] == ["pending", "pending", "dead"]
    assert dialog.status.text() == requeued_text(dialog, 2)
    assert desk.wakes == [1]

    newer = dead(hall, "sms", "+8613912345678", minutes_ago=1)
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.model.ids() == [newer, ids[2]], timeout=5000)
    destination = dialog.model.data(dialog.model.index(0, DeadLetterModel.DESTINATION))
    assert destination == "••••••••••5678"
    assert dialog.selected_ids() == [ids[2]], "the selection survives a reload"

    dialog.table.selectAll()
    press(qtbot, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert dialog.pages.currentWidget() is dialog.empty
    assert outbox.dead_letters(hall.session_factory) == []
    assert desk.wakes == [1, 1]


def test_a_message_retried_elsewhere_first_leaves_the_list_without_a_wake(
    qtbot: QtBot, desk: Desk
) -> None:
    hall = desk.hall
    message_id = dead(hall, "insurer_push", "PAIC", minutes_ago=3)
    dialog = open_list(qtbot, desk, rows=1)
    assert outbox.retry_dead(hall.session_factory, message_id, hall["officer"])  # another seat
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert desk.wakes == []
    assert dialog.status.text() == requeued_text(dialog, 0) + " " + dialog.tr(
        "Already back in the queue (retried at another seat): {count}."
    ).format(count=1)


@sqlite_only
def test_only_seats_that_may_retry_get_the_menu(
    qtbot: QtBot, session_factory: sessionmaker[Session]
) -> None:
    hall = build_hall(session_factory)
    window = MainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(threads=1)
    try:
        assert not window.dead_letters_action.isEnabled()
        for name in ("reception", "review", "claims", "lookup", "patrol"):
            assert not may_retry_dead_letters(hall[name])
            assert not window.enable_dead_letters(hall[name], session_factory, runner)
            assert not window.tools_menu.menuAction().isVisible()
        assert window.enable_dead_letters(hall["officer"], session_factory, runner)
        assert window.dead_letters_action.isEnabled()
        assert window.dead_letters_action.shortcut().toString() == "Ctrl+Shift+U"
        window.clear_workspace()
        assert not window.dead_letters_action.isEnabled()
    finally:
        assert runner.shutdown(timeout=5)


def test_masking_keeps_the_last_four_digits_only() -> None:
    assert mask_phones("13805461234") == "•••••••1234"
    assert mask_phones("+86 13805461234") == "••• •••••••1234"
    assert mask_phones("call 0546-8321234 now") == "call ••••-•••1234 now"
    assert mask_phones("PICC") == "PICC"
    assert mask_phones("HTTP 503 at 2026-05-03 07:00:00") == "HTTP 503 at 2026-05-03 07:00:00"
    assert mask_phones("policy PDZA2026370500") == "policy PDZA2026370500", "not a phone"
    letter = outbox.DeadLetter(1, "sms", "13805461234,15966018877", 12, None, None, NOW)
    assert shown_destination(letter) == "•••••••1234, •••••••8877"


def test_the_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = DeadLetterModel()
    letters = [
        outbox.DeadLetter(
            n, "sms", "13805461234", n, f"error {n}", "T1", NOW - timedelta(minutes=n)
        )
        for n in range(1, 6)
    ]
    model.set_letters(letters)
    qtmodeltester.check(model, force_py=True)
    model.set_letters([letters[0], letters[2], letters[4]])
    assert model.ids() == [1, 3, 5]
    model.set_letters(letters)
    assert model.ids() == [1, 2, 3, 4, 5]
    model.remove_ids([2, 3, 5])
    assert model.ids() == [1, 4]
    qtmodeltester.check(model, force_py=True)


def test_an_unreachable_database_is_said_in_the_status_line_and_f5_tries_again(
    qtbot: QtBot,
) -> None:
    from console.db.engine import DatabaseUnavailable
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.views.messages import describe_error

    down = DatabaseUnavailable("connection refused", url="postgresql://hall")

    def unreachable() -> Session:
        raise down

    runner = TaskRunner(threads=1)
    actor = Actor(1, "陈值班长", Position.SUPERVISOR, "seat-01")
    dialog = DeadLettersDialog(actor, unreachable, runner)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    try:
        dialog.open_and_load()
        qtbot.waitUntil(lambda: dialog.status.text() == describe_error(down), timeout=5000)
        assert dialog.pages.currentWidget() is dialog.table, "not 'no messages': unknown"
        assert dialog.reload_action.isEnabled() and not dialog.retry_action.isEnabled()
        press(qtbot, Qt.Key.Key_F5)
        assert dialog.status.text() == dialog.tr("Loading…")
        qtbot.waitUntil(lambda: dialog.status.text() == describe_error(down), timeout=5000)
    finally:
        dialog.shut()
        assert runner.shutdown(timeout=5)
