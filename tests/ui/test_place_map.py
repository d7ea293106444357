"""The place map: markers where the cameras are, distances that look right, the keys and the
mouse choosing a camera, the message without coordinates, and items reused case after case."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Protocol

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsTextItem,
    QGraphicsView,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.logging import Record
from pytestqt.qtbot import QtBot

from console.domain.cameras import haversine_m
from console.views.place_map import (
    MapPoint,
    PlaceMap,
    local_metres,
    scale_bar_metres,
    short_camera_name,
)

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
NO_KEYS = Qt.KeyboardModifier.NoModifier

# An accident on 西四路 in 东营区, and cameras around it.
PLACE = (37.4490, 118.4850)
EAST = ("cam-east", "东营区 西四路与南一路路口 东向西", 37.4490, 118.4886, 0.0)  # about 320 m
NORTH = ("cam-north", "东营区 西三路与济南路路口 南向北", 37.4580, 118.4850, 0.0)  # about 1 km
SOUTHWEST = ("cam-sw", "东营区 府前大街与东三路路口 西向东", 37.4460, 118.4810, 0.0)
# Two cameras of one crossing lie 5 m apart: one pile on the map.
PILE_A = ("pile-a", "东营区 北一路与西二路路口 东向西", 37.4502, 118.4870, 0.0)
PILE_B = ("pile-b", "东营区 北一路与西二路路口 西向东", 37.45024, 118.48705, 0.0)

Camera = tuple[str, str, float, float, float]


def measured(*cameras: Camera) -> list[Camera]:
    """The cameras with their great-circle distance from PLACE, as `nearest_to_case` gives."""
    return [(i, n, la, lo, haversine_m(*PLACE, la, lo)) for i, n, la, lo, _ in cameras]


class CapturedQtLog(Protocol):
    """What pytest-qt's `qtlog` fixture gives (its class is private)."""

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


def shown_map(qtbot: QtBot, width: int = 300, height: int = 220) -> PlaceMap:
    widget = PlaceMap()
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def settle(qtbot: QtBot) -> None:
    qtbot.wait(20)  # pyqtgraph moves its items on the next paint


def plot_view(widget: PlaceMap) -> QGraphicsView:
    view = widget.findChild(QGraphicsView)
    assert view is not None
    return view


def click_marker(qtbot: QtBot, widget: PlaceMap, key: str) -> None:
    pos = widget.marker_pos(key)
    target = widget.childAt(pos)
    assert target is plot_view(widget).viewport()
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, NO_KEYS, target.mapFrom(widget, pos))


def count_near(image: QImage, centre: QPoint, wanted: QColor, radius: int = 9) -> int:
    found = 0
    for y in range(centre.y() - radius, centre.y() + radius + 1):
        for x in range(centre.x() - radius, centre.x() + radius + 1):
            if 0 <= x < image.width() and 0 <= y < image.height():
                color = image.pixelColor(x, y)
                if (
                    abs(color.red() - wanted.red()) <= 40
                    and abs(color.green() - wanted.green()) <= 40
                    and abs(color.blue() - wanted.blue()) <= 40
                ):
                    found += 1
    return found


# ---------------------------------------------------------------- the pure parts


def test_local_metres_match_the_great_circle_within_a_district() -> None:
    lat0, lon0 = 37.45, 118.50
    for lat, lon in [(37.45, 118.53), (37.48, 118.50), (37.40, 118.44), (37.53, 118.61)]:
        x, y = local_metres(lat0, lon0, lat, lon)
        assert math.hypot(x, y) == pytest.approx(haversine_m(lat0, lon0, lat, lon), rel=0.005)
    east, north = local_metres(lat0, lon0, 37.45, 118.51)
    assert east == pytest.approx(884, rel=0.01)  # a 0.01° of longitude at 37.45°N
    assert north == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(
    ("metres_per_px", "width_px", "expected"),
    [(1.0, 300, 100), (3.0, 300, 200), (10.0, 300, 1000), (0.1, 300, 10), (0.01, 300, 5)],
)
def test_scale_bar_takes_a_round_length_within_a_third_of_the_width(
    metres_per_px: float, width_px: int, expected: int
) -> None:
    assert scale_bar_metres(metres_per_px, width_px) == expected
    if expected > 5:
        assert expected / metres_per_px <= width_px / 3


def test_short_names_keep_the_direction() -> None:
    assert short_camera_name("东营区 西四路与南一路路口 东向西") == "东向西"
    assert short_camera_name("南门") == "南门"
    assert short_camera_name("一二三四五六七八九十十一") == "一二三四五六七八九…"


# ---------------------------------------------------------------- where things are drawn


def test_cameras_sit_east_and_north_of_the_place_at_their_distance(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    cameras = measured(EAST, NORTH, SOUTHWEST)
    widget.show_place(*PLACE, cameras)
    settle(qtbot)

    east_x, east_y = widget.point_position("cam-east")
    north_x, north_y = widget.point_position("cam-north")
    sw_x, sw_y = widget.point_position("cam-sw")
    assert east_x > 0 and abs(east_y) < 1
    assert north_y > 0 and abs(north_x) < 1
    assert sw_x < 0 and sw_y < 0
    assert widget.point_position("", kind="place") == (0.0, 0.0)
    for camera_id, *_, distance in cameras:
        x, y = widget.point_position(camera_id)
        assert math.hypot(x, y) == pytest.approx(distance, rel=0.02)

    # On screen: north is up, east is right, one metre is as long both ways.
    place = widget.marker_pos("", kind="place")
    east, north = widget.marker_pos("cam-east"), widget.marker_pos("cam-north")
    assert east.x() > place.x() and abs(east.y() - place.y()) <= 1
    assert north.y() < place.y() and abs(north.x() - place.x()) <= 1
    px_per_m_east = (east.x() - place.x()) / east_x
    px_per_m_north = (place.y() - north.y()) / north_y
    assert px_per_m_east == pytest.approx(px_per_m_north, rel=0.03)
    # ... and every marker is inside the map.
    area = plot_view(widget).viewport().geometry()
    for pos in (place, east, north, widget.marker_pos("cam-sw")):
        assert area.contains(pos)

    # The red star is drawn where the place is, a blue camera where the camera is.
    image = widget.grab().toImage()
    assert count_near(image, place, QColor("#d32f2f")) > 20
    assert count_near(image, east, QColor("#1565c0")) > 20
    assert count_near(image, widget.rect().center() + QPoint(0, 200), QColor("#d32f2f")) == 0


def test_labels_give_short_name_and_distance_and_the_scale_bar_fits(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH))
    settle(qtbot)
    texts = {
        item.toPlainText()
        for item in plot_view(widget).scene().items()
        if isinstance(item, QGraphicsTextItem) and item.isVisible()
    }
    assert "东向西 · 320 m" in texts
    assert "南向北 · 1 km" in texts
    assert "Accident" in texts

    text, length_px = widget.scale_bar()
    assert text in {"100 m", "200 m", "500 m", "1 km"}
    metres = float(text.split()[0]) * (1000 if text.endswith("km") else 1)
    area = widget.visible_area()
    metres_per_px = area.width() / plot_view(widget).viewport().width()
    assert length_px * metres_per_px == pytest.approx(metres, rel=0.02)
    assert 20 < length_px <= plot_view(widget).viewport().width() / 3 + 1


@pytest.mark.parametrize(
    ("metres", "text"),
    [(4.6, "5 m"), (96.4, "96 m"), (318, "320 m"), (994, "990 m"), (996, "1 km"),
     (1540, "1.5 km"), (9960, "10 km"), (12_400, "12 km")],
)  # fmt: skip
def test_distances_are_rounded_as_a_person_says_them(
    qtbot: QtBot, metres: float, text: str
) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, [("c", "东营区 某路口 东向西", 37.4490, 118.4886, metres)])
    widget.highlight("c")
    assert widget.caption_text() == f"▶ 东营区 某路口 东向西 · {text}"


def test_a_lone_place_still_shows_its_street(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, [])
    settle(qtbot)
    area = widget.visible_area()
    assert min(area.width(), area.height()) >= 200
    assert area.contains(QPointF(0, 0))
    assert widget.caption_text() == "No cameras near this place"
    assert widget.message_text() is None


def test_a_map_filled_while_hidden_fits_when_it_shows(qtbot: QtBot) -> None:
    widget = PlaceMap()
    qtbot.addWidget(widget)
    widget.show_place(*PLACE, measured(EAST, NORTH, SOUTHWEST))  # e.g. in a tab not in front
    widget.resize(300, 220)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot)
    area = plot_view(widget).viewport().geometry()
    for key in ("cam-east", "cam-north", "cam-sw"):
        assert area.contains(widget.marker_pos(key))
    assert widget.scale_bar()[1] > 20


def test_hovering_a_marker_tells_its_whole_name(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH))
    settle(qtbot)
    viewport = plot_view(widget).viewport()
    QTest.mouseMove(viewport, viewport.mapFrom(widget, widget.marker_pos("cam-north")))
    qtbot.waitUntil(
        lambda: any(
            item.toolTip().startswith("东营区 西三路与济南路路口 南向北 · ")
            for item in plot_view(widget).scene().items()
        )
    )


# ---------------------------------------------------------------- choosing a camera


def test_keys_cycle_the_cameras_and_enter_opens_one(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH, SOUTHWEST))
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    assert widget.highlighted_key() is None
    QTest.keyClick(widget, Qt.Key.Key_Right)
    assert widget.highlighted_key() == "cam-east"  # the nearest, given first
    assert widget.caption_text() == "▶ 东营区 西四路与南一路路口 东向西 · 320 m"

    QTest.keyClick(widget, Qt.Key.Key_Right)
    assert widget.highlighted_key() == "cam-north"
    QTest.keyClick(widget, Qt.Key.Key_Right)
    QTest.keyClick(widget, Qt.Key.Key_Right)  # round again
    assert widget.highlighted_key() == "cam-east"
    QTest.keyClick(widget, Qt.Key.Key_Left)
    assert widget.highlighted_key() == "cam-sw"
    assert widget.caption_text().startswith("▶ 东营区 府前大街与东三路路口 西向东 · ")
    with qtbot.waitSignal(widget.camera_activated) as opened:
        QTest.keyClick(widget, Qt.Key.Key_Return)
    assert opened.args == ["cam-sw"]

    QTest.keyClick(widget, Qt.Key.Key_Home)
    emitted: list[tuple[str, ...]] = []
    widget.camera_activated.connect(lambda key: emitted.append((key,)))
    widget.point_activated.connect(lambda kind, key: emitted.append((kind, key)))
    QTest.keyClick(widget, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert emitted == [("camera", "cam-east"), ("cam-east",)]
    QTest.keyClick(widget, Qt.Key.Key_End)
    assert widget.highlighted_key() == "cam-sw"


def test_tab_walks_the_cameras_then_leaves_the_map(qtbot: QtBot) -> None:
    host = QWidget()
    before, widget, after = QLineEdit(), PlaceMap(), QLineEdit()
    layout = QVBoxLayout(host)
    for child in (before, widget, after):
        layout.addWidget(child)
    qtbot.addWidget(host)
    host.resize(320, 320)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    widget.show_place(*PLACE, measured(EAST, NORTH))
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)

    QTest.keyClick(before, Qt.Key.Key_Tab)
    assert widget.hasFocus() and widget.highlighted_key() == "cam-east"
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert widget.hasFocus() and widget.highlighted_key() == "cam-north"
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert after.hasFocus()  # never stuck in the map
    QTest.keyClick(after, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert widget.hasFocus() and widget.highlighted_key() == "cam-north"
    QTest.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert widget.highlighted_key() == "cam-east"
    with qtbot.waitSignal(widget.camera_activated) as opened:
        QTest.keyClick(widget, Qt.Key.Key_Space)
    assert opened.args == ["cam-east"]


def test_a_click_on_a_marker_opens_that_camera(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH, SOUTHWEST))
    settle(qtbot)
    with qtbot.waitSignal(widget.camera_activated) as opened:
        click_marker(qtbot, widget, "cam-north")
    assert opened.args == ["cam-north"]
    assert widget.highlighted_key() == "cam-north"
    assert widget.hasFocus()  # the keys go on from the camera clicked
    QTest.keyClick(widget, Qt.Key.Key_Right)
    assert widget.highlighted_key() == "cam-sw"

    # The accident's star and the empty map are not cameras.
    with (
        qtbot.assertNotEmitted(widget.camera_activated),
        qtbot.assertNotEmitted(widget.point_activated),
    ):
        place = widget.marker_pos("", kind="place")
        viewport = plot_view(widget).viewport()
        for pos in (place, place + QPoint(60, -45)):
            QTest.mouseClick(
                viewport, Qt.MouseButton.LeftButton, NO_KEYS, viewport.mapFrom(widget, pos)
            )


def test_clicking_a_pile_again_takes_the_next_camera_in_it(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(PILE_A, PILE_B, NORTH))
    settle(qtbot)
    assert (widget.marker_pos("pile-a") - widget.marker_pos("pile-b")).manhattanLength() <= 3
    opened: list[str] = []
    widget.camera_activated.connect(opened.append)
    for _ in range(3):
        click_marker(qtbot, widget, "pile-a")
    assert opened[0] in {"pile-a", "pile-b"}
    assert opened[1] != opened[0] and opened[2] == opened[0]
    assert widget.caption_text().startswith("▶ 东营区 北一路与西二路路口 ")

    # A double click is one choice (and a reset of the view), not two.
    opened.clear()
    viewport = plot_view(widget).viewport()
    double_click(qtbot, viewport, viewport.mapFrom(widget, widget.marker_pos("pile-a")))
    assert opened == [widget.highlighted_key()]


# ---------------------------------------------------------------- without coordinates


def test_no_coordinates_shows_a_message_instead_of_the_map(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    assert widget.message_text() == "No case selected"
    widget.show_place(*PLACE, measured(EAST))
    assert widget.message_text() is None

    widget.show_place(None, None, measured(EAST))
    assert widget.message_text() == "No coordinates for this case"
    assert not plot_view(widget).isVisible()
    assert widget.highlighted_key() is None
    assert widget.caption_text() == ""
    widget.setFocus()
    with qtbot.assertNotEmitted(widget.camera_activated):
        for key in (Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Home, Qt.Key.Key_0):
            QTest.keyClick(widget, key)
    widget.show_place(37.4, math.nan, [])
    assert widget.message_text() == "No coordinates for this case"

    widget.show_place(*PLACE, measured(NORTH))
    assert widget.message_text() is None
    assert plot_view(widget).isVisible()


# ---------------------------------------------------------------- case after case


def test_the_next_case_reuses_the_plot_and_its_items(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    view = plot_view(widget)
    sets = [
        measured(EAST, NORTH, SOUTHWEST, PILE_A, PILE_B),
        measured(NORTH),
        [],
        measured(EAST, NORTH),
    ]
    widget.show_place(*PLACE, sets[0])
    settle(qtbot)
    most = len(view.scene().items())
    for round_ in range(32):
        cameras = sets[round_ % len(sets)]
        if round_ % 7 == 3:
            widget.show_place(None, None, [])
        widget.show_place(*PLACE, cameras)
        assert plot_view(widget) is view
        assert len(view.scene().items()) <= most
    settle(qtbot)
    shown = [
        item.toPlainText()
        for item in view.scene().items()
        if isinstance(item, QGraphicsTextItem) and item.isVisible() and item.toPlainText()
    ]
    assert sorted(shown) == sorted(["Accident", "东向西 · 320 m", "南向北 · 1 km"])


def test_the_highlight_stays_on_a_camera_that_is_still_there(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH))
    widget.highlight("cam-north")
    widget.show_place(*PLACE, measured(NORTH, SOUTHWEST))
    assert widget.highlighted_key() == "cam-north"
    widget.show_place(*PLACE, measured(EAST))
    assert widget.highlighted_key() is None
    assert widget.caption_text() == "Click a camera, or Tab then Enter"


# ---------------------------------------------------------------- panning and zooming


def wheel(widget: PlaceMap, modifiers: Qt.KeyboardModifier, *, up: bool = False) -> None:
    """One notch of the mouse wheel over the middle of the map, as the window system delivers
    it (a QWheelEvent sent by hand would not go on to the parents). Down zooms out."""
    window = widget.window().windowHandle()
    assert window is not None
    centre = widget.mapTo(widget.window(), plot_view(widget).geometry().center())
    QTest.wheelEvent(
        window, QPointF(centre), QPoint(0, 120 if up else -120), QPoint(0, 0), modifiers
    )
    QApplication.processEvents()


def double_click(qtbot: QtBot, target: QWidget, pos: QPoint) -> None:
    """What the window system sends: press, release, double click, release (QTest's
    mouseDClick sends the double click alone)."""
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, NO_KEYS, pos)
    QTest.mouseDClick(target, Qt.MouseButton.LeftButton, NO_KEYS, pos)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, NO_KEYS, pos)


def test_double_click_and_zero_go_back_to_all_the_points(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.show_place(*PLACE, measured(EAST, NORTH, SOUTHWEST))
    settle(qtbot)
    home = widget.visible_area()
    assert home.contains(widget.home_area())
    viewport = plot_view(widget).viewport()

    def zoom_in() -> None:
        for _ in range(3):
            wheel(widget, Qt.KeyboardModifier.ControlModifier, up=True)
        assert widget.visible_area().width() < home.width() * 0.8

    zoom_in()
    double_click(qtbot, viewport, QPoint(40, 40))
    settle(qtbot)
    assert widget.visible_area().width() == pytest.approx(home.width(), rel=0.01)
    assert widget.visible_area().center().x() == pytest.approx(home.center().x(), abs=1)
    assert widget.visible_area().center().y() == pytest.approx(home.center().y(), abs=1)

    zoom_in()
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_0)
    assert widget.visible_area().width() == pytest.approx(home.width(), rel=0.01)


def test_the_wheel_scrolls_the_page_and_ctrl_wheel_zooms_the_map(qtbot: QtBot) -> None:
    page = QWidget()
    column = QVBoxLayout(page)
    widget = PlaceMap()
    widget.setFixedSize(300, 220)
    column.addWidget(widget)
    column.addSpacing(1200)
    area = QScrollArea()
    area.setWidget(page)
    qtbot.addWidget(area)
    area.resize(340, 300)
    area.show()
    qtbot.waitExposed(area)
    widget.show_place(*PLACE, measured(EAST, NORTH))
    settle(qtbot)
    before = widget.visible_area()

    wheel(widget, Qt.KeyboardModifier.NoModifier)
    assert area.verticalScrollBar().value() > 0
    assert widget.visible_area() == before

    wheel(widget, Qt.KeyboardModifier.ControlModifier)
    assert widget.visible_area().width() > before.width() * 1.1  # wheel down zooms out


# ---------------------------------------------------------------- other points (rescue seat)


def test_set_points_styles_kinds_and_reports_what_was_chosen(qtbot: QtBot) -> None:
    widget = shown_map(qtbot)
    widget.set_points(
        [
            MapPoint("c1", "case", 37.4490, 118.4850, "A", "Case 1"),
            MapPoint("u7", "unit", 37.4520, 118.4900, "Tow 7", "Tow truck 7 · on the way"),
            MapPoint("u8", "unit", 37.4460, 118.4800, "Tow 8", "Tow truck 8 · free"),
        ]
    )
    settle(qtbot)
    x, y = widget.point_position("u7", kind="unit")
    assert x > 0 and y > 0  # around the middle of the points when there is no place
    assert widget.caption_text() == "Click a marker, or Tab then Enter"
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_Home)
    assert widget.caption_text() == "▶ Case 1"
    QTest.keyClick(widget, Qt.Key.Key_Right)
    assert widget.caption_text() == "▶ Tow truck 7 · on the way"
    with (
        qtbot.assertNotEmitted(widget.camera_activated),
        qtbot.waitSignal(widget.point_activated) as chosen,
    ):
        QTest.keyClick(widget, Qt.Key.Key_Return)
    assert chosen.args == ["unit", "u7"]

    with pytest.raises(ValueError, match="helicopter"):
        widget.set_points([MapPoint("h", "helicopter", 37.45, 118.49)])
