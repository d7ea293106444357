"""The determination pane: pick the standard situation and who did it, see the proposed grades,
statute and accident form, edit the drafted facts, confirm. It shows and emits; the rules
(proposal, valid combinations, drafting) are `console.domain`, the write is a use case.

Keyboard: the search box has the focus when a case opens — type Chinese, pinyin initials
(zzqcwb → 追撞前车尾部) or the code, ↓/↑ choose, Enter takes it; 1/2/3 in the party box say
who did it; Ctrl+Enter confirms; Ctrl+P shows the issued letter.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.errors import RuleViolation
from console.domain.letter import NarrativeParty, draft_facts
from console.domain.liability import AccidentForm, Grade, validate_grades
from console.domain.lifecycle import CaseState
from console.domain.situations import (
    Situation,
    citations_zh,
    propose_grades,
    search_situations,
    situation,
)
from console.hall.determination import DeterminationInput
from console.hall.review import ReviewDetail
from console.views.labels import state_label
from console.views.messages import describe_error

GRADE_LABELS = {
    Grade.FULL: "全部",
    Grade.MAIN: "主要",
    Grade.EQUAL: "同等",
    Grade.MINOR: "次要",
    Grade.NONE: "无",
}


# When the seat offers the letter's after-life (the use cases check the rule itself).
OBJECTION_STATES: Final = frozenset(
    {CaseState.DETERMINED, CaseState.INSURERS_NOTIFIED, CaseState.CLAIMS_OPEN}
)
MEDIATION_STATES: Final = frozenset({CaseState.DISPUTED, CaseState.MEDIATING})


class SearchBox(QLineEdit):
    """↓/↑ move in the result list while the cursor stays in the box; Enter takes it."""

    moved = Signal(int)
    taken = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Down:
            self.moved.emit(1)
        elif event.key() == Qt.Key.Key_Up:
            self.moved.emit(-1)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.taken.emit()
        else:
            super().keyPressEvent(event)


class DeterminationPanel(QWidget):
    confirm_requested = Signal(int, int, object)  # case id, version, DeterminationInput
    letter_requested = Signal(int)  # letter id
    objection_requested = Signal(int, int)  # case id, version
    mediation_requested = Signal(int, int)  # case id, version

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("determination_panel")
        self._detail: ReviewDetail | None = None
        self._mine = False
        self._situation: Situation | None = None
        self._narrative_edited = False
        self._drafting = False
        self._letter_id: int | None = None

        self.heading = QLabel(self.tr("No case open"))
        self.heading.setObjectName("determination_heading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.search = SearchBox()
        self.search.setObjectName("situation_search")
        self.search.setPlaceholderText(
            self.tr("Situation: Chinese, pinyin initials (zzqcwb) or code")
        )
        self.results = QListWidget()
        self.results.setObjectName("situations")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMaximumHeight(150)
        self.who = QComboBox()
        self.who.setObjectName("at_fault")
        self.statute = QLabel()
        self.statute.setObjectName("statute")
        self.statute.setWordWrap(True)
        self.form = QComboBox()
        self.form.setObjectName("accident_form")
        for accident_form in AccidentForm:
            self.form.addItem(
                f"{accident_form.value} {accident_form.label_zh}", accident_form.value
            )
        self.parts = QLineEdit()
        self.parts.setObjectName("collision_parts")
        self.parts.setPlaceholderText(self.tr("Collision parts, e.g. 甲车前部、乙车尾部"))
        self.grade_boxes: dict[str, QComboBox] = {}
        self.grades_box = QGroupBox(self.tr("Liability"))
        self.grades_layout = QFormLayout(self.grades_box)
        self.override = QLineEdit()
        self.override.setObjectName("override_reason")
        self.override.setPlaceholderText(self.tr("Reason for departing from the proposal"))
        self.grade_check = QLabel()
        self.grade_check.setObjectName("grade_check")
        self.grade_check.setWordWrap(True)
        self.narrative = QPlainTextEdit()
        self.narrative.setObjectName("narrative")
        self.narrative.setTabChangesFocus(True)
        self.confirm_button = QPushButton(self.tr("Confirm and issue the letter (Ctrl+Enter)"))
        self.confirm_button.setObjectName("confirm_determination")
        self.confirm_button.clicked.connect(self.request_confirm)
        self.letter_button = QPushButton(self.tr("Show the letter (Ctrl+P)"))
        self.letter_button.setObjectName("show_letter")
        self.letter_button.clicked.connect(self.request_letter)
        self.objection_button = QPushButton(self.tr("Objection… (Ctrl+Shift+O)"))
        self.objection_button.setObjectName("record_objection")
        self.objection_button.clicked.connect(self.request_objection)
        self.mediation_button = QPushButton(self.tr("Mediation result… (Ctrl+Shift+M)"))
        self.mediation_button.setObjectName("record_mediation")
        self.mediation_button.clicked.connect(self.request_mediation)
        self.message = QLabel()
        self.message.setObjectName("determination_message")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Who did it"), self.who)
        form.addRow(self.tr("Statute"), self.statute)
        form.addRow(self.tr("Accident form"), self.form)
        form.addRow(self.tr("Collision parts"), self.parts)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.letter_button)
        buttons.addWidget(self.objection_button)
        buttons.addWidget(self.mediation_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addLayout(form)
        layout.addWidget(self.grades_box)
        layout.addWidget(self.override)
        layout.addWidget(self.grade_check)
        layout.addWidget(QLabel(self.tr("Facts and liability")))
        layout.addWidget(self.narrative, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.search.textEdited.connect(self._search)
        self.search.moved.connect(self._move)
        self.search.taken.connect(self._take)
        self.results.itemDoubleClicked.connect(lambda _item: self._take())
        self.who.currentIndexChanged.connect(self._propose)
        self.who.installEventFilter(self)
        self.narrative.textChanged.connect(self._narrative_changed)
        self.override.textEdited.connect(lambda _text: self._check())
        self._search("")
        self.show_case(None, mine=False)

    # -- showing -------------------------------------------------------------------------------
    @property
    def detail(self) -> ReviewDetail | None:
        return self._detail

    def show_case(self, detail: ReviewDetail | None, *, mine: bool) -> None:
        """Show a case; `mine`: this officer holds its determination task."""
        same = (
            detail is not None
            and self._detail is not None
            and detail.case_id == self._detail.case_id
        )
        self._detail = detail
        self._mine = mine
        if detail is None:
            self.heading.setText(self.tr("No case open"))
            self._set_parties([])
            self._enable(False)
            return
        self.heading.setText(
            self.tr("Case {case_no} · {state}").format(
                case_no=detail.case_no, state=state_label(detail.state)
            )
        )
        if not same:
            self._situation = None
            self._narrative_edited = False
            self._letter_id = None
            self.search.clear()
            self._search("")
            self.parts.clear()
            self.override.clear()
            self.message.clear()
            self._set_parties([p.letter for p in detail.parties])
            self.narrative.blockSignals(True)
            self.narrative.clear()
            self.narrative.blockSignals(False)
        can = mine and detail.state.value == "determining"
        self._enable(can)
        if not mine and detail.state.value == "determining":
            self.say(self.tr("Another officer holds this task."), ok=False)
        elif detail.state.value == "awaiting_determination" and not same:
            self.say(self.tr("Take the task first (F2 or Claim)."), ok=False)
        self._check()

    def _enable(self, on: bool) -> None:
        for widget in (
            self.search,
            self.who,
            self.form,
            self.parts,
            self.override,
            self.narrative,
            self.confirm_button,
            *self.grade_boxes.values(),
        ):
            widget.setEnabled(on)
        self.letter_button.setEnabled(self._letter_id is not None)
        state = self._detail.state if self._detail is not None else None
        self.objection_button.setEnabled(state in OBJECTION_STATES)
        self.mediation_button.setEnabled(state in MEDIATION_STATES)

    def _set_parties(self, letters: list[str]) -> None:
        self.who.blockSignals(True)
        self.who.clear()
        for letter in letters:
            self.who.addItem(self.tr("Party {letter}").format(letter=letter), letter)
        self.who.blockSignals(False)
        while self.grades_layout.rowCount():
            self.grades_layout.removeRow(0)
        self.grade_boxes = {}
        for letter in letters:
            box = QComboBox()
            box.setObjectName(f"grade_{letter}")
            for grade in Grade:
                box.addItem(GRADE_LABELS[grade], grade.value)
            box.currentIndexChanged.connect(lambda _i: self._grades_changed())
            self.grade_boxes[letter] = box
            self.grades_layout.addRow(self.tr("Party {letter}").format(letter=letter), box)

    def _search(self, text: str) -> None:
        self.results.clear()
        for found in search_situations(text)[:30]:
            item = QListWidgetItem(f"{found.code} · {found.label_zh}")
            item.setData(Qt.ItemDataRole.UserRole, found.code)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _move(self, step: int) -> None:
        row = self.results.currentRow() + step
        if 0 <= row < self.results.count():
            self.results.setCurrentRow(row)

    def _take(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self._situation = situation(str(item.data(Qt.ItemDataRole.UserRole)))
        self.search.setText(self._situation.label_zh)
        self.form.setCurrentIndex(max(0, self.form.findData(self._situation.accident_form.value)))
        self._propose()
        self.who.setFocus()

    def _propose(self) -> None:
        chosen = self._situation
        letters = list(self.grade_boxes)
        if chosen is None or not letters or self.who.currentIndex() < 0:
            self._check()
            return
        try:
            proposed = propose_grades(chosen, self.who.currentIndex(), len(letters))
        except RuleViolation as exc:
            self.say(describe_error(exc), ok=False)
            return
        for letter, grade in zip(letters, proposed, strict=True):
            box = self.grade_boxes[letter]
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(grade.value))
            box.blockSignals(False)
        self.statute.setText(
            self.tr("At fault: {at_fault}; other party: {other}").format(
                at_fault=citations_zh(chosen.statute_at_fault) or "—",
                other=citations_zh(chosen.statute_other) or "—",
            )
        )
        self._redraft()
        self._check()

    def _grades(self) -> dict[str, Grade]:
        return {letter: Grade(box.currentData()) for letter, box in self.grade_boxes.items()}

    def _proposal(self) -> dict[str, Grade] | None:
        chosen = self._situation
        letters = list(self.grade_boxes)
        if chosen is None or not letters or self.who.currentIndex() < 0:
            return None
        try:
            grades = propose_grades(chosen, self.who.currentIndex(), len(letters))
        except RuleViolation:
            return None
        return dict(zip(letters, grades, strict=True))

    def _grades_changed(self) -> None:
        self._redraft()
        self._check()

    def _redraft(self) -> None:
        detail = self._detail
        chosen = self._situation
        if detail is None or chosen is None or self._narrative_edited:
            return
        grades = self._grades()
        text = draft_facts(
            occurred_at=detail.facts.occurred_at,
            place=detail.place,
            situation_zh=chosen.label_zh,
            at_fault_letter=str(self.who.currentData() or "A"),
            statute_at_fault=citations_zh(chosen.statute_at_fault),
            statute_other=citations_zh(chosen.statute_other),
            parties=tuple(
                NarrativeParty(p.letter, p.name, p.plate_no or "", grades[p.letter].value)
                for p in detail.parties
                if p.letter in grades
            ),
        )
        self._drafting = True
        self.narrative.setPlainText(text)
        self._drafting = False

    def _narrative_changed(self) -> None:
        if not self._drafting:
            self._narrative_edited = True

    def _check(self) -> bool:
        """Live: valid combination? departing from the proposal with a reason?"""
        grades = self._grades()
        if self._situation is None or not grades:
            self.grade_check.setText(self.tr("Choose the situation and who did it."))
            self.grade_check.setStyleSheet("color: #ef6c00;")
            self.confirm_button.setEnabled(False)
            return False
        try:
            validate_grades(list(grades.values()), by_officer=True)
        except RuleViolation as exc:
            self.grade_check.setText(describe_error(exc))
            self.grade_check.setStyleSheet("color: #c62828;")
            self.confirm_button.setEnabled(False)
            return False
        differs = self._proposal() != grades
        self.override.setVisible(differs)
        if differs and not self.override.text().strip():
            self.grade_check.setText(
                self.tr("The grades differ from the proposal: give the reason.")
            )
            self.grade_check.setStyleSheet("color: #ef6c00;")
            self.confirm_button.setEnabled(False)
            return False
        self.grade_check.setText(self.tr("Valid combination; ready to confirm."))
        self.grade_check.setStyleSheet("color: #2e7d32;")
        self.confirm_button.setEnabled(self._mine)
        return True

    def say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    def set_letter(self, letter_id: int | None) -> None:
        """The letter in force of the case shown (Ctrl+P opens it)."""
        self._letter_id = letter_id
        self.letter_button.setEnabled(letter_id is not None)

    def issued(self, letter_id: int, doc_no: str) -> None:
        self._letter_id = letter_id
        self.letter_button.setEnabled(True)
        self.say(
            self.tr("Letter {doc_no} issued; the parties and insurers are notified.").format(
                doc_no=doc_no
            ),
            ok=True,
        )

    # -- requests ------------------------------------------------------------------------------
    def request_confirm(self) -> None:
        detail = self._detail
        chosen = self._situation
        if detail is None or chosen is None or not self._mine:
            return
        if not self._check():
            return
        decision = DeterminationInput(
            situation_code=chosen.code,
            at_fault_letter=str(self.who.currentData()),
            grades=self._grades(),
            narrative=self.narrative.toPlainText(),
            accident_form=AccidentForm(str(self.form.currentData())),
            collision_parts=tuple(
                part.strip()
                for part in self.parts.text().replace("，", "、").split("、")
                if part.strip()
            ),
            override_reason=self.override.text().strip() or None,
        )
        self.confirm_requested.emit(detail.case_id, detail.version, decision)

    def request_objection(self) -> None:
        detail = self._detail
        if detail is not None and detail.state in OBJECTION_STATES:
            self.objection_requested.emit(detail.case_id, detail.version)
        elif detail is not None:
            self.say(self.tr("Only a case with a letter can be objected to."), ok=False)

    def request_mediation(self) -> None:
        detail = self._detail
        if detail is not None and detail.state in MEDIATION_STATES:
            self.mediation_requested.emit(detail.case_id, detail.version)
        elif detail is not None:
            self.say(self.tr("Mediation follows an objection; this case has none."), ok=False)

    def request_letter(self) -> None:
        if self._letter_id is not None:
            self.letter_requested.emit(self._letter_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """1, 2, 3 on the party box say who did it."""
        if watched is self.who and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            index = event.key() - Qt.Key.Key_1
            if 0 <= index < min(3, self.who.count()):
                self.who.setCurrentIndex(index)
                return True
        return super().eventFilter(watched, event)
