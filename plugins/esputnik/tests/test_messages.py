"""Sends: per-recipient results, statuses that move, and the activity they leave."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tether.connector import NotFoundError, ValidationError


def today_window():
    now = datetime.now(timezone.utc)
    return {"dateFrom": (now - timedelta(days=1)).strftime("%Y-%m-%d"), "dateTo": (now + timedelta(days=1)).strftime("%Y-%m-%d")}


def test_send_then_status_then_activity(esp):
    sent = esp.run("send-prepared-message", id=3001, recipients=[{"locator": "grace@example.com", "params": {"discount": "5%"}}], externalRequestId="promo-1")
    [result] = sent["results"]  # one recipient comes back as an object; the output is always a list
    assert result["status"] == "OK"
    request_id = result["requestId"]
    first = esp.run("get-message-status", ids=[request_id])["statuses"]
    assert first == [{"status": "QUEUED", "requestId": request_id, "failed": False, "delivered": False}]
    second = esp.run("get-message-status", ids=[request_id])["statuses"]
    assert second[0]["status"] == "DELIVERED" and second[0]["delivered"] is True
    rows = esp.items("get-contacts-activity", **today_window())
    [row] = [r for r in rows if r.get("iid") == request_id]
    assert row["activityStatus"] == "DELIVERED" and row["contactId"] == 100002
    assert row["messageId"] == 3001 and row["externalRequestId"] == "promo-1"


def test_delivery_also_happens_with_time(esp):
    esp.settings(delivery_seconds=0)
    [result] = esp.run("send-email", **{"from": "shop@example.com"}, subject="Hi", htmlText="<p>Hi</p>", emails=["ada@example.com"])["results"]
    assert esp.run("get-message-status", ids=[result["requestId"]])["statuses"][0]["status"] == "DELIVERED"


def test_params_travel_as_a_json_string(esp):
    # The platform refuses a jsonParam that is not a string; the action serialises the object.
    out = esp.run("send-prepared-message", id=3001, recipients=[{"locator": "ada@example.com", "params": {"items": [1, 2]}}, {"locator": "alan@example.com"}])
    assert [r["status"] for r in out["results"]] == ["OK", "OK"]


def test_invalid_recipients_are_per_recipient_errors(esp):
    out = esp.run("send-email", **{"from": "shop@example.com"}, subject="Hi", plainText="Hi", emails=["ada@example.com", "not-an-email"])
    assert [(r["locator"], r["status"]) for r in out["results"]] == [("ada@example.com", "OK"), ("not-an-email", "ERROR")]
    assert out["results"][1]["message"] == "'not-an-email' is not valid email"


def test_a_bounce_is_undelivered_and_failed(esp):
    [result] = esp.run("send-email", **{"from": "shop@example.com"}, subject="Hi", plainText="Hi", emails=["gone@bounce.example"])["results"]
    esp.run("get-message-status", ids=[result["requestId"]])
    [status] = esp.run("get-message-status", ids=[result["requestId"]])["statuses"]
    assert (status["status"], status["failed"], status["delivered"]) == ("UNDELIVERED", True, False)


def test_unknown_recipients_become_contacts(esp):
    esp.run("send-sms", **{"from": "MyShop"}, text="Shipped", phoneNumbers=["380931234567"])
    assert any(c["channels"] == [{"type": "sms", "value": "380931234567"}] for c in esp.docs("contacts"))


def test_sms_to_a_segment_reaches_members_with_a_phone(esp):
    out = esp.run("send-sms", **{"from": "MyShop"}, text="Sale", groupId=2001)
    assert [r["locator"] for r in out["results"]] == ["380501234567"]


def test_many_statuses_at_once(esp):
    sent = esp.run("send-email", **{"from": "shop@example.com"}, subject="Hi", plainText="Hi", emails=["ada@example.com", "alan@example.com"])
    ids = [r["requestId"] for r in sent["results"]]
    statuses = esp.run("get-message-status", ids=ids)["statuses"]
    assert [s["requestId"] for s in statuses] == ids


def test_more_than_1000_recipients_go_in_several_requests(esp):
    recipients = [{"locator": f"r{i}@example.com"} for i in range(1001)]
    before = esp.runtime.last_seq()
    out = esp.run("send-prepared-message", id=3001, recipients=recipients)
    assert len(out["results"]) == 1001
    assert len(esp.sent_since(before)) == 2


def test_an_unknown_template_is_not_found(esp):
    with pytest.raises(NotFoundError):
        esp.run("send-prepared-message", id=9999, recipients=[{"locator": "ada@example.com"}])


def test_an_email_needs_a_body(esp):
    with pytest.raises(ValidationError):
        esp.run("send-email", **{"from": "shop@example.com"}, subject="Hi", emails=["ada@example.com"])
