"""What the seats' input dialogs share: Ctrl+Enter sends from anywhere in the dialog, and a red
line that says why a save was refused (hidden until then)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel

__all__ = ["error_label", "submit_keys"]


def submit_keys(dialog: QDialog, slot: Callable[[], None]) -> None:
    for key in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(key), dialog)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("form_error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    label.hide()
    return label
