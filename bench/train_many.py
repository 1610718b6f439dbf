"""Many accounts, one job, two cluster shapes, one run: the same synthetic accounts (sized like
huggingtweets', ~2,300 kept tweets each) trained end to end (prepare, train, publish) by 1 trainer
using every CPU thread, then by W trainers sharing them.

    python bench/train_many.py                          # 8 accounts, tiny, CPU: 1x2 vs 2x1
    python bench/train_many.py --compare-recipes        # and: the fast recipe's validation loss
    WANDB_MODE=offline python bench/train_many.py --wandb --setups 1   # W&B's cost on the CPU
    python bench/train_many.py --accounts 64 --base-model gpt2 --workers 4 \\
        --gpus-per-worker 0.25 --setups W               # a GPU: accounts per GPU-hour

Prints, per setup: accounts/hour end to end (from the job's start to its end, Ray already up)
and in steady state (each trainer's models after its first one: the worker group's start-up and
the first model's warm-up left out), the ratio W trainers / 1 trainer for both, and where a
model's time goes (queue wait, load, steps, evaluation, publish in the background, tracking).
`bench/huggingtweets_way.py` times huggingtweets' own way (a process per account) for contrast.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from murmur.data.synthetic import PERSONAS, generate_account, write_jsonl
from murmur.jobs import AccountRecord, JobRequest, JobState, ensure_ray, run_job
from murmur.models.store import Store
from murmur.states import ModelState

# huggingtweets' accounts: the API's ~3,200 most recent tweets, of which ~2,300 are kept after
# dropping retweets and short tweets; our personas keep ~84%, so 2,700 raw tweets keep ~2,270.
RAW_TWEETS = 2_700
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


def write_accounts(n: int, folder: Path) -> list[str]:
    """`n` synthetic accounts as JSONL files (X API v2 objects), personas taken in turn."""
    folder.mkdir(parents=True, exist_ok=True)
    personas = list(PERSONAS)
    handles = []
    for i in range(n):
        handle = f"bench_{i:04d}"
        account = generate_account(handle, RAW_TWEETS, persona=personas[i % len(personas)])
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
    }


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


def report(setups: list[dict[str, Any]], n: int, args: argparse.Namespace) -> None:
    print()
    print(
        f"{n} accounts of ~2,300 kept tweets, base model {args.base_model}, "
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
    one = next((s for s in setups if s["label"].startswith("1 trainer")), None)
    many = next((s for s in setups if not s["label"].startswith("1 trainer")), None)
    if one and many:
        print(
            f"ratio {many['label']} / {one['label']}: end to end "
            f"{many['end_to_end_per_h'] / one['end_to_end_per_h']:.2f}x, steady state "
            f"{many['steady_per_h'] / one['steady_per_h']:.2f}x"
        )
    if args.gpus_per_worker:
        for s in setups:
            gpus = s["train"]["num_workers"] * args.gpus_per_worker
            print(
                f"{s['label']}: {s['end_to_end_per_h'] / gpus:,.0f} accounts per GPU-hour end to "
                f"end, {s['steady_per_h'] / gpus:,.0f} steady; {s['tokens_per_s']:,.0f} "
                "training tokens/s per trainer"
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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=8)
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--workers", type=int, default=2, help="W: trainers of the second setup")
    p.add_argument("--gpus-per-worker", type=float, default=0)
    p.add_argument("--recipe", default=None, help="huggingtweets or fast (default: TrainConfig's)")
    p.add_argument("--max-steps", type=int, default=0, help="cap each model's steps (0: none)")
    p.add_argument("--setups", default="1,W", help="1, W or 1,W: which setups to run")
    p.add_argument("--compare-recipes", action="store_true", help="also: fast vs huggingtweets")
    p.add_argument("--wandb", action="store_true", help="track with W&B (set WANDB_MODE too)")
    p.add_argument("--work-dir", help="keep the accounts and stores here")
    args = p.parse_args()

    cpus = os.cpu_count() or 2
    base: dict[str, Any] = {"gpus_per_worker": args.gpus_per_worker}
    if args.recipe:
        base["recipe"] = args.recipe
    if args.max_steps:
        base["max_steps"] = args.max_steps
    with tempfile.TemporaryDirectory(prefix="murmur-bench-") as tmp:
        work = Path(args.work_dir or tmp)
        tweets = work / "tweets"
        handles = write_accounts(args.accounts, tweets)
        print(f"{len(handles)} synthetic accounts of {RAW_TWEETS:,} tweets in {tweets}", flush=True)
        t0 = time.perf_counter()
        ensure_ray()
        print(f"Ray started in {time.perf_counter() - t0:.1f} s", flush=True)
        shapes = {
            "1": ("1 trainer x {} threads", 1, cpus),
            "W": (f"{args.workers} trainers x {{}} threads", args.workers, cpus // args.workers),
        }
        setups = []
        for key in args.setups.split(","):
            label, workers, threads = shapes[key]
            train = {**base, "num_workers": workers, "cpus_per_worker": max(1, threads)}
            store = Store(str(work / f"store-{key}"))
            setups.append(run_setup(label.format(threads), handles, tweets, store, train, args))
        report(setups, len(handles), args)
        if args.compare_recipes:
            print()
            from murmur.train import TrainConfig

            recipe = args.recipe or TrainConfig().recipe
            shape = {"num_workers": args.workers, "cpus_per_worker": max(1, cpus // args.workers)}
            same_shape = [s for s in setups if s["train"]["num_workers"] == args.workers]
            done = {recipe: same_shape[0]} if same_shape else {}
            compare_recipes(handles, tweets, work, {**base, **shape}, args, done)
        print(f"load average at the end {_load()} (other work on this machine skews the figures)")


def _time(stamp: str) -> float:
    return datetime.strptime(stamp, _STAMP).timestamp()


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
