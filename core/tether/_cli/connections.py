"""``tether connect`` and ``tether connection …``."""

from __future__ import annotations

from typing import Any

import click

from .support import common, emit, examples, is_interactive, make_client, pairs, read_json_arg, table


def show(conn: Any, as_json: bool) -> None:
    data = conn.to_dict()
    if as_json:
        emit(data)
        return
    from .._redact import redact

    for key in ("id", "name", "connectorId", "state", "sandbox", "settings", "credentials", "createdAt"):
        value = data[key]
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(value) + " (set)" if value else "none"
        click.echo(redact(f"{key:>12}: {value}"))
    if data.get("error"):
        click.echo(redact(f"{'error':>12}: {data['error'].get('message')}"))
    action = data.get("clientAction")
    if action:
        click.echo(redact(f"{'next step':>12}: {action['description']}"))
        if action.get("uiUrl"):
            click.echo(f"{'':>12}  open {action['uiUrl']} in a browser on this computer to enter them")
        else:
            click.echo(f"{'':>12}  run `tether connection update {data['id']}` in a terminal to enter them")


def prompt_missing(connector: Any, creds: dict[str, Any]) -> dict[str, Any]:
    """Ask for each credential field not given; secret ones with hidden input, on stderr."""
    schema = connector.credentials
    required = set(schema.get("required", ()))
    out = dict(creds)
    for name, spec in (schema.get("properties") or {}).items():
        if out.get(name) not in (None, ""):
            continue
        label = spec.get("title") or name
        if spec.get("description"):
            label += f" ({spec['description']})"
        if name not in required:
            label += " [Enter to skip]"
        value = click.prompt(label, hide_input=bool(spec.get("writeOnly")), default="" if name not in required else None, show_default=False, err=True)
        if value:
            out[name] = value
    return out


def _connection_inputs(input_: str | None, setting: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    from .._errors import UsageError

    creds = read_json_arg(input_, "--input") or {}
    if not isinstance(creds, dict):
        raise UsageError("--input must be a JSON object of credential fields")
    return creds, dict(pairs(setting, "--setting"))


_input_help = (
    "Credentials as JSON, @file or - (stdin). When missing: prompted for (hidden) on a terminal, "
    "otherwise a page on this computer takes them (clientAction.uiUrl)."
)
_browser_help = "Take the credentials on a local web page (clientAction.uiUrl) even on a terminal."


def offer_page(client: Any, conn: Any) -> Any:
    """Start the credential page for a connection and record its URL in clientAction."""
    import attrs

    from .._credential_page import PageError, start_page

    try:
        url = start_page(client.home, conn.id)
    except PageError:  # the stored instructions (a terminal command) still work
        return conn
    base = dict(conn.client_action or {"type": "connect", "description": f"Replace the credentials of {conn.id}."})
    base["uiUrl"] = url
    base["agentInstructions"] = (
        "Do not ask the user to paste secrets into this conversation. "
        f"Ask them to open {url} in a browser on this computer and enter the credentials there, or to run `tether connection update {conn.id}` in their own "
        "terminal. Meanwhile run "
        f"`tether connection get {conn.id} --wait --timeout 300 --json`; it returns when the state changes. "
        "The page works for 15 minutes; run the same command again for a new one."
    )
    conn = attrs.evolve(conn, client_action=base)
    client.store.save(conn)
    return conn


_setting_help = "KEY=VALUE: region (ESputnik: host), baseUrl, baseUrl.<api>, or one of the connector's own (e.g. avatar_id for smartengage). Repeatable."


@click.command(
    epilog=examples(
        "tether connect --connectorId engage --sandbox --json",
        "tether connect --connectorId engage --input @engage-keys.json --json",
        "tether connect --connectorId customerio --setting region=eu --input - < keys.json",
    )
)
@click.option("--connectorId", "connector_id", required=True, help="The connector (see `tether connectors`).")
@click.option("--name", help="A name for the connection (default: the connector's).")
@click.option("--sandbox", is_flag=True, help="Connect to the connector's local sandbox instead of the platform.")
@click.option("--input", "input_", metavar="JSON|@FILE|-", help=_input_help)
@click.option("--setting", multiple=True, metavar="KEY=VALUE", help=_setting_help)
@click.option("--no-verify", is_flag=True, help="Save without checking the credentials against the platform.")
@click.option("--browser", is_flag=True, help=_browser_help)
@common
def connect(connector_id: str, name: str | None, sandbox: bool, input_: str | None, setting: tuple[str, ...], no_verify: bool, browser: bool, as_json: bool) -> None:
    """Create a connection to a platform (or to its sandbox).

    Without credentials and without a terminal (an agent), the answer is CLIENT_ACTION_REQUIRED
    with clientAction.uiUrl: a page on this computer where the user enters them.
    """
    creds, settings = _connection_inputs(input_, setting)
    with make_client() as client:
        if not sandbox and not browser and is_interactive():
            creds = prompt_missing(client.connector(connector_id), creds)
        conn = client.connect(connector_id, name=name, credentials=creds, settings=settings, sandbox=sandbox, verify=not no_verify)
        if conn.state == "CLIENT_ACTION_REQUIRED" and not sandbox and (browser or not is_interactive()):
            conn = offer_page(client, conn)
    show(conn, as_json)


@click.group(epilog=examples("tether connection list --json", "tether connection get engage-1a2b3c4d --wait --timeout 60 --json"))
def connection() -> None:
    """List, inspect, update, test and delete connections."""


@connection.command("list", epilog=examples("tether connection list --json", "tether connection list --connectorId engage"))
@click.option("--connectorId", "connector_id", help="Only connections of this connector.")
@common
def list_(connector_id: str | None, as_json: bool) -> None:
    """List connections (credential values are never shown)."""
    with make_client() as client:
        items = [c.to_dict() for c in client.connections(connector_id)]
    if as_json:
        emit({"items": items})
        return
    for item in items:  # what the connection waits for, or why it failed, in a few words
        item["note"] = ((item.get("error") or {}).get("message") or (item.get("clientAction") or {}).get("description") or "")
    table(items, [("id", "id"), ("state", "state"), ("connectorId", "connector"), ("sandbox", "sandbox"), ("note", "note")], empty="no connections (create one: tether connect --connectorId engage --sandbox)")


@connection.command(epilog=examples("tether connection get engage-1a2b3c4d --json", "tether connection get engage-1a2b3c4d --wait --timeout 120 --json"))
@click.argument("connection_id")
@click.option("--wait", is_flag=True, help="If the connection waits for its user, return as soon as its state changes (at --timeout: the current state, exit 0).")
@click.option("--timeout", type=click.FloatRange(0), default=300.0, show_default=True, help="Seconds to wait with --wait.")
@common
def get(connection_id: str, wait: bool, timeout: float, as_json: bool) -> None:
    """Show one connection: state, settings and which credential fields are set."""
    with make_client() as client:
        conn = client.wait_connection(connection_id, timeout) if wait else client.connection(connection_id)
    show(conn, as_json)


@connection.command(epilog=examples('tether connection ensure "https://engage.so/" --json', "tether connection ensure customer.io"))
@click.argument("url_or_domain")
@common
def ensure(url_or_domain: str, as_json: bool) -> None:
    """Find the connection for an app's URL or domain, or create one awaiting credentials."""
    with make_client() as client:
        conn = client.ensure_connection(url_or_domain)
        if conn.state == "CLIENT_ACTION_REQUIRED" and not conn.sandbox and not is_interactive():
            conn = offer_page(client, conn)
    show(conn, as_json)


@connection.command(epilog=examples("tether connection update engage-1a2b3c4d", "tether connection update cio-1a2b3c4d --input @app-key.json --json"))
@click.argument("connection_id")
@click.option("--input", "input_", metavar="JSON|@FILE|-", help=_input_help)
@click.option("--setting", multiple=True, metavar="KEY=VALUE", help=_setting_help)
@click.option("--no-verify", is_flag=True, help="Save without checking the credentials against the platform.")
@click.option("--browser", is_flag=True, help=_browser_help)
@common
def update(connection_id: str, input_: str | None, setting: tuple[str, ...], no_verify: bool, browser: bool, as_json: bool) -> None:
    """Add or replace credentials or settings of a connection, then check them.

    With nothing given and no terminal (or with --browser), the answer carries clientAction.uiUrl:
    a page on this computer where the user enters new keys (rotation).
    """
    creds, settings = _connection_inputs(input_, setting)
    with make_client() as client:
        conn = client.connection(connection_id)
        if not conn.sandbox and input_ is None and not settings and (browser or not is_interactive()):
            show(offer_page(client, conn), as_json)
            return
        if not conn.sandbox and is_interactive() and input_ is None and not settings:
            creds = prompt_missing(client.connector(conn.connector), {k: "set" for k in conn.credential_fields})
            creds = {k: v for k, v in creds.items() if k not in conn.credential_fields}
        conn = client.update_connection(connection_id, credentials=creds, settings=settings, verify=not no_verify)
    show(conn, as_json)


@connection.command(epilog=examples("tether connection test engage-1a2b3c4d --json"))
@click.argument("connection_id")
@common
def test(connection_id: str, as_json: bool) -> None:
    """Check a connection's credentials with a cheap authenticated request."""
    with make_client() as client:
        conn = client.test_connection(connection_id)
    show(conn, as_json)
    if conn.state != "READY":
        raise SystemExit(1)


@connection.command(epilog=examples("tether connection delete engage-1a2b3c4d --json"))
@click.argument("connection_id")
@common
def delete(connection_id: str, as_json: bool) -> None:
    """Delete a connection and its stored secret."""
    with make_client() as client:
        conn = client.delete_connection(connection_id)
    if as_json:
        emit({"deleted": True, "id": conn.id})
    else:
        click.echo(f"deleted {conn.id}")
