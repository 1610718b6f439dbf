"""Leases on S3 (moto's S3 server on loopback, through s3fs as on AWS): a claim is created with
If-None-Match, a stale one is taken over and a claim released with If-Match on the ETag that was
judged, so two takers of one stale claim never both win, and a job judged dead never deletes the
claim of the job that took over."""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Iterator

import pytest

from murmur.core.store import Store
from murmur.jobs.leases import Claim, Leases


def _free_port() -> int:
    for _ in range(100):
        port = 20000 + secrets.randbelow(40000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port above 20000")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in this process, on a port above 20000."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def store(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    for key, value in {
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    import s3fs

    bucket = f"leases-{secrets.token_hex(4)}"
    s3fs.S3FileSystem(skip_instance_cache=True).mkdir(bucket)
    return Store(f"s3://{bucket}/store")


def _stale(store: Store, model: str, job: str = "train-dead") -> None:
    """A claim whose job has no heartbeat: stale."""
    claim = Claim(model=model, job=job, acquired="2026-01-01T00:00:00Z")
    store.write_json(Leases(store, job).path(model), claim.model_dump())


def _holder(store: Store, model: str) -> str:
    return str(store.read_json(Leases(store, "train-reader").path(model))["job"])


def test_a_claim_is_created_once(store: Store) -> None:
    first, second = Leases(store, "train-a"), Leases(store, "train-b")
    first.renew()
    assert first.claim("m1") is None
    assert second.claim("m1") == "train-a"  # alive: its heartbeat is fresh
    assert _holder(store, "m1") == "train-a"


def test_two_takers_of_one_stale_claim_one_wins(store: Store) -> None:
    """The race by hand: both judge the same stale version; then both overwrite it."""
    _stale(store, "m1")
    a, b = Leases(store, "train-a"), Leases(store, "train-b")
    seen_a, seen_b = a._read_tagged("m1"), b._read_tagged("m1")
    assert seen_a is not None and seen_b is not None
    assert seen_a == seen_b and seen_a[0] == "train-dead" and seen_a[1]  # one version, its ETag
    assert a._take_over("m1", seen_a[1]) is True
    assert b._take_over("m1", seen_b[1]) is False  # 412: the version it judged is gone
    assert _holder(store, "m1") == "train-a"


def test_jobs_racing_for_stale_claims_each_model_goes_to_one(store: Store) -> None:
    """Eight jobs claim the same four stale models at once (threads released together)."""
    models = [f"m{i}" for i in range(4)]
    for m in models:
        _stale(store, m)
    jobs = [Leases(store, f"train-{i}") for i in range(8)]
    for job in jobs:
        job.renew()
    start = threading.Barrier(len(jobs))
    won: dict[str, list[str]] = {m: [] for m in models}
    lock = threading.Lock()

    def run(job: Leases) -> None:
        start.wait()
        for m in models:
            if job.claim(m) is None:
                with lock:
                    won[m].append(job.job_id)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(len(winners) == 1 for winners in won.values()), won
    assert {m: _holder(store, m) for m in models} == {m: w[0] for m, w in won.items()}


def test_a_job_judged_dead_does_not_release_its_successors_claim(store: Store) -> None:
    old, new = Leases(store, "train-old"), Leases(store, "train-new")
    assert old.claim("m1") is None  # no heartbeat written: to others it looks dead
    mine = old._read_tagged("m1")  # `old` reads its own claim to release it...
    assert mine is not None and mine[0] == "train-old"
    new.renew()
    assert new.claim("m1") is None  # ...`new` takes it over meanwhile...
    old._remove("m1", mine[1])  # ...and `old` deletes the version it read: a 412, nothing goes
    assert _holder(store, "m1") == "train-new"
    old.release("m1")  # the whole release, read again: not its claim any more
    assert _holder(store, "m1") == "train-new"
    new.release("m1")
    assert not store.exists(new.path("m1"))  # its own claim goes
