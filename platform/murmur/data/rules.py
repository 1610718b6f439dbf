"""huggingtweets' data rules, reproduced exactly: retweets, cleaning, short tweets, the four figures,
the data-size thresholds and the training text.

Every number on a model card comes from here; `RULES_VERSION` changes whenever a rule does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from murmur.core.generation import EOS
from murmur.core.tweets import Tweet

RULES_VERSION = "huggingtweets-1"
MIN_CHARS = 6_000  # under this, a handle's kept tweets are too little data: an error
WARN_CHARS = 40_000  # under this, a warning: the model will likely overfit
EPOCHS = 4
VALIDATION_FRACTION = 0.10
_LINK_STARTS = ("http:", "https:")
_BORING = ("http", "@", "#")


RETWEET_PREFIX = "RT @"  # huggingtweets drops a tweet whose text starts with it


def is_retweet(tweet: Tweet) -> bool:
    """A retweet, for every source alike: one the source marks (v2 `referenced_tweets` of type
    `retweeted`, v1.1 `retweeted_status`, a repost or a boost), or one whose text starts `RT @`
    (huggingtweets' rule; archive exports and JSON lines saved without `referenced_tweets` mark
    none; https://github.com/borisdayma/huggingtweets, huggingtweets-demo.ipynb)."""
    return tweet.is_retweet or tweet.text.startswith(RETWEET_PREFIX)


def unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def clean_text(text: str) -> str:
    """Unescape entities, remove links exactly as huggingtweets does, collapse whitespace."""
    text = unescape(text)
    for w in _LINK_STARTS:
        # Order matters: it decides which neighbouring space or newline goes with the link.
        text = re.sub(f" {w}\\S+", "", text)  # a space before the link
        text = re.sub(f"{w}\\S+ ", "", text)  # the link and one space after (tweet starts with it)
        text = re.sub(f"\n{w}\\S+ ", "", text)  # on a new line, with a space after
        text = re.sub(f"\n{w}\\S+", "", text)  # alone on a new line
        text = re.sub(f"{w}\\S+", "", text)  # anywhere else
    text = re.sub(" +", " ", text)
    return " ".join(text.split()).strip()


def is_short(cleaned: str) -> bool:
    """Short: fewer than 3 words free of `http`, `@` and `#` (case-insensitive)."""
    plain = [w for w in cleaned.split() if not any(b in w.lower() for b in _BORING)]
    return len(plain) < 3


@dataclass
class FilterResult:
    """One handle's tweets after the rules: the four figures and the kept, cleaned texts."""

    tweets_downloaded: int
    retweets: int
    short_tweets: int
    kept: list[str]

    @property
    def tweets_kept(self) -> int:
        return len(self.kept)

    @property
    def kept_chars(self) -> int:
        return len(EOS.join(self.kept))


def filter_tweets(tweets: Sequence[Tweet]) -> FilterResult:
    """Drop retweets, clean the rest, drop short ones: downloaded = retweets + short + kept."""
    retweets = short = 0
    kept: list[str] = []
    for t in tweets:
        if is_retweet(t):
            retweets += 1
            continue
        cleaned = clean_text(t.text)
        if is_short(cleaned):
            short += 1
            continue
        kept.append(cleaned)
    return FilterResult(len(tweets), retweets, short, kept)


def split_validation(
    kept: Sequence[str], seed: int, fraction: float = VALIDATION_FRACTION
) -> tuple[list[str], list[str]]:
    """A seeded split of kept tweets into (train, validation); validation is ~`fraction` of them."""
    order = list(range(len(kept)))
    random.Random(f"split:{seed}").shuffle(order)
    n_val = max(1, round(len(kept) * fraction)) if len(kept) >= 2 else 0
    val_idx = set(order[:n_val])
    train = [t for i, t in enumerate(kept) if i not in val_idx]
    val = [t for i, t in enumerate(kept) if i in val_idx]
    return train, val


def _top_up(tweets: list[str], target_chars: int, rng: random.Random) -> list[str]:
    """Repeat a handle's own tweets (in seeded random order) until they reach `target_chars`."""
    out = list(tweets)
    length = len(EOS.join(out))
    while length < target_chars and tweets:
        for t in rng.sample(tweets, len(tweets)):
            if length >= target_chars:
                break
            out.append(t)
            length += len(EOS) + len(t)
    return out


def build_training_text(
    per_handle: Sequence[Sequence[str]], seed: int, epochs: int = EPOCHS
) -> str:
    """EOS-joined text of `epochs` seeded shuffles; with several handles, each epoch tops up the
    smaller handles to the character length of the largest, then shuffles the mix."""
    rng = random.Random(f"epochs:{seed}")
    target = max((len(EOS.join(ts)) for ts in per_handle), default=0)
    chunks: list[str] = []
    for _ in range(epochs):
        if len(per_handle) == 1:
            epoch = list(per_handle[0])
        else:
            epoch = [t for ts in per_handle for t in _top_up(list(ts), target, rng)]
        rng.shuffle(epoch)
        chunks.extend(epoch)
    return EOS + EOS.join(chunks) + EOS


def build_validation_text(per_handle: Sequence[Sequence[str]]) -> str:
    tweets = [t for ts in per_handle for t in ts]
    return EOS + EOS.join(tweets) + EOS if tweets else ""
