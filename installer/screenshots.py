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
from typing import Any

SHOTS = [
    # file name, user, position, language
    ("reception-calls-zh.png", "reception1", "reception", "zh_CN"),
    ("reception-calls-en.png", "reception1", "reception", "en"),
    ("review-zh.png", "review1", "review", "zh_CN"),
    ("review-en.png", "review1", "review", "en"),
    ("queue-reception-zh.png", "reception1", "reception", "zh_CN"),
    ("determination-zh.png", "officer1", "determination", "zh_CN"),
    ("queue-determination-zh.png", "officer1", "determination", "zh_CN"),
    ("queue-review-en.png", "review1", "review", "en"),
    ("patrol-wall-zh.png", "patrol1", "patrol", "zh_CN"),
    ("patrol-maximised-zh.png", "patrol1", "patrol", "zh_CN"),
    ("claims-zh.png", "claims_picc", "claims", "zh_CN"),
    ("claims-en.png", "claims_picc", "claims", "en"),
    ("lookup-zh.png", "lookup1", "lookup", "zh_CN"),
    ("lookup-search-zh.png", "lookup1", "lookup", "zh_CN"),
    ("lookup-history-zh.png", "lookup1", "lookup", "zh_CN"),
    ("rescue-zh.png", "rescue1", "rescue", "zh_CN"),
    ("rescue-en.png", "rescue1", "rescue", "en"),
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
    from console.workers.demo_cameras import DemoCameras
    from console.workers.gateway_link import GatewayLink
    from console.workers.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    link = open_hall(demo_database_url(), demo=True)
    simulator = SimulatorServer(seed=7, generate=False)
    simulator.start()
    call_link = CallLink(simulator.base_url, link.session_factory, wait_s=1.0)
    call_link.start()
    gateway_link = GatewayLink(simulator.base_url, link.session_factory, wait_s=1.0)
    gateway_link.start()
    cameras = DemoCameras()
    cameras.start(link.session_factory)
    review_case = _uploaded_case(link, simulator)
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
            gateway_link.request_stop()
            simulator.stop()
            call_link.stop()
            gateway_link.stop()
            cameras.close()
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
            seat={
                "reception": "接警-01",
                "patrol": "巡查-01",
                "claims": "理赔-01",
                "lookup": "查询-01",
                "rescue": "救援-01",
            }.get(position, "席位-07"),
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
            gateway_link=gateway_link,
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

        def review() -> None:
            from console.hall.queries import FilterKind

            seat.queue.set_filter_kind(FilterKind.ALL)
            seat.queue.select_case(review_case)
            seat.open_case(review_case)
            QTimer.singleShot(2500, judge)

        def judge() -> None:
            if seat.review is not None:
                seat.review.panel.legible.setChecked(True)
            QTimer.singleShot(1000, grab)

        def determine() -> None:
            from console.hall.queries import FilterKind

            _ready_for_determination(link, review_case, seat.actor)
            seat.queue.set_filter_kind(FilterKind.ALL)
            seat.refresh([review_case])
            seat.queue.select_case(review_case)
            seat.open_case(review_case)
            QTimer.singleShot(2500, choose)

        def choose() -> None:
            desk = seat.determination
            if desk is not None:
                seat.queue.select_case(review_case)
                desk.panel.search.setText("zzqcwb")
                desk.panel.search.textEdited.emit("zzqcwb")
                desk.panel.search.taken.emit()
                desk.panel.parts.setText("甲车前部、乙车尾部")
            QTimer.singleShot(1500, grab)

        def shoot() -> None:
            queue = seat.queue
            if queue.model.rowCount():
                queue.table.selectRow(0)
                first = queue.current_case()
                if first is not None:
                    seat.open_case(first)
            QTimer.singleShot(1500, grab)

        def patrol() -> None:
            desk = seat.patrol
            if desk is not None:
                desk.show_cameras(cameras.camera_ids()[:16], layout="16")
                desk.wall.tile(5).setFocus()
            QTimer.singleShot(6000, maximise if "maximised" in name else grab)

        def maximise() -> None:
            desk = seat.patrol
            if desk is not None:
                desk.wall.maximise(5)
            QTimer.singleShot(4000, grab)

        def claims() -> None:
            from console.views.claims_desk import ClaimsDesk
            from console.views.claims_queue import ClaimFilter

            desk = seat.desk
            if isinstance(desk, ClaimsDesk):
                queue = desk.panel.queue
                queue.filter_buttons[ClaimFilter.ALL].click()
                if queue.model.rowCount():
                    queue.table.selectRow(0)
                    claim = queue.current_claim()
                    if claim is not None:
                        queue.claim_opened.emit(claim)
            QTimer.singleShot(3000, grab)

        def lookup() -> None:
            from console.views.lookup_desk import LookupDesk

            _complaints_for_shot(link, seat.actor)
            desk = seat.desk
            if isinstance(desk, LookupDesk):
                desk.reload()
            QTimer.singleShot(2500, pick_complaint)

        def pick_complaint() -> None:
            from console.views.lookup_desk import LookupDesk

            desk = seat.desk
            if isinstance(desk, LookupDesk) and desk.complaints.model.rowCount():
                desk.complaints.table.selectRow(0)
            QTimer.singleShot(1000, grab)

        def search() -> None:
            from console.views.lookup_desk import LookupDesk

            desk = seat.desk
            if isinstance(desk, LookupDesk):
                desk.search.focus_box()
                desk.search.box.setText("鲁E0")
                desk.search.search_now()
            QTimer.singleShot(2500, history if "history" in name else grab)

        def history() -> None:
            from console.views.lookup_desk import LookupDesk

            desk = seat.desk
            if isinstance(desk, LookupDesk) and desk.search.model.rowCount():
                desk.search.table.selectRow(0)
                desk.search.open_history()
            QTimer.singleShot(3000, grab)

        def rescue() -> None:
            from console.views.rescue_desk import RescueDesk

            _tow_waiting_for_shot(link, seat.actor)
            desk = seat.desk
            if isinstance(desk, RescueDesk):
                desk.reload()
            QTimer.singleShot(2000, pick_task)

        def pick_task() -> None:
            from console.views.rescue_desk import RescueDesk

            desk = seat.desk
            if isinstance(desk, RescueDesk):
                desk.tasks_view.setFocus()
                desk.tasks_view.selectRow(0)
            QTimer.singleShot(1000, grab)

        def grab() -> None:
            screen = app.primaryScreen()
            screen.grabWindow(0).save(str(out / name))
            print(f"saved {out / name}")
            QTimer.singleShot(100, next_shot)

        first = (
            answer
            if with_calls
            else review
            if name.startswith("review")
            else determine
            if name.startswith("determination")
            else patrol
            if name.startswith("patrol")
            else claims
            if name.startswith("claims")
            else search
            if name.startswith(("lookup-search", "lookup-history"))
            else lookup
            if name.startswith("lookup")
            else rescue
            if name.startswith("rescue")
            else shoot
        )
        QTimer.singleShot(2500, first)

    QTimer.singleShot(0, next_shot)
    return app.exec()


def _uploaded_case(link: object, simulator: object) -> int:
    """A case the parties have just uploaded for, with one blurred-looking extra photo."""
    import time
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from console.db.models import Case, User
    from console.domain.lifecycle import CaseState
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.cases import NewCase, create_case, move_case

    factory = link.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        user_id = session.scalar(select(User.id).where(User.username == "reception1"))
    actor = Actor(int(user_id), "接警员", Position.RECEPTION, "接警-01")
    change = create_case(
        factory,
        actor,
        NewCase(
            source="call",
            occurred_at=datetime.now(UTC) - timedelta(minutes=12),
            place_text="东营区府前大街与东三路路口",
            district="东营区",
            lat=37.43530,
            lon=118.67150,
            caller_phone="13905467788",
            injuries=False,
            movable=True,
        ),
    )
    move_case(factory, actor, change.case_id, CaseState.COLLECTING, expected_version=None)
    simulator.submissions.inject(  # type: ignore[attr-defined]
        {
            "case_no": change.case_no,
            "phones": ["13905467788", "13805461212"],
            "extra_photos": 2,
            "photo_bytes": 400_000,
        }
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with factory() as session:
            if (
                session.scalar(select(Case.state).where(Case.id == change.case_id))
                == "under_review"
            ):
                break
        time.sleep(0.2)
    time.sleep(1.0)  # the record checks follow the intake
    return change.case_id


def _tow_waiting_for_shot(link: object, actor: Any) -> None:
    """A tow asked for 24 minutes ago for the newest case still at the scene, no unit yet."""
    import contextlib
    from datetime import timedelta

    from sqlalchemy import select

    from console.db.models import Case
    from console.domain.errors import RuleViolation
    from console.hall.journal import utcnow
    from console.hall.rescue import request_rescue

    factory = link.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        case = session.scalars(
            select(Case)
            .where(Case.state.in_(("collecting", "under_review")), Case.lat.is_not(None))
            .order_by(Case.id.desc())
            .limit(1)
        ).first()
    if case is None:
        return
    with contextlib.suppress(RuleViolation):  # the shot before asked for it already
        request_rescue(
            factory,
            actor,
            case_id=case.id,
            place_text=case.place_text,
            lat=case.lat,
            lon=case.lon,
            vehicle_desc="白色小型轿车，左前轮脱落",
            lane_blocked=True,
            note="占用最内侧车道",
            now=utcnow() - timedelta(minutes=24),
        )


def _complaints_for_shot(link: object, actor: Any) -> None:
    """Three non-payment complaints on claims-stage demo cases, filed 1, 2 and 5 days ago."""
    from datetime import timedelta

    from sqlalchemy import select

    from console.db.models import Case, Party
    from console.hall.complaints import file_complaint
    from console.hall.journal import utcnow

    factory = link.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        rows = session.execute(
            select(Case.id, Party.letter, Party.insurer_org_id)
            .join(Party, Party.case_id == Case.id)
            .where(
                Case.state == "claims_open",
                Party.insurer_org_id.is_not(None),
                Party.plate_no.is_not(None),
                Party.plate_type.is_not(None),
            )
            .order_by(Case.id)
        ).all()
    seen: set[int] = set()
    reasons = ((1, "对方保险公司定损后未赔付"), (2, "保险公司拒接电话"), (5, "逾期未赔付"))
    for days, reason in reasons:
        for case_id, letter, insurer in rows:
            if case_id in seen:
                continue
            seen.add(case_id)
            try:
                file_complaint(
                    factory, actor, case_id, party_letter=letter, insurer_org_id=insurer,
                    reason=reason, now=utcnow() - timedelta(days=days),
                )  # fmt: skip
            except Exception as exc:  # a demo case the rule refuses: take the next one
                print(f"complaint on case {case_id} refused: {exc}")
                continue
            break


def _ready_for_determination(link: object, case_id: int, officer: object) -> None:
    """The uploaded case approved at review and taken by the officer: what the pane shows."""
    from sqlalchemy import select

    from console.db.models import User
    from console.domain.lifecycle import CaseState
    from console.domain.positions import Position
    from console.domain.review import Judgements
    from console.hall.actor import Actor
    from console.hall.assignment import claim_case
    from console.hall.cases import move_case
    from console.hall.review import approve_review

    factory = link.session_factory  # type: ignore[attr-defined]
    with factory() as session:
        reviewer = session.scalar(select(User.id).where(User.username == "review1"))
    actor = Actor(int(reviewer), "审核员", Position.REVIEW, "席位-07")
    approve_review(
        factory,
        actor,
        case_id,
        expected_version=None,
        judgements=Judgements(photos_legible=True, damage_consistent=True),
    )
    move_case(factory, actor, case_id, CaseState.AWAITING_DETERMINATION, expected_version=None)
    claim_case(factory, officer, case_id)  # type: ignore[arg-type]


if __name__ == "__main__":
    # screenshots.py [OUT [NAME-PREFIX …]]: only the shots whose file names start so.
    wanted = tuple(sys.argv[2:])
    if wanted:
        SHOTS[:] = [shot for shot in SHOTS if shot[0].startswith(wanted)]
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")))
