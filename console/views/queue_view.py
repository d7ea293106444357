"""The shared case queue widget every seat works from, keyboard first.

The view only shows and asks: it never touches the database. The main window connects
`case_opened`, `take_next_requested` and `release_requested` to use cases run through the task
runner and feeds the results back with `model.set_rows(...)` or, for the change feed,
`applier.add(...)`, which batches them into a few model applies per second.

Keys: arrows move, Enter opens the case, F2 takes the next case, Esc (in the table) releases the
selected case, Ctrl+F jumps to the search box; in the search box Enter or Down goes back to the
table and Esc clears the search.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.positions import Position
from console.views.queue_model import (
    CaseQueueModel,
    CoalescingApplier,
    Column,
    FilterKind,
    QueueFilter,
)

__all__ = ["CaseQueueView"]

_FILTER_KINDS = (
    FilterKind.MINE,
    FilterKind.UNCLAIMED_FOR_POSITION,
    FilterKind.OVERDUE,
    FilterKind.ALL,
)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
# Column widths in average character widths; the place takes what is left.
_WIDTHS = {
    Column.CASE_NO: 22,
    Column.STATE: 15,
    Column.POSITION: 12,
    Column.ASSIGNEE: 10,
    Column.PLATES: 22,
    Column.AGE: 9,
    Column.TIMER: 11,
}


class CaseQueueView(QWidget):
    """Filter buttons, a search box and the queue table over a `CaseQueueModel`."""

    case_opened = Signal(int)
    """The user asked to open a case (Enter or double-click); the argument is its id."""
    take_next_requested = Signal()
    """The user asked for the next case waiting on their position (F2)."""
    release_requested = Signal(int)
    """The user asked to give the selected case back to the queue (Esc in the table)."""
    current_case_changed = Signal(object)
    """The highlighted case changed; the argument is its id, or None."""

    def __init__(
        self,
        model: CaseQueueModel | None = None,
        parent: QWidget | None = None,
        *,
        position: Position | None = None,
        user_id: int | None = None,
        search_delay_ms: int = 150,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__(parent)
        self._model = model if model is not None else CaseQueueModel(parent=self)
        self._applier = CoalescingApplier(self._model, parent=self)
        self._position = position
        self._user_id = user_id
        self._current_case: int | None = None
        self._case_before_reset: int | None = None

        self._kind_buttons: dict[FilterKind, QToolButton] = {}
        self._kind_group = QButtonGroup(self)
        self._kind_group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for number, kind in enumerate(_FILTER_KINDS, start=1):
            button = QToolButton(self)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._kind_group.addButton(button, number)
            self._kind_buttons[kind] = button
            bar.addWidget(button)
        self._search = QLineEdit(self)
        self._search.setClearButtonEnabled(True)
        bar.addWidget(self._search, 1)
        self._count = QLabel(self)
        bar.addWidget(self._count)
        self._take_next = QPushButton(self)
        self._take_next.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar.addWidget(self._take_next)

        self._table = QTableView(self)
        self._setup_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._table, 1)
        self.setFocusProxy(self._table)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(search_delay_ms)
        self._debounce.timeout.connect(self._apply_search)
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

        self._kind_group.idClicked.connect(self._kind_clicked)
        self._search.textChanged.connect(self._search_edited)
        self._search.installEventFilter(self)
        self._table.installEventFilter(self)
        self._table.doubleClicked.connect(self._double_clicked)
        self._take_next.clicked.connect(self.take_next_requested)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(context)
        find.activated.connect(self.focus_search)
        take = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        take.setContext(context)
        take.activated.connect(self.take_next_requested)
        for kind, button in self._kind_buttons.items():
            # Alt+1..4 only while the queue has focus, so other panels keep their own keys.
            number = _FILTER_KINDS.index(kind) + 1
            choose = QShortcut(QKeySequence(f"Alt+{number}"), self)
            choose.setContext(context)
            choose.activated.connect(button.click)

        selection = self._table.selectionModel()
        selection.currentRowChanged.connect(self._current_row_changed)
        self._model.modelAboutToBeReset.connect(self._remember_current)
        self._model.modelReset.connect(self._restore_current)
        for signal in (self._model.rowsInserted, self._model.rowsRemoved):
            signal.connect(self._update_count)
        self._model.modelReset.connect(self._update_count)
        self._table.horizontalHeader().sortIndicatorChanged.connect(self._sorted_by_user)

        self._kind_buttons[self._model.queue_filter.kind].setChecked(True)
        self._retranslate()

    # ------------------------------------------------------------ public

    @property
    def model(self) -> CaseQueueModel:
        return self._model

    @property
    def applier(self) -> CoalescingApplier:
        """Where the change feed's fresh rows go; they reach the model a few times a second."""
        return self._applier

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    def set_seat(self, position: Position | None, user_id: int | None) -> None:
        """Who is signed in: "Mine" and "Unclaimed for my position" depend on it."""
        self._position, self._user_id = position, user_id
        self._refilter(self._model.queue_filter.kind)

    def set_filter_kind(self, kind: FilterKind) -> None:
        self._kind_buttons[kind].setChecked(True)
        self._refilter(kind)

    def current_case(self) -> int | None:
        """The highlighted case, if any."""
        return self._model.case_at(self._table.currentIndex().row())

    def select_case(self, case_id: int) -> bool:
        """Highlight a case and scroll to it; False when the filter hides it."""
        row = self._model.row_for_case(case_id)
        if row < 0:
            return False
        index = self._model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._table.selectionModel().setCurrentIndex(index, flags)
        self._table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    # ------------------------------------------------------------ Qt events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self._table:
                return self._table_key(event)
            if watched is self._search:
                return self._search_key(event)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ internals

    def _setup_table(self) -> None:
        table = self._table
        table.setModel(self._model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        rows = table.verticalHeader()
        rows.hide()
        # Fixed, uniform rows let Qt place 100,000 rows without asking for any size hints.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        char = table.fontMetrics().averageCharWidth()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width * char)
        header.setSectionResizeMode(Column.PLACE, QHeaderView.ResizeMode.Stretch)
        # Show the model's own order, then let header clicks sort (model.sort is a no-op for it).
        header.setSortIndicator(self._model.sort_column, self._model.sort_order)
        table.setSortingEnabled(True)

    def _retranslate(self) -> None:
        texts = {
            FilterKind.MINE: self.tr("Mine"),
            FilterKind.UNCLAIMED_FOR_POSITION: self.tr("Unclaimed for my position"),
            FilterKind.OVERDUE: self.tr("Overdue"),
            FilterKind.ALL: self.tr("All"),
        }
        for number, kind in enumerate(_FILTER_KINDS, start=1):
            button = self._kind_buttons[kind]
            button.setText(texts[kind])
            tip = self.tr("Show %1 (Alt+%2)").replace("%1", texts[kind])
            button.setToolTip(tip.replace("%2", str(number)))
        self._search.setPlaceholderText(
            self.tr("Search case no., plate, place, name or phone (Ctrl+F)")
        )
        self._take_next.setText(self.tr("Take next"))
        self._take_next.setToolTip(self.tr("Take the oldest case waiting on your position (F2)"))
        self._update_count()

    def _update_count(self) -> None:
        self._count.setText(self.tr("{n} cases").format(n=self._model.rowCount()))

    def _refilter(self, kind: FilterKind) -> None:
        self._debounce.stop()
        self._model.set_filter(
            QueueFilter(
                kind=kind,
                position=self._position,
                user_id=self._user_id,
                search=self._search.text().strip(),
            )
        )

    def _kind_clicked(self, number: int) -> None:
        self._refilter(_FILTER_KINDS[number - 1])

    def _search_edited(self, _text: str) -> None:
        self._debounce.start()

    def _apply_search(self) -> None:
        self._refilter(self._model.queue_filter.kind)

    def _table_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if event.modifiers() not in _PLAIN:
            return False
        case_id = self.current_case()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if case_id is not None:
                self.case_opened.emit(case_id)
            return True
        if key == Qt.Key.Key_Escape and case_id is not None and self._is_selected(case_id):
            self.release_requested.emit(case_id)
            return True
        return False

    def _is_selected(self, case_id: int) -> bool:
        row = self._model.row_for_case(case_id)
        return row >= 0 and self._table.selectionModel().isRowSelected(row, QModelIndex())

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._search.text():
            self._search.clear()
            self._apply_search()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down, Qt.Key.Key_Escape):
            if self._debounce.isActive():
                self._apply_search()
            if self.current_case() is None and self._model.rowCount():
                self.select_case(self._model.case_at(0) or 0)
            self._table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    def _double_clicked(self, index: QModelIndex) -> None:
        case_id = self._model.case_at(index.row())
        if case_id is not None:
            self.case_opened.emit(case_id)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._announce(self._model.case_at(current.row()))

    def _announce(self, case_id: int | None) -> None:
        if case_id != self._current_case:
            self._current_case = case_id
            self.current_case_changed.emit(case_id)

    def _remember_current(self) -> None:
        self._case_before_reset = self.current_case()

    def _restore_current(self) -> None:
        """A reset (reload, filter change) forgets the selection; put it back by case id."""
        case_id, self._case_before_reset = self._case_before_reset, None
        if case_id is None or not self.select_case(case_id):
            self._announce(None)

    def _sorted_by_user(self, _section: int, _order: Qt.SortOrder) -> None:
        # The model has sorted by now (the table's own slot runs first) and the selection
        # moved with its case; bring it into sight, as a header click should.
        current = self._table.currentIndex()
        if current.isValid():
            self._table.scrollTo(current, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _tick(self) -> None:
        if not self.isVisible():
            self._model.tick(rows=(0, -1))
            return
        height = self._table.viewport().height()
        first = self._table.rowAt(0)
        if first < 0:
            self._model.tick(rows=(0, -1))
            return
        last = self._table.rowAt(height - 1)
        self._model.tick(rows=(first, last if last >= 0 else self._model.rowCount() - 1))
