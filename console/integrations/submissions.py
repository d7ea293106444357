"""The parties' submissions link: follow uploads, read them, fetch photos, report the review.

The parties' app (交管12123, WeChat, Alipay) reports the accident, the parties and their
vehicles, and uploads the photos. Submissions reach the hall as an event log (submitted,
photos added, re-submitted after a return, agreement signed, withdrawn) that seats follow by
long-polling, as they follow calls; each event names the submission, which `submission()`
reads as it stands now.

Photos are fetched one by one and streamed: `photo_bytes()` gives up as soon as more than the
hall's limit has arrived (`PhotoTooLarge`), so an 80 MiB upload never sits in memory. The photo
list's hash, size and type are what the app *claims*; the hall checks the bytes against them.
The review outcome goes back with an Idempotency-Key (the outbox's), so a retry after a lost
answer records it once.

Contract: resources/api/hall-gateway.openapi.json, tag `submissions`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final
from urllib.parse import quote

import requests

from console.domain.review import ReturnCode
from console.integrations.http import (
    RETRYABLE_STATUSES,
    GatewayClient,
    GatewayError,
    GatewayRejected,
    GatewayUnavailable,
    HttpLink,
    JsonObject,
    LinkHealth,
    MalformedPayload,
    RetryPolicy,
    Timeouts,
    decode_json,
    follow_log,
    new_idempotency_key,
)

log = logging.getLogger("console.net")

LINK_NAME: Final = "submissions"
MAX_WAIT_S: Final = 60.0
HALL_PHOTO_LIMIT_BYTES: Final = 8 * 1024 * 1024
"""The largest photo the hall takes (the default `max_bytes` of `photo_bytes`)."""
PHOTO_CHUNK_BYTES: Final = 64 * 1024
PARTY_LETTERS: Final = ("A", "B", "C")
CHANNELS: Final = ("12123", "wechat", "alipay")
ACCIDENT_FORMS: Final = (
    "111", "112", "113", "121", "122", "130", "140", "150", "160", "170", "190", "199",
)  # fmt: skip
PHOTO_MIMES: Final = ("image/jpeg", "image/png")
# What a photo may be served as: an image, or bytes the gateway does not know the type of.
_SERVED_TYPES: Final = ("image/", "application/octet-stream")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_PLATE_TYPE = re.compile(r"^[0-9]{2}$")
_LICENCE_CLASS = re.compile(r"^[A-DMNP][0-9]?[A-Z]?$")


class SubmissionState(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class SubmissionEventKind(StrEnum):
    SUBMITTED = "submitted"
    PHOTOS_ADDED = "photos_added"
    RESUBMITTED = "resubmitted"  # uploaded again after a return: a new round
    AGREEMENT_SIGNED = "agreement_signed"
    WITHDRAWN = "withdrawn"


class PhotoKind(StrEnum):
    """As `console.domain.review.SCENE_PHOTOS` / `PARTY_PHOTOS` and the contract."""

    SCENE_FRONT_SIDE = "scene_front_side"  # 侧前方
    SCENE_REAR_SIDE = "scene_rear_side"  # 侧后方
    COLLISION_POINT = "collision_point"  # 碰撞部位
    DRIVING_LICENCE = "driving_licence"  # 驾驶证, per party
    VEHICLE_REGISTRATION = "vehicle_registration"  # 行驶证, per party
    SCENE_OTHER = "scene_other"
    DAMAGE = "damage"


class ReviewOutcome(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True)
class PlaceInfo:
    text: str
    district: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class SubmissionPartyInfo:
    """A party as the app reports them; the look-ups say whether the records agree."""

    letter: str
    name: str
    phone: str
    id_number: str | None
    licence_number: str | None
    licence_class: str | None
    plate_type: str | None
    plate_no: str | None
    vehicle_type: str | None
    insurer_code: str | None
    policy_no: str | None


@dataclass(frozen=True)
class PhotoInfo:
    """One photo as the app lists it: `sha256`, `size` and `mime` are its claims."""

    photo_id: str
    kind: PhotoKind
    party_letter: str | None
    sha256: str
    mime: str
    size: int
    taken_at: datetime | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class AgreementInfo:
    """Liability the parties agreed themselves: (letter, grade) pairs, grade one of full,
    equal, none."""

    grades: tuple[tuple[str, str], ...]
    signed_at: datetime

    def grade(self, letter: str) -> str | None:
        return next((g for ltr, g in self.grades if ltr == letter), None)


@dataclass(frozen=True)
class SubmissionInfo:
    """A submission as the gateway last reported it. `round` is 1 for the first upload and
    goes up with each re-submission after a return."""

    submission_id: str
    case_no: str | None
    token: str | None
    call_id: str | None
    channel: str
    state: SubmissionState
    round: int
    submitted_at: datetime
    occurred_at: datetime
    place: PlaceInfo
    accident_form: str | None
    injuries: bool
    movable: bool
    parties: tuple[SubmissionPartyInfo, ...]
    photos: tuple[PhotoInfo, ...]
    agreement: AgreementInfo | None

    def party(self, letter: str) -> SubmissionPartyInfo | None:
        return next((p for p in self.parties if p.letter == letter), None)

    def photos_of(self, kind: PhotoKind | str, letter: str | None = None) -> tuple[PhotoInfo, ...]:
        return tuple(
            p
            for p in self.photos
            if p.kind == kind and (letter is None or p.party_letter == letter)
        )


@dataclass(frozen=True)
class SubmissionEvent:
    seq: int
    kind: SubmissionEventKind
    at: datetime
    submission_id: str


@dataclass(frozen=True)
class SubmissionEventBatch:
    """What one poll returned; as `console.integrations.calls.EventBatch`."""

    events: tuple[SubmissionEvent, ...]
    next_seq: int
    stream: str
    refused: int = 0


@dataclass(frozen=True)
class ReturnReason:
    """One reason a submission goes back to the parties; `text` is what they read (Chinese,
    at most 200 characters)."""

    code: ReturnCode
    party_letter: str | None
    text: str
    photo_kind: PhotoKind | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": ReturnCode(self.code).value,
            "party_letter": self.party_letter,
            "text": self.text,
        }
        if self.photo_kind is not None:
            body["photo_kind"] = PhotoKind(self.photo_kind).value
        return body


@dataclass(frozen=True)
class ReviewRecorded:
    submission_id: str
    state: ReviewOutcome
    recorded_at: datetime


# ---------------------------------------------------------------- refusals


class SubmissionNotFound(GatewayRejected):
    """The gateway knows no such submission (or no such photo in it: `photo_id`)."""

    def __init__(
        self, error: GatewayRejected, submission_id: str, photo_id: str | None = None
    ) -> None:
        super().__init__(error.link, error.status, error.code, error.body)
        self.submission_id = submission_id
        self.photo_id = photo_id


class ReviewRefused(GatewayRejected):
    """The gateway refused the review: `withdrawn`, `already_reviewed` (this round went the
    other way) or `case_mismatch` (the submission belongs to another case)."""

    def __init__(self, error: GatewayRejected, submission_id: str) -> None:
        super().__init__(error.link, error.status, error.code, error.body)
        self.submission_id = submission_id


class PhotoTooLarge(GatewayError):  # noqa: N818 - says what it is
    """A photo is larger than the caller's limit: the download stopped as soon as that was
    clear (from its Content-Length, or after `received` bytes), so it never sat in memory."""

    def __init__(
        self,
        submission_id: str,
        photo_id: str,
        *,
        limit: int,
        declared: int | None,
        received: int,
    ) -> None:
        size = f"{declared} bytes" if declared is not None else f"more than {limit} bytes"
        super().__init__(LINK_NAME, f"photo {photo_id} is {size}; the limit is {limit}")
        self.submission_id = submission_id
        self.photo_id = photo_id
        self.limit = limit
        self.declared = declared
        self.received = received


# ---------------------------------------------------------------- parsing


def _pattern(obj: JsonObject, key: str, pattern: re.Pattern[str], max_len: int = 64) -> str:
    value = obj.text(key, max_len=max_len)
    if not pattern.match(value):
        raise MalformedPayload(obj.link, f"{obj.where}.{key}", "not in the expected format")
    return value


def _opt_pattern(obj: JsonObject, key: str, pattern: re.Pattern[str]) -> str | None:
    return None if obj.opt_text(key) is None else _pattern(obj, key, pattern)


def parse_place(obj: JsonObject) -> PlaceInfo:
    return PlaceInfo(
        text=obj.text("text", max_len=255),
        district=obj.opt_text("district", max_len=64),
        lat=obj.opt_number("lat", low=-90, high=90),
        lon=obj.opt_number("lon", low=-180, high=180),
    )


def parse_party(obj: JsonObject) -> SubmissionPartyInfo:
    return SubmissionPartyInfo(
        letter=obj.choice("letter", PARTY_LETTERS),
        name=obj.text("name", max_len=64),
        phone=_pattern(obj, "phone", _MOBILE),
        id_number=obj.opt_text("id_number", max_len=24),
        licence_number=obj.opt_text("licence_number", max_len=24),
        licence_class=_opt_pattern(obj, "licence_class", _LICENCE_CLASS),
        plate_type=_opt_pattern(obj, "plate_type", _PLATE_TYPE),
        plate_no=obj.opt_text("plate_no", max_len=16),
        vehicle_type=obj.opt_text("vehicle_type", max_len=24),
        insurer_code=obj.opt_text("insurer_code", max_len=16),
        policy_no=obj.opt_text("policy_no", max_len=64),
    )


def parse_photo(obj: JsonObject) -> PhotoInfo:
    return PhotoInfo(
        photo_id=obj.text("id", max_len=64),
        kind=PhotoKind(obj.choice("kind", [k.value for k in PhotoKind])),
        party_letter=obj.opt_choice("party_letter", PARTY_LETTERS),
        sha256=_pattern(obj, "sha256", _SHA256),
        mime=obj.choice("mime", PHOTO_MIMES),
        size=obj.integer("size", low=1),
        taken_at=obj.opt_timestamp("taken_at"),
        lat=obj.opt_number("lat", low=-90, high=90),
        lon=obj.opt_number("lon", low=-180, high=180),
    )


def parse_agreement(obj: JsonObject | None) -> AgreementInfo | None:
    if obj is None:
        return None
    grades = obj.obj("grades")
    pairs = []
    for letter in PARTY_LETTERS:
        grade = grades.opt_choice(letter, ("full", "equal", "none"))
        if grade is not None:
            pairs.append((letter, grade))
    return AgreementInfo(tuple(pairs), obj.timestamp("signed_at"))


def parse_submission(obj: JsonObject) -> SubmissionInfo:
    """A whole submission, or `MalformedPayload`: a submission with a bad part is refused
    whole, since a half-read one could pass review on what was left out."""
    parties = tuple(parse_party(p) for p in obj.objects("parties"))
    if not 1 <= len(parties) <= 3:
        raise MalformedPayload(obj.link, f"{obj.where}.parties", "needs 1 to 3 parties")
    if len({p.letter for p in parties}) != len(parties):
        raise MalformedPayload(obj.link, f"{obj.where}.parties", "a party letter twice")
    photos = tuple(parse_photo(p) for p in obj.objects("photos"))
    if len(photos) > 30:
        raise MalformedPayload(obj.link, f"{obj.where}.photos", "more than 30 photos")
    return SubmissionInfo(
        submission_id=obj.text("id", max_len=64),
        case_no=obj.opt_text("case_no", max_len=32),
        token=obj.opt_text("token", max_len=64),
        call_id=obj.opt_text("call_id", max_len=64),
        channel=obj.choice("channel", CHANNELS),
        state=SubmissionState(obj.choice("state", [s.value for s in SubmissionState])),
        round=obj.opt_integer("round", low=1) or 1,
        submitted_at=obj.timestamp("submitted_at"),
        occurred_at=obj.timestamp("occurred_at"),
        place=parse_place(obj.obj("place")),
        accident_form=obj.opt_choice("accident_form", ACCIDENT_FORMS),
        injuries=obj.flag("injuries"),
        movable=obj.flag("movable"),
        parties=parties,
        photos=photos,
        agreement=parse_agreement(obj.opt_obj("agreement")),
    )


def parse_event(obj: JsonObject) -> SubmissionEvent:
    return SubmissionEvent(
        seq=obj.integer("seq", low=1),
        kind=SubmissionEventKind(obj.choice("kind", [k.value for k in SubmissionEventKind])),
        at=obj.timestamp("at"),
        submission_id=obj.text("submission_id", max_len=64),
    )


def _parse_recorded(obj: JsonObject) -> ReviewRecorded:
    return ReviewRecorded(
        submission_id=obj.text("submission_id", max_len=64),
        state=ReviewOutcome(obj.choice("state", [o.value for o in ReviewOutcome])),
        recorded_at=obj.timestamp("recorded_at"),
    )


# ---------------------------------------------------------------- files


class _FileLink(HttpLink):
    """The link, plus downloads that stream and stop at a size limit."""

    def download(
        self, path: str, *, max_bytes: int, too_large: Callable[[int | None, int], Exception]
    ) -> bytes:
        """GET a file (retried like any GET), at most `max_bytes` of it. `too_large` makes
        the exception to raise when it is larger: from the declared length at once, or as
        soon as more arrived; the rest is never read (the connection is dropped)."""
        if self.closed:
            raise GatewayUnavailable(self.name, f"{self.name} link is closed")
        where = f"GET {path}"
        url = self.base_url + path
        timeout = (self.timeouts.connect_s, self.timeouts.read_s)
        attempts = self.retry.attempts
        problem, status = "", None
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self.health.record_degraded(f"{where}: {problem}; retrying")
                if self._closed.wait(self.retry.delay_s(attempt - 1, self._rng)):
                    break
            started = time.monotonic()
            try:
                response = self._session().get(
                    url, headers={"Accept": "image/*"}, stream=True, timeout=timeout
                )
            except requests.Timeout:
                problem, status = "no answer in time", None
                continue
            except requests.RequestException as exc:
                problem, status = _transfer_problem(exc), None
                continue
            try:
                status = response.status_code
                if status in RETRYABLE_STATUSES:
                    problem = f"HTTP {status}"
                    continue
                if status != 200:
                    self._refused_file(response, where)
                content_type = response.headers.get("Content-Type", "")
                if not content_type.startswith(_SERVED_TYPES):
                    refused = MalformedPayload(self.name, where, "not a file (wrong Content-Type)")
                    self.refuse(refused)
                    raise refused
                declared = _content_length(response)
                if declared is not None and declared > max_bytes:
                    self.health.record_success()  # the link is fine; the file is not
                    raise too_large(declared, 0)
                data = bytearray()
                for chunk in response.iter_content(PHOTO_CHUNK_BYTES):
                    data += chunk
                    if len(data) > max_bytes:
                        self.health.record_success()
                        raise too_large(declared, len(data))
            except requests.Timeout:
                problem, status = "no answer in time", None
                continue
            except requests.RequestException as exc:
                problem, status = _transfer_problem(exc), None
                continue
            finally:
                response.close()  # unread data is dropped with the connection, not drained
            elapsed = time.monotonic() - started
            if elapsed > self.slow_after_s:
                self.health.record_degraded(f"{where}: slow answer ({elapsed:.1f} s)")
            elif attempt > 1:
                self.health.record_degraded(f"{where}: answered after {attempt} attempts")
            else:
                self.health.record_success()
            return bytes(data)
        if self.closed:
            raise GatewayUnavailable(self.name, f"{self.name} link is closed")
        reason = f"{where}: {problem}"
        self.health.record_down(reason)
        raise GatewayUnavailable(self.name, reason, status=status, attempts=attempts)

    def _refused_file(self, response: requests.Response, where: str) -> None:
        status = response.status_code
        if 400 <= status < 500:
            self.health.record_success()
            body: dict[str, Any] = {}
            try:
                value = decode_json(response.raw.read(64 * 1024, decode_content=True))
                body = dict(value) if isinstance(value, dict) else {}
            except (ValueError, OSError):
                pass
            code = body.get("error") if isinstance(body.get("error"), str) else None
            raise GatewayRejected(self.name, status, code, body)
        reason = f"{where}: unexpected HTTP {status}"
        self.health.record_down(reason)
        raise GatewayUnavailable(self.name, reason, status=status)


def _content_length(response: requests.Response) -> int | None:
    raw = response.headers.get("Content-Length")
    if raw is None or "chunked" in response.headers.get("Transfer-Encoding", ""):
        return None
    try:
        return max(0, int(raw))
    except ValueError:
        return None


def _transfer_problem(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect"
    return f"transfer failed ({type(exc).__name__})"


# ---------------------------------------------------------------- the client


class SubmissionGateway(GatewayClient):
    """Client of the submission endpoints.

    Environment failures raise `GatewayUnavailable` and show in `health`; payloads that break
    the contract raise `MalformedPayload` (logged, refused); `SubmissionNotFound`,
    `ReviewRefused` and `PhotoTooLarge` say what the gateway or the file refused.
    """

    link: _FileLink

    def __init__(
        self,
        base_url: str,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        health: LinkHealth | None = None,
        slow_after_s: float = 2.0,
    ) -> None:
        self.link = _FileLink(
            LINK_NAME,
            base_url,
            timeouts=timeouts,
            retry=retry,
            health=health,
            slow_after_s=slow_after_s,
        )

    def poll_events(
        self, after_seq: int = 0, wait_s: float = 20.0, *, limit: int = 500
    ) -> SubmissionEventBatch:
        """Events after `after_seq`, waiting up to `wait_s` for the first one. A malformed
        event is logged and skipped (counted in `refused`); a malformed envelope raises."""
        items, next_seq, stream, refused = self.link.poll_log(
            "/submissions/events",
            "events",
            parse_event,
            after_seq,
            wait_s,
            limit=limit,
            max_wait_s=MAX_WAIT_S,
        )
        return SubmissionEventBatch(items, next_seq, stream, refused)

    def submission(self, submission_id: str) -> SubmissionInfo:
        try:
            return self.link.call("GET", _path(submission_id), parse_submission)
        except GatewayRejected as exc:
            if exc.status == 404:
                raise SubmissionNotFound(exc, submission_id) from exc
            raise

    def photo_bytes(
        self, submission_id: str, photo_id: str, *, max_bytes: int = HALL_PHOTO_LIMIT_BYTES
    ) -> bytes:
        """A photo's bytes as served (check them against the claims in `PhotoInfo`).
        Raises `PhotoTooLarge` as soon as more than `max_bytes` arrive, without reading on."""
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if not photo_id:
            raise ValueError("photo_id is empty")
        path = f"{_path(submission_id)}/photos/{quote(photo_id, safe='')}"

        def too_large(declared: int | None, received: int) -> PhotoTooLarge:
            return PhotoTooLarge(
                submission_id, photo_id, limit=max_bytes, declared=declared, received=received
            )

        try:
            return self.link.download(path, max_bytes=max_bytes, too_large=too_large)
        except GatewayRejected as exc:
            if exc.status == 404:
                raise SubmissionNotFound(exc, submission_id, photo_id) from exc
            raise

    def record_review(
        self,
        submission_id: str,
        *,
        outcome: ReviewOutcome | str,
        case_no: str,
        reviewer_seat: str,
        reasons: Sequence[ReturnReason] = (),
        idempotency_key: str | None = None,
    ) -> ReviewRecorded:
        """Tell the parties' app the outcome of this round: approved (no reasons) or
        returned (at least one). Pass the outbox row's key so a retry cannot record twice;
        without one a fresh key is used (still retried safely within this call)."""
        outcome = ReviewOutcome(outcome)
        if (outcome is ReviewOutcome.RETURNED) != bool(reasons):
            raise ValueError("a return needs at least one reason; an approval none")
        if not case_no or len(case_no) > 32:
            raise ValueError("case_no must be 1–32 characters")
        if not reviewer_seat or len(reviewer_seat) > 64:
            raise ValueError("reviewer_seat must be 1–64 characters")
        for reason in reasons:
            if len(reason.text) > 200:
                raise ValueError("a reason's text is at most 200 characters")
            if reason.party_letter is not None and reason.party_letter not in PARTY_LETTERS:
                raise ValueError(f"unknown party letter {reason.party_letter!r}")
            ReturnCode(reason.code)  # ValueError for a code the contract does not have
        body = {
            "outcome": outcome.value,
            "case_no": case_no,
            "reviewer_seat": reviewer_seat,
            "reasons": [r.to_json() for r in reasons],
        }
        try:
            return self.link.call(
                "POST",
                f"{_path(submission_id)}/review",
                _parse_recorded,
                body=body,
                idempotency_key=idempotency_key or new_idempotency_key(),
            )
        except GatewayRejected as exc:
            if exc.status == 404:
                raise SubmissionNotFound(exc, submission_id) from exc
            if exc.status == 409:
                raise ReviewRefused(exc, submission_id) from exc
            raise


def _path(submission_id: str) -> str:
    if not submission_id:
        raise ValueError("submission_id is empty")
    return "/submissions/" + quote(submission_id, safe="")


# ---------------------------------------------------------------- following the log


def follow_submission_events(
    gateway: SubmissionGateway,
    deliver: Callable[[SubmissionEventBatch], None],
    stop: threading.Event,
    *,
    after_seq: int = 0,
    wait_s: float = 10.0,
    backoff: RetryPolicy | None = None,
) -> int:
    """Long-poll the submission log until `stop` is set, handing each non-empty batch to
    `deliver`; returns the last sequence number seen. The same guarantees as
    `console.integrations.calls.follow_call_events`: outages and refused envelopes are ridden
    out with growing pauses, a new `stream` restarts at 0, and a batch `deliver` raised on is
    offered again after a pause (so `deliver` must be idempotent)."""
    return follow_log(
        "submission events",
        gateway.poll_events,
        lambda b: b.events,
        deliver,
        stop,
        after_seq=after_seq,
        wait_s=wait_s,
        backoff=backoff,
    )
