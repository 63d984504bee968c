"""The catalog: every action of the issue in the seed's order, flags, pacing, a lean and acyclic package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


PACKAGE = Path(__file__).resolve().parent.parent / "tether_esputnik"

SEED = [
    "get-contacts-activity", "get-workflows", "get-account-info", "add-orders", "get-segment-contacts", "get-segments",
    "generate-event", "send-prepared-message", "get-message-status", "send-sms", "send-email", "subscribe-contact",
    "delete-contact", "search-contacts", "get-contact", "add-update-contact",
]
REST = [
    "get-contact-fields", "add-update-contacts", "get-import-status", "attach-contacts-to-segment", "detach-contacts-from-segment",
    "search-email-templates", "get-email-template", "create-email-template", "delete-email-template",
]


@pytest.fixture
def catalog(tether_client):
    return tether_client.connector("esputnik"), {a.key: a for a in tether_client.actions(connector_id="esputnik")}


def test_every_action_in_the_seed_order_then_the_rest(catalog):
    _, actions = catalog
    assert list(actions) == SEED + REST


def test_flags(catalog):
    _, actions = catalog
    destructive = {k for k, a in actions.items() if a.destructive}
    assert destructive == {"delete-contact", "detach-contacts-from-segment", "delete-email-template"}
    paginated = {k for k, a in actions.items() if a.paginated}
    assert paginated == {"search-contacts", "get-segment-contacts", "get-segments", "search-email-templates", "get-contacts-activity"}
    assert all(actions[k].read_only for k in paginated)


def test_pacing_follows_the_rate_table(catalog):
    connector, actions = catalog
    limits = {family: limit.requests for family, limit in connector.api().rate_limits.items()}
    assert limits == {"default": 200, "contacts-search": 50, "events": 350, "message-history": 10, "email-message": 10}


def test_hosts_are_regions_of_one_api(catalog):
    connector, _ = catalog
    assert connector.regions == ("esputnik.com", "yespo.io", "api.yespo.io")
    assert [connector.api().url(r) for r in connector.regions] == ["https://esputnik.com/api", "https://yespo.io/api", "https://api.yespo.io/api"]


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _relative_imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports at module level (imports inside functions are lazy)."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            target = package[: len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            if node.module:  # "from . import x" imports the submodule x, not the package back
                found.add(".".join(target))
            found.update(".".join(target + [alias.name]) for alias in node.names)
    return found


def test_no_import_cycles():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in _relative_imports(path) if m in modules and m != name} for name, path in modules.items()}
    # A package's __init__ importing its own modules is how routes register; a module importing
    # its package back (the other half of a cycle) is what must not happen.
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            cycle = stack[stack.index(node):] + [node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in seen:
            return
        stack.append(node)
        for nxt in graph[node]:
            visit(nxt)
        stack.pop()
        seen.add(node)

    for name in graph:
        visit(name)


def test_start_up_stays_lean():
    code = "import sys, tether_esputnik; print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'jsonschema', 'tether_esputnik')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['tether_esputnik']"
