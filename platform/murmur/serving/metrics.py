"""murmur's own metrics, in Prometheus's format, exported by Ray's metrics agent on each node.

Every metric is defined here, once (`SERVING_METRICS`, `TRAINING_METRICS`); the endpoint and the
training job record them through the functions below. Ray 2.60 exports an application metric
`murmur_x` as `ray_murmur_x` (its Prometheus namespace is `ray`: ray/dashboard/modules/reporter/
reporter_agent.py), with Ray's own labels besides ours (WorkerId, NodeAddress, SessionName...):
`exported_name` gives the name to scrape, and the README's queries and the Grafana dashboard
(deploy/grafana/murmur.json) sum those labels away.

Ray serves them at each node's metrics export port: the one `murmur serve --metrics-port N` sets
when murmur starts Ray, `ray start --metrics-export-port N` on a cluster (`export_port` reads it).

A metric object is made in each process on first use, and only once that process is connected to
Ray: one made before `ray.init` is never exported, and making one here never starts Ray. Until
then (a generator run in-process, without Ray) recording does nothing.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter as Tally
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from murmur.serving.events import GenerationJob, GenerationResult, Route, count_rows

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROMETHEUS_PREFIX = "ray_"  # what Ray 2.60 puts before an application metric's name
# The `model` of a request refused before a published model was found: 401, 404, an invalid
# request naming no published model (one naming a published model is counted under its name).
NO_MODEL = "(none)"
GENERATION_ROUTES: tuple[str, ...] = get_args(Route)  # the requests murmur_requests_total counts


@dataclass(frozen=True)
class MetricSpec:
    """One metric: its kind, its help text, its labels and (histograms) its bucket bounds."""

    kind: Literal["counter", "gauge", "histogram"]
    description: str
    tags: tuple[str, ...] = ()
    boundaries: tuple[float, ...] = ()


# Bucket bounds for counts (sequences, models). Ray 2.60 re-records each observation at its
# bucket's midpoint (ray/_private/telemetry/open_telemetry_metric_recorder.py), so bounds halfway
# between integers keep 1 to 4 exact in the `_sum` series (and larger counts near).
COUNT_BUCKETS = (0.5, 1.5, 2.5, 3.5, 4.5, 8.5, 16.5, 32.5, 64.5, 128.5, 256.5)

SERVING_METRICS: dict[str, MetricSpec] = {
    "murmur_requests_total": MetricSpec(
        "counter",
        "Generation requests (completions, chat completions, /generate) by model and HTTP status",
        ("model", "status"),
    ),
    "murmur_generated_tokens_total": MetricSpec(
        "counter", "Tokens generated, end-of-text tokens included, by model", ("model",)
    ),
    "murmur_batch_size": MetricSpec(
        "histogram",
        "Sequences a replica generates together: its batch's choices, as max_batch_size counts",
        boundaries=COUNT_BUCKETS,
    ),
    "murmur_batch_models": MetricSpec(
        "histogram", "Distinct models (bots) in a replica's batch", boundaries=COUNT_BUCKETS[:8]
    ),
    "murmur_queue_length": MetricSpec(
        "gauge", "Requests in a model replica waiting for their batch to start generating"
    ),
    "murmur_model_loads_total": MetricSpec(
        "counter", "Models loaded into a replica's memory, by model", ("model",)
    ),
    "murmur_model_evictions_total": MetricSpec(
        "counter",
        "Models evicted from a replica's memory (least recently used), by model",
        ("model",),
    ),
}
TRAINING_METRICS: dict[str, MetricSpec] = {
    "murmur_accounts_published_total": MetricSpec(
        "counter", "Models (one account's, or up to three combined) trained and published"
    ),
    "murmur_train_tokens_per_second": MetricSpec(
        "gauge", "Training tokens/s of the model each trainer published last"
    ),
}
METRICS = {**SERVING_METRICS, **TRAINING_METRICS}


def exported_name(name: str) -> str:
    """The name Prometheus scrapes for metric `name` (`murmur_x` -> `ray_murmur_x`)."""
    return PROMETHEUS_PREFIX + name


def export_port() -> int:
    """The metrics export port of this process's Ray node (Prometheus scrapes /metrics there).
    Needs a connected Ray."""
    import ray

    here = ray.get_runtime_context().get_node_id()
    node = next(n for n in ray.nodes() if n["NodeID"] == here)
    return int(node["MetricsExportPort"])


_lock = threading.Lock()
_made: dict[str, Any] = {}
_waiting: set[int] = set()  # id() of the jobs in this replica waiting for their batch


def _metric(name: str) -> Any:
    """This process's Ray metric `name`, made on first use; None without a connected Ray."""
    ray = sys.modules.get("ray")  # not imported: certainly not connected
    if ray is None or not ray.is_initialized():
        return None
    with _lock:
        if name not in _made:
            from ray.util import metrics

            spec = METRICS[name]
            if spec.kind == "counter":
                _made[name] = metrics.Counter(name, spec.description, spec.tags)
            elif spec.kind == "gauge":
                _made[name] = metrics.Gauge(name, spec.description, spec.tags)
            else:
                _made[name] = metrics.Histogram(
                    name, spec.description, list(spec.boundaries), spec.tags
                )
        return _made[name]


def _inc(name: str, value: float = 1.0, **tags: str) -> None:
    if (metric := _metric(name)) is not None and value > 0:
        metric.inc(value, tags=tags or None)


def _set(name: str, value: float) -> None:
    if (metric := _metric(name)) is not None:
        metric.set(value)


# ---- serving ------------------------------------------------------------------------------------
def count_request(model: str, status: int) -> None:
    """One generation request answered with HTTP `status` (NO_MODEL where none was found)."""
    _inc("murmur_requests_total", model=model, status=str(status))


def count_load(model: str, loaded: object) -> None:
    """A replica loaded `model` into `loaded`; its eviction will be counted too. Serve's
    `@serve.multiplexed` calls an evicted model's `__del__` attribute once, then replaces it
    (ray/serve/multiplex.py, unload_model_lru), so one set on the object counts the eviction."""
    _inc("murmur_model_loads_total", model=model)
    # The instance's attribute, not the class's: the garbage collector never calls it. An object
    # without a __dict__ takes none: its evictions go uncounted.
    with suppress(AttributeError):
        setattr(loaded, "__del__", lambda: count_eviction(model))  # noqa: B010


def count_eviction(model: str) -> None:
    """A replica evicted `model` from its memory."""
    _inc("murmur_model_evictions_total", model=model)


@contextmanager
def waiting(job: GenerationJob) -> Iterator[None]:
    """Count `job` in murmur_queue_length from now until its batch starts (`observe_batch`), or
    until it ends however it ends (a cancelled request leaves the queue too)."""
    with _lock:
        _waiting.add(id(job))
        length = len(_waiting)
    _set("murmur_queue_length", length)
    try:
        yield
    finally:
        with _lock:
            _waiting.discard(id(job))
            length = len(_waiting)
        _set("murmur_queue_length", length)


def observe_batch(models: Sequence[str], jobs: Sequence[GenerationJob]) -> None:
    """A batch of `jobs` (job i for `models[i]`) starts generating: its size in sequences, its
    distinct models, and its jobs leave the queue."""
    with _lock:
        _waiting.difference_update(id(job) for job in jobs)
        length = len(_waiting)
    _set("murmur_queue_length", length)
    if (size := _metric("murmur_batch_size")) is not None:
        size.observe(count_rows(list(jobs)))
    if (distinct := _metric("murmur_batch_models")) is not None:
        distinct.observe(len(set(models)))


def count_generated(models: Sequence[str], results: Sequence[GenerationResult]) -> None:
    """The tokens a batch generated (result i for `models[i]`), added up by model."""
    tokens: Tally[str] = Tally()
    for model, result in zip(models, results, strict=True):
        tokens[model] += result.completion_tokens
    for model, n in tokens.items():
        _inc("murmur_generated_tokens_total", n, model=model)


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


# ---- training -----------------------------------------------------------------------------------
def count_published(tokens_per_s: float) -> None:
    """A trainer published a model it trained at `tokens_per_s` (training tokens per second)."""
    _inc("murmur_accounts_published_total")
    _set("murmur_train_tokens_per_second", tokens_per_s)
