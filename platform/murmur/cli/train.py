"""`murmur train`, `murmur models`, `murmur card`, `murmur delete`: make and manage models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from murmur.cli import app, make_console
from murmur.cli.prepare import STORE_HELP, TWEETS_HELP, read_handles
from murmur.errors import ConfigError, MurmurError
from murmur.manifest import HandleStats, ModelManifest
from murmur.pipeline import ModelOutcome, run_training
from murmur.store import Store, default_store_uri
from murmur.training import TrainConfig

_DEFAULTS = TrainConfig()


def _store(uri: str | None) -> Store:
    return Store(uri or default_store_uri())


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_outcomes(outcomes: list[ModelOutcome], console: Console) -> None:
    """One row per handle (a combined model spans rows), then each failure's reason."""
    table = Table(title="murmur train")
    cols = ("model", "handle", "downloaded", "retweets", "short", "kept", "val loss", "status")
    for col in cols:
        table.add_column(col, justify="left" if col in ("model", "handle", "status") else "right")
    for o in outcomes:
        if o.ok:
            status = "[green]published[/]" + (" (already)" if o.skipped else "")
        else:
            status = "[red]failed[/]"
        losses = f"{_loss(o.val_loss_before)} → {_loss(o.val_loss_after)}" if o.ok else ""
        rows: list[HandleStats | None] = [*o.stats] or [None]
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
                f"@{s.handle}" if s is not None else "-",
                *figures,
                losses if first else "",
                status if first else "",
            )
    console.print(table)
    for o in outcomes:
        if o.ok and o.path and not o.skipped:
            console.print(f"[green]published[/] {o.model}: {o.path}", soft_wrap=True)
        if o.error:
            console.print(f"[red]failed[/] {o.model}: {o.error}", soft_wrap=True)
        for w in o.warnings:
            console.print(f"[yellow]warning[/] {w}", soft_wrap=True)


@app.command()
def train(
    handles: list[str] = typer.Argument(
        None, help="Handles (@name or name); a+b+c combines up to 3 into one model."
    ),
    tweets: Path | None = typer.Option(None, "--tweets", help=TWEETS_HELP),
    base_model: str = typer.Option(
        _DEFAULTS.base_model, "--base-model", help="Model id or path; `tiny` works offline."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    workers: int = typer.Option(_DEFAULTS.num_workers, "--workers", help="Ray Train workers."),
    gpus_per_worker: float = typer.Option(
        _DEFAULTS.gpus_per_worker, "--gpus-per-worker", help="0 trains on CPUs (fp32)."
    ),
    block_size: int = typer.Option(_DEFAULTS.block_size, "--block-size"),
    micro_batch: int = typer.Option(_DEFAULTS.micro_batch, "--micro-batch"),
    grad_accum: int = typer.Option(_DEFAULTS.grad_accum, "--grad-accum"),
    lr: float = typer.Option(_DEFAULTS.lr, "--lr", help="Peak learning rate (cosine to zero)."),
    zero_stage: int = typer.Option(_DEFAULTS.zero_stage, "--zero-stage"),
    cpu_offload: bool = typer.Option(False, "--cpu-offload", help="Optimizer state on CPU."),
    seed: int = typer.Option(_DEFAULTS.seed, "--seed"),
    handles_file: Path | None = typer.Option(None, "--handles-file", help="One handle per line."),
    force: bool = typer.Option(False, "--force", help="Train again models already published."),
    refresh: bool = typer.Option(False, "--refresh", help="Download tweets again."),
    no_wandb: bool = typer.Option(False, "--no-wandb", help="Do not track with W&B."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Fetch, prepare, fine-tune and publish a model per handle (or a+b+c), in one Ray Train run."""
    try:
        config = TrainConfig(
            base_model=base_model,
            block_size=block_size,
            lr=lr,
            seed=seed,
            micro_batch=micro_batch,
            grad_accum=grad_accum,
            zero_stage=zero_stage,
            cpu_offload=cpu_offload,
            num_workers=workers,
            gpus_per_worker=gpus_per_worker,
            wandb=not no_wandb,
        )
        outcomes = run_training(
            read_handles(handles or [], handles_file),
            store=_store(store),
            config=config,
            tweets_dir=tweets,
            force=force,
            refresh=refresh,
            seed=seed,
        )
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    if as_json:
        typer.echo(json.dumps([o.to_json() for o in outcomes], indent=2, ensure_ascii=False))
    else:
        print_outcomes(outcomes, make_console())
    if not all(o.ok for o in outcomes):
        raise typer.Exit(code=1)


def model_summary(manifest: ModelManifest, store: Store) -> dict[str, Any]:
    """A published model as `murmur models --json` lists it."""
    return {
        "model": manifest.name,
        "handles": [
            {
                "handle": s.handle,
                "display_name": s.display_name,
                "tweets_downloaded": s.tweets_downloaded,
                "retweets": s.retweets,
                "short_tweets": s.short_tweets,
                "tweets_kept": s.tweets_kept,
            }
            for s in manifest.stats
        ],
        "base_model": manifest.base_model,
        "val_loss_before": manifest.val_loss_before,
        "val_loss_after": manifest.val_loss_after,
        "created": manifest.created,
        "path": store.model_path(manifest.name),
    }


@app.command()
def models(
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """List the published models with their figures and validation losses."""
    st = _store(store)
    manifests = [ModelManifest.from_json(m) for m in st.list_models()]
    if as_json:
        doc = [model_summary(m, st) for m in manifests]
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    console = make_console()
    if not manifests:
        console.print(f"no published models in {st.uri}: `murmur train HANDLE` makes one")
        return
    table = Table(title=f"models in {st.uri}")
    for col in ("model", "accounts", "kept tweets", "base", "val loss", "created"):
        table.add_column(col, justify="right" if col == "kept tweets" else "left")
    for m in manifests:
        table.add_row(
            m.name,
            ", ".join(f"{n} (@{s.handle})" for n, s in zip(m.display_names, m.stats, strict=True)),
            " + ".join(f"{s.tweets_kept:,}" for s in m.stats),
            m.base_model,
            f"{_loss(m.val_loss_before)} → {_loss(m.val_loss_after)}",
            m.created,
        )
    console.print(table)


@app.command()
def card(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Print a published model's card (its README.md)."""
    try:
        typer.echo(_store(store).read_card(name), nl=False)
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None


@app.command()
def delete(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Remove a published model from the store (the endpoint stops serving it)."""
    st = _store(store)
    try:
        st.delete_model(name)
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"deleted {name} from {st.uri}")
