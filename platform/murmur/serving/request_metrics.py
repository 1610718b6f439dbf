"""The endpoint's metrics as it records them: requests by model and status (the ingress's ASGI
middleware), tokens generated, the engine's rows and bots per decode step, its slots (used and
occupancy), active rows, rows admitted and finished, tokens by phase and time to first token,
the queue, model loads and evictions. Every metric is defined once, in murmur.core.metrics
(`SERVING_METRICS`)."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter as Tally
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import TYPE_CHECKING, get_args

from murmur.core import metrics
from murmur.serving.events import GenerationResult, GenerationSpec, Route

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from murmur.serving.slot_rows import EngineStats

# The `model` of a request refused before a published model was found: 401, 404, an invalid
# request naming no published model (one naming a published model is counted under its name).
NO_MODEL = "(none)"
GENERATION_ROUTES: tuple[str, ...] = get_args(Route)  # the requests murmur_requests_total counts

_lock = threading.Lock()
_waiting: set[int] = set()  # id() of the specs in this replica waiting for their batch


def count_request(model: str, status: int) -> None:
    """One generation request answered with HTTP `status` (NO_MODEL where none was found)."""
    metrics.inc("murmur_requests_total", model=model, status=str(status))


def count_load(model: str, loaded: object) -> None:
    """A replica loaded `model` into `loaded`; its eviction will be counted too. Serve's
    `@serve.multiplexed` calls an evicted model's `__del__` attribute once, then replaces it
    (ray/serve/multiplex.py, unload_model_lru), so one set on the object counts the eviction."""
    metrics.inc("murmur_model_loads_total", model=model)
    # The instance's attribute, not the class's: the garbage collector never calls it. An object
    # without a __dict__ takes none: its evictions go uncounted.
    with suppress(AttributeError):
        setattr(loaded, "__del__", lambda: count_eviction(model))  # noqa: B010


def count_eviction(model: str) -> None:
    """A replica evicted `model` from its memory."""
    metrics.inc("murmur_model_evictions_total", model=model)


@contextmanager
def waiting(spec: GenerationSpec) -> Iterator[None]:
    """Count `spec` in murmur_queue_length from now until it leaves the context: the replica
    leaves it at the spec's first text, or however it ends (a cancelled request leaves too)."""
    with _lock:
        _waiting.add(id(spec))
        length = len(_waiting)
    metrics.set_gauge("murmur_queue_length", length)
    try:
        yield
    finally:
        with _lock:
            _waiting.discard(id(spec))
            length = len(_waiting)
        metrics.set_gauge("murmur_queue_length", length)


def observe_step(rows: int, bots: int) -> None:
    """One decode step of an engine ran `rows` rows (sequences) of `bots` distinct bots
    (murmur_batch_size, murmur_batch_models: the engine's batch is its step)."""
    if (size := metrics.get_metric("murmur_batch_size")) is not None:
        size.observe(rows)
    if (distinct := metrics.get_metric("murmur_batch_models")) is not None:
        distinct.observe(bots)


class EngineMeter:
    """An engine's state as metrics, called by its loop after every iteration (and every
    `DecodeEngine.heartbeat_s` while idle), recording at most every `interval_s`:
    murmur_kv_slots_used, murmur_kv_slot_occupancy, murmur_engine_rows and (this replica's)
    murmur_queue_length; murmur_engine_tokens_total by phase and murmur_engine_rows_total by
    event, from the running totals in `stats`; murmur_ttft_seconds (each request's, once).

    Every call re-sets the gauges, busy or not: Ray 2.60's worker exports a gauge only in a
    report interval (10 s) in which it was set, and its metrics agent drops a gauge not refreshed
    for two intervals (ray/_private/telemetry/open_telemetry_metric_recorder.py,
    `_resolve_gauge_ttl_seconds`), so a gauge set once vanishes from the scrape 20-30 s later.
    """

    def __init__(self, interval_s: float = 0.5) -> None:
        self.interval_s = interval_s
        self.last = -math.inf
        self.seen: Tally[str] = Tally()  # the totals recorded so far, by series
        self.ttfts = 0

    def __call__(
        self, stats: EngineStats, slots_used: int, slots: int, active_rows: int, force: bool = False
    ) -> None:
        """`stats`: the engine's counters (its `ttft_s` holds the latest TTFTs, of which the
        last `ttft_total - seen` are new); `slots_used` of its cache's `slots`; `active_rows`:
        rows decoding now; `force`: record now (the engine went idle, or its heartbeat)."""
        now = time.monotonic()
        if now - self.last < self.interval_s and not force:
            return
        self.last = now
        metrics.set_gauge("murmur_kv_slots_used", slots_used)
        metrics.set_gauge("murmur_kv_slot_occupancy", slots_used / slots if slots else 0.0)
        metrics.set_gauge("murmur_engine_rows", active_rows)
        with _lock:
            metrics.set_gauge("murmur_queue_length", len(_waiting))
        totals = {
            ("murmur_engine_tokens_total", "phase", "prefill"): stats.prefill_tokens,
            ("murmur_engine_tokens_total", "phase", "decode"): stats.decode_tokens,
            ("murmur_engine_rows_total", "event", "admitted"): stats.admitted,
            ("murmur_engine_rows_total", "event", "finished"): stats.finished,
        }
        for (name, label, value), total in totals.items():
            key = f"{name}{{{label}={value}}}"
            metrics.inc(name, total - self.seen[key], **{label: value})
            self.seen[key] = total
        new = min(stats.ttft_total - self.ttfts, len(stats.ttft_s))
        self.ttfts = stats.ttft_total
        if new > 0 and (ttft := metrics.get_metric("murmur_ttft_seconds")) is not None:
            for seconds in list(stats.ttft_s)[-new:]:
                ttft.observe(seconds)


def count_generated(models: Sequence[str], results: Sequence[GenerationResult]) -> None:
    """The tokens a batch generated (result i for `models[i]`), added up by model."""
    tokens: Tally[str] = Tally()
    for model, result in zip(models, results, strict=True):
        tokens[model] += result.completion_tokens
    for model, n in tokens.items():
        metrics.inc("murmur_generated_tokens_total", n, model=model)


# ---- the ingress: murmur_requests_total by model and status -------------------------------------
_request_model: ContextVar[list[str] | None] = ContextVar("murmur_request_model", default=None)


def name_request_model(model: str) -> None:
    """Label the current request's count with `model` (a published model's name): called where the
    ingress has found the model, so that names nobody published never become labels."""
    holder = _request_model.get()
    if holder is not None:
        holder[:] = [model]


class RequestMetrics:
    """ASGI middleware: counts each request to a generation route (GENERATION_ROUTES) by model
    and status once its answer has ended (a streamed one when its stream ends). Pure ASGI, not
    Starlette's BaseHTTPMiddleware, so streamed answers pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).endswith(GENERATION_ROUTES):
            await self.app(scope, receive, send)
            return
        holder: list[str] = []
        status = 500  # where the app raises before answering

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        token = _request_model.set(holder)
        try:
            await self.app(scope, receive, send_status)
        finally:
            _request_model.reset(token)
            count_request(holder[0] if holder else NO_MODEL, status)
