"""The review seat's desk: opens a case's photos and checklist, runs the decisions.

Loading runs on the task runner: the case's review detail first, then the photo bytes, then
decoding (full size for the viewer, off the GUI thread). Decisions are use cases; the
checklist they check is recomputed from the database, so the panel cannot approve what the
records no longer support. Keys: Ctrl+Enter approve, Ctrl+R return, Ctrl+E escalate, F5 ask
the records again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from console.domain.lifecycle import CaseState
from console.domain.review import CheckStatus, Judgements
from console.hall import cases, review
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.views.labels import photo_label
from console.views.messages import describe_error
from console.views.photo_viewer import PhotoItem, PhotoPanel, decode_photo
from console.views.review_panel import ReviewPanel
from console.workers.tasks import TaskRunner

log = logging.getLogger("console.ui")

DECODERS = 2
VIEW_MAX_SIDE = 2400
"""Photos are scaled to this for the viewer: enough to read a plate, a third of the memory."""


def load_photo_items(link: HallLink, photos: Sequence[review.PhotoRef]) -> list[PhotoItem]:
    """Fetch and decode a case's photos (worker thread), two at a time: decoding is most of
    the cost and Qt's decoder runs outside the GIL. Captions are filled on the GUI side."""
    data = review.load_photos(link.session_factory, [p.sha256 for p in photos])

    def decode(ref: review.PhotoRef) -> PhotoItem:
        image = decode_photo(data.get(ref.sha256, b""), VIEW_MAX_SIDE)
        return PhotoItem(
            key=ref.sha256,
            kind=ref.kind,
            party_letter=ref.party_letter,
            caption="",
            image=image if image is not None else QImage(),
            refused_reason=None if image is not None else "undecodable",
        )

    with ThreadPoolExecutor(max_workers=DECODERS, thread_name_prefix="photo-decode") as pool:
        return list(pool.map(decode, photos))


class ReviewDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        cases_changed: Callable[[list[int]], None],
        lookups: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self._cases_changed = cases_changed
        self._lookups = lookups
        self.panel = ReviewPanel()
        self.photos = PhotoPanel()
        self._case_id: int | None = None
        self._photo_keys: tuple[str, ...] = ()
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self.panel.approve_requested.connect(self.approve)
        self.panel.return_requested.connect(self.return_case)
        self.panel.escalate_requested.connect(self.escalate)
        self.panel.offline_requested.connect(self.refer_offline)
        self.panel.lookups_requested.connect(self.ask_records)

    def start(self) -> None:
        for key, slot in (
            ("Ctrl+Return", self.panel.request_approve),
            ("Ctrl+Enter", self.panel.request_approve),
            ("Ctrl+R", self.panel.request_return),
            ("Ctrl+E", self.panel.request_escalate),
            ("F5", self._ask_current),
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

    # -- showing a case ------------------------------------------------------------------------
    def open_case(self, case_id: int, *, focus: bool = False) -> None:
        """Show a case (the queue's Enter). `focus`: put the keyboard on the panel, so the
        next key is the reviewer's judgement."""
        self._case_id = case_id
        if focus:
            self.panel.setFocus()
        self._submit(review.load_review, self.link.session_factory, case_id, on_done=self._loaded)

    def refresh(self, case_ids: Sequence[int]) -> None:
        if self._case_id is not None and self._case_id in case_ids:
            self.open_case(self._case_id)

    def _loaded(self, detail: review.ReviewDetail) -> None:
        if detail.case_id != self._case_id:
            return
        self.panel.show_detail(detail)
        self._show_missing()
        keys = tuple(p.sha256 for p in detail.photos)
        if keys != self._photo_keys:
            self._photo_keys = keys
            self._submit(
                load_photo_items,
                self.link,
                detail.photos,
                on_done=self._photos_for(detail.case_id),
            )

    def _photos_for(self, case_id: int) -> Callable[[list[PhotoItem]], None]:
        def loaded(items: list[PhotoItem]) -> None:
            self._photos_loaded(case_id, items)

        return loaded

    def _photos_loaded(self, case_id: int, items: list[PhotoItem]) -> None:
        if case_id != self._case_id:
            return
        captions = [
            PhotoItem(
                key=i.key,
                kind=i.kind,
                party_letter=i.party_letter,
                caption=(f"{i.party_letter} · " if i.party_letter else "") + photo_label(i.kind),
                image=i.image,
                refused_reason=i.refused_reason,
            )
            for i in items
        ]
        self.photos.set_photos(captions)
        self._show_missing()

    def _show_missing(self) -> None:
        checklist = self.panel.current_checklist
        if checklist is None:
            return
        missing = [
            (f"{i.party_letter} · " if i.party_letter else "") + photo_label(i.photo_kind)
            for i in checklist.items
            if i.photo_kind is not None and i.status is CheckStatus.FAIL
        ]
        self.photos.set_missing(missing)

    # -- decisions -----------------------------------------------------------------------------
    def approve(self, case_id: int, version: int, judgements: Judgements) -> None:
        self._submit(
            review.approve_review,
            self.link.session_factory,
            self.actor,
            case_id,
            expected_version=version,
            judgements=judgements,
            on_done=lambda change: self._done(
                change,
                self.tr("Case {case_no} approved: the parties are told to leave the road.").format(
                    case_no=change.case_no
                ),
            ),
        )

    def return_case(self, case_id: int, version: int, reasons: list[review.ReturnItem]) -> None:
        self._submit(
            review.return_review,
            self.link.session_factory,
            self.actor,
            case_id,
            expected_version=version,
            reasons=reasons,
            on_done=lambda change: self._done(
                change,
                self.tr("Case {case_no} returned to the parties with {n} reasons.").format(
                    case_no=change.case_no, n=len(reasons)
                ),
            ),
        )

    def escalate(self, case_id: int, version: int, reason: str) -> None:
        self._move(case_id, version, CaseState.ESCALATED, reason)

    def refer_offline(self, case_id: int, version: int, reason: str) -> None:
        self._move(case_id, version, CaseState.OFFLINE_REFERRED, reason)

    def _move(self, case_id: int, version: int, target: CaseState, reason: str) -> None:
        self._submit(
            cases.move_case,
            self.link.session_factory,
            self.actor,
            case_id,
            target,
            expected_version=version,
            reason=reason,
            on_done=lambda change: self._done(
                change,
                self.tr("Case {case_no} moved off the fast track.").format(case_no=change.case_no),
            ),
        )

    def _done(self, change: cases.CaseChange, text: str) -> None:
        self.panel.say(text, ok=True)
        self._cases_changed([change.case_id])

    def _ask_current(self) -> None:
        if self._case_id is not None:
            self.ask_records(self._case_id)

    def ask_records(self, case_id: int) -> None:
        if self._lookups is None:
            self.panel.say(self.tr("No records link is configured at this seat."), ok=False)
            return
        self.panel.say(self.tr("Asking the vehicle, driver and insurance records…"), ok=True)
        self._lookups(case_id)
