"""Every file source gives the same records; malformed files give a clear per-account error."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from murmur.core.errors import AccountNotFoundError, ArchiveError
from murmur.core.store import Store
from murmur.data.sources import find_tweet_file, load_account
from murmur.data.synthetic import generate_account, write_archive_zip, write_jsonl, write_tweets_js


@pytest.fixture
def account():  # type: ignore[no-untyped-def]
    return generate_account("someone", 120, persona="sample_coder")


def _records(acc):  # type: ignore[no-untyped-def]
    return [(t.id, t.text, t.created_at, t.is_retweet) for t in acc.tweets]


def test_all_formats_give_the_same_records(tmp_path: Path, account) -> None:  # type: ignore[no-untyped-def]
    expected = _records(account)
    for writer, name in [
        (write_archive_zip, "someone.zip"),
        (write_tweets_js, "someone.js"),
        (write_jsonl, "someone.jsonl"),
    ]:
        d = tmp_path / name.replace(".", "_")
        d.mkdir()
        writer(account, d / name)
        got = load_account("someone", tweets_dir=d)
        assert _records(got) == expected, name
        assert got.handle == "someone"
    assert any(t.is_retweet for t in account.tweets)


def test_archive_parts_and_profile(tmp_path: Path, account) -> None:  # type: ignore[no-untyped-def]
    write_archive_zip(account, tmp_path / "someone.zip", parts=3)
    with zipfile.ZipFile(tmp_path / "someone.zip") as z:
        assert "data/tweets-part2.js" in z.namelist()
    got = load_account("@SomeOne", tweets_dir=tmp_path)
    assert _records(got) == _records(account)
    assert got.display_name == account.display_name and got.source == "archive"


def test_archive_marks_rt_prefix_as_retweet(tmp_path: Path) -> None:
    items = [
        {
            "tweet": {
                "id_str": "1",
                "full_text": "RT @a: hello there friend",
                "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            }
        },
        {"tweet": {"id_str": "2", "full_text": "an RT @a in the middle is not one"}},
    ]
    (tmp_path / "x.js").write_text("window.YTD.tweet.part0 = " + json.dumps(items))
    got = load_account("x", tweets_dir=tmp_path)
    assert [t.is_retweet for t in got.tweets] == [True, False]
    assert got.tweets[0].created_at == "2018-10-10T20:19:24.000Z"


def test_jsonl_v2_pages_and_note_tweets(tmp_path: Path) -> None:
    page = {
        "data": [
            {"id": "1", "text": "short version…", "note_tweet": {"text": "the long full text"}},
            {
                "id": "2",
                "text": "RT @b: x",
                "referenced_tweets": [{"type": "retweeted", "id": "9"}],
            },
            {"id": "3", "text": "quoting", "referenced_tweets": [{"type": "quoted", "id": "8"}]},
        ],
        "includes": {
            "users": [
                {
                    "id": "5",
                    "username": "Someone",
                    "name": "Some One",
                    "profile_image_url": "https://example.invalid/a.jpg",
                }
            ]
        },
        "meta": {"result_count": 3},
    }
    (tmp_path / "someone.jsonl").write_text(json.dumps(page) + "\n\n")
    got = load_account("someone", tweets_dir=tmp_path)
    assert [(t.text, t.is_retweet) for t in got.tweets] == [
        ("the long full text", False),
        ("RT @b: x", True),
        ("quoting", False),
    ]
    assert got.display_name == "Some One" and got.avatar_url == "https://example.invalid/a.jpg"


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("a.zip", b"PK\x03\x04 truncated", "not a readable zip"),
        ("a.js", b'window.YTD.tweets.part0 = [{"tweet": ', "not an archive data file"),
        ("a.js", b"window.YTD.tweets.part0 = {}", "expected a JSON array"),
        ("a.js", b'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]', "no text or id"),
        ("a.js", b"window.YTD.tweets.part0 = []" + b"\xff\xfe", "not UTF-8"),
        ("a.jsonl", b'{"id": "1", "text": "ok"}\nnot json\n', ":2: not JSON"),
        ("a.jsonl", b"[1, 2]\n", "expected a JSON object"),
        ("a.jsonl", b'{"text": "no id"}\n', "needs 'id' and 'text'"),
        ("a.jsonl", b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ArchiveError, match=match):
        load_account("a", tweets_dir=tmp_path)


def test_zip_without_tweets(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as z:
        z.writestr("data/like.js", "window.YTD.like.part0 = []")
    with pytest.raises(ArchiveError, match="no data/tweets.js"):
        load_account("a", tweets_dir=tmp_path)


def test_missing_file_names_what_was_looked_for(tmp_path: Path) -> None:
    (tmp_path / "other.zip").write_text("")  # an empty folder says it holds no tweet files
    with pytest.raises(AccountNotFoundError, match=r"ghost\.zip.*ghost\.js.*ghost\.jsonl"):
        find_tweet_file(tmp_path, "ghost")


def test_raw_tweets_are_cached_in_the_store(tmp_path: Path, account, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = Store(str(tmp_path / "store"))
    write_jsonl(account, tmp_path / "someone.jsonl")
    load_account("someone", tweets_dir=tmp_path, store=store)

    def no_network(handle: str, **_: object):  # type: ignore[no-untyped-def]
        raise AssertionError("the X API must not be called when the store has the tweets")

    monkeypatch.setattr("murmur.data.sources.xapi.fetch_account", no_network)
    cached = load_account("someone", store=store)
    assert _records(cached) == _records(account)
    with pytest.raises(AssertionError, match="must not be called"):
        load_account("someone", store=store, refresh=True)


def test_samples_are_all_readable(samples: Path) -> None:
    from murmur.samples import SAMPLE_HANDLES

    for handle in SAMPLE_HANDLES:
        acc = load_account(handle, tweets_dir=samples)
        assert len(acc.tweets) > 500
        if acc.source != "archive" or handle != "sample_coder":  # a bare tweets.js has no profile
            assert acc.display_name and "(sample)" in acc.display_name
