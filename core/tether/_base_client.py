"""What :class:`~tether.Client` and :class:`~tether.AsyncClient` share, assembled from one
module per concern (in :mod:`tether._api`):

- ``plumbing``: settings, plugins, registry, store, secrets, sandboxes, engine sessions;
- ``discovery``: connectors, actions, intent search;
- ``connections``: the connection lifecycle (create, update, verify, OAuth grant, wait);
- ``execution``: running actions (``run``, ``execute``, ``paginate``) and execution hooks;
- ``proxy``: raw requests through a connection;
- ``verbs``: how a verb written once becomes a blocking and an awaited method.

Everything that touches the network is a generator of engine operations (see
:mod:`tether._http.engine`); the two clients differ only in the runner that executes them.
"""

from __future__ import annotations

from ._api.execution import Execution, Prepared, split_action_ref
from ._api.proxy import Proxy

__all__ = ["BaseClient", "Prepared", "split_action_ref"]  # the last two: for _bulk


class BaseClient(Execution, Proxy):
    """Every verb of the Python API, written once (see :mod:`tether._api.verbs`)."""
