"""The pages people use: `/` to talk to any bot, `/models/<name>` to read a bot's model card.

The serving ingress calls `mount_pages(app, store_uri)`. The talk page is plain static files
(`murmur/serving/static/`: no build step, no CDN) that call the API from the browser; the card
page is rendered here, server-side, from the model's README.md.

The static files live inside the package, not in `serve/`, so they travel wherever `murmur` is
importable: an editable checkout, a wheel on a cluster node, a Ray Serve replica whose working
directory is not the repository.

Cards are rendered with markdown-it (CommonMark + tables). Raw HTML in a card is parsed but never
emitted — a card quotes display names from X, which are user-supplied — and the avatar block that
huggingtweets' cards draw in HTML is drawn here instead, from the manifest, escaped. Every page
carries a Content-Security-Policy that forbids inline scripts, as a second line of defence.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from markdown_it import MarkdownIt

from murmur.core.errors import HandleError, ModelNotFoundError, ServingError, StoreError
from murmur.core.handles import handles_of_model_name, validate_model_name
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store
from murmur.core.tweets import is_avatar_url
from murmur.evals import evaluation_section

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
AVATAR_COLOURS = 8  # classes .c0 ... .c7 in style.css
MAX_LISTED = 100  # bots named in the page's HTML: app.js draws as many at once (MAX_LISTED)
LIST_TAG = '<ul id="bot-list" role="listbox" aria-label="Bots"></ul>'  # in static/index.html
COUNT_TAG = '<p id="bot-count" class="muted">Loading bots…</p>'

# Scripts and styles only from this origin; avatars may come from X's image host (https).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def mount_pages(app: FastAPI, store_uri: str) -> None:
    """Add `/`, `/static/*` and `/models/{name}` to the serving app."""
    if not (STATIC_DIR / "index.html").is_file():
        raise ServingError(
            f"the page's static files are missing from {STATIC_DIR}: reinstall murmur"
        )
    store = Store(store_uri)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        # Sync on purpose: listing the store blocks, so FastAPI runs this in its thread pool.
        return HTMLResponse(render_index(store), headers=PAGE_HEADERS)

    @app.get("/models/{name}", include_in_schema=False)
    def model_page(name: str) -> HTMLResponse:
        # Sync on purpose: reading the store blocks, so FastAPI runs this in its thread pool.
        status, html = render_model_page(store, name)
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def render_model_page(store: Store, name: str) -> tuple[int, str]:
    """(HTTP status, HTML) of a model's card page, or of the page explaining why there is none."""
    try:
        validate_model_name(name)
    except HandleError:
        return 404, error_page(
            "Not a bot's name",
            f"“{name}” is not a model name: a model name is one to three handles joined by -, "
            "such as alice-bob or alice.bsky.social.",
        )
    try:
        card = store.read_card(name)
    except ModelNotFoundError:
        return 404, error_page(
            "No such bot",
            f"No bot named “{name}” is published here. It may have been deleted or never "
            "trained: pick one from the list.",
        )
    except FileNotFoundError:
        return 404, error_page(
            "No model card", f"The bot “{name}” is published without a model card (README.md)."
        )
    except (StoreError, OSError, UnicodeDecodeError) as e:
        log.warning("the card of %s could not be read: %r", name, e)  # the details stay here
        return 500, error_page(
            "Card unavailable", f"The card of “{name}” could not be read from the store."
        )
    try:
        manifest: ModelManifest | None = store.load_manifest(name)
    except StoreError:  # a card without a readable manifest still renders, from the name alone
        manifest = None
    card += evaluation_section(store, name)  # the bot's latest `murmur eval` row, if any
    return 200, card_page(name, card, manifest)


def render_index(store: Store) -> str:
    """The talk page with the published bots already named in its HTML: up to MAX_LISTED links
    to /models/<name> in the list (app.js replaces them with its own buttons once it runs), so a
    page read without scripts, or before they run, still says which bots there are."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    try:
        names = [m.name for m in store.list_models()]
    except (StoreError, OSError) as e:
        log.warning("the bots could not be listed for the page: %r", e)
        return html  # app.js lists them, or says what went wrong
    items = "".join(
        f'<li><a class="bot-link" href="/models/{quote(n)}">{escape(n)}</a></li>'
        for n in names[:MAX_LISTED]
    )
    count = f"{len(names)} bot{'' if len(names) == 1 else 's'}."
    if not names:
        count = "No bots are published yet: train one with `murmur train`."
    elif len(names) > MAX_LISTED:
        count = f"{len(names)} bots; showing {MAX_LISTED}, search to narrow."
    html = html.replace(LIST_TAG, LIST_TAG.replace("></ul>", f">{items}</ul>"), 1)
    return html.replace(COUNT_TAG, COUNT_TAG.replace("Loading bots…", escape(count)), 1)


# ---- rendering -------------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Parse raw HTML so it is recognised, then drop it: nothing from a card reaches the page as HTML.
    md.add_render_rule("html_block", lambda *args: "")
    md.add_render_rule("html_inline", lambda *args: "")
    return md


_MD = _markdown()


def strip_front_matter(text: str) -> str:
    """A card without its YAML front matter (`---` ... `---` at the very top)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[i + 1 :])
    return text  # an unterminated block is not front matter


def render_card_markdown(card: str) -> str:
    """The card's markdown as safe HTML: front matter stripped, raw HTML dropped, links checked."""
    return _MD.render(strip_front_matter(card))


def initials(display_name: str, handle: str) -> str:
    """Up to two letters for an avatar without a picture: 'Trail Tess' -> 'TT'."""
    words = [w for w in display_name.replace("_", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or handle[:1]
    return letters.upper()


def colour_class(handle: str) -> str:
    """The same handle always gets the same colour, here and in app.js (same arithmetic)."""
    return f"c{sum(ord(c) for c in handle) % AVATAR_COLOURS}"


def _people(name: str, manifest: ModelManifest | None) -> list[dict[str, str | None]]:
    """handle, display name and avatar URL of each handle of the model, from its manifest (from
    the name alone where it has none)."""
    stats = manifest.stats if manifest is not None else []
    people: list[dict[str, str | None]] = [
        {
            "handle": s.handle,
            "display_name": s.display_name or s.handle,
            "avatar_url": s.avatar_url or None,
        }
        for s in stats
        if isinstance(s.handle, str)
    ]
    if not people:
        people = [{"handle": h, "display_name": h, "avatar_url": None} for h in _name_handles(name)]
    return people


def _name_handles(name: str) -> tuple[str, ...]:
    """The handles a model name was made from (data.handles' rule); the name for a cut one."""
    try:
        return handles_of_model_name(name)
    except HandleError:
        return (name,)


def avatar_html(person: dict[str, str | None]) -> str:
    handle = person["handle"] or "?"
    shown = person["display_name"] or handle
    letters = escape(initials(shown, handle))
    img = ""
    url = person["avatar_url"]
    if is_avatar_url(url):
        img = f'<img src="{escape(url or "")}" alt="" loading="lazy" data-fallback>'
    return f'<span class="avatar {colour_class(handle)}" aria-hidden="true">{letters}{img}</span>'


def card_page(name: str, card: str, manifest: ModelManifest | None) -> str:
    people = _people(name, manifest)
    badge = "🤖 AI CYBORG 🤖" if len(people) > 1 else "🤖 AI BOT 🤖"
    names = " & ".join(p["display_name"] or "" for p in people)
    handles = " ".join(f"@{escape(p['handle'] or '')}" for p in people)
    avatars = "".join(avatar_html(p) for p in people)
    body = f"""
<section class="panel bot-header">
  <div class="avatars">{avatars}</div>
  <div class="badge">{badge}</div>
  <h1 class="bot-name">{escape(names)}</h1>
  <div class="handles">{handles}</div>
  <a class="button" href="/?model={escape(name)}">Talk to this bot</a>
</section>
<article class="panel model-card">
{render_card_markdown(card)}
</article>"""
    return page(f"{names} — model card", body)


def error_page(title: str, message: str) -> str:
    body = f"""
<section class="panel error-page">
  <h1>{escape(title)}</h1>
  <p class="error-message">{escape(message)}</p>
  <a class="button" href="/">See all bots</a>
</section>"""
    return page(title, body)


def page(title: str, body: str) -> str:
    """A full page around `body` (already escaped HTML); `title` is escaped here."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · murmur</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/">murmur</a><span class="tagline">talk to the bots</span></header>
<main>{body}
</main>
</body>
</html>
"""
