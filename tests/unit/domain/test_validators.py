"""Plates (GA 36), ID numbers (GB 11643), mobiles and VINs (ISO 3779 / GB 16735)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from console.domain.errors import RuleViolation
from console.domain.validation import (
    ID_PROVINCE_CODES,
    PROVINCES,
    SERIAL_CHARS,
    VIN_CHARS,
    PlateKind,
    id_check_digit,
    validate_id_number,
    validate_mobile,
    validate_plate,
    validate_vin,
    vin_check_digit,
)

TODAY = date(2025, 6, 1)
T = TypeVar("T")


def _attempt(validator: Callable[[str], T], text: str) -> T | RuleViolation:
    """Run a validator on arbitrary text; anything but RuleViolation propagates and fails."""
    try:
        return validator(text)
    except RuleViolation as violation:
        return violation


# --- plates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("京A12345", PlateKind.ORDINARY, "京A12345"),
        ("京a·12345", PlateKind.ORDINARY, "京A12345"),
        (" 京 A-1234 5 ", PlateKind.ORDINARY, "京A12345"),
        ("京Ａ１２３４５", PlateKind.ORDINARY, "京A12345"),  # full-width from an IME
        ("粤BZ9X88", PlateKind.ORDINARY, "粤BZ9X88"),
        ("粤BD12345", PlateKind.NEW_ENERGY_SMALL, "粤BD12345"),
        ("粤B·DA1234", PlateKind.NEW_ENERGY_SMALL, "粤BDA1234"),
        ("沪AF12345", PlateKind.NEW_ENERGY_SMALL, "沪AF12345"),
        ("沪AA12345", PlateKind.NEW_ENERGY_SMALL, "沪AA12345"),  # 2021 extension
        ("京A12345D", PlateKind.NEW_ENERGY_LARGE, "京A12345D"),
        ("京A12345F", PlateKind.NEW_ENERGY_LARGE, "京A12345F"),
        ("京A0001警", PlateKind.POLICE, "京A0001警"),
        ("川A·A123警", PlateKind.POLICE, "川AA123警"),
        ("京A1234学", PlateKind.COACH, "京A1234学"),
        ("冀B1234挂", PlateKind.TRAILER, "冀B1234挂"),
        ("京A1234试", PlateKind.TEST, "京A1234试"),
        ("粤Z·F023港", PlateKind.HONG_KONG, "粤ZF023港"),
        ("粤Z1234澳", PlateKind.MACAU, "粤Z1234澳"),
        ("沪A0001领", PlateKind.CONSULATE, "沪A0001领"),
        ("224001使", PlateKind.EMBASSY, "224001使"),
        ("使014578", PlateKind.EMBASSY, "使014578"),
    ],
)
def test_valid_plates_parse_to_kind_and_canonical_text(
    typed: str, kind: PlateKind, text: str
) -> None:
    plate = validate_plate(typed)
    assert plate.kind is kind
    assert plate.text == text
    assert str(plate) == text


def test_plate_parts_and_display() -> None:
    plate = validate_plate("粤Z·F023港")
    assert (plate.province, plate.authority, plate.serial, plate.suffix) == (
        "粤",
        "Z",
        "F023",
        "港",
    )
    assert plate.display == "粤Z·F023港"
    assert validate_plate("京A12345").display == "京A·12345"
    embassy = validate_plate("224001使")
    assert (embassy.province, embassy.serial, embassy.display) == (None, "224001", "224001使")


def test_every_province_abbreviation_is_accepted() -> None:
    assert len(PROVINCES) == 31
    for province in PROVINCES:
        assert validate_plate(f"{province}B12345").province == province


def test_plate_kind_labels_and_type_codes() -> None:
    assert PlateKind.NEW_ENERGY_SMALL.plate_type_codes == ("52",)
    assert PlateKind.NEW_ENERGY_LARGE.plate_type_codes == ("51",)
    assert PlateKind.ORDINARY.plate_type_codes[:2] == ("02", "01")
    assert PlateKind.POLICE.plate_type_codes[0] == "23"
    assert PlateKind.HONG_KONG.label_zh == "香港入出境车号牌"
    assert all(kind.plate_type_codes for kind in PlateKind)


@pytest.mark.parametrize(
    ("typed", "code", "params"),
    [
        ("", "plate.empty", {}),
        (" · ", "plate.empty", {}),
        ("X12345", "plate.bad_province", {"found": "X"}),
        ("A12345", "plate.bad_province", {"found": "A"}),
        ("京", "plate.bad_authority", {"found": ""}),
        ("京112345", "plate.bad_authority", {"found": "1"}),
        ("京A1234", "plate.bad_length", {"found": 4, "required": 5}),
        ("京A1234567", "plate.bad_length", {"found": 7, "required": 5}),
        ("京AO1234", "plate.bad_character", {"found": "O", "position": 3}),
        ("京A12I45", "plate.bad_character", {"found": "I", "position": 5}),
        ("京A12#45", "plate.bad_character", {"found": "#"}),
        ("京A12三45", "plate.bad_character", {"found": "三"}),
        ("京A123456", "plate.bad_new_energy", {"serial": "123456"}),
        ("京AX12345", "plate.bad_new_energy", {"serial": "X12345"}),
        ("京AD1234A", "plate.bad_new_energy", {}),
        ("京A123警", "plate.bad_length", {"found": 3, "required": 4}),
        ("京A12345警", "plate.bad_length", {"found": 5, "required": 4}),
        ("京A1234港", "plate.bad_cross_border", {"found": "京A"}),
        ("粤B1234澳", "plate.bad_cross_border", {"found": "粤B"}),
        ("京A1234宁", "plate.bad_suffix", {"found": "宁"}),
        ("22400使", "plate.bad_embassy", {}),
        ("224001使A", "plate.bad_embassy", {}),
        ("使01457X", "plate.bad_embassy", {}),
    ],
)
def test_invalid_plates_name_the_problem(typed: str, code: str, params: dict[str, object]) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_plate(typed)
    assert caught.value.code == code
    for key, value in params.items():
        assert caught.value.params[key] == value
    assert str(caught.value) == caught.value.message


def test_plate_messages_are_specific() -> None:
    with pytest.raises(RuleViolation) as short:
        validate_plate("京A1234")
    assert "'京A1234' has 4 characters" in short.value.message
    assert "5 are required" in short.value.message
    with pytest.raises(RuleViolation) as letter_o:
        validate_plate("京A1O234")
    assert "position 4" in letter_o.value.message
    assert "did you mean 0" in letter_o.value.message


def test_strict_2018_new_energy_letters_refuse_the_2021_extension() -> None:
    assert validate_plate("沪AA12345").kind is PlateKind.NEW_ENERGY_SMALL
    with pytest.raises(RuleViolation) as caught:
        validate_plate("沪AA12345", small_nev_letters="DF")
    assert caught.value.code == "plate.bad_new_energy"
    assert validate_plate("沪AD12345", small_nev_letters="DF").kind is PlateKind.NEW_ENERGY_SMALL


_serial_char = st.sampled_from(sorted(SERIAL_CHARS))
_digit = st.sampled_from("0123456789")
_province = st.sampled_from(PROVINCES)
_authority = st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ")


@st.composite
def ordinary_plates(draw: st.DrawFn) -> str:
    serial = "".join(draw(st.lists(_serial_char, min_size=5, max_size=5)))
    return draw(_province) + draw(_authority) + serial


@st.composite
def small_nev_plates(draw: st.DrawFn) -> str:
    serial = (
        draw(st.sampled_from("DABCEFGHJK"))
        + draw(_serial_char)
        + "".join(draw(st.lists(_digit, min_size=4, max_size=4)))
    )
    return draw(_province) + draw(_authority) + serial


@st.composite
def large_nev_plates(draw: st.DrawFn) -> str:
    serial = "".join(draw(st.lists(_digit, min_size=5, max_size=5))) + draw(st.sampled_from("DF"))
    return draw(_province) + draw(_authority) + serial


@given(ordinary_plates(), st.sampled_from(["", "·", " ", "-"]))
def test_generated_ordinary_plates_pass_with_any_separator(plate: str, separator: str) -> None:
    typed = plate[:2] + separator + plate[2:]
    parsed = validate_plate(typed.lower())
    assert parsed.text == plate.upper()
    assert parsed.kind is PlateKind.ORDINARY


@given(small_nev_plates())
def test_generated_small_new_energy_plates_pass(plate: str) -> None:
    assert validate_plate(plate).kind is PlateKind.NEW_ENERGY_SMALL


@given(large_nev_plates())
def test_generated_large_new_energy_plates_pass(plate: str) -> None:
    assert validate_plate(plate).kind is PlateKind.NEW_ENERGY_LARGE


@given(ordinary_plates(), st.integers(min_value=2, max_value=6), st.sampled_from("IO"))
def test_an_i_or_o_anywhere_in_the_serial_fails(plate: str, index: int, letter: str) -> None:
    broken = plate[:index] + letter + plate[index + 1 :]
    with pytest.raises(RuleViolation) as caught:
        validate_plate(broken)
    assert caught.value.code == "plate.bad_character"
    assert caught.value.params["position"] == index + 1


@given(st.text(max_size=12))
def test_random_text_never_crashes_the_plate_validator(text: str) -> None:
    outcome = _attempt(validate_plate, text)
    if isinstance(outcome, RuleViolation):
        assert outcome.code.startswith("plate.")
    else:
        assert validate_plate(outcome.text) == outcome  # canonical text is a fixed point


# --- ID numbers ---------------------------------------------------------------------------


def test_gb11643_examples() -> None:
    # The two worked examples of GB 11643-1999 Annex.
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    assert validate_id_number("11010519491231002X", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        # One valid number for every check character, cross-checked with python-stdnum's
        # independent cn.ric implementation.
        "440305200106158110",
        "440305198502181961",
        "440305199009142402",
        "440305198502165283",
        "440305200104151994",
        "440305198504116645",
        "440305199008147236",
        "440305199001183197",
        "440305199003167668",
        "440305198507169929",
        "44030519900111882X",
    ],
)
def test_every_check_character(number: str) -> None:
    assert id_check_digit(number[:17]) == number[17]
    assert validate_id_number(number, today=TODAY) == number


def test_id_number_is_normalised() -> None:
    assert validate_id_number(" 110105 19491231 002x ", today=TODAY) == "11010519491231002X"
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ", today=TODAY) == (
        "11010519491231002X"
    )


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_foreign_permanent_residence_card_format_is_accepted() -> None:
    number = _id("91115619850203001")  # 9, Beijing 11, country 156, born 1985-02-03
    assert validate_id_number(number, today=TODAY) == number


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "id.empty"),
        ("1101051949123100", "id.bad_length"),
        ("11010519491231002X1", "id.bad_length"),
        ("1101051949123A002X", "id.bad_character"),
        ("X1010519491231002X", "id.bad_character"),
        (_id("99010519491231002"), "id.bad_region"),
        (_id("00010519491231002"), "id.bad_region"),
        (_id("11010519990230002"), "id.bad_birth_date"),
        (_id("11010519991301002"), "id.bad_birth_date"),
        (_id("44052418800101001"), "id.bad_birth_date"),  # 1880: no living driver
        (_id("11010520300101002"), "id.bad_birth_date"),  # after TODAY
        ("110105194912310021", "id.bad_check_digit"),
    ],
)
def test_invalid_id_numbers(typed: str, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_id_number(typed, today=TODAY)
    assert caught.value.code == code


def test_id_messages_say_what_is_wrong() -> None:
    with pytest.raises(RuleViolation) as old:
        validate_id_number("110105491231002")
    assert "15 characters; 18 are required" in old.value.message
    assert "15-digit" in old.value.message
    with pytest.raises(RuleViolation) as check:
        validate_id_number("110105194912310021", today=TODAY)
    assert check.value.params == {
        "number": "110105194912310021",
        "found": "1",
        "expected": "X",
    }
    with pytest.raises(RuleViolation) as birth:
        validate_id_number(_id("11010519990230002"), today=TODAY)
    assert "19990230" in birth.value.message


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(sorted(ID_PROVINCE_CODES))) + "".join(
        draw(st.lists(_digit, min_size=4, max_size=4))
    )
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = "".join(draw(st.lists(_digit, min_size=3, max_size=3)))
    return _id(region + birth.strftime("%Y%m%d") + sequence)


@given(id_numbers())
def test_generated_id_numbers_pass(number: str) -> None:
    assert validate_id_number(number.lower(), today=TODAY) == number


@given(id_numbers(), st.sampled_from("0123456789X"))
def test_a_changed_check_digit_fails(number: str, other: str) -> None:
    assume(other != number[17])
    with pytest.raises(RuleViolation) as caught:
        validate_id_number(number[:17] + other, today=TODAY)
    assert caught.value.code == "id.bad_check_digit"


@given(id_numbers(), st.integers(min_value=0, max_value=16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(number: str, index: int, delta: int) -> None:
    # MOD 11-2 has weights that are all non-zero mod 11, so one wrong digit always shows.
    changed = str((int(number[index]) + delta) % 10)
    with pytest.raises(RuleViolation):
        validate_id_number(number[:index] + changed + number[index + 1 :], today=TODAY)


@given(st.text(max_size=20))
def test_random_text_never_crashes_the_id_validator(text: str) -> None:
    outcome = _attempt(lambda t: validate_id_number(t, today=TODAY), text)
    if isinstance(outcome, RuleViolation):
        assert outcome.code.startswith("id.")
    else:
        assert len(outcome) == 18


# --- mobile numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086 13812345678",
        "8613812345678",
        "(138)1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_numbers_normalise_to_eleven_digits(typed: str) -> None:
    assert validate_mobile(typed) == "13812345678"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "mobile.empty"),
        ("12345678901", "mobile.bad_prefix"),
        ("10012345678", "mobile.bad_prefix"),
        ("23812345678", "mobile.bad_prefix"),
        ("1381234567", "mobile.bad_length"),
        ("138123456789", "mobile.bad_length"),
        ("1381234567a", "mobile.bad_character"),
        ("+85291234567", "mobile.not_mainland"),
        ("00852 9123 4567", "mobile.not_mainland"),
    ],
)
def test_invalid_mobile_numbers(typed: str, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_mobile(typed)
    assert caught.value.code == code


def test_mobile_length_message_counts_digits() -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_mobile("138 1234 567")
    assert "has 10 digits; 11 are required" in caught.value.message


@given(st.sampled_from("3456789"), st.lists(_digit, min_size=9, max_size=9))
def test_generated_mobile_numbers_pass(second: str, rest: list[str]) -> None:
    number = "1" + second + "".join(rest)
    assert validate_mobile(number) == number
    assert validate_mobile("+86 " + number) == number


@given(st.text(max_size=20))
def test_random_text_never_crashes_the_mobile_validator(text: str) -> None:
    outcome = _attempt(validate_mobile, text)
    if isinstance(outcome, RuleViolation):
        assert outcome.code.startswith("mobile.")
    else:
        assert len(outcome) == 11
        assert outcome.isdigit()


# --- VINs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vin",
    ["1M8GDM9AXKP042788", "1HGCM82633A004352", "11111111111111111", "LSVAM4187C2184847"],
)
def test_known_valid_vins(vin: str) -> None:
    assert validate_vin(vin.lower()) == vin
    assert vin_check_digit(vin) == vin[8]


# ISO 3779 transliteration, straight from the standard's table.
_ISO_3779_VALUES = {
    **dict.fromkeys("AJ", 1),
    **dict.fromkeys("BKS", 2),
    **dict.fromkeys("CLT", 3),
    **dict.fromkeys("DMU", 4),
    **dict.fromkeys("ENV", 5),
    **dict.fromkeys("FW", 6),
    **dict.fromkeys("GPX", 7),
    **dict.fromkeys("HY", 8),
    **dict.fromkeys("RZ", 9),
}


@pytest.mark.parametrize(("letter", "value"), sorted(_ISO_3779_VALUES.items()))
def test_vin_transliteration_of_every_letter(letter: str, value: int) -> None:
    # With one letter in position 1 (weight 8) and zeros elsewhere, the check is 8·v mod 11.
    remainder = 8 * value % 11
    expected = "X" if remainder == 10 else str(remainder)
    vin = letter + "0000000" + expected + "00000000"
    assert vin_check_digit(vin) == expected
    assert validate_vin(vin) == vin


def test_vin_weights_of_every_position() -> None:
    # All Z (value 9): the weights other than position 9 add up to 89, 89·9 = 801 ≡ 9 (mod 11).
    assert validate_vin("ZZZZZZZZ9ZZZZZZZZ") == "ZZZZZZZZ9ZZZZZZZZ"


def test_vin_check_digit_ten_is_x() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


@pytest.mark.parametrize(
    ("typed", "code", "position"),
    [
        ("", "vin.empty", None),
        ("1M8GDM9AXKP04278", "vin.bad_length", None),
        ("1M8GDM9AXKP0427888", "vin.bad_length", None),
        ("1M8GDM9AXKPO42788", "vin.bad_character", 12),
        ("IM8GDM9AXKP042788", "vin.bad_character", 1),
        ("1M8GDM9AXKP04278Q", "vin.bad_character", 17),
        ("1M8GDM9AXKP04278*", "vin.bad_character", 17),
        ("1M8GDM9A5KP042788", "vin.bad_check_digit", None),
        ("LFV2A21K0B3053215", "vin.bad_check_digit", None),
    ],
)
def test_invalid_vins(typed: str, code: str, position: int | None) -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_vin(typed)
    assert caught.value.code == code
    if position is not None:
        assert caught.value.params["position"] == position


def test_vin_check_digit_can_be_waived_for_imports() -> None:
    assert validate_vin("LFV2A21K0B3053215", require_check_digit=False) == "LFV2A21K0B3053215"
    with pytest.raises(RuleViolation) as caught:
        validate_vin("LFV2A21K0B30532I5", require_check_digit=False)
    assert caught.value.code == "vin.bad_character"


def test_vin_check_digit_message_names_both_digits() -> None:
    with pytest.raises(RuleViolation) as caught:
        validate_vin("1M8GDM9A5KP042788")
    assert "'5' at position 9" in caught.value.message
    assert "'X'" in caught.value.message


_vin_char = st.sampled_from(sorted(VIN_CHARS))


@st.composite
def vins(draw: st.DrawFn) -> str:
    chars = draw(st.lists(_vin_char, min_size=17, max_size=17))
    draft = "".join(chars)
    return draft[:8] + vin_check_digit(draft) + draft[9:]


@given(vins())
def test_generated_vins_pass(vin: str) -> None:
    assert validate_vin(vin) == vin


@given(vins(), st.sampled_from("0123456789X"))
def test_a_changed_vin_check_digit_fails(vin: str, other: str) -> None:
    assume(other != vin[8])
    with pytest.raises(RuleViolation) as caught:
        validate_vin(vin[:8] + other + vin[9:])
    assert caught.value.code == "vin.bad_check_digit"


@given(st.text(max_size=20))
def test_random_text_never_crashes_the_vin_validator(text: str) -> None:
    outcome = _attempt(validate_vin, text)
    if isinstance(outcome, RuleViolation):
        assert outcome.code.startswith("vin.")
    else:
        assert len(outcome) == 17
