"""Screenshots of the demo for the README and docs, taken from a real window.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python installer/screenshots.py docs/img

Opens the demo hall in a fresh data folder, signs in as the given demo user, waits until the
queue is loaded and grabs the screen (the window as X shows it, fonts and all).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SHOTS = [
    # file name, user, position, language
    ("reception-calls-zh.png", "reception1", "reception", "zh_CN"),
    ("reception-calls-en.png", "reception1", "reception", "en"),
    ("queue-reception-zh.png", "reception1", "reception", "zh_CN"),
    ("queue-determination-zh.png", "officer1", "determination", "zh_CN"),
    ("queue-review-en.png", "review1", "review", "en"),
]


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    data = Path(tempfile.mkdtemp(prefix="hall-shots-"))
    os.environ["HALL_CONSOLE_DATA_DIR"] = str(data / "data")
    os.environ["HALL_CONSOLE_CONFIG_DIR"] = str(data / "config")
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.domain.positions import Position
    from console.hall.accounts import sign_in
    from console.hall.link import open_hall
    from console.i18n import install_translators
    from console.integrations.sim import SimulatorServer
    from console.paths import demo_database_url
    from console.settings import Settings
    from console.views.main_window import MainWindow
    from console.views.seat_session import SeatSession
    from console.workers.call_link import CallLink
    from console.workers.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    link = open_hall(demo_database_url(), demo=True)
    simulator = SimulatorServer(seed=7, generate=False)
    simulator.start()
    call_link = CallLink(simulator.base_url, link.session_factory, wait_s=1.0)
    call_link.start()
    pending = list(SHOTS)
    state: dict[str, object] = {}
    done_windows: list[object] = []

    def next_shot() -> None:
        if "seat" in state:
            seat = state.pop("seat")
            assert isinstance(seat, SeatSession)
            seat.stop()
            runner = state.pop("runner")
            assert isinstance(runner, TaskRunner)
            runner.shutdown()
            window = state.pop("window")
            assert isinstance(window, MainWindow)
            window.allow_close()
            window.close()
            window.deleteLater()
            done_windows.append(window)  # Qt deletes it; Python must not do so first
        if not pending:
            call_link.request_stop()
            simulator.stop()
            call_link.stop()
            link.close()
            app.quit()
            return
        name, user, position, language = pending.pop(0)
        for translator in state.pop("translators", []):  # type: ignore[attr-defined]
            app.removeTranslator(translator)
        state["translators"] = install_translators(app, language)
        actor = sign_in(
            link.session_factory,
            username=user,
            password="demo1234",
            position=Position(position),
            seat="接警-01" if position == "reception" else "席位-07",
        )
        window = MainWindow()
        runner = TaskRunner(threads=2)
        seat = SeatSession(
            actor,
            link,
            runner,
            window,
            Settings(),
            call_link=call_link,
            link_base=simulator.base_url,
        )
        state.update(window=window, runner=runner, seat=seat)
        seat.start()
        window.resize(1580, 960)
        window.move(10, 10)
        window.show()

        with_calls = name.startswith("reception-calls")
        if with_calls:
            for patience in (None, None, None, None):
                simulator.calls.inject({"patience_s": patience} if patience else {})

        def answer() -> None:
            seat.calls.answer_oldest()
            QTimer.singleShot(1500, triage)

        def triage() -> None:
            form = seat.calls.triage
            if form is not None:
                form.plates[0].setText("鲁E3K821")
                form.movable[0].set_value(True)
                form.plates[1].setText("鲁EF12345")
                form.movable[1].set_value(True)
                form.answers["injuries"].set_value(False)
                form.answers["drink_or_drugs"].set_value(False)
                form.notes.setPlainText("两车追尾，无人受伤")
                form.plates[1].setFocus()
            QTimer.singleShot(2500, grab)

        def shoot() -> None:
            queue = seat.queue
            if queue.model.rowCount():
                queue.table.selectRow(0)
                first = queue.current_case()
                if first is not None:
                    seat.open_case(first)
            QTimer.singleShot(1500, grab)

        def grab() -> None:
            screen = app.primaryScreen()
            screen.grabWindow(0).save(str(out / name))
            print(f"saved {out / name}")
            QTimer.singleShot(100, next_shot)

        QTimer.singleShot(2500, answer if with_calls else shoot)

    QTimer.singleShot(0, next_shot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")))
