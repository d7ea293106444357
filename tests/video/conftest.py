"""Fixtures for the video core: a loopback MJPEG camera server and short capture timeouts.

FFmpeg's environment must be set before OpenCV opens its first stream, as the app does it.
Real streams, real OpenCV, loopback only; every test here keeps to a few seconds.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from console.video.capture import CapturePolicy, configure_ffmpeg_env

configure_ffmpeg_env()

from console.video.mjpeg_server import MjpegCameraServer  # noqa: E402 - after the env

VIDEO_THREAD_PREFIXES = ("demo-cam-", "capture-")


@pytest.fixture(autouse=True)
def no_leaked_video_threads() -> Iterator[None]:
    """Every camera server and capture thread a test starts is joined by its end."""
    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 3
    while True:
        leaked = [
            t.name
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and t.name.startswith(VIDEO_THREAD_PREFIXES)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"video threads left running after the test: {leaked}"


@pytest.fixture
def server() -> Iterator[MjpegCameraServer]:
    """Two demo cameras, 320x180 at 25 fps."""
    with MjpegCameraServer() as srv:
        srv.add_demo_camera("cam1", width=320, height=180, seed=1)
        srv.add_demo_camera("cam2", width=320, height=180, seed=2)
        yield srv


@pytest.fixture
def fast_policy() -> CapturePolicy:
    """Timeouts short enough that a failure plays out in a second or two."""
    return CapturePolicy(
        open_timeout_s=1.0,
        read_timeout_s=1.0,
        stall_s=0.4,
        hang_grace_s=0.6,
        backoff_base_s=0.05,
        backoff_cap_s=0.3,
        jitter=0.5,
        max_attempts=3,
        stable_s=0.3,
        offline_retry_s=None,
        watch_interval_s=0.05,
    )


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
