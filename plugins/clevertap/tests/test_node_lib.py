"""The official ``clevertap`` npm library (1.3.0), unchanged, against ``tether sandbox serve
clevertap --tls``; the effects are then read back through tether's own actions.

The library hard-codes ``https://eu1.api.clevertap.com/1`` and takes no base URL. The least
invasive way to point it at the sandbox is what DNS and a port forward would do:
``tests/node/loopback.cjs``, preloaded with ``node --require``, changes only the socket's
destination (127.0.0.1:<port>) for connections to *.api.clevertap.com. The URL, the Host header
the sandbox routes regions by, and the TLS server name stay ``eu1.api.clevertap.com``; the
sandbox's certificate names that host and is trusted through ``NODE_EXTRA_CA_CERTS``.

The library is a test-only dependency installed with npm beside this test (by ``.ci/run``, or by the test itself on first run)
(``tests/node/node_modules``, git-ignored).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tether.connector import NotFoundError

NODE_DIR = Path(__file__).parent / "node"


def _need_node():
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (the official CleverTap library is a Node package)"
    library = NODE_DIR / "node_modules" / "clevertap" / "package.json"
    if not library.is_file():
        # A fresh clone (`uv run pytest` without .ci/run): install the test-only library once.
        import subprocess

        npm = shutil.which("npm")
        assert npm, "npm is needed to install the clevertap library for this test"
        subprocess.run(
            [npm, "install", "--silent", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), "clevertap@1.3.0"],
            check=True, timeout=300,
        )
    assert library.is_file(), "the clevertap npm library could not be installed into " + str(NODE_DIR)
    return node


def _day(offset_days=0):
    d = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=offset_days)
    return d.year * 10000 + d.month * 100 + d.day


@pytest.fixture
def served(served_sandbox, tether_client, monkeypatch):
    info = served_sandbox("clevertap", "--tls", "--hostname", "eu1.api.clevertap.com")
    monkeypatch.setenv("SSL_CERT_FILE", info["caFile"])  # tether's own reads, over the same HTTPS
    # Campaigns "sent now" complete at once, so the library's report call has a report to read.
    tether_client.sandbox_runtime("clevertap").put("eu1/settings", "behaviour", {"campaign_run_seconds": 0})
    return info


def test_the_official_node_library_against_the_sandbox(served, tether_client):
    node = _need_node()
    creds, port = served["credentials"], urlsplit(served["url"]).port
    env = {
        **os.environ,
        "NODE_EXTRA_CA_CERTS": served["caFile"],
        "CLEVERTAP_SANDBOX_PORT": str(port),
        "CT_ACCOUNT_ID": creds["account_id"],
        "CT_PASSCODE": creds["passcode"],
        "CT_REGION": "eu1",
        "CT_DAY": str(_day()),
        "CT_TOMORROW": str(_day(1)),
    }
    done = subprocess.run(
        [node, "--require", "./loopback.cjs", "drive_clevertap_lib.cjs"],
        cwd=NODE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)

    # What the library got back, call by call.
    assert out["upload"]["processed"] == 5 and out["upload"]["status"] == "partial"
    assert [u["code"] for u in out["upload"]["unprocessed"]] == [515]
    assert out["profileByIdentity"]["record"]["identity"] == "node-1"
    assert out["profileByEmail"]["record"]["name"] == "Node Two"
    assert out["tokens"]["processed"] == 1
    assert sorted(r["event_props"]["Amount"] for r in out["events"]) == [7, 12, 30]  # 2 pages of 2, legacy GET ?query=
    assert sorted(p["identity"] for p in out["profiles"]) == ["node-1", "node-2"]
    assert out["eventCount"]["status"] == "partial" and out["profileCount"]["status"] == "partial"
    assert out["createNow"]["status"] == "success" and out["createLater"]["status"] == "success"
    assert out["estimate"]["estimates"] == {"total": 2}
    assert {t["id"] for t in out["list"]["targets"]} >= {out["createNow"]["id"], out["createLater"]["id"]}
    assert out["stop"] == {"status": "success"}
    assert out["reportNow"]["status"] == "success" and out["reportNow"]["sent"] == 2
    assert out["reportStopped"]["status"] == "fail" and "stopped" in out["reportStopped"]["error"]
    assert out["messageReports"]["status"] == "success" and out["realTime"]["users"] >= 2
    assert out["top"]["status"] == "partial" and out["trends"]["status"] == "partial"
    assert out["subscribe"]["status"] == "success" and out["disassociate"]["status"] == "success"
    assert out["delete"] == {"status": "success"}
    assert out["profileAfterDelete"]["status"] == "fail" and out["profileAfterDelete"]["code"] == 404

    # The effects, read back through tether over the same served sandbox.
    conn = tether_client.connect("clevertap", credentials=creds, settings={"baseUrl": served["url"]})
    run = lambda action, **inp: tether_client.run(action, connection_id=conn.id, input=inp)  # noqa: E731
    assert run("get-event-count", req_id=out["eventCount"]["req_id"])["count"] == 3  # the library's count, finished
    assert run("get-profile-count", req_id=out["profileCount"]["req_id"])["count"] == 2
    assert run("get-top-property-counts", req_id=out["top"]["req_id"])["groups"] == {"cat": {"books": 2, "games": 1}}
    one = run("get-user-profile", identity="node-1")["record"]
    assert one["profileData"]["tier"] == "gold" and one["profileData"]["MSG-email"] is False
    assert [p["push_token"] for p in one["platformInfo"]] == ["fcm-node-1"]
    with pytest.raises(NotFoundError):
        run("get-user-profile", identity="node-2")
    day = _day()
    events = run("get-events", event_name="Node Purchase", all=True, **{"from": day, "to": day})["records"]
    assert sorted(r["event_props"]["Amount"] for r in events) == [12, 30]  # node-2's went with the profile
    statuses = {t["id"]: t["status"] for t in run("get-campaigns", **{"from": day, "to": _day(1)})["targets"]}
    assert statuses[out["createNow"]["id"]] == "completed" and statuses[out["createLater"]["id"]] == "stopped"
    journal = tether_client.sandbox_runtime("clevertap").journal()
    node_calls = [e for e in journal if e["host"].split(":")[0] == "eu1.api.clevertap.com"]  # the library's Host header
    assert any(e["method"] == "GET" and e["path"] == "/1/events.json" and "query=" in e["query"] for e in node_calls)
    assert any(e["method"] == "GET" and e["path"] == "/1/profiles.json" and "cursor=" in e["query"] for e in node_calls)
