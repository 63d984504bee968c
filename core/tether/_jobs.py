"""Long-running platform work: start a job, poll it with backoff, give up at a deadline.

Exports, counts and imports answer "not yet" with a job id. Actions wait for them with one
helper, written as generator code so it runs under the sync and async clients alike::

    def get_count(inp, ctx):
        first = yield Request("POST", "/counts", json=query)
        job = first.json()
        if job["status"] != "pending":
            return job
        return (yield from poll_job(
            lambda: Request("GET", "/counts", params={"req_id": job["req_id"]}),
            state=lambda r: PENDING if r.json()["status"] == "pending" else r.json(),
            timeout=inp.get("timeout", 60),
            job_id=job["req_id"],
            resume='run get-count again with {"req_id": …}',
        ))

A job that outlives ``timeout`` raises :class:`JobTimeout` carrying its id, so the caller can
ask again later instead of starting the work twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ._errors import TetherError
from ._wire import ActionGen, Request, Response, Wait


class _Pending:
    def __repr__(self) -> str:
        return "PENDING"


PENDING: Any = _Pending()
"""What a job's ``state`` function returns while the job is still running."""


class JobTimeout(TetherError):
    """A platform job did not finish in time. ``job_id`` lets the caller ask again later."""

    type = "job_timeout"

    def __init__(self, message: str, *, job_id: Any, waited: float, resume: str | None = None):
        details: dict[str, Any] = {"job_id": job_id, "waited": round(waited, 1)}
        if resume:
            details["resume"] = resume
        super().__init__(message, details=details)
        self.job_id = job_id
        self.waited = waited


def poll_job(
    check: Callable[[], Request],
    *,
    state: Callable[[Response], Any],
    timeout: float,
    job_id: Any,
    what: str = "the job",
    resume: str | None = None,
    first_wait: float = 0.5,
    factor: float = 1.6,
    max_wait: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
) -> ActionGen:
    """Send ``check()`` until ``state(response)`` is not :data:`PENDING`; return that state.

    Waits grow from ``first_wait`` by ``factor`` up to ``max_wait`` and never run past the
    deadline; ``timeout`` 0 asks exactly once. Errors from the platform propagate as raised.
    """
    deadline = clock() + max(0.0, timeout)
    wait = first_wait
    while True:
        response = yield check()
        assert response is not None
        result = state(response)
        if result is not PENDING:
            return result
        left = deadline - clock()
        if left <= 0:
            elapsed = timeout - left
            hint = f"; {resume}" if resume else ""
            raise JobTimeout(
                f"{what} (id {job_id}) is still running after {elapsed:.0f}s{hint}",
                job_id=job_id,
                waited=elapsed,
                resume=resume,
            )
        yield Wait(min(wait, left))
        wait = min(max_wait, wait * factor)
