"""More user mistakes that end in one line (`error: ...`, non-zero exit, no traceback): GPUs a
local Ray cannot have, a Ray address that cannot be reached, ports and URLs out of range, serve
settings pydantic refuses, and a request body that is not JSON. None starts Ray."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray
import torch
from fastapi.testclient import TestClient
from test_cli_errors import one_line
from typer.testing import CliRunner

import murmur.cli.serve
import murmur.cli.train
from murmur.cli import app
from murmur.core.errors import ConfigError
from murmur.core.store import Store
from murmur.jobs import cluster
from murmur.serving.catalog import Catalog
from murmur.serving.client import ModelClient
from murmur.serving.ingress import build_api
from murmur.train import TrainConfig

runner = CliRunner()
HELP = "--address takes http://HEAD:8265 (submit a job) or a Ray address (HEAD:6379)"


def _never(*_: object, **__: object) -> None:
    raise AssertionError("Ray or a job was started")


@pytest.fixture
def no_gpu_no_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without GPUs whose process has no Ray yet (even where the session's shared
    Ray runs in this process), where starting Ray or a job fails the test."""
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setenv("RAY_ADDRESS", "set")  # so that teardown restores what --address sets
    monkeypatch.delenv("RAY_ADDRESS")
    monkeypatch.setattr(murmur.cli.serve, "start_ray", _never)
    monkeypatch.setattr(murmur.cli.train, "run_job", _never)
    monkeypatch.setattr(ray, "init", _never)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_asking_for_gpus_this_machine_lacks_is_one_line(
    no_gpu_no_ray: None, store_dir: Path
) -> None:
    args = ["serve", "--num-gpus", "1", "--port", str(_free_port()), "--store", str(store_dir)]
    assert one_line(runner.invoke(app, args), 1) == (
        "error: --num-gpus 1 asks for 1 GPU(s) but this machine has 0: use --num-gpus 0 "
        "(or run on a GPU machine / a cluster via RAY_ADDRESS)"
    )


def test_train_asking_for_gpus_this_machine_lacks_is_one_line(
    no_gpu_no_ray: None, store_dir: Path, tiny_model_dir: Path
) -> None:
    args = ["train", "--sample", "--gpus-per-worker", "0.5", "--store", str(store_dir)]
    assert one_line(runner.invoke(app, [*args, "--no-wandb"]), 1) == (
        "error: --gpus-per-worker 0.5 asks for 0.5 GPU(s) but this machine has 0: use "
        "--gpus-per-worker 0 (or run on a GPU machine / a cluster via RAY_ADDRESS)"
    )
    # The library's way in (run_job -> ensure_ray) checks the same, before any local Ray.
    with pytest.raises(ConfigError, match="asks for 1 GPU"):
        cluster.ensure_ray(TrainConfig(base_model="tiny", gpus_per_worker=1))


@pytest.mark.parametrize(
    ("address", "reason"),
    [("notaurl", "not a HOST:PORT address"), ("127.0.0.1:{closed}", "Connection refused")],
)
def test_a_ray_address_that_cannot_be_reached_is_one_line(
    address: str, reason: str, no_gpu_no_ray: None, store_dir: Path, tiny_model_dir: Path
) -> None:
    address = address.format(closed=_free_port())  # nothing listens there
    args = ["train", "--sample", "--address", address, "--store", str(store_dir), "--no-wandb"]
    assert one_line(runner.invoke(app, args), 1) == (
        f"error: cannot reach the Ray cluster at {address}: {reason}; {HELP}"
    )


def test_a_ray_address_is_joined_like_ray_address(
    no_gpu_no_ray: None, store_dir: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-http --address that answers is the job's Ray ($RAY_ADDRESS for ensure_ray), and no
    local GPU check applies (the cluster has its own GPUs)."""
    import os

    seen: list[str | None] = []

    def run_job(*_: object, **__: object) -> None:
        seen.append(os.environ.get("RAY_ADDRESS"))
        raise ConfigError("stopped by the test")

    monkeypatch.setattr(murmur.cli.train, "run_job", run_job)
    with socket.socket() as head:  # a head that accepts connections
        head.bind(("127.0.0.1", 0))
        head.listen()
        address = f"127.0.0.1:{head.getsockname()[1]}"
        args = ["train", "--sample", "--address", address, "--gpus-per-worker", "1"]
        result = runner.invoke(app, [*args, "--store", str(store_dir), "--no-wandb"])
    assert result.exit_code == 2 and "error: Invalid value: stopped by the test" in result.stderr
    assert seen == [address]


def test_a_port_out_of_range_is_a_usage_error() -> None:
    for flag in ("--port", "--metrics-port"):
        line = one_line(runner.invoke(app, ["serve", flag, "99999"]), 2)
        assert f"'{flag}'" in line and "less than or equal to 65535" in line, line


def test_a_url_that_is_not_http_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    line = one_line(runner.invoke(app, ["generate", "sample_baker", "hi", "--url", "notaurl"]), 1)
    assert line == (
        "error: --url must be http(s)://HOST:PORT, e.g. http://127.0.0.1:8000 (got 'notaurl')"
    )
    monkeypatch.setenv("MURMUR_URL", "ftp://x")
    line = one_line(runner.invoke(app, ["generate", "sample_baker"]), 1)
    assert line.startswith("error: $MURMUR_URL must be http(s)://HOST:PORT")


def test_invalid_serve_settings_are_one_clean_line(tmp_path: Path) -> None:
    line = one_line(runner.invoke(app, ["serve", "--max-replicas", "0"]), 1)
    assert line == "error: --max-replicas 0 must be at least 1"
    line = one_line(runner.invoke(app, ["serve", "--min-replicas", "3", "--max-replicas", "2"]), 1)
    assert line == "error: invalid serve settings: min_replicas (3) is above max_replicas (2)"
    config = tmp_path / "serve.yaml"
    config.write_text("applications:\n- args:\n    dtype: float8\n    max_batch_size: 2\n")
    line = one_line(runner.invoke(app, ["serve", "--config", str(config)]), 1)
    assert line == "error: dtype 'float8' must be 'auto', 'float32', 'float16' or 'bfloat16'"
    assert "pydantic" not in line


@pytest.fixture
def api(store_dir: Path) -> Iterator[TestClient]:
    catalog = Catalog(Store(str(store_dir)), 0)
    yield TestClient(build_api(catalog, ModelClient(None, 5), str(store_dir)))  # type: ignore[arg-type]


def test_a_body_that_is_not_json_says_so(api: TestClient) -> None:
    for route in ("/v1/completions", "/v1/chat/completions", "/generate"):
        r = api.post(route, content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["message"] == "invalid request: the body is not valid JSON"


def test_generate_takes_handles_and_names_who_wrote_each_tweet() -> None:
    """`murmur generate` takes a model's handles as well as its name (the reversible name rule),
    and labels tweets with the handles, so a combined or Mastodon bot reads as its accounts."""
    from murmur.cli.serve import model_of, speaker

    assert model_of("sample_baker") == "sample_baker"
    assert model_of("@Sample_Baker") == "sample_baker"
    assert model_of("a+b") == model_of("b-a".replace("-", "+")) == "a-b"
    assert model_of("@bob@mastodon.social") == "bob._mastodon.social"
    # `my-alice.bsky.social` is itself a name (of `my` + `alice.bsky.social`): `@` marks a handle
    assert model_of("my-alice.bsky.social") == "my-alice.bsky.social"
    assert model_of("@my-alice.bsky.social") == "my_alice.bsky.social"
    assert model_of("not a model!") == "not a model!"  # the endpoint's 404 names it
    assert speaker("a-b") == "@a + @b"
    assert speaker("bob._mastodon.social") == "@bob@mastodon.social"
    assert speaker("alice") == "@alice"


def test_wait_without_a_submitted_job_is_a_usage_error(tmp_path: Path) -> None:
    """`--wait` alone did nothing, silently (new-user trial, 2026-12-07)."""
    from typer.testing import CliRunner

    from murmur.cli import app

    args = ["train", "--sample", "--wait", "--store", str(tmp_path / "s"), "--no-wandb"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--wait follows a job submitted to a cluster: give --address" in result.output


def test_a_ray_train_failure_reason_keeps_the_ranks_error_not_a_heading() -> None:
    """A failed job's one-line reason had read "WorkerGroupError: Training failed due to worker
    errors:", the rank's own error cut off with the rest of the message."""
    from ray.train.v2.api.exceptions import ControllerError, WorkerGroupError

    from murmur.core.errors import first_line

    snippet = '[Rank 0 Error Snippet]:\nTraceback (most recent call last):\n  File "w.py"\n'
    error = WorkerGroupError(snippet + "RuntimeError: DeepSpeed backend not set\n", {})
    assert first_line(error) == (
        "Training failed due to worker errors: RuntimeError: DeepSpeed backend not set"
    )
    timeout = ControllerError(TimeoutError("placement group not ready after 60 s"))
    assert first_line(timeout).endswith("error: placement group not ready after 60 s")
    assert first_line(ValueError("one line\nmore")) == "one line"
    assert first_line(ValueError("")) == "ValueError"


# A command whose output meets a closed pipe, as `murmur eval --help | head -20` met one after the
# help's first lines (it said "error: BrokenPipeError: ..."); raised here, since when the reader
# goes is a race.
PIPE_CHILD = """
import sys
from murmur.cli import main
from murmur.cli.main import app

@app.command("pipe-test")
def pipe_test() -> None:
    print("first lines", flush=True)
    raise BrokenPipeError(32, "Broken pipe")

sys.argv = ["murmur", "pipe-test"]
main()
"""


def test_a_reader_that_stops_early_gets_no_error_line() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", PIPE_CHILD], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and done.stderr == "", done.stderr
    assert done.stdout == "first lines\n"


@pytest.mark.parametrize("flag", ["-v", "--verbose"])
def test_verbose_works_after_the_command_too(flag: str, tmp_path: Path) -> None:
    """`murmur models --store X -v` had said "No such option: -v": -v is the root's option."""
    from murmur.cli.main import verbose_first

    assert verbose_first(["models", "--store", "s", flag]) == [
        "--verbose",
        "models",
        "--store",
        "s",
    ]
    assert verbose_first(["-v", "models"]) == ["-v", "models"]  # already first: as it is
    assert verbose_first(["serve", "--", "-v"]) == ["serve", "--", "-v"]  # after --: an argument
    missing = str(tmp_path / "none")
    quiet = runner.invoke(app, ["models", "--store", missing])
    loud = runner.invoke(app, ["models", "--store", missing, flag])
    assert quiet.exit_code == 1 and "No such option" not in loud.output
    assert loud.exception is not None and not isinstance(loud.exception, SystemExit)  # raised
