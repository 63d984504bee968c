"""What each outcome of a request means: retry it or not, and what is known of its fate.

One table (:func:`rule_for`) says it for every outcome, a status or a transport exception.
The retry decision, the ``processed`` flag of errors and every connector's batch report read
it, so they can never disagree. The rule that matters: a request that may have been
processed is retried only if it is idempotent. A connect failure, a 429 and a 503 prove the
platform did not act on it; a read timeout, a dropped response, a 5xx other than 503 prove
nothing; an error raised before a byte left is the caller's, and sending again cannot help.
"""

from __future__ import annotations

import random
import time
from typing import Any, Final, Literal

import attrs

from .messages import (
    Answer,
    AnswerLost,
    ConnectFailed,
    ConnectTimedOut,
    PoolTimedOut,
    RefusedLocally,
    TransportFailure,
    UnsupportedScheme,
)
from .ops import _Value

ALWAYS: Final = "always"
IDEMPOTENT: Final = "idempotent"
NEVER: Final = "never"


class Rule(_Value):
    """What one kind of outcome means.

    ``retry``: always, only for an idempotent request, or never. ``processed``: True (it
    took effect), False (it provably did not), None (unknown). ``local``: it failed before a
    byte left this machine, because the request itself is malformed (a usage error).
    """

    __slots__ = ("retry", "processed", "meaning", "local")
    retry: Literal["always", "idempotent", "never"]
    processed: bool | None
    meaning: str
    local: bool

    def __init__(self, retry: Literal["always", "idempotent", "never"], processed: bool | None, meaning: str, local: bool = False):
        self.retry, self.processed, self.meaning, self.local = retry, processed, meaning, local


# Transport failures, by the kind a carrier reports (an httpx exception is read as its kind,
# see :func:`tether._http.carriers.failure_of`).
EXCEPTION_RULES: tuple[tuple[type[Exception], Rule], ...] = (
    (RefusedLocally, Rule(NEVER, False, "refused locally before sending (illegal header or method)", local=True)),
    (UnsupportedScheme, Rule(NEVER, False, "the URL's scheme cannot be sent")),
    (ConnectFailed, Rule(ALWAYS, False, "could not connect")),
    (ConnectTimedOut, Rule(ALWAYS, False, "could not connect in time")),
    (PoolTimedOut, Rule(ALWAYS, False, "no connection free in time")),
    (AnswerLost, Rule(IDEMPOTENT, None, "the answer was lost")),
)
# Statuses that do not follow their class's rule.
STATUS_RULES: dict[int, Rule] = {
    429: Rule(ALWAYS, False, "rate limited: not processed, try later"),
    503: Rule(ALWAYS, False, "unavailable: not processed, try later"),
    502: Rule(IDEMPOTENT, None, "a gateway lost the upstream's answer"),
    504: Rule(IDEMPOTENT, None, "a gateway gave up waiting for the upstream"),
}
CLASS_RULES: dict[int, Rule] = {
    2: Rule(NEVER, True, "done"),
    3: Rule(NEVER, True, "answered with a redirect"),
    4: Rule(NEVER, False, "refused: not processed"),
    5: Rule(NEVER, None, "a server error: it may have been processed"),
}
UNKNOWN_EXCEPTION = Rule(NEVER, None, "failed in an unexpected way")


def rule_for(outcome: Answer | int | BaseException | Any) -> Rule:
    """The rule for an answer (or bare status, or an ``httpx.Response``) or a transport failure
    (tether's own kinds, or an httpx exception)."""
    if isinstance(outcome, BaseException):
        if not isinstance(outcome, TransportFailure):
            outcome = as_failure(outcome)
        for kind, rule in EXCEPTION_RULES:
            if isinstance(outcome, kind):
                return rule
        return UNKNOWN_EXCEPTION
    status = outcome if isinstance(outcome, int) else outcome.status_code
    return STATUS_RULES.get(status) or CLASS_RULES.get(status // 100) or CLASS_RULES[5]


def as_failure(exc: BaseException) -> BaseException:
    """An httpx transport exception (an auth kind's own send, a test) as tether's kind of
    failure; any other exception as it is. httpx is imported only if it raised it."""
    if type(exc).__module__.startswith("httpx"):
        from .carriers import failure_of

        return failure_of(exc) or exc
    return exc


def may_retry(rule: Rule, idempotent: bool) -> bool:
    return rule.retry == ALWAYS or (rule.retry == IDEMPOTENT and idempotent)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime  # an HTTP date is rare: not loaded up front

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Decision(_Value):
    __slots__ = ("retry", "delay", "reason")
    retry: bool
    delay: float
    reason: str

    def __init__(self, retry: bool, delay: float = 0.0, reason: str = ""):
        self.retry, self.delay, self.reason = retry, delay, reason


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

    def decide(self, attempt: int, idempotent: bool, outcome: Answer | Exception | Any) -> Decision:
        """Whether attempt number ``attempt`` (0-based) should be followed by another."""
        rule = rule_for(outcome)
        if not may_retry(rule, idempotent):
            if rule.retry == IDEMPOTENT:
                return Decision(False, reason=f"{rule.meaning} and the request is not idempotent")
            return Decision(False, reason=rule.meaning if isinstance(outcome, Exception) else "")
        if attempt >= self.max_retries:
            return Decision(False, reason="retries exhausted")
        if isinstance(outcome, Exception):
            why = rule.meaning + ("" if rule.retry == ALWAYS else "; the request is idempotent")
            return Decision(True, self.backoff_delay(attempt), why)
        status = outcome.status_code
        wait = parse_retry_after(outcome.headers.get("retry-after"))
        if wait is None:
            return Decision(True, self.backoff_delay(attempt), f"status {status}")
        if wait > self.max_retry_after:
            return Decision(False, reason=f"Retry-After {wait:.0f}s exceeds the {self.max_retry_after:.0f}s limit")
        return Decision(True, wait, f"status {status}, Retry-After {wait:g}s")
