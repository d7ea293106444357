"""The camera wall against real MJPEG streams on loopback: tiles show advancing frames, recover
by themselves, say why a camera is offline without stalling the GUI, decode nothing while
hidden, switch a maximised tile to the main stream, and keep layouts, drops and saved state
straight."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QByteArray, QElapsedTimer, QMimeData, QPointF, Qt, QTimer, QtMsgType
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from console.video.capture import CapturePolicy, CaptureState, configure_ffmpeg_env

configure_ffmpeg_env()  # as the app does, before anything imports cv2

from console.video.mjpeg_server import CameraFault, MjpegCameraServer  # noqa: E402
from console.views.camera_wall import (  # noqa: E402
    LAYOUTS,
    MIME_CAMERA,
    CameraTile,
    CameraWall,
    WallCamera,
)
from console.workers.camera_feeds import THREAD_PREFIXES  # noqa: E402

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog: QtLoggingPlugin) -> Iterator[None]:
    yield
    bad = [
        r.message
        for r in qtlog.records
        if r.type != QtMsgType.QtDebugMsg and r.message != OFFSCREEN_NOISE and not r.ignored
    ]
    assert not bad, bad


@pytest.fixture
def policy() -> CapturePolicy:
    """Timeouts short enough that a failure plays out in a second or two."""
    return CapturePolicy(
        open_timeout_s=1.0,
        read_timeout_s=1.0,
        stall_s=0.4,
        hang_grace_s=0.6,
        backoff_base_s=0.05,
        backoff_cap_s=0.3,
        max_attempts=50,
        stable_s=0.3,
        offline_retry_s=None,
        watch_interval_s=0.05,
    )


@pytest.fixture
def server() -> Iterator[MjpegCameraServer]:
    """Four 320x180 sub-streams and one 640x360 main stream for cam1, 25 fps each."""
    with MjpegCameraServer() as srv:
        for n in range(1, 5):
            srv.add_demo_camera(f"cam{n}", width=320, height=180, seed=n)
        srv.add_demo_camera("cam1main", width=640, height=360, seed=1)
        yield srv


WallFactory = Callable[..., CameraWall]


@pytest.fixture
def make_wall(qtbot: QtBot, policy: CapturePolicy) -> Iterator[WallFactory]:
    walls: list[CameraWall] = []

    def make(
        layout: str = "4",
        *,
        shown: bool = True,
        size: tuple[int, int] = (800, 450),
        policy: CapturePolicy = policy,
    ) -> CameraWall:
        wall = CameraWall(policy=policy, layout=layout)
        qtbot.addWidget(wall)
        walls.append(wall)
        wall.resize(*size)
        if shown:
            wall.show()
            qtbot.waitExposed(wall)
        return wall

    yield make
    for wall in walls:
        assert wall.shutdown(timeout=5), "capture threads did not stop"


def camera(server: MjpegCameraServer, n: int) -> WallCamera:
    main = server.url("cam1main") if n == 1 else server.url(f"cam{n}")
    return WallCamera(f"cam{n}", f"Camera {n}", server.url(f"cam{n}"), main)


def painted_number(tile: CameraTile) -> int:
    frame = tile.painted_frame
    return 0 if frame is None else frame.number


def fits(tile: CameraTile) -> bool:
    """The painted frame was scaled by the worker to fit the tile, aspect kept."""
    frame = tile.painted_frame
    if frame is None:
        return False
    width, height = frame.size
    return (
        width <= tile.width()
        and height <= tile.height()
        and (width == tile.width() or height == tile.height())
    )


def state_of(wall: CameraWall, camera_id: str) -> CaptureState | None:
    state = wall.states().get(camera_id)
    return None if state is None else state.state


def activate(qtbot: QtBot, wall: CameraWall) -> None:
    wall.activateWindow()
    qtbot.waitUntil(wall.isActiveWindow)


# ---------------------------------------------------------------- live frames


def test_four_tiles_paint_advancing_frames_at_their_size(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4")
    for n in range(1, 5):
        wall.assign(n - 1, camera(server, n))
    tiles = wall.tiles()
    qtbot.waitUntil(lambda: all(painted_number(t) > 0 for t in tiles), timeout=5000)
    qtbot.waitUntil(lambda: all(t.status_text == "Live" for t in tiles), timeout=5000)
    first = [painted_number(t) for t in tiles]
    qtbot.waitUntil(
        lambda: all(painted_number(t) >= n + 10 for t, n in zip(tiles, first, strict=True)),
        timeout=3000,
    )
    assert all(fits(tile) for tile in tiles)
    for tile in tiles:
        assert tile.age_text().endswith(" s")
        assert not tile.is_stale()
    assert wall.visible_camera_ids() == ["cam1", "cam2", "cam3", "cam4"]

    wall.resize(1200, 676)  # the captures follow the tiles' new size once resizing stops
    assert tiles[0].width() > 590
    qtbot.waitUntil(lambda: all(fits(tile) for tile in tiles), timeout=3000)


def test_stream_that_dies_and_comes_back_returns_to_live_by_itself(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4")
    wall.assign(0, camera(server, 2))
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.status_text == "Live" and painted_number(tile) > 0, timeout=5000)

    server.stop_camera("cam2", CameraFault.REFUSE)
    qtbot.waitUntil(lambda: tile.status_text.startswith("Reconnecting ("), timeout=3000)
    qtbot.waitUntil(lambda: "HTTP 503" in tile.toolTip(), timeout=3000)  # the reopen's answer
    qtbot.waitUntil(tile.is_stale, timeout=4000)  # the age turns red after 2 s

    server.start_camera("cam2")  # nobody touches the wall
    qtbot.waitUntil(lambda: tile.status_text == "Live", timeout=5000)
    back = painted_number(tile)
    qtbot.waitUntil(lambda: painted_number(tile) > back + 5, timeout=3000)
    assert not tile.is_stale()


def test_url_that_never_answers_goes_offline_and_the_gui_never_stalls(
    qtbot: QtBot, make_wall: WallFactory, policy: CapturePolicy
) -> None:
    quick = replace(policy, open_timeout_s=0.6, max_attempts=1)
    with MjpegCameraServer(unresponsive=True) as silent:
        silent.add_demo_camera("mute")
        wall = make_wall("4", policy=quick)
        gaps: list[float] = []
        clock = QElapsedTimer()
        probe = QTimer()
        probe.setTimerType(Qt.TimerType.PreciseTimer)
        probe.setInterval(10)

        def tick() -> None:
            gaps.append(clock.restart() / 1000)

        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        url = silent.url("mute")
        wall.assign(1, WallCamera("mute", "Silent camera", url, url))
        tile = wall.tile(1)
        assert tile.status_text == "Connecting"
        qtbot.waitUntil(lambda: tile.status_text == "Offline", timeout=6000)
        painted = tile.paint_count
        qtbot.wait(1200)  # the wall's timer still runs: the clock in the overlay moves on
        probe.stop()
        assert tile.paint_count > painted
        assert "no answer within 0.6 s" in tile.toolTip()
        assert state_of(wall, "mute") is CaptureState.OFFLINE
        assert tile.painted_frame is None and tile.age_text() == ""
        assert len(gaps) > 100
        assert max(gaps[1:]) < 0.1, f"GUI stalled {max(gaps[1:]) * 1000:.0f} ms"
        assert wall.shutdown(timeout=3)


def test_clearing_a_tile_never_waits_for_an_open_that_hangs(
    qtbot: QtBot, make_wall: WallFactory, policy: CapturePolicy
) -> None:
    """Stopping a capture joins its threads, and one may sit in OpenCV's open until FFmpeg's
    timeout: the join happens on the reaper thread, never on the GUI thread."""
    with MjpegCameraServer(unresponsive=True) as silent:
        silent.add_demo_camera("mute")
        wall = make_wall("4", policy=replace(policy, open_timeout_s=1.5))
        url = silent.url("mute")
        wall.assign(0, WallCamera("mute", "Silent camera", url, url))
        qtbot.wait(300)  # the session thread is now blocked inside the open
        began = time.perf_counter()
        wall.clear_tile(0)
        took = time.perf_counter() - began
        assert took < 0.05, f"clear_tile blocked the GUI for {took * 1000:.0f} ms"
        assert wall.states() == {} and wall.tile(0).camera is None
        assert any(t.name == "camera-reaper" for t in threading.enumerate())
        qtbot.waitUntil(
            lambda: not any(t.name.startswith(THREAD_PREFIXES) for t in threading.enumerate()),
            timeout=4000,
        )


# ---------------------------------------------------------------- decode only what is seen


def test_hidden_wall_decodes_nothing_and_showing_it_resumes(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4")
    wall.assign(0, camera(server, 1))
    wall.assign(3, camera(server, 3))
    feeds = wall.feeds
    qtbot.waitUntil(lambda: feeds.frames_decoded("cam3") > 5, timeout=5000)

    wall.hide()
    qtbot.waitUntil(
        lambda: all(state_of(wall, c) is CaptureState.PAUSED for c in ("cam1", "cam3")),
        timeout=2000,
    )
    assert wall.visible_camera_ids() == []
    decoded = {c: feeds.frames_decoded(c) for c in ("cam1", "cam3")}
    qtbot.wait(600)
    assert {c: feeds.frames_decoded(c) for c in ("cam1", "cam3")} == decoded

    wall.show()
    qtbot.waitUntil(
        lambda: all(feeds.frames_decoded(c) > decoded[c] + 5 for c in decoded), timeout=5000
    )
    qtbot.waitUntil(lambda: wall.tile(3).status_text == "Live", timeout=3000)


def test_maximised_tile_uses_the_main_stream_and_the_others_pause(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4", size=(960, 540))
    for n in range(1, 5):
        wall.assign(n - 1, camera(server, n))
    feeds = wall.feeds
    big = wall.tile(0)
    qtbot.waitUntil(lambda: all(t.status_text == "Live" for t in wall.tiles()), timeout=5000)
    assert feeds.stream_url("cam1") == server.url("cam1")
    activate(qtbot, wall)
    big.setFocus()
    qtbot.waitUntil(big.hasFocus)

    with qtbot.waitSignal(wall.maximised_changed) as maximised:
        qtbot.keyClick(big, Qt.Key.Key_Return)
    assert maximised.args == [0]
    assert wall.maximised_tile() == 0 and wall.focused_camera() == "cam1"
    assert big.geometry().width() > 900 and big.geometry().height() > 500
    assert not any(t.isVisible() for t in wall.tiles()[1:])
    assert feeds.stream_url("cam1") == server.url("cam1main")
    qtbot.waitUntil(
        lambda: big.painted_frame is not None and big.painted_frame.source_size == (640, 360),
        timeout=5000,
    )
    others = ("cam2", "cam3", "cam4")
    qtbot.waitUntil(
        lambda: all(state_of(wall, c) is CaptureState.PAUSED for c in others), timeout=2000
    )
    assert wall.visible_camera_ids() == ["cam1"]
    decoded = {c: feeds.frames_decoded(c) for c in others}
    qtbot.wait(500)
    assert {c: feeds.frames_decoded(c) for c in others} == decoded

    with qtbot.waitSignal(wall.maximised_changed) as restored:
        qtbot.keyClick(big, Qt.Key.Key_Escape)
    assert restored.args == [-1]
    assert feeds.stream_url("cam1") == server.url("cam1")
    qtbot.waitUntil(
        lambda: all(feeds.frames_decoded(c) > decoded[c] + 3 for c in others), timeout=5000
    )
    assert all(t.isVisible() for t in wall.tiles())

    # A double-click does the same, on any tile.
    qtbot.mouseDClick(wall.tile(2), Qt.MouseButton.LeftButton)
    assert wall.maximised_tile() == 2 and feeds.stream_url("cam3") == server.url("cam3")
    qtbot.mouseDClick(wall.tile(2), Qt.MouseButton.LeftButton)
    assert wall.maximised_tile() is None


def test_focused_camera_buffers_full_frames_for_evidence(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4")
    wall.assign(0, camera(server, 1))
    wall.assign(1, camera(server, 2))
    feeds = wall.feeds
    qtbot.waitUntil(lambda: all(t.status_text == "Live" for t in wall.tiles()[:2]), timeout=5000)
    full = feeds.full_frame("cam2")
    assert full is not None
    image, at = full
    assert image.shape == (180, 320, 3) and time.time() - at < 2  # the stream's own size
    assert wall.focused_camera() == "cam1"  # tile 0 until another tile takes the focus
    assert feeds.clip_buffer("cam2") is None

    activate(qtbot, wall)
    wall.tile(1).setFocus()
    qtbot.waitUntil(lambda: wall.focused_camera() == "cam2")
    buffer = feeds.clip_buffer("cam2")
    assert buffer is not None and feeds.clip_buffer("cam1") is None
    assert buffer.wait_newer(5, 3), "the focused camera's frames go into its clip buffer"
    assert buffer.frames()[-1].size == (320, 180)

    wall.hide()  # a hidden wall buffers nothing
    assert feeds.clip_buffer("cam2") is None


# ---------------------------------------------------------------- layouts and keys


@pytest.mark.parametrize(
    ("name", "count", "big_cells"),
    [
        ("1", 1, 1),
        ("4", 4, 1),
        ("9", 9, 1),
        ("16", 16, 1),
        ("25", 25, 1),
        ("1+5", 6, 2),
        ("1+7", 8, 3),
    ],
)
def test_layouts_have_their_tiles_and_geometry(
    qtbot: QtBot, make_wall: WallFactory, name: str, count: int, big_cells: int
) -> None:
    wall = make_wall("4", size=(1200, 720))
    with qtbot.waitSignal(wall.layout_changed) if name != "4" else contextlib.nullcontext():
        wall.set_layout(name)
    grid = LAYOUTS[name]
    assert wall.tile_count() == count == grid.count
    shown = [t for t in wall.tiles() if t.isVisible()]
    assert len(shown) == count
    assert not any(wall.tile(i).isVisible() for i in range(count, 25))
    cell_w, cell_h = 1200 / grid.columns, 720 / grid.rows
    rects = [t.geometry() for t in shown]
    for rect in rects:
        assert wall.rect().contains(rect)
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    first = rects[0]
    assert abs(first.width() - big_cells * cell_w) <= 3
    assert abs(first.height() - big_cells * cell_h) <= 3
    for rect in rects[1:]:
        assert abs(rect.width() - cell_w) <= 3 and abs(rect.height() - cell_h) <= 3
    covered = sum(r.width() * r.height() for r in rects)
    assert covered > 0.97 * 1200 * 720 - count * 2 * (cell_w + cell_h)


def test_unknown_layout_is_refused(make_wall: WallFactory) -> None:
    wall = make_wall("4", shown=False)
    with pytest.raises(ValueError, match="unknown wall layout"):
        wall.set_layout("36")
    assert wall.layout_name() == "4"


def test_arrow_keys_move_between_tiles_of_a_focus_layout(
    qtbot: QtBot, make_wall: WallFactory
) -> None:
    wall = make_wall("1+5", size=(900, 600))
    activate(qtbot, wall)
    wall.tile(0).setFocus()
    qtbot.waitUntil(wall.tile(0).hasFocus)
    # 0 is the big tile; 1, 2 down the right; 3, 4, 5 along the bottom.
    path = [
        (Qt.Key.Key_Right, 1),
        (Qt.Key.Key_Down, 2),
        (Qt.Key.Key_Down, 5),
        (Qt.Key.Key_Left, 4),
        (Qt.Key.Key_Left, 3),
        (Qt.Key.Key_Left, 3),  # the edge: stays
        (Qt.Key.Key_Up, 0),
        (Qt.Key.Key_Down, 3),
    ]
    for key, expected in path:
        qtbot.keyClick(QApplication.focusWidget(), key)
        assert wall.current_tile() == expected, (key, expected)
        assert wall.tile(expected).hasFocus()
    assert wall.focused_camera() is None
    qtbot.keyClick(wall.tile(3), Qt.Key.Key_Return)  # an empty tile does not maximise
    assert wall.maximised_tile() is None


# ---------------------------------------------------------------- drag and drop


def _drop(tile: CameraTile, mime: QMimeData) -> tuple[bool, bool]:
    """Drag `mime` over the tile and drop it; whether the enter and the drop were accepted."""
    pos = tile.rect().center()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    none = Qt.MouseButton.NoButton
    try:  # PySide6 6.12 takes a QPointF, earlier versions a QPoint
        enter = QDragEnterEvent(QPointF(pos), actions, mime, none, Qt.KeyboardModifier.NoModifier)
    except TypeError:
        enter = QDragEnterEvent(pos, actions, mime, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, enter)
    drop = QDropEvent(QPointF(pos), actions, mime, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, drop)
    return enter.isAccepted(), drop.isAccepted()


def _camera_mime(camera_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_CAMERA, QByteArray(camera_id.encode("utf-8")))
    return mime


def test_drop_is_refused_while_locked_and_accepted_in_edit_mode(
    qtbot: QtBot, make_wall: WallFactory
) -> None:
    wall = make_wall("9", size=(900, 600))
    dropped: list[tuple[int, str]] = []
    wall.camera_dropped.connect(lambda i, c: dropped.append((i, c)))
    tile = wall.tile(2)

    assert not wall.edit_mode()
    assert _drop(tile, _camera_mime("卡口-07")) == (False, False)
    assert dropped == []
    assert tile.notice_shown()

    wall.set_edit_mode(True)
    with qtbot.waitSignal(wall.camera_dropped) as signal:
        accepted = _drop(tile, _camera_mime("卡口-07"))
    assert accepted == (True, True)
    assert signal.args == [2, "卡口-07"]
    assert wall.camera_at(2) is None  # the desk resolves the URLs and calls assign

    other = QMimeData()
    other.setText("not a camera")
    assert _drop(tile, other) == (False, False)
    assert dropped == [(2, "卡口-07")]


def test_tile_dragged_onto_another_swaps_them_in_edit_mode(
    qtbot: QtBot, make_wall: WallFactory, server: MjpegCameraServer
) -> None:
    wall = make_wall("4")
    wall.assign(0, camera(server, 1))
    wall.assign(1, camera(server, 2))
    qtbot.waitUntil(lambda: all(t.status_text == "Live" for t in wall.tiles()[:2]), timeout=5000)
    decoded = wall.feeds.frames_decoded("cam2")

    assert _drop(wall.tile(1), wall.tile_drag_data(0)) == (False, False)  # locked
    wall.set_edit_mode(True)
    with qtbot.waitSignal(wall.tiles_swapped) as swapped:
        _drop(wall.tile(1), wall.tile_drag_data(0))
    assert swapped.args == [0, 1]
    assert [wall.camera_at(i) for i in (0, 1)] == [camera(server, 2), camera(server, 1)]
    # Same captures, no reconnect: still live, frame count carries on.
    assert wall.tile(0).status_text == "Live" and wall.tile(1).status_text == "Live"
    qtbot.waitUntil(lambda: painted_number(wall.tile(0)) > decoded, timeout=2000)
    assert _drop(wall.tile(0), wall.tile_drag_data(0)) == (True, False)  # onto itself


# ---------------------------------------------------------------- saved layouts


def test_layout_state_round_trip(make_wall: WallFactory) -> None:
    """A hidden wall opens no stream, so these URLs are never dialled."""
    cameras = {
        cid: WallCamera(cid, name, f"rtsp://u:p@10.0.0.{n}/sub", f"rtsp://u:p@10.0.0.{n}/main")
        for n, (cid, name) in enumerate([("k1", "东门卡口"), ("k2", "南环路口"), ("k3", "桥北")], 1)
    }
    wall = make_wall("4", shown=False)
    wall.set_layout("1+5")
    wall.assign(0, cameras["k1"])
    wall.assign(2, cameras["k2"])
    wall.assign(5, cameras["k3"])
    state = wall.layout_state()
    assert state == {"layout": "1+5", "tiles": ["k1", None, "k2", None, None, "k3"]}
    assert all(s.state is CaptureState.PAUSED for s in wall.states().values())
    assert "p@" not in repr(cameras["k1"])

    saved = json.loads(json.dumps(state, ensure_ascii=False))
    other = make_wall("16", shown=False)
    other.assign(7, cameras["k1"])
    known = {cid: cam for cid, cam in cameras.items() if cid != "k3"}
    missing = other.restore_layout_state(saved, known.get)
    assert missing == ["k3"]
    assert other.layout_name() == "1+5"
    assert other.layout_state() == {"layout": "1+5", "tiles": ["k1", None, "k2", None, None, None]}
    assert other.feeds.camera_ids() == ["k1", "k2"]

    with pytest.raises(ValueError, match="unknown wall layout"):
        other.restore_layout_state({"layout": "7", "tiles": []}, known.get)
    with pytest.raises(ValueError, match="camera ids"):
        other.restore_layout_state({"layout": "4", "tiles": [1, 2]}, known.get)
    assert other.layout_name() == "1+5"

    other.set_layout("1")  # tiles the layout lacks are cleared and their cameras stop
    assert other.layout_state() == {"layout": "1", "tiles": ["k1"]}
    assert other.feeds.camera_ids() == ["k1"]
