"""LoRA against full fine-tuning on the same accounts (issue 15): validation losses, and whether
each bot scores best on its own account's validation tweets (the cross-loss matrix).

    python bench/lora_quality.py                          # the 4 sample accounts, tiny, CPU
    python bench/lora_quality.py --lora-rank 32 --lora-alpha 64
    python bench/lora_quality.py --lora-lr 5e-3 --lora-lr 1.1e-2 --lora-lr 2.2e-2   # a sweep
    python bench/lora_quality.py --base-model gpt2 --gpus-per-worker 1   # a GPU: the real check

Each method trains every account in one Ray Train run (`murmur train`'s path: the same recipe,
seeds and validation split), into its own store. Then every published bot (a full model folder
or a LoRA adapter folder, loaded by `AutoModelForCausalLM.from_pretrained`) scores every
account's validation text as training scores it (train.loop.text_loss). Prints, per account,
the validation loss before and after each method; the matrix for each method; the sizes; and
the targets:

    LoRA's validation loss within 5% of the full fine-tune's (the mean over the accounts)
    every bot best on its own account (lowest loss in its account's column)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from murmur.core.handles import parse_model_spec
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store
from murmur.data.prepare import PreparedModel, prepare_model
from murmur.samples import SAMPLE_HANDLES, sample_dir
from murmur.train import TrainConfig, train_models
from murmur.train.loop import text_loss

WITHIN = 0.05  # the target: LoRA's mean validation loss at most 5% above the full fine-tune's


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--accounts", nargs="+", default=list(SAMPLE_HANDLES))
    p.add_argument("--tweets", default=str(sample_dir()), help="a --tweets folder")
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--recipe", default="fast")
    p.add_argument("--lora-rank", type=int, default=None)
    p.add_argument("--lora-alpha", type=int, default=None)
    p.add_argument(
        "--lora-lr", type=float, action="append", help="LoRA lr (repeat to sweep); default x10"
    )
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--gpus-per-worker", type=float, default=0)
    p.add_argument("--store", default=None, help="a folder for the stores (default: temporary)")
    return p.parse_args()


def train(
    label: str, prepared: list[PreparedModel], config: TrainConfig, folder: Path
) -> tuple[Store, float]:
    """Every account with `config` into the store `folder`; (the store, seconds of the run)."""
    store = Store(str(folder))
    t0 = time.perf_counter()
    results = train_models(prepared, config, store, run_name=f"lora-quality-{label}")
    failed = [f"{r.model}: {r.error}" for r in results if r.status != "published"]
    if failed:
        raise SystemExit(f"{label}: training failed: {'; '.join(failed)}")
    return store, time.perf_counter() - t0


def cross_losses(store: Store, val: dict[str, str]) -> dict[str, dict[str, float]]:
    """losses[bot][account]: bot's loss per token on account's validation text."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    losses: dict[str, dict[str, float]] = {}
    for bot in val:
        folder = store.model_path(bot)
        model = AutoModelForCausalLM.from_pretrained(folder)  # a LoRA folder too (peft)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        block = ModelManifest.from_json(store.load_manifest(bot)).hyperparameters["block_size"]
        losses[bot] = {
            account: text_loss(model, tokenizer, text, block) for account, text in val.items()
        }
    return losses


def best_on_own(losses: dict[str, dict[str, float]]) -> dict[str, bool]:
    """account -> whether its own bot has the lowest loss on its validation text."""
    return {a: min(losses, key=lambda bot: losses[bot][a]) == a for a in losses}


def print_matrix(label: str, losses: dict[str, dict[str, float]]) -> None:
    accounts = list(losses)
    print(f"\n{label}: loss of each bot (rows) on each account's validation tweets (columns)")
    print(f"{'':>18}" + "".join(f"{a:>17}" for a in accounts))
    for bot in accounts:
        cells = []
        for a in accounts:
            best = min(losses, key=lambda b, a=a: losses[b][a]) == bot
            cells.append(f"{losses[bot][a]:>16.3f}{'*' if best else ' '}")
        print(f"{bot:>18}" + "".join(cells))
    print("  * lowest in its column")


def summary(store: Store, accounts: list[str]) -> dict[str, Any]:
    """The manifests' figures: losses before/after, bytes, steps, training seconds."""
    manifests = {a: ModelManifest.from_json(store.load_manifest(a)) for a in accounts}
    sizes = []
    for a, m in manifests.items():
        weights = Path(store.model_path(a)) / "model.safetensors"
        sizes.append(m.adapter_bytes if m.method == "lora" else weights.stat().st_size)
    return {
        "before": {a: m.val_loss_before for a, m in manifests.items()},
        "after": {a: m.val_loss_after for a, m in manifests.items()},
        "bytes": mean(sizes),
        "train_s": mean(m.train_seconds for m in manifests.values()),
        "lr": next(iter(manifests.values())).hyperparameters["learning_rate"],
    }


def main() -> None:
    args = parse_args()
    from murmur.core.ray_init import init_ray

    init_ray(env_vars={k: os.environ[k] for k in ("WANDB_MODE", "HF_HUB_OFFLINE")})
    root = Path(args.store or tempfile.mkdtemp(prefix="lora-quality-"))
    prep_store = Store(str(root / "prepared"))
    prepared = []
    for handle in args.accounts:
        outcome = prepare_model(parse_model_spec(handle), tweets_dir=args.tweets, store=prep_store)
        if outcome.prepared is None:
            raise SystemExit(f"{handle}: {outcome.error}")
        prepared.append(outcome.prepared)
    val = {p.name: p.val_text for p in prepared}
    common = {
        "base_model": args.base_model,
        "recipe": args.recipe,
        "num_workers": args.workers,
        "gpus_per_worker": args.gpus_per_worker,
        "wandb": False,
    }
    lora = {k: v for k, v in (("lora_rank", args.lora_rank), ("lora_alpha", args.lora_alpha)) if v}
    runs: list[tuple[str, TrainConfig]] = [("full", TrainConfig(**common))]
    for lr in args.lora_lr or [None]:
        extra = {"lr": lr} if lr else {}
        label = f"lora-lr{lr:g}" if lr else "lora"
        runs.append((label, TrainConfig(**common, method="lora", **lora, **extra)))

    figures: dict[str, dict[str, Any]] = {}
    for label, config in runs:
        store, seconds = train(label, prepared, config, root / label)
        figures[label] = summary(store, args.accounts)
        figures[label]["run_s"] = seconds
        figures[label]["losses"] = cross_losses(store, val)
        print_matrix(label, figures[label]["losses"])
    report(figures, args)


def report(figures: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    full = figures["full"]
    print(f"\nbase {args.base_model}, recipe {args.recipe}, {len(args.accounts)} accounts")
    print(
        f"{'method':>16} {'lr':>9} {'val before':>11} {'val after':>10} {'vs full':>8} "
        f"{'own best':>9} {'size':>10} {'train s':>8} {'run s':>6}"
    )
    for label, f in figures.items():
        after = mean(f["after"].values())
        ratio = after / mean(full["after"].values()) - 1
        own = best_on_own(f["losses"])
        print(
            f"{label:>16} {f['lr']:>9.3g} {mean(f['before'].values()):>11.3f} {after:>10.3f} "
            f"{ratio:>+7.1%} {sum(own.values()):>5}/{len(own)} {f['bytes'] / 1e6:>8.3f}MB "
            f"{f['train_s']:>8.1f} {f['run_s']:>6.0f}"
        )
    print("\nper account (validation loss after):")
    for a in args.accounts:
        print(f"  {a:>18}: " + ", ".join(f"{k} {f['after'][a]:.3f}" for k, f in figures.items()))
    print("\ntargets:")
    for label, f in figures.items():
        if label == "full":
            continue
        ratio = mean(f["after"].values()) / mean(full["after"].values()) - 1
        own = best_on_own(f["losses"])
        print(
            f"  {label}: val loss within {WITHIN:.0%} of full's: "
            f"{'PASS' if ratio <= WITHIN else 'FAIL'} ({ratio:+.1%}); "
            f"every bot best on its own: {'PASS' if all(own.values()) else 'FAIL'} "
            f"({sum(own.values())}/{len(own)})"
        )
    own_full = best_on_own(full["losses"])
    print(
        f"  full (for reference): every bot best on its own: {sum(own_full.values())}/{len(own_full)}"
    )


if __name__ == "__main__":
    main()
