"""Hosts and auth: three hosts for one account, trailing slashes, Basic auth with any user name."""

from __future__ import annotations

import base64

import pytest

from tether.connector import SandboxRequest


def basic(user, key):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode()}


@pytest.mark.parametrize("host", ["esputnik.com", "yespo.io", "api.yespo.io"])
def test_each_host_serves_the_same_account(tether_client, host):
    runtime = tether_client.sandbox_runtime("esputnik")
    conn = tether_client.connect("esputnik", settings={"region": host}, sandbox=True)
    before = runtime.last_seq()
    assert tether_client.run("get-contact", connection_id=conn.id, input={"id": 100001})["firstName"] == "Ada"
    [entry] = runtime.journal(after=before)
    assert (entry["host"], entry["path"]) == (host, "/api/v1/contact/100001")


def test_the_key_is_the_password_and_the_user_name_is_fixed(tether_client):
    api = tether_client.connector("esputnik").api()
    kind = tether_client.registry.auth_kinds()[api.auth.kind]
    assert kind.fields(api.auth.params) == ("api_key",)  # the user types one secret
    assert kind.headers(api.auth.params, {"api_key": "k-123"}) == basic("user", "k-123")


@pytest.mark.parametrize("user", ["", "user", "someone@example.com"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_any_user_name_and_a_trailing_slash_are_accepted(esp, user, slash):
    key = esp.runtime.credentials["api_key"]
    outcome = esp.runtime.handle(SandboxRequest("GET", "yespo.io", f"/api/v1/account/info{slash}", headers=basic(user, key)))
    assert outcome.reply.status == 200


def test_a_wrong_key_is_refused_with_a_json_401(esp):
    outcome = esp.runtime.handle(SandboxRequest("GET", "esputnik.com", "/api/v1/contacts", headers=basic("user", "wrong")))
    assert outcome.reply.status == 401 and outcome.reply.body["status"] == 401
    assert not outcome.processed


def test_the_key_never_shows_in_verbose_output(tether_cli):
    import json

    code, out, err = tether_cli("connect", "--connectorId", "esputnik", "--sandbox", "--json")
    conn = json.loads(out)["id"]
    key = json.loads(tether_cli("sandbox", "credentials", "esputnik", "--json")[1])["api_key"]
    token = base64.b64encode(f"user:{key}".encode()).decode()
    code, out, err = tether_cli("action", "run", "esputnik.get-account-info", "--connectionId", conn, "-v", "--json")
    assert code == 0, err
    assert "'authorization': '***'" in err  # the header is logged, masked
    assert key not in out + err and token not in out + err


def test_the_host_setting_picks_the_host(tether_client):
    """The issue names the setting `host`; `region` stays accepted and is stored the same way."""
    runtime = tether_client.sandbox_runtime("esputnik")
    conn = tether_client.connect("esputnik", settings={"host": "api.yespo.io"}, sandbox=True)
    assert conn.settings["region"] == "api.yespo.io"
    before = runtime.last_seq()
    tether_client.run("get-contact", connection_id=conn.id, input={"id": 100001})
    assert [e["host"] for e in runtime.journal(after=before)] == ["api.yespo.io"]


def test_an_unknown_host_is_refused_naming_the_setting(tether_client):
    from tether import UsageError

    with pytest.raises(UsageError, match=r"^host 'yespo\.com' is not one of esputnik\.com, yespo\.io, api\.yespo\.io$"):
        tether_client.connect("esputnik", settings={"host": "yespo.com"}, sandbox=True)
    with pytest.raises(UsageError, match="disagree"):
        tether_client.connect("esputnik", settings={"host": "yespo.io", "region": "esputnik.com"}, sandbox=True)
