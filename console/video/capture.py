"""One camera tile's capture: open, read, scale, keep the newest frame, and recover by itself.

Why it is built this way (peer-systems §2-3, perf-baseline §1):

- **Newest frame only.** Each decoded frame is scaled to the tile's size, converted to BGRA
  (what `QImage.Format_RGB32` paints fastest) and put into a one-slot `NewestFrame`; the GUI
  pulls it on a timer. Nothing queues, so a busy GUI drops frames instead of lagging or
  growing memory (acq4's 65 GB backlog).
- **A watchdog outside the blocking read.** OpenCV's `read()` can block for a long time on a
  dead network stream, and a Python thread stuck inside it cannot be interrupted. So the
  reading happens in a *session* thread per connection, and a supervisor thread watches it:
  no frame for `stall_s` marks the camera STALLED; a read that outlives FFmpeg's own read
  timeout is abandoned (the session thread releases its capture whenever the read returns) and
  a fresh session is opened, with exponential backoff and jitter between attempts.
- **States the tile can show**: CONNECTING → LIVE ⇄ STALLED → RECONNECTING(n) → OFFLINE, plus
  PAUSED for a hidden tile (its capture is released, so it decodes nothing) and STOPPED. An
  OFFLINE camera keeps trying quietly every `offline_retry_s`, so a camera that comes back
  after an hour comes back on the wall too (Frigate #3122, zmNinja #894).
- **Credentials never leave this module in clear**: every URL that reaches a log line or a
  state message goes through `redact_url`.

Callbacks (`on_state`) run on the supervisor thread and never after `stop()` returned; the
Qt adapter in `console.workers` re-emits them as signals.

FFmpeg's behaviour is tuned by environment variables that OpenCV reads once, so the app
calls `configure_ffmpeg_env()` before anything imports cv2; this module imports cv2 lazily.
"""

from __future__ import annotations

import http.client
import logging
import os
import random
import re
import socket
import ssl
import sys
import threading
import time
from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast
from urllib.parse import SplitResult, unquote, urlsplit

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from console.video.clip_buffer import ClipBuffer

log = logging.getLogger("console.video")

Image = npt.NDArray[np.uint8]

THREAD_PREFIX: Final = "capture-"

# perf-baseline §1e: a short probe opens an RTSP camera in 0.22 s instead of 1.1 s, without
# adding latency; `nobuffer`/`analyzeduration;0` made the first frame wait a whole GOP. TCP
# keeps RTSP working through the hall's firewalls.
FFMPEG_CAPTURE_OPTIONS: Final = "rtsp_transport;tcp|analyzeduration;200000|probesize;65536"

_FFMPEG_ENV: Final = {
    # Without it OpenCV serialises every open behind one global lock: 16 cameras took 31 s to
    # start instead of 2 s (perf-baseline §1e). Read once, at the first open.
    "OPENCV_FFMPEG_IS_THREAD_SAFE": "1",
    "OPENCV_FFMPEG_CAPTURE_OPTIONS": FFMPEG_CAPTURE_OPTIONS,
    # OpenCV warns on stderr about every open and timeout, and FFmpeg's own messages can carry
    # URLs; this module logs what matters itself, redacted.
    "OPENCV_LOG_LEVEL": "ERROR",
    "OPENCV_FFMPEG_LOGLEVEL": "-8",  # AV_LOG_QUIET
}


def configure_ffmpeg_env(
    *, capture_options: str | None = None, override: bool = False
) -> dict[str, str]:
    """Set OpenCV's FFmpeg environment variables; call before cv2 is first imported.

    Values already in the environment win unless `override` is true, so a site can tune them
    without a new build. Returns the variables as they now are.
    """
    wanted = dict(_FFMPEG_ENV)
    if capture_options is not None:
        wanted["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = capture_options
    if "cv2" in sys.modules:
        log.warning("cv2 was imported before configure_ffmpeg_env(); some settings may be late")
    for name, value in wanted.items():
        if override:
            os.environ[name] = value
        else:
            os.environ.setdefault(name, value)
    return {name: os.environ[name] for name in wanted}


# ---------------------------------------------------------------- redaction

# scheme://userinfo@ — userinfo is everything up to the last '@' before the path, so a password
# with a raw '@' in it (common on cameras) is hidden whole.
_USERINFO: Final = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s]*)@")
_SECRET_QUERY: Final = re.compile(
    r"(?P<key>[?&;](?:password|passwd|pwd|pass|token|auth|key|secret)=)[^&#\s]*", re.IGNORECASE
)


def redact_url(url: str) -> str:
    """`rtsp://admin:pw@10.0.0.5/...` → `rtsp://***@10.0.0.5/...`; also `?password=…` values.

    Works on any text (an exception message with a URL in it), not only on a bare URL.
    """
    text = _USERINFO.sub(r"\g<scheme>***@", url)
    return _SECRET_QUERY.sub(r"\g<key>***", text)


# ---------------------------------------------------------------- states and frames


class CaptureState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"  # open, but no frame for stall_s; may come back without reopening
    RECONNECTING = "reconnecting"  # attempt n after a failure, backing off between attempts
    OFFLINE = "offline"  # gave up (still retrying quietly every offline_retry_s)
    PAUSED = "paused"  # hidden tile: capture released, nothing decoded
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class CameraState:
    """What a tile's overlay shows. `message` is English and redacted; the view translates
    by `state` and may show `message` as the detail. `since` is wall time (time.time())."""

    camera_id: str
    state: CaptureState
    attempt: int = 0
    message: str = ""
    since: float = 0.0


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One frame ready to paint: BGRA, C-contiguous, owned by this object (never reused), so
    a QImage may wrap it as long as it keeps a reference to the Frame."""

    image: Image
    number: int  # counts decoded frames of this capture, from 1
    captured_at: float  # time.time() when the decoder returned it
    source_size: tuple[int, int]  # (width, height) of the stream

    @property
    def size(self) -> tuple[int, int]:
        return self.image.shape[1], self.image.shape[0]


class NewestFrame:
    """A one-slot holder: `put` replaces, `get` peeks, `take` empties. Never holds more than
    one frame, so a reader that falls behind only ever sees the newest."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self.dropped = 0  # frames replaced before anyone took them

    def put(self, frame: Frame) -> None:
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._cond.notify_all()

    def get(self) -> Frame | None:
        with self._cond:
            return self._frame

    def take(self) -> Frame | None:
        with self._cond:
            frame, self._frame = self._frame, None
            return frame

    def wait_newer(self, after: int, timeout_s: float) -> Frame | None:
        """The held frame once its number is above `after`; None if none came in time."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._frame is None or self._frame.number <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self._frame

    def clear(self) -> None:
        with self._cond:
            self._frame = None

    def __len__(self) -> int:
        with self._cond:
            return 0 if self._frame is None else 1


# ---------------------------------------------------------------- policy


@dataclass(frozen=True)
class CapturePolicy:
    """Timeouts and the reconnect schedule. Defaults suit cameras on the hall's LAN."""

    open_timeout_s: float = 5.0
    read_timeout_s: float = 5.0
    stall_s: float = 2.0  # no frame this long while open: STALLED
    hang_grace_s: float = 2.0  # beyond FFmpeg's own timeout: the call hangs, abandon it
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    jitter: float = 0.5  # share of each delay that is random, so cameras don't retry in step
    max_attempts: int = 8  # reconnect attempts after a failure before going OFFLINE
    stable_s: float = 5.0  # a session that delivered frames this long resets the count
    offline_retry_s: float | None = 60.0  # quiet retries while OFFLINE; None: give up
    decoder_threads: int = 1  # perf-baseline §1b: 1 thread per stream is faster in aggregate
    watch_interval_s: float = 0.1

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")
        if min(self.open_timeout_s, self.read_timeout_s, self.stall_s) <= 0:
            raise ValueError("timeouts must be positive")

    def delay_s(self, attempt: int, rng: random.Random) -> float:
        """Pause before attempt number `attempt` (1 for the first retry)."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2.0 ** max(0, attempt - 1))
        return ceiling * (1 - self.jitter) + ceiling * self.jitter * rng.random()


StateListener = Callable[[CameraState], None]


# ---------------------------------------------------------------- the capture


class _Session:
    """One open-and-read run in its own thread; the supervisor watches its timestamps."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.cancel = threading.Event()
        self.done = threading.Event()
        self.started = time.monotonic()
        self.opened_at: float | None = None
        self.first_frame_at: float | None = None
        self.last_frame_at: float | None = None
        self.frames = 0
        self.message = ""
        self.permanent = False
        self.thread: threading.Thread | None = None

    def finish(self, message: str, *, permanent: bool = False) -> None:
        if not self.done.is_set():
            self.message, self.permanent = message, permanent


@dataclass(frozen=True, slots=True)
class _Outcome:
    message: str
    went_live: bool
    permanent: bool = False


class CameraCapture:
    """Capture one camera for one tile. `start()`, then read `frames` (a `NewestFrame`).

    `target_size` is the tile's size in pixels (None: the stream's own size); change it with
    `set_target_size` when the tile is maximised. `on_state` hears every change of state.
    """

    def __init__(
        self,
        camera_id: str,
        url: str,
        *,
        target_size: tuple[int, int] | None = None,
        keep_aspect: bool = False,
        policy: CapturePolicy | None = None,
        on_state: StateListener | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.camera_id = camera_id
        self.policy = policy or CapturePolicy()
        self.frames = NewestFrame()
        self._url = url
        self._on_state = on_state
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._paused = False
        self._restart = False
        self._target = target_size
        self._keep_aspect = keep_aspect
        self._frames_decoded = 0
        self._last_full: tuple[Image, float] | None = None
        self._clip: ClipBuffer | None = None
        self._clip_quality = 90
        self._state = CameraState(camera_id, CaptureState.STOPPED, since=time.time())
        self._session: _Session | None = None
        self._sessions: list[_Session] = []  # every session thread not yet joined
        self._session_numbers = 0
        safe_id = re.sub(r"[^A-Za-z0-9_.-]", "_", camera_id)[:40]
        self._thread_name = THREAD_PREFIX + safe_id
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ control

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a CameraCapture starts once")
        log.info("camera %s: capturing %s", self.camera_id, redact_url(self._url))
        self._thread = threading.Thread(target=self._supervise, name=self._thread_name, daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask to stop without waiting: to stop many cameras in parallel, call this on each
        and then `stop()` on each, so the slowest sets the pace instead of the sum."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.cancel.set()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop and join every thread of this capture within `timeout_s`.

        Returns False if a session thread is still blocked inside OpenCV: it ends by itself
        at FFmpeg's open/read timeout, touches nothing but its own capture and is a daemon.
        No callback runs after this returns (if the supervisor has ended, which it does
        within a watch interval: it never blocks in OpenCV).
        """
        deadline = time.monotonic() + timeout_s
        self.request_stop()
        if self._thread is not None:
            self._thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.cancel.set()
        for session in sessions:
            if session.thread is not None:
                session.thread.join(max(0.0, deadline - time.monotonic()))
        alive = [s.thread.name for s in sessions if s.thread is not None and s.thread.is_alive()]
        supervisor_alive = self._thread is not None and self._thread.is_alive()
        if alive or supervisor_alive:
            log.warning("camera %s: threads still running after stop: %s", self.camera_id, alive)
            return False
        return True

    def pause(self) -> None:
        """Hidden tile: release the capture and decode nothing until `resume()`."""
        with self._lock:
            self._paused = True
        self._wake.set()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
        self._wake.set()

    def restart(self) -> None:
        """Try again now (an operator's "retry" on an OFFLINE tile), attempts counted afresh."""
        with self._lock:
            self._restart = True
            session = self._session
        if session is not None:
            session.cancel.set()
        self._wake.set()

    def switch_url(self, url: str) -> None:
        """Change stream (sub-stream in the grid, main stream when maximised): reopens."""
        with self._lock:
            self._url = url
        log.info("camera %s: switching to %s", self.camera_id, redact_url(url))
        self.restart()

    def set_target_size(self, size: tuple[int, int] | None, *, keep_aspect: bool = False) -> None:
        """Scale frames to `size` from the next frame on (None: the stream's own size).
        With `keep_aspect` the frame fits inside `size` without distortion."""
        if size is not None and (size[0] < 1 or size[1] < 1):
            raise ValueError("target size must be positive")
        with self._lock:
            self._target, self._keep_aspect = size, keep_aspect

    def set_clip_buffer(self, buffer: ClipBuffer | None, *, jpeg_quality: int = 90) -> None:
        """Feed full-resolution JPEGs into `buffer` (the focused camera's instant replay and
        clip export). Costs one JPEG encode per frame, so only for the camera in focus."""
        with self._lock:
            self._clip, self._clip_quality = buffer, jpeg_quality

    # ------------------------------------------------------------ observation

    @property
    def state(self) -> CameraState:
        with self._lock:
            return self._state

    @property
    def frames_decoded(self) -> int:
        """Frames decoded since start; stands still while paused (the tests' proof)."""
        with self._lock:
            return self._frames_decoded

    @property
    def url_redacted(self) -> str:
        with self._lock:
            return redact_url(self._url)

    def latest_full_frame(self) -> tuple[Image, float] | None:
        """The newest decoded frame at full resolution (BGR) and its capture time, for a
        snapshot. The array is never written to again; do not write to it either."""
        with self._lock:
            return self._last_full

    # ------------------------------------------------------------ supervisor

    def _set_state(self, state: CaptureState, attempt: int = 0, message: str = "") -> None:
        message = redact_url(message)
        with self._lock:
            old = self._state
            if (old.state, old.attempt, old.message) == (state, attempt, message):
                return
            new = CameraState(self.camera_id, state, attempt, message, time.time())
            self._state = new
        level = (
            logging.WARNING
            if state in (CaptureState.STALLED, CaptureState.RECONNECTING, CaptureState.OFFLINE)
            else logging.INFO
        )
        detail = (f" (attempt {attempt})" if attempt else "") + (f": {message}" if message else "")
        log.log(level, "camera %s: %s%s", self.camera_id, state.value, detail)
        if self._on_state is not None:
            try:
                self._on_state(new)
            except Exception:
                log.exception("camera %s: state listener failed", self.camera_id)

    def _wait(self, seconds: float) -> None:
        """Sleep up to `seconds`, waking early on stop, pause, resume or restart."""
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _interrupted(self) -> bool:
        with self._lock:
            return self._stopping.is_set() or self._paused or self._restart

    def _supervise(self) -> None:
        policy = self.policy
        attempt = 0
        offline = False
        self._set_state(CaptureState.CONNECTING)
        try:
            while not self._stopping.is_set():
                with self._lock:
                    paused, restart = self._paused, self._restart
                    self._restart = False
                if paused:
                    self._set_state(CaptureState.PAUSED)
                    while not self._stopping.is_set():
                        with self._lock:
                            if not self._paused:
                                break
                        self._wait(1.0)
                    if self._stopping.is_set():
                        break
                    attempt, offline = 0, False
                    self._set_state(CaptureState.CONNECTING)
                    continue
                if restart:
                    attempt, offline = 0, False
                    self._set_state(CaptureState.CONNECTING)
                outcome = self._run_session()
                if outcome is None:  # stop, pause or restart asked for
                    continue
                if outcome.went_live:
                    attempt, offline = 0, False
                if not offline:
                    attempt += 1
                if offline or outcome.permanent or attempt > policy.max_attempts:
                    offline = True
                    self._set_state(CaptureState.OFFLINE, attempt, outcome.message)
                    if policy.offline_retry_s is None:
                        while not self._interrupted():
                            self._wait(1.0)
                    else:
                        self._wait_unless_interrupted(policy.offline_retry_s)
                    continue
                self._set_state(CaptureState.RECONNECTING, attempt, outcome.message)
                self._wait_unless_interrupted(policy.delay_s(attempt, self._rng))
        finally:
            with self._lock:
                session = self._session
                self._session = None
            if session is not None:
                session.cancel.set()
            self._set_state(CaptureState.STOPPED)

    def _wait_unless_interrupted(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._interrupted():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._wait(left)

    def _run_session(self) -> _Outcome | None:
        """Open and read until the session ends or is given up; None if interrupted by stop,
        pause or restart. Reports LIVE and STALLED as they happen."""
        policy = self.policy
        with self._lock:
            self._session_numbers += 1
            session = _Session(self._session_numbers)
            self._sessions = [s for s in self._sessions if not s.done.is_set()]
            self._sessions.append(session)
            self._session = session
            url = self._url
        thread = threading.Thread(
            target=self._read,
            args=(session, url),
            name=f"{self._thread_name}-read-{session.number}",
            daemon=True,
        )
        session.thread = thread
        thread.start()

        def outcome(message: str, permanent: bool = False) -> _Outcome:
            first, last = session.first_frame_at, session.last_frame_at
            stable = first is not None and last is not None and last - first >= policy.stable_s
            return _Outcome(message, stable, permanent)

        live = False
        try:
            while True:
                self._wait(policy.watch_interval_s)
                if self._interrupted():
                    return None
                now = time.monotonic()
                if session.done.is_set():
                    return outcome(session.message or "the stream ended", session.permanent)
                last = session.last_frame_at
                if last is None:
                    limit = policy.open_timeout_s + policy.read_timeout_s + policy.hang_grace_s
                    if now - session.started > limit:
                        return outcome(f"open hung for {now - session.started:.1f} s; abandoned")
                    continue
                silent = now - last
                if silent > policy.read_timeout_s + policy.hang_grace_s:
                    return outcome(f"read hung for {silent:.1f} s; abandoned")
                if silent > policy.stall_s:
                    if live:
                        self._set_state(CaptureState.STALLED, 0, f"no frame for {silent:.1f} s")
                elif not live or self.state.state is CaptureState.STALLED:
                    live = True
                    self._set_state(CaptureState.LIVE)
        finally:
            session.cancel.set()
            with self._lock:
                if self._session is session:
                    self._session = None

    # ------------------------------------------------------------ session thread

    def _read(self, session: _Session, url: str) -> None:
        import cv2

        policy = self.policy
        capture = None
        try:
            began = time.monotonic()
            capture = cv2.VideoCapture(
                url,
                cv2.CAP_FFMPEG,
                [
                    cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, round(policy.open_timeout_s * 1000),
                    cv2.CAP_PROP_READ_TIMEOUT_MSEC, round(policy.read_timeout_s * 1000),
                    cv2.CAP_PROP_N_THREADS, policy.decoder_threads,
                ],
            )  # fmt: skip
            if session.cancel.is_set():
                return
            if not capture.isOpened():
                took = time.monotonic() - began
                if took >= policy.open_timeout_s * 0.9:
                    session.finish(f"no answer within {policy.open_timeout_s:g} s")
                else:
                    message, permanent = diagnose_open_failure(url, min(2.0, policy.open_timeout_s))
                    session.finish(message, permanent=permanent)
                return
            session.opened_at = time.monotonic()
            while not session.cancel.is_set():
                ok, image = capture.read()
                if session.cancel.is_set():
                    return
                if not ok or image is None:
                    session.finish("the stream ended or sent nothing within the read timeout")
                    return
                self._deliver(cast(Image, image))
                session.frames += 1
                session.last_frame_at = time.monotonic()
                if session.first_frame_at is None:
                    session.first_frame_at = session.last_frame_at
        except Exception as error:  # cv2.error and friends: reported, never raised
            session.finish(f"{type(error).__name__}: {error}")
        finally:
            if capture is not None:
                capture.release()
            session.done.set()
            self._wake.set()

    def _deliver(self, image: Image) -> None:
        import cv2

        captured_at = time.time()
        height, width = image.shape[:2]
        with self._lock:
            self._frames_decoded += 1
            number = self._frames_decoded
            self._last_full = (image, captured_at)
            target, keep_aspect = self._target, self._keep_aspect
            clip, quality = self._clip, self._clip_quality
        if clip is not None:
            ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if ok:
                clip.append(encoded.tobytes(), captured_at, (width, height))
        size = (width, height)
        if target is not None:
            size = fit_size((width, height), target) if keep_aspect else target
        scaled = image
        if size != (width, height):
            scaled = cast(Image, cv2.resize(image, size, interpolation=cv2.INTER_LINEAR))
        bgra = cast(Image, cv2.cvtColor(scaled, cv2.COLOR_BGR2BGRA))  # new and contiguous
        self.frames.put(Frame(bgra, number, captured_at, (width, height)))


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with the source's aspect ratio that fits inside `box`."""
    sw, sh = source
    bw, bh = box
    scale = min(bw / sw, bh / sh)
    return max(1, round(sw * scale)), max(1, round(sh * scale))


# ---------------------------------------------------------------- diagnosis


def diagnose_open_failure(url: str, timeout_s: float) -> tuple[str, bool]:
    """Why OpenCV could not open `url`, as a short English reason, and whether retrying is
    pointless until someone changes something (wrong password, wrong path, missing file).

    OpenCV reports a failed open only as "not opened"; one cheap request of our own tells the
    operator "HTTP 401 Unauthorized" or "connection refused" instead. The result is redacted.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if len(scheme) <= 1:  # a local path (or a Windows drive letter)
        path = Path(url)
        if not path.exists():
            return f"file not found: {path}", True
        return f"OpenCV cannot decode {path.name}", True
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        return redact_url(f"bad port in {url}"), True
    try:
        if scheme in ("http", "https"):
            return _diagnose_http(parts.scheme, host, port, parts, timeout_s)
        default_port = {"rtsp": 554, "rtsps": 322, "rtmp": 1935}.get(scheme)
        if default_port is None:
            return f"cannot open {scheme}:// stream", False
        with socket.create_connection((host, port or default_port), timeout=timeout_s):
            pass
        return "the camera accepts connections but no video stream could be opened", False
    except ConnectionRefusedError:
        return "connection refused", False
    except TimeoutError:
        return f"no answer within {timeout_s:g} s", False
    except socket.gaierror as error:
        return redact_url(f"unknown host {host}: {error.strerror}"), False
    except (OSError, http.client.HTTPException) as error:
        return redact_url(f"{type(error).__name__}: {error}"), False


def _diagnose_http(
    scheme: str, host: str, port: int | None, parts: SplitResult, timeout_s: float
) -> tuple[str, bool]:
    connection: http.client.HTTPConnection
    if scheme == "https":
        context = ssl.create_default_context()
        # FFmpeg does not verify camera certificates either (most are self-signed).
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(host, port, timeout=timeout_s, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout_s)
    headers = {"User-Agent": "hall-console"}
    if parts.username is not None:
        token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers["Authorization"] = "Basic " + b64encode(token).decode()
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        status, reason = response.status, response.reason
    finally:
        connection.close()
    if status in (401, 403, 404, 410):
        return f"HTTP {status} {reason}", True
    if status >= 300:
        return f"HTTP {status} {reason}", False
    return f"HTTP {status} but no video stream OpenCV can read", False
