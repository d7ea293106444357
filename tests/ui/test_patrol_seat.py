"""The video patrol seat with the demo cameras served on loopback: a camera chosen in the tree
goes live on the focused tile, a layout saved in edit mode comes back at the next sign-in,
Ctrl+N puts the open case's nearest cameras on the wall, F11 and F12 fix a snapshot and a
clip to the case (their hashes verify), and the tour pages through the districts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from console.video.capture import CaptureState, configure_ffmpeg_env

configure_ffmpeg_env()  # as the app does, before anything imports cv2

from console.db.feed import FeedState  # noqa: E402
from console.db.models import Attachment, Case, Evidence, WatchlistEntry  # noqa: E402
from console.domain.lifecycle import CaseState  # noqa: E402
from console.hall.checkpoint_hits import HitRecorded  # noqa: E402
from console.hall.evidence import verify_evidence  # noqa: E402
from console.hall.link import HallLink  # noqa: E402
from console.settings import Settings  # noqa: E402
from console.views import patrol_desk  # noqa: E402
from console.views.main_window import MainWindow  # noqa: E402
from console.views.seat_session import SeatSession  # noqa: E402
from console.workers.demo_cameras import DemoCameras  # noqa: E402
from console.workers.tasks import TaskRunner  # noqa: E402
from tests.hall.conftest import Hall, build_hall, bulk_cases  # noqa: E402

CROSSING = "37050200001320000001"  # 东营区 西四路与南一路路口 东向西


@pytest.fixture
def cameras(session_factory: sessionmaker[Session]) -> Iterator[DemoCameras]:
    served = DemoCameras(sub_size=(320, 180), main_size=(640, 360), fps=12.0)
    served.start(session_factory)
    try:
        yield served
    finally:
        served.close()


@pytest.fixture
def hall(session_factory: sessionmaker[Session]) -> Hall:
    return build_hall(session_factory)


class Seat:
    """One signed-in patrol seat; `close()` signs out (as the app does)."""

    def __init__(self, qtbot: QtBot, hall: Hall, engine: Engine) -> None:
        self.link = HallLink(engine, hall.session_factory, "test database", demo=False)
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        self.runner = TaskRunner(threads=2)
        self.session = SeatSession(
            hall["patrol"], self.link, self.runner, self.window, Settings(), link_base="x"
        )
        self.session.start()
        self.window.resize(1400, 900)
        self.window.show()
        qtbot.waitUntil(lambda: self.session.bridge.status.state is FeedState.LIVE, timeout=10_000)
        desk = self.session.patrol
        assert desk is not None
        self.desk = desk
        qtbot.waitUntil(lambda: desk.tree.tree is not None, timeout=10_000)

    def close(self) -> None:
        self.session.stop()
        assert self.runner.shutdown(timeout=10)
        self.window.allow_close()
        self.window.close()


@pytest.fixture
def seat(qtbot: QtBot, hall: Hall, engine: Engine, cameras: DemoCameras) -> Iterator[Seat]:
    opened = Seat(qtbot, hall, engine)
    try:
        yield opened
    finally:
        opened.close()


def press(
    qtbot: QtBot, key: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, mod)


def live(desk: patrol_desk.PatrolDesk, tile: int) -> bool:
    camera = desk.wall.camera_at(tile)
    if camera is None:
        return False
    state = desk.wall.states().get(camera.camera_id)
    return state is not None and state.state is CaptureState.LIVE


def test_a_camera_from_the_tree_goes_live_and_a_saved_layout_comes_back(
    qtbot: QtBot, hall: Hall, engine: Engine, cameras: DemoCameras
) -> None:
    seat = Seat(qtbot, hall, engine)
    try:
        desk = seat.desk
        choose_and_save(qtbot, desk)
    finally:
        seat.close()
    again = Seat(qtbot, hall, engine)
    try:
        qtbot.waitUntil(lambda: again.desk.wall.camera_at(0) is not None, timeout=10_000)
        restored = again.desk.wall.camera_at(0)
        assert restored is not None and restored.camera_id == CROSSING
        assert again.desk.wall.layout_name() == "9"
    finally:
        again.close()


def choose_and_save(qtbot: QtBot, desk: patrol_desk.PatrolDesk) -> None:
    desk.wall.tile(0).setFocus()
    desk.tree.select_camera(CROSSING)
    desk.tree.camera_activated.emit(CROSSING)  # Enter on the camera row
    qtbot.waitUntil(lambda: live(desk, 0), timeout=10_000)
    assert desk.wall.camera_at(0) is not None
    assert "西四路与南一路路口" in desk.wall.camera_at(0).name  # type: ignore[union-attr]

    press(qtbot, Qt.Key.Key_F4)  # edit mode
    assert desk.wall.edit_mode()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.saved_box.count() == 1, timeout=5000)
    assert not desk.wall.edit_mode(), "saving locks the layout again"


def test_nearest_cameras_then_snapshot_and_clip_are_fixed_to_the_case(
    qtbot: QtBot, hall: Hall, seat: Seat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patrol_desk, "CLIP_BEFORE_S", 1.0)
    monkeypatch.setattr(patrol_desk, "CLIP_AFTER_S", 1.0)
    (case_id,) = bulk_cases(hall.session_factory, 1, CaseState.UNDER_REVIEW)
    with hall.session_factory() as db, db.begin():
        db.execute(update(Case).where(Case.id == case_id).values(lat=37.44747, lon=118.47951))
    desk = seat.desk
    seat.session.open_case(case_id)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.wall.camera_at(0) is not None, timeout=5000)
    first = desk.wall.camera_at(0)
    assert first is not None and first.camera_id.startswith("370502000013200000")
    assert desk.wall.camera_at(0).camera_id in {CROSSING, "37050200001320000002"}  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: live(desk, 0), timeout=10_000)

    desk.wall.tile(0).setFocus()
    qtbot.waitUntil(lambda: desk.wall.feeds.full_frame(first.camera_id) is not None, timeout=5000)
    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: kinds(hall, case_id) == ["snapshot"], timeout=10_000)
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: kinds(hall, case_id) == ["clip", "snapshot"], timeout=15_000)
    with hall.session_factory() as db:
        ids = db.scalars(select(Evidence.id).where(Evidence.case_id == case_id)).all()
    for evidence_id in ids:
        assert verify_evidence(hall.session_factory, hall["patrol"], evidence_id).ok
    press(qtbot, Qt.Key.Key_V, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "All 2 pieces of footage match" in desk.message.text(), timeout=5000)
    with hall.session_factory() as db, db.begin():
        clip = db.scalars(select(Evidence).where(Evidence.kind == "clip")).one()
        stored = db.get(Attachment, clip.sha256)
        assert stored is not None
        changed = bytearray(stored.content)
        changed[len(changed) // 2] ^= 0x01
        stored.content = bytes(changed)
    press(qtbot, Qt.Key.Key_V, CTRL_SHIFT)
    qtbot.waitUntil(
        lambda: "1 of 2 pieces of footage no longer match" in desk.message.text(), timeout=5000
    )


def test_the_registry_imports_all_or_nothing_and_exports_with_a_bom(
    qtbot: QtBot, seat: Seat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = seat.desk
    header = "id,name,district,road,direction,lat,lon,group,main_url,sub_url\n"
    good = "CAM-NEW-1,东营区 新增卡口 东向西,东营区,西四路,东向西,37.45,118.48,新增卡口,rtsp://10.1.1.9/main,\n"
    bad = "CAM-NEW-2,东营区 坏行,东营区,西四路,东向西,north,118.48,新增卡口,rtsp://10.1.1.9/main,\n"
    broken = tmp_path / "broken.csv"
    broken.write_text(header + good + bad, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    desk.wall.tile(0).setFocus()
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Nothing was imported" in desk.message.text(), timeout=5000)
    assert "Line 3" in desk.message.text()
    assert desk.tree.camera_item("CAM-NEW-1") is None, "nothing of a bad file is imported"

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(header + good, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fixed), ""))
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "1 added" in desk.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: desk.tree.camera_item("CAM-NEW-1") is not None, timeout=5000)

    out = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: out.exists() and "cameras written" in desk.message.text(), timeout=5000)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,name,")
    assert "CAM-NEW-1" in data.decode("utf-8-sig")


def test_the_tour_pages_through_the_districts(
    qtbot: QtBot, seat: Seat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patrol_desk, "TOUR_DWELL_S", 0.5)
    desk = seat.desk
    desk.wall.tile(0).setFocus()
    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # 16 tiles
    assert desk.wall.layout_name() == "16"
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    seen: set[str] = set()

    def groups_seen() -> bool:
        text = desk.message.text()
        if text:
            seen.add(text.split(",")[0])
        return len(seen) >= 3

    qtbot.waitUntil(groups_seen, timeout=10_000)
    desk.pause_tour("checkpoint alert")
    shown = desk.message.text()
    qtbot.wait(1200)
    assert desk.message.text() == shown, "a paused tour stays where it is"
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_a_checkpoint_alert_pauses_the_tour_and_ctrl_j_shows_the_camera(
    qtbot: QtBot, seat: Seat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patrol_desk, "TOUR_DWELL_S", 0.5)
    desk = seat.desk
    desk.wall.tile(0).setFocus()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.wall.camera_at(0) is not None, timeout=5000)
    desk.checkpoint_alert(
        [
            HitRecorded(
                hit_row_id=1,
                hit_id="H7-watchlist-1-1",
                camera_id=CROSSING,
                plate_no="鲁E3K821",
                seen_at=datetime.now(UTC),
                watchlist_entry_id=1,
                complaint_id=1,
                case_id=None,
            )
        ]
    )
    assert "鲁E3K821" in desk.message.text() and "Ctrl+J" in desk.message.text()
    paused = desk.message.text()
    qtbot.wait(1200)
    assert desk.message.text() == paused, "the tour waits while the alert is looked at"
    desk.wall.tile(0).setFocus()
    press(qtbot, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.wall.maximised_tile() is not None, timeout=5000)
    shown = desk.wall.camera_at(desk.wall.maximised_tile() or 0)
    assert shown is not None and shown.camera_id == CROSSING
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)


def kinds(hall: Hall, case_id: int) -> list[str]:
    with hall.session_factory() as db:
        return sorted(db.scalars(select(Evidence.kind).where(Evidence.case_id == case_id)))


def test_a_hit_another_console_stored_reaches_this_patrol_seat_through_the_change_feed(
    qtbot: QtBot, seat: Seat, hall: Hall
) -> None:
    """Each console's link follows the checkpoint feed, but a hit is stored once — by whichever
    console got it first. The others hear of it from the change feed."""
    from dataclasses import dataclass

    from console.hall.checkpoint_hits import record_hits, watchlist_ref
    from console.hall.complaints import record_contact, sanction_overdue
    from tests.hall.test_complaints import (
        AFTER,
        FILED,
        case_with_parties,
        file_against_picc,
        second_insurer,
    )

    @dataclass(frozen=True)
    class Read:
        hit_id: str
        camera_id: str
        plate_type: str
        plate_no: str
        seen_at: datetime
        direction: str | None
        watchlist_ref: str

    desk = seat.desk
    qtbot.waitUntil(lambda: desk._last_hit_id is not None, timeout=5000)
    filed = file_against_picc(hall, case_with_parties(hall, second_insurer(hall)))
    record_contact(hall.session_factory, hall["lookup"], filed.complaint_id, "已致电", now=FILED)
    (sanctioned,) = sanction_overdue(hall.session_factory, None, AFTER).sanctioned
    with hall.session_factory() as db:
        plate_type = db.scalars(
            select(WatchlistEntry.plate_type).where(
                WatchlistEntry.id == sanctioned.watchlist_entry_id
            )
        ).one()
    stored = record_hits(
        hall.session_factory,
        [
            Read(
                "H-other-console-1", CROSSING, plate_type, sanctioned.plate_no,
                datetime.now(UTC), None, watchlist_ref(sanctioned.watchlist_entry_id),
            )
        ],
    )  # fmt: skip
    assert len(stored) == 1, "stored by 'another console': this seat's link never signals it"
    qtbot.waitUntil(lambda: sanctioned.plate_no in desk.message.text(), timeout=10_000)
    assert "西四路与南一路路口" in desk.message.text(), "the camera is named, not numbered"
    assert "Ctrl+J" in desk.message.text()
