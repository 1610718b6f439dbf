"""murmur's endpoint as bench/serve_load.py meets it: started on this process's Ray with its
defaults, loaded over HTTP by closed-loop clients (some streaming), and its replica's own figures.

The replica's `stats` (ModelServer.stats) give, where the serving engine reports them, cumulative
`engine` counters: `steps` (decode steps run), `row_steps` (active rows summed over those steps),
`bot_steps` (distinct bots summed over those steps) and `slots` (rows the KV cache holds); a run's
mean active rows, distinct bots per step and slot occupancy are their differences over the run.
Today's static batching reports `batches` ("<kind> <bots>" -> batches) instead.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import time
from collections import Counter
from typing import Any

import httpx
from serve_ways import DrawFeed, Sample

from murmur.core.generation import NUM_SEQUENCES, TEMPERATURE, TOP_P


async def http_load(
    url: str, feed: DrawFeed, clients: int, streamers: int, duration_s: float
) -> tuple[list[Sample], float]:
    """`clients` clients sending huggingtweets' request (with the draw's seed) one after
    another until `duration_s` is up, the first `streamers` of them streaming."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + duration_s

    async def client(http: httpx.AsyncClient, stream: bool) -> None:
        while time.perf_counter() < deadline:
            draw = feed.take()
            body = {
                "model": draw.bot,
                "prompt": draw.prompt,
                "n": NUM_SEQUENCES,
                "temperature": TEMPERATURE,
                "top_p": TOP_P,
                "seed": draw.seed,
            }
            sent = time.perf_counter()
            try:
                if stream:
                    status, tokens, first = await _streamed(http, body, sent)
                else:
                    r = await http.post("/v1/completions", json=body)
                    status, first = r.status_code, None
                    tokens = r.json()["usage"]["completion_tokens"] if status == 200 else 0
            except httpx.HTTPError:
                status, tokens, first = 0, 0, None
            latency = time.perf_counter() - sent
            samples.append(Sample(draw.bot, status, latency, tokens, first, stream))

    start = time.perf_counter()
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(http, i < streamers) for i in range(clients)))
    return samples, time.perf_counter() - start


async def _streamed(
    http: httpx.AsyncClient, body: dict[str, Any], sent: float
) -> tuple[int, int, float | None]:
    """(status, completion tokens, seconds from `sent` to the first text) of a streamed ask."""
    body = body | {"stream": True, "stream_options": {"include_usage": True}}
    first, tokens = None, 0
    async with http.stream("POST", "/v1/completions", json=body) as r:
        if r.status_code != 200:
            await r.aread()
            return r.status_code, 0, None
        async for line in r.aiter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line.removeprefix("data: "))
            if "error" in chunk:
                return 500, 0, None
            if first is None and any(c.get("text") for c in chunk.get("choices") or []):
                first = time.perf_counter() - sent
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    return 200, tokens, first


def replica_stats(app: str) -> dict[str, Any]:
    """The model replica's own `stats` (one replica here)."""
    from ray import serve

    result: dict[str, Any] = (
        serve.get_deployment_handle("ModelServer", app_name=app).stats.remote().result()
    )
    return result


def server_figures(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What the replica reports of a run, from its stats before and after: the engine's mean
    active rows, distinct bots per step and slot occupancy where it has them (None where not);
    today's static batches give distinct bots per batch instead."""
    engine_a, engine_b = after.get("engine") or {}, before.get("engine") or {}
    steps = engine_a.get("steps", 0) - engine_b.get("steps", 0)
    out: dict[str, Any] = {"active_rows": None, "bots_per_step": None, "occupancy": None}
    if steps > 0:
        rows = (engine_a["row_steps"] - engine_b["row_steps"]) / steps
        bots = (engine_a["bot_steps"] - engine_b["bot_steps"]) / steps
        out |= {"active_rows": rows, "bots_per_step": bots, "occupancy": rows / engine_a["slots"]}
    tally = Counter(after.get("batches", {})) - Counter(before.get("batches", {}))
    batches = sum(tally.values())
    if batches:
        bots = sum(int(key.split()[1]) * n for key, n in tally.items())
        out["bots_per_batch"] = bots / batches
    return out


def rows_in_flight(samples: list[Sample], seconds: float) -> float:
    """Rows the clients had in flight on average (Little's law: n rows per request times its
    latency, over the run): an upper bound on active rows, waiting rows included."""
    return sum(NUM_SEQUENCES * s.latency_s for s in samples if s.status == 200) / seconds


def free_port() -> int:
    """A free TCP port above 20000 (the machine's rule)."""
    rng = random.Random()
    for _ in range(100):
        port = rng.randrange(20_001, 60_000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("error: no free port above 20000")


def start_endpoint(store_uri: str, cpus: int) -> tuple[str, dict[str, Any]]:
    """murmur's endpoint (its defaults, one replica of `cpus` CPUs) on this process's Ray:
    its URL and its settings."""
    from murmur.serving import ServeSettings, start_local

    settings = ServeSettings(store=store_uri, num_cpus=cpus, request_timeout_s=120)
    return start_local(settings, port=free_port(), name="bench"), settings.model_dump()


def warm_endpoint(url: str, bots: list[str]) -> float:
    """Each bot asked for one token (its adapter loaded), before any measured run; seconds."""
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=300) as http:
        for bot in bots:
            http.post("/v1/completions", json={"model": bot, "prompt": "I like", "max_tokens": 1})
    return time.perf_counter() - start
