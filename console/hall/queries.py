"""The read side of the hall: what the shared queue and case detail show.

Everything here returns frozen dataclasses, never ORM objects: the results are loaded on a
worker thread and handed to the GUI thread, where a lazy-loading ORM object would query the
database from the wrong thread (STYLE.md "One way to run work off the GUI thread"). Each
function runs a few set-based queries, so a seat can load 100,000 cases in seconds and refresh
a batch of changed cases in one round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import DateTime, Select, String, exists, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from console.db.models import Case, CaseEvent, Organisation, Party, Policy, User, Vehicle
from console.domain.deadlines import TimerPolicy
from console.domain.lifecycle import CLOCKS, TERMINAL_STATES, WORK_STATES, CaseState, StepClock
from console.domain.masking import (
    mask_event_details,
    mask_id_number,
    mask_licence_number,
    mask_phone,
    must_mask,
)
from console.domain.positions import Position
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory

__all__ = [
    "CaseDetail",
    "FilterKind",
    "PartyDetail",
    "QueueFilter",
    "QueueRow",
    "TimelineEntry",
    "load_case_detail",
    "load_queue",
    "load_rows",
    "step_limit",
]

# Ids per IN (...) list: far below SQLite's bound-parameter limit and PostgreSQL's, and large
# enough that a burst of changes is still one or two round trips.
_ID_CHUNK = 500

_STATES: dict[str, CaseState] = {s.value: s for s in CaseState}
_POSITIONS: dict[str, Position] = {p.value: p for p in Position}


def step_limit(clock: StepClock, policy: TimerPolicy) -> timedelta:
    """How long a step clock may run under the city's timer policy (DOMAIN.md timers)."""
    if clock is StepClock.REVIEW:
        return policy.review
    if clock is StepClock.DETERMINATION:
        return policy.determination
    return policy.insurer_acknowledgement


def _clock_of(
    state: CaseState, timer_started_at: datetime | None, state_since: datetime
) -> tuple[StepClock | None, datetime | None]:
    """The step clock running in `state` and when it started.

    `timer_started_at` is the truth (it survives AWAITING_DETERMINATION -> DETERMINING). Rows
    written without it (imports, bulk seeding) fall back to `state_since` only when the clock
    starts on entering the current state; otherwise the start is unknown and no timer is shown
    rather than a wrong one.
    """
    entry = CLOCKS.get(state)
    if entry is None:
        return None, None
    clock, anchor = entry
    if timer_started_at is not None:
        return clock, timer_started_at
    return clock, state_since if anchor is state else None


def _search_text(
    case_no: str,
    *,
    plates: Sequence[str],
    place: str,
    district: str | None,
    names: Sequence[str],
    assignee_name: str | None,
    phones: Sequence[str],
    caller_phone: str | None,
) -> str:
    # One line per field, so a search term never matches across two fields.
    return "\n".join(
        [
            case_no,
            *plates,
            place,
            district or "",
            *names,
            assignee_name or "",
            *phones,
            caller_phone or "",
        ]
    ).lower()


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One case as the shared queue shows it: a snapshot, replaced whole when the case changes."""

    case_id: int
    case_no: str
    state: CaseState
    owner_position: Position | None
    assignee_id: int | None
    assignee_name: str | None
    plates: tuple[str, ...]
    place: str
    district: str | None
    created_at: datetime
    state_since: datetime
    timer_started_at: datetime | None
    version: int
    occurred_at: datetime
    clock: StepClock | None
    clock_started_at: datetime | None
    party_names: tuple[str, ...]
    party_phones: tuple[str, ...]
    search_text: str

    @property
    def plates_text(self) -> str:
        """The plates as the queue shows them: "鲁E12345 / 鲁EA1234"."""
        return " / ".join(self.plates)

    def deadline(self, policy: TimerPolicy) -> datetime | None:
        """When the running step clock runs out, or None if no clock runs."""
        if self.clock is None or self.clock_started_at is None:
            return None
        return self.clock_started_at + step_limit(self.clock, policy)

    @classmethod
    def create(
        cls,
        *,
        case_id: int,
        case_no: str,
        state: CaseState,
        created_at: datetime,
        state_since: datetime | None = None,
        occurred_at: datetime | None = None,
        owner_position: Position | None = None,
        assignee_id: int | None = None,
        assignee_name: str | None = None,
        plates: Sequence[str] = (),
        place: str = "",
        district: str | None = None,
        timer_started_at: datetime | None = None,
        version: int = 1,
        party_names: Sequence[str] = (),
        party_phones: Sequence[str] = (),
        caller_phone: str | None = None,
    ) -> QueueRow:
        """Build a row and derive its clock and search text, the same way for every source
        (the queries below, tests and benchmarks)."""
        since = state_since or created_at
        clock, clock_started_at = _clock_of(state, timer_started_at, since)
        plates = tuple(plates)
        party_phones = tuple(party_phones)
        party_names = tuple(party_names)
        search_text = _search_text(
            case_no,
            plates=plates,
            place=place,
            district=district,
            names=party_names,
            assignee_name=assignee_name,
            phones=party_phones,
            caller_phone=caller_phone,
        )
        return cls(
            case_id=case_id,
            case_no=case_no,
            state=state,
            owner_position=owner_position,
            assignee_id=assignee_id,
            assignee_name=assignee_name,
            plates=plates,
            place=place,
            district=district,
            created_at=created_at,
            state_since=since,
            timer_started_at=timer_started_at,
            version=version,
            occurred_at=occurred_at or created_at,
            clock=clock,
            clock_started_at=clock_started_at,
            party_names=party_names,
            party_phones=party_phones,
            search_text=search_text,
        )


class FilterKind(StrEnum):
    """The views of the shared queue a seat switches between."""

    MINE = "mine"  # 我的: cases I hold
    UNCLAIMED_FOR_POSITION = "unclaimed_for_position"  # 本岗位待领: what "take next" draws from
    OVERDUE = "overdue"  # 超时: the step clock ran out
    ALL = "all"  # 全部


_ANY_WORK_STATE: frozenset[CaseState] = frozenset(
    s for states in WORK_STATES.values() for s in states
)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which rows of the queue a seat sees; the rule lives here, not in the widget.

    - MINE: cases held by `user_id`.
    - UNCLAIMED_FOR_POSITION: unclaimed cases in the position's work states (WORK_STATES), the
      same set "take next" draws from; without a position (or as supervisor) every position's.
    - OVERDUE: cases whose step clock is past its limit and that wait on `position`; without a
      position (or as supervisor) the whole hall's.
    - ALL: everything loaded.
    `search` narrows any of them: every whitespace-separated term must occur, case-insensitive,
    in the case number, a plate, the place, a name or a phone number.
    """

    kind: FilterKind = FilterKind.ALL
    position: Position | None = None
    user_id: int | None = None
    search: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self.search.lower().split())

    def predicate(self, now: datetime, policy: TimerPolicy) -> Callable[[QueueRow], bool] | None:
        """A test for one row, or None when every row passes: what the queue asks about each
        changed row. `select` is the same rule for a whole queue at once.

        Each kind gets its own small closure instead of one function full of branches.
        """
        base = self._kind_predicate(now, policy)
        terms = self.terms
        if not terms:
            return base
        if len(terms) == 1:
            (term,) = terms

            def found(row: QueueRow) -> bool:
                return term in row.search_text
        else:

            def found(row: QueueRow) -> bool:
                text = row.search_text
                for t in terms:  # noqa: SIM110 - a loop is faster than all() with a generator
                    if t not in text:
                        return False
                return True

        if base is None:
            return found
        kind_ok = base
        return lambda row: kind_ok(row) and found(row)

    def _kind_predicate(
        self, now: datetime, policy: TimerPolicy
    ) -> Callable[[QueueRow], bool] | None:
        position = self.position
        whole_hall = position is None or position is Position.SUPERVISOR
        if self.kind is FilterKind.MINE:
            user_id = self.user_id
            return lambda row: user_id is not None and row.assignee_id == user_id
        if self.kind is FilterKind.UNCLAIMED_FOR_POSITION:
            if position is None or whole_hall:
                return lambda row: row.assignee_id is None and row.state in _ANY_WORK_STATE
            states = frozenset(WORK_STATES.get(position, ()))
            return lambda row: (
                row.assignee_id is None and row.owner_position is position and row.state in states
            )
        if self.kind is FilterKind.OVERDUE:
            # "Reaching the limit exactly still meets it" (timer_status): a clock is overdue
            # once it started before now - limit. One cut-off per clock, not a sum per row.
            cutoffs = {clock: now - step_limit(clock, policy) for clock in StepClock}

            def overdue(row: QueueRow) -> bool:
                clock, started = row.clock, row.clock_started_at
                return (
                    clock is not None
                    and started is not None
                    and started < cutoffs[clock]
                    and (whole_hall or row.owner_position is position)
                )

            return overdue
        return None

    def select(
        self,
        ordered: Sequence[int],
        rows: Mapping[int, QueueRow],
        now: datetime,
        policy: TimerPolicy,
    ) -> list[int]:
        """The ids in `ordered` whose rows pass, in the same order.

        The bulk form of `predicate()` for a whole queue: each kind is one comprehension and
        each search term one more pass over what is left, with no Python call per row, so
        100,000 rows take milliseconds rather than a tenth of a second.
        """
        position = self.position
        ids: list[int]
        if self.kind is FilterKind.MINE:
            user_id = self.user_id
            if user_id is None:
                return []
            ids = [c for c in ordered if rows[c].assignee_id == user_id]
        elif self.kind is FilterKind.UNCLAIMED_FOR_POSITION:
            if position is None or position is Position.SUPERVISOR:
                ids = [
                    c
                    for c in ordered
                    if (row := rows[c]).assignee_id is None and row.state in _ANY_WORK_STATE
                ]
            else:
                states = frozenset(WORK_STATES.get(position, ()))
                ids = [
                    c
                    for c in ordered
                    if (row := rows[c]).assignee_id is None
                    and row.owner_position is position
                    and row.state in states
                ]
        elif self.kind is FilterKind.OVERDUE:
            cutoffs = {clock: now - step_limit(clock, policy) for clock in StepClock}
            whole_hall = position is None or position is Position.SUPERVISOR
            ids = [
                c
                for c in ordered
                if (started := (row := rows[c]).clock_started_at) is not None
                and row.clock is not None
                and started < cutoffs[row.clock]
                and (whole_hall or row.owner_position is position)
            ]
        else:
            ids = list(ordered)
        for term in self.terms:
            ids = [c for c in ids if term in rows[c].search_text]
        return ids


@dataclass(frozen=True, slots=True)
class PartyDetail:
    """A party of a case with the vehicle, insurer and policy the detail view shows."""

    party_id: int
    letter: str
    name: str
    phone: str | None
    id_number: str | None
    licence_number: str | None
    licence_class: str | None
    mode_of_travel: str | None
    plate_type: str | None
    plate_no: str | None
    vehicle_id: int | None
    vehicle_type: str | None
    vin: str | None
    vehicle_owner: str | None
    insurer_org_id: int | None
    insurer_name_zh: str | None
    insurer_name_en: str | None
    policy_no: str | None
    policy_kind: str | None
    policy_valid_from: date | None
    policy_valid_until: date | None
    grade: str | None
    fault_statute: str | None
    signature: str
    damaged_parts: tuple[Any, ...]
    masked: bool = False
    """Phone, ID and licence numbers are masked: an insurer's view of a party another company
    insures (console.domain.masking)."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of the case history, with the actor's name resolved."""

    event_id: int
    at: datetime
    kind: str
    from_state: CaseState | None
    to_state: CaseState | None
    actor_id: int | None
    actor_name: str | None
    seat: str | None
    position: Position | None
    reason: str | None
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """Everything the case detail view shows, loaded in one read transaction."""

    case_id: int
    case_no: str
    state: CaseState
    version: int
    owner_position: Position | None
    assignee_id: int | None
    assignee_name: str | None
    claimed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    state_since: datetime
    timer_started_at: datetime | None
    clock: StepClock | None
    clock_started_at: datetime | None
    occurred_at: datetime
    place: str
    district: str | None
    lat: float | None
    lon: float | None
    weather: str | None
    accident_form: str | None
    situation_code: str | None
    vehicle_count: int | None
    source: str
    caller_phone: str | None
    injuries: bool | None
    movable: bool | None
    fast_track: bool | None
    knock_for_knock: bool | None
    notes: str
    parties: tuple[PartyDetail, ...]
    timeline: tuple[TimelineEntry, ...]

    @property
    def plates(self) -> tuple[str, ...]:
        return tuple(p.plate_no for p in self.parties if p.plate_no)


# ---------------------------------------------------------------- sessions


@contextmanager
def _reading(session_factory: SessionFactory) -> Iterator[Session]:
    """One read-only transaction whose queries all see the same snapshot.

    SQLite's explicit BEGIN (console.db.engine) already gives one snapshot; PostgreSQL's default
    READ COMMITTED would give each statement its own, so a case could arrive without the party
    inserted a moment later. REPEATABLE READ costs nothing for a read-only transaction.
    """
    with session_factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            session.rollback()


# ---------------------------------------------------------------- the queue

_Assignee = aliased(User)


_AnySelect = Select[*tuple[Any, ...]]
_Query = TypeVar("_Query", bound=_AnySelect)


def _sqlite_time(text: str) -> datetime:
    """A stored SQLite timestamp (naive UTC text) as aware UTC.

    Measured on 100,000 cases: UtcDateTime's per-value hook plus `datetime.replace` cost ~1.5 s
    for the queue's four timestamp columns, parsing the text with the offset appended ~0.15 s.
    """
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:  # written with an offset by something else: still accept it
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _postgres_time(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


_TimeReader = Callable[[Any], datetime]


def _dialect_of(session: Session) -> tuple[bool, _TimeReader]:
    sqlite = session.get_bind().dialect.name == "sqlite"
    return sqlite, (_sqlite_time if sqlite else _postgres_time)


def _case_columns(sqlite: bool) -> _AnySelect:
    """The queue's case columns; timestamps come raw and `_rows_from` makes them aware UTC."""
    raw_type = String() if sqlite else DateTime(timezone=True)

    def raw(column: Any) -> Any:
        return type_coerce(column, raw_type)

    return select(
        Case.id,
        Case.case_no,
        Case.state,
        Case.owner_position,
        Case.assignee_id,
        _Assignee.display_name,
        Case.place_text,
        Case.district,
        raw(Case.created_at),
        raw(Case.state_since),
        raw(Case.timer_started_at),
        Case.version,
        raw(Case.occurred_at),
        Case.caller_phone,
    ).outerjoin(_Assignee, _Assignee.id == Case.assignee_id)


def _visible_to(query: _Query, insurer_org_id: int | None) -> _Query:
    """Insurer staff see only cases with a party their company insures (ARCHITECTURE.md)."""
    if insurer_org_id is None:
        return query
    insured = exists().where(Party.case_id == Case.id, Party.insurer_org_id == insurer_org_id)
    return query.where(insured)


_PartyBits = tuple[list[str], list[str], list[str]]  # names, phones, plates


def _party_bits(
    session: Session, case_filter: Any | None, insurer_org_id: int | None = None
) -> dict[int, _PartyBits]:
    if insurer_org_id is not None:
        return _masked_party_bits(session, case_filter, insurer_org_id)
    query = select(Party.case_id, Party.name, Party.phone, Party.plate_no).order_by(
        Party.case_id, Party.letter
    )
    if case_filter is not None:
        query = query.where(case_filter)
    bits: dict[int, _PartyBits] = {}
    current = None
    names: list[str] = []
    phones: list[str] = []
    plates: list[str] = []
    # Parties come ordered by case: start new lists when the case changes. The Core connection
    # skips the ORM's result machinery, which doubles the cost of 200,000 plain rows.
    for case_id, name, phone, plate in session.connection().execute(query):
        if case_id != current:
            current, names, phones, plates = case_id, [], [], []
            bits[case_id] = (names, phones, plates)
        names.append(name)
        if phone:
            phones.append(phone)
        if plate:
            plates.append(plate)
    return bits


def _masked_party_bits(
    session: Session, case_filter: Any | None, insurer_org_id: int
) -> dict[int, _PartyBits]:
    """An insurer's queue: the phones of parties its company does not insure are masked, so
    they are neither shown nor found by a search."""
    query = select(
        Party.case_id, Party.name, Party.phone, Party.plate_no, Party.insurer_org_id
    ).order_by(Party.case_id, Party.letter)
    if case_filter is not None:
        query = query.where(case_filter)
    bits: dict[int, _PartyBits] = {}
    for case_id, name, phone, plate, insurer in session.connection().execute(query):
        names, phones, plates = bits.setdefault(case_id, ([], [], []))
        names.append(name)
        if phone:
            phones.append(mask_phone(phone) if must_mask(insurer_org_id, insurer) else phone)
        if plate:
            plates.append(plate)
    return bits


def _caller_for(caller_phone: str | None, own_phones: Iterable[str]) -> str | None:
    """The caller's number as an insurer sees it: shown only if it is its insured's own."""
    if not caller_phone or caller_phone in own_phones:
        return caller_phone
    return mask_phone(caller_phone)


_NO_PARTIES: _PartyBits = ([], [], [])


def _rows_from(
    case_rows: Iterable[Any],
    parties: Mapping[int, _PartyBits],
    utc: _TimeReader,
    *,
    masked: bool = False,
) -> list[QueueRow]:
    """QueueRows built positionally: `QueueRow.create` with keywords costs twice as much, and
    this loop runs for every case of the hall. `masked`: an insurer's rows, whose parties'
    phones come masked where not its own insured's, and so must the caller's number."""
    rows = []
    states, positions = _STATES, _POSITIONS
    for (
        case_id,
        case_no,
        state_value,
        owner,
        assignee_id,
        assignee_name,
        place,
        district,
        created_at,
        state_since,
        timer_started_at,
        version,
        occurred_at,
        stored_caller_phone,
    ) in case_rows:
        names, phones, plates = parties.get(case_id, _NO_PARTIES)
        caller_phone = _caller_for(stored_caller_phone, phones) if masked else stored_caller_phone
        state = states[state_value]
        created = utc(created_at)
        since = utc(state_since)
        timer_started = None if timer_started_at is None else utc(timer_started_at)
        clock, clock_started_at = _clock_of(state, timer_started, since)
        rows.append(
            QueueRow(
                case_id,
                case_no,
                state,
                positions[owner] if owner else None,
                assignee_id,
                assignee_name,
                tuple(plates),
                place,
                district,
                created,
                since,
                timer_started,
                version,
                utc(occurred_at),
                clock,
                clock_started_at,
                tuple(names),
                tuple(phones),
                _search_text(
                    case_no,
                    plates=plates,
                    place=place,
                    district=district,
                    names=names,
                    assignee_name=assignee_name,
                    phones=phones,
                    caller_phone=caller_phone,
                ),
            )
        )
    return rows


def load_queue(
    session_factory: SessionFactory,
    *,
    since_days: int | None = None,
    limit: int | None = None,
    insurer_org_id: int | None = None,
    now: datetime | None = None,
) -> list[QueueRow]:
    """Every case a seat's queue holds, newest first.

    `since_days` leaves out closed and revoked cases untouched for that many days; open cases
    are always in, however old, because someone still has to act on them. `limit` keeps the
    newest cases only. `insurer_org_id` restricts the queue to that insurer's cases.
    Two statements in one snapshot: cases with the assignee's name, then all their parties.
    """
    where: list[Any] = []
    if since_days is not None:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=since_days)
        terminal = [s.value for s in TERMINAL_STATES]
        where.append(or_(Case.state.not_in(terminal), Case.updated_at >= cutoff))
    case_filter: Any | None = None
    if where or limit is not None or insurer_org_id is not None:
        ids = _visible_to(select(Case.id).where(*where), insurer_org_id)
        if limit is not None:
            ids = ids.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)
        case_filter = Party.case_id.in_(ids.scalar_subquery())
    with _reading(session_factory) as session:
        sqlite, utc = _dialect_of(session)
        cases = _visible_to(_case_columns(sqlite).where(*where), insurer_org_id).order_by(
            Case.created_at.desc(), Case.id.desc()
        )
        if limit is not None:
            cases = cases.limit(limit)
        case_rows = session.connection().execute(cases).all()
        parties = _party_bits(session, case_filter, insurer_org_id)
    return _rows_from(case_rows, parties, utc, masked=insurer_org_id is not None)


def load_rows(
    session_factory: SessionFactory,
    case_ids: Iterable[int],
    *,
    insurer_org_id: int | None = None,
) -> list[QueueRow]:
    """Fresh rows for the cases the change feed named, a batch per round trip.

    Ids that do not exist (or that the insurer may not see) are simply absent: the caller
    removes those from its queue.
    """
    wanted = sorted(set(case_ids))
    rows: list[QueueRow] = []
    if not wanted:
        return rows
    with _reading(session_factory) as session:
        sqlite, utc = _dialect_of(session)
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            query = _visible_to(_case_columns(sqlite).where(Case.id.in_(chunk)), insurer_org_id)
            case_rows = session.connection().execute(query.order_by(Case.id)).all()
            parties = _party_bits(session, Party.case_id.in_(chunk), insurer_org_id)
            rows.extend(_rows_from(case_rows, parties, utc, masked=insurer_org_id is not None))
    return rows


# ---------------------------------------------------------------- case detail


def load_case_detail(
    session_factory: SessionFactory, case_id: int, *, insurer_org_id: int | None = None
) -> CaseDetail:
    """The case, its parties (with vehicle, insurer and policy) and its whole history, oldest
    event first. Raises NotFound for a missing case or one the insurer may not see; for an
    insurer the other companies' parties' phone, ID and licence numbers come masked, and so
    do numbers in the history that are not its own insured's."""
    case_query = _visible_to(select(Case, _Assignee.display_name), insurer_org_id)
    case_query = case_query.outerjoin(_Assignee, _Assignee.id == Case.assignee_id).where(
        Case.id == case_id
    )
    insurer = aliased(Organisation)
    party_query = (
        select(Party, Vehicle, insurer.name_zh, insurer.name_en, Policy)
        .outerjoin(Vehicle, Vehicle.id == Party.vehicle_id)
        .outerjoin(insurer, insurer.id == Party.insurer_org_id)
        .outerjoin(Policy, Policy.id == Party.policy_id)
        .where(Party.case_id == case_id)
        .order_by(Party.letter)
    )
    actor = aliased(User)
    event_query = (
        select(CaseEvent, actor.display_name)
        .outerjoin(actor, actor.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    with _reading(session_factory) as session:
        found = session.execute(case_query).one_or_none()
        if found is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        case, assignee_name = found
        parties = tuple(
            _party_detail(party, vehicle, name_zh, name_en, policy, viewer_org_id=insurer_org_id)
            for party, vehicle, name_zh, name_en, policy in session.execute(party_query)
        )
        timeline = tuple(
            _timeline_entry(event, actor_name) for event, actor_name in session.execute(event_query)
        )
        caller_phone = case.caller_phone
        if insurer_org_id is not None:
            own = {p.phone for p in parties if not p.masked and p.phone}
            caller_phone = _caller_for(caller_phone, own)
            timeline = tuple(_masked_entry(entry, own) for entry in timeline)
        state = _STATES[case.state]
        clock, clock_started_at = _clock_of(state, case.timer_started_at, case.state_since)
        return CaseDetail(
            case_id=case.id,
            case_no=case.case_no,
            state=state,
            version=case.version,
            owner_position=_POSITIONS[case.owner_position] if case.owner_position else None,
            assignee_id=case.assignee_id,
            assignee_name=assignee_name,
            claimed_at=case.claimed_at,
            created_at=case.created_at,
            updated_at=case.updated_at,
            state_since=case.state_since,
            timer_started_at=case.timer_started_at,
            clock=clock,
            clock_started_at=clock_started_at,
            occurred_at=case.occurred_at,
            place=case.place_text,
            district=case.district,
            lat=case.lat,
            lon=case.lon,
            weather=case.weather,
            accident_form=case.accident_form,
            situation_code=case.situation_code,
            vehicle_count=case.vehicle_count,
            source=case.source,
            caller_phone=caller_phone,
            injuries=case.injuries,
            movable=case.movable,
            fast_track=case.fast_track,
            knock_for_knock=case.knock_for_knock,
            notes=case.notes,
            parties=parties,
            timeline=timeline,
        )


def _party_detail(
    party: Party,
    vehicle: Vehicle | None,
    insurer_name_zh: str | None,
    insurer_name_en: str | None,
    policy: Policy | None,
    *,
    viewer_org_id: int | None = None,
) -> PartyDetail:
    masked = must_mask(viewer_org_id, party.insurer_org_id)
    return PartyDetail(
        party_id=party.id,
        letter=party.letter,
        name=party.name,
        phone=mask_phone(party.phone) if masked else party.phone,
        id_number=mask_id_number(party.id_number) if masked else party.id_number,
        licence_number=(
            mask_licence_number(party.licence_number) if masked else party.licence_number
        ),
        licence_class=party.licence_class,
        mode_of_travel=party.mode_of_travel,
        plate_type=party.plate_type,
        plate_no=party.plate_no,
        vehicle_id=party.vehicle_id,
        vehicle_type=vehicle.vehicle_type if vehicle else None,
        vin=vehicle.vin if vehicle else None,
        vehicle_owner=vehicle.owner_name if vehicle else None,
        insurer_org_id=party.insurer_org_id,
        insurer_name_zh=insurer_name_zh,
        insurer_name_en=insurer_name_en,
        policy_no=policy.policy_no if policy else None,
        policy_kind=policy.kind if policy else None,
        policy_valid_from=policy.valid_from if policy else None,
        policy_valid_until=policy.valid_until if policy else None,
        grade=party.grade,
        fault_statute=party.fault_statute,
        signature=party.signature,
        damaged_parts=tuple(party.damaged_parts or ()),
        masked=masked,
    )


def _masked_entry(entry: TimelineEntry, own_phones: set[str]) -> TimelineEntry:
    return replace(entry, details=mask_event_details(entry.details, keep_phones=own_phones))


def _timeline_entry(event: CaseEvent, actor_name: str | None) -> TimelineEntry:
    return TimelineEntry(
        event_id=event.id,
        at=event.at,
        kind=event.kind,
        from_state=_STATES[event.from_state] if event.from_state else None,
        to_state=_STATES[event.to_state] if event.to_state else None,
        actor_id=event.actor_id,
        actor_name=actor_name,
        seat=event.seat,
        position=_POSITIONS[event.position] if event.position else None,
        reason=event.reason,
        details=dict(event.details or {}),
    )
