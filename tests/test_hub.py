"""Publishing to the Hugging Face Hub (`murmur push`, `murmur train --hub-org`) against a stand-in
Hub on 127.0.0.1 (tests/hub_standin.py): `HF_ENDPOINT` points huggingface_hub at it, with
`HF_HUB_DISABLE_XET=1` (the LFS path), as a user would set them.

The models are real: the tiny base's weights published as training publishes them
(murmur.models.publish.build_model_folder), then pushed by the `murmur` command in a subprocess,
with the environment a user has (no HF_HUB_OFFLINE).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_standin import StandInHub

from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.states import ModelState
from murmur.core.store import MANIFEST, Store
from murmur.jobs.state import AccountRecord

TOKEN = "hf_writer_token_do_not_leak"  # writes to its user's namespace and the org `bots`
READER = "hf_reader_token"  # writes only to its own namespace
TOKENS = {TOKEN: ("writer", {"writer", "bots"}), READER: ("reader", {"reader"})}


def _manifest(name: str, **extra: object) -> ModelManifest:
    return ModelManifest(
        name=name,
        handles=[name],
        stats=[HandleStats(name, 100, 10, 10, 80, display_name=name.title())],
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        version=uuid.uuid4().hex,
        **extra,  # type: ignore[arg-type]
    )


def publish_tiny(store: Store, tmp: Path, name: str) -> None:
    """A full model `name` in `store`: the tiny base's weights, tokenizer, generation config,
    card (naming the store's folder) and manifest, built as training builds them."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.models.base import ensure_tiny_model
    from murmur.models.publish import build_model_folder

    base = ensure_tiny_model()
    model = AutoModelForCausalLM.from_pretrained(base)
    folder = tmp / f"build-{name}"
    build_model_folder(
        folder,
        state_dict=model.state_dict(),
        model_config=model.config,
        tokenizer=AutoTokenizer.from_pretrained(base),
        manifest=_manifest(name, base_model="tiny"),
        model_ref=store.model_path(name),
    )
    store.publish_model(name, folder)


def publish_adapter(store: Store, tmp: Path, name: str, base: str, base_hash: str) -> None:
    """A LoRA bot's folder as the store holds one: PEFT's adapter_config.json (naming the base
    as loaded: a local folder), adapter weights, card and a manifest with `method: lora`."""
    from safetensors.torch import save_file
    from torch import zeros

    from murmur.models.card import render_card

    folder = tmp / f"build-{name}"
    folder.mkdir()
    config = {"peft_type": "LORA", "base_model_name_or_path": "/data/bases/gpt2", "r": 16}
    (folder / "adapter_config.json").write_text(json.dumps(config))
    save_file({"lora_A": zeros(4, 16)}, str(folder / "adapter_model.safetensors"))
    manifest = _manifest(name, base_model=base, base_model_hash=base_hash)
    (folder / "README.md").write_text(render_card(manifest, store.model_path(name)))
    (folder / MANIFEST).write_text(json.dumps({**manifest.to_json(), "method": "lora"}))
    store.publish_model(name, folder)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("hub")
    st = Store(str(root / "store"))
    for name in ("alice", "bob"):
        publish_tiny(st, root, name)
    publish_adapter(st, root, "carol", "tiny", "sha256:" + "0" * 64)
    publish_adapter(st, root, "dave", "gpt2", "hub:gpt2@" + "a" * 40)
    return st


@pytest.fixture
def hub() -> Iterator[StandInHub]:
    with StandInHub(TOKENS) as h:
        yield h


def murmur(hub: StandInHub, tmp: Path, *args: str, token: str | None = TOKEN):
    """Run `murmur ARGS` as a user would, with HF_ENDPOINT at the stand-in and no saved login."""
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_TOKEN")}
    env.pop("TRANSFORMERS_OFFLINE", None)
    env.update(HF_ENDPOINT=hub.url, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp / "hf-home"))
    if token is not None:
        env["HF_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "murmur.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _store_files(store: Store, name: str) -> dict[str, bytes]:
    folder = Path(store.local_model_dir(name))
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}


def test_push_uploads_the_model_and_a_card_naming_the_hub_id(
    store: Store, hub: StandInHub, tmp_path: Path
) -> None:
    r = murmur(hub, tmp_path, "push", "alice", "--hub-org", "bots", "--store", store.uri)
    assert r.returncode == 0, r.stderr
    assert f"pushed alice: {hub.url}/bots/alice (created)" in r.stdout
    repo = hub.state.repos["bots/alice"]
    local = _store_files(store, "alice")
    assert set(repo.files) == set(local)  # weights, tokenizer, generation config, card, manifest
    assert {"model.safetensors", "config.json", "generation_config.json", MANIFEST} <= set(local)
    for name, data in local.items():
        if name != "README.md":
            assert repo.files[name] == data, name
    # The weights went up through the LFS batch API, byte for byte.
    assert hashlib.sha256(local["model.safetensors"]).hexdigest() in hub.state.lfs
    card = repo.files["README.md"].decode()
    assert "pipeline('text-generation', model=\"bots/alice\")" in card
    assert store.model_path("alice") not in card  # the store's card names its folder instead
    assert store.model_path("alice") in local["README.md"].decode()
    assert "murmur" in repo.tags and "huggingtweets" in repo.tags  # from the card's metadata
    assert "## Training data" in card and "Tweets kept" in card
    assert not repo.private
    for data in repo.files.values():  # the token is never written anywhere
        assert TOKEN.encode() not in data
    assert TOKEN not in r.stdout + r.stderr

    # Pushing again updates the repo murmur made: a new commit, stale files removed.
    repo.files["stale.bin"] = b"left over"
    again = murmur(hub, tmp_path, "push", "alice", "--hub-org", "bots", "--store", store.uri)
    assert again.returncode == 0, again.stderr
    assert f"pushed alice: {hub.url}/bots/alice (updated)" in again.stdout
    assert len(repo.commits) == 2 and repo.commits[-1].startswith("murmur: publish alice")
    assert "stale.bin" not in repo.files and set(repo.files) == set(local)


def test_a_repo_murmur_did_not_make_needs_force_and_other_models_go_on(
    store: Store, hub: StandInHub, tmp_path: Path
) -> None:
    theirs = {"README.md": b"---\ntags:\n- other\n---\nSomeone's model\n", "w.bin": b"x"}
    hub.add_repo("bots/bob", theirs)
    r = murmur(hub, tmp_path, "push", "bob", "alice", "--hub-org", "bots", "--store", store.uri)
    assert r.returncode == 1
    failed = [line for line in r.stdout.splitlines() if line.startswith("failed")]
    assert failed == [
        "failed bob → bots/bob: bots/bob exists on the Hub and was not made by murmur (no "
        "`murmur` tag): pick another --hub-org, or pass --force to replace its files"
    ]
    assert hub.state.repos["bots/bob"].files == theirs  # untouched
    assert "pushed alice" in r.stdout  # the other model went on

    forced = murmur(
        hub, tmp_path, "push", "bob", "--hub-org", "bots", "--force", "--store", store.uri
    )
    assert forced.returncode == 0, forced.stderr
    assert set(hub.state.repos["bots/bob"].files) == set(_store_files(store, "bob"))


def test_errors_are_one_line_per_model(store: Store, hub: StandInHub, tmp_path: Path) -> None:
    uri = store.uri
    none = murmur(hub, tmp_path, "push", "alice", "--hub-org", "bots", "--store", uri, token=None)
    assert none.returncode == 1
    assert none.stderr.strip() == (
        "error: no Hugging Face token: set HF_TOKEN to a token with write access, or run "
        "`hf auth login`"
    )

    bad = murmur(hub, tmp_path, "push", "alice", "bob", "--hub-org", "bots", "--store", uri,
                 token="hf_wrong")  # fmt: skip
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [
        f"failed {m} → bots/{m}: the Hub refused the token (HTTP 401): set HF_TOKEN to a token "
        "with write access, or run `hf auth login`"
        for m in ("alice", "bob")
    ]

    no_rights = murmur(hub, tmp_path, "push", "alice", "nobody", "--hub-org", "bots",
                       "--store", uri, token=READER)  # fmt: skip
    assert no_rights.returncode == 1
    assert no_rights.stdout.splitlines() == [
        "failed alice → bots/alice: this token may not write to bots (HTTP 403): use a token "
        "with write access to bots, or another --hub-org",
        f"failed nobody → bots/nobody: no published model 'nobody' in {uri}: `murmur models` "
        "lists them",
    ]
    assert hub.state.repos == {}

    org = murmur(hub, tmp_path, "push", "alice", "--hub-org", "bad--org", "--store", uri)
    assert org.returncode == 1 and org.stderr.startswith("error: --hub-org 'bad--org' is no ")
    assert len(org.stderr.strip().splitlines()) == 1


def test_hub_private(store: Store, hub: StandInHub, tmp_path: Path) -> None:
    """--hub-private creates a private repo, and makes a public one murmur made private."""
    r = murmur(hub, tmp_path, "push", "alice", "bob", "--hub-org", "writer", "--hub-private",
               "--store", store.uri)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert hub.state.repos["writer/alice"].private
    hub.state.repos["writer/bob"].private = False  # made public on the Hub since
    again = murmur(hub, tmp_path, "push", "bob", "--hub-org", "writer", "--hub-private",
                   "--store", store.uri)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert hub.state.repos["writer/bob"].private


def test_lora_bots_need_a_base_on_the_hub(store: Store, hub: StandInHub, tmp_path: Path) -> None:
    r = murmur(hub, tmp_path, "push", "carol", "dave", "--hub-org", "bots", "--store", store.uri)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == (
        "failed carol → bots/carol: carol is a LoRA adapter on base 'tiny', which is not on the "
        "Hub: train it on a Hub base (e.g. --base-model gpt2) to push it"
    )
    assert "bots/carol" not in hub.state.repos
    # An adapter on gpt2 goes up, its config naming the base by its Hub id, not a local folder.
    repo = hub.state.repos["bots/dave"]
    assert json.loads(repo.files["adapter_config.json"])["base_model_name_or_path"] == "gpt2"
    local = _store_files(store, "dave")
    assert repo.files["adapter_model.safetensors"] == local["adapter_model.safetensors"]
    assert 'model="bots/dave"' in repo.files["README.md"].decode()


def test_train_checks_the_hub_before_any_work(hub: StandInHub, tmp_path: Path) -> None:
    """`murmur train --hub-org` fails in one line before reading a tweet or starting Ray."""
    args = ("train", "alice", "--tweets", str(tmp_path), "--store", str(tmp_path / "s"), "--yes")
    no_token = murmur(hub, tmp_path, *args, "--hub-org", "bots", token=None)
    assert no_token.returncode == 1
    assert no_token.stderr.strip().startswith("error: no Hugging Face token")
    detached = murmur(hub, tmp_path, *args, "--hub-org", "bots", "--address", "http://h:8265")
    assert detached.returncode == 2 and "--hub-org with --address needs --wait" in detached.stderr
    assert not (tmp_path / "s" / "jobs").exists()


def test_train_pushes_only_the_models_it_newly_published(
    store: Store, hub: StandInHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The end of `murmur train --hub-org bots`: the job's report, then a push of the models it
    published (not those it skipped as already published, nor failed ones)."""
    import typer
    from huggingface_hub import constants

    from murmur.cli.push import HubPush
    from murmur.cli.train import _report

    # In this process huggingface_hub read the test environment at import: point it at the
    # stand-in as HF_ENDPOINT, HF_HUB_DISABLE_XET=1 and no HF_HUB_OFFLINE would have.
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    records = [
        AccountRecord(model="alice", handles=["alice"], state=ModelState.PUBLISHED),
        AccountRecord(model="bob", handles=["bob"], state=ModelState.SKIPPED),
    ]
    _report(records, as_json=True, hub=HubPush(store, "bots", private=False))
    assert set(hub.state.repos) == {"bots/alice"}
    failed = AccountRecord(model="x", handles=["x"], state=ModelState.FAILED, reason="no data")
    with pytest.raises(typer.Exit):  # a failed model still fails the command
        _report([*records, failed], as_json=True, hub=HubPush(store, "bots", private=False))
