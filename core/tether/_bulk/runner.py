"""Run one action over a stream of records: journaled, concurrent, batched, resumable.

The caller's thread reads records, validates them, journals them as queued and hands them to
worker threads (:mod:`.sending`: each marks its records in flight *before* its request leaves);
it then journals the outcomes and yields one :class:`RecordResult` per record, in completion
order. Only the records in flight are held in memory (at most ``2 × concurrency`` units), so the
input may be any size. Journal writes go in groups (half a window of outcomes, a window of new
records, one batch) so that the journal costs little next to the requests.

Every request goes through the connection's session, so pacing, concurrency caps, retries
(429/5xx, connect failures) and execution hooks apply exactly as for ``tether action run``.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._errors import ConfigurationError, TetherError, UsageError, ValidationError
from .._models import READY, Action, Batch
from . import journal as jr
from .checks import record_check
from .sending import Fatal, RecordResult, Sender, Unit

__all__ = ["BulkJob", "RecordResult", "open_job", "new_job_id", "record_hash"]

if TYPE_CHECKING:  # pragma: no cover
    from .._base_client import BaseClient

JOB_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def new_job_id() -> str:
    return "bulk-" + secrets.token_hex(4)


# json.dumps(item, sort_keys=True, separators=(",", ":"), default=str), without a new encoder per record.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode


def record_hash(item: str | Any) -> str:
    text = item if isinstance(item, str) else _canonical(item)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class BulkJob:
    """An iterable of :class:`RecordResult`; iterate it once to run (or resume) the job.

    ``summary()`` gives the ``{"job", "state", "total", "succeeded", "failed", "unknown"}``
    document at any time.
    """

    def __init__(self, client: BaseClient, job_id: str, records: Iterable[Any]):
        from .._locks import FileLock

        self.client = client
        self.job_id = job_id
        self._records = records
        self._lock = FileLock(jr.jobs_dir(client.home) / f"{job_id}.lock", timeout=0.5)
        self.journal = jr.Journal(jr.job_path(client.home, job_id))
        job = self.journal.job()
        self.concurrency = int(job["concurrency"])
        self.conn = client.connection(job["connection_id"])
        if self.conn.state != READY:
            raise ConfigurationError(f"connection {self.conn.id} is {self.conn.state}, not READY")
        self.action = client.registry.action(self.conn.connector, job["action"])
        self.batch: Batch | None = self.action.batch if job["batch"] else None
        self.carrier: Action | None = client.registry.action(self.conn.connector, self.batch.carrier) if self.batch else None
        self._started = False

    @property
    def resend_unknown(self) -> bool:
        """Whether a record whose request may have taken effect may be sent again."""
        sender = self.carrier or self.action
        return self.action.idempotent and sender.idempotent

    def summary(self) -> dict[str, Any]:
        keys = ("job", "state", "total", "succeeded", "failed", "unknown")
        document = jr.summary(self.journal)
        return {k: document[k] for k in keys}

    def close(self) -> None:
        self.journal.close()

    def __iter__(self) -> Iterator[RecordResult]:
        if self._started:
            raise UsageError(f"bulk job {self.job_id} was already run by this object; open it again to resume")
        self._started = True
        try:
            self._lock.__enter__()
        except TimeoutError:
            raise UsageError(f"bulk job {self.job_id} is running in another process") from None
        try:
            yield from self._run()
        finally:
            self._lock.__exit__(None, None, None)

    # -- the loop ---------------------------------------------------------------------------

    def _run(self) -> Iterator[RecordResult]:
        session = self.client._session(self.conn)
        session.check_credentials(session.connector.api((self.carrier or self.action).api))
        self.client._client_for(session.transport)  # made once, before the threads share it
        self._sender = Sender(self.client, self.conn, session, self.action, self.batch, self.carrier, self.journal)
        self._valid = record_check(self.action.input_schema)
        self.journal.set_job(state=jr.RUNNING, pid=os.getpid(), error=None)
        retry = self.journal.retry_set(self.resend_unknown)
        self._next_line = int(self.journal.job()["next_line"])
        self._last_read = 0
        self._ready: list[Unit] = []
        self._bad: list[tuple[int, str, dict[str, Any]]] = []
        window = max(1, self.concurrency) * 2
        group: Unit | None = None  # the open batch
        group_bytes = 0  # its records' encoded sizes, each as a batch of one: over-counts the envelope, a safe bound
        max_bytes = self.batch.max_bytes if self.batch else None
        fatal: TetherError | None = None
        finished = False
        workers = _Workers(self._sender.send, max(1, self.concurrency), f"tether-{self.job_id}")
        try:
            for line, item in enumerate(self._records, start=1):
                if line < self._next_line and line not in retry:
                    continue
                if isinstance(item, (str, bytes)):
                    text = item.decode("utf-8", "replace") if isinstance(item, bytes) else item
                    if not text.strip():
                        continue
                    digest = record_hash(text.rstrip("\r\n"))
                else:
                    text, digest = None, record_hash(item)
                if line < self._next_line and retry[line] != digest:
                    raise UsageError(f"input line {line} differs from the one journaled by job {self.job_id}: resume with the same input")
                retry.pop(line, None)
                self._last_read = line
                record, error = self._parse(text, item)
                if error is not None:
                    self._bad.append((line, digest, error))
                elif self.batch is None:
                    self._ready.append(Unit([line], [digest], [record]))  # type: ignore[list-item]
                else:
                    size = _encoded_size(self.batch.combine([record])) if max_bytes else 0
                    if group is not None and max_bytes is not None and group_bytes + size > max_bytes:
                        self._ready.append(group)
                        group = None
                    if group is None:
                        group, group_bytes = Unit([], [], []), 0
                    group.lines.append(line)
                    group.hashes.append(digest)
                    group.inputs.append(record)  # type: ignore[arg-type]
                    group_bytes += size
                    if len(group.lines) >= self.batch.max_records:
                        self._ready.append(group)
                        group = None
                # Journal and send when the window is full, or as soon as a batch is ready: a full
                # batch is worth its own transaction, and waiting for a window of them would keep
                # the platform idle while the rest of the input is read.
                if workers.busy + len(self._ready) >= window or len(self._bad) >= 100 or (self.batch is not None and self._ready):
                    yield from self._flush(workers, group)
                    # Refill only when half the window is free, its outcomes journaled in one
                    # transaction: journal writes then go in groups of half a window.
                    if workers.busy > window // 2:
                        yield from self._collect(workers.finished(workers.busy - window // 2))
            if group is not None:
                self._ready.append(group)
                group = None
            yield from self._flush(workers, group)
            while workers.busy:
                yield from self._collect(workers.finished())
            if retry:
                missing = ", ".join(str(n) for n in sorted(retry)[:5])
                raise UsageError(f"the input ended before line(s) {missing} that job {self.job_id} must send again: resume with the same input")
            finished = True
        except Fatal as stop:
            fatal = stop.error
        finally:
            # Whatever stops us (an error, Ctrl-C, the caller dropping the iterator): units not
            # started yet stay "pending" (sent on resume); requests in flight finish and are
            # journaled, since their fate is then known. Records read but not journaled yet are
            # simply read again on resume.
            workers.withdraw()
            while workers.busy:
                try:
                    for _ in self._collect(workers.finished()):
                        pass
                except Fatal as stop:
                    fatal = fatal or stop.error
            workers.close()
            if fatal is not None:
                self.journal.set_job(state=jr.JOB_FAILED, pid=None, error=json.dumps(fatal.to_dict(), default=str))
            elif finished:
                self.journal.set_job(state=jr.DONE, pid=None, input_done=1, next_line=self._next_line)
            else:
                self.journal.set_job(state=jr.INTERRUPTED, pid=None)
        if fatal is not None:
            raise fatal

    def _parse(self, text: str | None, item: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        if text is not None:
            try:
                item = json.loads(text)
            except ValueError as exc:
                return None, UsageError(f"not JSON ({exc})").to_dict()
        if not isinstance(item, dict):
            return None, ValidationError(f"input: expected object, got {type(item).__name__}", path="input", expected="object").to_dict()
        if not self._valid(item):
            from .._validation import validate

            try:
                validate(self.action.input_schema, item)  # names the problem (and has the last word)
            except ValidationError as exc:
                return None, exc.to_dict()
        return item, None

    def _flush(self, workers: _Workers, group: Unit | None) -> Iterator[RecordResult]:
        """Journal the bad lines and the units read so far (one transaction), then send the units.

        The input position moves to the first line not journaled: the open batch's first
        record if one is open, else the line after the last one read.
        """
        if not self._bad and not self._ready:
            return
        self._next_line = max(self._next_line, group.lines[0] if group is not None else self._last_read + 1)
        entries = [(line, digest, jr.FAILED, json.dumps(error, default=str)) for line, digest, error in self._bad]
        # Journaled as queued ("pending"); the sender marks them in flight just before the request leaves.
        entries += [(line, h, jr.PENDING, None) for unit in self._ready for line, h in zip(unit.lines, unit.hashes)]
        self.journal.start(entries, self._next_line)
        for unit in self._ready:
            workers.submit(unit)
        bad, self._bad, self._ready = self._bad, [], []
        for line, _, error in bad:
            yield RecordResult(line, jr.FAILED, error=error)

    def _collect(self, outcomes: list[tuple[Unit, list[RecordResult] | Fatal]]) -> Iterator[RecordResult]:
        """Journal the outcomes of finished requests (one transaction), then yield them."""
        results: list[RecordResult] = []
        fatal: Fatal | None = None
        for unit, outcome in outcomes:
            if isinstance(outcome, Fatal):
                # Refused credentials or a broken connection: not processed, so sent again on
                # resume — unless something may have taken effect first (then unknown).
                fatal = fatal or outcome
                if outcome.results is not None:
                    results.extend(outcome.results)
                else:
                    self.journal.finish([(line, jr.PENDING, None) for line in unit.lines])
            else:
                results.extend(outcome)
        self.journal.finish([(r.line, r.status, r.error if r.error is not None else r.output) for r in results])
        if fatal is not None:
            raise fatal
        yield from results


class _Workers:
    """Threads that send the units put on one queue and leave their outcomes in a list.

    Lighter per record than an executor's futures and ``wait()``: the reading thread sleeps until
    as many outcomes as it asked for are there (one wake-up, not one per outcome: each wake-up
    must win the GIL back from the sending threads), then takes them all, so they share one
    journal transaction.
    """

    def __init__(self, send: Callable[[Unit], list[RecordResult] | Fatal], count: int, name: str):
        self._send = send
        self._todo: queue.SimpleQueue[Unit | None] = queue.SimpleQueue()
        self._ready = threading.Condition(threading.Lock())
        self._outcomes: list[tuple[Unit, list[RecordResult] | Fatal]] = []
        self._wanted = 0  # outcomes the reading thread is waiting for (0: it is not waiting)
        self.busy = 0
        """Units handed over and not yet returned as outcomes (queued, being sent, or done)."""
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(count)]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        while (unit := self._todo.get()) is not None:
            outcome = (unit, self._send(unit))  # send() never raises
            with self._ready:
                self._outcomes.append(outcome)
                if self._wanted and len(self._outcomes) >= self._wanted:
                    self._ready.notify()

    def submit(self, unit: Unit) -> None:
        self.busy += 1
        self._todo.put(unit)

    def finished(self, at_least: int = 1) -> list[tuple[Unit, list[RecordResult] | Fatal]]:
        """The outcomes there are: at least ``at_least`` (waiting for them), and any others ready.

        Outcomes stay in the list until taken, so a Ctrl-C during the wait loses none: the next
        call returns them.
        """
        wanted = min(at_least, self.busy)
        with self._ready:
            self._wanted = wanted
            try:
                while len(self._outcomes) < wanted:
                    self._ready.wait()
            finally:
                self._wanted = 0
            outcomes, self._outcomes = self._outcomes, []
        self.busy -= len(outcomes)
        return outcomes

    def withdraw(self) -> None:
        """Take back the units no thread has started: their records stay "pending"."""
        while True:
            try:
                unit = self._todo.get_nowait()
            except queue.Empty:
                return
            if unit is not None:
                self.busy -= 1

    def close(self) -> None:
        for _ in self._threads:
            self._todo.put(None)
        for thread in self._threads:
            thread.join()


def _encoded_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


DEFAULT_CONCURRENCY = 4


def open_job(
    client: BaseClient,
    action: str | None,
    *,
    connection_id: str | None,
    records: Iterable[Any],
    concurrency: int | None = None,
    job_id: str | None = None,
    batch: bool = True,
    source: str | None = None,
    expected_total: int | None = None,
) -> BulkJob:
    """A new job, or the existing ``job_id`` to resume (then ``records`` must be the same input).

    ``concurrency`` defaults to :data:`DEFAULT_CONCURRENCY` for a new job and to the job's own
    for a resumed one; given on resume, it replaces the job's. Unknown actions and connections
    raise here, before anything is journaled or sent.
    """
    from .._base_client import split_action_ref
    from .._slugs import key_from_slug

    if job_id is not None and not JOB_ID_RE.match(job_id):
        raise UsageError(f"job id {job_id!r}: use letters, digits, '.', '_' and '-' (at most 80)")
    if concurrency is not None and concurrency < 1:
        raise UsageError("concurrency must be at least 1")
    if job_id is not None and jr.job_path(client.home, job_id).exists():
        if not jr.is_journal(jr.job_path(client.home, job_id)):
            raise UsageError(f"{jr.job_path(client.home, job_id)} is not a bulk job's journal")
        job = jr.Journal(jr.job_path(client.home, job_id))
        try:
            row = job.job()
        finally:
            job.close()
        if action is not None and (key_from_slug(row["connector"], action) or split_action_ref(action)[1]) != row["action"]:
            raise UsageError(f"bulk job {job_id} runs {row['action']}, not {action}")
        if concurrency is not None:
            job = jr.Journal(jr.job_path(client.home, job_id))
            try:
                job.set_job(concurrency=concurrency)
            finally:
                job.close()
        return BulkJob(client, job_id, records)
    if action is None or connection_id is None:
        raise UsageError(f"no bulk job {job_id!r} (see: tether bulk list)")
    conn = client.connection(connection_id)
    qualifier, key = split_action_ref(action)
    if qualifier is not None and qualifier != conn.connector:
        raise UsageError(f"action {action!r} belongs to {qualifier}, but connection {conn.id} is {conn.connector}")
    act = client.registry.action(conn.connector, key)
    if act.batch is not None:
        client.registry.action(conn.connector, act.batch.carrier)  # a broken declaration fails now
    job_id = job_id or new_job_id()
    jr.Journal.create(
        client.home, job_id, connector=conn.connector, connection_id=conn.id, action=act.key, source=source,
        batch=int(bool(batch and act.batch is not None)), concurrency=concurrency or DEFAULT_CONCURRENCY, expected_total=expected_total,
    ).close()
    return BulkJob(client, job_id, records)
