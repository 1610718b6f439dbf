"""Published models as immutable versions behind one pointer (store format 2), on every store.

    <root>/.versions/<name>/<version>/           one publish: the HF folder + murmur.json, and
        murmur-files.json                        every file's size and sha256, written last
    <root>/.versions/<name>/current.json         the pointer: {"version", "published_at",
                                                 "history": [{"version", "published_at",
                                                 "replaced_at"}, ...] newest first}
    <root>/models/<name> -> ../.versions/<name>/<version>   local stores only: a symbolic link

Publishing uploads a new version under its own prefix, then writes the pointer (one small object,
so one PUT: S3 writes an object whole, https://docs.aws.amazon.com/AmazonS3/latest/userguide/
Welcome.html#ConsistencyModel); on a local store the link is then swapped with one `rename`.
Readers resolve the pointer (local: the link) and read that version's folder, so they see a
whole old model or a whole new one, never a gap. Replaced versions are collected once replaced
more than `Store.version_grace_s` ago, keeping the newest `Store.retention` (rollback needs them).

A replica's copy of an object store's version (`download_version`) is written into a hidden
folder, each file checked against murmur-files.json, then renamed to `<cache>/<name>/<version>`:
the folder exists only whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

from murmur.core.clock import new_version_id
from murmur.core.errors import ModelNotFoundError, StoreError
from murmur.core.paths import cache_dir
from murmur.core.retry import with_retries

log = logging.getLogger(__name__)

MANIFEST = "murmur.json"
FILES_LIST = "murmur-files.json"
POINTER = "current.json"
VERSIONS = ".versions"


class Store(Protocol):
    """What this module uses of murmur.core.store.Store (which calls it: no import cycle)."""

    uri: str
    fs: Any  # an fsspec filesystem
    is_local: bool
    retention: int
    version_grace_s: float

    def path(self, *parts: str) -> str: ...
    def model_path(self, name: str) -> str: ...
    def version_path(self, name: str, version: str) -> str: ...
    def read_json(self, path: str) -> Any: ...
    def write_json(self, path: str, obj: Any) -> None: ...
    def exists(self, path: str) -> bool: ...
    def model_lock(self, name: str) -> contextlib.AbstractContextManager[object]: ...


_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")


def check_version(version: str) -> str:
    """`version` if it is a version's name (a path part of letters, digits, `_.-`); else StoreError."""
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version) or ".." in version:
        raise StoreError(
            f"invalid model version {version!r}: versions are like 20261206T211500Z-1a2b3c4d"
        )
    return version


def _sha256(read: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def file_hashes(folder: Path) -> dict[str, dict[str, Any]]:
    """{relative posix path: {"size": bytes, "sha256": hex}} of every file under `folder`."""
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        if f.name == FILES_LIST:
            continue
        with open(f, "rb") as fh:
            out[f.relative_to(folder).as_posix()] = {
                "size": f.stat().st_size,
                "sha256": _sha256(fh.read),
            }
    return out


def _pick_version(store: Store, name: str, folder: Path, wanted: str) -> str:
    """`wanted` (the manifest's version) where it is a valid, unused name; else a fresh one,
    written into the folder's murmur.json, so that the model id, the cache and the manifest
    always name the same version."""
    try:
        check_version(wanted)
        if not store.exists(store.version_path(name, wanted)):
            return wanted
    except StoreError:
        pass
    version = new_version_id()
    manifest_file = folder / MANIFEST
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if isinstance(manifest, dict):
        manifest["version"] = version
        manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    return version


# ---- the pointer -----------------------------------------------------------------------------
def read_pointer(store: Store, name: str) -> dict[str, Any] | None:
    """The model's pointer document, or None where it has none (never published, or deleted)."""
    try:
        doc = store.read_json(store.path(VERSIONS, name, POINTER))
    except FileNotFoundError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), str):
        raise StoreError(f"{store.path(VERSIONS, name, POINTER)} is damaged: republish {name!r}")
    return doc


def resolve_version(store: Store, name: str) -> str:
    """The current version of `name`. Raises ModelNotFoundError where it is not published."""
    if store.is_local:
        link = store.model_path(name)
        if os.path.islink(link) and os.path.isdir(link):
            return os.path.basename(os.readlink(link))
    else:
        pointer = read_pointer(store, name)
        if pointer is not None:
            return str(pointer["version"])
    raise ModelNotFoundError(
        f"no published model {name!r} in {store.uri}: `murmur models` lists them"
    )


def _next_pointer(
    store: Store, previous: dict[str, Any] | None, version: str
) -> tuple[dict[str, Any], list[str]]:
    """The pointer making `version` current, and the versions it no longer keeps: those past the
    newest `store.retention` that were replaced more than `store.version_grace_s` ago."""
    now = time.time()
    history = [dict(h) for h in (previous or {}).get("history", []) if isinstance(h, dict)]
    if history and history[0].get("replaced_at") is None:
        history[0]["replaced_at"] = now
    history.insert(0, {"version": version, "published_at": now, "replaced_at": None})
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for i, h in enumerate(history):
        replaced = h.get("replaced_at")
        old = replaced is not None and now - float(replaced) > store.version_grace_s
        (dropped if i >= max(1, store.retention) and old else kept).append(h)
    pointer = {"version": version, "published_at": now, "history": kept}
    return pointer, [str(h["version"]) for h in dropped]


def list_versions(store: Store, name: str) -> list[str]:
    """The kept versions of `name`, the current one first. [] where it is not published."""
    pointer = read_pointer(store, name)
    return [str(h["version"]) for h in pointer["history"]] if pointer else []


# ---- publish, delete, collect ----------------------------------------------------------------
def publish(store: Store, name: str, folder: Path, wanted: str = "") -> str:
    """Upload `folder` as a new version of `name` (named `wanted` where free, else a fresh name
    that its murmur.json is updated to), then make it current. Returns the version.

    Every upload is retried (murmur.core.retry); an error that outlasts the retries is raised
    (OSError, StoreError) and leaves the current version as it was."""
    version = _pick_version(store, name, folder, wanted)
    hashes = file_hashes(folder)
    vdir = store.version_path(name, version)
    listing = json.dumps({"version": version, "files": hashes}, indent=1)
    if store.is_local:
        staged = f"{vdir}.{uuid.uuid4().hex[:8]}.tmp"
        shutil.copytree(folder, staged)
        Path(staged, FILES_LIST).write_text(listing, encoding="utf-8")
        os.rename(staged, vdir)  # the version appears whole
    else:
        for rel in hashes:
            src, dst = str(folder / rel), f"{vdir}/{rel}"
            with_retries(lambda s=src, d=dst: store.fs.put_file(s, d), f"put {dst}")  # type: ignore[misc]
        with_retries(
            lambda: store.fs.pipe_file(f"{vdir}/{FILES_LIST}", listing.encode()),
            f"put {vdir}/{FILES_LIST}",
        )
    with store.model_lock(name):
        _commit(store, name, version, read_pointer(store, name))
    return version


def _commit(store: Store, name: str, version: str, previous: dict[str, Any] | None) -> None:
    """Make `version` current after `previous` (the caller holds the model's lock): the pointer
    written last (the commit point), then the local link, then the versions it no longer keeps
    and the orphans removed. Shared by publish and make_current: one pointer rule."""
    pointer, dropped = _next_pointer(store, previous, version)
    store.write_json(store.path(VERSIONS, name, POINTER), pointer)  # the commit point
    if store.is_local:
        _swap_link(store, name, version)
    for old in dropped:
        _remove(store, store.version_path(name, old))
    _collect_orphans(store, name, {str(h["version"]) for h in pointer["history"]})


def _swap_link(store: Store, name: str, version: str) -> None:
    """Point the local `models/<name>` at `version` with one rename."""
    dest = store.model_path(name)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = f"{dest}.{uuid.uuid4().hex}.link"
    os.symlink(os.path.relpath(store.version_path(name, version), os.path.dirname(dest)), tmp)
    if os.path.isdir(dest) and not os.path.islink(dest):
        shutil.rmtree(dest)  # a plain folder left by hand
    os.replace(tmp, dest)


def _remove(store: Store, path: str) -> None:
    try:
        if store.is_local:
            shutil.rmtree(path, ignore_errors=True)
        else:
            store.fs.rm(path, recursive=True)
    except FileNotFoundError:
        pass
    except OSError as e:  # collection is housekeeping: the next publish tries again
        log.warning("could not remove the old version %s (%s)", path, e)


def _modified(store: Store, path: str) -> float | None:
    """When anything under `path` was last written (unix seconds), or None where unknown."""
    if store.is_local:
        try:
            return os.stat(path).st_mtime
        except OSError:
            return None
    try:
        stamps = [e.get("LastModified") or e.get("mtime") for e in store.fs.ls(path, detail=True)]
    except OSError:
        return None
    times = [s.timestamp() if hasattr(s, "timestamp") else float(s) for s in stamps if s]
    return max(times) if times else None


def _collect_orphans(store: Store, name: str, kept: set[str]) -> None:
    """Remove versions no pointer names (an upload that crashed, or lost a race to publish) once
    untouched for `store.version_grace_s`: an upload in progress is younger than that."""
    base = store.path(VERSIONS, name)
    try:
        entries = [e.rstrip("/").rsplit("/", 1)[-1] for e in store.fs.ls(base, detail=False)]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if entry in kept or entry in (POINTER, ".lock") or entry.startswith("."):
            continue
        stamp = _modified(store, f"{base}/{entry}")
        if stamp is not None and now - stamp > store.version_grace_s:
            _remove(store, f"{base}/{entry}")


def delete(store: Store, name: str) -> None:
    """Unpublish `name` at once (the link, then the pointer), then remove every version."""
    with store.model_lock(name):
        if store.is_local and os.path.islink(store.model_path(name)):
            os.unlink(store.model_path(name))
        with contextlib.suppress(FileNotFoundError):
            store.fs.rm(store.path(VERSIONS, name, POINTER))
        for version in _version_folders(store, name):
            _remove(store, store.version_path(name, version))


def _version_folders(store: Store, name: str) -> list[str]:
    base = store.path(VERSIONS, name)
    if not store.exists(base):
        return []
    names = [e.rstrip("/").rsplit("/", 1)[-1] for e in store.fs.ls(base, detail=False)]
    return [
        n
        for n in names
        if n not in (POINTER, ".lock") and not n.startswith(".") and _VERSION_RE.fullmatch(n)
    ]


# ---- a replica's copy ------------------------------------------------------------------------
def default_cache() -> Path:
    """Where replicas keep copies of object-store versions: `<murmur.core.paths.cache_dir()>/models`
    ($MURMUR_CACHE/models, else ~/.cache/murmur/models)."""
    return cache_dir() / "models"


def download(store: Store, name: str, version: str, cache_dir: str | Path | None = None) -> Path:
    """A local folder holding `version` of `name` whole. A local store's version folder is
    returned as is; an object store's is downloaded once into `<cache>/<name>/<version>`, every
    file checked against its sha256. Raises ModelNotFoundError (no such version), StoreError (a
    file whose hash stays wrong after a second download), OSError (the store, after retries)."""
    vdir = store.version_path(name, check_version(version))
    try:
        listing = store.read_json(f"{vdir}/{FILES_LIST}")
    except FileNotFoundError:
        raise ModelNotFoundError(
            f"no version {version!r} of model {name!r} in {store.uri}: it was replaced and "
            "collected, or never published; `murmur models` lists the current ones"
        ) from None
    if store.is_local:
        return Path(vdir)
    final = Path(cache_dir or default_cache()) / name / version
    if (final / FILES_LIST).is_file():
        return final
    part = final.parent / f".{version}.{uuid.uuid4().hex[:8]}.partial"
    part.mkdir(parents=True)
    try:
        for rel, meta in listing["files"].items():
            _fetch_checked(store, f"{vdir}/{rel}", part / rel, str(meta["sha256"]))
        (part / FILES_LIST).write_text(json.dumps(listing), encoding="utf-8")  # marked whole last
        try:
            os.rename(part, final)
        except OSError:  # another process of this node renamed its whole copy first
            if not (final / FILES_LIST).is_file():
                raise
    finally:
        shutil.rmtree(part, ignore_errors=True)
    return final


def _fetch_checked(store: Store, src: str, dst: Path, sha256: str) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):  # a second download heals a copy damaged in transit
        with_retries(lambda: store.fs.get_file(src, str(dst)), f"get {src}")
        with open(dst, "rb") as fh:
            if _sha256(fh.read) == sha256:
                return
    raise StoreError(
        f"{src} does not match its sha256 in {FILES_LIST}: the store's copy is damaged; republish the model"
    )


# ---- rollback --------------------------------------------------------------------------------
def make_current(store: Store, name: str, version: str) -> None:
    """Make `version`, one of the versions `name` keeps (list_versions), current again
    (`murmur rollback`): it leaves its place in the history for the front and the pointer is
    rewritten by the same rule as a publish (_commit), so collection then counts it as the
    newest. Raises ModelNotFoundError (the model is not published, or keeps no such version),
    StoreError (an invalid version name, or the version is already current)."""
    check_version(version)
    with store.model_lock(name):
        previous = read_pointer(store, name)
        if previous is None:
            raise ModelNotFoundError(
                f"no published model {name!r} in {store.uri}: `murmur models` lists them"
            )
        if previous["version"] == version:
            raise StoreError(f"version {version} of {name} is already current: nothing to do")
        history = [h for h in previous.get("history", []) if isinstance(h, dict)]
        listing = f"{store.version_path(name, version)}/{FILES_LIST}"
        if version not in {h.get("version") for h in history} or not store.exists(listing):
            raise ModelNotFoundError(
                f"model {name!r} keeps no version {version!r}: "
                f"`murmur models {name} --versions` lists the kept ones"
            )
        rest = {**previous, "history": [h for h in history if h.get("version") != version]}
        _commit(store, name, version, rest)
