"""The Python API: :class:`Client` and :class:`AsyncClient`, the same verbs as the CLI.

Both expose the verbs :class:`~tether._base_client.BaseClient` declares once; a sync client
runs their operations with carriers made once per client: ``httpx.Client`` for the network,
the sandbox's runtime (no httpx) for an in-process sandbox; an async one likewise, with
``httpx.AsyncClient`` per event loop::

    with tether.Client() as client:
        conn = client.sandbox_connection("engage")
        user = client.run("create-user", connection_id=conn.id, input={"uid": "ada"})
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._api.verbs import Awaiting, Blocking, Ops
from ._base_client import BaseClient, split_action_ref

if TYPE_CHECKING:  # pragma: no cover
    from ._bulk.runner import BulkJob

__all__ = ["AsyncClient", "Client", "split_action_ref"]  # split_action_ref: for _cli/bulk


class Client(Blocking, BaseClient):
    """The synchronous API. Use it as a context manager, or call :meth:`close`.

    One client may be shared by threads: its HTTP clients, sandboxes, connection store and
    pacing are made once under a lock and are safe to use concurrently. The constructor's
    keywords are documented on ``__init__`` (``home``, ``retry``, ``timeout``, ``strict``,
    ``sandbox_faults``, ``secrets_backend``, ``open_url``, ``plugins``).
    """

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP clients, sandboxes and the connection store (made again if used later)."""
        for carrier in self._http.values():
            carrier.close()
        self._http.clear()
        self._close_local()

    def _client_for(self, transport: str | None) -> Any:
        """The carrier of ``transport``: the network (``None``, an ``httpx.Client``) or an
        in-process sandbox (``"sandbox:<connector>"``, no httpx)."""
        carrier = self._http.get(transport)
        if carrier is not None:
            return carrier
        # Threads sharing this client race to make the first carrier of a transport: one
        # wins and every thread uses it (a loser's httpx client would leak its sockets on close).
        with self._local_lock:
            if transport not in self._http:
                if transport is not None:
                    from ._sandbox.inprocess import InProcessCarrier

                    carrier = InProcessCarrier(self.sandbox_runtime(transport.partition(":")[2]), self.timeout)
                else:
                    import httpx

                    from ._http.carriers import NetworkCarrier

                    carrier = NetworkCarrier(httpx.Client(timeout=self._http_timeout(), follow_redirects=False))
                self._http[transport] = carrier
            return self._http[transport]

    def _drive(self, ops: Ops[Any]) -> Any:
        from ._http.runners import run_sync

        return run_sync(ops, self._client_for)

    def _iterate(self, ops: Ops[Any]) -> Iterator[Any]:
        from ._http.runners import iterate_sync

        return iterate_sync(ops, self._client_for)

    def bulk(
        self,
        action: str | None,
        *,
        connection_id: str | None,
        records: Iterable[Any],
        concurrency: int | None = None,
        job_id: str | None = None,
        batch: bool = True,
    ) -> BulkJob:
        """Run ``action`` once per record, journaled under TETHER_HOME; returns a :class:`~tether.BulkJob`.

        Iterate it for one :class:`~tether.RecordResult` per record (``line``,
        ``status`` ok/failed/unknown, ``output`` or ``error``); ``job.job_id`` names the
        journal. ``records`` are dicts or JSON lines, read lazily. With the ``job_id`` of an
        existing job and the same ``records``, it resumes: nothing that succeeded is sent
        again. ``concurrency`` is 4 for a new job and the job's own on resume (given, it replaces
        it). Where the action declares a batch, records travel in batches unless ``batch``
        is false.
        """
        from ._bulk.runner import open_job

        return open_job(self, action, connection_id=connection_id, records=records, concurrency=concurrency, job_id=job_id, batch=batch)


class AsyncClient(Awaiting, BaseClient):
    """The asynchronous API: the same verbs as :class:`Client`, awaited (``paginate`` is an
    async iterator). Use it with ``async with``, or await :meth:`aclose`. The constructor's
    keywords are those of :class:`Client`.

    It runs on any anyio backend (asyncio or trio) and may be used by successive event loops
    (two ``asyncio.run`` calls), one at a time: each loop gets its own carriers (httpx clients), as their
    connections cannot outlive their loop. ``async with client`` (or ``aclose``) in each loop
    closes that loop's connections and leaves the client usable; a loop that ends without it
    leaves them to the garbage collector. On a loop's first call the set-up (plugins, the connection store, secrets,
    sandboxes, the HTTP client) happens in a worker thread, so the loop is not blocked.
    """

    def _load_runner(self) -> None:
        import anyio.lowlevel  # noqa: F401 - here, before a loop runs, rather than on its first call
        import anyio.to_thread  # noqa: F401

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP clients, sandboxes and the connection store (made again if used later)."""
        import anyio.lowlevel

        with self._local_lock:
            mine = self._http.pop(anyio.lowlevel.current_token(), {})
            self._http.clear()  # other loops' clients: those loops have ended (see _clients_of)
        for carrier in mine.values():
            await carrier.aclose()
        self._close_local()

    def _clients_of(self, loop: Any) -> dict[str | None, Any]:
        """The carriers of one event loop. A loop seen for the first time means the earlier
        ones have ended (one loop at a time): their clients, bound to a dead loop, are dropped."""
        clients: dict[str | None, Any] | None = self._http.get(loop)
        if clients is None:
            with self._local_lock:
                for old in [key for key in self._http if key != loop]:
                    del self._http[old]
                clients = self._http.setdefault(loop, {})
        return clients

    def _client_in(self, clients: dict[str | None, Any], transport: str | None) -> Any:
        carrier = clients.get(transport)
        if carrier is None:
            with self._local_lock:
                if transport not in clients:
                    if transport is not None:
                        from ._sandbox.inprocess import AsyncInProcessCarrier

                        made: Any = AsyncInProcessCarrier(self.sandbox_runtime(transport.partition(":")[2]), self.timeout)
                    else:
                        import httpx

                        from ._http.carriers import AsyncNetworkCarrier

                        made = AsyncNetworkCarrier(httpx.AsyncClient(timeout=self._http_timeout(), follow_redirects=False))
                    clients[transport] = made
                carrier = clients[transport]
        return carrier

    def _client_for(self, transport: str | None) -> Any:
        import anyio.lowlevel

        return self._client_in(self._clients_of(anyio.lowlevel.current_token()), transport)

    async def _drive(self, ops: Ops[Any]) -> Any:
        import anyio.lowlevel

        from ._http.runners import run_async

        loop = anyio.lowlevel.current_token()
        cold = loop not in self._http
        clients = self._clients_of(loop)
        if cold:
            done, first = await anyio.to_thread.run_sync(self._first_step, ops, clients)
            if done:
                return first
            ops = _resumed(first, ops)
        return await run_async(ops, functools.partial(self._client_in, clients))

    def _first_step(self, ops: Ops[Any], clients: dict[str | None, Any]) -> tuple[bool, Any]:
        """In a worker thread: run ``ops`` to their first operation, making the carrier it
        needs. (True, result) if they finished without one."""
        from ._http.ops import Send

        try:
            op = ops.send(None)
        except StopIteration as stop:
            return True, stop.value
        if isinstance(op, Send):
            self._client_in(clients, op.transport)
        return False, op

    def _iterate(self, ops: Ops[Any]) -> AsyncIterator[Any]:
        from ._http.runners import iterate_async

        return iterate_async(ops, self._client_for)


def _resumed(first: Any, ops: Ops[Any]) -> Ops[Any]:
    """``ops`` already advanced to ``first``, as a generator that yields ``first`` again."""
    value = yield first
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value
        value = yield op
