"""The operations an engine session yields to its runner, and what execution hooks see."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

import attrs

from .messages import Outgoing


@attrs.frozen
class Send:
    request: Outgoing | Any
    """What to send: the engine's :class:`~.messages.Outgoing` (answered with an
    :class:`~.messages.Answer` or a :class:`~.messages.TransportFailure`), or an auth kind's
    own ``httpx.Request`` (answered as httpx answers it; the network only)."""
    transport: str | None = None
    """Which carrier the runner should use (``None``: the network)."""


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class Emit:
    items: Sequence[Any]


@attrs.frozen
class Acquire:
    """Take a slot of a concurrency cap before sending (the runner blocks or polls for it)."""

    semaphore: Any


Ops = Generator[Any, Any, Any]


@attrs.frozen
class HttpExchange:
    """An outgoing request as execution hooks see it: credentials masked."""

    method: str
    url: str
    headers: Mapping[str, str]
    content: bytes | None
