"""The loopback MJPEG camera server, spoken to over raw sockets and through OpenCV."""

from __future__ import annotations

import base64
import re
import socket
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.video.demo_scene import DemoScene
from console.video.mjpeg_server import BOUNDARY, CameraFault, MjpegCameraServer


def open_stream(
    server: MjpegCameraServer, path: str, *, auth: str | None = None, timeout_s: float = 3.0
) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout_s)
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if auth is not None:
        headers += f"Authorization: Basic {base64.b64encode(auth.encode()).decode()}\r\n"
    sock.sendall((headers + "\r\n").encode())
    return sock


class PartReader:
    """Reads an HTTP answer and then multipart parts from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def head(self) -> tuple[int, dict[str, str]]:
        lines = self._until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    def part(self) -> bytes:
        head = self._until(b"\r\n\r\n").decode("latin-1")
        assert head.lstrip("\r\n").startswith(f"--{BOUNDARY}")
        length = int(re.search(r"Content-Length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
        return self._exactly(length)


def read_parts(reader: PartReader, count: int) -> None:
    for _ in range(count):
        reader.part()


def test_camera_streams_multipart_jpeg_at_its_frame_rate(server: MjpegCameraServer) -> None:
    with open_stream(server, "/cam/cam1.mjpg") as sock:
        reader = PartReader(sock)
        status, headers = reader.head()
        assert status == 200
        assert headers["content-type"] == f"multipart/x-mixed-replace; boundary={BOUNDARY}"
        reader.part()  # the first may be waiting already
        began = time.monotonic()
        parts = [reader.part() for _ in range(10)]
        took = time.monotonic() - began
    assert 0.3 < took < 1.5  # 10 frames at 25 fps: 0.4 s (never faster: paced)
    image = cv2.imdecode(np.frombuffer(parts[-1], np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    assert image.shape == (180, 320, 3)
    assert len(set(parts)) == 10  # every part is a new picture


def test_unknown_camera_is_404_and_credentials_are_checked() -> None:
    with MjpegCameraServer(credentials=("admin", "s3cret")) as server:
        server.add_demo_camera("cam1", width=320, height=180)
        with open_stream(server, "/cam/nope.mjpg") as sock:
            assert PartReader(sock).head()[0] == 404
        with open_stream(server, "/cam/cam1.mjpg") as sock:
            status, headers = PartReader(sock).head()
            assert status == 401
            assert headers["www-authenticate"].startswith("Basic")
        with open_stream(server, "/cam/cam1.mjpg", auth="admin:wrong") as sock:
            assert PartReader(sock).head()[0] == 401
        with open_stream(server, "/cam/cam1.mjpg", auth="admin:s3cret") as sock:
            reader = PartReader(sock)
            assert reader.head()[0] == 200
            assert reader.part()[:2] == b"\xff\xd8"  # a JPEG


def test_a_camera_only_renders_while_somebody_watches(server: MjpegCameraServer) -> None:
    assert not server.stats("cam2").producing
    time.sleep(0.2)
    assert server.stats("cam2").frames_encoded == 0
    first, second = open_stream(server, "/cam/cam2.mjpg"), open_stream(server, "/cam/cam2.mjpg")
    with first, second:
        readers = [PartReader(first), PartReader(second)]
        for reader in readers:
            reader.head()
            reader.part()
        began, encoded = time.monotonic(), server.stats("cam2").frames_encoded
        for _ in range(10):
            for reader in readers:
                reader.part()
        rate = (server.stats("cam2").frames_encoded - encoded) / (time.monotonic() - began)
        assert server.stats("cam2").clients == 2
        assert rate < 30  # one producer for both clients, at 25 fps
    deadline = time.monotonic() + 3
    while server.stats("cam2").producing and time.monotonic() < deadline:
        time.sleep(0.05)
    stats = server.stats("cam2")
    assert not stats.producing
    assert stats.clients == 0
    time.sleep(0.2)
    assert server.stats("cam2").frames_encoded == stats.frames_encoded


def test_stopped_camera_drops_clients_and_refuses_or_holds_new_ones(
    server: MjpegCameraServer,
) -> None:
    with open_stream(server, "/cam/cam1.mjpg") as sock:
        reader = PartReader(sock)
        reader.head()
        reader.part()
        server.stop_camera("cam1", CameraFault.REFUSE)
        with pytest.raises(ConnectionError):
            read_parts(reader, 100)
    with open_stream(server, "/cam/cam1.mjpg") as sock:
        assert PartReader(sock).head()[0] == 503

    server.stop_camera("cam1", CameraFault.HANG)
    with open_stream(server, "/cam/cam1.mjpg", timeout_s=0.5) as sock:
        with pytest.raises(TimeoutError):
            sock.recv(1)
        server.start_camera("cam1")  # the held request is answered once the camera is back
        sock.settimeout(3)
        reader = PartReader(sock)
        assert reader.head()[0] == 200
        assert reader.part()[:2] == b"\xff\xd8"


def test_frozen_camera_keeps_the_connection_but_sends_nothing(
    server: MjpegCameraServer,
) -> None:
    with open_stream(server, "/cam/cam2.mjpg", timeout_s=0.6) as sock:
        reader = PartReader(sock)
        reader.head()
        reader.part()
        server.stop_camera("cam2", CameraFault.FREEZE)
        with pytest.raises(TimeoutError):
            read_parts(reader, 100)
        server.start_camera("cam2")
        sock.settimeout(3)
        reader.buffer = b""  # drop the part cut short by the freeze
        reader._until(b"\r\n\r\n")
        assert reader._exactly(2) == b"\xff\xd8"


def test_unresponsive_server_accepts_but_never_answers() -> None:
    with MjpegCameraServer(unresponsive=True) as server:
        server.add_demo_camera("cam1")
        with (
            open_stream(server, "/cam/cam1.mjpg", timeout_s=0.5) as sock,
            pytest.raises(TimeoutError),
        ):
            sock.recv(1)


def test_close_ends_every_thread_even_with_clients_connected() -> None:
    server = MjpegCameraServer().start()
    server.add_demo_camera("cam1", width=320, height=180)
    server.stop_camera("cam1", CameraFault.HANG)
    server.add_demo_camera("cam2", width=320, height=180)
    held = open_stream(server, "/cam/cam1.mjpg")
    live = open_stream(server, "/cam/cam2.mjpg")
    with held, live:
        PartReader(live).head()
        time.sleep(0.1)
        ours = [t for t in threading.enumerate() if t.name.startswith("demo-cam-")]
        assert {t.name for t in ours} >= {"demo-cam-accept", "demo-cam-cam2"}
        began = time.monotonic()
        server.close()
        assert time.monotonic() - began < 2
        assert not any(t.is_alive() for t in ours)


def test_a_video_file_can_be_a_camera_through_opencv(tmp_path: Path) -> None:
    # A file written here, so the test runs wherever the suite does (the shared 720p
    # footage is used by the wall benchmark).
    clip = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter.fourcc(*"MJPG"), 25.0, (1280, 720))
    assert writer.isOpened()
    scene = DemoScene("FILE", width=1280, height=720, seed=3)
    for n in range(30):
        writer.write(scene.render(n / 25))
    writer.release()
    with MjpegCameraServer() as server:
        url = server.add_file_camera("clip", clip, size=(640, 360))
        capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 3000])
        try:
            assert capture.isOpened()
            frames = [capture.read() for _ in range(5)]
        finally:
            capture.release()
    assert all(ok for ok, _ in frames)
    last = frames[-1][1]
    assert last is not None
    assert last.shape == (360, 640, 3)
