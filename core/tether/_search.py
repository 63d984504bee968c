"""Ranking actions (and connectors) by how well they match a plain-English request.

BM25 over weighted fields (key and name above entity, entity above description, parameter
names last), with a small stemmer and a synonym table for this domain. A word matches its
own form fully and its synonyms at half weight, so "archive user" still prefers
``archive-user`` over ``delete-user`` while "remove a contact" finds both. Deterministic,
offline, no model. Ranking only orders: every action stays listed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("user", "contact", "customer", "profile", "subscriber", "person", "people", "member", "lead", "recipient", "audience-member"),
    ("list", "segment", "group", "audience", "cohort", "mailing"),
    ("remove", "delete", "unsubscribe", "archive", "erase", "destroy", "drop", "purge", "deactivate", "forget", "out"),
    ("send", "deliver", "trigger", "broadcast", "dispatch", "blast", "fire", "launch"),
    ("event", "activity", "track", "action-log", "behavior", "behaviour", "happen", "record"),
    ("create", "add", "new", "insert", "make", "register", "signup", "enroll", "enrol", "put"),
    ("update", "edit", "change", "modify", "set", "patch", "rename", "upsert", "identify"),
    ("get", "fetch", "retrieve", "read", "show", "lookup", "find", "view", "detail", "info", "see", "look", "open", "inspect"),
    ("list", "all", "browse", "enumerate", "every"),
    ("search", "find", "filter", "query", "lookup", "match"),
    ("count", "number", "size", "total", "how-many", "tally"),
    ("metric", "stat", "statistic", "report", "performance", "analytic", "result", "kpi"),
    ("campaign", "journey", "workflow", "flow", "automation"),
    ("newsletter", "broadcast", "blast"),
    ("email", "mail", "e-mail", "inbox"),
    ("sms", "text", "phone", "mobile-message"),
    ("push", "notification", "device"),
    ("device", "token", "phone", "mobile", "app-install"),
    ("export", "download", "dump", "extract", "backup"),
    ("merge", "combine", "deduplicate", "dedupe", "consolidate", "unify"),
    ("suppress", "block", "ban", "blacklist", "blocklist"),
    ("unsuppress", "unblock", "allow", "whitelist"),
    ("subscribe", "opt-in", "optin", "join", "enroll"),
    ("unsubscribe", "opt-out", "optout", "leave"),
    ("attribute", "property", "field", "trait", "meta", "data", "detail"),
    ("account", "organization", "organisation", "company", "team", "workspace", "tenant"),
    ("role", "permission", "access", "title"),
    ("message", "delivery", "communication", "sent"),
    ("webhook", "callback", "hook", "endpoint", "notification-url"),
    ("batch", "bulk", "many", "multiple", "mass", "several"),
    ("transactional", "receipt", "one-off", "password-reset", "otp", "triggered"),
    ("region", "datacenter", "data-center", "location"),
    ("membership", "member", "belong", "in", "who"),
    ("usage", "used", "reference", "depend"),
    ("convert", "transform", "change-type", "turn"),
    ("status", "state", "preference", "subscription"),
    ("form", "submission", "signup-form"),
    ("anonymous", "visitor", "guest", "unknown", "unidentified"),
)

STOPWORDS = frozenset(
    "a an the to of for in on at with my our your their i we me us you it its this that these those "
    "and or but is are be been was were do does did can could would should will shall please want "
    "need like some any from by into onto about as so then than there here just also via using use "
    "whom which what when where how have has had there their them they".split()
)

FIELD_WEIGHTS = {"key": 3.0, "name": 3.0, "entity": 2.0, "description": 1.0, "params": 0.6}
TITLE_FIELDS = frozenset({"key", "name", "entity"})
SYNONYM_WEIGHT = 0.5
K1, B = 1.2, 0.75

_SPLIT = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"\S+@\S+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def stem(word: str) -> str:
    """A deliberately small stemmer: plurals, -ing/-ed, and a final -e (archive ≈ archived)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Words that carry intent: emails, numbers and one-letter fragments of ids are dropped."""
    text = _CAMEL.sub(" ", _EMAIL.sub(" ", text)).lower().replace("_", " ")
    return [stem(w) for w in _SPLIT.findall(text) if w not in STOPWORDS and len(w) > 1 and not w.isdigit()]


def _build_groups() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for index, group in enumerate(SYNONYMS):
        label = f"~{index}"
        for word in group:
            for tok in tokens(word.replace("-", " ")) if "-" in word else [stem(word)]:
                groups.setdefault(tok, set()).add(label)
    return groups


_GROUPS = _build_groups()


def expand(toks: Iterable[str]) -> Counter[str]:
    """Each token at full weight, its synonym groups at :data:`SYNONYM_WEIGHT`."""
    bag: Counter[str] = Counter()
    for tok in toks:
        bag[tok] += 1.0
        for label in _GROUPS.get(tok, ()):
            bag[label] += SYNONYM_WEIGHT
    return bag


class Index:
    """BM25 over documents made of weighted fields, as an inverted index.

    Each posting holds its term's whole BM25 contribution for that document, computed once
    when the index is built, so a query only adds up the postings of its own terms.
    """

    def __init__(self, docs: Sequence[Mapping[str, str]]):
        bags: list[Counter[str]] = []
        for doc in docs:
            bag: Counter[str] = Counter()
            for field, text in doc.items():
                weight = FIELD_WEIGHTS.get(field, 1.0)
                words = tokens(text)
                if field in TITLE_FIELDS:
                    words = list(dict.fromkeys(words))  # "list lists" is not twice as much about lists
                for term, count in expand(words).items():
                    bag[term] += weight * count
            bags.append(bag)
        self.size = len(bags)
        lengths = [sum(b.values()) for b in bags]
        avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        idf = {term: math.log(1 + (self.size - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, (bag, length) in enumerate(zip(bags, lengths)):
            norm = K1 * (1 - B + B * length / avg)
            for term, tf in bag.items():
                self.postings.setdefault(term, []).append((i, idf[term] * tf * (K1 + 1) / (tf + norm)))

    def scores(self, query: str) -> list[float]:
        out = [0.0] * self.size
        for term, qweight in expand(tokens(query)).items():
            for i, contribution in self.postings.get(term, ()):
                out[i] += qweight * contribution
        return out


_INDEXES: dict[tuple[Any, ...], tuple[Sequence[Any], Index]] = {}
_INDEXES_KEPT = 32


def _cached_index(objects: Sequence[Any], build: Any, tag: str = "") -> Index:
    """The index over ``objects``, built once and reused for every later query on them."""
    key = (tag, *(id(o) for o in objects))
    cached = _INDEXES.get(key)
    if cached is None:
        if len(_INDEXES) >= _INDEXES_KEPT:
            _INDEXES.pop(next(iter(_INDEXES)))
        # The objects are kept with their index, so their ids cannot be reused meanwhile.
        cached = _INDEXES[key] = (tuple(objects), Index(build()))
    return cached[1]


def action_index(actions: Sequence[Any]) -> Index:
    return _cached_index(actions, lambda: [action_document(a) for a in actions], "actions")


def action_document(action: Any) -> dict[str, str]:
    params = " ".join((action.input_schema.get("properties") or {}).keys())
    return {
        "key": action.key.replace("-", " "),
        "name": action.name,
        "entity": action.entity,
        "description": action.description,
        "params": params,
    }


def rank_actions(actions: Sequence[Any], intent: str) -> list[Any]:
    """All of ``actions``, most relevant first; ties keep the catalog order."""
    if not actions:
        return []
    scores = action_index(actions).scores(intent)
    order = sorted(range(len(actions)), key=lambda i: (-scores[i], i))
    return [actions[i] for i in order]


def search_elements(
    query: str,
    connectors: Sequence[Any],
    actions: Mapping[str, Sequence[Any]],
    *,
    element_type: str | None = None,
    limit: int | None = 20,
) -> list[dict[str, Any]]:
    """Connectors and actions scoring above zero for ``query``, best first."""
    elements: list[tuple[str, Any, Any, dict[str, str]]] = []
    if element_type in (None, "connector"):
        for c in connectors:
            doc = {"key": c.key, "name": c.name, "description": c.description, "entity": " ".join(c.domains)}
            elements.append(("connector", c, None, doc))
    if element_type in (None, "action"):
        for c in connectors:
            for a in actions.get(c.key, ()):
                doc = action_document(a)
                doc["params"] += f" {c.key} {c.name}"
                elements.append(("action", a, c, doc))
    if not elements:
        return []
    scores = _cached_index([e[1] for e in elements], lambda: [e[3] for e in elements], f"elements:{element_type}").scores(query)
    order = [i for i in sorted(range(len(elements)), key=lambda i: (-scores[i], i)) if scores[i] > 0]
    out = []
    for i in order[: limit or None]:
        kind, obj, owner, _ = elements[i]
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
        rank = ranked.index(case["action"]) + 1 if case["action"] in ranked else None
        results.append({**case, "rank": rank, "top": ranked[:3]})
    n = len(results) or 1
    return {
        "cases": len(results),
        "top1": sum(r["rank"] == 1 for r in results) / n,
        "top3": sum(r["rank"] is not None and r["rank"] <= 3 for r in results) / n,
        "misses": [r for r in results if r["rank"] != 1],
    }
