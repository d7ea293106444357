"""The camera registry's rules: one CSV row, a whole file with line numbers, URLs shown
without credentials, distances, the nearest cameras and the wall's tree."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.cameras import (
    CSV_COLUMNS,
    CameraSpec,
    build_tree,
    decode_csv_bytes,
    format_cameras_csv,
    haversine_m,
    matches_search,
    nearest,
    parse_camera_row,
    parse_cameras_csv,
    redact_url,
    split_group_path,
)
from console.domain.errors import Finding

HEADER = ",".join(CSV_COLUMNS)
GOOD = {
    "id": "DY0001",
    "name": "东营区 西四路与南一路路口 东向西",
    "district": "东营区",
    "road": "西四路",
    "direction": "东向西",
    "lat": "37.44702",
    "lon": "118.47951",
    "group": "西四路南一路卡口",
    "main_url": "rtsp://admin:Hik12345@10.20.1.5:554/Streaming/Channels/101",
    "sub_url": "rtsp://admin:Hik12345@10.20.1.5:554/Streaming/Channels/102",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def codes(result: CameraSpec | list[Finding]) -> list[str]:
    assert isinstance(result, list), f"expected reasons, got {result}"
    return [f.code for f in result]


def line(**changes: str) -> str:
    values = row(**changes)
    return ",".join(values[c] for c in CSV_COLUMNS)


# ---------------------------------------------------------------- one row


def test_a_good_row_is_a_camera_in_its_group() -> None:
    camera = parse_camera_row(row())
    assert isinstance(camera, CameraSpec)
    assert (camera.id, camera.lat, camera.lon) == ("DY0001", 37.44702, 118.47951)
    assert camera.group_path == "东营区/西四路/西四路南一路卡口"
    assert split_group_path(camera.group_path) == ("东营区", "西四路", "西四路南一路卡口")
    assert camera.main_url.startswith("rtsp://admin:Hik12345@"), "the spec keeps the real URL"
    assert camera.redacted().main_url == "rtsp://***@10.20.1.5:554/Streaming/Channels/101"


def test_optional_fields_may_be_empty_and_a_camera_without_group_is_its_own_checkpoint() -> None:
    camera = parse_camera_row(row(group=" ", direction="", sub_url="", lat=" 37.5 "))
    assert isinstance(camera, CameraSpec)
    assert camera.checkpoint == GOOD["name"]
    assert (camera.direction, camera.sub_url, camera.lat) == ("", None, 37.5)


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    result = parse_camera_row(row(id="DY 01", name="", lat="北纬37", main_url="ftp://x/y"))
    assert codes(result) == [
        "camera.missing_field",
        "camera.bad_id",
        "camera.bad_number",
        "camera.bad_url",
    ]
    assert isinstance(result, list)
    assert result[0].params == {"field": "name"}
    assert result[2].params == {"field": "lat", "value": "北纬37"}


@pytest.mark.parametrize("camera_id", ["A", "dy-0001_main", "37050200001320000001", "X" * 32])
def test_ids_of_letters_digits_dash_and_underscore_up_to_32(camera_id: str) -> None:
    assert isinstance(parse_camera_row(row(id=camera_id)), CameraSpec)


@pytest.mark.parametrize("camera_id", ["X" * 33, "东营1", "a/b", "a.b", "a b"])
def test_other_ids_are_refused(camera_id: str) -> None:
    assert codes(parse_camera_row(row(id=camera_id))) == ["camera.bad_id"]


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        ("37.4", "18.5", "camera.outside_china"),
        ("-37.4", "118.5", "camera.outside_china"),
        ("118.5", "37.4", "camera.swapped_coordinates"),
        ("nan", "118.5", "camera.bad_number"),
        ("inf", "118.5", "camera.bad_number"),
    ],
)
def test_coordinates_must_be_a_place_in_china(lat: str, lon: str, code: str) -> None:
    assert codes(parse_camera_row(row(lat=lat, lon=lon))) == [code]


def test_the_edges_of_china_are_inside() -> None:
    assert isinstance(parse_camera_row(row(lat="53.5", lon="73.6")), CameraSpec)
    assert isinstance(parse_camera_row(row(lat="3.9", lon="135.0")), CameraSpec)


@pytest.mark.parametrize(
    "url",
    [
        "rtsp://10.0.0.1/live",
        "RTSPS://cam.example:322/s",
        "http://10.0.0.2:8080/video.mjpg",
        "https://vp.example/hls/1.m3u8",
        "file:///srv/demo/crossing.mp4",
        "rtsp://user:p%40ss@[fe80::1]:554/x",
    ],
)
def test_stream_urls_the_capture_worker_opens(url: str) -> None:
    assert isinstance(parse_camera_row(row(main_url=url)), CameraSpec)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://10.0.0.1/x", "scheme"),
        ("10.0.0.1:554/live", "scheme"),
        ("rtsp:///live", "no_host"),
        ("rtsp://10.0.0.1:port/x", "malformed"),
        ("rtsp://[fe80::1/x", "malformed"),
        ("rtsp://10.0.0.1/a b", "whitespace"),
        ("rtsp://admin:12#34@10.0.0.1/x", "malformed"),
        ("rtsp://admin:12/34@10.0.0.1/x", "malformed"),
        ("file:", "no_path"),
    ],
)
def test_urls_that_cannot_be_opened_are_refused_with_a_reason(url: str, reason: str) -> None:
    result = parse_camera_row(row(sub_url=url))
    assert codes(result) == ["camera.bad_url"]
    assert isinstance(result, list)
    assert (result[0].params["field"], result[0].params["reason"]) == ("sub_url", reason)


@pytest.mark.parametrize("url", ["rtsp://***@10.0.0.1/x", "http://vp/live.flv?camera=7&token=***"])
def test_a_url_from_an_export_without_credentials_is_refused(url: str) -> None:
    result = parse_camera_row(row(main_url=url))
    assert codes(result) == ["camera.redacted_url"]


def test_a_refused_url_does_not_leak_its_password_into_the_message() -> None:
    result = parse_camera_row(row(main_url="ftp://admin:s3cret@10.0.0.1/x"))
    assert isinstance(result, list)
    assert "s3cret" not in result[0].message
    assert "s3cret" not in str(result[0].params)


def test_text_longer_than_the_columns_and_slashes_in_group_levels_are_refused() -> None:
    assert codes(parse_camera_row(row(name="路" * 129))) == ["camera.too_long"]
    assert codes(parse_camera_row(row(road="西四路/南一路"))) == ["camera.slash_in_group"]
    assert codes(parse_camera_row(row(group="卡" * 250))) == ["camera.too_long"]


# ---------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://admin:12345@10.0.0.1:554/h264", "rtsp://***@10.0.0.1:554/h264"),
        ("rtsp://admin@10.0.0.1/h264", "rtsp://***@10.0.0.1/h264"),
        ("rtsp://u:p@ss@w0rd@10.0.0.1/x", "rtsp://***@10.0.0.1/x"),
        ("http://vp/live.flv?camera=7&token=abc123", "http://vp/live.flv?camera=7&token=***"),
        ("https://vp/x.m3u8?Password=a&pwd=b", "https://vp/x.m3u8?Password=***&pwd=***"),
        ("rtsp://10.0.0.1/live?channel=1", "rtsp://10.0.0.1/live?channel=1"),
        ("file:///srv/demo/a.mp4", "file:///srv/demo/a.mp4"),
        ("rtsp://admin:pw@[fe80::1/x", "rtsp://***@[fe80::1/x"),
        ("rtsp://admin:a#b@10.0.0.1/x", "rtsp://***@10.0.0.1/x"),
        ("rtsp://admin:a/b?c@10.0.0.1/x", "rtsp://***@10.0.0.1/x"),
        ("admin:pw@10.0.0.1/x", "***@10.0.0.1/x"),
        ("", ""),
    ],
)
def test_redact_url_hides_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@given(
    user=st.text("abcdefgh", min_size=1, max_size=8),
    password=st.text("ABCDEFGH12345!@#$/?:%", min_size=6, max_size=16),
)
def test_no_password_survives_redaction(user: str, password: str) -> None:
    shown = redact_url(f"rtsp://{user}:{password}@10.1.2.3:554/Streaming/Channels/101")
    assert password not in shown
    assert shown.endswith("@10.1.2.3:554/Streaming/Channels/101")


# ---------------------------------------------------------------- a whole file


def test_a_file_is_read_in_order_with_chinese_headers_a_bom_and_blank_lines() -> None:
    text = (
        "\ufeff编号,名称,区县,道路,方向,纬度,经度,卡口,主码流,子码流,品牌\r\n"
        + line(id="A1")
        + ",海康\r\n\r\n"
        + line(id="B2", sub_url="")
        + ",大华\r\n"
    )
    parsed = parse_cameras_csv(text)
    assert parsed.ok
    assert [c.id for c in parsed.cameras] == ["A1", "B2"]
    assert parsed.cameras[1].sub_url is None


def test_a_bad_row_names_its_line_and_no_camera_is_taken() -> None:
    text = "\n".join([HEADER, line(id="A1"), "", line(id="A2", lat="abc"), line(id="A3")])
    parsed = parse_cameras_csv(text)
    assert not parsed.ok
    assert parsed.cameras == ()
    (error,) = parsed.errors
    assert (error.line, error.code) == (4, "camera.bad_number")
    assert error.params == {"line": 4, "field": "lat", "value": "abc"}
    assert str(error).startswith("line 4: ")


def test_line_numbers_count_from_the_first_line_of_a_quoted_field_spanning_lines() -> None:
    multi = line(id="A2").replace(GOOD["name"], '"西四路\n南一路"', 1)
    text = "\n".join([HEADER, line(id="A1"), multi, line(id="A3", lon="x")])
    parsed = parse_cameras_csv(text)
    assert [(e.line, e.code) for e in parsed.errors] == [(5, "camera.bad_number")]


def test_a_duplicate_id_names_both_lines() -> None:
    text = "\n".join([HEADER, line(id="A1"), line(id="A2"), line(id="A1", lat="x")])
    errors = parse_cameras_csv(text).errors
    assert [(e.line, e.code) for e in errors] == [
        (4, "camera.duplicate_id"),
        (4, "camera.bad_number"),
    ]
    assert errors[0].params == {"line": 4, "id": "A1", "first_line": 2}


def test_a_line_with_more_fields_than_the_header_is_an_unquoted_comma() -> None:
    text = "\n".join([HEADER, line(id="A1", name="西四路,南一路")])
    (error,) = parse_cameras_csv(text).errors
    assert (error.line, error.code, error.params["found"]) == (2, "camera.extra_fields", 11)


def test_a_short_line_misses_its_trailing_fields() -> None:
    text = "\n".join([HEADER, "A1,西四路口,东营区,西四路,东向西,37.4,118.5"])
    (error,) = parse_cameras_csv(text).errors
    assert (error.code, error.params["field"]) == ("camera.missing_field", "main_url")


def test_a_header_without_a_required_column_is_refused_before_any_row() -> None:
    text = "id,name,district,road,lat,lon\n" + "A1,x,东营区,西四路,37.4,118.5"
    (error,) = parse_cameras_csv(text).errors
    assert (error.line, error.code, error.params["column"]) == (
        1,
        "camera.missing_column",
        "main_url",
    )


@pytest.mark.parametrize("text", ["", "\n\n", HEADER + "\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert [e.code for e in parse_cameras_csv(text).errors] == ["camera.empty_file"]


def test_gb18030_files_from_a_chinese_desktop_are_decoded() -> None:
    text = HEADER + "\n" + line() + "\n"
    assert decode_csv_bytes(text.encode("gb18030")) == text
    assert decode_csv_bytes(b"\xef\xbb\xbf" + text.encode()) == text


coordinates = st.tuples(
    st.floats(min_value=3.9, max_value=53.5), st.floats(min_value=73.6, max_value=135.0)
)
names = (
    st.text(
        st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="/"
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@given(
    camera_id=st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True),
    name=names,
    road=names,
    place=coordinates,
    password=st.text("abc,\"'@:!#/?%", min_size=1, max_size=10),
)
def test_export_then_import_gives_back_the_same_cameras(
    camera_id: str, name: str, road: str, place: tuple[float, float], password: str
) -> None:
    camera = CameraSpec(
        id=camera_id,
        name=name,
        district="东营区",
        road=road,
        direction="东向西",
        lat=place[0],
        lon=place[1],
        checkpoint=f"{road}卡口",
        main_url=f"rtsp://admin:{quote(password, safe='')}@10.0.0.1/x",
        sub_url=None,
    )
    parsed = parse_cameras_csv(format_cameras_csv([camera]))
    assert parsed.errors == ()
    assert parsed.cameras == (camera,)


# ---------------------------------------------------------------- distance and nearest


@dataclass(frozen=True)
class Point:
    id: str
    lat: float
    lon: float


def test_haversine_gives_metres_on_the_ground() -> None:
    assert haversine_m(37.4, 118.5, 37.4, 118.5) == 0
    # One degree of latitude is 111.2 km; one of longitude at 37.4°N is cos(37.4°) of that.
    assert haversine_m(37.0, 118.5, 38.0, 118.5) == pytest.approx(111_195, rel=1e-3)
    assert haversine_m(37.4, 118.0, 37.4, 119.0) == pytest.approx(
        111_195 * math.cos(math.radians(37.4)), rel=1e-3
    )
    # 东营区 西城 to 河口区: about 47 km.
    assert haversine_m(37.462, 118.498, 37.886, 118.525) == pytest.approx(47_200, rel=0.01)


def test_nearest_returns_k_cameras_nearest_first() -> None:
    here = (37.4470, 118.4795)
    cams = [
        Point("far", 37.886, 118.525),
        Point("near", 37.4471, 118.4796),
        Point("mid", 37.462, 118.498),
        Point("next", 37.450, 118.480),
    ]
    found = nearest(cams, *here, 3)
    assert [c.id for c, _ in found] == ["near", "next", "mid"]
    distances = [d for _, d in found]
    assert distances == sorted(distances)
    assert distances[0] < 20
    assert [c.id for c, _ in nearest(cams, *here, 10)] == ["near", "next", "mid", "far"]
    assert nearest(cams, *here, 0) == []


def test_equal_distances_keep_the_input_order() -> None:
    cams = [Point("b", 37.5, 118.5), Point("a", 37.5, 118.5)]
    assert [c.id for c, _ in nearest(cams, 37.4, 118.5, 2)] == ["b", "a"]


def test_nearest_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="negative"):
        nearest([], 37.4, 118.5, -1)
    with pytest.raises(ValueError, match="not a point"):
        nearest([], math.nan, 118.5, 1)


# ---------------------------------------------------------------- the tree and search


def spec(camera_id: str, name: str, district: str, road: str, checkpoint: str) -> CameraSpec:
    return CameraSpec(camera_id, name, district, road, "", 37.4, 118.5, checkpoint, "rtsp://h/x")


TREE = [
    spec("DY2", "西四路南一路 西向东", "东营区", "西四路", "西四路南一路卡口"),
    spec("DY1", "西四路南一路 东向西", "东营区", "西四路", "西四路南一路卡口"),
    spec("DY3", "府前大街东三路 东向西", "东营区", "府前大街", "府前大街东三路卡口"),
    spec("KL1", "胜兴路行政路 东向西", "垦利区", "胜兴路", "胜兴路行政路卡口"),
]


def test_the_tree_groups_district_road_checkpoint_and_counts_live_cameras() -> None:
    districts = build_tree(TREE, is_live=lambda c: c.id != "DY1")
    assert [(d.name, d.total, d.live) for d in districts] == [("东营区", 3, 2), ("垦利区", 1, 1)]
    dongying = districts[0]
    assert [(r.name, r.path, r.total, r.live) for r in dongying.roads] == [
        ("府前大街", "东营区/府前大街", 1, 1),
        ("西四路", "东营区/西四路", 2, 1),
    ]
    (checkpoint,) = dongying.roads[1].checkpoints
    assert checkpoint.path == "东营区/西四路/西四路南一路卡口"
    assert [c.id for c in checkpoint.cameras] == ["DY1", "DY2"], "sorted by name"
    assert (checkpoint.total, checkpoint.live) == (2, 1)


def test_offline_only_keeps_the_cameras_that_are_down_and_drops_empty_branches() -> None:
    districts = build_tree(TREE, is_live=lambda c: c.id != "DY1", offline_only=True)
    assert [(d.name, d.total, d.live) for d in districts] == [("东营区", 1, 0)]
    assert [r.name for r in districts[0].roads] == ["西四路"]


def test_search_matches_name_or_id_ignoring_case_and_width() -> None:
    camera = TREE[0]
    assert matches_search(camera, "")
    assert matches_search(camera, "南一路")
    assert matches_search(camera, "dy2")
    assert matches_search(camera, "ＤＹ２"), "full-width letters typed with a Chinese IME"
    assert matches_search(camera, "西四路　西向东"), "words split on the ideographic space too"
    assert not matches_search(camera, "西四路 东向西")
    assert not matches_search(camera, "东营区"), "the district is not part of this name"
    districts = build_tree(TREE, is_live=lambda c: True, search="东向西")
    assert sum(d.total for d in districts) == 3
