"""The serving endpoint: every route on a local Ray, its errors, and the batched generator.

One app (and a second, deliberately overloaded one) is started once for the module on the shared
Ray cluster, with untrained tiny models published into a temporary store.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import torch
import yaml

from murmur.generation import EOS, generation_config_kwargs
from murmur.models.manifest import HandleStats, ModelManifest
from murmur.models.store import Store
from murmur.serving.app import MAX_N, MAX_PROMPT_CHARS, MAX_TOKENS, ServeSettings, build_app
from murmur.serving.batching import GenerationJob, RowSampling, generate_batch, load_model

REPO = Path(__file__).resolve().parent.parent


def publish_tiny(store: Store, tmp: Path, name: str, noise_seed: int | None = None) -> None:
    """Publish the untrained tiny GPT-2 as `name`: weights, generation config, card, manifest.

    With `noise_seed`, the weights are perturbed, so that the model writes something else.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    from murmur.models.base import ensure_tiny_model

    folder = tmp / f"{name}-{uuid.uuid4().hex[:6]}"
    shutil.copytree(ensure_tiny_model(), folder)
    if noise_seed is not None:
        model = AutoModelForCausalLM.from_pretrained(folder)
        torch.manual_seed(noise_seed)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn_like(p) * 0.5)
        model.save_pretrained(folder)
    tokenizer: Any = AutoTokenizer.from_pretrained(folder)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    GenerationConfig(**generation_config_kwargs(eos_id)).save_pretrained(folder)
    handles = name.split("-")
    manifest = ModelManifest(
        name=name,
        handles=handles,
        stats=[HandleStats(h, 100, 10, 10, 80, display_name=h.title()) for h in handles],
        base_model="tiny",
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        version=uuid.uuid4().hex,
    )
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
    (folder / "README.md").write_text(f"# {name}\n")
    store.publish_model(name, folder)


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


# ---- the batched generator, in-process (no Ray) ------------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("serve")
    store = Store(str(root / "store"))
    for name in ("alice", "bob", "carol-dave"):
        publish_tiny(store, root, name)
    return store


def test_row_sampling_applies_each_rows_settings() -> None:
    scores = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]] * 4))
    sampling = RowSampling(
        temperature=[1.0, 1.0, 0.0, 1.0],
        top_p=[0.7, 1.0, 1.0, 1.0],
        min_new=[0, 0, 0, 5],
        eos_id=0,
        prompt_len=3,
        device=torch.device("cpu"),
    )
    out = sampling(torch.zeros(4, 4, dtype=torch.long), scores.clone())  # 1 token generated
    kept = out > -torch.inf
    assert kept[0].tolist() == [True, True, False, False]  # top_p 0.7: 0.5 + 0.3
    assert kept[1].all()  # top_p 1: everything
    assert kept[2].tolist() == [True, False, False, False]  # greedy: the best only
    assert kept[3].tolist() == [False, True, True, True]  # too short for end-of-text


def test_requests_with_different_settings_share_a_batch(store: Store) -> None:
    lm = load_model(store, "alice")
    jobs = [
        GenerationJob("My dream is", n=3, max_new_tokens=7),
        GenerationJob("I think that", n=2, max_new_tokens=12, temperature=0.7, top_p=0.5),
        GenerationJob("I like", n=1, max_new_tokens=5, temperature=0),
        GenerationJob("long " * 400, n=1, max_new_tokens=5),
    ]
    events: list[Any] = []
    results = generate_batch(lm, jobs, on_events=events.append, interval_s=0.0)
    for job, result in zip(jobs[:3], results[:3], strict=True):
        assert result.error is None and len(result.choices) == job.n
        assert job.max_new_tokens is not None
        for choice in result.choices:
            assert choice.finish_reason in ("stop", "length")
        if all(c.finish_reason == "length" for c in result.choices):
            assert result.completion_tokens == job.n * job.max_new_tokens
        prompt_ids = lm.tokenizer(EOS + job.prompt)["input_ids"]
        assert result.prompt_tokens == len(prompt_ids)
    assert results[3].error is not None and "takes at most 256 tokens" in results[3].error
    assert len(events) > 3  # text arrived step by step, not only at the end
    for j, job in enumerate(jobs[:3]):  # each choice finishes once, with its whole text sent
        finishes = [d.index for step in events for d in step[j].deltas if d.finish_reason]
        assert sorted(finishes) == list(range(job.n))
        texts = [
            "".join(d.text for step in events for d in step[j].deltas if d.index == c)
            for c in range(job.n)
        ]
        assert texts == [c.text for c in results[j].choices]
    # Greedy rows write what they write alone, whatever shared their batch.
    alone = generate_batch(lm, [jobs[2]])[0]
    assert alone.choices == results[2].choices


def test_a_choice_ending_early_finishes_once_and_streams_whole(store: Store) -> None:
    from murmur.serving.batching import _plan, _Progress

    lm = load_model(store, "alice")
    word = lm.tokenizer(" garden")["input_ids"]
    events: list[Any] = []
    progress = _Progress(
        lm, [_plan(lm, GenerationJob("I", n=2, max_new_tokens=4))], events.append, 0
    )
    rows = [(0, 0), (0, 1)]
    for step in range(4):  # choice 1 writes end-of-text at once, then padding
        progress.step(rows, [word[step % len(word)], lm.eos_id])
    progress.close(rows)
    deltas = [d for step in events for d in step[0].deltas]
    assert [(d.index, d.finish_reason) for d in deltas if d.finish_reason] == [
        (1, "stop"),
        (0, "length"),
    ]
    assert "".join(d.text for d in deltas if d.index == 1) == ""
    done = next(step[0] for step in events if step[0].done)  # later ones are bare markers
    assert done.completion_tokens == 4 + 1 and done.prompt_tokens == 2


def test_a_seed_reproduces_its_text(store: Store) -> None:
    lm = load_model(store, "bob")
    job = GenerationJob("My dream is", n=2, max_new_tokens=10, seed=7)
    other = GenerationJob("I like", n=3, max_new_tokens=10)
    first = generate_batch(lm, [job, other])[0]
    again = generate_batch(lm, [other, job, other])[1]
    assert first.choices == again.choices
    reseeded = generate_batch(lm, [GenerationJob("My dream is", n=2, max_new_tokens=10, seed=8)])
    assert reseeded[0].choices != first.choices


def test_shipped_config_is_valid_for_serve_and_murmur() -> None:
    from ray.serve.schema import ServeDeploySchema

    config = yaml.safe_load((REPO / "serve" / "config.yaml").read_text())
    ServeDeploySchema.model_validate(config)  # what `serve deploy` checks
    (application,) = config["applications"]
    assert application["import_path"] == "serve.app:app"
    spec = importlib.util.spec_from_file_location("serve_app", REPO / "serve" / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.app(application["args"])
    assert type(app).__name__ == "Application"
    settings = ServeSettings.model_validate(application["args"])
    assert settings.max_queued_requests > 0 and settings.max_batch_size >= MAX_N
    with pytest.raises(ValueError, match="max_replicas"):
        ServeSettings(min_replicas=3, max_replicas=2)


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
        ({"n": MAX_N + 1}, "less than or equal to 20"),
        ({"n": 0}, "greater than or equal to 1"),
        ({"max_tokens": MAX_TOKENS + 1}, "less than or equal to 512"),
        ({"temperature": 2.5}, "temperature: Input should be less than or equal to 2"),
        ({"temperature": -0.1}, "temperature: Input should be greater than or equal to 0"),
        ({"top_p": 0}, "top_p: Input should be greater than 0"),
        ({"top_p": 1.5}, "top_p: Input should be less than or equal to 1"),
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
