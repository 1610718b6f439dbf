"""The store: one URI where raw tweets, base models, published models and job state live.

A local folder by default; `s3://`, `gs://` and other fsspec URIs for clusters.

    <root>/store.json                 the store's format: {"format": 1, "created": ...}
    <root>/raw/<handle>.json          an account's raw tweets and profile (cached fetch)
    <root>/base/<preset>/             base models built locally (the `tiny` preset: models.base)
    <root>/models/<name>/             a published model: HF folder + README.md + murmur.json
    <root>/jobs/<job>/                a job's state: job.json, accounts/<model>.json
    <root>/checkpoints/               Ray Train's storage_path
    <root>/train/<run>/               a training run's inputs, progress and results (training.py)

Publishing is atomic. On a local store `models/<name>` is a symbolic link to an immutable version
folder `.versions/<name>/<version>/`, swapped with one `rename`: a reader sees the old model or the
new one, never a mix. On an object store the files go to `models/<name>/` with `murmur.json`
written last, and a model counts as published only once `murmur.json` is there.

Format versions (`store.json`, written when a store is first opened): 1 adds `store.json` and
`base/`. A store without `store.json` (format 0, from before format versions, or a new folder)
is migrated by writing it: nothing else changed. A newer format than `STORE_FORMAT` is refused.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fsspec

from murmur.core.errors import ModelNotFoundError, StoreError
from murmur.core.handles import normalize_handle, validate_model_name
from murmur.core.tweets import Account, Tweet

log = logging.getLogger(__name__)

MANIFEST = "murmur.json"
DEFAULT_STORE = "./murmur-store"
STORE_FILE = "store.json"
STORE_FORMAT = 1  # bump when the layout changes; migrate older stores in Store._check_format
_FORMAT_0_FOLDERS = ("raw", "models", ".versions", "jobs", "checkpoints", "train")


@contextmanager
def _locked(path: str) -> Iterator[None]:
    """An exclusive advisory lock on a local file: publishes of one model take turns."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def default_store_uri() -> str:
    return os.environ.get("MURMUR_STORE", DEFAULT_STORE)


class Store:
    """A store rooted at a local folder or an fsspec URI."""

    version_grace_s: float = 600.0  # a replaced version stays readable this long

    def __init__(self, uri: str | None = None) -> None:
        uri = uri or default_store_uri()
        self.uri = uri
        self.fs, root = fsspec.core.url_to_fs(uri)
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.is_local = "file" in protocols
        self.root = os.path.abspath(root) if self.is_local else root.rstrip("/")
        if self.is_local:
            self._make_local_root()
        self._check_format()

    def __repr__(self) -> str:
        return f"Store({self.uri!r})"

    def _make_local_root(self) -> None:
        """Create the local store folder. Raises StoreError in one line where the path is a file
        or cannot be created."""
        if os.path.exists(self.root) and not os.path.isdir(self.root):
            raise StoreError(f"--store {self.uri} is a file: give a folder or an s3:// URI")
        try:
            os.makedirs(self.root, exist_ok=True)
        except OSError as e:
            raise StoreError(
                f"--store {self.uri}: cannot create that folder ({e.strerror}): "
                "give a folder you can write to or an s3:// URI"
            ) from e

    # ---- format ------------------------------------------------------------------------------
    def _check_format(self) -> None:
        """Refuse a store newer than this murmur; write `store.json` into a new or older store.
        Raises StoreError in one line. A read-only store without `store.json` is read as is."""
        path = self.path(STORE_FILE)
        if self.exists(path):
            doc = self.read_json(path)
            found = doc.get("format") if isinstance(doc, dict) else None
            if not isinstance(found, int) or isinstance(found, bool) or found < 0:
                raise StoreError(
                    f"{path} has no valid format number ({found!r}): it is not murmur's; "
                    "point --store at a murmur store or remove that file"
                )
            if found > STORE_FORMAT:
                raise StoreError(
                    f"the store {self.uri} has format {found}, newer than this murmur reads "
                    f"({STORE_FORMAT}): upgrade murmur (pip install -U murmur) on this machine"
                )
            return
        older = [d for d in _FORMAT_0_FOLDERS if self.exists(self.path(d))]
        doc = {
            "format": STORE_FORMAT,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if older:
            doc["migrated_from"] = 0
        try:
            self.write_json(path, doc)
        except OSError as e:
            log.warning("cannot write %s (%s): reading the store as it is", path, e)
            return
        if older:
            log.info(
                "store %s: migrated from format 0 to %d (wrote %s)",
                self.uri,
                STORE_FORMAT,
                STORE_FILE,
            )

    # ---- paths -------------------------------------------------------------------------------
    def path(self, *parts: str) -> str:
        for p in parts:
            if not p or any(seg in ("", ".", "..") for seg in p.split("/")):
                raise StoreError(f"refusing store path part {p!r}: it could leave the store")
        return "/".join([self.root, *parts])

    def model_path(self, name: str) -> str:
        return self.path("models", validate_model_name(name))

    def raw_path(self, handle: str) -> str:
        return self.path("raw", f"{normalize_handle(handle)}.json")

    # ---- json --------------------------------------------------------------------------------
    def read_json(self, path: str) -> Any:
        try:
            with self.fs.open(path, "r", encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot read {path}: {e}") from e

    def write_json(self, path: str, obj: Any) -> None:
        """Write JSON so that a reader sees the old document or the new one, never half."""
        data = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False)
        if self.is_local:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{uuid.uuid4().hex}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(tmp, path)
        else:
            with self.fs.open(path, "w", encoding="utf-8") as f:
                f.write(data)

    def exists(self, path: str) -> bool:
        return bool(self.fs.exists(path))

    # ---- raw tweets --------------------------------------------------------------------------
    def save_raw(self, account: Account) -> None:
        self.write_json(
            self.raw_path(account.handle),
            {
                "handle": account.handle,
                "display_name": account.display_name,
                "avatar_url": account.avatar_url,
                "source": account.source,
                "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "tweets": [t.to_json() for t in account.tweets],
            },
        )

    def load_raw(self, handle: str) -> Account | None:
        path = self.raw_path(handle)
        if not self.exists(path):
            return None
        d = self.read_json(path)
        return Account(
            handle=d["handle"],
            display_name=d.get("display_name"),
            avatar_url=d.get("avatar_url"),
            source=d.get("source", "unknown"),
            tweets=[Tweet.from_json(t) for t in d["tweets"]],
        )

    # ---- models ------------------------------------------------------------------------------
    def publish_model(self, name: str, folder: str | Path) -> str:
        """Publish a finished local model folder (it must hold murmur.json) as `models/<name>`.

        Replaces any previous model of that name whole. Returns the model's path in the store.
        """
        folder = Path(folder)
        if not (folder / MANIFEST).is_file():
            raise StoreError(f"{folder} has no {MANIFEST}: only complete models are published")
        dest = self.model_path(name)
        if not self.is_local:
            # Object stores have no rename: upload everything but the manifest, then the manifest.
            if self.fs.exists(dest):
                self.fs.rm(dest, recursive=True)
            for f in sorted(folder.iterdir()):
                if f.name != MANIFEST and f.is_file():
                    self.fs.put_file(str(f), f"{dest}/{f.name}")
            self.fs.put_file(str(folder / MANIFEST), f"{dest}/{MANIFEST}")
            return dest
        version = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        versions = self.path(".versions", name)
        os.makedirs(versions, exist_ok=True)
        os.makedirs(self.path("models"), exist_ok=True)
        staged = os.path.join(versions, version)
        shutil.copytree(folder, staged)  # copied outside the lock: the slow part runs in parallel
        with _locked(os.path.join(versions, ".lock")):
            link_tmp = f"{dest}.{uuid.uuid4().hex}.link"
            os.symlink(os.path.relpath(staged, os.path.dirname(dest)), link_tmp)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)  # a plain folder left by hand or an older layout
            os.replace(link_tmp, dest)  # atomic: readers see the old version or the new one
            self._prune_versions(name, current=version)
        return dest

    def _prune_versions(self, name: str, current: str, keep_older: int = 2) -> None:
        """Remove replaced versions once no reader can still be loading them: keep the newest
        `keep_older`, and any replaced less than `version_grace_s` ago. Called under the publish
        lock, so no version here is half-published."""
        versions = self.path(".versions", name)
        older = sorted(
            (e for e in os.scandir(versions) if e.is_dir() and e.name != current),
            key=lambda e: e.stat().st_mtime,
        )
        cutoff = time.time() - self.version_grace_s
        for e in older[: max(0, len(older) - keep_older)]:
            if e.stat().st_mtime < cutoff:
                shutil.rmtree(e.path, ignore_errors=True)

    def has_model(self, name: str) -> bool:
        return self.exists(f"{self.model_path(name)}/{MANIFEST}")

    def load_manifest(self, name: str) -> dict[str, Any]:
        path = f"{self.model_path(name)}/{MANIFEST}"
        try:
            manifest: dict[str, Any] = self.read_json(path)
        except FileNotFoundError:
            raise ModelNotFoundError(
                f"no published model {name!r} in {self.uri}: `murmur models` lists them"
            ) from None
        return manifest

    def read_card(self, name: str) -> str:
        if not self.has_model(name):
            raise ModelNotFoundError(
                f"no published model {name!r} in {self.uri}: `murmur models` lists them"
            )
        with self.fs.open(f"{self.model_path(name)}/README.md", "r", encoding="utf-8") as f:
            text: str = f.read()
        return text

    def list_models(self) -> list[dict[str, Any]]:
        """Manifests of every published model, sorted by name. Unreadable ones are skipped."""
        base = self.path("models")
        if not self.exists(base):
            return []
        out = []
        for entry in sorted(self.fs.ls(base, detail=False)):
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            if name.endswith((".link", ".tmp")):
                continue
            try:
                out.append(self.load_manifest(name))
            except Exception:
                continue
        return out

    def delete_model(self, name: str) -> None:
        dest = self.model_path(name)
        if not self.has_model(name):
            raise ModelNotFoundError(f"no published model {name!r} in {self.uri}")
        if self.is_local:
            with _locked(os.path.join(self.path(".versions", name), ".lock")):
                if os.path.islink(dest):
                    os.unlink(dest)  # unpublished at once; the version folders go after
                else:
                    shutil.rmtree(dest)
                for e in os.scandir(self.path(".versions", name)):
                    if e.is_dir():
                        shutil.rmtree(e.path, ignore_errors=True)
        else:
            self.fs.rm(f"{dest}/{MANIFEST}")  # unpublish first, then remove the rest
            self.fs.rm(dest, recursive=True)

    def local_model_dir(self, name: str, cache_dir: str | None = None) -> str:
        """A local folder holding the model, downloading it from an object store if needed."""
        if not self.has_model(name):
            raise ModelNotFoundError(
                f"no published model {name!r} in {self.uri}: `murmur models` lists them"
            )
        src = self.model_path(name)
        if self.is_local:
            return os.path.realpath(src)
        manifest = self.load_manifest(name)
        cache = Path(cache_dir or Path.home() / ".cache" / "murmur" / "models")
        local = cache / name / str(manifest.get("version", "latest"))
        if not (local / MANIFEST).exists():
            local.mkdir(parents=True, exist_ok=True)
            self.fs.get(src + "/", str(local) + "/", recursive=True)
        return str(local)
