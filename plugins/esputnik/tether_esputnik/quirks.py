"""Reading the platform's answers as they really are (§B3): these are its habits, not errors.

- ids come as numbers or as strings of digits (older answers), so outputs give integers;
- a one-item ``results`` may be an object instead of an array;
- booleans may be the strings ``"true"`` / ``"false"``;
- some successes are plain text (``Contact with id='1' has been updated``) or empty;
- list totals travel in the ``TotalCount`` header;
- a repeat of an identical request may be refused as ``Duplicated request``: the first one
  took effect, so that is reported as a duplicate, not as a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tether.connector import PlatformError, Request, Response

from .connector import DUPLICATED

ID_KEYS = ("id", "addressBookId", "contactId", "orgId", "messageId", "groupId", "broadcastId", "workflowId")


def as_int(value: Any) -> Any:
    """``"95064156"`` → 95064156; anything that is not a whole number is returned unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def as_bool(value: Any) -> Any:
    """``"true"`` / ``"false"`` (any case) → True / False; other values unchanged."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def as_list(value: Any) -> list[Any]:
    """An array as is, one object as a one-item list, nothing as an empty list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def with_int_ids(doc: Any) -> Any:
    """A copy of ``doc`` with its id-like fields (and those of nested groups and fields) as integers."""
    if not isinstance(doc, Mapping):
        return doc
    out = dict(doc)
    for key in ID_KEYS:
        if key in out:
            out[key] = as_int(out[key])
    for key in ("groups", "fields"):
        if isinstance(out.get(key), list):
            out[key] = [with_int_ids(item) for item in out[key]]
    return out


def total_count(response: Response) -> int | None:
    """The ``TotalCount`` header as an integer, if the platform sent one."""
    value = response.header("TotalCount")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def json_or_text(response: Response) -> Any:
    """The body as JSON, or its text when it is not JSON (plain-text successes), or None if empty."""
    if not response.content.strip():
        return None
    body = response.json(default=None)
    return body if body is not None else response.text.strip()


def is_duplicate(response: Response) -> bool:
    return response.status >= 400 and DUPLICATED.lower() in response.text.lower()


def refused(response: Response) -> PlatformError:
    """The error for a status an action accepted in order to look at it, and that was not a duplicate."""
    body = json_or_text(response)
    message = body if isinstance(body, str) else (body or {}).get("message") if isinstance(body, dict) else None
    return PlatformError(
        f"ESputnik (Yespo) answered {response.status}: {message or 'error'}", status=response.status, body=body
    )


def listing(path: str, items_key: str, query: tuple[str, ...], *, rate_family: str = "default"):
    """The ``run`` of a list endpoint: a JSON array (or nothing) plus its ``TotalCount`` header,
    read into ``{items_key: [...], "totalCount": n}`` with integer ids (§B3)."""

    def run(inp, ctx):
        params = {k: inp[k] for k in query if k in inp}
        path_params = {k: inp[k] for k in ("id",) if "{id}" in path}
        response = yield Request("GET", path, path_params=path_params, params=params, rate_family=rate_family)
        return {items_key: [with_int_ids(item) for item in as_list(response.json(default=[]))], "totalCount": total_count(response)}

    return run
