"""Customer.io imports nothing of tether but the public kit, and no module circles (issue 11)."""

from __future__ import annotations

from tether.testing.imports import import_cycles, imports


def test_customerio_imports_only_the_public_kit_of_tether():
    used = {t for targets in imports("tether_customerio").values() for t in targets if t.split(".")[0] == "tether"}
    assert used == {"tether.connector"}, used


def test_customerio_has_no_import_cycles():
    cycles = import_cycles("tether_customerio")
    assert not cycles, "modules importing each other in a circle: " + "; ".join(" ↔ ".join(c) for c in cycles)
