"""A small window showing one camera live: where a watch-listed plate was just seen.

The lookup seat has no camera wall; Ctrl+J opens this window on the hit's camera (a
`CameraWall` in layout 1, so the tile, its overlay and its reconnects are the patrol seat's
own). Imported only when first needed: the wall brings OpenCV's capture along.

Closing the window releases the camera, which stops its capture (joined off the GUI thread by
the feeds' reaper); the desk calls `shutdown()` when the seat signs out, which joins every
capture thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from console.video.capture import CapturePolicy
from console.views.camera_wall import CameraWall
from console.workers.camera_feeds import WallCamera

__all__ = ["HitViewer"]


class HitViewer(QWidget):
    """`closed()` when the operator closes it (Esc or the window's close button)."""

    closed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, policy: CapturePolicy | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("hit_viewer")
        self.resize(800, 500)
        self.caption = QLabel()
        self.caption.setObjectName("hit_viewer_caption")
        self.caption.setWordWrap(True)
        self.wall = CameraWall(layout="1", policy=policy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.wall, 1)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.setContext(Qt.ShortcutContext.WindowShortcut)
        close.activated.connect(self.close)
        self._shut = False

    def show_camera(self, camera: WallCamera, caption: str) -> None:
        """Show `camera` live (replacing any other) and bring the window up."""
        if self._shut:
            return
        self.setWindowTitle(self.tr("Camera {name}").format(name=camera.name))
        self.caption.setText(caption)
        self.wall.assign(0, camera)
        self.show()
        self.raise_()
        self.activateWindow()

    def camera(self) -> WallCamera | None:
        return None if self._shut else self.wall.camera_at(0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._shut:
            self.wall.clear_tile(0)  # the capture stops; nothing decodes behind a closed window
        super().closeEvent(event)
        self.closed.emit()

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop and join every capture thread (the seat signs out)."""
        if self._shut:
            return True
        self._shut = True
        self.hide()
        return self.wall.shutdown(timeout)
