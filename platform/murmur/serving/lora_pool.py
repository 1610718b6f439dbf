"""Many LoRA adapters over one base model, and any mix of them in one forward pass (batched LoRA).

Each layer an adapter targets (GPT-2's Conv1D, or nn.Linear) is wrapped once by a `SlotLayer`,
which holds every resident adapter's weights stacked in slots: A (S, in, R) and B (S, R, out),
with the adapter's scaling folded into B and smaller ranks zero-padded to the pool's largest R
(zero rows and columns add nothing). The engine applies each row's adapter by its slot
(murmur.serving.adapter_bank: gathered by distinct adapter, bucketed by rank); around a plain HF
`generate` call, `LoraPool.use(slots)` gathers each row's A and B once, and each wrapped layer
adds (x @ A[slot]) @ B[slot] to its base output, every row in one batched matmul (Punica's BGMV,
in plain torch). Slot 0 stays zero: the base alone.

The math is PEFT's LoRA: y = base(x) + B(A(x)) * alpha / r (alpha / sqrt(r) with rsLoRA); the
serving tests compare each bot's text with what transformers + PEFT write on its folder.

Why not PEFT's own multi-adapter model (`load_adapter` + `generate(adapter_names=...)`): its
`load_adapter` walks every module of the model, the resident adapters' included, so each load gets
slower as adapters accumulate (bench/results/lora_memory-2026-12-06.json, PEFT on the tiny
base, 2-core CPU at load average 54-84: a load's median 0.26 s over the first 10 adapters,
0.83 s over the last 10 of 200, 151 s for all 200), and its mixed batches run one small matmul
per distinct adapter per layer. Here a load writes its own tensors into a slot (2.8 ms a bot
from the store, median of 999 in the same file), and a mixed batch costs two batched matmuls
per wrapped layer whatever its adapters (measured on the tiny base, 2-core CPU, 8 requests x
10 rows x 100 tokens: 8 bots of rank 16 in one call 0.96 s, the same requests on a full model
0.85 s).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from murmur.core.errors import ServingError

# A key of a PEFT adapter file: `base_model.model.<module>.lora_A.weight` (an adapter name may
# sit before `.weight` in files saved by hand).
_KEY = re.compile(
    r"^(?:base_model\.model\.)?(?P<module>.+)\.lora_(?P<part>[AB])(?:\.[^.]+)?\.weight$"
)
# adapter_config.json values serving takes as they are; any other value is refused by name.
_PLAIN: dict[str, Any] = {
    "use_dora": False,
    "bias": "none",
    "modules_to_save": None,
    "rank_pattern": {},
    "alpha_pattern": {},
    "layer_replication": None,
    "lora_bias": False,
}


@dataclass
class AdapterWeights:
    """One adapter read for the pool: per module, A (r, in) and B (out, r) with scaling folded."""

    rank: int
    modules: dict[str, tuple[torch.Tensor, torch.Tensor]]

    @property
    def numel(self) -> int:
        return sum(a.numel() + b.numel() for a, b in self.modules.values())


def read_adapter(config: dict[str, Any], tensors: dict[str, torch.Tensor]) -> AdapterWeights:
    """A PEFT LoRA adapter (its adapter_config.json and adapter_model.safetensors tensors) as
    per-module A and B. Raises ServingError in one line for what serving does not take (another
    PEFT method, DoRA, biases, saved modules, per-module ranks, keys that are not LoRA weights)."""
    if config.get("peft_type", "LORA") != "LORA":
        raise ServingError(f"the adapter is {config.get('peft_type')}: serving takes LoRA only")
    for key, plain in _PLAIN.items():
        value = config.get(key, plain)
        if value != plain and value not in (None, False, {}, []):
            raise ServingError(f"the adapter sets {key}={value!r}, which serving does not take")
    rank, alpha = int(config["r"]), float(config["lora_alpha"])
    scaling = alpha / math.sqrt(rank) if config.get("use_rslora") else alpha / rank
    parts: dict[str, dict[str, torch.Tensor]] = {}
    for key, tensor in tensors.items():
        match = _KEY.match(key)
        if match is None:
            raise ServingError(f"the adapter holds {key!r}, which is not a LoRA A or B weight")
        parts.setdefault(match["module"], {})[match["part"]] = tensor
    modules = {}
    for name, ab in parts.items():
        if set(ab) != {"A", "B"} or ab["A"].shape[0] != rank or ab["B"].shape[1] != rank:
            raise ServingError(f"the adapter's module {name!r} is not a rank-{rank} A and B pair")
        modules[name] = (ab["A"], ab["B"] * scaling)
    return AdapterWeights(rank, modules)


def _features(layer: nn.Module) -> tuple[int, int]:
    """(in, out) of a layer LoRA may target: nn.Linear, or GPT-2's Conv1D (weight (in, out))."""
    if isinstance(layer, nn.Linear):
        return layer.in_features, layer.out_features
    if type(layer).__name__ == "Conv1D":
        weight: torch.Tensor = layer.weight  # type: ignore[assignment]
        return int(weight.shape[0]), int(weight.shape[1])
    raise ServingError(f"LoRA on a {type(layer).__name__} layer is not served: Linear or Conv1D")


class SlotLayer(nn.Module):
    """A base layer plus every resident adapter's low-rank update, one slot each (module doc)."""

    def __init__(self, base: nn.Module, pool: LoraPool) -> None:
        super().__init__()
        self.base = base
        self.in_features, self.out_features = _features(base)
        self.pool = [pool]  # in a list: not a submodule
        self.a = pool.zeros(self.in_features, pool.rank)  # (S, in, R)
        self.b = pool.zeros(pool.rank, self.out_features)  # (S, R, out)
        self.rows: tuple[torch.Tensor, torch.Tensor] | None = None  # A, B of each row, in `use`

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y: torch.Tensor = self.base(x)
        if self.rows is None:
            return y
        a, b = self.rows  # (B, in, R), (B, R, out)
        rows = x.reshape(x.shape[0], -1, self.in_features)  # (B, T, in)
        return y + torch.bmm(torch.bmm(rows, a), b).reshape(y.shape)  # (B, T, out)

    def resize(self, capacity: int, rank: int) -> None:
        """Room for `capacity` slots of rank `rank`, keeping what the slots hold."""
        a = self.pool[0].zeros(self.in_features, rank, capacity)
        b = self.pool[0].zeros(rank, self.out_features, capacity)
        s, r = min(capacity, self.a.shape[0]), min(rank, self.a.shape[2])
        a[:s, :, :r] = self.a[:s, :, :r]
        b[:s, :r, :] = self.b[:s, :r, :]
        self.a, self.b = a, b


class LoraPool:
    """The adapters resident over one base model, in slots of its wrapped layers (module doc).

    Not thread-safe: loads, releases and forward passes run in the replica's generating thread.
    """

    def __init__(self, model: nn.Module, budget_bytes: int = 0) -> None:
        self.model = model
        self.budget_bytes = budget_bytes  # growth stops doubling near it (0: no bound)
        first = next(model.parameters())
        self.dtype, self.device = first.dtype, first.device
        self.rank = 1
        self.capacity = 8
        self.layers: dict[str, SlotLayer] = {}
        self.free: list[int] = list(range(self.capacity - 1, 0, -1))  # slot 0: the base alone
        self.ranks: dict[int, int] = {}  # slot -> its adapter's own rank (the engine's buckets)
        self.version = 0  # bumped by every load, release and resize (gathered weights go stale)

    def zeros(self, rows: int, cols: int, capacity: int = 0) -> torch.Tensor:
        """(capacity, rows, cols) zeros in the base's dtype and device (capacity 0: the pool's)."""
        shape = (capacity or self.capacity, rows, cols)
        return torch.zeros(shape, dtype=self.dtype, device=self.device)

    @property
    def used(self) -> int:
        """Slots holding an adapter."""
        return self.capacity - 1 - len(self.free)

    def slot_bytes(self) -> int:
        """Bytes one adapter takes in the pool: (in + out) x R per wrapped layer."""
        size = torch.empty((), dtype=self.dtype).element_size()
        return (
            sum((x.in_features + x.out_features) * self.rank for x in self.layers.values()) * size
        )

    def load(self, adapter: AdapterWeights) -> int:
        """Write an adapter into a free slot (growing the pool as needed); returns the slot.
        Raises ServingError if it targets a module the base lacks or shapes that do not fit."""
        for name in adapter.modules:
            if name not in self.layers:
                self._wrap(name)
        if adapter.rank > self.rank:
            self._resize(self.capacity, adapter.rank)
        if not self.free:
            self._resize(self._room(), self.rank)
        slot = self.free.pop()
        for name, (a, b) in adapter.modules.items():
            layer = self.layers[name]
            if a.shape[1] != layer.in_features or b.shape[0] != layer.out_features:
                self.release(slot)
                raise ServingError(
                    f"the adapter's module {name!r} is {a.shape[1]}->{b.shape[0]}, the base's "
                    f"{layer.in_features}->{layer.out_features}: it was trained on another base"
                )
            layer.a[slot, :, : adapter.rank] = a.t().to(self.dtype)
            layer.b[slot, : adapter.rank, :] = b.t().to(self.dtype)
        self.ranks[slot] = adapter.rank
        self.version += 1
        return slot

    def release(self, slot: int) -> None:
        """Free a slot, zeroing it (a row still naming it would get the base alone)."""
        for layer in self.layers.values():
            layer.a[slot].zero_()
            layer.b[slot].zero_()
        self.free.append(slot)
        self.ranks.pop(slot, None)
        self.version += 1

    @contextmanager
    def use(self, slots: list[int]) -> Iterator[None]:
        """Forward passes inside run row r with the adapter in `slots[r]`. Each row's A and B
        are gathered once here, not at every decoding step: B rows hold B x `slot_bytes()` for
        the call (320 rows of rank-16 GPT-2 124M adapters in bf16: ~1.5 GB)."""
        index = torch.tensor(slots, dtype=torch.long, device=self.device)  # (B,)
        for layer in self.layers.values():
            layer.rows = layer.a[index], layer.b[index]
        try:
            yield
        finally:
            for layer in self.layers.values():
                layer.rows = None

    def _wrap(self, name: str) -> None:
        try:
            base = self.model.get_submodule(name)
        except AttributeError:
            raise ServingError(f"the adapter targets {name!r}, which the base has not") from None
        parent, _, child = name.rpartition(".")
        layer = SlotLayer(base, self)
        setattr(self.model.get_submodule(parent) if parent else self.model, child, layer)
        self.layers[name] = layer

    def _room(self) -> int:
        """The capacity to grow to: double, but not past what the budget holds (+ slot 0, + the
        one a batch may need beyond it), never less than one more slot."""
        doubled = 2 * self.capacity
        if self.budget_bytes:
            doubled = min(doubled, self.budget_bytes // max(self.slot_bytes(), 1) + 2)
        return max(self.capacity + 1, doubled)

    def _resize(self, capacity: int, rank: int) -> None:
        for layer in self.layers.values():
            layer.resize(capacity, rank)
        self.free = list(range(capacity - 1, self.capacity - 1, -1)) + self.free
        self.capacity, self.rank = capacity, rank
        self.version += 1
