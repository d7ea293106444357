"""The simulated 122 side of the call handover (一键托管): callers, arrivals, call control.

Calls arrive as a Poisson process whose rate follows the day (quiet at night, peaks at the
morning and evening rush, domain-brief §5.3), from callers with believable mobiles, names and
places inside Dongying's districts. A caller nobody answers hangs up after an exponential
patience. Seats answer (exactly one wins), transfer to a position or a seat (the call rings
again there) and hang up; every change is an event with a sequence number that only grows, so
consoles can follow the log by long-polling and never miss or repeat a step.

Everything random comes from `random.Random` seeded by the simulator's seed and time comes from
an injectable clock, so a fixed seed gives the same calls and tests can run a simulated hour in
milliseconds.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from console.domain.positions import Position
from console.domain.validation import validate_mobile

# China has one time zone and no daylight saving; the daily curve runs on local hours.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

# Share of the peak rate for each local hour 0–23. Accident calls follow traffic: little at
# night, a morning peak 8–9 and an evening peak 17–19.
DAILY_CURVE: tuple[float, ...] = (
    0.08, 0.06, 0.05, 0.05, 0.06, 0.12,   # 0–5
    0.30, 0.70, 1.00, 0.80, 0.65, 0.65,   # 6–11
    0.55, 0.50, 0.55, 0.60, 0.75, 1.00,   # 12–17
    1.00, 0.70, 0.45, 0.30, 0.20, 0.12,   # 18–23
)  # fmt: skip
FLAT_CURVE: tuple[float, ...] = (1.0,) * 24

MAX_WAIT_S = 60.0
DEFAULT_EVENT_LIMIT = 500


class CallState(StrEnum):
    """The states of `console.db.models.CALL_STATES`, as the gateway reports them."""

    RINGING = "ringing"
    ANSWERED = "answered"
    TRANSFERRING = "transferring"
    ENDED = "ended"
    ABANDONED = "abandoned"  # the caller hung up before anyone answered


class EventKind(StrEnum):
    RANG = "rang"
    CALLER_HUNG_UP = "caller_hung_up"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"
    ENDED = "ended"


# ---------------------------------------------------------------- clocks


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told, so a test can run a simulated hour at once."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


# ---------------------------------------------------------------- places and callers


@dataclass(frozen=True)
class District:
    """A county-level unit of Dongying with one urban centre calls cluster around.

    The box is the unit's rough extent (south, west, north, east); a generated place never
    leaves it.
    """

    name: str
    lat: float
    lon: float
    weight: float
    roads: tuple[str, ...]
    box: tuple[float, float, float, float]

    def contains(self, lat: float, lon: float) -> bool:
        south, west, north, east = self.box
        return south <= lat <= north and west <= lon <= east


_DONGYING_BOX = (37.25, 118.30, 37.65, 118.95)
DISTRICTS: tuple[District, ...] = (
    District("东营区", 37.435, 118.672, 0.40,
             ("府前大街", "东三路", "东二路", "黄河路", "济南路", "南一路", "北一路", "庐山路"),
             _DONGYING_BOX),
    District("东营区", 37.462, 118.498, 0.26,
             ("西四路", "西三路", "西二路", "北一路", "南一路", "淄博路", "济南路", "运河路"),
             _DONGYING_BOX),
    District("垦利区", 37.588, 118.548, 0.12,
             ("胜兴路", "行政路", "民丰路", "垦利大道", "新兴路"), (37.45, 118.40, 37.95, 119.25)),
    District("广饶县", 37.053, 118.407, 0.10,
             ("乐安大街", "孙武路", "月河路", "花苑路", "广凯路"), (36.90, 118.25, 37.30, 118.80)),
    District("河口区", 37.886, 118.525, 0.06,
             ("河口大街", "海宁路", "黄河路", "孤岛路", "新华路"), (37.75, 118.20, 38.15, 119.00)),
    District("利津县", 37.490, 118.255, 0.06,
             ("利一路", "津二路", "大桥路", "利十路", "黄河大道"), (37.30, 117.95, 37.95, 118.45)),
)  # fmt: skip

# What callers say first: text, vehicles, anyone hurt, weight. Mostly the two-car bumps the
# fast track exists for, with a few that will leave it (injury, three cars).
DESCRIPTIONS: tuple[tuple[str, int, bool, float], ...] = (
    ("两车追尾，无人受伤，车辆能移动", 2, False, 0.30),
    ("同向行驶刮擦，双方对责任有争议", 2, False, 0.18),
    ("路口左转与直行车辆碰撞，无人受伤", 2, False, 0.14),
    ("变道时与后方车辆刮擦", 2, False, 0.10),
    ("倒车时碰到停放的车辆，对方车主不在场", 2, False, 0.08),
    ("掉头时与对向车辆刮擦", 2, False, 0.06),
    ("单车撞到路边护栏，车辆能开", 1, False, 0.05),
    ("三车连环追尾，无人受伤", 3, False, 0.05),
    ("两车相撞，一人轻微擦伤", 2, True, 0.04),
)

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞玉萍红鑫波宁浩凯亮建文斌晨婷倩雪琳峰宇"
# MIIT mobile number blocks in common use.
_MOBILE_PREFIXES = tuple(
    str(n)
    for n in (*range(130, 140), *range(150, 154), *range(155, 160), 166, 173,
              *range(175, 179), *range(180, 190), 191, 198, 199)
)  # fmt: skip
# How far places scatter around a district's centre, in degrees (about 3 km).
_SPREAD_LAT = 0.03
_SPREAD_LON = 0.035


@dataclass(frozen=True)
class Caller:
    """Who rang and what they said, as the 122 platform hands it over."""

    phone: str
    caller_name: str | None
    lat: float | None
    lon: float | None
    place_text: str | None
    district: str | None
    description: str | None
    vehicle_count: int | None
    injuries: bool | None


_T = TypeVar("_T")


def _weighted(rng: random.Random, items: Sequence[tuple[_T, float]]) -> _T:
    values = [item for item, _ in items]
    return rng.choices(values, weights=[w for _, w in items], k=1)[0]


def make_caller(rng: random.Random) -> Caller:
    """A believable caller: a valid mainland mobile, a name (or none, when the subscriber
    record has none), a place inside one of the districts and what happened."""
    phone = validate_mobile(rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
    name: str | None = None
    if rng.random() < 0.9:
        given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(_SURNAMES) + given
    district = _weighted(rng, [(d, d.weight) for d in DISTRICTS])
    south, west, north, east = district.box
    lat = min(north, max(south, district.lat + rng.uniform(-_SPREAD_LAT, _SPREAD_LAT)))
    lon = min(east, max(west, district.lon + rng.uniform(-_SPREAD_LON, _SPREAD_LON)))
    a, b, c = rng.sample(district.roads, 3)
    form = rng.random()
    if form < 0.6:
        place = f"{district.name}{a}与{b}路口"
    elif form < 0.85:
        place = f"{district.name}{a}（{b}至{c}段）"
    else:
        place = f"{district.name}{a}{rng.randint(1, 480)}号附近"
    text, vehicles, injuries, _ = _weighted(rng, [(d, d[3]) for d in DESCRIPTIONS])
    return Caller(
        phone=phone,
        caller_name=name,
        lat=round(lat, 6),
        lon=round(lon, 6),
        place_text=place,
        district=district.name,
        description=text,
        vehicle_count=vehicles,
        injuries=injuries,
    )


# ---------------------------------------------------------------- arrivals


class ArrivalProcess:
    """Arrival instants of a Poisson process whose rate follows the day.

    `calls_per_hour` is the rate in the busiest hours (curve value 1.0); each local hour's
    rate is that times its curve value. Thinning (Lewis & Shedler) draws candidates at the peak
    rate and keeps each with probability rate(t)/peak, which gives the exact non-homogeneous
    process and depends only on the random stream, not on when anyone asks.
    """

    def __init__(
        self,
        rng: random.Random,
        calls_per_hour: float,
        start: datetime,
        curve: Sequence[float] = DAILY_CURVE,
    ) -> None:
        if calls_per_hour < 0 or not math.isfinite(calls_per_hour):
            raise ValueError("calls_per_hour must be a finite number ≥ 0")
        if len(curve) != 24 or any(not 0 <= v <= 1 for v in curve):
            raise ValueError("the daily curve needs 24 values between 0 and 1")
        self._rng = rng
        self._curve = tuple(curve)
        self._peak_per_s = calls_per_hour * max(self._curve) / 3600
        self._calls_per_hour = calls_per_hour
        self._t = start
        self.next: datetime | None = self._draw() if self._peak_per_s > 0 else None

    def rate_at(self, t: datetime) -> float:
        """Calls per hour at instant t."""
        return self._calls_per_hour * self._curve[t.astimezone(CHINA_TZ).hour]

    def pop(self) -> datetime:
        """Take the next arrival and draw the one after."""
        if self.next is None:
            raise LookupError("this process has no arrivals")
        arrival = self.next
        self.next = self._draw()
        return arrival

    def _draw(self) -> datetime:
        peak_per_hour = self._peak_per_s * 3600
        while True:
            self._t += timedelta(seconds=self._rng.expovariate(self._peak_per_s))
            if self._rng.random() * peak_per_hour < self.rate_at(self._t):
                return self._t


# ---------------------------------------------------------------- calls


class CallControlError(Exception):
    """A seat's request the call's state does not allow; `status` and `body` are the HTTP
    answer the gateway gives."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        super().__init__(f"{status} {body.get('error')}")
        self.status = status
        self.body = dict(body)


@dataclass
class _Call:
    id: str
    caller: Caller
    rang_at: datetime
    gives_up_at: datetime | None  # simulator time; None: waits for ever
    state: CallState = CallState.RINGING
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    holder_seat: str | None = None
    holder_user: str | None = None
    target_position: str | None = None
    target_seat: str | None = None
    ended_by: str | None = None  # "caller" or "seat"
    ended_seat: str | None = None

    @property
    def over(self) -> bool:
        return self.state in (CallState.ENDED, CallState.ABANDONED)

    def holder(self) -> dict[str, str | None] | None:
        if self.holder_seat is None:
            return None
        return {"seat": self.holder_seat, "user": self.holder_user}

    def to_json(self) -> dict[str, Any]:
        c = self.caller
        target = None
        if self.target_position is not None or self.target_seat is not None:
            target = {"position": self.target_position, "seat": self.target_seat}
        return {
            "id": self.id,
            "state": self.state.value,
            "phone": c.phone,
            "caller_name": c.caller_name,
            "lat": c.lat,
            "lon": c.lon,
            "place_text": c.place_text,
            "district": c.district,
            "description": c.description,
            "vehicle_count": c.vehicle_count,
            "injuries": c.injuries,
            "rang_at": _iso(self.rang_at),
            "answered_at": _iso(self.answered_at),
            "ended_at": _iso(self.ended_at),
            "holder": self.holder(),
            "target": target,
            "ended_by": self.ended_by,
        }


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass
class _Pause:
    since: datetime | None = None
    total: timedelta = field(default_factory=timedelta)


class CallSimulator:
    """The 122 handover side: the arrival generator, the calls and their event log.

    Thread-safe: HTTP handler threads call the control methods, the simulator's own thread
    calls `tick()`. `paused` freezes the simulator's time: no arrivals and no hang-ups from
    impatience until `resume()`, which moves every pending deadline by the pause.
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        calls_per_hour: float = 30.0,
        patience_mean_s: float = 90.0,
        curve: Sequence[float] = DAILY_CURVE,
        clock: Clock | None = None,
        generate: bool = True,
        max_events: int = 50_000,
        max_calls: int = 20_000,
        max_catch_up: timedelta | None = None,
    ) -> None:
        if patience_mean_s <= 0:
            raise ValueError("patience_mean_s must be positive")
        self.seed = seed
        self.calls_per_hour = calls_per_hour
        self.patience_mean_s = patience_mean_s
        self.generate = generate
        self.clock: Clock = clock or SystemClock()
        # Separate streams, so injected calls never shift the generated ones.
        self._arrival_rng = random.Random(f"{seed}/arrivals")
        self._caller_rng = random.Random(f"{seed}/callers")
        self._inject_rng = random.Random(f"{seed}/injected")
        self._arrivals = ArrivalProcess(self._arrival_rng, calls_per_hour, self.clock.now(), curve)
        self._cond = threading.Condition()
        self._calls: dict[str, _Call] = {}  # every call still remembered, oldest first
        self._live: dict[str, _Call] = {}  # calls not over yet
        self._max_calls = max_calls
        self._serial = itertools.count(1)
        self._events: deque[dict[str, Any]] = deque(maxlen=max_events)
        self._last_seq = 0
        self._pause = _Pause()
        # A clock that jumps further than this (the desk slept) counts the gap as a pause, so
        # waking up does not replay hours of calls at once. None: always catch up (tests).
        self._max_catch_up = max_catch_up
        self._last_tick = self._sim_now()
        self._closed = False
        self.stream = uuid.uuid4().hex
        self.wake = threading.Event()  # set when something new may be due sooner

    # ------------------------------------------------------------ time

    def _sim_now(self) -> datetime:
        now = self._pause.since or self.clock.now()
        return now - self._pause.total

    @property
    def paused(self) -> bool:
        with self._cond:
            return self._pause.since is not None

    def pause(self) -> None:
        with self._cond:
            if self._pause.since is None:
                self._pause.since = self.clock.now()

    def resume(self) -> None:
        with self._cond:
            if self._pause.since is not None:
                self._pause.total += self.clock.now() - self._pause.since
                self._pause.since = None
        self.wake.set()

    def tick(self) -> None:
        """Let everything due by now happen, in time order: arrivals and impatient callers."""
        with self._cond:
            if self._pause.since is not None or self._closed:
                return
            now = self._sim_now()
            gap = now - self._last_tick
            if self._max_catch_up is not None and gap > self._max_catch_up:
                self._pause.total += gap
                now = self._sim_now()
            self._last_tick = now
            while True:
                when, quitter = self._next_due()
                if when is None or when > now:
                    break
                if quitter is not None:
                    self._caller_gives_up(quitter)
                else:
                    at = self._arrivals.pop()
                    self._ring(make_caller(self._caller_rng), at, self._patience(self._caller_rng))

    def seconds_until_due(self) -> float | None:
        """How long the simulator's thread may sleep before `tick()` has work."""
        with self._cond:
            if self._pause.since is not None:
                return None
            when, _ = self._next_due()
            if when is None:
                return None
            return max(0.0, (when - self._sim_now()).total_seconds())

    def _next_due(self) -> tuple[datetime | None, _Call | None]:
        """When the next thing happens, and the caller who gives up then (None: an arrival).
        A caller giving up at the same instant as an arrival goes first."""
        quitter: _Call | None = None
        give_up: datetime | None = None
        for call in self._live.values():
            at = call.gives_up_at
            if (
                call.state is CallState.RINGING
                and at is not None
                and (give_up is None or at < give_up)
            ):
                quitter, give_up = call, at
        arrival = self._arrivals.next if self.generate else None
        if give_up is not None and (arrival is None or give_up <= arrival):
            return give_up, quitter
        return arrival, None

    def _patience(self, rng: random.Random) -> timedelta:
        return timedelta(seconds=rng.expovariate(1 / self.patience_mean_s))

    def _wall(self, sim_time: datetime) -> datetime:
        return sim_time + self._pause.total

    # ------------------------------------------------------------ changes

    def _ring(self, caller: Caller, at: datetime, patience: timedelta | None) -> _Call:
        local = self._wall(at).astimezone(CHINA_TZ)
        call = _Call(
            id=f"122-{local:%Y%m%d}-{next(self._serial):05d}",
            caller=caller,
            rang_at=self._wall(at),
            gives_up_at=None if patience is None else at + patience,
        )
        self._calls[call.id] = self._live[call.id] = call
        if len(self._calls) > self._max_calls:
            finished = [k for k, c in self._calls.items() if c.over]
            for key in finished[: len(self._calls) - self._max_calls]:
                del self._calls[key]
        self._emit(EventKind.RANG, call, at=call.rang_at)
        return call

    def _caller_gives_up(self, call: _Call) -> None:
        assert call.gives_up_at is not None
        self._end_by_caller(call, self._wall(call.gives_up_at))

    def _end_by_caller(self, call: _Call, at: datetime) -> None:
        call.state = CallState.ABANDONED if call.answered_at is None else CallState.ENDED
        call.ended_at = at
        call.ended_by = "caller"
        call.holder_seat = call.holder_user = None
        self._live.pop(call.id, None)
        self._emit(EventKind.CALLER_HUNG_UP, call, at=at)

    def _emit(
        self,
        kind: EventKind,
        call: _Call,
        *,
        at: datetime | None = None,
        seat: str | None = None,
        user: str | None = None,
        to_position: str | None = None,
        to_seat: str | None = None,
    ) -> None:
        self._last_seq += 1
        self._events.append(
            {
                "seq": self._last_seq,
                "kind": kind.value,
                "at": _iso(at or self.clock.now()),
                "call": call.to_json(),
                "seat": seat,
                "user": user,
                "to_position": to_position,
                "to_seat": to_seat,
            }
        )
        self._cond.notify_all()

    def _get(self, call_id: str) -> _Call:
        call = self._calls.get(call_id)
        if call is None:
            raise CallControlError(404, {"error": "no_such_call", "call_id": call_id})
        return call

    @staticmethod
    def _gone(call: _Call) -> CallControlError:
        reason = "caller_hung_up" if call.ended_by == "caller" else "call_ended"
        return CallControlError(
            410, {"error": reason, "call_id": call.id, "state": call.state.value}
        )

    def inject(self, fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Ring a call now; fields not given are made up. It waits for ever unless
        `patience_s` says otherwise, so a test decides when (and whether) it is abandoned."""
        given = dict(fields or {})
        patience_s = given.pop("patience_s", None)
        if patience_s is not None and (
            isinstance(patience_s, bool)
            or not isinstance(patience_s, int | float)
            or patience_s < 0
        ):
            raise ValueError("patience_s must be a number ≥ 0 or null")
        with self._cond:
            base = make_caller(self._inject_rng)
            caller = _caller_with(base, given)
            patience = None if patience_s is None else timedelta(seconds=float(patience_s))
            call = self._ring(caller, self._sim_now(), patience)
            result = call.to_json()
        self.wake.set()
        return result

    def answer(self, call_id: str, seat: str, user: str) -> dict[str, Any]:
        """Exactly one seat wins a ringing call; the same seat and user asking again get the
        call back (a retried request), anyone else 409 naming the holder."""
        with self._cond:
            call = self._get(call_id)
            if call.over:
                raise self._gone(call)
            if call.state is CallState.ANSWERED:
                if (call.holder_seat, call.holder_user) == (seat, user):
                    return call.to_json()
                raise CallControlError(
                    409, {"error": "already_answered", "call_id": call.id, "holder": call.holder()}
                )
            if call.target_seat is not None and call.target_seat != seat:
                raise CallControlError(
                    409,
                    {
                        "error": "offered_to_other_seat",
                        "call_id": call.id,
                        "target": {"position": call.target_position, "seat": call.target_seat},
                    },
                )
            now = self.clock.now()
            call.state = CallState.ANSWERED
            call.answered_at = call.answered_at or now
            call.holder_seat, call.holder_user = seat, user
            self._emit(EventKind.ANSWERED, call, at=now, seat=seat, user=user)
            return call.to_json()

    def transfer(
        self, call_id: str, *, to_position: str | None, to_seat: str | None, by_seat: str
    ) -> dict[str, Any]:
        """The holder hands the call on; it rings again for the target position or seat."""
        if to_position is None and to_seat is None:
            raise ValueError("a transfer needs to_position or to_seat")
        if to_position is not None and to_position not in {p.value for p in Position}:
            raise ValueError(f"unknown position {to_position!r}")
        with self._cond:
            call = self._get(call_id)
            if call.over:
                raise self._gone(call)
            if call.state is not CallState.ANSWERED or call.holder_seat != by_seat:
                raise CallControlError(
                    409, {"error": "not_holder", "call_id": call.id, "holder": call.holder()}
                )
            call.state = CallState.TRANSFERRING
            call.holder_seat = call.holder_user = None
            call.target_position, call.target_seat = to_position, to_seat
            self._emit(
                EventKind.TRANSFERRED, call, seat=by_seat, to_position=to_position, to_seat=to_seat
            )
            return call.to_json()

    def hang_up(self, call_id: str, seat: str) -> dict[str, Any]:
        """The holder ends the call; asking again from the same seat is harmless."""
        with self._cond:
            call = self._get(call_id)
            if call.state is CallState.ENDED and call.ended_seat == seat:
                return call.to_json()
            if call.over:
                raise self._gone(call)
            if call.state is not CallState.ANSWERED or call.holder_seat != seat:
                raise CallControlError(
                    409, {"error": "not_holder", "call_id": call.id, "holder": call.holder()}
                )
            call.state = CallState.ENDED
            call.ended_at = self.clock.now()
            call.ended_by, call.ended_seat = "seat", seat
            call.holder_seat = call.holder_user = None
            self._live.pop(call.id, None)
            self._emit(EventKind.ENDED, call, at=call.ended_at, seat=seat)
            return call.to_json()

    def caller_hang_up(self, call_id: str) -> dict[str, Any]:
        """The caller puts the phone down, whatever the call's state."""
        with self._cond:
            call = self._get(call_id)
            if call.over:
                raise self._gone(call)
            self._end_by_caller(call, self.clock.now())
            return call.to_json()

    # ------------------------------------------------------------ reading

    def call(self, call_id: str) -> dict[str, Any]:
        with self._cond:
            return self._get(call_id).to_json()

    def calls_in_progress(self) -> list[dict[str, Any]]:
        """Calls ringing, answered or being transferred, oldest first."""
        with self._cond:
            return [c.to_json() for c in self._live.values()]

    def all_calls(self) -> list[dict[str, Any]]:
        with self._cond:
            return [c.to_json() for c in self._calls.values()]

    @property
    def last_seq(self) -> int:
        with self._cond:
            return self._last_seq

    def events_after(
        self, after: int, wait_s: float = 0.0, limit: int = DEFAULT_EVENT_LIMIT
    ) -> tuple[list[dict[str, Any]], int]:
        """Events with seq > after (waiting up to wait_s for one) and the cursor to pass next.

        A cursor beyond the log's end means the console followed an earlier run of the
        gateway: it gets no events and the current end back, with a different `stream`.
        """
        wait_s = min(max(0.0, wait_s), MAX_WAIT_S)
        with self._cond:
            if after == self._last_seq and wait_s > 0:
                self._cond.wait_for(lambda: self._last_seq > after or self._closed, timeout=wait_s)
            return self._slice(after, limit)

    def _slice(self, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        if after >= self._last_seq:
            return [], self._last_seq
        first = self._events[0]["seq"] if self._events else self._last_seq + 1
        start = max(0, after + 1 - first)
        events = list(itertools.islice(self._events, start, start + max(1, limit)))
        return events, events[-1]["seq"] if events else self._last_seq

    def close(self) -> None:
        """Wake every long poll: the simulator is stopping."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self.wake.set()


def _caller_with(base: Caller, given: Mapping[str, Any]) -> Caller:
    """`base` with the fields a test gave; their types are checked, not their plausibility."""
    allowed: dict[str, tuple[type, ...]] = {
        "phone": (str,),
        "caller_name": (str,),
        "lat": (int, float),
        "lon": (int, float),
        "place_text": (str,),
        "district": (str,),
        "description": (str,),
        "vehicle_count": (int,),
        "injuries": (bool,),
    }
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValueError(f"unknown call fields: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in given.items():
        wrong_bool = isinstance(value, bool) and bool not in allowed[key]
        if value is not None and (wrong_bool or not isinstance(value, allowed[key])):
            raise ValueError(f"{key} has the wrong type")
        values[key] = float(value) if key in ("lat", "lon") and isinstance(value, int) else value
    if "phone" in values and not values["phone"]:
        raise ValueError("phone must not be empty")
    return replace(base, **values)
