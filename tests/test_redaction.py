"""Secrets are masked at each layer on its own: the Redactor's forms, the engine without the CLI
formatter, the CLI formatter without the engine, and credential headers across redirects."""

from __future__ import annotations

import base64
import json
import logging
import secrets
from urllib.parse import quote, quote_plus

import httpx
import pytest

from connector_plugins import ConnectorPlugin, plugins_with
from tether._http.carriers import NetworkCarrier
from tether import hookimpl
from tether._auth import BasicAuth, BearerAuth
from tether._client import Client
from tether._errors import TetherError, UsageError
from tether._models import Action, Api, AuthSpec, Connector
from tether._plugins import Plugins
from tether._redact import MASK, Redactor
from tether.testing import fast_retry
from tether._wire import Request

OPEN = {"type": "object"}


def fresh(prefix: str = "sk") -> str:
    """A secret no earlier test registered (the process-wide redactor remembers values)."""
    return f"{prefix}_{secrets.token_hex(8)}"


# -- the Redactor ---------------------------------------------------------------------------------


def test_raw_form():
    r = Redactor()
    r.add("sk_live_4f9a2b7c")
    assert r.redact("key sk_live_4f9a2b7c was refused; sk_live_4f9a2b7c again") == "key *** was refused; *** again"


def test_url_quoted_forms():
    r = Redactor()
    secret = "p@ss w/rd+42"
    r.add(secret)
    assert quote(secret, safe="") == "p%40ss%20w%2Frd%2B42" and quote_plus(secret, safe="") == "p%40ss+w%2Frd%2B42"
    assert r.redact("GET /cb?token=p%40ss%20w%2Frd%2B42&x=1") == "GET /cb?token=***&x=1"
    assert r.redact("body: token=p%40ss+w%2Frd%2B42&x=1") == "body: token=***&x=1"


def test_base64_form():
    r = Redactor()
    r.add("hunter2-long")
    assert base64.b64encode(b"hunter2-long").decode() == "aHVudGVyMi1sb25n"
    assert r.redact("X-Encoded: aHVudGVyMi1sb25n") == "X-Encoded: ***"


def test_bearer_and_basic_header_forms(monkeypatch):
    r = Redactor()
    monkeypatch.setattr("tether._redact.add_secret", r.add)  # what the auth kinds register goes here
    bearer = BearerAuth().headers({"token": "t"}, {"t": "tok-9f8e7d6c"})
    basic = BasicAuth().headers({"username": "u", "password": "p"}, {"u": "site-17", "p": "pw-3c4d5e6f"})
    assert r.redact(f"Authorization: {bearer['Authorization']}") == "Authorization: Bearer ***"
    assert r.redact(f"Authorization: {basic['Authorization']}") == "Authorization: Basic ***"
    assert r.redact("password was pw-3c4d5e6f") == "password was ***"


def test_whitespace_around_a_secret_and_escaped_forms():
    r = Redactor()
    r.add("abcd1234efgh\n")
    assert r.redact("Illegal header value b'Bearer abcd1234efgh\\n'") == "Illegal header value b'Bearer ***'"
    assert r.redact("as pasted: abcd1234efgh") == "as pasted: ***"
    assert r.redact(json.dumps({"k": "abcd1234efgh\n"})) == '{"k": "***"}'


def test_a_secret_as_a_python_repr_shows_it():
    r = Redactor()
    r.add("ab\x01cdefgh")  # a control character: repr writes \x01, JSON \u0001
    assert r.redact(repr("ab\x01cdefgh")) == "'***'"
    assert r.redact(json.dumps("ab\x01cdefgh")) == '"***"'


def test_short_values_and_other_text_are_left_alone():
    r = Redactor()
    r.add("abc")
    r.add(None)
    r.add(12345)
    assert r.redact("abc 12345") == "abc 12345"
    r.add("longer-secret")
    assert r.redact_obj({"longer-secret": ["x longer-secret", 3]}) == {MASK: [f"x {MASK}", 3]}


# -- the engine alone (no CLI formatter) ----------------------------------------------------------


def _thing(inp, ctx):
    response = yield Request("GET", "/things/1")
    return response.json()


def _connector(auth: AuthSpec, base: str = "https://api.keyed.example") -> Connector:
    return Connector(
        key="keyed",
        name="Keyed",
        description="A platform with a key.",
        apis=(Api("default", base, auth),),
        credentials={"type": "object", "properties": {"api_key": {"type": "string", "writeOnly": True}, "account": {"type": "string"}}},
        actions=lambda: (Action("get-thing", "Get thing", "A thing.", "thing", OPEN, OPEN, _thing, read_only=True, idempotent=True),),
    )


HEADER_AUTH = AuthSpec("header", {"headers": {"X-Api-Key": "api_key", "X-Account": "account"}, "secret": ["api_key"]})


class Spy:
    __name__ = "spy"

    def __init__(self):
        self.headers = []

    @hookimpl
    def http_request(self, run, exchange):
        self.headers.append(dict(exchange.headers))


def test_engine_masks_credential_headers_even_if_the_redactor_knows_nothing(loopback, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("tether._redact.add_secret", lambda value: None)  # no value is registered anywhere
    key = fresh()
    server = loopback()
    server.handler = lambda r: (200, {"Content-Type": "application/json"}, b"{}")
    spy = Spy()
    plugins = Plugins([ConnectorPlugin(_connector(HEADER_AUTH)), spy], load_entry_points=False)
    with Client(home=tmp_path, plugins=plugins, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("keyed", credentials={"api_key": key, "account": "acme"}, settings={"baseUrl": server.url}, verify=False)
        with caplog.at_level(logging.DEBUG, logger="tether"):
            client.run("get-thing", connection_id=conn.id)
    assert server.requests[0].headers["x-api-key"] == key  # it was sent
    sent = [r.getMessage() for r in caplog.records if r.getMessage().startswith("→ GET")]
    assert len(sent) == 1 and "'x-api-key': '***'" in sent[0] and "'x-account': '***'" in sent[0]
    assert key not in "\n".join(r.getMessage() for r in caplog.records)
    assert spy.headers[0]["x-api-key"] == "***" and spy.headers[0]["x-account"] == "***"


def test_engine_redacts_transport_errors_that_quote_a_header(tmp_path, monkeypatch):
    """httpx/h11 put the header value in the exception text: the engine's error masks it."""
    key = fresh()
    plugins = plugins_with(_connector(AuthSpec("bearer", {"token": "api_key"})))
    with Client(home=tmp_path, plugins=plugins, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("keyed", credentials={"api_key": key}, verify=False)

        def refuse(request):
            raise httpx.LocalProtocolError(f"Illegal header value b'Bearer {key}\\n'")

        fake = NetworkCarrier(httpx.Client(transport=httpx.MockTransport(refuse)))
        monkeypatch.setattr(client, "_client_for", lambda transport: fake)
        with pytest.raises(UsageError) as info:
            client.run("get-thing", connection_id=conn.id)
    assert info.value.message == (
        "GET Keyed: refused locally before sending (illegal header or method) "
        "(Illegal header value b'Bearer ***\\n'); nothing was sent"
    )


# -- the CLI formatter alone (no engine) ----------------------------------------------------------


def test_cli_formatter_redacts_what_the_engine_let_through(capsys):
    from tether._cli.support import emit, fail, pretty, setup_logging, table
    from tether._redact import add_secret

    key = fresh()
    add_secret(key)  # as loading a connection's credentials does
    with pytest.raises(SystemExit) as exited:
        fail(TetherError(f"upstream said {key}!", details={"echo": [key]}), True)
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert json.loads(out) == {"error": {"type": "error", "message": "upstream said ***!", "details": {"echo": ["***"]}}}
    assert err == "error: upstream said ***!\n"
    emit({"token": key})
    pretty({"token": key})
    table([{"token": key}], [("token", "token")])
    out, _ = capsys.readouterr()
    assert out == '{"token": "***"}\n{\n  "token": "***"\n}\nTOKEN\n***\n'
    setup_logging(1)
    try:
        logging.getLogger("tether.test").debug("header was %s", key)
        _, err = capsys.readouterr()
        assert err == "tether DEBUG tether.test: header was ***\n"
    finally:
        logging.getLogger("tether").handlers[:] = []
        logging.getLogger("tether").propagate = True
        logging.getLogger("tether").setLevel(logging.NOTSET)


# -- redirects ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "names"),
    [(HEADER_AUTH, {"x-api-key", "x-account"}), (AuthSpec("bearer", {"token": "api_key"}), {"authorization"})],
    ids=["header", "bearer"],
)
def test_https_to_http_redirect_on_the_same_host_and_port_strips_credentials(auth, names, tmp_path, monkeypatch):
    seen = []

    def platform(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"Location": "http://api.keyed.example:8443/things/1"})
        return httpx.Response(200, json={"id": "1"})

    plugins = plugins_with(_connector(auth, "https://api.keyed.example:8443"))
    with Client(home=tmp_path, plugins=plugins, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("keyed", credentials={"api_key": fresh(), "account": "acme"}, verify=False)
        fake = NetworkCarrier(httpx.Client(transport=httpx.MockTransport(platform)))
        monkeypatch.setattr(client, "_client_for", lambda transport: fake)
        assert client.run("get-thing", connection_id=conn.id) == {"id": "1"}
    first, second = seen
    assert (first.url.scheme, first.url.host, first.url.port) == ("https", "api.keyed.example", 8443)
    assert (second.url.scheme, second.url.host, second.url.port) == ("http", "api.keyed.example", 8443)
    assert names <= {k.lower() for k in first.headers}
    assert not names & {k.lower() for k in second.headers}
