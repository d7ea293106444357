"""The user's language everywhere: a complete zh_CN translation, and every refusal translated.

- The committed .ts must hold a finished Chinese translation of every source string (this is
  the test that fails when someone adds a `tr()` string and forgets the Chinese).
- Every refusal code the core raises must have a template in console/views/error_templates.py.
- A real refusal reads as Chinese under the zh_CN translator and as English under "en".
"""

from __future__ import annotations

import importlib.util
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from console.domain.errors import RuleViolation
from console.domain.lifecycle import CaseState, check_transition
from console.domain.positions import Position
from console.domain.validation import validate_plate
from console.i18n import install_translators
from console.views import error_templates
from console.views.labels import position_label, state_label
from console.views.messages import describe_error

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"

# A refusal is built by one of these with its code as the first argument ...
_RAISING = re.compile(
    r"\b(?:RuleViolation|Finding|NotFound|PermissionDenied|StaleEdit|HeldByOther)"
    r"\(\s*\"([a-z_]+\.[a-z_]+)\""
)
# ... or the code travels as a literal to a helper (eligibility's out.flag/fail/unknown,
# code="…", a conditional code): any literal with the family prefix of a code found above.
_LITERAL = re.compile(r"\"([a-z_]+)\.([a-z_]+)\"")
_NOT_CODES = frozenset({"json", "py", "csv", "ts", "qm", "sql", "toml", "txt", "pdf", "png"})


def _sources() -> Iterator[tuple[Path, str]]:
    for path in sorted(CONSOLE.rglob("*.py")):
        if path.name == "error_templates.py" or "migrations" in path.parts:
            continue
        yield path, path.read_text(encoding="utf-8")


def raised_codes() -> dict[str, str]:
    """Every refusal code in console/, with one file that raises it."""
    direct: dict[str, str] = {}
    literals: dict[str, str] = {}
    for path, text in _sources():
        where = str(path.relative_to(ROOT))
        for code in _RAISING.findall(text):
            direct.setdefault(code, where)
        for family, name in _LITERAL.findall(text):
            if name not in _NOT_CODES:
                literals.setdefault(f"{family}.{name}", where)
    families = {code.split(".")[0] for code in direct}
    found = {code: where for code, where in literals.items() if code.split(".")[0] in families}
    return found | direct


def _translations_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "hall_translations", ROOT / "installer" / "translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- the .ts is complete


def test_every_zh_cn_message_is_translated() -> None:
    problems = _translations_tool().check()
    assert problems == [], (
        "untranslated zh_CN messages; run `python installer/translations.py update`, translate, "
        "then `fill`:\n" + "\n".join(problems)
    )


# ---------------------------------------------------------------- every code has a template


def test_the_scan_finds_the_known_kinds_of_raise_site() -> None:
    codes = raised_codes()
    assert "plate.bad_province" in codes  # RuleViolation("…", …) across lines
    assert "eligibility.death_or_injury" in codes  # out.flag(value, "…", …)
    assert "eligibility.licence_expired" in codes  # _check_until(code="…")
    assert "knock_for_knock.party_fully_liable" in codes  # "…" if … else "…"
    assert "case.held_by_other" in codes  # HeldByOther(…)
    assert len(codes) > 100


def test_every_raised_code_has_a_template() -> None:
    missing = {
        code: where
        for code, where in raised_codes().items()
        if error_templates.error_template(code) is None
    }
    assert missing == {}, f"add these codes to console/views/error_templates.py: {missing}"


def test_no_template_for_a_code_nobody_raises() -> None:
    stale = set(error_templates._TEMPLATES) - set(raised_codes())
    assert stale == set()


def test_open_check_wording_only_for_known_codes() -> None:
    assert set(error_templates._UNKNOWN) <= set(error_templates._TEMPLATES)


@pytest.mark.parametrize(
    "template",
    [*error_templates._TEMPLATES.values(), *error_templates._UNKNOWN.values()],
)
def test_templates_are_well_formed(template: str) -> None:
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    assert all(name.isidentifier() for name in fields), template
    assert "\n" not in template


# ---------------------------------------------------------------- refusals in the language

Language = Callable[[str], None]
"""Switch the application's translators to a language ("zh_CN" or "en")."""


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Language]:
    installed: list[QTranslator] = []
    default = QLocale()

    def use(name: str) -> None:
        for translator in installed:
            qapp.removeTranslator(translator)
        installed[:] = install_translators(qapp, name)

    yield use
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def _refusal(action: Callable[[], object]) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        action()
    return caught.value


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_plate_refusal_in_chinese_and_english(language: Language) -> None:
    refusal = _refusal(lambda: validate_plate("京A1234"))
    assert refusal.code == "plate.bad_length"

    language("zh_CN")
    chinese = describe_error(refusal)
    assert "京A1234" in chinese
    assert "号牌" in chinese
    assert chinese != refusal.message

    language("en")
    english = describe_error(refusal)
    assert "京A1234" in english
    assert english.startswith("Plate")
    assert not any("\u4e00" <= char <= "\u9fff" for char in english.replace("京", ""))


def test_lifecycle_refusal_names_the_states_in_chinese(language: Language) -> None:
    refusal = _refusal(
        lambda: check_transition(CaseState.UNDER_REVIEW, CaseState.CLOSED, Position.REVIEW)
    )
    assert refusal.code == "lifecycle.not_allowed"

    language("zh_CN")
    chinese = describe_error(refusal)
    for state in (CaseState.UNDER_REVIEW, CaseState.CLOSED):
        label = state_label(state)
        assert _has_chinese(label)
        assert label in chinese
    assert "under_review" not in chinese

    language("en")
    english = describe_error(refusal)
    assert english == "A case cannot move from Under review to Closed."


def test_permission_refusal_names_the_position(language: Language) -> None:
    refusal = _refusal(
        lambda: check_transition(CaseState.UNDER_REVIEW, CaseState.RETURNED, Position.CLAIMS)
    )
    language("zh_CN")
    chinese = describe_error(refusal)
    assert position_label(Position.CLAIMS) in chinese
    assert _has_chinese(position_label(Position.CLAIMS))
    assert "claims" not in chinese


def test_unknown_code_falls_back_to_the_english_sentence(language: Language) -> None:
    language("zh_CN")
    refusal = RuleViolation("nobody.raises_this", "Exactly what is wrong", detail=1)
    assert describe_error(refusal) == "Exactly what is wrong"
