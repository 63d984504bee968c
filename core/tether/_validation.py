"""Checking JSON against an action's schema, with errors that say where and what.

Input is checked before any request is built; output is checked by the conformance kit and,
with ``strict``, at run time. jsonschema is imported here only, on first use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._errors import ValidationError
from ._quick_check import quick_check

_validators: dict[int, tuple[Mapping[str, Any], Any]] = {}
"""Compiled validators by ``id`` of their schema object. The entry holds the schema itself, so
the id cannot be reused by another object while the entry lives; the ``is`` check below guards
the rest. Keying by identity costs nothing per call (serialising the schema to key it cost more
than validating); a schema is an action's constant, never changed in place after its first use."""
MAX_VALIDATORS = 4096
"""Schemas made on the fly (not an action's constant) would otherwise pile up."""


def _validator(schema: Mapping[str, Any]) -> Any:
    entry = _validators.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    if len(_validators) >= MAX_VALIDATORS:
        _validators.clear()
    _validators[id(schema)] = (schema, validator)
    return validator


def json_path(root: str, parts: Any) -> str:
    """``input.users[0].email`` from a root name and a jsonschema path deque."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if str(part).isidentifier() else f"[{json.dumps(str(part))}]")
    return out


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _forbidden_property(error: Any, schema: Any, value: Any) -> str | None:
    """The property whose ``false`` schema failed (jsonschema leaves it out of the path)."""
    where = list(error.absolute_schema_path)
    if not where or where[-1] != "properties":
        return None
    node, inst = schema, value
    for part in where[:-1]:
        node = node[part]
    for part in error.absolute_path:
        inst = inst[part]
    props = node.get("properties", {}) if isinstance(node, dict) else {}
    names = [k for k, sub in props.items() if sub is False and isinstance(inst, dict) and k in inst]
    return names[0] if names else None


def _describe(error: Any, root: str, schema: Any = None, value: Any = None) -> tuple[str, str, Any, Any]:
    """(path, message, expected, given) for one jsonschema error."""
    path = json_path(root, error.absolute_path)
    kind, expected, given = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if isinstance(given, dict) and name not in given]
        name = missing[0] if missing else "?"
        return json_path(root, [*error.absolute_path, name]), "required property is missing", "present", None
    if kind == "additionalProperties" and isinstance(given, dict):
        allowed = set((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in given if k not in allowed)
        name = extra[0] if extra else "?"
        hint = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
        return json_path(root, [*error.absolute_path, name]), f"unexpected property{hint}", sorted(allowed), name
    if kind == "type":
        wanted = expected if isinstance(expected, str) else " or ".join(expected)
        return path, f"expected {wanted}, got {_type_name(given)} {_shown(given)}", expected, given
    if kind == "enum":
        options = ", ".join(_shown(v) for v in expected)
        return path, f"expected one of {options}, got {_shown(given)}", expected, given
    if kind == "const":
        return path, f"expected {_shown(expected)}, got {_shown(given)}", expected, given
    if kind == "not" and isinstance(expected, dict) and set(expected) == {"required"}:
        names = list(expected["required"])
        return path, f"give only one of {', '.join(names)}", {"not all of": names}, sorted(given) if isinstance(given, dict) else given
    if kind == "not":
        return path, f"{_shown(given)} is not allowed here", expected, given
    if kind in ("oneOf", "anyOf"):
        wanted = "exactly one" if kind == "oneOf" else "one"
        return path, f"must match {wanted} of the {len(expected)} allowed forms (see the action's inputSchema)", kind, given
    if kind is None or error.schema is False:
        name = _forbidden_property(error, schema, value)
        if name is not None:
            path = json_path(root, [*error.absolute_path, name])
        return path, "is not allowed", None, given
    message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return path, message, expected, given


MAX_DEPTH = 100
"""Nesting deeper than this is refused: no platform's data is, and the schema check, the JSON
encoder and the platform's parser all recurse."""


def check_plain(value: Any, *, root: str = "input") -> None:
    """Refuse what no JSON schema check can judge and no request can carry: nesting deeper
    than :data:`MAX_DEPTH` and text that is not valid Unicode (a lone surrogate)."""
    if _fine(value, 0):  # the usual case, without building every item's path
        return
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            where = json_path(root, path[:3]) + "…"
            raise ValidationError(f"{where}: nested more than {MAX_DEPTH} levels deep", path=where, expected=f"at most {MAX_DEPTH} levels")
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                where = json_path(root, path)
                raise ValidationError(
                    f"{where}: not valid Unicode text ({exc.reason}, character {exc.start})", path=where, expected="UTF-8 text"
                ) from None
        elif isinstance(item, Mapping):
            for key, sub in item.items():
                stack.append((key, path))
                stack.append((sub, [*path, key]))
        elif isinstance(item, (list, tuple)):
            stack.extend((sub, [*path, i]) for i, sub in enumerate(item))


def _fine(item: Any, depth: int) -> bool:
    """Whether :func:`check_plain` would pass ``item`` found ``depth`` levels down."""
    if depth > MAX_DEPTH:
        return False
    kind = type(item)
    if kind is str:
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if kind is dict or (kind is not list and kind is not tuple and isinstance(item, Mapping)):
        for key, sub in item.items():
            if not (_fine(key, depth) and _fine(sub, depth + 1)):
                return False
        return True
    if kind is list or kind is tuple or isinstance(item, (list, tuple)):
        for sub in item:
            if not _fine(sub, depth + 1):
                return False
        return True
    if isinstance(item, str):  # a subclass of str
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def validate(schema: Mapping[str, Any], value: Any, *, root: str = "input") -> None:
    """Raise :class:`ValidationError` naming the first (most relevant) problem."""
    check_plain(value, root=root)
    if quick_check(schema, value) is True:  # certainly valid: jsonschema is not even imported
        return
    from jsonschema.exceptions import best_match

    validator = _validator(schema)
    found = list(validator.iter_errors(value))
    if not found:
        return
    # A misspelt property also makes a required one "missing"; naming the typo helps more.
    unexpected = [e for e in found if e.validator == "additionalProperties"]
    error = unexpected[0] if unexpected else best_match(found)
    path, message, expected, given = _describe(error, root, schema, value)
    raise ValidationError(f"{path}: {message}", path=path, expected=_jsonable(expected), given=_jsonable(given))


def errors(schema: Mapping[str, Any], value: Any, *, root: str = "output") -> list[str]:
    """Every problem, one line each (for the conformance kit's messages)."""
    return [": ".join(_describe(e, root, schema, value)[:2]) for e in _validator(schema).iter_errors(value)]


def check_schema(schema: Mapping[str, Any]) -> list[str]:
    """Problems that make ``schema`` not a valid JSON Schema (2020-12)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [f"{json_path('schema', exc.absolute_path)}: {exc.message}"]
    return []


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)
