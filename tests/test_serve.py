"""The serving endpoint: every route on a local Ray, its errors, and each bot served by its own
weights.

One app (and a second, deliberately overloaded one) is started once for the module on the shared
Ray cluster, over one store of distinct tiny bots published once per session (`bots_store`; the
batched generator's in-process tests, tests/test_serve_batching.py, read the same store).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import socket
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import torch
import yaml

from murmur.core.generation import EOS
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store
from murmur.serving import ServeSettings, build_app
from murmur.serving.schema import MAX_N, MAX_PROMPT_CHARS, MAX_TOKENS

REPO = Path(__file__).resolve().parent.parent
BOTS = ("alice", "bob", "carol-dave")
NOISE = 0.5  # std of the noise added to every weight: enough for each bot to write its own text


def publish_tiny(store: Store, tmp: Path, name: str, noise_seed: int | None = None) -> None:
    """Publish a bot `name`: the tiny base with noise added to its weights, seeded by `noise_seed`
    (by default from the name), so that bots of different names or seeds write different text."""
    store.publish_model(name, build_tiny(tmp, name, noise_seed))


def build_tiny(tmp: Path, name: str, noise_seed: int | None = None) -> Path:
    """The folder `publish_tiny` publishes, under `tmp`, built as training builds one
    (murmur.models.publish: weights, tokenizer, generation config, card, manifest)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.models.base import ensure_tiny_model
    from murmur.models.publish import build_model_folder

    base = ensure_tiny_model()
    model = AutoModelForCausalLM.from_pretrained(base)
    seed = zlib.crc32(name.encode()) if noise_seed is None else noise_seed
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=generator) * NOISE)
    handles = name.split("-")
    manifest = ModelManifest(
        name=name,
        handles=handles,
        stats=[HandleStats(h, 100, 10, 10, 80, display_name=h.title()) for h in handles],
        base_model="tiny",
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        version=uuid.uuid4().hex,
    )
    folder = tmp / f"{name}-{uuid.uuid4().hex[:6]}"
    build_model_folder(
        folder,
        state_dict=model.state_dict(),
        model_config=model.config,
        tokenizer=AutoTokenizer.from_pretrained(base),
        manifest=manifest,
        model_ref=name,
    )
    return folder


_SESSION_STORE: list[Store] = []  # test modules that import `bots_store` share one store


def bots_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The store of BOTS, published once per session whichever test module asks first."""
    if not _SESSION_STORE:
        root = tmp_path_factory.mktemp("serve")
        store = Store(str(root / "store"))
        for name in BOTS:
            publish_tiny(store, root, name)
        _SESSION_STORE.append(store)
    return _SESSION_STORE[0]


def greedy_reference(store: Store, name: str, prompt: str, max_new_tokens: int) -> str:
    """What a plain transformers pipeline writes greedily on the bot's folder, after
    huggingtweets' `<|endoftext|>` prefix and with no minimum length (as with max_tokens)."""
    from transformers import pipeline

    generator = pipeline("text-generation", model=store.local_model_dir(name), device="cpu")
    out = generator(
        EOS + prompt,
        max_new_tokens=max_new_tokens,
        do_sample=False,
        min_length=0,
        return_full_text=False,
    )
    return str(out[0]["generated_text"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(check: Callable[[], bool], timeout_s: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return bots_store(tmp_path_factory)


def test_shipped_config_is_valid_for_serve_and_murmur(monkeypatch: pytest.MonkeyPatch) -> None:
    from ray.serve.schema import ServeDeploySchema

    monkeypatch.setenv("MURMUR_API_KEYS", "cluster-key-1")  # keys on, as the config says to set

    config = yaml.safe_load((REPO / "serve" / "config.yaml").read_text())
    ServeDeploySchema.model_validate(config)  # what `serve deploy` checks
    (application,) = config["applications"]
    assert application["import_path"] == "murmur.serving.app:app"  # from the installed package
    module_name, _, attribute = application["import_path"].partition(":")
    app = getattr(importlib.import_module(module_name), attribute)(application["args"])
    assert type(app).__name__ == "Application"
    # The repository's serve/app.py is a shim for configs that still name serve.app:app.
    spec = importlib.util.spec_from_file_location("serve_app", REPO / "serve" / "app.py")
    assert spec is not None and spec.loader is not None
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)
    assert shim.app is getattr(importlib.import_module(module_name), attribute)
    settings = ServeSettings.model_validate(application["args"])
    assert settings.max_queued_requests > 0 and settings.max_batch_size >= MAX_N
    with pytest.raises(ValueError, match="max_replicas"):
        ServeSettings(min_replicas=3, max_replicas=2)
    # torch's threads in a replica: its CPUs (at least 1) unless torch_threads says otherwise
    assert [ServeSettings(num_cpus=c).replica_threads() for c in (0.5, 2)] == [1, 2]
    assert ServeSettings(num_cpus=2, torch_threads=1).replica_threads() == 1


# ---- the endpoint on Ray -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def endpoint(ray_cluster: None, store: Store) -> Iterator[str]:
    """The app at /, and at /slow an app that sheds load and times out at once."""
    from ray import serve

    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    fast = ServeSettings(store=store.uri, num_cpus=0.5, store_cache_s=0.2)
    slow = ServeSettings(
        store=store.uri,
        num_cpus=0.25,
        max_ongoing_requests=1,
        max_queued_requests=1,
        batch_wait_timeout_s=30,  # a lone request waits for company: it cannot finish in time
        request_timeout_s=2,
        max_batch_size=MAX_N,
    )
    serve.run(build_app(fast), name="murmur-test", route_prefix="/")
    serve.run(build_app(slow), name="murmur-slow", route_prefix="/slow")
    yield f"http://127.0.0.1:{port}"
    serve.delete("murmur-slow")
    serve.delete("murmur-test")
    serve.shutdown()


@pytest.fixture(scope="module")
def client(endpoint: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=endpoint, timeout=60) as client:
        yield client


def complete(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/v1/completions", json={"model": "alice", **body})


def sse_chunks(response: httpx.Response) -> list[Any]:
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [line[len("data: ") :] for line in response.text.splitlines() if line]
    assert events[-1] == "[DONE]"
    return [json.loads(e) for e in events[:-1]]


@pytest.mark.ray
def test_healthz_and_models(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    by_id = {m["id"]: m for m in body["data"]}
    assert {"alice", "bob", "carol-dave"} <= set(by_id)
    combined = by_id["carol-dave"]
    assert combined["object"] == "model" and combined["owned_by"] == "murmur"
    assert combined["handles"] == ["carol", "dave"]
    assert combined["display_names"] == ["Carol", "Dave"]
    assert combined["created"] > 1_600_000_000


@pytest.mark.ray
def test_completion_in_openais_shape(client: httpx.Client, tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    prompt_ids = AutoTokenizer.from_pretrained(tiny_model_dir)(EOS + "My dream is")["input_ids"]
    r = complete(client, prompt="My dream is", max_tokens=6, n=3)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "text_completion" and body["model"] == "alice"
    assert body["id"].startswith("cmpl-") and body["created"] > 0
    assert [c["index"] for c in body["choices"]] == [0, 1, 2]
    for c in body["choices"]:
        assert isinstance(c["text"], str) and c["logprobs"] is None
        assert c["finish_reason"] in ("stop", "length")
    usage = body["usage"]
    assert usage["prompt_tokens"] == len(prompt_ids)  # huggingtweets' <|endoftext|> counts
    assert 3 <= usage["completion_tokens"] <= 18
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.ray
def test_seed_greedy_and_stream_agree(client: httpx.Client) -> None:
    ask = {"prompt": "I like", "max_tokens": 12, "n": 2, "seed": 11}
    first, again = complete(client, **ask).json(), complete(client, **ask).json()
    assert first["choices"] == again["choices"]
    other = complete(client, **{**ask, "seed": 12}).json()
    assert other["choices"] != first["choices"]
    greedy = complete(client, prompt="I like", max_tokens=8, n=2, temperature=0).json()
    assert greedy["choices"][0]["text"] == greedy["choices"][1]["text"]

    streamed = complete(client, **ask, stream=True)
    assert streamed.status_code == 200
    chunks = sse_chunks(streamed)
    texts, reasons = ["", ""], [None, None]
    for chunk in chunks:
        assert chunk["object"] == "text_completion" and chunk["model"] == "alice"
        (choice,) = chunk["choices"]
        texts[choice["index"]] += choice["text"]
        reasons[choice["index"]] = choice["finish_reason"] or reasons[choice["index"]]
    assert texts == [c["text"] for c in first["choices"]]
    assert reasons == [c["finish_reason"] for c in first["choices"]]


@pytest.mark.ray
def test_generate_in_huggingtweets_way(client: httpx.Client) -> None:
    r = client.post("/generate", json={"model": "bob", "prompt": "My dream is", "n": 4})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model"] == "bob" and body["prompt"] == "My dream is"
    assert len(body["generations"]) == 4
    for text in body["generations"]:
        assert text.startswith("My dream is") and "\n" not in text and text == text.strip()
    defaults = client.post("/generate", json={"model": "carol-dave"}).json()
    assert defaults["prompt"] == "My dream is" and len(defaults["generations"]) == 1


@pytest.mark.ray
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/completions", {"model": "nobody"}),
        ("/v1/completions", {"model": "nobody", "stream": True}),
        ("/generate", {"model": "nobody"}),
    ],
)
def test_unknown_model_is_404(client: httpx.Client, path: str, body: dict[str, Any]) -> None:
    r = client.post(path, json=body)
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "not_found_error"
    assert "'nobody'" in r.json()["error"]["message"]


@pytest.mark.ray
@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"n": MAX_N + 1}, "n: at most 20 (got 21)"),
        ({"n": 0}, "n: at least 1 (got 0)"),
        ({"max_tokens": MAX_TOKENS + 1}, "max_tokens: at most 512 (got 513)"),
        ({"temperature": 2.5}, "temperature: at most 2 (got 2.5)"),
        ({"temperature": -0.1}, "temperature: at least 0 (got -0.1)"),
        ({"top_p": -0.1}, "top_p: at least 0 (got -0.1)"),
        ({"top_p": 1.5}, "top_p: at most 1 (got 1.5)"),
        ({"prompt": "x" * (MAX_PROMPT_CHARS + 1)}, "at most 1000 characters"),
        ({"model": "../../etc/passwd"}, "invalid model name"),
        ({"model": "a/b"}, "invalid model name"),
        ({"prompt": "long " * 190, "max_tokens": 100}, "takes at most 256 tokens in all"),
        ({"prompt": "long " * 190, "stream": True}, "shorten the prompt"),
    ],
)
def test_invalid_input_is_422_with_the_limit(
    client: httpx.Client, body: dict[str, Any], says: str
) -> None:
    r = complete(client, **body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error" and says in error["message"]


@pytest.mark.ray
def test_publish_republish_and_delete_while_running(
    client: httpx.Client, store: Store, tmp_path: Path
) -> None:
    def status(model: str) -> int:
        return complete(client, model=model, max_tokens=3).status_code

    assert status("erin") == 404
    publish_tiny(store, tmp_path, "erin")
    wait_until(lambda: status("erin") == 200, what="a new model to be served")
    assert "erin" in {m["id"] for m in client.get("/v1/models").json()["data"]}

    greedy = {"model": "erin", "prompt": "I like", "max_tokens": 10, "temperature": 0}
    before = complete(client, **greedy).json()["choices"][0]["text"]
    publish_tiny(store, tmp_path, "erin", noise_seed=1)  # other weights, same name
    wait_until(
        lambda: complete(client, **greedy).json()["choices"][0]["text"] != before,
        what="the republished model to be loaded",
    )

    store.delete_model("erin")
    wait_until(lambda: status("erin") == 404, what="a deleted model to stop being served")
    assert "erin" not in {m["id"] for m in client.get("/v1/models").json()["data"]}


@dataclass
class Streamed:
    """One streamed completion as its client saw it (time.monotonic() seconds)."""

    sent: float
    first: float | None  # its first chunk
    done: float
    status: int
    texts: tuple[str, ...]  # by choice
    errors: list[Any]


async def stream_completion(
    http: httpx.AsyncClient, body: dict[str, Any], on_first: Callable[[], None] | None = None
) -> Streamed:
    """POST a streamed completion and read it to its end; `on_first` runs at its first chunk."""
    sent, first = time.monotonic(), None
    texts: dict[int, str] = {}
    errors: list[Any] = []
    async with http.stream("POST", "/v1/completions", json={**body, "stream": True}) as r:
        async for line in r.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            if first is None:
                first = time.monotonic()
                if on_first is not None:
                    on_first()
            chunk = json.loads(line.removeprefix("data: "))
            errors += [chunk["error"]] if "error" in chunk else []
            for choice in chunk.get("choices", []):
                texts[choice["index"]] = texts.get(choice["index"], "") + choice["text"]
        status = r.status_code
    return Streamed(
        sent, first, time.monotonic(), status, tuple(texts[i] for i in sorted(texts)), errors
    )


@pytest.mark.ray
def test_a_new_version_is_served_under_load_and_requests_in_flight_end_on_the_old(
    endpoint: str, store: Store, tmp_path: Path
) -> None:
    """Clients stream requests for a bot while a new version of it is published: none
    fails; every request sent `store_cache_s` (the endpoint's 0.2 s) after the publish gets the
    new version; every request already answering, and a long one in flight, ends on the old."""
    cache_s = 0.2  # the `endpoint` fixture's store_cache_s
    publish_tiny(store, tmp_path, "vera", noise_seed=1)
    newer = build_tiny(tmp_path, "vera", noise_seed=2)  # built now: the publish is a quick switch
    load = {"model": "vera", "prompt": "I like", "max_tokens": 12, "n": 2, "seed": 1}
    long = {"model": "vera", "prompt": "My dream is", "max_tokens": 200, "n": 8, "seed": 3}
    published: list[float] = []

    def publish() -> None:
        store.publish_model("vera", newer)
        published.append(time.monotonic())

    async def scenario() -> tuple[tuple[str, ...], tuple[str, ...], Streamed, list[Streamed]]:
        async with httpx.AsyncClient(base_url=endpoint, timeout=120) as http:
            old_load = (await stream_completion(http, load)).texts
            old_long = (await stream_completion(http, long)).texts
            seen: list[Streamed] = []

            async def client() -> None:  # one request after another until 3 after the switch
                while sum(r.sent > published[0] + cache_s for r in seen if published) < 3:
                    seen.append(await stream_completion(http, load))

            clients = [asyncio.create_task(client()) for _ in range(3)]
            await asyncio.sleep(0.5)
            in_flight = await stream_completion(http, long, on_first=publish)
            await asyncio.wait_for(asyncio.gather(*clients), timeout=120)
            return old_load, old_long, in_flight, seen

    old_load, old_long, in_flight, seen = asyncio.run(scenario())
    switch = published[0]
    assert all(r.status == 200 and not r.errors for r in [in_flight, *seen])
    assert in_flight.first is not None and in_flight.first < switch < in_flight.done
    assert in_flight.texts == old_long  # in flight at the switch: all of it the old version's
    before = [r for r in seen if r.first is not None and r.first < switch]
    after = [r for r in seen if r.sent > switch + cache_s]
    assert before and len(after) >= 3
    assert all(r.texts == old_load for r in before)
    new_load = after[0].texts
    assert new_load != old_load and all(r.texts == new_load for r in after)
    assert all(r.texts in (old_load, new_load) for r in seen)


@pytest.mark.ray
def test_a_damaged_model_fails_alone(client: httpx.Client, store: Store, tmp_path: Path) -> None:
    publish_tiny(store, tmp_path, "frank")
    folder = Path(store.local_model_dir("frank"))
    (folder / "model.safetensors").write_bytes(b"not weights")
    r = complete(client, model="frank", max_tokens=3)
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "server_error"
    assert "'frank'" in r.json()["error"]["message"] and "could not be loaded" in r.text
    (folder / "murmur.json").write_text("{not json")
    wait_until(lambda: complete(client, model="frank").status_code == 500, what="a bad manifest")
    assert "frank" not in {m["id"] for m in client.get("/v1/models").json()["data"]}
    assert complete(client, max_tokens=3).status_code == 200  # the others serve on
    store.delete_model("frank")


@pytest.mark.ray
def test_overload_is_503_and_slowness_is_504_never_a_hang(endpoint: str) -> None:
    async def burst(count: int) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=f"{endpoint}/slow", timeout=30) as client:
            body = {"model": "alice", "max_tokens": 5}
            return list(
                await asyncio.gather(
                    *(client.post("/v1/completions", json=body) for _ in range(count))
                )
            )

    start = time.monotonic()
    responses = asyncio.run(burst(8))
    elapsed = time.monotonic() - start
    statuses = sorted(r.status_code for r in responses)
    # One request runs and one waits (max_ongoing 1, max_queued 1); the rest are shed at once,
    # and the two admitted ones run out of time: nothing hangs.
    assert set(statuses) <= {503, 504} and statuses.count(503) >= 5, statuses
    shed = next(r for r in responses if r.status_code == 503)
    assert shed.json()["error"]["type"] == "overloaded_error"
    assert shed.headers.get("retry-after") == "1"
    late = [r for r in responses if r.status_code == 504]
    assert late and late[0].json()["error"]["type"] == "timeout_error"
    assert elapsed < 20


@pytest.mark.ray
def test_each_bot_is_served_by_its_own_weights(endpoint: str, store: Store) -> None:
    """Requests for every bot in flight together, greedy ones among sampled ones: each greedy
    answer is what a plain transformers pipeline writes on that bot's folder."""
    prompt, max_tokens = "I like", 12
    expected = {bot: greedy_reference(store, bot, prompt, max_tokens) for bot in BOTS}
    assert len(set(expected.values())) == len(BOTS), expected  # the bots differ pairwise
    greedy = {"prompt": prompt, "max_tokens": max_tokens, "temperature": 0, "n": 2}
    sampled = {"prompt": "My dream is", "max_tokens": 16, "n": 3}
    asked = [bot for bot in BOTS for _ in range(2)]

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=endpoint, timeout=60) as client:
            calls = [client.post("/v1/completions", json={"model": b, **greedy}) for b in asked]
            calls += [client.post("/v1/completions", json={"model": b, **sampled}) for b in BOTS]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(together())
    assert [r.status_code for r in responses] == [200] * len(responses), responses[0].text
    for bot, response in zip(asked, responses, strict=False):
        assert [c["text"] for c in response.json()["choices"]] == [expected[bot]] * 2, bot


@pytest.mark.ray
def test_an_over_budget_prompt_gets_advice_for_its_route(client: httpx.Client) -> None:
    heavy = "😀漢字" * 333  # 999 characters, about 3,000 tokens
    r = client.post("/generate", json={"model": "alice", "prompt": heavy})
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "shorten the prompt by at least" in message and "max_tokens" not in message
    r = complete(client, prompt=heavy, max_tokens=10)
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "shorten the prompt by at least" in message and "lower max_tokens" not in message
    r = complete(client, prompt=" the" * 199, max_tokens=100)  # 200 tokens with the prefix
    assert r.status_code == 422 and "lower max_tokens to 56 or less" in r.json()["error"]["message"]


@pytest.mark.ray
def test_murmur_generate_against_the_endpoint(endpoint: str) -> None:
    from typer.testing import CliRunner

    from murmur.cli import app

    runner = CliRunner()
    url = ["--url", endpoint]
    result = runner.invoke(app, ["generate", "alice", "I like", "-n", "2", *url])
    assert result.exit_code == 0, result.output
    tweets = [line for line in result.output.splitlines() if line.startswith("🤖 @alice: I like")]
    assert len(tweets) == 2
    result = runner.invoke(app, ["generate", "bob", "-n", "3", "--json", *url])
    assert result.exit_code == 0 and len(json.loads(result.output)["generations"]) == 3
    result = runner.invoke(app, ["generate", "bob", "I want", "-n", "2", "--stream", *url])
    assert result.exit_code == 0, result.output
    assert result.output.count("🤖 @bob: I want") == 2
    result = runner.invoke(app, ["generate", "nobody", *url])
    assert result.exit_code == 1 and "404" in result.output and "'nobody'" in result.output


@pytest.mark.ray
def test_the_openai_client_against_the_endpoint(endpoint: str, store: Store) -> None:
    """The official openai client on Serve (tests/test_openai_api.py covers each field in-process):
    a request's prompts as specs batched on a replica, their streams merged with the usage chunk,
    a scoring request, chat (streamed too) and models.retrieve."""
    import openai

    client = openai.OpenAI(base_url=f"{endpoint}/v1", api_key="x", max_retries=0)
    prompts, max_tokens = ["I like", "My dream is"], 8
    expected = [greedy_reference(store, "alice", p, max_tokens) for p in prompts]
    ask: dict[str, Any] = {"model": "alice", "max_tokens": max_tokens, "temperature": 0}
    whole = client.completions.create(prompt=prompts, n=2, **ask)
    assert [c.text for c in whole.choices] == [e for e in expected for _ in range(2)]
    *chunks, last = client.completions.create(
        prompt=prompts, n=2, stream=True, stream_options={"include_usage": True}, **ask
    )
    texts = [""] * 4
    for chunk in chunks:
        texts[chunk.choices[0].index] += chunk.choices[0].text
    assert texts == [c.text for c in whole.choices]
    assert last.choices == [] and last.usage == whole.usage

    scored = client.completions.create(
        model="alice", prompt=prompts[0], max_tokens=0, echo=True, logprobs=1
    ).choices[0]
    assert scored.text == prompts[0] and scored.logprobs is not None
    assert "".join(scored.logprobs.tokens or []) == prompts[0]

    chat = [{"role": "system", "content": "Be a bot."}, {"role": "user", "content": prompts[1]}]
    answer = client.chat.completions.create(messages=chat, **ask)  # type: ignore[arg-type]
    assert answer.choices[0].message.content == expected[1]
    streamed = client.chat.completions.create(messages=chat, stream=True, **ask)  # type: ignore[arg-type]
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == expected[1]

    assert client.models.retrieve("carol-dave").id == "carol-dave"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("nobody")
