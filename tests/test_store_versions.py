"""Store format 2: versions behind a pointer on object stores too, the hash-checked download
cache, retention, migration from format 1 in place, and the retried writes."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from murmur.core import model_versions as mv
from murmur.core.errors import ModelNotFoundError, StoreError
from murmur.core.retry import with_retries
from murmur.core.store import MANIFEST, STORE_FILE, STORE_FORMAT, Store

FILES = ("config.json", "model.safetensors", "README.md")


def _make_model(folder: Path, name: str, tag: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        (folder / f).write_text(f"{tag}\n" + "x" * 4096)
    (folder / MANIFEST).write_text(
        json.dumps(
            {"name": name, "handles": [name], "stats": [], "base_model": "tiny", "version": tag}
        )
    )
    return folder


@pytest.fixture
def bucket() -> Iterator[str]:
    """An object store (fsspec's memory filesystem: no rename, no links, as S3)."""
    name = f"bucket-{uuid.uuid4().hex[:8]}"
    yield f"memory://{name}"
    fsspec.filesystem("memory").rm(f"/{name}", recursive=True)


def test_an_object_store_publishes_versions_behind_a_pointer(tmp_path: Path, bucket: str) -> None:
    store = Store(bucket)
    store.publish_model("a", _make_model(tmp_path / "m1", "a", "v1"))
    assert store.resolve_version("a") == "v1"
    store.publish_model("a", _make_model(tmp_path / "m2", "a", "v2"))
    assert store.resolve_version("a") == "v2" and store.list_versions("a") == ["v2", "v1"]
    assert [m.version for m in store.list_models()] == ["v2"]
    assert not store.exists(store.path("models", "a"))  # format 2 writes no bare folder
    cache = tmp_path / "cache"
    old = store.download_version("a", "v1", cache)  # a replica still on the old id
    new = Path(store.local_model_dir("a", str(cache)))
    assert old == cache / "a" / "v1" and new == cache / "a" / "v2"
    assert (new / "config.json").read_text().startswith("v2\n")
    assert (old / "config.json").read_text().startswith("v1\n")
    assert not [p for p in (cache / "a").iterdir() if p.name.startswith(".")]  # no partials left
    store.delete_model("a")
    assert not store.has_model("a") and store.list_models() == []
    with pytest.raises(ModelNotFoundError, match="no version 'v1'"):
        store.download_version("a", "v1", tmp_path / "cache2")


def test_the_cache_checks_every_file_hash(tmp_path: Path, bucket: str) -> None:
    store = Store(bucket)
    store.publish_model("a", _make_model(tmp_path / "m", "a", "v1"))
    store.fs.pipe_file(store.version_path("a", "v1") + "/config.json", b"tampered")
    with pytest.raises(StoreError, match=r"config.json does not match its sha256"):
        store.download_version("a", "v1", tmp_path / "cache")
    assert not (tmp_path / "cache" / "a" / "v1").exists()  # never marked whole
    assert not list((tmp_path / "cache" / "a").iterdir())


def test_retention_and_grace(tmp_path: Path, bucket: str) -> None:
    store = Store(bucket)
    store.retention = 2
    for i in range(4):  # within the grace period: every replaced version stays readable
        store.publish_model("a", _make_model(tmp_path / f"m{i}", "a", f"v{i}"))
    assert store.list_versions("a") == ["v3", "v2", "v1", "v0"]
    store.version_grace_s = 0.0
    store.publish_model("a", _make_model(tmp_path / "m4", "a", "v4"))
    assert store.list_versions("a") == ["v4", "v3"]
    with pytest.raises(ModelNotFoundError):
        store.download_version("a", "v1", tmp_path / "cache")
    assert store.download_version("a", "v3", tmp_path / "cache").is_dir()


def test_a_republished_version_name_gets_a_fresh_folder(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s"))
    store.publish_model("a", _make_model(tmp_path / "m1", "a", "same"))
    store.publish_model("a", _make_model(tmp_path / "m2", "a", "same"))
    first, second = store.list_versions("a")[1], store.resolve_version("a")
    assert first == "same" and second != first
    assert store.load_manifest("a").version == second  # the manifest names its own folder
    assert Path(store.local_model_dir("a")) == Path(store.version_path("a", second))


def _format_1_local(root: Path, tmp_path: Path) -> None:
    """A local store as murmur wrote format 1: a link into .versions, no pointer, no hashes."""
    version = root / ".versions" / "a" / "20261101T000000-1a2b3c4d"
    _make_model(version, "a", "one")
    (root / "models").mkdir(parents=True)
    os.symlink("../.versions/a/20261101T000000-1a2b3c4d", root / "models" / "a")
    _make_model(root / "models" / "b", "b", "bee")  # a plain folder left by hand
    (root / STORE_FILE).write_text(json.dumps({"format": 1, "created": "2026-11-01T00:00:00Z"}))


def test_a_format_1_local_store_is_migrated_in_place(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _format_1_local(root, tmp_path)
    store = Store(str(root))
    doc = json.loads((root / STORE_FILE).read_text())
    assert doc["format"] == STORE_FORMAT == 2 and doc["migrated_from"] == 1
    assert store.resolve_version("a") == "20261101T000000-1a2b3c4d"
    assert store.load_manifest("a").version == "20261101T000000-1a2b3c4d"  # the model id's
    assert store.resolve_version("b") == "bee" and os.path.islink(root / "models" / "b")
    assert {m.name for m in store.list_models()} == {"a", "b"}
    listing = json.loads(
        (Path(store.version_path("a", store.resolve_version("a"))) / mv.FILES_LIST).read_text()
    )
    assert set(listing["files"]) == {*FILES, MANIFEST}
    Store(str(root))  # opening it again changes nothing
    assert store.list_versions("a") == ["20261101T000000-1a2b3c4d"]


def test_a_format_1_object_store_is_migrated_in_place(tmp_path: Path, bucket: str) -> None:
    fs, root = fsspec.core.url_to_fs(bucket)
    for f in (*FILES, MANIFEST):  # format 1 on an object store: models/<name>/ holds the files
        fs.put_file(str(_make_model(tmp_path / "m", "a", "one") / f), f"{root}/models/a/{f}")
    fs.pipe_file(f"{root}/models/half/config.json", b"{}")  # never published: no murmur.json
    fs.pipe_file(f"{root}/{STORE_FILE}", json.dumps({"format": 1}).encode())
    store = Store(bucket)
    assert store.resolve_version("a") == "one" and store.load_manifest("a").version == "one"
    assert not fs.exists(f"{root}/models/a")
    assert (
        (store.download_version("a", "one", tmp_path / "c") / "README.md")
        .read_text()
        .startswith("one")
    )
    assert not store.has_model("half")


def test_an_old_store_that_cannot_be_migrated_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "old"
    _format_1_local(root, tmp_path)

    def refuse(self: Store, path: str, obj: object) -> None:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(Store, "write_json", refuse)
    with pytest.raises(StoreError, match=r"has format 1 .* open it once with write access") as e:
        Store(str(root))
    assert "\n" not in str(e.value)


def test_transient_errors_are_retried_and_permanent_ones_are_not() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("connection reset")
        return "ok"

    assert with_retries(flaky, "put x", backoff_s=0.01) == "ok" and len(calls) == 3
    calls.clear()

    def missing() -> None:
        calls.append(1)
        raise FileNotFoundError("x")

    with pytest.raises(FileNotFoundError):
        with_retries(missing, "put x", backoff_s=0.01)
    assert len(calls) == 1
    calls.clear()

    def down() -> None:
        calls.append(1)
        raise ConnectionError("down")

    with pytest.raises(ConnectionError):  # bounded: the last error once the tries are spent
        with_retries(down, "put x", attempts=2, backoff_s=0.01)
    assert len(calls) == 2
