"""Campaigns, their actions and metrics, and newsletters (§A5.4)."""

from urllib.parse import parse_qs

import pytest
from tether import NotFoundError, ValidationError
from tether_customerio import samples as s


def _query(entry):
    return {k: v[0] for k, v in parse_qs(entry["query"]).items()}


def _nothing_sent(cio, before):
    assert cio.runtime.journal(after=before) == []


# -- campaigns ---------------------------------------------------------------------------------------------


def test_list_campaigns_shows_the_seeded_ones_unwrapped_of_internal_fields(cio):
    out = cio.run("list-campaigns")
    by_id = {c["id"]: c for c in out["campaigns"]}
    assert set(by_id) == {s.ONBOARDING_CAMPAIGN, s.WINBACK_CAMPAIGN}
    onboarding = by_id[s.ONBOARDING_CAMPAIGN]
    assert onboarding["type"] == "event" and onboarding["event_name"] == "signed_up"
    assert onboarding["filter_segment_ids"] == [s.VIP_SEGMENT] and onboarding["trigger_segment_ids"] == []
    assert {"type": "email", "id": s.ONBOARDING_EMAIL_ACTION} in onboarding["actions"]
    assert {"type": "push", "id": 102} in onboarding["actions"]
    assert by_id[s.WINBACK_CAMPAIGN]["trigger_segment_ids"] == [s.ACTIVE_SEGMENT]
    assert by_id[s.WINBACK_CAMPAIGN]["type"] == "segment"
    assert not any(k.startswith("_") for c in out["campaigns"] for k in c)


def test_get_campaign_and_unknown_campaign(cio):
    campaign = cio.run("get-campaign", campaign_id=s.WINBACK_CAMPAIGN)
    assert campaign["name"] == "Win-back" and campaign["state"] == "draft" and campaign["first_started"] is None
    with pytest.raises(NotFoundError) as info:
        cio.run("get-campaign", campaign_id=999)
    assert info.value.status == 404
    assert info.value.details["body"] == {"errors": [{"detail": "Campaign not found", "status": "404"}]}


def test_campaign_metrics_default_to_version_2_over_the_range(cio):
    before = cio.runtime.last_seq()
    week = cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, res="days", start=1_699_000_000, end=1_699_604_800)
    sent = cio.runtime.journal(after=before)
    assert _query(sent[-1]) == {"version": "2", "res": "days", "start": "1699000000", "end": "1699604800"}
    series = week["series"]
    assert len(series["sent"]) == 7 and len(series["2xx"]) == 7
    assert all(d <= t for d, t in zip(series["delivered"], series["sent"]))
    assert all(c <= o for c, o in zip(series["clicked"], series["opened"]))
    # Deterministic: the same question gets the same answer, another campaign another one.
    assert cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, res="daily", start=1_699_000_000, end=1_699_604_800) == week
    other = cio.run("get-campaign-metrics", campaign_id=s.WINBACK_CAMPAIGN, res="days", start=1_699_000_000, end=1_699_604_800)
    assert other["series"]["sent"] != series["sent"]


def test_campaign_metrics_version_1_uses_period_and_steps(cio):
    out = cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, version=1, period="weeks", steps=4)
    assert {len(v) for v in out["series"].values()} == {4}
    assert _query(cio.runtime.journal()[-1]) == {"version": "1", "period": "weeks", "steps": "4"}


def test_campaign_metrics_input_rules_are_checked_before_sending(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):  # v1 parameters need version 1
        cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, period="days")
    with pytest.raises(ValidationError):  # v2 parameters cannot go with version 1
        cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, version=1, res="days")
    with pytest.raises(ValidationError):  # §A5.4: at most 24 hourly steps
        cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, version=1, period="hours", steps=25)
    with pytest.raises(ValidationError):  # at most 45 daily steps (days is the default period)
        cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, version=1, steps=46)
    _nothing_sent(cio, before)
    assert len(cio.run("get-campaign-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, version=1, period="months", steps=120)["series"]["sent"]) == 120


def test_campaign_metrics_endpoint_validates_like_the_api(cio):
    with cio.http("app") as http:
        missing = http.get(f"/v1/campaigns/{s.ONBOARDING_CAMPAIGN}/metrics")
        too_many = http.get(f"/v1/campaigns/{s.ONBOARDING_CAMPAIGN}/metrics", params={"version": 1, "period": "hours", "steps": 25})
        default_v1 = http.get(f"/v1/campaigns/{s.ONBOARDING_CAMPAIGN}/metrics", params={"version": 1})
        backwards = http.get(f"/v1/campaigns/{s.ONBOARDING_CAMPAIGN}/metrics", params={"version": 2, "start": 10, "end": 5})
    assert missing.status_code == 400 and missing.json()["errors"][0]["status"] == "400"  # §A5.4: version is required
    assert too_many.status_code == 400
    assert default_v1.status_code == 200 and len(default_v1.json()["metric"]["series"]["sent"]) == 45
    assert backwards.status_code == 400


def test_journey_metrics_need_start_end_and_res(cio):
    out = cio.run("get-campaign-journey-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, start=1_699_000_000, end=1_699_000_000 + 6 * 3600, res="hours")
    assert set(out) == {"started", "activated", "exited_early", "finished", "converted", "never_activated", "messaged"}
    assert {len(v) for v in out.values()} == {6}
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("get-campaign-journey-metrics", campaign_id=s.ONBOARDING_CAMPAIGN, start=1, end=2)
    assert info.value.path == "input.res"
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        reply = http.get(f"/v1/campaigns/{s.ONBOARDING_CAMPAIGN}/journey_metrics", params={"start": 1, "end": 2})
    assert reply.status_code == 400 and "res" in reply.json()["errors"][0]["detail"]  # §A5.4: missing parameters → 400


def test_campaign_actions_page_ten_at_a_time(cio):
    first = cio.run("list-campaign-actions", campaign_id=s.ONBOARDING_CAMPAIGN)
    assert len(first["actions"]) == 10 and first["next"]
    assert first["actions"][0]["id"] == s.ONBOARDING_EMAIL_ACTION and first["actions"][0]["subject"] == "Welcome to Example"
    assert all(a["campaign_id"] == s.ONBOARDING_CAMPAIGN for a in first["actions"])
    second = cio.run("list-campaign-actions", campaign_id=s.ONBOARDING_CAMPAIGN, start=first["next"])
    assert [a["id"] for a in second["actions"]] == [111, 112] and not second["next"]
    everything = cio.run("list-campaign-actions", campaign_id=s.ONBOARDING_CAMPAIGN, all=True)
    assert [a["id"] for a in everything["actions"]] == list(range(101, 113))
    types = {a["type"] for a in everything["actions"]}
    assert types == {"email", "push", "in_app", "twilio", "webhook", "slack"}
    webhook = next(a for a in everything["actions"] if a["type"] == "webhook")
    assert webhook["url"].startswith("https://") and webhook["method"] == "POST"
    assert [a["id"] for a in cio.run("list-campaign-actions", campaign_id=s.WINBACK_CAMPAIGN)["actions"]] == [201, 202]
    with pytest.raises(NotFoundError):
        cio.run("list-campaign-actions", campaign_id=404)


# -- newsletters ---------------------------------------------------------------------------------------------


def test_list_newsletters_sorts_and_pages(cio):
    newest = cio.run("list-newsletters")
    assert [n["id"] for n in newest["newsletters"]] == [s.BLACK_FRIDAY_NEWSLETTER, s.NOVEMBER_NEWSLETTER]  # desc by default
    oldest = cio.run("list-newsletters", sort="asc", limit=1)
    assert [n["id"] for n in oldest["newsletters"]] == [s.NOVEMBER_NEWSLETTER] and oldest["next"]
    rest = cio.run("list-newsletters", sort="asc", limit=1, start=oldest["next"])
    assert [n["id"] for n in rest["newsletters"]] == [s.BLACK_FRIDAY_NEWSLETTER] and not rest["next"]
    assert len(cio.run("list-newsletters", all=True, limit=1)["newsletters"]) == 2
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("list-newsletters", limit=101)  # §A5.4: limit ≤ 100
    with pytest.raises(ValidationError):
        cio.run("list-newsletters", sort="sideways")
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        assert http.get("/v1/newsletters", params={"sort": "sideways"}).status_code == 400


def test_get_newsletter_sent_and_draft(cio):
    sent = cio.run("get-newsletter", newsletter_id=s.NOVEMBER_NEWSLETTER)
    assert sent["sent_at"] is not None and sent["recipient_segment_ids"] == [s.VIP_SEGMENT] and sent["type"] == "email"
    draft = cio.run("get-newsletter", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER)
    assert draft["sent_at"] is None and draft["content_ids"] == [221, 222]
    with pytest.raises(NotFoundError) as info:
        cio.run("get-newsletter", newsletter_id=12345)
    assert info.value.details["body"]["errors"][0]["detail"] == "Newsletter not found"


def test_newsletter_metrics_need_two_steps(cio):
    out = cio.run("get-newsletter-metrics", newsletter_id=s.NOVEMBER_NEWSLETTER, period="days", steps=7)
    assert {len(v) for v in out["series"].values()} == {7} and sum(out["series"]["sent"]) > 0
    draft = cio.run("get-newsletter-metrics", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER, period="hours", steps=3)
    assert set(map(sum, draft["series"].values())) == {0}  # a draft sent nothing
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        cio.run("get-newsletter-metrics", newsletter_id=s.NOVEMBER_NEWSLETTER, steps=1)
    assert info.value.path == "input.steps"
    _nothing_sent(cio, before)
    with cio.http("app") as http:
        one = http.get(f"/v1/newsletters/{s.NOVEMBER_NEWSLETTER}/metrics", params={"steps": 1})
    assert one.status_code == 400 and "at least 2" in one.json()["errors"][0]["detail"]  # §A5.4


def test_delete_newsletter_removes_it_in_that_workspace_only(cio):
    assert cio.run("delete-newsletter", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER) == {"deleted": True}
    assert [n["id"] for n in cio.collection("newsletters")] == [s.NOVEMBER_NEWSLETTER]
    with pytest.raises(NotFoundError):
        cio.run("get-newsletter", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER)
    with pytest.raises(NotFoundError):
        cio.run("delete-newsletter", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER)
    assert len(cio.collection("newsletters", "eu")) == 2  # the EU workspace is another account
    assert cio.run_in(cio.eu, "get-newsletter", newsletter_id=s.BLACK_FRIDAY_NEWSLETTER)["id"] == s.BLACK_FRIDAY_NEWSLETTER


def test_delete_newsletter_answers_204_with_no_body(cio):
    with cio.http("app") as http:
        reply = http.delete(f"/v1/newsletters/{s.NOVEMBER_NEWSLETTER}")
        again = http.delete(f"/v1/newsletters/{s.NOVEMBER_NEWSLETTER}")
    assert reply.status_code == 204 and reply.content == b""
    assert again.status_code == 404


def test_campaign_reads_need_the_app_key(cio):
    with cio.http("app", auth=None) as http:
        reply = http.get("/v1/campaigns", headers={"Authorization": "Bearer nope"})
    assert reply.status_code == 401
    with cio.http("app") as http:
        assert http.get("/v1/campaigns/abc").status_code == 404  # ids are integers
