"""Signing in through the dialog, by keyboard, against real argon2-hashed accounts."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from console.domain.positions import Position
from console.hall.accounts import HasherCost, configure_hasher, create_user, positions_of, sign_in
from console.hall.actor import Actor
from console.views.sign_in import SignInDialog
from console.workers.tasks import TaskRunner
from tests.hall.conftest import build_hall


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    configure_hasher(HasherCost(time_cost=1, memory_cost=1024, parallelism=1))
    runner = TaskRunner(threads=2)
    yield runner
    runner.shutdown()
    configure_hasher()


@pytest.fixture
def dialog(
    qtbot: QtBot, runner: TaskRunner, session_factory: sessionmaker[Session]
) -> SignInDialog:
    hall = build_hall(session_factory)
    create_user(
        session_factory,
        None,
        org_id=hall.police_id,
        username="officer9",
        display_name="钱警官",
        password="correct horse 9",
        positions=[Position.DETERMINATION, Position.LOOKUP],
        badge_no="370501",
    )
    dialog = SignInDialog(
        runner,
        partial(positions_of, session_factory),
        lambda name, password, position, seat: sign_in(
            session_factory, username=name, password=password, position=position, seat=seat
        ),
        seat="认定-02",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_in(qtbot: QtBot, dialog: SignInDialog, name: str, password: str) -> None:
    dialog.username.setFocus()
    qtbot.keyClicks(dialog.username, name)
    qtbot.waitUntil(dialog.position.isEnabled, timeout=3000)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, password)


def test_good_password_signs_in_as_the_chosen_position(qtbot: QtBot, dialog: SignInDialog) -> None:
    type_in(qtbot, dialog, "officer9", "correct horse 9")
    # Only the positions this user holds are offered.
    offered = [dialog.position.itemData(i) for i in range(dialog.position.count())]
    assert offered == ["determination", "lookup"]
    dialog.position.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as signed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    actor = signed.args[0]
    assert isinstance(actor, Actor)
    assert (actor.display_name, actor.position, actor.seat) == (
        "钱警官",
        Position.LOOKUP,
        "认定-02",
    )


def test_bad_password_is_refused_and_only_the_password_is_cleared(
    qtbot: QtBot, dialog: SignInDialog
) -> None:
    type_in(qtbot, dialog, "officer9", "wrong guess 1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.buttons.isEnabled() and dialog.message.text() != "", timeout=5000
    )
    qtbot.waitUntil(lambda: "Signing in" not in dialog.message.text(), timeout=5000)
    assert "user name or password" in dialog.message.text().lower()
    assert dialog.actor is None
    assert dialog.password.text() == ""
    assert dialog.username.text() == "officer9"
    assert dialog.isVisible()
