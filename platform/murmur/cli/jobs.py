"""`murmur status`, `murmur logs`, `murmur cancel`: follow and stop training jobs from any client
that reads the store; and the live view `murmur train` shows while a job runs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from murmur.cli.main import STORE_HELP, add_name_column, app, make_console, open_store
from murmur.core.errors import MurmurError
from murmur.core.states import FINAL_JOB_STATUSES, FINAL_STATES, JobStatus, ModelState
from murmur.core.store import Store
from murmur.jobs import JobState, JobSummary, close_job, list_jobs, summarize
from murmur.jobs.submit import job_client, ray_client, ray_status, record_ray_end

STATE_STYLE: dict[str, str] = {
    ModelState.PUBLISHED: "green",
    ModelState.FAILED: "red",
    ModelState.SKIPPED: "dim",
    ModelState.CANCELLED: "yellow",
}


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 10:
        return f"{seconds:.1f}s"
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def driver_gone(job: dict[str, Any]) -> bool:
    """True when a running job's driver was on this machine and its process is gone (killed, or
    the machine restarted): the job will not finish by itself; running the command again does
    the rest. A driver on another machine, or in a Ray cluster, is never judged from here."""
    driver = job.get("driver") or {}
    if (
        job.get("status") != JobStatus.RUNNING
        or job.get("ray")
        or driver.get("host") != socket.gethostname()
    ):
        return False
    try:
        os.kill(int(driver["pid"]), 0)
    except ProcessLookupError:
        return True
    except (OSError, KeyError, ValueError):
        return False
    return False


def shown_status(job: dict[str, Any]) -> str:
    """The job's status as the store has it, corrected where its driver is gone."""
    if driver_gone(job):
        return "interrupted"
    status = str(job.get("status", "?"))
    if job.get("ray"):
        said = ray_status(job)
        if said in ("SUCCEEDED", "FAILED", "STOPPED"):
            return f"{status} (Ray job {said.lower()}: `murmur logs {job['id']}`)"
    return status


def render_summary(summary: JobSummary, max_rows: int | None = None) -> Group:
    """A header (status, counts per state, pace, ETA) above one row per model. With `max_rows`,
    the models still in progress come first, then failures, then the rest."""
    job = summary.job
    counts = ", ".join(
        f"[{STATE_STYLE.get(s, 'bold')}]{n} {s}[/]" for s, n in summary.counts.items() if n
    )
    pace = (
        f"{summary.accounts_per_hour:,.0f} accounts/hour"
        if summary.accounts_per_hour
        else "accounts/hour: -"
    )
    header = Text.from_markup(
        f"[bold]{job['id']}[/] {shown_status(job)}  {counts or 'no models'}\n"
        f"elapsed {fmt_duration(summary.elapsed_s)}  {pace}  ETA {fmt_duration(summary.eta_s)}"
    )
    table = Table(box=None, pad_edge=False)
    add_name_column(table, "model", [a.model for a in summary.accounts])
    for col in ("state", "attempts", "fetch+prepare", "training", "detail"):
        right = col in ("attempts", "fetch+prepare", "training")
        table.add_column(col, justify="right" if right else "left", no_wrap=col == "state")
    accounts = summary.accounts
    if max_rows is not None and len(accounts) > max_rows:
        rank: dict[str, int] = {
            s: i
            for i, s in enumerate(
                (*(s for s in ModelState if s not in FINAL_STATES), ModelState.FAILED)
            )
        }
        accounts = sorted(accounts, key=lambda a: rank.get(a.state, len(rank)))[:max_rows]
    for a in accounts:
        detail = a.reason or ""
        if a.ok and a.result.get("val_loss_after") is not None:
            before = a.result.get("val_loss_before")
            loss = f"val loss {'-' if before is None else f'{before:.3f}'} -> "
            loss += f"{a.result['val_loss_after']:.3f}"
            detail = f"{detail}; {loss}" if detail else loss
        elif a.state == ModelState.TRAINING:
            r = a.result
            detail = f"on {a.worker}" if a.worker else ""
            if r.get("steps"):
                detail += f" step {r['step']}/{r['steps']}"
            elif job.get("deepspeed_builds"):  # murmur.jobs.cluster.ops_to_build
                detail += " DeepSpeed compiles its op first (about a minute, once per machine)"
            if r.get("loss") is not None:
                detail += f" loss {r['loss']:.2f}"
            if r.get("tokens_per_s"):
                detail += f" {r['tokens_per_s']:,.0f} tok/s"
            detail = detail.strip()
        table.add_row(
            a.model,
            f"[{STATE_STYLE.get(a.state, 'bold')}]{a.state}[/]",
            str(a.attempt) if a.attempt else "",
            fmt_duration(a.timings.get("fetching")),
            fmt_duration(a.timings.get("training")),
            detail,
        )
    for r in summary.job.get("refused", []):
        if max_rows is None:
            table.add_row(r["handle"], f"[red]{ModelState.FAILED}[/]", "", "", "", r["reason"])
    hidden = len(summary.accounts) - len(accounts)
    parts: list[Any] = [header, table]
    if hidden:
        parts.append(Text(f"… and {hidden} more (`murmur status {job['id']}` lists them all)"))
    return Group(*parts)


def watch_job(
    store: Store, job_id: str, console: Console, running: Callable[[], bool], max_rows: int = 20
) -> None:
    """A live table of the job, read from the store once a second, until `running()` is false.
    Log lines printed meanwhile (murmur's, Ray's) scroll above the table."""

    def view() -> Group | Text:
        try:
            return render_summary(summarize(JobState(store, job_id)), max_rows=max_rows)
        except MurmurError:
            return Text(f"{job_id}: starting…")

    live = Live(get_renderable=view, console=console, refresh_per_second=1, transient=True)
    with live:
        # Live redirects sys.stdout/sys.stderr to print above the table; log handlers made
        # earlier still hold the real stream, so point them at the redirected one meanwhile.
        handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
        streams = [h.setStream(sys.stderr) for h in handlers]
        try:
            while running():
                time.sleep(0.5)
        finally:
            for h, stream in zip(handlers, streams, strict=True):
                if stream is not None:
                    h.setStream(stream)


def follow_ray_job(address: str, submission_id: str, *, err: bool = False) -> str:
    """Print a submitted job's log as Ray gives it until the job ends; its final Ray status."""
    client = job_client(address)
    asyncio.run(_tail_ray_logs(client, submission_id, err=err))
    return str(client.get_job_status(submission_id).value)


@app.command()
def status(
    job_id: str = typer.Argument(None, help="A job id; without one, the recent jobs are listed."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    limit: int = typer.Option(20, "--limit", help="How many recent jobs to list."),
) -> None:
    """A job's progress: counts per state, accounts/hour, ETA and each model's state."""
    st = open_store(store, must_exist=True)
    if job_id is None:
        jobs = list_jobs(st, limit=limit)
        if as_json:
            out = [{**j, "status": shown_status(j)} for j in jobs]
            typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
            return
        table = Table(title=f"murmur jobs in {st.uri}")
        add_name_column(table, "job", [str(j.get("id", "")) for j in jobs])
        for col in ("created", "status", "models", "counts"):
            table.add_column(col, no_wrap=col == "status")
        for j in jobs:
            counts = j.get("counts") or {}
            table.add_row(
                str(j["id"]),
                str(j.get("created", ""))[:19].replace("T", " "),
                shown_status(j),
                str(len(j.get("models", [])) + len(j.get("refused", []))),
                ", ".join(f"{n} {s}" for s, n in counts.items() if n),
            )
        make_console().print(table if jobs else f"no jobs in {st.uri}")
        return
    try:
        summary = summarize(JobState(st, job_id))
    except MurmurError as e:
        raise typer.BadParameter(str(e), param_hint="JOB") from None
    if as_json:
        doc = summary.to_json()
        doc["job"]["status"] = shown_status(summary.job)
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    make_console().print(render_summary(summary))
    if driver_gone(summary.job):
        typer.echo(
            "its driver is gone: run the same `murmur train` again to do the rest "
            "(published models are skipped)"
        )


@app.command()
def logs(
    job_id: str = typer.Argument(..., help="The job id (`murmur status` lists them)."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing until the job ends."),
) -> None:
    """A job's log: Ray's job logs for a job on a cluster, else the driver's log in the store."""
    state = JobState(open_store(store, must_exist=True), job_id)
    try:
        job = state.read_job()
    except MurmurError as e:
        raise typer.BadParameter(str(e), param_hint="JOB") from None
    submission = (job.get("ray") or {}).get("submission_id")
    if submission:
        client = ray_client(job)
        if follow:
            asyncio.run(_tail_ray_logs(client, submission))
        else:
            typer.echo(client.get_job_logs(submission), nl=False)
        return
    printed = 0
    while True:
        text = state.read_log()
        typer.echo(text[printed:], nl=False)
        printed = len(text)
        job = state.read_job()
        if not follow or job.get("status") != JobStatus.RUNNING or driver_gone(job):
            return
        time.sleep(1.0)


async def _tail_ray_logs(client: Any, submission_id: str, *, err: bool = False) -> None:
    async for lines in client.tail_job_logs(submission_id):
        typer.echo(lines, nl=False, err=err)


@app.command()
def cancel(
    job_id: str = typer.Argument(..., help="The job id (`murmur status` lists them)."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Stop a job between models (a job on a Ray cluster is also stopped through Ray)."""
    state = JobState(open_store(store, must_exist=True), job_id)
    try:
        job = state.read_job()
    except MurmurError as e:
        raise typer.BadParameter(str(e), param_hint="JOB") from None
    if job.get("status") in FINAL_JOB_STATUSES:
        typer.echo(f"{job_id}: already {job['status']}, nothing to cancel")
        return
    state.request_cancel()
    submission = (job.get("ray") or {}).get("submission_id")
    if submission:
        _stop_ray_job(state, job, submission)
    elif driver_gone(job):  # nobody is left to see the flag: record the end here
        close_job(state, JobStatus.CANCELLED, "cancelled after its driver exited")
    typer.echo(f"{job_id}: cancel requested (`murmur status {job_id}` shows when it has stopped)")


class CtrlC:
    """Ctrl-C while `murmur train` runs its job in this process (the README's promise): the first
    asks the job to stop as `murmur cancel` does (every model in training finishes, the others
    are cancelled); a second raises KeyboardInterrupt, which aborts the job."""

    def __init__(self, state: JobState) -> None:
        self.state = state
        self.presses = 0

    def __call__(self, signum: int, frame: object) -> None:
        self.presses += 1
        if self.presses > 1:
            raise KeyboardInterrupt
        typer.echo(
            "Ctrl-C: the models in training finish, the others are cancelled; Ctrl-C again aborts",
            err=True,
        )
        self.state.request_cancel("Ctrl-C")

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """This handler on SIGINT meanwhile (only the main thread may set one)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _stop_ray_job(
    state: JobState, job: dict[str, Any], submission: str, wait_s: float = 30
) -> None:
    """Stop a submitted job through Ray; once Ray says it stopped, make sure the store says so
    (its driver records the end itself when it can, on SIGTERM)."""
    client = ray_client(job)
    if not client.stop_job(submission):
        typer.echo(f"{state.job_id}: the Ray job had already finished")
        return
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        status = str(client.get_job_status(submission).value)
        if status in ("STOPPED", "FAILED", "SUCCEEDED"):
            record_ray_end(state, status)
            typer.echo(f"{state.job_id}: Ray job {status.lower()}")
            return
        time.sleep(1.0)
    typer.echo(f"{state.job_id}: Ray job still stopping after {wait_s:.0f} s")
