"""The claims seat's desk: an insurer's adjuster works through the company's notifications
(claims pushed with the letter or the agreement), takes one, records the loss assessment and
the payout; the case settles when every claim on it is paid.

Every read and write is a use case of `console.hall.claims` run by the task runner; the desk
hands results to the panel and refreshes from what changed. Reads that come back out of order
(two worker threads) are dropped when a newer one for the same case has been shown.

Work area (`panel`, title "Claims"): the queue above the open case. Bottom (`bottom`, title
"Letter and photos"): the parties' photos beside the letter in force and the kept footage.
Keys: F2 take, Enter open, Ctrl+Enter save the assessment, Ctrl+Shift+P record the payout,
Ctrl+P show the letter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.domain.lifecycle import CaseState
from console.hall import claims, determination
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.views.assessment_form import AssessmentRequest
from console.views.claims_panel import ClaimsPanel
from console.views.determination_desk import LetterDialog
from console.views.labels import photo_label
from console.views.messages import describe_error
from console.views.photo_viewer import PhotoItem, PhotoPanel
from console.views.review_desk import load_photo_items
from console.workers.gateway_link import GatewayLink
from console.workers.tasks import TaskRunner

log = logging.getLogger("console.ui")

TICK_MS: Final = 1000
"""The queue's timers and the case clock repaint once a second, from one timer."""


class ClaimsDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        cases_changed: Callable[[list[int]], None],
        gateway_link: GatewayLink | None = None,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        # Insurer answers and the outbox run in the gateway link; the seat session wakes the
        # outbox after every write reported through `cases_changed`.
        self.gateway_link = gateway_link
        self._cases_changed = cases_changed
        self.title = self.tr("Claims")
        self.panel = ClaimsPanel(actor.user_id)
        self.form = self.panel.form

        self.photos = PhotoPanel()
        self.letter_box = QGroupBox(self.tr("Determination letter"))
        self.letter_label = QLabel()
        self.letter_label.setObjectName("claims_letter")
        self.letter_label.setWordWrap(True)
        self.letter_button = QPushButton(self.tr("Show the letter (Ctrl+P)"))
        self.letter_button.setObjectName("claims_letter_button")
        self.letter_button.setEnabled(False)
        letter_layout = QVBoxLayout(self.letter_box)
        letter_layout.addWidget(self.letter_label)
        letter_layout.addWidget(self.letter_button)
        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("claims_evidence")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.letter_box)
        side_layout.addWidget(QLabel(self.tr("Video evidence")))
        side_layout.addWidget(self.evidence_list, 1)
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.setObjectName("claims_bottom")
        self.bottom.setWindowTitle(self.tr("Letter and photos"))
        self.bottom.addWidget(self.photos)
        self.bottom.addWidget(side)
        self.bottom.setStretchFactor(0, 3)
        self.bottom.setStretchFactor(1, 1)
        self.bottom.setSizes([780, 300])

        self._case_id: int | None = None
        self._claim_id: int | None = None
        self._case: claims.ClaimsCase | None = None
        # Where the keyboard goes once the case is shown: only a view loaded after the request
        # counts (a load already under way may bring the case as it was before a take).
        self._focus_from: int | None = None
        self._photo_keys: tuple[str, ...] = ()
        self._generation = 0
        self._rows_applied: dict[int, int] = {}  # case id -> generation of the rows shown
        self._view_applied = 0
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self.letter_dialog: LetterDialog | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

        self.panel.take_requested.connect(self.take)
        self.panel.claim_opened.connect(self.open_claim)
        self.form.assess_requested.connect(self.assess)
        self.form.pay_requested.connect(self.pay)
        self.form.letter_requested.connect(self.show_letter)
        self.letter_button.clicked.connect(self.form.request_letter)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        for key, slot in (
            ("Ctrl+Return", self.form.request_assess),
            ("Ctrl+Enter", self.form.request_assess),
            ("Ctrl+Shift+P", self.form.request_pay),
            ("Ctrl+P", self.form.request_letter),
        ):
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self._ticker.start()
        if self.actor.org_id is None:
            self.panel.say(
                self.tr("This account belongs to no insurer; it has no claims."), ok=False
            )
            return
        self._load_rows(None)

    def stop(self) -> None:
        self._stopped = True
        self._ticker.stop()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        if self.letter_dialog is not None:
            self.letter_dialog.close()
            self.letter_dialog = None

    @property
    def dirty(self) -> bool:
        """An assessment or payout typed and not saved (the seat asks before closing)."""
        return self.form.dirty

    @property
    def case_view(self) -> claims.ClaimsCase | None:
        """The case shown, as last read."""
        return self._case

    # -- running -----------------------------------------------------------------------------
    def _submit(
        self,
        fn: Any,
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Through the task runner; nothing after sign-out (`TaskRunner.submit_while`)."""
        self.runner.submit_while(
            lambda: not self._stopped,
            fn,
            *args,
            on_done=on_done,
            on_failed=on_failed or self._failed,
            **kwargs,
        )

    def _failed(self, error: BaseException) -> None:
        self.panel.say(describe_error(error), ok=False)

    def _tick(self) -> None:
        self.panel.tick(datetime.now(UTC))

    # -- reading -----------------------------------------------------------------------------
    def _load_rows(self, case_ids: Sequence[int] | None) -> None:
        """The company's claims: all of them (None), or those of some cases."""
        org_id = self.actor.org_id
        if org_id is None:
            return
        generation = self._next_generation()
        asked = sorted(set(case_ids)) if case_ids is not None else None

        def loaded(rows: list[claims.ClaimRow]) -> None:
            if asked is None:
                self.panel.set_rows(rows)
                newer = [c for c, g in self._rows_applied.items() if g > generation]
                if newer:
                    self._load_rows(newer)  # refreshed meanwhile: the full load was older
                if self._case_id is not None:
                    self.panel.select_case(self._case_id, self._claim_id)
                return
            fresh = [c for c in asked if self._rows_applied.get(c, 0) < generation]
            for case_id in fresh:
                self._rows_applied[case_id] = generation
            if fresh:
                self.panel.apply_rows([r for r in rows if r.case_id in fresh], fresh)

        self._submit(
            claims.claims_of_company,
            self.link.session_factory,
            org_id,
            case_ids=asked,
            on_done=loaded,
        )

    def refresh(self, case_ids: Sequence[int]) -> None:
        """The change feed (or this seat) changed these cases."""
        ids = sorted(set(case_ids))
        if not ids or self._stopped:
            return
        self._load_rows(ids)
        if self._case_id in ids:
            self._load_case()

    def open_case(self, case_id: int, focus: bool = False) -> None:
        """The seat's queue opened a case: show it with the company's first open claim."""
        if self._case_id != case_id:
            self._claim_id = None
        self._case_id = case_id
        self._focus_from = self._generation + 1 if focus else None
        self.panel.select_case(case_id, self._claim_id)
        self._load_case()

    def open_claim(self, case_id: int, claim_id: int) -> None:
        """Enter on a claim in the queue."""
        self._case_id, self._claim_id = case_id, claim_id
        self._focus_from = self._generation + 1
        self._load_case()

    def _next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def _load_case(self) -> None:
        org_id, case_id = self.actor.org_id, self._case_id
        if org_id is None or case_id is None:
            return
        generation = self._next_generation()

        def failed(error: BaseException) -> None:
            if case_id == self._case_id:
                self._case = None
                self.panel.show_case(None, None)
                self.panel.say(describe_error(error), ok=False)

        self._submit(
            claims.claims_case,
            self.link.session_factory,
            org_id,
            case_id,
            on_done=lambda view: self._case_loaded(view, generation),
            on_failed=failed,
        )

    def _case_loaded(self, view: claims.ClaimsCase, generation: int) -> None:
        if view.case_id != self._case_id or generation < self._view_applied:
            return
        self._view_applied = generation
        self._case = view
        claim = view.claim(self._claim_id) or view.first_open_claim()
        self._claim_id = claim.claim_id if claim is not None else None
        self.panel.show_case(view, self._claim_id)
        self._show_letter_box(view)
        self._show_evidence(view)
        self._load_photos(view)
        if self._focus_from is not None and generation >= self._focus_from:
            self._focus_from = None
            if self.form.parts.isEnabled() or self.form.payout_amount.isEnabled():
                self.form.focus_form()
            else:
                self.panel.select_case(view.case_id, self._claim_id)
                self.panel.queue.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_letter_box(self, view: claims.ClaimsCase) -> None:
        if view.doc_no is not None:
            self.letter_label.setText(
                self.tr("Letter {doc_no}, version {version}").format(
                    doc_no=view.doc_no, version=view.letter_version or 1
                )
            )
        else:
            self.letter_label.setText(
                self.tr("No determination letter: the parties agreed, or it is not issued yet.")
            )
        self.letter_button.setEnabled(view.letter_id is not None)

    def _show_evidence(self, view: claims.ClaimsCase) -> None:
        self.evidence_list.clear()
        for item in view.evidence:
            kind = self.tr("snapshot") if item.kind == "snapshot" else self.tr("clip")
            start = to_local(item.start_at)
            span = (
                f"{start:%H:%M:%S}"
                if item.kind == "snapshot"
                else f"{start:%H:%M:%S}–{to_local(item.end_at):%H:%M:%S}"
            )
            self.evidence_list.addItem(f"{item.camera_name} · {span} · {kind}")
        if not view.evidence:
            self.evidence_list.addItem(self.tr("No footage kept for this case."))

    def _load_photos(self, view: claims.ClaimsCase) -> None:
        keys = (str(view.case_id), *(p.sha256 for p in view.photos))
        if keys == self._photo_keys:
            return
        self._photo_keys = keys
        case_id = view.case_id

        def shown(items: list[PhotoItem]) -> None:
            if case_id != self._case_id:
                return
            self.photos.set_photos(
                [
                    PhotoItem(
                        key=i.key,
                        kind=i.kind,
                        party_letter=i.party_letter,
                        caption=(f"{i.party_letter} · " if i.party_letter else "")
                        + photo_label(i.kind),
                        image=i.image,
                        refused_reason=i.refused_reason,
                    )
                    for i in items
                ]
            )

        self._submit(load_photo_items, self.link, view.photos, on_done=shown)

    # -- writing -----------------------------------------------------------------------------
    def _after_write(self, case_id: int) -> None:
        self._load_rows([case_id])
        if case_id == self._case_id:
            self._load_case()
        self._cases_changed([case_id])

    def _write_failed(self, error: BaseException) -> None:
        """Say why; read the case again (what was typed stays in the form)."""
        self.panel.say(describe_error(error), ok=False)
        if self._case_id is not None:
            self._load_rows([self._case_id])
            self._load_case()

    def take(self, claim_id: int) -> None:
        row = self.panel.queue.model.claim_row(claim_id)
        if row is not None and row.assignee_id == self.actor.user_id and row.stage != "paid":
            self.open_claim(row.case_id, claim_id)  # already this adjuster's: no second take
            return
        self.panel.say(self.tr("Taking the claim…"), ok=True)
        self._submit(
            claims.take_claim,
            self.link.session_factory,
            self.actor,
            claim_id,
            on_done=self._taken,
            on_failed=self._write_failed,
        )

    def _taken(self, change: claims.ClaimChange) -> None:
        self.panel.say(
            self.tr("You took the claim on case {case_no}.").format(case_no=change.case_no),
            ok=True,
        )
        self._case_id, self._claim_id = change.case_id, change.claim_id
        self._focus_from = self._generation + 1
        self._after_write(change.case_id)

    def assess(self, request: AssessmentRequest) -> None:
        self.panel.say(self.tr("Saving the assessment…"), ok=True)

        def done(change: claims.ClaimChange) -> None:
            self.form.assessment_saved()
            self.panel.say(
                self.tr(
                    "Assessment of {amount} yuan recorded on case {case_no}; Ctrl+Shift+P "
                    "records the payout."
                ).format(amount=f"{request.amount:,.2f}", case_no=change.case_no),
                ok=True,
            )
            self._after_write(change.case_id)

        self._submit(
            claims.record_assessment,
            self.link.session_factory,
            self.actor,
            request.claim_id,
            expected_version=request.version,
            damaged_parts=list(request.damaged_parts),
            amount=request.amount,
            repair_shop=request.repair_shop,
            knock_for_knock=request.knock_for_knock,
            on_done=done,
            on_failed=self._write_failed,
        )

    def pay(self, claim_id: int, version: int, amount: Decimal) -> None:
        self.panel.say(self.tr("Recording the payout…"), ok=True)

        def done(change: claims.ClaimChange) -> None:
            self.form.payout_saved()
            if change.case_state is CaseState.SETTLED:
                text = self.tr(
                    "Payout of {amount} yuan recorded; every claim on case {case_no} is paid "
                    "and the case is settled."
                )
            else:
                text = self.tr(
                    "Payout of {amount} yuan recorded; case {case_no} stays open until the "
                    "other claims are paid."
                )
            self.panel.say(
                text.format(amount=f"{amount:,.2f}", case_no=change.case_no),
                ok=True,
            )
            self._after_write(change.case_id)

        self._submit(
            claims.record_payout,
            self.link.session_factory,
            self.actor,
            claim_id,
            expected_version=version,
            amount=amount,
            paid_at=datetime.now(UTC),
            on_done=done,
            on_failed=self._write_failed,
        )

    def show_letter(self, letter_id: int) -> None:
        self._submit(
            determination.letter_pdf,
            self.link.session_factory,
            letter_id,
            insurer_org_id=self.actor.org_id,
            on_done=self._show_pdf,
        )

    def _show_pdf(self, pdf: bytes) -> None:
        if self.letter_dialog is not None:
            self.letter_dialog.close()
        self.letter_dialog = LetterDialog(pdf, self.tr("Determination letter"), self.window)
        self.letter_dialog.open()
