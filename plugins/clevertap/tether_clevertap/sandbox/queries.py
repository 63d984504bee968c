"""CleverTap's event queries, evaluated on the sandbox's events and profiles.

One query shape serves exports, counts, top counts, trends and campaign audiences (§A5.4, §A5.6,
§A5.15, §A5.13): ``{"event_name", "from", "to", "event_properties": [{name, operator, value}],
"common_profile_properties": {"profile_fields": [{name, operator, value}]}}`` with ``from``/``to``
as YYYYMMDD (integers, or strings in the message-report API — §A3 — both accepted). Operators
are those a third-party client enumerates ([3P] dhruvil-93 Java SDK ``Operator``). Dates are read
in UTC [INF: the platform uses the account's time zone].
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

OPERATORS = (
    "equals", "not_equals", "contains", "does_not_contain", "exists", "does_not_exist",
    "greater_than", "greater_than_equals", "less_than", "less_than_equals",
)


class QueryError(ValueError):
    """The query is not one the platform accepts (answered 400)."""


def day_of(ts: int) -> int:
    """The YYYYMMDD day (UTC) of an epoch-seconds timestamp."""
    d = _dt.datetime.fromtimestamp(ts, _dt.timezone.utc)
    return d.year * 10000 + d.month * 100 + d.day


def parse_day(value: Any, field: str) -> int:
    """A YYYYMMDD day given as an integer or a string of eight digits."""
    if isinstance(value, bool):
        raise QueryError(f"{field} must be a date as YYYYMMDD")
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or not _is_day(value):
        raise QueryError(f"{field} must be a date as YYYYMMDD")
    return value


def _is_day(n: int) -> bool:
    try:
        _dt.date(n // 10000, n // 100 % 100, n % 100)
    except ValueError:
        return False
    return 19000101 <= n <= 29991231


def as_date(day: int) -> _dt.date:
    return _dt.date(day // 10000, day // 100 % 100, day % 100)


def day_number(date: _dt.date) -> int:
    return date.year * 10000 + date.month * 100 + date.day


class EventQuery:
    """A parsed event query: which events (and so which profiles) it selects."""

    def __init__(self, body: Any):
        if not isinstance(body, Mapping):
            raise QueryError("the query must be a JSON object")
        name = body.get("event_name")
        if not isinstance(name, str) or not name:
            raise QueryError("event_name is mandatory")
        self.event_name = name
        self.since = parse_day(body.get("from"), "from")
        self.until = parse_day(body.get("to"), "to")
        if self.since > self.until:
            raise QueryError("from must not be after to")
        self.event_filters = _criteria(body.get("event_properties", []), "event_properties")
        common = body.get("common_profile_properties") or {}
        if not isinstance(common, Mapping):
            raise QueryError("common_profile_properties must be an object")
        self.profile_filters = _criteria(common.get("profile_fields", []), "profile_fields")

    def event_matches(self, event: Mapping[str, Any]) -> bool:
        return (
            event["evtName"] == self.event_name
            and self.since <= event["day"] <= self.until
            and all(_holds(event.get("evtData") or {}, c) for c in self.event_filters)
        )

    def profile_matches(self, profile: Mapping[str, Any]) -> bool:
        data = profile_fields(profile)
        return all(_holds(data, c) for c in self.profile_filters)


def profile_fields(profile: Mapping[str, Any]) -> dict[str, Any]:
    """A profile's properties as queries see them: custom ones and the standard ones."""
    data = dict(profile.get("profileData") or {})
    for key, field in (("Name", "name"), ("Email", "email"), ("Phone", "phone"), ("Identity", "identity")):
        if profile.get(field) is not None:
            data.setdefault(key, profile[field])
    return data


def _criteria(value: Any, field: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise QueryError(f"{field} must be a list")
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise QueryError(f"each of {field} needs a name")
        if item.get("operator", "equals") not in OPERATORS:
            raise QueryError(f"unknown operator {item.get('operator')!r} in {field}")
    return value


def _holds(props: Mapping[str, Any], criterion: Mapping[str, Any]) -> bool:
    op = criterion.get("operator", "equals")
    present = criterion["name"] in props
    actual = props.get(criterion["name"])
    expected = criterion.get("value")
    if op == "exists":
        return present
    if op == "does_not_exist":
        return not present
    if op in ("equals", "not_equals"):
        same = present and _same(actual, expected)
        return same if op == "equals" else not same
    if op in ("contains", "does_not_contain"):
        found = present and str(expected).lower() in str(actual).lower()
        return found if op == "contains" else not found
    try:
        a, b = float(actual), float(expected)
    except (TypeError, ValueError):
        return False
    return {"greater_than": a > b, "greater_than_equals": a >= b, "less_than": a < b, "less_than_equals": a <= b}[op]


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return any(_same(actual, e) for e in expected)
    if actual == expected:
        return True
    return str(actual).lower() == str(expected).lower()


# -- trends and top counts (§A5.15) ------------------------------------------------------------

TREND_TYPES = ("daily", "weekly", "monthly")


def trend_key(day: int, trend_type: str) -> str:
    """The bucket of ``day``: the day, its week's Monday, or its month's first day, as YYYYMMDD.

    Daily keys are YYYYMMDD ([3P] slackCTCommands parses every key with ``%Y%m%d``); weekly and
    monthly buckets named by their first day are [INF].
    """
    date = as_date(day)
    if trend_type == "weekly":
        date -= _dt.timedelta(days=date.weekday())
    elif trend_type == "monthly":
        date = date.replace(day=1)
    return str(day_number(date))


def trends(events: Iterable[Mapping[str, Any]], groups: Mapping[str, Mapping[str, Any]], unique: bool, sum_prop: str | None) -> dict[str, dict[str, float]]:
    """Per group label, ``{bucket: value}``: event count, distinct users, or the sum of a property."""
    out: dict[str, dict[str, Any]] = {label: {} for label in groups}
    seen: dict[tuple[str, str], set[str]] = {}
    for event in events:
        for label, spec in groups.items():
            key = trend_key(event["day"], spec.get("trend_type", "daily"))
            bucket = out[label]
            if sum_prop:
                value = (event.get("evtData") or {}).get(sum_prop)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    bucket[key] = bucket.get(key, 0) + value
            elif unique:
                users = seen.setdefault((label, key), set())
                if event["objectId"] not in users:
                    users.add(event["objectId"])
                    bucket[key] = bucket.get(key, 0) + 1
            else:
                bucket[key] = bucket.get(key, 0) + 1
    return out


PROPERTY_TYPES = ("event_properties", "profile_fields")


def top_counts(events: list[Mapping[str, Any]], profiles: Mapping[str, Mapping[str, Any]], groups: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per group label, the ``top_n`` most (``order: desc``, default) or least frequent values.

    Event properties count events; profile fields count the distinct profiles that did the event
    ([INF] the response shape ``{label: {value: count}}`` mirrors the trends answer).
    """
    out: dict[str, dict[str, int]] = {}
    for label, spec in groups.items():
        counts: dict[str, int] = {}
        if spec.get("property_type", "event_properties") == "profile_fields":
            for object_id in {e["objectId"] for e in events}:
                value = profile_fields(profiles.get(object_id) or {}).get(spec.get("name"))
                if value is not None:
                    counts[str(value)] = counts.get(str(value), 0) + 1
        else:
            for event in events:
                value = (event.get("evtData") or {}).get(spec.get("name"))
                if value is not None:
                    counts[str(value)] = counts.get(str(value), 0) + 1
        ascending = str(spec.get("order", "desc")).lower() == "asc"
        ranked = sorted(counts.items(), key=lambda kv: (kv[1] if ascending else -kv[1], kv[0]))
        top_n = spec.get("top_n", 10)
        out[label] = dict(ranked[: top_n if isinstance(top_n, int) and top_n > 0 else 10])
    return out
