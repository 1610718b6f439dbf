"""LoRA against full fine-tuning, per account, on accounts a default may be tuned on and on accounts
nothing is tuned on: validation losses, and whether each bot scores best on its own
account's validation tweets (the cross-loss matrix).

    python bench/lora_quality.py                                  # both sets, the defaults, tiny
    python bench/lora_quality.py --set tuning --lora rank=64,alpha=128 --lora lr=3e-2   # a sweep
    python bench/lora_quality.py --set samples                    # the 4 bundled sample accounts
    python bench/lora_quality.py --base-model gpt2 --gpus-per-worker 1   # a GPU: the real check

The sets are murmur.data.synthetic's ACCOUNT_SETS: "tuning" (4 accounts: choose defaults on
these) and "validation" (4 other personas, words, styles and seed: report on these once a choice
is made, never tune on them), each of 300, 700, 1,500 and 2,700 tweets (SET_SIZES). Each `--lora` is a candidate: comma-separated `rank=`, `alpha=`,
`lr=`, `targets=` (`+`-separated layer names, e.g. c_attn+c_fc+wte) over TrainConfig's LoRA
defaults; none given, the defaults alone. Each method trains a set's accounts in one Ray Train run
(`murmur train`'s path: the recipe, seeds and validation split), into its own store; then every
bot (a full model folder or a LoRA adapter folder) scores every account's validation text as
training scores it (train.loop.text_loss). Prints per set: per account the validation loss after
each method and its ratio to full's, the matrix, the sizes, and the targets:

    LoRA's validation loss within 5% of the full fine-tune's (the mean over the set's accounts)
    every bot best on its own account (lowest loss in its account's column)

Writes bench/results/lora_quality-<date>.json (or --out): machine, commit, command, load average,
and per set and method every figure printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from result_files import result_header, write_result

from murmur.core.handles import parse_model_spec
from murmur.core.store import Store
from murmur.data.prepare import PreparedModel, prepare_model
from murmur.data.synthetic import ACCOUNT_SETS, write_account_set
from murmur.samples import SAMPLE_HANDLES, sample_dir
from murmur.train import TrainConfig, train_models
from murmur.train.loop import text_loss

WITHIN = 0.05  # the target: LoRA's mean validation loss at most 5% above the full fine-tune's
SETS = (*ACCOUNT_SETS, "samples")
_KEYS = {"rank": "lora_rank", "alpha": "lora_alpha", "lr": "lr", "targets": "lora_targets"}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--set", action="append", choices=SETS, help="default: tuning and validation")
    p.add_argument(
        "--tweets-per-account", type=int, default=0, help="default: the set's (300 to 2,700)"
    )
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--recipe", default="fast")
    p.add_argument("--lora", action="append", default=[], help="a candidate, e.g. rank=32,lr=2e-2")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--gpus-per-worker", type=float, default=0)
    p.add_argument("--store", default=None, help="a folder for the stores (default: temporary)")
    p.add_argument("--out", default=None, help="the result file (default: bench/results/...)")
    return p.parse_args()


def candidate(text: str) -> dict[str, Any]:
    """`rank=32,alpha=64,lr=2e-2,targets=c_attn+wte` as TrainConfig fields. SystemExit (one
    `error:` line) for an unknown key."""
    fields: dict[str, Any] = {}
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        if key not in _KEYS:
            raise SystemExit(f"error: --lora {text}: unknown key {key!r}: use {', '.join(_KEYS)}")
        parsed: Any = value.split("+") if key == "targets" else float(value)
        if key in ("rank", "alpha"):
            parsed = int(parsed)
        fields[_KEYS[key]] = parsed
    return fields


def prepare_set(name: str, args: argparse.Namespace, root: Path) -> list[PreparedModel]:
    """The set's accounts prepared as `murmur train` prepares them (the validation split)."""
    if name == "samples":
        tweets, handles = sample_dir(), list(SAMPLE_HANDLES)
    else:
        tweets = root / name / "tweets"
        handles = write_account_set(name, tweets, args.tweets_per_account)
    store = Store(str(root / name / "prepared"))
    prepared = []
    for handle in handles:
        outcome = prepare_model(parse_model_spec(handle), tweets_dir=str(tweets), store=store)
        if outcome.prepared is None:
            raise SystemExit(f"error: {handle}: {outcome.error}")
        prepared.append(outcome.prepared)
    return prepared


def train(
    label: str, prepared: list[PreparedModel], config: TrainConfig, folder: Path
) -> tuple[Store, float]:
    """Every account with `config` into the store `folder`; (the store, seconds of the run)."""
    store = Store(str(folder))
    t0 = time.perf_counter()
    results = train_models(prepared, config, store, run_name=f"lora-quality-{folder.name}")
    failed = [f"{r.model}: {r.error}" for r in results if r.status != "published"]
    if failed:
        raise SystemExit(f"error: {label}: training failed: {'; '.join(failed)}")
    return store, time.perf_counter() - t0


def cross_losses(store: Store, val: dict[str, str]) -> dict[str, dict[str, float]]:
    """losses[bot][account]: bot's loss per token on account's validation text."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    losses: dict[str, dict[str, float]] = {}
    for bot in val:
        folder = store.model_path(bot)
        model = AutoModelForCausalLM.from_pretrained(folder)  # a LoRA folder too (peft)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        block = store.load_manifest(bot).hyperparameters["block_size"]
        losses[bot] = {
            account: text_loss(model, tokenizer, text, block) for account, text in val.items()
        }
    return losses


def best_on_own(losses: dict[str, dict[str, float]]) -> dict[str, bool]:
    """account -> whether its own bot has the lowest loss on its validation text."""
    return {a: min(losses, key=lambda bot: losses[bot][a]) == a for a in losses}


def method_figures(store: Store, accounts: list[str], val: dict[str, str]) -> dict[str, Any]:
    """The manifests' figures (losses before/after, bytes, steps, training seconds, the LoRA
    fields) and the cross-loss matrix."""
    manifests = {a: store.load_manifest(a) for a in accounts}
    sizes = []
    for a, m in manifests.items():
        weights = Path(store.model_path(a)) / "model.safetensors"
        sizes.append(m.adapter_bytes if m.method == "lora" else weights.stat().st_size)
    first = next(iter(manifests.values()))
    losses = cross_losses(store, val)
    return {
        "before": {a: m.val_loss_before for a, m in manifests.items()},
        "after": {a: m.val_loss_after for a, m in manifests.items()},
        "bytes": mean(sizes),
        "train_s": mean(m.train_seconds for m in manifests.values()),
        "lr": first.hyperparameters["learning_rate"],
        "lora": first.lora,
        "losses": losses,
        "own_best": best_on_own(losses),
    }


def run_set(
    name: str, runs: list[tuple[str, TrainConfig]], args: argparse.Namespace, root: Path
) -> dict[str, Any]:
    """Every method on the set `name`; its figures by method label, ratios to full's added."""
    prepared = prepare_set(name, args, root)
    accounts = [p.name for p in prepared]
    val = {p.name: p.val_text for p in prepared}
    methods: dict[str, Any] = {}
    for i, (label, config) in enumerate(runs):
        store, seconds = train(f"{name} {label}", prepared, config, root / name / f"m{i}")
        methods[label] = {**method_figures(store, accounts, val), "run_s": seconds}
        print_matrix(f"{name}, {label}", methods[label]["losses"])
    full = methods["full"]
    for f in methods.values():
        f["mean_after"] = mean(f["after"].values())
        f["vs_full"] = f["mean_after"] / mean(full["after"].values()) - 1
        f["vs_full_per_account"] = {a: f["after"][a] / full["after"][a] - 1 for a in accounts}
        f["within_target"] = f["vs_full"] <= WITHIN
    return {"accounts": accounts, "methods": methods}


def print_matrix(label: str, losses: dict[str, dict[str, float]]) -> None:
    accounts = list(losses)
    print(f"\n{label}: loss of each bot (rows) on each account's validation tweets (columns)")
    print(f"{'':>16}" + "".join(f"{a:>16}" for a in accounts))
    for bot in accounts:
        cells = []
        for a in accounts:
            best = min(losses, key=lambda b, a=a: losses[b][a]) == bot
            cells.append(f"{losses[bot][a]:>15.3f}{'*' if best else ' '}")
        print(f"{bot:>16}" + "".join(cells))
    print("  * lowest in its column")


def report(name: str, figures: dict[str, Any], args: argparse.Namespace) -> None:
    methods, accounts = figures["methods"], figures["accounts"]
    print(f"\nset {name}: base {args.base_model}, recipe {args.recipe}, {len(accounts)} accounts")
    print(
        f"{'method':>34} {'lr':>9} {'val before':>11} {'val after':>10} {'vs full':>8} "
        f"{'own best':>9} {'size':>10} {'train s':>8}"
    )
    for label, f in methods.items():
        own = f["own_best"]
        print(
            f"{label:>34} {f['lr']:>9.3g} {mean(f['before'].values()):>11.3f} "
            f"{f['mean_after']:>10.3f} {f['vs_full']:>+7.1%} {sum(own.values()):>5}/{len(own)} "
            f"{f['bytes'] / 1e6:>8.3f}MB {f['train_s']:>8.1f}"
        )
    print("per account (validation loss after; vs full):")
    for a in accounts:
        cells = [
            f"{k} {f['after'][a]:.3f} ({f['vs_full_per_account'][a]:+.1%})"
            for k, f in methods.items()
        ]
        print(f"  {a:>16}: " + ", ".join(cells))
    for label, f in methods.items():
        if label != "full":
            own = f["own_best"]
            print(
                f"  target, {label}: within {WITHIN:.0%} of full's: "
                f"{'PASS' if f['within_target'] else 'FAIL'} ({f['vs_full']:+.1%}); every bot "
                f"best on its own: {'PASS' if all(own.values()) else 'FAIL'} "
                f"({sum(own.values())}/{len(own)})"
            )


def main() -> None:
    args = parse_args()
    sets = args.set or ["tuning", "validation"]
    from murmur.core.ray_init import init_ray

    init_ray(env_vars={k: os.environ[k] for k in ("WANDB_MODE", "HF_HUB_OFFLINE")})
    common = {
        "base_model": args.base_model,
        "recipe": args.recipe,
        "num_workers": args.workers,
        "gpus_per_worker": args.gpus_per_worker,
        "wandb": False,
    }
    runs: list[tuple[str, TrainConfig]] = [("full", TrainConfig(**common))]
    for text in args.lora or [""]:
        runs.append(
            (f"lora {text}".strip(), TrainConfig(**common, method="lora", **candidate(text)))
        )
    doc = {**result_header(), "target_within": WITHIN, "base_model": args.base_model}
    doc |= {"recipe": args.recipe, "tweets_per_account": args.tweets_per_account, "sets": {}}
    root = Path(args.store or tempfile.mkdtemp(prefix="lora-quality-"))
    for name in sets:
        doc["sets"][name] = run_set(name, runs, args, root)
        report(name, doc["sets"][name], args)
        path = write_result("lora_quality", doc, args.out)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
