"""What every gateway client shares: sessions, timeouts, retries, payload checks, link health.

Each external system is one *link*. A link has its own `requests` sessions (one per thread,
since a `Session` is not safe to share across threads), connect and read timeouts, and
bounded retries with exponential backoff and jitter — but only for requests that may safely
happen twice: GET, PUT, DELETE, and POSTs that carry an `Idempotency-Key` the receiver
de-duplicates by. A POST without one is sent once; after a timeout nobody knows whether it
acted, so repeating it could answer a call twice or send an SMS twice.

Failures come in the two kinds STYLE.md asks for. The environment failing (refused
connection, timeout, 5xx) raises `GatewayUnavailable` and moves the link's `LinkHealth` to
DOWN, which the status bar shows until a later request gets through. A peer that answers
with something we cannot read raises `MalformedPayload`: it is logged and refused, never
passed on, and never allowed to kill the worker that asked.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import random
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger("console.net")


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


S = TypeVar("S", bound=_Sequenced)

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Statuses that say "not now" rather than "no": worth another try.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "hall-console/0.1"


# ---------------------------------------------------------------- errors


class GatewayError(Exception):
    """Something went wrong talking to an external system (`link` names which)."""

    def __init__(self, link: str, message: str) -> None:
        super().__init__(message)
        self.link = link
        self.message = message


class GatewayUnavailable(GatewayError):  # noqa: N818 - the name the panels catch
    """The external system could not be reached or did not answer in time: an environment
    failure. The panel that needs it shows a banner; the link recovers by itself."""

    def __init__(
        self, link: str, message: str, *, status: int | None = None, attempts: int = 1
    ) -> None:
        super().__init__(link, message)
        self.status = status
        self.attempts = attempts


class MalformedPayload(GatewayError):  # noqa: N818 - says what it is
    """The peer answered, but with a body that is not what the contract says. Refused."""

    def __init__(self, link: str, where: str, problem: str) -> None:
        super().__init__(link, f"{where}: {problem}")
        self.where = where
        self.problem = problem


class GatewayRejected(GatewayError):  # noqa: N818 - says what it is
    """The peer understood and said no (a 4xx answer), e.g. a call someone else answered.
    `code` is the contract's machine-readable `error` field, `body` the whole answer."""

    def __init__(
        self, link: str, status: int, code: str | None, body: Mapping[str, Any] | None
    ) -> None:
        super().__init__(link, f"HTTP {status}" + (f" {code}" if code else ""))
        self.status = status
        self.code = code
        self.body: Mapping[str, Any] = body or {}


# ---------------------------------------------------------------- link health


class LinkState(StrEnum):
    UP = "up"
    DEGRADED = "degraded"  # answering, but slowly, after retries, or with refused payloads
    DOWN = "down"  # unreachable; the next request is the reconnection attempt


@dataclass(frozen=True)
class LinkStatus:
    """One link's health as the status bar shows it."""

    link: str
    state: LinkState
    since: datetime
    last_error: str | None
    failures: int  # consecutive failed requests; 0 when UP

    @property
    def summary(self) -> str:
        """An English line for logs and the fallback status text (views translate by state)."""
        if self.state is LinkState.UP:
            return f"{self.link} link up"
        if self.state is LinkState.DEGRADED:
            return f"{self.link} link degraded: {self.last_error}"
        return f"{self.link} link lost, reconnecting… ({self.last_error})"


Listener = Callable[[LinkStatus], None]


class LinkHealth:
    """UP / DEGRADED / DOWN for one link, with the last error and since when.

    Listeners hear every change of state, on the thread whose request caused it (a Qt adapter
    re-emits it as a signal). A link that was never tried counts as UP: it has nothing to
    report yet, and the first request tells.
    """

    def __init__(self, link: str, *, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._status = LinkStatus(link, LinkState.UP, self._clock(), None, 0)

    @property
    def link(self) -> str:
        return self._status.link

    @property
    def status(self) -> LinkStatus:
        with self._lock:
            return self._status

    @property
    def state(self) -> LinkState:
        return self.status.state

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on every change of state; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def record_success(self) -> None:
        self._move(LinkState.UP, None, reset=True)

    def record_degraded(self, reason: str) -> None:
        self._move(LinkState.DEGRADED, reason)

    def record_down(self, reason: str) -> None:
        self._move(LinkState.DOWN, reason, failed=True)

    def _move(
        self, state: LinkState, reason: str | None, *, failed: bool = False, reset: bool = False
    ) -> None:
        with self._lock:
            old = self._status
            failures = 0 if reset else old.failures + (1 if failed else 0)
            changed = state is not old.state
            self._status = LinkStatus(
                old.link,
                state,
                self._clock() if changed else old.since,
                reason if reason is not None else old.last_error,
                failures,
            )
            status, listeners = self._status, list(self._listeners)
        if not changed:
            return
        if state is LinkState.DOWN:
            log.warning("%s", status.summary)
        elif state is LinkState.DEGRADED:
            log.info("%s", status.summary)
        else:
            log.info("%s link up again (was %s)", status.link, old.state.value)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                log.exception("link health listener failed")


# ---------------------------------------------------------------- policies


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect and to wait for the answer once connected."""

    connect_s: float = 3.0
    read_s: float = 5.0


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries of an idempotent request, waiting base·2ⁿ (capped) between
    them, jittered so twenty seats that lost the link together do not retry in step."""

    attempts: int = 3
    base_delay_s: float = 0.25
    max_delay_s: float = 4.0
    jitter: float = 0.5  # share of each delay that is random

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def delay_s(self, retry: int, rng: random.Random) -> float:
        """The pause before retry number `retry` (1 for the first retry)."""
        ceiling = min(self.max_delay_s, self.base_delay_s * 2.0 ** (retry - 1))
        return ceiling * (1 - self.jitter) + ceiling * self.jitter * rng.random()


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_idempotency_key() -> str:
    """A fresh key for one logical request; retries of it reuse the same key."""
    return uuid.uuid4().hex


# ---------------------------------------------------------------- payload checks


class JsonObject:
    """A JSON object read field by field against the contract.

    Each accessor checks presence and type and raises `MalformedPayload` naming the exact
    place (`events[3].call.lat: expected a number, got "abc"`), so a refused payload is
    easy to diagnose from the log without logging the personal data in it.
    """

    def __init__(self, value: object, where: str, link: str) -> None:
        if not isinstance(value, Mapping):
            raise MalformedPayload(link, where, f"expected an object, got {_kind(value)}")
        self._data: Mapping[str, Any] = value
        self.where = where
        self.link = link

    def _bad(self, key: str, problem: str) -> MalformedPayload:
        return MalformedPayload(self.link, f"{self.where}.{key}", problem)

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self._data:
            if optional:
                return None
            raise self._bad(key, "missing")
        return self._data[key]

    def text(self, key: str, *, max_len: int = 10_000) -> str:
        value = self._get(key, False)
        if not isinstance(value, str):
            raise self._bad(key, f"expected a string, got {_kind(value)}")
        if len(value) > max_len:
            raise self._bad(key, f"longer than {max_len} characters")
        return value

    def opt_text(self, key: str, *, max_len: int = 10_000) -> str | None:
        return None if self._get(key, True) is None else self.text(key, max_len=max_len)

    def integer(self, key: str, *, low: int | None = None, high: int | None = None) -> int:
        value = self._get(key, False)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._bad(key, f"expected an integer, got {_kind(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self._bad(key, f"{value} is out of range")
        return value

    def opt_integer(
        self, key: str, *, low: int | None = None, high: int | None = None
    ) -> int | None:
        return None if self._get(key, True) is None else self.integer(key, low=low, high=high)

    def number(self, key: str, *, low: float | None = None, high: float | None = None) -> float:
        value = self._get(key, False)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, f"expected a number, got {_kind(value)}")
        number = float(value)
        if not math.isfinite(number):
            raise self._bad(key, "not a finite number")
        if (low is not None and number < low) or (high is not None and number > high):
            raise self._bad(key, f"{number} is out of range")
        return number

    def opt_number(
        self, key: str, *, low: float | None = None, high: float | None = None
    ) -> float | None:
        return None if self._get(key, True) is None else self.number(key, low=low, high=high)

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            raise self._bad(key, f"expected true or false, got {_kind(value)}")
        return value

    def opt_flag(self, key: str) -> bool | None:
        return None if self._get(key, True) is None else self.flag(key)

    def timestamp(self, key: str) -> datetime:
        """An ISO 8601 instant with its offset, returned as aware UTC."""
        raw = self.text(key, max_len=64)
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self._bad(key, "not an ISO 8601 date-time") from None
        if value.tzinfo is None:
            raise self._bad(key, "date-time without a UTC offset")
        return value.astimezone(UTC)

    def opt_timestamp(self, key: str) -> datetime | None:
        return None if self._get(key, True) is None else self.timestamp(key)

    def choice(self, key: str, choices: Collection[str]) -> str:
        value = self.text(key, max_len=64)
        if value not in choices:
            raise self._bad(key, f"unexpected value {value!r}")
        return value

    def opt_choice(self, key: str, choices: Collection[str]) -> str | None:
        return None if self._get(key, True) is None else self.choice(key, choices)

    def obj(self, key: str) -> JsonObject:
        return JsonObject(self._get(key, False), f"{self.where}.{key}", self.link)

    def opt_obj(self, key: str) -> JsonObject | None:
        return None if self._get(key, True) is None else self.obj(key)

    def items(self, key: str) -> list[object]:
        """A list field's raw items, for callers that check each one separately."""
        value = self._get(key, False)
        if not isinstance(value, list):
            raise self._bad(key, f"expected a list, got {_kind(value)}")
        return value

    def objects(self, key: str) -> Iterator[JsonObject]:
        for index, item in enumerate(self.items(key)):
            yield JsonObject(item, f"{self.where}.{key}[{index}]", self.link)


def _kind(value: object) -> str:
    """A JSON type name for messages; never the value itself (it may be personal data)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def decode_json(data: bytes) -> object:
    """Strict JSON: UTF-8, no NaN or Infinity. ValueError otherwise."""
    return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)


# ---------------------------------------------------------------- the link


@dataclass(frozen=True)
class Reply:
    """A successful answer: its status and decoded JSON body (None when empty)."""

    status: int
    body: object
    elapsed_s: float = field(default=0.0, compare=False)


class HttpLink:
    """One external system over HTTP: the base every gateway client is built on.

    Thread-safe: each thread gets its own `requests.Session`; `close()` closes them all and
    cuts short any backoff in progress.
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        health: LinkHealth | None = None,
        slow_after_s: float = 2.0,
        headers: Mapping[str, str] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.health = health or LinkHealth(name)
        self.slow_after_s = slow_after_s
        # A proxy set for the desk's browser must not capture a loopback simulator.
        self._trust_env = not is_loopback(parts.hostname)
        self._headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        self._headers.update(headers or {})
        self._rng = rng or random.Random()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []
        self._closed = threading.Event()

    # ------------------------------------------------------------ sessions

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is not None:
            return session
        with self._lock:
            if self._closed.is_set():
                raise GatewayUnavailable(self.name, f"{self.name} link is closed")
            session = requests.Session()
            session.trust_env = self._trust_env
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=4, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update(self._headers)
            self._sessions.append(session)
        self._local.session = session
        return session

    def close(self) -> None:
        """Close every session and stop any retry waiting to happen."""
        self._closed.set()
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    # ------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | float] | None = None,
        body: object = None,
        idempotency_key: str | None = None,
        hold_s: float = 0.0,
        accept: Collection[int] = (200, 201, 202, 204),
    ) -> Reply:
        """Send one request (retrying only if that is safe) and decode its JSON answer.

        `hold_s` is how long the server may legitimately hold the request (a long poll); it
        is added to the read timeout. Raises `GatewayUnavailable` when the system cannot be
        reached or keeps failing, `GatewayRejected` for a 4xx the caller did not `accept`,
        `MalformedPayload` for a body that is not JSON.
        """
        if self._closed.is_set():
            raise GatewayUnavailable(self.name, f"{self.name} link is closed")
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS or idempotency_key is not None
        attempts = self.retry.attempts if idempotent else 1
        headers: dict[str, str] = {}
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        url = self.base_url + path
        where = f"{method} {path}"
        timeout = (self.timeouts.connect_s, self.timeouts.read_s + hold_s)
        problem = ""
        status: int | None = None
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self.health.record_degraded(f"{where}: {problem}; retrying")
                if self._closed.wait(self.retry.delay_s(attempt - 1, self._rng)):
                    break
            started = time.monotonic()
            try:
                response = self._session().request(
                    method, url, params=params, data=data, headers=headers, timeout=timeout
                )
            except requests.Timeout:
                problem, status = "no answer in time", None
            except requests.ConnectionError:
                problem, status = "cannot connect", None
            except requests.RequestException as exc:
                problem, status = f"transfer failed ({type(exc).__name__})", None
            else:
                elapsed = time.monotonic() - started
                if response.status_code not in RETRYABLE_STATUSES:
                    return self._answered(
                        response,
                        where=where,
                        accept=accept,
                        elapsed=elapsed,
                        hold_s=hold_s,
                        attempt=attempt,
                    )
                problem, status = f"HTTP {response.status_code}", response.status_code
                response.close()
            log.debug(
                "%s %s attempt %d/%d failed: %s", self.name, where, attempt, attempts, problem
            )
        if self._closed.is_set():
            raise GatewayUnavailable(self.name, f"{self.name} link is closed")
        reason = f"{where}: {problem}"
        self.health.record_down(reason)
        raise GatewayUnavailable(self.name, reason, status=status, attempts=attempts)

    def _answered(
        self,
        response: requests.Response,
        *,
        where: str,
        accept: Collection[int],
        elapsed: float,
        hold_s: float,
        attempt: int,
    ) -> Reply:
        status = response.status_code
        content = response.content
        response.close()
        if status not in accept and 400 <= status < 500:
            # The link works; the peer said no. That is the caller's business, not health's.
            self.health.record_success()
            error = _error_body(content)
            code = error.get("error") if isinstance(error.get("error"), str) else None
            raise GatewayRejected(self.name, status, code, error)
        if status not in accept:
            reason = f"{where}: unexpected HTTP {status}"
            self.health.record_down(reason)
            raise GatewayUnavailable(self.name, reason, status=status, attempts=attempt)
        body: object = None
        if content:
            try:
                body = decode_json(content)
            except ValueError as exc:
                self.refuse(MalformedPayload(self.name, where, f"not JSON ({exc})"), len(content))
                raise MalformedPayload(self.name, where, "not JSON") from exc
        if elapsed > hold_s + self.slow_after_s:
            self.health.record_degraded(f"{where}: slow answer ({elapsed:.1f} s)")
        elif attempt > 1:
            self.health.record_degraded(f"{where}: answered after {attempt} attempts")
        else:
            self.health.record_success()
        return Reply(status, body, elapsed)

    def call(
        self,
        method: str,
        path: str,
        parse: Callable[[JsonObject], T],
        **kwargs: Any,
    ) -> T:
        """`request()`, then read the body with `parse`; a body that does not parse is logged,
        marks the link degraded and raises `MalformedPayload`."""
        reply = self.request(method, path, **kwargs)
        return self.parse(reply.body, parse, f"{method.upper()} {path}")

    def parse(self, body: object, parse: Callable[[JsonObject], T], where: str) -> T:
        try:
            return parse(JsonObject(body, where, self.name))
        except MalformedPayload as exc:
            self.refuse(exc)
            raise

    def poll_log(
        self,
        path: str,
        key: str,
        parse_item: Callable[[JsonObject], S],
        after_seq: int,
        wait_s: float,
        *,
        limit: int = 500,
        max_wait_s: float = 60.0,
    ) -> tuple[tuple[S, ...], int, str, int]:
        """One long poll of a gateway log (`GET path?after=&wait=&limit=`, the page's items
        under `key`): the items after `after_seq` in order, the cursor, the log's stream and
        how many items were refused.

        A malformed item is logged and skipped rather than refusing the page: otherwise one
        bad item would stop the log for good, since every later poll would fetch it again.
        A malformed envelope raises `MalformedPayload`."""
        if after_seq < 0:
            raise ValueError("after_seq must be ≥ 0")
        wait_s = min(max(0.0, wait_s), max_wait_s)
        where = f"GET {path}"
        reply = self.request(
            "GET",
            path,
            params={"after": after_seq, "wait": round(wait_s, 3), "limit": limit},
            hold_s=wait_s,
        )

        def envelope(obj: JsonObject) -> tuple[list[object], int, str]:
            return obj.items(key), obj.integer("next", low=0), obj.text("stream", max_len=64)

        raw_items, next_seq, stream = self.parse(reply.body, envelope, where)
        items: list[S] = []
        refused = 0
        for index, raw in enumerate(raw_items):
            at = f"{where} {key}[{index}]"
            try:
                item = parse_item(JsonObject(raw, at, self.name))
            except MalformedPayload as exc:
                self.refuse(exc)
                refused += 1
                continue
            last = items[-1].seq if items else after_seq
            if item.seq <= last:
                self.refuse(MalformedPayload(self.name, at, "seq out of order"))
                refused += 1
                continue
            items.append(item)
        return tuple(items), next_seq, stream, refused

    def refuse(self, problem: MalformedPayload, size: int | None = None) -> None:
        """Log a refused payload (where and what, never the content) and degrade the link."""
        shown = f" ({size} bytes)" if size is not None else ""
        log.warning("%s: refused malformed payload%s: %s", self.name, shown, problem.message)
        self.health.record_degraded(f"malformed payload at {problem.where}")


def _error_body(content: bytes) -> dict[str, Any]:
    try:
        value = decode_json(content) if content else None
    except ValueError:
        return {}
    return dict(value) if isinstance(value, Mapping) else {}


def describe(statuses: Sequence[LinkStatus]) -> str:
    """One status-bar line for several links: the worst first."""
    order = {LinkState.DOWN: 0, LinkState.DEGRADED: 1, LinkState.UP: 2}
    return "; ".join(s.summary for s in sorted(statuses, key=lambda s: order[s.state]))


# ---------------------------------------------------------------- following an event log


class LogPage(Protocol):
    """One answer of a long-polled log: where to go on from, and which log it was."""

    @property
    def next_seq(self) -> int: ...
    @property
    def stream(self) -> str: ...


Page = TypeVar("Page", bound=LogPage)


def follow_log(
    what: str,
    poll: Callable[[int, float], Page],
    items: Callable[[Page], Sequence[_Sequenced]],
    deliver: Callable[[Page], None],
    stop: threading.Event,
    *,
    after_seq: int = 0,
    wait_s: float = 10.0,
    backoff: RetryPolicy | None = None,
) -> int:
    """Long-poll a gateway's log (`what`, for the log lines) until `stop` is set, handing
    each non-empty page to `deliver`; returns the last sequence number seen.

    Outages and refused envelopes are ridden out with growing pauses (the link's health says
    DOWN, "reconnecting…", meanwhile), so the worker running this never dies of the network.
    When the gateway's log starts afresh (another `stream`), following restarts at 0.
    The cursor moves past a page only once `deliver` has taken it: if `deliver` raises (the
    hall's database is away for a moment), the same page is offered again after a pause, so
    `deliver` must be idempotent.
    """
    backoff = backoff or RetryPolicy(attempts=1, base_delay_s=0.5, max_delay_s=15.0)
    rng = random.Random()
    failures = 0  # polls that failed in a row
    refusals = 0  # deliveries of the same page that failed in a row
    stream: str | None = None
    while not stop.is_set():
        try:
            page = poll(after_seq, wait_s)
        except (GatewayUnavailable, MalformedPayload) as exc:
            failures += 1
            log.debug("%s: %s; pausing before attempt %d", what, exc, failures + 1)
            stop.wait(backoff.delay_s(failures, rng))
            continue
        failures = 0
        if stream is not None and page.stream != stream:
            log.info("the gateway restarted its log of %s; following it from the start", what)
            stream, after_seq = page.stream, 0
            continue
        stream = page.stream
        found = items(page)
        if found:
            try:
                deliver(page)
                refusals = 0
            except Exception:
                refusals += 1
                log.warning(
                    "%s %d–%d not taken; offering them again",
                    what,
                    found[0].seq,
                    found[-1].seq,
                    exc_info=True,
                )
                stop.wait(backoff.delay_s(refusals, rng))
                continue
        after_seq = page.next_seq
    return after_seq


class GatewayClient:
    """What every gateway client shares: its `HttpLink`, the link's health for the status
    bar, and closing its sessions (also as a context manager)."""

    link: HttpLink

    @property
    def health(self) -> LinkHealth:
        return self.link.health

    def close(self) -> None:
        self.link.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
