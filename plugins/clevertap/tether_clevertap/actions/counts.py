"""Counts, trends and top values: answers CleverTap may compute in the background (§A3, §A5.6–A5.8, §A5.15).

A first answer ``{"status":"partial","req_id":N}`` means "still counting": the same path is then
asked ``GET ?req_id=N`` (the way third-party clients poll, §A3 [3P]) through the kit's job poller,
with backoff, until ``success`` or the ``timeout``; the timeout error carries ``req_id``, and
giving ``req_id`` as input waits for that same request instead of starting another.
"""

from tether.connector import (
    PENDING,
    Action,
    Request,
    boolean,
    enum,
    input_object,
    integer,
    obj,
    pick,
    poll_job,
    rest,
    string,
)

from .common import QUERY_PROPERTIES, QUERY_REQUIRED, TIMEOUT, body_of, query_body, without_status

REQ_ID = integer("Request id of a count CleverTap was still computing (from an earlier timeout): waits for it instead of asking again.", minimum=0)


def _polled_run(path, body_of_input, key):
    def run(inp, ctx):
        req_id = inp.get("req_id")
        if req_id is None:
            # A query: asking again only starts another count (the action is flagged idempotent).
            first = body_of((yield Request("POST", path, json=body_of_input(inp), idempotent=True)))
            if first.get("status") != "partial":
                return _shape(first, None)
            req_id = first.get("req_id")

        def state(response):
            body = body_of(response)
            return PENDING if body.get("status") == "partial" else body

        done = yield from poll_job(
            lambda: Request("GET", path, params={"req_id": req_id}),
            state=state,
            timeout=inp.get("timeout", 60),
            job_id=req_id,
            what=f"CleverTap's {key}",
            resume=f'run {key} again with {{"req_id": {req_id}}}',
        )
        return _shape(done, req_id)

    return run


def _shape(body, req_id):
    out = {k: v for k, v in body.items() if k not in ("status", "req_id")}
    out["req_id"] = req_id
    return out


COUNT_OUTPUT = obj(
    {
        "count": integer("The count."),
        "req_id": {"type": ["integer", "null"], "description": "CleverTap's request id when the count was computed in the background."},
    },
    "The count.",
    required=("count",),
)

QUERY_INPUT = {**QUERY_PROPERTIES, "req_id": REQ_ID, "timeout": TIMEOUT}
# A new query needs event_name, from and to; a req_id alone waits for an earlier one.
QUERY_OR_REQ_ID = {"anyOf": [{"required": list(QUERY_REQUIRED)}, {"required": ["req_id"]}]}
GROUP_NOTE = "Keys are your own labels; each answer comes back under its label."


def _count_action(key, name, path, description, entity):
    return Action(
        key=key,
        name=name,
        description=description,
        entity=entity,
        input_schema=input_object(QUERY_INPUT, (), **QUERY_OR_REQ_ID),
        output_schema=COUNT_OUTPUT,
        run=_polled_run(path, query_body, key),
        examples=({"event_name": "App Launched", "from": 20240101, "to": 20241231},),
        read_only=True,
        idempotent=True,
    )


def _groups_body(inp):
    return {**query_body(inp), **pick(inp, ("groups", "unique", "sum_event_prop"))}


GROUPS_OUTPUT = obj(
    {
        "groups": obj({}, "Per label, value → count."),
        "req_id": {"type": ["integer", "null"], "description": "CleverTap's request id when computed in the background."},
    },
    "The answer per group label.",
    required=("groups",),
)


def _grouped_run(path, key):
    inner = _polled_run(path, _groups_body, key)

    def run(inp, ctx):
        out = yield from inner(inp, ctx)
        req_id = out.pop("req_id", None)
        return {"groups": out, "req_id": req_id}

    return run


ACTIONS = (
    _count_action(
        "get-event-count",
        "Get event count",
        "/1/counts/events.json",
        "How many times an event happened (was fired) between two dates: the total number of occurrences, "
        "e.g. sign-ups in Q3 or app opens yesterday, optionally only events whose properties match. "
        "Every occurrence counts, repeats included; to count people use get-profile-count. "
        "Waits until CleverTap's count is ready.",
        "event",
    ),
    _count_action(
        "get-profile-count",
        "Get profile count",
        "/1/counts/profiles.json",
        "Count the profiles (distinct users, people) matching an event query: who did an event between two dates, "
        "e.g. how many people purchased or opened the app last month, optionally only those matching event or "
        "profile properties. Each person counts once however often they did it; for occurrences use get-event-count, "
        "for users online now real-time-user-count. Waits until CleverTap's count is ready.",
        "profile",
    ),
    Action(
        key="get-top-property-counts",
        name="Get top property counts",
        description="Most (or least) frequent values of an event property or profile field among the users who did "
        "an event between two dates, e.g. top cities or payment modes of purchases.",
        entity="event",
        input_schema=input_object(
            {
                **QUERY_INPUT,
                "groups": obj(
                    {},
                    f"What to rank: {{label: {{property_type: event_properties|profile_fields, name, top_n, order: asc|desc}}}}. {GROUP_NOTE}",
                    additionalProperties=obj(
                        {
                            "property_type": enum(("event_properties", "profile_fields"), "Where the property lives."),
                            "name": string("Property name."),
                            "top_n": integer("How many values (default 10).", minimum=1),
                            "order": enum(("asc", "desc"), "desc: most frequent first (default); asc: least."),
                        },
                        "One ranking.",
                        required=("name",),
                        additionalProperties=False,
                    ),
                ),
            },
            (),
            **QUERY_OR_REQ_ID,
        ),
        output_schema=GROUPS_OUTPUT,
        run=_grouped_run("/1/counts/top.json", "get-top-property-counts"),
        examples=({"event_name": "Charged", "from": 20240101, "to": 20241231, "groups": {"cities": {"property_type": "profile_fields", "name": "City", "top_n": 3}}},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="get-event-trends",
        name="Get event trends",
        description="Trend of an event over time, per day, week or month (for a chart): how many times it "
        "happened per period, distinct users (unique) or the sum of a property such as revenue (sum_event_prop).",
        entity="event",
        input_schema=input_object(
            {
                **QUERY_INPUT,
                "unique": boolean("Count distinct users instead of occurrences."),
                "sum_event_prop": string("Sum this numeric event property per period instead of counting (e.g. Amount)."),
                "groups": obj(
                    {},
                    f"Which trends: {{label: {{trend_type: daily|weekly|monthly}}}}. {GROUP_NOTE}",
                    additionalProperties=obj(
                        {"trend_type": enum(("daily", "weekly", "monthly"), "Period length.")},
                        "One trend.",
                        required=("trend_type",),
                        additionalProperties=False,
                    ),
                ),
            },
            (),
            **QUERY_OR_REQ_ID,
        ),
        output_schema=GROUPS_OUTPUT,
        run=_grouped_run("/1/counts/trends.json", "get-event-trends"),
        examples=({"event_name": "Charged", "from": 20240101, "to": 20241231, "groups": {"per_day": {"trend_type": "daily"}}},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="real-time-user-count",
        name="Real-time user count",
        description="Live count: how many users are active right now (online in the past five minutes), optionally "
        "split by user type (new/returning), session source, browser, OS or device.",
        entity="user activity",
        input_schema=input_object(
            {
                name: boolean(f"Split the count by {what}.")
                for name, what in (("user_type", "user type (new or returning)"), ("session_source", "session source"), ("browser", "browser"), ("os", "operating system"), ("device", "device"))
            }
        ),
        output_schema=obj({"users": integer("Users active in the past five minutes.")}, "Active users and the splits asked for ([INF] keys beyond users).", required=("users",)),
        run=rest("POST", "/1/now.json", body=("user_type", "session_source", "browser", "os", "device"), read=without_status, idempotent=True),
        examples=({"user_type": True},),
        read_only=True,
        idempotent=True,
    ),
)
