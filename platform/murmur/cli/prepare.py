"""`murmur prepare`: fetch handles' tweets and report huggingtweets' figures."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from murmur.cli.app import STORE_HELP, app, make_console, open_store, print_notes
from murmur.data.handles import parse_model_specs_each
from murmur.data.prepare import PrepareOutcome, prepare_model
from murmur.seeds import DEFAULT_SEED

TWEETS_HELP = "Folder with <handle>.zip (archive export), .js (data/tweets.js) or .jsonl files."


def read_handles(handles: list[str], handles_file: Path | None) -> list[str]:
    """Handles from the arguments plus a file (one per line, `#` comments)."""
    out = list(handles)
    if handles_file is not None:
        for line in handles_file.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    if not out:
        raise typer.BadParameter("give at least one handle (or --handles-file)")
    return out


def print_outcomes(outcomes: list[PrepareOutcome], console: Console) -> None:
    """A table of the figures, then each failure's reason and each warning on its own line."""
    table = Table(title="murmur prepare")
    for col in ("model", "handle", "downloaded", "retweets", "short", "kept", "chars", "status"):
        left = col in ("model", "handle", "status")
        table.add_column(col, justify="left" if left else "right", no_wrap=True)
    for o in outcomes:
        status = "[green]ok[/]" if o.ok else "[red]failed[/]"
        if not o.stats:
            table.add_row(o.model, "-", "", "", "", "", "", status)
        for i, s in enumerate(o.stats):
            table.add_row(
                o.model if i == 0 else "",
                f"@{s.handle}",
                f"{s.tweets_downloaded:,}",
                f"{s.retweets:,}",
                f"{s.short_tweets:,}",
                f"{s.tweets_kept:,}",
                f"{s.kept_chars:,}",
                status if i == 0 else "",
            )
    console.print(table)
    print_notes(console, outcomes)


@app.command()
def prepare(
    handles: list[str] = typer.Argument(
        None, help="Handles (@name or name); a+b+c combines up to 3."
    ),
    tweets: Path | None = typer.Option(None, "--tweets", help=TWEETS_HELP),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    handles_file: Path | None = typer.Option(None, "--handles-file", help="One handle per line."),
    refresh: bool = typer.Option(
        False, "--refresh", help="Download again, ignoring the store's cache."
    ),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Seed of the validation split and epoch shuffles."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    no_wandb: bool = typer.Option(False, "--no-wandb", help="Do not track with Weights & Biases."),
) -> None:
    """Fetch each handle's tweets, apply huggingtweets' rules and report the figures."""
    specs, refused = parse_model_specs_each(read_handles(handles or [], handles_file))
    st = open_store(store)
    outcomes = [PrepareOutcome.refused(raw, reason) for raw, reason in refused]
    outcomes += [
        prepare_model(
            spec, tweets_dir=tweets, store=st, refresh=refresh, seed=seed, use_wandb=not no_wandb
        )
        for spec in specs
    ]
    if as_json:
        typer.echo(json.dumps([o.to_json() for o in outcomes], indent=2, ensure_ascii=False))
    else:
        print_outcomes(outcomes, make_console())
    if not all(o.ok for o in outcomes):
        raise typer.Exit(code=1)
