"""What resident LoRA bots cost a replica, measured: its process's memory (RSS) before and after
loading N adapters, and each adapter's load time from the store.

    python bench/lora_memory.py                         # 1,000 bots over tiny, CPU
    python bench/lora_memory.py --bots 200 --peft 200   # and PEFT's own load_adapter, for contrast
    python bench/lora_memory.py --base-model gpt2 --device cuda   # a GPU: CUDA memory too

One LoRA bot is trained with murmur's defaults (`--method lora`, a few steps: the weights' values
do not change their size), or taken from `--bot FOLDER`, and published under N names into a
local store. Then, in this process:
the base and the first bot are loaded through the serving engine's adapter cache
(murmur.serving.adapters.AdapterCache, as a replica does), and the other N - 1 one by one; RSS
(/proc/self/status VmRSS; on CUDA also torch.cuda.memory_allocated) is read before the base,
after the first bot and after the last one. Each load is timed end to end (the store's folder,
adapter_config.json, the safetensors file, the write into the pool). `--peft K` also times PEFT's
`PeftModel.load_adapter` for K adapters into one model, as they accumulate.

Prints the figures and writes bench/results/lora_memory-<date>.json (or --out): machine, commit,
command, load average, memory in MiB, load times (median, p90, max, and by hundreds).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from result_files import result_header, spread, write_result

from murmur.core.handles import parse_model_spec
from murmur.core.store import Store
from murmur.data.prepare import prepare_model
from murmur.samples import sample_dir

MIB = 2**20


def rss_mib() -> float:
    """This process's resident set size in MiB (VmRSS of /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("error: no VmRSS in /proc/self/status: this bench needs Linux")


def cuda_mib() -> float | None:
    import torch

    return torch.cuda.memory_allocated() / MIB if torch.cuda.is_available() else None


def train_one(store: Store, base_model: str, steps: int) -> str:
    """One LoRA bot (sample_baker) with murmur's LoRA defaults, published in `store`; its folder."""
    from murmur.train import TrainConfig, train_models

    outcome = prepare_model(parse_model_spec("sample_baker"), tweets_dir=sample_dir(), store=store)
    assert outcome.prepared is not None, outcome.error
    config = TrainConfig(base_model=base_model, method="lora", max_steps=steps, wandb=False)
    [result] = train_models([outcome.prepared], config, store, run_name="lora-memory")
    if result.status != "published":
        raise SystemExit(f"error: training the bot failed: {result.error}")
    return store.local_model_dir("sample_baker")


def trained_bot(store: Store, args: argparse.Namespace) -> str:
    """train_one in a local Ray, shut down before anything is measured."""
    import ray

    from murmur.core.ray_init import init_ray

    init_ray()
    folder = train_one(store, args.base_model, args.steps)
    ray.shutdown()  # its memory is not the replica's
    return folder


def publish_copies(store: Store, folder: str, n: int) -> list[str]:
    """The bot's folder published under n names (bot0000, ...); their model ids."""
    names = [f"bot{i:04d}" for i in range(n)]
    for name in names:
        store.publish_model(name, folder)
    return [f"{name}+lora" for name in names]


def load_all(store: Store, ids: list[str], device: str) -> dict[str, Any]:
    """The bots loaded through AdapterCache one by one: memory and per-load seconds."""
    from murmur.serving.adapters import AdapterCache

    gc.collect()
    before = rss_mib(), cuda_mib()
    cache = AdapterCache(store, device, "auto", budget_mb=1 << 20)  # room for every bot
    seconds = []
    for i, model_id in enumerate(ids):
        t0 = time.perf_counter()
        got = cache.bots([model_id])[model_id]
        seconds.append(time.perf_counter() - t0)
        if isinstance(got, Exception):
            raise SystemExit(f"error: {model_id} did not load: {got}")
        if i == 0:
            gc.collect()
            first = rss_mib(), cuda_mib()
    gc.collect()
    after = rss_mib(), cuda_mib()
    stats = cache.stats()
    n = len(ids)
    return {
        "bots": n,
        "rss_mib": {"before_base": before[0], "after_first_bot": first[0], "after_all": after[0]},
        "cuda_mib": {"before_base": before[1], "after_first_bot": first[1], "after_all": after[1]},
        "rss_mib_per_bot": (after[0] - first[0]) / max(n - 1, 1),
        "pool_bookkeeping_mib": stats["adapter_mb"],
        "first_load_s": seconds[0],
        "load_s": spread(seconds[1:] or seconds),
        "load_s_p90": sorted(seconds[1:] or seconds)[int(0.9 * (max(n - 1, 1) - 1))],
        "load_s_median_by_hundred": [
            median(seconds[i : i + 100]) for i in range(1, n, 100) if seconds[i : i + 100]
        ],
    }


def peft_loads(store: Store, ids: list[str]) -> dict[str, Any]:
    """PEFT's own multi-adapter model: `load_adapter` of each bot's folder into one PeftModel."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from murmur.models.base import resolve_base

    first = store.local_model_dir(ids[0].removesuffix("+lora"))
    base = AutoModelForCausalLM.from_pretrained(resolve_base("tiny", store).path)
    model = PeftModel.from_pretrained(base, first, adapter_name="a0")
    seconds = []
    for i, model_id in enumerate(ids[1:], start=1):
        folder = store.local_model_dir(model_id.removesuffix("+lora"))
        t0 = time.perf_counter()
        model.load_adapter(folder, adapter_name=f"a{i}")
        seconds.append(time.perf_counter() - t0)
    return {
        "adapters": len(ids),
        "load_s_first_10_median": median(seconds[:10]),
        "load_s_last_10_median": median(seconds[-10:]),
        "total_s": sum(seconds),
        "load_s": spread(seconds),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--bots", type=int, default=1000)
    p.add_argument("--peft", type=int, default=0, help="also time PEFT's load_adapter for K")
    p.add_argument("--base-model", default="tiny")
    p.add_argument("--device", default="cpu")
    p.add_argument("--steps", type=int, default=2, help="the bot's training steps")
    p.add_argument("--bot", default=None, help="a published LoRA bot's folder (no training)")
    p.add_argument("--out", default=None, help="the result file (default: bench/results/...)")
    args = p.parse_args()
    if args.bots < 2:
        p.error("--bots: at least 2")
    doc: dict[str, Any] = {**result_header(), "base_model": args.base_model}
    doc["device"] = args.device
    root = Path(tempfile.mkdtemp(prefix="lora-memory-"))
    try:
        store = Store(str(root / "store"))
        folder = args.bot or trained_bot(store, args)
        ids = publish_copies(store, folder, args.bots)
        doc["adapter_file_bytes"] = os.path.getsize(Path(folder) / "adapter_model.safetensors")
        doc["serving"] = load_all(store, ids, args.device)
        if args.peft:
            doc["peft"] = peft_loads(store, ids[: args.peft])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    path = write_result("lora_memory", doc, args.out)
    report(doc)
    print(f"written {path}")


def report(doc: dict[str, Any]) -> None:
    s = doc["serving"]
    rss = s["rss_mib"]
    print(
        f"{s['bots']} LoRA bots over {doc['base_model']} on {doc['device']}: RSS "
        f"{rss['before_base']:.0f} MiB before the base, {rss['after_first_bot']:.0f} after the "
        f"first bot, {rss['after_all']:.0f} after all ({s['rss_mib_per_bot'] * 1024:.0f} KiB "
        f"per bot; the pool's own count {s['pool_bookkeeping_mib']:.1f} MiB in all; the "
        f"adapter file {doc['adapter_file_bytes'] / 1024:.0f} KiB)"
    )
    load = s["load_s"]
    print(
        f"load from the store: first {s['first_load_s']:.3f} s (the base with it), then median "
        f"{load['median'] * 1e3:.1f} ms, p90 {s['load_s_p90'] * 1e3:.1f} ms, max "
        f"{load['max'] * 1e3:.1f} ms; medians by hundred: "
        + ", ".join(f"{x * 1e3:.1f}" for x in s["load_s_median_by_hundred"])
    )
    if "peft" in doc:
        pf = doc["peft"]
        print(
            f"PEFT load_adapter, {pf['adapters']} adapters into one model: "
            f"{pf['load_s_first_10_median']:.3f} s each at first, "
            f"{pf['load_s_last_10_median']:.3f} s at the end, {pf['total_s']:.1f} s in all"
        )


if __name__ == "__main__":
    main()
