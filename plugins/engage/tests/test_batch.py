"""send-batch-request splits at Engage's 100 KB limit and never loses or repeats items (§4.22)."""

import json

import pytest
from tether import NetworkError, PlatformError, ValidationError
from tether_engage import samples
from tether_engage.actions.batch import MAX_BODY_BYTES

PADDING = "x" * 900  # makes each item about 1 KB


def big_batch(count=240):
    """Creates and events, about 1 KB each: well over 100 KB in all."""
    items = []
    for n in range(count // 2):
        items.append({"type": "create", "id": f"b-{n:03d}", "email": f"b{n}@example.com", "meta": {"note": PADDING}})
        items.append({"type": "event", "id": f"b-{n:03d}", "event": "Imported", "properties": {"note": PADDING}})
    return items


def record_batches(engage, monkeypatch, fault_after=None):
    """Keep the bodies of POST /batch requests; optionally inject a fault into a later one."""
    bodies = []
    handle = engage.runtime.handle

    def recording(req):
        outcome = handle(req)
        if req.path.endswith("/batch"):
            bodies.append(req.body)
            if fault_after is not None and len(bodies) == fault_after[0]:
                engage.runtime.faults.counts[fault_after[1]] = 1  # strikes the next request
        return outcome

    monkeypatch.setattr(engage.runtime, "handle", recording)
    return bodies


def test_big_input_is_split_under_the_limit_and_delivered_once(engage, monkeypatch):
    items = big_batch()
    assert len(json.dumps({"data": items})) > 2 * MAX_BODY_BYTES
    bodies = record_batches(engage, monkeypatch)
    out = engage.run("send-batch-request", data=items)
    assert out == {"status": "queued", "requests": len(bodies), "items": len(items)}
    assert len(bodies) >= 3 and all(len(b) <= MAX_BODY_BYTES for b in bodies)
    sent = [item for body in bodies for item in json.loads(body)["data"]]
    assert sent == items  # in order, each exactly once
    users = engage.users()
    assert all(users[f"b-{n:03d}"]["meta"] == {"note": PADDING} for n in range(120))
    assert len([e for e in engage.events() if e["event"] == "Imported"]) == 120


def test_a_failed_request_reports_what_was_accepted(engage, monkeypatch):
    items = big_batch()
    bodies = record_batches(engage, monkeypatch, fault_after=(1, "500"))
    with pytest.raises(PlatformError) as info:
        engage.run("send-batch-request", data=items)
    first = len(json.loads(bodies[0])["data"])
    details = info.value.details
    assert info.value.status == 500
    assert (details["accepted_requests"], details["accepted_items"], details["failed_request"]) == (1, first, 2)
    assert details["failed_request_processed"] is False and details["total_items"] == len(items)
    assert f"resend data[{first}:]" in info.value.message
    assert len(bodies) == 2  # nothing after the failure, and the failed POST not retried
    imported = [e["uid"] for e in engage.events() if e["event"] == "Imported"]
    assert imported == [i["id"] for i in items[:first] if i["type"] == "event"]  # exactly the accepted part


def test_a_lost_answer_is_reported_as_in_doubt_not_retried(engage, monkeypatch):
    items = big_batch()
    bodies = record_batches(engage, monkeypatch, fault_after=(1, "drop-after"))
    with pytest.raises(NetworkError) as info:
        engage.run("send-batch-request", data=items)
    assert info.value.details["failed_request"] == 2 and info.value.details["failed_request_processed"] is None
    assert "may or may not be queued" in info.value.message
    assert len(bodies) == 2  # a POST /batch whose answer was lost is never sent twice
    events = [e["uid"] for e in engage.events() if e["event"] == "Imported"]
    assert len(events) == len(set(events))


def test_a_503_is_retried_safely(engage, monkeypatch):
    items = big_batch()
    bodies = record_batches(engage, monkeypatch, fault_after=(1, "503"))
    out = engage.run("send-batch-request", data=items)
    assert out["items"] == len(items) and len(bodies) == out["requests"] + 1  # one retry
    assert len([e for e in engage.events() if e["event"] == "Imported"]) == 120


def test_an_item_over_the_limit_alone_is_refused_before_sending(engage):
    before = engage.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        huge = {"type": "update", "id": samples.ALAN, "meta": {"blob": "y" * MAX_BODY_BYTES}}
        engage.run("send-batch-request", data=[{"type": "update", "id": samples.GRACE}, huge])
    assert info.value.path == "input.data[1]"
    assert engage.runtime.journal(after=before) == []


def test_a_misspelt_item_parameter_is_refused(engage):
    with pytest.raises(ValidationError) as info:
        engage.run("send-batch-request", data=[{"type": "event", "id": samples.GRACE, "evnt": "Paid"}])
    assert info.value.path.startswith("input.data[0]")


def test_the_sandbox_applies_items_and_drops_bad_ones_silently(engage):
    data = [
        {"type": "create", "id": "u-b1", "email": "b1@example.com", "meta": {"plan": "pro"}},
        {"type": "update", "id": "u-b1", "meta": {"coverage": 20}},
        {"type": "event", "id": "u-b1", "event": "Paid", "value": 49.99},
        {"type": "event", "id": "nobody", "event": "Paid"},  # unknown user: dropped
        {"type": "teleport", "id": "u-b1"},  # unknown type: dropped
        {"type": "create", "id": "u-b2", "email": "not-an-email"},  # invalid: dropped
    ]
    with engage.http(engage.full) as http:
        response = http.post("/v1/batch", json={"data": data})
        too_big = http.post("/v1/batch", content=b'{"data":["' + b"z" * (100 * 1024) + b'"]}')
    assert response.status_code == 200 and response.json() == {"status": "queued"}
    assert engage.user("u-b1")["meta"] == {"plan": "pro", "coverage": 20}
    assert [e["value"] for e in engage.events("u-b1")] == [49.99]
    assert engage.user("u-b2") is None and engage.events("nobody") == []
    assert too_big.status_code == 413 and "100KB" in too_big.json()["error"]
