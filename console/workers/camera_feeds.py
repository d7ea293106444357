"""The camera wall's captures: one `CameraCapture` per camera on the wall, shared by its tiles.

Why it is built this way (STYLE.md "Camera tiles", perf-baseline §1-2):

- **Pull, not push.** Frames never travel as signals: 16 cameras × 25 fps would be 400 queued
  events a second, and a GUI that falls behind would queue without bound. The wall's one
  timer calls `newest(camera_id)`, which peeks at the capture's one-slot holder.
- **State changes are signals.** They are rare (a camera drops, comes back), so each one is
  queued to the GUI thread as `state_changed(camera_id, CameraState)`.
- **Reference-counted by tile.** A camera shown in two tiles is decoded once; it is paused
  when none of its tiles is visible (a hidden tile decodes nothing) and stopped when no tile
  holds it any more.
- **Full resolution for evidence, for one camera.** `full_frame` is the newest decoded frame
  for a snapshot; `set_clip_camera` feeds the focused camera's frames into a `ClipBuffer`
  (one JPEG encode per frame, so only ever for one camera) for instant replay and clips.
- **Nothing blocks the GUI thread.** Starting, pausing, resizing and switching streams only
  set flags. Stopping a capture joins its threads, and a join can wait for FFmpeg's open or
  read timeout, so it happens on a short-lived reaper thread. Only `shutdown()` (the staged
  quit) waits, and only up to its timeout.

Thread name prefixes: `capture-` (each `CameraCapture`, its supervisor and its read
sessions) and `camera-reaper` (the joiner). `shutdown()` joins them all.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import QObject, Signal

from console.video.capture import (
    CameraCapture,
    CameraState,
    CapturePolicy,
    CaptureState,
    Frame,
    Image,
    configure_ffmpeg_env,
)
from console.video.clip_buffer import ClipBuffer
from console.workers.gui_thread import GuiThreadInbox

log = logging.getLogger("console.video")

REAPER_THREAD_NAME: Final = "camera-reaper"
THREAD_PREFIXES: Final = ("capture-", REAPER_THREAD_NAME)
CLIP_SECONDS: Final = 30.0  # the focused camera's instant-replay window


@dataclass(frozen=True, slots=True)
class WallCamera:
    """A camera as a tile needs it. The caller resolves the URLs (credentials included) off
    the GUI thread; they never appear in a repr or a log line."""

    camera_id: str
    name: str
    sub_url: str | None = field(repr=False)
    main_url: str = field(repr=False)

    def url(self, main: bool) -> str:
        """The sub-stream for a grid tile, the main stream when maximised (or when the camera
        has no sub-stream)."""
        return self.main_url if main or not self.sub_url else self.sub_url


@dataclass(frozen=True, slots=True)
class TileFeed:
    """What one tile wants: its camera, whether it is on screen, and its size in pixels."""

    camera: WallCamera
    visible: bool = True
    size: tuple[int, int] | None = None


@dataclass(slots=True)
class _Feed:
    camera: WallCamera
    capture: CameraCapture
    token: int
    state: CameraState
    main: bool = False
    paused: bool = False
    target: tuple[int, int] | None = None


class CameraFeeds(QObject):
    """The captures behind a camera wall. GUI thread only, except where a method says so.

    `state_changed(camera_id, CameraState)` is emitted on the GUI thread for every change of
    a held camera's state (never for a camera no tile holds any more).
    """

    state_changed = Signal(str, object)

    def __init__(
        self, parent: QObject | None = None, *, policy: CapturePolicy | None = None
    ) -> None:
        super().__init__(parent)
        # OpenCV reads FFmpeg's settings once, at its first open: set them before any capture
        # can import cv2 (the app should already have, before anything imported cv2; then
        # there is nothing to do and nothing to warn about).
        if "cv2" not in sys.modules or "OPENCV_FFMPEG_IS_THREAD_SAFE" not in os.environ:
            configure_ffmpeg_env()
        self.policy = policy or CapturePolicy()
        self._tiles: dict[int, TileFeed] = {}
        self._feeds: dict[str, _Feed] = {}
        self._tokens = itertools.count(1)
        self._closed = False
        self._reap_lock = threading.Lock()
        self._reaping: list[CameraCapture] = []
        self._reaper: threading.Thread | None = None
        self._clip_camera: str | None = None
        self._clip: ClipBuffer | None = None
        self._inbox = GuiThreadInbox(self)  # capture threads never call into Qt

    # ------------------------------------------------------------ what the tiles hold

    def update_tiles(self, tiles: Mapping[int, TileFeed]) -> None:
        """Make the captures match the whole wall at once: start cameras that appear, pause
        cameras with no visible tile, resize to the largest visible tile, stop cameras that
        no tile holds. Doing it in one step lets two tiles swap cameras without a reconnect."""
        if self._closed:
            raise RuntimeError("the camera feeds are shut down")
        self._tiles = dict(tiles)
        wanted: dict[str, list[TileFeed]] = {}
        for tile in self._tiles.values():
            wanted.setdefault(tile.camera.camera_id, []).append(tile)
        for camera_id in [c for c in self._feeds if c not in wanted]:
            self._stop(self._feeds.pop(camera_id))
        for camera_id, holders in wanted.items():
            self._apply(camera_id, holders)

    def hold(
        self,
        tile: int,
        camera: WallCamera,
        *,
        visible: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        """One tile shows `camera` (replacing what it showed)."""
        tiles = dict(self._tiles)
        tiles[tile] = TileFeed(camera, visible, size)
        self.update_tiles(tiles)

    def release(self, tile: int) -> None:
        """The tile shows nothing; its camera stops if no other tile holds it."""
        if tile in self._tiles:
            tiles = dict(self._tiles)
            del tiles[tile]
            self.update_tiles(tiles)

    def use_main(self, camera_id: str, main: bool) -> bool:
        """Main stream (a maximised tile) or sub-stream (the grid); reopens if the URL
        changes. False if no tile holds the camera."""
        feed = self._feeds.get(camera_id)
        if feed is None:
            return False
        if feed.main != main:
            old_url = feed.camera.url(feed.main)
            feed.main = main
            new_url = feed.camera.url(main)
            if new_url != old_url:
                feed.capture.switch_url(new_url)
        return True

    def retry(self, camera_id: str) -> bool:
        """The operator's "try again now" on an offline camera."""
        feed = self._feeds.get(camera_id)
        if feed is None:
            return False
        feed.capture.restart()
        return True

    def set_clip_camera(self, camera_id: str | None, *, seconds: float = CLIP_SECONDS) -> None:
        """Keep the last `seconds` of this camera at full resolution (the focused tile's
        instant replay and clip export); None stops. One camera at a time: it costs a JPEG
        encode per frame. The buffer starts empty and fills while the camera stays chosen."""
        if camera_id == self._clip_camera:
            return
        old = self._feeds.get(self._clip_camera) if self._clip_camera is not None else None
        if old is not None:
            old.capture.set_clip_buffer(None)
        self._clip_camera = camera_id
        self._clip = None if camera_id is None else ClipBuffer(camera_id, seconds=seconds)
        feed = self._feeds.get(camera_id) if camera_id is not None else None
        if feed is not None:
            feed.capture.set_clip_buffer(self._clip)

    def clip_buffer(self, camera_id: str) -> ClipBuffer | None:
        """The buffer `set_clip_camera` keeps for this camera, if it is the chosen one and a
        tile holds it; a `ClipRecorder` reads it off the GUI thread."""
        if camera_id != self._clip_camera or camera_id not in self._feeds:
            return None
        return self._clip

    def full_frame(self, camera_id: str) -> tuple[Image, float] | None:
        """The camera's newest decoded frame at full resolution (BGR, not to be written to)
        and its capture time, for a snapshot; None before the first frame."""
        feed = self._feeds.get(camera_id)
        return None if feed is None else feed.capture.latest_full_frame()

    # ------------------------------------------------------------ what the GUI pulls

    def newest(self, camera_id: str) -> Frame | None:
        """The newest frame of a held camera (peeked, not taken: two tiles may show it).
        Cheap enough for a paint timer; never blocks on the decoder."""
        feed = self._feeds.get(camera_id)
        return None if feed is None else feed.capture.frames.get()

    def state(self, camera_id: str) -> CameraState | None:
        feed = self._feeds.get(camera_id)
        return None if feed is None else feed.state

    def states(self) -> dict[str, CameraState]:
        return {camera_id: feed.state for camera_id, feed in self._feeds.items()}

    def camera_ids(self) -> list[str]:
        """Every camera some tile holds (running or paused)."""
        return sorted(self._feeds)

    def frames_decoded(self, camera_id: str) -> int:
        feed = self._feeds.get(camera_id)
        return 0 if feed is None else feed.capture.frames_decoded

    def stream_url(self, camera_id: str) -> str | None:
        """The URL the camera is captured from now, redacted (for the health view)."""
        feed = self._feeds.get(camera_id)
        return None if feed is None else feed.capture.url_redacted

    def is_main(self, camera_id: str) -> bool:
        feed = self._feeds.get(camera_id)
        return feed is not None and feed.main

    def is_paused(self, camera_id: str) -> bool:
        feed = self._feeds.get(camera_id)
        return feed is not None and feed.paused

    # ------------------------------------------------------------ shutdown

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop every capture and join every thread within `timeout` seconds (the staged
        quit; the one place that waits). False if a thread is still blocked in OpenCV: it
        is a daemon and ends at FFmpeg's own timeout. No signal is emitted afterwards."""
        deadline = time.monotonic() + timeout
        self._closed = True
        self._inbox.close()
        feeds = list(self._feeds.values())
        self._feeds.clear()
        self._tiles.clear()
        for feed in feeds:
            feed.capture.request_stop()  # all at once: the slowest sets the pace, not the sum
        ok = True
        for feed in feeds:
            ok = feed.capture.stop(max(0.0, deadline - time.monotonic())) and ok
        with self._reap_lock:
            reaper = self._reaper
        if reaper is not None:
            reaper.join(max(0.0, deadline - time.monotonic()))
            ok = ok and not reaper.is_alive()
        if not ok:
            log.warning("camera feeds: threads still running after shutdown")
        return ok

    # ------------------------------------------------------------ internals

    def _apply(self, camera_id: str, holders: list[TileFeed]) -> None:
        camera = holders[0].camera
        shown = [h for h in holders if h.visible]
        sizes = [h.size for h in (shown or holders) if h.size is not None]
        target = max(sizes, key=lambda s: s[0] * s[1]) if sizes else None
        paused = not shown
        feed = self._feeds.get(camera_id)
        if feed is None:
            self._feeds[camera_id] = self._start(camera, paused, target)
            return
        if feed.camera != camera:  # the registry changed the camera's URLs
            old_url = feed.camera.url(feed.main)
            feed.camera = camera
            if camera.url(feed.main) != old_url:
                feed.capture.switch_url(camera.url(feed.main))
        if paused != feed.paused:
            feed.paused = paused
            if paused:
                feed.capture.pause()
            else:
                feed.capture.resume()
        if target != feed.target:
            feed.target = target
            feed.capture.set_target_size(target, keep_aspect=True)

    def _start(self, camera: WallCamera, paused: bool, target: tuple[int, int] | None) -> _Feed:
        token = next(self._tokens)
        capture = CameraCapture(
            camera.camera_id,
            camera.url(False),
            target_size=target,
            keep_aspect=True,
            policy=self.policy,
            on_state=functools.partial(self._report, token),
        )
        if paused:
            capture.pause()  # before start: a hidden tile never opens the stream
        if camera.camera_id == self._clip_camera:
            capture.set_clip_buffer(self._clip)
        capture.start()  # spawns the supervisor thread; opening happens there
        first = CaptureState.PAUSED if paused else CaptureState.CONNECTING
        state = CameraState(camera.camera_id, first, since=time.time())
        return _Feed(camera, capture, token, state, paused=paused, target=target)

    def _stop(self, feed: _Feed) -> None:
        feed.capture.request_stop()  # decoding stops now; the join happens off this thread
        with self._reap_lock:
            self._reaping.append(feed.capture)
            if self._reaper is None:
                self._reaper = threading.Thread(
                    target=self._reap, name=REAPER_THREAD_NAME, daemon=True
                )
                self._reaper.start()

    def _reap(self) -> None:
        policy = self.policy
        timeout = policy.open_timeout_s + policy.read_timeout_s + policy.hang_grace_s
        while True:
            with self._reap_lock:
                if not self._reaping:
                    self._reaper = None
                    return
                capture = self._reaping.pop(0)
            if not capture.stop(timeout):
                log.warning("camera %s: capture did not stop in %.1f s", capture.camera_id, timeout)

    def _report(self, token: int, state: CameraState) -> None:
        """Capture threads call this; it only posts the state to the GUI thread."""
        if self._closed:
            return
        self._inbox.post(self._deliver_state, token, state)

    def _deliver_state(self, token: int, state: CameraState) -> None:
        feed = self._feeds.get(state.camera_id)
        if self._closed or feed is None or feed.token != token:
            return  # a capture that was stopped since, or a camera no tile holds now
        feed.state = state
        self.state_changed.emit(state.camera_id, state)


__all__ = [
    "CLIP_SECONDS",
    "REAPER_THREAD_NAME",
    "THREAD_PREFIXES",
    "CameraFeeds",
    "TileFeed",
    "WallCamera",
]
