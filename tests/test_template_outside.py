"""A third party starts from the template outside this repository: a copy of
contrib/example installs with uv (pip interface and project sync) and with pip, and its own
tests pass there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "contrib" / "example"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "tether-jotter"
    shutil.copytree(TEMPLATE, target, ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.egg-info"))
    return target


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _uv() -> str:
    uv = shutil.which("uv")
    assert uv, "uv is needed on PATH (the README's quick start uses it)"
    return uv


def test_uv_pip_install(tmp_path):
    project = _copy(tmp_path)
    uv = _uv()
    _run([uv, "venv", "-q", ".venv"], project)
    _run([uv, "pip", "install", "-q", "--python", ".venv/bin/python", str(ROOT), "-e", ".[test]"], project)
    out = _run([".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert " passed" in out and "failed" not in out


def test_uv_sync(tmp_path):
    project = _copy(tmp_path)
    uv = _uv()
    _run([uv, "add", "-q", "--editable", str(ROOT)], project)
    _run([uv, "sync", "-q", "--extra", "test"], project)
    out = _run([uv, "run", "-q", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert " passed" in out and "failed" not in out


def test_pip_install(tmp_path):
    project = _copy(tmp_path)
    _run([sys.executable, "-m", "venv", ".venv"], project)
    _run([".venv/bin/python", "-m", "pip", "install", "-q", str(ROOT), "-e", ".[test]"], project)
    out = _run([".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert " passed" in out and "failed" not in out
