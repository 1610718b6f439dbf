"""LoRA bots resident in a replica: each base model loaded once, adapters by the thousand.

A LoRA bot's folder in the store is a PEFT adapter folder (adapter_config.json,
adapter_model.safetensors, the base's tokenizer, the card and murmur.json with `method: "lora"`,
`base_model` and `base_model_hash`). `AdapterCache.bots` gives each bot asked for as a
`LoadedModel` over its base: the base is resolved (murmur.models.base.resolve_base: the store's own
`tiny`, else the folder or hub id that adapter_config.json's `base_model_name_or_path` names),
loaded once per replica, and must have the content hash the bot's manifest records; the adapter's
weights go into a slot of the base's `LoraPool` (murmur.serving.lora_pool).

Residency: adapters stay loaded until their memory passes `adapter_memory_mb` (ServeSettings);
then the least recently used are evicted, never one the batch being served needs. LoRA's default
adapter of GPT-2 124M (rank 16 on every linear layer and the output head: 3.2M parameters,
murmur.train.config.LORA_RANK) takes ~6.4 MB in bf16, so the default 8 GiB holds ~1,300 of
them. Measured on the `tiny` base (bench/results/lora_memory-2026-12-06.json: 2-core CPU, fp32,
load average 54-84 from other work): 1,000 resident rank-16 bots added 140 MiB to the process's
RSS (454 -> 594 MiB; the pool's own count 125 MiB), and loading a bot from the store took 2.8 ms
(median of 999; p90 30 ms). Bots use their base's tokenizer (LoRA leaves the vocabulary as it
is; the folder's copy is there for a plain `pipeline`).

Threads: the replica calls `bots` from one loading thread, off the engine's loop; the files are
read there, and only writing an adapter into its pool slot (and evicting) happens under `lock`,
which the engine's loop holds around its forwards (murmur.serving.decode_loop), so a load stalls
no running row beyond that copy, and only the requests for that bot wait for it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from typing import Any

from murmur.core.errors import ServingError
from murmur.core.manifest import ModelManifest
from murmur.core.store import MANIFEST, Store
from murmur.models.base import BaseModelInfo, resolve_base
from murmur.models.tiny import TINY
from murmur.serving.catalog import split_model_id
from murmur.serving.loading import LoadedModel, load_folder
from murmur.serving.lora_pool import LoraPool, read_adapter
from murmur.serving.request_metrics import count_eviction, count_load

log = logging.getLogger(__name__)

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
MIB = 2**20


def _read_json(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def base_reference(manifest: ModelManifest, adapter_config: dict[str, Any]) -> str:
    """What names a LoRA bot's base on this node: `tiny` for the store's own preset (on any node,
    object stores included), else adapter_config.json's `base_model_name_or_path` (a folder or a
    hub id), else the manifest's `base_model`."""
    if manifest.base_model == TINY:
        return TINY
    return str(adapter_config.get("base_model_name_or_path") or manifest.base_model or "")


class AdapterCache:
    """LoRA bots over their bases, resident within a memory budget (see the module's doc)."""

    def __init__(
        self,
        store: Store,
        device: str,
        dtype: str,
        budget_mb: float,
        lock: threading.Lock | None = None,
    ) -> None:
        self.store = store
        self.lock = lock or threading.Lock()  # held while pool slots change
        self.device = device
        self.dtype = dtype
        self.budget_bytes = int(budget_mb * MIB)
        self._infos: dict[str, BaseModelInfo] = {}  # base reference -> resolved, with its hash
        self._bases: dict[str, LoadedModel] = {}  # base hash -> the base, with its LoraPool
        self._resident: OrderedDict[str, LoadedModel] = OrderedDict()  # LRU first
        self.loads = 0
        self.evictions = 0

    def bots(
        self, model_ids: list[str], busy: set[str] | None = None
    ) -> dict[str, LoadedModel | Exception]:
        """Each LoRA bot (`<name>@<version>+lora`) asked for, loaded if need be; a bot that cannot
        be served maps to its error (ModelNotFoundError, ServingError, ...), the others serve.
        Neither these bots nor those in `busy` (with rows running) are evicted."""
        keep = set(model_ids) | (busy or set())
        out: dict[str, LoadedModel | Exception] = {}
        for model_id in dict.fromkeys(model_ids):
            try:
                out[model_id] = self._bot(model_id, keep)
            except Exception as e:  # this bot fails alone, whatever its folder raised
                out[model_id] = e
        self._evict(keep)  # back within the budget, after a batch that needed more
        return out

    def resident_bytes(self) -> int:
        """Memory the resident adapters take in their pools."""
        pools = [b.lora for b in self._bases.values() if b.lora is not None]
        return sum(pool.used * pool.slot_bytes() for pool in pools)

    def stats(self) -> dict[str, Any]:
        """Resident bots and their memory, bases held, adapter loads and evictions so far."""
        return {
            "resident_bots": len(self._resident),
            "adapter_mb": round(self.resident_bytes() / MIB, 3),
            "bases": len(self._bases),
            "loads": self.loads,
            "evictions": self.evictions,
        }

    def _bot(self, model_id: str, keep: set[str]) -> LoadedModel:
        bot = self._resident.get(model_id)
        if bot is not None:
            self._resident.move_to_end(model_id)
            return bot
        start = time.perf_counter()
        name, version = split_model_id(model_id)
        folder = str(self.store.download_version(name, version or self.store.resolve_version(name)))
        manifest = ModelManifest.from_json(_read_json(os.path.join(folder, MANIFEST)))
        config = _read_json(os.path.join(folder, ADAPTER_CONFIG))
        base = self._base(name, manifest, config)
        from safetensors.torch import load_file

        try:
            weights = read_adapter(config, load_file(os.path.join(folder, ADAPTER_WEIGHTS)))
        except ServingError as e:
            raise ServingError(f"LoRA bot {name!r} cannot be served: {e}") from None
        assert base.lora is not None
        with self.lock:  # the engine's forwards see the pool before or after, never during
            slot = base.lora.load(weights)
        bot = LoadedModel(
            name,
            version,
            base.model,
            base.tokenizer,
            base.device,
            base.max_positions,
            base.vocab_size,
            base.eos_id,
            time.perf_counter() - start,
            lora=base.lora,
            slot=slot,
        )
        self._resident[model_id] = bot
        self.loads += 1
        count_load(name, bot)  # murmur_model_loads_total (serving.request_metrics)
        self._evict(keep)  # before the next load grows the pool
        return bot

    def _base(self, name: str, manifest: ModelManifest, config: dict[str, Any]) -> LoadedModel:
        """The bot's base, loaded once; ServingError if its hash is not the bot's."""
        ref = base_reference(manifest, config)
        info = self._infos.get(ref)
        if info is None:
            info = self._infos[ref] = resolve_base(ref, self.store)
        expected = manifest.base_model_hash or "(none recorded)"
        if expected != info.hash:
            raise ServingError(
                f"LoRA bot {name!r} was trained on base {expected}, but its base {ref!r} here is "
                f"{info.hash}: retrain it on this base, or restore the base it was trained on"
            )
        base = self._bases.get(info.hash)
        if base is None:
            base = load_folder(info.path, ref, info.hash, self.device, self.dtype, info.name)
            base.lora = LoraPool(base.model, self.budget_bytes)
            self._bases[info.hash] = base
            log.info("loaded base %s (%s) in %.2f s", ref, info.hash, base.load_seconds)
        return base

    def _evict(self, keep: set[str]) -> None:
        """Least recently used first, while past the budget; never a bot in `keep`."""
        with self.lock:
            self._evict_unlocked(keep)

    def _evict_unlocked(self, keep: set[str]) -> None:
        while self.resident_bytes() > self.budget_bytes:
            victim = next((m for m in self._resident if m not in keep), None)
            if victim is None:
                return  # the batch itself needs more than the budget: it runs, then shrinks
            bot = self._resident.pop(victim)
            assert bot.lora is not None
            bot.lora.release(bot.slot)
            self.evictions += 1
            count_eviction(bot.name)  # murmur_model_evictions_total (serving.request_metrics)
