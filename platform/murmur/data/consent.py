"""Consent: the ways an account opts out of bots, all refused in one line (`OptedOutError`).

- Its profile says so: Bluesky's `!no-unauthenticated` label (the owner asked apps not to show
  their posts to logged-out viewers); Mastodon's `noindex: true` or `discoverable: false`; on
  any network, `#nobot` or `#noai` in the bio (the fediverse's convention for "no bots here").
- murmur's denylist: `<store>/optout.json`, `{"handles": [canonical handle, ...]}`, written by
  `murmur optout HANDLE...`. A listed handle is never prepared again, on any network, and its
  published models (every model whose handles include it) and cached raw posts are deleted.

X's estimated read cost is here too: it is the other reason `murmur prepare` asks first. A
refresh reads only what is new, so its estimate (`x_refresh_reads`) follows each account's
posting rate since its posts were read.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable

from murmur.core.clock import parse_stamp
from murmur.core.errors import OptedOutError
from murmur.core.handles import network_of, normalize_handle
from murmur.core.store import Store
from murmur.core.tweets import Account

OPTOUT_FILE = "optout.json"
BIO_TAGS = ("#nobot", "#noai")
_BIO_TAG_RE = re.compile(r"(?<![\w#])#(nobot|noai)(?!\w)", re.IGNORECASE)
X_READ_USD = 0.005  # X API v2 pay-per-use, about $0.005 a read (X's developer pricing, 2026)
X_PAGE = 100  # tweets per timeline read
CONFIRM_ABOVE = 10  # more X accounts than this to read: ask first


def bio_tag(bio: str | None) -> str | None:
    """The opt-out tag (`#nobot` or `#noai`, lower-cased) a bio carries, else None."""
    match = _BIO_TAG_RE.search(bio or "")
    return f"#{match.group(1).lower()}" if match else None


def refuse_if_bio_opts_out(handle: str, network: str, bio: str | None) -> None:
    """OptedOutError when the bio carries `#nobot` or `#noai`."""
    if (tag := bio_tag(bio)) is not None:
        raise OptedOutError(
            f"@{handle} opted out of bots ({tag} in their {network} bio): not read, not trained"
        )


def optout_path(store: Store) -> str:
    return store.path(OPTOUT_FILE)


def read_optouts(store: Store) -> set[str]:
    """The denylist's canonical handles (empty when there is none)."""
    path = optout_path(store)
    if not store.exists(path):
        return set()
    return {normalize_handle(h) for h in store.read_json(path).get("handles", [])}


def refuse_if_denied(store: Store | None, handle: str) -> None:
    """OptedOutError when `handle` is on the store's denylist."""
    if store is not None and normalize_handle(handle) in read_optouts(store):
        raise OptedOutError(
            f"@{handle} opted out of bots (murmur's denylist, `murmur optout`): not trained"
        )


def opt_out(store: Store, handles: Iterable[str]) -> list[str]:
    """Add handles to the denylist, delete their published models and cached raw posts.

    Returns the names of the models deleted. Raises HandleError for an invalid handle (before
    anything is written).
    """
    wanted = {normalize_handle(h) for h in handles}
    listed = read_optouts(store) | wanted
    store.write_json(optout_path(store), {"handles": sorted(listed)})
    deleted: list[str] = []
    for manifest in store.list_models():
        owners = {normalize_handle(h) for h in manifest.handles}
        if owners & wanted:
            store.delete_model(manifest.name)
            deleted.append(manifest.name)
    for handle in wanted:
        raw = store.raw_path(handle)
        if store.exists(raw):
            store.fs.rm(raw)
    return deleted


def x_reads(handles: Iterable[str], max_posts: int) -> int:
    """Estimated X API reads for these X accounts: one lookup + max_posts/100 timeline pages each."""
    per_account = 1 + math.ceil(max_posts / X_PAGE)
    return per_account * sum(1 for h in handles if network_of(h) == "x")


def x_handles_to_read(
    handles: Iterable[str], *, tweets_dir: object, store: Store | None, refresh: bool
) -> list[str]:
    """The X handles whose tweets would come from the paid X API: none with `--tweets DIR`;
    else those the store has not cached (all of them with `refresh`)."""
    if tweets_dir is not None:
        return []
    wanted = sorted(
        {normalize_handle(h) for h in handles if network_of(normalize_handle(h)) == "x"}
    )
    if store is None or refresh:
        return wanted
    return [h for h in wanted if not store.exists(store.raw_path(h))]


def x_cost_line(handles: list[str], max_posts: int) -> str:
    """One line: how many X accounts, the estimated reads and dollars (x_reads, X_READ_USD)."""
    reads = x_reads(handles, max_posts)
    return (
        f"reading {len(handles)} X accounts costs about {reads:,} X API reads "
        f"(~${reads * X_READ_USD:,.2f} at ${X_READ_USD} a read: 1 lookup + "
        f"{math.ceil(max_posts / X_PAGE)} timeline pages of 100 each, at --max-posts {max_posts})"
    )


def x_refresh_reads(
    store: Store, handles: Iterable[str], max_posts: int, now: float | None = None
) -> int:
    """Estimated X API reads for refreshing these X accounts (others cost nothing): for each
    one cached from the X API, 1 lookup + the timeline pages of 100 that its posting rate fills
    since its posts were read (`expected_new_posts`; at least 1 page, at most a full read's);
    for one not cached (or cached from a file), a full read, as `x_reads`."""
    full_pages = math.ceil(max_posts / X_PAGE)
    total = 0
    for handle in {normalize_handle(h) for h in handles}:
        if network_of(handle) != "x":
            continue
        cached = store.load_raw(handle)
        expected = expected_new_posts(cached, now) if cached is not None else None
        pages = full_pages if expected is None else math.ceil(expected / X_PAGE)
        total += 1 + min(full_pages, max(1, pages))
    return total


def expected_new_posts(cached: Account, now: float | None = None) -> float | None:
    """Posts an account likely published since its cached read: its posting rate over the
    cached posts' span (their `created_at`) times the time since `read_at` (seconds since the
    epoch `now`, default the clock's). None when the cache cannot tell: not from the X API, no
    `read_at`, or fewer than 2 dated posts."""
    if cached.source != "x-api" or cached.read_at is None:
        return None
    dates = sorted(d for t in cached.tweets if (d := _seconds(t.created_at)) is not None)
    if len(dates) < 2 or dates[-1] <= dates[0]:
        return None
    rate = (len(dates) - 1) / (dates[-1] - dates[0])  # posts per second
    since = (time.time() if now is None else now) - parse_stamp(cached.read_at)
    return rate * max(since, 0.0)


def _seconds(stamp: str | None) -> float | None:
    """An ISO 8601 time as seconds since the epoch; None for none or one that does not parse."""
    try:
        return parse_stamp(stamp) if stamp else None
    except ValueError:
        return None


def x_refresh_cost_line(store: Store, handles: list[str], max_posts: int) -> str:
    """One line for a refresh: how many X accounts, the estimated reads and dollars
    (x_refresh_reads, X_READ_USD)."""
    x = sorted({h for h in map(normalize_handle, handles) if network_of(h) == "x"})
    reads = x_refresh_reads(store, x, max_posts)
    return (
        f"refreshing {len(x)} X accounts costs about {reads:,} X API reads "
        f"(~${reads * X_READ_USD:,.2f} at ${X_READ_USD} a read: 1 lookup each + the pages of "
        "100 new tweets that each account's posting rate since its last read fills)"
    )
