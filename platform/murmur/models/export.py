"""Published bots outside murmur: how to load one from anywhere, and `murmur export`.

A full model's folder loads anywhere as it is. A LoRA bot's adapter names its base in
adapter_config.json: a Hub id resolves anywhere, but a folder (the store's `tiny` preset, a local
base) is read by PEFT from the working directory, so it breaks once the store moves
(unsloth#699, TGI#1334). Hence:

    load_lines(store, name)      the lines that load a bot from any working directory: a full
                                 model's pipeline, or a LoRA bot's base then its adapter, naming
                                 the folders where this store holds them now
    export_model(store, name, DIR)
                                 a folder that loads outside murmur: a full model as it is; a
                                 LoRA bot's adapter with its base beside it in DIR/base (named
                                 by its absolute path in adapter_config.json, so that PEFT and
                                 `pipeline(model=DIR)` find it from any working directory: a
                                 relative `base` was read from the working directory and sent
                                 them to the Hub), or named by its Hub id where it has one
    export_model(..., merged=True)
                                 a LoRA bot merged into its base (PEFT's merge_and_unload): one
                                 full model folder that a plain pipeline loads from anywhere

An export leaves the account's training posts (posts.json) in the store, as `murmur push` keeps
them off the Hub. Each export is written to a temporary folder beside DIR and renamed into place:
DIR appears whole or not at all. Its card is rendered again, naming DIR.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from murmur.core.errors import ConfigError, StoreError
from murmur.core.manifest import ModelManifest
from murmur.core.store import MANIFEST, Store
from murmur.models.base import folder_hash, quiet_loads, resolve_base
from murmur.models.card import hub_base_id, peft_load_lines, render_card
from murmur.models.publish import POSTS, portable_tokenizer
from murmur.models.tiny import TINY

ADAPTER_CONFIG = "adapter_config.json"  # PEFT's adapter folder
BASE_DIR = "base"  # an exported adapter's base, beside it
README = "README.md"
_REWRITTEN = (README, ADAPTER_CONFIG, MANIFEST)  # written again for the export
# Left out of an export, as `murmur push` leaves them off the Hub: the account's exact training
# and validation posts stay in the store; a folder made to leave murmur does not carry them.
_KEPT_HOME = (POSTS,)


@dataclass
class Exported:
    """One export: its folder, what it holds (in words), the Python that loads it, and whether
    it still loads once moved (False: an adapter naming its base in `folder/base` by path)."""

    folder: str
    kind: str
    load: str
    movable: bool = True


def load_lines(store: Store, name: str) -> str:
    """Python that loads the published model `name` from any working directory, naming its
    folders where this store holds them now (`murmur models NAME` prints it). Raises
    ModelNotFoundError, or StoreError where a LoRA bot's base folder is gone."""
    manifest = store.load_manifest(name)
    folder = store.model_path(name) if store.is_local else store.local_model_dir(name)
    if manifest.method != "lora":
        return _pipeline_lines(folder)
    adapter = _read_json(Path(folder) / ADAPTER_CONFIG)
    base = hub_base_id(manifest) or str(_local_base(store, manifest, adapter))
    return (
        "from peft import PeftModel\n"
        "from transformers import AutoModelForCausalLM\n" + peft_load_lines(base, folder)
    )


def _pipeline_lines(folder: str) -> str:
    return (
        "from transformers import pipeline\n"
        f"generator = pipeline('text-generation', model={json.dumps(folder)})"
    )


def export_model(store: Store, name: str, dest: str | Path, *, merged: bool = False) -> Exported:
    """Write the published model `name` to the new folder `dest` so that it loads outside
    murmur (see the module's doc); `merged` merges a LoRA bot into its base (a full model needs
    no merging: it is copied). Raises ConfigError where `dest` exists and is not empty,
    ModelNotFoundError, or StoreError where a LoRA bot's base is gone or not the one it was
    trained on (its content hash differs)."""
    dest = Path(dest).expanduser().absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError(f"{dest} exists and is not empty: give a new folder to export into")
    manifest = store.load_manifest(name)
    src = Path(store.local_model_dir(name))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        if manifest.method != "lora":
            kind = _export_full(src, tmp, manifest, dest)
        elif merged:
            with quiet_loads():
                kind = _export_merged(store, src, tmp, manifest, dest)
        else:
            kind = _export_adapter(store, src, tmp, manifest, dest)
        _finish(src, tmp)
        if dest.exists():
            dest.rmdir()  # the empty folder checked above
        os.replace(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    movable = not (dest / BASE_DIR).is_dir()
    return Exported(str(dest), kind, _export_lines(dest), movable)


def _export_lines(dest: Path) -> str:
    """The load lines of an exported folder (read from what was written)."""
    if not (dest / ADAPTER_CONFIG).is_file():
        return _pipeline_lines(str(dest))
    base_ref = _read_json(dest / ADAPTER_CONFIG)["base_model_name_or_path"]
    return (
        "from peft import PeftModel\n"
        "from transformers import AutoModelForCausalLM\n" + peft_load_lines(base_ref, str(dest))
    )


def _export_full(src: Path, tmp: Path, manifest: ModelManifest, dest: Path) -> str:
    _copy_files(src, tmp)
    _write_card_and_manifest(tmp, manifest, dest)
    return "a full model"


def _export_adapter(store: Store, src: Path, tmp: Path, manifest: ModelManifest, dest: Path) -> str:
    """The adapter, and its base in `base/` unless the base is a Hub model."""
    _copy_files(src, tmp)
    adapter = _read_json(src / ADAPTER_CONFIG)
    hub_base = hub_base_id(manifest)
    if hub_base is not None:
        adapter["base_model_name_or_path"] = hub_base
        kind = f"a LoRA adapter over the Hub model {hub_base}"
        base_ref = None
    else:
        shutil.copytree(_local_base(store, manifest, adapter), tmp / BASE_DIR)
        # Absolute: PEFT resolves a relative folder against the working directory, not DIR.
        adapter["base_model_name_or_path"] = str(dest / BASE_DIR)
        kind = f"a LoRA adapter with its base in {BASE_DIR}/"
        base_ref = str(dest / BASE_DIR)
    (tmp / ADAPTER_CONFIG).write_text(json.dumps(adapter, indent=2) + "\n", encoding="utf-8")
    _write_card_and_manifest(tmp, manifest, dest, base_ref)
    return kind


def _export_merged(store: Store, src: Path, tmp: Path, manifest: ModelManifest, dest: Path) -> str:
    """The adapter merged into its base: one full model folder."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    adapter = _read_json(src / ADAPTER_CONFIG)
    base = hub_base_id(manifest) or str(_local_base(store, manifest, adapter))
    try:
        model = AutoModelForCausalLM.from_pretrained(base)
    except OSError as e:
        raise StoreError(
            f"cannot load {manifest.name}'s base {base!r} ({str(e).splitlines()[0]}): reach the "
            "Hub once to cache it, or export without --merged"
        ) from e
    targets = adapter.get("target_modules") or []
    if isinstance(targets, str) or "lm_head" in targets:
        _untie_output(model)
    merged = PeftModel.from_pretrained(model, str(src)).merge_and_unload()  # head untied
    merged.save_pretrained(tmp)  # config.json, generation_config.json, model.safetensors
    _copy_files(src, tmp, skip=(ADAPTER_CONFIG, "adapter_model.safetensors"))
    as_full = dataclasses.replace(manifest, method="full", adapter_bytes=0)
    _write_card_and_manifest(tmp, as_full, dest)
    return "a full model (the LoRA adapter merged into its base)"


def _untie_output(model: Any) -> None:
    """Give the output head weights of its own: GPT-2 ties lm_head to the input embeddings, so
    merging an adapter of lm_head into that one matrix would change the embeddings too (PEFT
    warns of it: "tied_target_modules ... complications, for example when merging")."""
    import torch

    if not getattr(model.config, "tie_word_embeddings", False):
        return
    model.config.tie_word_embeddings = False
    head = model.get_output_embeddings()
    head.weight = torch.nn.Parameter(model.get_input_embeddings().weight.detach().clone())


def _local_base(store: Store, manifest: ModelManifest, adapter: dict[str, Any]) -> Path:
    """The folder holding a LoRA bot's base on this machine, checked against the base hash its
    manifest records: the store's `tiny` preset (its folder as named when trained, where this
    store holds it now), else the folder the adapter names. Raises StoreError."""
    recorded = str(adapter.get("base_model_name_or_path") or "")
    if manifest.base_model == TINY:
        here = Path(store.path(BASE_DIR, Path(recorded).name)) if store.is_local else None
        folder = (
            here if here is not None and here.is_dir() else Path(resolve_base(TINY, store).path)
        )
    else:
        folder = Path(recorded)
        if not folder.is_dir():
            raise StoreError(
                f"{manifest.name}'s base folder {recorded!r} is gone: put the base "
                f"({manifest.base_model}) back there, or train {manifest.name} again"
            )
    found = folder_hash(folder)
    if manifest.base_model_hash and found != manifest.base_model_hash:
        raise StoreError(
            f"{folder} is not the base {manifest.name} was trained on ({found} != "
            f"{manifest.base_model_hash}): train {manifest.name} again on this base"
        )
    return folder


def _copy_files(src: Path, dest: Path, skip: tuple[str, ...] = ()) -> None:
    for f in sorted(src.iterdir()):
        if f.is_file() and f.name not in (*_REWRITTEN, *_KEPT_HOME, *skip):
            shutil.copy2(f, dest / f.name)


def _write_card_and_manifest(
    folder: Path, manifest: ModelManifest, dest: Path, base_ref: str | None = None
) -> None:
    manifest = dataclasses.replace(manifest, posts="")  # posts.json stays home (_KEPT_HOME)
    card = render_card(manifest, str(dest), base_ref)
    (folder / README).write_text(card, encoding="utf-8")
    doc = json.dumps(manifest.to_json(), indent=2, ensure_ascii=False)
    (folder / MANIFEST).write_text(doc, encoding="utf-8")


def _finish(src: Path, folder: Path) -> None:
    """The bot's tokenizer, padded for batches (bots published before that get it here too), in
    the folder and in its base/, and every file readable."""
    from transformers import AutoTokenizer

    tokenizer = portable_tokenizer(AutoTokenizer.from_pretrained(str(src)))
    tokenizer.save_pretrained(folder)
    if (folder / BASE_DIR).is_dir():  # pipeline(model=DIR) takes the tokenizer of the base
        tokenizer.save_pretrained(folder / BASE_DIR)
    folder.chmod(0o755)
    for f in folder.rglob("*"):
        f.chmod(0o755 if f.is_dir() else 0o644)


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
