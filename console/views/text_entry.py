"""A short dialog for one piece of free text a use case needs (an objection's reason, a
mediation result): Ctrl+Enter accepts, Esc cancels, and the text survives a failed save
because the caller keeps it and opens the dialog again with it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class TextEntryDialog(QDialog):
    def __init__(
        self, title: str, prompt: str, text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 300)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("text_entry")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Record (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.editor)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+Enter in the text accepts (the editor would otherwise take it as a newline)."""
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def text(self) -> str:
        return self.editor.toPlainText()
