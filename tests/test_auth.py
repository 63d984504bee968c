"""Auth kinds: header, basic, bearer, OAuth 2 (loopback grant, refresh, rotation, no races),
and connectors whose APIs each take their own credential and base URL."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connector_plugins import plugins_with
from loopback_server import json_reply
from tether._auth import BasicAuth, BearerAuth, HeaderAuth
from tether._client import Client
from tether._errors import AuthError, ConfigurationError, UsageError
from tether._models import Action, Api, AuthSpec, Connector
from tether.testing import fast_retry
from tether._wire import Request

OPEN = {"type": "object"}


def test_builtin_kinds_build_headers():
    assert BasicAuth().headers({"username": "u", "password": "p"}, {"u": "site", "p": "key"}) == {"Authorization": "Basic " + base64.b64encode(b"site:key").decode()}
    assert BasicAuth().fields({"username": "u", "password": "p", "password_optional": True}) == ("u",)
    assert BearerAuth().headers({"token": "t"}, {"t": "abc"}) == {"Authorization": "Bearer abc"}
    kind = HeaderAuth()
    params = {"headers": {"X-Account-Id": "account", "X-Passcode": "passcode", "X-Region": "region"}, "optional": ["region"], "secret": ["passcode"]}
    assert kind.fields(params) == ("account", "passcode")
    assert kind.headers(params, {"account": "A1", "passcode": "P1"}) == {"X-Account-Id": "A1", "X-Passcode": "P1"}


# -- OAuth 2 ------------------------------------------------------------------------------------


class Provider:
    """An OAuth provider and API on loopback: rotating refresh tokens, revocable access tokens."""

    def __init__(self, server):
        self.server = server
        self.codes: dict[str, dict] = {}
        self.generation = 0
        self.valid_access: set[str] = set()
        self.valid_refresh: set[str] = set()
        self.refreshes = 0
        self.expires_in = 3600
        self.lock = threading.Lock()
        server.handler = self.handle

    def issue(self) -> dict:
        self.generation += 1
        access, refresh = f"at-{self.generation}-secretish", f"rt-{self.generation}-secretish"
        self.valid_access = {access}  # older access tokens stop working
        self.valid_refresh = {refresh}  # rotation: the old refresh token is spent
        return {"access_token": access, "refresh_token": refresh, "expires_in": self.expires_in, "token_type": "bearer"}

    def handle(self, r):
        path, _, query = r.path.partition("?")
        if path == "/authorize":
            q = {k: v[0] for k, v in parse_qs(query).items()}
            code = f"code-{len(self.codes)}"
            self.codes[code] = q
            return 302, {"Location": f"{q['redirect_uri']}?code={code}&state={q['state']}"}, b""
        if path == "/token":
            form = {k: v[0] for k, v in parse_qs(r.body.decode()).items()}
            if (form.get("client_id"), form.get("client_secret")) != ("cid", "csecret"):
                return json_reply(401, {"error": "invalid_client"})
            with self.lock:
                if form["grant_type"] == "authorization_code":
                    asked = self.codes.pop(form["code"], None)
                    challenge = base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest()).rstrip(b"=").decode()
                    if asked is None or asked["code_challenge"] != challenge or asked["redirect_uri"] != form["redirect_uri"]:
                        return json_reply(400, {"error": "invalid_grant"})
                    return json_reply(200, self.issue())
                if form["grant_type"] == "refresh_token":
                    if form["refresh_token"] not in self.valid_refresh:
                        return json_reply(400, {"error": "invalid_grant", "error_description": "refresh token already used"})
                    self.refreshes += 1
                    time.sleep(0.2)  # a slow provider widens any race window
                    return json_reply(200, self.issue())
        if path == "/api/me":
            token = r.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.valid_access:
                return json_reply(401, {"error": "invalid_token"})
            return json_reply(200, {"name": "Ada", "token_generation": int(token.split("-")[1])})
        return json_reply(404, {"error": "not found"})


def _me(inp, ctx):
    response = yield Request("GET", "/me")
    return response.json()


def oauth_connector(base: str) -> Connector:
    return Connector(
        key="oauthdemo",
        name="OAuth demo",
        description="A platform that authorizes with OAuth 2.",
        apis=(Api("default", base + "/api", AuthSpec("oauth2", {"authorize_url": base + "/authorize", "token_url": base + "/token", "scopes": ["read"]}), verify=("who-am-i", {})),),
        credentials={"type": "object", "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string", "writeOnly": True}}},
        actions=lambda: (Action("who-am-i", "Who am I", "The authorized user.", "user", {"type": "object", "additionalProperties": False}, OPEN, _me, read_only=True),),
    )


def browser(url: str) -> None:
    """The user clicks "Allow": follow the provider's redirect to tether's loopback callback."""
    threading.Thread(target=lambda: httpx.get(url, follow_redirects=True, timeout=10), daemon=True).start()


@pytest.fixture
def oauth(loopback, tmp_path):
    provider = Provider(loopback())
    plugins = plugins_with(oauth_connector(provider.server.url))
    made = []

    def client():
        c = Client(home=tmp_path / "home", plugins=plugins, retry=fast_retry(), secrets_backend="file", open_url=browser)
        made.append(c)
        return c

    yield provider, client
    for c in made:
        c.close()


def stored(client, conn):
    return client.secrets.get(conn.secret_ref)


def test_authorization_code_through_loopback_redirect(oauth):
    provider, make = oauth
    client = make()
    conn = client.connect("oauthdemo", credentials={"client_id": "cid", "client_secret": "csecret"})
    assert conn.state == "READY" and set(conn.credential_fields) >= {"access_token", "refresh_token", "expires_at"}
    assert client.run("who-am-i", connection_id=conn.id) == {"name": "Ada", "token_generation": 1}
    assert "at-1" not in json.dumps(conn.to_dict())


def test_refresh_before_expiry_saves_rotated_tokens_atomically(oauth):
    provider, make = oauth
    client = make()
    conn = client.connect("oauthdemo", credentials={"client_id": "cid", "client_secret": "csecret"})
    creds = stored(client, conn)
    client.secrets.put(conn.secret_ref, {**creds, "expires_at": time.time() + 5})  # inside the refresh margin
    assert client.run("who-am-i", connection_id=conn.id)["token_generation"] == 2
    assert provider.refreshes == 1
    after = stored(make(), conn)  # a fresh client reads what was saved
    assert after["refresh_token"] == "rt-2-secretish" and after["expires_at"] > time.time() + 3000
    assert stat.S_IMODE(os.stat(client.home / "secrets.json").st_mode) == 0o600


def test_refresh_once_on_401(oauth):
    provider, make = oauth
    client = make()
    conn = client.connect("oauthdemo", credentials={"client_id": "cid", "client_secret": "csecret"})
    provider.valid_access = set()  # revoked early, though not yet expired
    assert client.run("who-am-i", connection_id=conn.id)["token_generation"] == 2
    provider.valid_access = set()
    provider.valid_refresh = set()  # now refreshing cannot help either
    with pytest.raises(AuthError):
        client.run("who-am-i", connection_id=conn.id)
    assert provider.refreshes == 1


def test_no_two_refreshes_race(oauth):
    provider, make = oauth
    setup = make()
    conn = setup.connect("oauthdemo", credentials={"client_id": "cid", "client_secret": "csecret"})
    setup.secrets.put(conn.secret_ref, {**stored(setup, conn), "expires_at": time.time() - 1})
    results, errors = [], []

    def one_process():  # a separate client: no shared memory, only the files on disk
        try:
            results.append(make().run("who-am-i", connection_id=conn.id)["token_generation"])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one_process) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert provider.refreshes == 1 and results == [2] * 6


def test_wrong_client_secret_is_reported(oauth):
    provider, make = oauth
    with pytest.raises(AuthError, match="refused"):
        make().connect("oauthdemo", credentials={"client_id": "cid", "client_secret": "nope"})
    assert make().connections() == []


# -- several APIs, each with its own credential and base URL ----------------------------------


def _track(inp, ctx):
    response = yield Request("PUT", "/api/v1/people/{id}", path_params={"id": inp["id"]}, json={"plan": "pro"})
    return response.json()


def _app(inp, ctx):
    response = yield Request("GET", "/people/{id}", path_params={"id": inp["id"]})
    return response.json()


ID_INPUT = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"], "additionalProperties": False}
DUO = Connector(
    key="duo",
    name="Duo",
    description="Two APIs, two credentials, two regions.",
    regions=("us", "eu"),
    apis=(
        Api("track", {"us": "https://track.duo.example", "eu": "https://track-eu.duo.example"}, AuthSpec("basic", {"username": "site_id", "password": "track_key"}), name="Track API"),
        Api("app", {"us": "https://api.duo.example/v1", "eu": "https://api-eu.duo.example/v1"}, AuthSpec("bearer", {"token": "app_key"}), name="App API"),
    ),
    credentials={"type": "object", "properties": {"site_id": {"type": "string"}, "track_key": {"type": "string", "writeOnly": True}, "app_key": {"type": "string", "writeOnly": True}}},
    actions=lambda: (
        Action("identify", "Identify", "Upsert a person.", "person", ID_INPUT, OPEN, _track, api="track"),
        Action("get-person", "Get person", "Read a person.", "person", ID_INPUT, OPEN, _app, api="app", read_only=True),
    ),
)


def test_each_api_gets_its_own_credential_and_base_url(loopback, tmp_path):
    track, app = loopback(), loopback()
    track.handler = lambda r: json_reply(200, {})
    app.handler = lambda r: json_reply(200, {"id": "a+b@x.io"})
    with Client(home=tmp_path, plugins=plugins_with(DUO), retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("duo", credentials={"site_id": "s1", "track_key": "tk-secret", "app_key": "ak-secret"}, settings={"baseUrl.track": track.url, "baseUrl.app": app.url}, verify=False)
        client.run("identify", connection_id=conn.id, input={"id": "a+b@x.io"})
        client.run("get-person", connection_id=conn.id, input={"id": "a+b@x.io"})
    (t,), (a,) = track.requests, app.requests
    assert t.path == "/api/v1/people/a%2Bb%40x.io" and t.headers["authorization"] == "Basic " + base64.b64encode(b"s1:tk-secret").decode()
    assert a.path == "/v1/people/a%2Bb%40x.io" and a.headers["authorization"] == "Bearer ak-secret"


def test_region_applies_to_every_api(tmp_path):
    with Client(home=tmp_path, plugins=plugins_with(DUO), secrets_backend="file") as client:
        conn = client.connect("duo", credentials={"app_key": "k"}, settings={"region": "eu"}, verify=False)
        session = client._session(conn)
        assert [session.base_url(api) for api in DUO.apis] == ["https://track-eu.duo.example", "https://api-eu.duo.example/v1"]
        with pytest.raises(UsageError, match="region 'mars'"):
            client.connect("duo", credentials={"app_key": "k"}, settings={"region": "mars"}, verify=False)


def test_missing_credential_names_it_and_how_to_add_it(loopback, tmp_path):
    app = loopback()
    with Client(home=tmp_path, plugins=plugins_with(DUO), retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("duo", credentials={"app_key": "ak"}, settings={"baseUrl": app.url}, verify=False)
        assert conn.state == "READY"  # the App API is usable
        with pytest.raises(ConfigurationError) as info:
            client.run("identify", connection_id=conn.id, input={"id": "1"})
        assert "Track API needs credential site_id, track_key" in info.value.message
        assert f"tether connection update {conn.id} --input" in info.value.message
        with pytest.raises(UsageError, match="track_key missing"):
            client.update_connection(conn.id, credentials={"site_id": "s1"}, verify=False)
    assert app.requests == []
