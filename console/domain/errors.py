"""The one error type for a broken rule, shaped so every layer can show it in the user's language."""

from __future__ import annotations


class RuleViolation(ValueError):
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
