"""Footage fixed as evidence: a snapshot or a clip from a registry camera, attached to a case.

DOMAIN.md "Video": evidence is stored with camera, time range, who exported it, the case and
its SHA-256. The bytes go into the content-addressed attachments table (as letters do), the
evidence row names them by hash, and the case gets an `evidence_attached` event, all in one
transaction. `verify_evidence` hashes the stored bytes again, so a party disputing the footage
(or an auditor) can be shown that the file is the one fixed at the time.

Attaching evidence does not raise the case version: an officer determining the case while the
patrol seat adds footage must not find their view stale. The event still reaches every seat.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.db.models import Attachment, Camera, Case, Evidence, User
from console.domain.errors import RuleViolation
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.cases import CaseChange, change_of, load_case
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, record_event, utcnow, write
from console.hall.visibility import case_visible, require_case_visible

__all__ = [
    "EVIDENCE_CHECKERS",
    "EVIDENCE_TAKERS",
    "EvidenceAttached",
    "EvidenceBlob",
    "EvidenceItem",
    "VerifyResult",
    "attach_clip",
    "attach_snapshot",
    "evidence_content",
    "list_evidence",
    "verify_evidence",
]

log = logging.getLogger("console.hall")

P = Position

# Who may fix footage to a case: the patrol seat that watches the wall, and the police seats
# that handle the case. Insurer staff (claims) see footage only through the case file.
EVIDENCE_TAKERS: Final = frozenset({P.PATROL, P.REVIEW, P.DETERMINATION, P.SUPERVISOR})
# Verifying changes nothing but is audited; the lookup seat answers disputes about old cases.
EVIDENCE_CHECKERS: Final = EVIDENCE_TAKERS | {P.LOOKUP}

MAX_SNAPSHOT_BYTES: Final = 20 * 1024 * 1024
# A clip is one value in the database (PostgreSQL bytea tops out at 1 GB); five minutes of
# 1080p H.264 at the platform's 8 Mbit/s is about 300 MB.
MAX_CLIP_BYTES: Final = 400 * 1024 * 1024
# Desk clocks drift from the platform's; footage "from the future" beyond this is a mistake.
CLOCK_SKEW: Final = timedelta(minutes=5)
_IMAGE_MAGIC: Final = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


@dataclass(frozen=True, slots=True)
class EvidenceAttached:
    """What attaching changed: the case (for the queue row) and the new evidence."""

    change: CaseChange
    evidence_id: int
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: int
    case_id: int
    camera_id: str
    camera_name: str
    kind: str  # snapshot, clip
    start_at: datetime
    end_at: datetime
    sha256: str
    size: int
    mime: str
    taken_by: int
    taken_by_name: str
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceBlob:
    evidence_id: int
    sha256: str
    mime: str
    content: bytes


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """`ok` when the stored bytes still hash to the SHA-256 recorded when they were fixed."""

    evidence_id: int
    expected_sha256: str
    actual_sha256: str | None  # None: the bytes are gone
    expected_size: int
    actual_size: int
    ok: bool


def _require(actor: Actor, allowed: Collection[Position], action: str) -> None:
    if actor.position not in allowed:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.replace('_', ' ')}",
            position=actor.position.value,
            action=action,
        )


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} {value!r} is naive; pass an aware datetime (UTC)")
    return value


def _check_times(start_at: datetime, end_at: datetime, now: datetime) -> None:
    _aware(start_at, "start_at")
    _aware(end_at, "end_at")
    if end_at < start_at:
        raise RuleViolation(
            "evidence.bad_range",
            f"The footage ends ({end_at.isoformat()}) before it starts ({start_at.isoformat()})",
            start=start_at,
            end=end_at,
        )
    if end_at > now + CLOCK_SKEW:
        raise RuleViolation(
            "evidence.in_future",
            f"The footage ends at {end_at.isoformat()}, later than now; check the desk's clock",
            end=end_at,
        )


def _check_size(size: int, limit: int) -> None:
    if size == 0:
        raise RuleViolation("evidence.empty", "The footage file is empty")
    if size > limit:
        mb = 1024 * 1024
        raise RuleViolation(
            "evidence.too_large",
            f"The footage is {-(-size // mb)} MB; at most {limit // mb} MB can be stored",
            size_mb=-(-size // mb),
            limit_mb=limit // mb,
        )


def _store_blob(session: Session, content: bytes, mime: str, at: datetime) -> str:
    """Store the bytes once by their SHA-256 (the same frame attached to two cases is one row)."""
    digest = hashlib.sha256(content).hexdigest()
    builder = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    session.execute(
        builder(Attachment)
        .values(sha256=digest, size=len(content), mime=mime, content=content, created_at=at)
        .on_conflict_do_nothing(index_elements=[Attachment.sha256])
    )
    return digest


def _attach(
    session_factory: SessionFactory,
    actor: Actor,
    *,
    case_id: int,
    camera_id: str,
    kind: str,
    content: bytes,
    mime: str,
    start_at: datetime,
    end_at: datetime,
    now: datetime,
) -> EvidenceAttached:
    with write(session_factory) as session:
        # No row lock: the case row is only read, and its version stays as it is.
        case = load_case(session, case_id, lock=False)
        camera = session.get(Camera, camera_id)
        if camera is None:
            raise NotFound(
                "camera.not_found", f"Camera {camera_id} does not exist", camera_id=camera_id
            )
        digest = _store_blob(session, content, mime, now)
        evidence = Evidence(
            case_id=case.id,
            camera_id=camera.id,
            kind=kind,
            start_at=start_at,
            end_at=end_at,
            sha256=digest,
            taken_by=actor.user_id,
            taken_at=now,
        )
        session.add(evidence)
        session.flush()
        event_id = record_event(
            session,
            actor,
            case.id,
            "evidence_attached",
            at=now,
            details={
                "evidence_id": evidence.id,
                "kind": kind,
                "camera_id": camera.id,
                "camera_name": camera.name,
                "start_at": start_at.isoformat(),
                "end_at": end_at.isoformat(),
                "sha256": digest,
                "size": len(content),
            },
        )
        return EvidenceAttached(change_of(case, event_id), evidence.id, digest, len(content))


def attach_snapshot(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    camera_id: str,
    png_bytes: bytes,
    taken_at: datetime,
) -> EvidenceAttached:
    """Fix one frame (PNG, or JPEG as some platforms deliver) captured at `taken_at` to the
    case; its time range is that instant."""
    _require(actor, EVIDENCE_TAKERS, "attach_evidence")
    now = utcnow()
    _check_times(taken_at, taken_at, now)
    _check_size(len(png_bytes), MAX_SNAPSHOT_BYTES)
    mime = next((m for magic, m in _IMAGE_MAGIC if png_bytes.startswith(magic)), None)
    if mime is None:
        raise RuleViolation("evidence.not_image", "The snapshot is not a PNG or JPEG image")
    return _attach(
        session_factory,
        actor,
        case_id=case_id,
        camera_id=camera_id,
        kind="snapshot",
        content=png_bytes,
        mime=mime,
        start_at=taken_at,
        end_at=taken_at,
        now=now,
    )


def attach_clip(
    session_factory: SessionFactory,
    actor: Actor,
    case_id: int,
    *,
    camera_id: str,
    clip: bytes | Path,
    start_at: datetime,
    end_at: datetime,
    mime: str,
) -> EvidenceAttached:
    """Fix a recorded clip (bytes, or the recorder's file) covering start_at..end_at to the
    case. A file is read whole before the transaction opens, so no lock waits on the disk."""
    _require(actor, EVIDENCE_TAKERS, "attach_evidence")
    now = utcnow()
    _check_times(start_at, end_at, now)
    kind = mime.strip().lower()
    if not kind.startswith("video/") or len(kind) > 64:
        raise RuleViolation(
            "evidence.bad_mime", f"{mime!r} is not a video type such as video/mp4", mime=mime
        )
    if isinstance(clip, Path):
        _check_size(clip.stat().st_size, MAX_CLIP_BYTES)  # before reading a huge file whole
        content = clip.read_bytes()
    else:
        content = bytes(clip)
    _check_size(len(content), MAX_CLIP_BYTES)
    return _attach(
        session_factory,
        actor,
        case_id=case_id,
        camera_id=camera_id,
        kind="clip",
        content=content,
        mime=kind,
        start_at=start_at,
        end_at=end_at,
        now=now,
    )


def list_evidence(
    session_factory: SessionFactory, case_id: int, *, insurer_org_id: int | None = None
) -> list[EvidenceItem]:
    """The case's footage in the order it was fixed; an insurer's seat (`insurer_org_id`) is
    refused another company's case as not found."""
    with session_factory() as session:
        require_case_visible(session, case_id, insurer_org_id)
        if session.get(Case, case_id) is None:
            raise NotFound("case.not_found", f"Case {case_id} does not exist", case_id=case_id)
        rows = session.execute(
            select(Evidence, Camera.name, Attachment.size, Attachment.mime, User.display_name)
            .join(Camera, Camera.id == Evidence.camera_id)
            .join(Attachment, Attachment.sha256 == Evidence.sha256)
            .join(User, User.id == Evidence.taken_by)
            .where(Evidence.case_id == case_id)
            .order_by(Evidence.taken_at, Evidence.id)
        )
        return [
            EvidenceItem(
                id=e.id,
                case_id=e.case_id,
                camera_id=e.camera_id,
                camera_name=camera_name,
                kind=e.kind,
                start_at=e.start_at,
                end_at=e.end_at,
                sha256=e.sha256,
                size=size,
                mime=mime,
                taken_by=e.taken_by,
                taken_by_name=taken_by_name,
                taken_at=e.taken_at,
            )
            for e, camera_name, size, mime, taken_by_name in rows
        ]


def evidence_content(
    session_factory: SessionFactory, evidence_id: int, *, insurer_org_id: int | None = None
) -> EvidenceBlob:
    """The stored bytes, for playback or to hand over on a disc; with `insurer_org_id`, only
    footage of that company's cases."""
    query = (
        select(Evidence.sha256, Attachment.mime, Attachment.content)
        .join(Attachment, Attachment.sha256 == Evidence.sha256)
        .where(Evidence.id == evidence_id)
    )
    if insurer_org_id is not None:
        query = query.where(case_visible(Evidence.case_id, insurer_org_id))
    with session_factory() as session:
        found = session.execute(query).one_or_none()
    if found is None:
        raise NotFound(
            "evidence.not_found", f"Evidence {evidence_id} does not exist", evidence_id=evidence_id
        )
    digest, mime, content = found
    return EvidenceBlob(evidence_id, digest, mime, bytes(content))


def verify_evidence(
    session_factory: SessionFactory, actor: Actor, evidence_id: int
) -> VerifyResult:
    """Hash the stored bytes again and compare with the hash recorded when they were fixed.
    The check and its outcome are audited; a mismatch is also logged as a warning."""
    _require(actor, EVIDENCE_CHECKERS, "verify_evidence")
    now = utcnow()
    with write(session_factory) as session:
        found = session.execute(
            select(Evidence.sha256, Evidence.case_id, Attachment.size, Attachment.content)
            .outerjoin(Attachment, Attachment.sha256 == Evidence.sha256)
            .where(Evidence.id == evidence_id)
        ).one_or_none()
        if found is None:
            raise NotFound(
                "evidence.not_found",
                f"Evidence {evidence_id} does not exist",
                evidence_id=evidence_id,
            )
        expected, case_id, expected_size, content = found
        actual = hashlib.sha256(content).hexdigest() if content is not None else None
        result = VerifyResult(
            evidence_id=evidence_id,
            expected_sha256=expected,
            actual_sha256=actual,
            expected_size=expected_size or 0,
            actual_size=len(content) if content is not None else 0,
            ok=actual == expected and len(content or b"") == expected_size,
        )
        record_audit(
            session,
            actor,
            "evidence_verified",
            f"evidence:{evidence_id}",
            at=now,
            details={"case_id": case_id, "ok": result.ok, "actual_sha256": actual},
        )
    if not result.ok:
        log.warning(
            "evidence %s of case %s fails verification: recorded %s, stored bytes hash to %s",
            evidence_id,
            case_id,
            expected,
            actual,
        )
    return result
