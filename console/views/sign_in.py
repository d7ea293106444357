"""Sign-in: user name, password, the position to work as (only those the user holds), seat."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.domain.positions import Position
from console.hall.actor import Actor
from console.views.labels import position_label
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

PositionsLoader = Callable[[str], list[Position]]
Authenticator = Callable[[str, str, Position, str], Actor]


class SignInDialog(QDialog):
    """Modal at start and after sign-out. The check runs off the GUI thread (argon2 is slow on
    purpose); a refusal keeps the user name and position and clears only the password."""

    signed_in = Signal(object)  # Actor

    def __init__(
        self,
        runner: TaskRunner,
        load_positions: PositionsLoader,
        authenticate: Authenticator,
        *,
        username: str = "",
        position: str = "",
        seat: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._load_positions = load_positions
        self._authenticate = authenticate
        self._wanted_position = position
        self._busy = False
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in to Hall Console"))
        self.setModal(True)

        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.position = QComboBox()
        self.position.setObjectName("position")
        self.position.setEnabled(False)
        self.seat = QLineEdit(seat)
        self.seat.setObjectName("seat")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("Seat"), self.seat)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Police–insurer linkage hall"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 18px; font-weight: bold; padding: 8px;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

        self._lookup = QTimer(self)
        self._lookup.setSingleShot(True)
        self._lookup.setInterval(250)
        self._lookup.timeout.connect(self._fetch_positions)
        self.username.textChanged.connect(lambda _text: self._lookup.start())
        if username:
            self._lookup.start()
            self.password.setFocus()
        else:
            self.username.setFocus()

    def _fetch_positions(self) -> None:
        name = self.username.text().strip()
        if not name:
            self._show_positions([], name)
            return
        self._runner.submit(
            self._load_positions,
            name,
            on_done=lambda positions: self._show_positions(positions, name),
            on_failed=self._failed,
        )

    def _show_positions(self, positions: list[Position], for_name: str) -> None:
        if for_name != self.username.text().strip():
            return  # the user typed on; a newer lookup is coming
        current = self.position.currentData() or self._wanted_position
        self.position.clear()
        for position in positions:
            self.position.addItem(position_label(position), position.value)
        index = self.position.findData(current)
        if index >= 0:
            self.position.setCurrentIndex(index)
        self.position.setEnabled(bool(positions))

    def submit(self) -> None:
        if self._busy:
            return
        name = self.username.text().strip()
        seat = self.seat.text().strip()
        position = self.position.currentData()
        if not name or not self.password.text():
            self._say(self.tr("Enter your user name and password."))
            return
        if not seat:
            self._say(self.tr("Enter the name of this seat."))
            self.seat.setFocus()
            return
        if position is None:
            # Positions not loaded yet (or an unknown user): the server decides, generically.
            position = self._wanted_position or Position.RECEPTION.value
        self._busy = True
        self.buttons.setEnabled(False)
        self._say(self.tr("Signing in…"), error=False)
        self._runner.submit(
            self._authenticate,
            name,
            self.password.text(),
            Position(position),
            seat,
            on_done=self._succeeded,
            on_failed=self._failed,
        )

    def _succeeded(self, actor: Actor) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        self.actor = actor
        self.password.clear()
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.buttons.setEnabled(True)
        self._say(describe_error(error))
        self.password.clear()
        self.password.setFocus()

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setStyleSheet("color: #c62828;" if error else "color: #555;")
        self.message.setText(text)
