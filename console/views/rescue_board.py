"""The rescue seat's two lists: the rescue requests with their arrival timers, and the units
with their state and how long they have been in it; and a unit's log of moves.

Both are small (tens of rows): a reload replaces the rows and keeps the row the user is on by
its id. The timers repaint once a second from the desk's clock, one column only; the colour
of a timer is the domain's answer (`RescuePolicy.timer`), not a rule of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.domain.rescue import (
    DEFAULT_RESCUE_POLICY,
    OPEN_TASK_STATES,
    RescuePolicy,
    TaskState,
    UnitState,
)
from console.hall.rescue import TaskRow, UnitLogRow, UnitRow
from console.views.labels import task_state_label, unit_state_label, unit_type_label

__all__ = ["RescueTasksModel", "RescueUnitsModel", "UnitLogDialog", "clock_text"]

_Index = QModelIndex | QPersistentModelIndex
_RED: Final = QBrush(QColor("#c62828"))
_GREEN: Final = QBrush(QColor("#2e7d32"))
_MUTED: Final = QBrush(QColor("#757575"))
_AMBER_BG: Final = QBrush(QColor("#fff3e0"))


_URGENCY: Final = {TaskState.REQUESTED: 0, TaskState.ASSIGNED: 1, TaskState.ARRIVED: 2}


def clock_text(span: timedelta) -> str:
    """A span as the hall's timers show it: 07:05, or 1:07:05 past an hour."""
    seconds = int(abs(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes:02}:{seconds:02}"


class RescueTasksModel(QAbstractTableModel):
    """Requests still waiting for a unit on top, then those with a unit on its way, then on
    scene, each oldest first (the longest wait leads); then the ones finished or cancelled in
    the last hours, as the hall lists them."""

    COLUMNS: Final = ("id", "case", "place", "vehicle", "state", "unit", "timer")
    TIMER: Final = COLUMNS.index("timer")

    def __init__(self, policy: RescuePolicy = DEFAULT_RESCUE_POLICY) -> None:
        super().__init__()
        self.policy = policy
        self._rows: list[TaskRow] = []
        self._now: datetime | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[TaskRow], now: datetime) -> None:
        self.beginResetModel()
        # sorted() is stable: the closed ones keep the hall's order (newest first).
        self._rows = sorted(rows, key=lambda t: _URGENCY.get(t.state, len(_URGENCY)))
        self._now = now
        self.endResetModel()

    def tick(self, now: datetime) -> None:
        self._now = now
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.TIMER),
                self.index(len(self._rows) - 1, self.TIMER),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )

    def task(self, row: int) -> TaskRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, task_id: int) -> int | None:
        return next((n for n, t in enumerate(self._rows) if t.id == task_id), None)

    def tasks(self) -> list[TaskRow]:
        return list(self._rows)

    def timer_text(self, task: TaskRow) -> str:
        """What the timer column says for `task` at the model's clock."""
        text, _ = self._timer(task)
        return text

    def overdue(self, task: TaskRow) -> bool:
        return self._timer(task)[1]

    def _timer(self, task: TaskRow) -> tuple[str, bool]:
        if task.state is TaskState.CANCELLED:
            return self.tr("cancelled"), False
        now = self._now or task.requested_at
        timer = self.policy.timer(task.requested_at, task.arrived_at, now)
        if timer.arrived:
            return self.tr("arrived after {time}").format(time=clock_text(timer.elapsed)), (
                timer.overdue
            )
        if timer.overdue:
            return self.tr("{time} over target").format(time=clock_text(timer.remaining)), True
        return self.tr("{time} left").format(time=clock_text(timer.remaining)), False

    # -- Qt --------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("No."),
            self.tr("Case"),
            self.tr("Place"),
            self.tr("Vehicle"),
            self.tr("State"),
            self.tr("Unit"),
            self.tr("Arrival"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        task = self.task(index.row())
        if task is None:
            return None
        column = self.COLUMNS[index.column()]
        open_ = task.state in OPEN_TASK_STATES
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(task, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(task)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "timer" and (open_ or task.arrived_at is not None):
                return _RED if self._timer(task)[1] else _GREEN
            return None if open_ else _MUTED
        if role == Qt.ItemDataRole.BackgroundRole:
            return _AMBER_BG if open_ and task.lane_blocked else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if task.state is TaskState.REQUESTED else None
        if role == Qt.ItemDataRole.UserRole:
            return task.id
        return None

    def _display(self, task: TaskRow, column: str) -> str:
        if column == "id":
            return str(task.id)
        if column == "case":
            return task.case_no or "—"
        if column == "place":
            return task.place_text
        if column == "vehicle":
            lane = self.tr("lane blocked") if task.lane_blocked else ""
            return " · ".join(part for part in (task.vehicle_desc, lane) if part)
        if column == "state":
            return task_state_label(task.state)
        if column == "unit":
            return task.call_sign or "—"
        return self._timer(task)[0]

    def _tooltip(self, task: TaskRow) -> str:
        lines = [
            self.tr("Requested {time} by {name}").format(
                time=f"{to_local(task.requested_at):%H:%M:%S}", name=task.requested_by
            )
        ]
        if task.assigned_at is not None:
            lines.append(
                self.tr("Unit {unit} sent {time}").format(
                    unit=task.call_sign or "—", time=f"{to_local(task.assigned_at):%H:%M:%S}"
                )
            )
        if task.arrived_at is not None:
            lines.append(
                self.tr("On scene {time}").format(time=f"{to_local(task.arrived_at):%H:%M:%S}")
            )
        if task.finished_at is not None:
            lines.append(
                self.tr("Finished {time}").format(time=f"{to_local(task.finished_at):%H:%M:%S}")
            )
        if task.cancelled_at is not None:
            lines.append(
                self.tr("Cancelled {time}: {reason}").format(
                    time=f"{to_local(task.cancelled_at):%H:%M:%S}", reason=task.cancel_reason
                )
            )
        if task.note:
            lines.append(task.note)
        if task.lat is None:
            lines.append(self.tr("Not on the map: choose the unit by hand (Ctrl+Shift+A)."))
        return "\n".join(lines)


class RescueUnitsModel(QAbstractTableModel):
    COLUMNS: Final = ("call_sign", "company", "type", "state", "since", "task")
    SINCE: Final = COLUMNS.index("since")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[UnitRow] = []
        self._now: datetime | None = None

    def set_rows(self, rows: Sequence[UnitRow], now: datetime) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = now
        self.endResetModel()

    def tick(self, now: datetime) -> None:
        self._now = now
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.SINCE),
                self.index(len(self._rows) - 1, self.SINCE),
                [Qt.ItemDataRole.DisplayRole],
            )

    def unit(self, row: int) -> UnitRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def moved(self, unit_id: int, state: UnitState, at: datetime) -> None:
        """A move this seat made, shown before the board reloads (so F4 pressed again goes on
        from the new state)."""
        row = self.row_of(unit_id)
        if row is None:
            return
        self._rows[row] = replace(self._rows[row], state=state, state_since=at)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def row_of(self, unit_id: int) -> int | None:
        return next((n for n, u in enumerate(self._rows) if u.id == unit_id), None)

    def units(self) -> list[UnitRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Unit"),
            self.tr("Company"),
            self.tr("Type"),
            self.tr("State"),
            self.tr("For"),
            self.tr("Request"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        unit = self.unit(index.row())
        if unit is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "call_sign":
                return unit.call_sign
            if column == "company":
                return unit.company
            if column == "type":
                return unit_type_label(unit.unit_type)
            if column == "state":
                return unit_state_label(unit.state)
            if column == "since":
                now = self._now or unit.state_since
                return clock_text(max(now - unit.state_since, timedelta(0)))
            return str(unit.task_id) if unit.task_id is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            where = (
                f"{unit.lat:.5f}, {unit.lon:.5f}"
                if unit.lat is not None and unit.lon is not None
                else self.tr("position unknown")
            )
            return self.tr("{state} since {time} · {where}").format(
                state=unit_state_label(unit.state),
                time=f"{to_local(unit.state_since):%H:%M:%S}",
                where=where,
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return _GREEN if unit.state is UnitState.AVAILABLE else None
        if role == Qt.ItemDataRole.UserRole:
            return unit.id
        return None


class UnitLogDialog(QDialog):
    """A unit's moves and position reports, newest first, each with who, seat and when
    (Enter on the unit board). Esc closes it."""

    COLUMNS: Final = 6

    def __init__(self, call_sign: str, rows: Sequence[UnitLogRow], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("rescue_unit_log")
        self.setWindowTitle(self.tr("Log of {unit}").format(unit=call_sign))
        self.resize(760, 420)
        self.table = QTableWidget(len(rows), self.COLUMNS)
        self.table.setObjectName("rescue_unit_log_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("From"),
                self.tr("To"),
                self.tr("Request"),
                self.tr("By"),
                self.tr("Position"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for n, entry in enumerate(rows):
            report = entry.from_state is entry.to_state
            who = " · ".join(part for part in (entry.actor_name, entry.seat) if part)
            where = (
                f"{entry.lat:.5f}, {entry.lon:.5f}"
                if entry.lat is not None and entry.lon is not None
                else ""
            )
            cells = (
                f"{to_local(entry.at):%Y-%m-%d %H:%M:%S}",
                unit_state_label(entry.from_state),
                self.tr("position report") if report else unit_state_label(entry.to_state),
                str(entry.task_id) if entry.task_id is not None else "",
                who,
                where,
            )
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
        empty = QLabel(self.tr("No move of this unit is on record yet."))
        empty.setVisible(not rows)
        close = QPushButton(self.tr("Close (Esc)"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.setFocusProxy(self.table)
