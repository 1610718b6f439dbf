"""The engine's forward pass: GPT-2 over rows that each have their own slot, positions and adapter.

HF's GPT2LMHeadModel runs a batch at shared positions over its own cache; the engine's rows
start at different positions (one is on its 3rd token, another on its 140th) and live in fixed
slots of one KV cache (murmur.serving.kv_slots). `forward_rows` therefore runs GPT-2's modules
itself, with HF's weights and in HF's order (modeling_gpt2.py: wte + wpe; per block ln_1,
c_attn, attention, c_proj, ln_2, the MLP; ln_f), so the logits are the model's own:

    tokens (R, T) at positions start[r] + t ──► each block writes its keys and values into the
    rows' slots, then attends over the slot's positions [0, start + t] (SDPA with a mask)

This is the kernel seam of the engine: one function of rows, slots, positions and adapter
indices (murmur.serving.adapter_bank). A prefill passes T > 1 (a prompt, or a chunk of one; rows
shorter than T are padded at the end, and what padding writes lies past the row's last real
position, where the causal mask hides it until real tokens overwrite it); a decode step T = 1.
tests/test_engine.py checks the logits against HF's forward.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from murmur.serving.adapter_bank import AdapterRows
from murmur.serving.kv_slots import KVSlots
from murmur.serving.lora_pool import SlotLayer


def _linear(layer: Any, x: torch.Tensor, adapters: AdapterRows | None) -> torch.Tensor:
    """A Conv1D or Linear layer of the model, plus each row's LoRA update where it has one."""
    if not isinstance(layer, SlotLayer):
        out: torch.Tensor = layer(x)
        return out
    y: torch.Tensor = layer.base(x)
    delta = adapters.delta(layer, x) if adapters is not None else None
    return y if delta is None else y + delta


def forward_rows(
    model: Any,
    cache: KVSlots,
    tokens: torch.Tensor,
    slots: torch.Tensor,
    starts: torch.Tensor,
    adapters: AdapterRows | None = None,
    window: tuple[int, int] | None = None,
) -> torch.Tensor:
    """Run `tokens` (R, T) of rows in cache `slots` (R,) from positions `starts` (R,) through a
    GPT2LMHeadModel `model`; returns the final hidden states (R, T, n_embd) after ln_f (the
    caller applies `model.lm_head` to the positions it needs). Each row's keys and values at
    positions start .. start + T - 1 are written into its slot (clamped to the last position:
    only padding may reach past it). `window` (lo, hi): where the caller knows that every slot
    lies in [lo, hi) (a decode step's); see `_Attention`. Call under torch.inference_mode()."""
    gpt = model.transformer
    config = model.config
    rows, steps = tokens.shape
    shape = cache.shape
    offsets = torch.arange(steps, device=tokens.device)
    positions = (starts[:, None] + offsets).clamp_(max=shape.positions - 1)  # (R, T)
    length = int(positions.max()) + 1  # keys of positions [0, length) are read
    attention = _Attention(cache, slots, positions, length, window)
    h = gpt.wte(tokens) + gpt.wpe(positions)  # (R, T, C)
    for i, block in enumerate(gpt.h):
        scale = shape.head_dim**-0.5 if config.scale_attn_weights else 1.0
        if config.scale_attn_by_inverse_layer_idx:
            scale /= i + 1
        qkv = _linear(block.attn.c_attn, block.ln_1(h), adapters)  # (R, T, 3C)
        q, k, v = qkv.view(rows, steps, 3, shape.heads, shape.head_dim).unbind(2)  # (R, T, H, D)
        cache.write(i, slots, positions, k, v)
        attended = attention(i, q.transpose(1, 2), scale)  # (R, H, T, D)
        attended = attended.transpose(1, 2).reshape(rows, steps, -1)  # (R, T, C)
        h = h + _linear(block.attn.c_proj, attended, adapters)
        inner = block.mlp.act(_linear(block.mlp.c_fc, block.ln_2(h), adapters))
        h = h + _linear(block.mlp.c_proj, inner, adapters)
    out: torch.Tensor = gpt.ln_f(h)
    return out


class _Attention:
    """Each row's attention over its own slot's keys and values at positions [0, length).

    Gathering the rows' keys and values (KVSlots.read) copies R x length x C per layer and was
    the decode step's largest cost after sampling (2-core CPU, 60 rows: ~1.9 ms a layer of a
    ~30 ms step under load). Where a decode step's slots are dense in a window [lo, hi) of the
    cache (hi - lo <= 2 R; the free list hands out the lowest slots first), attention runs over
    that window of the cache as it lies (a view, no copy): each row's query goes to its slot's
    place, a place without a row attends to position 0 only, and only the rows' outputs are
    kept. Otherwise (a prefill, scattered slots) the rows' keys and values are gathered.
    """

    def __init__(
        self,
        cache: KVSlots,
        slots: torch.Tensor,
        positions: torch.Tensor,
        length: int,
        window: tuple[int, int] | None,
    ) -> None:
        rows, steps = positions.shape
        device = positions.device
        keys = torch.arange(length, device=device)
        visible = (keys[None, None, :] <= positions[:, :, None])[:, None]  # (R, 1, T, length)
        self.cache, self.slots, self.length = cache, slots, length
        self.lo, self.hi = window if window is not None else (0, 0)
        self.places: torch.Tensor | None = None
        if window is not None and steps == 1 and self.hi - self.lo <= 2 * rows:
            self.places = slots - self.lo  # (R,) each row's place in the window
            mask = torch.zeros(self.hi - self.lo, 1, 1, length, dtype=torch.bool, device=device)
            mask[:, :, :, 0] = True
            mask[self.places] = visible
            visible = mask  # (W, 1, 1, length)
        self.visible = visible

    def __call__(self, layer: int, q: torch.Tensor, scale: float) -> torch.Tensor:
        """`q` (R, H, T, D) -> the attended values (R, H, T, D)."""
        if self.places is None:
            past_k, past_v = self.cache.read(layer, self.slots, self.length)  # (R, H, length, D)
            return F.scaled_dot_product_attention(
                q, past_k, past_v, attn_mask=self.visible, scale=scale
            )
        past_k, past_v = self.cache.window(layer, self.lo, self.hi, self.length)  # (W, H, L, D)
        placed = q.new_zeros(self.hi - self.lo, *q.shape[1:])  # (W, H, 1, D)
        placed[self.places] = q
        out = F.scaled_dot_product_attention(
            placed, past_k, past_v, attn_mask=self.visible, scale=scale
        )
        return out[self.places]


def lm_logits(model: Any, hidden: torch.Tensor, adapters: AdapterRows | None) -> torch.Tensor:
    """Logits (N, V) of final hidden states `hidden` (N, C), with each row's adapter where one
    targets the LM head (`adapters` for exactly these N rows)."""
    return _linear(model.lm_head, hidden[:, None], adapters)[:, 0]
