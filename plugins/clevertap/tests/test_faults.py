"""10,000 events through the served sandbox under injected faults (issue 13, §A6): 429s and 503s
are retried (they prove nothing was processed), an answer lost after processing is reported as
unknown fate and never re-sent (CleverTap does not de-duplicate events). Every record is
accounted for exactly once: in the workspace, or reported."""

from __future__ import annotations

from collections import Counter

N = 10_000
FAULTS = "429=0.1,503=0.05,drop-after=0.02,seed=11"


def test_ten_thousand_events_under_faults_none_lost_none_doubled(served_sandbox, tether_client):
    served = served_sandbox("clevertap", "--faults", FAULTS)
    conn = tether_client.connect("clevertap", credentials=served["credentials"], settings={"baseUrl": served["url"]})
    records = [{"identity": f"f-{i % 500}", "evtName": "Faulty", "evtData": {"i": i}, "ts": 1767225600 + i % 86400} for i in range(N)]
    # 100 requests of 100, so that the 2 % of lost answers really happen.
    out = tether_client.run("upload-events", connection_id=conn.id, input={"records": records, "batch_size": 100})

    runtime = tether_client.sandbox_runtime("clevertap")
    landed = Counter(e["evtData"]["i"] for e in runtime.collection("eu1/events") if e["evtName"] == "Faulty")
    unknown = {u["index"] for u in out["unknown"]}
    refused = {u["index"] for u in out["unprocessed"]}

    assert out["requests"] == 100
    assert unknown, "the seeded faults should lose at least one answer; pick another seed"
    assert max(landed.values()) == 1, "an event was stored twice"
    assert not unknown & refused
    for i in range(N):  # none lost: each record landed, or is reported
        assert landed[i] == 1 or i in unknown or i in refused, f"event {i} is neither stored nor reported"
    assert all(landed[i] == 0 for i in refused)
    assert out["processed"] == sum(1 for i in range(N) if landed[i] and i not in unknown)
    # the requests whose answers were lost were processed once and not sent again
    uploads = [e for e in runtime.journal() if e["path"] == "/1/upload"]
    assert sum(1 for e in uploads if e["processed"]) == 100 - len(refused) // 100
    assert sum(1 for e in uploads if e["fault"] == "drop-after") == len(unknown) // 100
    assert all(landed[i] == 1 for i in unknown)  # drop-after: processed, answer lost
