"""Start-up: parse the command line, show a window first, then open the database off the GUI
thread (importing SQLAlchemy and migrating costs a second or more; perf-baseline §7)."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

log = logging.getLogger("console.ui")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hall-console", description="Hall Console")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true", help="embedded SQLite demo hall")
    mode.add_argument("--db", metavar="URL", help="central database, postgresql+psycopg://…")
    parser.add_argument("--seat", metavar="NAME", help="seat name of this desk")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument(
        "--quit-when-ready", action="store_true", help=argparse.SUPPRESS
    )  # smoke tests: exit 0 once the database is open
    args = parser.parse_args(argv)
    if not args.db:
        args.demo = True
    return args


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    from PySide6.QtCore import QObject, Qt, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class _Bridge(QObject):
        opened = Signal(str)
        failed = Signal(str)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("警保联动指挥中心 · Hall Console")
    label = QLabel("正在打开数据库…" if args.lang == "zh_CN" else "Opening the database…")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(960, 600)
    window.show()

    bridge = _Bridge()
    outcome: dict[str, int] = {"code": 0}

    def opened(text: str) -> None:
        label.setText(text)
        if args.quit_when_ready:
            QTimer.singleShot(0, app.quit)

    def failed(text: str) -> None:
        label.setText(text)
        outcome["code"] = 1
        if args.quit_when_ready:
            QTimer.singleShot(0, app.quit)

    bridge.opened.connect(opened)
    bridge.failed.connect(failed)

    def open_database() -> None:
        try:
            from console.db.engine import make_engine
            from console.db.migrate import upgrade
            from console.paths import demo_database_url

            url = demo_database_url() if args.demo else args.db
            engine = make_engine(url)
            upgrade(engine)
            from sqlalchemy import func, select

            from console.db.models import Case

            with engine.connect() as conn:
                count = conn.execute(select(func.count()).select_from(Case)).scalar_one()
            engine.dispose()
            where = engine.url.render_as_string(hide_password=True)
            bridge.opened.emit(f"{where}\n{count} cases")
        except Exception as exc:
            log.exception("could not open the database")
            bridge.failed.emit(f"Database unavailable: {exc}")

    worker = threading.Thread(target=open_database, name="open-db", daemon=True)
    worker.start()
    code = app.exec()
    worker.join(10)
    return code or outcome["code"]
