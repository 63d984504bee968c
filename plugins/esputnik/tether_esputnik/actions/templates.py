"""Email templates ("email messages" on the platform) and the account (§B5.15, §B5.1)."""

from __future__ import annotations

from tether.connector import (
    Action,
    OffsetPages,
    array,
    boolean,
    identifier,
    input_object,
    integer,
    obj,
    rest,
    string,
)

from ..quirks import listing, with_int_ids
from ..schemas import TAGS, page_of, paged

TEMPLATE_ID = identifier("The email template's (message's) numeric id.", numeric=True)

TEMPLATE = obj(
    {
        "id": integer("The template's id (use it with send-prepared-message)."),
        "name": string("Name.", min_length=0),
        "from": string("Sender.", min_length=0),
        "subject": string("Subject line.", min_length=0),
        "htmlText": string("HTML body.", min_length=0),
        "tags": array(string("A tag.", min_length=0), "Tags."),
    },
    "An email template.",
)


search_email_templates = listing("/v1/messages/email", "templates", ("search", "startindex", "maxrows"))


SEARCH_EMAIL_TEMPLATES = Action(
    key="search-email-templates",
    name="Search email templates",
    description=(
        "Find or list saved email templates (prepared email messages) whose name or tag contains some text, or all "
        "of them: ids, names, senders and subjects. Use an id with get-email-template or send-prepared-message."
    ),
    entity="email template",
    input_schema=input_object({"search": string("Text to look for in template names and tags."), **paged("templates")}),
    output_schema=page_of("templates", TEMPLATE, "One page of email templates."),
    run=search_email_templates,
    examples=({}, {"search": "welcome"}),
    read_only=True,
    idempotent=True,
    pages=OffsetPages(items="templates", param="startindex", size_param="maxrows", start=1, total="totalCount", max_size=500),
)

GET_EMAIL_TEMPLATE = Action(
    key="get-email-template",
    name="Get email template",
    description="Get one email template (prepared email message) by id: its name, sender, subject, HTML body and tags.",
    entity="email template",
    input_schema=input_object({"id": TEMPLATE_ID}, ("id",)),
    output_schema=TEMPLATE,
    # §B6: this endpoint alone is limited to 10 requests per second.
    run=rest("GET", "/v1/messages/email/{id}", rate_family="email-message", read=lambda r, inp: with_int_ids(r.json())),
    examples=({"id": 3001},),
    read_only=True,
    idempotent=True,
)

CREATE_EMAIL_TEMPLATE = Action(
    key="create-email-template",
    name="Create email template",
    description=(
        "Create (save) a new reusable email template: a name, sender, subject and HTML body, with optional plain text "
        "and tags. Send it later with send-prepared-message."
    ),
    entity="email template",
    input_schema=input_object(
        {
            "name": string("The template's name."),
            "from": string('Sender, e.g. "Shop" <news@shop.example>.'),
            "subject": string("Subject line."),
            "htmlText": string("HTML body."),
            "plainText": string("Plain-text body."),
            "tags": TAGS,
        },
        ("name", "from", "subject", "htmlText"),
    ),
    output_schema=obj({"id": integer("The new template's id.")}, "The created template.", required=("id",)),
    run=rest("POST", "/v1/messages/email", body=("name", "from", "subject", "htmlText", "plainText", "tags"), read=lambda r, inp: {"id": with_int_ids(r.json())["id"]}),
    examples=({"name": "Spring sale", "from": '"Shop" <news@shop.example>', "subject": "Spring is here", "htmlText": "<h1>-20%</h1>", "tags": ["promo"]},),
)

DELETE_EMAIL_TEMPLATE = Action(
    key="delete-email-template",
    name="Delete email template",
    description="Delete (remove, get rid of) an old email template, a saved email message, by id, for good.",
    entity="email template",
    input_schema=input_object({"id": TEMPLATE_ID}, ("id",)),
    output_schema=obj({"deleted": boolean("True.")}, "Done.", required=("deleted",)),
    run=rest("DELETE", "/v1/messages/email/{id}", read=lambda r, inp: {"deleted": True}),
    examples=({"id": 3002},),
    destructive=True,
    idempotent=True,
)

# -- the account -------------------------------------------------------------------------------

GET_ACCOUNT_INFO = Action(
    key="get-account-info",
    name="Get account info",
    description=(
        "Get the account (organisation) the API key belongs to: the organisation name, the user email and the "
        "organisation id. A quick way to check that the key works."
    ),
    entity="account",
    input_schema=input_object({}),
    output_schema=obj(
        {
            "userEmail": string("The API user.", min_length=0),
            "organisationName": string("The organisation's name.", min_length=0),
            "orgId": integer("The organisation's id."),
        },
        "The account.",
    ),
    run=rest("GET", "/v1/account/info", read=lambda r, inp: with_int_ids(r.json())),
    examples=({},),
    read_only=True,
    idempotent=True,
)

ACTIONS = (SEARCH_EMAIL_TEMPLATES, GET_EMAIL_TEMPLATE, CREATE_EMAIL_TEMPLATE, DELETE_EMAIL_TEMPLATE, GET_ACCOUNT_INFO)
