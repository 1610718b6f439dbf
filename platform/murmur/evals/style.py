"""Style statistics of a set of posts, to set a bot's generated posts beside its account's real ones.

length      mean characters per post
mention     share of posts with an @mention (an `@` not inside a word, then a word character)
hashtag     share of posts with a #hashtag
emoji       share of posts with an emoji: a character of Unicode's Extended_Pictographic
            property (UTS #51, https://www.unicode.org/reports/tr51/#Emoji_Properties)
distinct    distinct words over words, counted on the first `words` words of each side: the
            type-token ratio falls as a text grows, so both sides are cut to the same length
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import regex

_MENTION = re.compile(r"(?<![\w@])@\w")
_HASHTAG = re.compile(r"(?<![\w#])#\w")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Style:
    """Style statistics of one set of posts (see the module docstring)."""

    posts: int
    length: float
    mention: float
    hashtag: float
    emoji: float
    distinct: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _share(posts: list[str], pattern: Any) -> float:
    return sum(1 for p in posts if pattern.search(p)) / len(posts) if posts else 0.0


def words_of(posts: list[str]) -> list[str]:
    """The lower-cased words of `posts`, in order."""
    return [w for p in posts for w in _WORD.findall(p.lower())]


def style_of(posts: list[str], words: int) -> Style:
    """Statistics of `posts` (empty posts count as posts of length 0); the distinct-word ratio over
    their first `words` words (all of them when fewer)."""
    counted = words_of(posts)[: max(words, 1)]
    return Style(
        posts=len(posts),
        length=sum(len(p) for p in posts) / len(posts) if posts else 0.0,
        mention=_share(posts, _MENTION),
        hashtag=_share(posts, _HASHTAG),
        emoji=_share(posts, _EMOJI),
        distinct=len(set(counted)) / len(counted) if counted else 0.0,
    )


def compare_styles(real: list[str], generated: list[str]) -> dict[str, Style]:
    """{"real": ..., "generated": ...}, their distinct-word ratios on the same number of words."""
    words = min(len(words_of(real)), len(words_of(generated)))
    return {"real": style_of(real, words), "generated": style_of(generated, words)}
