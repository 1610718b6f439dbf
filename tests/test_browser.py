"""The talk page end to end, in Debian's Chromium driven by Playwright, against the real endpoint.

Tiny GPT-2s are published into a temporary store, the Ray Serve app runs on the shared local Ray,
and a headless Chromium loads `/`, picks bots, generates, reads the model cards and meets the
error messages. Screenshots go to artifacts/browser/ (git-ignored):

    talk-desktop.png   generated tweets at 1280 px      card-desktop.png  a model card page
    talk-phone.png     a cyborg's tweets at 390 px
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = os.environ.get("MURMUR_CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set MURMUR_CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
)
from playwright.sync_api import Browser, ConsoleMessage, Page, expect  # noqa: E402

from murmur.core.generation import cut_generation  # noqa: E402
from murmur.core.manifest import HandleStats, ModelManifest  # noqa: E402
from murmur.core.store import Store  # noqa: E402
from murmur.data.rules import FilterResult, filter_tweets  # noqa: E402
from murmur.data.synthetic import generate_account  # noqa: E402
from murmur.models.card import render_card  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.ray, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
# Without the networking flags Chromium dials Google's services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GENERATION_TIMEOUT_MS = 90_000  # a cold replica loads the model first; two shared CPU cores
HOSTILE_NAME = '<img src=x onerror="alert(1)">Eve<script>alert(2)</script>'
CROWD = 30  # bots listed only, so that the picker needs its search
TWEETS_PER_ACCOUNT = 600
# A few seconds of plain PyTorch per model (see tweet_like_model), recorded in the manifest.
FINE_TUNE_STEPS, FINE_TUNE_LR, FINE_TUNE_BATCH, FINE_TUNE_BLOCK = 150, 3e-3, 8, 64


def account_figures(handle: str) -> FilterResult:
    """huggingtweets' figures and kept tweets of a synthetic account, by murmur's own rules."""
    return filter_tweets(generate_account(handle, TWEETS_PER_ACCOUNT).tweets)


def publish(
    store: Store, work: Path, people: list[tuple[str, str]], weights: Path | None
) -> ModelManifest:
    """Publish a model of `people` (handle, display name); `weights=None` publishes a bot that is
    only listed (manifest and card, no weights): the picker and card pages never load them."""
    stats = []
    for handle, name in people:
        f = account_figures(handle)
        stats.append(
            HandleStats(
                handle,
                f.tweets_downloaded,
                f.retweets,
                f.short_tweets,
                f.tweets_kept,
                f.kept_chars,
                display_name=name,
                source="synthetic",
            )
        )
    handles = sorted(h for h, _ in people)
    trained = {
        "steps": FINE_TUNE_STEPS,
        "learning_rate": FINE_TUNE_LR,
        "batch_size": FINE_TUNE_BATCH,
        "block_size": FINE_TUNE_BLOCK,
    }
    manifest = ModelManifest(
        name="-".join(handles),
        handles=handles,
        stats=stats,
        base_model="tiny",
        hyperparameters=trained if weights is not None else {},
        created="2026-11-23T00:00:00+00:00",
    )
    folder = work / manifest.name
    if weights is not None:
        shutil.copytree(weights, folder)
    else:
        folder.mkdir()
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()), encoding="utf-8")
    card = render_card(manifest, f"{store.uri}/models/{manifest.name}")
    (folder / "README.md").write_text(card, encoding="utf-8")
    store.publish_model(manifest.name, folder)
    return manifest


def tweet_like_model(tiny: Path, dest: Path, handles: list[str]) -> Path:
    """The tiny GPT-2 after a few seconds of plain PyTorch on the kept tweets of these sample
    accounts, so that the screenshots show tweets rather than random tokens (murmur's own training
    is tested elsewhere; this only makes the page's test legible)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    from murmur.core.generation import EOS, generation_config_kwargs

    kept = [t for h in handles for t in account_figures(h).kept]
    tokenizer = AutoTokenizer.from_pretrained(tiny)
    model = AutoModelForCausalLM.from_pretrained(tiny)
    ids = torch.tensor(tokenizer(EOS + EOS.join(kept) + EOS, verbose=False)["input_ids"])
    torch.manual_seed(0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=FINE_TUNE_LR)
    model.train()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small runs ~10x slower on two contended threads
    try:
        for _ in range(FINE_TUNE_STEPS):
            starts = torch.randint(0, len(ids) - FINE_TUNE_BLOCK - 1, (FINE_TUNE_BATCH,)).tolist()
            batch = torch.stack([ids[s : s + FINE_TUNE_BLOCK] for s in starts])  # (B, T)
            model(input_ids=batch, labels=batch).loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    finally:
        torch.set_num_threads(threads)
    model.save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    assert isinstance(eos_id, int)
    GenerationConfig(**generation_config_kwargs(eos_id)).save_pretrained(dest)
    return dest


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Store:
    root = tmp_path_factory.mktemp("browser")
    s = Store(str(root / "store"))
    work = root / "build"
    work.mkdir()
    gardener = tweet_like_model(tiny_model_dir, root / "gardener", ["sample_gardener"])
    publish(s, work, [("sample_gardener", "Garden Gus (sample)")], gardener)
    publish(s, work, [("sample_baker", "Sourdough Sam (sample)")], tiny_model_dir)  # deleted
    cyborg = tweet_like_model(tiny_model_dir, root / "cyborg", ["sample_coder", "sample_hiker"])
    publish(
        s,
        work,
        [("sample_coder", "Deploy Dana (sample)"), ("sample_hiker", "Trail Tess (sample)")],
        cyborg,
    )
    publish(s, work, [("eve", HOSTILE_NAME)], None)
    for i in range(CROWD):
        publish(s, work, [(f"crowd_{i:02d}", f"Crowd Member {i}")], None)
    return s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(ray_cluster: None, store: Store) -> Iterator[str]:
    from ray import serve

    from murmur.serving import ServeSettings, build_app

    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    # store_cache_s: a model deleted during a test answers 404 at once; stream_interval_s: text
    # goes out token by token, so that every tweet arrives in pieces the page must put together.
    settings = ServeSettings(store=store.uri, store_cache_s=0, stream_interval_s=0.001)
    serve.run(build_app(settings), name="murmur-browser", route_prefix="/")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the serving app did not answer at {url} within 60 s")
        time.sleep(0.5)
    yield url
    serve.delete("murmur-browser")
    serve.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """A page that records what would be bugs: script errors, blocked content, dialogs."""

    def __init__(self, browser: Browser, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("dialog", lambda d: self.problems.append(f"dialog: {d.message}"))
        self.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:  # something the page needs was blocked
            self.problems.append(f"console: {message.text}")

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    watch = PageWatch(browser, 1280, 900)
    yield watch.page
    watch.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    watch = PageWatch(browser, 390, 844)
    yield watch.page
    watch.close()


def sse_texts(body: str, n: int) -> tuple[list[str], list[int]]:
    """Each choice's text from a completion stream, and how many chunks carried its text."""
    texts = [""] * n
    chunks = [0] * n
    events = [e for e in body.split("\n\n") if e.startswith("data: ")]
    assert events[-1] == "data: [DONE]", events[-1:]
    for event in events[:-1]:
        payload = json.loads(event[len("data: ") :])
        for choice in payload["choices"]:
            texts[choice["index"]] += choice["text"]
            chunks[choice["index"]] += bool(choice["text"])
    return texts, chunks


def pick(page: Page, query: str, handle: str) -> None:
    page.fill("#bot-search", query)
    option = page.locator(".bot-option", has_text=f"@{handle}")
    expect(option).to_have_count(1)
    option.click()
    expect(option).to_have_attribute("aria-selected", "true")


def generate(page: Page, prompt: str, count: int) -> tuple[dict[str, Any], list[str], list[int]]:
    """Click Generate; wait for every card to finish; return the request, the streamed texts and
    the number of chunks that carried text."""
    page.fill("#prompt", prompt)
    page.fill("#count", str(count))
    with page.expect_response("**/v1/completions", timeout=GENERATION_TIMEOUT_MS) as answer:
        page.click("#generate")
    response = answer.value
    assert response.status == 200, response.text()
    assert response.headers["content-type"].startswith("text/event-stream")
    expect(page.locator(".tweet")).to_have_count(count)
    expect(page.locator(".tweet.streaming")).to_have_count(0, timeout=GENERATION_TIMEOUT_MS)
    expect(page.locator("#generate")).to_have_text("Generate")
    texts, chunks = sse_texts(response.text(), count)
    request = response.request.post_data_json
    assert isinstance(request, dict), request
    return request, texts, chunks


def check_tweets(
    page: Page, prompt: str, streamed: list[str], badge: str, name: str, handles: str
) -> None:
    cards = page.locator(".tweet")
    for i, raw in enumerate(streamed):
        card = cards.nth(i)
        expect(card.locator(".badge")).to_have_text(badge)
        expect(card.locator(".bot-name")).to_have_text(name)
        expect(card.locator(".handles")).to_have_text(handles)
        # The page cuts each tweet exactly as huggingtweets (and /generate) cut them.
        expect(card.locator(".tweet-text")).to_have_text(cut_generation(prompt + raw))
        assert card.locator(".tweet-text").inner_text().startswith(prompt)


def test_tweets_stream_into_cards_and_link_to_the_model_card(desktop: Page, base_url: str) -> None:
    page = desktop
    page.goto(base_url + "/")
    expect(page.locator("#bot-count")).to_have_text(f"{CROWD + 4} bots.")
    expect(page.locator("#prompt")).to_have_value("My dream is")
    expect(page.locator("#count")).to_have_value("5")

    pick(page, "garden gus", "sample_gardener")
    expect(page.locator("#chosen .bot-name")).to_have_text("Garden Gus (sample)")
    request, streamed, chunks = generate(page, "My dream is", 4)
    assert request == {
        "model": "sample_gardener",
        "prompt": "My dream is",
        "n": 4,
        "stream": True,
        "top_p": 0.95,
        "temperature": 1.0,
    }
    assert max(chunks) > 1, f"chunks per tweet: {chunks}: nothing was streamed in pieces"
    check_tweets(
        page, "My dream is", streamed, "🤖 AI BOT", "Garden Gus (sample)", "@sample_gardener"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "talk-desktop.png"), full_page=True)

    page.locator(".tweet .bot-name").first.click()
    expect(page).to_have_url(base_url + "/models/sample_gardener")
    expect(page.locator("h1.bot-name")).to_have_text("Garden Gus (sample)")
    expect(page.locator(".bot-header .badge")).to_have_text("🤖 AI BOT 🤖")
    table = page.locator(".model-card table").first  # the training data
    expect(table.locator("th")).to_have_text(["Data", "Garden Gus (sample)"])
    figures = account_figures("sample_gardener")
    for label, value in [
        ("Tweets downloaded", figures.tweets_downloaded),
        ("Retweets", figures.retweets),
        ("Short tweets", figures.short_tweets),
        ("Tweets kept", figures.tweets_kept),
    ]:
        row = table.locator("tr", has_text=label).locator("td")
        expect(row).to_have_text([label, str(value)])
    expect(page.locator(".model-card pre code").first).to_contain_text("pipeline('text-generation'")
    page.screenshot(path=str(SHOTS / "card-desktop.png"), full_page=True)

    page.click("text=Talk to this bot")
    expect(page.locator("#chosen .bot-name")).to_have_text("Garden Gus (sample)")


def test_a_cyborg_at_phone_width(phone: Page, base_url: str) -> None:
    page = phone
    page.goto(base_url + "/?model=sample_coder-sample_hiker")
    expect(page.locator("#chosen .badge")).to_have_text("🤖 AI CYBORG")
    _, streamed, _ = generate(page, "I think that", 2)
    check_tweets(
        page,
        "I think that",
        streamed,
        "🤖 AI CYBORG",
        "Deploy Dana (sample) & Trail Tess (sample)",
        "@sample_coder @sample_hiker",
    )
    expect(page.locator(".tweet").first.locator(".avatar")).to_have_count(2)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at a 390 px phone: it scrolls sideways"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "talk-phone.png"), full_page=True)


def test_search_narrows_hundreds_and_names_stay_text(desktop: Page, base_url: str) -> None:
    page = desktop
    page.goto(base_url + "/")
    expect(page.locator(".bot-option")).to_have_count(CROWD + 4)
    page.fill("#bot-search", "crowd member 1")  # 1 and 10-19
    expect(page.locator(".bot-option")).to_have_count(11)
    expect(page.locator("#bot-count")).to_have_text(f"11 of {CROWD + 4} bots match.")
    page.fill("#bot-search", "@SAMPLE_")
    expect(page.locator(".bot-option")).to_have_count(3)
    page.fill("#bot-search", "nobody like this")
    expect(page.locator(".bot-option")).to_have_count(0)
    expect(page.locator("#bot-count")).to_have_text("No bot matches “nobody like this”.")

    # A display name is text, on the picker and on the card page: never markup.
    pick(page, "@eve", "eve")
    expect(page.locator("#chosen .bot-name")).to_have_text(HOSTILE_NAME)
    expect(page.locator("#bot-list img, #chosen img, script:not([src])")).to_have_count(0)
    page.goto(base_url + "/models/eve")
    expect(page.locator("h1.bot-name")).to_have_text(HOSTILE_NAME)
    expect(page.locator("main img, main script")).to_have_count(0)


def test_errors_are_explained(desktop: Page, base_url: str, store: Store) -> None:
    page = desktop
    page.goto(base_url + "/")
    pick(page, "garden", "sample_gardener")

    # Invalid input: the server's 422 states its limit, and the page shows it.
    page.fill("#count", "50")
    page.click("#generate")
    message = page.locator("#message")
    expect(message).to_contain_text("The server refused the request")
    expect(message).to_contain_text("n: at most 20 (got 50)")

    # Overload and a network failure, as the browser would see them.
    page.route(
        "**/v1/completions",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body=json.dumps({"error": {"message": "overloaded", "type": "overloaded_error"}}),
        ),
    )
    page.fill("#count", "2")
    page.click("#generate")
    expect(message).to_have_text("The bots are busy, try again in a moment.")
    page.unroute("**/v1/completions")
    page.route("**/v1/completions", lambda route: route.abort("connectionrefused"))
    page.click("#generate")
    expect(message).to_have_text("Could not reach the server. Check your connection and try again.")
    page.unroute("**/v1/completions")

    # A bot deleted while its page is open: 404, said plainly, and the list forgets it.
    pick(page, "sourdough", "sample_baker")
    store.delete_model("sample_baker")
    page.click("#generate")
    expect(message).to_have_text(
        "No bot named “sample_baker” is published any more. It may have been deleted: "
        "pick another one."
    )
    expect(page.locator("#chosen")).to_have_text("Pick a bot from the list.")
    expect(page.locator("#generate")).to_be_disabled()
    page.fill("#bot-search", "sourdough")
    expect(page.locator(".bot-option")).to_have_count(0)
    page.goto(base_url + "/?model=sample_baker")  # an old link to it
    expect(message).to_have_text(
        "No bot named “sample_baker” is published here: pick one from the list."
    )
    answer = page.goto(base_url + "/models/sample_baker")
    assert answer is not None and answer.status == 404
    expect(page.locator(".error-message")).to_have_text(
        "No bot named “sample_baker” is published here. It may have been deleted or never "
        "trained: pick one from the list."
    )
    answer = page.goto(base_url + "/models/Not-A-Name!")
    assert answer is not None and answer.status == 404
    expect(page.locator(".error-message")).to_contain_text("is not a model name")
