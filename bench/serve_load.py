"""huggingtweets' request served to many LoRA bots, seven ways in one run, on the same bots and the
same draws: how near the endpoint comes to what this machine can do.

    python bench/serve_load.py                  # 12 bots, 16 clients, 3 repeats: ~12 min on 2 cores
    python bench/serve_load.py --quick          # 4 bots, 4 clients, 1 repeat of 4 s: ~2 min
    python bench/serve_load.py --bots 100 --ways endpoint,limit,argmax

The request is huggingtweets' (core/generation.py: its notebook's `generate` call): the prompt
after <|endoftext|>, 10 sequences, temperature 1, top_p 0.95, at most 160 tokens in all. The bots
are LoRA adapters that murmur trained on synthetic accounts (bench/serve_bots.py; cached in a
bench store, so only the first run trains). Each repeat draws its requests once (bot by Zipf
popularity, prompt, seed) and every way serves the same draws in the same order, from --clients
closed-loop clients for --duration seconds:

    endpoint  murmur's endpoint over HTTP on a local Ray (`murmur serve`'s app, one replica of
              --num-cpus CPUs); --stream-clients of the clients stream, the others ask whole
    engine    murmur's engine in this process (no Ray, no HTTP: bench/serve_engine.py), the
              endpoint's settings, the same clients
    resident  a plain server: every bot in memory (merged), HF generate, one request at a time
    pipeline  a transformers pipeline built for every request, one request at a time
    limit     the matched limit: the bare KV-cache decode loop in this process, the same bots by
              index, the same sampling and seeds, the replica's threads, at the mean active rows
              the endpoint's load produced (the engine's stats; else rows in flight as the
              clients saw them); limit_engine: the same at the engine's rows, where it ran;
              base: the same loop without the adapters
    argmax    the same loop at --argmax-rows rows, greedy

(The resident and pipeline ways sample with top_k 50 as huggingtweets did; the endpoint's API has
no top_k, and the loops sample as the endpoint does.) Printed per way, as the median and range of
the repeats: generated tokens/s, requests/s, p50 and p99 latency, TTFT streamed (to the first
token) and whole (to the whole answer), distinct bots per step and slot occupancy (where the
server reports them, else n/a), and each repeat's ratio to the matched limit. Everything goes to
bench/results/serve_load-<date>.json with the machine (CPU, cores, load average at the start and
the end), the commit and the command. Other work on the machine moves the figures: compare ratios
of one run, not figures of different runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DS_ACCELERATOR", "cpu")


sys.path.insert(0, str(Path(__file__).resolve().parent))
from result_files import result_header, spread, write_result
from serve_bots import AdapterBank, base_folder, bench_store, bot_handles, ensure_bots
from serve_engine import EngineWay
from serve_http import (
    endpoint_settings,
    http_load,
    replica_stats,
    rows_in_flight,
    server_figures,
    start_endpoint,
    warm_endpoint,
)
from serve_ways import (
    DrawFeed,
    NoAdapters,
    PipelinePerRequest,
    ResidentServer,
    Sample,
    closed_loop,
    decode_loop,
    make_draws,
)

from murmur.core.generation import (
    MAX_LENGTH,
    MIN_LENGTH,
    NUM_SEQUENCES,
    TEMPERATURE,
    TOP_K,
    TOP_P,
)

WAYS = ["endpoint", "engine", "resident", "pipeline", "limit", "base", "argmax"]
QUICK = {"bots": 4, "clients": 4, "stream_clients": 1, "duration": 4.0, "repeats": 1}
FULL = {"bots": 12, "clients": 16, "stream_clients": 4, "duration": 20.0, "repeats": 3}
DRAWS_PER_REPEAT = 20_000  # more than any way answers in a repeat


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The bench's options; --quick changes the defaults of those not given (QUICK)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bots", type=int, help="LoRA bots (12-100; default 12, quick 4)")
    p.add_argument("--clients", type=int, help="concurrent closed-loop clients (default 16)")
    p.add_argument("--stream-clients", type=int, help="of the endpoint's clients, those streaming")
    p.add_argument("--duration", type=float, help="seconds of load, each way, each repeat")
    p.add_argument("--repeats", type=int, help="repeats of every way (default 3)")
    p.add_argument("--quick", action="store_true", help="fewer bots and clients, shorter")
    p.add_argument("--ways", default=",".join(WAYS), help=f"some of {','.join(WAYS)}")
    p.add_argument("--base-model", default="tiny", help="the bots' base (tiny: offline)")
    p.add_argument("--num-cpus", type=int, default=2, help="the replica's CPUs")
    p.add_argument("--threads", type=int, help="torch threads of the replica and of every way "
                   "here (default: --num-cpus)")  # fmt: skip
    p.add_argument("--num-gpus", type=float, default=0, help="the replica's GPUs (>0: every way "
                   "on the GPU, bf16; training too)")  # fmt: skip
    p.add_argument("--zipf", type=float, default=1.1, help="Zipf exponent of bot popularity")
    p.add_argument("--argmax-rows", type=int, default=160)
    p.add_argument("--limit-rows", type=int, default=0, help="the limit's rows (0: as measured)")
    p.add_argument("--steps", type=int, default=0, help="the loops' steps (0: as measured)")
    p.add_argument("--seed", type=int, default=1, help="the first repeat's draws")
    p.add_argument("--store", help="the bench store (default: under the machine cache)")
    p.add_argument("--train-steps", type=int, default=0, help="cut each bot's training (dry runs)")
    p.add_argument("--out", help="the JSON file (default bench/results/serve_load-<date>.json)")
    a = p.parse_args(argv)
    for key, value in (QUICK if a.quick else FULL).items():
        if getattr(a, key) is None:
            setattr(a, key, value)
    asked = [w.strip() for w in a.ways.split(",") if w.strip()]
    unknown = [w for w in asked if w not in WAYS]
    a.ways = [w for w in WAYS if w in asked]  # the endpoint first: the limit takes its rows
    if unknown:
        p.error(f"--ways {','.join(unknown)}: not a way; the ways are {','.join(WAYS)}")
    served = "endpoint" in a.ways or "engine" in a.ways
    if ("limit" in a.ways or "base" in a.ways) and not served and not a.limit_rows:
        p.error("--ways limit/base without endpoint or engine need --limit-rows (their rows)")
    return a


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank `q`th percentile, None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summarize(samples: list[Sample], seconds: float, **extra: Any) -> dict[str, Any]:
    """One run's figures: tokens/s and requests/s over `seconds`, latency and TTFT percentiles
    (streamed: to the first token, where the way gave one; whole: the answers asked whole),
    errors by status, and `extra` (the server's own figures)."""
    ok = [s for s in samples if s.status == 200]
    streamed = [s.ttft_s for s in ok if s.ttft_s is not None]
    whole = [s.latency_s for s in ok if not s.streamed]
    latency = [s.latency_s for s in ok]
    return {
        "requests": len(ok),
        "seconds": seconds,
        "tokens_per_s": sum(s.tokens for s in ok) / seconds,
        "requests_per_s": len(ok) / seconds,
        "p50_s": percentile(latency, 50),
        "p99_s": percentile(latency, 99),
        "ttft_stream_p50_s": percentile(streamed, 50),
        "ttft_stream_p99_s": percentile(streamed, 99),
        "ttft_whole_p50_s": percentile(whole, 50),
        "errors": dict(Counter(str(s.status) for s in samples if s.status != 200)),
        "tokens_per_row": sum(s.tokens for s in ok) / max(1, sum(s.rows for s in ok)),
        **extra,
    }


def run_repeat(a: argparse.Namespace, rep: int, ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every way once on this repeat's draws; each way's summary. The loops run at the rows and
    the mean length the endpoint produced (the engine's too, as `limit_engine`, where it ran)."""
    draws = make_draws(ctx["bots"], a.zipf, DRAWS_PER_REPEAT, a.seed + rep)
    out: dict[str, dict[str, Any]] = {}
    shape = {"limit": (a.limit_rows, a.steps or MAX_LENGTH - 5)}  # 5: a prompt's tokens
    both = {"endpoint", "engine", "limit"} <= set(a.ways)
    for way in a.ways + (["limit_engine"] if both else []):
        load = os.getloadavg()[0]
        print(f"repeat {rep + 1}/{a.repeats}: {way} (load average {load:.2f})", flush=True)
        feed = DrawFeed(draws)
        if way in ("endpoint", "engine"):
            out[way] = served(a, way, ctx, feed)
            rows = out[way]["active_rows"] or min(out[way]["rows_in_flight"], ctx["slots"])
            steps = max(1, round(out[way]["tokens_per_row"]))
            name = "limit_engine" if both and way == "engine" else "limit"
            shape[name] = (a.limit_rows or max(1, round(rows)), a.steps or steps)
            out[way]["limit_rows_from"] = "engine stats" if out[way]["active_rows"] else (
                f"rows in flight, at most {ctx['slots']}")  # fmt: skip
        elif way in ("resident", "pipeline"):
            samples, seconds = closed_loop(ctx[way], feed, a.clients, a.duration)
            out[way] = summarize(samples, seconds, bots_per_step=1.0, occupancy=None)
        else:
            rows, steps = shape.get(way, shape["limit"])
            rows = a.argmax_rows if way == "argmax" else rows
            bank = ctx["no_bank"] if way == "base" else ctx["bank"]
            loop = decode_loop(ctx["model"], ctx["tokenizer"], bank, feed, rows, steps,
                               a.duration, greedy=way == "argmax", n=NUM_SEQUENCES)  # fmt: skip
            bots = statistics.mean(loop.distinct_bots) if bank is ctx["bank"] else 1.0
            out[way] = summarize(loop.samples, sum(loop.seconds), rows=rows, steps=steps,
                                 bots_per_step=bots, occupancy=None)  # fmt: skip
    return out


def served(a: argparse.Namespace, way: str, ctx: dict[str, Any], feed: DrawFeed) -> dict[str, Any]:
    """One run of the endpoint over HTTP or the engine in-process: its summary, with the
    server's own figures and the rows the clients had in flight."""
    if way == "endpoint":
        before = replica_stats("bench")
        run = http_load(ctx["url"], feed, a.clients, a.stream_clients, a.duration)
        samples, seconds, said = asyncio.run(run)
        after = replica_stats("bench")
    else:
        before, said = ctx["engine"].stats(), {}
        samples, seconds = ctx["engine"].load(feed, a.clients, a.stream_clients, a.duration)
        after = ctx["engine"].stats()
    for status, text in said.items():
        print(f"  {way} error {status}: {text}")
    flight = rows_in_flight(samples, seconds)
    figures = server_figures(before, after)
    return summarize(samples, seconds, rows_in_flight=flight, error_texts=said, **figures)


FIGURES = [
    "tokens_per_s",
    "requests_per_s",
    "p50_s",
    "p99_s",
    "ttft_stream_p50_s",
    "ttft_whole_p50_s",
    "bots_per_step",
    "occupancy",
]


def spread_of(values: list[float | None]) -> dict[str, Any] | None:
    """result_files.spread of the repeats' values that exist (None where a way had none)."""
    got = [v for v in values if v is not None]
    return spread(got) if got else None


def aggregate(runs: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Per way, each figure's spread over the repeats; and each repeat's ratios to the limit
    (tokens/s of a way over the limit's in the same repeat)."""
    ways: dict[str, Any] = {}
    for way in runs[0]:
        keys = [k for k in runs[0][way] if isinstance(runs[0][way][k], int | float | type(None))]
        ways[way] = {k: spread_of([r[way].get(k) for r in runs]) for k in keys}
    ratios: dict[str, Any] = {}
    for ref in ("limit", "limit_engine", "base", "argmax"):
        if ref not in runs[0]:
            continue
        for way in runs[0]:
            if way != ref:
                per = [r[way]["tokens_per_s"] / r[ref]["tokens_per_s"] for r in runs]
                ratios[f"{way}/{ref}"] = spread(per)
    return {"ways": ways, "ratios": ratios}


def shown(s: dict[str, float] | None, fmt: str) -> str:
    """`median [min-max]`, or n/a."""
    if s is None:
        return "n/a"
    if s["min"] == s["max"]:
        return format(s["median"], fmt)
    return f"{format(s['median'], fmt)} [{format(s['min'], fmt)}-{format(s['max'], fmt)}]"


def report(a: argparse.Namespace, summary: dict[str, Any], doc: dict[str, Any]) -> None:
    """The table of the ways (median [range] over the repeats) and the ratios."""
    served = "endpoint" in a.ways or "engine" in a.ways
    streaming = f" ({a.stream_clients} streaming to the endpoint/engine)" if served else ""
    print(
        f"\n{a.bots} LoRA bots on {a.base_model}, {a.clients} clients{streaming}, "
        f"{a.duration:g} s a way, {a.repeats} repeat(s); machine "
        f"{doc['machine']['cpu']} x{doc['machine']['cores']}, load average "
        f"{doc['load_average_start'][0]:.2f} -> {os.getloadavg()[0]:.2f} (shared: noisy figures)"
    )
    head = [
        "tokens/s",
        "req/s",
        "p50 s",
        "p99 s",
        "TTFT stream",
        "TTFT whole",
        "bots/step",
        "occupancy",
    ]
    formats = [",.0f", ".2f", ".2f", ".2f", ".3f", ".2f", ".2f", ".0%"]
    print(f"{'':<13}" + "".join(f"{h:>22}" for h in head))
    for way, figures in summary["ways"].items():
        cells = [shown(figures.get(k), f) for k, f in zip(FIGURES, formats, strict=True)]
        print(f"{way:<13}" + "".join(f"{c:>22}" for c in cells))
    for way, figures in summary["ways"].items():
        extra = {
            k: figures.get(k)
            for k in ("rows", "active_rows", "rows_in_flight", "bots_per_batch", "tokens_per_row")
        }
        said = ", ".join(f"{k} {shown(v, '.1f')}" for k, v in extra.items() if v)
        if said:
            print(f"  {way}: {said}")
    print("tokens/s ratios, each repeat's own (median [range]):")
    for name, r in summary["ratios"].items():
        if name.endswith("/limit") or name in ("engine/limit_engine", "limit/base", "limit/argmax"):
            print(f"  {name:<20} {shown(r, '.1%')}")


def setup(a: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Ray, the bots (trained if the bench store lacks them), and what each way needs."""
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.core.ray_init import init_ray

    store = bench_store(a.base_model, a.store, a.train_steps)
    if "endpoint" in a.ways or not all(store.has_model(h) for h in bot_handles(a.bots)):
        keys = ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "TOKENIZERS_PARALLELISM")
        env = {k: os.environ[k] for k in keys}
        init_ray(num_cpus=max(4, a.num_cpus + 2), env_vars=env)
    bots = ensure_bots(store, a.bots, a.base_model, work, 1 if a.num_gpus else 0, a.train_steps)
    base = base_folder(store, bots[0])
    threads = a.threads or a.num_cpus
    torch.set_num_threads(threads)  # the replica's threads, for every way in this process
    ctx: dict[str, Any] = {"bots": bots, "store": store}
    transformers.utils.logging.disable_progress_bar()  # no bar for each model loaded
    settings = endpoint_settings(store.uri, a.num_cpus, a.num_gpus, threads)
    device = "cuda" if a.num_gpus else "cpu"
    dtype = torch.bfloat16 if a.num_gpus else torch.float32  # the endpoint's `auto`
    ctx["settings"], ctx["slots"] = settings, settings.get("max_batch_size") or a.clients * 10
    if "endpoint" in a.ways:
        ctx["url"] = start_endpoint(settings)
        print(
            f"endpoint at {ctx['url']}; warmed every bot in {warm_endpoint(ctx['url'], bots):.1f} s"
        )
    if "engine" in a.ways:
        ctx["engine"] = EngineWay(store, bots, settings, device)
    if "resident" in a.ways:
        ctx["resident"] = ResidentServer(store, bots, base, device)
    if "pipeline" in a.ways:
        ctx["pipeline"] = PipelinePerRequest(store, device)
    if {"limit", "base", "argmax"} & set(a.ways):
        model: Any = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        ctx["model"] = model.to(device=device, dtype=dtype).eval()
        ctx["tokenizer"] = AutoTokenizer.from_pretrained(base)
        ctx["bank"] = AdapterBank.load(store, bots).to(device, dtype)
        ctx["no_bank"] = NoAdapters(bots)
    return ctx


def main(argv: list[str] | None = None) -> Path:
    """Run the bench (`argv`: its options, default the command line's); the result file."""
    a = parse_args(argv)
    header = result_header(["bench/serve_load.py", *(sys.argv[1:] if argv is None else argv)])
    with tempfile.TemporaryDirectory(prefix="serve-load-") as work:
        ctx = setup(a, Path(work))
        runs = [run_repeat(a, rep, ctx) for rep in range(a.repeats)]
    import ray

    if "engine" in ctx:
        ctx["engine"].stop()
    if "url" in ctx:
        from ray import serve

        serve.shutdown()
    if ray.is_initialized():
        ray.shutdown()
    summary = aggregate(runs)
    request = {"n": NUM_SEQUENCES, "temperature": TEMPERATURE, "top_p": TOP_P, "top_k": TOP_K,
               "max_length": MAX_LENGTH, "min_length": MIN_LENGTH,
               "source": "murmur.core.generation (huggingtweets-demo.ipynb's predict())",
               "endpoint_top_k": "none (the OpenAI API has no top_k)"}  # fmt: skip
    doc = {**header, "bench": "serve_load", "options": vars(a), "request": request,
           "bots": ctx["bots"], "endpoint_settings": ctx["settings"], "runs": runs, **summary}  # fmt: skip
    report(a, summary, doc)
    path = write_result("serve_load", doc, a.out)
    print(f"\nwrote {path}")
    return path


if __name__ == "__main__":
    main()
