"""The review seat's work panel: parties with their record checks, the checklist, the return
reasons, the SMS sent, and the decision keys. It shows and emits; `ReviewDesk` decides.

The checklist is recomputed by `console.domain.review` on every judgement the reviewer
makes, so what the panel shows is what the approve use case will find.

Keys: Y — photos legible and damage consistent (the one judgement a clean case needs);
L / C — each of those alone; Ctrl+Enter approve; Ctrl+R return with the ticked reasons;
Ctrl+E escalate; F5 ask the records again.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.review import (
    Checklist,
    ChecklistItem,
    CheckStatus,
    Judgements,
    review_checklist,
)
from console.hall.review import LookupView, ReturnItem, ReviewDetail
from console.views.labels import photo_label, state_label
from console.views.messages import describe_finding

MARKS = {CheckStatus.PASS: "✓", CheckStatus.FAIL: "✗", CheckStatus.UNKNOWN: "?"}
COLOURS = {
    CheckStatus.PASS: "#2e7d32",
    CheckStatus.FAIL: "#c62828",
    CheckStatus.UNKNOWN: "#ef6c00",
    "pass": "#2e7d32",
    "fail": "#c62828",
    "unknown": "#ef6c00",
}
LOOKUP_COLUMNS = ("licence", "registration", "insurance")


class ReviewPanel(QWidget):
    approve_requested = Signal(int, int, object)  # case id, version, Judgements
    return_requested = Signal(int, int, object)  # case id, version, list[ReturnItem]
    escalate_requested = Signal(int, int, str)
    offline_requested = Signal(int, int, str)
    lookups_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_panel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._detail: ReviewDetail | None = None
        self._checklist: Checklist | None = None
        self.heading = QLabel(self.tr("No case open"))
        self.heading.setObjectName("review_heading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.parties = QTableWidget(0, 6)
        self.parties.setObjectName("review_parties")
        self.parties.setHorizontalHeaderLabels(
            [
                self.tr("Party"),
                self.tr("Plate"),
                self.tr("Phone"),
                self.tr("Licence"),
                self.tr("Registration"),
                self.tr("Compulsory insurance"),
            ]
        )
        self.parties.verticalHeader().hide()
        self.parties.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.parties.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.parties.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.parties.setMaximumHeight(120)
        self.legible = QCheckBox(self.tr("Plates and markings legible (L)"))
        self.legible.setObjectName("judge_legible")
        self.consistent = QCheckBox(self.tr("Damage matches the account, no exclusion seen (C)"))
        self.consistent.setObjectName("judge_consistent")
        self.not_duplicate = QCheckBox(self.tr("Checked: not a duplicate"))
        self.not_duplicate.setObjectName("judge_not_duplicate")
        for box in (self.legible, self.consistent, self.not_duplicate):
            box.toggled.connect(self._judged)
        self.checklist = QListWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verdict = QLabel()
        self.verdict.setObjectName("review_verdict")
        self.verdict.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setObjectName("return_reasons")
        self.reasons.setMaximumHeight(110)
        self.reason_text = QLineEdit()
        self.reason_text.setObjectName("review_reason")
        self.reason_text.setPlaceholderText(
            self.tr("Reason for escalating or referring offline; extra words for the parties")
        )
        self.approve_button = QPushButton(self.tr("Approve, order off the road (Ctrl+Enter)"))
        self.approve_button.setObjectName("approve")
        self.approve_button.clicked.connect(self.request_approve)
        self.return_button = QPushButton(self.tr("Return (Ctrl+R)"))
        self.return_button.setObjectName("return")
        self.return_button.clicked.connect(self.request_return)
        self.escalate_button = QPushButton(self.tr("Escalate (Ctrl+E)"))
        self.escalate_button.setObjectName("review_escalate")
        self.escalate_button.clicked.connect(self.request_escalate)
        self.offline_button = QPushButton(self.tr("Refer offline"))
        self.offline_button.setObjectName("review_offline")
        self.offline_button.clicked.connect(self.request_offline)
        self.sms = QLabel()
        self.sms.setObjectName("review_sms")
        self.sms.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)

        judge = QGroupBox(self.tr("Your judgement (Y: both)"))
        judge_layout = QVBoxLayout(judge)
        for box in (self.legible, self.consistent, self.not_duplicate):
            judge_layout.addWidget(box)
        buttons = QHBoxLayout()
        for button in (
            self.approve_button,
            self.return_button,
            self.escalate_button,
            self.offline_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.parties)
        layout.addWidget(judge)
        layout.addWidget(QLabel(self.tr("Checklist")))
        layout.addWidget(self.checklist, 2)
        layout.addWidget(self.verdict)
        layout.addWidget(QLabel(self.tr("Return reasons (ticked ones are sent)")))
        layout.addWidget(self.reasons, 1)
        layout.addWidget(self.reason_text)
        layout.addLayout(buttons)
        layout.addWidget(self.sms)
        layout.addWidget(self.message)
        self.show_detail(None)

    # -- showing -------------------------------------------------------------------------------
    @property
    def detail(self) -> ReviewDetail | None:
        return self._detail

    @property
    def current_checklist(self) -> Checklist | None:
        return self._checklist

    def judgements(self) -> Judgements:
        return Judgements(
            photos_legible=True if self.legible.isChecked() else None,
            damage_consistent=True if self.consistent.isChecked() else None,
            not_duplicate=True if self.not_duplicate.isChecked() else None,
        )

    def show_detail(self, detail: ReviewDetail | None) -> None:
        """Show a case; the reviewer's ticks stay when the same case is refreshed."""
        same = (
            detail is not None
            and self._detail is not None
            and detail.case_id == self._detail.case_id
        )
        self._detail = detail
        if not same:
            for box in (self.legible, self.consistent, self.not_duplicate):
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            self.reason_text.clear()
            self.message.clear()
        enabled = detail is not None
        for widget in (
            self.approve_button,
            self.return_button,
            self.escalate_button,
            self.offline_button,
            self.legible,
            self.consistent,
        ):
            widget.setEnabled(enabled)
        if detail is None:
            self.heading.setText(self.tr("No case open"))
            self.parties.setRowCount(0)
            self.checklist.clear()
            self.reasons.clear()
            self.verdict.clear()
            self.sms.clear()
            self._checklist = None
            return
        self.heading.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=detail.case_no, state=state_label(detail.state)
            )
        )
        self.not_duplicate.setVisible(bool(detail.facts.duplicates))
        self._fill_parties(detail)
        self._fill_sms(detail)
        self._recompute()

    def _fill_parties(self, detail: ReviewDetail) -> None:
        lookups: dict[tuple[str, str], LookupView] = {
            (v.party_letter, v.check): v for v in detail.lookups
        }
        self.parties.setRowCount(len(detail.parties))
        for row, party in enumerate(detail.parties):
            letter = party.letter
            self.parties.setItem(row, 0, QTableWidgetItem(f"{letter} {party.name}"))
            self.parties.setItem(row, 1, QTableWidgetItem(party.plate_no or "—"))
            self.parties.setItem(row, 2, QTableWidgetItem(party.phone or "—"))
            for column, check in enumerate(LOOKUP_COLUMNS, start=3):
                view = lookups.get((letter, check))
                outcome = view.outcome if view else "unknown"
                text = {
                    "pass": self.tr("✓ pass"),
                    "fail": self.tr("✗ fail"),
                    "unknown": self.tr("? unknown"),
                }[outcome]
                item = QTableWidgetItem(text)
                item.setForeground(QColor(COLOURS[outcome]))
                if view is not None:
                    tip = self.tr("{source}, answered {time}").format(
                        source=view.source, time=f"{view.answered_at.astimezone():%H:%M:%S}"
                    )
                    error = view.details.get("error")
                    item.setToolTip(f"{tip}\n{error}" if error else tip)
                else:
                    item.setToolTip(self.tr("Not asked yet"))
                self.parties.setItem(row, column, item)

    def _fill_sms(self, detail: ReviewDetail) -> None:
        if not detail.sms:
            self.sms.setText(self.tr("No SMS sent for this case yet."))
            return
        lines = []
        for message in detail.sms[-4:]:
            state = message.delivery or message.state
            lines.append(
                self.tr("SMS {template} to {to}: {state} ({time})").format(
                    template=message.template,
                    to=message.to,
                    state=_delivery_label(state),
                    time=f"{message.at.astimezone():%H:%M:%S}",
                )
            )
        self.sms.setText("\n".join(lines))

    def _judged(self) -> None:
        self._recompute()

    def _recompute(self) -> None:
        detail = self._detail
        if detail is None:
            return
        facts = detail.facts
        checklist = review_checklist(replace(facts, judgements=self.judgements()))
        self._checklist = checklist
        self.checklist.clear()
        for item in checklist.items:
            entry = QListWidgetItem(f"{MARKS[item.status]} {self._item_text(item)}")
            entry.setForeground(QColor(COLOURS[item.status]))
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            self.checklist.addItem(entry)
        previous = {
            self.reasons.item(i).data(Qt.ItemDataRole.UserRole): self.reasons.item(i).checkState()
            for i in range(self.reasons.count())
        }
        self.reasons.clear()
        for item in checklist.return_reasons:
            entry = QListWidgetItem(item.return_text_zh())
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(previous.get(item.key, Qt.CheckState.Checked))
            self.reasons.addItem(entry)
        failed, open_items = len(checklist.failures), len(checklist.open_items)
        if checklist.clean:
            self.verdict.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.verdict.setText(self.tr("Every item passed: approve with Ctrl+Enter."))
        else:
            self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
            self.verdict.setText(
                self.tr("{failed} items failed, {open} still open.").format(
                    failed=failed, open=open_items
                )
            )
        self.approve_button.setEnabled(checklist.clean)
        self.return_button.setEnabled(
            bool(checklist.return_reasons) or bool(self.reason_text.text())
        )

    def _item_text(self, item: ChecklistItem) -> str:
        party = f"{item.party_letter} · " if item.party_letter and not item.photo_kind else ""
        if item.photo_kind is not None:
            who = f"{item.party_letter} · " if item.party_letter else ""
            if item.status is CheckStatus.PASS:
                return self.tr("{who}{photo}: present").format(
                    who=who, photo=photo_label(item.photo_kind)
                )
            return who + describe_finding(item.finding)
        if item.status is CheckStatus.PASS:
            return party + _passed_label(item.finding.code)
        return party + describe_finding(item.finding, unknown=item.status is CheckStatus.UNKNOWN)

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    # -- keys and requests -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Y:
            self.legible.setChecked(True)
            self.consistent.setChecked(True)
        elif key == Qt.Key.Key_L:
            self.legible.toggle()
        elif key == Qt.Key.Key_C:
            self.consistent.toggle()
        else:
            super().keyPressEvent(event)

    def _ticked_reasons(self) -> list[ReturnItem]:
        checklist = self._checklist
        if checklist is None:
            return []
        by_key = {i.key: i for i in checklist.return_reasons}
        chosen = []
        for row in range(self.reasons.count()):
            entry = self.reasons.item(row)
            item = by_key.get(entry.data(Qt.ItemDataRole.UserRole))
            if (
                item is not None
                and item.reason is not None
                and entry.checkState() == Qt.CheckState.Checked
            ):
                chosen.append(ReturnItem(item.reason, item.party_letter, item.photo_kind))
        return chosen

    def request_approve(self) -> None:
        detail = self._detail
        if detail is None:
            return
        if self._checklist is None or not self._checklist.clean:
            self.say(
                self.tr("Not every item has passed; return the case or judge the open items."),
                ok=False,
            )
            return
        self.approve_requested.emit(detail.case_id, detail.version, self.judgements())

    def request_return(self) -> None:
        detail = self._detail
        if detail is None:
            return
        reasons = self._ticked_reasons()
        if not reasons:
            self.say(self.tr("Tick at least one return reason."), ok=False)
            return
        self.return_requested.emit(detail.case_id, detail.version, reasons)

    def _reason(self) -> str:
        typed = self.reason_text.text().strip()
        if typed:
            return typed
        checklist = self._checklist
        if checklist is not None and checklist.failures:
            return "；".join(describe_finding(i.finding) for i in checklist.failures)
        return ""

    def request_escalate(self) -> None:
        detail = self._detail
        reason = self._reason()
        if detail is None:
            return
        if not reason:
            self.say(self.tr("Type the reason for escalating."), ok=False)
            self.reason_text.setFocus()
            return
        self.escalate_requested.emit(detail.case_id, detail.version, reason)

    def request_offline(self) -> None:
        detail = self._detail
        reason = self._reason()
        if detail is None:
            return
        if not reason:
            self.say(self.tr("Type the reason for referring offline."), ok=False)
            self.reason_text.setFocus()
            return
        self.offline_requested.emit(detail.case_id, detail.version, reason)


def _passed_label(code: str) -> str:
    labels = {
        "eligibility.licence_expired": QCoreApplication.translate("ReviewPanel", "Licence in date"),
        "eligibility.licence_status": QCoreApplication.translate(
            "ReviewPanel", "Licence status normal"
        ),
        "eligibility.licence_class": QCoreApplication.translate(
            "ReviewPanel", "Licence class covers the vehicle"
        ),
        "eligibility.registration_expired": QCoreApplication.translate(
            "ReviewPanel", "Vehicle inspection in date"
        ),
        "eligibility.registration_status": QCoreApplication.translate(
            "ReviewPanel", "Registration status normal"
        ),
        "eligibility.no_compulsory_insurance": QCoreApplication.translate(
            "ReviewPanel", "Compulsory insurance valid on the accident date"
        ),
        "eligibility.death_or_injury": QCoreApplication.translate("ReviewPanel", "Nobody injured"),
        "eligibility.vehicle_count": QCoreApplication.translate(
            "ReviewPanel", "Number of vehicles allowed"
        ),
        "eligibility.not_drivable": QCoreApplication.translate(
            "ReviewPanel", "Vehicles can be driven"
        ),
        "eligibility.non_motor_vehicle": QCoreApplication.translate(
            "ReviewPanel", "Motor vehicles only"
        ),
        "eligibility.suspected_drink_or_drugs": QCoreApplication.translate(
            "ReviewPanel", "No drink or drugs suspected"
        ),
        "eligibility.fake_or_missing_plates": QCoreApplication.translate(
            "ReviewPanel", "Plates genuine"
        ),
        "eligibility.dangerous_goods": QCoreApplication.translate(
            "ReviewPanel", "No dangerous goods"
        ),
        "eligibility.party_fled": QCoreApplication.translate("ReviewPanel", "Every party stayed"),
        "eligibility.deliberate_crash": QCoreApplication.translate(
            "ReviewPanel", "Not caused on purpose"
        ),
        "eligibility.outside_districts": QCoreApplication.translate(
            "ReviewPanel", "Inside the districts served"
        ),
        "review.photos_legible": QCoreApplication.translate(
            "ReviewPanel", "Plates and markings legible"
        ),
        "review.damage_consistent": QCoreApplication.translate(
            "ReviewPanel", "Damage matches the account"
        ),
        "review.duplicate_suspected": QCoreApplication.translate("ReviewPanel", "Not a duplicate"),
    }
    return labels.get(code, code)


def _delivery_label(state: str) -> str:
    labels = {
        "pending": QCoreApplication.translate("ReviewPanel", "waiting to be sent"),
        "sent": QCoreApplication.translate("ReviewPanel", "sent"),
        "queued": QCoreApplication.translate("ReviewPanel", "queued at the operator"),
        "delivered": QCoreApplication.translate("ReviewPanel", "delivered"),
        "failed": QCoreApplication.translate("ReviewPanel", "not delivered"),
        "dead": QCoreApplication.translate("ReviewPanel", "gave up sending"),
    }
    return labels.get(state, state)
