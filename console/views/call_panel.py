"""The call panel: the ringing list, the call this seat holds, where to send it, and the open
cases it may belong to. It only shows and emits requests; `CallDesk` runs them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.positions import Position
from console.hall.call_queries import CallView, LinkCandidate, LinkReason, SeatEntry
from console.views.labels import position_label, state_label
from console.views.ringing_calls import RingingCallsModel, clock

TRANSFER_POSITIONS = (
    Position.REVIEW,
    Position.DETERMINATION,
    Position.RESCUE,
    Position.LOOKUP,
    Position.RECEPTION,
    Position.SUPERVISOR,
)


class CallPanel(QWidget):
    answer_requested = Signal(int)
    transfer_requested = Signal(int, str, str)  # call id, position ("" = none), seat ("" = none)
    hang_up_requested = Signal(int)
    link_requested = Signal(int, int)  # call id, case id

    def __init__(self, keys: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_panel")
        self._active: CallView | None = None
        self._answered_at: datetime | None = None

        self.model = RingingCallsModel(self)
        self.table = QTableView()
        self.table.setObjectName("ringing_calls")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.doubleClicked.connect(self._row_chosen)
        ringing = QGroupBox(
            self.tr("Ringing ({key} answers the oldest)").format(key=keys["answer"])
        )
        ringing_layout = QVBoxLayout(ringing)
        ringing_layout.addWidget(self.table)

        self.active_box = QGroupBox(self.tr("On the line"))
        self.caller = QLabel()
        self.caller.setObjectName("active_caller")
        self.caller.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.caller.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.place = QLabel()
        self.place.setWordWrap(True)
        self.duration = QLabel()
        self.duration.setObjectName("call_duration")
        self.case_label = QLabel()
        self.case_label.setObjectName("call_case")
        self.sms_note = QLabel()
        self.sms_note.setStyleSheet("color: #ef6c00;")
        self.target = QComboBox()
        self.target.setObjectName("transfer_target")
        self.transfer_button = QPushButton(self.tr("Transfer ({key})").format(key=keys["transfer"]))
        self.transfer_button.setObjectName("transfer")
        self.transfer_button.clicked.connect(self.request_transfer)
        self.hang_up_button = QPushButton(self.tr("Hang up ({key})").format(key=keys["hang_up"]))
        self.hang_up_button.setObjectName("hang_up")
        self.hang_up_button.clicked.connect(self.request_hang_up)
        form = QFormLayout(self.active_box)
        form.addRow(self.caller)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Talking"), self.duration)
        form.addRow(self.tr("Case"), self.case_label)
        form.addRow(self.sms_note)
        form.addRow(self.tr("Send to"), self.target)
        buttons = QHBoxLayout()
        buttons.addWidget(self.transfer_button)
        buttons.addWidget(self.hang_up_button)
        form.addRow(buttons)

        self.candidates_box = QGroupBox(
            self.tr("Maybe the same accident ({key} links)").format(key=keys["link"])
        )
        self.candidates = QListWidget()
        self.candidates.setObjectName("link_candidates")
        self.candidates.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.link_button = QPushButton(self.tr("Link the call to this case"))
        self.link_button.setObjectName("link_case")
        self.link_button.clicked.connect(self.request_link)
        candidates_layout = QVBoxLayout(self.candidates_box)
        candidates_layout.addWidget(self.candidates)
        candidates_layout.addWidget(self.link_button)

        self.message = QLabel()
        self.message.setObjectName("call_message")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(ringing, 2)
        layout.addWidget(self.active_box)
        layout.addWidget(self.candidates_box, 1)
        layout.addWidget(self.message)
        self.set_transfer_targets([])
        self.show_active(None)

    # -- showing -------------------------------------------------------------------------------
    def show_ringing(self, calls: Sequence[CallView]) -> None:
        self.model.set_calls(calls)

    def tick(self) -> None:
        now = datetime.now(UTC)
        self.model.tick(now)
        if self._active is not None and self._answered_at is not None:
            self.duration.setText(clock((now - self._answered_at).total_seconds()))

    def show_active(self, call: CallView | None) -> None:
        """The call this seat holds (None: not on a call)."""
        same = call is not None and self._active is not None and call.id == self._active.id
        self._active = call
        held = call is not None
        self.transfer_button.setEnabled(held)
        self.hang_up_button.setEnabled(held)
        self.target.setEnabled(held)
        if call is None:
            self._answered_at = None
            self.caller.setText(self.tr("Not on a call"))
            self.place.setText("—")
            self.duration.setText("—")
            self.case_label.setText("—")
            self.sms_note.clear()
            self.show_candidates([])
            return
        if not same:
            self._answered_at = datetime.now(UTC)
        self.caller.setText(
            call.caller_phone + (f"  {call.caller_name}" if call.caller_name else "")
        )
        self.place.setText(
            " · ".join(p for p in (call.district, call.place_text) if p) or self.tr("not given")
        )
        self.case_label.setText(call.case_no or self.tr("no case yet"))
        self.sms_note.setText(
            "" if call.can_text else self.tr("Landline: ask for a mobile number for the SMS.")
        )
        self.tick()

    def active_call(self) -> CallView | None:
        return self._active

    def show_candidates(self, candidates: Sequence[LinkCandidate]) -> None:
        self.candidates.clear()
        for candidate in candidates:
            reasons = "、".join(self._reason_label(r) for r in candidate.reasons)
            text = self.tr(
                "{case_no} · {state} · {place} · {reasons} · {minutes} min apart"
            ).format(
                case_no=candidate.case_no,
                state=state_label(candidate.state),
                place=candidate.place_text,
                reasons=reasons,
                minutes=round(candidate.minutes_apart),
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, candidate.case_id)
            self.candidates.addItem(item)
        if candidates:
            self.candidates.setCurrentRow(0)
        self.candidates_box.setVisible(bool(candidates))

    def _reason_label(self, reason: LinkReason) -> str:
        if reason is LinkReason.PHONE:
            return self.tr("same phone")
        if reason is LinkReason.PLATE:
            return self.tr("same plate")
        return self.tr("nearby")

    def set_transfer_targets(
        self, seats: Sequence[SeatEntry], *, own_seat: str = "", suggested: Position | None = None
    ) -> None:
        current = self.target.currentData()
        self.target.clear()
        for position in TRANSFER_POSITIONS:
            self.target.addItem(
                self.tr("{position} (any seat)").format(position=position_label(position)),
                ("position", position.value),
            )
        for seat in seats:
            if seat.name != own_seat:
                self.target.addItem(
                    self.tr("Seat {seat} · {position}").format(
                        seat=seat.name, position=position_label(seat.position)
                    ),
                    ("seat", seat.name),
                )
        wanted = ("position", suggested.value) if suggested is not None else current
        index = self.target.findData(wanted)
        self.target.setCurrentIndex(max(index, 0))

    def suggest_target(self, position: Position) -> None:
        index = self.target.findData(("position", position.value))
        if index >= 0:
            self.target.setCurrentIndex(index)

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    # -- requests ------------------------------------------------------------------------------
    def _row_chosen(self, index: QModelIndex) -> None:
        call = self.model.call_at(index.row())
        if call is not None:
            self.answer_requested.emit(call.id)

    def request_transfer(self) -> None:
        if self._active is None:
            return
        kind, value = self.target.currentData() or ("", "")
        position = value if kind == "position" else ""
        seat = value if kind == "seat" else ""
        self.transfer_requested.emit(self._active.id, position, seat)

    def request_hang_up(self) -> None:
        if self._active is not None:
            self.hang_up_requested.emit(self._active.id)

    def request_link(self) -> None:
        item = self.candidates.currentItem()
        if self._active is not None and item is not None:
            self.link_requested.emit(self._active.id, int(item.data(Qt.ItemDataRole.UserRole)))
