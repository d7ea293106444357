"""The parties' uploads and the record checks, between the gateway and the hall (plain Python;
`console.workers.gateway_link` runs it on threads).

An upload event is fetched whole: the submission, then each photo with a size cap, each
photo judged by its content. A photo the gateway cannot serve right now makes the whole
event fail, so the follower offers it again later (intake is idempotent); a photo that is
bad in itself (too large, corrupt, not an image) is refused with its reason and the rest of
the upload is kept. After intake the parties' licences, vehicles and compulsory insurance
are checked and the answers cached on the case.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from console.domain.deadlines import to_local
from console.hall.intake import (
    IncomingParty,
    IncomingPhoto,
    IncomingSubmission,
    IntakeResult,
    intake_submission,
)
from console.hall.journal import SessionFactory
from console.hall.review import LookupAnswer, record_lookups, record_subjects
from console.integrations.http import GatewayError
from console.integrations.lookups import LookupGateway
from console.integrations.photo_check import PHOTO_LIMIT_BYTES, check_photo
from console.integrations.submissions import (
    PhotoInfo,
    PhotoTooLarge,
    SubmissionEventBatch,
    SubmissionEventKind,
    SubmissionGateway,
    SubmissionInfo,
    SubmissionNotFound,
)

log = logging.getLogger("console.net")

_FETCHED = frozenset(
    {
        SubmissionEventKind.SUBMITTED,
        SubmissionEventKind.PHOTOS_ADDED,
        SubmissionEventKind.RESUBMITTED,
    }
)


def fetch_submission(
    gateway: SubmissionGateway, submission_id: str, *, limit: int = PHOTO_LIMIT_BYTES
) -> IncomingSubmission:
    info = gateway.submission(submission_id)
    photos = []
    for listed in info.photos:

        def incoming(
            content: bytes | None,
            *,
            mime: str | None = None,
            width: int | None = None,
            height: int | None = None,
            size: int | None = None,
            refusal: str | None = None,
            detail: str = "",
            listed: PhotoInfo = listed,
        ) -> IncomingPhoto:
            return IncomingPhoto(
                ref=listed.photo_id,
                kind=str(listed.kind.value),
                party_letter=listed.party_letter,
                content=content,
                mime=mime,
                width=width,
                height=height,
                claimed_mime=listed.mime,
                size=size,
                refusal=refusal,
                detail=detail,
            )

        try:
            data = gateway.photo_bytes(info.submission_id, listed.photo_id, max_bytes=limit)
        except PhotoTooLarge as exc:
            photos.append(
                incoming(
                    None, size=exc.declared or exc.received, refusal="too_large", detail=str(exc)
                )
            )
            continue
        except SubmissionNotFound as exc:
            photos.append(incoming(None, refusal="unreadable", detail=str(exc)))
            continue
        checked = check_photo(data, limit=limit)
        photos.append(
            incoming(
                data if checked.ok else None,
                mime=checked.mime,
                width=checked.width,
                height=checked.height,
                size=len(data),
                refusal=checked.reason,
                detail=checked.detail,
            )
        )
    return IncomingSubmission(
        external_id=info.submission_id,
        channel=info.channel,
        submitted_at=info.submitted_at,
        occurred_at=info.occurred_at,
        parties=[
            IncomingParty(
                letter=p.letter,
                name=p.name,
                phone=p.phone,
                id_number=p.id_number,
                licence_number=p.licence_number,
                licence_class=p.licence_class,
                plate_no=p.plate_no,
                plate_type=p.plate_type,
                vehicle_type=p.vehicle_type,
                insurer_code=p.insurer_code,
                policy_no=p.policy_no,
            )
            for p in info.parties
        ],
        photos=photos,
        case_no=info.case_no,
        call_external_id=info.call_id,
        place_text=info.place.text,
        district=info.place.district,
        lat=info.place.lat,
        lon=info.place.lon,
        injuries=info.injuries,
        movable=info.movable,
        data=_summary(info),
    )


def _summary(info: SubmissionInfo) -> dict[str, object]:
    return {
        "channel": info.channel,
        "round": info.round,
        "accident_form": info.accident_form,
        "agreement": (dict(info.agreement.grades) if info.agreement is not None else None),
        "parties": [
            {"letter": p.letter, "insurer_code": p.insurer_code, "policy_no": p.policy_no}
            for p in info.parties
        ],
    }


def check_records(
    lookups: LookupGateway,
    parties: Sequence[IncomingParty],
    occurred_at: datetime,
) -> list[LookupAnswer]:
    """Ask the records about every party; a look-up that fails is an 'unknown' answer with
    the reason, never an exception (the reviewer can ask again with F5)."""
    day = to_local(occurred_at).date()
    answers: list[LookupAnswer] = []

    def now() -> datetime:
        return datetime.now(UTC)

    for party in parties:
        letter = party.letter
        facts: dict[str, Any]
        if party.licence_number:
            try:
                driver = lookups.driver(party.licence_number)
                facts = (
                    {}
                    if driver is None
                    else {
                        "valid_until": driver.valid_until.isoformat(),
                        "status": driver.status.value,
                        "classes": driver.licence_class,
                        "points": driver.points,
                    }
                )
                answers.append(
                    LookupAnswer(
                        letter, "licence", facts, "lookups", now(), not_found=driver is None
                    )
                )
            except GatewayError as exc:
                answers.append(
                    LookupAnswer(letter, "licence", {}, "lookups", now(), error=str(exc))
                )
        if party.plate_no and party.plate_type:
            try:
                vehicle = lookups.vehicle(party.plate_no, party.plate_type)
                facts = (
                    {}
                    if vehicle is None
                    else {
                        "registration_valid_until": _iso(vehicle.registration_valid_until),
                        "inspection_valid_until": _iso(vehicle.inspection_valid_until),
                        "status": list(vehicle.status),
                        "vehicle_type": vehicle.vehicle_type,
                    }
                )
                answers.append(
                    LookupAnswer(
                        letter, "registration", facts, "lookups", now(), not_found=vehicle is None
                    )
                )
            except GatewayError as exc:
                answers.append(
                    LookupAnswer(letter, "registration", {}, "lookups", now(), error=str(exc))
                )
            try:
                policies = lookups.policies(party.plate_no, party.plate_type, day)
                compulsory = next((p for p in policies if p.compulsory and p.valid_on(day)), None)
                answers.append(
                    LookupAnswer(
                        letter,
                        "insurance",
                        {
                            "compulsory": None
                            if compulsory is None
                            else {
                                "policy_no": compulsory.policy_no,
                                "insurer_code": compulsory.insurer_code,
                                "valid_from": compulsory.valid_from.isoformat(),
                                "valid_until": compulsory.valid_until.isoformat(),
                            }
                        },
                        "lookups",
                        now(),
                    )
                )
            except GatewayError as exc:
                answers.append(
                    LookupAnswer(letter, "insurance", {}, "lookups", now(), error=str(exc))
                )
    return answers


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def take_submission(
    session_factory: SessionFactory,
    gateway: SubmissionGateway,
    lookups: LookupGateway | None,
    submission_id: str,
) -> IntakeResult:
    """Fetch one upload, record it, check the parties' records."""
    incoming = fetch_submission(gateway, submission_id)
    result = intake_submission(session_factory, incoming)
    if lookups is not None:
        answers = check_records(lookups, incoming.parties, incoming.occurred_at)
        if answers:
            record_lookups(session_factory, result.case_id, answers)
    return result


def apply_submission_events(
    session_factory: SessionFactory,
    gateway: SubmissionGateway,
    lookups: LookupGateway | None,
    batch: SubmissionEventBatch,
) -> list[IntakeResult]:
    """Take every upload the batch names, once each. A gateway outage raises (the follower
    offers the batch again); a submission the gateway no longer knows is logged and skipped."""
    results = []
    seen: set[str] = set()
    for event in batch.events:
        if event.kind not in _FETCHED or event.submission_id in seen:
            continue
        seen.add(event.submission_id)
        try:
            results.append(take_submission(session_factory, gateway, lookups, event.submission_id))
        except SubmissionNotFound as exc:
            log.warning("submission %s is gone from the gateway: %s", event.submission_id, exc)
    return results


def recheck_case(session_factory: SessionFactory, lookups: LookupGateway, case_id: int) -> int:
    """F5 at the review seat: ask the records again for the case's parties."""
    occurred, parties = record_subjects(session_factory, case_id)
    answers = check_records(
        lookups,
        [
            IncomingParty(
                letter=p.letter,
                name=p.name,
                phone=p.phone,
                licence_number=p.licence_number,
                plate_no=p.plate_no,
                plate_type=p.plate_type,
            )
            for p in parties
        ],
        occurred,
    )
    if answers:
        record_lookups(session_factory, case_id, answers)
    return len(answers)
