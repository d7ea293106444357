"""The read side of handed-over 122 calls: what a seat's ringing list, a call's record, the
link offer and the dashboard's call figures show.

Like `console.hall.queries`, everything returns frozen dataclasses, never ORM objects, so a
result loaded on a worker thread can be handed to the GUI thread. The ringing list is not on
the change feed (the feed carries case events, and a ringing call has no case yet): a
reception view polls `ringing_calls`, one small query.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from console.db.models import Call, CallLeg, Case, Party, Seat, User
from console.domain.deadlines import TimerPolicy
from console.domain.lifecycle import OFF_TRACK_STATES, TERMINAL_STATES, CaseState
from console.domain.positions import Position
from console.domain.validation import is_mobile, normalise_plate
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory, utcnow

__all__ = [
    "CallLegView",
    "CallMetrics",
    "CallRecord",
    "CallState",
    "CallTiming",
    "CallView",
    "LinkCandidate",
    "LinkReason",
    "SeatEntry",
    "active_seats",
    "answering_positions",
    "call_metrics",
    "call_record",
    "call_view",
    "haversine_m",
    "held_call",
    "link_candidates",
    "load_call_view",
    "ringing_calls",
]

EARTH_RADIUS_M: Final = 6_371_008.8  # mean Earth radius (IUGG), the usual haversine constant
_METRES_PER_DEGREE_LAT: Final = 111_320.0


class CallState(StrEnum):
    """States of a handed-over call; the values are the CHECK constraint on `calls.state`."""

    RINGING = "ringing"  # waiting for the first answer
    ANSWERED = "answered"  # a seat holds the live call
    TRANSFERRING = "transferring"  # on hold, ringing at the transfer's target
    ENDED = "ended"  # answered at least once, then hung up by either side
    ABANDONED = "abandoned"  # the caller hung up before anyone answered


WAITING_STATES: Final = (CallState.RINGING, CallState.TRANSFERRING)
"""States in which a call rings somewhere and may be answered."""

_STATES: dict[str, CallState] = {s.value: s for s in CallState}
_POSITIONS: dict[str, Position] = {p.value: p for p in Position}


def answering_positions(position: Position) -> tuple[Position, ...]:
    """The positions whose untargeted calls ring at a seat of `position`.

    The duty supervisor (值班长) covers reception when handovers pile up, so reception's calls
    ring at the supervisor's seat too; every other position hears only calls sent to it.
    """
    if position is Position.SUPERVISOR:
        return (Position.SUPERVISOR, Position.RECEPTION)
    return (position,)


def rings_at(position: Position, seat: str) -> ColumnElement[bool]:
    """SQL condition: a waiting call rings at this seat (sent to the seat, or to its position
    with no seat named). Shared by the ringing list and the atomic answer, so what a seat sees
    is exactly what it may answer."""
    positions = [p.value for p in answering_positions(Position(position))]
    return or_(
        Call.target_seat == seat,
        and_(Call.target_seat.is_(None), Call.target_position.in_(positions)),
    )


# ---------------------------------------------------------------- one call


@dataclass(frozen=True, slots=True)
class CallView:
    """One call as a seat shows it; replaced whole whenever the call changes.

    `waiting_since` is when the caller last started waiting for a seat (the ring, or the
    transfer); the view ticks its own timer from it. `wait_seconds` is that wait as of loading
    for a waiting call, and the wait the caller had (ring to first answer, or to hanging up)
    once it stopped.
    """

    id: int
    external_id: str
    state: CallState
    caller_phone: str
    caller_name: str | None
    place_text: str | None
    district: str | None
    lat: float | None
    lon: float | None
    rang_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    answered_by: int | None
    answered_by_name: str | None
    answered_seat: str | None
    target_position: Position | None
    target_seat: str | None
    case_id: int | None
    case_no: str | None
    waiting_since: datetime
    wait_seconds: float
    version: int

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES

    @property
    def is_live(self) -> bool:
        """The caller is still on the line (ringing, held by a seat, or on hold in a transfer)."""
        return self.state not in (CallState.ENDED, CallState.ABANDONED)

    @property
    def can_text(self) -> bool:
        """Whether the guidance SMS can reach the caller (a landline cannot take one)."""
        return is_mobile(self.caller_phone)

    def held_by(self, user_id: int, seat: str) -> bool:
        return (
            self.state is CallState.ANSWERED
            and self.answered_by == user_id
            and self.answered_seat == seat
        )


_Answerer = aliased(User)


_ViewQuery = Select[Call, str | None, str | None, datetime | None]


def _view_columns() -> _ViewQuery:
    last_leg_end = (
        select(func.max(CallLeg.ended_at))
        .where(CallLeg.call_id == Call.id)
        .correlate(Call)
        .scalar_subquery()
    )
    return (
        select(Call, _Answerer.display_name, Case.case_no, last_leg_end)
        .outerjoin(_Answerer, _Answerer.id == Call.answered_by)
        .outerjoin(Case, Case.id == Call.case_id)
    )


def _seconds(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds())


def call_view(
    call: Call,
    *,
    answered_by_name: str | None,
    case_no: str | None,
    last_leg_end: datetime | None,
    now: datetime,
) -> CallView:
    """Snapshot a loaded call row (plus the joined names) into a `CallView`."""
    state = _STATES[call.state]
    waiting_since = call.rang_at
    if state is CallState.TRANSFERRING and last_leg_end is not None:
        waiting_since = last_leg_end
    if state in WAITING_STATES:
        wait = _seconds(now, waiting_since)
    elif call.answered_at is not None:
        wait = _seconds(call.answered_at, call.rang_at)
    else:
        wait = _seconds(call.ended_at or now, call.rang_at)
    return CallView(
        id=call.id,
        external_id=call.external_id,
        state=state,
        caller_phone=call.caller_phone,
        caller_name=call.caller_name,
        place_text=call.place_text,
        district=call.district,
        lat=call.lat,
        lon=call.lon,
        rang_at=call.rang_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        answered_by=call.answered_by,
        answered_by_name=answered_by_name,
        answered_seat=call.answered_seat,
        target_position=_POSITIONS.get(call.target_position or ""),
        target_seat=call.target_seat,
        case_id=call.case_id,
        case_no=case_no,
        waiting_since=waiting_since,
        wait_seconds=wait,
        version=call.version,
    )


def _views(session: Session, query: _ViewQuery, now: datetime) -> list[CallView]:
    views = []
    for call, name, case_no, last_leg_end in session.execute(query):
        views.append(
            call_view(
                call, answered_by_name=name, case_no=case_no, last_leg_end=last_leg_end, now=now
            )
        )
    return views


def load_call_view(session: Session, call_id: int, *, now: datetime | None = None) -> CallView:
    """The current view of one call inside an open session (use cases call it before commit)."""
    # populate_existing: a use case may have changed the row with a Core UPDATE in this session.
    query = _view_columns().where(Call.id == call_id).execution_options(populate_existing=True)
    found = _views(session, query, now or utcnow())
    if not found:
        raise NotFound("call.not_found", f"Call {call_id} does not exist", call_id=call_id)
    return found[0]


@contextmanager
def _reading(session_factory: SessionFactory) -> Iterator[Session]:
    """One read-only transaction with one snapshot (REPEATABLE READ on PostgreSQL), so a call
    and its legs never come from two different moments."""
    with session_factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            session.rollback()


def ringing_calls(
    session_factory: SessionFactory,
    *,
    position: Position,
    seat: str,
    now: datetime | None = None,
) -> list[CallView]:
    """What a seat's ringing list shows, oldest ring first: the order one-key answer takes."""
    query = (
        _view_columns()
        .where(Call.state.in_([s.value for s in WAITING_STATES]), rings_at(position, seat))
        .order_by(Call.rang_at, Call.id)
    )
    with _reading(session_factory) as session:
        return _views(session, query, now or utcnow())


def held_call(
    session_factory: SessionFactory, *, user_id: int, seat: str, now: datetime | None = None
) -> CallView | None:
    """The call this user holds at this seat, if any (a console restarted mid-call finds it)."""
    query = (
        _view_columns()
        .where(
            Call.state == CallState.ANSWERED.value,
            Call.answered_by == user_id,
            Call.answered_seat == seat,
        )
        .order_by(Call.answered_at.desc(), Call.id.desc())
        .limit(1)
    )
    with _reading(session_factory) as session:
        found = _views(session, query, now or utcnow())
    return found[0] if found else None


# ---------------------------------------------------------------- the call record


@dataclass(frozen=True, slots=True)
class CallLegView:
    """One seat's part of a call. `kind` is 'answer' for the first pick-up and 'transfer' for
    a seat that took the call from a transfer."""

    leg_id: int
    kind: str
    seat: str
    position: Position
    user_id: int | None
    user_name: str | None
    started_at: datetime
    ended_at: datetime | None

    @property
    def seconds(self) -> float | None:
        return _seconds(self.ended_at, self.started_at) if self.ended_at else None


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call with every leg: ring, answer, transfer and end times per seat and user."""

    call: CallView
    legs: tuple[CallLegView, ...]

    @property
    def answer_seconds(self) -> float | None:
        """Ring to first answer: the 'answer a handover ≤ 60 s' timer of DOMAIN.md."""
        c = self.call
        return _seconds(c.answered_at, c.rang_at) if c.answered_at else None

    @property
    def handling_seconds(self) -> float | None:
        """First answer to the end of the call, transfers and hold included."""
        c = self.call
        if c.answered_at is None or c.ended_at is None:
            return None
        return _seconds(c.ended_at, c.answered_at)


def call_record(
    session_factory: SessionFactory, call_id: int, *, now: datetime | None = None
) -> CallRecord:
    legs_query = (
        select(CallLeg, User.display_name)
        .outerjoin(User, User.id == CallLeg.user_id)
        .where(CallLeg.call_id == call_id)
        .order_by(CallLeg.started_at, CallLeg.id)
    )
    with _reading(session_factory) as session:
        view = load_call_view(session, call_id, now=now)
        legs = tuple(
            CallLegView(
                leg_id=leg.id,
                kind=leg.kind,
                seat=leg.seat,
                position=_POSITIONS[leg.position],
                user_id=leg.user_id,
                user_name=name,
                started_at=leg.started_at,
                ended_at=leg.ended_at,
            )
            for leg, name in session.execute(legs_query)
        )
    return CallRecord(view, legs)


# ---------------------------------------------------------------- linking to an open case


class LinkReason(StrEnum):
    """Why an open case is offered for a call, strongest first."""

    PHONE = "phone"  # the caller's number is the case's caller or one of its parties
    PLATE = "plate"  # a plate the caller gave is on one of the case's vehicles
    NEARBY = "nearby"  # the case's place is within the radius of the call's location


_REASON_RANK: dict[LinkReason, int] = {r: i for i, r in enumerate(LinkReason)}


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    """An open case the seat may link a call to, and why it was offered."""

    case_id: int
    case_no: str
    state: CaseState
    place_text: str
    created_at: datetime
    plates: tuple[str, ...]
    reasons: tuple[LinkReason, ...]
    matched_plates: tuple[str, ...]
    distance_m: float | None
    minutes_apart: float

    def _rank(self) -> tuple[int, int, float, float]:
        best = min(_REASON_RANK[r] for r in self.reasons)
        distance = self.distance_m if self.distance_m is not None else math.inf
        return (-len(self.reasons), best, distance, self.minutes_apart)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres; exact enough at street scale and free of GIS."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _plates(given: Iterable[str]) -> list[str]:
    # Compared in the stored canonical form; a half-typed plate simply matches nothing.
    return sorted({p for p in (normalise_plate(text) for text in given) if p})


_CLOSED_FOR_LINKING: Final = tuple(s.value for s in TERMINAL_STATES | OFF_TRACK_STATES)


def link_candidates(
    session_factory: SessionFactory,
    call_id: int,
    *,
    plates: Sequence[str] = (),
    window: timedelta = timedelta(minutes=30),
    radius_m: float = 500.0,
) -> list[LinkCandidate]:
    """Open cases the call may belong to, best first (issue 4: same phone or plate, or a
    nearby place, within 30 minutes), so a second caller about one crash does not open a
    second case.

    Only cases on the fast track and not closed are offered, created within `window` of the
    ring either way (another seat may have opened the case while this call rang). A bounding
    box narrows "nearby" in SQL; the haversine distance decides.
    """
    wanted_plates = _plates(plates)
    with _reading(session_factory) as session:
        call = session.get(Call, call_id)
        if call is None:
            raise NotFound("call.not_found", f"Call {call_id} does not exist", call_id=call_id)
        phone, lat, lon, rang_at = call.caller_phone, call.lat, call.lon, call.rang_at
        linked = call.case_id
        matches: list[ColumnElement[bool]] = [
            Case.caller_phone == phone,
            exists().where(Party.case_id == Case.id, Party.phone == phone),
        ]
        if wanted_plates:
            matches.append(
                exists().where(Party.case_id == Case.id, Party.plate_no.in_(wanted_plates))
            )
        if lat is not None and lon is not None:
            dlat = radius_m / _METRES_PER_DEGREE_LAT * 1.01
            dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
            matches.append(
                and_(
                    Case.lat.between(lat - dlat, lat + dlat),
                    Case.lon.between(lon - dlon, lon + dlon),
                )
            )
        query = select(Case).where(
            Case.state.not_in(_CLOSED_FOR_LINKING),
            Case.created_at >= rang_at - window,
            Case.created_at <= rang_at + window,
            or_(*matches),
        )
        if linked is not None:
            query = query.where(Case.id != linked)
        cases = list(session.scalars(query))
        parties: dict[int, list[tuple[str | None, str | None]]] = {}
        if cases:
            rows = session.execute(
                select(Party.case_id, Party.phone, Party.plate_no)
                .where(Party.case_id.in_([c.id for c in cases]))
                .order_by(Party.case_id, Party.letter)
            )
            for case_id, party_phone, plate in rows:
                parties.setdefault(case_id, []).append((party_phone, plate))
        found = []
        for case in cases:
            own = parties.get(case.id, [])
            case_plates = tuple(p for _, p in own if p)
            reasons = []
            if case.caller_phone == phone or any(p == phone for p, _ in own):
                reasons.append(LinkReason.PHONE)
            matched = tuple(p for p in case_plates if p in wanted_plates)
            if matched:
                reasons.append(LinkReason.PLATE)
            distance = None
            if (
                lat is not None
                and lon is not None
                and case.lat is not None
                and case.lon is not None
            ):
                distance = haversine_m(lat, lon, case.lat, case.lon)
                if distance <= radius_m:
                    reasons.append(LinkReason.NEARBY)
            if not reasons:
                continue
            found.append(
                LinkCandidate(
                    case_id=case.id,
                    case_no=case.case_no,
                    state=CaseState(case.state),
                    place_text=case.place_text,
                    created_at=case.created_at,
                    plates=case_plates,
                    reasons=tuple(reasons),
                    matched_plates=matched,
                    distance_m=distance,
                    minutes_apart=abs((case.created_at - rang_at).total_seconds()) / 60,
                )
            )
    return sorted(found, key=LinkCandidate._rank)


# ---------------------------------------------------------------- figures for the dashboard


@dataclass(frozen=True, slots=True)
class CallTiming:
    """One call's two figures: ring to first answer, and first answer to end."""

    call_id: int
    external_id: str
    state: CallState
    rang_at: datetime
    answer_seconds: float | None
    handling_seconds: float | None
    answered_seat: str | None


@dataclass(frozen=True, slots=True)
class CallMetrics:
    """Call figures for calls that rang in [since, until): the hall is judged by answer time
    (DOMAIN.md "Figures"), and abandoned calls are the answers that came too late.

    Percentiles are nearest-rank: each is a wait some caller really had.
    """

    since: datetime
    until: datetime
    rang: int
    answered: int
    abandoned: int
    waiting: int
    answer_limit_seconds: float
    answered_within_limit: int
    answer_p50: float | None
    answer_p90: float | None
    answer_mean: float | None
    handling_p50: float | None
    handling_mean: float | None
    calls: tuple[CallTiming, ...]

    @property
    def abandon_rate(self) -> float | None:
        return self.abandoned / self.rang if self.rang else None

    @property
    def within_limit_rate(self) -> float | None:
        return self.answered_within_limit / self.answered if self.answered else None


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile of `values` (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def call_metrics(
    session_factory: SessionFactory,
    *,
    since: datetime,
    until: datetime,
    answer_limit: timedelta | None = None,
) -> CallMetrics:
    limit = answer_limit if answer_limit is not None else TimerPolicy().answer_handover
    query = (
        select(
            Call.id,
            Call.external_id,
            Call.state,
            Call.rang_at,
            Call.answered_at,
            Call.ended_at,
            Call.answered_seat,
        )
        .where(Call.rang_at >= since, Call.rang_at < until)
        .order_by(Call.rang_at, Call.id)
    )
    with _reading(session_factory) as session:
        rows = session.execute(query).all()
    timings = []
    for call_id, external_id, state, rang_at, answered_at, ended_at, seat in rows:
        answer = _seconds(answered_at, rang_at) if answered_at else None
        handling = _seconds(ended_at, answered_at) if answered_at and ended_at else None
        timings.append(
            CallTiming(call_id, external_id, _STATES[state], rang_at, answer, handling, seat)
        )
    answers = [t.answer_seconds for t in timings if t.answer_seconds is not None]
    handlings = [t.handling_seconds for t in timings if t.handling_seconds is not None]
    return CallMetrics(
        since=since,
        until=until,
        rang=len(timings),
        answered=len(answers),
        abandoned=sum(t.state is CallState.ABANDONED for t in timings),
        waiting=sum(t.state in WAITING_STATES for t in timings),
        answer_limit_seconds=limit.total_seconds(),
        answered_within_limit=sum(a <= limit.total_seconds() for a in answers),
        answer_p50=nearest_rank(answers, 50),
        answer_p90=nearest_rank(answers, 90),
        answer_mean=sum(answers) / len(answers) if answers else None,
        handling_p50=nearest_rank(handlings, 50),
        handling_mean=sum(handlings) / len(handlings) if handlings else None,
        calls=tuple(timings),
    )


# ---------------------------------------------------------------- transfer targets


@dataclass(frozen=True, slots=True)
class SeatEntry:
    name: str
    position: Position


def active_seats(session_factory: SessionFactory) -> list[SeatEntry]:
    """The desks a live call can be sent to by name, by position then name."""
    with _reading(session_factory) as session:
        rows = session.execute(
            select(Seat.name, Seat.position).where(Seat.active.is_(True)).order_by(Seat.name)
        )
        seats = [SeatEntry(name, _POSITIONS[position]) for name, position in rows]
    order = {p: i for i, p in enumerate(Position)}
    return sorted(seats, key=lambda s: (order[s.position], s.name))
