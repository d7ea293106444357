"""The triage form: what reception asks while the caller is on the line, with the fast-handling
verdict redrawn on every keystroke (the rule is `console.domain.triage`, not this widget).

Keyboard only: Tab walks the questions; on a yes/no question Y or 1 means yes, N or 0 no,
Space or Delete "not asked". What is typed stays in the form when a save fails.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import HALL_TZ
from console.domain.errors import RuleViolation
from console.domain.triage import TriageFacts, TriageStep, TriageVehicle, TriageVerdict, triage
from console.domain.validation import validate_plate
from console.hall.call_queries import CallView
from console.views.messages import describe_error, describe_finding

MAX_VEHICLES = 3


class AnswerBox(QComboBox):
    """A yes / no / not-asked answer that takes Y, N, 1, 0, Space from the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("— not asked"), None)
        self.addItem(self.tr("No"), False)
        self.addItem(self.tr("Yes"), True)

    def value(self) -> bool | None:
        data = self.currentData()
        return data if isinstance(data, bool) else None

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, False: 1, True: 2}[value])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key in (Qt.Key.Key_Y, Qt.Key.Key_1):
            self.set_value(True)
        elif key in (Qt.Key.Key_N, Qt.Key.Key_0):
            self.set_value(False)
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        else:
            super().keyPressEvent(event)


class TimeEdit(QDateTimeEdit):
    """Tab leaves the field (sections are walked with ← →), so Tab walks the form."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - Qt's names
        return QWidget.focusNextPrevChild(self, next)


@dataclass(frozen=True, slots=True)
class TriageInput:
    """The form's content, ready for a use case (plates already validated)."""

    place_text: str
    district: str | None
    occurred_at: datetime
    vehicle_count: int
    plates: tuple[str, ...]
    injuries: bool | None
    movable: bool | None
    answers: dict[str, bool | None]
    notes: str

    def case_fields(self) -> dict[str, Any]:
        """The fields `edit_case` takes."""
        return {
            "place_text": self.place_text,
            "district": self.district,
            "occurred_at": self.occurred_at,
            "vehicle_count": self.vehicle_count,
            "injuries": self.injuries,
            "movable": self.movable,
            "notes": self.notes,
            **self.answers,
        }


QUESTIONS = (
    ("injuries", QT_TRANSLATE_NOOP("TriageForm", "Anyone injured or killed?")),
    ("drink_or_drugs", QT_TRANSLATE_NOOP("TriageForm", "A driver suspected of drink or drugs?")),
    (
        "plates_suspect",
        QT_TRANSLATE_NOOP("TriageForm", "A vehicle without plates, or plates suspect?"),
    ),
    ("dangerous_goods", QT_TRANSLATE_NOOP("TriageForm", "Dangerous goods on board?")),
    ("party_fled", QT_TRANSLATE_NOOP("TriageForm", "Has a party left the scene?")),
    ("deliberate", QT_TRANSLATE_NOOP("TriageForm", "Crash caused on purpose?")),
)


class TriageForm(QWidget):
    open_case_requested = Signal(int, object)  # call id, TriageInput
    save_requested = Signal(int, int, object)  # case id, version, TriageInput
    guidance_requested = Signal(int, int)  # case id, version
    escalate_requested = Signal(int, int, str)  # case id, version, reason
    offline_requested = Signal(int, int, str)  # case id, version, reason

    def __init__(
        self, keys: dict[str, str], districts: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("triage_form")
        self._keys = keys
        self._call: CallView | None = None
        self._case_id: int | None = None
        self._case_no: str | None = None
        self._version = 0
        self._verdict: TriageVerdict | None = None
        self._plate_errors: list[str] = []
        self._dirty = False

        self.heading = QLabel()
        self.heading.setObjectName("triage_heading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.place = QLineEdit()
        self.place.setObjectName("triage_place")
        self.place.setPlaceholderText(self.tr("Road, direction, landmark"))
        self.district = QComboBox()
        self.district.setObjectName("triage_district")
        self.district.setEditable(True)
        self.district.addItem("")
        self.district.addItems(list(districts))
        self.occurred = TimeEdit()
        self.occurred.setObjectName("triage_time")
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.vehicle_count = QSpinBox()
        self.vehicle_count.setObjectName("triage_vehicle_count")
        self.vehicle_count.setRange(1, 9)
        self.vehicle_count.setValue(2)
        self.plates: list[QLineEdit] = []
        self.movable: list[AnswerBox] = []
        vehicles = QGroupBox(self.tr("Vehicles"))
        vehicles_form = QFormLayout(vehicles)
        for index in range(MAX_VEHICLES):
            plate = QLineEdit()
            plate.setObjectName(f"triage_plate_{index + 1}")
            plate.setPlaceholderText(self.tr("Plate, e.g. 鲁E12345"))
            movable = AnswerBox()
            movable.setObjectName(f"triage_movable_{index + 1}")
            row = QHBoxLayout()
            row.addWidget(plate, 2)
            row.addWidget(QLabel(self.tr("Can move")))
            row.addWidget(movable, 1)
            vehicles_form.addRow(self.tr("Vehicle {n}").format(n=index + 1), row)
            self.plates.append(plate)
            self.movable.append(movable)
        self.answers: dict[str, AnswerBox] = {}
        questions = QGroupBox(self.tr("Questions"))
        questions_form = QFormLayout(questions)
        for name, text in QUESTIONS:
            box = AnswerBox()
            box.setObjectName(f"triage_{name}")
            self.answers[name] = box
            questions_form.addRow(QCoreApplication.translate("TriageForm", str(text)), box)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("triage_notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("What the caller says"))
        self.notes.setFixedHeight(64)

        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setFrameShape(QLabel.Shape.StyledPanel)
        self.reason = QLineEdit()
        self.reason.setObjectName("triage_reason")
        self.reason.setPlaceholderText(self.tr("Reason for escalating or referring offline"))
        self.open_button = QPushButton()
        self.open_button.setObjectName("open_case")
        self.open_button.clicked.connect(self.submit)
        self.sms_button = QPushButton(self.tr("Guidance SMS ({key})").format(key=keys["sms"]))
        self.sms_button.setObjectName("send_guidance")
        self.sms_button.clicked.connect(self.request_guidance)
        self.escalate_button = QPushButton(
            self.tr("Escalate to police ({key})").format(key=keys["escalate"])
        )
        self.escalate_button.setObjectName("escalate")
        self.escalate_button.clicked.connect(self.request_escalation)
        self.offline_button = QPushButton(self.tr("Refer offline"))
        self.offline_button.setObjectName("refer_offline")
        self.offline_button.clicked.connect(self.request_offline)
        self.message = QLabel()
        self.message.setObjectName("triage_message")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("District"), self.district)
        form.addRow(self.tr("Time"), self.occurred)
        form.addRow(self.tr("Vehicles involved"), self.vehicle_count)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.heading)
        inner_layout.addLayout(form)
        inner_layout.addWidget(vehicles)
        inner_layout.addWidget(questions)
        inner_layout.addWidget(self.notes)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QHBoxLayout()
        for button in (
            self.open_button,
            self.sms_button,
            self.escalate_button,
            self.offline_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        for edit in (self.place, *self.plates, self.reason):
            edit.textEdited.connect(self._changed)
        self.district.currentTextChanged.connect(self._changed)
        self.occurred.dateTimeChanged.connect(self._changed)
        self.vehicle_count.valueChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        for box in (*self.movable, *self.answers.values()):
            box.currentIndexChanged.connect(self._changed)
        self.clear()

    # -- state ---------------------------------------------------------------------------------
    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def current_verdict(self) -> TriageVerdict | None:
        return self._verdict

    def clear(self) -> None:
        """Empty form, no call: nothing to triage."""
        self._call = None
        self._case_id = self._case_no = None
        self._version = 0
        for edit in (self.place, *self.plates, self.reason):
            edit.clear()
        self.district.setCurrentIndex(0)
        self.vehicle_count.setValue(2)
        for box in (*self.movable, *self.answers.values()):
            box.set_value(None)
        self.notes.clear()
        self._set_time(datetime.now(UTC))
        self.message.clear()
        self._dirty = False
        self._refresh()

    def start_call(self, call: CallView) -> None:
        """A new call is on the line: fill what the gateway told and put the cursor in place."""
        self.clear()
        self._call = call
        self.place.setText(call.place_text or "")
        if call.district:
            self.district.setCurrentText(call.district)
        self._set_time(call.rang_at)
        if call.case_id is not None and call.case_no is not None:
            self._case_id, self._case_no = call.case_id, call.case_no
        self._dirty = False
        self._refresh()
        self.place.setFocus()
        self.place.selectAll()

    def bind_case(self, case_id: int, case_no: str, version: int) -> None:
        """The case now exists (opened or saved): further changes edit it."""
        self._case_id, self._case_no, self._version = case_id, case_no, version
        self._dirty = False
        self._refresh()

    def set_version(self, case_id: int, version: int) -> None:
        if case_id == self._case_id:
            self._version = version

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    def failed(self, error: BaseException) -> None:
        """Show why; every typed field stays as it was."""
        self.say(describe_error(error), ok=False)

    # -- reading the form ----------------------------------------------------------------------
    def _set_time(self, moment: datetime) -> None:
        offset = moment.astimezone(HALL_TZ).utcoffset()
        zone = QTimeZone(int(offset.total_seconds()) if offset else 0)
        self.occurred.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), zone))

    def _time(self) -> datetime:
        return datetime.fromtimestamp(self.occurred.dateTime().toSecsSinceEpoch(), UTC)

    def _vehicles(self) -> list[TriageVehicle]:
        count = self.vehicle_count.value()
        return [
            TriageVehicle(
                plate=self.plates[i].text().strip() if i < MAX_VEHICLES else "",
                movable=self.movable[i].value() if i < MAX_VEHICLES else None,
            )
            for i in range(count)
        ]

    def facts(self) -> TriageFacts:
        return TriageFacts(
            occurred_at=self._time(),
            vehicles=self._vehicles(),
            district=self.district.currentText().strip() or None,
            injuries=self.answers["injuries"].value(),
            drink_or_drugs=self.answers["drink_or_drugs"].value(),
            plates_suspect=self.answers["plates_suspect"].value(),
            dangerous_goods=self.answers["dangerous_goods"].value(),
            party_fled=self.answers["party_fled"].value(),
            deliberate=self.answers["deliberate"].value(),
        )

    def _plates(self) -> tuple[list[str], list[str]]:
        """Valid plates in canonical form, and a message per plate that is not one."""
        plates, errors = [], []
        for index, edit in enumerate(self.plates[: self.vehicle_count.value()]):
            text = edit.text().strip()
            if not text:
                edit.setStyleSheet("")
                continue
            try:
                plates.append(validate_plate(text).text)
                edit.setStyleSheet("")
            except RuleViolation as exc:
                edit.setStyleSheet("border: 1px solid #c62828;")
                errors.append(
                    self.tr("Vehicle {n}: {why}").format(n=index + 1, why=describe_error(exc))
                )
        return plates, errors

    def typed_plates(self) -> list[str]:
        return self._plates()[0]

    def current_input(self) -> TriageInput:
        vehicles = self._vehicles()
        movable_answers = [v.movable for v in vehicles]
        if any(a is False for a in movable_answers):
            movable: bool | None = False
        elif movable_answers and all(a is True for a in movable_answers):
            movable = True
        else:
            movable = None
        plates, _ = self._plates()
        notes = self.notes.toPlainText().strip()
        return TriageInput(
            place_text=self.place.text().strip(),
            district=self.district.currentText().strip() or None,
            occurred_at=self._time(),
            vehicle_count=self.vehicle_count.value(),
            plates=tuple(plates),
            injuries=self.answers["injuries"].value(),
            movable=movable,
            answers={name: box.value() for name, box in self.answers.items() if name != "injuries"},
            notes=notes,
        )

    # -- live verdict --------------------------------------------------------------------------
    def _changed(self) -> None:
        self._dirty = True
        self._refresh()

    def _refresh(self) -> None:
        count = self.vehicle_count.value()
        for index in range(MAX_VEHICLES):
            self.plates[index].setEnabled(index < count)
            self.movable[index].setEnabled(index < count)
        self._verdict = verdict = triage(self.facts())
        _, self._plate_errors = self._plates()
        self.verdict.setText(self._verdict_html(verdict))
        on_call = self._call is not None
        has_case = self._case_id is not None
        if has_case:
            self.heading.setText(self.tr("Case {case_no}").format(case_no=self._case_no))
            self.open_button.setText(self.tr("Save ({key})").format(key=self._keys["save"]))
        else:
            self.heading.setText(
                self.tr("Triage of the call from {phone}").format(phone=self._call.caller_phone)
                if self._call is not None
                else self.tr("Answer a call to start triage")
            )
            self.open_button.setText(self.tr("Open case ({key})").format(key=self._keys["save"]))
        self.open_button.setEnabled(on_call or has_case)
        self.sms_button.setEnabled(has_case)
        self.escalate_button.setEnabled(has_case)
        self.offline_button.setEnabled(has_case)

    def _verdict_html(self, verdict: TriageVerdict) -> str:
        steps = {
            TriageStep.ASK: ("#ef6c00", self.tr("Keep asking: questions open")),
            TriageStep.GUIDE: (
                "#2e7d32",
                self.tr("Fast handling possible: send the guidance SMS ({key})").format(
                    key=self._keys["sms"]
                ),
            ),
            TriageStep.ESCALATE: (
                "#c62828",
                self.tr("Not for fast handling: escalate to on-scene police ({key})").format(
                    key=self._keys["escalate"]
                ),
            ),
            TriageStep.OFFLINE: ("#c62828", self.tr("Not for online handling: refer offline")),
        }
        colour, headline = steps[verdict.step]
        lines = [f"<b style='color:{colour}'>{html.escape(headline)}</b>"]
        for finding in verdict.failures:
            text = describe_finding(finding)
            lines.append(f"<span style='color:#c62828'>✗ {html.escape(text)}</span>")
        for finding in verdict.to_ask:
            text = describe_finding(finding, unknown=True)
            lines.append(f"<span style='color:#ef6c00'>? {html.escape(text)}</span>")
        for error in self._plate_errors:
            lines.append(f"<span style='color:#c62828'>✗ {html.escape(error)}</span>")
        if verdict.outside_hours:
            lines.append(
                "<span style='color:#ef6c00'>"
                + html.escape(
                    self.tr("Outside online service hours: the case waits for the next opening")
                )
                + "</span>"
            )
        if verdict.checked_later:
            lines.append(
                "<span style='color:#757575'>"
                + html.escape(
                    self.tr(
                        "Checked at review: {n} items (licences, registration, insurance)"
                    ).format(n=len(verdict.checked_later))
                )
                + "</span>"
            )
        return "<br>".join(lines)

    # -- requests ------------------------------------------------------------------------------
    def submit(self) -> None:
        """Open the case from the call, or save the changes to the case."""
        data = self.current_input()
        if not data.place_text:
            self.say(self.tr("Type the place of the accident first."), ok=False)
            self.place.setFocus()
            return
        if self._plate_errors:
            self.say("；".join(self._plate_errors), ok=False)
            return
        self.message.clear()
        if self._case_id is not None:
            self.save_requested.emit(self._case_id, self._version, data)
        elif self._call is not None:
            self.open_case_requested.emit(self._call.id, data)

    def request_guidance(self) -> None:
        if self._case_id is None:
            self.say(self.tr("Open the case first."), ok=False)
            return
        self.guidance_requested.emit(self._case_id, self._version)

    def _reason_or_findings(self) -> str:
        typed = self.reason.text().strip()
        if typed:
            return typed
        verdict = self._verdict
        if verdict is not None and verdict.failures:
            return "；".join(describe_finding(f) for f in verdict.failures)
        return ""

    def request_escalation(self) -> None:
        if self._case_id is None:
            self.say(self.tr("Open the case first."), ok=False)
            return
        reason = self._reason_or_findings()
        if not reason:
            self.say(self.tr("Type the reason for escalating."), ok=False)
            self.reason.setFocus()
            return
        self.escalate_requested.emit(self._case_id, self._version, reason)

    def request_offline(self) -> None:
        if self._case_id is None:
            self.say(self.tr("Open the case first."), ok=False)
            return
        reason = self._reason_or_findings()
        if not reason:
            self.say(self.tr("Type the reason for referring offline."), ok=False)
            self.reason.setFocus()
            return
        self.offline_requested.emit(self._case_id, self._version, reason)
