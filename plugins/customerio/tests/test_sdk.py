"""The official ``customerio`` Python SDK, unchanged, against ``tether sandbox serve customerio --tls``.

Its Track client speaks only HTTPS (§A8), so the sandbox's local CA is trusted through
REQUESTS_CA_BUNDLE; the effects are then read back through tether's own actions, over the
same served sandbox.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import customerio  # the official SDK: a test-only dependency (the workspace's dev group)
import pytest


@pytest.fixture
def served(served_sandbox, monkeypatch):
    info = served_sandbox("customerio", "--tls")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", info["caFile"])
    monkeypatch.setenv("SSL_CERT_FILE", info["caFile"])
    return info


@pytest.fixture
def track(served):
    creds, url = served["credentials"], urlsplit(served["url"])
    return customerio.CustomerIO(creds["site_id"], creds["track_api_key"], host=url.hostname, port=url.port, retries=0)


@pytest.fixture
def app(served):
    return customerio.APIClient(served["credentials"]["app_api_key"], url=served["url"], retries=0)


@pytest.fixture
def tether_conn(served, tether_client):
    """A tether connection to the same served sandbox (over HTTPS, trusting its CA)."""
    return tether_client.connect("customerio", credentials=served["credentials"], settings={"baseUrl": served["url"]})


def read(tether_client, conn, action, **input):
    return tether_client.run(action, connection_id=conn.id, input=input)


def test_sdk_identify_track_devices_delete_and_merge_are_visible_through_tether(track, tether_client, tether_conn):
    track.identify(id="sdk-1", email="sdk.one@example.com", plan="basic", created_at=1704067200)
    track.identify(id="a+b@example.com", plan="x")  # §A8: sent as a%2Bb%40example.com
    track.track(customer_id="sdk-1", name="purchased", data={"price": 23.45}, id="01HB4HBDKTFWYZCK01DMRSWRFD", timestamp=1561231234)
    track.add_device(customer_id="sdk-1", device_id="tok/1", platform="ios", last_used=1514764800)

    one = read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-1")
    assert one["attributes"]["plan"] == "basic" and one["identifiers"]["email"] == "sdk.one@example.com"
    assert one["attributes"]["created_at"] == "1704067200"
    assert [(d["id"], d["platform"]) for d in one["devices"]] == [("tok/1", "ios")]
    plus = read(tether_client, tether_conn, "find-customers-by-email", email="a+b@example.com")
    assert [r["email"] for r in plus["results"]] == ["a+b@example.com"]

    track.delete_device("sdk-1", "tok/1")
    assert read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-1")["devices"] == []

    track.identify(id="sdk-2", email="sdk.two@example.com", team="blue")
    track.merge_customers("id", "sdk-1", "email", "sdk.two@example.com")
    merged = read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-1")
    assert merged["attributes"]["team"] == "blue"
    with pytest.raises(Exception) as gone:
        read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-2")
    assert getattr(gone.value, "status", None) == 404

    events = read(tether_client, tether_conn, "get-customer-activities", customer_id="sdk-1", type="event")
    assert [a.get("name") for a in events["activities"]] == ["purchased"]

    track.delete(customer_id="sdk-1")
    found = read(tether_client, tether_conn, "find-customers-by-email", email="sdk.one@example.com")
    assert found["results"] == []


def test_sdk_batch_and_suppress(track, tether_client, tether_conn):
    track.batch([
        {"type": "person", "action": "identify", "identifiers": {"id": "sdk-b1"}, "attributes": {"a": 1}},
        {"type": "person", "action": "identify", "identifiers": {"id": "sdk-b2"}, "attributes": {"a": 2}},
    ])
    assert read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-b2")["attributes"]["a"] == "2"
    track.suppress("sdk-b1")
    with pytest.raises(Exception) as gone:
        read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk-b1")
    assert getattr(gone.value, "status", None) == 404


def test_sdk_transactional_email_is_delivered_to_the_person(app, tether_client, tether_conn):
    from customerio import SendEmailRequest

    request = SendEmailRequest(
        transactional_message_id="3",
        to="sdk.mail@example.com",
        _from="shop@example.com",
        identifiers={"email": "sdk.mail@example.com"},
        message_data={"order": 1001},
    )
    sent = app.send_email(request)
    assert sent["delivery_id"] and isinstance(sent["queued_at"], int)
    message = read(tether_client, tether_conn, "get-message", message_id=sent["delivery_id"])
    assert message["recipient"] == "sdk.mail@example.com"
    # The person is created on send (§A5.6) and the delivery is theirs.
    person = read(tether_client, tether_conn, "get-customer-attributes", customer_id="sdk.mail@example.com", id_type="email")
    mine = read(tether_client, tether_conn, "get-customer-messages", customer_id=person["identifiers"]["cio_id"], id_type="cio_id")
    assert sent["delivery_id"] in [m["id"] for m in mine["messages"]]


def test_sdk_errors_carry_the_platforms_status(served):
    bad = customerio.CustomerIO("nope", "nope", host=urlsplit(served["url"]).hostname, port=urlsplit(served["url"]).port, retries=0)
    with pytest.raises(customerio.CustomerIOException) as info:
        bad.identify(id="x", plan="y")
    assert "401" in str(info.value)
