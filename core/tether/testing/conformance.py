"""The conformance suite: one bar for every connector, ours and third parties'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .._errors import AuthError, ValidationError
from .._http.retry import RetryPolicy
from .._models import KEY_RE, Action, Connector
from .._plugins import Plugins, get_plugins
from .._registry import Registry
from .._validation import check_schema, errors


def fast_retry() -> RetryPolicy:
    """Retries without the real waits (Retry-After is still honoured, capped low)."""
    return RetryPolicy(max_retries=3, backoff=0.01, max_backoff=0.05, max_retry_after=2.0, poll_scale=0.02)


def _invalid_variants(action: Action) -> list[tuple[str, Any]]:
    """Inputs the action's schema must refuse: an unknown property, and a wrong type."""
    base = dict(action.examples[0]) if action.examples else {}
    variants: list[tuple[str, Any]] = [("an unknown property", {**base, "__not_a_parameter__": 1}), ("a non-object input", ["not", "an", "object"])]
    props = action.input_schema.get("properties") or {}
    for name in list(action.input_schema.get("required") or []) + list(props):
        spec = props.get(name) or {}
        kind = spec.get("type")
        wrong = {"string": 12345, "integer": "not-a-number", "number": "not-a-number", "boolean": "maybe", "array": {"not": "a list"}, "object": "not an object"}
        if isinstance(kind, str) and kind in wrong:
            variants.append((f"{name} of the wrong type", {**base, name: wrong[kind]}))
            break
    return variants


def _schema_at(schema: Any, path: str) -> Any:
    """The sub-schema at a dotted output path (through ``properties``), or None."""
    node = schema
    for part in path.split(".") if path else ():
        if not isinstance(node, dict):
            return None
        node = (node.get("properties") or {}).get(part)
    return node


def _page_problems(action: Action) -> list[str]:
    """A paginated action's page style must name its own inputs and an array in its output."""
    pages = action.pages
    props = action.input_schema.get("properties") or {}
    problems = []
    if "all" not in props:
        problems.append("paginated actions take an 'all' boolean")
    for label, name in (("param", getattr(pages, "param", None)), ("size_param", getattr(pages, "size_param", None))):
        if name is not None and name not in props:
            problems.append(f"pages.{label} {name!r} is not an input property (pages advance the action's input)")
    items = _schema_at(action.output_schema, pages.items)  # type: ignore[union-attr]
    if not isinstance(items, dict) or items.get("type") != "array":
        problems.append(f"pages.items {pages.items!r} is not an array in the output schema (items are read from the output)")  # type: ignore[union-attr]
    return problems


def _small_page(action: Action, example: dict[str, Any]) -> dict[str, Any]:
    """The example with a small page size, so that following pages really happens."""
    pages = action.pages
    first = {k: v for k, v in example.items() if k != "all" and k not in getattr(pages, "drop", ())}
    size = getattr(pages, "size_param", None)
    if size:
        spec = (action.input_schema.get("properties") or {}).get(size) or {}
        first[size] = max(2, int(spec.get("minimum", 1)))
    return first


class ConformanceSuite:
    """Subclass with ``connector = "<key>"`` (and a name starting with ``Test``)."""

    connector: str = ""

    @classmethod
    def plugins(cls) -> Plugins:
        """The plugins under test (default: everything installed)."""
        return get_plugins()

    @classmethod
    def catalog(cls) -> tuple[Connector, dict[str, Action]]:
        registry = Registry(cls.plugins())
        return registry.connector(cls.connector), registry.actions(cls.connector)

    # -- fixtures ---------------------------------------------------------------------------

    @pytest.fixture
    def kit(self, tmp_path: Path) -> Any:
        from .._client import Client

        client = Client(home=tmp_path / "home", plugins=self.plugins(), retry=fast_retry(), secrets_backend="file")
        yield client
        client.close()

    def _action(self, action_key: str) -> Action:
        return self.catalog()[1][action_key]

    # -- static checks ----------------------------------------------------------------------

    def test_connector_metadata(self) -> None:
        connector, actions = self.catalog()
        problems = []
        if not connector.description.strip():
            problems.append("the connector has no description")
        if connector.sandbox is None:
            problems.append("the connector ships no sandbox")
        if not actions:
            problems.append("the connector has no actions")
        problems += [f"credentials schema: {p}" for p in check_schema(connector.credentials)]
        for api in connector.apis:
            if api.verify is not None and api.verify[0] not in actions:
                problems.append(f"API {api.key}: verify names unknown action {api.verify[0]!r}")
        assert not problems, f"connector {connector.key}: " + "; ".join(problems)

    def test_package_imports(self) -> None:
        """The connector's package imports only tether's public modules, and none of its own in a circle."""
        from .imports import PUBLIC, import_cycles, imports

        connector, _ = self.catalog()
        if not isinstance(connector.actions, str):
            return  # a connector built in code (tests) has no package to read
        package = connector.actions.partition(":")[0].split(".")[0]
        internal = sorted({t for targets in imports(package).values() for t in targets if t.split(".")[0] == "tether" and t not in PUBLIC})
        assert not internal, f"connector {connector.key}: {package} imports tether's internal modules {internal}; use tether.connector"
        cycles = import_cycles(package)
        assert not cycles, f"connector {connector.key}: modules importing each other in a circle: " + "; ".join(" <-> ".join(c) for c in cycles)

    def test_schemas(self, action_key: str) -> None:
        action = self._action(action_key)
        problems = [f"input schema: {p}" for p in check_schema(action.input_schema)]
        problems += [f"output schema: {p}" for p in check_schema(action.output_schema)]
        if action.input_schema.get("type") != "object":
            problems.append("input schema must be an object")
        if action.input_schema.get("additionalProperties") is not False:
            problems.append("input schema must set additionalProperties: false (so typos are refused)")
        for name, spec in (action.input_schema.get("properties") or {}).items():
            if not str(spec.get("description", "")).strip():
                problems.append(f"input property {name!r} has no description")
        if action.pages is not None:
            problems += _page_problems(action)
        assert not problems, f"action {action_key}: " + "; ".join(problems)

    def test_metadata(self, action_key: str) -> None:
        action = self._action(action_key)
        problems = []
        if not KEY_RE.match(action.key):
            problems.append("key is not kebab-case")
        if not action.name.strip():
            problems.append("no name")
        if len(action.description.strip()) < 20:
            problems.append("description missing or too short to tell an agent when to use it")
        if not action.entity.strip():
            problems.append("no entity")
        if not action.examples:
            problems.append("no example input")
        for index, example in enumerate(action.examples):
            found = errors(action.input_schema, example, root=f"examples[{index}]")
            problems += found
        if action.read_only and action.destructive:
            problems.append("cannot be both read-only and destructive")
        assert not problems, f"action {action_key}: " + "; ".join(problems)

    # -- against the sandbox ----------------------------------------------------------------

    def test_examples_run(self, action_key: str, kit: Any) -> None:
        action = self._action(action_key)
        assert action.examples, f"action {action_key}: no example input to run"
        conn = kit.sandbox_connection(self.connector)
        runtime = kit.sandbox_runtime(self.connector)
        for index, example in enumerate(action.examples):
            runtime.reset()
            try:
                output = kit.run(action.key, connection_id=conn.id, input=example)
            except Exception as exc:
                pytest.fail(f"action {action_key}: example {index} failed on the sandbox: {type(exc).__name__}: {exc}")
            problems = errors(action.output_schema, output)
            assert not problems, f"action {action_key}: example {index} output does not match its output schema: " + "; ".join(problems[:5])

    def test_streamed_items_equal_the_pages(self, action_key: str, kit: Any) -> None:
        """``all: true`` yields exactly the items of the single pages, one after another."""
        action = self._action(action_key)
        if action.pages is None or not action.examples:
            return
        conn = kit.sandbox_connection(self.connector)
        kit.sandbox_runtime(self.connector).reset()
        first = _small_page(action, dict(action.examples[0]))
        paged: list[Any] = []
        page_input: dict[str, Any] | None = first
        for _ in range(200):
            if page_input is None:
                break
            output = kit.run(action.key, connection_id=conn.id, input=page_input)
            paged.extend(action.pages.page_items(output))
            page_input = action.pages.next_input(page_input, output)
        else:
            pytest.fail(f"action {action_key}: following its pages did not end after 200 pages")
        # Streamed with the engine's own page size: a run that ignores its page input shows.
        size = getattr(action.pages, "size_param", None)
        streamed = kit.run(action.key, connection_id=conn.id, input={**{k: v for k, v in first.items() if k != size}, "all": True})
        items = list(action.pages.page_items(streamed))
        assert items == paged, (
            f"action {action_key}: all=true gave {len(items)} items, its pages {len(paged)}; streamed items must be "
            "the pages' items in order (does run() pass the page input on to the request?)"
        )

    def test_invalid_input_refused(self, action_key: str, kit: Any) -> None:
        action = self._action(action_key)
        conn = kit.sandbox_connection(self.connector)
        runtime = kit.sandbox_runtime(self.connector)
        for label, bad in _invalid_variants(action):
            before = runtime.last_seq()
            with pytest.raises(ValidationError) as info:
                kit.run(action.key, connection_id=conn.id, input=bad)
            assert info.value.path.startswith("input"), f"action {action_key}: the error for {label} names no input path"
            sent = runtime.journal(after=before)
            assert not sent, f"action {action_key}: {label} was sent to the platform ({sent[0]['method']} {sent[0]['path']})"

    def test_wrong_credentials_refused(self, action_key: str, kit: Any) -> None:
        action = self._action(action_key)
        conn = kit.sandbox_connection(self.connector)
        runtime = kit.sandbox_runtime(self.connector)
        good = kit.secrets.get(conn.secret_ref)
        kit.secrets.put(conn.secret_ref, {k: f"wrong-{v}" for k, v in good.items()})
        try:
            runtime.reset()
            before = runtime.last_seq()
            example = action.examples[0] if action.examples else {}
            try:
                kit.run(action.key, connection_id=conn.id, input=example)
            except AuthError:
                pass
            except Exception as exc:
                sent = runtime.journal(after=before)
                where = f" ({sent[-1]['method']} {sent[-1]['path']} → {sent[-1]['status']})" if sent else ""
                pytest.fail(f"action {action_key}: wrong credentials gave {type(exc).__name__}{where}, not an auth error: {exc}")
            else:
                sent = runtime.journal(after=before)
                where = ", ".join(f"{e['method']} {e['path']}" for e in sent) or "no request"
                pytest.fail(f"action {action_key}: the sandbox accepted wrong credentials ({where}): an endpoint skips the auth check")
            processed = [e for e in runtime.journal(after=before) if e["processed"]]
            assert not processed, f"action {action_key}: {processed[0]['method']} {processed[0]['path']} was processed with wrong credentials"
        finally:
            kit.secrets.put(conn.secret_ref, good)

    def test_rate_limit_retried(self, tmp_path: Path) -> None:
        from .._client import Client

        connector, actions = self.catalog()
        candidates = [a for a in actions.values() if a.read_only and a.examples] or [a for a in actions.values() if a.examples]
        assert candidates, f"connector {self.connector}: no action with an example to test rate limiting"
        action = candidates[0]
        with Client(home=tmp_path / "rl", plugins=self.plugins(), retry=fast_retry(), secrets_backend="file", sandbox_faults="429=1x") as client:
            runtime = client.sandbox_runtime(self.connector)
            runtime.faults.counts.clear()
            conn = client.sandbox_connection(self.connector)
            runtime.faults.counts["429"] = 1
            before = runtime.last_seq()
            try:
                client.run(action.key, connection_id=conn.id, input=action.examples[0])
            except Exception as exc:
                pytest.fail(f"connector {self.connector}: {action.key} did not retry after a 429: {type(exc).__name__}: {exc}")
            entries = runtime.journal(after=before)
        assert entries and entries[0]["status"] == 429 and not entries[0]["processed"], (
            f"connector {self.connector}: the sandbox did not answer with its rate-limit reply when asked to"
        )
        assert any(e["processed"] for e in entries[1:]), f"connector {self.connector}: {action.key} did not retry after a 429"
