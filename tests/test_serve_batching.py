"""The batched generator in-process (no Ray): batches that share a call, batches past the model's
positions, seeded rows in any batch, token budgets and their advice, each bot its own weights.

Bots come from the session's store of distinct tiny bots (test_serve.bots_store); the property
test runs on a smaller GPT-2 of 32 positions, so that its batches reach the limit in few steps.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_serve import BOTS, bots_store, greedy_reference

from murmur.core.generation import EOS, MAX_LENGTH, MIN_LENGTH
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.sampling import RowSampling
from murmur.core.store import Store
from murmur.serving.batching import generate_batch, generate_mixed
from murmur.serving.budget import plan_generation
from murmur.serving.events import GenerationResult, GenerationSpec
from murmur.serving.loading import LoadedModel, load_model
from murmur.serving.outputs import Progress
from murmur.serving.schema import MAX_N

WORD = " the"  # one token per repetition in the tiny tokenizer (checked in prompt_of)
SMALL_POSITIONS = 32
# Emoji and CJK: several byte-level tokens per character, ~3,000 tokens in 999 characters.
HEAVY_PROMPT = "😀漢字" * 333


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return bots_store(tmp_path_factory)


@pytest.fixture(scope="module")
def alice(store: Store) -> LoadedModel:
    return load_model(store, "alice")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> LoadedModel:
    """A GPT-2 of 32 positions (1 layer) with the tiny tokenizer, published and loaded."""
    from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

    root = tmp_path_factory.mktemp("small")
    tokenizer: Any = AutoTokenizer.from_pretrained(tiny_model_dir)
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=SMALL_POSITIONS,
        n_embd=32,
        n_layer=1,
        n_head=2,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
    )
    torch.manual_seed(0)
    folder = root / "small"
    GPT2LMHeadModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    manifest = ModelManifest(
        name="small",
        handles=["small"],
        stats=[HandleStats("small", 100, 10, 10, 80)],
        base_model="small",
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        version=uuid.uuid4().hex,
    )
    (folder / "murmur.json").write_text(json.dumps(manifest.to_json()))
    store = Store(str(root / "store"))
    store.publish_model("small", folder)
    return load_model(store, "small")


def prompt_of(lm: LoadedModel, tokens: int) -> str:
    """A prompt of exactly `tokens` tokens, huggingtweets' prefix included."""
    prompt = WORD * (tokens - 1)
    assert len(lm.tokenizer(EOS + prompt)["input_ids"]) == tokens
    return prompt


def check_limits(
    lm: LoadedModel, specs: list[GenerationSpec], results: list[GenerationResult]
) -> None:
    """Every spec served, each choice within its own token limits."""
    for spec, result in zip(specs, results, strict=True):
        plan = plan_generation(lm, spec)
        assert result.error is None and len(result.choices) == spec.n
        if spec.max_new_tokens is not None:
            assert plan.max_new == spec.max_new_tokens
        for choice in result.choices:
            assert 1 <= choice.tokens <= plan.max_new
            if choice.finish_reason == "length":
                assert choice.tokens == plan.max_new
            else:  # stopped by its end-of-text, which may not come before its minimum
                assert choice.finish_reason == "stop" and choice.tokens > plan.min_new
        assert result.completion_tokens == sum(c.tokens for c in result.choices)


# ---- moved from test_serve.py ----------------------------------------------------------------------
def test_row_sampling_applies_each_rows_settings() -> None:
    scores = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]] * 4))
    sampling = RowSampling(
        temperature=[1.0, 1.0, 0.0, 1.0],
        top_p=[0.7, 1.0, 1.0, 1.0],
        min_new=[0, 0, 0, 5],
        eos_id=0,
        prompt_len=3,
        device=torch.device("cpu"),
    )
    out = sampling(torch.zeros(4, 4, dtype=torch.long), scores.clone())  # 1 token generated
    kept = out > -torch.inf
    assert kept[0].tolist() == [True, True, False, False]  # top_p 0.7: 0.5 + 0.3
    assert kept[1].all()  # top_p 1: everything
    assert kept[2].tolist() == [True, False, False, False]  # greedy: the best only
    assert kept[3].tolist() == [False, True, True, True]  # too short for end-of-text


def test_requests_with_different_settings_share_a_batch(store: Store) -> None:
    lm = load_model(store, "alice")
    specs = [
        GenerationSpec("My dream is", n=3, max_new_tokens=7),
        GenerationSpec("I think that", n=2, max_new_tokens=12, temperature=0.7, top_p=0.5),
        GenerationSpec("I like", n=1, max_new_tokens=5, temperature=0),
        GenerationSpec("long " * 400, n=1, max_new_tokens=5),
    ]
    events: list[Any] = []
    results = generate_batch(lm, specs, on_events=events.append, interval_s=0.0)
    for spec, result in zip(specs[:3], results[:3], strict=True):
        assert result.error is None and len(result.choices) == spec.n
        assert spec.max_new_tokens is not None
        for choice in result.choices:
            assert choice.finish_reason in ("stop", "length")
        if all(c.finish_reason == "length" for c in result.choices):
            assert result.completion_tokens == spec.n * spec.max_new_tokens
        prompt_ids = lm.tokenizer(EOS + spec.prompt)["input_ids"]
        assert result.prompt_tokens == len(prompt_ids)
    assert results[3].error is not None and "takes at most 256 tokens" in results[3].error
    assert len(events) > 3  # text arrived step by step, not only at the end
    for j, spec in enumerate(specs[:3]):  # each choice finishes once, with its whole text sent
        finishes = [d.index for step in events for d in step[j].deltas if d.finish_reason]
        assert sorted(finishes) == list(range(spec.n))
        texts = [
            "".join(d.text for step in events for d in step[j].deltas if d.index == c)
            for c in range(spec.n)
        ]
        assert texts == [c.text for c in results[j].choices]
    # Greedy rows write what they write alone, whatever shared their batch.
    alone = generate_batch(lm, [specs[2]])[0]
    assert alone.choices == results[2].choices


def test_a_choice_ending_early_finishes_once_and_streams_whole(store: Store) -> None:
    lm = load_model(store, "alice")
    word = lm.tokenizer(" garden")["input_ids"]
    events: list[Any] = []
    progress = Progress(
        lm, [plan_generation(lm, GenerationSpec("I", n=2, max_new_tokens=4))], events.append, 0
    )
    rows = [(0, 0), (0, 1)]
    for step in range(4):  # choice 1 writes end-of-text at once, then padding
        progress.step(rows, [word[step % len(word)], lm.eos_id])
    progress.close(rows)
    deltas = [d for step in events for d in step[0].deltas]
    assert [(d.index, d.finish_reason) for d in deltas if d.finish_reason] == [
        (1, "stop"),
        (0, "length"),
    ]
    assert "".join(d.text for d in deltas if d.index == 1) == ""
    done = next(step[0] for step in events if step[0].done)  # later ones are bare markers
    assert done.completion_tokens == 4 + 1 and done.prompt_tokens == 2


def test_a_seed_reproduces_its_text(store: Store) -> None:
    lm = load_model(store, "bob")
    spec = GenerationSpec("My dream is", n=2, max_new_tokens=10, seed=7)
    other = GenerationSpec("I like", n=3, max_new_tokens=10)
    first = generate_batch(lm, [spec, other])[0]
    again = generate_batch(lm, [other, spec, other])[1]
    assert first.choices == again.choices
    reseeded = generate_batch(lm, [GenerationSpec("My dream is", n=2, max_new_tokens=10, seed=8)])
    assert reseeded[0].choices != first.choices


# ---- batches past the model's positions ----------------------------------------
def test_the_reported_batch_past_n_positions_is_served(alice: LoadedModel) -> None:
    """199 + 56 and (a few) + 200 tokens each fit 256; left-padded into one call they would not
    (the engine gives each row its own positions: tests/test_engine.py holds any mix)."""
    specs = [
        GenerationSpec(prompt_of(alice, 199), max_new_tokens=56),
        GenerationSpec("I like", n=20, max_new_tokens=200),
    ]
    plans = [plan_generation(alice, spec) for spec in specs]
    i_like = len(alice.tokenizer(EOS + "I like")["input_ids"])  # 3 or 4: the tiny tokenizer's
    assert [len(p.prompt_ids) for p in plans] == [199, i_like] and i_like + 200 <= 256
    check_limits(alice, specs, generate_batch(alice, specs))


@pytest.fixture(scope="module")
def small_bots(small: LoadedModel, tmp_path_factory: pytest.TempPathFactory) -> list[LoadedModel]:
    """The small model (a full bot), and two LoRA bots over it loaded as a replica
    loads them: the three share no generate call with each other but the two LoRA bots'."""
    from test_lora_serving import model_id, publish_lora

    from murmur.serving.adapters import AdapterCache

    root = tmp_path_factory.mktemp("small-lora")
    store = Store(str(root / "store"))
    for seed, name in enumerate(("small_lora_a", "small_lora_b")):
        publish_lora(store, root, name, seed, base=small.model.name_or_path, rank=2)
    ids = [model_id(store, name) for name in ("small_lora_a", "small_lora_b")]
    found = AdapterCache(store, "cpu", "float32", 64).bots(ids)
    bots = [found[m] for m in ids]
    assert all(isinstance(bot, LoadedModel) for bot in bots), bots
    return [small, *(bot for bot in bots if isinstance(bot, LoadedModel))]


Request = tuple[int, int, int | None, float, int | None, int]


@st.composite
def valid_batches(draw: st.DrawFn) -> list[Request]:
    """Up to 4 requests, each fitting the small model alone: (prompt tokens, n, max_tokens,
    temperature, seed, bot); max_tokens None takes huggingtweets' budget; bot 0 is the small
    model, 1 and 2 LoRA bots over it."""
    batch = []
    for _ in range(draw(st.integers(1, 4))):
        tokens = draw(st.integers(1, SMALL_POSITIONS - 1))
        room = SMALL_POSITIONS - tokens
        max_tokens = draw(st.none() | st.integers(1, room))
        n = draw(st.integers(1, MAX_N))
        temperature = draw(st.sampled_from([0.0, 0.7, 1.0]))
        seed = draw(st.none() | st.integers(0, 2**63 - 1))
        bot = draw(st.integers(0, 2))
        batch.append((tokens, n, max_tokens, temperature, seed, bot))
    return batch


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_batches())
# Found in CI: the seeded row's logits differ by 1.5e-7 between the two batches, which flipped a
# draw when the CDF ran over sorted scores (core/sampling.draw_rows says why it runs in token order).
@example(
    batch=[(19, 5, None, 0.7, 67834215, 1), (1, 1, None, 0.0, None, 0), (1, 1, None, 0.0, None, 1)]
)
def test_any_batch_of_valid_requests_is_served_within_each_rows_limits(
    small_bots: list[LoadedModel], batch: list[Request]
) -> None:
    """Any batch, full and LoRA bots mixed: served, each row within its own limits; a seeded
    request writes the same alone."""
    assert MAX_LENGTH >= SMALL_POSITIONS  # so the default budget is the model's positions
    small = small_bots[0]
    specs = [
        GenerationSpec(
            prompt_of(small, tokens),
            n=n,
            max_new_tokens=max_tokens,
            min_length=MIN_LENGTH if max_tokens is None else 0,
            temperature=temperature,
            seed=seed,
        )
        for tokens, n, max_tokens, temperature, seed, _ in batch
    ]
    bots = [small_bots[bot] for *_, bot in batch]
    results = generate_mixed(bots, specs)
    for bot, spec, result in zip(bots, specs, results, strict=True):
        check_limits(bot, [spec], [result])
    seeded = next((j for j, spec in enumerate(specs) if spec.seed is not None), None)
    if seeded is not None:
        assert generate_mixed([bots[seeded]], [specs[seeded]])[0].choices == results[seeded].choices


# ---- seeded requests -----------------------------------------------------------
def test_a_seed_gives_the_same_text_alone_or_in_any_batch(
    alice: LoadedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # min_length: no choice may end at once (all would read "", alike)
    seeded = [
        GenerationSpec("My dream is", n=2, max_new_tokens=12, min_length=20, seed=s)
        for s in range(10)
    ]
    others = [
        GenerationSpec(prompt_of(alice, 40), n=4, max_new_tokens=9, temperature=0.8, top_p=0.9),
        GenerationSpec("I like", n=2, max_new_tokens=60, temperature=0),  # too long beside:
        GenerationSpec(prompt_of(alice, 200), max_new_tokens=20, seed=3),  # (200 + 60 > 256)
    ]
    alone = [generate_batch(alice, [spec])[0].choices for spec in seeded[:3]]
    import murmur.serving.slot_rows as slot_rows

    rows: list[int] = []
    forward = slot_rows.forward_rows
    monkeypatch.setattr(
        slot_rows,
        "forward_rows",
        lambda *a, **k: rows.append(a[2].shape[0]) or forward(*a, **k),
    )
    mixed = generate_batch(alice, [others[0], *seeded, others[1], others[2]])
    assert max(rows) == 4 + 20 + 2 + 1  # every row of the 13 requests in one decode step
    assert [r.choices for r in mixed[1:4]] == alone
    reordered = generate_batch(alice, [seeded[2], others[1], seeded[1], seeded[0]])
    assert [reordered[3].choices, reordered[2].choices, reordered[0].choices] == alone
    texts = [c.text for r in mixed[1:11] for c in r.choices]
    assert len(set(texts)) == len(texts)  # every seed and every choice its own stream
    assert mixed[12].error is None and len(mixed[12].choices) == 1


def test_requests_without_a_seed_differ(alice: LoadedModel) -> None:
    spec = GenerationSpec("My dream is", n=2, max_new_tokens=12, min_length=20)
    first, second = generate_batch(alice, [spec, spec])
    assert first.choices != second.choices and first.choices[0] != first.choices[1]


# ---- token budgets and their advice --------------------------------------------
def refusal(lm: LoadedModel, spec: GenerationSpec) -> str:
    (result,) = generate_batch(lm, [spec])
    assert result.error is not None and not result.choices
    assert "max_tokens to 0" not in result.error and "to -" not in result.error
    return result.error


def fits(lm: LoadedModel, spec: GenerationSpec) -> bool:
    return plan_generation(lm, spec).error is None


def first_chars(message: str) -> int:
    """The N of '(about its first N characters fit)'."""
    return int(message.split("about its first ")[1].split(" characters")[0].replace(",", ""))


def test_an_emoji_prompt_over_budget_gets_advice_it_can_follow(alice: LoadedModel) -> None:
    tokens = len(plan_generation(alice, GenerationSpec(HEAVY_PROMPT)).prompt_ids)
    assert len(HEAVY_PROMPT) == 999 and tokens > 2_500
    # /generate and the page send no max_tokens: the only advice is a shorter prompt.
    message = refusal(alice, GenerationSpec(HEAVY_PROMPT, route="/generate"))
    assert f"the prompt is {tokens:,} tokens" in message and "(999 characters" in message
    assert f"shorten the prompt by at least {tokens - MAX_LENGTH + 1:,} tokens" in message
    assert "max_tokens" not in message
    shorter = HEAVY_PROMPT[: first_chars(message)]
    assert fits(alice, GenerationSpec(shorter, route="/generate"))
    # /v1/completions: no max_tokens would fit such a prompt, so again a shorter prompt.
    message = refusal(alice, GenerationSpec(HEAVY_PROMPT))
    assert f"shorten the prompt by at least {tokens - MAX_LENGTH + 1:,} tokens" in message
    assert "max_tokens" not in message
    message = refusal(alice, GenerationSpec(HEAVY_PROMPT, max_new_tokens=10))
    assert f"shorten the prompt by at least {tokens + 10 - 256:,} tokens" in message
    assert "lower max_tokens" not in message
    assert fits(alice, GenerationSpec(HEAVY_PROMPT[: first_chars(message)], max_new_tokens=10))


def test_a_long_prompt_gets_the_max_tokens_that_fits(alice: LoadedModel) -> None:
    prompt = prompt_of(alice, 200)
    message = refusal(alice, GenerationSpec(prompt, max_new_tokens=100))
    assert "takes at most 256 tokens in all" in message
    assert "lower max_tokens to 56 or less" in message
    assert "shorten the prompt by at least 44 tokens" in message
    assert fits(alice, GenerationSpec(prompt, max_new_tokens=56))
    assert fits(alice, GenerationSpec(prompt[: first_chars(message)], max_new_tokens=100))
    # Past huggingtweets' 160 without max_tokens: a shorter prompt, or (completions) max_tokens.
    prompt = prompt_of(alice, 170)
    message = refusal(alice, GenerationSpec(prompt))
    assert "shorten the prompt by at least 11 tokens" in message
    assert message.endswith("; an API client may instead set max_tokens to 86 or less")
    message = refusal(alice, GenerationSpec(prompt, route="/generate"))
    assert "shorten the prompt by at least 11 tokens" in message and "max_tokens" not in message
    assert fits(alice, GenerationSpec(prompt[: first_chars(message)], route="/generate"))
    # max_tokens alone fills the model: neither shortening alone nor lowering alone is enough.
    message = refusal(alice, GenerationSpec(prompt_of(alice, 300), max_new_tokens=300))
    assert "shorten the prompt by at least 45 tokens" in message
    assert message.endswith(
        "and lower max_tokens so that the prompt's tokens and max_tokens add up to 256 or less"
    )


# ---- each bot its own weights --------------------------------------------------
def test_each_bot_in_a_mixed_batch_writes_what_a_plain_pipeline_writes(store: Store) -> None:
    expected = {bot: greedy_reference(store, bot, "I like", 12) for bot in BOTS}
    assert len(set(expected.values())) == len(BOTS), expected  # the bots differ pairwise
    for bot in BOTS:
        lm = load_model(store, bot)
        specs = [
            GenerationSpec("My dream is", n=3, max_new_tokens=20),
            GenerationSpec("I like", n=2, max_new_tokens=12, temperature=0),
            GenerationSpec(prompt_of(lm, 30), max_new_tokens=5, seed=1),
        ]
        greedy = generate_batch(lm, specs)[1]
        assert [c.text for c in greedy.choices] == [expected[bot]] * 2, bot
