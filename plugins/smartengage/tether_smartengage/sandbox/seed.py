"""The sandbox's starting data: two accounts (one with two avatars, one with one), each avatar
with its own tags, custom fields, sequences and subscribers. Ids of tags, fields and sequences
restart at 1 in every avatar (B3: unique per avatar only)."""

from __future__ import annotations

from .model import add_item, add_subscriber, second_key

CDN = "https://cdn.smartengage.com/uploads/avatars/"

AVATARS = [
    # (account, avatar_id, brand, facebook page) — avatar ids are platform-wide (docs example).
    ("2", "1", "Corner Bakery", "100000000000001"),
    ("1", "2", "Yoga Fitness", "100000000000002"),
    ("1", "3", "Anti-Aging Cream", "100000000000003"),
]
TAGS = {"1": ["#regular"], "2": ["#lead", "$purchased", "#vip"], "3": ["#newsletter", "#lead"]}
FIELDS = {"1": ["favourite_bread"], "2": ["business_type", "city"], "3": ["skin_type"]}
SEQUENCES = {"1": ["Weekly specials"], "2": ["Welcome series", "Class reminders"], "3": ["Onboarding drip"]}
SUBSCRIBERS = [
    # (avatar, profile, tags, custom field values, sequence ids)
    ("2", {"email": "grace@example.com", "first_name": "Grace", "last_name": "Hopper", "full_name": "Grace Hopper"}, ["#lead"], {"business_type": "dance studio"}, ["1"]),
    ("2", {"email": "alan@example.com", "first_name": "Alan", "last_name": "Turing", "full_name": "Alan Turing"}, ["$purchased"], {}, []),
    ("2", {"email": "katherine@example.com", "first_name": "Katherine", "last_name": "Johnson", "full_name": "Katherine Johnson", "push_id": "wp-7731"}, [], {"city": "Hampton"}, ["2"]),
    ("3", {"email": "edsger@example.com", "first_name": "Edsger", "last_name": "Dijkstra", "full_name": "Edsger Dijkstra"}, ["#newsletter"], {"skin_type": "dry"}, ["1"]),
    ("1", {"email": "barbara@example.com", "first_name": "Barbara", "last_name": "Liskov", "full_name": "Barbara Liskov", "facebook_id": "2200000000000042"}, ["#regular"], {}, ["1"]),
]


def seed(ctx):
    primary = ctx.credentials["api_key"]
    accounts = ctx.collection("accounts")
    accounts.put("1", {"account_id": "1", "api_key": primary, "avatars": 2})
    accounts.put("2", {"account_id": "2", "api_key": second_key(primary), "avatars": 1})
    for account, avatar_id, brand, page in AVATARS:
        ctx.collection("avatars").put(avatar_id, {
            "avatar_id": avatar_id, "account_id": account, "brand_name": brand,
            "brand_image": f"{CDN}{avatar_id}.png", "user_role": "2", "facebook_page_id": page,
        })
        for tag in TAGS[avatar_id]:
            add_item(ctx, "tags", avatar_id, tag)
        for field in FIELDS[avatar_id]:
            add_item(ctx, "custom_fields", avatar_id, field, custom_field_type="text", custom_field_title=field, custom_field_desc="")
        for sequence in SEQUENCES[avatar_id]:
            add_item(ctx, "sequences", avatar_id, sequence)
    for avatar_id, profile, tags, values, sequences in SUBSCRIBERS:
        add_subscriber(ctx, avatar_id, profile, tags=tags, custom_fields=values, sequences=sequences)
