"""What a connector package imports, read from its sources with ``ast`` (nothing is imported).

Every import statement counts, those inside functions included: an import deferred into a
function still ties two modules together, it only hides a cycle until that function runs.
The conformance kit uses these to check that a connector imports nothing of tether but the
public modules and that its own modules never import each other in a circle.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

PUBLIC = frozenset({"tether", "tether.connector", "tether.hookspecs", "tether.testing"})
"""What a connector may import from tether; everything else is internal."""


def _modules(package: str) -> dict[str, Path]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{package} is not an importable package")
    modules: dict[str, Path] = {}
    for root in spec.submodule_search_locations:
        for path in sorted(Path(root).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join([package, *parts])] = path
    return modules


def imports(package: str) -> dict[str, set[str]]:
    """Module of ``package`` → every module it imports (anywhere in its source), by absolute name."""
    modules = _modules(package)
    found: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        # The package a relative import starts from: the module's own for an __init__.
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        # Imports under `if TYPE_CHECKING:` never run: they tie no modules together.
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
            for stmt in node.body
            for inner in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                # "from pkg import mod" imports the submodule; "from mod import name" the module.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            found[name] |= {t for t in targets if t and t != name}
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    found = imports(package)
    return {name: {t for t in targets if t in found} for name, targets in found.items()}


def import_cycles(package: str) -> list[list[str]]:
    """The groups of modules of ``package`` that import each other in a circle (Tarjan's SCCs)."""
    graph = import_graph(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)
