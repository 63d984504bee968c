"""The credential page's server process: ``python -m tether._credential_page.server ID LIFETIME``.

Security, in the order a request meets it:

* it listens on 127.0.0.1 only, and answers only when the ``Host`` header names that address
  or ``localhost`` with its own port (a web page on a rebinding domain gets 403);
* every path but ``/<token>`` is 404; the token is 256 random bits, compared in constant time;
* each rendered form carries a single-use CSRF nonce, and a POST must come from the page's own
  origin; a replayed or forged submit gets 403;
* nothing is logged (``log_message`` is silenced, stderr is /dev/null), submitted values are
  never echoed back into the page, and messages pass through :func:`tether._redact.redact`.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl

from . import html

MAX_BODY = 64 * 1024
POLL = 1.0  # seconds between checks of the connection's state while idle


class CredentialPage:
    """What the page does, apart from HTTP: render the form and apply one submit."""

    def __init__(self, client: Any, connection_id: str):
        self.client = client
        self.connection_id = connection_id
        conn = client.connection(connection_id)
        self.start_state = conn.state
        self.rotation = conn.state != "CLIENT_ACTION_REQUIRED"
        self.connector = client.connector(conn.connector)
        self.nonces: set[str] = set()
        self.done = False

    def new_nonce(self) -> str:
        nonce = secrets.token_urlsafe(24)
        self.nonces.add(nonce)
        return nonce

    def take_nonce(self, nonce: str) -> bool:
        for known in list(self.nonces):
            if hmac.compare_digest(known, nonce):
                self.nonces.discard(known)
                return True
        return False

    def form(self, action: str, message: str = "") -> bytes:
        schema = self.connector.credentials
        conn = self.client.connection(self.connection_id)
        return html.form_page(
            connector_name=self.connector.name, connection_id=conn.id, where=schema.get("description", ""),
            fields=schema.get("properties") or {}, required=schema.get("required", ()),
            already_set=conn.credential_fields, csrf=self.new_nonce(), action=action, message=message,
            rotation=self.rotation,
        )

    def submit(self, values: dict[str, str], action: str) -> bytes:
        """Check the keys with the platform; keep them only if the platform accepts them."""
        from .._errors import AuthError, TetherError, UsageError
        from .._redact import redact

        from .._redact import add_secret

        fields = self.connector.credentials.get("properties") or {}
        given = {k: v.strip() for k, v in values.items() if k in fields and v.strip()}
        for name, value in given.items():  # masked in any message, even one about a value it refused
            if fields[name].get("writeOnly"):
                add_secret(value)
        if not given:
            return self.form(action, "Fill in at least one field.")
        before = self.client.connection(self.connection_id)
        saved = self.client.secrets.get(before.secret_ref) if before.secret_ref else {}
        name = self.connector.name
        try:
            conn = self.client.update_connection(self.connection_id, credentials=given, verify=True)
        except (UsageError, AuthError) as exc:
            self._restore(before, saved)
            return self.form(action, redact(f"Not saved: {exc.message}"))
        except TetherError as exc:  # the platform could not be reached: keep the keys, say so
            self.done = True
            return html.outcome_page(
                connector_name=name, title="Saved, not yet checked", good=False,
                message=redact(f"{name} could not be reached to check the keys ({exc.message}). They are saved; "
                               f"run `tether connection test {self.connection_id}` later to check them."),
            )
        if conn.state == "READY":
            self.done = True
            return html.outcome_page(connector_name=name, title=f"Connected to {name}", good=True,
                                     message=f"{name} accepted the keys. The connection {conn.id} is ready.")
        if conn.state == "CONFIGURATION_ERROR":
            self._restore(before, saved)
            reason = (conn.error or {}).get("message", "")
            return self.form(action, redact(f"{name} refused these keys ({reason}). Check them and try again."))
        missing = (conn.client_action or {}).get("description", "Some fields are still missing.")
        return self.form(action, redact(missing))

    def _restore(self, conn: Any, creds: dict[str, Any]) -> None:
        """Refused keys leave the connection as it was (a rotation never breaks a working one)."""
        if conn.secret_ref:
            self.client.secrets.put(conn.secret_ref, creds)
        self.client.store.save(conn)

    def withdraw(self, url: str) -> None:
        """On exit, take this page's URL out of the connection so nobody waits on a dead page."""
        import attrs

        try:
            conn = self.client.connection(self.connection_id)
        except Exception:
            return
        action = dict(conn.client_action or {})
        if action.get("uiUrl") != url:
            return
        if conn.state == "CLIENT_ACTION_REQUIRED":
            action.pop("uiUrl")
            action.pop("agentInstructions", None)  # they point at the page; the stored default is gone
            self.client.store.save(attrs.evolve(conn, client_action=action))
        else:
            self.client.store.save(attrs.evolve(conn, client_action=None))

    def finished(self) -> bool:
        """Done when submitted, when the connection became READY elsewhere, or was deleted."""
        if self.done:
            return True
        try:
            conn = self.client.connection(self.connection_id)
        except Exception:  # deleted, or its whole home is gone: nobody is waiting any more
            return True
        return not self.rotation and conn.state == "READY"


def make_handler(page: CredentialPage, token: str, port: int) -> type[BaseHTTPRequestHandler]:
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    path = f"/{token}"

    class Handler(BaseHTTPRequestHandler):
        server_version = "tether"
        sys_version = ""
        timeout = 30  # a stalled browser socket cannot hold the page forever

        def log_message(self, format: str, *args: Any) -> None:  # nothing is logged
            pass

        def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "same-origin")  # no-referrer would make POSTs say Origin: null
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            )
            self.end_headers()
            self.wfile.write(body)

        def _refuse(self, status: int, text: str) -> None:
            self._send(status, text.encode() + b"\n", "text/plain; charset=utf-8")

        def _checked(self) -> bool:
            if self.headers.get("Host", "") not in hosts:
                self._refuse(403, "forbidden host")
                return False
            given = self.path.split("?", 1)[0]
            if not hmac.compare_digest(given.encode(), path.encode()):
                self._refuse(404, "not found")
                return False
            return True

        def do_GET(self) -> None:
            if self._checked():
                if page.done:
                    self._refuse(410, "this page has been used")
                else:
                    self._send(200, page.form(path))

        def do_POST(self) -> None:
            if not self._checked():
                return
            origin = self.headers.get("Origin")
            if origin is not None and origin not in {f"http://{h}" for h in hosts}:
                self._refuse(403, "forbidden origin")
                return
            length_text = self.headers.get("Content-Length") or "0"
            if not (length_text.isascii() and length_text.isdigit()):  # "-1" would read until the client gives up
                self._refuse(400, "bad Content-Length")
                return
            length = int(length_text)
            if length > MAX_BODY:
                self._refuse(413, "too large")
                return
            fields = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace"), keep_blank_values=True))
            if page.done or not page.take_nonce(fields.pop("_csrf", "")):
                self._refuse(403, "this form has expired or was already used; reload the page")
                return
            self._send(200, page.submit(fields, path))

    return Handler


def serve(connection_id: str, lifetime: float) -> None:
    import signal

    from .._client import Client
    from .._home import private_dir, private_file
    from . import pid_file

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)  # runs the finally below: the URL is withdrawn

    signal.signal(signal.SIGTERM, stop)

    token = secrets.token_urlsafe(32)
    with Client() as client:
        page = CredentialPage(client, connection_id)
        server = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        port = server.server_address[1]
        server.RequestHandlerClass = make_handler(page, token, port)
        server.timeout = POLL
        pid = pid_file(client.home, connection_id)  # written before the URL, so whoever gets the URL can stop us
        # Private like the rest of TETHER_HOME: stop_pages signals whatever pid this file names.
        private_dir(pid.parent)
        private_file(pid).write_text(str(os.getpid()))
        sys.stdout.write(json.dumps({"url": f"http://127.0.0.1:{port}/{token}"}) + "\n")
        sys.stdout.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the launcher stops reading
        deadline = time.monotonic() + lifetime
        try:
            while time.monotonic() < deadline and not page.finished():
                server.handle_request()
        finally:
            server.server_close()
            page.withdraw(f"http://127.0.0.1:{port}/{token}")
            if pid.exists() and pid.read_text() == str(os.getpid()):
                pid.unlink()


if __name__ == "__main__":
    serve(sys.argv[1], float(sys.argv[2]))
