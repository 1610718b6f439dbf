"""Many accounts, one job, several cluster shapes, each measured several times: the same synthetic
accounts (sized like huggingtweets', ~2,300 kept tweets each) trained end to end (prepare, train,
publish) by 1 trainer on 1 thread, 1 trainer on every thread, and W trainers sharing the threads,
with W&B off and offline, and optionally huggingtweets' own way.

    python bench/train_many.py --repeats 3              # 8 accounts, tiny, CPU: the rows below
    python bench/train_many.py --setups 1,W --wandb-modes off --repeats 1   # a quick look
    python bench/train_many.py --compare-recipes        # and: the fast recipe's validation loss
    python bench/train_many.py --accounts 20 --base-model B --gpus 1 --setups 1,2,4 \\
        --wandb-modes off --huggingtweets-way 3 --json out.json   # one GPU: 1, 2, 4 trainers

Setups (--setups, comma-separated): `1x1` is 1 trainer on 1 thread; a number k is k trainers
sharing the machine's threads (`1`: one trainer on all of them); `W` is --workers trainers. Each
setup runs once per W&B mode (--wandb-modes: off, offline), and the whole plan --repeats times,
round-robin (repeat 1 of every setup, then repeat 2, ...), so that a change in the machine's load
reaches every setup alike. Prints, per setup: accounts/hour end to end (from the job's start to
its end, Ray already up) and in steady state (each trainer's models after its first one), as
median and range over the repeats; the ratios of medians against 1 trainer x 1 thread and 1
trainer x all threads, and W&B's cost (offline against off); where a model's time goes (queue
wait, load, steps, evaluation, publish in the background, tracking). The load average is
recorded at each setup's start (the machine may be shared: quote medians and ratios).

Writes bench/results/train_many-<date>.json (or --json): machine, commit, command, load
averages, per setup and mode its medians (the keys bench/gpu.sh reads) and every repeat. Models
are deleted once measured (--keep keeps them). `--huggingtweets-way N`: huggingtweets' own way
on the first N accounts, a fresh process each (bench/huggingtweets_way.py).
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
from pathlib import Path
from statistics import mean, median
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from result_files import load_average, result_header, spread, write_result

from murmur.core.clock import parse_stamp
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
WANDB_MODES = {"off": "disabled", "offline": "offline", "online": "online"}
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
    wandb: str = "off",
) -> dict[str, Any]:
    """All accounts as one job with the training options `train` and W&B `wandb` (a key of
    WANDB_MODES); its figures."""
    os.environ["WANDB_MODE"] = WANDB_MODES[wandb]  # the job's prepare tasks and trainers take it
    request = JobRequest(
        handles=handles,
        tweets_dir=str(tweets),
        base_model=args.base_model,
        use_wandb=wandb != "off",
        train={"log_every": 1_000_000, **train},  # no step lines in a benchmark
    )
    load = load_average()
    print(f"{label}, W&B {wandb}: {train} (load average {load})", flush=True)
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
        "wandb": wandb,
        "load_average": load,
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
        ends.setdefault(r.worker, []).append(parse_stamp(r.training_ended))
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


def setup_json(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A setup's figures over its repeats for the JSON: medians under the keys bench/gpu.sh
    reads (its `train` rows), and `spread` (median, min, max, every run) of the rates."""
    s, train = runs[0], runs[0]["train"]
    gpus = train["num_workers"] * train["gpus_per_worker"]
    e2e = [r["end_to_end_per_h"] for r in runs]
    return {
        "setup": s["label"],
        "wandb": s["wandb"],
        "trainers": train["num_workers"],
        "threads_per_trainer": train["cpus_per_worker"],
        "gpus_per_trainer": train["gpus_per_worker"],
        "accounts": len(s["records"]),
        "repeats": len(runs),
        "wall_s": median(r["wall_s"] for r in runs),
        "accounts_per_hour": median(e2e),
        "steady_accounts_per_hour": median(r["steady_per_h"] for r in runs),
        "accounts_per_gpu_hour": median(e2e) / gpus if gpus else None,
        "tokens_per_s_per_trainer": median(r["tokens_per_s"] for r in runs),
        "val_loss_before": s["val_loss_before"],
        "val_loss_after": median(r["val_loss_after"] for r in runs),
        "published_dtype": s["published_dtype"],
        "seconds_per_model": parts([rec for r in runs for rec in r["records"]]),
        "spread": {
            "wall_s": spread([r["wall_s"] for r in runs]),
            "accounts_per_hour": spread(e2e),
            "steady_accounts_per_hour": spread([r["steady_per_h"] for r in runs]),
        },
        "load_average_at_start": [r["load_average"] for r in runs],
    }


def report(rows: list[dict[str, Any]], n: int, cpus: int, args: argparse.Namespace) -> None:
    """The table of `rows` (setup_json's), the ratios of medians and where the time goes."""
    print()
    print(
        f"{n} accounts of {args.raw_tweets:,} tweets (~{args.raw_tweets * KEPT:,.0f} kept), "
        f"base model {args.base_model}, recipe {args.recipe or 'default'}, max steps "
        f"{args.max_steps or 'none (one pass over the 4-epoch text)'}, {args.repeats} repeat(s): "
        "median [min-max]"
    )
    print(f"{'setup':<30}{'W&B':>8}{'wall s':>8}{'acc/h e2e':>22}{'acc/h steady':>22}")
    for r in rows:
        e2e, steady = r["spread"]["accounts_per_hour"], r["spread"]["steady_accounts_per_hour"]
        print(
            f"{r['setup']:<30}{r['wandb']:>8}{r['wall_s']:>8.1f}{_range(e2e):>22}"
            f"{_range(steady):>22}"
        )
    for base_label in ("1 trainer x 1 thread", f"1 trainer x {cpus} threads"):
        for mode in {r["wandb"] for r in rows}:
            one = next((r for r in rows if r["setup"] == base_label and r["wandb"] == mode), None)
            for r in (r for r in rows if r is not one and r["wandb"] == mode):
                if one is not None:
                    print(
                        f"ratio {r['setup']} / {base_label}, W&B {mode}: end to end "
                        f"{r['accounts_per_hour'] / one['accounts_per_hour']:.2f}x, steady "
                        f"{r['steady_accounts_per_hour'] / max(one['steady_accounts_per_hour'], 1e-9):.2f}x"
                    )
    for r in (r for r in rows if r["wandb"] != "off"):
        off = next((o for o in rows if o["setup"] == r["setup"] and o["wandb"] == "off"), None)
        if off is not None:
            print(
                f"W&B {r['wandb']} / off, {r['setup']}: end to end "
                f"{r['accounts_per_hour'] / off['accounts_per_hour']:.2f}x"
            )
    for r in rows:
        print(f"\nwhere a model's time goes, {r['setup']}, W&B {r['wandb']} (mean s per model):")
        for label, seconds in r["seconds_per_model"].items():
            print(f"  {label:<36}{seconds:8.3f}")


def _range(x: dict[str, Any]) -> str:
    return f"{x['median']:,.0f} [{x['min']:,.0f}-{x['max']:,.0f}]"


def compare_recipes(
    handles: list[str],
    tweets: Path,
    work: Path,
    base: dict[str, Any],
    args: argparse.Namespace,
) -> None:
    """The same accounts with each recipe (W&B off): validation loss after, the fast gap."""
    losses = {}
    for recipe in ("huggingtweets", "fast"):
        train = {**base, "recipe": recipe}
        s = run_setup(f"recipe {recipe}", handles, tweets, Store(str(work / recipe)), train, args)
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
    """A setup's label and training options: `key` is `1x1` (1 trainer, 1 thread), a number of
    trainers sharing the `cpus` threads, or W (--workers); and --gpus GPUs shared by the trainers
    (each --gpus-per-worker if given). SystemExit for another key."""
    if key != "W" and key != "1x1" and not key.isdigit():
        raise SystemExit(f"error: --setups {key}: use 1x1, a number of trainers, or W")
    k = args.workers if key == "W" else int(key.split("x")[0])
    threads = 1 if key == "1x1" else max(1, cpus // k)
    gpus = args.gpus_per_worker or (args.gpus / k if args.gpus else 0.0)
    label = f"{k} trainer{'s' if k > 1 else ''} x {threads} thread{'s' if threads > 1 else ''}"
    if gpus:
        label += f", {gpus:g} GPU each"
    train = {**base, "num_workers": k, "cpus_per_worker": threads, "gpus_per_worker": gpus}
    return label, train


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
    p.add_argument("--setups", default="1x1,1,W", help="1x1, numbers of trainers or W: 1x1,1,2,4")
    p.add_argument("--wandb-modes", default="off,offline", help="W&B per setup: off,offline,online")
    p.add_argument("--repeats", type=int, default=3, help="times each setup runs (median, range)")
    p.add_argument("--compare-recipes", action="store_true", help="also: fast vs huggingtweets")
    p.add_argument(
        "--huggingtweets-way",
        type=int,
        default=0,
        metavar="N",
        help="also train the first N accounts huggingtweets' way",
    )
    p.add_argument("--ray-cpus", type=int, default=0, help="logical CPUs of the local Ray")
    p.add_argument("--json", help="the result file (default: bench/results/train_many-<date>.json)")
    p.add_argument("--save-model", help="copy the last setup's first model to this folder")
    p.add_argument("--keep", action="store_true", help="keep each setup's models")
    p.add_argument("--work-dir", help="keep the accounts and stores here")
    args = p.parse_args()
    args.modes = [m for m in args.wandb_modes.split(",") if m]
    if any(m not in WANDB_MODES for m in args.modes) or args.repeats < 1:
        p.error(f"--wandb-modes takes {', '.join(WANDB_MODES)}; --repeats at least 1")
    return args


def run_plan(
    handles: list[str], tweets: Path, work: Path, cpus: int, doc: dict[str, Any], args: Any
) -> list[dict[str, Any]]:
    """Every setup in every W&B mode, --repeats times round-robin; setup_json's rows, the JSON
    rewritten after each run (a run stopped half-way keeps what it measured)."""
    base = {k: v for k, v in (("recipe", args.recipe), ("max_steps", args.max_steps)) if v}
    keys = [k for k in args.setups.split(",") if k]
    os.environ.setdefault("WANDB_DIR", str(work / "wandb"))  # offline runs: not in the repo
    Path(os.environ["WANDB_DIR"]).mkdir(parents=True, exist_ok=True)
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for repeat in range(args.repeats):
        for mode in args.modes:
            for key in keys:
                label, train = setup_options(key, cpus, base, args)
                store = Store(str(work / f"store-{key}-{mode}-{repeat}"))
                runs.setdefault((key, mode), []).append(
                    run_setup(label, handles, tweets, store, train, args, mode)
                )
                doc["setups"] = [setup_json(r) for r in runs.values()]
                write_result("train_many", doc, args.json)
                if args.save_model and repeat == args.repeats - 1:
                    first = store.local_model_dir(runs[(key, mode)][-1]["records"][0].model)
                    shutil.copytree(first, args.save_model, dirs_exist_ok=True)
                if not args.keep:  # a gpt2 in bf16 is ~250 MB: 20 of them per setup add up
                    shutil.rmtree(store.root, ignore_errors=True)
    return list(doc["setups"])


def main() -> None:
    args = parse_args()
    cpus = args.ray_cpus or os.cpu_count() or 2
    with tempfile.TemporaryDirectory(prefix="murmur-bench-") as tmp:
        work = Path(args.work_dir or tmp)
        tweets = work / "tweets"
        handles = write_accounts(args.accounts, tweets, args.raw_tweets)
        print(f"{len(handles)} synthetic accounts of {args.raw_tweets:,} tweets", flush=True)
        doc: dict[str, Any] = {
            **result_header(),
            "accounts": len(handles),
            "raw_tweets": args.raw_tweets,
            "base_model": args.base_model,
            "repeats": args.repeats,
            "setups": [],
            "huggingtweets_way": [],
        }
        if args.setups or args.compare_recipes:  # (--setups "": huggingtweets' way alone, no Ray)
            t0 = time.perf_counter()
            start_ray(cpus)
            print(f"Ray started in {time.perf_counter() - t0:.1f} s", flush=True)
        rows = run_plan(handles, tweets, work, cpus, doc, args) if args.setups else []
        if rows:
            report(rows, len(handles), cpus, args)
        if args.compare_recipes:
            print()
            _, shape = setup_options("W", cpus, {}, args)
            compare_recipes(handles, tweets, work, shape, args)
        if args.huggingtweets_way:
            print()
            rows_ht = run_huggingtweets_way(handles[: args.huggingtweets_way], tweets, work, args)
            doc["huggingtweets_way"] = rows_ht
        path = write_result("train_many", doc, args.json)
        print(f"load average at the end {load_average()} (other work here skews the figures)")
        print(f"written {path}")


if __name__ == "__main__":
    main()
