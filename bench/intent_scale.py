"""Intent-search query time at catalog scale: the index is built once, then queried.

Run: uv run python bench/intent_scale.py [--actions 10000]

Builds a catalog of N actions from the installed connectors' real actions (copied under
numbered connector names until N is reached), then times every evaluation query of
tests/intent_eval/ against it, and against one real connector's catalog. Prints the build
time and p50/p99 per query.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import attrs

from tether._plugins import get_plugins
from tether._registry import Registry
from tether._search import rank_actions

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "intent_eval"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_queries(actions: list, queries: list[str], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            rank_actions(actions, query)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000, help="Catalog size (default 10,000).")
    parser.add_argument("--rounds", type=int, default=3, help="Times each query is asked (default 3).")
    args = parser.parse_args()
    registry = Registry(get_plugins())
    real = {key: list(registry.actions(key).values()) for key in registry.connectors()}
    base = [a for actions in real.values() for a in actions]
    catalog = []
    copy = 0
    while len(catalog) < args.actions:
        catalog += [attrs.evolve(a, key=f"{a.key}-c{copy}") for a in base][: args.actions - len(catalog)]
        copy += 1
    queries = [case["query"] for path in sorted(EVAL_DIR.glob("*.json")) for case in json.loads(path.read_text()) if "query" in case]

    started = time.perf_counter()
    rank_actions(catalog, "warm up: build the index")
    build = (time.perf_counter() - started) * 1000
    big = timed_queries(catalog, queries, args.rounds)
    print(f"{len(catalog):>6} actions: index built once in {build:.0f} ms; {len(big)} queries "
          f"p50 {statistics.median(big):.2f} ms  p99 {percentile(big, 0.99):.2f} ms")
    for key in ("customerio",):
        if key in real:
            small = timed_queries(real[key], queries, args.rounds)
            print(f"{len(real[key]):>6} actions ({key}): p50 {statistics.median(small):.2f} ms  p99 {percentile(small, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
