"""Calls posted from worker threads run on the GUI thread, each once, in order, and none after
the inbox is closed — the path every worker result takes to the screen."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from console.workers.gui_thread import GuiThreadGarbageCollector, GuiThreadInbox


def test_calls_from_many_threads_arrive_on_the_gui_thread_once_each_in_order(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    inbox = GuiThreadInbox(owner)
    gui = threading.current_thread()
    seen: dict[int, list[int]] = {n: [] for n in range(4)}
    wrong_thread: list[str] = []

    def arrived(sender: int, n: int) -> None:
        if threading.current_thread() is not gui:
            wrong_thread.append(threading.current_thread().name)
        seen[sender].append(n)

    def post_many(sender: int) -> None:
        for n in range(2000):
            inbox.post(arrived, sender, n)

    threads = [threading.Thread(target=post_many, args=(s,)) for s in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    qtbot.waitUntil(lambda: all(len(v) == 2000 for v in seen.values()), timeout=5000)
    assert not wrong_thread
    assert all(v == list(range(2000)) for v in seen.values())


def test_nothing_runs_after_close_and_a_failing_call_does_not_stop_the_rest(
    qtbot: QtBot,
) -> None:
    owner = QObject()
    inbox = GuiThreadInbox(owner)
    ran: list[str] = []

    def fail() -> None:
        raise ValueError("boom")

    with qtbot.captureExceptions() as raised:
        inbox.post(ran.append, "first")
        inbox.post(fail)
        inbox.post(ran.append, "after the failure")
        qtbot.waitUntil(lambda: len(ran) == 2, timeout=2000)
    assert ran == ["first", "after the failure"]
    assert [type(e[1]) for e in raised] == [ValueError], "reported like a failing slot"

    threading.Thread(target=inbox.post, args=(ran.append, "posted")).start()
    inbox.close()
    threading.Thread(target=inbox.post, args=(ran.append, "too late")).start()
    qtbot.wait(100)
    assert "too late" not in ran


@pytest.mark.parametrize("posts", [1, 50_000])
def test_a_burst_of_posts_is_delivered_completely(qtbot: QtBot, posts: int) -> None:
    owner = QObject()
    inbox = GuiThreadInbox(owner)
    count = [0]

    def bump() -> None:
        count[0] += 1

    worker = threading.Thread(target=lambda: [inbox.post(bump) for _ in range(posts)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: count[0] == posts, timeout=5000)


class _Cycle:
    """Garbage only the cyclic collector can free; remembers which thread freed it."""

    freed_on: ClassVar[list[threading.Thread]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread())


def test_garbage_made_on_a_worker_is_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    collector = GuiThreadGarbageCollector(owner)
    _Cycle.freed_on.clear()
    kept: list[list[int]] = []
    try:
        assert not gc.isenabled(), "no thread may start a collection by allocating"

        def churn() -> None:
            for _ in range(10):
                _Cycle()
            kept.extend([] for _ in range(50_000))  # far past the first generation's threshold

        worker = threading.Thread(target=churn)
        worker.start()
        worker.join()
        assert _Cycle.freed_on == []
        qtbot.waitUntil(lambda: len(_Cycle.freed_on) == 10, timeout=3000)
        assert set(_Cycle.freed_on) == {threading.main_thread()}
    finally:
        collector.stop()
