"""murmur's GPU paths on one CUDA device, and bench/gpu.sh's dry run on the CPU.

Marked `gpu` and skipped without CUDA (one reason for all): bf16 training through Ray Train +
DeepSpeed on one GPU and with two trainers sharing it; a model published in bf16 and served in
half precision, whose greedy answer through the endpoint is a plain pipeline's in the same dtype;
full and LoRA bots answering together from one endpoint; the batch-composition property test of
tests/test_serve_batching.py on CUDA, where a position overflow would kill the CUDA context.
The base has GPT-2 124M's shape with the offline tokenizer (bench/gpu_base.py), random weights
trained briefly by each job. bench/gpu.sh runs these on a GPU machine.

Marked `slow`: `bench/gpu.sh --cpu-dry-run`, the same steps at tiny sizes, so that the script a
lent GPU runs does not rot (~2 min on a 2-core machine: 104 s measured, 179 s under heavy load).
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import importlib.util
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import test_serve_batching as batching
import torch
from hypothesis import HealthCheck, given, settings
from test_serve import free_port
from test_serve_batching import small  # noqa: F401  (the fixture: small_cuda moves its model)

from murmur.core.generation import EOS
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.synthetic import PERSONAS, generate_account, write_jsonl
from murmur.jobs import AccountRecord, JobRequest, run_job

REPO = Path(__file__).resolve().parents[1]
CUDA = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA GPU (bench/gpu.sh runs these on one)"
)
HANDLES = {
    "one": ["gpu_one"],
    "shared": ["gpu_two", "gpu_three", "gpu_four", "gpu_five"],
    "lora": ["gpu_lora"],
}
RAW_TWEETS = 600  # ~500 kept: ~27K tokens of 4-epoch text, ~13 steps of 8 blocks of 256
# A few bf16 steps: enough for greedy text that is not the random base's.
TRAIN = {"block_size": 256, "micro_batch": 8, "max_steps": 10, "log_every": 5}
PROMPT, TOKENS = "My dream is", 8


def on_gpu(test: Any) -> Any:
    """Mark `test` gpu and skip it without CUDA."""
    return pytest.mark.gpu(CUDA(test))


def _bench(name: str) -> Any:
    """A module of bench/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gpu_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = _bench("gpu_base").build_base(tmp_path_factory.mktemp("gpu") / "base")
    return path


@pytest.fixture(scope="module")
def tweets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gpu-tweets")
    personas = list(PERSONAS)
    handles = [h for group in HANDLES.values() for h in group]
    for i, handle in enumerate(handles):
        account = generate_account(handle, RAW_TWEETS, persona=personas[i % len(personas)])
        write_jsonl(account, folder / f"{handle}.jsonl")
    return folder


@pytest.fixture(scope="module")
def gpu_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(str(tmp_path_factory.mktemp("gpu-store")))


def train(kind: str, store: Store, tweets: Path, base: Path, **options: Any) -> list[AccountRecord]:
    """HANDLES[kind] trained as one job through murmur's own path (run_job: Ray Train +
    DeepSpeed); every model's record."""
    request = JobRequest(
        handles=HANDLES[kind],
        tweets_dir=str(tweets),
        base_model=str(base),
        use_wandb=False,
        train={**TRAIN, **options},
    )
    return run_job(request, store).accounts


@pytest.fixture(scope="module")
def trained_one(
    ray_cluster: None, gpu_store: Store, tweets: Path, gpu_base: Path
) -> list[AccountRecord]:
    return train("one", gpu_store, tweets, gpu_base, gpus_per_worker=1)


@pytest.fixture(scope="module")
def trained_lora(
    ray_cluster: None, gpu_store: Store, tweets: Path, gpu_base: Path
) -> list[AccountRecord]:
    return train("lora", gpu_store, tweets, gpu_base, gpus_per_worker=1, method="lora")


def check_bf16_training(records: list[AccountRecord], store: Store) -> None:
    """Every model published, trained in bf16 (its card's hyperparameters, its weights), its
    validation loss lower after than before."""
    weights_dtype = _bench("train_many").weights_dtype
    for r in records:
        assert r.state == ModelState.PUBLISHED, (r.model, r.reason)
        manifest = store.load_manifest(r.model)
        assert manifest.hyperparameters["precision"] == "bf16"
        assert weights_dtype(Path(store.local_model_dir(r.model))) == "BF16"
        before, after = float(r.result["val_loss_before"]), float(r.result["val_loss_after"])
        assert math.isfinite(after) and after < before, (r.model, before, after)


@on_gpu
def test_bf16_training_on_one_gpu(trained_one: list[AccountRecord], gpu_store: Store) -> None:
    check_bf16_training(trained_one, gpu_store)


@on_gpu
def test_two_trainers_share_one_gpu(
    ray_cluster: None, gpu_store: Store, tweets: Path, gpu_base: Path
) -> None:
    records = train("shared", gpu_store, tweets, gpu_base, gpus_per_worker=0.5, num_workers=2)
    check_bf16_training(records, gpu_store)
    assert len({r.worker for r in records}) == 2  # both trainers took models


@pytest.fixture(scope="module")
def endpoint(
    ray_cluster: None,
    gpu_store: Store,
    trained_one: list[AccountRecord],
    trained_lora: list[AccountRecord],
) -> Iterator[str]:
    """The app on half a GPU in bf16, started once training has given the GPU back."""
    from ray import serve

    from murmur.serving import ServeSettings, build_app

    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    settings = ServeSettings(store=gpu_store.uri, num_gpus=0.5, dtype="bfloat16")
    serve.run(build_app(settings), name="murmur-gpu", route_prefix="/")
    yield f"http://127.0.0.1:{port}"
    serve.delete("murmur-gpu")
    serve.shutdown()


def pipeline_greedy(store: Store, model: str) -> str:
    """What a plain transformers pipeline writes greedily on the model's folder (a LoRA
    adapter's too, through PEFT), on the GPU in bf16: TOKENS tokens after `<|endoftext|>`."""
    from transformers import pipeline

    generator = pipeline(
        "text-generation", model=store.local_model_dir(model), device="cuda", dtype=torch.bfloat16
    )
    out = generator(
        EOS + PROMPT, max_new_tokens=TOKENS, do_sample=False, min_length=0, return_full_text=False
    )
    return str(out[0]["generated_text"])


def greedy_together(endpoint: str, models: list[str]) -> list[str]:
    """Greedy answers of TOKENS tokens for `models`, asked at once (sampled requests beside)."""
    greedy = {"prompt": PROMPT, "max_tokens": TOKENS, "temperature": 0}
    sampled = {"prompt": "I like", "max_tokens": 16, "n": 3}

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=endpoint, timeout=120) as client:
            calls = [client.post("/v1/completions", json={"model": m, **greedy}) for m in models]
            calls += [client.post("/v1/completions", json={"model": m, **sampled}) for m in models]
            return list(await asyncio.gather(*calls))

    responses = asyncio.run(together())
    assert [r.status_code for r in responses] == [200] * len(responses), responses[0].text
    return [str(r.json()["choices"][0]["text"]) for r in responses[: len(models)]]


@on_gpu
def test_half_precision_serving_matches_a_plain_pipeline(
    endpoint: str, gpu_store: Store, trained_one: list[AccountRecord]
) -> None:
    (model,) = [r.model for r in trained_one]
    expected = pipeline_greedy(gpu_store, model)
    assert greedy_together(endpoint, [model]) == [expected]


@on_gpu
def test_full_and_lora_bots_answer_from_one_endpoint(
    endpoint: str,
    gpu_store: Store,
    trained_one: list[AccountRecord],
    trained_lora: list[AccountRecord],
) -> None:
    (lora,) = [r.model for r in trained_lora]
    (full,) = [r.model for r in trained_one]
    manifest = gpu_store.load_manifest(lora)
    assert manifest.method == "lora"
    assert (Path(gpu_store.local_model_dir(lora)) / "adapter_config.json").is_file()
    expected = [pipeline_greedy(gpu_store, m) for m in (full, lora)]
    assert greedy_together(endpoint, [full, lora]) == expected


@pytest.fixture(scope="module")
def small_cuda(small: Any) -> Any:  # noqa: F811  (the fixture imported above)
    """test_serve_batching's 32-position GPT-2, on the GPU in bf16 as a GPU replica loads it."""
    model = copy.deepcopy(small.model).to("cuda", torch.bfloat16)
    return dataclasses.replace(small, model=model, device=torch.device("cuda"))


@on_gpu
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batching.valid_batches())
def test_any_batch_of_valid_requests_is_served_on_cuda(small_cuda: Any, batch: Any) -> None:
    """test_serve_batching's property test, its own body, on CUDA."""
    test = batching.test_any_batch_of_valid_requests_is_served_within_each_rows_limits
    test.hypothesis.inner_test(small_cuda, batch)


# ---- bench/gpu.sh on the CPU ---------------------------------------------------------------------
TOP_KEYS = {
    "date", "machine", "commit", "command", "load_average", "mode", "device", "versions",
    "seconds", "tests", "train", "huggingtweets_way", "serve", "failures",
}  # fmt: skip


def positive(row: dict[str, Any], *keys: str) -> None:
    for key in keys:
        value = row[key]
        assert isinstance(value, (int, float)) and value > 0 and math.isfinite(value), (key, row)


@pytest.mark.slow
@pytest.mark.ray
def test_gpu_script_dry_run_on_the_cpu(tmp_path: Path) -> None:
    out = tmp_path / "gpu.json"
    env = {**os.environ, "PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(REPO / "bench" / "gpu.sh"), "--cpu-dry-run", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # ~180 s here; a slower CI machine must not fail it on time alone
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    doc = json.loads(out.read_text())
    header = (REPO / "bench" / "gpu.sh").read_text()
    assert set(doc) == TOP_KEYS and all(f"#   {key} " in header for key in TOP_KEYS)
    assert doc["mode"] == "cpu-dry-run" and doc["failures"] == []
    assert doc["tests"]["failed"] == doc["tests"]["errors"] == 0 and doc["tests"]["skipped"] > 0
    positive(doc["seconds"], *(k for k in doc["seconds"] if k != "install"))
    assert [r["trainers"] for r in doc["train"]] == [1, 2]
    for row in doc["train"]:
        positive(row, "wall_s", "accounts_per_hour", "tokens_per_s_per_trainer", "val_loss_after")
    assert len(doc["huggingtweets_way"]) == 1
    positive(doc["huggingtweets_way"][0], "process_s", "train_s", "tokens_per_s")
    for kind in ("full", "lora"):
        figures = doc["serve"][kind]
        positive(figures["murmur"], "requests", "req_per_s", "tokens_per_s", "p50_s", "p99_s")
        positive(figures["pipeline"], "requests", "req_per_s", "tokens_per_s")
        positive(figures, "ratio_tokens_per_s")
    assert "failures: none" in done.stdout
