"""The serving engine in-process against a bare KV-cache decode loop, same base, same machine.

    python bench/engine_decode.py [--clients 16] [--seconds 20] [--lora 0] [--threads 2] [--out F]

The engine (murmur.serving.decode_loop.DecodeEngine, in its own thread) serves `--clients`
closed-loop clients, each sending huggingtweets' request (murmur.core.generation: n=10, T 1,
top_p 0.95, top_k 50, 160 tokens in all, at least 10) again as soon as its answer is whole;
with `--lora N` the requests go round N LoRA bots of random weights (rank 16, every linear
layer) over the base, so each step mixes bots. The bare loop is HF's own forward with its
cache, `model(input_ids=next, past_key_values=past)`, for the engine's mean active rows, with
the same sampler (sample_rows), no scheduling, no text: the ceiling the engine's overheads are
measured against. Tokens/s counts generated tokens, end-of-text included.
Writes bench/results/engine_decode-<date>.json (machine, commit, command).
"""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

import torch
from result_files import result_header, spread, write_result

from murmur.core.generation import MIN_LENGTH, NUM_SEQUENCES, PROMPTS, TOP_K
from murmur.core.sampling import sample_rows
from murmur.models.base import ensure_tiny_model
from murmur.serving.decode_loop import DecodeEngine
from murmur.serving.events import GenerationEvent, GenerationSpec
from murmur.serving.loading import LoadedModel, load_folder
from murmur.serving.lora_pool import AdapterWeights, LoraPool

LORA_MODULES = ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")


def lora_bots(base: LoadedModel, count: int, rank: int = 16) -> list[LoadedModel]:
    """`count` LoRA bots of random weights over `base`, resident in one pool."""
    # (in, out) of each layer, read before the pool wraps the layers (SlotLayer) on its first load.
    shapes = {
        f"transformer.h.{i}.{name}": base.model.get_submodule(
            f"transformer.h.{i}.{name}"
        ).weight.shape
        for i in range(base.model.config.n_layer)
        for name in LORA_MODULES
    }
    pool = LoraPool(base.model)
    bots = []
    for k in range(count):
        g = torch.Generator().manual_seed(k)
        modules = {}
        for layer, (fan_in, fan_out) in shapes.items():
            a = torch.randn(rank, fan_in, generator=g) * 0.02
            b = torch.randn(fan_out, rank, generator=g) * 0.02
            modules[layer] = (a, b)
        slot = pool.load(AdapterWeights(rank, modules))
        bots.append(
            LoadedModel(
                f"bot{k}",
                "1",
                base.model,
                base.tokenizer,
                base.device,
                base.max_positions,
                base.vocab_size,
                base.eos_id,
                0.0,
                pool,
                slot,
            )
        )
    return bots


def run_engine(bots: list[LoadedModel], clients: int, seconds: float) -> dict[str, Any]:
    """Closed-loop clients on one engine for `seconds`; tokens/s and latencies."""
    engine = DecodeEngine(bots[0], slots=clients * NUM_SEQUENCES + 16)
    engine.start()
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    tokens = [0]
    lock = threading.Lock()

    def client(c: int) -> None:
        k = 0
        while time.perf_counter() < stop:
            done = threading.Event()
            got: list[GenerationEvent | Exception] = []

            def on_event(
                event: GenerationEvent | Exception,
                got: list[GenerationEvent | Exception] = got,
                done: threading.Event = done,
            ) -> None:
                got.append(event)
                if isinstance(event, Exception) or event.done:
                    done.set()

            spec = GenerationSpec(
                PROMPTS[(c + k) % len(PROMPTS)],
                n=NUM_SEQUENCES,
                min_length=MIN_LENGTH,
                top_k=TOP_K,
                seed=c * 1000 + k,
            )
            start = time.perf_counter()
            engine.submit(bots[(c + k) % len(bots)], spec, on_event, stream=False)
            done.wait()
            last = got[-1]
            assert isinstance(last, GenerationEvent), last
            with lock:
                latencies.append(time.perf_counter() - start)
                tokens[0] += last.completion_tokens
            k += 1

    begin = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    stats = engine.stats()
    engine.stop()
    latencies.sort()
    return {
        "tokens_per_s": tokens[0] / elapsed,
        "requests": len(latencies),
        "p50_s": latencies[len(latencies) // 2],
        "p99_s": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "ttft_p50_s": stats["ttft_p50_s"],
        "mean_active_rows": stats["mean_active_rows"],
        "mean_occupancy": stats["mean_occupancy"],
        "bots_per_step": stats["bots_per_step"],
    }


def run_bare(lm: LoadedModel, rows: int, steps: int = 150) -> float:
    """HF's forward with its own cache over `rows` rows for `steps` steps, sampled as the engine
    samples; generated tokens/s."""
    ids = lm.tokenizer("<|endoftext|>My dream is", return_tensors="pt")["input_ids"]
    ids = ids.repeat(rows, 1).to(lm.device)
    ones = torch.ones(rows, device=lm.device)
    numbers = torch.rand(rows, steps, dtype=torch.float64)
    no = torch.zeros(rows, dtype=torch.bool, device=lm.device)
    top_k = torch.full((rows,), TOP_K, device=lm.device)
    with torch.inference_mode():
        out = lm.model(input_ids=ids, use_cache=True)
        start = time.perf_counter()
        for step in range(steps):
            token = sample_rows(
                out.logits[:, -1].float(), ones, ones * 0.95, None, no, lm.eos_id,
                numbers[:, step].to(lm.device), top_k,
            )  # fmt: skip
            out = lm.model(input_ids=token[:, None], past_key_values=out.past_key_values)
        return rows * steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--lora", type=int, default=0, help="LoRA bots (0: the base alone)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=None, help="result file (default bench/results/...)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    doc = result_header()
    base = load_folder(str(ensure_tiny_model()), "tiny")
    bots = lora_bots(base, args.lora) if args.lora else [base]
    engine_runs, bare_runs, p99s, last = [], [], [], {}
    for _ in range(args.repeats):
        last = run_engine(bots, args.clients, args.seconds)
        engine_runs.append(last["tokens_per_s"])
        p99s.append(last["p99_s"])
        rows = max(1, round(last["mean_active_rows"]))
        bare_runs.append(run_bare(base, rows))
        print(
            f"engine {last['tokens_per_s']:,.0f} tok/s (p50 {last['p50_s']:.2f} s, p99 "
            f"{last['p99_s']:.2f} s, ttft p50 {last['ttft_p50_s']:.3f} s, "
            f"{last['mean_active_rows']:.0f} rows); bare loop at {rows} rows "
            f"{bare_runs[-1]:,.0f} tok/s"
        )
    ratio = [e / b for e, b in zip(engine_runs, bare_runs, strict=True)]
    print(f"engine / bare loop: median {sorted(ratio)[len(ratio) // 2]:.2f}")
    doc |= {
        "clients": args.clients,
        "lora_bots": args.lora,
        "threads": args.threads,
        "engine_tokens_per_s": spread(engine_runs),
        "bare_tokens_per_s": spread(bare_runs),
        "engine_over_bare": spread(ratio),
        "engine_p99_s": spread(p99s),
        "last_engine_run": last,
    }
    print(write_result("engine_decode", doc, args.out))


if __name__ == "__main__":
    main()
