"""One request of a bulk job (a record, or a batch of them), as a worker thread carries it out.

This is where the journal's ordering rule is kept (see :mod:`.journal`): the records of a
request are committed as ``inflight`` after any pacing wait and just before the request leaves,
and go back to ``pending`` between attempts while no attempt could have taken effect. The loop
that reads records and journals their outcomes is :mod:`.runner`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from .._errors import AuthError, ConfigurationError, NetworkError, TetherError
from .._models import Action, Batch, RunInfo
from . import journal as jr

if TYPE_CHECKING:  # pragma: no cover
    from .._base_client import BaseClient
    from .._models import Connection


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
class Unit:
    """What one request carries: one record, or a batch of them."""

    lines: list[int]
    hashes: list[str]
    inputs: list[dict[str, Any]]
    in_doubt: bool = False
    """Set once a request went out whose answer does not prove it was not acted on."""


class Unjournaled(Exception):
    """A mark could not be committed, so the request must not leave (the cause is chained)."""


class Fatal(Exception):
    """The job cannot go on (credentials refused, connection misconfigured).

    ``results`` are the unit's records when something may already have taken effect; without
    them the records provably were not acted on and go back to "pending".
    """

    def __init__(self, error: TetherError, results: list[RecordResult] | None = None):
        self.error = error
        self.results = results


@attrs.define
class Sender:
    """Sends units through the connection's session; safe to share between worker threads."""

    client: BaseClient
    conn: Connection
    session: Any
    action: Action
    batch: Batch | None
    carrier: Action | None
    journal: jr.Journal

    def send(self, unit: Unit) -> list[RecordResult] | Fatal:
        """The unit's per-record results, or the :class:`Fatal` stop it ran into (never raises)."""
        try:
            if self.batch is None:
                output = self._execute(self.action, unit.inputs[0], unit)
                return [RecordResult(unit.lines[0], jr.OK, output=output)]
            assert self.carrier is not None
            output = self._execute(self.carrier, self.batch.combine(unit.inputs), unit)
            return self._split(unit, output)
        except Unjournaled as exc:
            # The journal could not be written (disk full, or the job interrupted during a commit
            # that carried this mark): stop the job. The request did not leave, so the records are
            # "pending" (sent on resume) unless an earlier attempt may have taken effect.
            problem = TetherError(f"the job's journal could not be written: {exc.__cause__}")
            if not unit.in_doubt:
                return Fatal(problem)
            return Fatal(problem, [RecordResult(line, jr.UNKNOWN, error=problem.to_dict()) for line in unit.lines])
        except (AuthError, ConfigurationError) as exc:
            if not unit.in_doubt:
                return Fatal(exc)
            # An earlier request of this unit may have taken effect (or, for a ConfigurationError
            # such as --strict's output check, did): not pending, but unknown.
            unknown = [RecordResult(line, jr.UNKNOWN, error=exc.to_dict()) for line in unit.lines]
            return Fatal(exc, unknown) if isinstance(exc, AuthError) else unknown
        except NetworkError as exc:
            status = jr.FAILED if exc.processed is False else jr.UNKNOWN
            return [RecordResult(line, status, error=exc.to_dict()) for line in unit.lines]
        except TetherError as exc:
            return [RecordResult(line, jr.FAILED, error=exc.to_dict()) for line in unit.lines]
        except Exception as exc:  # a bug in an action: its request may have been sent
            error = TetherError(f"internal error: {type(exc).__name__}: {exc}").to_dict()
            return [RecordResult(line, jr.UNKNOWN, error=error) for line in unit.lines]

    def _execute(self, action: Action, inp: dict[str, Any], unit: Unit) -> Any:
        from .._base_client import Prepared
        from .._observers import busy

        # Each record was checked against the action's schema as it was read; the carrier's input
        # is combine()'s work, not the user's, so checking it again would only double the CPU.
        run = RunInfo(self.conn.connector, self.conn.id, action.key, inp, self.conn.sandbox)
        if busy(self.client.plugins.hook.action_started):
            self.client.plugins.hook.action_started(run=run)
        prepared = Prepared(self.session, action, dict(inp), run, False)
        return self.client._drive(journal_before_send(self.client._run_ops(prepared), self.journal, unit))

    def _split(self, unit: Unit, output: Any) -> list[RecordResult]:
        assert self.batch is not None and self.carrier is not None
        results: list[Any] = []
        try:
            results = list(self.batch.split(output, unit.inputs))
        except Exception as exc:  # a connector's split must not lose the records' fate
            error: str | None = f"{type(exc).__name__}: {exc}"
        else:
            error = None if len(results) == len(unit.lines) else f"{len(results)} results for {len(unit.lines)} records"
        if error is not None:
            # The carrier's request took effect but its answer cannot be mapped back.
            problem = ConfigurationError(f"{self.carrier.key} answered, but its results could not be matched to records ({error})")
            return [RecordResult(line, jr.UNKNOWN, error=problem.to_dict()) for line in unit.lines]
        return [
            RecordResult(line, jr.OK, output=r.output) if r.ok else RecordResult(line, _status_of(r.error), error=_error_dict(r.error))
            for line, r in zip(unit.lines, results)
        ]


def journal_before_send(ops: Any, journal: jr.Journal, unit: Unit) -> Any:
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
            try:
                journal.mark_inflight(unit.lines)
            except Exception as exc:
                raise Unjournaled() from exc
            marked = True
        value = yield op
        if isinstance(op, Send) and not unit.in_doubt:
            # The one outcome table says whether this attempt provably did not take effect.
            if rule_for(value).processed is False:
                try:
                    journal.mark_pending(unit.lines)
                except Exception as exc:
                    raise Unjournaled() from exc
                marked = False
            else:
                unit.in_doubt = True


def _status_of(error: Any) -> str:
    """A record the platform may have taken (``processed`` None: its answer was lost, or did
    not say which records it skipped) is unknown, not failed: resending it could double it."""
    return jr.UNKNOWN if isinstance(error, TetherError) and getattr(error, "processed", False) is None else jr.FAILED


def _error_dict(error: Any) -> dict[str, Any]:
    return error.to_dict() if isinstance(error, TetherError) else {"type": "error", "message": str(error)}
