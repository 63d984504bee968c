"""BM25 over weighted fields, as an inverted index whose postings are summed as big integers.

Field weights put key, name and connector above entity, entity above description, input names
last. At scale only the best RERANKED candidates are re-scored by their shape (``_search_shape``);
the rest follow in catalog order, and frequent terms' postings are summed as big integers (see
_Postings), which keeps a query at a few ms (p50) over 10,000 actions (bench/intent_scale.py).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress
from typing import Any

from ._search_shape import Shape
from ._search_text import Vocabulary, expand, request_tokens, tokens

FIELD_WEIGHTS = {"key": 3.0, "name": 3.0, "connector": 3.0, "entity": 2.0, "description": 1.0, "details": 0.6, "params": 0.6}
TITLE_FIELDS = frozenset({"key", "name", "entity", "connector"})
K1, B = 1.2, 0.75
FIT_WEIGHT = 1.0
"""How much the re-scoring stage counts against BM25 (normalised to the best candidate: 1)."""
RERANKED = 40
"""How many of the best BM25 candidates stage 2 re-scores; the rest follow in catalog order."""
SCALE = 1 << 12
QUERY_SCALE = 20
"""BM25 contributions and query weights are integers in these units (see _Postings); a 32-bit
field then holds a whole query's score with room to spare (25 * SCALE * 3 * QUERY_SCALE * 30 terms < 2**32)."""
DENSE_MIN, DENSE_FRACTION = 64, 16
"""A term is kept as one big integer when it is in at least DENSE_MIN documents and 1/DENSE_FRACTION of them."""


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
        after them in catalog order (see :func:`in_order`): ordering them all would cost most
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
        final = {i: scores[i] / top + FIT_WEIGHT * request.fit(self.shapes[i]) for i in matched}
        matched.sort(key=lambda i: (-final[i], i))
        return matched, final


def in_order(items: Sequence[Any], head: list[int]) -> list[Any]:
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
