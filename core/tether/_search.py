"""Ranking actions (and connectors) by how well they match a plain-English request.

Two stages, both deterministic and offline (no model):

1. BM25 over weighted fields with a small stemmer and the domain vocabulary of
   ``_search_vocabulary.json`` (``_search_text``, ``_search_index``): a word matches its own form
   fully and the other words of its synonym groups at half weight, so "archive user" still
   prefers ``archive-user`` over ``delete-user`` while "remove a contact" finds both.
2. The best BM25 candidates are re-scored by what the request says beyond its words' overlap
   (``_search_shape``): operation, listing, cardinality, identifier, key coverage.

Ranking only orders: every action stays listed. This module builds each catalog's documents and
index once and answers rank_actions, rank_all_actions and search_elements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ._search_index import Index, in_order
from ._search_shape import Shape
from ._search_text import Vocabulary, stem, tokens, vocabulary

__all__ = ["Vocabulary", "evaluate", "evaluate_all", "rank_actions", "rank_all_actions", "search_elements", "stem", "tokens", "vocabulary"]

_INDEXES: dict[tuple[Any, ...], tuple[Sequence[Any], Index]] = {}
_INDEXES_KEPT = 32


def _cached_index(objects: Sequence[Any], build: Any, tag: str = "") -> Index:
    """The index over ``objects``, built once and reused for every later query on them."""
    vocab = vocabulary()
    key = (tag, id(vocab), *map(id, objects))
    cached = _INDEXES.get(key)
    if cached is None:
        if len(_INDEXES) >= _INDEXES_KEPT:
            _INDEXES.pop(next(iter(_INDEXES)))
        # The objects (and vocabulary) are kept with their index, so their ids cannot be reused meanwhile.
        docs, shapes = build(vocab)
        cached = _INDEXES[key] = ((*objects, vocab), Index(docs, shapes, vocab))
    return cached[1]


_KEBAB = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")  # not after "e.g."
_CLAUSE = re.compile(r"(?<=[.;:])\s+|,\s+(?=(?:use|to|for|or use|see)\b)")


def action_document(action: Any, connector: Any = None, siblings: frozenset[str] = frozenset()) -> dict[str, str]:
    """The fields of ``action`` that are searched.

    Descriptions point at their neighbours ("to find them by email use list-users"); a clause
    that names a sibling action's key describes that sibling and is left out, so that an
    action is not found by the words of the ones it sends you to ("delete-user ... use
    archive-user to keep the history" is not found by "keep the history").
    """
    own = action.key
    clauses = _CLAUSE.split(action.description)
    kept = [c for c in clauses if not any(m != own and m in siblings for m in _KEBAB.findall(c))]
    # The first sentence says what the action does; the rest gives details and caveats.
    summary, *details = _SENTENCE.split(" ".join(kept), maxsplit=1)
    doc = {
        "key": action.key.replace("-", " "),
        "name": action.name,
        "entity": action.entity,
        "description": summary,
        "details": " ".join(details),
        "params": " ".join((action.input_schema.get("properties") or {}).keys()),
    }
    if connector is not None:
        doc["connector"] = f"{connector.key} {connector.name}"
    return doc


def rank_actions(actions: Sequence[Any], intent: str) -> list[Any]:
    """All of ``actions``, most relevant first; ties keep the catalog order."""
    if not actions:
        return []
    def build(vocab: Vocabulary) -> tuple[list[dict[str, str]], list[Shape]]:
        keys = frozenset(a.key for a in actions)
        return [action_document(a, siblings=keys) for a in actions], [Shape.of_action(a, vocab) for a in actions]

    return in_order(actions, _cached_index(actions, build, "actions").best(intent)[0])


def rank_all_actions(connectors: Sequence[Any], actions: Mapping[str, Sequence[Any]], intent: str) -> list[tuple[Any, Any]]:
    """Every action of every connector as ``(connector, action)``, most relevant first.

    The connector's key and name are part of each action's document, so a request that names
    a platform ("in customer.io") prefers its actions; one that does not ranks them all alike.
    """
    pairs = [(c, a) for c in connectors for a in actions.get(c.key, ())]
    if not pairs:
        return []
    objects = [a for _, a in pairs] + list(connectors)
    keys = frozenset(a.key for _, a in pairs)
    index = _cached_index(
        objects, lambda v: ([action_document(a, c, keys) for c, a in pairs], [Shape.of_action(a, v, c) for c, a in pairs]), "all-actions"
    )
    return in_order(pairs, index.best(intent)[0])


def search_elements(
    query: str,
    connectors: Sequence[Any],
    actions: Mapping[str, Sequence[Any]],
    *,
    element_type: str | None = None,
    limit: int | None = 20,
) -> list[dict[str, Any]]:
    """Connectors and actions matching ``query``, best first, each action with its connector."""
    elements: list[tuple[str, Any, Any]] = []
    if element_type in (None, "connector"):
        elements += [("connector", c, None) for c in connectors]
    if element_type in (None, "action"):
        elements += [("action", a, c) for c in connectors for a in actions.get(c.key, ())]
    if not elements:
        return []

    keys = frozenset(e[1].key for e in elements if e[0] == "action")

    def build(vocab: Vocabulary) -> tuple[list[dict[str, str]], list[Shape]]:
        docs, shapes = [], []
        for kind, obj, owner in elements:
            if kind == "connector":
                docs.append({"key": obj.key, "name": obj.name, "description": obj.description, "entity": " ".join(obj.domains)})
                shapes.append(Shape.of_connector(obj, vocab))
            else:
                docs.append(action_document(obj, owner, keys))
                shapes.append(Shape.of_action(obj, vocab, owner))
        return docs, shapes

    index = _cached_index([e[1] for e in elements], build, f"elements:{element_type}")
    best, scores = index.best(query, head=limit or len(elements))
    out = []
    for i in best:
        kind, obj, owner = elements[i]
        if kind == "connector":
            element = obj.summary()
        else:
            element = {
                "id": f"{owner.key}.{obj.key}",
                "key": obj.key,
                "name": obj.name,
                "description": obj.description,
                "connectorId": owner.key,
            }
        out.append({"elementType": kind, "element": element, "score": round(scores[i], 4)})
    return out


def evaluate(cases: Sequence[Mapping[str, str]], actions: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Top-1/top-3 accuracy of :func:`rank_actions` on ``{"query", "connector", "action"}`` cases."""
    results = []
    for case in cases:
        ranked = [a.key for a in rank_actions(actions[case["connector"]], case["query"])]
        results.append(_result(case, ranked, case["action"]))
    return _summary(results)


def evaluate_all(cases: Sequence[Mapping[str, str]], connectors: Sequence[Any], actions: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Top-1/top-3 accuracy of :func:`rank_all_actions`: the connector and the action must both match."""
    results = []
    for case in cases:
        ranked = [f"{c.key}.{a.key}" for c, a in rank_all_actions(connectors, actions, case["query"])]
        results.append(_result(case, ranked, f"{case['connector']}.{case['action']}"))
    return _summary(results)


def _result(case: Mapping[str, str], ranked: list[str], wanted: str) -> dict[str, Any]:
    rank = ranked.index(wanted) + 1 if wanted in ranked else None
    return {**case, "rank": rank, "top": ranked[:3]}


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(results) or 1
    return {
        "cases": len(results),
        "top1": sum(r["rank"] == 1 for r in results) / n,
        "top3": sum(r["rank"] is not None and r["rank"] <= 3 for r in results) / n,
        "misses": [r for r in results if r["rank"] != 1],
    }
