"""The machinery of tests/test_cluster.py: a real Ray cluster of `ray start` nodes on this
machine (head and worker, 2 CPUs each, each its own HOME, MURMUR_CACHE and TMPDIR, every port
above 20000), moto's S3 server on loopback, and a load of HTTP requests against an endpoint.

    with cluster_on_this_machine() as cluster:   nodes up, the bucket made, this process joined
        cluster.kill("worker"); cluster.start("worker")      a lost node and its replacement
"""

from __future__ import annotations

import contextlib
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

from murmur.jobs.cluster import extensions_dir

BUCKET = "murmur-cluster"
API_KEY = f"cluster-{secrets.token_hex(8)}"
PY = sys.executable
RAY = str(Path(PY).with_name("ray"))
MURMUR = str(Path(PY).with_name("murmur"))


# The ports a cluster uses past its block's first: its nodes' worker ports reach base + 519.
SPAN = 520


def _ephemeral_low() -> int:
    """The first port Linux gives outgoing connections (ip_local_port_range; 32768 by default).
    A port chosen at or above it can be taken by any client's socket between the choice and the
    bind: CI once lost the Serve proxy's port, chosen at the cluster's start, that way."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _free_port_block(size: int) -> int:
    """The first of `size` consecutive free TCP ports above 20000, the block and its worker ports
    below the ephemeral range where it leaves room (else anywhere up to 61000)."""
    top = _ephemeral_low() - SPAN
    if top - 20000 < 10 * SPAN:  # an unusual range: no room below it
        top = 61000 - SPAN
    start = 20000 + secrets.randbelow(top - 20000 - size)
    for base in [*range(start, top, size), *range(20000, start, size)]:
        if all(_port_free(p) for p in range(base, base + size)):
            return base
    raise RuntimeError(f"no free block of {size} ports in 20000-{top}")


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
    def dashboard(self) -> str:
        """The head's dashboard, where `serve deploy --address` sends a config."""
        return f"http://{self.ip}:{self.ports + 8}"

    @property
    def http_port(self) -> int:
        """The Serve proxy's port (on the head: HeadOnly, as two nodes share one machine)."""
        return self.ports + 9

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
            # The dashboard: `serve deploy` talks to its REST API, Ray's state API (which node
            # a replica runs on) reads it.
            args += ["--head", "--port", str(self.ports), "--include-dashboard", "true"]
            args += ["--dashboard-host", self.ip, "--dashboard-port", str(p + 8)]
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
            wait_for(
                lambda: self._up(node) and _joined(self.address, self.env), 300, "the Ray head"
            )
        wait_for(lambda: self._up(node) and self._new_alive(p + 1, known), 120, f"ray node {name}")

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

    def train_logs_tail(self, chars: int = 2000) -> str:
        """The end of each Ray Train controller log and of the 4 newest worker logs in the
        head's session folder (logs/train/: why a run restarts or waits, what its ranks did)."""
        logs = Path(self.ray_tmp, "session_latest", "logs")
        controllers = sorted(logs.rglob("ray-train-*controller*.log"))
        workers = sorted(logs.rglob("ray-train-app-worker-*.log"), key=lambda p: p.stat().st_mtime)
        tails = [
            f"== {path.name}\n{path.read_text(errors='replace')[-chars:]}"
            for path in [*controllers, *workers[-4:]]
        ]
        return "\n".join(tails) or f"no Ray Train log under {logs}"

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


def wait_for(ready: Any, timeout_s: float, what: str) -> None:
    """Poll `ready()` every 0.5 s until it is true; AssertionError naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def _joined(address: str, env: dict[str, str]) -> bool:
    """Join this process to the cluster (its token in os.environ, as for any driver), once its
    GCS accepts connections: ray.init on a head that died while starting (a loaded machine
    misses Ray's startup timeout) retries for minutes instead of failing."""
    import ray

    from murmur.core.ray_init import check_ray_address

    if ray.is_initialized():
        return True
    try:
        check_ray_address(address)
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


def own_extensions_dir() -> str:
    """DeepSpeed's JIT build cache of this checkout's Python environment, shared by the nodes as
    a CI cache would be (murmur.core.paths.extensions_dir: one folder per environment, since
    another checkout rebuilding a shared one mid-run broke a restarted trainer's op)."""
    return extensions_dir()


@contextlib.contextmanager
def cluster_on_this_machine() -> Iterator[Cluster]:
    """Start moto's S3 server (the bucket BUCKET made) and the two nodes, join this process to
    the cluster; on exit stop everything (MURMUR_KEEP_CLUSTER=1 keeps the nodes' folders and
    Ray's session logs, to read after a failure). About 30 s to start on an idle machine."""
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
        "TORCH_EXTENSIONS_DIR": own_extensions_dir(),
        "MURMUR_API_KEYS": API_KEY,  # every node's: the endpoint refuses a public bind without
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
        wait_for(lambda: _s3_up(s3), 60, "the S3 server")
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


@dataclass
class Answer:
    """One request's outcome: HTTP status (0: no answer: a client timeout or a dropped
    connection), when it started and how long it took (monotonic seconds)."""

    status: int
    started: float
    seconds: float
    error: str = ""


def completions(
    url: str,
    models: list[str],
    total: int,
    concurrency: int,
    timeout_s: float,
    during: Any = None,
    after: int = 0,
    stop: Any = None,
) -> list[Answer]:
    """`total` small completions (4 tokens; the models in turn) from `concurrency` threads, each
    waiting at most `timeout_s`; `during()` runs on its own thread once `after` are answered;
    sending stops early once the threading.Event `stop` is set. Returns every Answer, in the
    order they ended."""
    import threading

    import httpx

    answers: list[Answer] = []
    lock = threading.Lock()
    count = iter(range(total))
    started = threading.Event()

    def one(client: httpx.Client, i: int) -> Answer:
        body = {"model": models[i % len(models)], "prompt": "My dream is", "max_tokens": 4}
        t0 = time.monotonic()
        try:
            r = client.post(f"{url}/v1/completions", json=body)
            return Answer(r.status_code, t0, time.monotonic() - t0, r.text[:200])
        except httpx.HTTPError as e:
            return Answer(0, t0, time.monotonic() - t0, f"{type(e).__name__}: {e}")

    def client_loop() -> None:
        headers = {"Authorization": f"Bearer {API_KEY}"}
        with httpx.Client(headers=headers, timeout=timeout_s) as client:
            while True:
                with lock:
                    i = next(count, None)
                if i is None or (stop is not None and stop.is_set()):
                    return
                answer = one(client, i)
                with lock:
                    answers.append(answer)
                    if len(answers) >= after and during is not None and not started.is_set():
                        started.set()
                        threading.Thread(target=during, daemon=True).start()

    threads = [threading.Thread(target=client_loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers
