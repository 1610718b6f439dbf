"""Archives as people have them: long tweets, the pre-2018 layout, the Community Archive's JSON,
the layouts that already worked, and a clear refusal of anything else. All data invented."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest

from murmur.core.errors import AccountNotFoundError, ArchiveError
from murmur.data import rules
from murmur.data.sources import find_tweet_file, load_account

LONG = (
    "Sourdough diary, day 41. The starter finally doubles in six hours at room temperature, "
    "which means the flour switch worked. Bread &amp; butter for breakfast, obviously. Next I "
    "want to try a longer cold proof, maybe 36 hours, and see whether the crumb opens up or "
    "the loaf just goes flat and sour. Notes for future me: feed at 1:5:5, keep it near the "
    "oven light, and stop opening the jar every twenty minutes to look at it."
)
LONG_NOTE = LONG.replace("&amp;", "&")  # the note's text is not HTML-escaped
CUT = LONG[:272] + "… https://t.co/Ab12Cd34Ef"  # what tweets.js keeps of it


def ytd(kind: str, items: list[Any]) -> str:
    return f"window.YTD.{kind}.part0 = " + json.dumps(items, indent=2, ensure_ascii=False)


def export_tweet(tid: str, text: str, created: str) -> dict[str, Any]:
    return {"tweet": {"id_str": tid, "id": tid, "full_text": text, "created_at": created}}


def note(text: str, created: str) -> dict[str, Any]:
    return {
        "noteTweet": {
            "noteTweetId": "1650000000000000900",
            "updatedAt": created,
            "lifecycle": {"value": "1", "name": "Published"},
            "createdAt": created,
            "core": {"styletags": [], "urls": [], "text": text, "mentions": [], "hashtags": []},
        }
    }


def write_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return path


LONG_TWEETS = [
    export_tweet("1650000000000000001", CUT, "Mon May 01 12:00:00 +0000 2023"),
    # the same second, but a text that no note starts with: keeps its own text
    export_tweet(
        "1650000000000000002",
        "quick loaf check before the meeting",
        "Mon May 01 12:00:00 +0000 2023",
    ),
    # cut, but its note is one second off: no match, the cut text stays
    export_tweet(
        "1650000000000000003", "Another long one about rye…", "Mon May 01 13:00:00 +0000 2023"
    ),
]
NOTES = [
    note(LONG_NOTE, "2023-05-01T12:00:00.000Z"),
    note(
        "Another long one about rye flour and why it behaves so differently",
        "2023-05-01T13:00:01.000Z",
    ),
    note(
        "A long note whose tweet was deleted, so it is not a tweet any more",
        "2023-04-02T08:00:00.000Z",
    ),
]


def check_long_tweets(texts: list[str]) -> None:
    assert texts == [
        LONG_NOTE,
        "quick loaf check before the meeting",
        "Another long one about rye…",
    ]


def test_long_tweets_take_the_whole_text_of_their_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_zip(
        tmp_path / "baker.zip",
        {
            "data/tweets.js": ytd("tweets", LONG_TWEETS),
            "data/note-tweet.js": ytd("note_tweet", NOTES),
        },
    )
    caplog.set_level(logging.INFO, logger="murmur")

    account = load_account("baker", tweets_dir=tmp_path)

    check_long_tweets([t.text for t in account.tweets])
    assert account.tweets[0].id == "1650000000000000001"  # id and time stay the tweet's
    assert account.tweets[0].created_at == "2023-05-01T12:00:00.000Z"
    assert "2 of 3 long-tweet notes match no tweet" in caplog.text  # unmatched notes: left out
    kept = rules.filter_tweets(account.tweets)
    assert kept.tweets_downloaded == 3
    assert any(t.endswith("every twenty minutes to look at it.") for t in kept.kept)


def test_long_tweets_beside_a_bare_tweets_js_and_in_community_json(tmp_path: Path) -> None:
    (tmp_path / "baker.js").write_text(ytd("tweets", LONG_TWEETS))
    (tmp_path / "note-tweet.js").write_text(ytd("note_tweet", NOTES))
    check_long_tweets([t.text for t in load_account("baker", tweets_dir=tmp_path).tweets])

    other = tmp_path / "community"
    other.mkdir()
    (other / "baker.json").write_text(json.dumps({"tweets": LONG_TWEETS, "note-tweet": NOTES}))
    check_long_tweets([t.text for t in load_account("baker", tweets_dir=other).tweets])


def grailbird_month(year: int, month: int, tweets: list[dict[str, Any]]) -> str:
    return f"Grailbird.data.tweets_{year}_{month:02d} = \n" + json.dumps(tweets, indent=1)


USER = {
    "name": "Old Baker",
    "screen_name": "old_baker",
    "profile_image_url_https": "https://pbs.twimg.com/profile_images/9/old_normal.png",
    "id_str": "40000001",
}


def old_tweet(tid: int, text: str, created: str, **extra: Any) -> dict[str, Any]:
    return {
        "source": "web",
        "entities": {"user_mentions": [], "media": [], "hashtags": [], "urls": []},
        "geo": {},
        "id_str": str(tid),
        "text": text,
        "id": tid,
        "created_at": created,
        "user": USER,
        **extra,
    }


@pytest.mark.parametrize("top", ["", "old_baker-2017-12-31/"])
def test_pre_2018_export(tmp_path: Path, top: str) -> None:
    march = [
        old_tweet(
            573000000000000003,
            "rye loaf number two came out dense &amp; dark",
            "2015-03-04 09:30:00 +0000",
        ),
        old_tweet(
            573000000000000002,
            "the best crumb shot you will see this week",  # marked, though not `RT @`
            "2015-03-02 18:00:00 +0000",
            retweeted_status={"id_str": "572000000000000009", "text": "the best crumb shot"},
        ),
    ]
    february = [
        old_tweet(
            569000000000000002,
            "RT @flour_mill: new spelt in stock today",
            "2015-02-20 07:00:00 +0000",
        ),
        old_tweet(
            569000000000000001,
            "an RT @flour_mill in the middle is not one",
            "2015-02-01 12:00:00 +0000",
        ),
    ]
    write_zip(
        tmp_path / "old_baker.zip",
        {
            f"{top}index.html": "<html></html>",
            f"{top}tweets.csv": '"tweet_id","text"\n"569000000000000001","an RT in the middle"\n',
            f"{top}data/js/tweet_index.js": "var tweet_index = []",
            f"{top}data/js/user_details.js": 'var user_details =  {"screen_name" : "old_baker", "full_name" : "Old Baker (2015)"}',
            f"{top}data/js/tweets/2015_02.js": grailbird_month(2015, 2, february),
            f"{top}data/js/tweets/2015_03.js": grailbird_month(2015, 3, march),
        },
    )

    account = load_account("old_baker", tweets_dir=tmp_path)

    assert [(t.id, t.is_retweet) for t in account.tweets] == [
        ("573000000000000003", False),
        ("573000000000000002", True),
        ("569000000000000002", True),
        ("569000000000000001", False),
    ]
    assert account.tweets[0].created_at == "2015-03-04T09:30:00.000Z"
    assert account.display_name == "Old Baker (2015)"
    assert account.avatar_url == USER["profile_image_url_https"]
    stats = rules.filter_tweets(account.tweets)
    assert (stats.retweets, stats.tweets_kept) == (2, 2)
    assert stats.kept[0] == "rye loaf number two came out dense & dark"


COMMUNITY_TWEETS = [
    export_tweet(
        "1700000000000000002",
        "RT @oven_talk: preheat longer than you think",
        "Tue Sep 12 08:00:00 +0000 2023",
    ),
    export_tweet(
        "1700000000000000001",
        "proofing baskets are worth every cent",
        "Mon Sep 11 08:00:00 +0000 2023",
    ),
]


@pytest.mark.parametrize(
    ("account", "profile"),
    [
        (  # what community-archive.org serves: the export's files, wrapped as in account.js
            [
                {
                    "account": {
                        "username": "bread_fan",
                        "accountId": "77",
                        "accountDisplayName": "Bread Fan",
                    }
                }
            ],
            [
                {
                    "profile": {
                        "description": {"bio": "crumb"},
                        "avatarMediaUrl": "https://pbs.twimg.com/p/1.jpg",
                    }
                }
            ],
        ),
        (  # the same records as plain objects
            {"username": "bread_fan", "accountId": "77", "accountDisplayName": "Bread Fan"},
            {"avatarMediaUrl": "https://pbs.twimg.com/p/1.jpg"},
        ),
    ],
)
def test_community_archive_json(tmp_path: Path, account: Any, profile: Any) -> None:
    archive = {
        "upload-options": {"keepPrivate": False, "uploadLikes": False},
        "account": account,
        "profile": profile,
        "tweets": COMMUNITY_TWEETS,
        "like": [{"like": {"tweetId": "1", "fullText": "someone else's tweet"}}],
        "follower": [],
    }
    (tmp_path / "Bread_Fan.json").write_text(json.dumps(archive))

    got = load_account("bread_fan", tweets_dir=tmp_path)

    assert [(t.id, t.is_retweet) for t in got.tweets] == [
        ("1700000000000000002", True),
        ("1700000000000000001", False),
    ]
    assert got.tweets[1].created_at == "2023-09-11T08:00:00.000Z"
    assert (got.display_name, got.avatar_url) == ("Bread Fan", "https://pbs.twimg.com/p/1.jpg")
    assert got.source == "archive"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.zip", {"Photos/loaf.jpg": b"\xff\xd8\xff", "README.txt": "my photos"}),
        ("x.zip", {"data/like.js": "window.YTD.like.part0 = []"}),
        ("x.json", json.dumps([{"id": "1", "text": "a list, not an archive"}])),
        ("x.json", json.dumps({"data": [{"id": "1", "text": "an API page"}]})),
        ("x.js", "var tweets = [1, 2, 3];"),
    ],
)
def test_a_file_in_no_layout_names_the_layouts_read(
    tmp_path: Path, name: str, content: dict[str, str | bytes] | str
) -> None:
    path = tmp_path / name
    if isinstance(content, dict):
        write_zip(path, content)
    else:
        path.write_text(content)
    with pytest.raises(ArchiveError) as info:
        load_account("x", tweets_dir=tmp_path)
    message = str(info.value)
    assert "\n" not in message
    for layout in (
        "x.zip",
        "data/tweets.js",
        "data/js/tweets/YYYY_MM.js",
        "x.json",
        "archive.json",
        "x.js",
        "x.jsonl",
    ):
        assert layout in message, layout


def test_2019_export_with_tweet_js_and_unwrapped_objects(tmp_path: Path) -> None:
    items = [
        {
            "id_str": "1100000000000000002",
            "full_text": "RT @a: unwrapped retweet",
            "created_at": "Fri Mar 01 10:00:00 +0000 2019",
        },
        {
            "id_str": "1100000000000000001",
            "full_text": "unwrapped and mine",
            "created_at": "Thu Feb 28 10:00:00 +0000 2019",
        },
    ]
    write_zip(
        tmp_path / "early.zip",
        {
            "data/tweet.js": "window.YTD.tweet.part0 = " + json.dumps(items),
            "data/account.js": ytd(
                "account", [{"account": {"username": "early", "accountDisplayName": "Early Riser"}}]
            ),
        },
    )
    got = load_account("early", tweets_dir=tmp_path)
    assert [(t.text, t.is_retweet) for t in got.tweets] == [
        ("RT @a: unwrapped retweet", True),
        ("unwrapped and mine", False),
    ]
    assert got.tweets[0].created_at == "2019-03-01T10:00:00.000Z"
    assert got.display_name == "Early Riser"


def test_zip_under_a_top_folder_with_macos_litter(tmp_path: Path) -> None:
    top = "twitter-2024-01-02-abc123/"
    write_zip(
        tmp_path / "mac.zip",
        {
            f"{top}data/tweets.js": ytd(
                "tweets", [export_tweet("1", "zipped on a mac", "Tue Jan 02 10:00:00 +0000 2024")]
            ),
            f"{top}.DS_Store": b"\x00\x00\x00\x01Bud1\x00",
            f"{top}data/.DS_Store": b"\x00\x00\x00\x01Bud1\x00",
            f"__MACOSX/{top}data/._tweets.js": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
            f"__MACOSX/{top}._data": b"\x00\x05\x16\x07",
        },
    )
    got = load_account("mac", tweets_dir=tmp_path)
    assert [t.text for t in got.tweets] == ["zipped on a mac"]


def test_parts_are_read_and_deleted_tweets_ignored(tmp_path: Path) -> None:
    created = "Wed Jan 03 10:00:00 +0000 2024"
    part0 = ytd("tweets", [export_tweet("3", "newest of the lot", created)])
    part1 = ytd("tweets", [export_tweet("2", "older, in part one", created)]).replace(
        "part0", "part1"
    )
    deleted = ytd("deleted_tweets", [export_tweet("9", "regret this one", created)])
    write_zip(
        tmp_path / "parts.zip",
        {"data/tweets.js": part0, "data/tweets-part1.js": part1, "data/deleted-tweets.js": deleted},
    )
    assert [t.id for t in load_account("parts", tweets_dir=tmp_path).tweets] == ["3", "2"]

    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "parts.js").write_text(part0)
    (bare / "parts-part1.js").write_text(part1)
    (bare / "deleted-tweets.js").write_text(deleted)
    assert [t.id for t in load_account("parts", tweets_dir=bare).tweets] == ["3", "2"]


def test_lookup_order_zip_json_js_jsonl(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for suffix in (".jsonl", ".js", ".json", ".zip"):
        (tmp_path / f"baker{suffix}").write_text("")
    order = []
    for _ in range(4):
        found = find_tweet_file(tmp_path, "baker")
        order.append(found.suffix)
        found.unlink()
    assert order == [".zip", ".json", ".js", ".jsonl"]
    assert "@baker: reading baker.zip; ignoring baker.json, baker.js, baker.jsonl" in caplog.text
    (tmp_path / "other.jsonl").write_text("")
    with pytest.raises(AccountNotFoundError) as info:
        find_tweet_file(tmp_path, "baker")
    assert (
        str(info.value)
        == f"no tweets for @baker in {tmp_path}: expected baker.zip, baker.json, baker.js or baker.jsonl"
    )


def _zed_archives(folder: Path) -> list[Path]:
    """@zed's archive in each layout that names its account, each renamed for @wrong."""
    folder.mkdir()
    tweets = ytd("tweets", [export_tweet("1", "zed's loaf", "Mon May 01 12:00:00 +0000 2023")])
    account = ytd("account", [{"account": {"username": "Zed", "accountDisplayName": "Zed"}}])
    zipped = write_zip(folder / "wrong.zip", {"data/tweets.js": tweets, "data/account.js": account})
    bare = folder / "bare" / "data"
    bare.mkdir(parents=True)
    (bare / "tweets.js").write_text(tweets)
    (bare / "account.js").write_text(account)
    (folder / "old").mkdir()
    old = write_zip(
        folder / "old" / "wrong.zip",
        {
            "data/js/user_details.js": 'var user_details = {"screen_name": "zed"}',
            "data/js/tweets/2015_03.js": grailbird_month(
                2015, 3, [old_tweet(5, "zed's rye", "2015-03-04 09:30:00 +0000")]
            ),
        },
    )
    community = folder / "wrong.json"
    community.write_text(
        json.dumps({"account": [{"account": {"username": "zed"}}], "tweets": COMMUNITY_TWEETS})
    )
    lines = folder / "wrong.jsonl"  # X API v2 lines with the account's profile line first
    lines.write_text(
        json.dumps({"user": {"id": "9", "username": "zed", "name": "Zed"}})
        + "\n"
        + json.dumps({"id": "2", "text": "zed's crumb", "author_id": "9"})
        + "\n"
    )
    page = folder / "page" / "wrong.jsonl"  # a v2 page: its author among includes.users
    page.parent.mkdir()
    tweet = {"id": "3", "text": "zed again @amy", "author_id": "9"}
    users = [{"id": "5", "username": "amy"}, {"id": "9", "username": "zed"}]
    page.write_text(json.dumps({"data": [tweet], "includes": {"users": users}}) + "\n")
    return [zipped, bare / "tweets.js", old, community, lines, page]


def test_an_archive_renamed_for_another_handle_is_refused_naming_its_account(
    tmp_path: Path,
) -> None:
    """A renamed file would train @zed's posts as @wrong's, past @zed's opt-out."""
    from murmur.data.sources import load_file

    for path in _zed_archives(tmp_path / "zed"):
        with pytest.raises(ArchiveError, match=r"(?i)is @zed's archive .* not @wrong's: train zed"):
            load_file(path, "wrong")
        assert load_file(path, "ZED").tweets  # its own handle, in any case, reads as before
