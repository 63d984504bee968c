"""Counts computed "in the background": /1/counts/{events,profiles,top,trends}.json, and /1/now.json.

§A3, §A8: the first answer is ``{"status":"partial","req_id":N}`` and the same path asked with
``?req_id=N`` (GET, or POST as one client does, §A5.6 [3P]) answers ``partial`` again until the
count is ready, then ``{"status":"success", …}``. How many polls it takes is the workspace
setting ``count_pending_polls`` (0 answers at once). The answer is computed when the request
arrives (a snapshot), so polling never changes it.
"""

from .base import SANDBOX, body, col, setting
from .exports import matching_events
from .queries import PROPERTY_TYPES, TREND_TYPES, EventQuery, QueryError, top_counts, trends

ACTIVE_SECONDS = 300  # §A5.8: active users in the past five minutes


def _query(data):
    try:
        return EventQuery(data)
    except QueryError as exc:
        raise SANDBOX.fail(400, str(exc)) from None


def _events(ctx, data):
    query = _query(data)
    return matching_events(ctx, query, ctx.next_id(f"{ctx.workspace}/event") - 1)


def _event_count(ctx, data):
    return {"count": len(_events(ctx, data))}


def _profile_count(ctx, data):
    return {"count": len({e["objectId"] for e in _events(ctx, data)})}


def _groups(data, allowed_key, allowed):
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, dict) or not groups or not all(isinstance(g, dict) for g in groups.values()):
        raise SANDBOX.fail(400, "groups is mandatory: an object of labelled groups")
    for label, group in groups.items():
        if group.get(allowed_key, allowed[0]) not in allowed:
            raise SANDBOX.fail(400, f"groups.{label}.{allowed_key} must be one of {', '.join(allowed)}")
    return groups


def _top(ctx, data):
    groups = _groups(data, "property_type", PROPERTY_TYPES)
    events = _events(ctx, data)
    profiles = {e["objectId"]: col(ctx, "profiles").get(e["objectId"]) or {} for e in events}
    return top_counts(events, profiles, groups)


def _trends(ctx, data):
    groups = _groups(data, "trend_type", TREND_TYPES)
    sum_prop = data.get("sum_event_prop")
    return trends(_events(ctx, data), groups, bool(data.get("unique")), sum_prop if isinstance(sum_prop, str) else None)


def _counting(compute):
    def handler(req, ctx):
        jobs = col(ctx, "count_jobs")
        if "req_id" in req.query:
            job = jobs.get(req.query["req_id"])
            if job is None or job["path"] != req.path:
                raise SANDBOX.fail(400, "Invalid req_id")
            if job["polls_left"] > 0:
                job["polls_left"] -= 1
                jobs.put(req.query["req_id"], job)
            if job["polls_left"] > 0:
                return {"status": "partial", "req_id": job["req_id"]}
            return {"status": "success", **job["answer"]}
        data = body(req)
        answer = compute(ctx, data if isinstance(data, dict) else {})
        pending = setting(ctx, "count_pending_polls")
        if pending <= 0:
            return {"status": "success", **answer}
        req_id = ctx.next_id(f"{ctx.workspace}/req_id", start=1000)
        jobs.put(str(req_id), {"req_id": req_id, "path": req.path, "answer": answer, "polls_left": pending})
        return {"status": "partial", "req_id": req_id}

    return handler


for _path, _compute in (
    ("/1/counts/events.json", _event_count),
    ("/1/counts/profiles.json", _profile_count),
    ("/1/counts/top.json", _top),
    ("/1/counts/trends.json", _trends),
):
    SANDBOX.route("POST", _path)(_counting(_compute))
    SANDBOX.route("GET", _path)(_counting(_compute))


@SANDBOX.route("POST", "/1/now.json")
def now(req, ctx):
    """§A5.8: users with an event in the past five minutes (received by the sandbox then), split by
    user type when asked ([INF] answer keys: users, and user_type {New, Returning})."""
    data = body(req)
    since = ctx.now() - ACTIVE_SECONDS
    active = {}
    for event in col(ctx, "events").find(lambda e: e.get("received", 0) >= since):
        active.setdefault(event["objectId"], event)
    out = {"status": "success", "users": len(active)}
    if isinstance(data, dict) and data.get("user_type"):
        profiles = col(ctx, "profiles")
        new = sum(1 for oid in active if (profiles.get(oid) or {}).get("created", 0) >= since)
        out["user_type"] = {"New": new, "Returning": len(active) - new}
    return out
