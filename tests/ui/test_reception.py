"""The reception seat end to end: a call handed over by the simulator over real HTTP rings,
one key answers it, the triage is typed by keyboard only with the verdict following, and the
case goes where the lifecycle says. Hall database: SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.feed import FeedState
from console.db.models import Call, Case, OutboxMessage
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.integrations.http import LinkState
from console.integrations.sim import Fault, FaultMode, SimulatorServer
from console.settings import Settings
from console.views.main_window import MainWindow
from console.views.seat_session import SeatSession
from console.workers.call_link import CallLink
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall
from tests.ui.keyboard import type_text


@dataclass
class Desk:
    hall: Hall
    sim: SimulatorServer
    call_link: CallLink
    open: Callable[[Actor], SeatSession]


@pytest.fixture
def desk(qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session]) -> Iterator[Desk]:
    hall = build_hall(session_factory)
    sim = SimulatorServer(seed=5, calls_per_hour=0, generate=False)
    sim.start()
    link = HallLink(engine, session_factory, "test database", demo=False)
    call_link = CallLink(sim.base_url, session_factory, wait_s=0.5)
    call_link.start()
    opened: list[tuple[MainWindow, TaskRunner, SeatSession]] = []

    def open_one(actor: Actor) -> SeatSession:
        window = MainWindow()
        qtbot.addWidget(window)
        runner = TaskRunner(threads=2)
        seat = SeatSession(
            actor, link, runner, window, Settings(), call_link=call_link, link_base=sim.base_url
        )
        seat.start()
        window.show()
        qtbot.waitUntil(lambda: seat.bridge.status.state is FeedState.LIVE, timeout=10_000)
        opened.append((window, runner, seat))
        return seat

    try:
        yield Desk(hall, sim, call_link, open_one)
    finally:
        for window, runner, seat in opened:
            seat.stop()
            assert runner.shutdown(timeout=5)
            window.allow_close()
            window.close()
        call_link.request_stop()
        sim.stop()
        call_link.stop()


def ring(desk: Desk, **fields: object) -> str:
    fields.setdefault("phone", "13905461234")
    fields.setdefault("place_text", "东营区府前大街与东三路路口")
    fields.setdefault("district", "东营区")
    return str(desk.sim.calls.inject(fields)["id"])


def wait_ringing(qtbot: QtBot, seat: SeatSession, count: int) -> None:
    qtbot.waitUntil(lambda: seat.calls.panel.model.rowCount() == count, timeout=5000)


def press(
    qtbot: QtBot,
    seat: SeatSession,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key as the user presses it: to whatever widget has focus in the seat's window."""
    if QApplication.activeWindow() is not seat.window:
        seat.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is seat.window, timeout=2000)
    target = seat.window.focusWidget() or seat.window
    qtbot.keyClick(target, key, modifier)


def gateway_holder(desk: Desk, external_id: str) -> str | None:
    holder = desk.sim.calls.call(external_id).get("holder")
    return None if holder is None else str(holder["seat"])


def hall_case(desk: Desk, case_id: int) -> Case:
    with desk.hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


def test_a_handed_over_call_rings_without_taking_the_focus_and_one_key_answers_it(
    qtbot: QtBot, desk: Desk
) -> None:
    seat = desk.open(desk.hall["reception"])
    form = seat.calls.triage
    assert form is not None
    seat.queue.search_box.setFocus()
    type_text(qtbot, seat.queue.search_box, "KC")
    first = ring(desk)
    wait_ringing(qtbot, seat, 1)
    qtbot.waitUntil(seat.calls.banner.isVisible, timeout=3000)
    # The ring changed nothing about where the user is typing.
    assert QApplication.focusWidget() is seat.queue.search_box
    assert seat.queue.search_box.text() == "KC"
    second = ring(desk)
    wait_ringing(qtbot, seat, 2)

    press(qtbot, seat, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: seat.calls.panel.active_call() is not None, timeout=5000)
    active = seat.calls.panel.active_call()
    assert active is not None and active.external_id == first, "F6 takes the oldest call"
    # The hall tells the gateway; the simulated 122 side now shows this seat on the line.
    qtbot.waitUntil(lambda: gateway_holder(desk, first) == seat.actor.seat, timeout=5000)
    # The triage form is filled from the call and the cursor waits in the place field.
    assert form.place.text() == "东营区府前大街与东三路路口"
    assert form.district.currentText() == "东营区"
    assert QApplication.focusWidget() is form.place
    wait_ringing(qtbot, seat, 1)
    assert seat.calls.panel.model.call_at(0).external_id == second  # type: ignore[union-attr]


def test_triage_by_keyboard_opens_the_case_and_it_reaches_review(qtbot: QtBot, desk: Desk) -> None:
    seat = desk.open(desk.hall["reception"])
    form = seat.calls.triage
    assert form is not None
    ring(desk)
    wait_ringing(qtbot, seat, 1)
    press(qtbot, seat, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.place, timeout=5000)
    assert "Keep asking" in form.verdict.text()

    # Place stays as the gateway gave it; Tab through district, time, count to the plates.
    for _ in range(4):
        press(qtbot, seat, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.plates[0]
    type_text(qtbot, form.plates[0], "鲁E3K821")
    press(qtbot, seat, Qt.Key.Key_Tab)
    press(qtbot, seat, Qt.Key.Key_Y)  # can move
    press(qtbot, seat, Qt.Key.Key_Tab)
    type_text(qtbot, form.plates[1], "鲁EF12345")
    press(qtbot, seat, Qt.Key.Key_Tab)
    press(qtbot, seat, Qt.Key.Key_Y)
    # Vehicle 3 is disabled for two vehicles, so Tab goes on to the questions: all "no".
    for name in ("injuries", "drink_or_drugs", "plates_suspect", "dangerous_goods", "party_fled"):
        press(qtbot, seat, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is form.answers[name], name
        press(qtbot, seat, Qt.Key.Key_N)
        assert form.answers[name].value() is False
    assert "Keep asking" in form.verdict.text(), "one question is still open"
    press(qtbot, seat, Qt.Key.Key_Tab)
    press(qtbot, seat, Qt.Key.Key_N)
    assert "Fast handling possible" in form.verdict.text()

    press(qtbot, seat, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.case_id is not None, timeout=5000)
    case_id = form.case_id
    assert case_id is not None
    case = hall_case(desk, case_id)
    assert case.state == CaseState.NEW.value
    assert (case.injuries, case.movable, case.drink_or_drugs, case.deliberate) == (
        False,
        True,
        False,
        False,
    )
    assert case.caller_phone == "13905461234"
    assert "鲁E3K821" in case.notes and "鲁EF12345" in case.notes
    qtbot.waitUntil(lambda: case_id in seat.queue.model.visible_case_ids(), timeout=5000)

    # F9: the guidance SMS goes into the outbox and the parties start collecting.
    press(qtbot, seat, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: hall_case(desk, case_id).state == "collecting", timeout=5000)
    with desk.hall.session_factory() as session:
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).one()
    assert sms.kind == "sms" and sms.destination == "13905461234"
    assert case.case_no in sms.payload["text"]

    # The materials are in: submitted from the seat panel, the case lands in review's queue.
    def submit_button() -> QWidget | None:
        row = seat.queue.model.queue_row(case_id)
        if row is None or row.state != "collecting":
            return None
        seat.queue.select_case(case_id)
        return seat.panel.findChild(QWidget, "move_submit_materials")

    qtbot.waitUntil(lambda: submit_button() is not None, timeout=5000)
    qtbot.mouseClick(submit_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hall_case(desk, case_id).state == "under_review", timeout=5000)
    review = desk.open(desk.hall["review"])
    qtbot.waitUntil(lambda: case_id in review.queue.model.visible_case_ids(), timeout=5000)


def test_f7_sends_the_live_call_to_review_where_it_rings(qtbot: QtBot, desk: Desk) -> None:
    reception = desk.open(desk.hall["reception"])
    review = desk.open(desk.hall["review"])
    call = ring(desk)
    wait_ringing(qtbot, reception, 1)
    assert review.calls.panel.model.rowCount() == 0, "reception's calls do not ring at review"
    press(qtbot, reception, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: reception.calls.panel.active_call() is not None, timeout=5000)
    reception.calls.panel.suggest_target(Position.REVIEW)
    press(qtbot, reception, Qt.Key.Key_F7)
    wait_ringing(qtbot, review, 1)
    assert reception.calls.panel.active_call() is None
    qtbot.waitUntil(
        lambda: desk.sim.calls.call(call)["target"] == {"position": "review", "seat": None},
        timeout=5000,
    )
    review.calls.answer_oldest()
    qtbot.waitUntil(lambda: review.calls.panel.active_call() is not None, timeout=5000)
    qtbot.waitUntil(lambda: gateway_holder(desk, call) == review.actor.seat, timeout=5000)
    assert review.calls.triage is None, "only reception triages"


def test_two_seats_answering_one_call_at_once_one_wins_the_other_is_told(
    qtbot: QtBot, desk: Desk
) -> None:
    first = desk.open(desk.hall["reception"])
    second = desk.open(desk.hall["supervisor"])  # covers reception when calls pile up
    call = ring(desk)
    wait_ringing(qtbot, first, 1)
    wait_ringing(qtbot, second, 1)
    call_id = first.calls.panel.model.call_at(0).id  # type: ignore[union-attr]
    first.calls.answer(call_id)
    second.calls.answer(call_id)
    qtbot.waitUntil(
        lambda: (
            (first.calls.panel.active_call() is None) != (second.calls.panel.active_call() is None)
        ),
        timeout=5000,
    )
    winner, loser = (
        (first, second) if first.calls.panel.active_call() is not None else (second, first)
    )
    qtbot.waitUntil(
        lambda: winner.actor.display_name in loser.calls.panel.message.text(), timeout=5000
    )
    qtbot.waitUntil(lambda: gateway_holder(desk, call) == winner.actor.seat, timeout=5000)
    with desk.hall.session_factory() as session:
        row = session.scalars(select(Call).where(Call.external_id == call)).one()
        assert row.answered_by == winner.actor.user_id


def test_injuries_turn_the_verdict_to_escalation_and_ctrl_e_escalates(
    qtbot: QtBot, desk: Desk
) -> None:
    seat = desk.open(desk.hall["reception"])
    form = seat.calls.triage
    assert form is not None
    ring(desk)
    wait_ringing(qtbot, seat, 1)
    press(qtbot, seat, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.place, timeout=5000)
    form.answers["injuries"].setFocus()
    press(qtbot, seat, Qt.Key.Key_Y)
    assert "escalate to on-scene police" in form.verdict.text()
    assert "injured" in form.verdict.text()
    press(qtbot, seat, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.case_id is not None, timeout=5000)
    case_id = form.case_id
    assert case_id is not None
    press(qtbot, seat, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: hall_case(desk, case_id).state == "escalated", timeout=5000)


def test_a_landline_caller_gets_no_sms_and_is_told_why(qtbot: QtBot, desk: Desk) -> None:
    seat = desk.open(desk.hall["reception"])
    form = seat.calls.triage
    assert form is not None
    ring(desk, phone="0546-8221234")
    wait_ringing(qtbot, seat, 1)
    press(qtbot, seat, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: seat.calls.panel.active_call() is not None, timeout=5000)
    assert seat.calls.panel.sms_note.text()
    form.submit()
    qtbot.waitUntil(lambda: form.case_id is not None, timeout=5000)
    press(qtbot, seat, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "SMS" in form.message.text(), timeout=5000)
    assert hall_case(desk, form.case_id).state == "new"  # type: ignore[arg-type]


def test_the_status_bar_shows_the_call_link_lost_and_back(qtbot: QtBot, desk: Desk) -> None:
    seat = desk.open(desk.hall["reception"])
    label = seat.call_link_status
    assert "live" in label.text()
    desk.sim.faults.set("calls", Fault(FaultMode.ERROR))
    qtbot.waitUntil(lambda: desk.call_link.status.state is LinkState.DOWN, timeout=10_000)
    qtbot.waitUntil(lambda: "lost" in label.text(), timeout=3000)
    desk.sim.faults.clear()
    call = ring(desk)
    qtbot.waitUntil(lambda: desk.call_link.status.state is LinkState.UP, timeout=20_000)
    qtbot.waitUntil(lambda: "live" in label.text(), timeout=3000)
    wait_ringing(qtbot, seat, 1)
    assert seat.calls.panel.model.call_at(0).external_id == call  # type: ignore[union-attr]


def test_two_seats_pressing_f6_for_one_call_the_second_is_told_who_has_it(
    qtbot: QtBot, desk: Desk
) -> None:
    first = desk.open(desk.hall["reception"])
    second = desk.open(desk.hall["supervisor"])
    ring(desk, phone="13905469999")
    wait_ringing(qtbot, first, 1)
    wait_ringing(qtbot, second, 1)
    # Both press F6 at the same moment, each with the call on screen.
    first.calls.answer_oldest()
    second.calls.answer_oldest()
    qtbot.waitUntil(
        lambda: (
            (first.calls.panel.active_call() is None) != (second.calls.panel.active_call() is None)
        ),
        timeout=5000,
    )
    winner, loser = (
        (first, second) if first.calls.panel.active_call() is not None else (second, first)
    )
    qtbot.waitUntil(
        lambda: winner.actor.display_name in loser.calls.panel.message.text(), timeout=5000
    )
    assert "13905469999" in loser.calls.panel.message.text()
    assert loser.calls.panel.active_call() is None
