"""Bulk jobs in process: per-record results, bad lines, resume without re-sending, unknown fates,
batching with per-record mapping (the Ledger test connector), and the CLI's shapes."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from bulk_connector import connector as ledger
from connector_plugins import plugins_with

from tether import Client
from tether._bulk import journal as jr
from tether import NotFoundError
from tether.testing import fast_retry


def make_client(home, conn_factory=ledger, faults=None, strict=False, **kwargs):
    return Client(
        home=home, plugins=plugins_with(conn_factory(**kwargs)), retry=fast_retry(), secrets_backend="file", sandbox_faults=faults, strict=strict
    )


@pytest.fixture
def ledger_client(tmp_path):
    client = make_client(tmp_path / "home", max_records=10)
    conn = client.sandbox_connection("ledger")
    yield client, conn
    client.close()


def entries(client):
    return client.sandbox_runtime("ledger").collection("entries")


def requests_to(client, path):
    return [e for e in client.sandbox_runtime("ledger").journal() if e["path"] == path]


def test_each_record_once_with_line_numbers_and_bad_lines_fail_alone(ledger_client):
    client, conn = ledger_client
    lines = [json.dumps({"key": f"k{i}", "amount": i}) for i in range(1, 8)]
    lines[2] = "{not json"
    lines[4] = json.dumps({"key": "k5"})  # misses amount: fails the input schema
    job = client.bulk("add-entry", connection_id=conn.id, records=lines, concurrency=3, batch=False)
    results = {r.line: r for r in job}
    assert sorted(results) == [1, 2, 3, 4, 5, 6, 7]
    assert results[3].status == "failed" and "not JSON" in results[3].error["message"]
    assert results[5].status == "failed" and results[5].error["type"] == "validation_error"
    assert {r.output["key"] for r in results.values() if r.ok} == {"k1", "k2", "k4", "k6", "k7"}
    assert sorted(e["key"] for e in entries(client)) == ["k1", "k2", "k4", "k6", "k7"]
    assert job.summary() == {"job": job.job_id, "state": "done", "total": 7, "succeeded": 5, "failed": 2, "unknown": 0}


def test_resume_after_stopping_early_sends_each_record_exactly_once(ledger_client):
    client, conn = ledger_client
    records = [{"key": f"k{i}", "amount": i} for i in range(40)]
    job = client.bulk("add-entry", connection_id=conn.id, records=iter(records), concurrency=4, batch=False, job_id="import-1")
    seen = []
    for result in job:
        seen.append(result.line)
        if len(seen) == 11:
            break  # the caller walks away mid-job
    job.close()
    first = len(entries(client))
    assert 11 <= first < 40
    assert jr.summary(jr.Journal(jr.job_path(client.home, "import-1")))["state"] == "interrupted"
    again = client.bulk("add-entry", connection_id=conn.id, records=iter(records), job_id="import-1")
    rest = [r.line for r in again]
    assert len(rest) == 40 - first  # only what had not been sent
    assert Counter(e["key"] for e in entries(client)) == Counter(r["key"] for r in records)
    assert again.summary()["succeeded"] == 40


def test_resume_names_the_action_in_any_accepted_spelling(ledger_client):
    client, conn = ledger_client
    records = [{"key": "k0", "amount": 1}]
    client.bulk("add-entry", connection_id=conn.id, records=records, job_id="spelt").close()
    again = client.bulk("LEDGER_ADD_ENTRY", connection_id=conn.id, records=records, job_id="spelt")  # the action's slug
    assert [r.status for r in again] == ["ok"]
    from tether._errors import UsageError

    with pytest.raises(UsageError, match="runs add-entry, not set-entry"):
        client.bulk("set-entry", connection_id=conn.id, records=records, job_id="spelt")


def test_resume_keeps_the_jobs_concurrency_unless_given_another(ledger_client):
    client, conn = ledger_client
    records = [{"key": "k0", "amount": 1}]
    client.bulk("add-entry", connection_id=conn.id, records=records, concurrency=3, job_id="paced").close()
    kept = client.bulk("add-entry", connection_id=conn.id, records=records, job_id="paced")
    assert kept.concurrency == 3
    kept.close()
    changed = client.bulk("add-entry", connection_id=conn.id, records=records, concurrency=7, job_id="paced")
    assert changed.concurrency == 7
    changed.close()
    assert client.bulk("add-entry", connection_id=conn.id, records=records, job_id="paced").concurrency == 7


def test_resume_refuses_a_different_input(ledger_client):
    client, conn = ledger_client
    records = [{"key": f"k{i}", "amount": i} for i in range(5)]
    job = client.bulk("set-entry", connection_id=conn.id, records=records, job_id="j")
    journal = jr.Journal(jr.job_path(client.home, "j"))
    journal.start([(1, "0" * 16, jr.PENDING, None)], 2)  # as if line 1 had been journaled from other input
    journal.close()
    from tether._errors import UsageError

    with pytest.raises(UsageError, match="line 1 differs"):
        list(job)
    assert requests_to(client, "/v1/entries/k0") == []


def test_in_flight_at_a_crash_is_unknown_and_not_resent_unless_idempotent(ledger_client):
    client, conn = ledger_client
    for action, resent in (("add-entry", False), ("set-entry", True)):
        records = [{"key": f"{action}-{i}", "amount": i} for i in range(3)]
        job_id = f"crash-{action}"
        client.bulk(action, connection_id=conn.id, records=records, batch=False, job_id=job_id).close()
        # What a kill -9 right after "journal before send" leaves: line 2 in flight.
        journal = jr.Journal(jr.job_path(client.home, job_id))
        journal.start([(1, _hash(records[0]), jr.OK, None), (2, _hash(records[1]), jr.INFLIGHT, None)], 3)
        journal.close()
        results = {r.line: r.status for r in client.bulk(action, connection_id=conn.id, records=records, job_id=job_id)}
        if resent:
            assert results == {2: "ok", 3: "ok"}
        else:
            assert results == {3: "ok"}
            statuses = {r["line"]: r["status"] for r in jr.Journal(jr.job_path(client.home, job_id)).records()}
            assert statuses == {1: "ok", 2: "unknown", 3: "ok"}
    assert [e["key"] for e in entries(client)] == ["add-entry-2"]  # line 1 was "ok" from before, line 2 never re-sent


def test_answer_lost_on_a_create_is_unknown_reported_and_never_resent(tmp_path):
    client = make_client(tmp_path / "h", faults="drop-after=3x")
    conn = client.sandbox_connection("ledger")
    records = [{"key": f"k{i}", "amount": i} for i in range(6)]
    results = list(client.bulk("add-entry", connection_id=conn.id, records=records, batch=False, concurrency=1, job_id="lost"))
    unknown = [r for r in results if r.status == "unknown"]
    assert len(unknown) == 3 and all(r.error["details"]["processed"] is None for r in unknown)
    # The sandbox did apply them (drop-after = processed, answer lost): each key exactly once.
    assert Counter(e["key"] for e in entries(client)) == Counter(r["key"] for r in records)
    again = list(client.bulk("add-entry", connection_id=conn.id, records=records, job_id="lost"))
    assert again == []
    assert len(entries(client)) == 6
    client.close()


def test_batches_group_records_and_map_partial_results_back(tmp_path):
    client = make_client(tmp_path / "h", max_records=4)
    conn = client.sandbox_connection("ledger")
    records = [{"key": f"k{i}", "amount": -1 if i in (2, 7) else i} for i in range(10)]
    results = {r.line: r for r in client.bulk("add-entry", connection_id=conn.id, records=records, concurrency=2)}
    assert len(requests_to(client, "/v1/entries/batch")) == 3  # 4 + 4 + 2
    assert requests_to(client, "/v1/entries") == []
    assert {line for line, r in results.items() if not r.ok} == {3, 8}
    assert results[3].error == {"type": "platform_error", "message": "amount must not be negative", "status": 400}
    assert results[1].output["key"] == "k0" and results[10].output["key"] == "k9"
    client.close()


def test_max_bytes_closes_a_batch_early_and_no_batch_sends_one_request_each(tmp_path):
    client = make_client(tmp_path / "h", max_records=100, max_bytes=200)
    conn = client.sandbox_connection("ledger")
    records = [{"key": f"key-{i:04d}", "amount": i} for i in range(20)]
    list(client.bulk("add-entry", connection_id=conn.id, records=records))
    batches = requests_to(client, "/v1/entries/batch")
    assert len(batches) > 1 and all(b["bytes"] <= 200 for b in batches)
    list(client.bulk("add-entry", connection_id=conn.id, records=records, batch=False))
    assert len(requests_to(client, "/v1/entries")) == 20
    assert len(entries(client)) == 40
    client.close()


def test_a_carrier_failure_applies_to_every_record_of_its_batch(tmp_path):
    client = make_client(tmp_path / "h", max_records=3, faults="drop-after=1x")
    conn = client.sandbox_connection("ledger")
    records = [{"key": f"k{i}", "amount": i} for i in range(6)]
    results = {r.line: r.status for r in client.bulk("add-entry", connection_id=conn.id, records=records, concurrency=1)}
    assert results == {1: "unknown", 2: "unknown", 3: "unknown", 4: "ok", 5: "ok", 6: "ok"}
    client.close()


def test_refused_credentials_stop_the_job_and_resume_sends_the_rest(ledger_client):
    client, conn = ledger_client
    records = [{"key": f"k{i}", "amount": i} for i in range(5)]
    good = client.secrets.get(conn.secret_ref)
    client.secrets.put(conn.secret_ref, {"api_key": "lk_refused0123456789"})  # a short value would be masked everywhere in this process
    job = client.bulk("add-entry", connection_id=conn.id, records=records, batch=False, concurrency=1, job_id="auth")
    from tether import AuthError

    with pytest.raises(AuthError):
        list(job)
    assert job.summary()["state"] == "failed" and entries(client) == []
    client.secrets.put(conn.secret_ref, good)
    assert len(list(client.bulk("add-entry", connection_id=conn.id, records=records, job_id="auth"))) == 5
    assert len(entries(client)) == 5


def test_unknown_action_or_connection_raises_before_a_job_exists(ledger_client):
    client, conn = ledger_client
    with pytest.raises(NotFoundError):
        client.bulk("no-such-action", connection_id=conn.id, records=[{}])
    with pytest.raises(NotFoundError):
        client.bulk("add-entry", connection_id="nope", records=[{}])
    assert list(jr.jobs_dir(client.home).glob("*.db")) == []


def _hash(record):
    from tether._bulk.runner import record_hash

    return record_hash(record)


# -- the CLI, in a subprocess, on the example connector ----------------------------------------


def test_cli_run_results_status_and_exit_codes(tether_cli, tmp_path):
    good = tmp_path / "notes.jsonl"
    good.write_text("".join(json.dumps({"title": f"t{i}"}) + "\n" for i in range(5)))
    code, out, err = tether_cli("bulk", "run", "example.create-note", "--sandbox", "--input", str(good), "--json")
    assert code == 0, err
    document = json.loads(out)
    assert {k: document[k] for k in ("state", "total", "succeeded", "failed", "unknown")} == {"state": "done", "total": 5, "succeeded": 5, "failed": 0, "unknown": 0}
    assert "5/5" in err  # progress on stderr, not on stdout

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"title": "ok"}) + "\nnot json\n\n" + json.dumps({"titel": "typo"}) + "\n")
    code, out, err = tether_cli("bulk", "run", "example.create-note", "--sandbox", "--input", str(bad), "--json")
    assert code == 1
    job = json.loads(out)["job"]
    assert json.loads(out)["failed"] == 2
    code, out, _ = tether_cli("bulk", "results", job, "--status", "failed")
    failed = [json.loads(line) for line in out.splitlines()]
    assert [(f["line"], f["status"]) for f in failed] == [(2, "failed"), (4, "failed")]
    code, out, _ = tether_cli("bulk", "list", "--json")
    assert len(json.loads(out)["items"]) == 2
    code, out, _ = tether_cli("bulk", "status", job, "--json")
    assert json.loads(out)["state"] == "done"


def test_cli_run_takes_an_action_slug_with_sandbox_as_action_run_does(tether_cli, tmp_path):
    records = tmp_path / "notes.jsonl"
    records.write_text(json.dumps({"title": "slug"}) + "\n")
    code, out, err = tether_cli("bulk", "run", "EXAMPLE_CREATE_NOTE", "--sandbox", "--input", str(records), "--json")
    assert code == 0, err
    assert json.loads(out)["succeeded"] == 1


def test_cli_unknown_action_or_connection_is_exit_2_and_nothing_is_sent(tether_cli, tmp_path, tether_home):
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"title": "x"}) + "\n")
    code, _, err = tether_cli("bulk", "run", "example.no-such", "--sandbox", "--input", str(records))
    assert code == 2 and "no-such" in err
    code, _, err = tether_cli("bulk", "run", "create-note", "--connectionId", "nope", "--input", str(records))
    assert code == 2
    code, _, _ = tether_cli("bulk", "status", "bulk-00000000")
    assert code == 2
    assert list(tether_home.glob("bulk/*.db")) == []


def test_cli_unreadable_input_is_exit_2_before_anything_is_made(tether_cli, tmp_path):
    code, _, err = tether_cli("bulk", "run", "example.create-note", "--sandbox", "--input", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "--input: cannot read" in err and "missing.jsonl" in err
    code, out, _ = tether_cli("connection", "list", "--json")
    assert json.loads(out)["items"] == []  # not even the sandbox connection


def test_progress_draws_a_bar_on_a_terminal_and_plain_lines_in_a_pipe():
    import io

    from tether._bulk.progress import Progress
    from tether._bulk.runner import RecordResult

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(stream, total=4)
        for status in ("ok", "failed", "ok"):
            progress.update(RecordResult(1, status))
        progress.close()
    bar = terminal.getvalue().split("\r\x1b[K")[-1]
    assert bar.startswith("[" + "#" * 18 + "." * 6 + "] 3/4 (75%)") and "failed 1 unknown 0" in bar and "ETA" in bar
    assert "\r" not in pipe.getvalue() and pipe.getvalue().splitlines()[-1].startswith("bulk: 3/4 (75%)")


def test_journal_files_are_private(ledger_client):
    client, conn = ledger_client
    list(client.bulk("add-entry", connection_id=conn.id, records=[{"key": "k", "amount": 1}], job_id="private"))
    assert jr.job_path(client.home, "private").stat().st_mode & 0o077 == 0


def test_a_connectors_declared_batch_carries_records_esputnik_contacts(tether_client):
    """ESputnik declares add-update-contact → add-update-contacts (3,000 a request, an import polled to the end)."""
    conn = tether_client.sandbox_connection("esputnik")
    records = [{"firstName": f"P{i}", "channels": [{"type": "email", "value": f"p{i}@example.com"}]} for i in range(3001)]
    records.insert(10, {"firstName": "no channels"})  # fails the input schema: alone, before anything is sent
    results = {r.line: r for r in tether_client.bulk("add-update-contact", connection_id=conn.id, records=records, concurrency=2)}
    assert len(results) == 3002 and [line for line, r in results.items() if not r.ok] == [11]
    posts = [e for e in tether_client.sandbox_runtime("esputnik").journal() if e["method"] == "POST" and e["path"].endswith("/v1/contacts")]
    assert len(posts) == 2  # 3,000 + 1
    assert all(r.output["asyncSessionId"] for line, r in results.items() if r.ok)


def test_sigterm_stops_gracefully_leaving_nothing_in_doubt(tether_home, tmp_path, tether_cli):
    import os
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps({"title": f"t{i}"}) + "\n" for i in range(120)))
    env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"}
    proc = subprocess.Popen([sys.executable, "-m", "tether", "bulk", "run", "example.create-note", "--sandbox", "--input", str(path), "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not _some_ok(tether_home) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    document = json.loads(out)
    assert proc.returncode == 1 and document["state"] == "interrupted" and document["unknown"] == 0
    assert 0 < document["succeeded"] < 120
    code, out, _ = tether_cli("bulk", "resume", document["job"], "--json")
    assert code == 0 and json.loads(out)["succeeded"] == 120
    with Client(home=tether_home, secrets_backend="file") as client:
        titles = [n["title"] for n in client.sandbox_runtime("example").collection("notes") if n["title"].startswith("t")]
    assert sorted(titles) == sorted(f"t{i}" for i in range(120))


def _some_ok(home):
    import sqlite3

    for path in home.glob("bulk/*.db"):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("SELECT COUNT(*) FROM records WHERE state = 'ok'").fetchone()[0] > 5
        except sqlite3.OperationalError:
            return False
        finally:
            db.close()
    return False


def test_an_error_after_the_request_took_effect_is_unknown_not_resent(tmp_path):
    # --strict refuses the output (a ConfigurationError) after the platform acted on the request.
    broken = {"type": "object", "required": ["no-such-field"]}
    client = make_client(tmp_path / "h", strict=True, output_schema=broken)
    conn = client.sandbox_connection("ledger")
    records = [{"key": f"k{i}", "amount": i} for i in range(3)]
    results = [r.status for r in client.bulk("add-entry", connection_id=conn.id, records=records, batch=False, job_id="strict")]
    assert results == ["unknown"] * 3
    assert list(client.bulk("add-entry", connection_id=conn.id, records=records, job_id="strict")) == []
    assert len(entries(client)) == 3
    client.close()


def test_cli_reads_a_pipe_once_and_spools_it_like_stdin(tether_cli, tmp_path, tether_home):
    """``--input <(generate)`` or a FIFO can be read only once: it is spooled (so resume can
    read it again), not counted first and then found empty."""
    import os
    import threading

    fifo = tmp_path / "records.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as fh:
            fh.write("".join(json.dumps({"title": f"t{i}"}) + "\n" for i in range(3)))

    def unblock() -> None:
        # Were the pipe read twice, the second open would wait for a writer forever: give it an
        # empty one after a while, so that a regression fails below instead of hanging the suite.
        if not finished.wait(30):
            with open(fifo, "w"):
                pass

    finished = threading.Event()
    writer = threading.Thread(target=feed)
    writer.start()
    threading.Thread(target=unblock, daemon=True).start()
    code, out, err = tether_cli("bulk", "run", "example.create-note", "--sandbox", "--input", str(fifo), "--json")
    finished.set()
    writer.join(timeout=10)
    assert code == 0, err
    document = json.loads(out)
    assert (document["total"], document["succeeded"]) == (3, 3)
    spool = tether_home / "bulk" / f"{document['job']}.input"
    assert len(spool.read_text().splitlines()) == 3


def test_cli_names_a_stray_file_under_bulk_instead_of_failing_or_touching_it(tether_cli, tmp_path, tether_home):
    import sqlite3

    records = tmp_path / "notes.jsonl"
    records.write_text(json.dumps({"title": "kept"}) + "\n")
    code, out, err = tether_cli("bulk", "run", "example.create-note", "--sandbox", "--input", str(records), "--json")
    assert code == 0, err
    job_id = json.loads(out)["job"]
    (tether_home / "bulk" / "junk.db").write_text("not a database")
    other = sqlite3.connect(tether_home / "bulk" / "other.db")
    other.execute("CREATE TABLE mine (a)")
    other.commit()
    other.close()
    code, out, err = tether_cli("bulk", "list", "--json")
    assert code == 0 and [i["job"] for i in json.loads(out)["items"]] == [job_id]
    assert "junk.db is not a bulk job's journal" in err and "other.db is not a bulk job's journal" in err
    for job in ("junk", "other"):
        for command in (("status", job), ("results", job), ("resume", job)):
            code, _, err = tether_cli("bulk", *command, "--json")
            assert code == 2 and "is not a bulk job's journal" in err, (command, err)
    tables = sqlite3.connect(tether_home / "bulk" / "other.db").execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("mine",)]  # not given a journal's tables
