"""Case detail: the facts, the parties and their vehicles, and the full event timeline.

The facts can be corrected here (place, district, notes). A save runs through the seat
session; if it is refused — someone else changed the case, the case was claimed by another
seat — the typed text stays in the form with the reason beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.hall.queries import CaseDetail
from console.views.labels import position_label, state_label


def _when(moment: datetime | None) -> str:
    return to_local(moment).strftime("%m-%d %H:%M:%S") if moment else "—"


class CaseDetailPanel(QWidget):
    save_requested = Signal(int, int, dict)  # case id, version the form was loaded at, changes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_detail")
        self.detail: CaseDetail | None = None
        self.title = QLabel(self.tr("No case open"))
        self.title.setObjectName("case_title")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("case_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.district = QLineEdit()
        self.district.setObjectName("district")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(70)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        facts = QGroupBox(self.tr("Facts"))
        form = QFormLayout(facts)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("District"), self.district)
        form.addRow(self.tr("Notes"), self.notes)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        form.addRow(row)
        for editor in (self.place, self.district):
            editor.textEdited.connect(self._mark_dirty)
        self.notes.textChanged.connect(self._notes_changed)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)

        self.parties = self._table(
            [
                self.tr("Party"),
                self.tr("Name"),
                self.tr("Phone"),
                self.tr("Plate"),
                self.tr("Vehicle"),
                self.tr("Insurer"),
                self.tr("Policy"),
                self.tr("Liability"),
            ]
        )
        self.parties.setObjectName("parties")
        self.timeline = self._table(
            [
                self.tr("Time"),
                self.tr("Step"),
                self.tr("By"),
                self.tr("Seat"),
                self.tr("Position"),
                self.tr("Reason"),
            ]
        )
        self.timeline.setObjectName("timeline")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(facts)
        layout.addWidget(QLabel(self.tr("Parties and vehicles")))
        layout.addWidget(self.parties, 1)
        layout.addWidget(QLabel(self.tr("Timeline")))
        layout.addWidget(self.timeline, 2)
        self._dirty = False
        self._loading = False
        self.show_detail(None)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # -- showing ----------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Typed but not saved: the seat asks before this is thrown away."""
        return self._dirty

    def show_detail(self, detail: CaseDetail | None) -> None:
        """Show a case; a refresh of the same case keeps unsaved typing in the form."""
        same_case = (
            detail is not None and self.detail is not None and detail.case_id == self.detail.case_id
        )
        self.detail = detail
        enabled = detail is not None
        for widget in (self.place, self.district, self.notes, self.save_button):
            widget.setEnabled(enabled)
        if detail is None:
            self.title.setText(self.tr("No case open"))
            self.summary.clear()
            self.parties.setRowCount(0)
            self.timeline.setRowCount(0)
            self._set_form("", "", "")
            return
        self.title.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=detail.case_no, state=state_label(detail.state)
            )
        )
        holder = detail.assignee_name or self.tr("nobody")
        self.summary.setText(
            self.tr(
                "Waiting on: {owner} · handled by: {holder} · occurred {occurred} · "
                "opened {created} · caller {phone}"
            ).format(
                owner=position_label(detail.owner_position),
                holder=holder,
                occurred=_when(detail.occurred_at),
                created=_when(detail.created_at),
                phone=detail.caller_phone or "—",
            )
        )
        if not (same_case and self._dirty):
            self._set_form(detail.place, detail.district or "", detail.notes)
        self._fill_parties(detail)
        self._fill_timeline(detail)

    def _set_form(self, place: str, district: str, notes: str) -> None:
        self._loading = True
        self.place.setText(place)
        self.district.setText(district)
        self.notes.setPlainText(notes)
        self._loading = False
        self._dirty = False
        self.message.clear()

    def _fill_parties(self, detail: CaseDetail) -> None:
        self.parties.setRowCount(len(detail.parties))
        for row, party in enumerate(detail.parties):
            values = [
                {"A": "甲", "B": "乙", "C": "丙"}.get(party.letter, party.letter),
                party.name,
                party.phone or "",
                party.plate_no or "",
                party.vehicle_type or "",
                party.insurer_name_zh or "",
                party.policy_no or "",
                _grade(party.grade),
            ]
            for column, value in enumerate(values):
                self.parties.setItem(row, column, QTableWidgetItem(value))

    def _fill_timeline(self, detail: CaseDetail) -> None:
        self.timeline.setRowCount(len(detail.timeline))
        for row, entry in enumerate(detail.timeline):
            if entry.from_state is not None and entry.to_state is not None:
                step = f"{state_label(entry.from_state)} → {state_label(entry.to_state)}"
            elif entry.to_state is not None:
                step = state_label(entry.to_state)
            else:
                step = self._kind(entry.kind)
            values = [
                _when(entry.at),
                step,
                entry.actor_name or "",
                entry.seat or "",
                position_label(entry.position) if entry.position else "",
                entry.reason or self._answer(entry.kind, entry.details),
            ]
            for column, value in enumerate(values):
                self.timeline.setItem(row, column, QTableWidgetItem(value))
        self.timeline.scrollToBottom()

    def _answer(self, kind: str, details: Mapping[str, Any]) -> str:
        """An insurer's answer in words: who, for which party, how far the claim is."""
        insurer, party = str(details.get("insurer", "")), str(details.get("party", ""))
        if kind == "insurer_declined":
            return self.tr("{insurer} for party {party}: {note}").format(
                insurer=insurer, party=party, note=str(details.get("note") or "")
            )
        if kind != "insurer_answered":
            return ""
        stages = {
            "notified": self.tr("notified"),
            "reported": self.tr("reported"),
            "surveying": self.tr("surveying"),
            "assessed": self.tr("assessed"),
            "paid": self.tr("paid"),
        }
        stage = str(details.get("stage", ""))
        text = self.tr("{insurer} for party {party}: {note}").format(
            insurer=insurer, party=party, note=stages.get(stage, stage)
        )
        if details.get("report_no"):
            text += " · " + self.tr("report no. {no}").format(no=details["report_no"])
        if details.get("paid_amount"):
            text += " · " + self.tr("paid {amount} yuan").format(amount=details["paid_amount"])
        elif details.get("assessed_amount"):
            text += " · " + self.tr("assessed {amount} yuan").format(
                amount=details["assessed_amount"]
            )
        return text

    def _kind(self, kind: str) -> str:
        kinds = {
            "created": self.tr("Opened"),
            "claimed": self.tr("Claimed"),
            "released": self.tr("Released"),
            "taken_over": self.tr("Taken over"),
            "edited": self.tr("Edited"),
            "call_linked": self.tr("Call linked"),
            "call_answered": self.tr("Call answered"),
            "call_transferred": self.tr("Call transferred"),
            "call_ended": self.tr("Call ended"),
            "caller_hung_up": self.tr("Caller hung up"),
            "call_abandoned": self.tr("Caller hung up before answer"),
            "guidance_sms_queued": self.tr("Guidance SMS queued"),
            "materials_received": self.tr("Parties' upload received"),
            "records_checked": self.tr("Records checked"),
            "sms_sent": self.tr("SMS sent"),
            "sms_delivered": self.tr("SMS delivered"),
            "sms_failed": self.tr("SMS not delivered"),
            "delivery_failed": self.tr("Sending given up"),
            "insurer_answered": self.tr("Insurer answered"),
            "insurer_declined": self.tr("Insurer declined the claim"),
            "evidence_attached": self.tr("Video evidence attached"),
            "claim_taken": self.tr("Claim taken by the insurer"),
            "claim_assessed": self.tr("Loss assessed"),
            "claim_paid": self.tr("Payout recorded"),
            "complaint_filed": self.tr("Non-payment complaint filed"),
            "complaint_contacted": self.tr("Insurer called about the complaint"),
            "complaint_sanctioned": self.tr("Insurer sanctioned, plate watch-listed"),
            "complaint_paid": self.tr("Complaint closed: paid"),
            "checkpoint_hit": self.tr("Watch-listed plate seen at a checkpoint"),
            "helper_linked": self.tr("Citizen helper linked"),
        }
        return kinds.get(kind, kind)

    # -- editing ----------------------------------------------------------------------------
    def _mark_dirty(self, *_args: Any) -> None:
        if not self._loading:
            self._dirty = True

    def _notes_changed(self) -> None:
        self._mark_dirty()

    def changes(self) -> dict[str, Any]:
        detail = self.detail
        if detail is None:
            return {}
        typed = {
            "place_text": self.place.text().strip(),
            "district": self.district.text().strip() or None,
            "notes": self.notes.toPlainText(),
        }
        current = {"place_text": detail.place, "district": detail.district, "notes": detail.notes}
        return {k: v for k, v in typed.items() if v != current[k]}

    def save(self) -> None:
        detail = self.detail
        if detail is None:
            return
        changes = self.changes()
        if not changes:
            self.message.setText(self.tr("Nothing to save."))
            return
        self.message.setStyleSheet("color: #555;")
        self.message.setText(self.tr("Saving…"))
        self.save_button.setEnabled(False)
        self.save_requested.emit(detail.case_id, detail.version, changes)

    def save_succeeded(self) -> None:
        self._dirty = False
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(self.tr("Saved."))

    def save_failed(self, text: str) -> None:
        """Say why and keep every typed character in the form."""
        self.save_button.setEnabled(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(text)


def _grade(grade: str | None) -> str:
    return {
        "full": "全部",
        "main": "主要",
        "equal": "同等",
        "minor": "次要",
        "none": "无",
    }.get(grade or "", "")
