"""The pages' server side: card rendering, escaping, 404s (fast, no Ray, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store
from murmur.serving.page import (
    colour_class,
    initials,
    mount_pages,
    render_card_markdown,
    strip_front_matter,
)

HOSTILE = '<img src=x onerror="alert(1)">Eve<script>alert(2)</script>'

CARD = """---
language: en
tags:
- huggingtweets
widget:
- text: "My dream is"
---

<div class="inline-flex flex-col" style="line-height: 1.5;">
    <div style="text-align: center; font-size: 16px; font-weight: 800">🤖 AI BOT 🤖</div>
    <div style="text-align: center; font-size: 16px; font-weight: 800">{name}</div>
</div>

## Training data

| Data | {name} |
| --- | --- |
| Tweets downloaded | 120 |
| Tweets kept | 100 |

See [the run](https://wandb.ai/x/y) and [this](javascript:alert(3)). **Bold** `code`.

```python
generator("My dream is <|endoftext|>")
```
"""


def publish(store: Store, tmp: Path, handles: list[str], names: list[str]) -> str:
    """A published model with a manifest and a card (no weights: the pages never load them)."""
    stats = [
        HandleStats(h, 120, 10, 10, 100, display_name=n, avatar_url="https://pbs.twimg.com/a.jpg")
        for h, n in zip(handles, names, strict=True)
    ]
    manifest = ModelManifest(
        name="-".join(sorted(handles)), handles=handles, stats=stats, base_model="tiny"
    )
    folder = tmp / manifest.name
    folder.mkdir()
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
    (folder / "README.md").write_text(CARD.replace("{name}", " & ".join(names)))
    store.publish_model(manifest.name, folder)
    return manifest.name


@pytest.fixture
def client(store_dir: Path, tmp_path: Path) -> TestClient:
    store = Store(str(store_dir))
    publish(store, tmp_path, ["sample_baker"], ["Sourdough Sam (sample)"])
    publish(store, tmp_path, ["eve", "sample_hiker"], [HOSTILE, "Trail Tess (sample)"])
    app = FastAPI()
    mount_pages(app, str(store_dir))
    return TestClient(app)


def test_front_matter_is_stripped_and_only_front_matter() -> None:
    assert strip_front_matter("---\na: 1\n---\n# Hi\n") == "# Hi\n"
    assert strip_front_matter("# Hi\n---\n") == "# Hi\n---\n"
    assert strip_front_matter("---\nnot closed\n") == "---\nnot closed\n"


def test_card_markdown_renders_tables_code_links_and_drops_raw_html() -> None:
    html = render_card_markdown(CARD.replace("{name}", HOSTILE))
    assert "<table>" in html and "<td>Tweets downloaded</td>" in html and "<td>120</td>" in html
    assert '<a href="https://wandb.ai/x/y">the run</a>' in html
    assert "<strong>Bold</strong>" in html and "<code>code</code>" in html
    assert "&lt;|endoftext|&gt;" in html  # code is escaped, not dropped
    assert "language: en" not in html  # front matter
    assert "<script" not in html and "<img" not in html and "<div" not in html
    assert 'href="javascript:' not in html


def test_initials_and_colours_match_the_page_script() -> None:
    assert initials("Trail Tess (sample)", "sample_hiker") == "TT"
    assert initials("", "sample_hiker") == "S"
    assert initials("élan vital", "x") == "ÉV"
    # app.js computes the same: the sum of the handle's code points modulo 8.
    assert colour_class("sample_baker") == f"c{sum(map(ord, 'sample_baker')) % 8}"


def test_index_and_static_files_are_served_with_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'value="My dream is"' in r.text and "/static/app.js" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    for path in ("/static/app.js", "/static/style.css"):
        assert client.get(path).status_code == 200
    assert "http" not in client.get("/static/style.css").text  # nothing from another host


def test_index_names_the_published_bots_in_its_html(client: TestClient, store_dir: Path) -> None:
    # Without running app.js: the HTML itself links every bot's card, names escaped.
    r = client.get("/")
    assert "Loading bots" not in r.text and "2 bots." in r.text
    for name in ("sample_baker", "eve-sample_hiker"):
        assert f'<a class="bot-link" href="/models/{name}">{name}</a>' in r.text
    empty = FastAPI()
    mount_pages(empty, str(store_dir / "empty"))
    assert "No bots are published yet" in TestClient(empty).get("/").text


def test_card_page_renders_the_card_with_the_bot_header(client: TestClient) -> None:
    r = client.get("/models/sample_baker")
    assert r.status_code == 200
    assert "🤖 AI BOT 🤖" in r.text and "Sourdough Sam (sample)" in r.text
    assert "@sample_baker" in r.text and "<td>Tweets kept</td>" in r.text
    assert 'href="/?model=sample_baker"' in r.text


def test_card_page_escapes_display_names(client: TestClient) -> None:
    r = client.get("/models/eve-sample_hiker")
    assert r.status_code == 200
    assert "🤖 AI CYBORG 🤖" in r.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve&lt;script&gt;" in r.text
    assert "<script>alert" not in r.text and "<img src=x" not in r.text


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/models/nobody_here", "No bot named “nobody_here” is published here"),
        ("/models/Not%20A%20Name", "is not a model name"),
        ("/models/%3Cscript%3E", "“&lt;script&gt;” is not a model name"),
        ("/models/a-b-c-d", "is not a model name"),
    ],
)
def test_card_page_404s_explain_themselves(client: TestClient, path: str, words: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert words in r.text


def test_murmurs_own_card_renders_safely(store_dir: Path, tmp_path: Path) -> None:
    from murmur.models.card import render_card

    stats = [
        HandleStats(
            "eve",
            120,
            10,
            10,
            100,
            display_name=HOSTILE,
            avatar_url='https://pbs.twimg.com/a.jpg" onerror="alert(4)',
        ),
        HandleStats("sample_hiker", 90, 5, 5, 80, display_name="Trail Tess (sample)"),
    ]
    manifest = ModelManifest(
        name="eve-sample_hiker",
        handles=["eve", "sample_hiker"],
        stats=stats,
        base_model="tiny",
        hyperparameters={"lr": 1.372e-4},
    )
    folder = tmp_path / manifest.name
    folder.mkdir()
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
    (folder / "README.md").write_text(render_card(manifest, "store/models/eve-sample_hiker"))
    store = Store(str(store_dir))
    store.publish_model(manifest.name, folder)
    app = FastAPI()
    mount_pages(app, str(store_dir))
    r = TestClient(app).get("/models/eve-sample_hiker")
    assert r.status_code == 200
    page = r.text
    assert "<th>Data</th>" in page and "<td>Tweets downloaded</td>" in page
    assert "<td>120</td>" in page and "<td>90</td>" in page
    assert '<pre><code class="language-python">from transformers import pipeline' in page
    assert "🤖 AI CYBORG 🤖" in page and "@eve @sample_hiker" in page
    assert "<script>" not in page and "<div style" not in page and 'onerror="' not in page
    assert "<img" not in page  # an avatar URL that could break out of its attribute: initials
    assert '<span class="avatar c' in page and ">TT</span>" in page


def test_a_model_without_a_card_or_manifest_figures_still_answers(
    store_dir: Path, tmp_path: Path, client: TestClient
) -> None:
    store = Store(str(store_dir))
    (store_dir / "models" / "sample_baker" / "README.md").unlink()
    r = client.get("/models/sample_baker")
    assert r.status_code == 404 and "is published without a model card" in r.text
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "murmur.json").write_text("{}")  # no stats: the header falls back to the name
    (folder / "README.md").write_text("# A card\n")
    store.publish_model("bare_bot", folder)
    r = client.get("/models/bare_bot")
    assert r.status_code == 200 and "@bare_bot" in r.text and "<h1>A card</h1>" in r.text
