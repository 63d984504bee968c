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
    "search": ("discover", "search"),
    "connectors": ("discover", "connectors"),
    "plugins": ("discover", "plugins"),
    "connect": ("connections", "connect"),
    "connection": ("connections", "connection"),
    "action": ("actions", "action"),
    "request": ("proxy", "request"),
    "sandbox": ("sandbox", "sandbox"),
    "login": ("login", "login"),
    "bulk": ("bulk", "bulk"),
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

            module, attr = COMMANDS[name]
            return getattr(import_module(f".{module}", __name__), attr)
        self._load_plugin_commands()
        return self.commands.get(name)


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
