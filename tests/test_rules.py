"""huggingtweets' rules, case by case: every figure on a model card comes from these."""

from __future__ import annotations

import pytest

from murmur.core.generation import EOS
from murmur.core.tweets import Tweet
from murmur.data import rules


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Hello https://t.co/abc world", "Hello world"),  # link in the middle
        ("https://t.co/abc Hello there", "Hello there"),  # link at the start
        ("Hello there https://t.co/abc", "Hello there"),  # link at the end
        ("Hello there\nhttps://t.co/abc", "Hello there"),  # link alone on its own line
        ("Hello\nhttps://t.co/abc there", "Hello there"),  # link+space goes before the newline rule
        ("so:https://t.co/x good", "so:good"),  # glued link takes the next space
        ("http://a.b x https://c.d y", "x y"),  # http first, then https
        ("Fish &amp; chips &lt;3 &gt; pizza", "Fish & chips <3 > pizza"),
        ("Tom &amp;amp; Jerry", "Tom &amp; Jerry"),  # one pass, as huggingtweets
        ("I love 🍞 so much", "I love 🍞 so much"),  # emoji kept
        ("  many   spaces\n\nand\tlines  ", "many spaces and lines"),
        ("https://t.co/abc", ""),  # link only: cleans to nothing
        ("Café à Paris ce matin", "Café à Paris ce matin"),  # non-ASCII
        ("@friend thanks #blessed", "@friend thanks #blessed"),  # mentions, hashtags stay
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert rules.clean_text(raw) == cleaned


@pytest.mark.parametrize(
    ("cleaned", "short"),
    [
        ("", True),
        ("@a @b #c", True),  # mention and hashtag only
        ("@x yes", True),  # a short reply
        ("Check now", True),  # two words
        ("@friend thanks so much", False),  # three plain words
        ("HTTP is fun stuff", False),  # 'HTTP' is not plain, the other three are
        ("Http and #Tag @x", True),  # case-insensitive
        ("très bien merci", False),
        ("🍞 🍞 🍞", False),  # emoji are words
    ],
)
def test_is_short(cleaned: str, short: bool) -> None:
    assert rules.is_short(cleaned) is short


def _t(i: int, text: str, rt: bool = False) -> Tweet:
    return Tweet(id=str(i), text=text, created_at=None, is_retweet=rt)


def test_filter_tweets_figures_add_up() -> None:
    tweets = [
        _t(1, "RT @someone: a long retweeted text here", rt=True),
        _t(2, "@pal lol"),  # short reply
        _t(3, "https://t.co/only"),  # link only: short
        _t(4, "Today the bread rose &amp; fell https://t.co/x"),
        _t(5, "I think that quote tweets count https://t.co/q"),  # a quote tweet is kept
        _t(6, "RT @x: marked by the API", rt=True),
    ]
    r = rules.filter_tweets(tweets)
    assert (r.tweets_downloaded, r.retweets, r.short_tweets, r.tweets_kept) == (6, 2, 2, 2)
    assert r.tweets_downloaded == r.retweets + r.short_tweets + r.tweets_kept
    assert r.kept == ["Today the bread rose & fell", "I think that quote tweets count"]
    assert r.kept_chars == len(EOS.join(r.kept))


def test_retweet_is_the_flag_or_the_rt_at_prefix_for_every_source() -> None:
    # A source's flag, or huggingtweets' `RT @` prefix whatever the source; "RT this" is no retweet.
    assert rules.filter_tweets([_t(1, "RT this if you agree with me", rt=False)]).tweets_kept == 1
    unmarked = rules.filter_tweets([_t(2, "RT @pal: a retweet the source did not mark")])
    assert (unmarked.retweets, unmarked.tweets_kept) == (1, 0)


def test_split_validation_is_seeded_and_disjoint() -> None:
    kept = [f"tweet number {i} is here" for i in range(50)]
    train, val = rules.split_validation(kept, seed=1)
    assert len(val) == 5 and len(train) == 45
    assert set(train).isdisjoint(val) and set(train) | set(val) == set(kept)
    assert rules.split_validation(kept, seed=1) == (train, val)
    assert rules.split_validation(kept, seed=2) != (train, val)


def test_training_text_single_handle() -> None:
    tweets = [f"this is tweet {i}" for i in range(10)]
    text = rules.build_training_text([tweets], seed=0)
    assert text.startswith(EOS) and text.endswith(EOS)
    parts = text[len(EOS) : -len(EOS)].split(EOS)
    assert sorted(parts) == sorted(tweets * rules.EPOCHS)
    epochs = [parts[i * 10 : (i + 1) * 10] for i in range(rules.EPOCHS)]
    assert all(sorted(e) == sorted(tweets) for e in epochs)  # each epoch is one shuffle of all
    assert len({tuple(e) for e in epochs}) > 1  # shuffled differently
    assert rules.build_training_text([tweets], seed=0) == text  # seeded


def test_training_text_balances_handles() -> None:
    big = [f"big account tweet {i:03d}" for i in range(40)]
    small = ["small one", "small two"]
    text = rules.build_training_text([big, small], seed=3, epochs=1)
    parts = text[len(EOS) : -len(EOS)].split(EOS)
    small_chars = len(EOS.join(p for p in parts if p.startswith("small")))
    big_chars = len(EOS.join(big))
    assert sorted(p for p in parts if p.startswith("big")) == sorted(big)  # largest not repeated
    assert big_chars <= small_chars < big_chars + len(EOS) + len("small one") + 1
    assert parts != [*big, *[p for p in parts if p.startswith("small")]]  # the mix is shuffled


def test_validation_text() -> None:
    assert rules.build_validation_text([["a b c"], ["d e f"]]) == f"{EOS}a b c{EOS}d e f{EOS}"
    assert rules.build_validation_text([[]]) == ""
