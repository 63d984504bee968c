"""Execute the engine's operations: send with a carrier, sleep, take a concurrency slot.

This is the only place tether does I/O or sleeps; everything above it is shared. A carrier
(``client_for(transport)``) sends an engine request and returns what came back, an
:class:`~.messages.Answer` or a :class:`~.messages.TransportFailure`, never raising for a
transport failure: httpx for the network (:mod:`.carriers`), the sandbox's runtime for an
in-process sandbox (:mod:`tether._sandbox.inprocess`, no httpx at all).
The async half runs on any anyio backend (asyncio or trio): it sleeps with ``anyio.sleep``,
imported when first needed so the sync CLI never loads it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from .ops import Acquire, Emit, Ops, Send, Sleep


async def _acquire_async(semaphore: Any) -> None:
    # A thread semaphore shared with sync clients: poll it rather than block the event loop.
    import anyio

    delay = 0.001
    while not semaphore.acquire(blocking=False):
        await anyio.sleep(delay)
        delay = min(0.02, delay * 2)


ClientFor = Callable[[Any], Any]
"""Maps a :class:`Send`'s ``transport`` to the carrier that sends it."""


def _perform_sync(op: Any, client_for: ClientFor) -> Any:
    """Carry out one operation other than :class:`Emit`; the value to send back to the engine."""
    if isinstance(op, Send):
        return client_for(op.transport).send(op.request)
    if isinstance(op, Sleep):
        time.sleep(op.seconds)
    elif isinstance(op, Acquire):
        op.semaphore.acquire()
    else:  # pragma: no cover - a programming error in the engine
        raise TypeError(f"unknown engine operation {op!r}")
    return None


async def _perform_async(op: Any, client_for: ClientFor) -> Any:
    if isinstance(op, Send):
        return await client_for(op.transport).send(op.request)
    if isinstance(op, Sleep):
        import anyio

        await anyio.sleep(op.seconds)
    elif isinstance(op, Acquire):
        await _acquire_async(op.semaphore)
    else:  # pragma: no cover - a programming error in the engine
        raise TypeError(f"unknown engine operation {op!r}")
    return None


def iterate_sync(ops: Ops, client_for: ClientFor) -> Iterator[Any]:
    """Run ``ops``, yielding every emitted item; returns the ops' return value."""
    value: Any = None
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value
        if isinstance(op, Emit):
            value = None
            yield from op.items
        else:
            value = _perform_sync(op, client_for)


def run_sync(ops: Ops, client_for: ClientFor) -> Any:
    """Run ``ops`` to completion and return their result (emitted items are not expected)."""
    value: Any = None
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value
        if type(op) is Send:  # nearly every operation: no dispatch through _perform_sync
            value = client_for(op.transport).send(op.request)
        elif isinstance(op, Emit):
            for item in op.items:
                raise TypeError(f"unexpected item from a non-streaming run: {item!r}")
            value = None
        else:
            value = _perform_sync(op, client_for)


async def iterate_async(ops: Ops, client_for: ClientFor) -> AsyncIterator[Any]:
    value: Any = None
    while True:
        try:
            op = ops.send(value)
        except StopIteration:
            return
        if isinstance(op, Emit):
            value = None
            for item in op.items:
                yield item
        else:
            value = await _perform_async(op, client_for)


async def run_async(ops: Ops, client_for: ClientFor) -> Any:
    value: Any = None
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value
        if type(op) is Send:
            value = await client_for(op.transport).send(op.request)
        elif isinstance(op, Emit):
            raise TypeError(f"unexpected items from a non-streaming run: {op!r}")
        else:
            value = await _perform_async(op, client_for)


def collect(ops: Ops) -> Ops:
    """Wrap ``ops`` so emitted items are gathered and returned as a list instead."""
    items: list[Any] = []
    value: Any = None
    while True:
        try:
            op = ops.send(value)
        except StopIteration:
            return items
        if isinstance(op, Emit):
            items.extend(op.items)
            value = None
            continue
        value = yield op
