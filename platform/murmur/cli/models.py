"""`murmur models [NAME]`, `murmur card`, `murmur delete`: list, show, read and remove published
models. `murmur models NAME` prints one model with the Python that loads it from any folder
(murmur.models.export.load_lines)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from murmur.cli.main import STORE_HELP, add_name_column, app, confirm, make_console, open_store
from murmur.cli.versions import print_versions
from murmur.core.errors import MurmurError
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store
from murmur.evals import evaluation_section


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def model_bytes(manifest: ModelManifest, store: Store) -> int:
    """What a model weighs in the store: a LoRA bot's adapter (its manifest says), a full model's
    model.safetensors (0 when the store cannot say)."""
    if manifest.method == "lora":
        return manifest.adapter_bytes
    try:
        return int(store.fs.size(f"{store.current_path(manifest.name)}/model.safetensors"))
    except (OSError, TypeError, ValueError):
        return 0


def _size(n: int) -> str:
    """Bytes as people read them: `4.7 MB`, `250 MB`, `1.2 GB` (powers of 1,000); `-` for 0."""
    if n <= 0:
        return "-"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def model_summary(manifest: ModelManifest, store: Store) -> dict[str, Any]:
    """A published model as `murmur models --json` lists it; `size_bytes` is model_bytes'."""
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
        "method": manifest.method,
        "size_bytes": model_bytes(manifest, store),
        "val_loss_before": manifest.val_loss_before,
        "val_loss_after": manifest.val_loss_after,
        "created": manifest.created,
        "path": store.current_path(manifest.name),
    }


@app.command()
def models(
    name: str = typer.Argument(None, help="Show this model and how to load it."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    versions: bool = typer.Option(
        False, "--versions", help="With NAME: list its stored versions, the current one marked."
    ),
) -> None:
    """List the published models with their figures, method (full or lora), size and validation
    losses; with NAME, that model and the Python that loads it from any folder."""
    st = open_store(store, must_exist=True)
    if versions:
        if name is None:
            raise typer.BadParameter("--versions lists one model's versions: give its NAME")
        print_versions(st, name, as_json)
        return
    if name is not None:
        _show(st, name, as_json)
        return
    manifests = st.list_models()
    if as_json:
        doc = [model_summary(m, st) for m in manifests]
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    console = make_console()
    if not manifests:
        console.print(f"no published models in {st.uri}: `murmur train HANDLE` makes one")
        return
    table = Table(title=f"models in {st.uri}")
    add_name_column(table, "model", [m.name for m in manifests])
    for col in ("accounts", "kept tweets", "base", "method", "size", "val loss", "created"):
        right = col in ("kept tweets", "size")
        table.add_column(col, justify="right" if right else "left", overflow="fold")
    for m in manifests:
        table.add_row(
            m.name,
            ", ".join(f"{n} (@{s.handle})" for n, s in zip(m.display_names, m.stats, strict=True)),
            " + ".join(f"{s.tweets_kept:,}" for s in m.stats),
            m.base_model,
            m.method,
            _size(model_bytes(m, st)),
            f"{_loss(m.val_loss_before)} → {_loss(m.val_loss_after)}",
            m.created,
        )
    console.print(table)


def _show(st: Store, name: str, as_json: bool) -> None:
    """`murmur models NAME`: the model's summary, then its load lines (see load_lines)."""
    from murmur.models.export import load_lines

    manifest = st.load_manifest(name)
    summary, load = model_summary(manifest, st), load_lines(st, name)
    if as_json:
        typer.echo(json.dumps({**summary, "load": load}, indent=2, ensure_ascii=False))
        return
    accounts = ", ".join(
        f"{n} (@{s.handle})" for n, s in zip(manifest.display_names, manifest.stats, strict=True)
    )
    lines = [
        f"model     {manifest.name}",
        f"accounts  {accounts}",
        f"base      {manifest.base_model} ({manifest.method})",
        f"size      {_size(summary['size_bytes'])}",
        f"val loss  {_loss(manifest.val_loss_before)} → {_loss(manifest.val_loss_after)}",
        f"created   {manifest.created}",
        f"path      {summary['path']}",
        "",
        "Load it from any folder ("
        + (
            "`murmur export NAME DIR --merged` writes one full model):"
            if manifest.method == "lora"
            else "`murmur export NAME DIR` writes it there):"
        ),
        "",
        load,
    ]
    typer.echo("\n".join(lines))


@app.command()
def card(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Print a published model's card (its README.md)."""
    try:
        st = open_store(store, must_exist=True)
        typer.echo(st.read_card(name), nl=False)
        typer.echo(evaluation_section(st, name), nl=False)  # its latest `murmur eval`, if any
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None


@app.command()
def delete(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Remove a published model from the store (the endpoint stops serving it)."""
    st = open_store(store, must_exist=True)
    confirm(f"delete {name} from {st.uri}?", f"deleting {name}", yes)
    try:
        st.delete_model(name)
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"deleted {name} from {st.uri}")
