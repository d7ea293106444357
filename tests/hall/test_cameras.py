"""The camera registry on SQLite and PostgreSQL: an import is all or nothing and names the
lines it refuses, a re-import updates, an export imports back unchanged, lists never show
credentials, the wall's tree counts live cameras, the nearest cameras come first, layouts are
kept per seat, and the demo registry seeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import func, select, update

from console.db.models import AuditLogEntry, Camera, Case
from console.domain.cameras import CSV_COLUMNS, haversine_m
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.cameras import (
    camera_tree,
    delete_wall_layout,
    demo_cameras,
    export_cameras,
    import_cameras,
    list_cameras,
    load_wall_layouts,
    nearest_cameras,
    nearest_to_case,
    save_wall_layout,
    seed_demo_cameras,
    stream_urls,
)
from console.hall.errors import NotFound, PermissionDenied
from tests.hall.conftest import Hall, bulk_cases

HEADER = ",".join(CSV_COLUMNS)


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    district: str
    road: str
    direction: str
    lat: float
    lon: float
    group: str
    credentials: str = ""

    def csv(self) -> str:
        auth = f"{self.credentials}@" if self.credentials else ""
        base = f"rtsp://{auth}10.20.{len(self.id)}.5:554/{self.id}"
        return (
            f"{self.id},{self.name},{self.district},{self.road},{self.direction},"
            f"{self.lat},{self.lon},{self.group},{base}/101,{base}/102"
        )


REGISTRY = [
    Row("DY01", "西四路南一路 东向西", "东营区", "西四路", "东向西", 37.44702, 118.47951,
        "西四路南一路卡口", "admin:Hik12345"),
    Row("DY02", "西四路南一路 西向东", "东营区", "西四路", "西向东", 37.44706, 118.47956,
        "西四路南一路卡口", "admin:Hik12345"),
    Row("DY03", "府前大街东三路 东向西", "东营区", "府前大街", "东向西", 37.43497, 118.67203,
        "府前大街东三路卡口"),
    Row("KL01", "胜兴路行政路 东向西", "垦利区", "胜兴路", "东向西", 37.58853, 118.54796,
        "胜兴路行政路卡口", "op:pw"),
    Row("HK01", "河口大街海宁路 南向北", "河口区", "河口大街", "南向北", 37.88614, 118.52502,
        "河口大街海宁路卡口"),
]  # fmt: skip


def registry_csv(rows: list[Row] = REGISTRY) -> str:
    return "\n".join([HEADER, *(r.csv() for r in rows)]) + "\n"


def camera_rows(hall: Hall) -> dict[str, tuple[str, str, float, float, str]]:
    with hall.session_factory() as session:
        return {
            c.id: (c.name, c.group_path, c.lat, c.lon, c.main_url)
            for c in session.scalars(select(Camera))
        }


def audit_actions(hall: Hall) -> list[str]:
    with hall.session_factory() as session:
        return list(session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)))


# ---------------------------------------------------------------- import


def test_a_good_file_is_imported_and_audited(hall: Hall) -> None:
    report = import_cameras(hall.session_factory, hall["patrol"], registry_csv())
    assert report.ok
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    rows = camera_rows(hall)
    assert rows["DY01"][:4] == (
        "西四路南一路 东向西",
        "东营区/西四路/西四路南一路卡口",
        37.44702,
        118.47951,
    )
    assert rows["DY01"][4] == "rtsp://admin:Hik12345@10.20.4.5:554/DY01/101"
    assert audit_actions(hall) == ["cameras_imported"]


def test_lists_never_show_credentials_but_the_capture_worker_gets_them(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["supervisor"], registry_csv())
    listed = {c.id: c for c in list_cameras(hall.session_factory)}
    assert listed["DY01"].main_url == "rtsp://***@10.20.4.5:554/DY01/101"
    assert listed["DY01"].sub_url == "rtsp://***@10.20.4.5:554/DY01/102"
    assert listed["DY03"].main_url == "rtsp://10.20.4.5:554/DY03/101"
    assert not any("Hik12345" in repr(c) or "op:pw" in repr(c) for c in listed.values())
    urls = stream_urls(hall.session_factory, "DY01")
    assert (urls.main_url, urls.sub_url) == (
        "rtsp://admin:Hik12345@10.20.4.5:554/DY01/101",
        "rtsp://admin:Hik12345@10.20.4.5:554/DY01/102",
    )
    with pytest.raises(NotFound) as refused:
        stream_urls(hall.session_factory, "NOPE")
    assert refused.value.code == "camera.not_found"


def test_one_bad_row_in_the_middle_names_its_line_and_changes_nothing(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv(REGISTRY[:2]))
    before = camera_rows(hall)
    renamed = [replace(r, name=r.name + " 新") for r in REGISTRY]
    lines = registry_csv(renamed).splitlines()
    lines[3] = lines[3].replace("37.43497", "37.4x")  # DY03 is on line 4 of the file
    report = import_cameras(hall.session_factory, hall["patrol"], "\n".join(lines))
    assert not report.ok
    assert [(e.line, e.code, e.params) for e in report.errors] == [
        (4, "camera.bad_number", {"line": 4, "field": "lat", "value": "37.4x"})
    ]
    assert (report.added, report.updated, report.unchanged) == (0, 0, 0)
    assert camera_rows(hall) == before, "neither the good rows before nor after were written"
    assert audit_actions(hall) == ["cameras_imported"], "a refused file leaves no audit row"


def test_duplicate_ids_in_the_file_are_refused(hall: Hall) -> None:
    rows = [*REGISTRY, REGISTRY[1]]
    report = import_cameras(hall.session_factory, hall["patrol"], registry_csv(rows))
    assert [(e.line, e.code, e.params.get("first_line")) for e in report.errors] == [
        (7, "camera.duplicate_id", 3)
    ]
    assert camera_rows(hall) == {}


def test_a_reimport_adds_new_cameras_updates_changed_ones_and_keeps_the_rest(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv(REGISTRY[:4]))
    changed = list(REGISTRY)
    changed[0] = replace(REGISTRY[0], credentials="admin:NewPass9")
    changed[2] = replace(REGISTRY[2], name="府前大街东三路 东向西 球机")
    report = import_cameras(hall.session_factory, hall["patrol"], registry_csv(changed))
    assert (report.added, report.updated, report.unchanged) == (1, 2, 2)
    rows = camera_rows(hall)
    assert rows["DY01"][4] == "rtsp://admin:NewPass9@10.20.4.5:554/DY01/101"
    assert rows["DY03"][0] == "府前大街东三路 东向西 球机"
    assert len(rows) == 5
    partial = import_cameras(hall.session_factory, hall["patrol"], registry_csv(REGISTRY[4:]))
    assert (partial.added, partial.updated, partial.unchanged) == (0, 0, 1)
    assert len(camera_rows(hall)) == 5, "a partial list deletes nothing"


def test_export_imports_back_unchanged(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv())
    exported = export_cameras(hall.session_factory, hall["patrol"])
    assert exported.splitlines()[0] == HEADER
    assert "admin:Hik12345@" in exported, "the admin's export keeps credentials"
    before = camera_rows(hall)
    again = import_cameras(hall.session_factory, hall["supervisor"], exported)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert camera_rows(hall) == before
    shared = export_cameras(hall.session_factory, hall["patrol"], with_credentials=False)
    assert "Hik12345" not in shared and "op:pw" not in shared
    assert "rtsp://***@10.20.4.5:554/DY01/101" in shared
    refused = import_cameras(hall.session_factory, hall["patrol"], shared)
    assert {e.code for e in refused.errors} == {"camera.redacted_url"}
    assert camera_rows(hall) == before, "a redacted export cannot blank the passwords"
    assert audit_actions(hall).count("cameras_exported") == 2


def test_only_the_patrol_seat_and_the_supervisor_change_or_export_the_registry(hall: Hall) -> None:
    for who in ("claims", "reception", "officer"):
        with pytest.raises(PermissionDenied) as refused:
            import_cameras(hall.session_factory, hall[who], registry_csv())
        assert refused.value.params == {
            "position": hall[who].position.value,
            "action": "import_cameras",
        }
        with pytest.raises(PermissionDenied):
            export_cameras(hall.session_factory, hall[who])
    assert camera_rows(hall) == {}


# ---------------------------------------------------------------- tree and nearest


def test_the_tree_counts_live_cameras_filters_offline_and_searches(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv())
    tree = camera_tree(hall.session_factory, offline_ids={"DY02", "HK01", "GONE"})
    assert (tree.total, tree.live, tree.registry_total, tree.registry_live) == (5, 3, 5, 3)
    assert [(d.name, d.total, d.live) for d in tree.districts] == [
        ("东营区", 3, 2),
        ("垦利区", 1, 1),
        ("河口区", 1, 0),
    ]
    xisi = next(r for r in tree.districts[0].roads if r.name == "西四路")
    (checkpoint,) = xisi.checkpoints
    assert [c.id for c in checkpoint.cameras] == ["DY01", "DY02"]
    assert (checkpoint.total, checkpoint.live) == (2, 1)
    assert not tree.is_live("DY02") and tree.is_live("DY01")
    assert checkpoint.cameras[0].main_url.startswith("rtsp://***@")

    down = camera_tree(hall.session_factory, offline_ids={"DY02", "HK01"}, offline_only=True)
    assert [(d.name, d.total, d.live) for d in down.districts] == [
        ("东营区", 1, 0),
        ("河口区", 1, 0),
    ]
    assert (down.registry_total, down.registry_live) == (5, 3)

    found = camera_tree(hall.session_factory, offline_ids={"DY02"}, search="东向西")
    assert sorted(
        c.id for d in found.districts for r in d.roads for k in r.checkpoints for c in k.cameras
    ) == ["DY01", "DY03", "KL01"]
    assert (found.total, found.live) == (3, 3)
    assert camera_tree(hall.session_factory, search="kl01").total == 1
    assert camera_tree(hall.session_factory, search="不存在").districts == ()


def test_nearest_cameras_come_first(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv())
    found = nearest_cameras(hall.session_factory, 37.44701, 118.47950, 3)
    assert [n.camera.id for n in found] == ["DY01", "DY02", "KL01"]
    assert found[0].distance_m < found[1].distance_m < found[2].distance_m
    assert found[2].distance_m == pytest.approx(
        haversine_m(37.44701, 118.4795, 37.58853, 118.54796)
    )
    assert len(nearest_cameras(hall.session_factory, 37.4, 118.5, 50)) == 5
    with pytest.raises(RuleViolation) as refused:
        nearest_cameras(hall.session_factory, float("nan"), 118.5, 3)
    assert refused.value.code == "camera.bad_point"


def test_nearest_to_a_case_uses_its_place(hall: Hall) -> None:
    import_cameras(hall.session_factory, hall["patrol"], registry_csv())
    located, unlocated = bulk_cases(hall.session_factory, 2, CaseState.UNDER_REVIEW)
    with hall.session_factory() as session, session.begin():
        session.execute(update(Case).where(Case.id == located).values(lat=37.8850, lon=118.5240))
    assert [n.camera.id for n in nearest_to_case(hall.session_factory, located, 2)] == [
        "HK01",
        "KL01",
    ]
    with pytest.raises(RuleViolation) as refused:
        nearest_to_case(hall.session_factory, unlocated, 2)
    assert refused.value.code == "camera.case_not_located"
    with pytest.raises(NotFound):
        nearest_to_case(hall.session_factory, 999_999, 2)


# ---------------------------------------------------------------- wall layouts


def test_layouts_are_saved_and_loaded_per_seat(hall: Hall) -> None:
    patrol, supervisor = hall["patrol"], hall["supervisor"]
    grid = {"rows": 2, "cols": 2, "tiles": ["DY01", "DY02", None, "KL01"]}
    first = save_wall_layout(
        hall.session_factory, patrol, patrol.seat, " 早高峰 ", json.dumps(grid)
    )
    assert first.name == "早高峰"
    save_wall_layout(hall.session_factory, patrol, patrol.seat, "夜间", '{"rows": 1, "cols": 1}')
    save_wall_layout(hall.session_factory, supervisor, "seat-99", "大屏", '{"rows": 3}')
    grid["tiles"] = ["HK01", None, None, None]
    again = save_wall_layout(hall.session_factory, patrol, patrol.seat, "早高峰", json.dumps(grid))
    assert again.id == first.id, "saving under the same name overwrites"

    mine = load_wall_layouts(hall.session_factory, patrol.seat)
    assert [(w.name, json.loads(w.layout_json)) for w in mine] == [
        ("夜间", {"rows": 1, "cols": 1}),
        ("早高峰", grid),
    ]
    assert [w.name for w in load_wall_layouts(hall.session_factory, "seat-99")] == ["大屏"]
    assert load_wall_layouts(hall.session_factory, "seat-unknown") == []
    assert delete_wall_layout(hall.session_factory, patrol, patrol.seat, "夜间")
    assert not delete_wall_layout(hall.session_factory, patrol, patrol.seat, "夜间")
    assert [w.name for w in load_wall_layouts(hall.session_factory, patrol.seat)] == ["早高峰"]
    assert audit_actions(hall).count("wall_layout_saved") == 4


def test_layouts_refuse_other_seats_other_positions_and_bad_json(hall: Hall) -> None:
    patrol = hall["patrol"]
    with pytest.raises(PermissionDenied) as refused:
        save_wall_layout(hall.session_factory, patrol, "seat-99", "x", "{}")
    assert refused.value.code == "wall.other_seat"
    with pytest.raises(PermissionDenied) as refused:
        save_wall_layout(hall.session_factory, hall["claims"], hall["claims"].seat, "x", "{}")
    assert refused.value.code == "permission.denied"
    for name, layout in (
        ("", "{}"),
        ("x" * 65, "{}"),
        ("x", "[1, 2]"),
        ("x", "{oops"),
        ("x", '{"zoom": NaN}'),
        ("x", "[" * 60_000),
    ):
        with pytest.raises(RuleViolation) as bad:
            save_wall_layout(hall.session_factory, patrol, patrol.seat, name, layout)
        assert bad.value.code in {"wall.bad_name", "wall.bad_layout"}
    assert load_wall_layouts(hall.session_factory, patrol.seat) == []


# ---------------------------------------------------------------- the demo registry


def demo_urls(port: int) -> Callable[[str], tuple[str, str | None]]:
    return lambda camera_id: (
        f"http://127.0.0.1:{port}/cam/{camera_id}.mjpg",
        f"http://127.0.0.1:{port}/cam/{camera_id}.mjpg?size=small",
    )


def test_the_demo_registry_lies_on_dongying_roads_in_five_districts() -> None:
    cameras = demo_cameras(demo_urls(8000))
    assert len(cameras) == 24
    assert len({c.id for c in cameras}) == 24
    assert {c.district for c in cameras} == {"东营区", "垦利区", "河口区", "广饶县", "利津县"}
    assert all(haversine_m(37.4, 118.5, c.lat, c.lon) < 60_000 for c in cameras)
    assert all(c.name.startswith(f"{c.district} {c.road}") for c in cameras)
    assert cameras[0].main_url == f"http://127.0.0.1:8000/cam/{cameras[0].id}.mjpg"


def test_seeding_the_demo_registry_twice_updates_the_urls(hall: Hall) -> None:
    first = seed_demo_cameras(hall.session_factory, demo_urls(8000))
    assert (first.added, first.updated) == (24, 0)
    second = seed_demo_cameras(hall.session_factory, demo_urls(8001))
    assert (second.added, second.updated, second.unchanged) == (0, 24, 0)
    with hall.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Camera)) == 24
    some = list_cameras(hall.session_factory)[0]
    assert ":8001/" in stream_urls(hall.session_factory, some.id).main_url
    assert len(camera_tree(hall.session_factory).districts) == 5
