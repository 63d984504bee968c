"""The plugin contract: every hook a tether plugin can implement, in one place.

A plugin is a module (or object) with functions decorated ``@tether.hookimpl`` whose names
match the specs below; it is found through the ``tether`` entry-point group. Hooks are
called with keyword arguments, so an implementation may accept only the ones it needs.

A plugin with nothing to do for now (an audit log without its file configured) defines
``tether_idle()`` returning true: the execution hooks are then not called for it, and cost
nothing when every plugin implementing them is idle (see :mod:`tether._observers`).

Keep plugin modules cheap to import: do heavy imports inside the hook bodies. ``tether
--help`` imports every plugin module to ask for CLI commands.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("tether")


# -- discovery -------------------------------------------------------------------------------


@hookspec
def register_connectors(register):
    """Contribute connectors.

    Call ``register(connector)`` with a :class:`tether._models.Connector` for each platform
    this plugin supports. Declare actions and the sandbox as ``"module:attribute"`` strings
    so that they are imported only when a command needs them.
    """


# -- auth ------------------------------------------------------------------------------------


@hookspec
def register_auth_kinds(register):
    """Contribute auth kinds.

    Call ``register(kind)`` with an instance of :class:`tether.connector.AuthKind`. Its ``name`` is
    what an :class:`tether._models.AuthSpec` refers to. tether's own kinds (``basic``,
    ``bearer``, ``header``, ``oauth2``) are registered through this same hook.
    """


# -- execution -------------------------------------------------------------------------------


@hookspec
def action_started(run):
    """An action is about to run; its input has been validated and nothing has been sent.

    ``run`` is a :class:`tether._models.RunInfo` (connector, connection id, action key,
    input, sandbox flag, and a ``data`` dict private to plugins). Raise
    :class:`tether._errors.PolicyError` to refuse the run (a dry-run or allow-list policy).
    Any other exception is a bug in the plugin: it is reported once and the run goes on.
    """


@hookspec
def action_finished(run, output, error):
    """An action has finished: ``output`` on success, otherwise ``error`` (a TetherError).

    For audit logs and metrics. Exceptions raised here (a PolicyError too) are reported once
    and never change the result.
    """


@hookspec(firstresult=True)
def http_request(run, exchange):
    """An HTTP request is about to be sent (auth already added, shown masked in ``exchange``).

    ``exchange`` is a :class:`tether._http.engine.HttpExchange`; ``run`` is the RunInfo of
    the action (or of the ``request`` command). Return a :class:`tether._wire.Response` to
    answer it without sending anything (dry run, recording), raise
    :class:`tether._errors.PolicyError` to refuse it, or return None to let it go. Any other
    exception is reported once and the request goes on as if the plugin had returned None.
    """


@hookspec
def http_response(run, exchange, status, elapsed):
    """An HTTP exchange finished: ``status`` is the response status, or None if it failed in
    transport; ``elapsed`` is in seconds. Called once per attempt, retries included. An
    exception raised here is reported once and changes nothing."""


# -- command line ----------------------------------------------------------------------------


@hookspec
def register_commands(cli):
    """Add commands to the ``tether`` command line. ``cli`` is the root :class:`click.Group`."""
