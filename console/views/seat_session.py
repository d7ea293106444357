"""One signed-in seat: the queue, case detail and seat panel wired to the use cases.

Every request from a panel becomes a use case run through the task runner; every result or
committed change (from this seat or any other, via the change feed) comes back as refreshed
rows for the queue and a refreshed detail. Nothing here decides a rule: the use cases do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from console.db.feed import FeedEvent, open_feed
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall import assignment, cases, queries
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.settings import Settings
from console.views.call_desk import CallDesk
from console.views.case_detail import CaseDetailPanel
from console.views.determination_desk import DeterminationDesk
from console.views.helpers_dialog import may_open_helpers, open_helpers_dialog
from console.views.main_window import MainWindow
from console.views.messages import describe_error
from console.views.queue_view import CaseQueueView
from console.views.rescue_request import RescueRequester
from console.views.review_desk import ReviewDesk
from console.views.seat_panel import SeatPanel
from console.views.status_bar import CallLinkStatus, GatewayStatus
from console.workers.call_link import CallLink
from console.workers.feed_bridge import FeedBridge
from console.workers.gateway_link import GatewayLink
from console.workers.tasks import TaskRunner

if TYPE_CHECKING:
    # Imported when a patrol seat signs in: the wall brings OpenCV's capture along.
    from console.views.patrol_desk import PatrolDesk

log = logging.getLogger("console.ui")


class SeatDesk(Protocol):
    """A seat's own work area beside the shared queue (the claims and lookup seats'): built
    when that position signs in, told which case is open and which cases changed."""

    @property
    def title(self) -> str: ...
    @property
    def panel(self) -> QWidget: ...
    @property
    def bottom(self) -> QWidget | None: ...
    @property
    def dirty(self) -> bool:
        """Typed input that would be lost if the seat closed now."""
        ...

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def open_case(self, case_id: int, focus: bool = False) -> None: ...
    def refresh(self, case_ids: list[int]) -> None: ...


REVIEW_POSITIONS = frozenset({Position.REVIEW})

DEFAULT_LINK_BASE = "https://122.gov.cn/kc"
"""Where parties upload when no gateway says otherwise (the city's 12123 upload page)."""


def initial_load(link: HallLink, insurer_org_id: int | None) -> tuple[int, list[queries.QueueRow]]:
    """The newest event id first, then the rows: the feed starts after that id, so a change
    committed while the rows load is replayed, never missed."""
    newest = link.newest_event_id()
    rows = queries.load_queue(link.session_factory, insurer_org_id=insurer_org_id)
    return newest, rows


class SeatSession(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: MainWindow,
        settings: Settings,
        *,
        call_link: CallLink | None = None,
        gateway_link: GatewayLink | None = None,
        link_base: str = DEFAULT_LINK_BASE,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self.settings = settings
        self.insurer_org_id = actor.org_id if actor.position is Position.CLAIMS else None
        self.queue = CaseQueueView(position=actor.position, user_id=actor.user_id)
        self.detail = CaseDetailPanel()
        self.panel = SeatPanel(actor)
        self.bridge = FeedBridge(open_feed(link.engine), self)
        self.call_link = call_link
        self.gateway_link = gateway_link
        self.calls = CallDesk(
            actor,
            link,
            runner,
            window,
            call_link=call_link,
            link_base=link_base,
            districts=settings.districts,
            cases_changed=self._written,
        )
        self.call_link_status = CallLinkStatus()
        self.gateway_status = GatewayStatus()
        self.review: ReviewDesk | None = None
        self.determination: DeterminationDesk | None = None
        self.patrol: PatrolDesk | None = None
        self.desk: SeatDesk | None = None
        self.desk_bottom_title = ""
        if actor.position is Position.CLAIMS:
            from console.views.claims_desk import ClaimsDesk

            self.desk = ClaimsDesk(
                actor, link, runner, window, cases_changed=self._written, gateway_link=gateway_link
            )
            self.desk_bottom_title = self.tr("Letter and photos")
        if actor.position is Position.LOOKUP:
            from console.views.lookup_desk import LookupDesk

            self.desk = LookupDesk(
                actor,
                link,
                runner,
                window,
                cases_changed=self._written,
                gateway_link=gateway_link,
                policy=settings.complaint_policy(),
                districts=settings.districts,
            )
            self.desk_bottom_title = self.tr("Checkpoint hits")
        if actor.position is Position.RESCUE:
            from console.views.rescue_desk import RescueDesk

            self.desk = RescueDesk(
                actor,
                link,
                runner,
                window,
                cases_changed=self._written,
                open_case=self._open_from_desk,
                policy=settings.rescue_policy(),
            )
            self.desk_bottom_title = self.tr("Situation map")
        self.rescue_requests: RescueRequester | None = None
        if RescueRequester.may_request(actor):
            self.rescue_requests = RescueRequester(
                actor,
                link,
                runner,
                window,
                current_case=lambda: self._open_case,
                say=self._say,
                sent=self._rescue_requested,
            )
        if actor.position is Position.PATROL:
            from console.views.patrol_desk import PatrolDesk

            self.patrol = PatrolDesk(actor, link, runner, window, cases_changed=self._written)
        if actor.position is Position.DETERMINATION:
            self.determination = DeterminationDesk(
                actor,
                link,
                runner,
                window,
                cases_changed=self._written,
                verification_base_url=link_base,
            )
        if actor.position in REVIEW_POSITIONS:
            self.review = ReviewDesk(
                actor,
                link,
                runner,
                window,
                cases_changed=self._written,
                lookups=gateway_link.recheck if gateway_link is not None else None,
            )
        self._open_case: int | None = None
        self._stopped = False

        self.queue.case_opened.connect(self.open_case)
        self.queue.current_case_changed.connect(self._current_changed)
        self.queue.take_next_requested.connect(self.take_next)
        self.queue.release_requested.connect(self.release)
        self.panel.claim_requested.connect(self.claim)
        self.panel.release_requested.connect(self.release)
        self.panel.move_requested.connect(self.move)
        self.detail.save_requested.connect(self.save_facts)
        self.bridge.events_arrived.connect(self._feed_events)

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        connection = self.window.show_workspace(
            self.actor,
            self.link.description,
            queue=self.queue,
            detail=self.detail,
            seat_panel=self.panel,
            layout=self.settings.layout_for(self.actor.seat),
            banner=self.calls.banner,
            calls=self.calls.panel,
            work=self._work_panel(),
            bottom=self._photos(),
            work_width=1060 if self.patrol is not None else 620,
        )
        self.bridge.status_changed.connect(connection.set_feed_status)
        self.window.enable_dead_letters(
            self.actor,
            self.link.session_factory,
            self.runner,
            wake_outbox=self.gateway_link.wake_outbox if self.gateway_link is not None else None,
        )
        if may_open_helpers(self.actor):
            self.window.enable_helpers(self.open_helpers)
        self.window.statusBar().addPermanentWidget(self.call_link_status)
        self.window.statusBar().addPermanentWidget(self.gateway_status)
        if self.gateway_link is not None:
            self.gateway_status.set_statuses(self.gateway_link.statuses())
            self.gateway_link.health_changed.connect(self._gateway_health)
        if self.call_link is not None:
            self.call_link_status.set_status(self.call_link.status)
            self.call_link.health_changed.connect(self.call_link_status.set_status)
        self.calls.start()
        if self.review is not None:
            self.review.start()
        if self.determination is not None:
            self.determination.start()
        if self.desk is not None:
            self.desk.start()
        if self.rescue_requests is not None:
            self.rescue_requests.start()
        if self.patrol is not None:
            self.patrol.start()
            if self.gateway_link is not None:
                self.gateway_link.checkpoint_hits.connect(self.patrol.checkpoint_alert)
        self.window.statusBar().showMessage(self.tr("Loading the case queue…"))
        self._submit(
            initial_load,
            self.link,
            self.insurer_org_id,
            on_done=self._loaded,
            on_failed=self._failed,
        )

    def _loaded(self, result: tuple[int, list[queries.QueueRow]]) -> None:
        if self._stopped:
            return
        newest, rows = result
        self.queue.model.set_rows(rows)
        self.window.statusBar().showMessage(
            self.tr("{count} cases loaded").format(count=len(rows)), 5000
        )
        self.bridge.start(from_event_id=newest)
        focus = QApplication.focusWidget()
        if focus is None or not self.window.isAncestorOf(focus):
            # Only when nothing in the window has focus: a form being typed keeps it.
            self.queue.setFocus()

    def open_helpers(self) -> None:
        """Tools → Citizen helpers, with the open case ready to link."""
        row = self.queue.model.queue_row(self._open_case) if self._open_case else None
        open_helpers_dialog(
            self.window,
            self.actor,
            self.link,
            self.runner,
            case_no=row.case_no if row is not None else None,
        )

    def _say(self, text: str, ok: bool) -> None:
        self.window.statusBar().showMessage(text, 8000 if ok else 15000)

    def _rescue_requested(self, task_id: int, case_id: int | None) -> None:
        if case_id is not None:
            self._written([case_id])
        from console.views.rescue_desk import RescueDesk

        if isinstance(self.desk, RescueDesk):
            self.desk.request_sent(task_id, case_id)

    def _open_from_desk(self, case_id: int) -> None:
        """A desk (the rescue seat's list or map) opens a case: the queue follows when it
        holds the case."""
        self.queue.select_case(case_id)
        self.open_case(case_id)

    def _gateway_health(self, _status: object) -> None:
        if self.gateway_link is not None:
            self.gateway_status.set_statuses(self.gateway_link.statuses())

    def _written(self, case_ids: list[int]) -> None:
        """A desk committed a change: refresh those cases, and let the outbox send at once
        whatever the change queued (SMS, review outcomes)."""
        self.refresh(case_ids)
        if self.gateway_link is not None:
            self.gateway_link.wake_outbox()

    def _work_panel(self) -> tuple[str, str, QWidget] | None:
        if self.calls.triage is not None:
            return ("triage", self.tr("Triage"), self.calls.triage)
        if self.review is not None:
            return ("review", self.tr("Review"), self.review.panel)
        if self.determination is not None:
            return ("determination", self.tr("Determination"), self.determination.panel)
        if self.patrol is not None:
            return ("patrol", self.tr("Camera wall"), self.patrol.panel)
        if self.desk is not None:
            return ("desk", self.desk.title, self.desk.panel)
        return None

    def _photos(self) -> tuple[str, str, QWidget] | None:
        if self.review is not None:
            return ("photos", self.tr("Photos"), self.review.photos)
        if self.determination is not None:
            return ("photos", self.tr("Photos and place"), self.determination.bottom)
        if self.desk is not None and self.desk.bottom is not None:
            return ("desk-bottom", self.desk_bottom_title, self.desk.bottom)
        return None

    def can_close(self) -> bool:
        """False (after telling the user) while typed facts are unsaved."""
        if self.detail.dirty or self.calls.dirty or (self.desk is not None and self.desk.dirty):
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self.window,
                self.tr("Unsaved changes"),
                self.tr("The case facts you typed are not saved. Discard them?"),
            )
            return answer == QMessageBox.StandardButton.Yes
        return True

    def stop(self) -> None:
        self._stopped = True
        self.calls.stop()
        if self.review is not None:
            self.review.stop()
        if self.determination is not None:
            self.determination.stop()
        if self.desk is not None:
            self.desk.stop()
        if self.rescue_requests is not None:
            self.rescue_requests.stop()
        if self.patrol is not None:
            if self.gateway_link is not None:
                self.gateway_link.checkpoint_hits.disconnect(self.patrol.checkpoint_alert)
            self.patrol.stop()
        if self.call_link is not None:
            self.call_link.health_changed.disconnect(self.call_link_status.set_status)
        if self.gateway_link is not None:
            self.gateway_link.health_changed.disconnect(self._gateway_health)
        self.bridge.stop()

    # -- reading ----------------------------------------------------------------------------
    def _feed_events(self, events: list[FeedEvent]) -> None:
        self.refresh({event.case_id for event in events})

    def refresh(self, case_ids: Iterable[int]) -> None:
        ids = sorted(set(case_ids))
        if not ids or self._stopped:
            return
        self._submit(
            queries.load_rows,
            self.link.session_factory,
            ids,
            insurer_org_id=self.insurer_org_id,
            on_done=lambda rows: self._rows_loaded(ids, rows),
        )
        if self.desk is not None:
            self.desk.refresh(ids)  # its own lists (claims, complaints, hits) span many cases
        if self.patrol is not None:
            self.patrol.refresh(ids)  # checkpoint hits stored by other consoles
        if self._open_case in ids:
            self._load_detail(self._open_case)
            if self.review is not None:
                self.review.refresh(ids)
            if self.determination is not None:
                self.determination.refresh(ids)

    def _rows_loaded(self, asked: list[int], rows: list[queries.QueueRow]) -> None:
        if self._stopped:
            return
        # A case that did not come back is gone from this seat's view (e.g. not this insurer's).
        found = {row.case_id for row in rows}
        self.queue.applier.add(rows, removed_ids=[i for i in asked if i not in found])
        current = self.queue.current_case()
        for row in rows:
            if row.case_id == current:
                self.panel.show_case(row)

    def open_case(self, case_id: int) -> None:
        self._open_case = case_id
        self._load_detail(case_id)
        if self.review is not None:
            self.review.open_case(case_id, focus=True)
        if self.determination is not None:
            self.determination.open_case(case_id, focus=True)
        if self.patrol is not None:
            self.patrol.open_case(case_id)
        if self.desk is not None:
            self.desk.open_case(case_id, focus=True)

    def _load_detail(self, case_id: int) -> None:
        self._submit(
            queries.load_case_detail,
            self.link.session_factory,
            case_id,
            insurer_org_id=self.insurer_org_id,
            on_done=self._detail_loaded,
            on_failed=self._failed,
        )

    def _detail_loaded(self, detail: queries.CaseDetail) -> None:
        if not self._stopped and detail.case_id == self._open_case:
            self.detail.show_detail(detail)

    def _current_changed(self, case_id: int | None) -> None:
        self.panel.show_case(self.queue.model.queue_row(case_id) if case_id is not None else None)

    # -- writing ----------------------------------------------------------------------------
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

    def take_next(self) -> None:
        self._submit(
            assignment.claim_next,
            self.link.session_factory,
            self.actor,
            on_done=self._took_next,
            on_failed=self._failed,
        )

    def _took_next(self, change: cases.CaseChange | None) -> None:
        if change is None:
            self.window.statusBar().showMessage(
                self.tr("No case is waiting for your position."), 5000
            )
            return
        self.window.statusBar().showMessage(
            self.tr("You took case {case_no}.").format(case_no=change.case_no), 5000
        )
        self._after_write(change, select=True)

    def claim(self, case_id: int) -> None:
        self._write(assignment.claim_case, case_id)

    def release(self, case_id: int) -> None:
        self._write(assignment.release_case, case_id)

    def move(self, case_id: int, target: str, reason: str, version: int) -> None:
        self._submit(
            cases.move_case,
            self.link.session_factory,
            self.actor,
            case_id,
            CaseState(target),
            expected_version=version,
            reason=reason or None,
            on_done=self._moved,
            on_failed=lambda error: self.panel.move_failed(describe_error(error)),
        )

    def _moved(self, change: cases.CaseChange) -> None:
        self.panel.move_succeeded()
        self._after_write(change)

    def save_facts(self, case_id: int, version: int, changes: dict[str, Any]) -> None:
        self._submit(
            cases.edit_case,
            self.link.session_factory,
            self.actor,
            case_id,
            expected_version=version,
            changes=changes,
            on_done=self._saved,
            on_failed=lambda error: self.detail.save_failed(describe_error(error)),
        )

    def _saved(self, change: cases.CaseChange) -> None:
        self.detail.save_succeeded()
        self._after_write(change)

    def _write(self, use_case: Any, case_id: int) -> None:
        self._submit(
            use_case,
            self.link.session_factory,
            self.actor,
            case_id,
            on_done=self._after_write,
            on_failed=self._failed,
        )

    def _after_write(self, change: cases.CaseChange, *, select: bool = False) -> None:
        if select:
            self._open_case = change.case_id
        self.refresh([change.case_id])
        if select:
            # The row may not be in the model yet; select it once the refresh has landed.
            self.queue.applier.applied.connect(self._select_after_apply(change.case_id))

    def _select_after_apply(self, case_id: int) -> Any:
        def select(_count: int) -> None:
            if self.queue.select_case(case_id):
                self.queue.applier.applied.disconnect(select)
                self.open_case(case_id)

        return select

    def _failed(self, error: BaseException) -> None:
        text = describe_error(error)
        self.window.statusBar().showMessage(text, 10000)
        self.panel.move_failed(text)
