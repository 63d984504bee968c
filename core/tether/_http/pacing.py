"""Keep under a platform's published limits instead of waiting to be told off with a 429.

Two kinds of limit: a rate (requests per window, :class:`Pacer`) and a cap on requests in
flight at once (:func:`slot`), which some platforms publish per account and API family.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

from .._models import RateLimit


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


_slots: dict[object, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def slot(key: object, limit: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore for ``key``: every client in the process shares it.

    Semaphores are thread primitives; the async runner acquires them without blocking its
    event loop (it polls), so sync and async callers share one cap.
    """
    with _slots_lock:
        sem = _slots.get(key)
        if sem is None:
            sem = _slots[key] = threading.BoundedSemaphore(limit)
        return sem
