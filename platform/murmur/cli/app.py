"""The typer app every `murmur` command registers on, and the helpers they share."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Protocol

import typer
from rich.console import Console

from murmur.models.store import Store, default_store_uri

STORE_HELP = "Store URI (local folder, s3://, gs://); default $MURMUR_STORE or ./murmur-store."

app = typer.Typer(
    name="murmur",
    help="Fine-tune GPT-2 on many accounts' tweets on Ray; serve every model behind one endpoint.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details."),
) -> None:
    """murmur: many tweet bots, one endpoint."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def open_store(uri: str | None) -> Store:
    """The store a command's --store names, else $MURMUR_STORE, else ./murmur-store."""
    return Store(uri or default_store_uri())


def make_console() -> Console:
    """A rich console; when output is not a terminal, wide enough that tables are not cut."""
    return Console() if sys.stdout.isatty() else Console(width=200)


class _Noted(Protocol):
    """A model's outcome as a command reports it (PrepareOutcome, AccountRecord)."""

    @property
    def model(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def warnings(self) -> list[str]: ...


def print_notes(console: Console, outcomes: Sequence[_Noted]) -> None:
    """Below a command's table: each failure's reason and each warning, one line each."""
    for o in outcomes:
        if o.error:
            console.print(f"[red]failed[/] {o.model}: {o.error}", soft_wrap=True)
        for w in o.warnings:
            console.print(f"[yellow]warning[/] {w}", soft_wrap=True)
