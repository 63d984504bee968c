"""The words of intent search: a small stemmer, tokens, and the domain vocabulary.

The vocabulary lives in ``_search_vocabulary.json`` (data, not code): synonym groups, the words
that name an operation, cardinality and identifiers. A request word matches its own form fully
and the other words of its synonym groups at :data:`SYNONYM_WEIGHT`.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

SYNONYM_WEIGHT = 0.5
_SPLIT = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[a-z]{2,}", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
SCOPING = frozenset({"of", "for", "in", "on", "from", "within", "across", "inside"})
SCOPE_WEIGHT = 0.7
"""Weight of a request's words after a scoping preposition (see request_tokens)."""
RELATIVE = frozenset({"who", "which", "whose", "whom", "where"})
"""Words that open a relative clause, which narrows the request like a scope (see request_tokens)."""
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


def plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and stem(word) != word


def words(text: str) -> list[str]:
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
        self.quantifiers = frozenset(str(data.get("quantifiers", "")).split())
        self.counting = {self._all(p): True for p in data.get("counting", ())}
        self.count_words = frozenset(stem(w) for w in data.get("count_words", ()))
        self.namers = frozenset(str(data.get("namers", "")).split())
        self.questions = frozenset(self._all(p) for p in data.get("question_openers", ()))
        self.many = {self._all(p): True for p in data.get("cardinality", {}).get("many", ())}
        self.identifiers = {self._all(p): kind for kind, phrases in data.get("identifiers", {}).items() for p in phrases}
        # Relations ("add X to a segment", "take X out of a list"): verb -> relations it may open,
        # and per relation its prepositions and the key words that mark a relational action.
        self.relation_verbs: dict[tuple[str, ...], frozenset[str]] = {}
        self.relation_preps: dict[str, frozenset[str]] = {}
        self.relation_marks: dict[str, frozenset[str]] = {}
        for kind, spec in data.get("relations", {}).items():
            for phrase in spec.get("verbs", ()):
                key = self._all(phrase)
                self.relation_verbs[key] = self.relation_verbs.get(key, frozenset()) | {kind}
            self.relation_preps[kind] = frozenset(stem(w) for w in spec.get("prepositions", ()))
            self.relation_marks[kind] = frozenset(stem(w) for w in spec.get("action_words", ()))
        self.containers = {self._all(p): True for p in data.get("containers", ())}
        self.groups.pop((), None)
        tables = (self.groups, self.operations, self.many, self.identifiers, self.relation_verbs, self.containers)
        self.longest = max((len(p) for table in tables for p in table), default=1)

    def labels(self, token: str) -> frozenset[str]:
        """The synonym groups of one token, or of a phrase folded into one (see :func:`fold`)."""
        return frozenset(self.groups.get(tuple(token.split(" ")), ()))

    def _content(self, phrase: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in words(phrase) if w not in self.stopwords)

    @staticmethod
    def _all(phrase: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in words(phrase))

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
    return [stem(w) for w in words(text) if w not in stop]


def expand(toks: Sequence[str], weights: Sequence[float] | None, vocab: Vocabulary) -> Counter[str]:
    """Each token at its weight (1 unless given), its words' and phrases' synonym groups at :data:`SYNONYM_WEIGHT` of that."""
    weights = weights or [1.0] * len(toks)
    bag: Counter[str] = Counter()
    for tok, weight in zip(toks, weights):
        if " " in tok:  # a folded phrase: it is its meaning, in full
            for label in vocab.labels(tok):
                bag[label] += weight
        else:
            bag[tok] += weight
    for i, labels in vocab.matches(toks, vocab.groups):
        for label in labels:
            bag[label] += SYNONYM_WEIGHT * weights[i]
    return bag


def request_tokens(text: str, vocab: Vocabulary) -> tuple[list[str], list[float]]:
    """The tokens of a request, and how much each says about what is asked.

    A name given after "named" or "called" is left out. Words after a scoping preposition or in a relative clause ("the subscribers *of my brand*", "a user *in
    engage*") narrow the request rather than name its object, so they weigh
    :data:`SCOPE_WEIGHT`.
    """
    toks: list[str] = []
    weights: list[float] = []
    weight = 1.0
    naming = False
    previous = ""
    text_words = words(text)
    for at, word in enumerate(text_words):
        # "a list named VIP", "a tag called buyer": the name is a value, not what is asked for.
        if naming or word in vocab.namers:
            naming = not naming
            continue
        # "the number of profiles", "a list of contacts": what follows "of" is the object itself.
        if toks and (word in SCOPING and not (word == "of" and previous in vocab.quantifiers) or _relative(text_words, at, vocab)):
            weight = SCOPE_WEIGHT
        previous = word
        if word not in vocab.stopwords:
            toks.append(stem(word))
            weights.append(weight)
    return fold(toks, weights, vocab)


def _relative(text_words: Sequence[str], at: int, vocab: Vocabulary) -> bool:
    """Whether a relative clause opens at ``at``: "(everyone) who bought", "(profiles) that did
    an event" ("that" only before a verb: "delete that user" is no clause)."""
    word = text_words[at]
    if word in RELATIVE:
        return True
    following = text_words[at + 1] if at + 1 < len(text_words) else ""
    return word == "that" and ((following,) in vocab.questions or following.endswith("ed"))


def fold(toks: Sequence[str], weights: Sequence[float], vocab: Vocabulary) -> tuple[list[str], list[float]]:
    """A request's tokens with each phrase of the vocabulary folded into one token ("get rid",
    "kick off", "take ... out"): its words mean the phrase, not themselves ("get rid of a
    newsletter" is no "get" request, "opt a user out" is not about "out")."""
    folded: list[str] = []
    kept: list[float] = []
    used = [False] * len(toks)
    for i, tok in enumerate(toks):
        if used[i]:
            continue
        span = None
        for n in range(min(vocab.longest, len(toks) - i), 1, -1):
            if tuple(toks[i : i + n]) in vocab.groups:
                span = list(range(i, i + n))
                break
        if span is None:
            for j in range(i + 2, min(i + 2 + PARTICLE_GAP, len(toks))):
                if toks[j] in PARTICLES and not used[j] and (tok, toks[j]) in vocab.groups:
                    span = [i, j]
                    break
        if span is None:
            folded.append(tok)
        else:
            folded.append(" ".join(toks[k] for k in span))
            for k in span:
                used[k] = True
        kept.append(weights[i])
    return folded, kept
