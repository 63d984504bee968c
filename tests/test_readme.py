"""The README's quick start works as written, and CI runs the test command it gives."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    first, second = quick_start_commands()
    assert first.startswith("uv run tether action run ") and "--sandbox" in first
    assert second == "uv run pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert second in ci.splitlines()


def test_quick_start_runs_a_real_action_and_again(tmp_path):
    argv = shlex.split(quick_start_commands()[0])[2:]  # drop "uv run": we are inside the environment
    env = {**os.environ, "TETHER_HOME": str(tmp_path), "TETHER_SECRETS_BACKEND": "file"}
    for attempt in (1, 2):  # a newcomer runs it twice: it must work twice
        done = subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, f"attempt {attempt}: {done.stderr}"
        user = json.loads(done.stdout)["output"]
        assert (user["uid"], user["email"], user["first_name"]) == ("ada", "ada@example.com", "Ada")
    got = subprocess.run([sys.executable, "-m", "tether", "action", "run", "engage.get-user", "--sandbox", "--input", '{"uid": "ada"}', "--json"], capture_output=True, text=True, env=env)
    assert json.loads(got.stdout)["output"]["email"] == "ada@example.com"  # state persists between commands
