"""Long tweets: an export's `data/note-tweet.js` holds the whole text that tweets.js cuts short.

Since 2023 a tweet may run past 280 characters. The archive export then writes a cut text into
data/tweets.js (the first ~275 characters, "…", often a t.co link to the tweet itself) and the
whole text into data/note-tweet.js:

    window.YTD.note_tweet.part0 = [
      {"noteTweet": {"noteTweetId": "...", "createdAt": "2023-05-01T12:00:00.000Z",
                     "core": {"text": "the whole text", "urls": [...], ...}, ...}}, ...]

A note carries no tweet id, so murmur matches a note to a tweet when both hold:
- the same creation time to the second (tweets.js `created_at`, note `createdAt`, both UTC);
- the tweet's text, made comparable (HTML entities unescaped, t.co links removed, whitespace
  collapsed) and without its trailing "…", is a prefix of the note's text made comparable.
The tweet then takes the note's text; its id, time and retweet mark stay. Each note is used at
most once. A note that matches no tweet is left out (logged): tweets.js is the account's list
of tweets, and a note without its tweet belongs to a deleted tweet or to an earlier version of an
edited one, so adding it would count a tweet the account no longer has.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from murmur.core.tweets import Tweet

log = logging.getLogger(__name__)

_TCO = re.compile(r"https?://t\.co/\S*")
_ISO_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


@dataclass(frozen=True)
class Note:
    """One long tweet's whole text and its creation time (ISO 8601 UTC, to the second)."""

    second: str
    text: str


def comparable(text: str) -> str:
    """`text` as matching compares it: entities unescaped, t.co links gone, spaces collapsed."""
    return " ".join(_TCO.sub(" ", html.unescape(text)).split())


def _second(iso: str | None) -> str | None:
    """`2023-05-01T12:00:00.000Z` -> `2023-05-01T12:00:00`; None if not ISO 8601."""
    m = _ISO_SECOND.match(iso) if isinstance(iso, str) else None
    return m.group(0) if m else None


def parse_notes(items: list[Any], where: str) -> list[Note]:
    """The notes of a note-tweet.js array; a malformed item is skipped (it costs its long text)."""
    notes = []
    for item in items:
        note = item.get("noteTweet", item) if isinstance(item, dict) else None
        core = note.get("core") if isinstance(note, dict) else None
        text = core.get("text") if isinstance(core, dict) else None
        second = _second(note.get("createdAt")) if isinstance(note, dict) else None
        if isinstance(text, str) and second is not None:
            notes.append(Note(second=second, text=text))
    if len(notes) < len(items):
        log.warning("%s: %d malformed long-tweet notes skipped", where, len(items) - len(notes))
    return notes


def merge_notes(tweets: list[Tweet], notes: list[Note], where: str) -> list[Tweet]:
    """`tweets` with each cut text replaced by its matching note's whole text (rule above)."""
    if not notes:
        return tweets
    by_second: dict[str, list[tuple[str, Note]]] = {}
    for note in notes:
        by_second.setdefault(note.second, []).append((comparable(note.text), note))
    merged, used = [], 0
    for tweet in tweets:
        match = _take_match(tweet, by_second)
        if match is not None:
            used += 1
            tweet = replace(tweet, text=match.text)
        merged.append(tweet)
    if used < len(notes):
        log.info(
            "%s: %d of %d long-tweet notes match no tweet (deleted or edited tweets); left out",
            where,
            len(notes) - used,
            len(notes),
        )
    return merged


def _take_match(tweet: Tweet, by_second: dict[str, list[tuple[str, Note]]]) -> Note | None:
    """The first unused note of the tweet's second that its cut text begins; removed once taken."""
    second = _second(tweet.created_at)
    candidates = by_second.get(second, []) if second is not None else []
    prefix = comparable(tweet.text).removesuffix("…").rstrip()
    for i, (text, note) in enumerate(candidates):
        if text.startswith(prefix):
            del candidates[i]
            return note
    return None
