"""What one network read for a refresh gives: the posts published since the cached read, the
cached posts found deleted, and how many requests it took (murmur.data.new_posts merges them).

Each network reads "since" differently: X and Mastodon by the newest cached id
(`since_id`), Bluesky by paging its author feed until a cached post's URI. Their `read_*`
functions (xapi.read_x, bluesky.read_bluesky, mastodon.read_mastodon) return a `NewRead`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from murmur.core.tweets import Account, Tweet


@dataclass
class NewRead:
    """One handle's read from its network: the profile as read now and the posts read.

    With nothing cached, `account` holds every post read (as `load_account` would); otherwise
    only those published since the cached read, newest first.
    """

    account: Account
    deleted_ids: list[str]  # cached ids found deleted; [] where deletions were not looked for
    deletions: str  # how deletions were looked for, one phrase for the report
    reads: int  # requests made to the network, retries included


def newest_id(tweets: Iterable[Tweet]) -> str | None:
    """The largest numeric id among `tweets` (X's and Mastodon's ids grow with time: X's are
    Snowflake ids, Mastodon's are Snowflake-like since 2.0), or None when none is numeric."""
    numeric = [int(t.id) for t in tweets if t.id.isdigit()]
    return str(max(numeric)) if numeric else None
