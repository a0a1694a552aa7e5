"""One small hierarchy of refusals that every entry point maps to a clear message."""

from __future__ import annotations


class Refused(Exception):
    """A command or query was refused; nothing was stored."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.message}"
        return self.message


ECHO_LIMIT = 100


def echoed(text: str, limit: int = ECHO_LIMIT) -> str:
    """A bad value as a refusal quotes it: ``repr`` of at most ``limit`` characters (then
    "…"), so a megabyte of input is not answered with a megabyte of message."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


class BadInput(Refused):
    """Malformed or out-of-range input (HTTP 422)."""


class UnknownReference(BadInput):
    """The command names a target, milestone or year that does not exist (HTTP 422)."""


class NotFound(Refused):
    """A query for something that does not exist (HTTP 404)."""


class Conflict(Refused):
    """The command contradicts what is stored (HTTP 409)."""


class QuarterClosed(Conflict):
    """The quarter is closed and the command carries no restatement reason."""


class CommandConflict(Conflict):
    """The same command id was stored before with different content."""


class Unauthenticated(Refused):
    """No token, an unknown token, or a revoked one (HTTP 401)."""


class Forbidden(Refused):
    """The token's role or team does not allow this (HTTP 403)."""
