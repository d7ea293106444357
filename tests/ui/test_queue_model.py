"""The shared queue model: Qt's model contract in every state, filters, incremental changes
(never a reset per change), sorting that keeps the selection, and the timer colours."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QtMsgType
from PySide6.QtGui import QBrush
from pytestqt.logging import QtLoggingPlugin
from pytestqt.modeltest import ModelTester

from console.domain.deadlines import TimerPolicy, TimerState
from console.domain.lifecycle import OWNER, CaseState
from console.domain.positions import Position
from console.hall.queries import FilterKind, QueueFilter, QueueRow
from console.views.queue_model import (
    CaseIdRole,
    CaseQueueModel,
    Column,
    RowRole,
    TimerStatusRole,
    VersionRole,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ME = 7
OTHER = 8
S = CaseState
ASC = Qt.SortOrder.AscendingOrder
DESC = Qt.SortOrder.DescendingOrder


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog: QtLoggingPlugin) -> Iterator[None]:
    """The C++ model tester reports through qWarning: any warning fails the test."""
    yield
    bad = [r.message for r in qtlog.records if r.type != QtMsgType.QtDebugMsg]
    assert not bad, bad


def make_row(
    case_id: int,
    state: CaseState = S.UNDER_REVIEW,
    *,
    minutes_ago: float = 1,
    clock_minutes_ago: float | None = None,
    assignee_id: int | None = None,
    version: int = 1,
    plates: tuple[str, ...] = (),
    place: str = "东营区府前大街与西四路路口",
    phones: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    case_no: str | None = None,
) -> QueueRow:
    created = NOW - timedelta(minutes=minutes_ago)
    started = NOW - timedelta(
        minutes=clock_minutes_ago if clock_minutes_ago is not None else minutes_ago
    )
    return QueueRow.create(
        case_id=case_id,
        case_no=case_no or f"KC20261120{case_id:06d}",
        state=state,
        owner_position=OWNER[state],
        created_at=created,
        state_since=started,
        timer_started_at=started,
        assignee_id=assignee_id,
        assignee_name={ME: "张警官", OTHER: "赵警官"}.get(assignee_id or 0),
        version=version,
        plates=plates or (f"鲁E{case_id:05d}",),
        place=place,
        party_phones=phones,
        party_names=names,
    )


def sample_rows() -> list[QueueRow]:
    return [
        make_row(1, S.UNDER_REVIEW, minutes_ago=1),
        make_row(2, S.UNDER_REVIEW, minutes_ago=6),  # review clock 5 min: overdue
        make_row(3, S.UNDER_REVIEW, minutes_ago=2, assignee_id=ME),
        make_row(4, S.AWAITING_DETERMINATION, minutes_ago=3, clock_minutes_ago=12),  # overdue
        make_row(5, S.DETERMINING, minutes_ago=4, assignee_id=OTHER),
        make_row(
            6, S.NEW, minutes_ago=30, plates=("鲁E12345", "鲁EA1234"), phones=("13800138000",)
        ),
        make_row(7, S.COLLECTING, minutes_ago=40, place="垦利区胜兴路与黄河路路口"),
        make_row(8, S.CLOSED, minutes_ago=600, names=("李四",)),
        make_row(9, S.CLAIMS_OPEN, minutes_ago=90, assignee_id=ME),
        make_row(10, S.INSURERS_NOTIFIED, minutes_ago=20, case_no="KC20261119000777"),
    ]


def new_model(rows: list[QueueRow] | None = None) -> CaseQueueModel:
    model = CaseQueueModel(now=NOW)
    if rows is not None:
        model.set_rows(rows)
    return model


def shown(model: CaseQueueModel) -> list[int]:
    """Case ids in display order, read through the Qt interface."""
    return [model.data(model.index(r, 0), CaseIdRole) for r in range(model.rowCount())]


def reference_order(model: CaseQueueModel, rows: dict[int, QueueRow]) -> list[int]:
    """What the table must show, computed the slow obvious way."""
    match = model.queue_filter.predicate(model.now, model.policy)
    kept = [r for r in rows.values() if match is None or match(r)]
    key = model._key_function(model.sort_column)
    kept.sort(key=key, reverse=model.sort_order == DESC)
    return [r.case_id for r in kept]


class Spy:
    """Records the model's structural signals."""

    def __init__(self, model: CaseQueueModel) -> None:
        self.events: list[tuple[Any, ...]] = []
        model.rowsInserted.connect(lambda _p, a, b: self.events.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.events.append(("removed", a, b)))
        model.dataChanged.connect(
            lambda tl, br, _roles=(): self.events.append(
                ("changed", tl.row(), br.row(), tl.column(), br.column())
            )
        )
        model.layoutChanged.connect(lambda *_: self.events.append(("layout",)))
        model.modelReset.connect(lambda: self.events.append(("reset",)))

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]


# ---------------------------------------------------------------- Qt's model contract


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "python-tester"])
def test_model_passes_the_model_tester_in_every_state(
    qtmodeltester: ModelTester, force_py: bool
) -> None:
    model = new_model()
    # Checks the empty model now, then re-checks after every signal the model sends.
    qtmodeltester.check(model, force_py=force_py)
    model.set_rows(sample_rows())
    model.set_filter(QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.REVIEW, ME))
    model.sort(Column.CASE_NO, DESC)
    model.apply_rows(
        [
            make_row(11, S.UNDER_REVIEW, minutes_ago=0.5),  # enters
            make_row(1, S.EVACUATED, version=2),  # leaves the filter
            make_row(2, S.UNDER_REVIEW, version=2, case_no="KC00000000000002"),  # moves
            make_row(12, S.NEW),  # known to the model, hidden by the filter
        ],
        removed_ids=[3],
    )
    model.set_filter(QueueFilter(FilterKind.ALL, search="鲁e"))
    model.sort(Column.TIMER, ASC)
    model.tick(NOW + timedelta(minutes=3))
    model.apply_rows([make_row(13, S.UNDER_REVIEW), make_row(6, S.UNDER_REVIEW, version=3)])
    model.sort(Column.AGE, DESC)
    model.set_filter(QueueFilter(FilterKind.OVERDUE))
    model.tick(NOW + timedelta(minutes=30))
    model.retranslate()
    model.set_rows([])
    assert model.rowCount() == 0


def test_columns_headers_and_cells_speak_the_users_language() -> None:
    model = new_model([make_row(6, S.NEW, plates=("鲁E12345", "鲁EA1234"), minutes_ago=12)])
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == [
        "Case no.",
        "State",
        "Position",
        "Handled by",
        "Plates",
        "Place",
        "Age",
        "Timer",
    ]
    cells = [model.data(model.index(0, c)) for c in Column]
    assert cells[: Column.AGE] == [
        "KC20261120000006",
        "New",
        "Reception",
        "",
        "鲁E12345 / 鲁EA1234",
        "东营区府前大街与西四路路口",
    ]
    assert cells[Column.AGE] == "12 min"
    assert cells[Column.TIMER] == ""  # no step clock runs for a new case
    index = model.index(0, 0)
    assert model.data(index, CaseIdRole) == 6
    assert model.data(index, VersionRole) == 1
    assert model.data(index, RowRole).case_no == "KC20261120000006"
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(QModelIndex()) is None


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0.2, "0 min"), (59, "59 min"), (60, "1 h"), (47 * 60 + 59, "47 h"), (48 * 60, "2 d")],
)
def test_age_reads_in_minutes_then_hours_then_days(minutes: float, text: str) -> None:
    model = new_model([make_row(1, minutes_ago=minutes)])
    assert model.data(model.index(0, Column.AGE)) == text


# ---------------------------------------------------------------- filters and search


@pytest.mark.parametrize(
    ("queue_filter", "expected"),
    [
        (QueueFilter(FilterKind.MINE, Position.REVIEW, ME), {3, 9}),
        (QueueFilter(FilterKind.MINE, Position.REVIEW, None), set()),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.REVIEW, ME), {1, 2}),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.DETERMINATION, ME), {4}),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.RECEPTION, ME), {6}),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.CLAIMS, ME), {10}),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.LOOKUP, ME), set()),
        (QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.SUPERVISOR, ME), {1, 2, 4, 6, 10}),
        (QueueFilter(FilterKind.OVERDUE, Position.REVIEW, ME), {2}),
        (QueueFilter(FilterKind.OVERDUE, Position.DETERMINATION, ME), {4}),
        (QueueFilter(FilterKind.OVERDUE, None, None), {2, 4}),
        (QueueFilter(FilterKind.ALL, Position.REVIEW, ME), set(range(1, 11))),
    ],
)
def test_each_filter_shows_exactly_its_cases(queue_filter: QueueFilter, expected: set[int]) -> None:
    model = new_model(sample_rows())
    model.set_filter(queue_filter)
    assert set(shown(model)) == expected
    assert model.rowCount() == len(expected)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("鲁E123", {6}),  # a plate prefix, any case
        ("鲁e00007", {7}),
        ("ea1234", {6}),
        ("垦利区", {7}),  # a Chinese place
        ("胜兴路 黄河路", {7}),  # every term must match
        ("13800138000", {6}),  # a party's phone
        ("138001", {6}),
        ("KC20261119000777", {10}),  # a case number
        ("kc2026111900", {10}),
        ("李四", {8}),  # a party's name
        ("张警官", {3, 9}),  # the handler's name
        ("府前大街 鲁E12345", {6}),
        ("no such thing", set()),
        ("   ", set(range(1, 11))),
    ],
)
def test_search_matches_case_no_plate_place_name_and_phone(search: str, expected: set[int]) -> None:
    model = new_model(sample_rows())
    model.set_filter(QueueFilter(FilterKind.ALL, search=search))
    assert set(shown(model)) == expected


def test_search_narrows_a_filter() -> None:
    model = new_model(sample_rows())
    model.set_filter(QueueFilter(FilterKind.MINE, Position.CLAIMS, ME, search="鲁E00009"))
    assert shown(model) == [9]


def test_overdue_filter_lets_cases_in_as_their_clocks_run_out() -> None:
    model = new_model([make_row(1, minutes_ago=1), make_row(2, minutes_ago=4), make_row(3, S.NEW)])
    model.set_filter(QueueFilter(FilterKind.OVERDUE))
    assert shown(model) == []
    spy = Spy(model)
    model.tick(NOW + timedelta(minutes=1))  # case 2 exactly at its 5 min: still on time
    assert shown(model) == []
    model.tick(NOW + timedelta(minutes=1, seconds=1))
    assert shown(model) == [2]
    model.tick(NOW + timedelta(minutes=4, seconds=1))
    assert shown(model) == [2, 1]
    assert "reset" not in spy.kinds()
    assert ("inserted", 1, 1) in spy.events


# ---------------------------------------------------------------- incremental changes


def test_a_new_case_is_inserted_at_its_sorted_place_without_a_reset() -> None:
    model = new_model(sample_rows())
    model.sort(Column.CASE_NO, ASC)
    before = shown(model)
    spy = Spy(model)
    model.apply_rows([make_row(55, S.NEW, case_no="KC20261120000003x")])
    assert shown(model) == [*before[:4], 55, *before[4:]]
    assert spy.events == [("inserted", 4, 4)]


def test_a_burst_of_new_cases_arrives_as_few_insert_signals() -> None:
    model = new_model(sample_rows())
    model.sort(Column.AGE, ASC)  # youngest first: new cases land on top together
    spy = Spy(model)
    model.apply_rows([make_row(100 + i, S.NEW, minutes_ago=0.1) for i in range(20)])
    assert spy.events == [("inserted", 0, 19)]
    assert shown(model)[:20] == list(range(100, 120))


def test_a_change_that_keeps_the_sort_place_is_a_data_change_in_place() -> None:
    model = new_model(sample_rows())
    model.sort(Column.CASE_NO, ASC)
    spy = Spy(model)
    row = model.row_for_case(5)
    model.apply_rows([make_row(5, S.DETERMINING, assignee_id=ME, version=2)])
    assert spy.events == [("changed", row, row, 0, len(Column) - 1)]
    assert model.data(model.index(row, Column.ASSIGNEE)) == "张警官"
    assert model.data(model.index(row, 0), VersionRole) == 2


def test_updates_spanning_rows_are_one_data_change() -> None:
    model = new_model(sample_rows())
    model.sort(Column.CASE_NO, ASC)
    spy = Spy(model)
    model.apply_rows([make_row(2, version=2), make_row(6, S.NEW, version=2)])
    assert spy.events == [("changed", 2, 6, 0, len(Column) - 1)]


def test_a_case_that_stops_matching_the_filter_is_removed() -> None:
    model = new_model(sample_rows())
    model.set_filter(QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.REVIEW, ME))
    model.sort(Column.CASE_NO, ASC)
    assert shown(model) == [1, 2]
    spy = Spy(model)
    model.apply_rows([make_row(1, S.UNDER_REVIEW, assignee_id=OTHER, version=2)])
    assert shown(model) == [2]
    assert spy.events == [("removed", 0, 0)]
    # ...and comes back where it belongs once released.
    model.apply_rows([make_row(1, S.UNDER_REVIEW, version=3)])
    assert shown(model) == [1, 2]
    assert spy.kinds() == ["removed", "inserted"]


def test_removed_ids_leave_the_queue_entirely() -> None:
    model = new_model(sample_rows())
    model.sort(Column.CASE_NO, ASC)
    spy = Spy(model)
    model.apply_rows([], removed_ids=[2, 3, 4, 9, 999])
    assert shown(model) == [10, 1, 5, 6, 7, 8]
    assert spy.events == [("removed", 9, 9), ("removed", 2, 4)]
    assert model.queue_row(3) is None
    assert model.known_count() == 6


def test_an_older_snapshot_never_overwrites_a_newer_one() -> None:
    model = new_model([make_row(1, version=5, assignee_id=ME)])
    spy = Spy(model)
    model.apply_rows([make_row(1, version=4)])
    assert spy.events == []
    assert model.data(model.index(0, Column.ASSIGNEE)) == "张警官"


def test_a_changed_sort_key_moves_the_row_and_the_selection_with_it() -> None:
    model = new_model(sample_rows())
    model.sort(Column.STATE, ASC)
    selection = QItemSelectionModel(model)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(model.index(model.row_for_case(1), 0), flags)
    spy = Spy(model)
    model.apply_rows([make_row(1, S.CLAIMS_OPEN, version=2)])
    assert spy.kinds() == ["layout", "changed"]
    assert "inserted" not in spy.kinds() and "removed" not in spy.kinds()
    assert model.case_at(selection.currentIndex().row()) == 1
    assert [model.case_at(i.row()) for i in selection.selectedRows()] == [1]
    assert shown(model) == reference_order(
        model, {r.case_id: r for r in sample_rows()} | {1: make_row(1, S.CLAIMS_OPEN, version=2)}
    )


# ---------------------------------------------------------------- sorting


def test_sorting_keeps_the_selected_case_selected() -> None:
    model = new_model(sample_rows())
    selection = QItemSelectionModel(model)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(model.index(model.row_for_case(7), 0), flags)
    spy = Spy(model)
    for column in Column:
        for order in (ASC, DESC):
            model.sort(column, order)
            assert model.case_at(selection.currentIndex().row()) == 7
            assert [model.case_at(i.row()) for i in selection.selectedRows()] == [7]
    assert "reset" not in spy.kinds()
    assert "layout" in spy.kinds()


@pytest.mark.parametrize(
    ("column", "order", "first", "last"),
    [
        (Column.TIMER, ASC, 4, 9),  # most overdue first; no clock runs last (ties by id)
        (Column.AGE, ASC, 1, 8),  # youngest first
        (Column.AGE, DESC, 8, 1),
        (Column.CASE_NO, ASC, 10, 9),
        (Column.STATE, ASC, 6, 8),  # lifecycle order: new ... closed
        (Column.ASSIGNEE, DESC, 5, 1),  # 赵 > 张 > unassigned; ties by id, reversed
    ],
)
def test_each_column_sorts_by_its_meaning(
    column: Column, order: Qt.SortOrder, first: int, last: int
) -> None:
    model = new_model(sample_rows())
    model.sort(column, order)
    ids = shown(model)
    assert (ids[0], ids[-1]) == (first, last)


def test_the_same_sort_twice_is_free() -> None:
    model = new_model(sample_rows())
    model.sort(Column.PLACE, ASC)
    spy = Spy(model)
    model.sort(Column.PLACE, ASC)
    model.sort(-1, ASC)
    assert spy.events == []


def test_random_batches_always_match_the_obvious_answer(qtmodeltester: ModelTester) -> None:
    """Inserts, updates, moves, removals and filter flips in random batches, each compared with
    a from-scratch sort and filter of the same rows."""
    rng = random.Random(20261120)
    states = list(CaseState)
    rows = {
        i: make_row(i, rng.choice(states), minutes_ago=rng.uniform(0, 60)) for i in range(1, 60)
    }
    model = new_model(list(rows.values()))
    qtmodeltester.check(model)
    selection = QItemSelectionModel(model)
    filters = [
        QueueFilter(FilterKind.ALL),
        QueueFilter(FilterKind.UNCLAIMED_FOR_POSITION, Position.REVIEW, ME),
        QueueFilter(FilterKind.MINE, Position.DETERMINATION, ME),
        QueueFilter(FilterKind.OVERDUE),
        QueueFilter(FilterKind.ALL, search="鲁e0001"),
    ]
    for step in range(120):
        selected: int | None = None
        if step % 15 == 0:
            model.set_filter(rng.choice(filters))
        if step % 10 == 0:
            model.sort(rng.choice(list(Column)), rng.choice([ASC, DESC]))
        if model.rowCount():
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            selected = model.case_at(rng.randrange(model.rowCount()))
            assert selected is not None
            selection.setCurrentIndex(model.index(model.row_for_case(selected), 0), flags)
        changed = []
        for _ in range(rng.randint(1, 8)):
            case_id = rng.randint(1, 90)
            old = rows.get(case_id)
            row = make_row(
                case_id,
                rng.choice(states),
                minutes_ago=rng.uniform(0, 60),
                assignee_id=rng.choice([None, None, ME, OTHER]),
                version=(old.version + 1) if old else 1,
            )
            changed.append(row)
        removed = set(rng.sample(sorted(rows), k=min(2, len(rows)))) if step % 4 == 0 else set()
        for row in changed:
            if row.case_id not in removed:
                rows[row.case_id] = row
        for case_id in removed:
            rows.pop(case_id, None)
        model.apply_rows(changed, removed)
        if step % 7 == 0:
            model.tick(NOW + timedelta(seconds=step * 20))
        assert shown(model) == reference_order(model, rows)
        assert all(model.row_for_case(c) == r for r, c in enumerate(shown(model)))
        current = selection.currentIndex()
        if selected is not None and model.row_for_case(selected) >= 0:
            assert model.case_at(current.row()) == selected


# ---------------------------------------------------------------- timers


@pytest.mark.parametrize(
    ("elapsed", "state", "text"),
    [
        (timedelta(0), TimerState.GREEN, "05:00"),
        (timedelta(minutes=3, seconds=29), TimerState.GREEN, "01:31"),
        (timedelta(minutes=3, seconds=30), TimerState.AMBER, "01:30"),  # 70 % of 5 min
        (timedelta(minutes=5), TimerState.AMBER, "00:00"),  # "≤ 5 min" is still met
        (timedelta(minutes=5, milliseconds=1), TimerState.RED, "-00:01"),
        (timedelta(minutes=6, seconds=5), TimerState.RED, "-01:05"),
        (timedelta(hours=2), TimerState.RED, "-1:55:00"),
    ],
)
def test_timer_turns_green_amber_red_at_the_policy_boundaries(
    elapsed: timedelta, state: TimerState, text: str
) -> None:
    model = new_model([make_row(1, S.UNDER_REVIEW, minutes_ago=0)])
    model.set_now(NOW + elapsed)
    index = model.index(0, Column.TIMER)
    assert model.data(index, TimerStatusRole).state is state
    assert model.data(index) == text
    background = model.data(index, Qt.ItemDataRole.BackgroundRole)
    foreground = model.data(index, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QBrush)
    colours = {
        TimerState.GREEN: (None, "#1b7f3b"),
        TimerState.AMBER: ("#ffc107", "#000000"),
        TimerState.RED: ("#d32f2f", "#ffffff"),
    }[state]
    assert (background.color().name() if background else None, foreground.color().name()) == colours
    # Other columns keep the table's own colours.
    assert model.data(model.index(0, Column.CASE_NO), Qt.ItemDataRole.BackgroundRole) is None


def test_the_determination_clock_counts_from_evacuation_across_claiming() -> None:
    policy = TimerPolicy(determination=timedelta(minutes=10), amber_fraction=0.5)
    model = CaseQueueModel(policy, now=NOW)
    model.set_rows([make_row(1, S.DETERMINING, minutes_ago=1, clock_minutes_ago=6)])
    index = model.index(0, Column.TIMER)
    assert model.data(index) == "04:00"
    assert model.data(index, TimerStatusRole).state is TimerState.AMBER
    assert "Determination due at" in model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_tick_refreshes_only_the_age_and_timer_cells_of_the_given_rows() -> None:
    model = new_model(sample_rows())
    spy = Spy(model)
    model.tick(NOW + timedelta(seconds=1), rows=(2, 5))
    assert spy.events == [("changed", 2, 5, Column.AGE, Column.TIMER)]
    assert model.now == NOW + timedelta(seconds=1)
    spy.events.clear()
    model.tick(NOW + timedelta(seconds=2), rows=(0, -1))  # nothing on screen
    assert spy.events == []
