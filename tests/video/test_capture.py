"""CameraCapture against real MJPEG streams on loopback: it recovers by itself, gives up with a
reason, pauses for real, keeps one frame of the tile's size, and never logs a password."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import cv2
import numpy as np
import pytest

from console.video.capture import (
    CameraCapture,
    CameraState,
    CapturePolicy,
    CaptureState,
    Frame,
    NewestFrame,
    diagnose_open_failure,
    fit_size,
    redact_url,
)
from console.video.mjpeg_server import CameraFault, MjpegCameraServer


class StateLog:
    """Every state a capture reported, with a way to wait for one."""

    def __init__(self) -> None:
        self.states: list[CameraState] = []
        self._cond = threading.Condition()

    def __call__(self, state: CameraState) -> None:
        with self._cond:
            self.states.append(state)
            self._cond.notify_all()

    def wait_for(self, wanted: CaptureState, timeout_s: float, *, after: int = 0) -> CameraState:
        """The first state `wanted` reported after the first `after` states."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                for state in self.states[after:]:
                    if state.state is wanted:
                        return state
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(s.state.value, s.attempt, s.message) for s in self.states]
                    raise AssertionError(f"no {wanted.value} within {timeout_s} s; saw {seen}")
                self._cond.wait(left)

    def kinds(self) -> list[CaptureState]:
        with self._cond:
            return [s.state for s in self.states]

    def __len__(self) -> int:
        with self._cond:
            return len(self.states)


@contextmanager
def capturing(
    url: str,
    policy: CapturePolicy,
    *,
    target_size: tuple[int, int] | None = (160, 90),
    camera_id: str = "cam",
) -> Iterator[tuple[CameraCapture, StateLog]]:
    states = StateLog()
    capture = CameraCapture(camera_id, url, target_size=target_size, policy=policy, on_state=states)
    capture.start()
    try:
        yield capture, states
    finally:
        assert capture.stop(timeout_s=5.0), "capture threads did not stop"


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# ---------------------------------------------------------------- recovery


def test_stream_that_dies_and_comes_back_returns_to_live_by_itself(
    server: MjpegCameraServer, fast_policy: CapturePolicy
) -> None:
    policy = replace(fast_policy, max_attempts=50)
    with capturing(server.url("cam1"), policy) as (capture, states):
        states.wait_for(CaptureState.LIVE, 5)
        died_at = len(states)
        server.stop_camera("cam1", CameraFault.REFUSE)
        reconnecting = states.wait_for(CaptureState.RECONNECTING, 3, after=died_at)
        assert reconnecting.attempt >= 1
        states.wait_for(CaptureState.RECONNECTING, 3, after=died_at + 1)  # the 503s
        assert capture.state.state is not CaptureState.LIVE
        frames_while_down = capture.frames_decoded

        server.start_camera("cam1")  # nobody touches the capture
        back = states.wait_for(CaptureState.LIVE, 5, after=died_at)
        assert back.attempt == 0
        assert capture.frames.wait_newer(frames_while_down, 2) is not None
    assert CaptureState.OFFLINE not in states.kinds()
    messages = [s.message for s in states.states if s.state is CaptureState.RECONNECTING]
    assert any("503" in m for m in messages), messages


def test_frozen_stream_is_stalled_then_live_again_without_reopening(
    server: MjpegCameraServer, fast_policy: CapturePolicy
) -> None:
    policy = replace(fast_policy, read_timeout_s=3.0)
    with capturing(server.url("cam1"), policy) as (_capture, states):
        states.wait_for(CaptureState.LIVE, 5)
        frozen_at = len(states)
        server.stop_camera("cam1", CameraFault.FREEZE)
        stalled = states.wait_for(CaptureState.STALLED, 2, after=frozen_at)
        assert stalled.message.startswith("no frame for")
        server.start_camera("cam1")
        states.wait_for(CaptureState.LIVE, 2, after=frozen_at)
        assert CaptureState.RECONNECTING not in states.kinds()[frozen_at:]


def test_url_that_never_answers_goes_offline_with_a_reason_and_stops_promptly(
    fast_policy: CapturePolicy,
) -> None:
    policy = replace(fast_policy, open_timeout_s=0.6, max_attempts=1)
    with MjpegCameraServer(unresponsive=True) as silent:
        silent.add_demo_camera("cam1")
        started = time.monotonic()
        with capturing(silent.url("cam1"), policy) as (capture, states):
            offline = states.wait_for(CaptureState.OFFLINE, 6)
            took = time.monotonic() - started
            assert offline.message == "no answer within 0.6 s"
            assert offline.attempt == 2
            assert took < 2 * (policy.open_timeout_s + policy.backoff_cap_s) + 1.5
            assert capture.frames.get() is None
            assert states.kinds()[:2] == [CaptureState.CONNECTING, CaptureState.RECONNECTING]
            capture.restart()  # the operator's "retry" while the camera still says nothing
            states.wait_for(CaptureState.CONNECTING, 2, after=len(states) - 1)
            time.sleep(0.2)  # now blocked inside OpenCV's open
            stopping = time.monotonic()
            assert capture.stop(timeout_s=policy.open_timeout_s + 1.0)
            assert time.monotonic() - stopping < policy.open_timeout_s + 1.0
            assert capture.state.state is CaptureState.STOPPED


def test_refused_port_goes_reconnecting_then_offline(
    closed_port: int, fast_policy: CapturePolicy
) -> None:
    url = f"http://127.0.0.1:{closed_port}/cam/x.mjpg"
    with capturing(url, fast_policy) as (_capture, states):
        offline = states.wait_for(CaptureState.OFFLINE, 5)
    kinds = states.kinds()
    assert kinds[0] is CaptureState.CONNECTING
    attempts = [s.attempt for s in states.states if s.state is CaptureState.RECONNECTING]
    assert attempts == [1, 2, 3]
    assert offline.attempt == 4
    assert offline.message == "connection refused"
    assert kinds[-1] is CaptureState.STOPPED


def test_wrong_password_is_offline_at_once_and_says_why(fast_policy: CapturePolicy) -> None:
    with MjpegCameraServer(credentials=("admin", "s3cret")) as guarded:
        guarded.add_demo_camera("cam1", width=320, height=180)
        url = guarded.url("cam1", user="admin", password="wrong")
        with capturing(url, fast_policy) as (_capture, states):
            offline = states.wait_for(CaptureState.OFFLINE, 3)
        assert offline.message == "HTTP 401 Unauthorized"
        assert CaptureState.RECONNECTING not in states.kinds()


def test_read_that_hangs_is_abandoned_by_the_watchdog(
    monkeypatch: pytest.MonkeyPatch, fast_policy: CapturePolicy
) -> None:
    """FFmpeg's read timeout is the first line; the watchdog is for when it does not fire."""
    release = threading.Event()
    opened: list[HangingCapture] = []

    class HangingCapture:
        def __init__(self, *args: object) -> None:
            self.reads = 0
            opened.append(self)

        def isOpened(self) -> bool:
            return True

        def read(self) -> tuple[bool, np.ndarray | None]:
            self.reads += 1
            if self.reads > 3:
                release.wait(10)  # a read stuck inside the decoder
                return False, None
            return True, np.zeros((90, 160, 3), np.uint8)

        def release(self) -> None:
            pass

    monkeypatch.setattr(cv2, "VideoCapture", HangingCapture)
    try:
        with capturing("http://127.0.0.1:9/hang.mjpg", fast_policy) as (_capture, states):
            states.wait_for(CaptureState.LIVE, 2)
            stalled = states.wait_for(CaptureState.STALLED, 2)
            assert stalled.attempt == 0
            reconnecting = states.wait_for(CaptureState.RECONNECTING, 3)
            assert "read hung" in reconnecting.message
            assert wait_until(lambda: len(opened) >= 2, 2), "no new session after abandoning"
            release.set()  # let the stuck reads return so every thread can be joined
    finally:
        release.set()


# ---------------------------------------------------------------- frames


def test_pause_stops_decoding_and_resume_restarts_it(
    server: MjpegCameraServer, fast_policy: CapturePolicy
) -> None:
    with capturing(server.url("cam2"), fast_policy) as (capture, states):
        states.wait_for(CaptureState.LIVE, 5)
        assert wait_until(lambda: capture.frames_decoded >= 5, 2)
        capture.pause()
        states.wait_for(CaptureState.PAUSED, 2)
        time.sleep(0.2)  # the last read in flight finishes
        paused_at = capture.frames_decoded
        time.sleep(0.6)  # 15 frames' worth at 25 fps
        assert capture.frames_decoded == paused_at
        assert wait_until(lambda: server.stats("cam2").clients == 0, 2), "capture not released"

        resumed_from = len(states)
        capture.resume()
        states.wait_for(CaptureState.LIVE, 3, after=resumed_from)
        assert wait_until(lambda: capture.frames_decoded >= paused_at + 5, 2)


def test_newest_frame_holder_keeps_one_frame_of_the_target_size_in_bgra(
    server: MjpegCameraServer, fast_policy: CapturePolicy
) -> None:
    with capturing(server.url("cam1"), fast_policy, target_size=(200, 100)) as (capture, _s):
        first = capture.frames.wait_newer(0, 5)
        assert first is not None
        time.sleep(0.4)  # ~10 frames arrive with nobody taking them
        assert len(capture.frames) == 1
        assert capture.frames.dropped >= 5
        newest = capture.frames.get()
        assert newest is not None
        assert newest.number > first.number
        assert newest.image.shape == (100, 200, 4)
        assert newest.image.dtype == np.uint8
        assert newest.image.flags["C_CONTIGUOUS"]
        assert newest.image.flags["OWNDATA"]
        assert newest.source_size == (320, 180)
        assert newest.size == (200, 100)
        assert abs(newest.captured_at - time.time()) < 2

        capture.set_target_size((400, 400), keep_aspect=True)  # the tile is maximised
        bigger = capture.frames.wait_newer(newest.number + 1, 2)
        assert bigger is not None
        assert bigger.size == (400, 225)
        full = capture.latest_full_frame()
        assert full is not None
        assert full[0].shape == (180, 320, 3)


def test_newest_frame_never_holds_more_than_one() -> None:
    holder = NewestFrame()
    image = np.zeros((2, 2, 4), np.uint8)
    for number in range(1, 101):
        holder.put(Frame(image, number, float(number), (2, 2)))
        assert len(holder) == 1
    assert holder.dropped == 99
    frame = holder.take()
    assert frame is not None
    assert frame.number == 100
    assert len(holder) == 0
    assert holder.take() is None
    assert holder.wait_newer(100, 0.05) is None


def test_fit_size_keeps_the_aspect_ratio() -> None:
    assert fit_size((1280, 720), (320, 320)) == (320, 180)
    assert fit_size((640, 480), (320, 180)) == (240, 180)


# ---------------------------------------------------------------- credentials


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://admin:s3cret@10.0.0.5:554/h264", "rtsp://***@10.0.0.5:554/h264"),
        ("rtsp://admin:p@ss@10.0.0.5/ch1", "rtsp://***@10.0.0.5/ch1"),
        ("http://user@cam.local/video.mjpg", "http://***@cam.local/video.mjpg"),
        ("http://cam.local/snap.cgi?user=a&password=s3cret&x=1", "http://cam.local/snap.cgi?user=a&password=***&x=1"),
        ("rtsp://10.0.0.5/h264", "rtsp://10.0.0.5/h264"),
        ("failed: rtsp://a:b@h/x and http://c:d@h2/", "failed: rtsp://***@h/x and http://***@h2/"),
    ],
)  # fmt: skip
def test_redact_url_hides_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_password_never_reaches_the_log_or_a_state(
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    fast_policy: CapturePolicy,
    closed_port: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Pa55-w0rd-xyz"
    with MjpegCameraServer(credentials=("admin", secret)) as guarded:
        guarded.add_demo_camera("cam1", width=320, height=180)
        good = guarded.url("cam1", user="admin", password=secret)
        with capturing(good, fast_policy) as (capture, states):
            states.wait_for(CaptureState.LIVE, 5)
            guarded.stop_camera("cam1")
            states.wait_for(CaptureState.RECONNECTING, 3)
            capture.switch_url(f"http://admin:{secret}@127.0.0.1:{closed_port}/cam/x.mjpg")
            states.wait_for(CaptureState.OFFLINE, 5)
            assert secret not in capture.url_redacted
        with capturing(guarded.url("cam1", user="admin", password=secret + "!"), fast_policy) as (
            _c,
            wrong,
        ):
            wrong.wait_for(CaptureState.OFFLINE, 3)
    everything = [s.message for s in states.states + wrong.states]
    everything += [r.getMessage() for r in caplog.records]
    everything += list(capfd.readouterr())  # OpenCV's and FFmpeg's own output as well
    assert any("***@127.0.0.1" in text for text in everything)
    leaks = [text for text in everything if secret in text]
    assert not leaks


def test_diagnosis_of_a_missing_file_is_permanent() -> None:
    message, permanent = diagnose_open_failure("/nonexistent/clip.mp4", 1.0)
    assert message == "file not found: /nonexistent/clip.mp4"
    assert permanent
