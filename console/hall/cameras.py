"""The camera registry: importing and exporting the platform's camera list, the wall's tree,
the cameras nearest a place or a case, saved wall layouts per seat, and the demo registry.

Stream URLs carry the platform's credentials (`rtsp://user:password@host/...`). Everything
this module lists for a screen holds redacted URLs (`CameraInfo`); only `stream_urls`, for the
capture worker, and an admin's export return the real ones. Whether a camera is live is not
stored: the capture workers know it, and pass their offline set to `camera_tree`.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.db.models import Camera, Case, WallLayout
from console.domain.cameras import (
    CameraSpec,
    DistrictNode,
    RowError,
    build_tree,
    format_cameras_csv,
    nearest,
    parse_camera_row,
    parse_cameras_csv,
    redact_url,
    split_group_path,
)
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, utcnow, write

__all__ = [
    "CAMERA_ADMINS",
    "DEMO_CAMERAS_FILE",
    "WALL_EDITORS",
    "CameraInfo",
    "CameraTree",
    "ImportReport",
    "NearbyCamera",
    "StreamUrls",
    "UrlFor",
    "WallLayoutInfo",
    "camera_tree",
    "delete_wall_layout",
    "demo_cameras",
    "export_cameras",
    "import_cameras",
    "list_cameras",
    "load_wall_layouts",
    "nearest_cameras",
    "nearest_to_case",
    "save_wall_layout",
    "seed_demo_cameras",
    "stream_urls",
]

P = Position

# Who may change or export the registry: the video patrol seat runs the wall, the supervisor
# stands in for it. (Candidates for console.hall.permissions.Action when that table grows.)
CAMERA_ADMINS: Final = frozenset({P.PATROL, P.SUPERVISOR})
WALL_EDITORS: Final = frozenset({P.PATROL, P.SUPERVISOR})

DEMO_CAMERAS_FILE: Final = (
    Path(__file__).resolve().parents[2] / "resources" / "data" / "demo_cameras.csv"
)
LAYOUT_NAME_LIMIT: Final = 64
LAYOUT_SIZE_LIMIT: Final = 64 * 1024  # a 6×6 wall with its camera ids is about 2 KB
_ID_CHUNK: Final = 500  # ids per IN (...) when loading existing cameras

# The demo MJPEG server decides its URLs at run time: camera id -> (main URL, sub URL or None).
UrlFor = Callable[[str], tuple[str, str | None]]


def _require(actor: Actor, allowed: Collection[Position], action: str) -> None:
    if actor.position not in allowed:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.replace('_', ' ')}",
            position=actor.position.value,
            action=action,
        )


# ---------------------------------------------------------------- what the screens get


@dataclass(frozen=True, slots=True)
class CameraInfo:
    """A camera as lists, the tree and the map show it: URLs redacted."""

    id: str
    name: str
    district: str
    road: str
    direction: str
    lat: float
    lon: float
    checkpoint: str
    group_path: str
    main_url: str
    sub_url: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class StreamUrls:
    """The real stream URLs, credentials included: for the capture worker only."""

    camera_id: str
    main_url: str
    sub_url: str | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, or (if `errors`) why it did nothing."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class CameraTree:
    """District → road → checkpoint → cameras as `camera_tree` filtered it. `total`/`live`
    count what the tree holds; `registry_total`/`registry_live` the whole registry, for the
    wall's status line ("18 of 24 live") while a search narrows the tree."""

    districts: tuple[DistrictNode[CameraInfo], ...]
    total: int
    live: int
    registry_total: int
    registry_live: int
    offline_ids: frozenset[str]

    def is_live(self, camera_id: str) -> bool:
        return camera_id not in self.offline_ids


@dataclass(frozen=True, slots=True)
class NearbyCamera:
    camera: CameraInfo
    distance_m: float


@dataclass(frozen=True, slots=True)
class WallLayoutInfo:
    id: int
    seat: str
    name: str
    layout_json: str
    saved_by: int | None
    saved_at: datetime


def _info(row: Camera) -> CameraInfo:
    checkpoint = split_group_path(row.group_path)[2]
    return CameraInfo(
        id=row.id,
        name=row.name,
        district=row.district,
        road=row.road,
        direction=row.direction,
        lat=row.lat,
        lon=row.lon,
        checkpoint=checkpoint,
        group_path=row.group_path,
        main_url=redact_url(row.main_url),
        sub_url=redact_url(row.sub_url) if row.sub_url else None,
        active=row.active,
    )


def _spec(row: Camera) -> CameraSpec:
    return CameraSpec(
        id=row.id,
        name=row.name,
        district=row.district,
        road=row.road,
        direction=row.direction,
        lat=row.lat,
        lon=row.lon,
        checkpoint=split_group_path(row.group_path)[2],
        main_url=row.main_url,
        sub_url=row.sub_url,
    )


def _active_cameras(session: Session) -> list[Camera]:
    return list(
        session.scalars(
            select(Camera).where(Camera.active.is_(True)).order_by(Camera.group_path, Camera.id)
        )
    )


# ---------------------------------------------------------------- import and export


def _columns(spec: CameraSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "district": spec.district,
        "road": spec.road,
        "direction": spec.direction,
        "lat": spec.lat,
        "lon": spec.lon,
        "group_path": spec.group_path,
        "main_url": spec.main_url,
        "sub_url": spec.sub_url,
        "active": True,
    }


def _upsert(session: Session, cameras: Sequence[CameraSpec]) -> ImportReport:
    """Add new cameras and update changed ones; cameras missing from the list stay as they
    are (a partial list from one district must not delete the others)."""
    ids = [c.id for c in cameras]
    existing: dict[str, Camera] = {}
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        existing.update(
            (row.id, row)
            for row in session.scalars(select(Camera).where(Camera.id.in_(chunk)).with_for_update())
        )
    added = updated = unchanged = 0
    for spec in cameras:
        values = _columns(spec)
        row = existing.get(spec.id)
        if row is None:
            session.add(Camera(id=spec.id, **values))
            added += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for key, value in changed.items():
            setattr(row, key, value)
        if changed:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportReport(added=added, updated=updated, unchanged=unchanged)


def import_cameras(session_factory: SessionFactory, actor: Actor, csv_text: str) -> ImportReport:
    """Load the platform's camera list: all or nothing. A file with any bad line changes
    nothing and the report lists every line's reasons, so the admin fixes the file once
    instead of finding the next error on each retry. Audited."""
    _require(actor, CAMERA_ADMINS, "import_cameras")
    parsed = parse_cameras_csv(csv_text)
    if not parsed.ok:
        return ImportReport(errors=parsed.errors)
    now = utcnow()
    with write(session_factory) as session:
        report = _upsert(session, parsed.cameras)
        record_audit(
            session,
            actor,
            "cameras_imported",
            "cameras",
            at=now,
            details={
                "rows": len(parsed.cameras),
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return report


def export_cameras(
    session_factory: SessionFactory, actor: Actor, *, with_credentials: bool = True
) -> str:
    """The active registry as CSV that `import_cameras` takes back unchanged.

    The export is the admin's backup and the way to move the list to another hall, so by
    default the URLs keep their credentials; `with_credentials=False` redacts them for a copy
    that leaves the video team (it can no longer be imported as a working list). Either way
    the export is audited, and only the positions that may import may export."""
    _require(actor, CAMERA_ADMINS, "export_cameras")
    now = utcnow()
    with write(session_factory) as session:
        specs = [_spec(row) for row in _active_cameras(session)]
        if not with_credentials:
            specs = [s.redacted() for s in specs]
        record_audit(
            session,
            actor,
            "cameras_exported",
            "cameras",
            at=now,
            details={"cameras": len(specs), "with_credentials": with_credentials},
        )
    return format_cameras_csv(specs)


# ---------------------------------------------------------------- reading the registry


def list_cameras(session_factory: SessionFactory) -> list[CameraInfo]:
    """Every active camera, by group then id, URLs redacted."""
    with session_factory() as session:
        return [_info(row) for row in _active_cameras(session)]


def stream_urls(session_factory: SessionFactory, camera_id: str) -> StreamUrls:
    """The URLs to open, credentials included; for the capture worker, never for display."""
    with session_factory() as session:
        row = session.get(Camera, camera_id)
        if row is None:
            raise NotFound(
                "camera.not_found", f"Camera {camera_id} does not exist", camera_id=camera_id
            )
        return StreamUrls(row.id, row.main_url, row.sub_url)


def camera_tree(
    session_factory: SessionFactory,
    *,
    offline_ids: Collection[str] = frozenset(),
    search: str = "",
    offline_only: bool = False,
) -> CameraTree:
    """The wall's tree. `offline_ids` comes from the capture workers; `search` matches name or
    id (case- and width-insensitive, Chinese as a substring); `offline_only` keeps only the
    cameras that are down, for the morning check of the wall."""
    offline = frozenset(offline_ids)
    cameras = list_cameras(session_factory)
    districts = build_tree(
        cameras,
        is_live=lambda c: c.id not in offline,
        search=search,
        offline_only=offline_only,
    )
    return CameraTree(
        districts=districts,
        total=sum(d.total for d in districts),
        live=sum(d.live for d in districts),
        registry_total=len(cameras),
        registry_live=sum(1 for c in cameras if c.id not in offline),
        offline_ids=offline,
    )


def nearest_cameras(
    session_factory: SessionFactory, lat: float, lon: float, k: int = 4
) -> list[NearbyCamera]:
    """The k active cameras closest to a point, nearest first. A city registry is a few
    thousand rows, so they are measured in Python rather than with a spatial index."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise RuleViolation(
            "camera.bad_point", f"{lat}, {lon} is not a place on the map", lat=lat, lon=lon
        )
    return [NearbyCamera(c, d) for c, d in nearest(list_cameras(session_factory), lat, lon, k)]


def nearest_to_case(
    session_factory: SessionFactory, case_id: int, k: int = 4
) -> list[NearbyCamera]:
    """The cameras that may have seen the accident: the k nearest to the case's place."""
    with session_factory() as session:
        found = session.execute(
            select(Case.case_no, Case.lat, Case.lon).where(Case.id == case_id)
        ).one_or_none()
    if found is None:
        raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
    case_no, lat, lon = found
    if lat is None or lon is None:
        raise RuleViolation(
            "camera.case_not_located",
            f"Case {case_no} has no coordinates; set the place on the map first",
            case_no=case_no,
        )
    return nearest_cameras(session_factory, lat, lon, k)


@dataclass(frozen=True, slots=True)
class CaseSurroundings:
    """Where a case happened and the cameras around it (none when it has no coordinates)."""

    lat: float | None
    lon: float | None
    nearby: tuple[NearbyCamera, ...]


def case_surroundings(
    session_factory: SessionFactory, case_id: int, k: int = 6, within_m: float = 2000.0
) -> CaseSurroundings:
    """For the place map: a camera kilometres away saw nothing of the crash and would only
    shrink the map, so the k nearest within `within_m`."""
    with session_factory() as session:
        found = session.execute(select(Case.lat, Case.lon).where(Case.id == case_id)).one_or_none()
    if found is None:
        raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
    lat, lon = found
    if lat is None or lon is None:
        return CaseSurroundings(None, None, ())
    nearby = nearest_cameras(session_factory, lat, lon, k)
    return CaseSurroundings(lat, lon, tuple(n for n in nearby if n.distance_m <= within_m))


# ---------------------------------------------------------------- wall layouts


def _layout_info(row: WallLayout) -> WallLayoutInfo:
    return WallLayoutInfo(
        id=row.id,
        seat=row.seat,
        name=row.name,
        layout_json=json.dumps(row.layout, ensure_ascii=False),
        saved_by=row.saved_by,
        saved_at=row.saved_at,
    )


def _check_layout_access(actor: Actor, seat: str) -> str:
    _require(actor, WALL_EDITORS, "save_wall_layout")
    seat = seat.strip()
    if seat != actor.seat and not actor.is_supervisor:
        raise PermissionDenied(
            "wall.other_seat",
            f"You are signed in at {actor.seat}; only the supervisor changes {seat}'s layouts",
            seat=seat,
        )
    return seat


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def save_wall_layout(
    session_factory: SessionFactory, actor: Actor, seat: str, name: str, layout_json: str
) -> WallLayoutInfo:
    """Save (or overwrite) the seat's layout of that name. The layout is the view's JSON
    object, kept as it is: the database does not know tiles or grids. Audited."""
    seat = _check_layout_access(actor, seat)
    shown = " ".join(name.split())
    if not shown or len(shown) > LAYOUT_NAME_LIMIT:
        raise RuleViolation(
            "wall.bad_name",
            f"A layout name is 1 to {LAYOUT_NAME_LIMIT} characters",
            limit=LAYOUT_NAME_LIMIT,
        )
    if len(layout_json.encode("utf-8")) > LAYOUT_SIZE_LIMIT:
        raise RuleViolation(
            "wall.bad_layout", "The layout is too large to save", limit=LAYOUT_SIZE_LIMIT
        )
    try:
        # NaN and Infinity are not JSON; PostgreSQL would refuse them at commit.
        layout = json.loads(layout_json, parse_constant=_not_json)
    except (ValueError, RecursionError):
        layout = None
    if not isinstance(layout, dict):
        raise RuleViolation(
            "wall.bad_layout", "The layout is not a JSON object", limit=LAYOUT_SIZE_LIMIT
        )
    now = utcnow()
    values = {"seat": seat, "name": shown, "layout": layout, "saved_by": actor.user_id}
    with write(session_factory) as session:
        builder = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        statement = builder(WallLayout).values(**values, saved_at=now)
        layout_id = session.execute(
            statement.on_conflict_do_update(
                index_elements=[WallLayout.seat, WallLayout.name],
                set_={"layout": layout, "saved_by": actor.user_id, "saved_at": now},
            ).returning(WallLayout.id)
        ).scalar_one()
        record_audit(
            session,
            actor,
            "wall_layout_saved",
            f"seat:{seat}",
            at=now,
            details={"name": shown, "layout_id": layout_id},
        )
        row = session.get(WallLayout, layout_id, populate_existing=True)
        assert row is not None
        return _layout_info(row)


def load_wall_layouts(session_factory: SessionFactory, seat: str) -> list[WallLayoutInfo]:
    """The seat's saved layouts by name."""
    with session_factory() as session:
        rows = session.scalars(
            select(WallLayout).where(WallLayout.seat == seat.strip()).order_by(WallLayout.name)
        )
        return [_layout_info(row) for row in rows]


def delete_wall_layout(session_factory: SessionFactory, actor: Actor, seat: str, name: str) -> bool:
    """Forget a saved layout; False if the seat had none of that name."""
    seat = _check_layout_access(actor, seat)
    shown = " ".join(name.split())
    with write(session_factory) as session:
        gone = session.execute(
            delete(WallLayout)
            .where(WallLayout.seat == seat, WallLayout.name == shown)
            .returning(WallLayout.id)
        ).first()
        if gone is not None:
            record_audit(
                session, actor, "wall_layout_deleted", f"seat:{seat}", at=utcnow(),
                details={"name": shown},
            )  # fmt: skip
        return gone is not None


# ---------------------------------------------------------------- the demo registry


def demo_cameras(url_for: UrlFor, path: Path = DEMO_CAMERAS_FILE) -> list[CameraSpec]:
    """The demo hall's 24 cameras on real Dongying roads, with URLs from `url_for` (the demo
    MJPEG server picks its port at run time). The bundled list passes the import's checks;
    a row that does not is a packaging bug and raises ValueError."""
    cameras: list[CameraSpec] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            main, sub = url_for(row["id"])
            checked = parse_camera_row({**row, "main_url": main, "sub_url": sub or ""})
            if isinstance(checked, list):
                reasons = "; ".join(str(f) for f in checked)
                raise ValueError(f"{path.name}: camera {row['id']}: {reasons}")
            cameras.append(checked)
    return cameras


def seed_demo_cameras(
    session_factory: SessionFactory, url_for: UrlFor, path: Path = DEMO_CAMERAS_FILE
) -> ImportReport:
    """Put the demo cameras in the registry (again): each demo start gets new URLs, so the
    existing rows are updated rather than skipped."""
    cameras = demo_cameras(url_for, path)
    with write(session_factory) as session:
        report = _upsert(session, cameras)
        record_audit(
            session,
            None,
            "demo_cameras_seeded",
            "cameras",
            at=utcnow(),
            details={"added": report.added, "updated": report.updated},
        )
        return report
