"""Fixtures for the video core: a loopback MJPEG camera server and short capture timeouts.

FFmpeg's environment must be set before OpenCV opens its first stream, as the app does it.
Real streams, real OpenCV, loopback only; every test here keeps to a few seconds. Leaked
camera threads (`demo-cam-`, `capture-`) fail the test through the root conftest.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from console.video.capture import CapturePolicy, configure_ffmpeg_env

configure_ffmpeg_env()

from console.video.mjpeg_server import MjpegCameraServer  # noqa: E402 - after the env


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
