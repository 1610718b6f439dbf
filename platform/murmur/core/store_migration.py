"""Migrating a store of format 0 or 1 to format 2 in place (murmur.core.model_versions): every
published model gets a version folder with its files' hashes and a pointer. Run by
`Store._check_format` when it opens an older store."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from murmur.core.handles import validate_model_name
from murmur.core.model_versions import (
    FILES_LIST,
    MANIFEST,
    POINTER,
    VERSIONS,
    Store,
    _modified,
    _version_folders,
    file_hashes,
    publish,
    read_pointer,
)
from murmur.core.retry import with_retries


def migrate_models(store: Store) -> int:
    """Give every model published by a format-0/1 murmur a version folder and a pointer; returns
    how many were migrated. Local: the `models/<name>` link's target becomes the current version
    (older version folders join its history). Object store: `models/<name>/` is copied to a
    version folder, the pointer written, then the old folder removed. Idempotent."""
    base = store.path("models")
    if not store.exists(base):
        return 0
    count = 0
    for entry in store.fs.ls(base, detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        try:
            validate_model_name(name)
        except ValueError:
            continue  # a leftover `.link`/`.tmp` or a folder that is no model's
        if read_pointer(store, name) is None:
            count += _migrate_local(store, name) if store.is_local else _migrate_object(store, name)
    return count


def _name_version_in_manifest(vdir: Path, version: str) -> None:
    """Make the manifest's `version` the folder's name (format 1 named them apart), so that the
    model id a replica is given (`<name>@<manifest version>`) names a folder of the store."""
    path = vdir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(manifest, dict) and manifest.get("version") != version:
        manifest["version"] = version
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")


def _migrate_local(store: Store, name: str) -> int:
    link = store.model_path(name)
    if not os.path.islink(link):
        if os.path.isfile(os.path.join(link, MANIFEST)):  # a plain folder: publish it properly
            manifest = json.loads(Path(link, MANIFEST).read_text(encoding="utf-8"))
            publish(store, name, Path(link), str(manifest.get("version", "")))
            return 1
        return 0
    current = os.path.basename(os.readlink(link))
    now = time.time()
    history: list[dict[str, Any]] = [{"version": current, "published_at": now, "replaced_at": None}]
    for version in sorted(
        _version_folders(store, name),
        key=lambda v: -(_modified(store, store.version_path(name, v)) or 0),
    ):
        vdir = Path(store.version_path(name, version))
        _name_version_in_manifest(vdir, version)
        if not (vdir / FILES_LIST).is_file():
            listing = {"version": version, "files": file_hashes(vdir)}
            (vdir / FILES_LIST).write_text(json.dumps(listing, indent=1), encoding="utf-8")
        if version != current:
            history.append(
                {
                    "version": version,
                    "published_at": None,
                    "replaced_at": _modified(store, str(vdir)),
                }
            )
    store.write_json(
        store.path(VERSIONS, name, POINTER),
        {"version": current, "published_at": now, "history": history},
    )
    return 1


def _migrate_object(store: Store, name: str) -> int:
    """Copy `models/<name>/` down, publish it as a version (hashes, pointer), remove the old
    folder. One download per model, once; a folder without murmur.json was never published."""
    src = store.model_path(name)
    try:
        manifest = store.read_json(f"{src}/{MANIFEST}")
    except FileNotFoundError:
        return 0
    with tempfile.TemporaryDirectory(prefix="murmur-migrate-") as tmp:
        with_retries(lambda: store.fs.get(src + "/", tmp + "/", recursive=True), f"get {src}")
        wanted = str(manifest.get("version", "")) if isinstance(manifest, dict) else ""
        publish(store, name, Path(tmp), wanted)
    store.fs.rm(src, recursive=True)
    return 1
