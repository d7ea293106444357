"""Status bar pieces: who is signed in where, and how live the hall's data is."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from console.db.feed import FeedState, FeedStatus
from console.hall.actor import Actor
from console.integrations.http import LinkState, LinkStatus
from console.views.labels import position_label

COLOURS = {"ok": "#2e7d32", "warn": "#ef6c00", "bad": "#c62828", "idle": "#757575"}


def _dot(colour: str) -> str:
    return f"<span style='color:{COLOURS[colour]}'>●</span>"


class ConnectionStatus(QLabel):
    """Database and change feed: live / reconnecting / lost, and the age of the newest data.

    Refreshes its wording once a second so "updated 5 s ago" stays true without events."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection_status")
        self._database = database
        self._status: FeedStatus | None = None
        self._opened_at = time.time()
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render)
        self._tick.start()
        self._render()

    def set_feed_status(self, status: FeedStatus) -> None:
        self._status = status
        self._render()

    def _render(self) -> None:
        status = self._status
        db = self.tr("Database: {name}").format(name=self._database)
        if status is None or status.state in (FeedState.STARTING, FeedState.STOPPED):
            feed = _dot("idle") + " " + self.tr("Change feed: starting")
        elif status.state is FeedState.LIVE:
            feed = _dot("ok") + " " + self.tr("Change feed: live")
        elif status.state is FeedState.RECONNECTING:
            feed = _dot("warn") + " " + self.tr("Change feed: reconnecting…")
        else:
            feed = _dot("bad") + " " + self.tr("Change feed: lost, retrying")
        fresh = ""
        if status is not None and status.last_event_at is not None:
            age = max(0, int(time.time() - status.last_event_at))
            fresh = " · " + self.tr("last change {age} ago").format(age=self._age(age))
        self.setText(f"{_dot('ok')} {db}   {feed}{fresh}")
        if status is not None and status.detail and status.state is not FeedState.LIVE:
            self.setToolTip(status.detail)
        else:
            self.setToolTip("")

    def _age(self, seconds: int) -> str:
        if seconds < 60:
            return self.tr("{n} s").format(n=seconds)
        if seconds < 3600:
            return self.tr("{n} min").format(n=seconds // 60)
        return self.tr("{n} h").format(n=seconds // 3600)


class CallLinkStatus(QLabel):
    """The 122 call link: live, slow, or lost and reconnecting (with the last error as tip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_link_status")
        self.set_status(None)

    def set_status(self, status: LinkStatus | None) -> None:
        if status is None:
            self.setText(_dot("idle") + " " + self.tr("Call link: not configured"))
            self.setToolTip("")
            return
        if status.state is LinkState.UP:
            text = _dot("ok") + " " + self.tr("Call link: live")
        elif status.state is LinkState.DEGRADED:
            text = _dot("warn") + " " + self.tr("Call link: slow")
        else:
            text = _dot("bad") + " " + self.tr("Call link lost, reconnecting…")
        self.setText(text)
        self.setToolTip(status.last_error or "")


class GatewayStatus(QLabel):
    """Uploads, record checks and SMS: one dot, naming the links that are down or slow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gateway_status")
        self.set_statuses([])

    def set_statuses(self, statuses: list[LinkStatus]) -> None:
        if not statuses:
            self.setText(_dot("idle") + " " + self.tr("Gateway: not configured"))
            self.setToolTip("")
            return
        names = {
            "submissions": self.tr("uploads"),
            "lookups": self.tr("records"),
            "sms": self.tr("SMS"),
            "insurers": self.tr("insurers"),
            "checkpoints": self.tr("checkpoints"),
        }
        down = [names.get(s.link, s.link) for s in statuses if s.state is LinkState.DOWN]
        slow = [names.get(s.link, s.link) for s in statuses if s.state is LinkState.DEGRADED]
        if down:
            text = (
                _dot("bad")
                + " "
                + self.tr("Gateway lost: {links}, retrying").format(links="、".join(down))
            )
        elif slow:
            text = (
                _dot("warn") + " " + self.tr("Gateway slow: {links}").format(links="、".join(slow))
            )
        else:
            text = _dot("ok") + " " + self.tr("Gateway: live")
        self.setText(text)
        self.setToolTip("\n".join(f"{s.link}: {s.last_error}" for s in statuses if s.last_error))


class IdentityLabel(QLabel):
    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identity")
        self.setText(
            self.tr("{name} · {position} · seat {seat}").format(
                name=actor.display_name, position=position_label(actor.position), seat=actor.seat
            )
        )


def build_status_bar(bar: QStatusBar, actor: Actor, database: str) -> ConnectionStatus:
    """Fill the window's status bar; returns the connection widget to feed status into."""
    bar.addWidget(IdentityLabel(actor, bar))
    connection = ConnectionStatus(database, bar)
    bar.addPermanentWidget(connection)
    return connection
