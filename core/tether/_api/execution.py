"""Running actions: check the input and the connection, run the action's operations, tell the
execution hooks, and shape what comes back (an output, every item, or a :class:`Result`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import ConfigurationError, TetherError, UsageError, ValidationError
from .._models import READY, Action, Result, RunInfo
from .._observers import busy
from .._validation import validate
from .connections import Connections
from .verbs import Ops, stream, verb

if TYPE_CHECKING:  # pragma: no cover
    from .._http.engine import Session


def split_action_ref(ref: str) -> tuple[str | None, str]:
    """``"engage.create-user"`` → (``"engage"``, ``"create-user"``); a bare key has no connector."""
    connector, sep, key = ref.rpartition(".")
    return (connector or None, key) if sep else (None, ref)


def nest(path: str, value: Any) -> Any:
    """``nest("data.items", v)`` → ``{"data": {"items": v}}``: items put back where a page holds them."""
    for part in reversed(path.split(".")) if path else ():
        value = {part: value}
    return value


@attrs.define
class Prepared:
    """A run whose input and connection were checked, ready to send (made on every call:
    not frozen, as a frozen class pays for each field it sets)."""

    session: Session
    action: Action
    input: dict[str, Any]
    run: RunInfo
    stream: bool
    creds: dict[str, Any] | None = attrs.field(default=None, repr=False)
    """The connection's credentials as checked here: the first request sends them."""


class Execution(Connections):
    @verb
    def run(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Ops[Any]:
        """Run an action and return its output; raises a :class:`~tether.TetherError`.

        ``action`` is a key (``create-user``) or an id (``engage.create-user``). For a
        paginated action, ``input={"all": True}`` returns every item.
        """
        return (yield from self._run_ops(self._prepare(action, connection_id, input)))

    @verb
    def execute(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Ops[Result]:
        """Like :meth:`run`, but returns a :class:`~tether.Result` (``output`` or ``error``) instead of raising."""
        try:
            output = yield from self._run_ops(self._prepare(action, connection_id, input))
        except TetherError as exc:
            return Result(error=exc)
        return Result(output=output)

    @stream
    def paginate(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Ops[None]:
        """Every item of a paginated action, one page in memory at a time (an async iterator
        on :class:`~tether.AsyncClient`). Bad input is refused here, before the first item."""
        return self._paginate_ops(self._prepare(action, connection_id, {**(input or {}), "all": True}))

    def _prepare(self, action_ref: str, connection_id: str, input: Any) -> Prepared:
        conn = self._connection(connection_id)
        qualifier, key = split_action_ref(action_ref)
        if qualifier is not None and qualifier != conn.connector:
            raise UsageError(f"action {action_ref!r} belongs to {qualifier}, but connection {conn.id} is {conn.connector}")
        if conn.state != READY:
            hint = (conn.client_action or {}).get("description") or (conn.error or {}).get("message") or ""
            raise ConfigurationError(f"connection {conn.id} is {conn.state}, not READY. {hint}".strip())
        action = self.registry.action(conn.connector, key)
        if input is None:
            input = {}
        if not isinstance(input, Mapping):
            raise ValidationError(f"input: expected object, got {type(input).__name__}", path="input", expected="object", given=input)
        input = dict(input)
        validate(action.input_schema, input)
        session = self._session(conn)
        creds = session.credentials.load()
        session.check_credentials(session.connector.api(action.api), creds)
        stream = bool(action.pages is not None and input.pop("all", False))
        run = RunInfo(conn.connector, conn.id, action.key, input, conn.sandbox)
        if busy(self.plugins.hook.action_started):
            self.plugins.hook.action_started(run=run)
        return Prepared(session, action, input, run, stream, creds)

    def _finished(self, prepared: Prepared, output: Any, error: TetherError | None) -> None:
        if error is None and self.strict:
            try:
                validate(prepared.action.output_schema, output, root="output")
            except ValidationError as exc:
                error = ConfigurationError(
                    f"{prepared.action.key} returned output that breaks its own schema: {exc.message}", details=exc.details
                )
        try:
            if busy(self.plugins.hook.action_finished):
                self.plugins.hook.action_finished(run=prepared.run, output=output, error=error)
        except Exception:
            import logging

            logging.getLogger("tether").exception("an action_finished hook failed")
        if error is not None:
            raise error

    def _run_ops(self, prepared: Prepared) -> Ops[Any]:
        session = prepared.session
        try:
            if prepared.stream:
                from .._http.runners import collect

                items = yield from collect(session.stream_action(prepared.action, prepared.input, prepared.run))
                output = nest(prepared.action.pages.items, items)  # type: ignore[union-attr]
            else:
                output = yield from session.run_action(prepared.action, prepared.input, prepared.run, prepared.creds)
        except TetherError as exc:
            self._finished(prepared, None, exc)
            raise
        self._finished(prepared, output, None)
        return output

    def _paginate_ops(self, prepared: Prepared) -> Ops[None]:
        from .._http.engine import Emit

        if prepared.action.pages is None:
            raise UsageError(f"action {prepared.action.key!r} is not paginated")
        count = 0
        ops = prepared.session.stream_action(prepared.action, prepared.input, prepared.run)
        value: Any = None
        try:
            while True:
                try:
                    op = ops.send(value)
                except StopIteration:
                    break
                if isinstance(op, Emit):
                    count += len(op.items)
                value = yield op
        except TetherError as exc:
            self._finished(prepared, None, exc)
            raise
        self._finished(prepared, {"items": count}, None)
