"""A refresh's read of one handle: only the posts published since the cached read,
merged by id into the store's cached raw posts, the deletions found, and the figures to report.

How each source reads "since", and what it can tell of deletions:

- X: the timeline's `since_id` = the newest cached tweet (xapi.read_x). X shows no deletions.
- Bluesky: the author feed until the first cached post's URI; then the cached URIs asked of
  getPosts, 25 a call (bluesky.read_bluesky).
- Mastodon: statuses with `since_id` = the newest cached status; deletions only with
  `check_deleted`: one request per cached status (mastodon.read_mastodon).
- Files (`--tweets DIR`: archives, JSON lines, saved feeds): the newer export replaces the cached
  copy; new = its ids not cached before, deleted = cached ids it lacks. Posts cached from a file
  are refreshed only from a newer file: without one it is a SourceError.

Consent is checked on every read, before the network is asked: the store's denylist
(`murmur optout`), then the profile's opt-out (label, setting or bio tag), which costs no extra
request: the profile is read anyway. Either raises OptedOutError; the caller takes the bot down.

The merged posts (new first, then the cached ones not deleted) are capped to the `max_posts`
most recent (`most_recent`) and saved in the store with `read_at`, the time of this read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from murmur.core.clock import utc_stamp
from murmur.core.errors import ConfigError, SourceError
from murmur.core.handles import network_of, normalize_handle
from murmur.core.manifest import HandleStats
from murmur.core.store import Store
from murmur.core.tweets import Account
from murmur.data import rules
from murmur.data.consent import refuse_if_denied
from murmur.data.prepare import handle_stats
from murmur.data.sources import DEFAULT_MAX_POSTS, find_tweet_file, load_file, most_recent
from murmur.data.sources.delta import NewRead

log = logging.getLogger(__name__)
__all__ = ["PostsUpdate", "read_new_posts", "report_lines", "stats_of"]

NETWORK_SOURCES = frozenset({"x-api", "bluesky", "mastodon"})
REPLACED = "the newer export replaces the cache"
# What each file source is, for the one-line error when no newer export is given.
FILE_SOURCES = {
    "archive": "an X archive",
    "jsonl": "a JSON lines file of X API tweets",
    "bluesky-file": "a saved Bluesky feed",
    "mastodon-file": "saved Mastodon statuses",
    "synthetic": "murmur's synthetic posts",
}


@dataclass
class PostsUpdate:
    """One refresh read of one handle."""

    handle: str
    account: Account  # the merged posts as now cached: cached + new - deleted, capped
    new_ids: list[str]  # ids of posts that were not cached before (newest first)
    deleted_ids: list[str]  # ids of cached posts found deleted (removed from `account`)
    deletions: str  # how deletions were looked for, one phrase for the report
    reads: int  # requests made to the network for this read (0 for a file)
    read_at: str  # UTC ISO 8601 ending in Z (murmur.core.clock.utc_stamp): this read
    previous_read_at: str | None  # when the cached posts were read (None: nothing cached)

    @property
    def new_posts(self) -> list[str]:
        """The new posts' raw texts, newest first (for training on what is new)."""
        new = set(self.new_ids)
        return [t.text for t in self.account.tweets if t.id in new]


def read_new_posts(
    handle: str,
    store: Store,
    *,
    tweets_dir: Path | str | None = None,
    check_deleted: bool = False,
    max_posts: int = DEFAULT_MAX_POSTS,
) -> PostsUpdate:
    """Reads only what is new since the cached read, merges it by id into the store's cached
    raw posts and saves them (with `read_at`); reads everything when nothing is cached, as
    `load_account` does (module docstring). `check_deleted` asks Mastodon about every cached
    status (one request each); Bluesky's deletions are always checked, X's cannot be.

    Raises OptedOutError (denylist or profile), ConfigError (`max_posts` under 1), SourceError
    when the cached posts came from a file and no `tweets_dir` is given, and every error of the
    handle's source, each in one line naming the handle.
    """
    if max_posts < 1:
        raise ConfigError(f"--max-posts {max_posts}: give at least 1")
    handle = normalize_handle(handle)
    refuse_if_denied(store, handle)
    cached = store.load_raw(handle)
    read_at = utc_stamp()
    if tweets_dir is not None:
        read = _read_export(handle, Path(tweets_dir), cached)
    elif cached is not None and cached.source not in NETWORK_SOURCES:
        raise SourceError(_export_needed(handle, cached.source))
    else:
        read = _read_network(handle, cached, check_deleted=check_deleted, max_posts=max_posts)
    merged = most_recent(_merged(cached, read), max_posts)
    merged = replace(merged, read_at=read_at)
    store.save_raw(merged)
    before = {t.id for t in cached.tweets} if cached is not None else set()
    new_ids = [t.id for t in merged.tweets if t.id not in before]
    log.info(
        "@%s: %d new posts, %d deleted (%s), %d requests",
        handle,
        len(new_ids),
        len(read.deleted_ids),
        read.deletions,
        read.reads,
    )
    return PostsUpdate(
        handle=handle,
        account=merged,
        new_ids=new_ids,
        deleted_ids=read.deleted_ids,
        deletions=read.deletions,
        reads=read.reads,
        read_at=read_at,
        previous_read_at=cached.read_at if cached is not None else None,
    )


def _read_network(
    handle: str, cached: Account | None, *, check_deleted: bool, max_posts: int
) -> NewRead:
    """The handle's network's refresh read (module docstring)."""
    network = network_of(handle)
    if network == "bluesky":
        from murmur.data.sources.bluesky import read_bluesky

        return read_bluesky(handle, cached, max_posts=max_posts)
    if network == "mastodon":
        from murmur.data.sources.mastodon import read_mastodon

        return read_mastodon(handle, cached, max_posts=max_posts, check_deleted=check_deleted)
    from murmur.data.sources.xapi import API_MAX_TWEETS, read_x

    return read_x(handle, cached, max_posts=min(max_posts, API_MAX_TWEETS))


def _read_export(handle: str, tweets_dir: Path, cached: Account | None) -> NewRead:
    """A newer export of `handle` in `tweets_dir`: it replaces the cached posts; the cached
    ids it lacks are the deleted ones."""
    export = load_file(find_tweet_file(tweets_dir, handle), handle)
    if cached is None:
        return NewRead(export, deleted_ids=[], deletions="nothing cached", reads=0)
    kept = {t.id for t in export.tweets}
    deleted = [t.id for t in cached.tweets if t.id not in kept]
    return NewRead(export, deleted_ids=deleted, deletions=REPLACED, reads=0)


def _merged(cached: Account | None, read: NewRead) -> Account:
    """The read's profile with its posts, then (unless an export replaces them) the cached
    posts it does not hold and that were not found deleted; ids kept once, the read's first."""
    if cached is None or read.deletions == REPLACED:
        return read.account
    gone = set(read.deleted_ids) | {t.id for t in read.account.tweets}
    old = [t for t in cached.tweets if t.id not in gone]
    extra = {**cached.extra, **read.account.extra}
    return replace(read.account, tweets=[*read.account.tweets, *old], extra=extra)


def _export_needed(handle: str, source: str) -> str:
    """The one line for posts cached from a file, refreshed without a newer one."""
    what = FILE_SOURCES.get(source, f"a file (source {source!r})")
    return f"@{handle} was read from {what}: give a newer export with --tweets DIR"


def stats_of(account: Account) -> HandleStats:
    """huggingtweets' four figures of an account's posts (murmur.data.rules), as the card and
    the manifest record them (data.prepare.handle_stats)."""
    return handle_stats(account.handle, account, rules.filter_tweets(account.tweets))


_FIGURES = (
    ("tweets downloaded", "tweets_downloaded"),
    ("retweets", "retweets"),
    ("short tweets", "short_tweets"),
    ("tweets kept", "tweets_kept"),
)


def report_lines(
    update: PostsUpdate, stats_before: HandleStats | None, stats_after: HandleStats
) -> list[str]:
    """What a refresh prints for one handle: a summary line (new and deleted posts, how
    deletions were looked for, requests, when read), then huggingtweets' four figures before
    and after ("-" before where nothing was cached), then the new posts' own figures."""
    new = set(update.new_ids)
    fresh = rules.filter_tweets([t for t in update.account.tweets if t.id in new])
    previous = f" (before: {update.previous_read_at})" if update.previous_read_at else ""
    lines = [
        f"@{update.handle}: {len(update.new_ids):,} new posts, {len(update.deleted_ids):,} "
        f"deleted (deletions: {update.deletions}); {update.reads:,} requests; "
        f"read {update.read_at}{previous}",
        f"  {'':<18} {'before':>8} {'after':>8}",
    ]
    for label, name in _FIGURES:
        old = f"{getattr(stats_before, name):,}" if stats_before is not None else "-"
        lines.append(f"  {label:<18} {old:>8} {getattr(stats_after, name):>8,}")
    lines.append(
        f"  new posts: {fresh.tweets_downloaded:,} ({fresh.retweets:,} retweets, "
        f"{fresh.short_tweets:,} short, {fresh.tweets_kept:,} kept)"
    )
    return lines
