"""The situation map of the rescue seat: the city's districts, its cameras, the open cases and
the rescue units, in one picture; a click on a marker opens it.

The hall has no map tiles (no internet), so, as in `place_map`, this is a plain plot of metres
east and north of the city's centre, equal in both directions, north up, with a scale bar. The
district outlines come from `console.domain.districts` (schematic, from a data file). Plot items
are made once and updated in place: the rescue seat hands over its units every second and its
cases on every change, and 500 cameras with 2,000 cases must not stutter. Nothing here reads the
database: the caller hands over plain records (`MapCamera`, `MapCase`, `MapUnit`).

pyqtgraph is imported when the first map is built, not when this module is (about a second,
perf-baseline §2a): the window shows first.

Mouse: a click on a marker opens it (the nearest within a few pixels; clicking a pile again
takes the next one in it, units before cases before cameras where they lie on top of each
other), hovering tells what is under the pointer, dragging pans, Ctrl+wheel zooms (the plain
wheel scrolls the page around the map), a double click resets the view.
Keys: Tab/Shift+Tab and the arrow keys walk the markers in view (units, then cases, then
cameras), Home/End jump; Tab leaves the map after the last one and Ctrl+Tab at once; Enter or
Space opens the highlighted marker; + and - zoom, 0 resets the view; Esc drops the highlight.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from console.domain.districts import DistrictOutline, outlines_bounds
from console.views.map_parts import ElidedLabel, MapOverlay, map_plot
from console.views.place_map import local_metres

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "CAMERA",
    "CASE",
    "KINDS",
    "UNIT",
    "UNIT_STATE_GROUPS",
    "MapCamera",
    "MapCase",
    "MapUnit",
    "SituationMap",
]

CAMERA: Final = "camera"
CASE: Final = "case"
UNIT: Final = "unit"
KINDS: Final = (UNIT, CASE, CAMERA)  # the order keys walk, and which lies on top in a pile

_CONTEXT: Final = "SituationMap"
_HIT_SLACK_PX: Final = 3.0  # a click this far outside a marker's edge still takes it
_MIN_HIT_PX: Final = 5.0
_TIP_LINES: Final = 6
_EMPTY_SPAN_M: Final = 10_000.0
_MARGIN: Final = 0.04  # of the span, around the districts
_LABEL_GAP_PX: Final = 3.0
_HIGHLIGHT: Final = QColor("#7b1fa2")  # purple: no layer uses it
_MUTED: Final = QColor("#616161")
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


@dataclass(frozen=True, slots=True)
class MapCamera:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class MapCase:
    """An open case. `urgent` (waiting for rescue) draws it red, every other open case amber;
    `state_label` is already in the user's language."""

    id: int
    case_no: str
    state_label: str
    lat: float
    lon: float
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class MapUnit:
    """A tow truck or rescue vehicle; `state` is the unit board's code
    (`console.db.models.RESCUE_UNIT_STATES`)."""

    id: int
    call_sign: str
    state: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class _Look:
    symbol: str
    size: float
    fill: QColor
    outline: QColor


_CAMERA_LOOK = _Look("s", 6, QColor("#9e9e9e"), QColor("#616161"))
_CASE_LOOKS = {
    True: _Look("o", 10, QColor("#d32f2f"), QColor("#7f0000")),
    False: _Look("o", 8, QColor("#ffa000"), QColor("#8d5a00")),
}
_UNIT_SIZE: Final = 14.0

# Unit states grouped by what the dispatcher needs to see: free, on the way, busy, coming back.
# (legend text for QCoreApplication.translate, the states, colour)
UNIT_STATE_GROUPS: Final[tuple[tuple[object, tuple[str, ...], QColor], ...]] = (
    (QT_TRANSLATE_NOOP("SituationMap", "Available"), ("available",), QColor("#2e7d32")),
    (
        QT_TRANSLATE_NOOP("SituationMap", "Dispatched / en route"),
        ("dispatched", "en_route"),
        QColor("#1565c0"),
    ),
    (
        QT_TRANSLATE_NOOP("SituationMap", "On scene / towing"),
        ("on_scene", "towing"),
        QColor("#ef6c00"),
    ),
    (QT_TRANSLATE_NOOP("SituationMap", "Returning"), ("back",), QColor("#757575")),
)
_UNKNOWN_STATE_FILL: Final = QColor("#bdbdbd")
_UNIT_STATE_LABELS: Final = {
    "available": QT_TRANSLATE_NOOP("SituationMap", "available"),
    "dispatched": QT_TRANSLATE_NOOP("SituationMap", "dispatched"),
    "en_route": QT_TRANSLATE_NOOP("SituationMap", "en route"),
    "on_scene": QT_TRANSLATE_NOOP("SituationMap", "on scene"),
    "towing": QT_TRANSLATE_NOOP("SituationMap", "towing"),
    "back": QT_TRANSLATE_NOOP("SituationMap", "returning"),
}
_UNIT_FILLS: Final = {state: color for _, states, color in UNIT_STATE_GROUPS for state in states}
# Pale, told apart at a glance, none close to a marker colour.
_DISTRICT_FILLS: Final = ("#e3f2fd", "#f1f8e9", "#fff8e1", "#f3e5f5", "#e0f2f1", "#fbe9e7")


def _translate(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP in this module, in the user's language."""
    return QCoreApplication.translate(_CONTEXT, str(text))


def _finite(*values: float | None) -> bool:
    return all(isinstance(v, int | float) and math.isfinite(v) for v in values)


def _no_points() -> npt.NDArray[np.float64]:
    import numpy

    return numpy.zeros(0)


@dataclass(eq=False)
class _Layer:
    """One kind of marker: the records shown, their positions in metres, and the scatter item
    that draws them (made once, `setData` on every update)."""

    kind: str
    scatter: Any
    hit_px: float  # marker radius plus slack, in pixels
    records: list[Any] = field(default_factory=list)
    index: dict[object, int] = field(default_factory=dict)
    # Metres east and north of the origin, one per record (numpy arrays).
    x: npt.NDArray[np.float64] = field(default_factory=_no_points)
    y: npt.NDArray[np.float64] = field(default_factory=_no_points)
    order: npt.NDArray[np.intp] | None = None  # the order keys walk the records; None: as given
    visible: bool = True


class SituationMap(QWidget):
    """Districts, cameras, open cases and rescue units on one map. Emits `opened(kind, id)`
    (kind one of "camera", "case", "unit"; id the record's id) when a marker is clicked or
    chosen with the keyboard."""

    opened = Signal(str, object)

    def __init__(
        self, parent: QWidget | None = None, *, origin: tuple[float, float] | None = None
    ) -> None:
        super().__init__(parent)
        import numpy
        import pyqtgraph as pg

        self._pg: Any = pg
        self._np: Any = numpy
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 200)
        self.setAccessibleName(self.tr("Situation map"))

        self._fixed_origin = origin is not None and _finite(*origin)
        self._origin: tuple[float, float] = origin if origin and self._fixed_origin else (0, 0)
        self._districts: tuple[DistrictOutline, ...] = ()
        self._district_bounds: QRectF | None = None
        self._current: tuple[str, int] | None = None  # (kind, index into that layer)
        self._home = QRectF(-_EMPTY_SPAN_M / 2, -_EMPTY_SPAN_M / 2, _EMPTY_SPAN_M, _EMPTY_SPAN_M)
        self._placed = False  # no marker yet: the first ones may set the origin
        self._user_moved = False  # panned, zoomed or centred since the last reset

        paper = self.palette().color(QPalette.ColorRole.Base)
        plot, view = map_plot(pg, paper, (200, 150))
        self._plot = plot
        self._view = view

        self._district_paths: list[QGraphicsPathItem] = []  # pools: shown, moved, hidden
        self._district_labels: list[Any] = []
        self._district_font = QFont(self.font())
        self._district_font.setBold(True)
        self._district_font.setPointSizeF(max(self.font().pointSizeF(), 8.0) * 1.25)

        def scatter(z: float) -> Any:
            made = pg.ScatterPlotItem(pxMode=True, antialias=True)
            made.setZValue(z)
            view.addItem(made)
            return made

        self._layers: dict[str, _Layer] = {
            CAMERA: _Layer(CAMERA, scatter(6), _CAMERA_LOOK.size / 2 + _HIT_SLACK_PX),
            CASE: _Layer(CASE, scatter(8), _CASE_LOOKS[True].size / 2 + _HIT_SLACK_PX),
            UNIT: _Layer(UNIT, scatter(10), _UNIT_SIZE / 2 + _HIT_SLACK_PX),
        }
        # Shared by every marker of a look: pyqtgraph draws each look once and copies it.
        self._camera_brush = pg.mkBrush(_CAMERA_LOOK.fill)
        self._camera_pen = pg.mkPen(_CAMERA_LOOK.outline, width=1)
        self._case_brushes = {k: pg.mkBrush(look.fill) for k, look in _CASE_LOOKS.items()}
        self._case_pens = {k: pg.mkPen(look.outline, width=1) for k, look in _CASE_LOOKS.items()}
        self._unit_pen = pg.mkPen("#263238", width=1)
        self._unit_brushes = {state: pg.mkBrush(c) for state, c in _UNIT_FILLS.items()}
        self._unknown_unit_brush = pg.mkBrush(_UNKNOWN_STATE_FILL)
        self._ring: Any = scatter(12)
        self._ring_pen = pg.mkPen(_HIGHLIGHT, width=3)
        self._ring_brush = pg.mkBrush(None)
        self._unit_labels: list[Any] = []
        self._label_font = QFont(self.font())

        self._overlay = MapOverlay(plot)
        self._overlay.north_text = self.tr("N")
        plot.installEventFilter(self)
        plot.viewport().installEventFilter(self)
        view.sigRangeChanged.connect(self._on_view_changed)
        view.sigRangeChangedManually.connect(self._on_user_moved)  # a drag, Ctrl+wheel
        view.sigResized.connect(self._on_view_changed)
        scene: Any = plot.scene()
        scene.sigMouseClicked.connect(self._on_scene_clicked)
        plot.viewport().setMouseTracking(True)

        self._toggles: dict[str, QCheckBox] = {}
        toggles = QHBoxLayout()
        toggles.setContentsMargins(4, 2, 4, 0)
        for kind in (UNIT, CASE, CAMERA):
            box = QCheckBox()
            box.setChecked(True)
            box.toggled.connect(lambda on, kind=kind: self.set_layer_visible(kind, on))
            self._toggles[kind] = box
            toggles.addWidget(box)
        toggles.addStretch(1)
        self._legend = QLabel(self._legend_html())
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._legend.setWordWrap(True)
        self._legend.setContentsMargins(4, 0, 4, 0)
        self._caption = ElidedLabel()
        self._caption.setContentsMargins(4, 0, 4, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(toggles)
        layout.addWidget(self._legend)
        layout.addWidget(plot, 1)
        layout.addWidget(self._caption)
        self._update_toggle_texts()
        self._show_highlight()

    # ------------------------------------------------------------ what the caller hands over

    def set_districts(self, outlines: Sequence[DistrictOutline]) -> None:
        """The district outlines (`console.domain.districts.parse_districts`). Unless the map was
        made with an origin, the middle of the outlines becomes the origin; the home view is
        the whole city."""
        self._districts = tuple(o for o in outlines if o.rings)
        if self._districts and not self._fixed_origin:
            south, west, north, east = outlines_bounds(self._districts)
            self._set_origin(((south + north) / 2, (west + east) / 2))
        pg = self._pg
        outline_pen = QPen(QColor("#78909c"), 1.5)
        outline_pen.setCosmetic(True)  # pixels, not metres
        ink = QColor("#455a64")
        ink.setAlpha(200)
        while len(self._district_paths) < len(self._districts):
            path_item = QGraphicsPathItem()
            path_item.setPen(outline_pen)
            path_item.setZValue(0)
            self._view.addItem(path_item)
            self._district_paths.append(path_item)
            label = pg.TextItem(anchor=(0.5, 0.5), color=ink)
            label.setFont(self._district_font)
            label.setZValue(2)
            self._view.addItem(label)
            self._district_labels.append(label)
        for n, (outline, path_item, label) in enumerate(
            zip(self._districts, self._district_paths, self._district_labels, strict=False)
        ):
            path = QPainterPath()
            for ring in outline.rings:
                path.addPolygon(QPolygonF([QPointF(*self._metres(lat, lon)) for lat, lon in ring]))
                path.closeSubpath()
            path.setFillRule(Qt.FillRule.OddEvenFill)
            fill = QColor(_DISTRICT_FILLS[n % len(_DISTRICT_FILLS)])
            path_item.setBrush(QBrush(fill))
            path_item.setPath(path)
            path_item.show()
            label.setText(outline.name)
            label.setPos(*self._metres(*outline.label_point()))
            label.show()
        for path_item in self._district_paths[len(self._districts) :]:
            path_item.hide()
        for label in self._district_labels[len(self._districts) :]:
            label.hide()
        self._district_bounds = None
        if self._districts:
            south, west, north, east = outlines_bounds(self._districts)
            x0, y0 = self._metres(south, west)
            x1, y1 = self._metres(north, east)
            self._district_bounds = QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized()
        self._refit(force=True)

    def set_cameras(self, cameras: Sequence[MapCamera]) -> None:
        """Every camera, as small grey squares."""
        self._fill(self._layers[CAMERA], cameras)
        self._draw(CAMERA)
        self._after_update()

    def set_cases(self, cases: Sequence[MapCase]) -> None:
        """The open cases: red (and larger) while waiting for rescue, amber otherwise. Cases
        without coordinates are left off."""
        layer = self._layers[CASE]
        # Drawn in order, so the urgent ones last, on top; the keys take them first.
        kept: list[MapCase] = self._fill(
            layer, [c for c in cases if not c.urgent] + [c for c in cases if c.urgent]
        )
        np = self._np
        calm = sum(1 for c in kept if not c.urgent)
        layer.order = np.r_[np.arange(calm, len(kept)), np.arange(calm)]
        self._draw(CASE)
        self._after_update()

    def set_units(self, units: Sequence[MapUnit]) -> None:
        """The rescue units, coloured by state, with their call signs. Called every second by
        the rescue seat: items and labels are moved, not made again."""
        self._fill(self._layers[UNIT], units)
        self._draw(UNIT)
        self._after_update()

    def set_layer_visible(self, kind: str, visible: bool) -> None:
        """Show or hide one kind of marker; hidden markers cannot be clicked or walked to."""
        layer = self._layers[kind]
        layer.visible = visible
        layer.scatter.setVisible(visible)
        box = self._toggles[kind]
        if box.isChecked() != visible:
            box.setChecked(visible)
        if not visible and self._current is not None and self._current[0] == kind:
            self._current = None
        if kind == UNIT:
            self._arrange_unit_labels()
        self._show_highlight()

    def select(self, kind: str, marker_id: object) -> bool:
        """Highlight the marker and centre the view on it (its layer is shown again if it was
        hidden). False when there is no such marker."""
        layer = self._layers[kind]
        index = layer.index.get(marker_id)
        if index is None:
            return False
        if not layer.visible:
            self.set_layer_visible(kind, True)
        self._current = (kind, index)
        self._show_highlight()
        self._centre_on(float(layer.x[index]), float(layer.y[index]))
        return True

    def reset_view(self) -> None:
        """Back to the whole city, after panning or zooming."""
        self._user_moved = False
        self._view.setRange(rect=self._home, padding=0.0)

    # ------------------------------------------------------------ what tests and callers read

    def origin(self) -> tuple[float, float]:
        """The (lat, lon) that is (0, 0) on the map."""
        return self._origin

    def highlighted(self) -> tuple[str, object] | None:
        if self._current is None:
            return None
        kind, index = self._current
        return kind, self._layers[kind].records[index].id

    def layer_visible(self, kind: str) -> bool:
        return self._layers[kind].visible

    def marker_count(self, kind: str) -> int:
        """How many markers of a layer the map holds (those with coordinates)."""
        return len(self._layers[kind].records)

    def caption_text(self) -> str:
        return self._caption.full_text()

    def point_position(self, kind: str, marker_id: object) -> tuple[float, float]:
        """Metres east and north of the origin of the marker."""
        layer = self._layers[kind]
        index = layer.index[marker_id]
        return float(layer.x[index]), float(layer.y[index])

    def marker_pos(self, kind: str, marker_id: object) -> QPoint:
        """Where the marker is drawn, in this widget's pixels."""
        x, y = self.point_position(kind, marker_id)
        scene = self._view.mapViewToScene(QPointF(x, y))
        pos: QPoint = self._plot.viewport().mapTo(self, self._plot.mapFromScene(scene))
        return pos

    def visible_area(self) -> QRectF:
        """The metres east (x) and north (y) of the origin now in view."""
        rect: QRectF = self._view.viewRect()
        return rect

    def home_area(self) -> QRectF:
        return QRectF(self._home)

    def scale_bar(self) -> tuple[str, float]:
        """What the scale bar says and how many pixels long it is (0 before it is laid out)."""
        return self._overlay.scale_text, self._overlay.scale_px

    # ------------------------------------------------------------ keys and focus

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = Qt.Key(event.key())
        modifiers = event.modifiers()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
            modifiers & Qt.KeyboardModifier.ControlModifier
        ):
            # Out of the map at once, however many markers are in view.
            backwards = key == Qt.Key.Key_Backtab or bool(
                modifiers & Qt.KeyboardModifier.ShiftModifier
            )
            super().focusNextPrevChild(not backwards)
            event.accept()
            return
        if modifiers not in _PLAIN:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step(1, wrap=True)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(-1, wrap=True)
        elif key == Qt.Key.Key_Home:
            self._jump(first=True)
        elif key == Qt.Key.Key_End:
            self._jump(first=False)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._current is None:
                self._step(1, wrap=True)
            if self._current is not None:
                self._activate(*self._current)
        elif key == Qt.Key.Key_0:
            self.reset_view()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._zoom(0.5)
        elif key == Qt.Key.Key_Minus:
            self._zoom(2.0)
        elif key == Qt.Key.Key_Escape and self._current is not None:
            self._current = None
            self._show_highlight()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802
        """Tab walks the markers in view and then leaves the map: a keyboard user is never
        stuck in it."""
        if self.hasFocus() and self._step(1 if next else -1, wrap=False):
            return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        reason = event.reason()
        if reason == Qt.FocusReason.TabFocusReason:
            self._jump(first=True)
        elif reason == Qt.FocusReason.BacktabFocusReason:
            self._jump(first=False)
        elif reason == Qt.FocusReason.ShortcutFocusReason and self._current is None:
            self._jump(first=True)
        self._overlay.set_framed(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._overlay.set_framed(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self._overlay.plot_event(self._plot, watched, event):
            return True
        if isinstance(event, QResizeEvent) and watched is self._plot:
            self._update_scale()
        elif (
            isinstance(event, QMouseEvent)
            and event.type() == QEvent.Type.MouseMove
            and watched is self._plot.viewport()
            and event.buttons() == Qt.MouseButton.NoButton
        ):
            # Here rather than pyqtgraph's sigMouseMoved, which drops moves that come quickly
            # after one another: the last one, where the pointer stops, must count.
            self._on_mouse_moved(self._plot.mapToScene(event.position().toPoint()))
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ inside: data

    def _metres(self, lat: float, lon: float) -> tuple[float, float]:
        return local_metres(self._origin[0], self._origin[1], lat, lon)

    def _fill(self, layer: _Layer, records: Sequence[Any]) -> list[Any]:
        """Keep the records with coordinates, index them by id and place them in metres; the
        highlight stays on a record that is still there."""
        kept = [r for r in records if _finite(r.lat, r.lon)]
        if not self._fixed_origin and not self._districts and kept and not self._placed:
            # No districts yet: the first data sets the origin, so metres stay small.
            self._set_origin(
                (sum(r.lat for r in kept) / len(kept), sum(r.lon for r in kept) / len(kept))
            )
        was = self.highlighted() if self._current and self._current[0] == layer.kind else None
        self._placed = self._placed or bool(kept)
        layer.records = kept
        layer.order = None
        layer.index = {r.id: i for i, r in enumerate(kept)}
        self._place(layer)
        if was is not None:
            index = layer.index.get(was[1])
            self._current = (layer.kind, index) if index is not None else None
        return kept

    def _place(self, layer: _Layer) -> None:
        np = self._np
        xy = [self._metres(r.lat, r.lon) for r in layer.records]
        layer.x = np.fromiter((p[0] for p in xy), dtype=float, count=len(xy))
        layer.y = np.fromiter((p[1] for p in xy), dtype=float, count=len(xy))

    def _draw(self, kind: str) -> None:
        """Hand the layer's positions and looks to its scatter item (in place: `setData`)."""
        layer = self._layers[kind]
        if kind == CAMERA:
            layer.scatter.setData(
                x=layer.x,
                y=layer.y,
                symbol=_CAMERA_LOOK.symbol,
                size=_CAMERA_LOOK.size,
                brush=self._camera_brush,
                pen=self._camera_pen,
            )
        elif kind == CASE:
            urgent = [bool(c.urgent) for c in layer.records]
            layer.scatter.setData(
                x=layer.x,
                y=layer.y,
                symbol="o",
                size=[_CASE_LOOKS[u].size for u in urgent],
                brush=[self._case_brushes[u] for u in urgent],
                pen=[self._case_pens[u] for u in urgent],
            )
        else:
            layer.scatter.setData(
                x=layer.x,
                y=layer.y,
                symbol="t1",
                size=_UNIT_SIZE,
                brush=[
                    self._unit_brushes.get(u.state, self._unknown_unit_brush) for u in layer.records
                ],
                pen=self._unit_pen,
            )
            self._set_unit_labels()

    def _after_update(self) -> None:
        self._update_toggle_texts()
        self._refit(force=False)
        self._show_highlight()

    def _set_origin(self, origin: tuple[float, float]) -> None:
        """Move (0, 0); every marker is placed and drawn again (rare: districts come once)."""
        if origin == self._origin:
            return
        self._origin = origin
        for kind, layer in self._layers.items():
            if layer.records:
                self._place(layer)
                self._draw(kind)
        self._show_highlight()

    def _refit(self, *, force: bool) -> None:
        """The home view: the districts, else every marker. The view goes there on new
        districts, and on new markers unless the user has moved it since."""
        rect = self._district_bounds
        if rect is None:
            np = self._np
            xs = [layer.x for layer in self._layers.values() if len(layer.x)]
            ys = [layer.y for layer in self._layers.values() if len(layer.y)]
            if not xs:
                return
            x, y = np.concatenate(xs), np.concatenate(ys)
            rect = QRectF(
                QPointF(float(x.min()), float(y.min())), QPointF(float(x.max()), float(y.max()))
            )
        width, height = max(rect.width(), 2000.0), max(rect.height(), 2000.0)
        margin = _MARGIN * max(width, height)
        centre = rect.center()
        home = QRectF(
            centre.x() - width / 2 - margin,
            centre.y() - height / 2 - 2 * margin,  # more below: the scale bar sits there
            width + 2 * margin,
            height + 3 * margin,
        )
        if home == self._home and not force:
            return
        self._home = home
        if force or not self._user_moved:
            self.reset_view()

    def _update_toggle_texts(self) -> None:
        counts = {kind: len(layer.records) for kind, layer in self._layers.items()}
        texts = {
            UNIT: self.tr("Units (%1)"),
            CASE: self.tr("Open cases (%1)"),
            CAMERA: self.tr("Cameras (%1)"),
        }
        for kind, box in self._toggles.items():
            text = texts[kind].replace("%1", str(counts[kind]))
            if box.text() != text:
                box.setText(text)

    def _legend_html(self) -> str:
        def entry(glyph: str, color: QColor, text: str) -> str:
            # Lines break between entries, never inside one.
            return (
                f'<span style="white-space:nowrap"><span style="color:{color.name()}">'
                f"{glyph}</span>&nbsp;{html.escape(text)}</span>"
            )

        entries = [entry("▲", color, _translate(text)) for text, _, color in UNIT_STATE_GROUPS] + [
            entry("●", _CASE_LOOKS[True].fill, self.tr("Waiting for rescue")),
            entry("●", _CASE_LOOKS[False].fill, self.tr("Other open case")),
            entry("■", _CAMERA_LOOK.fill, self.tr("Camera")),
        ]
        return " &nbsp; ".join(entries)

    # ------------------------------------------------------------ inside: choosing

    def _describe(self, kind: str, index: int) -> str:
        record = self._layers[kind].records[index]
        if kind == UNIT:
            state = _UNIT_STATE_LABELS.get(record.state)
            return f"{record.call_sign} · {_translate(state) if state else record.state}"
        if kind == CASE:
            return f"{record.case_no} · {record.state_label}"
        return str(record.name)

    def _hits(self, scene_pos: QPointF) -> list[tuple[str, int]]:
        """The markers within reach of a point of the scene: nearest first, and where they lie
        on top of each other, units before cases before cameras (the order they are drawn)."""
        np = self._np
        point = self._view.mapSceneToView(scene_pos)
        px_w, px_h = (float(v) for v in self._view.viewPixelSize())
        if not (px_w > 0 and px_h > 0 and math.isfinite(px_w) and math.isfinite(px_h)):
            return []
        found: list[tuple[float, int, int, str]] = []
        for rank, kind in enumerate(KINDS):
            layer = self._layers[kind]
            if not layer.visible or not len(layer.x):
                continue
            distance = np.hypot((layer.x - point.x()) / px_w, (layer.y - point.y()) / px_h)
            reach = max(layer.hit_px, _MIN_HIT_PX)
            for index in np.flatnonzero(distance <= reach).tolist():
                found.append((round(float(distance[index]), 1), rank, -index, kind))
        found.sort()  # of one kind on one spot, the one drawn last (on top) first
        return [(kind, -negative) for _, _, negative, kind in found]

    def _on_scene_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.double():  # its first click has chosen already
            self.reset_view()
            return
        hits = self._hits(event.scenePos())
        if not hits:
            return
        # Markers of one crossing, or a unit on the scene of its case, lie on top of each
        # other: clicking the pile again takes the next one, and the caption says which.
        chosen = hits[0]
        if self._current in hits and len(hits) > 1:
            chosen = hits[(hits.index(self._current) + 1) % len(hits)]
        self._current = chosen
        self._show_highlight()
        self._activate(*chosen)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hits = self._hits(scene_pos)
        lines = [self._describe(kind, index) for kind, index in hits[:_TIP_LINES]]
        if len(hits) > _TIP_LINES:
            lines.append(self.tr("… and %1 more").replace("%1", str(len(hits) - _TIP_LINES)))
        top = hits[0][0] if hits else None
        for kind, layer in self._layers.items():
            # The scene shows the tooltip of the topmost item under the pointer that has one.
            tip = "\n".join(lines) if kind == top else ""
            if layer.scatter.toolTip() != tip:
                layer.scatter.setToolTip(tip)

    def _activate(self, kind: str, index: int) -> None:
        self.opened.emit(kind, self._layers[kind].records[index].id)

    def _walk(self) -> list[tuple[str, Any]]:
        """The markers the keys go through: those in view, of the layers shown, in `KINDS`
        order; as (kind, indices in the layer's walking order)."""
        np = self._np
        area = self._view.viewRect()
        usable = area.isValid() and area.width() > 0
        out: list[tuple[str, Any]] = []
        for kind in KINDS:
            layer = self._layers[kind]
            if not layer.visible or not len(layer.x):
                continue
            indices = layer.order if layer.order is not None else np.arange(len(layer.x))
            if usable:
                inside = (
                    (layer.x >= area.left())
                    & (layer.x <= area.right())
                    & (layer.y >= area.top())
                    & (layer.y <= area.bottom())
                )
                indices = indices[inside[indices]]
            if len(indices):
                out.append((kind, indices))
        return out

    def _step(self, delta: int, *, wrap: bool) -> bool:
        np = self._np
        walk = self._walk()
        total = sum(len(indices) for _, indices in walk)
        if not total:
            return False
        position = None
        if self._current is not None:
            before = 0
            for kind, indices in walk:
                if kind == self._current[0]:
                    at = np.flatnonzero(indices == self._current[1])
                    if len(at):
                        position = before + int(at[0])
                    break
                before += len(indices)
        if position is None:
            target = 0 if delta > 0 else total - 1
        else:
            target = position + delta
            if not 0 <= target < total:
                if not wrap:
                    return False
                target %= total
        for kind, indices in walk:
            if target < len(indices):
                self._current = (kind, int(indices[target]))
                break
            target -= len(indices)
        self._show_highlight()
        return True

    def _jump(self, *, first: bool) -> None:
        walk = self._walk()
        if walk:
            kind, indices = walk[0] if first else walk[-1]
            self._current = (kind, int(indices[0] if first else indices[-1]))
            self._show_highlight()

    def _show_highlight(self) -> None:
        if self._current is None:
            self._ring.clear()
            any_shown = any(layer.visible and layer.records for layer in self._layers.values())
            self._caption.set_full_text(
                self.tr("Click a marker, or Tab then Enter") if any_shown else ""
            )
            self.setAccessibleDescription(self._caption.full_text())
            return
        kind, index = self._current
        layer = self._layers[kind]
        size = _UNIT_SIZE if kind == UNIT else _CASE_LOOKS[True].size
        self._ring.setData(
            x=[float(layer.x[index])],
            y=[float(layer.y[index])],
            symbol="o",
            size=size + 12,
            brush=self._ring_brush,
            pen=self._ring_pen,
        )
        self._caption.set_full_text(f"▶ {self._describe(kind, index)}")
        self.setAccessibleDescription(self._caption.full_text())

    # ------------------------------------------------------------ inside: the view

    def _centre_on(self, x: float, y: float) -> None:
        self._user_moved = True
        area = self._view.viewRect()
        area.moveCenter(QPointF(x, y))
        self._view.setRange(rect=area, padding=0.0)

    def _zoom(self, factor: float) -> None:
        if self._current is not None:
            kind, index = self._current
            layer = self._layers[kind]
            centre = QPointF(float(layer.x[index]), float(layer.y[index]))
        else:
            centre = self._view.viewRect().center()
        self._user_moved = True
        self._view.scaleBy(s=(factor, factor), center=centre)

    def _on_user_moved(self, *_args: Any) -> None:
        self._user_moved = True

    def _on_view_changed(self, *_args: Any) -> None:
        self._update_scale()
        self._arrange_unit_labels()

    def _set_unit_labels(self) -> None:
        """One call-sign label from the pool per unit; `_arrange_unit_labels` places them."""
        layer = self._layers[UNIT]
        while len(self._unit_labels) < len(layer.records):
            fill = QColor(self.palette().color(QPalette.ColorRole.Base))
            fill.setAlpha(200)
            label = self._pg.TextItem(fill=QBrush(fill), color=QColor("#263238"))
            label.setFont(self._label_font)
            label.setZValue(11)
            self._view.addItem(label)
            self._unit_labels.append(label)
        for index, unit in enumerate(layer.records):
            label = self._unit_labels[index]
            if label.toPlainText() != unit.call_sign:
                label.setText(unit.call_sign)
            label.setPos(float(layer.x[index]), float(layer.y[index]))
        for label in self._unit_labels[len(layer.records) :]:
            label.hide()
        self._arrange_unit_labels()

    def _arrange_unit_labels(self) -> None:
        """Each call sign beside its unit (right, left, above or below, in screen pixels) on
        the side that covers the fewest unit and case markers and no label placed before it;
        a label with no free side is left off until the map is zoomed in. Redone when the
        view moves."""
        np = self._np
        layer = self._layers[UNIT]
        labels = self._unit_labels[: len(layer.records)]
        view = self._view
        bounds = view.sceneBoundingRect()
        if not layer.visible or bounds.width() < 10 or bounds.height() < 10:
            for label in labels:
                label.hide()
            return
        # View to scene is a scale and a shift (north up, no rotation): map every marker at
        # once rather than one QPointF at a time.
        origin = view.mapViewToScene(QPointF(0.0, 0.0))
        unit_x = view.mapViewToScene(QPointF(1.0, 0.0)).x() - origin.x()
        unit_y = view.mapViewToScene(QPointF(0.0, 1.0)).y() - origin.y()
        shown = [self._layers[k] for k in (UNIT, CASE) if self._layers[k].visible]
        marker_x = np.concatenate([origin.x() + lay.x * unit_x for lay in shown])
        marker_y = np.concatenate([origin.y() + lay.y * unit_y for lay in shown])
        placed: list[QRectF] = [self._overlay.scale_box(), self._overlay.north_box()]
        r = _UNIT_SIZE / 2 + _LABEL_GAP_PX
        for index, label in enumerate(labels):
            cx = origin.x() + float(layer.x[index]) * unit_x
            cy = origin.y() + float(layer.y[index]) * unit_y
            if not bounds.contains(QPointF(cx, cy)):
                label.hide()
                continue
            box = label.textItem.boundingRect()
            w, h = max(box.width(), 1.0), max(box.height(), 1.0)
            best: tuple[int, float, float, QRectF] | None = None
            for dx, dy in ((r, -h / 2), (-r - w, -h / 2), (-w / 2, -r - h), (-w / 2, r)):
                rect = QRectF(cx + dx, cy + dy, w, h)
                if not bounds.contains(rect) or any(rect.intersects(o) for o in placed):
                    continue
                covered = int(
                    np.count_nonzero(
                        (marker_x >= rect.left() - 3)
                        & (marker_x <= rect.right() + 3)
                        & (marker_y >= rect.top() - 3)
                        & (marker_y <= rect.bottom() + 3)
                    )
                )
                if best is None or covered < best[0]:
                    best = (covered, dx, dy, rect)
                if covered == 0:
                    break
            if best is None:
                label.hide()
                continue
            _, dx, dy, rect = best
            label.setAnchor((-dx / w, -dy / h))
            placed.append(rect)
            label.show()

    def _update_scale(self) -> None:
        self._overlay.follow_scale(self._plot, self._view, self._distance_text)

    def _distance_text(self, metres: int) -> str:
        if metres >= 1000:
            return self.tr("%1 km").replace("%1", f"{metres // 1000}")
        return self.tr("%1 m").replace("%1", str(metres))
