"""The Python API: :class:`Client` and :class:`AsyncClient`, the same verbs as the CLI.

Both run the operations :class:`~tether._base_client.BaseClient` describes; a sync client
with ``httpx.Client``, an async one with ``httpx.AsyncClient``::

    with tether.Client() as client:
        conn = client.sandbox_connection("engage")
        user = client.run("create-user", connection_id=conn.id, input={"uid": "ada"})
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any

from ._base_client import ALL_STATUSES, BaseClient, nest, split_action_ref
from ._errors import TetherError
from ._models import CLIENT_ACTION_REQUIRED, Connection, Result
from ._wire import UNSET, Response

__all__ = ["ALL_STATUSES", "AsyncClient", "Client", "nest", "split_action_ref"]


def fingerprint(conn: Connection) -> tuple[Any, ...] | None:
    """What ``wait_connection`` watches: the state, its error, the pending client action and
    which credential fields are set (a key rotation keeps READY but changes the last two).
    None when nothing waits for the user: then there is nothing to wait for."""
    if conn.state != CLIENT_ACTION_REQUIRED and conn.client_action is None:
        return None
    return (conn.state, conn.error, conn.client_action, conn.credential_fields)


class Client(BaseClient):
    """The synchronous API. Use it as a context manager, or call :meth:`close`.

    One client may be shared by threads: its HTTP clients, sandboxes, connection store and
    pacing are made once under a lock and are safe to use concurrently.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._http: dict[Any, Any] = {}

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
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

    def _drive(self, ops: Any) -> Any:
        from ._http.runners import run_sync

        return run_sync(ops, self._client_for)

    def connect(
        self,
        connector_id: str,
        *,
        name: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        sandbox: bool = False,
        verify: bool = True,
    ) -> Connection:
        """Create a connection; with ``sandbox``, to the connector's sandbox with its credentials.

        Credentials are checked with a cheap authenticated read unless ``verify`` is false;
        refused ones leave the connection in ``CONFIGURATION_ERROR``, missing ones in
        ``CLIENT_ACTION_REQUIRED``.
        """
        return self._drive(self._connect_ops(connector_id, name, credentials, settings, sandbox, verify))

    def sandbox_connection(self, connector_id: str) -> Connection:
        """The READY in-process sandbox connection of a connector, made on first use."""
        return self._drive(self._sandbox_connection_ops(connector_id))

    def update_connection(
        self, ref: str, *, credentials: Mapping[str, Any] | None = None, settings: Mapping[str, Any] | None = None, verify: bool = True
    ) -> Connection:
        """Add or replace credentials or settings, then check them."""
        return self._drive(self._update_ops(ref, credentials, settings, verify))

    def test_connection(self, ref: str) -> Connection:
        """Check the credentials against the platform and record the resulting state."""
        return self._drive(self._test_ops(ref))

    def ensure_connection(self, url_or_domain: str) -> Connection:
        """The connection for the app at this URL or domain, created (awaiting credentials) if none."""
        return self._drive(self._ensure_ops(url_or_domain))

    def wait_connection(self, ref: str, timeout: float = 300.0, interval: float = 0.25) -> Connection:
        """Poll until a connection that waits for its user changes state (see :func:`fingerprint`),
        or ``timeout`` passes; a connection nothing waits on is returned at once."""
        deadline = time.monotonic() + timeout
        conn = self.store.get(ref)
        start = fingerprint(conn)
        while start is not None and fingerprint(conn) == start and time.monotonic() < deadline:
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            conn = self.store.get(ref)
        return conn

    def run(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Any:
        """Run an action and return its output; raises a :class:`~tether._errors.TetherError`.

        ``action`` is a key (``create-user``) or an id (``engage.create-user``). For a
        paginated action, ``input={"all": True}`` returns every item.
        """
        return self._drive(self._run_ops(self._prepare(action, connection_id, input)))

    def execute(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Result:
        """Like :meth:`run`, but returns a :class:`~tether._models.Result` instead of raising."""
        try:
            return Result(output=self.run(action, connection_id=connection_id, input=input))
        except TetherError as exc:
            return Result(error=exc)

    def bulk(
        self,
        action: str | None,
        *,
        connection_id: str | None,
        records: Iterable[Any],
        concurrency: int = 4,
        job_id: str | None = None,
        batch: bool = True,
    ) -> Any:
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

    def paginate(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a paginated action, one page in memory at a time."""
        from ._http.runners import iterate_sync

        prepared = self._prepare(action, connection_id, {**(input or {}), "all": True})
        return iterate_sync(self._paginate_ops(prepared), self._client_for)

    def request(
        self,
        connection_id: str,
        path: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        path_params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        data: Any = None,
        content: bytes | None = None,
        api: str | None = None,
    ) -> Response:
        """Send a raw request through the connection (auth added); any status is returned."""
        body = dict(headers=headers, params=params, path_params=path_params, json=json, data=data, content=content)
        return self._drive(self._request_ops(connection_id, path, method, api, **body))


class AsyncClient(BaseClient):
    """The asynchronous API: the same verbs as :class:`Client`, awaited."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._http: dict[Any, Any] = {}

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
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

    async def _drive(self, ops: Any) -> Any:
        from ._http.runners import run_async

        return await run_async(ops, self._client_for)

    async def connect(
        self,
        connector_id: str,
        *,
        name: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        sandbox: bool = False,
        verify: bool = True,
    ) -> Connection:
        return await self._drive(self._connect_ops(connector_id, name, credentials, settings, sandbox, verify))

    async def sandbox_connection(self, connector_id: str) -> Connection:
        return await self._drive(self._sandbox_connection_ops(connector_id))

    async def update_connection(
        self, ref: str, *, credentials: Mapping[str, Any] | None = None, settings: Mapping[str, Any] | None = None, verify: bool = True
    ) -> Connection:
        return await self._drive(self._update_ops(ref, credentials, settings, verify))

    async def test_connection(self, ref: str) -> Connection:
        return await self._drive(self._test_ops(ref))

    async def ensure_connection(self, url_or_domain: str) -> Connection:
        return await self._drive(self._ensure_ops(url_or_domain))

    async def wait_connection(self, ref: str, timeout: float = 300.0, interval: float = 0.25) -> Connection:
        deadline = time.monotonic() + timeout
        conn = self.store.get(ref)
        start = fingerprint(conn)
        while start is not None and fingerprint(conn) == start and time.monotonic() < deadline:
            import asyncio  # here, not at import: the sync CLI never needs it (start-up time)

            await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            conn = self.store.get(ref)
        return conn

    async def run(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Any:
        return await self._drive(self._run_ops(self._prepare(action, connection_id, input)))

    async def execute(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> Result:
        try:
            return Result(output=await self.run(action, connection_id=connection_id, input=input))
        except TetherError as exc:
            return Result(error=exc)

    def paginate(self, action: str, *, connection_id: str, input: Mapping[str, Any] | None = None) -> AsyncIterator[Any]:
        from ._http.runners import iterate_async

        prepared = self._prepare(action, connection_id, {**(input or {}), "all": True})
        return iterate_async(self._paginate_ops(prepared), self._client_for)

    async def request(
        self,
        connection_id: str,
        path: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        path_params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        data: Any = None,
        content: bytes | None = None,
        api: str | None = None,
    ) -> Response:
        body = dict(headers=headers, params=params, path_params=path_params, json=json, data=data, content=content)
        return await self._drive(self._request_ops(connection_id, path, method, api, **body))
