"""Contact activity (§B5.14) and workflows, which have no public API (NOTES.md §3).

GET /v2/contacts/activity answers at most three months per request and pages by the
``offset`` of the last row it returned. A longer period is walked window by window: each page
says where the next one starts, either the last row's offset in the same window or the start
of the next window, and ``{"all": true}`` follows that to the end.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tether.connector import (
    Action,
    Request,
    UsageError,
    ValidationError,
    all_flag,
    array,
    input_object,
    integer,
    nullable,
    obj,
    string,
)

from ..quirks import as_list, with_int_ids

WINDOW_MONTHS = 3
"""§B5.14 (docs, webhooks.md): "a time interval (up to 3 months)" per request."""

DEFAULT_ROWS = 500
MAX_ROWS = 1000
"""A third party measured misbehaviour above 1,000 rows a page on a live account (§B5.14 [3P])."""

WIRE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def parse_when(value: str, field: str) -> datetime:
    """ISO 8601 date or date-time (§B3: YYYY-MM-DD or YYYY-MM-DDTHH:mm), in the account's time zone."""
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise ValidationError(f"{field} {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:mm)", path=f"input.{field}") from None


def add_months(when: datetime, months: int) -> datetime:
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def window_end(start: datetime, end: datetime) -> datetime:
    """The end of the window starting at ``start``: three months on, or ``end`` if sooner."""
    return min(end, add_months(start, WINDOW_MONTHS))


def get_contacts_activity(inp, ctx):
    start, end = parse_when(inp["dateFrom"], "dateFrom"), parse_when(inp["dateTo"], "dateTo")
    if start >= end:
        raise ValidationError("dateFrom must be before dateTo", path="input.dateFrom")
    stop = window_end(start, end)
    rows = inp.get("maxrows", DEFAULT_ROWS)
    params: dict[str, Any] = {"dateFrom": start.strftime(WIRE_FORMAT), "dateTo": stop.strftime(WIRE_FORMAT), "maxrows": rows}
    if inp.get("offset"):
        params["offset"] = inp["offset"]
    response = yield Request("GET", "/v2/contacts/activity", params=params)
    activities = [with_int_ids(row) for row in as_list(response.json(default=[]))]
    following: dict[str, Any] | None = None
    if len(activities) >= rows and activities[-1].get("offset") not in (None, ""):
        following = {"offset": str(activities[-1]["offset"])}
    elif stop < end:
        following = {"dateFrom": stop.strftime(WIRE_FORMAT)}
    return {"activities": activities, "window": {"dateFrom": params["dateFrom"], "dateTo": params["dateTo"]}, "next": following}


class ActivityPages:
    """Follow ``next``: the last row's offset within a window, then the next window's start."""

    items = "activities"
    size_param = "maxrows"
    max_size = MAX_ROWS

    def page_items(self, output: Any) -> list[Any]:
        return list((output or {}).get(self.items) or [])

    def next_input(self, input: Mapping[str, Any], output: Any) -> dict[str, Any] | None:
        following = (output or {}).get("next")
        if not following:
            return None
        if "offset" in following:
            if following["offset"] == input.get("offset"):
                return None  # a platform repeating its cursor would loop forever
            return {**input, "offset": following["offset"]}
        return {**{k: v for k, v in input.items() if k != "offset"}, "dateFrom": following["dateFrom"]}


ACTIVITY_ROW = obj(
    {
        "activityDateTime": string("When it happened."),
        "activityStatus": string("DELIVERED, UNDELIVERED, READ, CLICKED, UNSUBSCRIBED, SPAM, SUBSCRIPTION_CHANGED or SENT (mobile push)."),
        "mediaType": string("email, sms, viber, mobilepush, webpush …"),
        "contactId": integer("The contact."),
        "messageId": nullable("integer", "The message (template)."),
        "workflowId": nullable(("integer", "string"), "The workflow that sent it, if any."),
        "externalRequestId": nullable("string", "Your id of the send, if you gave one."),
        "offset": nullable("string", "This row's position: where the next page starts."),
    },
    "One activity row.",
)

GET_CONTACTS_ACTIVITY = Action(
    key="get-contacts-activity",
    name="Get contacts activity",
    description=(
        "Get contact activity on messages for a period: deliveries, opens (reads), clicks, bounces (undelivered), "
        "unsubscribes and spam complaints per contact and message, with the workflow or campaign that sent it. Periods "
        "longer than three months are read window by window; pages follow the last row's offset; all reads everything."
    ),
    entity="activity",
    input_schema=input_object(
        {
            "dateFrom": string("Start of the period, ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:mm)."),
            "dateTo": string("End of the period, ISO 8601."),
            "maxrows": integer(f"Rows per page (default {DEFAULT_ROWS}, at most {MAX_ROWS}).", minimum=1, maximum=MAX_ROWS),
            "offset": string("Continue after this row's offset (the previous page's next.offset)."),
            "all": all_flag("activity rows"),
        },
        ("dateFrom", "dateTo"),
    ),
    output_schema=obj(
        {
            "activities": array(ACTIVITY_ROW, "Activity rows of this page."),
            "window": obj({"dateFrom": string("Window start."), "dateTo": string("Window end.")}, "The (at most three-month) window asked."),
            "next": {
                "type": ["object", "null"],
                "description": "Where the next page starts: {offset} within this window or {dateFrom} of the next window; null at the end.",
            },
        },
        "One page of activity.",
        required=("activities", "next"),
    ),
    run=get_contacts_activity,
    examples=({"dateFrom": "2024-01-01", "dateTo": "2024-02-01"}, {"dateFrom": "2023-01-01", "dateTo": "2024-01-01", "maxrows": 100}),
    read_only=True,
    idempotent=True,
    pages=ActivityPages(),
)

# -- get-workflows -----------------------------------------------------------------------------


class NoPublicApi(UsageError):
    """The platform does this only in its web interface: there is nothing to send."""

    type = "unsupported"


NO_WORKFLOW_API = (
    "ESputnik / Yespo has no public API for workflows: they are listed and edited only in the web interface "
    "(Automation → Workflows). To start an event-triggered workflow use generate-event with the event type its Start "
    "block listens to; to see what workflows sent, use get-contacts-activity (its rows carry workflowId). Nothing was sent."
)


def get_workflows(inp, ctx):
    raise NoPublicApi(NO_WORKFLOW_API)
    yield  # pragma: no cover - a generator that never sends


GET_WORKFLOWS = Action(
    key="get-workflows",
    name="Get workflows",
    description=(
        "List the workflows (automation scenarios, automated sequences) set up or configured in the account: ESputnik / "
        "Yespo has no public API for workflows, so this sends nothing and says what to do instead: start an "
        "event-triggered workflow with generate-event, and see what workflows sent with get-contacts-activity."
    ),
    entity="workflow",
    input_schema=input_object({}),
    output_schema=obj({}, "Never returned: the platform has no workflow API."),
    run=get_workflows,
    examples=({},),
    read_only=True,
    idempotent=True,
)

ACTIONS = (GET_CONTACTS_ACTIVITY, GET_WORKFLOWS)
