"""Guards against the PySide6 6.12.0 + CPython 3.11 binding bug (perf-baseline §0): void Qt
calls dropped a reference to None each, and the process aborted within seconds."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def test_void_qt_calls_keep_the_refcount_of_none(qapp: QApplication) -> None:
    label = QLabel()
    timer = QTimer()
    before = sys.getrefcount(None)
    for i in range(2_500):
        label.setText(str(i))
        label.update()
        timer.start(1000)
        timer.stop()
    after = sys.getrefcount(None)
    assert after >= before, f"None lost {before - after} references across 10,000 Qt calls"
