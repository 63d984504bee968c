"""People through the App API (§A5.2): look-ups, search, batch profiles, and per-person listings.

Each test checks what the sandbox holds (people written through the Track API are what the App
API reads back), the platform's error shapes (§A7), and that input the schema refuses is never sent.
"""

from __future__ import annotations

import json

import pytest
from tether import NotFoundError, ValidationError

from tether_customerio import samples

PRO = {"attribute": {"field": "plan", "operator": "eq", "value": "pro"}}


# -- find-customers-by-email -------------------------------------------------------------------------


def test_find_by_email_is_case_insensitive_and_sees_new_people(cio):
    found = cio.run("find-customers-by-email", email="ALAN+TEST@Example.com")
    assert found == {"results": [{"email": samples.ALAN_EMAIL, "id": samples.ALAN, "cio_id": samples.ALAN_CIO}]}
    assert cio.run("find-customers-by-email", email="nobody@example.com") == {"results": []}
    cio.run("identify-customer", identifier="cust-3001", email="nobody@example.com")
    (hit,) = cio.run("find-customers-by-email", email="nobody@example.com")["results"]
    assert hit["id"] == "cust-3001" and hit["cio_id"] == cio.person("cust-3001")["cio_id"]


def test_find_by_email_without_an_email_is_a_400_in_the_app_shape(cio):
    with cio.http("app") as http:
        reply = http.get("/v1/customers")
    assert reply.status_code == 400
    assert reply.json() == {"errors": [{"detail": "email is required", "status": "400"}]}


# -- search-customers ----------------------------------------------------------------------------------


def test_search_by_attribute_follows_the_people_in_the_sandbox(cio):
    found = cio.run("search-customers", filter=PRO)
    assert found["ids"] == [samples.ADA, samples.GRACE]
    assert found["identifiers"][0] == {"id": samples.ADA, "email": samples.ADA_EMAIL, "cio_id": samples.ADA_CIO}
    assert found["next"] == ""
    cio.run("identify-customer", identifier=samples.KATHERINE, attributes={"plan": "pro"})
    assert cio.run("search-customers", filter=PRO)["ids"] == [samples.ADA, samples.GRACE, samples.KATHERINE]


def test_search_combines_segments_and_not(cio):
    flt = {"and": [{"segment": {"id": samples.VIP_SEGMENT}}, {"not": {"attribute": {"field": "first_name", "operator": "eq", "value": "Grace"}}}]}
    assert cio.run("search-customers", filter=flt)["ids"] == [samples.ADA]
    anyone = {"or": [{"attribute": {"field": "last_name", "operator": "exists"}}, {"segment": {"id": samples.BETA_SEGMENT}}]}
    assert cio.run("search-customers", filter=anyone)["ids"] == [samples.ADA, samples.GRACE, samples.ALAN]


def test_search_pages_with_start_and_limit_and_all_follows_them(cio):
    everyone = {"attribute": {"field": "email", "operator": "exists"}}
    first = cio.run("search-customers", filter=everyone, limit=3)
    assert len(first["ids"]) == 3 and first["next"]
    second = cio.run("search-customers", filter=everyone, limit=3, start=first["next"])
    assert second["ids"] == [samples.KATHERINE] and second["next"] == ""
    before = cio.runtime.last_seq()
    streamed = cio.run("search-customers", filter=everyone, all=True)
    assert [i["id"] for i in streamed["identifiers"]] == [samples.ADA, samples.GRACE, samples.ALAN, samples.KATHERINE]
    sent = cio.runtime.journal(after=before)
    assert [(e["method"], e["path"]) for e in sent] == [("POST", "/v1/customers")]
    assert "limit=1000" in sent[0]["query"]  # all=true asks for the largest page


def test_search_refuses_a_bad_filter_before_sending(cio):
    before = cio.runtime.last_seq()
    for bad in ({"attribute": {"field": "plan", "operator": "gt", "value": 1}}, {"segment": {"id": 7}, "not": {}}, {}):
        with pytest.raises(ValidationError):
            cio.run("search-customers", filter=bad)
    with pytest.raises(ValidationError):
        cio.run("search-customers", filter=PRO, limit=1001)  # §A5.1: at most 1000
    assert cio.runtime.journal(after=before) == []


def test_the_sandbox_refuses_a_malformed_filter_with_a_pointer(cio):
    with cio.http("app") as http:
        missing = http.post("/v1/customers", json={"filters": PRO})
        bad = http.post("/v1/customers", json={"filter": {"and": [{"attribute": {"field": "plan", "operator": "like"}}]}})
    assert missing.status_code == 400
    assert missing.json() == {"errors": [{"detail": "filter is required", "status": "400", "source": {"pointer": "/filter"}}]}
    assert bad.status_code == 400 and "operator" in bad.json()["errors"][0]["detail"]


# -- get-customer-attributes ------------------------------------------------------------------------------


def test_get_customer_attributes_by_each_id_type(cio):
    by_id = cio.run("get-customer-attributes", customer_id=samples.ADA)
    assert by_id["attributes"]["plan"] == "pro" and by_id["attributes"]["created_at"] == "1690000000"  # strings (§A5.2)
    assert cio.run("get-customer-attributes", customer_id=samples.ADA_CIO, id_type="cio_id") == by_id
    assert cio.run("get-customer-attributes", customer_id="ADA@example.com", id_type="email") == by_id


def test_unknown_customer_is_a_404(cio):
    with pytest.raises(NotFoundError) as info:
        cio.run("get-customer-attributes", customer_id="nobody")
    assert info.value.status == 404
    assert info.value.details["body"] == {"errors": [{"detail": "Customer not found", "status": "404"}]}


# -- get-customers-attributes -------------------------------------------------------------------------------


def test_many_ids_are_split_into_requests_of_100_and_merged(cio):
    ids = [f"ghost-{n}" for n in range(120)] + [samples.GRACE] + [f"ghost-{n}" for n in range(120, 240)] + [samples.ADA, samples.ADA]
    before = cio.runtime.last_seq()
    out = cio.run("get-customers-attributes", ids=ids)
    sent = cio.runtime.journal(after=before)
    assert [(e["method"], e["path"], e["status"]) for e in sent] == [("POST", "/v1/customers/attributes", 200)] * 3  # 242 distinct ids
    assert [c["id"] for c in out["customers"]] == [samples.GRACE, samples.ADA]
    assert out["customers"][0]["identifiers"]["email"] == samples.GRACE_EMAIL
    assert len(out["missing"]) == 240 and out["missing"][0] == "ghost-0" and samples.ADA not in out["missing"]


def test_the_sandbox_refuses_more_than_100_ids_per_request(cio):
    with cio.http("app") as http:
        reply = http.post("/v1/customers/attributes", json={"ids": [str(n) for n in range(101)]})
        ok = http.post("/v1/customers/attributes", json={"ids": [samples.ALAN, "ghost"]})
    assert reply.status_code == 400 and reply.json()["errors"][0]["status"] == "400"
    assert ok.status_code == 200
    assert [c["customer"]["id"] for c in ok.json()["customers"]] == [samples.ALAN]  # §A5.2: unknown ids omitted


def test_get_customers_attributes_needs_ids(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("get-customers-attributes", ids=[])
    assert cio.runtime.journal(after=before) == []


# -- get-customer-segments ------------------------------------------------------------------------------------


def test_customer_segments_follow_manual_and_dynamic_membership(cio):
    ada = cio.run("get-customer-segments", customer_id=samples.ADA)["segments"]
    assert [s["id"] for s in ada] == [samples.VIP_SEGMENT, samples.ACTIVE_SEGMENT]
    assert ada[0]["name"] == "VIP customers" and "members" not in ada[0]
    assert cio.run("get-customer-segments", customer_id=samples.KATHERINE_EMAIL, id_type="email") == {"segments": []}
    cio.run("identify-customer", identifier=samples.KATHERINE, attributes={"plan": "pro"})
    assert [s["id"] for s in cio.run("get-customer-segments", customer_id=samples.KATHERINE)["segments"]] == [samples.ACTIVE_SEGMENT]
    with pytest.raises(NotFoundError):
        cio.run("get-customer-segments", customer_id="nobody")


def test_a_bad_id_type_is_refused_by_schema_and_sandbox(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("get-customer-segments", customer_id=samples.ADA, id_type="phone")
    assert cio.runtime.journal(after=before) == []
    with cio.http("app") as http:
        reply = http.get(f"/v1/customers/{samples.ADA}/segments", params={"id_type": "phone"})
    assert reply.status_code == 400


# -- get-customer-messages ------------------------------------------------------------------------------------


def test_customer_messages_cover_the_last_six_months_unless_told(cio):
    now = int(cio.runtime.clock())
    cio.put_doc("messages", "recent-1", cio.message_doc("recent-1", samples.ADA_CIO, now - 3600, subject="Your receipt"))
    cio.put_doc("messages", "recent-2", cio.message_doc("recent-2", samples.ADA_CIO, now - 60, subject="Shipped"))
    cio.put_doc("messages", "grace-1", cio.message_doc("grace-1", samples.GRACE_CIO, now - 60))
    recent = cio.run("get-customer-messages", customer_id=samples.ADA)
    assert [m["id"] for m in recent["messages"]] == ["recent-2", "recent-1"]  # newest first; the 2023 welcome is too old
    assert all("_cio_id" not in m for m in recent["messages"])
    old = cio.run("get-customer-messages", customer_id=samples.ADA, start_ts=1_699_000_000, end_ts=1_701_000_000)
    (welcome,) = old["messages"]
    assert welcome["id"] == samples.ADA_WELCOME_DELIVERY and welcome["metrics"]["opened"] == 1_700_000_600
    page = cio.run("get-customer-messages", customer_id=samples.ADA_EMAIL, id_type="email", limit=1)
    assert [m["id"] for m in page["messages"]] == ["recent-2"] and page["next"]
    assert [m["id"] for m in cio.run("get-customer-messages", customer_id=samples.ADA, all=True)["messages"]] == ["recent-2", "recent-1"]


def test_customer_messages_of_an_unknown_person_is_a_404(cio):
    with pytest.raises(NotFoundError):
        cio.run("get-customer-messages", customer_id="nobody")
    with pytest.raises(ValidationError):
        cio.run("get-customer-messages", customer_id=samples.ADA, limit=1001)


# -- get-customer-activities --------------------------------------------------------------------------------


def test_customer_activities_newest_first_and_filtered(cio):
    acts = cio.run("get-customer-activities", customer_id=samples.ADA)["activities"]
    assert [a["type"] for a in acts] == ["sent_email", "event"]
    assert acts[0]["delivery_id"] == samples.ADA_WELCOME_DELIVERY and "_cio_id" not in acts[0]
    events = cio.run("get-customer-activities", customer_id=samples.ADA_EMAIL, id_type="email", type="event", name="signed_up")
    assert [(a["type"], a["name"], a["data"]) for a in events["activities"]] == [("event", "signed_up", {"source": "web"})]
    assert cio.run("get-customer-activities", customer_id=samples.ADA, name="no_such_event")["activities"] == []


def test_identifying_a_new_person_shows_in_their_activities(cio):
    cio.run("identify-customer", identifier="cust-3002", email="new@example.com")
    (created,) = cio.run("get-customer-activities", customer_id="cust-3002")["activities"]
    assert created["type"] == "profile_create" and created["customer_id"] == "cust-3002"
    with pytest.raises(ValidationError):
        cio.run("get-customer-activities", customer_id="cust-3002", limit=101)  # §A5.2: at most 100


# -- get-customer-subscription-preferences -------------------------------------------------------------------


def test_subscription_preferences_default_then_follow_the_person(cio):
    prefs = cio.run("get-customer-subscription-preferences", customer_id=samples.ADA)
    assert prefs["identifiers"] == {"id": samples.ADA, "email": samples.ADA_EMAIL, "cio_id": samples.ADA_CIO}
    assert [(t["id"], t["subscribed"]) for t in prefs["topics"]] == [(1, True), (2, True), (3, False)]
    assert prefs["unsubscribed"] is False and prefs["header"]["title"]
    cio.run(
        "identify-customer",
        identifier=samples.ADA,
        attributes={"cio_subscription_preferences": {"topics": {"topic_1": False, "topic_3": True}}, "unsubscribed": True},
    )
    prefs = cio.run("get-customer-subscription-preferences", customer_id=samples.ADA)
    assert [(t["id"], t["subscribed"]) for t in prefs["topics"]] == [(1, False), (2, True), (3, True)]
    assert prefs["unsubscribed"] is True


def test_subscription_preferences_stored_as_json_text_are_read(cio):
    text = json.dumps({"topics": {"topic_2": False}})
    cio.run("identify-customer", identifier=samples.GRACE, attributes={"cio_subscription_preferences": text})
    prefs = cio.run("get-customer-subscription-preferences", customer_id=samples.GRACE_EMAIL, id_type="email")
    assert [t["subscribed"] for t in prefs["topics"]] == [True, False, False]


def test_subscription_preferences_honour_language_and_accept_language(cio):
    english = cio.run("get-customer-subscription-preferences", customer_id=samples.ADA)
    french = cio.run("get-customer-subscription-preferences", customer_id=samples.ADA, language="fr")
    assert french["topics"][0]["name"] != english["topics"][0]["name"] and french["header"] != english["header"]
    with cio.http("app") as http:
        german = http.get(f"/v1/customers/{samples.ADA}/subscription_preferences", headers={"Accept-Language": "de-DE,de;q=0.9"}).json()
        unknown = http.get(f"/v1/customers/{samples.ADA}/subscription_preferences", params={"language": "xx"}).json()
    assert german["customer"]["header"]["title"].startswith("Verwalten")
    assert unknown["customer"]["header"] == english["header"]  # an unknown language falls back


def test_subscription_preferences_of_an_unknown_person_is_a_404(cio):
    with pytest.raises(NotFoundError):
        cio.run("get-customer-subscription-preferences", customer_id="nobody@example.com", id_type="email")


def test_people_reads_stay_in_their_workspace(cio):
    cio.run_in(cio.eu, "identify-customer", identifier="eu-3001", email="eu3001@example.com", attributes={"plan": "pro"})
    assert samples.ADA in cio.run_in(cio.eu, "search-customers", filter=PRO)["ids"]
    assert "eu-3001" in cio.run_in(cio.eu, "search-customers", filter=PRO)["ids"]
    assert "eu-3001" not in cio.run("search-customers", filter=PRO)["ids"]
    assert cio.run("find-customers-by-email", email="eu3001@example.com") == {"results": []}

