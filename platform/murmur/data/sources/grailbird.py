"""The archive export before 2018 ("Grailbird"): `data/js/tweets/YYYY_MM.js`, one file a month.

    data/js/tweets/2015_03.js:  Grailbird.data.tweets_2015_03 = [ {"id_str": "...", "text": "...",
                                  "created_at": "2015-03-01 12:00:00 +0000", "user": {...},
                                  "retweeted_status": {...}  (retweets only) }, ... ]
    data/js/user_details.js:    var user_details = {"screen_name": "...", "full_name": "...", ...}
    tweets.csv                  the same tweets as a table; not read (the .js files hold them all)

A retweet is a tweet with `retweeted_status`, or whose text starts `RT @` (retweets made by
hand or by old clients carry no mark). Months are read newest first, as the later export orders
its tweets.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from murmur.core.errors import ArchiveError
from murmur.core.tweets import Account, Tweet
from murmur.data.sources.layouts import check_owner

MONTH_FILE = re.compile(r"(?:^|/)data/js/tweets/(\d{4})_(\d{2})\.js$")
USER_DETAILS_FILE = re.compile(r"(?:^|/)data/js/user_details\.js$")
_PREFIX = re.compile(r"^\s*(?:var\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*")


def _parse_js(text: str, where: str) -> Any:
    """The JSON value after `Grailbird.data.tweets_YYYY_MM =` (or `var user_details =`)."""
    try:
        return json.loads(_PREFIX.sub("", text, count=1).rstrip().removesuffix(";"))
    except json.JSONDecodeError as e:
        raise ArchiveError(f"{where}: not an archive data file ({e})") from e


def _created_at(raw: Any) -> str | None:
    """`2015-03-01 12:00:00 +0000` -> `2015-03-01T12:00:00.000Z`; other text kept as it is."""
    if not isinstance(raw, str):
        return None
    try:
        dt = datetime.strptime(raw, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return raw
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_month(text: str, where: str) -> list[Tweet]:
    """The tweets of one `data/js/tweets/YYYY_MM.js` file. Raises ArchiveError if malformed."""
    items = _parse_js(text, where)
    if not isinstance(items, list):
        raise ArchiveError(f"{where}: expected a JSON array after `Grailbird.data.tweets_...`")
    tweets = []
    for i, t in enumerate(items):
        text_ = t.get("text") if isinstance(t, dict) else None
        tid = t.get("id_str", t.get("id")) if isinstance(t, dict) else None
        if not isinstance(t, dict) or not isinstance(text_, str) or tid is None:
            raise ArchiveError(f"{where}: item {i} is not a tweet with text and id")
        rt = t.get("retweeted_status") is not None or text_.startswith("RT @")
        tweets.append(Tweet(str(tid), text_, _created_at(t.get("created_at")), is_retweet=rt))
    return tweets


def _profile(texts: dict[str, str], months: list[str]) -> tuple[Any, Any, Any]:
    """(display name, avatar URL, username): user_details.js's full_name and screen_name; the
    newest tweet's `user`."""
    name = avatar = username = None
    for path, text in texts.items():
        if USER_DETAILS_FILE.search(path):
            try:
                details = _parse_js(text, path)
            except ArchiveError:
                continue  # a broken profile file costs the name, not the tweets
            if isinstance(details, dict) and isinstance(details.get("full_name"), str):
                name = details["full_name"]
            if isinstance(details, dict):
                username = details.get("screen_name")
    for path in months:
        try:
            items = _parse_js(texts[path], path)
        except ArchiveError:
            continue
        user = items[0].get("user") if items and isinstance(items[0], dict) else None
        if isinstance(user, dict):
            name = name or user.get("name")
            avatar = user.get("profile_image_url_https") or user.get("profile_image_url")
            break
    return name, avatar, username


def load_grailbird(texts: dict[str, str], where: str, handle: str) -> Account:
    """An Account from a pre-2018 export's files (`texts`: zip member name -> its text; `where`:
    the zip's path). Raises ArchiveError for a malformed file or another account's archive
    (layouts.check_owner)."""
    months = sorted(
        (p for p in texts if MONTH_FILE.search(p)), key=lambda p: p.rsplit("/", 1)[-1], reverse=True
    )
    tweets = [t for p in months for t in parse_month(texts[p], f"{where}:{p}")]
    name, avatar, username = _profile(texts, months)
    check_owner([username], handle, Path(where))
    return Account(
        handle=handle,
        tweets=tweets,
        display_name=name if isinstance(name, str) else None,
        avatar_url=avatar if isinstance(avatar, str) else None,
        source="archive",
    )
