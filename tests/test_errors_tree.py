"""Issue 10 defect 7: one exception tree; every error the platform answered with is a
PlatformError carrying status and body, and `except NotFoundError` still catches both kinds."""

from __future__ import annotations

import subprocess
import sys

import pytest

import tether
from cli_runner import run_cli
from tether._errors import (
    AuthError,
    ConfigurationError,
    NetworkError,
    NotFoundError,
    PlatformError,
    PlatformNotFoundError,
    PolicyError,
    RateLimitedError,
    TetherError,
    UsageError,
    ValidationError,
)


def test_the_tree():
    for cls in (AuthError, RateLimitedError, PlatformNotFoundError):
        assert issubclass(cls, PlatformError)
    assert issubclass(PlatformNotFoundError, NotFoundError)
    assert not issubclass(NotFoundError, PlatformError)  # an unknown connector is not the platform's answer
    for cls in (UsageError, ValidationError, NotFoundError, ConfigurationError, PolicyError, PlatformError, NetworkError):
        assert issubclass(cls, TetherError)
    assert not issubclass(NetworkError, PlatformError)


@pytest.mark.parametrize("cls", [PlatformError, AuthError, RateLimitedError, PlatformNotFoundError])
def test_every_platform_error_carries_status_and_body(cls):
    error = cls("refused", status=418, body={"error": "teapot"})
    assert (error.status, error.body, error.details) == (418, {"error": "teapot"}, {"body": {"error": "teapot"}})


def test_a_platform_404_is_caught_as_a_platform_error_with_its_body(tether_client):
    conn = tether_client.sandbox_connection("example")
    with pytest.raises(PlatformError) as info:
        tether_client.run("get-note", connection_id=conn.id, input={"id": "missing"})
    error = info.value
    assert isinstance(error, NotFoundError) and type(error) is PlatformNotFoundError
    assert (error.status, error.exit_code, error.type) == (404, 1, "not_found")
    assert error.body == {"error": {"code": "not_found", "message": "No such note."}} and error.details == {"body": error.body}


def test_an_unknown_connector_or_action_is_a_local_not_found(tether_client):
    with pytest.raises(NotFoundError) as info:
        tether_client.connector("nope")
    assert not isinstance(info.value, PlatformError)
    assert (info.value.status, info.value.exit_code) == (None, 2)
    conn = tether_client.sandbox_connection("example")
    with pytest.raises(NotFoundError) as info:
        tether_client.run("no-such-action", connection_id=conn.id)
    assert info.value.exit_code == 2


def test_cli_exit_codes_of_both_not_founds(tether_home, capsys):
    ran = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", '{"id": "missing"}', "--json")
    assert ran.code == 1
    body = {"error": {"code": "not_found", "message": "No such note."}}
    assert ran.json() == {"error": {"type": "not_found", "message": "Jotter (example) answered 404: No such note.", "status": 404, "details": {"body": body}}}
    ran = run_cli(capsys, "action", "run", "nope.get-note", "--sandbox", "--json")
    assert ran.code == 2 and ran.json()["error"]["type"] == "not_found"


def _error_classes() -> list[type]:
    """Every exception class tether._errors defines: the source of truth, so an export dropped
    from either public module's ``__all__`` (or lazy table) fails the test below."""
    import inspect

    from tether import _errors

    classes = [c for _, c in inspect.getmembers(_errors, inspect.isclass) if c.__module__ == _errors.__name__]
    assert TetherError in classes and NetworkError in classes  # the walk found the tree
    return classes


@pytest.mark.parametrize("module", ["tether", "tether.connector"])
def test_every_error_is_exported_from_the_public_modules(module):
    import importlib

    public = importlib.import_module(module)
    for cls in _error_classes():
        assert cls.__name__ in public.__all__, f"{module}.__all__ lacks {cls.__name__}"
        assert getattr(public, cls.__name__) is cls


def test_importing_an_error_from_tether_loads_no_httpx():
    code = "import sys, tether; from tether import PolicyError; assert 'httpx' not in sys.modules; print(PolicyError.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "tether._errors\n"
