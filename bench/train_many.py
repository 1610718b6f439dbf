"""Many accounts, two ways, one run: murmur's one Ray job against huggingtweets' fresh process per
account, on the same synthetic accounts sized like huggingtweets' (~2,300 kept tweets each).

    python bench/train_many.py                       # 6 accounts, tiny base, CPU: a few minutes
    python bench/train_many.py --accounts 100 --base-model gpt2 --gpus-per-worker 1   # a GPU

Prints accounts/hour end to end (murmur: Ray start, fetch, prepare, train, publish; huggingtweets:
a process per account, from interpreter start to saved model), training tokens/s, and where an
account's time goes: fixed costs (start-up, imports, loading, DeepSpeed, saving) against training
steps. `--max-steps` caps each account's training, in both ways to the same number of tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from murmur.data.handles import ModelSpec
from murmur.data.prepare import prepare_model
from murmur.data.synthetic import PERSONAS, generate_account, write_jsonl
from murmur.jobs.driver import JobRequest, ensure_ray, run_job
from murmur.jobs.state import PUBLISHED, JobState
from murmur.models.base import resolve_base_model
from murmur.models.store import Store

HERE = Path(__file__).resolve().parent
# huggingtweets' accounts: the API's ~3,200 most recent tweets, of which ~2,300 are kept after
# dropping retweets and short tweets; our personas keep ~84%, so 2,700 raw tweets keep ~2,270.
RAW_TWEETS = 2_700
PHASES = {
    "data": "tokenize + pack",
    "tracking": "W&B run (off here)",
    "engine_init": "fresh weights + DeepSpeed engine",
    "eval_before": "validation loss before",
    "train": "training steps",
    "eval_after": "validation loss after",
    "gather": "gather the weights",
    "release": "free the engine",
    "publish": "write + publish the model",
}


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


def murmur_way(
    handles: list[str], tweets: Path, store: Store, args: argparse.Namespace
) -> dict[str, Any]:
    """All accounts as one job: Ray start, prepare tasks, one training run, publish."""
    cpus = args.cpus_per_worker or max(1, (os.cpu_count() or 1) // args.workers)
    train: dict[str, Any] = {
        "num_workers": args.workers,
        "gpus_per_worker": args.gpus_per_worker,
        "cpus_per_worker": cpus,
        "micro_batch": args.micro_batch,
        "log_every": 1_000_000,  # no step lines in a benchmark
    }
    if args.max_steps:
        train["max_steps"] = args.max_steps
    request = JobRequest(
        handles=handles, tweets_dir=str(tweets), base_model=args.base_model, use_wandb=False,
        train=train,
    )  # fmt: skip
    t0 = time.perf_counter()
    ensure_ray()
    ray_start = time.perf_counter() - t0
    outcome = run_job(request, store)
    wall = time.perf_counter() - t0

    state = JobState(store, outcome.job_id)
    records = [a for a in state.read_accounts() if a.state == PUBLISHED]
    phases = state.read_job().get("phases", {})
    step_s = sum(float(a.result.get("train_seconds", 0.0)) for a in records)
    tokens = sum(int(a.result.get("train_tokens", 0)) for a in records)
    parts: dict[str, list[float]] = {}
    setup = 0.0
    for a in records:
        for phase, seconds in a.result.get("train_timings", {}).items():
            if phase == "worker_setup":
                setup = max(setup, seconds)
            else:
                parts.setdefault(phase, []).append(seconds)
    return {
        "published": len(records),
        "failed": [(a.model, a.reason) for a in outcome.accounts if a.state != PUBLISHED],
        "wall_s": wall,
        "ray_start_s": ray_start,
        "prepare_phase_s": phases.get("prepare", 0.0),
        "train_phase_s": phases.get("train", 0.0),
        "worker_setup_s": setup,
        "per_model_s": mean(a.timings.get("training", 0.0) for a in records),
        "per_model_parts": {k: mean(v) for k, v in parts.items()},
        "tokens": tokens,
        "tokens_per_s": tokens / step_s if step_s else 0.0,
        "val_loss_before": mean(a.result["val_loss_before"] for a in records),
        "val_loss_after": mean(a.result["val_loss_after"] for a in records),
    }


def huggingtweets_way(
    handles: list[str], tweets: Path, work: Path, max_blocks: int, base_model: str
) -> dict[str, Any]:
    """Each account in a fresh Python process running HF Trainer (bench/huggingtweets_way.py),
    over the same prepared training text murmur trains on."""
    base = resolve_base_model(base_model)
    runs = []
    for handle in handles:
        outcome = prepare_model(ModelSpec((handle,)), tweets_dir=tweets)
        if outcome.prepared is None:
            raise SystemExit(f"{handle}: {outcome.error}")
        text = work / f"{handle}.txt"
        text.write_text(outcome.prepared.train_text, encoding="utf-8")
        cmd = [
            sys.executable, str(HERE / "huggingtweets_way.py"), "--train-file", str(text),
            "--base-model", base, "--out", str(work / "models" / handle),
            "--max-blocks", str(max_blocks),
        ]  # fmt: skip
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{handle}: huggingtweets' way failed:\n{proc.stderr[-3000:]}")
        run = json.loads(proc.stdout.strip().splitlines()[-1])
        run["wall_s"] = wall
        runs.append(run)
        print(f"  {handle}: {wall:.1f} s, {run['steps']} steps of 1 block", flush=True)
    train_s = sum(r["train_s"] for r in runs)
    return {
        "runs": runs,
        "wall_s": sum(r["wall_s"] for r in runs),
        "tokens": sum(r["tokens"] for r in runs),
        "tokens_per_s": sum(r["tokens"] for r in runs) / train_s if train_s else 0.0,
    }


def blocks_per_account(ours: dict[str, Any], base_model: str) -> int:
    """huggingtweets' way trains at batch 1: as many blocks as murmur trained per account."""
    from transformers import AutoConfig

    block = min(1024, int(AutoConfig.from_pretrained(resolve_base_model(base_model)).n_positions))
    return max(1, round(ours["tokens"] / max(1, ours["published"]) / block))


def report(
    n: int, ours: dict[str, Any], theirs: dict[str, Any] | None, a: argparse.Namespace
) -> None:
    per_ours = ours["wall_s"] / n
    print()
    print(
        f"{n} accounts, base model {a.base_model}, {a.workers} worker(s) x "
        f"{a.gpus_per_worker:g} GPU, murmur micro-batch {a.micro_batch}, "
        f"max steps {a.max_steps or 'none (one pass over the 4-epoch text)'}"
    )
    print(f"{'way':<26}{'wall s':>9}{'s/account':>11}{'accounts/h':>12}{'train tok/s':>13}")
    print(
        f"{'murmur: one Ray job':<26}{ours['wall_s']:>9.1f}{per_ours:>11.2f}"
        f"{3600 / per_ours:>12,.0f}{ours['tokens_per_s']:>13,.0f}"
    )
    if theirs is not None:
        per_theirs = theirs["wall_s"] / n
        print(
            f"{'huggingtweets: proc/acct':<26}{theirs['wall_s']:>9.1f}{per_theirs:>11.2f}"
            f"{3600 / per_theirs:>12,.0f}{theirs['tokens_per_s']:>13,.0f}"
        )
    print(
        f"murmur trained {ours['tokens'] / n:,.0f} tokens per account; validation loss "
        f"{ours['val_loss_before']:.3f} -> {ours['val_loss_after']:.3f} (mean)"
    )
    print()
    print("where murmur's time goes (fixed costs paid once per job, not per account):")
    start_stop = ours["train_phase_s"] - n * ours["per_model_s"]
    print(f"  Ray start                         {ours['ray_start_s']:8.2f} s  once")
    print(f"  fetch + prepare, as Ray tasks     {ours['prepare_phase_s']:8.2f} s  once")
    print(
        f"  training run start + stop         {start_stop:8.2f} s  once (of which imports "
        f"+ base model in the worker: {ours['worker_setup_s']:.2f} s)"
    )
    print(f"  per account                       {ours['per_model_s']:8.2f} s:")
    for phase, seconds in ours["per_model_parts"].items():
        print(f"    {PHASES.get(phase, phase):<31} {seconds:8.3f} s")
    if theirs is None:
        return
    runs = theirs["runs"]
    print("where huggingtweets' time goes, per account (every cost paid every time):")
    parts = {
        "imports_s": "imports",
        "load_s": "load the base model",
        "tokenize_s": "tokenize",
        "train_s": "training steps",
        "save_s": "save the model",
    }
    for key, label in parts.items():
        print(f"  {label:<33} {mean(r[key] for r in runs):8.2f} s")
    rest = mean(r["wall_s"] - sum(r[k] for k in parts) for r in runs)
    print(f"  {'interpreter start + exit':<33} {rest:8.2f} s")
    print()
    print(f"ratio: huggingtweets' way takes {per_theirs / per_ours:.1f}x murmur's time per account")
    # For hundreds of accounts the marginal cost decides: what one more account adds.
    marginal = ours["per_model_s"]
    once = ours["wall_s"] - n * marginal
    line = (
        f"each further account: murmur {marginal:.2f} s, huggingtweets {per_theirs:.2f} s "
        f"({per_theirs / marginal:.1f}x); murmur's one-off {once:.0f} s per job"
    )
    if per_theirs > marginal:
        line += f" is repaid after {once / (per_theirs - marginal):.0f} accounts"
    print(line)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--accounts", type=int, default=6)
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--workers", type=int, default=1, help="training workers (one per GPU)")
    p.add_argument("--gpus-per-worker", type=float, default=0)
    p.add_argument("--cpus-per-worker", type=int, default=0, help="0: the CPUs split evenly")
    p.add_argument(
        "--micro-batch", type=int, default=16, help="murmur's blocks per step (huggingtweets': 1)"
    )
    p.add_argument(
        "--max-steps",
        type=int,
        default=0,
        help="cap each account at this many of murmur's steps; huggingtweets' way trains the "
        "same number of tokens (0: one pass over the 4-epoch text, as huggingtweets)",
    )
    p.add_argument("--skip-baseline", action="store_true", help="only murmur's way")
    p.add_argument("--work-dir", help="keep the accounts, store and models here")
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="murmur-bench-") as tmp:
        work = Path(args.work_dir or tmp)
        tweets = work / "tweets"
        handles = write_accounts(args.accounts, tweets)
        print(f"{len(handles)} synthetic accounts of {RAW_TWEETS:,} tweets in {tweets}", flush=True)
        print(f"murmur's way: one Ray job (load average {_load()})", flush=True)
        ours = murmur_way(handles, tweets, Store(str(work / "store")), args)
        if ours["failed"]:
            raise SystemExit(f"murmur's way failed for {ours['failed']}")
        theirs = None
        if not args.skip_baseline:
            print(f"huggingtweets' way: a process per account (load average {_load()})", flush=True)
            blocks = blocks_per_account(ours, args.base_model) if args.max_steps else 0
            theirs = huggingtweets_way(handles, tweets, work, blocks, args.base_model)
        report(len(handles), ours, theirs, args)
        print(f"load average at the end {_load()} (other work on this machine skews both ways)")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
