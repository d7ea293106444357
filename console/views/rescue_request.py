"""Asking for a tow (Ctrl+Shift+R): reception, review and patrol meet the car that cannot move
off the road; the rescue seat itself takes such calls too.

The form starts from the open case (its place, position and vehicles) and stays open while the
request is sent, so a refusal shows in it with everything typed still there; only a success
closes it. A form closed unsent keeps its text for that case until the seat signs out.
Ctrl+Enter sends, Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.domain.positions import Position
from console.hall import rescue
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.hall.permissions import PERMISSIONS, Action
from console.views.form_parts import error_label, submit_keys
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

__all__ = ["REQUEST_KEY", "RescueInput", "RescueRequestForm", "RescueRequester"]

REQUEST_KEY = "Ctrl+Shift+R"


@dataclass(frozen=True, slots=True)
class RescueInput:
    case_id: int | None
    place_text: str
    lat: float | None
    lon: float | None
    vehicle_desc: str
    lane_blocked: bool
    note: str


@dataclass(frozen=True, slots=True)
class _Typed:
    place: str
    vehicle: str
    lane_blocked: bool
    note: str


class RescueRequestForm(QDialog):
    """`submitted(RescueInput)`: the requester sends it and calls `accept()` or `refused(text)`."""

    submitted = Signal(object)

    def __init__(
        self,
        draft: rescue.RescueDraft | None,
        typed: _Typed | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = draft
        if draft is not None:
            title = self.tr("Rescue for case {case_no}").format(case_no=draft.case_no)
        else:
            title = self.tr("Rescue request without a case")
        self.setWindowTitle(title)
        self.setObjectName("rescue_request_form")
        self.resize(560, 380)

        self.place = QLineEdit()
        self.place.setObjectName("rescue_place")
        self.place.setPlaceholderText(self.tr("Road, direction and kilometre post or crossing"))
        self.position = QLabel()
        self.position.setObjectName("rescue_position")
        self.position.setWordWrap(True)
        self.vehicle = QLineEdit()
        self.vehicle.setObjectName("rescue_vehicle")
        self.vehicle.setPlaceholderText(
            self.tr("Plate, type and colour, e.g. 鲁E12345 白色小型轿车")
        )
        self.lane_blocked = QCheckBox(self.tr("Blocks a lane (&B)"))
        self.lane_blocked.setObjectName("rescue_lane_blocked")
        self.note = QPlainTextEdit()
        self.note.setObjectName("rescue_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            self.tr("What the unit should know: the damage, the load, how to reach the car")
        )
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(self.tr("Send to the rescue seat (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("&Place"), self.place)
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("&Vehicle"), self.vehicle)
        form.addRow("", self.lane_blocked)
        form.addRow(self.tr("&Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        submit_keys(self, self.submit)

        if draft is not None:
            self.place.setText(draft.place_text)
            self.vehicle.setText(draft.vehicles)
        if draft is not None and draft.lat is not None and draft.lon is not None:
            self.position.setText(
                self.tr(
                    "{lat:.5f}, {lon:.5f} (from the case): the nearest unit can be sent"
                ).format(lat=draft.lat, lon=draft.lon)
            )
        else:
            self.position.setText(
                self.tr("Not on the map: the rescue seat chooses the unit by hand.")
            )
        if typed is not None:
            self.place.setText(typed.place)
            self.vehicle.setText(typed.vehicle)
            self.lane_blocked.setChecked(typed.lane_blocked)
            self.note.setPlainText(typed.note)
        if draft is not None and draft.open_task_id is not None:
            self.refused(
                self.tr(
                    "Case {case_no} already has rescue request {task_id} open; the rescue seat "
                    "is on it."
                ).format(case_no=draft.case_no, task_id=draft.open_task_id)
            )
        self.setFocusProxy(self.vehicle if self.place.text() else self.place)

    def typed(self) -> _Typed:
        return _Typed(
            self.place.text(),
            self.vehicle.text(),
            self.lane_blocked.isChecked(),
            self.note.toPlainText(),
        )

    def submit(self) -> None:
        if not self.send_button.isEnabled():
            return
        draft = self.draft
        self.set_busy(True)
        self.submitted.emit(
            RescueInput(
                draft.case_id if draft is not None else None,
                self.place.text(),
                draft.lat if draft is not None else None,
                draft.lon if draft is not None else None,
                self.vehicle.text(),
                self.lane_blocked.isChecked(),
                self.note.toPlainText(),
            )
        )

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.send_button.setText(
            self.tr("Sending…") if busy else self.tr("Send to the rescue seat (Ctrl+Enter)")
        )

    def refused(self, text: str) -> None:
        """The request was not stored: say why; everything typed stays."""
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


class RescueRequester(QObject):
    """Ctrl+Shift+R at a seat that may ask for rescue: the form for the open case (or, at the
    rescue seat, for a call that has no case yet), sent through the task runner."""

    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        current_case: Callable[[], int | None],
        say: Callable[[str, bool], None],
        sent: Callable[[int, int | None], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self._current_case = current_case
        self._say = say
        self._sent = sent
        self.form: RescueRequestForm | None = None
        self._typed: dict[int | None, _Typed] = {}
        self._shortcut: QShortcut | None = None
        self._stopped = False

    @staticmethod
    def may_request(actor: Actor) -> bool:
        return actor.position in PERMISSIONS[Action.REQUEST_RESCUE]

    def start(self) -> None:
        self._shortcut = QShortcut(QKeySequence(REQUEST_KEY), self.window)
        self._shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._shortcut.activated.connect(self.request)

    def stop(self) -> None:
        self._stopped = True
        if self._shortcut is not None:
            self._shortcut.setEnabled(False)
            self._shortcut.deleteLater()
            self._shortcut = None
        if self.form is not None:
            self.form.close()

    def _submit(self, fn: Any, *args: Any, on_done: Callable[[Any], None], **kwargs: Any) -> None:
        self.runner.submit_while(
            lambda: not self._stopped,
            fn,
            *args,
            on_done=on_done,
            on_failed=lambda error: self._say(describe_error(error), False),
            **kwargs,
        )

    def request(self) -> None:
        if self.form is not None:
            self.form.raise_()
            self.form.activateWindow()
            return
        case_id = self._current_case()
        if case_id is None:
            if self.actor.position is not Position.RESCUE:
                self._say(self.tr("Open the case whose vehicle cannot move first."), False)
                return
            self._show_form(None)
            return
        self._submit(
            rescue.rescue_draft,
            self.link.session_factory,
            self.actor,
            case_id,
            on_done=self._show_form,
        )

    def _show_form(self, draft: rescue.RescueDraft | None) -> None:
        if self.form is not None or self._stopped:
            return
        key = draft.case_id if draft is not None else None
        form = RescueRequestForm(draft, self._typed.get(key), self.window)
        self.form = form

        def finished(result: int) -> None:
            if result != QDialog.DialogCode.Accepted.value:
                self._typed[key] = form.typed()
            if self.form is form:
                self.form = None
            form.deleteLater()

        form.submitted.connect(self._send)
        form.finished.connect(finished)
        form.open()

    def _send(self, data: RescueInput) -> None:
        form = self.form

        def stored(task_id: int) -> None:
            self._typed.pop(data.case_id, None)
            if form is not None:
                form.accept()
            self._say(
                self.tr("Rescue request {task_id} sent to the rescue seat.").format(
                    task_id=task_id
                ),
                True,
            )
            if self._sent is not None:
                self._sent(task_id, data.case_id)

        def refused(error: BaseException) -> None:
            if form is not None and self.form is form:
                form.refused(describe_error(error))
            else:
                self._say(describe_error(error), False)

        self.runner.submit_while(
            lambda: not self._stopped,
            rescue.request_rescue,
            self.link.session_factory,
            self.actor,
            case_id=data.case_id,
            place_text=data.place_text,
            lat=data.lat,
            lon=data.lon,
            vehicle_desc=data.vehicle_desc,
            lane_blocked=data.lane_blocked,
            note=data.note,
            on_done=stored,
            on_failed=refused,
        )
