"""An account's archive export: the .zip, or its `data/tweets.js` (and `tweets-part1.js`, …).

Each .js file is `window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]` (older exports: `tweet.js`,
`window.YTD.tweet.part0`, and objects not wrapped in `{"tweet": ...}`). `data/account.js` holds
the display name, `data/profile.js` the avatar, `data/note-tweet.js` the whole text of tweets over
280 characters (matched as `notes` says). `deleted-tweets.js` and every other file are not read.
A zip may hold its files under one top-level folder, beside `__MACOSX/` and `.DS_Store`.
The layout before 2018 (`data/js/tweets/YYYY_MM.js`) is read by `grailbird`.
An archive does not mark retweets: a text starting `RT @` is one.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from murmur.core.errors import ArchiveError
from murmur.core.tweets import Account, Tweet
from murmur.data.sources.grailbird import MONTH_FILE, USER_DETAILS_FILE, load_grailbird
from murmur.data.sources.layouts import check_owner, layouts_read
from murmur.data.sources.notes import Note, merge_notes, parse_notes

log = logging.getLogger(__name__)

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # refuse zip bombs: no single file above this, uncompressed
_TWEETS_FILE = re.compile(r"(?:^|/)data/tweets?(?:-part\d+)?\.js$")
_NOTES_FILE = re.compile(r"(?:^|/)data/note-tweet(?:-part\d+)?\.js$")
_PREFIX = re.compile(r"^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")


def parse_ytd(text: str, where: str) -> list[Any]:
    """The JSON array inside a `window.YTD.<kind>.partN = [...]` file."""
    body = _PREFIX.sub("", text, count=1)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as e:
        raise ArchiveError(f"{where}: not an archive data file ({e})") from e
    if not isinstance(data, list):
        raise ArchiveError(f"{where}: expected a JSON array after the `window.YTD...` prefix")
    return data


def _created_at(raw: Any) -> str | None:
    """`Wed Oct 10 20:19:24 +0000 2018` -> `2018-10-10T20:19:24.000Z`."""
    if not isinstance(raw, str):
        return None
    try:
        dt = datetime.strptime(raw, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return raw
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_tweets(items: list[Any], where: str) -> list[Tweet]:
    """Tweets from a tweets.js array of `{"tweet": {...}}` (or bare) objects; ArchiveError if
    an item has no text (`full_text`, else `text`) or no id (`id_str`, else `id`)."""
    tweets = []
    for i, item in enumerate(items):
        t = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(t, dict):
            raise ArchiveError(f"{where}: item {i} is not a tweet object")
        text = t.get("full_text", t.get("text"))
        tid = t.get("id_str", t.get("id"))
        if not isinstance(text, str) or tid is None:
            raise ArchiveError(f"{where}: item {i} has no text or id")
        tweets.append(
            Tweet(
                id=str(tid),
                text=text,
                created_at=_created_at(t.get("created_at")),
                is_retweet=text.startswith("RT @"),
            )
        )
    return tweets


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArchiveError(
            f"{where}: not UTF-8 text ({e.reason} at byte {e.start}): a damaged or re-encoded "
            "file; export the archive again"
        ) from e


def _profile(files: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """(display name, avatar URL, username) from account.js / profile.js where present."""
    name = avatar = username = None
    for path, text in files.items():
        try:
            if path.endswith("account.js"):
                acc = parse_ytd(text, path)[0].get("account", {})
                name = acc.get("accountDisplayName") or name
                username = acc.get("username") or username
            elif path.endswith("profile.js"):
                prof = parse_ytd(text, path)[0].get("profile", {})
                avatar = prof.get("avatarMediaUrl") or avatar
        except (ArchiveError, IndexError, AttributeError):
            continue  # a broken profile file costs the name, not the tweets
    return name, avatar, username


def _part_key(path: str) -> int:
    m = re.search(r"-part(\d+)\.js$", path)
    return int(m.group(1)) if m else 0


# What reading a damaged member raises: a bad CRC or header (BadZipFile), a broken deflate stream
# (zlib.error), a cut file (EOFError), an unknown compression method (NotImplementedError), I/O.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError)


def _read_members(z: zipfile.ZipFile, path: Path, names: list[str] | set[str]) -> dict[str, str]:
    """The text of each named member. Raises ArchiveError naming the zip and the member for a
    zip bomb, an encrypted member, a damaged one (`_DAMAGED`) or one that is not UTF-8."""
    texts: dict[str, str] = {}
    for info in z.infolist():
        if info.filename not in names:
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiveError(
                f"{path}: {info.filename} is {info.file_size:,} bytes uncompressed; refusing"
            )
        if info.flag_bits & 0x1:
            raise ArchiveError(
                f"{path}: {info.filename} is encrypted: export the archive again, unencrypted"
            )
        try:
            data = z.read(info)
        except (*_DAMAGED, RuntimeError) as e:
            raise ArchiveError(
                f"{path}: {info.filename} is damaged ({_one_line(e)}): export the archive again"
            ) from e
        texts[info.filename] = _decode(data, f"{path}:{info.filename}")
    return texts


def _one_line(e: BaseException) -> str:
    """An exception's text on one line, its type's name when it has none."""
    return " ".join(str(e).split()) or type(e).__name__


def _notes(texts: dict[str, str], names: list[str], where: str) -> list[Note]:
    """The long-tweet notes of note-tweet.js files; a broken file costs the long texts only."""
    notes: list[Note] = []
    for name in names:
        try:
            notes.extend(parse_notes(parse_ytd(texts[name], name), f"{where}:{name}"))
        except ArchiveError as e:
            log.warning("%s; long tweets keep their cut text", e)
    return notes


def load_archive_zip(path: Path, handle: str) -> Account:
    """An export .zip: from 2018 on (data/tweets.js) or before (data/js/tweets/YYYY_MM.js).

    Raises ArchiveError for an unreadable zip, a malformed tweet file, a zip in neither layout,
    or another account's archive (layouts.check_owner).
    """
    try:
        z = zipfile.ZipFile(path)
    except _DAMAGED as e:
        raise ArchiveError(f"{path}: not a readable zip archive ({_one_line(e)})") from e
    with z:
        names = [n for n in z.namelist() if not n.startswith("__MACOSX/")]
        tweet_files = sorted((n for n in names if _TWEETS_FILE.search(n)), key=_part_key)
        if not tweet_files:
            old = [n for n in names if MONTH_FILE.search(n) or USER_DETAILS_FILE.search(n)]
            if any(MONTH_FILE.search(n) for n in old):
                return load_grailbird(_read_members(z, path, old), str(path), handle)
            raise ArchiveError(
                f"{path}: no data/tweets.js (export since 2018) nor data/js/tweets/YYYY_MM.js "
                f"(before 2018) inside; murmur reads {layouts_read(handle)}"
            )
        note_files = sorted((n for n in names if _NOTES_FILE.search(n)), key=_part_key)
        profile_files = [n for n in names if n.endswith(("data/account.js", "data/profile.js"))]
        texts = _read_members(z, path, tweet_files + note_files + profile_files)
    tweets = [
        t
        for f in tweet_files
        for t in parse_tweets(parse_ytd(texts[f], f"{path}:{f}"), f"{path}:{f}")
    ]
    tweets = merge_notes(tweets, _notes(texts, note_files, str(path)), str(path))
    name, avatar, username = _profile(texts)
    check_owner([username], handle, path)
    return Account(
        handle=handle, tweets=tweets, display_name=name, avatar_url=avatar, source="archive"
    )


def load_tweets_js(path: Path, handle: str) -> Account:
    """A bare data/tweets.js; its -partN siblings, and account.js, profile.js and note-tweet.js
    beside it, are read too. Raises ArchiveError for a malformed file or another account's
    archive (layouts.check_owner)."""
    files = [
        path,
        *sorted(path.parent.glob(f"{path.stem}-part*.js"), key=lambda p: _part_key(p.name)),
    ]
    tweets: list[Tweet] = []
    for f in files:
        text = _decode(f.read_bytes(), str(f))
        if not _PREFIX.match(text) and not text.lstrip().startswith("["):
            raise ArchiveError(
                f"{f}: not an export's data/tweets.js (no `window.YTD.tweets.part0 = [` at its "
                f"start); murmur reads {layouts_read(handle)}"
            )
        tweets.extend(parse_tweets(parse_ytd(text, str(f)), str(f)))
    extra = {
        str(p): _decode(p.read_bytes(), str(p))
        for p in (path.parent / "account.js", path.parent / "profile.js")
        if p.is_file()
    }
    notes_js = path.parent / "note-tweet.js"
    if notes_js.is_file():
        texts = {str(notes_js): _decode(notes_js.read_bytes(), str(notes_js))}
        tweets = merge_notes(tweets, _notes(texts, [str(notes_js)], str(path)), str(path))
    name, avatar, username = _profile(extra)
    check_owner([username], handle, path)
    return Account(
        handle=handle, tweets=tweets, display_name=name, avatar_url=avatar, source="archive"
    )
