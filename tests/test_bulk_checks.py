"""The compiled record check of bulk jobs: it says "valid" exactly when jsonschema does, on the
schemas where it is used, and it steps aside for keywords whose meaning differs."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tether._bulk.checks import record_check
from tether._validation import _validator

EVENT = {
    "type": "object",
    "properties": {
        "records": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "identity": {"type": "string", "minLength": 1},
                    "evtName": {"type": "string", "minLength": 1, "maxLength": 12},
                    "ts": {"type": "integer", "minimum": 1, "maximum": 9_999_999_999},
                    "kind": {"enum": [1, "event"], "default": "event"},
                    "email": {"type": "string", "format": "email", "pattern": "^\\S+@\\S+$"},
                    "evtData": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
                },
                "required": ["evtName"],
                "additionalProperties": False,
                "anyOf": [{"required": ["identity"]}, {"required": ["email"]}],
                "allOf": [{"if": {"required": ["ts"]}, "then": {"required": ["identity"]}}],
            },
        },
    },
    "required": ["records"],
    "additionalProperties": False,
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**11) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=14),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
event = st.fixed_dictionaries(
    {},
    optional={
        "identity": st.text(max_size=3) | json_values,
        "evtName": st.text(max_size=14) | json_values,
        "ts": st.integers(-1, 10**11) | st.floats(0, 10) | st.booleans(),
        "kind": st.sampled_from([1, 1.0, True, "event", "x"]),
        "email": st.sampled_from(["a@b", "ab", "a@b\n", " a@b", "a@@b"]) | json_values,
        "evtData": st.dictionaries(st.text(max_size=3), json_values, max_size=3) | json_values,
        "other": json_values,
    },
)
records = st.fixed_dictionaries({"records": st.lists(event, max_size=3)}, optional={"extra": json_values}) | json_values


def test_the_compiled_check_is_used_for_portable_schemas():
    check = record_check(EVENT)
    assert getattr(check, "__self__", None) is not _validator(EVENT)


@settings(max_examples=400, deadline=None)
@given(records)
def test_the_compiled_check_never_says_valid_when_jsonschema_does_not(record):
    validator = _validator(EVENT)
    check = record_check(EVENT)
    before = copy.deepcopy(record)
    if check(record):
        assert validator.is_valid(record)
    assert record == before  # nothing filled in or changed


def test_it_agrees_on_the_cases_that_differ_between_the_libraries():
    check = record_check(EVENT)
    event = {"identity": "u", "evtName": "Charged"}
    assert check({"records": [event]})
    assert not check({"records": []})
    assert not check({"records": [{**event, "ts": True}]})  # a boolean is no integer
    assert not check({"records": [{**event, "kind": True}]})  # nor equal to 1 in an enum
    assert not check({"records": [{**event, "unknown": 1}]})
    assert not check({"records": [{"evtName": "Charged"}]})  # anyOf: no identity, no email
    assert check({"records": [{"evtName": "Charged", "email": "a@b"}]})
    assert not check({"records": [{"evtName": "Charged", "email": "a@b", "ts": 5}]})  # if ts then identity


@pytest.mark.parametrize(
    "schema, bad",
    [
        ({"type": "array", "prefixItems": [{"type": "integer"}]}, ["x"]),  # 2020-12 only
        ({"$defs": {"n": {"type": "integer"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}, {"a": "x"}),
        ({"type": "object", "dependentRequired": {"a": ["b"]}}, {"a": 1}),
        ({"type": "array", "uniqueItems": True}, [1, 1.0]),
    ],
)
def test_keywords_that_differ_between_drafts_leave_the_check_to_jsonschema(schema, bad):
    validator = _validator(schema)
    check = record_check(schema)
    assert getattr(check, "__self__", None) is validator  # jsonschema's own is_valid
    assert not check(bad)
