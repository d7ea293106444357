"""Undelivered messages (the outbox's dead letters) and the supervisor's manual retry.

A message the outbox gave up on — its attempts used up, or refused for good by the receiver —
is not sent again by itself. This dialog lists them newest first and puts the selected ones
back in the queue (`outbox.retry_dead`, audited, same idempotency key); the caller then wakes
the outbox so they go at once. Loading and retrying run on the task runner, never on the GUI
thread. Keys: arrows move, R or Enter retries the selection, F5 reloads, Esc closes.

Phone numbers are shown with all but their last four digits masked: the list is read at a
hall screen, and a number in a receiver's error text is masked too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.hall import outbox
from console.hall.actor import Actor
from console.hall.journal import SessionFactory
from console.hall.permissions import PERMISSIONS, Action
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex

LIMIT: Final = 500
"""Newest dead messages listed at once; more than this means the receiver is down, not that
someone should retry them one by one."""

MASK: Final = "•"
# Mainland mobiles (optionally +86) and landlines with an area code, as they turn up in a
# receiver's error text; dates, times and ids are left alone.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?![0-9A-Za-z])"
)


def may_retry_dead_letters(actor: Actor) -> bool:
    """Who gets the menu entry: the positions `retry_dead` allows."""
    return actor.position in PERMISSIONS[Action.RETRY_OUTBOX]


def mask_number(number: str) -> str:
    """Every digit (and a leading +) masked but the last four: 13805461234 → •••••••1234."""
    keep = 4
    out = []
    for char in reversed(number):
        if char.isdigit():
            out.append(char if keep > 0 else MASK)
            keep -= 1
        else:
            out.append(MASK if char == "+" else char)
    return "".join(reversed(out))


def mask_phones(text: str) -> str:
    """The phone numbers in a text masked but their last four digits."""
    return _PHONE.sub(lambda match: mask_number(match.group(0)), text)


def shown_destination(letter: outbox.DeadLetter) -> str:
    """An SMS goes to comma-joined numbers, each masked; other kinds name a company or an
    app's submission, shown as they are (bar any phone number in them)."""
    if letter.kind == "sms":
        return ", ".join(mask_number(n.strip()) for n in letter.destination.split(",") if n)
    return mask_phones(letter.destination)


def kind_label(kind: str) -> str:
    label = _KINDS.get(kind)
    return QCoreApplication.translate("DeadLettersDialog", str(label)) if label else kind


_KINDS = {
    "sms": QT_TRANSLATE_NOOP("DeadLettersDialog", "SMS"),
    "insurer_push": QT_TRANSLATE_NOOP("DeadLettersDialog", "Insurer notification"),
    "submission_review": QT_TRANSLATE_NOOP("DeadLettersDialog", "Review result"),
    "watchlist": QT_TRANSLATE_NOOP("DeadLettersDialog", "Checkpoint watch list"),
    "credit_notice": QT_TRANSLATE_NOOP("DeadLettersDialog", "Credit notice"),
}


# ---------------------------------------------------------------- worker side


@dataclass(frozen=True, slots=True)
class Requeued:
    """What a retry changed: `requeued` are pending again; `gone` were no longer dead
    (another seat retried them first, or they were removed)."""

    requeued: tuple[int, ...]
    gone: tuple[int, ...]


def retry_messages(
    session_factory: SessionFactory, message_ids: Sequence[int], actor: Actor
) -> Requeued:
    """Worker side: one audited retry per message, each its own short transaction."""
    done: list[int] = []
    gone: list[int] = []
    for message_id in message_ids:
        (done if outbox.retry_dead(session_factory, message_id, actor) else gone).append(message_id)
    return Requeued(tuple(done), tuple(gone))


# ---------------------------------------------------------------- the model


class DeadLetterModel(QAbstractTableModel):
    """Dead messages by id in the order the use case gives (newest first), over a row cache.
    A reload merges (rows leave, enter, change in place); a retry removes rows."""

    KIND, DESTINATION, CASE, ATTEMPTS, QUEUED, ERROR = range(6)
    IdRole: Final = int(Qt.ItemDataRole.UserRole) + 1

    _HEADERS = (
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Kind"),
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Destination"),
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Case"),
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Attempts"),
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Queued at"),
        QT_TRANSLATE_NOOP("DeadLettersDialog", "Last error"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[outbox.DeadLetter] = []

    # -- reading ----------------------------------------------------------------------------
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
            return QCoreApplication.translate("DeadLettersDialog", str(self._HEADERS[section]))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        letter = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(letter, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ERROR:
            return mask_phones(letter.last_error or "")
        if role == self.IdRole:
            return letter.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.ATTEMPTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, letter: outbox.DeadLetter, column: int) -> str | None:
        if column == self.KIND:
            return kind_label(letter.kind)
        if column == self.DESTINATION:
            return shown_destination(letter)
        if column == self.CASE:
            return letter.case_no or "—"
        if column == self.ATTEMPTS:
            return str(letter.attempts)
        if column == self.ERROR:
            first_line = (letter.last_error or "—").strip().splitlines()
            return mask_phones(first_line[0] if first_line else "—")
        if column == self.QUEUED:
            return f"{to_local(letter.created_at):%Y-%m-%d %H:%M}"
        return None

    def letter(self, row: int) -> outbox.DeadLetter:
        return self._rows[row]

    def ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def row_of(self, message_id: int) -> int | None:
        for row, letter in enumerate(self._rows):
            if letter.id == message_id:
                return row
        return None

    # -- changes ----------------------------------------------------------------------------
    def set_letters(self, letters: Sequence[outbox.DeadLetter]) -> None:
        """Merge a fresh list (same order as before: newest first) into the rows shown."""
        wanted = {letter.id for letter in letters}
        self.remove_ids([i for i in self.ids() if i not in wanted])
        for row, letter in enumerate(letters):
            if row < len(self._rows) and self._rows[row].id == letter.id:
                if self._rows[row] != letter:
                    self._rows[row] = letter
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, self.columnCount() - 1)
                    )
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, letter)
            self.endInsertRows()

    def remove_ids(self, message_ids: Sequence[int]) -> None:
        gone = set(message_ids)
        row = len(self._rows) - 1
        while row >= 0:  # bottom up, one signal per contiguous run
            if self._rows[row].id not in gone:
                row -= 1
                continue
            last = row
            while row >= 0 and self._rows[row].id in gone:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            del self._rows[row + 1 : last + 1]
            self.endRemoveRows()


# ---------------------------------------------------------------- the dialog


class DeadLettersDialog(QDialog):
    """The list and its keys. `on_requeued(ids)` runs on the GUI thread after a retry that
    changed something (the window wakes the outbox with it)."""

    def __init__(
        self,
        actor: Actor,
        session_factory: SessionFactory,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        on_requeued: Callable[[list[int]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dead_letters")
        self.setWindowTitle(self.tr("Undelivered messages"))
        self.resize(980, 460)
        self.actor = actor
        self._session_factory = session_factory
        self.runner = runner
        self._on_requeued = on_requeued
        self._alive = True
        self._busy = False

        self.model = DeadLetterModel(self)
        self.table = QTableView()
        self.table.setObjectName("dead_letters_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the error text takes the room that is left

        self.empty = QLabel(
            self.tr(
                "No undelivered messages. Everything the hall sent was delivered or is "
                "still being tried."
            )
        )
        self.empty.setObjectName("dead_letters_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("font-size: 15px; color: #2e7d32;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)

        self.status = QLabel()
        self.status.setObjectName("dead_letters_status")
        self.status.setWordWrap(True)
        self.hint = QLabel(self.tr("R or Enter: retry the selected messages · F5: reload"))
        self.hint.setStyleSheet("color: #757575;")

        self.retry_button = QPushButton(self.tr("&Retry selected"))
        self.reload_button = QPushButton(self.tr("Reload"))
        self.close_button = QPushButton(self.tr("Close"))
        for button in (self.retry_button, self.reload_button, self.close_button):
            # Enter belongs to the retry shortcut, never to a default button.
            button.setAutoDefault(False)
            button.setDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.retry_button.clicked.connect(self.retry_selected)
        self.reload_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.reject)

        self.retry_action = QAction(self.tr("Retry selected"), self)
        self.retry_action.setShortcuts(
            [
                QKeySequence(Qt.Key.Key_R),
                QKeySequence(Qt.Key.Key_Return),
                QKeySequence(Qt.Key.Key_Enter),
            ]
        )
        self.retry_action.triggered.connect(self.retry_selected)
        self.reload_action = QAction(self.tr("Reload"), self)
        self.reload_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reload_action.triggered.connect(self.reload)
        for action in (self.retry_action, self.reload_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    # -- life -------------------------------------------------------------------------------
    def open_and_load(self) -> None:
        if self.isVisible():
            self.raise_()
            self.activateWindow()
        else:
            self.show()
        (self.empty if self.pages.currentWidget() is self.empty else self.table).setFocus()
        self.reload()

    def shut(self) -> None:
        """The seat is going: results still in flight are dropped."""
        self._alive = False
        self.close()

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        if self._busy or not self._alive:
            return
        self._set_busy(True)
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(
            outbox.dead_letters,
            self._session_factory,
            LIMIT,
            on_done=self._guard(self._loaded),
            on_failed=self._guard(self._failed),
        )

    def _loaded(self, letters: list[outbox.DeadLetter]) -> None:
        self._set_busy(False)
        selected = self.selected_ids()
        current = self._current_id()
        self.model.set_letters(letters)
        for column in range(DeadLetterModel.ERROR):
            self.table.resizeColumnToContents(column)
        self._restore_selection(selected, current)
        count = len(letters)
        if count == 0:
            self.status.clear()
        elif count >= LIMIT:
            self.status.setText(
                self.tr("The newest {count} undelivered messages are shown.").format(count=count)
            )
        else:
            self.status.setText(self.tr("{count} undelivered messages.").format(count=count))
        self._show_page()

    # -- retrying ---------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.letter(row).id for row in rows]

    def retry_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self._busy or not self._alive:
            return
        self._set_busy(True)
        self.status.setText(self.tr("Requeueing…"))
        self.runner.submit(
            retry_messages,
            self._session_factory,
            ids,
            self.actor,
            on_done=self._guard(self._retried),
            on_failed=self._guard(self._failed),
        )

    def _retried(self, outcome: Requeued) -> None:
        self._set_busy(False)
        first_row = min(
            (
                row
                for i in (*outcome.requeued, *outcome.gone)
                if (row := self.model.row_of(i)) is not None
            ),
            default=0,
        )
        self.model.remove_ids([*outcome.requeued, *outcome.gone])
        text = self.tr("Requeued: {count}. The outbox sends them again now.").format(
            count=len(outcome.requeued)
        )
        if outcome.gone:
            text += " " + self.tr(
                "Already back in the queue (retried at another seat): {count}."
            ).format(count=len(outcome.gone))
        self.status.setText(text)
        self._show_page()
        if self.model.rowCount():
            row = min(first_row, self.model.rowCount() - 1)
            self.table.selectRow(row)
        if outcome.requeued and self._on_requeued is not None:
            self._on_requeued(list(outcome.requeued))

    # -- shared -----------------------------------------------------------------------------
    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.status.setText(describe_error(error))

    def _guard(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def guarded(value: Any) -> None:
            if self._alive:
                callback(value)

        return guarded

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        can_retry = not self._busy and self.table.selectionModel().hasSelection()
        self.retry_action.setEnabled(can_retry)
        self.retry_button.setEnabled(can_retry)
        self.reload_action.setEnabled(not self._busy)
        self.reload_button.setEnabled(not self._busy)

    def _show_page(self) -> None:
        empty = self.model.rowCount() == 0
        self.pages.setCurrentWidget(self.empty if empty else self.table)
        # Focus stays inside the dialog, so F5 and Esc keep working on an empty list.
        (self.empty if empty else self.table).setFocus()

    def _current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.letter(index.row()).id if index.isValid() else None

    def _restore_selection(self, selected: list[int], current: int | None) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [r for i in selected if (r := self.model.row_of(i)) is not None]
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        current_row = self.model.row_of(current) if current is not None else None
        if current_row is None and self.model.rowCount():
            current_row = rows[0] if rows else 0
        if current_row is not None:
            selection.setCurrentIndex(
                self.model.index(current_row, 0),
                QItemSelectionModel.SelectionFlag.NoUpdate
                if rows
                else QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
