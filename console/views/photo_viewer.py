"""The review seat's photos: a strip of thumbnails above a viewer that compares two side by side.

The widgets never decode: `decode_photo` (and `thumbnail`, if wanted) run in a worker thread and
the caller hands over `PhotoItem`s with decoded images, so opening a case with fifteen 12-megapixel
photos only scales fifteen thumbnails on the GUI thread.

Keys in the strip: Left/Right move, Home/End jump, Enter or Space (or a click) shows the photo.
Keys in the viewer: wheel or +/- zoom, 0 fits, arrows (or dragging) pan once zoomed, R turns
90° clockwise and Shift+R back, D puts the previously shown photo beside the current one (and
back to one), Tab switches between the two panes. In `PhotoPanel` the viewer's keys (not the
arrows) also work while the strip has focus, so "Enter, Enter, D" compares two photos.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QModelIndex,
    QObject,
    QPoint,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QIcon,
    QImage,
    QImageReader,
    QKeyEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "PhotoItem",
    "PhotoPane",
    "PhotoPanel",
    "PhotoStrip",
    "PhotoViewer",
    "decode_photo",
    "thumbnail",
]

# What a party's phone sends. QImage.fromData would also render a PDF page or an SVG, which are
# not photos (and a refused upload must not turn up looking like one).
_PHOTO_FORMATS = frozenset({b"jpeg", b"jpg", b"png", b"webp"})
_REFUSED_COLOR = QColor("#c62828")
_PLACEHOLDER_COLOR = QColor("#9e9e9e")
_MUTED = QColor("#757575")
_KEY_ROLE = Qt.ItemDataRole.UserRole
_ZOOM_STEP = 1.25
_MAX_SCALE = 8.0
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


@dataclass(frozen=True)
class PhotoItem:
    """One uploaded file as the review seat sees it, decoded already.

    `image` is left out of ==/hash: comparing 12-megapixel images pixel by pixel would stall
    the GUI thread. A refused file has `refused_reason` and usually a null image.
    """

    key: str
    kind: str
    party_letter: str | None
    caption: str
    image: QImage = field(default_factory=QImage, compare=False)
    refused_reason: str | None = None


def decode_photo(data: bytes, max_side: int | None = None) -> QImage | None:
    """Decode an uploaded photo, in a worker thread; None when it is not a photo we can show.

    The EXIF orientation is applied (a phone's upright licence stays upright). With `max_side`
    at or below half, a quarter or an eighth of a JPEG's size, libjpeg decodes at that scale:
    a 4000×3000 photo to 1000 px takes ~25 ms instead of ~105 ms for all 12 megapixels.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    if not reader.canRead() or bytes(reader.format().data()).lower() not in _PHOTO_FORMATS:
        return None
    size = reader.size()
    if max_side is not None and size.isValid() and max(size.width(), size.height()) > max_side:
        reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    if max_side is not None and max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    # The format the screen paints without converting, so QPixmap.fromImage is free later.
    wanted = (
        QImage.Format.Format_ARGB32_Premultiplied
        if image.hasAlphaChannel()
        else QImage.Format.Format_RGB32
    )
    return image if image.format() == wanted else image.convertToFormat(wanted)


def thumbnail(image: QImage, height: int) -> QImage:
    """`image` scaled to `height` pixels, keeping its aspect; a few milliseconds at most.

    A smooth scale of 12 megapixels reads every pixel (~20 ms each); sampling down to three
    times the height first and smoothing only that keeps the thumbnail clean for a fraction.
    """
    if image.isNull() or height <= 0:
        return QImage()
    if image.height() <= height:
        return image
    source = image
    if image.height() > 3 * height:
        source = image.scaledToHeight(3 * height, Qt.TransformationMode.FastTransformation)
    return source.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


def _placeholder(size: QSize, ratio: float, text: str, color: QColor, *, bold: bool) -> QPixmap:
    """A dashed tile with a short text in it: for a refused file or a missing required photo."""
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(_PLACEHOLDER_COLOR, 1.5, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    box = QRectF(1, 1, size.width() - 2, size.height() - 2)
    painter.drawRoundedRect(box, 6, 6)
    font = painter.font()
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(color)
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    painter.drawText(box.adjusted(6, 6, -6, -6), int(flags), text)
    painter.end()
    return pixmap


# ---------------------------------------------------------------- strip


class PhotoStrip(QWidget):
    """One row of thumbnails with their captions; missing required photos as dashed tiles."""

    photo_chosen = Signal(str)
    """The user asked to see a photo (Enter, Space or a click); the argument is its key."""

    def __init__(self, parent: QWidget | None = None, *, thumb_height: int = 96) -> None:
        super().__init__(parent)
        self.setObjectName("photo_strip")
        self._thumb_height = thumb_height
        self._tile = QSize(round(thumb_height * 4 / 3), thumb_height)
        self._photos: list[PhotoItem] = []
        self._missing: list[str] = []
        self._thumbs: dict[tuple[str, int, int], QPixmap] = {}

        self._list = QListWidget(self)
        self._list.setObjectName("photo_list")
        self._list.setViewMode(QListView.ViewMode.IconMode)
        self._list.setFlow(QListView.Flow.LeftToRight)
        self._list.setWrapping(False)
        self._list.setMovement(QListView.Movement.Static)
        self._list.setResizeMode(QListView.ResizeMode.Adjust)
        self._list.setUniformItemSizes(True)
        self._list.setWordWrap(True)
        self._list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.setTabKeyNavigation(False)
        self._list.setIconSize(self._tile)
        lines = self._list.fontMetrics().lineSpacing() * 2
        self._list.setGridSize(QSize(self._tile.width() + 12, thumb_height + lines + 14))
        bar = self._list.horizontalScrollBar().sizeHint().height()
        self._list.setFixedHeight(
            self._list.gridSize().height() + bar + 2 * self._list.frameWidth() + 4
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._list)
        self.setFocusProxy(self._list)
        self._list.installEventFilter(self)
        self._list.clicked.connect(self._clicked)
        self._list.setAccessibleName(self.tr("Photos"))

    # ------------------------------------------------------------ public

    @property
    def list_widget(self) -> QListWidget:
        return self._list

    def set_photos(self, items: Sequence[PhotoItem]) -> None:
        """Show these photos; the highlighted one stays highlighted if it is still there."""
        self._photos = list(items)
        self._rebuild()

    def set_missing(self, captions: list[str]) -> None:
        """Required photos that have not arrived, shown after the photos as dashed tiles."""
        self._missing = list(captions)
        self._rebuild()

    def current_key(self) -> str | None:
        item = self._list.currentItem()
        key = item.data(_KEY_ROLE) if item is not None else None
        return key if isinstance(key, str) else None

    def select_key(self, key: str) -> bool:
        """Highlight a photo and scroll to it; False if the strip does not have it."""
        for row in range(self._list.count()):
            if self._list.item(row).data(_KEY_ROLE) == key:
                self._select_row(row)
                return True
        return False

    # ------------------------------------------------------------ Qt events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self._list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() in _PLAIN
        ):
            return self._key(event.key())
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._list.setAccessibleName(self.tr("Photos"))
            self._rebuild()
        super().changeEvent(event)

    # ------------------------------------------------------------ internals

    def _rebuild(self) -> None:
        keep = self.current_key()
        ratio = self.devicePixelRatioF()
        pixels = round(self._thumb_height * ratio)
        thumbs: dict[tuple[str, int, int], QPixmap] = {}
        self._list.setUpdatesEnabled(False)
        self._list.blockSignals(True)
        try:
            self._list.clear()
            for photo in self._photos:
                item = QListWidgetItem(photo.caption)
                item.setData(_KEY_ROLE, photo.key)
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                if photo.refused_reason is not None:
                    reason = photo.refused_reason
                    tile = _placeholder(self._tile, ratio, reason, _REFUSED_COLOR, bold=True)
                    item.setIcon(QIcon(tile))
                    refused = self.tr("Refused: {reason}").format(reason=reason)
                    item.setToolTip(f"{photo.caption}\n{refused}")
                elif photo.image.isNull():
                    text = self.tr("Cannot be shown")
                    item.setIcon(QIcon(_placeholder(self._tile, ratio, text, _MUTED, bold=False)))
                    item.setToolTip(photo.caption)
                else:
                    cache_key = (photo.key, photo.image.cacheKey(), pixels)
                    pixmap = self._thumbs.get(cache_key)
                    if pixmap is None:
                        pixmap = QPixmap.fromImage(thumbnail(photo.image, pixels))
                        pixmap.setDevicePixelRatio(ratio)
                    thumbs[cache_key] = pixmap
                    item.setIcon(QIcon(pixmap))
                    item.setToolTip(photo.caption)
                self._list.addItem(item)
            missing = QIcon(_placeholder(self._tile, ratio, self.tr("Missing"), _MUTED, bold=False))
            for caption in self._missing:
                item = QListWidgetItem(caption)
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                item.setIcon(missing)
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # not to land on, by key, click or search
                item.setToolTip(self.tr("Missing: {caption}").format(caption=caption))
                self._list.addItem(item)
        finally:
            self._list.blockSignals(False)
            self._list.setUpdatesEnabled(True)
        self._thumbs = thumbs
        if not (keep is not None and self.select_key(keep)) and self._photos:
            self._select_row(0)

    def _select_row(self, row: int) -> None:
        item = self._list.item(row)
        self._list.setCurrentItem(item)
        self._list.scrollToItem(item)

    def _key(self, key: int) -> bool:
        row = self._list.currentRow()
        last = len(self._photos) - 1
        if last < 0:
            return False
        moves: dict[int, int] = {
            Qt.Key.Key_Left: max(0, row - 1),
            Qt.Key.Key_Right: min(last, row + 1),
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: last,
        }
        target = moves.get(key)
        if target is not None:
            self._select_row(0 if row < 0 else target)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            return True  # one row: nothing above or below
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            chosen = self.current_key()
            if chosen is not None:
                self.photo_chosen.emit(chosen)
            return True
        return False

    def _clicked(self, _index: QModelIndex) -> None:
        key = self.current_key()
        if key is not None:
            self.photo_chosen.emit(key)


# ---------------------------------------------------------------- viewer


class PhotoPane(QGraphicsView):
    """One photo, fitted until the user zooms; its own zoom, pan and rotation."""

    rotated = Signal(str, int)
    """The user turned the photo; its key and the rotation in degrees (0, 90, 180, 270)."""
    focused = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo_pane")
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._pixmap = QGraphicsPixmapItem()
        self._pixmap.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._pixmap)
        self._item: PhotoItem | None = None
        self._user_zoomed = False
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(QColor("#303030"))
        self.setStyleSheet(
            "PhotoPane { border: 2px solid #303030; }"
            "PhotoPane:focus { border: 2px solid palette(highlight); }"
            "QLabel#photo_info { background: rgba(0, 0, 0, 160); color: white;"
            " padding: 2px 6px; }"
            "QLabel#photo_notice { color: #c62828; font-size: 15px; }"
        )
        self.info = QLabel(self)
        """Caption, zoom and rotation, over the photo's top-left corner."""
        self.info.setObjectName("photo_info")
        self.info.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.notice = QLabel(self)
        """Why there is no photo to show: none chosen, or the file was refused."""
        self.notice.setObjectName("photo_notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self.notice.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.show_item(None)

    # ------------------------------------------------------------ public

    @property
    def key(self) -> str | None:
        return self._item.key if self._item is not None else None

    @property
    def item(self) -> PhotoItem | None:
        return self._item

    @property
    def pixmap_item(self) -> QGraphicsPixmapItem:
        return self._pixmap

    @property
    def user_zoomed(self) -> bool:
        """The user zoomed: a resize keeps their scale instead of fitting again."""
        return self._user_zoomed

    def scale_factor(self) -> float:
        """Screen pixels per photo pixel (1.0 is 100 %)."""
        return self.transform().m11()

    def rotation(self) -> int:
        return round(self._pixmap.rotation()) % 360

    def show_item(self, item: PhotoItem | None, rotation: int = 0) -> None:
        """Show a photo fitted to the pane; a refused one (or none) shows a notice instead."""
        self._item = item
        self._user_zoomed = False
        image = item.image if item is not None and item.refused_reason is None else QImage()
        self._pixmap.setPixmap(QPixmap.fromImage(image))
        self._pixmap.setTransformOriginPoint(self._pixmap.boundingRect().center())
        self._pixmap.setRotation(rotation if not image.isNull() else 0)
        self._pixmap.setVisible(not image.isNull())
        self.notice.setVisible(image.isNull())
        self._update_notice()
        self._update_scene_rect()
        self.fit()

    def fit(self) -> None:
        """The whole photo in the pane; resizes keep fitting it until the user zooms again."""
        self._user_zoomed = False
        scale = self._fit_scale()
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(self._pixmap.sceneBoundingRect().center())
        self._update_info()

    def zoom_by(self, factor: float, *, under_mouse: bool = False) -> None:
        """Zoom, never smaller than fitted nor beyond 800 %; back at fitted, resizes fit again."""
        if not self._pixmap.isVisible():
            return
        fit = self._fit_scale()
        current = self.scale_factor()
        wanted = min(max(current * factor, fit), max(_MAX_SCALE, fit))
        if wanted <= fit * 1.001:
            self.fit()
            return
        self.setTransformationAnchor(
            QGraphicsView.ViewportAnchor.AnchorUnderMouse
            if under_mouse
            else QGraphicsView.ViewportAnchor.AnchorViewCenter
        )
        self.scale(wanted / current, wanted / current)
        self._user_zoomed = True
        self._update_info()

    def rotate_by(self, quarter_turns: int) -> None:
        """Turn the photo by 90° steps (clockwise for positive), keeping the user's zoom."""
        if self._item is None or not self._pixmap.isVisible():
            return
        center = self.mapToScene(self.viewport().rect().center())
        degrees = (self.rotation() + 90 * quarter_turns) % 360
        self._pixmap.setRotation(degrees)
        self._update_scene_rect()
        if self._user_zoomed:
            self.centerOn(center)
            self._update_info()
        else:
            self.fit()
        self.rotated.emit(self._item.key, degrees)

    def pan(self, dx: int, dy: int) -> None:
        """Scroll the zoomed photo by screen pixels."""
        for bar, delta in ((self.horizontalScrollBar(), dx), (self.verticalScrollBar(), dy)):
            bar.setValue(bar.value() + delta)

    # ------------------------------------------------------------ Qt events

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = modifiers == Qt.KeyboardModifier.ShiftModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            event.ignore()
            return
        step_x, step_y = self.viewport().width() // 8, self.viewport().height() // 8
        arrows: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-step_x, 0),
            Qt.Key.Key_Right: (step_x, 0),
            Qt.Key.Key_Up: (0, -step_y),
            Qt.Key.Key_Down: (0, step_y),
        }
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(_ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / _ZOOM_STEP)
        elif key == Qt.Key.Key_0 and not shift:
            self.fit()
        elif key == Qt.Key.Key_R:
            self.rotate_by(-1 if shift else 1)
        elif key in arrows and self._user_zoomed and not shift:
            self.pan(*arrows[key])
        else:
            # D, Tab and unzoomed arrows belong to the viewer and the panel around it.
            event.ignore()
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(_ZOOM_STEP**steps, under_mouse=True)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fit()
        self._place_overlays()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.focused.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._update_notice()
            self._update_info()
        super().changeEvent(event)

    # ------------------------------------------------------------ internals

    def _fit_scale(self) -> float:
        bounds = self._pixmap.sceneBoundingRect()
        view = self.viewport().rect()
        if not self._pixmap.isVisible() or bounds.isEmpty() or view.isEmpty():
            return 1.0
        return min(view.width() / bounds.width(), view.height() / bounds.height())

    def _update_scene_rect(self) -> None:
        bounds = self._pixmap.sceneBoundingRect()
        self._scene.setSceneRect(bounds if self._pixmap.isVisible() else QRectF(0, 0, 1, 1))

    def _update_notice(self) -> None:
        item = self._item
        if item is None:
            self.notice.setText(self.tr("No photo shown"))
        elif item.refused_reason is not None:
            self.notice.setText(self.tr("Refused: {reason}").format(reason=item.refused_reason))
        else:
            self.notice.setText(self.tr("This photo could not be shown"))

    def _update_info(self) -> None:
        item = self._item
        if item is None:
            self.info.hide()
            return
        if not self._pixmap.isVisible():
            self.info.setText(item.caption)
        elif self.rotation():
            self.info.setText(
                self.tr("{caption} · {zoom}% · turned {degrees}°").format(
                    caption=item.caption,
                    zoom=round(self.scale_factor() * 100),
                    degrees=self.rotation(),
                )
            )
        else:
            self.info.setText(
                self.tr("{caption} · {zoom}%").format(
                    caption=item.caption, zoom=round(self.scale_factor() * 100)
                )
            )
        self.info.adjustSize()
        self.info.show()
        self._place_overlays()

    def _place_overlays(self) -> None:
        area = self.viewport().geometry()
        self.info.move(area.topLeft() + QPoint(6, 6))
        self.notice.setGeometry(area.adjusted(16, 16, -16, -16))


class PhotoViewer(QWidget):
    """One photo, or two side by side; `D` compares the current photo with the previous one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self._items: dict[str, PhotoItem] = {}
        self._previous: str | None = None
        self._rotations: dict[str, int] = {}
        """Turned photos stay turned: a sideways licence is upright when the reviewer is back."""
        self._panes = (PhotoPane(self), PhotoPane(self))
        self._active = self._panes[0]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for pane in self._panes:
            layout.addWidget(pane, 1)
            pane.installEventFilter(self)
            pane.rotated.connect(self._remember_rotation)
            pane.focused.connect(self._pane_focused)
        self._panes[1].hide()
        self.setFocusProxy(self._panes[0])
        self._retranslate()

    # ------------------------------------------------------------ public

    @property
    def panes(self) -> tuple[PhotoPane, PhotoPane]:
        """The left pane and the right one (shown only when comparing)."""
        return self._panes

    @property
    def active_pane(self) -> PhotoPane:
        """The pane the keys act on and the next chosen photo goes to: the last one focused."""
        return self._active

    def is_pair(self) -> bool:
        return not self._panes[1].isHidden()

    def shown_keys(self) -> tuple[str | None, str | None]:
        """The left pane's photo and the right one's (None when showing one)."""
        return self._panes[0].key, self._panes[1].key if self.is_pair() else None

    def set_photos(self, items: Sequence[PhotoItem]) -> None:
        """The case's photos; shown ones that are still there stay as they are."""
        self._items = {item.key: item for item in items}
        self._rotations = {k: v for k, v in self._rotations.items() if k in self._items}
        if self._previous not in self._items:
            self._previous = None
        for pane in self._panes:
            key = pane.key
            fresh = self._items.get(key) if key is not None else None
            if fresh is None:
                pane.show_item(None)
            elif fresh is not pane.item:
                same = pane.item is not None and (
                    fresh.image.cacheKey() == pane.item.image.cacheKey()
                    and fresh.refused_reason == pane.item.refused_reason
                )
                if not same:
                    pane.show_item(fresh, self._rotations.get(fresh.key, 0))
        if self.is_pair() and self._panes[1].key is None:
            self._show_single()

    def show_photo(self, key: str) -> bool:
        """Show a photo; when comparing it replaces the active pane's. False if unknown."""
        item = self._items.get(key)
        if item is None:
            return False
        pane = self._active if self.is_pair() else self._panes[0]
        if pane.key != key:
            if pane.key is not None:
                self._previous = pane.key
            pane.show_item(item, self._rotations.get(key, 0))
        return True

    def show_pair(self, key_a: str, key_b: str) -> bool:
        """Two photos side by side, each with its own zoom and rotation. False if unknown."""
        a, b = self._items.get(key_a), self._items.get(key_b)
        if a is None or b is None:
            return False
        left, right = self._panes
        if left.key != key_a:
            left.show_item(a, self._rotations.get(key_a, 0))
        right.show_item(b, self._rotations.get(key_b, 0))
        right.show()
        self._previous = None
        return True

    def toggle_pair(self) -> bool:
        """`D`: the current photo beside the previously shown one, or back to the active one.

        False when there is nothing to compare with.
        """
        if self.is_pair():
            self._show_single()
            return True
        current, previous = self._panes[0].key, self._previous
        if current is None or previous is None or previous == current:
            return False
        return self.show_pair(current, previous)

    # ------------------------------------------------------------ Qt events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched in self._panes
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.is_pair()
        ):
            other = self._panes[1] if watched is self._panes[0] else self._panes[0]
            other.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_D and event.modifiers() in _PLAIN:
            self.toggle_pair()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ internals

    def _retranslate(self) -> None:
        tip = self.tr(
            "Wheel or +/- zoom, 0 fits, drag or arrows pan, R turns (Shift+R back), "
            "D compares with the previous photo, Tab switches pane"
        )
        for pane in self._panes:
            pane.setToolTip(tip)

    def _show_single(self) -> None:
        """Keep the active pane's photo, on the left; the other becomes the previous one."""
        left, right = self._panes
        keep, other = (right, left) if self._active is right else (left, right)
        had_focus = right.hasFocus()
        if keep is right and right.item is not None:
            left.show_item(right.item, right.rotation())
        self._previous = other.key if other.key != left.key else None
        right.hide()
        right.show_item(None)
        self._active = left
        if had_focus:
            left.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pane_focused(self) -> None:
        sender = self.sender()
        if isinstance(sender, PhotoPane):
            self._active = sender

    def _remember_rotation(self, key: str, degrees: int) -> None:
        self._rotations[key] = degrees


# ---------------------------------------------------------------- panel

_VIEWER_KEYS = frozenset(
    {
        Qt.Key.Key_Plus,
        Qt.Key.Key_Equal,
        Qt.Key.Key_Minus,
        Qt.Key.Key_Underscore,
        Qt.Key.Key_0,
        Qt.Key.Key_R,
        Qt.Key.Key_D,
    }
)
_SHIFT_OR_KEYPAD = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class PhotoPanel(QWidget):
    """The strip above the viewer: choose with Enter, compare with D, zoom without leaving."""

    def __init__(self, parent: QWidget | None = None, *, thumb_height: int = 96) -> None:
        super().__init__(parent)
        self.setObjectName("photo_panel")
        self.strip = PhotoStrip(self, thumb_height=thumb_height)
        self.viewer = PhotoViewer(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.strip)
        layout.addWidget(self.viewer, 1)
        self.setFocusProxy(self.strip)
        self.strip.photo_chosen.connect(self.viewer.show_photo)
        self.strip.list_widget.installEventFilter(self)

    def set_photos(self, items: Sequence[PhotoItem]) -> None:
        """A case's photos; a new case shows its first photo straight away."""
        self.strip.set_photos(items)
        self.viewer.set_photos(items)
        first = self.strip.current_key()
        if self.viewer.shown_keys()[0] is None and first is not None:
            self.viewer.show_photo(first)

    def set_missing(self, captions: list[str]) -> None:
        self.strip.set_missing(captions)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.strip.list_widget
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _VIEWER_KEYS
            and not event.modifiers() & ~_SHIFT_OR_KEYPAD
        ):
            compare = event.key() == Qt.Key.Key_D
            QApplication.sendEvent(self.viewer if compare else self.viewer.active_pane, event)
            return True
        return super().eventFilter(watched, event)
