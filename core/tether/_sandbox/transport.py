"""The in-process way into a sandbox for plain httpx clients: httpx transports, no sockets.

tether's own engine does not use these (its carriers in :mod:`.inprocess` need no httpx);
they serve ``tether.testing.sandbox_http`` and the platforms' official SDKs in tests. Both
share :mod:`.inprocess`'s checks, so a request is treated the same whichever way it comes in.

The async transport works on any anyio backend (asyncio or trio); anyio is imported on its
first request, so the sync path never loads it.
"""

from __future__ import annotations

import time

import httpx

from .app import SandboxRequest
from .inprocess import BAD_REQUEST, received, reply_of, waited
from .runtime import Outcome, Runtime

_RAISED = {"ReadTimeout": httpx.ReadTimeout, "RemoteProtocolError": httpx.RemoteProtocolError, "ConnectError": httpx.ConnectError}
"""The httpx exception for each failure :mod:`.inprocess` reports, by its name."""


def _to_sandbox(request: httpx.Request, body: bytes) -> SandboxRequest | None:
    # httpx leaves the checks of a malformed request to the connection it writes to, and here there is none.
    url = request.url
    headers = ((name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw)
    return received(request.method, url.host, url.raw_path.split(b"?", 1)[0].decode("ascii"), url.query.decode("ascii"), headers, body)


def _read_timeout(request: httpx.Request) -> float | None:
    return (request.extensions.get("timeout") or {}).get("read")


def _to_httpx(request: httpx.Request, outcome: Outcome) -> httpx.Response:
    reply = reply_of(outcome)
    if not isinstance(reply, tuple):
        raise _RAISED[reply.name](str(reply), request=request)
    status, headers, content = reply
    return httpx.Response(status, headers=headers, content=content, request=request)


def _bad_request(request: httpx.Request) -> httpx.Response:
    status, headers, content = BAD_REQUEST
    return httpx.Response(status, headers=headers, content=content, request=request)


class SandboxTransport(httpx.BaseTransport):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sandboxed = _to_sandbox(request, request.read())
        if sandboxed is None:
            return _bad_request(request)
        outcome = self.runtime.handle(sandboxed)
        wait, failure = waited(outcome, _read_timeout(request))
        if wait:
            time.sleep(wait)
        if failure is not None:
            raise _RAISED[failure.name](str(failure), request=request)
        return _to_httpx(request, outcome)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import anyio
        import anyio.to_thread

        sandboxed = _to_sandbox(request, await request.aread())
        if sandboxed is None:
            return _bad_request(request)
        # SQLite work is short; a thread keeps the event loop free while another request waits on the lock.
        outcome = await anyio.to_thread.run_sync(self.runtime.handle, sandboxed)
        wait, failure = waited(outcome, _read_timeout(request))
        if wait:
            await anyio.sleep(wait)
        if failure is not None:
            raise _RAISED[failure.name](str(failure), request=request)
        return _to_httpx(request, outcome)
