"""Execute the engine's operations with a sync or an async httpx client.

This is the only place tether does network I/O or sleeps; everything above it is shared.
The async half runs on any anyio backend (asyncio or trio): it sleeps with ``anyio.sleep``,
imported when first needed so the sync CLI never loads it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from .engine import Acquire, Emit, Ops, Send, Sleep


def _send_sync(client: httpx.Client, request: httpx.Request) -> httpx.Response | Exception:
    try:
        return client.send(request)  # reads the whole body
    except httpx.TransportError as exc:
        return exc


async def _send_async(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response | Exception:
    try:
        return await client.send(request)
    except httpx.TransportError as exc:
        return exc


async def _acquire_async(semaphore: Any) -> None:
    # A thread semaphore shared with sync clients: poll it rather than block the event loop.
    import anyio

    delay = 0.001
    while not semaphore.acquire(blocking=False):
        await anyio.sleep(delay)
        delay = min(0.02, delay * 2)


ClientFor = Callable[[Any], Any]
"""Maps a :class:`Send`'s ``transport`` to the httpx client that carries it."""


def _perform_sync(op: Any, client_for: ClientFor) -> Any:
    """Carry out one operation other than :class:`Emit`; the value to send back to the engine."""
    if isinstance(op, Send):
        return _send_sync(client_for(op.transport), op.request)
    if isinstance(op, Sleep):
        time.sleep(op.seconds)
    elif isinstance(op, Acquire):
        op.semaphore.acquire()
    else:  # pragma: no cover - a programming error in the engine
        raise TypeError(f"unknown engine operation {op!r}")
    return None


async def _perform_async(op: Any, client_for: ClientFor) -> Any:
    if isinstance(op, Send):
        return await _send_async(client_for(op.transport), op.request)
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
            value = _send_sync(client_for(op.transport), op.request)
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
            value = await _send_async(client_for(op.transport), op.request)
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
