"""An installed murmur (a wheel, no checkout) submits a training job to a Ray head and deploys the
Serve app there: nothing depends on the project tree.

The wheel is installed into a folder put first on PYTHONPATH, so that it shadows the editable
install; the head is started from that environment, and the job ships the wheel's package
(runtime_env py_modules). The head runs with `--block` as this test's child: SIGTERM to it stops
exactly its processes (`ray stop` would stop every Ray on the machine, the session's shared one
too)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


API_KEY = "wheel-test-key"  # the deployed app refuses to start without keys


def _get(url: str) -> tuple[int, str]:
    # The endpoint's API wants the key; Ray's own dashboard reads a bearer as its token: none.
    headers = {"Authorization": f"Bearer {API_KEY}"} if "/v1/" in url else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return int(r.status), r.read().decode()
    except urllib.error.HTTPError as e:
        return int(e.code), str(e)
    except OSError as e:
        return 0, str(e)


def _wait_for(
    url: str,
    timeout_s: float,
    head: subprocess.Popen[bytes],
    log: Path,
    ok: tuple[int, ...] = (200,),
) -> str:
    """GET `url` until it answers with a status in `ok`; fails with the head's log if the head
    dies first or the time runs out."""
    deadline = time.monotonic() + timeout_s
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status in ok:
            return body
        assert head.poll() is None, f"the Ray head exited: {log.read_text()[-3000:]}"
        time.sleep(0.5)
    raise AssertionError(
        f"{url} did not answer in {timeout_s:.0f} s (last: {status} {body[:300]}): "
        f"{log.read_text()[-2000:]}"
    )


def _install_wheel(work: Path) -> Path:
    """Build murmur's wheel from a copy of the sources (the checkout stays untouched) and install
    it, without dependencies, into a folder of its own; returns that folder."""
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "platform", src / "platform", ignore=ignore)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    # No build isolation: the venv's setuptools builds it, offline.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"), str(src)],
        check=True,
    )
    (wheel,) = (work / "dist").glob("murmur-*.whl")
    target = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


@pytest.fixture
def work() -> Iterator[Path]:
    # Short: Ray's socket paths under its temp dir must stay under 108 characters.
    path = Path(tempfile.mkdtemp(prefix="mw", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.ray
@pytest.mark.slow
def test_a_wheel_submits_a_job_and_deploys_the_app(work: Path, samples: Path) -> None:
    site = _install_wheel(work)
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env.update(PYTHONPATH=str(site), RAY_USAGE_STATS_ENABLED="0")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    where = subprocess.run(
        [sys.executable, "-c", "import murmur; print(murmur.__file__)"],
        env=env, cwd=work, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout

    dash, gcs, http = _free_port(), _free_port(), _free_port()
    log = work / "head.log"
    head_cmd = [
        str(BIN / "ray"), "start", "--head", f"--port={gcs}", f"--dashboard-port={dash}",
        "--num-cpus=2", "--include-dashboard=true", f"--temp-dir={work / 'ray'}", "--block",
        "--disable-usage-stats",
        # Its own agent ports: the test session's shared Ray holds the defaults (52365, ...),
        # and a head whose job agent cannot bind answers "No available agent to submit job".
        *(f"--{flag}={_free_port()}" for flag in (
            "dashboard-agent-listen-port", "dashboard-agent-grpc-port", "metrics-export-port",
            "runtime-env-agent-port", "ray-client-server-port",
        )),
    ]  # fmt: skip
    with log.open("wb") as out:
        head = subprocess.Popen(
            head_cmd,
            env=env,
            cwd=work,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        address = f"http://127.0.0.1:{dash}"
        # Up once it answers at all: with Ray's token authentication on (the default once
        # ~/.ray/auth_token exists), the dashboard answers 401 to a request without the token.
        _wait_for(f"{address}/api/version", 90, head, log, ok=(200, 401))
        _train_there(address, env, work, samples)
        _serve_there(address, env, work, http, head, log)
    finally:
        _stop_head(head)


def _train_there(address: str, env: dict[str, str], work: Path, samples: Path) -> None:
    """`murmur train --address --wait` from the wheel: the job succeeds, the model is published,
    and the job ran the wheel's murmur as shipped by Ray, not the checkout's."""
    from murmur.core.store import Store
    from murmur.jobs import JobState, list_jobs

    store = work / "store"
    cmd = [
        sys.executable, "-m", "murmur.cli", "train", "sample_baker", "--tweets", str(samples),
        "--base-model", "tiny", "--max-steps", "2", "--block-size", "128", "--micro-batch", "8",
        "--no-wandb", "--address", address, "--wait", "--json", "--store", str(store),
    ]  # fmt: skip
    run = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True, timeout=400)
    assert run.returncode == 0, run.stderr[-4000:]
    (doc,) = json.loads(run.stdout)
    assert doc["model"] == "sample_baker" and doc["status"] == "published", doc
    assert not doc["skipped"] and doc["val_loss_after"] is not None
    assert Store(str(store)).has_model("sample_baker")
    (job,) = list_jobs(Store(str(store)))
    assert job["status"] == "succeeded" and job["ray"]["address"] == address
    assert [a.state for a in JobState(Store(str(store)), job["id"]).read_accounts()] == [
        "published"
    ]
    from murmur.jobs.submit import job_client

    logs = job_client(address).get_job_logs(job["id"])
    line = next(ln for ln in logs.splitlines() if "murmur 0.1.0 from" in ln)
    ran_from = Path(line.split(" from ", 1)[1].strip())
    assert not ran_from.is_relative_to(ROOT), line  # neither the checkout nor its editable install
    assert "runtime_resources" in str(ran_from), line  # Ray's copy of the shipped package


def _serve_there(
    address: str,
    env: dict[str, str],
    work: Path,
    http: int,
    head: subprocess.Popen[bytes],
    log: Path,
) -> None:
    """`serve deploy` of a config naming the installed package's app; it serves the model."""
    import yaml

    keys = work / "api-keys.txt"
    keys.write_text(API_KEY + "\n")
    config = {
        "http_options": {"host": "127.0.0.1", "port": http},
        "applications": [
            {
                "name": "murmur",
                "route_prefix": "/",
                "import_path": "murmur.serving.app:app",
                "args": {
                    "store": str(work / "store"),
                    "num_cpus": 1,
                    "max_replicas": 1,
                    "api_keys_file": str(keys),
                },
            }
        ],
    }
    path = work / "serve.yaml"
    path.write_text(yaml.safe_dump(config))
    # Ray's own client sends the local token (if the head wants one) only in token mode.
    deploy = subprocess.run(
        [str(BIN / "serve"), "deploy", str(path), "--address", address],
        env={**env, "RAY_AUTH_MODE": "token"}, cwd=work, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    _wait_for(f"http://127.0.0.1:{http}/healthz", 120, head, log)
    body = _wait_for(f"http://127.0.0.1:{http}/v1/models", 30, head, log)
    assert [m["id"] for m in json.loads(body)["data"]] == ["sample_baker"]


def _stop_head(head: subprocess.Popen[bytes]) -> None:
    """SIGTERM to `ray start --block` stops the processes it started; any left (its session is
    its own process group) are killed."""
    if head.poll() is None:
        head.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            head.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(head.pid, signal.SIGKILL)
    head.wait(timeout=10)
