"""Camera wall: N live streams on loopback shown on a `CameraWall`, against the ceiling of plain
OpenCV decoding of the same streams with no GUI, in one run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_camera_wall
         [--source demo|h264|files] [--cameras 16] [--seconds 30] [--minutes 10]
         [--wall 1280x720] [--interval-ms 30]
     (prints one JSON line)

Sources (the cameras run in other processes, so this process's CPU is the desk's share):
- `demo` (default): `MjpegCameraServer` demo cameras, 640x360 MJPEG at 25 fps.
- `h264`: the same demo scene pre-encoded once as H.264 (no B-frames, GOP 2 s, 1 Mbit/s, like a
  camera's sub-stream) and served as MPEG-TS over HTTP by one `ffmpeg -re -c copy -listen 1`
  per camera: no encoding while measuring. Needs the ffmpeg CLI (`apt-get install ffmpeg`);
  without it the JSON says so and nothing is measured.
- `files`: the real 720p highway clips in /work/shared/media (or --media-file), looped by
  `MjpegCameraServer.add_file_camera` at their native size and rate (4 cameras by default:
  the server re-encodes every frame, which costs more than the decoding measured here).

Figures: per-tile displayed frames per second (distinct frames painted), decoded fps, process
CPU (100 % = one core), the GUI's largest stall (a 10 ms PreciseTimer's longest gap, as in
perf-baseline §2c), capture→paint latency (`Frame.captured_at` to the tile's paint) and, for the
MJPEG sources, source→paint latency: the camera server burns its clock (ms, 32 bits, with the
complement as a check) into the top rows of every frame and the bench reads it back from the
frame each tile painted. Then the ceiling: one thread per stream, `cv2.VideoCapture(url,
CAP_FFMPEG, N_THREADS=1).read()` in a loop and nothing else. `--minutes` runs the wall that
long, sampling RSS every 10 s, and skips the ceiling. Ratios within one run are what to quote
(perf-baseline: this VM drifts 15-30 % from minute to minute).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
import psutil

if TYPE_CHECKING:
    from console.views.camera_wall import CameraWall

Image = npt.NDArray[np.uint8]

MEDIA = Path(os.environ.get("HALL_MEDIA", "/work/shared/media"))
STAMP_BITS = 32
PROBE_MS = 10
RSS_EVERY_S = 10.0


# ---------------------------------------------------------------- the burned-in clock


def stamp_frame(image: Image, ms: int) -> None:
    """Two bands across the top: 32 black/white blocks of `ms`, then their complement."""
    height, width = image.shape[:2]
    band = max(4, height // 12)
    bits = np.array([(ms >> (STAMP_BITS - 1 - i)) & 1 for i in range(STAMP_BITS)], np.uint8)
    edges = np.round(np.arange(STAMP_BITS + 1) * width / STAMP_BITS).astype(int)
    row = np.repeat(bits * 255, np.diff(edges))
    image[0:band] = row[None, :, None]
    image[band : 2 * band] = (255 - row)[None, :, None]


def read_stamp(image: Image) -> int | None:
    """The ms value burned in by `stamp_frame`, from a frame at any scale (BGR or BGRA);
    None if the check band does not match."""
    height, width = image.shape[:2]
    band = max(4, height // 12) if height >= 48 else height / 12
    xs = ((np.arange(STAMP_BITS) + 0.5) * width / STAMP_BITS).astype(int)
    first = image[int(band * 0.5), xs, :3].mean(axis=1) > 127
    second = image[int(band * 1.5), xs, :3].mean(axis=1) > 127
    if not np.all(first != second):
        return None
    value = 0
    for bit in first:
        value = (value << 1) | int(bit)
    return value


def stamp_age_ms(stamp: int, at_s: float) -> float | None:
    age = (int(at_s * 1000) - stamp) % (1 << STAMP_BITS)
    return float(age) if age < 60_000 else None


# ---------------------------------------------------------------- camera server (child)


class StampedSource:
    """A `FrameSource` whose frames carry the server's clock."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.fps: float = inner.fps

    def frame(self, t: float, stamp: float) -> Image:
        image: Image = self.inner.frame(t, stamp)
        if not image.flags.writeable:
            image = image.copy()
        stamp_frame(image, int(time.time() * 1000) & 0xFFFFFFFF)
        return image

    def close(self) -> None:
        self.inner.close()


def serve(source: str, cameras: int, size: str, fps: float, media: Sequence[Path]) -> None:
    """Child process: serve stamped MJPEG cameras until stdin closes; print the URLs first."""
    from console.video.capture import configure_ffmpeg_env

    configure_ffmpeg_env()
    from console.video.demo_scene import DemoScene
    from console.video.mjpeg_server import DemoSource, FileSource, MjpegCameraServer

    width, height = (int(n) for n in size.split("x"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MjpegCameraServer() as server:
        urls = {}
        for n in range(1, cameras + 1):
            camera_id = f"cam{n:02d}"
            inner: Any
            if source == "files":
                inner = FileSource(media[(n - 1) % len(media)])
            else:
                scene = DemoScene(f"BENCH-{n:02d}", width=width, height=height, seed=n)
                inner = DemoSource(scene, fps)
            urls[camera_id] = server.add_camera(camera_id, StampedSource(inner))
        print(json.dumps({"urls": urls}), flush=True)

        def watch_stdin() -> None:
            sys.stdin.read()  # the parent closes it to stop us
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
        stop.wait()


class MjpegCameras:
    """The stamped camera server in a child process (it serves any number of clients)."""

    def __init__(self, source: str, cameras: int, size: str, fps: float, media: Sequence[Path]):
        command = [sys.executable, "-m", "tests.benchmarks.bench_camera_wall", "--serve",
                   source, "--cameras", str(cameras), "--size", size, "--fps", str(fps),
                   *(f"--media-file={p}" for p in media)]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.urls: dict[str, str] = json.loads(self.process.stdout.readline())["urls"]

    def pids(self) -> list[int]:
        return [self.process.pid]

    def ready_for_next_phase(self) -> None:
        pass

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class H264Cameras:
    """One `ffmpeg -listen 1` per camera relaying a pre-encoded H.264 clip as MPEG-TS over
    HTTP, paced at its rate. Each serves one client and exits when it leaves, so every
    phase gets fresh ones."""

    def __init__(self, ffmpeg: str, cameras: int, size: str, fps: float, folder: Path) -> None:
        self.ffmpeg = ffmpeg
        self.cameras = cameras
        self.clip = folder / f"demo_{size}_{fps:g}.mp4"
        if not self.clip.exists():
            self._encode(size, fps)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.urls: dict[str, str] = {}
        self._start()

    def _encode(self, size: str, fps: float) -> None:
        from console.video.demo_scene import DemoScene

        width, height = (int(n) for n in size.split("x"))
        scene = DemoScene("BENCH-H264", width=width, height=height, seed=7)
        command = [self.ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                   "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", size, "-r", f"{fps:g}", "-i", "-",
                   "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-bf", "0",
                   "-g", str(round(fps * 2)), "-b:v", "1M", "-maxrate", "1M", "-bufsize", "2M",
                   "-pix_fmt", "yuv420p", str(self.clip)]  # fmt: skip
        encoder = subprocess.Popen(command, stdin=subprocess.PIPE)
        assert encoder.stdin is not None
        for n in range(round(fps * 30)):
            encoder.stdin.write(scene.render(n / fps).tobytes())
        encoder.stdin.close()
        if encoder.wait() != 0:
            raise RuntimeError("ffmpeg could not encode the H.264 clip")

    def _start(self) -> None:
        self.urls = {}
        for n in range(1, self.cameras + 1):
            url = f"http://127.0.0.1:{_free_port()}/cam{n:02d}.ts"
            command = [self.ffmpeg, "-hide_banner", "-loglevel", "quiet", "-re",
                       "-stream_loop", "-1", "-i", str(self.clip), "-c", "copy",
                       "-f", "mpegts", "-listen", "1", url]  # fmt: skip
            self.processes.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))
            self.urls[f"cam{n:02d}"] = url
        time.sleep(0.5)  # let them listen

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def ready_for_next_phase(self) -> None:
        self.close()
        self._start()

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.processes = []


# ---------------------------------------------------------------- measuring helpers


def _cpu_s(pids: Sequence[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


class Histogram:
    """Fixed bins (0.1 ms up to 10 s), allocated once: a 10-minute soak must not measure its
    own sample lists growing (240k latencies in a list are ~8 MB)."""

    STEP_MS = 0.1
    BINS = 100_000

    def __init__(self) -> None:
        self.counts = [0] * (self.BINS + 1)
        self.count = 0
        self.largest = 0.0

    def add(self, ms: float) -> None:
        self.counts[min(self.BINS, max(0, round(ms / self.STEP_MS)))] += 1
        self.count += 1
        self.largest = max(self.largest, ms)

    def percentile(self, p: float) -> float | None:
        if not self.count:
            return None
        if p >= 100:
            return round(self.largest, 1)
        wanted = max(1, math.ceil(p / 100 * self.count))
        seen = 0
        for index, n in enumerate(self.counts):
            seen += n
            if seen >= wanted:
                return round(index * self.STEP_MS, 1)
        return round(self.largest, 1)


def _grid_for(cameras: int) -> str:
    side = max(1, math.ceil(math.sqrt(cameras)))
    if side > 5:
        raise SystemExit("the wall's largest layout has 25 tiles")
    return str(side * side)


# ---------------------------------------------------------------- phase 1: the wall


def wall_phase(
    urls: dict[str, str],
    server_pids: list[int],
    *,
    size: tuple[int, int],
    interval_ms: int,
    seconds: float,
    warmup_s: float,
) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from console.views.camera_wall import CameraWall

    app = QApplication.instance() or QApplication([])
    assert app is not None

    def pump(duration_s: float) -> None:
        loop = QEventLoop()
        quit_timer = QTimer()
        quit_timer.setSingleShot(True)
        quit_timer.setTimerType(Qt.TimerType.PreciseTimer)
        quit_timer.timeout.connect(loop.quit)
        quit_timer.start(round(duration_s * 1000))
        loop.exec()

    layout = _grid_for(len(urls))
    wall = CameraWall(layout=layout, interval_ms=interval_ms)
    try:
        figures = _measure_wall(wall, urls, server_pids, size, seconds, warmup_s, pump)
    finally:
        joined = wall.shutdown(10)
        wall.deleteLater()
        pump(0.1)
    figures["threads_joined"] = joined
    return {"layout": layout, "interval_ms": interval_ms, **figures}


def _measure_wall(  # noqa: PLR0917 - one caller, in this file
    wall: CameraWall,
    urls: dict[str, str],
    server_pids: list[int],
    size: tuple[int, int],
    seconds: float,
    warmup_s: float,
    pump: Callable[[float], None],
) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    from console.views.camera_wall import WallCamera

    wall.resize(*size)
    wall.show()
    began = time.monotonic()
    for index, (camera_id, url) in enumerate(urls.items()):
        wall.assign(index, WallCamera(camera_id, camera_id, url, url))
    tiles = wall.tiles()[: len(urls)]
    while not all(t.painted_frame is not None for t in tiles):
        if time.monotonic() - began > 60:
            raise SystemExit(f"not every tile showed a frame within 60 s: {wall.states()}")
        pump(0.05)
    all_live_s = time.monotonic() - began
    pump(warmup_s)

    proc = psutil.Process()
    last = [t.painted_frame for t in tiles]
    shown = [0] * len(tiles)
    capture_to_paint, source_to_paint, gaps = Histogram(), Histogram(), Histogram()
    rss: list[int] = [proc.memory_info().rss]
    first_gap = True
    clock = QElapsedTimer()

    def probe() -> None:
        nonlocal first_gap
        if not first_gap:
            gaps.add(clock.nsecsElapsed() / 1e6)
        first_gap = False
        clock.restart()
        for i, tile_widget in enumerate(tiles):
            frame = tile_widget.painted_frame
            if frame is None or frame is last[i]:
                continue
            last[i] = frame
            shown[i] += 1
            painted = tile_widget.painted_at
            capture_to_paint.add((painted - frame.captured_at) * 1000)
            stamp = read_stamp(frame.image)
            age = None if stamp is None else stamp_age_ms(stamp, painted)
            if age is not None:
                source_to_paint.add(age)

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    sampler = QTimer()
    sampler.setInterval(round(RSS_EVERY_S * 1000))
    sampler.timeout.connect(lambda: rss.append(proc.memory_info().rss))
    decoded = [wall.feeds.frames_decoded(c) for c in urls]
    paints = sum(t.paint_count for t in tiles)
    cpu, server_cpu = _cpu_s([proc.pid]), _cpu_s(server_pids)
    start = time.monotonic()
    clock.start()
    timer.start()
    sampler.start()
    pump(seconds)
    timer.stop()
    sampler.stop()
    elapsed = time.monotonic() - start
    cpu, server_cpu = _cpu_s([proc.pid]) - cpu, _cpu_s(server_pids) - server_cpu
    rss.append(proc.memory_info().rss)
    decoded_fps = [
        (wall.feeds.frames_decoded(c) - d) / elapsed for c, d in zip(urls, decoded, strict=True)
    ]
    paints = sum(t.paint_count for t in tiles) - paints
    live = sum(s.state.value == "live" for s in wall.states().values())
    tile_size = tiles[0].size()
    shown_fps = [n / elapsed for n in shown]
    return {
        "tile": f"{tile_size.width()}x{tile_size.height()}",
        "seconds": round(elapsed, 1),
        "all_live_s": round(all_live_s, 2),
        "live": live,
        "displayed_fps_min": round(min(shown_fps), 2),
        "displayed_fps_median": round(statistics.median(shown_fps), 2),
        "decoded_fps_median": round(statistics.median(decoded_fps), 2),
        "tile_paints_per_s": round(paints / elapsed, 1),
        "cpu_pct": round(cpu / elapsed * 100, 1),
        "server_cpu_pct": round(server_cpu / elapsed * 100, 1),
        "gui_tick_gap_ms_p99": gaps.percentile(99),
        "gui_tick_gap_ms_max": gaps.percentile(100),
        "gui_stall_ms_max": None if not gaps.count else round(gaps.largest - PROBE_MS, 1),
        "capture_to_paint_ms_median": capture_to_paint.percentile(50),
        "capture_to_paint_ms_p95": capture_to_paint.percentile(95),
        "source_to_paint_ms_median": source_to_paint.percentile(50),
        "source_to_paint_ms_p95": source_to_paint.percentile(95),
        "stamps_read": source_to_paint.count,
        "rss_mb_first": round(rss[0] / 2**20, 1),
        "rss_mb_last": round(rss[-1] / 2**20, 1),
        "rss_mb_max": round(max(rss) / 2**20, 1),
        "rss_samples": len(rss),
        "rss_mb_each_minute": [round(r / 2**20, 1) for r in rss[:: round(60 / RSS_EVERY_S)]],
    }


# ---------------------------------------------------------------- phase 2: the ceiling


def ceiling_phase(
    urls: dict[str, str], server_pids: list[int], *, seconds: float, warmup_s: float
) -> dict[str, Any]:
    """Plain OpenCV, one thread per stream, decode and drop: what the wall is measured by."""
    import cv2

    stop = threading.Event()
    measuring = threading.Event()
    counts = [0] * len(urls)
    ages = Histogram()
    ages_lock = threading.Lock()
    failures: list[str] = []

    def read(index: int, url: str) -> None:
        capture = cv2.VideoCapture(
            url,
            cv2.CAP_FFMPEG,
            [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 10000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 5000,
             cv2.CAP_PROP_N_THREADS, 1],
        )  # fmt: skip
        try:
            while not stop.is_set():
                ok, image = capture.read()
                if not ok or image is None:
                    failures.append(url)
                    return
                counts[index] += 1
                if measuring.is_set():
                    stamp = read_stamp(cast(Image, image))
                    age = None if stamp is None else stamp_age_ms(stamp, time.time())
                    if age is not None:
                        with ages_lock:
                            ages.add(age)
        finally:
            capture.release()

    threads = [
        threading.Thread(target=read, args=(i, url), name=f"bench-ceiling-{i}", daemon=True)
        for i, url in enumerate(urls.values())
    ]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    while not all(counts) and time.monotonic() - began < 60 and not failures:
        time.sleep(0.05)
    all_live_s = time.monotonic() - began
    time.sleep(warmup_s)
    proc = psutil.Process()
    before = list(counts)
    cpu, server_cpu = _cpu_s([proc.pid]), _cpu_s(server_pids)
    start = time.monotonic()
    measuring.set()
    time.sleep(seconds)
    elapsed = time.monotonic() - start
    after = list(counts)
    cpu, server_cpu = _cpu_s([proc.pid]) - cpu, _cpu_s(server_pids) - server_cpu
    stop.set()
    for thread in threads:
        thread.join(10)
    fps = [(a - b) / elapsed for a, b in zip(after, before, strict=True)]
    return {
        "seconds": round(elapsed, 1),
        "all_live_s": round(all_live_s, 2),
        "failed_streams": len(set(failures)),
        "fps_min": round(min(fps), 2),
        "fps_median": round(statistics.median(fps), 2),
        "cpu_pct": round(cpu / elapsed * 100, 1),
        "server_cpu_pct": round(server_cpu / elapsed * 100, 1),
        "source_to_decode_ms_median": ages.percentile(50),
        "source_to_decode_ms_p95": ages.percentile(95),
    }


# ---------------------------------------------------------------- main


def run(args: argparse.Namespace) -> dict[str, Any]:
    from console.video.capture import configure_ffmpeg_env

    configure_ffmpeg_env()  # before cv2 is imported, as the app does

    import cv2

    result: dict[str, Any] = {
        "benchmark": "camera_wall",
        "source": args.source,
        "cameras": args.cameras,
        "cpus": os.cpu_count(),
        "opencv": cv2.__version__,
    }
    cameras: MjpegCameras | H264Cameras
    if args.source == "h264":
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            result["skipped"] = "no ffmpeg CLI to serve H.264 (apt-get install ffmpeg)"
            return result
        result["transport"] = "H.264 MPEG-TS over HTTP (ffmpeg -re -c copy -listen 1)"
        result["stream"] = f"{args.size} H.264 {args.fps:g} fps, GOP 2 s, 1 Mbit/s, no B-frames"
        folder = Path(tempfile.gettempdir()) / "hall-bench-camera-wall"
        folder.mkdir(exist_ok=True)
        cameras = H264Cameras(ffmpeg, args.cameras, args.size, args.fps, folder)
    elif args.source == "files":
        media = [Path(p) for p in args.media_file] or sorted(MEDIA.glob("*.mp4"))
        if not media:
            result["skipped"] = f"no clips in {MEDIA}"
            return result
        result["transport"] = "MJPEG over HTTP (MjpegCameraServer.add_file_camera), stamped"
        result["stream"] = "native size and rate: " + ", ".join(p.name for p in media)
        cameras = MjpegCameras("files", args.cameras, args.size, args.fps, media)
    else:
        result["transport"] = "MJPEG over HTTP (MjpegCameraServer demo cameras), stamped"
        result["stream"] = f"{args.size} MJPEG {args.fps:g} fps"
        cameras = MjpegCameras("demo", args.cameras, args.size, args.fps, [])
    try:
        soak = args.minutes is not None
        seconds = args.minutes * 60 if soak else args.seconds
        width, height = (int(n) for n in args.wall.split("x"))
        result["wall"] = wall_phase(
            cameras.urls,
            cameras.pids(),
            size=(width, height),
            interval_ms=args.interval_ms,
            seconds=seconds,
            warmup_s=args.warmup,
        )
        if not soak:
            cameras.ready_for_next_phase()
            result["ceiling"] = ceiling_phase(
                cameras.urls, cameras.pids(), seconds=args.seconds, warmup_s=args.warmup
            )
            wall, ceiling = result["wall"], result["ceiling"]
            result["ratio_displayed_fps"] = round(
                wall["displayed_fps_median"] / max(0.01, ceiling["fps_median"]), 3
            )
            result["ratio_displayed_fps_min"] = round(
                wall["displayed_fps_min"] / max(0.01, ceiling["fps_min"]), 3
            )
            result["ratio_cpu"] = round(wall["cpu_pct"] / max(0.1, ceiling["cpu_pct"]), 2)
    finally:
        cameras.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.bench_camera_wall")
    parser.add_argument("--source", choices=("demo", "h264", "files"), default="demo")
    parser.add_argument("--cameras", type=int, help="default 16 (4 for --source files)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per phase")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--minutes", type=float, help="soak the wall this long; no ceiling")
    parser.add_argument("--size", default="640x360", help="demo stream size")
    parser.add_argument("--fps", type=float, default=25.0)
    parser.add_argument("--wall", default="1280x720", help="the wall's size (16 tiles: 320x180)")
    parser.add_argument("--interval-ms", type=int, default=30, help="the wall's paint timer")
    parser.add_argument("--media-file", action="append", default=[], help="clip for files")
    parser.add_argument("--serve", choices=("demo", "files"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cameras is None:
        args.cameras = 4 if args.source == "files" or args.serve == "files" else 16
    if args.serve is not None:
        serve(args.serve, args.cameras, args.size, args.fps, [Path(p) for p in args.media_file])
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(run(args), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
