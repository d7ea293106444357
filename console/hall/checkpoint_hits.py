"""Checkpoint hits: a watch-listed plate read at a checkpoint camera (DOMAIN.md "Insurers":
the sanctioned insurer's insured vehicle is watched until the insurer pays).

`record_hit` stores one read as a `CheckpointHit` row linked to the watch-list entry it
matched, and appends a `checkpoint_hit` event to the case of the entry's complaint, which the
patrol and lookup seats alert on. The follower of the platform's hit log offers a batch again
when it was not taken, and every seat may follow the same log, so recording is idempotent by
the platform's hit: the same entry, camera and instant is the same read. (The table has no
column for the platform's `hit_id` yet; it is kept in the event's details.) The entry's row is
locked while looking, so two seats recording the same hit at once store it once.

The hall names each entry on the platform `watchlist-{id}` (`watchlist_ref`), so a hit finds
its entry by the reference it carries; a reference the hall did not make falls back to the
active entry for the same plate.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.db.models import Camera, CheckpointHit, Complaint, WatchlistEntry
from console.hall.errors import NotFound
from console.hall.journal import SessionFactory, record_event, write

log = logging.getLogger("console.hall")

EVENT_KIND: Final = "checkpoint_hit"
_REF = re.compile(r"watchlist-([1-9][0-9]{0,17})")


def watchlist_ref(entry_id: int) -> str:
    """The hall's reference for watch-list entry `entry_id` on the checkpoint platform."""
    return f"watchlist-{entry_id}"


def entry_id_of(ref: str) -> int | None:
    """The entry id in a reference `watchlist_ref` made, or None for any other reference."""
    found = _REF.fullmatch(ref)
    return int(found.group(1)) if found else None


class PlateRead(Protocol):
    """One hit as the checkpoint platform reports it (the gateway client's `CheckpointHit`)."""

    @property
    def hit_id(self) -> str: ...
    @property
    def camera_id(self) -> str: ...
    @property
    def plate_type(self) -> str: ...
    @property
    def plate_no(self) -> str: ...
    @property
    def seen_at(self) -> datetime: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def watchlist_ref(self) -> str: ...


@dataclass(frozen=True, slots=True)
class HitRecorded:
    """A read newly stored: what an alert shows and where its one-key jump goes."""

    hit_row_id: int
    hit_id: str
    camera_id: str
    plate_no: str
    seen_at: datetime
    watchlist_entry_id: int
    complaint_id: int | None
    case_id: int | None


def _entry_for(session: Session, read: PlateRead) -> WatchlistEntry:
    entry_id = entry_id_of(read.watchlist_ref)
    entry = (
        session.get(WatchlistEntry, entry_id, with_for_update=True)
        if entry_id is not None
        else None
    )
    if entry is None or entry.plate_no != read.plate_no:
        entry = session.scalars(
            select(WatchlistEntry)
            .where(
                WatchlistEntry.plate_no == read.plate_no,
                WatchlistEntry.plate_type == read.plate_type,
            )
            .order_by(WatchlistEntry.lifted_at.is_not(None), WatchlistEntry.id.desc())
            .limit(1)
            .with_for_update()
        ).first()
    if entry is None:
        raise NotFound(
            "checkpoint.unknown_entry",
            f"Plate {read.plate_no} is on no watch-list entry of the hall",
            plate_no=read.plate_no,
        )
    return entry


def record_hit_details(session_factory: SessionFactory, read: PlateRead) -> HitRecorded | None:
    """Store one read and its case event; None if it was stored before. `NotFound` for a
    camera the registry lacks or a plate the hall never listed."""
    with write(session_factory) as session:
        if session.get(Camera, read.camera_id) is None:
            raise NotFound(
                "checkpoint.unknown_camera",
                f"Camera {read.camera_id} is not in the camera registry",
                camera_id=read.camera_id,
            )
        entry = _entry_for(session, read)
        known = session.scalar(
            select(CheckpointHit.id).where(
                CheckpointHit.watchlist_entry_id == entry.id,
                CheckpointHit.camera_id == read.camera_id,
                CheckpointHit.seen_at == read.seen_at,
            )
        )
        if known is not None:
            return None
        row = CheckpointHit(
            camera_id=read.camera_id,
            plate_type=read.plate_type,
            plate_no=read.plate_no,
            seen_at=read.seen_at,
            watchlist_entry_id=entry.id,
        )
        session.add(row)
        session.flush()
        complaint = (
            session.get(Complaint, entry.complaint_id) if entry.complaint_id is not None else None
        )
        case_id = complaint.case_id if complaint is not None else None
        if case_id is not None:
            record_event(
                session,
                None,
                case_id,
                EVENT_KIND,
                at=read.seen_at,
                details={
                    "hit_id": read.hit_id,
                    "checkpoint_hit_id": row.id,
                    "camera_id": read.camera_id,
                    "plate_type": read.plate_type,
                    "plate_no": read.plate_no,
                    "seen_at": read.seen_at.isoformat(),
                    "direction": read.direction,
                    "watchlist_entry_id": entry.id,
                    "complaint_id": entry.complaint_id,
                },
            )
        return HitRecorded(
            row.id,
            read.hit_id,
            read.camera_id,
            read.plate_no,
            read.seen_at,
            entry.id,
            entry.complaint_id,
            case_id,
        )


def record_hit(session_factory: SessionFactory, read: PlateRead) -> bool:
    """Store one read (a `CheckpointHit` row and a `checkpoint_hit` event on the complaint's
    case); False if it was stored before."""
    return record_hit_details(session_factory, read) is not None


def record_hits(session_factory: SessionFactory, reads: Iterable[PlateRead]) -> list[HitRecorded]:
    """Store a batch from the hit log; returns the reads new to the hall (for the alert). A
    read the hall cannot place (unknown camera or plate) is logged and skipped rather than
    holding up the log; a database failure raises, so the follower offers the batch again."""
    recorded: list[HitRecorded] = []
    for read in reads:
        try:
            done = record_hit_details(session_factory, read)
        except NotFound as exc:
            log.warning("checkpoint hit %s not recorded: %s", read.hit_id, exc)
            continue
        if done is not None:
            recorded.append(done)
    return recorded


def watchlist_entry_lifted(session_factory: SessionFactory, entry_id: int) -> bool:
    """Whether the hall has lifted the entry (the payment came): an add still waiting in the
    outbox must not put the plate back on the list."""
    with session_factory() as session:
        lifted = session.scalar(
            select(WatchlistEntry.lifted_at).where(WatchlistEntry.id == entry_id)
        )
        return lifted is not None
