"""A real 2-node Ray cluster on this machine, the store on an S3 API server on loopback (moto's),
reached through s3fs as on AWS (tests/cluster_nodes.py): training publishes to S3 with trainers on
both nodes; leases by conditional put keep two jobs from training one model twice; a worker node
lost while a model trains on it costs that model alone; `serve deploy` serves every bot from S3
with replicas on both nodes and keeps answering while the worker node dies; the endpoint scales
up under load and back down.

Run in their own pytest process (a process joins one Ray only): `pytest -m cluster
tests/test_cluster.py` (scripts/test.sh does, after the main suite). Each node has its own HOME,
MURMUR_CACHE and TMPDIR, so no node reads another's local files; only DeepSpeed's build cache
(TORCH_EXTENSIONS_DIR) is shared, as a CI cache would be. Every port is above 20000.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cluster_nodes import (
    API_KEY,
    BUCKET,
    MURMUR,
    Answer,
    Cluster,
    cluster_on_this_machine,
    completions,
    wait_for,
)

from murmur.core.store import Store

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """The one cluster every test here shares."""
    wanted = str(request.config.getoption("markexpr") or "")
    if "cluster" not in wanted or "not cluster" in wanted:
        pytest.skip(
            "cluster tests run in their own process: pytest -m cluster tests/test_cluster.py"
        )
    with cluster_on_this_machine() as c:
        yield c


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
    """`murmur train --json`'s document, which must be all of stdout: Ray's forwarded worker
    lines (DeepSpeed's prints, "[repeated 3x across cluster]") go to stderr."""
    rows: list[dict[str, Any]] = json.loads(stdout)
    return rows


@pytest.fixture(scope="module")
def published(
    cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """Six accounts trained by `murmur train --address ... --workers 2 --json` into the S3 store,
    once (the serving tests serve them): their handles and the command's outcome."""
    folder = tmp_path_factory.mktemp("tweets")
    handles = _tweets(folder)
    done = cluster.murmur(
        "train",
        *handles,
        *("--tweets", str(folder), "--store", cluster.store_uri, "--address", cluster.address),
        *("--workers", "2", *TRAIN, "--json"),
    )
    return handles, done


def test_six_accounts_publish_to_s3_with_trainers_on_both_nodes(
    cluster: Cluster, published: tuple[list[str], subprocess.CompletedProcess[str]]
) -> None:
    handles, done = published
    assert len(handles) == 6
    assert done.returncode == 0, done.stderr[-4000:]
    rows = _results(done.stdout)  # stdout holds the JSON alone
    assert sorted(r["model"] for r in rows) == sorted(handles)
    assert all(r["status"] == "published" for r in rows), rows
    listed = cluster.murmur("models", "--store", cluster.store_uri, "--json")
    assert sorted(m["model"] for m in json.loads(listed.stdout)) == sorted(handles)
    store = Store(cluster.store_uri)
    # Trainers on both nodes: each says so when ready (`trainer <ip>/<node id>:<rank> ... ready`,
    # forwarded to stderr); which of them trains which model is the machine's load to decide.
    trainers = set(re.findall(r"trainer (\S+/\w+):(\d+) \(1 rank\(s\)\) ready", done.stderr))
    assert len({node for node, _ in trainers}) == 2, trainers
    workers = {store.load_manifest(h).hyperparameters["worker"] for h in handles}
    assert workers <= {f"{node}:{rank}" for node, rank in trainers}, (workers, trainers)
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


# The node-kill test's bound, under pytest's 900 s: a job that hangs is killed and its logs shown,
# so the tests after it find the cluster's CPUs free (a hung job once held them: CI, stop 33).
KILL_TEST_BUDGET_S = 780.0


def _end(job: subprocess.Popen[str]) -> None:
    """Kill `job` if it still runs: Ray ends what its dead driver held (its worker group, its
    queue), so the tests after this one find the cluster's CPUs."""
    if job.poll() is None:
        job.kill()
        job.communicate()


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
        for path in store.fs.glob(store.path("jobs") + "/*/accounts/*.json"):
            record = store.read_json(path)  # the job's one record of the model
            if record.get("state") == "training" and node in str(record.get("worker")):
                return str(record["model"])
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

    deadline = time.monotonic() + KILL_TEST_BUDGET_S
    try:
        wait_for(found, 600, "a model training on the worker node")
        cluster.kill("worker")
        cluster.start("worker")
        try:
            out, err = job.communicate(timeout=max(60.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            job.kill()
            out, err = job.communicate()
            raise AssertionError(
                f"the job did not end within {KILL_TEST_BUDGET_S:.0f} s of its start, after the "
                f"worker node's loss: {err[-3000:]}\n{cluster.train_logs_tail()}"
            ) from None
    finally:
        _end(job)
    assert job.returncode == 0, err[-4000:]
    rows = _results(out)
    assert sorted(r["model"] for r in rows) == sorted(handles)
    assert all(r["status"] == "published" for r in rows), rows
    attempts = {}
    for path in store.fs.glob(store.path("jobs") + "/*/accounts/*.json"):
        record = store.read_json(path)
        attempts[record["model"]] = record["attempts"]  # AccountRecord.attempt's key
    assert not store.fs.glob(store.path("train") + "/*/status/*.json")  # no second record
    assert {m for m, a in attempts.items() if a > 1} <= {victims[0]}, attempts


# ---- serving ---------------------------------------------------------------------------------
REQUEST_TIMEOUT_S = 20.0  # the app's deadline (504) in these tests
SERVE = str(Path(MURMUR).with_name("serve"))
REPO = Path(__file__).resolve().parents[1]


def _deploy(cluster: Cluster, folder: Path, overrides: list[dict[str, Any]], **args: Any) -> str:
    """`serve deploy` of the shipped serve/config.yaml with the S3 store, the proxy on the head
    (two nodes on one machine would bind one port twice), the Ingress kept on the head (a lost
    Ingress replica's requests get the proxy's 500: keep it on nodes that stay), `args` for the
    app and `overrides` for its deployments. Returns the endpoint's URL once it is healthy."""
    import yaml

    config = yaml.safe_load((REPO / "serve" / "config.yaml").read_text())
    config["proxy_location"] = "HeadOnly"
    config["http_options"].update(port=cluster.http_port, request_timeout_s=REQUEST_TIMEOUT_S + 10)
    [app] = config["applications"]
    app["args"].update(store=cluster.store_uri, request_timeout_s=REQUEST_TIMEOUT_S, **args)
    on_head = {"num_cpus": 0.5, "resources": {"node:__internal_head__": 0.01}}
    app["deployments"] = [{"name": "Ingress", "ray_actor_options": on_head}, *overrides]
    path = folder / "serve.yaml"
    path.write_text(yaml.safe_dump(config))
    deploy = subprocess.run(
        [SERVE, "deploy", str(path), "--address", cluster.dashboard],
        env=cluster.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    url = f"http://{cluster.ip}:{cluster.http_port}"
    wait_for(lambda: _get(url, "/healthz") == 200, 300, "the endpoint's /healthz")
    return url


def _get(url: str, route: str, key: str | None = API_KEY) -> int:
    import httpx

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        return httpx.get(f"{url}{route}", headers=headers, timeout=10).status_code
    except httpx.HTTPError:
        return 0


def _replicas(cluster: Cluster, deployment: str) -> list[str]:
    """The node ids of `deployment`'s running replicas (Serve's replica actors, alive)."""
    from ray.util.state import list_actors

    actors = list_actors(
        address=cluster.dashboard,  # not the first Ray it finds on a shared machine
        filters=[("state", "=", "ALIVE")],
        limit=10_000,
        raise_on_missing_output=False,
    )
    return [str(a.node_id) for a in actors if a.class_name == f"ServeReplica:murmur:{deployment}"]


def _running(deployment: str) -> int:
    """`deployment`'s replicas in state RUNNING, as Serve's controller counts them."""
    from ray import serve

    app = serve.status().applications.get("murmur")
    if app is None or deployment not in app.deployments:
        return 0
    return int(app.deployments[deployment].replica_states.get("RUNNING", 0))


def test_serve_deploy_serves_every_bot_from_s3_and_survives_the_worker_node(
    cluster: Cluster,
    published: tuple[list[str], subprocess.CompletedProcess[str]],
    tmp_path: Path,
) -> None:
    """Replicas on both nodes serve the S3 store's bots; the worker node is SIGKILLed during
    600 requests: only requests then in flight fail, each 503 or 504 within the app's deadline,
    none hangs, and the head's replica answers the rest."""
    import httpx

    handles, done = published
    assert done.returncode == 0, done.stderr[-3000:]
    url = _deploy(cluster, tmp_path, [], min_replicas=2, max_replicas=2)
    listed = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {API_KEY}"})
    assert sorted(m["id"] for m in listed.json()["data"]) == sorted(handles)
    assert _get(url, "/v1/models", key=None) == 401  # a public bind: keys required
    wait_for(
        lambda: len(set(_replicas(cluster, "ModelServer"))) == 2, 300, "replicas on both nodes"
    )
    lost: list[float] = []

    def lose_the_worker_node() -> None:
        lost.append(time.monotonic())
        cluster.kill("worker")

    answers = completions(
        url, handles, total=600, concurrency=CONCURRENCY, timeout_s=REQUEST_TIMEOUT_S + 15,
        during=lose_the_worker_node, after=150,
    )  # fmt: skip
    cluster.start("worker")  # the autoscaler's replacement, for the tests after this one
    assert lost and len(answers) == 600
    failed = [a for a in answers if a.status != 200]
    print(f"{len(failed)} of {len(answers)} failed: {sorted({a.status for a in failed})}")
    assert all(a.status in (503, 504) for a in failed), failed  # 0 would be a hang or a drop
    assert all(a.seconds <= REQUEST_TIMEOUT_S + 2 for a in failed), failed
    assert len(failed) <= CONCURRENCY, failed  # at most those in flight when the node died
    assert all(a.started < lost[0] + 5 for a in failed), (lost, failed)
    assert sum(a.status == 200 and a.started > lost[0] for a in answers) >= 400


CONCURRENCY = 16


def test_the_endpoint_scales_up_under_load_and_back_down(
    cluster: Cluster,
    published: tuple[list[str], subprocess.CompletedProcess[str]],
    tmp_path: Path,
) -> None:
    """min 1, max 2 ModelServer replicas with 1 request per replica as the target and delays of
    a few seconds: 8 clients bring the second replica up; idle, it goes again."""
    handles, _ = published
    quick = {
        "min_replicas": 1, "initial_replicas": 1, "max_replicas": 2,
        "target_ongoing_requests": 1, "upscale_delay_s": 1, "downscale_delay_s": 4,
        "metrics_interval_s": 0.5, "look_back_period_s": 2,
    }  # fmt: skip
    url = _deploy(cluster, tmp_path, [{"name": "ModelServer", "autoscaling_config": quick}])
    wait_for(lambda: _running("ModelServer") == 1, 120, "one replica while idle")
    stop = threading.Event()
    load: list[list[Answer]] = []
    sender = threading.Thread(
        target=lambda: load.append(
            completions(url, handles, 100_000, 8, REQUEST_TIMEOUT_S + 15, stop=stop)
        )
    )
    sender.start()
    try:
        wait_for(lambda: _running("ModelServer") == 2, 180, "a second replica under load")
    finally:
        stop.set()
        sender.join(120)
    assert load and load[0], "no request was answered"
    # A cold replica's first request for a bot downloads it from S3 first: on a loaded machine
    # some exceed the deadline (504). None hangs or errs otherwise, and at least half are answered.
    answered = load[0]
    assert all(a.status in (200, 503, 504) for a in answered), [
        a for a in answered if a.status != 200
    ]
    ok = sum(a.status == 200 for a in answered)
    print(f"under load: {ok} of {len(answered)} answered 200")
    assert ok >= len(answered) / 2, answered
    wait_for(lambda: _running("ModelServer") == 1, 120, "back to one replica once idle")
