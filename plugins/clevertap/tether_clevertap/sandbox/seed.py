"""What a fresh sandbox workspace holds: a few users who launched the app and bought things, two
campaigns (one completed, one scheduled), an API segment, and one started export of each kind
(so the by-cursor examples have a live cursor). Every region's workspace gets the same."""

import calendar
import time

from . import people
from .base import col
from .exports import start_export

DAY = 86400


def seed(ctx):
    for region in ctx.workspaces:
        ctx.workspace = region
        _seed_workspace(ctx)



def _seed_workspace(ctx):
    base = calendar.timegm(time.strptime("20240301 09:00", "%Y%m%d %H:%M"))
    users = [
        ("user-1", "0f6a2a2b4c4d4e4f8a9b1c2d3e4f5a6b", {"Name": "Ada", "Email": "ada@example.com", "Phone": "+14155551234", "City": "London"}),
        ("user-2", None, {"Name": "Grace", "Email": "grace@example.com", "City": "Paris"}),
        ("user-3", None, {"Name": "Linus", "Email": "linus@example.com", "City": "London"}),
    ]
    for identity, object_id, data in users:
        record = {"type": "profile", "identity": identity, "profileData": data, "ts": base}
        if object_id:
            record["objectId"] = object_id
        people.apply_record(ctx, record)
    # user-3 also goes by a second identity (merged profiles), for demerge.
    people.apply_record(ctx, {"type": "profile", "objectId": col(ctx, "ids").get("identity:user-3")["objectId"], "identity": "user-3-alt", "profileData": {}})
    for i, (identity, name, data) in enumerate([
        ("user-1", "App Launched", {}), ("user-2", "App Launched", {}), ("user-3", "App Launched", {}),
        ("user-1", "Charged", {"Amount": 30, "Category": "books"}), ("user-2", "Charged", {"Amount": 12, "Category": "games"}),
        ("user-1", "Charged", {"Amount": 7, "Category": "books"}),
    ]):
        people.apply_record(ctx, {"type": "event", "identity": identity, "evtName": name, "evtData": data, "ts": base + i * DAY})
    now = ctx.now()
    campaigns = col(ctx, "campaigns")
    campaigns.put("1700000001", {"id": 1700000001, "name": "Welcome push", "target_mode": "push", "start_at": base, "run_seconds": 60,
                                 "stopped_at": None, "audience": 3, "labels": [], "created": base})
    campaigns.put("1700000002", {"id": 1700000002, "name": "Summer sale", "target_mode": "email", "start_at": now + 30 * DAY, "run_seconds": 60,
                                 "stopped_at": None, "audience": 3, "labels": [], "created": now})
    ctx.next_id(f"{ctx.workspace}/segment", start=5000)
    col(ctx, "segments").put("5000", {"segment_id": 5000, "segment_name": "Seeded", "customer_segment_id": "SEG-SEEDED", "members": []})
    col(ctx, "segment_ids").put("SEG-SEEDED", {"segment_id": 5000})
    start_export(ctx, "events", {"event_name": "App Launched", "from": 20240101, "to": 20241231}, 2, export_id="seed-events")
    start_export(ctx, "profiles", {"event_name": "App Launched", "from": 20240101, "to": 20241231}, 2, export_id="seed-profiles")
