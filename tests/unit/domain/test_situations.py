"""The 30 standard situations of domain-brief §2.3 and the statutes they cite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from console.domain.errors import RuleViolation
from console.domain.liability import AccidentForm, Grade, validate_grades
from console.domain.situations import (
    SITUATIONS_FILE,
    Citation,
    Law,
    chinese_number,
    citations_zh,
    load_situations,
    propose_grades,
    search_situations,
    situation,
)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Articles in force: the Road Traffic Safety Law has 124, its Implementing Regulations 115.
LAST_ARTICLE = {Law.RTSL: 124, Law.RTSL_REG: 115}


def test_the_file_ships_thirty_rows_in_order() -> None:
    situations = load_situations()
    assert [s.number for s in situations] == list(range(1, 31))
    assert len({s.code for s in situations}) == 30
    assert SITUATIONS_FILE.name == "situations.json"
    assert SITUATIONS_FILE.parent.name == "data"


def test_load_is_cached() -> None:
    assert load_situations() is load_situations()


def test_initials_have_one_letter_per_han_character() -> None:
    for s in load_situations():
        han = HAN.findall(s.label_zh)
        assert len(s.initials) == len(han), s.code
        assert re.fullmatch(r"[a-z]+", s.initials), s.code


def test_initials_in_the_file_itself() -> None:
    # The JSON is what a city edits; check the raw text too, not only the parsed objects.
    rows = json.loads(SITUATIONS_FILE.read_text(encoding="utf-8"))["situations"]
    for row in rows:
        assert len(row["initials"]) == len(HAN.findall(row["label_zh"])), row["code"]


def test_known_rows() -> None:
    rear_end = situation("REAR_END")
    assert rear_end.number == 1
    assert rear_end.label_zh == "追撞前车尾部"
    assert rear_end.initials == "zzqcwb"
    assert "追尾" in rear_end.keywords_zh
    assert rear_end.accident_form is AccidentForm.REAR_END
    assert citations_zh(rear_end.statute_at_fault) == "《中华人民共和国道路交通安全法》第四十三条"
    assert (rear_end.grade_at_fault, rear_end.grade_other) == (Grade.FULL, Grade.NONE)

    lane_change = situation("LANE_CHANGE")
    assert lane_change.statute_at_fault == (Citation(Law.RTSL_REG, 44, paragraph=2),)

    door = situation("DOOR_OPENING")
    assert (
        door.statute_at_fault[0].zh
        == "《中华人民共和国道路交通安全法实施条例》第六十三条第（四）项"
    )

    right = situation("NOT_YIELD_RIGHT")
    assert right.statute_at_fault[0].en == (
        "Regulations on the Implementation of the Road Traffic Safety Law, Art. 52 item 2"
    )


def test_rows_one_to_twenty_seven_are_full_against_none() -> None:
    for s in load_situations()[:27]:
        assert (s.grade_at_fault, s.grade_other) == (Grade.FULL, Grade.NONE), s.code
        assert s.statute_other == ()
        assert not s.both_liable


def test_rows_twenty_eight_to_thirty_make_both_liable() -> None:
    rows = load_situations()[27:]
    assert [(s.code, s.grade_at_fault, s.grade_other) for s in rows] == [
        ("HIT_STOPPED_UNWARNED", Grade.EQUAL, Grade.EQUAL),
        ("OVER_WIDTH_SCRAPE", Grade.MAIN, Grade.MINOR),
        ("BOTH_CHANGE_LANES", Grade.EQUAL, Grade.EQUAL),
    ]
    for s in rows:
        assert s.both_liable
        assert s.statute_other, s.code
    stopped = situation("HIT_STOPPED_UNWARNED")
    assert citations_zh(stopped.statute_other) == (
        "《中华人民共和国道路交通安全法》第五十二条、《中华人民共和国道路交通安全法实施条例》第六十条"
    )


def test_every_row_is_complete_and_cites_real_articles() -> None:
    for s in load_situations():
        texts = (s.label_zh, s.label_en, s.at_fault_party_zh, s.at_fault_party_en)
        assert all((*texts, s.other_party_zh, s.other_party_en)), s.code
        assert s.statute_at_fault, s.code
        for citation in s.statute_at_fault + s.statute_other:
            assert 1 <= citation.article <= LAST_ARTICLE[citation.law], s.code
        validate_grades((s.grade_at_fault, s.grade_other), by_officer=True)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (13, "十三"),
        (20, "二十"),
        (43, "四十三"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (115, "一百一十五"),
        (124, "一百二十四"),
    ],
)
def test_chinese_article_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_chinese_number_range() -> None:
    with pytest.raises(RuleViolation):
        chinese_number(0)


def test_citation_rendering() -> None:
    citation = Citation(Law.RTSL_REG, 38, paragraph=1, item=1)
    assert citation.zh == "《中华人民共和国道路交通安全法实施条例》第三十八条第一款第（一）项"
    assert citation.en == (
        "Regulations on the Implementation of the Road Traffic Safety Law, Art. 38 para. 1 item 1"
    )
    assert (
        Citation(Law.RTSL, 43, item=2).zh == "《中华人民共和国道路交通安全法》第四十三条第（二）项"
    )


def _codes(query: str) -> list[str]:
    return [s.code for s in search_situations(query)]


def test_search_by_chinese_substring() -> None:
    assert _codes("掉头") == ["U_TURN_NOT_YIELDING", "U_TURN_FORBIDDEN"]
    assert _codes("溜车") == ["ROLLING"]
    assert "RIGHT_TURN_ON_RED" in _codes("红灯")


def test_search_ranks_label_matches_before_keyword_matches() -> None:
    assert _codes("追尾") == ["REAR_END", "HIT_STOPPED_WARNED", "HIT_STOPPED_UNWARNED"]
    # 两车同时变道 holds 变道 in its label; 变更车道 only lists it as a keyword.
    assert _codes("变道") == ["BOTH_CHANGE_LANES", "LANE_CHANGE"]


def test_search_by_pinyin_initials_prefix() -> None:
    assert _codes("zzq") == ["REAR_END"]
    assert _codes("ZZQCWB") == ["REAR_END"]
    assert _codes("dc") == ["REVERSING"]
    assert _codes("wxhlk") == [
        "NOT_YIELD_PRIORITY_ROAD",
        "LEFT_TURN_VS_STRAIGHT",
        "RIGHT_TURN_VS_LEFT_TURN",
    ]


def test_search_by_code_number_and_english() -> None:
    assert _codes("rear_end")[0] == "REAR_END"
    assert _codes("22") == ["DOOR_OPENING"]
    # Code fragments rank before English words ("being overtaken").
    assert _codes("overtake") == [
        "OVERTAKE_OVERTAKING",
        "OVERTAKE_ONCOMING",
        "OVERTAKE_NO_ROOM",
        "OVERTAKE_RIGHT",
        "OVER_WIDTH_SCRAPE",
    ]
    assert _codes("roundabout") == ["ROUNDABOUT_ENTRY"]


def test_search_empty_and_no_match() -> None:
    assert search_situations("  ") == load_situations()
    assert search_situations("不存在的情形") == ()
    assert search_situations("qqqq") == ()


def test_unknown_code() -> None:
    with pytest.raises(RuleViolation) as caught:
        situation("NOPE")
    assert caught.value.code == "situation.unknown"
    assert caught.value.params == {"situation_code": "NOPE"}


def test_propose_grades_puts_the_at_fault_grade_on_the_chosen_party() -> None:
    rear_end = situation("REAR_END")
    assert propose_grades(rear_end, 1, 2) == (Grade.NONE, Grade.FULL)
    assert propose_grades(rear_end, 0, 3) == (Grade.FULL, Grade.NONE, Grade.NONE)
    assert propose_grades(rear_end, 0, 1) == (Grade.FULL,)
    assert propose_grades(situation("OVER_WIDTH_SCRAPE"), 1, 2) == (Grade.MINOR, Grade.MAIN)


def test_propose_grades_is_validated() -> None:
    with pytest.raises(RuleViolation) as single:
        propose_grades(situation("HIT_STOPPED_UNWARNED"), 0, 1)
    assert single.value.code == "liability.single_vehicle"
    with pytest.raises(RuleViolation) as agreement:
        propose_grades(situation("OVER_WIDTH_SCRAPE"), 0, 2, by_officer=False)
    assert agreement.value.code == "liability.officer_only_grade"
    assert propose_grades(situation("BOTH_CHANGE_LANES"), 0, 2, by_officer=False) == (
        Grade.EQUAL,
        Grade.EQUAL,
    )


@pytest.mark.parametrize(("index", "count"), [(2, 2), (-1, 2), (0, 0)])
def test_propose_grades_checks_the_party_index(index: int, count: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        propose_grades(situation("REAR_END"), index, count)
    assert caught.value.code in {"situation.bad_party_index", "situation.no_parties"}


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "situations.json"
    path.write_text(json.dumps({"version": 1, "situations": rows}), encoding="utf-8")
    return path


def _raw_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(SITUATIONS_FILE.read_text(encoding="utf-8"))[
        "situations"
    ]
    return rows


def test_a_broken_file_is_refused_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    with pytest.raises(RuleViolation) as caught:
        load_situations(missing)
    assert caught.value.code == "situations.bad_file"
    assert str(missing) in caught.value.message

    rows = _raw_rows()
    rows[1]["code"] = rows[0]["code"]
    with pytest.raises(RuleViolation, match="codes repeat"):
        load_situations(_write(tmp_path, rows))


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("initials", "zzq", "initials"),
        ("grade_other", "full", "not allowed for two parties"),
        ("grade_at_fault", "guilty", "ValueError"),
        ("accident_form", "999", "ValueError"),
        ("code", "rear-end", "UPPER_SNAKE_CASE"),
        ("statute_at_fault", [], "no statute"),
    ],
)
def test_bad_rows_are_refused(tmp_path: Path, field: str, value: object, fragment: str) -> None:
    rows = _raw_rows()
    rows[0][field] = value
    with pytest.raises(RuleViolation, match=fragment) as caught:
        load_situations(_write(tmp_path, rows))
    assert caught.value.code == "situations.bad_file"


def test_liable_other_party_needs_a_statute(tmp_path: Path) -> None:
    rows = _raw_rows()
    rows[29]["statute_other"] = []
    with pytest.raises(RuleViolation, match="other party is liable"):
        load_situations(_write(tmp_path, rows))
