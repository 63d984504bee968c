"""Exceptions carry what a caller needs to act: the field, the status, the platform's body.

The tree (as httpx's ``_exceptions.py``)::

    TetherError
    ├── UsageError (exit 2): bad input, nothing sent
    │   └── ValidationError: input breaks an action's schema
    ├── NotFoundError (exit 2): no such connector, connection or action
    │   └── PlatformNotFoundError (exit 1): the platform answered 404 (also a PlatformError)
    ├── ConfigurationError: a connection or plugin is not set up to run
    ├── PolicyError: a plugin refused the run
    ├── PlatformError: the platform answered with an error (status, body)
    │   ├── AuthError
    │   ├── RateLimitedError
    │   └── PlatformNotFoundError
    └── NetworkError (exit 3): not reached, or the answer was lost

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
    processed: bool | None = False
    """What is known of the fate of the request that failed: False, it provably did not take
    effect (or nothing was sent); None, it may have. Set from one rule table
    (:mod:`tether._http.retry`) for errors the platform or the network caused."""

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
    """Something asked for does not exist: locally (an unknown connector, connection or action:
    status None, exit 2) or on the platform (:class:`PlatformNotFoundError`, a 404).

    ``except NotFoundError`` catches both; ``except PlatformError`` only the platform's.
    """

    type = "not_found"
    exit_code = 2

class ConfigurationError(TetherError):
    """A connection or plugin is not set up well enough to run (missing credential, bad plugin)."""

    type = "configuration_error"


class PolicyError(TetherError):
    """A plugin refused the run or the request (dry-run, allow-list, audit policy)."""

    type = "policy_error"


class PlatformError(TetherError):
    """The platform answered with an error: the base of every such error.

    ``status`` is the HTTP status; ``body`` the platform's own error body (secrets removed,
    None when it sent none); ``processed`` what the answer proves about the request's fate
    (see :mod:`tether._http.retry`): False when it provably did not take effect, None when
    it may have.
    """

    type = "platform_error"

    def __init__(self, message: str, *, status: int | None = None, body: Any = None, processed: bool | None = False):
        super().__init__(message, status=status, details={"body": body} if body is not None else None)
        self.body = body
        self.processed = processed


class AuthError(PlatformError):
    """The platform refused the credentials."""

    type = "auth_error"


class RateLimitedError(PlatformError):
    """The platform's rate limit was hit and retries ran out. ``retry_after`` is in seconds."""

    type = "rate_limited"

    def __init__(
        self, message: str, *, status: int | None = 429, body: Any = None, retry_after: float | None = None, processed: bool | None = False
    ):
        super().__init__(message, status=status, body=body, processed=processed)
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["retry_after"] = self.retry_after
        return out


class PlatformNotFoundError(NotFoundError, PlatformError):
    """The platform answered 404: what the request named does not exist there."""

    exit_code = 1

    def __init__(self, message: str, *, status: int | None = 404, body: Any = None, processed: bool | None = False):
        PlatformError.__init__(self, message, status=status, body=body, processed=processed)


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
