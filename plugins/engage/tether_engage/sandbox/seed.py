"""The sandbox's starting data: a few customers, two accounts, four lists (one archived).

The actions' examples name these (see tether_engage.samples). Internal ids are fixed and
older than any id made later, so listings put the seed first.
"""

from __future__ import annotations

from typing import Any

from tether.connector import SandboxContext

from .. import samples as s
from .model import new_user, save_user

_SIGNED_UP = "2025-03-14T09:26:53.589+00:00"


def _user(ctx: SandboxContext, uid: str, internal_id: str, **fields: Any) -> dict[str, Any]:
    user = new_user(ctx, uid)
    user.update(id=internal_id, created_at=_SIGNED_UP, last_interaction=_SIGNED_UP, **fields)
    return save_user(ctx, user)


def _list(ctx: SandboxContext, list_id: str, title: str, description: str, *, double_optin: bool = False, archived: bool = False) -> None:
    ctx.collection("lists").put(
        list_id,
        {
            "id": list_id,
            "title": title,
            "description": description,
            "subscriber_count": 0,
            "broadcast_count": 0,
            "double_optin": double_optin,
            "redirect_url": None,
            "created_at": "2025-01-06T08:00:00.000Z",
            "archived": archived,
        },
    )


def seed(ctx: SandboxContext) -> None:
    _list(ctx, s.NEWSLETTER, "Weekly newsletter", "Product news every Friday")
    _list(ctx, s.PRODUCT_UPDATES, "Product updates", "Release notes and changelog")
    _list(ctx, s.BETA_WAITLIST, "Beta waitlist", "People waiting for beta access", double_optin=True)
    _list(ctx, s.ARCHIVED_PROMO, "Spring 2025 promo", "A finished campaign", archived=True)

    _user(ctx, s.ACME, "65a1f0c2e4b0a1b2c3d4e001", first_name="Acme Corp", is_account=True, meta={"industry": "Manufacturing", "plan": "business"})
    _user(ctx, s.GLOBEX, "65a1f0c2e4b0a1b2c3d4e002", first_name="Globex", is_account=True, meta={"industry": "Energy"})
    _user(
        ctx,
        s.GRACE,
        "65a1f0c2e4b0a1b2c3d4e003",
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.com",
        number="15550100001",
        meta={"plan": "pro", "age": 45},
        devices=[{"token": "apns-token-grace", "platform": "ios"}],
        accounts=[{"id": s.ACME, "role": "admin"}],
        lists=[{"id": s.NEWSLETTER, "subscribed": True}],
    )
    _user(
        ctx,
        s.ALAN,
        "65a1f0c2e4b0a1b2c3d4e004",
        first_name="Alan",
        last_name="Turing",
        email="alan@example.com",
        accounts=[{"id": s.ACME, "role": None}],
        lists=[{"id": s.NEWSLETTER, "subscribed": False}, {"id": s.PRODUCT_UPDATES, "subscribed": True}],
    )
    _user(
        ctx, s.KATHERINE, "65a1f0c2e4b0a1b2c3d4e005",
        first_name="Katherine", last_name="Johnson", email="katherine@example.com", meta={"plan": "free"},
    )  # fmt: skip
    _user(ctx, s.DOROTHY, "65a1f0c2e4b0a1b2c3d4e006", first_name="Dorothy", last_name="Vaughan", email="dorothy@example.com")
    # A duplicate of Grace from an old signup, for merge-users.
    _user(
        ctx,
        s.GRACE_DUPLICATE,
        "65a1f0c2e4b0a1b2c3d4e007",
        first_name="Grace",
        email="grace.hopper@old-mail.example",
        meta={"plan": "free", "signup_source": "webinar"},
        lists=[{"id": s.BETA_WAITLIST, "subscribed": True}],
    )
    webinar = "65a1f0c2e4b0a1b2c3d4e101"
    ctx.collection("events").put(
        webinar,
        {"id": webinar, "uid": s.GRACE_DUPLICATE, "event": "Attended webinar", "value": None, "properties": {}, "timestamp": _SIGNED_UP},
    )
