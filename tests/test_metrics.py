"""murmur's metrics (murmur.core.metrics, murmur.serving.request_metrics): the dashboard and README name what is exported,
the bookkeeping behind each metric, and, on the shared Ray, an endpoint's metrics with their
`model` label at the node's metrics port within 30 s."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from test_engine import Bots
from test_serve import free_port, publish_tiny

from murmur.core import metrics
from murmur.core.errors import ConfigError
from murmur.core.store import Store
from murmur.serving import ServeSettings, build_app, request_metrics
from murmur.serving.decode_loop import DecodeEngine
from murmur.serving.events import GenerationResult, GenerationSpec

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = REPO / "deploy" / "grafana" / "murmur.json"
HISTOGRAM_SERIES = re.compile(r"_(bucket|sum|count)$")
EXPORTED = {metrics.exported_name(name): spec for name, spec in metrics.METRICS.items()}


def _named(expr: str) -> set[str]:
    """The murmur metrics a PromQL query reads (a histogram's _bucket/_sum/_count as itself)."""
    found = set()
    for series in re.findall(r"\bray_murmur_[a-z_]+", expr):
        base = HISTOGRAM_SERIES.sub("", series)
        histogram = base in EXPORTED and EXPORTED[base].kind == "histogram"
        found.add(base if histogram else series)
    return found


def test_every_dashboard_panel_queries_exported_metrics() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    seen: set[str] = set()
    assert dashboard["panels"]
    for panel in dashboard["panels"]:
        names = set().union(*(_named(t["expr"]) for t in panel["targets"]))
        assert names, f"panel {panel['title']!r} queries no murmur metric"
        assert names <= set(EXPORTED), f"panel {panel['title']!r}: {names - set(EXPORTED)}"
        seen |= names
    assert seen == set(EXPORTED)  # and every metric has a panel


def test_the_readme_names_every_exported_metric() -> None:
    readme = (REPO / "README.md").read_text()
    assert {name for name in EXPORTED if f"`{name}" not in readme} == set()
    assert "--metrics-port" in readme and "scrape_configs" in readme


def test_exported_names_carry_rays_prefix() -> None:
    assert metrics.exported_name("murmur_queue_length") == "ray_murmur_queue_length"
    assert set(metrics.SERVING_METRICS) == {
        "murmur_requests_total",
        "murmur_generated_tokens_total",
        "murmur_batch_size",
        "murmur_batch_models",
        "murmur_queue_length",
        "murmur_kv_slots_used",
        "murmur_kv_slot_occupancy",
        "murmur_engine_rows",
        "murmur_engine_rows_total",
        "murmur_engine_tokens_total",
        "murmur_ttft_seconds",
        "murmur_model_loads_total",
        "murmur_model_evictions_total",
    }
    assert set(metrics.TRAINING_METRICS) == {
        "murmur_accounts_published_total",
        "murmur_train_tokens_per_second",
    }


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, dict[str, str]]]:
    """What the module records, as (metric, value, labels), instead of Ray's metrics."""
    out: list[tuple[str, Any, dict[str, str]]] = []
    monkeypatch.setattr(
        metrics, "inc", lambda name, value=1.0, **tags: out.append((name, value, tags))
    )
    monkeypatch.setattr(metrics, "set_gauge", lambda name, value: out.append((name, value, {})))
    return out


def test_requests_are_counted_by_model_and_status_on_generation_routes_only(
    recorded: list[tuple[str, Any, dict[str, str]]],
) -> None:
    async def found(request: Request) -> JSONResponse:
        request_metrics.name_request_model("alice")
        return JSONResponse({}, status_code=422)

    async def not_found(request: Request) -> JSONResponse:
        return JSONResponse({}, status_code=404)

    routes = [
        Route("/v1/completions", found, methods=["POST"]),
        Route("/generate", not_found, methods=["POST"]),
        Route("/v1/models", not_found),
    ]
    app = request_metrics.RequestMetrics(Starlette(routes=routes))

    async def calls() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.post("/v1/completions")).status_code == 422
            assert (await client.post("/generate")).status_code == 404
            assert (await client.get("/v1/models")).status_code == 404

    asyncio.run(calls())
    assert recorded == [
        ("murmur_requests_total", 1.0, {"model": "alice", "status": "422"}),
        ("murmur_requests_total", 1.0, {"model": request_metrics.NO_MODEL, "status": "404"}),
    ]


def test_an_invalid_request_is_counted_under_its_model_where_that_is_published(
    recorded: list[tuple[str, Any, dict[str, str]]], store_dir: Path
) -> None:
    """A 422 naming a published model carries its name; one naming an unpublished model, or a
    body that is not JSON, stays NO_MODEL (names nobody published never become labels)."""
    from fastapi.testclient import TestClient

    from murmur.serving.catalog import Catalog
    from murmur.serving.client import ModelClient
    from murmur.serving.ingress import build_api
    from murmur.serving.schema import ApiError

    class OnlyAlice(Catalog):
        def model_id(self, name: str) -> str:
            if name != "alice":
                raise ApiError(404, "not_found_error", f"no model {name!r} is published")
            return "alice@1"

    catalog = OnlyAlice(Store(str(store_dir)), 0)
    client = TestClient(build_api(catalog, ModelClient(None, 5), str(store_dir)))  # type: ignore[arg-type]
    for model in ("alice", "nobody"):
        r = client.post("/v1/completions", json={"model": model, "prompt": "x", "n": 10_000})
        assert r.status_code == 422, r.text
    r = client.post("/generate", content=b"{", headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert recorded == [
        ("murmur_requests_total", 1.0, {"model": "alice", "status": "422"}),
        ("murmur_requests_total", 1.0, {"model": request_metrics.NO_MODEL, "status": "422"}),
        ("murmur_requests_total", 1.0, {"model": request_metrics.NO_MODEL, "status": "422"}),
    ]


def test_queue_batches_tokens_loads_and_evictions(
    recorded: list[tuple[str, Any, dict[str, str]]],
) -> None:
    a, b, c = GenerationSpec("x", n=2), GenerationSpec("x"), GenerationSpec("x")
    with request_metrics.waiting(a), request_metrics.waiting(b):
        with request_metrics.waiting(c):
            pass  # c ends before its first text (cancelled): it leaves the queue all the same
        request_metrics.observe_step(3, 1)  # an engine step of a's and b's rows: no queue change
    assert [v for name, v, _ in recorded if name == "murmur_queue_length"] == [1, 2, 3, 2, 1, 0]
    recorded.clear()
    results = [GenerationResult([], completion_tokens=5), GenerationResult([], completion_tokens=7)]
    request_metrics.count_generated(["alice", "bob"], results)
    model = type("Loaded", (), {})()
    request_metrics.count_load("bob", model)
    model.__del__()  # what Serve's multiplexed LRU calls on the model it evicts
    assert recorded == [
        ("murmur_generated_tokens_total", 5, {"model": "alice"}),
        ("murmur_generated_tokens_total", 7, {"model": "bob"}),
        ("murmur_model_loads_total", 1.0, {"model": "bob"}),
        ("murmur_model_evictions_total", 1.0, {"model": "bob"}),
    ]


def test_the_engine_meter_records_every_series_and_re_sets_its_gauges_while_idle(
    recorded: list[tuple[str, Any, dict[str, str]]], tiny_model_dir: Path
) -> None:
    """An engine in its thread, metered each iteration: slots, occupancy and active rows while it
    runs, rows admitted and finished and tokens by phase as its totals, and, once idle, its gauges
    at 0 and re-set every heartbeat (Ray drops a gauge not re-set for 20 s: EngineMeter's doc)."""
    from transformers import AutoTokenizer

    bots = Bots(AutoTokenizer.from_pretrained(tiny_model_dir))
    meter = request_metrics.EngineMeter(interval_s=0.0)
    engine = DecodeEngine(bots.bots[0], slots=8, meter=meter, heartbeat_s=0.05)
    done = threading.Event()
    engine.start()
    try:
        spec = GenerationSpec("My dream is", n=3, max_new_tokens=5, min_length=40)
        engine.submit(
            bots.bots[1], spec, lambda e: done.set() if getattr(e, "done", True) else None
        )
        assert done.wait(60) and engine.error is None
        while not engine.idle:
            time.sleep(0.01)
        time.sleep(0.1)
        beats = sum(name == "murmur_kv_slots_used" for name, _, _ in recorded)
        time.sleep(0.4)
        assert sum(name == "murmur_kv_slots_used" for name, _, _ in recorded) >= beats + 3
    finally:
        engine.stop()

    def gauge(name: str) -> list[Any]:
        return [v for n, v, _ in recorded if n == name]

    def total(name: str, **labels: str) -> Any:
        return sum(v for n, v, tags in recorded if n == name and tags == labels)

    assert max(gauge("murmur_kv_slots_used")) == 3 and gauge("murmur_kv_slots_used")[-1] == 0
    assert max(gauge("murmur_kv_slot_occupancy")) == 3 / 8
    assert max(gauge("murmur_engine_rows")) == 3 and gauge("murmur_engine_rows")[-1] == 0
    assert gauge("murmur_kv_slot_occupancy")[-1] == 0 == gauge("murmur_queue_length")[-1]
    assert total("murmur_engine_rows_total", event="admitted") == 3
    assert total("murmur_engine_rows_total", event="finished") == 3
    assert total("murmur_engine_tokens_total", phase="decode") == 3 * 4  # the first from prefill
    stats = engine.stats()
    assert total("murmur_engine_tokens_total", phase="prefill") == stats["prefill_tokens"] > 0


def test_importing_starts_no_ray_and_recording_without_ray_does_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = "import sys, murmur.serving.request_metrics as m; m.count_request('a', 200); print('ray' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
    unconnected = types.SimpleNamespace(is_initialized=lambda: False)  # a process before ray.init
    monkeypatch.setitem(sys.modules, "ray", unconnected)
    monkeypatch.setattr(metrics, "_made", {})
    request_metrics.count_request("alice", 200)
    metrics.count_published(1234.0)
    assert metrics._made == {}  # nothing made: a metric made before ray.init is never exported


# ---- on the shared Ray ----------------------------------------------------------------------------
BOTS = ("mtr_alice", "mtr_bob")  # names no other test serves: their series are this test's


@pytest.fixture(scope="module")
def endpoint(ray_cluster: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app whose replica keeps one model: asking for the second evicts the first."""
    from ray import serve

    root = tmp_path_factory.mktemp("metrics")
    store = Store(str(root / "store"))
    for name in BOTS:
        publish_tiny(store, root, name)
    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    settings = ServeSettings(store=store.uri, num_cpus=0.5, models_per_replica=1)
    serve.run(build_app(settings), name="murmur-metrics", route_prefix="/")
    yield f"http://127.0.0.1:{port}"
    serve.delete("murmur-metrics")
    serve.shutdown()


MURMUR_LABELS = {tag for spec in metrics.METRICS.values() for tag in spec.tags}


def _scrape(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """murmur's samples at the metrics port: (name, murmur's labels) -> value, summed over Ray's."""
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    out: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name.startswith("ray_murmur_"):
                labels = frozenset((k, v) for k, v in s.labels.items() if k in MURMUR_LABELS)
                out[(s.name, labels)] = out.get((s.name, labels), 0.0) + s.value
    return out


@pytest.mark.ray
def test_endpoint_metrics_with_model_labels_reach_the_metrics_port(endpoint: str) -> None:
    from murmur.cli.serve import start_ray

    port = metrics.export_port()
    body = {"prompt": "My dream is", "max_tokens": 4, "n": 2}
    with httpx.Client(base_url=endpoint, timeout=60) as client:
        for name in BOTS:  # the second load evicts the first (models_per_replica=1)
            assert client.post("/v1/completions", json={"model": name, **body}).status_code == 200
        assert (
            client.post("/v1/completions", json={"model": "mtr_nobody", **body}).status_code == 404
        )
    alice, bob = ({("model", name)} for name in BOTS)
    wanted = {
        ("ray_murmur_requests_total", frozenset({*alice, ("status", "200")})),
        ("ray_murmur_requests_total", frozenset({*bob, ("status", "200")})),
        ("ray_murmur_generated_tokens_total", frozenset(alice)),
        ("ray_murmur_model_loads_total", frozenset(bob)),
        ("ray_murmur_model_evictions_total", frozenset(alice)),
        ("ray_murmur_batch_size_count", frozenset()),
        ("ray_murmur_batch_models_count", frozenset()),
        ("ray_murmur_ttft_seconds_count", frozenset()),
        # the engine's, recorded in its loop's thread (series of every replica on the node)
        ("ray_murmur_queue_length", frozenset()),
        ("ray_murmur_kv_slots_used", frozenset()),
        ("ray_murmur_kv_slot_occupancy", frozenset()),
        ("ray_murmur_engine_rows", frozenset()),
        ("ray_murmur_engine_tokens_total", frozenset({("phase", "decode")})),
        ("ray_murmur_engine_tokens_total", frozenset({("phase", "prefill")})),
        ("ray_murmur_engine_rows_total", frozenset({("event", "admitted")})),
        ("ray_murmur_engine_rows_total", frozenset({("event", "finished")})),
    }
    deadline = time.monotonic() + 30
    while not wanted <= set(samples := _scrape(port)) and time.monotonic() < deadline:
        time.sleep(1)
    assert wanted - set(samples) == set(), "missing at the metrics port after 30 s"
    assert samples[("ray_murmur_engine_rows_total", frozenset({("event", "finished")}))] >= 4
    assert samples[("ray_murmur_requests_total", frozenset({*alice, ("status", "200")}))] == 1
    assert samples[("ray_murmur_generated_tokens_total", frozenset(alice))] >= 2  # 2 choices
    assert ("ray_murmur_requests_total", frozenset({("model", "mtr_nobody")})) not in samples
    # `murmur serve --metrics-port`: a port other than the joined Ray's is refused, naming it.
    assert start_ray(None) == port == start_ray(port)
    with pytest.raises(ConfigError, match=f"exports metrics on port {port}:"):
        start_ray(free_port())
