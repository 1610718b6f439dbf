"""`murmur refresh NAME... | --all [--older-than 7d]`: bring published bots up to date with their
accounts' new posts, each as a new version of the bot.

A refresh is a training job (murmur.jobs: queued, paced, leased, `murmur status`, cancel) whose
prepare step reads only each account's new posts (murmur.data.refresh_plan) and whose trainers
continue from the bot's published weights or adapter (or, `--from-base`, train from the base on
every post). Each bot trains as it was trained: its base, method and hyperparameters come from
its manifest (training options given here override them, e.g. --max-steps). Bots trained
differently go in consecutive jobs, one per way of training. `--address http://HEAD:8265`
submits each job to a cluster (`--wait` follows it and prints the same table).

Running the same command again after an interrupted refresh (cancelled, failed, its driver
killed) skips the bots that job published (murmur.cli.refresh_report.already_refreshed), as
`murmur train` skips published models, and refreshes the others.

Wrong input ends in one line before any read: a bot not published, a bot read from a file
without `--tweets DIR` (its newer export), `--tweets` with a submitted refresh, a bad
`--older-than`. With `--all`, a bot read from a file whose newer export is not given (no
`--tweets`, or not in that folder) is skipped with that reason and the others refreshed
(`sort_sources`). A refresh where no bot had enough new posts is no failure: its job succeeds
with its bots skipped (`murmur status`), and the command says `nothing new: NAME: why` on
stderr and exits 0. "New" counts against the bot's current version (murmur.data.refresh_plan).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from murmur.cli.config_options import PANEL as TRAINING
from murmur.cli.config_options import config_options
from murmur.cli.jobs import follow_ray_job
from murmur.cli.main import STORE_HELP, app, open_store
from murmur.cli.prepare import MAX_POSTS_HELP, TWEETS_HELP, YES_HELP, ask_before_reads
from murmur.cli.refresh_report import already_refreshed, already_row, report
from murmur.cli.train import _run_here, announce_submitted
from murmur.core.clock import parse_stamp
from murmur.core.errors import ConfigError, MurmurError
from murmur.core.handles import network_of
from murmur.core.manifest import ModelManifest
from murmur.core.ray_init import check_ray_address
from murmur.core.store import Store
from murmur.data.consent import CONFIRM_ABOVE, x_cost_line
from murmur.data.new_posts import FILE_SOURCES, NETWORK_SOURCES
from murmur.data.sources import DEFAULT_MAX_POSTS, check_tweets_dir, find_tweet_file
from murmur.jobs import AccountRecord, JobRequest, JobState, record_ray_end, submit_job
from murmur.jobs.cluster import check_local_gpus
from murmur.jobs.request import RefreshOptions
from murmur.models.base import check_base
from murmur.train import TrainConfig
from murmur.train.config import flag

_AGE = re.compile(r"(\d+(?:\.\d+)?)([dhm])")
_UNIT_S = {"d": 86_400, "h": 3_600, "m": 60}
# The manifest's hyperparameters (train.config.hyperparameters) -> TrainConfig's fields.
_FROM_HYPERPARAMETERS = {
    "recipe": "recipe",
    "learning_rate": "lr",
    "weight_decay": "weight_decay",
    "max_grad_norm": "max_grad_norm",
    "block_size": "block_size",
    "micro_batch": "micro_batch",
    "grad_accum": "grad_accum",
    "ranks_per_model": "workers_per_model",
    "zero_stage": "zero_stage",
    "cpu_offload": "cpu_offload",
    "job_seed": "seed",
}


def parse_age(text: str) -> float:
    """`7d`, `12h`, `30m` as seconds. Raises typer.BadParameter (one line) for anything else."""
    match = _AGE.fullmatch(text.strip())
    if not match:
        raise typer.BadParameter(f"--older-than {text!r}: give a number and d, h or m (7d, 12h)")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def posts_read_at(m: ModelManifest) -> float:
    """When the bot's posts were read (seconds since the epoch): its oldest handle's read, or
    for a manifest from before `posts_read_at` existed, when it was published."""
    stamps = list(m.posts_read_at.values()) or [m.created]
    return min(parse_stamp(s) for s in stamps if s) if any(stamps) else 0.0


def select_bots(
    st: Store, names: Sequence[str], every: bool, older_than: str | None
) -> list[ModelManifest]:
    """The published bots to refresh: those named (ModelNotFoundError, one line, for one that is
    not published) or all of them, then only those whose posts were read longer ago than
    `older_than`."""
    if every and names:
        raise typer.BadParameter("give bot names or --all, not both")
    if not every and not names:
        raise typer.BadParameter(
            "give the bots to refresh (as `murmur models` lists them) or --all"
        )
    bots = st.list_models() if every else [st.load_manifest(n) for n in dict.fromkeys(names)]
    if older_than is not None:
        cutoff = time.time() - parse_age(older_than)
        bots = [m for m in bots if posts_read_at(m) < cutoff]
    return bots


def check_sources(bots: Sequence[ModelManifest], tweets: Path | None) -> None:
    """A bot whose posts came from a file refreshes only from its newer export: ConfigError in
    one line when no --tweets folder is given."""
    if tweets is not None:
        check_tweets_dir(tweets)
        return
    for m in bots:
        for s in m.stats:
            if s.source not in NETWORK_SOURCES:
                what = FILE_SOURCES.get(s.source, f"a {s.source} file")
                raise ConfigError(
                    f"{m.name}: @{s.handle}'s posts came from {what}: give its newer export "
                    "with --tweets DIR"
                )


def sort_sources(
    bots: Sequence[ModelManifest], tweets: Path | None
) -> tuple[list[tuple[ModelManifest, Path | None]], list[tuple[ModelManifest, str]]]:
    """--all: ([(bot, the folder it reads from, None for its network)], [(bot skipped, why)]).
    A bot whose every handle has a file in `tweets` reads from it; else a bot read from a
    network reads its network, and one read from a file is skipped: its newer export is not
    given. Raises as check_tweets_dir for a `tweets` that is no folder."""
    if tweets is not None:
        check_tweets_dir(tweets)
    todo: list[tuple[ModelManifest, Path | None]] = []
    skipped: list[tuple[ModelManifest, str]] = []
    for m in bots:
        missing = [h for h in m.handles if tweets is None or not _has_file(tweets, h)]
        filed = [s for s in m.stats if s.source not in NETWORK_SOURCES]
        if not missing:
            todo.append((m, tweets))
        elif not filed:
            todo.append((m, None))
        else:
            s = filed[0]
            what = FILE_SOURCES.get(s.source, f"a {s.source} file")
            where = f"{tweets} has no newer export of it" if tweets is not None else "no --tweets"
            skipped.append(
                (m, f"@{s.handle} was read from {what} ({where}): refresh it with --tweets DIR")
            )
    return todo, skipped


def _has_file(tweets: Path, handle: str) -> bool:
    try:
        find_tweet_file(tweets, handle)
    except MurmurError:
        return False
    return True


def bot_config(m: ModelManifest, options: dict[str, Any], use_wandb: bool) -> TrainConfig:
    """How the bot was trained (its manifest: base, method, LoRA shape, hyperparameters), with
    the training options given on the command line over it."""
    hp = m.hyperparameters
    fields: dict[str, Any] = {f: hp[k] for k, f in _FROM_HYPERPARAMETERS.items() if k in hp}
    fields.update(base_model=m.base_model, method=m.method, wandb=use_wandb)
    if m.lora:
        fields.update(
            lora_rank=m.lora["rank"], lora_alpha=m.lora["alpha"], lora_targets=m.lora["targets"]
        )
    return TrainConfig.from_json({**fields, **options})


def group_by_config(
    bots: Sequence[tuple[ModelManifest, Path | None]], options: dict[str, Any], use_wandb: bool
) -> list[tuple[TrainConfig, Path | None, list[ModelManifest]]]:
    """The bots, each with the folder it reads from (None: its network), by the way they train
    and that folder (one job each), in the order first seen."""
    groups: dict[str, tuple[TrainConfig, Path | None, list[ModelManifest]]] = {}
    for m, tweets in bots:
        config = bot_config(m, options, use_wandb)
        key = json.dumps([config.to_json(), str(tweets)], sort_keys=True)
        groups.setdefault(key, (config, tweets, []))[2].append(m)
    return list(groups.values())


def confirm_refresh_reads(bots: Sequence[ModelManifest], max_posts: int, yes: bool) -> None:
    """Ask before reading more than CONFIRM_ABOVE X accounts, as `murmur train` does (the
    estimate is an upper bound: a refresh reads only what is new)."""
    x = sorted({h for m in bots for h in m.handles if network_of(h) == "x"})
    if len(x) > CONFIRM_ABOVE:
        ask_before_reads(x_cost_line(x, max_posts), yes)


# --help's groups (the training options are config_options' own group, TRAINING).
BOTS, READING, RUNNING = "Which bots", "Reading new posts", "Where it runs, what it prints"
ADDRESS_HELP = (
    "A Ray cluster's dashboard, http://HEAD:8265: submit the job there (with --wait, follow it "
    "and print the table); or a Ray address, HEAD:6379: run the job from here on that cluster. "
    "Default: an embedded local Ray."
)
SUBMITTED_TWEETS = (
    "--tweets with a submitted refresh (--address http://...): the cluster cannot read {dir}, and "
    "staging the export in the store first would lose which of its posts are new: run this "
    "refresh here, without --address"
)


@app.command()
@config_options(TrainConfig, flag=flag, skip=("wandb", "base_model", "method"))
def refresh(
    names: list[str] = typer.Argument(
        None, metavar="BOT...", help="Bots, as `murmur models` lists them.", show_default=False
    ),
    every: bool = typer.Option(False, "--all", help="Every published bot.", rich_help_panel=BOTS),
    older_than: str | None = typer.Option(
        None,
        "--older-than",
        metavar="AGE",
        help="Only bots whose posts were read longer ago than AGE: 7d, 12h, 30m.",
        rich_help_panel=BOTS,
    ),
    tweets: Path | None = typer.Option(
        None,
        "--tweets",
        help=TWEETS_HELP + " Bots read from files need it.",
        rich_help_panel=READING,
    ),
    check_deleted: bool = typer.Option(
        False,
        "--check-deleted",
        help="Also look for deleted Mastodon posts: one request per cached post. (Bluesky's "
        "are always looked for, 25 a request; X shows none.)",
        rich_help_panel=READING,
    ),
    max_posts: int = typer.Option(
        DEFAULT_MAX_POSTS, "--max-posts", min=1, help=MAX_POSTS_HELP, rich_help_panel=READING
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP, rich_help_panel=READING),
    from_base: bool = typer.Option(
        False,
        "--from-base",
        help="Train from the base on every post (as train --force), not from the current version.",
        rich_help_panel=TRAINING,
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP, rich_help_panel=RUNNING),
    address: str | None = typer.Option(
        None, "--address", envvar="RAY_ADDRESS", help=ADDRESS_HELP, rich_help_panel=RUNNING
    ),
    wait: bool = typer.Option(
        False, "--wait", help="With --address: follow the job to its end.", rich_help_panel=RUNNING
    ),
    no_wandb: bool = typer.Option(
        False, "--no-wandb", help="Do not track with W&B.", rich_help_panel=RUNNING
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON document.", rich_help_panel=RUNNING
    ),
    *,
    options: dict[str, Any],
) -> None:
    """Read published bots' new posts and train each a new version from its current one.

    Each bot continues from its published weights (or adapter) on its new posts and as many of
    its old training posts (at least 100), and trains as it was trained (its base, method and
    hyperparameters; training options given here override them: the defaults shown are
    `murmur train`'s). The table gives each bot's
    new and deleted posts, its kept posts before and after, and its loss on the new posts'
    held-back part and on the last version's validation posts, before and after. Run the same
    command again after an interrupted refresh: the bots it published are skipped. New posts
    are those the current version has not trained or been scored on, so posts read by skipped
    refreshes (or since a rollback) count. With --all, bots read from a file whose newer export
    is not in --tweets are skipped with that reason. Nothing new is no failure: the command
    says `nothing new` and exits 0 (the job succeeds, its bots skipped).

    Examples: `murmur refresh alice.bsky.social --store ./store`;
    `murmur refresh --all --older-than 7d --yes --address http://HEAD:8265 --wait`.
    """
    st = open_store(store, must_exist=True)
    bots = select_bots(st, names or [], every, older_than)
    if not bots:
        typer.echo(f"nothing to refresh: no bot's posts were read more than {older_than} ago")
        return
    submitted = bool(address and address.startswith(("http://", "https://")))
    if submitted and tweets is not None:
        raise ConfigError(SUBMITTED_TWEETS.format(dir=tweets))
    if every:
        sources, unsourced = sort_sources(bots, tweets)
    else:
        check_sources(bots, tweets)
        sources, unsourced = [(m, tweets) for m in bots], []
    try:
        groups = group_by_config(sources, options, not no_wandb)
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    refresh_options = RefreshOptions(from_base=from_base, check_deleted=check_deleted)
    jobs, already_rows = [], [already_row(m, why) for m, why in unsourced]
    for config, folder, members in groups:  # one job each; what an interrupted one published out
        already = already_refreshed(st, members, refresh_options.model_dump())
        already_rows += [already_row(m, already[m.name]) for m in members if m.name in already]
        todo = [m for m in members if m.name not in already]
        if todo:
            jobs.append((config, folder, todo))
    confirm_refresh_reads([m for _, _, todo in jobs for m in todo], max_posts, yes)
    if address and not submitted:  # a Ray address (HEAD:6379): join it, as `murmur train`
        check_ray_address(address)
        os.environ["RAY_ADDRESS"] = address
    records: list[AccountRecord] = []
    for config, folder, todo in jobs:
        request = refresh_request(config, todo, refresh_options, folder, max_posts)
        if submitted and address:
            records += _submit_refresh(request, st, address, wait=wait, as_json=as_json)
            continue
        check_base(config.base_model)
        check_local_gpus(config.gpus_per_worker, flag("gpus_per_worker"))
        # With --json, stdout holds the JSON alone: the workers' prints go to stderr.
        quiet = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
        with quiet:
            outcome = _run_here(request, st, config, show_live=sys.stdout.isatty() and not as_json)
        records += outcome.accounts
    if submitted and not wait and not already_rows:
        return  # submitted: `murmur status` follows it
    report(st, records, as_json, named=not every, already=already_rows)


def refresh_request(
    config: TrainConfig,
    bots: Sequence[ModelManifest],
    options: RefreshOptions,
    tweets: Path | None,
    max_posts: int,
) -> JobRequest:
    """The refresh job of `bots`, which train alike (`config`)."""
    return JobRequest(
        handles=["+".join(m.handles) for m in bots],
        tweets_dir=str(tweets) if tweets is not None else None,
        base_model=config.base_model,
        max_posts=max_posts,
        seed=config.seed,
        use_wandb=config.wandb,
        refresh=options,
        train={
            k: v for k, v in config.to_json().items() if k not in ("base_model", "seed", "wandb")
        },
    )


def _submit_refresh(
    request: JobRequest, st: Store, address: str, *, wait: bool, as_json: bool
) -> list[AccountRecord]:
    """Hand the refresh job to the Ray cluster at `address`; with `wait`, print its log until
    it ends and return its bots' records (for the refresh table), else []. A cluster that
    refuses it is a ConfigError (one line)."""
    job_id = submit_job(request, st, address)
    announce_submitted(job_id, address, st, as_json=as_json, wait=wait)
    if not wait:
        return []
    status = follow_ray_job(address, job_id, err=as_json)
    state = JobState(st, job_id)
    record_ray_end(state, status)
    records = state.read_accounts()
    if not records:
        typer.echo(f"job {job_id}: Ray says {status}", err=True)
        raise typer.Exit(code=0 if status == "SUCCEEDED" else 1)
    return records
