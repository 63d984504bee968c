"""The over-the-wire way into a sandbox: a threaded HTTP/1.1 server on loopback, TLS optional.

Any client (curl, the platforms' official SDKs, tether with a ``baseUrl`` setting) can talk
to it; every request goes through the same :meth:`Runtime.handle` as the in-process transport.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .app import SandboxRequest, malformed
from .runtime import Runtime

log = logging.getLogger("tether.sandbox.server")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tether-sandbox"
    # Headers and body go out as separate writes; without this, delayed ACKs add ~40 ms a request.
    disable_nagle_algorithm = True
    server: SandboxServer

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        body = self._read_body()
        path, _, query = self.path.partition("?")
        if path.startswith(("http://", "https://")):  # absolute-form request target (proxies)
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        req = SandboxRequest(
            method=self.command,
            host=self.headers.get("Host", ""),
            path=path,
            query_string=query,
            headers={k: v for k, v in self.headers.items()},
            body=body,
        )
        outcome = self.server.runtime.handle(req)
        if outcome.delay:
            time.sleep(outcome.delay)
        if outcome.reply is None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        content, headers = outcome.reply.encoded()
        self.send_response(outcome.reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def parse_request(self) -> bool:
        """http.server's parsing, plus what h11 refuses and it lets through: a method that is
        not a token, a header name that is not one, a header value with a NUL (400)."""
        if not super().parse_request():
            return False
        if malformed(self.command, ((k, v.strip(" \t")) for k, v in self.headers.items())):
            self.send_error(400, "Bad request")
            return False
        return True

    def __getattr__(self, name: str) -> Any:
        # Every well-formed method reaches the sandbox, which answers as the platform would
        # (404 or 405) rather than http.server's 501.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.client_address[0], *args)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, runtime: Runtime, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None):
        self.runtime = runtime
        self.ssl_context = ssl_context
        super().__init__((host, port), _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.ssl_context is not None:
            # The handshake runs in the worker thread, so a slow client never stalls accept().
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                log.debug("TLS handshake with %s failed: %s", client_address, exc)
                return
        super().finish_request(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        scheme = "https" if self.ssl_context else "http"
        shown = f"[{host}]" if ":" in str(host) else host
        return f"{scheme}://{shown}:{port}"

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="tether-sandbox", daemon=True)
        thread.start()
        return thread
