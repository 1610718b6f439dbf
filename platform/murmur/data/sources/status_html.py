"""A fediverse status's HTML `content` as the author's text (`html_to_text`).

- `<p>` and `<br>` become newlines, entities are decoded;
- a mention or hashtag link becomes its visible text (`@bob`, `#tag`) and any other link its
  full `href`, so that huggingtweets' link rule removes it as it removes a tweet's t.co link;
- markup a server adds that the author did not write is dropped:
  - any element of class `quote-inline`, with all it holds: the `RE: <link>` fallback that
    Mastodon 4.5 (`<p class="quote-inline">`, mastodon/mastodon#35971), Pleroma and Akkoma
    (`<span class="quote-inline"><br/><br/>RE: <a ...>`) add to quote posts, `RT:` included;
  - where the fallback comes without that class (Misskey and its forks write `RE: <link>` as
    the note's last line), a last line that is only `RE:` or `RT:` and one link.
  Left in, the link's removal leaves `RE:` at the end of the kept text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FALLBACK_CLASSES = frozenset({"quote-inline"})
# Elements without an end tag (HTML's void elements): never on the stack of open elements.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})  # fmt: skip
_LAST_LINE_FALLBACK = re.compile(r"(?:^|\n)[ \t]*R[ET]:[ \t]+https?://\S+[ \t]*\Z")


class _TextParser(HTMLParser):
    """Status HTML as text (see `html_to_text`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, is server fallback)
        self._link: list[str | None] = []  # per open <a>: its href to write, or None

    @property
    def _in_fallback(self) -> bool:
        return any(fallback for _, fallback in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag not in _VOID:
            self._open.append((tag, bool(classes & FALLBACK_CLASSES)))
        if self._in_fallback:
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            self.parts.append("\n\n")
        elif tag == "a":
            is_tag = "mention" in classes or "hashtag" in classes or a.get("rel") == "tag"
            href = a.get("href")
            self._link.append(None if is_tag or not href else href)

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _ in self._open):
            return  # a stray end tag
        while self._open:  # close it and whatever was left open inside it
            was_fallback = self._in_fallback
            closed = self._open.pop()[0]
            if not was_fallback:
                self._close(closed)
            if closed == tag:
                break

    def _close(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")
        elif tag == "a" and self._link:
            href = self._link.pop()
            if href is not None:
                self.parts.append(href)

    def handle_data(self, data: str) -> None:
        if self._in_fallback:
            return
        if not any(h is not None for h in self._link):  # a link's own text is its href
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Status HTML -> the author's text (module docstring); ends stripped."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    while parser._open:  # elements left open at the end: closed as the end closes them
        parser.handle_endtag(parser._open[0][0])
    text = "".join(parser.parts).strip()
    return _LAST_LINE_FALLBACK.sub("", text).strip()
