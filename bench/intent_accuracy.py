"""Accuracy of intent search on the evaluation set in tests/intent_eval/.

Run: uv run python bench/intent_accuracy.py [--misses]

Each case is a plain-English request and the action it should find among its connector's
actions (as `tether action list --connectorId X --intent Q` ranks them). Prints top-1 and
top-3 accuracy per connector and overall.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tether._plugins import get_plugins
from tether._registry import Registry
from tether._search import evaluate

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "intent_eval"


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        cases += json.loads(path.read_text())
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="List the cases not ranked first.")
    args = parser.parse_args()
    registry = Registry(get_plugins())
    cases = load_cases()
    connectors = sorted({c["connector"] for c in cases})
    actions = {key: list(registry.actions(key).values()) for key in connectors}
    for key in connectors:
        mine = [c for c in cases if c["connector"] == key]
        r = evaluate(mine, actions)
        print(f"{key:<12} {r['cases']:4d} cases  top-1 {r['top1']:6.1%}  top-3 {r['top3']:6.1%}")
    total = evaluate(cases, actions)
    print(f"{'overall':<12} {total['cases']:4d} cases  top-1 {total['top1']:6.1%}  top-3 {total['top3']:6.1%}")
    if args.misses:
        for miss in total["misses"]:
            print(f"  rank {miss['rank']}: {miss['query']!r} -> {miss['action']} (top: {', '.join(miss['top'])})")


if __name__ == "__main__":
    main()
