"""Start-up time of the tether CLI, against Python itself and a minimal click program.

Run: uv run python bench/startup.py [--runs N] [--no-bytecode]

Prints the median wall time of each command over N paired rounds (default 15; each round
runs every command once, each in a fresh process), and the ratios the core issue sets
targets for: `tether --help` within 1.5x a minimal click program's `--help`, `tether action
list … --intent` within 3x, `tether action run engage.get-user --sandbox` (one process,
reading a user the sandbox already holds) within 2.5x. Beside the last, the floor under it:
the libraries every such run imports (click, pluggy, attrs, sqlite3; the in-process sandbox
is reached without httpx, which only a network request loads), imported alone. Then the
heavy modules each command loads.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL_CLICK = (
    "import click\n"
    "@click.group()\n"
    "def cli():\n"
    "    'A minimal click program.'\n"
    "@cli.command()\n"
    "def hello():\n"
    "    'Say hello.'\n"
    "cli()\n"
)
DEPENDENCY_FLOOR = "import click, pluggy, attrs, sqlite3\n"
MODULES_AT_EXIT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
    "from tether._cli import main\n"
    "sys.argv[0] = 'tether'\n"
    "main()  # as the program runs it\n"
)


def medians_ms(cases: list[tuple[str, list[str]]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Paired rounds: each round runs every command once, so load on the machine falls on
    all of them alike and the ratios hold even when the absolute figures drift."""
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    for _ in range(runs):
        for name, argv in cases:
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def imports(args: list[str], env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", MODULES_AT_EXIT, *args], capture_output=True, text=True, env=env)
    return json.loads(result.stderr.rpartition("MODULES ")[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--connector", default="engage")
    parser.add_argument(
        "--no-bytecode", action="store_true",
        help="compile every module from source on each run (no bytecode cache read or written)",
    )
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="tether-bench-")
    env = {**os.environ, "TETHER_HOME": home, "TETHER_SECRETS_BACKEND": "file"}
    # By default every process reads cached bytecode, as an installed program does after its
    # first run; with PYTHONDONTWRITEBYTECODE set (some shells here set it) each run would
    # compile click, httpx and tether from source, and measure the compiler instead.
    if args.no_bytecode:  # bytecode is read from (and never written to) an empty directory
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="tether-bench-nocache-")
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    listing = ["action", "list", "--connectorId", args.connector, "--intent", "add a contact to a list", "--json"]
    # The README quick start: a user made once, then read back (each timed run reads it again).
    running = ["action", "run", "engage.get-user", "--sandbox", "--input", '{"uid": "ada"}', "--json"]
    create = ["action", "run", "engage.update-user", "--sandbox", "--input", '{"uid": "ada", "email": "ada@example.com"}', "--json"]
    subprocess.run([py, "-m", "tether", *create], stdout=subprocess.DEVNULL, env=env, check=True)
    cases = [
        ("python -c pass", [py, "-c", "pass"]),
        ("minimal click --help", [py, "-c", MINIMAL_CLICK, "--help"]),
        ("tether --help", [py, "-m", "tether", "--help"]),
        ("tether plugins --json", [py, "-m", "tether", "plugins", "--json"]),
        (f"tether action list --connectorId {args.connector} --intent …", [py, "-m", "tether", *listing]),
        ("tether action run engage.get-user --sandbox", [py, "-m", "tether", *running]),
        # The floor under that run: only the libraries every sandbox action run imports, doing nothing.
        ("python -c 'import click, pluggy, attrs, sqlite3'", [py, "-c", DEPENDENCY_FLOOR]),
    ]
    for _, argv in cases:  # warm the file cache (and write the bytecode cache)
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    results = medians_ms(cases, args.runs, env)
    width = max(len(n) for n in results)
    mode = "compiled from source each run" if args.no_bytecode else "bytecode cached"
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"median of {args.runs} paired rounds, each process fresh (Python {sys.version.split()[0]}, {mode}{load})")
    for name, ms in results.items():
        print(f"  {name:<{width}}  {ms:7.1f} ms")
    click_ms = results["minimal click --help"]
    help_ratio = results["tether --help"] / click_ms
    list_ratio = results[cases[-3][0]] / click_ms
    run_ratio = results[cases[-2][0]] / click_ms
    floor_ratio = results[cases[-1][0]] / click_ms
    print(f"tether --help / minimal click --help = {help_ratio:.2f}x (target <= 1.5x)")
    print(f"tether action list / minimal click --help = {list_ratio:.2f}x (target <= 3x)")
    print(f"tether action run --sandbox / minimal click --help = {run_ratio:.2f}x (target <= 2.5x;"
          f" its libraries alone: {floor_ratio:.2f}x)")
    for label, argv in (("tether --help", ["--help"]), ("tether action list", listing), ("tether action run --sandbox", running)):
        loaded = imports(argv, env)
        heavy = [m for m in ("httpx", "jsonschema", "asyncio", "keyring", "cryptography") if m in loaded]
        print(f"{label} imports httpx: {'yes' if 'httpx' in loaded else 'no'}; heavy modules loaded: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
