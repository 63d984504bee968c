"""Accuracy of intent search on the evaluation set in tests/intent_eval/.

Run: uv run python bench/intent_accuracy.py [--misses]

Each case is a plain-English request and the action it should find among its connector's
actions (as `tether action list --connectorId X --intent Q` ranks them). Prints top-1 and
top-3 accuracy per connector and overall. Cases with "absent" instead of "action" ask for an
entity the platform has no API for; for those it prints how many have an action claiming that
entity (by key or name) among the first three: the honest answer is none.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tether._plugins import get_plugins
from tether._registry import Registry
from tether._search import evaluate, evaluate_all, rank_actions

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "intent_eval"


def load_cases() -> tuple[list[dict], list[dict]]:
    """(cases naming the action to find, cases asking for what has no API: {"absent": entity}).

    Each case records whether it is held out (from a heldout_*.json file: written without
    looking at the descriptions, never used to tune anything) and whether it is fresh (from a
    fresh_*.json file: a second held-out set, written for issue 18's second round from the
    action keys alone and never tuned on).
    """
    cases = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        cases += [{**c, "heldout": path.name.startswith("heldout_"), "fresh": path.name.startswith("fresh_")} for c in json.loads(path.read_text())]
    return [c for c in cases if "action" in c], [c for c in cases if "absent" in c]


def claims(action, entity: str) -> bool:
    """Whether an action's key or name says it handles ``entity`` (e.g. "email account")."""
    words = entity.lower().split()
    return all(w in action.key.split("-") for w in words) or all(w in action.name.lower().split() for w in words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="List the cases not ranked first.")
    args = parser.parse_args()
    registry = Registry(get_plugins())
    cases, absent = load_cases()
    connectors = sorted({c["connector"] for c in cases + absent})
    actions = {key: list(registry.actions(key).values()) for key in connectors}
    print("per connector (ranked among that connector's actions): all cases | held-out cases only | fresh held-out only")
    for key in connectors:
        mine = [c for c in cases if c["connector"] == key]
        r, h = evaluate(mine, actions), evaluate([c for c in mine if c["heldout"]], actions)
        held = f"  | {h['cases']:3d} held-out  top-1 {h['top1']:6.1%}  top-3 {h['top3']:6.1%}" if h["cases"] else ""
        f = evaluate([c for c in mine if c["fresh"]], actions)
        held += f"  | {f['cases']:3d} fresh  top-1 {f['top1']:6.1%}  top-3 {f['top3']:6.1%}" if f["cases"] else ""
        print(f"{key:<12} {r['cases']:4d} cases  top-1 {r['top1']:6.1%}  top-3 {r['top3']:6.1%}{held}")
    total = evaluate(cases, actions)
    fresh = evaluate([c for c in cases if c["fresh"]], actions)
    print(f"{'fresh':<12} {fresh['cases']:4d} cases  top-1 {fresh['top1']:6.1%}  top-3 {fresh['top3']:6.1%}  (fresh held-out, all connectors)")
    print(f"{'overall':<12} {total['cases']:4d} cases  top-1 {total['top1']:6.1%}  top-3 {total['top3']:6.1%}")
    everything = [registry.connector(key) for key in registry.connectors()]
    every_action = {c.key: list(registry.actions(c.key).values()) for c in everything}
    cross = evaluate_all([c for c in cases if c.get("scope") == "all"], everything, every_action)
    print(f"{'cross':<12} {cross['cases']:4d} cases  top-1 {cross['top1']:6.1%}  top-3 {cross['top3']:6.1%}"
          f"  (ranked among all {sum(map(len, every_action.values()))} actions of {len(everything)} connectors)")
    for key in sorted({c["connector"] for c in absent}):
        mine = [c for c in absent if c["connector"] == key]
        claimed = [c for c in mine if any(claims(a, c["absent"]) for a in rank_actions(actions[key], c["query"])[:3])]
        print(f"{key:<12} {len(mine):4d} absent-entity cases  top-3 claiming the entity: {len(claimed)}")
    if args.misses:
        for miss in [m for m in total["misses"] if not m["fresh"]] + cross["misses"]:
            print(f"  rank {miss['rank']}: {miss['query']!r} -> {miss['action']} (top: {', '.join(miss['top'])})")


if __name__ == "__main__":
    main()
