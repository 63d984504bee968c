"""A quick answer to "is this value plainly valid against this schema?", without jsonschema.

:func:`tether._validation.validate` asks here first: only a certain *yes* skips jsonschema
(about 35 ms to import, a sixth of ``tether action run``'s start-up). Anything else — an
invalid value, a keyword this module does not know, a case it cannot settle — goes to
jsonschema as before, which also words the error. So validation is exactly as strict as
jsonschema (Draft 2020-12, as ``_validation`` configures it), and a valid input is cheap.

Each check answers True (valid), False (invalid) or None (not settled here). A keyword that
is not in :data:`_ANNOTATIONS` or handled below makes the answer None, and a None anywhere
in a schema makes the whole answer None (jsonschema may raise there). ``False`` is used
only to settle ``not``, ``if``, ``anyOf`` and ``oneOf``, so it must be as exact as ``True``;
tests/test_quick_check.py compares both with jsonschema on generated schemas and values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sized
from typing import Any

Verdict = bool | None

_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "writeOnly", "readOnly", "deprecated", "$comment", "$defs"})


_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})
"""What ``json.loads`` makes; anything else (a tuple, a Decimal) is left to jsonschema's rules."""


def quick_check(schema: Any, value: Any) -> Verdict:
    """True: jsonschema would find no error; False: it would find one; None: ask it."""
    return _compiled(schema)(value)


Check = Callable[[Any], Verdict]

_COMPILED: dict[int, tuple[Any, Check]] = {}
"""Each schema's check, by identity (the entry keeps the schema alive, so its id is not reused)."""


def _compiled(schema: Any) -> Check:
    """The schema's check: its keywords read once, not on every value (schemas do not change
    once an action is defined; ``_validation`` keys its validators by identity too)."""
    entry = _COMPILED.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    check = _compile(schema)
    if len(_COMPILED) >= 4096:  # generated schemas (tests) must not pile up
        _COMPILED.clear()
    _COMPILED[id(schema)] = (schema, check)
    return check


def _compile(schema: Any) -> Check:
    if schema is True or schema is False:
        verdict = schema

        def constant(value: Any) -> Verdict:
            return verdict if type(value) in _PLAIN else None

        return constant
    if not isinstance(schema, dict):
        return _unsettled
    checks: list[Check] = []
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS or keyword in ("then", "else"):  # then/else: read with "if"
            continue
        make = _COMPILERS.get(keyword)
        if make is not None:
            checks.append(make(argument, schema))
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            return _unsettled  # a keyword not known here: jsonschema decides
        checks.append(functools.partial(_keyword, check, argument, schema))

    def run(value: Any) -> Verdict:
        # Every keyword is looked at: one None makes the whole answer None (see _all).
        if type(value) not in _PLAIN:
            return None
        valid = True
        for check in checks:
            verdict = check(value)
            if verdict is None:
                return None
            if not verdict:
                valid = False
        return valid

    return run


def _unsettled(value: Any) -> Verdict:
    return None


def _keyword(check: Callable[[Any, Any, Any], Verdict], argument: Any, schema: Any, value: Any) -> Verdict:
    return check(argument, value, schema)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    # 2020-12: a number with a zero fractional part is an integer (1.0 is).
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
}


def _type(argument: Any, value: Any, _schema: Any) -> Verdict:
    if type(argument) is str:
        check = _TYPES.get(argument)
        return None if check is None else check(value)
    names = argument
    if not isinstance(names, list) or not all(isinstance(n, str) and n in _TYPES for n in names):
        return None
    return any(_TYPES[n](value) for n in names)


def _all(verdicts: Any) -> Verdict:
    """Every verdict is looked at: one None (a keyword or type name not known here, which
    jsonschema might even refuse with an exception) makes the whole answer None."""
    valid = True
    for verdict in verdicts:
        if verdict is None:
            return None
        if not verdict:
            valid = False
    return valid


def _object_keyword(argument: Any, value: Any, _schema: Any) -> Verdict:
    """``properties``, ``additionalProperties`` or ``required`` in a shape their compilers below
    do not read (an argument of the wrong type, ``patternProperties`` beside them): they hold
    for a value that is not an object, and jsonschema decides for one that is."""
    return True if not isinstance(value, dict) else None


_ABSENT = object()


def _items(argument: Any, value: Any, schema: Any) -> Verdict:
    if not isinstance(value, list):
        return True
    if "prefixItems" in schema:
        return None
    return _all(quick_check(argument, item) for item in value)


def _sized(kind: type[Sized], compare: Callable[[int, int], bool]) -> Callable[[Any, Any, Any], Verdict]:
    def check(argument: Any, value: Any, _schema: Any) -> Verdict:
        if not isinstance(value, kind):
            return True
        if not isinstance(argument, int) or isinstance(argument, bool):
            return None
        return compare(len(value), argument)

    return check


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any, Any], Verdict]:
    def check(argument: Any, value: Any, _schema: Any) -> Verdict:
        if not _is_number(value):
            return True
        if not _is_number(argument):
            return None
        return compare(value, argument)

    return check


def _pattern(argument: Any, value: Any, _schema: Any) -> Verdict:
    if not isinstance(value, str):
        return True
    if not isinstance(argument, str):
        return None
    try:
        return re.search(argument, value) is not None  # what jsonschema does
    except re.error:
        return None


def _same(value: Any, option: Any) -> bool:
    """jsonschema's equality for a value that is not an array or object: true is not 1,
    1 is 1.0, and an array or object option equals no such value."""
    if value is option:
        return True
    if isinstance(option, (list, tuple, dict)):
        return False
    if isinstance(value, str) or isinstance(option, str):
        return value == option
    if isinstance(value, bool) or isinstance(option, bool):
        return False  # the same boolean was caught by `is`
    return bool(value == option)


def _enum(argument: Any, value: Any, _schema: Any) -> Verdict:
    if not isinstance(argument, list) or isinstance(value, (list, dict)):
        return None  # arrays and objects are compared by jsonschema's own rules
    return any(_same(value, option) for option in argument)


def _const(argument: Any, value: Any, schema: Any) -> Verdict:
    return _enum([argument], value, schema)


def _property_names(argument: Any, value: Any, _schema: Any) -> Verdict:
    return _all(quick_check(argument, name) for name in value) if isinstance(value, dict) else True


def _unique(argument: Any, value: Any, _schema: Any) -> Verdict:
    if not isinstance(argument, bool):
        return None
    if not argument or not isinstance(value, list) or len(value) < 2:
        return True
    # Text alone, or integers alone, compare as Python compares them; mixes go to jsonschema.
    if all(type(item) is str for item in value) or all(type(item) is int for item in value):
        return len(set(value)) == len(value)
    return None


def _not(argument: Any, value: Any, _schema: Any) -> Verdict:
    verdict = quick_check(argument, value)
    return None if verdict is None else not verdict


def _all_of(argument: Any, value: Any, _schema: Any) -> Verdict:
    return _all(quick_check(sub, value) for sub in argument) if isinstance(argument, list) and argument else None


def _any_of(argument: Any, value: Any, _schema: Any) -> Verdict:
    if not isinstance(argument, list) or not argument:
        return None
    verdicts = [quick_check(sub, value) for sub in argument]
    return None if None in verdicts else True in verdicts


def _one_of(argument: Any, value: Any, _schema: Any) -> Verdict:
    if not isinstance(argument, list) or not argument:
        return None
    verdicts = [quick_check(sub, value) for sub in argument]
    if None in verdicts:
        return None
    return verdicts.count(True) == 1


def _if(argument: Any, value: Any, schema: Any) -> Verdict:
    verdict = quick_check(argument, value)
    if verdict is None:
        return None
    branch = "then" if verdict else "else"
    return quick_check(schema[branch], value) if branch in schema else True


_KEYWORDS: dict[str, Callable[[Any, Any, Any], Verdict]] = {
    # type, properties, additionalProperties and required: see _COMPILERS (read first).
    "items": _items,
    "minItems": _sized(list, lambda n, limit: n >= limit),
    "maxItems": _sized(list, lambda n, limit: n <= limit),
    "minLength": _sized(str, lambda n, limit: n >= limit),
    "maxLength": _sized(str, lambda n, limit: n <= limit),
    "minProperties": _sized(dict, lambda n, limit: n >= limit),
    "maxProperties": _sized(dict, lambda n, limit: n <= limit),
    # Written as jsonschema's failure tests negated, so that NaN passes as it does there.
    "minimum": _bound(lambda v, limit: not v < limit),
    "maximum": _bound(lambda v, limit: not v > limit),
    "exclusiveMinimum": _bound(lambda v, limit: not v <= limit),
    "exclusiveMaximum": _bound(lambda v, limit: not v >= limit),
    "pattern": _pattern,
    "propertyNames": _property_names,
    "enum": _enum,
    "const": _const,
    "uniqueItems": _unique,
    "not": _not,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "if": _if,
}


# -- the keywords every action's input uses, read once per schema ----------------------------
# Each answers exactly as jsonschema does (tests/test_quick_check.py); an argument it cannot read
# falls back to an interpreted check above.


def _compile_type(argument: Any, schema: Any) -> Check:
    if type(argument) is str and argument in _TYPES:
        return _TYPES[argument]
    return functools.partial(_keyword, _type, argument, schema)


def _each_property(value: Any, schema_of: Callable[[Any], Any]) -> Verdict:
    """``value``'s properties, each against ``schema_of(name)`` (``_ABSENT``: not checked here),
    settled as :func:`_all` settles."""
    if not isinstance(value, dict):
        return True
    valid = True
    for name, item in value.items():
        sub = schema_of(name)
        if sub is _ABSENT:
            continue
        verdict = _compiled(sub)(item)
        if verdict is None:
            return None
        if not verdict:
            valid = False
    return valid


def _compile_properties(argument: Any, schema: Any) -> Check:
    if not isinstance(argument, dict):
        return functools.partial(_keyword, _object_keyword, argument, schema)
    return functools.partial(_each_property, schema_of=lambda name: argument.get(name, _ABSENT))


def _compile_additional(argument: Any, schema: Any) -> Check:
    known = schema.get("properties", {})
    if "patternProperties" in schema or not isinstance(known, dict):
        return functools.partial(_keyword, _object_keyword, argument, schema)
    return functools.partial(_each_property, schema_of=lambda name: _ABSENT if name in known else argument)


def _compile_required(argument: Any, schema: Any) -> Check:
    if not isinstance(argument, list):
        return functools.partial(_keyword, _object_keyword, argument, schema)
    names = tuple(argument)

    def check(value: Any) -> Verdict:
        if not isinstance(value, dict):
            return True
        for name in names:
            if name not in value:
                return False
        return True

    return check


_COMPILERS: dict[str, Callable[[Any, Any], Check]] = {
    "type": _compile_type,
    "properties": _compile_properties,
    "additionalProperties": _compile_additional,
    "required": _compile_required,
}

