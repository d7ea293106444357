"""The camera registry's rules: what a row of the platform's camera list must hold, how
stream URLs are shown without their passwords, distances on the ground, and the
district → road → checkpoint tree the camera wall groups by (DOMAIN.md "Video").

The city video platform exports its camera list as CSV; one bad row (a swapped coordinate, a
typo in a URL) would put a camera on the wrong side of the map or a black tile on the wall, so
every row is checked here and every problem is reported at once, with its line, before the
registry is touched. Pure Python: the hall layer reads and writes the rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from heapq import nsmallest
from typing import Final, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from console.domain.errors import Finding

__all__ = [
    "CSV_COLUMNS",
    "CameraSpec",
    "CheckpointNode",
    "DistrictNode",
    "ParsedCameras",
    "RoadNode",
    "RowError",
    "TreeCamera",
    "build_tree",
    "decode_csv_bytes",
    "format_cameras_csv",
    "group_path",
    "haversine_m",
    "matches_search",
    "nearest",
    "parse_camera_row",
    "parse_cameras_csv",
    "redact_url",
    "split_group_path",
]

# The header this program reads and writes. The platform's own exports use Chinese headers;
# those are accepted too (HEADER_ALIASES), so its file can be imported without editing.
CSV_COLUMNS: Final = (
    "id",
    "name",
    "district",
    "road",
    "direction",
    "lat",
    "lon",
    "group",
    "main_url",
    "sub_url",
)
REQUIRED_COLUMNS: Final = frozenset({"id", "name", "district", "road", "lat", "lon", "main_url"})
HEADER_ALIASES: Final[Mapping[str, str]] = {
    "编号": "id",
    "设备编号": "id",
    "摄像机编号": "id",
    "名称": "name",
    "设备名称": "name",
    "摄像机名称": "name",
    "区县": "district",
    "辖区": "district",
    "道路": "road",
    "路段": "road",
    "方向": "direction",
    "纬度": "lat",
    "经度": "lon",
    "分组": "group",
    "卡口": "group",
    "主码流": "main_url",
    "主码流地址": "main_url",
    "子码流": "sub_url",
    "子码流地址": "sub_url",
}

CAMERA_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,32}")
# Column widths of the cameras table; group_path is district/road/checkpoint.
LIMITS: Final[Mapping[str, int]] = {
    "name": 128,
    "district": 64,
    "road": 128,
    "direction": 32,
    "main_url": 1024,
    "sub_url": 1024,
}
GROUP_PATH_LIMIT: Final = 255
GROUP_SEPARATOR: Final = "/"

# Mainland China's extreme points (Zengmu Ansha 3.8°N to Mohe 53.6°N, Pamirs 73.5°E to the
# Heilongjiang–Ussuri confluence 135.1°E): a coordinate outside is a typo or a swap.
LAT_RANGE: Final = (3.8, 53.6)
LON_RANGE: Final = (73.5, 135.1)

# Stream schemes the capture worker can open: RTSP (the platform's usual), HTTP(S) for
# HTTP-FLV, HLS and MJPEG, and file: for recorded footage played as a camera in the demo.
URL_SCHEMES: Final = frozenset({"rtsp", "rtsps", "http", "https", "file"})
# Query parameters some platforms carry credentials in (Hikvision/Dahua tokens, signed URLs).
SECRET_QUERY_KEYS: Final = frozenset(
    {"password", "passwd", "pwd", "pass", "token", "access_token", "key", "secret", "auth",
     "signature", "sign"}
)  # fmt: skip
REDACTED: Final = "***"

EARTH_RADIUS_M: Final = 6_371_008.8  # mean radius (IUGG)


# ---------------------------------------------------------------- URLs


def redact_url(url: str) -> str:
    """The URL with `user:password@` and secret query values replaced by ***, for lists, logs
    and error messages. The capture worker is the only reader of the real URL.

    Errs on the side of hiding: a password typed without percent-encoding (`a#b`, `a/b`)
    makes the URL parse with the password outside the authority, so an `@` anywhere past the
    authority hides everything from `//` to the last `@`."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        if "@" in parts.path + parts.query + parts.fragment:
            return _hide_before_last_at(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = REDACTED + "@" + netloc.rpartition("@")[2]
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(k.lower() in SECRET_QUERY_KEYS for k, _ in pairs):
                query = urlencode(
                    [(k, REDACTED if k.lower() in SECRET_QUERY_KEYS else v) for k, v in pairs],
                    safe="*",
                )
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        # Unparsable (e.g. a broken IPv6 literal): hide anything that looks like credentials.
        return _hide_before_last_at(url)


def _hide_before_last_at(url: str) -> str:
    if "//" in url:
        return re.sub(r"//.*@", f"//{REDACTED}@", url, count=1, flags=re.DOTALL)
    return f"{REDACTED}@{url.rpartition('@')[2]}"  # no scheme: "admin:pw@10.0.0.1/x"


def _url_problem(url: str) -> str | None:
    """Why the stream URL cannot be opened, as a short reason word, or None."""
    if any(ch.isspace() for ch in url):
        return "whitespace"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a non-numeric port
    except ValueError:
        return "malformed"
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        return "scheme"
    # A fragment never reaches the server; with an '@' in the path it is a password with a
    # '#' or '/' left unencoded, which FFmpeg would read as a host name.
    if parts.fragment or "@" in parts.path:
        return "malformed"
    # An export made without credentials, imported back, would replace every working
    # password with ***: refuse it rather than blank the wall.
    if f"{REDACTED}@" in parts.netloc or f"={REDACTED}" in parts.query.replace("%2A", "*"):
        return "redacted"
    if scheme == "file":
        return None if parts.path else "no_path"
    if not parts.hostname:
        return "no_host"
    if port == 0:
        return "malformed"
    return None


# ---------------------------------------------------------------- one camera


@dataclass(frozen=True, slots=True)
class CameraSpec:
    """One camera as the registry holds it; URLs are real (with credentials), so a spec is
    for the import, the export and the capture worker, never for a list on screen."""

    id: str
    name: str
    district: str
    road: str
    direction: str
    lat: float
    lon: float
    checkpoint: str
    main_url: str
    sub_url: str | None = None

    @property
    def group_path(self) -> str:
        return group_path(self.district, self.road, self.checkpoint)

    def redacted(self) -> CameraSpec:
        return replace(
            self,
            main_url=redact_url(self.main_url),
            sub_url=redact_url(self.sub_url) if self.sub_url else None,
        )


def group_path(district: str, road: str, checkpoint: str) -> str:
    return GROUP_SEPARATOR.join((district, road, checkpoint))


def split_group_path(path: str) -> tuple[str, str, str]:
    """(district, road, checkpoint); a path stored by hand with fewer levels fills from the left."""
    parts = path.split(GROUP_SEPARATOR, 2)
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _finding(code: str, message: str, **params: object) -> Finding:
    return Finding(code, message, params)


def _coordinate(field_name: str, raw: str, problems: list[Finding]) -> float | None:
    text = raw.strip().replace("，", ".").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(
            _finding(
                "camera.bad_number",
                f"{field_name} '{raw}' is not a number in decimal degrees",
                field=field_name,
                value=raw,
            )
        )
        return None
    return value


def parse_camera_row(row: Mapping[str, str | None]) -> CameraSpec | list[Finding]:
    """Check one row (column name → text) and return the camera, or every reason it fails.

    Empty `group` makes the camera its own checkpoint; empty `direction` and `sub_url` are
    allowed (many cameras have one stream). Coordinates are WGS-84 decimal degrees.
    """
    problems: list[Finding] = []

    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    for column in sorted(REQUIRED_COLUMNS, key=CSV_COLUMNS.index):
        if not text(column):
            problems.append(
                _finding("camera.missing_field", f"The {column} field is empty", field=column)
            )
    camera_id = text("id")
    if camera_id and not CAMERA_ID.fullmatch(camera_id):
        problems.append(
            _finding(
                "camera.bad_id",
                f"Camera id '{camera_id}' must be 1 to 32 letters, digits, '_' or '-'",
                id=camera_id,
            )
        )
    for column, limit in LIMITS.items():
        value = text(column)
        if len(value) > limit:
            problems.append(
                _finding(
                    "camera.too_long",
                    f"The {column} field has {len(value)} characters; at most {limit} fit",
                    field=column,
                    length=len(value),
                    limit=limit,
                )
            )
    checkpoint = text("group") or text("name")
    for column, value in (
        ("district", text("district")),
        ("road", text("road")),
        ("group", checkpoint),
    ):
        if GROUP_SEPARATOR in value:
            problems.append(
                _finding(
                    "camera.slash_in_group",
                    f"The {column} field '{value}' contains '/', which separates the group levels",
                    field=column,
                    value=value,
                )
            )
    path = group_path(text("district"), text("road"), checkpoint)
    if len(path) > GROUP_PATH_LIMIT:
        problems.append(
            _finding(
                "camera.too_long",
                f"District, road and group together have {len(path)} characters; "
                f"at most {GROUP_PATH_LIMIT} fit",
                field="group",
                length=len(path),
                limit=GROUP_PATH_LIMIT,
            )
        )
    lat = _coordinate("lat", text("lat"), problems) if text("lat") else None
    lon = _coordinate("lon", text("lon"), problems) if text("lon") else None
    if lat is not None and lon is not None:
        inside_lat = LAT_RANGE[0] <= lat <= LAT_RANGE[1]
        inside_lon = LON_RANGE[0] <= lon <= LON_RANGE[1]
        if not (inside_lat and inside_lon):
            swapped = LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]
            problems.append(
                _finding(
                    "camera.swapped_coordinates" if swapped else "camera.outside_china",
                    f"Latitude {lat}, longitude {lon} "
                    + ("look swapped" if swapped else "is not a place in China"),
                    lat=lat,
                    lon=lon,
                )
            )
    for column in ("main_url", "sub_url"):
        url = text(column)
        if not url:
            continue
        reason = _url_problem(url)
        if reason == "redacted":
            problems.append(
                _finding(
                    "camera.redacted_url",
                    f"The {column} '{url}' has *** in place of its password: it comes from an "
                    "export without credentials; import the full export instead",
                    field=column,
                    url=url,
                )
            )
        elif reason is not None:
            problems.append(
                _finding(
                    "camera.bad_url",
                    f"The {column} '{redact_url(url)}' cannot be opened ({reason}); "
                    "use an rtsp://, rtsps://, http(s):// or file: URL",
                    field=column,
                    url=redact_url(url),
                    reason=reason,
                )
            )
    if problems:
        return problems
    assert lat is not None
    assert lon is not None
    return CameraSpec(
        id=camera_id,
        name=text("name"),
        district=text("district"),
        road=text("road"),
        direction=text("direction"),
        lat=lat,
        lon=lon,
        checkpoint=checkpoint,
        main_url=text("main_url"),
        sub_url=text("sub_url") or None,
    )


# ---------------------------------------------------------------- a whole file


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a line of the file was refused. `params` includes `line`, so the
    translated template can name it."""

    line: int
    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedCameras:
    """The cameras of a file in file order, or (if `errors`) the reasons none may be taken."""

    cameras: tuple[CameraSpec, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv_bytes(data: bytes) -> str:
    """A camera file as text: UTF-8 (with or without Excel's BOM), else GB18030, which the
    platform's Windows exports and Excel on a Chinese desktop write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _header(cells: Sequence[str]) -> dict[str, int] | list[Finding]:
    columns: dict[str, int] = {}
    problems: list[Finding] = []
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").strip()
        key = HEADER_ALIASES.get(name, name.lower().replace(" ", "_"))
        if key not in CSV_COLUMNS:
            continue  # the platform's extra columns (brand, IP, install date) are not ours
        if key in columns:
            problems.append(
                _finding("camera.duplicate_column", f"Column {key} appears twice", column=key)
            )
        columns.setdefault(key, index)
    for column in sorted(REQUIRED_COLUMNS - columns.keys(), key=CSV_COLUMNS.index):
        problems.append(
            _finding(
                "camera.missing_column",
                f"The header has no {column} column; the columns are {','.join(CSV_COLUMNS)}",
                column=column,
                columns=",".join(CSV_COLUMNS),
            )
        )
    return problems or columns


def _row_error(line: int, finding: Finding) -> RowError:
    return RowError(line, finding.code, finding.message, {"line": line, **finding.params})


def parse_cameras_csv(text: str) -> ParsedCameras:
    """Check a whole camera file. Blank lines are skipped; line numbers are the file's own
    (a quoted field spanning lines counts from its first line)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    errors: list[RowError] = []
    cameras: list[CameraSpec] = []
    first_line_of: dict[str, int] = {}
    columns: dict[str, int] | None = None
    previous_end = 0
    header_width = 0
    try:
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                header = _header(cells)
                if isinstance(header, list):
                    return ParsedCameras((), tuple(_row_error(line, f) for f in header))
                columns = header
                header_width = len(cells)
                continue
            extra = [cell for cell in cells[header_width:] if cell.strip()]
            if extra:
                errors.append(
                    _row_error(
                        line,
                        _finding(
                            "camera.extra_fields",
                            f"The line has {len(cells)} fields but the header {header_width}; "
                            "is a comma in a name missing its quotes?",
                            found=len(cells),
                            expected=header_width,
                        ),
                    )
                )
                continue
            row = {
                name: cells[index] if index < len(cells) else "" for name, index in columns.items()
            }
            raw_id = (row.get("id") or "").strip()
            first = first_line_of.setdefault(raw_id, line) if raw_id else line
            if first != line:
                errors.append(
                    _row_error(
                        line,
                        _finding(
                            "camera.duplicate_id",
                            f"Camera id {raw_id} is already used on line {first}",
                            id=raw_id,
                            first_line=first,
                        ),
                    )
                )
            checked = parse_camera_row(row)
            if isinstance(checked, list):
                errors.extend(_row_error(line, f) for f in checked)
                continue
            if first != line:
                continue
            cameras.append(checked)
    except csv.Error as error:
        errors.append(
            _row_error(
                previous_end + 1,
                _finding(
                    "camera.bad_csv", f"The file is not valid CSV: {error}", detail=str(error)
                ),
            )
        )
    if not cameras and not errors:
        errors.append(_row_error(1, _finding("camera.empty_file", "The file holds no cameras")))
    if errors:
        return ParsedCameras((), tuple(errors))
    return ParsedCameras(tuple(cameras), ())


def format_cameras_csv(cameras: Iterable[CameraSpec]) -> str:
    """The registry as a file `parse_cameras_csv` reads back to the same cameras (floats are
    written in their shortest exact form, so coordinates survive the round trip)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in cameras:
        writer.writerow(
            (
                c.id,
                c.name,
                c.district,
                c.road,
                c.direction,
                repr(c.lat),
                repr(c.lon),
                c.checkpoint,
                c.main_url,
                c.sub_url or "",
            )
        )
    return out.getvalue()


# ---------------------------------------------------------------- distance


class Located(Protocol):
    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


L = TypeVar("L", bound=Located)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres; within a city its error is far below a camera's reach."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def nearest(cameras: Iterable[L], lat: float, lon: float, k: int) -> list[tuple[L, float]]:
    """The k cameras closest to the point, nearest first, each with its distance in metres;
    equal distances keep the input order."""
    if k < 0:
        raise ValueError(f"k must not be negative, not {k}")
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"not a point: {lat}, {lon}")
    measured = ((c, haversine_m(lat, lon, c.lat, c.lon)) for c in cameras)
    return nsmallest(k, measured, key=lambda pair: pair[1])


# ---------------------------------------------------------------- the wall's tree


class TreeCamera(Protocol):
    """What the tree needs of a camera: ids and names, and where it hangs."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def district(self) -> str: ...

    @property
    def road(self) -> str: ...

    @property
    def checkpoint(self) -> str: ...


T = TypeVar("T", bound=TreeCamera)
X = TypeVar("X")


def _folded(text: str) -> str:
    # NFKC turns full-width letters and digits (typed with a Chinese IME) into ASCII ones.
    return unicodedata.normalize("NFKC", text).casefold()


def matches_search(camera: TreeCamera, search: str) -> bool:
    """Every word of the search occurs in the camera's name or id, ignoring case and width;
    Chinese matches as a plain substring. An empty search matches everything."""
    haystack = _folded(f"{camera.name}\n{camera.id}")
    return all(word in haystack for word in _folded(search).split())


@dataclass(frozen=True, slots=True)
class CheckpointNode(Generic[X]):
    name: str
    path: str
    cameras: tuple[X, ...]
    total: int
    live: int


@dataclass(frozen=True, slots=True)
class RoadNode(Generic[X]):
    name: str
    path: str
    checkpoints: tuple[CheckpointNode[X], ...]
    total: int
    live: int


@dataclass(frozen=True, slots=True)
class DistrictNode(Generic[X]):
    name: str
    path: str
    roads: tuple[RoadNode[X], ...]
    total: int
    live: int


def build_tree(
    cameras: Iterable[T],
    *,
    is_live: Callable[[T], bool],
    search: str = "",
    offline_only: bool = False,
) -> tuple[DistrictNode[T], ...]:
    """District → road → checkpoint → cameras, holding only cameras that match the search
    (and are offline, if asked); every level counts its cameras and the live ones. Levels are
    sorted by name, cameras by name then id, so the wall's tree does not jump on refresh."""
    grouped: dict[str, dict[str, dict[str, list[tuple[T, bool]]]]] = {}
    for camera in cameras:
        if not matches_search(camera, search):
            continue
        live = is_live(camera)
        if offline_only and live:
            continue
        grouped.setdefault(camera.district, {}).setdefault(camera.road, {}).setdefault(
            camera.checkpoint, []
        ).append((camera, live))
    districts: list[DistrictNode[T]] = []
    for district in sorted(grouped):
        roads: list[RoadNode[T]] = []
        for road in sorted(grouped[district]):
            checkpoints: list[CheckpointNode[T]] = []
            for checkpoint in sorted(grouped[district][road]):
                members = sorted(
                    grouped[district][road][checkpoint], key=lambda p: (p[0].name, p[0].id)
                )
                checkpoints.append(
                    CheckpointNode(
                        checkpoint,
                        group_path(district, road, checkpoint),
                        tuple(c for c, _ in members),
                        len(members),
                        sum(1 for _, live in members if live),
                    )
                )
            roads.append(
                RoadNode(
                    road,
                    f"{district}{GROUP_SEPARATOR}{road}",
                    tuple(checkpoints),
                    sum(c.total for c in checkpoints),
                    sum(c.live for c in checkpoints),
                )
            )
        districts.append(
            DistrictNode(
                district,
                district,
                tuple(roads),
                sum(r.total for r in roads),
                sum(r.live for r in roads),
            )
        )
    return tuple(districts)
