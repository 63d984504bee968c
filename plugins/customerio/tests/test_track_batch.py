"""send-track-batch: v2 batches split by size, 207 partial failures reported by index (§A4)."""

from __future__ import annotations

import json

import pytest
from tether import PlatformError, ValidationError

from tether_customerio import samples as s
from tether_customerio.actions import track_batch


def identify(i: int, padding: int = 0) -> dict:
    return {"type": "person", "action": "identify", "identifiers": {"id": f"bulk-{i}"}, "attributes": {"n": i, "pad": "x" * padding}}


def test_a_batch_applies_every_operation(cio):
    ops = [
        identify(1),
        {"type": "person", "action": "event", "identifiers": {"id": "bulk-1"}, "name": "signed_up", "id": "01HB4HBDKTFWYZCK01DMRSWRFA"},
        {"type": "person", "action": "add_device", "identifiers": {"id": "bulk-1"}, "device": {"token": "t-1", "platform": "ios"}},
        {"type": "person", "action": "delete", "identifiers": {"email": s.KATHERINE_EMAIL}},
    ]
    out = cio.run("send-track-batch", operations=ops)
    assert out == {"sent": 4, "accepted": 4, "requests": 1, "failed": []}
    person = cio.person("bulk-1")
    assert person["attributes"]["n"] == 1 and person["devices"][0]["id"] == "t-1"
    assert any(a.get("name") == "signed_up" and a["customer_id"] == "bulk-1" for a in cio.collection("activities"))
    assert cio.person(s.KATHERINE) is None


def test_large_batches_are_split_under_500_kb_and_keep_order(cio):
    ops = [identify(i, padding=20_000) for i in range(60)]  # ~1.2 MB in all
    before = cio.runtime.last_seq()
    out = cio.run("send-track-batch", operations=ops)
    sent = cio.runtime.journal(after=before)
    assert out["requests"] == len(sent) >= 3 and out["sent"] == 60 and out["failed"] == []
    assert all(e["path"] == "/api/v2/batch" and e["bytes"] <= track_batch.MAX_BATCH_BYTES for e in sent)
    assert all(cio.person(f"bulk-{i}") is not None for i in range(60))


def test_split_never_exceeds_the_limit_and_loses_nothing():
    ops = [identify(i, padding=(i * 7919) % 30_000) for i in range(200)]
    chunks = track_batch.split(ops)
    assert [op for _, chunk in chunks for op in chunk] == ops
    for offset, chunk in chunks:
        assert len(json.dumps({"batch": chunk}, separators=(",", ":")).encode()) <= track_batch.MAX_BATCH_BYTES
        assert ops[offset] is chunk[0]


def test_an_oversized_operation_is_refused_before_anything_is_sent(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("send-track-batch", operations=[identify(1), identify(2, padding=40_000)])
    assert info.value.path == "input.operations[1]"
    assert cio.runtime.journal(after=before) == []


def test_a_207_reports_failures_with_the_callers_indexes_and_applies_the_rest(cio):
    # The second chunk holds an operation the platform refuses (v2 needs exactly one identifier).
    bad = {"type": "person", "action": "identify", "identifiers": {"id": "a"}, "attributes": {"pad": "y" * 20_000}}
    ops = [identify(i, padding=20_000) for i in range(30)]
    ops[27] = {**bad, "identifiers": {"id": "a", "email": "a@example.com"}}
    with pytest.raises(ValidationError):
        cio.run("send-track-batch", operations=ops)  # the schema catches it first
    # Sent raw, the sandbox answers 207 for the same mistake.
    with cio.http("track") as http:
        reply = http.post("/api/v2/batch", json={"batch": [identify(1), {**bad, "identifiers": {"id": "a", "email": "b@example.com"}}]})
    assert reply.status_code == 207
    (error,) = reply.json()["errors"]
    assert error["batch_index"] == 1 and {"reason", "field", "message"} <= set(error)
    assert cio.person("bulk-1") is not None  # the valid one was accepted


def test_207_failures_map_back_to_input_indexes(cio):
    # A delivery event for a name the platform refuses passes our schema but not the platform.
    ops = [identify(i, padding=20_000) for i in range(30)]
    ops[29] = {"type": "delivery", "action": "event", "identifiers": {"id": "dlv-1"}, "name": "clicked"}
    out = cio.run("send-track-batch", operations=ops)
    assert out["requests"] >= 2
    assert [f["index"] for f in out["failed"]] == [29] and out["accepted"] == 29
    assert cio.person("bulk-28") is not None


def test_a_wholly_invalid_request_is_400_with_the_v2_shape(cio):
    with cio.http("track") as http:
        reply = http.post("/api/v2/batch", json={"batch": []})
        entity = http.post("/api/v2/entity", json={"type": "person", "action": "event", "identifiers": {"id": "1"}})
    assert reply.status_code == 400 and {"reason", "field", "message"} <= set(reply.json()["errors"][0])
    assert entity.status_code == 400 and entity.json()["errors"][0]["field"] == "name"


def test_a_failure_after_earlier_requests_says_what_was_sent(cio):
    ops = [identify(i, padding=20_000) for i in range(60)]
    calls = {"n": 0}
    original = cio.runtime.handle

    def fail_second(req):
        calls["n"] += 1
        if calls["n"] == 2:
            from tether._sandbox.runtime import Outcome
            from tether.connector import Reply

            return Outcome(Reply(400, {"errors": [{"reason": "invalid", "field": "", "message": "boom"}]}), False)
        return original(req)

    cio.runtime.handle = fail_second
    with pytest.raises(PlatformError) as info:
        cio.run("send-track-batch", operations=ops)
    details = info.value.to_dict()["details"]
    sent = details["sent"]
    assert 0 < sent < 60 and f"operations {sent}–59 were not" in str(info.value)
    assert all(cio.person(f"bulk-{i}") is not None for i in range(sent))
    assert cio.person(f"bulk-{sent}") is None


def test_batches_of_events_without_ids_are_not_retried_after_a_lost_answer():
    assert track_batch._repeatable([identify(1)])
    assert not track_batch._repeatable([{"type": "person", "action": "event", "identifiers": {"id": "1"}, "name": "x"}])
    assert track_batch._repeatable([{"type": "person", "action": "event", "identifiers": {"id": "1"}, "name": "x", "id": "01HB4HBDKTFWYZCK01DMRSWRFA"}])
