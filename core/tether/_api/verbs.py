"""One declaration per user-facing verb, exposed by :class:`~tether.Client` (blocking) and
:class:`~tether.AsyncClient` (awaited).

A verb is written once, on the clients' shared base, as a generator of engine operations
(see :mod:`tether._http.engine`) with the verb's real signature and docstring::

    @verb
    def test_connection(self, ref: str) -> Ops[Connection]:
        \"\"\"Check the credentials ...\"\"\"
        ...

``Client().test_connection("c1")`` then runs those operations to the end and returns the
connection; ``AsyncClient().test_connection("c1")`` is a coroutine that does the same with
the async runner. Type checkers see ``(ref: str) -> Connection`` on one and
``(ref: str) -> Coroutine[..., Connection]`` on the other (the ``__get__`` overloads
below), so a missing ``await`` or a wrong argument is caught where the verb is used.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import Self

R = TypeVar("R")
P = ParamSpec("P")

Ops = Generator[Any, Any, R]
"""Engine operations that finish with an ``R`` (the verb's result)."""


class Blocking:
    """Marks a client whose verbs block and return their result (:class:`~tether.Client`)."""

    def _drive(self, ops: Ops[R]) -> R:
        raise NotImplementedError

    def _iterate(self, ops: Ops[Any]) -> Iterator[Any]:
        raise NotImplementedError


class Awaiting:
    """Marks a client whose verbs are coroutines (:class:`~tether.AsyncClient`)."""

    async def _drive(self, ops: Ops[R]) -> R:
        raise NotImplementedError

    def _iterate(self, ops: Ops[Any]) -> AsyncIterator[Any]:
        raise NotImplementedError


class verb(Generic[P, R]):
    """A user-facing verb: its operations written once, driven by the client it is read from."""

    def __init__(self, ops: Callable[Concatenate[Any, P], Ops[R]]):
        self.ops = ops
        self.name = ops.__name__
        self._methods = (_blocking_method(ops), _awaiting_method(ops))

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type[Any]) -> Callable[P, R]: ...
    @overload
    def __get__(self, client: Awaiting, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, client: object, owner: type[Any]) -> Callable[P, Any]: ...

    def __get__(self, client: object, owner: type[Any]) -> Any:
        if client is None:  # read from the class: the plain function, for help() and inspect
            return self._methods[issubclass(owner, Awaiting)]
        return self._methods[isinstance(client, Awaiting)].__get__(client, owner)


def _blocking_method(ops: Callable[..., Ops[Any]]) -> Callable[..., Any]:
    @functools.wraps(ops)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._drive(ops(self, *args, **kwargs))

    method.ops = ops  # type: ignore[attr-defined]
    return method


def _awaiting_method(ops: Callable[..., Ops[Any]]) -> Callable[..., Any]:
    @functools.wraps(ops)
    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._drive(ops(self, *args, **kwargs))

    method.ops = ops  # type: ignore[attr-defined]
    return method


class stream(Generic[P]):
    """A verb that produces items: an iterator on a :class:`Client`, an async iterator on an
    :class:`AsyncClient`. The declared function checks its arguments when called (so mistakes
    surface at the call, not at the first item) and returns the operations, which emit the items."""

    def __init__(self, ops: Callable[Concatenate[Any, P], Ops[Any]]):
        self.ops = ops
        self.name = ops.__name__

        @functools.wraps(ops)
        def method(client: Any, *args: Any, **kwargs: Any) -> Any:
            return client._iterate(ops(client, *args, **kwargs))

        method.ops = ops  # type: ignore[attr-defined]
        self._method: Any = method

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type[Any]) -> Callable[P, Iterator[Any]]: ...
    @overload
    def __get__(self, client: Awaiting, owner: type[Any]) -> Callable[P, AsyncIterator[Any]]: ...
    @overload
    def __get__(self, client: object, owner: type[Any]) -> Callable[P, Any]: ...

    def __get__(self, client: object, owner: type[Any]) -> Any:
        if client is None:
            return self._method
        return self._method.__get__(client, owner)
