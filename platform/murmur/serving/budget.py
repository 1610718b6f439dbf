"""A spec's token budget: its prompt's tokens, how many it may generate, or why it cannot run.

A model takes at most `n_positions` tokens in all, prompt included (huggingtweets' `<|endoftext|>`
prefix counts as one). Without `max_tokens` a request gets huggingtweets' budget: 160 tokens in all
(fewer on a model with fewer positions). A prompt over its budget is refused with advice the user
can follow on the route they used: /generate and the page send no `max_tokens`, so the only advice
there is to shorten the prompt, by a number of tokens and the characters that fit, since a prompt
of emoji or CJK text can be 3,000 tokens in 1,000 characters.

A prompt sent as token ids gets the same prefix, as the end-of-text id; an id outside the bot's
vocabulary is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from murmur.core.generation import EOS, MAX_LENGTH, build_prompt
from murmur.serving.events import GenerationSpec, Logprobs

if TYPE_CHECKING:
    from murmur.serving.loading import LoadedModel


@dataclass
class GenerationPlan:
    """A spec after tokenizing: its prompt ids and its token limits, or why it cannot run."""

    spec: GenerationSpec
    prompt_ids: list[int]
    max_new: int = 0  # tokens each choice may generate, its end-of-text token included
    min_new: int = 0  # tokens each choice must generate before it may end
    error: str | None = None  # the 422's message
    prompt_text: str = ""  # the prompt as text (token ids decoded): what echo shows
    prompt_logprobs: Logprobs | None = None  # the prompt's tokens, where echo and logprobs ask


def _prompt_ids(lm: LoadedModel, spec: GenerationSpec) -> list[int] | str:
    """The ids fed to the model, the end-of-text prefix first; or why the prompt cannot run."""
    if spec.prompt_ids is None:
        ids: list[int] = lm.tokenizer(build_prompt(spec.prompt), verbose=False)["input_ids"]
        return ids
    outside = [t for t in spec.prompt_ids if not 0 <= t < lm.vocab_size]
    if outside:
        return (
            f"token id {outside[0]} is outside the vocabulary of model {lm.name!r}: its ids run "
            f"from 0 to {lm.vocab_size - 1}; send ids of its own tokenizer, or the prompt as text"
        )
    return [lm.eos_id, *spec.prompt_ids]  # build_prompt's `<|endoftext|>` prefix, as its id


def plan_generation(lm: LoadedModel, spec: GenerationSpec) -> GenerationPlan:
    """Tokenize `spec`'s prompt and fit its token limits to the model (see the module's doc)."""
    ids = _prompt_ids(lm, spec)
    if isinstance(ids, str):
        return GenerationPlan(spec, [], error=ids)
    plan = GenerationPlan(spec, ids, min_new=max(0, spec.min_length - len(ids)))
    plan.prompt_text = (
        spec.prompt
        if spec.prompt_ids is None
        else lm.tokenizer.decode(list(spec.prompt_ids), clean_up_tokenization_spaces=False)
    )
    if spec.max_new_tokens is None:
        plan.max_new = min(MAX_LENGTH, lm.max_positions) - len(ids)
        if plan.max_new < 1:
            plan.error = _over_default_budget(lm, spec, len(ids))
    elif len(ids) + spec.max_new_tokens > lm.max_positions:
        plan.error = _over_positions(lm, spec, len(ids), spec.max_new_tokens)
    else:
        plan.max_new = spec.max_new_tokens
    plan.min_new = min(plan.min_new, plan.max_new)
    return plan


def _prompt_size(spec: GenerationSpec, tokens: int) -> str:
    size = f"the prompt is {tokens:,} tokens with huggingtweets' {EOS} prefix"
    if spec.prompt_ids is None and tokens - 1 > len(spec.prompt):  # more tokens than characters
        size += f" ({len(spec.prompt):,} characters: emoji and non-Latin text take several each)"
    return size


def _shorten(lm: LoadedModel, spec: GenerationSpec, tokens: int, cut: int) -> str:
    """Advice to drop `cut` of the prompt's `tokens`, with the characters that still fit."""
    advice = f"shorten the prompt by at least {cut:,} tokens"
    if spec.prompt_ids is not None:  # token ids: the count says it all
        return advice
    chars = _chars_within(lm, spec.prompt, tokens - cut)
    if chars is not None:
        advice += f" (about its first {chars:,} characters fit)"
    return advice


def _chars_within(lm: LoadedModel, prompt: str, keep: int) -> int | None:
    """How many of the prompt's characters fit in its first `keep` tokens (prefix included): up to
    where the first token past them starts. None where the tokenizer gives no character offsets
    (a slow tokenizer)."""
    try:
        encoded = lm.tokenizer(build_prompt(prompt), return_offsets_mapping=True, verbose=False)
        offsets = encoded["offset_mapping"]
    except (NotImplementedError, KeyError, ValueError):
        return None
    if keep < 1 or keep >= len(offsets):
        return None
    return max(0, int(offsets[keep][0]) - len(EOS))


def _over_default_budget(lm: LoadedModel, spec: GenerationSpec, tokens: int) -> str:
    budget = min(MAX_LENGTH, lm.max_positions)
    message = (
        f"{_prompt_size(spec, tokens)}: huggingtweets' requests take up to {budget} tokens in "
        "all, prompt included; " + _shorten(lm, spec, tokens, tokens - budget + 1)
    )
    room = lm.max_positions - tokens
    if spec.route != "/generate" and room >= 1:  # the page sends none: this is for APIs
        message += f"; an API client may instead set max_tokens to {room} or less"
    return message


def _over_positions(lm: LoadedModel, spec: GenerationSpec, tokens: int, max_tokens: int) -> str:
    n = lm.max_positions
    message = (
        f"{_prompt_size(spec, tokens)} and max_tokens is {max_tokens}: model {lm.name!r} takes at "
        f"most {n} tokens in all, prompt included; "
    )
    room = n - tokens
    if room >= 1:
        message += f"lower max_tokens to {room} or less"
        if max_tokens < n:
            message += f", or {_shorten(lm, spec, tokens, tokens + max_tokens - n)}"
    elif max_tokens < n:
        message += _shorten(lm, spec, tokens, tokens + max_tokens - n)
    else:  # max_tokens alone fills the model: both must give way
        message += (
            f"{_shorten(lm, spec, tokens, tokens - n + 1)} and lower max_tokens so that the "
            f"prompt's tokens and max_tokens add up to {n} or less"
        )
    return message
