"""Reporting webhooks (§A5.8): bare objects, full-object PUT, 200 empty DELETE."""

import pytest
from tether import NotFoundError, ValidationError
from tether_customerio import samples as s
from tether_customerio.actions import webhooks as actions
from tether_customerio.sandbox import webhooks as sandbox


def _stored(cio, webhook_id, region="us"):
    return next((w for w in cio.collection("reporting_webhooks", region) if w["id"] == webhook_id), None)


def test_list_and_get(cio):
    listed = cio.run("list-reporting-webhooks")["reporting_webhooks"]
    assert [w["id"] for w in listed] == [s.DELIVERY_WEBHOOK]
    one = cio.run("get-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK)
    assert one == listed[0] and "email_opened" in one["events"]
    with cio.http("app") as http:
        raw = http.get(f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}")
    assert raw.json()["id"] == s.DELIVERY_WEBHOOK and "reporting_webhook" not in raw.json()  # §A5.8: bare
    with pytest.raises(NotFoundError):
        cio.run("get-reporting-webhook", webhook_id=99)


def test_create_then_get(cio):
    created = cio.run("create-reporting-webhook", name="Bounces", endpoint="https://example.com/hook", events=["email_bounced", "sms_failed"])
    assert created == {
        "id": s.DELIVERY_WEBHOOK + 1,
        "name": "Bounces",
        "endpoint": "https://example.com/hook",
        "disabled": False,
        "full_resolution": True,
        "with_content": False,
        "events": ["email_bounced", "sms_failed"],
    }
    assert cio.run("get-reporting-webhook", webhook_id=created["id"]) == created
    assert _stored(cio, created["id"]) == created
    assert _stored(cio, created["id"], "eu") is None  # the EU workspace is separate


def test_unknown_events_are_refused(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("create-reporting-webhook", name="x", endpoint="https://example.com/h", events=["email_teleported"])
    assert info.value.path == "input.events[0]"
    with pytest.raises(ValidationError):
        cio.run("create-reporting-webhook", name="x", endpoint="https://example.com/h", events=[])
    assert cio.runtime.journal(after=before) == []
    with cio.http("app") as http:
        reply = http.post("/v1/reporting_webhooks", json={"name": "x", "endpoint": "https://example.com/h", "events": ["slack_opened"]})
        missing = http.post("/v1/reporting_webhooks", json={"name": "x", "events": ["email_sent"]})
    assert reply.status_code == 400 and "slack_opened" in reply.json()["errors"][0]["detail"]
    assert missing.status_code == 400 and "endpoint" in missing.json()["errors"][0]["detail"]
    assert len(cio.collection("reporting_webhooks")) == 1


def test_the_schema_and_the_sandbox_allow_the_same_events():
    assert set(actions.EVENTS) == set(sandbox.EVENTS)
    assert len(actions.EVENTS) == 3 + 14 + 11 + 6 + 9 + 7


def test_partial_update_keeps_the_other_fields(cio):
    before = cio.runtime.last_seq()
    updated = cio.run("update-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK, disabled=True)
    seeded_events = ["email_sent", "email_delivered", "email_opened", "email_clicked", "email_bounced"]
    assert updated["disabled"] is True and updated["events"] == seeded_events
    assert updated["name"] == "Delivery events to the data warehouse" and updated["endpoint"] == "https://hooks.example.com/customerio"
    sent = [(e["method"], e["path"]) for e in cio.runtime.journal(after=before)]
    assert sent == [("GET", f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}"), ("PUT", f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}")]
    assert _stored(cio, s.DELIVERY_WEBHOOK)["disabled"] is True
    again = cio.run("update-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK, events=["push_opened"], with_content=True)
    assert again["events"] == ["push_opened"] and again["disabled"] is True and again["with_content"] is True
    with pytest.raises(ValidationError):
        cio.run("update-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK)  # nothing to change
    with pytest.raises(NotFoundError):
        cio.run("update-reporting-webhook", webhook_id=99, disabled=True)


def test_put_replaces_the_whole_object(cio):
    with cio.http("app") as http:
        partial = http.put(f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}", json={"disabled": True})
        full = http.put(
            f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}",
            json={"name": "n", "endpoint": "https://example.com/n", "events": ["customer_unsubscribed"], "full_resolution": False},
        )
    assert partial.status_code == 400
    assert full.status_code == 200 and full.json() == {
        "id": s.DELIVERY_WEBHOOK,
        "name": "n",
        "endpoint": "https://example.com/n",
        "disabled": False,
        "full_resolution": False,
        "with_content": False,
        "events": ["customer_unsubscribed"],
    }


def test_delete_then_not_found(cio):
    assert cio.run("delete-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK) == {"deleted": True}
    assert cio.collection("reporting_webhooks") == []
    with pytest.raises(NotFoundError):
        cio.run("get-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK)
    with pytest.raises(NotFoundError):
        cio.run("delete-reporting-webhook", webhook_id=s.DELIVERY_WEBHOOK)
    assert _stored(cio, s.DELIVERY_WEBHOOK, "eu") is not None


def test_delete_answers_200_with_no_body(cio):
    with cio.http("app") as http:
        reply = http.delete(f"/v1/reporting_webhooks/{s.DELIVERY_WEBHOOK}")
    assert reply.status_code == 200 and reply.content == b""
