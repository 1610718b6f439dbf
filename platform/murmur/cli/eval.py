"""`murmur eval NAME...`: how much each bot writes like its own account (murmur.evals)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from murmur.cli.main import STORE_HELP, add_name_column, app, make_console, open_store
from murmur.core.errors import ConfigError
from murmur.core.seeds import DEFAULT_SEED


def _needs_extra() -> None:
    """The `eval` extra's packages, or one line saying how to install them."""
    try:
        import matplotlib  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        raise ConfigError(
            f"murmur eval needs the eval extra ({e.name} is missing): pip install 'murmur[eval]'"
        ) from None


@app.command("eval")
def eval_command(
    names: list[str] = typer.Argument(..., help="Two or more published bots (`murmur models`)."),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    posts: int = typer.Option(100, "--posts", min=1, help="Posts generated per bot."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="The sampling seed."),
    plot: str = typer.Option(None, "--plot", help="Write the loss and attribution heatmaps here."),
    as_json: bool = typer.Option(False, "--json", help="Print the evaluation record as JSON."),
) -> None:
    """Score bots against each other: each bot's loss on every account's validation posts (nats
    per byte; each account's own-bot rank and margin), attribution of K generated posts per bot by
    a classifier trained on the accounts' training posts (top-1 vs chance), style statistics beside
    the real posts, and copies of training posts. Stored as evals/<id>.json in the store."""
    if plot is not None:
        _check_plot(plot)
    _needs_extra()
    from transformers.utils import logging as hf_logging

    from murmur.evals import save_evaluation
    from murmur.evals.fidelity import EvalSettings, evaluate
    from murmur.evals.heatmap import plot_evaluation

    hf_logging.disable_progress_bar()  # one "Loading weights" bar per bot says nothing here
    st = open_store(store, must_exist=True)
    evaluation = evaluate(st, list(names), EvalSettings(posts=posts, seed=seed))
    doc = evaluation.to_json()
    path = save_evaluation(st, doc)
    if plot is not None:
        plot_evaluation(doc, plot)
    if as_json:
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    console = make_console()
    print_evaluation(console, doc)
    console.print(f"evaluation {evaluation.id} stored in {path}", soft_wrap=True)
    if plot is not None:
        console.print(f"heatmaps written to {plot}", soft_wrap=True)


def _check_plot(plot: str) -> None:
    """--plot's file, checked before any work (the heatmaps are drawn last, after minutes of
    scoring): a .png name in a folder that exists and can be written. Raises ConfigError."""
    path = Path(plot)
    folder = path.parent
    if not plot.lower().endswith(".png"):
        raise ConfigError(f"--plot {plot}: give a file name ending in .png")
    if path.is_dir():
        raise ConfigError(f"--plot {plot}: that is a folder: give a file name ending in .png")
    if not folder.is_dir():
        raise ConfigError(f"--plot {plot}: no such folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"--plot {plot}: the folder {folder} is not writable")


def print_evaluation(console: Console, doc: dict[str, Any]) -> None:
    """The loss matrix, the own ranks, attribution and style, as tables."""
    names = [b["name"] for b in doc["bots"]]
    loss = doc["loss"]
    table = Table(title="Loss (nats per byte) of each bot on each account's validation posts")
    add_name_column(table, "bot \\ account", names)
    for a in names:
        table.add_column(a, justify="right")
    best = {a: min(names, key=lambda b: float(loss[b][a])) for a in names}
    for b in names:
        cells = [f"{loss[b][a]:.3f}{'*' if best[a] == b else ' '}" for a in names]
        table.add_row(b, *cells)
    console.print(table)
    console.print("* lowest in its column")
    ranks = doc["ranks"]
    wins = sum(1 for r in ranks if r["rank"] == 1)
    console.print(f"own bot ranked 1 on {wins} of {len(ranks)} accounts")
    for r in ranks:
        console.print(
            f"  {r['account']}: rank {r['rank']}, margin {r['margin']:+.4f} nats/byte to "
            f"{r['best_other']}",
            soft_wrap=True,
        )
    _print_attribution(console, doc, names)
    _print_style(console, doc, names)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _print_attribution(console: Console, doc: dict[str, Any], names: list[str]) -> None:
    att = doc["attribution"]
    table = Table(title="Attribution of generated posts (copies left out)")
    add_name_column(table, "bot", names)
    for header in ("posts", "copies", "attributed", "top-1", "most often taken for"):
        table.add_column(header, justify="right")
    posts = doc["settings"]["posts"]
    for b in names:
        row = att["confusion"][b]
        top = max(row, key=lambda a: row[a]) if any(row.values()) else "-"
        table.add_row(
            b,
            str(posts),
            _percent(att["copies"][b]),
            str(att["attributed"][b]),
            _percent(att["accuracy"][b]),
            top,
        )
    console.print(table)
    console.print(f"overall top-1 {_percent(att['overall'])}, chance {att['chance']:.1%}")
    for b, shown in att["examples"].items():
        for text in shown:
            console.print(f"  copy by {b}: {text}", soft_wrap=True, markup=False)


def _print_style(console: Console, doc: dict[str, Any], names: list[str]) -> None:
    table = Table(title="Style: real training posts / generated posts")
    add_name_column(table, "bot", names)
    for header in ("length (chars)", "mention", "hashtag", "emoji", "distinct words"):
        table.add_column(header, justify="right")
    for b in names:
        real, gen = doc["style"][b]["real"], doc["style"][b]["generated"]
        table.add_row(
            b,
            f"{real['length']:.0f} / {gen['length']:.0f}",
            *(f"{_percent(real[k])} / {_percent(gen[k])}" for k in ("mention", "hashtag", "emoji")),
            f"{real['distinct']:.2f} / {gen['distinct']:.2f}",
        )
    console.print(table)
