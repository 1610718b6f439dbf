"""Generation for a list of specs in the calling thread, on the engine (murmur.serving.decode_loop).

`generate_mixed(bots, specs)` is what a replica's engine does for requests that arrive together,
run to the end without a thread: tests, benchmarks and offline tools call it. Each model shape
gets a `DecodeEngine` sized for the specs' rows; the engines step in turn until every spec is done.
Every rule of the engine holds: any mix of requests that each fit `n_positions` is served (each
row has its own positions, so there is no padding to a shared length); each row samples with its
own settings and seeded numbers; LoRA bots of one base share each step's forward, each row with its
adapter; a spec the model cannot take gets its error (a 422's message) in its result.

Text streams out as it is generated: `on_events` gets one event per spec (in order) every
`interval_s` of a spec's text, empty for a spec with no news and a bare `done` for one finished.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from murmur.serving.decode_loop import DecodeEngine
from murmur.serving.events import GenerationEvent, GenerationResult, GenerationSpec, collect
from murmur.serving.kv_slots import CacheShape
from murmur.serving.loading import LoadedModel

MAX_SLOTS = 256  # rows one call's engine holds at once; more wait for free slots


def generate_batch(
    lm: LoadedModel,
    specs: list[GenerationSpec],
    on_events: Callable[[list[GenerationEvent]], None] | None = None,
    interval_s: float = math.inf,
) -> list[GenerationResult]:
    """`generate_mixed` for specs of one model."""
    return generate_mixed([lm] * len(specs), specs, on_events, interval_s)


def generate_mixed(
    bots: list[LoadedModel],
    specs: list[GenerationSpec],
    on_events: Callable[[list[GenerationEvent]], None] | None = None,
    interval_s: float = math.inf,
) -> list[GenerationResult]:
    """Generate spec j on `bots[j]` (see the module's doc); returns one result per spec, in order.
    Blocking: run it in a thread where an event loop must go on. Raises ServingError for a model
    the engine cannot serve (not a GPT-2) or a KV cache that does not fit."""
    rows = sum(spec.n for spec in specs)
    slots = max(min(rows, MAX_SLOTS), max((spec.n for spec in specs), default=1))
    engines: dict[CacheShape, DecodeEngine] = {}
    pending: list[deque[GenerationEvent]] = [deque() for _ in specs]
    for j, (bot, spec) in enumerate(zip(bots, specs, strict=True)):
        shape = CacheShape.of(bot.model, bot.device)
        if shape not in engines:
            engines[shape] = DecodeEngine(bot, slots, len(specs) + 1, interval_s=interval_s)

        def on_event(event: GenerationEvent | Exception, j: int = j) -> None:
            if isinstance(event, Exception):
                raise event
            pending[j].append(event)

        engines[shape].submit(bot, spec, on_event, stream=on_events is not None)
    history: list[list[GenerationEvent]] = [[] for _ in specs]
    done = [False] * len(specs)
    while True:
        busy = [engine.step() for engine in engines.values()]  # models in turn, step by step
        while any(pending):
            events = [
                q.popleft() if q else GenerationEvent(done=d)
                for q, d in zip(pending, done, strict=True)
            ]
            for j, event in enumerate(events):
                if not done[j]:
                    history[j].append(event)
                    done[j] = event.done
            if on_events is not None:
                on_events(events)
        if not any(busy) and all(engine.idle for engine in engines.values()):
            break
    return [collect(history[j], spec.n) for j, spec in enumerate(specs)]
