"""The store: atomic publishing, replacement whole, concurrent writers, paths that stay inside."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from pathlib import Path

import pytest

from murmur.core.errors import HandleError, ModelNotFoundError, StoreError
from murmur.core.store import MANIFEST, STORE_FILE, STORE_FORMAT, Store

FILES = ("config.json", "model.safetensors", "tokenizer.json", "README.md")


def _make_model(folder: Path, name: str, tag: str, size: int = 64 * 1024) -> Path:
    """A fake model folder whose every file carries `tag`: a mixed read is detectable."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        (folder / f).write_text(tag + "\n" + "x" * size)
    (folder / MANIFEST).write_text(
        json.dumps(
            {"name": name, "handles": [name], "stats": [], "base_model": "tiny", "version": tag}
        )
    )
    return folder


def _read_model(store: Store, name: str) -> set[str] | None:
    """Tags seen across one read of a model's files (None when it is not published)."""
    try:
        d = store.local_model_dir(name)
        tags = {json.loads(Path(d, MANIFEST).read_text())["version"]}
        tags |= {Path(d, f).read_text().split("\n", 1)[0] for f in FILES}
        return tags
    except (ModelNotFoundError, FileNotFoundError):
        return None


def test_publish_replace_delete(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "store"))
    assert store.list_models() == []
    store.publish_model("a", _make_model(tmp_path / "m1", "a", "one"))
    assert _read_model(store, "a") == {"one"}
    store.publish_model("a", _make_model(tmp_path / "m2", "a", "two"))
    assert _read_model(store, "a") == {"two"}
    assert [m.version for m in store.list_models()] == ["two"]
    store.delete_model("a")
    assert _read_model(store, "a") is None and store.list_models() == []
    with pytest.raises(ModelNotFoundError, match="no published model 'a'"):
        store.load_manifest("a")


def test_incomplete_folder_is_never_published(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "store"))
    folder = _make_model(tmp_path / "m", "a", "one")
    (folder / MANIFEST).unlink()
    with pytest.raises(StoreError, match="only complete models"):
        store.publish_model("a", folder)
    assert not store.has_model("a")


def test_replaced_versions_are_pruned_after_a_grace(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "store"))
    store.version_grace_s = 0.0
    for i in range(6):
        store.publish_model("a", _make_model(tmp_path / f"m{i}", "a", f"v{i}"))
    kept = sorted(
        e for e in os.listdir(tmp_path / "store" / ".versions" / "a") if e.startswith("v")
    )
    assert kept == ["v3", "v4", "v5"] == sorted(store.list_versions("a"))  # retention 3
    assert _read_model(store, "a") == {"v5"}


@pytest.mark.parametrize("name", ["../x", "a/../../b", "/etc", "..", "a b"])
def test_names_cannot_leave_the_store(tmp_path: Path, name: str) -> None:
    store = Store(str(tmp_path / "store"))
    with pytest.raises((HandleError, StoreError)):
        store.model_path(name)
    with pytest.raises((HandleError, StoreError)):
        store.raw_path(name)


def _publisher(root: str, src: str, name: str, tag: str, n: int) -> None:
    store = Store(root)
    for i in range(n):
        store.publish_model(name, _make_model(Path(src) / f"{tag}-{i}", name, f"{tag}-{i}"))


def _reader(root: str, name: str, n: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    store = Store(root)
    mixed = seen = 0
    for _ in range(n):
        tags = _read_model(store, name)
        if tags is not None:
            seen += 1
            mixed += len(tags) > 1
    out.put((seen, mixed))


def test_concurrent_publishes_and_readers_never_see_a_mix(tmp_path: Path) -> None:
    root, src = str(tmp_path / "store"), str(tmp_path / "src")
    store = Store(root)
    store.publish_model("a", _make_model(tmp_path / "first", "a", "first"))
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_publisher, args=(root, src, "a", f"p{k}", 8)) for k in range(3)]
    procs += [ctx.Process(target=_publisher, args=(root, src, "b", "q", 8))]
    procs += [ctx.Process(target=_reader, args=(root, "a", 300, out)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    results = [out.get(timeout=5) for _ in range(2)]
    assert all(seen == 300 for seen, _ in results), results  # never missing mid-swap
    assert all(mixed == 0 for _, mixed in results), results  # never a mix of two versions
    final = _read_model(store, "a")
    assert final is not None and len(final) == 1 and next(iter(final)).startswith("p")
    assert _read_model(store, "b") == {"q-7"}
    assert not [p for p in os.listdir(tmp_path / "store" / "models") if p.endswith(".link")]


# ---- the format version (store.json) ---------------------------------------------------------
def test_a_new_store_records_its_format(tmp_path: Path) -> None:
    Store(str(tmp_path / "new"))
    doc = json.loads((tmp_path / "new" / STORE_FILE).read_text())
    assert doc["format"] == STORE_FORMAT == 2 and doc["created"].endswith("Z")
    assert "migrated_from" not in doc


def test_an_older_store_is_migrated_and_keeps_its_models(tmp_path: Path) -> None:
    root = tmp_path / "old"
    Store(str(root)).publish_model("a", _make_model(tmp_path / "m", "a", "one"))
    (root / STORE_FILE).unlink()  # as murmur wrote stores before the format version
    store = Store(str(root))
    doc = json.loads((root / STORE_FILE).read_text())
    assert doc["format"] == STORE_FORMAT and doc["migrated_from"] == 0
    assert _read_model(store, "a") == {"one"}
    assert [m.version for m in store.list_models()] == ["one"]


def test_a_newer_store_is_refused_in_one_line(tmp_path: Path) -> None:
    root = tmp_path / "future"
    root.mkdir()
    (root / STORE_FILE).write_text(json.dumps({"format": STORE_FORMAT + 1}))
    with pytest.raises(StoreError, match=r"format 3, newer than .* upgrade murmur") as e:
        Store(str(root))
    assert "\n" not in str(e.value)
    (root / STORE_FILE).write_text(json.dumps({"format": "one"}))
    with pytest.raises(StoreError, match="no valid format number"):
        Store(str(root))


def test_object_stores_carry_the_format_too(tmp_path: Path) -> None:
    import fsspec

    store = Store("memory://murmur-format-test")
    try:
        assert json.loads(store.fs.cat(store.path(STORE_FILE)))["format"] == STORE_FORMAT
        store.fs.pipe(store.path(STORE_FILE), json.dumps({"format": 99}).encode())
        with pytest.raises(StoreError, match="upgrade murmur"):
            Store("memory://murmur-format-test")
    finally:
        fsspec.filesystem("memory").rm("/murmur-format-test", recursive=True)
