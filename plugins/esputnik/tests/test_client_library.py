"""The ``ok-esputnik`` client from PyPI against ``tether sandbox serve esputnik``.

What it puts on the wire is what the sandbox must take: a trailing slash on every path,
``requests``' Basic auth with any user name, JSON bodies as strings, GET parameters in the
query. Every effect is then read back through tether's own actions.

ok-esputnik 0.3 pins trafaret 1.2.0, which imports ``collections.Mapping`` and friends (gone
since Python 3.10); the aliases below restore them so the real client code runs unchanged.
"""

from __future__ import annotations

import collections
import collections.abc
from datetime import datetime, timedelta, timezone

import pytest

for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

from esputnik.esputnik import ESputnikAPIAdaptor  # noqa: E402  (needs the aliases above)


@pytest.fixture
def served(served_sandbox, tether_client):
    info = served_sandbox("esputnik")
    client = ESputnikAPIAdaptor("any-user-name", info["credentials"]["api_key"], host=info["url"] + "/api/")
    conn = tether_client.connect("esputnik", credentials=info["credentials"], settings={"baseUrl": info["url"] + "/api"})
    assert conn.state == "READY"

    def run(action, **inp):
        return tether_client.run(action, connection_id=conn.id, input=inp)

    return client, run


def test_account_info(served):
    client, run = served
    answer = client.account_info()
    assert answer.status_code == 200
    assert answer.data == run("get-account-info")


def test_contacts_add_search_get_delete(served):
    client, run = served
    added = client.add_contact({"first_name": "Hedy", "last_name": "Lamarr", "channels": [{"type": "email", "value": "hedy@example.com"}, {"type": "sms", "value": "380971234567"}]})
    assert added.status_code == 200
    contact_id = added.data["id"]
    found = client.get_contacts({"email": "hedy@example.com", "start_index": 1, "max_rows": 10})
    assert [c["id"] for c in found.data] == [contact_id]
    assert client.get_contact(contact_id).data["firstName"] == "Hedy"
    # Read back through tether.
    mine = run("get-contact", id=contact_id)
    assert (mine["firstName"], mine["lastName"]) == ("Hedy", "Lamarr")
    assert run("search-contacts", sms="380971234567")["contacts"][0]["id"] == contact_id
    updated = client.update_contact(contact_id, {"first_name": "Hedwig", "channels": [{"type": "email", "value": "hedy@example.com"}]})
    assert updated.data == f"Contact with id='{contact_id}' has been updated".encode()  # plain text, as on the platform
    assert run("get-contact", id=contact_id)["firstName"] == "Hedwig"
    deleted = client.delete_contact(contact_id)
    assert deleted.status_code == 200
    assert run("search-contacts", email="hedy@example.com")["contacts"] == []


def test_groups_and_their_contacts(served):
    client, run = served
    groups = client.groups()
    assert [g["name"] for g in groups.data] == [s["name"] for s in run("get-segments")["segments"]]
    members = client.group_contacts(2001)
    assert [c["id"] for c in members.data] == [c["id"] for c in run("get-segment-contacts", id=2001)["contacts"]]
    run("add-update-contacts", contacts=[{"channels": [{"type": "email", "value": "lin@example.com"}]}], groupNames=["Customers"])
    assert "lin@example.com" in [c["channels"][0]["value"] for c in client.group_contacts(2001).data]
    emptied = client.group_contacts_detach(2001)  # no body: every contact leaves the segment
    assert emptied.status_code == 200
    assert run("get-segment-contacts", id=2001)["contacts"] == []


def test_orders_create_their_customer(served):
    client, run = served
    answer = client.orders(
        {
            "orders": [
                {
                    "id": "ok-1", "user_id": "shop-77", "total_cost": 30, "date": "2024-05-14T10:11:10+03:00", "email": "buyer@example.com",
                    "items": [{"id": "sku-1", "name": "Tea", "quantity": 1, "cost": 30, "url": "https://shop.example/tea", "image_url": "https://shop.example/tea.png", "category": "drinks"}],
                }
            ]
        }
    )
    assert answer.status_code == 200 and answer.data == {"failedOrders": []}
    [buyer] = run("search-contacts", email="buyer@example.com")["contacts"]
    assert buyer["externalCustomerId"] == "shop-77"


def test_event_starts_its_workflow_and_the_send_shows_in_activity(served, tether_client):
    client, run = served
    tether_client.sandbox_runtime("esputnik").put("settings", "account", {"delivery_seconds": 0})  # deliver at once
    answer = client.event({"event_type_key": "orderCreated", "key_value": "alan@example.com", "params": [{"name": "orderId", "value": "A-9"}]})
    assert (answer.status_code, answer.data) == (200, b"")  # an empty 200, as recorded from the platform
    rows = run("get-contacts-activity", all=True, **today())["activities"]
    [row] = [r for r in rows if r.get("workflowId") == 501]
    assert (row["contactId"], row["activityStatus"]) == (100003, "DELIVERED")


def test_message_send_and_status(served):
    client, run = served
    sent = client.message_smartsend(3001, {"recipients": [{"locator": "grace@example.com", "json_param": '{"discount": "5%"}'}]})
    assert sent.status_code == 200
    result = sent.data["results"]  # one recipient: an object, not a list
    assert result["status"] == "OK"
    status = client.message_status([result["requestId"]])
    assert status.data["results"]["status"] == "QUEUED"
    [mine] = run("get-message-status", ids=[result["requestId"]])["statuses"]
    assert (mine["status"], mine["delivered"]) == ("DELIVERED", True)
    rows = run("get-contacts-activity", all=True, **today())["activities"]
    assert [r["contactId"] for r in rows if r.get("iid") == result["requestId"]] == [100002]
    emailed = client.message_email({"from": "shop@example.com", "subject": "Hi", "html_text": "<p>Hi</p>", "plain_text": "Hi", "emails": ["new.reader@example.com"]})
    assert emailed.data["results"]["status"] == "OK"
    assert run("search-contacts", email="new.reader@example.com")["totalCount"] == 1


def today():
    now = datetime.now(timezone.utc)
    return {"dateFrom": (now - timedelta(days=1)).strftime("%Y-%m-%d"), "dateTo": (now + timedelta(days=1)).strftime("%Y-%m-%d")}
