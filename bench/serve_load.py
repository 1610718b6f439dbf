"""Load on the serving endpoint, beside huggingtweets' way, in the same run.

huggingtweets' request: a prompt prefixed with <|endoftext|>, 10 sequences sampled with top_p 0.95
and temperature 1, up to 160 tokens in all. The benchmark publishes N copies of a base model into a
temporary store, starts the endpoint on a local Ray, and sends that request (POST /v1/completions,
n=10, no max_tokens: huggingtweets' 160 in all) for models drawn with Zipf popularity, from C
concurrent clients for a bounded time. In turns with that (--rounds, so that both ways meet the
same load from whatever else runs on the machine), the same process serves the same requests
huggingtweets' way for as long: one at a time, a transformers text-generation pipeline created for
the request's model (on the CPU with as many threads as the endpoint's replicas had CPUs).

    python bench/serve_load.py                                 # 2-core CPU: tiny models, ~2 min
    python bench/serve_load.py --base-model gpt2 --num-gpus 0.25 --replicas 4 --models 100 \
        --concurrency 64 --models-per-replica 25 --max-batch-size 320         # one GPU

Prints requests/s, generated tokens/s, p50/p99 latency, cold-load latency (each model's first
request), errors by status, and the ratios.
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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from murmur.generation import (
    EOS,
    MAX_LENGTH,
    MIN_LENGTH,
    PROMPTS,
    TEMPERATURE,
    TOP_K,
    TOP_P,
    generation_config_kwargs,
)
from murmur.models.manifest import HandleStats, ModelManifest
from murmur.models.store import Store


@dataclass
class Sample:
    model: str
    status: int
    seconds: float
    tokens: int
    cold: bool


def zipf_weights(count: int, s: float) -> list[float]:
    return [1 / (rank**s) for rank in range(1, count + 1)]


def publish_copies(base: str, count: int, root: Path) -> Store:
    """`count` models in a new store, each a copy of `base` with a manifest and a card."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    from murmur.models.base import resolve_base_model

    source = root / "base"
    tokenizer: Any = AutoTokenizer.from_pretrained(resolve_base_model(base))
    AutoModelForCausalLM.from_pretrained(resolve_base_model(base)).save_pretrained(source)
    tokenizer.save_pretrained(source)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    GenerationConfig(**generation_config_kwargs(eos_id)).save_pretrained(source)
    store = Store(str(root / "store"))
    for i in range(count):
        name = f"bench_{i:03d}"
        folder = root / name
        shutil.copytree(source, folder)
        manifest = ModelManifest(
            name=name,
            handles=[name],
            stats=[HandleStats(name, 0, 0, 0, 0, display_name=f"Bench {i}")],
            base_model=base,
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            version=uuid.uuid4().hex,
        )
        (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
        (folder / "README.md").write_text(f"# {name}\n\nAn untrained copy of {base}.\n")
        store.publish_model(name, folder)
        shutil.rmtree(folder)
    return store


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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", type=int, default=20, help="models published and queried")
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
    p.add_argument("--skip-baseline", action="store_true")
    a = p.parse_args()

    import ray
    from ray import serve

    from murmur.serving import ServeSettings, start_local

    root = Path(tempfile.mkdtemp(prefix="murmur-bench-"))
    print(f"publishing {a.models} copies of {a.base_model} into {root / 'store'} ...", flush=True)
    store = publish_copies(a.base_model, a.models, root)
    models = [f"bench_{i:03d}" for i in range(a.models)]
    weights = zipf_weights(a.models, a.zipf)

    settings = ServeSettings(
        store=store.uri,
        num_cpus=a.num_cpus,
        num_gpus=a.num_gpus,
        min_replicas=a.replicas,
        max_replicas=a.replicas,
        models_per_replica=a.models_per_replica or a.models,
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
    if not a.skip_baseline:
        import torch
        from transformers import pipeline

        if device == "cpu":  # the CPUs the endpoint's replicas had, no more
            torch.set_num_threads(max(1, round(a.replicas * a.num_cpus)))
        pipeline("text-generation", model=store.local_model_dir(models[0]), device=device)
    # The two ways take turns in short rounds, so that both see the same drift in what else
    # the machine is doing.
    load_rng, base_rng, seen = random.Random(0), random.Random(1), set[str]()
    samples: list[Sample] = []
    baseline: list[Sample] = []
    seconds = base_seconds = 0.0
    slice_s = a.duration / a.rounds
    for r in range(1, a.rounds + 1):
        print(f"round {r}/{a.rounds}: {a.concurrency} clients for {slice_s:g} s", flush=True)
        got, took = asyncio.run(
            run_load(url, models, weights, a.concurrency, slice_s, a.n, load_rng, seen)
        )
        samples, seconds = samples + got, seconds + took
        if not a.skip_baseline:
            print(f"round {r}/{a.rounds}: huggingtweets' way for {slice_s:g} s", flush=True)
            got, took = run_baseline(store, models, weights, slice_s, a.n, device, base_rng)
            baseline, base_seconds = baseline + got, base_seconds + took
    serve.shutdown()
    ray.shutdown()
    shutil.rmtree(root, ignore_errors=True)

    print()
    print(
        f"{a.models} {a.base_model} models, Zipf s={a.zipf}, {a.concurrency} clients, "
        f"{a.duration:g} s each way; request: n={a.n}, up to {MAX_LENGTH} tokens in all"
    )
    print(
        f"{'':<22} {'requests':>8} {'req/s':>8} {'tokens/s':>10} {'p50 s':>7} {'p99 s':>7}  errors"
    )
    rps, tps = summarize("murmur (Ray Serve)", samples, seconds)
    warm = [s.seconds for s in samples if not s.cold and s.status == 200]
    print(f"warm requests: p50 {percentile(warm, 50):.2f} s, p99 {percentile(warm, 99):.2f} s")
    cold = [s.seconds for s in samples if s.cold and s.status == 200]
    if cold:
        print(
            f"cold loads (first request per model): {len(cold)}, mean {statistics.mean(cold):.2f} s,"
            f" p50 {percentile(cold, 50):.2f} s, max {max(cold):.2f} s"
        )
    if baseline:
        base_rps, base_tps = summarize("huggingtweets' way", baseline, base_seconds)
        print(f"ratio: {rps / base_rps:.1f}x requests/s, {tps / base_tps:.1f}x tokens/s")


if __name__ == "__main__":
    main()
