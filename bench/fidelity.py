"""Fidelity targets: does each bot write like its own account, for full and for LoRA?

    python bench/fidelity.py                    # 8 styled accounts, tiny, full and LoRA, CPU
    python bench/fidelity.py --posts 200 --tweets 2000
    python bench/fidelity.py --base-model gpt2 --gpus-per-worker 1     # a GPU

The accounts are murmur.data.topic_styles' 4 topics x 2 styles (two accounts of a topic share its
words; their styles differ in length, punctuation, emoji, mentions, hashtags and casing), fixed
before anything was measured, and none of them is an account murmur's defaults were tuned on.
Each method trains the 8 accounts in one Ray Train run (`murmur train`'s path: its recipe, seeds
and validation split) into its own store, then `murmur eval`'s evaluation (murmur.evals) judges
the 8 bots together. Prints the loss matrix, attribution and style, and the targets:

    top-1 attribution of generated posts (copies left out) >= 90% overall (chance 12.5%)
    within each same-topic pair >= 80% (chance 50%): of a pair's posts attributed to either
        account of the pair, the share attributed to the right one
    own bot ranked 1 on 8 of 8 accounts

Writes bench/results/fidelity-<date>.json (or --json): machine, commit, command, load averages,
per method the evaluation record and the targets; the heatmaps beside it as PNGs (--plot-dir).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from result_files import RESULTS, result_header, write_result

from murmur.cli.eval import print_evaluation
from murmur.cli.main import make_console
from murmur.core.handles import parse_model_spec
from murmur.core.store import Store
from murmur.data.prepare import PreparedModel, prepare_model
from murmur.data.synthetic import write_jsonl
from murmur.data.topic_styles import STYLES, TOPICS, account_names, generate_styled_account
from murmur.evals import save_evaluation
from murmur.evals.fidelity import EvalSettings, evaluate
from murmur.evals.heatmap import plot_evaluation
from murmur.train import TrainConfig, train_models

OVERALL = 0.90  # the targets
WITHIN_PAIR = 0.80
RAW_TWEETS = 1_000  # per account: ~900 training and ~100 validation posts


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--tweets", type=int, default=RAW_TWEETS, help="tweets per account")
    p.add_argument("--posts", type=int, default=100, help="generated posts per bot")
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--methods", nargs="+", default=["full", "lora"], choices=["full", "lora"])
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--gpus-per-worker", type=float, default=0)
    p.add_argument("--store", default=None, help="a folder for the stores (default: temporary)")
    p.add_argument("--plot-dir", default=str(RESULTS), help="where the heatmap PNGs go")
    p.add_argument("--json", help="the result file (default: bench/results/fidelity-<date>.json)")
    return p.parse_args()


def prepare(root: Path, n_tweets: int) -> list[PreparedModel]:
    """The 8 accounts as JSONL files, through `murmur prepare`'s rules and split."""
    tweets = root / "tweets"
    tweets.mkdir(parents=True, exist_ok=True)
    store = Store(str(root / "prepared"))
    prepared = []
    for name in account_names():
        write_jsonl(generate_styled_account(name, n_tweets), tweets / f"{name}.jsonl")
        outcome = prepare_model(parse_model_spec(name), tweets_dir=tweets, store=store)
        if outcome.prepared is None:
            raise SystemExit(f"{name}: {outcome.error}")
        prepared.append(outcome.prepared)
    return prepared


def pair_accuracy(confusion: dict[str, dict[str, int]], a: str, b: str) -> float | None:
    """Of the posts of bots a and b attributed to a or b, the share attributed to the right one."""
    right = confusion[a][a] + confusion[b][b]
    within = right + confusion[a][b] + confusion[b][a]
    return right / within if within else None


def targets(doc: dict[str, Any]) -> dict[str, Any]:
    """The three targets on one evaluation record."""
    att = doc["attribution"]
    pairs = {
        t.name: pair_accuracy(att["confusion"], f"{t.name}_{STYLES[0]}", f"{t.name}_{STYLES[1]}")
        for t in TOPICS
    }
    wins = sum(1 for r in doc["ranks"] if r["rank"] == 1)
    overall = att["overall"]
    return {
        "overall": overall,
        "overall_pass": overall is not None and overall >= OVERALL,
        "chance": att["chance"],
        "pairs": pairs,
        "pairs_pass": all(v is not None and v >= WITHIN_PAIR for v in pairs.values()),
        "own_rank_1": wins,
        "own_rank_pass": wins == len(doc["ranks"]),
        "copies": sum(att["copies"].values()) / len(att["copies"]),
    }


def run_method(
    method: str, prepared: list[PreparedModel], root: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Train the 8 accounts with `method`, evaluate the 8 bots; the record, targets and times."""
    config = TrainConfig(
        base_model=args.base_model,
        method=method,
        num_workers=args.workers,
        gpus_per_worker=args.gpus_per_worker,
        wandb=False,
    )
    store = Store(str(root / method))
    t0 = time.perf_counter()
    results = train_models(prepared, config, store, run_name=f"fidelity-{method}")
    failed = [f"{r.model}: {r.error}" for r in results if r.status != "published"]
    if failed:
        raise SystemExit(f"{method}: training failed: {'; '.join(failed)}")
    train_s = time.perf_counter() - t0
    evaluation = evaluate(store, account_names(), EvalSettings(posts=args.posts))
    doc = evaluation.to_json()
    save_evaluation(store, doc)
    png = Path(args.plot_dir) / f"fidelity-{method}-{doc['created'][:10]}.png"
    plot_evaluation(doc, png)
    console = make_console()
    console.rule(f"{method} fine-tuning of {args.base_model}")
    print_evaluation(console, doc)
    return {
        "train_s": round(train_s, 1),
        "eval_s": doc["seconds"],
        "plot": str(png),
        "targets": targets(doc),
        "evaluation": doc,
    }


def report(figures: dict[str, dict[str, Any]]) -> None:
    print("\ntargets:")
    for method, f in figures.items():
        t = f["targets"]
        pairs = ", ".join(f"{k} {'-' if v is None else f'{v:.0%}'}" for k, v in t["pairs"].items())
        overall = "-" if t["overall"] is None else f"{t['overall']:.1%}"
        print(
            f"  {method}: top-1 {overall} (>= {OVERALL:.0%}, chance {t['chance']:.1%}): "
            f"{'PASS' if t['overall_pass'] else 'FAIL'}; within pairs {pairs} "
            f"(>= {WITHIN_PAIR:.0%}, chance 50%): {'PASS' if t['pairs_pass'] else 'FAIL'}; "
            f"own bot rank 1 on {t['own_rank_1']}/8: {'PASS' if t['own_rank_pass'] else 'FAIL'}; "
            f"copies {t['copies']:.1%}; train {f['train_s']:.0f} s, eval {f['eval_s']:.0f} s"
        )


def start_ray(init_ray: Any, tries: int = 10) -> None:
    """A local Ray. On a loaded shared machine its raylet can miss Ray's fixed 30 s start window
    ("The current node timed out during startup"): try again a few times."""
    import ray

    for attempt in range(1, tries + 1):
        try:
            init_ray(env_vars={k: os.environ[k] for k in ("WANDB_MODE", "HF_HUB_OFFLINE")})
            return
        except Exception as e:
            if attempt == tries:
                raise
            print(f"starting Ray failed ({e}); again ({attempt}/{tries})", file=sys.stderr)
            ray.shutdown()
            time.sleep(10)


def main() -> None:
    args = parse_args()
    from murmur.core.ray_init import init_ray

    doc = result_header()
    start_ray(init_ray)
    root = Path(args.store or tempfile.mkdtemp(prefix="fidelity-"))
    prepared = prepare(root, args.tweets)
    doc["settings"] = {
        "accounts": account_names(),
        "tweets": args.tweets,
        "posts": args.posts,
        "base_model": args.base_model,
    }
    doc["methods"] = {}
    for method in args.methods:
        doc["methods"][method] = run_method(method, prepared, root, args)
        path = write_result("fidelity", doc, args.json)  # after each method: a stop keeps it
    report(doc["methods"])
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
