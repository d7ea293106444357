"""The review seat's photos: the strip's keys, the viewer's zoom, pan, turn and side by side,
refused and missing files, decoding off the GUI thread, and opening a case fast."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF, QRect, Qt, QtMsgType
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageIOHandler,
    QImageWriter,
    QPainter,
    QPdfWriter,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from console.views.photo_viewer import (
    PhotoItem,
    PhotoPane,
    PhotoPanel,
    PhotoStrip,
    PhotoViewer,
    decode_photo,
    thumbnail,
)

# The offscreen platform says this whenever a top-level window is shown; it is not ours.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
GREEN, BLUE, RED = "#2e7d32", "#1565c0", "#ad1457"


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog: QtLoggingPlugin) -> Iterator[None]:
    yield
    bad = [
        r.message
        for r in qtlog.records
        if r.type != QtMsgType.QtDebugMsg and r.message != OFFSCREEN_NOISE and not r.ignored
    ]
    assert not bad, bad


def solid(color: str, width: int = 400, height: int = 300) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    return image


def photo(key: str, color: str, kind: str = "damage", *, width: int = 400) -> PhotoItem:
    return PhotoItem(key, kind, "A", f"{key} caption", solid(color, width, 300))


def refused(key: str, reason: str) -> PhotoItem:
    return PhotoItem(key, "driving_licence", "B", "B licence", refused_reason=reason)


def show(qtbot: QtBot, widget: QWidget, width: int = 900, height: int = 600) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def is_red(color: QColor) -> bool:
    return color.red() > 120 and color.red() - max(color.green(), color.blue()) > 60


def near(color: QColor, wanted: QColor, tolerance: int = 12) -> bool:
    """The same colour give or take a selection tint or JPEG noise."""
    return (
        abs(color.red() - wanted.red()) <= tolerance
        and abs(color.green() - wanted.green()) <= tolerance
        and abs(color.blue() - wanted.blue()) <= tolerance
    )


def count(image: QImage, rect: QRect, wanted: QColor | None = None) -> int:
    """Pixels in `rect` that are near `wanted` (or, without it, refused-reason red)."""
    found = 0
    for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
        for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
            color = image.pixelColor(x, y)
            if near(color, wanted) if wanted is not None else is_red(color):
                found += 1
    return found


def center_color(pane: PhotoPane) -> QColor:
    shot = pane.viewport().grab().toImage()
    return shot.pixelColor(shot.width() // 2, shot.height() // 2)


def on_screen(pane: PhotoPane) -> QRect:
    """Where the photo is drawn in the pane's viewport."""
    bounds = pane.pixmap_item.sceneBoundingRect()
    return pane.mapFromScene(bounds).boundingRect()


def fits(pane: PhotoPane) -> bool:
    """The whole photo is in sight and fills the pane one way."""
    drawn, area = on_screen(pane), pane.viewport().rect()
    filled = abs(drawn.width() - area.width()) <= 2 or abs(drawn.height() - area.height()) <= 2
    return filled and area.adjusted(-2, -2, 2, 2).contains(drawn)


def encode(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPEG")
    buffer.close()
    return bytes(data.data())


# ---------------------------------------------------------------- strip


@pytest.fixture
def strip(qtbot: QtBot) -> PhotoStrip:
    widget = PhotoStrip()
    widget.set_photos([photo("front", GREEN), photo("rear", BLUE), refused("licence", "Blurred")])
    widget.set_missing(["Collision point"])
    show(qtbot, widget, 900, 200)
    focus(qtbot, widget.list_widget)
    return widget


def test_arrows_move_the_highlight_and_enter_or_space_show_it(
    qtbot: QtBot, strip: PhotoStrip
) -> None:
    tiles = strip.list_widget
    assert strip.current_key() == "front"
    with qtbot.assertNotEmitted(strip.photo_chosen):
        qtbot.keyClick(tiles, Qt.Key.Key_Right)
    assert strip.current_key() == "rear"
    with qtbot.waitSignal(strip.photo_chosen, timeout=1000) as chosen:
        qtbot.keyClick(tiles, Qt.Key.Key_Return)
    assert chosen.args == ["rear"]

    qtbot.keyClick(tiles, Qt.Key.Key_Right)
    assert strip.current_key() == "licence"  # a refused file can be opened to read why
    qtbot.keyClick(tiles, Qt.Key.Key_Right)
    assert strip.current_key() == "licence"  # the missing tile is not a photo to land on
    for _ in range(3):
        qtbot.keyClick(tiles, Qt.Key.Key_Left)
    assert strip.current_key() == "front"
    with qtbot.waitSignal(strip.photo_chosen, timeout=1000) as chosen:
        qtbot.keyClick(tiles, Qt.Key.Key_Space)
    assert chosen.args == ["front"]

    qtbot.keyClick(tiles, Qt.Key.Key_End)
    assert strip.current_key() == "licence"
    qtbot.keyClick(tiles, Qt.Key.Key_Home)
    assert strip.current_key() == "front"


def test_a_click_shows_the_photo(qtbot: QtBot, strip: PhotoStrip) -> None:
    tiles = strip.list_widget
    where = tiles.visualItemRect(tiles.item(1)).center()
    with qtbot.waitSignal(strip.photo_chosen, timeout=1000) as chosen:
        qtbot.mouseClick(tiles.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert chosen.args == ["rear"]
    assert strip.current_key() == "rear"


def test_new_photos_keep_the_highlighted_one(strip: PhotoStrip) -> None:
    assert strip.select_key("rear")
    strip.set_photos([photo("late", RED), photo("front", GREEN), photo("rear", BLUE)])
    assert strip.current_key() == "rear"
    assert [strip.list_widget.item(r).text() for r in range(4)] == [
        "late caption",
        "front caption",
        "rear caption",
        "Collision point",  # the missing tiles stay after the photos
    ]
    strip.set_photos([photo("front", GREEN)])
    assert strip.current_key() == "front"
    strip.set_photos([])
    assert strip.current_key() is None


def test_thumbnails_show_the_photos_and_missing_ones_a_placeholder(strip: PhotoStrip) -> None:
    tiles = strip.list_widget
    strip.select_key("licence")  # a highlighted thumbnail is tinted
    shot = tiles.viewport().grab().toImage()
    front = tiles.visualItemRect(tiles.item(0))
    rear = tiles.visualItemRect(tiles.item(1))
    assert count(shot, front, QColor(GREEN)) > 100 * 80
    assert count(shot, rear, QColor(BLUE)) > 100 * 80
    assert count(shot, rear, QColor(GREEN)) == 0
    missing = tiles.item(3)
    assert missing.text() == "Collision point"
    assert not missing.flags() & Qt.ItemFlag.ItemIsSelectable
    assert "Collision point" in missing.toolTip()
    assert tiles.visualItemRect(missing).intersects(tiles.viewport().rect())


def test_a_refused_file_shows_its_reason_in_red_instead_of_a_photo(strip: PhotoStrip) -> None:
    tiles = strip.list_widget
    shot = tiles.viewport().grab().toImage()
    licence = tiles.item(2)
    assert licence.text() == "B licence"
    assert "Blurred" in licence.toolTip()
    tile = tiles.visualItemRect(licence)
    assert count(shot, tile) > 30  # the reason, written in red where the photo would be
    assert count(shot, tile, QColor(GREEN)) == 0
    assert count(shot, tile, QColor(BLUE)) == 0
    assert count(shot, tiles.visualItemRect(tiles.item(0))) == 0


def test_thumbnail_keeps_the_aspect() -> None:
    small = thumbnail(solid(GREEN, 4000, 3000), 96)
    assert (small.width(), small.height()) == (128, 96)
    assert small.pixelColor(64, 48) == QColor(GREEN)
    assert thumbnail(QImage(), 96).isNull()


# ---------------------------------------------------------------- viewer


@pytest.fixture
def viewer(qtbot: QtBot) -> PhotoViewer:
    widget = PhotoViewer()
    widget.set_photos(
        [
            photo("front", GREEN, "scene_front_side"),
            photo("rear", BLUE, "scene_rear_side"),
            photo("licence", RED, "driving_licence"),
            refused("registration", "Not a photo of a registration"),
        ]
    )
    show(qtbot, widget)
    return widget


def test_zoom_with_keys_and_wheel_and_back_to_fit(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    assert viewer.show_photo("front")
    focus(qtbot, pane)
    fitted = pane.scale_factor()
    assert fits(pane)
    assert f"{round(fitted * 100)}%" in pane.info.text()

    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    assert pane.scale_factor() == pytest.approx(fitted * 1.25)
    assert f"{round(fitted * 125)}%" in pane.info.text()
    assert on_screen(pane).height() > pane.viewport().height()
    qtbot.keyClick(pane, Qt.Key.Key_Minus)
    assert pane.scale_factor() == pytest.approx(fitted)
    qtbot.keyClick(pane, Qt.Key.Key_Minus)
    assert pane.scale_factor() == pytest.approx(fitted)  # never smaller than the whole photo

    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    assert pane.scale_factor() == pytest.approx(fitted * 1.25**2)
    qtbot.keyClick(pane, Qt.Key.Key_0)
    assert pane.scale_factor() == pytest.approx(fitted)

    middle = QPointF(pane.viewport().rect().center())
    wheel = QWheelEvent(
        middle,
        QPointF(pane.viewport().mapToGlobal(middle.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(pane.viewport(), wheel)
    assert pane.scale_factor() == pytest.approx(fitted * 1.25)


def test_resizing_refits_until_the_user_zooms(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("front")
    fitted = pane.scale_factor()
    viewer.resize(600, 500)
    qtbot.waitUntil(lambda: pane.scale_factor() < fitted * 0.9)
    assert fits(pane)

    focus(qtbot, pane)
    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    zoomed = pane.scale_factor()
    viewer.resize(900, 600)
    qtbot.waitUntil(lambda: pane.viewport().width() > 800)
    assert pane.scale_factor() == pytest.approx(zoomed)


def test_r_turns_the_photo_and_shift_r_turns_it_back(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("front")
    focus(qtbot, pane)
    qtbot.keyClick(pane, Qt.Key.Key_R)
    assert pane.pixmap_item.rotation() == 90
    assert "90°" in pane.info.text()
    # Turned upright, the landscape photo is fitted again by its new height.
    drawn = on_screen(pane)
    assert drawn.height() > drawn.width()
    assert fits(pane)

    qtbot.keyClick(pane, Qt.Key.Key_R)
    assert pane.pixmap_item.rotation() == 180
    qtbot.keyClick(pane, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert pane.pixmap_item.rotation() == 90
    qtbot.keyClick(pane, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert pane.pixmap_item.rotation() == 0
    assert "°" not in pane.info.text()


def test_a_turned_photo_stays_turned_when_shown_again(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("licence")
    focus(qtbot, pane)
    qtbot.keyClick(pane, Qt.Key.Key_R)
    viewer.show_photo("front")
    assert pane.pixmap_item.rotation() == 0
    viewer.show_photo("licence")
    assert pane.pixmap_item.rotation() == 90


def test_arrows_pan_only_when_zoomed(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("front")
    focus(qtbot, pane)
    before = on_screen(pane)
    qtbot.keyClick(pane, Qt.Key.Key_Right)
    assert on_screen(pane) == before

    for _ in range(3):
        qtbot.keyClick(pane, Qt.Key.Key_Plus)
    zoomed = on_screen(pane)
    qtbot.keyClick(pane, Qt.Key.Key_Right)
    assert on_screen(pane).left() < zoomed.left()  # the photo moved left: we look further right
    qtbot.keyClick(pane, Qt.Key.Key_Down)
    assert on_screen(pane).top() < zoomed.top()
    qtbot.keyClick(pane, Qt.Key.Key_Left)
    qtbot.keyClick(pane, Qt.Key.Key_Up)
    assert on_screen(pane) == zoomed


def test_dragging_pans_a_zoomed_photo(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("front")
    focus(qtbot, pane)
    for _ in range(3):
        qtbot.keyClick(pane, Qt.Key.Key_Plus)
    zoomed = on_screen(pane)
    start = pane.viewport().rect().center()
    qtbot.mousePress(pane.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(pane.viewport(), start + QPoint(60, 40))
    qtbot.mouseRelease(pane.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(60, 40))
    assert on_screen(pane).topLeft() == zoomed.topLeft() + QPoint(60, 40)


def test_d_shows_the_previous_photo_beside_and_tab_switches_pane(
    qtbot: QtBot, viewer: PhotoViewer
) -> None:
    left, right = viewer.panes
    viewer.show_photo("front")
    viewer.show_photo("rear")
    focus(qtbot, left)
    assert right.isHidden()
    assert center_color(left) == QColor(BLUE)

    qtbot.keyClick(left, Qt.Key.Key_D)
    assert viewer.is_pair()
    qtbot.waitUntil(right.isVisible)
    assert viewer.shown_keys() == ("rear", "front")
    qtbot.waitUntil(lambda: left.width() < 500)
    assert center_color(left) == QColor(BLUE)
    assert center_color(right) == QColor(GREEN)

    # Keys act on the focused pane only.
    fitted_left, fitted_right = left.scale_factor(), right.scale_factor()
    qtbot.keyClick(left, Qt.Key.Key_Tab)
    qtbot.waitUntil(right.hasFocus)
    qtbot.keyClick(right, Qt.Key.Key_Plus)
    qtbot.keyClick(right, Qt.Key.Key_R)
    assert right.scale_factor() > fitted_right
    assert right.pixmap_item.rotation() == 90
    assert left.scale_factor() == pytest.approx(fitted_left)
    assert left.pixmap_item.rotation() == 0
    qtbot.keyClick(right, Qt.Key.Key_Tab)
    qtbot.waitUntil(left.hasFocus)
    qtbot.keyClick(left, Qt.Key.Key_Plus)
    assert left.scale_factor() > fitted_left

    # Back to one photo: the focused pane's; D again compares the same two.
    qtbot.keyClick(left, Qt.Key.Key_D)
    assert not viewer.is_pair()
    qtbot.waitUntil(right.isHidden)
    assert viewer.shown_keys() == ("rear", None)
    qtbot.keyClick(left, Qt.Key.Key_D)
    assert viewer.shown_keys() == ("rear", "front")


def test_d_with_the_right_pane_focused_keeps_that_photo(qtbot: QtBot, viewer: PhotoViewer) -> None:
    left, right = viewer.panes
    assert viewer.show_pair("licence", "front")
    qtbot.waitUntil(right.isVisible)
    focus(qtbot, right)
    viewer.show_photo("rear")  # chosen while comparing: replaces the focused pane's photo
    assert viewer.shown_keys() == ("licence", "rear")
    qtbot.keyClick(right, Qt.Key.Key_D)
    assert viewer.shown_keys() == ("rear", None)
    qtbot.waitUntil(left.hasFocus)
    assert center_color(left) == QColor(BLUE)


def test_d_without_a_previous_photo_does_nothing(qtbot: QtBot, viewer: PhotoViewer) -> None:
    viewer.show_photo("front")
    focus(qtbot, viewer.panes[0])
    qtbot.keyClick(viewer.panes[0], Qt.Key.Key_D)
    assert not viewer.is_pair()
    assert viewer.shown_keys() == ("front", None)


def test_a_refused_file_shows_why_in_the_viewer(qtbot: QtBot, viewer: PhotoViewer) -> None:
    pane = viewer.panes[0]
    viewer.show_photo("registration")
    assert pane.notice.isVisible()
    assert "Not a photo of a registration" in pane.notice.text()
    assert not pane.pixmap_item.isVisible()
    shot = pane.grab().toImage()
    assert count(shot, shot.rect()) > 30
    assert "B licence" in pane.info.text()
    viewer.show_photo("front")
    assert not pane.notice.isVisible()


def test_new_photos_for_the_case_keep_the_shown_ones(qtbot: QtBot, viewer: PhotoViewer) -> None:
    front, rear = photo("front", GREEN), photo("rear", BLUE)
    viewer.set_photos([front, rear])
    viewer.show_photo("front")
    viewer.show_photo("rear")
    pane = viewer.panes[0]
    focus(qtbot, pane)
    qtbot.keyClick(pane, Qt.Key.Key_Plus)
    zoomed = pane.scale_factor()

    # The change feed brings one more photo: the reviewer's zoom on the shown one stays.
    viewer.set_photos([front, rear, photo("damage", RED)])
    assert viewer.shown_keys() == ("rear", None)
    assert pane.scale_factor() == pytest.approx(zoomed)
    assert viewer.toggle_pair()
    assert viewer.shown_keys() == ("rear", "front")

    # A photo that changed under the same key is shown afresh; one that went away is gone.
    viewer.set_photos([photo("front", RED), rear])
    assert center_color(viewer.panes[1]) == QColor(RED)
    viewer.set_photos([rear])
    assert viewer.shown_keys() == ("rear", None)
    viewer.set_photos([front])
    assert viewer.shown_keys() == (None, None)
    assert pane.notice.isVisible()


# ---------------------------------------------------------------- panel


@pytest.fixture
def panel(qtbot: QtBot) -> PhotoPanel:
    widget = PhotoPanel()
    widget.set_photos(
        [
            photo("front", GREEN, "scene_front_side"),
            photo("rear", BLUE, "scene_rear_side"),
            photo("licence", RED, "driving_licence"),
        ]
    )
    widget.set_missing(["Vehicle registration"])
    show(qtbot, widget, 1000, 700)
    focus(qtbot, widget.strip.list_widget)
    return widget


def test_panel_opens_on_the_first_photo_and_enter_shows_the_chosen_one(
    qtbot: QtBot, panel: PhotoPanel
) -> None:
    tiles = panel.strip.list_widget
    assert panel.viewer.shown_keys() == ("front", None)
    qtbot.keyClick(tiles, Qt.Key.Key_Right)
    assert panel.viewer.shown_keys() == ("front", None)  # moving alone does not change it
    qtbot.keyClick(tiles, Qt.Key.Key_Return)
    assert panel.viewer.shown_keys() == ("rear", None)
    assert center_color(panel.viewer.panes[0]) == QColor(BLUE)
    assert tiles.hasFocus()


def test_panel_compares_two_photos_in_two_keys_from_the_strip(
    qtbot: QtBot, panel: PhotoPanel
) -> None:
    tiles = panel.strip.list_widget
    left, right = panel.viewer.panes
    qtbot.keyClick(tiles, Qt.Key.Key_Right)
    qtbot.keyClick(tiles, Qt.Key.Key_Return)
    qtbot.keyClick(tiles, Qt.Key.Key_D)
    assert panel.viewer.shown_keys() == ("rear", "front")
    qtbot.waitUntil(right.isVisible)
    assert center_color(right) == QColor(GREEN)

    fitted = left.scale_factor()
    qtbot.keyClick(tiles, Qt.Key.Key_Plus)  # zoom keys reach the viewer from the strip
    assert left.scale_factor() > fitted
    qtbot.keyClick(tiles, Qt.Key.Key_R)
    assert left.pixmap_item.rotation() == 90
    assert tiles.hasFocus()
    assert panel.strip.current_key() == "rear"  # and did not move the highlight

    qtbot.keyClick(tiles, Qt.Key.Key_D)
    assert not panel.viewer.is_pair()


def test_panel_shows_missing_photos(panel: PhotoPanel) -> None:
    tiles = panel.strip.list_widget
    assert tiles.count() == 4
    assert tiles.item(3).text() == "Vehicle registration"
    panel.set_missing([])
    assert tiles.count() == 3


def test_opening_a_case_with_15_big_photos_is_quick(qtbot: QtBot) -> None:
    widget = PhotoPanel()
    show(qtbot, widget, 1200, 800)
    colors = [QColor.fromHsv(24 * n, 160, 200) for n in range(15)]
    items = []
    for n, color in enumerate(colors):
        image = QImage(4000, 3000, QImage.Format.Format_RGB32)
        image.fill(color)
        items.append(PhotoItem(f"sha{n:02}", "damage", "A", f"Damage {n + 1}", image))

    started = time.perf_counter()
    widget.set_photos(items)
    called = time.perf_counter()
    widget.repaint()  # the strip and the first photo painted, as the user would see them
    painted = time.perf_counter()
    print(
        f"\nset_photos with 15 × 4000×3000: {(called - started) * 1000:.1f} ms, "
        f"with the first paint {(painted - started) * 1000:.1f} ms"
    )
    assert called - started < 0.3
    assert painted - started < 0.3
    assert widget.strip.list_widget.count() == 15
    assert widget.viewer.shown_keys() == ("sha00", None)

    # A refresh with the same photos (the change feed) reuses the thumbnails.
    started = time.perf_counter()
    widget.set_photos(items)
    again = time.perf_counter() - started
    print(f"set_photos again with the same photos: {again * 1000:.1f} ms")
    assert again < 0.3


# ---------------------------------------------------------------- decoding


def test_decode_photo_reads_a_jpeg() -> None:
    image = decode_photo(encode(solid(GREEN, 800, 600)))
    assert image is not None
    assert (image.width(), image.height()) == (800, 600)
    color = image.pixelColor(400, 300)
    assert abs(color.green() - QColor(GREEN).green()) < 8


def test_decode_photo_scales_down_to_max_side_keeping_the_aspect() -> None:
    data = encode(solid(BLUE, 2000, 1500))
    image = decode_photo(data, max_side=1000)
    assert image is not None
    assert (image.width(), image.height()) == (1000, 750)
    image = decode_photo(data, max_side=4000)
    assert image is not None
    assert (image.width(), image.height()) == (2000, 1500)


def test_decode_photo_turns_a_phone_photo_upright() -> None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setTransformation(QImageIOHandler.Transformation.TransformationRotate90)
    assert writer.write(solid(GREEN, 400, 300))
    buffer.close()
    image = decode_photo(bytes(data.data()), max_side=200)
    assert image is not None
    assert (image.width(), image.height()) == (150, 200)


def test_decode_photo_refuses_what_is_not_a_photo() -> None:
    assert decode_photo(b"") is None
    assert decode_photo(b"\x00\x01garbage" * 100) is None
    assert decode_photo(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n") is None


@pytest.mark.qt_log_ignore("Invalid JPEG file structure")
def test_decode_photo_refuses_a_jpeg_cut_off_before_its_pixels() -> None:
    assert decode_photo(encode(solid(GREEN))[:200]) is None


def test_decode_photo_refuses_a_real_pdf_that_qt_could_render() -> None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    painter.drawText(100, 100, "Vehicle registration")
    painter.end()
    buffer.close()
    pdf = bytes(data.data())
    assert pdf.startswith(b"%PDF")
    assert decode_photo(pdf) is None


def test_decode_photo_and_thumbnail_run_in_a_worker_thread() -> None:
    data = encode(solid(RED, 1600, 1200))
    with ThreadPoolExecutor(max_workers=2) as pool:
        images = list(pool.map(lambda _n: decode_photo(data, max_side=800), range(4)))
        thumbs = list(pool.map(lambda image: thumbnail(image, 96), images))
    assert all(image is not None and image.width() == 800 for image in images)
    assert all(thumb.height() == 96 for thumb in thumbs)
