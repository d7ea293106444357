"""Fast-track eligibility (DOMAIN.md "Eligibility"; MPS order 146 Art. 13/14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from console.domain.deadlines import HALL_TZ
from console.domain.eligibility import (
    AccidentFacts,
    FastTrackConfig,
    OffTrackRoute,
    VehicleFacts,
    assess_fast_track,
    is_open,
    licence_covers,
    next_opening,
    parse_licence_classes,
)
from console.domain.errors import Finding, RuleViolation

ACCIDENT = datetime(2024, 5, 20, 10, 15)  # a Monday morning, hall time


def _vehicle(party: str, **changes: object) -> VehicleFacts:
    vehicle = VehicleFacts(
        party=party,
        drivable=True,
        licence_valid_until=date(2030, 1, 1),
        licence_status_normal=True,
        licence_classes="C1",
        required_licence_class="C1",
        registration_valid_until=date(2025, 3, 31),
        registration_status_normal=True,
        compulsory_insurance_from=date(2024, 1, 1),
        compulsory_insurance_until=date(2024, 12, 31),
    )
    return replace(vehicle, **changes)  # type: ignore[arg-type]


def _facts(**changes: object) -> AccidentFacts:
    facts = AccidentFacts(
        occurred_at=ACCIDENT,
        vehicles=(_vehicle("A"), _vehicle("B")),
        district="福田区",
        death_or_injury=False,
        suspected_drink_or_drugs=False,
        suspected_fake_or_missing_plates=False,
        dangerous_goods=False,
        party_fled=False,
        deliberate_crash=False,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_a_clean_two_car_case_is_eligible() -> None:
    verdict = assess_fast_track(_facts())
    assert verdict.eligible
    assert not verdict.pending
    assert verdict.failures == ()
    assert verdict.unknowns == ()
    assert verdict.route is None
    assert not verdict.outside_hours
    assert verdict.next_opening is None


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("death_or_injury", "eligibility.death_or_injury"),
        ("suspected_drink_or_drugs", "eligibility.suspected_drink_or_drugs"),
        ("suspected_fake_or_missing_plates", "eligibility.fake_or_missing_plates"),
        ("dangerous_goods", "eligibility.dangerous_goods"),
        ("party_fled", "eligibility.party_fled"),
        ("deliberate_crash", "eligibility.deliberate_crash"),
    ],
)
def test_each_case_level_exclusion_fails_and_escalates(field: str, code: str) -> None:
    verdict = assess_fast_track(_facts(**{field: True}))
    assert _codes(verdict.failures) == [code]
    assert not verdict.eligible
    assert verdict.route is OffTrackRoute.ESCALATE
    unknown = assess_fast_track(_facts(**{field: None}))
    assert _codes(unknown.unknowns) == [code]
    assert unknown.failures == ()
    assert unknown.pending
    assert not unknown.eligible


@pytest.mark.parametrize(
    ("changes", "code", "route"),
    [
        ({"drivable": False}, "eligibility.not_drivable", OffTrackRoute.ESCALATE),
        (
            {"licence_valid_until": date(2024, 5, 19)},
            "eligibility.licence_expired",
            OffTrackRoute.ESCALATE,
        ),
        ({"licence_status_normal": False}, "eligibility.licence_status", OffTrackRoute.ESCALATE),
        ({"licence_classes": "C2"}, "eligibility.licence_class", OffTrackRoute.ESCALATE),
        (
            {"registration_valid_until": date(2024, 4, 30)},
            "eligibility.registration_expired",
            OffTrackRoute.OFFLINE,
        ),
        (
            {"registration_status_normal": False},
            "eligibility.registration_status",
            OffTrackRoute.OFFLINE,
        ),
        (
            {"compulsory_insurance_until": date(2024, 5, 19)},
            "eligibility.no_compulsory_insurance",
            OffTrackRoute.OFFLINE,
        ),
        (
            {"compulsory_insurance_from": date(2024, 5, 21)},
            "eligibility.no_compulsory_insurance",
            OffTrackRoute.OFFLINE,
        ),
    ],
)
def test_each_vehicle_exclusion_names_the_party(
    changes: dict[str, object], code: str, route: OffTrackRoute
) -> None:
    verdict = assess_fast_track(_facts(vehicles=(_vehicle("A"), _vehicle("B", **changes))))
    assert _codes(verdict.failures) == [code]
    assert verdict.failures[0].params["party"] == "B"
    assert "Party B" in verdict.failures[0].message
    assert verdict.route is route


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("drivable", "eligibility.not_drivable"),
        ("licence_valid_until", "eligibility.licence_expired"),
        ("licence_status_normal", "eligibility.licence_status"),
        ("licence_classes", "eligibility.licence_class"),
        ("required_licence_class", "eligibility.licence_class"),
        ("registration_valid_until", "eligibility.registration_expired"),
        ("registration_status_normal", "eligibility.registration_status"),
        ("compulsory_insurance_from", "eligibility.no_compulsory_insurance"),
        ("compulsory_insurance_until", "eligibility.no_compulsory_insurance"),
    ],
)
def test_unchecked_vehicle_facts_are_unknown_not_passed(field: str, code: str) -> None:
    verdict = assess_fast_track(_facts(vehicles=(_vehicle("A", **{field: None}), _vehicle("B"))))
    assert verdict.failures == ()
    assert _codes(verdict.unknowns) == [code]
    assert verdict.unknowns[0].params["party"] == "A"
    assert verdict.pending
    assert not verdict.eligible


def test_dates_on_the_boundary_are_valid() -> None:
    on_the_day = _vehicle(
        "A",
        licence_valid_until=ACCIDENT.date(),
        registration_valid_until=ACCIDENT.date(),
        compulsory_insurance_from=ACCIDENT.date(),
    )
    last_day = _vehicle("B", compulsory_insurance_until=ACCIDENT.date())
    assert assess_fast_track(_facts(vehicles=(on_the_day, last_day))).eligible


def test_insurance_message_gives_the_period_and_the_date() -> None:
    verdict = assess_fast_track(
        _facts(vehicles=(_vehicle("A", compulsory_insurance_until=date(2024, 5, 1)), _vehicle("B")))
    )
    (finding,) = verdict.failures
    assert finding.message == (
        "Party A's compulsory insurance (交强险) runs 2024-01-01 to 2024-05-01 and does not "
        "cover the accident date 2024-05-20"
    )


def test_accident_date_is_taken_in_hall_time() -> None:
    # 16:30 UTC on 19 May is 00:30 on 20 May in Beijing: a licence valid to 19 May has expired.
    utc_moment = datetime(2024, 5, 19, 16, 30, tzinfo=UTC)
    vehicles = (_vehicle("A", licence_valid_until=date(2024, 5, 19)), _vehicle("B"))
    verdict = assess_fast_track(_facts(occurred_at=utc_moment, vehicles=vehicles))
    assert _codes(verdict.failures) == ["eligibility.licence_expired"]
    assert verdict.failures[0].params["accident_date"] == "2024-05-20"


def test_every_failure_is_listed_at_once() -> None:
    verdict = assess_fast_track(
        _facts(
            death_or_injury=True,
            party_fled=True,
            vehicles=(_vehicle("A", drivable=False), _vehicle("B", licence_classes="C2")),
        )
    )
    assert _codes(verdict.failures) == [
        "eligibility.death_or_injury",
        "eligibility.not_drivable",
        "eligibility.licence_class",
        "eligibility.party_fled",
    ]


@pytest.mark.parametrize(
    ("count", "config", "ok"),
    [
        (2, FastTrackConfig(), True),
        (1, FastTrackConfig(), False),
        (3, FastTrackConfig(), False),
        (1, FastTrackConfig(min_vehicles=1, max_vehicles=3), True),
        (3, FastTrackConfig(min_vehicles=1, max_vehicles=3), True),
        (4, FastTrackConfig(min_vehicles=1, max_vehicles=3), False),
    ],
)
def test_vehicle_count_follows_the_configuration(
    count: int, config: FastTrackConfig, ok: bool
) -> None:
    vehicles = tuple(_vehicle(chr(65 + i)) for i in range(count))
    verdict = assess_fast_track(_facts(vehicles=vehicles), config)
    assert verdict.eligible is ok
    if not ok:
        assert _codes(verdict.failures) == ["eligibility.vehicle_count"]
        assert verdict.failures[0].params["found"] == count
        assert verdict.route is OffTrackRoute.OFFLINE


def test_vehicle_count_messages() -> None:
    verdict = assess_fast_track(_facts(vehicles=(_vehicle("A"),)))
    assert verdict.failures[0].message == (
        "The accident involves 1 vehicle; fast handling here takes 2"
    )
    wide = FastTrackConfig(min_vehicles=1, max_vehicles=3)
    four = tuple(_vehicle(p) for p in "ABCD")
    assert assess_fast_track(_facts(vehicles=four), wide).failures[0].message == (
        "The accident involves 4 vehicles; fast handling here takes 1 to 3"
    )


@pytest.mark.parametrize(("low", "high"), [(0, 2), (2, 4), (3, 2)])
def test_vehicle_range_outside_one_to_three_is_refused(low: int, high: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        FastTrackConfig(min_vehicles=low, max_vehicles=high)
    assert caught.value.code == "eligibility.bad_vehicle_range"


def test_non_motor_vehicles_are_configurable() -> None:
    bicycle = VehicleFacts(party="B", motor_vehicle=False)
    facts = _facts(vehicles=(_vehicle("A"), bicycle))
    refused = assess_fast_track(facts)
    assert _codes(refused.failures) == ["eligibility.non_motor_vehicle"]
    assert refused.unknowns == ()  # no licence or insurance is asked of a bicycle
    assert assess_fast_track(facts, FastTrackConfig(allow_non_motor_vehicle=True)).eligible


def test_districts() -> None:
    config = FastTrackConfig(districts=frozenset({"福田区", "南山区"}))
    assert assess_fast_track(_facts(), config).eligible
    outside = assess_fast_track(_facts(district="宝安区"), config)
    assert _codes(outside.failures) == ["eligibility.outside_districts"]
    assert outside.route is OffTrackRoute.OFFLINE
    assert outside.failures[0].message == (
        "District '宝安区' is not served by online fast handling; served: 南山区, 福田区"
    )
    unknown = assess_fast_track(_facts(district=None), config)
    assert _codes(unknown.unknowns) == ["eligibility.outside_districts"]
    # Without a district list the whole city is served and the district is not needed.
    assert assess_fast_track(_facts(district=None)).eligible
    with pytest.raises(RuleViolation):
        FastTrackConfig(districts=frozenset())


@pytest.mark.parametrize(
    ("printed", "required", "covered"),
    [
        ("C1", "C1", True),
        ("C1", "C2", True),
        ("C1", "C3", True),
        ("C1", "C4", True),
        ("C1", "C5", False),
        ("C3", "C4", True),
        ("C2", "C4", False),
        ("A1", "M", True),
        ("B1", "M", True),
        ("A3", "B1", False),
        ("A2", "A3", False),
        ("N", "P", False),
        ("C2", "C1", False),
        ("C1", "B2", False),
        ("A1", "A3", True),
        ("A1", "B1", True),
        ("A1", "A2", False),
        ("A2", "C6", True),
        ("A1", "C6", False),
        ("B2", "C1", True),
        ("C1E", "E", True),
        ("C1 E", "F", True),
        ("D", "E", True),
        ("E", "D", False),
        ("c1", "c2", True),
    ],
)
def test_licence_class_coverage(printed: str, required: str, covered: bool) -> None:
    assert licence_covers(printed, required) is covered


def test_licence_class_parsing() -> None:
    assert parse_licence_classes("A2D") == frozenset({"A2", "D"})
    for bad in ("", "X", "C7", "C1Z", "小型汽车"):
        with pytest.raises(RuleViolation) as caught:
            parse_licence_classes(bad)
        assert caught.value.code == "licence.bad_class"
    with pytest.raises(RuleViolation):
        VehicleFacts(party="A", licence_classes="Q1")
    with pytest.raises(RuleViolation):
        VehicleFacts(party="A", required_licence_class="C1E")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (datetime(2024, 5, 20, 7, 29, 59), False),
        (datetime(2024, 5, 20, 7, 30), True),
        (datetime(2024, 5, 20, 19, 29, 59), True),
        (datetime(2024, 5, 20, 19, 30), False),
        (datetime(2024, 5, 19, 12, 0), True),  # Sunday: every day by default
        (datetime(2024, 5, 20, 3, 0), False),
    ],
)
def test_default_service_hours(moment: datetime, open_: bool) -> None:
    assert is_open(moment) is open_


def test_outside_hours_is_accepted_and_queued() -> None:
    verdict = assess_fast_track(_facts(occurred_at=datetime(2024, 5, 20, 21, 5)))
    assert verdict.eligible  # not a failure
    assert verdict.outside_hours
    assert verdict.next_opening == datetime(2024, 5, 21, 7, 30)


def test_next_opening() -> None:
    assert next_opening(datetime(2024, 5, 20, 5, 0)) == datetime(2024, 5, 20, 7, 30)
    assert next_opening(datetime(2024, 5, 20, 19, 30)) == datetime(2024, 5, 21, 7, 30)
    inside = datetime(2024, 5, 20, 12, 0)
    assert next_opening(inside) == inside


def test_aware_times_are_read_in_hall_time() -> None:
    # 23:40 UTC is 07:40 next morning in Beijing.
    assert is_open(datetime(2024, 5, 19, 23, 40, tzinfo=UTC))
    # 22:00 UTC is 06:00 in Beijing; it opens 1.5 h later, returned in hall time.
    opening = next_opening(datetime(2024, 5, 19, 22, 0, tzinfo=UTC))
    assert opening == datetime(2024, 5, 20, 7, 30, tzinfo=HALL_TZ)
    assert opening.utcoffset() is not None


def test_weekday_only_service() -> None:
    weekdays = FastTrackConfig(service_weekdays=frozenset(range(5)))
    friday_evening = datetime(2024, 5, 24, 20, 0)
    assert next_opening(friday_evening, weekdays) == datetime(2024, 5, 27, 7, 30)
    assert not is_open(datetime(2024, 5, 25, 12, 0), weekdays)
    with pytest.raises(RuleViolation):
        FastTrackConfig(service_weekdays=frozenset())
    with pytest.raises(RuleViolation):
        FastTrackConfig(service_weekdays=frozenset({7}))


def test_overnight_and_round_the_clock_windows() -> None:
    night = FastTrackConfig(service_start=time(20, 0), service_end=time(8, 0))
    assert is_open(datetime(2024, 5, 20, 23, 0), night)
    assert is_open(datetime(2024, 5, 21, 7, 59), night)
    assert not is_open(datetime(2024, 5, 21, 8, 0), night)
    assert next_opening(datetime(2024, 5, 21, 12, 0), night) == datetime(2024, 5, 21, 20, 0)
    # Monday-only overnight service still covers early Tuesday, not early Monday.
    monday_nights = replace(night, service_weekdays=frozenset({0}))
    assert is_open(datetime(2024, 5, 21, 2, 0), monday_nights)
    assert not is_open(datetime(2024, 5, 20, 2, 0), monday_nights)
    always = FastTrackConfig(service_start=time(0, 0), service_end=time(0, 0))
    assert is_open(datetime(2024, 5, 20, 3, 33), always)


def test_service_hours_must_be_wall_clock() -> None:
    with pytest.raises(RuleViolation) as caught:
        FastTrackConfig(service_start=time(7, 30, tzinfo=UTC))
    assert caught.value.code == "eligibility.bad_hours"
