"""The one error type for a broken rule, shaped so every layer can show it in the user's
language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class RuleViolation(ValueError):  # noqa: N818 - the name says what it is in the trade
    """Input or a requested change breaks a rule of the trade.

    `code` is stable and machine-readable (the UI translates by it); `message` is a specific
    English sentence naming what is wrong; `params` holds the values the message mentions.
    """

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params: dict[str, object] = dict(params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Finding:
    """One failed or still-open check inside a verdict (eligibility, knock-for-knock).

    Verdicts list every problem at once instead of raising on the first, so the reviewer sees
    the whole picture; each item carries the same `code`/`message`/`params` triple as
    `RuleViolation`, so the UI translates both the same way.
    """

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.message

    def to_violation(self) -> RuleViolation:
        return RuleViolation(self.code, self.message, **self.params)
