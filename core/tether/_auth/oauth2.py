"""OAuth 2.0: the authorization-code grant through a loopback redirect, and token refresh.

Credential fields: ``client_id``, ``client_secret`` (given by the user) and ``access_token``,
``refresh_token``, ``expires_at`` (epoch seconds; written by tether). The engine refreshes
shortly before expiry and once after a 401; the connection store serialises refreshes so
two processes never spend the same (rotating) refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .._errors import AuthError, ConfigurationError
from .._redact import add_secret
from . import AuthKind

EXPIRY_MARGIN = 60.0  # refresh this many seconds before the access token expires


def _token_fields(body: Mapping[str, Any], previous: Mapping[str, Any], now: float) -> dict[str, Any]:
    if not isinstance(body, Mapping) or "access_token" not in body:
        raise AuthError("the token endpoint answered without an access_token", body=body)
    out = dict(previous)
    out["access_token"] = body["access_token"]
    # Providers that rotate refresh tokens send a new one; others keep the old one valid.
    if body.get("refresh_token"):
        out["refresh_token"] = body["refresh_token"]
    if body.get("expires_in") is not None:
        out["expires_at"] = now + float(body["expires_in"])
    else:
        out.pop("expires_at", None)
    for key in ("access_token", "refresh_token"):
        add_secret(out.get(key))
    return out


class OAuth2(AuthKind):
    """params: ``authorize_url``, ``token_url``, ``scopes`` (list), ``client_auth`` (``body``|``basic``)."""

    name = "oauth2"
    refreshable = True

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("client_id", "client_secret", "access_token")

    def user_fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("client_id", "client_secret")

    def authorize(self, params: Mapping[str, Any], creds: Mapping[str, Any], open_url: Callable[[str], None]) -> dict[str, Any]:
        tokens = authorize(params, str(creds["client_id"]), str(creds["client_secret"]), open_url=open_url, timeout=float(params.get("timeout", 300)))
        return {**creds, **tokens}

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        token = str(creds["access_token"])
        add_secret(token)
        return {"Authorization": f"Bearer {token}"}

    def needs_refresh(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> bool:
        expires_at = creds.get("expires_at")
        return expires_at is not None and float(expires_at) - time.time() < EXPIRY_MARGIN

    def token_request(self, params: Mapping[str, Any], creds: Mapping[str, Any], form: dict[str, str]):
        import httpx

        headers = {"Accept": "application/json"}
        if params.get("client_auth") == "basic":
            raw = f"{creds['client_id']}:{creds['client_secret']}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        else:
            form = {**form, "client_id": creds["client_id"], "client_secret": creds["client_secret"]}
        return httpx.Request("POST", params["token_url"], data=form, headers=headers)

    def refresh(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> Generator[Any, Any, dict]:
        from .._http.engine import Send

        if not creds.get("refresh_token"):
            raise AuthError("the access token expired and there is no refresh token: reconnect")
        request = self.token_request(params, creds, {"grant_type": "refresh_token", "refresh_token": creds["refresh_token"]})
        response = yield Send(request)
        if isinstance(response, Exception):
            raise AuthError(f"token refresh failed: {response}")
        body = _json_or_none(response.content)
        if response.status_code != 200:
            raise AuthError(f"token refresh refused ({response.status_code})", status=response.status_code, body=body)
        return _token_fields(body, creds, time.time())


def _json_or_none(content: bytes) -> Any:
    import json

    try:
        return json.loads(content)
    except ValueError:
        return None


def _callback_server() -> Any:
    """A server on 127.0.0.1 (random port) for the grant's redirect. ``http.server`` (with
    http.client, ssl and email) is loaded only for a grant, never by an ordinary run."""
    import http.server

    class _CallbackHandler(http.server.BaseHTTPRequestHandler):
        result: dict[str, str]
        done: threading.Event

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            if urlsplit(self.path).path != "/callback":
                self.send_error(404)
                return
            self.server.result.update(query)  # type: ignore[attr-defined]
            ok = "code" in query
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"tether: connected, you can close this tab.\n" if ok else b"tether: authorization failed.\n")
            self.server.done.set()  # type: ignore[attr-defined]

        def log_message(self, *args: Any) -> None:
            pass

    return http.server.HTTPServer(("127.0.0.1", 0), _CallbackHandler)


def authorize(
    params: Mapping[str, Any],
    client_id: str,
    client_secret: str,
    *,
    open_url: Callable[[str], None],
    timeout: float = 300.0,
    http_client: Any = None,
) -> dict[str, Any]:
    """Run the authorization-code grant with PKCE; returns the credential fields to store.

    A server on 127.0.0.1 (random port) receives the redirect; ``open_url`` shows the
    authorization URL to the user (a browser, or a printed line on a headless machine).
    """
    import httpx

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)

    server = _callback_server()
    server.result = {}  # type: ignore[attr-defined]
    server.done = threading.Event()  # type: ignore[attr-defined]
    redirect_uri = f"http://127.0.0.1:{server.server_port}/callback"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if params.get("scopes"):
            query["scope"] = " ".join(params["scopes"])
        sep = "&" if "?" in params["authorize_url"] else "?"
        open_url(params["authorize_url"] + sep + urlencode(query))
        if not server.done.wait(timeout):  # type: ignore[attr-defined]
            raise ConfigurationError(f"no authorization arrived within {timeout:.0f}s")
    finally:
        server.shutdown()
        server.server_close()
    result: dict[str, str] = server.result  # type: ignore[attr-defined]
    if result.get("state") != state:
        raise AuthError("authorization answered with the wrong state (possible forgery); nothing stored")
    if "code" not in result:
        raise AuthError(f"authorization refused: {result.get('error_description') or result.get('error') or 'no code'}")

    creds = {"client_id": client_id, "client_secret": client_secret}
    kind = OAuth2()
    form = {"grant_type": "authorization_code", "code": result["code"], "redirect_uri": redirect_uri, "code_verifier": verifier}
    request = kind.token_request(params, creds, form)
    client = http_client or httpx.Client(timeout=30)
    try:
        response = client.send(request)
    finally:
        if http_client is None:
            client.close()
    body = _json_or_none(response.content)
    if response.status_code != 200:
        raise AuthError(f"code exchange refused ({response.status_code})", status=response.status_code, body=body)
    return _token_fields(body, creds, time.time())
