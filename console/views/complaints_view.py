"""The lookup seat's non-payment complaints (Shenzhen rule, DOMAIN.md "Insurers"): the table
with both deadlines counting down, and the alert strip above it.

The model holds complaint ids over a row cache of the `ComplaintRow`s the hall returned, and
sorts and filters itself (no proxy model, STYLE.md). Unpaid complaints always come first; the
chosen column orders each group. It ticks once a second from the desk's clock without asking
the database: whether a deadline has passed, and how close it is, is the domain's answer
(`contact_overdue`, `payment_overdue`, `timer_status`) at the tick's time. When one passes
between two ticks the model says so (`turned_overdue`) and the desk asks the hall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any, Final, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.complaints import (
    UNPAID_STATES,
    ComplaintState,
    contact_overdue,
    payment_overdue,
)
from console.domain.deadlines import TimerState, timer_status, to_local
from console.hall.complaints import ComplaintRow

__all__ = [
    "AlertStrip",
    "Column",
    "ComplaintFilter",
    "ComplaintIdRole",
    "ComplaintsModel",
    "ComplaintsView",
    "complaint_state_label",
    "format_countdown",
]

_Index = QModelIndex | QPersistentModelIndex

ComplaintIdRole: Final = Qt.ItemDataRole.UserRole + 1
_LAYOUT_SIGNATURE: Final = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
_SORT_HINT: Final = QAbstractItemModel.LayoutChangeHint.VerticalSortHint


class Column(IntEnum):
    CASE = 0
    PLATE = 1
    INSURER = 2
    STATE = 3
    CALL_BY = 4
    PAY_BY = 5


class ComplaintFilter(StrEnum):
    ALL = "all"
    UNPAID = "unpaid"
    OVERDUE = "overdue"


_HEADERS: Final = (
    QT_TRANSLATE_NOOP("ComplaintsModel", "Case"),
    QT_TRANSLATE_NOOP("ComplaintsModel", "Plate"),
    QT_TRANSLATE_NOOP("ComplaintsModel", "Insurer"),
    QT_TRANSLATE_NOOP("ComplaintsModel", "State"),
    QT_TRANSLATE_NOOP("ComplaintsModel", "Call by (24 h)"),
    QT_TRANSLATE_NOOP("ComplaintsModel", "Pay by (3 working days)"),
)
_STATES: Final = {
    ComplaintState.OPEN: QT_TRANSLATE_NOOP("ComplaintsModel", "Open, not called yet"),
    ComplaintState.CONTACTED: QT_TRANSLATE_NOOP("ComplaintsModel", "Insurer called"),
    ComplaintState.SANCTIONED: QT_TRANSLATE_NOOP("ComplaintsModel", "Sanctioned"),
    ComplaintState.PAID: QT_TRANSLATE_NOOP("ComplaintsModel", "Paid"),
    ComplaintState.CLOSED: QT_TRANSLATE_NOOP("ComplaintsModel", "Closed"),
}
_STATE_RANK: Final = {state: i for i, state in enumerate(ComplaintState)}

# The queue's control-room colours: green while on time, amber near the end, red past it.
_BACKGROUND: Final[dict[TimerState, QBrush | None]] = {
    TimerState.GREEN: None,
    TimerState.AMBER: QBrush(QColor("#ffc107")),
    TimerState.RED: QBrush(QColor("#d32f2f")),
}
_FOREGROUND: Final = {
    TimerState.GREEN: QBrush(QColor("#1b7f3b")),
    TimerState.AMBER: QBrush(QColor("#000000")),
    TimerState.RED: QBrush(QColor("#ffffff")),
}
_DONE: Final = QBrush(QColor("#757575"))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _tr(text: str) -> str:
    return QCoreApplication.translate("ComplaintsModel", text)


def complaint_state_label(state: ComplaintState) -> str:
    return _tr(str(_STATES[state]))


def format_countdown(seconds: float) -> str:
    """Time left ("03:12:05", "2 d 03:12:05"), or past the deadline with a minus sign."""
    late = seconds < 0
    whole = math.ceil(abs(seconds)) if late else int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    text = (
        QCoreApplication.translate("ComplaintsModel", "{days} d {clock}").format(
            days=days, clock=clock
        )
        if days
        else clock
    )
    return "-" + text if late else text


def _moment(value: datetime) -> str:
    return f"{to_local(value):%m-%d %H:%M}"


class ComplaintsModel(QAbstractTableModel):
    """Complaint ids in display order over a cache of rows; sorts and filters itself.

    `turned_overdue(list[int])`: complaints whose call or payment deadline passed since the
    previous tick.
    """

    turned_overdue = Signal(list)

    def __init__(self, parent: QWidget | None = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[int, ComplaintRow] = {}
        self._order: list[int] = []
        self._now = now or datetime.now(UTC)
        self._flags: dict[int, tuple[bool, bool]] = {}
        self._kind = ComplaintFilter.ALL
        self._text = ""
        self._sort_column = Column.PAY_BY
        self._descending = False

    # -- what the desk feeds in -----------------------------------------------------------------
    def set_rows(self, rows: Iterable[ComplaintRow]) -> None:
        """Every complaint the seat may see (a full reload); rows not among them leave."""
        fresh = {row.id: row for row in rows}
        self._rows = fresh
        self._flags = {cid: self._overdue(row) for cid, row in fresh.items()}
        self._apply()

    def upsert(self, rows: Iterable[ComplaintRow]) -> None:
        """New or changed complaints (a refresh of some cases, a use case's result)."""
        for row in rows:
            self._rows[row.id] = row
            self._flags[row.id] = self._overdue(row)
        self._apply()

    def tick(self, now: datetime) -> None:
        """The countdowns move on; complaints whose deadline just passed are announced."""
        self._now = now
        passed: list[int] = []
        for cid, row in self._rows.items():
            flags = self._overdue(row)
            before = self._flags.get(cid, (False, False))
            if (flags[0] and not before[0]) or (flags[1] and not before[1]):
                passed.append(cid)
            self._flags[cid] = flags
        if self._kind is ComplaintFilter.OVERDUE:
            self._apply()
        elif self._order:
            self.dataChanged.emit(
                self.index(0, Column.STATE), self.index(len(self._order) - 1, Column.PAY_BY)
            )
        if passed:
            self.turned_overdue.emit(sorted(passed))

    def set_filter(self, kind: ComplaintFilter, text: str = "") -> None:
        self._kind = kind
        self._text = text.strip().casefold()
        self._apply()

    def filter_kind(self) -> ComplaintFilter:
        return self._kind

    # -- what the desk and the view read --------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self._now

    def complaint(self, complaint_id: int) -> ComplaintRow | None:
        return self._rows.get(complaint_id)

    def complaint_at(self, row: int) -> ComplaintRow | None:
        return self._rows[self._order[row]] if 0 <= row < len(self._order) else None

    def row_of(self, complaint_id: int) -> int:
        try:
            return self._order.index(complaint_id)
        except ValueError:
            return -1

    def shown_ids(self) -> list[int]:
        return list(self._order)

    def for_case(self, case_id: int) -> list[ComplaintRow]:
        """The case's complaints, unpaid first, newest first."""
        rows = [r for r in self._rows.values() if r.case_id == case_id]
        return sorted(rows, key=lambda r: (r.state not in UNPAID_STATES, -r.id))

    def is_overdue(self, complaint_id: int) -> tuple[bool, bool]:
        """(call overdue, payment overdue) at the last tick."""
        return self._flags.get(complaint_id, (False, False))

    # -- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _tr(str(_HEADERS[section]))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.complaint_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ComplaintIdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if column in (Column.CALL_BY, Column.PAY_BY):
            state = self._timer(row, column)
            if role == Qt.ItemDataRole.BackgroundRole:
                return None if state is None else _BACKGROUND[state]
            if role == Qt.ItemDataRole.ForegroundRole:
                return _DONE if state is None else _FOREGROUND[state]
            if role == Qt.ItemDataRole.FontRole and state is TimerState.RED:
                return _bold()
        elif role == Qt.ItemDataRole.ForegroundRole and row.state not in UNPAID_STATES:
            return _DONE
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column = Column(column)
        self._descending = order is Qt.SortOrder.DescendingOrder
        self._apply()

    # -- internals ------------------------------------------------------------------------------
    def _overdue(self, row: ComplaintRow) -> tuple[bool, bool]:
        return (
            contact_overdue(row.state, row.contact_due_at, self._now),
            payment_overdue(row.state, row.pay_due_at, self._now),
        )

    def _timer(self, row: ComplaintRow, column: Column) -> TimerState | None:
        """The deadline's colour, or None once it no longer runs (called, paid)."""
        if column is Column.CALL_BY:
            if row.state is not ComplaintState.OPEN:
                return None
            due = row.contact_due_at
        else:
            if row.state not in UNPAID_STATES:
                return None
            due = row.pay_due_at
        if due <= row.filed_at:
            return TimerState.RED if self._now > due else TimerState.AMBER
        return timer_status(row.filed_at, self._now, due - row.filed_at).state

    def _display(self, row: ComplaintRow, column: Column) -> str:
        if column is Column.CASE:
            return row.case_no
        if column is Column.PLATE:
            return row.plate_no or "—"
        if column is Column.INSURER:
            return row.respondent_name_zh
        if column is Column.STATE:
            label = complaint_state_label(row.state)
            if row.state is ComplaintState.SANCTIONED and row.fine_amount is not None:
                return self.tr("{state} · fine {fine} yuan").format(
                    state=label, fine=row.fine_amount
                )
            return label
        if column is Column.CALL_BY:
            if row.state is ComplaintState.OPEN:
                return format_countdown((row.contact_due_at - self._now).total_seconds())
            if row.contacted_at is not None:
                return self.tr("called {time}").format(time=_moment(row.contacted_at))
            return "—"
        if row.state in UNPAID_STATES:
            return format_countdown((row.pay_due_at - self._now).total_seconds())
        if row.paid_at is not None:
            return self.tr("paid {time}").format(time=_moment(row.paid_at))
        return "—"

    def _tooltip(self, row: ComplaintRow) -> str:
        lines = [
            self.tr("Complaint {id} about case {case_no}, filed {filed}").format(
                id=row.id, case_no=row.case_no, filed=_moment(row.filed_at)
            ),
            self.tr("Complainant: {name}").format(name=row.complainant_name),
            self.tr("Call the insurer by {time}").format(time=_moment(row.contact_due_at)),
            self.tr("Payment due by {time}").format(time=_moment(row.pay_due_at)),
        ]
        if row.paid_amount is not None:
            lines.append(self.tr("Paid {amount} yuan").format(amount=row.paid_amount))
        if row.reason:
            lines.append(row.reason)
        return "\n".join(lines)

    def _matches(self, row: ComplaintRow) -> bool:
        if self._kind is ComplaintFilter.UNPAID and row.state not in UNPAID_STATES:
            return False
        if self._kind is ComplaintFilter.OVERDUE and not any(self._flags.get(row.id, ())):
            return False
        if not self._text:
            return True
        haystack = " ".join(
            (
                row.case_no,
                row.plate_no or "",
                row.respondent_name_zh,
                row.complainant_name,
                row.reason,
            )
        ).casefold()
        return self._text in haystack

    def _key(self, row: ComplaintRow) -> Any:
        column = self._sort_column
        if column is Column.CASE:
            return row.case_no
        if column is Column.PLATE:
            return row.plate_no or ""
        if column is Column.INSURER:
            return row.respondent_name_zh
        if column is Column.STATE:
            return _STATE_RANK[row.state]
        if column is Column.CALL_BY:
            return row.contact_due_at
        return row.pay_due_at

    def _wanted_order(self) -> list[int]:
        shown = sorted((r for r in self._rows.values() if self._matches(r)), key=lambda r: -r.id)
        unpaid = [r for r in shown if r.state in UNPAID_STATES]
        done = [r for r in shown if r.state not in UNPAID_STATES]
        ordered = sorted(unpaid, key=self._key, reverse=self._descending) + sorted(
            done, key=self._key, reverse=self._descending
        )
        return [r.id for r in ordered]

    def _apply(self) -> None:
        """Make the rows shown match the cache: removals, insertions, one layout change for
        what moved, and a data change for the rest (never a reset)."""
        wanted = self._wanted_order()
        keep = set(wanted)
        end = len(self._order)
        while end > 0:
            if self._order[end - 1] in keep:
                end -= 1
                continue
            start = end - 1
            while start > 0 and self._order[start - 1] not in keep:
                start -= 1
            self.beginRemoveRows(QModelIndex(), start, end - 1)
            del self._order[start:end]
            self.endRemoveRows()
            end = start
        present = set(self._order)
        added = [cid for cid in wanted if cid not in present]
        if added:
            first = len(self._order)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._order.extend(added)
            self.endInsertRows()
        if self._order != wanted:
            cast(Any, self.layoutAboutToBeChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)
            persistent = self.persistentIndexList()
            held = [
                self._order[i.row()] if 0 <= i.row() < len(self._order) else None
                for i in persistent
            ]
            self._order = wanted
            position = {cid: n for n, cid in enumerate(wanted)}
            moved = [
                self.index(position[cid], index.column()) if cid in position else QModelIndex()
                for index, cid in zip(persistent, held, strict=True)
            ]
            self.changePersistentIndexList(persistent, moved)
            cast(Any, self.layoutChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)
        if self._order:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._order) - 1, len(Column) - 1)
            )


_FILTERS: Final = (
    (ComplaintFilter.ALL, QT_TRANSLATE_NOOP("ComplaintsView", "All complaints")),
    (ComplaintFilter.UNPAID, QT_TRANSLATE_NOOP("ComplaintsView", "Unpaid")),
    (ComplaintFilter.OVERDUE, QT_TRANSLATE_NOOP("ComplaintsView", "Overdue")),
)
# Column widths in average character widths; the insurer takes what is left.
_WIDTHS: Final = {
    Column.CASE: 16,
    Column.PLATE: 11,
    Column.STATE: 16,
    Column.CALL_BY: 14,
    Column.PAY_BY: 15,
}


class ComplaintsView(QWidget):
    """Filter, search and the complaints table; the keys of the desk act on the current row."""

    def __init__(self, parent: QWidget | None = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self.model = ComplaintsModel(self, now=now)
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("complaint_filter")
        for kind, label in _FILTERS:
            self.filter_box.addItem(
                QCoreApplication.translate("ComplaintsView", str(label)), kind.value
            )
        self.search = QLineEdit()
        self.search.setObjectName("complaint_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Case, plate, insurer or complainant"))
        self.count = QLabel()
        self.count.setObjectName("complaint_count")
        self.table = QTableView()
        self.table.setObjectName("complaints_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.PAY_BY, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(Column.INSURER, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().averageCharWidth()
        for column, chars in _WIDTHS.items():
            header.resizeSection(column, chars * width)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_box)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

        self.filter_box.currentIndexChanged.connect(self._filter_changed)
        self.search.textChanged.connect(self._filter_changed)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._count_changed)
        self._count_changed()

    def current_complaint(self) -> ComplaintRow | None:
        index = self.table.currentIndex()
        return self.model.complaint_at(index.row()) if index.isValid() else None

    def select_complaint(self, complaint_id: int) -> bool:
        row = self.model.row_of(complaint_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _filter_changed(self) -> None:
        kind = ComplaintFilter(str(self.filter_box.currentData()))
        self.model.set_filter(kind, self.search.text())

    def _count_changed(self) -> None:
        self.count.setText(self.tr("{count} shown").format(count=self.model.rowCount()))


class AlertStrip(QFrame):
    """Red lines above the table, sound-free: overdue complaints, and the latest checkpoint
    hit of a watch-listed plate. Hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alert_strip")
        self.setStyleSheet(
            "#alert_strip { background: #fdecea; border: 1px solid #d32f2f; border-radius: 3px; }"
            " QLabel { color: #b71c1c; font-weight: bold; }"
        )
        self.overdue = QLabel()
        self.overdue.setObjectName("overdue_alert")
        self.overdue.setWordWrap(True)
        self.hit = QLabel()
        self.hit.setObjectName("hit_alert")
        self.hit.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.overdue)
        layout.addWidget(self.hit)
        self.overdue.hide()
        self.hit.hide()
        self.hide()

    def show_overdue(self, rows: Sequence[ComplaintRow], *, calls: int, unpaid: int) -> None:
        """`rows` overdue now: `calls` of them not called in time, `unpaid` past the pay-by."""
        if not rows:
            self.overdue.clear()
            self.overdue.hide()
        else:
            shown = "、".join(f"{r.case_no} {r.plate_no or ''}".strip() for r in rows[:4])
            more = "…" if len(rows) > 4 else ""
            self.overdue.setText(
                self.tr(
                    "Overdue complaints: {count} ({calls} not called within 24 h, {unpaid} "
                    "unpaid past the deadline): {which}{more}"
                ).format(count=len(rows), calls=calls, unpaid=unpaid, which=shown, more=more)
            )
            self.overdue.show()
        self._visible()

    def show_hit(self, text: str) -> None:
        self.hit.setText(text)
        self.hit.show()
        self._visible()

    def clear_hit(self) -> None:
        self.hit.clear()
        self.hit.hide()
        self._visible()

    def overdue_text(self) -> str:
        return self.overdue.text() if not self.overdue.isHidden() else ""

    def hit_text(self) -> str:
        return self.hit.text() if not self.hit.isHidden() else ""

    def _visible(self) -> None:
        self.setVisible(not (self.overdue.isHidden() and self.hit.isHidden()))
