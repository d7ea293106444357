"""The one way views run work off the GUI thread.

A task is a plain function; the runner calls it on a worker thread and delivers its result,
its exception or its progress on the GUI thread. Functions that want to report progress or
notice cancellation declare a `state: TaskState` keyword. Views never touch the database,
the network or a decoder themselves: they submit a use case here and update when `done` fires.
(After Orange's TaskState and Anki's CollectionOp; STYLE.md "One way to run work off the GUI
thread".)
"""

from __future__ import annotations

import inspect
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.workers.gui_thread import GuiThreadInbox

log = logging.getLogger("console.ui")


class TaskState:
    """Handed to a task that asks for it: cooperative cancellation and progress reports."""

    def __init__(self, report: Callable[[float, str], None]) -> None:
        self._cancelled = threading.Event()
        self._report = report

    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, fraction: float, text: str = "") -> None:
        self._report(max(0.0, min(1.0, fraction)), text)


@dataclass
class Task:
    """A submitted task; `cancel()` asks it to stop and drops its result."""

    id: int
    name: str
    state: TaskState
    on_done: Callable[[Any], None] | None = None
    on_failed: Callable[[BaseException], None] | None = None
    on_progress: Callable[[float, str], None] | None = None
    submitted_at: float = field(default_factory=time.monotonic)

    def cancel(self) -> None:
        self.state.cancel()

    @property
    def cancelled(self) -> bool:
        return self.state.cancelled()


_STOP = object()


class TaskRunner(QObject):
    """Runs submitted functions on a small pool of threads (each use case opens its own
    session, so the threads share nothing but the engine's connection pool)."""

    task_failed = Signal(object, object)  # (Task, exception) for tasks without on_failed
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._inbox = GuiThreadInbox(self)  # results cross to the GUI thread without Qt calls
        self._queue: queue.Queue[Any] = queue.Queue()
        self._tasks: dict[int, Task] = {}
        self._ids = itertools.count(1)
        self._closed = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"task-runner-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        """Run `fn(*args, **kwargs)` off the GUI thread; callbacks run on the GUI thread."""
        if self._closed.is_set():
            raise RuntimeError("the task runner has been shut down")
        task_id = next(self._ids)
        state = TaskState(lambda f, t: self._emit_progress(task_id, f, t))
        if _wants_state(fn):
            kwargs["state"] = state
        task = Task(
            task_id, getattr(fn, "__name__", "task"), state, on_done, on_failed, on_progress
        )
        was_idle = not self._tasks
        self._tasks[task_id] = task
        self._queue.put((task_id, fn, args, kwargs))
        if was_idle:
            self.busy_changed.emit(True)
        return task

    def submit_while(
        self,
        alive: Callable[[], bool],
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> Task | None:
        """`submit` for a desk that can sign out while the task runs: nothing is submitted
        once `alive()` is false, and a result arriving after that is dropped, because the
        widgets its callbacks would update are gone."""
        if not alive():
            return None

        def live(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
            if callback is None:
                return None

            def guarded(value: Any) -> None:
                if alive():
                    callback(value)

            return guarded

        return self.submit(fn, *args, on_done=live(on_done), on_failed=live(on_failed), **kwargs)

    def pending(self) -> int:
        return len(self._tasks)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop taking work, cancel what waits, and join the threads (bounded). True if all
        threads ended in time."""
        if self._closed.is_set():
            return True
        self._closed.set()
        for task in self._tasks.values():
            task.cancel()
        for _ in self._threads:
            self._queue.put(_STOP)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            log.warning("task threads still running after %.1f s: %s", timeout, alive)
        self._tasks.clear()
        self._inbox.close()
        return not alive

    # -- worker side ------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            task_id, fn, args, kwargs = item
            task = self._tasks.get(task_id)
            if task is None or task.cancelled or self._closed.is_set():
                self._emit_finished(task_id, False, None)
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                self._emit_finished(task_id, False, exc)
            else:
                self._emit_finished(task_id, True, result)

    def _emit_finished(self, task_id: int, ok: bool, value: object) -> None:
        if not self._closed.is_set():
            self._inbox.post(self._finished, task_id, ok, value)

    def _emit_progress(self, task_id: int, fraction: float, text: str) -> None:
        if not self._closed.is_set():
            self._inbox.post(self._progressed, task_id, fraction, text)

    # -- GUI side ---------------------------------------------------------------------------
    def _finished(self, task_id: int, ok: bool, value: object) -> None:
        task = self._tasks.pop(task_id, None)
        if not self._tasks:
            self.busy_changed.emit(False)
        if task is None or task.cancelled:
            return
        if ok:
            if task.on_done is not None:
                task.on_done(value)
            return
        if value is None:
            return
        error = value if isinstance(value, BaseException) else RuntimeError(str(value))
        if task.on_failed is not None:
            task.on_failed(error)
        else:
            log.error("task %s failed", task.name, exc_info=error)
            self.task_failed.emit(task, error)

    def _progressed(self, task_id: int, fraction: float, text: str) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.on_progress is not None and not task.cancelled:
            task.on_progress(fraction, text)


def _wants_state(fn: Callable[..., Any]) -> bool:
    """True for functions declaring `state: TaskState` (by name and annotation, so a use
    case's own `state` argument is never mistaken for it)."""
    try:
        parameter = inspect.signature(fn).parameters.get("state")
    except (TypeError, ValueError):
        return False
    if parameter is None:
        return False
    annotation = parameter.annotation
    return annotation is TaskState or (isinstance(annotation, str) and "TaskState" in annotation)
