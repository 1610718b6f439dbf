"""Tweet sources: X API v2 (tweepy), archive exports and JSON lines, all giving `Account`s.

`load_account` picks the source: with a `--tweets DIR`, the file `DIR/<handle>.zip`, `.js` or
`.jsonl`; otherwise the store's cached raw tweets, or the X API (then cached in the store).
"""

from __future__ import annotations

import logging
from pathlib import Path

from murmur.data.handles import normalize_handle
from murmur.data.tweets import Account
from murmur.errors import AccountNotFoundError
from murmur.models.store import Store

log = logging.getLogger(__name__)
FILE_SUFFIXES = (".zip", ".js", ".jsonl")


def find_tweet_file(tweets_dir: Path, handle: str) -> Path:
    """`DIR/<handle>.zip|.js|.jsonl` (file names matched case-insensitively)."""
    if not tweets_dir.is_dir():
        raise AccountNotFoundError(f"--tweets {tweets_dir}: no such folder")
    by_name = {p.name.lower(): p for p in tweets_dir.iterdir() if p.is_file()}
    for suffix in FILE_SUFFIXES:
        if (p := by_name.get(f"{handle}{suffix}")) is not None:
            return p
    raise AccountNotFoundError(
        f"no tweets for @{handle} in {tweets_dir}: expected {handle}.zip (archive export), "
        f"{handle}.js (data/tweets.js) or {handle}.jsonl (X API v2 tweet objects)"
    )


def load_file(path: Path, handle: str) -> Account:
    from murmur.data.sources.archive import load_archive_zip, load_tweets_js
    from murmur.data.sources.jsonl import load_jsonl

    suffix = path.suffix.lower()
    if suffix == ".zip":
        return load_archive_zip(path, handle)
    if suffix == ".js":
        return load_tweets_js(path, handle)
    return load_jsonl(path, handle)


def load_account(
    handle: str,
    *,
    tweets_dir: Path | str | None = None,
    store: Store | None = None,
    refresh: bool = False,
) -> Account:
    """An account's raw tweets from the chosen source; fetched ones are kept in the store."""
    handle = normalize_handle(handle)
    if tweets_dir is not None:
        account = load_file(find_tweet_file(Path(tweets_dir), handle), handle)
        if store is not None:
            store.save_raw(account)  # so that other nodes read the same records
        return account
    if store is not None and not refresh:
        cached = store.load_raw(handle)
        if cached is not None:
            log.info(
                "@%s: %d raw tweets from the store (--refresh to download again)",
                handle,
                len(cached.tweets),
            )
            return cached
    from murmur.data.sources.xapi import fetch_account

    account = fetch_account(handle)
    if store is not None:
        store.save_raw(account)
    return account
