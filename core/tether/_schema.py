"""Small builders for the JSON Schemas of actions, so every connector writes them one way.

Input schemas are closed (``additionalProperties: false``: a typo is refused before anything
is sent) and every property carries a description (the conformance kit checks both). Output
schemas stay open, because platforms add fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Schema = dict[str, Any]


def input_object(properties: Mapping[str, Any], required: Iterable[str] = (), **extra: Any) -> Schema:
    """A closed object: the input of an action. ``extra`` adds keywords (``oneOf``, ``allOf`` …)."""
    schema: Schema = {"type": "object", "properties": dict(properties), "additionalProperties": False}
    required = list(required)
    if required:
        schema["required"] = required
    schema.update(extra)
    return schema


def obj(properties: Mapping[str, Any], description: str = "", required: Iterable[str] = (), **extra: Any) -> Schema:
    """An open object: part of an output, or a nested input value when ``additionalProperties`` is given."""
    schema: Schema = {"type": "object", "properties": dict(properties)}
    if description:
        schema["description"] = description
    required = list(required)
    if required:
        schema["required"] = required
    schema.update(extra)
    return schema


def string(description: str, *, min_length: int | None = 1, **extra: Any) -> Schema:
    """A string, non-empty unless ``min_length`` says otherwise."""
    schema: Schema = {"type": "string", "description": description}
    if min_length is not None:
        schema["minLength"] = min_length
    schema.update(extra)
    return schema


def integer(description: str, *, minimum: int | None = None, maximum: int | None = None, **extra: Any) -> Schema:
    schema: Schema = {"type": "integer", "description": description}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    schema.update(extra)
    return schema


def number(description: str, **extra: Any) -> Schema:
    return {"type": "number", "description": description, **extra}


def boolean(description: str, **extra: Any) -> Schema:
    return {"type": "boolean", "description": description, **extra}


def array(items: Any, description: str, **extra: Any) -> Schema:
    return {"type": "array", "items": items, "description": description, **extra}


def enum(values: Iterable[Any], description: str, **extra: Any) -> Schema:
    return {"enum": list(values), "description": description, **extra}


def nullable(kind: str | Iterable[str], description: str, **extra: Any) -> Schema:
    """A value of ``kind`` (one JSON type or several) or null: fields a platform may leave empty."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return {"type": [*kinds, "null"], "description": description, **extra}


def identifier(description: str, *, numeric: bool = False, max_length: int | None = None) -> Schema:
    """An id: a non-empty string, or (``numeric``) a positive integer or its digits as a string.

    Platforms that number their objects often accept and return both forms.
    """
    if numeric:
        return {
            "type": ["integer", "string"],
            "minimum": 1,
            "pattern": "^[1-9][0-9]*$",
            "description": description,
        }
    schema = string(description)
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def email(description: str = "Email address.") -> Schema:
    """An email address (checked for an ``@`` with text on both sides, nothing more: platforms differ)."""
    return {"type": "string", "minLength": 3, "pattern": "^[^@\\s]+@[^@\\s]+$", "description": description}


def secret(title: str, description: str) -> Schema:
    """A secret credential field: typed at a hidden prompt, stored in the keyring or a 0600 file, never shown."""
    return {"type": "string", "title": title, "minLength": 1, "writeOnly": True, "description": description}


def all_flag(noun: str = "items") -> Schema:
    """The ``all`` input of a paginated action."""
    return boolean(f"Follow every page and return all {noun} (one page is held in memory at a time).")


def page_output(items_key: str, item: Any, description: str, **cursors: Any) -> Schema:
    """The output of one page: ``items_key`` holds the items; ``cursors`` adds the paging fields."""
    props: dict[str, Any] = {items_key: array(item, f"The {items_key} of this page.")}
    props.update(cursors)
    return obj(props, description, required=(items_key,))
