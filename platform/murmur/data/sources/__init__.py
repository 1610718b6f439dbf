"""Tweet sources: X API v2 (tweepy), archive exports and JSON lines, all giving `Account`s.

`load_account` picks the source: with a `--tweets DIR`, a file of that folder; otherwise the
store's cached raw tweets, or the X API (then cached in the store).

In `--tweets DIR`, the files of a handle are looked up in this order, the first found is read
(file names compared case-insensitively; `layouts.FILES`):

1. `<handle>.zip`   an X archive export: `data/tweets.js` (since 2018; `archive`) or
                    `data/js/tweets/YYYY_MM.js` (before 2018; `grailbird`)
2. `<handle>.json`  the Community Archive's archive.json (`community`)
3. `<handle>.js`    an export's `data/tweets.js` on its own (`archive`)
4. `<handle>.jsonl` X API v2 tweet objects, one a line (`jsonl`)

The most complete file comes first: an export .zip has the profile and long tweets' whole text
(`notes`); archive.json is made from one; a bare tweets.js may lack both. When a handle has
several, the others are ignored and a warning names them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from murmur.data.handles import normalize_handle
from murmur.data.sources.layouts import FILE_SUFFIXES, layouts_read
from murmur.data.tweets import Account
from murmur.errors import AccountNotFoundError
from murmur.models.store import Store

log = logging.getLogger(__name__)
__all__ = ["FILE_SUFFIXES", "find_tweet_file", "load_account", "load_file"]


def find_tweet_file(tweets_dir: Path, handle: str) -> Path:
    """`DIR/<handle>.zip|.json|.js|.jsonl`, the first found in that order (module docstring).

    Raises AccountNotFoundError, listing the files accepted, when the folder has none of them.
    """
    if not tweets_dir.is_dir():
        raise AccountNotFoundError(f"--tweets {tweets_dir}: no such folder")
    by_name = {p.name.lower(): p for p in tweets_dir.iterdir() if p.is_file()}
    found = [p for s in FILE_SUFFIXES if (p := by_name.get(f"{handle}{s}")) is not None]
    if not found:
        raise AccountNotFoundError(
            f"no tweets for @{handle} in {tweets_dir}: expected one of, first found read, "
            f"{layouts_read(handle)}"
        )
    if len(found) > 1:
        log.warning(
            "@%s: reading %s; ignoring %s",
            handle,
            found[0].name,
            ", ".join(p.name for p in found[1:]),
        )
    return found[0]


def load_file(path: Path, handle: str) -> Account:
    """An Account from one tweet file, read by its suffix (.zip, .json, .js, else JSON lines).

    Raises ArchiveError (a SourceError) for a malformed file or one in no layout murmur reads.
    """
    from murmur.data.sources.archive import load_archive_zip, load_tweets_js
    from murmur.data.sources.community import load_community_json
    from murmur.data.sources.jsonl import load_jsonl

    suffix = path.suffix.lower()
    if suffix == ".zip":
        return load_archive_zip(path, handle)
    if suffix == ".json":
        return load_community_json(path, handle)
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
