"""The situation map: the districts drawn, a click on a marker opens what it stands for, layers
switch off, updates move markers without new items, the keys walk and open, and 2,000 cases
are quick to hand over."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from typing import Any, Protocol

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGraphicsPathItem,
    QGraphicsTextItem,
    QGraphicsView,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.logging import Record
from pytestqt.qtbot import QtBot

from console.domain.districts import DISTRICTS_FILE, DistrictOutline, parse_districts
from console.views.place_map import local_metres
from console.views.situation_map import MapCamera, MapCase, MapUnit, SituationMap

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
NO_KEYS = Qt.KeyboardModifier.NoModifier
FIVE = ("东营区", "河口区", "垦利区", "利津县", "广饶县")

# Places in 东营区 (cases in the east town, a camera in the west), tow trucks at their bases:
# far enough apart to be told apart with the whole city in view.
CAMERA = MapCamera("37050200001320000003", "东营区 西三路与济南路路口 南向北", 37.46108, 118.49312)
WAITING = MapCase(101, "DY2024000101", "Waiting for rescue", 37.4420, 118.6500, urgent=True)
REVIEW = MapCase(102, "DY2024000102", "Online review", 37.4250, 118.6950)
TOW_1 = MapUnit(7, "顺通清障01", "en_route", 37.4470, 118.5850)
TOW_2 = MapUnit(8, "安达清障02", "available", 37.5880, 118.5480)


class CapturedQtLog(Protocol):
    @property
    def records(self) -> list[Record]: ...


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog: CapturedQtLog) -> Iterator[None]:
    yield
    bad = [
        r.message
        for r in qtlog.records
        if r.type != QtMsgType.QtDebugMsg and r.message != OFFSCREEN_NOISE and not r.ignored
    ]
    assert not bad, bad


@pytest.fixture(scope="module")
def districts() -> tuple[DistrictOutline, ...]:
    return parse_districts(json.loads(DISTRICTS_FILE.read_text(encoding="utf-8")))


def shown_map(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...], width: int = 640, height: int = 560
) -> SituationMap:
    widget = SituationMap()
    qtbot.addWidget(widget)
    widget.set_districts(districts)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot)
    return widget


def filled_map(qtbot: QtBot, districts: tuple[DistrictOutline, ...]) -> SituationMap:
    widget = shown_map(qtbot, districts)
    widget.set_cameras([CAMERA])
    widget.set_cases([WAITING, REVIEW])
    widget.set_units([TOW_1, TOW_2])
    settle(qtbot)
    return widget


def settle(qtbot: QtBot) -> None:
    qtbot.wait(20)  # pyqtgraph moves its items on the next paint


def plot_view(widget: SituationMap) -> Any:
    view = widget.findChild(QGraphicsView)
    assert view is not None
    return view


def on_screen(widget: SituationMap, lat: float, lon: float) -> QPoint:
    """Where (lat, lon) is drawn, in the pixels of the plot's viewport: metres from the map's
    origin, then through pyqtgraph's view box to the scene and the viewport."""
    view = plot_view(widget)
    box = view.getPlotItem().getViewBox()
    x, y = local_metres(*widget.origin(), lat, lon)
    point: QPoint = view.mapFromScene(box.mapViewToScene(QPointF(x, y)))
    return point


def click_at(widget: SituationMap, lat: float, lon: float, offset: QPoint | None = None) -> None:
    viewport = plot_view(widget).viewport()
    pos = on_screen(widget, lat, lon) + (offset or QPoint())
    assert viewport.rect().contains(pos)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, NO_KEYS, pos)


def opened_by(widget: SituationMap) -> list[tuple[str, object]]:
    got: list[tuple[str, object]] = []
    widget.opened.connect(lambda kind, key: got.append((kind, key)))
    return got


def toggle(widget: SituationMap, text: str) -> QCheckBox:
    box = next(b for b in widget.findChildren(QCheckBox) if b.text().startswith(text))
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, NO_KEYS, QPoint(8, box.height() // 2))
    return box


# ---------------------------------------------------------------- what is drawn


def test_the_five_districts_are_outlined_and_named(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = shown_map(qtbot, districts)
    scene = plot_view(widget).scene()
    paths = [i for i in scene.items() if isinstance(i, QGraphicsPathItem) and i.isVisible()]
    assert len(paths) == 5
    names = {
        i.toPlainText()
        for i in scene.items()
        if isinstance(i, QGraphicsTextItem) and i.isVisible() and i.toPlainText()
    }
    assert names == set(FIVE)
    # Each district's outline holds its own name's place and no other district's.
    for outline in districts:
        label = QPointF(*local_metres(*widget.origin(), *outline.label_point()))
        holding = [p for p in paths if p.path().contains(label)]
        assert len(holding) == 1, outline.name
    # The whole city is in view, north up: 河口 above 东营区, 利津 left of 垦利.
    viewport = plot_view(widget).viewport().rect()
    where = {o.name: on_screen(widget, *o.label_point()) for o in districts}
    assert all(viewport.contains(p) for p in where.values())
    assert where["河口区"].y() < where["东营区"].y() < where["广饶县"].y()
    assert where["利津县"].x() < where["垦利区"].x()
    text, length = widget.scale_bar()
    assert text.endswith(" km") and length > 20


def test_markers_are_coloured_by_urgency_and_state(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    image = plot_view(widget).viewport().grab().toImage()

    def near(lat: float, lon: float, wanted: str) -> int:
        centre, color, found = on_screen(widget, lat, lon), QColor(wanted), 0
        for y in range(centre.y() - 4, centre.y() + 5):
            for x in range(centre.x() - 4, centre.x() + 5):
                c = image.pixelColor(x, y)
                if max(abs(c.red() - color.red()), abs(c.green() - color.green()),
                       abs(c.blue() - color.blue())) <= 40:  # fmt: skip
                    found += 1
        return found

    assert near(WAITING.lat, WAITING.lon, "#d32f2f") > 10  # red: waiting for rescue
    assert near(REVIEW.lat, REVIEW.lon, "#ffa000") > 10  # amber: any other open case
    assert near(TOW_1.lat, TOW_1.lon, "#1565c0") > 5  # blue: on the way
    assert near(TOW_2.lat, TOW_2.lon, "#2e7d32") > 5  # green: available
    assert near(REVIEW.lat, REVIEW.lon, "#d32f2f") == 0
    texts = {
        i.toPlainText()
        for i in plot_view(widget).scene().items()
        if isinstance(i, QGraphicsTextItem) and i.isVisible()
    }
    assert {"顺通清障01", "安达清障02"} <= texts  # call signs beside the units
    boxes = [b.text() for b in widget.findChildren(QCheckBox)]
    assert boxes == ["Units (2)", "Open cases (2)", "Cameras (1)"]


# ---------------------------------------------------------------- clicking


def test_a_click_on_a_unit_or_a_case_opens_it(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    with qtbot.waitSignal(widget.opened) as unit:
        click_at(widget, TOW_1.lat, TOW_1.lon, QPoint(1, -2))  # a near miss still counts
    assert unit.args == ["unit", 7]
    assert widget.highlighted() == ("unit", 7)
    assert widget.caption_text() == "▶ 顺通清障01 · en route"
    assert widget.hasFocus()

    with qtbot.waitSignal(widget.opened) as case:
        click_at(widget, REVIEW.lat, REVIEW.lon)
    assert case.args == ["case", 102]
    assert widget.caption_text() == "▶ DY2024000102 · Online review"
    with qtbot.waitSignal(widget.opened) as camera:
        click_at(widget, CAMERA.lat, CAMERA.lon)
    assert camera.args == ["camera", CAMERA.id]

    # Far from any marker (in 广饶县's empty middle), a click opens nothing.
    with qtbot.assertNotEmitted(widget.opened):
        click_at(widget, 37.12, 118.62)
        click_at(widget, TOW_1.lat, TOW_1.lon, QPoint(25, 25))


def test_clicking_a_pile_again_takes_the_next_marker(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    # The tow truck has arrived at the waiting case: both lie on one spot.
    widget.set_units([MapUnit(7, "顺通清障01", "on_scene", WAITING.lat, WAITING.lon), TOW_2])
    settle(qtbot)
    opened = opened_by(widget)
    for _ in range(3):
        click_at(widget, WAITING.lat, WAITING.lon)
    assert opened == [("unit", 7), ("case", 101), ("unit", 7)]  # the unit drawn on top first

    # A double click is one choice and a reset of the view, not two choices.
    opened.clear()
    home = widget.visible_area()
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Plus)
    assert widget.visible_area().width() < home.width()
    viewport = plot_view(widget).viewport()
    pos = on_screen(widget, TOW_2.lat, TOW_2.lon)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, NO_KEYS, pos)
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, NO_KEYS, pos)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, NO_KEYS, pos)
    assert opened == [("unit", 8)]
    assert widget.visible_area().width() == pytest.approx(home.width(), rel=0.01)


def test_cases_waiting_for_rescue_lie_on_top_and_come_first(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = shown_map(qtbot, districts)
    # Given in the queue's order; the urgent one sits where an older case was reported.
    older = MapCase(100, "DY2024000100", "Online review", WAITING.lat, WAITING.lon)
    widget.set_cases([older, WAITING, REVIEW])
    settle(qtbot)
    image = plot_view(widget).viewport().grab().toImage()
    centre = image.pixelColor(on_screen(widget, WAITING.lat, WAITING.lon))
    assert centre.red() > 180 and centre.green() < 90  # red, not the amber below it
    opened = opened_by(widget)
    click_at(widget, WAITING.lat, WAITING.lon)
    click_at(widget, WAITING.lat, WAITING.lon)
    assert opened == [("case", 101), ("case", 100)]
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Home)
    walked = [widget.highlighted()]
    for _ in range(2):
        QTest.keyClick(widget, Qt.Key.Key_Right)
        walked.append(widget.highlighted())
    assert walked == [("case", 101), ("case", 100), ("case", 102)]


def test_hovering_tells_what_is_under_the_pointer(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    viewport = plot_view(widget).viewport()
    QTest.mouseMove(viewport, on_screen(widget, TOW_2.lat, TOW_2.lon))
    qtbot.waitUntil(
        lambda: any(i.toolTip() == "安达清障02 · available" for i in plot_view(widget).items())
    )
    QTest.mouseMove(viewport, on_screen(widget, WAITING.lat, WAITING.lon))
    qtbot.waitUntil(
        lambda: any(
            i.toolTip() == "DY2024000101 · Waiting for rescue" for i in plot_view(widget).items()
        )
    )
    assert not any(i.toolTip().startswith("安达") for i in plot_view(widget).items())


# ---------------------------------------------------------------- layers and updates


def test_switching_the_units_off_hides_them_from_clicks_and_keys(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    widget.select("unit", 8)
    box = toggle(widget, "Units")
    assert not box.isChecked() and not widget.layer_visible("unit")
    assert widget.highlighted() is None  # the highlight went with the unit
    settle(qtbot)
    texts = {
        i.toPlainText()
        for i in plot_view(widget).scene().items()
        if isinstance(i, QGraphicsTextItem) and i.isVisible()
    }
    assert "安达清障02" not in texts
    with qtbot.assertNotEmitted(widget.opened):
        click_at(widget, TOW_2.lat, TOW_2.lon)
    opened = opened_by(widget)
    widget.reset_view()
    widget.setFocus()
    for _ in range(4):
        QTest.keyClick(widget, Qt.Key.Key_Right)
        QTest.keyClick(widget, Qt.Key.Key_Return)
    assert all(kind != "unit" for kind, _ in opened)

    toggle(widget, "Units")
    assert widget.layer_visible("unit")
    with qtbot.waitSignal(widget.opened) as again:
        click_at(widget, TOW_2.lat, TOW_2.lon)
    assert again.args == ["unit", 8]


def test_units_are_moved_in_place_every_update(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    scene = plot_view(widget).scene()
    widget.select("unit", 7)
    before = set(scene.items())
    old = widget.marker_pos("unit", 7)
    for step in range(1, 6):  # a second apart at the rescue seat
        moved = MapUnit(7, "顺通清障01", "on_scene", TOW_1.lat + 0.02 * step, TOW_1.lon)
        widget.set_units([moved, TOW_2])
        assert set(scene.items()) == before  # the same items, moved
    settle(qtbot)
    new = widget.marker_pos("unit", 7)
    assert new.y() < old.y() - 20 and abs(new.x() - old.x()) <= 1  # north is up
    assert widget.highlighted() == ("unit", 7)  # the highlight goes along
    assert widget.caption_text() == "▶ 顺通清障01 · on scene"
    with qtbot.waitSignal(widget.opened) as opened:
        click_at(widget, TOW_1.lat + 0.1, TOW_1.lon)
    assert opened.args == ["unit", 7]

    widget.set_units([TOW_2])  # unit 7 off the board
    assert widget.highlighted() is None
    assert set(scene.items()) <= before


def test_cases_without_coordinates_and_unknown_states_are_no_trouble(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    widget.set_cases([WAITING, MapCase(103, "DY2024000103", "New", math.nan, 118.6)])
    widget.set_units([MapUnit(9, "临时01", "repairing", 37.45, 118.60)])
    boxes = [b.text() for b in widget.findChildren(QCheckBox)]
    assert boxes == ["Units (1)", "Open cases (1)", "Cameras (1)"]  # the NaN case left off
    assert widget.select("unit", 9)
    assert widget.caption_text() == "▶ 临时01 · repairing"
    assert not widget.select("case", 103)


def test_markers_handed_over_before_the_districts_keep_their_place_and_looks(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = SituationMap()
    qtbot.addWidget(widget)
    widget.resize(640, 560)
    widget.set_cases([WAITING, REVIEW])  # e.g. the districts file is still being read
    widget.set_units([TOW_1])
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot)
    alone = widget.visible_area()
    assert alone.contains(QPointF(*widget.point_position("unit", 7)))
    assert alone.width() < 30_000  # fitted to the three markers, not a whole city

    widget.set_districts(districts)
    settle(qtbot)
    assert widget.visible_area().width() > 100_000  # now the whole city
    x, y = local_metres(*widget.origin(), WAITING.lat, WAITING.lon)
    assert widget.point_position("case", 101) == (pytest.approx(x), pytest.approx(y))
    image = plot_view(widget).viewport().grab().toImage()
    red = image.pixelColor(on_screen(widget, WAITING.lat, WAITING.lon))
    assert red.red() > 180 and red.green() < 90
    with qtbot.waitSignal(widget.opened) as opened:
        click_at(widget, TOW_1.lat, TOW_1.lon)
    assert opened.args == ["unit", 7]


# ---------------------------------------------------------------- keys and view


def test_tab_walks_the_markers_and_enter_opens_one(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    host = QWidget()
    before, widget, after = QLineEdit(), SituationMap(), QLineEdit()
    layout = QVBoxLayout(host)
    for child in (before, widget, after):
        layout.addWidget(child)
    qtbot.addWidget(host)
    host.resize(640, 640)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    widget.set_districts(districts)
    widget.set_cases([WAITING])
    widget.set_units([TOW_1, TOW_2])
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)

    QTest.keyClick(before, Qt.Key.Key_Tab)
    assert widget.hasFocus() and widget.highlighted() == ("unit", 7)  # units come first
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert widget.highlighted() == ("unit", 8)
    with qtbot.waitSignal(widget.opened) as opened:
        QTest.keyClick(widget, Qt.Key.Key_Return)
    assert opened.args == ["unit", 8]
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert widget.highlighted() == ("case", 101)
    QTest.keyClick(widget, Qt.Key.Key_Right)  # arrows go round
    assert widget.highlighted() == ("unit", 7)
    QTest.keyClick(widget, Qt.Key.Key_Left)
    assert widget.highlighted() == ("case", 101)
    with qtbot.waitSignal(widget.opened) as opened:
        QTest.keyClick(widget, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == ["case", 101]
    # Tab past the last marker leaves the map (for its layer switches, then onwards).
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert not widget.hasFocus()
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
    )
    assert widget.hasFocus() and widget.highlighted() == ("case", 101)
    # Ctrl+Tab leaves at once, however many markers are left.
    QTest.keyClick(widget, Qt.Key.Key_Home)
    assert widget.highlighted() == ("unit", 7)
    QTest.keyClick(widget, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert not widget.hasFocus()


def test_keys_walk_only_the_markers_in_view(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    home = widget.visible_area()
    assert widget.select("case", 102)
    centre = widget.visible_area().center()
    x, y = widget.point_position("case", 102)
    assert (centre.x(), centre.y()) == (pytest.approx(x, abs=1), pytest.approx(y, abs=1))
    widget.setFocus()
    whole = widget.visible_area().width()
    for _ in range(4):
        QTest.keyClick(widget, Qt.Key.Key_Plus)
    assert widget.visible_area().width() == pytest.approx(whole / 16, rel=0.01)
    zoomed = widget.visible_area()
    widget.set_units([TOW_1, TOW_2])  # the next second's update leaves the view alone
    widget.set_cases([WAITING, REVIEW])
    assert widget.visible_area() == zoomed
    seen = set()
    for _ in range(6):
        QTest.keyClick(widget, Qt.Key.Key_Right)
        seen.add(widget.highlighted())
    # Zoomed into the east town: its cases, not the units at the bases or the west's camera.
    assert seen == {("case", 102), ("case", 101)}
    QTest.keyClick(widget, Qt.Key.Key_Escape)
    assert widget.highlighted() is None
    QTest.keyClick(widget, Qt.Key.Key_0)
    assert widget.visible_area().width() == pytest.approx(home.width(), rel=0.01)
    assert widget.visible_area().contains(widget.home_area())


def test_ctrl_wheel_zooms_and_the_plain_wheel_does_not(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = filled_map(qtbot, districts)
    home = widget.visible_area()
    window = widget.window().windowHandle()
    assert window is not None
    centre = QPointF(widget.mapTo(widget.window(), plot_view(widget).geometry().center()))
    QTest.wheelEvent(window, centre, QPoint(0, 120), QPoint(0, 0), NO_KEYS)
    QApplication.processEvents()
    assert widget.visible_area() == home
    QTest.wheelEvent(
        window, centre, QPoint(0, 120), QPoint(0, 0), Qt.KeyboardModifier.ControlModifier
    )
    QApplication.processEvents()
    assert widget.visible_area().width() < home.width() * 0.9


# ---------------------------------------------------------------- a busy day


def test_two_thousand_cases_are_handed_over_quickly(
    qtbot: QtBot, districts: tuple[DistrictOutline, ...]
) -> None:
    widget = shown_map(qtbot, districts)
    cameras = [
        MapCamera(f"cam{i}", f"东营区 路口{i}", 37.40 + (i % 25) * 0.004, 118.45 + (i // 25) * 0.01)
        for i in range(500)
    ]
    units = [MapUnit(i, f"清障{i:02d}", "available", 37.45 + i * 0.003, 118.6) for i in range(50)]
    widget.set_cameras(cameras)
    widget.set_units(units)

    def cases(shift: float) -> list[MapCase]:
        return [
            MapCase(
                i,
                f"DY{i:06d}",
                "Waiting for rescue" if i % 10 == 0 else "Online review",
                37.40 + (i % 40) * 0.002 + shift,
                118.62 + (i // 40) * 0.002,
                urgent=i % 10 == 0,
            )
            for i in range(2000)
        ]

    first, second = cases(0.0), cases(0.001)
    times = []
    for batch in (first, second):
        started = time.perf_counter()
        widget.set_cases(batch)
        times.append(time.perf_counter() - started)
    assert max(times) < 0.2, times
    settle(qtbot)
    started = time.perf_counter()
    for step in range(5):
        widget.set_units(
            [MapUnit(u.id, u.call_sign, "en_route", u.lat, u.lon + step * 0.001) for u in units]
        )
    assert (time.perf_counter() - started) / 5 < 0.05  # the rescue seat's once a second
    with qtbot.waitSignal(widget.opened) as opened:
        click_at(widget, second[1999].lat, second[1999].lon)
    assert opened.args[0] == "case"
