"""Pieces every CleverTap action uses: the answer envelope and the query schemas."""

from tether.connector import PlatformError, array, enum, integer, obj, pick, string

# -- the envelope (§A3) ------------------------------------------------------------------------


def body_of(response):
    """The answer's JSON object; HTTP 200 with ``status: fail`` is an error (§A3)."""
    body = response.json(default=None)
    if not isinstance(body, dict):
        raise PlatformError(f"CleverTap answered {response.status} with no JSON object", status=response.status, body=body)
    if body.get("status") == "fail":
        raise PlatformError(
            f"CleverTap answered {response.status}: {body.get('error') or 'failed'} (code {body.get('code')})",
            status=response.status,
            body=body,
        )
    return body


def read_body(response, inp):
    """``read=`` for rest(): the checked body."""
    return body_of(response)


def without_status(response, inp):
    """``read=`` for rest(): the checked body minus its ``status`` (an error already raised)."""
    return {k: v for k, v in body_of(response).items() if k != "status"}


# -- query schemas (§A3, §A5.4, §A5.6) ------------------------------------------------------------


def day(description):
    return integer(f"{description} as YYYYMMDD, e.g. 20240131.", minimum=19000101, maximum=29991231)


OPERATOR = enum(
    ("equals", "not_equals", "contains", "does_not_contain", "exists", "does_not_exist",
     "greater_than", "greater_than_equals", "less_than", "less_than_equals"),
    "How the property compares with value.",
)

CRITERION = obj(
    {
        "name": string("Property name (case-sensitive)."),
        "operator": OPERATOR,
        "value": {"description": "Value to compare with (string, number, boolean or a list of them)."},
    },
    "One condition on a property.",
    required=("name",),
    additionalProperties=False,
)

QUERY_PROPERTIES = {
    "event_name": string("Name of the event users did, e.g. Charged or App Launched (case-sensitive)."),
    "from": day("First day of the range"),
    "to": day("Last day of the range"),
    "event_properties": array(CRITERION, "Conditions on the event's properties (all must hold)."),
    "profile_fields": array(CRITERION, "Conditions on the users' profile properties (all must hold)."),
}
QUERY_REQUIRED = ("event_name", "from", "to")


def query_body(inp):
    """The wire query: ``profile_fields`` go under ``common_profile_properties`` (§A5.4 [3P])."""
    body = pick(inp, (*QUERY_REQUIRED, "event_properties"))
    if inp.get("profile_fields"):
        body["common_profile_properties"] = {"profile_fields": inp["profile_fields"]}
    return body


TIMEOUT = integer(
    "Seconds to wait for CleverTap to finish the work before giving up (default 60; the error then "
    "carries the request id to ask again).",
    minimum=0,
    maximum=3600,
)

STATUS = enum(("success", "partial"), "CleverTap's status for the request.")
