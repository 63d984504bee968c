"""Run one action over a stream of records: journaled, concurrent, batched, resumable.

The caller's thread reads records, validates them, journals them (see :mod:`.journal`: in
flight *before* sending) and hands them to a thread pool; it then journals each outcome and
yields one :class:`RecordResult` per record, in completion order. Only the records in flight
are held in memory (at most ``2 × concurrency`` units), so the input may be any size.

Every request goes through the connection's session, so pacing, concurrency caps, retries
(429/5xx, connect failures) and execution hooks apply exactly as for ``tether action run``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import AuthError, ConfigurationError, NetworkError, TetherError, UsageError, ValidationError
from .._models import READY, Action, Batch, RunInfo
from . import journal as jr

if TYPE_CHECKING:  # pragma: no cover
    from .._base_client import BaseClient

JOB_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


@attrs.frozen
class RecordResult:
    """What became of one record: ``status`` is ``ok``, ``failed`` or ``unknown``."""

    line: int
    status: str
    output: Any = None
    error: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == jr.OK

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "status": self.status}
        if self.error is not None:
            out["error"] = self.error
        else:
            out["output"] = self.output
        return out


@attrs.define
class _Unit:
    """What one request carries: one record, or a batch of them."""

    lines: list[int]
    hashes: list[str]
    inputs: list[dict[str, Any]]
    in_doubt: bool = False
    """Set once a request went out whose answer does not prove it was not acted on."""


class _Fatal(Exception):
    """The job cannot go on (credentials refused, connection misconfigured).

    ``results`` are the unit's records when something may already have taken effect; without
    them the records provably were not acted on and go back to "pending".
    """

    def __init__(self, error: TetherError, results: list[RecordResult] | None = None):
        self.error = error
        self.results = results


def new_job_id() -> str:
    return "bulk-" + secrets.token_hex(4)


def record_hash(item: str | Any) -> str:
    text = item if isinstance(item, str) else json.dumps(item, sort_keys=True, separators=(",", ":"), default=str)
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
        from .._validation import _validator

        session = self.client._session(self.conn)
        session.check_credentials(session.connector.api((self.carrier or self.action).api))
        self.client._client_for(session.transport)  # made once, before the threads share it
        self._session = session
        self._input_validator = _validator(self.action.input_schema)
        self.journal.set_job(state=jr.RUNNING, pid=os.getpid(), error=None)
        retry = self.journal.retry_set(self.resend_unknown)
        self._next_line = int(self.journal.job()["next_line"])
        self._last_read = 0
        self._ready: list[_Unit] = []
        self._bad: list[tuple[int, str, dict[str, Any]]] = []
        window = max(1, self.concurrency) * 2
        futures: dict[Future[Any], _Unit] = {}
        group: list[tuple[int, str, dict[str, Any], int]] = []  # an open batch: (line, hash, input, encoded size)
        fatal: TetherError | None = None
        finished = False
        pool = ThreadPoolExecutor(max_workers=max(1, self.concurrency), thread_name_prefix=f"tether-{self.job_id}")
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
                    self._ready.append(_Unit([line], [digest], [record]))  # type: ignore[list-item]
                else:
                    size = _encoded_size(self.batch.combine([record])) if self.batch.max_bytes else 0
                    if group and self._group_full(group, size):
                        self._ready.append(self._unit(group))
                        group = []
                    group.append((line, digest, record, size))  # type: ignore[arg-type]
                    if len(group) >= self.batch.max_records:
                        self._ready.append(self._unit(group))
                        group = []
                if len(futures) + len(self._ready) >= window or len(self._bad) >= 100:
                    yield from self._flush(pool, futures, group)
                    # Refill only when half the window is free: journal writes then go in batches.
                    while len(futures) > window // 2:
                        yield from self._collect(futures, wait(futures, return_when=FIRST_COMPLETED).done)
            if group:
                self._ready.append(self._unit(group))
                group = []
            yield from self._flush(pool, futures, group)
            while futures:
                yield from self._collect(futures, wait(futures, return_when=FIRST_COMPLETED).done)
            if retry:
                missing = ", ".join(str(n) for n in sorted(retry)[:5])
                raise UsageError(f"the input ended before line(s) {missing} that job {self.job_id} must send again: resume with the same input")
            finished = True
        except _Fatal as stop:
            fatal = stop.error
        finally:
            # Whatever stops us (an error, Ctrl-C, the caller dropping the iterator): units not
            # started yet stay "pending" (sent on resume); requests in flight finish and are
            # journaled, since their fate is then known. Records read but not journaled yet are
            # simply read again on resume.
            for future in [f for f in futures if f.cancel()]:
                del futures[future]
            for future in list(futures):
                try:
                    for _ in self._collect(futures, [future]):
                        pass
                except _Fatal as stop:
                    fatal = fatal or stop.error
            pool.shutdown(wait=True)
            if fatal is not None:
                self.journal.set_job(state=jr.JOB_FAILED, pid=None, error=json.dumps(fatal.to_dict(), default=str))
            elif finished:
                self.journal.set_job(state=jr.DONE, pid=None, input_done=1, next_line=self._next_line)
            else:
                self.journal.set_job(state=jr.INTERRUPTED, pid=None)
        if fatal is not None:
            raise fatal

    def _parse(self, text: str | None, item: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        from .._validation import validate

        if text is not None:
            try:
                item = json.loads(text)
            except ValueError as exc:
                return None, UsageError(f"not JSON ({exc})").to_dict()
        if not isinstance(item, dict):
            return None, ValidationError(f"input: expected object, got {type(item).__name__}", path="input", expected="object").to_dict()
        if not self._input_validator.is_valid(item):
            try:
                validate(self.action.input_schema, item)  # names the problem
            except ValidationError as exc:
                return None, exc.to_dict()
        return item, None

    def _flush(self, pool: ThreadPoolExecutor, futures: dict[Future[Any], _Unit], group: list[Any]) -> Iterator[RecordResult]:
        """Journal the bad lines and the units read so far (one transaction), then send the units.

        The input position moves to the first line not journaled: the open batch's first
        record if one is open, else the line after the last one read.
        """
        if not self._bad and not self._ready:
            return
        self._next_line = max(self._next_line, group[0][0] if group else self._last_read + 1)
        entries = [(line, digest, jr.FAILED, json.dumps(error, default=str)) for line, digest, error in self._bad]
        # Journaled as queued ("pending"); _execute marks them in flight just before the request leaves.
        entries += [(line, h, jr.PENDING, None) for unit in self._ready for line, h in zip(unit.lines, unit.hashes)]
        self.journal.start(entries, self._next_line)
        for unit in self._ready:
            futures[pool.submit(self._send, unit)] = unit
        bad, self._bad, self._ready = self._bad, [], []
        for line, _, error in bad:
            yield RecordResult(line, jr.FAILED, error=error)

    def _group_full(self, group: list[Any], size: int) -> bool:
        # Each record's size as a batch of one over-counts the envelope: a safe upper bound.
        limit = self.batch.max_bytes if self.batch else None
        return limit is not None and sum(g[3] for g in group) + size > limit

    def _unit(self, group: list[tuple[int, str, dict[str, Any], int]]) -> _Unit:
        return _Unit([g[0] for g in group], [g[1] for g in group], [g[2] for g in group])

    def _collect(self, futures: dict[Future[Any], _Unit], done: Iterable[Future[Any]]) -> Iterator[RecordResult]:
        """Journal the outcomes of finished requests (one transaction), then yield them."""
        results: list[RecordResult] = []
        fatal: _Fatal | None = None
        for future in list(done):
            unit = futures.pop(future)
            outcome = future.result()
            if isinstance(outcome, _Fatal):
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

    # -- one request (worker threads) -------------------------------------------------------

    def _send(self, unit: _Unit) -> list[RecordResult] | _Fatal:
        try:
            if self.batch is None:
                output = self._execute(self.action, unit.inputs[0], unit)
                return [RecordResult(unit.lines[0], jr.OK, output=output)]
            assert self.carrier is not None
            output = self._execute(self.carrier, self.batch.combine(unit.inputs), unit)
            return self._split(unit, output)
        except (AuthError, ConfigurationError) as exc:
            if not unit.in_doubt:
                return _Fatal(exc)
            # An earlier request of this unit may have taken effect (or, for a ConfigurationError
            # such as --strict's output check, did): not pending, but unknown.
            unknown = [RecordResult(line, jr.UNKNOWN, error=exc.to_dict()) for line in unit.lines]
            return _Fatal(exc, unknown) if isinstance(exc, AuthError) else unknown
        except NetworkError as exc:
            status = jr.FAILED if exc.processed is False else jr.UNKNOWN
            return [RecordResult(line, status, error=exc.to_dict()) for line in unit.lines]
        except TetherError as exc:
            return [RecordResult(line, jr.FAILED, error=exc.to_dict()) for line in unit.lines]
        except Exception as exc:  # a bug in an action: its request may have been sent
            error = TetherError(f"internal error: {type(exc).__name__}: {exc}").to_dict()
            return [RecordResult(line, jr.UNKNOWN, error=error) for line in unit.lines]

    def _execute(self, action: Action, inp: dict[str, Any], unit: _Unit) -> Any:
        from .._base_client import Prepared

        # Each record was checked against the action's schema as it was read; the carrier's input
        # is combine()'s work, not the user's, so checking it again would only double the CPU.
        run = RunInfo(self.conn.connector, self.conn.id, action.key, inp, self.conn.sandbox)
        self.client.plugins.hook.action_started(run=run)
        prepared = Prepared(self._session, action, dict(inp), run, False)
        return self.client._drive(_journal_before_send(self.client._run_ops(prepared), self.journal, unit))

    def _split(self, unit: _Unit, output: Any) -> list[RecordResult]:
        assert self.batch is not None
        results: list[Any] = []
        try:
            results = list(self.batch.split(output, unit.inputs))
        except Exception as exc:  # a connector's split must not lose the records' fate
            error: str | None = f"{type(exc).__name__}: {exc}"
        else:
            error = None if len(results) == len(unit.lines) else f"{len(results)} results for {len(unit.lines)} records"
        if error is not None:
            # The carrier's request took effect but its answer cannot be mapped back.
            problem = ConfigurationError(f"{self.carrier.key} answered, but its results could not be matched to records ({error})")  # type: ignore[union-attr]
            return [RecordResult(line, jr.UNKNOWN, error=problem.to_dict()) for line in unit.lines]
        return [
            RecordResult(line, jr.OK, output=r.output) if r.ok else RecordResult(line, jr.FAILED, error=_error_dict(r.error))
            for line, r in zip(unit.lines, results)
        ]


def _journal_before_send(ops: Any, journal: jr.Journal, unit: _Unit) -> Any:
    """Pass the engine's operations through, journaling the records in flight before a request leaves.

    Pacing waits and concurrency slots come first, so a record killed while it waits is still
    provably unsent. While no request could have taken effect (every answer so far was a 429, a
    503, a refusal of the credentials, or the connection failed before sending), the records go
    back to "pending" between attempts: a kill during the engine's back-off leaves no doubt.
    """
    from .._http.engine import Send
    from .._http.retry import rule_for

    value: Any = None
    marked = False
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value
        if isinstance(op, Send) and not marked:
            journal.mark_inflight(unit.lines)
            marked = True
        value = yield op
        if isinstance(op, Send) and not unit.in_doubt:
            # The one outcome table says whether this attempt provably did not take effect.
            if rule_for(value).processed is False:
                journal.mark_pending(unit.lines)
                marked = False
            else:
                unit.in_doubt = True


def _error_dict(error: Any) -> dict[str, Any]:
    return error.to_dict() if isinstance(error, TetherError) else {"type": "error", "message": str(error)}


def _encoded_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def open_job(
    client: BaseClient,
    action: str | None,
    *,
    connection_id: str | None,
    records: Iterable[Any],
    concurrency: int = 4,
    job_id: str | None = None,
    batch: bool = True,
    source: str | None = None,
    expected_total: int | None = None,
) -> BulkJob:
    """A new job, or the existing ``job_id`` to resume (then ``records`` must be the same input).

    Unknown actions and connections raise here, before anything is journaled or sent.
    """
    from .._base_client import split_action_ref

    if job_id is not None and not JOB_ID_RE.match(job_id):
        raise UsageError(f"job id {job_id!r}: use letters, digits, '.', '_' and '-' (at most 80)")
    if concurrency < 1:
        raise UsageError("concurrency must be at least 1")
    if job_id is not None and jr.job_path(client.home, job_id).exists():
        job = jr.Journal(jr.job_path(client.home, job_id))
        try:
            row = job.job()
        finally:
            job.close()
        if action is not None and split_action_ref(action)[1] != row["action"]:
            raise UsageError(f"bulk job {job_id} runs {row['action']}, not {action}")
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
        batch=int(bool(batch and act.batch is not None)), concurrency=concurrency, expected_total=expected_total,
    ).close()
    return BulkJob(client, job_id, records)
