"""Pagination styles: given an action's input and the output of one page, the next input.

Pages are followed at the level of the action, not of the wire: for ``{"all": true}`` the
engine runs the action once per page, each time with the input these classes return, and
takes the items from the action's *output*. Whatever an action does to a response (renaming
fields, reading a header such as a total count, several requests per page) therefore applies
to streamed pages exactly as to a single page, and following 10,000 items costs one page of
memory.

``param``, ``size_param`` and ``drop`` name *input* properties of the action; ``items``,
``next`` and ``total`` are dotted paths into its *output*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, Union, runtime_checkable

import attrs


def dig(body: Any, path: str) -> Any:
    """``body["a"]["b"]`` for path ``"a.b"``; ``""`` is the body itself; None if absent."""
    if not path:
        return body
    for part in path.split("."):
        if not isinstance(body, Mapping):
            return None
        body = body.get(part)
    return body


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@runtime_checkable
class PageStyle(Protocol):
    """What the engine needs from a pagination style (a connector may write its own)."""

    items: str
    size_param: str | None
    max_size: int | None

    def page_items(self, output: Any) -> Sequence[Any]: ...

    def next_input(self, input: Mapping[str, Any], output: Any) -> dict[str, Any] | None: ...


@attrs.frozen
class CursorPages:
    """The output carries an opaque cursor (``next``) that the next run takes as ``param``."""

    items: str
    next: str
    param: str
    size_param: str | None = "limit"
    max_size: int | None = None
    drop: tuple[str, ...] = ()
    """Inputs to remove when following (e.g. a ``previous_cursor`` the first page was asked with)."""

    def page_items(self, output: Any) -> Sequence[Any]:
        return dig(output, self.items) or []

    def next_input(self, input: Mapping[str, Any], output: Any) -> dict[str, Any] | None:
        cursor = dig(output, self.next)
        if cursor in (None, "", 0, False) or not self.page_items(output):
            return None
        if cursor == input.get(self.param):
            return None  # a server that repeats its cursor would loop forever
        following = {k: v for k, v in input.items() if k not in self.drop}
        following[self.param] = cursor
        return following


@attrs.frozen
class OffsetPages:
    """``param`` counts items from ``start``; stop on a short or empty page, or at ``total``.

    ``total`` is a path into the output (an action may copy a ``TotalCount`` header there).
    """

    items: str
    param: str = "offset"
    size_param: str | None = "limit"
    start: int = 0
    total: str | None = None
    max_size: int | None = None

    def page_items(self, output: Any) -> Sequence[Any]:
        return dig(output, self.items) or []

    def next_input(self, input: Mapping[str, Any], output: Any) -> dict[str, Any] | None:
        got = len(self.page_items(output))
        size = input.get(self.size_param) if self.size_param else None
        offset = _int(input.get(self.param), self.start)
        if got == 0 or (size is not None and got < _int(size, got)):
            return None
        following = offset + got
        if self.total is not None:
            total = dig(output, self.total)
            if total is not None and following - self.start >= _int(total, following):
                return None
        return {**input, self.param: following}


@attrs.frozen
class PageNumberPages:
    """``param`` is 1, 2, …; stop on a short or empty page, or past ``total_pages``."""

    items: str
    param: str = "page"
    size_param: str | None = "per_page"
    first: int = 1
    total_pages: str | None = None
    max_size: int | None = None

    def page_items(self, output: Any) -> Sequence[Any]:
        return dig(output, self.items) or []

    def next_input(self, input: Mapping[str, Any], output: Any) -> dict[str, Any] | None:
        got = len(self.page_items(output))
        page = _int(input.get(self.param), self.first)
        size = input.get(self.size_param) if self.size_param else None
        if got == 0 or (size is not None and got < _int(size, got)):
            return None
        if self.total_pages is not None:
            total = dig(output, self.total_pages)
            if total is not None and page - self.first + 1 >= _int(total, page):
                return None
        return {**input, self.param: page + 1}


Pages = Union[CursorPages, OffsetPages, PageNumberPages, PageStyle]
