"""The serving engine (murmur.serving.decode_loop) against plain HF generate, bot by bot.

A small GPT-2 base built here (the tiny tokenizer, 64 positions) carries two LoRA bots of ranks
2 and 8 in its pool, beside a full model of the same shape. Each bot's reference is HF `generate`
on a model of its own: the LoRA bots' adapters merged into a copy of the base's weights (a
different computation from the engine's per-row adapter math), so a wrong index, slot, position
or prefix copy shows as a different token or logprob.
"""

from __future__ import annotations

import copy
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from murmur.core.errors import ServingError
from murmur.core.generation import EOS
from murmur.serving.decode_loop import DecodeEngine
from murmur.serving.events import (
    EngineOverloaded,
    GenerationResult,
    GenerationSpec,
    collect,
)
from murmur.serving.kv_slots import CacheShape, KVSlots
from murmur.serving.loading import LoadedModel
from murmur.serving.lora_pool import AdapterWeights, LoraPool
from murmur.serving.outputs import token_bytes

POSITIONS = 64
MODULES = ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")
GPU = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def whole_text(lm: LoadedModel, tokens: list[int]) -> str:
    """What tokenizer.decode writes, less the U+FFFD of bytes that make no character (an emoji
    cut by the row's end): a choice's text is whole characters (murmur.serving.outputs)."""
    return b"".join(token_bytes(lm, t) for t in tokens).decode("utf-8", "ignore")


def _gpt2(tokenizer: Any, seed: int) -> Any:
    from transformers import GPT2Config, GPT2LMHeadModel

    eos = tokenizer.convert_tokens_to_ids(EOS)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=POSITIONS,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=eos,
        eos_token_id=eos,
    )
    torch.manual_seed(seed)
    return GPT2LMHeadModel(config).eval()


def _loaded(name: str, model: Any, tokenizer: Any, **lora: Any) -> LoadedModel:
    eos = tokenizer.convert_tokens_to_ids(EOS)
    device = next(model.parameters()).device
    return LoadedModel(
        name, "1", model, tokenizer, device, POSITIONS, len(tokenizer), eos, 0.0, **lora
    )


def _adapter(model: Any, rank: int, seed: int) -> AdapterWeights:
    """Random LoRA weights on every linear layer of both blocks (large enough to change text)."""
    g = torch.Generator().manual_seed(seed)
    modules = {}
    for i in range(model.config.n_layer):
        for name in MODULES:
            weight = model.get_submodule(f"transformer.h.{i}.{name}").weight  # (in, out)
            a = torch.randn(rank, weight.shape[0], generator=g) * 0.3
            b = torch.randn(weight.shape[1], rank, generator=g) * 0.3
            modules[f"transformer.h.{i}.{name}"] = (a, b)
    return AdapterWeights(rank, modules)


def _merged(base: Any, adapter: AdapterWeights) -> Any:
    """A plain HF model with the adapter merged: W (in, out) + A^T B^T."""
    model = copy.deepcopy(base)
    with torch.no_grad():
        for name, (a, b) in adapter.modules.items():
            model.get_submodule(name).weight += a.t() @ b.t()
    return model


class Bots:
    """bots[0], bots[1]: LoRA bots of ranks 2 and 8 over one base; bots[2]: a full model."""

    def __init__(self, tokenizer: Any) -> None:
        base = _gpt2(tokenizer, 0)
        adapters = [_adapter(base, 2, 1), _adapter(base, 8, 2), _adapter(base, 4, 3)]
        self.references = [_merged(base, a) for a in adapters]
        pool = LoraPool(base)
        slots = [pool.load(a) for a in adapters]
        self.bots = [
            _loaded(f"lora{i}", base, tokenizer, lora=pool, slot=s) for i, s in enumerate(slots)
        ]
        full = _gpt2(tokenizer, 7)
        self.bots.append(_loaded("full", full, tokenizer))
        self.references.append(full)
        self.eos = self.bots[0].eos_id
        self._cache: dict[tuple[int, tuple[int, ...], int], tuple[list[int], list[float]]] = {}

    def reference(
        self, bot: int, prompt: tuple[int, ...], max_new: int
    ) -> tuple[list[int], list[float]]:
        """Greedy tokens and their raw logprobs from HF generate on the bot alone."""
        key = (bot, prompt, max_new)
        if key not in self._cache:
            ids = torch.tensor([[self.eos, *prompt]])
            out = self.references[bot].generate(
                ids,
                do_sample=False,
                max_new_tokens=max_new,
                min_length=0,
                eos_token_id=self.eos,
                pad_token_id=self.eos,
                output_scores=True,
                return_dict_in_generate=True,
                top_k=None,
                top_p=None,
                temperature=None,
            )
            tokens = out.sequences[0, ids.shape[1] :].tolist()
            if self.eos in tokens:
                tokens = tokens[: tokens.index(self.eos) + 1]
            lps = [
                torch.log_softmax(s[0].float(), -1)[t].item()
                for s, t in zip(out.scores, tokens, strict=False)
            ]
            self._cache[key] = tokens, lps
        return self._cache[key]


@pytest.fixture(scope="module")
def bots(tiny_model_dir: Path) -> Bots:
    from transformers import AutoTokenizer

    return Bots(AutoTokenizer.from_pretrained(tiny_model_dir))


def _run(
    engine: DecodeEngine, arrivals: Sequence[tuple[int, LoadedModel, GenerationSpec, int | None]]
) -> tuple[dict[int, list[Any]], int]:
    """Submit each (arrival step, bot, spec, cancel step) at its step; step until idle. Returns
    each request's events and the most slots used at once."""
    events: dict[int, list[Any]] = {i: [] for i in range(len(arrivals))}
    handles: dict[int, Any] = {}
    step, peak = 0, 0
    while step <= max(a[0] for a in arrivals) or not engine.idle:
        for i, (at, bot, spec, cancel) in enumerate(arrivals):
            if at == step:
                handles[i] = engine.submit(bot, spec, events[i].append)
            if cancel == step and i in handles:
                handles[i].cancel()
        engine.step()
        peak = max(peak, engine.cache.used)
        step += 1
        assert step < 2_000, "the engine never went idle"
    return events, peak


request = st.tuples(
    st.integers(0, 3),  # bot: LoRA rank 2, rank 8, rank 4, the full model
    st.lists(st.integers(5, 1000), min_size=1, max_size=30),  # prompt token ids
    st.integers(1, 24),  # max_tokens
    st.integers(1, 3),  # n
    st.integers(0, 12),  # arrival step
    st.one_of(st.none(), st.integers(0, 20)),  # cancel step (a client gone)
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(request, min_size=1, max_size=7), st.integers(3, 8), st.integers(4, 40))
def test_any_schedule_gives_each_bots_own_greedy_text_and_logprobs(
    bots: Bots, requests: list[Any], slots: int, prefill: int
) -> None:
    """Random arrivals, prompt lengths, limits, cancellations and bots joining and leaving
    mid-flight, few slots (requests wait) and small prefill chunks: every request that was not
    cancelled gets what HF generate gives its bot alone, within its limits, and every slot ends
    free."""
    engine = DecodeEngine(bots.bots[0], slots=slots, prefill_tokens=prefill)
    arrivals = []
    for bot, prompt, max_tokens, n, at, cancel in requests:
        max_new = min(max_tokens, POSITIONS - len(prompt) - 1)
        spec = GenerationSpec(
            "", prompt_ids=tuple(prompt), n=n, max_new_tokens=max_new, temperature=0, logprobs=1
        )
        arrivals.append((at, bots.bots[bot], spec, cancel))
    events, peak = _run(engine, arrivals)
    assert peak <= slots and engine.cache.used == 0 and engine.idle
    for i, (at, bot, spec, cancel) in enumerate(arrivals):
        if cancel is not None and cancel >= at:
            continue  # cancelled, perhaps before its end: no promise on its events
        result = collect(events[i], spec.n)
        assert events[i][-1].done and result.error is None
        assert spec.prompt_ids is not None and spec.max_new_tokens is not None
        tokens, lps = bots.reference(bots.bots.index(bot), spec.prompt_ids, spec.max_new_tokens)
        for choice in result.choices:
            assert choice.tokens == len(tokens) <= spec.max_new_tokens
            assert choice.finish_reason == ("stop" if tokens[-1] == bots.eos else "length")
            assert choice.logprobs is not None
            assert (
                max(abs(a - b) for a, b in zip(choice.logprobs.token_logprobs, lps, strict=True))
                < 1e-4
            )
            text = whole_text(bot, [t for t in tokens if t != bots.eos])
            assert choice.text == text


def test_rows_of_three_lora_bots_share_one_decode_step(bots: Bots) -> None:
    engine = DecodeEngine(bots.bots[0], slots=16)
    specs = [GenerationSpec("My dream is", n=2, max_new_tokens=8, min_length=20) for _ in range(3)]
    events: list[list[Any]] = [[], [], []]
    for bot, spec, out in zip(bots.bots[:3], specs, events, strict=True):
        engine.submit(bot, spec, out.append)
    while engine.step():
        pass
    stats = engine.stats()
    assert stats["bots_per_step"].get("lora 3", 0) >= 7  # every decode step held all three
    assert stats["mean_active_rows"] == 6
    assert all(collect(e, 2).choices[0].tokens == 8 for e in events)


def test_a_cancelled_request_frees_its_slots_at_once_and_the_next_gets_them(bots: Bots) -> None:
    engine = DecodeEngine(bots.bots[0], slots=4)
    long = GenerationSpec("I", n=4, max_new_tokens=40, min_length=50)
    waiting = GenerationSpec("I", n=3, max_new_tokens=5, temperature=0)
    gone: list[Any] = []
    handle = engine.submit(bots.bots[3], long, gone.append)
    later: list[Any] = []
    engine.submit(bots.bots[1], waiting, later.append)
    for _ in range(3):
        engine.step()
    assert engine.cache.used == 4 and engine.stats()["waiting"] == 1  # no room for 3 more
    seen = len(gone)
    handle.cancel()
    engine.step()  # the next iteration: the 4 slots free, the waiting request admitted
    assert engine.stats()["cancelled"] == 1 and engine.cache.used == 3
    while engine.step():
        pass
    assert len(gone) == seen  # nothing more went to the client that left
    assert engine.cache.used == 0 and collect(later, 3).choices[0].tokens >= 1


def test_seeded_sampling_is_the_same_alone_or_beside_others(bots: Bots) -> None:
    spec = GenerationSpec("My dream is", n=3, max_new_tokens=20, seed=5, top_p=0.9)

    def answer(others: int) -> GenerationResult:
        engine = DecodeEngine(bots.bots[0], slots=32)
        out: list[Any] = []
        for k in range(others):
            other = GenerationSpec("I like", n=2, max_new_tokens=10, seed=k)
            engine.submit(bots.bots[k % 4], other, lambda e: None)
        engine.submit(bots.bots[1], spec, out.append)
        while engine.step():
            pass
        return collect(out, spec.n)

    alone = answer(0)
    assert answer(5).choices == alone.choices
    assert len({c.text for c in alone.choices}) == 3


def test_the_forward_is_hfs_over_chunks_and_slots(bots: Bots) -> None:
    from murmur.serving.decode_step import forward_rows, lm_logits

    model = bots.bots[3].model
    cache = KVSlots(CacheShape.of(model, torch.device("cpu")), 3)
    ids = torch.randint(5, 1000, (1, 20), generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        expected = model(ids).logits[0]  # (20, V)
        got = []
        for start, end in ((0, 7), (7, 15), (15, 16), (16, 20)):  # chunks, then single tokens
            hidden = forward_rows(
                model, cache, ids[:, start:end], torch.tensor([2]), torch.tensor([start])
            )
            got.append(lm_logits(model, hidden[0], None))
    assert torch.allclose(torch.cat(got), expected, atol=1e-5)


def test_a_full_queue_is_refused_at_once_and_a_cache_too_big_in_one_line(bots: Bots) -> None:
    engine = DecodeEngine(bots.bots[0], slots=4, max_waiting=1)
    engine.submit(bots.bots[0], GenerationSpec("x"), lambda e: None)
    with pytest.raises(EngineOverloaded, match="max_waiting 1"):
        engine.submit(bots.bots[0], GenerationSpec("x"), lambda e: None)
    with pytest.raises(ServingError, match="lower max_batch_size") as e:
        DecodeEngine(bots.bots[0], slots=10**9)
    assert "\n" not in str(e.value)


def test_a_dead_loop_fails_its_requests_and_says_so(
    bots: Bots, monkeypatch: pytest.MonkeyPatch
) -> None:
    import murmur.serving.slot_rows as slot_rows

    def broken(*args: Any) -> Any:
        raise RuntimeError("kernel fault")

    monkeypatch.setattr(slot_rows, "forward_rows", broken)
    engine = DecodeEngine(bots.bots[0], slots=4)
    failed = threading.Event()
    got: list[Any] = []

    def on_event(event: Any) -> None:
        got.append(event)
        failed.set()

    engine.start()
    engine.submit(bots.bots[0], GenerationSpec("x"), on_event)
    assert failed.wait(10)
    assert isinstance(got[0], ServingError) and "kernel fault" in str(got[0])
    assert not engine.alive and engine.error is not None


@pytest.mark.gpu
@GPU
def test_the_engine_on_cuda_gives_hfs_greedy_text(bots: Bots) -> None:
    """The property above, one schedule, on the GPU (fp32: the same tokens as the CPU's HF)."""
    cuda = [copy.copy(b) for b in bots.bots]
    base = copy.deepcopy(bots.bots[0].model).cuda()
    full = copy.deepcopy(bots.bots[3].model).cuda()
    for b in cuda:
        b.device = torch.device("cuda")
    # The pool's slots were built on the CPU: rebuild it on the GPU's copy of the base.
    pool = LoraPool(base)
    for i, b in enumerate(cuda[:3]):
        b.model, b.lora, b.slot = (
            base,
            pool,
            pool.load(_adapter(bots.bots[0].model, [2, 8, 4][i], i + 1)),
        )
    cuda[3].model = full
    engine = DecodeEngine(cuda[0], slots=8)
    specs = [
        (
            0,
            cuda[k],
            GenerationSpec("", prompt_ids=(5, 6, 7 + k), n=2, max_new_tokens=12, temperature=0),
            None,
        )
        for k in range(4)
    ]
    events, _ = _run(engine, specs)
    for i, (_, bot, _spec, _) in enumerate(specs):
        tokens, _ = bots.reference(i, (5, 6, 7 + i), 12)
        text = whole_text(bot, [t for t in tokens if t != bots.eos])
        assert [c.text for c in collect(events[i], 2).choices] == [text, text]
    assert math.isfinite(engine.stats()["decode_tokens_per_s"])


def test_each_token_has_its_true_bytes_and_its_offset_in_the_final_text(bots: Bots) -> None:
    """An emoji split over byte tokens and an `é`: each token's bytes are its own (never U+FFFD
    twice), their concatenation is the text, and offsets count characters of the final text."""
    from murmur.serving.budget import plan_generation
    from murmur.serving.outputs import Progress

    lm = bots.bots[3]
    text = "café 😀 ok é"
    ids = lm.tokenizer(text)["input_ids"]
    assert len(ids) > len(text.split())  # several tokens per word: a character is split
    events: list[Any] = []
    plan = plan_generation(lm, GenerationSpec("x", max_new_tokens=len(ids), logprobs=0))
    progress = Progress(lm, [plan], events.append, 0)
    for token in ids:  # as the engine feeds a choice, one token a step
        progress.step([(0, 0)], [token], [(-1.0, [])])
    progress.close([(0, 0)])
    (choice,) = collect([e[0] for e in events], 1).choices
    assert choice.text == text
    logprobs = choice.logprobs
    assert logprobs is not None and len(logprobs.token_bytes) == len(ids)
    assert b"".join(bytes(b) for b in logprobs.token_bytes) == text.encode()
    for shown, raw in zip(logprobs.tokens, logprobs.token_bytes, strict=True):
        whole = bytes(raw).decode("utf-8", "replace")  # OpenAI's form for a part of a character:
        partial = "bytes:" + "".join(f"\\x{b:02x}" for b in raw)  # bytes:\xf0\x9f
        assert shown == (partial if "\ufffd" in whole else whole), (shown, raw)
    assert any(t.startswith("bytes:\\x") for t in logprobs.tokens), logprobs.tokens
    starts, at = [], 0
    for raw in logprobs.token_bytes:
        starts.append(len(text.encode()[:at].decode("utf-8", "ignore")))
        at += len(raw)
    assert logprobs.text_offset == [len("x") + s for s in starts]  # after the prompt's text
