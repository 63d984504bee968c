"""get-workflows: the platform has no workflow API; the action says so and sends nothing."""

from __future__ import annotations

import json

import pytest


def test_the_answer_explains_what_to_do_instead_and_nothing_is_sent(esp):
    from tether_esputnik.actions.activity import NoPublicApi

    before = esp.runtime.last_seq()
    with pytest.raises(NoPublicApi) as info:
        esp.run("get-workflows")
    message = str(info.value)
    assert "no public API for workflows" in message
    assert "generate-event" in message and "workflowId" in message
    assert esp.sent_since(before) == []


def test_the_cli_exits_2_with_a_structured_error(tether_cli):
    code, out, err = tether_cli("action", "run", "esputnik.get-workflows", "--sandbox", "--json")
    assert code == 2
    assert "no public API for workflows" in err
    assert out.strip() == "" or json.loads(out).get("error", {}).get("type") == "unsupported"


def test_intent_search_still_routes_workflow_questions_to_it(esp):
    ranked = esp.client.actions(connector_id="esputnik", intent="list my automation workflows")
    assert ranked[0].key == "get-workflows"
