"""Exceptions carry what a caller needs to act: the field, the status, the platform's body.

Every error turns into the same JSON shape (``{"type", "message", "status"?, "details"?}``)
for the CLI and for agents, and maps to one exit code: 2 bad input, 1 platform or auth
trouble, 3 network.
"""

from __future__ import annotations

from typing import Any


class TetherError(Exception):
    """Base class of every error tether raises on purpose."""

    type = "error"
    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details

    def add_context(self, note: str, **details: Any) -> TetherError:
        """Append what had already happened (``note``, ``details``) and return the same error.

        For actions that send several requests that are not undone on failure: the caller
        learns which ones took effect, and the error keeps its type and status.
        """
        self.message = f"{self.message}. {note}"
        self.args = (self.message,)
        base = self.details if isinstance(self.details, dict) else ({} if self.details is None else {"original": self.details})
        self.details = {**base, **details}
        return self

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.status is not None:
            out["status"] = self.status
        if self.details is not None:
            out["details"] = self.details
        return out


class UsageError(TetherError):
    """The caller asked for something malformed (bad flag, bad JSON, unsafe path)."""

    type = "usage_error"
    exit_code = 2


class ValidationError(UsageError):
    """Input does not match an action's input schema. Nothing was sent."""

    type = "validation_error"

    def __init__(self, message: str, *, path: str, expected: Any = None, given: Any = None):
        super().__init__(message, details={"path": path, "expected": expected, "given": given})
        self.path = path
        self.expected = expected
        self.given = given


class NotFoundError(TetherError):
    """An unknown connector, connection or action (status None), or a platform 404."""

    type = "not_found"

    @property  # type: ignore[override]
    def exit_code(self) -> int:
        return 2 if self.status is None else 1


class ConfigurationError(TetherError):
    """A connection or plugin is not set up well enough to run (missing credential, bad plugin)."""

    type = "configuration_error"


class PolicyError(TetherError):
    """A plugin refused the run or the request (dry-run, allow-list, audit policy)."""

    type = "policy_error"


class PlatformError(TetherError):
    """The platform answered with an error. ``body`` is its own error body, secrets removed."""

    type = "platform_error"

    def __init__(self, message: str, *, status: int | None = None, body: Any = None):
        super().__init__(message, status=status, details={"body": body} if body is not None else None)
        self.body = body


class AuthError(PlatformError):
    """The platform refused the credentials."""

    type = "auth_error"


class RateLimitedError(PlatformError):
    """The platform's rate limit was hit and retries ran out. ``retry_after`` is in seconds."""

    type = "rate_limited"

    def __init__(self, message: str, *, status: int | None = 429, body: Any = None, retry_after: float | None = None):
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["retry_after"] = self.retry_after
        return out


class NetworkError(TetherError):
    """The platform could not be reached, or the answer was lost.

    ``processed`` says what is known of the request's fate: False when it provably never
    arrived, None when it may have been processed (and was therefore not retried).
    """

    type = "network_error"
    exit_code = 3

    def __init__(self, message: str, *, processed: bool | None = None):
        super().__init__(message, details={"processed": processed})
        self.processed = processed
