"""The video patrol seat's desk: the camera tree beside the live wall, saved layouts per seat,
the patrol tour, and the evidence keys that fix footage to the case open at the seat.

Every database call and every URL lookup goes through the task runner; the wall gets cameras
with their URLs already resolved. Keys (window-wide, so they work from the tree or a tile):

- Ctrl+1 … Ctrl+7: layouts 1, 4, 9, 16, 25, 1+5, 1+7; F4: edit mode (drops allowed)
- Ctrl+T: patrol tour on/off; Ctrl+S: save the layout; Ctrl+L: next saved layout
- Ctrl+N: the open case's nearest cameras on the wall
- F11: snapshot of the focused tile to the open case; F12: keep a clip (last N s + next M s)
- Ctrl+Shift+V: recompute the hash of every piece of footage of the open case
- Ctrl+I / Ctrl+E: import / export the camera registry (CSV)
- Ctrl+J: jump to the camera a watch-listed plate just passed (the alert says which)
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.domain.errors import Finding
from console.domain.patrol_tour import PatrolTour, TourStep
from console.hall import cameras, complaints, evidence
from console.hall.actor import Actor
from console.hall.checkpoint_hits import HitRecorded
from console.hall.link import HallLink
from console.video.capture import CaptureState
from console.views.camera_tree import CameraTreePanel
from console.views.camera_wall import LAYOUTS, CameraWall
from console.views.messages import describe_error, describe_finding
from console.workers.camera_feeds import WallCamera
from console.workers.tasks import TaskRunner

log = logging.getLogger("console.ui")

LAYOUT_KEYS: Final = ("1", "4", "9", "16", "25", "1+5", "1+7")
TOUR_DWELL_S: Final = 20.0
CLIP_BEFORE_S: Final = 10.0
CLIP_AFTER_S: Final = 10.0
DEFAULT_LAYOUT_NAME: Final = "default"


def resolve_cameras(link: HallLink, camera_ids: Sequence[str]) -> dict[str, WallCamera]:
    """Worker side: names and stream URLs (credentials included) for the wall; unknown ids
    are left out (the tile stays empty and says so)."""
    names = {c.id: c.name for c in cameras.list_cameras(link.session_factory)}
    found: dict[str, WallCamera] = {}
    for camera_id in dict.fromkeys(camera_ids):
        if camera_id not in names:
            continue
        urls = cameras.stream_urls(link.session_factory, camera_id)
        found[camera_id] = WallCamera(camera_id, names[camera_id], urls.sub_url, urls.main_url)
    return found


@dataclass(frozen=True, slots=True)
class Nearby:
    case_id: int
    cameras: dict[str, WallCamera]
    order: tuple[str, ...]


def resolve_nearby(link: HallLink, case_id: int, k: int) -> Nearby:
    """Worker side: the case's k nearest cameras, nearest first, ready for the wall."""
    near = cameras.nearest_to_case(link.session_factory, case_id, k)
    order = tuple(n.camera.id for n in near)
    return Nearby(case_id, resolve_cameras(link, order), order)


def keep_snapshot(
    link: HallLink, actor: Actor, case_id: int, *, camera_id: str, image: Any, at: float
) -> evidence.EvidenceAttached:
    """Worker side: the full-resolution frame as PNG (tens of ms at 720p), attached."""
    from console.video.evidence_files import snapshot_png

    return evidence.attach_snapshot(
        link.session_factory,
        actor,
        case_id,
        camera_id=camera_id,
        png_bytes=snapshot_png(image),
        taken_at=datetime.fromtimestamp(at, UTC),
    )


def keep_clip(
    link: HallLink,
    actor: Actor,
    case_id: int,
    *,
    camera_id: str,
    buffer: Any,
    folder: Path,
) -> evidence.EvidenceAttached:
    """Worker side: waits for the next seconds of footage, writes the clip, attaches it."""
    from console.video.clip_buffer import ClipRecorder

    clip = ClipRecorder(buffer, folder).record(before_s=CLIP_BEFORE_S, after_s=CLIP_AFTER_S)
    return evidence.attach_clip(
        link.session_factory,
        actor,
        case_id,
        camera_id=camera_id,
        clip=clip.path,
        start_at=datetime.fromtimestamp(clip.start, UTC),
        end_at=datetime.fromtimestamp(clip.end, UTC),
        mime="video/x-msvideo",
    )


def read_registry_file(link: HallLink, actor: Actor, path: Path) -> cameras.ImportReport:
    """Worker side: the file's bytes (UTF-8 or GB18030, as platforms export) imported."""
    from console.domain.cameras import decode_csv_bytes

    return cameras.import_cameras(link.session_factory, actor, decode_csv_bytes(path.read_bytes()))


def write_registry_file(link: HallLink, actor: Actor, path: Path) -> int:
    """Worker side: the registry as CSV with a BOM (so spreadsheet programs read the Chinese);
    returns how many cameras were written."""
    text = cameras.export_cameras(link.session_factory, actor)
    path.write_text(text, encoding="utf-8-sig", newline="")
    return max(0, text.count("\n") - 1)


def verify_case_evidence(
    link: HallLink, actor: Actor, case_id: int
) -> list[tuple[evidence.EvidenceItem, evidence.VerifyResult]]:
    """Worker side: every piece of the case's footage hashed again (audited each)."""
    return [
        (item, evidence.verify_evidence(link.session_factory, actor, item.id))
        for item in evidence.list_evidence(link.session_factory, case_id)
    ]


class PatrolDesk(QObject):
    def __init__(
        self,
        actor: Actor,
        link: HallLink,
        runner: TaskRunner,
        window: QWidget,
        *,
        cases_changed: Callable[[list[int]], None],
        clip_folder: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.actor = actor
        self.link = link
        self.runner = runner
        self.window = window
        self._cases_changed = cases_changed
        self._clip_folder = clip_folder or Path(tempfile.gettempdir()) / "hall-console-clips"
        self._case_id: int | None = None
        self._stopped = False
        self._shortcuts: list[QShortcut] = []
        self._layouts: list[cameras.WallLayoutInfo] = []
        self._tour: PatrolTour | None = None
        self._hit_camera: str | None = None
        # The newest checkpoint hit this seat knows of: hits another console's link stored
        # reach this seat through the change feed (refresh), its own link's through the signal.
        self._last_hit_id: int | None = None

        self.tree = CameraTreePanel()
        self.wall = CameraWall(layout="9")
        self.wall.setObjectName("camera_wall")
        self.layout_box = QComboBox()
        self.layout_box.setObjectName("wall_layout")
        for name in LAYOUT_KEYS:
            self.layout_box.addItem(name, name)
        self.layout_box.setCurrentIndex(LAYOUT_KEYS.index("9"))
        self.layout_box.activated.connect(
            lambda index: self.set_layout(str(self.layout_box.itemData(index)))
        )
        self.edit_button = QPushButton(self.tr("Edit layout (F4)"))
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self.set_edit_mode)
        self.tour_button = QPushButton(self.tr("Patrol tour (Ctrl+T)"))
        self.tour_button.setCheckable(True)
        self.tour_button.toggled.connect(self._tour_toggled)
        self.saved_box = QComboBox()
        self.saved_box.setObjectName("saved_layouts")
        self.saved_box.setMinimumWidth(120)
        self.saved_box.activated.connect(self._apply_saved)
        self.status = QLabel()
        self.status.setObjectName("patrol_status")
        self.message = QLabel()
        self.message.setObjectName("patrol_message")
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Layout")))
        bar.addWidget(self.layout_box)
        bar.addWidget(self.edit_button)
        bar.addWidget(QLabel(self.tr("Saved")))
        bar.addWidget(self.saved_box)
        bar.addWidget(self.tour_button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.wall)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([250, 800])  # the tree wide enough for a checkpoint's name
        self.panel = QWidget()
        self.panel.setObjectName("patrol_panel")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        self._tour_timer = QTimer(self)
        self._tour_timer.setInterval(1000)
        self._tour_timer.timeout.connect(self._tour_tick)
        self.tree.camera_activated.connect(self.show_camera)
        self.tree.group_activated.connect(self.show_group)
        self.wall.camera_dropped.connect(self.show_camera_at)
        self.wall.layout_changed.connect(self._layout_changed)
        self.wall.feeds.state_changed.connect(self._state_changed)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        keys: list[tuple[str, Callable[[], None]]] = [
            ("F4", self.edit_button.toggle),
            ("Ctrl+T", self.tour_button.toggle),
            ("Ctrl+S", self.save_layout),
            ("Ctrl+L", self.next_saved_layout),
            ("Ctrl+N", self.show_nearest),
            ("F11", self.snapshot),
            ("F12", self.keep_clip),
            ("Ctrl+Shift+V", self.verify_evidence),
            ("Ctrl+I", self.import_registry),
            ("Ctrl+E", self.export_registry),
            ("Ctrl+J", self.jump_to_hit),
        ]
        for number, name in enumerate(LAYOUT_KEYS, start=1):
            keys.append((f"Ctrl+{number}", partial(self.set_layout, name)))
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self.tree.load(self.runner, self.link.session_factory)
        self._submit(
            complaints.list_checkpoint_hits,
            self.link.session_factory,
            limit=1,
            on_done=self._newest_hit_known,
        )
        self._submit(
            cameras.load_wall_layouts,
            self.link.session_factory,
            self.actor.seat,
            on_done=self._layouts_loaded,
        )

    def stop(self) -> None:
        self._stopped = True
        self._tour_timer.stop()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        self.tree.stop()
        self.wall.shutdown()

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

    # -- the case at the seat -----------------------------------------------------------------
    def open_case(self, case_id: int, *, focus: bool = False) -> None:
        self._case_id = case_id
        if focus:
            self.wall.tile(self.wall.current_tile()).setFocus()

    # -- putting cameras on the wall ----------------------------------------------------------
    def set_layout(self, name: str) -> None:
        if name in LAYOUTS and name != self.wall.layout_name():
            self.wall.set_layout(name)
        if self._tour is not None:
            self._start_tour()

    def set_edit_mode(self, editing: bool) -> None:
        self.wall.set_edit_mode(editing)
        if self.edit_button.isChecked() != editing:
            self.edit_button.setChecked(editing)
        self.say(
            self.tr("Edit mode: drag cameras onto tiles, then Ctrl+S saves the layout.")
            if editing
            else self.tr("Layout locked."),
            ok=True,
        )

    def _layout_changed(self, name: str) -> None:
        index = self.layout_box.findData(name)
        if index >= 0:
            self.layout_box.setCurrentIndex(index)

    def show_camera(self, camera_id: str) -> None:
        """Enter on a camera in the tree: show it in the focused tile."""
        self.show_camera_at(self.wall.current_tile(), camera_id)

    def show_camera_at(self, tile_index: int, camera_id: str) -> None:
        def shown(found: dict[str, WallCamera]) -> None:
            camera = found.get(camera_id)
            if camera is None:
                self.say(
                    self.tr("Camera {id} is no longer in the registry.").format(id=camera_id),
                    ok=False,
                )
                return
            if tile_index < self.wall.tile_count():
                self.wall.assign(tile_index, camera)
                self.wall.tile(tile_index).setFocus()

        self._submit(resolve_cameras, self.link, [camera_id], on_done=shown)

    def show_cameras(self, camera_ids: Sequence[str], *, layout: str | None = None) -> None:
        """Fill the wall with these cameras in order (a group, a tour page, the nearest)."""
        ids = list(camera_ids)

        def shown(found: dict[str, WallCamera]) -> None:
            if layout is not None and layout != self.wall.layout_name():
                self.wall.set_layout(layout)
            for index in range(self.wall.tile_count()):
                camera = found.get(ids[index]) if index < len(ids) else None
                if camera is None:
                    self.wall.clear_tile(index)
                else:
                    self.wall.assign(index, camera)

        self._submit(resolve_cameras, self.link, ids, on_done=shown)

    def show_group(self, group_path: str) -> None:
        ids = self._group_cameras().get(group_path)
        if ids:
            self.show_cameras(ids, layout=_fitting_layout(len(ids)))

    def show_nearest(self) -> None:
        """Ctrl+N: the cameras that may have seen the open case's accident."""
        if self._case_id is None:
            self.say(self.tr("Open a case first: its place decides the cameras."), ok=False)
            return
        k = max(4, min(self.wall.tile_count(), 9))

        def shown(near: Nearby) -> None:
            if near.case_id != self._case_id:
                return
            if not near.order:
                self.say(self.tr("No camera near this case's place."), ok=False)
                return
            self.show_cameras(near.order, layout=_fitting_layout(len(near.order)))
            self.say(
                self.tr("The {count} cameras nearest to the case are on the wall.").format(
                    count=len(near.order)
                ),
                ok=True,
            )

        self._submit(resolve_nearby, self.link, self._case_id, k, on_done=shown)

    def _group_cameras(self) -> dict[str, list[str]]:
        """Every group path of the tree (district, road, checkpoint) with its cameras."""
        tree = self.tree.tree
        groups: dict[str, list[str]] = {}
        if tree is None:
            return groups
        for district in tree.districts:
            for road in district.roads:
                for checkpoint in road.checkpoints:
                    ids = [c.id for c in checkpoint.cameras]
                    groups.setdefault(district.path, []).extend(ids)
                    groups.setdefault(road.path, []).extend(ids)
                    groups[checkpoint.path] = ids
        return groups

    def _state_changed(self, camera_id: str, state: Any) -> None:
        self.tree.set_states({camera_id: state})
        states = self.wall.states()
        live = sum(1 for s in states.values() if s.state is CaptureState.LIVE)
        self.status.setText(
            self.tr("{live} of {shown} live on the wall").format(live=live, shown=len(states))
        )

    # -- saved layouts ------------------------------------------------------------------------
    def _layouts_loaded(self, layouts: list[cameras.WallLayoutInfo]) -> None:
        self._layouts = list(layouts)
        self.saved_box.clear()
        for info in self._layouts:
            self.saved_box.addItem(info.name, info.name)
        default = next(
            (i for i, info in enumerate(self._layouts) if info.name == DEFAULT_LAYOUT_NAME), None
        )
        if default is not None and not any(t.camera for t in self.wall.tiles()):
            self._apply_saved(default)

    def _apply_saved(self, index: int) -> None:
        if not 0 <= index < len(self._layouts):
            return
        try:
            state = json.loads(self._layouts[index].layout_json)
        except ValueError:
            self.say(self.tr("The saved layout cannot be read."), ok=False)
            return
        ids = [i for i in state.get("tiles", []) if isinstance(i, str)]

        def shown(found: dict[str, WallCamera]) -> None:
            try:
                missing = self.wall.restore_layout_state(state, found.get)
            except ValueError:
                self.say(self.tr("The saved layout cannot be read."), ok=False)
                return
            self.saved_box.setCurrentIndex(index)
            if missing:
                self.say(
                    self.tr("{count} cameras of this layout are no longer in the registry.").format(
                        count=len(missing)
                    ),
                    ok=False,
                )

        self._submit(resolve_cameras, self.link, ids, on_done=shown)

    def next_saved_layout(self) -> None:
        if self._layouts:
            self._apply_saved((self.saved_box.currentIndex() + 1) % len(self._layouts))

    def save_layout(self) -> None:
        """Ctrl+S: the wall as it is, under the name chosen in the box (or "default")."""
        if not self.wall.edit_mode():
            self.say(self.tr("Unlock the layout first (F4)."), ok=False)
            return
        name = self.saved_box.currentText().strip() or DEFAULT_LAYOUT_NAME
        payload = json.dumps(self.wall.layout_state(), ensure_ascii=False)

        def saved(_info: cameras.WallLayoutInfo) -> None:
            self.say(self.tr("Layout {name} saved for this seat.").format(name=name), ok=True)
            self.set_edit_mode(False)
            self._submit(
                cameras.load_wall_layouts,
                self.link.session_factory,
                self.actor.seat,
                on_done=self._layouts_loaded,
            )

        self._submit(
            cameras.save_wall_layout,
            self.link.session_factory,
            self.actor,
            self.actor.seat,
            name,
            payload,
            on_done=saved,
        )

    # -- patrol tour --------------------------------------------------------------------------
    def _tour_toggled(self, on: bool) -> None:
        if on:
            self._start_tour()
        else:
            self._tour = None
            self._tour_timer.stop()
            self.say(self.tr("Patrol tour stopped."), ok=True)

    def _start_tour(self) -> None:
        tree = self.tree.tree
        if tree is None:
            self.say(self.tr("The camera list is still loading."), ok=False)
            self.tour_button.setChecked(False)
            return
        groups = [
            (
                district.name,
                [c.id for r in district.roads for p in r.checkpoints for c in p.cameras],
            )
            for district in tree.districts
        ]
        self._tour = PatrolTour(groups, tiles=self.wall.tile_count(), dwell_s=TOUR_DWELL_S)
        self._tour_timer.start()
        self._tour_tick()

    def pause_tour(self, reason: str) -> None:
        """An alert wants the operator's eyes: the tour stops where it is until resumed."""
        if self._tour is not None and not self._tour.paused:
            self._tour.pause(reason)
            self.say(self.tr("Tour paused: {reason}").format(reason=reason), ok=False)

    def resume_tour(self) -> None:
        if self._tour is not None and self._tour.paused:
            self._tour.resume()
            self._tour_tick()

    def _tour_tick(self) -> None:
        tour = self._tour
        if tour is None:
            return
        offline = {
            camera_id
            for camera_id, state in self.wall.states().items()
            if state.state is CaptureState.OFFLINE
        } | set(self.tree.offline_ids())
        step = tour.step(time.monotonic(), offline)
        if step is not None:
            self._show_step(step)

    def _show_step(self, step: TourStep) -> None:
        self.show_cameras(step.camera_ids)
        self.say(
            self.tr("Tour: {group}, page {page} of {pages}").format(
                group=step.group, page=step.page + 1, pages=step.pages
            ),
            ok=True,
        )

    # -- checkpoint alerts --------------------------------------------------------------------
    def _newest_hit_known(self, rows: list[complaints.HitRow]) -> None:
        if self._last_hit_id is None:
            self._last_hit_id = rows[0].hit_row_id if rows else 0

    def refresh(self, case_ids: Sequence[int]) -> None:
        """Cases changed (the change feed): a checkpoint hit stored by any console is one such
        change; alert on the hits stored since the newest this seat has seen."""
        if self._last_hit_id is None or not case_ids:
            return
        self._submit(
            complaints.list_checkpoint_hits,
            self.link.session_factory,
            after_id=self._last_hit_id,
            on_done=self._hits_stored,
        )

    def _hits_stored(self, rows: list[complaints.HitRow]) -> None:
        known = self._last_hit_id or 0
        new = [row for row in rows if row.hit_row_id > known]
        if not new:
            return
        newest = max(new, key=lambda r: (r.seen_at, r.hit_row_id))
        self._alert(newest.plate_no, newest.camera_id, newest.camera_name, newest.seen_at)
        self._last_hit_id = max(row.hit_row_id for row in new)

    def checkpoint_alert(self, hits: Sequence[HitRecorded]) -> None:
        """This console's link stored hits (the signal path; the feed brings other consoles')."""
        new = [hit for hit in hits if hit.hit_row_id > (self._last_hit_id or 0)]
        if not new:
            return
        hit = max(new, key=lambda h: (h.seen_at, h.hit_row_id))
        self._last_hit_id = max(h.hit_row_id for h in new)
        name = self.tree.camera_name(hit.camera_id) or hit.camera_id
        self._alert(hit.plate_no, hit.camera_id, name, hit.seen_at)

    def _alert(self, plate: str, camera_id: str, camera_name: str, seen_at: datetime) -> None:
        """A watch-listed plate passed a camera: the tour stops, the alert names it, and
        Ctrl+J puts that camera on the wall."""
        self._hit_camera = camera_id
        reason = self.tr("watch-listed {plate} passed camera {camera} at {time}").format(
            plate=plate, camera=camera_name, time=f"{to_local(seen_at):%H:%M:%S}"
        )
        if self._tour is not None:
            self.pause_tour(reason)
        self.say(
            self.tr("Alert: {reason}. Ctrl+J shows the camera.").format(reason=reason), ok=False
        )

    def jump_to_hit(self) -> None:
        camera_id = self._hit_camera
        if camera_id is None:
            self.say(self.tr("No checkpoint alert to jump to."), ok=False)
            return

        def shown(found: dict[str, WallCamera]) -> None:
            camera = found.get(camera_id)
            if camera is None:
                self.say(
                    self.tr("Camera {id} is no longer in the registry.").format(id=camera_id),
                    ok=False,
                )
                return
            tile = self.wall.current_tile()
            self.wall.assign(tile, camera)
            self.wall.maximise(tile)

        self._submit(resolve_cameras, self.link, [camera_id], on_done=shown)

    # -- evidence -----------------------------------------------------------------------------
    def _evidence_target(self) -> tuple[int, str] | None:
        camera_id = self.wall.focused_camera()
        if self._case_id is None:
            self.say(self.tr("Open the case the footage belongs to first."), ok=False)
            return None
        if camera_id is None:
            self.say(self.tr("Focus a tile with a camera first."), ok=False)
            return None
        return self._case_id, camera_id

    def snapshot(self) -> None:
        """F11: the focused tile's newest frame at full resolution, to the open case."""
        target = self._evidence_target()
        if target is None:
            return
        case_id, camera_id = target
        full = self.wall.feeds.full_frame(camera_id)
        if full is None:
            self.say(self.tr("No picture from this camera yet."), ok=False)
            return
        image, at = full

        def kept(done: evidence.EvidenceAttached) -> None:
            self.say(
                self.tr("Snapshot attached (SHA-256 {digest}…).").format(digest=done.sha256[:12]),
                ok=True,
            )
            self._cases_changed([case_id])

        self._submit(
            keep_snapshot,
            self.link,
            self.actor,
            case_id,
            camera_id=camera_id,
            image=image,
            at=at,
            on_done=kept,
        )

    def keep_clip(self) -> None:
        """F12: the last seconds the camera buffered plus the next ones, to the open case."""
        target = self._evidence_target()
        if target is None:
            return
        case_id, camera_id = target
        buffer = self.wall.feeds.clip_buffer(camera_id)
        if buffer is None:
            self.say(self.tr("This camera keeps no footage to clip."), ok=False)
            return

        def kept(done: evidence.EvidenceAttached) -> None:
            self.say(
                self.tr("Clip attached (SHA-256 {digest}…).").format(digest=done.sha256[:12]),
                ok=True,
            )
            self._cases_changed([case_id])

        self.say(
            self.tr("Keeping the last {before} s and the next {after} s…").format(
                before=int(CLIP_BEFORE_S), after=int(CLIP_AFTER_S)
            ),
            ok=True,
        )
        self._submit(
            keep_clip,
            self.link,
            self.actor,
            case_id,
            camera_id=camera_id,
            buffer=buffer,
            folder=self._clip_folder,
            on_done=kept,
        )

    def verify_evidence(self) -> None:
        """Ctrl+Shift+V: is the open case's footage still what was fixed?"""
        if self._case_id is None:
            self.say(self.tr("Open the case the footage belongs to first."), ok=False)
            return

        def checked(results: list[tuple[evidence.EvidenceItem, evidence.VerifyResult]]) -> None:
            if not results:
                self.say(self.tr("No footage kept for this case yet."), ok=False)
                return
            bad = [item for item, result in results if not result.ok]
            if bad:
                self.say(
                    self.tr(
                        "{bad} of {count} pieces of footage no longer match their SHA-256: {names}"
                    ).format(
                        bad=len(bad),
                        count=len(results),
                        names="、".join(f"{i.camera_name} #{i.id}" for i in bad),
                    ),
                    ok=False,
                )
            else:
                self.say(
                    self.tr("All {count} pieces of footage match their SHA-256.").format(
                        count=len(results)
                    ),
                    ok=True,
                )

        self._submit(verify_case_evidence, self.link, self.actor, self._case_id, on_done=checked)

    # -- the registry -------------------------------------------------------------------------
    def import_registry(self) -> None:
        """Ctrl+I: a CSV from the video platform; a file with any bad line changes nothing."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Import the camera list"), "", self.tr("CSV files (*.csv)")
        )
        if not name:
            return

        def imported(report: cameras.ImportReport) -> None:
            if report.ok:
                self.say(
                    self.tr(
                        "Camera list imported: {added} added, {updated} updated, "
                        "{unchanged} unchanged."
                    ).format(
                        added=report.added, updated=report.updated, unchanged=report.unchanged
                    ),
                    ok=True,
                )
                self.tree.reload()
                return
            lines = [
                describe_finding(Finding(e.code, e.message, dict(e.params)))
                for e in report.errors[:20]
            ]
            more = len(report.errors) - len(lines)
            if more > 0:
                lines.append(self.tr("… and {count} more.").format(count=more))
            self.say(
                self.tr("Nothing was imported; fix these lines and import again:")
                + "\n"
                + "\n".join(lines),
                ok=False,
            )

        self._submit(read_registry_file, self.link, self.actor, Path(name), on_done=imported)

    def export_registry(self) -> None:
        """Ctrl+E: the registry as CSV, stream credentials included (an admin's backup)."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export the camera list"),
            "cameras.csv",
            self.tr("CSV files (*.csv)"),
        )
        if not name:
            return

        def written(count: int) -> None:
            self.say(
                self.tr(
                    "{count} cameras written to {file}. The file holds the stream "
                    "passwords: keep it safe."
                ).format(count=count, file=name),
                ok=True,
            )

        self._submit(write_registry_file, self.link, self.actor, Path(name), on_done=written)


def _fitting_layout(count: int) -> str:
    """The smallest square layout that shows `count` cameras."""
    for name in ("1", "4", "9", "16", "25"):
        if LAYOUTS[name].count >= count:
            return name
    return "25"
