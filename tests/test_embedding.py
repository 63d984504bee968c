"""Embedding tether: one client shared by threads."""

from __future__ import annotations

import gc
import threading
import warnings

from tether import Client
from tether.testing import fast_retry


def test_one_client_shared_by_eight_threads(tmp_path, monkeypatch):
    import httpx
    from tether._sandbox.inprocess import InProcessCarrier

    with Client(home=tmp_path / "home", retry=fast_retry(), secrets_backend="file") as setup:
        conn = setup.sandbox_connection("example")
    made: list[object] = []
    for cls in (httpx.Client, InProcessCarrier):
        real_init = cls.__init__

        def counting_init(self, *args, _real=real_init, **kwargs):
            made.append(self)
            _real(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting_init)
    errors: list[BaseException] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        client = Client(home=tmp_path / "home", retry=fast_retry(), secrets_backend="file")
        start = threading.Barrier(8)

        def work(n: int) -> None:
            try:
                start.wait()
                for i in range(5):
                    note = client.run("create-note", connection_id=conn.id, input={"title": f"t{n}-{i}"})
                    assert client.run("get-note", connection_id=conn.id, input={"id": note["id"]})["title"] == f"t{n}-{i}"
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # One carrier for the sandbox, whichever thread got there first (and no httpx client).
        assert [type(m) for m in made] == [InProcessCarrier]
        titles = sorted(n["title"] for n in client.sandbox_runtime("example").collection("notes"))
        client.close()
        gc.collect()
    assert not errors, errors
    assert titles == sorted(["Welcome", "Shopping", "Ideas"] + [f"t{n}-{i}" for n in range(8) for i in range(5)])
    leaks = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaks, [str(w.message) for w in leaks]
