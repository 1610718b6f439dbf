"""`murmur optout`: put handles on the store's denylist and take down their published bots."""

from __future__ import annotations

import json

import typer

from murmur.cli.main import STORE_HELP, app, open_store
from murmur.core.errors import HandleError
from murmur.core.handles import normalize_handle
from murmur.data.consent import opt_out


@app.command()
def optout(
    handles: list[str] = typer.Argument(
        ..., help="Handles on any network: alice, alice.bsky.social, @bob@mastodon.social."
    ),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Refuse future training of these handles, and delete their published bots and cached posts."""
    try:
        canonical = sorted({normalize_handle(h) for h in handles})
    except HandleError as e:
        raise typer.BadParameter(str(e)) from None
    deleted = opt_out(open_store(store), canonical)
    if as_json:
        typer.echo(json.dumps({"opted_out": canonical, "deleted_models": deleted}, indent=2))
        return
    typer.echo(f"opted out: {', '.join('@' + h for h in canonical)}")
    typer.echo(f"deleted bots: {', '.join(deleted) if deleted else 'none'}")
