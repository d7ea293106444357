"""The demo desk's cameras: every camera of the demo registry served as MJPEG on loopback.

Each registry camera gets two streams on one `MjpegCameraServer`, as a real camera has: the
sub-stream under its own id (640×360, what a wall tile opens) and the main stream under
`<id>-main` (1280×720, for a maximised tile), both drawn from the same seed so they show the
same road. The server binds a fresh port on every start and `seed_demo_cameras` rewrites the
registry's URLs each time, so a URL left from an earlier run never lingers.

Nothing is drawn while nobody watches: the server renders a camera only while a client is
connected, and the scene itself (about 3 MB at 1280×720, 40 ms to build) is made on the
first frame and dropped when the last client leaves, so 48 idle streams cost one listening
socket. The server's threads are named `demo-cam-*`; `close()` joins them.

`DemoCameras.start` does file, socket and database work: run it through the task runner.
"""

from __future__ import annotations

import logging
import sys
import threading
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from console.hall.cameras import DEMO_CAMERAS_FILE, ImportReport, seed_demo_cameras
from console.hall.journal import SessionFactory

if TYPE_CHECKING:
    from console.video.demo_scene import DemoScene
    from console.video.mjpeg_server import MjpegCameraServer

__all__ = [
    "MAIN_SIZE",
    "MAIN_SUFFIX",
    "SUB_SIZE",
    "THREAD_PREFIX",
    "DemoCameras",
    "DemoCamerasClosed",
    "demo_seed",
]

log = logging.getLogger("console.video")

THREAD_PREFIX: Final = "demo-cam-"  # console.video.mjpeg_server.THREAD_PREFIX
SUB_SIZE: Final = (640, 360)
MAIN_SIZE: Final = (1280, 720)
FPS: Final = 25.0
MAIN_SUFFIX: Final = "-main"

Image = npt.NDArray[np.uint8]


class DemoCamerasClosed(RuntimeError):  # noqa: N818 - says what happened
    """The console quit before the demo cameras had started; nothing was left running."""


def demo_seed(camera_id: str) -> int:
    """A camera's own scene, the same on every run (the server's default, the sum of the id's
    bytes, gives the same scene to ids that differ by swapped digits)."""
    return zlib.crc32(camera_id.encode("utf-8"))


class _LazyScene:
    """A `FrameSource` that builds its `DemoScene` on the first frame and forgets it when the
    producer stops. A scene is a pure function of seed and time, so a rebuilt one carries on
    exactly where the old one was."""

    def __init__(self, label: str, size: tuple[int, int], seed: int, fps: float) -> None:
        self.label = label
        self.size = size
        self.seed = seed
        self.fps = fps
        self._scene: DemoScene | None = None

    def frame(self, t: float, stamp: float) -> Image:
        if self._scene is None:
            from console.video.demo_scene import DemoScene

            width, height = self.size
            self._scene = DemoScene(self.label, width=width, height=height, seed=self.seed)
        return self._scene.render(t, stamp=stamp)

    def close(self) -> None:
        self._scene = None


class DemoCameras:
    """The demo registry's cameras on a loopback MJPEG server.

    Made on the GUI thread (it does nothing then); `start(session_factory)` runs on a worker
    thread; `close()` may be called from any thread at any time, also while `start` runs, and
    leaves no thread behind.
    """

    def __init__(
        self,
        registry: Path = DEMO_CAMERAS_FILE,
        *,
        sub_size: tuple[int, int] = SUB_SIZE,
        main_size: tuple[int, int] = MAIN_SIZE,
        fps: float = FPS,
    ) -> None:
        self.registry = registry
        self.sub_size = sub_size
        self.main_size = main_size
        self.fps = fps
        self._lock = threading.Lock()
        self._server: MjpegCameraServer | None = None
        self._served: dict[str, tuple[str, str]] = {}
        self._closed = False

    # ------------------------------------------------------------ life

    def start(self, session_factory: SessionFactory) -> ImportReport:
        """Serve every registry camera and point the registry at this run's URLs."""
        server = self._start_server()
        report = seed_demo_cameras(session_factory, self.url_for, self.registry)
        log.info(
            "demo cameras on %s: %d added, %d updated, %d unchanged",
            server.base_url,
            report.added,
            report.updated,
            report.unchanged,
        )
        return report

    def close(self) -> None:
        """Stop serving and join the server's threads (a few hundred ms at most)."""
        with self._lock:
            self._closed = True
            server, self._server = self._server, None
        if server is not None:
            server.close()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._server is not None

    @property
    def base_url(self) -> str | None:
        with self._lock:
            return self._server.base_url if self._server is not None else None

    def camera_ids(self) -> list[str]:
        """The registry cameras served so far (their sub-stream ids)."""
        with self._lock:
            return list(self._served)

    def url_for(self, camera_id: str) -> tuple[str, str | None]:
        """The camera's (main, sub) URLs; serves it first if it is not served yet. The
        registry's `UrlFor`."""
        with self._lock:
            server = self._server
            if server is None:
                raise DemoCamerasClosed("the demo camera server is not running")
            urls = self._served.get(camera_id)
            if urls is None:
                seed = demo_seed(camera_id)
                sub = server.add_camera(
                    camera_id, _LazyScene(camera_id, self.sub_size, seed, self.fps)
                )
                main = server.add_camera(
                    camera_id + MAIN_SUFFIX,
                    _LazyScene(camera_id, self.main_size, seed, self.fps),
                )
                urls = self._served[camera_id] = (main, sub)
        return urls

    # ------------------------------------------------------------ internals

    def _start_server(self) -> MjpegCameraServer:
        if "cv2" not in sys.modules:
            # OpenCV reads FFmpeg's settings once, when it is first imported; this may be the
            # first import in the demo, before any camera tile has opened a stream.
            from console.video.capture import configure_ffmpeg_env

            configure_ffmpeg_env()
        from console.video.mjpeg_server import MjpegCameraServer

        with self._lock:
            if self._closed:
                raise DemoCamerasClosed("the console is quitting")
            if self._server is not None:
                return self._server
            # port=0: a fresh port every run; seeding then rewrites every URL.
            server = MjpegCameraServer(port=0).start()
            self._server = server
            return server
