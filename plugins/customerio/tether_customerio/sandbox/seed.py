"""Seed data: the same people, segments and deliveries in the US and the EU workspace.

Ids come from ``tether_customerio.samples`` so the actions' examples run on a fresh sandbox.
Route modules that own other objects (campaigns, templates, exports, …) seed them in their
own ``seed(ctx)``, called here once per workspace. The sandbox names this module by string
(loaded when first seeded), and no module imports it, so importing the routes from here
makes no cycle.
"""

from __future__ import annotations

from .. import samples as s
from . import broadcasts, campaigns, exports, model, transactional, webhooks

# Route modules whose objects the seed creates, in the order they are seeded (exports read people).
OWNERS = (exports, campaigns, broadcasts, transactional, webhooks)

PEOPLE = (
    (s.ADA, s.ADA_EMAIL, s.ADA_CIO, {"first_name": "Ada", "last_name": "Lovelace", "plan": "pro", "created_at": 1_690_000_000}),
    (s.GRACE, s.GRACE_EMAIL, s.GRACE_CIO, {"first_name": "Grace", "last_name": "Hopper", "plan": "pro", "created_at": 1_690_000_100}),
    (s.ALAN, s.ALAN_EMAIL, s.ALAN_CIO, {"first_name": "Alan", "last_name": "Turing", "plan": "free", "created_at": 1_690_000_200}),
    (s.KATHERINE, s.KATHERINE_EMAIL, s.KATHERINE_CIO, {"first_name": "Katherine", "plan": "free", "created_at": 1_690_000_300}),
)


def _seed_people(ctx) -> None:
    for uid, email, cio_id, attributes in PEOPLE:
        person = model.new_person(ctx, id=uid, email=email, cio_id=cio_id)
        person["created_at"] = s.SEEDED_AT
        model.set_attributes(ctx, person, {"id": uid, "email": email, **attributes})
        person["timestamps"] = {k: s.SEEDED_AT for k in person["timestamps"]}
        if uid == s.ADA:
            person["devices"].append({"id": s.ADA_DEVICE, "platform": "ios", "last_used": s.SEEDED_AT, "attributes": {}})
        model.save(ctx, person)


def _segment(id: int, name: str, description: str, type: str, **extra) -> dict:
    return {
        "id": id,
        "deduplicate_id": f"{id}:{s.SEEDED_AT}",
        "name": name,
        "description": description,
        "state": "finished",
        "progress": None,
        "type": type,
        "tags": None,
        "created_at": s.SEEDED_AT,
        "updated_at": s.SEEDED_AT,
        **extra,
    }


def _seed_segments(ctx) -> None:
    segments = model.segments(ctx)
    segments.put(str(s.VIP_SEGMENT), _segment(s.VIP_SEGMENT, "VIP customers", "Hand-picked VIPs", "manual", members=[s.ADA_CIO, s.GRACE_CIO]))
    segments.put(str(s.BETA_SEGMENT), _segment(s.BETA_SEGMENT, "Beta testers", "People in the beta programme", "manual", members=[]))
    # A data-driven segment: its members are whoever matches _rule (here, plan = pro).
    segments.put(str(s.ACTIVE_SEGMENT), _segment(s.ACTIVE_SEGMENT, "Pro plan", "Everyone on the pro plan", "dynamic", _rule={"plan": "pro"}))
    # Segments created later take ids from next_id(ctx, "segment", 10): 10, 11, …


def _seed_deliveries(ctx) -> None:
    ada = model.find(ctx, s.ADA)
    message = model.record_message(
        ctx,
        ada,
        "email",
        id=s.ADA_WELCOME_DELIVERY,
        campaign_id=s.ONBOARDING_CAMPAIGN,
        action_id=s.ONBOARDING_EMAIL_ACTION,
        msg_template_id=s.ONBOARDING_EMAIL_ACTION,
        recipient=s.ADA_EMAIL,
        subject="Welcome to Example",
        metrics={"sent": s.SEEDED_AT, "delivered": s.SEEDED_AT + 5, "opened": s.SEEDED_AT + 600},
        created=s.SEEDED_AT,
    )
    model.record_activity(ctx, ada, "event", name="signed_up", data={"source": "web"}, timestamp=s.SEEDED_AT - 60)
    model.record_activity(
        ctx, ada, "sent_email", delivery_id=message["id"], delivery_type="email", data={"campaign_id": s.ONBOARDING_CAMPAIGN}, timestamp=s.SEEDED_AT
    )


def seed(ctx) -> None:
    home = ctx.workspace
    for region in ctx.workspaces:
        ctx.workspace = region
        _seed_people(ctx)
        _seed_segments(ctx)
        _seed_deliveries(ctx)
        for module in OWNERS:
            module.seed(ctx)
    ctx.workspace = home
