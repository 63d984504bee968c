"""A fast "valid" for the records of a bulk job: the input schema compiled once.

A bulk job checks every record against the action's input schema. jsonschema walks the schema
for each record (about 35 µs for a small one, most of a batched job's CPU); fastjsonschema
compiles it once into plain Python (about 3 µs). The compiled check is trusted only to say
*valid*: a record it refuses goes to jsonschema, which names the problem and has the last word.
A single call (``tether action run``) uses :mod:`tether._quick_check` instead: it needs no
compiling (milliseconds, repaid only over many records) but walks the schema each time
(about 20 µs for an upload record, against 2 µs compiled).

fastjsonschema knows drafts 4–7 and tether validates against 2020-12, so the compiled check is
used only when every keyword of the schema means the same in draft 7 and 2020-12 (and formats
are checked by jsonschema's own format checker on both paths); otherwise jsonschema alone runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# Keywords that mean the same in draft 7 and 2020-12 (and that fastjsonschema implements alike).
# Left out on purpose: $ref/$defs (resolution differs), items as a list (tuples became
# prefixItems), dependencies, contains, uniqueItems and multipleOf (equality and
# float rules differ between the two libraries), anything unknown.
_PLAIN = frozenset({
    "type", "enum", "const", "required", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minProperties", "maxProperties",
    "format", "description", "title", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment",
})
_ONE = frozenset({"additionalProperties", "items", "not", "propertyNames", "if", "then", "else"})
_MAPS = frozenset({"properties", "patternProperties"})
_LISTS = frozenset({"anyOf", "oneOf", "allOf"})


def record_check(schema: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A function saying whether a record is valid: compiled when the schema allows, else jsonschema's.

    jsonschema is not even imported for a portable schema without formats (until a record fails).
    """
    from .._validation import _validator

    formats: set[str] = set()
    if not _portable(schema, formats):
        return _validator(schema).is_valid
    checker = _validator(schema).format_checker if formats else None
    if formats and checker is None:
        return _validator(schema).is_valid
    import fastjsonschema

    compiled = fastjsonschema.compile(
        dict(schema),
        use_default=False,  # never fill defaults into the user's record
        formats={name: (lambda value, name=name: checker.conforms(value, name)) for name in formats},
    )

    def check(record: Any) -> bool:
        try:
            compiled(record)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check


def _portable(node: Any, formats: set[str]) -> bool:
    """Whether ``node`` (a schema) uses only keywords that mean the same to both libraries."""
    if isinstance(node, bool):
        return True
    if not isinstance(node, Mapping):
        return False
    for key, value in node.items():
        if key in _PLAIN:
            if key == "format":
                formats.add(str(value))
        elif key in _ONE:
            if not _portable(value, formats):
                return False
        elif key in _MAPS:
            if not isinstance(value, Mapping) or not all(_portable(sub, formats) for sub in value.values()):
                return False
        elif key in _LISTS:
            if not isinstance(value, list) or not all(_portable(sub, formats) for sub in value):
                return False
        else:
            return False
    return True
