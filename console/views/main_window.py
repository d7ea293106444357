"""The main window: it composes panels and owns nothing else.

Pages: a message page (opening the database, unreachable with a retry) and the workspace —
the shared case queue in the middle, case detail and the seat's own panel docked beside it,
the status bar below. The layout is saved and restored per seat. The Tools menu opens
dialogs a seat may need beside its work (undelivered messages, for the seats that may retry).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.hall.actor import Actor
from console.hall.journal import SessionFactory
from console.settings import SeatLayout
from console.views.dead_letters import DeadLettersDialog, may_retry_dead_letters
from console.views.helpers_dialog import close_helpers_dialog
from console.views.status_bar import ConnectionStatus, build_status_bar
from console.workers.tasks import TaskRunner


class MessagePage(QWidget):
    """Shown while the database opens, or when it cannot be reached (with a retry)."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setObjectName("page_message")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-size: 16px;")
        self.retry = QPushButton(self.tr("Retry"))
        self.retry.setObjectName("retry")
        self.retry.clicked.connect(self.retry_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_text(self, text: str, *, can_retry: bool) -> None:
        self.text.setText(text)
        self.retry.setVisible(can_retry)
        if can_retry:
            self.retry.setFocus()


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    switch_requested = Signal()
    close_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("Hall Console · Police–insurer linkage hall"))
        self.resize(1440, 900)
        self.pages = QStackedWidget()
        self.message_page = MessagePage()
        self.pages.addWidget(self.message_page)
        self.setCentralWidget(self.pages)
        self._workspace: QWidget | None = None
        self._docks: list[QDockWidget] = []
        self._allow_close = False
        self.connection: ConnectionStatus | None = None

        session = self.menuBar().addMenu(self.tr("&Session"))
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        self.switch_action = QAction(self.tr("Switch position or seat…"), self)
        self.switch_action.triggered.connect(self.switch_requested)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        for action in (self.sign_out_action, self.switch_action):
            action.setEnabled(False)
            session.addAction(action)
        session.addSeparator()
        session.addAction(quit_action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self.dead_letters_action = QAction(self.tr("Undelivered messages…"), self)
        self.dead_letters_action.setObjectName("dead_letters_action")
        self.dead_letters_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.dead_letters_action.triggered.connect(self.open_dead_letters)
        self.tools_menu.addAction(self.dead_letters_action)
        self.helpers_action = QAction(self.tr("Citizen helpers…"), self)
        self.helpers_action.setObjectName("helpers_action")
        self.helpers_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.helpers_action.triggered.connect(self.open_helpers)
        self.tools_menu.addAction(self.helpers_action)
        self.dead_letters: DeadLettersDialog | None = None
        self._dead_letters_for: Callable[[], DeadLettersDialog] | None = None
        self._helpers_opener: Callable[[], None] | None = None
        self._update_tools()

    # -- pages ------------------------------------------------------------------------------
    def show_message(self, text: str, *, can_retry: bool = False) -> None:
        self.message_page.show_text(text, can_retry=can_retry)
        self.pages.setCurrentWidget(self.message_page)

    def show_workspace(
        self,
        actor: Actor,
        database: str,
        *,
        queue: QWidget,
        detail: QWidget,
        seat_panel: QWidget,
        layout: SeatLayout,
        banner: QWidget | None = None,
        calls: QWidget | None = None,
        work: tuple[str, str, QWidget] | None = None,
        bottom: tuple[str, str, QWidget] | None = None,
        work_width: int = 620,
    ) -> ConnectionStatus:
        """Compose one signed-in seat's workspace and restore that seat's saved layout.

        `banner` sits above the queue (ringing calls), `calls` docks left, `work` (name,
        title, widget: reception's triage, review's checklist) docks right, tabbed with the
        case detail and raised first, and `bottom` (review's photos) sits below the queue."""
        self.clear_workspace()
        workspace = QWidget()
        workspace.setObjectName("workspace")
        column = QVBoxLayout(workspace)
        column.setContentsMargins(0, 0, 0, 0)
        if banner is not None:
            column.addWidget(banner)
        if bottom is not None:
            # Below the queue in a splitter, not a dock: the photos get the room the queue
            # does not need, however tall the seat's side docks are.
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.setObjectName(f"{bottom[0]}_splitter")
            splitter.addWidget(queue)
            splitter.addWidget(bottom[2])
            splitter.setStretchFactor(0, 2)
            splitter.setStretchFactor(1, 3)
            column.addWidget(splitter, 1)
        else:
            column.addWidget(queue, 1)
        self._workspace = workspace
        self.pages.addWidget(workspace)
        self.pages.setCurrentWidget(workspace)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        detail_dock = self._dock("case_detail", self.tr("Case detail"), detail, right)
        seat_dock = self._dock("seat_panel", self.tr("My seat"), seat_panel, right)
        self._docks = [detail_dock, seat_dock]
        if calls is not None:
            self._docks.append(
                self._dock("calls", self.tr("Calls"), calls, Qt.DockWidgetArea.LeftDockWidgetArea)
            )
        work_dock = None
        if work is not None:
            work_dock = self._dock(work[0], work[1], work[2], right)
            self.splitDockWidget(detail_dock, seat_dock, Qt.Orientation.Vertical)
            self.tabifyDockWidget(detail_dock, work_dock)
            work_dock.raise_()
            self._docks.append(work_dock)
        self.connection = build_status_bar(self.statusBar(), actor, database)
        self.setWindowTitle(self.tr("Hall Console · {seat}").format(seat=actor.seat))
        if layout.geometry:
            self.restoreGeometry(QByteArray.fromBase64(layout.geometry.encode()))
        if layout.state:
            self.restoreState(QByteArray.fromBase64(layout.state.encode()))
        else:
            # First time at this seat: detail wide enough for the parties and the timeline.
            self.resizeDocks([detail_dock], [work_width], Qt.Orientation.Horizontal)
            seat_height = 260 if work_width <= 620 else 120
            self.resizeDocks(
                [detail_dock, seat_dock], [900 - seat_height, seat_height], Qt.Orientation.Vertical
            )
            if calls is not None:
                width = 420 if bottom is None and work_width <= 620 else 260
                self.resizeDocks([self._docks[2]], [width], Qt.Orientation.Horizontal)
            if work_dock is not None:
                # The seat works in its own panel; the generic seat panel stays small.
                self.resizeDocks([work_dock, seat_dock], [780, 110], Qt.Orientation.Vertical)
        self.sign_out_action.setEnabled(True)
        self.switch_action.setEnabled(True)
        queue.setFocus()
        return self.connection

    # -- tools ------------------------------------------------------------------------------
    def enable_dead_letters(
        self,
        actor: Actor,
        session_factory: SessionFactory,
        runner: TaskRunner,
        *,
        wake_outbox: Callable[[], None] | None = None,
    ) -> bool:
        """Offer Tools → Undelivered messages (Ctrl+Shift+U) to a seat whose position may
        retry; `wake_outbox` (the gateway link's) sends what a retry requeued at once.
        Returns whether the seat got it. Undone by `clear_workspace`."""
        if not may_retry_dead_letters(actor):
            return False

        def requeued(_ids: list[int]) -> None:
            if wake_outbox is not None:
                wake_outbox()

        def build() -> DeadLettersDialog:
            return DeadLettersDialog(actor, session_factory, runner, self, on_requeued=requeued)

        self._dead_letters_for = build
        self._update_tools()
        return True

    def enable_helpers(self, opener: Callable[[], None]) -> None:
        """Offer Tools → Citizen helpers (Ctrl+Shift+H) to a seat whose position keeps the
        helpers' ledger; `opener` opens the dialog. Undone by `clear_workspace`."""
        self._helpers_opener = opener
        self._update_tools()

    def open_helpers(self) -> None:
        if self._helpers_opener is not None:
            self._helpers_opener()

    def open_dead_letters(self) -> None:
        if self._dead_letters_for is None:
            return
        if self.dead_letters is None:
            self.dead_letters = self._dead_letters_for()
        self.dead_letters.open_and_load()

    def _update_tools(self) -> None:
        """The Tools menu shows only what this seat may use, and only if there is any."""
        dead_letters = self._dead_letters_for is not None
        helpers = self._helpers_opener is not None
        self.dead_letters_action.setEnabled(dead_letters)
        self.dead_letters_action.setVisible(dead_letters)
        self.helpers_action.setEnabled(helpers)
        self.helpers_action.setVisible(helpers)
        self.tools_menu.menuAction().setVisible(dead_letters or helpers)

    def _close_tools(self) -> None:
        if self.dead_letters is not None:
            self.dead_letters.shut()
            self.dead_letters.deleteLater()
            self.dead_letters = None
        self._dead_letters_for = None
        self._helpers_opener = None
        close_helpers_dialog(self)
        self._update_tools()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def current_layout(self) -> SeatLayout:
        return SeatLayout(
            geometry=bytes(self.saveGeometry().toBase64().data()).decode(),
            state=bytes(self.saveState().toBase64().data()).decode(),
        )

    def clear_workspace(self) -> None:
        for dock in self._docks:
            self.view_menu.removeAction(dock.toggleViewAction())
            self.removeDockWidget(dock)
            dock.deleteLater()
        self._docks = []
        if self._workspace is not None:
            self.pages.removeWidget(self._workspace)
            self._workspace.deleteLater()
            self._workspace = None
        for child in self.statusBar().findChildren(QLabel):
            self.statusBar().removeWidget(child)
            child.deleteLater()
        self.connection = None
        self.sign_out_action.setEnabled(False)
        self.switch_action.setEnabled(False)
        self._close_tools()

    # -- staged quit ------------------------------------------------------------------------
    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._allow_close:
            event.accept()
            return
        # The application decides (unsaved input, workers to stop) and closes us when done.
        event.ignore()
        self.close_requested.emit()
