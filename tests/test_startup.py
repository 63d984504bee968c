"""Start-up stays lean: each command imports only what it needs (figures: bench/startup.py).

Every check here is on the set of modules a real ``tether`` process has loaded when it exits,
so a new top-level import anywhere on the path of these commands fails it.
"""

from __future__ import annotations

import ast
import atexit
import gc
import os
import subprocess
import sys

import click
import pytest
from cli_runner import run_cli

from tether._cli import COMMANDS, cli

MODULES_AT_EXIT = (
    "import atexit, sys\n"  # nothing more: what the harness imports would hide what tether does
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + repr(sorted(sys.modules))))\n"
    "from tether._cli import main\n"
    "sys.argv[0] = 'tether'\n"
    "main()  # as the program runs it\n"
)


def loaded_by(home, *args: str) -> set[str]:
    env = {**os.environ, "TETHER_HOME": str(home), "TETHER_SECRETS_BACKEND": "file"}
    for key in ("TETHER_PLUGINS", "TETHER_DISABLE_PLUGINS"):
        env.pop(key, None)
    result = subprocess.run([sys.executable, "-c", MODULES_AT_EXIT, *args], capture_output=True, text=True, env=env, timeout=60)
    assert "MODULES " in result.stderr, result.stderr
    return set(ast.literal_eval(result.stderr.rpartition("MODULES ")[2]))


def test_help_imports_no_command_module_and_nothing_heavy(tmp_path):
    loaded = loaded_by(tmp_path, "--help")
    command_modules = {f"tether._cli.{module}" for module, _attr, _summary in COMMANDS.values()}
    assert not command_modules & loaded, "`tether --help` imported a command module"
    for heavy in ("httpx", "jsonschema", "attr", "asyncio", "sqlite3", "logging", "pathlib", "difflib", "tether._models"):
        assert heavy not in loaded, f"`tether --help` imported {heavy}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_summary_is_the_command_own(name):
    """--help shows COMMANDS' summaries; each must read exactly as the command's docstring would."""
    real = cli.get_command(click.Context(cli), name)
    stand_in = click.Command(name, help=COMMANDS[name][2])
    for limit in (20, 45, 60, 80, 200):
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


OTHER_CONNECTORS = ("tether_customerio", "tether_clevertap", "tether_esputnik", "tether_smartengage", "tether_example")


@pytest.mark.parametrize(
    "action, payload",
    [("engage.update-user", '{"uid": "ada", "email": "ada@example.com"}'), ("engage.get-user", '{"uid": "ada"}')],
)
def test_action_run_on_the_sandbox_loads_only_what_the_run_needs(tmp_path, action, payload):
    if action == "engage.get-user":  # the README's quick start: a user made first, then read
        loaded_by(tmp_path, "action", "run", "engage.update-user", "--sandbox", "--input", '{"uid": "ada"}', "--json")
    loaded = loaded_by(tmp_path, "action", "run", action, "--sandbox", "--input", payload, "--json")
    assert {"tether_engage.actions", "tether_engage.sandbox", "tether._sandbox.inprocess"} <= loaded  # it did run
    # Valid input is settled by the quick check; sync runs need no event loop; the in-process
    # sandbox is reached without httpx (nor the stdlib HTTP, TLS and mail modules it would
    # bring: http.client, ssl, email, urllib.request).
    for unneeded in ("jsonschema", "asyncio", "httpx", "http.client", "ssl", "email.utils", "urllib.request", "pygments", "rich"):
        assert unneeded not in loaded, f"`tether action run --sandbox` imported {unneeded}"
    # Other connectors are registered (their cheap plugin and connector modules) but never activated.
    activated = sorted(m for m in loaded if m.startswith(OTHER_CONNECTORS) and (".actions" in m or ".sandbox" in m))
    assert activated == []


def test_the_program_skips_the_collections_of_shutdown_and_in_process_runs_do_not(tmp_path, capsys, monkeypatch):
    # As the program (no argv), tether freezes the collector at exit, before shutdown's collections.
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'\\nFROZEN {gc.get_freeze_count()}'))\n"  # runs last
        "from tether._cli import main\n"
        "sys.argv = ['tether', 'connectors', '--json']\n"
        "main()\n"
    )
    env = {**os.environ, "TETHER_HOME": str(tmp_path), "TETHER_SECRETS_BACKEND": "file"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert int(result.stderr.rpartition("FROZEN ")[2]) > 0
    # Run in-process (tests, embedders' scripts), it leaves the collector alone: a frozen
    # object would never be collected, and its ResourceWarning never seen.
    registered: list = []
    monkeypatch.setattr(atexit, "register", lambda func, *args, **kwargs: registered.append(func))
    assert run_cli(capsys, "connectors", "--json").code == 0
    assert gc.freeze not in registered
