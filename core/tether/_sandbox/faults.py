"""Faults on demand, so reliability is tested rather than assumed.

A spec is a comma-separated list of ``kind=amount``:

- kinds: ``429`` (the platform's own rate-limit reply), ``500``/``502``/``503``/``504``,
  ``drop-before`` (connection dropped, request not processed), ``drop-after`` (processed,
  answer lost), ``slow`` (processed, answer delayed; ``slow=0.1@2`` delays 2 s);
- amounts: a rate (``0.1`` or ``10%``) drawn per request, or a count (``3x``: the next three
  requests);
- ``seed=N`` makes rate draws repeatable.

Example: ``429=0.1,503=5%,drop-after=0.02,slow=0.05@1.5,seed=7``.
"""

from __future__ import annotations

import random
import threading

import attrs

KINDS = ("429", "500", "502", "503", "504", "drop-before", "drop-after", "slow")
BEFORE = frozenset({"429", "500", "502", "503", "504", "drop-before"})
"""Faults that strike before the request is processed (state untouched)."""


@attrs.frozen
class Fault:
    kind: str
    delay: float = 0.0

    @property
    def before(self) -> bool:
        return self.kind in BEFORE

    @property
    def status(self) -> int | None:
        return int(self.kind) if self.kind.isdigit() else None


class FaultPlan:
    def __init__(self, rates: dict[str, float] | None = None, counts: dict[str, int] | None = None, slow_delay: float = 1.0, seed: int | None = None):
        self.rates = dict(rates or {})
        self.counts = dict(counts or {})
        self.slow_delay = slow_delay
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        if sum(self.rates.values()) > 1.0 + 1e-9:
            raise ValueError("fault rates add up to more than 1")

    @classmethod
    def parse(cls, spec: str | None) -> FaultPlan:
        rates: dict[str, float] = {}
        counts: dict[str, int] = {}
        slow_delay = 1.0
        seed = None
        for part in (spec or "").split(","):
            part = part.strip()
            if not part:
                continue
            kind, sep, amount = part.partition("=")
            kind, amount = kind.strip(), amount.strip()
            if not sep or not amount:
                raise ValueError(f"fault {part!r}: expected kind=amount, e.g. 429=0.1")
            if kind == "seed":
                seed = int(amount)
                continue
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
            if kind == "slow" and "@" in amount:
                amount, _, delay = amount.partition("@")
                slow_delay = float(delay.rstrip("s"))
            try:
                if amount.endswith("x"):
                    counts[kind] = int(amount[:-1])
                elif amount.endswith("%"):
                    rates[kind] = float(amount[:-1]) / 100
                else:
                    rates[kind] = float(amount)
            except ValueError:
                raise ValueError(f"fault {part!r}: amount must be a rate (0.1, 10%) or a count (3x)") from None
            if kind in rates and not 0 <= rates[kind] <= 1:
                raise ValueError(f"fault {part!r}: a rate lies between 0 and 1")
        return cls(rates, counts, slow_delay, seed)

    def __bool__(self) -> bool:
        return bool(self.rates) or any(self.counts.values())

    def draw(self) -> Fault | None:
        """The fault (if any) to inflict on the next request."""
        with self._lock:
            for kind, left in self.counts.items():
                if left > 0:
                    self.counts[kind] = left - 1
                    return self._make(kind)
            if not self.rates:
                return None
            roll = self._rng.random()
            for kind, rate in self.rates.items():
                if roll < rate:
                    return self._make(kind)
                roll -= rate
            return None

    def _make(self, kind: str) -> Fault:
        return Fault(kind, self.slow_delay if kind == "slow" else 0.0)

    def describe(self) -> str:
        parts = [f"{k}={v:g}" for k, v in self.rates.items()] + [f"{k}={n}x" for k, n in self.counts.items() if n]
        return ",".join(parts) or "none"
