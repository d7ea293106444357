"""The hall simulator's HTTP server: the gateway contract on loopback, with believable data.

Demo mode starts it in-process on a free port, so the console always talks real HTTP (timeouts,
retries and garbage included) rather than calling fakes. It serves the 122 call handover
(`calls`), the parties' submissions with their photos (`submissions`), the vehicle, licence and
policy records (`lookups`), text messages (`sms`) and the insurers' signed case pushes and
answers (`insurers`), the checkpoint watch list with its hits (`checkpoints`) and the credit
bureau's sanction notices (`credit`). Tests drive it through the same
endpoints plus simulator-only ones under `/_sim/` (inject a call or a submission, make a
caller hang up, re-submit, make an SMS recipient fail, set faults, pause the generator, count
hits). The routes are listed in `ROUTES`; each is documented in
resources/api/hall-gateway.openapi.json, and a test holds the two together.

Standard library only (`http.server.ThreadingHTTPServer`, JSON). Threads are named
`hall-sim-*` and `stop()` joins every one of them.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import re
import socket
import socketserver
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from console.integrations.http import is_loopback
from console.integrations.sim.calls import (
    DAILY_CURVE,
    MAX_WAIT_S,
    CallControlError,
    CallSimulator,
    Clock,
)
from console.integrations.sim.checkpoints import CheckpointError, CheckpointSimulator
from console.integrations.sim.faults import (
    SUBSYSTEMS,
    Fault,
    FaultMode,
    FaultSwitch,
    malformed_body,
)
from console.integrations.sim.images import DEFAULT_PHOTO_BYTES, PhotoFactory
from console.integrations.sim.insurers import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InsurerError,
    InsurerSimulator,
)
from console.integrations.sim.records import RecordBook
from console.integrations.sim.sms import SmsError, SmsSimulator
from console.integrations.sim.submissions import (
    DEFAULT_UPLOAD_DELAY_S,
    SubmissionError,
    SubmissionSimulator,
)

log = logging.getLogger("console.net.sim")

MAX_BODY_BYTES = 1 << 20
# Responses remembered per Idempotency-Key, so a retried POST is answered, not repeated.
IDEMPOTENCY_MEMORY = 10_000
# Files larger than this are sent chunked, without a Content-Length, as streaming gateways do.
CHUNKED_ABOVE = 1 << 20
_PLATE_TYPE = re.compile(r"^[0-9]{2}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Route:
    """One endpoint: method, OpenAPI path template, the subsystem whose faults apply (None for
    the simulator's own controls) and the handler method's name."""

    method: str
    template: str
    subsystem: str | None
    handler: str
    keyed: bool = False  # the Idempotency-Key is required and handed to the handler
    signed: bool = False  # the raw body and headers are checked by the subsystem first

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template)
        return re.compile(f"^{regex}$")


ROUTES: tuple[Route, ...] = (
    Route("GET", "/calls/events", "calls", "calls_events"),
    Route("GET", "/calls", "calls", "calls_list"),
    Route("GET", "/calls/{call_id}", "calls", "call_get"),
    Route("POST", "/calls/{call_id}/answer", "calls", "call_answer"),
    Route("POST", "/calls/{call_id}/transfer", "calls", "call_transfer"),
    Route("POST", "/calls/{call_id}/hangup", "calls", "call_hangup"),
    Route("GET", "/submissions/events", "submissions", "submissions_events"),
    Route("GET", "/submissions/{submission_id}", "submissions", "submission_get"),
    Route("GET", "/submissions/{submission_id}/photos/{photo_id}", "submissions", "photo_get"),
    Route("POST", "/submissions/{submission_id}/review", "submissions", "review", keyed=True),
    Route("GET", "/lookups/vehicles", "lookups", "lookup_vehicle"),
    Route("GET", "/lookups/drivers", "lookups", "lookup_driver"),
    Route("GET", "/lookups/policies", "lookups", "lookup_policies"),
    Route("POST", "/sms/messages", "sms", "sms_send", keyed=True),
    Route("GET", "/sms/messages/{message_id}", "sms", "sms_status"),
    Route(
        "POST",
        "/insurers/{insurer_code}/notifications",
        "insurers",
        "insurer_notify",
        keyed=True,
        signed=True,
    ),
    Route("GET", "/insurers/answers", "insurers", "insurer_answers"),
    Route("GET", "/checkpoints/hits", "checkpoints", "checkpoint_hits"),
    Route("GET", "/checkpoints/watchlist", "checkpoints", "watchlist_list"),
    Route("PUT", "/checkpoints/watchlist/{entry_ref}", "checkpoints", "watchlist_place"),
    Route("DELETE", "/checkpoints/watchlist/{entry_ref}", "checkpoints", "watchlist_lift"),
    Route("GET", "/_sim/health", None, "sim_health"),
    Route("GET", "/_sim/hits", None, "sim_hits"),
    Route("DELETE", "/_sim/hits", None, "sim_hits_reset"),
    Route("GET", "/_sim/faults", None, "sim_faults"),
    Route("DELETE", "/_sim/faults", None, "sim_faults_clear"),
    Route("PUT", "/_sim/faults/{subsystem}", None, "sim_fault_set"),
    Route("POST", "/_sim/calls", None, "sim_call_inject"),
    Route("POST", "/_sim/calls/{call_id}/caller-hangup", None, "sim_caller_hangup"),
    Route("POST", "/_sim/clock/pause", None, "sim_pause"),
    Route("POST", "/_sim/clock/resume", None, "sim_resume"),
    Route("POST", "/_sim/submissions", None, "sim_submission_inject"),
    Route("POST", "/_sim/submissions/{submission_id}/resubmit", None, "sim_resubmit"),
    Route("POST", "/_sim/submissions/{submission_id}/photos", None, "sim_add_photos"),
    Route("POST", "/_sim/submissions/{submission_id}/agreement", None, "sim_agreement"),
    Route("POST", "/_sim/submissions/{submission_id}/withdraw", None, "sim_withdraw"),
    Route("GET", "/_sim/submissions/{submission_id}/reviews", None, "sim_reviews"),
    Route("GET", "/_sim/uploads", None, "sim_uploads"),
    Route("GET", "/_sim/sms/messages", None, "sim_sms_sent"),
    Route("GET", "/_sim/sms/failures", None, "sim_sms_failures"),
    Route("POST", "/_sim/sms/failures", None, "sim_sms_fail"),
    Route("DELETE", "/_sim/sms/failures", None, "sim_sms_failures_clear"),
    Route("POST", "/credit/notices", "credit", "credit_notice", keyed=True),
)
_COMPILED = tuple((route, route.pattern) for route in ROUTES)


class RequestError(Exception):
    """A request the simulator refuses, with the HTTP answer to give."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.status = status
        self.body: dict[str, Any] = {"error": error}
        if detail:
            self.body["detail"] = detail


@dataclass(frozen=True)
class Reply:
    status: int
    body: Mapping[str, Any]


@dataclass(frozen=True)
class FileReply:
    """A file answer: its bytes come from `chunks` as they are sent; sent chunked (no
    Content-Length) when larger than `CHUNKED_ABOVE`."""

    status: int
    content_type: str
    length: int
    chunks: Callable[[], Iterator[bytes]]


class HitCounter:
    """Requests received per (method, path), faulted ones included: tests count retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: Counter[tuple[str, str]] = Counter()

    def add(self, method: str, path: str) -> None:
        with self._lock:
            self._hits[(method, path)] += 1

    def count(self, method: str, path: str) -> int:
        with self._lock:
            return self._hits[(method, path)]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {"method": m, "path": p, "count": n} for (m, p), n in sorted(self._hits.items())
            ]


class _HttpServer(ThreadingHTTPServer):
    """Names and tracks its connection threads, so `stop()` can wake and join them."""

    daemon_threads = True
    block_on_close = False
    # socketserver's default backlog of 5 resets connections when a whole hall of seats
    # reconnects at once after an outage.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], simulator: SimulatorServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.simulator = simulator
        self._ids = itertools.count(1)
        self._conn_lock = threading.Lock()
        self._conns: dict[threading.Thread, socket.socket] = {}
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, a DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"hall-sim-conn-{next(self._ids)}",
            daemon=True,
        )
        with self._conn_lock:
            self._conns[thread] = request
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conn_lock:
                self._conns.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout test) or a stop mid-response: not worth a traceback.
        log.debug("connection from %s ended abruptly", client_address, exc_info=True)

    def close_connections(self, timeout_s: float) -> None:
        """Cut every open connection and join its thread."""
        with self._conn_lock:
            conns = dict(self._conns)
        for sock in conns.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout_s
        for thread in conns:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("simulator thread %s did not stop in time", thread.name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real gateways do
    server_version = "hall-sim/1"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is closed after a minute
    # Headers and body go out in two writes; with Nagle on, delayed ACKs add 40 ms to each.
    disable_nagle_algorithm = True
    server: _HttpServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        sim = self.server.simulator
        url = urlsplit(self.path)
        path = url.path
        sim.hits.add(method, path)
        try:
            raw, body = self._read_body()
        except RequestError as exc:
            self._send(exc.status, exc.body)
            return
        route, params = _match(method, path)
        if route is None:
            known = any(pattern.match(path) for _, pattern in _COMPILED)
            if known:
                self._send(405, {"error": "method_not_allowed"})
            elif path.strip("/").split("/")[0] in SUBSYSTEMS:
                self._send(501, {"error": "not_simulated", "detail": f"{path} is not simulated"})
            else:
                self._send(404, {"error": "not_found"})
            return
        fault = sim.faults.take(route.subsystem) if route.subsystem else Fault()
        if fault.mode is FaultMode.ERROR:
            self._send(fault.status, {"error": "simulated_fault", "subsystem": route.subsystem})
            return
        if fault.sleep_s and sim.stopping.wait(fault.sleep_s):
            self.close_connection = True  # stopping: drop the request unanswered
            return
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        key = self.headers.get("Idempotency-Key")
        signed = {
            name: value
            for name in (SIGNATURE_HEADER, TIMESTAMP_HEADER)
            if (value := self.headers.get(name)) is not None
        }
        reply = sim.handle(route, params, query, body, idempotency_key=key, raw=raw, headers=signed)
        if isinstance(reply, FileReply):
            if fault.mode is FaultMode.MALFORMED:
                # What a misconfigured proxy sends instead of the file.
                page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
                self._send_raw(200, page, content_type="text/html; charset=utf-8")
            else:
                self._send_file(reply)
        elif fault.mode is FaultMode.MALFORMED:
            self._send_raw(reply.status, malformed_body(dict(reply.body), fault.malformed))
        else:
            self._send(reply.status, reply.body)

    def _read_body(self) -> tuple[bytes, object]:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise RequestError(411, "length_required", "send a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise RequestError(400, "bad_request", "Content-Length is not a number") from None
        if not 0 <= length <= MAX_BODY_BYTES:
            self.close_connection = True
            raise RequestError(413, "too_large")
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return raw, None
        try:
            return raw, json.loads(raw)
        except ValueError:
            raise RequestError(400, "bad_json", "the body is not JSON") from None

    def _send(self, status: int, body: Mapping[str, Any]) -> None:
        self._send_raw(status, json.dumps(body, ensure_ascii=False).encode())

    def _send_raw(
        self, status: int, data: bytes, content_type: str = "application/json; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _send_file(self, reply: FileReply) -> None:
        """Stream a file; a client that stops reading (it refused the size) ends it."""
        chunked = reply.length > CHUNKED_ABOVE
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(reply.length))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        stopping = self.server.simulator.stopping
        try:
            for chunk in reply.chunks():
                if stopping.is_set():
                    self.close_connection = True
                    return
                if chunked:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                else:
                    self.wfile.write(chunk)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client hung up mid-file
            self.close_connection = True


def _match(method: str, path: str) -> tuple[Route | None, dict[str, str]]:
    for route, pattern in _COMPILED:
        if route.method != method:
            continue
        found = pattern.match(path)
        if found:
            return route, {k: unquote(v) for k, v in found.groupdict().items()}
    return None, {}


class SimulatorServer:
    """The simulator in a background thread: `start()` returns its base URL, `stop()` ends
    and joins every thread it started.

    Loopback only unless `allow_remote`: it serves made-up personal data and fault switches
    anyone could flip, so it must not be reachable from the hall network by accident.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 1,
        calls_per_hour: float = 30.0,
        patience_mean_s: float = 90.0,
        generate: bool = True,
        curve: Sequence[float] = DAILY_CURVE,
        clock: Clock | None = None,
        allow_remote: bool = False,
        uploads: bool | None = None,
        upload_delay_s: tuple[float, float] = DEFAULT_UPLOAD_DELAY_S,
        photo_bytes: int = DEFAULT_PHOTO_BYTES,
    ) -> None:
        """`uploads`: a guidance SMS schedules the parties' upload (default: as `generate`);
        `photo_bytes`: about how large a generated photo is."""
        if not allow_remote and not is_loopback(host):
            raise ValueError(f"refusing to serve on {host}: not a loopback address")
        self.host = host
        self.port = port
        self.calls = CallSimulator(
            seed=seed,
            calls_per_hour=calls_per_hour,
            patience_mean_s=patience_mean_s,
            curve=curve,
            clock=clock,
            generate=generate,
            max_catch_up=timedelta(minutes=2),
        )
        self.records = RecordBook()
        self.submissions = SubmissionSimulator(
            seed=seed,
            clock=clock,
            records=self.records,
            photos=PhotoFactory(),
            uploads=generate if uploads is None else uploads,
            upload_delay_s=upload_delay_s,
            photo_bytes=photo_bytes,
            call_lookup=self._latest_call,
        )
        self.sms = SmsSimulator(
            seed=seed, clock=clock, on_guidance=self.submissions.schedule_upload
        )
        self.insurers = InsurerSimulator(seed=seed, clock=clock)
        self.checkpoints = CheckpointSimulator(seed=seed, clock=clock)
        self.faults = FaultSwitch()
        self.hits = HitCounter()
        self.stopping = threading.Event()
        self._idempotent: OrderedDict[tuple[str, str, str], Reply] = OrderedDict()
        self._idem_lock = threading.Lock()
        self._httpd: _HttpServer | None = None
        self._threads: list[threading.Thread] = []

    # ------------------------------------------------------------ life cycle

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the simulator is not running")
        host, port = self._httpd.server_address[:2]
        text = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{text}]" if ":" in text else text
        return f"http://{shown}:{port}"

    def start(self) -> str:
        if self._httpd is not None:
            raise RuntimeError("the simulator is already running")
        if self.stopping.is_set():
            raise RuntimeError("a stopped simulator cannot be restarted; make a new one")
        self._httpd = _HttpServer((self.host, self.port), self)
        self._threads = [
            threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="hall-sim-http",
                daemon=True,
            ),
            threading.Thread(target=self._run_clock, name="hall-sim-calls", daemon=True),
            threading.Thread(target=self._run_uploads, name="hall-sim-uploads", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        log.info("hall simulator serving %s (seed %s)", self.base_url, self.calls.seed)
        return self.base_url

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop serving, wake long polls and faulted sleeps, join every thread."""
        httpd = self._httpd
        if httpd is None:
            return
        self.stopping.set()
        self.calls.close()
        self.submissions.close()
        self.insurers.close()
        self.checkpoints.close()
        httpd.shutdown()
        httpd.close_connections(timeout_s)
        httpd.server_close()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads = []
        self._httpd = None
        log.info("hall simulator stopped")

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run_clock(self) -> None:
        """Let arrivals and impatient callers happen on time."""
        while not self.stopping.is_set():
            self.calls.wake.clear()
            try:
                self.calls.tick()
            except Exception:
                # A bug in the generator must not silently end the simulated 122 side.
                log.exception("call generator failed; carrying on")
            due = self.calls.seconds_until_due()
            # Sleep until the next thing is due, but re-check now and then: the wall clock
            # may jump, and a newly injected call may be due sooner.
            self.calls.wake.wait(1.0 if due is None else min(max(due, 0.005), 1.0))

    def _run_uploads(self) -> None:
        """Make the parties' uploads that guidance messages scheduled, on time."""
        while not self.stopping.is_set():
            self.submissions.wake.clear()
            try:
                self.submissions.tick()
            except Exception:
                log.exception("scheduled upload failed; carrying on")
            due = self.submissions.seconds_until_due()
            self.submissions.wake.wait(1.0 if due is None else min(max(due, 0.005), 1.0))

    def _latest_call(self, phone: str) -> Mapping[str, Any] | None:
        """The newest call from `phone`: an upload after guidance follows it."""
        found = [c for c in self.calls.all_calls() if c["phone"] == phone]
        return found[-1] if found else None

    # ------------------------------------------------------------ requests

    def handle(
        self,
        route: Route,
        params: Mapping[str, str],
        query: Mapping[str, str],
        body: object,
        *,
        idempotency_key: str | None = None,
        raw: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> Reply | FileReply:
        """Answer one request; a POST repeated with the same Idempotency-Key gets the first
        answer again instead of acting twice. A signed route's signature is checked first,
        so a refused one is never remembered as the key's answer."""
        handler: Callable[..., Reply | FileReply] = getattr(self, f"_{route.handler}")
        if route.signed:
            try:
                self.insurers.verify(params.get("insurer_code", ""), raw, headers or {})
            except InsurerError as exc:
                return Reply(exc.status, exc.body)
        if route.keyed:
            if not idempotency_key:
                return Reply(400, {"error": "idempotency_key_required"})
            if not 8 <= len(idempotency_key) <= 128:
                return Reply(400, {"error": "bad_request", "detail": "key of 8–128 characters"})
            handler = _with_key(handler, idempotency_key)
        if route.method != "POST" or not idempotency_key:
            return self._safely(handler, params, query, body)
        memo = (route.method, route.template.format(**params), idempotency_key)
        with self._idem_lock:
            known = self._idempotent.get(memo)
            if known is not None:
                return known
            reply = self._safely(handler, params, query, body)
            if isinstance(reply, Reply) and reply.status < 500:
                self._idempotent[memo] = reply
                while len(self._idempotent) > IDEMPOTENCY_MEMORY:
                    self._idempotent.popitem(last=False)
            return reply

    @staticmethod
    def _safely(
        handler: Callable[..., Reply | FileReply],
        params: Mapping[str, str],
        query: Mapping[str, str],
        body: object,
    ) -> Reply | FileReply:
        try:
            return handler(params, query, body)
        except (
            RequestError,
            CallControlError,
            SubmissionError,
            SmsError,
            InsurerError,
            CheckpointError,
        ) as exc:
            return Reply(exc.status, exc.body)
        except ValueError as exc:
            return Reply(400, {"error": "bad_request", "detail": str(exc)})

    # calls --------------------------------------------------------

    def _calls_events(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        after = _query_number(q, "after", 0, 0, 2**53, integer=True)
        wait = _query_number(q, "wait", 0, 0, MAX_WAIT_S)
        limit = _query_number(q, "limit", 500, 1, 1000, integer=True)
        events, cursor = self.calls.events_after(int(after), wait, int(limit))
        return Reply(200, {"events": events, "next": cursor, "stream": self.calls.stream})

    def _calls_list(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"calls": self.calls.calls_in_progress()})

    def _call_get(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"call": self.calls.call(p["call_id"])})

    def _call_answer(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        body = _object(b, required=("seat", "user"))
        call = self.calls.answer(p["call_id"], _text(body, "seat"), _text(body, "user"))
        return Reply(200, {"call": call})

    def _call_transfer(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        body = _object(b, required=("by_seat",), optional=("to_position", "to_seat"))
        call = self.calls.transfer(
            p["call_id"],
            to_position=_optional_text(body, "to_position"),
            to_seat=_optional_text(body, "to_seat"),
            by_seat=_text(body, "by_seat"),
        )
        return Reply(200, {"call": call})

    def _call_hangup(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        body = _object(b, required=("seat",))
        return Reply(200, {"call": self.calls.hang_up(p["call_id"], _text(body, "seat"))})

    # submissions --------------------------------------------------

    def _submissions_events(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        after = _query_number(q, "after", 0, 0, 2**53, integer=True)
        wait = _query_number(q, "wait", 0, 0, MAX_WAIT_S)
        limit = _query_number(q, "limit", 500, 1, 1000, integer=True)
        events, cursor = self.submissions.events_after(int(after), wait, int(limit))
        return Reply(200, {"events": events, "next": cursor, "stream": self.submissions.stream})

    def _submission_get(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, self.submissions.submission(p["submission_id"]))

    def _photo_get(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> FileReply:
        spec, file = self.submissions.photo(p["submission_id"], p["photo_id"])
        return FileReply(200, file.mime, file.size, lambda: self.submissions.photo_chunks(spec))

    def _review(
        self, p: Mapping[str, str], _q: Mapping[str, str], b: object, *, idempotency_key: str
    ) -> Reply:
        return Reply(200, self.submissions.review(p["submission_id"], b))

    # lookups ------------------------------------------------------

    def _lookup_vehicle(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        plate_type, plate_no = _plate_query(q)
        record = self.records.vehicle(plate_type, plate_no)
        if record is None:
            raise RequestError(404, "no_such_vehicle")
        return Reply(200, record.to_json())

    def _lookup_driver(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        number = q.get("licence_number", "").strip()
        if not 6 <= len(number) <= 24:
            raise RequestError(400, "bad_request", "licence_number must be 6–24 characters")
        record = self.records.driver(number)
        if record is None:
            raise RequestError(404, "no_such_driver")
        return Reply(200, record.to_json())

    def _lookup_policies(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        plate_type, plate_no = _plate_query(q)
        raw = q.get("on", "")
        try:
            if not _DATE.match(raw):
                raise ValueError(raw)
            on = date.fromisoformat(raw)
        except ValueError:
            raise RequestError(400, "bad_request", "on must be a date YYYY-MM-DD") from None
        found = self.records.policies(plate_type, plate_no, on)
        if found is None:
            raise RequestError(404, "no_such_vehicle")
        return Reply(200, {"policies": [policy.to_json() for policy in found]})

    # sms ----------------------------------------------------------

    def _sms_send(
        self, _p: Mapping[str, str], _q: Mapping[str, str], b: object, *, idempotency_key: str
    ) -> Reply:
        return Reply(202, self.sms.send(b, idempotency_key))

    def _sms_status(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, self.sms.status(p["message_id"]))

    # insurers -----------------------------------------------------

    def _insurer_notify(
        self, p: Mapping[str, str], _q: Mapping[str, str], b: object, *, idempotency_key: str
    ) -> Reply:
        return Reply(202, self.insurers.notify(p["insurer_code"], b, idempotency_key))

    def _insurer_answers(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        after = _query_number(q, "after", 0, 0, 2**53, integer=True)
        wait = _query_number(q, "wait", 0, 0, MAX_WAIT_S)
        limit = _query_number(q, "limit", 500, 1, 1000, integer=True)
        answers, cursor = self.insurers.answers_after(int(after), wait, int(limit))
        return Reply(200, {"answers": answers, "next": cursor, "stream": self.insurers.stream})

    # checkpoints and credit bureau ---------------------------------

    def _checkpoint_hits(self, _p: Mapping[str, str], q: Mapping[str, str], _b: object) -> Reply:
        after = _query_number(q, "after", 0, 0, 2**53, integer=True)
        wait = _query_number(q, "wait", 0, 0, MAX_WAIT_S)
        limit = _query_number(q, "limit", 500, 1, 1000, integer=True)
        hits, cursor = self.checkpoints.hits_after(int(after), wait, int(limit))
        return Reply(200, {"hits": hits, "next": cursor, "stream": self.checkpoints.stream})

    def _watchlist_list(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"entries": self.checkpoints.entries()})

    def _watchlist_place(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        return Reply(200, self.checkpoints.place(p["entry_ref"], b))

    def _watchlist_lift(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, self.checkpoints.lift(p["entry_ref"]))

    def _credit_notice(
        self, _p: Mapping[str, str], _q: Mapping[str, str], b: object, *, idempotency_key: str
    ) -> Reply:
        return Reply(202, self.checkpoints.credit_notice(b, idempotency_key))

    # simulator controls -------------------------------------------

    def _sim_health(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(
            200,
            {
                "status": "ok",
                "stream": self.calls.stream,
                "seed": self.calls.seed,
                "calls_per_hour": self.calls.calls_per_hour,
                "patience_mean_s": self.calls.patience_mean_s,
                "generate": self.calls.generate,
                "paused": self.calls.paused,
                "last_seq": self.calls.last_seq,
                "uploads": self.submissions.uploads,
                "photo_bytes": self.submissions.photo_bytes,
                "submissions_last_seq": self.submissions.last_seq,
                "faults": {k: v.to_json() for k, v in self.faults.snapshot().items()},
            },
        )

    def _sim_hits(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"hits": self.hits.to_json()})

    def _sim_hits_reset(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        self.hits.reset()
        return Reply(200, {"hits": []})

    def _sim_faults(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"faults": {k: v.to_json() for k, v in self.faults.snapshot().items()}})

    def _sim_faults_clear(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        self.faults.clear()
        return self._sim_faults(_p, _q, _b)

    def _sim_fault_set(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        subsystem = p["subsystem"]
        if subsystem not in SUBSYSTEMS:
            raise RequestError(404, "no_such_subsystem", f"one of {', '.join(SUBSYSTEMS)}")
        fault = Fault.from_json(b)
        self.faults.set(subsystem, fault)
        return Reply(200, {"subsystem": subsystem, "fault": fault.to_json()})

    def _sim_call_inject(self, _p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        fields = _object(b if b is not None else {}, required=())
        return Reply(201, {"call": self.calls.inject(fields)})

    def _sim_caller_hangup(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"call": self.calls.caller_hang_up(p["call_id"])})

    def _sim_pause(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        self.calls.pause()
        self.submissions.pause()
        return Reply(200, {"paused": True})

    def _sim_resume(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        self.calls.resume()
        self.submissions.resume()
        return Reply(200, {"paused": False})

    def _sim_submission_inject(
        self, _p: Mapping[str, str], _q: Mapping[str, str], b: object
    ) -> Reply:
        spec = _object(b if b is not None else {}, required=())
        return Reply(201, self.submissions.inject(spec))

    def _sim_resubmit(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        spec = _object(b if b is not None else {}, required=())
        return Reply(200, self.submissions.resubmit(p["submission_id"], spec))

    def _sim_add_photos(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        spec = _object(b, required=("photos",), optional=("photo_bytes",))
        return Reply(200, self.submissions.add_photos(p["submission_id"], spec))

    def _sim_agreement(self, p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        body = _object(b, required=("grades",))
        return Reply(200, self.submissions.sign_agreement(p["submission_id"], body["grades"]))

    def _sim_withdraw(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, self.submissions.withdraw(p["submission_id"]))

    def _sim_reviews(self, p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"reviews": self.submissions.reviews(p["submission_id"])})

    def _sim_uploads(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"uploads": self.submissions.scheduled()})

    def _sim_sms_sent(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"messages": self.sms.sent()})

    def _sim_sms_failures(self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object) -> Reply:
        return Reply(200, {"failures": self.sms.failures()})

    def _sim_sms_fail(self, _p: Mapping[str, str], _q: Mapping[str, str], b: object) -> Reply:
        body = _object(b, required=("to",), optional=("error",))
        return Reply(
            200, {"failures": self.sms.fail(_text(body, "to"), _optional_text(body, "error"))}
        )

    def _sim_sms_failures_clear(
        self, _p: Mapping[str, str], _q: Mapping[str, str], _b: object
    ) -> Reply:
        return Reply(200, {"failures": self.sms.clear_failures()})


def _with_key(
    handler: Callable[..., Reply | FileReply], key: str
) -> Callable[..., Reply | FileReply]:
    def keyed(
        params: Mapping[str, str], query: Mapping[str, str], body: object
    ) -> Reply | FileReply:
        return handler(params, query, body, idempotency_key=key)

    return keyed


def _plate_query(query: Mapping[str, str]) -> tuple[str, str]:
    plate_type = query.get("plate_type", "")
    plate_no = query.get("plate_no", "")
    if not _PLATE_TYPE.match(plate_type):
        raise RequestError(400, "bad_request", "plate_type must be two digits (GA 24.7)")
    if not 6 <= len(plate_no) <= 10:
        raise RequestError(400, "bad_request", "plate_no must be 6–10 characters")
    return plate_type, plate_no


def _object(
    value: object, *, required: Sequence[str], optional: Sequence[str] = ()
) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RequestError(400, "bad_request", "the body must be a JSON object")
    missing = [k for k in required if k not in value]
    if missing:
        raise RequestError(400, "bad_request", f"missing fields: {', '.join(missing)}")
    if optional or required:
        unknown = set(value) - set(required) - set(optional)
        if unknown:
            raise RequestError(400, "bad_request", f"unknown fields: {', '.join(sorted(unknown))}")
    return value


def _text(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RequestError(400, "bad_request", f"{key} must be a non-empty string")
    return value


def _optional_text(body: Mapping[str, Any], key: str) -> str | None:
    return None if body.get(key) is None else _text(body, key)


def _query_number(
    query: Mapping[str, str],
    key: str,
    default: float,
    low: float,
    high: float,
    *,
    integer: bool = False,
) -> float:
    raw = query.get(key)
    if raw is None:
        return default
    try:
        value = float(int(raw)) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise RequestError(400, "bad_request", f"{key} must be {kind}") from None
    if not low <= value <= high:
        raise RequestError(400, "bad_request", f"{key} must be between {low:g} and {high:g}")
    return value
