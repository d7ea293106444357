"""Parties' uploads for tests: real JPEGs, a full photo set, two parties, record answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import cv2
import numpy as np

from console.domain.lifecycle import CaseState
from console.hall.cases import NewCase, create_case, move_case
from console.hall.intake import IncomingParty, IncomingPhoto, IncomingSubmission
from console.hall.review import LookupAnswer
from console.integrations.photo_check import check_photo
from tests.hall.conftest import Hall

OCCURRED = datetime.now(UTC) - timedelta(minutes=20)


def jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return bytes(data.tobytes())


def photo(
    ref: str, kind: str, letter: str | None, data: bytes, claimed: str = "image/jpeg"
) -> IncomingPhoto:
    checked = check_photo(data)
    return IncomingPhoto(
        ref=ref,
        kind=kind,
        party_letter=letter,
        content=data if checked.ok else None,
        mime=checked.mime,
        width=checked.width,
        height=checked.height,
        claimed_mime=claimed,
        size=len(data),
        refusal=checked.reason,
        detail=checked.detail,
    )


def full_set(prefix: str = "p") -> list[IncomingPhoto]:
    kinds = [
        ("scene_front_side", None),
        ("scene_rear_side", None),
        ("collision_point", None),
        ("driving_licence", "A"),
        ("vehicle_registration", "A"),
        ("driving_licence", "B"),
        ("vehicle_registration", "B"),
    ]
    return [photo(f"{prefix}{i}", kind, letter, jpeg(i)) for i, (kind, letter) in enumerate(kinds)]


PARTIES = (
    IncomingParty(
        "A",
        "刘一",
        "13905461111",
        licence_number="370502199001011234",
        plate_no="鲁E3K821",
        plate_type="02",
        vehicle_type="K33",
        insurer_code="PICC",
        policy_no="PDZA2026370500001234",
    ),
    IncomingParty(
        "B",
        "陈二",
        "13905462222",
        licence_number="370502199202022345",
        plate_no="鲁EF12345",
        plate_type="52",
        vehicle_type="K33",
    ),
)


def submission(ext: str, photos: list[IncomingPhoto], **fields: object) -> IncomingSubmission:
    return IncomingSubmission(
        external_id=ext,
        channel="12123",
        submitted_at=datetime.now(UTC),
        occurred_at=OCCURRED,
        parties=PARTIES,
        photos=photos,
        place_text="东营区府前大街",
        injuries=False,
        movable=True,
        **fields,  # type: ignore[arg-type]
    )


def collecting_case(hall: Hall) -> tuple[int, str]:
    change = create_case(
        hall.session_factory,
        hall["reception"],
        NewCase(
            source="call",
            occurred_at=OCCURRED,
            place_text="东营区府前大街",
            caller_phone="13905461111",
            injuries=False,
            movable=True,
        ),
    )
    move_case(
        hall.session_factory,
        hall["reception"],
        change.case_id,
        CaseState.COLLECTING,
        expected_version=None,
    )
    return change.case_id, change.case_no


def answers(
    letter: str, *, licence_until: date | None = None, insured: bool = True
) -> list[LookupAnswer]:
    now = datetime.now(UTC)
    today = OCCURRED.date()
    return [
        LookupAnswer(
            letter,
            "licence",
            {
                "valid_until": (licence_until or today + timedelta(days=900)).isoformat(),
                "status": "normal",
                "classes": "C1",
            },
            "sim",
            now,
        ),
        LookupAnswer(
            letter,
            "registration",
            {
                "registration_valid_until": None,
                "inspection_valid_until": (today + timedelta(days=300)).isoformat(),
                "status": ["normal"],
                "vehicle_type": "K33",
            },
            "sim",
            now,
        ),
        LookupAnswer(
            letter,
            "insurance",
            {
                "compulsory": {
                    "policy_no": f"P{letter}",
                    "insurer_code": "PICC",
                    "valid_from": (today - timedelta(days=100)).isoformat(),
                    "valid_until": (today + timedelta(days=265)).isoformat(),
                }
                if insured
                else None
            },
            "sim",
            now,
        ),
    ]
