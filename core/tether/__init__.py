"""tether: act on customer-engagement platforms through pluggable, local connectors.

The package root stays cheap to import: plugin modules do ``from tether import hookimpl``
at start-up, so everything else (httpx included) is loaded on first use. Type checkers see
the names through the ``TYPE_CHECKING`` imports below; ``__all__`` is literal so that they
count as exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("tether")
"""Decorator marking a function as an implementation of one of tether's hooks."""

if TYPE_CHECKING:  # pragma: no cover
    from ._bulk.runner import BulkJob, RecordResult
    from ._client import AsyncClient, Client
    from ._errors import (
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
    from ._http.retry import RetryPolicy
    from ._models import Action, Api, AuthSpec, Connection, Connector, Result
    from ._wire import Response

__all__ = [
    "Action",
    "Api",
    "AsyncClient",
    "AuthError",
    "AuthSpec",
    "BulkJob",
    "Client",
    "ConfigurationError",
    "Connection",
    "Connector",
    "NetworkError",
    "NotFoundError",
    "PlatformError",
    "PlatformNotFoundError",
    "PolicyError",
    "RateLimitedError",
    "RecordResult",
    "Response",
    "Result",
    "RetryPolicy",
    "TetherError",
    "UsageError",
    "ValidationError",
    "__version__",
    "hookimpl",
]

_LAZY = {
    "Client": "_client",
    "AsyncClient": "_client",
    "BulkJob": "_bulk.runner",
    "RecordResult": "_bulk.runner",
    "RetryPolicy": "_http.retry",
    "Response": "_wire",
    "TetherError": "_errors",
    "ValidationError": "_errors",
    "AuthError": "_errors",
    "PlatformError": "_errors",
    "RateLimitedError": "_errors",
    "NotFoundError": "_errors",
    "PlatformNotFoundError": "_errors",
    "NetworkError": "_errors",
    "UsageError": "_errors",
    "ConfigurationError": "_errors",
    "PolicyError": "_errors",
    "Action": "_models",
    "Api": "_models",
    "AuthSpec": "_models",
    "Connection": "_models",
    "Connector": "_models",
    "Result": "_models",
}
"""Where each lazily loaded name of ``__all__`` lives (tests/test_public_api.py keeps the two in step)."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tether' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
