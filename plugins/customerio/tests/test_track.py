"""Track API actions change the sandbox's state as Customer.io's would (§A3)."""

from __future__ import annotations

import pytest
from tether import NotFoundError, ValidationError

from tether_customerio import samples as s


def test_identify_creates_then_updates_and_the_app_api_sees_it(cio):
    cio.run("identify-customer", identifier="cust-5001", email="lin@example.com", created_at=1700000000, attributes={"plan": "free", "seats": 3})
    cio.run("identify-customer", identifier="cust-5001", attributes={"plan": "pro"})
    got = cio.run("get-customer-attributes", customer_id="cust-5001")
    assert got["identifiers"]["email"] == "lin@example.com"
    assert got["attributes"]["plan"] == "pro" and got["attributes"]["seats"] == "3"  # §A5.2: strings


def test_identify_update_only_never_creates(cio):
    cio.run("identify-customer", identifier="ghost-1", attributes={"plan": "x"}, update_only=True)
    assert cio.person("ghost-1") is None
    cio.run("identify-customer", identifier=s.ADA, attributes={"plan": "enterprise"}, update_only=True)
    assert cio.person(s.ADA)["attributes"]["plan"] == "enterprise"


def test_identifiers_with_plus_at_and_slash_are_percent_encoded_on_the_wire(cio):
    before = cio.runtime.last_seq()
    cio.run("identify-customer", identifier="a+b@example.com", attributes={"plan": "x"})
    cio.run("add-customer-device", identifier="a+b@example.com", device_id="tok/1", platform="ios")
    cio.run("delete-customer-device", identifier="a+b@example.com", device_id="tok/1")
    paths = [e["path"] for e in cio.runtime.journal(after=before)]
    assert paths == [
        "/api/v1/customers/a%2Bb%40example.com",
        "/api/v1/customers/a%2Bb%40example.com/devices",
        "/api/v1/customers/a%2Bb%40example.com/devices/tok%2F1",
    ]
    assert cio.person("a+b@example.com")["devices"] == []


def test_cio_prefixed_identifiers_address_by_cio_id(cio):
    cio.run("identify-customer", identifier=f"cio_{s.GRACE_CIO}", attributes={"team": "navy"})
    assert cio.person(s.GRACE)["attributes"]["team"] == "navy"


def test_delete_removes_the_person_and_is_fine_when_absent(cio):
    cio.run("delete-customer", identifier=s.KATHERINE)
    assert cio.person(s.KATHERINE) is None
    with pytest.raises(NotFoundError):
        cio.run("get-customer-attributes", customer_id=s.KATHERINE)
    assert cio.run("delete-customer", identifier="never-existed") == {"ok": True}


def test_delete_accepts_an_empty_object_or_no_body(cio):
    with cio.http("track") as http:
        assert http.request("DELETE", f"/api/v1/customers/{s.ADA}", content=b"{}").status_code == 200
        assert http.request("DELETE", f"/api/v1/customers/{s.GRACE}").status_code == 200
    assert cio.person(s.ADA) is None and cio.person(s.GRACE) is None


def test_events_are_recorded_as_activities_and_deduplicated_by_id(cio):
    event = {"identifier": s.ADA, "name": "  purchased ", "data": {"price": 23.45}, "id": "01HB4HBDKTFWYZCK01DMRSWRFD"}
    cio.run("track-customer-event", **event)
    cio.run("track-customer-event", **event)  # same id: counted once
    activities = [a for a in cio.collection("activities") if a.get("name") == "purchased"]
    assert len(activities) == 1
    assert activities[0]["data"] == {"price": 23.45} and activities[0]["customer_id"] == s.ADA


def test_an_event_for_an_unknown_person_creates_them(cio):
    cio.run("track-customer-event", identifier="new-7", name="signed_up")
    assert cio.person("new-7") is not None


def test_anonymous_events_merge_into_the_person_identified_later(cio):
    cio.run("track-anonymous-event", anonymous_id="anon-42", name="viewed_pricing")
    (event,) = [a for a in cio.collection("activities") if a.get("name") == "viewed_pricing"]
    assert event["customer_id"] is None
    cio.run("identify-customer", identifier="cust-42", attributes={"anonymous_id": "anon-42"})
    (event,) = [a for a in cio.collection("activities") if a.get("name") == "viewed_pricing"]
    assert event["customer_id"] == "cust-42"


def test_an_invite_event_needs_a_recipient_before_anything_is_sent(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("track-anonymous-event", name="invited", data={"note": "no recipient"})
    assert cio.runtime.journal(after=before) == []


def test_devices_upsert_by_token_and_delete(cio):
    cio.run("add-customer-device", identifier=s.GRACE, device_id="fcm-1", platform="android", last_used=1700000000)
    cio.run("add-customer-device", identifier=s.GRACE, device_id="fcm-1", platform="android", attributes={"app_version": "3.0"})
    devices = cio.person(s.GRACE)["devices"]
    assert [d["id"] for d in devices] == ["fcm-1"] and devices[0]["attributes"] == {"app_version": "3.0"}
    assert cio.run("get-customer-attributes", customer_id=s.GRACE)["devices"][0]["platform"] == "android"
    cio.run("delete-customer-device", identifier=s.ADA, device_id=s.ADA_DEVICE)
    assert cio.person(s.ADA)["devices"] == []


def test_a_bad_device_body_gets_the_meta_errors_shape(cio):
    with cio.http("track") as http:
        reply = http.put(f"/api/v1/customers/{s.ADA}/devices", json={"device": {"platform": "ios"}})
    assert reply.status_code == 400
    assert isinstance(reply.json()["meta"]["errors"], list)


def test_suppress_deletes_and_blocks_until_unsuppressed(cio):
    cio.run("suppress-customer", identifier=s.ALAN)
    assert cio.person(s.ALAN) is None
    cio.run("identify-customer", identifier=s.ALAN, attributes={"plan": "back"})
    assert cio.person(s.ALAN) is None  # blocked
    cio.run("unsuppress-customer", identifier=s.ALAN)
    cio.run("identify-customer", identifier=s.ALAN, attributes={"plan": "back"})
    assert cio.person(s.ALAN)["attributes"]["plan"] == "back"
    assert "first_name" not in cio.person(s.ALAN)["attributes"]  # the old profile is not restored


def test_merge_moves_data_to_the_primary_and_deletes_the_secondary(cio):
    cio.run("add-customers-to-segment", segment_id=s.BETA_SEGMENT, ids=[s.KATHERINE])
    cio.run("merge-customers", primary={"id": s.ALAN}, secondary={"email": s.KATHERINE_EMAIL})
    assert cio.person(s.KATHERINE) is None
    alan = cio.person(s.ALAN)
    assert alan["attributes"]["first_name"] == "Alan"  # the primary wins on conflicts
    assert alan["cio_id"] in cio.segment(s.BETA_SEGMENT)["members"]


def test_merge_refuses_two_identifiers_per_side(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("merge-customers", primary={"id": s.ALAN, "email": s.ALAN_EMAIL}, secondary={"id": s.ADA})
    assert cio.runtime.journal(after=before) == []
    with cio.http("track") as http:
        reply = http.post("/api/v1/merge_customers", json={"primary": {"id": "1", "email": "x@y.z"}, "secondary": {"id": "2"}})
    assert reply.status_code == 400 and isinstance(reply.json()["meta"]["error"], str)


def test_segment_membership_add_and_remove_is_visible_to_the_app_api(cio):
    cio.run("add-customers-to-segment", segment_id=s.BETA_SEGMENT, ids=[s.ALAN_EMAIL, "nobody@example.com"], id_type="email")
    assert cio.segment(s.BETA_SEGMENT)["members"] == [s.ALAN_CIO]
    members = cio.run("get-segment-membership", segment_id=s.BETA_SEGMENT)
    assert [i["id"] for i in members["identifiers"]] == [s.ALAN]
    cio.run("remove-customers-from-segment", segment_id=s.VIP_SEGMENT, ids=[s.GRACE])
    assert cio.segment(s.VIP_SEGMENT)["members"] == [s.ADA_CIO]


def test_an_unknown_segment_is_a_bare_string_404(cio):
    with pytest.raises(NotFoundError) as info:
        cio.run("add-customers-to-segment", segment_id=999, ids=[s.ADA])
    assert "Segment not found" in str(info.value)
    with cio.http("track") as http:
        reply = http.post("/api/v1/segments/999/add_customers", json={"ids": ["1"]})
    assert reply.status_code == 404 and reply.json() == "Segment not found"


def test_more_than_1000_ids_are_refused_before_sending(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("add-customers-to-segment", segment_id=s.BETA_SEGMENT, ids=[f"c{i}" for i in range(1001)])
    assert info.value.path == "input.ids"
    assert cio.runtime.journal(after=before) == []


def test_form_submissions_identify_the_person_and_answer_204(cio):
    cio.run("submit-form", form_id="contact-us", data={"email": "lead@example.com", "company": "Acme"})
    person = cio.person("lead@example.com")
    assert person["attributes"]["company"] == "Acme"
    (submission,) = cio.collection("form_submissions")
    assert submission["form_id"] == "contact-us"
    with cio.http("track") as http:
        ok = http.post("/api/v1/forms/contact-us/submit", json={"data": {"email": "x@example.com"}})
        bad = http.post("/api/v1/forms/contact-us/submit", json={"data": {"email": "x@example.com", "age": 3}})
    assert ok.status_code == 204
    assert bad.status_code == 400 and bad.json()["meta"]["errors"]


def test_track_refuses_wrong_credentials_with_401(cio):
    with cio.http("track", auth=("nope", "nope")) as http:
        reply = http.put("/api/v1/customers/x", json={})
    assert reply.status_code == 401
    assert cio.person("x") is None


def test_account_region_reports_the_workspace(cio):
    assert cio.run("get-account-region") == {"url": "https://track.customer.io", "region": "us", "environment_id": 3}
