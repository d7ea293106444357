"""Triage at reception: what the caller's answers say while they are still on the line.

Reception asks what a caller can tell; licences, registration and insurance wait for review.
The verdict lists every failed item and every open question at once and names the next step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from console.domain.deadlines import HALL_TZ
from console.domain.eligibility import FastTrackConfig
from console.domain.errors import Finding
from console.domain.triage import (
    ASKED_AT_RECEPTION,
    TriageFacts,
    TriageStep,
    TriageVehicle,
    triage,
)

IN_HOURS = datetime(2024, 5, 20, 10, 15, tzinfo=HALL_TZ)  # a Monday morning in Dongying
MOVABLE = TriageVehicle(plate="鲁E12345", movable=True)

# What review checks per motor vehicle, never asked on the phone.
LATER_PER_VEHICLE = [
    "eligibility.licence_expired",
    "eligibility.licence_status",
    "eligibility.licence_class",
    "eligibility.registration_expired",
    "eligibility.registration_status",
    "eligibility.no_compulsory_insurance",
]


def fine(**changes: object) -> TriageFacts:
    """Every reception question answered harmlessly: two movable cars, nobody hurt."""
    facts = TriageFacts(
        occurred_at=IN_HOURS,
        vehicles=(MOVABLE, TriageVehicle(plate="鲁EA1234", movable=True)),
        district="东营区",
        injuries=False,
        drink_or_drugs=False,
        plates_suspect=False,
        dangerous_goods=False,
        party_fled=False,
        deliberate=False,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_a_fresh_call_asks_every_reception_question_and_leaves_documents_for_review() -> None:
    # The form starts with two vehicles whose state nobody has asked about yet.
    verdict = triage(TriageFacts(occurred_at=IN_HOURS, vehicles=(TriageVehicle(),) * 2))
    assert verdict.step is TriageStep.ASK
    assert verdict.failures == ()
    assert not verdict.eligible_so_far
    assert codes(verdict.to_ask) == [
        "eligibility.death_or_injury",
        "eligibility.not_drivable",
        "eligibility.not_drivable",
        "eligibility.suspected_drink_or_drugs",
        "eligibility.fake_or_missing_plates",
        "eligibility.dangerous_goods",
        "eligibility.party_fled",
        "eligibility.deliberate_crash",
    ]
    assert [f.params["party"] for f in verdict.to_ask if f.code.endswith("not_drivable")] == [
        "1",
        "2",
    ]
    assert sorted(codes(verdict.checked_later)) == sorted(LATER_PER_VEHICLE * 2)
    assert not set(codes(verdict.checked_later)) & ASKED_AT_RECEPTION
    assert all(f.message for f in (*verdict.to_ask, *verdict.checked_later))
    assert (verdict.outside_hours, verdict.next_opening) == (False, None)


def test_every_question_answered_fine_guides_the_parties_to_upload() -> None:
    verdict = triage(fine())
    assert verdict.step is TriageStep.GUIDE
    assert verdict.failures == () and verdict.to_ask == ()
    assert verdict.eligible_so_far
    # Documents are still open, but they are review's business and do not hold up guidance.
    assert sorted(codes(verdict.checked_later)) == sorted(LATER_PER_VEHICLE * 2)
    assert (verdict.outside_hours, verdict.next_opening) == (False, None)


def test_one_question_left_keeps_reception_asking() -> None:
    verdict = triage(fine(deliberate=None))
    assert verdict.step is TriageStep.ASK
    assert codes(verdict.to_ask) == ["eligibility.deliberate_crash"]
    half = triage(fine(vehicles=(MOVABLE, TriageVehicle())))
    assert half.step is TriageStep.ASK
    assert [(f.code, f.params["party"]) for f in half.to_ask] == [("eligibility.not_drivable", "2")]


def test_an_injury_sends_the_police() -> None:
    verdict = triage(fine(injuries=True))
    assert verdict.step is TriageStep.ESCALATE
    assert codes(verdict.failures) == ["eligibility.death_or_injury"]
    assert "injured" in verdict.failures[0].message
    assert not verdict.eligible_so_far
    # Escalation wins even while other questions are still open.
    early = triage(
        TriageFacts(occurred_at=IN_HOURS, vehicles=(TriageVehicle(),) * 2, injuries=True)
    )
    assert early.step is TriageStep.ESCALATE
    assert codes(early.failures) == ["eligibility.death_or_injury"]
    assert "eligibility.suspected_drink_or_drugs" in codes(early.to_ask)


def test_a_vehicle_that_cannot_move_sends_the_police() -> None:
    verdict = triage(fine(vehicles=(MOVABLE, TriageVehicle(plate="鲁EA1234", movable=False))))
    assert verdict.step is TriageStep.ESCALATE
    (finding,) = verdict.failures
    assert finding.code == "eligibility.not_drivable" and finding.params["party"] == "2"
    assert verdict.to_ask == ()


@pytest.mark.parametrize(
    "answer",
    ["drink_or_drugs", "plates_suspect", "dangerous_goods", "party_fled", "deliberate"],
)
def test_each_article_13_answer_sends_the_police(answer: str) -> None:
    verdict = triage(fine(**{answer: True}))
    assert verdict.step is TriageStep.ESCALATE
    assert len(verdict.failures) == 1


@pytest.mark.parametrize("count", [1, 3])
def test_other_than_two_vehicles_goes_to_the_offline_centre(count: int) -> None:
    verdict = triage(fine(vehicles=(MOVABLE,) * count))
    assert verdict.step is TriageStep.OFFLINE
    (finding,) = verdict.failures
    assert finding.code == "eligibility.vehicle_count"
    assert finding.params["found"] == count
    assert (finding.params["min_vehicles"], finding.params["max_vehicles"]) == (2, 2)
    assert f"{count} vehicle" in finding.message
    # Review still checks the documents of every vehicle there is.
    assert len(verdict.checked_later) == len(LATER_PER_VEHICLE) * count


def test_a_city_that_takes_three_vehicles_guides_a_three_car_crash() -> None:
    config = FastTrackConfig(min_vehicles=1, max_vehicles=3)
    verdict = triage(fine(vehicles=(MOVABLE,) * 3), config)
    assert verdict.step is TriageStep.GUIDE
    assert triage(fine(vehicles=(MOVABLE,)), config).step is TriageStep.GUIDE


def test_a_cyclist_goes_to_the_offline_centre_and_has_no_documents_to_check() -> None:
    cyclist = TriageVehicle(motor_vehicle=False)
    verdict = triage(fine(vehicles=(MOVABLE, cyclist)))
    assert verdict.step is TriageStep.OFFLINE
    (finding,) = verdict.failures
    assert finding.code == "eligibility.non_motor_vehicle" and finding.params["party"] == "2"
    assert {f.params["party"] for f in verdict.checked_later} == {"1"}


def test_several_problems_are_all_listed_and_the_police_outrank_the_offline_centre() -> None:
    verdict = triage(
        fine(
            vehicles=(MOVABLE, TriageVehicle(movable=False), TriageVehicle(movable=True)),
            injuries=True,
            drink_or_drugs=True,
            party_fled=True,
            dangerous_goods=None,
        )
    )
    assert verdict.step is TriageStep.ESCALATE
    assert codes(verdict.failures) == [
        "eligibility.death_or_injury",
        "eligibility.vehicle_count",
        "eligibility.not_drivable",
        "eligibility.suspected_drink_or_drugs",
        "eligibility.party_fled",
    ]
    assert codes(verdict.to_ask) == ["eligibility.dangerous_goods"]
    # Failures that only lead offline do not hide the open question either.
    offline = triage(fine(vehicles=(MOVABLE,), deliberate=None))
    assert offline.step is TriageStep.OFFLINE
    assert codes(offline.to_ask) == ["eligibility.deliberate_crash"]


def test_outside_service_hours_is_flagged_with_the_next_opening_but_still_guides() -> None:
    evening = datetime(2024, 5, 20, 20, 5, tzinfo=HALL_TZ)
    verdict = triage(fine(occurred_at=evening))
    assert verdict.step is TriageStep.GUIDE and verdict.failures == ()
    assert verdict.outside_hours
    assert verdict.next_opening == datetime(2024, 5, 21, 7, 30, tzinfo=HALL_TZ)
    assert verdict.next_opening is not None and verdict.next_opening.utcoffset() is not None

    # The same instant given in UTC is judged on the hall's clock.
    early = triage(fine(occurred_at=datetime(2024, 5, 20, 23, 0, tzinfo=UTC)))  # 07:00 hall time
    assert early.outside_hours
    assert early.next_opening == datetime(2024, 5, 21, 7, 30, tzinfo=HALL_TZ)

    # The window is 07:30 inclusive to 19:30 exclusive.
    opening = triage(fine(occurred_at=datetime(2024, 5, 21, 7, 30, tzinfo=HALL_TZ)))
    assert (opening.outside_hours, opening.next_opening) == (False, None)
    closing = triage(fine(occurred_at=datetime(2024, 5, 20, 19, 30, tzinfo=HALL_TZ)))
    assert closing.outside_hours
    assert closing.next_opening == datetime(2024, 5, 21, 7, 30, tzinfo=HALL_TZ)

    # A failure outside hours is still a failure: the step does not wait for the morning.
    hurt = triage(fine(occurred_at=evening, injuries=True))
    assert hurt.step is TriageStep.ESCALATE and hurt.outside_hours


def test_a_city_with_its_own_hours_and_districts_asks_where_it_happened() -> None:
    config = FastTrackConfig(
        service_start=time(8, 0), service_end=time(18, 0), districts=frozenset({"东营区"})
    )
    unknown_place = triage(fine(district=None), config)
    assert unknown_place.step is TriageStep.ASK
    assert codes(unknown_place.to_ask) == ["eligibility.outside_districts"]
    elsewhere = triage(fine(district="利津县"), config)
    assert elsewhere.step is TriageStep.OFFLINE
    assert codes(elsewhere.failures) == ["eligibility.outside_districts"]
    assert elsewhere.failures[0].params["district"] == "利津县"
    early = triage(fine(occurred_at=datetime(2024, 5, 20, 7, 45, tzinfo=HALL_TZ)), config)
    assert early.step is TriageStep.GUIDE and early.outside_hours
    assert early.next_opening == datetime(2024, 5, 20, 8, 0, tzinfo=HALL_TZ)
