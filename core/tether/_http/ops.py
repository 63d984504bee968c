"""The operations an engine session yields to its runner, and what execution hooks see."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

import attrs
import httpx


@attrs.frozen
class Send:
    request: httpx.Request
    transport: str | None = None
    """Which client the runner should use (``None``: the network)."""


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
