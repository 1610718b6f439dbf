"""Base models: what a model is fine-tuned from, resolved to a local folder and a content hash.

A base model is named one of three ways:

    tiny            murmur's offline preset (murmur.models.tiny), kept in the store
    a local folder  any Hugging Face model folder, e.g. ./my-gpt2
    a hub id        e.g. gpt2 or openai-community/gpt2, which transformers downloads

`resolve_base(name, store)` is the one resolver every entry point uses: it returns what
`from_pretrained` loads, the base's content hash (recorded by every manifest, so that any node can
verify the base a model or a LoRA adapter names) and a one-line description for the card.

Content hashes: a folder's is `sha256:<hex>` over its files' sorted (relative path, sha256 of the
file) pairs; a hub model's is `hub:<id>@<revision>`, the commit when the local Hugging Face cache
knows it, else the revision asked for.

Where the tiny preset lives:

    <cache>/base/tiny-v1/          built once a machine ($MURMUR_CACHE, else ~/.cache/murmur)
    <store>/base/tiny-v1/          copied from there into each local store; nodes read it here
    <store>/base/tiny-v1.sha256    object stores only: written after the files, marks them complete
    <cache>/bases/<hex>/           object stores only: a node's local copy, named by its hash

Every step runs under a file lock, so processes asking at the same time get one build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pydantic

from murmur.core.errors import ConfigError, StoreError
from murmur.core.paths import cache_dir, file_lock
from murmur.core.store import Store
from murmur.models.tiny import (
    INFO_FILE,
    TINY,
    TINY_CONFIG,
    TinyInfo,
    build_tiny,
    pretrain_steps,
    tiny_folder_name,
)

log = logging.getLogger(__name__)

__all__ = [
    "TINY",
    "BaseModelInfo",
    "check_base",
    "folder_hash",
    "hub_hash",
    "resolve_base",
]

_HUB = "https://huggingface.co"
# A hub id: `name` or `org/name` (huggingface_hub's rule: letters, digits, `-`, `_`, `.`).
_HUB_ID = re.compile(r"[\w.-]+(/[\w.-]+)?")


class BaseModelInfo(pydantic.BaseModel):
    """A resolved base model: what to load, its content hash and what to say about it."""

    name: str
    """As given: `tiny`, a hub id such as `gpt2`, or a folder."""
    path: str
    """What `from_pretrained` loads: a local folder, or the hub id when it is not cached."""
    hash: str
    """`sha256:<hex>` for a folder (the tiny preset too), `hub:<id>@<revision>` for a hub id."""
    description: str
    """One true line for the model card, e.g. "[gpt2](https://huggingface.co/gpt2)"."""


def resolve_base(name: str, store: Store) -> BaseModelInfo:
    """Resolve a base model name (see the module docstring). `tiny` is built into the store
    first if it is not there (~80 s once a machine, then a copy of ~1 MB).
    Raises ConfigError for a folder-like name that is no folder."""
    if name == TINY:
        path = _tiny_in_store(store)
        return BaseModelInfo(
            name=name, path=str(path), hash=folder_hash(path), description=_describe_tiny(path)
        )
    if os.path.isdir(name):
        path = Path(name).resolve()
        return BaseModelInfo(
            name=name, path=str(path), hash=folder_hash(path), description=_describe_folder(path)
        )
    if looks_like_path(name):
        raise ConfigError(_no_folder(name))
    snapshot = _cached_snapshot(name)
    return BaseModelInfo(
        name=name,
        path=str(snapshot or name),
        hash=hub_hash(name),
        description=f"[{name}]({_HUB}/{name})",
    )


def check_base(name: str) -> None:
    """Fail fast on a base model that cannot load: its config and tokenizer must resolve (no
    weights are read; `tiny` always passes). Raises ConfigError in one line."""
    if name == TINY:
        return
    if looks_like_path(name) and not os.path.isdir(name):
        raise ConfigError(_no_folder(name))
    from transformers import AutoConfig, AutoTokenizer

    if not os.path.isdir(os.path.expanduser(name)):
        _refuse_if_hub_unreachable(name)
    try:
        AutoConfig.from_pretrained(name)
        AutoTokenizer.from_pretrained(name)
    except (OSError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ConfigError(
            f"cannot load base model {name!r}: {first.rstrip('.')}. Give a model id "
            "transformers can download, a local folder, or `tiny` for the offline preset"
        ) from e


def _refuse_if_hub_unreachable(name: str) -> None:
    """ConfigError in one line, within seconds, where a hub id is neither in the local cache nor
    reachable: huggingface_hub would otherwise retry its HEAD requests for ~30 s (5 retries with
    backoff, measured here offline) and log every retry. One HEAD of the hub's address (honouring
    HF_ENDPOINT and the environment's proxies), 5 s at most; any answer counts as reachable."""
    import httpx
    from huggingface_hub import constants
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(name, local_files_only=True)
        return  # cached: the rest resolves from the cache, or says what is missing
    except (OSError, ValueError):
        pass
    if constants.HF_HUB_OFFLINE:
        reason = "HF_HUB_OFFLINE is set"
    else:
        endpoint = constants.ENDPOINT
        try:
            httpx.head(endpoint, timeout=5.0)
            return
        except httpx.HTTPError as e:
            reason = f"{endpoint} cannot be reached ({type(e).__name__})"
    raise ConfigError(
        f"cannot load base model {name!r}: it is not in the local cache and {reason}. Give a "
        "local folder, or `tiny` for the offline preset"
    )


def looks_like_path(name: str) -> bool:
    """A base model name meant as a folder, not a hub id: absolute, starting `./`, `../` or `~`,
    or with a path separator in another form than the hub's `org/name`."""
    if os.path.isabs(name) or name.startswith((".", "~")):
        return True
    if os.sep not in name and "/" not in name:
        return False
    return not _HUB_ID.fullmatch(name)


def _no_folder(name: str) -> str:
    return (
        f"base model folder {name} does not exist: give a model folder, a hub id such as "
        f"gpt2, or `{TINY}` for the offline preset"
    )


def folder_hash(path: str | Path) -> str:
    """`sha256:<hex>` of the lines `<relative path>\\0<sha256 hex of the file>\\n` (UTF-8) of every
    file under `path`, sorted by relative path (`/`-separated). Reads every byte (~1 s a GB)."""
    root = Path(path)
    files = {f.relative_to(root).as_posix(): f for f in root.rglob("*") if f.is_file()}
    outer = hashlib.sha256()
    for rel in sorted(files):
        inner = hashlib.sha256()
        with files[rel].open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                inner.update(chunk)
        outer.update(f"{rel}\0{inner.hexdigest()}\n".encode())
    return f"sha256:{outer.hexdigest()}"


def hub_hash(repo_id: str, revision: str = "main") -> str:
    """`hub:<id>@<commit>` when the local Hugging Face cache knows the revision's commit, else
    `hub:<id>@<revision>`. Never reaches the network."""
    snapshot = _cached_snapshot(repo_id, revision)
    return f"hub:{repo_id}@{snapshot.name if snapshot else revision}"


def _cached_snapshot(repo_id: str, revision: str = "main") -> Path | None:
    """The local snapshot folder of a hub model (named by its commit), when cached."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    except ValueError:  # not a valid repo id
        return None
    return Path(found).parent if isinstance(found, str) else None


# ---- the tiny preset -------------------------------------------------------------------------
def ensure_tiny_model() -> Path:
    """The tiny preset in the machine cache, built there unless it is already (one build at a
    time a machine: other processes wait on the lock). `$MURMUR_TINY_PRETRAIN_STEPS` builds a
    quick variant in its own folder."""
    steps = pretrain_steps()
    dest = cache_dir() / "base" / tiny_folder_name(steps)

    def build(tmp: Path) -> None:
        build_tiny(tmp, steps)

    return _build_once(dest, build)


def resolve_base_model(name: str) -> str:
    """A name or path that `from_pretrained` loads, from the machine cache for `tiny`.
    Superseded by `resolve_base(name, store)`, which reads the base from the store."""
    return str(ensure_tiny_model()) if name == TINY else name


def _build_once(dest: Path, make: Callable[[Path], None]) -> Path:
    """Make the folder `dest` with `make(tmp_folder)` unless it exists; under a file lock beside
    it, in a temporary folder renamed into place, so a reader never sees half a folder."""
    if _complete(dest):
        return dest
    with file_lock(dest.parent / f".{dest.name}.lock"):
        if _complete(dest):
            return dest  # another process made it while this one waited
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
        try:
            make(tmp)
            for f in tmp.rglob("*"):
                f.chmod(0o755 if f.is_dir() else 0o644)  # readable by a server under another user
            tmp.chmod(0o755)
            os.replace(tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _complete(folder: Path) -> bool:
    return (folder / "config.json").is_file()


def _tiny_in_store(store: Store) -> Path:
    """A local folder holding the store's tiny preset, putting it in the store first if needed."""
    folder = tiny_folder_name(pretrain_steps())
    if store.is_local:
        dest = Path(store.path("base", folder))
        return _build_once(dest, lambda tmp: _copy_files(ensure_tiny_model(), tmp))
    remote = store.path("base", folder)
    marker = f"{remote}.sha256"
    if not store.exists(marker):
        _upload_base(store, ensure_tiny_model(), remote, marker)
    with store.fs.open(marker, "r", encoding="utf-8") as f:
        digest = f.read().strip()
    hex_digest = digest.removeprefix("sha256:")
    local = cache_dir() / "bases" / hex_digest
    _build_once(local, lambda tmp: _download_base(store, folder, tmp, digest))
    return local


def _copy_files(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, dirs_exist_ok=True)


def _upload_base(store: Store, folder: Path, remote: str, marker: str) -> None:
    """Upload a built base to an object store, its files first and the hash marker last."""
    lock = cache_dir() / "base" / f".upload-{uuid.uuid5(uuid.NAMESPACE_URL, remote).hex}.lock"
    with file_lock(lock):  # one upload a machine; across nodes the marker check decides
        if store.exists(marker):
            return
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            store.fs.put_file(str(f), f"{remote}/{f.relative_to(folder).as_posix()}")
        with store.fs.open(marker, "w", encoding="utf-8") as out:
            out.write(folder_hash(folder) + "\n")
    log.info("tiny base: uploaded to %s", remote)


def _download_base(store: Store, folder: str, dest: Path, digest: str) -> None:
    """Download the store's `base/<folder>` into `dest` and check it against its hash.
    Raises StoreError when the files do not match it."""
    remote = store.path("base", folder)
    for entry in store.fs.find(remote):
        rel = entry.split(f"/base/{folder}/", 1)[1]
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        store.fs.get_file(entry, str(dest / rel))
    found = folder_hash(dest)
    if found != digest:
        raise StoreError(
            f"{remote} does not match its hash ({found} != {digest}); two nodes may have built "
            f"it at once: delete {remote} and {remote}.sha256 from the store and run again"
        )


def _describe_tiny(path: Path) -> str:
    """The card's line for the tiny preset, from its `murmur_base.json`."""
    try:
        info = TinyInfo.model_validate_json((path / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"murmur's offline `{TINY}` preset (a small GPT-2 built locally)"
    return (
        f"murmur's offline `{TINY}` preset, a {TINY_CONFIG['n_layer']}-layer GPT-2 "
        f"(n_embd {TINY_CONFIG['n_embd']}) pre-trained locally on generated English-like text "
        f"({info.steps} steps, {info.tokens:,} tokens; held-out loss {info.heldout_loss:.2f})"
    )


def _describe_folder(path: Path) -> str:
    """The card's line for a local folder: its path, and its architecture when config.json says."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the local model folder `{path}`"
    layers = config.get("n_layer") or config.get("num_hidden_layers")
    kind = config.get("model_type", "model")
    return f"the local model folder `{path}` ({kind}" + (f", {layers} layers)" if layers else ")")


# PEFT's warnings on GPT-2 that murmur answers already, so that they do not reach a user's
# terminal on every LoRA load: lm_head is tied to the input embeddings (a merge unties it first,
# export._untie_output; serving adds the adapter's deltas and never merges), and lm_head is a
# torch Linear where GPT-2's other layers are Conv1D (PEFT turns fan_in_fan_out off for it alone,
# as it must). Their texts as of peft 0.22.
_ANSWERED_PEFT_WARNINGS = (
    r"Model has `tie_word_embeddings=True` and a tied layer is part of the adapter",
    r"fan_in_fan_out is set to True but the target module is `torch\.nn\.Linear`",
)


@contextlib.contextmanager
def quiet_loads() -> Iterator[None]:
    """Within: no transformers progress bar of a load or a save from a local folder ("Loading
    weights", "Writing model shards": bars of under a second that litter a command's output;
    the Hub's download bars are huggingface_hub's and stay), and none of PEFT's warnings that
    murmur answers (`_ANSWERED_PEFT_WARNINGS`); every other warning is shown as before."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            for message in _ANSWERED_PEFT_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=UserWarning)
            yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()
