"""``tether search``, ``tether connectors``, ``tether plugins``."""

from __future__ import annotations

import click

from .support import common, emit, examples, make_client, table


@click.command(
    epilog=examples(
        "tether search engage --elementType connector --json",
        'tether search "add a contact to a list" --elementType action',
    )
)
@click.argument("query")
@click.option("--elementType", "element_type", type=click.Choice(["connector", "action"]), help="Only this kind of element.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="At most this many results.")
@common
def search(query: str, element_type: str | None, limit: int, as_json: bool) -> None:
    """Find connectors and actions by name or intent."""
    with make_client() as client:
        items = client.search(query, element_type=element_type, limit=limit)
    if as_json:
        emit({"items": items})
        return
    rows = [{"type": i["elementType"], "id": i["element"]["id"], "name": i["element"]["name"], "description": i["element"]["description"]} for i in items]
    table(rows, [("type", "type"), ("id", "id"), ("name", "name"), ("description", "description")], empty="no match")


@click.command(epilog=examples("tether connectors", "tether connectors --json"))
@common
def connectors(as_json: bool) -> None:
    """List the installed connectors."""
    with make_client() as client:
        items = [c.summary() for c in client.connectors()]
    if as_json:
        emit({"items": items})
        return
    table(items, [("key", "key"), ("name", "name"), ("domains", "domains"), ("version", "version"), ("description", "description")], empty="no connectors installed (try: pip install tether-engage)")


@click.command(epilog=examples("tether plugins --json", "TETHER_DISABLE_PLUGINS=engage tether plugins"))
@common
def plugins(as_json: bool) -> None:
    """List plugins: distribution, version, hooks, and any error loading them."""
    from .._plugins import get_plugins
    from .._registry import Registry

    manager = get_plugins()
    registry = Registry(manager)
    registry.connectors()  # pins registration failures on their plugins
    registry.auth_kinds()
    items = [r.to_dict() for r in manager.records]
    if as_json:
        emit({"items": items})
        return
    table(items, [("name", "name"), ("distribution", "distribution"), ("version", "version"), ("hooks", "hooks"), ("error", "error")])
