"""Video evidence on SQLite and PostgreSQL: a snapshot or clip is stored once by SHA-256 with
an evidence row and a case event in one transaction; verification hashes the stored bytes
again and catches a single flipped byte; insurer staff cannot attach."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from console.db.models import Attachment, AuditLogEntry, Case, CaseEvent, Evidence
from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState
from console.hall.cameras import import_cameras
from console.hall.errors import NotFound, PermissionDenied
from console.hall.evidence import (
    attach_clip,
    attach_snapshot,
    evidence_content,
    list_evidence,
    verify_evidence,
)
from tests.hall.conftest import Hall, bulk_cases

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(64)
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
CAMERAS = """id,name,district,road,direction,lat,lon,group,main_url,sub_url
DY01,东营区 西四路与南一路路口 东向西,东营区,西四路,东向西,37.44702,118.47951,西四路南一路卡口,rtsp://admin:pw@10.0.0.1/101,
DY02,东营区 西四路与南一路路口 西向东,东营区,西四路,西向东,37.44706,118.47956,西四路南一路卡口,rtsp://admin:pw@10.0.0.2/101,
"""
AT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)


@pytest.fixture
def case_id(hall: Hall) -> int:
    report = import_cameras(hall.session_factory, hall["supervisor"], CAMERAS)
    assert report.ok
    (case,) = bulk_cases(hall.session_factory, 1, CaseState.UNDER_REVIEW)
    return case


def case_version(hall: Hall, case_id: int) -> int:
    with hall.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.version


def test_a_snapshot_is_stored_by_hash_with_its_row_and_case_event(hall: Hall, case_id: int) -> None:
    version = case_version(hall, case_id)
    done = attach_snapshot(
        hall.session_factory, hall["patrol"], case_id, camera_id="DY01", png_bytes=PNG, taken_at=AT
    )
    assert done.sha256 == hashlib.sha256(PNG).hexdigest()
    assert (done.size, done.change.case_id, done.change.version) == (len(PNG), case_id, version)
    assert case_version(hall, case_id) == version, "footage does not make other seats' views stale"
    with hall.session_factory() as session:
        event = session.get(CaseEvent, done.change.event_id)
        blob = session.get(Attachment, done.sha256)
    assert event is not None and event.kind == "evidence_attached"
    assert (event.actor_id, event.seat, event.position) == (
        hall["patrol"].user_id,
        hall["patrol"].seat,
        "patrol",
    )
    assert event.details["evidence_id"] == done.evidence_id
    assert event.details["camera_id"] == "DY01" and event.details["sha256"] == done.sha256
    assert blob is not None and (blob.mime, blob.size, bytes(blob.content)) == (
        "image/png",
        len(PNG),
        PNG,
    )

    (item,) = list_evidence(hall.session_factory, case_id)
    assert (item.id, item.kind, item.camera_id, item.camera_name) == (
        done.evidence_id,
        "snapshot",
        "DY01",
        "东营区 西四路与南一路路口 东向西",
    )
    assert (item.start_at, item.end_at, item.sha256, item.size, item.mime) == (
        AT,
        AT,
        done.sha256,
        len(PNG),
        "image/png",
    )
    assert (item.taken_by, item.taken_by_name) == (hall["patrol"].user_id, "吴巡查")
    assert evidence_content(hall.session_factory, done.evidence_id).content == PNG


def test_a_clip_from_the_recorder_file_or_from_memory(
    hall: Hall, case_id: int, tmp_path: Path
) -> None:
    recorded = tmp_path / "clip.mp4"
    recorded.write_bytes(MP4)
    start, end = AT, AT + timedelta(seconds=30)
    from_file = attach_clip(
        hall.session_factory, hall["officer"], case_id,
        camera_id="DY02", clip=recorded, start_at=start, end_at=end, mime="video/mp4",
    )  # fmt: skip
    from_memory = attach_clip(
        hall.session_factory, hall["supervisor"], case_id,
        camera_id="DY01", clip=MP4, start_at=start, end_at=end, mime="Video/MP4",
    )  # fmt: skip
    assert from_file.sha256 == from_memory.sha256 == hashlib.sha256(MP4).hexdigest()
    items = list_evidence(hall.session_factory, case_id)
    assert [(i.kind, i.camera_id, i.start_at, i.end_at, i.mime) for i in items] == [
        ("clip", "DY02", start, end, "video/mp4"),
        ("clip", "DY01", start, end, "video/mp4"),
    ]
    with hall.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1, "stored once"
        assert session.scalar(select(func.count()).select_from(Evidence)) == 2


def test_verification_passes_and_one_flipped_byte_fails_it(hall: Hall, case_id: int) -> None:
    done = attach_clip(
        hall.session_factory, hall["patrol"], case_id,
        camera_id="DY01", clip=MP4, start_at=AT, end_at=AT + timedelta(seconds=10),
        mime="video/mp4",
    )  # fmt: skip
    good = verify_evidence(hall.session_factory, hall["lookup"], done.evidence_id)
    assert good.ok
    assert good.actual_sha256 == good.expected_sha256 == done.sha256

    tampered = bytearray(MP4)
    tampered[len(MP4) // 2] ^= 0x01
    with hall.session_factory() as session, session.begin():
        session.execute(
            update(Attachment)
            .where(Attachment.sha256 == done.sha256)
            .values(content=bytes(tampered))
        )
    bad = verify_evidence(hall.session_factory, hall["supervisor"], done.evidence_id)
    assert not bad.ok
    assert bad.expected_sha256 == done.sha256
    assert bad.actual_sha256 == hashlib.sha256(bytes(tampered)).hexdigest()
    assert bad.actual_size == bad.expected_size == len(MP4)
    with hall.session_factory() as session:
        audits = session.execute(
            select(AuditLogEntry.action, AuditLogEntry.target, AuditLogEntry.details)
            .where(AuditLogEntry.action == "evidence_verified")
            .order_by(AuditLogEntry.id)
        ).all()
    assert [(a, t, d["ok"]) for a, t, d in audits] == [
        ("evidence_verified", f"evidence:{done.evidence_id}", True),
        ("evidence_verified", f"evidence:{done.evidence_id}", False),
    ]
    with pytest.raises(NotFound) as missing:
        verify_evidence(hall.session_factory, hall["patrol"], 999_999)
    assert missing.value.code == "evidence.not_found"


def test_insurer_staff_cannot_attach_or_verify(hall: Hall, case_id: int) -> None:
    claims = hall["claims"]
    with pytest.raises(PermissionDenied) as refused:
        attach_snapshot(
            hall.session_factory, claims, case_id, camera_id="DY01", png_bytes=PNG, taken_at=AT
        )
    assert refused.value.params == {"position": "claims", "action": "attach_evidence"}
    with pytest.raises(PermissionDenied):
        attach_clip(
            hall.session_factory, claims, case_id,
            camera_id="DY01", clip=MP4, start_at=AT, end_at=AT, mime="video/mp4",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        attach_snapshot(
            hall.session_factory, hall["lookup"], case_id,
            camera_id="DY01", png_bytes=PNG, taken_at=AT,
        )  # fmt: skip
    done = attach_snapshot(
        hall.session_factory, hall["review"], case_id, camera_id="DY01", png_bytes=JPEG, taken_at=AT
    )
    with pytest.raises(PermissionDenied) as refused:
        verify_evidence(hall.session_factory, claims, done.evidence_id)
    assert refused.value.params["action"] == "verify_evidence"
    assert [i.mime for i in list_evidence(hall.session_factory, case_id)] == ["image/jpeg"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"end_at": AT - timedelta(seconds=1)}, "evidence.bad_range"),
        ({"end_at": datetime.now(UTC) + timedelta(hours=1)}, "evidence.in_future"),
        ({"mime": "application/octet-stream"}, "evidence.bad_mime"),
        ({"clip": b""}, "evidence.empty"),
    ],
)
def test_a_clip_that_makes_no_sense_is_refused(
    hall: Hall, case_id: int, changes: dict[str, object], code: str
) -> None:
    values: dict[str, object] = {
        "camera_id": "DY01",
        "clip": MP4,
        "start_at": AT,
        "end_at": AT + timedelta(seconds=5),
        "mime": "video/mp4",
    }
    values.update(changes)
    with pytest.raises(RuleViolation) as refused:
        attach_clip(hall.session_factory, hall["patrol"], case_id, **values)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert list_evidence(hall.session_factory, case_id) == []


def test_unknown_cameras_cases_and_non_images_are_refused(hall: Hall, case_id: int) -> None:
    patrol = hall["patrol"]
    with pytest.raises(RuleViolation) as refused:
        attach_snapshot(
            hall.session_factory, patrol, case_id, camera_id="DY01", png_bytes=MP4, taken_at=AT
        )
    assert refused.value.code == "evidence.not_image"
    with pytest.raises(NotFound) as missing:
        attach_snapshot(
            hall.session_factory, patrol, case_id, camera_id="NOPE", png_bytes=PNG, taken_at=AT
        )
    assert missing.value.code == "camera.not_found"
    with pytest.raises(NotFound) as missing:
        attach_snapshot(
            hall.session_factory, patrol, 999_999, camera_id="DY01", png_bytes=PNG, taken_at=AT
        )
    assert missing.value.code == "case.not_found"
    with pytest.raises(NotFound):
        list_evidence(hall.session_factory, 999_999)
    with pytest.raises(ValueError, match="naive"):
        attach_snapshot(
            hall.session_factory, patrol, case_id,
            camera_id="DY01", png_bytes=PNG, taken_at=AT.replace(tzinfo=None),
        )  # fmt: skip
    with hall.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0, (
            "a refused attach leaves no orphan blob"
        )
