"""Masking an insurer's view of the other parties: what is kept of an ID, a licence, a phone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.masking import (
    MASK,
    mask_event_details,
    mask_id_number,
    mask_licence_number,
    mask_phone,
    must_mask,
)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("370502199001011234", "370502********1234"),  # 18 digits: region and last 4 kept
        ("37050219900101123X", "370502********123X"),  # the check character is kept as typed
        ("370502900101123", "************123"),  # old 15 digits: ends kept would hide 5 only
        ("AB123456", "******56"),  # too short to keep both ends: its last quarter only
        ("", ""),
        (None, None),
    ],
)
def test_an_id_number_keeps_its_region_and_last_four(number: str | None, shown: str | None) -> None:
    assert mask_id_number(number) == shown


def test_a_licence_number_is_masked_like_the_id_number_it_is() -> None:
    assert mask_licence_number("370502199001011234") == "370502********1234"
    assert mask_licence_number(None) is None


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13905461111", "*******1111"),
        ("0546-8221234", "********1234"),
        (" 13905461111 ", "*******1111"),
        ("12345", "****5"),
        ("", ""),
        (None, None),
    ],
)
def test_a_phone_keeps_its_last_four_digits(phone: str | None, shown: str | None) -> None:
    assert mask_phone(phone) == shown


@given(st.text(alphabet="0123456789X", min_size=1, max_size=24))
def test_masking_keeps_the_length_and_hides_enough(number: str) -> None:
    for masked, at_least in ((mask_id_number(number), 8), (mask_phone(number), 4)):
        assert len(masked) == len(number)
        assert masked.count(MASK) >= min(at_least, len(number) - len(number) // 4)
        assert all(m in {MASK, c} for m, c in zip(masked, number, strict=True))


def test_only_an_insurers_view_of_another_companys_party_is_masked() -> None:
    assert must_mask(viewer_org_id=2, insurer_org_id=3)
    assert must_mask(viewer_org_id=2, insurer_org_id=None), "an uninsured party is not its own"
    assert not must_mask(viewer_org_id=2, insurer_org_id=2)
    assert not must_mask(viewer_org_id=None, insurer_org_id=3), "the police see everything"


def test_event_details_hide_numbers_and_tokens_but_keep_the_own_insureds_phone() -> None:
    details = {
        "to": "13905462222",
        "caller_phone": "13905461111",
        "id_number": "370502199001011234",
        "token": "abcdEFGH",
        "outbox_id": 7,
        "note": "13905462222 called back",
    }
    shown = mask_event_details(details, keep_phones={"13905461111"})
    assert shown == {
        "to": "*******2222",
        "caller_phone": "13905461111",
        "id_number": "370502********1234",
        "token": "********",
        "outbox_id": 7,
        "note": "13905462222 called back",  # free text is not searched for numbers
    }
    assert details["to"] == "13905462222", "the input is not changed"
