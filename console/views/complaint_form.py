"""The lookup seat's complaint dialogs: filing a non-payment complaint, recording the payment,
and confirming a sanction run.

The dialogs only gather input. They stay open while the desk runs the use case, so a refusal
shows in the dialog with everything typed still there; only a success closes them. Ctrl+Enter
submits (Enter too, outside the multi-line note), Esc cancels. Amounts are read as numbers
here; whether an amount is acceptable is the use case's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.complaints import ComplaintPolicy
from console.domain.deadlines import HALL_TZ, to_local
from console.hall.complaints import ComplaintCase, ComplaintRow
from console.views.error_templates import party_label
from console.views.form_parts import error_label, submit_keys

__all__ = [
    "ComplaintDraft",
    "ComplaintForm",
    "ComplaintInput",
    "PaymentForm",
    "PaymentInput",
    "SanctionDialog",
    "parse_yuan",
]


def parse_yuan(text: str) -> Decimal | None:
    """A typed amount in yuan ("3500", "3,500.50", "3500元"); None if nothing was typed.
    ValueError if it is not a number at all."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    """What was typed into a filing form that was closed unsaved: offered again."""

    respondent: str | None
    complainant: str | None
    amount: str
    reason: str


@dataclass(frozen=True, slots=True)
class ComplaintInput:
    case_id: int
    party_letter: str
    insurer_org_id: int
    complainant_letter: str | None
    amount_claimed: Decimal | None
    reason: str


class ComplaintForm(QDialog):
    """File a complaint about the open case: whose insurer did not pay (the respondent party,
    whose plate a sanction would list), who complains, the amount claimed and the reason.

    `submitted(ComplaintInput)`: the desk files it and calls `saved()` or `refused(text)`.
    """

    submitted = Signal(object)

    def __init__(
        self,
        case: ComplaintCase,
        draft: ComplaintDraft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.setWindowTitle(
            self.tr("Non-payment complaint about case {case_no}").format(case_no=case.case_no)
        )
        self.resize(560, 420)
        self.respondent = QComboBox()
        self.respondent.setObjectName("complaint_respondent")
        insured = [p for p in case.parties if p.insurer_org_id is not None]
        for party in insured:
            self.respondent.addItem(
                self.tr("Party {letter} {plate} · insured by {insurer}").format(
                    letter=party_label(party.letter) or party.letter,
                    plate=party.plate_no or "—",
                    insurer=party.insurer_name_zh or "—",
                ),
                party.letter,
            )
        self.complainant = QComboBox()
        self.complainant.setObjectName("complaint_complainant")
        for party in case.parties:
            self.complainant.addItem(
                self.tr("Party {letter} {name}").format(
                    letter=party_label(party.letter) or party.letter, name=party.name
                ),
                party.letter,
            )
        self.amount = QLineEdit()
        self.amount.setObjectName("complaint_amount")
        self.amount.setPlaceholderText(self.tr("yuan, e.g. 3500"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("complaint_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            self.tr("What the complainant says: since when the insurer has not paid, and why.")
        )
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.file_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.file_button.setText(self.tr("File (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Insurer that did not pay"), self.respondent)
        form.addRow(self.tr("Complainant"), self.complainant)
        form.addRow(self.tr("Amount claimed"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        submit_keys(self, self.submit)

        if draft is not None:
            self._restore(draft)
        else:
            self._default_complainant()
        if not insured:
            self.refused(
                self.tr(
                    "No party of this case has an insurer on record; a complaint names the "
                    "insurer that did not pay."
                )
            )
            self.file_button.setEnabled(False)
        self.respondent.currentIndexChanged.connect(self._default_complainant)
        self.setFocusProxy(self.respondent if insured else self.reason)

    def _restore(self, draft: ComplaintDraft) -> None:
        for box, letter in (
            (self.respondent, draft.respondent),
            (self.complainant, draft.complainant),
        ):
            index = box.findData(letter)
            if index >= 0:
                box.setCurrentIndex(index)
        self.amount.setText(draft.amount)
        self.reason.setPlainText(draft.reason)

    def _default_complainant(self) -> None:
        """The other party of a two-party case, unless someone else was chosen already."""
        respondent = self.respondent.currentData()
        if self.complainant.currentData() != respondent:
            return
        for index in range(self.complainant.count()):
            if self.complainant.itemData(index) != respondent:
                self.complainant.setCurrentIndex(index)
                return

    def draft(self) -> ComplaintDraft:
        return ComplaintDraft(
            self.respondent.currentData(),
            self.complainant.currentData(),
            self.amount.text(),
            self.reason.toPlainText(),
        )

    def submit(self) -> None:
        if not self.file_button.isEnabled():
            return
        letter = self.respondent.currentData()
        party = next((p for p in self.case.parties if p.letter == letter), None)
        if party is None or party.insurer_org_id is None:
            self.refused(self.tr("Choose the insurer that did not pay."))
            self.respondent.setFocus()
            return
        try:
            amount = parse_yuan(self.amount.text())
        except ValueError:
            self.refused(
                self.tr("The amount claimed is not a number: enter yuan, e.g. 3500 or 3500.50.")
            )
            self.amount.setFocus()
            self.amount.selectAll()
            return
        complainant = self.complainant.currentData()
        self.set_busy(True)
        self.submitted.emit(
            ComplaintInput(
                self.case.case_id,
                str(letter),
                party.insurer_org_id,
                str(complainant) if complainant is not None else None,
                amount,
                self.reason.toPlainText(),
            )
        )

    def set_busy(self, busy: bool) -> None:
        self.file_button.setEnabled(not busy)
        self.file_button.setText(self.tr("Filing…") if busy else self.tr("File (Ctrl+Enter)"))

    def refused(self, text: str) -> None:
        """The save failed: say why; everything typed stays."""
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


@dataclass(frozen=True, slots=True)
class PaymentInput:
    complaint_id: int
    amount: Decimal
    paid_at: datetime


class PaymentForm(QDialog):
    """The insurer paid: how much and when (hall time). `submitted(PaymentInput)`."""

    submitted = Signal(object)

    def __init__(
        self,
        complaint: ComplaintRow,
        now: datetime,
        amount: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.complaint = complaint
        self.setWindowTitle(self.tr("Payment for complaint {id}").format(id=complaint.id))
        self.resize(480, 220)
        summary = QLabel(
            self.tr("Case {case_no}, plate {plate}, insurer {insurer}.").format(
                case_no=complaint.case_no,
                plate=complaint.plate_no or "—",
                insurer=complaint.respondent_name_zh,
            )
        )
        summary.setWordWrap(True)
        self.amount = QLineEdit(amount)
        self.amount.setObjectName("payment_amount")
        self.amount.setPlaceholderText(self.tr("yuan, e.g. 3500"))
        local = to_local(now, HALL_TZ)
        self.paid_at = QDateTimeEdit(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute),
            )
        )
        self.paid_at.setObjectName("payment_time")
        self.paid_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.paid_at.setCalendarPopup(True)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.record_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText(self.tr("Record payment (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Amount paid"), self.amount)
        form.addRow(self.tr("Paid at"), self.paid_at)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        note = QLabel(
            self.tr(
                "Recording the payment closes the complaint and lifts the plate off the "
                "checkpoint watch list."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        submit_keys(self, self.submit)
        self.setFocusProxy(self.amount)

    def paid_moment(self) -> datetime:
        """The time typed, in hall time."""
        shown = self.paid_at.dateTime()
        day, clock = shown.date(), shown.time()
        return datetime(
            day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=HALL_TZ
        )

    def submit(self) -> None:
        if not self.record_button.isEnabled():
            return
        try:
            amount = parse_yuan(self.amount.text())
        except ValueError:
            amount = None
        if amount is None:
            self.refused(self.tr("Enter the amount paid in yuan, e.g. 3500 or 3500.50."))
            self.amount.setFocus()
            self.amount.selectAll()
            return
        self.set_busy(True)
        self.submitted.emit(PaymentInput(self.complaint.id, amount, self.paid_moment()))

    def set_busy(self, busy: bool) -> None:
        self.record_button.setEnabled(not busy)

    def refused(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


class SanctionDialog(QDialog):
    """Confirm a sanction run: each complaint's plate, insurer and deadline, and the fine in
    the city's range. Enter confirms, Esc cancels."""

    def __init__(
        self,
        due: Sequence[ComplaintRow],
        policy: ComplaintPolicy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.due = list(due)
        self.setWindowTitle(self.tr("Sanction overdue complaints"))
        self.resize(620, 360)
        intro = QLabel(
            self.tr(
                "These insurers did not pay by the deadline. Sanctioning puts each plate on the "
                "checkpoint watch list, records the fine and notifies the credit bureau; it "
                "happens once per complaint."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("sanction_list")
        for row in self.due:
            self.list.addItem(
                self.tr("{plate} · {insurer} · case {case_no} · payment was due {due}").format(
                    plate=row.plate_no or "—",
                    insurer=row.respondent_name_zh,
                    case_no=row.case_no,
                    due=f"{to_local(row.pay_due_at):%Y-%m-%d %H:%M}",
                )
            )
        self.fine = QDoubleSpinBox()
        self.fine.setObjectName("sanction_fine")
        self.fine.setDecimals(2)
        self.fine.setRange(float(policy.fine_min), float(policy.fine_max))
        self.fine.setSingleStep(1000.0)
        self.fine.setValue(float(policy.fine))
        self.fine.setSuffix(self.tr(" yuan"))
        form = QFormLayout()
        form.addRow(
            self.tr("Fine each ({low}–{high} yuan)").format(
                low=policy.fine_min, high=policy.fine_max
            ),
            self.fine,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = QPushButton(self.tr("Sanction (Enter)"))
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.confirm_button.setDefault(True)  # once in the dialog: Enter confirms
        self.setFocusProxy(self.fine)

    def fine_amount(self) -> Decimal:
        return Decimal(f"{self.fine.value():.2f}")
