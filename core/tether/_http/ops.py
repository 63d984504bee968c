"""The operations an engine session yields to its runner, and what execution hooks see.

Plain value classes (equal when their fields are), not attrs ones: making an attrs class
costs ~0.7 ms at import, and these load on every run.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

from .messages import Outgoing


class _Value:
    """Equality, hashing and a repr from ``__slots__``."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Value) and type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


class Send(_Value):
    __slots__ = ("request", "transport")

    def __init__(self, request: Outgoing | Any, transport: str | None = None):
        self.request = request
        """What to send: the engine's :class:`~.messages.Outgoing` (answered with an
        :class:`~.messages.Answer` or a :class:`~.messages.TransportFailure`), or an auth kind's
        own ``httpx.Request`` (answered as httpx answers it; the network only)."""
        self.transport = transport
        """Which carrier the runner should use (``None``: the network)."""


class Sleep(_Value):
    __slots__ = ("seconds",)

    def __init__(self, seconds: float):
        self.seconds = seconds


class Emit(_Value):
    __slots__ = ("items",)

    def __init__(self, items: Sequence[Any]):
        self.items = items


class Acquire(_Value):
    """Take a slot of a concurrency cap before sending (the runner blocks or polls for it)."""

    __slots__ = ("semaphore",)

    def __init__(self, semaphore: Any):
        self.semaphore = semaphore


Ops = Generator[Any, Any, Any]


class HttpExchange(_Value):
    """An outgoing request as execution hooks see it: credentials masked. Read-only (every
    plugin sees the same one)."""

    __slots__ = ("method", "url", "headers", "content")
    method: str
    url: str
    headers: Mapping[str, str]
    content: bytes | None

    def __init__(self, method: str, url: str, headers: Mapping[str, str], content: bytes | None):
        for name, value in (("method", method), ("url", url), ("headers", headers), ("content", content)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"HttpExchange is read-only: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"HttpExchange is read-only: cannot delete {name}")
