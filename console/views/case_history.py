"""One case's full history at the lookup seat (issue 9), opened from the search pane: every
event with who, seat and when, the 122 calls, photos and footage, each version of the letter,
claims and payouts, complaints, and the audit of reprints, exports and unmasking — as
`console.hall.case_search.case_history` gives it, personal data masked as the position sees it.

Keys (in the history window): Ctrl+P reprints a letter (the chosen version, else the one in
force) into a PDF file, byte for byte as issued; Ctrl+E exports the case file PDF; Ctrl+U shows a
party's phone, ID and licence numbers after asking why (the back end audits it, and the numbers
are shown only in that dialog); F5 reloads; Esc closes.

Every call runs on the task runner; a file is written next to its target and moved into place,
and the target folder is tried before the use case runs, so an unwritable path records no
reprint. Refusals (a position that may not reprint or unmask) are shown with `describe_error`;
the reason typed for an unmasking is kept when it is refused or the dialog is closed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.db.engine import DatabaseUnavailable
from console.domain.complaints import ComplaintState
from console.domain.deadlines import to_local
from console.hall import case_search
from console.hall.actor import Actor
from console.hall.case_search import (
    AUDIT_EXPORT,
    AUDIT_REPRINT,
    AUDIT_UNMASK,
    CaseHistory,
    HistoryEvent,
    HistoryLetter,
    PartyHit,
    PartyPersonalData,
)
from console.hall.journal import SessionFactory
from console.views.complaints_view import complaint_state_label
from console.views.error_templates import party_label
from console.views.labels import photo_label, position_label, state_label
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

__all__ = [
    "KEYS",
    "CaseHistoryDialog",
    "FileWritten",
    "PathChooser",
    "UnmaskDialog",
    "export_to_file",
    "reprint_to_file",
    "save_file_name",
]

KEYS: Final = {"reprint": "Ctrl+P", "export": "Ctrl+E", "unmask": "Ctrl+U", "reload": "F5"}

PathChooser = Callable[[QWidget, str, str, str], str]
"""(parent, title, suggested path, file filter) -> the chosen path, "" when cancelled."""


def save_file_name(parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
    """The platform's save dialog (tests inject their own chooser instead)."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path


# ---------------------------------------------------------------- worker side


@dataclass(frozen=True, slots=True)
class FileWritten:
    path: str
    size: int
    sha256: str


def _write_file(path: str, produce: Callable[[], bytes]) -> FileWritten:
    """`produce()`'s bytes at `path`, written beside it and moved into place. The temporary
    file is made first: a folder that cannot be written fails before the use case runs."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".hall-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            data = produce()
            out.write(data)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return FileWritten(str(target), len(data), hashlib.sha256(data).hexdigest())


def reprint_to_file(
    session_factory: SessionFactory, actor: Actor, letter_id: int, path: str
) -> FileWritten:
    """Worker side: the stored letter, byte for byte (audited by the use case), into `path`."""
    return _write_file(path, lambda: case_search.reprint_letter(session_factory, actor, letter_id))


def export_to_file(
    session_factory: SessionFactory, actor: Actor, case_id: int, path: str
) -> FileWritten:
    """Worker side: the case file rendered (Qt's PDF writer, no widgets) and audited."""
    from console.reports.case_file import render_case_file_pdf

    return _write_file(
        path,
        lambda: case_search.export_case_file(
            session_factory, actor, case_id, render=render_case_file_pdf
        ),
    )


# ---------------------------------------------------------------- labels


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseHistoryDialog", text)


def _when(moment: datetime | None) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M:%S}" if moment is not None else "—"


def _yuan(amount: Decimal | None) -> str:
    return f"{amount}" if amount is not None else "—"


def _party(letter: str | None) -> str:
    if not letter:
        return "—"
    return party_label(letter) or letter


_EVENTS: Final = {
    "created": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Opened"),
    "claimed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Claimed"),
    "released": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Released"),
    "taken_over": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Taken over"),
    "edited": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Edited"),
    "call_linked": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Call linked"),
    "materials_received": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Parties' upload received"),
    "records_checked": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Records checked"),
    "guidance_sms_queued": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Guidance SMS queued"),
    "sms_sent": QT_TRANSLATE_NOOP("CaseHistoryDialog", "SMS sent"),
    "sms_delivered": QT_TRANSLATE_NOOP("CaseHistoryDialog", "SMS delivered"),
    "sms_failed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "SMS not delivered"),
    "delivery_failed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Sending given up"),
    "insurer_answered": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Insurer answered"),
    "insurer_declined": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Insurer declined the claim"),
    "evidence_attached": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Video evidence attached"),
    "claim_taken": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Claim taken by the insurer"),
    "claim_assessed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Loss assessed"),
    "claim_paid": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Payout recorded"),
    "complaint_filed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Non-payment complaint filed"),
    "complaint_contacted": QT_TRANSLATE_NOOP(
        "CaseHistoryDialog", "Insurer called about the complaint"
    ),
    "complaint_sanctioned": QT_TRANSLATE_NOOP(
        "CaseHistoryDialog", "Insurer sanctioned, plate watch-listed"
    ),
    "complaint_paid": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Complaint closed: paid"),
    "checkpoint_hit": QT_TRANSLATE_NOOP(
        "CaseHistoryDialog", "Watch-listed plate seen at a checkpoint"
    ),
    "helper_linked": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Citizen helper linked"),
}
_AUDIT: Final = {
    AUDIT_REPRINT: QT_TRANSLATE_NOOP("CaseHistoryDialog", "Letter reprinted"),
    AUDIT_EXPORT: QT_TRANSLATE_NOOP("CaseHistoryDialog", "Case file exported"),
    AUDIT_UNMASK: QT_TRANSLATE_NOOP("CaseHistoryDialog", "Personal data shown"),
}
_FOOTAGE: Final = {
    "snapshot": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Camera snapshot"),
    "clip": QT_TRANSLATE_NOOP("CaseHistoryDialog", "Camera clip"),
}
_CLAIM_STAGES: Final = {
    "notified": QT_TRANSLATE_NOOP("CaseHistoryDialog", "notified"),
    "reported": QT_TRANSLATE_NOOP("CaseHistoryDialog", "reported"),
    "surveying": QT_TRANSLATE_NOOP("CaseHistoryDialog", "surveying"),
    "assessed": QT_TRANSLATE_NOOP("CaseHistoryDialog", "assessed"),
    "paid": QT_TRANSLATE_NOOP("CaseHistoryDialog", "paid"),
}


def _label(table: Mapping[str, object], key: str) -> str:
    label = table.get(key)
    return _tr(str(label)) if label else key.replace("_", " ")


def _state(value: str | None) -> str:
    if not value:
        return ""
    try:
        return state_label(value)
    except ValueError:
        return value


def _event_step(event: HistoryEvent) -> str:
    if event.from_state and event.to_state:
        return f"{_state(event.from_state)} → {_state(event.to_state)}"
    if event.to_state:
        return _state(event.to_state)
    return _label(_EVENTS, event.kind)


def _details(details: Mapping[str, Any]) -> str:
    """An event's details as they were recorded (masked by the use case already)."""
    return "; ".join(f"{key}: {value}" for key, value in details.items() if value not in ("", None))


def _complaint_state(value: str) -> str:
    try:
        return complaint_state_label(ComplaintState(value))
    except ValueError:
        return value


def _in_force(letters: Sequence[HistoryLetter]) -> HistoryLetter | None:
    """The version not superseded, newest first (the one a reprint defaults to)."""
    current = [le for le in letters if le.superseded_at is None]
    return max(current or letters, key=lambda le: le.version, default=None)


# ---------------------------------------------------------------- unmasking


class UnmaskDialog(QDialog):
    """Which party and why; after the back end agrees (and audits), that party's numbers,
    shown here and nowhere else. A refusal shows here with the reason still typed.

    `submitted(party_id, reason)`: the history view runs the use case and answers with
    `show_data` or `refused`.
    """

    submitted = Signal(int, str)

    def __init__(
        self,
        parties: Sequence[PartyHit],
        chosen: int | None,
        reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Show a party's personal data"))
        self.resize(520, 360)
        self.party = QComboBox()
        self.party.setObjectName("unmask_party")
        for hit in parties:
            self.party.addItem(
                self.tr("Party {letter} {name} {plate}")
                .format(letter=_party(hit.letter), name=hit.name, plate=hit.plate_no or "")
                .strip(),
                hit.party_id,
            )
        if chosen is not None and (index := self.party.findData(chosen)) >= 0:
            self.party.setCurrentIndex(index)
        self.reason = QLineEdit()
        self.reason.setObjectName("unmask_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(
            self.tr("Why the numbers must be shown, e.g. the complainant asks about the case")
        )
        self.reason.setText(reason)
        self.note = QLabel(
            self.tr("The reason is recorded with your name in the case's audit trail.")
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #616161;")
        self.error = QLabel()
        self.error.setObjectName("unmask_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        self.shown = QGroupBox(self.tr("Personal data"))
        self.shown.setObjectName("unmask_shown")
        self.name = self._value("unmask_name")
        self.phone = self._value("unmask_phone")
        self.id_number = self._value("unmask_id_number")
        self.licence_number = self._value("unmask_licence_number")
        shown_form = QFormLayout(self.shown)
        shown_form.addRow(self.tr("Name"), self.name)
        shown_form.addRow(self.tr("Phone"), self.phone)
        shown_form.addRow(self.tr("ID number"), self.id_number)
        shown_form.addRow(self.tr("Driving licence number"), self.licence_number)
        self.shown.hide()

        self.show_button = QPushButton(self.tr("Show (Enter)"))
        self.show_button.setObjectName("unmask_show")
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self.submit)
        self.close_button = QPushButton(self.tr("Close (Esc)"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.close_button)

        form = QFormLayout()
        form.addRow(self.tr("Party"), self.party)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.shown, 1)
        layout.addLayout(buttons)
        self.reason.returnPressed.connect(self.submit)
        self.party.currentIndexChanged.connect(self._party_changed)
        self.setFocusProxy(self.reason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The party is chosen already (the one selected in the history); the reason is what
        is left to type."""
        super().showEvent(event)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def party_id(self) -> int | None:
        value = self.party.currentData()
        return int(value) if value is not None else None

    def reason_text(self) -> str:
        return self.reason.text()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def submit(self) -> None:
        party_id = self.party_id()
        if party_id is None:
            self.refused(self.tr("This case has no party on record."))
            return
        self.error.hide()
        self.show_button.setEnabled(False)
        self.submitted.emit(party_id, self.reason.text())

    def refused(self, text: str) -> None:
        """Say why; the reason stays as typed."""
        self.show_button.setEnabled(True)
        self.error.setText(text)
        self.error.show()

    def show_data(self, data: PartyPersonalData) -> None:
        self.show_button.setEnabled(True)
        if data.party_id != self.party_id():
            return  # another party was chosen meanwhile: its numbers need their own request
        self.error.hide()
        self.name.setText(data.name)
        self.phone.setText(data.phone or "—")
        self.id_number.setText(data.id_number or "—")
        self.licence_number.setText(data.licence_number or "—")
        self.shown.setTitle(
            self.tr("Personal data of party {letter}").format(letter=_party(data.letter))
        )
        self.shown.show()

    def _party_changed(self, _index: int) -> None:
        """The numbers shown belong to one party: choosing another hides them."""
        self.shown.hide()
        for label in (self.name, self.phone, self.id_number, self.licence_number):
            label.clear()


# ---------------------------------------------------------------- the history window


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], ids: Sequence[int] = ()) -> None:
    """The rows as text; `ids` (one per row) kept in the first cell's UserRole."""
    table.clearContents()
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 0 and row < len(ids):
                item.setData(Qt.ItemDataRole.UserRole, ids[row])
            table.setItem(row, column, item)


def _chosen_id(table: QTableWidget) -> int | None:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return int(value) if value is not None else None


class CaseHistoryDialog(QDialog):
    """The history of one case at a time, modeless beside the seat's window; the search pane
    shows the next case chosen in the same window.

    `choose_path` asks where a PDF goes (the platform's save dialog unless injected)."""

    def __init__(
        self,
        actor: Actor,
        session_factory: SessionFactory,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        choose_path: PathChooser = save_file_name,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("case_history")
        self.setWindowTitle(self.tr("Case history"))
        self.resize(1080, 760)
        self.actor = actor
        self.session_factory = session_factory
        self.runner = runner
        self.choose_path = choose_path
        self.history: CaseHistory | None = None
        self.unmask_dialog: UnmaskDialog | None = None
        self._case_id: int | None = None
        self._generation = 0
        self._alive = True
        self._reasons: dict[int, str] = {}  # case id -> the reason typed last for unmasking
        self._busy = 0

        self.title = QLabel(self.tr("Loading…"))
        self.title.setObjectName("history_title")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("history_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.parties = _table(
            "history_parties",
            [
                self.tr("Party"),
                self.tr("Name"),
                self.tr("Plate"),
                self.tr("Phone"),
                self.tr("ID number"),
                self.tr("Driving licence number"),
            ],
        )
        self.parties.setMaximumHeight(self.parties.fontMetrics().height() * 7)
        self.events = _table(
            "history_events",
            [
                self.tr("When"),
                self.tr("Step"),
                self.tr("By"),
                self.tr("Seat"),
                self.tr("Position"),
                self.tr("Reason and details"),
            ],
        )
        self.calls = _table(
            "history_calls",
            [
                self.tr("Rang"),
                self.tr("Caller"),
                self.tr("State"),
                self.tr("Answered"),
                self.tr("Ended"),
                self.tr("Answered by"),
                self.tr("Seat"),
            ],
        )
        self.evidence = _table(
            "history_evidence",
            [
                self.tr("When"),
                self.tr("What"),
                self.tr("Party"),
                self.tr("From"),
                self.tr("Size (bytes)"),
                self.tr("SHA-256"),
            ],
        )
        self.letters = _table(
            "history_letters",
            [
                self.tr("Letter number"),
                self.tr("Version"),
                self.tr("Verification code"),
                self.tr("Issued"),
                self.tr("Status"),
                self.tr("SHA-256"),
            ],
        )
        self.claims = _table(
            "history_claims",
            [
                self.tr("Opened"),
                self.tr("Party"),
                self.tr("Insurer"),
                self.tr("Stage"),
                self.tr("Report no."),
                self.tr("Assessed (yuan)"),
                self.tr("Paid (yuan)"),
                self.tr("Paid at"),
            ],
        )
        self.complaints = _table(
            "history_complaints",
            [
                self.tr("Filed"),
                self.tr("Against"),
                self.tr("Complainant"),
                self.tr("Phone"),
                self.tr("State"),
                self.tr("Pay by"),
                self.tr("Fine (yuan)"),
                self.tr("Paid (yuan)"),
            ],
        )
        self.audit = _table(
            "history_audit",
            [self.tr("When"), self.tr("What"), self.tr("By"), self.tr("Seat"), self.tr("Details")],
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("history_tabs")
        for table in self._sections():
            self.tabs.addTab(table, "")

        self.keys = QLabel(
            self.tr(
                "Ctrl+P reprint the letter · Ctrl+E export the case file · Ctrl+U show a party's "
                "personal data · F5 reload · Esc close"
            )
        )
        self.keys.setObjectName("history_keys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("color: #616161;")
        self.message = QLabel()
        self.message.setObjectName("history_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reprint_button = QPushButton(self.tr("Reprint the letter (Ctrl+P)"))
        self.reprint_button.setObjectName("history_reprint")
        self.reprint_button.clicked.connect(self.reprint)
        self.export_button = QPushButton(self.tr("Export the case file (Ctrl+E)"))
        self.export_button.setObjectName("history_export")
        self.export_button.clicked.connect(self.export)
        self.unmask_button = QPushButton(self.tr("Show personal data (Ctrl+U)"))
        self.unmask_button.setObjectName("history_unmask")
        self.unmask_button.clicked.connect(self.unmask)
        self.close_button = QPushButton(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (
            self.reprint_button,
            self.export_button,
            self.unmask_button,
            self.close_button,
        ):
            # Enter belongs to the tables, never to a default button.
            button.setAutoDefault(False)
            button.setDefault(False)
            buttons.addWidget(button)
        buttons.insertStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Parties (as your position sees them)")))
        layout.addWidget(self.parties)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.keys)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setFocusProxy(self.tabs)

        for key, slot in (
            (KEYS["reprint"], self.reprint),
            (KEYS["export"], self.export),
            (KEYS["unmask"], self.unmask),
            (KEYS["reload"], self.reload),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self._name_tabs()
        self._update_actions()

    def _sections(self) -> tuple[QTableWidget, ...]:
        return (
            self.events,
            self.calls,
            self.evidence,
            self.letters,
            self.claims,
            self.complaints,
            self.audit,
        )

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def alive(self) -> bool:
        return self._alive

    def shut(self) -> None:
        """Sign-out: nothing that still runs reaches this window again."""
        self._alive = False
        if self.unmask_dialog is not None:
            self.unmask_dialog.reject()
        self.reject()

    def show_case(self, case_id: int) -> None:
        """Show (and raise) this window on `case_id`, loading its history."""
        if self._case_id != case_id:
            self._case_id = case_id
            self.history = None
            self.title.setText(self.tr("Loading…"))
            self.summary.clear()
            for table in (self.parties, *self._sections()):
                table.setRowCount(0)
            self.message.clear()
            if self.unmask_dialog is not None:
                self.unmask_dialog.reject()
        self.show()
        self.raise_()
        self.activateWindow()
        self.reload()

    def reload(self) -> None:
        case_id = self._case_id
        if case_id is None:
            return
        self._generation += 1
        generation = self._generation

        def loaded(history: CaseHistory) -> None:
            # Only the newest request for the case shown: an older answer may come last.
            if generation == self._generation and history.case_id == self._case_id:
                self._show(history)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.say(describe_error(error), ok=False)

        self._submit(
            case_search.case_history,
            self.session_factory,
            self.actor,
            case_id,
            on_done=loaded,
            on_failed=failed,
        )

    def refresh(self, case_ids: Sequence[int]) -> None:
        """Cases changed in the hall: reload if the one shown is among them."""
        if self._case_id in case_ids and self.isVisible():
            self.reload()

    # -- showing -------------------------------------------------------------------------------
    def _show(self, history: CaseHistory) -> None:
        chosen_letter = _chosen_id(self.letters)
        chosen_party = _chosen_id(self.parties)
        self.history = history
        self.setWindowTitle(self.tr("Case history · {case_no}").format(case_no=history.case_no))
        self.title.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=history.case_no, state=state_label(history.state)
            )
        )
        self.summary.setText(
            self.tr("Occurred {when} · {place} · {district}").format(
                when=_when(history.occurred_at),
                place=history.place or "—",
                district=history.district or "—",
            )
        )
        _fill(
            self.parties,
            [
                [
                    _party(p.letter),
                    p.name,
                    p.plate_no or "—",
                    p.phone or "—",
                    p.id_number or "—",
                    p.licence_number or "—",
                ]
                for p in history.parties
            ],
            [p.party_id for p in history.parties],
        )
        _fill(
            self.events,
            [
                [
                    _when(e.at),
                    _event_step(e),
                    e.actor_name or "—",
                    e.seat or "",
                    position_label(e.position) if e.position else "",
                    " · ".join(part for part in (e.reason or "", _details(e.details)) if part),
                ]
                for e in history.events
            ],
        )
        _fill(
            self.calls,
            [
                [
                    _when(c.rang_at),
                    c.caller_phone or "—",
                    c.state,
                    _when(c.answered_at),
                    _when(c.ended_at),
                    c.answered_by or "—",
                    c.answered_seat or "",
                ]
                for c in history.calls
            ],
        )
        evidence = [
            (
                a.at,
                [
                    _when(a.at),
                    photo_label(a.kind),
                    _party(a.party_letter),
                    a.source,
                    str(a.size),
                    a.sha256,
                ],
            )
            for a in history.attachments
        ]
        evidence += [
            (
                f.taken_at,
                [
                    _when(f.taken_at),
                    f"{_label(_FOOTAGE, f.kind)} {f.camera_id}",
                    "—",
                    f.taken_by or "",
                    str(f.size),
                    f.sha256,
                ],
            )
            for f in history.footage
        ]
        evidence.sort(key=lambda item: item[0])
        _fill(self.evidence, [values for _at, values in evidence])
        _fill(
            self.letters,
            [
                [
                    le.doc_no,
                    str(le.version),
                    le.verification_code,
                    _when(le.issued_at),
                    self.tr("in force")
                    if le.superseded_at is None
                    else self.tr("superseded {when}").format(when=_when(le.superseded_at)),
                    le.sha256,
                ]
                for le in history.letters
            ],
            [le.letter_id for le in history.letters],
        )
        _fill(
            self.claims,
            [
                [
                    _when(c.created_at),
                    _party(c.party_letter),
                    c.insurer,
                    _label(_CLAIM_STAGES, c.stage),
                    c.report_no or "—",
                    _yuan(c.assessed_amount),
                    _yuan(c.paid_amount),
                    _when(c.paid_at),
                ]
                for c in history.claims
            ],
        )
        _fill(
            self.complaints,
            [
                [
                    _when(c.filed_at),
                    c.respondent,
                    c.complainant_name,
                    c.complainant_phone or "—",
                    _complaint_state(c.state),
                    _when(c.pay_due_at),
                    _yuan(c.fine_amount),
                    _yuan(c.paid_amount),
                ]
                for c in history.complaints
            ],
        )
        _fill(
            self.audit,
            [
                [
                    _when(a.at),
                    _label(_AUDIT, a.action),
                    a.actor_name or "—",
                    a.seat or "",
                    self._audit_details(a.action, a.details),
                ]
                for a in history.audit
            ],
        )
        self._reselect(self.letters, chosen_letter)
        self._reselect(self.parties, chosen_party)
        self._name_tabs()
        self._update_actions()

    def _audit_details(self, action: str, details: Mapping[str, Any]) -> str:
        if action == AUDIT_REPRINT:
            return self.tr("{doc_no}, version {version}").format(
                doc_no=details.get("doc_no", ""), version=details.get("version", "")
            )
        if action == AUDIT_UNMASK:
            return self.tr("party {letter}: {reason}").format(
                letter=_party(str(details.get("letter", ""))), reason=details.get("reason", "")
            )
        if action == AUDIT_EXPORT:
            return self.tr("{size} bytes, SHA-256 {sha256}").format(
                size=details.get("size", ""), sha256=details.get("sha256", "")
            )
        return _details(details)

    @staticmethod
    def _reselect(table: QTableWidget, wanted: int | None) -> None:
        if wanted is None:
            return
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == wanted:
                table.setCurrentCell(row, 0)
                return

    def _name_tabs(self) -> None:
        history = self.history
        counts = (
            (
                len(history.events),
                len(history.calls),
                len(history.attachments) + len(history.footage),
                len(history.letters),
                len(history.claims),
                len(history.complaints),
                len(history.audit),
            )
            if history is not None
            else (0,) * 7
        )
        names = (
            self.tr("Events ({count})"),
            self.tr("Calls ({count})"),
            self.tr("Photos and footage ({count})"),
            self.tr("Letters ({count})"),
            self.tr("Claims and payouts ({count})"),
            self.tr("Complaints ({count})"),
            self.tr("Audit ({count})"),
        )
        for index, (name, count) in enumerate(zip(names, counts, strict=True)):
            self.tabs.setTabText(index, name.format(count=count))

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    def message_text(self) -> str:
        return self.message.text()

    def _update_actions(self) -> None:
        history = self.history
        idle = self._busy == 0
        self.reprint_button.setEnabled(idle and history is not None and bool(history.letters))
        self.export_button.setEnabled(idle and history is not None)
        self.unmask_button.setEnabled(history is not None and bool(history.parties))

    # -- actions -------------------------------------------------------------------------------
    def chosen_letter(self) -> HistoryLetter | None:
        """The version chosen in the letters list, else the one in force."""
        history = self.history
        if history is None:
            return None
        wanted = _chosen_id(self.letters)
        chosen = next((le for le in history.letters if le.letter_id == wanted), None)
        return chosen or _in_force(history.letters)

    def reprint(self) -> None:
        """Ctrl+P: the stored PDF into a file, byte for byte (never rendered again)."""
        history = self.history
        if history is None or self._busy:
            return
        letter = self.chosen_letter()
        if letter is None:
            self.say(
                self.tr("Case {case_no} has no letter to reprint.").format(case_no=history.case_no),
                ok=False,
            )
            return
        path = self.choose_path(
            self,
            self.tr("Reprint the letter"),
            str(Path.home() / f"{history.case_no}-letter-v{letter.version}.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        self.say(self.tr("Reprinting…"), ok=True)

        def written(done: FileWritten) -> None:
            self.say(
                self.tr(
                    "Letter {doc_no} (version {version}) written to {path}: the PDF as "
                    "issued, {size} bytes."
                ).format(
                    doc_no=letter.doc_no, version=letter.version, path=done.path, size=done.size
                ),
                ok=True,
            )
            self.reload()

        self._run(reprint_to_file, letter.letter_id, path, on_done=written)

    def export(self) -> None:
        """Ctrl+E: the case file PDF (summary, timeline, evidence with SHA-256), audited."""
        history = self.history
        if history is None or self._busy:
            return
        path = self.choose_path(
            self,
            self.tr("Export the case file"),
            str(Path.home() / f"{history.case_no}-case-file.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        self.say(self.tr("Exporting…"), ok=True)

        def written(done: FileWritten) -> None:
            self.say(
                self.tr("Case file of {case_no} written to {path} ({size} bytes).").format(
                    case_no=history.case_no, path=done.path, size=done.size
                ),
                ok=True,
            )
            self.reload()

        self._run(export_to_file, history.case_id, path, on_done=written)

    def _run(
        self, fn: Callable[..., FileWritten], *args: Any, on_done: Callable[[FileWritten], None]
    ) -> None:
        self._busy += 1
        self._update_actions()

        def done(written: FileWritten) -> None:
            self._busy -= 1
            self._update_actions()
            on_done(written)

        def failed(error: BaseException) -> None:
            self._busy -= 1
            self._update_actions()
            if isinstance(error, OSError) and not isinstance(error, DatabaseUnavailable):
                self.say(
                    self.tr("The file could not be written: {detail}").format(detail=error),
                    ok=False,
                )
            else:
                self.say(describe_error(error), ok=False)

        self._submit(fn, self.session_factory, self.actor, *args, on_done=done, on_failed=failed)

    def unmask(self) -> None:
        """Ctrl+U: ask which party and why; the numbers show in that dialog only."""
        history = self.history
        if history is None:
            return
        if self.unmask_dialog is not None:
            self.unmask_dialog.raise_()
            self.unmask_dialog.activateWindow()
            return
        if not history.parties:
            self.say(
                self.tr("Case {case_no} has no party on record.").format(case_no=history.case_no),
                ok=False,
            )
            return
        case_id = history.case_id
        dialog = UnmaskDialog(
            history.parties, _chosen_id(self.parties), self._reasons.get(case_id, ""), self
        )
        self.unmask_dialog = dialog

        def finished(_result: int) -> None:
            self._reasons[case_id] = dialog.reason_text()
            if self.unmask_dialog is dialog:
                self.unmask_dialog = None
            dialog.deleteLater()  # the numbers leave with the dialog

        dialog.submitted.connect(self._unmask)
        dialog.finished.connect(finished)
        dialog.open()

    def _unmask(self, party_id: int, reason: str) -> None:
        dialog = self.unmask_dialog

        def shown(data: PartyPersonalData) -> None:
            if dialog is not None and self.unmask_dialog is dialog:
                dialog.show_data(data)
            self.reload()  # the audit entry

        def refused(error: BaseException) -> None:
            if dialog is not None and self.unmask_dialog is dialog:
                dialog.refused(describe_error(error))
            else:
                self.say(describe_error(error), ok=False)

        self._submit(
            case_search.unmask_party,
            self.session_factory,
            self.actor,
            party_id,
            reason,
            on_done=shown,
            on_failed=refused,
        )

    def _submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Through the task runner; nothing after sign-out (`TaskRunner.submit_while`)."""
        self.runner.submit_while(
            lambda: self._alive, fn, *args, on_done=on_done, on_failed=on_failed
        )
