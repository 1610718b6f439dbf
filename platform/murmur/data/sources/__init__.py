"""Tweet sources: X API v2 (tweepy), archive exports, JSON lines, Bluesky and Mastodon, all
giving `Account`s.

`load_account` picks the source: with a `--tweets DIR`, a file of that folder; otherwise the
store's cached raw posts (under the canonical handle), or the handle's network — the X API,
Bluesky's AppView (`bluesky`) or the Mastodon instance (`mastodon`) — then cached in the store.
A refresh reads only what is new since the cached read (murmur.data.new_posts, `delta`).

A Bluesky or Mastodon handle's file in `--tweets DIR` is `<canonical handle>.json` in its
network's shape: `alice.bsky.social.json` holds saved getAuthorFeed answers, optionally with the
getProfile answer (`bluesky`); `bob@mastodon.social.json` a saved statuses array (`mastodon`).

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

import difflib
import logging
import os
from dataclasses import replace
from pathlib import Path

from murmur.core.errors import AccountNotFoundError, ConfigError
from murmur.core.handles import network_of, normalize_handle
from murmur.core.store import Store
from murmur.core.tweets import Account
from murmur.data.sources.layouts import FILE_SUFFIXES

log = logging.getLogger(__name__)
__all__ = [
    "DEFAULT_MAX_POSTS",
    "FILE_SUFFIXES",
    "check_tweets_dir",
    "find_tweet_file",
    "load_account",
    "load_file",
    "most_recent",
    "source_env",
]
DEFAULT_MAX_POSTS = 3200  # X's timeline keeps 3,200; the same default for every network
_SAVED_FEEDS = {
    "bluesky": "saved getAuthorFeed answers",
    "mastodon": "a saved statuses array",
}


def check_tweets_dir(tweets_dir: Path | str) -> Path:
    """`--tweets DIR` as a folder. Raises AccountNotFoundError in one line when it is missing or
    is a file (the commands check it before any work; `find_tweet_file` again on each node)."""
    path = Path(tweets_dir)
    if path.is_file():
        raise AccountNotFoundError(
            f"--tweets {tweets_dir} is a file: give the folder that holds "
            "<handle>.zip / .json / .js / .jsonl files"
        )
    if not path.is_dir():
        raise AccountNotFoundError(f"--tweets {tweets_dir}: no such folder")
    return path


def find_tweet_file(tweets_dir: Path, handle: str) -> Path:
    """`DIR/<handle>.zip|.json|.js|.jsonl`, the first found in that order (module docstring).

    Raises AccountNotFoundError in one short line when the folder has none of them: saying the
    folder holds no tweet files at all, or naming the files tried and, when a file's name is
    close to the handle's (difflib.get_close_matches), "did you mean <it>?"; or as
    `check_tweets_dir` when it is no folder.
    """
    check_tweets_dir(tweets_dir)
    by_name = {p.name.lower(): p for p in tweets_dir.iterdir() if p.is_file()}
    network = network_of(handle)
    suffixes = (".json",) if network != "x" else FILE_SUFFIXES
    found = [p for s in suffixes if (p := by_name.get(f"{handle}{s}")) is not None]
    if not found:
        raise AccountNotFoundError(_no_file_line(tweets_dir, handle, network, by_name))
    if len(found) > 1:
        log.warning(
            "@%s: reading %s; ignoring %s",
            handle,
            found[0].name,
            ", ".join(p.name for p in found[1:]),
        )
    return found[0]


def _no_file_line(tweets_dir: Path, handle: str, network: str, by_name: dict[str, Path]) -> str:
    """Why `tweets_dir` has no file for `handle`, in one line (`find_tweet_file`)."""
    stems = {name[: -len(s)] for name in by_name for s in FILE_SUFFIXES if name.endswith(s)}
    if not stems:
        return f"{tweets_dir} holds no tweet files ({', '.join(FILE_SUFFIXES)})"
    if network == "x":
        *first, last = (f"{handle}{suffix}" for suffix in FILE_SUFFIXES)
        expected = f"{', '.join(first)} or {last}"
    else:
        expected = f"{handle}.json ({_SAVED_FEEDS[network]})"
    close = difflib.get_close_matches(handle, sorted(stems), n=1)
    hint = f": did you mean {close[0]}?" if close else ""
    posts = "tweets" if network == "x" else "posts"
    return f"no {posts} for @{handle} in {tweets_dir}: expected {expected}{hint}"


def load_file(path: Path, handle: str) -> Account:
    """An Account from one tweet file, read by its suffix (.zip, .json, .js, else JSON lines).

    Raises ArchiveError (a SourceError) for a malformed file or one in no layout murmur reads.
    """
    from murmur.data.sources.archive import load_archive_zip, load_tweets_js
    from murmur.data.sources.community import load_community_json
    from murmur.data.sources.jsonl import load_jsonl

    if network_of(handle) == "bluesky":
        from murmur.data.sources.bluesky import load_bluesky_file

        return load_bluesky_file(path, handle)
    if network_of(handle) == "mastodon":
        from murmur.data.sources.mastodon import load_mastodon_file

        return load_mastodon_file(path, handle)
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
    max_posts: int = DEFAULT_MAX_POSTS,
) -> Account:
    """An account's raw posts from the chosen source (module docstring); fetched ones are kept
    in the store. Whatever the source (a file, the store's cache, a network), at most the
    `max_posts` most recent posts come back (`most_recent`); the store keeps what was read.

    Raises a SourceError naming the handle (each source's docstring lists which).
    """
    return most_recent(
        _load_uncapped(
            handle, tweets_dir=tweets_dir, store=store, refresh=refresh, max_posts=max_posts
        ),
        max_posts,
    )


def most_recent(account: Account, max_posts: int) -> Account:
    """`account` with its `max_posts` most recent posts (by `created_at`, else by numeric id;
    posts with neither count as oldest), kept in their order; the account itself when it has
    no more. Raises ConfigError for `max_posts` under 1."""
    if max_posts < 1:
        raise ConfigError(f"--max-posts {max_posts}: give at least 1")
    if len(account.tweets) <= max_posts:
        return account

    def age_key(i: int) -> tuple[str, int]:
        tweet = account.tweets[i]
        return (tweet.created_at or "", int(tweet.id) if tweet.id.isdigit() else 0)

    newest = sorted(range(len(account.tweets)), key=age_key, reverse=True)[:max_posts]
    kept = [account.tweets[i] for i in sorted(newest)]
    log.info(
        "@%s: %d of %d posts kept (--max-posts)", account.handle, len(kept), len(account.tweets)
    )
    return replace(account, tweets=kept)


def _load_uncapped(
    handle: str,
    *,
    tweets_dir: Path | str | None,
    store: Store | None,
    refresh: bool,
    max_posts: int,
) -> Account:
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
                "@%s: %d raw tweets from the store (--redownload to read them again)",
                handle,
                len(cached.tweets),
            )
            return cached
    account = fetch_network(handle, max_posts)
    if store is not None:
        store.save_raw(account)
    return account


def fetch_network(handle: str, max_posts: int = DEFAULT_MAX_POSTS) -> Account:
    """Read a canonical handle's account from its network's API (module docstring)."""
    if max_posts < 1:
        raise ConfigError(f"--max-posts {max_posts}: give at least 1")
    network = network_of(handle)
    if network == "bluesky":
        from murmur.data.sources.bluesky import fetch_bluesky

        return fetch_bluesky(handle, max_posts=max_posts)
    if network == "mastodon":
        from murmur.data.sources.mastodon import fetch_mastodon

        return fetch_mastodon(handle, max_posts=max_posts)
    from murmur.data.sources.xapi import fetch_account

    return fetch_account(handle, max_tweets=min(max_posts, DEFAULT_MAX_POSTS))


def source_env() -> dict[str, str]:
    """The sources' settings set in this process's environment, none of them secret: the X
    API's, Bluesky's and Mastodon's addresses and the bound on rate-limit waits. A job hands
    them to its fetch tasks, whose workers (on any node, or started before they were set) may
    not have them."""
    from murmur.data.sources import bluesky, mastodon, web  # not xclient: tweepy is optional

    names = (bluesky.URL_ENV, mastodon.URL_ENV, web.MAX_WAIT_ENV, web.X_URL_ENV)
    return {name: os.environ[name] for name in names if os.environ.get(name)}
