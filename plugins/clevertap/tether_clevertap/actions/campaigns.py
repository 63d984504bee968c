"""Campaigns, message reports and sends to given users (§A5.10–A5.14, §A4).

Campaigns created here move through CleverTap's states (scheduled → running → completed, or
stopped); Get Campaigns lists those created through the API (§A5.10), Get Message Reports lists
every message with its numbers (§A5.14). Sends to given user ids use ``/1/send/<channel>.json``,
paths seen only in third-party code (§A4 [3P]).
"""

from tether.connector import Action, array, boolean, enum, input_object, integer, obj, rest, string

from .common import STATUS, day, read_body, without_status

CAMPAIGN_ID = integer("The campaign id (e.g. 1457432766).", minimum=1)


CONTENT = obj(
    {
        "title": string("Push/web push title."),
        "body": string("Message text (push, SMS) or HTML (email)."),
        "subject": string("Email subject."),
        "sender_name": string("Email sender name."),
        "platform_specific": obj({}, "Per platform options: ios, android, chrome, firefox, safari …"),
    },
    "What the message says.",
)
CHANNELS = ("push", "webpush", "email", "sms", "whatsapp", "webhook", "notificationinbox")

ACTIONS = (
    Action(
        key="get-campaigns",
        name="Get campaigns",
        description="List campaigns (pushes, emails … created through the API) scheduled between two dates, "
        "with id, name, scheduled time and status. Campaigns made in the dashboard are listed by get-message-reports.",
        entity="campaign",
        input_schema=input_object({"from": day("First day"), "to": day("Last day")}, ("from", "to")),
        output_schema=obj({"targets": array({"type": "object"}, "The campaigns: id, name, scheduled_on, status.")}, "Campaigns.", required=("targets",)),
        run=rest("POST", "/1/targets/list.json", body=("from", "to"), read=lambda r, inp: {"targets": read_body(r, inp).get("targets") or []}, idempotent=True),
        examples=({"from": 20240101, "to": 20241231},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="get-campaign-report",
        name="Get campaign report",
        description="How one campaign you sent performed (a push, email or SMS blast): its results and stats (sent, "
        "delivered, opened, clicked, converted) by campaign id, or its status while still scheduled or running. "
        "For every message over a date range use get-message-reports.",
        entity="campaign",
        input_schema=input_object({"id": CAMPAIGN_ID}, ("id",)),
        output_schema=obj({}, "The campaign's report ([INF] metric names)."),
        run=rest("POST", "/1/targets/result.json", body=("id",), read=without_status, idempotent=True),
        examples=({"id": 1700000001},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="stop-campaign",
        name="Stop campaign",
        description="Stop (halt, cancel, abort) a scheduled or running campaign by id before it goes out or "
        "sends anything more; stopping a stopped or completed campaign does nothing.",
        entity="campaign",
        input_schema=input_object({"id": CAMPAIGN_ID}, ("id",)),
        output_schema=obj({"status": STATUS}, "CleverTap's answer.", required=("status",)),
        run=rest("POST", "/1/targets/stop.json", body=("id",), read=lambda r, inp: {"status": read_body(r, inp).get("status", "success")}, idempotent=True),
        examples=({"id": 1700000002},),
        destructive=True,
        idempotent=True,
    ),
    Action(
        key="create-campaign",
        name="Create campaign",
        description="Create, schedule or launch a campaign: a push notification, web push, email, SMS or "
        "WhatsApp blast to an audience (users who did an event, a segment, or everyone), now or later; "
        "estimate_only returns how many users it would reach without sending.",
        entity="campaign",
        input_schema=input_object(
            {
                "name": string("Campaign name."),
                "target_mode": enum(CHANNELS, "The channel (default push)."),
                "where": obj({}, "Audience: users who did an event, {event_name, from, to, common_profile_properties…}."),
                "segment": {"type": ["string", "integer"], "description": "Audience: a segment id, or \"all\"."},
                "when": {"description": "\"now\", \"YYYYMMDD HH:MM\", or a schedule object."},
                "content": CONTENT,
                "devices": array(enum(("android", "ios", "web"), "A platform."), "Platforms to send to."),
                "provider_nick_name": string("Which configured provider sends it (email, SMS, WhatsApp)."),
                "respect_frequency_caps": boolean("Honour the account's frequency caps (default true)."),
                "estimate_only": boolean("Only return how many users it would reach; create nothing."),
                "labels": array(string("A label."), "Labels to file it under."),
            },
            ("name", "content"),
            oneOf=[{"required": ["where"]}, {"required": ["segment"]}],
        ),
        output_schema=obj(
            {"id": integer("The new campaign's id."), "estimates": obj({}, "Reach per platform (estimate_only).")},
            "The created campaign's id, or the estimate ([INF] keys).",
        ),
        run=rest("POST", "/1/targets/create.json", body=lambda inp, ctx: dict(inp), read=without_status, rate_family="campaign-create"),
        examples=({"name": "Spring sale", "target_mode": "push", "when": "now", "where": {"event_name": "App Launched", "from": 20240101, "to": 20241231}, "content": {"title": "Sale", "body": "20% off today"}, "devices": ["android", "ios"]},),
    ),
    Action(
        key="get-message-reports",
        name="Get message reports",
        description="List every message sent between two dates (campaigns and journeys, dashboard or API) with "
        "sent, viewed and clicked numbers, filtered by channel (push, email, sms, inapp …), status or labels: "
        "an overview across all messages of a period, per day if asked (daily). For one campaign's report by id use get-campaign-report.",
        entity="message",
        input_schema=input_object(
            {
                "from": string("First day as YYYYMMDD (e.g. \"20240101\")."),
                "to": string("Last day as YYYYMMDD."),
                "channel": array(string("push, email, sms, browser, inapp, webhooks, whatsapp …"), "Only these channels."),
                "status": array(string("A message status."), "Only these statuses."),
                "message_type": array(string("A message type."), "Only these types."),
                "label": array(string("A label."), "Only messages with these labels."),
                "delivery": array(string("one_time, inaction, action, recurring, property_time, api"), "Only these delivery kinds."),
                "daily": boolean("Numbers per day."),
            },
            ("from", "to"),
        ),
        output_schema=obj({"messages": array({"type": "object"}, "The messages with their numbers ([INF] keys).")}, "Messages.", required=("messages",)),
        run=rest("POST", "/1/message/report.json", body=("from", "to", "channel", "status", "message_type", "label", "delivery", "daily"), read=lambda r, inp: {"messages": read_body(r, inp).get("messages") or []}, idempotent=True),
        examples=({"from": "20240101", "to": "20241231"},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="send-message-to-users",
        name="Send message to users",
        description="Send a push, web push, email or SMS right away to specific users given by identity, "
        "CleverTap ID or email (a one-off message to chosen people). Paths known from third-party code only.",
        entity="message",
        input_schema=input_object(
            {
                "channel": enum(("push", "webpush", "email", "sms"), "How to reach them."),
                "to": obj(
                    {
                        key: array(string("A value."), f"Users by {what}.")
                        for key, what in (("Identity", "identity"), ("objectId", "CleverTap ID"), ("FBID", "Facebook id"), ("GPID", "Google id"), ("Email", "email"))
                    },
                    "Who: at least one list.",
                    additionalProperties=False,
                    minProperties=1,
                ),
                "content": CONTENT,
                "tag_group": string("A tag to group these sends in reports."),
                "provider_nick_name": string("Which configured provider sends it."),
                "respect_frequency_caps": boolean("Honour frequency caps."),
            },
            ("channel", "to", "content"),
        ),
        output_schema=obj({"status": STATUS}, "CleverTap's answer ([INF] more keys).", required=("status",)),
        run=rest("POST", "/1/send/{channel}.json", body=("to", "content", "tag_group", "provider_nick_name", "respect_frequency_caps"), read=read_body),
        examples=({"channel": "push", "to": {"Identity": ["user-1"]}, "content": {"title": "Hello", "body": "Your order shipped"}},),
    ),
)
