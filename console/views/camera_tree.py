"""The video patrol seat's camera tree: district → road → checkpoint → camera, with how many of
each group's cameras are live, a search and an "offline only" switch.

The panel reads nothing itself. Its tree comes from `console.hall.cameras.camera_tree`, run on
the task runner (`load` does that, and again whenever the search or the switch changes); live
states come from the capture workers through `set_states`, which repaints the dots and the
counts in place, because states change far more often than the registry. A camera counts as
live unless it is known to be offline, the same rule `camera_tree` counts by; connecting,
reconnecting and stalled cameras show an amber dot but are not down yet.

Rows never show a stream URL: the tree holds `CameraInfo`s (URLs redacted), and the state's
detail text is redacted again before it reaches a tooltip.

Keys: Ctrl+F goes to the search box, Down or Enter from there into the tree, Esc clears the
search; Alt+O switches "offline only"; Left goes up to the group; Enter on a camera activates
it (`camera_activated`), on a group activates the group (`group_activated`, e.g. to put the
whole checkpoint on the wall); a double click activates a camera too.
A camera row dragged onto the wall carries its id as `application/x-hall-camera`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.domain.cameras import DistrictNode
from console.hall.cameras import CameraInfo, CameraTree, camera_tree
from console.hall.journal import SessionFactory
from console.video.capture import CameraState, CaptureState, redact_url
from console.views.messages import describe_error
from console.workers.tasks import Task, TaskRunner

__all__ = [
    "CAMERA_ID_ROLE",
    "CAMERA_MIME_TYPE",
    "GROUP_PATH_ROLE",
    "KIND_ROLE",
    "STATE_ROLE",
    "CameraTreeModel",
    "CameraTreePanel",
    "NodeKind",
    "StateDot",
    "load_camera_tree",
    "state_dot",
]

log = logging.getLogger("console.ui")

CAMERA_MIME_TYPE: Final = "application/x-hall-camera"
"""A dragged camera: its id, UTF-8. The camera wall accepts it."""

KIND_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 1
CAMERA_ID_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 2
GROUP_PATH_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 3
STATE_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 4  # CaptureState value, or None

RETRY_MS: Final = 5000  # after a failed load (database unreachable), try again by itself
EXPAND_ALL_UP_TO: Final = 64  # a tree this small is shown fully open
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

StateLike = CaptureState | CameraState


class NodeKind(IntEnum):
    DISTRICT = 1
    ROAD = 2
    CHECKPOINT = 3
    CAMERA = 4


class StateDot(IntEnum):
    """The dot on a camera row; the colours are the wall's (a tile's border uses the same)."""

    UNKNOWN = 0  # not on the wall, paused or stopped: nobody is looking, so nobody knows
    LIVE = 1
    WAITING = 2  # connecting, reconnecting, stalled
    OFFLINE = 3


_DOT_COLOURS: Final = {
    StateDot.UNKNOWN: "#9e9e9e",
    StateDot.LIVE: "#2e7d32",
    StateDot.WAITING: "#ffa000",
    StateDot.OFFLINE: "#c62828",
}
_DOTS: Final = {
    CaptureState.LIVE: StateDot.LIVE,
    CaptureState.CONNECTING: StateDot.WAITING,
    CaptureState.RECONNECTING: StateDot.WAITING,
    CaptureState.STALLED: StateDot.WAITING,
    CaptureState.OFFLINE: StateDot.OFFLINE,
    CaptureState.PAUSED: StateDot.UNKNOWN,
    CaptureState.STOPPED: StateDot.UNKNOWN,
}


def state_dot(state: CaptureState | None) -> StateDot:
    return StateDot.UNKNOWN if state is None else _DOTS[state]


_icons: dict[StateDot, QIcon] = {}


def _dot_icon(dot: StateDot) -> QIcon:
    """A filled circle; drawn once per colour (needs the QApplication, hence not at import)."""
    icon = _icons.get(dot)
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(_DOT_COLOURS[dot])
        painter.setPen(colour.darker(130))
        painter.setBrush(colour)
        painter.drawEllipse(QRectF(3.0, 3.0, 10.0, 10.0))
        painter.end()
        icon = _icons[dot] = QIcon(pixmap)
    return icon


def load_camera_tree(
    runner: TaskRunner,
    session_factory: SessionFactory,
    *,
    offline_ids: Collection[str] = frozenset(),
    search: str = "",
    offline_only: bool = False,
    on_done: Callable[[CameraTree], None],
    on_failed: Callable[[BaseException], None] | None = None,
) -> Task:
    """Build the tree off the GUI thread; `on_done(CameraTree)` runs on the GUI thread."""
    return runner.submit(
        camera_tree,
        session_factory,
        offline_ids=frozenset(offline_ids),
        search=search,
        offline_only=offline_only,
        on_done=on_done,
        on_failed=on_failed,
    )


class CameraTreeModel(QStandardItemModel):
    """The tree's items; a drag of a camera row carries its id and nothing else."""

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CAMERA_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        for index in indexes:
            camera_id = index.data(CAMERA_ID_ROLE)
            if isinstance(camera_id, str) and camera_id:
                mime.setData(CAMERA_MIME_TYPE, QByteArray(camera_id.encode("utf-8")))
                break
        return mime

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction


@dataclass(eq=False, slots=True)
class _Group:
    """A district, road or checkpoint row and its counts, kept so states update in place."""

    kind: NodeKind
    name: str
    path: str
    item: QStandardItem
    total: int = 0
    live: int = 0
    children: list[_Group] = field(default_factory=list)


class CameraTreePanel(QWidget):
    """Search box, "offline only" switch, a summary line and the tree."""

    camera_activated = Signal(str)
    """Enter or a double click on a camera row; the argument is the camera id."""
    group_activated = Signal(str)
    """Enter on a district, road or checkpoint row; the argument is its group path
    (`东营区`, `东营区/西四路`, `东营区/西四路/西四路南一路卡口`)."""
    filter_changed = Signal(str, bool)
    """The search text or the switch changed (search, offline only), after the debounce. A
    panel given a runner by `load` reloads by itself; others reload and call `set_tree`."""
    tree_changed = Signal(object)
    """A new `CameraTree` is shown."""

    def __init__(self, parent: QWidget | None = None, *, search_delay_ms: int = 150) -> None:
        super().__init__(parent)
        self._runner: TaskRunner | None = None
        self._session_factory: SessionFactory | None = None
        self._task: Task | None = None
        self._generation = 0
        self._stopped = False
        self._tree: CameraTree | None = None
        self._applied_search = ""
        self._states: dict[str, StateLike] = {}
        self._tree_offline: frozenset[str] = frozenset()
        self._cameras: dict[str, CameraInfo] = {}
        self._camera_items: dict[str, QStandardItem] = {}
        self._ancestors: dict[str, tuple[_Group, ...]] = {}
        self._groups: dict[str, _Group] = {}
        self._districts: list[_Group] = []
        self._load_error: BaseException | None = None

        self._search = QLineEdit(self)
        self._search.setClearButtonEnabled(True)
        self._offline_only = QCheckBox(self)
        self._offline_only.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._search, 1)
        bar.addWidget(self._offline_only)
        self._banner = QLabel(self)
        self._banner.setWordWrap(True)
        self._banner.setStyleSheet("color: #c62828;")
        self._banner.hide()
        self._summary = QLabel(self)
        self._model = CameraTreeModel(self)
        self._view = QTreeView(self)
        self._setup_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._banner)
        layout.addWidget(self._summary)
        layout.addWidget(self._view, 1)
        self.setFocusProxy(self._search)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(search_delay_ms)
        self._debounce.timeout.connect(self._apply_filter)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.reload)

        self._search.textChanged.connect(self._search_edited)
        self._search.installEventFilter(self)
        self._view.installEventFilter(self)
        self._view.doubleClicked.connect(self._double_clicked)
        self._offline_only.toggled.connect(self._apply_filter)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(context)
        find.activated.connect(self.focus_search)
        # Alt+O only while the panel has focus, so other panels keep their own Alt keys.
        offline = QShortcut(QKeySequence("Alt+O"), self)
        offline.setContext(context)
        offline.activated.connect(self._offline_only.toggle)
        self._retranslate()

    # ------------------------------------------------------------ public

    @property
    def model(self) -> CameraTreeModel:
        return self._model

    @property
    def tree_view(self) -> QTreeView:
        return self._view

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def offline_only_box(self) -> QCheckBox:
        return self._offline_only

    @property
    def tree(self) -> CameraTree | None:
        """The tree shown (counts as loaded; `live_count` has them with the states since)."""
        return self._tree

    def load(self, runner: TaskRunner, session_factory: SessionFactory) -> Task | None:
        """Load the tree through the runner now, and again whenever the filter changes."""
        self._runner, self._session_factory = runner, session_factory
        return self.reload()

    def reload(self) -> Task | None:
        """Build the tree again with the current search, switch and offline cameras; the
        result of an earlier load still on its way is dropped."""
        self._debounce.stop()
        self._retry.stop()
        runner, session_factory = self._runner, self._session_factory
        if runner is None or session_factory is None or self._stopped:
            return None
        if self._task is not None:
            self._task.cancel()
        self._generation += 1
        generation = self._generation
        self._applied_search = self._search.text().strip()
        try:
            self._task = load_camera_tree(
                runner,
                session_factory,
                offline_ids=self.offline_ids(),
                search=self._applied_search,
                offline_only=self._offline_only.isChecked(),
                on_done=lambda tree: self._loaded(generation, tree),
                on_failed=lambda error: self._load_failed(generation, error),
            )
        except RuntimeError:  # the runner was shut down: the console is quitting
            log.debug("camera tree not reloaded: the task runner is closed")
            self._task = None
        return self._task

    def stop(self) -> None:
        """No more loads; a result still on its way is dropped (the seat is closing)."""
        self._stopped = True
        self._debounce.stop()
        self._retry.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def set_tree(self, tree: CameraTree) -> None:
        """Show `tree`, keeping the current row and the open groups where they still exist."""
        current = self._current_key()
        expanded = self._expanded_paths()
        first = self._tree is None
        self._tree = tree
        self._tree_offline = tree.offline_ids
        self._model.setRowCount(0)
        self._cameras.clear()
        self._camera_items.clear()
        self._ancestors.clear()
        self._groups.clear()
        self._districts = [self._district(node) for node in tree.districts]
        for district in self._districts:
            self._model.appendRow(district.item)
        if self._applied_search or self._offline_only.isChecked() or tree.total <= EXPAND_ALL_UP_TO:
            self._view.expandAll()
        elif first:
            self._view.expandToDepth(0)
        else:
            for path in expanded:
                group = self._groups.get(path)
                if group is not None:
                    self._view.expand(group.item.index())
        self._restore_current(current)
        self._update_summary()
        self.tree_changed.emit(tree)

    def set_states(self, states: Mapping[str, StateLike]) -> None:
        """New capture states for some cameras (the others keep theirs): dots, tooltips and
        counts change in place; no row is added or removed. So with "offline only" on, a
        camera that comes back stays listed, green, and one that goes down is listed from
        the next reload (a filter change)."""
        touched: set[int] = set()
        changed: list[_Group] = []
        for camera_id, state in states.items():
            was_offline = self._is_offline(camera_id)
            self._states[camera_id] = state
            item = self._camera_items.get(camera_id)
            if item is None:
                continue
            self._paint_camera(item, camera_id)
            now_offline = self._is_offline(camera_id)
            if now_offline == was_offline:
                continue
            for group in self._ancestors[camera_id]:
                group.live += 1 if was_offline else -1
                if id(group) not in touched:
                    touched.add(id(group))
                    changed.append(group)
        for group in changed:
            self._paint_group(group)
        if changed:
            self._update_summary()

    def offline_ids(self) -> frozenset[str]:
        """The cameras known to be offline: by their state, else as the tree was loaded."""
        by_state = {c for c, s in self._states.items() if _capture_state(s) is CaptureState.OFFLINE}
        from_tree = {c for c in self._tree_offline if c not in self._states}
        return frozenset(by_state | from_tree)

    def live_count(self) -> tuple[int, int]:
        """(live, total) of the cameras in the tree, with the states as they are now."""
        return sum(d.live for d in self._districts), sum(d.total for d in self._districts)

    def group_item(self, path: str) -> QStandardItem | None:
        group = self._groups.get(path)
        return group.item if group is not None else None

    def camera_item(self, camera_id: str) -> QStandardItem | None:
        return self._camera_items.get(camera_id)

    def camera_name(self, camera_id: str) -> str | None:
        """The registry name of a camera in the tree (None before the tree has loaded it)."""
        camera = self._cameras.get(camera_id)
        return camera.name if camera is not None else None

    def camera_ids(self) -> list[str]:
        """The cameras in the tree, in tree order."""
        return list(self._camera_items)

    def select_camera(self, camera_id: str) -> bool:
        item = self._camera_items.get(camera_id)
        if item is None:
            return False
        self._view.setCurrentIndex(item.index())
        self._view.scrollTo(item.index())
        return True

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    # ------------------------------------------------------------ Qt events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self._view:
                return self._tree_key(event)
            if watched is self._search:
                return self._search_key(event)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------ building

    def _setup_view(self) -> None:
        view = self._view
        view.setModel(self._model)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)  # lets Qt lay out thousands of rows without asking
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setDragEnabled(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setExpandsOnDoubleClick(True)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def _group_item(self, kind: NodeKind, path: str) -> QStandardItem:
        item = QStandardItem()
        item.setEditable(False)
        item.setDragEnabled(False)
        item.setDropEnabled(False)
        item.setData(int(kind), KIND_ROLE)
        item.setData(path, GROUP_PATH_ROLE)
        return item

    def _district(self, node: DistrictNode[CameraInfo]) -> _Group:
        district = _Group(
            NodeKind.DISTRICT, node.name, node.path, self._group_item(NodeKind.DISTRICT, node.path)
        )
        self._groups[node.path] = district
        for road_node in node.roads:
            road = _Group(
                NodeKind.ROAD,
                road_node.name,
                road_node.path,
                self._group_item(NodeKind.ROAD, road_node.path),
            )
            self._groups[road.path] = road
            district.children.append(road)
            district.item.appendRow(road.item)
            for checkpoint_node in road_node.checkpoints:
                checkpoint = _Group(
                    NodeKind.CHECKPOINT,
                    checkpoint_node.name,
                    checkpoint_node.path,
                    self._group_item(NodeKind.CHECKPOINT, checkpoint_node.path),
                )
                self._groups[checkpoint.path] = checkpoint
                road.children.append(checkpoint)
                road.item.appendRow(checkpoint.item)
                for camera in checkpoint_node.cameras:
                    checkpoint.item.appendRow(self._camera(camera, (district, road, checkpoint)))
        for group in _walk(district):
            self._paint_group(group)
        return district

    def _camera(self, camera: CameraInfo, ancestors: tuple[_Group, ...]) -> QStandardItem:
        item = QStandardItem(camera.name)
        item.setEditable(False)
        item.setDropEnabled(False)
        item.setDragEnabled(True)
        item.setData(int(NodeKind.CAMERA), KIND_ROLE)
        item.setData(camera.id, CAMERA_ID_ROLE)
        item.setData(camera.group_path, GROUP_PATH_ROLE)
        self._cameras[camera.id] = camera
        self._camera_items[camera.id] = item
        self._ancestors[camera.id] = ancestors
        live = not self._is_offline(camera.id)
        for group in ancestors:
            group.total += 1
            group.live += int(live)
        self._paint_camera(item, camera.id)
        return item

    # ------------------------------------------------------------ painting

    def _is_offline(self, camera_id: str) -> bool:
        state = self._states.get(camera_id)
        if state is None:
            return camera_id in self._tree_offline
        return _capture_state(state) is CaptureState.OFFLINE

    def _state_of(self, camera_id: str) -> CaptureState | None:
        state = self._states.get(camera_id)
        if state is None:
            return CaptureState.OFFLINE if camera_id in self._tree_offline else None
        return _capture_state(state)

    def _paint_camera(self, item: QStandardItem, camera_id: str) -> None:
        capture = self._state_of(camera_id)
        value = capture.value if capture is not None else None
        if item.data(STATE_ROLE) != value or item.icon().isNull():
            item.setData(value, STATE_ROLE)
            item.setIcon(_dot_icon(state_dot(capture)))
        tip = self._camera_tip(camera_id, capture)
        if item.toolTip() != tip:
            item.setToolTip(tip)
            state_text = self._state_text(capture, self._states.get(camera_id))
            item.setData(state_text, Qt.ItemDataRole.AccessibleDescriptionRole)

    def _paint_group(self, group: _Group) -> None:
        group.item.setText(f"{group.name} ({group.live}/{group.total})")
        group.item.setToolTip(self._live_text(group.live, group.total))

    def _camera_tip(self, camera_id: str, capture: CaptureState | None) -> str:
        camera = self._cameras.get(camera_id)
        name = camera.name if camera is not None else camera_id
        state = self._state_text(capture, self._states.get(camera_id))
        return f"{name}\n{camera_id}\n{state}"

    def _state_text(self, capture: CaptureState | None, state: StateLike | None) -> str:
        detail = redact_url(state.message) if isinstance(state, CameraState) else ""
        if capture is CaptureState.OFFLINE:
            if detail:
                return self.tr("Offline: {reason}").format(reason=detail)
            return self.tr("Offline")
        if capture is CaptureState.LIVE:
            return self.tr("Live")
        if capture is CaptureState.CONNECTING:
            return self.tr("Connecting…")
        if capture is CaptureState.RECONNECTING:
            attempt = state.attempt if isinstance(state, CameraState) else 0
            if attempt:
                return self.tr("Reconnecting (attempt {n})…").format(n=attempt)
            return self.tr("Reconnecting…")
        if capture is CaptureState.STALLED:
            return self.tr("No new picture: the stream has stalled")
        if capture is CaptureState.PAUSED:
            return self.tr("Paused: its tile is hidden")
        return self.tr("Not on the wall: state unknown")

    def _live_text(self, live: int, total: int) -> str:
        return self.tr("{live} of {total} cameras live").format(live=live, total=total)

    def _update_summary(self) -> None:
        live, total = self.live_count()
        if self._tree is None:
            self._summary.setText(self.tr("Loading the cameras…"))
        elif total == 0 and (self._applied_search or self._offline_only.isChecked()):
            self._summary.setText(self.tr("No camera matches"))
        elif total == 0:
            self._summary.setText(self.tr("The camera registry is empty"))
        else:
            self._summary.setText(self._live_text(live, total))

    def _retranslate(self) -> None:
        self._search.setPlaceholderText(self.tr("Search camera name or number (Ctrl+F)"))
        self._offline_only.setText(self.tr("Offline only"))
        self._offline_only.setToolTip(self.tr("Show only the cameras that are offline (Alt+O)"))
        for camera_id, item in self._camera_items.items():
            self._paint_camera(item, camera_id)
        for group in self._groups.values():
            self._paint_group(group)
        if self._load_error is not None:
            self._show_error(self._load_error)
        self._update_summary()

    # ------------------------------------------------------------ loading

    def _loaded(self, generation: int, tree: CameraTree) -> None:
        if self._stopped or generation != self._generation:
            return
        self._task = None
        self._load_error = None
        self._banner.hide()
        self.set_tree(tree)

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if self._stopped or generation != self._generation:
            return
        self._task = None
        log.warning("camera tree not loaded: %s", error)
        self._load_error = error
        self._show_error(error)
        self._retry.start()

    def _show_error(self, error: BaseException) -> None:
        self._banner.setText(
            self.tr("The camera list cannot be loaded; retrying. {reason}").format(
                reason=describe_error(error)
            )
        )
        self._banner.show()

    def _search_edited(self, _text: str) -> None:
        self._debounce.start()

    def _apply_filter(self) -> None:
        self._debounce.stop()
        search, offline_only = self._search.text().strip(), self._offline_only.isChecked()
        self.filter_changed.emit(search, offline_only)
        if self._runner is not None:
            self.reload()
        else:
            self._applied_search = search

    # ------------------------------------------------------------ keys

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._search.text():
            self._search.clear()
            self._apply_filter()
            return True
        if key in (*_ENTER, Qt.Key.Key_Down):
            if self._debounce.isActive():
                self._apply_filter()
            self._enter_tree()
            return True
        return False

    def _enter_tree(self) -> None:
        if not self._view.currentIndex().isValid() and self._model.rowCount():
            first = next(iter(self._camera_items.values()), None) if self._applied_search else None
            self._view.setCurrentIndex(
                first.index() if first is not None else self._model.index(0, 0)
            )
        self._view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tree_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() not in _PLAIN:
            return False
        current = self._view.currentIndex()
        if event.key() in _ENTER:
            self._activate(current)
            return True
        if event.key() == Qt.Key.Key_Left and current.isValid():
            # Left on a camera (or a closed group) goes up to its group, on every platform
            # style, so the keyboard can reach a checkpoint to put it on the wall.
            parent = current.parent()
            is_open = self._model.hasChildren(current) and self._view.isExpanded(current)
            if parent.isValid() and not is_open:
                self._view.setCurrentIndex(parent)
                return True
        return False

    def _activate(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        camera_id = index.data(CAMERA_ID_ROLE)
        if isinstance(camera_id, str) and camera_id:
            self.camera_activated.emit(camera_id)
            return
        path = index.data(GROUP_PATH_ROLE)
        if isinstance(path, str):
            self.group_activated.emit(path)

    def _double_clicked(self, index: QModelIndex) -> None:
        # A double click on a group opens or closes it (the view does that); on a camera it
        # activates the camera.
        if index.data(KIND_ROLE) == NodeKind.CAMERA:
            self._activate(index)

    # ------------------------------------------------------------ keeping place

    def _current_key(self) -> tuple[bool, str] | None:
        """(is a camera, its id or group path) of the current row, to find it after a rebuild."""
        index = self._view.currentIndex()
        if not index.isValid():
            return None
        camera_id = index.data(CAMERA_ID_ROLE)
        if isinstance(camera_id, str) and camera_id:
            return True, camera_id
        return False, str(index.data(GROUP_PATH_ROLE))

    def _restore_current(self, key: tuple[bool, str] | None) -> None:
        if key is None:
            return
        is_camera, value = key
        group = None if is_camera else self._groups.get(value)
        item = self._camera_items.get(value) if is_camera else group.item if group else None
        if item is not None:
            self._view.setCurrentIndex(item.index())
            self._view.scrollTo(item.index())

    def _expanded_paths(self) -> list[str]:
        return [
            path
            for path, group in self._groups.items()
            if self._view.isExpanded(group.item.index())
        ]


def _walk(group: _Group) -> Iterator[_Group]:
    yield group
    for child in group.children:
        yield from _walk(child)


def _capture_state(state: StateLike) -> CaptureState:
    return state.state if isinstance(state, CameraState) else state
