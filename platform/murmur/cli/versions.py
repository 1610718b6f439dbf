"""A published model's stored versions: `murmur models NAME --versions` lists them (the table
`version_rows` makes), `murmur rollback NAME VERSION` makes an older one current again
(murmur.core.store.Store.rollback_model: the pointer rule of a publish)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from murmur.cli.main import STORE_HELP, app, confirm, make_console, open_store
from murmur.core.errors import ModelNotFoundError, MurmurError
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store


def version_rows(st: Store, name: str) -> list[dict[str, Any]]:
    """The versions `name` keeps, current first: {"version", "current", "published" (the
    manifest's `created`, ISO 8601 UTC), "method" (`full` or `lora`), "base_model",
    "tweets_kept" {handle: count}, "val_loss_after"}. A
    version whose manifest cannot be read is listed with its name only. Raises
    ModelNotFoundError where the model is not published."""
    versions = st.list_versions(name)
    if not versions:
        raise ModelNotFoundError(
            f"no published model {name!r} in {st.uri}: `murmur models` lists them"
        )
    current = st.resolve_version(name)
    rows: list[dict[str, Any]] = []
    for version in versions:
        row: dict[str, Any] = {"version": version, "current": version == current}
        try:
            m = ModelManifest.from_json(st.version_manifest(name, version))
        except (MurmurError, TypeError, KeyError):
            unread = {"published": None, "method": None, "base_model": None}
            rows.append({**row, **unread, "tweets_kept": {}, "val_loss_after": None})
            continue
        kept = {s.handle: s.tweets_kept for s in m.stats}
        how = {"published": m.created, "method": m.method, "base_model": m.base_model}
        rows.append({**row, **how, "tweets_kept": kept, "val_loss_after": m.val_loss_after})
    return rows


def print_versions(st: Store, name: str, as_json: bool) -> None:
    """`murmur models NAME --versions`: a table (or JSON list) of version_rows, the current one
    marked `*`. Raises ModelNotFoundError where the model is not published."""
    rows = version_rows(st, name)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"versions of {name} in {st.uri} (* current)")
    for col in ("", "version", "published", "method", "base", "kept tweets", "val loss"):
        table.add_column(col, justify="right" if col == "kept tweets" else "left")
    for r in rows:
        loss = r["val_loss_after"]
        table.add_row(
            "*" if r["current"] else "",
            r["version"],
            r["published"] or "-",
            r["method"] or "-",
            r["base_model"] or "-",
            ", ".join(f"@{h} {n:,}" for h, n in r["tweets_kept"].items()) or "-",
            "-" if loss is None else f"{loss:.3f}",
        )
    make_console().print(table)


@app.command()
def rollback(
    name: str = typer.Argument(..., help="A model name, as `murmur models` lists it."),
    version: str = typer.Argument(
        ..., help="A version, as `murmur models NAME --versions` lists it."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Make an older stored version of a model current again; the endpoint serves it within its
    catalog refresh. The replaced version stays kept, so a second rollback undoes the first."""
    try:
        st = open_store(store, must_exist=True)
        current = st.resolve_version(name)
        question = f"make version {version} of {name} current (now {current})?"
        confirm(question, f"rolling {name} back", yes)
        st.rollback_model(name, version)
    except MurmurError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"{name}: version {version} is current (was {current})")
