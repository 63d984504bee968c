"""Progress of a bulk job on stderr: a bar redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

import os
import time
from typing import Any, TextIO

BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Counts results as they arrive and shows done/total, rate, ETA and failures.

    On a terminal it redraws at most 10 times a second; in a pipe or a log it writes one line
    every ``TETHER_PROGRESS_INTERVAL`` seconds (default 10), so logs stay readable.
    """

    def __init__(self, stream: TextIO, *, total: int | None, already: dict[str, Any] | None = None):
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = 0.1 if self.tty else float(os.environ.get("TETHER_PROGRESS_INTERVAL", "10"))
        self.total = total
        already = already or {}
        # A resumed job starts from what its journal already holds.
        self.succeeded = int(already.get("succeeded", 0))
        self.failed = int(already.get("failed", 0))
        self.unknown = int(already.get("unknown", 0))
        self.base = self.done
        self.started = time.monotonic()
        self.last = 0.0

    @property
    def done(self) -> int:
        return self.succeeded + self.failed + self.unknown

    def update(self, result: Any) -> None:
        if result.status == "ok":
            self.succeeded += 1
        elif result.status == "failed":
            self.failed += 1
        else:
            self.unknown += 1
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._show(now)

    def close(self, final: dict[str, Any] | None = None) -> None:
        if final is not None:
            self.succeeded, self.failed, self.unknown = final["succeeded"], final["failed"], final["unknown"]
            self.total = final["total"] or self.total
        self._show(time.monotonic())
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = (self.done - self.base) / elapsed
        if self.total:
            share = min(1.0, self.done / self.total)
            left = max(0, self.total - self.done)
            eta = _clock(left / rate) if rate > 0 and left else "-"
            head = f"{self.done}/{self.total} ({share:.0%})"
            if self.tty:
                filled = int(share * BAR_WIDTH)
                head = "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "] " + head
            tail = f" ETA {eta}"
        else:
            head, tail = f"{self.done} records", ""
        return f"{head} {rate:.0f}/s{tail} failed {self.failed} unknown {self.unknown}"

    def _show(self, now: float) -> None:
        text = self.line(now)
        if self.tty:
            self.stream.write("\r\x1b[K" + text)
        else:
            self.stream.write("bulk: " + text + "\n")
        self.stream.flush()
