"""The lookup seat's search pane (issue 9): one box for whatever the person asking has — a case
number, a letter number or its verification code, a plate, a phone, an ID number, a name —
optional filters (accident date from/to, state, district), and the cases found.

What the text means is the domain's answer (`console.domain.case_search.parse_search`); the
hint under the box says how it was read and what was ignored, and the search itself is
`console.hall.case_search.search_cases` on the task runner. Results come as you type, 250 ms
after the last change; every query is numbered and only the newest one's answer is shown, so a
slow older answer arriving late never replaces a newer one. The table's model sorts itself
(no proxy model, STYLE.md).

Keys: Ctrl+F the box (the lookup desk makes it window-wide); Down (or Enter) from the box into
the results; Enter on a result opens its history (console.views.case_history); Esc, or Up on
the first row, back to the box; Esc in the box clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from typing import Any, Final, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.case_search import (
    MIN_CASE_NO_CHARS,
    MIN_NAME_CHARS,
    MIN_PLATE_CHARS,
    SearchCriteria,
    parse_search,
)
from console.domain.deadlines import HALL_TZ, to_local
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor
from console.hall.case_search import SearchRow, search_cases
from console.hall.journal import SessionFactory
from console.views.case_history import CaseHistoryDialog, PathChooser, save_file_name
from console.views.error_templates import party_label
from console.views.labels import state_label
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

__all__ = [
    "LIMIT",
    "SEARCH_DELAY_MS",
    "CaseIdRole",
    "CaseSearchModel",
    "CaseSearchPane",
    "Column",
]

SEARCH_DELAY_MS: Final = 250
LIMIT: Final = 100
"""Cases shown per search, newest first; more means the search should be narrower."""

CaseIdRole: Final = Qt.ItemDataRole.UserRole + 1
_NO_DATE: Final = QDate(2000, 1, 1)  # the date edits' minimum, shown as "any"
_Index = QModelIndex | QPersistentModelIndex
_LAYOUT_SIGNATURE: Final = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
_SORT_HINT: Final = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_PLAIN: Final = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class Column(IntEnum):
    CASE_NO = 0
    OCCURRED = 1
    PLACE = 2
    DISTRICT = 3
    STATE = 4
    PLATES = 5
    PARTIES = 6


_HEADERS: Final = (
    QT_TRANSLATE_NOOP("CaseSearchModel", "Case no."),
    QT_TRANSLATE_NOOP("CaseSearchModel", "Occurred"),
    QT_TRANSLATE_NOOP("CaseSearchModel", "Place"),
    QT_TRANSLATE_NOOP("CaseSearchModel", "District"),
    QT_TRANSLATE_NOOP("CaseSearchModel", "State"),
    QT_TRANSLATE_NOOP("CaseSearchModel", "Plates"),
    QT_TRANSLATE_NOOP("CaseSearchModel", "Parties"),
)
_STATE_RANK: Final = {state: n for n, state in enumerate(CaseState)}
# Column widths in average character widths; the place takes what is left.
_WIDTHS: Final = {
    Column.CASE_NO: 18,
    Column.OCCURRED: 16,
    Column.DISTRICT: 8,
    Column.STATE: 14,
    Column.PLATES: 20,
    Column.PARTIES: 40,
}


def _party(letter: str) -> str:
    return party_label(letter) or letter


def _parties_text(row: SearchRow) -> str:
    """Each party's name and phone, masked as the back end returned them."""
    return "; ".join(
        " ".join(part for part in (_party(p.letter), p.name, p.phone or "") if part)
        for p in row.parties
    )


class CaseSearchModel(QAbstractTableModel):
    """The cases of the newest answer over a cache of `SearchRow`s; sorts itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchRow] = []
        self._sort_column = Column.OCCURRED
        self._descending = True

    # -- what the pane feeds in and reads -----------------------------------------------------
    def set_rows(self, rows: Sequence[SearchRow]) -> None:
        """Another answer is another table: a reset is the honest signal (the pane puts the
        current case back by its id)."""
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self.endResetModel()

    def clear(self) -> None:
        if self._rows:
            self.set_rows([])

    def row_at(self, row: int) -> SearchRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.case_id == case_id), -1)

    def case_ids(self) -> list[int]:
        return [r.case_id for r in self._rows]

    @property
    def sort_column(self) -> Column:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    # -- Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

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
            return QCoreApplication.translate("CaseSearchModel", str(_HEADERS[section]))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, Column(index.column()))
        if role == CaseIdRole:
            return row.case_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column = Column(column)
        self._descending = order == Qt.SortOrder.DescendingOrder
        wanted = self._sorted(self._rows)
        if [r.case_id for r in wanted] == [r.case_id for r in self._rows]:
            self._rows = wanted
            return
        cast(Any, self.layoutAboutToBeChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)
        persistent = self.persistentIndexList()
        held = [
            self._rows[i.row()].case_id if 0 <= i.row() < len(self._rows) else None
            for i in persistent
        ]
        self._rows = wanted
        position = {r.case_id: n for n, r in enumerate(wanted)}
        moved = [
            self.index(position[cid], index.column()) if cid in position else QModelIndex()
            for index, cid in zip(persistent, held, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        cast(Any, self.layoutChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)

    # -- internals ----------------------------------------------------------------------------
    def _display(self, row: SearchRow, column: Column) -> str:
        if column is Column.CASE_NO:
            return row.case_no
        if column is Column.OCCURRED:
            return f"{to_local(row.occurred_at):%Y-%m-%d %H:%M}"
        if column is Column.PLACE:
            return row.place
        if column is Column.DISTRICT:
            return row.district or "—"
        if column is Column.STATE:
            return state_label(row.state)
        if column is Column.PLATES:
            return row.plates_text or "—"
        return _parties_text(row)

    def _tooltip(self, row: SearchRow) -> str:
        lines = [f"{row.case_no} · {state_label(row.state)}", row.place]
        if row.doc_nos:
            lines.append("、".join(row.doc_nos))
        for p in row.parties:
            numbers = " ".join(n for n in (p.phone, p.id_number, p.licence_number) if n)
            lines.append(f"{_party(p.letter)} {p.name} {p.plate_no or ''} {numbers}".strip())
        return "\n".join(lines)

    def _key(self, row: SearchRow) -> Any:
        column = self._sort_column
        if column is Column.CASE_NO:
            return row.case_no
        if column is Column.PLACE:
            return row.place
        if column is Column.DISTRICT:
            return row.district or ""
        if column is Column.STATE:
            return _STATE_RANK[row.state]
        if column is Column.PLATES:
            return row.plates_text
        if column is Column.PARTIES:
            return _parties_text(row)
        return row.occurred_at

    def _sorted(self, rows: Sequence[SearchRow]) -> list[SearchRow]:
        # Ties keep the back end's order (newest first), whichever way the column sorts.
        by_time = sorted(rows, key=lambda r: (r.occurred_at, r.case_id), reverse=True)
        return sorted(by_time, key=self._key, reverse=self._descending)


# ---------------------------------------------------------------- the pane


def _start_of(day: date) -> datetime:
    """Midnight of a hall calendar day, as an aware moment."""
    return datetime.combine(day, time(), tzinfo=HALL_TZ)


class CaseSearchPane(QWidget):
    """The box, its hint, the filters and the results; Enter opens the history window.

    Runs its own searches on the task runner (each is a read); `shut()` at sign-out drops
    whatever is still on its way. `choose_path` is where the history window asks for a file.
    """

    def __init__(
        self,
        actor: Actor,
        session_factory: SessionFactory,
        runner: TaskRunner,
        *,
        districts: Sequence[str] = (),
        parent: QWidget | None = None,
        choose_path: PathChooser = save_file_name,
        delay_ms: int = SEARCH_DELAY_MS,
        limit: int = LIMIT,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("case_search")
        self.actor = actor
        self.session_factory = session_factory
        self.runner = runner
        self.choose_path = choose_path
        self.limit = limit
        self.history: CaseHistoryDialog | None = None
        self._alive = True
        self._generation = 0  # of the newest query asked
        self._shown_generation = 0  # of the answer in the table
        self._criteria: SearchCriteria | None = None
        self._enter_results = False  # Down or Enter was pressed before the answer came

        self.box = QLineEdit()
        self.box.setObjectName("case_search_box")
        self.box.setClearButtonEnabled(True)
        self.box.setMaxLength(200)
        self.box.setPlaceholderText(
            self.tr(
                "Case no., letter no., verification code, plate, phone, ID number or name (Ctrl+F)"
            )
        )
        self.hint = QLabel()
        self.hint.setObjectName("case_search_hint")
        self.hint.setWordWrap(True)

        self.date_from = self._date_edit("case_search_from")
        self.date_to = self._date_edit("case_search_to")
        self.state = QComboBox()
        self.state.setObjectName("case_search_state")
        self.state.addItem(self.tr("Any state"), None)
        for state in CaseState:
            self.state.addItem(state_label(state), state.value)
        self.district = QComboBox()
        self.district.setObjectName("case_search_district")
        self.district.addItem(self.tr("Any district"), None)
        for name in districts:
            self.district.addItem(name, name)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            (self.tr("Occurred from"), self.date_from),
            (self.tr("to"), self.date_to),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.state, 1)
        filters.addWidget(self.district, 1)

        self.model = CaseSearchModel(self)
        self.table = QTableView()
        self.table.setObjectName("case_search_results")
        self._setup_table()
        self.count = QLabel()
        self.count.setObjectName("case_search_count")
        self.keys = QLabel(
            self.tr(
                "Ctrl+F search · Down to the results · Enter the case's history · Esc back to "
                "the box"
            )
        )
        self.keys.setObjectName("case_search_keys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("color: #616161;")
        self.message = QLabel()
        self.message.setObjectName("case_search_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keys, 1)
        bottom.addWidget(self.count)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        self.setFocusProxy(self.box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(delay_ms)
        self._debounce.timeout.connect(self.search_now)
        self.box.textChanged.connect(self._edited)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._edited)
        for box in (self.state, self.district):
            box.currentIndexChanged.connect(self._edited)
        self.box.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._double_clicked)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_box)
        self._show_hint(None, None)
        self._show_count()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(_NO_DATE)
        return edit

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        width = table.fontMetrics().averageCharWidth()
        for column, chars in _WIDTHS.items():
            header.resizeSection(column, chars * width)
        header.setSectionResizeMode(Column.PLACE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        table.setSortingEnabled(True)

    # -- public --------------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self._alive

    def shut(self) -> None:
        """Sign-out: stop the timer, drop answers still on their way, close the history."""
        self._alive = False
        self._debounce.stop()
        if self.history is not None:
            self.history.shut()
            self.history.deleteLater()
            self.history = None

    def focus_box(self) -> None:
        """Ctrl+F: the box, its text selected so the next query replaces it."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def criteria(self) -> SearchCriteria | None:
        """What the newest query asked (None when the text could not be read)."""
        return self._criteria

    def current_case(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.case_id if row is not None else None

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def pending(self) -> bool:
        """A query is typed or asked and its answer not shown yet."""
        return self._debounce.isActive() or self._shown_generation != self._generation

    def search_now(self) -> None:
        """Read the box and the filters and ask the hall (the debounce's end, F5, Enter)."""
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        self.message.hide()
        try:
            criteria = parse_search(
                self.box.text(),
                occurred_from=self._day(self.date_from),
                occurred_to=self._day(self.date_to, after=True),
                states=[str(s)] if (s := self.state.currentData()) else [],
                district=self.district.currentData(),
            )
        except RuleViolation as error:
            self._criteria = None
            self._show_hint(None, describe_error(error))
            self._answered(generation, [])
            return
        self._criteria = criteria
        self._show_hint(criteria, None)
        if criteria.is_empty:
            self._answered(generation, [])
            return
        self._show_count()

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._shown_generation = generation
            self._enter_results = False
            self.message.setText(describe_error(error))
            self.message.show()
            self._show_count()

        self.runner.submit_while(
            lambda: self._alive,
            search_cases,
            self.session_factory,
            self.actor,
            criteria,
            self.limit,
            on_done=lambda rows: self._answered(generation, rows),
            on_failed=failed,
        )

    def refresh(self, case_ids: Sequence[int]) -> None:
        """Cases changed in the hall: ask again if any of them is shown; the history too."""
        if not self._alive:
            return
        if self.history is not None:
            self.history.refresh(case_ids)
        if set(case_ids) & set(self.model.case_ids()) and not self.pending():
            self.search_now()

    def open_history(self, case_id: int | None = None) -> None:
        """Enter: the chosen (or given) case's full history, in the history window."""
        case_id = case_id if case_id is not None else self.current_case()
        if case_id is None or not self._alive:
            return
        if self.history is None:
            self.history = CaseHistoryDialog(
                self.actor,
                self.session_factory,
                self.runner,
                self.window(),
                choose_path=self._choose_path,
            )
        self.history.show_case(case_id)

    def _choose_path(self, parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
        """Whatever chooser the pane has now (a test swaps it after the window exists)."""
        return self.choose_path(parent, title, suggested, file_filter)

    # -- answers -------------------------------------------------------------------------------
    def _answered(self, generation: int, rows: Sequence[SearchRow]) -> None:
        if generation != self._generation:
            return  # a newer query was asked since: its answer is the one to show
        current = self.current_case()
        self._shown_generation = generation
        self.model.set_rows(rows)
        if current is not None:
            self.select_case(current)
        self._show_count()
        if self._enter_results:
            self._enter_results = False
            self._into_results()

    def _show_count(self) -> None:
        if self.pending() and self._criteria is not None and not self._criteria.is_empty:
            text = self.tr("Searching…")
        elif self._criteria is None or self._criteria.is_empty:
            text = ""
        else:
            shown = self.model.rowCount()
            if shown == 0:
                text = self.tr("No case matches.")
            elif shown >= self.limit:
                text = self.tr("The newest {count} cases; narrow the search for older ones.")
            else:
                text = self.tr("Found: {count}")
            text = text.format(count=shown)
        self.count.setText(text)

    def _show_hint(self, criteria: SearchCriteria | None, error: str | None) -> None:
        """How the text was read, from the parser's criteria; what was ignored, and why."""
        if error is not None:
            self._set_hint(error, ok=False)
            return
        if criteria is None:
            self._set_hint(
                self.tr(
                    "Type a case number, letter number, verification code, plate, phone, ID "
                    "number or a party's name; several words narrow the search."
                ),
                ok=True,
            )
            return
        parts = self._read_parts(criteria)
        lines: list[str] = []
        if parts:
            lines.append(self.tr("Searching for: {parts}").format(parts=", ".join(parts)))
        if criteria.unrecognised:
            lines.append(
                self.tr(
                    "Not understood, ignored: {tokens}. A plate needs at least {plate} "
                    "characters, a case number {case_no}, a name {name}; phone and ID numbers "
                    "are matched whole."
                ).format(
                    tokens=" ".join(criteria.unrecognised),
                    plate=MIN_PLATE_CHARS,
                    case_no=MIN_CASE_NO_CHARS,
                    name=MIN_NAME_CHARS,
                )
            )
        elif not parts:
            self._show_hint(None, None)
            return
        if criteria.is_empty:
            lines.append(self.tr("Nothing to search for yet."))
        self._set_hint("\n".join(lines), ok=not criteria.unrecognised)

    def _read_parts(self, criteria: SearchCriteria) -> list[str]:
        parts: list[str] = []
        for label, values, prefix in (
            (self.tr("case no. {value}"), criteria.case_nos, True),
            (self.tr("letter no. {value}"), criteria.doc_nos, True),
            (self.tr("verification code {value}"), criteria.verification_codes, True),
            (self.tr("plate {value}"), criteria.plates, True),
            (self.tr("phone {value} (whole number)"), criteria.phones, False),
            (self.tr("ID or licence no. {value} (whole number)"), criteria.id_numbers, False),
            (self.tr("name {value}"), criteria.names, True),
        ):
            for value in values:
                whole = not prefix or value.endswith("号")
                parts.append(label.format(value=value if whole else value + "…"))
        if criteria.occurred_from is not None:
            day = to_local(criteria.occurred_from).date()
            parts.append(self.tr("occurred from {date}").format(date=f"{day:%Y-%m-%d}"))
        if criteria.occurred_to is not None:
            day = to_local(criteria.occurred_to).date() - timedelta(days=1)
            parts.append(self.tr("occurred up to {date}").format(date=f"{day:%Y-%m-%d}"))
        for state in sorted(criteria.states, key=lambda s: _STATE_RANK[s]):
            parts.append(self.tr("state {state}").format(state=state_label(state)))
        if criteria.district is not None:
            parts.append(self.tr("district {district}").format(district=criteria.district))
        return parts

    def _set_hint(self, text: str, *, ok: bool) -> None:
        self.hint.setStyleSheet("color: #616161;" if ok else "color: #c62828;")
        self.hint.setText(text)

    @staticmethod
    def _day(edit: QDateEdit, *, after: bool = False) -> datetime | None:
        """The start of the chosen day, or of the next one for the end of the range."""
        chosen = edit.date()
        if chosen == edit.minimumDate():
            return None
        day = cast(date, chosen.toPython())
        return _start_of(day + timedelta(days=1) if after else day)

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.modifiers() not in _PLAIN:
                return super().eventFilter(watched, event)
            if watched is self.box:
                return self._box_key(event)
            if watched is self.table:
                return self._table_key(event)
        return super().eventFilter(watched, event)

    def _box_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._debounce.isActive():
                self.search_now()
            if self.pending():
                self._enter_results = True  # when the answer comes
            else:
                self._into_results()
            return True
        if key == Qt.Key.Key_Escape and self.box.text():
            self.box.clear()
            self.search_now()
            return True
        return False

    def _table_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_history()
            return True
        if key == Qt.Key.Key_Escape or (
            key == Qt.Key.Key_Up and self.table.currentIndex().row() <= 0
        ):
            self.focus_box()
            return True
        return False

    def _into_results(self) -> None:
        if self.model.rowCount() == 0:
            return
        if self.current_case() is None:
            first = self.model.row_at(0)
            if first is not None:
                self.select_case(first.case_id)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _edited(self, *_args: object) -> None:
        self._enter_results = False
        self._debounce.start()
        self._show_count()

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_history(row.case_id)
