"""Typed errors of the domain. Services raise these; pages turn them into messages (never tracebacks)."""

from __future__ import annotations


class StemdagError(Exception):
    """Base of every error Stemdag shows to a user. ``message_key`` refers to the text catalogue."""

    message_key = "error.generic"

    def __init__(self, message: str = "", *, key: str | None = None, **params: object) -> None:
        super().__init__(message or (key or self.message_key))
        if key:
            self.message_key = key
        self.params = params


class InvalidInput(StemdagError):
    """Input that does not fit (wrong format, out of range). ``field`` names the field concerned."""

    message_key = "error.invalid_input"

    def __init__(
        self, message: str = "", *, field: str | None = None, key: str | None = None, **params: object
    ):
        super().__init__(message, key=key, **params)
        self.field = field


class NotAllowed(StemdagError):
    """The actor may not do this (wrong role, other municipality, other station, outside the window)."""

    message_key = "error.not_allowed"


class NotFound(StemdagError):
    message_key = "error.not_found"


class AuthenticationFailed(StemdagError):
    """Wrong username/password or access code."""

    message_key = "auth.failed"


class LockedOut(StemdagError):
    """Too many failed sign-in attempts; ``until`` says when it opens again."""

    message_key = "auth.locked"


class Conflict(StemdagError):
    """The request clashes with what is stored (e.g. a count that is already accepted)."""

    message_key = "error.conflict"
