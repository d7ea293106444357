"""The determination seat's desk: shows the case (parties, record checks, photos), runs the
write-back with the letter rendered off the GUI thread, and shows the issued letter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from console.hall import determination, review
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.views.determination_panel import DeterminationPanel
from console.views.labels import photo_label
from console.views.messages import describe_error
from console.views.photo_viewer import PhotoItem, PhotoPanel
from console.views.review_desk import load_photo_items
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
        self._case_id: int | None = None
        self._photo_keys: tuple[str, ...] = ()
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self.letter_dialog: LetterDialog | None = None
        self.panel.confirm_requested.connect(self.confirm)
        self.panel.letter_requested.connect(self.show_letter)

    def start(self) -> None:
        for key, slot in (
            ("Ctrl+Return", self.panel.request_confirm),
            ("Ctrl+Enter", self.panel.request_confirm),
            ("Ctrl+P", self.panel.request_letter),
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
        **kwargs: Any,
    ) -> None:
        def live(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def guarded(value: Any) -> None:
                if not self._stopped:
                    callback(value)

            return guarded

        self.runner.submit(
            fn,
            *args,
            on_done=live(on_done) if on_done else None,
            on_failed=live(self._failed),
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
