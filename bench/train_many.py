"""Many accounts, one job, several cluster shapes, one run: the same synthetic accounts (sized like
huggingtweets', ~2,300 kept tweets each) trained end to end (prepare, train, publish) by 1 trainer,
then by k trainers sharing the same CPUs or GPUs, and optionally huggingtweets' own way.

    python bench/train_many.py                          # 8 accounts, tiny, CPU: 1x2 vs 2x1
    python bench/train_many.py --compare-recipes        # and: the fast recipe's validation loss
    WANDB_MODE=offline python bench/train_many.py --wandb --setups 1   # W&B's cost on the CPU
    python bench/train_many.py --accounts 20 --base-model B --gpus 1 --setups 1,2,4 \\
        --huggingtweets-way 3 --json out.json      # one GPU: 1, 2, 4 trainers sharing it

Prints, per setup: accounts/hour end to end (from the job's start to its end, Ray already up)
and in steady state (each trainer's models after its first one: the worker group's start-up and
the first model's warm-up left out), the ratio k trainers / 1 trainer for both, and where a
model's time goes (queue wait, load, steps, evaluation, publish in the background, tracking).
Each setup's models are deleted once measured (--keep keeps them). `--huggingtweets-way N` times
huggingtweets' own way on the first N accounts: a fresh process per account
(bench/huggingtweets_way.py), reported per account. `--json` writes every figure, rewritten after
each setup and account (a run stopped half-way keeps what it measured).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.synthetic import PERSONAS, generate_account, write_jsonl
from murmur.jobs import AccountRecord, JobRequest, JobState, run_job

# huggingtweets' accounts: the API's ~3,200 most recent tweets, of which ~2,300 are kept after
# dropping retweets and short tweets; our personas keep ~84%, so 2,700 raw tweets keep ~2,270.
RAW_TWEETS = 2_700
KEPT = 0.84  # the share of a persona's tweets that huggingtweets' rules keep
# Where a model's time goes: label -> the worker's timings (per_model.py, publishing.py).
PARTS = {
    "queue wait": ("queue_wait",),
    "load (data, weights, engine)": ("data", "engine_init"),
    "steps": ("train",),
    "evaluation (before, after)": ("eval_before", "eval_after"),
    "gather + free the engine": ("gather", "release"),
    "tracking (on the critical path)": ("tracking",),
    "publish (in the background)": ("publish",),
}
_STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"
HERE = Path(__file__).resolve().parent


def write_accounts(n: int, folder: Path, raw_tweets: int = RAW_TWEETS) -> list[str]:
    """`n` synthetic accounts as JSONL files (X API v2 objects), personas taken in turn."""
    folder.mkdir(parents=True, exist_ok=True)
    personas = list(PERSONAS)
    handles = []
    for i in range(n):
        handle = f"bench_{i:04d}"
        account = generate_account(handle, raw_tweets, persona=personas[i % len(personas)])
        write_jsonl(account, folder / f"{handle}.jsonl")
        handles.append(handle)
    return handles


def run_setup(
    label: str,
    handles: list[str],
    tweets: Path,
    store: Store,
    train: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """All accounts as one job with the training options `train`; its figures."""
    request = JobRequest(
        handles=handles,
        tweets_dir=str(tweets),
        base_model=args.base_model,
        use_wandb=args.wandb,
        train={"log_every": 1_000_000, **train},  # no step lines in a benchmark
    )
    print(f"{label}: {train} (load average {_load()})", flush=True)
    t0 = time.perf_counter()
    outcome = run_job(request, store)
    wall = time.perf_counter() - t0
    records = JobState(store, outcome.job_id).read_accounts()
    failed = [(r.model, r.reason) for r in records if r.state != ModelState.PUBLISHED]
    if failed:
        raise SystemExit(f"{label}: models failed: {failed}")
    return {
        "label": label,
        "train": train,
        "wall_s": wall,
        "records": records,
        "end_to_end_per_h": len(records) / wall * 3600,
        "steady_per_h": steady_rate(records),
        "workers": len({r.worker for r in records}),
        "val_loss_after": mean(float(r.result["val_loss_after"]) for r in records),
        "val_loss_before": mean(float(r.result["val_loss_before"]) for r in records),
        "tokens_per_s": mean(float(r.result.get("tokens_per_s") or 0) for r in records),
        "published_dtype": published_dtype(store, records),
    }


def published_dtype(store: Store, records: list[AccountRecord]) -> str:
    """The dtype every published model's weights have. SystemExit when a model has no weights
    or the models differ."""
    dtypes = {weights_dtype(Path(store.local_model_dir(r.model))) for r in records}
    if len(dtypes) != 1:
        raise SystemExit(f"published models differ in dtype: {sorted(dtypes)}")
    return dtypes.pop()


def weights_dtype(folder: Path) -> str:
    """The dtype of a published model's weights as safetensors names it (`BF16`, `F32`)."""
    from safetensors import safe_open

    weights = sorted(folder.glob("*.safetensors"))  # model.safetensors, or a LoRA adapter's
    if not weights:
        raise SystemExit(f"no weights in published {folder}: {sorted(os.listdir(folder))}")
    with safe_open(str(weights[0]), framework="pt") as f:
        return str(f.get_slice(next(iter(f.keys()))).get_dtype())


def steady_rate(records: list[AccountRecord]) -> float:
    """Accounts/hour after each trainer's first model: for each trainer, its models after the
    first over the time from its first model's end to its last one's; summed over trainers."""
    ends: dict[str, list[float]] = {}
    for r in records:
        assert r.worker and r.training_ended, r
        ends.setdefault(r.worker, []).append(_time(r.training_ended))
    rate = 0.0
    for times in ends.values():
        times.sort()
        if len(times) > 1 and times[-1] > times[0]:
            rate += (len(times) - 1) / (times[-1] - times[0]) * 3600
    return rate


def parts(records: list[AccountRecord]) -> dict[str, float]:
    """Mean seconds per model in each part of PARTS (the first model of each trainer included)."""
    out = {}
    for label, keys in PARTS.items():
        out[label] = mean(
            sum(float(r.result.get("train_timings", {}).get(k, 0.0)) for k in keys) for r in records
        )
    return out


def setup_json(s: dict[str, Any]) -> dict[str, Any]:
    """A setup's figures for --json (bench/gpu.sh's `train` rows)."""
    train = s["train"]
    gpus = train["num_workers"] * train["gpus_per_worker"]
    return {
        "trainers": train["num_workers"],
        "gpus_per_trainer": train["gpus_per_worker"],
        "accounts": len(s["records"]),
        "wall_s": s["wall_s"],
        "accounts_per_hour": s["end_to_end_per_h"],
        "steady_accounts_per_hour": s["steady_per_h"],
        "accounts_per_gpu_hour": s["end_to_end_per_h"] / gpus if gpus else None,
        "tokens_per_s_per_trainer": s["tokens_per_s"],
        "val_loss_before": s["val_loss_before"],
        "val_loss_after": s["val_loss_after"],
        "published_dtype": s["published_dtype"],
        "seconds_per_model": parts(s["records"]),
    }


def report(setups: list[dict[str, Any]], n: int, args: argparse.Namespace) -> None:
    print()
    print(
        f"{n} accounts of {args.raw_tweets:,} tweets (~{args.raw_tweets * KEPT:,.0f} kept), "
        f"base model {args.base_model}, "
        f"recipe {setups[0]['train'].get('recipe', 'default')}, "
        f"max steps {args.max_steps or 'none (one pass over the 4-epoch text)'}, "
        f"W&B {'on (' + os.environ.get('WANDB_MODE', '') + ')' if args.wandb else 'off'}"
    )
    head = f"{'setup':<34}{'wall s':>8}{'acc/h e2e':>11}{'acc/h steady':>14}{'val loss':>10}"
    print(head)
    for s in setups:
        print(
            f"{s['label']:<34}{s['wall_s']:>8.1f}{s['end_to_end_per_h']:>11,.0f}"
            f"{s['steady_per_h']:>14,.0f}{s['val_loss_after']:>10.4f}"
        )
    one = next((s for s in setups if s["train"]["num_workers"] == 1), None)
    for many in (s for s in setups if s["train"]["num_workers"] > 1):
        if one:
            print(
                f"ratio {many['label']} / {one['label']}: end to end "
                f"{many['end_to_end_per_h'] / one['end_to_end_per_h']:.2f}x, steady state "
                f"{many['steady_per_h'] / max(one['steady_per_h'], 1e-9):.2f}x"
            )
    for s in setups:
        gpus = s["train"]["num_workers"] * s["train"]["gpus_per_worker"]
        if gpus:
            print(
                f"{s['label']}: {s['end_to_end_per_h'] / gpus:,.0f} accounts per GPU-hour end to "
                f"end, {s['steady_per_h'] / gpus:,.0f} steady; {s['tokens_per_s']:,.0f} "
                f"training tokens/s per trainer; published {s['published_dtype']}"
            )
    for s in setups:
        print(f"\nwhere a model's time goes, {s['label']} (mean seconds per model):")
        for label, seconds in parts(s["records"]).items():
            print(f"  {label:<36}{seconds:8.3f}")


def compare_recipes(
    handles: list[str],
    tweets: Path,
    work: Path,
    base: dict[str, Any],
    args: argparse.Namespace,
    done: dict[str, dict[str, Any]],
) -> None:
    """The same accounts with each recipe: validation loss after, and the fast recipe's gap.
    `done` holds setups already run with the same shape, by recipe (not run again)."""
    losses = {}
    for recipe in ("huggingtweets", "fast"):
        train = {**base, "recipe": recipe}
        s = done.get(recipe) or run_setup(
            f"recipe {recipe}", handles, tweets, Store(str(work / recipe)), train, args
        )
        losses[recipe] = s
        print(
            f"  {recipe}: val loss {s['val_loss_before']:.4f} -> {s['val_loss_after']:.4f}, "
            f"{s['steady_per_h']:,.0f} accounts/hour steady",
            flush=True,
        )
    ht, fast = losses["huggingtweets"]["val_loss_after"], losses["fast"]["val_loss_after"]
    gap = (fast - ht) / ht * 100
    verdict = "at most" if gap <= 3 else "MORE than"
    print(f"fast recipe's validation loss is {gap:+.2f}% from huggingtweets' ({verdict} 3% above)")
    for model_ht, model_fast in zip(
        losses["huggingtweets"]["records"], losses["fast"]["records"], strict=True
    ):
        a, b = model_ht.result["val_loss_after"], model_fast.result["val_loss_after"]
        print(
            f"  {model_ht.model}: huggingtweets {a:.4f}, fast {b:.4f} ({(b - a) / a * 100:+.2f}%)"
        )


def run_huggingtweets_way(
    handles: list[str], tweets: Path, work: Path, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Each account trained huggingtweets' way: its training text prepared as murmur prepares it,
    then a fresh Python process (bench/huggingtweets_way.py: HF Trainer, batch 1, fp32) timed from
    its start to its end, as huggingtweets' notebook ran one account after another. Returns one
    row per account: `process_s` and the process's own figures (imports, load, train, save)."""
    from murmur.core.handles import parse_model_spec
    from murmur.data.prepare import prepare_model
    from murmur.models.base import resolve_base_model

    base = resolve_base_model(args.base_model)
    rows = []
    for handle in handles:
        outcome = prepare_model(parse_model_spec(handle), tweets_dir=tweets)
        if outcome.prepared is None:
            raise SystemExit(f"huggingtweets' way: {handle}: {outcome.error}")
        folder = work / "huggingtweets-way" / handle
        folder.mkdir(parents=True, exist_ok=True)
        text = folder / "train.txt"
        text.write_text(outcome.prepared.train_text, encoding="utf-8")
        command = [sys.executable, str(HERE / "huggingtweets_way.py"), "--train-file", str(text)]
        command += ["--base-model", base, "--out", str(folder / "model")]
        t0 = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        if done.returncode:
            raise SystemExit(f"huggingtweets' way failed on {handle}:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        shutil.rmtree(folder)
        tokens_per_s = figures["tokens"] / figures["train_s"] if figures["train_s"] else 0.0
        rows.append({"account": handle, "process_s": seconds, **figures})
        rows[-1]["tokens_per_s"] = tokens_per_s
        print(
            f"huggingtweets' way, {handle}: {seconds:.1f} s in all (imports "
            f"{figures['imports_s']:.1f}, load {figures['load_s']:.1f}, train "
            f"{figures['train_s']:.1f} at {tokens_per_s:,.0f} tokens/s, save "
            f"{figures['save_s']:.1f}); {3600 / seconds:,.0f} accounts/hour",
            flush=True,
        )
    return rows


def start_ray(cpus: int) -> None:
    """A local Ray of `cpus` logical CPUs (more than the machine's lets k trainers of one CPU
    each share fewer cores), its workers given the environment training needs (as ensure_ray)."""
    from murmur.core.ray_init import init_ray
    from murmur.jobs.cluster import FORWARDED_ENV

    env_vars = {"TOKENIZERS_PARALLELISM": "false"}
    env_vars.update({name: os.environ[name] for name in FORWARDED_ENV if name in os.environ})
    init_ray(num_cpus=cpus, env_vars=env_vars)


def setup_options(key: str, cpus: int, base: dict[str, Any], args: argparse.Namespace) -> Any:
    """A setup's label and training options: `key` is a number of trainers, or W (--workers);
    the trainers share the CPUs, and --gpus GPUs (each --gpus-per-worker if given)."""
    k = args.workers if key == "W" else int(key)
    threads = max(1, cpus // k)
    gpus = args.gpus_per_worker or (args.gpus / k if args.gpus else 0.0)
    label = f"{k} trainer{'s' if k > 1 else ''} x {threads} threads"
    if gpus:
        label += f", {gpus:g} GPU each"
    train = {**base, "num_workers": k, "cpus_per_worker": threads, "gpus_per_worker": gpus}
    return label, train


def save_json(doc: dict[str, Any], path: str | None) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(f"{path}.tmp")
        tmp.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        tmp.replace(path)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=8)
    p.add_argument("--raw-tweets", type=int, default=RAW_TWEETS, help="tweets per account")
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--workers", type=int, default=2, help="W: trainers of the setup named W")
    p.add_argument("--gpus", type=float, default=0, help="GPUs the trainers of a setup share")
    p.add_argument("--gpus-per-worker", type=float, default=0, help="fixed GPUs per trainer")
    p.add_argument("--recipe", default=None, help="huggingtweets or fast (default: TrainConfig's)")
    p.add_argument("--max-steps", type=int, default=0, help="cap each model's steps (0: none)")
    p.add_argument("--setups", default="1,W", help="trainers per setup: numbers or W, e.g. 1,2,4")
    p.add_argument("--compare-recipes", action="store_true", help="also: fast vs huggingtweets")
    p.add_argument(
        "--huggingtweets-way",
        type=int,
        default=0,
        metavar="N",
        help="also train the first N accounts huggingtweets' way",
    )
    p.add_argument("--wandb", action="store_true", help="track with W&B (set WANDB_MODE too)")
    p.add_argument("--ray-cpus", type=int, default=0, help="logical CPUs of the local Ray")
    p.add_argument("--json", help="write every figure here")
    p.add_argument("--save-model", help="copy the last setup's first model to this folder")
    p.add_argument("--keep", action="store_true", help="keep each setup's models")
    p.add_argument("--work-dir", help="keep the accounts and stores here")
    return p.parse_args()


def main() -> None:
    args = parse_args()
    cpus = args.ray_cpus or os.cpu_count() or 2
    base: dict[str, Any] = {}
    if args.recipe:
        base["recipe"] = args.recipe
    if args.max_steps:
        base["max_steps"] = args.max_steps
    with tempfile.TemporaryDirectory(prefix="murmur-bench-") as tmp:
        work = Path(args.work_dir or tmp)
        tweets = work / "tweets"
        handles = write_accounts(args.accounts, tweets, args.raw_tweets)
        print(
            f"{len(handles)} synthetic accounts of {args.raw_tweets:,} tweets in {tweets}",
            flush=True,
        )
        doc: dict[str, Any] = {
            "accounts": len(handles),
            "raw_tweets": args.raw_tweets,
            "base_model": args.base_model,
            "setups": [],
            "huggingtweets_way": [],
        }
        setups = []
        keys = [k for k in args.setups.split(",") if k]
        if keys:  # (--setups "" --huggingtweets-way N: huggingtweets' way alone, no Ray)
            t0 = time.perf_counter()
            start_ray(cpus)
            print(f"Ray started in {time.perf_counter() - t0:.1f} s", flush=True)
        for i, key in enumerate(keys):
            label, train = setup_options(key, cpus, base, args)
            store = Store(str(work / f"store-{key}"))
            setups.append(run_setup(label, handles, tweets, store, train, args))
            doc["setups"].append(setup_json(setups[-1]))
            save_json(doc, args.json)
            if args.save_model and i == len(keys) - 1:
                first = store.local_model_dir(setups[-1]["records"][0].model)
                shutil.copytree(first, args.save_model, dirs_exist_ok=True)
            if not args.keep:  # a gpt2 in bf16 is ~250 MB: 20 of them per setup add up
                shutil.rmtree(work / f"store-{key}")
        if setups:
            report(setups, len(handles), args)
        if args.compare_recipes:
            print()
            from murmur.train import TrainConfig

            recipe = args.recipe or TrainConfig().recipe
            _, shape = setup_options("W", cpus, base, args)
            same_shape = [s for s in setups if s["train"]["num_workers"] == args.workers]
            done = {recipe: same_shape[0]} if same_shape else {}
            compare_recipes(handles, tweets, work, shape, args, done)
        if args.huggingtweets_way:
            print()
            rows = run_huggingtweets_way(handles[: args.huggingtweets_way], tweets, work, args)
            doc["huggingtweets_way"] = rows
            save_json(doc, args.json)
        print(f"load average at the end {_load()} (other work on this machine skews the figures)")


def _time(stamp: str) -> float:
    return datetime.strptime(stamp, _STAMP).timestamp()


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
