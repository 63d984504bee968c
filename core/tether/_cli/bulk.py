"""``tether bulk run | list | status | resume | results``: one action over a JSONL file."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from .support import common, emit, examples, make_client, pretty, run_target, table, target_options

STATUSES = ("ok", "failed", "unknown")


@click.group(
    epilog=examples(
        "tether bulk run engage.create-user --sandbox --input users.jsonl --concurrency 8",
        "tether bulk resume bulk-3f9a2c1d",
        "tether bulk results bulk-3f9a2c1d --status failed",
    )
)
def bulk() -> None:
    """Run an action once per line of a JSONL file: journaled, resumable, batched where the platform allows."""


@bulk.command(
    epilog=examples(
        "tether bulk run create-user --connectionId engage-1a2b3c4d --input users.jsonl --concurrency 8 --json",
        "cat events.jsonl | tether bulk run customerio.track-event --sandbox --input -",
        "\b",
        "Each line is one record: the action's input as JSON. A line that is not JSON or breaks the",
        "input schema fails on its own (see `bulk results JOB --status failed`); the rest go on.",
    )
)
@click.argument("action_id")
@target_options
@click.option("--input", "input_", required=True, metavar="FILE|-", help="JSONL records: a file (resumable), or - for stdin (spooled under TETHER_HOME).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="Requests in flight at once (the connector's own caps still apply).")
@click.option("--no-batch", "no_batch", is_flag=True, help="One request per record even where the action declares a batch endpoint.")
@common
def run(action_id: str, connection_id: str | None, sandbox: bool, connector_id: str | None, input_: str, concurrency: int, no_batch: bool, as_json: bool) -> None:
    """Start a job. Progress goes to stderr; exit 0 when every record succeeded, 1 otherwise."""
    from .._bulk.journal import jobs_dir
    from .._bulk.runner import new_job_id, open_job

    total = None
    stream: TextIO | None = sys.stdin if input_ == "-" else None
    if stream is None:  # an unreadable file is refused before anything is made (a sandbox connection, a job)
        if _is_regular(input_):
            source = str(Path(input_).resolve())
            total = _count_records(source)
        else:  # a pipe (`--input <(…)`), a FIFO or a device: read once, so spooled as stdin is
            stream = _opened(input_)
    with make_client() as client:
        connection_id = run_target(client, action_id, connection_id, sandbox, connector_id)
        job_id = new_job_id()
        if stream is not None:
            source = str(jobs_dir(client.home) / f"{job_id}.input")
            records: Any = _spooled(stream, Path(source))
        else:
            records = _lines(source)
        job = open_job(
            client, action_id, connection_id=connection_id, records=records, concurrency=concurrency,
            job_id=job_id, batch=not no_batch, source=source, expected_total=total,
        )
        click.echo(f"bulk job {job.job_id}: {job.action.key} on {job.conn.id} (resume with: tether bulk resume {job.job_id})", err=True)
        _drive(job, total, as_json)


@bulk.command(epilog=examples("tether bulk resume bulk-3f9a2c1d --json"))
@click.argument("job_id")
@click.option("--concurrency", type=click.IntRange(1, 64), help="Change the job's concurrency.")
@common
def resume(job_id: str, concurrency: int | None, as_json: bool) -> None:
    """Continue an interrupted job: nothing that succeeded is sent again; a record whose request may have
    taken effect is sent again only if the action is idempotent (otherwise it is reported as unknown)."""
    from .._bulk.runner import open_job
    from .._errors import UsageError

    with make_client() as client:
        with _journal(client, job_id) as journal:
            row = journal.job()
        source = row["source"]
        if not source:
            raise UsageError(f"bulk job {job_id} was started from Python: resume it with client.bulk(..., job_id={job_id!r}, records=<the same records>)")
        if not os.path.exists(source):
            raise UsageError(f"bulk job {job_id} reads {source}, which no longer exists")
        job = open_job(client, None, connection_id=None, records=_lines(source), job_id=job_id, concurrency=concurrency)
        total = row["expected_total"]
        _drive(job, total, as_json)


@bulk.command("list", epilog=examples("tether bulk list", "tether bulk list --json"))
@common
def list_(as_json: bool) -> None:
    """Every job in TETHER_HOME: running, interrupted and finished."""
    with make_client() as client:
        items = [_summary(client, path.stem) for path in sorted(_jobs(client.home))]
    items.sort(key=lambda s: s["createdAt"])
    if as_json:
        emit({"items": items})
        return
    for item in items:
        item["created"] = time.strftime("%Y-%m-%d %H:%M", time.localtime(item["createdAt"]))
    cols = [("job", "job"), ("state", "state"), ("action", "action"), ("total", "total"), ("succeeded", "ok"), ("failed", "failed"), ("unknown", "unknown"), ("created", "created")]
    table(items, cols, empty="no bulk jobs")


@bulk.command(epilog=examples("tether bulk status bulk-3f9a2c1d --json"))
@click.argument("job_id")
@common
def status(job_id: str, as_json: bool) -> None:
    """One job's state and counts."""
    with make_client() as client:
        document = _summary(client, job_id)
    if as_json:
        emit(document)
    else:
        pretty(document)


@bulk.command(epilog=examples("tether bulk results bulk-3f9a2c1d --status failed", "tether bulk results bulk-3f9a2c1d --status unknown > check.jsonl"))
@click.argument("job_id")
@click.option("--status", "state", type=click.Choice(STATUSES), help="Only records in this state.")
@common
def results(job_id: str, state: str | None, as_json: bool) -> None:
    """One JSON line per record: {"line", "status", "output"} or {"line", "status", "error"} (also with --json)."""
    from .._bulk.journal import FAILED, UNKNOWN
    from .._redact import redact

    with make_client() as client, _journal(client, job_id) as journal:
        out = sys.stdout
        for record in journal.records(state):
            result = record.pop("result")
            record["error" if record["status"] in (FAILED, UNKNOWN) else "output"] = result
            out.write(redact(json.dumps(record, ensure_ascii=False, default=str)) + "\n")
        out.flush()


# -- helpers ----------------------------------------------------------------------------------


def _jobs(home: Path) -> list[Path]:
    """The journals under TETHER_HOME/bulk; another file there is named on stderr and skipped."""
    from .._bulk.journal import is_journal, jobs_dir

    found = []
    for path in jobs_dir(home).glob("*.db"):
        if is_journal(path):
            found.append(path)
        else:
            click.echo(f"warning: {path} is not a bulk job's journal; skipped", err=True)
    return found


@contextlib.contextmanager
def _journal(client: Any, job_id: str) -> Iterator[Any]:
    """The job's journal, open; an unknown job is a NotFoundError (opening would create its file)."""
    from .._bulk.journal import Journal, is_journal, job_path
    from .._errors import NotFoundError, UsageError

    path = job_path(client.home, job_id)
    if "/" in job_id or not path.exists():
        raise NotFoundError(f"no bulk job {job_id!r} (see: tether bulk list)")
    if not is_journal(path):
        raise UsageError(f"{path} is not a bulk job's journal")
    journal = Journal(path)
    try:
        yield journal
    finally:
        journal.close()


def _summary(client: Any, job_id: str) -> dict[str, Any]:
    from .._bulk.journal import summary

    with _journal(client, job_id) as journal:
        return summary(journal)


def _is_regular(path: str) -> bool:
    """Whether ``path`` is a regular file (which can be counted, then read again on resume)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _opened(path: str) -> TextIO:
    try:
        return open(path, encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: str, exc: OSError) -> Exception:
    from .._errors import UsageError

    return UsageError(f"--input: cannot read {path}: {exc.strerror}")


def _lines(path: str) -> Iterator[str]:
    """The file's lines, read lazily (line numbers count every line, blank ones too)."""
    with _opened(path) as fh:
        yield from _physical_lines(fh)


def _physical_lines(fh: TextIO) -> Iterator[str]:
    # newline="" keeps "\r\n" intact; only "\n" ends a line, as in JSONL.
    pending = ""
    for chunk in fh:
        pending += chunk
        if pending.endswith("\n"):
            yield pending
            pending = ""
    if pending:
        yield pending


def _count_records(path: str) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _spooled(stream: TextIO, spool: Path) -> Iterator[str]:
    """stdin's lines, each written to the job's spool file before it is used (so resume can read it)."""
    with open(spool, "a", encoding="utf-8", errors="surrogateescape") as out:
        os.chmod(spool, 0o600)
        for line in stream:
            if not line.endswith("\n"):
                line += "\n"
            out.write(line)
            out.flush()  # in the kernel before the record is journaled: survives kill -9
            yield line


def _drive(job: Any, total: int | None, as_json: bool) -> None:
    from .._bulk.progress import Progress
    from .._errors import TetherError

    progress = Progress(sys.stderr, total=total, already=job.summary())
    error: TetherError | None = None
    stop = _stop_on_signals()
    results = iter(job)
    try:
        for result in results:
            progress.update(result)
            if stop:
                break
    except KeyboardInterrupt:
        pass
    except TetherError as exc:
        error = exc
    finally:
        results.close()  # the job settles what is in flight and is left "interrupted"
    document = job.summary()
    job.close()
    progress.close(document)  # the journal's final counts (a resume also settles old records)
    if error is not None:
        if error.exit_code == 2 and document["total"] == 0:
            raise error  # bad input before anything was sent: the usual one-line error, exit 2
        document["error"] = error.to_dict()
        click.echo(f"error: {error.message}", err=True)
    if as_json:
        emit(document)
    else:
        click.echo(
            f"{document['job']}: {document['state']}: {document['succeeded']} succeeded, {document['failed']} failed, "
            f"{document['unknown']} unknown of {document['total']}",
            err=True,
        )
        if document["failed"] or document["unknown"]:
            click.echo(f"see: tether bulk results {document['job']} --status failed (or unknown)", err=True)
    clean = document["state"] == "done" and not document["failed"] and not document["unknown"]
    sys.exit(0 if clean else 1)


def _stop_on_signals() -> list[int]:
    """SIGTERM (a scheduler stopping the job, `kill`) and a first Ctrl-C ask the job to stop after
    the record at hand: the requests in flight finish and are journaled, and the job is left
    "interrupted" for `bulk resume`. Stopping only between records, never at an arbitrary line,
    keeps the journal exact; a second Ctrl-C stops at once."""
    import signal

    received: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        if received and signum == signal.SIGINT:
            raise KeyboardInterrupt
        received.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return received
