"""The seat's own work panel: what this position can do with the selected case.

Until a seat has its dedicated view (reception, review, determination … from later issues),
this panel offers the lifecycle moves that need nothing but an optional reason, plus claim
and release. Moves that need their own form (grades, an evacuation order, a determination)
are left to those views. The panel only emits requests; the seat session runs them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.lifecycle import CaseState, allowed_moves
from console.hall.actor import Actor
from console.hall.queries import QueueRow
from console.views.labels import action_label, position_label, state_label

NEEDS_OWN_FORM = frozenset(
    {
        "record_agreement",  # grades from the parties' agreement
        "determine",  # the determination pane and letter
        "approve_materials",  # the review checklist and evacuation SMS
        "return_materials",  # return reason codes and SMS
        "notify_insurers",  # the push to insurers
        "start_determination",  # taking a task is "claim"
        "release_determination",  # giving it back is "release"
        "open_claims",
        "settle",
        "record_mediation",
    }
)


class SeatPanel(QWidget):
    move_requested = Signal(int, str, str, int)  # case id, target state, reason, version
    claim_requested = Signal(int)
    release_requested = Signal(int)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seat_panel")
        self._actor = actor
        self._row: QueueRow | None = None
        self.title = QLabel(
            self.tr("{position} seat").format(position=position_label(actor.position))
        )
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.case_label = QLabel(self.tr("No case selected"))
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("Reason (required for some steps)"))
        self.claim_button = QPushButton(self.tr("Claim (F2 takes next)"))
        self.claim_button.clicked.connect(self._claim)
        self.release_button = QPushButton(self.tr("Release (Esc)"))
        self.release_button.clicked.connect(self._release)
        self.moves_box = QGroupBox(self.tr("Next steps"))
        self.moves_layout = QGridLayout(self.moves_box)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.case_label)
        layout.addWidget(self.claim_button)
        layout.addWidget(self.release_button)
        layout.addWidget(self.reason)
        layout.addWidget(self.moves_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.show_case(None)

    def show_case(self, row: QueueRow | None) -> None:
        """Show the moves for `row`; keeps the typed reason if the same case is refreshed."""
        if row is None or self._row is None or row.case_id != self._row.case_id:
            self.message.clear()
        self._row = row
        while self.moves_layout.count():
            item = self.moves_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if row is None:
            self.case_label.setText(self.tr("No case selected"))
            self.claim_button.setEnabled(False)
            self.release_button.setEnabled(False)
            return
        mine = row.assignee_id == self._actor.user_id
        self.case_label.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=row.case_no, state=state_label(row.state)
            )
        )
        self.claim_button.setEnabled(row.assignee_id is None)
        self.release_button.setEnabled(mine)
        moves = [
            m
            for m in allowed_moves(CaseState(row.state), self._actor.position)
            if m.action not in NEEDS_OWN_FORM
        ]
        for index, move in enumerate(moves):
            button = QPushButton(action_label(move.action))
            button.setObjectName(f"move_{move.action}")
            if move.needs_reason:
                button.setToolTip(self.tr("Needs a reason"))
            button.clicked.connect(lambda _checked=False, m=move: self._move(m.target.value))
            self.moves_layout.addWidget(button, index // 2, index % 2)

    def _move(self, target: str) -> None:
        if self._row is not None:
            self.message.clear()
            self.move_requested.emit(
                self._row.case_id, target, self.reason.text(), self._row.version
            )

    def _claim(self) -> None:
        if self._row is not None:
            self.claim_requested.emit(self._row.case_id)

    def _release(self) -> None:
        if self._row is not None:
            self.release_requested.emit(self._row.case_id)

    def move_succeeded(self) -> None:
        self.reason.clear()
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(self.tr("Done."))

    def move_failed(self, text: str) -> None:
        """Show why; the typed reason stays so nothing has to be typed again."""
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(text)
