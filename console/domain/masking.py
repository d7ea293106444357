"""Masking personal data an insurer's adjuster does not need (issue 8, docs/isolation.md).

An adjuster handles its own insured party's claim. Of the other parties of the case it needs the
name, the plate, the vehicle and the liability, to pay the third-party damage, but not their
identity numbers or how to reach them: those the hall has and passes on. What is kept follows
the usual Chinese display practice (GB/T 35273 de-identification, as banks and 12123 show it):

- ID number (居民身份证号): the first 6 digits, the issuing region, and the last 4; the birth
  date and sequence are hidden: ``370502199001011234`` -> ``370502********1234``.
- Driving licence number: in China it is the holder's ID number; masked the same way.
- Phone: the last 4 digits only: ``13905461111`` -> ``*******1111``.
- Anything too short to keep that much and still hide 8 characters of an ID (a birth date's
  worth; so an old 15-digit ID number) or 4 of a phone shows only its last quarter.

Parties carry no address; the accident's place is not personal data and is shown.
Pure functions: no Qt, no I/O; the read side (console/hall/queries.py) decides when to apply them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final, overload

__all__ = [
    "MASK",
    "mask_event_details",
    "mask_id_number",
    "mask_licence_number",
    "mask_phone",
    "must_mask",
]

MASK: Final = "*"

_ID_HEAD: Final = 6
_ID_TAIL: Final = 4
_PHONE_TAIL: Final = 4
_ID_HIDDEN: Final = 8  # at least a birth date's worth of characters
_PHONE_HIDDEN: Final = 4
# Event details that name a phone number, an identity number, or a secret (an upload token).
_PHONE_KEYS: Final = frozenset({"to", "phone", "caller_phone", "complainant_phone"})
_ID_KEYS: Final = frozenset({"id_number", "licence_number"})
_SECRET_KEYS: Final = frozenset({"token"})


def must_mask(viewer_org_id: int | None, insurer_org_id: int | None) -> bool:
    """Whether a party's personal data is hidden from the viewer: only from an insurer's staff
    (`viewer_org_id` given), and only for a party their company does not insure."""
    return viewer_org_id is not None and insurer_org_id != viewer_org_id


def _keep(value: str, head: int, tail: int, hidden_at_least: int) -> str:
    if len(value) - head - tail < hidden_at_least:  # too short to hide enough in the middle
        head, tail = 0, min(tail, len(value) // 4)
    hidden = len(value) - head - tail
    return value[:head] + MASK * hidden + (value[len(value) - tail :] if tail else "")


@overload
def mask_id_number(value: str) -> str: ...
@overload
def mask_id_number(value: None) -> None: ...
def mask_id_number(value: str | None) -> str | None:
    """``370502199001011234`` -> ``370502********1234``; None and "" stay as they are."""
    if not value:
        return value
    return _keep(value.strip(), _ID_HEAD, _ID_TAIL, _ID_HIDDEN)


@overload
def mask_licence_number(value: str) -> str: ...
@overload
def mask_licence_number(value: None) -> None: ...
def mask_licence_number(value: str | None) -> str | None:
    """A driving licence number is the holder's ID number: masked the same way."""
    return mask_id_number(value)


@overload
def mask_phone(value: str) -> str: ...
@overload
def mask_phone(value: None) -> None: ...
def mask_phone(value: str | None) -> str | None:
    """``13905461111`` -> ``*******1111``; None and "" stay as they are."""
    if not value:
        return value
    return _keep(value.strip(), 0, _PHONE_TAIL, _PHONE_HIDDEN)


def mask_event_details(
    details: Mapping[str, Any], *, keep_phones: Collection[str] = ()
) -> dict[str, Any]:
    """A case event's details as an insurer may read them: phone numbers masked except the
    company's own insured's (`keep_phones`), identity numbers masked, tokens hidden."""
    return {key: _shown(key, value, keep_phones) for key, value in details.items()}


def _shown(key: str, value: Any, keep_phones: Collection[str]) -> Any:
    if not isinstance(value, str) or not value:
        return value
    if key in _PHONE_KEYS:
        return value if value in keep_phones else mask_phone(value)
    if key in _ID_KEYS:
        return mask_id_number(value)
    if key in _SECRET_KEYS:
        return MASK * len(value)
    return value
