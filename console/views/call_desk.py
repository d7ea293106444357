"""The call desk of a seat: wires the ringing list, the banner, the call panel and (at
reception) the triage form to the call use cases and to the gateway link.

One key does one thing, whatever has focus: F6 answers the oldest ringing call, F7 sends the
held call to the chosen target, F8 hangs up, F9 sends the guidance SMS, Ctrl+Enter opens or
saves the case, Ctrl+E escalates, Ctrl+L links the call to the offered case. Every action runs
as a use case on the task runner; the gateway is told after the hall has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.domain.triage import TriageStep
from console.hall import call_queries, calls, cases, guidance
from console.hall.actor import Actor
from console.hall.call_queries import CallView, LinkCandidate, SeatEntry
from console.hall.link import HallLink
from console.integrations.http import LinkStatus
from console.views.call_panel import CallPanel
from console.views.messages import describe_error
from console.views.ringing_calls import CallBanner
from console.views.triage_form import TriageForm, TriageInput
from console.workers.call_link import CallLink
from console.workers.call_sync import ControlKind, ControlOutcome
from console.workers.tasks import TaskRunner

log = logging.getLogger("console.ui")

KEYS = {
    "answer": "F6",
    "transfer": "F7",
    "hang_up": "F8",
    "sms": "F9",
    "save": "Ctrl+Enter",
    "escalate": "Ctrl+E",
    "link": "Ctrl+L",
}
POLL_MS = 1000
TRIAGE_POSITIONS = frozenset({Position.RECEPTION, Position.SUPERVISOR})


class CallDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        call_link: CallLink | None,
        link_base: str,
        districts: list[str],
        cases_changed: Callable[[list[int]], None],
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self.call_link = call_link
        self.link_base = link_base
        self._cases_changed = cases_changed
        self.banner = CallBanner(KEYS["answer"])
        self.panel = CallPanel(KEYS)
        self.triage: TriageForm | None = (
            TriageForm(KEYS, districts) if actor.position in TRIAGE_POSITIONS else None
        )
        self._stopped = False
        self._polling = False
        self._seats: list[SeatEntry] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._shortcuts: list[QShortcut] = []

        self.panel.answer_requested.connect(self.answer)
        self.panel.transfer_requested.connect(self.transfer)
        self.panel.hang_up_requested.connect(self.hang_up)
        self.panel.link_requested.connect(self.link_to_case)
        if self.triage is not None:
            self.triage.open_case_requested.connect(self.open_case)
            self.triage.save_requested.connect(self.save_case)
            self.triage.guidance_requested.connect(self.send_guidance)
            self.triage.escalate_requested.connect(self.escalate)
            self.triage.offline_requested.connect(self.refer_offline)
        if call_link is not None:
            call_link.calls_changed.connect(self.poll)
            call_link.control_done.connect(self._control_done)

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self._bind_keys()
        self._timer.start()
        self.poll()
        self._submit(
            call_queries.held_call,
            self.link.session_factory,
            user_id=self.actor.user_id,
            seat=self.actor.seat,
            on_done=self._found_held,
        )
        self._submit(
            call_queries.active_seats, self.link.session_factory, on_done=self._seats_loaded
        )

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []

    @property
    def dirty(self) -> bool:
        return self.triage is not None and self.triage.dirty

    def _bind_keys(self) -> None:
        bindings: list[tuple[str, Callable[[], None]]] = [
            (KEYS["answer"], self.answer_oldest),
            (KEYS["transfer"], self.panel.request_transfer),
            (KEYS["hang_up"], self.panel.request_hang_up),
            (KEYS["link"], self.panel.request_link),
        ]
        if self.triage is not None:
            bindings += [
                (KEYS["sms"], self.triage.request_guidance),
                (KEYS["save"], self.triage.submit),
                ("Ctrl+Return", self.triage.submit),
                (KEYS["escalate"], self.triage.request_escalation),
            ]
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

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

    # -- the ringing list ----------------------------------------------------------------------
    def _tick(self) -> None:
        self.panel.tick()
        self.banner.show_waiting(self.panel.model.rowCount(), self.panel.model.longest_wait())
        self.poll()

    def poll(self) -> None:
        if self._polling or self._stopped:
            return
        self._polling = True

        def done(views: list[CallView]) -> None:
            self._polling = False
            self.panel.show_ringing(views)
            self.banner.show_waiting(len(views), self.panel.model.longest_wait())

        def failed(error: BaseException) -> None:
            self._polling = False
            log.warning("ringing list not refreshed: %s", error)

        self._submit(
            call_queries.ringing_calls,
            self.link.session_factory,
            position=self.actor.position,
            seat=self.actor.seat,
            on_done=done,
            on_failed=failed,
        )

    def _seats_loaded(self, seats: list[SeatEntry]) -> None:
        self._seats = seats
        self.panel.set_transfer_targets(seats, own_seat=self.actor.seat)

    def _found_held(self, view: CallView | None) -> None:
        if view is not None and self.panel.active_call() is None:
            self._now_holding(view, fresh=False)

    # -- answering -----------------------------------------------------------------------------
    def answer_oldest(self) -> None:
        shown = self.panel.model.call_at(0)
        self._submit(
            calls.answer_oldest,
            self.link.session_factory,
            self.actor,
            on_done=lambda view: self._answered_oldest(view, shown),
        )

    def _answered_oldest(self, view: CallView | None, shown: CallView | None) -> None:
        if view is not None:
            self._answered(view)
            return
        if shown is None:
            self.panel.say(self.tr("No call is ringing at your seat."), ok=False)
            return
        # The call on screen went to another seat a moment ago: say who has it.
        self._ask_who_took(shown.id, attempts=5)
        self.poll()

    def _ask_who_took(self, call_id: int, *, attempts: int) -> None:
        self._submit(
            call_queries.call_record,
            self.link.session_factory,
            call_id,
            on_done=lambda record: self._taken_elsewhere(record.call, attempts - 1),
        )

    def _taken_elsewhere(self, view: CallView, attempts_left: int) -> None:
        if view.is_waiting and attempts_left > 0:
            # PostgreSQL skipped the row another seat was answering; that seat has not
            # committed yet. Look again in a moment.
            QTimer.singleShot(200, lambda: self._ask_who_took(view.id, attempts=attempts_left))
            return
        if view.answered_by is not None and view.answered_by != self.actor.user_id:
            self.panel.say(
                self.tr("{phone} was answered by {name} at seat {seat}.").format(
                    phone=view.caller_phone,
                    name=view.answered_by_name or "?",
                    seat=view.answered_seat or "?",
                ),
                ok=False,
            )
        elif not view.is_live:
            self.panel.say(self.tr("The caller has hung up."), ok=False)
        else:
            self.panel.say(self.tr("No call is ringing at your seat."), ok=False)

    def answer(self, call_id: int) -> None:
        self._submit(
            calls.answer_call,
            self.link.session_factory,
            self.actor,
            call_id,
            on_done=self._answered,
        )

    def _answered(self, view: CallView) -> None:
        self._tell(ControlKind.ANSWER, view)
        self.panel.say(self.tr("You answered {phone}.").format(phone=view.caller_phone), ok=True)
        self._now_holding(view, fresh=True)
        self.poll()

    def _now_holding(self, view: CallView, *, fresh: bool) -> None:
        self.panel.show_active(view)
        if self.triage is not None and (fresh or self.triage.case_id is None):
            self.triage.start_call(view)
        self._load_candidates(view)
        if view.case_id is not None:
            self._cases_changed([view.case_id])

    def _load_candidates(self, view: CallView) -> None:
        if view.case_id is not None:
            self.panel.show_candidates([])
            return
        plates = self.triage.typed_plates() if self.triage is not None else []
        self._submit(
            call_queries.link_candidates,
            self.link.session_factory,
            view.id,
            plates=plates,
            on_done=self._candidates_loaded(view.id),
        )

    def _candidates_loaded(self, call_id: int) -> Callable[[list[LinkCandidate]], None]:
        def show(candidates: list[LinkCandidate]) -> None:
            active = self.panel.active_call()
            if active is not None and active.id == call_id:
                self.panel.show_candidates(candidates)

        return show

    # -- transfer, hang up ---------------------------------------------------------------------
    def transfer(self, call_id: int, position: str, seat: str) -> None:
        self._submit(
            calls.transfer_call,
            self.link.session_factory,
            self.actor,
            call_id,
            to_position=position or None,
            to_seat=seat or None,
            on_done=self._transferred,
        )

    def _transferred(self, view: CallView) -> None:
        self._tell(ControlKind.TRANSFER, view)
        where = view.target_seat or (view.target_position.value if view.target_position else "?")
        self.panel.say(
            self.tr("Call sent to {target}; it rings there now.").format(target=where), ok=True
        )
        self.panel.show_active(None)
        self.poll()

    def hang_up(self, call_id: int) -> None:
        self._submit(
            calls.hang_up, self.link.session_factory, self.actor, call_id, on_done=self._hung_up
        )

    def _hung_up(self, view: CallView) -> None:
        self._tell(ControlKind.HANG_UP, view)
        self.panel.say(self.tr("Call ended."), ok=True)
        self.panel.show_active(None)

    def _tell(self, kind: ControlKind, view: CallView) -> None:
        if self.call_link is not None:
            self.call_link.tell(self.actor, kind, view)

    def _control_done(self, outcome: ControlOutcome) -> None:
        if self._stopped or outcome.ok:
            return
        active = self.panel.active_call()
        if outcome.caller_gone:
            self.panel.say(self.tr("The caller has hung up."), ok=False)
            if active is not None and active.external_id == outcome.external_id:
                self.panel.show_active(None)
            return
        self.panel.say(
            self.tr("The 122 gateway was not told ({detail}); the hall's record stands.").format(
                detail=outcome.detail
            ),
            ok=False,
        )

    # -- the case ------------------------------------------------------------------------------
    def link_to_case(self, call_id: int, case_id: int) -> None:
        self._submit(
            calls.link_call_to_case,
            self.link.session_factory,
            self.actor,
            call_id,
            case_id,
            on_done=self._linked,
        )

    def _linked(self, view: CallView) -> None:
        self.panel.show_active(view)
        self.panel.show_candidates([])
        self.panel.say(
            self.tr("Call filed with case {case_no}.").format(case_no=view.case_no), ok=True
        )
        if self.triage is not None and view.case_id is not None and view.case_no is not None:
            self._submit(
                cases_version,
                self.link,
                view.case_id,
                on_done=lambda version: self._bind(view.case_id, view.case_no, version),
            )
        if view.case_id is not None:
            self._cases_changed([view.case_id])

    def _bind(self, case_id: int | None, case_no: str | None, version: int) -> None:
        if self.triage is not None and case_id is not None and case_no is not None:
            self.triage.bind_case(case_id, case_no, version)

    def open_case(self, call_id: int, data: TriageInput) -> None:
        self._submit(
            calls.open_case_from_call,
            self.link.session_factory,
            self.actor,
            call_id,
            place_text=data.place_text,
            occurred_at=data.occurred_at,
            district=data.district,
            vehicle_count=data.vehicle_count,
            injuries=data.injuries,
            movable=data.movable,
            answers=data.answers,
            notes=_notes_with_plates(data),
            on_done=self._case_opened,
            on_failed=self._triage_failed,
        )

    def _case_opened(self, change: cases.CaseChange) -> None:
        if self.triage is not None:
            self.triage.bind_case(change.case_id, change.case_no, change.version)
            self.triage.say(
                self.tr("Case {case_no} opened.").format(case_no=change.case_no), ok=True
            )
            self._suggest_target()
        active = self.panel.active_call()
        if active is not None:
            self._submit(
                call_queries.call_record,
                self.link.session_factory,
                active.id,
                on_done=lambda record: self._refresh_active(record.call),
            )
        self._cases_changed([change.case_id])

    def _refresh_active(self, view: CallView) -> None:
        active = self.panel.active_call()
        if active is not None and active.id == view.id and view.is_live:
            self.panel.show_active(view)

    def save_case(self, case_id: int, version: int, data: TriageInput) -> None:
        fields = data.case_fields()
        fields["notes"] = _notes_with_plates(data)
        self._submit(
            cases.edit_case,
            self.link.session_factory,
            self.actor,
            case_id,
            expected_version=version,
            changes=fields,
            on_done=self._case_saved,
            on_failed=self._triage_failed,
        )

    def _case_saved(self, change: cases.CaseChange) -> None:
        if self.triage is not None:
            self.triage.bind_case(change.case_id, change.case_no, change.version)
            self.triage.say(self.tr("Saved."), ok=True)
            self._suggest_target()
        self._cases_changed([change.case_id])

    def _suggest_target(self) -> None:
        verdict = self.triage.current_verdict if self.triage is not None else None
        if verdict is not None and verdict.step is TriageStep.GUIDE:
            self.panel.suggest_target(Position.REVIEW)

    def send_guidance(self, case_id: int, version: int) -> None:
        self._submit(
            guidance.send_guidance_sms,
            self.link.session_factory,
            self.actor,
            case_id,
            link_base=self.link_base,
            expected_version=version,
            on_done=self._guidance_queued,
            on_failed=self._triage_failed,
        )

    def _guidance_queued(self, sent: guidance.GuidanceQueued) -> None:
        if self.triage is not None:
            self.triage.set_version(sent.change.case_id, sent.change.version)
            self.triage.say(self.tr("Guidance SMS queued to {to}.").format(to=sent.to), ok=True)
        self._cases_changed([sent.change.case_id])

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
            on_done=self._moved,
            on_failed=self._triage_failed,
        )

    def _moved(self, change: cases.CaseChange) -> None:
        if self.triage is not None:
            self.triage.set_version(change.case_id, change.version)
            text = (
                self.tr("Case {case_no} escalated to on-scene police.")
                if change.state is CaseState.ESCALATED
                else self.tr("Case {case_no} referred to the offline service centre.")
            )
            self.triage.say(text.format(case_no=change.case_no), ok=True)
        self._cases_changed([change.case_id])

    def _triage_failed(self, error: BaseException) -> None:
        if self.triage is not None:
            self.triage.failed(error)
        else:
            self._failed(error)

    # -- status --------------------------------------------------------------------------------
    def link_status(self) -> LinkStatus | None:
        return self.call_link.status if self.call_link is not None else None


def cases_version(link: HallLink, case_id: int) -> int:
    """The case's current version, for a form bound to a case it did not write itself."""
    from console.hall.queries import load_case_detail

    return load_case_detail(link.session_factory, case_id).version


def _notes_with_plates(data: TriageInput) -> str:
    """Plates named on the phone go into the notes: the parties' own data, with names and
    documents, comes with their upload."""
    if not data.plates:
        return data.notes
    line = "车牌：" + "、".join(data.plates)
    return f"{data.notes}\n{line}" if data.notes else line
