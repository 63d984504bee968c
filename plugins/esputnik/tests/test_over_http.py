"""ESputnik's connector against its sandbox served over real HTTP, and from the command line."""

from __future__ import annotations

import json

import httpx


def test_actions_over_http(served_sandbox, tether_client):
    served = served_sandbox("esputnik")
    conn = tether_client.connect("esputnik", credentials=served["credentials"], settings={"baseUrl": served["url"] + "/api"})
    assert conn.state == "READY" and not conn.sandbox

    def run(action, **inp):
        return tether_client.run(action, connection_id=conn.id, input=inp)

    imported = run("add-update-contacts", contacts=[{"channels": [{"type": "email", "value": f"w{i}@wire.example"}]} for i in range(3)], groupNames=["Wire"])
    assert imported["status"] == "FINISHED"
    wire = next(s for s in run("get-segments", name="Wire")["segments"])
    assert [c["channels"][0]["value"] for c in run("get-segment-contacts", id=wire["id"], all=True)["contacts"]] == [f"w{i}@wire.example" for i in range(3)]
    template = run("create-email-template", name="Wire", **{"from": "a@shop.example"}, subject="s", htmlText="<p>wire</p>")
    [sent] = run("send-prepared-message", id=template["id"], recipients=[{"locator": "w0@wire.example"}])["results"]
    assert sent["status"] == "OK"
    assert run("delete-email-template", id=template["id"]) == {"deleted": True}
    assert run("generate-event", eventTypeKey="wired", keyValue="w1@wire.example") == {"accepted": True}


def test_raw_http_quirks(served_sandbox):
    served = served_sandbox("esputnik")
    url, key = served["url"], served["credentials"]["api_key"]
    auth = ("whoever", key)
    with_slash = httpx.get(f"{url}/api/v1/contacts/", params={"email": "ada@example.com"}, auth=auth)
    without = httpx.get(f"{url}/api/v1/contacts", params={"email": "ada@example.com"}, auth=auth)
    assert with_slash.status_code == without.status_code == 200 and with_slash.json() == without.json()
    assert with_slash.headers["TotalCount"] == "1"
    updated = httpx.put(f"{url}/api/v1/contact/100001", json={"firstName": "Ada"}, auth=auth)
    assert updated.text == "Contact with id='100001' has been updated" and updated.headers["content-type"].startswith("application/json")
    event = httpx.post(f"{url}/api/v1/event", json={"eventTypeKey": "x", "keyValue": "ada@example.com"}, auth=auth)
    assert (event.status_code, event.content) == (200, b"")
    refused = httpx.get(f"{url}/api/v1/account/info", auth=("user", "wrong"))
    assert refused.status_code == 401 and refused.json()["status"] == 401
    too_many = httpx.post(f"{url}/api/v1/contacts", json={"dedupeOn": "email", "contacts": [{"channels": [{"type": "email", "value": f"{i}@x.example"}]} for i in range(3001)]}, auth=auth)
    assert too_many.status_code == 400 and "3000" in too_many.text


def test_from_the_command_line(tether_cli):
    code, out, err = tether_cli("connect", "--connectorId", "esputnik", "--sandbox", "--json")
    assert code == 0, err
    conn = json.loads(out)
    assert conn["state"] == "READY" and conn["credentials"] == ["api_key"]
    code, out, err = tether_cli("action", "run", "esputnik.search-contacts", "--connectionId", conn["id"], "--input", '{"email": "grace@example.com"}', "--json")
    assert code == 0, err
    assert json.loads(out)["output"]["contacts"][0]["id"] == 100002
    code, out, err = tether_cli("action", "run", "esputnik.generate-event", "--connectionId", conn["id"], "--input", '{"eventTypeKey": "a/b"}', "--json")
    assert code == 2 and "eventTypeKey" in err  # refused before sending
    code, out, err = tether_cli("sandbox", "log", "esputnik", "--json")
    paths = [(e["method"], e["path"]) for e in json.loads(out)["items"]]
    assert paths == [("GET", "/api/v1/account/info"), ("GET", "/api/v1/contacts")]
