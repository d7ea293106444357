"""The camera tree on the demo registry: counts per group, search, "offline only", states that
change in place, dragging a camera, the keys, and no stream URL anywhere on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from console.db.engine import DatabaseUnavailable
from console.hall.cameras import camera_tree, seed_demo_cameras
from console.video.capture import CameraState, CaptureState
from console.views.camera_tree import (
    CAMERA_ID_ROLE,
    CAMERA_MIME_TYPE,
    KIND_ROLE,
    STATE_ROLE,
    CameraTreePanel,
    NodeKind,
)
from console.workers.tasks import TaskRunner
from tests.ui.keyboard import type_text

SECRET = "Hik12345secret"
DONGYING = "东营区"
XISI = "东营区/西四路"
XISI_CHECKPOINT = "东营区/西四路/西四路南一路卡口"
XISI_EAST = "37050200001320000001"  # 东营区 西四路与南一路路口 东向西
XISI_WEST = "37050200001320000002"
FUQIAN_EAST = "37050200001320000007"
KENLI_1 = "37050500001320000001"


def _urls(camera_id: str) -> tuple[str, str | None]:
    base = f"rtsp://admin:{SECRET}@10.20.1.5:554/Streaming/Channels"
    return f"{base}/{camera_id}01", f"{base}/{camera_id}02?token={SECRET}"


@pytest.fixture
def registry(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """The 24 demo cameras, with credentials in their URLs as a real platform has them."""
    seed_demo_cameras(session_factory, _urls)
    return session_factory


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner(threads=1)
    yield runner
    assert runner.shutdown(timeout=5)


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[CameraTreePanel]:
    panel = CameraTreePanel()
    qtbot.addWidget(panel)
    panel.resize(420, 700)
    yield panel
    panel.stop()


def load(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, sf: sessionmaker[Session]
) -> None:
    with qtbot.waitSignal(panel.tree_changed, timeout=10_000):
        panel.load(runner, sf)


def label(panel: CameraTreePanel, path: str) -> str:
    item = panel.group_item(path)
    assert item is not None, path
    return item.text()


def show(qtbot: QtBot, panel: CameraTreePanel) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)


def offline(reason: str, camera_id: str) -> CameraState:
    return CameraState(camera_id, CaptureState.OFFLINE, attempt=5, message=reason)


def test_every_group_counts_its_live_cameras(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    panel.set_states(
        {
            XISI_EAST: offline("connection refused", XISI_EAST),
            FUQIAN_EAST: CaptureState.OFFLINE,
            KENLI_1: offline("no answer in 5 s", KENLI_1),
            XISI_WEST: CaptureState.RECONNECTING,  # amber, but not down yet
        }
    )
    load(qtbot, panel, runner, registry)

    # Sorted by name, as the registry sorts them, so the tree does not jump on reload.
    assert [panel.model.item(r).text() for r in range(panel.model.rowCount())] == [
        "东营区 (8/10)",
        "利津县 (2/2)",
        "垦利区 (3/4)",
        "广饶县 (4/4)",
        "河口区 (4/4)",
    ]
    assert label(panel, DONGYING) == "东营区 (8/10)"
    assert label(panel, XISI) == "西四路 (1/2)"
    assert label(panel, XISI_CHECKPOINT) == "西四路南一路卡口 (1/2)"
    assert label(panel, "东营区/府前大街") == "府前大街 (1/2)"
    assert label(panel, "垦利区/胜兴路/胜兴路行政路卡口") == "胜兴路行政路卡口 (1/2)"
    assert panel.live_count() == (21, 24)
    # The same counts as the registry's own tree for that offline set.
    direct = camera_tree(registry, offline_ids=panel.offline_ids())
    assert {d.name: (d.live, d.total) for d in direct.districts}["东营区"] == (8, 10)
    assert panel.offline_ids() == {XISI_EAST, FUQIAN_EAST, KENLI_1}

    east = panel.camera_item(XISI_EAST)
    assert east is not None
    assert east.text() == "东营区 西四路与南一路路口 东向西"
    assert east.data(STATE_ROLE) == "offline"
    assert "connection refused" in east.toolTip()
    assert XISI_EAST in east.toolTip()
    west = panel.camera_item(XISI_WEST)
    assert west is not None and west.data(STATE_ROLE) == "reconnecting"
    assert not east.icon().isNull() and not west.icon().isNull()
    assert panel.camera_item(KENLI_1) is not None
    unknown = panel.camera_item("37050300001320000001")
    assert unknown is not None and unknown.data(STATE_ROLE) is None


def test_the_search_narrows_the_tree_as_you_type(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    load(qtbot, panel, runner, registry)
    assert len(panel.camera_ids()) == 24
    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        type_text(qtbot, panel.search_box, "西四路")
    assert sorted(panel.camera_ids()) == [XISI_EAST, XISI_WEST]
    assert [panel.model.item(r).text() for r in range(panel.model.rowCount())] == ["东营区 (2/2)"]
    assert panel.tree_view.isExpanded(panel.model.item(0).index())  # results are in sight

    panel.search_box.clear()
    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        type_text(qtbot, panel.search_box, KENLI_1)  # the camera's number works too
    assert panel.camera_ids() == [KENLI_1]

    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        type_text(qtbot, panel.search_box, "x")
    assert panel.camera_ids() == []
    assert panel.model.rowCount() == 0
    assert panel._summary.text() == "No camera matches"


def test_typing_fast_loads_once_after_the_pause(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    load(qtbot, panel, runner, registry)
    trees: list[object] = []
    panel.tree_changed.connect(trees.append)
    qtbot.keyClicks(panel.search_box, "0000000")
    qtbot.waitUntil(lambda: len(trees) == 1, timeout=5000)
    qtbot.wait(300)
    assert len(trees) == 1


def test_offline_only_shows_the_cameras_that_are_down(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    show(qtbot, panel)
    panel.set_states({XISI_EAST: CaptureState.OFFLINE, KENLI_1: CaptureState.OFFLINE})
    load(qtbot, panel, runner, registry)
    panel.search_box.setFocus()
    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        qtbot.keyClick(panel.search_box, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert panel.offline_only_box.isChecked()
    assert sorted(panel.camera_ids()) == sorted([XISI_EAST, KENLI_1])
    assert label(panel, DONGYING) == "东营区 (0/1)"

    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        qtbot.keyClick(panel.search_box, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert not panel.offline_only_box.isChecked()
    assert len(panel.camera_ids()) == 24


def test_new_states_change_counts_and_dots_in_place(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    load(qtbot, panel, runner, registry)
    model = panel.model
    district = panel.group_item(DONGYING)
    camera = panel.camera_item(XISI_EAST)
    assert district is not None and camera is not None
    assert district.text() == "东营区 (10/10)"
    rows = model.rowCount()
    structural: list[str] = []
    model.rowsInserted.connect(lambda *_: structural.append("inserted"))
    model.rowsRemoved.connect(lambda *_: structural.append("removed"))
    model.modelReset.connect(lambda: structural.append("reset"))
    changed: list[QModelIndex] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top))

    panel.set_states({XISI_EAST: offline("timed out", XISI_EAST)})
    assert district.text() == "东营区 (9/10)"
    assert label(panel, XISI_CHECKPOINT) == "西四路南一路卡口 (1/2)"
    assert camera.data(STATE_ROLE) == "offline"
    assert "timed out" in camera.toolTip()
    assert panel.live_count() == (23, 24)
    # The very same items, updated: nothing was rebuilt.
    assert panel.group_item(DONGYING) is district
    assert panel.camera_item(XISI_EAST) is camera
    assert model.item(0) is not None and model.rowCount() == rows
    assert structural == []
    assert changed

    panel.set_states({XISI_EAST: CaptureState.LIVE, XISI_WEST: CaptureState.CONNECTING})
    assert district.text() == "东营区 (10/10)"
    assert camera.data(STATE_ROLE) == "live"
    assert structural == []
    # A state for a camera the tree does not hold is kept for later, not an error.
    panel.set_states({"NOT-IN-TREE": CaptureState.OFFLINE})
    assert "NOT-IN-TREE" in panel.offline_ids()


def test_a_camera_row_drags_its_id_and_groups_do_not_drag(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    load(qtbot, panel, runner, registry)
    camera = panel.camera_item(XISI_EAST)
    group = panel.group_item(XISI_CHECKPOINT)
    assert camera is not None and group is not None
    model = panel.model
    assert model.mimeTypes() == [CAMERA_MIME_TYPE]
    mime = model.mimeData([camera.index()])
    assert mime.hasFormat(CAMERA_MIME_TYPE)
    assert bytes(mime.data(CAMERA_MIME_TYPE).data()).decode("utf-8") == XISI_EAST
    assert mime.formats() == [CAMERA_MIME_TYPE]  # no text, no URL
    assert model.flags(camera.index()) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(group.index()) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(camera.index()) & Qt.ItemFlag.ItemIsEditable
    assert model.supportedDragActions() == Qt.DropAction.CopyAction


def test_down_from_the_search_and_enter_activate_cameras_and_groups(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    show(qtbot, panel)
    load(qtbot, panel, runner, registry)
    panel.focus_search()
    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        type_text(qtbot, panel.search_box, "西四路")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Down)
    view = panel.tree_view
    qtbot.waitUntil(view.hasFocus)
    assert view.currentIndex().data(CAMERA_ID_ROLE) == XISI_EAST  # the first match
    with qtbot.waitSignal(panel.camera_activated, timeout=1000) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [XISI_EAST]

    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().data(CAMERA_ID_ROLE) == XISI_WEST
    qtbot.keyClick(view, Qt.Key.Key_Left)  # to the checkpoint
    assert view.currentIndex().data(KIND_ROLE) == NodeKind.CHECKPOINT
    with qtbot.waitSignal(panel.group_activated, timeout=1000) as group:
        qtbot.keyClick(view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert group.args == [XISI_CHECKPOINT]

    # Ctrl+F goes back to the search box; Esc clears it and the whole tree comes back.
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.search_box.hasFocus)
    with qtbot.waitSignal(panel.tree_changed, timeout=5000):
        qtbot.keyClick(panel.search_box, Qt.Key.Key_Escape)
    assert len(panel.camera_ids()) == 24
    assert view.currentIndex().data(KIND_ROLE) == NodeKind.CHECKPOINT  # kept its place


def test_a_double_click_on_a_camera_activates_it(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    show(qtbot, panel)
    load(qtbot, panel, runner, registry)
    assert panel.select_camera(KENLI_1)
    view = panel.tree_view
    rect = view.visualRect(view.currentIndex())
    # A real double click starts with a click; QTest's mouseDClick alone lacks that half.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.camera_activated, timeout=1000) as activated:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [KENLI_1]


def test_no_stream_url_or_password_reaches_the_screen(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    leaky = f"cannot open rtsp://admin:{SECRET}@10.20.1.5:554/x?password={SECRET}"
    panel.set_states({XISI_EAST: offline(leaky, XISI_EAST)})
    load(qtbot, panel, runner, registry)
    model = panel.model
    seen: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            for role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.StatusTipRole,
                Qt.ItemDataRole.AccessibleDescriptionRole,
                CAMERA_ID_ROLE,
            ):
                value = index.data(role)
                if value is not None:
                    seen.append(str(value))
            walk(index)

    walk(QModelIndex())
    assert len(seen) > 24
    assert all(SECRET not in text and "Streaming" not in text for text in seen)
    camera = panel.camera_item(XISI_EAST)
    assert camera is not None and "10.20.1.5" in camera.toolTip()  # the reason, redacted


class FlakyFactory:
    """A session factory whose database is unreachable for the first `failures` sessions."""

    def __init__(self, real: sessionmaker[Session], failures: int) -> None:
        self.real = real
        self.failures = failures

    def __call__(self) -> Session:
        if self.failures > 0:
            self.failures -= 1
            raise DatabaseUnavailable("connection refused", url="postgresql://hall@10.0.0.9/hall")
        return self.real()


def test_a_failed_load_says_so_and_recovers_by_itself(
    qtbot: QtBot,
    runner: TaskRunner,
    registry: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("console.views.camera_tree.RETRY_MS", 300)
    panel = CameraTreePanel()
    qtbot.addWidget(panel)
    panel.show()
    flaky = FlakyFactory(registry, failures=1)
    panel.load(runner, flaky)  # type: ignore[arg-type]
    banner = panel._banner
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert "cannot be loaded" in banner.text()
    assert "central database cannot be reached" in banner.text()
    assert panel.tree is None
    # The panel tries again by itself.
    qtbot.waitUntil(lambda: len(panel.camera_ids()) == 24, timeout=5000)
    assert banner.isHidden()
    assert flaky.failures == 0
    panel.stop()


def test_a_result_that_comes_after_stop_is_dropped(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    task = panel.load(runner, registry)
    assert task is not None
    panel.stop()
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5000)
    assert panel.tree is None
    assert panel.reload() is None


def test_the_model_passes_the_model_tester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    panel: CameraTreePanel,
    runner: TaskRunner,
    registry: sessionmaker[Session],
) -> None:
    load(qtbot, panel, runner, registry)
    qtmodeltester.check(panel.model, force_py=True)
    panel.set_states({XISI_EAST: CaptureState.OFFLINE})
    qtmodeltester.check(panel.model, force_py=True)


def test_the_language_can_change_while_the_tree_is_shown(
    qtbot: QtBot, panel: CameraTreePanel, runner: TaskRunner, registry: sessionmaker[Session]
) -> None:
    from PySide6.QtCore import QEvent

    load(qtbot, panel, runner, registry)
    QApplication.sendEvent(panel, QEvent(QEvent.Type.LanguageChange))
    assert label(panel, DONGYING) == "东营区 (10/10)"
    assert panel.search_box.placeholderText()
