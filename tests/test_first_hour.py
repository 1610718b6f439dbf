"""The first hour: training beside `murmur serve`, Ctrl-C, leases (two jobs on one store
never train a model twice), what the first model waits for, and the block size job.json records.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from murmur.core.clock import utc_stamp
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import Store
from murmur.jobs import JobRequest, run_job
from murmur.jobs.leases import Heartbeat, Leases
from murmur.jobs.state import AccountRecord, JobState
from murmur.train import TrainConfig

SKIPPED, TRAINING = ModelState.SKIPPED, ModelState.TRAINING


def _no_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("Ray was started for a job with nothing to do")

    monkeypatch.setattr("murmur.jobs.driver.ensure_ray", refuse)


# ---- item 7: leases ---------------------------------------------------------------------------
def test_a_lease_is_taken_once_and_given_back(store_dir: Path) -> None:
    store = Store(str(store_dir))
    a, b = Leases(store, "train-a"), Leases(store, "train-b")
    with a.kept():
        assert a.claim("sample_baker") is None
        assert b.claim("sample_baker") == "train-a"  # a live job holds it
        assert a.claim("sample_baker") is None  # a job's own claim is its own
        claim = json.loads((store_dir / "jobs/leases/sample_baker.json").read_text())
        assert claim["job"] == "train-a"
        a.release("sample_baker")
        assert b.claim("sample_baker") is None  # given back: the next job takes it
    assert not (store_dir / "jobs/train-a/heartbeat.json").exists()


@pytest.mark.parametrize("how", ["timed out", "process gone", "no heartbeat"])
def test_a_dead_jobs_lease_is_taken_over(store_dir: Path, how: str) -> None:
    """A job that stopped renewing (its machine died), whose driver on this machine is gone
    (killed), or that left no heartbeat at all loses its claims to the next job."""
    store = Store(str(store_dir))
    dead = Leases(store, "train-dead", timeout_s=60)
    assert dead.claim("sample_baker") is None
    beat = Heartbeat(job="train-dead", renewed=time.time(), timeout_s=60, host="", pid=0)
    if how == "timed out":
        beat = beat.model_copy(update={"renewed": time.time() - 61, "host": "elsewhere"})
    elif how == "process gone":
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        beat = beat.model_copy(update={"host": socket.gethostname(), "pid": int(gone.stdout)})
    if how != "no heartbeat":
        store.write_json(dead.heartbeat_path("train-dead"), beat.model_dump())
        assert dead.holder_alive("train-dead") is False
    live = Leases(store, "train-live")
    assert live.claim("sample_baker") is None
    claim = json.loads((store_dir / "jobs/leases/sample_baker.json").read_text())
    assert claim["job"] == "train-live"


def test_a_job_skips_the_model_another_live_job_trains(
    store_dir: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second job marks the model `skipped`, "training in job X", and starts no Ray when
    that leaves it nothing to do; `murmur train --json` says skipped, not published."""
    from murmur.cli.train import outcome_json

    _no_ray(monkeypatch)
    store = Store(str(store_dir))
    first = Leases(store, "train-first")
    with first.kept():
        assert first.claim("sample_baker") is None
        request = JobRequest(handles=["sample_baker"], tweets_dir=str(samples), use_wandb=False)
        outcome = run_job(request, store, job_id="train-second")
    (record,) = outcome.accounts
    assert (record.state, record.reason) == (SKIPPED, "training in job train-first")
    assert record.held_by == "train-first" and not record.ok
    doc = outcome_json(record)
    assert doc["status"] == "skipped" and doc["error"] == "training in job train-first"
    assert outcome.status == JobStatus.SUCCEEDED
    assert JobState(store, "train-second").read_account("sample_baker").state == SKIPPED


@pytest.mark.ray
def test_two_jobs_on_one_store_train_each_model_once(
    ray_cluster: None, store_dir: Path, samples: Path
) -> None:
    """Two jobs asked for the same models at once: the first trains each model, the second
    skips them all ("training in job ..."); each model is published once."""
    from test_jobs import FakeTraining

    store = Store(str(store_dir))
    handles = ["sample_baker", "sample_hiker"]
    request = JobRequest(handles=handles, tweets_dir=str(samples), use_wandb=False)
    training, go_on = threading.Event(), threading.Event()

    class Slow(FakeTraining):
        def add(self, model: str) -> None:
            super().add(model)
            training.set()
            assert go_on.wait(60)  # the first job holds its models while the second runs

    first = Slow()
    outcome: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: outcome.update(
            first=run_job(request, store, job_id="train-one", start_training=first.start)
        )
    )
    thread.start()
    try:
        assert training.wait(120)
        second = FakeTraining()
        two = run_job(request, store, job_id="train-two", start_training=second.start)
    finally:
        go_on.set()
        thread.join(120)
    assert second.calls == []
    assert {a.model: a.reason for a in two.accounts} == {
        m: "training in job train-one" for m in handles
    }
    one = outcome["first"]
    assert [a.state for a in one.accounts] == [ModelState.PUBLISHED] * 2  # type: ignore[attr-defined]
    assert sorted(m for run in first.calls for m in run) == handles
    for model in handles:  # one version each
        assert len(list((store_dir / ".versions" / model).glob("2*"))) == 1
    assert not list((store_dir / "jobs/leases").glob("*.json"))  # all given back


# ---- item 9: the block size training uses -----------------------------------------------------
def test_job_json_records_the_block_size_training_uses(
    store_dir: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1024 asked with the tiny base (n_positions 256): before training starts, job.json says
    256, the block size the workers use."""
    from murmur.core.errors import ConfigError

    def stop_before_ray(*_: object, **__: object) -> None:
        raise ConfigError("stopped where Ray would start")

    monkeypatch.setattr("murmur.jobs.driver.ensure_ray", stop_before_ray)
    store = Store(str(store_dir))
    request = JobRequest(
        handles=["sample_baker"], tweets_dir=str(samples), base_model="tiny",
        use_wandb=False, train={"block_size": 1024},
    )  # fmt: skip
    with pytest.raises(ConfigError, match="stopped where Ray would start"):
        run_job(request, store, job_id="train-blocks")
    job = JobState(store, "train-blocks").read_job()
    assert job["args"]["train"]["block_size"] == 256


# ---- item 4: what the first model waits for ---------------------------------------------------
def test_the_op_deepspeed_compiles_is_detected_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not built, built by another Python environment (rebuilt: its paths differ), built here."""
    import importlib.util

    from murmur.jobs.cluster import ops_to_build

    monkeypatch.setenv("TORCH_EXTENSIONS_DIR", str(tmp_path))
    cpu = TrainConfig(base_model="tiny")
    assert ops_to_build(cpu) == ["deepspeed_shm_comm"]
    folder = tmp_path / "deepspeed_shm_comm"
    folder.mkdir()
    (folder / "deepspeed_shm_comm.so").write_bytes(b"")
    (folder / "build.ninja").write_text("cflags = -I/elsewhere/.venv/site-packages/deepspeed/ops\n")
    assert ops_to_build(cpu) == ["deepspeed_shm_comm"]
    spec = importlib.util.find_spec("deepspeed")
    assert spec is not None and spec.submodule_search_locations
    here = next(iter(spec.submodule_search_locations))
    (folder / "build.ninja").write_text(f"cflags = -I{here}/ops/csrc/cpu/includes\n")
    assert ops_to_build(cpu) == []
    assert ops_to_build(TrainConfig(base_model="tiny", gpus_per_worker=1)) == []


def test_the_live_table_says_deepspeed_compiles_before_the_first_step(store_dir: Path) -> None:
    from rich.console import Console

    from murmur.cli.jobs import render_summary
    from murmur.jobs import summarize

    store = Store(str(store_dir))
    state = JobState(store, "train-first-run")
    state.update_job(models=["a", "b"], refused=[], status=JobStatus.RUNNING, started=utc_stamp())
    state.update_job(deepspeed_builds=["deepspeed_shm_comm"])
    state.write_account(AccountRecord(model="a", handles=["a"], state=TRAINING))
    stepping = AccountRecord(model="b", handles=["b"], state=TRAINING)
    stepping.result.update(step=3, steps=30, loss=4.2)
    state.write_account(stepping)
    console = Console(width=160, record=True)
    console.print(render_summary(summarize(state)))
    lines = console.export_text().splitlines()
    row = {line.split()[0]: line for line in lines if line.split()[:1] in (["a"], ["b"])}
    assert "DeepSpeed compiles its op first (about a minute, once per machine)" in row["a"]
    assert "compiles" not in row["b"] and "step 3/30" in row["b"]


# ---- item 6: Ctrl-C ---------------------------------------------------------------------------
def test_the_first_ctrl_c_cancels_the_job_and_a_second_aborts(store_dir: Path) -> None:
    """The handler `murmur train` installs, driven by real SIGINTs to this process."""
    from murmur.cli.jobs import CtrlC

    state = JobState(Store(str(store_dir)), "train-ctrl-c")
    before = signal.getsignal(signal.SIGINT)
    with CtrlC(state).installed():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs in the main thread, between two bytecodes
        assert state.cancel_requested()  # as `murmur cancel`: the job stops between models
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
    assert signal.getsignal(signal.SIGINT) is before


# ---- items 3, 6, 9 end to end: beside a serve-like Ray, Ctrl-C, then the records --------------
SERVE_LIKE_RAY = (  # what murmur.serving.app.start_local does before serve.start
    "import ray, time; ray.init(include_dashboard=False, log_to_driver=False); "
    "print('up', flush=True); time.sleep(600)"
)


def _account_state(store: Path, model: str) -> str | None:
    for path in store.glob(f"jobs/train-*/accounts/{model}.json"):
        try:
            return str(json.loads(path.read_text())["state"])
        except (ValueError, KeyError):
            return None
    return None


@pytest.mark.ray
@pytest.mark.slow
def test_train_beside_serve_and_ctrl_c_lets_the_model_in_training_finish(
    samples: Path, store_dir: Path
) -> None:
    """With another local Ray running (as `murmur serve` starts one), `murmur train` works and no
    process of its Ray reports "multiple active Ray instances". A Ctrl-C (SIGINT to the whole
    process group, as a terminal sends it) while the first of two models trains: that model is
    published, the other cancelled; the final table and "run the same command again" follow."""
    ray_tmp = Path(tempfile.mkdtemp(prefix="r", dir="/tmp"))  # short: Ray's socket paths
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["RAY_TMPDIR"] = str(ray_tmp)
    serve_like = subprocess.Popen(
        [sys.executable, "-c", SERVE_LIKE_RAY], env=env, stdout=subprocess.PIPE, text=True
    )
    murmur = str(Path(sys.executable).with_name("murmur"))
    args = [
        murmur, "train", *MODELS, "--tweets", str(samples), "--store", str(store_dir),
        "--base-model", "tiny", "--max-steps", "30", "--workers", "1", "--no-wandb",
    ]  # fmt: skip
    try:
        assert serve_like.stdout is not None and serve_like.stdout.readline().strip() == "up"
        driver = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 300
        while not (first := [m for m in MODELS if _account_state(store_dir, m) == TRAINING]):
            assert driver.poll() is None, driver.communicate()
            assert time.monotonic() < deadline, "no model started training"
            time.sleep(0.1)
        os.killpg(driver.pid, signal.SIGINT)
        out, err = driver.communicate(timeout=300)
    finally:
        serve_like.kill()
        serve_like.wait()
    try:
        _no_multiple_rays(ray_tmp)
        _check_the_run(driver.returncode, out, err, store_dir, first[0])
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


MODELS = ("sample_baker", "sample_hiker")


def _no_multiple_rays(ray_tmp: Path) -> None:
    """No process of either Ray logged Ray's "Found multiple active Ray instances" error."""
    logs = [p for p in ray_tmp.rglob("*") if p.is_file() and p.suffix in (".err", ".out")]
    assert any("PlacementGroupCleaner" in p.read_text(errors="ignore") for p in logs), (
        "Ray Train's placement-group cleaner (which asks Ray's state API) left no log here"
    )
    said = [p.name for p in logs if "multiple active Ray instances" in p.read_text(errors="ignore")]
    assert said == []


def _check_the_run(returncode: int, out: str, err: str, store_dir: Path, first: str) -> None:
    (other,) = set(MODELS) - {first}
    assert returncode == 1, err  # not every model asked for is published
    assert "Ctrl-C: the models in training finish" in err
    assert "multiple active Ray instances" not in err
    last = err.rstrip().splitlines()[-1]
    assert last == "run the same command again to finish (published models are skipped)"
    assert "published" in out and "cancelled" in out  # the final table
    assert _account_state(store_dir, first) == ModelState.PUBLISHED, err
    assert _account_state(store_dir, other) == ModelState.CANCELLED, err
    (job_json,) = store_dir.glob("jobs/train-*/job.json")
    job = json.loads(job_json.read_text())
    assert job["status"] == JobStatus.CANCELLED
    manifest = json.loads((store_dir / "models" / first / "murmur.json").read_text())
    assert job["args"]["train"]["block_size"] == manifest["hyperparameters"]["block_size"] == 256
