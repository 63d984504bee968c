"""A proxy named by the environment (``HTTP_PROXY``, as httpx and every HTTP tool read it) carries
tether's requests: people behind a corporate proxy need nothing more. The request reaches the
proxy in absolute form and the answer comes back through it."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from tether import Client


class RecordingProxy:
    """A loopback "proxy" that answers every request itself and records what it was asked."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.seen: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.seen.append(data)
                body = json.dumps({"data": {"uid": "u-1", "email": "u@example.com"}}).encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def proxy(monkeypatch):
    """A recording proxy that HTTP_PROXY names (and no NO_PROXY exempts anything from)."""
    found = RecordingProxy()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{found.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield found
    found.close()


def test_requests_go_through_the_proxy_the_environment_names(tmp_path, proxy):
    with Client(home=tmp_path, secrets_backend="file") as client:
        conn = client.connect(
            "engage", credentials={"public_key": "pk", "private_key": "sk"},
            settings={"baseUrl": "http://api.engage.example"}, verify=False,
        )
        result = client.execute("get-user", connection_id=conn.id, input={"uid": "u-1"})
    assert result.error is None, result.error
    assert proxy.seen, "nothing reached the proxy"
    request_line = proxy.seen[-1].split(b"\r\n", 1)[0]
    assert request_line.startswith(b"GET http://api.engage.example/"), request_line
    assert b"/users/u-1" in request_line


def test_the_async_client_goes_through_the_proxy_too(tmp_path, proxy):
    import asyncio

    from tether import AsyncClient

    async def main() -> object:
        async with AsyncClient(home=tmp_path, secrets_backend="file") as client:
            conn = await client.connect(
                "engage", credentials={"public_key": "pk", "private_key": "sk"},
                settings={"baseUrl": "http://api.engage.example"}, verify=False,
            )
            return await client.execute("get-user", connection_id=conn.id, input={"uid": "u-2"})

    result = asyncio.run(main())
    assert result.error is None, result.error  # type: ignore[attr-defined]
    assert proxy.seen and proxy.seen[-1].startswith(b"GET http://api.engage.example/"), proxy.seen
