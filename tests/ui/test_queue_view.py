"""The queue widget: keyboard first, debounced search, selection that follows its case, and the
applier that turns a burst of feed events into a few model applies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QtMsgType
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.queries import FilterKind
from console.views.queue_model import CaseQueueModel, CoalescingApplier, Column
from console.views.queue_view import CaseQueueView
from tests.ui.test_queue_model import ME, NOW, make_row, sample_rows

S = CaseState


# The offscreen platform says this whenever a top-level window is shown; it is not ours.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog: QtLoggingPlugin) -> Iterator[None]:
    yield
    bad = [
        r.message
        for r in qtlog.records
        if r.type != QtMsgType.QtDebugMsg and r.message != OFFSCREEN_NOISE
    ]
    assert not bad, bad


@pytest.fixture
def view(qtbot: QtBot) -> CaseQueueView:
    model = CaseQueueModel(now=NOW)
    model.set_rows(sample_rows())
    # The clock stays at NOW unless a test ticks it: a real tick would jump to today.
    widget = CaseQueueView(model, position=Position.REVIEW, user_id=ME, tick_ms=3_600_000)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user with an input method: QTest.keyClicks only knows Latin-1 (and aborts
    the process on 鲁), so send the key events with their text ourselves."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def focus_table(qtbot: QtBot, view: CaseQueueView) -> None:
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)


# ---------------------------------------------------------------- keyboard


def test_enter_opens_the_selected_case(qtbot: QtBot, view: CaseQueueView) -> None:
    focus_table(qtbot, view)
    assert view.select_case(7)
    with qtbot.waitSignal(view.case_opened, timeout=1000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [7]
    with qtbot.waitSignal(view.case_opened, timeout=1000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == [7]


def test_arrows_move_and_enter_follows(qtbot: QtBot, view: CaseQueueView) -> None:
    focus_table(qtbot, view)
    view.select_case(view.model.case_at(0) or 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    expected = view.model.case_at(2)
    assert view.current_case() == expected
    with qtbot.waitSignal(view.case_opened, timeout=1000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [expected]


def test_double_click_opens_the_case(qtbot: QtBot, view: CaseQueueView) -> None:
    row = view.model.row_for_case(4)
    rect = view.table.visualRect(view.model.index(row, Column.PLACE))
    # A real double click starts with a click; QTest's mouseDClick alone lacks that half.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.case_opened, timeout=1000) as opened:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [4]


def test_f2_asks_for_the_next_case_from_the_table_or_the_search_box(
    qtbot: QtBot, view: CaseQueueView
) -> None:
    focus_table(qtbot, view)
    with qtbot.waitSignal(view.take_next_requested, timeout=1000):
        qtbot.keyClick(view.table, Qt.Key.Key_F2)
    view.search_box.setFocus()
    qtbot.waitUntil(view.search_box.hasFocus)
    with qtbot.waitSignal(view.take_next_requested, timeout=1000):
        qtbot.keyClick(view.search_box, Qt.Key.Key_F2)


def test_esc_in_the_table_releases_the_selected_case(qtbot: QtBot, view: CaseQueueView) -> None:
    focus_table(qtbot, view)
    view.select_case(3)
    with qtbot.waitSignal(view.release_requested, timeout=1000) as released:
        qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert released.args == [3]


def test_esc_without_a_selection_or_outside_the_table_releases_nothing(
    qtbot: QtBot, view: CaseQueueView
) -> None:
    focus_table(qtbot, view)
    view.table.clearSelection()
    with qtbot.assertNotEmitted(view.release_requested, wait=100):
        qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    view.select_case(3)
    view.search_box.setFocus()
    qtbot.waitUntil(view.search_box.hasFocus)
    with qtbot.assertNotEmitted(view.release_requested, wait=100):
        qtbot.keyClick(view.search_box, Qt.Key.Key_Escape)
    assert view.table.hasFocus()  # Esc in an empty search box goes back to the table


def test_ctrl_f_jumps_to_the_search_box(qtbot: QtBot, view: CaseQueueView) -> None:
    focus_table(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.search_box.hasFocus)


def test_alt_digits_switch_the_filter(qtbot: QtBot, view: CaseQueueView) -> None:
    focus_table(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert view.model.queue_filter.kind is FilterKind.MINE
    assert view._kind_buttons[FilterKind.MINE].isChecked()
    qtbot.keyClick(view.table, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert view.model.queue_filter.kind is FilterKind.ALL


# ---------------------------------------------------------------- search and filters


def test_typing_filters_after_the_debounce_in_one_go(qtbot: QtBot, view: CaseQueueView) -> None:
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.search_box.setFocus()
    type_text(view.search_box, "鲁E123")
    assert view.model.rowCount() == 10  # nothing happens while typing...
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    assert view.model.case_at(0) == 6  # ...then one filter pass for the whole word
    assert resets == [1]
    qtbot.keyClick(view.search_box, Qt.Key.Key_Escape)  # Esc clears the search
    assert view.search_box.text() == ""
    assert view.model.rowCount() == 10


def test_enter_in_the_search_box_goes_to_the_first_match(qtbot: QtBot, view: CaseQueueView) -> None:
    view.search_box.setFocus()
    type_text(view.search_box, "垦利区")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)  # applies at once, no need to wait
    assert view.table.hasFocus()
    assert view.current_case() == 7


def test_filter_buttons_use_the_signed_in_seat(qtbot: QtBot, view: CaseQueueView) -> None:
    labels = {b.text() for b in view.findChildren(type(view._kind_buttons[FilterKind.ALL]))}
    assert {"Mine", "Unclaimed for my position", "Overdue", "All"} <= labels
    qtbot.mouseClick(view._kind_buttons[FilterKind.MINE], Qt.MouseButton.LeftButton)
    assert sorted(view.model.visible_case_ids()) == [3, 9]
    assert view._count.text() == "2 cases"
    qtbot.mouseClick(
        view._kind_buttons[FilterKind.UNCLAIMED_FOR_POSITION], Qt.MouseButton.LeftButton
    )
    assert sorted(view.model.visible_case_ids()) == [1, 2]
    view.set_seat(Position.DETERMINATION, ME)
    assert view.model.visible_case_ids() == [4]
    view.set_filter_kind(FilterKind.OVERDUE)
    assert view._kind_buttons[FilterKind.OVERDUE].isChecked()
    assert view.model.visible_case_ids() == [4]


# ---------------------------------------------------------------- selection follows its case


def test_selection_follows_its_case_across_sort_insert_and_filter(
    qtbot: QtBot, view: CaseQueueView
) -> None:
    announced: list[object] = []
    view.current_case_changed.connect(announced.append)
    view.select_case(5)
    assert announced == [5]
    header = view.table.horizontalHeader()
    for column in (Column.CASE_NO, Column.STATE, Column.AGE):
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
        assert view.model.sort_column == column
        assert view.current_case() == 5
        assert view.table.selectionModel().isRowSelected(view.model.row_for_case(5))
    view.model.apply_rows([make_row(50 + i, S.NEW, minutes_ago=0) for i in range(5)])
    assert view.current_case() == 5
    view.search_box.setText("鲁E0000")  # every sample plate, not the new ones' (鲁E0005x)
    view._apply_search()
    assert view.current_case() == 5
    view.search_box.setText("垦利区")  # hides case 5
    view._apply_search()
    assert view.current_case() is None
    assert announced == [5, None]


def test_the_clock_ticks_once_a_second(qtbot: QtBot) -> None:
    model = CaseQueueModel(now=NOW)
    model.set_rows([make_row(1, minutes_ago=1)])
    view = CaseQueueView(model, tick_ms=20)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, _r=(): changed.append((tl.column(), br.column())))
    qtbot.waitUntil(lambda: model.now > NOW + timedelta(days=1), timeout=1000)
    qtbot.waitUntil(lambda: bool(changed))
    assert set(changed) == {(Column.AGE, Column.TIMER)}


# ---------------------------------------------------------------- coalescing


def test_a_burst_of_1000_updates_becomes_a_few_model_applies(qtbot: QtBot) -> None:
    model = CaseQueueModel(now=NOW)
    model.set_rows(sample_rows())
    applier = CoalescingApplier(model)
    applied: list[int] = []
    applier.applied.connect(applied.append)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append(b - a + 1))
    calls: list[int] = []
    original = model.apply_rows

    def counting(*args: object, **kwargs: object) -> None:
        calls.append(1)
        original(*args, **kwargs)  # type: ignore[arg-type]

    model.apply_rows = counting  # type: ignore[method-assign]
    # 1,000 events over ~0.5 s, in 50 feed deliveries of 20, as the feed bridge would.
    for burst in range(50):
        rows = [make_row(100 + (burst * 20 + i) % 300, S.NEW, version=burst + 1) for i in range(20)]
        applier.add(rows)
        qtbot.wait(10)
    qtbot.waitUntil(lambda: applier.pending_count == 0, timeout=2000)
    assert 1 <= len(calls) <= 5
    assert applier.apply_count == len(calls)
    # Each apply carries a case once, however many events named it in between.
    assert all(count <= 300 for count in applied)
    assert model.rowCount() == 10 + 300
    newest = model.queue_row(100)
    assert newest is not None and newest.version == 46  # burst 45 named it last
    assert sum(inserted) == 300


def test_the_newest_word_on_a_case_wins_in_a_batch(qtbot: QtBot) -> None:
    model = CaseQueueModel(now=NOW)
    model.set_rows(sample_rows())
    applier = CoalescingApplier(model, interval_ms=50)
    applier.add([make_row(1, version=3, assignee_id=ME), make_row(1, version=2)])
    applier.add(removed_ids=[2])
    applier.add([make_row(2, version=9)])  # the case came back (e.g. visible again)
    applier.add([make_row(4, version=2)], removed_ids=[4])  # ...or went away for good
    with qtbot.waitSignal(applier.applied, timeout=1000) as done:
        pass
    assert done.args == [3]
    queue_row = model.queue_row(1)
    assert queue_row is not None and queue_row.version == 3 and queue_row.assignee_id == ME
    assert model.row_for_case(2) >= 0 and model.row_for_case(4) == -1


def test_flush_applies_at_once_and_discard_drops_the_queue(qtbot: QtBot) -> None:
    model = CaseQueueModel(now=NOW)
    applier = CoalescingApplier(model, interval_ms=10_000)
    applier.add([make_row(1)])
    applier.flush()
    assert model.visible_case_ids() == [1]
    applier.add([make_row(2)])
    applier.discard_pending()
    assert applier.pending_count == 0
    with qtbot.assertNotEmitted(applier.applied, wait=50):
        applier.flush()
    assert model.visible_case_ids() == [1]
