"""API-triggered broadcasts (§A5.4, §A5.5).

The engine paces broadcast triggers at one per 10 s per connection, so a test triggers at most
once through tether on each connection; further triggers (and the 429) go through raw HTTP.
"""

import pytest
from tether import NotFoundError, ValidationError
from tether_customerio import samples as s


def _messages(cio, broadcast_id, region="us"):
    return [m for m in cio.collection("messages", region) if m.get("broadcast_id") == broadcast_id]


def _nothing_sent(cio, before):
    assert cio.runtime.journal(after=before) == []


def test_list_broadcasts(cio):
    out = cio.run("list-broadcasts")
    assert [b["id"] for b in out["broadcasts"]] == [s.OUTAGE_BROADCAST, s.PRICING_BROADCAST]
    assert {b["type"] for b in out["broadcasts"]} == {"triggered_broadcast"}
    assert out["broadcasts"][0]["actions"] == [{"id": 301, "type": "email"}]
    assert not any(k.startswith("_") for b in out["broadcasts"] for k in b)


def test_trigger_by_ids_reaches_existing_people_and_reports_the_rest(cio):
    out = cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[s.ADA, "nobody"], data={"headline": "Down tonight"})
    assert out == {"id": s.OUTAGE_TRIGGER + 1, "broadcast_id": s.OUTAGE_BROADCAST}
    sent = cio.runtime.journal()[-1]
    assert (sent["method"], sent["path"]) == ("POST", f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers")
    # One delivery, to Ada; nobody was created for the unknown id (§A5.5: existing people only).
    messages = _messages(cio, s.OUTAGE_BROADCAST)
    assert [(m["customer_id"], m["type"], m["recipient"]) for m in messages] == [(s.ADA, "email", s.ADA_EMAIL)]
    assert messages[0]["action_id"] == 301
    activity = next(a for a in cio.collection("activities") if a["delivery_id"] == messages[0]["id"])
    assert activity["type"] == "sent_email" and activity["data"] == {"broadcast_id": s.OUTAGE_BROADCAST, "trigger_id": out["id"]}
    assert cio.person("nobody") is None
    trigger = cio.run("get-broadcast-trigger", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=out["id"])
    assert trigger["id"] == out["id"] and trigger["broadcast_id"] == s.OUTAGE_BROADCAST and trigger["processed_at"] >= trigger["created_at"]
    assert set(trigger) == {"id", "broadcast_id", "created_at", "processed_at"}
    errors = cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=out["id"])
    assert errors["errors"] == ["line 2 : customer with id 'nobody' not found"]


def test_a_second_trigger_within_ten_seconds_is_refused(cio):
    cio.run("trigger-broadcast", broadcast_id=s.PRICING_BROADCAST, ids=[s.ADA])
    before = len(cio.collection("broadcast_triggers"))
    with cio.http("app") as http:
        reply = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", json={"ids": [s.GRACE]})
    # §A5.5, §A7: one trigger per 10 s, whatever the broadcast; nothing is recorded.
    assert reply.status_code == 429 and reply.json()["errors"][0]["status"] == "429"
    assert len(cio.collection("broadcast_triggers")) == before
    assert _messages(cio, s.OUTAGE_BROADCAST) == []
    # The EU workspace is another account, with its own allowance.
    eu = cio.run_in(cio.eu, "trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[s.GRACE])
    assert eu["id"] == s.OUTAGE_TRIGGER + 1
    assert [m["customer_id"] for m in _messages(cio, s.OUTAGE_BROADCAST, "eu")] == [s.GRACE]


def test_default_audience_and_legacy_path(cio):
    # The Node SDK's /v1/api/campaigns/{id}/triggers (§A1) and an empty body: the broadcast's own audience.
    with cio.http("app") as http:
        reply = http.post(f"/v1/api/campaigns/{s.OUTAGE_BROADCAST}/triggers")
    assert reply.status_code == 200 and reply.json() == {"id": s.OUTAGE_TRIGGER + 1}
    reached = sorted(m["customer_id"] for m in _messages(cio, s.OUTAGE_BROADCAST))
    assert reached == [s.ADA, s.GRACE]  # the VIP segment


def test_trigger_with_an_audience_filter(cio):
    cio.run(
        "trigger-broadcast",
        broadcast_id=s.PRICING_BROADCAST,
        recipients={"attribute": {"field": "plan", "operator": "eq", "value": "free"}},
    )
    messages = _messages(cio, s.PRICING_BROADCAST)
    assert sorted(m["customer_id"] for m in messages) == [s.ALAN, s.KATHERINE]
    assert {m["type"] for m in messages} == {"push"}


def test_emails_with_ignore_missing_report_nothing(cio):
    out = cio.run(
        "trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, emails=[s.GRACE_EMAIL.upper(), "ghost@example.com"], email_ignore_missing=True
    )
    assert [m["customer_id"] for m in _messages(cio, s.OUTAGE_BROADCAST)] == [s.GRACE]
    assert cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=out["id"])["errors"] == []


def test_per_user_data_and_unsubscribed_people(cio):
    cio.run("identify-customer", identifier=s.GRACE, attributes={"unsubscribed": True})
    out = cio.run(
        "trigger-broadcast",
        broadcast_id=s.OUTAGE_BROADCAST,
        per_user_data=[{"id": s.ADA, "data": {"n": 1}}, {"email": s.GRACE_EMAIL, "data": {"n": 2}}, {"email": "ghost@example.com"}],
    )
    assert [m["customer_id"] for m in _messages(cio, s.OUTAGE_BROADCAST)] == [s.ADA]  # Grace unsubscribed
    errors = cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=out["id"])
    assert errors["errors"] == ["line 3 : customer with email 'ghost@example.com' not found"]


def test_schema_refuses_bad_audiences_before_sending(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[s.ADA], emails=[s.ADA_EMAIL])
    assert "only one of" in info.value.message
    with pytest.raises(ValidationError):
        cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[str(n) for n in range(10_001)])
    with pytest.raises(ValidationError):
        cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, per_user_data=[{"id": s.ADA, "email": s.ADA_EMAIL}])
    with pytest.raises(ValidationError) as big:
        cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, data={"blob": "x" * 50_000})
    assert big.value.path == "input.data"
    _nothing_sent(cio, before)


def test_sandbox_refuses_invalid_triggers_with_422(cio):
    with cio.http("app") as http:
        both = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", json={"ids": [s.ADA], "per_user_data": [{"id": s.ADA}]})
        bad_rows = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", json={"per_user_data": [{"id": s.ADA}, {"data": {}}]})
        big = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", json={"data": {"blob": "x" * 50_000}})
        malformed = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", content=b"{", headers={"Content-Type": "application/json"})
        unknown = http.post("/v1/campaigns/999/triggers", json={})
    assert both.status_code == 422 and both.json()["errors"][0]["source"] == {"pointer": "/data/attributes/per_user_data"}
    error = bad_rows.json()["errors"][0]
    assert bad_rows.status_code == 422 and error["status"] == "422" and error["source"]["pointer"] == "/data/attributes/per_user_data"
    assert error["detail"].startswith("Errors were found while processing per user data") and "line 2" in error["detail"]
    assert big.status_code == 422 and big.json()["errors"][0]["source"]["pointer"] == "/data/attributes/data"
    assert malformed.status_code == 400
    assert unknown.status_code == 404
    assert len(cio.collection("broadcast_triggers")) == 1 and _messages(cio, s.OUTAGE_BROADCAST) == []  # nothing recorded


def test_unknown_broadcast_is_not_found(cio):
    with pytest.raises(NotFoundError) as info:
        cio.run("trigger-broadcast", broadcast_id=999, ids=[s.ADA])
    assert info.value.status == 404


def test_trigger_status_and_errors_belong_to_their_broadcast(cio):
    seeded = cio.run("get-broadcast-trigger", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=s.OUTAGE_TRIGGER)
    assert seeded["broadcast_id"] == s.OUTAGE_BROADCAST
    assert cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=s.OUTAGE_TRIGGER)["errors"] == [
        "line 2 : customer with id 'cust-9999' not found"
    ]
    with pytest.raises(NotFoundError):
        cio.run("get-broadcast-trigger", broadcast_id=s.PRICING_BROADCAST, trigger_id=s.OUTAGE_TRIGGER)
    with pytest.raises(NotFoundError):
        cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=77)


def test_trigger_errors_page(cio):
    missing = [f"ghost-{n}" for n in range(15)]
    with cio.http("app") as http:
        trigger_id = http.post(f"/v1/campaigns/{s.OUTAGE_BROADCAST}/triggers", json={"ids": missing}).json()["id"]
    first = cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=trigger_id, limit=10)
    assert len(first["errors"]) == 10 and first["next"]
    assert first["errors"][0] == "line 1 : customer with id 'ghost-0' not found"
    every = cio.run("get-broadcast-trigger-errors", broadcast_id=s.OUTAGE_BROADCAST, trigger_id=trigger_id, all=True)
    assert [e.split(" : ")[0] for e in every["errors"]] == [f"line {n}" for n in range(1, 16)]
