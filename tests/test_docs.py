"""The README documents every hook of the plugin contract, with its exact signature."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hook_signatures() -> dict[str, str]:
    tree = ast.parse((ROOT / "core" / "tether" / "hookspecs.py").read_text())
    hooks = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any("hookspec" in ast.unparse(d) for d in node.decorator_list):
            hooks[node.name] = f"{node.name}({', '.join(a.arg for a in node.args.args)})"
    return hooks


def plugin_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Plugin hooks")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def test_every_hook_is_documented_with_its_signature():
    hooks = hook_signatures()
    assert len(hooks) >= 7
    section = plugin_section()
    missing = [sig for sig in hooks.values() if f"`{sig}`" not in section]
    assert not missing, f"README's 'Plugin hooks' section lacks (or has another signature for): {missing}"


def test_the_readme_documents_no_hook_that_does_not_exist():
    import re

    hooks = hook_signatures()
    documented = re.findall(r"^\| `(\w+)\(", plugin_section(), flags=re.M)
    assert documented and set(documented) <= set(hooks), f"documented but not in hookspecs.py: {set(documented) - set(hooks)}"
