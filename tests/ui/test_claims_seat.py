"""The claims seat by keyboard on SQLite and PostgreSQL: an insurer's adjuster sees only the
company's notifications, takes one (F2), assesses it (Ctrl+Enter) and pays it (Ctrl+Shift+P);
the case settles when its last claim is paid. Bad amounts and stale views are refused with a
message and change nothing; the knock-for-knock verdict names every failed condition; the
queue's timers run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QBrush, QImage
from PySide6.QtWidgets import QApplication, QSplitter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    Attachment,
    Case,
    CaseAttachment,
    CaseEvent,
    Claim,
    LookupResult,
    Party,
)
from console.domain.liability import Grade
from console.domain.lifecycle import CaseState
from console.hall.actor import Actor
from console.hall.assignment import claim_case
from console.hall.cameras import seed_demo_cameras
from console.hall.claims import record_assessment, record_payout, take_claim
from console.hall.determination import DeterminationInput, determine_case
from console.hall.evidence import attach_snapshot
from console.hall.link import HallLink
from console.views.claims_desk import ClaimsDesk
from console.views.claims_queue import CaseIdRole, ClaimColumn, ClaimFilter
from console.views.main_window import MainWindow
from console.workers.tasks import TaskRunner
from tests.hall.conftest import Hall, build_hall
from tests.hall.test_claims import claim_of, second_insurer
from tests.hall.test_determination import text_pdf, waiting_case
from tests.ui.keyboard import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

REAR_END = DeterminationInput(
    situation_code="REAR_END",
    at_fault_letter="A",
    grades={"A": Grade.FULL, "B": Grade.NONE},
    narrative="甲车追尾乙车，甲方负全部责任。",
)
BOTH_CHANGE_LANES = DeterminationInput(
    situation_code="BOTH_CHANGE_LANES",
    at_fault_letter="A",
    grades={"A": Grade.EQUAL, "B": Grade.EQUAL},
    narrative="两车同时变道相互刮擦，双方负同等责任。",
)

OpenDesk = Callable[[Actor], ClaimsDesk]


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


@pytest.fixture
def changed() -> list[int]:
    """The case ids the desk reported as written (what the seat session refreshes)."""
    return []


@pytest.fixture
def open_desk(
    qtbot: QtBot, engine: Engine, session_factory: sessionmaker[Session], changed: list[int]
) -> Iterator[OpenDesk]:
    """The claims desk in a main window, work area beside the letter and photos."""
    link = HallLink(engine, session_factory, "test database", demo=False)
    opened: list[tuple[MainWindow, TaskRunner, ClaimsDesk]] = []

    def open_one(actor: Actor) -> ClaimsDesk:
        window = MainWindow()
        qtbot.addWidget(window)
        runner = TaskRunner(threads=2)
        desk = ClaimsDesk(actor, link, runner, window, cases_changed=changed.extend)
        area = QSplitter(Qt.Orientation.Horizontal)
        area.addWidget(desk.bottom)
        area.addWidget(desk.panel)
        area.setSizes([700, 740])
        window.pages.addWidget(area)
        window.pages.setCurrentWidget(area)
        desk.start()
        window.show()
        qtbot.waitExposed(window)
        opened.append((window, runner, desk))
        return desk

    yield open_one
    for window, runner, desk in opened:
        desk.stop()
        assert runner.shutdown(timeout=5)
        window.allow_close()
        window.close()


# ---------------------------------------------------------------- the hall's side


def determined(
    hall: Hall,
    *,
    start: int = 0,
    b_insurer: int | None = None,
    a_insurer: int | None = None,
    decision: DeterminationInput = REAR_END,
    real_letter: bool = False,
) -> int:
    """A determined two-party case; party A insured by PICC unless said otherwise."""
    case_id = waiting_case(hall, start=start)
    with hall.session_factory() as db, db.begin():
        if b_insurer is not None:
            db.execute(
                update(Party)
                .where(Party.case_id == case_id, Party.letter == "B")
                .values(insurer_org_id=b_insurer)
            )
        if a_insurer is not None:
            db.execute(
                update(Party)
                .where(Party.case_id == case_id, Party.letter == "A")
                .values(insurer_org_id=a_insurer)
            )
    claim_case(hall.session_factory, hall["officer"], case_id)
    if real_letter:
        from console.reports.letter import render_letter_pdf

        render = render_letter_pdf
    else:
        render = text_pdf
    determine_case(
        hall.session_factory,
        hall["officer"],
        case_id,
        decision,
        expected_version=None,
        render=render,
        verification_base_url="https://hall.example",
    )
    return case_id


def claim_row(hall: Hall, claim_id: int) -> Claim:
    with hall.session_factory() as db:
        claim = db.get(Claim, claim_id)
        assert claim is not None
        db.expunge(claim)
        return claim


def state(hall: Hall, case_id: int) -> str:
    with hall.session_factory() as db:
        return str(db.scalar(select(Case.state).where(Case.id == case_id)))


def png() -> bytes:
    frame = QImage(64, 36, QImage.Format.Format_RGB32)
    frame.fill(0x336699)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    frame.save(buffer, "PNG")
    return bytes(buffer.data().data())


def attach_photo(hall: Hall, case_id: int) -> None:
    data = png()
    digest = hashlib.sha256(data).hexdigest()
    now = datetime.now(UTC)
    with hall.session_factory() as db, db.begin():
        db.execute(
            insert(Attachment),
            [{"sha256": digest, "size": len(data), "mime": "image/png", "content": data}],
        )
        db.execute(
            insert(CaseAttachment),
            [
                {
                    "case_id": case_id,
                    "sha256": digest,
                    "kind": "collision_point",
                    "uploaded_at": now,
                    "source": "app",
                }
            ],
        )


# ---------------------------------------------------------------- the keyboard


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, k, mod)


def rows_shown(desk: ClaimsDesk) -> list[int]:
    model = desk.panel.queue.model
    return [model.data(model.index(r, 0), CaseIdRole) for r in range(model.rowCount())]


def open_by_keyboard(qtbot: QtBot, desk: ClaimsDesk, claim_id: int) -> None:
    """Arrows to the claim in the queue, Enter: its case opens."""
    queue = desk.panel.queue
    queue.table.setFocus()
    qtbot.waitUntil(queue.table.hasFocus, timeout=2000)
    target = queue.model.row_of(claim_id)
    for _ in range(queue.model.rowCount() + 1):
        current = queue.table.currentIndex().row()
        if current == target:
            break
        key(qtbot, Qt.Key.Key_Up if current > target else Qt.Key.Key_Down)
    assert queue.current_claim() == claim_id
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: desk.form.claim is not None and desk.form.claim.claim_id == claim_id,
        timeout=5000,
    )


def take_assess_pay_by_keyboard(
    qtbot: QtBot, hall: Hall, desk: ClaimsDesk, claim_id: int, amount: str = "1800"
) -> None:
    form = desk.form
    open_by_keyboard(qtbot, desk, claim_id)
    desk.panel.queue.table.setFocus()
    key(qtbot, Qt.Key.Key_F2)  # take the selected claim
    qtbot.waitUntil(lambda: form.parts.isEnabled() and form.parts.hasFocus(), timeout=5000)
    assert claim_row(hall, claim_id).assignee_id == hall["claims"].user_id
    type_text(qtbot, form.parts, "后保险杠、左尾灯")
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.amount
    qtbot.keyClicks(form.amount, amount)
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.shop
    type_text(qtbot, form.shop, "东营宏达汽修")
    key(qtbot, Qt.Key.Key_Return, CTRL)  # save the assessment
    qtbot.waitUntil(lambda: claim_row(hall, claim_id).stage == "assessed", timeout=5000)
    qtbot.waitUntil(form.pay_button.isEnabled, timeout=5000)
    assert Decimal(form.payout_amount.text()) == Decimal(amount), "defaults to the assessment"
    key(qtbot, Qt.Key.Key_P, CTRL_SHIFT)  # record the payout
    qtbot.waitUntil(lambda: claim_row(hall, claim_id).stage == "paid", timeout=5000)


# ---------------------------------------------------------------- the tests


def test_the_queue_shows_only_the_company_claims_newest_first(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk, qtmodeltester: ModelTester
) -> None:
    cpic_id, _cpic = second_insurer(hall)
    older = determined(hall, start=0)
    other_company = determined(hall, start=1, a_insurer=cpic_id)
    newer = determined(hall, start=2)
    desk = open_desk(hall["claims"])
    model = desk.panel.queue.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert rows_shown(desk) == [newer, older], "newest notification first"
    assert other_company not in rows_shown(desk)
    qtmodeltester.check(model, force_py=True)

    # The change feed names the other company's case too: it stays out of this queue.
    desk.refresh([other_company, newer])
    qtbot.waitUntil(lambda: desk.runner.pending() == 0, timeout=5000)
    assert rows_shown(desk) == [newer, older]

    # A take elsewhere moves the row between the filters without a reload.
    take_claim(hall.session_factory, hall["claims"], claim_of(hall, older, "A"))
    desk.panel.queue.set_filter(ClaimFilter.WAITING)
    desk.refresh([older])
    qtbot.waitUntil(lambda: rows_shown(desk) == [newer], timeout=5000)
    desk.panel.queue.set_filter(ClaimFilter.MINE)
    assert rows_shown(desk) == [older]
    qtmodeltester.check(model, force_py=True)


def test_an_adjuster_takes_assesses_and_pays_by_keyboard_and_the_case_settles(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk, changed: list[int]
) -> None:
    case_id = determined(hall, real_letter=True)
    attach_photo(hall, case_id)
    seed_demo_cameras(hall.session_factory, lambda cid: (f"http://127.0.0.1:9/cam/{cid}", None))
    attach_snapshot(
        hall.session_factory,
        hall["patrol"],
        case_id,
        camera_id="37050200001320000001",
        png_bytes=png(),
        taken_at=datetime.now(UTC) - timedelta(minutes=3),
    )
    claim_id = claim_of(hall, case_id, "A")
    desk = open_desk(hall["claims"])
    qtbot.waitUntil(lambda: desk.panel.queue.model.rowCount() == 1, timeout=5000)

    open_by_keyboard(qtbot, desk, claim_id)
    form = desk.form
    assert "T00000000" in form.heading.text()
    assert form.take_button.isEnabled() and not form.parts.isEnabled(), "take it first"
    qtbot.waitUntil(lambda: desk.photos.strip.list_widget.count() == 1, timeout=5000)
    assert desk.evidence_list.count() == 1 and "snapshot" in desk.evidence_list.item(0).text()
    strip = form.strips[claim_id]
    assert strip.cells["notified"].text().startswith("Notified")
    assert "—" in strip.cells["assessed"].text()

    # The letter in force, as the parties and the insurers received it.
    desk.panel.queue.table.setFocus()
    key(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: desk.letter_dialog is not None, timeout=5000)
    assert desk.letter_dialog is not None and desk.letter_dialog.document.pageCount() == 1
    desk.letter_dialog.close()
    seat_window = desk.panel.queue.table.window()
    seat_window.activateWindow()  # the viewer closed: the adjuster is back in the seat
    qtbot.waitUntil(lambda: QApplication.activeWindow() is seat_window, timeout=5000)

    take_assess_pay_by_keyboard(qtbot, hall, desk, claim_id)
    qtbot.waitUntil(lambda: state(hall, case_id) == "settled", timeout=5000)
    qtbot.waitUntil(lambda: "Settled" in form.heading.text(), timeout=5000)
    assert "the case is settled" in form.message.text()
    assert form.clock.text().startswith("Accident to payout")
    assert not form.pay_button.isEnabled() and not form.take_button.isEnabled()
    assert "Paid" in strip.cells["paid"].text() and "—" not in strip.cells["paid"].text()
    model = desk.panel.queue.model
    qtbot.waitUntil(
        lambda: model.data(model.index(0, ClaimColumn.TIMER)).startswith("paid after"),
        timeout=5000,
    )
    assert model.data(model.index(0, ClaimColumn.AMOUNT)) == "1,800.00"
    assert case_id in changed
    claim = claim_row(hall, claim_id)
    assert (claim.damaged_parts, claim.repair_shop, claim.paid_amount) == (
        ["后保险杠", "左尾灯"],
        "东营宏达汽修",
        Decimal("1800.00"),
    )
    with hall.session_factory() as db:
        kinds = db.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
    assert kinds[-4:] == ["claim_taken", "claim_assessed", "claim_paid", "transition"]


def test_with_two_insurers_the_first_payout_leaves_the_case_open(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk
) -> None:
    cpic_id, cpic = second_insurer(hall)
    case_id = determined(hall, b_insurer=cpic_id)
    desk = open_desk(hall["claims"])
    qtbot.waitUntil(lambda: desk.panel.queue.model.rowCount() == 1, timeout=5000)
    form = desk.form

    take_assess_pay_by_keyboard(qtbot, hall, desk, claim_of(hall, case_id, "A"))
    qtbot.waitUntil(lambda: "stays open" in form.message.text(), timeout=5000)
    assert state(hall, case_id) == "claims_open"
    qtbot.waitUntil(
        lambda: "Other insurers' claims not paid yet: 1" in form.others.text(), timeout=5000
    )
    assert "not paid yet" in form.clock.text()

    # CPIC pays its insured at its own seat; the change feed brings it here.
    taken = take_claim(hall.session_factory, cpic, claim_of(hall, case_id, "B"))
    assessed = record_assessment(
        hall.session_factory,
        cpic,
        taken.claim_id,
        expected_version=taken.version,
        damaged_parts=["前保险杠"],
        amount=Decimal("900"),
        repair_shop="东营顺达汽修",
        knock_for_knock=False,
    )
    paid = record_payout(
        hall.session_factory,
        cpic,
        assessed.claim_id,
        expected_version=assessed.version,
        amount=Decimal("900"),
        paid_at=datetime.now(UTC),
    )
    assert paid.case_state is CaseState.SETTLED
    desk.refresh([case_id])
    qtbot.waitUntil(lambda: "Settled" in form.heading.text(), timeout=5000)
    assert form.others.isHidden()
    assert form.clock.text().startswith("Accident to payout")


def test_a_bad_amount_or_a_stale_view_changes_nothing_and_keeps_what_was_typed(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk
) -> None:
    case_id = determined(hall)
    claim_id = claim_of(hall, case_id, "A")
    take_claim(hall.session_factory, hall["claims"], claim_id)
    before = claim_row(hall, claim_id)
    desk = open_desk(hall["claims"])
    qtbot.waitUntil(lambda: desk.panel.queue.model.rowCount() == 1, timeout=5000)
    open_by_keyboard(qtbot, desk, claim_id)
    form = desk.form
    qtbot.waitUntil(form.parts.hasFocus, timeout=5000)
    type_text(qtbot, form.parts, "前保险杠")
    form.shop.setText("宏达汽修")
    for typed, says in (
        ("abc", "abc is not an amount of yuan"),
        ("-5", "must be more than 0 and at most 1000000 yuan"),
        ("1000000.01", "must be more than 0 and at most 1000000 yuan"),
        ("12.345", "at most two decimal places"),
    ):
        form.amount.clear()
        form.amount.setFocus()
        qtbot.keyClicks(form.amount, typed)
        key(qtbot, Qt.Key.Key_Return, CTRL)
        assert says in form.message.text(), typed
        assert form.amount.text() == typed and form.parts.text() == "前保险杠"
        now = claim_row(hall, claim_id)
        assert (now.version, now.stage, now.assessed_amount) == (before.version, "notified", None)

    # Someone else changed the claim meanwhile: refused, typed values kept, then saved.
    with hall.session_factory() as db, db.begin():
        db.execute(
            update(Claim)
            .where(Claim.id == claim_id)
            .values(report_no="PICC-0042", version=Claim.version + 1)
        )
    form.amount.clear()
    qtbot.keyClicks(form.amount, "1500.5")
    key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "changed by someone else" in form.message.text(), timeout=5000)
    assert claim_row(hall, claim_id).stage == "notified"
    qtbot.waitUntil(
        lambda: form.claim is not None and form.claim.report_no == "PICC-0042", timeout=5000
    )
    assert (form.parts.text(), form.amount.text(), form.shop.text()) == (
        "前保险杠",
        "1500.5",
        "宏达汽修",
    )
    form.amount.setFocus()
    key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: claim_row(hall, claim_id).stage == "assessed", timeout=5000)
    assert claim_row(hall, claim_id).assessed_amount == Decimal("1500.50")


def test_the_knock_for_knock_verdict_within_the_rule_and_outside_it(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk
) -> None:
    cpic_id, cpic = second_insurer(hall)
    within = determined(hall, start=0, b_insurer=cpic_id, decision=BOTH_CHANGE_LANES)
    with hall.session_factory() as db, db.begin():
        db.execute(
            update(Case).where(Case.id == within).values(injuries=False, knock_for_knock=True)
        )
        db.execute(
            insert(LookupResult),
            [
                {
                    "case_id": within,
                    "party_letter": letter,
                    "check_kind": "insurance",
                    "outcome": "pass",
                    "source": "test",
                    "answered_at": datetime.now(UTC),
                    "details": {},
                }
                for letter in ("A", "B")
            ],
        )
    other = take_claim(hall.session_factory, cpic, claim_of(hall, within, "B"))
    record_assessment(
        hall.session_factory,
        cpic,
        other.claim_id,
        expected_version=other.version,
        damaged_parts=["右前门"],
        amount=Decimal("1500"),
        repair_shop="东营顺达汽修",
        knock_for_knock=True,
    )
    outside = determined(hall, start=1)
    mine = claim_of(hall, within, "A")
    take_claim(hall.session_factory, hall["claims"], mine)
    desk = open_desk(hall["claims"])
    qtbot.waitUntil(lambda: desk.panel.queue.model.rowCount() == 2, timeout=5000)
    form = desk.form

    open_by_keyboard(qtbot, desk, mine)
    assert "may apply once these are known" in form.verdict.text()
    assert "Party A's loss has not been assessed yet" in form.verdict.text()
    form.amount.setFocus()
    qtbot.keyClicks(form.amount, "1800")
    assert form.verdict.text().startswith("Knock-for-knock applies")
    form.amount.clear()
    qtbot.keyClicks(form.amount, "2500")
    assert form.verdict.text().startswith("Knock-for-knock does not apply")
    assert "Party A's loss of 2500 yuan is over the 2000 yuan" in form.verdict.text()
    open_by_keyboard(qtbot, desk, claim_of(hall, outside, "A"))
    assert form.amount.text() == "" and not form.amount.isEnabled(), "not taken: read only"
    open_by_keyboard(qtbot, desk, mine)
    assert form.amount.text() == "2500", "what was typed comes back with its claim"
    assert desk.dirty
    form.amount.clear()
    qtbot.keyClicks(form.amount, "1800")
    form.knock.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert form.knock.isChecked()
    form.parts.setText("左前门")
    form.shop.setText("宏达汽修")
    key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: claim_row(hall, mine).stage == "assessed", timeout=5000)
    assert claim_row(hall, mine).knock_for_knock is True
    qtbot.waitUntil(lambda: form.verdict.text().startswith("Knock-for-knock applies"), timeout=5000)

    open_by_keyboard(qtbot, desk, claim_of(hall, outside, "A"))
    text = form.verdict.text()
    assert text.startswith("Knock-for-knock does not apply")
    assert "Party A is graded full" in text and "Party B is graded none" in text
    assert "compulsory insurance" in text, "no record check and no policy on file"


def test_the_timer_column_advances_and_a_late_notification_is_red(
    qtbot: QtBot, hall: Hall, open_desk: OpenDesk
) -> None:
    late = determined(hall, start=0)
    fresh = determined(hall, start=1)
    with hall.session_factory() as db, db.begin():
        db.execute(
            update(Claim)
            .where(Claim.case_id == late)
            .values(created_at=datetime.now(UTC) - timedelta(minutes=15))
        )
    desk = open_desk(hall["claims"])
    model = desk.panel.queue.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert rows_shown(desk) == [fresh, late]

    def timer(row: int) -> str:
        return str(model.data(model.index(row, ClaimColumn.TIMER)))

    first = timer(0)
    qtbot.waitUntil(lambda: timer(0) != first, timeout=4000)  # the one-second tick
    assert timer(1).startswith("15:"), timer(1)
    late_brush = model.data(model.index(1, ClaimColumn.TIMER), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(late_brush, QBrush) and late_brush.color().name() == "#d32f2f"
    assert model.data(model.index(0, ClaimColumn.TIMER), Qt.ItemDataRole.BackgroundRole) is None
    assert "take within 10 min" in str(
        model.data(model.index(1, ClaimColumn.TIMER), Qt.ItemDataRole.ToolTipRole)
    )
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "T00000001"
