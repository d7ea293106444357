"""What the lookup seat's search box means (issue 9): the typed text, read token by token
into typed criteria, plus the explicit filters (date range, states, district).

Each kind of token is recognised by its shape, so the user never picks a field:

| typed | kind | matched |
|---|---|---|
| ``KC20261201000123`` (or its start, ``KC2026120``) | case number | prefix |
| ``东公交认字〔2026〕第000123号`` (or its start; ``[2026]`` too) | letter number | prefix |
| ``7KQ2M9PX3HAB`` (no 0, O, 1 or I; a letter among them) | verification code | prefix |
| ``鲁E12345`` (province + letter, at least 3 characters) | plate | prefix |
| ``13905461111`` (``+86`` and spaces tolerated) | phone | exact |
| ``370502199001011234`` | ID or driving licence number | exact |
| ``刘一`` (2 to 16 Chinese characters) | party name | prefix |

Prefix matching keeps "results as you type" on an index (no leading wildcard); the minimum
lengths keep a half-typed plate or a lone surname from matching a large share of the city.
Phones and ID numbers are matched whole: a part of one is not personal data anyone should be
able to fish with. Tokens that fit no kind are returned in `unrecognised`, so the view can say
what it ignored. Several tokens are ANDed: two plates find the cases with both vehicles.

Also here: how much personal data a position sees in search results and case history, and
whether it may unmask (audited). Pure: no Qt, no SQLAlchemy, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Final

from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.domain.validation import PROVINCES, validate_mobile

__all__ = [
    "MIN_CODE_CHARS",
    "MIN_NAME_CHARS",
    "MIN_PLATE_CHARS",
    "TEXT_KINDS",
    "PersonalData",
    "SearchCriteria",
    "SearchKind",
    "classify_token",
    "may_unmask",
    "parse_search",
    "personal_data_access",
    "shows_unmasked",
]

MIN_PLATE_CHARS: Final = 3  # 鲁E1: a province and a city letter alone match the whole city
MIN_NAME_CHARS: Final = 2  # a surname alone matches one party in twenty
MIN_CODE_CHARS: Final = 4
MIN_CASE_NO_CHARS: Final = 4  # KC20: "KC" alone is every case
MAX_NAME_CHARS: Final = 16

_CODE_CHARS: Final = frozenset("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")  # console.domain.letter
_CODE_LENGTH: Final = 12
_CASE_NO = re.compile(r"KC\d*")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
_PHONE_LIKE = re.compile(r"(\+86|0086)?1\d{10}")
_PLATE = re.compile(rf"[{PROVINCES}][A-Z][0-9A-Z]*[警学挂试港澳领]?")
_CJK_NAME = re.compile(r"[\u3400-\u9fff·]+")
# A letter number as typed: the unit prefix, 认字, the year in any bracket, 第, serial, 号.
_DOC_NO = re.compile(r"(?P<unit>[\u3400-\u9fff]+)认字(?P<year>\d{4})(?P<serial>\d+)(?P<end>号?)")
MIN_SERIAL_DIGITS: Final = 4  # of six: a hundred letters a year share "第0001"
_OPEN_BRACKETS: Final = "〔[［(（【"
_CLOSE_BRACKETS: Final = "〕]］)）】"


class SearchKind(StrEnum):
    """What a typed token was read as (and the filters the search also takes)."""

    CASE_NO = "case_no"
    DOC_NO = "doc_no"
    VERIFICATION_CODE = "verification_code"
    PLATE = "plate"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    NAME = "name"
    DATE_RANGE = "date_range"
    STATE = "state"
    DISTRICT = "district"


TEXT_KINDS: Final = (
    SearchKind.CASE_NO,
    SearchKind.DOC_NO,
    SearchKind.VERIFICATION_CODE,
    SearchKind.PLATE,
    SearchKind.PHONE,
    SearchKind.ID_NUMBER,
    SearchKind.NAME,
)


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    """Everything a lookup search asks, ANDed. Text values are normalised (upper case, no
    separators, brackets of a letter number as printed); an empty criteria finds nothing
    rather than the whole hall."""

    case_nos: tuple[str, ...] = ()
    doc_nos: tuple[str, ...] = ()
    verification_codes: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    occurred_from: datetime | None = None  # inclusive, aware
    occurred_to: datetime | None = None  # exclusive, aware
    states: frozenset[CaseState] = frozenset()
    district: str | None = None
    unrecognised: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for moment in (self.occurred_from, self.occurred_to):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"naive datetime {moment!r} in search criteria")
        if (
            self.occurred_from is not None
            and self.occurred_to is not None
            and self.occurred_to <= self.occurred_from
        ):
            raise RuleViolation(
                "search.bad_date_range",
                "The end of the date range must come after its start",
            )

    @property
    def kinds(self) -> frozenset[SearchKind]:
        """The kinds of criteria given (for the view's hint and the benchmark's labels)."""
        given = {
            SearchKind.CASE_NO: self.case_nos,
            SearchKind.DOC_NO: self.doc_nos,
            SearchKind.VERIFICATION_CODE: self.verification_codes,
            SearchKind.PLATE: self.plates,
            SearchKind.PHONE: self.phones,
            SearchKind.ID_NUMBER: self.id_numbers,
            SearchKind.NAME: self.names,
            SearchKind.DATE_RANGE: self.occurred_from or self.occurred_to,
            SearchKind.STATE: self.states,
            SearchKind.DISTRICT: self.district,
        }
        return frozenset(kind for kind, value in given.items() if value)

    @property
    def is_empty(self) -> bool:
        return not self.kinds

    def with_filters(
        self,
        *,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
        states: Iterable[CaseState | str] = (),
        district: str | None = None,
    ) -> SearchCriteria:
        """These criteria narrowed by the explicit filters of the search pane."""
        place = (district or "").strip() or None
        return replace(
            self,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            states=frozenset(CaseState(s) for s in states),
            district=place,
        )


def _fold(token: str) -> str:
    return unicodedata.normalize("NFKC", token).strip()


def _doc_number(token: str) -> str | None:
    """A letter number, whole or its start down to `MIN_SERIAL_DIGITS` of the serial, in its
    printed form 东公交认字〔2026〕第000123号, whatever brackets were typed."""
    flat = token
    for opening in _OPEN_BRACKETS:
        flat = flat.replace(opening, "")
    for closing in _CLOSE_BRACKETS:
        flat = flat.replace(closing, "")
    flat = flat.replace("第", "")
    match = _DOC_NO.fullmatch(flat)
    if match is None:
        return None
    text = f"{match['unit']}认字〔{match['year']}〕第"
    serial = match["serial"]
    if match["end"]:
        # A whole number: the serial is printed with six digits.
        return f"{text}{int(serial):06d}号"
    if len(serial) < MIN_SERIAL_DIGITS:
        return None  # the start of a year's numbers: too many letters to list as you type
    return text + serial


def classify_token(token: str) -> tuple[SearchKind, str] | None:
    """One typed token as (kind, normalised value), or None if it fits no kind."""
    text = _fold(token)
    if not text:
        return None
    upper = text.upper()
    if "认字" in text:
        doc = _doc_number(text)
        return (SearchKind.DOC_NO, doc) if doc is not None else None
    if _CASE_NO.fullmatch(upper):
        return (SearchKind.CASE_NO, upper) if len(upper) >= MIN_CASE_NO_CHARS else None
    if _ID_NUMBER.fullmatch(upper):
        return SearchKind.ID_NUMBER, upper
    compact = re.sub(r"[\s\-().]", "", upper)
    if _PHONE_LIKE.fullmatch(compact):
        try:
            return SearchKind.PHONE, validate_mobile(compact)
        except RuleViolation:
            return None
    plate = re.sub(r"[\s·•・.\-_]", "", upper)
    if _PLATE.fullmatch(plate):
        return (SearchKind.PLATE, plate) if len(plate) >= MIN_PLATE_CHARS else None
    if (
        MIN_CODE_CHARS <= len(upper) <= _CODE_LENGTH
        and set(upper) <= _CODE_CHARS
        and any(c.isalpha() for c in upper)
    ):
        return SearchKind.VERIFICATION_CODE, upper
    if _CJK_NAME.fullmatch(text) and MIN_NAME_CHARS <= len(text) <= MAX_NAME_CHARS:
        return SearchKind.NAME, text
    return None


def parse_search(
    text: str,
    *,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
    states: Iterable[CaseState | str] = (),
    district: str | None = None,
) -> SearchCriteria:
    """The search box's text (tokens separated by spaces, commas or semicolons) and the pane's
    filters as one criteria. A repeated token counts once."""
    found: dict[SearchKind, list[str]] = {kind: [] for kind in TEXT_KINDS}
    unrecognised: list[str] = []
    for token in re.split(r"[\s,，;；、]+", _fold(text)):
        if not token:
            continue
        classified = classify_token(token)
        if classified is None:
            unrecognised.append(token)
            continue
        kind, value = classified
        if value not in found[kind]:
            found[kind].append(value)
    criteria = SearchCriteria(
        case_nos=tuple(found[SearchKind.CASE_NO]),
        doc_nos=tuple(found[SearchKind.DOC_NO]),
        verification_codes=tuple(found[SearchKind.VERIFICATION_CODE]),
        plates=tuple(found[SearchKind.PLATE]),
        phones=tuple(found[SearchKind.PHONE]),
        id_numbers=tuple(found[SearchKind.ID_NUMBER]),
        names=tuple(found[SearchKind.NAME]),
        unrecognised=tuple(unrecognised),
    )
    return criteria.with_filters(
        occurred_from=occurred_from, occurred_to=occurred_to, states=states, district=district
    )


# ---------------------------------------------------------------- personal data by position


class PersonalData(StrEnum):
    """How much of the parties' phone, ID and licence numbers a position sees.

    - FULL: the positions that talk to the parties and issue the letter (reception, review,
      determination) need the numbers to do their job.
    - ON_REQUEST: lookup and the supervisor see them masked and may unmask one party with a
      reason, which is audited (the complaint caller asks "is this my case?", the
      supervisor investigates).
    - OWN_INSURED: an insurer's adjuster sees its own insured's numbers, the other
      companies' masked (issue 8), and may not unmask those.
    - MASKED: patrol and rescue work from plates and places; masked, never unmasked here.
    """

    FULL = "full"
    ON_REQUEST = "on_request"
    OWN_INSURED = "own_insured"
    MASKED = "masked"


_ACCESS: Final = {
    Position.RECEPTION: PersonalData.FULL,
    Position.REVIEW: PersonalData.FULL,
    Position.DETERMINATION: PersonalData.FULL,
    Position.LOOKUP: PersonalData.ON_REQUEST,
    Position.SUPERVISOR: PersonalData.ON_REQUEST,
    Position.CLAIMS: PersonalData.OWN_INSURED,
    Position.PATROL: PersonalData.MASKED,
    Position.RESCUE: PersonalData.MASKED,
}


def personal_data_access(position: Position) -> PersonalData:
    return _ACCESS[position]


def shows_unmasked(
    access: PersonalData, viewer_org_id: int | None, insurer_org_id: int | None
) -> bool:
    """Whether a party's numbers are shown unmasked to a viewer with `access`."""
    if access is PersonalData.FULL:
        return True
    if access is PersonalData.OWN_INSURED:
        return viewer_org_id is not None and insurer_org_id == viewer_org_id
    return False


def may_unmask(access: PersonalData, viewer_org_id: int | None, insurer_org_id: int | None) -> bool:
    """Whether a viewer may ask for a party's numbers unmasked (always audited)."""
    if access in (PersonalData.FULL, PersonalData.ON_REQUEST):
        return True
    return shows_unmasked(access, viewer_org_id, insurer_org_id)
