"""``tether login``: the Membrane skills' first step, which tether does not need.

Membrane keeps connections on a hosted tenant, so its skills start with ``membrane login
--tenant`` and ``membrane login complete CODE``. tether keeps them on this computer; the
command exists so that a skill followed word for word does not stop at its first step.
"""

from __future__ import annotations

import click

from .support import emit, examples

MESSAGE = (
    "tether needs no login or account: connections and their keys live on this computer. "
    "Next: tether search PLATFORM --elementType connector --json, then tether connect --connectorId ID --json."
)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    epilog=examples("tether login --tenant --clientName=claude", "tether login complete CODE"),
)
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON document on stdout.")
@click.argument("ignored", nargs=-1, type=click.UNPROCESSED)
def login(as_json: bool, ignored: tuple[str, ...]) -> None:
    """Not needed: tether has no accounts (accepted for Membrane skills)."""
    if as_json:
        emit({"status": "not-needed", "message": MESSAGE})
    else:
        click.echo(MESSAGE)
