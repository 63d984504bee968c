"""Events start workflows (whose sends show in activity); orders are upserted by their id."""

from __future__ import annotations

import pytest

from tether.connector import PlatformError, ValidationError


def test_event_is_recorded_and_starts_its_workflow_whose_send_shows_in_activity(esp):
    assert esp.run("generate-event", eventTypeKey="orderCreated", keyValue="alan@example.com", params=[{"name": "orderId", "value": "A-1"}]) == {"accepted": True}
    [event] = esp.docs("events")
    assert (event["eventTypeKey"], event["contactId"]) == ("orderCreated", 100003)
    [message] = [m for m in esp.docs("messages") if m.get("workflowId") == 501]
    esp.settings(delivery_seconds=0)
    rows = esp.items("get-contacts-activity", dateFrom="2000-01-01", dateTo="2100-01-01")
    [row] = [r for r in rows if r.get("workflowId") == 501]
    assert row["contactId"] == 100003 and row["iid"] == message["requestId"]


def test_v2_events_find_the_contact_in_their_parameters(esp):
    esp.run("generate-event", eventTypeKey="productViewed", params=[{"name": "externalCustomerId", "value": "crm-2"}, {"name": "items", "value": [{"id": "sku-1"}]}])
    assert esp.docs("events")[0]["contactId"] == 100002


def test_an_event_naming_no_contact_is_refused_by_the_platform(esp):
    with pytest.raises(PlatformError) as info:
        esp.run("generate-event", eventTypeKey="pageViewed", params=[{"name": "url", "value": "/"}])
    assert "no contact identifier" in str(info.value)
    assert esp.docs("events") == []


def test_v1_events_need_a_key_value_and_take_nested_values_as_strings(esp):
    before = esp.runtime.last_seq()
    with pytest.raises(ValidationError):
        esp.run("generate-event", eventTypeKey="x", version=1)
    assert esp.sent_since(before) == []
    esp.run("generate-event", eventTypeKey="cartUpdated", keyValue="ada@example.com", version=1, params=[{"name": "items", "value": [1, 2]}])
    [event] = esp.docs("events")
    assert event["params"] == [{"name": "items", "value": "[1, 2]"}]
    assert esp.sent_since(before)[0]["path"] == "/api/v1/event"


def test_events_over_20_kb_are_refused_before_sending(esp):
    before = esp.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        esp.run("generate-event", eventTypeKey="big", keyValue="ada@example.com", params=[{"name": "blob", "value": "x" * 21000}])
    assert "20 kB" in str(info.value)
    assert esp.sent_since(before) == []


def test_forbidden_characters_in_event_types_are_refused_before_sending(esp):
    with pytest.raises(ValidationError):
        esp.run("generate-event", eventTypeKey="order/created", keyValue="ada@example.com")


def order(order_id, total, **extra):
    return {"externalOrderId": order_id, "externalCustomerId": "crm-9", "totalCost": total, "status": "INITIALIZED", "date": "2024-05-14T10:11:10+03:00", "currency": "EUR", **extra}


def test_orders_are_upserted_by_their_id_and_create_unknown_customers(esp):
    esp.run("add-orders", orders=[order("A-1", 10, email="new.buyer@example.com"), order("A-2", 20)])
    esp.run("add-orders", orders=[order("A-1", 15, status="DELIVERED")])
    stored = {o["externalOrderId"]: o for o in esp.docs("orders")}
    assert set(stored) == {"A-1", "A-2"}
    assert (stored["A-1"]["totalCost"], stored["A-1"]["status"]) == (15, "DELIVERED")
    buyer = esp.contact_by_email("new.buyer@example.com")
    assert buyer["externalCustomerId"] == "crm-9"


def test_more_than_1000_orders_go_in_several_requests(esp):
    before = esp.runtime.last_seq()
    out = esp.run("add-orders", orders=[order(f"B-{i}", i) for i in range(1500)])
    assert (out["requests"], out["accepted"]) == (2, 1500)
    assert len(esp.sent_since(before)) == 2
    assert len(esp.docs("orders")) == 1500
