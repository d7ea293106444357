"""Insurers' answers from the gateway's log into the hall (`record_insurer_answer`).

The follower offers a batch again when this raises, so only a failure the hall can recover
from (the database away) raises; an answer about a case or party the hall does not know is
logged and skipped, or it would block every answer behind it.
"""

from __future__ import annotations

import logging

from console.hall.errors import NotFound
from console.hall.insurer_answers import AnswerInput, record_insurer_answer
from console.hall.journal import SessionFactory
from console.integrations.insurers import AnswerBatch, InsurerAnswer

log = logging.getLogger("console.net")


def answer_input(answer: InsurerAnswer) -> AnswerInput:
    return AnswerInput(
        insurer_code=answer.insurer_code,
        case_no=answer.case_no,
        party_letter=answer.party_letter,
        stage=answer.kind,
        report_no=answer.report_no,
        assessed_amount=answer.assessed_amount,
        paid_amount=answer.paid_amount,
        paid_at=answer.paid_at,
        repair_shop=answer.repair_shop,
        note=answer.note,
    )


def apply_insurer_answers(session_factory: SessionFactory, batch: AnswerBatch) -> int:
    """Record each answer of the batch; returns how many changed a claim."""
    changed = 0
    for answer in batch.answers:
        try:
            if record_insurer_answer(session_factory, answer_input(answer)):
                changed += 1
        except NotFound as exc:
            log.warning("insurer answer %d skipped: %s", answer.seq, exc)
    return changed
