"""Ranking actions (and connectors) by how well they match a plain-English request.

Two stages, both deterministic and offline (no model):

1. BM25 over weighted fields (key, name and connector above entity, entity above description,
   input names last) with a small stemmer and the domain vocabulary of
   ``_search_vocabulary.json``: a word matches its own form fully and the other words of its
   synonym groups at half weight, so "archive user" still prefers ``archive-user`` over
   ``delete-user`` while "remove a contact" finds both.
2. The best BM25 candidates are re-scored by what the request says beyond its words' overlap:
   which operation it asks for (read, create, update, delete, send), whether it wants a listing,
   whether it is about many records at once, which identifier it holds (email, id, phone), and
   how much of the action's key it covers. These separate near-duplicates (one vs many, by id
   vs by email, ``delete-segment`` vs ``remove-customers-from-segment``) that BM25 scores alike.

Ranking only orders: every action stays listed. At scale only the best RERANKED are ordered
(the rest follow in catalog order), and frequent terms' postings are summed as big integers
(see _Postings), which keeps a query at 2-6 ms (p50) over 10,000 actions (bench/intent_scale.py).

Why one module of ~550 lines: tokens, vocabulary, shapes and the index are used only together,
through rank_actions, rank_all_actions and search_elements.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from pathlib import Path
from typing import Any

FIELD_WEIGHTS = {"key": 3.0, "name": 3.0, "connector": 3.0, "entity": 2.0, "description": 1.0, "params": 0.6}
TITLE_FIELDS = frozenset({"key", "name", "entity", "connector"})
SYNONYM_WEIGHT = 0.5
SYNONYM_COVER = 0.8
"""How much a synonym covers a word of an action's key (the word itself covers 1)."""
K1, B = 1.2, 0.75
RERANKED = 40
"""How many of the best BM25 candidates stage 2 re-scores; the rest follow in catalog order."""
SCALE = 1 << 12
QUERY_SCALE = 20
"""BM25 contributions and query weights are integers in these units (see _Postings); a 32-bit
field then holds a whole query's score with room to spare (25 * SCALE * 3 * QUERY_SCALE * 30 terms < 2**32)."""
DENSE_MIN, DENSE_FRACTION = 64, 16
"""A term is kept as one big integer when it is in at least DENSE_MIN documents and 1/DENSE_FRACTION of them."""
FEATURE_WEIGHTS = {"recall": 0.4, "coverage": 0.35, "operation": 0.25, "listing": 0.15, "many": 0.15, "identifier": 0.1}

_SPLIT = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[a-z]{2,}", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_COUNTED = re.compile(r"\b(\d[\d,]*)\s+[a-z]")  # "50 customers", "10,000 contacts"
_ID_LIST = re.compile(r"\b\d+\s*,\s*\d+\b")  # "contacts 1,2,3"
SCOPING = frozenset({"of", "for", "in", "on", "from", "within", "across", "inside"})
SCOPE_WEIGHT = 0.7
"""Weight of a request's words after a scoping preposition (see request_tokens)."""
PARTICLES = frozenset({"out", "off", "up", "down", "back", "over"})
PARTICLE_GAP = 3
_VOCABULARY_FILE = Path(__file__).with_name("_search_vocabulary.json")


def stem(word: str) -> str:
    """A deliberately small stemmer: plurals, -ing/-ed, and a final -e (archive ≈ archived)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and stem(word) != word


def _words(text: str) -> list[str]:
    """Every word, lower-cased; an email address becomes the word "email"."""
    text = _CAMEL.sub(" ", _EMAIL.sub(" email ", text)).lower().replace("_", " ")
    return [w for w in _SPLIT.findall(text) if len(w) > 1 and not w.isdigit()]


class Vocabulary:
    """The domain vocabulary, with every entry tokenised the way text is, ready to look up."""

    def __init__(self, data: Mapping[str, Any]):
        self.stopwords = frozenset(str(data.get("stopwords", "")).split())
        self.groups: dict[tuple[str, ...], set[str]] = {}
        for index, group in enumerate(data.get("synonyms", ())):
            for phrase in group:
                self.groups.setdefault(self._content(phrase), set()).add(f"~{index}")
        # Operations, cardinality and identifiers read every word, stopwords included ("who", "a").
        # A word may name more than one operation ("upload" creates or updates).
        self.operations: dict[tuple[str, ...], frozenset[str]] = {}
        for op, phrases in data.get("operations", {}).items():
            for phrase in phrases:
                key = self._all(phrase)
                self.operations[key] = self.operations.get(key, frozenset()) | {op}
        self.leading_only = frozenset(self._all(p) for p in data.get("operations_leading_only", ()))
        self.many = {self._all(p): True for p in data.get("cardinality", {}).get("many", ())}
        self.identifiers = {self._all(p): kind for kind, phrases in data.get("identifiers", {}).items() for p in phrases}
        self.groups.pop((), None)
        self.longest = max((len(p) for table in (self.groups, self.operations, self.many, self.identifiers) for p in table), default=1)

    def labels(self, token: str) -> frozenset[str]:
        """The synonym groups of one token."""
        return frozenset(self.groups.get((token,), ()))

    def _content(self, phrase: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in _words(phrase) if w not in self.stopwords)

    @staticmethod
    def _all(phrase: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in _words(phrase))

    def matches(self, toks: Sequence[str], table: Mapping[tuple[str, ...], Any]) -> Iterable[tuple[int, Any]]:
        """(position, value) for every run of ``toks`` that is an entry of ``table``.

        A phrasal verb may be split by its object ("take some people out", "opt this user
        out"): a two-word entry ending in a particle also matches a few words apart.
        """
        for i in range(len(toks)):
            # Longest first, so that "get rid" (of something) wins over "get".
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                value = table.get(tuple(toks[i : i + n]))
                if value is not None:
                    yield i, value
            for j in range(i + 2, min(i + 2 + PARTICLE_GAP, len(toks))):
                if toks[j] in PARTICLES:
                    value = table.get((toks[i], toks[j]))
                    if value is not None:
                        yield i, value


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary in ``_search_vocabulary.json``, read once per process."""
    return Vocabulary(json.loads(_VOCABULARY_FILE.read_text(encoding="utf-8")))


def tokens(text: str, vocab: Vocabulary | None = None) -> list[str]:
    """Stemmed words that carry intent: stopwords, numbers and one-letter fragments are dropped."""
    stop = (vocab or vocabulary()).stopwords
    return [stem(w) for w in _words(text) if w not in stop]


def expand(toks: Sequence[str], weights: Sequence[float] | None, vocab: Vocabulary) -> Counter[str]:
    """Each token at its weight (1 unless given), its words' and phrases' synonym groups at :data:`SYNONYM_WEIGHT` of that."""
    weights = weights or [1.0] * len(toks)
    bag: Counter[str] = Counter()
    for tok, weight in zip(toks, weights):
        bag[tok] += weight
    for i, labels in vocab.matches(toks, vocab.groups):
        for label in labels:
            bag[label] += SYNONYM_WEIGHT * weights[i]
    return bag


def request_tokens(text: str, vocab: Vocabulary) -> tuple[list[str], list[float]]:
    """The tokens of a request, and how much each says about what is asked.

    Words after a scoping preposition ("the subscribers *of my brand*", "a user *in
    engage*") narrow the request rather than name its object, so they weigh
    :data:`SCOPE_WEIGHT`.
    """
    toks: list[str] = []
    weights: list[float] = []
    weight = 1.0
    for word in _words(text):
        if word in SCOPING and toks:
            weight = SCOPE_WEIGHT
        if word not in vocab.stopwords:
            toks.append(stem(word))
            weights.append(weight)
    return toks, weights


class Shape:
    """What a request or an action says beyond its words: operation, listing, many, identifiers.

    ``words`` are an action's key words (or a request's words), ``labels`` each word's
    synonym groups; ``title`` is, for an action, every word of its key, name and entity.
    """

    __slots__ = ("words", "labels", "ops", "listing", "many", "ids", "title", "word_set", "label_set", "title_labels")

    def __init__(self, vocab: Vocabulary, words: Sequence[str], ops: Iterable[str] = (), listing: bool = False, many: bool = False, ids: Iterable[str] = (), title: Iterable[str] = ()):
        self.words = list(words)
        self.labels = [vocab.labels(w) for w in self.words]
        self.ops, self.listing, self.many, self.ids = frozenset(ops), listing, many, frozenset(ids)
        self.title = frozenset(title)
        self.word_set = frozenset(self.words)
        self.label_set = frozenset().union(*self.labels)
        self.title_labels = frozenset().union(*map(vocab.labels, self.title))

    @classmethod
    def of_request(cls, text: str, vocab: Vocabulary) -> Shape:
        every = [stem(w) for w in _words(text)]
        # Some words are operations only when they open the request ("list my tags", "email
        # these users") and nouns elsewhere ("a mailing list", "by email").
        found = sorted(((i, ops) for i, ops in vocab.matches(every, vocab.operations) if i == 0 or (every[i],) not in vocab.leading_only), key=lambda m: m[0])
        first = found[0][1] if found else frozenset()
        counted = any(int(n.replace(",", "") or 0) > 1 for n in _COUNTED.findall(text))
        return cls(
            vocab,
            tokens(text, vocab),
            ops={"read" if op == "list" else op for op in first},
            # "list my tags", "all segments", or a read of a plural ("show my past exports").
            listing=any("list" in ops for _, ops in found) or ("read" in first and any(_plural(w) for w in _words(text)[1:])),
            # "bulk", "50 customers", "contacts 1,2,3", or a write to a plural ("create segments").
            many=counted
            or bool(_ID_LIST.search(text))
            or any(True for _ in vocab.matches(every, vocab.many))
            or (bool(first) and "read" not in first and "list" not in first and any(_plural(w) for w in _words(text)[1:])),
            ids={kind for _, kind in vocab.matches(every, vocab.identifiers)},
        )

    @classmethod
    def of_action(cls, action: Any, vocab: Vocabulary, connector: Any = None) -> Shape:
        raw = [w for w in action.key.split("-") if w]
        toks = [stem(w) for w in raw]
        # The operation is the key's leading verb or verbs ("add-update-contact"), never a later
        # noun that happens to be a verb too ("delete-subscriber-from-list").
        ops = set()
        for tok in toks:
            named = vocab.operations.get((tok,))
            if named is None:
                break
            ops |= {"read" if op == "list" else op for op in named}
        read_only = bool(getattr(action, "read_only", False))
        if read_only and not ops:
            ops.add("read")
        plural = any(_plural(w) for w in raw[1:])
        listing = read_only and (bool(getattr(action, "pages", None)) or raw[0] in ("list", "search", "find") or (len(raw) > 1 and _plural(raw[-1])))
        name_words = [stem(w) for w in _words(action.name)]
        bulk = any(True for _ in vocab.matches(toks + name_words, vocab.many))
        params = (action.input_schema.get("properties") or {}).keys()
        ids = {kind for p in params for _, kind in vocab.matches([stem(w) for w in _words(p)], vocab.identifiers)}
        content = [t for t in toks if t not in vocab.stopwords]
        return cls(
            vocab,
            content,
            ops=ops,
            listing=listing,
            many=bulk or (plural and not listing),
            ids=ids,
            title=[*content, *tokens(f"{action.name} {action.entity} {connector.key if connector else ''}", vocab)],
        )

    @classmethod
    def of_connector(cls, connector: Any, vocab: Vocabulary) -> Shape:
        return cls(vocab, tokens(connector.key, vocab))

    def fit(self, action: Shape) -> float:
        """How well an action of shape ``action`` fits this request, on top of its BM25 score."""
        # How much of the action's key the request covers...
        mine, my_labels = self.word_set, self.label_set
        covered = sum(1.0 if w in mine else SYNONYM_COVER if labels & my_labels else 0.0 for w, labels in zip(action.words, action.labels))
        score = FEATURE_WEIGHTS["coverage"] * covered / (len(action.words) or 1)
        # ...and how much of the request the action's title (key, name, entity) answers.
        title, title_labels = action.title, action.title_labels
        answered = sum(1.0 if w in title else SYNONYM_COVER if labels & title_labels else 0.0 for w, labels in zip(self.words, self.labels))
        score += FEATURE_WEIGHTS["recall"] * answered / (len(self.words) or 1)
        if self.ops & action.ops:
            score += FEATURE_WEIGHTS["operation"]
        if "read" in self.ops and "read" in action.ops and self.listing == action.listing:
            score += FEATURE_WEIGHTS["listing"]
        if action.ops and not (action.listing and "read" in action.ops):
            score += FEATURE_WEIGHTS["many"] * (1.0 if self.many == action.many else -0.5 if action.many else 0.0)
        if self.ids & action.ids:
            score += FEATURE_WEIGHTS["identifier"]
        return score


class Index:
    """BM25 over documents made of weighted fields, as an inverted index, plus each document's shape.

    Each posting holds its term's whole BM25 contribution for that document, computed once
    when the index is built, so a query only adds up the postings of its own terms.
    """

    def __init__(self, docs: Sequence[Mapping[str, str]], shapes: Sequence[Shape], vocab: Vocabulary):
        self.vocab = vocab
        self.shapes = list(shapes)
        bags: list[Counter[str]] = []
        for doc in docs:
            bag: Counter[str] = Counter()
            for field, text in doc.items():
                weight = FIELD_WEIGHTS.get(field, 1.0)
                words = tokens(text, vocab)
                if field in TITLE_FIELDS:
                    words = list(dict.fromkeys(words))  # "list lists" is not twice as much about lists
                for term, count in expand(words, None, vocab).items():
                    bag[term] += weight * count
            bags.append(bag)
        self.size = len(bags)
        lengths = [sum(b.values()) for b in bags]
        avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        idf = {term: math.log(1 + (self.size - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        # Scores are summed as integers (BM25 in units of 1/SCALE) so that long postings can be
        # added all at once: see _Postings.
        postings: dict[str, list[tuple[int, int]]] = {}
        for i, (bag, length) in enumerate(zip(bags, lengths)):
            norm = K1 * (1 - B + B * length / avg)
            for term, tf in bag.items():
                postings.setdefault(term, []).append((i, round(SCALE * idf[term] * tf * (K1 + 1) / (tf + norm))))
        self.postings = _Postings(postings, self.size)

    def bm25(self, query: str) -> array[int]:
        """Every document's BM25 score for ``query``, in units of 1/:data:`SCALE`."""
        weights = {term: round(w * QUERY_SCALE) for term, w in expand(*request_tokens(query, self.vocab), self.vocab).items()}
        return self.postings.sum({t: w for t, w in weights.items() if w})

    def best(self, query: str, head: int = RERANKED) -> tuple[list[int], dict[int, float]]:
        """The ``head`` documents that match ``query`` best, best first, with their final scores.

        They are the first ``head`` by BM25, re-scored and ordered; callers list the others
        after them in catalog order (see :func:`_in_order`): ordering them all would cost most
        of a query's time at 10,000 actions, for places nobody reads.
        """
        scores = self.bm25(query)
        best = heapq.nlargest(head, scores)
        if not best or best[0] == 0:
            return [], {}
        floor = max(best[-1], 1)
        matched = list(compress(range(self.size), map(floor.__le__, scores)))
        if len(matched) > head:  # ties at the floor: the catalog's first ones
            matched = sorted(matched, key=lambda i: -scores[i])[:head]
        top = float(best[0])
        request = Shape.of_request(query, self.vocab)
        final = {i: scores[i] / top + request.fit(self.shapes[i]) for i in matched}
        matched.sort(key=lambda i: (-final[i], i))
        return matched, final


def _in_order(items: Sequence[Any], head: list[int]) -> list[Any]:
    """``items`` at positions ``head`` first, then all the others in their own order."""
    rest = bytearray(b"\x01") * len(items)
    for i in head:
        rest[i] = 0
    return [items[i] for i in head] + list(compress(items, rest))


class _Postings:
    """Term -> documents and integer contributions, summed without a Python loop per posting.

    A term found in many documents is kept as one big integer holding every document's
    contribution in its own 32-bit field, so adding a term's postings to a query's scores is
    a single integer addition (carried out in C), whatever the catalog's size. Rare terms
    stay lists of (document, contribution) and are added one by one.
    """

    def __init__(self, postings: Mapping[str, list[tuple[int, int]]], size: int):
        self.size = size
        dense_from = max(DENSE_MIN, size // DENSE_FRACTION)
        self.dense: dict[str, int] = {}
        self.sparse: dict[str, list[tuple[int, int]]] = {}
        self.most: dict[str, int] = {}
        for term, entries in postings.items():
            self.most[term] = max(value for _, value in entries)
            if len(entries) >= dense_from:
                fields = array("I", bytes(4 * size))
                for i, value in entries:
                    fields[i] = value
                self.dense[term] = int.from_bytes(fields.tobytes(), "little")
            else:
                self.sparse[term] = entries

    def sum(self, weights: Mapping[str, int]) -> array[int]:
        weights = {t: w for t, w in weights.items() if t in self.most}
        # No field may pass 32 bits, or it would carry into its neighbour: a very long request
        # has its weights halved until its highest possible score fits.
        while weights and sum(w * self.most[t] for t, w in weights.items()) >= 1 << 32:
            weights = {t: max(1, w // 2) for t, w in weights.items()}
        total = 0
        for term, weight in weights.items():
            big = self.dense.get(term)
            if big is not None:
                total += weight * big
        scores = array("I", total.to_bytes(4 * self.size, "little")) if total else array("I", bytes(4 * self.size))
        for term, weight in weights.items():
            for i, value in self.sparse.get(term, ()):
                scores[i] += weight * value
        return scores


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


def action_document(action: Any, connector: Any = None, siblings: frozenset[str] = frozenset()) -> dict[str, str]:
    """The fields of ``action`` that are searched.

    Descriptions point at their neighbours ("to find them by email use list-users"); those
    references, any word that is a sibling action's key, are left out so that an action is
    not found by the words of the ones it sends you to.
    """
    description = _KEBAB.sub(lambda m: " " if m.group(0) in siblings else m.group(0), action.description)
    doc = {
        "key": action.key.replace("-", " "),
        "name": action.name,
        "entity": action.entity,
        "description": description,
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

    return _in_order(actions, _cached_index(actions, build, "actions").best(intent)[0])


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
    return _in_order(pairs, index.best(intent)[0])


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
