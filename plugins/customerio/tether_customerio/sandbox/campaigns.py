"""App API: campaigns, their actions and metrics, and newsletters (§A5.4).

Campaigns and newsletters are made in Customer.io's UI; the API reads them (and deletes
newsletters), so the sandbox seeds a few. Metrics are deterministic series derived from the
object's id, so a test can predict them; the reference gives their shape, not their values.
"""

from __future__ import annotations

import math
from typing import Any

from tether.connector import Reply

from .. import samples as s
from . import model
from .base import SANDBOX, app_auth, collection, not_found, page, page_of
from .queries import integer


# -- metrics (§A5.4) ----------------------------------------------------------------------------------------

# §A5.4: every series a campaign/newsletter metric response carries, oldest period first.
METRIC_NAMES = (
    "sent", "delivered", "opened", "clicked", "converted", "bounced", "attempted", "created", "deferred",
    "drafted", "failed", "spammed", "suppressed", "undeliverable", "unsubscribed", "topic_unsubscribed",
    "human_opened", "prefetch_opened", "human_clicked", "prefetch_clicked", "2xx", "3xx", "4xx", "5xx",
)  # fmt: skip

# §A5.4 v1 `period` and its `steps` maxima: 24 hours, 45 days, 12 weeks, 120 months.
MAX_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 120}
# [INF] default steps: the maximum for the period, but 12 for months (Customer.io's docs text; the
# reference gives only the maxima).
DEFAULT_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 12}
# §A5.4 v2 `res` accepts both spellings of each resolution.
RESOLUTIONS = {
    "hours": "hours", "hourly": "hours", "days": "days", "daily": "days",
    "weeks": "weeks", "weekly": "weeks", "months": "months", "monthly": "months",
}  # fmt: skip
# [INF] a month counts as 30 days when turning a start/end range into periods.
PERIOD_SECONDS = {"hours": 3600, "days": 86_400, "weeks": 604_800, "months": 2_592_000}


def series(object_id: int, steps: int) -> dict[str, list[int]]:
    """Deterministic, internally consistent counts (delivered ≤ sent, clicked ≤ opened, …)."""
    out: dict[str, list[int]] = {name: [] for name in METRIC_NAMES}
    for i in range(steps):
        sent = 10 + (object_id * 37 + i * 11) % 40
        delivered = sent - (object_id + i) % 3
        opened = delivered * 3 // 5
        clicked = opened // 3
        values = {
            "sent": sent,
            "delivered": delivered,
            "opened": opened,
            "clicked": clicked,
            "converted": clicked // 2,
            "bounced": sent - delivered,
            "attempted": sent,
            "created": sent + i % 2,
            "deferred": 1 if i % 4 == 0 else 0,
            "suppressed": i % 2,
            "spammed": 1 if (object_id + i) % 7 == 0 else 0,
            "unsubscribed": 1 if (object_id + i) % 5 == 0 else 0,
            "human_opened": opened - opened // 4,
            "prefetch_opened": opened // 4,
            "human_clicked": clicked - clicked // 5,
            "prefetch_clicked": clicked // 5,
        }
        for name in METRIC_NAMES:
            out[name].append(values.get(name, 0))
    return out


def _int_param(req, name: str, *, required: bool = False) -> int | None:
    value = integer(req, name)
    if value is None and required:
        raise SANDBOX.fail(400, f"{name} is required")
    return value


def v1_steps(req, *, minimum: int = 1) -> int:
    """§A5.4 v1 parameters: ``period`` (default days) and ``steps`` (bounded per period)."""
    period = req.query.get("period") or "days"
    if period not in MAX_STEPS:
        raise SANDBOX.fail(400, "period must be one of hours, days, weeks, months")
    steps = _int_param(req, "steps")
    if steps is None:
        return DEFAULT_STEPS[period]
    if steps < minimum:
        # §A5.4: newsletters and broadcasts cannot be asked for fewer than 2 steps.
        raise SANDBOX.fail(400, f"steps must be at least {minimum}")
    if steps > MAX_STEPS[period]:
        raise SANDBOX.fail(400, f"steps must be at most {MAX_STEPS[period]} for period {period}")
    return steps


def range_steps(req, *, required: bool) -> int:
    """§A5.4 v2 / journey metrics: ``res`` with ``start``..``end`` (unix) → a number of periods."""
    raw_res = req.query.get("res")
    if not raw_res and required:
        raise SANDBOX.fail(400, "res is required")
    res = RESOLUTIONS.get(raw_res or "days")
    if res is None:
        raise SANDBOX.fail(400, "res must be one of hours, days, weeks, months (or hourly, daily, weekly, monthly)")
    start, end = _int_param(req, "start", required=required), _int_param(req, "end", required=required)
    if start is None or end is None:
        return DEFAULT_STEPS[res]  # [INF] v2 without a range: the same default window as v1
    if end <= start:
        raise SANDBOX.fail(400, "end must be after start")
    # [INF] the real API's longest range is undocumented; the series is capped at the v1
    # maximum for the resolution (its most recent periods) so a huge range cannot build a huge reply.
    return min(math.ceil((end - start) / PERIOD_SECONDS[res]), MAX_STEPS[res])


# -- seed data (§A5.4 field lists; fixed times) --------------------------------------------------------------


def _action(id: int, campaign_id: int, type: str, name: str, created: int, **extra: Any) -> dict[str, Any]:
    """A campaign action (§A5.4 field list); message fields are null where the type has none."""
    is_email = type == "email"
    doc = {
        "id": id,
        "campaign_id": campaign_id,
        "parent_action_id": None,
        "deduplicate_id": f"{id}:{created}",
        "name": name,
        "layout": "<html><body>{{ content }}</body></html>" if is_email else None,
        "created": created,
        "updated": created,
        "body": extra.pop("body", f"{name} body"),
        "type": type,
        "sending_state": extra.pop("sending_state", "automatic"),
        "language": "",
        "from": "Example <hello@example.com>" if is_email else None,
        "from_id": 1 if is_email else None,
        "reply_to": None,
        "reply_to_id": None,
        "preprocessor": "premailer" if is_email else None,
        "recipient": "{{customer.email}}" if is_email else None,
        "subject": extra.pop("subject", name) if is_email else None,
        "bcc": None,
        "fake_bcc": False if is_email else None,
        "preheader_text": None,
        "body_amp": None,
        "headers": "[]" if is_email else None,  # §A5.4: headers is a JSON string
        "url": None,
        "method": None,
    }
    doc.update(extra)
    return doc


ONBOARDING_CREATED = 1_690_000_000
WINBACK_CREATED = 1_695_000_000


def _onboarding_actions() -> list[dict[str, Any]]:
    # Twelve actions, so GET …/actions (10 per page, §A5.4) really pages.
    created = ONBOARDING_CREATED
    actions = [
        _action(s.ONBOARDING_EMAIL_ACTION, s.ONBOARDING_CAMPAIGN, "email", "Welcome email", created, subject="Welcome to Example"),
        _action(102, s.ONBOARDING_CAMPAIGN, "push", "Welcome push", created, body="Thanks for joining, {{customer.first_name}}!"),
    ]
    follow_ups = (
        ("email", "Day 1 tips"), ("in_app", "Profile nudge"), ("email", "Day 3 feature tour"), ("twilio", "Verify your phone"),
        ("webhook", "Notify CRM"), ("email", "Day 7 check-in"), ("slack", "Tell the success team"), ("push", "Come back reminder"),
        ("email", "Day 14 case study"), ("email", "Day 30 survey"),
    )  # fmt: skip
    for offset, (type, name) in enumerate(follow_ups):
        extra: dict[str, Any] = {"parent_action_id": 101 + offset + 1}
        if type == "webhook":
            extra.update(url="https://crm.example.com/hooks/onboarding", method="POST", body='{"customer":"{{customer.id}}"}')
        actions.append(_action(103 + offset, s.ONBOARDING_CAMPAIGN, type, name, created, **extra))
    return actions


def _winback_actions() -> list[dict[str, Any]]:
    return [
        _action(201, s.WINBACK_CAMPAIGN, "email", "We miss you", WINBACK_CREATED, subject="We miss you", sending_state="draft"),
        _action(202, s.WINBACK_CAMPAIGN, "twilio", "Win-back SMS", WINBACK_CREATED, sending_state="draft"),
    ]


def _campaign(id: int, name: str, type: str, created: int, actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    refs = [{"type": a["type"], "id": a["id"]} for a in actions]
    doc = {
        "id": id,
        "deduplicate_id": f"{id}:{created}",
        "name": name,
        "type": type,
        "created": created,
        "updated": created,
        "active": True,
        "state": "running",
        "actions": refs,
        "first_started": created,
        "tags": [],
        "trigger_segment_ids": [],
        "filter_segment_ids": [],
        # [INF] msg_templates names the message-sending actions (webhooks send no template).
        "msg_templates": [r for r in refs if r["type"] != "webhook"],
    }
    doc.update(extra)
    return doc


def seed(ctx) -> None:
    campaigns, actions = collection(ctx, "campaigns"), collection(ctx, "campaign_actions")
    onboarding, winback = _onboarding_actions(), _winback_actions()
    campaigns.put(
        str(s.ONBOARDING_CAMPAIGN),
        _campaign(
            s.ONBOARDING_CAMPAIGN, "Onboarding", "event", ONBOARDING_CREATED, onboarding,
            event_name="signed_up", tags=["lifecycle"], filter_segment_ids=[s.VIP_SEGMENT], updated=s.SEEDED_AT,
        ),
    )  # fmt: skip
    campaigns.put(
        str(s.WINBACK_CAMPAIGN),
        _campaign(
            s.WINBACK_CAMPAIGN, "Win-back", "segment", WINBACK_CREATED, winback,
            trigger_segment_ids=[s.ACTIVE_SEGMENT], state="draft", active=False, first_started=None, tags=["retention"],
        ),
    )  # fmt: skip
    for action in onboarding + winback:
        actions.put(str(action["id"]), action)

    newsletters = collection(ctx, "newsletters")
    newsletters.put(
        str(s.NOVEMBER_NEWSLETTER),
        {
            "id": s.NOVEMBER_NEWSLETTER,
            "deduplicate_id": f"{s.NOVEMBER_NEWSLETTER}:{s.SEEDED_AT - 86_400}",
            "content_ids": [211],
            "name": "November product update",
            "sent_at": s.SEEDED_AT - 86_400,
            "created": s.SEEDED_AT - 7 * 86_400,
            "updated": s.SEEDED_AT - 86_400,
            "type": "email",
            "tags": ["product"],
            "recipient_segment_ids": [s.VIP_SEGMENT],
            "subscription_topic_id": None,
        },
    )
    newsletters.put(
        str(s.BLACK_FRIDAY_NEWSLETTER),
        {
            "id": s.BLACK_FRIDAY_NEWSLETTER,
            "deduplicate_id": f"{s.BLACK_FRIDAY_NEWSLETTER}:{s.SEEDED_AT}",
            "content_ids": [221, 222],  # an A/B test: two contents
            "name": "Black Friday sale",
            "sent_at": None,  # a draft
            "created": s.SEEDED_AT - 3600,
            "updated": s.SEEDED_AT,
            "type": "email",
            "tags": ["promotions"],
            "recipient_segment_ids": [s.ACTIVE_SEGMENT],
            "subscription_topic_id": None,
        },
    )


# -- campaigns ---------------------------------------------------------------------------------------------


def _id(raw: str, what: str) -> str:
    # §A5 "Conventions": App object ids are integers; anything else cannot name one.
    if not raw.isdigit():
        raise not_found(what)
    return str(int(raw))


def campaign_or_404(req, ctx) -> dict[str, Any]:
    doc = collection(ctx, "campaigns").get(_id(req.path_params["campaign_id"], "Campaign"))
    if doc is None:
        raise not_found("Campaign")
    return doc


@SANDBOX.route("GET", "/v1/campaigns", auth=app_auth)
def list_campaigns(req, ctx):
    # §A5.1: the campaign listing is unpaginated.
    return {"campaigns": [model.public(c) for c in collection(ctx, "campaigns")]}


@SANDBOX.route("GET", "/v1/campaigns/{campaign_id}", auth=app_auth)
def get_campaign(req, ctx):
    return {"campaign": model.public(campaign_or_404(req, ctx))}


@SANDBOX.route("GET", "/v1/campaigns/{campaign_id}/metrics", auth=app_auth)
def campaign_metrics(req, ctx):
    campaign = campaign_or_404(req, ctx)
    version = req.query.get("version")
    # §A5.4: version is required, 1 or 2.
    if version not in ("1", "2"):
        raise SANDBOX.fail(400, "version is required and must be 1 or 2")
    if version == "1":
        steps = v1_steps(req)
    else:
        steps = range_steps(req, required=False)
        kind = req.query.get("type")
        if kind and kind not in ("email", "webhook", "twilio", "slack", "push", "in_app"):
            raise SANDBOX.fail(400, "type must be a message type: email, webhook, twilio, slack, push or in_app")
    return {"metric": {"series": series(campaign["id"], steps)}}


@SANDBOX.route("GET", "/v1/campaigns/{campaign_id}/journey_metrics", auth=app_auth)
def journey_metrics(req, ctx):
    campaign = campaign_or_404(req, ctx)
    steps = range_steps(req, required=True)  # §A5.4: start, end and res are required (400)
    base = series(campaign["id"], steps)
    started = base["created"]
    return {
        "journey_metric": {
            "started": started,
            "activated": base["sent"],
            "exited_early": [max(0, a - b) for a, b in zip(started, base["sent"])],
            "finished": base["delivered"],
            "converted": base["converted"],
            "never_activated": [n // 10 for n in started],
            "messaged": base["attempted"],
        }
    }


@SANDBOX.route("GET", "/v1/campaigns/{campaign_id}/actions", auth=app_auth)
def campaign_actions(req, ctx):
    campaign = campaign_or_404(req, ctx)
    # §A5.4: up to 10 actions a page, start/next; no page size is documented, so none is honoured
    # beyond 10.
    window, next_token = page_of(req, collection(ctx, "campaign_actions"), default=10, maximum=10, match={"campaign_id": campaign["id"]})
    return {"actions": [model.public(a) for a in window], "next": next_token}


# -- newsletters ---------------------------------------------------------------------------------------------


def newsletter_or_404(req, ctx) -> dict[str, Any]:
    doc = collection(ctx, "newsletters").get(_id(req.path_params["newsletter_id"], "Newsletter"))
    if doc is None:
        raise not_found("Newsletter")
    return doc


@SANDBOX.route("GET", "/v1/newsletters", auth=app_auth)
def list_newsletters(req, ctx):
    sort = req.query.get("sort") or "desc"
    if sort not in ("asc", "desc"):
        raise SANDBOX.fail(400, "sort must be asc or desc")
    # [DOC] asc is chronological, desc reverse chronological (by creation); [INF] desc by default.
    docs = sorted(collection(ctx, "newsletters"), key=lambda n: (n["created"], n["id"]), reverse=sort == "desc")
    # §A5.4: limit at most 100; [INF] the default page size is undocumented, 50 is used.
    window, next_token = page(req, docs, default=50, maximum=100)
    return {"newsletters": [model.public(n) for n in window], "next": next_token}


@SANDBOX.route("GET", "/v1/newsletters/{newsletter_id}", auth=app_auth)
def get_newsletter(req, ctx):
    return {"newsletter": model.public(newsletter_or_404(req, ctx))}


@SANDBOX.route("DELETE", "/v1/newsletters/{newsletter_id}", auth=app_auth)
def delete_newsletter(req, ctx):
    doc = newsletter_or_404(req, ctx)
    collection(ctx, "newsletters").delete(str(doc["id"]))
    return Reply(204)  # §A5.4: DELETE returns 204


@SANDBOX.route("GET", "/v1/newsletters/{newsletter_id}/metrics", auth=app_auth)
def newsletter_metrics(req, ctx):
    doc = newsletter_or_404(req, ctx)
    steps = v1_steps(req, minimum=2)  # §A5.4: period/steps, never fewer than 2 steps
    if doc.get("sent_at") is None:
        # [INF] a draft has sent nothing: every series is zeros.
        return {"metric": {"series": {name: [0] * steps for name in METRIC_NAMES}}}
    return {"metric": {"series": series(doc["id"], steps)}}
