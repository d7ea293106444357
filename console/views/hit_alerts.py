"""Checkpoint hits at the lookup seat: a watch-listed plate (an insurer that did not pay) read
by a checkpoint camera. Newest first; a hit that arrived while the seat was signed in stays
bold and red until someone looked at its camera (Ctrl+J). Nothing here plays a sound.

The model keeps hit ids in display order over a row cache, like the complaints table; a hit
first shown from the gateway's signal (camera id only) is completed when the hall's row,
with the camera's name and the complaint's case, arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import IntEnum
from typing import Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.hall.checkpoint_hits import HitRecorded
from console.hall.complaints import HitRow

__all__ = ["HitAlertsModel", "HitAlertsView", "HitColumn", "hit_row_from"]

_Index = QModelIndex | QPersistentModelIndex
MAX_HITS: Final = 200


class HitColumn(IntEnum):
    TIME = 0
    PLATE = 1
    CAMERA = 2
    CASE = 3


_HEADERS: Final = (
    QT_TRANSLATE_NOOP("HitAlertsModel", "Seen"),
    QT_TRANSLATE_NOOP("HitAlertsModel", "Plate"),
    QT_TRANSLATE_NOOP("HitAlertsModel", "Camera"),
    QT_TRANSLATE_NOOP("HitAlertsModel", "Complaint"),
)
_ALERT: Final = QBrush(QColor("#c62828"))
_LIFTED: Final = QBrush(QColor("#757575"))


def hit_row_from(hit: HitRecorded) -> HitRow:
    """What the gateway's signal already tells, until the hall's row comes."""
    return HitRow(
        hit_row_id=hit.hit_row_id,
        camera_id=hit.camera_id,
        camera_name=hit.camera_id,
        plate_no=hit.plate_no,
        seen_at=hit.seen_at,
        watchlist_entry_id=hit.watchlist_entry_id,
        lifted=False,
        complaint_id=hit.complaint_id,
        case_id=hit.case_id,
        case_no=None,
        respondent_name_zh=None,
    )


def _sort_key(row: HitRow) -> tuple[datetime, int]:
    return (row.seen_at, row.hit_row_id)


class HitAlertsModel(QAbstractTableModel):
    """Hits newest first; `add` inserts new ones in place and completes known ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[int, HitRow] = {}
        self._order: list[int] = []
        self._unseen: set[int] = set()

    def add(self, rows: Iterable[HitRow], *, alert: bool) -> list[HitRow]:
        """Known hits are updated; the others are inserted at their place (and, with
        `alert`, marked unseen). Returns the hits new to the model."""
        new: list[HitRow] = []
        for row in rows:
            known = row.hit_row_id in self._rows
            self._rows[row.hit_row_id] = row
            if known:
                at = self._order.index(row.hit_row_id)
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(HitColumn) - 1))
                continue
            key = _sort_key(row)
            at = next(
                (n for n, hid in enumerate(self._order) if _sort_key(self._rows[hid]) < key),
                len(self._order),
            )
            self.beginInsertRows(QModelIndex(), at, at)
            self._order.insert(at, row.hit_row_id)
            self.endInsertRows()
            if alert:
                self._unseen.add(row.hit_row_id)
            new.append(row)
        if len(self._order) > MAX_HITS:
            self.beginRemoveRows(QModelIndex(), MAX_HITS, len(self._order) - 1)
            for hid in self._order[MAX_HITS:]:
                self._rows.pop(hid, None)
                self._unseen.discard(hid)
            del self._order[MAX_HITS:]
            self.endRemoveRows()
        return new

    def acknowledge(self, hit_row_id: int) -> None:
        """Someone looked at the camera: the hit is no longer an alert."""
        if hit_row_id in self._unseen:
            self._unseen.discard(hit_row_id)
            at = self._order.index(hit_row_id)
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(HitColumn) - 1))

    def hit_at(self, row: int) -> HitRow | None:
        return self._rows[self._order[row]] if 0 <= row < len(self._order) else None

    def hit(self, hit_row_id: int) -> HitRow | None:
        return self._rows.get(hit_row_id)

    def row_of(self, hit_row_id: int) -> int:
        try:
            return self._order.index(hit_row_id)
        except ValueError:
            return -1

    def newest_id(self) -> int:
        """The highest hit id known (the hall's ids grow): where "after" starts."""
        return max(self._rows, default=0)

    def unseen(self) -> int:
        return len(self._unseen)

    def is_unseen(self, hit_row_id: int) -> bool:
        return hit_row_id in self._unseen

    # -- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HitColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return QCoreApplication.translate("HitAlertsModel", str(_HEADERS[section]))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.hit_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = HitColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is HitColumn.TIME:
                return f"{to_local(row.seen_at):%m-%d %H:%M:%S}"
            if column is HitColumn.PLATE:
                return row.plate_no
            if column is HitColumn.CAMERA:
                return row.camera_name
            return self._complaint(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.lifted:
                return self.tr("The plate has come off the watch list since (the insurer paid).")
            return row.camera_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.hit_row_id in self._unseen:
                return _ALERT
            return _LIFTED if row.lifted else None
        if role == Qt.ItemDataRole.FontRole and row.hit_row_id in self._unseen:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _complaint(self, row: HitRow) -> str:
        if row.complaint_id is None:
            return "—"
        if row.case_no is None:
            return self.tr("complaint {id}").format(id=row.complaint_id)
        return self.tr("complaint {id} · case {case_no} · {insurer}").format(
            id=row.complaint_id, case_no=row.case_no, insurer=row.respondent_name_zh or "—"
        )


class HitAlertsView(QWidget):
    """The hits list under the queue; Ctrl+J (the desk's key) shows the current hit's camera."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HitAlertsModel(self)
        self.title = QLabel(
            self.tr("Checkpoint hits of watch-listed plates (Ctrl+J shows the camera)")
        )
        self.title.setObjectName("hits_title")
        self.table = QTableView()
        self.table.setObjectName("checkpoint_hits")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(HitColumn.CASE, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().averageCharWidth()
        for column, chars in ((HitColumn.TIME, 16), (HitColumn.PLATE, 11), (HitColumn.CAMERA, 30)):
            header.resizeSection(column, chars * width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    def current_hit(self) -> HitRow | None:
        index = self.table.currentIndex()
        return self.model.hit_at(index.row()) if index.isValid() else None

    def select_hit(self, hit_row_id: int) -> None:
        """Make the hit current without taking the focus (someone may be typing)."""
        row = self.model.row_of(hit_row_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
