"""`murmur prepare` over Bluesky and Mastodon stand-ins, the denylist (`murmur optout`), opt-out
bio tags, and the X read-cost confirmation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import respx
from social_fakes import (
    BSKY,
    MASTO,
    FakeBluesky,
    FakeMastodon,
    bsky_post,
    bsky_repost,
    masto_status,
)
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.handles import model_name
from murmur.core.store import MANIFEST, Store
from murmur.data.consent import bio_tag, x_reads

runner = CliRunner()
ALICE, BOB = "alice.bsky.social", "bob@mastodon.example"


@pytest.fixture
def networks(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Both stand-ins, installed: alice (120 posts + 1 repost + 1 short), bob (120 statuses,
    1 boost, 1 short)."""
    monkeypatch.setenv("MURMUR_BLUESKY_URL", BSKY)
    monkeypatch.setenv("MURMUR_MASTODON_URL", MASTO)
    did = "did:plc:alice"
    bsky, masto = FakeBluesky(), FakeMastodon()
    items = [bsky_post(ALICE, did, i) for i in range(120)]
    bsky.add(ALICE, [*items, bsky_repost(did, 1), bsky_post(ALICE, did, 999, "so true")], did=did)
    boost = masto_status(120, reblog=masto_status(7), content="")
    statuses = [masto_status(i) for i in range(120)]
    masto.add(BOB, [*statuses, boost, masto_status(121, "<p>yes!</p>")])
    with respx.mock(assert_all_called=False) as router:
        bsky.install(router)
        masto.install(router)
        yield bsky, masto


def _prepare(store: Path, *handles: str) -> tuple[int, list[dict]]:
    result = runner.invoke(
        app, ["prepare", *handles, "--store", str(store), "--json", "--no-wandb"]
    )
    return result.exit_code, json.loads(result.stdout) if result.stdout.startswith("[") else []


def test_prepare_gives_each_networks_figures(tmp_path: Path, networks) -> None:  # type: ignore[no-untyped-def]
    code, doc = _prepare(tmp_path / "store", ALICE, "@bob@mastodon.example", f"{ALICE}+@{BOB}")
    assert code == 0, doc
    by_model = {d["model"]: d for d in doc}
    assert set(by_model) == {
        "alice.bsky.social",
        "bob._mastodon.example",
        "alice.bsky.social-bob._mastodon.example",
    }
    for name in ("alice.bsky.social", "bob._mastodon.example"):
        (figures,) = by_model[name]["handles"]
        assert by_model[name]["status"] == "ok"
        assert (figures["tweets_downloaded"], figures["retweets"]) == (122, 1)
        assert (figures["short_tweets"], figures["tweets_kept"]) == (1, 120)
    sources = [h["source"] for h in by_model["alice.bsky.social-bob._mastodon.example"]["handles"]]
    assert sources == ["bluesky", "mastodon"]
    store = Store(str(tmp_path / "store"))  # raw posts cached under the canonical handles
    assert store.load_raw(ALICE).source == "bluesky" and store.load_raw(BOB).source == "mastodon"
    assert Path(store.raw_path(BOB)).name == "bob@mastodon.example.json"


def test_an_opted_out_account_is_refused_in_one_line(tmp_path: Path, networks) -> None:  # type: ignore[no-untyped-def]
    bsky, _ = networks
    bsky.profiles[ALICE]["description"] = "no bots please #NoBot"
    code, doc = _prepare(tmp_path / "store", ALICE, BOB)
    assert code == 1
    by_model = {d["model"]: d for d in doc}
    assert by_model["alice.bsky.social"]["status"] == "failed"
    assert "opted out" in by_model["alice.bsky.social"]["error"]
    assert "\n" not in by_model["alice.bsky.social"]["error"]
    assert by_model["bob._mastodon.example"]["status"] == "ok"  # the others go on


def _publish(store: Store, tmp_path: Path, handles: list[str]) -> str:
    name = model_name(handles)
    folder = tmp_path / f"built-{name}"
    folder.mkdir()
    (folder / MANIFEST).write_text(
        json.dumps({"name": name, "handles": handles, "stats": [], "base_model": "tiny"})
    )
    store.publish_model(name, folder)
    return name


def test_optout_denies_training_and_takes_bots_down(tmp_path: Path, networks) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "store"
    assert _prepare(root, ALICE)[0] == 0  # cached now
    store = Store(str(root))
    alice_bot = _publish(store, tmp_path, [ALICE])
    combined = _publish(store, tmp_path, ["carol", ALICE])
    other = _publish(store, tmp_path, ["carol"])
    result = runner.invoke(app, ["optout", "@Alice.Bsky.Social", "--store", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "opted_out": [ALICE],
        "deleted_models": sorted([alice_bot, combined]),
    }
    assert [m.name for m in store.list_models()] == [other]
    assert store.load_raw(ALICE) is None
    code, doc = _prepare(root, ALICE, f"carol+{ALICE}")
    assert code == 1 and all("denylist" in d["error"] for d in doc)
    assert all(d["handles"] == [] for d in doc)  # refused before anything is read
    refused = runner.invoke(app, ["optout", "../etc", "--store", str(root)])
    assert refused.exit_code == 2 and "not a domain name" in refused.output


def test_bio_tags() -> None:
    assert bio_tag("I bake. #NoAI") == "#noai" and bio_tag("#nobot, thanks") == "#nobot"
    assert bio_tag("#nobots are fine") is None and bio_tag("##nobot") is None
    assert bio_tag(None) is None and bio_tag("cat#nobot") is None


def test_x_reads_cost_needs_confirmation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    handles = [f"user{i}" for i in range(11)]
    assert x_reads([*handles, ALICE], 3200) == 11 * 33
    args = ["prepare", *handles, ALICE, "--store", str(tmp_path / "s"), "--no-wandb", "--json"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "about 363 X API reads (~$1.81" in refused.stderr and "pass --yes" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    ten = runner.invoke(
        app, ["prepare", *handles[:10], "--store", str(tmp_path / "s"), "--json", "--no-wandb"]
    )
    assert ten.exit_code == 1 and "X API reads" not in ten.stderr  # 10: no question asked
    x_only = [a for a in args if a != ALICE]  # (no Bluesky stand-in here)
    went = runner.invoke(app, [*x_only, "--yes", "--max-posts", "100"])
    assert went.exit_code == 1 and "about 22 X API reads" in went.stderr  # then no token
    assert all("X_BEARER_TOKEN" in d["error"] for d in json.loads(went.stdout))
