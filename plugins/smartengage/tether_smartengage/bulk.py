"""bulk-tag-subscribers: one tag on many subscribers, reported per subscriber.

SmartEngage has no bulk endpoint (bulk actions exist only in its web UI, B1), so this sends
one ``POST /tags/add`` per subscriber, one at a time, in input order. It is the seed's "Bulk
Operation"; kept self-contained (records in, one request each, a result each) so that it can
move onto the core bulk runner (issue 16) as tag-subscriber over many records.

Fates follow the core's retry rule: 429/503 and connect failures prove nothing was applied
and are retried by the engine; an answer lost after sending, or a 5xx that proves nothing,
means the tag may have been applied, so that subscriber is "unknown" and is not sent again.
"""

from __future__ import annotations

from typing import Any

from tether.connector import (
    Action,
    AuthError,
    Request,
    TetherError,
    ValidationError,
    array,
    input_object,
    obj,
    string,
)

from .schemas import ANSWER, AVATAR_ID, SUBSCRIBER_ID, avatar

MAX_SUBSCRIBERS = 10_000


def _fate(error: TetherError) -> str:
    """'failed' when the tag was provably not applied, 'unknown' when it may have been:
    ``error.processed``, the core's one table of outcomes, says which."""
    return "failed" if error.processed is False else "unknown"


def bulk_tag_subscribers(inp: dict[str, Any], ctx: Any):
    avatar_id = avatar(inp, ctx)
    subscriber_ids = [str(s) for s in inp["subscriber_ids"]]
    if len(set(subscriber_ids)) != len(subscriber_ids):
        # uniqueItems cannot see that 1001 and "1001" are the same subscriber.
        raise ValidationError("subscriber_ids: each subscriber may appear only once", path="input.subscriber_ids")
    tag = inp["tag"]
    results: list[dict[str, Any]] = []
    for subscriber_id in subscriber_ids:
        try:
            response = yield Request("POST", "/tags/add", data={"avatar_id": avatar_id, "subscriber_id": subscriber_id, "tag": tag})
        except AuthError as error:
            # A refused key is the connection's problem, not one subscriber's: stop, and say
            # which subscribers were already done so nothing is lost.
            raise error.add_context(
                f"Stopped before {subscriber_id}; {sum(r['status'] == 'ok' for r in results)} were tagged before",
                results=results,
            ) from None
        except TetherError as error:
            results.append({"subscriber_id": subscriber_id, "status": _fate(error), "error": error.to_dict()})
            continue
        try:
            answer = response.json()
        except ValueError:
            answer = response.text
        results.append({"subscriber_id": subscriber_id, "status": "ok", "answer": answer})
    counts = {status: sum(r["status"] == status for r in results) for status in ("ok", "failed", "unknown")}
    return {"avatar_id": avatar_id, "tag": tag, **counts, "results": results}


RESULT = obj(
    {
        "subscriber_id": string("The subscriber.", min_length=None),
        "status": {"enum": ["ok", "failed", "unknown"], "description": "ok: tagged; failed: not applied (safe to send again); unknown: the answer was lost after sending, so it may have been applied."},
        "answer": ANSWER,
        "error": obj({}, "Why it failed or is unknown (type, message, status, details)."),
    },
    "One subscriber's result.",
    required=("subscriber_id", "status"),
)

BULK_TAG_SUBSCRIBERS = Action(
    key="bulk-tag-subscribers",
    name="Bulk tag subscribers",
    description=(
        "Bulk tag many subscribers: apply one tag (label) to a whole list of contact ids at once, a mass operation "
        "with a result for each: ok, failed (not applied, safe to retry) or unknown (the answer was lost, so it may "
        "have been applied; check with list-subscribers). SmartEngage has no bulk endpoint, so one request is sent "
        "per subscriber, one at a time. Unverified: the tag endpoint is known only from third-party documentation."
    ),
    entity="tag",
    input_schema=input_object(
        {
            "avatar_id": AVATAR_ID,
            "tag": string("The tag's name, e.g. #webinar (it must exist: create-tag)."),
            "subscriber_ids": array(SUBSCRIBER_ID, "The subscribers to tag, each once.", minItems=1, maxItems=MAX_SUBSCRIBERS, uniqueItems=True),
        },
        ("tag", "subscriber_ids"),
    ),
    output_schema=obj(
        {
            "avatar_id": string("The avatar.", min_length=None),
            "tag": string("The tag.", min_length=None),
            "ok": {"type": "integer", "description": "How many were tagged."},
            "failed": {"type": "integer", "description": "How many were not tagged."},
            "unknown": {"type": "integer", "description": "How many may or may not have been tagged."},
            "results": array(RESULT, "One result per subscriber, in input order."),
        },
        "Per-subscriber results and their counts.",
        required=("ok", "failed", "unknown", "results"),
    ),
    run=bulk_tag_subscribers,
    examples=({"avatar_id": "2", "tag": "#vip", "subscriber_ids": ["1001", "1002", "1003"]},),
)
