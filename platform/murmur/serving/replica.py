"""The model deployment: a replica loads models from the store on demand and runs them on its engine.

Each request is one spec for one model id. The replica resolves the id to a bot in memory, submits
the spec to the engine of the bot's shape (murmur.serving.decode_loop: a decode loop in its own
thread, over a fixed-slot KV cache of `max_batch_size` rows) and passes the engine's events back,
through a per-request queue, as a stream or folded into one answer. Rows of every request share
the engine's steps as they come and go: no `@serve.batch`, no waiting for company.

Full models: `@serve.multiplexed` keeps up to `models_per_replica` loaded (LRU; the multiplexed
model id is `<name>@<version>`, murmur.serving.catalog), so Serve routes a request to a replica
holding its model; each full model's rows run in their own forwards, models in turn. LoRA bots
(`<name>@<version>+lora`) carry no multiplexed id: Serve routes them by load, and a replica keeps
each base once with its adapters resident by the thousand within `adapter_memory_mb`
(murmur.serving.adapters), loaded in a thread of their own, off the engine's loop.

A bot that cannot be loaded fails its own requests only (the ingress maps its error to 404 or
500); a full engine queue fails at once with EngineOverloaded (503); a client that goes away
cancels its request, whose rows leave the engine at its next iteration. If an engine's loop dies,
`check_health` fails and Serve replaces the replica.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

from ray import serve

from murmur.core.store import Store
from murmur.serving.adapters import AdapterCache
from murmur.serving.catalog import is_adapter_id, split_model_id
from murmur.serving.decode_loop import DecodeEngine
from murmur.serving.events import GenerationEvent, GenerationResult, GenerationSpec, collect
from murmur.serving.kv_slots import CacheShape
from murmur.serving.loading import LoadedModel, load_model
from murmur.serving.request_metrics import (
    EngineMeter,
    count_generated,
    count_load,
    observe_step,
    waiting,
)
from murmur.serving.settings import ServeSettings

replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs


class ModelServer:
    """Loads models from the store on demand and generates on its engines (module doc)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        import threading

        import torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.settings = s = ServeSettings.model_validate(settings)
        # The engine's forwards use the replica's CPUs, no more (Ray sets no torch threads).
        torch.set_num_threads(s.replica_threads())
        store = Store(s.store)
        use_gpu = s.num_gpus > 0 and torch.cuda.is_available()
        device = "cuda" if use_gpu else "cpu"
        self._weights_lock = threading.Lock()  # LoRA slots change only between forwards
        self.adapters = AdapterCache(
            store, device, s.dtype, s.adapter_memory_mb, self._weights_lock
        )
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-adapters")
        self._engines: dict[CacheShape, DecodeEngine] = {}
        self._busy: Counter[str] = Counter()  # model id -> its requests in the engine

        async def load(model_id: str) -> LoadedModel:
            name, version = split_model_id(model_id)
            lm = await asyncio.to_thread(load_model, store, name, version, device, s.dtype)
            replica_log.info("loaded %s on %s in %.2f s", model_id, device, lm.load_seconds)
            count_load(name, lm)  # murmur_model_loads_total, and its eviction
            return lm

        # Wrapped here rather than decorated, so that its size is a setting.
        self._get_model = serve.multiplexed(max_num_models_per_replica=s.models_per_replica)(load)

    async def generate(self, spec: GenerationSpec, model_id: str = "") -> GenerationResult:
        """A whole answer. `model_id`: the catalog's id (by default the request's multiplexed
        model id). Raises the bot's load error, EngineOverloaded (503) past the engine's queue."""
        model_id = model_id or serve.get_multiplexed_model_id()
        events = [event async for event in self._events(spec, model_id, stream=False)]
        result = collect(events, spec.n)
        count_generated([split_model_id(model_id)[0]], [result])
        return result

    async def generate_stream(
        self, spec: GenerationSpec, model_id: str = ""
    ) -> AsyncIterator[GenerationEvent]:
        """The answer as it is generated: events every `stream_interval_s`, the last `done`."""
        model_id = model_id or serve.get_multiplexed_model_id()
        async for event in self._events(spec, model_id, stream=True):
            if event.done:
                result = collect([event], spec.n)
                count_generated([split_model_id(model_id)[0]], [result])
            yield event

    def check_health(self) -> None:
        """Serve's health check: fails once an engine's loop has died (Serve then replaces the
        replica)."""
        for engine in self._engines.values():
            if engine.error is not None:
                raise RuntimeError(f"the decode loop died: {engine.error!r}")

    def stats(self) -> dict[str, Any]:
        """This replica's id, its LoRA residency (AdapterCache.stats), its engines' stats, and
        how many decode steps held how many distinct bots (`batches`: "<kind> <bots>" ->
        steps; kind lora or full)."""
        batches: Counter[str] = Counter()
        for engine in self._engines.values():
            batches.update(engine.stats()["bots_per_step"])
        replica = serve.get_replica_context().replica_id.unique_id
        engines = [engine.stats() for engine in self._engines.values()]
        return {"replica": replica, **self.adapters.stats(), "batches": dict(batches),
                "engines": engines}  # fmt: skip

    async def _bot(self, model_id: str) -> LoadedModel:
        """The bot of `model_id` in memory: a full model through Serve's multiplexed LRU, a LoRA
        bot through the adapter cache, in the loading thread. Raises why it cannot be served."""
        if not is_adapter_id(model_id):
            bot: LoadedModel = await self._get_model(model_id)
            return bot
        loop = asyncio.get_running_loop()
        busy = {m for m, n in self._busy.items() if n > 0}
        found = await loop.run_in_executor(self._loader, self.adapters.bots, [model_id], busy)
        answer = found[model_id]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def _engine(self, bot: LoadedModel) -> DecodeEngine:
        """The engine of the bot's shape, started on first use; ServingError (one line) if its
        KV cache cannot fit."""
        shape = CacheShape.of(bot.model, bot.device)
        engine = self._engines.get(shape)
        if engine is None:
            s = self.settings
            engine = DecodeEngine(
                bot,
                slots=s.max_batch_size,
                max_waiting=s.replica_max_ongoing(),
                prefill_tokens=s.prefill_tokens,
                interval_s=s.stream_interval_s,
                weights_lock=self._weights_lock,
                admit_wait_s=s.batch_wait_timeout_s,
                on_step=observe_step,
                meter=EngineMeter(),
            )
            engine.start()
            replica_log.info("engine started: %s", engine.describe())
            self._engines[shape] = engine
        return engine

    async def _events(
        self, spec: GenerationSpec, model_id: str, stream: bool
    ) -> AsyncIterator[GenerationEvent]:
        """The spec's events from the engine, until its `done`; cancelled if the caller stops."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[GenerationEvent | Exception] = asyncio.Queue()

        def on_event(event: GenerationEvent | Exception) -> None:  # in the loop's thread
            loop.call_soon_threadsafe(queue.put_nowait, event)

        queued = ExitStack()  # murmur_queue_length until its first text (serving.request_metrics)
        queued.enter_context(waiting(spec))
        try:
            bot = await self._bot(model_id)
            submission = self._engine(bot).submit(bot, spec, on_event, stream)
        except BaseException:
            queued.close()
            raise
        self._busy[model_id] += 1
        try:
            while True:
                event = await queue.get()
                queued.close()
                if isinstance(event, Exception):
                    raise event
                yield event
                if event.done:
                    return
        finally:
            queued.close()
            self._busy[model_id] -= 1
            if not submission.done:  # the client went away (or timed out): free its rows now
                submission.cancel()


ModelServerDeployment = serve.deployment(name="ModelServer")(ModelServer)
