"""The demo command opens the console on a fresh data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_opens_and_migrates_a_fresh_database(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HALL_CONSOLE_DATA_DIR=str(tmp_path / "data"),
        HALL_CONSOLE_CONFIG_DIR=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "console", "--demo", "--quit-when-ready"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    database = tmp_path / "data" / "demo.sqlite3"
    assert database.exists()
    import sqlite3

    with sqlite3.connect(database) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"cases", "case_events", "outbox", "alembic_version"} <= tables
