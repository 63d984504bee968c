"""Declarative actions: one request, described as data instead of written as a generator.

Most platform operations are a single request whose parts come straight from the input::

    Action(
        key="get-user", ...,
        run=rest("GET", "/users/{uid}"),
    )
    Action(
        key="list-users", ...,
        run=rest("GET", "/users", query=("limit", "next_cursor", "email")),
        pages=CursorPages(items="data", next="next_cursor", param="next_cursor", max_size=30),
    )
    Action(
        key="add-tag", ...,
        run=rest("POST", "/tags", body={"tag_name": "name"}, form=True, read=lambda r, inp: r.text),
    )

Path placeholders are filled from the input properties of the same name. ``query`` and
``body`` pick input properties (a tuple keeps their names, a mapping renames input → wire
name), take :data:`REST` for every input property not used elsewhere, or are a function of
``(input, context)`` for anything else. Only properties present in the input are sent.
``read`` says how the output is read: None (the JSON body), a dotted path into it, or a
function of ``(response, input)``. An action that needs several requests or polling is a
generator instead (see :mod:`tether._wire`); both forms run the same way everywhere.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any, Union

import attrs

from ._pages import dig
from ._wire import ActionGen, Request, Response, RunContext


class _Rest:
    def __repr__(self) -> str:
        return "REST"


REST: Any = _Rest()
"""``query=REST`` or ``body=REST``: every input property not used by the path or the other part."""

Picker = Union[tuple[str, ...], list[str], Mapping[str, str], Callable[[dict[str, Any], RunContext], Any], _Rest, None]
Reader = Union[str, Callable[[Response, dict[str, Any]], Any], None]


def pick(inp: Mapping[str, Any], keys: Any) -> dict[str, Any]:
    """The given keys that ``inp`` has (absent ones are not sent at all); a mapping renames."""
    if isinstance(keys, Mapping):
        return {wire: inp[name] for name, wire in keys.items() if name in inp}
    return {k: inp[k] for k in keys if k in inp}


def _placeholders(path: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(path) if name)


def _names(picker: Picker) -> set[str]:
    if isinstance(picker, Mapping):
        return set(picker)
    if isinstance(picker, (tuple, list)):
        return set(picker)
    return set()


@attrs.frozen
class Rest:
    """One request built from the input; call it like an action's ``run``."""

    method: str
    path: str
    query: Picker = None
    body: Picker = None
    form: bool = False
    read: Reader = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    accept: tuple[int, ...] = ()
    idempotent: bool | None = None
    rate_family: str = "default"
    api: str | None = None
    path_params: tuple[str, ...] = attrs.field(init=False)
    _used: frozenset[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "path_params", _placeholders(self.path))
        if self.query is REST and self.body is REST:
            raise ValueError("only one of query and body can take the rest of the input")
        object.__setattr__(self, "_used", frozenset(self.path_params) | _names(self.query) | _names(self.body))

    def _part(self, picker: Picker, inp: dict[str, Any], ctx: RunContext, used: frozenset[str]) -> Any:
        if picker is None:
            return None
        if picker is REST:
            return {k: v for k, v in inp.items() if k not in used}
        if callable(picker) and not isinstance(picker, Mapping):
            return picker(inp, ctx)
        return pick(inp, picker)

    def request(self, inp: dict[str, Any], ctx: RunContext) -> Request:
        missing = [name for name in self.path_params if inp.get(name) is None]
        if missing:
            # The input schema should require it; say which input is missing rather than fail inside the URL builder.
            from ._errors import ValidationError

            raise ValidationError(
                f"input.{missing[0]}: required to fill the path {self.path}", path=f"input.{missing[0]}", expected="a value", given=None
            )
        query = self._part(self.query, inp, ctx, self._used)
        body = self._part(self.body, inp, ctx, self._used)
        kwargs: dict[str, Any] = {}
        if body is not None:
            if self.form:
                kwargs["data"] = body
            else:
                kwargs["json"] = body
        return Request(
            self.method,
            self.path,
            path_params={name: inp[name] for name in self.path_params if name in inp},
            params=query or {},
            headers=dict(self.headers),
            api=self.api,
            idempotent=self.idempotent,
            rate_family=self.rate_family,
            accept=self.accept,
            **kwargs,
        )

    def output(self, response: Response, inp: dict[str, Any]) -> Any:
        if callable(self.read):
            return self.read(response, inp)
        body = response.json(default=None)
        return body if self.read is None else dig(body, self.read)

    def __call__(self, inp: dict[str, Any], ctx: RunContext) -> ActionGen:
        response = yield self.request(inp, ctx)
        assert response is not None
        return self.output(response, inp)


def rest(
    method: str,
    path: str,
    *,
    query: Picker = None,
    body: Picker = None,
    form: bool = False,
    read: Reader = None,
    headers: Mapping[str, str] | None = None,
    accept: tuple[int, ...] = (),
    idempotent: bool | None = None,
    rate_family: str = "default",
    api: str | None = None,
) -> Rest:
    """An action's ``run`` that sends one request built from the input (see the module doc).

    ``form`` sends the body form-encoded instead of JSON; ``accept`` lists error statuses
    handed to ``read`` instead of raised; ``idempotent`` overrides the method's default (a
    POST that is safe to repeat); ``rate_family`` picks the API's pacing and concurrency
    family; ``api`` names the connector API it goes to, when not the action's.
    """
    return Rest(
        method, path, query=query, body=body, form=form, read=read, headers=dict(headers or {}),
        accept=accept, idempotent=idempotent, rate_family=rate_family, api=api,
    )
