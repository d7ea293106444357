"""The rescue seat's desk (事故救援): the requests for a tow with their arrival timers, the board
of units, and the situation map.

Every read and write is a use case of `console.hall.rescue` (and `console.hall.situation` for
the map's cases and cameras) run by the task runner. Once a second the desk asks the hall for
the board's version (one row by its key) and reloads the board only when it changed, so a
unit moved at another seat shows here within a second; the map's cases reload when the change
feed reports a case changed, at most every few seconds.

Work area (`panel`, title "Rescue"): requests above units. Bottom (`bottom`, title "Situation
map"): districts, cameras, open cases and units; a click opens the case or picks the unit.

Keys (window-wide):

- F3: send the nearest available unit to the chosen request (the oldest waiting one when none
  is chosen); a tow truck before a rescue vehicle
- Ctrl+Shift+A: send the unit chosen on the board to the chosen request
- F4: move the chosen unit on to its next state (dispatched → en route → on scene → towing →
  returning → available); Ctrl+1 … Ctrl+5 set available, en route, on scene, towing, returning
- Ctrl+Shift+X: call off the chosen request (a reason is asked for)
- Ctrl+Shift+R: a new request (`console.views.rescue_request`), F5: reload, Ctrl+M: the map
- Enter on a request opens its case; Enter on a unit shows its log of moves
Choosing a request with a unit chooses that unit on the board too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.districts import DISTRICTS_FILE, DistrictOutline, parse_districts
from console.domain.rescue import (
    DEFAULT_RESCUE_POLICY,
    RescuePolicy,
    TaskState,
    UnitState,
    UnitType,
    moves_from,
)
from console.hall import rescue, situation
from console.hall.actor import Actor
from console.hall.link import HallLink
from console.views.labels import state_label, unit_state_label
from console.views.messages import describe_error
from console.views.rescue_board import RescueTasksModel, RescueUnitsModel, UnitLogDialog
from console.views.text_entry import TextEntryDialog
from console.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from console.views.situation_map import SituationMap

log = logging.getLogger("console.ui")

POLL_MS: Final = 1000
"""How often the board's version is asked for (and the timers repaint)."""
MAP_RELOAD_MS: Final = 3000
"""The map's cases reload at most this often when the feed reports changes."""

KEYS: Final = {
    "nearest": "F3",
    "assign": "Ctrl+Shift+A",
    "advance": "F4",
    "available": "Ctrl+1",
    "en_route": "Ctrl+2",
    "on_scene": "Ctrl+3",
    "towing": "Ctrl+4",
    "back": "Ctrl+5",
    "cancel": "Ctrl+Shift+X",
    "reload": "F5",
    "map": "Ctrl+M",
}

_NEXT: Final = (
    UnitState.EN_ROUTE,
    UnitState.ON_SCENE,
    UnitState.TOWING,
    UnitState.BACK,
    UnitState.AVAILABLE,
)
"""The order F4 prefers among a unit's possible next states."""


def read_districts(path: Path = DISTRICTS_FILE) -> tuple[DistrictOutline, ...]:
    """The outlines file, read on a worker thread."""
    return parse_districts(json.loads(path.read_text(encoding="utf-8")))


def next_state(current: UnitState) -> UnitState | None:
    """Where F4 takes a unit: the first of its possible moves in the working order."""
    possible = moves_from(current)
    return next((s for s in _NEXT if s in possible), None)


class RescueDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        cases_changed: Callable[[list[int]], None],
        open_case: Callable[[int], None],
        policy: RescuePolicy = DEFAULT_RESCUE_POLICY,
        districts_file: Path = DISTRICTS_FILE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self.policy = policy
        self._cases_changed = cases_changed
        self._open_case_in_seat = open_case
        self._districts_file = districts_file
        self._clock = clock
        self.title = self.tr("Rescue")
        self.dirty = False  # the dialogs keep their text; closing the seat loses nothing

        self.tasks_model = RescueTasksModel(policy)
        self.tasks_view = _table(self.tasks_model, "rescue_tasks")
        for column in ("place", "vehicle"):  # the long texts share the room; the timer shows
            self.tasks_view.horizontalHeader().setSectionResizeMode(
                RescueTasksModel.COLUMNS.index(column), QHeaderView.ResizeMode.Stretch
            )
        self.units_model = RescueUnitsModel()
        self.units_view = _table(self.units_model, "rescue_units")
        self.units_view.horizontalHeader().setSectionResizeMode(
            RescueUnitsModel.COLUMNS.index("company"), QHeaderView.ResizeMode.Stretch
        )
        self.tasks_caption = QLabel()
        self.tasks_caption.setObjectName("rescue_tasks_caption")
        self.units_caption = QLabel()
        self.units_caption.setObjectName("rescue_units_caption")
        self.message = QLabel()
        self.message.setObjectName("rescue_message")
        self.message.setWordWrap(True)
        hint = QLabel(
            self.tr(
                "F3 send the nearest unit · Ctrl+Shift+A send the chosen unit · F4 next state · "
                "Ctrl+1…5 available, en route, on scene, towing, returning · Ctrl+Shift+X call "
                "off · Ctrl+Shift+R new request · Ctrl+M map · F5 reload"
            )
        )
        hint.setObjectName("rescue_keys")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #616161;")
        tasks_box = QWidget()
        tasks_layout = QVBoxLayout(tasks_box)
        tasks_layout.setContentsMargins(0, 0, 0, 0)
        tasks_layout.addWidget(self.tasks_caption)
        tasks_layout.addWidget(self.tasks_view, 1)
        units_box = QWidget()
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(self.units_caption)
        units_layout.addWidget(self.units_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(tasks_box)
        splitter.addWidget(units_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.panel = QWidget()
        self.panel.setObjectName("rescue_desk")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)

        from console.views.situation_map import SituationMap  # pyqtgraph: at sign-in, not boot

        self.map: SituationMap = SituationMap()
        self.map.setObjectName("rescue_map")
        self.bottom: QWidget = self.map

        self._board: rescue.RescueBoard | None = None
        self._version_shown: int | None = None
        self._asking_version = False
        self._loading_board = False
        self._loading_map = False
        self._map_due = False
        self._cancel_reasons: dict[int, str] = {}
        self._moving: set[int] = set()  # units whose move is being saved
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._every_second)
        self._map_timer = QTimer(self)
        self._map_timer.setSingleShot(True)
        self._map_timer.setInterval(MAP_RELOAD_MS)
        self._map_timer.timeout.connect(self._reload_map_if_due)

        self.tasks_view.selectionModel().currentRowChanged.connect(self._task_chosen)
        self.tasks_view.activated.connect(self._task_activated)
        self.units_view.activated.connect(self._unit_activated)
        self.unit_log: UnitLogDialog | None = None
        self.map.opened.connect(self._map_opened)
        self._captions()

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        actions: dict[str, Callable[[], None]] = {
            "nearest": self.assign_nearest,
            "assign": self.assign_chosen,
            "advance": self.advance_unit,
            "cancel": self.cancel_task,
            "reload": self.reload,
            "map": self.map.setFocus,
        }
        for state in ("available", "en_route", "on_scene", "towing", "back"):
            actions[state] = self._setter(UnitState(state))
        for name, slot in actions.items():
            shortcut = QShortcut(QKeySequence(KEYS[name]), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self._submit(read_districts, self._districts_file, on_done=self._districts_read)
        self.reload()
        self._poll.start()

    def stop(self) -> None:
        self._stopped = True
        self._poll.stop()
        self._map_timer.stop()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        if self.unit_log is not None:
            self.unit_log.close()

    def _setter(self, state: UnitState) -> Callable[[], None]:
        return lambda: self.set_unit_state(state)

    # -- running ---------------------------------------------------------------------------
    def _submit(
        self,
        fn: Any,
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Through the task runner; nothing after sign-out (`TaskRunner.submit_while`)."""
        self.runner.submit_while(
            lambda: not self._stopped,
            fn,
            *args,
            on_done=on_done,
            on_failed=on_failed or self._failed,
            **kwargs,
        )

    def _failed(self, error: BaseException) -> None:
        self.say(describe_error(error), ok=False)

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """F5, and whenever the board's version moved: the board and the map's cases."""
        self._load_board()
        self._load_map()

    def _every_second(self) -> None:
        now = self._clock()
        self.tasks_model.tick(now)
        self.units_model.tick(now)
        self._captions()
        if self._asking_version or self._loading_board:
            return
        self._asking_version = True
        self._submit(
            rescue.board_version,
            self.link.session_factory,
            on_done=self._version_read,
            on_failed=self._version_failed,
        )

    def _version_read(self, version: int) -> None:
        self._asking_version = False
        if version != self._version_shown:
            self._load_board()

    def _version_failed(self, error: BaseException) -> None:
        self._asking_version = False
        self._failed(error)

    def _load_board(self) -> None:
        if self._loading_board:
            return
        self._loading_board = True
        self._submit(
            rescue.rescue_board,
            self.link.session_factory,
            self.actor,
            on_done=self._board_loaded,
            on_failed=self._board_failed,
        )

    def _board_failed(self, error: BaseException) -> None:
        self._loading_board = False
        self._failed(error)

    def _board_loaded(self, board: rescue.RescueBoard) -> None:
        self._loading_board = False
        task_id = self.chosen_task_id()
        unit_id = self.chosen_unit_id()
        had_focus = self.tasks_view.hasFocus() or self.units_view.hasFocus()
        now = self._clock()
        self._board = board
        self._version_shown = board.version
        self.tasks_model.set_rows(board.tasks, now)
        self.units_model.set_rows(board.units, now)
        if task_id is not None:
            self.choose_task(task_id)
        if unit_id is not None:
            self.choose_unit(unit_id)
        if not had_focus and self.tasks_view.currentIndex().row() < 0 and board.tasks:
            self.tasks_view.setCurrentIndex(self.tasks_model.index(0, 0))
        from console.views.situation_map import MapUnit

        self.map.set_units(
            [
                MapUnit(u.id, u.call_sign, u.state.value, u.lat, u.lon)
                for u in board.units
                if u.lat is not None and u.lon is not None
            ]
        )
        self._captions()

    def _load_map(self) -> None:
        if self._loading_map:
            self._map_due = True
            return
        self._loading_map = True
        self._map_due = False
        self._submit(
            situation.situation,
            self.link.session_factory,
            self.actor,
            on_done=self._map_loaded,
            on_failed=self._map_failed,
        )

    def _map_failed(self, error: BaseException) -> None:
        self._loading_map = False
        self._failed(error)

    def _map_loaded(self, seen: situation.Situation) -> None:
        from console.views.situation_map import MapCamera, MapCase

        self._loading_map = False
        self.map.set_cameras([MapCamera(c.id, c.name, c.lat, c.lon) for c in seen.cameras])
        self.map.set_cases(
            [
                MapCase(c.id, c.case_no, state_label(c.state), c.lat, c.lon, c.waiting_rescue)
                for c in seen.cases
            ]
        )
        if seen.cases_cut:
            self.say(
                self.tr("The map shows the newest {count} open cases only.").format(
                    count=len(seen.cases)
                ),
                ok=False,
            )
        if self._map_due and not self._map_timer.isActive():
            self._map_timer.start()

    def _reload_map_if_due(self) -> None:
        if self._map_due:
            self._load_map()

    def _districts_read(self, outlines: tuple[DistrictOutline, ...]) -> None:
        self.map.set_districts(outlines)

    def _captions(self) -> None:
        tasks = self.tasks_model.tasks()
        waiting = sum(1 for t in tasks if t.state is TaskState.REQUESTED)
        overdue = sum(
            1
            for t in tasks
            if t.state in (TaskState.REQUESTED, TaskState.ASSIGNED) and self.tasks_model.overdue(t)
        )
        minutes = int(self.policy.arrival_target.total_seconds() // 60)
        self.tasks_caption.setText(
            self.tr(
                "Rescue requests: {waiting} waiting for a unit, {overdue} past the "
                "{minutes}-minute arrival target"
            ).format(waiting=waiting, overdue=overdue, minutes=minutes)
        )
        units = self.units_model.units()
        free = sum(1 for u in units if u.state is UnitState.AVAILABLE)
        self.units_caption.setText(
            self.tr("Units: {free} of {total} available").format(free=free, total=len(units))
        )

    # -- the hall's other seats ------------------------------------------------------------
    def open_case(self, case_id: int, focus: bool = False) -> None:
        """The seat opened a case: choose its request, if it has one."""
        task = next((t for t in self.tasks_model.tasks() if t.case_id == case_id), None)
        if task is not None:
            self.choose_task(task.id)

    def refresh(self, case_ids: list[int]) -> None:
        """Cases changed (the feed): the map's cases, soon; the board follows its version."""
        if self._stopped:
            return
        if self._map_timer.isActive() or self._loading_map:
            self._map_due = True
            return
        self._load_map()
        self._map_timer.start()

    # -- choosing --------------------------------------------------------------------------
    def chosen_task(self) -> rescue.TaskRow | None:
        return self.tasks_model.task(self.tasks_view.currentIndex().row())

    def chosen_task_id(self) -> int | None:
        task = self.chosen_task()
        return task.id if task is not None else None

    def chosen_unit(self) -> rescue.UnitRow | None:
        return self.units_model.unit(self.units_view.currentIndex().row())

    def chosen_unit_id(self) -> int | None:
        unit = self.chosen_unit()
        return unit.id if unit is not None else None

    def choose_task(self, task_id: int) -> bool:
        row = self.tasks_model.row_of(task_id)
        if row is None:
            return False
        _set_current(self.tasks_view, row)
        return True

    def choose_unit(self, unit_id: int) -> bool:
        row = self.units_model.row_of(unit_id)
        if row is None:
            return False
        _set_current(self.units_view, row)
        return True

    def _task_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        task = self.tasks_model.task(current.row())
        if task is not None and task.unit_id is not None:
            self.choose_unit(task.unit_id)

    def _task_activated(self, index: QModelIndex) -> None:
        task = self.tasks_model.task(index.row())
        if task is not None and task.case_id is not None:
            self._open_case_in_seat(task.case_id)

    def _unit_activated(self, index: QModelIndex) -> None:
        """Enter on a unit: its log of moves, with who and when."""
        unit = self.units_model.unit(index.row())
        if unit is None:
            return
        self._submit(
            rescue.unit_log,
            self.link.session_factory,
            unit.id,
            on_done=lambda rows: self._show_log(unit.call_sign, rows),
        )

    def _show_log(self, call_sign: str, rows: list[rescue.UnitLogRow]) -> None:
        if self.unit_log is not None:
            self.unit_log.close()
        dialog = UnitLogDialog(call_sign, rows, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.unit_log = dialog

        def closed(_result: int) -> None:
            if self.unit_log is dialog:
                self.unit_log = None

        dialog.finished.connect(closed)
        dialog.show()

    def _map_opened(self, kind: str, marker_id: object) -> None:
        if kind == "case" and isinstance(marker_id, int):
            self._open_case_in_seat(marker_id)
        elif kind == "unit" and isinstance(marker_id, int):
            self.choose_unit(marker_id)
            self.units_view.setFocus()
        elif kind == "camera":
            self.say(
                self.tr("Camera {id}: the patrol seat shows it live.").format(id=marker_id), ok=True
            )

    def _waiting_task(self) -> rescue.TaskRow | None:
        """The chosen request, or the oldest one waiting when none (or a closed one) is chosen."""
        task = self.chosen_task()
        if task is not None and task.state is TaskState.REQUESTED:
            return task
        if (
            task is not None
            and task.state is not TaskState.REQUESTED
            and self.tasks_view.hasFocus()
        ):
            return task  # the user means this one: the hall will say why not
        return next((t for t in self.tasks_model.tasks() if t.state is TaskState.REQUESTED), None)

    # -- writing ---------------------------------------------------------------------------
    def assign_nearest(self) -> None:
        """F3."""
        task = self._waiting_task()
        if task is None:
            self.say(self.tr("No rescue request is waiting for a unit."), ok=False)
            return
        self._submit(
            rescue.assign_nearest,
            self.link.session_factory,
            self.actor,
            task.id,
            prefer_type=UnitType.TOW,
            on_done=self._assigned,
        )

    def assign_chosen(self) -> None:
        """Ctrl+Shift+A."""
        task = self._waiting_task()
        unit = self.chosen_unit()
        if task is None:
            self.say(self.tr("No rescue request is waiting for a unit."), ok=False)
            return
        if unit is None:
            self.say(self.tr("Choose a unit on the board first."), ok=False)
            return
        self._submit(
            rescue.assign_unit,
            self.link.session_factory,
            self.actor,
            task.id,
            unit.id,
            on_done=self._assigned,
        )

    def _assigned(self, done: rescue.Assignment) -> None:
        if done.distance_m is not None:
            text = self.tr("{unit} sent to request {task}, {km:.1f} km away.").format(
                unit=done.call_sign, task=done.task_id, km=done.distance_m / 1000
            )
        else:
            text = self.tr("{unit} sent to request {task}.").format(
                unit=done.call_sign, task=done.task_id
            )
        self.say(text, ok=True)
        self.units_model.moved(done.unit_id, UnitState.DISPATCHED, self._clock())
        self._after_write(done.task_id, unit_id=done.unit_id)

    def advance_unit(self) -> None:
        """F4: the chosen unit on to its next state."""
        unit = self.chosen_unit()
        if unit is None:
            self.say(self.tr("Choose a unit on the board first."), ok=False)
            return
        target = next_state(unit.state)
        if target is None:
            self.say(
                self.tr("{unit} is {state}: it is sent by assigning it to a request (F3).").format(
                    unit=unit.call_sign, state=unit_state_label(unit.state)
                ),
                ok=False,
            )
            return
        self.set_unit_state(target)

    def set_unit_state(self, state: UnitState) -> None:
        unit = self.chosen_unit()
        if unit is None:
            self.say(self.tr("Choose a unit on the board first."), ok=False)
            return
        if unit.id in self._moving:
            return  # the previous key for this unit is still being saved
        self._moving.add(unit.id)

        def failed(error: BaseException) -> None:
            self._moving.discard(unit.id)
            self._failed(error)

        self._submit(
            rescue.set_unit_state,
            self.link.session_factory,
            self.actor,
            unit.id,
            state,
            on_done=self._unit_moved,
            on_failed=failed,
        )

    def _unit_moved(self, moved: rescue.UnitMoved) -> None:
        self._moving.discard(moved.unit_id)
        self.units_model.moved(moved.unit_id, moved.to_state, self._clock())
        self.say(
            self.tr("{unit}: {before} → {after}.").format(
                unit=moved.call_sign,
                before=unit_state_label(moved.from_state),
                after=unit_state_label(moved.to_state),
            ),
            ok=True,
        )
        self._after_write(moved.task_id, unit_id=moved.unit_id, case_id=moved.case_id)

    def cancel_task(self) -> None:
        """Ctrl+Shift+X: call off the chosen request, with a reason."""
        task = self.chosen_task()
        if task is None:
            self.say(self.tr("Choose the rescue request to call off."), ok=False)
            return
        dialog = TextEntryDialog(
            self.tr("Call off rescue request {task}").format(task=task.id),
            self.tr(
                "Why is the unit no longer needed (the parties moved the car, a duplicate "
                "request)? The unit on its way becomes available again."
            ),
            self._cancel_reasons.get(task.id, ""),
            self.window,
        )
        dialog.setObjectName("rescue_cancel_dialog")

        def finished(result: int) -> None:
            self._cancel_reasons[task.id] = dialog.text()
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted.value:
                self._submit(
                    rescue.cancel_request,
                    self.link.session_factory,
                    self.actor,
                    task.id,
                    dialog.text(),
                    on_done=self._cancelled,
                    on_failed=lambda error: self.say(
                        describe_error(error)
                        + " "
                        + self.tr("The reason is kept: Ctrl+Shift+X opens it again."),
                        ok=False,
                    ),
                )

        dialog.finished.connect(finished)
        dialog.open()

    def _cancelled(self, done: rescue.TaskCancelled) -> None:
        self._cancel_reasons.pop(done.task_id, None)
        self.say(self.tr("Rescue request {task} called off.").format(task=done.task_id), ok=True)
        self._after_write(done.task_id, case_id=done.case_id)

    def request_sent(self, task_id: int, case_id: int | None) -> None:
        """A new request from this seat's form: show it chosen."""
        self._after_write(task_id, case_id=case_id)

    def _after_write(
        self, task_id: int | None, *, unit_id: int | None = None, case_id: int | None = None
    ) -> None:
        if case_id is not None:
            self._cases_changed([case_id])
        elif task_id is not None:
            task = next((t for t in self.tasks_model.tasks() if t.id == task_id), None)
            if task is not None and task.case_id is not None:
                self._cases_changed([task.case_id])

        def loaded(board: rescue.RescueBoard) -> None:
            self._board_loaded(board)
            if task_id is not None:
                self.choose_task(task_id)
            if unit_id is not None:
                self.choose_unit(unit_id)

        self._loading_board = True
        self._submit(
            rescue.rescue_board,
            self.link.session_factory,
            self.actor,
            on_done=loaded,
            on_failed=self._board_failed,
        )
        # The map's cases follow through `cases_changed` -> `refresh`, as for any case change.


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def _set_current(view: QTableView, row: int) -> None:
    index = view.model().index(row, 0)
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.scrollTo(index)
