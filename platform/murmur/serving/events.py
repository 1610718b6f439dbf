"""What passes between the ingress and a model replica: what to generate, its events, its result.

Each prompt of a request becomes a `GenerationSpec`; the replica answers with `GenerationEvent`s as text is
written (streaming) or with one `GenerationResult` (`collect` folds the events into it). Plain
dataclasses, no torch: the ingress imports them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from murmur.core.errors import ServingError
from murmur.core.generation import TEMPERATURE, TOP_P

STOP = "stop"  # the model wrote its end-of-text token
LENGTH = "length"  # the request's token limit was reached


class EngineOverloaded(ServingError):
    """A replica's engine has `max_waiting` requests queued already: the endpoint answers 503."""


Route = Literal["/v1/completions", "/v1/chat/completions", "/generate"]


@dataclass(frozen=True)
class GenerationSpec:
    """What to generate for one prompt of a request: the prompt, its `n` choices, their sampling,
    limits and stops, as a model replica sees them (a request of k prompts is k specs)."""

    prompt: str  # as the user wrote it: huggingtweets' `<|endoftext|>` prefix is added later
    n: int = 1
    max_new_tokens: int | None = None  # None: up to huggingtweets' 160 tokens, prompt included
    min_length: int = 0  # tokens in all, prompt included (huggingtweets: 10)
    temperature: float = TEMPERATURE  # 0 is greedy
    top_p: float = TOP_P
    top_k: int = 0  # 0: no top-k (OpenAI's API has none); huggingtweets' request takes 50
    seed: int | None = None  # the same seed, prompt and settings give the same choices
    route: Route = "/v1/completions"  # where it came from: what a refusal may advise
    # (/generate has no max_tokens; the page sends none either)
    prompt_ids: tuple[int, ...] | None = None  # token ids sent instead of `prompt` (the
    # end-of-text id is put before them as context, as `build_prompt` does for text)
    stop: tuple[str, ...] = ()  # each choice's text ends before the first of these
    echo: bool = False  # each choice's text starts with the prompt (the prefix never shows)
    logprobs: int | None = None  # with each token, its raw logprob and the top `logprobs`


@dataclass
class Logprobs:
    """Tokens of a text with their log-probabilities (OpenAI's legacy completions shape).

    `token_logprobs[i]` is the model's raw log-softmax (no temperature or top_p) of `tokens[i]`
    given every token before it (the end-of-text prefix included); `top_logprobs[i]` holds the
    request's `logprobs` most likely tokens there, best first; `text_offset[i]` is where token i
    starts (its first byte) in the prompt's text followed by the completion's, in characters.
    Each token's text is the token decoded alone; a part of a character split across tokens
    shows as OpenAI's API shows it, `bytes:` and its bytes as `\\xNN` (outputs.token_text);
    `token_bytes[i]` its true bytes, `top_bytes[i]` those of its top tokens.
    """

    tokens: list[str] = field(default_factory=list)
    token_logprobs: list[float] = field(default_factory=list)
    top_logprobs: list[list[tuple[str, float]]] = field(default_factory=list)
    text_offset: list[int] = field(default_factory=list)
    token_bytes: list[list[int]] = field(default_factory=list)
    top_bytes: list[list[list[int]]] = field(default_factory=list)

    def extend(self, other: Logprobs) -> None:
        self.tokens += other.tokens
        self.token_logprobs += other.token_logprobs
        self.top_logprobs += other.top_logprobs
        self.text_offset += other.text_offset
        self.token_bytes += other.token_bytes
        self.top_bytes += other.top_bytes


@dataclass
class ChoiceDelta:
    """New text of one choice; `finish_reason` is set on the choice's last delta."""

    index: int
    text: str
    finish_reason: str | None = None
    logprobs: Logprobs | None = None  # the new text's tokens, where the request asked


@dataclass
class GenerationEvent:
    """What one request gets from one step of its batch: new text, and its usage when done."""

    deltas: list[ChoiceDelta] = field(default_factory=list)
    done: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0  # tokens generated, end-of-text tokens included
    choice_tokens: list[int] = field(default_factory=list)  # the same, per choice (when done)
    error: str | None = None  # an input this model cannot take; the request is done


@dataclass
class Choice:
    text: str
    finish_reason: str
    tokens: int = 0  # tokens generated for this choice, its end-of-text token included
    logprobs: Logprobs | None = None


@dataclass
class GenerationResult:
    """One spec's whole answer."""

    choices: list[Choice]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None


def collect(events: Iterable[GenerationEvent], n: int) -> GenerationResult:
    """Fold a spec's events into its result."""
    texts = [""] * n
    reasons = [LENGTH] * n
    tokens = [0] * n
    logprobs: list[Logprobs | None] = [None] * n
    result = GenerationResult(choices=[])
    for event in events:
        for d in event.deltas:
            texts[d.index] += d.text
            if d.finish_reason:
                reasons[d.index] = d.finish_reason
            if d.logprobs is not None:
                merged = logprobs[d.index] or Logprobs()
                merged.extend(d.logprobs)
                logprobs[d.index] = merged
        if event.done:
            result.prompt_tokens = event.prompt_tokens
            result.completion_tokens = event.completion_tokens
            result.error = event.error
            tokens = event.choice_tokens or tokens
            break
    if not result.error:
        result.choices = [Choice(*c) for c in zip(texts, reasons, tokens, logprobs, strict=True)]
    return result
