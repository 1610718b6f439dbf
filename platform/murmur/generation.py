"""huggingtweets' generation defaults, in one place.

Prompt prefixed with `<|endoftext|>`; sampling with top_p 0.95, temperature 1.0, no top_k; total
length at most 160 tokens, at least 10; each text cut at its first newline and stripped.
"""

from __future__ import annotations

from typing import Any

EOS = "<|endoftext|>"
TOP_P = 0.95
TEMPERATURE = 1.0
TOP_K = 0  # 0 turns top-k filtering off (transformers' own default is 50)
MAX_LENGTH = 160  # prompt + generated tokens
MIN_LENGTH = 10
PROMPTS = ("My dream is", "I think that", "I like", "I want", "My friend", "Today I")


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


def build_prompt(prompt: str) -> str:
    """The text fed to the model: huggingtweets prefixes every prompt with `<|endoftext|>`."""
    return EOS + prompt


def cut_generation(text: str) -> str:
    """Cut a generated text as huggingtweets does: drop the EOS prefix, stop at a newline, strip."""
    if text.startswith(EOS):
        text = text[len(EOS) :]
    text = text.split(EOS, 1)[0]
    return text.split("\n", 1)[0].strip()
