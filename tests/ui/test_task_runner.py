"""The task runner: work runs off the GUI thread, results come back on it."""

from __future__ import annotations

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from console.workers.tasks import TaskRunner, TaskState


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    runner = TaskRunner(threads=2)
    yield runner  # type: ignore[misc]
    assert runner.shutdown(timeout=5)


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(x: int) -> int:
        seen["worker"] = threading.get_ident()
        return x * 2

    def done(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    runner.submit(work, 21, on_done=done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42
    assert seen["worker"] != gui
    assert seen["callback"] == gui


def test_failure_is_delivered_not_raised(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad plate")

    runner.submit(work, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], ValueError)
    assert str(errors[0]) == "bad plate"


def test_progress_and_cooperative_cancel(qtbot: QtBot, runner: TaskRunner) -> None:
    progress: list[float] = []
    done: list[object] = []
    started = threading.Event()

    def work(state: TaskState) -> str:
        for i in range(200):
            if state.cancelled():
                return "stopped"
            state.progress(i / 200)
            started.set()
            time.sleep(0.005)
        return "finished"

    task = runner.submit(work, on_done=done.append, on_progress=lambda f, _t: progress.append(f))
    assert started.wait(3)
    qtbot.waitUntil(lambda: bool(progress), timeout=3000)
    task.cancel()
    qtbot.wait(200)
    assert done == []  # a cancelled task's result is dropped
    assert runner.pending() == 0 or task.cancelled


def test_gui_thread_stays_responsive_while_work_runs(qtbot: QtBot, runner: TaskRunner) -> None:
    done: list[object] = []
    runner.submit(time.sleep, 0.5, on_done=done.append)
    started = time.monotonic()
    qtbot.wait(50)  # the event loop turns while the worker sleeps
    assert time.monotonic() - started < 0.3
    qtbot.waitUntil(lambda: bool(done), timeout=3000)


def test_shutdown_joins_the_threads(qtbot: QtBot) -> None:
    runner = TaskRunner(threads=2)
    runner.submit(time.sleep, 0.1)
    assert runner.shutdown(timeout=3)
    with pytest.raises(RuntimeError):
        runner.submit(time.sleep, 0)


def test_a_desk_that_signed_out_gets_no_result_and_submits_nothing(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    """submit_while: what every desk uses, so a result never reaches a torn-down widget."""
    signed_in = [True]
    release = threading.Event()
    ran: list[str] = []
    delivered: list[object] = []

    def slow() -> str:
        release.wait(5)
        ran.append("slow")
        return "late"

    def alive() -> bool:
        return signed_in[0]

    def fail() -> None:
        raise ValueError("late failure")

    runner.submit_while(alive, slow, on_done=delivered.append)
    runner.submit_while(alive, fail, on_failed=delivered.append)
    signed_in[0] = False  # sign-out while both are in flight
    release.set()
    assert runner.submit_while(alive, ran.append, "never") is None
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5000)
    assert ran == ["slow"] and delivered == [], "ran, but nothing delivered after sign-out"
