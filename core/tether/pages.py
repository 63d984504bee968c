"""Pagination styles: given a request and its response, what is the next request.

Pure functions of (request, body): the engine fetches one page at a time and yields its
items, so following 10,000 items costs one page of memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Union

import attrs

from .wire import Request


def dig(body: Any, path: str) -> Any:
    """``body["a"]["b"]`` for path ``"a.b"``; ``""`` is the body itself; None if absent."""
    if not path:
        return body
    for part in path.split("."):
        if not isinstance(body, Mapping):
            return None
        body = body.get(part)
    return body


def _param(request: Request, name: str) -> Any:
    items = request.params.items() if isinstance(request.params, Mapping) else request.params
    for key, value in items:
        if key == name:
            return value
    return None


@attrs.frozen
class CursorPages:
    """The response carries an opaque cursor (``next``) that the next request sends back."""

    items: str
    next: str
    param: str
    size_param: str | None = "limit"
    max_size: int | None = None
    drop: tuple[str, ...] = ()
    """Parameters to remove when following (e.g. a ``previous_cursor`` the first page was asked with)."""

    def page_items(self, body: Any) -> Sequence[Any]:
        return dig(body, self.items) or []

    def next_request(self, request: Request, body: Any) -> Request | None:
        cursor = dig(body, self.next)
        if cursor in (None, "", 0, False) or not self.page_items(body):
            return None
        if cursor == _param(request, self.param):
            return None  # a server that repeats its cursor would loop forever
        return request.with_params(**{self.param: cursor, **{name: None for name in self.drop}})


@attrs.frozen
class OffsetPages:
    """``offset``/``start`` counts items; stop on a short page or when ``total`` is reached."""

    items: str
    param: str = "offset"
    size_param: str = "limit"
    start: int = 0
    total: str | None = None
    max_size: int | None = None

    def page_items(self, body: Any) -> Sequence[Any]:
        return dig(body, self.items) or []

    def next_request(self, request: Request, body: Any) -> Request | None:
        got = len(self.page_items(body))
        size = _param(request, self.size_param)
        offset = int(_param(request, self.param) or self.start)
        if got == 0 or (size is not None and got < int(size)):
            return None
        following = offset + got
        if self.total is not None:
            total = dig(body, self.total)
            if total is not None and following - self.start >= int(total):
                return None
        return request.with_params(**{self.param: following})


@attrs.frozen
class PageNumberPages:
    """``page=1,2,…``; stop on a short or empty page, or past ``total_pages``."""

    items: str
    param: str = "page"
    size_param: str | None = "per_page"
    first: int = 1
    total_pages: str | None = None
    max_size: int | None = None

    def page_items(self, body: Any) -> Sequence[Any]:
        return dig(body, self.items) or []

    def next_request(self, request: Request, body: Any) -> Request | None:
        got = len(self.page_items(body))
        page = int(_param(request, self.param) or self.first)
        size = _param(request, self.size_param) if self.size_param else None
        if got == 0 or (size is not None and got < int(size)):
            return None
        if self.total_pages is not None:
            total = dig(body, self.total_pages)
            if total is not None and page - self.first + 1 >= int(total):
                return None
        return request.with_params(**{self.param: page + 1})


Pages = Union[CursorPages, OffsetPages, PageNumberPages]
