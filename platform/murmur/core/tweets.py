"""The records every tweet source gives."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tweet:
    """One tweet as a source gives it, before any rule is applied."""

    id: str
    text: str
    created_at: str | None  # ISO 8601, UTC, where the source says
    is_retweet: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Tweet:
        return cls(
            id=str(d["id"]),
            text=str(d["text"]),
            created_at=d.get("created_at"),
            is_retweet=bool(d.get("is_retweet", False)),
        )


@dataclass
class Account:
    """An account's tweets and profile, from one source."""

    handle: str
    tweets: list[Tweet]
    display_name: str | None = None
    avatar_url: str | None = None
    source: str = "unknown"  # "x-api", "bluesky", "mastodon", "archive", "jsonl", ...-file
    extra: dict[str, Any] = field(default_factory=dict)
    # When these posts were read (murmur.core.clock.utc_stamp, UTC ending in Z): the store's
    # raw cache gives it (`fetched_at`); None for an account not read from the cache.
    read_at: str | None = None

    @property
    def label(self) -> str:
        return self.display_name or self.handle


def is_avatar_url(url: str | None) -> bool:
    """Whether an account's avatar URL may go into a page or a card as is: https, and nothing
    that could end an HTML attribute or a CSS `url()` (quotes, brackets, parentheses, spaces,
    backslashes). Anything else shows the account's initials instead."""
    return (
        bool(url)
        and str(url).startswith("https://")
        and not any(c in str(url) for c in "'\"<>() \\")
    )
