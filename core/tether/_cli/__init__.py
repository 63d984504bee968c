"""The ``tether`` command line: a thin layer over :class:`tether.Client`.

Its grammar follows the Membrane CLI (``search``, ``connect --connectorId``, ``connection``,
``action list --intent``, ``action run``, ``request``) so agent skills written for it work
with the program name changed.
"""

from __future__ import annotations

import sys

import click

from .support import examples, verbose_option

COMMANDS = {
    # name: (module, attribute, summary). `tether --help` lists the summaries, so it imports
    # none of the command modules; tests/test_startup.py checks each against the command's own.
    "search": ("discover", "search", "Find connectors and actions by name or intent."),
    "connectors": ("discover", "connectors", "List the installed connectors."),
    "plugins": ("discover", "plugins", "List plugins: distribution, version, hooks, and any error loading them."),
    "connect": ("connections", "connect", "Create a connection to a platform (or to its sandbox)."),
    "connection": ("connections", "connection", "List, inspect, update, test and delete connections."),
    "action": ("actions", "action", "Find and run actions."),
    "request": ("proxy", "request", "Send a raw HTTP request through a connection (auth injected, never printed)."),
    "sandbox": ("sandbox", "sandbox", "Run, inspect and reset the connectors' local platform emulations."),
    "login": ("login", "login", "Not needed: tether has no accounts (accepted for Membrane skills)."),
    "bulk": ("bulk", "bulk", "Run an action once per line of a JSONL file: journaled, resumable, batched where the platform allows."),
}


class TetherGroup(click.Group):
    """Built-in commands load on demand; plugin commands are asked for once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plugins_loaded = False

    def _load_plugin_commands(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from .._plugins import get_plugins

        get_plugins().call_collecting("register_commands", cli=self)

    def list_commands(self, ctx):
        self._load_plugin_commands()
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx, name):
        if name in COMMANDS:
            from importlib import import_module

            module, attr, _ = COMMANDS[name]
            return getattr(import_module(f".{module}", __name__), attr)
        self._load_plugin_commands()
        return self.commands.get(name)

    def format_commands(self, ctx, formatter):
        """click's listing, with built-in commands shown by their summary in COMMANDS."""
        from gettext import gettext as _

        rows = []
        for name in self.list_commands(ctx):
            cmd = click.Command(name, help=COMMANDS[name][2]) if name in COMMANDS else self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in rows)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@click.group(
    cls=TetherGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=examples(
        "tether action run engage.create-user --sandbox --input '{\"uid\": \"ada\", \"email\": \"ada@example.com\"}' --json",
        "tether search engage --elementType connector --json",
        "tether connect --connectorId engage --json",
        'tether action list --connectionId ID --intent "add a contact to a list" --json',
        "tether request ID /users --query limit=5",
    ),
)
@click.version_option(package_name="tether", prog_name="tether")
@verbose_option
def cli() -> None:
    """Act on customer-engagement platforms: connect once, find actions by intent, run them
    with JSON in and JSON out, or send raw requests through an authenticated proxy.

    Credentials stay on this machine and are never printed. Every command takes --json and
    then prints exactly one JSON document on stdout. Exit codes: 0 ok, 1 platform or auth
    error, 2 bad input, 3 network failure.
    """


def main(argv: list[str] | None = None) -> None:
    """The program (``tether``, ``python -m tether``: no ``argv``), or one command line run
    in-process (``argv`` given, as tests do)."""
    if argv is None:
        _as_the_program()
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="tether", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if "--json" in args:
            from .support import emit

            emit({"error": {"type": "usage_error", "message": exc.format_message()}})
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # Like any Unix tool whose reader stopped early: no traceback, no "internal error".
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _as_the_program() -> None:
    """Start-up savings for a process that is the ``tether`` program and nothing else.

    In-process callers (tests) keep Python as it was: these choices are the process's.
    """
    # `import httpx` also imports httpx's own command line, and with it pygments and rich when
    # they are installed (~6 ms); httpx falls back to a stub when that import fails. Nothing in
    # the program runs `httpx` as a program.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]
    # Interpreter shutdown runs full collections over everything a command imported: 20-40 ms
    # of an `action run` that takes ~150 ms. Frozen objects are skipped. Nothing of tether's
    # waits for a collection (clients, stores and journals are closed explicitly), and Python
    # never promised ``__del__`` at exit. atexit runs this before shutdown collects.
    import atexit
    import gc

    atexit.register(gc.freeze)
