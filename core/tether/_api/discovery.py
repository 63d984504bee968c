"""Finding connectors and actions: listing (nothing hidden) and intent search (ordering)."""

from __future__ import annotations

from typing import Any

from .._errors import ConfigurationError, UsageError
from .._models import Action, Connector
from .plumbing import ClientCore


class Discovery(ClientCore):
    def connectors(self) -> list[Connector]:
        """Every installed connector."""
        return list(self.registry.connectors().values())

    def connector(self, key: str) -> Connector:
        """One installed connector by key (``engage``); :class:`~tether.NotFoundError` if none."""
        return self.registry.connector(key)

    def actions(
        self, *, connection_id: str | None = None, connector_id: str | None = None, intent: str | None = None, limit: int | None = None
    ) -> list[Action]:
        """A connector's actions; with ``intent``, ordered by relevance (nothing is hidden)."""
        if (connection_id is None) == (connector_id is None):
            raise UsageError("give exactly one of connection_id or connector_id")
        if connection_id is not None:
            connector_id = self.store.get(connection_id).connector
        assert connector_id is not None
        actions = list(self.registry.actions(connector_id).values())
        if intent:
            from .._search import rank_actions

            actions = rank_actions(actions, intent)
        return actions[:limit] if limit else actions

    def find_actions(self, intent: str, *, limit: int | None = None) -> list[tuple[str, Action]]:
        """Every installed connector's actions as ``(connector key, action)``, most relevant to ``intent`` first."""
        from .._search import rank_all_actions

        connectors = self.connectors()
        ranked = rank_all_actions(connectors, self._actions_of(connectors), intent)
        return [(c.key, a) for c, a in (ranked[:limit] if limit else ranked)]

    def _actions_of(self, connectors: list[Connector]) -> dict[str, list[Action]]:
        actions: dict[str, list[Action]] = {}
        for connector in connectors:
            try:
                actions[connector.key] = list(self.registry.actions(connector.key).values())
            except ConfigurationError:
                actions[connector.key] = []  # reported by `tether plugins`; search goes on
        return actions

    def search(self, query: str, *, element_type: str | None = None, limit: int | None = 20) -> list[dict[str, Any]]:
        """Connectors and actions matching ``query``, best first."""
        from .._search import search_elements

        if element_type not in (None, "connector", "action"):
            raise UsageError("elementType must be connector or action")
        connectors = self.connectors()
        actions = self._actions_of(connectors) if element_type != "connector" else {}
        return search_elements(query, connectors, actions, element_type=element_type, limit=limit)
