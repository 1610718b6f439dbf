"""The tweet files murmur reads from `--tweets DIR`, in the order they are looked up.

For a handle, `DIR/<handle>.<suffix>` is tried for each suffix below, first match wins (names
compared case-insensitively). The order puts the most complete file first: an export .zip holds
the profile and long tweets' whole text; the Community Archive's archive.json is made from one;
a bare tweets.js may lack both; JSON lines come from the API, not an archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from murmur.core.errors import ArchiveError

# (suffix, what that file is): the lookup order of `find_tweet_file`.
FILES: tuple[tuple[str, str], ...] = (
    (".zip", "an X archive export: data/tweets.js, or data/js/tweets/YYYY_MM.js before 2018"),
    (".json", "the Community Archive's archive.json"),
    (".js", "an export's data/tweets.js"),
    (".jsonl", "X API v2 tweet objects, one a line"),
)
FILE_SUFFIXES = tuple(suffix for suffix, _ in FILES)


def layouts_read(handle: str = "<handle>") -> str:
    """One line naming every file murmur reads, for error messages: `h.zip (...), h.json (...)`."""
    return ", ".join(f"{handle}{suffix} ({what})" for suffix, what in FILES)


def check_owner(owners: Sequence[object], handle: str, path: Path) -> None:
    """Refuse a file that says it is another account's: `owners` are the usernames its account
    records name (data/account.js, user_details.js' screen_name, archive.json's account, a JSON
    lines file's profile line or its pages' authors; None or "" where one names none). The file
    passes when none is named or `handle` is among them. A file renamed to another handle would
    train, and publish, one account's posts as another's, past the first account's opt-out.
    Compared without case, as X compares usernames. Raises ArchiveError naming both accounts
    and what to do."""
    named = [o.strip().lstrip("@") for o in owners if isinstance(o, str) and o.strip()]
    mine = handle.lstrip("@").lower()
    if not named or any(o.lower() == mine for o in named):
        return
    owner = named[0]
    raise ArchiveError(
        f"{path} is @{owner}'s archive (its account file says so), not @{handle}'s: train "
        f"{owner} with it (name the file {owner}{path.suffix}), or give @{handle}'s own archive"
    )
