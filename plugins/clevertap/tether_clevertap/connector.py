"""CleverTap's connector: one API, six regional hosts, two headers, concurrency caps.

Reference: shared/research/clevertap-esputnik.md Part A, cited as §A1… (see ../NOTES.md).
"""

from tether.connector import Api, AuthSpec, Connector, RateLimit, secret, string

# §A1: every account lives in one region; each region has its own host. eu1 is the default
# (the official Node library's too).
REGIONS = ("eu1", "in1", "sg1", "us1", "aps3", "mec1")

REGION_HINT = (
    "check the connection's region: a CleverTap account lives in one region (eu1, in1, sg1, us1, aps3, mec1) "
    "and the others do not know it, e.g. tether connection update ID --setting region=in1"
)


def error_message(status, body):
    """CleverTap's message from ``{"status": "fail", "error": …, "code": …}`` (§A3)."""
    if not isinstance(body, dict):
        return None
    message = body.get("error")
    if not isinstance(message, str) or not message:
        return None
    if status == 401 and "Account ID is not valid" in message:
        # §A1, §A9: the wrong region answers exactly like an unknown account.
        message += f" ({REGION_HINT})"
    return message


API = Api(
    key="default",
    name="CleverTap API",
    # §A1: paths carry their version (/1/…), and the segment APIs live outside it (/api/…).
    base_url={region: f"https://{region}.api.clevertap.com" for region in REGIONS},
    # §A2: the account id and passcode in two headers on every request; only the passcode is secret.
    auth=AuthSpec(
        "header",
        {"headers": {"X-CleverTap-Account-Id": "account_id", "X-CleverTap-Passcode": "passcode"}, "secret": ["passcode"]},
    ),
    # §A6: no time-window quota, but requests in flight per account are capped: 15 to the upload
    # API, 3 to each other API (one shared cap of 3 never exceeds that). §A5.13: creating
    # campaigns is also limited to 3 requests per second.
    rate_limits={"campaign-create": RateLimit(3, 1.0)},
    concurrency={"upload": 15, "default": 3, "campaign-create": 3},
    verify=("get-campaigns", {"from": 20240101, "to": 20240101}),
)

CONNECTOR = Connector(
    key="clevertap",
    name="CleverTap",
    description=(
        "CleverTap: customer engagement and retention for mobile-first brands. Upload events, user profiles and "
        "device tokens; export events and profiles by cursor; count events and users, trends and top property "
        "values; manage campaigns (create, stop, list, report) and message reports; delete, demerge and "
        "unsubscribe users; API segments; send push, email and SMS to given users."
    ),
    domains=("clevertap.com",),
    regions=REGIONS,
    apis=(API,),
    credentials={
        "type": "object",
        "description": (
            "In CleverTap open Settings → Project: the Project ID is the account id, and the Passcode is shown "
            "beside it (or create an account-level passcode). Set the connection's region to the one shown "
            "there (eu1 unless it says otherwise)."
        ),
        "properties": {
            "account_id": string(
                "The Project ID, e.g. W9R-486-4W5Z (sent as X-CleverTap-Account-Id; not secret).", title="Account ID"
            ),
            "passcode": secret("Passcode", "The account passcode (sent as X-CleverTap-Passcode)."),
        },
        "required": ["account_id", "passcode"],
        "additionalProperties": False,
    },
    actions="tether_clevertap.actions:ACTIONS",
    sandbox="tether_clevertap.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
    docs_url="https://developer.clevertap.com/docs/api-overview",
)
