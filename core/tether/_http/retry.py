"""When is it safe to try a request again, and after how long.

The rule that matters: a request that may have been processed is retried only if it is
idempotent. A connect failure, a 429 and a 503 prove the platform did not act on it; a read
timeout, a dropped response, a 502 or a 504 prove nothing.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import attrs
import httpx

# The request never reached the platform: always safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# Statuses that say "not processed, try later" for any method.
RETRY_ANY_METHOD = frozenset({429, 503})
# Statuses where an upstream may or may not have acted: retry idempotent requests only.
RETRY_IDEMPOTENT = frozenset({502, 504})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@attrs.frozen
class Decision:
    retry: bool
    delay: float = 0.0
    reason: str = ""


@attrs.frozen
class RetryPolicy:
    """Exponential backoff with jitter, bounded in attempts and in the longest wait."""

    max_retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 120.0
    """A ``Retry-After`` longer than this is not waited out: the caller gets rate_limited."""
    poll_scale: float = 1.0
    """Multiplies the waits between polls of a platform job (tests shorten them)."""
    rng: random.Random = attrs.field(factory=random.Random, eq=False, repr=False)

    def backoff_delay(self, attempt: int) -> float:
        ceiling = min(self.max_backoff, self.backoff * (2**attempt))
        # "Equal jitter": never less than half the ceiling, so retries do spread out.
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def decide(self, attempt: int, idempotent: bool, outcome: httpx.Response | Exception) -> Decision:
        """Whether attempt number ``attempt`` (0-based) should be followed by another."""
        if attempt >= self.max_retries:
            return Decision(False, reason="retries exhausted")
        if isinstance(outcome, Exception):
            if isinstance(outcome, NOT_SENT):
                return Decision(True, self.backoff_delay(attempt), "connection failed before sending")
            if idempotent and isinstance(outcome, httpx.TransportError):
                return Decision(True, self.backoff_delay(attempt), "answer lost; request is idempotent")
            return Decision(False, reason="answer lost and the request is not idempotent")
        status = outcome.status_code
        if status in RETRY_ANY_METHOD or (status in RETRY_IDEMPOTENT and idempotent):
            wait = parse_retry_after(outcome.headers.get("retry-after"))
            if wait is None:
                return Decision(True, self.backoff_delay(attempt), f"status {status}")
            if wait > self.max_retry_after:
                return Decision(False, reason=f"Retry-After {wait:.0f}s exceeds the {self.max_retry_after:.0f}s limit")
            return Decision(True, wait, f"status {status}, Retry-After {wait:g}s")
        return Decision(False)
