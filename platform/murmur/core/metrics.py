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
from dataclasses import dataclass
from typing import Any, Literal

PROMETHEUS_PREFIX = "ray_"  # what Ray 2.60 puts before an application metric's name


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
        "Rows (sequences) in one decode step of a replica's engine",
        boundaries=COUNT_BUCKETS,
    ),
    "murmur_batch_models": MetricSpec(
        "histogram", "Distinct models (bots) in a replica's batch", boundaries=COUNT_BUCKETS[:8]
    ),
    "murmur_queue_length": MetricSpec(
        "gauge", "Requests in a model replica waiting for their batch to start generating"
    ),
    "murmur_kv_slots_used": MetricSpec(
        "gauge", "KV-cache slots (rows) a replica's engine holds now, of its max_batch_size"
    ),
    "murmur_kv_slot_occupancy": MetricSpec(
        "gauge", "Fraction of a replica's engine's KV-cache slots in use now (used / slots)"
    ),
    "murmur_engine_rows": MetricSpec(
        "gauge", "Rows (one per choice) in a replica's engine's decode steps now"
    ),
    "murmur_engine_rows_total": MetricSpec(
        "counter",
        "Rows (one per choice) a replica's engine admitted into KV slots or finished, by event; "
        "per decode step: divide by the rate of murmur_batch_size_count",
        ("event",),
    ),
    "murmur_engine_tokens_total": MetricSpec(
        "counter",
        "Tokens a replica's engine ran, by phase: prefill (prompts) or decode (generated)",
        ("phase",),
    ),
    "murmur_ttft_seconds": MetricSpec(
        "histogram",
        "Seconds from a request reaching the engine to its first generated token",
        boundaries=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0),
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


def get_metric(name: str) -> Any:
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


def inc(name: str, value: float = 1.0, **tags: str) -> None:
    """Add `value` (> 0) to counter `name`, with `tags` as its labels; nothing without Ray."""
    if (metric := get_metric(name)) is not None and value > 0:
        metric.inc(value, tags=tags or None)


def set_gauge(name: str, value: float) -> None:
    """Set gauge `name` to `value`; nothing without Ray."""
    if (metric := get_metric(name)) is not None:
        metric.set(value)


# ---- training -----------------------------------------------------------------------------------
def count_published(tokens_per_s: float) -> None:
    """A trainer published a model it trained at `tokens_per_s` (training tokens per second)."""
    inc("murmur_accounts_published_total")
    set_gauge("murmur_train_tokens_per_second", tokens_per_s)
