"""The quick check decides exactly as jsonschema does whenever it decides at all.

Validation skips jsonschema when the quick check says "valid", and the quick check's "invalid"
settles ``not``/``if``/``anyOf``/``oneOf``; so both answers are compared with jsonschema
(Draft 2020-12 with format checks, as tether._validation uses it) on generated schemas and
values, tricky ones included (NaN, 1.0 as an integer, true against 1, unknown keywords).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import UnknownType

from tether._plugins import get_plugins
from tether._quick_check import quick_check
from tether._registry import Registry

NAMES = st.sampled_from(["a", "b", "c"])
SCALARS = st.sampled_from([None, True, False, 0, 1, 2, -1, 1.0, 2.5, float("nan"), float("inf"), "", "a", "ab", "b1", "abc"])
TEXTS, INTEGERS = st.sampled_from(["a", "b", "ab"]), st.sampled_from([0, 1, 2])
VALUES = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(NAMES, kids, max_size=3),
    max_leaves=8,
) | st.lists(TEXTS, max_size=4) | st.lists(INTEGERS, max_size=4)
TYPES = st.sampled_from(["string", "integer", "number", "object", "array", "boolean", "null", "strng"])
NUMBERS = st.sampled_from([0, 1, 1.5, 2, -1])
SIZES = st.integers(0, 3)

leaf_keywords = {
    "type": TYPES | st.lists(TYPES, min_size=1, max_size=2, unique=True),
    "minLength": SIZES, "maxLength": SIZES, "minItems": SIZES, "maxItems": SIZES,
    "minProperties": SIZES, "maxProperties": SIZES,
    "minimum": NUMBERS, "maximum": NUMBERS, "exclusiveMinimum": NUMBERS, "exclusiveMaximum": NUMBERS,
    "pattern": st.sampled_from(["^a", "b", "[0-9]", "^$"]),
    "enum": st.lists(SCALARS, max_size=3), "const": SCALARS,
    "required": st.lists(NAMES, max_size=2, unique=True),
    "uniqueItems": st.booleans(),
    "description": st.just("annotations change nothing"),
    "format": st.sampled_from(["email", "date-time"]),
    "x-unknown": st.just(1),
}
CONTAINER_OPTIONS = st.lists(SCALARS, max_size=2) | st.dictionaries(NAMES, SCALARS, max_size=1)
leaf_keywords["enum"] = st.lists(SCALARS | CONTAINER_OPTIONS, max_size=3)
leaf_keywords["const"] = SCALARS | CONTAINER_OPTIONS
LEAVES = st.booleans() | st.fixed_dictionaries({}, optional=leaf_keywords)
SCHEMAS = st.recursive(
    LEAVES,
    lambda kids: st.fixed_dictionaries(
        {},
        optional={
            **leaf_keywords,
            "properties": st.dictionaries(NAMES, kids, max_size=2),
            "additionalProperties": kids, "items": kids, "not": kids,
            "allOf": st.lists(kids, min_size=1, max_size=2), "anyOf": st.lists(kids, min_size=1, max_size=2),
            "oneOf": st.lists(kids, min_size=1, max_size=2),
            "if": kids, "then": kids, "else": kids, "propertyNames": kids,
        },
    ),
    max_leaves=6,
)


def jsonschema_says(schema, value) -> bool | None:
    """Valid or not, or None where jsonschema refuses the schema itself (an unknown type)."""
    try:
        return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(value)
    except UnknownType:
        return None


@settings(max_examples=3000, deadline=None)
@given(SCHEMAS, VALUES)
def test_every_answer_matches_jsonschema(schema, value):
    verdict = quick_check(schema, value)
    if verdict is not None:  # None: jsonschema decides (and raises where it must)
        assert verdict == jsonschema_says(schema, value), (schema, value)


def _uses(schema, keywords) -> bool:
    if isinstance(schema, dict):
        return bool(keywords & set(schema)) or any(_uses(sub, keywords) for sub in schema.values())
    return isinstance(schema, list) and any(_uses(sub, keywords) for sub in schema)


def test_the_examples_of_every_action_are_settled_without_jsonschema():
    """The quick path must serve real inputs, or `action run` pays for jsonschema again
    (schemas with $ref or unevaluatedProperties are left to jsonschema, by design)."""
    registry = Registry(get_plugins())
    unsettled = [
        f"{key}.{action.key}"
        for key in registry.connectors()
        for action in registry.actions(key).values()
        for example in action.examples
        if not _uses(action.input_schema, {"$ref", "unevaluatedProperties"})
        and quick_check(action.input_schema, dict(example)) is not True
    ]
    assert unsettled == []


MALFORMED_OBJECT_KEYWORDS = [
    {"properties": ["a"]},
    {"required": "a"},
    {"additionalProperties": False, "properties": ["a"]},
]


def test_object_keywords_it_cannot_read_are_left_to_jsonschema_for_objects():
    """An argument of the wrong type (generated schemas never have one): the keyword holds
    for a value that is not an object, as in jsonschema, and an object is never settled here."""
    for schema in MALFORMED_OBJECT_KEYWORDS:
        assert quick_check(schema, {"a": 1}) is None, schema
        assert quick_check(schema, {}) is None, schema
        for value in (1, "a", [1], None):
            assert quick_check(schema, value) is True is jsonschema_says(schema, value), (schema, value)
