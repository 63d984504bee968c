"""The public Python API is typed for embedders: `mypy --strict` accepts a correct program
(tests/typing_samples/embed_ok.py) and flags each misuse sample on the line marked
``# error: <code>``; ``__all__`` is literal and every name in it resolves lazily."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tether

SAMPLES = Path(__file__).parent / "typing_samples"
MARK = re.compile(r"#\s*error:\s*([\w-]+)")
REPORT = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def _expected(path: Path) -> set[tuple[int, str]]:
    lines = path.read_text().splitlines()
    return {(n, m.group(1)) for n, text in enumerate(lines, 1) if (m := MARK.search(text))}


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory) -> dict[str, set[tuple[int, str]]]:
    """One `mypy --strict` run over every sample (a fresh cache in tmp): errors by file."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    files = sorted(p.name for p in SAMPLES.glob("*.py"))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-error-summary", "--no-color-output",
         "--cache-dir", str(cache), *files],
        cwd=SAMPLES, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 2 would be mypy itself failing
    errors: dict[str, set[tuple[int, str]]] = {name: set() for name in files}
    for line in proc.stdout.splitlines():
        if (m := REPORT.match(line)) is not None:
            errors.setdefault(m["file"], set()).add((int(m["line"]), m["code"]))
    return errors


def test_mypy_strict_accepts_the_embedding_sample(mypy_errors):
    assert mypy_errors["embed_ok.py"] == set()


@pytest.mark.parametrize(
    "sample",
    [
        "misuse_constructor_keyword.py",  # Client(hom=...): the constructor's real signature
        "misuse_int_connection_id.py",  # connection_id=42: the verbs' real parameter types
        "misuse_missing_await.py",  # AsyncClient verbs are coroutines
        "misuse_result_attribute.py",  # Result has output/error/ok, nothing else
        "misuse_sync_with_async_client.py",  # `with AsyncClient()` instead of `async with`
        "misuse_unchecked_error.py",  # Result.error is TetherError | None, not Any
    ],
)
def test_mypy_strict_flags_the_misuse(mypy_errors, sample):
    expected = _expected(SAMPLES / sample)
    assert expected, f"{sample} marks no line with '# error: <code>'"
    assert mypy_errors[sample] == expected


def test_the_embedding_sample_runs(tmp_path):
    spec = importlib.util.spec_from_file_location("embed_ok", SAMPLES / "embed_ok.py")
    assert spec is not None and spec.loader is not None
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    (first, *titles), awaited = sample.main(str(tmp_path / "home"))
    assert first == "typed" and "typed" in titles and awaited == "awaited"


def test_all_is_a_literal_list_and_every_name_resolves():
    tree = ast.parse(Path(tether.__file__).read_text())
    [value] = [node.value for node in tree.body if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["__all__"]]
    assert isinstance(value, ast.List) and all(isinstance(e, ast.Constant) for e in value.elts)
    assert set(tether._LAZY) <= set(tether.__all__)
    for name in tether.__all__:
        assert getattr(tether, name) is not None, name
    from tether._http.retry import RetryPolicy

    assert tether.RetryPolicy is RetryPolicy


def test_importing_tether_and_reading_all_loads_no_httpx():
    code = "import sys, tether; tether.__all__; dir(tether); assert 'httpx' not in sys.modules, 'httpx loaded'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
