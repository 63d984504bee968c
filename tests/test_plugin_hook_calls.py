"""The contributing hooks (``register_connectors``, ``register_auth_kinds``,
``register_commands``) are called through pluggy: wrappers see the call and
``tryfirst``/``trylast`` order it, while one plugin's failure stays pinned on that plugin."""

from __future__ import annotations

import click

from tether import hookimpl
from tether._models import Api, AuthSpec, Connector
from tether._plugins import Plugins
from tether._registry import Registry


def _connector(key: str, name: str) -> Connector:
    return Connector(
        key=key, name=name, description="A connector of a hook-order test.",
        apis=(Api("default", "https://api.example.invalid", AuthSpec("bearer", {"token": "token"})),),
        credentials={"type": "object", "properties": {"token": {"type": "string", "writeOnly": True}}},
        actions=lambda: (),
    )


class Plain:
    __name__ = "plain"

    @hookimpl
    def register_connectors(self, register):
        register(_connector("shared", "from plain"))


class First:
    __name__ = "first"

    @hookimpl(tryfirst=True)
    def register_connectors(self, register):
        register(_connector("shared", "from first"))


class Crashes:
    __name__ = "crashes"

    @hookimpl
    def register_connectors(self, register):
        raise RuntimeError("bad config")


class Watcher:
    """A new-style wrapper on every contributing hook."""

    __name__ = "watcher"

    def __init__(self):
        self.seen: list[str] = []

    @hookimpl(wrapper=True)
    def register_connectors(self, register):
        self.seen.append("register_connectors")
        return (yield)

    @hookimpl(wrapper=True)
    def register_auth_kinds(self, register):
        self.seen.append("register_auth_kinds")
        return (yield)

    @hookimpl(wrapper=True)
    def register_commands(self, cli):
        self.seen.append("register_commands")
        return (yield)


def test_tryfirst_orders_the_registrations():
    # Registered last, `plain` would be called first by pluggy (LIFO) and win the key;
    # `first` asks to go first, so its connector is the one kept and `plain` is refused.
    plugins = Plugins([First(), Plain()], load_entry_points=False)
    connectors = Registry(plugins).connectors()
    assert connectors["shared"].name == "from first"
    assert "already provided by plugin 'first'" in plugins.record_for("plain").error
    assert plugins.record_for("first").connectors == ["shared"]


def test_wrappers_see_every_contributing_hook(monkeypatch):
    watcher = Watcher()
    plugins = Plugins([watcher], load_entry_points=False)
    registry = Registry(plugins)
    registry.connectors()
    registry.auth_kinds()
    monkeypatch.setattr("tether._plugins._default", plugins)
    from tether._cli import TetherGroup

    TetherGroup(name="t")._load_plugin_commands()
    assert watcher.seen == ["register_connectors", "register_auth_kinds", "register_commands"]


def test_a_failing_plugin_is_pinned_and_the_others_still_contribute():
    plugins = Plugins([Plain(), Crashes()], load_entry_points=False)
    assert list(Registry(plugins).connectors()) == ["shared"]
    assert plugins.record_for("crashes").error == "register_connectors failed: RuntimeError: bad config"
    assert plugins.record_for("plain").error is None


def test_a_failing_wrapper_is_pinned_on_itself():
    class BadWrapper:
        __name__ = "bad-wrapper"

        @hookimpl(wrapper=True)
        def register_connectors(self, register):
            yield
            raise RuntimeError("wrapper bug")

    plugins = Plugins([Plain(), BadWrapper()], load_entry_points=False)
    Registry(plugins).connectors()
    assert "wrapper bug" in plugins.record_for("bad-wrapper").error
    assert plugins.record_for("plain").error is None


def test_plugin_commands_come_through_the_hook(monkeypatch):
    class Commands:
        __name__ = "commands"

        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            def hello():
                """Say hello."""
                click.echo("hi")

    plugins = Plugins([Commands()], load_entry_points=False)
    monkeypatch.setattr("tether._plugins._default", plugins)
    from tether._cli import TetherGroup

    group = TetherGroup(name="t")
    assert "hello" in group.list_commands(click.Context(group))
