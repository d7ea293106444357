"""The claims seat's notification queue: the company's claims, newest notification first, with a
timer per row (since notified; when paid, accident to payout).

The model holds claim ids in display order over a row cache and filters itself (no
QSortFilterProxyModel, STYLE.md); a refresh of some cases inserts, removes or updates only
their rows. The once-a-second tick repaints the timer column of the rows in sight and nothing
else. Whether a row is late is `console.hall.claims.take_overdue`.

Keys in the table: arrows move, Enter opens the claim's case; Alt+1…Alt+4 choose the filter
and Ctrl+F the search box while the queue has focus (F2, take, belongs to the claims panel).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.hall.claims import TAKE_TARGET, ClaimRow, take_overdue
from console.views.error_templates import party_label

Index = QModelIndex | QPersistentModelIndex

ClaimIdRole = int(Qt.ItemDataRole.UserRole) + 1
CaseIdRole = int(Qt.ItemDataRole.UserRole) + 2
RowRole = int(Qt.ItemDataRole.UserRole) + 3

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TIMER_ROLES = [_DISPLAY, _TOOLTIP, _BACKGROUND, _FOREGROUND]
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)

_LATE_BACKGROUND = QBrush(QColor("#d32f2f"))
_LATE_FOREGROUND = QBrush(QColor("#ffffff"))
_PAID_FOREGROUND = QBrush(QColor("#1b7f3b"))


class ClaimColumn(IntEnum):
    CASE_NO = 0
    PARTY = 1
    STAGE = 2
    HANDLER = 3
    AMOUNT = 4
    TIMER = 5


class ClaimFilter(Enum):
    ALL = "all"
    WAITING = "waiting"  # nobody has taken it
    MINE = "mine"  # this adjuster's, unpaid
    UNPAID = "unpaid"


_HEADERS = {
    ClaimColumn.CASE_NO: QT_TRANSLATE_NOOP("ClaimQueueModel", "Case no."),
    ClaimColumn.PARTY: QT_TRANSLATE_NOOP("ClaimQueueModel", "Party"),
    ClaimColumn.STAGE: QT_TRANSLATE_NOOP("ClaimQueueModel", "Stage"),
    ClaimColumn.HANDLER: QT_TRANSLATE_NOOP("ClaimQueueModel", "Handled by"),
    ClaimColumn.AMOUNT: QT_TRANSLATE_NOOP("ClaimQueueModel", "Amount (yuan)"),
    ClaimColumn.TIMER: QT_TRANSLATE_NOOP("ClaimQueueModel", "Timer"),
}

_STAGES = {
    "notified": QT_TRANSLATE_NOOP("ClaimStage", "Notified"),
    "reported": QT_TRANSLATE_NOOP("ClaimStage", "Report number"),
    "surveying": QT_TRANSLATE_NOOP("ClaimStage", "Survey"),
    "assessed": QT_TRANSLATE_NOOP("ClaimStage", "Assessed"),
    "paid": QT_TRANSLATE_NOOP("ClaimStage", "Paid"),
}


def stage_label(stage: str) -> str:
    """A claim stage (notified, reported, surveying, assessed, paid) in the user's language."""
    label = _STAGES.get(stage)
    return QCoreApplication.translate("ClaimStage", str(label)) if label else stage


def format_yuan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{amount:,.2f}"


def format_duration(span: timedelta) -> str:
    """A running clock: 04:12, 1:04:12, and past two days "3 d 4 h"."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 48:
        return QCoreApplication.translate("ClaimQueueModel", "{days} d {hours} h").format(
            days=hours // 24, hours=hours % 24
        )
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def _key(row: ClaimRow) -> tuple[float, int]:
    """Newest notification first; the claim id makes every key unique."""
    return (-row.notified_at.timestamp(), -row.claim_id)


class ClaimQueueModel(QAbstractTableModel):
    """The company's claims over a row cache; `_order` holds the ids that pass the filter."""

    def __init__(
        self, user_id: int, parent: QObject | None = None, *, take_target: timedelta = TAKE_TARGET
    ) -> None:
        super().__init__(parent)
        self._user_id = user_id
        self._target = take_target
        self._rows: dict[int, ClaimRow] = {}
        self._order: list[int] = []
        self._keys: list[tuple[float, int]] = []
        self._kind = ClaimFilter.ALL
        self._search = ""
        self._now = datetime.now(UTC)

    # -- reading -----------------------------------------------------------------------------
    @property
    def kind(self) -> ClaimFilter:
        return self._kind

    def claim_at(self, row: int) -> int | None:
        return self._order[row] if 0 <= row < len(self._order) else None

    def claim_row(self, claim_id: int | None) -> ClaimRow | None:
        return self._rows.get(claim_id) if claim_id is not None else None

    def row_of(self, claim_id: int) -> int:
        """The claim's row, or -1 when it is hidden or unknown."""
        row = self._rows.get(claim_id)
        if row is None:
            return -1
        at = bisect_left(self._keys, _key(row))
        return at if at < len(self._order) and self._order[at] == claim_id else -1

    def claims_of_case(self, case_id: int) -> list[ClaimRow]:
        return sorted(
            (r for r in self._rows.values() if r.case_id == case_id), key=lambda r: r.party_letter
        )

    def visible_claim_ids(self) -> list[int]:
        return list(self._order)

    def is_late(self, row: ClaimRow) -> bool:
        return take_overdue(row, self._now, self._target)

    # -- changing ----------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[ClaimRow]) -> None:
        """The whole queue (first load): one reset."""
        self.beginResetModel()
        self._rows = {row.claim_id: row for row in rows}
        self._refilter()
        self.endResetModel()

    def set_filter(self, kind: ClaimFilter, search: str = "") -> None:
        search = search.strip().casefold()
        if (kind, search) == (self._kind, self._search):
            return
        self.beginResetModel()
        self._kind, self._search = kind, search
        self._refilter()
        self.endResetModel()

    def apply_rows(self, rows: Iterable[ClaimRow], case_ids: Iterable[int]) -> None:
        """The fresh rows of `case_ids`: those cases' claims not among them are gone (or no
        longer this company's). An older version of a row never replaces a newer one."""
        fresh = {row.claim_id: row for row in rows}
        cases = set(case_ids) | {row.case_id for row in fresh.values()}
        for claim_id in [c for c, r in self._rows.items() if r.case_id in cases]:
            if claim_id not in fresh:
                self._hide(claim_id)
                del self._rows[claim_id]
        for claim_id, row in fresh.items():
            known = self._rows.get(claim_id)
            if known is not None and row.version < known.version:
                continue
            self._rows[claim_id] = row
            at = self.row_of(claim_id) if known is not None else -1
            if not self._matches(row):
                if at >= 0:
                    self._hide(claim_id)
            elif at >= 0:
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(ClaimColumn) - 1))
            else:
                self._show(claim_id)

    def tick(self, now: datetime | None = None, rows: tuple[int, int] | None = None) -> None:
        """Advance the clock: repaint the timer cells of `rows` (first, last; default all)."""
        self._now = now or datetime.now(UTC)
        count = len(self._order)
        if not count:
            return
        first, last = rows if rows is not None else (0, count - 1)
        first, last = max(0, first), min(count - 1, last)
        if first <= last:
            self.dataChanged.emit(
                self.index(first, ClaimColumn.TIMER),
                self.index(last, ClaimColumn.TIMER),
                _TIMER_ROLES,
            )

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ClaimColumn) - 1)
        if self._order:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._order) - 1, len(ClaimColumn) - 1)
            )

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(ClaimColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == _DISPLAY
            and 0 <= section < len(ClaimColumn)
        ):
            return QCoreApplication.translate(
                "ClaimQueueModel", str(_HEADERS[ClaimColumn(section)])
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        claim_id = self.claim_at(index.row())
        if claim_id is None:
            return None
        row = self._rows[claim_id]
        column = index.column()
        if role == _DISPLAY:
            return self._display(row, column)
        if role == ClaimIdRole:
            return row.claim_id
        if role == CaseIdRole:
            return row.case_id
        if role == RowRole:
            return row
        if column != ClaimColumn.TIMER:
            if role == _ALIGN and column == ClaimColumn.AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == _ALIGN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _TOOLTIP:
            return self._timer_tip(row)
        if role == _BACKGROUND:
            return _LATE_BACKGROUND if self.is_late(row) else None
        if role == _FOREGROUND:
            if self.is_late(row):
                return _LATE_FOREGROUND
            return _PAID_FOREGROUND if row.stage == "paid" else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- internals ---------------------------------------------------------------------------
    def _display(self, row: ClaimRow, column: int) -> str:
        if column == ClaimColumn.CASE_NO:
            return row.case_no
        if column == ClaimColumn.PARTY:
            letter = party_label(row.party_letter) or row.party_letter
            return f"{letter} · {row.plate_no}" if row.plate_no else letter
        if column == ClaimColumn.STAGE:
            return stage_label(row.stage)
        if column == ClaimColumn.HANDLER:
            return row.assignee_name or "—"
        if column == ClaimColumn.AMOUNT:
            return format_yuan(row.paid_amount if row.stage == "paid" else row.assessed_amount)
        if column == ClaimColumn.TIMER:
            paid = row.accident_to_payout
            if paid is not None:
                return QCoreApplication.translate("ClaimQueueModel", "paid after {time}").format(
                    time=format_duration(paid)
                )
            return format_duration(self._now - row.notified_at)
        return ""

    def _timer_tip(self, row: ClaimRow) -> str:
        paid = row.accident_to_payout
        if paid is not None:
            return QCoreApplication.translate(
                "ClaimQueueModel", "From the accident to the payout: {time}"
            ).format(time=format_duration(paid))
        return QCoreApplication.translate(
            "ClaimQueueModel", "Since the insurer was notified: {time} (take within {target} min)"
        ).format(
            time=format_duration(self._now - row.notified_at),
            target=int(self._target.total_seconds() // 60),
        )

    def _matches(self, row: ClaimRow) -> bool:
        kind = self._kind
        if kind is ClaimFilter.WAITING and (row.assignee_id is not None or row.stage == "paid"):
            return False
        if kind is ClaimFilter.MINE and (row.assignee_id != self._user_id or row.stage == "paid"):
            return False
        if kind is ClaimFilter.UNPAID and row.stage == "paid":
            return False
        if self._search:
            text = f"{row.case_no} {row.plate_no or ''} {row.report_no or ''}".casefold()
            return self._search in text
        return True

    def _refilter(self) -> None:
        shown = sorted(
            (_key(row), claim_id) for claim_id, row in self._rows.items() if self._matches(row)
        )
        self._keys = [key for key, _ in shown]
        self._order = [claim_id for _, claim_id in shown]

    def _show(self, claim_id: int) -> None:
        key = _key(self._rows[claim_id])
        at = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), at, at)
        self._keys.insert(at, key)
        self._order.insert(at, claim_id)
        self.endInsertRows()

    def _hide(self, claim_id: int) -> None:
        at = self.row_of(claim_id)
        if at < 0:
            return
        self.beginRemoveRows(QModelIndex(), at, at)
        del self._keys[at]
        del self._order[at]
        self.endRemoveRows()


_FILTERS = (ClaimFilter.WAITING, ClaimFilter.MINE, ClaimFilter.UNPAID, ClaimFilter.ALL)
_WIDTHS = {
    ClaimColumn.CASE_NO: 17,
    ClaimColumn.PARTY: 15,
    ClaimColumn.STAGE: 9,
    ClaimColumn.HANDLER: 8,
    ClaimColumn.AMOUNT: 11,
}


class ClaimQueueView(QWidget):
    """Filter buttons, a search box and the table of the company's claims."""

    claim_opened = Signal(int)
    """Enter or double-click on a claim; the argument is the claim id."""
    current_claim_changed = Signal(object)
    """The highlighted claim (id or None)."""

    def __init__(self, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claim_queue")
        self.model = ClaimQueueModel(user_id, self)
        self._current: int | None = None
        self._before_reset: int | None = None

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.filter_buttons: dict[ClaimFilter, QToolButton] = {}
        for number, kind in enumerate(_FILTERS, start=1):
            button = QToolButton(self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._group.addButton(button, number)
            self.filter_buttons[kind] = button
            bar.addWidget(button)
        self.search = QLineEdit(self)
        self.search.setObjectName("claim_search")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 1)
        self.count = QLabel(self)
        bar.addWidget(self.count)

        self.table = QTableView(self)
        self.table.setObjectName("claim_table")
        self._setup_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(context)
        find.activated.connect(self._focus_search)
        for number, kind in enumerate(_FILTERS, start=1):
            choose = QShortcut(QKeySequence(f"Alt+{number}"), self)
            choose.setContext(context)
            choose.activated.connect(self.filter_buttons[kind].click)
        self._group.idClicked.connect(lambda _id: self._refilter())
        self.search.textChanged.connect(lambda _text: self._refilter())
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_count)
        self.filter_buttons[ClaimFilter.ALL].setChecked(True)
        self._retranslate()

    # -- public -----------------------------------------------------------------------------
    def current_claim(self) -> int | None:
        return self.model.claim_at(self.table.currentIndex().row())

    def select_claim(self, claim_id: int) -> bool:
        row = self.model.row_of(claim_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def set_filter(self, kind: ClaimFilter) -> None:
        self.filter_buttons[kind].setChecked(True)
        self._refilter()

    def tick(self, now: datetime) -> None:
        """Repaint the timers of the rows in sight (all of them while hidden: cheap, none
        painted)."""
        first = self.table.rowAt(0)
        if not self.isVisible() or first < 0:
            self.model.tick(now)
            return
        last = self.table.rowAt(self.table.viewport().height() - 1)
        self.model.tick(now, rows=(first, last if last >= 0 else self.model.rowCount() - 1))

    # -- Qt ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if (
                watched is self.table
                and event.modifiers() in _PLAIN
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            ):
                claim_id = self.current_claim()
                if claim_id is not None:
                    self.claim_opened.emit(claim_id)
                return True
            if watched is self.search and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.Key.Key_Down,
            ):
                if self.current_claim() is None and self.model.rowCount():
                    self.select_claim(self.model.claim_at(0) or 0)
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    # -- internals ---------------------------------------------------------------------------
    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        char = table.fontMetrics().averageCharWidth()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width * char)
        header.setSectionResizeMode(ClaimColumn.TIMER, QHeaderView.ResizeMode.Stretch)

    def _retranslate(self) -> None:
        texts = {
            ClaimFilter.WAITING: self.tr("Not taken"),
            ClaimFilter.MINE: self.tr("Mine"),
            ClaimFilter.UNPAID: self.tr("Unpaid"),
            ClaimFilter.ALL: self.tr("All"),
        }
        for number, kind in enumerate(_FILTERS, start=1):
            button = self.filter_buttons[kind]
            button.setText(texts[kind])
            button.setToolTip(
                self.tr("Show {what} (Alt+{number})").format(what=texts[kind], number=number)
            )
        self.search.setPlaceholderText(self.tr("Case no., plate or report no. (Ctrl+F)"))
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(self.tr("{n} claims").format(n=self.model.rowCount()))

    def _refilter(self) -> None:
        checked = self._group.checkedId()
        kind = _FILTERS[checked - 1] if checked > 0 else ClaimFilter.ALL
        self.model.set_filter(kind, self.search.text())

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _double_clicked(self, index: QModelIndex) -> None:
        claim_id = self.model.claim_at(index.row())
        if claim_id is not None:
            self.claim_opened.emit(claim_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._announce(self.model.claim_at(current.row()))

    def _announce(self, claim_id: int | None) -> None:
        if claim_id != self._current:
            self._current = claim_id
            self.current_claim_changed.emit(claim_id)

    def _remember(self) -> None:
        self._before_reset = self.current_claim()

    def _restore(self) -> None:
        claim_id, self._before_reset = self._before_reset, None
        if claim_id is None or not self.select_claim(claim_id):
            self._announce(None)
