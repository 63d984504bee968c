"""The Python API: :class:`Client` and :class:`AsyncClient`, the same verbs as the CLI.

Both expose the verbs :class:`~tether._base_client.BaseClient` declares once; a sync client
runs their operations with ``httpx.Client``, an async one with ``httpx.AsyncClient``::

    with tether.Client() as client:
        conn = client.sandbox_connection("engage")
        user = client.run("create-user", connection_id=conn.id, input={"uid": "ada"})
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._api.verbs import Awaiting, Blocking, Ops
from ._base_client import ALL_STATUSES, BaseClient, fingerprint, nest, split_action_ref

if TYPE_CHECKING:  # pragma: no cover
    from ._bulk.runner import BulkJob

__all__ = ["ALL_STATUSES", "AsyncClient", "Client", "fingerprint", "nest", "split_action_ref"]


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
        for client in self._http.values():
            client.close()
        self._http.clear()
        self._close_local()

    def _client_for(self, transport: str | None) -> Any:
        client = self._http.get(transport)
        if client is not None:
            return client
        import httpx

        # Threads sharing this client race to make the first httpx client of a transport:
        # one wins and every thread uses it (a loser's would leak its sockets on close).
        with self._local_lock:
            if transport not in self._http:
                carrier = None
                if transport is not None:
                    from ._sandbox.transport import SandboxTransport

                    carrier = SandboxTransport(self.sandbox_runtime(transport.partition(":")[2]))
                self._http[transport] = httpx.Client(transport=carrier, timeout=self._http_timeout(), follow_redirects=False)
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
        concurrency: int = 4,
        job_id: str | None = None,
        batch: bool = True,
    ) -> BulkJob:
        """Run ``action`` once per record, journaled under TETHER_HOME; returns a :class:`~tether.BulkJob`.

        Iterate it for one :class:`~tether.RecordResult` per record (``line``,
        ``status`` ok/failed/unknown, ``output`` or ``error``); ``job.job_id`` names the
        journal. ``records`` are dicts or JSON lines, read lazily. With the ``job_id`` of an
        existing job and the same ``records``, it resumes: nothing that succeeded is sent
        again. Where the action declares a batch, records travel in batches unless ``batch``
        is false.
        """
        from ._bulk.runner import open_job

        return open_job(self, action, connection_id=connection_id, records=records, concurrency=concurrency, job_id=job_id, batch=batch)


class AsyncClient(Awaiting, BaseClient):
    """The asynchronous API: the same verbs as :class:`Client`, awaited (``paginate`` is an
    async iterator). Use it with ``async with``, or await :meth:`aclose`. The constructor's
    keywords are those of :class:`Client`."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP clients, sandboxes and the connection store (made again if used later)."""
        for client in self._http.values():
            await client.aclose()
        self._http.clear()
        self._close_local()

    def _client_for(self, transport: str | None) -> Any:
        import httpx

        if transport not in self._http:
            carrier = None
            if transport is not None:
                from ._sandbox.transport import AsyncSandboxTransport

                carrier = AsyncSandboxTransport(self.sandbox_runtime(transport.partition(":")[2]))
            self._http[transport] = httpx.AsyncClient(transport=carrier, timeout=self._http_timeout(), follow_redirects=False)
        return self._http[transport]

    async def _drive(self, ops: Ops[Any]) -> Any:
        from ._http.runners import run_async

        return await run_async(ops, self._client_for)

    def _iterate(self, ops: Ops[Any]) -> AsyncIterator[Any]:
        from ._http.runners import iterate_async

        return iterate_async(ops, self._client_for)
