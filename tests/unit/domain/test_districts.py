"""District outlines: the shipped file parses, agrees with the demo data (cameras, the places
cases are scattered around, the rescue bases), neighbours do not overlap, and the parser and
the point-in-polygon test behave at the edges."""

from __future__ import annotations

import copy
import csv
import itertools
import json
import math
from typing import Any

import pytest

from console.domain.districts import (
    DISTRICTS_FILE,
    DistrictDataError,
    DistrictOutline,
    district_of,
    outlines_bounds,
    parse_districts,
    point_in_district,
)
from console.hall.demo_seed import _DISTRICTS

DEMO_CAMERAS = DISTRICTS_FILE.parent / "demo_cameras.csv"
FIVE = ("东营区", "河口区", "垦利区", "利津县", "广饶县")
# demo_seed scatters cases this far around each district centre (`_place`) ...
CASE_SPREAD = (0.03, 0.035)
# ... and its rescue units this far around their bases (`_rescue`).
RESCUE_BASES = (("东营区", 37.447, 118.585), ("垦利区", 37.588, 118.548))
RESCUE_SPREAD = 0.02


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def outlines(raw: dict[str, Any]) -> tuple[DistrictOutline, ...]:
    return parse_districts(raw)


def square(name: str, south: float, west: float, size: float = 1.0) -> dict[str, Any]:
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


# ---------------------------------------------------------------- the shipped file


def test_the_file_has_the_five_districts_with_their_codes(
    raw: dict[str, Any], outlines: tuple[DistrictOutline, ...]
) -> None:
    assert tuple(o.name for o in outlines) == FIVE
    assert {o.name: o.code for o in outlines} == {
        "东营区": "370502",
        "河口区": "370503",
        "垦利区": "370505",
        "利津县": "370522",
        "广饶县": "370523",
    }
    assert "schematic" in raw["note"].lower()
    assert raw["source"]
    for outline in outlines:
        assert len(outline.rings) == 1
        assert 20 <= len(outline.rings[0]) <= 40, outline.name


def test_the_outlines_lie_where_dongying_is(outlines: tuple[DistrictOutline, ...]) -> None:
    # 东营市 spans about 36°55′–38°10′ N and 118°07′–119°10′ E; the delta juts out a little.
    south, west, north, east = outlines_bounds(outlines)
    assert 36.85 <= south <= 37.0 and 38.05 <= north <= 38.25
    assert 118.0 <= west <= 118.15 and 119.1 <= east <= 119.3
    by_name = {o.name: o.label_point() for o in outlines}
    # North to south: 河口 on the coast, 垦利 and 利津 astride the river, 东营区, 广饶.
    assert by_name["河口区"][0] > by_name["垦利区"][0] > by_name["东营区"][0]
    assert by_name["东营区"][0] > by_name["广饶县"][0]
    assert by_name["利津县"][1] < by_name["东营区"][1] < by_name["垦利区"][1]
    for name, (lat, lon) in by_name.items():
        assert district_of(lat, lon, outlines) == name


def test_every_demo_camera_lies_in_its_own_district(
    outlines: tuple[DistrictOutline, ...],
) -> None:
    with DEMO_CAMERAS.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) >= 20
    assert {row["district"] for row in rows} == set(FIVE)
    for row in rows:
        assert district_of(float(row["lat"]), float(row["lon"]), outlines) == row["district"], row


def test_demo_district_centres_lie_in_their_district(
    outlines: tuple[DistrictOutline, ...],
) -> None:
    """And so does the whole box the demo scatters cases over, corners included."""
    dlat, dlon = CASE_SPREAD
    for name, lat, lon, *_ in _DISTRICTS:
        assert district_of(lat, lon, outlines) == name
        for fy, fx in itertools.product((-1, -0.5, 0, 0.5, 1), repeat=2):
            assert district_of(lat + fy * dlat, lon + fx * dlon, outlines) == name, (fy, fx)


def test_rescue_bases_lie_in_their_district(outlines: tuple[DistrictOutline, ...]) -> None:
    for name, lat, lon in RESCUE_BASES:
        for fy, fx in itertools.product((-1, 0, 1), repeat=2):
            point = (lat + fy * RESCUE_SPREAD, lon + fx * RESCUE_SPREAD)
            assert district_of(*point, outlines) == name, point


def test_neighbours_share_borders_without_overlapping(
    outlines: tuple[DistrictOutline, ...],
) -> None:
    south, west, north, east = outlines_bounds(outlines)
    steps = 120
    inside = dict.fromkeys(FIVE, 0)
    for i, j in itertools.product(range(steps), repeat=2):
        lat = south + (north - south) * (i + 0.5) / steps
        lon = west + (east - west) * (j + 0.5) / steps
        found = [o.name for o in outlines if point_in_district(lat, lon, o)]
        assert len(found) <= 1, (lat, lon, found)
        for name in found:
            inside[name] += 1
    # Every district has a real area, none is a sliver (each at least a tenth of the city).
    total = sum(inside.values())
    assert all(count > total / 10 for count in inside.values()), inside
    # Borders are shared: every vertex of one district that lies on another's ring is also a
    # vertex there, and each district meets at least one other.
    vertices = {o.name: set(o.rings[0]) for o in outlines}
    for name in FIVE:
        shared = {other for other in FIVE if other != name and vertices[name] & vertices[other]}
        assert shared, name
    assert vertices["东营区"] & vertices["广饶县"]
    assert vertices["东营区"] & vertices["垦利区"]
    assert vertices["利津县"] & vertices["垦利区"]
    assert vertices["河口区"] & vertices["垦利区"]
    assert vertices["河口区"] & vertices["利津县"]


# ---------------------------------------------------------------- point in a district


def test_point_in_a_square_and_its_hole() -> None:
    outer = square("A", 0.0, 0.0, 10.0)
    hole = [[3.0, 3.0], [7.0, 3.0], [7.0, 7.0], [3.0, 7.0], [3.0, 3.0]]
    outer["geometry"]["coordinates"].append(hole)
    (a,) = parse_districts(collection(outer))
    assert a.rings[0][0] == (0.0, 0.0) and a.rings[0][1] == (0.0, 10.0)  # (lat, lon)
    assert len(a.rings[0]) == 4  # the closing repeat is dropped
    assert point_in_district(1.0, 1.0, a)
    assert point_in_district(5.0, 1.0, a)  # the ray passes the hole's vertices
    assert not point_in_district(5.0, 5.0, a)  # in the hole
    assert not point_in_district(11.0, 5.0, a)
    assert not point_in_district(-0.5, 5.0, a)
    assert not point_in_district(math.nan, 5.0, a)
    assert not point_in_district(5.0, math.inf, a)


def test_a_multipolygon_counts_each_part() -> None:
    feature = {
        "type": "Feature",
        "properties": {"name": "岛"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 1]]],
                [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]],
            ],
        },
    }
    (island,) = parse_districts(collection(feature))
    assert len(island.rings) == 2
    assert point_in_district(0.5, 0.5, island)
    assert point_in_district(5.5, 5.5, island)
    assert not point_in_district(3.0, 3.0, island)
    assert island.bounds == (0.0, 0.0, 6.0, 6.0)


def test_a_point_on_a_shared_border_belongs_to_exactly_one() -> None:
    outlines = parse_districts(collection(square("West", 0.0, 0.0), square("East", 0.0, 1.0)))
    for lat in (0.0, 0.25, 0.5, 0.999):
        owners = [o.name for o in outlines if point_in_district(lat, 1.0, o)]
        assert len(owners) == 1, lat
    assert district_of(0.5, 0.5, outlines) == "West"
    assert district_of(0.5, 1.5, outlines) == "East"
    assert district_of(0.5, 2.5, outlines) is None
    assert district_of(0.5, 0.5, []) is None


def test_a_concave_outline() -> None:
    # A "U": the notch between the arms is outside.
    ring = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]]
    feature = {
        "type": "Feature",
        "properties": {"name": "U", "label": [0.5, 0.5]},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    (u,) = parse_districts(collection(feature))
    assert point_in_district(2.5, 0.5, u)  # left arm (lat 2.5, lon 0.5)
    assert point_in_district(2.5, 2.5, u)  # right arm
    assert not point_in_district(2.5, 1.5, u)  # the notch
    assert point_in_district(0.5, 1.5, u)  # the base
    assert u.label_point() == (0.5, 0.5)  # as the file says: lat, lon


def test_label_point_defaults_to_the_centroid() -> None:
    (a,) = parse_districts(collection(square("A", 10.0, 20.0, 2.0)))
    lat, lon = a.label_point()
    assert lat == pytest.approx(11.0) and lon == pytest.approx(21.0)


def test_outlines_bounds_needs_outlines() -> None:
    with pytest.raises(ValueError, match="no outlines"):
        outlines_bounds([])


# ---------------------------------------------------------------- a file a city edits


def test_every_problem_is_reported_at_once(raw: dict[str, Any]) -> None:
    broken = copy.deepcopy(raw)
    features = broken["features"]
    features[0]["properties"]["name"] = ""
    features[1]["properties"]["name"] = features[2]["properties"]["name"]
    features[3]["geometry"]["coordinates"][0][4] = [118.2, 95.0]  # latitude past the pole
    features[4]["geometry"] = {"type": "Point", "coordinates": [118.4, 37.0]}
    with pytest.raises(DistrictDataError) as caught:
        parse_districts(broken)
    problems = caught.value.problems
    assert len(problems) == 4, problems
    assert problems[0] == "feature 1: no name"
    assert "feature 3 (垦利区): the name appears twice" in problems
    assert any(p.startswith("feature 4 (利津县), polygon 1 ring 1, vertex 5: ") for p in problems)
    assert "feature 5 (广饶县): geometry must be a Polygon or MultiPolygon, not 'Point'" in (
        problems
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "Feature"}, "GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "no features"),
        (collection({"type": "Feature", "properties": {"name": "A"}}), "no geometry"),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
                }
            ),
            "at least three different vertices",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [1, "x"], [1, 1], [0, 1]]],
                    },
                }
            ),
            "not a longitude and latitude",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [True, 1]]]},
                }
            ),
            "not a longitude and latitude",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1]]]},
                }
            ),
            "must be [lon, lat]",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {"type": "Polygon", "coordinates": []},
                }
            ),
            "polygon 1 has no rings",
        ),
        (
            collection(square("A", 0, 0) | {"properties": {"name": "A", "code": 370502}}),
            "the code must be text",
        ),
        (
            collection(square("A", 0, 0) | {"properties": {"name": "A", "label": [200, 0]}}),
            "label: [200, 0] is not a longitude and latitude",
        ),
    ],
)
def test_bad_files_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(DistrictDataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_districts(data)


def test_heights_and_padding_are_accepted() -> None:
    feature = square("  东营区 ", 37.0, 118.0)
    feature["geometry"]["coordinates"][0] = [
        [*p, 5.0] for p in feature["geometry"]["coordinates"][0]
    ]
    (outline,) = parse_districts(collection(feature))
    assert outline.name == "东营区"
    assert point_in_district(37.5, 118.5, outline)
