"""The ringing list's model and the banner that announces waiting calls.

Neither takes keyboard focus: a call arriving while someone types into a form must not move
the cursor. Waits tick once a second from `waiting_since`, without asking the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from console.hall.call_queries import CallState, CallView
from console.views.labels import position_label

ANSWER_LIMIT_S = 60
"""DOMAIN.md: a handed-over call is answered within 60 s; past it the wait shows red."""

COLUMNS = (
    QT_TRANSLATE_NOOP("RingingCalls", "Waiting"),
    QT_TRANSLATE_NOOP("RingingCalls", "Caller"),
    QT_TRANSLATE_NOOP("RingingCalls", "Place"),
    QT_TRANSLATE_NOOP("RingingCalls", "For"),
)

_Index = QModelIndex | QPersistentModelIndex


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def waited(call: CallView, now: datetime) -> float:
    return max(0.0, (now - call.waiting_since).total_seconds())


def _tr(text: str) -> str:
    return QCoreApplication.translate("RingingCalls", text)


class RingingCallsModel(QAbstractTableModel):
    """Oldest ring first, the order one-key answer takes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calls: list[CallView] = []
        self._now = datetime.now(UTC)

    def set_calls(self, calls: Sequence[CallView]) -> None:
        """Replace the list; a reset only when the set of calls changed, so a selection and
        the scroll position survive the once-a-second refresh."""
        calls = list(calls)
        if [c.id for c in calls] == [c.id for c in self._calls]:
            self._calls = calls
            if calls:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(calls) - 1, len(COLUMNS) - 1)
                )
            return
        self.beginResetModel()
        self._calls = calls
        self.endResetModel()

    def tick(self, now: datetime | None = None) -> None:
        self._now = now or datetime.now(UTC)
        if self._calls:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._calls) - 1, 0))

    def calls(self) -> list[CallView]:
        return list(self._calls)

    def call_at(self, row: int) -> CallView | None:
        return self._calls[row] if 0 <= row < len(self._calls) else None

    def longest_wait(self) -> float:
        return max((waited(c, self._now) for c in self._calls), default=0.0)

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(COLUMNS[section]))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        call = self.call_at(index.row())
        if call is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return clock(waited(call, self._now))
            if column == 1:
                return call.caller_phone + (f" {call.caller_name}" if call.caller_name else "")
            if column == 2:
                return " · ".join(p for p in (call.district, call.place_text) if p) or "—"
            return self._target(call)
        late = waited(call, self._now) > ANSWER_LIMIT_S
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and late:
            return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return call.place_text or None
        return None

    @staticmethod
    def _target(call: CallView) -> str:
        transfer = call.state is CallState.TRANSFERRING
        if call.target_seat:
            target = QCoreApplication.translate("RingingCalls", "seat {seat}").format(
                seat=call.target_seat
            )
        else:
            target = position_label(call.target_position)
        if transfer:
            return QCoreApplication.translate(
                "RingingCalls", "{target} (transferred by {who})"
            ).format(target=target, who=call.answered_by_name or call.answered_seat or "?")
        return target


class CallBanner(QFrame):
    """A strip above the work area: how many calls ring, the longest wait, the key to press.

    Hidden while nothing rings; red once the longest wait passes the answer limit."""

    def __init__(self, answer_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_banner")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._answer_key = answer_key
        self.text = QLabel()
        self.text.setObjectName("call_banner_text")
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        self._late: bool | None = None
        self.hide()

    def show_waiting(self, count: int, longest_s: float) -> None:
        if count == 0:
            self.hide()
            return
        self.text.setText(
            self.tr("☎ {count} calls waiting · longest {wait} · press {key} to answer").format(
                count=count, wait=clock(longest_s), key=self._answer_key
            )
        )
        late = longest_s > ANSWER_LIMIT_S
        if late != self._late:
            self._late = late
            colour = "#c62828" if late else "#e65100"
            self.setStyleSheet(
                f"#call_banner {{ background: {colour}; border-radius: 4px; }}"
                "#call_banner_text { color: white; font-size: 15px; font-weight: bold; }"
            )
        self.show()
