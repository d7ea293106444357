"""Citizen helpers (DOMAIN.md "Citizen helpers"): registering a helper, linking helpers to the
cases they helped with, the monthly reward ledger, closing a month and the payment sheet.

Who may do what (kept here rather than in `permissions.PERMISSIONS`, which governs case work):
the lookup seat and the supervisor run the helper scheme. Every list they read carries the
helpers' phone and ID numbers, which a payment needs, so no other position reads it either.

What counts and in which month is `console.domain.helper_rewards`; this module only gathers the
facts from the database: each helped case's state and its first determination time.

A month is closed once `helper_rewards` holds its rows; from then on its ledger is those rows
as written, whatever happens to the cases later (a revoked case does not claw back a payment).
Closing is exactly-once: a second run finds the rows and writes nothing, and two seats closing
at the same moment are kept apart by the unique (helper_id, month) key — the loser's
transaction rolls back and it reports the month as already closed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.db.models import Case, CaseHelper, Determination, Helper, HelperReward
from console.domain.deadlines import HALL_TZ, to_local
from console.domain.errors import RuleViolation
from console.domain.helper_rewards import (
    DEFAULT_REWARD_RULE,
    CountedLink,
    Month,
    RewardRule,
    compute_ledger,
    validate_registration,
)
from console.domain.lifecycle import CaseState
from console.domain.positions import Position
from console.hall.actor import Actor
from console.hall.errors import NotFound, PermissionDenied
from console.hall.journal import SessionFactory, record_audit, record_event, utcnow, write

__all__ = [
    "CSV_HEADERS",
    "HELPER_MANAGERS",
    "HelperAction",
    "HelperLinked",
    "HelperRegistered",
    "HelperRow",
    "Ledger",
    "LedgerRow",
    "MonthClosed",
    "close_month",
    "export_ledger_csv",
    "ledger_csv",
    "link_helper_to_case",
    "list_helpers",
    "may_manage_helpers",
    "monthly_ledger",
    "register_helper",
]


class HelperAction(StrEnum):
    MANAGE = "manage_helpers"
    CLOSE_MONTH = "close_helper_month"
    EXPORT = "export_helper_ledger"


HELPER_MANAGERS: Final = frozenset({Position.LOOKUP, Position.SUPERVISOR})

CSV_HEADERS: Final = ("月份", "姓名", "手机号码", "身份证号码", "计奖案件数", "奖励金额（元）")
"""The payment sheet's columns, in the words of a Chinese finance office."""

_CASE_NO_MAX: Final = 32


def may_manage_helpers(actor: Actor) -> bool:
    return actor.position in HELPER_MANAGERS


def _require(actor: Actor, action: HelperAction, allowed: Collection[Position]) -> None:
    if actor.position not in allowed:
        raise PermissionDenied(
            "permission.denied",
            f"The {actor.position.value} position may not {action.value.replace('_', ' ')}",
            position=actor.position.value,
            action=action.value,
        )


# ---------------------------------------------------------------- what changed / what is read


@dataclass(frozen=True, slots=True)
class HelperRow:
    id: int
    name: str
    phone: str
    id_number: str | None
    registered_at: datetime
    active: bool


@dataclass(frozen=True, slots=True)
class HelperRegistered:
    helper: HelperRow


@dataclass(frozen=True, slots=True)
class HelperLinked:
    helper_id: int
    case_id: int
    case_no: str
    linked: bool
    """False: the helper was already linked to the case, and nothing was written."""


@dataclass(frozen=True, slots=True)
class LedgerRow:
    helper_id: int
    name: str
    phone: str
    id_number: str | None
    cases: int
    amount: int  # yuan


@dataclass(frozen=True, slots=True)
class Ledger:
    """A month's ledger: live from the determinations while the month is open, the rows
    written by `close_month` once it is closed."""

    month: str
    rows: tuple[LedgerRow, ...]
    closed_at: datetime | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def total_cases(self) -> int:
        return sum(r.cases for r in self.rows)

    @property
    def total_amount(self) -> int:
        return sum(r.amount for r in self.rows)


@dataclass(frozen=True, slots=True)
class MonthClosed:
    month: str
    written: int
    """Rows written now; 0 when the month was closed already (or nobody earned anything)."""
    already_closed: bool
    total_amount: int


def _row(helper: Helper) -> HelperRow:
    return HelperRow(
        helper.id,
        helper.name,
        helper.phone,
        helper.id_number,
        helper.registered_at,
        helper.active,
    )


# ---------------------------------------------------------------- helpers


def register_helper(
    session_factory: SessionFactory,
    actor: Actor,
    *,
    name: str,
    phone: str,
    id_number: str,
    now: datetime | None = None,
) -> HelperRegistered:
    """Register a citizen helper; the phone number identifies them and may be registered once."""
    _require(actor, HelperAction.MANAGE, HELPER_MANAGERS)
    at = now or utcnow()
    details = validate_registration(name, phone, id_number, today=to_local(at, HALL_TZ).date())

    def taken() -> RuleViolation:
        return RuleViolation(
            "helper.phone_taken",
            f"A helper with mobile number {details.phone} is registered already",
            phone=details.phone,
        )

    try:
        with write(session_factory) as session:
            if session.scalar(select(Helper.id).where(Helper.phone == details.phone)) is not None:
                raise taken()
            helper = Helper(
                name=details.name,
                phone=details.phone,
                id_number=details.id_number,
                registered_at=at,
                active=True,
            )
            session.add(helper)
            session.flush()
            record_audit(
                session,
                actor,
                "helper_registered",
                f"helper:{helper.id}",
                at=at,
                details={"name": details.name, "phone_last4": details.phone[-4:]},
            )
            return HelperRegistered(_row(helper))
    except IntegrityError:  # another seat registered the same number at the same moment
        raise taken() from None


def list_helpers(session_factory: SessionFactory, actor: Actor) -> list[HelperRow]:
    """Every registered helper, by name."""
    _require(actor, HelperAction.MANAGE, HELPER_MANAGERS)
    with session_factory() as session:
        helpers = session.scalars(select(Helper).order_by(Helper.name, Helper.id)).all()
        return [_row(h) for h in helpers]


def link_helper_to_case(
    session_factory: SessionFactory,
    actor: Actor,
    helper_id: int,
    case_no: str,
    *,
    now: datetime | None = None,
) -> HelperLinked:
    """Record that the helper helped with the case numbered `case_no`. Linking twice changes
    nothing the second time; the first time appends a `helper_linked` event to the case."""
    _require(actor, HelperAction.MANAGE, HELPER_MANAGERS)
    number = case_no.strip()
    if not number or len(number) > _CASE_NO_MAX:
        raise NotFound(
            "helper.case_not_found", f"There is no case numbered '{number}'", case_no=number
        )
    at = now or utcnow()
    with write(session_factory) as session:
        helper = session.get(Helper, helper_id)
        if helper is None:
            raise NotFound(
                "helper.not_found", f"Helper {helper_id} does not exist", helper_id=helper_id
            )
        # The case row's lock keeps two seats linking the same pair from both inserting.
        case_id = session.scalar(select(Case.id).where(Case.case_no == number).with_for_update())
        if case_id is None:
            raise NotFound(
                "helper.case_not_found", f"There is no case numbered '{number}'", case_no=number
            )
        if session.get(CaseHelper, (case_id, helper_id)) is not None:
            return HelperLinked(helper_id, case_id, number, linked=False)
        session.add(CaseHelper(case_id=case_id, helper_id=helper_id))
        record_event(
            session,
            actor,
            case_id,
            "helper_linked",
            at=at,
            details={"helper_id": helper_id, "helper_name": helper.name},
        )
        return HelperLinked(helper_id, case_id, number, linked=True)


# ---------------------------------------------------------------- the monthly ledger


def _closed_ledger(session: Session, month: Month) -> Ledger | None:
    rows = session.execute(
        select(HelperReward, Helper)
        .join(Helper, Helper.id == HelperReward.helper_id)
        .where(HelperReward.month == str(month))
        .order_by(Helper.name, Helper.id)
    ).all()
    if not rows:
        return None
    return Ledger(
        str(month),
        tuple(LedgerRow(h.id, h.name, h.phone, h.id_number, r.cases, r.amount) for r, h in rows),
        max(r.computed_at for r, _h in rows),
    )


def _live_ledger(session: Session, month: Month, rule: RewardRule) -> Ledger:
    first = (
        select(
            Determination.case_id.label("case_id"),
            func.min(Determination.determined_at).label("first_at"),
        )
        .where(Determination.case_id.in_(select(CaseHelper.case_id)))
        .group_by(Determination.case_id)
        .subquery()
    )
    start, end = month.bounds(HALL_TZ)
    facts = session.execute(
        select(CaseHelper.helper_id, CaseHelper.case_id, Case.state, first.c.first_at)
        .join(Case, Case.id == CaseHelper.case_id)
        .join(first, first.c.case_id == CaseHelper.case_id)
        .where(first.c.first_at >= start, first.c.first_at < end)
    ).all()
    lines = compute_ledger(
        (CountedLink(h, c, CaseState(state), at) for h, c, state, at in facts),
        month,
        rule,
        HALL_TZ,
    )
    helpers = {
        h.id: h
        for h in session.scalars(select(Helper).where(Helper.id.in_([x.helper_id for x in lines])))
    }
    rows = [
        LedgerRow(
            line.helper_id,
            helpers[line.helper_id].name,
            helpers[line.helper_id].phone,
            helpers[line.helper_id].id_number,
            line.cases,
            line.amount,
        )
        for line in lines
    ]
    rows.sort(key=lambda r: (r.name, r.helper_id))
    return Ledger(str(month), tuple(rows), None)


def _ledger(session: Session, month: Month, rule: RewardRule) -> Ledger:
    return _closed_ledger(session, month) or _live_ledger(session, month, rule)


def monthly_ledger(
    session_factory: SessionFactory,
    actor: Actor,
    month: str,
    *,
    rule: RewardRule = DEFAULT_REWARD_RULE,
) -> Ledger:
    """The month ('YYYY-MM', hall time): per helper with a counted case, the cases and yuan."""
    _require(actor, HelperAction.MANAGE, HELPER_MANAGERS)
    wanted = Month.parse(month)
    with session_factory() as session:
        return _ledger(session, wanted, rule)


def close_month(
    session_factory: SessionFactory,
    actor: Actor,
    month: str,
    *,
    now: datetime | None = None,
    rule: RewardRule = DEFAULT_REWARD_RULE,
) -> MonthClosed:
    """Write the month's rewards to `helper_rewards`, once; the month must be over in hall
    time (a case determined tonight still counts for this month)."""
    _require(actor, HelperAction.CLOSE_MONTH, HELPER_MANAGERS)
    wanted = Month.parse(month)
    at = now or utcnow()
    if not wanted.is_over(at, HALL_TZ):
        raise RuleViolation(
            "helper.month_not_over",
            f"Month {wanted} is not over yet; close it from the 1st of the next month",
            month=str(wanted),
        )
    try:
        with write(session_factory) as session:
            closed = _closed_ledger(session, wanted)
            if closed is not None:
                return MonthClosed(str(wanted), 0, True, closed.total_amount)
            ledger = _live_ledger(session, wanted, rule)
            session.add_all(
                HelperReward(
                    helper_id=row.helper_id,
                    month=str(wanted),
                    cases=row.cases,
                    amount=row.amount,
                    computed_at=at,
                )
                for row in ledger.rows
            )
            session.flush()
            record_audit(
                session,
                actor,
                "helper_month_closed",
                f"helper_rewards:{wanted}",
                at=at,
                details={
                    "helpers": len(ledger.rows),
                    "cases": ledger.total_cases,
                    "amount": ledger.total_amount,
                    "rule": {
                        "yuan_per_block": rule.yuan_per_block,
                        "cases_per_block": rule.cases_per_block,
                        "monthly_cap_yuan": rule.monthly_cap_yuan,
                    },
                },
            )
            return MonthClosed(str(wanted), len(ledger.rows), False, ledger.total_amount)
    except IntegrityError:  # another seat closed the month in the same moment
        with session_factory() as session:
            closed = _closed_ledger(session, wanted)
        if closed is None:
            raise
        return MonthClosed(str(wanted), 0, True, closed.total_amount)


def ledger_csv(ledger: Ledger) -> bytes:
    """The payment sheet: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines.

    The ID number goes out with a leading tab: Excel otherwise reads the 18 digits as a number
    and keeps only 15 of them, and a sheet saved back would pay nobody."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for row in ledger.rows:
        writer.writerow(
            (
                ledger.month,
                _cell(row.name),
                row.phone,
                f"\t{row.id_number}" if row.id_number else "",
                row.cases,
                row.amount,
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    """A name that a spreadsheet would run as a formula is quoted as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def export_ledger_csv(
    session_factory: SessionFactory,
    actor: Actor,
    month: str,
    *,
    now: datetime | None = None,
    rule: RewardRule = DEFAULT_REWARD_RULE,
) -> bytes:
    """The month's ledger as a payment sheet (`ledger_csv`). The sheet carries full phone and
    ID numbers, so the export is audited."""
    _require(actor, HelperAction.EXPORT, HELPER_MANAGERS)
    wanted = Month.parse(month)
    at = now or utcnow()
    with write(session_factory) as session:
        ledger = _ledger(session, wanted, rule)
        record_audit(
            session,
            actor,
            "helper_ledger_exported",
            f"helper_rewards:{wanted}",
            at=at,
            details={
                "helpers": len(ledger.rows),
                "amount": ledger.total_amount,
                "closed": ledger.closed,
            },
        )
    return ledger_csv(ledger)
