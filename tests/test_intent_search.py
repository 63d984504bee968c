"""Intent search: deterministic, nothing hidden, and accurate on the evaluation set.

The evaluation set is tests/intent_eval/: one request per line with the action it should find.
heldout_*.json and fresh_*.json were written from the action keys alone, without reading the
descriptions, and nothing is tuned on them (fresh_*.json is the second such set, written before
issue 18's second round of tuning and scored apart by bench/intent_accuracy.py);
cross_connector.json ("scope": "all") is ranked over every installed connector's actions at once.
Issue 18 asks for top-1 95 % / top-3 99 % per connector and top-1 90 % across connectors: FLOORS
holds those goals (every connector meets them today), a ratchet: raise, never lower. Any regression, an emptied vocabulary or
descriptions reduced to names fails here.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest

from tether import _search
from tether._plugins import get_plugins
from tether._registry import Registry
from tether._search import evaluate, evaluate_all, rank_actions, rank_all_actions, stem, tokens
from tether._search_shape import Shape
from tether._search_text import request_tokens

EVAL = Path(__file__).parent / "intent_eval"
# Cases with "absent" instead of "action" ask for something a platform has no API for; the
# connector's own tests check that no action claims them (e.g. smartengage_absent.json).
CASES = [case for path in sorted(EVAL.glob("*.json")) for case in json.loads(path.read_text()) if "action" in case]
CROSS = [case for case in CASES if case.get("scope") == "all"]
REGISTRY = Registry(get_plugins())
CONNECTORS = [REGISTRY.connector(key) for key in REGISTRY.connectors()]
# connector: (top-1, top-3) floors on all its cases, held-out ones included.
FLOORS = {"customerio": (0.95, 0.99), "engage": (0.95, 0.99), "esputnik": (0.95, 0.99), "smartengage": (0.95, 0.99), "clevertap": (0.95, 0.99), "example": (1.0, 1.0)}
CROSS_FLOOR = 0.90
FRESH = [case for path in sorted(EVAL.glob("fresh_*.json")) for case in json.loads(path.read_text())]
FRESH_FLOOR = (0.92, 0.97)
"""Top-1 and top-3 over the fresh held-out set alone, all connectors pooled (a ratchet too)."""


def actions_of(key):
    return list(REGISTRY.actions(key).values())


def accuracy_by_connector(actions=None):
    actions = actions or {key: actions_of(key) for key in FLOORS}
    return {key: evaluate([c for c in CASES if c["connector"] == key], actions) for key in FLOORS}


def test_tokens_and_stems():
    assert tokens("Add customerToSegment for my_users") == ["add", "customer", "segment", "user"]
    assert tokens("mail ada@example.com") == ["mail", "email"]
    assert stem("archived") == stem("archive") == stem("archiving")
    assert stem("lists") == "list" and stem("status") == "status"


def test_a_request_is_read_for_what_its_words_say():
    vocab = _search.vocabulary()
    assert "get" not in request_tokens("get rid of a draft newsletter", vocab)[0]  # a phrase is its meaning
    assert "vip" not in request_tokens("make a list named VIP", vocab)[0]  # a name is a value
    assert Shape.of_request("add these people to the VIP segment", vocab).relation == {"link"}
    assert Shape.of_request("take u-9 out of account acme", vocab).relation == {"unlink"}
    assert not Shape.of_request("delete a person from customer.io", vocab).relation  # no container
    assert Shape.of_request("was my message delivered", vocab).ops == {"read"}  # a question reads
    counting = Shape.of_request("how many users signed up last week", vocab)
    assert counting.count and not counting.many and counting.ops == {"read"}
    assert not Shape.of_request("show the tags of a subscriber", vocab).many
    assert Shape.of_request("tag subscribers 1, 2 and 3", vocab).many
    # An action's key: "to" makes a membership only after a membership verb.
    by_key = {a.key: Shape.of_action(a, vocab) for a in actions_of("clevertap") + actions_of("customerio")}
    assert by_key["add-customers-to-segment"].relation == {"link"}
    assert not by_key["send-message-to-users"].relation
    assert by_key["get-event-count"].count and not by_key["get-events"].count


def test_a_clause_pointing_at_a_sibling_action_is_not_searched():
    """A description's clause that names another action of the catalog describes that action."""
    action = SimpleNamespace(
        key="delete-user", name="Delete user", entity="user", input_schema={},
        description="Delete a user for good. Use archive-user to keep their history. It cannot be undone.",
    )
    doc = _search.action_document(action, siblings=frozenset({"delete-user", "archive-user"}))
    assert (doc["description"], doc["details"]) == ("Delete a user for good.", "It cannot be undone.")
    alone = _search.action_document(action, siblings=frozenset({"delete-user"}))  # no such sibling: kept
    assert "history" in alone["details"]


def test_ranking_orders_and_never_hides():
    actions = actions_of("example")
    ranked = rank_actions(actions, "zzz qqq nothing matches")
    assert [a.key for a in ranked] == [a.key for a in actions]  # no match: catalog order, all present
    assert rank_actions(actions, "remove a note") == rank_actions(actions, "remove a note")
    assert {a.key for a in rank_actions(actions, "remove a note")} == {a.key for a in actions}


def test_the_evaluation_set_covers_every_action_of_its_connectors():
    for key in FLOORS:
        if key != "example":
            assert len([c for c in CASES if c["connector"] == key]) >= 40, key
    for case in CASES:
        assert case["action"] in REGISTRY.actions(case["connector"]), case
    for key in {c["connector"] for c in CASES}:
        covered = {c["action"] for c in CASES if c["connector"] == key}
        missing = set(REGISTRY.actions(key)) - covered
        assert not missing, f"{key}: no evaluation case for {sorted(missing)}"


def _misses(result):
    return "\n".join(f"  {m['query']!r} -> {m['action']} got {m['top']}" for m in result["misses"])


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_accuracy_per_connector(key):
    result = accuracy_by_connector()[key]
    top1, top3 = FLOORS[key]
    assert result["top3"] >= top3, f"{key} top-3 {result['top3']:.1%}\n{_misses(result)}"
    assert result["top1"] >= top1, f"{key} top-1 {result['top1']:.1%}\n{_misses(result)}"


def test_cross_connector_accuracy():
    assert len(CROSS) >= 40
    result = evaluate_all(CROSS, CONNECTORS, {c.key: actions_of(c.key) for c in CONNECTORS})
    assert result["top1"] >= CROSS_FLOOR, f"top-1 {result['top1']:.1%}\n{_misses(result)}"


def test_accuracy_on_requests_nobody_tuned_for():
    """The fresh held-out set, pooled: how the ranking does on requests it was not tuned on."""
    assert len(FRESH) >= 100
    actions = {key: actions_of(key) for key in {c["connector"] for c in FRESH}}
    result = evaluate(FRESH, actions)
    assert result["top3"] >= FRESH_FLOOR[1], f"fresh top-3 {result['top3']:.1%}\n{_misses(result)}"
    assert result["top1"] >= FRESH_FLOOR[0], f"fresh top-1 {result['top1']:.1%}\n{_misses(result)}"


def test_cross_connector_ranking_names_each_actions_connector():
    ranked = rank_all_actions(CONNECTORS, {c.key: actions_of(c.key) for c in CONNECTORS}, "tag a smartengage subscriber")
    assert len(ranked) == sum(len(actions_of(c.key)) for c in CONNECTORS)  # nothing hidden
    assert (ranked[0][0].key, ranked[0][1].key) == ("smartengage", "tag-subscriber")


def pooled_top1(results):
    cases = sum(r["cases"] for r in results.values())
    return sum(r["top1"] * r["cases"] for r in results.values()) / cases


def test_an_empty_vocabulary_fails_the_floors(monkeypatch):
    """The vocabulary carries weight: without it connectors fall below their floors and
    top-1 over every case drops by more than 3 points."""
    with_vocabulary = pooled_top1(accuracy_by_connector())
    monkeypatch.setattr(_search, "vocabulary", functools.lru_cache(maxsize=1)(lambda: _search.Vocabulary({})))
    results = accuracy_by_connector()
    below = [key for key, r in results.items() if r["top1"] < FLOORS[key][0]]
    assert len(below) >= 3, below
    assert pooled_top1(results) < with_vocabulary - 0.03


def test_descriptions_carry_weight():
    """Descriptions reduced to the action's name make every connector fall below its floor."""
    bare = {key: [attrs.evolve(a, description=a.name) for a in actions_of(key)] for key in FLOORS}
    for key, result in accuracy_by_connector(bare).items():
        if key != "example":
            assert result["top1"] < FLOORS[key][0], key
