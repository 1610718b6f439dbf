"""LoRA bots served beside full models: adapters made here with PEFT on the `tiny` base (B
perturbed, so that each bot writes its own text), published as training publishes them.

In-process (no Ray): a mixed batch of bots over one base runs in one generate call and each bot
writes what transformers + PEFT write on its folder; the field-report guarantees (seeds, stop,
echo/logprobs, positions) hold row by row; a base of another hash is refused; adapters are evicted
past the memory budget, least recently used first. On Ray: the endpoint answers three bots sent
together in one batch, each with its own adapter's text, beside a full model.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import torch

from murmur.core.generation import EOS, generation_config_kwargs
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store
from murmur.models.base import resolve_base

LORA_BOTS = ("dora", "eve", "frank")
TARGETS = ("c_attn", "c_proj", "c_fc")  # every linear layer of GPT-2 (attention and MLP)
B_NOISE = 0.3  # std of the noise on B (PEFT starts it at 0: the bot would write the base's text)


def publish_lora(
    store: Store,
    tmp: Path,
    name: str,
    seed: int,
    base: str = "tiny",
    rank: int = 4,
    base_hash: str | None = None,
) -> None:
    """Publish LoRA bot `name` per the folder contract: PEFT's adapter_config.json and
    adapter_model.safetensors (B seeded noise), the tokenizer, the generation config, a card and
    murmur.json with method, adapter_bytes, lora and the base's name and hash (`base_hash` to
    record another)."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    info = resolve_base(base, store)
    model = AutoModelForCausalLM.from_pretrained(info.path)
    config = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        target_modules=list(TARGETS),
        fan_in_fan_out=True,  # GPT-2's Conv1D
        task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, config)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for key, p in peft_model.named_parameters():
            if "lora_B" in key:
                p.add_(torch.randn(p.shape, generator=generator) * B_NOISE)
    folder = tmp / f"{name}-{uuid.uuid4().hex[:6]}"
    peft_model.save_pretrained(folder)
    tokenizer: Any = AutoTokenizer.from_pretrained(info.path)
    tokenizer.save_pretrained(folder)
    GenerationConfig(
        **generation_config_kwargs(tokenizer.convert_tokens_to_ids(EOS))
    ).save_pretrained(folder)
    (folder / "README.md").write_text(f"# {name}\n\nA LoRA bot made by the tests.\n")
    manifest = ModelManifest(
        name=name,
        handles=[name],
        stats=[HandleStats(name, 100, 10, 10, 80, display_name=name.title())],
        base_model=base,
        base_model_hash=info.hash if base_hash is None else base_hash,
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        version=uuid.uuid4().hex,
        method="lora",
        adapter_bytes=(folder / "adapter_model.safetensors").stat().st_size,
        lora={"rank": rank, "alpha": 2 * rank, "targets": list(TARGETS)},
    ).to_json()
    (folder / "murmur.json").write_text(json.dumps(manifest))
    store.publish_model(name, folder)


@pytest.fixture(scope="session")
def lora_bots_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """LORA_BOTS over the `tiny` base, a full bot `gina` beside them, and `mallory`, a LoRA bot
    whose manifest records another base's hash."""
    from test_serve import publish_tiny

    root = tmp_path_factory.mktemp("lora")
    store = Store(str(root / "store"))
    for seed, name in enumerate(LORA_BOTS):
        publish_lora(store, root, name, seed)
    publish_lora(store, root, "mallory", 9, base_hash="sha256:" + "0" * 64)
    publish_tiny(store, root, "gina")
    return store


def model_id(store: Store, name: str) -> str:
    """The catalog's id of a published bot."""
    from murmur.serving.catalog import Catalog

    return Catalog(store, 0).model_id(name)


def base_text(store: Store, prompt: str, max_new_tokens: int) -> str:
    """What the tiny base itself writes greedily."""
    from transformers import pipeline

    generator = pipeline("text-generation", model=resolve_base("tiny", store).path, device="cpu")
    out = generator(EOS + prompt, max_new_tokens=max_new_tokens, do_sample=False, min_length=0)
    return str(out[0]["generated_text"])[len(EOS + prompt) :]


@pytest.fixture(scope="module")
def expected(lora_bots_store: Store) -> dict[str, str]:
    """Each LoRA bot's greedy answer to "I like" (12 tokens) from a plain transformers pipeline
    on its folder (transformers loads the base its adapter_config.json names, then the adapter)."""
    from test_serve import greedy_reference

    answers = {b: greedy_reference(lora_bots_store, b, "I like", 12) for b in LORA_BOTS}
    assert len(set(answers.values())) == len(LORA_BOTS), answers  # the bots differ pairwise
    assert base_text(lora_bots_store, "I like", 12) not in answers.values()  # and from the base
    return answers


# ---- in-process: the batched generator over resident adapters ------------------------------------
def adapter_cache(store: Store, budget_mb: float = 64) -> Any:
    from murmur.serving.adapters import AdapterCache

    return AdapterCache(store, "cpu", "float32", budget_mb)


def bots_of(cache: Any, store: Store, names: list[str]) -> list[Any]:
    """The bots `names` over their base, loaded through the cache as a replica does."""
    found = cache.bots([model_id(store, name) for name in names])
    return [found[model_id(store, name)] for name in names]


def test_a_mixed_batch_runs_in_one_call_and_each_bot_writes_what_peft_writes(
    lora_bots_store: Store, expected: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from murmur.serving.batching import generate_mixed
    from murmur.serving.events import GenerationSpec

    cache = adapter_cache(lora_bots_store)
    bots = bots_of(cache, lora_bots_store, list(LORA_BOTS))
    assert all(b.model is bots[0].model for b in bots)  # one base, held once
    import murmur.serving.slot_rows as slot_rows

    rows: list[int] = []
    forward = slot_rows.forward_rows
    monkeypatch.setattr(
        slot_rows, "forward_rows", lambda *a, **k: rows.append(a[2].shape[0]) or forward(*a, **k)
    )
    greedy = GenerationSpec("I like", n=2, max_new_tokens=12, temperature=0)
    sampled = GenerationSpec("My dream is", n=3, max_new_tokens=16)
    specs = [greedy, sampled] * len(bots)
    results = generate_mixed([b for b in bots for _ in range(2)], specs)
    assert rows[0] == 6 and rows[1] == 15  # one prefill of 6 prompts; 15 rows in one step
    for i, bot in enumerate(LORA_BOTS):
        assert [c.text for c in results[2 * i].choices] == [expected[bot]] * 2, bot
        assert len(results[2 * i + 1].choices) == 3


def peft_logprobs(store: Store, name: str, prompt: str) -> list[float]:
    """The raw logprob of each prompt token after `<|endoftext|>`, from PEFT's own model."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = store.local_model_dir(name)
    base = AutoModelForCausalLM.from_pretrained(resolve_base("tiny", store).path)
    model = PeftModel.from_pretrained(base, folder).eval()
    ids = AutoTokenizer.from_pretrained(folder)(EOS + prompt, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        logprobs = model(input_ids=ids).logits[0, :-1].log_softmax(-1)  # (L-1, V)
    return logprobs.gather(1, ids[0, 1:, None])[:, 0].tolist()


def test_seeds_stop_echo_and_positions_hold_row_by_row(lora_bots_store: Store) -> None:
    """The field-report guarantees in a mixed batch: a seed gives the same text alone or beside
    other bots; stop cuts each row's own text; echo + logprobs are the bot's own raw logprobs; a
    mix past n_positions is split into calls that fit."""
    from test_serve_batching import check_limits, prompt_of

    from murmur.serving.batching import generate_mixed
    from murmur.serving.events import GenerationSpec

    store = lora_bots_store
    dora, eve, frank = bots_of(adapter_cache(store), store, list(LORA_BOTS))
    seeded = GenerationSpec("My dream is", n=2, max_new_tokens=12, min_length=20, seed=5)
    (alone,) = generate_mixed([eve], [seeded])
    greedy = GenerationSpec("I like", max_new_tokens=30, min_length=30, temperature=0)
    (free,) = generate_mixed([frank], [greedy])
    text = free.choices[0].text
    stop = replace(greedy, stop=(text[len(text) // 2 :][:2],))  # a stop halfway through
    echo = GenerationSpec("I like the sea", max_new_tokens=0, echo=True, logprobs=2)
    long = GenerationSpec(prompt_of(dora, 199), max_new_tokens=56)  # 199 + 56 fits 256 alone,
    wide = GenerationSpec("I like", n=20, max_new_tokens=200)  # but not beside this: two calls
    specs = [long, seeded, stop, echo, wide, seeded]
    bots = [dora, eve, frank, frank, dora, frank]
    results = generate_mixed(bots, specs)
    assert results[1].choices == alone.choices  # eve's seed, beside four other rows of bots
    assert results[5].choices != alone.choices  # the same seed on frank: frank's own text
    assert results[2].choices[0].text == text[: text.find(stop.stop[0])]
    assert results[2].choices[0].finish_reason == "stop"
    scored = results[3].choices[0].logprobs
    assert scored is not None and results[3].choices[0].text == "I like the sea"
    reference = peft_logprobs(store, "frank", "I like the sea")
    assert scored.token_logprobs == pytest.approx(reference, abs=1e-4)
    assert peft_logprobs(store, "eve", "I like the sea") != pytest.approx(reference, abs=1e-2)
    check_limits(dora, [long, wide], [results[0], results[4]])


def test_a_bot_trained_on_another_base_is_refused_alone(lora_bots_store: Store) -> None:
    from murmur.core.errors import ServingError

    store = lora_bots_store
    cache = adapter_cache(store)
    found = cache.bots([model_id(store, "mallory"), model_id(store, "dora")])
    refused = found[model_id(store, "mallory")]
    assert isinstance(refused, ServingError)
    message = str(refused)
    assert "\n" not in message and "'mallory' was trained on base sha256:0000" in message
    assert resolve_base("tiny", store).hash in message and "retrain it on this base" in message
    assert not isinstance(found[model_id(store, "dora")], Exception)  # the others serve
    assert cache.stats()["resident_bots"] == 1


def test_adapters_stay_resident_until_the_budget_then_the_least_recent_goes(
    lora_bots_store: Store, expected: dict[str, str]
) -> None:
    from murmur.serving.batching import generate_mixed
    from murmur.serving.events import GenerationSpec

    store = lora_bots_store
    dora, eve, frank = (model_id(store, b) for b in LORA_BOTS)
    probe = adapter_cache(store)
    probe.bots([dora])
    one_mb = probe.stats()["adapter_mb"]  # one adapter's memory in the pool
    cache = adapter_cache(store, budget_mb=2.5 * one_mb)  # room for two
    cache.bots([dora])
    cache.bots([eve])
    cache.bots([dora])  # dora used last: eve is now the least recent
    cache.bots([frank])
    assert cache.stats()["resident_bots"] == 2 and cache.stats()["evictions"] == 1
    assert cache.stats()["adapter_mb"] <= 2.5 * one_mb
    assert cache.stats()["loads"] == 3  # dora stayed resident
    cache.bots([eve])  # back: dora goes now (frank is more recent)
    assert cache.stats()["loads"] == 4 and cache.stats()["evictions"] == 2
    # A batch needing all three keeps them all, then the next shrinks back to the budget.
    found = cache.bots([dora, eve, frank])
    assert cache.stats()["resident_bots"] == 3
    spec = GenerationSpec("I like", max_new_tokens=12, temperature=0)
    results = generate_mixed([found[m] for m in (dora, eve, frank)], [spec] * 3)
    assert [r.choices[0].text for r in results] == [expected[b] for b in LORA_BOTS]
    cache.bots([eve])
    assert cache.stats()["resident_bots"] == 2  # dora (least recent) left
    found = cache.bots([dora])  # reloaded into a freed slot: still dora's own text
    (again,) = generate_mixed([found[dora]], [spec])
    assert again.choices[0].text == expected["dora"]


def test_adapters_serving_cannot_take_are_refused_by_name() -> None:
    from murmur.core.errors import ServingError
    from murmur.serving.lora_pool import read_adapter

    config = {"peft_type": "LORA", "r": 2, "lora_alpha": 4}
    a, b = torch.zeros(2, 8), torch.zeros(8, 2)
    weights = {
        "base_model.model.h.0.c_fc.lora_A.weight": a,
        "base_model.model.h.0.c_fc.lora_B.weight": b,
    }
    assert set(read_adapter(config, weights).modules) == {"h.0.c_fc"}
    with pytest.raises(ServingError, match="use_dora=True"):
        read_adapter(config | {"use_dora": True}, weights)
    with pytest.raises(ServingError, match="modules_to_save"):
        read_adapter(config | {"modules_to_save": ["lm_head"]}, weights)
    with pytest.raises(ServingError, match="rank_pattern"):
        read_adapter(config | {"rank_pattern": {"c_fc": 4}}, weights)
    with pytest.raises(ServingError, match="serving takes LoRA only"):
        read_adapter(config | {"peft_type": "IA3"}, weights)
    with pytest.raises(ServingError, match="not a LoRA A or B weight"):
        read_adapter(config, weights | {"base_model.model.lm_head.weight": a})


# ---- the endpoint on Ray ---------------------------------------------------------------------------
APP = "murmur-lora"


@pytest.fixture(scope="module")
def lora_endpoint(ray_cluster: None, lora_bots_store: Store) -> Any:
    """The app over the LoRA store, waiting 0.5 s for company so that requests sent together
    share a batch."""
    from ray import serve
    from test_serve import free_port

    from murmur.serving import ServeSettings, build_app

    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    settings = ServeSettings(store=lora_bots_store.uri, num_cpus=0.5, batch_wait_timeout_s=0.5)
    serve.run(build_app(settings), name=APP, route_prefix="/")
    yield f"http://127.0.0.1:{port}"
    serve.delete(APP)
    serve.shutdown()


@pytest.mark.ray
def test_the_endpoint_answers_three_lora_bots_sent_together_in_one_batch(
    lora_endpoint: str, lora_bots_store: Store, expected: dict[str, str]
) -> None:
    """Three LoRA bots and a full bot in flight together: each LoRA bot's greedy answer is what a
    plain pipeline writes on its folder, a replica batch held several bots, the full bot is served
    beside them, and the bot of another base is refused in one line."""
    import asyncio

    import httpx
    from ray import serve

    greedy = {"prompt": "I like", "max_tokens": 12, "temperature": 0, "n": 2}
    asked = [*LORA_BOTS, "gina", "mallory"]

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=lora_endpoint, timeout=60) as client:
            calls = [client.post("/v1/completions", json={"model": b, **greedy}) for b in asked]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(together())
    for bot, response in zip(LORA_BOTS, responses, strict=False):
        assert response.status_code == 200, response.text
        assert [c["text"] for c in response.json()["choices"]] == [expected[bot]] * 2, bot
    assert responses[3].status_code == 200 and len(responses[3].json()["choices"]) == 2
    refused = responses[4].json()["error"]["message"]
    assert responses[4].status_code == 500 and "'mallory' was trained on base" in refused
    stats = serve.get_deployment_handle("ModelServer", app_name=APP).stats.remote().result()
    lora_batches = {int(k.split()[1]): n for k, n in stats["batches"].items() if "lora" in k}
    assert max(lora_batches) > 1, stats  # requests for different bots shared a batch
    assert stats["resident_bots"] == len(LORA_BOTS) and stats["bases"] == 1
    with httpx.Client(base_url=lora_endpoint, timeout=60) as client:
        models = {m["id"] for m in client.get("/v1/models").json()["data"]}
        assert {*LORA_BOTS, "gina"} <= models  # one list, one page, LoRA and full side by side
        body = {"model": "eve", "stream": True, **greedy}
        streamed = client.post("/v1/completions", json=body).text
    assert "data: [DONE]" in streamed
    texts: dict[int, str] = {}
    for line in streamed.splitlines():
        if line.startswith("data: {"):
            for choice in json.loads(line[6:])["choices"]:
                texts[choice["index"]] = texts.get(choice["index"], "") + choice["text"]
    assert texts == {0: expected["eve"], 1: expected["eve"]}


@pytest.mark.ray
@pytest.mark.slow
def test_trained_lora_bots_in_one_batch_write_what_a_pipeline_writes(
    lora_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three bots `murmur train --method lora` publishes (conftest's lora_store): one
    prefill and the same decode steps for the three, each greedy answer what a plain pipeline
    writes on its folder."""
    from conftest import LORA_BOTS as TRAINED
    from test_serve import greedy_reference

    import murmur.serving.slot_rows as slot_rows
    from murmur.serving.batching import generate_mixed
    from murmur.serving.events import GenerationSpec

    expected = [greedy_reference(lora_store, bot, "My dream is", 16) for bot in TRAINED]
    assert len(set(expected)) == len(TRAINED), expected  # the bots differ pairwise
    bots = bots_of(adapter_cache(lora_store), lora_store, list(TRAINED))
    rows: list[int] = []
    forward = slot_rows.forward_rows
    monkeypatch.setattr(
        slot_rows, "forward_rows", lambda *a, **k: rows.append(a[2].shape[0]) or forward(*a, **k)
    )
    spec = GenerationSpec("My dream is", n=2, max_new_tokens=16, temperature=0)
    results = generate_mixed(bots, [spec] * len(bots))
    assert rows[0] == len(TRAINED)  # one prefill of the three prompts
    assert rows[1] == 2 * len(TRAINED)  # every bot's two rows in the first decode step
    assert [[c.text for c in r.choices] for r in results] == [[e, e] for e in expected]
