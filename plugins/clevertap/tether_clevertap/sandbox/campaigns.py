"""Campaigns, message reports and sends by user id (§A5.10–A5.14, §A4).

A campaign's status follows the sandbox clock: ``scheduled`` until its start, ``running`` for
``campaign_run_seconds`` [INF], then ``completed``; ``stopped`` once stopped. Its audience is
counted when it is created (users matching ``where``, everyone for ``segment: "all"``, or an API
segment's members). Reports exist only for completed campaigns (§A5.11 [V-doc]); their metric
names are [INF], and the sandbox does not invent engagement: sent = audience, the rest 0.
"""

import calendar
import time

from .base import SANDBOX, body, col, find_profile, setting
from .exports import matching_events
from .queries import EventQuery, QueryError, day_of

CHANNELS = ("push", "webpush", "email", "sms", "whatsapp", "webhook", "notificationinbox")
SEND_CHANNELS = ("push", "webpush", "email", "sms")


def _status(ctx, campaign):
    if campaign.get("stopped_at") is not None:
        return "stopped"
    now = ctx.now()
    if now < campaign["start_at"]:
        return "scheduled"
    if now < campaign["start_at"] + campaign["run_seconds"]:
        return "running"
    return "completed"


def _start_time(ctx, when):
    """``now``, ``"YYYYMMDD HH:MM"`` (UTC here [INF]) or an object with delivery_date_time."""
    if when in (None, "now"):
        return ctx.now()
    if isinstance(when, dict):
        times = when.get("delivery_date_time") or []
        when = times[0] if times else "now"
        if when == "now":
            return ctx.now()
    try:
        return float(calendar.timegm(time.strptime(str(when), "%Y%m%d %H:%M")))
    except ValueError:
        raise SANDBOX.fail(400, 'when must be "now" or "YYYYMMDD HH:MM"') from None


def _audience(ctx, data):
    if "where" in data:
        try:
            query = EventQuery(data["where"])
        except QueryError as exc:
            raise SANDBOX.fail(400, f"where: {exc}") from None
        return len({e["objectId"] for e in matching_events(ctx, query, ctx.next_id(f"{ctx.workspace}/event") - 1)})
    segment = data.get("segment")
    if segment == "all":
        return col(ctx, "profiles").count()
    found = col(ctx, "segments").get(str(segment))
    if found is None:
        raise SANDBOX.fail(400, f"Unknown segment {segment}")
    return len(found["members"])


@SANDBOX.route("POST", "/1/targets/create.json")
def create(req, ctx):
    data = body(req)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise SANDBOX.fail(400, "name is mandatory")
    if ("where" in data) == ("segment" in data):
        raise SANDBOX.fail(400, "Give either where or segment")  # as the Node library checks too
    if not isinstance(data.get("content"), dict):
        raise SANDBOX.fail(400, "content is mandatory")
    mode = data.get("target_mode", "push")
    if mode not in CHANNELS:
        raise SANDBOX.fail(400, f"target_mode must be one of {', '.join(CHANNELS)}")
    reach = _audience(ctx, data)
    if data.get("estimate_only"):  # §A5.13: the reach, nothing created ([INF] keys)
        return {"status": "success", "estimates": {"total": reach}}
    campaign_id = ctx.next_id(f"{ctx.workspace}/campaign", start=1700000100)
    start = _start_time(ctx, data.get("when"))
    col(ctx, "campaigns").put(str(campaign_id), {
        "id": campaign_id, "name": data["name"], "target_mode": mode, "start_at": start,
        "run_seconds": setting(ctx, "campaign_run_seconds"), "stopped_at": None, "audience": reach,
        "labels": data.get("labels") or [], "created": ctx.now(),
    })
    return {"status": "success", "id": campaign_id}


def _campaign(ctx, data):
    campaign_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(campaign_id, bool) or not isinstance(campaign_id, int) or campaign_id <= 0:
        raise SANDBOX.fail(400, "id must be a positive integer")
    campaign = col(ctx, "campaigns").get(str(campaign_id))
    if campaign is None:
        raise SANDBOX.fail(400, "Invalid campaign id")  # §A5.12 [V-doc]: "fail" with an error
    return campaign


@SANDBOX.route("POST", "/1/targets/stop.json")
def stop(req, ctx):
    campaign = _campaign(ctx, body(req))
    if _status(ctx, campaign) in ("scheduled", "running"):
        campaign["stopped_at"] = ctx.now()
        col(ctx, "campaigns").put(str(campaign["id"]), campaign)
    return {"status": "success"}  # §A5.12: already stopped or done → success, nothing changes


@SANDBOX.route("POST", "/1/targets/result.json")
def result(req, ctx):
    campaign = _campaign(ctx, body(req))
    status = _status(ctx, campaign)
    if status != "completed":  # §A5.11 [V-doc]: an error naming its status
        raise SANDBOX.fail(400, f"Campaign is {status}; its report is available once it has completed")
    sent = campaign["audience"]
    return {"status": "success", "id": campaign["id"], "name": campaign["name"], "channel": campaign["target_mode"],
            "sent": sent, "delivered": sent, "viewed": 0, "clicked": 0, "converted": 0, "errors": 0}


@SANDBOX.route("POST", "/1/targets/list.json")
def list_campaigns(req, ctx):
    """§A5.10: campaigns whose scheduled start falls in [from, to] ([3P] item keys)."""
    data = body(req)
    try:
        query = EventQuery({"event_name": "-", "from": (data or {}).get("from"), "to": (data or {}).get("to")})
    except QueryError as exc:
        raise SANDBOX.fail(400, str(exc)) from None
    targets = []
    for campaign in col(ctx, "campaigns"):
        if query.since <= day_of(int(campaign["start_at"])) <= query.until:
            targets.append({"id": campaign["id"], "name": campaign["name"], "scheduled_on": int(campaign["start_at"]), "status": _status(ctx, campaign)})
    return {"status": "success", "targets": targets}


@SANDBOX.route("POST", "/1/message/report.json")
def message_report(req, ctx):
    """§A5.14: every message sent in the range (campaigns that started, sends by user id), with
    numbers; ``from``/``to`` as strings or integers (§A3). Keys are [INF]."""
    data = body(req) or {}
    try:
        query = EventQuery({"event_name": "-", "from": data.get("from"), "to": data.get("to")})
    except QueryError as exc:
        raise SANDBOX.fail(400, str(exc)) from None
    channels = set(data.get("channel") or [])
    messages = []
    for campaign in col(ctx, "campaigns"):
        status = _status(ctx, campaign)
        day = day_of(int(campaign["start_at"]))
        if status == "scheduled" or not query.since <= day <= query.until:
            continue
        messages.append({"id": campaign["id"], "name": campaign["name"], "channel": campaign["target_mode"], "status": status,
                         "delivery": "api", "date": day, "sent": campaign["audience"], "viewed": 0, "clicked": 0})
    for send in col(ctx, "sends"):
        if query.since <= send["date"] <= query.until:
            messages.append({k: send[k] for k in ("id", "name", "channel", "status", "delivery", "date", "sent", "viewed", "clicked")})
    if channels:
        messages = [m for m in messages if m["channel"] in channels]
    return {"status": "success", "messages": messages}


@SANDBOX.route("POST", "/1/send/{channel}.json")
def send(req, ctx):
    """§A4 [3P]: a message to given users now; users not found are counted as unreachable [INF]."""
    channel = req.path_params["channel"]
    if channel not in SEND_CHANNELS:
        raise SANDBOX.fail(404, "Not found")
    data = body(req)
    to = data.get("to") if isinstance(data, dict) else None
    if not isinstance(to, dict) or not to or not isinstance(data.get("content"), dict):
        raise SANDBOX.fail(400, "to and content are mandatory")
    keys = {"Identity": "identity", "objectId": "objectId", "FBID": "FBID", "GPID": "GPID", "Email": "email"}
    reached = set()
    for key, values in to.items():
        if key not in keys or not isinstance(values, list):
            raise SANDBOX.fail(400, f"to.{key} is not a list of {', '.join(keys)}")
        for value in values:
            profile = find_profile(ctx, keys[key], str(value))
            if profile is not None:
                reached.add(profile["objectId"])
    send_id = ctx.next_id(f"{ctx.workspace}/send", start=1)
    col(ctx, "sends").put(str(send_id), {
        "id": f"send-{send_id}", "name": data.get("tag_group") or f"{channel} to users", "channel": channel, "status": "completed",
        "delivery": "api", "date": day_of(int(ctx.now())), "sent": len(reached), "viewed": 0, "clicked": 0, "recipients": sorted(reached),
    })
    return {"status": "success", "sent": len(reached)}
