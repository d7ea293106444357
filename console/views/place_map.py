"""A small map of one place and what is near it: the accident and the cameras that may have seen
it, for the determination pane; units and cases around an accident, later, for the rescue seat.

The hall has no map tiles (no internet), so this is a plain plot of metres east and north of the
place, equal in both directions so that distances look right, north up, with a scale bar. Plot
items are made once and updated in place when the next case comes (Orange's scatter plot does
the same); nothing here reads the database: the caller hands over coordinates it already has.

pyqtgraph is imported when the first map is built, not when this module is: importing it takes
about a second (perf-baseline §2a), and the window shows first.

Keys: Left/Right (or Up/Down) move the highlight between the cameras, Home/End jump; Tab and
Shift+Tab move it too and leave the map after the last one; Enter or Space opens the highlighted
camera; 0 resets the view. Mouse: a click on a marker opens it (clicking a pile of markers again
takes the next one), dragging pans, Ctrl+wheel zooms (the plain wheel scrolls the page around
the map), a double click resets the view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QPainterPath,
    QPalette,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from console.domain.cameras import EARTH_RADIUS_M
from console.views.map_parts import ElidedLabel, MapOverlay, map_plot, scale_bar_metres

__all__ = [
    "MARKER_STYLES",
    "MapPoint",
    "MarkerStyle",
    "PlaceMap",
    "local_metres",
    "scale_bar_metres",
    "short_camera_name",
]

PLACE: Final = "place"
CAMERA: Final = "camera"
UNIT: Final = "unit"
CASE: Final = "case"

MIN_SPAN_M: Final = 200.0  # a case with one camera next to it still shows its street
_MARGIN: Final = 0.22  # of the span, around the points, so markers and labels stay inside
_SCALE_ROOM: Final = 0.15  # of the span, more below the points, for the scale bar
_LABEL_GAP_PX: Final = 3.0  # between a marker's edge and its label
_HIGHLIGHT: Final = QColor("#ef6c00")
_MUTED: Final = QColor("#616161")
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


def _camera_symbol() -> QPainterPath:
    """A camera seen from the side, lens to the right, in pyqtgraph's unit box around (0, 0)."""
    path = QPainterPath()
    path.addRoundedRect(QRectF(-0.5, -0.3, 0.62, 0.6), 0.12, 0.12)
    path.addPolygon(QPolygonF([QPointF(0.12, 0.0), QPointF(0.5, -0.28), QPointF(0.5, 0.28)]))
    path.closeSubpath()
    return path


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    """How one kind of point looks; `choosable` points take the highlight and emit when
    activated."""

    symbol: str | QPainterPath
    size: float
    fill: QColor
    outline: QColor
    choosable: bool


MARKER_STYLES: Final[dict[str, MarkerStyle]] = {
    PLACE: MarkerStyle("star", 22, QColor("#d32f2f"), QColor("#7f0000"), choosable=False),
    CAMERA: MarkerStyle(_camera_symbol(), 17, QColor("#1565c0"), QColor("#0d2f5e"), True),
    UNIT: MarkerStyle("t1", 15, QColor("#2e7d32"), QColor("#1b4d1e"), choosable=True),
    CASE: MarkerStyle("o", 12, QColor("#6a1b9a"), QColor("#38004f"), choosable=True),
}


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One marker. `label` sits beside it on the map; `detail` is the line under the map while
    the point is highlighted, and its tooltip."""

    key: str
    kind: str
    lat: float
    lon: float
    label: str = ""
    detail: str = ""


def local_metres(
    origin_lat: float, origin_lon: float, lat: float, lon: float
) -> tuple[float, float]:
    """Metres east and north of the origin. An equirectangular projection scaled by cos(lat) at
    the origin: across a district it stays well within 1 % of the great-circle distance."""
    per_degree = math.pi / 180 * EARTH_RADIUS_M
    east = (lon - origin_lon) * per_degree * math.cos(math.radians(origin_lat))
    return east, (lat - origin_lat) * per_degree


def short_camera_name(name: str) -> str:
    """What fits beside a marker: the last word of the platform's "district crossing direction"
    name (the direction tells the cameras of one crossing apart; the line under the map gives
    the whole name), or the name itself cut to ten characters."""
    words = name.split()
    short = words[-1] if len(words) > 1 else name.strip()
    return short if len(short) <= 10 else short[:9] + "…"


def _area(rect: QRectF) -> float:
    return max(rect.width(), 0.0) * max(rect.height(), 0.0) if rect.isValid() else 0.0


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


class PlaceMap(QWidget):
    """The accident place (red star) and the cameras nearest it, or any set of points around a
    place (`set_points`). Emits `camera_activated(camera_id)` when a camera is clicked or chosen
    with the keyboard, and `point_activated(kind, key)` for every kind that can be chosen."""

    camera_activated = Signal(str)
    point_activated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self._pg: Any = pg
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAccessibleName(self.tr("Place map"))

        self._points: list[MapPoint] = []
        self._xy: list[tuple[float, float]] = []
        self._choosable: list[int] = []  # indices into _points, in keyboard order
        self._current: int | None = None
        self._home = QRectF(-MIN_SPAN_M / 2, -MIN_SPAN_M / 2, MIN_SPAN_M, MIN_SPAN_M)

        paper = self.palette().color(QPalette.ColorRole.Base)
        plot, view = map_plot(pg, paper, (120, 90))
        self._plot = plot
        self._view = view

        self._ring: Any = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self._ring.setZValue(5)
        self._markers: Any = pg.ScatterPlotItem(
            pxMode=True, antialias=True, hoverable=True, tip=self._tip
        )
        self._markers.setZValue(10)
        self._markers.sigClicked.connect(self._on_markers_clicked)
        # Thin lines to labels that had to move away from their markers.
        self._leaders: Any = pg.PlotCurveItem(
            connect="pairs", pen=pg.mkPen(_MUTED, width=1), antialias=True
        )
        self._leaders.setZValue(4)
        view.addItem(self._leaders)
        view.addItem(self._ring)
        view.addItem(self._markers)
        self._labels: list[Any] = []  # a pool: shown, moved and hidden, never thrown away
        self._label_of: dict[int, Any] = {}  # point index -> its label
        self._label_font = QFont(self.font())

        self._overlay = MapOverlay(plot)
        self._overlay.north_text = self.tr("N")
        plot.installEventFilter(self)
        plot.viewport().installEventFilter(self)
        view.sigRangeChanged.connect(self._on_view_changed)
        view.sigResized.connect(self._on_view_changed)
        plot.scene().sigMouseClicked.connect(self._on_scene_clicked)

        self._message = QLabel()
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setAutoFillBackground(True)
        message_palette = self._message.palette()
        message_palette.setColor(QPalette.ColorRole.WindowText, _MUTED)
        message_palette.setColor(QPalette.ColorRole.Window, paper)
        self._message.setPalette(message_palette)

        self._stack = QStackedWidget()
        self._stack.addWidget(plot)
        self._stack.addWidget(self._message)
        self._caption = ElidedLabel()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self._caption)
        self.show_message(self.tr("No case selected"))

    # ------------------------------------------------------------ what the caller says

    def show_place(
        self,
        lat: float | None,
        lon: float | None,
        cameras: Sequence[tuple[str, str, float, float, float]],
    ) -> None:
        """The accident at (lat, lon) and `cameras` as (camera id, name, lat, lon, distance in
        metres), in the order the keys go through them (nearest first from `nearest_to_case`).
        Without coordinates the map gives way to a message."""
        if lat is None or lon is None or not _finite(lat, lon):
            self.show_message(self.tr("No coordinates for this case"))
            return
        points = [MapPoint("", PLACE, lat, lon, self.tr("Accident"), self.tr("Accident place"))]
        for camera_id, name, camera_lat, camera_lon, distance_m in cameras:
            distance = self._distance_text(distance_m)
            points.append(
                MapPoint(
                    camera_id,
                    CAMERA,
                    camera_lat,
                    camera_lon,
                    f"{short_camera_name(name)} · {distance}",
                    f"{name} · {distance}",
                )
            )
        self.set_points(points, origin=(lat, lon))

    def set_points(
        self, points: Sequence[MapPoint], origin: tuple[float, float] | None = None
    ) -> None:
        """Any points around `origin` (default: the first "place" point, else their middle),
        styled by kind (`MARKER_STYLES`). The highlight stays on a key that is still there."""
        unknown = {p.kind for p in points} - MARKER_STYLES.keys()
        if unknown:
            raise ValueError(f"no marker style for {sorted(unknown)}")
        usable = [p for p in points if _finite(p.lat, p.lon)]
        if not usable:
            self.show_message(self.tr("No coordinates for this case"))
            return
        if origin is None or not _finite(*origin):
            place = next((p for p in usable if p.kind == PLACE), None)
            origin = (
                (place.lat, place.lon)
                if place
                else (
                    sum(p.lat for p in usable) / len(usable),
                    sum(p.lon for p in usable) / len(usable),
                )
            )
        was = self._points[self._current] if self._current is not None else None
        self._points = usable
        self._xy = [local_metres(origin[0], origin[1], p.lat, p.lon) for p in usable]
        self._choosable = [i for i, p in enumerate(usable) if MARKER_STYLES[p.kind].choosable]
        self._current = next(
            (
                i
                for i in self._choosable
                if was is not None and (usable[i].kind, usable[i].key) == (was.kind, was.key)
            ),
            None,
        )
        pg = self._pg
        styles = [MARKER_STYLES[p.kind] for p in usable]
        self._markers.setData(
            x=[x for x, _ in self._xy],
            y=[y for _, y in self._xy],
            symbol=[s.symbol for s in styles],
            size=[s.size for s in styles],
            # pyqtgraph draws symbols in a unit box: only its cosmetic pens keep their width.
            brush=[pg.mkBrush(s.fill) for s in styles],
            pen=[pg.mkPen(s.outline, width=1.2) for s in styles],
            data=list(range(len(usable))),
        )
        self._home = self._fit()
        self._set_label_texts()
        self._show_highlight()
        self._stack.setCurrentWidget(self._plot)
        self._caption.show()
        self.reset_view()
        self._arrange_labels()

    def show_message(self, text: str) -> None:
        """A sentence instead of the map (no case, no coordinates)."""
        self._points, self._xy, self._choosable, self._current = [], [], [], None
        self._markers.clear()
        self._ring.clear()
        self._leaders.setData(x=[], y=[])
        for label in self._labels:
            label.hide()
        self._message.setText(text)
        self._stack.setCurrentWidget(self._message)
        self._caption.hide()
        self._caption.set_full_text("")

    def reset_view(self) -> None:
        """Back to all the points, after panning or zooming."""
        self._view.setRange(rect=self._home, padding=0.0)

    # ------------------------------------------------------------ what tests and callers read

    def highlighted_key(self) -> str | None:
        return self._points[self._current].key if self._current is not None else None

    def caption_text(self) -> str:
        return self._caption.full_text()

    def message_text(self) -> str | None:
        """The sentence shown instead of the map, or None while the map shows."""
        return self._message.text() if self._stack.currentWidget() is self._message else None

    def point_position(self, key: str, kind: str = CAMERA) -> tuple[float, float]:
        """Metres east and north of the origin of the point's marker."""
        for point, xy in zip(self._points, self._xy, strict=True):
            if (point.kind, point.key) == (kind, key):
                return xy
        raise KeyError(key)

    def marker_pos(self, key: str, kind: str = CAMERA) -> QPoint:
        """Where the point's marker is drawn, in this widget's pixels."""
        x, y = self.point_position(key, kind)
        scene = self._view.mapViewToScene(QPointF(x, y))
        pos: QPoint = self._plot.viewport().mapTo(self, self._plot.mapFromScene(scene))
        return pos

    def visible_area(self) -> QRectF:
        """The metres east (x) and north (y) of the origin now in view."""
        rect: QRectF = self._view.viewRect()
        return rect

    def home_area(self) -> QRectF:
        """The area `reset_view` goes back to: every point, with room around."""
        return QRectF(self._home)

    def scale_bar(self) -> tuple[str, float]:
        """What the scale bar says and how many pixels long it is (0 before it is laid out)."""
        return self._overlay.scale_text, self._overlay.scale_px

    def highlight(self, key: str | None, kind: str = CAMERA) -> None:
        self._current = next(
            (
                i
                for i in self._choosable
                if (self._points[i].kind, self._points[i].key) == (kind, key)
            ),
            None,
        )
        self._show_highlight()

    # ------------------------------------------------------------ keys and focus

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = Qt.Key(event.key())
        if event.modifiers() not in _PLAIN or not self._points:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step(1, wrap=True)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(-1, wrap=True)
        elif key == Qt.Key.Key_Home and self._choosable:
            self._move_to(self._choosable[0])
        elif key == Qt.Key.Key_End and self._choosable:
            self._move_to(self._choosable[-1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._current is None:
                self._step(1, wrap=True)
            if self._current is not None:
                self._activate(self._current)
        elif key == Qt.Key.Key_0:
            self.reset_view()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802
        """Tab walks through the cameras and then leaves the map: a keyboard user is never
        stuck in it."""
        if self.hasFocus() and self._step(1 if next else -1, wrap=False):
            return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        # Coming in with Tab starts at the nearest camera, with Shift+Tab at the farthest, so
        # that Tab always walks the whole list; a click chooses for itself.
        reason = event.reason()
        if self._choosable:
            if reason == Qt.FocusReason.TabFocusReason:
                self._move_to(self._choosable[0])
            elif reason == Qt.FocusReason.BacktabFocusReason:
                self._move_to(self._choosable[-1])
            elif self._current is None and reason in (
                Qt.FocusReason.ShortcutFocusReason,
                Qt.FocusReason.OtherFocusReason,
            ):
                self._move_to(self._choosable[0])
        self._overlay.set_framed(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._overlay.set_framed(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._overlay.plot_event(self._plot, watched, event):
            return True
        if isinstance(event, QResizeEvent) and watched is self._plot:
            self._update_scale()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ inside

    def _step(self, delta: int, *, wrap: bool) -> bool:
        if not self._choosable:
            return False
        if self._current is None:
            target = 0 if delta > 0 else len(self._choosable) - 1
        else:
            target = self._choosable.index(self._current) + delta
            if not 0 <= target < len(self._choosable):
                if not wrap:
                    return False
                target %= len(self._choosable)
        self._move_to(self._choosable[target])
        return True

    def _move_to(self, index: int) -> None:
        self._current = index
        self._show_highlight()

    def _activate(self, index: int) -> None:
        point = self._points[index]
        self.point_activated.emit(point.kind, point.key)
        if point.kind == CAMERA:
            self.camera_activated.emit(point.key)

    def _on_markers_clicked(self, _item: Any, spots: Sequence[Any], event: Any) -> None:
        if event.double():  # its first click has chosen already
            return
        hits = [int(s.data()) for s in spots]
        hits = [i for i in hits if MARKER_STYLES[self._points[i].kind].choosable]
        if not hits:
            return
        # Markers of one crossing lie on top of each other: clicking the pile again takes the
        # next one, and the line under the map says which.
        chosen = hits[0]
        if self._current in hits and len(hits) > 1:
            chosen = hits[(hits.index(self._current) + 1) % len(hits)]
        self._move_to(chosen)
        self._activate(chosen)

    def _on_scene_clicked(self, event: Any) -> None:
        if event.double() and event.button() == Qt.MouseButton.LeftButton:
            self.reset_view()

    def _tip(self, x: float, y: float, data: Any) -> str:
        point = self._points[int(data)]
        return point.detail or point.label

    def _distance_text(self, metres: float) -> str:
        """320 m, 1.5 km, 12 km: to 1 m below 100 m, then to 10 m, then 0.1 km, then 1 km."""
        if round(metres, -1) < 1000:
            shown = round(metres) if metres < 100 else round(metres, -1)
            return self.tr("%1 m").replace("%1", str(int(shown)))
        kilometres = f"{metres / 1000:.1f}" if metres < 9950 else str(round(metres / 1000))
        return self.tr("%1 km").replace("%1", kilometres.removesuffix(".0"))

    def _fit(self) -> QRectF:
        """The origin and every point, with room around them for labels and, below, for the
        scale bar."""
        xs = [x for x, _ in self._xy] + [0.0]
        ys = [y for _, y in self._xy] + [0.0]
        width = max(max(xs) - min(xs), MIN_SPAN_M)
        height = max(max(ys) - min(ys), MIN_SPAN_M)
        margin = _MARGIN * max(width, height)
        below = margin + _SCALE_ROOM * max(width, height)
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        return QRectF(
            cx - width / 2 - margin,
            cy - height / 2 - below,
            width + 2 * margin,
            height + margin + below,
        )

    def _set_label_texts(self) -> None:
        """One label from the pool per labelled point; `_arrange_labels` places them."""
        labelled = [i for i, p in enumerate(self._points) if p.label]
        while len(self._labels) < len(labelled):
            fill = QColor(self.palette().color(QPalette.ColorRole.Base))
            fill.setAlpha(215)
            label = self._pg.TextItem(fill=QBrush(fill))
            label.setFont(self._label_font)
            label.setZValue(20)
            self._view.addItem(label)
            self._labels.append(label)
        self._label_of.clear()
        for index, label in zip(labelled, self._labels, strict=False):
            x, y = self._xy[index]
            label.setText(self._points[index].label)
            label.setPos(x, y)
            label.show()
            self._label_of[index] = label
        for label in self._labels[len(labelled) :]:
            label.hide()

    def _arrange_labels(self, *_args: Any) -> None:
        """Put each label on the side of its marker where it covers the fewest labels already
        placed, other markers and the map's edge (a greedy pass, in screen pixels, redone when
        the view moves: markers of one crossing lie on top of each other until zoomed in)."""
        if not self._label_of:
            return
        view = self._view
        bounds = view.sceneBoundingRect()
        if bounds.width() < 10 or bounds.height() < 10:
            return
        centres = {i: view.mapViewToScene(QPointF(x, y)) for i, (x, y) in enumerate(self._xy)}
        markers = [
            QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
            for i, c in centres.items()
            for r in [MARKER_STYLES[self._points[i].kind].size / 2]
        ]
        # The overlay covers the plot's viewport, whose pixels are pyqtgraph's scene units.
        corners = [self._overlay.scale_box(), self._overlay.north_box()]
        placed: list[QRectF] = []
        leaders: list[QPointF] = []
        for index, label in self._label_of.items():
            box = label.textItem.boundingRect()
            w, h = max(box.width(), 1.0), max(box.height(), 1.0)
            r = MARKER_STYLES[self._points[index].kind].size / 2 + _LABEL_GAP_PX
            d = r * 0.7
            offsets = [
                (r, -h / 2),  # right
                (-r - w, -h / 2),  # left
                (d, -d - h),  # above right
                (d, d),  # below right
                (-d - w, -d - h),  # above left
                (-d - w, d),  # below left
                (-w / 2, -r - h),  # above
                (-w / 2, r),  # below
            ]
            offsets += [(dx, dy + k * h) for k in (-1, 1, -2, 2) for dx, dy in offsets[:2]]
            centre = centres[index]
            best: tuple[float, float, float] | None = None
            for dx, dy in offsets:
                rect = QRectF(centre.x() + dx, centre.y() + dy, w, h)
                outside = w * h - _area(rect.intersected(bounds))
                outside += sum(_area(rect.intersected(c)) for c in corners)
                cost = (
                    4 * sum(_area(rect.intersected(o)) for o in placed)
                    + 2 * sum(_area(rect.intersected(m)) for m in markers)
                    + 3 * outside
                )
                if best is None or cost < best[0]:
                    best = (cost, dx, dy)
                if cost == 0:
                    break
            assert best is not None
            _, dx, dy = best
            label.setAnchor((-dx / w, -dy / h))
            rect = QRectF(centre.x() + dx, centre.y() + dy, w, h)
            placed.append(rect)
            near = QPointF(
                min(max(centre.x(), rect.left()), rect.right()),
                min(max(centre.y(), rect.top()), rect.bottom()),
            )
            if math.hypot(near.x() - centre.x(), near.y() - centre.y()) > r + 4:
                leaders += [view.mapSceneToView(centre), view.mapSceneToView(near)]
        self._leaders.setData(x=[p.x() for p in leaders], y=[p.y() for p in leaders])

    def _show_highlight(self) -> None:
        ink = self.palette().color(QPalette.ColorRole.Text)
        for index, label in self._label_of.items():
            label.setColor(_HIGHLIGHT.darker(130) if index == self._current else ink)
        if self._current is None:
            self._ring.clear()
            if self._choosable:
                self._caption.set_full_text(
                    self.tr("Click a camera, or Tab then Enter")
                    if all(self._points[i].kind == CAMERA for i in self._choosable)
                    else self.tr("Click a marker, or Tab then Enter")
                )
            else:
                self._caption.set_full_text(self.tr("No cameras near this place"))
            return
        x, y = self._xy[self._current]
        style = MARKER_STYLES[self._points[self._current].kind]
        self._ring.setData(
            x=[x],
            y=[y],
            symbol="o",
            size=style.size + 12,
            brush=self._pg.mkBrush(None),
            pen=self._pg.mkPen(_HIGHLIGHT, width=3),
        )
        point = self._points[self._current]
        self._caption.set_full_text(f"▶ {point.detail or point.label}")
        self.setAccessibleDescription(self._caption.full_text())

    def _on_view_changed(self, *_args: Any) -> None:
        self._update_scale()
        self._arrange_labels()

    def _update_scale(self) -> None:
        self._overlay.follow_scale(self._plot, self._view, self._distance_text)
