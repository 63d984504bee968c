"""Engage's connector against its sandbox served over real HTTP by ``tether sandbox serve``."""

import json

import httpx
from tether_engage import samples


def test_actions_over_http(served_sandbox, tether_client):
    served = served_sandbox("engage")
    conn = tether_client.connect("engage", credentials=served["credentials"], settings={"baseUrl": served["url"]})
    assert conn.state == "READY" and not conn.sandbox

    def run(action, **input):
        return tether_client.run(action, connection_id=conn.id, input=input)

    created = run("create-user", id="u-http", email="http@example.com", first_name="Wire")
    assert run("get-user", uid="u-http") == created
    assert run("update-user", uid="u-http", meta={"plan": "pro"})["meta"] == {"plan": "pro"}
    assert run("track-user-event", uid="u-http", event="Signed up") == {"status": "ok"}
    made = run("create-list", title="Over the wire")
    assert run("add-user-to-lists", uid="u-http", lists=[made["id"]])["lists"] == [{"id": made["id"], "subscribed": True}]
    assert run("update-subscriber-status", id=made["id"], uid="u-http", subscribed=False) == {"subscribed": False}
    assert set(run("subscribe-user-to-list", id=made["id"], email="wire2@example.com")) == {"uid"}
    assert run("add-customer-to-accounts", uid="u-http", accounts=[{"id": samples.GLOBEX, "role": "admin"}])["accounts"] == [
        {"id": samples.GLOBEX, "role": "admin"}
    ]
    assert "u-http" in {m["uid"] for m in run("get-account-members", uid=samples.GLOBEX)["data"]}
    assert run("merge-users", source=samples.GRACE_DUPLICATE, destination=samples.GRACE) == {"status": "queued"}

    # A batch over 100 KB goes out as several real HTTP requests; then more than a page of users.
    items = [{"type": "create", "id": f"w-{n:03d}", "meta": {"note": "x" * 2000}} for n in range(60)]
    assert run("send-batch-request", data=items)["requests"] >= 2
    uids = [u["uid"] for u in tether_client.paginate("list-users", connection_id=conn.id)]
    assert len(uids) == len(set(uids)) and {f"w-{n:03d}" for n in range(60)} <= set(uids)
    assert run("list-lists", all=True)["data"][-1]["id"] == made["id"]
    assert run("delete-user", uid="u-http") == {"status": "ok"}


def test_unversioned_paths_and_key_only_auth_over_http(served_sandbox):
    served = served_sandbox("engage")
    public, secret = served["credentials"]["public_key"], served["credentials"]["private_key"]
    url = served["url"]
    # engage.md §1: the PHP and Java SDKs call the root without /v1.
    unversioned = httpx.get(f"{url}/users/{samples.GRACE}", auth=(public, secret))
    versioned = httpx.get(f"{url}/v1/users/{samples.GRACE}", auth=(public, secret))
    assert unversioned.status_code == 200 and unversioned.json() == versioned.json()
    assert unversioned.json()["uid"] == samples.GRACE
    # The mobile SDKs' way: the public key alone, a charset on the content type.
    tracked = httpx.post(
        f"{url}/users/{samples.GRACE}/events",
        auth=(public, ""),
        content=json.dumps({"event": "Opened app"}),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert tracked.status_code == 200 and tracked.json() == {"status": "ok"}
    refused = httpx.get(f"{url}/users", auth=(public, ""))
    assert refused.status_code == 401 and refused.json() == {"error": "Wrong authentication credentials."}
    missing = httpx.get(f"{url}/v1/users/nobody", auth=(public, secret))
    assert missing.status_code == 404 and missing.json() == {"error": "User not found."}


def test_connect_and_connection_test_from_the_cli(tether_cli):
    code, out, err = tether_cli("connect", "--connectorId", "engage", "--sandbox", "--json")
    assert code == 0, err
    conn = json.loads(out)
    assert conn["state"] == "READY" and conn["credentials"] == ["private_key", "public_key"]
    code, creds, err = tether_cli("sandbox", "credentials", "engage", "--json")
    assert json.loads(creds)["private_key"] not in out  # field names only, never the secret
    code, out, err = tether_cli("connection", "test", conn["id"], "--json")
    assert code == 0 and json.loads(out)["state"] == "READY"
    code, out, err = tether_cli("sandbox", "log", "engage", "--json")
    checks = [(e["method"], e["path"]) for e in json.loads(out)["items"]]
    assert checks == [("GET", "/v1/users"), ("GET", "/v1/users")]  # a cheap authenticated read each time
