"""Keep under a platform's published rate limit instead of waiting to be told off with a 429."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

from ..models import RateLimit


class Pacer:
    """A sliding-window limiter per key: at most ``limit.requests`` starts in any ``limit.per`` seconds.

    ``reserve`` books a start time and returns how long to sleep before it, so sync and
    async callers share one implementation (they differ only in how they sleep).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._starts: dict[object, deque[float]] = {}

    def reserve(self, key: object, limit: RateLimit | None) -> float:
        if limit is None:
            return 0.0
        with self._lock:
            now = self._clock()
            starts = self._starts.setdefault(key, deque())
            while starts and starts[0] <= now - limit.per:
                starts.popleft()
            if len(starts) < limit.requests:
                start = now
            else:
                # The earliest slot is when the oldest of the last N starts leaves the window.
                start = max(now, starts[-limit.requests] + limit.per)
            starts.append(start)
            while len(starts) > limit.requests:
                starts.popleft()
            return start - now
