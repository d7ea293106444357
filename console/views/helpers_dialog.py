"""Citizen helpers (Tools menu, lookup and supervisor seats): register a helper, link the open
case to a helper, the month's reward ledger, its payment sheet (CSV) and closing the month.

Every database call and the file write run on the task runner; the dialog only shows results.
Keys: Alt+N / Alt+P / Alt+I fill the form and Enter registers; Alt+C the case number and Enter
links it to the selected helper; Alt+M the month (arrow keys step it); F5 reloads; Alt+X exports
the payment sheet; Alt+O closes the month. Phone and ID numbers are shown masked but their last
four digits (the list is read at a hall screen); the sheet carries them in full and is audited.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.domain.errors import RuleViolation
from console.domain.helper_rewards import Month, month_of
from console.hall import helpers
from console.hall.actor import Actor
from console.hall.journal import SessionFactory
from console.hall.link import HallLink
from console.views.dead_letters import mask_number
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

OBJECT_NAME: Final = "helpers_dialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate("HelpersDialog", text)


# ---------------------------------------------------------------- worker side


@dataclass(frozen=True, slots=True)
class SheetWritten:
    path: str
    size: int


def export_to_file(
    session_factory: SessionFactory, actor: Actor, month: str, path: str
) -> SheetWritten:
    """Worker side: the audited payment sheet, written next to its target and moved into place,
    so a half-written sheet never sits where finance will pick it up."""
    data = helpers.export_ledger_csv(session_factory, actor, month)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".helpers-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return SheetWritten(str(target), len(data))


def link_and_reload(
    session_factory: SessionFactory, actor: Actor, helper_id: int, case_no: str, month: str
) -> tuple[helpers.HelperLinked, helpers.Ledger]:
    """Worker side: link, then the shown month's ledger, which the link may have changed."""
    linked = helpers.link_helper_to_case(session_factory, actor, helper_id, case_no)
    return linked, helpers.monthly_ledger(session_factory, actor, month)


def close_and_reload(
    session_factory: SessionFactory, actor: Actor, month: str
) -> tuple[helpers.MonthClosed, helpers.Ledger]:
    closed = helpers.close_month(session_factory, actor, month)
    return closed, helpers.monthly_ledger(session_factory, actor, month)


# ---------------------------------------------------------------- the models


class HelperListModel(QAbstractTableModel):
    """Registered helpers by id over a row cache, in the order the use case gives (by name)."""

    NAME, PHONE, ID_NUMBER, REGISTERED = range(4)
    IdRole: Final = int(Qt.ItemDataRole.UserRole) + 1

    _HEADERS = (
        QT_TRANSLATE_NOOP("HelpersDialog", "Name"),
        QT_TRANSLATE_NOOP("HelpersDialog", "Mobile"),
        QT_TRANSLATE_NOOP("HelpersDialog", "ID number"),
        QT_TRANSLATE_NOOP("HelpersDialog", "Registered"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[helpers.HelperRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(self._HEADERS):
            return _tr(str(self._HEADERS[section]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == self.IdRole:
            return row.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.NAME:
            return row.name
        if column == self.PHONE:
            return mask_number(row.phone)
        if column == self.ID_NUMBER:
            return mask_number(row.id_number) if row.id_number else "—"
        if column == self.REGISTERED:
            return f"{to_local(row.registered_at):%Y-%m-%d}"
        return None

    def helper(self, row: int) -> helpers.HelperRow:
        return self._rows[row]

    def row_of(self, helper_id: int) -> int | None:
        return next((r for r, h in enumerate(self._rows) if h.id == helper_id), None)

    def set_helpers(self, rows: Sequence[helpers.HelperRow]) -> None:
        """Merge a fresh list (by name) into the rows shown, without a reset."""
        wanted = {h.id for h in rows}
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        for row, helper in enumerate(rows):
            if row < len(self._rows) and self._rows[row].id == helper.id:
                if self._rows[row] != helper:
                    self._rows[row] = helper
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, self.columnCount() - 1)
                    )
                continue
            existing = self.row_of(helper.id)
            if existing is not None:  # moved (renamed elsewhere): take it out first
                self.beginRemoveRows(QModelIndex(), existing, existing)
                del self._rows[existing]
                self.endRemoveRows()
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, helper)
            self.endInsertRows()

    def add(self, helper: helpers.HelperRow) -> int:
        """A helper just registered here, in name order; returns its row."""
        row = next(
            (r for r, h in enumerate(self._rows) if (h.name, h.id) > (helper.name, helper.id)),
            len(self._rows),
        )
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, helper)
        self.endInsertRows()
        return row


class LedgerModel(QAbstractTableModel):
    """The month's ledger lines; replaced as a whole when another month is shown."""

    NAME, PHONE, CASES, AMOUNT = range(4)

    _HEADERS = (
        QT_TRANSLATE_NOOP("HelpersDialog", "Helper"),
        QT_TRANSLATE_NOOP("HelpersDialog", "Mobile"),
        QT_TRANSLATE_NOOP("HelpersDialog", "Counted cases"),
        QT_TRANSLATE_NOOP("HelpersDialog", "Reward (yuan)"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: helpers.Ledger | None = None

    @property
    def _rows(self) -> tuple[helpers.LedgerRow, ...]:
        return self.ledger.rows if self.ledger is not None else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(self._HEADERS):
            return _tr(str(self._HEADERS[section]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._rows
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        row = rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.CASES, self.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.NAME:
            return row.name
        if column == self.PHONE:
            return mask_number(row.phone)
        if column == self.CASES:
            return str(row.cases)
        if column == self.AMOUNT:
            return str(row.amount)
        return None

    def set_ledger(self, ledger: helpers.Ledger) -> None:
        old = self._rows
        same_lines = [r.helper_id for r in old] == [r.helper_id for r in ledger.rows]
        if self.ledger is not None and self.ledger.month == ledger.month and same_lines:
            # Same month, same helpers: the lines change in place.
            self.ledger = ledger
            if old:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(old) - 1, self.columnCount() - 1)
                )
            return
        # Another month is another table: a reset is the honest signal here.
        self.beginResetModel()
        self.ledger = ledger
        self.endResetModel()


# ---------------------------------------------------------------- the dialog


def _month_of_date(value: QDate) -> Month:
    return Month(value.year(), value.month())


class HelpersDialog(QDialog):
    """The helper scheme at one seat. `case_no` pre-fills the case to link (the seat's open
    case)."""

    def __init__(
        self,
        actor: Actor,
        session_factory: SessionFactory,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle(self.tr("Citizen helpers"))
        self.resize(980, 640)
        self.actor = actor
        self._session_factory = session_factory
        self.runner = runner
        self._now = now
        self._alive = True
        self._busy = 0

        # -- register
        self.name = QLineEdit()
        self.name.setObjectName("helper_name")
        self.name.setMaxLength(64)
        self.phone = QLineEdit()
        self.phone.setObjectName("helper_phone")
        self.phone.setMaxLength(24)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("helper_id_number")
        self.id_number.setMaxLength(24)
        self.register_button = QPushButton(self.tr("&Register"))
        self.register_button.setObjectName("register_helper")
        self.register_button.clicked.connect(self.register)
        form = QFormLayout()
        for label, field in (
            (self.tr("&Name:"), self.name),
            (self.tr("&Phone:"), self.phone),
            (self.tr("&ID number:"), self.id_number),
        ):
            field.returnPressed.connect(self.register)
            form.addRow(label, field)
        form.addRow("", self.register_button)
        register_box = QGroupBox(self.tr("Register a helper"))
        register_box.setLayout(form)

        # -- helpers and linking
        self.helper_model = HelperListModel(self)
        self.helper_table = self._table("helpers_table", self.helper_model)
        self.case_no = QLineEdit()
        self.case_no.setObjectName("link_case_no")
        self.case_no.setMaxLength(32)
        self.case_no.returnPressed.connect(self.link_case)
        case_label = QLabel(self.tr("&Case number:"))
        case_label.setBuddy(self.case_no)
        self.link_button = QPushButton(self.tr("&Link to the selected helper"))
        self.link_button.setObjectName("link_helper")
        self.link_button.clicked.connect(self.link_case)
        link_row = QHBoxLayout()
        link_row.addWidget(case_label)
        link_row.addWidget(self.case_no, 1)
        link_row.addWidget(self.link_button)
        helpers_box = QGroupBox(self.tr("Helpers"))
        helpers_column = QVBoxLayout(helpers_box)
        helpers_column.addWidget(self.helper_table, 1)
        helpers_column.addLayout(link_row)

        # -- ledger
        self.month = QDateEdit()
        self.month.setObjectName("ledger_month")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCurrentSection(QDateEdit.Section.MonthSection)
        today = to_local(self._now()).date()
        self.month.setDate(QDate(today.year, today.month, 1))
        self.month.dateChanged.connect(self._month_changed)
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month)
        self.ledger_model = LedgerModel(self)
        self.ledger_table = self._table("ledger_table", self.ledger_model)
        self.totals = QLabel()
        self.totals.setObjectName("ledger_totals")
        self.export_button = QPushButton(self.tr("E&xport CSV…"))
        self.export_button.setObjectName("export_ledger")
        self.export_button.clicked.connect(self.export_csv)
        self.close_month_button = QPushButton(self.tr("Close the m&onth…"))
        self.close_month_button.setObjectName("close_month")
        self.close_month_button.clicked.connect(self.close_month)
        month_row = QHBoxLayout()
        month_row.addWidget(month_label)
        month_row.addWidget(self.month)
        month_row.addStretch(1)
        month_row.addWidget(self.export_button)
        month_row.addWidget(self.close_month_button)
        ledger_box = QGroupBox(self.tr("Monthly reward ledger"))
        ledger_column = QVBoxLayout(ledger_box)
        ledger_column.addLayout(month_row)
        ledger_column.addWidget(self.ledger_table, 1)
        ledger_column.addWidget(self.totals)

        # -- status and keys
        self.status = QLabel()
        self.status.setObjectName("helpers_status")
        self.status.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        for button in (
            self.register_button,
            self.link_button,
            self.export_button,
            self.close_month_button,
            self.close_button,
        ):
            # Enter belongs to the field it is typed in, never to a default button.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.reload_action = QAction(self.tr("Reload"), self)
        self.reload_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reload_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reload_action.triggered.connect(self.reload)
        self.addAction(self.reload_action)

        top = QHBoxLayout()
        top.addWidget(register_box, 2)
        top.addWidget(helpers_box, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(ledger_box, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.name, self.phone)
        self.setTabOrder(self.phone, self.id_number)
        self.setTabOrder(self.id_number, self.register_button)
        self.setTabOrder(self.register_button, self.helper_table)
        self.setTabOrder(self.helper_table, self.case_no)
        self.setTabOrder(self.case_no, self.link_button)
        self.setTabOrder(self.link_button, self.month)
        self.setTabOrder(self.month, self.ledger_table)
        self.setTabOrder(self.ledger_table, self.export_button)
        self.setTabOrder(self.export_button, self.close_month_button)
        self.helper_table.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    def _table(self, name: str, model: QAbstractTableModel) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return table

    # -- life -------------------------------------------------------------------------------
    def open_and_load(self, case_no: str | None = None) -> None:
        if case_no:
            self.case_no.setText(case_no)
        if self.isVisible():
            self.raise_()
            self.activateWindow()
        else:
            self.show()
        self.name.setFocus()
        self.reload()

    def shut(self) -> None:
        """The seat is going: results still in flight are dropped."""
        self._alive = False
        self.close()

    @property
    def alive(self) -> bool:
        return self._alive

    def shown_month(self) -> str:
        return str(_month_of_date(self.month.date()))

    def set_month(self, month: date | Month) -> None:
        self.month.setDate(QDate(month.year, month.month, 1))

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        if not self._alive:
            return
        self._submit(
            helpers.list_helpers,
            self._session_factory,
            self.actor,
            on_done=self._helpers_loaded,
        )
        self._load_ledger()

    def _load_ledger(self) -> None:
        self._submit(
            helpers.monthly_ledger,
            self._session_factory,
            self.actor,
            self.shown_month(),
            on_done=self._ledger_loaded,
        )

    def _helpers_loaded(self, rows: list[helpers.HelperRow]) -> None:
        selected = self.selected_helper_id()
        self.helper_model.set_helpers(rows)
        # No helper is picked for the user: Enter in the case field must never link a case to
        # whoever happened to be first in the list.
        if selected is not None:
            self._select_helper(selected)

    def _ledger_loaded(self, ledger: helpers.Ledger) -> None:
        if ledger.month != self.shown_month():
            return  # the user moved on to another month meanwhile
        self.ledger_model.set_ledger(ledger)
        if ledger.closed_at is not None:
            state = self.tr("closed on {date}").format(
                date=f"{to_local(ledger.closed_at):%Y-%m-%d %H:%M}"
            )
        else:
            state = self.tr("open: figures may still change")
        self.totals.setText(
            self.tr(
                "{month}: {helpers} helpers, {cases} counted cases, {amount} yuan ({state})"
            ).format(
                month=ledger.month,
                helpers=len(ledger.rows),
                cases=ledger.total_cases,
                amount=ledger.total_amount,
                state=state,
            )
        )
        self._update_actions()

    def _month_changed(self, _value: QDate) -> None:
        self._update_actions()
        self._load_ledger()

    # -- registering ------------------------------------------------------------------------
    def register(self) -> None:
        if not self._alive:
            return
        self.status.setText(self.tr("Registering…"))
        self._submit(
            helpers.register_helper,
            self._session_factory,
            self.actor,
            name=self.name.text(),
            phone=self.phone.text(),
            id_number=self.id_number.text(),
            on_done=self._registered,
            on_failed=self._register_failed,
        )

    def _registered(self, outcome: helpers.HelperRegistered) -> None:
        helper = outcome.helper
        row = self.helper_model.row_of(helper.id)
        if row is None:
            row = self.helper_model.add(helper)
        self.helper_table.selectRow(row)
        for field in (self.name, self.phone, self.id_number):
            field.clear()
        self.status.setText(
            self.tr("Registered {name} ({phone}).").format(
                name=helper.name, phone=mask_number(helper.phone)
            )
        )
        # The next step is linking the open case to the new helper.
        self.case_no.setFocus()
        self.case_no.selectAll()

    def _register_failed(self, error: BaseException) -> None:
        self._failed(error)
        code = error.code if isinstance(error, RuleViolation) else ""
        if code.startswith("mobile.") or code == "helper.phone_taken":
            self.phone.setFocus()
            self.phone.selectAll()
        elif code.startswith("id."):
            self.id_number.setFocus()
            self.id_number.selectAll()
        elif code in ("helper.name_empty", "helper.name_too_long"):
            self.name.setFocus()

    # -- linking ----------------------------------------------------------------------------
    def selected_helper_id(self) -> int | None:
        rows = self.helper_table.selectionModel().selectedRows()
        return self.helper_model.helper(rows[0].row()).id if rows else None

    def _select_helper(self, helper_id: int) -> None:
        row = self.helper_model.row_of(helper_id)
        if row is not None:
            self.helper_table.selectRow(row)

    def link_case(self) -> None:
        helper_id = self.selected_helper_id()
        if not self._alive:
            return
        if helper_id is None:
            self.status.setText(self.tr("Select the helper in the list first."))
            self.helper_table.setFocus()
            return
        case_no = self.case_no.text().strip()
        if not case_no:
            self.status.setText(self.tr("Type the case number to link."))
            self.case_no.setFocus()
            return
        self.status.setText(self.tr("Linking…"))
        self._submit(
            link_and_reload,
            self._session_factory,
            self.actor,
            helper_id,
            case_no,
            self.shown_month(),
            on_done=self._linked,
        )

    def _linked(self, outcome: tuple[helpers.HelperLinked, helpers.Ledger]) -> None:
        linked, ledger = outcome
        row = self.helper_model.row_of(linked.helper_id)
        name = self.helper_model.helper(row).name if row is not None else ""
        if linked.linked:
            text = self.tr("Case {case_no} linked to {name}.")
        else:
            text = self.tr("Case {case_no} was already linked to {name}; nothing changed.")
        self.status.setText(text.format(case_no=linked.case_no, name=name))
        self.case_no.selectAll()
        self._ledger_loaded(ledger)

    # -- the month --------------------------------------------------------------------------
    def export_csv(self) -> None:
        if not self._alive:
            return
        month = self.shown_month()
        suggested = str(Path.home() / f"helper-rewards-{month}.csv")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the payment sheet"),
            suggested,
            self.tr("CSV files (*.csv)"),
        )
        if not path:
            return
        self.status.setText(self.tr("Exporting…"))
        self._submit(
            export_to_file,
            self._session_factory,
            self.actor,
            month,
            path,
            on_done=self._exported,
            on_failed=self._export_failed,
        )

    def _exported(self, written: SheetWritten) -> None:
        self.status.setText(self.tr("Payment sheet written: {path}").format(path=written.path))

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.status.setText(
                self.tr("The payment sheet could not be written: {detail}").format(detail=error)
            )
        else:
            self._failed(error)

    def close_month(self) -> None:
        if not self._alive:
            return
        month = self.shown_month()
        if not self.confirm_close(month):
            return
        self.status.setText(self.tr("Closing {month}…").format(month=month))
        self._submit(
            close_and_reload,
            self._session_factory,
            self.actor,
            month,
            on_done=self._month_closed,
        )

    def confirm_close(self, month: str) -> bool:
        """Closing is for good: the month's rewards are fixed as they stand now."""
        answer = QMessageBox.question(
            self,
            self.tr("Close the month"),
            self.tr(
                "Fix the rewards of {month} for payment? Cases determined in {month} and "
                "linked later will not be paid."
            ).format(month=month),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _month_closed(self, outcome: tuple[helpers.MonthClosed, helpers.Ledger]) -> None:
        closed, ledger = outcome
        if closed.already_closed:
            text = self.tr("{month} was closed already; nothing changed.")
        elif closed.written == 0:
            text = self.tr("Nobody earned a reward in {month}; nothing was written.")
        else:
            text = self.tr("{month} closed: {amount} yuan for {helpers} helpers.")
        self.status.setText(
            text.format(month=closed.month, amount=closed.total_amount, helpers=closed.written)
        )
        self._ledger_loaded(ledger)

    # -- shared -----------------------------------------------------------------------------
    def _submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self._busy += 1
        self._update_actions()

        def done(value: Any) -> None:
            self._busy -= 1
            if self._alive:
                self._update_actions()
                on_done(value)

        def failed(error: BaseException) -> None:
            self._busy -= 1
            if self._alive:
                self._update_actions()
                (on_failed or self._failed)(error)

        self.runner.submit(fn, *args, on_done=done, on_failed=failed, **kwargs)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe_error(error))

    def _update_actions(self, *_args: object) -> None:
        idle = self._busy == 0
        self.register_button.setEnabled(idle)
        self.link_button.setEnabled(idle and self.helper_table.selectionModel().hasSelection())
        ledger = self.ledger_model.ledger
        shown = ledger is not None and ledger.month == self.shown_month()
        self.export_button.setEnabled(idle and shown)
        over = _month_of_date(self.month.date()) < month_of(self._now())
        self.close_month_button.setEnabled(
            idle and shown and over and ledger is not None and not ledger.closed
        )


# ---------------------------------------------------------------- for the main window


def may_open_helpers(actor: Actor) -> bool:
    """Who gets Tools → Citizen helpers: the lookup seat and the supervisor."""
    return helpers.may_manage_helpers(actor)


def open_helpers_dialog(
    window: QWidget,
    actor: Actor,
    link: HallLink,
    runner: TaskRunner,
    *,
    case_no: str | None = None,
) -> HelpersDialog | None:
    """Open (or raise) the window's helpers dialog; `case_no` pre-fills the case to link.
    None, opening nothing, for a position that may not manage helpers."""
    if not may_open_helpers(actor):
        return None
    dialog = window.findChild(HelpersDialog, OBJECT_NAME)
    if dialog is not None and (dialog.actor != actor or not dialog.alive):
        dialog.shut()
        dialog.setObjectName("")  # deleted later; never found again
        dialog.deleteLater()
        dialog = None
    if dialog is None:
        dialog = HelpersDialog(actor, link.session_factory, runner, window)
    dialog.open_and_load(case_no)
    return dialog


def close_helpers_dialog(window: QWidget) -> None:
    """On sign-out: drop the dialog and whatever it still waits for."""
    dialog = window.findChild(HelpersDialog, OBJECT_NAME)
    if dialog is not None:
        dialog.shut()
        dialog.setObjectName("")
        dialog.deleteLater()
