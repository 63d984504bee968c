"""``tether action list | get | run``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .._slugs import resolve_ref, slug_of
from .support import common, emit, examples, make_client, pretty, read_json_arg, run_target, table, target_options


def action_dict(connector_key: str, action: Any) -> dict[str, Any]:
    return {
        "id": f"{connector_key}.{action.key}",
        "connectorId": connector_key,
        "key": action.key,
        "slug": slug_of(connector_key, action.key),
        "name": action.name,
        "description": action.description,
        "entity": action.entity,
        "flags": action.flags(),
        "inputSchema": action.input_schema,
        "outputSchema": action.output_schema,
        "examples": list(action.examples),
    }


def _connector_of(client: Any, connection_id: str | None, connector_id: str | None) -> str:
    from .._errors import UsageError

    if (connection_id is None) == (connector_id is None):
        raise UsageError("give exactly one of --connectionId or --connectorId (or neither, with --intent)")
    return client.connection(connection_id).connector if connection_id else connector_id


@click.group(epilog=examples('tether action list --connectorId engage --intent "add a user to a list" --json', "tether action run engage.get-user --sandbox --input '{\"uid\": \"u-1001\"}' --json"))
def action() -> None:
    """Find and run actions."""


@action.command(
    "list",
    epilog=examples(
        'tether action list --connectionId engage-1a2b3c4d --intent "unsubscribe someone" --limit 5 --json',
        "tether action list --connectorId customerio",
        'tether action list --intent "tag a subscriber" --limit 5',
    ),
)
@click.option("--connectionId", "connection_id", help="List the actions of this connection's connector.")
@click.option("--connectorId", "connector_id", help="List the actions of this connector.")
@click.option("--intent", help="Order by relevance to this plain-English request.")
@click.option("--limit", type=click.IntRange(1), help="At most this many actions.")
@common
def list_(connection_id: str | None, connector_id: str | None, intent: str | None, limit: int | None, as_json: bool) -> None:
    """List a connector's actions, optionally ranked by intent (nothing is ever hidden).

    With --intent and no connector, ranks the actions of every installed connector together.
    """
    with make_client() as client:
        if intent and connection_id is None and connector_id is None:
            items = [action_dict(key, a) for key, a in client.find_actions(intent, limit=limit)]
        else:
            key = _connector_of(client, connection_id, connector_id)
            items = [action_dict(key, a) for a in client.actions(connector_id=key, intent=intent, limit=limit)]
    if as_json:
        emit({"items": items})
        return
    from .tables import short

    # One connector's actions: the key is enough (`action run KEY --connectionId …` takes it).
    across = connection_id is None and connector_id is None
    rows = [{"key": i["id"] if across else i["key"], "flags": [k for k, v in i["flags"].items() if v], "description": short(i["description"] or i["name"])} for i in items]
    table(rows, [("key", "id" if across else "key"), ("flags", "flags"), ("description", "description")])


@action.command(epilog=examples("tether action get engage.create-user --json", "tether action get create-user --connectorId engage"))
@click.argument("action_id")
@click.option("--connectionId", "connection_id", help="The action's connector is this connection's.")
@click.option("--connectorId", "connector_id", help="The action's connector.")
@common
def get(action_id: str, connection_id: str | None, connector_id: str | None, as_json: bool) -> None:
    """Show one action: description, flags, input and output schemas, examples."""
    with make_client() as client:
        qualifier, key = resolve_ref(action_id, client.registry.connectors())
        if qualifier and not connection_id and not connector_id:
            connector_id = qualifier
        connector = _connector_of(client, connection_id, connector_id)
        data = action_dict(connector, client.registry.action(connector, key))
    if as_json:
        emit(data)
    else:
        pretty(data)


@action.command(
    epilog=examples(
        "tether action run engage.create-user --sandbox --input '{\"uid\": \"ada\", \"email\": \"ada@example.com\"}' --json",
        "tether action run list-users --connectionId engage-1a2b3c4d --input '{\"all\": true}' --json",
        "tether action run create-list --connectionId engage-1a2b3c4d --input @list.json",
    )
)
@click.argument("action_id")
@target_options
@click.option("--input", "input_", metavar="JSON|@FILE|-", help="The action's input as JSON, @file or - (stdin).")
@click.option("--strict", is_flag=True, help="Also check the output against the action's output schema.")
@common
def run(action_id: str, connection_id: str | None, sandbox: bool, connector_id: str | None, input_: str | None, strict: bool, as_json: bool) -> None:
    """Run an action: JSON in, JSON out. Input is checked before anything is sent."""
    payload = read_json_arg(input_, "--input")
    with make_client(strict=strict) as client:
        connection_id = run_target(client, action_id, connection_id, sandbox, connector_id)
        conn = client.connection(connection_id)
        act = client.registry.action(conn.connector, resolve_ref(action_id, [conn.connector])[1])
        if act.pages is not None and isinstance(payload, dict) and payload.get("all"):
            _stream(client, action_id, connection_id, payload, act.pages.items)
            return
        output = client.run(action_id, connection_id=connection_id, input=payload)
    if as_json:
        emit({"output": output})
    else:
        pretty(output)


def _stream(client: Any, action_id: str, connection_id: str, payload: dict[str, Any], items_path: str) -> None:
    """Write ``{"output": {<items_path>: [ … ]}}`` item by item; constant memory, any size."""
    from .._errors import TetherError
    from .._redact import redact

    parts = items_path.split(".") if items_path else []
    opening = '{"output":' + "".join(f"{{{json.dumps(p)}:" for p in parts) + "["
    closing = "]" + "}" * len(parts)
    out = sys.stdout
    progress = sys.stderr.isatty()  # humans watching a long export see it move; pipes stay clean
    out.write(opening)
    count = 0
    try:
        for item in client.paginate(action_id, connection_id=connection_id, input={k: v for k, v in payload.items() if k != "all"}):
            out.write(("," if count else "") + redact(json.dumps(item, ensure_ascii=False, default=str)))
            count += 1
            if progress and count % 100 == 0:
                sys.stderr.write(f"\r{count} items…")
                sys.stderr.flush()
    except TetherError as exc:
        # Keep what arrived: the document stays valid JSON and carries the error beside it.
        out.write(closing + ',"error":' + json.dumps(exc.to_dict(), default=str) + "}\n")
        out.flush()
        click.echo(f"error: {redact(exc.message)}", err=True)
        sys.exit(exc.exit_code)
    out.write(closing + "}\n")
    out.flush()
    if progress and count >= 100:
        sys.stderr.write(f"\r{count} items\n")
