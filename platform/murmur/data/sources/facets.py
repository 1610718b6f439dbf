"""Bluesky's link facets: which of them may be cut out of a post's text.

A post's `facets` (`app.bsky.richtext.facet`) mark ranges of its text, in UTF-8 bytes
(`index.byteStart`, `index.byteEnd`; atproto.com/specs/lexicon, richtext facets). A link facet's
visible text is its URI, often shortened by the client: Bluesky's app shows the host and the
first 13 characters of the path, then `...` (social-app `toShortUrl`); others write `…`.

Third-party clients have written ranges in characters or UTF-16 units instead of bytes
(bluesky-social/social-app#7287, bskyr#23); cut as bytes, such a range takes the wrong text
(`incorrect: tes`, `bridg97/-2.07` were left in kept text). So a link facet's range is cut only
when it is trustworthy (`is_link_text`): its bytes decode as UTF-8 and the text they hold, with a
trailing `...` or `…` dropped, begins the link's URI, with or without its scheme (compared without
case, as hosts are). Any other link facet is left alone: its text stays in the post, and
huggingtweets' URL rule (murmur.data.rules) removes what is a link there, as it does on X.
"""

from __future__ import annotations

import re
from typing import Any

LINK_FACET = "app.bsky.richtext.facet#link"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_SHORTENED = ("...", "…")  # social-app's toShortUrl; other clients' ellipsis


def is_link_text(shown: str, uri: str) -> bool:
    """Whether `shown` (a facet's text) is how a client shows `uri`: without a trailing `...`
    or `…`, a non-empty beginning of the URI or of the URI without its scheme, ignoring case."""
    for mark in _SHORTENED:
        shown = shown.removesuffix(mark)
    shown = shown.casefold()  # not stripped: a range shifted onto a space is a wrong range
    if not shown:
        return False
    full = uri.strip().casefold()
    return full.startswith(shown) or _SCHEME.sub("", full).startswith(shown)


def _link_range(facet: Any, data: bytes) -> tuple[int, int] | None:
    """The byte range of a link facet whose text is its link (module docstring), else None."""
    if not isinstance(facet, dict):
        return None
    features = facet.get("features")
    links = (
        [f for f in features if isinstance(f, dict) and f.get("$type") == LINK_FACET]
        if isinstance(features, list)
        else []
    )
    index = facet.get("index")
    if not links or not isinstance(index, dict):
        return None
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data)):
        return None
    try:
        shown = data[start:end].decode("utf-8")  # strict: a range cutting a character fails
    except UnicodeDecodeError:
        return None
    if any(is_link_text(shown, str(link.get("uri") or "")) for link in links):
        return start, end
    return None


def strip_link_facets(text: str, facets: Any) -> str:
    """`text` without the byte ranges of its trustworthy link facets (module docstring); other
    facets (mentions, tags) and untrustworthy or overlapping ranges leave the text as it is."""
    data = text.encode("utf-8")
    ranges = [
        r for f in (facets if isinstance(facets, list) else []) if (r := _link_range(f, data))
    ]
    kept_until = len(data)
    for start, end in sorted(ranges, reverse=True):
        if end > kept_until:  # overlaps a range already cut
            continue
        data = data[:start] + data[end:]
        kept_until = start
    return data.decode("utf-8")
