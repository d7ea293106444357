"""The call link worker: follows the 122 gateway's event log into the hall's database and
tells the gateway what this console's seat did, each on its own thread.

Two threads, two HTTP sessions (a `requests.Session` is not shared across threads), one
health state. The follower long-polls and never dies of the network; control requests are
sent one at a time in the order the seat made them. Results come back to the GUI thread as
queued signals.
"""

from __future__ import annotations

import logging
import queue
import threading

from PySide6.QtCore import QObject, Signal

from console.hall.actor import Actor
from console.hall.call_queries import CallView
from console.hall.journal import SessionFactory
from console.integrations.calls import CallGateway, EventBatch, follow_call_events
from console.integrations.http import LinkHealth, LinkStatus, RetryPolicy, Timeouts
from console.workers.call_sync import ControlKind, ControlOutcome, apply_call_events, tell_gateway
from console.workers.gui_thread import GuiThreadInbox

log = logging.getLogger("console.net")

_Job = tuple[Actor, ControlKind, CallView]
_STOP = None


class CallLink(QObject):
    """One per console. `calls_changed`: the hall's calls changed from the gateway's side (a
    ring, a caller hanging up); `health_changed(LinkStatus)`; `control_done(ControlOutcome)`."""

    calls_changed = Signal()
    health_changed = Signal(object)
    control_done = Signal(object)

    def __init__(
        self,
        base_url: str,
        session_factory: SessionFactory,
        parent: QObject | None = None,
        *,
        wait_s: float = 5.0,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(parent)
        self.base_url = base_url
        self._session_factory = session_factory
        self._wait_s = wait_s
        self.health = LinkHealth("calls")
        timeouts = timeouts or Timeouts(connect_s=2.0, read_s=5.0)
        self._follow_gateway = CallGateway(
            base_url, timeouts=timeouts, retry=retry, health=self.health
        )
        self._control_gateway = CallGateway(
            base_url, timeouts=timeouts, retry=retry, health=self.health
        )
        self._stop = threading.Event()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        # Signals are emitted on the GUI thread: the threads post them (gui_thread.py says why).
        self._inbox = GuiThreadInbox(self)
        self._unsubscribe = self.health.subscribe(
            lambda status: self._inbox.post(self.health_changed.emit, status)
        )

    @property
    def status(self) -> LinkStatus:
        return self.health.status

    def start(self) -> None:
        if self._threads:
            return
        self._threads = [
            threading.Thread(target=self._follow, name="call-link-follow", daemon=True),
            threading.Thread(target=self._control, name="call-link-control", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def request_stop(self) -> None:
        """Ask both threads to end, without waiting (then stop a local gateway, then `stop`)."""
        if not self._stop.is_set():
            self._unsubscribe()
            self._stop.set()
            self._jobs.put(_STOP)

    def stop(self, timeout_s: float = 3.0) -> None:
        """Stop and join both threads. A long poll in flight ends within the poll's wait; the
        thread is a daemon, so a gateway that never answers cannot hold up quitting."""
        self.request_stop()
        self._inbox.close()  # nothing is signalled after stop
        self._follow_gateway.close()
        for thread in self._threads:
            thread.join(timeout_s)
            if thread.is_alive():
                log.warning("%s did not stop within %.1f s", thread.name, timeout_s)
        self._threads = []
        self._control_gateway.close()

    def tell(self, actor: Actor, kind: ControlKind, view: CallView) -> None:
        """Queue a report to the gateway of a change the hall has committed."""
        if not self._stop.is_set():
            self._jobs.put((actor, kind, view))

    # -- threads -----------------------------------------------------------------------------
    def _follow(self) -> None:
        def deliver(batch: EventBatch) -> None:
            result = apply_call_events(self._session_factory, batch)
            if result.changed:
                self._inbox.post(self.calls_changed.emit)

        try:
            follow_call_events(self._follow_gateway, deliver, self._stop, wait_s=self._wait_s)
        except Exception:
            if not self._stop.is_set():
                log.exception("the call event follower failed")

    def _control(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            actor, kind, view = job
            try:
                outcome = tell_gateway(
                    self._control_gateway, self._session_factory, actor, kind, view
                )
            except Exception as exc:
                log.exception("telling the gateway %s failed", kind)
                outcome = ControlOutcome(kind, view.external_id, ok=False, detail=str(exc))
            if outcome.caller_gone:
                self._inbox.post(self.calls_changed.emit)
            self._inbox.post(self.control_done.emit, outcome)
