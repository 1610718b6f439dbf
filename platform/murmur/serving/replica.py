"""The model deployment: a replica loads models from the store on demand and generates.

Full models: `@serve.multiplexed` keeps up to `models_per_replica` loaded (LRU; the multiplexed
model id is `<name>@<version>`, murmur.serving.catalog), so Serve routes a request to a replica
holding its model and splits each batch by model id. LoRA bots (`<name>@<version>+lora`) carry no
multiplexed id: Serve routes them by load, and a replica keeps each base once with its adapters
resident by the thousand within `adapter_memory_mb` (murmur.serving.adapters). `@serve.batch`
gathers the pending requests, each with its model id; the bots of one batch that share a base run
as rows of the same `generate` calls (murmur.serving.batching.generate_mixed).

A bot that cannot be loaded fails its own requests only: its error takes the place of their
answers, and `generate` raises it (the ingress maps it to 404 or 500).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, cast

from ray import serve

from murmur.core.store import Store
from murmur.serving.adapters import AdapterCache
from murmur.serving.batching import generate_mixed
from murmur.serving.catalog import is_adapter_id, split_model_id
from murmur.serving.events import GenerationEvent, GenerationJob, GenerationResult, count_rows
from murmur.serving.loading import LoadedModel, load_model
from murmur.serving.request_metrics import count_generated, count_load, observe_batch, waiting
from murmur.serving.settings import ServeSettings

replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs

Bots = dict[str, LoadedModel | Exception]  # model id -> the bot in memory, or why it is not


class ModelServer:
    """Loads models from the store on demand and generates for batches of requests."""

    def __init__(self, settings: dict[str, Any]) -> None:
        import torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.settings = s = ServeSettings.model_validate(settings)
        store = Store(s.store)
        use_gpu = s.num_gpus > 0 and torch.cuda.is_available()
        device = "cuda" if use_gpu else "cpu"
        # One generating thread: `generate` calls (and adapter loads) take turns on the replica.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate")
        self.adapters = AdapterCache(store, device, s.dtype, s.adapter_memory_mb)
        self.batch_bots: Counter[tuple[str, int]] = Counter()  # (kind, distinct bots) -> batches

        async def load(model_id: str) -> LoadedModel:
            name, version = split_model_id(model_id)
            lm = await asyncio.to_thread(load_model, store, name, version, device, s.dtype)
            replica_log.info("loaded %s on %s in %.2f s", model_id, device, lm.load_seconds)
            count_load(
                name, lm
            )  # murmur_model_loads_total, and its eviction (serving.request_metrics)
            return lm

        # Wrapped here rather than decorated, so that their sizes are settings.
        self._get_model = serve.multiplexed(max_num_models_per_replica=s.models_per_replica)(load)
        batch = serve.batch(
            max_batch_size=s.max_batch_size,
            batch_wait_timeout_s=s.batch_wait_timeout_s,
            batch_size_fn=count_rows,
        )
        # (serve.batch takes several arguments, and async generators too; its type hints say
        # neither.)
        self._complete_batch: Callable[[GenerationJob, str], Awaitable[Any]] = cast(Any, batch)(
            self._complete
        )
        self._stream_batch: Callable[[GenerationJob, str], AsyncIterator[Any]] = cast(Any, batch)(
            self._stream
        )

    async def generate(self, job: GenerationJob, model_id: str = "") -> GenerationResult:
        """A whole answer; the request waits in a batch with the others. `model_id`: the
        catalog's id (by default the request's multiplexed model id)."""
        with waiting(job):  # murmur_queue_length (serving.request_metrics)
            result = await self._complete_batch(job, model_id or serve.get_multiplexed_model_id())
        if isinstance(result, Exception):
            raise result
        return cast(GenerationResult, result)

    async def generate_stream(
        self, job: GenerationJob, model_id: str = ""
    ) -> AsyncIterator[GenerationEvent]:
        """The answer as it is generated: events every `stream_interval_s`, the last `done`."""
        with waiting(job):  # murmur_queue_length (serving.request_metrics)
            async for event in self._stream_batch(
                job, model_id or serve.get_multiplexed_model_id()
            ):
                if isinstance(event, Exception):
                    raise event
                yield event

    def stats(self) -> dict[str, Any]:
        """This replica's id, its LoRA residency (AdapterCache.stats) and how many batches held
        how many distinct bots (`batches`: "<kind> <bots>" -> batches; kind lora or full)."""
        batches = {f"{kind} {bots}": n for (kind, bots), n in sorted(self.batch_bots.items())}
        replica = serve.get_replica_context().replica_id.unique_id
        return {"replica": replica, **self.adapters.stats(), "batches": batches}

    async def _full_models(self, model_ids: list[str]) -> Bots:
        """The full models among `model_ids`, through Serve's multiplexed LRU."""
        out: Bots = {}
        for model_id in dict.fromkeys(m for m in model_ids if not is_adapter_id(m)):
            try:
                out[model_id] = await self._get_model(model_id)
            except Exception as e:  # this model's requests fail, the batch's others go on
                out[model_id] = e
        return out

    def _run(
        self,
        jobs: list[GenerationJob],
        model_ids: list[str],
        full: Bots,
        on_events: Callable[[list[Any]], None] | None = None,
        interval_s: float = math.inf,
    ) -> list[GenerationResult | Exception]:
        """Generate for a batch (job j for `model_ids[j]`), in the generating thread: LoRA bots
        are loaded here, between generate calls, so no load or eviction meets a running call."""
        bots = full | self.adapters.bots([m for m in model_ids if is_adapter_id(m)])
        failed = {j for j, m in enumerate(model_ids) if isinstance(bots[m], Exception)}
        ok = [j for j in range(len(jobs)) if j not in failed]
        if failed and on_events is not None:  # the errors go out first
            on_events(
                [bots[m] if j in failed else GenerationEvent() for j, m in enumerate(model_ids)]
            )

        def forward(events: list[GenerationEvent]) -> None:
            assert on_events is not None
            whole: list[Any] = [GenerationEvent(done=True)] * len(jobs)
            for j, event in zip(ok, events, strict=True):
                whole[j] = event
            on_events(whole)

        names = [split_model_id(model_ids[j])[0] for j in ok]
        observe_batch(
            names, [jobs[j] for j in ok]
        )  # murmur_batch_size, _models (serving.request_metrics)
        self._tally(model_ids, ok)
        answers = generate_mixed(
            [cast(LoadedModel, bots[model_ids[j]]) for j in ok],
            [jobs[j] for j in ok],
            forward if on_events is not None else None,
            interval_s,
        )
        count_generated(names, answers)  # murmur_generated_tokens_total (serving.request_metrics)
        out: list[GenerationResult | Exception] = [cast(Exception, bots[m]) for m in model_ids]
        for j, answer in zip(ok, answers, strict=True):
            out[j] = answer
        return out

    def _tally(self, model_ids: list[str], ok: list[int]) -> None:
        for kind, lora in (("lora", True), ("full", False)):
            distinct = {model_ids[j] for j in ok if is_adapter_id(model_ids[j]) == lora}
            if distinct:
                self.batch_bots[kind, len(distinct)] += 1

    async def _complete(
        self, jobs: list[GenerationJob], model_ids: list[str]
    ) -> list[GenerationResult | Exception]:
        full = await self._full_models(model_ids)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, jobs, model_ids, full)

    async def _stream(
        self, jobs: list[GenerationJob], model_ids: list[str]
    ) -> AsyncIterator[list[Any]]:
        full = await self._full_models(model_ids)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[list[Any] | None] = asyncio.Queue()

        def on_events(events: list[Any]) -> None:  # in the generating thread
            loop.call_soon_threadsafe(queue.put_nowait, events)

        interval = self.settings.stream_interval_s
        run = partial(self._run, jobs, model_ids, full, on_events, interval)
        future = loop.run_in_executor(self._executor, run)
        future.add_done_callback(lambda _: queue.put_nowait(None))
        done = [False] * len(jobs)
        while (events := await queue.get()) is not None:
            # One item per request; StopIteration ends the stream of a request already done.
            out: list[Any] = []
            for i, event in enumerate(events):
                out.append(StopIteration if done[i] else event)
                done[i] = done[i] or isinstance(event, Exception) or event.done
            yield out
        await future  # raises what generation raised


ModelServerDeployment = serve.deployment(name="ModelServer")(ModelServer)
