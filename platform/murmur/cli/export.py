"""`murmur export NAME DIR [--merged]`: write a published bot to a folder that loads outside
murmur (murmur.models.export): a full model as it is, a LoRA bot's adapter with its base beside
it, or (`--merged`) the adapter merged into its base as one full model."""

from __future__ import annotations

from pathlib import Path

import typer

from murmur.cli.main import STORE_HELP, app, open_store


@app.command()
def export(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    folder: Path = typer.Argument(..., help="A new (or empty) folder to write the model to."),
    merged: bool = typer.Option(
        False, "--merged", help="Merge a LoRA bot into its base: one full model folder."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Write a published model to FOLDER so that transformers (and PEFT, for an adapter) load
    it from any working directory, with no murmur and no store; prints the Python that loads it.
    A LoRA adapter over a local base names FOLDER/base by its absolute path: to move the folder
    to another place or machine, export with --merged (one full model folder)."""
    from murmur.models.export import BASE_DIR, export_model

    done = export_model(open_store(store, must_exist=True), name, folder, merged=merged)
    typer.echo(f"exported {name} to {done.folder}: {done.kind}. Load it with:\n")
    typer.echo(done.load)
    if not done.movable:
        typer.echo(
            f"\nnote: its adapter names its base, {done.folder}/{BASE_DIR}, by that path: to move the "
            "folder, export with --merged instead",
            err=True,
        )
