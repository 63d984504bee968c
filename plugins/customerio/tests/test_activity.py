"""The activity log (§A5.9) and messages, i.e. deliveries (§A5.1 "Messages")."""

from __future__ import annotations

import pytest
from tether import NotFoundError, PlatformError, ValidationError

from tether_customerio import samples

WINDOW = {"start_ts": 1_699_000_000, "end_ts": 1_701_000_000}  # around the seeded welcome delivery


# -- list-activities --------------------------------------------------------------------------------


def test_list_activities_newest_first_with_filters(cio):
    acts = cio.run("list-activities")["activities"]
    assert [a["type"] for a in acts[:2]] == ["sent_email", "event"]
    assert all("_cio_id" not in a for a in acts)
    (signed_up,) = cio.run("list-activities", type="event", name="signed_up")["activities"]
    assert signed_up["customer_id"] == samples.ADA and signed_up["customer_identifiers"]["email"] == samples.ADA_EMAIL
    assert cio.run("list-activities", type="page")["activities"] == []


def test_list_activities_sees_new_people_and_filters_by_customer(cio):
    cio.run("identify-customer", identifier="cust-4001", email="fourth@example.com")
    (created,) = cio.run("list-activities", type="profile_create")["activities"]
    assert created["customer_id"] == "cust-4001"
    mine = cio.run("list-activities", customer_id="fourth@example.com", id_type="email")["activities"]
    assert [a["type"] for a in mine] == ["profile_create"]
    assert cio.run("list-activities", customer_id="nobody")["activities"] == []


def test_list_activities_pages(cio):
    for n in range(3):
        cio.run("identify-customer", identifier=f"cust-41{n:02d}")
    first = cio.run("list-activities", limit=2)
    assert len(first["activities"]) == 2 and first["next"]
    rest = cio.run("list-activities", limit=2, start=first["next"])
    everything = cio.run("list-activities", all=True)["activities"]
    assert [a["id"] for a in everything][:4] == [a["id"] for a in first["activities"] + rest["activities"]]
    assert len(everything) == 5  # two seeded, three profile_create
    with pytest.raises(ValidationError):
        cio.run("list-activities", limit=101)  # §A5.9: at most 100


def test_deleted_peoples_activities_are_listed_only_when_asked(cio):
    cio.drop_doc("people", samples.ADA_CIO)  # Ada was deleted
    assert [a for a in cio.run("list-activities")["activities"] if a["customer_id"] == samples.ADA] == []
    gone = cio.run("list-activities", deleted=True, customer_id=samples.ADA)["activities"]
    assert [a["type"] for a in gone] == ["sent_email", "event"]  # found by the identifiers recorded then


def test_a_bad_boolean_is_a_400(cio):
    with cio.http("app") as http:
        reply = http.get("/v1/activities", params={"deleted": "perhaps"})
    assert reply.status_code == 400 and reply.json() == {"errors": [{"detail": "deleted must be true or false", "status": "400"}]}


# -- list-messages ------------------------------------------------------------------------------------------


def test_list_messages_by_campaign_and_window(cio):
    (welcome,) = cio.run("list-messages", campaign_id=samples.ONBOARDING_CAMPAIGN, **WINDOW)["messages"]
    assert welcome["id"] == samples.ADA_WELCOME_DELIVERY and welcome["customer_identifiers"]["id"] == samples.ADA
    assert "_cio_id" not in welcome
    assert cio.run("list-messages", campaign_id=samples.WINBACK_CAMPAIGN, **WINDOW)["messages"] == []
    assert cio.run("list-messages", campaign_id=samples.ONBOARDING_CAMPAIGN)["messages"] == []  # default: the last 6 months


def test_list_messages_filters_by_type_metric_and_drafts(cio):
    now = int(cio.runtime.clock())
    cio.put_doc("messages", "push-1", cio.message_doc("push-1", samples.GRACE_CIO, now - 100, type="push", metrics={"sent": now - 100, "opened": now - 50}))
    cio.put_doc("messages", "mail-1", cio.message_doc("mail-1", samples.GRACE_CIO, now - 90, metrics={"sent": now - 90, "bounced": now - 80}))
    cio.put_doc("messages", "draft-1", cio.message_doc("draft-1", samples.GRACE_CIO, now - 10, metrics={"drafted": now - 10}))
    assert [m["id"] for m in cio.run("list-messages")["messages"]] == ["mail-1", "push-1"]  # newest first, no drafts
    assert [m["id"] for m in cio.run("list-messages", type="push")["messages"]] == ["push-1"]
    assert [m["id"] for m in cio.run("list-messages", metric="bounced")["messages"]] == ["mail-1"]
    assert [m["id"] for m in cio.run("list-messages", drafts=True)["messages"]] == ["draft-1"]
    page = cio.run("list-messages", limit=1)
    assert [m["id"] for m in page["messages"]] == ["mail-1"] and page["next"]
    assert [m["id"] for m in cio.run("list-messages", limit=1, start=page["next"])["messages"]] == ["push-1"]


def test_list_messages_window_is_at_most_six_months(cio):
    with pytest.raises(PlatformError) as info:
        cio.run("list-messages", start_ts=1_600_000_000, end_ts=1_700_000_000)
    assert info.value.status == 400 and "6 months" in str(info.value)
    with pytest.raises(PlatformError):
        cio.run("list-messages", start_ts=1_700_000_000, end_ts=1_600_000_000)
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("list-messages", type="carrier-pigeon")
    with pytest.raises(ValidationError):
        cio.run("list-messages", limit=1001)  # §A5.1: at most 1000
    assert cio.runtime.journal(after=before) == []


# -- get-message ----------------------------------------------------------------------------------------------


def test_get_message(cio):
    message_ = cio.run("get-message", message_id=samples.ADA_WELCOME_DELIVERY)
    assert message_["subject"] == "Welcome to Example" and message_["metrics"]["delivered"] == 1_700_000_005
    assert message_["campaign_id"] == samples.ONBOARDING_CAMPAIGN and message_["action_id"] == samples.ONBOARDING_EMAIL_ACTION
    assert "_cio_id" not in message_
    with cio.http("app") as http:
        raw = http.get(f"/v1/messages/{samples.ADA_WELCOME_DELIVERY}").json()
    assert raw == {"message": message_}  # §A5: wrapped on the wire, unwrapped by the action


def test_get_unknown_message_is_a_404(cio):
    with pytest.raises(NotFoundError) as info:
        cio.run("get-message", message_id="no-such-delivery")
    assert info.value.details["body"] == {"errors": [{"detail": "Message not found", "status": "404"}]}


def test_messages_are_per_workspace(cio):
    now = int(cio.runtime.clock())
    cio.put_doc("messages", "eu-only", cio.message_doc("eu-only", samples.ADA_CIO, now - 5), region="eu")
    assert cio.run_in(cio.eu, "get-message", message_id="eu-only")["id"] == "eu-only"
    with pytest.raises(NotFoundError):
        cio.run("get-message", message_id="eu-only")
