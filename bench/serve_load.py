"""Load on the serving endpoint, beside huggingtweets' way, in the same run; LoRA bots beside full.

huggingtweets' request: a prompt prefixed with <|endoftext|>, 10 sequences sampled with top_p 0.95
and temperature 1, up to 160 tokens in all. The benchmark publishes N copies of a base model into a
temporary store, starts the endpoint on a local Ray, and sends that request (POST /v1/completions,
n=10, no max_tokens: huggingtweets' 160 in all) for models drawn with Zipf popularity, from C
concurrent clients for a bounded time. In turns with that (--rounds, so that both ways meet the
same load from whatever else runs on the machine), the same process serves the same requests
huggingtweets' way for as long: one at a time, a transformers text-generation pipeline created for
the request's model (on the CPU with as many threads as the endpoint's replicas had CPUs).

With --method lora it also publishes N LoRA bots over the same base (untrained adapters: PEFT's
fresh A, B seeded noise so that each bot differs; all linear layers, rank --lora-rank), and the
LoRA bots and the full bots take turns under the same Zipf load (the same draws of bot rank and
prompt). --resident K then asks K LoRA bots for one token each and counts the bots resident.

    python bench/serve_load.py                                 # 2-core CPU: tiny models, ~2 min
    python bench/serve_load.py --method lora --resident 1000   # 2-core CPU: LoRA vs full, ~4 min
    python bench/serve_load.py --base-model gpt2 --num-gpus 0.25 --replicas 4 --models 100 \
        --concurrency 64 --models-per-replica 25 --max-batch-size 320         # one GPU
    python bench/serve_load.py --method lora --base-model gpt2 --num-gpus 1 --models 100 \
        --concurrency 64 --max-batch-size 320 --models-per-replica 3 --resident 1000  # one GPU

Prints requests/s, generated tokens/s, p50/p99 latency, cold-load latency (each model's first
request), errors by status and the ratios; with --method lora, distinct bots per batch and
resident bots (from each replica's `stats`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import tempfile
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from murmur.core import generation
from murmur.core.generation import EOS, MAX_LENGTH, MIN_LENGTH, PROMPTS, TEMPERATURE, TOP_K, TOP_P
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store


@dataclass
class Sample:
    model: str
    status: int
    seconds: float
    tokens: int
    cold: bool


def zipf_weights(count: int, s: float) -> list[float]:
    return [1 / (rank**s) for rank in range(1, count + 1)]


def publish(store: Store, template: Path, name: str, base: str, **fields: Any) -> None:
    """Publish a copy of the `template` folder as `name`, with a manifest (`fields` added: a LoRA
    bot's method, adapter_bytes, lora, base_model_hash) and a card."""
    folder = template.parent / name
    shutil.copytree(template, folder)
    if "adapter_bytes" in fields:  # a LoRA bot: B seeded noise, so that each bot differs
        import torch
        from safetensors.torch import load_file, save_file

        weights, generator = (
            load_file(folder / ADAPTER),
            torch.Generator().manual_seed(zlib.crc32(name.encode())),
        )
        noise = {k: torch.randn(v.shape, generator=generator) * 0.02 for k, v in weights.items()}
        save_file(
            {k: v + noise[k] if "lora_B" in k else v for k, v in weights.items()}, folder / ADAPTER
        )
    stats = [HandleStats(name, 0, 0, 0, 0, display_name=name)]
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    manifest = ModelManifest(
        name, [name], stats, base, created=created, version=uuid.uuid4().hex, **fields
    )
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
    (folder / "README.md").write_text(
        f"# {name}\n\nAn untrained {manifest.method} bot on {base}.\n"
    )
    store.publish_model(name, folder)
    shutil.rmtree(folder)


def publish_copies(base: str, count: int, root: Path) -> Store:
    """`count` models in a new store, each a copy of `base` with a manifest and a card."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    from murmur.models.base import resolve_base_model

    source = root / "base"
    tokenizer: Any = AutoTokenizer.from_pretrained(resolve_base_model(base))
    AutoModelForCausalLM.from_pretrained(resolve_base_model(base)).save_pretrained(source)
    tokenizer.save_pretrained(source)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    GenerationConfig(**generation.generation_config_kwargs(eos_id)).save_pretrained(source)
    store = Store(str(root / "store"))
    for i in range(count):
        publish(store, source, f"bench_{i:03d}", base)
    return store


TARGETS = ["c_attn", "c_proj", "c_fc"]  # every linear layer of GPT-2 (attention and MLP)
ADAPTER = "adapter_model.safetensors"


def publish_lora_bots(base: str, count: int, rank: int, root: Path, store: Store) -> list[str]:
    """`count` LoRA bots over `base` in `store`, per the folder contract (adapter_config.json,
    adapter_model.safetensors, tokenizer, generation config, card, murmur.json with method lora
    and the base's hash): untrained adapters (PEFT's fresh A, B seeded noise)."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    from murmur.models.base import resolve_base

    info = resolve_base(base, store)
    lora = {"rank": rank, "alpha": 2 * rank, "targets": TARGETS}
    config = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        target_modules=TARGETS,
        fan_in_fan_out=True,
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(info.path), config)
    # What names the base on any node: the hub id for a hub model, else its folder.
    ref = base if info.hash.startswith("hub:") else info.path
    model.peft_config["default"].base_model_name_or_path = ref
    template = root / "lora-template"
    model.save_pretrained(str(template))
    tokenizer: Any = AutoTokenizer.from_pretrained(info.path)
    tokenizer.save_pretrained(template)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    GenerationConfig(**generation.generation_config_kwargs(eos_id)).save_pretrained(template)
    size = (template / ADAPTER).stat().st_size
    names = [f"lora_{i:04d}" for i in range(count)]
    for name in names:
        publish(store, template, name, base, method="lora", adapter_bytes=size, lora=lora,
                base_model_hash=info.hash)  # fmt: skip
    return names


def replica_stats(app: str, replicas: int) -> list[dict[str, Any]]:
    """Each replica's `stats` (ModelServer.stats), asked until every replica answered or 20 tries
    (Serve routes each call to one replica)."""
    from ray import serve

    handle = serve.get_deployment_handle("ModelServer", app_name=app)
    found: dict[str, dict[str, Any]] = {}
    for _ in range(20):
        stats = handle.stats.remote().result()
        found[stats["replica"]] = stats
        if len(found) >= replicas:
            break
    return list(found.values())


def bots_per_batch(stats: list[dict[str, Any]], kind: str) -> str:
    """Mean and largest number of distinct bots in the replicas' batches of `kind`."""
    tally: Counter[int] = Counter()
    for key, n in (item for replica in stats for item in replica["batches"].items()):
        if key.split()[0] == kind:
            tally[int(key.split()[1])] += n
    batches, bots = sum(tally.values()), sum(bots * n for bots, n in tally.items())
    return (
        f"{kind}: mean {bots / max(batches, 1):.2f}, max {max(tally, default=0)}, {batches} batches"
    )


async def warm(url: str, models: list[str], concurrency: int) -> tuple[int, float]:
    """Ask each model for one token, C at a time; returns (answered, seconds)."""
    start, gate = time.monotonic(), asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:

        async def ask(model: str) -> bool:
            async with gate:
                body = {"model": model, "prompt": "I like", "max_tokens": 1}
                return (await http.post("/v1/completions", json=body)).status_code == 200

        answered = sum(await asyncio.gather(*(ask(m) for m in models)))
    return answered, time.monotonic() - start


async def run_load(
    url: str,
    models: list[str],
    weights: list[float],
    concurrency: int,
    duration: float,
    n: int,
    rng: random.Random,
    seen: set[str],
) -> tuple[list[Sample], float]:
    """C clients, each sending one request after another until the time is up."""
    samples: list[Sample] = []
    deadline = time.monotonic() + duration

    async def client(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            model = rng.choices(models, weights)[0]
            cold = model not in seen
            seen.add(model)
            body = {"model": model, "prompt": rng.choice(PROMPTS), "n": n}
            body |= {"temperature": TEMPERATURE, "top_p": TOP_P}
            start = time.perf_counter()
            try:
                r = await http.post("/v1/completions", json=body)
                status = r.status_code
                tokens = r.json()["usage"]["completion_tokens"] if status == 200 else 0
            except httpx.HTTPError:
                status, tokens = 0, 0  # no answer at all
            samples.append(Sample(model, status, time.perf_counter() - start, tokens, cold))

    start = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
    return samples, time.monotonic() - start


def run_baseline(
    store: Store,
    models: list[str],
    weights: list[float],
    duration: float,
    n: int,
    device: str,
    rng: random.Random,
) -> tuple[list[Sample], float]:
    """huggingtweets' way: a pipeline per request, one request at a time, the same parameters."""
    from transformers import pipeline

    samples: list[Sample] = []
    start = time.monotonic()
    while time.monotonic() - start < duration:
        model = rng.choices(models, weights)[0]
        t0 = time.perf_counter()
        generator: Any = pipeline(
            "text-generation", model=store.local_model_dir(model), device=device
        )
        eos_id = generator.tokenizer.convert_tokens_to_ids(EOS)
        prompt = EOS + rng.choice(PROMPTS)
        outputs = generator(
            prompt,
            num_return_sequences=n,
            do_sample=True,
            top_p=TOP_P,
            temperature=TEMPERATURE,
            top_k=TOP_K,
            max_length=MAX_LENGTH,
            min_length=MIN_LENGTH,
            pad_token_id=eos_id,
            return_tensors=True,
        )
        prompt_len = len(generator.tokenizer(prompt)["input_ids"])
        tokens = 0
        for out in outputs:
            new = list(out["generated_token_ids"])[prompt_len:]
            tokens += new.index(eos_id) + 1 if eos_id in new else len(new)
        samples.append(Sample(model, 200, time.perf_counter() - t0, tokens, False))
    return samples, time.monotonic() - start


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summarize(label: str, samples: list[Sample], seconds: float) -> tuple[float, float]:
    ok = [s for s in samples if s.status == 200]
    latencies = [s.seconds for s in ok]
    rps = len(ok) / seconds
    tps = sum(s.tokens for s in ok) / seconds
    errors = dict(Counter(s.status for s in samples if s.status != 200))
    print(
        f"{label:<22} {len(ok):>8} {rps:>8.2f} {tps:>10,.0f} {percentile(latencies, 50):>7.2f} "
        f"{percentile(latencies, 99):>7.2f}  {errors or '-'}"
    )
    return rps, tps


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--method", choices=["full", "lora"], default="full", help="lora: and LoRA bots")
    p.add_argument(
        "--models", type=int, default=20, help="models published and queried (each kind)"
    )
    p.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load, each way")
    p.add_argument("--base-model", default="tiny", help="tiny (offline), gpt2, a local folder")
    p.add_argument("--num-gpus", type=float, default=0.0, help="GPUs per model replica")
    p.add_argument("--num-cpus", type=float, default=1.0, help="CPUs per model replica")
    p.add_argument("--replicas", type=int, default=1, help="model replicas (min = max)")
    p.add_argument("--models-per-replica", type=int, default=0, help="0: all of --models")
    p.add_argument("--max-batch-size", type=int, default=64, help="sequences per generate call")
    p.add_argument("--n", type=int, default=10, help="sequences per request (huggingtweets: 10)")
    p.add_argument("--zipf", type=float, default=1.1, help="Zipf exponent of model popularity")
    p.add_argument("--rounds", type=int, default=3, help="turns each way takes")
    p.add_argument("--lora-rank", type=int, default=16, help="rank of the LoRA bots' adapters")
    p.add_argument("--resident", type=int, default=0, help="LoRA bots to load at the end")
    p.add_argument("--adapter-memory-mb", type=float, default=8192, help="LoRA memory per replica")
    p.add_argument("--skip-baseline", action="store_true")
    return p.parse_args()


def main() -> None:
    a = parse_args()
    import ray
    from ray import serve

    from murmur.serving import ServeSettings, start_local

    root = Path(tempfile.mkdtemp(prefix="murmur-bench-"))
    print(f"publishing {a.models} copies of {a.base_model} into {root / 'store'} ...", flush=True)
    store = publish_copies(a.base_model, a.models, root)
    kinds = {"full": [f"bench_{i:03d}" for i in range(a.models)]}
    if a.method == "lora":
        count = max(a.models, a.resident)
        print(f"publishing {count} LoRA bots (rank {a.lora_rank}) ...", flush=True)
        kinds = {"lora": publish_lora_bots(a.base_model, count, a.lora_rank, root, store), **kinds}
    weights = zipf_weights(a.models, a.zipf)
    settings = ServeSettings(
        store=store.uri,
        num_cpus=a.num_cpus,
        num_gpus=a.num_gpus,
        min_replicas=a.replicas,
        max_replicas=a.replicas,
        models_per_replica=a.models_per_replica or a.models,
        adapter_memory_mb=a.adapter_memory_mb,
        max_batch_size=a.max_batch_size,
        max_ongoing_requests=max(64, a.max_batch_size),
        max_queued_requests=max(128, 4 * a.concurrency),
        request_timeout_s=120,
    )
    cpus = max(4, os.cpu_count() or 2, int(a.replicas * a.num_cpus + 1))
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    started = time.monotonic()
    url = start_local(settings, port=free_port(), name="bench")
    print(f"endpoint up at {url} in {time.monotonic() - started:.1f} s", flush=True)

    device = "cuda" if a.num_gpus > 0 else "cpu"
    full = kinds["full"]
    if not a.skip_baseline:
        import torch
        from transformers import pipeline

        if device == "cpu":  # the CPUs the endpoint's replicas had, no more
            torch.set_num_threads(max(1, round(a.replicas * a.num_cpus)))
        pipeline("text-generation", model=store.local_model_dir(full[0]), device=device)
    # The ways take turns in short rounds, so that all see the same drift in what else the
    # machine is doing; LoRA and full bots get the same draws (bot rank, prompt) each round.
    samples: dict[str, list[Sample]] = {kind: [] for kind in kinds}
    seconds = dict.fromkeys(kinds, 0.0)
    baseline: list[Sample] = []
    base_rng, seen, base_seconds = random.Random(1), set[str](), 0.0
    slice_s = a.duration / a.rounds
    for r in range(1, a.rounds + 1):
        for kind, models in kinds.items():
            print(f"round {r}/{a.rounds}: {kind} bots, {a.concurrency} clients", flush=True)
            run = run_load(url, models[: a.models], weights, a.concurrency, slice_s, a.n,
                           random.Random(r), seen)  # fmt: skip
            got, took = asyncio.run(run)
            samples[kind], seconds[kind] = samples[kind] + got, seconds[kind] + took
        if not a.skip_baseline:
            print(f"round {r}/{a.rounds}: huggingtweets' way for {slice_s:g} s", flush=True)
            got, took = run_baseline(store, full, weights, slice_s, a.n, device, base_rng)
            baseline, base_seconds = baseline + got, base_seconds + took
    stats, resident = replica_stats("bench", a.replicas), ""
    if a.method == "lora" and a.resident:
        answered, took = asyncio.run(warm(url, kinds["lora"][: a.resident], a.concurrency))
        after = replica_stats("bench", a.replicas)
        total = {k: sum(s[k] for s in after) for k in ("resident_bots", "adapter_mb", "evictions")}
        resident = (
            f"residency: {a.resident} LoRA bots asked for 1 token each in {took:.1f} s ({answered} "
            f"answered); resident now {total['resident_bots']} bots in {total['adapter_mb']:.1f} "
            f"MB over {len(after)} replica(s), {total['evictions']} evictions"
        )
    serve.shutdown()
    ray.shutdown()
    shutil.rmtree(root, ignore_errors=True)
    report(a, samples, seconds, baseline, base_seconds, stats, resident)


def report(
    a: argparse.Namespace,
    samples: dict[str, list[Sample]],
    seconds: dict[str, float],
    baseline: list[Sample],
    base_seconds: float,
    stats: list[dict[str, Any]],
    resident: str,
) -> None:
    print(
        f"\n{a.models} {a.base_model} models of each kind, Zipf s={a.zipf}, {a.concurrency} "
        f"clients, {a.duration:g} s each way; request: n={a.n}, up to {MAX_LENGTH} tokens in all"
    )
    print(
        f"{'':<22} {'requests':>8} {'req/s':>8} {'tokens/s':>10} {'p50 s':>7} {'p99 s':>7}  errors"
    )
    rates = {k: summarize(f"murmur, {k} bots", got, seconds[k]) for k, got in samples.items()}
    if baseline:
        base = summarize("huggingtweets' way", baseline, base_seconds)
    for kind, got in samples.items():
        ok = [s for s in got if s.status == 200]
        hot = [s.seconds for s in ok if not s.cold]
        cold = [s.seconds for s in ok if s.cold]
        line = f"{kind} bots: warm p50 {percentile(hot, 50):.2f} s, p99 {percentile(hot, 99):.2f} s"
        if cold:
            line += f"; first request per bot: {len(cold)}, mean {statistics.mean(cold):.2f} s"
        print(line)
        print(f"distinct bots per batch, {bots_per_batch(stats, kind)}")
        if baseline:
            print(f"{kind} bots vs huggingtweets' way: {rates[kind][0] / base[0]:.1f}x requests/s, "
                  f"{rates[kind][1] / base[1]:.1f}x tokens/s")  # fmt: skip
    if "lora" in rates:
        (lora_rps, lora_tps), (full_rps, full_tps) = rates["lora"], rates["full"]
        print(
            f"LoRA vs full: {lora_rps / full_rps:.2f}x requests/s, {lora_tps / full_tps:.2f}x tokens/s"
        )
    if resident:
        print(resident)


if __name__ == "__main__":
    main()
