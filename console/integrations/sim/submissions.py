"""The simulated parties' app (交管12123 / WeChat / Alipay): submissions, photos, reviews.

The parties report the accident, who they are and what they drive, and upload the scene
photos and each party's licence and registration. Each submission is an event log entry
(`submitted`, `photos_added`, `resubmitted`, `agreement_signed`, `withdrawn`) the hall
long-polls like the call log. The hall records its review; a returned submission can be
uploaded again (a new round, the re-taken photos under new ids).

`inject(spec)` makes a submission now, from a spec a test or a trainer writes (every field
not given is made up); defects in the spec make the photos or the records wrong in the ways the
review must catch (`InjectSubmissionRequest` in the contract lists them). While the generator
is on, a guidance SMS schedules the parties' upload for its case 20–60 s later
(`schedule_upload`), sometimes with a defect, as real parties do.

Randomness comes from streams seeded by the simulator's seed, time from the injectable clock,
so the same seed and the same requests give the same submissions.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from console.domain.validation import validate_mobile
from console.integrations.sim.calls import (
    CHINA_TZ,
    MAX_WAIT_S,
    Clock,
    SystemClock,
    make_caller,
)
from console.integrations.sim.images import (
    DEFAULT_PHOTO_BYTES,
    EXTRA_KINDS,
    JPEG,
    MAX_PHOTO_BYTES,
    MIN_PHOTO_BYTES,
    PARTY_KINDS,
    PHOTO_KINDS,
    SCENE_KINDS,
    Defect,
    PhotoFactory,
    PhotoFile,
    PhotoSpec,
)
from console.integrations.sim.records import Party, RecordBook, RecordDefect, make_party

LETTERS: Final = ("A", "B", "C")
CHANNELS: Final = ("12123", "wechat", "alipay")
ACCIDENT_FORMS: Final = (
    "111", "112", "113", "121", "122", "130", "140", "150", "160", "170", "190", "199",
)  # fmt: skip
AGREEMENT_GRADES: Final = ("full", "equal", "none")
RETURN_CODES: Final = (
    "photo_missing", "photo_illegible", "licence_invalid", "licence_class_mismatch",
    "registration_invalid", "inspection_overdue", "compulsory_insurance_invalid", "excluded",
    "duplicate_suspected",
)  # fmt: skip
MAX_PHOTOS: Final = 30
DEFAULT_UPLOAD_DELAY_S: Final = (20.0, 60.0)
DEFAULT_DEFECT_RATE: Final = 0.25
"""Share of generated uploads (after a guidance SMS) with one defect."""

PHOTO_DEFECTS: Final = tuple(d.value for d in Defect)
RECORD_DEFECTS: Final = tuple(d.value for d in RecordDefect)
_PHOTO_REF = re.compile(rf"^({'|'.join(PHOTO_KINDS)})(?::([ABC]))?$")
_INJECT_KEYS: Final = frozenset(
    {
        "case_no", "token", "call_id", "channel", "occurred_at", "place", "accident_form",
        "injuries", "movable", "party_count", "phones", "parties", "agreement",
        "extra_photos", "photo_bytes", *PHOTO_DEFECTS, "missing", *RECORD_DEFECTS,
    }
)  # fmt: skip
_RESUBMIT_KEYS: Final = frozenset({"fix", "photo_bytes", "missing", *PHOTO_DEFECTS})
_PARTY_KEYS: Final = frozenset(
    {
        "letter", "name", "phone", "id_number", "licence_number", "licence_class",
        "plate_type", "plate_no", "vehicle_type", "insurer_code", "policy_no",
    }
)  # fmt: skip
_CHANNEL_SHARES: Final = (("12123", 0.6), ("wechat", 0.3), ("alipay", 0.1))
_FORMS: Final = (("113", 0.40), ("122", 0.22), ("112", 0.15), ("121", 0.08), ("190", 0.08),
                 ("111", 0.04), ("170", 0.03))  # fmt: skip


class SubmissionState(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class SubmissionEventKind(StrEnum):
    SUBMITTED = "submitted"
    PHOTOS_ADDED = "photos_added"
    RESUBMITTED = "resubmitted"
    AGREEMENT_SIGNED = "agreement_signed"
    WITHDRAWN = "withdrawn"


class SubmissionError(Exception):
    """A request the submission's state does not allow: the HTTP answer to give."""

    def __init__(self, status: int, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.status = status
        self.body: dict[str, Any] = {"error": error}
        if detail:
            self.body["detail"] = detail


def iso(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(UTC).isoformat(timespec="milliseconds")


# ---------------------------------------------------------------- the event log


class EventLog:
    """Events with a sequence number that only grows, for long polls. `append` is called
    with `cond` held, so events come in the order the changes were made."""

    def __init__(self, cond: threading.Condition, max_events: int = 50_000) -> None:
        self._cond = cond
        self._events: deque[dict[str, Any]] = deque(maxlen=max_events)
        self.last_seq = 0
        self.closed = False
        self.stream = uuid.uuid4().hex

    def append(self, event: dict[str, Any]) -> dict[str, Any]:
        self.last_seq += 1
        stamped = {"seq": self.last_seq, **event}
        self._events.append(stamped)
        self._cond.notify_all()
        return stamped

    def after(
        self, after: int, wait_s: float = 0.0, limit: int = 500
    ) -> tuple[list[dict[str, Any]], int]:
        """Events with seq > after (waiting up to wait_s for one) and the cursor to pass next;
        a cursor beyond the end (an earlier run) gets the current end back."""
        wait_s = min(max(0.0, wait_s), MAX_WAIT_S)
        with self._cond:
            if after == self.last_seq and wait_s > 0:
                self._cond.wait_for(lambda: self.last_seq > after or self.closed, timeout=wait_s)
            if after >= self.last_seq:
                return [], self.last_seq
            first = self._events[0]["seq"] if self._events else self.last_seq + 1
            start = max(0, after + 1 - first)
            events = list(itertools.islice(self._events, start, start + max(1, limit)))
            return events, events[-1]["seq"] if events else self.last_seq

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# ---------------------------------------------------------------- submissions


@dataclass
class _Photo:
    id: str
    kind: str
    letter: str | None
    spec: PhotoSpec
    file: PhotoFile
    taken_at: datetime
    lat: float | None
    lon: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "party_letter": self.letter,
            "sha256": self.file.claimed_sha256,
            "mime": JPEG,
            "size": self.file.claimed_size,
            "taken_at": iso(self.taken_at),
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass
class _Review:
    round: int
    outcome: str
    case_no: str
    reviewer_seat: str
    reasons: list[dict[str, Any]]
    recorded_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "outcome": self.outcome,
            "case_no": self.case_no,
            "reviewer_seat": self.reviewer_seat,
            "reasons": self.reasons,
            "recorded_at": iso(self.recorded_at),
        }


@dataclass
class _Submission:
    id: str
    channel: str
    state: SubmissionState
    submitted_at: datetime
    occurred_at: datetime
    call_id: str | None
    case_no: str | None
    token: str | None
    place: dict[str, Any]
    accident_form: str | None
    injuries: bool
    movable: bool
    parties: list[Party]
    photos: list[_Photo]
    agreement: dict[str, Any] | None
    round: int = 1
    photo_serial: int = 0
    every_photo: dict[str, _Photo] = field(default_factory=dict)
    reviews: list[_Review] = field(default_factory=list)
    # (kind, letter) slots that had a defect or were missing in the current round.
    flawed: set[tuple[str, str | None]] = field(default_factory=set)

    @property
    def withdrawn(self) -> bool:
        return self.state is SubmissionState.WITHDRAWN

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "state": self.state.value,
            "submitted_at": iso(self.submitted_at),
            "occurred_at": iso(self.occurred_at),
            "call_id": self.call_id,
            "case_no": self.case_no,
            "token": self.token,
            "round": self.round,
            "place": dict(self.place),
            "accident_form": self.accident_form,
            "injuries": self.injuries,
            "movable": self.movable,
            "parties": [p.to_json() for p in self.parties],
            "photos": [p.to_json() for p in self.photos],
            "agreement": self.agreement,
        }


@dataclass(frozen=True)
class ScheduledUpload:
    """The parties' upload a guidance SMS set off, due at `due_at` (simulator time)."""

    case_no: str
    token: str | None
    phone: str
    call: Mapping[str, Any] | None
    due_at: datetime
    resubmit_id: str | None = None  # a returned submission of the case: upload it again

    def to_json(self) -> dict[str, Any]:
        return {
            "case_no": self.case_no,
            "token": self.token,
            "phone": self.phone,
            "call_id": self.call.get("id") if self.call else None,
            "due_at": iso(self.due_at),
        }


@dataclass(frozen=True)
class _Slot:
    """One photo to take: its kind, party, and what is wrong with it."""

    kind: str
    letter: str | None
    defect: Defect | None = None


class SubmissionSimulator:
    """The parties' side of submissions. Thread-safe: HTTP handler threads inject, read and
    record reviews; the simulator's thread calls `tick()` for scheduled uploads."""

    def __init__(
        self,
        *,
        seed: int = 1,
        clock: Clock | None = None,
        records: RecordBook | None = None,
        photos: PhotoFactory | None = None,
        uploads: bool = True,
        upload_delay_s: tuple[float, float] = DEFAULT_UPLOAD_DELAY_S,
        photo_bytes: int = DEFAULT_PHOTO_BYTES,
        defect_rate: float = DEFAULT_DEFECT_RATE,
        call_lookup: Callable[[str], Mapping[str, Any] | None] | None = None,
        max_submissions: int = 20_000,
    ) -> None:
        low, high = upload_delay_s
        if not 0 <= low <= high:
            raise ValueError("upload_delay_s must be (low, high) with 0 ≤ low ≤ high")
        _check_photo_bytes(photo_bytes)
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self.records = records or RecordBook()
        self.photos = photos or PhotoFactory()
        self.uploads = uploads
        self.upload_delay_s = (float(low), float(high))
        self.photo_bytes = photo_bytes
        self.defect_rate = defect_rate
        self._call_lookup = call_lookup
        self._inject_rng = random.Random(f"{seed}/submissions")
        self._upload_rng = random.Random(f"{seed}/uploads")
        self._delay_rng = random.Random(f"{seed}/upload-delays")
        self._cond = threading.Condition()
        self._inject_lock = threading.Lock()  # one submission made at a time, in rng order
        self._tick_lock = threading.Lock()  # one thread makes the due uploads, in order
        self.log = EventLog(self._cond)
        self._subs: OrderedDict[str, _Submission] = OrderedDict()
        self._max_submissions = max_submissions
        self._serial = itertools.count(1)
        self._pending: list[ScheduledUpload] = []
        self._paused_since: datetime | None = None
        self.wake = threading.Event()

    # ------------------------------------------------------------ reading

    def submission(self, submission_id: str) -> dict[str, Any]:
        with self._cond:
            return self._get(submission_id).to_json()

    def all_submissions(self) -> list[dict[str, Any]]:
        with self._cond:
            return [s.to_json() for s in self._subs.values()]

    def for_case(self, case_no: str) -> list[dict[str, Any]]:
        with self._cond:
            return [s.to_json() for s in self._subs.values() if s.case_no == case_no]

    def reviews(self, submission_id: str) -> list[dict[str, Any]]:
        with self._cond:
            return [r.to_json() for r in self._get(submission_id).reviews]

    def photo(self, submission_id: str, photo_id: str) -> tuple[PhotoSpec, PhotoFile]:
        """A photo's recipe and file, for serving; replaced photos are still served."""
        with self._cond:
            sub = self._subs.get(submission_id)
            if sub is None:
                raise SubmissionError(404, "no_such_submission")
            found = sub.every_photo.get(photo_id)
            if found is None:
                raise SubmissionError(404, "no_such_photo")
            return found.spec, found.file

    def photo_chunks(self, spec: PhotoSpec) -> Iterator[bytes]:
        return self.photos.chunks(spec)

    def events_after(
        self, after: int, wait_s: float = 0.0, limit: int = 500
    ) -> tuple[list[dict[str, Any]], int]:
        return self.log.after(after, wait_s, limit)

    @property
    def stream(self) -> str:
        return self.log.stream

    @property
    def last_seq(self) -> int:
        with self._cond:
            return self.log.last_seq

    def scheduled(self) -> list[dict[str, Any]]:
        with self._cond:
            return [u.to_json() for u in sorted(self._pending, key=lambda u: u.due_at)]

    # ------------------------------------------------------------ the parties' side

    def inject(self, spec: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The parties upload a report now; see `InjectSubmissionRequest` in the contract."""
        return self._make(dict(spec or {}), self._inject_rng).to_json()

    def resubmit(self, submission_id: str, spec: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Upload a returned submission again: the photos in `fix` (default: every flawed
        or missing one) and those a new defect names are taken again, under new ids."""
        return self._resubmit(submission_id, dict(spec or {}), self._inject_rng)

    def add_photos(self, submission_id: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        given = dict(spec)
        unknown = set(given) - {"photos", "photo_bytes"}
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        refs = _refs(given.get("photos"), "photos")
        if not refs:
            raise ValueError("photos must name at least one photo")
        target = _photo_bytes(given.get("photo_bytes"), self.photo_bytes)
        with self._inject_lock:
            with self._cond:
                sub = self._get(submission_id)
                if sub.state is SubmissionState.WITHDRAWN:
                    raise SubmissionError(409, "withdrawn")
                letters = [p.letter for p in sub.parties]
                slots = [_Slot(k, ltr) for k, ltr in _expand(refs, letters)]
                if len(sub.photos) + len(slots) > MAX_PHOTOS:
                    raise SubmissionError(409, "too_many_photos", f"at most {MAX_PHOTOS}")
                plans = self._plan_photos(
                    sub, slots, target, self._inject_rng, since=sub.submitted_at
                )
            made = [self._take(plan) for plan in plans]
            with self._cond:
                if sub.withdrawn:  # meanwhile
                    raise SubmissionError(409, "withdrawn")
                sub.photos.extend(made)
                sub.every_photo.update({p.id: p for p in made})
                self._emit(SubmissionEventKind.PHOTOS_ADDED, sub)
                return sub.to_json()

    def sign_agreement(self, submission_id: str, grades: Mapping[str, Any]) -> dict[str, Any]:
        checked = _agreement(grades)
        if checked is None:
            raise ValueError("grades must name at least one party")
        with self._cond:
            sub = self._get(submission_id)
            if sub.state is SubmissionState.WITHDRAWN:
                raise SubmissionError(409, "withdrawn")
            letters = {p.letter for p in sub.parties}
            if not set(checked) <= letters:
                raise ValueError("grades name a party the submission does not have")
            sub.agreement = {"grades": checked, "signed_at": iso(self.clock.now())}
            self._emit(SubmissionEventKind.AGREEMENT_SIGNED, sub)
            return sub.to_json()

    def withdraw(self, submission_id: str) -> dict[str, Any]:
        with self._cond:
            sub = self._get(submission_id)
            if sub.state is not SubmissionState.WITHDRAWN:
                sub.state = SubmissionState.WITHDRAWN
                self._emit(SubmissionEventKind.WITHDRAWN, sub)
            return sub.to_json()

    # ------------------------------------------------------------ the hall's review

    def review(self, submission_id: str, body: object) -> dict[str, Any]:
        """Record the hall's outcome for the current round (see `ReviewRequest`)."""
        outcome, case_no, seat, reasons = _review_request(body)
        with self._cond:
            sub = self._get(submission_id)
            if sub.state is SubmissionState.WITHDRAWN:
                raise SubmissionError(409, "withdrawn")
            if sub.case_no is not None and sub.case_no != case_no:
                raise SubmissionError(
                    409, "case_mismatch", "the submission belongs to another case"
                )
            current = [r for r in sub.reviews if r.round == sub.round]
            if current:
                if current[-1].outcome != outcome:
                    raise SubmissionError(
                        409, "already_reviewed", f"round {sub.round} was {current[-1].outcome}"
                    )
                recorded = current[-1]
            else:
                recorded = _Review(sub.round, outcome, case_no, seat, reasons, self.clock.now())
                sub.reviews.append(recorded)
                sub.case_no = sub.case_no or case_no
                sub.state = SubmissionState(outcome)
            return {
                "submission_id": sub.id,
                "state": recorded.outcome,
                "recorded_at": iso(recorded.recorded_at),
            }

    # ------------------------------------------------------------ uploads after guidance

    def schedule_upload(self, case_no: str, token: str | None, phone: str) -> dict[str, Any] | None:
        """After a guidance SMS: the parties upload for the case 20–60 s later (a returned
        submission of the case is uploaded again). None while uploads are off, or when one
        is already due or the case's submission is not waiting for one."""
        if not self.uploads:
            return None
        call = self._call_lookup(phone) if self._call_lookup else None
        with self._cond:
            if any(u.case_no == case_no for u in self._pending):
                return None
            subs = [s for s in self._subs.values() if s.case_no == case_no]
            resubmit_id: str | None = None
            if subs:
                latest = subs[-1]
                if latest.state is not SubmissionState.RETURNED:
                    return None
                resubmit_id = latest.id
            low, high = self.upload_delay_s
            delay = timedelta(seconds=self._delay_rng.uniform(low, high))
            upload = ScheduledUpload(case_no, token, phone, call, self._now() + delay, resubmit_id)
            self._pending.append(upload)
        self.wake.set()
        return upload.to_json()

    def tick(self) -> list[dict[str, Any]]:
        """Make the uploads that are due; returns the submissions made or re-submitted."""
        with self._tick_lock:
            return self._make_due()

    def _make_due(self) -> list[dict[str, Any]]:
        made: list[dict[str, Any]] = []
        while True:
            with self._cond:
                if self._paused_since is not None or self.log.closed:
                    return made
                now = self._now()
                due = sorted((u for u in self._pending if u.due_at <= now), key=lambda u: u.due_at)
                if not due:
                    return made
                upload = due[0]
                self._pending.remove(upload)
            try:
                if upload.resubmit_id is not None:
                    made.append(self._resubmit(upload.resubmit_id, {}, self._upload_rng))
                else:
                    made.append(self._make(self._upload_spec(upload), self._upload_rng).to_json())
            except SubmissionError:
                continue  # withdrawn or reviewed meanwhile: nothing to upload

    def seconds_until_due(self) -> float | None:
        with self._cond:
            if self._paused_since is not None or not self._pending:
                return None
            soonest = min(u.due_at for u in self._pending)
            return max(0.0, (soonest - self._now()).total_seconds())

    def pause(self) -> None:
        with self._cond:
            if self._paused_since is None:
                self._paused_since = self.clock.now()

    def resume(self) -> None:
        with self._cond:
            if self._paused_since is not None:
                gap = self.clock.now() - self._paused_since
                self._pending = [
                    ScheduledUpload(
                        u.case_no, u.token, u.phone, u.call, u.due_at + gap, u.resubmit_id
                    )
                    for u in self._pending
                ]
                self._paused_since = None
        self.wake.set()

    def close(self) -> None:
        self.log.close()
        self.wake.set()

    def _now(self) -> datetime:
        return self.clock.now()

    def _upload_spec(self, upload: ScheduledUpload) -> dict[str, Any]:
        """What the parties upload after a guidance SMS: the caller is party A, the place and
        the account come from the call, and now and then something is wrong."""
        rng = self._upload_rng
        spec: dict[str, Any] = {"case_no": upload.case_no, "token": upload.token}
        call = upload.call
        party_a: dict[str, Any] = {"phone": upload.phone}
        count = 2
        if call:
            spec["call_id"] = call.get("id")
            if call.get("place_text"):
                spec["place"] = {
                    "text": call["place_text"],
                    "lat": call.get("lat"),
                    "lon": call.get("lon"),
                    "district": call.get("district"),
                }
            if isinstance(call.get("injuries"), bool):
                spec["injuries"] = call["injuries"]
            if isinstance(call.get("vehicle_count"), int) and 1 <= call["vehicle_count"] <= 3:
                count = call["vehicle_count"]
            if call.get("caller_name"):
                party_a["name"] = call["caller_name"]
            rang = datetime.fromisoformat(call["rang_at"]) if call.get("rang_at") else None
            if rang is not None:
                spec["occurred_at"] = iso(rang - timedelta(minutes=rng.uniform(1, 8)))
        spec["parties"] = [party_a] + [{} for _ in range(count - 1)]
        if rng.random() < self.defect_rate:
            letter = rng.choice(LETTERS[:count])
            kind = rng.choices(
                [*PHOTO_DEFECTS, "missing", *RECORD_DEFECTS],
                weights=[0.15, 0.04, 0.1, 0.06, 0.3, 0.1, 0.05, 0.12, 0.08],
            )[0]
            if kind in RECORD_DEFECTS:
                spec[kind] = letter
            else:
                required = [*SCENE_KINDS, *(f"{k}:{letter}" for k in PARTY_KINDS)]
                spec[kind] = [rng.choice(required)]
        return spec

    # ------------------------------------------------------------ making submissions

    def _make(self, spec: dict[str, Any], rng: random.Random) -> _Submission:
        unknown = set(spec) - _INJECT_KEYS
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        parsed = _parse_inject(spec, self.photo_bytes)
        with self._inject_lock:
            now = self._now()
            if parsed.occurred_at is not None and parsed.occurred_at > now:
                raise ValueError("occurred_at is in the future")
            with self._cond:
                sub_id = f"S{now.astimezone(CHINA_TZ):%Y%m%d}-{next(self._serial):05d}"
            occurred = parsed.occurred_at or now - timedelta(minutes=rng.uniform(5, 15))
            caller = make_caller(rng)
            place = {
                "text": caller.place_text,
                "lat": caller.lat,
                "lon": caller.lon,
                "district": caller.district,
            }
            place.update(parsed.place)
            day = occurred.astimezone(CHINA_TZ).date()
            parties: list[Party] = []
            for index, given in enumerate(parsed.parties):
                letter = LETTERS[index]
                defects = frozenset(
                    RecordDefect(d)
                    for d, letters in parsed.record_defects.items()
                    if letter in letters
                )
                parties.append(make_party(rng, letter, day, given, defects))
            letters = [p.letter for p in parties]
            slots = _slots(letters, parsed, rng)
            sub = _Submission(
                id=sub_id,
                channel=parsed.channel or _pick(rng, _CHANNEL_SHARES),
                state=SubmissionState.SUBMITTED,
                submitted_at=now,
                occurred_at=occurred,
                call_id=parsed.call_id,
                case_no=parsed.case_no,
                token=parsed.token,
                place=place,
                accident_form=parsed.accident_form
                if parsed.accident_form_given
                else _pick(rng, _FORMS),
                injuries=parsed.injuries,
                movable=parsed.movable,
                parties=parties,
                photos=[],
                agreement=(
                    {"grades": parsed.agreement, "signed_at": iso(now)}
                    if parsed.agreement
                    else None
                ),
            )
            sub.flawed = _flawed(letters, slots)
            plans = self._plan_photos(sub, slots, parsed.photo_bytes, rng, since=occurred)
            made = [self._take(plan) for plan in plans]
            sub.photos = made
            sub.every_photo = {p.id: p for p in made}
            with self._cond:
                for party in parties:
                    self.records.add(party)
                self._subs[sub.id] = sub
                self._forget_old()
                self._emit(SubmissionEventKind.SUBMITTED, sub)
            return sub

    def _resubmit(
        self, submission_id: str, spec: dict[str, Any], rng: random.Random
    ) -> dict[str, Any]:
        unknown = set(spec) - _RESUBMIT_KEYS
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        target = _photo_bytes(spec.get("photo_bytes"), self.photo_bytes)
        with self._inject_lock:
            with self._cond:
                sub = self._get(submission_id)
                if sub.state is not SubmissionState.RETURNED:
                    raise SubmissionError(
                        409, "not_returned", f"the submission is {sub.state.value}"
                    )
                letters = [p.letter for p in sub.parties]
                defects = _photo_defects(spec, letters)
                missing = set(_expand(_refs(spec.get("missing"), "missing"), letters))
                if "fix" in spec:
                    fix = set(_expand(_refs(spec["fix"], "fix"), letters))
                else:
                    fix = set(sub.flawed)
                retake = fix | set(defects) | missing
                kept = [p for p in sub.photos if (p.kind, p.letter) not in retake]
                slots = [
                    _Slot(kind, letter, defects.get((kind, letter)))
                    for kind, letter in sorted(retake, key=_slot_order)
                    if (kind, letter) not in missing
                ]
                plans = self._plan_photos(sub, slots, target, rng, since=sub.submitted_at)
            made = [self._take(plan) for plan in plans]
            with self._cond:
                if sub.state is not SubmissionState.RETURNED:  # withdrawn meanwhile
                    raise SubmissionError(409, "not_returned", f"the submission is {sub.state}")
                sub.photos = sorted(kept + made, key=lambda p: _slot_order((p.kind, p.letter)))
                sub.every_photo.update({p.id: p for p in made})
                sub.flawed = {(s.kind, s.letter) for s in slots if s.defect is not None} | {
                    slot for slot in missing if slot[0] not in EXTRA_KINDS
                }
                sub.round += 1
                sub.state = SubmissionState.SUBMITTED
                sub.submitted_at = self._now()
                self._emit(SubmissionEventKind.RESUBMITTED, sub)
                return sub.to_json()

    def _plan_photos(
        self,
        sub: _Submission,
        slots: Sequence[_Slot],
        target: int,
        rng: random.Random,
        *,
        since: datetime,
    ) -> list[tuple[str, _Slot, PhotoSpec, datetime, float | None, float | None]]:
        """Ids, times (taken between `since` and now), places and recipes of the photos to
        take; the rng is drawn in order."""
        plans = []
        parties = {p.letter: p for p in sub.parties}
        plates = tuple(("plate", p.plate_no) for p in sub.parties)
        span = max((self._now() - since).total_seconds(), 1.0)
        for slot in slots:
            sub.photo_serial += 1
            photo_id = f"{sub.id}-P{sub.photo_serial:02d}"
            taken = since + timedelta(seconds=rng.uniform(0.1, 0.9) * span)
            lat, lon = sub.place.get("lat"), sub.place.get("lon")
            if isinstance(lat, float) and isinstance(lon, float):
                lat = round(lat + rng.uniform(-0.0002, 0.0002), 6)
                lon = round(lon + rng.uniform(-0.0002, 0.0002), 6)
            local = taken.astimezone(CHINA_TZ)
            stamp = f"{local:%Y-%m-%d %H:%M:%S}"
            if isinstance(lat, float) and isinstance(lon, float):
                stamp += f"  {lat:.5f}N {lon:.5f}E"
            fields: tuple[tuple[str, str], ...]
            if slot.kind == "driving_licence" and slot.letter in parties:
                fields = parties[slot.letter].licence_fields()
            elif slot.kind == "vehicle_registration" and slot.letter in parties:
                fields = parties[slot.letter].registration_fields()
            else:
                fields = plates
            spec = PhotoSpec(
                kind=slot.kind,
                variant=rng.randrange(1 << 30),
                target_bytes=target,
                fields=(*fields, ("stamp", stamp)),
                tag=f"{photo_id} {iso(taken)}",
                defect=slot.defect,
            )
            plans.append((photo_id, slot, spec, taken, lat, lon))
        return plans

    def _take(
        self, plan: tuple[str, _Slot, PhotoSpec, datetime, float | None, float | None]
    ) -> _Photo:
        photo_id, slot, spec, taken, lat, lon = plan
        return _Photo(
            photo_id, slot.kind, slot.letter, spec, self.photos.describe(spec), taken, lat, lon
        )

    def _emit(self, kind: SubmissionEventKind, sub: _Submission) -> None:
        self.log.append({"kind": kind.value, "at": iso(self.clock.now()), "submission_id": sub.id})

    def _get(self, submission_id: str) -> _Submission:
        sub = self._subs.get(submission_id)
        if sub is None:
            raise SubmissionError(404, "no_such_submission")
        return sub

    def _forget_old(self) -> None:
        while len(self._subs) > self._max_submissions:
            self._subs.popitem(last=False)


# ---------------------------------------------------------------- spec parsing


@dataclass
class _Parsed:
    case_no: str | None = None
    token: str | None = None
    call_id: str | None = None
    channel: str | None = None
    occurred_at: datetime | None = None
    place: dict[str, Any] = field(default_factory=dict)
    accident_form: str | None = None
    accident_form_given: bool = False
    injuries: bool = False
    movable: bool = True
    parties: list[dict[str, Any]] = field(default_factory=list)
    agreement: dict[str, str] = field(default_factory=dict)
    extra_photos: int | None = None
    photo_bytes: int = DEFAULT_PHOTO_BYTES
    photo_defects: dict[tuple[str, str | None], Defect] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    record_defects: dict[str, set[str]] = field(default_factory=dict)


def _parse_inject(spec: Mapping[str, Any], default_bytes: int) -> _Parsed:
    out = _Parsed()
    out.case_no = _opt_text(spec, "case_no", 32)
    out.token = _opt_text(spec, "token", 64)
    out.call_id = _opt_text(spec, "call_id", 64)
    if spec.get("channel") is not None:
        out.channel = _choice(spec, "channel", CHANNELS)
    if spec.get("occurred_at") is not None:
        raw = spec["occurred_at"]
        try:
            when = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            raise ValueError("occurred_at must be an ISO 8601 date-time with an offset")
        out.occurred_at = when.astimezone(UTC)
    place = spec.get("place")
    if place is not None:
        if not isinstance(place, Mapping) or set(place) - {"text", "lat", "lon", "district"}:
            raise ValueError("place takes text, lat, lon and district")
        out.place = dict(place)
    if "accident_form" in spec:
        out.accident_form_given = True
        if spec["accident_form"] is not None:
            out.accident_form = _choice(spec, "accident_form", ACCIDENT_FORMS)
    out.injuries = _flag(spec, "injuries", False)
    out.movable = _flag(spec, "movable", True)
    phones = spec.get("phones")
    if phones is not None and (
        not isinstance(phones, list) or not 1 <= len(phones) <= 3 or not all(
            isinstance(p, str) for p in phones)
    ):  # fmt: skip
        raise ValueError("phones must be a list of 1–3 mobile numbers")
    parties = spec.get("parties")
    if parties is not None and (
        not isinstance(parties, list) or not 1 <= len(parties) <= 3
        or not all(isinstance(p, Mapping) for p in parties)
    ):  # fmt: skip
        raise ValueError("parties must be a list of 1–3 objects")
    count = spec.get("party_count")
    if count is not None and (isinstance(count, bool) or count not in (1, 2, 3)):
        raise ValueError("party_count must be 1, 2 or 3")
    count = count or len(parties or phones or [None, None])
    given: list[dict[str, Any]] = [dict(p) for p in (parties or [])]
    given += [{} for _ in range(count - len(given))]
    if len(given) > count:
        raise ValueError("more parties than party_count")
    for index, party in enumerate(given):
        unknown = set(party) - _PARTY_KEYS
        if unknown:
            raise ValueError(f"unknown party fields: {', '.join(sorted(unknown))}")
        letter = party.pop("letter", LETTERS[index])
        if letter != LETTERS[index]:
            raise ValueError("parties are lettered A, B, C in order")
        if phones and index < len(phones) and "phone" not in party:
            party["phone"] = phones[index]
        if party.get("phone") is not None:
            party["phone"] = validate_mobile(str(party["phone"]))
        plate_type = party.get("plate_type")
        if plate_type is not None and not re.fullmatch(r"\d{2}", str(plate_type)):
            raise ValueError("plate_type must be two digits")
    out.parties = given
    out.agreement = _agreement(spec.get("agreement")) or {}
    if set(out.agreement) - set(LETTERS[: len(given)]):
        raise ValueError("agreement names a party the submission does not have")
    extra = spec.get("extra_photos")
    if extra is not None and (isinstance(extra, bool) or extra not in range(13)):
        raise ValueError("extra_photos must be 0–12")
    out.extra_photos = extra
    out.photo_bytes = _photo_bytes(spec.get("photo_bytes"), default_bytes)
    letters = list(LETTERS[: len(given)])
    out.photo_defects = _photo_defects(spec, letters)
    out.missing = _refs(spec.get("missing"), "missing")
    _expand(out.missing, letters)  # checks the letters
    for name in RECORD_DEFECTS:
        named = _letters(spec.get(name), name)
        if set(named) - set(letters):
            raise ValueError(f"{name} names a party the submission does not have")
        if named:
            out.record_defects[name] = set(named)
    return out


def _photo_defects(
    spec: Mapping[str, Any], letters: Sequence[str]
) -> dict[tuple[str, str | None], Defect]:
    found: dict[tuple[str, str | None], Defect] = {}
    for defect in Defect:
        for slot in _expand(_refs(spec.get(defect.value), defect.value), letters):
            if slot in found:
                raise ValueError(f"{slot[0]} has two defects")
            found[slot] = defect
    return found


def _slots(letters: Sequence[str], parsed: _Parsed, rng: random.Random) -> list[_Slot]:
    """Every photo of the first upload, in the app's order; missing ones are left out."""
    wanted: list[tuple[str, str | None]] = [(k, None) for k in SCENE_KINDS]
    for letter in letters:
        wanted += [(k, letter) for k in PARTY_KINDS]
    extra = parsed.extra_photos
    if extra is None:
        extra = rng.choice((0, 1, 1, 2))
    wanted += [(rng.choice(EXTRA_KINDS), None) for _ in range(extra)]
    for slot in parsed.photo_defects:  # a defect on an extra kind brings one along
        if slot not in wanted:
            wanted.append(slot)
    missing = set(_expand(parsed.missing, letters))
    seen: set[tuple[str, str | None]] = set()
    slots = []
    for slot in wanted:
        if slot in missing:
            continue
        defect = parsed.photo_defects.get(slot) if slot not in seen else None
        seen.add(slot)
        slots.append(_Slot(slot[0], slot[1], defect))
    return slots


def _flawed(letters: Sequence[str], slots: Sequence[_Slot]) -> set[tuple[str, str | None]]:
    """Required photos that are missing, and every photo with a defect."""
    required: set[tuple[str, str | None]] = {(k, None) for k in SCENE_KINDS}
    required |= {(k, letter) for letter in letters for k in PARTY_KINDS}
    present = {(s.kind, s.letter) for s in slots}
    return (required - present) | {(s.kind, s.letter) for s in slots if s.defect is not None}


def _slot_order(slot: tuple[str, str | None]) -> tuple[int, str, int]:
    """The app's order: scene photos, then each party's licence and registration, then the
    other scene and damage photos."""
    kind, letter = slot
    group = 0 if kind in SCENE_KINDS else 1 if kind in PARTY_KINDS else 2
    return group, letter or "", PHOTO_KINDS.index(kind)


def _refs(value: object, key: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"{key} must be a photo kind or a list of them")
    for item in items:
        if not _PHOTO_REF.match(item):
            raise ValueError(f"{key}: {item!r} is not a photo kind (with :A, :B or :C)")
    return list(items)


def _expand(refs: Sequence[str], letters: Sequence[str]) -> list[tuple[str, str | None]]:
    """(kind, letter) slots of refs; a party kind without a letter means every party's."""
    slots: list[tuple[str, str | None]] = []
    for ref in refs:
        found = _PHOTO_REF.match(ref)
        assert found is not None
        kind, letter = found[1], found[2]
        if kind in PARTY_KINDS:
            if letter is not None and letter not in letters:
                raise ValueError(f"{ref}: the submission has no party {letter}")
            slots += [(kind, ltr) for ltr in ([letter] if letter else letters)]
        elif letter is not None:
            raise ValueError(f"{ref}: scene photos belong to no party")
        else:
            slots.append((kind, None))
    return slots


def _letters(value: object, key: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(v in LETTERS for v in items):
        raise ValueError(f"{key} must be a party letter (A, B, C) or a list of them")
    return list(items)


def _agreement(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not value:
        raise ValueError("agreement grades must be an object of party letter → grade")
    out: dict[str, str] = {}
    for letter, grade in value.items():
        if letter not in LETTERS or grade not in AGREEMENT_GRADES:
            raise ValueError("agreement grades are full, equal or none, by party letter")
        out[str(letter)] = str(grade)
    return out


def _photo_bytes(value: object, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("photo_bytes must be an integer")
    _check_photo_bytes(value)
    return value


def _check_photo_bytes(value: int) -> None:
    if not MIN_PHOTO_BYTES <= value <= MAX_PHOTO_BYTES:
        raise ValueError(f"photo_bytes must be between {MIN_PHOTO_BYTES} and {MAX_PHOTO_BYTES}")


def _opt_text(spec: Mapping[str, Any], key: str, max_len: int) -> str | None:
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise ValueError(f"{key} must be a string of 1–{max_len} characters")
    return value


def _choice(spec: Mapping[str, Any], key: str, choices: Sequence[str]) -> str:
    value = spec.get(key)
    if value not in choices:
        raise ValueError(f"{key} must be one of {', '.join(choices)}")
    return str(value)


def _flag(spec: Mapping[str, Any], key: str, default: bool) -> bool:
    value = spec.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _pick(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items], k=1)[0]


def _review_request(body: object) -> tuple[str, str, str, list[dict[str, Any]]]:
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object")
    missing = [k for k in ("outcome", "case_no", "reviewer_seat", "reasons") if k not in body]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    unknown = set(body) - {"outcome", "case_no", "reviewer_seat", "reasons"}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    outcome = _choice(body, "outcome", ("approved", "returned"))
    case_no = _opt_text(body, "case_no", 32)
    seat = _opt_text(body, "reviewer_seat", 64)
    if case_no is None or seat is None:
        raise ValueError("case_no and reviewer_seat must be non-empty strings")
    raw = body["reasons"]
    if not isinstance(raw, list):
        raise ValueError("reasons must be a list")
    if (outcome == "returned") != bool(raw):
        raise ValueError("a return needs at least one reason; an approval none")
    reasons: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - {"code", "party_letter", "photo_kind",
                                                          "text"}:  # fmt: skip
            raise ValueError("a reason has code, party_letter, photo_kind and text")
        code = _choice(item, "code", RETURN_CODES)
        letter = item.get("party_letter")
        if letter is not None and letter not in LETTERS:
            raise ValueError("party_letter must be A, B, C or null")
        kind = item.get("photo_kind")
        if kind is not None and kind not in PHOTO_KINDS:
            raise ValueError("photo_kind is not a photo kind")
        text = item.get("text")
        if not isinstance(text, str) or len(text) > 200:
            raise ValueError("text must be a string of at most 200 characters")
        reason: dict[str, Any] = {"code": code, "party_letter": letter, "text": text}
        if kind is not None:
            reason["photo_kind"] = kind
        reasons.append(reason)
    return outcome, case_no, seat, reasons
