"""The LoRA bots bench/serve_load.py serves: trained by murmur on synthetic accounts, kept in a
bench store between runs, and their adapters as one bank for the bare decode loop.

    bots = ensure_bots(store, 12, "tiny", work)   # trains only the bots the store lacks
    bank = AdapterBank.load(store, bots, base)    # every bot's A and B, stacked

Each bot is `murmur train --method lora` of one synthetic account (murmur.data.synthetic: the
personas taken in turn, each account's own tweets from its handle's seed), as a user would train
it: the default recipe and LoRA defaults, W&B off. The store lives under the machine cache
(`$MURMUR_CACHE` or ~/.cache/murmur, bench/serve_load/<base>), so a second run trains nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from murmur.core.store import Store

RAW_TWEETS = 2_700
"""Tweets per synthetic account: huggingtweets read the API's ~3,200 most recent, of which
~2,300 survive its rules; the personas keep ~84% (bench/train_many.py), so 2,700 keep ~2,270."""
ADAPTER_WEIGHTS = "adapter_model.safetensors"


def bench_store(base_model: str, folder: str | None = None, max_steps: int = 0) -> Store:
    """The bench's store: `folder`, else the machine cache's bench/serve_load/<base> folder
    (<base>-steps<N> for bots cut to `max_steps` steps, so that they never stand in for bots
    trained in full)."""
    if folder is None:
        cache = Path(os.environ.get("MURMUR_CACHE") or Path.home() / ".cache" / "murmur")
        name = base_model.replace("/", "_") + (f"-steps{max_steps}" if max_steps else "")
        folder = str(cache / "bench" / "serve_load" / name)
    return Store(folder)


def bot_handles(count: int) -> list[str]:
    """The bots' handles (also their model names): serve_0000, serve_0001, ..."""
    return [f"serve_{i:04d}" for i in range(count)]


def ensure_bots(
    store: Store, count: int, base_model: str, work: Path, gpus: float = 0, max_steps: int = 0
) -> list[str]:
    """`count` LoRA bots published in `store`, training (one murmur job, on the Ray this process
    is connected to, on `gpus` GPUs a trainer, at most `max_steps` steps a bot, 0: a full pass)
    only those it lacks; their names. Raises SystemExit naming any bot that failed to train."""
    from murmur.core.states import ModelState
    from murmur.data.synthetic import PERSONAS, generate_account, write_jsonl
    from murmur.jobs import JobRequest, JobState, run_job

    handles = bot_handles(count)
    missing = [h for h in handles if not store.has_model(h)]
    if not missing:
        return handles
    tweets = work / "tweets"
    tweets.mkdir(parents=True, exist_ok=True)
    personas = list(PERSONAS)
    for h in missing:
        persona = personas[handles.index(h) % len(personas)]
        write_jsonl(generate_account(h, RAW_TWEETS, persona=persona), tweets / f"{h}.jsonl")
    print(f"training {len(missing)} LoRA bots on synthetic accounts into {store.uri} ...")
    request = JobRequest(
        handles=missing,
        tweets_dir=str(tweets),
        base_model=base_model,
        use_wandb=False,
        train={
            "method": "lora",
            "log_every": 1_000_000,
            "gpus_per_worker": gpus,
            "max_steps": max_steps,
        },
    )
    outcome = run_job(request, store)
    records = JobState(store, outcome.job_id).read_accounts()
    failed = [f"{r.model}: {r.reason}" for r in records if r.state != ModelState.PUBLISHED]
    if failed:
        raise SystemExit(f"error: bots failed to train: {'; '.join(failed)}")
    return handles


def base_folder(store: Store, bot: str) -> str:
    """The base model folder a published LoRA bot names (adapter_config.json)."""
    config = json.loads((Path(store.local_model_dir(bot)) / "adapter_config.json").read_text())
    return str(config["base_model_name_or_path"])


@dataclass
class AdapterBank:
    """Every bot's LoRA weights, stacked by module: `a[module]` (K, in, r) and `b[module]`
    (K, r, out), bot k's update to module's output being `x @ a[k] @ b[k] * scale`.

    PEFT's LoRA on Linear and GPT-2's Conv1D layers (lora_A / lora_B) and on embeddings
    (lora_embedding_A / _B: `a[module]` is then (K, vocab, r), bot k's update to a token's
    embedding `a[k][token] @ b[k] * scale`) are read; bots of different ranks are zero-padded to
    the largest (the padding adds nothing to the output).
    """

    names: list[str]
    a: dict[str, Any]
    b: dict[str, Any]
    scale: Any  # (K,) alpha / rank of each bot
    embeddings: frozenset[str] = frozenset()  # the modules of `a` that are embeddings

    @classmethod
    def load(cls, store: Store, bots: list[str]) -> AdapterBank:
        """The bank of `bots`' adapters. Raises SystemExit for an adapter key it cannot apply."""
        import torch
        from safetensors.torch import load_file

        per_bot: list[dict[str, tuple[Any, Any]]] = []
        scales = []
        embeddings: set[str] = set()
        for bot in bots:
            folder = Path(store.local_model_dir(bot))
            config = json.loads((folder / "adapter_config.json").read_text())
            weights = load_file(str(folder / ADAPTER_WEIGHTS))
            modules: dict[str, tuple[Any, Any]] = {}
            for key, value in weights.items():
                part = key.split(".lora_")[-1].split(".")[0]  # A, B, embedding_A, embedding_B
                if part not in ("A", "B", "embedding_A", "embedding_B"):
                    raise SystemExit(f"error: the decode loop applies LoRA A and B only: {key}")
                module = key.split(".lora_")[0].removeprefix("base_model.model.")
                if part.startswith("embedding"):
                    embeddings.add(module)
                a, b = modules.get(module, (None, None))
                if part.endswith("A"):  # (r, in) or (r, vocab)
                    a = value.float().t()
                else:  # (out, r)
                    b = value.float().t()
                modules[module] = (a, b)
            per_bot.append(modules)
            if config.get("rank_pattern") or config.get("alpha_pattern"):
                raise SystemExit(f"error: {bot} has per-module ranks: the decode loop has one")
            if config.get("use_dora"):
                raise SystemExit(f"error: {bot} is a DoRA adapter: the decode loop applies LoRA")
            root = config["r"] ** 0.5 if config.get("use_rslora") else config["r"]
            scales.append(config["lora_alpha"] / root)  # PEFT's scaling (rsLoRA: / sqrt(r))
        rank = max(a.shape[1] for m in per_bot for a, _ in m.values())
        stacked_a, stacked_b = {}, {}
        for module in dict.fromkeys(m for modules in per_bot for m in modules):
            a_rows, b_rows = [], []
            like = next(modules[module] for modules in per_bot if module in modules)
            for modules in per_bot:  # a bot that leaves the module alone adds zeros to it
                a, b = modules.get(module) or (torch.zeros_like(like[0]), torch.zeros_like(like[1]))
                pad = rank - a.shape[1]
                a_rows.append(torch.nn.functional.pad(a, (0, pad)))
                b_rows.append(torch.nn.functional.pad(b, (0, 0, 0, pad)))
            stacked_a[module], stacked_b[module] = torch.stack(a_rows), torch.stack(b_rows)
        return cls(list(bots), stacked_a, stacked_b, torch.tensor(scales), frozenset(embeddings))

    def to(self, device: Any, dtype: Any) -> AdapterBank:
        """The bank on `device` in `dtype` (the base's)."""
        a = {k: v.to(device, dtype) for k, v in self.a.items()}
        b = {k: v.to(device, dtype) for k, v in self.b.items()}
        return AdapterBank(self.names, a, b, self.scale.to(device, dtype), self.embeddings)

    def attach(self, model: Any, rows: Any) -> list[Any]:
        """Hooks on `model`'s adapted modules adding each row's bot's update: row i of a batch
        uses bot `rows[i]` ((B,) long). The rows' A and B are gathered once here (the rows stay
        the same for the whole decode; an embedding's A is read by bot and token at each call);
        returns the hooks' handles (`.remove()` them after)."""
        import torch

        handles = []
        scale = self.scale[rows][:, None, None]  # (B, 1, 1)
        for name, module in model.named_modules():
            if name not in self.a:
                continue
            b = self.b[name][rows] * scale  # (B, r, out)
            if name in self.embeddings:
                bank = self.a[name]  # (K, vocab, r)

                def embed(_m: Any, inputs: Any, output: Any, bank: Any = bank, b: Any = b) -> Any:
                    after_a = bank[rows[:, None], inputs[0]]  # (B, T, r)
                    return output + torch.bmm(after_a, b)  # (B, T, out)

                handles.append(module.register_forward_hook(embed))
                continue
            a = self.a[name][rows]  # (B, in, r)

            def hook(_m: Any, inputs: Any, output: Any, a: Any = a, b: Any = b) -> Any:
                return output + torch.bmm(torch.bmm(inputs[0], a), b)  # (B, T, out)

            handles.append(module.register_forward_hook(hook))
        if len(handles) != len(self.a):
            raise SystemExit("error: the adapters name modules the base model does not have")
        return handles
