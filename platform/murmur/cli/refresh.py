"""`murmur refresh NAME... | --all [--older-than 7d]`: bring published bots up to date with their
accounts' new posts, each as a new version of the bot.

A refresh is a training job (murmur.jobs: queued, paced, leased, `murmur status`, cancel) whose
prepare step reads only each account's new posts (murmur.data.refresh_plan) and whose trainers
continue from the bot's published weights or adapter (or, `--from-base`, train from the base on
every post). Each bot trains as it was trained: its base, method and hyperparameters come from
its manifest (training options given here override them, e.g. --max-steps). Bots trained
differently go in consecutive jobs, one per way of training.

Wrong input ends in one line before any read: a bot not published, a bot read from a file
without `--tweets DIR` (its newer export), a bad `--older-than`. A refresh of named bots where
none had enough new posts ends `error: nothing new: ...` (exit 1); with `--all` that is no error.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from murmur.cli.config_options import config_options
from murmur.cli.main import STORE_HELP, add_name_column, app, make_console, open_store
from murmur.cli.prepare import MAX_POSTS_HELP, TWEETS_HELP, YES_HELP, ask_before_reads
from murmur.cli.train import _run_here, _submit
from murmur.core.clock import parse_stamp
from murmur.core.errors import ConfigError, ModelNotFoundError
from murmur.core.handles import network_of
from murmur.core.manifest import ModelManifest
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.consent import CONFIRM_ABOVE, x_cost_line
from murmur.data.new_posts import FILE_SOURCES, NETWORK_SOURCES
from murmur.data.sources import DEFAULT_MAX_POSTS, check_tweets_dir
from murmur.jobs import AccountRecord, JobRequest
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
    bots: Sequence[ModelManifest], options: dict[str, Any], use_wandb: bool
) -> list[tuple[TrainConfig, list[ModelManifest]]]:
    """The bots by the way they train (one job each), in the order first seen."""
    groups: dict[str, tuple[TrainConfig, list[ModelManifest]]] = {}
    for m in bots:
        config = bot_config(m, options, use_wandb)
        key = json.dumps(config.to_json(), sort_keys=True)
        groups.setdefault(key, (config, []))[1].append(m)
    return list(groups.values())


def confirm_refresh_reads(bots: Sequence[ModelManifest], max_posts: int, yes: bool) -> None:
    """Ask before reading more than CONFIRM_ABOVE X accounts, as `murmur train` does (the
    estimate is an upper bound: a refresh reads only what is new)."""
    x = sorted({h for m in bots for h in m.handles if network_of(h) == "x"})
    if len(x) > CONFIRM_ABOVE:
        ask_before_reads(x_cost_line(x, max_posts), yes)


@app.command()
@config_options(TrainConfig, flag=flag, skip=("wandb", "base_model", "method"))
def refresh(
    names: list[str] = typer.Argument(None, help="Bots, as `murmur models` lists them."),
    every: bool = typer.Option(False, "--all", help="Every published bot."),
    older_than: str | None = typer.Option(
        None, "--older-than", help="Only bots whose posts were read longer ago: 7d, 12h, 30m."
    ),
    from_base: bool = typer.Option(
        False, "--from-base", help="Train from the base on every post (as train --force)."
    ),
    check_deleted: bool = typer.Option(
        False, "--check-deleted", help="Also look for deleted Mastodon posts (a read each)."
    ),
    tweets: Path | None = typer.Option(None, "--tweets", help=TWEETS_HELP),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    max_posts: int = typer.Option(DEFAULT_MAX_POSTS, "--max-posts", min=1, help=MAX_POSTS_HELP),
    no_wandb: bool = typer.Option(False, "--no-wandb", help="Do not track with W&B."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    address: str | None = typer.Option(
        None, "--address", envvar="RAY_ADDRESS", help="A Ray cluster, as for `murmur train`."
    ),
    wait: bool = typer.Option(False, "--wait", help="With --address: follow the job to its end."),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP),
    *,
    options: dict[str, Any],
) -> None:
    """Read published bots' new posts and train each a new version from its current one."""
    st = open_store(store)
    bots = select_bots(st, names or [], every, older_than)
    if not bots:
        typer.echo(f"nothing to refresh: no bot's posts were read more than {older_than} ago")
        return
    check_sources(bots, tweets)
    submitted = bool(address and address.startswith(("http://", "https://")))
    if submitted and tweets is not None:
        raise typer.BadParameter("--tweets with a submitted refresh: run it here (no --address)")
    try:
        groups = group_by_config(bots, options, not no_wandb)
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    confirm_refresh_reads(bots, max_posts, yes)
    records: list[AccountRecord] = []
    for config, members in groups:
        request = JobRequest(
            handles=["+".join(m.handles) for m in members],
            tweets_dir=str(tweets) if tweets is not None else None,
            base_model=config.base_model,
            max_posts=max_posts,
            seed=config.seed,
            use_wandb=config.wandb,
            refresh=RefreshOptions(from_base=from_base, check_deleted=check_deleted),
            train={
                k: v
                for k, v in config.to_json().items()
                if k not in ("base_model", "seed", "wandb")
            },
        )
        if submitted and address:
            _submit(request, st, address, wait=wait, as_json=as_json)
            continue
        check_base(config.base_model)
        outcome = _run_here(request, st, config, show_live=sys.stdout.isatty() and not as_json)
        records += outcome.accounts
    if not submitted:
        _report(st, records, as_json, named=not every)


def refresh_row(st: Store, record: AccountRecord) -> dict[str, Any]:
    """One bot's outcome as `--json` gives it: its status (published, skipped, taken down,
    failed), the reason, its version now, its figures before and after, the refresh record
    (new and deleted posts, reads) and, once published, its losses before and after."""
    refresh_doc: dict[str, Any] = dict(record.result.get("refresh") or {})
    status = record.state.value
    if record.result.get("taken_down"):
        status = "taken down"
    version = None
    if record.state == ModelState.PUBLISHED:
        try:
            manifest = st.load_manifest(record.model)
            version = manifest.version
            if manifest.refresh is not None:
                refresh_doc = manifest.refresh.to_json()
        except ModelNotFoundError:
            pass
    return {
        "model": record.model,
        "status": status,
        "reason": record.reason if not record.ok else None,
        "version": version,
        "stats": record.result.get("stats", []),
        "refresh": refresh_doc,
        "taken_down": record.result.get("taken_down", []),
        "report": record.result.get("report", []),
    }


def _loss_pair(r: dict[str, Any], which: str) -> str:
    before, after = r.get(f"val_loss_{which}_before"), r.get(f"val_loss_{which}_after")
    if before is None and after is None:
        return ""
    return f"{before:.3f} → {after:.3f}" if before is not None and after is not None else "-"


def _print_table(rows: list[dict[str, Any]]) -> None:
    table = Table(title="murmur refresh")
    add_name_column(table, "model", [r["model"] for r in rows])
    for col in ("new", "deleted", "kept", "loss new posts", "loss old posts", "status"):
        table.add_column(col, justify="left" if col == "status" else "right")
    for r in rows:
        ref = r["refresh"]
        kept = " ".join(f"{s['tweets_kept']:,}" for s in r["stats"])
        before = " ".join(f"{s['tweets_kept']:,}" for s in ref.get("previous_stats", []))
        status = r["status"] + (f" {r['version']}" if r["version"] else "")
        table.add_row(
            r["model"],
            f"{sum(ref.get('new_posts', {}).values()):,}" if ref else "",
            f"{sum(ref.get('deleted_posts', {}).values()):,}" if ref else "",
            f"{before} → {kept}" if before else kept,
            _loss_pair(ref, "new"),
            _loss_pair(ref, "old"),
            status,
        )
    console = make_console()
    console.print(table)
    for r in rows:
        for line in r["report"]:
            console.print(line, soft_wrap=True, markup=False, highlight=False)
        if r["reason"]:
            console.print(
                f"{r['status']} {r['model']}: {r['reason']}", soft_wrap=True, markup=False
            )


def _report(st: Store, records: list[AccountRecord], as_json: bool, *, named: bool) -> None:
    """The table (or JSON) of every bot; exit 1 when one failed, or when named bots had nothing
    new at all (module docstring)."""
    rows = [refresh_row(st, r) for r in records]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _print_table(rows)
    if any(r.state in (ModelState.FAILED, ModelState.CANCELLED) for r in records):
        raise typer.Exit(code=1)
    skipped = [
        r for r in records if r.state == ModelState.SKIPPED and not r.result.get("taken_down")
    ]
    if named and records and len(skipped) == len(records):
        typer.echo(f"error: nothing new: {skipped[0].model}: {skipped[0].reason}", err=True)
        raise typer.Exit(code=1)
