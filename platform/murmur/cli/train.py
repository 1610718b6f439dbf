"""`murmur train`, `murmur models`, `murmur card`, `murmur delete`: make and manage models."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from murmur.cli.config_options import config_options
from murmur.cli.jobs import CtrlC, follow_ray_job, watch_job
from murmur.cli.main import (
    STORE_HELP,
    add_name_column,
    app,
    make_console,
    open_store,
    print_notes,
)
from murmur.cli.prepare import (
    MAX_POSTS_HELP,
    REDOWNLOAD_HELP,
    REFRESH_DEPRECATED,
    TWEETS_HELP,
    YES_HELP,
    XReads,
    check_x_token,
    confirm_x_reads,
    read_handles,
    redownload_flag,
)
from murmur.cli.push import HUB_ORG_HELP, HUB_PRIVATE_HELP, HubPush, hub_target
from murmur.core.errors import ConfigError, HandleError, MurmurError
from murmur.core.handles import parse_model_specs_each
from murmur.core.job_ids import new_job_id
from murmur.core.manifest import HandleStats
from murmur.core.ray_init import check_ray_address
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import Store
from murmur.data.sources import DEFAULT_MAX_POSTS, check_tweets_dir
from murmur.jobs import (
    AccountRecord,
    JobOutcome,
    JobRequest,
    JobState,
    job_records,
    record_ray_end,
    run_job,
    settle_after_abort,
    submit_job,
)
from murmur.jobs.cluster import check_local_gpus
from murmur.models.base import check_base
from murmur.models.tiny import TINY
from murmur.samples import SAMPLE_HANDLES, sample_dir
from murmur.train import TrainConfig
from murmur.train.config import flag


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


FIGURES = ("tweets_downloaded", "retweets", "short_tweets", "tweets_kept")


def outcome_json(record: AccountRecord) -> dict[str, Any]:
    """One model's entry in `murmur train --json`: published (newly, or already: `skipped`),
    skipped because another job trains it (its error says which), or failed with its error; a
    handle's figures are huggingtweets' four."""
    r = record.result
    status = ModelState.PUBLISHED if record.ok else ModelState.FAILED
    if record.held_by:
        status = ModelState.SKIPPED
    return {
        "model": record.model,
        "handles": [{"handle": s["handle"], **{f: s[f] for f in FIGURES}} for s in _stats(record)],
        "status": status.value,
        "error": record.error,
        "path": r.get("path") if record.ok else None,
        "val_loss_before": r.get("val_loss_before"),
        "val_loss_after": r.get("val_loss_after"),
        "skipped": record.state == ModelState.SKIPPED,
        "warnings": record.warnings,
    }


def _stats(record: AccountRecord) -> list[dict[str, Any]]:
    stats: list[dict[str, Any]] = record.result.get("stats", [])
    return stats


def print_outcomes(records: list[AccountRecord], console: Console) -> None:
    """One row per handle (a combined model spans rows), then each failure's reason."""
    table = Table(title="murmur train")
    add_name_column(table, "model", [o.model for o in records])
    for col in ("handle", "downloaded", "retweets", "short", "kept", "val loss", "status"):
        left = col in ("handle", "status")
        table.add_column(col, justify="left" if left else "right", overflow="fold")
    for o in records:
        skipped = o.state == ModelState.SKIPPED
        if o.ok:
            status = "[green]published[/]" + (" (already)" if skipped else "")
        elif o.held_by:
            status = f"[yellow]skipped[/] (job {o.held_by} trains it)"
        elif o.state == ModelState.CANCELLED:
            status = "[yellow]cancelled[/]"
        else:
            status = "[red]failed[/]"
        before, after = o.result.get("val_loss_before"), o.result.get("val_loss_after")
        losses = f"{_loss(before)} → {_loss(after)}" if o.ok else ""
        rows: list[HandleStats | None] = [HandleStats(**s) for s in _stats(o)] or [None]
        handles = [f"@{s.handle}" if s else "" for s in rows]
        if rows == [None]:  # no figures (yet): its handles, when it has any, on one row
            handles = [" ".join(f"@{h}" for h in o.handles) or "-"]
        for i, s in enumerate(rows):
            figures = (
                [
                    f"{s.tweets_downloaded:,}",
                    f"{s.retweets:,}",
                    f"{s.short_tweets:,}",
                    f"{s.tweets_kept:,}",
                ]
                if s is not None
                else ["", "", "", ""]
            )
            first = i == 0
            table.add_row(
                o.model if first else "",
                handles[i],
                *figures,
                losses if first else "",
                status if first else "",
            )
    console.print(table)
    for o in records:
        if o.state == ModelState.PUBLISHED and o.result.get("path"):
            console.print(f"[green]published[/] {o.model}: {o.result['path']}", soft_wrap=True)
        elif o.state == ModelState.SKIPPED and o.reason and not o.held_by:
            console.print(f"[green]kept[/] {o.model}: {o.reason}", soft_wrap=True)
    noted = [o for o in records if not o.held_by and o.state != ModelState.CANCELLED]
    print_notes(console, noted)  # the others' status says it all


@app.command()
@config_options(TrainConfig, flag=flag, skip=("wandb",))
def train(
    handles: list[str] = typer.Argument(
        None, help="Handles (@name or name); a+b+c combines up to 3 into one model."
    ),
    tweets: Path | None = typer.Option(None, "--tweets", help=TWEETS_HELP),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    handles_file: Path | None = typer.Option(None, "--handles-file", help="One handle per line."),
    force: bool = typer.Option(False, "--force", help="Train again models already published."),
    redownload: bool = typer.Option(False, "--redownload", help=REDOWNLOAD_HELP),
    refresh: bool = typer.Option(False, "--refresh", hidden=True, help=REFRESH_DEPRECATED),
    max_posts: int = typer.Option(DEFAULT_MAX_POSTS, "--max-posts", min=1, help=MAX_POSTS_HELP),
    no_wandb: bool = typer.Option(False, "--no-wandb", help="Do not track with W&B."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    sample: bool = typer.Option(
        False,
        "--sample",
        help="The bundled sample accounts (offline; base model tiny): all of them, or the "
        "handles named.",
    ),
    address: str | None = typer.Option(
        None,
        "--address",
        envvar="RAY_ADDRESS",
        help="A Ray cluster's dashboard, http://HEAD:8265: submit the job there (Ray Jobs API); "
        "or a Ray address, HEAD:6379: run the job from here on that cluster. "
        "Default: an embedded local Ray.",
    ),
    wait: bool = typer.Option(False, "--wait", help="With --address: follow the job to its end."),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP),
    hub_org: str | None = typer.Option(None, "--hub-org", metavar="ORG", help=HUB_ORG_HELP),
    hub_private: bool = typer.Option(False, "--hub-private", help=HUB_PRIVATE_HELP),
    evaluate: bool = typer.Option(
        False, "--eval", help="At the end, judge the job's models together (`murmur eval`)."
    ),
    *,
    options: dict[str, Any],
) -> None:
    """Fetch, prepare, fine-tune and publish a model per handle (or a+b+c), as one Ray job.
    The training options are TrainConfig's fields (murmur.train.config)."""
    if sample:  # the bundled accounts, offline: their tweets and the tiny base unless given
        if tweets is not None:
            raise typer.BadParameter(
                "--sample trains the bundled accounts from their own files: drop --tweets, or "
                "drop --sample and name the handles (with --base-model tiny to stay offline)"
            )
        tweets = sample_dir()
        options.setdefault("base_model", TINY)
    try:
        config = TrainConfig(**options, wandb=not no_wandb)
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    request = JobRequest(
        handles=read_handles(_sample_or_named(sample, handles, handles_file), handles_file),
        tweets_dir=str(tweets) if tweets is not None else None,
        base_model=config.base_model,
        force=force,
        redownload=redownload_flag(redownload, refresh),
        max_posts=max_posts,
        seed=config.seed,
        use_wandb=config.wandb,
        eval=evaluate,
        # Every training option, so that job.json says exactly how the job trained.
        train={k: v for k, v in config.to_json().items() if k not in _REQUEST_FIELDS},
    )
    submitted = bool(address and address.startswith(("http://", "https://")))
    if wait and not submitted:
        raise typer.BadParameter(
            "--wait follows a job submitted to a cluster: give --address http://HEAD:8265 too "
            "(without it, the job runs here and the command waits anyway)"
        )
    st = open_store(store)
    hub = hub_target(st, hub_org, hub_private, detached=submitted and not wait)
    reads = _check_before_reads(request, st, yes=yes)
    if address and submitted:
        _submit(request, st, address, wait=wait, as_json=as_json, hub=hub)
        return
    check_base(config.base_model)  # config and tokenizer resolve here, in seconds, before Ray
    check_x_token(reads)  # the job's tasks read the X API with this process's token
    if address:  # a Ray address (HEAD:6379): join that cluster, as $RAY_ADDRESS does
        check_ray_address(address)
        os.environ["RAY_ADDRESS"] = address
    check_local_gpus(config.gpus_per_worker, flag("gpus_per_worker"))  # where a local Ray starts
    # With --json, stdout holds the JSON document alone: what Ray forwards from the workers'
    # stdout (DeepSpeed prints) goes to stderr with the logs.
    quiet_stdout = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
    ray_before = _ray_connected()
    try:
        with quiet_stdout:
            outcome = _run_here(request, st, config, show_live=sys.stdout.isatty() and not as_json)
            if as_json and not ray_before:  # Ray prints the workers' last lines ("[repeated 3x
                _end_ray()  # across cluster]") when it disconnects: to stderr, before the JSON
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    _report(job_records(outcome.accounts, outcome.refused), as_json, hub, force=force)


def _sample_or_named(
    sample: bool, handles: list[str] | None, handles_file: Path | None
) -> list[str]:
    """The handles named; with --sample and none named (nor a --handles-file), every sample."""
    if sample and not handles and handles_file is None:
        return list(SAMPLE_HANDLES)
    return list(handles or [])


def _ray_connected() -> bool:
    """True where this process had Ray before the command (a caller's, kept as it is)."""
    import ray

    return bool(ray.is_initialized())


def _end_ray() -> None:
    """Disconnect from the Ray this command joined or started: its log thread stops and
    flushes its last lines here."""
    import ray

    ray.shutdown()


def _check_before_reads(request: JobRequest, store: Store, *, yes: bool) -> XReads:
    """What fails in a second, before any slow step: no valid handle (each one's reason), a bad
    --tweets folder; then the X reads this job would pay for, confirmed (or --yes). Returns
    the models and the X handles to read, for `check_x_token`."""
    specs, refused = parse_model_specs_each(request.handles)
    if not specs:
        raise HandleError("; ".join(reason for _, reason in refused))
    if request.tweets_dir is not None:
        check_tweets_dir(Path(request.tweets_dir))
    to_read = confirm_x_reads(
        [h for spec in specs for h in spec.handles],
        tweets_dir=request.tweets_dir,
        store=store,
        redownload=request.redownload,
        max_posts=request.max_posts,
        yes=yes,
    )
    return XReads(specs, set(to_read))


# The request's own fields; TrainConfig's others travel in JobRequest.train.
_REQUEST_FIELDS = ("base_model", "seed", "wandb")


def resume_hint(force: bool, cancelled: list[str]) -> str:
    """What to run after a cancelled job. Without --force the same command finishes it (published
    models are skipped). With --force that would skip the cancelled models that had a version
    before and train again what the job published, so the hint names the cancelled models'
    handles (`cancelled`: each one's `a` or `a+b`) to run with --force."""
    if not force:
        return "run the same command again to finish (published models are skipped)"
    return "to finish, run the same command with only the cancelled models' handles: " + " ".join(
        cancelled
    )


def _report(
    records: list[AccountRecord], as_json: bool, hub: HubPush | None = None, force: bool = False
) -> None:
    if as_json:
        doc = [outcome_json(r) for r in records]
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print_outcomes(records, make_console())
    cancelled = ["+".join(r.handles) for r in records if r.state == ModelState.CANCELLED]
    if cancelled:
        typer.echo(resume_hint(force, cancelled), err=True)
    pushed = hub is None or hub.push_published(records, err=as_json)  # --hub-org
    failed = [r for r in records if r.state == ModelState.FAILED]
    if failed:  # each reason is in the report above; the last line says what went wrong
        typer.echo(f"error: {len(failed)} of {len(records)} models failed (above)", err=True)
    if not all(r.ok for r in records) or not pushed:
        raise typer.Exit(code=1)


def _run_here(
    request: JobRequest, store: Store, config: TrainConfig, show_live: bool
) -> JobOutcome:
    """The job's driver in this process, on the embedded (or $RAY_ADDRESS) Ray; in a terminal a
    live table follows it, otherwise one log line per state change. The first Ctrl-C stops the
    job between models (`CtrlC`); a second aborts it, and ends this process's Ray (its trainers
    with it)."""
    job_id = new_job_id()
    typer.echo(f"job {job_id}: `murmur status {job_id} --store {store.uri}` follows it", err=True)
    # -v (the root logger at DEBUG) shows Ray's and the workers' output here too.
    verbose = logging.getLogger().isEnabledFor(logging.DEBUG)
    state = JobState(store, job_id)
    try:
        with CtrlC(state).installed():
            if not show_live:
                return run_job(request, store, job_id=job_id, train_config=config, verbose=verbose)
            return _run_live(request, store, config, job_id, verbose)
    except KeyboardInterrupt:  # a second Ctrl-C: run_job recorded the job as cancelled
        import ray

        ray.shutdown()  # the model in training stops now
        settle_after_abort(store, state)  # what its trainers published before they stopped
        job = state.read_job() if state.exists() else {}
        accounts, refused = state.read_accounts(), job.get("refused", [])
        return JobOutcome(
            job_id=job_id, status=JobStatus.CANCELLED, accounts=accounts, refused=refused
        )


def _run_live(
    request: JobRequest, store: Store, config: TrainConfig, job_id: str, verbose: bool
) -> JobOutcome:
    done = threading.Event()
    viewer = threading.Thread(
        target=watch_job,
        args=(store, job_id, make_console(), lambda: not done.is_set()),
        name="murmur-live-view",
        daemon=True,
    )
    viewer.start()
    try:
        return run_job(request, store, job_id=job_id, train_config=config, verbose=verbose)
    finally:
        done.set()
        viewer.join()


def announce_submitted(
    job_id: str, address: str, store: Store, *, as_json: bool, wait: bool
) -> None:
    """Say where a submitted job went and the commands that follow it (on stderr with --json);
    with --json and no --wait, the job's id, address and store as JSON on stdout instead."""
    if as_json and not wait:
        typer.echo(json.dumps({"job_id": job_id, "address": address, "store": store.uri}))
        return
    hint = f"--store {store.uri}"
    typer.echo(
        f"submitted job {job_id} to {address}\n"
        f"  murmur status {job_id} {hint}\n  murmur logs {job_id} {hint} --follow\n"
        f"  murmur cancel {job_id} {hint}",
        err=as_json,
    )


def _submit(
    request: JobRequest,
    store: Store,
    address: str,
    *,
    wait: bool,
    as_json: bool,
    hub: HubPush | None = None,
) -> None:
    """Hand the job to a Ray cluster; with `wait`, print its log until it ends, then report."""
    try:
        job_id = submit_job(request, store, address)
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None
    announce_submitted(job_id, address, store, as_json=as_json, wait=wait)
    if not wait:
        return
    status = follow_ray_job(address, job_id, err=as_json)
    state = JobState(store, job_id)
    record_ray_end(state, status)
    if not state.read_accounts():
        typer.echo(f"job {job_id}: Ray says {status}", err=True)
        raise typer.Exit(code=0 if status == "SUCCEEDED" else 1)
    job = state.read_job()
    _report(job_records(state.read_accounts(), job.get("refused", [])), as_json, hub)
