"""The import checks of the connector kit: relative, lazy and package imports; cycles found."""

from __future__ import annotations

import pytest

from tether.testing.imports import import_cycles, import_graph

def test_import_graph_sees_relative_lazy_and_package_imports():
    graph = import_graph("tether_customerio")
    assert "tether_customerio.actions.track" in graph["tether_customerio.actions"]  # from . import track
    assert "tether_customerio.samples" in graph["tether_customerio.actions.track"]  # from .. import samples
    assert "tether_customerio.connector" in graph["tether_customerio"]  # imported inside the hook


def test_a_cycle_is_reported(tmp_path, monkeypatch):
    pkg = tmp_path / "cyclic_pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")  # lazy, still an edge
    (pkg / "c.py").write_text("import cyclic_pkg.a\n\ndef g():\n    pass\n")
    (pkg / "alone.py").write_text("from . import c\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic_pkg") == [["cyclic_pkg.a", "cyclic_pkg.c", "cyclic_pkg.sub.b"]]


def test_not_a_package_is_refused():
    with pytest.raises(ValueError, match="not an importable package"):
        import_cycles("json.decoder")


def test_imports_for_type_checking_only_are_not_edges(tmp_path, monkeypatch):
    pkg = tmp_path / "typed_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n")
    (pkg / "b.py").write_text("from .a import x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("typed_pkg") == []
