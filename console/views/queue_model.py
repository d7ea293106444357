"""The shared case queue as a Qt table model: case ids in display order over a row cache.

Measured on the hall's machines (perf-baseline §2b), a QSortFilterProxyModel over a Python model
needs 4–10 s to sort 10k rows and 47 s for 100k, so this model sorts and filters itself:

- every known row is cached in `_rows` (case id -> QueueRow), with its sort key for the
  current column in `_keys`; keys end in the case id, so they are unique and any id's position
  is one binary search away;
- `_all` holds every id in display order and `_order` the ids that pass the filter, in the same
  order, so a filter change is one pass over `_all` and never a sort;
- changes arrive in batches (`apply_rows`, fed by `CoalescingApplier` a few times a second) and
  become the smallest signals Qt has for them: dataChanged for rows updated in place,
  beginInsertRows/beginRemoveRows for rows entering or leaving the filter, one layoutChanged
  for rows whose sort position moved. A model reset only happens on `set_rows` (full reload)
  and `set_filter`, where the view restores its selection by case id.

`data()` returns at once for roles it does not serve: a repaint asks ~7 roles per cell and each
call into Python costs ~15 µs.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, ClassVar, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from console.domain.deadlines import (
    DEFAULT_TIMER_POLICY,
    TimerPolicy,
    TimerState,
    TimerStatus,
    timer_status,
    to_local,
)
from console.domain.lifecycle import CaseState, StepClock
from console.domain.positions import Position
from console.hall.queries import FilterKind, QueueFilter, QueueRow, step_limit
from console.views.labels import position_label, state_label

__all__ = [
    "CaseIdRole",
    "CaseQueueModel",
    "CoalescingApplier",
    "Column",
    "FilterKind",
    "QueueFilter",
    "RowRole",
    "TimerStatusRole",
    "VersionRole",
    "format_age",
    "format_timer",
]

Index = QModelIndex | QPersistentModelIndex


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the marker lupdate finds
    """Mark `text` for translation in `context`; it is translated where it is shown."""
    return text


SortKey = tuple[Any, int]

CaseIdRole = int(Qt.ItemDataRole.UserRole) + 1
"""The case id (int) of the row."""
RowRole = int(Qt.ItemDataRole.UserRole) + 2
"""The row's QueueRow snapshot."""
VersionRole = int(Qt.ItemDataRole.UserRole) + 3
"""The case version the row was loaded at, for optimistic edits (expected_version)."""
TimerStatusRole = int(Qt.ItemDataRole.UserRole) + 4
"""The TimerStatus of the running step clock, or None when no clock runs."""

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_SERVED_ROLES = frozenset(
    {
        _DISPLAY,
        _TOOLTIP,
        _ALIGN,
        _BACKGROUND,
        _FOREGROUND,
        CaseIdRole,
        RowRole,
        VersionRole,
        TimerStatusRole,
    }
)
# The overload that carries the hint; views skip work for a vertical-only re-order.
_LAYOUT_SIGNATURE = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"
_SORT_HINT = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_CLOCK_ROLES = [_DISPLAY, _TOOLTIP, _BACKGROUND, _FOREGROUND, TimerStatusRole]


class Column(IntEnum):
    """Queue columns; AGE and TIMER sit side by side so the 1 s tick is one dataChanged."""

    CASE_NO = 0
    STATE = 1
    POSITION = 2
    ASSIGNEE = 3
    PLATES = 4
    PLACE = 5
    AGE = 6
    TIMER = 7


_HEADERS: dict[Column, str] = {
    Column.CASE_NO: QT_TRANSLATE_NOOP("CaseQueueModel", "Case no."),
    Column.STATE: QT_TRANSLATE_NOOP("CaseQueueModel", "State"),
    Column.POSITION: QT_TRANSLATE_NOOP("CaseQueueModel", "Position"),
    Column.ASSIGNEE: QT_TRANSLATE_NOOP("CaseQueueModel", "Handled by"),
    Column.PLATES: QT_TRANSLATE_NOOP("CaseQueueModel", "Plates"),
    Column.PLACE: QT_TRANSLATE_NOOP("CaseQueueModel", "Place"),
    Column.AGE: QT_TRANSLATE_NOOP("CaseQueueModel", "Age"),
    Column.TIMER: QT_TRANSLATE_NOOP("CaseQueueModel", "Timer"),
}

_CLOCK_TEXTS: dict[StepClock, str] = {
    StepClock.REVIEW: QT_TRANSLATE_NOOP("StepClock", "Review"),
    StepClock.DETERMINATION: QT_TRANSLATE_NOOP("StepClock", "Determination"),
    StepClock.INSURER_ACK: QT_TRANSLATE_NOOP("StepClock", "Insurer acknowledgement"),
}


def format_age(seconds: float) -> str:
    """How long a case has been open, coarse enough to read at a glance: 12 min, 3 h, 2 d."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        # Chinese has no plural forms and lupdate's plural handling differs between Qt
        # releases, so counts are plain placeholders.
        return QCoreApplication.translate("CaseQueueModel", "{n} min").format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate("CaseQueueModel", "{n} h").format(n=hours)
    return QCoreApplication.translate("CaseQueueModel", "{n} d").format(n=hours // 24)


def _clock_face(seconds: float) -> str:
    whole = math.ceil(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def format_timer(status: TimerStatus) -> str:
    """Time left on the step clock ("04:12"), or past it with a minus sign ("-01:05")."""
    if status.state is TimerState.RED:
        # Overdue by a fraction of a second already reads "-00:01": red must never show 00:00.
        return "-" + _clock_face(status.overdue_seconds)
    return _clock_face(status.remaining_seconds)


# Control-room colours: green text while on time, amber and red panels when the step is late.
_TIMER_BACKGROUND: dict[TimerState, QBrush | None] = {
    TimerState.GREEN: None,
    TimerState.AMBER: QBrush(QColor("#ffc107")),
    TimerState.RED: QBrush(QColor("#d32f2f")),
}
_TIMER_FOREGROUND: dict[TimerState, QBrush] = {
    TimerState.GREEN: QBrush(QColor("#1b7f3b")),
    TimerState.AMBER: QBrush(QColor("#000000")),
    TimerState.RED: QBrush(QColor("#ffffff")),
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

_STATE_RANK: dict[CaseState, int] = {state: i for i, state in enumerate(CaseState)}
_POSITION_RANK: dict[Position | None, int] = {p: i for i, p in enumerate(Position)}
_POSITION_RANK[None] = len(_POSITION_RANK)
_NO_CLOCK: TimerStatus | None = None


def _without(items: list[int], positions: Sequence[int]) -> list[int]:
    """`items` minus the given ascending positions, built from slices (memcpy, not a loop)."""
    out: list[int] = []
    start = 0
    for pos in positions:
        out += items[start:pos]
        start = pos + 1
    out += items[start:]
    return out


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending positions grouped into (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for pos in positions:
        if runs and runs[-1][1] + 1 == pos:
            runs[-1] = (runs[-1][0], pos)
        else:
            runs.append((pos, pos))
    return runs


class CaseQueueModel(QAbstractTableModel):
    """The shared case queue: every seat's list of cases, sorted and filtered in Python."""

    CaseIdRole: ClassVar[int] = CaseIdRole
    RowRole: ClassVar[int] = RowRole
    VersionRole: ClassVar[int] = VersionRole
    TimerStatusRole: ClassVar[int] = TimerStatusRole

    def __init__(
        self,
        policy: TimerPolicy = DEFAULT_TIMER_POLICY,
        parent: QObject | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self._policy = policy
        self._now = now or datetime.now(UTC)
        self._rows: dict[int, QueueRow] = {}
        self._keys: dict[int, SortKey] = {}
        self._all: list[int] = []
        self._order: list[int] = []
        self._visible: set[int] = set()
        self._sort_column = Column.TIMER
        self._descending = False
        self._key_of = self._key_function(Column.TIMER)
        self._filter = QueueFilter()
        self._match: Callable[[QueueRow], bool] | None = None
        # Deadlines of hidden rows, soonest first, while the OVERDUE filter is on: the tick
        # admits rows as their clocks run out without scanning the whole queue every second.
        self._due: list[tuple[float, int]] = []
        self._headers: list[str] = []
        self._state_texts: dict[CaseState, str] = {}
        self._position_texts: dict[Position | None, str] = {}
        self._translate()

    # ------------------------------------------------------------ Qt model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == _DISPLAY
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SERVED_ROLES:
            return None
        r = index.row()
        order = self._order
        if r < 0 or r >= len(order):
            return None
        row = self._rows[order[r]]
        column = index.column()
        if role == _DISPLAY:
            return self._display(row, column)
        if column == Column.TIMER and role in (_BACKGROUND, _FOREGROUND):
            status = self._status(row)
            if status is None:
                return None
            if role == _BACKGROUND:
                return _TIMER_BACKGROUND[status.state]
            return _TIMER_FOREGROUND[status.state]
        if role == _ALIGN:
            return _RIGHT if column >= Column.AGE else None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == CaseIdRole:
            return row.case_id
        if role == RowRole:
            return row
        if role == VersionRole:
            return row.version
        if role == TimerStatusRole:
            return self._status(row)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (stable, unique keys) and move persistent indexes with the rows."""
        if not 0 <= column < len(Column):
            return
        new_column = Column(column)
        descending = order == Qt.SortOrder.DescendingOrder
        if new_column == self._sort_column and descending == self._descending:
            return
        self._layout_about_to_change()
        persistent, held = self._hold_persistent()
        same_column = new_column == self._sort_column
        self._sort_column = new_column
        self._descending = descending
        if same_column:
            # Keys are unique, so the opposite order is exactly the reverse.
            self._all.reverse()
            self._order.reverse()
        else:
            self._key_of = self._key_function(new_column)
            self._resort()
            self._order = self._filtered(self._all)
        self._release_persistent(persistent, held)
        self._layout_changed()

    # ------------------------------------------------------------ reading

    @property
    def policy(self) -> TimerPolicy:
        return self._policy

    @property
    def now(self) -> datetime:
        return self._now

    @property
    def queue_filter(self) -> QueueFilter:
        return self._filter

    @property
    def sort_column(self) -> Column:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def case_at(self, row: int) -> int | None:
        """The case id shown in `row`, or None outside the table."""
        return self._order[row] if 0 <= row < len(self._order) else None

    def row_for_case(self, case_id: int) -> int:
        """The table row showing `case_id`, or -1 when it is filtered out or unknown."""
        if case_id not in self._visible:
            return -1
        return self._locate(self._order, case_id)

    def queue_row(self, case_id: int) -> QueueRow | None:
        """The cached row of a case, shown or filtered out."""
        return self._rows.get(case_id)

    def visible_case_ids(self) -> list[int]:
        """The case ids in display order (a copy)."""
        return list(self._order)

    def known_count(self) -> int:
        """How many cases are cached, shown or not."""
        return len(self._rows)

    # ------------------------------------------------------------ changing

    def set_rows(self, rows: Iterable[QueueRow]) -> None:
        """Replace the whole queue (first load, reload after a reconnect): one model reset."""
        self.beginResetModel()
        self._rows = {row.case_id: row for row in rows}
        self._resort()
        self._order = self._filtered(self._all)
        self._visible = set(self._order)
        self._rebuild_due()
        self.endResetModel()

    def set_filter(self, queue_filter: QueueFilter) -> None:
        """Show another subset: one pass over the sorted ids, then a model reset."""
        if queue_filter == self._filter:
            return
        self.beginResetModel()
        self._filter = queue_filter
        self._match = queue_filter.predicate(self._now, self._policy)
        self._order = self._filtered(self._all)
        self._visible = set(self._order)
        self._rebuild_due()
        self.endResetModel()

    def apply_rows(self, changed: Iterable[QueueRow], removed_ids: Iterable[int] = ()) -> None:
        """Merge a batch of fresh rows and forgotten cases into the queue.

        Rows older than the cached version are ignored (a slow load must not undo a newer
        one). Updated rows that keep their place get dataChanged; rows whose sort position
        moved get one layoutChanged (selection and current index move with them); rows that
        start or stop passing the filter are inserted or removed where they belong.
        """
        removed = {case_id for case_id in removed_ids if case_id in self._rows}
        fresh: dict[int, QueueRow] = {}
        for row in changed:
            case_id = row.case_id
            if case_id in removed:
                continue
            known = fresh.get(case_id) or self._rows.get(case_id)
            if known is not None and row.version < known.version:
                continue
            fresh[case_id] = row
        if not fresh and not removed:
            return

        keys, key_of, match = self._keys, self._key_of, self._match
        new_keys: dict[int, SortKey] = {}
        entering: list[int] = []
        leaving: list[int] = []
        moving: dict[int, SortKey] = {}
        touched: list[int] = []
        rekeyed: list[int] = list(removed)  # known ids whose place in `_all` changes
        unknown: list[int] = []  # ids new to the queue
        for case_id, row in fresh.items():
            key = key_of(row)
            new_keys[case_id] = key
            old_key = keys.get(case_id)
            if old_key is None:
                unknown.append(case_id)
                if match is None or match(row):
                    entering.append(case_id)
                continue
            if old_key != key:
                rekeyed.append(case_id)
            if case_id in self._visible:
                if match is not None and not match(row):
                    leaving.append(case_id)
                elif old_key != key:
                    moving[case_id] = key
                else:
                    touched.append(case_id)
            elif match is None or match(row):
                entering.append(case_id)
        leaving.extend(case_id for case_id in removed if case_id in self._visible)

        # `_all` is private bookkeeping: take the re-keyed ids out while the keys are still
        # the old ones, and put them back once every key is final.
        all_out = sorted(self._locate(self._all, case_id) for case_id in rekeyed)
        self._all = _without(self._all, all_out)

        self._rows.update(fresh)
        if moving:
            self._move_visible(moving)
        if leaving:
            self._remove_visible(sorted(self._locate(self._order, c) for c in leaving))
        for case_id in removed:
            del self._rows[case_id]
            del keys[case_id]
        keys.update(new_keys)
        if entering:
            self._insert_visible(entering)

        back = [case_id for case_id in rekeyed if case_id not in removed]
        self._all = self._merged(self._all, back + unknown)

        changed_rows = [self._locate(self._order, c) for c in (*touched, *moving)]
        if changed_rows:
            last = len(Column) - 1
            self.dataChanged.emit(
                self.index(min(changed_rows), 0), self.index(max(changed_rows), last), []
            )
        if self._filter.kind is FilterKind.OVERDUE:
            for case_id, row in fresh.items():
                if case_id not in self._visible:
                    self._push_due(row)

    def tick(self, now: datetime | None = None, rows: tuple[int, int] | None = None) -> None:
        """Advance the clock: refresh the age and timer cells of `rows` (first, last; default
        all) and let cases whose step clock just ran out into the OVERDUE filter."""
        self._now = now or datetime.now(UTC)
        if self._filter.kind is FilterKind.OVERDUE:
            self._match = self._filter.predicate(self._now, self._policy)
            self._admit_due()
        count = len(self._order)
        if count == 0:
            return
        first, last = rows if rows is not None else (0, count - 1)
        first, last = max(0, first), min(count - 1, last)
        if first > last:
            return
        self.dataChanged.emit(
            self.index(first, Column.AGE), self.index(last, Column.TIMER), _CLOCK_ROLES
        )

    def set_now(self, now: datetime) -> None:
        """Set the clock the ages and timers count to, and refresh them."""
        self.tick(now)

    def retranslate(self) -> None:
        """Re-read every label after the UI language changed."""
        self._translate()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._order:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._order) - 1, len(Column) - 1), []
            )

    # ------------------------------------------------------------ internals

    def _translate(self) -> None:
        self._headers = [QCoreApplication.translate("CaseQueueModel", _HEADERS[c]) for c in Column]
        # Translated once per language: data() runs for every painted cell.
        self._state_texts = {state: state_label(state) for state in CaseState}
        self._position_texts = {p: position_label(p) for p in (*Position, None)}

    def _display(self, row: QueueRow, column: int) -> str:
        if column == Column.CASE_NO:
            return row.case_no
        if column == Column.STATE:
            return self._state_texts[row.state]
        if column == Column.POSITION:
            return self._position_texts[row.owner_position]
        if column == Column.ASSIGNEE:
            return row.assignee_name or ""
        if column == Column.PLATES:
            return row.plates_text
        if column == Column.PLACE:
            return row.place
        if column == Column.AGE:
            return format_age((self._now - row.created_at).total_seconds())
        if column == Column.TIMER:
            status = self._status(row)
            return "" if status is None else format_timer(status)
        return ""

    def _tooltip(self, row: QueueRow, column: int) -> str | None:
        if column == Column.PLATES:
            return row.plates_text or None
        if column == Column.PLACE:
            return " ".join(part for part in (row.district, row.place) if part) or None
        if column == Column.TIMER:
            deadline = row.deadline(self._policy)
            if deadline is None or row.clock is None:
                return None
            clock = QCoreApplication.translate("StepClock", _CLOCK_TEXTS[row.clock])
            return (
                QCoreApplication.translate("CaseQueueModel", "%1 due at %2")
                .replace("%1", clock)
                .replace("%2", f"{to_local(deadline):%H:%M:%S}")
            )
        return None

    def _status(self, row: QueueRow) -> TimerStatus | None:
        if row.clock is None or row.clock_started_at is None:
            return _NO_CLOCK
        limit = step_limit(row.clock, self._policy)
        return timer_status(row.clock_started_at, self._now, limit, self._policy.amber_fraction)

    def _primary_function(self, column: Column) -> Callable[[QueueRow], Any]:
        """What a column sorts by. Never the current time, so a sorted queue stays sorted."""
        if column == Column.CASE_NO:
            return lambda row: row.case_no
        if column == Column.STATE:
            return lambda row: _STATE_RANK[row.state]
        if column == Column.POSITION:
            return lambda row: _POSITION_RANK[row.owner_position]
        if column == Column.ASSIGNEE:
            return lambda row: row.assignee_name or ""
        if column == Column.PLATES:
            return lambda row: row.plates_text
        if column == Column.PLACE:
            return lambda row: row.place
        if column == Column.AGE:
            # Youngest first when ascending, as the column reads "3 min" before "2 h".
            return lambda row: -row.created_at.timestamp()
        policy = self._policy

        def by_deadline(row: QueueRow) -> float:
            # Most urgent first; rows without a running clock after all timed ones.
            deadline = row.deadline(policy)
            return math.inf if deadline is None else deadline.timestamp()

        return by_deadline

    def _key_function(self, column: Column) -> Callable[[QueueRow], SortKey]:
        """The full key: the column's value, then the case id, so every key is unique."""
        primary = self._primary_function(column)
        return lambda row: (primary(row), row.case_id)

    def _resort(self) -> None:
        """Rebuild the keys and `_all` for the current column and direction.

        Python sorts plain strings and floats several times faster than tuples, so sort by the
        column's value alone over ids in ascending order: the sort is stable, which gives
        exactly the (value, case id) order of the keys the binary searches use.
        """
        primary = self._primary_function(self._sort_column)
        firsts = {case_id: primary(row) for case_id, row in self._rows.items()}
        ordered = sorted(firsts)
        ordered.sort(key=firsts.__getitem__)
        if self._descending:
            ordered.reverse()
        self._keys = {case_id: (first, case_id) for case_id, first in firsts.items()}
        self._all = ordered

    def _filtered(self, ordered: list[int]) -> list[int]:
        if self._match is None:
            return list(ordered)
        return self._filter.select(ordered, self._rows, self._now, self._policy)

    def _find(self, ordered: list[int], key: SortKey) -> int:
        """Where `key` belongs in `ordered` (display order, ascending or descending)."""
        keys = self._keys
        if not self._descending:
            return bisect_left(ordered, key, key=keys.__getitem__)
        lo, hi = 0, len(ordered)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[ordered[mid]] > key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _locate(self, ordered: list[int], case_id: int) -> int:
        """The position of an id that is in `ordered`, by its current key."""
        pos = self._find(ordered, self._keys[case_id])
        if pos < len(ordered) and ordered[pos] == case_id:
            return pos
        # Unreachable while keys are unique and `ordered` is sorted; never worth a wrong row.
        return ordered.index(case_id)

    def _merged(self, ordered: list[int], ids: Iterable[int]) -> list[int]:
        """`ordered` with `ids` (not in it, keys final) added at their sorted places."""
        adding = sorted(ids, key=self._keys.__getitem__, reverse=self._descending)
        if not adding:
            return ordered
        out: list[int] = []
        start = 0
        for case_id in adding:
            pos = self._find(ordered, self._keys[case_id])
            out += ordered[start:pos]
            out.append(case_id)
            start = pos
        out += ordered[start:]
        return out

    def _layout_about_to_change(self) -> None:
        # PySide6 picks an overload by its C++ signature; its stubs do not know the index.
        cast(Any, self.layoutAboutToBeChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)

    def _layout_changed(self) -> None:
        cast(Any, self.layoutChanged)[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)

    def _hold_persistent(self) -> tuple[list[QModelIndex], list[int | None]]:
        persistent = self.persistentIndexList()
        held = [
            self._order[i.row()] if 0 <= i.row() < len(self._order) else None for i in persistent
        ]
        return persistent, held

    def _release_persistent(self, persistent: list[QModelIndex], held: list[int | None]) -> None:
        moved = []
        for index, case_id in zip(persistent, held, strict=True):
            row = -1 if case_id is None else self.row_for_case(case_id)
            moved.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, moved)

    def _move_visible(self, moving: dict[int, SortKey]) -> None:
        """Rows that stay visible but changed their sort key: one layout change."""
        self._layout_about_to_change()
        persistent, held = self._hold_persistent()
        out = sorted(self._locate(self._order, case_id) for case_id in moving)
        order = _without(self._order, out)
        self._keys.update(moving)
        self._order = self._merged(order, moving)
        self._release_persistent(persistent, held)
        self._layout_changed()

    def _remove_visible(self, positions: list[int]) -> None:
        for first, last in reversed(_runs(positions)):
            self.beginRemoveRows(QModelIndex(), first, last)
            self._visible.difference_update(self._order[first : last + 1])
            del self._order[first : last + 1]
            self.endRemoveRows()

    def _insert_visible(self, ids: Iterable[int]) -> None:
        keys = self._keys
        adding = sorted(ids, key=keys.__getitem__, reverse=self._descending)
        targets = [self._find(self._order, keys[case_id]) + i for i, case_id in enumerate(adding)]
        start = 0
        for first, last in _runs(targets):
            run = adding[start : start + last - first + 1]
            start += len(run)
            self.beginInsertRows(QModelIndex(), first, last)
            self._order[first:first] = run
            self._visible.update(run)
            self.endInsertRows()

    def _rebuild_due(self) -> None:
        self._due = []
        if self._filter.kind is not FilterKind.OVERDUE:
            return
        policy, visible = self._policy, self._visible
        for case_id, row in self._rows.items():
            if case_id not in visible:
                deadline = row.deadline(policy)
                if deadline is not None:
                    self._due.append((deadline.timestamp(), case_id))
        heapq.heapify(self._due)

    def _push_due(self, row: QueueRow) -> None:
        deadline = row.deadline(self._policy)
        if deadline is not None:
            heapq.heappush(self._due, (deadline.timestamp(), row.case_id))
            if len(self._due) > 2 * len(self._rows) + 1000:  # stale entries of updated cases
                self._rebuild_due()

    def _admit_due(self) -> None:
        due, match = self._due, self._match
        now = self._now.timestamp()
        entering = []
        while due and due[0][0] < now:
            _, case_id = heapq.heappop(due)
            row = self._rows.get(case_id)
            if row is None or case_id in self._visible:
                continue
            deadline = row.deadline(self._policy)
            if deadline is None:
                continue
            if deadline.timestamp() >= now:  # the clock restarted since it was queued
                heapq.heappush(due, (deadline.timestamp(), case_id))
                continue
            if match is None or match(row):
                entering.append(case_id)
        if entering:
            self._insert_visible(entering)


class CoalescingApplier(QObject):
    """Collects row changes from many feed events and applies them at most every 250 ms.

    A full repaint of the queue costs 35–75 ms on the GUI thread (perf-baseline §2b), so a
    burst of 1,000 case events must become a few model applies, not 1,000. The newest version
    of each case wins; a removal cancels an earlier row of the same case and vice versa.
    """

    applied = Signal(int)
    """One batch went into the model; the argument is how many cases it touched."""

    def __init__(
        self, model: CaseQueueModel, *, interval_ms: int = 250, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._pending: dict[int, QueueRow] = {}
        self._removed: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self.apply_count = 0

    @property
    def pending_count(self) -> int:
        return len(self._pending) + len(self._removed)

    def add(self, rows: Iterable[QueueRow] = (), removed_ids: Iterable[int] = ()) -> None:
        """Queue fresh rows and removals; the model sees them on the next flush."""
        pending = self._pending
        for row in rows:
            known = pending.get(row.case_id)
            if known is None or row.version >= known.version:
                pending[row.case_id] = row
            self._removed.discard(row.case_id)
        for case_id in removed_ids:
            pending.pop(case_id, None)
            self._removed.add(case_id)
        if self.pending_count and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Apply everything queued now (the timer calls this; so may a full reload)."""
        self._timer.stop()
        if not self.pending_count:
            return
        rows, removed = list(self._pending.values()), self._removed
        self._pending, self._removed = {}, set()
        self._model.apply_rows(rows, removed)
        self.apply_count += 1
        self.applied.emit(len(rows) + len(removed))

    def discard_pending(self) -> None:
        """Drop what is queued, e.g. right before `set_rows` replaces the whole queue."""
        self._timer.stop()
        self._pending.clear()
        self._removed.clear()
