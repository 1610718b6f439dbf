"""huggingtweets' request and generation defaults, in one place.

huggingtweets' request, as its demo notebook ran it (`predict()` in huggingtweets-demo.ipynb,
https://github.com/borisdayma/huggingtweets/blob/master/huggingtweets-demo.ipynb):

    model.generate(input_ids=tokenizer('<|endoftext|>' + start).input_ids, max_length=160,
                   min_length=10, temperature=1., top_p=0.95, do_sample=True,
                   num_return_sequences=10)

so: the prompt prefixed with `<|endoftext|>`; 10 sequences; sampling at temperature 1.0 with
top_p 0.95 and top_k 50 (the notebook set no top_k, so transformers' default of 50 applied, and
still does: `GenerationConfig._get_default_generation_params`); total length (prompt + generated)
at most 160 tokens, at least 10; each text cut at its first newline and stripped.
"""

from __future__ import annotations

from typing import Any

EOS = "<|endoftext|>"
TOP_P = 0.95
TEMPERATURE = 1.0
TOP_K = 50  # huggingtweets set none: transformers' default applied (see the module's doc)
MAX_LENGTH = 160  # prompt + generated tokens
MIN_LENGTH = 10
NUM_SEQUENCES = 10  # sequences per request (num_return_sequences)
PROMPTS = ("My dream is", "I think that", "I like", "I want", "My friend", "Today I")


def context_length(model_config: Any) -> int | None:
    """The most tokens a model takes in one sequence, prompt included, from its transformers
    config: GPT-2's `n_positions`, else `max_position_embeddings` (most other families); None
    where the config gives neither."""
    n = getattr(model_config, "n_positions", None) or getattr(
        model_config, "max_position_embeddings", None
    )
    return int(n) if n else None


def generation_config_kwargs(eos_token_id: int) -> dict[str, Any]:
    """Arguments for `transformers.GenerationConfig` that reproduce huggingtweets' sampling."""
    return {
        "do_sample": True,
        "top_p": TOP_P,
        "temperature": TEMPERATURE,
        "top_k": TOP_K,
        "max_length": MAX_LENGTH,
        "min_length": MIN_LENGTH,
        "bos_token_id": eos_token_id,
        "eos_token_id": eos_token_id,
        "pad_token_id": eos_token_id,
    }


def huggingtweets_generate_kwargs(eos_token_id: int) -> dict[str, Any]:
    """Arguments for `model.generate` that make huggingtweets' whole request: its sampling and
    lengths (`generation_config_kwargs`) and its 10 sequences. Feed it `build_prompt(prompt)`
    tokenized without special tokens, as the notebook did."""
    return generation_config_kwargs(eos_token_id) | {"num_return_sequences": NUM_SEQUENCES}


def build_prompt(prompt: str) -> str:
    """The text fed to the model: huggingtweets prefixes every prompt with `<|endoftext|>`."""
    return EOS + prompt


def eos_token_id(tokenizer: Any) -> int:
    """The id of the end-of-text token that joins tweets in training and ends generations.

    `<|endoftext|>` where the tokenizer has it (GPT-2 and the `tiny` preset); otherwise the
    tokenizer's own end-of-sequence token. Raises ConfigError when it has neither.
    """
    from murmur.core.errors import ConfigError

    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    unknown = eos_id is None or (eos_id == tokenizer.unk_token_id and tokenizer.unk_token != EOS)
    if unknown:
        eos_id = tokenizer.eos_token_id  # a tokenizer whose end-of-text token is spelled otherwise
    if eos_id is None:
        raise ConfigError(
            f"the tokenizer {type(tokenizer).__name__} has no end-of-text token: murmur joins "
            f"tweets with {EOS}; use a GPT-2-style base model"
        )
    return int(eos_id)


def cut_generation(text: str) -> str:
    """Cut a generated text as huggingtweets does: drop the EOS prefix, stop at a newline, strip."""
    if text.startswith(EOS):
        text = text[len(EOS) :]
    text = text.split(EOS, 1)[0]
    return text.split("\n", 1)[0].strip()
