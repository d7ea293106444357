"""The transition table: what moves exist, who may make them, what they need."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import RuleViolation
from console.domain.lifecycle import (
    CLOCKS,
    FAST_TRACK_OPEN,
    OWNER,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseState,
    allowed_moves,
    check_transition,
    clock_starts_on_entry,
    find_transition,
)
from console.domain.positions import Position

S = CaseState
P = Position


def test_happy_path_of_domain_md_is_allowed_for_the_right_seats() -> None:
    path = [
        (S.NEW, S.COLLECTING, P.RECEPTION),
        (S.COLLECTING, S.UNDER_REVIEW, P.REVIEW),
        (S.UNDER_REVIEW, S.EVACUATED, P.REVIEW),
        (S.EVACUATED, S.AWAITING_DETERMINATION, P.DETERMINATION),
        (S.AWAITING_DETERMINATION, S.DETERMINING, P.DETERMINATION),
        (S.DETERMINING, S.DETERMINED, P.DETERMINATION),
        (S.DETERMINED, S.INSURERS_NOTIFIED, P.DETERMINATION),
        (S.INSURERS_NOTIFIED, S.CLAIMS_OPEN, P.CLAIMS),
        (S.CLAIMS_OPEN, S.SETTLED, P.CLAIMS),
        (S.SETTLED, S.CLOSED, P.CLAIMS),
    ]
    for source, target, who in path:
        assert check_transition(source, target, who).target == target


def test_review_cannot_determine_liability() -> None:
    with pytest.raises(RuleViolation) as err:
        check_transition(S.DETERMINING, S.DETERMINED, P.REVIEW)
    assert err.value.code == "lifecycle.position_not_allowed"
    assert "review" in err.value.message


def test_skipping_review_is_not_a_move() -> None:
    with pytest.raises(RuleViolation) as err:
        check_transition(S.COLLECTING, S.EVACUATED, P.REVIEW)
    assert err.value.code == "lifecycle.not_allowed"
    assert "collecting" in str(err.value)
    assert "evacuated" in str(err.value)


@pytest.mark.parametrize("target", [S.RETURNED, S.ESCALATED, S.OFFLINE_REFERRED, S.REVOKED])
def test_leaving_the_happy_path_needs_a_reason(target: CaseState) -> None:
    source = S.UNDER_REVIEW
    who = P.SUPERVISOR
    with pytest.raises(RuleViolation) as err:
        check_transition(source, target, who, reason="   ")
    assert err.value.code == "lifecycle.reason_required"
    assert check_transition(source, target, who, reason="photo of plate unreadable")


def test_objection_mediation_loop() -> None:
    assert check_transition(S.DETERMINED, S.DISPUTED, P.LOOKUP, reason="party B objects")
    assert check_transition(S.DISPUTED, S.MEDIATING, P.DETERMINATION)
    assert check_transition(S.MEDIATING, S.DETERMINED, P.DETERMINATION)
    assert check_transition(S.MEDIATING, S.CLOSED, P.DETERMINATION, reason="to court")


def test_only_the_lock_holder_moves_a_determining_case() -> None:
    assert find_transition(S.DETERMINING, S.DETERMINED).needs_lock  # type: ignore[union-attr]
    assert not find_transition(S.NEW, S.COLLECTING).needs_lock  # type: ignore[union-attr]


def test_terminal_states_have_no_way_out() -> None:
    assert not [t for t in TRANSITIONS if t.source in TERMINAL_STATES]


def test_every_state_is_reachable_from_new() -> None:
    seen = {S.NEW}
    frontier = [S.NEW]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS:
            if t.source == state and t.target not in seen:
                seen.add(t.target)
                frontier.append(t.target)
    assert seen == set(CaseState)


def test_every_state_has_an_owner_entry_and_open_states_have_an_owner() -> None:
    assert set(OWNER) == set(CaseState)
    for state in FAST_TRACK_OPEN:
        assert OWNER[state] is not None


def test_determination_clock_runs_from_evacuation() -> None:
    assert CLOCKS[S.DETERMINING][1] == S.EVACUATED
    assert clock_starts_on_entry(S.EVACUATED)
    assert not clock_starts_on_entry(S.DETERMINING)


states = st.sampled_from(list(CaseState))
positions = st.sampled_from(list(Position))
reasons = st.one_of(st.none(), st.text(max_size=20))


@given(states, states, positions, reasons)
def test_check_agrees_with_the_table(
    source: CaseState, target: CaseState, who: Position, reason: str | None
) -> None:
    move = find_transition(source, target)
    ok = (
        move is not None
        and who in move.positions
        and (not move.needs_reason or bool(reason and reason.strip()))
    )
    try:
        got = check_transition(source, target, who, reason)
    except RuleViolation as err:
        assert not ok
        assert err.code.startswith("lifecycle.")
    else:
        assert ok
        assert got is move


@given(states, positions)
def test_allowed_moves_are_exactly_the_checkable_ones(source: CaseState, who: Position) -> None:
    offered = {t.target for t in allowed_moves(source, who)}
    for target in CaseState:
        try:
            check_transition(source, target, who, reason="because")
        except RuleViolation:
            assert target not in offered
        else:
            assert target in offered


@given(states)
def test_supervisor_may_make_every_move(source: CaseState) -> None:
    assert allowed_moves(source, P.SUPERVISOR) == tuple(
        t for t in TRANSITIONS if t.source == source
    )
