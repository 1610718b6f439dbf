"""The store: one URI where raw tweets, base models, published models and job state live.

A local folder by default; `s3://`, `gs://` and other fsspec URIs for clusters.

    <root>/store.json                 the store's format: {"format": 2, "created": ...}
    <root>/raw/<handle>.json          an account's raw tweets and profile (cached fetch)
    <root>/base/<preset>/             base models built locally (the `tiny` preset: models.base)
    <root>/.versions/<name>/          a published model's versions and its pointer, current.json
    <root>/models/<name>              local stores: a link to the current version (HF folder +
                                      README.md + murmur.json), so a path loads with HF pipeline
    <root>/jobs/<job>/                a job's state: job.json, accounts/<model>.json
    <root>/checkpoints/               Ray Train's storage_path
    <root>/train/<run>/               a Ray Train run's inputs and results (train.runfiles)

Publishing is atomic on every store (murmur.core.model_versions): a new version is written under
its own prefix and one small pointer written last makes it current; readers resolve the pointer
and see a whole old model or a whole new one. `resolve_version(name)` and
`download_version(name, version)` are what replicas call; old versions are collected after
`version_grace_s`, keeping `retention` of them.

Format versions (`store.json`, written when a store is first opened): 1 added `store.json` and
`base/`; 2 the versions and pointers. A store without `store.json` (format 0, or a new folder) or
of format 1 is migrated in place when opened (murmur.core.store_migration); a newer format
than `STORE_FORMAT` is refused in one line, and so is an old store this process cannot migrate.
Every write is retried with backoff (murmur.core.retry).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import fsspec

from murmur.core import model_versions as mv
from murmur.core.clock import utc_stamp
from murmur.core.errors import ModelNotFoundError, StoreError
from murmur.core.handles import normalize_handle, validate_model_name
from murmur.core.manifest import ModelManifest
from murmur.core.paths import file_lock
from murmur.core.retry import with_retries
from murmur.core.store_migration import migrate_models
from murmur.core.tweets import Account, Tweet

log = logging.getLogger(__name__)

MANIFEST = "murmur.json"
DEFAULT_STORE = "./murmur-store"
STORE_FILE = "store.json"
STORE_FORMAT = 2  # bump when the layout changes; migrate older stores in Store._check_format
_FORMAT_0_FOLDERS = ("raw", "models", ".versions", "jobs", "checkpoints", "train")
_VERSION_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")


def _manifest_version(folder: Path) -> str:
    """The `version` the folder's manifest records (models.publish stamps it), so that the
    version folder and the manifest name one version; "" where it has none."""
    try:
        version = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return ""
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        return ""  # none, or not a folder name: the store picks one
    return version


def default_store_uri() -> str:
    return os.environ.get("MURMUR_STORE", DEFAULT_STORE)


class Store:
    """A store rooted at a local folder or an fsspec URI."""

    version_grace_s: float = 600.0  # a replaced version stays readable this long (seconds)
    retention: int = 3  # versions of a model kept, the current one included (rollback)

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
        """Refuse a store newer than this murmur; migrate a new or older one to STORE_FORMAT and
        record it in `store.json`. Raises StoreError in one line, also where an older store
        cannot be migrated by this process (no write access)."""
        path = self.path(STORE_FILE)
        found: Any = 0
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
            if found == STORE_FORMAT:
                return
        elif not any(self.exists(self.path(d)) for d in _FORMAT_0_FOLDERS):
            found = STORE_FORMAT  # a new store: nothing to migrate
        self._migrate(found)

    def _migrate(self, found: int) -> None:
        """Bring a store of format `found` to STORE_FORMAT in place, then write `store.json`."""
        doc: dict[str, Any] = {
            "format": STORE_FORMAT,
            "created": utc_stamp(),
        }
        try:
            if found < STORE_FORMAT:
                doc["migrated_from"] = found
                count = migrate_models(self)
                log.info(
                    "store %s: migrated %d models from format %d to %d",
                    self.uri,
                    count,
                    found,
                    STORE_FORMAT,
                )
            self.write_json(self.path(STORE_FILE), doc)
        except OSError as e:
            if found == STORE_FORMAT:  # a new store opened read-only: nothing in it to misread
                log.warning("cannot write %s (%s): reading the store as it is", STORE_FILE, e)
                return
            raise StoreError(
                f"the store {self.uri} has format {found} and this murmur reads {STORE_FORMAT}: "
                f"migrating it failed ({e}); open it once with write access (murmur models "
                f"--store {self.uri}) to migrate it in place"
            ) from e

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
        """A JSON document. FileNotFoundError where absent; StoreError where unreadable. On an
        object store one GET of the whole object (`cat_file`): never a cached size or listing."""
        try:
            if self.is_local:
                with open(path, encoding="utf-8") as f:
                    return json.load(f)
            return json.loads(with_retries(lambda: self.fs.cat_file(path), f"get {path}"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot read {path}: {e}") from e

    def write_json(self, path: str, obj: Any) -> None:
        """Write JSON so that a reader sees the old document or the new one, never half (local:
        a rename; object store: one PUT). Retried with backoff; OSError once the retries fail."""
        data = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False)
        if self.is_local:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{uuid.uuid4().hex}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(tmp, path)
        else:
            with_retries(lambda: self.fs.pipe_file(path, data.encode("utf-8")), f"put {path}")

    def exists(self, path: str) -> bool:
        return bool(self.fs.exists(path))

    # ---- raw tweets --------------------------------------------------------------------------
    def save_raw(self, account: Account) -> None:
        """Cache an account's raw posts and profile under its handle, stamped `fetched_at`:
        `account.read_at` when the reader set it, else now (murmur.core.clock.utc_stamp).
        `extra` (the network's ids: Bluesky's DID, Mastodon's account id) is kept with them."""
        self.write_json(
            self.raw_path(account.handle),
            {
                "handle": account.handle,
                "display_name": account.display_name,
                "avatar_url": account.avatar_url,
                "source": account.source,
                "fetched_at": account.read_at or utc_stamp(),
                "extra": account.extra,
                "tweets": [t.to_json() for t in account.tweets],
            },
        )

    def load_raw(self, handle: str) -> Account | None:
        """The cached raw posts of `handle`, with `read_at` = when they were read (the cache's
        `fetched_at`; None in a cache without it), or None when nothing is cached."""
        path = self.raw_path(handle)
        if not self.exists(path):
            return None
        d = self.read_json(path)
        extra = d.get("extra")
        return Account(
            handle=d["handle"],
            display_name=d.get("display_name"),
            avatar_url=d.get("avatar_url"),
            source=d.get("source", "unknown"),
            tweets=[Tweet.from_json(t) for t in d["tweets"]],
            extra=extra if isinstance(extra, dict) else {},
            read_at=d.get("fetched_at"),
        )

    # ---- models (immutable versions behind a pointer: murmur.core.model_versions) ----------
    def model_lock(self, name: str) -> AbstractContextManager[object]:
        """Publishes and deletes of one model take turns (a local store's flock). On an object
        store it locks nothing: the leases (murmur.jobs.leases) keep one publisher per model."""
        if self.is_local:
            return file_lock(self.path(mv.VERSIONS, validate_model_name(name), ".lock"))
        return nullcontext()

    def version_path(self, name: str, version: str) -> str:
        """The folder of one version of a model: `.versions/<name>/<version>`."""
        return self.path(mv.VERSIONS, validate_model_name(name), mv.check_version(version))

    def publish_model(self, name: str, folder: str | Path) -> str:
        """Publish a finished local model folder (it must hold murmur.json) as a new version of
        `name` and make it current, atomically (module docstring). Returns the model's path in
        the store (`current_path`). Raises StoreError for an incomplete folder; OSError where the
        store fails after the retries (murmur.core.retry), leaving the current version as it was."""
        folder = Path(folder)
        if not (folder / MANIFEST).is_file():
            raise StoreError(f"{folder} has no {MANIFEST}: only complete models are published")
        version = mv.publish(self, validate_model_name(name), folder, _manifest_version(folder))
        return self.model_path(name) if self.is_local else self.version_path(name, version)

    def resolve_version(self, name: str) -> str:
        """The current version of a published model (its pointer). Raises ModelNotFoundError."""
        return mv.resolve_version(self, validate_model_name(name))

    def list_versions(self, name: str) -> list[str]:
        """The kept versions of a model, current first (`retention` of them, and any replaced
        less than `version_grace_s` ago); [] where it is not published."""
        return mv.list_versions(self, validate_model_name(name))

    def download_version(
        self, name: str, version: str, cache_dir: str | Path | None = None
    ) -> Path:
        """A local folder holding that version whole: a local store's own folder; an object
        store's copied once into `<cache>/<name>/<version>` (default `$MURMUR_CACHE/models`),
        every file checked against its sha256 and the folder renamed into place only whole.
        Raises ModelNotFoundError (no such version), StoreError (a damaged copy in the store)."""
        return mv.download(self, validate_model_name(name), version, cache_dir)

    def current_path(self, name: str) -> str:
        """The store path of the model's current files: `models/<name>` on a local store (a link
        to the version), `.versions/<name>/<version>` on an object store. ModelNotFoundError."""
        version = self.resolve_version(name)
        return self.model_path(name) if self.is_local else self.version_path(name, version)

    def has_model(self, name: str) -> bool:
        try:
            self.resolve_version(name)
        except ModelNotFoundError:
            return False
        return True

    def load_manifest(self, name: str) -> ModelManifest:
        """The current version's murmur.json. Raises ModelNotFoundError where not published,
        StoreError where it is not a manifest (not JSON, or fields of the wrong kind)."""
        path = f"{self.current_path(name)}/{MANIFEST}"
        try:
            raw = self.read_json(path)
        except FileNotFoundError:
            raise ModelNotFoundError(
                f"no published model {name!r} in {self.uri}: `murmur models` lists them"
            ) from None
        try:
            return ModelManifest.from_json(raw)
        except (TypeError, AttributeError) as e:
            raise StoreError(
                f"{path} is not a murmur manifest ({e}): publish {name} again"
            ) from None

    def read_card(self, name: str) -> str:
        with self.fs.open(f"{self.current_path(name)}/README.md", "r", encoding="utf-8") as f:
            text: str = f.read()
        return text

    def list_models(self) -> list[ModelManifest]:
        """Manifests of every published model, sorted by name. Unreadable ones are skipped."""
        base = self.path(mv.VERSIONS)
        if not self.is_local:
            self.fs.invalidate_cache()  # s3fs caches listings: another node may have published
        if not self.exists(base):
            return []
        out = []
        for entry in sorted(self.fs.ls(base, detail=False)):
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            try:
                out.append(self.load_manifest(name))
            except Exception:
                continue
        return out

    def delete_model(self, name: str) -> None:
        """Unpublish a model at once, then remove all its versions. ModelNotFoundError."""
        if not self.has_model(name):
            raise ModelNotFoundError(f"no published model {name!r} in {self.uri}")
        mv.delete(self, name)

    def local_model_dir(self, name: str, cache_dir: str | None = None) -> str:
        """A local folder holding the model's current version (`download_version`)."""
        return str(self.download_version(name, self.resolve_version(name), cache_dir))

    def rollback_model(self, name: str, version: str) -> None:
        """Make an older kept version of `name` current again (`murmur rollback`), by the
        pointer rule of a publish (model_versions.make_current). Raises ModelNotFoundError
        (no such model, or it keeps no such version), StoreError (the version is already
        current or its name is invalid)."""
        mv.make_current(self, validate_model_name(name), version)

    def version_manifest(self, name: str, version: str) -> dict[str, Any]:
        """The murmur.json of one stored version of `name`. Raises ModelNotFoundError where
        that version is not in the store."""
        try:
            manifest: dict[str, Any] = self.read_json(
                f"{self.version_path(name, version)}/{MANIFEST}"
            )
        except FileNotFoundError:
            raise ModelNotFoundError(
                f"no version {version!r} of model {name!r} in {self.uri}"
            ) from None
        return manifest
