"""The demo desk's cameras: served on loopback from start-up, in the registry with this run's
URLs, readable through OpenCV like a real camera, and gone when the console quits."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from console import credentials
from console.app import ConsoleApp, parse_args
from console.hall.accounts import HasherCost, configure_hasher
from console.hall.cameras import demo_cameras, list_cameras, stream_urls
from console.settings import Settings
from console.video.capture import configure_ffmpeg_env
from console.workers.demo_cameras import (
    MAIN_SUFFIX,
    THREAD_PREFIX,
    DemoCameras,
    DemoCamerasClosed,
    demo_seed,
)
from tests.conftest import pg_database

configure_ffmpeg_env()

import cv2  # noqa: E402 - after FFmpeg's environment, as the app does it

StartApp = Callable[[list[str]], ConsoleApp]


def _registry_ids() -> list[str]:
    return [c.id for c in demo_cameras(lambda _id: ("http://127.0.0.1/cam/x.mjpg", None))]


def _demo_threads() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX))


def _read_frame(url: str) -> tuple[int, int]:
    """(width, height) of the first frame OpenCV reads from the URL."""
    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
    try:
        assert capture.isOpened(), url
        ok, image = capture.read()
        assert ok and image is not None
        return image.shape[1], image.shape[0]
    finally:
        capture.release()


@pytest.fixture
def start_app(qtbot: QtBot) -> Iterator[StartApp]:
    configure_hasher(HasherCost(time_cost=1, memory_cost=1024, parallelism=1))
    started: list[ConsoleApp] = []

    def start(argv: list[str]) -> ConsoleApp:
        app = ConsoleApp(parse_args(argv), Settings())
        qtbot.addWidget(app.window)
        app.start()
        started.append(app)
        return app

    yield start
    for app in started:
        if app.sign_in_dialog is not None:
            app.sign_in_dialog.done(0)
        app.quit()
    configure_hasher()


def test_the_demo_serves_its_registry_and_quitting_stops_the_server(
    qtbot: QtBot, start_app: StartApp
) -> None:
    app = start_app(["--demo"])
    ids = _registry_ids()
    assert len(ids) == 24

    def seeded() -> bool:
        cameras = app.demo_cameras
        if app.link is None or cameras is None or cameras.base_url is None:
            return False
        registry = list_cameras(app.link.session_factory)
        prefix = cameras.base_url + "/cam/"
        urls = {c.id: (c.main_url, c.sub_url) for c in registry}
        wanted = {i: (f"{prefix}{i}{MAIN_SUFFIX}.mjpg", f"{prefix}{i}.mjpg") for i in ids}
        return urls == wanted

    qtbot.waitUntil(seeded, timeout=30_000)
    # The simulator too: a quit while it starts would leave it running (see the report).
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=30_000)
    assert app.link is not None
    # Nobody watches yet: the server only listens, no camera is being drawn.
    assert _demo_threads() == [THREAD_PREFIX + "accept"]

    urls = stream_urls(app.link.session_factory, ids[0])
    assert urls.sub_url is not None
    assert _read_frame(urls.sub_url) == (640, 360)
    assert _read_frame(urls.main_url) == (1280, 720)

    app.quit()
    assert app.demo_cameras is None
    assert _demo_threads() == []


@pytest.mark.pg
def test_a_desk_on_the_hall_database_starts_no_demo_cameras(
    qtbot: QtBot, start_app: StartApp, pg_url: str
) -> None:
    with pg_database(pg_url) as url:
        credentials.store_database_password(url, "kept-in-keyring")
        app = start_app(["--db", url])
        qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=30_000)
        assert app.link is not None
        assert app.demo_cameras is None
        assert list_cameras(app.link.session_factory) == []
        assert _demo_threads() == []
        app.sign_in_dialog.done(0)
        app.quit()


def test_every_start_rewrites_the_registry_urls(session_factory: sessionmaker[Session]) -> None:
    earlier = DemoCameras()
    try:
        first = earlier.start(session_factory)
        assert (first.added, first.updated) == (24, 0)
        old_base = earlier.base_url
    finally:
        earlier.close()
    assert _demo_threads() == []

    later = DemoCameras()
    try:
        second = later.start(session_factory)
        assert (second.added, second.updated) == (0, 24)
        base = later.base_url
        assert base is not None
        assert old_base is not None  # the port may come round again; the URLs are rewritten anyway
        for camera_id in _registry_ids():
            urls = stream_urls(session_factory, camera_id)
            assert urls.sub_url == f"{base}/cam/{camera_id}.mjpg"
            assert urls.main_url == f"{base}/cam/{camera_id}{MAIN_SUFFIX}.mjpg"
        assert sorted(later.camera_ids()) == sorted(_registry_ids())
    finally:
        later.close()
    assert _demo_threads() == []


def test_a_quit_before_the_start_leaves_nothing_running(
    session_factory: sessionmaker[Session],
) -> None:
    cameras = DemoCameras()
    cameras.close()
    with pytest.raises(DemoCamerasClosed):
        cameras.start(session_factory)
    assert not cameras.running
    assert list_cameras(session_factory) == []
    assert _demo_threads() == []


def test_each_camera_has_its_own_scene_and_both_streams_share_it() -> None:
    ids = _registry_ids()
    assert len({demo_seed(i) for i in ids}) == len(ids)
    # The server's default seed (the sum of the id's bytes) would repeat here.
    assert len({sum(i.encode()) for i in ids}) < len(ids)
