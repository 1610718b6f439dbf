"""murmur's serving engine in this process (no Ray, no HTTP), for bench/serve_load.py's `engine`
way: the bots loaded as a replica loads them (murmur.serving.adapters.AdapterCache over the
catalog's model ids), one `DecodeEngine` (murmur.serving.decode_loop) over their base with the
endpoint's settings, and closed-loop client threads submitting huggingtweets' request.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from serve_ways import DrawFeed, Sample

from murmur.core.generation import MIN_LENGTH, NUM_SEQUENCES, TEMPERATURE, TOP_P
from murmur.core.store import Store

WAIT_S = 120.0  # the longest a client waits for an answer (the endpoint's request timeout)


class EngineWay:
    """The engine over `bots` (LoRA bots of one base in `store`), started in its own thread with
    `settings` (ServeSettings' fields as a dict: slots, queue, prefill, stream interval)."""

    def __init__(
        self, store: Store, bots: list[str], settings: dict[str, Any], device: str = "cpu"
    ) -> None:
        from murmur.serving.adapters import AdapterCache
        from murmur.serving.catalog import Catalog
        from murmur.serving.decode_loop import DecodeEngine

        catalog = Catalog(store, 0)
        ids = {bot: catalog.model_id(bot) for bot in bots}
        cache = AdapterCache(store, device, settings["dtype"], settings["adapter_memory_mb"])
        found = cache.bots(list(ids.values()))
        failed = {bot: found[i] for bot, i in ids.items() if isinstance(found[i], Exception)}
        if failed:
            raise SystemExit(f"error: the engine cannot load {failed}")
        self.bots: dict[str, Any] = {bot: found[i] for bot, i in ids.items()}
        self.engine = DecodeEngine(
            next(iter(self.bots.values())),
            slots=settings["max_batch_size"],
            prefill_tokens=settings.get("prefill_tokens", 1024),
            interval_s=settings["stream_interval_s"],
            admit_wait_s=settings.get("batch_wait_timeout_s", 0.0),
        )
        self.engine.start()

    def stats(self) -> dict[str, Any]:
        """In a replica's `stats` shape: {"engines": [the engine's stats()]}."""
        return {"engines": [self.engine.stats()]}

    def stop(self) -> None:
        self.engine.stop()

    def ask(self, bot: str, prompt: str, seed: int, stream: bool) -> Sample:
        """One request of huggingtweets' (as the endpoint makes it from the HTTP request), its
        answer awaited; the sample's TTFT is the first text's where `stream`."""
        from murmur.serving.events import GenerationSpec

        spec = GenerationSpec(prompt, n=NUM_SEQUENCES, min_length=MIN_LENGTH,
                            temperature=TEMPERATURE, top_p=TOP_P, seed=seed)  # fmt: skip
        done = threading.Event()
        got: dict[str, Any] = {"status": 200, "tokens": 0, "first": None}
        sent = time.perf_counter()

        def on_event(event: Any) -> None:
            if isinstance(event, Exception):
                got["status"] = 500
                done.set()
                return
            if got["first"] is None and any(d.text for d in event.deltas):
                got["first"] = time.perf_counter() - sent
            if event.done:
                got["tokens"], got["status"] = event.completion_tokens, 422 if event.error else 200
                done.set()

        try:
            self.engine.submit(self.bots[bot], spec, on_event, stream=stream)
        except Exception:  # EngineOverloaded: the endpoint's 503
            return Sample(bot, 503, time.perf_counter() - sent, 0, None, stream)
        if not done.wait(WAIT_S):
            got["status"] = 504
        first = got["first"] if stream else None
        return Sample(bot, got["status"], time.perf_counter() - sent, got["tokens"], first, stream)

    def load(
        self, feed: DrawFeed, clients: int, streamers: int, duration_s: float
    ) -> tuple[list[Sample], float]:
        """`clients` threads asking one request after another until `duration_s` is up, the
        first `streamers` streaming; the samples and the seconds until the last answer."""
        samples: list[Sample] = []
        start = time.perf_counter()
        deadline = start + duration_s

        def client(stream: bool) -> None:
            while time.perf_counter() < deadline:
                draw = feed.take()
                samples.append(self.ask(draw.bot, draw.prompt, draw.seed, stream))

        threads = [threading.Thread(target=client, args=(i < streamers,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return samples, time.perf_counter() - start
