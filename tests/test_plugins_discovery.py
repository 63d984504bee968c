"""Plugins found through entry points of installed distributions; broken ones reported.

The test distributions live in a temporary directory put on PYTHONPATH, with a
``*.dist-info`` holding their entry points: exactly how an installed plugin is found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GOOD = '''
from tether import hookimpl

@hookimpl
def register_connectors(register):
    from tether._models import Api, AuthSpec, Connector
    register(Connector(
        key="goodplug", name="Good plug", description="A connector from a test distribution.",
        apis=(Api("default", "https://api.goodplug.example", AuthSpec("bearer", {"token": "token"})),),
        credentials={"type": "object", "properties": {"token": {"type": "string", "writeOnly": True}}},
        actions=lambda: (), domains=("goodplug.example",),
    ))

@hookimpl
def register_commands(cli):
    import click

    @cli.command()
    def hello():
        """Say hello from a plugin."""
        click.echo("hello from goodplug")
'''

PLUGINS = {
    "goodplug": GOOD,
    "brokenplug": "raise ImportError('needs the frobnicate package')\n",
    "typoplug": "from tether import hookimpl\n\n@hookimpl\ndef register_conectors(register):\n    pass\n",
    "crashplug": "from tether import hookimpl\n\n@hookimpl\ndef register_connectors(register):\n    raise RuntimeError('bad config')\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for name, code in PLUGINS.items():
        (root / name).mkdir()
        (root / name / "__init__.py").write_text(textwrap.dedent(code))
        info = root / f"{name}-1.2.3.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
        (info / "entry_points.txt").write_text(f"[tether]\n{name} = {name}\n")
    return root


def tether(site: Path, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(site), "TETHER_HOME": str(tmp_path / "home"), "TETHER_SECRETS_BACKEND": "file", **env}
    for key in ("TETHER_PLUGINS", "TETHER_DISABLE_PLUGINS"):
        if key not in env:
            full_env.pop(key, None)
    return subprocess.run([sys.executable, "-m", "tether", *args], capture_output=True, text=True, env=full_env, timeout=60)


def records(result: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    assert result.returncode == 0, result.stderr
    return {item["name"]: item for item in json.loads(result.stdout)["items"]}


def test_installed_plugin_is_discovered_and_broken_ones_reported(site, tmp_path):
    found = records(tether(site, tmp_path, "plugins", "--json"))
    good = found["goodplug"]
    assert good["distribution"] == "goodplug" and good["version"] == "1.2.3"
    assert good["hooks"] == ["register_commands", "register_connectors"] and good["error"] is None
    assert good["connectors"] == ["goodplug"]
    assert "frobnicate" in found["brokenplug"]["error"]
    assert "register_conectors" in found["typoplug"]["error"] and "did you mean 'register_connectors'" in found["typoplug"]["error"]
    assert "bad config" in found["crashplug"]["error"]
    assert found["example"]["error"] is None  # the rest keep working


def test_the_rest_keep_working(site, tmp_path):
    connectors = json.loads(tether(site, tmp_path, "connectors", "--json").stdout)["items"]
    assert {"goodplug", "example"} <= {c["key"] for c in connectors}
    hello = tether(site, tmp_path, "hello")
    assert hello.returncode == 0 and hello.stdout.strip() == "hello from goodplug"
    assert "hello" in tether(site, tmp_path, "--help").stdout
    ensured = json.loads(tether(site, tmp_path, "connection", "ensure", "https://www.goodplug.example/pricing", "--json").stdout)
    assert ensured["connectorId"] == "goodplug" and ensured["state"] == "CLIENT_ACTION_REQUIRED"


def test_allow_and_block_lists(site, tmp_path):
    only = records(tether(site, tmp_path, "plugins", "--json", TETHER_PLUGINS="goodplug"))
    assert set(only) == {"builtin", "goodplug"}
    blocked = records(tether(site, tmp_path, "plugins", "--json", TETHER_DISABLE_PLUGINS="goodplug,brokenplug"))
    assert "goodplug" not in blocked and "brokenplug" not in blocked and "example" in blocked


MODULES_AT_EXIT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
    "from tether._cli import main\n"
    "main(sys.argv[1:])\n"
)


def _imported_modules(site: Path, tmp_path: Path, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "TETHER_HOME": str(tmp_path / "home"), "TETHER_SECRETS_BACKEND": "file"}
    result = subprocess.run([sys.executable, "-c", MODULES_AT_EXIT, *args], capture_output=True, text=True, env=env, timeout=60)
    return json.loads(result.stderr.rpartition("MODULES ")[2])


def test_discovery_does_not_activate_connectors(site, tmp_path):
    """--help and plugin listing import plugin modules only; actions and httpx stay unloaded."""
    help_imports = _imported_modules(site, tmp_path, "--help")
    assert "tether_example" in help_imports  # the cheap plugin module, asked for CLI commands
    for heavy in ("tether_example.connector", "tether_example.actions", "httpx", "jsonschema", "attr._make"):
        assert heavy not in help_imports, f"`tether --help` imported {heavy}"
    listing = _imported_modules(site, tmp_path, "action", "list", "--connectorId", "example", "--intent", "list my notes", "--json")
    assert "tether_example.actions" in listing
    for heavy in ("httpx", "jsonschema", "tether_example.sandbox"):
        assert heavy not in listing, f"`tether action list` imported {heavy}"


def test_builtin_auth_kinds_come_through_the_hook():
    from tether._plugins import Plugins
    from tether._registry import Registry

    kinds = Registry(Plugins(load_entry_points=False)).auth_kinds()
    assert set(kinds) == {"basic", "bearer", "header", "oauth2"}


def test_every_hook_spec_is_documented():
    import inspect

    from tether import hookspecs

    specs = [f for name, f in vars(hookspecs).items() if inspect.isfunction(f) and hasattr(f, "tether_spec")]
    assert len(specs) >= 7
    for spec in specs:
        assert spec.__doc__ and len(spec.__doc__.strip()) > 40, f"hook {spec.__name__} lacks a docstring"
