"""cluster.yaml: valid for Ray's cluster launcher, and set up the way murmur needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import ray.autoscaler
import yaml

ROOT = Path(__file__).resolve().parents[1]
OBJECT_STORE = re.compile(r"MURMUR_STORE=((?:s3|gs|gcs|abfs|az)://\S+)")


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "cluster.yaml").read_text())
    return loaded


def test_valid_against_rays_own_schema(config: dict[str, Any]) -> None:
    schema_path = Path(ray.autoscaler.__file__).parent / "ray-schema.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(config, schema)
    # The launcher's own check adds rules the schema cannot state (head type, min vs max workers).
    from ray.autoscaler._private.util import validate_config

    validate_config(config)


def test_cpu_head_and_autoscaling_gpu_workers(config: dict[str, Any]) -> None:
    types = config["available_node_types"]
    head = types[config["head_node_type"]]
    assert head["resources"].get("GPU", 0) == 0, "the head should not hold a GPU"
    gpu_groups = {
        name: t
        for name, t in types.items()
        if name != config["head_node_type"] and t["resources"].get("GPU", 0) >= 1
    }
    assert gpu_groups, "no GPU worker group"
    for name, group in gpu_groups.items():
        assert group.get("min_workers", 0) == 0, f"{name}: GPU nodes should start only on demand"
        assert group["max_workers"] >= 1, f"{name}: the group can never scale up"
    assert config["max_workers"] >= max(g["max_workers"] for g in gpu_groups.values())


def test_store_on_object_storage_for_every_ray_process(config: dict[str, Any]) -> None:
    for key in ("head_start_ray_commands", "worker_start_ray_commands"):
        start = " ".join(c for c in config[key] if "ray start" in c)
        match = OBJECT_STORE.search(start)
        assert match, f"{key}: `ray start` must run with MURMUR_STORE on object storage"
    setup = " ".join(config["setup_commands"])
    assert "s3fs" in setup, "fsspec needs s3fs to reach an s3:// store"


def test_setup_installs_the_project(config: dict[str, Any]) -> None:
    mounts = config["file_mounts"]
    remote = next((r for r, local in mounts.items() if local in (".", "./")), None)
    assert remote, "the project folder is not copied to the nodes"
    setup = " ".join(config["setup_commands"])
    assert "torch" in setup
    assert re.search(r"pip install .*-e \S*murmur", setup), "murmur is not installed on the nodes"
    for heavy in (".venv", ".git", "murmur-store"):
        assert heavy in config["rsync_exclude"], f"{heavy} would be copied to every node"


def test_the_readme_rayjob_runs_a_valid_request() -> None:
    """The README's KubeRay RayJob: its entrypoint is `python -m murmur.jobs.run --request JSON`
    and that JSON is a valid job request naming its job and store."""
    import shlex

    from murmur.jobs import JobRequest

    readme = (ROOT / "README.md").read_text()
    block = readme.split("kind: RayJob", 1)[1].split("```", 1)[0]
    spec = yaml.safe_load("kind: RayJob" + block)["spec"]
    argv = shlex.split(spec["entrypoint"])
    assert argv[:4] == ["python", "-m", "murmur.jobs.run", "--request"]
    request = JobRequest.from_json(argv[4])
    assert request.job_id and request.store and request.handles
    assert "working_dir" not in spec["runtimeEnvYAML"]  # the image has murmur installed
