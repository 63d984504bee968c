"""Finding plugins, and keeping one broken plugin from taking the others down.

Discovery reads the ``tether`` entry points (metadata only); a plugin module is imported
when the manager is first needed, and a connector's actions and sandbox only when a command
touches that connector. ``TETHER_PLUGINS`` (comma-separated entry-point names) allows only
those; ``TETHER_DISABLE_PLUGINS`` blocks the ones named.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterable
from importlib import import_module
from typing import Any

import pluggy

from . import hookspecs

GROUP = "tether"
BUILTIN_PLUGINS = ("tether._auth.builtin",)


class PluginRecord:
    """What ``tether plugins`` reports about one plugin."""

    def __init__(self, name: str, distribution: str | None, version: str | None, module: str, builtin: bool = False):
        self.name = name
        self.distribution = distribution
        self.version = version
        self.module = module
        self.builtin = builtin
        self.hooks: list[str] = []
        self.error: str | None = None
        self.connectors: list[str] = []

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "builtin": self.builtin,
            "hooks": sorted(self.hooks),
            "connectors": sorted(self.connectors),
            "error": self.error,
        }


def _names(env: str) -> set[str] | None:
    raw = os.environ.get(env)
    if raw is None:
        return None
    return {n.strip() for n in raw.split(",") if n.strip()}


class EntryPoint:
    """One ``tether`` entry point of an installed distribution."""

    def __init__(self, name: str, value: str, dist_dir: str):
        self.name = name
        self.value = value
        self._dist_dir = dist_dir

    def load(self) -> Any:
        return load_ref(self.value)

    def distribution(self) -> tuple[str | None, str | None]:
        """(name, version) from the distribution's metadata."""
        for filename in ("METADATA", "PKG-INFO"):
            try:
                with open(os.path.join(self._dist_dir, filename), encoding="utf-8") as fh:
                    fields: dict[str, str] = {}
                    for line in fh:
                        if not line.strip():
                            break  # the headers end at the first blank line
                        key, _, value = line.partition(":")
                        if key in ("Name", "Version"):
                            fields.setdefault(key, value.strip())
                    return fields.get("Name"), fields.get("Version")
            except OSError:
                continue
        return None, None


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def entry_points(group: str = GROUP) -> list[EntryPoint]:
    """Entry points of ``group`` across the distributions on ``sys.path``.

    This reads ``*.dist-info/entry_points.txt`` directly: importing importlib.metadata
    costs about 20 ms, a fifth of the start-up budget of ``tether --help``. As with
    importlib.metadata, the first distribution of a given name on ``sys.path`` wins.
    """
    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = _normalize(name.rsplit(".", 1)[0].split("-")[0])
            if dist in seen:
                continue
            seen.add(dist)
            dist_dir = os.path.join(entry or ".", name)
            try:
                with open(os.path.join(dist_dir, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            section = None
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line and not line.startswith(("#", ";")):
                    ep_name, _, value = line.partition("=")
                    value = value.split("[", 1)[0].strip()  # drop any [extras]
                    found.setdefault(ep_name.strip(), EntryPoint(ep_name.strip(), value, dist_dir))
    return sorted(found.values(), key=lambda ep: ep.name)


class Plugins:
    """The plugin manager plus what was learned while loading."""

    def __init__(self, extra: Iterable[Any] = (), *, load_entry_points: bool = True):
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.records: list[PluginRecord] = []
        self._calling = threading.local()  # the plugin whose contributing hook is running
        for module_name in BUILTIN_PLUGINS:
            self._register(import_module(module_name), PluginRecord(module_name.rsplit(".", 1)[-1], "tether", None, module_name, True))
        if load_entry_points:
            self._load_entry_points()
        for plugin in extra:
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            self._register(plugin, PluginRecord(name, None, None, name))

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def _load_entry_points(self) -> None:
        allow, block = _names("TETHER_PLUGINS"), _names("TETHER_DISABLE_PLUGINS") or set()
        for ep in entry_points():
            if (allow is not None and ep.name not in allow) or ep.name in block:
                continue
            dist_name, version = ep.distribution()
            record = PluginRecord(ep.name, dist_name, version, ep.value)
            try:
                plugin = ep.load()
            except Exception as exc:  # any failure is reported, never fatal to the others
                record.error = f"failed to import {ep.value}: {type(exc).__name__}: {exc}"
                self.records.append(record)
                continue
            self._register(plugin, record)

    def _register(self, plugin: Any, record: PluginRecord) -> None:
        self.records.append(record)
        try:
            self.pm.register(plugin, name=record.name)
        except Exception as exc:
            record.error = f"failed to register: {type(exc).__name__}: {exc}"
            return
        unknown = [hc.name for hc in self.pm.get_hookcallers(plugin) or [] if hc.spec is None]
        if unknown:
            # A misspelt hook would otherwise be silently never called.
            self.pm.unregister(plugin)
            import difflib

            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, _spec_names(), n=1)
                hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            record.error = "unknown hook " + ", ".join(hints)
            return
        record.hooks = sorted(hc.name for hc in self.pm.get_hookcallers(plugin) or [])
        for caller in self.pm.get_hookcallers(plugin) or []:
            if caller.name in OBSERVER_HOOKS:
                guard = _observer
            elif caller.name in CONTRIBUTING_HOOKS:
                guard = self._contributor
            else:
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not (impl.hookwrapper or impl.wrapper):
                    impl.function = guard(impl.function, record, caller.name)

    def record_for(self, plugin_name: str) -> PluginRecord | None:
        return next((r for r in self.records if r.name == plugin_name), None)

    def call_collecting(self, hook_name: str, on_item: Any = None, **kwargs: Any) -> None:
        """Call a contributing hook through pluggy (so wrappers and ``tryfirst``/``trylast``
        apply), each implementation guarded by :meth:`_contributor`: a failure is pinned on
        its plugin and the others still contribute. ``on_item(item, record)`` receives what
        each plugin passes to ``register``, with the record of the plugin that passed it."""
        if on_item is not None:
            kwargs["register"] = lambda item: on_item(item, getattr(self._calling, "record", None))
        caller = getattr(self.pm.hook, hook_name)
        try:
            caller(**kwargs)
        except Exception as exc:  # only a wrapper can raise here: the implementations are guarded
            for impl in caller.get_hookimpls():
                record = self.record_for(impl.plugin_name)
                if (impl.hookwrapper or impl.wrapper) and record is not None:
                    record.error = record.error or f"{hook_name} failed: {type(exc).__name__}: {exc}"

    def _contributor(self, function: Any, record: PluginRecord, hook: str) -> Any:
        """``function`` made to report its plugin while it runs (``register`` attributes items
        to it) and to pin any exception on that plugin instead of failing the whole call."""
        import functools

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            outer = getattr(self._calling, "record", None)
            self._calling.record = record
            try:
                return function(*args, **kwargs)
            except Exception as exc:
                record.error = f"{hook} failed: {type(exc).__name__}: {exc}"
                return None
            finally:
                self._calling.record = outer

        return call


CONTRIBUTING_HOOKS = frozenset({"register_connectors", "register_auth_kinds", "register_commands"})
"""Hooks through which plugins contribute things; one plugin's failure must not hide the others'."""

OBSERVER_HOOKS = frozenset({"action_started", "action_finished", "http_request", "http_response"})
"""Execution hooks in which a plugin's bug must not block runs (see :func:`_observer`)."""


def _observer(function: Any, record: PluginRecord, hook: str) -> Any:
    """``function`` made safe to call on every run: a :class:`~tether._errors.PolicyError`
    (a deliberate refusal) passes, except from ``action_finished``, which cannot change a
    result; any other exception is reported once (a warning naming the plugin, and in
    ``tether plugins``) and that call is skipped, as if the plugin had returned None."""
    import functools

    reported = False

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal reported
        from ._errors import PolicyError

        try:
            return function(*args, **kwargs)
        except PolicyError:
            if hook != "action_finished":
                raise
            problem = "refused after the fact (a PolicyError from action_finished changes nothing)"
        except Exception as exc:
            problem = f"failed: {type(exc).__name__}: {exc}"
        if not reported:
            import logging

            from ._redact import redact

            reported = True
            text = redact(f"plugin {record.name!r}: {hook} {problem}; skipped")
            logging.getLogger("tether.plugins").warning("%s", text)
            record.error = record.error or text
        return None

    return call


def _spec_names() -> list[str]:
    return [n for n in dir(hookspecs) if not n.startswith("_") and callable(getattr(hookspecs, n)) and n != "hookspec"]


_lock = threading.Lock()
_default: Plugins | None = None


def get_plugins() -> Plugins:
    """The process-wide plugin manager, loaded on first use."""
    global _default
    with _lock:
        if _default is None:
            _default = Plugins()
        return _default


def reset_plugins() -> None:
    """Forget the loaded plugins (tests that install or disable plugins)."""
    global _default
    with _lock:
        _default = None


def load_ref(ref: Any) -> Any:
    """Resolve a ``"module:attribute"`` reference (or call a zero-argument callable)."""
    if isinstance(ref, str):
        module_name, _, attr = ref.partition(":")
        obj: Any = import_module(module_name)
        for part in attr.split(".") if attr else ():
            obj = getattr(obj, part)
        return obj
    return ref() if callable(ref) else ref
