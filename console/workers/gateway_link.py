"""The gateway's other links, on their own threads: the parties' uploads (followed and taken
into the hall with their record checks), the outbox (SMS, review outcomes, insurer pushes),
the insurers' answers (recorded on the claims), the checkpoints' hits on watch-listed plates
(recorded, and signalled for the alerts), and the record checks a reviewer asks for
again. The calls have their own worker (`call_link`).

Each thread has its own HTTP clients (a `requests.Session` is not shared across threads);
links of the same kind share one health state, which the status bar shows.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from console.hall.checkpoint_hits import record_hits
from console.hall.journal import SessionFactory
from console.integrations.checkpoints import CheckpointGateway, HitBatch, follow_checkpoint_hits
from console.integrations.http import LinkHealth, LinkStatus, Timeouts
from console.integrations.insurers import AnswerBatch, InsurerGateway, follow_insurer_answers
from console.integrations.insurers import insurer_key as keyring_insurer_key
from console.integrations.lookups import LookupGateway
from console.integrations.sms import SmsGateway
from console.integrations.submissions import (
    SubmissionEventBatch,
    SubmissionGateway,
    follow_submission_events,
)
from console.workers.gui_thread import GuiThreadInbox
from console.workers.insurer_sync import apply_insurer_answers
from console.workers.outbox_dispatcher import OutboxDispatcher, Receivers
from console.workers.submission_sync import apply_submission_events, recheck_case

log = logging.getLogger("console.net")


class GatewayLink(QObject):
    """`health_changed(LinkStatus)` for any of submissions, lookups, sms; `rechecked(int)`
    once a reviewer's F5 has been answered (the case event refreshes the seats too)."""

    health_changed = Signal(object)
    rechecked = Signal(int)
    # A watch-listed plate passed a checkpoint camera: list[HitRecorded], for the alerts.
    checkpoint_hits = Signal(object)

    def __init__(
        self,
        base_url: str,
        session_factory: SessionFactory,
        parent: QObject | None = None,
        *,
        wait_s: float = 5.0,
        insurer_key: Callable[[str], bytes] | None = None,
    ) -> None:
        """`insurer_key`: where insurers' signing keys come from (default: the keyring; the
        demo passes its simulator's)."""
        super().__init__(parent)
        self.base_url = base_url
        self._session_factory = session_factory
        self._wait_s = wait_s
        self.healths = {
            name: LinkHealth(name)
            for name in ("submissions", "lookups", "sms", "insurers", "checkpoints")
        }
        timeouts = Timeouts(connect_s=2.0, read_s=10.0)
        self._follow = SubmissionGateway(
            base_url, timeouts=timeouts, health=self.healths["submissions"]
        )
        self._follow_lookups = LookupGateway(
            base_url, timeouts=timeouts, health=self.healths["lookups"]
        )
        self._recheck_lookups = LookupGateway(
            base_url, timeouts=timeouts, health=self.healths["lookups"]
        )
        self._follow_answers = InsurerGateway(
            base_url, timeouts=timeouts, health=self.healths["insurers"]
        )
        self._follow_hits = CheckpointGateway(
            base_url, timeouts=timeouts, health=self.healths["checkpoints"]
        )
        self.dispatcher = OutboxDispatcher(
            session_factory,
            Receivers(
                sms=SmsGateway(base_url, timeouts=timeouts, health=self.healths["sms"]),
                submissions=SubmissionGateway(
                    base_url, timeouts=timeouts, health=self.healths["submissions"]
                ),
                insurers=InsurerGateway(
                    base_url, timeouts=timeouts, health=self.healths["insurers"]
                ),
                insurer_key=insurer_key or keyring_insurer_key,
                checkpoints=CheckpointGateway(
                    base_url, timeouts=timeouts, health=self.healths["checkpoints"]
                ),
            ),
        )
        self._stop = threading.Event()
        self._rechecks: queue.Queue[int | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        # Signals are emitted on the GUI thread: the threads post them (gui_thread.py says why).
        self._inbox = GuiThreadInbox(self)
        self._unsubscribe = [
            h.subscribe(lambda status: self._inbox.post(self.health_changed.emit, status))
            for h in self.healths.values()
        ]

    def statuses(self) -> list[LinkStatus]:
        return [h.status for h in self.healths.values()]

    def start(self) -> None:
        if self._threads:
            return
        self._threads = [
            threading.Thread(target=self._follow_uploads, name="gateway-submissions", daemon=True),
            threading.Thread(target=self._run_rechecks, name="gateway-records", daemon=True),
            threading.Thread(
                target=self._follow_insurer_answers, name="gateway-insurer-answers", daemon=True
            ),
            threading.Thread(
                target=self._follow_checkpoint_hits, name="gateway-checkpoint-hits", daemon=True
            ),
        ]
        for thread in self._threads:
            thread.start()
        self.dispatcher.start()

    def wake_outbox(self) -> None:
        """A use case queued a message: send it now rather than at the next round."""
        self.dispatcher.wake()

    def recheck(self, case_id: int) -> None:
        if not self._stop.is_set():
            self._rechecks.put(case_id)

    def request_stop(self) -> None:
        if not self._stop.is_set():
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self._stop.set()
            self._rechecks.put(None)

    def stop(self, timeout_s: float = 3.0) -> None:
        self.request_stop()
        self._inbox.close()  # nothing is signalled after stop
        self.dispatcher.stop(timeout_s)
        for thread in self._threads:
            thread.join(timeout_s)
            if thread.is_alive():
                log.warning("%s did not stop within %.1f s", thread.name, timeout_s)
        self._threads = []
        for client in (
            self._follow,
            self._follow_lookups,
            self._recheck_lookups,
            self._follow_answers,
            self._follow_hits,
        ):
            client.close()

    def _follow_uploads(self) -> None:
        def deliver(batch: SubmissionEventBatch) -> None:
            apply_submission_events(
                self._session_factory, self._follow, self._follow_lookups, batch
            )

        try:
            follow_submission_events(self._follow, deliver, self._stop, wait_s=self._wait_s)
        except Exception:
            if not self._stop.is_set():
                log.exception("the submission follower failed")

    def _follow_insurer_answers(self) -> None:
        def deliver(batch: AnswerBatch) -> None:
            apply_insurer_answers(self._session_factory, batch)

        try:
            follow_insurer_answers(self._follow_answers, deliver, self._stop, wait_s=self._wait_s)
        except Exception:
            if not self._stop.is_set():
                log.exception("the insurer answer follower failed")

    def _follow_checkpoint_hits(self) -> None:
        def deliver(batch: HitBatch) -> None:
            new = record_hits(self._session_factory, batch.hits)
            if new and not self._stop.is_set():
                self._inbox.post(self.checkpoint_hits.emit, new)

        try:
            follow_checkpoint_hits(self._follow_hits, deliver, self._stop, wait_s=self._wait_s)
        except Exception:
            if not self._stop.is_set():
                log.exception("the checkpoint hit follower failed")

    def _run_rechecks(self) -> None:
        while True:
            case_id = self._rechecks.get()
            if case_id is None:
                return
            try:
                recheck_case(self._session_factory, self._recheck_lookups, case_id)
            except Exception:
                log.exception("record check of case %s failed", case_id)
            self._inbox.post(self.rechecked.emit, case_id)
