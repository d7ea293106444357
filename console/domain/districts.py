"""The outlines of the city's districts, for the situation map and for telling which district a
point lies in (a case reported by coordinates alone, a camera row whose district column is
suspect).

The outlines ship as GeoJSON in `resources/data/districts.json` (a FeatureCollection of Polygon
or MultiPolygon features with a "name" property), so a hall can drop in an export of the
official outlines without a code change. The bundled file is schematic: drawn by hand around
the districts' seats, the Yellow River and the coast, consistent with the demo data, and no
legal boundary. Pure Python: the caller reads the file and hands over the parsed JSON.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = [
    "DISTRICTS_FILE",
    "DistrictDataError",
    "DistrictOutline",
    "LatLon",
    "Ring",
    "district_of",
    "outlines_bounds",
    "parse_districts",
    "point_in_district",
]

DISTRICTS_FILE: Final = (
    Path(__file__).resolve().parents[2] / "resources" / "data" / "districts.json"
)

LatLon = tuple[float, float]
Ring = tuple[LatLon, ...]


class DistrictDataError(ValueError):
    """The outlines file is not what the map can draw; `problems` lists every fault at once,
    each naming the feature it is in, so whoever edits the file fixes it in one go."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class DistrictOutline:
    """One district. `rings` are closed polygons of (lat, lon) vertices, the order used
    everywhere else in the console (the file holds GeoJSON's [lon, lat]); the last vertex is
    not repeated. A point is inside when a ray from it crosses the rings an odd number of
    times, so holes and detached parts (an island, an enclave) need no flag. `label_at` is
    where the district's name goes on a map, when the file says so."""

    name: str
    rings: tuple[Ring, ...]
    code: str = ""
    label_at: LatLon | None = None
    # (south, west, north, east): most points are ruled out by this alone.
    bounds: tuple[float, float, float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lats = [lat for ring in self.rings for lat, _ in ring]
        lons = [lon for ring in self.rings for _, lon in ring]
        bounds = (min(lats), min(lons), max(lats), max(lons)) if lats else (0.0, 0.0, 0.0, 0.0)
        object.__setattr__(self, "bounds", bounds)

    def label_point(self) -> LatLon:
        """`label_at`, else the centroid of the largest ring (in degrees: fine for a label)."""
        if self.label_at is not None:
            return self.label_at
        best: tuple[float, LatLon] = (-1.0, (math.nan, math.nan))
        for ring in self.rings:
            area, centre = _area_and_centroid(ring)
            if abs(area) > best[0]:
                best = (abs(area), centre)
        return best[1]


def _area_and_centroid(ring: Ring) -> tuple[float, LatLon]:
    twice_area = cx = cy = 0.0
    for (y0, x0), (y1, x1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if twice_area == 0:
        return 0.0, (
            sum(lat for lat, _ in ring) / len(ring),
            sum(lon for _, lon in ring) / len(ring),
        )
    return twice_area / 2, (cy / (3 * twice_area), cx / (3 * twice_area))


def point_in_district(lat: float, lon: float, outline: DistrictOutline) -> bool:
    """Whether (lat, lon) lies inside the outline (even-odd ray casting, eastward). A point
    exactly on a border shared by two districts counts for one of them, never both."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    south, west, north, east = outline.bounds
    if not (south <= lat <= north and west <= lon <= east):
        return False
    inside = False
    for ring in outline.rings:
        lat_j, lon_j = ring[-1]
        for lat_i, lon_i in ring:
            # Half-open in latitude, so a vertex the ray passes through counts once.
            if (lat_i > lat) != (lat_j > lat):
                crossing = lon_i + (lat - lat_i) * (lon_j - lon_i) / (lat_j - lat_i)
                if lon < crossing:
                    inside = not inside
            lat_j, lon_j = lat_i, lon_i
    return inside


def district_of(lat: float, lon: float, outlines: Iterable[DistrictOutline]) -> str | None:
    """The name of the district (lat, lon) lies in, or None outside them all."""
    for outline in outlines:
        if point_in_district(lat, lon, outline):
            return outline.name
    return None


def outlines_bounds(outlines: Iterable[DistrictOutline]) -> tuple[float, float, float, float]:
    """(south, west, north, east) around every outline; ValueError when there are none."""
    boxes = [o.bounds for o in outlines if o.rings]
    if not boxes:
        raise ValueError("no outlines")
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# ---------------------------------------------------------------- reading the file


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _position(raw: object, where: str, problems: list[str]) -> LatLon | None:
    """A GeoJSON position [lon, lat] (a third number, the height, is allowed and ignored)."""
    if not isinstance(raw, list | tuple) or len(raw) not in (2, 3):
        problems.append(f"{where}: a position must be [lon, lat], not {raw!r}")
        return None
    lon, lat = _number(raw[0]), _number(raw[1])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(f"{where}: {raw!r} is not a longitude and latitude in degrees")
        return None
    return lat, lon


def _ring(raw: object, where: str, problems: list[str]) -> Ring | None:
    if not isinstance(raw, list | tuple):
        problems.append(f"{where}: a ring must be a list of positions")
        return None
    before = len(problems)
    vertices = [_position(p, f"{where}, vertex {i + 1}", problems) for i, p in enumerate(raw)]
    if len(problems) > before:
        return None
    ring = [v for v in vertices if v is not None]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()  # GeoJSON closes rings by repeating the first position
    if len(set(ring)) < 3:
        problems.append(f"{where}: a ring needs at least three different vertices")
        return None
    return tuple(ring)


def _polygon_rings(geometry: object, where: str, problems: list[str]) -> list[Ring]:
    if not isinstance(geometry, Mapping):
        problems.append(f"{where}: no geometry")
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list | tuple):
        polygons = list(coordinates)
    else:
        problems.append(f"{where}: geometry must be a Polygon or MultiPolygon, not {kind!r}")
        return []
    rings: list[Ring] = []
    for p, polygon in enumerate(polygons):
        if not isinstance(polygon, list | tuple) or not polygon:
            problems.append(f"{where}: polygon {p + 1} has no rings")
            continue
        for r, raw in enumerate(polygon):
            ring = _ring(raw, f"{where}, polygon {p + 1} ring {r + 1}", problems)
            if ring is not None:
                rings.append(ring)
    return rings


def parse_districts(data: Mapping[str, Any]) -> tuple[DistrictOutline, ...]:
    """The outlines in a parsed GeoJSON FeatureCollection, in file order. Each feature needs a
    unique non-empty "name" property; "code" (the administrative division code) and "label"
    ([lon, lat] for the name on a map) are optional. Raises `DistrictDataError` with every
    problem found."""
    problems: list[str] = []
    features = data.get("features") if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise DistrictDataError(["the file must hold a GeoJSON FeatureCollection"])
    if not isinstance(features, list) or not features:
        raise DistrictDataError(["the FeatureCollection has no features"])
    outlines: list[DistrictOutline] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        where = f"feature {index + 1}"
        if not isinstance(feature, Mapping):
            problems.append(f"{where}: not a GeoJSON Feature")
            continue
        properties = feature.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        name = properties.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: no name")
            name = ""
        else:
            name = name.strip()
            where = f"{where} ({name})"
            if name in seen:
                problems.append(f"{where}: the name appears twice")
            seen.add(name)
        code = properties.get("code", "")
        if not isinstance(code, str):
            problems.append(f"{where}: the code must be text")
            code = ""
        label = None
        if properties.get("label") is not None:
            label = _position(properties["label"], f"{where}, label", problems)
        rings = _polygon_rings(feature.get("geometry"), where, problems)
        if name and rings:
            outlines.append(DistrictOutline(name, tuple(rings), code, label))
    if problems:
        raise DistrictDataError(problems)
    return tuple(outlines)
