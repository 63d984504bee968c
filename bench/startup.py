"""Start-up time of the tether CLI, against Python itself and a minimal click program.

Run: uv run python bench/startup.py [--runs N]

Prints the median wall time of each command over N runs (default 15), and the ratios the
core issue sets targets for: `tether --help` within 1.5x a minimal click program's
`--help`, `tether action list … --intent` within 3x, `tether action run engage.get-user
--sandbox` (one process, reading a user the sandbox already holds) within 2.5x; and lists
the heavy modules each command loads.
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
MODULES_AT_EXIT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
    "from tether._cli import main\n"
    "main(sys.argv[1:])\n"
)


def median_ms(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def imports(args: list[str], env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", MODULES_AT_EXIT, *args], capture_output=True, text=True, env=env)
    return json.loads(result.stderr.rpartition("MODULES ")[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--connector", default="engage")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="tether-bench-")
    env = {**os.environ, "TETHER_HOME": home, "TETHER_SECRETS_BACKEND": "file"}
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
    ]
    for _, argv in cases:  # warm the file cache
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    results = {name: median_ms(argv, args.runs, env) for name, argv in cases}
    width = max(len(n) for n in results)
    print(f"median of {args.runs} runs (Python {sys.version.split()[0]})")
    for name, ms in results.items():
        print(f"  {name:<{width}}  {ms:7.1f} ms")
    click_ms = results["minimal click --help"]
    help_ratio = results["tether --help"] / click_ms
    list_ratio = results[cases[-2][0]] / click_ms
    run_ratio = results[cases[-1][0]] / click_ms
    print(f"tether --help / minimal click --help = {help_ratio:.2f}x (target <= 1.5x)")
    print(f"tether action list / minimal click --help = {list_ratio:.2f}x (target <= 3x)")
    print(f"tether action run --sandbox / minimal click --help = {run_ratio:.2f}x (target <= 2.5x)")
    for label, argv in (("tether --help", ["--help"]), ("tether action list", listing), ("tether action run --sandbox", running)):
        loaded = imports(argv, env)
        heavy = [m for m in ("httpx", "jsonschema", "keyring", "cryptography") if m in loaded]
        print(f"{label} imports httpx: {'yes' if 'httpx' in loaded else 'no'}; heavy modules loaded: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
