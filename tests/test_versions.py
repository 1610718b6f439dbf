"""A model's stored versions: `murmur models NAME --versions` lists them, `murmur rollback`
makes an older one current through the publish's pointer rule, and collection keeps it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.errors import ModelNotFoundError, StoreError
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import MANIFEST, Store

FILES = ("config.json", "model.safetensors", "README.md")
runner = CliRunner()


def _make_model(folder: Path, tag: str, kept: int, loss: float) -> Path:
    """A fake published folder of the model `baker` whose every file starts with `tag`, with a
    real manifest (its version is `tag`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        (folder / f).write_text(f"{tag}\n" + "x" * 1024)
    stats = [HandleStats("baker", kept + 10, 6, 4, kept)]
    manifest = ModelManifest(
        "baker", ["baker"], stats, "tiny", val_loss_after=loss, created=f"{tag}-time", version=tag
    )
    (folder / MANIFEST).write_text(json.dumps(manifest.to_json()))
    return folder


def _tags(store: Store, cache: Path) -> set[str]:
    """The tags read across the current version's files and manifest (one means whole)."""
    d = Path(store.local_model_dir("baker", str(cache)))
    return {json.loads((d / MANIFEST).read_text())["version"]} | {
        (d / f).read_text().split("\n", 1)[0] for f in FILES
    }


@pytest.fixture(params=["local", "object"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store holding two versions of `baker`, v1 then v2 (current): a local folder, and an
    object store (fsspec's memory filesystem: no links, no rename, as S3)."""
    bucket = f"bucket-{uuid.uuid4().hex[:8]}"
    st = Store(str(tmp_path / "store") if request.param == "local" else f"memory://{bucket}")
    st.publish_model("baker", _make_model(tmp_path / "m1", "v1", 100, 3.5))
    st.publish_model("baker", _make_model(tmp_path / "m2", "v2", 150, 3.2))
    yield st
    if request.param == "object":
        fsspec.filesystem("memory").rm(f"/{bucket}", recursive=True)


def test_rollback_makes_version_1_current_whole(store: Store, tmp_path: Path) -> None:
    assert store.list_versions("baker") == ["v2", "v1"]
    assert _tags(store, tmp_path / "cache") == {"v2"}
    store.rollback_model("baker", "v1")
    assert store.resolve_version("baker") == "v1"
    assert store.list_versions("baker") == ["v1", "v2"]  # v2 kept: a second rollback undoes it
    assert _tags(store, tmp_path / "cache") == {"v1"}
    assert store.load_manifest("baker").stats[0].tweets_kept == 100
    store.rollback_model("baker", "v2")
    assert _tags(store, tmp_path / "cache") == {"v2"}


def test_rollback_refuses_the_current_an_unknown_and_a_collected_version(store: Store) -> None:
    with pytest.raises(StoreError, match="version v2 of baker is already current"):
        store.rollback_model("baker", "v2")
    with pytest.raises(ModelNotFoundError, match="keeps no version 'v9'"):
        store.rollback_model("baker", "v9")
    with pytest.raises(ModelNotFoundError, match="no published model 'nobody'"):
        store.rollback_model("nobody", "v1")
    assert store.resolve_version("baker") == "v2"  # nothing changed


def test_collection_keeps_a_rolled_back_to_version(store: Store, tmp_path: Path) -> None:
    store.retention, store.version_grace_s = 2, -1.0  # collect at once past the newest 2
    store.rollback_model("baker", "v1")
    store.publish_model("baker", _make_model(tmp_path / "m3", "v3", 200, 3.0))
    assert store.list_versions("baker") == ["v3", "v1"]  # v2 collected, v1 (current last) kept
    assert not store.exists(store.version_path("baker", "v2"))
    assert store.exists(store.version_path("baker", "v1"))
    store.rollback_model("baker", "v1")
    assert _tags(store, tmp_path / "cache") == {"v1"}
    store.retention = 1  # the current version survives even a retention of 1
    store.publish_model("baker", _make_model(tmp_path / "m4", "v4", 210, 2.9))
    assert store.list_versions("baker") == ["v4"]
    assert _tags(store, tmp_path / "cache") == {"v4"}


def test_the_cli_lists_versions_and_rolls_back(tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st = Store(root)
    st.publish_model("baker", _make_model(tmp_path / "m1", "v1", 100, 3.5))
    st.publish_model("baker", _make_model(tmp_path / "m2", "v2", 150, 3.2))
    listed = runner.invoke(app, ["models", "baker", "--versions", "--json", "--store", root])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["version"], r["current"]) for r in rows] == [("v2", True), ("v1", False)]
    assert rows[1] == {
        "version": "v1",
        "current": False,
        "published": "v1-time",
        "method": "full",
        "base_model": "tiny",
        "tweets_kept": {"baker": 100},
        "val_loss_after": 3.5,
    }
    table = runner.invoke(app, ["models", "baker", "--versions", "--store", root])
    assert table.exit_code == 0 and "v1-time" in table.stdout and "@baker 150" in table.stdout
    assert "method" in table.stdout and "full" in table.stdout  # how each version was trained
    done = runner.invoke(app, ["rollback", "baker", "v1", "--yes", "--store", root])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "baker: version v1 is current (was v2)"
    assert Store(root).resolve_version("baker") == "v1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rollback", "nobody", "v1", "--yes"], "error: no published model 'nobody' in"),
        (["rollback", "baker", "v9", "--yes"], "error: model 'baker' keeps no version 'v9'"),
        (["rollback", "baker", "v2", "--yes"], "error: version v2 of baker is already current"),
        (["models", "nobody", "--versions"], "error: no published model 'nobody' in"),
    ],
    ids=["unknown-model", "unknown-version", "already-current", "list-unknown"],
)
def test_mistakes_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st = Store(root)
    st.publish_model("baker", _make_model(tmp_path / "m1", "v1", 100, 3.5))
    st.publish_model("baker", _make_model(tmp_path / "m2", "v2", 150, 3.2))
    result = runner.invoke(app, [*args, "--store", root])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert "Traceback" not in result.output
    assert Store(root).resolve_version("baker") == "v2"
