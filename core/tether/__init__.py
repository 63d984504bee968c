"""tether: act on customer-engagement platforms through pluggable, local connectors.

The package root stays cheap to import: plugin modules do ``from tether import hookimpl``
at start-up, so everything else is loaded on first use.
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
    from ._models import Action, Api, AuthSpec, Connection, Connector, Result

_LAZY = {
    "Client": "_client",
    "AsyncClient": "_client",
    "BulkJob": "_bulk.runner",
    "RecordResult": "_bulk.runner",
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

__all__ = ["hookimpl", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tether' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
