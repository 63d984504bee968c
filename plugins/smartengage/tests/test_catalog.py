"""What SmartEngage offers and what it does not: seed entities, absent ones, and how writes answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tether.connector import Response
from tether_smartengage.actions import ACTIONS, as_answered

PLUGIN = Path(__file__).resolve().parent.parent
ABSENT_CASES = json.loads((PLUGIN.parent.parent / "tests" / "intent_eval" / "smartengage_absent.json").read_text())
# The entities the SmartEngage agent skill lists (shared/seeds/000_3d84f20a5a27e1a6.txt).
SEED_ENTITIES = ("Contact", "Custom Field", "Sequence", "Tag", "Task", "Bulk Operation", "Email Account", "Webhook", "User")
NO_PUBLIC_API = ("Task", "Email Account", "Webhook", "User")


def claims(action, entity: str) -> bool:
    """Whether an action's key or name says it handles ``entity``."""
    words = entity.lower().split()
    return all(w in action.key.split("-") for w in words) or all(w in action.name.lower().split() for w in words)


def seed_section() -> str:
    readme = (PLUGIN / "README.md").read_text()
    match = re.search(r"^## Seed entities\n(.*?)(?=^## )", readme, re.S | re.M)
    assert match, "README.md has no '## Seed entities' section"
    return match.group(1)


def test_the_readme_names_every_seed_entity_and_says_which_have_no_api():
    section = seed_section()
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| ([A-Z][A-Za-z ]+?) \| (.*) \|$", section, re.M)}
    missing = [e for e in SEED_ENTITIES if e not in rows]
    assert not missing, f"seed entities missing from the README section: {missing}"
    for entity in NO_PUBLIC_API:
        assert "No public API" in rows[entity], entity
    for entity in set(SEED_ENTITIES) - set(NO_PUBLIC_API):
        assert "`" in rows[entity] and "No public API" not in rows[entity], entity  # names the actions that serve it


def test_no_action_claims_an_entity_without_a_public_api():
    assert {case["absent"] for case in ABSENT_CASES} == {e.lower() for e in NO_PUBLIC_API}
    for case in ABSENT_CASES:
        claiming = [a.key for a in ACTIONS if claims(a, case["absent"])]
        assert not claiming, f"{case['query']!r}: {claiming} claim {case['absent']!r}"


def test_intent_search_for_an_absent_entity_shows_what_exists(tether_cli):
    code, out, err = tether_cli("action", "list", "--connectorId", "smartengage", "--intent", "create a task", "--json")
    assert code == 0, err
    listed = [item["key"] for item in json.loads(out)["items"]]
    assert sorted(listed) == sorted(a.key for a in ACTIONS)  # nothing hidden, nothing invented
    assert not any("task" in key.split("-") for key in listed)


def test_a_write_returns_what_came_back():
    assert as_answered(Response(200, {"Content-Type": "application/json"}, b'{"status":"1"}'), {}) == {"status": "1"}
    assert as_answered(Response(200, {"Content-Type": "text/html"}, b"Subscriber added"), {}) == "Subscriber added"
    assert as_answered(Response(204, {}, b""), {}) == ""
    writes = [a for a in ACTIONS if not a.read_only]
    assert writes and all("Unverified" in a.description for a in writes)
