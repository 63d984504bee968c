"""`tether sandbox serve`: real HTTP and HTTPS, faults at their rates, a journal of everything,
and consistent state under 200 concurrent requests."""

from __future__ import annotations

import json
import math
import ssl
import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx

from tether._client import Client


def _auth(served):
    return {"Authorization": f"Bearer {served['credentials']['api_key']}"}


def _journal(home, **kw):
    with Client(home=home) as client:
        return client.sandbox_runtime("example").journal(**kw)


def test_curl_over_http_and_https(served_sandbox, tether_home):
    plain = served_sandbox("example")
    out = subprocess.run(["curl", "-sS", "-H", f"Authorization: Bearer {plain['credentials']['api_key']}", plain["url"] + "/v1/notes/n-1"], capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["title"] == "Welcome"
    secure = served_sandbox("example", "--tls")
    assert secure["url"].startswith("https://") and secure["caFile"]
    out = subprocess.run(["curl", "-sS", "--cacert", secure["caFile"], "-H", f"Authorization: Bearer {secure['credentials']['api_key']}", secure["url"] + "/v1/notes?limit=1"], capture_output=True, text=True, check=True).stdout
    assert [n["id"] for n in json.loads(out)["data"]] == ["n-1"]
    refused = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", secure["caFile"], secure["url"] + "/v1/notes"], capture_output=True, text=True).stdout
    assert refused == "401"
    unverified = subprocess.run(["curl", "-sS", secure["url"] + "/v1/notes"], capture_output=True, text=True)
    assert unverified.returncode != 0  # without the CA, TLS verification fails: it is a real certificate chain


def test_plain_httpx_and_the_journal_records_every_request(served_sandbox, tether_home):
    served = served_sandbox("example")
    with httpx.Client(base_url=served["url"], headers=_auth(served)) as http:
        assert http.get("/v1/notes").status_code == 200
        assert http.post("/v1/notes", json={"title": "t"}).status_code == 201
        assert http.get("/v1/notes/zzz").status_code == 404
        assert http.get("/v1/nowhere").status_code == 404
        assert http.get("/v1/notes", headers={"Authorization": "Bearer nope"}).status_code == 401
    seen = [(e["method"], e["path"], e["status"], e["processed"], e["note"], e["bytes"]) for e in _journal(tether_home)]
    assert seen == [
        ("GET", "/v1/notes", 200, True, None, 0),
        ("POST", "/v1/notes", 201, True, None, len(b'{"title":"t"}')),
        ("GET", "/v1/notes/zzz", 404, False, None, 0),
        ("GET", "/v1/nowhere", 404, False, "no such route", 0),
        ("GET", "/v1/notes", 401, False, "auth refused", 0),
    ]


def _within(observed: int, n: int, rate: float) -> bool:
    sigma = math.sqrt(n * rate * (1 - rate))
    return abs(observed - n * rate) <= 4 * sigma + 1


def test_fault_rates_are_honoured(served_sandbox, tether_home):
    served = served_sandbox("example", "--faults", "429=0.2,503=0.1,drop-before=0.05,drop-after=0.05,seed=11")
    n = 400
    statuses: list[int | str] = []
    with httpx.Client(base_url=served["url"], headers=_auth(served), timeout=10) as http:
        for i in range(n):
            try:
                statuses.append(http.get("/v1/notes/n-1").status_code)
            except httpx.TransportError:
                statuses.append("dropped")
    journal = _journal(tether_home)
    assert len(journal) == n  # every request is recorded, dropped ones too
    faults = [e["fault"] for e in journal]
    assert _within(faults.count("429"), n, 0.2) and _within(faults.count("503"), n, 0.1)
    assert _within(faults.count("drop-before"), n, 0.05) and _within(faults.count("drop-after"), n, 0.05)
    assert statuses.count(429) == faults.count("429") and statuses.count(503) == faults.count("503")
    assert statuses.count("dropped") == faults.count("drop-before") + faults.count("drop-after")
    for entry in journal:
        if entry["fault"] in ("429", "503", "drop-before"):
            assert not entry["processed"]
        if entry["fault"] == "drop-after":
            assert entry["processed"] and entry["status"] is None


def test_429_is_the_platforms_own_reply(served_sandbox, tether_home):
    served = served_sandbox("example", "--faults", "429=2x")
    with httpx.Client(base_url=served["url"], headers=_auth(served)) as http:
        first = http.get("/v1/notes")
        assert first.status_code == 429 and first.headers["retry-after"] == "1"
        assert first.json() == {"error": {"code": "rate_limited", "message": "Slow down."}}
        assert http.get("/v1/notes").status_code == 429
        assert http.get("/v1/notes").status_code == 200


def test_200_concurrent_requests_leave_state_consistent(served_sandbox, tether_home):
    served = served_sandbox("example")
    with httpx.Client(base_url=served["url"], headers=_auth(served), timeout=30, limits=httpx.Limits(max_connections=50)) as http:

        def create(i: int) -> str:
            response = http.post("/v1/notes", json={"title": f"c{i}", "tags": ["load"]})
            assert response.status_code == 201
            return response.json()["id"]

        def read(i: int) -> int:
            return http.get("/v1/notes", params={"tag": "load", "limit": 50}).status_code

        with ThreadPoolExecutor(max_workers=40) as pool:
            created = list(pool.map(create, range(150)))
            reads = list(pool.map(read, range(50)))
    assert len(set(created)) == 150 and set(reads) == {200}
    with Client(home=tether_home) as client:
        runtime = client.sandbox_runtime("example")
        notes = [n for n in runtime.collection("notes") if "load" in n["tags"]]
        assert sorted(n["id"] for n in notes) == sorted(created)
        assert sorted(n["title"] for n in notes) == sorted(f"c{i}" for i in range(150))
        journal = runtime.journal()
    assert len(journal) == 200 and all(e["processed"] for e in journal)


def test_in_process_faults_keep_nothing_lost_nothing_duplicated(tether_home):
    """Creates under dropped answers: each either exists once and was reported, or errored."""
    from tether._errors import NetworkError, PlatformError
    from tether.testing import fast_retry

    with Client(home=tether_home, retry=fast_retry(), sandbox_faults="503=0.15,drop-before=0.1,drop-after=0.1,seed=5") as client:
        conn = client.sandbox_connection("example")
        runtime = client.sandbox_runtime("example")
        runtime.reset()
        confirmed, unknown = [], []
        for i in range(120):
            try:
                confirmed.append(client.run("create-note", connection_id=conn.id, input={"title": f"f{i}"})["title"])
            except NetworkError as exc:
                assert exc.processed is None or exc.processed is False
                unknown.append(f"f{i}")
            except PlatformError:
                unknown.append(f"f{i}")
        stored = [n["title"] for n in runtime.collection("notes") if n["title"].startswith("f")]
    assert len(stored) == len(set(stored)), "a create was applied twice"
    assert set(confirmed) <= set(stored), "a confirmed create is missing"
    assert set(stored) - set(confirmed) <= set(unknown), "a create was applied but reported as failed without saying it may have been"
    assert unknown, "the faults were not injected"


def test_tls_certificate_names_loopback(served_sandbox, tether_home):
    served = served_sandbox("example", "--tls")
    context = ssl.create_default_context(cafile=served["caFile"])
    url = served["url"].replace("127.0.0.1", "localhost")
    assert httpx.get(url + "/v1/notes", headers=_auth(served), verify=context).status_code == 200
