"""The ingress's side of completions: a request's specs, their answers gathered or their events
merged, and OpenAI's shapes (the completion, its server-sent chunks, the usage chunk).

A request of k prompts with n choices each is k specs, sent together (a replica batches them);
prompt i's choices are answered as choices i*n to i*n+n-1, as OpenAI numbers them. A spec the
model cannot take (a prompt over its budget, a token id outside its vocabulary) fails the whole
request with a 422, before any text is sent, streaming or not.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from murmur.core.generation import MIN_LENGTH
from murmur.serving.client import ModelClient
from murmur.serving.events import ChoiceDelta, GenerationEvent, GenerationResult, GenerationSpec
from murmur.serving.events import Logprobs as EventLogprobs
from murmur.serving.schema import (
    ApiError,
    CompletionChoice,
    CompletionLogprobs,
    CompletionRequest,
    CompletionResponse,
    SamplingRequest,
    Usage,
)

Chunk = dict[str, Any]


def sampling_spec(req: SamplingRequest, prompt: str | list[int], **fields: Any) -> GenerationSpec:
    """One prompt of a request as a `GenerationSpec`: the request's sampling, limits and stop sequences."""
    return GenerationSpec(
        prompt=prompt if isinstance(prompt, str) else "",
        prompt_ids=None if isinstance(prompt, str) else tuple(prompt),
        n=req.n,
        max_new_tokens=req.max_tokens,
        temperature=req.temperature,
        top_p=req.top_p,
        seed=req.seed,
        # Without max_tokens, huggingtweets' defaults apply whole: at least 10 tokens too.
        min_length=MIN_LENGTH if req.max_tokens is None else 0,
        stop=req.stops(),
        **fields,
    )


def completion_specs(req: CompletionRequest) -> list[GenerationSpec]:
    """A completion request's specs, one per prompt, in order."""
    return [sampling_spec(req, p, echo=req.echo, logprobs=req.logprobs) for p in req.prompts()]


def usage_of(results: list[GenerationResult] | list[GenerationEvent]) -> Usage:
    """The request's usage: its specs' tokens added up (prompts with their end-of-text prefix)."""
    prompt = sum(r.prompt_tokens for r in results)
    completion = sum(r.completion_tokens for r in results)
    return Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )


async def answer_all(
    models: ModelClient, model_id: str, specs: list[GenerationSpec]
) -> list[GenerationResult]:
    """Every spec's whole answer, in order; ApiError 422 if the model cannot take one of them."""
    results = await asyncio.gather(*(models.complete(model_id, spec) for spec in specs))
    for result in results:
        if result.error:
            raise ApiError(422, "invalid_request_error", result.error)
    return list(results)


def legacy_logprobs(logprobs: EventLogprobs | None) -> CompletionLogprobs | None:
    """Logprobs in completions' legacy shape: each position's top tokens and the chosen one."""
    if logprobs is None:
        return None
    top = [
        {**dict(best), token: lp}
        for token, lp, best in zip(
            logprobs.tokens, logprobs.token_logprobs, logprobs.top_logprobs, strict=True
        )
    ]
    return CompletionLogprobs(
        tokens=logprobs.tokens,
        token_logprobs=logprobs.token_logprobs,
        top_logprobs=top,
        text_offset=logprobs.text_offset,
    )


def completion_response(
    req: CompletionRequest, results: list[GenerationResult], completion_id: str
) -> CompletionResponse:
    """The completion: prompt i's choice c is choice i*n + c."""
    return CompletionResponse(
        id=completion_id,
        created=int(time.time()),
        model=req.model,
        choices=[
            CompletionChoice(
                index=i * req.n + c,
                text=choice.text,
                finish_reason=choice.finish_reason,  # type: ignore[arg-type]  # stop or length
                logprobs=legacy_logprobs(choice.logprobs),
            )
            for i, result in enumerate(results)
            for c, choice in enumerate(result.choices)
        ],
        usage=usage_of(results),
    )


async def _close(streams: list[AsyncIterator[GenerationEvent]]) -> None:
    for stream in streams:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()


async def open_streams(
    models: ModelClient, model_id: str, specs: list[GenerationSpec]
) -> tuple[list[GenerationEvent], list[AsyncIterator[GenerationEvent]]]:
    """Start every spec's stream and wait for each one's first event, so that an error (404, 422,
    503...) still gets its status before the answer starts."""
    streams = [models.stream(model_id, spec) for spec in specs]

    async def first(stream: AsyncIterator[GenerationEvent]) -> GenerationEvent:
        return await anext(stream)

    tasks = [asyncio.create_task(first(s)) for s in streams]
    try:
        firsts = list(await asyncio.gather(*tasks))
        refused = next((f.error for f in firsts if f.error), None)
        if refused:
            raise ApiError(422, "invalid_request_error", refused)
    except BaseException:
        for task in tasks:  # a stream still waiting for its first event is cancelled
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await _close(streams)
        raise
    return firsts, streams


async def merge_streams(
    firsts: list[GenerationEvent], streams: list[AsyncIterator[GenerationEvent]]
) -> AsyncIterator[tuple[int, GenerationEvent]]:
    """(spec index, event) as each spec's events come; the first events first. Closing the merge
    (the client went away) closes every spec's stream, which cancels its generation."""
    for i, first in enumerate(firsts):
        yield i, first
    queue: asyncio.Queue[tuple[int, GenerationEvent | Exception | None]] = asyncio.Queue()

    async def pump(i: int, stream: AsyncIterator[GenerationEvent]) -> None:
        try:
            async for event in stream:
                await queue.put((i, event))
            await queue.put((i, None))
        except Exception as e:  # ApiError (a timeout, a failed replica): the stream reports it
            await queue.put((i, e))

    tasks = [asyncio.create_task(pump(i, s)) for i, s in enumerate(streams)]
    running = len(tasks)
    try:
        while running:
            i, item = await queue.get()
            if item is None:
                running -= 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield i, item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await _close(streams)


def sse(data: Chunk | str) -> str:
    """One server-sent event."""
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"


async def sse_stream(
    req: SamplingRequest,
    events: AsyncIterator[tuple[int, GenerationEvent]],
    head: Chunk,
    choice_chunk: Callable[[int, ChoiceDelta], Chunk],
) -> AsyncIterator[str]:
    """Server-sent events in OpenAI's shape: `head` (id, object, created, model) with one choice
    per chunk (`choice_chunk(index, delta)`, index i*n + c); with `include_usage`, `usage` null
    on those and a last chunk of no choices with the usage; then [DONE]. An error after the
    status was sent goes in the stream, in OpenAI's error shape."""
    extra = {"usage": None} if req.include_usage else {}
    done: list[GenerationEvent] = []
    try:
        async for i, event in events:
            for d in event.deltas:
                yield sse({**head, "choices": [choice_chunk(i * req.n + d.index, d)], **extra})
            if event.done:
                done.append(event)
        if req.include_usage:
            yield sse({**head, "choices": [], "usage": usage_of(done).model_dump()})
    except ApiError as e:
        yield sse(e.body())
    yield sse("[DONE]")


def completion_chunk(index: int, delta: ChoiceDelta) -> Chunk:
    """One choice's new text (and logprobs) as a text_completion chunk's choice."""
    logprobs = legacy_logprobs(delta.logprobs)
    return {
        "index": index,
        "text": delta.text,
        "finish_reason": delta.finish_reason,
        "logprobs": logprobs.model_dump() if logprobs is not None else None,
    }
