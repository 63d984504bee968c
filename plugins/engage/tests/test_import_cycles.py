"""No two modules of the connector import each other, directly or round a longer loop.

``import_cycles`` takes any package name, so the same check can run over every connector.
Imports inside functions count too: a lazy import hides a cycle at start-up, not in the
design (engage's sandbox ``base`` ↔ ``seed`` was one; the kit's ``seed="module:function"``
string is what removes it). Imports under ``if TYPE_CHECKING:`` never run and do not count.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path


def _modules(package: str) -> dict[str, Path]:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is not an installed package"
    found: dict[str, Path] = {}
    for root in map(Path, spec.submodule_search_locations):
        for path in root.rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _nodes(tree: ast.AST):
    """Every node of ``tree`` except what sits under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if _type_checking(node):
            stack.extend(node.orelse)  # type: ignore[attr-defined]
        else:
            stack.extend(ast.iter_child_nodes(node))


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's own modules that module ``name`` imports anywhere in its body."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            submodules = {f"{source}.{alias.name}" for alias in node.names} & modules.keys()
            targets |= submodules  # `from pkg import module`
            if len(submodules) < len(node.names):
                targets.add(source)  # names defined in the module (or package) itself
    return {t for t in targets if t in modules and t != name}


def import_cycles(package: str) -> list[list[str]]:
    """Every group of ``package``'s modules that import one another in a loop (empty: none)."""
    modules = _modules(package)
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    # Tarjan's strongly connected components: a component of two or more modules is a loop.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_engage_has_no_import_cycles():
    assert import_cycles("tether_engage") == []


def test_the_check_finds_loops(tmp_path, monkeypatch):
    package = tmp_path / "loopy"
    (package / "sandbox").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sandbox" / "__init__.py").write_text("from . import base\n")
    (package / "sandbox" / "base.py").write_text("def seed():\n    from .seed import run\n")
    (package / "sandbox" / "seed.py").write_text("from .. import models\nfrom .base import seed\n")
    (package / "models.py").write_text("import loopy.sandbox.base\n")
    (package / "fine.py").write_text("from loopy import models\nfrom .sandbox import base\n")
    (package / "typed.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .typed_too import X\n")
    (package / "typed_too.py").write_text("from .typed import Y\n")
    (package / "hub").mkdir()
    (package / "hub" / "__init__.py").write_text("from .spoke import ROUTES\nSANDBOX = 1\n")
    (package / "hub" / "spoke.py").write_text("from . import SANDBOX\nROUTES = []\n")
    # A submodule importing a sibling through its package does not depend on the package.
    (package / "hub" / "rim.py").write_text("from . import spoke\n")
    (package / "wheel").mkdir()
    (package / "wheel" / "__init__.py").write_text("from . import axle\n")
    (package / "wheel" / "axle.py").write_text("from . import bearing\n")
    (package / "wheel" / "bearing.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert sorted(import_cycles("loopy")) == [
        ["loopy.hub", "loopy.hub.spoke"],
        ["loopy.models", "loopy.sandbox.base", "loopy.sandbox.seed"],
    ]
