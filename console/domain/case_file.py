"""A case file as exported by the lookup seat (issue 9): the summary, the timeline and the
evidence list with each item's SHA-256, ready for a renderer (`console.reports.case_file`).
Personal data in it is already masked as the exporting position sees it. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

TITLE: Final = "道路交通事故案卷"


@dataclass(frozen=True, slots=True)
class CaseFileParty:
    letter: str
    name: str
    plate_no: str
    phone: str
    id_or_licence: str
    insurer: str
    grade: str


@dataclass(frozen=True, slots=True)
class CaseFileEntry:
    """One line of the timeline: an event, a call, a letter, a claim step, a complaint."""

    at: datetime  # aware
    what: str
    who: str  # user name, or "" for the hall's own doing
    seat: str


@dataclass(frozen=True, slots=True)
class CaseFileEvidence:
    """A photo, a letter PDF or footage: what it is, when it came and its SHA-256."""

    kind: str
    label: str
    at: datetime  # aware
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class CaseFileContent:
    case_no: str
    state: str
    occurred_at: datetime
    place: str
    district: str
    summary: tuple[tuple[str, str], ...]  # (label, value), in print order
    parties: tuple[CaseFileParty, ...]
    timeline: tuple[CaseFileEntry, ...]  # oldest first
    evidence: tuple[CaseFileEvidence, ...]
    exported_at: datetime  # aware
    exported_by: str
    seat: str
    title: str = TITLE
