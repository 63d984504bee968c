"""The example connector against its sandbox served over real HTTP and HTTPS."""

import ssl

import httpx


def test_actions_over_http(served_sandbox, tether_client):
    served = served_sandbox("example")
    conn = tether_client.connect("example", credentials=served["credentials"], settings={"baseUrl": served["url"]})
    assert conn.state == "READY"
    note = tether_client.run("create-note", connection_id=conn.id, input={"title": "over the wire"})
    assert tether_client.run("get-note", connection_id=conn.id, input={"id": note["id"]})["title"] == "over the wire"
    titles = [n["title"] for n in tether_client.paginate("list-notes", connection_id=conn.id, input={"limit": 1})]
    assert titles == ["Welcome", "Shopping", "Ideas", "over the wire"]


def test_https_with_local_ca(served_sandbox, tether_home):
    served = served_sandbox("example", "--tls")
    key = served["credentials"]["api_key"]
    response = httpx.get(served["url"] + "/v1/notes", headers={"Authorization": f"Bearer {key}"}, verify=ssl.create_default_context(cafile=served["caFile"]))
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["data"]] == ["n-1", "n-2", "n-3"]
    refused = httpx.get(served["url"] + "/v1/notes", headers={"Authorization": "Bearer wrong"}, verify=ssl.create_default_context(cafile=served["caFile"]))
    assert refused.status_code == 401


def test_sandbox_answers_raw_requests_in_process(tether_client):
    """What an official SDK sends goes straight into the in-process sandbox: no tether in between."""
    from tether.testing import sandbox_http

    runtime = tether_client.sandbox_runtime("example")
    key = runtime.credentials["api_key"]
    with sandbox_http(runtime, "https://api.jotter.example") as http:
        assert http.get("/v1/notes").status_code == 401
        listed = http.get("/v1/notes", headers={"Authorization": f"Bearer {key}"})
        assert [n["id"] for n in listed.json()["data"]] == ["n-1", "n-2", "n-3"]
