"""kill -9 a bulk job at random points, again and again, against the served sandbox with faults
injected; then resume to the end and check the sandbox itself: every record accounted for once,
none lost, none applied twice."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

from tether import Client
from tether.testing import fast_retry

FAULTS = "429=0.1,503=0.05,drop-before=0.02,drop-after=0.02"
# The example platform allows 20 requests a second, and each new run may start with a burst of
# 20: twenty short runs send at most ~500 records, so 800 are never finished before the last kill.
RECORDS = 800
KILLS = 20


def test_kill_9_at_random_points_then_resume_loses_and_doubles_nothing(served_sandbox, tether_home, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    served = served_sandbox("example", "--faults", f"{FAULTS},seed={seed}")
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.connect("example", credentials=served["credentials"], settings={"baseUrl": served["url"]}, verify=False)
    titles = {}
    path = tmp_path / "notes.jsonl"
    with open(path, "w") as fh:
        for line in range(1, RECORDS + 3):
            if line == 50:
                fh.write("{broken\n")  # bad lines fail on their own, every run agrees
            elif line == 120:
                fh.write(json.dumps({"title": ""}) + "\n")  # an empty title breaks the input schema
            else:
                titles[line] = f"rec-{line}"
                fh.write(json.dumps({"title": titles[line]}) + "\n")

    env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"}

    def start(*args):
        return subprocess.Popen([sys.executable, "-m", "tether", "bulk", *args, "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    proc = start("run", "create-note", "--connectionId", conn.id, "--input", str(path), "--concurrency", "4")
    deadline = time.monotonic() + 30
    while not list(tether_home.glob("bulk/*.db")):
        assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() is not None else "no job"
        time.sleep(0.02)
    job = next(tether_home.glob("bulk/*.db")).stem
    kills = 0
    while True:
        # Wait until this run has taken the job (its pid in the journal): from then on it sends.
        while proc.poll() is None and _job_pid(tether_home, job) != proc.pid:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        proc.stdout.close(), proc.stderr.close()
        if kills >= KILLS or _job_state(tether_home, job) == "done":
            break
        proc = start("resume", job)
    assert kills >= KILLS, f"the job finished after {kills} kills: give it more records (seed={seed})"
    proc = start("resume", job)
    out, err = proc.communicate(timeout=120)
    document = json.loads(out)
    context = f"seed={seed} job={job}\n{err[-2000:]}"
    assert document["state"] == "done", context

    results = subprocess.run([sys.executable, "-m", "tether", "bulk", "results", job], env=env, capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in results.stdout.splitlines()]
    by_line = {r["line"]: r for r in records}
    assert len(by_line) == len(records) == RECORDS + 2, context  # every line exactly once
    assert by_line[50]["status"] == "failed" and by_line[120]["status"] == "failed", context

    with Client(home=tether_home, secrets_backend="file") as client:
        notes = [n for n in client.sandbox_runtime("example").collection("notes") if n["title"].startswith("rec-")]
    applied = Counter(n["title"] for n in notes)
    assert max(applied.values()) == 1, context  # none applied twice
    for line, title in titles.items():
        status = by_line[line]["status"]
        if status == "ok":
            assert applied[title] == 1 and by_line[line]["output"]["title"] == title, context
        elif status == "failed":
            assert applied[title] == 0, context  # a failure means the platform did not act on it
        else:
            assert status == "unknown" and applied[title] <= 1, context
    assert set(applied) <= {titles[line] for line, r in by_line.items() if r["status"] in ("ok", "unknown")}, context
    assert document["succeeded"] + document["failed"] + document["unknown"] == RECORDS + 2


def _job_pid(home, job):
    return _job_field(home, job, "pid")


def _job_state(home, job):
    return _job_field(home, job, "state")


def _job_field(home, job, field):
    db = sqlite3.connect(f"file:{home / 'bulk' / (job + '.db')}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute(f"SELECT {field} FROM job").fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:  # the job's first run is still creating its journal
        return None
    finally:
        db.close()
