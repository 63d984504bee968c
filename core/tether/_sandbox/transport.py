"""The in-process way into a sandbox: httpx transports, no sockets.

The async transport works on any anyio backend (asyncio or trio); anyio is imported on its
first request, so the sync path never loads it.
"""

from __future__ import annotations

import time

import httpx

from .app import SandboxRequest, malformed
from .runtime import Outcome, Runtime


def _malformed(request: httpx.Request) -> bool:
    # httpx leaves these checks to the connection it writes to, and here there is none.
    return malformed(request.method, ((name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw))


def _bad_request(request: httpx.Request) -> httpx.Response:
    return httpx.Response(400, headers={"Content-Type": "text/plain"}, content=b"Bad Request", request=request)


def _to_sandbox(request: httpx.Request, body: bytes) -> SandboxRequest:
    url = request.url
    return SandboxRequest(
        method=request.method,
        host=url.host,
        path=url.raw_path.split(b"?", 1)[0].decode("ascii"),
        query_string=url.query.decode("ascii"),
        headers=dict(request.headers),
        body=body,
    )


def _read_timeout(request: httpx.Request) -> float | None:
    return (request.extensions.get("timeout") or {}).get("read")


def _to_httpx(request: httpx.Request, outcome: Outcome) -> httpx.Response:
    if outcome.reply is None:
        if outcome.processed or (outcome.fault and outcome.fault.kind == "drop-after"):
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        raise httpx.ConnectError("Connection refused (sandbox fault: drop-before)", request=request)
    content, headers = outcome.reply.encoded()
    return httpx.Response(outcome.reply.status, headers=headers, content=content, request=request)


class SandboxTransport(httpx.BaseTransport):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if _malformed(request):
            return _bad_request(request)
        outcome = self.runtime.handle(_to_sandbox(request, request.read()))
        if outcome.delay:
            limit = _read_timeout(request)
            if limit is not None and outcome.delay > limit:
                time.sleep(limit)
                raise httpx.ReadTimeout("timed out waiting for the sandbox (sandbox fault: slow)", request=request)
            time.sleep(outcome.delay)
        return _to_httpx(request, outcome)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import anyio.to_thread

        if _malformed(request):
            return _bad_request(request)
        body = await request.aread()
        # SQLite work is short; a thread keeps the event loop free while another request waits on the lock.
        outcome = await anyio.to_thread.run_sync(self.runtime.handle, _to_sandbox(request, body))
        if outcome.delay:
            limit = _read_timeout(request)
            if limit is not None and outcome.delay > limit:
                await anyio.sleep(limit)
                raise httpx.ReadTimeout("timed out waiting for the sandbox (sandbox fault: slow)", request=request)
            await anyio.sleep(outcome.delay)
        return _to_httpx(request, outcome)
