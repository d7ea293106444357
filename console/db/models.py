"""The central schema every seat shares, as SQLAlchemy 2 typed declarative models.

Enumerations (case states, positions, kinds) are stored as plain strings guarded by CHECK
constraints rather than database enum types: adding a value is then a one-line migration on
both SQLite and PostgreSQL. All timestamps are aware UTC (`UtcDateTime`); the GUI converts to
local time for display only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from console.domain.positions import Position

__all__ = [
    "CASE_STATES",
    "CHANGE_FEED_CHANNEL",
    "NAMING_CONVENTION",
    "POSITIONS",
    "Attachment",
    "AuditLogEntry",
    "Base",
    "Call",
    "CallLeg",
    "Camera",
    "Case",
    "CaseAttachment",
    "CaseEvent",
    "CaseHelper",
    "CheckpointHit",
    "Claim",
    "Complaint",
    "Determination",
    "DocCounter",
    "Evidence",
    "Helper",
    "HelperReward",
    "Letter",
    "LookupResult",
    "Organisation",
    "OutboxMessage",
    "Party",
    "Policy",
    "RefusedFile",
    "RescueBoardVersion",
    "RescueTask",
    "RescueUnit",
    "RescueUnitLog",
    "Seat",
    "Submission",
    "User",
    "UserPosition",
    "UtcDateTime",
    "Vehicle",
    "WallLayout",
    "WatchlistEntry",
    "utcnow",
]

# Stable names for every constraint and index, so Alembic migrations can refer to them and
# autogenerate compares like with like on both backends. All stay under PostgreSQL's 63 bytes.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# console.domain.lifecycle.CaseState values; kept literal here so the schema does not move when
# the transition table does. tests/db/test_schema.py checks the two agree.
CASE_STATES: tuple[str, ...] = (
    "new",
    "collecting",
    "under_review",
    "returned",
    "evacuated",
    "agreed",
    "awaiting_determination",
    "determining",
    "determined",
    "disputed",
    "mediating",
    "insurers_notified",
    "claims_open",
    "settled",
    "closed",
    "escalated",
    "offline_referred",
    "revoked",
)
POSITIONS: tuple[str, ...] = tuple(p.value for p in Position)

# PostgreSQL channel the case_events insert trigger (migration 0001) notifies, with payload
# {"id": ..., "case_id": ..., "kind": ...}. Delivered on commit only.
CHANGE_FEED_CHANNEL: Final = "hall_events"

ORG_KINDS = ("police", "insurer", "rescue")
CASE_SOURCES = ("call", "app", "patrol", "walk_in")
PARTY_LETTERS = ("A", "B", "C")
SIGNATURES = ("pending", "signed", "refused")
GRADES = ("full", "main", "equal", "minor", "none")
POLICY_KINDS = ("compulsory", "commercial")
CALL_STATES = ("ringing", "answered", "transferring", "ended", "abandoned")
CALL_LEG_KINDS = ("answer", "transfer")
CLAIM_STAGES = ("notified", "reported", "surveying", "assessed", "paid")
COMPLAINT_STATES = ("open", "contacted", "sanctioned", "paid", "closed")
EVIDENCE_KINDS = ("snapshot", "clip")
RESCUE_UNIT_TYPES = ("tow", "rescue")
RESCUE_UNIT_STATES = ("available", "dispatched", "en_route", "on_scene", "towing", "back")
RESCUE_TASK_STATES = ("requested", "assigned", "arrived", "finished", "cancelled")
OUTBOX_KINDS = ("sms", "insurer_push", "watchlist", "credit_notice", "submission_review")
SMS_DELIVERY_STATES = ("queued", "sent", "delivered", "failed")
PHOTO_KINDS = (
    "scene_front_side",
    "scene_rear_side",
    "collision_point",
    "driving_licence",
    "vehicle_registration",
    "scene_other",
    "damage",
)
SUBMISSION_STATES = ("received", "returned", "approved", "withdrawn")
LOOKUP_CHECKS = ("licence", "registration", "insurance")
LOOKUP_OUTCOMES = ("pass", "fail", "unknown")
OUTBOX_STATES = ("pending", "sent", "dead")


def utcnow() -> datetime:
    """The current instant as aware UTC; the default for every timestamp column."""
    return datetime.now(UTC)


def _one_of(column: str, values: Iterable[str], name: str | None = None) -> CheckConstraint:
    """CHECK that a string column holds one of a fixed set (NULL passes, as SQL has it)."""
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or column)


def _non_negative(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in and comes out as aware UTC on every backend.

    SQLite has no time zone type and returns naive values; PostgreSQL returns values in the
    session's TimeZone. Naive input is refused: it is always a bug (local or UTC? nobody knows).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"naive datetime {value!r} given; pass an aware datetime (UTC)"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Autoincrement keys: BIGINT on PostgreSQL; INTEGER on SQLite, where only "INTEGER PRIMARY KEY"
# aliases the rowid (a BIGINT key would need an explicit value on every insert).
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base holding the one MetaData that models and migrations share."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        date: Date(),
        bool: Boolean(),
        int: Integer(),
        float: Float(),
        Decimal: Numeric(12, 2),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def _pk() -> Mapped[int]:
    return mapped_column(Id, primary_key=True, autoincrement=True)


def _fk(
    target: str, *, nullable: bool = False, ondelete: str | None = None, index: bool = False
) -> Mapped[Any]:
    return mapped_column(Id, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _created() -> Mapped[datetime]:
    return mapped_column(default=utcnow)


# ---------------------------------------------------------------- people and organisations


class Organisation(Base):
    """A police unit, an insurer or a rescue company with staff in the hall."""

    __tablename__ = "organisations"
    __table_args__ = (_one_of("kind", ORG_KINDS),)

    id: Mapped[int] = _pk()
    kind: Mapped[str] = mapped_column(String(24))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    # Letter numbers are "<prefix>[<year>]第<serial>号", e.g. 东公交; police units only.
    unit_prefix: Mapped[str | None] = mapped_column(String(32))
    # PostgreSQL role the staff of this organisation connect as, for row-level security.
    db_role: Mapped[str | None] = mapped_column(String(63))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class User(Base):
    """A person who may sign in to a seat."""

    __tablename__ = "users"
    __table_args__ = (_non_negative("failed_logins"),)

    id: Mapped[int] = _pk()
    org_id: Mapped[int] = _fk("organisations.id")
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(255))
    badge_no: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    failed_logins: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()


class UserPosition(Base):
    """A position a user may sign in as."""

    __tablename__ = "user_positions"
    __table_args__ = (_one_of("position", POSITIONS),)

    user_id: Mapped[int] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[str] = mapped_column(String(24), primary_key=True)


class Seat(Base):
    """One desk running the program; its position decides which views open."""

    __tablename__ = "seats"
    __table_args__ = (_one_of("position", POSITIONS),)

    id: Mapped[int] = _pk()
    name: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[str] = mapped_column(String(24))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


# ---------------------------------------------------------------- cases


class Case(Base):
    """One accident case; `version` makes concurrent edits fail loudly instead of overwriting."""

    __tablename__ = "cases"
    __table_args__ = (
        _one_of("state", CASE_STATES),
        _one_of("owner_position", POSITIONS),
        _one_of("source", CASE_SOURCES),
        CheckConstraint("vehicle_count >= 0", name="vehicle_count_non_negative"),
        Index("ix_cases_queue", "state", "owner_position", "assignee_id"),
        # "Take next": the oldest unclaimed case of a position, found without a scan.
        Index(
            "ix_cases_take_next",
            "owner_position",
            "state_since",
            "id",
            postgresql_where=text("assignee_id IS NULL"),
            sqlite_where=text("assignee_id IS NULL"),
        ),
    )

    id: Mapped[int] = _pk()
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    # Which position must act next; NULL when nobody has to (closed, revoked).
    owner_position: Mapped[str | None] = mapped_column(String(24))
    # The claim (lock) holder; only they complete or release it, a supervisor may take over.
    assignee_id: Mapped[int | None] = _fk("users.id", nullable=True)
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # When the current state was entered; the seats' green/amber/red timers count from here.
    state_since: Mapped[datetime] = mapped_column(default=utcnow)
    # When the running step clock (answer, review, determination...) started; unlike
    # state_since it survives moves within one step, e.g. AWAITING_DETERMINATION -> DETERMINING.
    timer_started_at: Mapped[datetime | None]
    occurred_at: Mapped[datetime]
    place_text: Mapped[str] = mapped_column(String(255), default="", server_default="")
    district: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    weather: Mapped[str | None] = mapped_column(String(24))
    accident_form: Mapped[str | None] = mapped_column(String(8))
    situation_code: Mapped[str | None] = mapped_column(String(24))
    vehicle_count: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(24))
    caller_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    injuries: Mapped[bool | None]
    movable: Mapped[bool | None]
    # The caller's answers at triage (DOMAIN.md "Eligibility"); None = not asked yet.
    drink_or_drugs: Mapped[bool | None]
    plates_suspect: Mapped[bool | None]
    dangerous_goods: Mapped[bool | None]
    party_fled: Mapped[bool | None]
    deliberate: Mapped[bool | None]
    fast_track: Mapped[bool | None]
    knock_for_knock: Mapped[bool | None]
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")

    parties: Mapped[list[Party]] = relationship(
        back_populates="case",
        order_by="Party.letter",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # No delete cascade: a case with an audit trail must not be deletable.
    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class Party(Base):
    """A driver in a case, lettered A/B/C front-to-back or left-to-right."""

    __tablename__ = "parties"
    __table_args__ = (
        UniqueConstraint("case_id", "letter"),
        _one_of("letter", PARTY_LETTERS),
        _one_of("grade", GRADES),
        _one_of("signature", SIGNATURES),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = _fk("cases.id", ondelete="CASCADE")
    letter: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(24))
    licence_number: Mapped[str | None] = mapped_column(String(24))
    licence_class: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(20))
    mode_of_travel: Mapped[str | None] = mapped_column(String(24))
    plate_type: Mapped[str | None] = mapped_column(String(24))
    plate_no: Mapped[str | None] = mapped_column(String(16), index=True)
    # Indexed for the insurers' row-level security (migration 0006), which finds the vehicles
    # and policies a company's cases show by these columns.
    vehicle_id: Mapped[int | None] = _fk("vehicles.id", nullable=True, index=True)
    insurer_org_id: Mapped[int | None] = _fk("organisations.id", nullable=True)
    policy_id: Mapped[int | None] = _fk("policies.id", nullable=True, index=True)
    grade: Mapped[str | None] = mapped_column(String(24))
    fault_statute: Mapped[str | None] = mapped_column(String(255))
    signature: Mapped[str] = mapped_column(String(24), default="pending", server_default="pending")
    damaged_parts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")

    case: Mapped[Case] = relationship(back_populates="parties")


class Vehicle(Base):
    """A registered motor vehicle, as the vehicle records answer for it."""

    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("plate_type", "plate_no"),)

    id: Mapped[int] = _pk()
    plate_type: Mapped[str] = mapped_column(String(24))
    plate_no: Mapped[str] = mapped_column(String(16))
    vin: Mapped[str | None] = mapped_column(String(17))
    vehicle_type: Mapped[str | None] = mapped_column(String(24))
    owner_name: Mapped[str | None] = mapped_column(String(128))
    registration_valid_until: Mapped[date | None]
    inspection_valid_until: Mapped[date | None]


class Policy(Base):
    """An insurance policy (交强险 or commercial) on a vehicle."""

    __tablename__ = "policies"
    __table_args__ = (
        _one_of("kind", POLICY_KINDS),
        CheckConstraint("valid_until >= valid_from", name="valid_range"),
    )

    id: Mapped[int] = _pk()
    insurer_org_id: Mapped[int] = _fk("organisations.id")
    policy_no: Mapped[str] = mapped_column(String(64), unique=True)
    vehicle_id: Mapped[int | None] = _fk("vehicles.id", nullable=True)
    kind: Mapped[str] = mapped_column(String(24))
    valid_from: Mapped[date]
    valid_until: Mapped[date]


class Attachment(Base):
    """A content-addressed blob (photo, letter PDF, footage): stored once, however often used."""

    __tablename__ = "attachments"
    __table_args__ = (_non_negative("size"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _created()


class CaseAttachment(Base):
    """A blob attached to a case, with the photo type code the review checks by."""

    __tablename__ = "case_attachments"
    __table_args__ = (_one_of("party_letter", PARTY_LETTERS),)

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    # Indexed, as are the letter's and the footage's: row-level security finds a blob's cases.
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("attachments.sha256"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    party_letter: Mapped[str | None] = mapped_column(String(1))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[int | None] = _fk("users.id", nullable=True)
    # Where it came from: 'app' (12123/WeChat), 'seat', 'patrol', 'system'.
    source: Mapped[str] = mapped_column(String(24))
    # For photos from the parties' app: which submission and which of its photos.
    submission_id: Mapped[int | None] = _fk("submissions.id", nullable=True)
    photo_ref: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]


class Submission(Base):
    """One upload by the parties (12123, WeChat …), as received; re-uploads after a return
    update it (`round` counts them) and add photos to the same case."""

    __tablename__ = "submissions"
    __table_args__ = (_one_of("state", SUBMISSION_STATES),)

    id: Mapped[int] = _pk()
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = _fk("cases.id")
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24))
    round: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    submitted_at: Mapped[datetime]
    received_at: Mapped[datetime] = _created()
    # The parties, place and agreement as the app sent them (the case holds the checked copy).
    data: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class RefusedFile(Base):
    """A file of a submission the hall did not accept, and why: shown on the case, so the
    parties can be asked again; the rest of the submission is kept."""

    __tablename__ = "refused_files"
    __table_args__ = (_one_of("party_letter", PARTY_LETTERS),)

    id: Mapped[int] = _pk()
    submission_id: Mapped[int] = _fk("submissions.id", ondelete="CASCADE")
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    photo_ref: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    party_letter: Mapped[str | None] = mapped_column(String(1))
    claimed_mime: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    at: Mapped[datetime] = _created()


class LookupResult(Base):
    """The latest answer of a record check for one party (cached per case)."""

    __tablename__ = "lookup_results"
    __table_args__ = (
        UniqueConstraint("case_id", "party_letter", "check_kind"),
        _one_of("party_letter", PARTY_LETTERS),
        _one_of("check_kind", LOOKUP_CHECKS),
        _one_of("outcome", LOOKUP_OUTCOMES),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = _fk("cases.id", ondelete="CASCADE")
    party_letter: Mapped[str] = mapped_column(String(1))
    check_kind: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(32))
    answered_at: Mapped[datetime]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class CaseEvent(Base):
    """One thing that happened to a case: the audit trail and the change feed in one row.

    `id` only grows, so the SQLite feed polls `id > last_seen`; on PostgreSQL an insert
    trigger NOTIFYs 'hall_events', delivered when the writing transaction commits.
    """

    __tablename__ = "case_events"
    __table_args__ = (_one_of("position", POSITIONS),)

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    actor_id: Mapped[int | None] = _fk("users.id", nullable=True)
    seat: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[str | None] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class AuditLogEntry(Base):
    """A write that is not a case event: sign-in, unmasking, reprint, settings change."""

    __tablename__ = "audit_log"
    __table_args__ = (_one_of("position", POSITIONS),)

    id: Mapped[int] = _pk()
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = _fk("users.id", nullable=True)
    seat: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


# ---------------------------------------------------------------- calls


class Call(Base):
    """A 122 call handed over to the hall (一键托管)."""

    __tablename__ = "calls"
    __table_args__ = (
        _one_of("state", CALL_STATES),
        _one_of("target_position", POSITIONS),
        # Ringing lists and one-key answer read only waiting calls, oldest first; the table
        # keeps every call ever handed over, so the index holds just the waiting ones.
        Index(
            "ix_calls_waiting",
            "rang_at",
            "id",
            postgresql_where=text("state IN ('ringing', 'transferring')"),
            sqlite_where=text("state IN ('ringing', 'transferring')"),
        ),
    )

    id: Mapped[int] = _pk()
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    caller_phone: Mapped[str] = mapped_column(String(20))
    caller_name: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    place_text: Mapped[str | None] = mapped_column(String(255))
    district: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(24), default="ringing", server_default="ringing")
    rang_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = _fk("users.id", nullable=True)
    answered_seat: Mapped[str | None] = mapped_column(String(64))
    target_position: Mapped[str | None] = mapped_column(String(24))
    target_seat: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[int | None] = _fk("cases.id", nullable=True)
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class CallLeg(Base):
    """One seat's part of a call: the answer, or a transfer to another seat."""

    __tablename__ = "call_legs"
    __table_args__ = (
        _one_of("kind", CALL_LEG_KINDS),
        _one_of("position", POSITIONS),
    )

    id: Mapped[int] = _pk()
    call_id: Mapped[int] = mapped_column(Id, ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    seat: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = _fk("users.id", nullable=True)
    position: Mapped[str] = mapped_column(String(24))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(24))


# ---------------------------------------------------------------- determination and letters


class Determination(Base):
    """An officer's liability decision; a later one (mediation, correction) supersedes it."""

    __tablename__ = "determinations"

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    officer_id: Mapped[int] = _fk("users.id")
    situation_code: Mapped[str] = mapped_column(String(24))
    at_fault_letter: Mapped[str | None] = mapped_column(String(1))
    accident_form: Mapped[str] = mapped_column(String(8))
    collision_parts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    narrative: Mapped[str] = mapped_column(Text)
    # letter -> grade as the scenario table proposed it, and as the officer confirmed it.
    proposed_grades: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    grades: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    override_reason: Mapped[str | None] = mapped_column(Text)
    determined_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]


class DocCounter(Base):
    """Next letter serial per issuing unit and year; incremented under a row lock."""

    __tablename__ = "doc_counters"
    __table_args__ = (CheckConstraint("next_serial >= 1", name="next_serial_positive"),)

    unit_org_id: Mapped[int] = mapped_column(Id, ForeignKey("organisations.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    next_serial: Mapped[int] = mapped_column(default=1, server_default=text("1"))


class Letter(Base):
    """A determination letter as issued: the PDF is stored so a reprint is byte-identical.

    A re-issue (e.g. with a mediation result) keeps the document number and raises `version`.
    """

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("unit_org_id", "year", "serial", "version"),
        UniqueConstraint("doc_no", "version"),
        CheckConstraint("serial >= 1", name="serial_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    determination_id: Mapped[int] = _fk("determinations.id")
    unit_org_id: Mapped[int] = _fk("organisations.id")
    year: Mapped[int]
    serial: Mapped[int]
    doc_no: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    pdf_sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("attachments.sha256"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    mediation_text: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None]


# ---------------------------------------------------------------- insurers


class Claim(Base):
    """One party's claim with its insurer, from notification to payout."""

    __tablename__ = "claims"
    __table_args__ = (
        _one_of("stage", CLAIM_STAGES),
        _non_negative("assessed_amount"),
        _non_negative("paid_amount"),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    party_id: Mapped[int] = _fk("parties.id")
    insurer_org_id: Mapped[int] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    stage: Mapped[str] = mapped_column(String(24), default="notified", server_default="notified")
    report_no: Mapped[str | None] = mapped_column(String(64))
    assessed_amount: Mapped[Decimal | None]
    paid_amount: Mapped[Decimal | None]
    paid_at: Mapped[datetime | None]
    repair_shop: Mapped[str | None] = mapped_column(String(128))
    damaged_parts: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    knock_for_knock: Mapped[bool] = mapped_column(default=False, server_default=false())
    assignee_id: Mapped[int | None] = _fk("users.id", nullable=True)
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    created_at: Mapped[datetime] = _created()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class Complaint(Base):
    """A non-payment complaint against an insurer (Shenzhen rule: call in 24 h, pay in 3 days)."""

    __tablename__ = "complaints"
    __table_args__ = (
        _one_of("state", COMPLAINT_STATES),
        _one_of("party_letter", PARTY_LETTERS),
        _non_negative("fine_amount"),
        _non_negative("paid_amount"),
        # The sanction run looks for unpaid complaints past their deadline.
        Index("ix_complaints_state_pay_due_at", "state", "pay_due_at"),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    claim_id: Mapped[int | None] = _fk("claims.id", nullable=True)
    respondent_org_id: Mapped[int] = _fk("organisations.id")
    complainant_name: Mapped[str] = mapped_column(String(64))
    complainant_phone: Mapped[str] = mapped_column(String(20))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    filed_by: Mapped[int] = _fk("users.id")
    contact_due_at: Mapped[datetime]
    contacted_at: Mapped[datetime | None]
    pay_due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(24), default="open", server_default="open")
    fine_amount: Mapped[Decimal | None]
    credit_notice_at: Mapped[datetime | None]
    sanctioned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The respondent's insured party: whose vehicle goes on the watch list (0005).
    party_letter: Mapped[str | None] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_note: Mapped[str | None] = mapped_column(Text)
    paid_amount: Mapped[Decimal | None]
    paid_at: Mapped[datetime | None]


# ---------------------------------------------------------------- video and checkpoints


class Camera(Base):
    """A camera of the city video platform, keyed by the platform's own id."""

    __tablename__ = "cameras"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    district: Mapped[str] = mapped_column(String(64))
    road: Mapped[str] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(32))
    lat: Mapped[float]
    lon: Mapped[float]
    # district/road/checkpoint, the tree the camera wall groups by.
    group_path: Mapped[str] = mapped_column(String(255))
    main_url: Mapped[str] = mapped_column(String(1024))
    sub_url: Mapped[str | None] = mapped_column(String(1024))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class WallLayout(Base):
    """A camera wall arrangement saved under a name for one seat, so each desk reopens its own
    wall; the layout is the view's JSON (grid size, camera per tile), opaque to the database."""

    __tablename__ = "wall_layouts"
    __table_args__ = (UniqueConstraint("seat", "name"),)

    id: Mapped[int] = _pk()
    seat: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    layout: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    saved_by: Mapped[int | None] = _fk("users.id", nullable=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class WatchlistEntry(Base):
    """A plate the checkpoints alert on (布控), e.g. after an insurer ignored a payment order."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = _pk()
    plate_type: Mapped[str] = mapped_column(String(24))
    plate_no: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(255))
    complaint_id: Mapped[int | None] = _fk("complaints.id", nullable=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]


class CheckpointHit(Base):
    """A plate read at a checkpoint camera, linked to the watch list entry it matched."""

    __tablename__ = "checkpoint_hits"

    id: Mapped[int] = _pk()
    camera_id: Mapped[str] = mapped_column(String(32), ForeignKey("cameras.id"))
    plate_type: Mapped[str] = mapped_column(String(24))
    plate_no: Mapped[str] = mapped_column(String(16), index=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    watchlist_entry_id: Mapped[int | None] = _fk("watchlist_entries.id", nullable=True)


class Evidence(Base):
    """Footage fixed as evidence: camera, time range, who took it, and the blob's SHA-256."""

    __tablename__ = "evidence"
    __table_args__ = (
        _one_of("kind", EVIDENCE_KINDS),
        CheckConstraint("end_at >= start_at", name="time_range"),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int] = mapped_column(Id, ForeignKey("cases.id"), index=True)
    camera_id: Mapped[str] = mapped_column(String(32), ForeignKey("cameras.id"))
    kind: Mapped[str] = mapped_column(String(24))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("attachments.sha256"), index=True)
    taken_by: Mapped[int] = _fk("users.id")
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------- rescue


class RescueUnit(Base):
    """A tow truck or rescue vehicle on the unit board."""

    __tablename__ = "rescue_units"
    __table_args__ = (
        _one_of("unit_type", RESCUE_UNIT_TYPES),
        _one_of("state", RESCUE_UNIT_STATES),
    )

    id: Mapped[int] = _pk()
    org_id: Mapped[int] = _fk("organisations.id")
    call_sign: Mapped[str] = mapped_column(String(32), unique=True)
    unit_type: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(24), default="available", server_default="available")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    state_since: Mapped[datetime] = mapped_column(default=utcnow)


class RescueTask(Base):
    """A tow or rescue request and its progress."""

    __tablename__ = "rescue_tasks"
    __table_args__ = (
        _one_of("state", RESCUE_TASK_STATES),
        _one_of("requested_position", POSITIONS),
    )

    id: Mapped[int] = _pk()
    case_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("cases.id"), nullable=True, index=True
    )
    unit_id: Mapped[int | None] = _fk("rescue_units.id", nullable=True, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by: Mapped[int] = _fk("users.id")
    place_text: Mapped[str] = mapped_column(String(255))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    vehicle_desc: Mapped[str] = mapped_column(String(255), default="", server_default="")
    state: Mapped[str] = mapped_column(
        String(24), default="requested", server_default="requested", index=True
    )
    assigned_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # 0008: what the seat that raised it knew, and how it ended if nobody came.
    lane_blocked: Mapped[bool] = mapped_column(default=False, server_default=false())
    requested_position: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class RescueUnitLog(Base):
    """One change of a unit's state (or a position report, from = to), time-stamped: the board's
    history and the arrival times measured from it (0008)."""

    __tablename__ = "rescue_unit_log"
    __table_args__ = (
        _one_of("from_state", RESCUE_UNIT_STATES),
        _one_of("to_state", RESCUE_UNIT_STATES),
        Index("ix_rescue_unit_log_unit_id_id", "unit_id", "id"),
    )

    id: Mapped[int] = _pk()
    unit_id: Mapped[int] = _fk("rescue_units.id")
    task_id: Mapped[int | None] = _fk("rescue_tasks.id", nullable=True, index=True)
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = _fk("users.id", nullable=True)
    seat: Mapped[str | None] = mapped_column(String(64))
    lat: Mapped[float | None]
    lon: Mapped[float | None]


class RescueBoardVersion(Base):
    """One row whose number every rescue write raises in its own transaction (0008).

    A seat polling once a second reloads the board only when the number moved. Row ids would
    not do on PostgreSQL: they are handed out at insert, not at commit, so a row with a lower
    id can become visible after a higher one was seen; this row's lock orders the numbers as
    the commits."""

    __tablename__ = "rescue_board"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))


# ---------------------------------------------------------------- citizen helpers


class Helper(Base):
    """A citizen who helps parties complete online cases and earns a monthly reward."""

    __tablename__ = "helpers"

    id: Mapped[int] = _pk()
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    id_number: Mapped[str | None] = mapped_column(String(24))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class CaseHelper(Base):
    """A helper's part in a case."""

    __tablename__ = "case_helpers"

    case_id: Mapped[int] = mapped_column(
        Id, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    helper_id: Mapped[int] = mapped_column(Id, ForeignKey("helpers.id"), primary_key=True)


class HelperReward(Base):
    """A helper's reward for one month, computed once the month is over."""

    __tablename__ = "helper_rewards"
    __table_args__ = (
        UniqueConstraint("helper_id", "month"),
        _non_negative("cases"),
        _non_negative("amount"),
    )

    id: Mapped[int] = _pk()
    helper_id: Mapped[int] = _fk("helpers.id")
    month: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM'
    cases: Mapped[int]
    amount: Mapped[int]  # yuan
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---------------------------------------------------------------- outbox


class OutboxMessage(Base):
    """Something that must leave the building, written in the transaction that caused it.

    A worker delivers it after commit with retries; `idempotency_key` lets the receiver drop
    duplicates, so nothing is lost and nothing is sent twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        _one_of("kind", OUTBOX_KINDS),
        _one_of("state", OUTBOX_STATES),
        _one_of("delivery", SMS_DELIVERY_STATES),
        _non_negative("attempts"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = _pk()
    kind: Mapped[str] = mapped_column(String(24))
    destination: Mapped[str] = mapped_column(String(255))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    case_id: Mapped[int | None] = _fk("cases.id", nullable=True)
    created_at: Mapped[datetime] = _created()
    state: Mapped[str] = mapped_column(String(24), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    # The receiver's id for it (an SMS message id), and how far delivery has come.
    external_ref: Mapped[str | None] = mapped_column(String(64))
    delivery: Mapped[str | None] = mapped_column(String(16))
    delivery_at: Mapped[datetime | None]


# ---------------------------------------------------------------- lookup search (0007)

# The lookup seat's search (issue 9, console/hall/case_search.py) finds cases by these columns,
# exactly or by prefix ("results as you type"), never with a leading wildcard. On PostgreSQL
# the prefix columns use the *_pattern_ops operator class: with any collation other than "C"
# (C.UTF-8 included, before PostgreSQL 17) a default b-tree cannot serve LIKE 'x%'. The party
# and letter indexes carry case_id so the search's sub-selects never touch the table. The
# search orders newest first by occurred_at, so the case filters lead with their column and end
# with it. On SQLite (GLOB 'x*' prefix) ix_cases_case_no_prefix repeats the unique constraint's
# index; it is kept so both backends have one schema.
_PATTERN = "varchar_pattern_ops"
Index("ix_cases_occurred_at", Case.occurred_at)
Index("ix_cases_state_occurred_at", Case.state, Case.occurred_at)
Index("ix_cases_district_occurred_at", Case.district, Case.occurred_at)
Index("ix_cases_case_no_prefix", Case.case_no, postgresql_ops={"case_no": _PATTERN})
Index(
    "ix_parties_plate_no_case_id",
    Party.plate_no,
    Party.case_id,
    postgresql_ops={"plate_no": _PATTERN},
)
Index("ix_parties_name_case_id", Party.name, Party.case_id, postgresql_ops={"name": _PATTERN})
Index("ix_parties_phone_case_id", Party.phone, Party.case_id)
Index("ix_parties_id_number_case_id", Party.id_number, Party.case_id)
Index("ix_parties_licence_number_case_id", Party.licence_number, Party.case_id)
Index(
    "ix_letters_doc_no_case_id", Letter.doc_no, Letter.case_id, postgresql_ops={"doc_no": _PATTERN}
)
Index(
    "ix_letters_verification_code_case_id",
    Letter.verification_code,
    Letter.case_id,
    postgresql_ops={"verification_code": _PATTERN},
)
# A case's history lists the reprints, exports and unmaskings audited against it, and its calls.
Index("ix_audit_log_target", AuditLogEntry.target)
Index("ix_calls_case_id", Call.case_id)
