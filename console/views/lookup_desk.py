"""The lookup seat's desk: the case search (issue 9) above the non-payment complaints with their
deadlines, the sanction, and the alerts when a watch-listed plate passes a checkpoint camera
(DOMAIN.md "Insurers", issue 8).

The search pane (console.views.case_search) is the seat's main working area, first in the
splitter; the complaints sit below it and the alert strip above both, so an alert is seen
whatever the user is doing.

Every database call goes through the task runner; the widgets show the rows and ask. Deadlines
count down once a second from the desk's clock; every 30 s (and at once when a countdown
passes zero) the hall is asked which complaints are overdue, and, unless the desk was built
without it, the hall's sanction run goes with it: `sanction_overdue` with no actor, the
hall's own timer, which sanctions each complaint exactly once however many seats run it.

Keys (window-wide, whatever has focus):

- Ctrl+F: the search box (the queue keeps its own Ctrl+F while it has the focus); in the search
  pane Down goes into the results, Enter opens the case's history (Ctrl+P reprint, Ctrl+E
  export, Ctrl+U unmask, in the history window), Esc goes back to the box
- Ctrl+Shift+N: file a complaint about the open case
- Ctrl+Shift+C: record the call to the insurer of the chosen complaint
- Ctrl+Shift+Y: record the insurer's payment (closes it, lifts the watch-list entry)
- Ctrl+Shift+S: sanction overdue complaints now (confirmation: plates, insurers, the fine)
- F5: reload the complaints and the hits
- Ctrl+J: show the camera of the chosen (or newest) checkpoint hit, live, in a small window

Checkpoint hits come two ways, both to `_hits_arrived`: the gateway link's signal (the seat
whose link stored the hit) and the change feed's `checkpoint_hit` event on the complaint's
case (every other seat), via `refresh`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from console.domain.complaints import (
    DEFAULT_COMPLAINT_POLICY,
    ComplaintPolicy,
    ComplaintState,
    can_move,
    due_for_sanction,
)
from console.domain.deadlines import to_local
from console.hall import cameras, complaints
from console.hall.actor import Actor
from console.hall.checkpoint_hits import HitRecorded
from console.hall.complaints import ComplaintCase, ComplaintRow, HitRow
from console.hall.journal import utcnow
from console.hall.link import HallLink
from console.views.case_search import CaseSearchPane
from console.views.complaint_form import (
    ComplaintDraft,
    ComplaintForm,
    ComplaintInput,
    PaymentForm,
    PaymentInput,
    SanctionDialog,
)
from console.views.complaints_view import AlertStrip, ComplaintsView, complaint_state_label
from console.views.hit_alerts import HitAlertsView, hit_row_from
from console.views.messages import describe_error
from console.views.text_entry import TextEntryDialog
from console.workers.tasks import TaskRunner

if TYPE_CHECKING:
    # Imported on the first Ctrl+J: the camera wall brings OpenCV's capture along.
    from console.views.hit_viewer import HitViewer
    from console.views.main_window import MainWindow
    from console.workers.camera_feeds import WallCamera
    from console.workers.gateway_link import GatewayLink

log = logging.getLogger("console.ui")

TICK_MS: Final = 1000
CHECK_MS: Final = 30_000
REFRESH_DELAY_MS: Final = 200
STATUS_MS: Final = 15_000
KEYS: Final = {
    "file": "Ctrl+Shift+N",
    "call": "Ctrl+Shift+C",
    "payment": "Ctrl+Shift+Y",
    "sanction": "Ctrl+Shift+S",
    "reload": "F5",
    "camera": "Ctrl+J",
    "search": "Ctrl+F",
}


# ---------------------------------------------------------------- worker side


@dataclass(frozen=True, slots=True)
class Loaded:
    complaints: list[ComplaintRow]
    hits: list[HitRow]
    full: bool


def load_everything(link: HallLink, now: datetime) -> Loaded:
    """Every complaint and the newest hits (sign-in, F5)."""
    return Loaded(
        complaints.list_complaints(link.session_factory, now=now),
        complaints.list_checkpoint_hits(link.session_factory),
        full=True,
    )


def load_changes(
    link: HallLink, case_ids: Sequence[int], after_hit_id: int, now: datetime
) -> Loaded:
    """The complaints of cases that changed, and the hits stored since the last one seen."""
    return Loaded(
        complaints.list_complaints(link.session_factory, case_ids=case_ids, now=now),
        complaints.list_checkpoint_hits(link.session_factory, after_id=after_hit_id),
        full=False,
    )


@dataclass(frozen=True, slots=True)
class OverdueCheck:
    as_of: datetime
    sanctioned: tuple[complaints.Sanctioned, ...]
    overdue: list[ComplaintRow]


def check_overdue(
    link: HallLink, now: datetime, *, sanction: bool, policy: ComplaintPolicy
) -> OverdueCheck:
    """The hall's sanction run (if this desk runs it), then the complaints overdue now."""
    run = (
        complaints.sanction_overdue(link.session_factory, None, now, policy=policy)
        if sanction
        else None
    )
    return OverdueCheck(
        now,
        run.sanctioned if run is not None else (),
        complaints.overdue_complaints(link.session_factory, now),
    )


def sanction_candidates(link: HallLink, now: datetime) -> list[ComplaintRow]:
    """What a sanction run at `now` would sanction."""
    return [
        row
        for row in complaints.overdue_complaints(link.session_factory, now)
        if due_for_sanction(row.state, row.sanctioned_at, row.pay_due_at, now)
    ]


def resolve_camera(link: HallLink, camera_id: str, name: str) -> WallCamera:
    """The camera's stream URLs (credentials included) for the viewer's tile."""
    from console.workers.camera_feeds import WallCamera

    urls = cameras.stream_urls(link.session_factory, camera_id)
    return WallCamera(camera_id, name, urls.sub_url, urls.main_url)


# ---------------------------------------------------------------- the desk


class LookupDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: MainWindow,
        *,
        cases_changed: Callable[[list[int]], None],
        gateway_link: GatewayLink | None = None,
        policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY,
        auto_sanction: bool = True,
        clock: Callable[[], datetime] = utcnow,
        districts: Sequence[str] | None = None,
    ) -> None:
        """`policy`: the city's fine range and default fine; `auto_sanction`: run the hall's
        sanction with every overdue check; `clock`: the hall's time (tests travel with it);
        `districts`: the search's district filter (the settings' list; its default if None)."""
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self.gateway_link = gateway_link
        self.policy = policy
        self.auto_sanction = auto_sanction
        self._clock = clock
        self._cases_changed = cases_changed
        self._case_id: int | None = None
        self._stopped = False
        self._started = False
        self._shortcuts: list[QShortcut] = []
        self._find: QShortcut | None = None
        self._checking = False
        self._check_again = False
        self._overdue: set[tuple[int, str]] | None = None
        self._pending: set[int] = set()
        self._drafts: dict[int, ComplaintDraft] = {}
        self._call_drafts: dict[int, str] = {}
        self._payment_drafts: dict[int, str] = {}
        self.form: ComplaintForm | None = None
        self.payment_form: PaymentForm | None = None
        self.call_dialog: TextEntryDialog | None = None
        self.sanction_dialog: SanctionDialog | None = None
        self.viewer: HitViewer | None = None

        self.title = self.tr("Search and complaints")
        self.dirty = False  # the forms keep their drafts; closing the seat loses nothing
        self.alerts = AlertStrip()
        if districts is None:
            from console.settings import Settings

            districts = Settings().districts
        self.search = CaseSearchPane(actor, link.session_factory, runner, districts=districts)
        self.complaints = ComplaintsView(now=clock())
        self.keys = QLabel(
            self.tr(
                "Ctrl+Shift+N file a complaint · Ctrl+Shift+C record the call · Ctrl+Shift+Y "
                "record the payment · Ctrl+Shift+S sanction now · F5 reload · Ctrl+J camera of "
                "the hit"
            )
        )
        self.keys.setObjectName("lookup_keys")
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("color: #616161;")
        self.message = QLabel()
        self.message.setObjectName("lookup_message")
        self.message.setWordWrap(True)
        self.panel = QWidget()
        self.panel.setObjectName("lookup_panel")
        self.panel.setWindowTitle(self.title)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("lookup_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.complaints)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.alerts)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.keys)
        layout.addWidget(self.message)
        self.hits = HitAlertsView()
        self.hits.setWindowTitle(self.tr("Checkpoint hits"))
        self.bottom: QWidget | None = self.hits

        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self._tick)
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(CHECK_MS)
        self._check_timer.timeout.connect(self.check_now)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._load_pending)
        self.complaints.model.turned_overdue.connect(self._deadline_passed)

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._started = True
        bindings: list[tuple[str, Callable[[], None]]] = [
            (KEYS["file"], self.file_complaint),
            (KEYS["call"], self.record_call),
            (KEYS["payment"], self.record_payment),
            (KEYS["sanction"], self.sanction_now),
            (KEYS["reload"], self.reload),
            (KEYS["camera"], self.jump_to_hit),
        ]
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        # Ctrl+F, window-wide, yields to a panel with its own (the queue's search) while that
        # panel has the focus: two live shortcuts on one key would both be ambiguous.
        self._find = QShortcut(QKeySequence(KEYS["search"]), self.window)
        self._find.setContext(Qt.ShortcutContext.WindowShortcut)
        self._find.activated.connect(self.search.focus_box)
        self._shortcuts.append(self._find)
        _application().focusChanged.connect(self._focus_moved)
        self._focus_moved(None, QApplication.focusWidget())
        if self.gateway_link is not None:
            self.gateway_link.checkpoint_hits.connect(self.checkpoint_alert)
        self._tick_timer.start()
        self._check_timer.start()
        self.search.focus_box()
        self.reload()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._tick_timer.stop()
        self._check_timer.stop()
        self._refresh_timer.stop()
        if self.gateway_link is not None and self._started:
            self.gateway_link.checkpoint_hits.disconnect(self.checkpoint_alert)
        if self._find is not None:
            _application().focusChanged.disconnect(self._focus_moved)
            self._find = None
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        self.search.shut()
        for dialog in (self.form, self.payment_form, self.call_dialog, self.sanction_dialog):
            if dialog is not None:
                dialog.reject()
        if self.viewer is not None:
            if not self.viewer.shutdown():
                log.warning("lookup seat: the hit viewer's capture did not stop in time")
            self.viewer.deleteLater()
            self.viewer = None

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
        self.say(describe_error(error), ok=False)

    def say(self, text: str, *, ok: bool, status: bool = False) -> None:
        """The desk's message line; `status` repeats it in the status bar (alerts), where it
        is seen whichever dock is raised."""
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)
        if status:
            self.window.statusBar().showMessage(text, STATUS_MS)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._find is not None:
            self._find.setEnabled(not _has_own_find(new, self.window))

    # -- the case at the seat -------------------------------------------------------------------
    def open_case(self, case_id: int, focus: bool = False) -> None:
        """The case opened in the queue: its newest unpaid complaint becomes the current row."""
        self._case_id = case_id
        mine = self.complaints.model.for_case(case_id)
        if mine:
            self.complaints.select_complaint(mine[0].id)
        if focus:
            self.complaints.table.setFocus()

    def refresh(self, case_ids: Iterable[int]) -> None:
        """Cases changed somewhere in the hall: their complaints and any new hits, coalesced."""
        if self._stopped:
            return
        self._pending.update(case_ids)
        self._refresh_timer.start()

    def _load_pending(self) -> None:
        ids = sorted(self._pending)
        self._pending.clear()
        if ids:
            self.search.refresh(ids)
            self._submit(
                load_changes,
                self.link,
                ids,
                self.hits.model.newest_id(),
                self._clock(),
                on_done=self._loaded,
            )

    def reload(self) -> None:
        """F5 (and sign-in): every complaint and the newest hits, then the overdue check; F5
        asks the search shown again too."""
        self._submit(load_everything, self.link, self._clock(), on_done=self._loaded)
        criteria = self.search.criteria()
        if self._started and criteria is not None and not criteria.is_empty:
            self.search.search_now()

    def _loaded(self, loaded: Loaded) -> None:
        current = self.complaints.current_complaint()
        if loaded.full:
            first = self.hits.model.rowCount() == 0
            self.complaints.model.set_rows(loaded.complaints)
            self._hits_arrived(loaded.hits, alert=not first)
            self.check_now()
        else:
            self.complaints.model.upsert(loaded.complaints)
            self._hits_arrived(loaded.hits, alert=True)
        if self.complaints.current_complaint() is not None:
            return
        if current is not None:
            self.complaints.select_complaint(current.id)
        elif self._case_id is not None and (mine := self.complaints.model.for_case(self._case_id)):
            self.complaints.select_complaint(mine[0].id)

    def _reload_case(self, case_id: int, select: int | None = None) -> None:
        def shown(rows: list[ComplaintRow]) -> None:
            self.complaints.model.upsert(rows)
            if select is not None:
                self.complaints.select_complaint(select)

        self._submit(
            complaints.list_complaints,
            self.link.session_factory,
            case_ids=[case_id],
            now=self._clock(),
            on_done=shown,
        )

    def _written(self, case_ids: Iterable[int]) -> None:
        ids = sorted(set(case_ids))
        if ids:
            self._cases_changed(ids)

    # -- deadlines and the overdue alarm --------------------------------------------------------
    def _tick(self) -> None:
        self.complaints.model.tick(self._clock())

    def _deadline_passed(self, _complaint_ids: list[int]) -> None:
        self.check_now()

    def check_now(self) -> None:
        """Ask the hall which complaints are overdue (running the sanction first, unless off)."""
        if self._stopped:
            return
        if self._checking:
            self._check_again = True
            return
        self._checking = True

        def failed(error: BaseException) -> None:
            self._checking = False
            self._failed(error)

        self._submit(
            check_overdue,
            self.link,
            self._clock(),
            sanction=self.auto_sanction,
            policy=self.policy,
            on_done=self._checked,
            on_failed=failed,
        )

    def _checked(self, check: OverdueCheck) -> None:
        self._checking = False
        self.complaints.model.upsert(check.overdue)
        keys = {(r.id, "call") for r in check.overdue if r.contact_overdue} | {
            (r.id, "pay") for r in check.overdue if r.payment_overdue
        }
        calls = sum(1 for r in check.overdue if r.contact_overdue)
        unpaid = sum(1 for r in check.overdue if r.payment_overdue)
        self.alerts.show_overdue(check.overdue, calls=calls, unpaid=unpaid)
        before = self._overdue
        self._overdue = keys
        fresh = keys - (before or set())
        if fresh:
            rows = {r.id: r for r in check.overdue}
            if before is None:
                self.say(
                    self.tr("{count} complaints are overdue; see the list.").format(
                        count=len(check.overdue)
                    ),
                    ok=False,
                    status=True,
                )
            else:
                cid, what = min(fresh)
                row = rows[cid]
                text = (
                    self.tr(
                        "Complaint {id} (case {case_no}, {plate}) is overdue: nobody called "
                        "{insurer} within 24 hours."
                    )
                    if what == "call"
                    else self.tr(
                        "Complaint {id} (case {case_no}, {plate}) is overdue: {insurer} did not "
                        "pay by the deadline."
                    )
                )
                self.say(
                    text.format(
                        id=row.id,
                        case_no=row.case_no,
                        plate=row.plate_no or "—",
                        insurer=row.respondent_name_zh,
                    ),
                    ok=False,
                    status=True,
                )
        if check.sanctioned:  # said last: it is what the seat most needs to see
            self._announce_sanctions(check.sanctioned)
        if self._check_again:
            self._check_again = False
            self.check_now()

    def _announce_sanctions(self, done: Sequence[complaints.Sanctioned]) -> None:
        plates = "、".join(s.plate_no for s in done)
        fines = "、".join(sorted({str(s.fine_amount) for s in done}))
        self.say(
            self.tr(
                "Sanctioned {count}: {plates} on the checkpoint watch list, fine {fine} yuan "
                "recorded, the credit bureau notified."
            ).format(count=len(done), plates=plates, fine=fines),
            ok=True,
            status=True,
        )
        self._written(s.case_id for s in done)
        for case_id in {s.case_id for s in done}:
            self._reload_case(case_id)

    # -- filing ---------------------------------------------------------------------------------
    def file_complaint(self) -> None:
        """Ctrl+Shift+N: the filing form for the open case."""
        if self.form is not None:
            self.form.raise_()
            self.form.activateWindow()
            return
        if self._case_id is None:
            self.say(self.tr("Open the case the complaint is about first."), ok=False)
            return
        self._submit(
            complaints.complaint_case,
            self.link.session_factory,
            self._case_id,
            on_done=self._show_form,
        )

    def _show_form(self, case: ComplaintCase) -> None:
        if self.form is not None or case.case_id != self._case_id:
            return
        form = ComplaintForm(case, self._drafts.get(case.case_id), self.window)
        self.form = form

        def finished(result: int) -> None:
            if result != QDialog.DialogCode.Accepted.value:
                self._drafts[case.case_id] = form.draft()
            if self.form is form:
                self.form = None
            form.deleteLater()

        form.submitted.connect(self._file)
        form.finished.connect(finished)
        form.open()

    def _file(self, data: ComplaintInput) -> None:
        form = self.form

        def filed(done: complaints.ComplaintFiled) -> None:
            self._drafts.pop(done.case_id, None)
            if form is not None:
                form.accept()
            text = self.tr(
                "Complaint {id} filed: call the insurer by {call}; payment is due by {pay}."
            ).format(
                id=done.complaint_id,
                call=f"{to_local(done.contact_due_at):%m-%d %H:%M}",
                pay=f"{to_local(done.pay_due_at):%Y-%m-%d %H:%M}",
            )
            if done.calendar_fallback:
                text += " " + self.tr(
                    "The pay-by date counts Monday to Friday: the official holiday calendar "
                    "for that year is not known yet."
                )
            self.say(text, ok=True)
            self._written([done.case_id])
            self._reload_case(done.case_id, select=done.complaint_id)

        def refused(error: BaseException) -> None:
            if form is not None and self.form is form:
                form.refused(describe_error(error))
            else:
                self._failed(error)

        self._submit(
            complaints.file_complaint,
            self.link.session_factory,
            self.actor,
            data.case_id,
            party_letter=data.party_letter,
            insurer_org_id=data.insurer_org_id,
            reason=data.reason,
            complainant_letter=data.complainant_letter,
            amount_claimed=data.amount_claimed,
            now=self._clock(),
            on_done=filed,
            on_failed=refused,
        )

    # -- the call and the payment ---------------------------------------------------------------
    def _chosen(self, target: ComplaintState) -> ComplaintRow | None:
        """The complaint the keys act on (the current row), if it may move to `target`."""
        row = self.complaints.current_complaint()
        if row is None:
            self.say(self.tr("Choose a complaint in the list first."), ok=False)
            return None
        row = self.complaints.model.complaint(row.id) or row
        if not can_move(row.state, target):
            self.say(
                self.tr("Complaint {id} is {state}: nothing to record.").format(
                    id=row.id, state=complaint_state_label(row.state)
                ),
                ok=False,
            )
            return None
        return row

    def record_call(self) -> None:
        """Ctrl+Shift+C: the hall called the insurer and ordered payment."""
        if self.call_dialog is not None:
            self.call_dialog.raise_()
            return
        row = self._chosen(ComplaintState.CONTACTED)
        if row is None:
            return
        dialog = TextEntryDialog(
            self.tr("Call to {insurer}").format(insurer=row.respondent_name_zh),
            self.tr(
                "Whom you spoke to and what they said. The call orders payment by {pay}."
            ).format(pay=f"{to_local(row.pay_due_at):%Y-%m-%d %H:%M}"),
            self._call_drafts.get(row.id, ""),
            self.window,
        )
        self.call_dialog = dialog

        def finished(result: int) -> None:
            self.call_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted.value and not self._stopped:
                self._call_drafts[row.id] = dialog.text()
                self._save_call(row, dialog.text())

        dialog.finished.connect(finished)
        dialog.open()

    def _save_call(self, row: ComplaintRow, note: str) -> None:
        def done(change: complaints.ComplaintChanged) -> None:
            self._call_drafts.pop(change.complaint_id, None)
            self.say(
                self.tr("Call to {insurer} recorded for complaint {id}.").format(
                    insurer=row.respondent_name_zh, id=change.complaint_id
                ),
                ok=True,
            )
            self._written([change.case_id])
            self._reload_case(change.case_id)
            self.check_now()

        def refused(error: BaseException) -> None:
            self.say(
                self.tr("{reason} The note is kept: Ctrl+Shift+C opens it again.").format(
                    reason=describe_error(error)
                ),
                ok=False,
            )

        self._submit(
            complaints.record_contact,
            self.link.session_factory,
            self.actor,
            row.id,
            note,
            now=self._clock(),
            on_done=done,
            on_failed=refused,
        )

    def record_payment(self) -> None:
        """Ctrl+Shift+Y: the insurer paid; the complaint closes and the plate is lifted."""
        if self.payment_form is not None:
            self.payment_form.raise_()
            return
        row = self._chosen(ComplaintState.PAID)
        if row is None:
            return
        form = PaymentForm(row, self._clock(), self._payment_drafts.get(row.id, ""), self.window)
        self.payment_form = form

        def finished(result: int) -> None:
            if result != QDialog.DialogCode.Accepted.value:
                self._payment_drafts[row.id] = form.amount.text()
            if self.payment_form is form:
                self.payment_form = None
            form.deleteLater()

        form.submitted.connect(self._pay)
        form.finished.connect(finished)
        form.open()

    def _pay(self, data: PaymentInput) -> None:
        form = self.payment_form

        def done(paid: complaints.PaymentRecorded) -> None:
            self._payment_drafts.pop(paid.complaint_id, None)
            if form is not None:
                form.accept()
            text = self.tr("Payment recorded: complaint {id} is closed.").format(
                id=paid.complaint_id
            )
            if paid.lifted_entry_ids:
                text += " " + self.tr("The plate comes off the checkpoint watch list.")
            self.say(text, ok=True)
            self._written([paid.case_id])
            self._reload_case(paid.case_id)
            self.check_now()

        def refused(error: BaseException) -> None:
            if form is not None and self.payment_form is form:
                form.refused(describe_error(error))
            else:
                self._failed(error)

        self._submit(
            complaints.record_payment,
            self.link.session_factory,
            self.actor,
            data.complaint_id,
            data.amount,
            data.paid_at,
            now=self._clock(),
            on_done=done,
            on_failed=refused,
        )

    # -- the sanction ---------------------------------------------------------------------------
    def sanction_now(self) -> None:
        """Ctrl+Shift+S: what is due for a sanction, confirmed with its fine, then sanctioned
        (the same run the timer makes; each complaint once)."""
        if self.sanction_dialog is not None:
            self.sanction_dialog.raise_()
            return
        as_of = self._clock()

        def found(due: list[ComplaintRow]) -> None:
            if not due:
                self.say(
                    self.tr(
                        "Nothing to sanction: no unpaid complaint is past its deadline without "
                        "a sanction."
                    ),
                    ok=True,
                )
                return
            if self.sanction_dialog is not None:
                return
            dialog = SanctionDialog(due, self.policy, self.window)
            self.sanction_dialog = dialog

            def finished(result: int) -> None:
                self.sanction_dialog = None
                dialog.deleteLater()
                if result == QDialog.DialogCode.Accepted.value and not self._stopped:
                    self._sanction(dialog.fine_amount())

            dialog.finished.connect(finished)
            dialog.open()

        self._submit(sanction_candidates, self.link, as_of, on_done=found)

    def _sanction(self, fine: Decimal) -> None:
        def done(run: complaints.SanctionRun) -> None:
            if run.sanctioned:
                self._announce_sanctions(run.sanctioned)
            else:
                self.say(self.tr("Nothing new was sanctioned: another seat was first."), ok=True)
            self.check_now()

        self._submit(
            complaints.sanction_overdue,
            self.link.session_factory,
            self.actor,
            self._clock(),
            fine=fine,
            policy=self.policy,
            on_done=done,
        )

    # -- checkpoint hits ------------------------------------------------------------------------
    def checkpoint_alert(self, hits: Sequence[HitRecorded]) -> None:
        """The gateway stored reads of watch-listed plates: alert at once, then complete the
        rows (camera name, the complaint's case) from the hall."""
        if self._stopped or not hits:
            return
        self._hits_arrived([hit_row_from(h) for h in hits], alert=True)
        self._submit(
            complaints.list_checkpoint_hits,
            self.link.session_factory,
            hit_row_ids=[h.hit_row_id for h in hits],
            on_done=lambda rows: self._hits_arrived(rows, alert=True),
        )

    def _hits_arrived(self, rows: Sequence[HitRow], *, alert: bool) -> None:
        model = self.hits.model
        new = model.add(rows, alert=alert)
        if not alert:
            return
        shown = self.hits.current_hit()
        newest = max(rows, key=lambda r: (r.seen_at, r.hit_row_id), default=None)
        if newest is None:
            return
        if new or (shown is not None and shown.hit_row_id == newest.hit_row_id):
            self.hits.select_hit(newest.hit_row_id)
            text = self._hit_text(newest)
            self.alerts.show_hit(text)
            # Also when the row was only completed (camera name, case): the first, immediate
            # alert named the camera by its number.
            self.say(text, ok=False, status=True)

    def _hit_text(self, row: HitRow) -> str:
        seen = f"{to_local(row.seen_at):%H:%M:%S}"
        if row.case_no is not None:
            return self.tr(
                "Watch-listed {plate} passed {camera} at {time} (complaint {id}, case "
                "{case_no}). Ctrl+J shows the camera."
            ).format(
                plate=row.plate_no,
                camera=row.camera_name,
                time=seen,
                id=row.complaint_id,
                case_no=row.case_no,
            )
        return self.tr(
            "Watch-listed {plate} passed {camera} at {time}. Ctrl+J shows the camera."
        ).format(plate=row.plate_no, camera=row.camera_name, time=seen)

    def jump_to_hit(self) -> None:
        """Ctrl+J: the chosen hit's camera (the newest, unless another was chosen), live."""
        hit = self.hits.current_hit() or self.hits.model.hit_at(0)
        if hit is None:
            self.say(self.tr("No checkpoint hit to show."), ok=False)
            return
        self.hits.model.acknowledge(hit.hit_row_id)
        if self.hits.model.unseen() == 0:
            self.alerts.clear_hit()

        def shown(camera: WallCamera) -> None:
            self._show_camera(camera, hit)

        self._submit(resolve_camera, self.link, hit.camera_id, hit.camera_name, on_done=shown)

    def _show_camera(self, camera: WallCamera, hit: HitRow) -> None:
        if self.viewer is None:
            from console.views.hit_viewer import HitViewer

            self.viewer = HitViewer(self.window)
        self.viewer.show_camera(
            camera,
            self.tr("{plate} passed here at {time}.").format(
                plate=hit.plate_no, time=f"{to_local(hit.seen_at):%Y-%m-%d %H:%M:%S}"
            ),
        )


def _application() -> QApplication:
    return cast(QApplication, QApplication.instance())


def _has_own_find(widget: QWidget | None, window: QWidget) -> bool:
    """Whether the focus is inside a panel that binds Ctrl+F for itself (the queue, the search
    pane): the window-wide key stands aside there."""
    find = QKeySequence(QKeySequence.StandardKey.Find)
    while widget is not None and widget is not window:
        for shortcut in widget.findChildren(
            QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if (
                shortcut.isEnabled()
                and shortcut.context() == Qt.ShortcutContext.WidgetWithChildrenShortcut
                and shortcut.key().matches(find) == QKeySequence.SequenceMatch.ExactMatch
            ):
                return True
        widget = widget.parentWidget()
    return False
