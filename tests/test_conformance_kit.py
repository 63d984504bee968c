"""The conformance kit catches broken connectors and says which action and what is wrong."""

from __future__ import annotations

import pytest

PREAMBLE = '''
import attrs
from tether import hookimpl
from tether._plugins import Plugins
from tether._sandbox import Sandbox
from tether.testing import ConformanceSuite
from tether_example.connector import CONNECTOR
from tether_example.actions import ACTIONS
from tether_example.sandbox import SANDBOX

def variant(actions=ACTIONS, sandbox=SANDBOX):
    copy = Sandbox("broken", credentials=sandbox.make_credentials, auth=sandbox.default_auth, seed=sandbox.seed,
                   not_found=sandbox.not_found, rate_limited=sandbox.rate_limited, server_error=sandbox.server_error)
    copy.routes = list(sandbox.routes)
    connector = attrs.evolve(CONNECTOR, key="broken", actions=lambda: tuple(actions), sandbox=lambda: copy)

    class Plugin:
        __name__ = "broken"

        @hookimpl
        def register_connectors(self, register):
            register(connector)

    return Plugins([Plugin()], load_entry_points=False), copy

def replace(key, **changes):
    return [attrs.evolve(a, **changes) if a.key == key else a for a in ACTIONS]
'''

CASES = {
    "wrong-schema": (
        '''
PLUGINS, _ = variant(replace("create-note", input_schema={"type": "object", "properties": {"title": {"type": "strnig"}}, "additionalProperties": False}))
''',
        "*action create-note: input schema: *strnig*",
    ),
    "output-mismatch": (
        '''
def get_note(inp, ctx):
    from tether._wire import Request
    response = yield Request("GET", "/notes/{id}", path_params={"id": inp["id"]})
    note = response.json()
    note["created_at"] = str(note["created_at"])   # a string where the schema says integer
    return note

PLUGINS, _ = variant(replace("get-note", run=get_note))
''',
        "*action get-note: example 0 output does not match its output schema: output.created_at: expected integer, got string*",
    ),
    "auth-skipped": (
        '''
PLUGINS, SB = variant()
SB.routes = [attrs.evolve(r, auth=None) if (r.method, r.template) == ("GET", "/v1/notes/{id}") else r for r in SB.routes]
''',
        "*action get-note: the sandbox accepted wrong credentials (GET /v1/notes/n-1): an endpoint skips the auth check*",
    ),
    "loose-input": (
        '''
loose = dict(ACTIONS[3].input_schema)
loose.pop("additionalProperties")
PLUGINS, _ = variant(replace("delete-note", input_schema=loose))
''',
        "*action delete-note: input schema must set additionalProperties: false*",
    ),
    "page-input-ignored": (
        '''
def list_notes(inp, ctx):
    from tether._wire import Request
    response = yield Request("GET", "/notes", params={"limit": inp.get("limit")})   # the cursor is dropped
    return response.json()

PLUGINS, _ = variant(replace("list-notes", run=list_notes))
''',
        "*action list-notes: all=true gave 3 items, its pages 4*",
    ),
    "page-param-unknown": (
        '''
from tether._pages import CursorPages
PLUGINS, _ = variant(replace("list-notes", pages=CursorPages(items="data", next="next_cursor", param="after", size_param="limit", max_size=50)))
''',
        "*action list-notes: pages.param 'after' is not an input property*",
    ),
    "no-retry-on-429": (
        '''
PLUGINS, SB = variant()
SB.rate_limited = lambda: __import__("tether._sandbox", fromlist=["Reply"]).Reply(429, {"error": {"message": "slow"}}, {"Retry-After": "999"})
''',
        "*did not retry after a 429*",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kit_fails_and_names_the_action_and_problem(pytester, case):
    setup, expected = CASES[case]
    pytester.makepyfile(
        test_broken=PREAMBLE + setup + '''

class TestBroken(ConformanceSuite):
    connector = "broken"

    @classmethod
    def plugins(cls):
        return PLUGINS
'''
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "--tb=line")
    assert result.ret == 1, result.stdout.str()
    result.stdout.fnmatch_lines([expected])


def test_kit_passes_the_intact_copy(pytester):
    pytester.makepyfile(
        test_intact=PREAMBLE + '''
PLUGINS, _ = variant()

class TestIntact(ConformanceSuite):
    connector = "broken"

    @classmethod
    def plugins(cls):
        return PLUGINS
'''
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=27)


def test_kit_fails_a_connector_package_that_imports_tether_internals(pytester):
    # The broken copies above are built in code (no package to read); this one is a package.
    package = pytester.mkpydir("leaky_pkg")
    (package / "actions.py").write_text("from tether._wire import Request  # internal: connectors use tether.connector\nfrom tether_example.actions import ACTIONS\n")
    pytester.makepyfile(
        test_leaky=PREAMBLE + '''
PLUGINS, SB = variant()

class Leaky:
    __name__ = "leaky"

    @hookimpl
    def register_connectors(self, register):
        register(attrs.evolve(CONNECTOR, key="broken", actions="leaky_pkg.actions:ACTIONS", sandbox=lambda: SB))

class TestLeaky(ConformanceSuite):
    connector = "broken"

    @classmethod
    def plugins(cls):
        return Plugins([Leaky()], load_entry_points=False)
'''
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "--tb=line", "-k", "test_package_imports")
    assert result.ret == 1, result.stdout.str()
    result.stdout.fnmatch_lines(["*leaky_pkg imports tether's internal modules ?'tether._wire'?; use tether.connector*"])
