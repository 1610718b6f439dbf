"""`murmur prepare`: fetch handles' tweets and report huggingtweets' figures."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from murmur.cli.main import STORE_HELP, app, confirm, make_console, open_store, print_notes
from murmur.core.errors import AuthError
from murmur.core.handles import ModelSpec, parse_model_specs_each
from murmur.core.seeds import DEFAULT_SEED
from murmur.core.store import Store
from murmur.data.consent import CONFIRM_ABOVE, x_cost_line, x_handles_to_read
from murmur.data.prepare import PrepareOutcome, prepare_model
from murmur.data.sources import DEFAULT_MAX_POSTS, check_tweets_dir

TWEETS_HELP = (
    "Folder with <handle>.zip (archive export), .json (Community Archive archive.json), "
    ".js (data/tweets.js) or .jsonl files; alice.bsky.social.json (saved Bluesky feed), "
    "bob@mastodon.social.json (saved statuses)."
)
HANDLES_HELP = (
    "Handles: alice or @alice (X), alice.bsky.social (Bluesky), @bob@mastodon.social "
    "(Mastodon); a+b+c combines up to 3."
)
MAX_POSTS_HELP = (
    "Most recent posts kept per account, from any source (X's API keeps 3,200 at most)."
)
YES_HELP = f"Do not ask before reading more than {CONFIRM_ABOVE} accounts from the paid X API."
REDOWNLOAD_HELP = "Download every post again, ignoring the store's cache."
# `--refresh` meant --redownload until `murmur refresh` (a bot's new posts, a new version) took
# the word: one word, one meaning. The old flag still works, hidden, with one line saying so.
REFRESH_DEPRECATED = (
    "--refresh is now --redownload (`murmur refresh` updates a bot with its new posts)"
)


def redownload_flag(redownload: bool, refresh: bool) -> bool:
    """--redownload, or the deprecated --refresh (which prints one warning line on stderr)."""
    if refresh:
        typer.echo(f"warning: {REFRESH_DEPRECATED}: use --redownload", err=True)
    return redownload or refresh


def confirm_x_reads(
    handles: Iterable[str],
    *,
    tweets_dir: Path | str | None,
    store: Store,
    redownload: bool,
    max_posts: int,
    yes: bool,
) -> list[str]:
    """Before reading more than 10 accounts from the X API (~$0.005 a read): print the estimate
    and ask; `yes` skips the question; without a terminal to ask on, exit 2 in one line.
    Returns the X handles to read (consent.x_handles_to_read)."""
    to_read = x_handles_to_read(handles, tweets_dir=tweets_dir, store=store, refresh=redownload)
    if len(to_read) > CONFIRM_ABOVE:
        ask_before_reads(x_cost_line(to_read, max_posts), yes)
    return to_read


@dataclass(frozen=True)
class XReads:
    """A job's models and the X handles among theirs that the X API would be read for."""

    specs: list[ModelSpec]
    to_read: set[str]


def check_x_token(reads: XReads) -> None:
    """Where every model needs the X API (a handle of it not cached, no --tweets) and no token
    is set, say so now, in one line, rather than after Ray and the job have started (new-user
    trial, 2026-12-07: ~11 s). Raises AuthError."""
    from murmur.data.sources.xapi import TOKEN_ENV  # tweepy: only where a job runs here

    if os.environ.get(TOKEN_ENV, "").strip():
        return
    to_read = reads.to_read
    if all(to_read.intersection(spec.handles) for spec in reads.specs):
        shown = ", ".join(sorted(to_read)[:3]) + (", ..." if len(to_read) > 3 else "")
        raise AuthError(
            f"no X API bearer token to read {shown}: set the environment variable {TOKEN_ENV} "
            "(developer.x.com, your app, 'Keys and tokens'), or read tweets from files with "
            "--tweets DIR"
        )


def ask_before_reads(line: str, yes: bool) -> None:
    """Print the X reads' estimate `line` and ask to go ahead; `yes` skips the question; without
    a terminal to ask on, exit 2 in one line telling to pass --yes."""
    if yes:
        typer.echo(line, err=True)
        return
    confirm(f"{line}. Go ahead?", line, yes)


def read_handles(handles: list[str], handles_file: Path | None) -> list[str]:
    """Handles from the arguments plus a file (one per line, `#` comments). Raises
    typer.BadParameter (a usage error) when there is none or the file cannot be read."""
    out = list(handles)
    if handles_file is not None:
        try:
            text = handles_file.read_text(encoding="utf-8")
        except OSError as e:
            raise typer.BadParameter(
                f"--handles-file {handles_file}: {e.strerror or e}: give a text file with one "
                "handle per line"
            ) from None
        for line in text.splitlines():
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
    handles: list[str] = typer.Argument(None, help=HANDLES_HELP),
    tweets: Path | None = typer.Option(None, "--tweets", help=TWEETS_HELP),
    store: str = typer.Option(None, "--store", help=STORE_HELP),
    handles_file: Path | None = typer.Option(None, "--handles-file", help="One handle per line."),
    redownload: bool = typer.Option(False, "--redownload", help=REDOWNLOAD_HELP),
    refresh: bool = typer.Option(False, "--refresh", hidden=True, help=REFRESH_DEPRECATED),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Seed of the validation split and epoch shuffles."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
    no_wandb: bool = typer.Option(False, "--no-wandb", help="Do not track with Weights & Biases."),
    max_posts: int = typer.Option(DEFAULT_MAX_POSTS, "--max-posts", min=1, help=MAX_POSTS_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help=YES_HELP),
) -> None:
    """Fetch each handle's posts, apply huggingtweets' rules and report the figures."""
    redownload = redownload_flag(redownload, refresh)
    specs, refused = parse_model_specs_each(read_handles(handles or [], handles_file))
    if tweets is not None:
        check_tweets_dir(tweets)
    st = open_store(store)
    every = [h for spec in specs for h in spec.handles]
    confirm_x_reads(
        every, tweets_dir=tweets, store=st, redownload=redownload, max_posts=max_posts, yes=yes
    )
    outcomes = [PrepareOutcome.refused(raw, reason) for raw, reason in refused]
    outcomes += [
        prepare_model(
            spec,
            tweets_dir=tweets,
            store=st,
            redownload=redownload,
            seed=seed,
            use_wandb=not no_wandb,
            max_posts=max_posts,
        )
        for spec in specs
    ]
    if as_json:
        typer.echo(json.dumps([o.to_json() for o in outcomes], indent=2, ensure_ascii=False))
    else:
        print_outcomes(outcomes, make_console())
    fail_line = failures_line(outcomes)
    if fail_line is not None:
        typer.echo(f"error: {fail_line}", err=True)
        raise typer.Exit(code=1)


def failures_line(outcomes: list[PrepareOutcome]) -> str | None:
    """`N of M accounts failed (above)` for stderr: each failure's reason is said once, in the
    report on stdout (or its JSON); None when none failed."""
    failed = [o for o in outcomes if not o.ok]
    if not failed:
        return None
    return f"{len(failed)} of {len(outcomes)} accounts failed (above)"
