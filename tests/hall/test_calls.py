"""Handed-over 122 calls: one seat wins each answer, transfers ring only at their target, a
caller who hangs up leaves every list, a call opens or joins a case in one transaction, and
every refusal writes nothing."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.db.models import (
    AuditLogEntry,
    Call,
    CallLeg,
    Case,
    CaseEvent,
    Party,
    Seat,
    User,
    UserPosition,
)
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall import calls as calls_module
from console.hall.actor import Actor
from console.hall.call_queries import (
    CallState,
    CallView,
    LinkReason,
    call_metrics,
    call_record,
    haversine_m,
    link_candidates,
    nearest_rank,
    ringing_calls,
)
from console.hall.calls import (
    answer_call,
    answer_oldest,
    hang_up,
    link_call_to_case,
    open_case_from_call,
    record_caller_hung_up,
    record_ringing,
    transfer_call,
)
from console.hall.cases import PartyInput
from console.hall.errors import HeldByOther, NotFound, PermissionDenied
from tests.hall.conftest import Hall

PHONE = "13912345678"
PLACE = "东营区府前大街与西四路路口"
LAT, LON = 37.434, 118.674
METRES_PER_DEGREE = 111_195.0  # at the haversine radius: 2πR / 360


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Desk:
    """The test hall plus a second reception seat and the seat list transfers look up."""

    hall: Hall
    reception2: Actor

    @property
    def sf(self) -> sessionmaker[Session]:
        return self.hall.session_factory

    def __getitem__(self, name: str) -> Actor:
        if name == "reception2":
            return self.reception2
        return self.hall[name]


@pytest.fixture
def desk(hall: Hall) -> Desk:
    with hall.session_factory() as session, session.begin():
        user = User(
            org_id=hall.police_id,
            username="reception2",
            display_name="钱接警",
            password_hash="x",
            active=True,
            failed_logins=0,
            created_at=now(),
        )
        session.add(user)
        session.flush()
        session.add(UserPosition(user_id=user.id, position=Position.RECEPTION.value))
        reception2 = Actor(user.id, "钱接警", Position.RECEPTION, "seat-R2", hall.police_id)
        for actor in [*hall.actors.values(), reception2]:
            session.add(Seat(name=actor.seat, position=actor.position.value, active=True))
        session.add(Seat(name="seat-off", position=Position.DETERMINATION.value, active=False))
    return Desk(hall, reception2)


def ring(
    desk: Desk,
    external_id: str,
    *,
    phone: str = PHONE,
    rang_at: datetime | None = None,
    lat: float | None = LAT,
    lon: float | None = LON,
    place_text: str | None = PLACE,
    target_position: Position = Position.RECEPTION,
    target_seat: str | None = None,
) -> CallView:
    return record_ringing(
        desk.sf,
        external_id=external_id,
        caller_phone=phone,
        caller_name="刘一",
        lat=lat,
        lon=lon,
        place_text=place_text,
        district="东营区",
        rang_at=rang_at or now() - timedelta(seconds=5),
        target_position=target_position,
        target_seat=target_seat,
    )


def ringing_at(desk: Desk, name: str) -> list[int]:
    actor = desk[name]
    return [c.id for c in ringing_calls(desk.sf, position=actor.position, seat=actor.seat)]


def snapshot(desk: Desk) -> tuple[object, ...]:
    """Everything a call use case may write, to prove a refusal wrote nothing."""
    with desk.sf() as session:
        calls = session.execute(
            select(Call.id, Call.state, Call.version, Call.case_id, Call.target_seat).order_by(
                Call.id
            )
        ).all()
        legs = session.execute(select(CallLeg.id, CallLeg.ended_at).order_by(CallLeg.id)).all()
        return (
            tuple(calls),
            tuple(legs),
            session.scalar(select(func.count()).select_from(AuditLogEntry)),
            session.scalar(select(func.count()).select_from(CaseEvent)),
            session.scalar(select(func.count()).select_from(Case)),
            session.scalar(select(func.count()).select_from(Party)),
        )


class NothingWritten:
    """Wrap a block of refusals: the database must look the same afterwards."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def __enter__(self) -> None:
        self.before = snapshot(self.desk)

    def __exit__(self, *exc: object) -> None:
        assert snapshot(self.desk) == self.before, "a refused call action wrote something"


def audits(desk: Desk, action: str) -> list[AuditLogEntry]:
    with desk.sf() as session:
        return list(session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)))


def legs_of(desk: Desk, call_id: int) -> list[CallLeg]:
    with desk.sf() as session:
        return list(
            session.scalars(select(CallLeg).where(CallLeg.call_id == call_id).order_by(CallLeg.id))
        )


def events_of(desk: Desk, case_id: int) -> list[CaseEvent]:
    with desk.sf() as session:
        return list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        )


# ---------------------------------------------------------------- ringing and answering


def test_a_ringing_call_is_answered_by_one_seat_with_a_leg_and_an_audit(desk: Desk) -> None:
    rang = now() - timedelta(seconds=12)
    call = ring(desk, "122-0001", rang_at=rang)
    assert call.state is CallState.RINGING
    assert call.caller_phone == PHONE and call.target_position is Position.RECEPTION
    assert call.wait_seconds >= 12
    assert ringing_at(desk, "reception") == [call.id]
    assert ringing_at(desk, "reception2") == [call.id]
    assert ringing_at(desk, "supervisor") == [call.id], "the supervisor covers reception"
    assert ringing_at(desk, "officer") == []

    answered = answer_call(desk.sf, desk["reception"], call.id)
    assert answered.state is CallState.ANSWERED
    assert answered.answered_by_name == "王接警" and answered.answered_seat == "seat-01"
    assert answered.answered_at is not None and answered.answered_at >= rang
    assert answered.wait_seconds == pytest.approx((answered.answered_at - rang).total_seconds())
    assert answered.version == call.version + 1
    assert ringing_at(desk, "reception") == [] and ringing_at(desk, "reception2") == []
    (leg,) = legs_of(desk, call.id)
    assert (leg.kind, leg.seat, leg.user_id, leg.position) == (
        "answer",
        "seat-01",
        desk["reception"].user_id,
        "reception",
    )
    assert leg.started_at == answered.answered_at and leg.ended_at is None
    assert [a.target for a in audits(desk, "call_rang")] == [f"call:{call.id}"]
    (audit,) = audits(desk, "call_answered")
    assert audit.actor_id == desk["reception"].user_id and audit.seat == "seat-01"


def test_a_second_delivery_of_the_same_ring_changes_nothing(desk: Desk) -> None:
    first = ring(desk, "122-0002")
    before = snapshot(desk)
    again = ring(desk, "122-0002", phone="13698765432", place_text="somewhere else")
    assert again.id == first.id and again.caller_phone == PHONE
    assert snapshot(desk) == before
    answer_call(desk.sf, desk["reception"], first.id)
    before = snapshot(desk)
    late = ring(desk, "122-0002")
    assert late.state is CallState.ANSWERED, "a late duplicate must not make it ring again"
    assert snapshot(desk) == before


def test_a_ring_with_a_bad_number_or_time_is_refused_and_writes_nothing(desk: Desk) -> None:
    with NothingWritten(desk):
        with pytest.raises(RuleViolation) as bad_phone:
            ring(desk, "122-0003", phone="12-34")
        assert bad_phone.value.code == "phone.invalid"
        with pytest.raises(RuleViolation) as naive:
            ring(desk, "122-0003", rang_at=datetime(2026, 11, 22, 9, 30))
        assert naive.value.code == "call.naive_time"
        with pytest.raises(RuleViolation) as half:
            ring(desk, "122-0003", lon=None)
        assert half.value.code == "call.half_coordinates"
        with pytest.raises(RuleViolation) as no_id:
            ring(desk, "  ")
        assert no_id.value.code == "call.bad_external_id"
        with pytest.raises(RuleViolation) as position:
            ring(desk, "122-0003", target_position="canteen")  # type: ignore[arg-type]
        assert position.value.code == "call.bad_position"


def test_two_seats_pressing_answer_one_wins_and_the_other_is_told_who(desk: Desk) -> None:
    call = ring(desk, "122-0004")
    won = answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk):
        with pytest.raises(HeldByOther) as lost:
            answer_call(desk.sf, desk["reception2"], call.id)
        assert lost.value.code == "call.answered_by_other"
        assert "王接警" in lost.value.message and "seat-01" in lost.value.message
        assert lost.value.params["seat"] == "seat-01"
        # The winner pressing again gets its call back; nothing is written twice.
        again = answer_call(desk.sf, desk["reception"], call.id)
        assert again.version == won.version
    assert len(legs_of(desk, call.id)) == 1


def test_seats_pressing_answer_at_the_same_instant_leave_exactly_one_winner(desk: Desk) -> None:
    call = ring(desk, "122-0005")
    seats = [desk["reception"], desk["reception2"], desk["supervisor"]]
    barrier = threading.Barrier(len(seats))
    outcomes: dict[str, CallView | Exception] = {}

    def press(actor: Actor) -> None:
        barrier.wait()
        try:
            outcomes[actor.seat] = answer_call(desk.sf, actor, call.id)
        except Exception as error:  # judged below, on the test thread
            outcomes[actor.seat] = error

    threads = [threading.Thread(target=press, args=(a,), name=f"press-{a.seat}") for a in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [o for o in outcomes.values() if isinstance(o, CallView)]
    losers = [o for o in outcomes.values() if not isinstance(o, CallView)]
    assert len(winners) == 1 and len(losers) == 2, outcomes
    (winner,) = winners
    for loser in losers:
        assert isinstance(loser, HeldByOther) and loser.code == "call.answered_by_other"
        assert loser.params["holder"] == winner.answered_by_name
        assert loser.params["seat"] == winner.answered_seat
    assert len(legs_of(desk, call.id)) == 1
    assert len(audits(desk, "call_answered")) == 1


def test_one_key_answers_the_oldest_call_for_my_position(desk: Desk) -> None:
    t = now() - timedelta(minutes=1)
    newer = ring(desk, "122-0010", rang_at=t + timedelta(seconds=20))
    older = ring(desk, "122-0011", rang_at=t)
    for_officers = ring(
        desk, "122-0012", rang_at=t - timedelta(seconds=30), target_position=Position.DETERMINATION
    )
    assert ringing_at(desk, "reception") == [older.id, newer.id]
    first = answer_oldest(desk.sf, desk["reception"])
    assert first is not None and first.id == older.id
    second = answer_oldest(desk.sf, desk["supervisor"])
    assert second is not None and second.id == newer.id
    assert answer_oldest(desk.sf, desk["reception2"]) is None
    assert answer_oldest(desk.sf, desk["lookup"]) is None
    officers = answer_oldest(desk.sf, desk["officer"])
    assert officers is not None and officers.id == for_officers.id


def test_a_caller_who_hangs_up_first_leaves_every_list_and_cannot_be_answered(desk: Desk) -> None:
    rang = now() - timedelta(seconds=40)
    call = ring(desk, "122-0020", rang_at=rang)
    gone_at = rang + timedelta(seconds=30)
    gone = record_caller_hung_up(desk.sf, external_id="122-0020", at=gone_at)
    assert gone.state is CallState.ABANDONED and gone.ended_at == gone_at
    assert gone.wait_seconds == pytest.approx(30)
    for name in ("reception", "reception2", "supervisor", "officer"):
        assert ringing_at(desk, name) == []
    with NothingWritten(desk):
        with pytest.raises(RuleViolation) as err:
            answer_call(desk.sf, desk["reception"], call.id)
        assert err.value.code == "call.caller_gone"
        assert answer_oldest(desk.sf, desk["reception"]) is None
        # The gateway repeating itself changes nothing.
        record_caller_hung_up(desk.sf, external_id="122-0020", at=gone_at + timedelta(seconds=1))
    assert legs_of(desk, call.id) == []
    assert [a.target for a in audits(desk, "call_abandoned")] == [f"call:{call.id}"]
    with pytest.raises(NotFound):
        record_caller_hung_up(desk.sf, external_id="122-none", at=gone_at)


def test_a_caller_hanging_up_on_an_answered_call_ends_it_and_the_leg(desk: Desk) -> None:
    call = ring(desk, "122-0021")
    answered = answer_call(desk.sf, desk["reception"], call.id)
    assert answered.answered_at is not None
    # The gateway's clock is a little behind: the end is never before the answer.
    ended = record_caller_hung_up(
        desk.sf, external_id="122-0021", at=answered.answered_at - timedelta(seconds=1)
    )
    assert ended.state is CallState.ENDED and ended.ended_at == answered.answered_at
    (leg,) = legs_of(desk, call.id)
    assert leg.ended_at == ended.ended_at
    assert len(audits(desk, "caller_hung_up")) == 1


# ---------------------------------------------------------------- transfer and hang up


def test_a_transfer_to_determination_rings_there_and_not_at_reception(desk: Desk) -> None:
    call = ring(desk, "122-0030")
    first = answer_call(desk.sf, desk["reception"], call.id)
    moved = transfer_call(
        desk.sf,
        desk["reception"],
        call.id,
        to_position=Position.DETERMINATION,
        reason="当事人要求民警定责",
    )
    assert moved.state is CallState.TRANSFERRING
    assert moved.target_position is Position.DETERMINATION and moved.target_seat is None
    assert ringing_at(desk, "officer") == [call.id] and ringing_at(desk, "officer2") == [call.id]
    assert ringing_at(desk, "reception") == [] and ringing_at(desk, "supervisor") == []
    (leg,) = legs_of(desk, call.id)
    assert leg.ended_at is not None
    assert moved.waiting_since == leg.ended_at

    with NothingWritten(desk), pytest.raises(PermissionDenied) as err:
        answer_call(desk.sf, desk["reception2"], call.id)
    assert err.value.code == "call.for_other_position"
    assert err.value.params["target_position"] == "determination"

    taken = answer_call(desk.sf, desk["officer"], call.id)
    assert taken.state is CallState.ANSWERED and taken.answered_by_name == "张警官"
    assert taken.answered_at == first.answered_at, "answer time counts the first pick-up"
    record = call_record(desk.sf, call.id)
    assert [(leg.kind, leg.seat, leg.position, leg.user_name) for leg in record.legs] == [
        ("answer", "seat-01", Position.RECEPTION, "王接警"),
        ("transfer", "seat-03", Position.DETERMINATION, "张警官"),
    ]
    assert record.legs[0].seconds is not None and record.legs[1].ended_at is None
    (audit,) = audits(desk, "call_transferred")
    assert audit.details["reason"] == "当事人要求民警定责"
    assert audit.details["to_position"] == "determination"


def test_a_transfer_to_a_seat_rings_only_at_that_seat(desk: Desk) -> None:
    call = ring(desk, "122-0031")
    answer_call(desk.sf, desk["reception"], call.id)
    moved = transfer_call(desk.sf, desk["reception"], call.id, to_seat="seat-03")
    assert moved.target_seat == "seat-03" and moved.target_position is Position.DETERMINATION
    assert ringing_at(desk, "officer") == [call.id]
    for name in ("officer2", "reception", "reception2", "supervisor"):
        assert ringing_at(desk, name) == [], name
    with NothingWritten(desk):
        with pytest.raises(PermissionDenied) as err:
            answer_call(desk.sf, desk["officer2"], call.id)
        assert err.value.code == "call.for_other_seat" and "seat-03" in err.value.message
        assert answer_oldest(desk.sf, desk["officer2"]) is None
    taken = answer_oldest(desk.sf, desk["officer"])
    assert taken is not None and taken.id == call.id and taken.answered_seat == "seat-03"


def test_only_the_holder_transfers_and_a_bad_target_is_refused(desk: Desk) -> None:
    ringing = ring(desk, "122-0032")
    call = ring(desk, "122-0033")
    answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk):
        with pytest.raises(HeldByOther) as other:
            transfer_call(desk.sf, desk["reception2"], call.id, to_position=Position.DETERMINATION)
        assert other.value.code == "call.held_by_other" and "王接警" in other.value.message
        with pytest.raises(RuleViolation) as unanswered:
            transfer_call(desk.sf, desk["reception"], ringing.id, to_position="determination")
        assert unanswered.value.code == "call.not_answered"
        cases = [
            ({}, "call.transfer_target_missing"),
            ({"to_seat": "seat-01"}, "call.transfer_to_self"),
            ({"to_seat": "seat-99"}, "seat.not_found"),
            ({"to_seat": "seat-off"}, "seat.inactive"),
            ({"to_seat": "seat-03", "to_position": "review"}, "call.seat_position_mismatch"),
            ({"to_position": "canteen"}, "call.bad_position"),
        ]
        for kwargs, code in cases:
            with pytest.raises(RuleViolation) as err:
                transfer_call(desk.sf, desk["reception"], call.id, **kwargs)
            assert err.value.code == code, kwargs
        with pytest.raises(NotFound):
            transfer_call(desk.sf, desk["reception"], 999_999, to_position="review")


def test_hang_up_ends_the_call_and_the_leg_with_times(desk: Desk) -> None:
    call = ring(desk, "122-0040")
    answered = answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk), pytest.raises(HeldByOther):
        hang_up(desk.sf, desk["reception2"], call.id)
    ended = hang_up(desk.sf, desk["reception"], call.id)
    assert ended.state is CallState.ENDED
    assert ended.answered_at == answered.answered_at
    assert ended.ended_at is not None and answered.answered_at is not None
    assert ended.ended_at >= answered.answered_at
    (leg,) = legs_of(desk, call.id)
    assert leg.started_at == answered.answered_at and leg.ended_at == ended.ended_at
    record = call_record(desk.sf, call.id)
    assert record.answer_seconds == pytest.approx(answered.wait_seconds)
    assert record.handling_seconds == pytest.approx(
        (ended.ended_at - answered.answered_at).total_seconds()
    )
    with NothingWritten(desk):
        with pytest.raises(RuleViolation) as err:
            hang_up(desk.sf, desk["reception"], call.id)
        assert err.value.code == "call.ended"
        with pytest.raises(RuleViolation) as late:
            answer_call(desk.sf, desk["reception"], call.id)
        assert late.value.code == "call.ended"
    assert len(audits(desk, "call_hung_up")) == 1


# ---------------------------------------------------------------- calls and cases


def test_open_case_from_call_prefills_the_caller_and_links_in_one_go(desk: Desk) -> None:
    call = ring(desk, "122-0050")
    answer_call(desk.sf, desk["reception"], call.id)
    change = open_case_from_call(
        desk.sf,
        desk["reception"],
        call.id,
        parties=(PartyInput(name="刘一", phone=PHONE, plate_no="鲁E12345"),),
    )
    assert change.state is CaseState.NEW and change.case_no.startswith("KC")
    with desk.sf() as session:
        case = session.get(Case, change.case_id)
        stored = session.get(Call, call.id)
        assert case is not None and stored is not None
        assert (case.source, case.caller_phone, case.place_text) == ("call", PHONE, PLACE)
        assert (case.lat, case.lon, case.district) == (LAT, LON, "东营区")
        assert case.occurred_at == call.rang_at
        assert [p.plate_no for p in case.parties] == ["鲁E12345"]
        assert stored.case_id == case.id
    (created,) = events_of(desk, change.case_id)
    assert created.kind == "created" and created.details["call_id"] == call.id
    (audit,) = audits(desk, "call_linked")
    assert audit.details["case_no"] == change.case_no
    # Transfers of a linked call show on the case timeline.
    transfer_call(desk.sf, desk["reception"], call.id, to_position="determination", reason="定责")
    kinds = [e.kind for e in events_of(desk, change.case_id)]
    assert kinds == ["created", "call_transferred"]
    answer_call(desk.sf, desk["officer"], call.id)
    hang_up(desk.sf, desk["officer"], call.id)
    kinds = [e.kind for e in events_of(desk, change.case_id)]
    assert kinds == ["created", "call_transferred", "call_answered", "call_ended"]
    shown = call_record(desk.sf, call.id).call
    assert shown.case_no == change.case_no


def test_a_refused_case_leaves_the_call_unlinked_and_writes_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = ring(desk, "122-0051", place_text=None)
    answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk):
        with pytest.raises(RuleViolation) as phone:
            open_case_from_call(
                desk.sf,
                desk["reception"],
                call.id,
                place_text=PLACE,
                parties=(PartyInput(name="刘一", phone="12345"),),
            )
        assert phone.value.code.startswith("mobile.")
        with pytest.raises(RuleViolation) as place:
            open_case_from_call(desk.sf, desk["reception"], call.id)
        assert place.value.code == "case.place_missing"

        # A failure after the case row is written rolls the case back with the link.
        def broken_audit(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("disk full")

        with monkeypatch.context() as patch:
            patch.setattr(calls_module, "record_audit", broken_audit)
            with pytest.raises(RuntimeError):
                open_case_from_call(desk.sf, desk["reception"], call.id, place_text=PLACE)
    change = open_case_from_call(desk.sf, desk["reception"], call.id, place_text=PLACE)
    assert change.case_id > 0


def test_only_the_seat_that_took_the_call_files_it_and_only_once(desk: Desk) -> None:
    ringing = ring(desk, "122-0052")
    call = ring(desk, "122-0053")
    answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk):
        with pytest.raises(HeldByOther) as other:
            open_case_from_call(desk.sf, desk["reception2"], call.id)
        assert other.value.code == "call.answered_by_other"
        with pytest.raises(RuleViolation) as unanswered:
            open_case_from_call(desk.sf, desk["reception"], ringing.id)
        assert unanswered.value.code == "call.not_answered"
        with pytest.raises(PermissionDenied):
            open_case_from_call(desk.sf, desk["lookup"], call.id)
    change = open_case_from_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk), pytest.raises(RuleViolation) as twice:
        open_case_from_call(desk.sf, desk["reception"], call.id)
    assert twice.value.code == "call.already_linked" and change.case_no in twice.value.message


def a_case(
    desk: Desk,
    created_at: datetime,
    *,
    state: CaseState = CaseState.NEW,
    caller_phone: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    parties: Sequence[tuple[str, str | None, str | None]] = (),
    case_no: str,
) -> int:
    with desk.sf() as session, session.begin():
        case = Case(
            case_no=case_no,
            state=state.value,
            created_at=created_at,
            updated_at=created_at,
            state_since=created_at,
            occurred_at=created_at,
            place_text="somewhere",
            lat=lat,
            lon=lon,
            source="call",
            caller_phone=caller_phone,
            notes="",
        )
        session.add(case)
        session.flush()
        for letter, (name, phone, plate) in zip("ABC", parties, strict=False):
            session.add(
                Party(case_id=case.id, letter=letter, name=name, phone=phone, plate_no=plate)
            )
        return case.id


def test_link_to_an_open_case_writes_a_case_event_and_refuses_a_closed_one(desk: Desk) -> None:
    t = now()
    open_id = a_case(desk, t, case_no="T-OPEN")
    closed_id = a_case(desk, t, state=CaseState.CLOSED, case_no="T-CLOSED")
    escalated_id = a_case(desk, t, state=CaseState.ESCALATED, case_no="T-ESC")
    call = ring(desk, "122-0060")
    with NothingWritten(desk), pytest.raises(RuleViolation) as early:
        link_call_to_case(desk.sf, desk["reception"], call.id, open_id)
    assert early.value.code == "call.not_answered"
    answer_call(desk.sf, desk["reception"], call.id)
    with NothingWritten(desk):
        for case_id in (closed_id, escalated_id):
            with pytest.raises(RuleViolation) as err:
                link_call_to_case(desk.sf, desk["reception"], call.id, case_id)
            assert err.value.code == "case.not_open"
        with pytest.raises(NotFound):
            link_call_to_case(desk.sf, desk["reception"], call.id, 999_999)
        with pytest.raises(HeldByOther):
            link_call_to_case(desk.sf, desk["reception2"], call.id, open_id)
    linked = link_call_to_case(desk.sf, desk["reception"], call.id, open_id)
    assert linked.case_id == open_id and linked.case_no == "T-OPEN"
    (event,) = events_of(desk, open_id)
    assert event.kind == "call_linked" and event.details["call_id"] == call.id
    assert event.seat == "seat-01"
    with NothingWritten(desk):
        again = link_call_to_case(desk.sf, desk["reception"], call.id, open_id)
    assert again.version == linked.version


def test_link_candidates_match_phone_plate_and_place_within_the_window(desk: Desk) -> None:
    t = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    north_200m = LAT + 200 / METRES_PER_DEGREE
    east_800m = LON + 800 / (METRES_PER_DEGREE * 0.79406)  # cos(37.434°)
    by_phone = a_case(desk, t - timedelta(minutes=10), caller_phone=PHONE, case_no="T-PHONE")
    by_party_phone = a_case(
        desk, t + timedelta(minutes=3), parties=[("刘一", PHONE, None)], case_no="T-PARTY"
    )
    by_plate = a_case(
        desk, t - timedelta(minutes=5), parties=[("陈二", None, "鲁EA1234")], case_no="T-PLATE"
    )
    nearby = a_case(desk, t - timedelta(minutes=20), lat=north_200m, lon=LON, case_no="T-NEAR")
    everything = a_case(
        desk,
        t - timedelta(minutes=25),
        caller_phone=PHONE,
        lat=LAT,
        lon=LON,
        parties=[("刘一", PHONE, "鲁E12345")],
        case_no="T-ALL",
    )
    # Not offered: too old, too far, closed, off the track, no match at all.
    a_case(desk, t - timedelta(minutes=45), caller_phone=PHONE, lat=LAT, lon=LON, case_no="T-OLD")
    a_case(desk, t - timedelta(minutes=5), lat=LAT, lon=east_800m, case_no="T-FAR")
    a_case(desk, t, state=CaseState.CLOSED, caller_phone=PHONE, case_no="T-CLOSED")
    a_case(desk, t, state=CaseState.ESCALATED, lat=LAT, lon=LON, case_no="T-ESC")
    a_case(desk, t, caller_phone="13600000000", case_no="T-OTHER")
    call = ring(desk, "122-0070", rang_at=t)

    found = link_candidates(desk.sf, call.id, plates=["鲁e-a1234", "鲁E12345"])
    assert [c.case_id for c in found] == [everything, by_party_phone, by_phone, by_plate, nearby]
    best = found[0]
    assert best.reasons == (LinkReason.PHONE, LinkReason.PLATE, LinkReason.NEARBY)
    assert best.distance_m == pytest.approx(0) and best.minutes_apart == pytest.approx(25)
    by_id = {c.case_id: c for c in found}
    assert by_id[by_phone].reasons == (LinkReason.PHONE,)
    assert by_id[by_party_phone].minutes_apart == pytest.approx(3)
    assert by_id[by_plate].reasons == (LinkReason.PLATE,)
    assert by_id[by_plate].matched_plates == ("鲁EA1234",)
    assert by_id[nearby].reasons == (LinkReason.NEARBY,)
    assert by_id[nearby].distance_m == pytest.approx(200, abs=1)

    # Without plates, a tighter radius and window, and once linked, fewer are offered.
    assert {c.case_id for c in link_candidates(desk.sf, call.id, radius_m=100)} == {
        everything,
        by_phone,
        by_party_phone,
    }
    narrow = link_candidates(desk.sf, call.id, window=timedelta(minutes=15))
    assert {c.case_id for c in narrow} == {by_phone, by_party_phone}


def test_haversine_agrees_with_a_known_distance() -> None:
    # One minute of latitude is one nautical mile, 1852 m, give or take the Earth's shape.
    assert haversine_m(37.0, 118.0, 37.0 + 1 / 60, 118.0) == pytest.approx(1853, abs=2)
    assert haversine_m(LAT, LON, LAT, LON) == 0


# ---------------------------------------------------------------- the dashboard's figures


def test_call_metrics_on_a_small_hand_made_day(desk: Desk) -> None:
    base = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def call(
        n: int, rang: int, answer: int | None, end: int | None, state: CallState
    ) -> dict[str, object]:
        at = base + timedelta(minutes=rang)
        return {
            "external_id": f"M-{n}",
            "caller_phone": PHONE,
            "state": state.value,
            "rang_at": at,
            "answered_at": at + timedelta(seconds=answer) if answer is not None else None,
            "ended_at": at + timedelta(seconds=end) if end is not None else None,
            "answered_seat": "seat-01" if answer is not None else None,
            "target_position": "reception",
        }

    rows = [
        call(1, 0, 10, 130, CallState.ENDED),  # answered in 10 s, handled 120 s
        call(2, 1, 30, 90, CallState.ENDED),  # 30 s, 60 s
        call(3, 2, 70, 370, CallState.ENDED),  # 70 s (late), 300 s
        call(4, 3, None, 20, CallState.ABANDONED),
        call(5, 4, None, None, CallState.RINGING),
        call(6, 5, 50, None, CallState.ANSWERED),  # 50 s, still talking
        call(7, -60, 5, 65, CallState.ENDED),  # before the period
        call(8, 120, 5, 65, CallState.ENDED),  # at its end: not counted
    ]
    with desk.sf() as session, session.begin():
        session.add_all(Call(**row) for row in rows)

    m = call_metrics(desk.sf, since=base, until=base + timedelta(hours=2))
    assert (m.rang, m.answered, m.abandoned, m.waiting) == (6, 4, 1, 1)
    assert m.answer_p50 == 30 and m.answer_p90 == 70
    assert m.answer_mean == pytest.approx(40)
    assert m.answered_within_limit == 3 and m.answer_limit_seconds == 60
    assert m.handling_p50 == 120 and m.handling_mean == pytest.approx(160)
    assert m.abandon_rate == pytest.approx(1 / 6)
    assert [(t.external_id, t.answer_seconds, t.handling_seconds) for t in m.calls] == [
        ("M-1", 10, 120),
        ("M-2", 30, 60),
        ("M-3", 70, 300),
        ("M-4", None, None),
        ("M-5", None, None),
        ("M-6", 50, None),
    ]
    strict = call_metrics(
        desk.sf, since=base, until=base + timedelta(hours=2), answer_limit=timedelta(seconds=20)
    )
    assert strict.answered_within_limit == 1
    empty = call_metrics(desk.sf, since=base - timedelta(days=2), until=base - timedelta(days=1))
    assert (empty.rang, empty.answer_p50, empty.abandon_rate) == (0, None, None)


def test_nearest_rank_percentiles() -> None:
    assert nearest_rank([], 50) is None
    assert nearest_rank([7.0], 90) == 7
    assert nearest_rank([40.0, 10.0, 30.0, 20.0], 50) == 20
    assert nearest_rank([float(n) for n in range(1, 11)], 90) == 9


# ---------------------------------------------------------------- many seats at once


def _answer_all(url: str, actor_fields: tuple[int, str, str], start: Any) -> list[int]:
    """Run in a separate process: answer the oldest call and hang up, until none rings."""
    from console.db.engine import make_engine, make_session_factory

    user_id, name, seat = actor_fields
    actor = Actor(user_id, name, Position.RECEPTION, seat)
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    got = []
    try:
        with session_factory() as session:  # connect before the start line
            session.execute(select(1))
        start.wait(timeout=60)
        while (call := answer_oldest(session_factory, actor)) is not None:
            got.append(call.id)
            hang_up(session_factory, actor, call.id)
    finally:
        engine.dispose()
    return got


@pytest.mark.slow
def test_three_seats_answering_at_once_take_every_call_exactly_once(
    desk: Desk, db_url: str
) -> None:
    t = now() - timedelta(minutes=5)
    ids = [ring(desk, f"122-C{n:03d}", rang_at=t + timedelta(seconds=n)).id for n in range(20)]
    reception = desk["reception"]
    jobs = [(reception.user_id, reception.display_name, f"seat-P{n}") for n in range(3)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(3) as pool:
        # All three start pressing at the same instant, not whenever their imports finish.
        start = manager.Barrier(3)
        results = pool.starmap(_answer_all, [(db_url, job, start) for job in jobs])
    answered = [call_id for result in results for call_id in result]
    if db_url.startswith("postgresql"):
        # Row locks let the seats interleave. (SQLite's busy handler backs off while the
        # writer holding the lock goes again, so there one seat may take every call.)
        assert sum(bool(result) for result in results) >= 2, [len(r) for r in results]
    assert [n for n in Counter(answered).values() if n > 1] == []
    assert sorted(answered) == ids
    with desk.sf() as session:
        states = Counter(session.scalars(select(Call.state)))
        assert states == {"ended": 20}
        legs = session.execute(select(CallLeg.call_id, CallLeg.seat, CallLeg.ended_at)).all()
        assert sorted(leg.call_id for leg in legs) == ids
        assert all(leg.ended_at is not None for leg in legs)
        seat_of = {leg.call_id: leg.seat for leg in legs}
        for seat, result in zip(("seat-P0", "seat-P1", "seat-P2"), results, strict=True):
            assert all(seat_of[call_id] == seat for call_id in result)
    answered_audits = [str(a.target) for a in audits(desk, "call_answered")]
    assert sorted(answered_audits) == sorted(f"call:{i}" for i in ids)
    assert len(audits(desk, "call_hung_up")) == 20
