"""The video patrol seat's camera wall: a grid of live tiles painted from the newest frames.

How it stays smooth on a two-core desk (perf-baseline §1d, §2c; peer-systems §2-3):

- **One timer for the whole wall.** Every `interval_ms` it asks `CameraFeeds.newest()` for
  each shown tile's camera and repaints only the tiles whose frame changed (or whose overlay
  text did: the clock's second, the frame's age). No frame ever travels as a signal, so a
  slow paint drops frames instead of queueing them. 30 ms (33 Hz) is faster than the
  cameras' 25 fps, so no frame of a live sub-stream is skipped by the sampling.
- **The worker did the heavy part.** Frames arrive scaled to the tile and converted to BGRA;
  a tile wraps the array in a `QImage` (Format_RGB32, no copy) and keeps the frame alive for
  as long as that `QImage` exists. Painting one RGB32 tile costs about 17 µs.
- **Decode only what is seen.** Tiles beyond the layout are released; tiles hidden behind a
  maximised one, or the whole wall when hidden or minimised, pause their cameras. A grid tile
  shows the sub-stream; a maximised tile switches its camera to the main stream (lightNVR
  #578, Frigate #16882). Each capture scales to its tile's size, re-set when the wall is
  resized (debounced, so dragging a splitter does not restart anything).
- **The focused tile keeps footage.** Its camera (and only it: one JPEG encode per frame)
  fills a `ClipBuffer`, so a clip taken now starts before the key was pressed.
- **The overlay tells how fresh the picture is**: name, the local clock, the frame's age (red
  once older than 2 s) and the camera's state in words, with the reason on hover.

Editing is locked unless `set_edit_mode(True)` (peer-systems: "keep positions fixed"); a drop
onto a locked wall is refused with a short notice. The desk resolves a dropped camera's URLs
off the GUI thread and then calls `assign`; the wall never touches the registry.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHideEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from console.video.capture import CameraState, CapturePolicy, CaptureState, Frame
from console.workers.camera_feeds import CameraFeeds, TileFeed, WallCamera

log = logging.getLogger("console.ui")

MIME_CAMERA: Final = "application/x-hall-camera"  # payload: the camera id, UTF-8
MIME_TILE: Final = "application/x-hall-tile"  # a tile dragged within a wall (swap)
DEFAULT_INTERVAL_MS: Final = 30
STALE_AFTER_S: Final = 2.0  # the frame age turns red (peer-systems: show frame age)
NOTICE_S: Final = 2.0
RESIZE_DEBOUNCE_MS: Final = 200
MIN_TARGET: Final = (32, 18)
_GAP: Final = 2

_BACKGROUND: Final = QColor("#101418")
_TILE_BACKGROUND: Final = QColor("#000000")
_BAR: Final = QColor(0, 0, 0, 150)
_TEXT: Final = QColor("#f5f5f5")
_MUTED: Final = QColor("#8a939b")
_STALE: Final = QColor("#ff5252")
_FOCUS: Final = QColor("#29b6f6")
_NOTICE: Final = QColor("#ffb300")
_STATE_COLORS: Final = {
    CaptureState.CONNECTING: QColor("#9e9e9e"),
    CaptureState.LIVE: QColor("#66bb6a"),
    CaptureState.STALLED: QColor("#ffb300"),
    CaptureState.RECONNECTING: QColor("#fb8c00"),
    CaptureState.OFFLINE: QColor("#ff5252"),
    CaptureState.PAUSED: QColor("#9e9e9e"),
    CaptureState.STOPPED: QColor("#9e9e9e"),
}


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True, slots=True)
class TileCell:
    """Where a tile sits in its layout's grid, in cells."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1


@dataclass(frozen=True, slots=True)
class WallGrid:
    name: str
    rows: int
    columns: int
    cells: tuple[TileCell, ...]

    @property
    def count(self) -> int:
        return len(self.cells)


def _square(side: int) -> WallGrid:
    cells = tuple(TileCell(r, c) for r in range(side) for c in range(side))
    return WallGrid(str(side * side), side, side, cells)


def _focus_grid(side: int) -> WallGrid:
    """One big tile of (side-1)² cells top left, small tiles down the right and along the
    bottom: "1+5" on a 3×3 grid, "1+7" on a 4×4 grid (Milestone's hotspot layouts)."""
    big = side - 1
    cells = [TileCell(0, 0, big, big)]
    cells += [TileCell(r, big) for r in range(big)]
    cells += [TileCell(big, c) for c in range(side)]
    return WallGrid(f"1+{len(cells) - 1}", side, side, tuple(cells))


LAYOUTS: Final[Mapping[str, WallGrid]] = {
    grid.name: grid
    for grid in (*(_square(side) for side in range(1, 6)), _focus_grid(3), _focus_grid(4))
}
MAX_TILES: Final = max(grid.count for grid in LAYOUTS.values())


def cell_rects(grid: WallGrid, area: QRect, gap: int = _GAP) -> list[QRect]:
    """Each tile's rectangle inside `area`; cells share the rounding, so tiles line up."""
    xs = [area.x() + round(k * area.width() / grid.columns) for k in range(grid.columns + 1)]
    ys = [area.y() + round(k * area.height() / grid.rows) for k in range(grid.rows + 1)]
    half = gap // 2
    rects = []
    for cell in grid.cells:
        x0, x1 = xs[cell.column], xs[cell.column + cell.columns]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rows]
        rects.append(QRect(x0 + half, y0 + half, max(1, x1 - x0 - gap), max(1, y1 - y0 - gap)))
    return rects


# ---------------------------------------------------------------- one tile

_REASONS: Final = (
    re.compile(r"connection refused"),
    re.compile(r"no answer within (?P<s>[\d.]+) s"),
    re.compile(r"the stream ended.*"),
    re.compile(r"open hung for (?P<s>[\d.]+) s; abandoned"),
    re.compile(r"read hung for (?P<s>[\d.]+) s; abandoned"),
    re.compile(r"no frame for (?P<s>[\d.]+) s"),
)


class CameraTile(QWidget):
    """One cell of the wall: the newest frame of its camera and the overlay. The wall owns
    the tile's geometry, its camera and its timer; the tile paints and handles input."""

    def __init__(self, wall: CameraWall, index: int) -> None:
        super().__init__(wall)
        self._wall = wall
        self.index = index
        self._camera: WallCamera | None = None
        self._state: CameraState | None = None
        self._frame: Frame | None = None
        self._image: QImage | None = None  # wraps self._frame.image: never outlives it
        self._painted: Frame | None = None
        self._painted_at = 0.0
        self._paint_count = 0
        self._overlay_key: tuple[object, ...] = ()
        self._notice_until = 0.0
        self._press_pos: QPoint | None = None
        self._status = ""
        self._status_color = _STATE_COLORS[CaptureState.CONNECTING]
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints every pixel
        font = QFont(self.font())
        font.setPixelSize(12)
        self.setFont(font)
        self._metrics = QFontMetrics(font)
        self._retranslate()

    # ------------------------------------------------------------ what the tests and the
    # health view read

    @property
    def camera(self) -> WallCamera | None:
        return self._camera

    @property
    def state(self) -> CameraState | None:
        return self._state

    @property
    def painted_frame(self) -> Frame | None:
        """The frame the last paint showed (None before the first frame)."""
        return self._painted

    @property
    def painted_at(self) -> float:
        """time.time() of the last paint."""
        return self._painted_at

    @property
    def paint_count(self) -> int:
        return self._paint_count

    @property
    def status_text(self) -> str:
        """The state in words, as the overlay shows it ("" for an empty tile)."""
        return self._status

    def age_text(self, now: float | None = None) -> str:
        frame = self._frame
        if frame is None:
            return ""
        age = max(0.0, (time.time() if now is None else now) - frame.captured_at)
        if age < 10:
            return self._seconds_format.format(seconds=f"{age:.1f}")
        if age < 120:
            return self._seconds_format.format(seconds=f"{age:.0f}")
        return self._minutes_format.format(minutes=int(age // 60))

    def is_stale(self, now: float | None = None) -> bool:
        """The frame is older than `STALE_AFTER_S`: its age shows in red."""
        frame = self._frame
        moment = time.time() if now is None else now
        return frame is not None and moment - frame.captured_at > STALE_AFTER_S

    def notice_shown(self) -> bool:
        return time.monotonic() < self._notice_until

    # ------------------------------------------------------------ driven by the wall

    def set_camera(self, camera: WallCamera | None) -> None:
        if camera == self._camera:
            return
        self._camera = camera
        self._image = None
        self._frame = None
        self._painted = None
        self._state = None
        self._update_status()
        self.update()

    def set_state(self, state: CameraState | None) -> None:
        self._state = state
        self._update_status()
        self.update()

    def advance(self, frame: Frame | None, now: float) -> bool:
        """Called by the wall's timer: take `frame` if it is new, repaint if anything shown
        changed. True if a repaint was asked for."""
        changed = False
        if frame is not self._frame:
            self._set_frame(frame)
            changed = True
        if changed or self._overlay(now) != self._overlay_key:
            self.update()
            return True
        return False

    def show_notice(self) -> None:
        """Say why a drop was refused ("layout locked"), for a moment."""
        self._notice_until = time.monotonic() + NOTICE_S
        self.update()

    # ------------------------------------------------------------ internals

    def _set_frame(self, frame: Frame | None) -> None:
        if frame is None:
            self._image, self._frame = None, None
            return
        pixels = frame.image
        height, width = pixels.shape[:2]
        # BGRA bytes are 0xAARRGGBB words on little-endian machines: Format_RGB32, painted
        # 8x faster than BGR888. The QImage borrows the array; the frame holds it.
        image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._image = image  # the old QImage goes first ...
        self._frame = frame  # ... then the array it wrapped

    def _overlay(self, now: float) -> tuple[object, ...]:
        """Everything the overlay shows that can change while the frame does not."""
        if self._camera is None:
            return (self.notice_shown(), self._wall.edit_mode())
        return (int(now), self.age_text(now), self.is_stale(now), self._status, self.notice_shown())

    def _retranslate(self) -> None:
        self._seconds_format = self.tr("{seconds} s")
        self._minutes_format = self.tr("{minutes} min")
        self._update_status()

    def _update_status(self) -> None:
        camera, state = self._camera, self._state
        if camera is None:
            self._status = ""
            self.setToolTip("")
            return
        kind = state.state if state is not None else CaptureState.CONNECTING
        if kind is CaptureState.LIVE:
            status = self.tr("Live")
        elif kind is CaptureState.STALLED:
            status = self.tr("Stalled")
        elif kind is CaptureState.RECONNECTING:
            attempt = state.attempt if state is not None else 0
            status = self.tr("Reconnecting ({attempt})").format(attempt=attempt)
        elif kind is CaptureState.OFFLINE:
            status = self.tr("Offline")
        elif kind is CaptureState.PAUSED:
            status = self.tr("Paused")
        else:
            status = self.tr("Connecting")
        self._status = status
        self._status_color = _STATE_COLORS[kind]
        tip = camera.name
        if state is not None and state.message:
            tip += "\n" + self.tr("{state}: {reason}").format(
                state=status, reason=self._reason(state.message)
            )
        self.setToolTip(tip)

    def _reason(self, message: str) -> str:
        """The capture's English reason in the user's language where it is a known one."""
        for number, pattern in enumerate(_REASONS):
            match = pattern.fullmatch(message)
            if match is None:
                continue
            seconds = match.groupdict().get("s", "")
            if number == 0:
                return self.tr("connection refused")
            if number == 1:
                return self.tr("no answer within {seconds} s").format(seconds=seconds)
            if number == 2:
                return self.tr("the stream ended")
            if number == 3:
                return self.tr("opening hung for {seconds} s; gave up").format(seconds=seconds)
            if number == 4:
                return self.tr("reading hung for {seconds} s; gave up").format(seconds=seconds)
            return self.tr("no frame for {seconds} s").format(seconds=seconds)
        return message

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        now = time.time()
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, _TILE_BACKGROUND)
        if self._camera is None:
            painter.setPen(_MUTED)
            painter.drawText(
                rect.adjusted(6, 6, -6, -6),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Drag a camera here"),
            )
        else:
            if self._image is not None:
                self._paint_image(painter, rect, self._image)
            self._paint_overlay(painter, rect, now)
        if self.notice_shown():
            self._paint_notice(painter, rect)
        if self._wall.current_tile() == self.index and self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(_FOCUS)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.end()
        self._overlay_key = self._overlay(now)
        self._painted = self._frame
        self._painted_at = now
        self._paint_count += 1

    def _paint_image(self, painter: QPainter, rect: QRect, image: QImage) -> None:
        ratio = image.devicePixelRatio() or 1.0
        width, height = image.width() / ratio, image.height() / ratio
        if (
            width <= rect.width() + 1
            and height <= rect.height() + 1
            and (abs(width - rect.width()) <= 1 or abs(height - rect.height()) <= 1)
        ):  # the usual case: the worker scaled it to this tile
            x = rect.x() + (rect.width() - width) / 2
            y = rect.y() + (rect.height() - height) / 2
            painter.drawImage(QRectF(round(x), round(y), width, height).topLeft(), image)
            return
        # The tile was resized and the worker has not caught up yet: scale this once.
        scale = min(rect.width() / width, rect.height() / height)
        w, h = width * scale, height * scale
        target = QRectF(rect.x() + (rect.width() - w) / 2, rect.y() + (rect.height() - h) / 2, w, h)
        painter.drawImage(target, image)

    def _paint_overlay(self, painter: QPainter, rect: QRect, now: float) -> None:
        camera = self._camera
        assert camera is not None
        metrics = self._metrics
        bar = metrics.height() + 4
        top = QRect(rect.x(), rect.y(), rect.width(), bar)
        bottom = QRect(rect.x(), rect.bottom() - bar + 1, rect.width(), bar)
        painter.fillRect(top, _BAR)
        painter.fillRect(bottom, _BAR)
        clock = time.strftime("%H:%M:%S", time.localtime(now))
        clock_width = metrics.horizontalAdvance(clock) + 8
        painter.setPen(_TEXT)
        name_rect = top.adjusted(5, 0, -clock_width - 4, 0)
        name = metrics.elidedText(camera.name, Qt.TextElideMode.ElideRight, name_rect.width())
        middle_left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        middle_right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        painter.drawText(name_rect, middle_left, name)
        painter.drawText(top.adjusted(0, 0, -5, 0), middle_right, clock)
        dot = max(6, metrics.height() // 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._status_color)
        painter.drawEllipse(bottom.x() + 6, bottom.center().y() - dot // 2 + 1, dot, dot)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._status_color)
        painter.drawText(bottom.adjusted(10 + dot, 0, 0, 0), middle_left, self._status)
        age = self.age_text(now)
        if age:
            painter.setPen(_STALE if self.is_stale(now) else _TEXT)
            painter.drawText(bottom.adjusted(0, 0, -5, 0), middle_right, age)

    def _paint_notice(self, painter: QPainter, rect: QRect) -> None:
        text = self.tr("Layout locked — F4 to edit")
        width = min(rect.width() - 8, self._metrics.horizontalAdvance(text) + 20)
        height = self._metrics.height() * 2 + 8
        box = QRect(0, 0, max(10, width), height)
        box.moveCenter(rect.center())
        painter.fillRect(box, QColor(0, 0, 0, 200))
        painter.setPen(_NOTICE)
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    # ------------------------------------------------------------ input

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.update()
        super().changeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._wall._tile_focused(self.index)
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self._wall._tile_key(self.index, event):
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._wall.toggle_maximised(self.index)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_pos = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        start = self._press_pos
        if (
            start is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and self._camera is not None
            and self._wall.edit_mode()
            and (event.position().toPoint() - start).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press_pos = None
            drag = QDrag(self)
            drag.setMimeData(self._wall.tile_drag_data(self.index))
            drag.exec(Qt.DropAction.MoveAction)
            return
        super().mouseMoveEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        self._drag_over(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._drag_over(event)

    def _drag_over(self, event: QDragMoveEvent) -> None:
        if not event.mimeData().hasFormat(MIME_CAMERA):
            event.ignore()
            return
        if not self._wall.edit_mode():
            if not self.notice_shown():
                self.show_notice()
            event.ignore()
            return
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if self._wall._tile_dropped(self.index, event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()


# ---------------------------------------------------------------- the wall


class CameraWall(QWidget):
    """A grid of camera tiles in one of `LAYOUTS`.

    Signals: `camera_dropped(tile_index, camera_id)` when a camera is dropped onto a tile in
    edit mode (the desk resolves its URLs and calls `assign`); `layout_changed(name)`;
    `maximised_changed(tile_index)` (-1 when restored); `tiles_swapped(a, b)` after a tile was
    dragged onto another in edit mode.

    The owner calls `shutdown()` before the wall goes away: it stops and joins the captures.
    """

    camera_dropped = Signal(int, str)
    layout_changed = Signal(str)
    maximised_changed = Signal(int)
    tiles_swapped = Signal(int, int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        policy: CapturePolicy | None = None,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        layout: str = "4",
    ) -> None:
        super().__init__(parent)
        if layout not in LAYOUTS:
            raise ValueError(f"unknown wall layout {layout!r}")
        self._feeds = CameraFeeds(self, policy=policy)
        self._grid = LAYOUTS[layout]
        self._edit_mode = False
        self._maximised: int | None = None
        self._current = 0
        self._closed = False
        self._tiles = [CameraTile(self, i) for i in range(MAX_TILES)]
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(RESIZE_DEBOUNCE_MS)
        self._resized.timeout.connect(self._sync_feeds)
        self._feeds.state_changed.connect(self._state_changed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(160, 90)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the tiles take it
        self._relayout()

    # ------------------------------------------------------------ layout

    @property
    def feeds(self) -> CameraFeeds:
        return self._feeds

    def layout_name(self) -> str:
        return self._grid.name

    def tile_count(self) -> int:
        return self._grid.count

    def tile(self, index: int) -> CameraTile:
        return self._tiles[index]

    def tiles(self) -> list[CameraTile]:
        """The tiles of the current layout, in order."""
        return self._tiles[: self._grid.count]

    def set_layout(self, name: str) -> None:
        """Switch layout. Tiles the new layout does not have are cleared (their cameras
        stop); the others keep their cameras."""
        grid = LAYOUTS.get(name)
        if grid is None:
            raise ValueError(f"unknown wall layout {name!r}")
        if grid is self._grid:
            return
        self._set_maximised(None, notify=True, sync=False)
        self._grid = grid
        for tile in self._tiles[grid.count :]:
            tile.set_camera(None)
        self._current = min(self._current, grid.count - 1)
        self._relayout()
        self._sync_feeds()
        self.layout_changed.emit(name)

    # ------------------------------------------------------------ cameras

    def assign(self, tile_index: int, camera: WallCamera) -> None:
        """Show `camera` in a tile (its URLs already resolved by the caller)."""
        tile = self._tile_in_layout(tile_index)
        tile.set_camera(camera)
        self._sync_feeds()
        tile.set_state(self._feeds.state(camera.camera_id))

    def clear_tile(self, tile_index: int) -> None:
        tile = self._tile_in_layout(tile_index)
        if tile.camera is None:
            return
        if self._maximised == tile_index:
            self._set_maximised(None, notify=True, sync=False)
        tile.set_camera(None)
        self._sync_feeds()

    def camera_at(self, tile_index: int) -> WallCamera | None:
        return self._tile_in_layout(tile_index).camera

    def swap_tiles(self, a: int, b: int) -> None:
        """Exchange two tiles' cameras; the streams keep running (no reconnect)."""
        first, second = self._tile_in_layout(a), self._tile_in_layout(b)
        if a == b:
            return
        camera_a, camera_b = first.camera, second.camera
        first.set_camera(camera_b)
        second.set_camera(camera_a)
        self._sync_feeds()
        for tile in (first, second):
            if tile.camera is not None:
                tile.set_state(self._feeds.state(tile.camera.camera_id))
        self.tiles_swapped.emit(a, b)

    def focused_camera(self) -> str | None:
        """The camera of the tile that has (or last had) the wall's focus."""
        camera = self._tiles[self._current].camera
        return None if camera is None else camera.camera_id

    def current_tile(self) -> int:
        return self._current

    def visible_camera_ids(self) -> list[str]:
        """Cameras on screen now, in tile order (none while the wall is hidden)."""
        if not self.isVisible():
            return []
        seen: dict[str, None] = {}
        for index in self._shown_indices():
            camera = self._tiles[index].camera
            if camera is not None:
                seen.setdefault(camera.camera_id)
        return list(seen)

    def states(self) -> dict[str, CameraState]:
        return self._feeds.states()

    def retry(self, tile_index: int) -> None:
        camera = self._tile_in_layout(tile_index).camera
        if camera is not None:
            self._feeds.retry(camera.camera_id)

    # ------------------------------------------------------------ edit mode and focus

    def edit_mode(self) -> bool:
        return self._edit_mode

    def set_edit_mode(self, editing: bool) -> None:
        """Drops and tile swaps only while editing; a locked wall refuses them."""
        if editing != self._edit_mode:
            self._edit_mode = editing
            for tile in self.tiles():
                tile.update()

    def maximised_tile(self) -> int | None:
        return self._maximised

    def maximise(self, tile_index: int) -> bool:
        """Fill the wall with one tile on its camera's main stream; the others pause.
        False for an empty tile."""
        tile = self._tile_in_layout(tile_index)
        if tile.camera is None:
            return False
        self._set_maximised(tile_index, notify=True, sync=True)
        return True

    def restore(self) -> None:
        self._set_maximised(None, notify=True, sync=True)

    def toggle_maximised(self, tile_index: int) -> None:
        if self._maximised is None:
            self.maximise(tile_index)
        else:
            self.restore()

    # ------------------------------------------------------------ saved layouts

    def layout_state(self) -> dict[str, Any]:
        """What a saved layout holds: the layout's name and each tile's camera id (or None)."""
        return {
            "layout": self._grid.name,
            "tiles": [None if t.camera is None else t.camera.camera_id for t in self.tiles()],
        }

    def restore_layout_state(
        self, state: Mapping[str, Any], resolve: Callable[[str], WallCamera | None]
    ) -> list[str]:
        """Show a saved layout. `resolve` maps a camera id to its `WallCamera` without
        blocking (a dict's `get` over URLs resolved off the GUI thread); ids it cannot
        resolve leave their tile empty and are returned."""
        name = state.get("layout")
        ids = state.get("tiles", [])
        if not isinstance(name, str) or name not in LAYOUTS:
            raise ValueError(f"unknown wall layout {name!r}")
        if not isinstance(ids, list) or not all(i is None or isinstance(i, str) for i in ids):
            raise ValueError("a saved layout's tiles are camera ids or null")
        self._set_maximised(None, notify=True, sync=False)
        changed = LAYOUTS[name] is not self._grid
        self._grid = LAYOUTS[name]
        missing: list[str] = []
        for index, tile in enumerate(self._tiles):
            camera_id = ids[index] if index < min(len(ids), self._grid.count) else None
            camera = resolve(camera_id) if camera_id else None
            if camera_id and camera is None:
                missing.append(camera_id)
            tile.set_camera(camera)
        self._current = min(self._current, self._grid.count - 1)
        self._relayout()
        self._sync_feeds()
        for tile in self.tiles():
            if tile.camera is not None:
                tile.set_state(self._feeds.state(tile.camera.camera_id))
        if changed:
            self.layout_changed.emit(name)
        return missing

    # ------------------------------------------------------------ drag and drop

    def tile_drag_data(self, tile_index: int) -> QMimeData:
        """What dragging a tile carries: its camera (for other drop targets) and which tile
        of which wall it came from (for a swap here)."""
        mime = QMimeData()
        camera = self._tile_in_layout(tile_index).camera
        if camera is not None:
            mime.setData(MIME_CAMERA, QByteArray(camera.camera_id.encode("utf-8")))
        mime.setData(MIME_TILE, QByteArray(f"{id(self)}:{tile_index}".encode("ascii")))
        return mime

    def _tile_dropped(self, index: int, mime: QMimeData) -> bool:
        if not mime.hasFormat(MIME_CAMERA):
            return False
        tile = self._tiles[index]
        if not self._edit_mode:
            tile.show_notice()
            return False
        source = self._source_tile(mime)
        if source is not None:
            if source != index:
                self.swap_tiles(source, index)
            return source != index
        camera_id = bytes(mime.data(MIME_CAMERA).data()).decode("utf-8", "replace").strip()
        if not camera_id:
            return False
        self.camera_dropped.emit(index, camera_id)
        return True

    def _source_tile(self, mime: QMimeData) -> int | None:
        if not mime.hasFormat(MIME_TILE):
            return None
        wall, _, index = (
            bytes(mime.data(MIME_TILE).data()).decode("ascii", "replace").partition(":")
        )
        if wall != str(id(self)) or not index.isdigit() or int(index) >= self._grid.count:
            return None
        return int(index)

    # ------------------------------------------------------------ shutdown

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop the timer and every capture, joining their threads (the staged quit)."""
        self._closed = True
        self._timer.stop()
        self._resized.stop()
        return self._feeds.shutdown(timeout)

    # ------------------------------------------------------------ Qt events

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._closed:
            self._relayout()
            self._sync_feeds()
            self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self._timer.stop()
        self._sync_feeds()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout()
        if not self._closed:
            self._resized.start()  # new target sizes once the resizing stops

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), _BACKGROUND)
        painter.end()

    # ------------------------------------------------------------ internals

    def _tile_in_layout(self, index: int) -> CameraTile:
        if not 0 <= index < self._grid.count:
            raise IndexError(f"tile {index} is not in layout {self._grid.name}")
        return self._tiles[index]

    def _shown_indices(self) -> range | tuple[int]:
        if self._maximised is not None:
            return (self._maximised,)
        return range(self._grid.count)

    def _relayout(self) -> None:
        area = self.rect()
        rects = cell_rects(self._grid, area)
        full = cell_rects(LAYOUTS["1"], area)[0]
        for index, tile in enumerate(self._tiles):
            if index >= self._grid.count or (
                self._maximised is not None and index != self._maximised
            ):
                tile.hide()
                continue
            tile.setGeometry(full if self._maximised == index else rects[index])
            tile.show()

    def _set_maximised(self, index: int | None, *, notify: bool, sync: bool) -> None:
        if index == self._maximised:
            return
        had_focus = any(tile.hasFocus() for tile in self._tiles)
        self._maximised = index
        if index is not None:
            self._current = index
            tile = self._tiles[index]
            tile.show()
            if had_focus:  # never take the focus from another panel (an alert may call this)
                tile.setFocus(Qt.FocusReason.OtherFocusReason)
        self._relayout()
        if sync:
            self._sync_feeds()
        if notify:
            self.maximised_changed.emit(-1 if index is None else index)

    def _pixel_size(self, tile: CameraTile) -> tuple[int, int]:
        ratio = tile.devicePixelRatioF()
        return (
            max(MIN_TARGET[0], round(tile.width() * ratio)),
            max(MIN_TARGET[1], round(tile.height() * ratio)),
        )

    @Slot()
    def _sync_feeds(self) -> None:
        """Tell the feeds what every tile wants: camera, on screen or not, size, and which
        camera (if any) is maximised onto its main stream."""
        if self._closed:
            return
        wall_shown = self.isVisible()
        full = cell_rects(LAYOUTS["1"], self.rect())[0]
        wanted: dict[int, TileFeed] = {}
        for index in range(self._grid.count):
            tile = self._tiles[index]
            if tile.camera is None:
                continue
            shown = wall_shown and (self._maximised is None or self._maximised == index)
            if self._maximised == index:  # laid out already, but say so before the resize
                ratio = tile.devicePixelRatioF()
                size = (round(full.width() * ratio), round(full.height() * ratio))
            else:
                size = self._pixel_size(tile)
            wanted[index] = TileFeed(tile.camera, shown, size)
        self._feeds.update_tiles(wanted)
        self._feeds.set_clip_camera(self.focused_camera() if wall_shown else None)
        main: str | None = None
        if self._maximised is not None:
            camera = self._tiles[self._maximised].camera
            main = None if camera is None else camera.camera_id
        for camera_id in self._feeds.camera_ids():
            self._feeds.use_main(camera_id, camera_id == main)

    @Slot()
    def _tick(self) -> None:
        now = time.time()
        feeds = self._feeds
        for index in self._shown_indices():
            tile = self._tiles[index]
            camera = tile.camera
            tile.advance(None if camera is None else feeds.newest(camera.camera_id), now)

    @Slot(str, object)
    def _state_changed(self, camera_id: str, state: CameraState) -> None:
        for tile in self.tiles():
            if tile.camera is not None and tile.camera.camera_id == camera_id:
                tile.set_state(state)

    def _tile_focused(self, index: int) -> None:
        if index != self._current:
            old = self._current
            self._current = index
            self._tiles[old].update()
            if not self._closed and self.isVisible():
                self._feeds.set_clip_camera(self.focused_camera())

    def _tile_key(self, index: int, event: QKeyEvent) -> bool:
        """Keys a tile hands to the wall; True if handled."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._maximised is None:
                self.maximise(index)
            return True
        if key == Qt.Key.Key_Escape and self._maximised is not None:
            self.restore()
            return True
        if key == Qt.Key.Key_F5:
            self.retry(index)
            return True
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        step = steps.get(Qt.Key(key))
        if step is None:
            return False
        if self._maximised is None:
            target = self._neighbour(index, *step)
            if target is not None:
                self._tiles[target].setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _neighbour(self, index: int, dx: int, dy: int) -> int | None:
        """The nearest tile in that direction, preferring tiles that overlap this one across
        the direction of travel (so it works for the 1+5 and 1+7 layouts too)."""
        rects = cell_rects(self._grid, QRect(0, 0, 1200, 1200), gap=0)
        here = rects[index]
        best: tuple[float, float, float, int] | None = None
        for other_index, other in enumerate(rects):
            if other_index == index:
                continue
            if dx:
                ahead = (other.left() - here.right()) if dx > 0 else (here.left() - other.right())
                gap = max(0, max(here.top(), other.top()) - min(here.bottom(), other.bottom()))
                drift = abs(other.center().y() - here.center().y())
            else:
                ahead = (other.top() - here.bottom()) if dy > 0 else (here.top() - other.bottom())
                gap = max(0, max(here.left(), other.left()) - min(here.right(), other.right()))
                drift = abs(other.center().x() - here.center().x())
            if ahead < 0:
                continue
            score = (gap, ahead, drift, other_index)
            if best is None or score < best:
                best = score
        return None if best is None else best[3]


__all__ = [
    "DEFAULT_INTERVAL_MS",
    "LAYOUTS",
    "MAX_TILES",
    "MIME_CAMERA",
    "MIME_TILE",
    "CameraTile",
    "CameraWall",
    "TileCell",
    "WallCamera",
    "WallGrid",
    "cell_rects",
]
