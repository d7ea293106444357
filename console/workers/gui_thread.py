"""Hands calls from worker threads to the GUI thread without the worker calling into Qt.

Emitting a queued signal from a Python thread runs Qt code (connection locks, argument copies,
`postEvent`) while that thread holds the GIL. If the GUI thread holds one of those Qt locks at
that moment and needs the GIL to continue (PySide does not release the GIL around every C++
call, and Qt calls back into Python from virtual methods and message handlers), both threads
wait for ever — and no Python-level timeout can fire, because neither runs Python again. Here
a worker only appends to a deque (plain Python), and a timer on the GUI thread takes what was
posted, in order. The GUI pulls, as the camera wall pulls frames (perf-baseline: cheaper than
a signal per item); an idle tick costs a few microseconds.
"""

from __future__ import annotations

import collections
import gc
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

PULL_INTERVAL_MS = 10
"""How long a posted call may wait for the GUI thread at most (plus the time to paint)."""


class GuiThreadInbox(QObject):
    """Create on the GUI thread (as a child of the object whose calls it carries); `post` from
    any thread. Posted calls run on the GUI thread in the order they were posted; none run
    after `close()` or once the parent is deleted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # deque.append and popleft are atomic: posting threads and the GUI need no lock.
        self._calls: collections.deque[tuple[Callable[..., Any], tuple[Any, ...]]] = (
            collections.deque()
        )
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(PULL_INTERVAL_MS)
        self._timer.timeout.connect(self._drain)
        self._timer.start()

    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn(*args)` on the GUI thread soon. Safe from any thread; never blocks."""
        if not self._closed:
            self._calls.append((fn, args))

    def close(self) -> None:
        """Drop what is pending and run nothing more (the receiver is going away)."""
        self._closed = True
        self._timer.stop()
        self._calls.clear()

    def _drain(self) -> None:
        calls = self._calls
        while calls and not self._closed:
            fn, args = calls.popleft()
            try:
                fn(*args)
            except Exception:
                # What PySide does with an exception escaping a slot: the hook reports it (and
                # pytest-qt fails the test); the calls after it still run.
                sys.excepthook(*sys.exc_info())


class GuiThreadGarbageCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread only.

    Left automatic, the collector runs on whichever thread happens to allocate — often a
    worker — and a cycle holding a widget or timer is then destroyed on that thread, or inside
    a slot of the very timer being deleted: crashes and lock-ups that no test can pin down.
    Automatic collection is switched off and the same generational thresholds are checked on
    a GUI timer instead (after the PyQt recipe that has kept long-running viewers alive)."""

    CHECK_INTERVAL_MS = 200

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(self.CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        collect_due(self.threshold)

    def stop(self) -> None:
        """Hand collection back as it was (the application is ending)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def collect_due(threshold: tuple[int, ...]) -> None:
    """Collect the generations whose counts passed their thresholds, as Python would have."""
    gen0, gen1, gen2 = gc.get_count()
    if gen0 > threshold[0]:
        gc.collect(0)
        if gen1 > threshold[1]:
            gc.collect(1)
            if gen2 > threshold[2]:
                gc.collect(2)
