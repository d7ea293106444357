"""Citizen helpers by keyboard, on both databases: register a helper, link two determined cases,
the month's ledger shows 100 yuan, the payment sheet is a CSV with a BOM and the amount, and
the month closes once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import AuditLogEntry, Case, CaseHelper, Determination, HelperReward
from console.domain.helper_rewards import Month
from console.domain.lifecycle import CaseState
from console.domain.validation import id_check_digit
from console.hall.link import HallLink
from console.views import helpers_dialog
from console.views.helpers_dialog import (
    HelpersDialog,
    close_helpers_dialog,
    open_helpers_dialog,
)
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall, bulk_cases
from tests.ui.keyboard import type_text

MONTH = Month(2025, 3)
DETERMINED_AT = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
ID_FIRST17 = "37050219800101001"


@dataclass
class Desk:
    hall: Hall
    window: QMainWindow
    runner: TaskRunner
    link: HallLink
    case_nos: list[str]


def determined_cases(hall: Hall, n: int) -> list[str]:
    ids = bulk_cases(hall.session_factory, n, CaseState.DETERMINED)
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
                    "determined_at": DETERMINED_AT + timedelta(minutes=i),
                }
                for i, case_id in enumerate(ids)
            ],
        )
        return list(session.scalars(select(Case.case_no).where(Case.id.in_(ids)).order_by(Case.id)))


@pytest.fixture
def desk(qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]) -> Iterator[Desk]:
    hall = build_hall(session_factory)
    case_nos = determined_cases(hall, 2)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    runner = TaskRunner(threads=2)
    link = HallLink(engine, session_factory, "test", demo=False)
    try:
        yield Desk(hall, window, runner, link, case_nos)
    finally:
        close_helpers_dialog(window)
        assert runner.shutdown(timeout=5)


def open_dialog(qtbot: QtBot, desk: Desk, who: str = "lookup") -> HelpersDialog:
    dialog = open_helpers_dialog(desk.window, desk.hall[who], desk.link, desk.runner)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: desk.runner.pending() == 0)
    return dialog


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def test_register_link_ledger_export_and_close_by_keyboard(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(qtbot, desk)
    ModelTester(qtbot).check(dialog.helper_model)
    ModelTester(qtbot).check(dialog.ledger_model)
    assert dialog.helper_model.rowCount() == 0
    assert dialog.name.hasFocus()

    # Register by keyboard: the name through the input method, Tab, digits, Tab, Enter.
    type_text(qtbot, dialog.name, "刘热心")
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.phone.hasFocus()
    qtbot.keyClicks(dialog.phone, "13805461234")
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.id_number.hasFocus()
    qtbot.keyClicks(dialog.id_number, ID_FIRST17 + id_check_digit(ID_FIRST17))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.helper_model.rowCount() == 1)
    assert dialog.status.text() == "Registered 刘热心 (•••••••1234)."
    assert dialog.name.text() == dialog.phone.text() == dialog.id_number.text() == ""
    assert dialog.selected_helper_id() == dialog.helper_model.helper(0).id
    assert dialog.case_no.hasFocus()  # next: link the open case

    # Link two cases: type the number, Enter.
    for case_no in desk.case_nos:
        dialog.case_no.selectAll()
        qtbot.keyClicks(dialog.case_no, case_no)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=case_no: n in dialog.status.text())
        assert "linked" in dialog.status.text()
    with desk.hall.session_factory() as session:
        assert len(session.scalars(select(CaseHelper)).all()) == 2

    # The month's ledger: 2 counted cases, 100 yuan.
    dialog.month.setFocus()
    dialog.set_month(MONTH)
    qtbot.waitUntil(lambda: dialog.ledger_model.rowCount() == 1)
    amount = dialog.ledger_model.index(0, dialog.ledger_model.AMOUNT).data()
    cases = dialog.ledger_model.index(0, dialog.ledger_model.CASES).data()
    assert (cases, amount) == ("2", "100")
    assert dialog.totals.text().startswith("2025-03: 1 helpers, 2 counted cases, 100 yuan")
    assert "open" in dialog.totals.text()
    assert dialog.export_button.isEnabled()
    assert dialog.close_month_button.isEnabled()

    # Export: Alt+X, the save dialog answers with a path, the runner writes the sheet.
    target = tmp_path / "sheet.csv"
    asked: list[str] = []

    class SaveDialog:
        @staticmethod
        def getSaveFileName(*args: Any) -> tuple[str, str]:
            asked.append(str(args[2]))
            return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(helpers_dialog, "QFileDialog", SaveDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: target.exists() and "written" in dialog.status.text())
    assert asked[0].endswith("helper-rewards-2025-03.csv")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][-1] == "奖励金额（元）"
    assert rows[1][:3] == ["2025-03", "刘热心", "13805461234"]
    assert rows[1][-2:] == ["2", "100"]
    assert not list(tmp_path.glob(".helpers-*"))  # no temporary left behind

    # Close the month (confirmed); a closed month offers no second close.
    monkeypatch.setattr(HelpersDialog, "confirm_close", lambda self, month: True)
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "closed:" in dialog.status.text())
    assert dialog.status.text() == "2025-03 closed: 100 yuan for 1 helpers."
    assert "closed on" in dialog.totals.text()
    assert not dialog.close_month_button.isEnabled()
    with desk.hall.session_factory() as session:
        rewards = [(r.month, r.cases, r.amount) for r in session.scalars(select(HelperReward))]
        actions = sorted(session.scalars(select(AuditLogEntry.action)))
    assert rewards == [("2025-03", 2, 100)]
    assert actions == ["helper_ledger_exported", "helper_month_closed", "helper_registered"]


def test_refusals_show_in_the_status_and_focus_the_field(qtbot: QtBot, desk: Desk) -> None:
    dialog = open_dialog(qtbot, desk, "supervisor")
    dialog.case_no.setText(desk.case_nos[0])
    dialog.case_no.setFocus()
    press(qtbot, Qt.Key.Key_Return)  # no helper selected: nothing is linked to anyone
    assert dialog.status.text() == "Select the helper in the list first."
    assert dialog.helper_table.hasFocus()
    dialog.name.setText("刘热心")
    qtbot.keyClicks(dialog.phone, "1380546")
    qtbot.keyClicks(dialog.id_number, ID_FIRST17 + id_check_digit(ID_FIRST17))
    dialog.id_number.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.runner.pending() == 0)
    assert "7 digits; 11 are required" in dialog.status.text()
    assert dialog.phone.hasFocus()
    assert dialog.helper_model.rowCount() == 0

    dialog.phone.setText("13805461234")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.helper_model.rowCount() == 1)
    dialog.case_no.setText("T99999999")
    dialog.case_no.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.runner.pending() == 0)
    assert "T99999999" in dialog.status.text()


def test_only_lookup_and_supervisor_get_the_dialog(desk: Desk) -> None:
    for who in ("reception", "officer", "claims", "patrol"):
        assert open_helpers_dialog(desk.window, desk.hall[who], desk.link, desk.runner) is None
    assert desk.window.findChild(HelpersDialog) is None


def test_the_open_case_is_prefilled_and_the_dialog_is_reused(qtbot: QtBot, desk: Desk) -> None:
    first = open_helpers_dialog(
        desk.window, desk.hall["lookup"], desk.link, desk.runner, case_no=desk.case_nos[0]
    )
    assert first is not None
    assert first.case_no.text() == desk.case_nos[0]
    again = open_helpers_dialog(desk.window, desk.hall["lookup"], desk.link, desk.runner)
    assert again is first
    other = open_helpers_dialog(desk.window, desk.hall["supervisor"], desk.link, desk.runner)
    assert other is not None and other is not first
    assert not first.alive
    qtbot.waitUntil(lambda: desk.runner.pending() == 0)
