"""Connectors, their actions and auth kinds, as contributed by the loaded plugins."""

from __future__ import annotations

import difflib
from typing import Any

from ._errors import ConfigurationError, NotFoundError
from ._models import Action, Connector
from ._plugins import Plugins, load_ref


class Registry:
    def __init__(self, plugins: Plugins):
        self.plugins = plugins
        self._connectors: dict[str, Connector] | None = None
        self._owners: dict[str, str] = {}
        self._actions: dict[str, dict[str, Action]] = {}
        self._auth_kinds: dict[str, Any] | None = None
        self._sandboxes: dict[str, Any] = {}

    # -- connectors -------------------------------------------------------------------------

    def connectors(self) -> dict[str, Connector]:
        if self._connectors is None:
            found: dict[str, Connector] = {}

            def add(connector: Any, record: Any) -> None:
                if not isinstance(connector, Connector):
                    raise TypeError(f"register() takes a tether._models.Connector, not {type(connector).__name__}")
                if connector.key in found:
                    raise ValueError(f"connector key {connector.key!r} is already provided by plugin {self._owners[connector.key]!r}")
                found[connector.key] = connector
                self._owners[connector.key] = record.name if record else "?"
                if record is not None:
                    record.connectors.append(connector.key)

            self.plugins.call_collecting("register_connectors", add)
            self._connectors = dict(sorted(found.items()))
        return self._connectors

    def connector(self, key: str) -> Connector:
        connectors = self.connectors()
        if key in connectors:
            return connectors[key]
        close = difflib.get_close_matches(key, list(connectors), n=1)
        known = ", ".join(connectors) or "none"
        if close:
            raise NotFoundError(f"unknown connector {key!r}; did you mean {close[0]!r}? (installed: {known})")
        # Each connector is its own distribution, named tether-<key> by convention.
        raise NotFoundError(
            f"connector {key!r} is not installed (installed: {known}); install its distribution, "
            f"e.g. `uv add tether-{key}` or `pip install tether-{key}`, then check with `tether connectors`"
        )

    def owner(self, key: str) -> str | None:
        self.connectors()
        return self._owners.get(key)

    # -- actions ----------------------------------------------------------------------------

    def actions(self, connector_key: str) -> dict[str, Action]:
        if connector_key not in self._actions:
            connector = self.connector(connector_key)
            try:
                loaded = tuple(load_ref(connector.actions))
            except Exception as exc:
                raise ConfigurationError(
                    f"connector {connector_key!r} failed to load its actions: {type(exc).__name__}: {exc}"
                ) from exc
            table: dict[str, Action] = {}
            for action in loaded:
                if action.key in table:
                    raise ConfigurationError(f"connector {connector_key!r} defines action {action.key!r} twice")
                table[action.key] = action
            self._actions[connector_key] = table
        return self._actions[connector_key]

    def action(self, connector_key: str, action_key: str) -> Action:
        actions = self.actions(connector_key)
        if action_key in actions:
            return actions[action_key]
        close = difflib.get_close_matches(action_key, list(actions), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise NotFoundError(
            f"connector {connector_key!r} has no action {action_key!r}{hint} "
            f"(list them: tether action list --connectorId {connector_key})"
        )

    # -- auth kinds and sandboxes -----------------------------------------------------------

    def auth_kinds(self) -> dict[str, Any]:
        if self._auth_kinds is None:
            kinds: dict[str, Any] = {}

            def add(kind: Any, record: Any) -> None:
                name = getattr(kind, "name", None)
                if not name:
                    raise TypeError("an auth kind needs a name")
                if name in kinds:
                    raise ValueError(f"auth kind {name!r} is already registered")
                kinds[name] = kind

            self.plugins.call_collecting("register_auth_kinds", add)
            self._auth_kinds = kinds
        return self._auth_kinds

    def sandbox(self, connector_key: str) -> Any:
        if connector_key not in self._sandboxes:
            connector = self.connector(connector_key)
            if connector.sandbox is None:
                raise ConfigurationError(f"connector {connector_key!r} ships no sandbox")
            try:
                self._sandboxes[connector_key] = load_ref(connector.sandbox)
            except Exception as exc:
                raise ConfigurationError(
                    f"connector {connector_key!r} failed to load its sandbox: {type(exc).__name__}: {exc}"
                ) from exc
        return self._sandboxes[connector_key]
