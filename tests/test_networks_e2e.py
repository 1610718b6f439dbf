"""A bot from each network, end to end: `murmur prepare` reads a Bluesky account from a stand-in
AppView on 127.0.0.1 (cached in the store), `murmur train` trains it from that cache and a
Mastodon account its job's task reads from a stand-in instance (`--max-posts`), and Serve answers
`murmur generate`, the page and /openapi.json for both, under model names that carry `_` and `._`
(murmur.core.handles' rule).

The stand-ins are real HTTP servers in threads (tests/social_fakes.py): the job's fetch runs in a
Ray worker, which sees them through the addresses the job hands its tasks (source_env).
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from social_fakes import (
    FakeBluesky,
    FakeMastodon,
    bsky_post,
    bsky_repost,
    local_server,
    masto_status,
)
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.handles import handles_of_model_name, model_name
from murmur.core.states import JobStatus
from murmur.core.store import Store
from murmur.jobs import JobOutcome, JobRequest
from murmur.serving.catalog import Catalog

runner = CliRunner()
BSKY_HANDLE = "my-alice.bsky.social"  # a `-`, written `_` in the model name
MASTO_HANDLE = "bob@mastodon-x.example"  # user `._` domain
BSKY_MODEL = "my_alice.bsky.social"
MASTO_MODEL = "bob._mastodon_x.example"
MAX_POSTS = 120  # of the instance's 150 statuses: 3 pages of 40


@pytest.mark.parametrize(
    ("handle", "name"), [(BSKY_HANDLE, BSKY_MODEL), (MASTO_HANDLE, MASTO_MODEL)]
)
def test_the_model_names_under_test(handle: str, name: str) -> None:
    assert model_name([handle]) == name


def test_train_takes_max_posts_for_every_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--max-posts` reaches the job's request (its fetch tasks read it); 3,200 by default."""
    import murmur.cli.train as cli_train

    asked: list[JobRequest] = []
    monkeypatch.setattr(cli_train, "check_base", lambda base: None)

    def run_here(request: JobRequest, *args: Any, **kwargs: Any) -> JobOutcome:
        asked.append(request)
        return JobOutcome(job_id="j", status=JobStatus.SUCCEEDED, accounts=[])

    monkeypatch.setattr(cli_train, "_run_here", run_here)
    store = ["--store", str(tmp_path / "store"), "--no-wandb"]
    assert runner.invoke(app, ["train", BSKY_HANDLE, "--max-posts", "50", *store]).exit_code == 0
    assert runner.invoke(app, ["train", f"@{MASTO_HANDLE}", *store]).exit_code == 0
    assert [r.max_posts for r in asked] == [50, 3200]
    assert JobRequest.from_json(asked[0].dumps()).max_posts == 50
    bad = runner.invoke(app, ["train", "alice", "--max-posts", "0", *store])
    assert bad.exit_code == 2 and "--max-posts" in bad.output


# ---- end to end on the shared Ray ----------------------------------------------------------------
@pytest.fixture(scope="module")
def networks() -> Iterator[tuple[FakeBluesky, FakeMastodon]]:
    """The stand-in AppView and instance on 127.0.0.1, named by MURMUR_BLUESKY_URL and
    MURMUR_MASTODON_URL for the module."""
    bsky = FakeBluesky()
    did = f"did:plc:{BSKY_HANDLE.split('.')[0]}"
    feed = [bsky_post(BSKY_HANDLE, did, i) for i in range(149)]
    bsky.add(BSKY_HANDLE, [bsky_repost(did, 0), *feed])
    masto = FakeMastodon()
    boosted = masto_status(9_999, "<p>someone else's words here today</p>")
    statuses = [masto_status(i) for i in range(150)]
    statuses[1] = masto_status(1, reblog=boosted, content="")
    masto.add(MASTO_HANDLE, statuses)
    with (
        local_server(bsky) as bsky_url,
        local_server(masto) as masto_url,
        pytest.MonkeyPatch.context() as mp,
    ):
        masto.base = masto_url  # its Link headers name the server
        mp.setenv("MURMUR_BLUESKY_URL", bsky_url)
        mp.setenv("MURMUR_MASTODON_URL", masto_url)
        yield bsky, masto


@pytest.fixture(scope="module")
def trained(
    ray_cluster: None,
    networks: tuple[FakeBluesky, FakeMastodon],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Store, dict[str, Any]]:
    """Both bots trained by one `murmur train` (tiny base, 2 steps): the Bluesky account from
    the store's cache that `murmur prepare` left, the Mastodon one fetched by the job's task."""
    bsky, masto = networks
    root = tmp_path_factory.mktemp("networks") / "store"
    common = ["--store", str(root), "--no-wandb", "--json"]
    prepared = runner.invoke(app, ["prepare", BSKY_HANDLE, *common])
    assert prepared.exit_code == 0, prepared.output
    assert bsky.feed_limits == [100, 100]  # 150 items in 2 pages, now cached
    args = [
        "train", BSKY_HANDLE, f"@{MASTO_HANDLE}", *common, "--max-posts", str(MAX_POSTS),
        "--base-model", "tiny", "--block-size", "128", "--micro-batch", "4", "--max-steps", "2",
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert bsky.feed_limits == [100, 100]  # read from the store, not fetched again
    assert masto.limits == [40, 40, 40]  # --max-posts 120 reached the Ray task
    return Store(str(root)), {d["model"]: d for d in json.loads(result.stdout)}


@pytest.mark.ray
@pytest.mark.slow
def test_each_network_gives_a_published_bot_with_its_figures(
    trained: tuple[Store, dict[str, Any]],
) -> None:
    store, doc = trained
    assert set(doc) == {BSKY_MODEL, MASTO_MODEL}
    ((bsky,), (masto,)) = doc[BSKY_MODEL]["handles"], doc[MASTO_MODEL]["handles"]
    assert bsky == {  # the store's 150 cached posts, capped to --max-posts' most recent
        "handle": BSKY_HANDLE, "tweets_downloaded": MAX_POSTS, "retweets": 1, "short_tweets": 0,
        "tweets_kept": MAX_POSTS - 1,
    }  # fmt: skip
    assert masto == {
        "handle": MASTO_HANDLE, "tweets_downloaded": MAX_POSTS, "retweets": 1, "short_tweets": 0,
        "tweets_kept": MAX_POSTS - 1,
    }  # fmt: skip
    assert all(d["status"] == "published" for d in doc.values())
    raw = store.load_raw(MASTO_HANDLE)  # the task's read, cached under the canonical handle
    assert raw is not None and len(raw.tweets) == MAX_POSTS and raw.source == "mastodon"
    catalog = Catalog(store, cache_s=0)
    for name in doc:  # the serving id `name@version` splits back at its `@`
        model_id = catalog.model_id(name)
        assert model_id.partition("@")[0] == name and model_id.partition("@")[2], model_id


@pytest.fixture(scope="module")
def endpoint(trained: tuple[Store, dict[str, Any]]) -> Iterator[str]:
    """The serving app over the trained store, on its own port (test_serve.py's pattern)."""
    from ray import serve

    from murmur.serving import ServeSettings, build_app

    serve.shutdown()  # HTTP options are cluster-wide: start Serve on our own port
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    settings = ServeSettings(store=trained[0].uri, num_cpus=0.5, store_cache_s=0.2)
    serve.run(build_app(settings), name="murmur-networks", route_prefix="/")
    yield f"http://127.0.0.1:{port}"
    serve.delete("murmur-networks")
    serve.shutdown()


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "network", "profile"),
    [
        (BSKY_MODEL, "Bluesky", f"https://bsky.app/profile/{BSKY_HANDLE}"),
        (MASTO_MODEL, "Mastodon", "https://mastodon-x.example/@bob"),
    ],
)
def test_murmur_generate_and_the_page_talk_to_each_networks_bot(
    endpoint: str, name: str, network: str, profile: str
) -> None:
    result = runner.invoke(app, ["generate", name, "I like", "-n", "2", "--url", endpoint])
    assert result.exit_code == 0, result.output
    (handle,) = handles_of_model_name(name)  # generate labels a bot's tweets with its handle
    tweets = [line for line in result.output.splitlines() if line.startswith(f"🤖 @{handle}: ")]
    assert len(tweets) == 2, result.output
    with httpx.Client(base_url=endpoint, timeout=60) as client:
        listed = [m["id"] for m in client.get("/v1/models").json()["data"]]
        assert name in listed
        answer = client.post(
            "/v1/completions", json={"model": name, "prompt": "Hi", "max_tokens": 4}
        )
        assert answer.status_code == 200 and answer.json()["model"] == name, answer.text
        card = client.get(f"/models/{name}")
        assert card.status_code == 200, card.text
        assert f'href="{profile}"' in card.text and f"</a> on {network}" in card.text
        assert f'href="/?model={name}"' in card.text  # its "Talk to this bot" link
        assert client.get("/", params={"model": name}).status_code == 200


@pytest.mark.ray
@pytest.mark.slow
def test_the_openapi_name_pattern_admits_both_names(endpoint: str) -> None:
    schema = httpx.get(f"{endpoint}/openapi.json", timeout=30).json()
    patterns = set(_model_patterns(schema))
    assert patterns, "no model-name pattern in /openapi.json"
    for pattern in patterns:
        assert re.fullmatch(pattern, BSKY_MODEL) and re.fullmatch(pattern, MASTO_MODEL)
        assert not re.fullmatch(pattern, "bob@mastodon-x.example")  # `@` splits the serving id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _model_patterns(node: Any) -> Iterator[str]:
    """Every `pattern` of a `model` property in a JSON schema."""
    if isinstance(node, dict):
        model = node.get("properties", {}).get("model")
        if isinstance(model, dict) and "pattern" in model:
            yield model["pattern"]
        for value in node.values():
            yield from _model_patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _model_patterns(value)
