"""A real 2-node Ray cluster on this machine, the store on an S3 API server on loopback (moto's),
reached through s3fs as on AWS: training publishes to S3 with trainers on both nodes; leases by
conditional put keep two jobs from training one model twice.

Run in their own pytest process (a process joins one Ray only): `pytest -m cluster
tests/test_cluster.py` (scripts/test.sh does, after the main suite). Each node has its own HOME,
MURMUR_CACHE and TMPDIR, so no node reads another's local files; only DeepSpeed's build cache
(TORCH_EXTENSIONS_DIR) is shared, as a CI cache would be. Every port is above 20000.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from murmur.core.store import Store
from murmur.jobs.cluster import extensions_dir

pytestmark = pytest.mark.cluster

BUCKET = "murmur-cluster"
PY = sys.executable
RAY = str(Path(PY).with_name("ray"))
MURMUR = str(Path(PY).with_name("murmur"))


def _free_port_block(size: int) -> int:
    """The first of `size` consecutive free TCP ports above 20000."""
    for base in range(20000 + secrets.randbelow(30000), 61000, size):
        if all(_port_free(p) for p in range(base, base + size)):
            return base
    raise RuntimeError("no free block of ports above 20000")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class NodeExited(AssertionError):
    """`ray start` ended: the node did not start, or died."""


@dataclass
class Node:
    name: str
    home: Path
    proc: subprocess.Popen[bytes] | None = None


@dataclass
class Cluster:
    """Two `ray start --block` nodes (head, worker), moto's S3 server, their environment."""

    root: Path
    ports: int
    env: dict[str, str]
    ray_tmp: str = ""  # Ray's session folder: short, as its socket paths must be (107 bytes)
    nodes: dict[str, Node] = field(default_factory=dict)
    moto: subprocess.Popen[bytes] | None = None

    @property
    def ip(self) -> str:
        """This machine's IP: Ray turns 127.0.0.1 in an address into it, so nodes bind to it."""
        from ray._private.services import get_node_ip_address

        return str(get_node_ip_address())

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.ports}"

    @property
    def store_uri(self) -> str:
        return f"s3://{BUCKET}/store"

    def node_env(self, node: Node) -> dict[str, str]:
        home = node.home
        for d in ("home", "cache", "tmp"):
            (home / d).mkdir(parents=True, exist_ok=True)
        return {
            **self.env,
            "HOME": str(home / "home"),
            "MURMUR_CACHE": str(home / "cache"),
            "TMPDIR": str(home / "tmp"),
        }

    def start(self, name: str, tries: int = 6) -> None:
        """Start node `name` (the head first); returns once the cluster counts it. A loaded
        machine can miss Ray's fixed 30 s for a raylet to register (ray/_private/node.py):
        then `ray start` exits, and it is tried again."""
        for attempt in range(1, tries + 1):
            try:
                self._start_once(name)
                return
            except NodeExited:
                if attempt == tries:
                    raise
                self.kill(name)

    def _start_once(self, name: str) -> None:
        node = self.nodes.setdefault(name, Node(name, self.root / name))
        head = name == "head"
        p = self.ports + (0 if head else 20)  # each node its own block of 20 ports
        args = [RAY, "start", "--block", "--num-cpus", "2", "--node-ip-address", self.ip]
        args += ["--node-manager-port", str(p + 1), "--object-manager-port", str(p + 2)]
        args += ["--runtime-env-agent-port", str(p + 3), "--metrics-export-port", str(p + 4)]
        args += ["--dashboard-agent-listen-port", str(p + 5)]
        args += ["--dashboard-agent-grpc-port", str(p + 6)]
        args += ["--min-worker-port", str(p + 100 + (0 if head else 200))]
        args += ["--max-worker-port", str(p + 299 + (0 if head else 200))]
        if head:
            args += ["--head", "--port", str(self.ports), "--include-dashboard", "false"]
            args += ["--ray-client-server-port", str(p + 7), "--temp-dir", self.ray_tmp]
        else:
            args += ["--address", self.address]
        known = self.node_ids(p + 1)  # a killed node can count as alive for a while after
        node.proc = subprocess.Popen(
            args,
            env=self.node_env(node),
            stdout=open(node.home / "ray-start.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if head:
            _wait(lambda: self._up(node) and _joined(self.address, self.env), 300, "the Ray head")
        _wait(lambda: self._up(node) and self._new_alive(p + 1, known), 120, f"ray node {name}")

    def _up(self, node: Node) -> bool:
        """False while the node runs; raises once its `ray start` has exited (its log says why)."""
        if node.proc is not None and node.proc.poll() is not None:
            log = (node.home / "ray-start.log").read_text(errors="replace")[-3000:]
            raise NodeExited(f"ray start ({node.name}) exited {node.proc.returncode}: {log}")
        return True

    def node_ids(self, port: int, alive: bool = False) -> set[str]:
        """The ids of the nodes (alive ones only, if asked) whose node manager port is `port`,
        as this process (joined to the cluster by the fixture) sees them."""
        import ray

        if not ray.is_initialized():
            return set()
        return {
            str(n["NodeID"])
            for n in ray.nodes()
            if n["NodeManagerPort"] == port and (n["Alive"] or not alive)
        }

    def _new_alive(self, port: int, known: set[str]) -> bool:
        """True once a node unknown before is alive at `port` (the started one)."""
        return bool(self.node_ids(port, alive=True) - known)

    def kill(self, name: str) -> None:
        """SIGKILL every process of node `name` (what a lost machine does)."""
        import psutil

        node = self.nodes[name]
        if node.proc is None:
            return
        try:
            procs = [psutil.Process(node.proc.pid), *psutil.Process(node.proc.pid).children(True)]
        except psutil.NoSuchProcess:
            procs = []
        for p in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.send_signal(signal.SIGKILL)
        node.proc.wait(30)
        node.proc = None

    def python(self, code: str, check: bool = True) -> str:
        done = subprocess.run(
            [PY, "-c", code], env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and done.returncode:
            raise AssertionError(done.stderr[-3000:])
        return done.stdout

    def murmur(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """`murmur ARGS` as a user on the head's machine runs it (its own HOME-less cache)."""
        return subprocess.run(
            [MURMUR, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )


def _wait(ready: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def _joined(address: str, env: dict[str, str]) -> bool:
    """Join this process to the cluster (its token in os.environ, as for any driver)."""
    import ray

    if ray.is_initialized():
        return True
    try:
        ray.init(address=address, logging_level="ERROR", log_to_driver=False)
    except Exception:
        return False
    return True


def _s3_up(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """The one cluster every test here shares (about 30 s to start)."""
    wanted = str(request.config.getoption("markexpr") or "")
    if "cluster" not in wanted or "not cluster" in wanted:
        pytest.skip(
            "cluster tests run in their own process: pytest -m cluster tests/test_cluster.py"
        )
    # Not pytest's basetemp: other pytest runs on a shared machine rotate it away (keeping 3),
    # which once deleted a running node's HOME and logs.
    root = Path(tempfile.mkdtemp(prefix="murmur-cluster-"))
    ports = _free_port_block(60)
    s3 = f"http://127.0.0.1:{ports + 50}"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": s3,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
        "RAY_USAGE_STATS_ENABLED": "0",
        "DS_ACCELERATOR": "cpu",
        "WANDB_MODE": "disabled",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TORCH_EXTENSIONS_DIR": extensions_dir(),  # this machine's, with its py311_cpu part
    }
    env.pop("RAY_ADDRESS", None)
    # This process reads the bucket and joins the cluster too: its Ray token is read once.
    os.environ.update({k: v for k, v in env.items() if k.startswith(("AWS_", "RAY_AUTH_"))})
    c = Cluster(root, ports, env, ray_tmp=tempfile.mkdtemp(prefix="mc-", dir="/tmp"))
    c.moto = subprocess.Popen(
        [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(ports + 50)],
        stdout=open(root / "moto.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait(lambda: _s3_up(s3), 60, "the S3 server")
        c.python(f"import s3fs; s3fs.S3FileSystem().mkdir({BUCKET!r})")
        c.start("head")
        c.start("worker")
        yield c
    finally:
        import ray

        ray.shutdown()
        for name in list(c.nodes):
            c.kill(name)
        c.moto.terminate()
        c.moto.wait(30)
        if os.environ.get("MURMUR_KEEP_CLUSTER") == "1":  # to read the nodes' logs after
            print(f"kept {root} and {c.ray_tmp}")
        else:
            shutil.rmtree(c.ray_tmp, ignore_errors=True)
            shutil.rmtree(root, ignore_errors=True)


def _tweets(folder: Path) -> list[str]:
    """Six accounts: the four samples and two synthetic validation personas."""
    from murmur.data.synthetic import write_account_set
    from murmur.samples import sample_dir

    folder.mkdir(exist_ok=True)
    for f in sample_dir().iterdir():
        shutil.copy(f, folder / f.name)
    extra = write_account_set("validation", folder, n_tweets=400)[:2]
    for f in folder.iterdir():  # only the two extra handles' files beside the samples
        if not f.name.startswith("sample_") and f.stem not in extra:
            f.unlink()
    return [f.stem.split(".")[0] for f in sorted(folder.iterdir())]


TRAIN = ("--base-model", "tiny", "--block-size", "128", "--max-steps", "6", "--no-wandb")


def _results(stdout: str) -> list[dict[str, Any]]:
    """`murmur train --json`'s document. Known bug: Ray's forwarded worker lines ("[repeated 3x
    across cluster]") may follow it on stdout after a run joined to a cluster."""
    rows: list[dict[str, Any]] = json.JSONDecoder().raw_decode(stdout.lstrip())[0]
    return rows


def test_six_accounts_publish_to_s3_with_trainers_on_both_nodes(
    cluster: Cluster, tmp_path: Path
) -> None:
    handles = _tweets(tmp_path / "tweets")
    assert len(handles) == 6
    done = cluster.murmur(
        "train",
        *handles,
        "--tweets",
        str(tmp_path / "tweets"),
        "--store",
        cluster.store_uri,
        "--address",
        cluster.address,
        "--workers",
        "2",
        *TRAIN,
        "--json",
    )
    assert done.returncode == 0, done.stderr[-4000:]
    rows = _results(done.stdout)
    assert sorted(r["model"] for r in rows) == sorted(handles)
    assert all(r["status"] == "published" for r in rows), rows
    listed = cluster.murmur("models", "--store", cluster.store_uri, "--json")
    assert sorted(m["model"] for m in json.loads(listed.stdout)) == sorted(handles)
    store = Store(cluster.store_uri)
    workers = {store.load_manifest(h).hyperparameters["worker"] for h in handles}
    nodes = {w.rsplit(":", 1)[0] for w in workers}  # `<ip>/<node id>:<rank>`
    assert len(nodes) == 2, workers  # trainers on both nodes
    for h in handles:  # every model whole in S3: a version folder, its hashes, the pointer
        version = store.resolve_version(h)
        assert store.exists(f"{store.version_path(h, version)}/murmur-files.json")


def test_two_jobs_started_at_once_train_each_model_once(cluster: Cluster, tmp_path: Path) -> None:
    handles = _tweets(tmp_path / "tweets")
    args = ("train", *handles, "--tweets", str(tmp_path / "tweets"), "--store", cluster.store_uri)
    args += ("--address", cluster.address, "--force", *TRAIN, "--json")
    jobs = [
        subprocess.Popen(
            [MURMUR, *args],
            env=cluster.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [job.communicate(timeout=600) for job in jobs]
    # A job that skipped a model another job trains exits 1 (not every model is its own "ok"):
    # what counts is each model trained once, the rest skipped with the holder named.
    assert all(job.returncode in (0, 1) for job in jobs), [err[-3000:] for _, err in outs]
    rows = [r for out, _ in outs for r in _results(out)]
    trained = sorted(r["model"] for r in rows if r["status"] == "published" and not r["skipped"])
    assert trained == sorted(handles), rows  # each model trained by exactly one of the jobs
    held = [r for r in rows if r["status"] == "skipped"]
    assert len(held) == len(handles) and all("training in job" in r["error"] for r in held), held


def _worker_node_id(cluster: Cluster) -> str:
    import ray

    port = cluster.ports + 21  # the worker node's --node-manager-port
    [node] = [n for n in ray.nodes() if n["Alive"] and n["NodeManagerPort"] == port]
    return str(node["NodeID"])


@pytest.mark.skipif(
    os.environ.get("MURMUR_FAULT_TESTS") != "1",
    reason="the node-kill restart is not fixed yet (Ray Train's group restart can fail with "
    "'DeepSpeed backend not set'); opt in with MURMUR_FAULT_TESTS=1",
)
def test_a_worker_node_killed_mid_training_costs_only_its_model(
    cluster: Cluster, tmp_path: Path
) -> None:
    """SIGKILL the worker node while a model trains on it, then start it again (an autoscaler's
    replacement): every model is published, and only that model counts a second attempt."""
    handles = _tweets(tmp_path / "tweets")
    uri = f"s3://{BUCKET}/kill-store"
    args = ("train", *handles, "--tweets", str(tmp_path / "tweets"), "--store", uri)
    args += ("--address", cluster.address, "--workers", "2", "--base-model", "tiny")
    args += ("--block-size", "128", "--max-steps", "40", "--no-wandb", "--json")
    job = subprocess.Popen(
        [MURMUR, *args], env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    store = Store(uri)
    node = _worker_node_id(cluster)[:8]

    def training_on_the_worker_node() -> str | None:
        store.fs.invalidate_cache()
        for path in store.fs.glob(store.path("train") + "/*/status/*.json"):
            status = store.read_json(path)
            if status.get("state") == "training" and node in str(status.get("worker")):
                return str(status["model"])
        return None

    victims: list[str] = []

    def found() -> bool:
        if job.poll() is not None:  # it ended before a model trained there: say why
            out, err = job.communicate()
            raise AssertionError(f"the job exited {job.returncode}: {err[-4000:]}{out[-2000:]}")
        model = training_on_the_worker_node()
        if model is not None:
            victims.append(model)
        return model is not None

    _wait(found, 600, "a model training on the worker node")
    cluster.kill("worker")
    cluster.start("worker")
    out, err = job.communicate(timeout=900)
    assert job.returncode == 0, err[-4000:]
    rows = _results(out)
    assert sorted(r["model"] for r in rows) == sorted(handles)
    assert all(r["status"] == "published" for r in rows), rows
    attempts = {}
    for path in store.fs.glob(store.path("train") + "/*/status/*.json"):
        status = store.read_json(path)
        attempts[status["model"]] = status["attempt"]
    assert {m for m, a in attempts.items() if a > 1} <= {victims[0]}, attempts
