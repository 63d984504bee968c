"""Any JSON against any action's schema: valid, or a validation error naming a path.

Never another exception, and never a request sent for invalid input.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tether import hookimpl
from tether._client import Client
from tether._errors import PolicyError, ValidationError
from tether._plugins import Plugins, get_plugins
from tether._registry import Registry
from tether.testing import fast_retry
from tether._validation import validate

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _all_actions():
    registry = Registry(get_plugins())
    return [(key, action) for key in registry.connectors() for action in registry.actions(key).values()]


ACTIONS = _all_actions()


def _near_valid(action):
    """Inputs close to an example: the likeliest to slip through a loose schema."""
    examples = [dict(e) for e in action.examples] or [{}]
    props = list((action.input_schema.get("properties") or {}).keys()) or ["x"]
    return st.builds(lambda base, key, value: {**base, key: value}, st.sampled_from(examples), st.sampled_from(props), json_values)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_validate_never_raises_anything_else(data):
    _, action = data.draw(st.sampled_from(ACTIONS))
    value = data.draw(json_values | _near_valid(action))
    try:
        validate(action.input_schema, value)
    except ValidationError as exc:
        assert exc.path.startswith("input") and exc.message.startswith(exc.path)


class RefuseEveryRun:
    """A dry-run policy plugin: valid input stops at the action_started hook, unsent."""

    __name__ = "refuse-every-run"

    @hookimpl
    def action_started(self, run):
        raise PolicyError(f"dry run: {run.action} not sent")


@pytest.fixture(scope="module")
def sandbox_client(tmp_path_factory):
    client = Client(home=tmp_path_factory.mktemp("validation-home"), retry=fast_retry(), secrets_backend="file", plugins=Plugins([RefuseEveryRun()]))
    yield client
    client.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_invalid_input_is_never_sent(sandbox_client, data):
    connector, action = data.draw(st.sampled_from(ACTIONS))
    value = data.draw(json_values | _near_valid(action))
    conn = sandbox_client.sandbox_connection(connector)
    runtime = sandbox_client.sandbox_runtime(connector)
    before = runtime.last_seq()
    with pytest.raises((ValidationError, PolicyError)) as info:
        sandbox_client.run(action.key, connection_id=conn.id, input=value)
    if isinstance(info.value, ValidationError):
        assert info.value.path.startswith("input")
    assert runtime.last_seq() == before, f"{connector}.{action.key}: the input reached the platform"
