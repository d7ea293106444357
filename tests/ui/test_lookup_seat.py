"""The lookup seat's complaints and checkpoint alerts, by keyboard, on both databases.

A complaint is filed about the open case (a bad amount is refused and nothing is written,
nothing typed is lost), the call is recorded, the desk's clock travels past each deadline and
the alert strip and the status bar say so; Ctrl+Shift+S sanctions once (the plate on the watch
list through the outbox, the fine, the credit notice) and a second run finds nothing; the
payment closes it and queues the lift. Then, end to end over loopback: the desk's own timer
sanctions, the real gateway link delivers the plate to the simulated checkpoint platform, the
platform reports it passing a camera, the alert shows, Ctrl+J opens that camera live, and
closing the viewer stops its capture.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from console.video.capture import CaptureState, configure_ffmpeg_env

configure_ffmpeg_env()  # as the app does, before anything imports cv2

from console.db.models import (  # noqa: E402
    CaseEvent,
    CheckpointHit,
    Complaint,
    OutboxMessage,
    WatchlistEntry,
)
from console.domain.complaints import ComplaintState  # noqa: E402
from console.domain.deadlines import complaint_deadlines  # noqa: E402
from console.hall.complaints import (  # noqa: E402
    ComplaintRow,
    file_complaint,
    sanction_overdue,
)
from console.hall.link import HallLink  # noqa: E402
from console.integrations.sim.calls import ManualClock  # noqa: E402
from console.integrations.sim.server import SimulatorServer  # noqa: E402
from console.settings import SeatLayout  # noqa: E402
from console.views.complaints_view import (  # noqa: E402
    Column,
    ComplaintFilter,
    ComplaintsView,
    format_countdown,
)
from console.views.lookup_desk import LookupDesk  # noqa: E402
from console.views.main_window import MainWindow  # noqa: E402
from console.workers.demo_cameras import DemoCameras  # noqa: E402
from console.workers.gateway_link import GatewayLink  # noqa: E402
from console.workers.tasks import TaskRunner  # noqa: E402
from tests.hall.conftest import Hall, build_hall  # noqa: E402
from tests.hall.test_complaints import (  # noqa: E402
    AFTER,
    FILED,
    case_with_parties,
    count,
    file_against_picc,
    second_insurer,
)

PLATE = "鲁E12345"  # party A's plate in `case_with_parties`, insured by the hall's PICC
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class Clock:
    """The hall's time as the desk sees it; the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


class Seat:
    """A signed-in lookup seat: the desk in the main window's workspace, as the seat session
    composes it; what a desk reports written is refreshed (and wakes the outbox), as there."""

    def __init__(
        self,
        qtbot: QtBot,
        hall: Hall,
        engine: Engine,
        clock: Clock,
        *,
        gateway_link: GatewayLink | None = None,
        auto_sanction: bool = False,
    ) -> None:
        self.link = HallLink(engine, hall.session_factory, "test database", demo=False)
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        self.runner = TaskRunner(threads=2)
        self.written: list[int] = []

        def written(case_ids: list[int]) -> None:
            self.written.extend(case_ids)
            self.desk.refresh(case_ids)
            if gateway_link is not None:
                gateway_link.wake_outbox()

        self.desk = LookupDesk(
            hall["lookup"],
            self.link,
            self.runner,
            self.window,
            cases_changed=written,
            gateway_link=gateway_link,
            auto_sanction=auto_sanction,
            clock=clock,
        )
        assert self.desk.bottom is not None
        self.window.show_workspace(
            hall["lookup"],
            self.link.description,
            queue=QWidget(),
            detail=QWidget(),
            seat_panel=QWidget(),
            layout=SeatLayout(),
            work=("lookup", self.desk.title, self.desk.panel),
            bottom=("hits", "Checkpoint hits", self.desk.bottom),
        )
        self.desk.start()
        self.window.resize(1400, 900)
        self.window.show()
        qtbot.waitExposed(self.window)
        # Signed in: the complaints are loaded and the first overdue check has answered.
        qtbot.waitUntil(lambda: self.desk._overdue is not None, timeout=10_000)

    def back(self, qtbot: QtBot) -> None:
        """A dialog closed: the user is back in the seat's window, in the complaints table."""
        self.window.activateWindow()
        self.desk.complaints.table.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is self.desk.complaints.table)

    def press(
        self, qtbot: QtBot, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        qtbot.keyClick(target, key, mod)

    def status(self) -> str:
        return self.window.statusBar().currentMessage()

    def close(self) -> None:
        self.desk.stop()
        assert self.runner.shutdown(timeout=10)
        self.window.allow_close()
        self.window.close()


def complaint_state(hall: Hall, complaint_id: int) -> str:
    with hall.session_factory() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        return row.state


def test_a_complaint_is_filed_called_sanctioned_once_and_paid_by_keyboard(
    qtbot: QtBot, qtmodeltester: object, hall: Hall, engine: Engine
) -> None:
    other = second_insurer(hall)  # party B's
    case_id = case_with_parties(hall, other)
    clock = Clock(FILED)
    seat = Seat(qtbot, hall, engine, clock)
    desk = seat.desk
    try:
        # -- file: Ctrl+Shift+N on the open case ------------------------------------------------
        desk.open_case(case_id, focus=True)
        seat.press(qtbot, Qt.Key.Key_N, CTRL_SHIFT)
        qtbot.waitUntil(lambda: desk.form is not None, timeout=5000)
        form = desk.form
        assert form is not None
        assert form.respondent.currentData() == "A", "the insured party with a plate"
        assert form.complainant.currentData() == "B", "the other party complains"
        assert (
            "中国人保财险" in form.respondent.currentText()
            and PLATE in form.respondent.currentText()
        )
        form.reason.insertPlainText("定损后十日未赔付")  # as an input method commits it
        form.amount.setFocus()
        qtbot.waitUntil(form.amount.hasFocus)
        qtbot.keyClicks(form.amount, "abc")
        qtbot.keyClick(form.amount, Qt.Key.Key_Return, CTRL)
        assert "not a number" in form.error_text()
        form.amount.clear()
        qtbot.keyClicks(form.amount, "0")
        qtbot.keyClick(form.amount, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: "more than zero" in form.error_text(), timeout=5000)
        assert count(hall, Complaint) == 0, "a refused amount writes nothing"
        assert form.reason.toPlainText() == "定损后十日未赔付", "nothing typed is lost"
        assert desk.form is form and form.isVisible()
        form.amount.selectAll()
        qtbot.keyClicks(form.amount, "3500")
        qtbot.keyClick(form.amount, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: desk.form is None, timeout=5000)
        with hall.session_factory() as session:
            filed = session.scalars(select(Complaint)).one()
            event = session.scalars(
                select(CaseEvent).where(CaseEvent.kind == "complaint_filed")
            ).one()
        assert (filed.party_letter, filed.respondent_org_id, filed.complainant_name) == (
            "A", hall.insurer_id, "陈二"
        )  # fmt: skip
        assert event.details["amount_claimed"] == "3500.00"
        assert "Complaint" in desk.message.text() and "filed" in desk.message.text()
        assert case_id in seat.written

        model = desk.complaints.model
        qtbot.waitUntil(lambda: model.row_of(filed.id) == 0, timeout=5000)
        qtmodeltester.check(model)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: desk.complaints.current_complaint() is not None, timeout=5000)
        call_by = model.index(0, Column.CALL_BY)
        assert call_by.data() == format_countdown(24 * 3600) == "1 d 00:00:00"
        assert desk.alerts.overdue_text() == ""

        # -- 24 h pass without a call: the alert ------------------------------------------------
        clock.at = FILED + timedelta(hours=24, seconds=1)
        qtbot.waitUntil(lambda: "Overdue complaints: 1" in desk.alerts.overdue_text(), timeout=5000)
        assert "1 not called within 24 h" in desk.alerts.overdue_text()
        assert "nobody called" in seat.status() and PLATE in seat.status()
        assert model.index(0, Column.CALL_BY).data().startswith("-00:00:0")
        assert model.index(0, Column.CALL_BY).data(Qt.ItemDataRole.BackgroundRole) is not None

        # -- Ctrl+Shift+C: the call --------------------------------------------------------------
        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_C, CTRL_SHIFT)
        qtbot.waitUntil(lambda: desk.call_dialog is not None, timeout=5000)
        dialog = desk.call_dialog
        assert dialog is not None
        dialog.editor.insertPlainText("已致电人保理赔部，责令三个工作日内赔付")
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: complaint_state(hall, filed.id) == "contacted", timeout=5000)
        qtbot.waitUntil(lambda: desk.alerts.overdue_text() == "", timeout=5000)

        # -- past the pay-by (end of Friday 9 October, National Day between) -------------------
        clock.at = AFTER
        qtbot.waitUntil(
            lambda: "1 unpaid past the deadline" in desk.alerts.overdue_text(), timeout=5000
        )
        assert "did not pay by the deadline" in seat.status()
        assert complaint_state(hall, filed.id) == "contacted", "this desk sanctions on a key"

        # -- Ctrl+Shift+S: confirm plate, insurer, fine; sanctioned once ------------------------
        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
        qtbot.waitUntil(lambda: desk.sanction_dialog is not None, timeout=5000)
        confirm = desk.sanction_dialog
        assert confirm is not None
        shown = confirm.list.item(0).text()
        assert PLATE in shown and "中国人保财险" in shown and filed_case_no(hall) in shown
        assert confirm.fine_amount() == Decimal("5000.00")
        assert (confirm.fine.minimum(), confirm.fine.maximum()) == (5000.0, 20000.0)
        confirm.fine.setFocus()
        qtbot.keyClick(confirm.fine, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: complaint_state(hall, filed.id) == "sanctioned", timeout=5000)
        qtbot.waitUntil(lambda: "Sanctioned 1" in desk.message.text(), timeout=5000)
        with hall.session_factory() as session:
            entry = session.scalars(select(WatchlistEntry)).one()
            outbox = session.scalars(select(OutboxMessage).order_by(OutboxMessage.kind)).all()
            fine = session.get(Complaint, filed.id).fine_amount  # type: ignore[union-attr]
        assert (entry.plate_no, entry.complaint_id, entry.lifted_at) == (PLATE, filed.id, None)
        assert [(m.kind, m.destination, m.payload.get("action")) for m in outbox] == [
            ("credit_notice", "credit_bureau", None),
            ("watchlist", "checkpoint", "add"),
        ]
        assert fine == Decimal("5000.00")
        qtbot.waitUntil(
            lambda: model.index(0, Column.STATE).data().startswith("Sanctioned"), timeout=5000
        )

        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)  # a second run: nothing new
        qtbot.waitUntil(lambda: "Nothing to sanction" in desk.message.text(), timeout=5000)
        assert desk.sanction_dialog is None
        later = AFTER + timedelta(days=1)
        assert sanction_overdue(hall.session_factory, hall["lookup"], later).sanctioned == ()
        assert count(hall, WatchlistEntry) == 1 and count(hall, OutboxMessage) == 2

        # -- Ctrl+Shift+Y: the payment closes it and queues the lift ----------------------------
        clock.at = AFTER + timedelta(hours=3)
        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_Y, CTRL_SHIFT)
        qtbot.waitUntil(lambda: desk.payment_form is not None, timeout=5000)
        pay = desk.payment_form
        assert pay is not None
        pay.amount.setFocus()
        qtbot.waitUntil(pay.amount.hasFocus)
        qtbot.keyClicks(pay.amount, "3500")
        qtbot.keyClick(pay.amount, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: complaint_state(hall, filed.id) == "closed", timeout=5000)
        qtbot.waitUntil(lambda: desk.payment_form is None, timeout=5000)
        with hall.session_factory() as session:
            closed = session.get(Complaint, filed.id)
            lifted = session.scalars(select(WatchlistEntry)).one()
            lift = session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "watchlist")
            ).all()
        assert closed is not None and closed.paid_amount == Decimal("3500.00")
        assert lifted.lifted_at == clock.at
        assert sorted(m.payload["action"] for m in lift) == ["add", "remove"]
        assert all(m.destination == "checkpoint" for m in lift)
        assert "off the checkpoint watch list" in desk.message.text()
        qtbot.waitUntil(lambda: desk.alerts.overdue_text() == "", timeout=5000)
        qtbot.waitUntil(lambda: model.index(0, Column.PAY_BY).data().startswith("paid"))

        # -- F5: a complaint another seat filed shows up, unpaid above the closed one ----------
        file_complaint(
            hall.session_factory, hall["supervisor"], case_id, party_letter="B",
            insurer_org_id=other, reason="乙方保险公司未赔付", now=clock.at,
        )  # fmt: skip
        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
        first = model.complaint_at(0)
        assert first is not None and first.plate_no == "鲁E67890"
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    finally:
        seat.close()


def filed_case_no(hall: Hall) -> str:
    with hall.session_factory() as session:
        from console.db.models import Case

        return str(session.scalar(select(Case.case_no).join(Complaint)))


# ---------------------------------------------------------------- end to end: the checkpoint


@pytest.fixture
def cameras(session_factory: sessionmaker[Session]) -> Iterator[DemoCameras]:
    served = DemoCameras(sub_size=(320, 180), main_size=(640, 360), fps=12.0)
    served.start(session_factory)
    try:
        yield served
    finally:
        served.close()


@pytest.fixture
def platform_clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def sim(platform_clock: ManualClock) -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=5, generate=False, clock=platform_clock) as server:
        yield server


@pytest.fixture
def gateway(sim: SimulatorServer, session_factory: sessionmaker[Session]) -> Iterator[GatewayLink]:
    link = GatewayLink(sim.base_url, session_factory, wait_s=0.5)
    link.start()
    try:
        yield link
    finally:
        link.stop()


def capture_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("capture-")]


def test_the_timer_sanctions_a_hit_alerts_and_ctrl_j_shows_that_camera_live(  # noqa: PLR0917
    qtbot: QtBot,
    hall: Hall,
    engine: Engine,
    cameras: DemoCameras,
    sim: SimulatorServer,
    platform_clock: ManualClock,
    gateway: GatewayLink,
) -> None:
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    seat = Seat(qtbot, hall, engine, Clock(AFTER), gateway_link=gateway, auto_sanction=True)
    desk = seat.desk
    try:
        # The first overdue check ran the hall's sanction; the outbox took the plate out.
        assert complaint_state(hall, filed.complaint_id) == "sanctioned"
        assert "Sanctioned 1" in desk.message.text()
        qtbot.waitUntil(lambda: sim.checkpoints.listed(PLATE), timeout=10_000)
        assert desk.hits.model.rowCount() == 0

        platform_clock.advance(timedelta(minutes=1))  # the platform reads the plate somewhere
        qtbot.waitUntil(lambda: desk.hits.model.rowCount() == 1, timeout=10_000)
        with hall.session_factory() as session:
            hit = session.scalars(select(CheckpointHit)).one()
        row = desk.hits.model.hit_at(0)
        assert row is not None and (row.camera_id, row.plate_no) == (hit.camera_id, PLATE)
        assert desk.hits.model.is_unseen(hit.id)
        # The hall's row completes the alert: the camera's name and the complaint's case.
        qtbot.waitUntil(lambda: "case T" in desk.alerts.hit_text(), timeout=5000)
        alert = desk.alerts.hit_text()
        assert PLATE in alert and "Ctrl+J" in alert and hit.camera_id not in alert
        assert PLATE in seat.status() and hit.camera_id not in seat.status(), "named there too"
        assert hit.camera_id not in desk.message.text()
        with hall.session_factory() as session:
            kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
        assert kinds[-1] == "checkpoint_hit"

        seat.back(qtbot)
        seat.press(qtbot, Qt.Key.Key_J, CTRL)
        qtbot.waitUntil(lambda: desk.viewer is not None and desk.viewer.isVisible(), timeout=5000)
        viewer = desk.viewer
        assert viewer is not None
        shown = viewer.camera()
        assert shown is not None and shown.camera_id == hit.camera_id
        assert shown.sub_url is not None and cameras.base_url is not None
        assert shown.sub_url.startswith(cameras.base_url)

        def live() -> bool:
            state = viewer.wall.states().get(hit.camera_id)
            return state is not None and state.state is CaptureState.LIVE

        qtbot.waitUntil(live, timeout=10_000)
        qtbot.waitUntil(lambda: viewer.wall.tile(0).paint_count > 0, timeout=5000)
        assert capture_threads(), "the camera is being captured"
        assert not desk.hits.model.is_unseen(hit.id) and desk.alerts.hit_text() == ""

        viewer.close()
        qtbot.waitUntil(lambda: not capture_threads(), timeout=10_000)
        assert viewer.wall.feeds.camera_ids() == []
    finally:
        seat.close()


# ---------------------------------------------------------------- the table by itself


def complaint_row(
    cid: int, state: str, *, filed: datetime, case_no: str, plate: str
) -> ComplaintRow:
    deadlines = complaint_deadlines(filed)
    return ComplaintRow(
        id=cid,
        case_id=cid,
        case_no=case_no,
        party_letter="A",
        plate_no=plate,
        respondent_org_id=1,
        respondent_name_zh="中国人保财险",
        complainant_name="陈二",
        reason="未赔付",
        state=ComplaintState(state),
        filed_at=filed,
        contact_due_at=deadlines.contact_by,
        contacted_at=None if state == "open" else filed + timedelta(hours=1),
        pay_due_at=deadlines.pay_by,
        sanctioned_at=None,
        fine_amount=None,
        paid_amount=Decimal(100) if state == "closed" else None,
        paid_at=filed + timedelta(days=1) if state == "closed" else None,
        closed_at=filed + timedelta(days=1) if state == "closed" else None,
        as_of=filed,
        contact_overdue=False,
        payment_overdue=False,
    )


def test_the_complaints_table_puts_unpaid_first_sorts_filters_and_announces_deadlines(
    qtbot: QtBot, qtmodeltester: object
) -> None:
    view = ComplaintsView(now=FILED)
    qtbot.addWidget(view)
    model = view.model
    passed: list[list[int]] = []
    model.turned_overdue.connect(passed.append)
    early, later = FILED - timedelta(days=1), FILED
    model.set_rows(
        [
            complaint_row(1, "closed", filed=early - timedelta(days=9), case_no="T1", plate="鲁E1"),
            complaint_row(2, "contacted", filed=later, case_no="T2", plate="鲁E2"),
            complaint_row(3, "open", filed=early, case_no="T3", plate="鲁E3"),
        ]
    )
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    # Unpaid first, nearest pay-by first; the closed one last.
    assert model.shown_ids() == [3, 2, 1]
    view.table.sortByColumn(Column.CASE, Qt.SortOrder.DescendingOrder)
    assert model.shown_ids() == [3, 2, 1]
    view.table.sortByColumn(Column.CASE, Qt.SortOrder.AscendingOrder)
    assert model.shown_ids() == [2, 3, 1], "the closed complaint stays below the unpaid ones"
    assert view.select_complaint(3)
    view.table.sortByColumn(Column.PAY_BY, Qt.SortOrder.AscendingOrder)
    chosen = view.current_complaint()
    assert chosen is not None and chosen.id == 3, "the chosen complaint moves with its row"

    view.search.setText("鲁E2")
    assert model.shown_ids() == [2]
    view.search.clear()
    view.filter_box.setCurrentIndex(view.filter_box.findData(ComplaintFilter.UNPAID.value))
    assert model.shown_ids() == [3, 2]
    view.filter_box.setCurrentIndex(view.filter_box.findData(ComplaintFilter.OVERDUE.value))
    assert model.shown_ids() == []

    model.tick(early + timedelta(hours=24, seconds=1))  # T3's call is late
    assert passed == [[3]]
    assert model.shown_ids() == [3]
    model.tick(early + timedelta(hours=24, seconds=2))
    assert passed == [[3]], "announced once"
    view.filter_box.setCurrentIndex(view.filter_box.findData(ComplaintFilter.ALL.value))
    assert model.shown_ids() == [3, 2, 1]
    late = model.index(model.row_of(3), Column.CALL_BY)
    assert late.data() == "-00:00:02"
    model.upsert([complaint_row(3, "closed", filed=early, case_no="T3", plate="鲁E3")])
    assert model.shown_ids() == [2, 1, 3], "paid: below the unpaid, by its pay-by"
    assert model.index(model.row_of(3), Column.PAY_BY).data().startswith("paid")
    qtmodeltester.check(model)  # type: ignore[attr-defined]
