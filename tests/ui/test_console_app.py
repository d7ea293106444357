"""The whole program as a user meets it: start, sign in, work, sign out, switch, quit."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console import credentials
from console.app import ConsoleApp, parse_args
from console.hall.accounts import HasherCost, configure_hasher
from console.settings import Settings, load_settings
from console.views.sign_in import SignInDialog
from tests.ui.keyboard import type_text

StartApp = Callable[[list[str]], ConsoleApp]


@pytest.fixture
def start_app(qtbot: QtBot) -> Iterator[StartApp]:
    configure_hasher(HasherCost(time_cost=1, memory_cost=1024, parallelism=1))
    started: list[ConsoleApp] = []

    def start(argv: list[str]) -> ConsoleApp:
        app = ConsoleApp(parse_args(argv), Settings())
        qtbot.addWidget(app.window)
        app.start()
        started.append(app)
        return app

    yield start
    for app in started:
        if app.sign_in_dialog is not None:
            app.sign_in_dialog.done(0)
        app.quit()
    configure_hasher()


def sign_in_dialog(qtbot: QtBot, app: ConsoleApp) -> SignInDialog:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=30_000)
    dialog = app.sign_in_dialog
    assert isinstance(dialog, SignInDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    return dialog


def sign_in_as(qtbot: QtBot, dialog: SignInDialog, user: str, password: str, seat: str) -> None:
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, user)
    qtbot.waitUntil(dialog.position.isEnabled, timeout=5000)
    dialog.seat.clear()
    type_text(qtbot, dialog.seat, seat)
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_demo_sign_in_work_sign_out_and_switch_seat(qtbot: QtBot, start_app: StartApp) -> None:
    app = start_app(["--demo", "--seat", "seat-01"])
    dialog = sign_in_dialog(qtbot, app)
    sign_in_as(qtbot, dialog, "review1", "demo1234", "审核-01")
    qtbot.waitUntil(lambda: app.seat is not None, timeout=10_000)
    seat = app.seat
    assert seat is not None
    qtbot.waitUntil(lambda: seat.queue.model.known_count() >= 300, timeout=10_000)
    assert app.window.connection is not None
    assert "审核-01" in app.window.windowTitle()

    app.window.sign_out_action.trigger()
    assert app.seat is None
    dialog = sign_in_dialog(qtbot, app)
    assert dialog.username.text() == "review1"  # remembered for the next sign-in
    sign_in_as(qtbot, dialog, "officer1", "demo1234", "认定-03")
    qtbot.waitUntil(lambda: app.seat is not None, timeout=10_000)
    assert app.seat is not None
    assert app.seat.actor.position.value == "determination"
    assert load_settings().last_seat == "认定-03"
    assert "审核-01" in load_settings().layouts  # the first seat's layout was kept


def test_a_wrong_password_keeps_the_dialog_open(qtbot: QtBot, start_app: StartApp) -> None:
    app = start_app(["--demo"])
    dialog = sign_in_dialog(qtbot, app)
    sign_in_as(qtbot, dialog, "review1", "not-the-password", "审核-01")
    qtbot.waitUntil(lambda: "password" in dialog.message.text().lower(), timeout=10_000)
    assert app.seat is None
    assert dialog.isVisible()


def test_an_unreachable_hall_database_says_so_and_offers_retry(
    qtbot: QtBot, start_app: StartApp
) -> None:
    url = "postgresql+psycopg://hall@127.0.0.1:1/hall"
    credentials.store_database_password(url, "secret")
    app = start_app(["--db", url])
    page = app.window.message_page

    def says_unreachable() -> bool:
        return "cannot be opened" in page.text.text() and page.retry.isVisible()

    qtbot.waitUntil(says_unreachable, timeout=15_000)
    assert "127.0.0.1:1/hall" in page.text.text()
    assert "Connection refused" in page.text.text()
    assert "secret" not in page.text.text()
    assert app.sign_in_dialog is None
    page.retry.click()  # still unreachable: the page comes back, nothing crashes
    assert not says_unreachable()
    qtbot.waitUntil(says_unreachable, timeout=15_000)


@pytest.mark.pg
def test_hall_mode_reads_the_password_from_the_keyring(
    qtbot: QtBot, start_app: StartApp, pg_url: str
) -> None:
    from tests.conftest import pg_database

    with pg_database(pg_url) as url:
        credentials.store_database_password(url, "kept-in-keyring")
        app = start_app(["--db", url])
        # The database opens (trust auth accepts the stored password) and sign-in is offered.
        sign_in_dialog(qtbot, app)
        app.sign_in_dialog.done(0)  # type: ignore[union-attr]
        app.quit()
        assert QApplication.instance() is not None
