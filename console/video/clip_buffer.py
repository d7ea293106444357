"""Instant replay and clip export: a bounded ring of recent JPEG frames per camera.

Operators asked for "the last n seconds" from live (Frigate #710, motionEye #1762) and an
accident clip must include what happened *before* somebody pressed the button, so the
focused camera's capture feeds full-resolution JPEGs into a `ClipBuffer`. It is bounded twice
— by seconds and by bytes — because a 4K main stream at high quality would otherwise eat the
desk's memory in the same 30 s that a sub-stream needs a few megabytes for.

`ClipRecorder.record` keeps the buffer's last `before_s` seconds plus the next `after_s`
seconds and writes them as an MJPEG AVI with a SHA-256 manifest (`evidence_files`). It blocks
for `after_s`, so it runs through the task runner, never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from console.video.evidence_files import (
    evidence_name,
    iso_time,
    sha256_file,
    snapshot_png,
    verify_sha256,
    write_manifest,
    write_mjpeg_avi,
)

__all__ = [
    "ClipBuffer",
    "ClipCancelled",
    "ClipError",
    "ClipRecorder",
    "ClipResult",
    "EncodedFrame",
    "NoFootage",
    "sha256_file",
    "snapshot_png",
    "verify_sha256",
]

_POLL_S: Final = 0.2


class ClipError(Exception):
    """A clip could not be made."""


class NoFootage(ClipError):  # noqa: N818 - says what happened
    """The camera delivered no frames for the requested time (offline, paused, not focused):
    an environment failure the panel reports, not a bug."""


class ClipCancelled(ClipError):  # noqa: N818 - says what happened
    """The operator cancelled the recording before it finished."""


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    """One JPEG as the camera's frame was captured (full resolution)."""

    jpeg: bytes
    captured_at: float  # time.time()
    size: tuple[int, int]  # width, height
    number: int  # position in this buffer, from 1, without gaps


class ClipBuffer:
    """The last `seconds` of one camera's frames, never more than `max_bytes` of JPEG.

    Thread-safe: the capture thread appends, a recorder or replay reads.
    """

    def __init__(
        self, camera_id: str, *, seconds: float = 30.0, max_bytes: int = 128 * 1024 * 1024
    ) -> None:
        if seconds <= 0 or max_bytes <= 0:
            raise ValueError("a clip buffer needs positive bounds")
        self.camera_id = camera_id
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._cond = threading.Condition()
        self._frames: deque[EncodedFrame] = deque()
        self._bytes = 0
        self._number = 0

    def append(self, jpeg: bytes, captured_at: float, size: tuple[int, int]) -> EncodedFrame:
        with self._cond:
            self._number += 1
            frame = EncodedFrame(jpeg, captured_at, size, self._number)
            self._frames.append(frame)
            self._bytes += len(jpeg)
            oldest_kept = captured_at - self.seconds
            frames = self._frames
            while len(frames) > 1 and (
                frames[0].captured_at < oldest_kept or self._bytes > self.max_bytes
            ):
                self._bytes -= len(frames.popleft().jpeg)
            self._cond.notify_all()
            return frame

    def frames(self, *, since: float | None = None, after: int = 0) -> list[EncodedFrame]:
        """Frames captured at or after `since` and numbered above `after`, oldest first."""
        with self._cond:
            return [
                f
                for f in self._frames
                if f.number > after and (since is None or f.captured_at >= since)
            ]

    def wait_newer(self, after: int, timeout_s: float) -> bool:
        """Wait until a frame numbered above `after` is appended; False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._number <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def clear(self) -> None:
        with self._cond:
            self._frames.clear()
            self._bytes = 0

    @property
    def newest_number(self) -> int:
        with self._cond:
            return self._number

    @property
    def nbytes(self) -> int:
        with self._cond:
            return self._bytes

    @property
    def duration_s(self) -> float:
        with self._cond:
            if not self._frames:
                return 0.0
            return self._frames[-1].captured_at - self._frames[0].captured_at

    def __len__(self) -> int:
        with self._cond:
            return len(self._frames)


@dataclass(frozen=True, slots=True)
class ClipResult:
    """A written clip. Times are the first and last frame's capture times (Unix seconds)."""

    path: Path
    manifest_path: Path
    camera_id: str
    start: float
    end: float
    frames: int
    size: tuple[int, int]
    sha256: str
    size_bytes: int
    complete: bool  # False when the camera stopped delivering before the requested end
    missing_frames: int  # frames the ring let go before the recorder could take them


class ClipRecorder:
    """Writes clips of one camera's `ClipBuffer` into `folder`."""

    def __init__(self, buffer: ClipBuffer, folder: Path) -> None:
        self.buffer = buffer
        self.folder = folder

    def record(
        self,
        *,
        before_s: float = 10.0,
        after_s: float = 10.0,
        at: float | None = None,
        grace_s: float = 2.0,
        cancelled: Callable[[], bool] | None = None,
        details: dict[str, object] | None = None,
    ) -> ClipResult:
        """Keep the `before_s` seconds before `at` (default: now) and the `after_s` seconds
        after it, write them, and return the clip. Blocks until `at + after_s` (at most
        `grace_s` longer if frames are late). `details` (case number, who asked) go into
        the manifest. Raises NoFootage if no frame falls in the window, ClipCancelled."""
        if before_s < 0 or after_s < 0:
            raise ValueError("before_s and after_s must not be negative")
        requested_at = time.time()
        at = requested_at if at is None else at
        start, end = at - before_s, at + after_s
        taken = self.buffer.frames(since=start)
        frames = [f for f in taken if f.captured_at <= end]
        last = taken[-1].number if taken else self.buffer.newest_number
        deadline = time.monotonic() + max(0.0, end - time.time()) + grace_s
        complete = bool(taken) and taken[-1].captured_at >= end
        missing = 0
        while not complete:
            if cancelled is not None and cancelled():
                raise ClipCancelled(f"clip of camera {self.buffer.camera_id} cancelled")
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if not self.buffer.wait_newer(last, min(_POLL_S, left)):
                continue
            new = self.buffer.frames(after=last)
            if new:
                missing += new[0].number - last - 1
                last = new[-1].number
            for frame in new:
                if frame.captured_at > end:
                    complete = True
                    break
                frames.append(frame)
        if not frames:
            raise NoFootage(f"camera {self.buffer.camera_id} delivered no frames for the clip")
        window = {"requested_at": iso_time(requested_at), "before_s": before_s, "after_s": after_s}
        return self._write(frames, complete, missing, {**window, **(details or {})})

    def _write(
        self, frames: list[EncodedFrame], complete: bool, missing: int, details: dict[str, object]
    ) -> ClipResult:
        # A stream switch mid-clip changes the frame size; an AVI has one, the newest wins.
        same_size = [f for f in frames if f.size == frames[-1].size]
        missing += len(frames) - len(same_size)
        frames = same_size
        first, last = frames[0], frames[-1]
        width, height = first.size
        span = last.captured_at - first.captured_at
        fps = (len(frames) - 1) / span if len(frames) > 1 and span > 0 else 25.0
        path = self.folder / evidence_name(self.buffer.camera_id, first.captured_at, "avi")
        clip = write_mjpeg_avi(
            path, [f.jpeg for f in frames], width=width, height=height, fps=min(fps, 120.0)
        )
        manifest = write_manifest(
            clip,
            {
                "kind": "clip",
                "container": "avi/mjpeg",
                "camera_id": self.buffer.camera_id,
                "start": iso_time(first.captured_at),
                "end": iso_time(last.captured_at),
                "frames": len(frames),
                "width": width,
                "height": height,
                "nominal_fps": round(fps, 3),
                "complete": complete,
                "missing_frames": missing,
                # Each frame's capture time, ms after the first: AVI itself is constant-rate.
                "frame_offsets_ms": [
                    round((f.captured_at - first.captured_at) * 1000) for f in frames
                ],
                **details,
            },
        )
        return ClipResult(
            clip.path,
            manifest.path,
            self.buffer.camera_id,
            first.captured_at,
            last.captured_at,
            len(frames),
            (width, height),
            clip.sha256,
            clip.size_bytes,
            complete,
            missing,
        )
