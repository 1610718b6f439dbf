"""JSON lines of X API v2 tweet objects.

Each line is one of: a v2 tweet object (`id`, `text`, `created_at`, `referenced_tweets`; a long
tweet's full text in `note_tweet.text`); a profile line `{"user": {"username", "name",
"profile_image_url"}}`; or a whole v2 response page `{"data": [...], "includes": {"users": [...]}}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from murmur.core.errors import ArchiveError
from murmur.core.tweets import Account, Tweet
from murmur.data.sources.layouts import check_owner


def v2_tweet(obj: dict[str, Any], where: str) -> Tweet:
    """A Tweet from a v2 tweet object; retweets are those referencing a `retweeted` tweet."""
    tid, text = obj.get("id"), obj.get("text")
    note = obj.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        text = note["text"]
    if tid is None or not isinstance(text, str):
        raise ArchiveError(f"{where}: a tweet object needs 'id' and 'text'")
    refs = obj.get("referenced_tweets") or []
    rt = isinstance(refs, list) and any(
        isinstance(r, dict) and r.get("type") == "retweeted" for r in refs
    )
    created = obj.get("created_at")
    return Tweet(
        id=str(tid),
        text=text,
        created_at=created if isinstance(created, str) else None,
        is_retweet=rt,
    )


def load_jsonl(path: Path, handle: str) -> Account:
    """An Account from a JSON lines file (module docstring). Raises ArchiveError for a line that
    is not a JSON object or a tweet without id or text, and for another account's file: its
    profile line, else the users its pages' tweets were written by (`author_id`), name no one
    but another account (layouts.check_owner)."""
    tweets: list[Tweet] = []
    users: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []  # the file's own account lines
    authors: set[str] = set()  # the `author_id`s of its pages' tweets
    try:
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise ArchiveError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ArchiveError(f"{where}: not JSON ({e})") from e
        if not isinstance(obj, dict):
            raise ArchiveError(f"{where}: expected a JSON object")
        if isinstance(obj.get("user"), dict):
            users.append(obj["user"])
            profiles.append(obj["user"])
        elif "data" in obj and isinstance(obj["data"], list):
            page = [t for t in obj["data"] if isinstance(t, dict)]
            tweets.extend(v2_tweet(t, where) for t in page)
            authors.update(str(t["author_id"]) for t in page if t.get("author_id") is not None)
            inc = obj.get("includes") or {}
            users.extend(u for u in inc.get("users", []) if isinstance(u, dict))
        else:
            tweets.append(v2_tweet(obj, where))
    owners = profiles or [u for u in users if str(u.get("id")) in authors]
    check_owner([u.get("username") for u in owners], handle, path)
    user = next(
        (u for u in users if str(u.get("username", "")).lower() == handle),
        users[0] if users else {},
    )
    return Account(
        handle=handle,
        tweets=tweets,
        display_name=user.get("name"),
        avatar_url=user.get("profile_image_url"),
        source="jsonl",
    )
