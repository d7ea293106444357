"""What the hall's two maps share (`place_map`, `situation_map`): a pyqtgraph plot set up as a
map, the scale bar, north arrow and focus frame painted over it, the events those need, and the
caption line under it.

pyqtgraph is handed in by the map (it imports it when the first map is built, not at start-up).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

__all__ = ["ElidedLabel", "MapOverlay", "map_plot", "scale_bar_metres"]


_SCALE_STEPS_M: Final = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)


def scale_bar_metres(metres_per_pixel: float, width_px: float) -> int:
    """The longest round length that takes at most a third of the map's width."""
    room = max(width_px / 3, 40.0) * metres_per_pixel
    fitting = [step for step in _SCALE_STEPS_M if step <= room]
    return fitting[-1] if fitting else _SCALE_STEPS_M[0]


def map_plot(pg: Any, paper: QColor, minimum: tuple[int, int]) -> tuple[Any, Any]:
    """A plot widget and its view box as a map: no axes, no menu (pyqtgraph's is English only,
    and not for a map), metres equal in both directions, no automatic ranging."""
    plot: Any = pg.PlotWidget(background=paper)
    plot.setAntialiasing(True)
    plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    plot.setFrameShape(QFrame.Shape.NoFrame)
    plot.setMinimumSize(*minimum)
    item: Any = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.hideAxis("left")
    item.hideAxis("bottom")
    item.layout.setContentsMargins(0, 0, 0, 0)
    view: Any = item.getViewBox()
    view.setAspectLocked(True, ratio=1.0)
    view.disableAutoRange()
    view.setDefaultPadding(0.0)
    return plot, view


class MapOverlay(QWidget):
    """Scale bar, north arrow and focus frame, painted over the plot in widget pixels so they
    stay put while the map pans and zooms."""

    def __init__(self, plot: QWidget) -> None:
        super().__init__(plot)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.scale_px = 0.0
        self.scale_text = ""
        self.north_text = "N"
        self.framed = False

    def scale_box(self) -> QRectF:
        """Where the scale bar sits, bottom left; labels keep clear of it."""
        metrics = self.fontMetrics()
        width = max(self.scale_px, metrics.horizontalAdvance(self.scale_text))
        height = metrics.height() + 13
        return QRectF(5, self.height() - 4 - height, width + 10, height)

    def north_box(self) -> QRectF:
        """Where the north arrow sits, top right."""
        metrics = self.fontMetrics()
        width = max(16, metrics.horizontalAdvance(self.north_text) + 4)
        return QRectF(self.width() - 16 - width / 2, 6, width, 16 + metrics.height())

    def set_framed(self, framed: bool) -> None:
        """The focus frame: the map has the keyboard."""
        self.framed = framed
        self.update()

    def follow_scale(self, plot: Any, view: Any, distance_text: Callable[[int], str]) -> None:
        """A round length that fits the view now, and its text."""
        width_px = plot.viewport().width()
        try:
            metres_per_px = float(view.viewPixelSize()[0])
        except (ZeroDivisionError, TypeError):
            metres_per_px = 0.0
        if not (math.isfinite(metres_per_px) and metres_per_px > 0 and width_px > 0):
            self.scale_px = 0.0
        else:
            metres = scale_bar_metres(metres_per_px, width_px)
            self.scale_px = metres / metres_per_px
            self.scale_text = distance_text(metres)
        self.update()

    def plot_event(self, plot: Any, watched: QObject, event: QEvent) -> bool:
        """For the map's event filter on the plot and its viewport: the overlay follows the
        plot's size; the plain wheel scrolls the page around the map (True: swallowed here),
        only Ctrl+wheel zooms."""
        if isinstance(event, QResizeEvent) and watched is plot:
            self.setGeometry(QRect(QPoint(0, 0), event.size()))
            self.raise_()
        elif (
            isinstance(event, QWheelEvent)
            and watched is plot.viewport()
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()  # an ignored event goes on to the parents
            return True
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink = palette.color(palette.ColorRole.Text)
        paper = QColor(palette.color(palette.ColorRole.Base))
        paper.setAlpha(190)
        metrics = painter.fontMetrics()
        if self.scale_px > 0 and self.scale_text:
            box = self.scale_box()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paper)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QPen(ink, 2))
            left, bottom = box.left() + 5, box.bottom() - 5
            right = left + self.scale_px
            painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
            painter.drawLine(QPointF(left, bottom), QPointF(left, bottom - 5))
            painter.drawLine(QPointF(right, bottom), QPointF(right, bottom - 5))
            painter.drawText(QPointF(left, bottom - 7 - metrics.descent()), self.scale_text)
        north = self.north_box()
        cx, top = north.center().x(), north.top() + 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ink)
        painter.drawPolygon(
            QPolygonF([QPointF(cx, top), QPointF(cx - 6, top + 12), QPointF(cx + 6, top + 12)])
        )
        painter.setPen(ink)
        text_w = metrics.horizontalAdvance(self.north_text)
        painter.drawText(QPointF(cx - text_w / 2, top + 14 + metrics.ascent()), self.north_text)
        if self.framed:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(palette.ColorRole.Highlight), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()


class ElidedLabel(QLabel):
    """One line that shortens with "…" rather than wrap and shift the layout; the whole text
    is the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width() - 4, 20)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))
