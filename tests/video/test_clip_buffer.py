"""Instant-replay ring, clip export and evidence hashes: bounded memory, clips that OpenCV
opens frame for frame, and a hash that catches a single changed byte."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.video.capture import CameraCapture, CapturePolicy, CaptureState
from console.video.clip_buffer import (
    ClipBuffer,
    ClipCancelled,
    ClipRecorder,
    NoFootage,
    sha256_file,
    snapshot_png,
    verify_sha256,
)
from console.video.demo_scene import DemoScene
from console.video.evidence_files import (
    evidence_name,
    save_snapshot,
    verify_manifest,
    write_mjpeg_avi,
)
from console.video.mjpeg_server import MjpegCameraServer


def jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return bytes(encoded.tobytes())


@contextmanager
def feeding(buffer: ClipBuffer, fps: float = 25.0) -> Iterator[None]:
    """A stand-in for the capture thread: live demo frames into the buffer, paced."""
    scene = DemoScene("CLIP", width=320, height=180, seed=5)
    stop = threading.Event()

    def feed() -> None:
        n = 0
        while not stop.is_set():
            frame = scene.render(n / fps)
            buffer.append(jpeg(frame), time.time(), (320, 180))
            n += 1
            stop.wait(1 / fps)

    thread = threading.Thread(target=feed, name="capture-test-feed")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(2)


def read_all(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    try:
        assert capture.isOpened()
        frames: list[np.ndarray] = []
        while True:
            ok, frame = capture.read()
            if not ok:
                return frames
            frames.append(frame)
    finally:
        capture.release()


# ---------------------------------------------------------------- the ring


def test_ring_is_bounded_by_seconds() -> None:
    ring = ClipBuffer("cam", seconds=2.0)
    for n in range(100):  # 10 s at 10 fps
        ring.append(b"x" * 100, 1000.0 + n / 10, (4, 4))
    assert ring.duration_s <= 2.0
    assert len(ring) == 21
    assert ring.frames()[0].captured_at == pytest.approx(1007.9)
    assert ring.newest_number == 100


def test_ring_is_bounded_by_bytes_but_keeps_the_newest_frame() -> None:
    ring = ClipBuffer("cam", seconds=60.0, max_bytes=10_000)
    for n in range(50):
        ring.append(b"x" * 1000, 1000.0 + n / 25, (4, 4))
    assert ring.nbytes <= 10_000
    assert len(ring) == 10
    ring.append(b"y" * 50_000, 1003.0, (4, 4))  # one huge frame
    assert len(ring) == 1
    assert ring.frames()[0].jpeg[:1] == b"y"


# ---------------------------------------------------------------- clips


def test_clip_keeps_before_and_after_and_opens_in_opencv(tmp_path: Path) -> None:
    ring = ClipBuffer("K123+400 东", seconds=5.0)
    recorder = ClipRecorder(ring, tmp_path)
    with feeding(ring):
        time.sleep(1.2)
        asked = time.time()
        clip = recorder.record(before_s=1.0, after_s=0.6, details={"case_no": "DY2026000123"})
        finished = time.time()
    assert clip.complete
    assert clip.missing_frames == 0
    assert asked - 1.0 <= clip.start <= asked - 0.7
    assert asked + 0.3 <= clip.end <= asked + 0.6
    assert finished >= asked + 0.6
    assert 20 <= clip.frames <= 42  # 1.6 s at 25 fps
    assert clip.size == (320, 180)
    assert clip.path.name.startswith("K123_400__") and clip.path.suffix == ".avi"
    assert not list(tmp_path.glob("*.part"))

    frames = read_all(clip.path)
    assert len(frames) == clip.frames
    assert frames[0].shape == (180, 320, 3)
    first_jpeg = ring.frames(since=clip.start)[0].jpeg
    original = cv2.imdecode(np.frombuffer(first_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert original is not None
    assert np.abs(frames[0].astype(int) - original.astype(int)).mean() < 2  # same JPEG

    manifest = json.loads(clip.manifest_path.read_text(encoding="utf-8"))
    assert manifest["sha256"] == clip.sha256
    assert manifest["file"] == clip.path.name
    assert manifest["frames"] == clip.frames
    assert manifest["case_no"] == "DY2026000123"
    assert len(manifest["frame_offsets_ms"]) == clip.frames
    assert manifest["frame_offsets_ms"][-1] == round((clip.end - clip.start) * 1000)


def test_clip_sha256_verifies_and_one_changed_byte_fails(tmp_path: Path) -> None:
    scene = DemoScene("CLIP", width=320, height=180, seed=2)
    jpegs = [jpeg(scene.render(n / 25)) for n in range(10)]
    clip = write_mjpeg_avi(tmp_path / "clip.avi", jpegs, width=320, height=180, fps=25)
    assert clip.sha256 == sha256_file(clip.path)
    assert verify_sha256(clip.path, clip.sha256)
    assert verify_sha256(clip.path, clip.sha256.upper())
    assert len(read_all(clip.path)) == 10

    data = bytearray(clip.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    clip.path.write_bytes(bytes(data))
    assert not verify_sha256(clip.path, clip.sha256)
    assert not verify_sha256(tmp_path / "gone.avi", clip.sha256)
    with pytest.raises(FileExistsError):
        write_mjpeg_avi(clip.path, jpegs, width=320, height=180, fps=25)


def test_manifest_verification_catches_a_changed_clip(tmp_path: Path) -> None:
    ring = ClipBuffer("cam7")
    for n in range(12):
        ring.append(jpeg(DemoScene(seed=1).render(n / 25)), 1000.0 + n / 25, (640, 360))
    clip = ClipRecorder(ring, tmp_path).record(before_s=10, after_s=0, at=1000.5, grace_s=0)
    assert clip.frames == 12
    assert verify_manifest(clip.manifest_path)
    with clip.path.open("r+b") as handle:
        handle.seek(-1, 2)
        last = handle.read(1)
        handle.seek(-1, 2)
        handle.write(bytes([last[0] ^ 0xFF]))
    assert not verify_manifest(clip.manifest_path)


def test_no_frames_is_no_footage_and_cancel_is_honoured(tmp_path: Path) -> None:
    recorder = ClipRecorder(ClipBuffer("cam"), tmp_path)
    with pytest.raises(NoFootage):
        recorder.record(before_s=1, after_s=0.1, grace_s=0.1)
    with pytest.raises(ClipCancelled):
        recorder.record(before_s=1, after_s=5, cancelled=lambda: True)
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- snapshots


def test_snapshot_is_lossless_full_resolution_png(tmp_path: Path) -> None:
    frame = DemoScene(width=1280, height=720, seed=9).render(12.0)
    png = snapshot_png(frame)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    back = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert np.array_equal(back, frame)

    saved = save_snapshot(frame, tmp_path, "cam 7", 1_800_000_000.25)
    assert saved.path.name == evidence_name("cam 7", 1_800_000_000.25, "png")
    assert saved.path.name.startswith("cam_7_") and ".250" in saved.path.name
    assert verify_sha256(saved.path, saved.sha256)
    with pytest.raises(FileExistsError):
        save_snapshot(frame, tmp_path, "cam 7", 1_800_000_000.25)


# ---------------------------------------------------------------- from a live capture


def test_capture_feeds_full_resolution_frames_to_the_ring_when_asked(
    server: MjpegCameraServer, fast_policy: CapturePolicy, tmp_path: Path
) -> None:
    ring = ClipBuffer("cam1", seconds=3.0)
    capture = CameraCapture("cam1", server.url("cam1"), target_size=(160, 90), policy=fast_policy)
    capture.start()
    try:
        assert capture.frames.wait_newer(0, 5) is not None
        assert len(ring) == 0  # not fed until this camera is in focus
        capture.set_clip_buffer(ring)
        clip = ClipRecorder(ring, tmp_path).record(before_s=0, after_s=0.5)
        assert capture.state.state is CaptureState.LIVE
        capture.set_clip_buffer(None)
        fed = len(ring)
        time.sleep(0.2)
        assert len(ring) == fed
    finally:
        assert capture.stop()
    assert clip.size == (320, 180)  # the stream's size, not the tile's
    assert 5 <= clip.frames <= 14  # 0.5 s at 25 fps
    assert verify_manifest(clip.manifest_path)
    assert all(f.shape == (180, 320, 3) for f in read_all(clip.path))
