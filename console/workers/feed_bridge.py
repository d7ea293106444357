"""Moves change-feed events from the feed's thread onto the GUI thread, in batches.

The feed calls back on its own thread; emitting one queued signal per event would wake the GUI
a thousand times for a burst of a thousand commits. Instead the feed thread appends to a
locked list and wakes the GUI once (through a GuiThreadInbox, so the feed thread never calls
into Qt); the GUI drains the whole list and emits one batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from console.db.feed import ChangeFeed, FeedEvent, FeedStatus
from console.workers.gui_thread import GuiThreadInbox


class FeedBridge(QObject):
    """Qt face of a ChangeFeed: `events_arrived(list[FeedEvent])`, `status_changed(FeedStatus)`."""

    events_arrived = Signal(list)
    status_changed = Signal(object)

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self._pending: list[FeedEvent] = []
        self._lock = threading.Lock()
        self._closed = False
        self._inbox = GuiThreadInbox(self)
        self._unsubscribe: list[Callable[[], None]] = [
            feed.subscribe(self._on_event),
            feed.on_status(self._on_status),
        ]

    def start(self, *, from_event_id: int | None = None) -> None:
        self.feed.start(from_event_id=from_event_id)

    def stop(self) -> None:
        """Stop the feed thread and stop relaying (call before the window goes away)."""
        self._closed = True
        self._inbox.close()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self.feed.stop()

    @property
    def status(self) -> FeedStatus:
        return self.feed.status

    # feed thread
    def _on_event(self, event: FeedEvent) -> None:
        with self._lock:
            first = not self._pending
            self._pending.append(event)
        if first and not self._closed:
            self._inbox.post(self._drain)

    def _on_status(self, status: FeedStatus) -> None:
        if not self._closed:
            self._inbox.post(self._relay_status, status)

    # GUI thread
    def _drain(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if batch and not self._closed:
            self.events_arrived.emit(batch)

    def _relay_status(self, status: FeedStatus) -> None:
        if not self._closed:
            self.status_changed.emit(status)
