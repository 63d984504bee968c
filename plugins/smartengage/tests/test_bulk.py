"""bulk-tag-subscribers: 1,000 subscribers under faults, each accounted for exactly once."""

from __future__ import annotations

FAULTS = "429=0.1,drop-after=0.02,seed=5"


def test_bulk_tag_1000_subscribers_under_faults(served_sandbox, tether_client):
    runtime = tether_client.sandbox_runtime("smartengage")
    ids = [str(5001 + i) for i in range(1000)]
    for subscriber_id in ids:
        runtime.put("subscribers", subscriber_id, {
            "subscriber_id": subscriber_id, "avatar_id": "2", "email": f"s{subscriber_id}@example.com", "first_name": "",
            "last_name": "", "full_name": "", "facebook_id": "", "push_id": "", "tags": [], "custom_fields": {}, "sequences": [],
        })
    runtime.put("tags", "2:4", {"avatar_id": "2", "tag_id": "4", "tag_name": "#webinar"})
    served = served_sandbox("smartengage", "--faults", FAULTS)
    conn = tether_client.connect("smartengage", credentials=served["credentials"], settings={"baseUrl": served["url"], "avatar_id": "2"})
    before = runtime.last_seq()

    out = tether_client.run("bulk-tag-subscribers", connection_id=conn.id, input={"tag": "#webinar", "subscriber_ids": ids})

    results = out["results"]
    assert [r["subscriber_id"] for r in results] == ids  # every subscriber reported, once, in order
    fates = {status: {r["subscriber_id"] for r in results if r["status"] == status} for status in ("ok", "failed", "unknown")}
    assert {k: len(v) for k, v in fates.items()} == {k: out[k] for k in fates}
    tagged = {s["subscriber_id"] for s in runtime.collection("subscribers") if "#webinar" in s["tags"]}
    # ok: tagged. unknown: the answer was lost after the sandbox applied it. failed: not applied.
    assert fates["ok"] <= tagged and fates["unknown"] <= tagged and not (fates["failed"] & tagged)
    assert tagged == fates["ok"] | fates["unknown"]
    entries = [e for e in runtime.journal(after=before) if e["path"] == "/tags/add"]
    # Each applied request is one subscriber's: none was applied twice by a retry.
    assert sum(e["processed"] for e in entries) == len(tagged)
    # The faults did strike: 429s were retried (nothing failed), lost answers are unknown, not re-sent.
    assert any(e["status"] == 429 for e in entries) and out["failed"] == 0
    assert out["unknown"] > 0
    assert all(r["error"]["type"] == "network_error" for r in results if r["status"] == "unknown")
