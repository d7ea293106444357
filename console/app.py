"""Start-up and shutdown: the command line, the window first, then the database, sign-in and
the seat. Heavy imports (SQLAlchemy, psycopg) happen off the GUI thread after the window is
up (perf-baseline §7). Quitting goes through one staged path: ask the seat whether it can
close, stop the feed and the workers, close the database, save the layout.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from console.i18n import LANGUAGES, install_translators
from console.paths import demo_database_url, log_dir
from console.settings import Settings, load_settings, save_settings
from console.views.main_window import MainWindow
from console.views.messages import describe_error
from console.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.cameras import ImportReport
    from console.hall.link import HallLink
    from console.integrations.sim import SimulatorServer
    from console.views.seat_session import SeatSession
    from console.workers.call_link import CallLink
    from console.workers.demo_cameras import DemoCameras
    from console.workers.gateway_link import GatewayLink

log = logging.getLogger("console.ui")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hall-console", description="Hall Console")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true", help="embedded SQLite demo hall (default)")
    mode.add_argument(
        "--db", metavar="URL", help="central database, postgresql+psycopg://user@host/db"
    )
    parser.add_argument("--seat", metavar="NAME", help="name of this desk, e.g. 接警-01")
    parser.add_argument(
        "--gateway", metavar="URL", help="the hall gateway (122 calls, SMS …); demo: built in"
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="user interface language (zh_CN default)")
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    admin = parser.add_mutually_exclusive_group()
    admin.add_argument(
        "--provision-insurer-role",
        metavar="ORG_ID",
        type=int,
        help="administrator: make (or give a new password to) the insurer's own database role "
        "for row-level security, store it in this computer's keyring, then exit",
    )
    admin.add_argument(
        "--store-insurer-role-password",
        metavar="ORG_ID",
        type=int,
        help="store the password of the insurer's database role at this seat, then exit",
    )
    args = parser.parse_args(argv)
    args.demo = not args.db
    return args


def setup_logging() -> None:
    """Named loggers per area into a rotating file in the user log folder, plus stderr."""
    root = logging.getLogger("console")
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    handler = RotatingFileHandler(
        log_dir() / "hall-console.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(formatter)
    root.addHandler(handler)
    stream = logging.StreamHandler()
    stream.setFormatter(formatter)
    root.addHandler(stream)


class ConsoleApp(QObject):
    """The program's life: open the hall, sign in, run a seat, sign out, quit."""

    def __init__(self, args: argparse.Namespace, settings: Settings) -> None:
        super().__init__()
        self.args = args
        self.settings = settings
        self.window = MainWindow()
        self.runner = TaskRunner(self, threads=2)
        self.link: HallLink | None = None
        # An insurer's claims seat works through its company's own database role (row-level
        # security, docs/isolation.md); None while no such seat runs.
        self.seat_link: HallLink | None = None
        self.simulator: SimulatorServer | None = None
        self.call_link: CallLink | None = None
        self.gateway_link: GatewayLink | None = None
        self.demo_cameras: DemoCameras | None = None
        self.submission_url = ""
        self.seat: SeatSession | None = None
        self.sign_in_dialog: Any = None
        self.window.message_page.retry_requested.connect(self.open_hall)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.switch_requested.connect(self.sign_out)
        self.window.close_requested.connect(self.quit)

    def start(self) -> None:
        self.window.show()
        QTimer.singleShot(0, self.open_hall)

    # -- the database -----------------------------------------------------------------------
    def database_url(self) -> str:
        return demo_database_url() if self.args.demo else str(self.args.db)

    def open_hall(self) -> None:
        self.window.show_message(self.tr("Opening the hall database…"))
        password: str | None = None
        if not self.args.demo:
            try:
                password = self.hall_password()
            except Exception as exc:
                self.window.show_message(describe_error(exc), can_retry=True)
                return
            if password is None:
                self.window.show_message(
                    self.tr("A database password is needed to open the hall."), can_retry=True
                )
                return
        from console.hall.link import open_hall

        self.runner.submit(
            open_hall,
            self.database_url(),
            password=password,
            demo=self.args.demo,
            on_done=self.hall_opened,
            on_failed=self.hall_failed,
        )

    def hall_password(self) -> str | None:
        """From the OS keyring; on first run ask once and store it there (never in a file)."""
        from console import credentials

        url = self.database_url()
        stored = credentials.database_password(url)
        if stored is not None:
            return stored
        typed, ok = QInputDialog.getText(
            self.window,
            self.tr("Database password"),
            self.tr("Password for {url} (kept in the system keyring):").format(url=url),
            QLineEdit.EchoMode.Password,
        )
        if not ok or not typed:
            return None
        credentials.store_database_password(url, typed)
        return typed

    def hall_opened(self, link: HallLink) -> None:
        self.link = link
        if self.args.demo:
            self.start_demo_cameras(link)
        if self.args.demo and not self.args.gateway:
            self.window.show_message(self.tr("Starting the demo hall's gateway simulator…"))
            self.runner.submit(
                start_demo_simulator,
                on_done=self.simulator_started,
                on_failed=self.simulator_failed,
            )
            return
        self.gateway_ready(self.args.gateway or self.settings.gateway_url or None)

    def simulator_started(self, simulator: SimulatorServer) -> None:
        self.simulator = simulator
        self.submission_url = simulator.base_url
        self.gateway_ready(simulator.base_url)

    def simulator_failed(self, error: BaseException) -> None:
        """The demo still works without calls: the status bar says the link is missing."""
        log.warning("demo gateway simulator did not start: %s", error)
        self.gateway_ready(None)

    def start_demo_cameras(self, link: HallLink) -> None:
        """Serve the demo registry's cameras on loopback and point the registry at them; in
        the background, so sign-in does not wait for it."""
        if self.demo_cameras is not None:
            return
        from console.workers.demo_cameras import DemoCameras

        cameras = DemoCameras()
        self.demo_cameras = cameras
        self.runner.submit(
            cameras.start,
            link.session_factory,
            on_done=self.demo_cameras_started,
            on_failed=self.demo_cameras_failed,
        )

    def demo_cameras_started(self, report: ImportReport) -> None:
        total = report.added + report.updated + report.unchanged
        log.info("demo cameras ready: %d in the registry", total)

    def demo_cameras_failed(self, error: BaseException) -> None:
        """The demo still works without cameras: the wall's tiles say they are offline."""
        log.warning("demo cameras did not start: %s", error)
        cameras, self.demo_cameras = self.demo_cameras, None
        if cameras is not None:
            cameras.close()

    def gateway_ready(self, url: str | None) -> None:
        """Follow the gateway's calls (if there is one), then ask who is signing in."""
        if url and self.link is not None and self.call_link is None:
            from console.workers.call_link import CallLink
            from console.workers.gateway_link import GatewayLink

            self.call_link = CallLink(url, self.link.session_factory, self)
            self.call_link.start()
            simulator = self.simulator
            self.gateway_link = GatewayLink(
                url,
                self.link.session_factory,
                self,
                # The demo's insurers are the simulator's: their keys, not the keyring's.
                insurer_key=simulator.insurers.key if simulator is not None else None,
            )
            self.gateway_link.start()
        if self.args.quit_when_ready:
            self.quit()
            return
        self.show_sign_in()

    def hall_failed(self, error: BaseException) -> None:
        from console.db.engine import DatabaseUnavailable

        log.warning("hall database unavailable: %s", error)
        if isinstance(error, DatabaseUnavailable):
            text = self.tr(
                "The hall database cannot be opened: {url} does not answer.\n"
                "Check the network cable and the database server, then retry.\n\n{detail}"
            ).format(url=error.url, detail=str(error).split(": ", 1)[-1])
        else:
            text = self.tr("The hall database cannot be opened.") + "\n" + describe_error(error)
        self.window.show_message(text, can_retry=True)

    # -- sign-in ----------------------------------------------------------------------------
    def show_sign_in(self, *, problem: str | None = None) -> None:
        """The sign-in dialog; `problem`, why the last sign-in did not open a seat, stays on
        the page behind it and in the dialog."""
        from console.views.sign_in import SignInDialog

        link = self.link
        assert link is not None
        self.window.show_message(problem or self.tr("Please sign in."))
        dialog = SignInDialog(
            self.runner,
            lambda username: _positions_of(link, username),
            lambda username, password, position, seat: _sign_in(
                link, username, password, position, seat
            ),
            username=self.settings.last_username,
            position=self.settings.last_position,
            seat=self.args.seat or self.settings.last_seat or _default_seat(),
            parent=self.window,
        )
        dialog.signed_in.connect(self.signed_in)
        dialog.rejected.connect(self.quit)
        self.sign_in_dialog = dialog
        if problem:
            dialog.message.setText(problem)
        dialog.open()

    def signed_in(self, actor: Actor) -> None:
        assert self.link is not None
        dialog, self.sign_in_dialog = self.sign_in_dialog, None
        if dialog is not None:
            self.settings.last_username = dialog.username.text().strip()
        self.settings.last_position = actor.position.value
        self.settings.last_seat = actor.seat
        save_settings(self.settings)
        if not _needs_company_role(self.link, actor):
            self.start_seat(actor, self.link)
            return
        self.window.show_message(self.tr("Connecting with your company's database role…"))
        self.runner.submit(
            _open_company_link,
            self.link,
            self.database_url(),
            actor,
            on_done=lambda link: self.company_link_opened(actor, link),
            on_failed=lambda error: self.company_link_failed(actor, error),
        )

    def company_link_opened(self, actor: Actor, link: HallLink) -> None:
        self.seat_link = link
        self.start_seat(actor, link)

    def company_link_failed(self, actor: Actor, error: BaseException) -> None:
        """Without its company's role a claims seat does not start: the hall's own connection
        would show it every company's cases. Sign out again and say what the admin must do."""
        log.warning("claims seat of organisation %s cannot connect: %s", actor.org_id, error)
        if self.link is not None:
            from console.hall.accounts import sign_out

            self.runner.submit(sign_out, self.link.session_factory, actor)
        url, org = self.database_url(), actor.org_id
        command = f"hall-console --db {url} --provision-insurer-role {org}"
        if isinstance(error, CompanyRoleMissing) and error.role is None:
            text = self.tr(
                "Your company has no database role in this hall yet, so its claims seat "
                "cannot open. Ask the hall's administrator to run:\n{command}"
            ).format(command=command)
        elif isinstance(error, CompanyRoleMissing):
            text = self.tr(
                "The password of your company's database role {role} is not stored on this "
                "computer. Ask the hall's administrator to run on this computer:\n{command}\n"
                "or, with the password given when the role was made:\n{store}"
            ).format(
                role=error.role,
                command=command,
                store=f"hall-console --db {url} --store-insurer-role-password {org}",
            )
        else:
            text = self.tr(
                "Your company's database role cannot connect to the hall.\n{detail}"
            ).format(detail=describe_error(error))
        self.show_sign_in(problem=text)

    def start_seat(self, actor: Actor, link: HallLink) -> None:
        from console.views.seat_session import DEFAULT_LINK_BASE, SeatSession

        self.seat = SeatSession(
            actor,
            link,
            self.runner,
            self.window,
            self.settings,
            call_link=self.call_link,
            gateway_link=self.gateway_link,
            link_base=self.submission_url or self.settings.submission_url or DEFAULT_LINK_BASE,
        )
        self.seat.start()

    def sign_out(self) -> None:
        if self.seat is None or not self.seat.can_close():
            return
        self.end_seat(audit=True)
        self.show_sign_in()

    def end_seat(self, *, audit: bool) -> None:
        seat, self.seat = self.seat, None
        if seat is None:
            return
        self.settings.layouts[seat.actor.seat] = self.window.current_layout()
        save_settings(self.settings)
        seat.stop()
        self.window.clear_workspace()
        seat.deleteLater()
        seat_link, self.seat_link = self.seat_link, None
        if seat_link is not None:
            seat_link.close()
        if audit and self.link is not None:
            from console.hall.accounts import sign_out

            self.runner.submit(sign_out, self.link.session_factory, seat.actor)

    # -- quitting ---------------------------------------------------------------------------
    def quit(self) -> None:
        """The one way out: the seat may veto (unsaved input), then stop in stages."""
        if self.seat is not None and not self.seat.can_close():
            return
        self.end_seat(audit=False)
        call_link, self.call_link = self.call_link, None
        gateway_link, self.gateway_link = self.gateway_link, None
        simulator, self.simulator = self.simulator, None
        for worker in (call_link, gateway_link):
            if worker is not None:
                worker.request_stop()
        if simulator is not None:
            simulator.stop()  # also ends the followers' long polls at once
        demo_cameras, self.demo_cameras = self.demo_cameras, None
        if demo_cameras is not None:
            demo_cameras.close()  # also safe while its start is still running
        for worker in (call_link, gateway_link):
            if worker is not None:
                worker.stop()
        self.runner.shutdown(timeout=5.0)
        if self.link is not None:
            self.link.close()
            self.link = None
        save_settings(self.settings)
        self.window.allow_close()
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()


DEMO_CALLS_PER_HOUR = 90.0


def start_demo_simulator() -> SimulatorServer:
    """The demo hall's gateway: the simulator on a free loopback port, so the demo console
    talks real HTTP. Busier than a real hall, so calls ring while someone tries it."""
    from console.integrations.sim import SimulatorServer

    simulator = SimulatorServer(calls_per_hour=DEMO_CALLS_PER_HOUR)
    simulator.start()
    return simulator


class CompanyRoleMissing(Exception):  # noqa: N818 - what the seat lacks
    """A claims seat's company has no database role (`role` None) or this computer's keyring
    has no password for it: the administrator's provisioning command has not run here."""

    def __init__(self, org_id: int | None, role: str | None) -> None:
        super().__init__(f"no database role password for organisation {org_id} ({role})")
        self.org_id = org_id
        self.role = role


def _needs_company_role(link: HallLink, actor: Actor) -> bool:
    """An insurer's claims seat in a PostgreSQL hall; the demo (SQLite) has no roles."""
    from console.domain.positions import Position

    return (
        not link.demo
        and link.engine.dialect.name == "postgresql"
        and actor.position is Position.CLAIMS
    )


def _open_company_link(link: HallLink, url: str, actor: Actor) -> HallLink:
    """Off the GUI thread: the company's role from the hall, its password from the keyring,
    then a connection as that role."""
    from console import credentials
    from console.db.org_roles import role_of
    from console.hall.link import open_role_link

    role = role_of(link.engine, actor.org_id) if actor.org_id is not None else None
    if role is None:
        raise CompanyRoleMissing(actor.org_id, None)
    password = credentials.org_role_password(url, role)
    if password is None:
        raise CompanyRoleMissing(actor.org_id, role)
    return open_role_link(url, role=role, password=password)


def _positions_of(link: HallLink, username: str) -> list[Position]:
    from console.hall.accounts import positions_of

    return positions_of(link.session_factory, username)


def _sign_in(link: HallLink, username: str, password: str, position: Position, seat: str) -> Actor:
    from console.hall.accounts import sign_in

    return sign_in(
        link.session_factory, username=username, password=password, position=position, seat=seat
    )


def _default_seat() -> str:
    return socket.gethostname().split(".")[0][:32] or "seat-1"


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.provision_insurer_role is not None:
        from console.admin import provision_insurer_role

        return provision_insurer_role(args.db, args.provision_insurer_role)
    if args.store_insurer_role_password is not None:
        from console.admin import store_insurer_role_password

        return store_insurer_role_password(args.db, args.store_insurer_role_password)
    setup_logging()
    # OpenCV reads FFmpeg's options once, at its first open: before any camera can open.
    from console.video.capture import configure_ffmpeg_env

    configure_ffmpeg_env()
    settings = load_settings()
    language = args.lang or settings.language
    settings.language = language
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Hall Console")
    app.setOrganizationName("HallConsole")
    install_translators(app, language)
    from console.workers.gui_thread import GuiThreadGarbageCollector

    collector = GuiThreadGarbageCollector(app)  # never on a worker thread (gui_thread.py)
    console_app = ConsoleApp(args, settings)
    console_app.start()
    try:
        return app.exec()
    finally:
        collector.stop()
