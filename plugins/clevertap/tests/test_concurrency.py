"""§A6: CleverTap caps requests in flight per account — 15 to the upload API, 3 to the others —
and answers 429 beyond. The served sandbox does the same; tether's own clients, sharing the
caps the connector declares, never go over them."""

from __future__ import annotations

import threading

import httpx
import pytest
from tether.connector import PUBLIC, Abort, Reply, SandboxRequest

from tether_clevertap.sandbox.limits import UPLOAD_PATH, CappedSandbox

EVENTS = [{"type": "event", "identity": f"c-{i}", "evtName": "Burst", "evtData": {}, "ts": 1767225600} for i in range(1000)]


def burst(url, headers, n):
    """n uploads sent at the same moment; their (status, body, headers)."""
    start, answers = threading.Barrier(n), [None] * n

    def send(i):
        with httpx.Client(timeout=60) as http:
            start.wait()
            r = http.post(url + "/1/upload", json={"d": EVENTS}, headers=headers)
            answers[i] = (r.status_code, r.json(), r.headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_the_sandbox_refuses_uploads_over_fifteen_in_flight(served_sandbox, tether_client):
    served = served_sandbox("clevertap")
    creds = served["credentials"]
    headers = {"X-CleverTap-Account-Id": creds["account_id"], "X-CleverTap-Passcode": creds["passcode"]}
    runtime = tether_client.sandbox_runtime("clevertap")

    def stored():
        return sum(1 for e in runtime.collection("eu1/events") if e["evtName"] == "Burst")

    for _ in range(5):  # the requests must overlap; a round where the machine serialised them is tried again
        before = stored()
        answers = burst(served["url"], headers, 24)
        refused = [a for a in answers if a[0] == 429]
        if refused:
            break
    assert refused, "24 simultaneous uploads never went over the cap of 15"
    assert all(body == {"status": "fail", "error": "Too many concurrent requests", "code": 429} for _, body, _ in refused)
    assert all("retry-after" not in {k.lower() for k in h} for _, _, h in refused)
    assert len(refused) <= 24 - 15
    accepted = sum(1 for status, _, _ in answers if status == 200)
    assert accepted + len(refused) == 24
    assert stored() - before == accepted * 1000  # this round's refused uploads stored nothing


def test_tethers_clients_stay_under_the_caps(served_sandbox, tether_client):
    served = served_sandbox("clevertap")
    conn = tether_client.connect("clevertap", credentials=served["credentials"], settings={"baseUrl": served["url"]})
    runtime = tether_client.sandbox_runtime("clevertap")
    before = runtime.last_seq()
    records = [{k: v for k, v in e.items() if k != "type"} for e in EVENTS]
    errors = []

    def upload():
        try:
            tether_client.run("upload-events", connection_id=conn.id, input={"records": records})
        except Exception as exc:  # noqa: BLE001 — collected and reported below
            errors.append(exc)

    def count():
        try:
            tether_client.run("get-event-count", connection_id=conn.id, input={"event_name": "Burst", "from": 20260101, "to": 20260101})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(30)] + [threading.Thread(target=count) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    assert [e for e in runtime.journal(after=before) if e["status"] == 429] == []



def capped(auth=PUBLIC):
    """A capped sandbox with one upload route, and a function resolving an upload for an account:
    (the request, its route as the runtime would get it)."""
    sandbox = CappedSandbox("capped", credentials=lambda token: {}, too_many=lambda: Reply(429, {"code": 429}))
    sandbox.route("POST", UPLOAD_PATH, auth=auth)(lambda req, ctx: {"status": "success"})

    def upload(account, **headers):
        req = SandboxRequest("POST", "api.clevertap.com", UPLOAD_PATH, headers={"X-CleverTap-Account-Id": account, **headers})
        return req, sandbox.resolve(req, None)[0]

    return sandbox, upload


def test_caps_are_counted_per_account():
    """§A6 caps each account: uploads in flight for one account do not refuse another's."""
    sandbox, upload = capped()
    held = [upload("ACC-A") for _ in range(15)]
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 15
    req, refused = upload("ACC-A")
    assert refused.handler(req, None).status == 429
    req, other = upload("ACC-B")
    assert other.handler(req, None) == {"status": "success"}  # another account's cap is its own
    assert sandbox.in_flight("ACC-B", UPLOAD_PATH) == 0
    req, first = held[0]
    first.handler(req, None)  # one of A's uploads answers: a slot frees
    req, again = upload("ACC-A")
    assert again.handler(req, None) == {"status": "success"}
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 14


def test_a_request_its_auth_check_refuses_frees_its_slot():
    """Refused (an error reply or an Abort) before its handler runs, a request is no longer in
    flight: otherwise fifteen bad requests would shut an account's uploads out for good."""

    def check(req, ctx):
        if req.header("X-CleverTap-Passcode") is None:
            raise Abort(Reply(400, {"code": 400}))
        return Reply(401, {"code": 401}) if req.header("X-CleverTap-Passcode") != "right" else None

    sandbox, upload = capped(check)
    req, route = upload("ACC-A", **{"X-CleverTap-Passcode": "wrong"})
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 1
    assert route.auth(req, None).status == 401
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 0
    req, route = upload("ACC-A")
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 1
    with pytest.raises(Abort):
        route.auth(req, None)
    assert sandbox.in_flight("ACC-A", UPLOAD_PATH) == 0
