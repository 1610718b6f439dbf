"""The published models as the endpoint sees them: each model's id, and the model list.

The store is read per request through a cache of `store_cache_s`, so a model published while the
endpoint runs is served at once and a deleted one answers 404. The multiplexed model id is
`<name>@<version>`: a republished model gets a new id, so replicas load it fresh, and the stale
version falls out of their LRU cache like any model no longer asked for.

A LoRA bot (manifest `method: "lora"`) has the id `<name>@<version>+lora`. Full models are
multiplexed: Serve routes a request to a replica that holds its model. LoRA bots are not
(`routing_id` is ""): Serve routes them by load (two random replicas, the less busy), any
replica serves any of them over its base (murmur.serving.adapters), and requests for different
bots of one base share a batch.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from murmur.core.errors import HandleError, ModelNotFoundError, StoreError
from murmur.core.handles import validate_model_name
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store
from murmur.serving.schema import ApiError, ModelObject

MAX_CACHED_NAMES = 10_000  # names asked for at random must not grow the cache forever
ADAPTER_MARK = "+lora"  # ends the id of a LoRA bot


def is_adapter_id(model_id: str) -> bool:
    """Whether a model id names a LoRA bot."""
    return model_id.endswith(ADAPTER_MARK)


def split_model_id(model_id: str) -> tuple[str, str]:
    """(name, version) of a model id, full or LoRA."""
    name, _, version = model_id.removesuffix(ADAPTER_MARK).partition("@")
    return name, version


def routing_id(model_id: str) -> str:
    """The multiplexed model id Serve routes by: the id of a full model, "" for a LoRA bot
    (routed by load: every replica serves every LoRA bot)."""
    return "" if is_adapter_id(model_id) else model_id


def is_lora(manifest: ModelManifest) -> bool:
    """Whether a manifest is a LoRA bot's (`method`, "full" when absent)."""
    return manifest.method == "lora"


def model_revision(store: Store, name: str, manifest: ModelManifest) -> str:
    """What changes on every publish of a model: its manifest's version, else its version folder."""
    if manifest.version:
        return manifest.version
    if store.is_local:
        return os.path.basename(os.path.realpath(store.model_path(name)))
    return manifest.created or "0"


def _unix_time(iso: str) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except (TypeError, ValueError):
        return 0


def model_object(m: ModelManifest) -> ModelObject:
    """A manifest as /v1/models lists it."""
    return ModelObject(
        id=m.name,
        created=_unix_time(m.created),
        handles=m.handles,
        display_names=m.display_names,
        avatar_urls=[s.avatar_url for s in m.stats],
    )


class Catalog:
    """The published models, re-read from the store at most every `cache_s` seconds."""

    def __init__(self, store: Store, cache_s: float) -> None:
        self.store = store
        self.cache_s = cache_s
        self._models: tuple[float, list[ModelManifest]] | None = None
        self._ids: dict[str, tuple[float, str | None]] = {}

    def model_id(self, name: str) -> str:
        """`<name>@<version>` of a published model (`+lora` after a LoRA bot's); ApiError 422 (bad
        name) or 404 (none)."""
        try:
            validate_model_name(name)
        except HandleError as e:
            raise ApiError(422, "invalid_request_error", str(e)) from None
        now = time.monotonic()
        cached = self._ids.get(name)
        if cached is None or now - cached[0] > self.cache_s:
            try:
                manifest = self.store.load_manifest(name)
                mark = ADAPTER_MARK if is_lora(manifest) else ""
                cached = (now, f"{name}@{model_revision(self.store, name, manifest)}{mark}")
            except ModelNotFoundError:
                cached = (now, None)
            except StoreError as e:  # a damaged manifest: this model fails, the others serve
                raise ApiError(500, "server_error", str(e)) from None
            if len(self._ids) >= MAX_CACHED_NAMES:
                self._ids.clear()
            self._ids[name] = cached
        if cached[1] is None:
            raise ApiError(
                404,
                "not_found_error",
                f"no model {name!r} is published: GET /v1/models lists the models served",
            )
        return cached[1]

    def manifest(self, name: str) -> ModelManifest:
        """A published model's manifest; ApiError 422 (bad name), 404 (none), 500."""
        self.model_id(name)  # the name's checks and the 404, as for every route
        try:
            return self.store.load_manifest(name)
        except ModelNotFoundError:  # deleted since the id was cached
            raise ApiError(404, "not_found_error", f"no model {name!r} is published") from None
        except StoreError as e:
            raise ApiError(500, "server_error", str(e)) from None

    def list(self) -> list[ModelManifest]:
        """Every published model's manifest, sorted by name."""
        now = time.monotonic()
        if self._models is None or now - self._models[0] > self.cache_s:
            self._models = (now, self.store.list_models())
        return self._models[1]
