"""What a new sandbox account holds: the ids the actions' examples and the docs' samples use."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from . import model, work

SENT_REQUEST_ID = "4b8a7c3e-0000-4000-8000-000000000001"
FINISHED_IMPORT = "6f1c2a4e-0000-4000-8000-000000000001"


def seed(ctx: Any) -> None:
    ctx.collection("account").put("info", {"userEmail": "api-user162065", "organisationName": "Tether Sandbox", "orgId": 4242})
    ctx.collection("addressbook").put(
        "main",
        {
            "addressBookId": 7200,
            "name": "Main",
            "fieldGroups": [
                {
                    "name": "Personal",
                    "fields": [
                        {"id": 15867, "name": "Birthday", "type": "date"},
                        {"id": 15868, "name": "Gender", "type": "combobox", "allowedValues": ["M", "F"]},
                        {"id": 15869, "name": "Favourite tea", "type": "textfield"},
                    ],
                }
            ],
        },
    )
    for name, kind in (("Customers", "Static"), ("VIP", "Dynamic"), ("Subscribers", "Static"), ("Loyal buyers", "Combined")):
        group = {"id": ctx.next_id("group", 2001), "name": name, "type": kind}
        ctx.collection("groups").put(str(group["id"]), group)
        ctx.collection("group_names").put(name, {"id": group["id"]})
    people = (
        ({"firstName": "Ada", "lastName": "Lovelace", "externalCustomerId": "crm-1", "channels": [{"type": "email", "value": "ada@example.com"}]}, (2001,)),
        (
            {"firstName": "Grace", "lastName": "Hopper", "externalCustomerId": "crm-2",
             "channels": [{"type": "email", "value": "grace@example.com"}, {"type": "sms", "value": "380501234567"}],
             "fields": [{"id": 15868, "value": "F"}]},
            (2001,),
        ),
        ({"firstName": "Alan", "lastName": "Turing", "externalCustomerId": "crm-3", "channels": [{"type": "email", "value": "alan@example.com"}]}, (2003,)),
    )
    for data, groups in people:
        contact = model.create(ctx, data)
        for gid in groups:
            model.join(ctx, gid, contact)
    for template in (
        {"name": "Welcome", "from": '"Shop" <news@shop.example>', "subject": "Welcome!", "htmlText": "<p>Hello $!data.get('firstName')</p>", "tags": ["welcome"]},
        {"name": "Old promo", "from": '"Shop" <news@shop.example>', "subject": "Last chance", "htmlText": "<p>-10%</p>", "tags": ["promo"]},
    ):
        template = {"id": ctx.next_id("template", 3001), **template}
        ctx.collection("templates").put(str(template["id"]), template)
    # An event-triggered workflow (built in the web interface; no API lists it).
    ctx.collection("workflows").put("501", {"id": 501, "name": "Order confirmation", "eventTypeKey": "orderCreated", "messageId": 3001, "active": True})
    # One message sent and delivered in January 2024, with its activity row.
    ada = model.by_email(ctx, "ada@example.com")
    sent = datetime(2024, 1, 15, 10, 0, tzinfo=timezone.utc).timestamp()
    message = {
        "requestId": SENT_REQUEST_ID, "mediaType": "email", "locator": "ada@example.com", "contactId": ada["id"], "status": "DELIVERED",
        "reads": 0, "sent": sent, "messageId": 3001, "messageName": "Welcome",
    }
    ctx.collection("messages").put(SENT_REQUEST_ID, message)
    seq = str(ctx.next_id("activity"))
    ctx.collection("activity").put(
        seq,
        {"activityDateTime": work.iso(sent), "activityStatus": "DELIVERED", "mediaType": "email", "contactId": ada["id"], "email": "ada@example.com",
         "messageId": 3001, "messageName": "Welcome", "iid": SENT_REQUEST_ID, "offset": seq},
    )
    ctx.collection("imports").put(FINISHED_IMPORT, {"asyncSessionId": FINISHED_IMPORT, "status": "FINISHED", "polls": 1, "contacts": [{"id": ada["id"], "status": "updated"}], "options": {}})
