"""The determination seat's desk: shows the case (parties, record checks, photos), runs the
write-back with the letter rendered off the GUI thread, and shows the issued letter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.hall import cameras, determination, evidence, review
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.views.determination_panel import DeterminationPanel
from console.views.labels import photo_label
from console.views.messages import describe_error
from console.views.photo_viewer import PhotoItem, PhotoPanel
from console.views.place_map import PlaceMap
from console.views.review_desk import load_photo_items
from console.views.text_entry import TextEntryDialog
from console.workers.tasks import TaskRunner

log = logging.getLogger("console.ui")


def determine_with_letter(
    link: HallLink,
    actor: Actor,
    case_id: int,
    decision: determination.DeterminationInput,
    *,
    version: int,
    verification_base_url: str,
) -> determination.Determined:
    """Worker side: the use case with Qt's PDF renderer (importing it here keeps the GUI
    thread free of the font loading it does on first use)."""
    from console.reports.letter import render_letter_pdf

    return determination.determine_case(
        link.session_factory,
        actor,
        case_id,
        decision,
        expected_version=version,
        render=render_letter_pdf,
        verification_base_url=verification_base_url,
    )


def mediate_with_letter(
    link: HallLink,
    actor: Actor,
    case_id: int,
    text: str,
    *,
    version: int,
    verification_base_url: str,
) -> determination.Determined:
    """Worker side of the mediation result: the new letter version rendered here."""
    from console.reports.letter import render_letter_pdf

    return determination.record_mediation(
        link.session_factory,
        actor,
        case_id,
        mediation_text=text,
        expected_version=version,
        render=render_letter_pdf,
        verification_base_url=verification_base_url,
    )


@dataclass(frozen=True, slots=True)
class CaseEvidence:
    case_id: int
    surroundings: cameras.CaseSurroundings
    evidence: tuple[evidence.EvidenceItem, ...]


def load_case_evidence(link: HallLink, case_id: int) -> CaseEvidence:
    """Worker side: the place with its nearest cameras, and the footage kept for the case."""
    return CaseEvidence(
        case_id,
        cameras.case_surroundings(link.session_factory, case_id),
        tuple(evidence.list_evidence(link.session_factory, case_id)),
    )


class LetterDialog(QDialog):
    """The stored PDF, shown with Qt's PDF viewer: what the parties and insurers received."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(title)
        self.resize(820, 1000)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)


class DeterminationDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        cases_changed: Callable[[list[int]], None],
        verification_base_url: str,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self._cases_changed = cases_changed
        self._verification = verification_base_url
        self.panel = DeterminationPanel()
        self.photos = PhotoPanel()
        self.place_map = PlaceMap()
        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("case_evidence")
        self.evidence_list.setMaximumHeight(90)
        place = QWidget()
        place_layout = QVBoxLayout(place)
        place_layout.setContentsMargins(0, 0, 0, 0)
        place_layout.addWidget(QLabel(self.tr("Place and nearest cameras")))
        place_layout.addWidget(self.place_map, 1)
        place_layout.addWidget(QLabel(self.tr("Video evidence")))
        place_layout.addWidget(self.evidence_list)
        # Under the queue: the parties' photos beside the place and the footage.
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.addWidget(self.photos)
        self.bottom.addWidget(place)
        self.bottom.setStretchFactor(0, 3)
        self.bottom.setStretchFactor(1, 2)
        self._case_id: int | None = None
        self._photo_keys: tuple[str, ...] = ()
        self._evidence_case: int | None = None
        self._evidence_version: int | None = None
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self.letter_dialog: LetterDialog | None = None
        self.entry_dialog: TextEntryDialog | None = None
        # What was typed into a dialog whose save failed, per (kind, case): offered again.
        self._drafts: dict[tuple[str, int], str] = {}
        self.panel.confirm_requested.connect(self.confirm)
        self.panel.letter_requested.connect(self.show_letter)
        self.panel.objection_requested.connect(self.ask_objection)
        self.panel.mediation_requested.connect(self.ask_mediation)

    def start(self) -> None:
        for key, slot in (
            ("Ctrl+Return", self.panel.request_confirm),
            ("Ctrl+Enter", self.panel.request_confirm),
            ("Ctrl+P", self.panel.request_letter),
            ("Ctrl+Shift+O", self.panel.request_objection),
            ("Ctrl+Shift+M", self.panel.request_mediation),
        ):
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    def stop(self) -> None:
        self._stopped = True
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []

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

    def open_case(self, case_id: int, *, focus: bool = False) -> None:
        self._case_id = case_id
        if focus:
            self.panel.search.setFocus()
        self._submit(review.load_review, self.link.session_factory, case_id, on_done=self._loaded)

    def refresh(self, case_ids: Sequence[int]) -> None:
        if self._case_id is not None and self._case_id in case_ids:
            self.open_case(self._case_id)

    def _loaded(self, detail: review.ReviewDetail) -> None:
        if detail.case_id != self._case_id:
            return
        self.panel.show_case(detail, mine=detail.assignee_id == self.actor.user_id)
        if detail.state.value not in ("awaiting_determination", "determining"):
            case_id = detail.case_id

            def letter(view: determination.LetterView | None) -> None:
                if case_id == self._case_id:
                    self.panel.set_letter(view.letter_id if view is not None else None)

            self._submit(
                determination.current_letter, self.link.session_factory, case_id, on_done=letter
            )
        keys = tuple(p.sha256 for p in detail.photos)
        if keys != self._photo_keys:
            self._photo_keys = keys
            case_id = detail.case_id

            def shown(items: list[PhotoItem]) -> None:
                if case_id == self._case_id:
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

            self._submit(load_photo_items, self.link, detail.photos, on_done=shown)
        if detail.case_id != self._evidence_case or detail.version != self._evidence_version:
            self._evidence_case, self._evidence_version = detail.case_id, detail.version
            self._submit(load_case_evidence, self.link, detail.case_id, on_done=self._show_evidence)

    def _show_evidence(self, found: CaseEvidence) -> None:
        if found.case_id != self._case_id:
            return
        around = found.surroundings
        self.place_map.show_place(
            around.lat,
            around.lon,
            [
                (n.camera.id, n.camera.name, n.camera.lat, n.camera.lon, n.distance_m)
                for n in around.nearby
            ],
        )
        self.evidence_list.clear()
        for item in found.evidence:
            kind = self.tr("snapshot") if item.kind == "snapshot" else self.tr("clip")
            start = to_local(item.start_at)
            span = (
                f"{start:%H:%M:%S}"
                if item.kind == "snapshot"
                else f"{start:%H:%M:%S}–{to_local(item.end_at):%H:%M:%S}"
            )
            self.evidence_list.addItem(
                f"{item.camera_name} · {span} · {kind} · {item.taken_by_name} · "
                f"SHA-256 {item.sha256[:12]}…"
            )
        if not found.evidence:
            self.evidence_list.addItem(self.tr("No footage kept for this case yet."))

    def confirm(
        self, case_id: int, version: int, decision: determination.DeterminationInput
    ) -> None:
        self.panel.say(self.tr("Issuing the letter…"), ok=True)
        self._submit(
            determine_with_letter,
            self.link,
            self.actor,
            case_id,
            decision,
            version=version,
            verification_base_url=self._verification,
            on_done=self._determined,
        )

    def _determined(self, done: determination.Determined) -> None:
        self.panel.issued(done.letter_id, done.doc_no)
        self._cases_changed([done.change.case_id])

    def show_letter(self, letter_id: int) -> None:
        self._submit(
            determination.letter_pdf,
            self.link.session_factory,
            letter_id,
            on_done=self._show_pdf,
        )

    def _show_pdf(self, pdf: bytes) -> None:
        self.letter_dialog = LetterDialog(pdf, self.tr("Determination letter"), self.window)
        self.letter_dialog.open()

    # -- after the letter: objection and mediation -------------------------------------------
    def _ask(
        self, kind: str, case_id: int, title: str, prompt: str, then: Callable[[str], None]
    ) -> None:
        """Open the dialog (not modal-blocking: the seat keeps receiving updates) and hand the
        text on when accepted; what was typed is kept until the save succeeds."""
        dialog = TextEntryDialog(title, prompt, self._drafts.get((kind, case_id), ""), self.window)
        self.entry_dialog = dialog

        def finished(result: int) -> None:
            self.entry_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted.value and not self._stopped:
                self._drafts[(kind, case_id)] = dialog.text()
                then(dialog.text())

        dialog.finished.connect(finished)
        dialog.open()

    def ask_objection(self, case_id: int, version: int) -> None:
        self._ask(
            "objection",
            case_id,
            self.tr("Objection to the determination"),
            self.tr(
                "Which party objects, and to what. Objections are accepted until the end of "
                "the third day after the letter."
            ),
            lambda text: self.record_objection(case_id, version, text),
        )

    def record_objection(self, case_id: int, version: int, text: str) -> None:
        def done(change: Any) -> None:
            self._drafts.pop(("objection", case_id), None)
            self.panel.say(self.tr("Objection recorded; the case is disputed."), ok=True)
            self._cases_changed([change.case_id])

        self._submit(
            determination.raise_objection,
            self.link.session_factory,
            self.actor,
            case_id,
            reason=text,
            expected_version=version,
            on_done=done,
        )

    def ask_mediation(self, case_id: int, version: int) -> None:
        self._ask(
            "mediation",
            case_id,
            self.tr("Mediation result"),
            self.tr(
                "The result the parties agreed to. It is added to the letter as a new "
                "version with the same number; the old version is kept."
            ),
            lambda text: self.record_mediation(case_id, version, text),
        )

    def record_mediation(self, case_id: int, version: int, text: str) -> None:
        def done(result: determination.Determined) -> None:
            self._drafts.pop(("mediation", case_id), None)
            self.panel.set_letter(result.letter_id)
            self.panel.say(
                self.tr(
                    "Mediation recorded: letter {doc_no} reissued, parties and insurers notified."
                ).format(doc_no=result.doc_no),
                ok=True,
            )
            self._cases_changed([result.change.case_id])

        self.panel.say(self.tr("Reissuing the letter…"), ok=True)
        self._submit(
            mediate_with_letter,
            self.link,
            self.actor,
            case_id,
            text,
            version=version,
            verification_base_url=self._verification,
            on_done=done,
        )
