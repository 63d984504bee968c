"""What a request or an action says beyond its words: the re-scoring stage of intent search.

BM25 (``_search_index``) scores word overlap; a :class:`Shape` adds which operation a request asks
for (read, create, update, delete, send), whether it wants a listing, whether it is about many
records at once, which identifier it holds (email, id, phone), and how much of the action's key it
covers. These separate near-duplicates (one vs many, by id vs by email, ``delete-segment`` vs
``remove-customers-from-segment``) that BM25 scores alike.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ._search_text import RELATIVE, SCOPING, Vocabulary, plural, request_tokens, stem, tokens, words

SYNONYM_COVER = 0.8
"""How much a synonym covers a word of an action's key (the word itself covers 1)."""
FEATURE_WEIGHTS = {"recall": 0.4, "coverage": 0.35, "operation": 0.25, "listing": 0.15, "many": 0.15, "identifier": 0.1, "relation": 0.2, "verb": 0.1, "count": 0.2}
_COUNTED = re.compile(r"\b(\d[\d,]*)\s+([a-z]+)")  # "50 customers", "10,000 contacts"
_NUMBERED = re.compile(r"\b([a-z]+)\s+#?([a-z]+-)?\d+\b(?!\s+[a-z]+s\b)")  # "segment 44", "user u-9", not "import 500 contacts"
_ID_LIST = re.compile(r"\b\d+\s*,\s*\d+\b")  # "contacts 1,2,3"


class Shape:
    """What a request or an action says beyond its words: operation, listing, many, identifiers.

    ``words`` are an action's key words (or a request's words), ``labels`` each word's
    synonym groups; ``title`` is, for an action, every word of its key, name and entity.
    """

    __slots__ = ("weights", "count", "verb", "verb_labels", "words", "verb_ops", "labels", "ops", "listing", "many", "ids", "relation", "title", "word_set", "label_set", "title_labels")

    def __init__(
        self,
        vocab: Vocabulary,
        words: Sequence[str],
        ops: Iterable[str] = (),
        listing: bool = False,
        many: bool = False,
        ids: Iterable[str] = (),
        title: Iterable[str] = (),
        relation: Iterable[str] = (),
        verb_ops: Sequence[frozenset[str]] = (),
        verb: str = "",
        count: bool = False,
        weights: Sequence[float] = (),
    ):
        self.weights = list(weights) or [1.0] * len(words)
        self.count = count
        self.verb, self.verb_labels = verb, vocab.labels(verb) if verb else frozenset()
        self.verb_ops = list(verb_ops) or [frozenset()] * len(words)
        self.relation = frozenset(relation)
        self.words = list(words)
        self.labels = [vocab.labels(w) for w in self.words]
        self.ops, self.listing, self.many, self.ids = frozenset(ops), listing, many, frozenset(ids)
        self.title = frozenset(title)
        self.word_set = frozenset(self.words)
        self.label_set = frozenset().union(*self.labels)
        self.title_labels = frozenset().union(*map(vocab.labels, self.title))

    @classmethod
    def of_request(cls, text: str, vocab: Vocabulary) -> Shape:
        toks, weights = request_tokens(text, vocab)
        raw = words(text)
        every = [stem(w) for w in raw]
        # "how many", "number of": a count is asked for; "many" there says nothing about cardinality.
        counting = [i for i, _ in vocab.matches(every, vocab.counting)]
        if counting:
            every = every[: counting[0]] + ["count"] + every[counting[0] + 2 :]
            raw = raw[: counting[0]] + ["count"] + raw[counting[0] + 2 :]
        # Some words are operations only when they open the request ("list my tags", "email
        # these users") and nouns elsewhere ("a mailing list", "by email"); a participle past
        # the first word describes a thing ("a suppressed customer", "app launched"), and a
        # plural is a noun even first ("tags of avatar 2").
        found = sorted(
            ((i, ops) for i, ops in vocab.matches(every, vocab.operations) if (i == 0 and not plural(raw[0])) or (i and (every[i],) not in vocab.leading_only and not raw[i].endswith("ed"))),
            key=lambda m: m[0],
        )
        first = found[0][1] if found else frozenset()
        # A question about something ("was it delivered", "did the import finish", "why did
        # it fail") reads its state, whatever verbs follow.
        if every and (every[0],) in vocab.questions or counting:
            first = frozenset({"read"})
        verbs = {every[i] for i, _ in found}
        # Plural nouns (not "details", "stats": words that name an operation) make a listing or a bulk write.
        # Those of the request's object only: "out of the promotions list" or "(everyone) who
        # bought shoes" does not make it many.
        before_scope = list(itertools.takewhile(lambda w: w not in SCOPING and w not in RELATIVE, words(text)))
        plurals = [w for w in before_scope[1:] if plural(w) and stem(w) not in verbs]
        counted = any(int(n.replace(",", "") or 0) > 1 for n, noun in _COUNTED.findall(text) if stem(noun) not in verbs)
        return cls(
            vocab,
            toks,
            ops={"read" if op == "list" else op for op in first},
            # "list my tags", "all segments", or a read of a plural ("show my past exports").
            listing=not counting and (any("list" in ops for _, ops in found) or ("read" in first and bool(plurals))),
            # "bulk", "50 customers", "contacts 1,2,3", or a write to a plural ("create segments").
            many=counted
            or bool(_ID_LIST.search(text))
            or any(True for _ in vocab.matches(every, vocab.many))
            or (bool(first) and "read" not in first and "list" not in first and bool(plurals)),
            ids={kind for _, kind in vocab.matches(every, vocab.identifiers)}
            | ({"id"} if any(stem(noun) not in verbs for noun, _ in _NUMBERED.findall(text.lower())) else set()),
            relation=_relation(every, found[0][0] if found else 0, vocab),
            verb_ops=[frozenset("read" if op == "list" else op for op in vocab.operations.get((t,), ())) for t in toks],
            count=bool(counting) or bool(vocab.count_words & set(every[:1])),
            # A request usually opens with what it wants done ("export ...", "combine ...").
            verb=next(iter(toks), ""),
            weights=weights,
        )

    @classmethod
    def of_action(cls, action: Any, vocab: Vocabulary, connector: Any = None) -> Shape:
        raw = [w for w in action.key.split("-") if w]
        toks = [stem(w) for w in raw]
        # The operation is the key's leading verb or verbs ("add-update-contact"), never a later
        # noun that happens to be a verb too ("delete-subscriber-from-list").
        ops = set()
        leading: dict[str, frozenset[str]] = {}
        for n, tok in enumerate(toks):
            if (tok,) in vocab.many and not leading:  # "bulk-tag-subscribers": the verb follows
                continue
            named = vocab.operations.get((tok,))
            # "create-list": a word that is a verb only when it leads ("list") is a noun after one.
            if named is None or (n and (tok,) in vocab.leading_only):
                break
            leading[tok] = frozenset("read" if op == "list" else op for op in named)
            ops |= leading[tok]
        read_only = bool(getattr(action, "read_only", False))
        if read_only and not ops:
            ops.add("read")
        is_plural = any(plural(w) for w in raw[1:])
        listing = read_only and (bool(getattr(action, "pages", None)) or raw[0] in ("list", "search", "find") or (len(raw) > 1 and plural(raw[-1])))
        name_words = [stem(w) for w in words(action.name)]
        bulk = any(True for _ in vocab.matches(toks + name_words, vocab.many))
        params = (action.input_schema.get("properties") or {}).keys()
        ids = {kind for p in params for _, kind in vocab.matches([stem(w) for w in words(p)], vocab.identifiers)}
        content = [t for t in toks if t not in vocab.stopwords]
        return cls(
            vocab,
            content,
            ops=ops,
            listing=listing,
            many=bulk or (is_plural and not listing),
            ids=ids,
            # Reading a membership ("get-segment-membership") changes none.
            # "to" and "from" make a membership only after that relation's verb (add-*-to-*, not send-*-to-*).
            relation=set() if read_only else {kind for kind, marks in vocab.relation_marks.items() if _marked(kind, marks, toks, vocab)},
            # Verbs, and the words that make it a membership action (see fit).
            verb_ops=[
                leading.get(t)
                or (frozenset({"relation"}) if any(t in m for m in vocab.relation_marks.values()) else frozenset({"many"}) if (t,) in vocab.many else frozenset())
                for t in content
            ],
            count=bool(vocab.count_words & set(toks)),
            # The key's first word that is not a quantity: its verb ("export-customers", "bulk-tag-subscribers").
            verb=next((t for t in content if (t,) not in vocab.many), ""),
            title=[*content, *tokens(f"{action.name} {action.entity} {connector.key if connector else ''}", vocab)],
        )

    @classmethod
    def of_connector(cls, connector: Any, vocab: Vocabulary) -> Shape:
        return cls(vocab, tokens(connector.key, vocab))

    def fit(self, action: Shape) -> float:
        """How well an action of shape ``action`` fits this request, on top of its BM25 score."""
        # How much of the action's key the request covers...
        mine, my_labels = self.word_set, self.label_set
        # A key's verb is covered by any word of the same operation ("show" covers list-, get-),
        # its "bulk" by any request for many,
        # and a membership request covers the verb and the membership words of a membership
        # action ("put customers into a segment" covers update-segment-membership).
        related = bool(self.relation & action.relation)
        covered = sum(
            1.0 if w in mine else SYNONYM_COVER if labels & my_labels or vops & self.ops or (related and bool(vops - {"many"})) or (self.many and "many" in vops) else 0.0
            for w, labels, vops in zip(action.words, action.labels, action.verb_ops)
        )
        score = FEATURE_WEIGHTS["coverage"] * covered / (len(action.words) or 1)
        # ...and how much of the request the action's title (key, name, entity) answers.
        title, title_labels = action.title, action.title_labels
        # (A request's verb is answered by any verb of the same operation, as above.)
        # (Words in a scope or a relative clause count less, as in BM25.)
        answered = sum(
            weight * (1.0 if w in title else SYNONYM_COVER if labels & title_labels or vops & action.ops else 0.0)
            for w, labels, vops, weight in zip(self.words, self.labels, self.verb_ops, self.weights)
        )
        score += FEATURE_WEIGHTS["recall"] * answered / (sum(self.weights) or 1)
        # "add these people to segment 7" asks for the operation of add-customers-to-segment and
        # of update-segment-membership alike.
        # A membership request's operation is the membership: "put customers into a segment" creates nothing.
        if self.relation & action.relation or (not self.relation and self.ops & action.ops):
            score += FEATURE_WEIGHTS["operation"]
        if "read" in self.ops and "read" in action.ops and self.listing == action.listing:
            score += FEATURE_WEIGHTS["listing"]
        # One or many matters to writes and single reads, not to a request for a listing.
        if action.ops and not (action.listing and "read" in action.ops) and not (self.listing and "read" in self.ops):
            # Many asks for an action that takes many; one is served by either (one is a few).
            score += FEATURE_WEIGHTS["many"] * (self.many and action.many)
        if self.ids & action.ids:
            score += FEATURE_WEIGHTS["identifier"]
        # "How many ..." is answered by a count, and a count answers nothing else.
        if self.count == action.count:
            score += FEATURE_WEIGHTS["count"]
        # The very verb of a write, or one of its synonyms: "combine" is merge-customers (verbs
        # that read are interchangeable: show, get, list).
        if self.verb and action.verb and action.ops - {"read"} and not (self.relation - action.relation) and (self.verb == action.verb or self.verb_labels & action.verb_labels):
            score += FEATURE_WEIGHTS["verb"]
        # A membership request fits a membership action, a plain one a plain action.
        if (self.relation & action.relation) or not (self.relation or action.relation):
            score += FEATURE_WEIGHTS["relation"]
        return score


def _marked(kind: str, marks: frozenset[str], toks: Sequence[str], vocab: Vocabulary) -> bool:
    """Whether an action's key words make it change a relation of ``kind``: "membership" or "tag"
    always; "to" and "from" only after that relation's verb (add-*-to-*, not send-*-to-*)."""
    words = set(toks)
    if (marks - {"to", "from"}) & words:
        return True
    return bool(marks & words) and bool(toks) and kind in vocab.relation_verbs.get((toks[0],), ())


def _relation(every: Sequence[str], verb_at: int, vocab: Vocabulary) -> frozenset[str]:
    """The relations a request asks to change: its verb opens one ("add", "take") and, after
    its object, one of that relation's prepositions and a container noun follow ("add these
    people *to* the VIP *segment*", "take u-9 *out* of *account* acme"). "delete a person from
    customer.io" names no container: it is about the person."""
    found: set[str] = set()
    for n in range(min(vocab.longest, len(every) - verb_at), 0, -1):
        kinds = vocab.relation_verbs.get(tuple(every[verb_at : verb_at + n]))
        if kinds:
            rest = every[verb_at + n :]
            if any(True for _ in vocab.matches(rest, vocab.containers)):
                found |= {k for k in kinds if vocab.relation_preps.get(k, frozenset()) & set(rest)}
            break
    return frozenset(found)
