"""The claims pane's case view: the case and its parties, each of the company's claims with its
stage strip, the loss assessment form with the knock-for-knock flag and the rule's verdict, and
the payout. It shows and emits; the rules (amount, verdict, who may do what) are
`console.hall.claims` and `console.domain.liability`, the writes are use cases.

Keys: F2 takes the claim (the panel binds it), Ctrl+Enter saves the assessment, Ctrl+Shift+P
records the payout (the amount defaults to the assessed one, the time is now), Ctrl+P shows the
letter in force. What was typed stays until a save succeeds, whatever the hall sends meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.domain.deadlines import to_local
from console.domain.errors import RuleViolation
from console.domain.liability import Verdict
from console.hall.claims import (
    AMOUNT_CAP,
    ClaimsCase,
    ClaimView,
    StageMark,
    parse_amount,
    parse_parts,
)
from console.views.claims_queue import format_duration, stage_label
from console.views.error_templates import grade_label, party_label
from console.views.labels import state_label
from console.views.messages import describe_error, describe_finding

_OK: Final = "#2e7d32"
_WARN: Final = "#ef6c00"
_BAD: Final = "#c62828"


@dataclass(frozen=True, slots=True)
class AssessmentRequest:
    """What the adjuster typed, parsed: the desk hands it to `record_assessment`."""

    claim_id: int
    version: int
    damaged_parts: tuple[str, ...]
    amount: Decimal
    repair_shop: str
    knock_for_knock: bool


@dataclass(frozen=True, slots=True)
class _Draft:
    parts: str
    amount: str
    shop: str
    knock: bool
    payout: str
    typed: bool
    payout_typed: bool


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "✓"
    local = to_local(at)
    return f"{local:%H:%M}" if local.date() == to_local(now).date() else f"{local:%m-%d %H:%M}"


class StageStrip(QFrame):
    """notified → report number → survey → assessed → paid, with the time each was reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stage_strip")
        self.cells: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for number, stage in enumerate(("notified", "reported", "surveying", "assessed", "paid")):
            if number:
                arrow = QLabel("→")
                arrow.setStyleSheet("color: #9e9e9e;")
                layout.addWidget(arrow)
            cell = QLabel()
            cell.setObjectName(f"stage_{stage}")
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setMinimumWidth(72)
            cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.cells[stage] = cell
            layout.addWidget(cell, 1)

    def show_marks(self, marks: tuple[StageMark, ...], current: str, now: datetime) -> None:
        for mark in marks:
            cell = self.cells[mark.stage]
            when = _when(mark.at, now) if mark.reached else "—"
            cell.setText(f"{stage_label(mark.stage)}\n{when}")
            if mark.stage == current:
                style = f"background: {_OK}; color: white; font-weight: bold;"
            elif mark.reached:
                style = f"background: #e8f5e9; color: {_OK};"
            else:
                style = "color: #9e9e9e; border: 1px dashed #bdbdbd;"
            cell.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 2px 4px; }}")


class AssessmentForm(QWidget):
    take_requested = Signal(int)  # claim id
    assess_requested = Signal(object)  # AssessmentRequest
    pay_requested = Signal(int, int, object)  # claim id, version, Decimal amount
    letter_requested = Signal(int)  # letter id

    def __init__(self, user_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_form")
        self._user_id = user_id
        self._case: ClaimsCase | None = None
        self._claim: ClaimView | None = None
        self._filled_claim: int | None = None  # whose values the assessment fields hold
        self._typed = False  # the adjuster changed the assessment fields since they were filled
        self._payout_typed = False
        # Unsaved input of claims the adjuster moved away from, offered again on return.
        self._drafts: dict[int, _Draft] = {}
        self._now = datetime.now(UTC)

        self.heading = QLabel()
        self.heading.setObjectName("claims_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.facts = QLabel()
        self.facts.setObjectName("claims_facts")
        self.facts.setWordWrap(True)
        self.parties = QLabel()
        self.parties.setObjectName("claims_parties")
        self.parties.setWordWrap(True)
        self.parties.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.claims_box = QGroupBox()
        self.claims_layout = QVBoxLayout(self.claims_box)
        self.claims_layout.setSpacing(4)
        self.strips: dict[int, StageStrip] = {}
        self.claim_titles: dict[int, QLabel] = {}
        self.others = QLabel()
        self.others.setObjectName("other_claims")
        self.others.setWordWrap(True)
        self.others.setStyleSheet(f"color: {_WARN};")

        self.form_box = QGroupBox()
        self.parts = QLineEdit()
        self.parts.setObjectName("damaged_parts")
        self.amount = QLineEdit()
        self.amount.setObjectName("assessed_amount")
        self.shop = QLineEdit()
        self.shop.setObjectName("repair_shop")
        self.knock = QCheckBox()
        self.knock.setObjectName("knock_for_knock")
        self.verdict = QLabel()
        self.verdict.setObjectName("knock_for_knock_verdict")
        self.verdict.setWordWrap(True)
        self.assess_button = QPushButton()
        self.assess_button.setObjectName("save_assessment")
        self.assess_button.clicked.connect(self.request_assess)
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.parts_label = QLabel()
        self.amount_label = QLabel()
        self.shop_label = QLabel()
        form.addRow(self.parts_label, self.parts)
        form.addRow(self.amount_label, self.amount)
        form.addRow(self.shop_label, self.shop)
        form.addRow(self.knock)
        form.addRow(self.verdict)
        assess_row = QHBoxLayout()
        assess_row.addStretch(1)
        assess_row.addWidget(self.assess_button)
        form.addRow(assess_row)

        self.payout_box = QGroupBox()
        self.payout_amount = QLineEdit()
        self.payout_amount.setObjectName("payout_amount")
        self.payout_time = QLabel()
        self.pay_button = QPushButton()
        self.pay_button.setObjectName("record_payout")
        self.pay_button.clicked.connect(self.request_pay)
        self.payout_amount_label = QLabel()
        self.payout_time_label = QLabel()
        self.payout_amount.setMaximumWidth(160)
        payout = QHBoxLayout(self.payout_box)
        payout.addWidget(self.payout_amount_label)
        payout.addWidget(self.payout_amount)
        payout.addSpacing(12)
        payout.addWidget(self.payout_time_label)
        payout.addWidget(self.payout_time, 1)
        payout.addWidget(self.pay_button)

        self.take_button = QPushButton()
        self.take_button.setObjectName("take_claim")
        self.take_button.clicked.connect(self.request_take)
        self.letter_button = QPushButton()
        self.letter_button.setObjectName("show_claim_letter")
        self.letter_button.clicked.connect(self.request_letter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.letter_button)
        buttons.addStretch(1)

        self.clock = QLabel()
        self.clock.setObjectName("accident_to_payout")
        self.message = QLabel()
        self.message.setObjectName("claims_message")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.parties)
        layout.addLayout(buttons)
        layout.addWidget(self.claims_box)
        layout.addWidget(self.form_box)
        layout.addWidget(self.payout_box)
        layout.addWidget(self.clock)
        layout.addWidget(self.message)
        layout.addStretch(1)

        for field in (self.parts, self.shop):
            field.textEdited.connect(self._edited)
        self.amount.textEdited.connect(self._edited)
        self.amount.textChanged.connect(lambda _text: self._show_verdict())
        self.knock.clicked.connect(lambda _on: self._edited())
        self.payout_amount.textEdited.connect(self._payout_edited)
        self._retranslate()
        self.show_case(None, None)

    # -- showing -----------------------------------------------------------------------------
    @property
    def case(self) -> ClaimsCase | None:
        return self._case

    @property
    def claim(self) -> ClaimView | None:
        return self._claim

    @property
    def dirty(self) -> bool:
        """Typed input not saved yet (for the seat's close check)."""
        return self._typed or self._payout_typed or bool(self._drafts)

    def show_case(self, case: ClaimsCase | None, claim_id: int | None) -> None:
        """Show a case with one of the company's claims in the form (`claim_id`, else the
        first unpaid one). Typed values of the same claim are kept."""
        self._case = case
        claim = (case.claim(claim_id) or case.first_open_claim()) if case is not None else None
        self._claim = claim
        if case is None:
            self.heading.setText(self.tr("No claim open"))
            self.facts.setText(self.tr("Choose a claim in the queue and press Enter."))
            self.parties.clear()
            self._show_claims()
            self._fill(None)
            self._enable()
            self.verdict.clear()
            self.clock.clear()
            return
        self.heading.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=case.case_no, state=state_label(case.state)
            )
        )
        letter = (
            self.tr("letter {doc_no}").format(doc_no=case.doc_no)
            if case.doc_no
            else self.tr("no letter yet")
        )
        self.facts.setText(
            self.tr("Accident {when} · {place} · {letter}").format(
                when=f"{to_local(case.occurred_at):%Y-%m-%d %H:%M}",
                place=case.place or "—",
                letter=letter,
            )
        )
        self.parties.setText("\n".join(self._party_line(case, i) for i in range(len(case.parties))))
        self._show_claims()
        self._fill(claim)
        self._enable()
        self._show_verdict()
        self.tick(self._now)

    def _party_line(self, case: ClaimsCase, index: int) -> str:
        party = case.parties[index]
        grade = grade_label(party.grade.value) if party.grade is not None else None
        insurer = party.insurer_name or self.tr("insurer unknown")
        if party.insured_here:
            insurer = self.tr("{insurer} (ours)").format(insurer=insurer)
        return self.tr("Party {letter}: {name} · {plate} · liability {grade} · {insurer}").format(
            letter=party_label(party.letter) or party.letter,
            name=party.name,
            plate=party.plate_no or "—",
            grade=grade or "—",
            insurer=insurer,
        )

    def _show_claims(self) -> None:
        """A title and a stage strip per claim of the company on the case."""
        case = self._case
        claims = case.claims if case is not None else ()
        if [c.claim_id for c in claims] != list(self.strips):
            while self.claims_layout.count():
                item = self.claims_layout.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None and widget is not self.others:
                    widget.deleteLater()
            self.strips, self.claim_titles = {}, {}
            for claim in claims:
                heading = QLabel()
                heading.setObjectName(f"claim_title_{claim.claim_id}")
                heading.setWordWrap(True)
                strip = StageStrip()
                self.claim_titles[claim.claim_id] = heading
                self.strips[claim.claim_id] = strip
                self.claims_layout.addWidget(heading)
                self.claims_layout.addWidget(strip)
            self.claims_layout.addWidget(self.others)
        for claim in claims:
            handler = claim.assignee_name or self.tr("not taken")
            title = self.tr("Party {letter} · {plate} · report no. {report} · {handler}").format(
                letter=party_label(claim.party_letter) or claim.party_letter,
                plate=claim.plate_no or "—",
                report=claim.report_no or "—",
                handler=handler,
            )
            current = self._claim is not None and claim.claim_id == self._claim.claim_id
            label = self.claim_titles[claim.claim_id]
            label.setText(("▶ " if current and len(claims) > 1 else "") + title)
            label.setStyleSheet("font-weight: bold;" if current else "")
            self.strips[claim.claim_id].show_marks(claim.stages, claim.stage, self._now)
        if case is not None and not claims:
            self.others.setText(
                self.tr(
                    "Your company has no claim on this case yet; it is opened when the letter "
                    "or the parties' agreement is pushed."
                )
            )
        elif case is not None and case.other_claims_unpaid:
            self.others.setText(
                self.tr(
                    "Other insurers' claims not paid yet: {count}. The case settles when "
                    "every claim on it is paid."
                ).format(count=case.other_claims_unpaid)
            )
        else:
            self.others.clear()
        self.others.setVisible(bool(self.others.text()))

    def _fill(self, claim: ClaimView | None) -> None:
        """Put the claim's recorded values into the fields, unless the adjuster has typed into
        them for this same claim (a failed save, or a refresh while typing). Input typed for
        another claim is kept aside and comes back with that claim."""
        same = claim is not None and claim.claim_id == self._filled_claim
        draft = None
        if not same:
            self._stash()
            self._typed = self._payout_typed = False
            draft = self._drafts.pop(claim.claim_id, None) if claim is not None else None
        if draft is not None:
            self._restore(draft)
        if not (self._typed or draft is not None):
            self.parts.setText("、".join(claim.damaged_parts) if claim else "")
            self.amount.setText(
                str(claim.assessed_amount) if claim and claim.assessed_amount is not None else ""
            )
            self.shop.setText((claim.repair_shop or "") if claim else "")
            self.knock.setChecked(bool(claim and claim.knock_for_knock))
        if not (self._payout_typed or draft is not None):
            paid = claim.paid_amount if claim else None
            default = paid if paid is not None else (claim.assessed_amount if claim else None)
            self.payout_amount.setText(str(default) if default is not None else "")
        self._filled_claim = claim.claim_id if claim is not None else None
        if claim is not None:
            self.form_box.setTitle(
                self.tr("Loss assessment · party {letter} · {plate}").format(
                    letter=party_label(claim.party_letter) or claim.party_letter,
                    plate=claim.plate_no or "—",
                )
            )
        else:
            self.form_box.setTitle(self.tr("Loss assessment"))

    def _enable(self) -> None:
        case, claim = self._case, self._claim
        can_take = claim is not None and claim.may_take(self._user_id)
        can_assess = (
            claim is not None and case is not None and claim.may_assess(self._user_id, case.state)
        )
        can_pay = (
            claim is not None and case is not None and claim.may_pay(self._user_id, case.state)
        )
        self.take_button.setEnabled(can_take)
        for widget in (self.parts, self.amount, self.shop, self.knock, self.assess_button):
            widget.setEnabled(can_assess)
        self.payout_amount.setEnabled(can_pay)
        self.pay_button.setEnabled(can_pay)
        self.letter_button.setEnabled(case is not None and case.letter_id is not None)

    def _typed_loss(self) -> Decimal | None:
        """The loss the verdict uses: what is typed when it reads as an amount, else the
        recorded assessment."""
        try:
            return parse_amount(self.amount.text(), AMOUNT_CAP)
        except RuleViolation:
            return self._claim.assessed_amount if self._claim is not None else None

    def _show_verdict(self) -> None:
        case, claim = self._case, self._claim
        if case is None:
            self.verdict.clear()
            return
        verdict = (
            case.verdict_with_loss(claim.party_letter, self._typed_loss())
            if claim is not None
            else case.verdict
        )
        text, colour = self.verdict_text(verdict)
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"color: {colour};")

    def verdict_text(self, verdict: Verdict) -> tuple[str, str]:
        """The rule's verdict in words, every failed and every open condition on its line."""
        if verdict.applies:
            return (
                self.tr("Knock-for-knock applies: each insurer pays its own insured's loss."),
                _OK,
            )
        lines: list[str] = []
        if verdict.failures:
            lines.append(self.tr("Knock-for-knock does not apply:"))
            lines += [f"• {describe_finding(f)}" for f in verdict.failures]
            colour = _BAD
        else:
            lines.append(self.tr("Knock-for-knock may apply once these are known:"))
            colour = _WARN
        if verdict.unknowns:
            if verdict.failures:
                lines.append(self.tr("Not yet known:"))
            lines += [f"• {describe_finding(f, unknown=True)}" for f in verdict.unknowns]
        return "\n".join(lines), colour

    def tick(self, now: datetime) -> None:
        """The live clocks: the case's accident-to-payout, or the time since the accident."""
        self._now = now
        case = self._case
        if case is None:
            return
        if case.accident_to_payout is not None:
            self.clock.setText(
                self.tr("Accident to payout: {time}").format(
                    time=format_duration(case.accident_to_payout)
                )
            )
            self.clock.setStyleSheet(f"color: {_OK}; font-weight: bold;")
        else:
            self.clock.setText(
                self.tr("Since the accident: {time} (not paid yet)").format(
                    time=format_duration(now - case.occurred_at)
                )
            )
            self.clock.setStyleSheet("")

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet(f"color: {_OK if ok else _BAD};")
        self.message.setText(text)

    def assessment_saved(self) -> None:
        """The assessment is in the hall: the next refresh fills the fields from it."""
        self._typed = False

    def payout_saved(self) -> None:
        self._payout_typed = False

    def focus_form(self) -> None:
        if self.parts.isEnabled():
            self.parts.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.payout_amount.isEnabled():
            self.payout_amount.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- requests ----------------------------------------------------------------------------
    def request_take(self) -> None:
        if self._claim is not None:
            self.take_requested.emit(self._claim.claim_id)

    def request_assess(self) -> None:
        claim = self._claim
        if claim is None:
            return
        try:
            amount = parse_amount(self.amount.text(), AMOUNT_CAP)
        except RuleViolation as refused:
            self.say(describe_error(refused), ok=False)
            self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
            self.amount.selectAll()
            return
        self.assess_requested.emit(
            AssessmentRequest(
                claim_id=claim.claim_id,
                version=claim.version,
                damaged_parts=tuple(parse_parts(self.parts.text())),
                amount=amount,
                repair_shop=self.shop.text(),
                knock_for_knock=self.knock.isChecked(),
            )
        )

    def request_pay(self) -> None:
        claim = self._claim
        if claim is None:
            return
        try:
            amount = parse_amount(self.payout_amount.text(), AMOUNT_CAP)
        except RuleViolation as refused:
            self.say(describe_error(refused), ok=False)
            self.payout_amount.setFocus(Qt.FocusReason.OtherFocusReason)
            self.payout_amount.selectAll()
            return
        self.pay_requested.emit(claim.claim_id, claim.version, amount)

    def request_letter(self) -> None:
        if self._case is not None and self._case.letter_id is not None:
            self.letter_requested.emit(self._case.letter_id)

    # -- internals ---------------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        self._typed = True

    def _stash(self) -> None:
        if self._filled_claim is not None and (self._typed or self._payout_typed):
            self._drafts[self._filled_claim] = _Draft(
                parts=self.parts.text(),
                amount=self.amount.text(),
                shop=self.shop.text(),
                knock=self.knock.isChecked(),
                payout=self.payout_amount.text(),
                typed=self._typed,
                payout_typed=self._payout_typed,
            )

    def _restore(self, draft: _Draft) -> None:
        self.parts.setText(draft.parts)
        self.amount.setText(draft.amount)
        self.shop.setText(draft.shop)
        self.knock.setChecked(draft.knock)
        self.payout_amount.setText(draft.payout)
        self._typed, self._payout_typed = draft.typed, draft.payout_typed

    def _payout_edited(self, _text: str) -> None:
        self._payout_typed = True

    def _retranslate(self) -> None:
        self.claims_box.setTitle(self.tr("Our claims on this case"))
        self.parts_label.setText(self.tr("Damaged parts"))
        self.parts.setPlaceholderText(self.tr("e.g. 后保险杠、左尾灯 (separate with 、)"))
        self.amount_label.setText(self.tr("Assessed amount (yuan)"))
        self.amount.setPlaceholderText(self.tr("e.g. 1800 or 1800.50"))
        self.shop_label.setText(self.tr("Repair shop"))
        self.knock.setText(self.tr("Settle knock-for-knock (each insurer pays its own insured)"))
        self.assess_button.setText(self.tr("Save the assessment (Ctrl+Enter)"))
        self.payout_box.setTitle(self.tr("Payout"))
        self.payout_amount_label.setText(self.tr("Amount paid (yuan)"))
        self.payout_time_label.setText(self.tr("Paid at:"))
        self.payout_time.setText(self.tr("now, when you record it"))
        self.pay_button.setText(self.tr("Record the payout (Ctrl+Shift+P)"))
        self.take_button.setText(self.tr("Take the claim (F2)"))
        self.letter_button.setText(self.tr("Show the letter (Ctrl+P)"))
