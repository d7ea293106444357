"""A loopback MJPEG-over-HTTP camera server: the demo desk's cameras and the tests' flaky ones.

Every camera is served as `multipart/x-mixed-replace` at `/cam/<id>.mjpg`, the way cheap IP
cameras and NVR gateways serve browsers, so the console opens them through the very same
`cv2.VideoCapture(url, CAP_FFMPEG)` path as a real camera. A camera's frames come from a
`DemoScene` or from a video file played in a loop and re-encoded as JPEG.

One producer thread per camera renders and encodes, and only while somebody watches: the first
client starts it, and it stops about a second after the last one leaves, so an unwatched
camera costs nothing. Clients never queue frames: each one is sent the newest JPEG when it
appears, so a slow client skips frames instead of falling behind.

The fault switches are what the capture tests need. `stop_camera` drops a camera's
connections and then answers new ones with 503 (REFUSE), holds them without a word (HANG), or
keeps the connections open but sends nothing more (FREEZE: a stalled stream).
`set_unresponsive(True)` makes the whole server accept TCP connections and never answer.

Loopback only; standard library sockets. Threads are named `demo-cam-*` and `close()` joins them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import itertools
import logging
import re
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Final, Protocol, cast

import cv2
import numpy as np
import numpy.typing as npt

from console.video.demo_scene import DemoScene

log = logging.getLogger("console.video")

Image = npt.NDArray[np.uint8]

THREAD_PREFIX: Final = "demo-cam-"
BOUNDARY: Final = "hallframe"
MAX_CONNECTIONS: Final = 256
_IDLE_LINGER_S: Final = 1.0  # a producer outlives its last client this long (reconnects)
_POLL_S: Final = 0.2  # how often waiting threads look at the flags
_SEND_TIMEOUT_S: Final = 5.0
_REQUEST_LIMIT: Final = 16 * 1024
_CAMERA_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PATH: Final = re.compile(r"/cam/([A-Za-z0-9_-]{1,64})\.mjpg")


class CameraFault(StrEnum):
    """What a stopped camera does to its clients (see the module docstring)."""

    REFUSE = "refuse"
    HANG = "hang"
    FREEZE = "freeze"


class FrameSource(Protocol):
    """Where a served camera's pictures come from. Called from its producer thread only."""

    fps: float

    def frame(self, t: float, stamp: float) -> Image:
        """The BGR picture for scene time `t` (s since the server started), clock `stamp`."""
        ...

    def close(self) -> None:
        """Let go of anything held open; `frame` may be called again later (reopens)."""
        ...


class DemoSource:
    """A synthetic traffic camera (`DemoScene`)."""

    def __init__(self, scene: DemoScene, fps: float) -> None:
        self.scene = scene
        self.fps = fps

    def frame(self, t: float, stamp: float) -> Image:
        return self.scene.render(t, stamp=stamp)

    def close(self) -> None:
        pass


class FileSource:
    """A video file played in a loop (rewound at the end), optionally resized."""

    def __init__(
        self, path: Path, *, size: tuple[int, int] | None = None, fps: float | None = None
    ) -> None:
        self.path = path
        self.size = size
        probe = self._open()
        try:
            if not probe.isOpened():
                raise OSError(f"cannot open video file {path}")
            native = float(probe.get(cv2.CAP_PROP_FPS) or 0.0)
        finally:
            probe.release()
        self.fps = fps or (native if 1.0 <= native <= 120.0 else 25.0)
        self._capture: cv2.VideoCapture | None = None

    def _open(self) -> cv2.VideoCapture:
        return cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])

    def frame(self, t: float, stamp: float) -> Image:
        for _ in range(2):
            if self._capture is None:
                self._capture = self._open()
            ok, image = self._capture.read()
            if ok and image is not None:
                if self.size is not None and (image.shape[1], image.shape[0]) != self.size:
                    image = cv2.resize(image, self.size, interpolation=cv2.INTER_AREA)
                return cast(Image, image)
            self.close()  # the end of the file: start again from the top
        raise OSError(f"cannot read video file {self.path}")

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


@dataclass(frozen=True, slots=True)
class CameraStats:
    camera_id: str
    clients: int
    frames_encoded: int
    producing: bool
    fault: CameraFault | None


class _Camera:
    """One served camera: its source, the newest JPEG and who is watching."""

    def __init__(self, camera_id: str, source: FrameSource, quality: int) -> None:
        self.id = camera_id
        self.source = source
        self.quality = quality
        self.cond = threading.Condition()
        self.jpeg: bytes = b""
        self.seq = 0
        self.clients = 0
        self.streams: set[socket.socket] = set()
        self.fault: CameraFault | None = None
        self.producer: threading.Thread | None = None
        self.frames_encoded = 0


class MjpegCameraServer:
    """Serve cameras over HTTP MJPEG on 127.0.0.1 (`port=0` picks a free port).

    Use as a context manager, or call `start()` and `close()`. `credentials`, when given,
    makes every camera ask for HTTP basic auth, like a real camera (and lets tests check that
    the password never reaches a log).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        jpeg_quality: int = 80,
        credentials: tuple[str, str] | None = None,
        unresponsive: bool = False,
    ) -> None:
        self.host = "127.0.0.1"
        self._requested_port = port
        self.jpeg_quality = jpeg_quality
        self._auth: bytes | None = None
        if credentials is not None:
            self._auth = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode())
        self._unresponsive = unresponsive
        self._lock = threading.Lock()
        self._cameras: dict[str, _Camera] = {}
        self._threads: set[threading.Thread] = set()
        self._conns: set[socket.socket] = set()
        self._closing = threading.Event()
        self._listener: socket.socket | None = None
        self._conn_numbers = itertools.count(1)
        self._t0 = time.monotonic()
        self.port = 0

    # ------------------------------------------------------------ set-up

    def add_demo_camera(
        self,
        camera_id: str,
        *,
        label: str | None = None,
        width: int = 640,
        height: int = 360,
        fps: float = 25.0,
        seed: int | None = None,
        crash_every_s: float | None = 60.0,
    ) -> str:
        """Serve a synthetic traffic camera; returns its URL."""
        scene = DemoScene(
            label if label is not None else camera_id,
            width=width,
            height=height,
            seed=seed if seed is not None else sum(camera_id.encode()),
            crash_every_s=crash_every_s,
        )
        return self.add_camera(camera_id, DemoSource(scene, fps))

    def add_file_camera(
        self,
        camera_id: str,
        path: Path | str,
        *,
        size: tuple[int, int] | None = None,
        fps: float | None = None,
    ) -> str:
        """Serve a video file in a loop, re-encoded as JPEG; returns its URL."""
        return self.add_camera(camera_id, FileSource(Path(path), size=size, fps=fps))

    def add_camera(self, camera_id: str, source: FrameSource) -> str:
        if not _CAMERA_ID.fullmatch(camera_id):
            raise ValueError(f"camera id {camera_id!r}: use letters, digits, '-' and '_'")
        with self._lock:
            if camera_id in self._cameras:
                raise ValueError(f"camera {camera_id!r} is already served")
            self._cameras[camera_id] = _Camera(camera_id, source, self.jpeg_quality)
        return self.url(camera_id)

    def start(self) -> MjpegCameraServer:
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self._requested_port))
        listener.listen(64)
        listener.settimeout(_POLL_S)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop, "accept")
        log.info("demo camera server on %s", self.base_url)
        return self

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, camera_id: str, *, user: str | None = None, password: str | None = None) -> str:
        """The camera's URL; with `user`/`password` embedded when given (as a desk would)."""
        auth = f"{user}:{password}@" if user is not None and password is not None else ""
        return f"http://{auth}{self.host}:{self.port}/cam/{camera_id}.mjpg"

    # ------------------------------------------------------------ fault switches

    def stop_camera(self, camera_id: str, fault: CameraFault = CameraFault.REFUSE) -> None:
        """The camera goes away (see `CameraFault`); `start_camera` brings it back."""
        camera = self._camera(camera_id)
        with camera.cond:
            camera.fault = fault
            streams = list(camera.streams)
            camera.cond.notify_all()
        if fault is not CameraFault.FREEZE:
            for conn in streams:
                _shutdown(conn)
        log.info("demo camera %s stopped (%s)", camera_id, fault.value)

    def start_camera(self, camera_id: str) -> None:
        camera = self._camera(camera_id)
        with camera.cond:
            camera.fault = None
            camera.cond.notify_all()
        log.info("demo camera %s started", camera_id)

    def set_unresponsive(self, unresponsive: bool) -> None:
        """Accept TCP connections but never read or answer them (an open that hangs)."""
        self._unresponsive = unresponsive

    def stats(self, camera_id: str) -> CameraStats:
        camera = self._camera(camera_id)
        with camera.cond:
            return CameraStats(
                camera.id,
                camera.clients,
                camera.frames_encoded,
                camera.producer is not None,
                camera.fault,
            )

    # ------------------------------------------------------------ shutdown

    def close(self, timeout_s: float = 5.0) -> None:
        """Drop every connection and join every thread."""
        self._closing.set()
        if self._listener is not None:
            _shutdown(self._listener)  # wakes the blocked accept() on Linux
            with contextlib.suppress(OSError):
                self._listener.close()
        with self._lock:
            conns = list(self._conns)
            cameras = list(self._cameras.values())
        for conn in conns:
            _shutdown(conn)
        for camera in cameras:
            with camera.cond:
                camera.cond.notify_all()
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                threads = [t for t in self._threads if t is not threading.current_thread()]
            if not threads:
                break
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                with self._lock:
                    alive = [t.name for t in self._threads if t.is_alive()]
                if alive:
                    log.warning("demo camera threads still running after close: %s", alive)
                break
        for camera in cameras:
            camera.source.close()

    def __enter__(self) -> MjpegCameraServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------ internals

    def _camera(self, camera_id: str) -> _Camera:
        with self._lock:
            camera = self._cameras.get(camera_id)
        if camera is None:
            raise KeyError(f"no camera {camera_id!r}")
        return camera

    def _spawn(self, target: Callable[[], None], name: str) -> threading.Thread | None:
        """Start a tracked thread; None (and nothing started) once the server is closing."""

        def run() -> None:
            try:
                target()
            except Exception:
                log.exception("demo camera thread %s failed", name)
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        with self._lock:
            if self._closing.is_set():
                return None
            thread = threading.Thread(target=run, name=THREAD_PREFIX + name, daemon=True)
            # Started under the lock: close() takes the set under it too, and joining a thread
            # that is not started yet raises. (run() waits for the lock only at its end.)
            thread.start()
            self._threads.add(thread)
        return thread

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._closing.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break  # closed
            with self._lock:
                crowded = len(self._conns) >= MAX_CONNECTIONS
                if not crowded:
                    self._conns.add(conn)
            if crowded:
                conn.close()
                continue
            number = next(self._conn_numbers)
            serve: Callable[[], None] = functools.partial(self._serve, conn)
            if self._spawn(serve, f"conn-{number}") is None:
                self._forget(conn)

    def _forget(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)
        with contextlib.suppress(OSError):
            conn.close()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self._unresponsive:
                self._hold(conn, lambda: False)
                return
            request = _read_request(conn)
            if request is None:
                return
            method, path, headers = request
            match = _PATH.fullmatch(path.split("?", 1)[0])
            with self._lock:
                camera = self._cameras.get(match.group(1)) if match else None
            if method not in ("GET", "HEAD") or camera is None:
                _answer(conn, "404 Not Found")
                return
            if self._auth is not None and not _authorised(headers, self._auth):
                _answer(conn, "401 Unauthorized", 'WWW-Authenticate: Basic realm="camera"\r\n')
                return
            with camera.cond:
                fault = camera.fault
            if fault is CameraFault.REFUSE:
                _answer(conn, "503 Service Unavailable")
                return
            # HANG or FREEZE: say nothing until the camera is back.
            if fault is not None and not self._hold(conn, lambda: camera.fault is None):
                return
            self._stream(conn, camera, head_only=method == "HEAD")
        finally:
            self._forget(conn)

    def _hold(self, conn: socket.socket, until: Callable[[], bool]) -> bool:
        """Keep the connection open without answering. True once `until()` holds; False if the
        client hung up or the server is closing."""
        while not self._closing.is_set():
            if until():
                return True
            if _client_gone(conn, _POLL_S):
                return False
        return False

    def _stream(self, conn: socket.socket, camera: _Camera, *, head_only: bool) -> None:
        conn.settimeout(_SEND_TIMEOUT_S)
        try:
            conn.sendall(
                b"HTTP/1.0 200 OK\r\n"
                b"Content-Type: multipart/x-mixed-replace; boundary=" + BOUNDARY.encode() + b"\r\n"
                b"Cache-Control: no-cache, no-store\r\nPragma: no-cache\r\n"
                b"Connection: close\r\n\r\n"
            )
        except OSError:
            return  # the client gave up while the camera was held
        if head_only:
            return
        with camera.cond:
            camera.clients += 1
            camera.streams.add(conn)
            self._ensure_producer(camera)
        try:
            last = -1
            while not self._closing.is_set():
                with camera.cond:
                    if camera.fault in (CameraFault.REFUSE, CameraFault.HANG):
                        return
                    if camera.fault is None and camera.seq != last and camera.jpeg:
                        jpeg, last = camera.jpeg, camera.seq
                    else:
                        jpeg = b""
                        if camera.fault is None:
                            self._ensure_producer(camera)
                        camera.cond.wait(_POLL_S)
                if not jpeg:
                    if camera.fault is CameraFault.FREEZE and _client_gone(conn, 0.0):
                        return
                    continue
                part = (
                    f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                    f"Content-Length: {len(jpeg)}\r\n\r\n"
                ).encode()
                try:
                    conn.sendall(part + jpeg + b"\r\n")
                except OSError:
                    return  # the client went away (or the camera was stopped)
        finally:
            with camera.cond:
                camera.clients -= 1
                camera.streams.discard(conn)

    def _ensure_producer(self, camera: _Camera) -> None:
        """Start the camera's producer if it is not running. Caller holds `camera.cond`."""
        if camera.producer is not None or camera.fault is not None:
            return
        camera.producer = self._spawn(lambda: self._produce(camera), camera.id)

    def _produce(self, camera: _Camera) -> None:
        """Render and encode at the camera's rate while anyone watches."""
        period = 1.0 / camera.source.fps
        params = [cv2.IMWRITE_JPEG_QUALITY, camera.quality]
        next_at = time.monotonic()
        idle_since: float | None = None
        try:
            while not self._closing.is_set():
                now = time.monotonic()
                with camera.cond:
                    if camera.fault is not None:
                        return
                    if camera.clients == 0:
                        idle_since = idle_since if idle_since is not None else now
                        if now - idle_since >= _IDLE_LINGER_S:
                            return
                    else:
                        idle_since = None
                if now < next_at:
                    self._closing.wait(next_at - now)
                    continue
                try:
                    image = camera.source.frame(now - self._t0, time.time())
                except OSError as error:  # an unreadable file: say so, and not 25 times a second
                    log.warning("demo camera %s: %s", camera.id, error)
                    self._closing.wait(1.0)
                    continue
                ok, encoded = cv2.imencode(".jpg", image, params)
                if not ok:
                    raise OSError(f"JPEG encoding failed for camera {camera.id}")
                with camera.cond:
                    camera.jpeg = encoded.tobytes()
                    camera.seq += 1
                    camera.frames_encoded += 1
                    camera.cond.notify_all()
                next_at += period
                if next_at < now - period:  # fell behind (a busy machine): do not catch up
                    next_at = now + period
        finally:
            camera.source.close()
            with camera.cond:
                camera.producer = None
                camera.jpeg = b""
                camera.cond.notify_all()


# ---------------------------------------------------------------- socket helpers


def _shutdown(conn: socket.socket) -> None:
    """Wake whoever is blocked on the socket; its owner closes it."""
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


def _client_gone(conn: socket.socket, wait_s: float) -> bool:
    """True if the peer closed (or reset) the connection; waits up to `wait_s` to see."""
    try:
        readable, _, _ = select.select([conn], [], [], wait_s)
        if not readable:
            return False
        return conn.recv(4096) == b""  # anything else sent is ignored
    except (OSError, ValueError):
        return True


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str]] | None:
    """The request line and headers; None if the client sent nothing usable in time."""
    conn.settimeout(_SEND_TIMEOUT_S)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
            if len(data) > _REQUEST_LIMIT:
                return None
    except OSError:
        return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return parts[0], parts[1], headers


def _authorised(headers: dict[str, str], expected: bytes) -> bool:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        return base64.b64decode(value.strip(), validate=True) == base64.b64decode(expected)
    except (binascii.Error, ValueError):
        return False


def _answer(conn: socket.socket, status: str, extra_headers: str = "") -> None:
    with contextlib.suppress(OSError):
        conn.sendall(
            f"HTTP/1.0 {status}\r\n{extra_headers}Content-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode()
        )


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    """Serve demo cameras (and video files) until interrupted; prints one JSON line with
    the URLs. For trying the camera wall against a separate process, and for benchmarks."""
    import argparse
    import json
    import signal

    parser = argparse.ArgumentParser(prog="python -m console.video.mjpeg_server")
    parser.add_argument("--cameras", type=int, default=4, help="number of demo cameras")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT of each camera")
    parser.add_argument("--fps", type=float, default=25.0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--quality", type=int, default=80, help="JPEG quality")
    parser.add_argument("--file", action="append", default=[], help="also serve this video")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MjpegCameraServer(port=args.port, jpeg_quality=args.quality) as server:
        urls = {}
        for n in range(1, args.cameras + 1):
            camera_id = f"demo{n:02d}"
            urls[camera_id] = server.add_demo_camera(
                camera_id, label=f"DEMO-{n:02d}", width=width, height=height, fps=args.fps, seed=n
            )
        for n, path in enumerate(args.file, 1):
            urls[f"file{n:02d}"] = server.add_file_camera(
                f"file{n:02d}", path, size=(width, height)
            )
        print(json.dumps({"port": server.port, "urls": urls}), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
