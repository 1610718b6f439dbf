"""murmur's endpoint as bench/serve_load.py meets it: started on this process's Ray with its
defaults, loaded over HTTP by closed-loop clients (some streaming), and its replica's own figures.

The replica's `stats` (ModelServer.stats) hold its engines' `stats()` (murmur.serving.decode_loop:
cumulative steps, iterations, mean active rows, mean occupancy, distinct bots per step); a run's
mean active rows, distinct bots per step and slot occupancy come from their values before and
after it. A server without engines reports none of them (n/a).
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
import time
from typing import Any

import httpx
from serve_ways import DrawFeed, Sample

from murmur.core.generation import NUM_SEQUENCES, TEMPERATURE, TOP_P


async def http_load(
    url: str, feed: DrawFeed, clients: int, streamers: int, duration_s: float
) -> tuple[list[Sample], float, dict[str, str]]:
    """`clients` clients sending huggingtweets' request (with the draw's seed) one after
    another until `duration_s` is up, the first `streamers` of them streaming. Returns the
    samples, the seconds until the last answer, and the first error text of each status."""
    samples: list[Sample] = []
    said: dict[str, str] = {}
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
                status, tokens, first, error = await _ask(http, body, sent, stream)
            except httpx.HTTPError as e:
                status, tokens, first, error = 0, 0, None, f"{type(e).__name__}: {e}"
            latency = time.perf_counter() - sent
            if error:
                said.setdefault(str(status), error[:300])
            samples.append(Sample(draw.bot, status, latency, tokens, first, stream))

    start = time.perf_counter()
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(http, i < streamers) for i in range(clients)))
    return samples, time.perf_counter() - start, said


async def _ask(
    http: httpx.AsyncClient, body: dict[str, Any], sent: float, stream: bool
) -> tuple[int, int, float | None, str]:
    """(status, completion tokens, seconds from `sent` to the first text where streamed, the
    error's text or "") of one request."""
    if not stream:
        r = await http.post("/v1/completions", json=body)
        if r.status_code != 200:
            return r.status_code, 0, None, r.text
        return 200, r.json()["usage"]["completion_tokens"], None, ""
    body = body | {"stream": True, "stream_options": {"include_usage": True}}
    first, tokens = None, 0
    async with http.stream("POST", "/v1/completions", json=body) as r:
        if r.status_code != 200:
            return r.status_code, 0, None, (await r.aread()).decode(errors="replace")
        async for line in r.aiter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line.removeprefix("data: "))
            if "error" in chunk:
                return 500, 0, None, json.dumps(chunk["error"])
            if first is None and any(c.get("text") for c in chunk.get("choices") or []):
                first = time.perf_counter() - sent
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    return 200, tokens, first, ""


_handle_loop: asyncio.AbstractEventLoop | None = None


def replica_stats(app: str) -> dict[str, Any]:
    """The model replica's own `stats` (one replica here). Awaited in one event loop of the
    bench's own, in a thread: with RAY_SERVE_THROUGHPUT_OPTIMIZED=1 a handle's router runs in the
    caller's loop (RAY_SERVE_RUN_ROUTER_IN_SEPARATE_LOOP=0) and stays bound to it, so
    `.result()` outside a loop, or a second `asyncio.run`, fails."""
    global _handle_loop
    from ray import serve

    if _handle_loop is None:
        _handle_loop = asyncio.new_event_loop()
        threading.Thread(target=_handle_loop.run_forever, daemon=True).start()

    async def ask() -> dict[str, Any]:
        handle = serve.get_deployment_handle("ModelServer", app_name=app)
        answer: dict[str, Any] = await handle.stats.remote()
        return answer

    return asyncio.run_coroutine_threadsafe(ask(), _handle_loop).result()


def engine_totals(engines: list[dict[str, Any]]) -> dict[str, float]:
    """Cumulative counters summed over engines' `stats()` (murmur.serving.decode_loop): steps,
    iterations, row_steps (active rows summed over steps), bot_steps (distinct bots summed over
    steps), occupancy_sum (slot occupancy summed over iterations) and slots."""
    out = dict.fromkeys(("steps", "iterations", "row_steps", "bot_steps", "occupancy_sum"), 0.0)
    out["slots"] = 0.0
    for e in engines:
        out["steps"] += e["steps"]
        out["iterations"] += e["iterations"]
        out["row_steps"] += e["mean_active_rows"] * e["steps"]
        out["occupancy_sum"] += e["mean_occupancy"] * e["iterations"]
        out["bot_steps"] += sum(int(k.split()[1]) * n for k, n in e["bots_per_step"].items())
        out["slots"] += e["slots"]
    return out


def server_figures(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What the server reports of a run, from its stats before and after (a replica's `stats`,
    whose `engines` are its engines' `stats()`; or {"engines": [engine.stats()]}): mean active
    rows and distinct bots per decode step, mean slot occupancy; None for a server without."""
    a, b = engine_totals(after.get("engines") or []), engine_totals(before.get("engines") or [])
    steps, iterations = a["steps"] - b["steps"], a["iterations"] - b["iterations"]
    if steps <= 0 or iterations <= 0:
        return {"active_rows": None, "bots_per_step": None, "occupancy": None, "slots": None}
    return {
        "active_rows": (a["row_steps"] - b["row_steps"]) / steps,
        "bots_per_step": (a["bot_steps"] - b["bot_steps"]) / steps,
        "occupancy": (a["occupancy_sum"] - b["occupancy_sum"]) / iterations,
        "slots": a["slots"],
    }


def rows_in_flight(samples: list[Sample], seconds: float) -> float:
    """Rows the clients had in flight on average (Little's law: n rows per request times its
    latency, over the run): an upper bound on active rows, since a request's rows count while
    they wait for slots and after they end, until its last row does."""
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


def endpoint_settings(
    store_uri: str, cpus: int, gpus: float = 0, threads: int | None = None
) -> dict[str, Any]:
    """The endpoint's settings: its defaults, one replica of `cpus` CPUs and `gpus` GPUs (and
    `threads` torch threads: default its CPUs), a 120 s timeout."""
    from murmur.serving import ServeSettings

    settings = ServeSettings(store=store_uri, num_cpus=cpus, num_gpus=gpus, request_timeout_s=120,
                             torch_threads=threads)  # fmt: skip
    return settings.model_dump()


def start_endpoint(settings: dict[str, Any]) -> str:
    """murmur's endpoint with `settings` on this process's Ray: its URL."""
    from murmur.serving import ServeSettings, start_local

    return start_local(ServeSettings(**settings), port=free_port(), name="bench")


def warm_endpoint(url: str, bots: list[str]) -> float:
    """Each bot asked for one token (its adapter loaded), before any measured run; seconds."""
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=300) as http:
        for bot in bots:
            http.post("/v1/completions", json={"model": bot, "prompt": "I like", "max_tokens": 1})
    return time.perf_counter() - start
