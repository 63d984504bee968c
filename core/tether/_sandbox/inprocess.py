"""The in-process way into a sandbox: an engine request handed to the runtime, no sockets and
no httpx (a sandbox run of the CLI never loads it).

What a socket and a server would do is done here, once, for both ways in that skip them: the
engine's carriers (:class:`InProcessCarrier`, :class:`AsyncInProcessCarrier`) and the httpx
transports of :mod:`.transport` (plain httpx clients and the platforms' own SDKs in tests).
A request a server refuses (h11's rules) is answered 400 before routing; a dropped connection
(fault ``drop-before``/``drop-after``) and a slow answer beyond the read timeout (fault
``slow``) come back as the transport failures httpx would raise, under httpx's names.

The async carrier works on any anyio backend (asyncio or trio); anyio is imported on its
first request, so the sync path never loads it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from .._http.messages import Answer, AnswerLost, ConnectFailed, Outgoing, TransportFailure, Url, answer_of, joined
from .app import SandboxRequest, malformed
from .runtime import Outcome, Runtime

DEFAULT_READ_TIMEOUT = 30.0
"""As the engine's default timeout (``tether._http.engine.DEFAULT_TIMEOUTS``)."""
BAD_REQUEST = (400, {"Content-Type": "text/plain"}, b"Bad Request")
"""What an HTTP/1.1 server answers to a request it cannot parse."""


def read_timeout(timeout: Any) -> float | None:
    """The read timeout in a client's ``timeout`` (seconds, an ``httpx.Timeout``, or None for
    the default), as httpx would apply it."""
    if timeout is None:
        return DEFAULT_READ_TIMEOUT
    if isinstance(timeout, (int, float)):
        return float(timeout)
    return timeout.read  # type: ignore[no-any-return]


def received(method: str, host: str, path: str, query: str, headers: Iterable[tuple[str, str]], body: bytes) -> SandboxRequest | None:
    """The request as the sandbox's server reads it (header names lower-case, repeated ones
    joined); None when a server would refuse it with 400 (see :func:`.app.malformed`)."""
    pairs = list(headers)
    if malformed(method, pairs):
        return None
    return SandboxRequest(method=method, host=host, path=path or "/", query_string=query, headers=joined(pairs), body=body)


def waited(outcome: Outcome, limit: float | None) -> tuple[float, TransportFailure | None]:
    """How long the answer takes (a ``slow`` fault), and the read timeout's failure when that is
    longer than ``limit`` (the wait is then ``limit``)."""
    delay = outcome.delay
    if delay and limit is not None and delay > limit:
        return limit, AnswerLost("timed out waiting for the sandbox (sandbox fault: slow)", "ReadTimeout")
    return delay, None


def reply_of(outcome: Outcome) -> tuple[int, dict[str, str], bytes] | TransportFailure:
    """The reply's status, headers and body; or, when the fault dropped the connection, what a
    client sees: refused (nothing done) or a connection closed without an answer."""
    if outcome.reply is None:
        if outcome.processed or (outcome.fault and outcome.fault.kind == "drop-after"):
            return AnswerLost("Server disconnected without sending a response.", "RemoteProtocolError")
        return ConnectFailed("Connection refused (sandbox fault: drop-before)", "ConnectError")
    content, headers = outcome.reply.encoded()
    return outcome.reply.status, headers, content


def _received(request: Outgoing) -> SandboxRequest | None:
    url = request.url
    return received(request.method, url.host, url.path, url.query or "", request.wire_headers(), request.content or b"")


def _settled(outcome: Outcome, url: Url) -> Answer | TransportFailure:
    reply = reply_of(outcome)
    if isinstance(reply, TransportFailure):
        return reply
    status, headers, content = reply
    return answer_of(status, headers, content, url)


class InProcessCarrier:
    """Carries the engine's requests into ``runtime``, in the calling thread."""

    def __init__(self, runtime: Runtime, timeout: Any = None):
        self.runtime = runtime
        self.read_timeout = read_timeout(timeout)

    def __repr__(self) -> str:
        return f"InProcessCarrier({self.runtime!r})"

    def send(self, request: Outgoing) -> Answer | TransportFailure:
        sandboxed = _received(request)
        if sandboxed is None:
            return answer_of(*BAD_REQUEST, request.url)
        outcome = self.runtime.handle(sandboxed)
        wait, failure = waited(outcome, self.read_timeout)
        if wait:
            time.sleep(wait)
        return failure or _settled(outcome, request.url)

    def close(self) -> None:
        """Nothing to close: the runtime belongs to the client (closed with it)."""


class AsyncInProcessCarrier(InProcessCarrier):
    """The same, for an event loop: the runtime's (short, SQLite) work runs in a worker thread,
    so the loop stays free while another request waits on the runtime's lock."""

    async def send(self, request: Outgoing) -> Answer | TransportFailure:  # type: ignore[override]
        import anyio
        import anyio.to_thread

        sandboxed = _received(request)
        if sandboxed is None:
            return answer_of(*BAD_REQUEST, request.url)
        outcome = await anyio.to_thread.run_sync(self.runtime.handle, sandboxed)
        wait, failure = waited(outcome, self.read_timeout)
        if wait:
            await anyio.sleep(wait)
        return failure or _settled(outcome, request.url)

    async def aclose(self) -> None:
        """Nothing to close (see :meth:`InProcessCarrier.close`)."""
