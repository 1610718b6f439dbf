"""Kill the job's driver mid-run: running the same command again picks up from the store —
what was published stays published (not retrained), the rest is trained, nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLES = ("sample_baker", "sample_coder", "sample_gardener", "sample_hiker")


def _published(store: Path) -> dict[str, str]:
    """Published model -> its manifest's version."""
    out = {}
    for name in SAMPLES:
        manifest = store / "models" / name / "murmur.json"
        if manifest.is_file():
            out[name] = json.loads(manifest.read_text())["version"]
    return out


@pytest.mark.ray
@pytest.mark.slow
def test_killed_driver_then_rerun_picks_up_from_the_store(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    import ray

    args = [
        str(Path(sys.executable).with_name("murmur")), "train", *SAMPLES, "--tweets", str(samples),
        "--store", str(store_dir), "--base-model", "tiny", "--block-size", "128",
        "--micro-batch", "1", "--lr", "2e-3", "--max-steps", "60", "--no-wandb", "--json",
    ]  # fmt: skip
    # The driver joins the session's shared Ray (as a driver on a cluster would): killing it must
    # not take the cluster down, and the rerun below runs on the same cluster.
    env = {**os.environ, "RAY_ADDRESS": ray.get_runtime_context().gcs_address}
    driver = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # On a fresh machine this driver's trainers compile DeepSpeed's op first (~100 s here).
        deadline = time.monotonic() + 600
        while not _published(store_dir):
            assert driver.poll() is None, "the driver ended before it could be killed"
            assert time.monotonic() < deadline, "no model was published in time"
            time.sleep(0.1)
        driver.send_signal(signal.SIGKILL)  # no handler, no cleanup: as if its machine died
        driver.wait(timeout=30)
    finally:
        if driver.poll() is None:
            driver.kill()
    before = _published(store_dir)
    assert 0 < len(before) < len(SAMPLES), before  # killed part-way through

    rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    doc = {d["model"]: d for d in json.loads(rerun.stdout)}  # --json: stdout is JSON alone
    assert set(doc) == set(SAMPLES)
    assert all(d["status"] == "published" for d in doc.values()), doc
    for name in before:  # published before the kill: skipped, the very same files
        assert doc[name]["skipped"], doc[name]
    after = _published(store_dir)
    assert set(after) == set(SAMPLES)
    assert {n: after[n] for n in before} == before
    for name in set(SAMPLES) - set(before):
        assert not doc[name]["skipped"]
        assert doc[name]["val_loss_after"] < doc[name]["val_loss_before"]
