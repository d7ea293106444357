"""Refusals a use case gives. All are RuleViolations: the view shows the message and keeps
the user's input; nothing was written."""

from __future__ import annotations

from console.domain.errors import RuleViolation


class NotFound(RuleViolation):
    """The thing named does not exist (or is not visible to this actor)."""


class PermissionDenied(RuleViolation):
    """The actor's position may not do this."""


class StaleEdit(RuleViolation):
    """Someone else changed the record since this view loaded it."""


class HeldByOther(RuleViolation):
    """The case is locked to another user (DOMAIN.md: only the holder completes or releases)."""
