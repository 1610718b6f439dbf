"""OpenAI's chat completions, for bots that have no chat template.

GPT-2 has no chat template: a bot continues a tweet. So the prompt is the text of the last message
whose role is `user` (its text parts joined by newlines); every other message (system, developer,
assistant, tool, earlier user messages) is ignored. The answer is that prompt's completion, as the
assistant's message. Fields, limits and errors are those of completions (SamplingRequest),
streaming included; `logprobs` / `top_logprobs` give chat's logprobs shape. Fields of OpenAI's
chat API that murmur does not implement are accepted at their no-op value only (tools none,
response_format text, ...: schema.not_implemented).
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from murmur.serving.completions import Chunk, usage_of
from murmur.serving.events import ChoiceDelta, GenerationResult
from murmur.serving.events import Logprobs as EventLogprobs
from murmur.serving.schema import (
    MAX_LOGPROBS,
    MAX_PROMPT_CHARS,
    MAX_TOKENS,
    SamplingRequest,
    Usage,
    not_implemented,
)

MAX_MESSAGES = 1_000
Role = Literal["developer", "system", "user", "assistant", "tool", "function"]


class ChatMessage(BaseModel):
    """A message. Only the last user message is read; the fields of others (tool_calls, ...)
    are let through unread."""

    model_config = ConfigDict(extra="allow")

    role: Role
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None


def message_text(message: ChatMessage) -> str:
    """A message's text: its string, or its text parts joined by newlines (ValueError for any
    other part: murmur's bots read text only)."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    texts = []
    for part in message.content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise ValueError(
                f"the last user message has a part of type {part.get('type')!r}: murmur's bots "
                'read text only ({"type": "text", "text": "..."})'
            )
        texts.append(part["text"])
    return "\n".join(texts)


class ChatRequest(SamplingRequest):
    """OpenAI's chat completion request (see the module's doc for how it becomes a prompt)."""

    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=MAX_TOKENS)
    """The same as max_tokens (OpenAI's newer name)."""
    logprobs: bool | None = None
    """With each token of the answer, its raw logprob."""
    top_logprobs: int | None = Field(default=None, ge=0, le=MAX_LOGPROBS)
    """With logprobs, the most likely tokens at each position."""
    prompt_cache_key: str | None = None
    """Accepted; murmur keeps no record of it (as user)."""
    safety_identifier: str | None = None
    """Accepted; murmur keeps no record of it (as user)."""
    tools: Any = not_implemented(None, [])
    tool_choice: Any = not_implemented(None, "none", "auto")
    parallel_tool_calls: Any = not_implemented(None, True, False)
    functions: Any = not_implemented(None, [])
    function_call: Any = not_implemented(None, "none", "auto")
    response_format: Any = not_implemented(None, {"type": "text"})
    modalities: Any = not_implemented(None, ["text"])
    store: Any = not_implemented(None, False)
    metadata: Any = not_implemented(None, {})
    service_tier: Any = not_implemented(None, "auto", "default")
    reasoning_effort: Any = not_implemented(None)
    audio: Any = not_implemented(None)
    prediction: Any = not_implemented(None)
    web_search_options: Any = not_implemented(None)

    @model_validator(mode="after")
    def _check_chat(self) -> ChatRequest:
        limit, newer = self.max_tokens, self.max_completion_tokens
        if limit is not None and newer is not None and limit != newer:
            raise ValueError(
                f"max_tokens {limit} and max_completion_tokens {newer} differ: send one of them"
            )
        self.max_tokens = limit if newer is None else newer
        if self.max_tokens == 0:
            raise ValueError("max_tokens 0 generates nothing: set it to 1 or more")
        if self.top_logprobs is not None and not self.logprobs:
            raise ValueError("top_logprobs needs logprobs true: set it, or leave top_logprobs out")
        text = self.prompt()
        if len(text) > MAX_PROMPT_CHARS:
            raise ValueError(
                f"the last user message is {len(text):,} characters: a prompt is at most "
                f"{MAX_PROMPT_CHARS} characters"
            )
        return self

    def prompt(self) -> str:
        """The prompt: the last user message's text (ValueError if there is none)."""
        for message in reversed(self.messages):
            if message.role == "user":
                return message_text(message)
        raise ValueError(
            "no message has role user: a bot continues the last user message's text (GPT-2 "
            "has no chat template)"
        )

    def top(self) -> int | None:
        """The spec's `logprobs`: None without logprobs, else how many top tokens."""
        return (self.top_logprobs or 0) if self.logprobs else None


class TopLogprob(BaseModel):
    token: str
    logprob: float
    bytes: list[int]


class TokenLogprob(TopLogprob):
    top_logprobs: list[TopLogprob]


class ChatLogprobs(BaseModel):
    content: list[TokenLogprob]
    refusal: None = None


class ChatResponseMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class ChatChoice(BaseModel):
    index: int
    message: ChatResponseMessage
    finish_reason: Literal["stop", "length"] | None
    logprobs: ChatLogprobs | None = None


class ChatCompletionResponse(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage


def _top(token: str, logprob: float, raw: list[int] | None = None) -> TopLogprob:
    """A token with its logprob and its true bytes (`raw`; else its text's UTF-8)."""
    return TopLogprob(
        token=token, logprob=logprob, bytes=raw if raw is not None else list(token.encode())
    )


def chat_logprobs(logprobs: EventLogprobs | None) -> ChatLogprobs | None:
    """Logprobs in chat's shape: each token with its true bytes and its top tokens."""
    if logprobs is None:
        return None
    count = len(logprobs.tokens)
    raw = logprobs.token_bytes if len(logprobs.token_bytes) == count else [None] * count
    tops = logprobs.top_bytes if len(logprobs.top_bytes) == count else [None] * count
    content = [
        TokenLogprob(
            **_top(token, lp, own).model_dump(),
            top_logprobs=[
                _top(t, v, None if top is None else top[k]) for k, (t, v) in enumerate(best)
            ],
        )
        for token, lp, best, own, top in zip(
            logprobs.tokens, logprobs.token_logprobs, logprobs.top_logprobs, raw, tops, strict=True
        )
    ]
    return ChatLogprobs(content=content)


class ChatChunks:
    """Chat's chunk choices: the first of each choice names the assistant's role."""

    def __init__(self) -> None:
        self.started: set[int] = set()

    def __call__(self, index: int, delta: ChoiceDelta) -> Chunk:
        message: dict[str, str] = {}
        if index not in self.started:
            self.started.add(index)
            message["role"] = "assistant"
        if delta.text or not delta.finish_reason:
            message["content"] = delta.text
        logprobs = chat_logprobs(delta.logprobs)
        return {
            "index": index,
            "delta": message,
            "finish_reason": delta.finish_reason,
            "logprobs": logprobs.model_dump() if logprobs is not None else None,
        }


def chat_response(
    req: ChatRequest, result: GenerationResult, completion_id: str
) -> ChatCompletionResponse:
    """The chat completion: each choice's text as the assistant's message."""
    return ChatCompletionResponse(
        id=completion_id,
        created=int(time.time()),
        model=req.model,
        choices=[
            ChatChoice(
                index=c,
                message=ChatResponseMessage(content=choice.text),
                finish_reason=choice.finish_reason,  # type: ignore[arg-type]  # stop or length
                logprobs=chat_logprobs(choice.logprobs),
            )
            for c, choice in enumerate(result.choices)
        ],
        usage=usage_of([result]),
    )
