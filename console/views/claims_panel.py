"""The claims seat's work area: the company's notification queue above the open case (claims
with their stage strips, assessment, knock-for-knock verdict, payout).

Keys: F2 takes the selected claim (in the queue; elsewhere in the pane, the claim shown), Enter
in the queue opens its case and Esc in the form goes back to the queue. The desk binds the
window-wide keys (Ctrl+Enter, Ctrl+Shift+P, Ctrl+P) to the form's requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.hall.claims import ClaimRow, ClaimsCase
from console.views.assessment_form import AssessmentForm
from console.views.claims_queue import ClaimQueueView


class ClaimsPanel(QWidget):
    take_requested = Signal(int)  # claim id
    claim_opened = Signal(int, int)  # case id, claim id

    def __init__(self, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claims_panel")
        self.setWindowTitle(self.tr("Claims"))
        self.queue = ClaimQueueView(user_id)
        self.form = AssessmentForm(user_id)
        scroll = QScrollArea()
        scroll.setObjectName("claims_case_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("claims_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([260, 650])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        take = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        take.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        take.activated.connect(self.request_take)
        self.queue.claim_opened.connect(self._claim_opened)
        self.form.take_requested.connect(self.take_requested)
        self.form.installEventFilter(self)
        for field in (self.form.parts, self.form.amount, self.form.shop, self.form.payout_amount):
            field.installEventFilter(self)

    # -- showing -----------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[ClaimRow]) -> None:
        self.queue.model.set_rows(rows)

    def apply_rows(self, rows: Iterable[ClaimRow], case_ids: Iterable[int]) -> None:
        self.queue.model.apply_rows(rows, case_ids)

    def show_case(self, case: ClaimsCase | None, claim_id: int | None) -> None:
        self.form.show_case(case, claim_id)

    def select_case(self, case_id: int, claim_id: int | None = None) -> bool:
        """Highlight the case's claim in the queue (the given one, else its first)."""
        claims = self.queue.model.claims_of_case(case_id)
        wanted = [c.claim_id for c in claims if c.claim_id == claim_id] or [
            c.claim_id for c in claims
        ]
        return any(self.queue.select_claim(c) for c in wanted)

    def tick(self, now: datetime) -> None:
        self.queue.tick(now)
        self.form.tick(now)

    def say(self, text: str, *, ok: bool) -> None:
        self.form.say(text, ok=ok)

    # -- requests ----------------------------------------------------------------------------
    def request_take(self) -> None:
        """F2: the claim highlighted in the queue while the queue has the focus, else the
        claim shown in the form."""
        focus = QApplication.focusWidget()
        in_queue = focus is not None and (focus is self.queue or self.queue.isAncestorOf(focus))
        chosen = self.queue.current_claim() if in_queue else None
        if chosen is None and self.form.claim is not None:
            chosen = self.form.claim.claim_id
        if chosen is None:
            chosen = self.queue.current_claim()
        if chosen is not None:
            self.take_requested.emit(chosen)

    def _claim_opened(self, claim_id: int) -> None:
        row = self.queue.model.claim_row(claim_id)
        if row is not None:
            self.claim_opened.emit(row.case_id, claim_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Esc in the case pane goes back to the queue."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.queue.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)
