"""The Community Archive's `archive.json` (community-archive.org), read as `<handle>.json`.

One JSON object made from an export's files, each kept in the export's shape:

    {"account": [{"account": {"username", "accountId", "accountDisplayName", ...}}],
     "profile": [{"profile": {"avatarMediaUrl", "description": {...}, ...}}],
     "tweets": [{"tweet": {"id_str", "full_text", "created_at", ...}}, ...],
     "note-tweet": [{"noteTweet": {...}}, ...],   (where the uploader kept it)
     "like": [...], "follower": [...], ...}       (not read)

`account` and `profile` may also be a single object, wrapped or not. Tweets follow the export's
rules (`archive.parse_tweets`: a text starting `RT @` is a retweet); long tweets take their note's
whole text (`notes`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from murmur.core.errors import ArchiveError
from murmur.core.tweets import Account
from murmur.data.sources.archive import parse_tweets
from murmur.data.sources.layouts import check_owner, layouts_read
from murmur.data.sources.notes import merge_notes, parse_notes


def _record(value: Any, key: str) -> dict[str, Any]:
    """`[{"account": {...}}]`, `{"account": {...}}` or `{...}` -> the inner object ({} if none)."""
    if isinstance(value, list):
        value = value[0] if value else {}
    if isinstance(value, dict) and isinstance(value.get(key), dict):
        value = value[key]
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def load_community_json(path: Path, handle: str) -> Account:
    """An Account from an archive.json. Raises ArchiveError if the file is not UTF-8 JSON, not
    an object with a `tweets` array, a tweet lacks text or id, or it is another account's archive
    (layouts.check_owner)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ArchiveError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise ArchiveError(f"{path}: not JSON ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("tweets"), list):
        raise ArchiveError(
            f"{path}: not the Community Archive's archive.json (an object with a `tweets` "
            f"array); murmur reads {layouts_read(handle)}"
        )
    tweets = parse_tweets(data["tweets"], f"{path}: tweets")
    notes = data.get("note-tweet")
    if isinstance(notes, list):
        tweets = merge_notes(tweets, parse_notes(notes, f"{path}: note-tweet"), str(path))
    account = _record(data.get("account"), "account")
    profile = _record(data.get("profile"), "profile")
    check_owner([account.get("username")], handle, path)
    return Account(
        handle=handle,
        tweets=tweets,
        display_name=_text(account.get("accountDisplayName")),
        avatar_url=_text(profile.get("avatarMediaUrl")),
        source="archive",
    )
