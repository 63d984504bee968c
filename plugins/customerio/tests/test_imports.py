"""What the connector imports: nothing of tether but the public kit, and none of its own modules in a circle.

Issue 11: connectors reached into tether's internals, and sandboxes imported in circles.
``imports`` reads the sources with ``ast`` (nothing is imported) and counts every import
statement, those inside functions included: an import deferred into a function still ties the
two modules together, it only hides the cycle until that function runs. The functions take a
package name so they serve any connector.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest


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
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
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


def test_customerio_imports_only_the_public_kit_of_tether():
    used = {t for targets in imports("tether_customerio").values() for t in targets if t.split(".")[0] == "tether"}
    assert used == {"tether.connector"}, used


def test_customerio_has_no_import_cycles():
    cycles = import_cycles("tether_customerio")
    assert not cycles, "modules importing each other in a circle: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_import_graph_sees_relative_lazy_and_package_imports():
    graph = import_graph("tether_customerio")
    assert "tether_customerio.actions.track" in graph["tether_customerio.actions"]  # from . import track
    assert "tether_customerio.samples" in graph["tether_customerio.actions.track"]  # from .. import samples
    assert "tether_customerio.connector" in graph["tether_customerio"]  # imported inside the hook


def test_a_cycle_is_reported(tmp_path, monkeypatch):
    pkg = tmp_path / "cyclic_pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")  # lazy, still an edge
    (pkg / "c.py").write_text("import cyclic_pkg.a\n\ndef g():\n    pass\n")
    (pkg / "alone.py").write_text("from . import c\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic_pkg") == [["cyclic_pkg.a", "cyclic_pkg.c", "cyclic_pkg.sub.b"]]


def test_not_a_package_is_refused():
    with pytest.raises(ValueError, match="not an importable package"):
        import_cycles("json.decoder")
