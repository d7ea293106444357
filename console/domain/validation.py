"""Validators for the identifiers a case is built from: plates, ID numbers, mobiles, VINs.

Each validator normalises what a person typed or a device read (full-width characters, spaces,
the plate's middle dot, lower case) and either returns the normalised value or raises
`RuleViolation` with a message that says exactly what is wrong, because the reviewer has to
tell the parties on the phone which character to fix (DOMAIN.md "Validation").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from console.domain.errors import RuleViolation

# GA 36-2018 5.2: the one-character abbreviations of the 31 mainland provincial units.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

# GA 36-2018: serials use digits and the Latin letters except I and O (they read as 1 and 0).
SERIAL_CHARS = frozenset("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
DIGITS = frozenset("0123456789")

# Small new-energy plates: the first serial letter gives the energy type. GA 36-2018 issued
# D (battery electric) and F (other new energy); when those ran out the Ministry's traffic
# bureau opened A, B, C, E (battery electric) and G, H, J, K (other) in 2021, so real plates
# carry all ten. Pass "DF" to `validate_plate` for the strict 2018 set.
SMALL_NEV_LETTERS_2021 = "DABCEFGHJK"
LARGE_NEV_LETTERS = "DF"

_PLATE_SEPARATORS = re.compile(r"[\s·•・.\-_]")


class PlateKind(StrEnum):
    """The plate formats of GA 36 that a fast-handling case can meet."""

    ORDINARY = "ordinary"  # 普通: province + letter + 5
    NEW_ENERGY_SMALL = "new_energy_small"  # 小型新能源: letter + 1 + 4 digits
    NEW_ENERGY_LARGE = "new_energy_large"  # 大型新能源: 5 digits + D/F
    POLICE = "police"  # 警
    COACH = "coach"  # 学 (driving-school car)
    TRAILER = "trailer"  # 挂
    TEST = "test"  # 试 (vehicle under test)
    HONG_KONG = "hong_kong"  # 粤Z…港
    MACAU = "macau"  # 粤Z…澳
    EMBASSY = "embassy"  # 使
    CONSULATE = "consulate"  # 领

    @property
    def label_zh(self) -> str:
        return _PLATE_KIND_ZH[self]

    @property
    def plate_type_codes(self) -> tuple[str, ...]:
        """GA 24.7 号牌种类 codes a plate of this format may carry, most likely first.

        The text alone cannot tell a blue small-car plate (02) from a yellow large-vehicle or
        motorcycle plate, so the user confirms the type; this narrows the choice.
        """
        return _PLATE_TYPE_CODES[self]


_PLATE_KIND_ZH: dict[PlateKind, str] = {
    PlateKind.ORDINARY: "普通号牌",
    PlateKind.NEW_ENERGY_SMALL: "小型新能源汽车号牌",
    PlateKind.NEW_ENERGY_LARGE: "大型新能源汽车号牌",
    PlateKind.POLICE: "警用汽车号牌",
    PlateKind.COACH: "教练汽车号牌",
    PlateKind.TRAILER: "挂车号牌",
    PlateKind.TEST: "试验汽车号牌",
    PlateKind.HONG_KONG: "香港入出境车号牌",
    PlateKind.MACAU: "澳门入出境车号牌",
    PlateKind.EMBASSY: "使馆汽车号牌",
    PlateKind.CONSULATE: "领馆汽车号牌",
}

_PLATE_TYPE_CODES: dict[PlateKind, tuple[str, ...]] = {
    PlateKind.ORDINARY: ("02", "01", "07", "08"),
    PlateKind.NEW_ENERGY_SMALL: ("52",),
    PlateKind.NEW_ENERGY_LARGE: ("51",),
    PlateKind.POLICE: ("23", "24"),
    PlateKind.COACH: ("16", "17"),
    PlateKind.TRAILER: ("15",),
    PlateKind.TEST: ("18", "19"),
    PlateKind.HONG_KONG: ("26",),
    PlateKind.MACAU: ("27",),
    PlateKind.EMBASSY: ("03", "09"),
    PlateKind.CONSULATE: ("04", "10"),
}

# Plates whose last character is a Chinese marker after four serial characters (GA 36).
_SUFFIX_KINDS: dict[str, PlateKind] = {
    "警": PlateKind.POLICE,
    "学": PlateKind.COACH,
    "挂": PlateKind.TRAILER,
    "试": PlateKind.TEST,
    "港": PlateKind.HONG_KONG,
    "澳": PlateKind.MACAU,
    "领": PlateKind.CONSULATE,
}


@dataclass(frozen=True)
class Plate:
    """A plate number that passed GA 36 format checks.

    `text` is the canonical form stored and compared (no separators, upper case);
    `display` adds the middle dot printed on the plate and on the letter.
    """

    kind: PlateKind
    text: str
    province: str | None
    authority: str | None
    serial: str
    suffix: str | None

    @property
    def display(self) -> str:
        if self.province is None:
            return self.text
        return f"{self.text[:2]}·{self.text[2:]}"

    def __str__(self) -> str:
        return self.text


def normalise_plate(text: str) -> str:
    """Canonical plate text: NFKC (full-width → ASCII), separators removed, upper case."""
    folded = unicodedata.normalize("NFKC", text)
    return _PLATE_SEPARATORS.sub("", folded).upper()


def validate_plate(text: str, *, small_nev_letters: str = SMALL_NEV_LETTERS_2021) -> Plate:
    """Parse a plate number by the formats of GA 36-2018 or raise `RuleViolation`."""
    plate = normalise_plate(text)
    if not plate:
        raise RuleViolation("plate.empty", "Plate number is empty")
    if "使" in plate:
        return _embassy_plate(plate)
    first = plate[0]
    if first not in PROVINCES:
        raise RuleViolation(
            "plate.bad_province",
            f"Plate '{plate}' starts with '{first}'; it must start with a province "
            "abbreviation such as 京 or 粤 (embassy plates carry 使)",
            plate=plate,
            found=first,
        )
    if len(plate) < 2 or not ("A" <= plate[1] <= "Z"):
        found = plate[1] if len(plate) >= 2 else ""
        raise RuleViolation(
            "plate.bad_authority",
            f"Plate '{plate}' needs the issuing-authority letter (A–Z) right after "
            f"'{first}'" + (f"; found '{found}'" if found else ""),
            plate=plate,
            found=found,
        )
    province, authority, rest = first, plate[1], plate[2:]
    suffix: str | None = None
    kind: PlateKind | None = None
    if rest and not rest[-1].isascii():
        suffix = rest[-1]
        kind = _SUFFIX_KINDS.get(suffix)
        if kind is None:
            raise RuleViolation(
                "plate.bad_suffix",
                f"Plate '{plate}' ends with '{suffix}'; the known endings are "
                + ", ".join(_SUFFIX_KINDS),
                plate=plate,
                found=suffix,
            )
        rest = rest[:-1]
    _check_serial_chars(plate, rest)
    if kind is not None and suffix is not None:
        return _suffixed_plate(
            plate, kind, province=province, authority=authority, serial=rest, suffix=suffix
        )
    if len(rest) == 5:
        return Plate(PlateKind.ORDINARY, plate, province, authority, rest, None)
    if len(rest) == 6:
        return _new_energy_plate(plate, province, authority, rest, small_nev_letters)
    raise RuleViolation(
        "plate.bad_length",
        f"Plate '{plate}' has {len(rest)} characters after the letter '{authority}'; "
        "5 are required (6 for a new-energy plate)",
        plate=plate,
        found=len(rest),
        required=5,
    )


def _check_serial_chars(plate: str, serial: str) -> None:
    for index, char in enumerate(serial):
        if char in SERIAL_CHARS:
            continue
        position = index + 3  # province and letter come first; positions count from 1
        if char in "IO":
            hint = "1" if char == "I" else "0"
            message = (
                f"Plate '{plate}' has the letter '{char}' at position {position}; plates never "
                f"use I or O (did you mean {hint}?)"
            )
        else:
            message = (
                f"Plate '{plate}' has '{char}' at position {position}; only digits and the "
                "letters A–Z except I and O may follow the issuing letter"
            )
        raise RuleViolation(
            "plate.bad_character", message, plate=plate, found=char, position=position
        )


def _suffixed_plate(
    plate: str, kind: PlateKind, *, province: str, authority: str, serial: str, suffix: str
) -> Plate:
    if len(serial) != 4:
        raise RuleViolation(
            "plate.bad_length",
            f"Plate '{plate}' has {len(serial)} characters between '{province}{authority}' and "
            f"'{suffix}'; 4 are required",
            plate=plate,
            found=len(serial),
            required=4,
        )
    if kind in (PlateKind.HONG_KONG, PlateKind.MACAU) and (province, authority) != ("粤", "Z"):
        raise RuleViolation(
            "plate.bad_cross_border",
            f"Plate '{plate}' ends with '{suffix}' but starts with '{province}{authority}'; "
            "Hong Kong and Macau plates start with 粤Z",
            plate=plate,
            found=province + authority,
        )
    return Plate(kind, plate, province, authority, serial, suffix)


def _new_energy_plate(
    plate: str, province: str, authority: str, serial: str, small_nev_letters: str
) -> Plate:
    # GA 36-2018: small = energy letter, a letter or digit, four digits;
    # large = five digits, then the energy letter D or F.
    if serial[0] in small_nev_letters and set(serial[2:]) <= DIGITS:
        return Plate(PlateKind.NEW_ENERGY_SMALL, plate, province, authority, serial, None)
    if set(serial[:5]) <= DIGITS and serial[5] in LARGE_NEV_LETTERS:
        return Plate(PlateKind.NEW_ENERGY_LARGE, plate, province, authority, serial, None)
    raise RuleViolation(
        "plate.bad_new_energy",
        f"Plate '{plate}' has 6 characters after the letter '{authority}', so it must be a "
        f"new-energy plate: one of {', '.join(small_nev_letters)} then a letter or digit and "
        "4 digits (small vehicle), or 5 digits then D or F (large vehicle)",
        plate=plate,
        serial=serial,
    )


def _embassy_plate(plate: str) -> Plate:
    # GA 36: embassy plates are six digits (3-digit mission code + 3-digit serial) with 使,
    # printed after the digits on current plates and before them on the older ones.
    digits = plate.replace("使", "", 1)
    well_formed = (plate.endswith("使") or plate.startswith("使")) and len(digits) == 6
    if not well_formed or not set(digits) <= DIGITS:
        raise RuleViolation(
            "plate.bad_embassy",
            f"Embassy plate '{plate}' must be 6 digits with 使 at the end or the start, "
            "e.g. 224001使 or 使014578",
            plate=plate,
        )
    return Plate(PlateKind.EMBASSY, plate, None, None, digits, "使")


# GB 11643-1999: 17 weights of the ISO 7064 MOD 11-2 check, and the check character for
# each remainder 0..10.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB/T 2260 province-level codes, plus 81/82/83: the residence permits of Hong Kong, Macau and
# Taiwan residents use the same 18-character number.
ID_PROVINCE_CODES = frozenset(
    (
        *("11", "12", "13", "14", "15"),
        *("21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46"),
        *("50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65"),
        *("71", "81", "82", "83"),
    )
)


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= DIGITS:
        raise RuleViolation(
            "id.bad_character",
            f"'{first17}' must be exactly 17 digits to compute an ID check digit",
            found=first17,
        )
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(text: str, *, today: date | None = None) -> str:
    """Validate a mainland resident ID number (GB 11643-1999) and return it upper-cased.

    Checks length, characters, the province part of the region code, the birth date and the
    check digit. The 2023 foreigners' permanent-residence card shares the format with a
    leading 9 before the province code, and is accepted too.
    """
    number = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not number:
        raise RuleViolation("id.empty", "ID number is empty")
    if len(number) != 18:
        extra = (
            "; old 15-digit numbers were replaced, ask for the 18-character number"
            if len(number) == 15
            else ""
        )
        raise RuleViolation(
            "id.bad_length",
            f"ID number '{number}' has {len(number)} characters; 18 are required{extra}",
            number=number,
            found=len(number),
            required=18,
        )
    for index, char in enumerate(number):
        if char in DIGITS or (index == 17 and char == "X"):
            continue
        raise RuleViolation(
            "id.bad_character",
            f"ID number '{number}' has '{char}' at position {index + 1}; it must be 17 digits "
            "followed by a digit or X",
            number=number,
            found=char,
            position=index + 1,
        )
    province = number[1:3] if number[0] == "9" else number[:2]
    if province not in ID_PROVINCE_CODES:
        raise RuleViolation(
            "id.bad_region",
            f"ID number '{number}' has region code {number[:6]}; '{province}' is not a "
            "province code (e.g. 11 Beijing, 44 Guangdong)",
            number=number,
            found=number[:6],
        )
    birth_text = number[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise RuleViolation(
            "id.bad_birth_date",
            f"ID number '{number}' has birth date {birth_text}, which is not a calendar date",
            number=number,
            found=birth_text,
        ) from None
    today = today or date.today()
    if birth.year < 1900 or birth > today:
        raise RuleViolation(
            "id.bad_birth_date",
            f"ID number '{number}' has birth date {birth.isoformat()}, which is "
            + ("before 1900" if birth.year < 1900 else "in the future"),
            number=number,
            found=birth_text,
        )
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise RuleViolation(
            "id.bad_check_digit",
            f"ID number '{number}' ends with '{number[17]}', but the first 17 digits give the "
            f"check digit '{expected}'; a digit is mistyped",
            number=number,
            found=number[17],
            expected=expected,
        )
    return number


_MOBILE_NOISE = re.compile(r"[\s\-().]")


def validate_mobile(text: str) -> str:
    """Validate a mainland mobile number; return its 11 digits.

    MIIT numbering: 11 digits, first 1, second 3–9. A +86 / 0086 country prefix and spaces,
    hyphens or brackets are tolerated because callers read numbers aloud that way.
    """
    number = _MOBILE_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not number:
        raise RuleViolation("mobile.empty", "Mobile number is empty")
    original = number
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif number.startswith(("+", "00")):
        raise RuleViolation(
            "mobile.not_mainland",
            f"Mobile number '{original}' has a country code other than +86; only mainland "
            "mobile numbers are accepted",
            number=original,
        )
    elif len(number) == 13 and number.startswith("861"):
        number = number[2:]
    bad = next((c for c in number if c not in DIGITS), None)
    if bad is not None:
        raise RuleViolation(
            "mobile.bad_character",
            f"Mobile number '{original}' contains '{bad}'; only digits are allowed",
            number=original,
            found=bad,
        )
    if len(number) != 11:
        raise RuleViolation(
            "mobile.bad_length",
            f"Mobile number '{original}' has {len(number)} digits; 11 are required",
            number=original,
            found=len(number),
            required=11,
        )
    if number[0] != "1" or number[1] not in "3456789":
        raise RuleViolation(
            "mobile.bad_prefix",
            f"Mobile number '{original}' starts with '{number[:2]}'; mainland mobile numbers "
            "start with 13 to 19",
            number=original,
            found=number[:2],
        )
    return number


_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")
_SHORT_SERVICE = re.compile(r"(1\d{4}|9\d{4})")


def validate_caller_number(text: str) -> str:
    """Validate the number a 122 call came from; return its digits.

    A caller on a landline or a service line still needs answering, so besides mainland
    mobiles (normalised as `validate_mobile`) this accepts landlines with their area code
    (0 + 2–3 digit area + 7–8 digits) and five-digit service numbers. Only the SMS steps need
    a mobile; they check again with `validate_mobile`.
    """
    number = _MOBILE_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not number:
        raise RuleViolation("phone.empty", "The caller's number is empty")
    try:
        return validate_mobile(number)
    except RuleViolation:
        pass
    if number.startswith("+86"):
        number = "0" + number[3:].lstrip("0")
    if _LANDLINE.fullmatch(number) or _SHORT_SERVICE.fullmatch(number):
        return number
    raise RuleViolation(
        "phone.invalid",
        f"'{text.strip()}' is not a mobile, landline (with area code) or service number",
        number=text.strip(),
    )


def is_mobile(number: str) -> bool:
    """Whether an SMS can reach `number`."""
    try:
        validate_mobile(number)
    except RuleViolation:
        return False
    return True


# ISO 3779 / GB 16735: letters transliterate to numbers, positions carry weights, and the
# remainder mod 11 is the check character at position 9 (10 → X).
_VIN_VALUES: dict[str, int] = {str(d): d for d in range(10)} | {
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
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_CHARS = frozenset(_VIN_VALUES)


def vin_check_digit(vin: str) -> str:
    """The check character for position 9 of a 17-character VIN (position 9 itself ignored)."""
    if len(vin) != 17 or not set(vin) <= VIN_CHARS:
        raise RuleViolation(
            "vin.bad_character",
            f"'{vin}' must be 17 VIN characters to compute a check digit",
            vin=vin,
        )
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(text: str, *, require_check_digit: bool = True) -> str:
    """Validate a vehicle identification number and return it upper-cased.

    GB 16735 makes the ISO 3779 check digit mandatory for vehicles made in China. Some
    imported (mostly European) vehicles lack a valid one; callers handling those may pass
    `require_check_digit=False` and still get the length and character checks.
    """
    vin = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not vin:
        raise RuleViolation("vin.empty", "VIN is empty")
    if len(vin) != 17:
        raise RuleViolation(
            "vin.bad_length",
            f"VIN '{vin}' has {len(vin)} characters; 17 are required",
            vin=vin,
            found=len(vin),
            required=17,
        )
    for index, char in enumerate(vin):
        if char in VIN_CHARS:
            continue
        if char in "IOQ":
            message = (
                f"VIN '{vin}' has the letter '{char}' at position {index + 1}; VINs never use "
                "I, O or Q (did you mean 1 or 0?)"
            )
        else:
            message = (
                f"VIN '{vin}' has '{char}' at position {index + 1}; only digits and the letters "
                "A–Z except I, O and Q are allowed"
            )
        raise RuleViolation("vin.bad_character", message, vin=vin, found=char, position=index + 1)
    if require_check_digit:
        expected = vin_check_digit(vin)
        if vin[8] != expected:
            raise RuleViolation(
                "vin.bad_check_digit",
                f"VIN '{vin}' has '{vin[8]}' at position 9, but the other characters give the "
                f"check digit '{expected}'; a character is mistyped",
                vin=vin,
                found=vin[8],
                expected=expected,
            )
    return vin
