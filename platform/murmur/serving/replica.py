"""The model deployment: a replica loads models from the store on demand and generates.

`@serve.multiplexed` keeps up to `models_per_replica` models loaded (LRU; the multiplexed model id
is `<name>@<version>`, murmur.serving.catalog) and `@serve.batch` runs the pending requests of one
model together (murmur.serving.batching); Serve splits a batch by model id, so one batch is one
model's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, cast

from ray import serve

from murmur.models.store import Store
from murmur.serving.batching import generate_batch
from murmur.serving.events import GenerationEvent, GenerationJob, GenerationResult, count_rows
from murmur.serving.loading import LoadedModel, load_model
from murmur.serving.settings import ServeSettings

replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs


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
        # One generating thread: `generate` calls take turns on the replica's CPUs or GPU.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate")

        async def load(model_id: str) -> LoadedModel:
            name, _, version = model_id.partition("@")
            lm = await asyncio.to_thread(load_model, store, name, version, device, s.dtype)
            replica_log.info("loaded %s on %s in %.2f s", model_id, device, lm.load_seconds)
            return lm

        # Wrapped here rather than decorated, so that their sizes are settings.
        self._get_model = serve.multiplexed(max_num_models_per_replica=s.models_per_replica)(load)
        batch = serve.batch(
            max_batch_size=s.max_batch_size,
            batch_wait_timeout_s=s.batch_wait_timeout_s,
            batch_size_fn=count_rows,
        )
        self._complete_batch = batch(self._complete)
        # (serve.batch takes async generators too; its type hints do not say so.)
        self._stream_batch: Callable[[GenerationJob], AsyncIterator[GenerationEvent]] = cast(
            Any, batch
        )(self._stream)

    async def generate(self, job: GenerationJob) -> GenerationResult:
        """A whole answer; the request waits in a batch with the others for its model."""
        return await self._complete_batch(job)

    async def generate_stream(self, job: GenerationJob) -> AsyncIterator[GenerationEvent]:
        """The answer as it is generated: events every `stream_interval_s`, the last `done`."""
        async for event in self._stream_batch(job):
            yield event

    async def _complete(self, jobs: list[GenerationJob]) -> list[GenerationResult]:
        model = await self._get_model(serve.get_multiplexed_model_id())
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, generate_batch, model, jobs)

    async def _stream(self, jobs: list[GenerationJob]) -> AsyncIterator[list[Any]]:
        model = await self._get_model(serve.get_multiplexed_model_id())
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[list[GenerationEvent] | None] = asyncio.Queue()

        def on_events(events: list[GenerationEvent]) -> None:  # in the generating thread
            loop.call_soon_threadsafe(queue.put_nowait, events)

        run = partial(generate_batch, model, jobs, on_events, self.settings.stream_interval_s)
        future = loop.run_in_executor(self._executor, run)
        future.add_done_callback(lambda _: queue.put_nowait(None))
        done = [False] * len(jobs)
        while (events := await queue.get()) is not None:
            # One item per request; StopIteration ends the stream of a request already done.
            out: list[Any] = []
            for i, event in enumerate(events):
                out.append(StopIteration if done[i] else event)
                done[i] = done[i] or event.done
            yield out
        await future  # raises what generation raised


ModelServerDeployment = serve.deployment(name="ModelServer")(ModelServer)
