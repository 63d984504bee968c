"""What every command shares: ``--json``/``-v``, input parsing, output, and error reporting.

Only click is imported here at the top (json too is imported where it is used), so ``tether
--help`` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click

EXAMPLES_HEADER = "\b\nExamples:\n"


def examples(*lines: str) -> str:
    """An epilog block click prints verbatim."""
    return EXAMPLES_HEADER + "\n".join(f"  {line}" for line in lines)


def setup_logging(verbose: int) -> None:
    level_name = os.environ.get("TETHER_LOG", "").upper()
    if verbose:
        level_name = "DEBUG"
    if not level_name:
        return
    import logging

    from .._redact import redact

    class RedactingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record))

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("tether %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("tether")
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level_name, logging.DEBUG))
    root.propagate = False


def _verbose_callback(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value:
        setup_logging(value)
    return value


verbose_option = click.option(
    "-v", "--verbose", count=True, expose_value=False, callback=_verbose_callback, is_eager=True,
    help="Log HTTP traffic to stderr (secrets masked).",
)


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Adds ``--json`` and ``-v`` to a command, and turns tether errors into exit codes."""

    @click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON document on stdout.")
    @verbose_option
    @functools.wraps(func)
    def wrapper(*args: Any, as_json: bool, **kwargs: Any) -> Any:
        return guarded(func, as_json, *args, as_json=as_json, **kwargs)

    return wrapper


def guarded(func: Callable[..., Any], json_mode: bool, *args: Any, **kwargs: Any) -> Any:
    """Run a command body: tether errors become one line (and a JSON document) and an exit code."""
    from .._errors import TetherError

    try:
        return func(*args, **kwargs)
    except TetherError as exc:
        fail(exc, json_mode)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        raise  # the reader went away (`| head`): main() exits quietly
    except Exception as exc:  # a bug: say so plainly, traceback only when asked for (-v)
        import logging
        import traceback

        from .._errors import TetherError as _E
        from .._redact import redact

        if logging.getLogger("tether").isEnabledFor(logging.DEBUG):
            click.echo(redact(traceback.format_exc()), err=True)
        fail(_E(f"internal error: {type(exc).__name__}: {exc} (rerun with -v for the traceback)"), json_mode)


def fail(exc: Any, as_json: bool) -> None:
    """Report a TetherError (JSON on stdout with --json, one line on stderr always) and exit."""
    from .._redact import redact, redact_obj

    if as_json:
        emit({"error": redact_obj(exc.to_dict())})
    click.echo(f"error: {redact(exc.message)}", err=True)
    sys.exit(exc.exit_code)


def emit(document: Any) -> None:
    """The one JSON document of a ``--json`` run, with secrets masked as a last line of defence."""
    import json

    from .._redact import redact

    click.echo(redact(json.dumps(document, ensure_ascii=False, default=str)))


def pretty(document: Any) -> None:
    import json

    from .._redact import redact

    click.echo(redact(json.dumps(document, indent=2, ensure_ascii=False, default=str)))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], empty: str = "(none)") -> None:
    """Aligned columns for humans, fitting the terminal: ``columns`` are (key, header)."""
    from .._redact import redact
    from .tables import render

    if not rows:
        click.echo(empty)
        return
    for line in render(rows, columns, clean=redact):
        click.echo(line)


def read_json_arg(value: str | None, option: str) -> Any:
    """``--input`` values: inline JSON, ``@file``, or ``-`` for stdin."""
    from .._errors import UsageError

    if value is None:
        return None
    try:
        if value == "-":
            text, source = sys.stdin.read(), "stdin"
        elif value.startswith("@"):
            source = value[1:]
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
        else:
            text, source = value, None
    except OSError as exc:
        raise UsageError(f"{option}: cannot read {value[1:]}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{option}: {source} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
    return parse_json(text, option, source)


def parse_json(text: str | bytes, option: str, source: str | None = None) -> Any:
    """JSON text as a value; anything that is not plain JSON is a one-line usage error.

    ``option`` names where the text was given, ``source`` the file (or "stdin") it came from."""
    import json

    from .._errors import UsageError

    where = f"{option} ({source})" if source else option
    try:
        return json.loads(text)
    except RecursionError:
        raise UsageError(f"{where} is nested too deeply to be read as JSON") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        from .json_errors import not_json

        raise UsageError(not_json(option, source, exc)) from None
    except ValueError as exc:
        raise UsageError(f"{where} is not valid JSON ({exc})") from None


def read_data_arg(value: str) -> bytes:
    """``-d`` values: text, ``@file`` (bytes as is), or ``-`` for stdin."""
    from .._errors import UsageError

    if value == "-":
        return sys.stdin.buffer.read()
    if value.startswith("@"):
        try:
            with open(value[1:], "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise UsageError(f"-d: cannot read {value[1:]}: {exc.strerror}") from None
    return value.encode()


def pairs(values: Iterable[str], option: str, sep: str = "=") -> list[tuple[str, str]]:
    from .._errors import UsageError

    out = []
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key.strip():
            raise UsageError(f"{option} expects KEY{sep}VALUE, got {value!r}")
        out.append((key.strip(), rest.strip() if sep == ":" else rest))
    return out


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def make_client(**kwargs: Any) -> Any:
    from .._client import Client

    return Client(**kwargs)


def target_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--connectionId``, ``--sandbox`` and ``--connectorId``: where a run goes (see :func:`run_target`)."""
    func = click.option("--connectorId", "connector_id", help="With --sandbox: the connector (or qualify the action: engage.create-user).")(func)
    func = click.option("--sandbox", is_flag=True, help="Run on the connector's sandbox (its connection is made on first use).")(func)
    return click.option("--connectionId", "connection_id", help="The connection to run it on.")(func)


def run_target(client: Any, action_id: str, connection_id: str | None, sandbox: bool, connector_id: str | None) -> str:
    """The connection ``action run`` and ``bulk run`` send to: ``--connectionId``, or with ``--sandbox``
    the connector's sandbox connection (made on first use, after the action is known to exist)."""
    from .._errors import UsageError
    from .._slugs import resolve_ref

    if connection_id is not None:
        if sandbox:
            raise UsageError("--sandbox picks the sandbox connection itself; drop --connectionId or --sandbox")
        return connection_id
    if not sandbox:
        raise UsageError("give --connectionId ID, or --sandbox to run on the connector's sandbox")
    qualifier, key = resolve_ref(action_id, client.registry.connectors())
    connector = connector_id or qualifier
    if not connector:
        raise UsageError("with --sandbox, name the connector: --connectorId engage, or engage.<action>")
    client.registry.action(connector, key)  # an unknown action exits 2 before a sandbox connection is made
    return client.sandbox_connection(connector).id
