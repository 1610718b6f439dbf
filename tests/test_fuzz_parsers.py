"""Hostile files and handles: a clear per-account error (SourceError / HandleError), never a crash."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from murmur.core.errors import HandleError, SourceError
from murmur.core.handles import HANDLE_RE, normalize_handle, parse_model_spec
from murmur.core.store import Store
from murmur.data import rules
from murmur.data.sources import load_file

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
    max_leaves=12,
)


def _load(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            account = load_file(path, "fuzz")
        except SourceError:
            return
        r = rules.filter_tweets(account.tweets)  # whatever parsed must go through the rules
        assert r.tweets_downloaded == r.retweets + r.short_tweets + r.tweets_kept


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["a.zip", "a.json", "a.js", "a.jsonl"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _load(name, data)


@FUZZ
@given(st.lists(json_values, max_size=5))
def test_jsonl_of_any_json(values: list[object]) -> None:
    _load("a.jsonl", "\n".join(json.dumps(v) for v in values).encode())


@FUZZ
@given(json_values)
def test_tweets_js_of_any_json(value: object) -> None:
    _load("a.js", ("window.YTD.tweets.part0 = " + json.dumps(value)).encode())


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "tweet": st.dictionaries(
                    st.sampled_from(["id_str", "full_text", "created_at", "id", "text"]),
                    json_values,
                )
            }
        ),
        max_size=5,
    ),
    st.integers(min_value=0, max_value=400),
)
def test_zip_with_odd_tweets_and_truncation(items: list[object], cut: int) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(items))
        z.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(items))
    data = buf.getvalue()
    _load("a.zip", data)
    _load("a.zip", data[: max(0, len(data) - cut)])  # truncated archive


@FUZZ
@given(json_values, json_values)
def test_community_json_of_any_json(tweets: object, notes: object) -> None:
    _load("a.json", json.dumps({"account": notes, "tweets": tweets, "note-tweet": notes}).encode())


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {"noteTweet": st.dictionaries(st.sampled_from(["createdAt", "core"]), json_values)}
        )
        | json_values,
        max_size=4,
    ),
    st.text(max_size=40),
)
def test_zip_with_odd_long_tweet_notes(notes: list[object], text: str) -> None:
    tweet = {
        "tweet": {"id_str": "1", "full_text": text, "created_at": "Mon May 01 12:00:00 +0000 2023"}
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps([tweet]))
        z.writestr("data/note-tweet.js", "window.YTD.note_tweet.part0 = " + json.dumps(notes))
    _load("a.zip", buf.getvalue())


@FUZZ
@given(json_values, st.text(max_size=60))
def test_pre_2018_zip_of_any_json(month: object, details: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "data/js/tweets/2015_03.js", "Grailbird.data.tweets_2015_03 = " + json.dumps(month)
        )
        z.writestr("data/js/user_details.js", "var user_details = " + details)
    _load("a.zip", buf.getvalue())


def test_huge_field_is_handled(tmp_path: Path) -> None:
    text = "word " * 2_000_000  # a 10 MB tweet
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "1", "text": text}))
    account = load_file(tmp_path / "a.jsonl", "a")
    assert rules.filter_tweets(account.tweets).tweets_kept == 1


@FUZZ
@given(st.text(max_size=40))
def test_handles_are_valid_or_refused(raw: str) -> None:
    try:
        handle = normalize_handle(raw)
    except HandleError as e:
        assert str(e)
        return
    assert HANDLE_RE.fullmatch(handle)


@FUZZ
@given(st.text(max_size=60))
def test_store_paths_never_leave_the_store(raw: str) -> None:
    store = Store(tempfile.gettempdir() + "/murmur-fuzz-store")
    try:
        spec = parse_model_spec(raw)
    except HandleError:
        return
    path = Path(store.model_path(spec.name)).resolve()
    assert path.parent == Path(store.root, "models").resolve()
