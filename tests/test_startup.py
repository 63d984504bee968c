"""Start-up stays lean: each command imports only what it needs (figures: bench/startup.py).

Every check here is on the set of modules a real ``tether`` process has loaded when it exits,
so a new top-level import anywhere on the path of these commands fails it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import click
import pytest

from tether._cli import COMMANDS, cli

MODULES_AT_EXIT = (
    "import atexit, sys\n"  # nothing more: what the harness imports would hide what tether does
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + repr(sorted(sys.modules))))\n"
    "from tether._cli import main\n"
    "main(sys.argv[1:])\n"
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
