"""The bots an evaluation judges: each published model (full or LoRA) loaded for scoring, with the
exact training and validation posts it was trained and scored on.

Those posts come from the model's own folder: `posts.json`, which the manifest names
(`ModelManifest.posts`, written by murmur.models.publish.write_posts when the model is published).
They are never re-derived from the raw cache, which a refresh or `--max-posts` changes.

Bots are compared on one tokenizer: losses in nats per byte would compare across tokenizers, but a
margin between a 124M GPT-2 and the `tiny` preset says which base is larger, not which bot writes
like its account. Bots on different bases are scored together only where their tokenizers agree.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from murmur.core.errors import ConfigError, DataError, ModelNotFoundError
from murmur.core.generation import eos_token_id
from murmur.core.manifest import ModelManifest
from murmur.core.store import Store


@dataclass
class Bot:
    """A published model's manifest, tokenizer and account posts; `load_model` gives its weights
    (one bot's at a time in memory)."""

    name: str
    manifest: ModelManifest
    tokenizer: Any
    eos_id: int
    train_posts: list[str]
    val_posts: list[str]

    @property
    def tokenizer_id(self) -> str:
        return tokenizer_fingerprint(self.tokenizer)


def tokenizer_fingerprint(tokenizer: Any) -> str:
    """`sha256:<hex>` of a tokenizer's full definition (a fast tokenizer's JSON: vocabulary,
    merges, normalizer, special tokens), else of its sorted vocabulary. Equal fingerprints: the
    same text gives the same tokens."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        text = backend.to_str()
    else:
        text = json.dumps(sorted(tokenizer.get_vocab().items()))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def check_names(store: Store, names: list[str]) -> None:
    """Every name a published model, no name twice, at least two. Raises ModelNotFoundError (all
    unknown names in one line) or ConfigError."""
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError(f"bot {', '.join(twice)} named twice: name each bot once")
    unknown = [n for n in names if not store.has_model(n)]
    if unknown:
        raise ModelNotFoundError(
            f"no published model {', '.join(map(repr, unknown))} in {store.uri}: "
            "`murmur models` lists them"
        )
    if len(names) < 2:
        raise ConfigError(
            f"murmur eval compares bots with each other: name at least 2 (got {len(names)})"
        )


def read_posts(store: Store, name: str, manifest: ModelManifest) -> tuple[list[str], list[str]]:
    """(training posts, validation posts) recorded in the model's folder. Raises DataError where
    the model recorded none (published before murmur kept them) or has no validation post."""
    if not manifest.posts:
        raise DataError(
            f"bot {name!r} has no recorded training and validation posts (published before "
            "murmur kept them): train it again with `murmur train` to evaluate it"
        )
    path = f"{store.model_path(name)}/{manifest.posts}"
    doc = store.read_json(path)
    train = [str(p) for p in doc.get("train", [])]
    val = [str(p) for p in doc.get("validation", [])]
    if not val:
        raise DataError(
            f"bot {name!r} has no validation posts in {path} (its accounts had too few posts to "
            "hold any out): give it more posts and train it again"
        )
    return train, val


def read_bot(store: Store, name: str) -> Bot:
    """A published bot's manifest, tokenizer and posts (no weights). Raises ModelNotFoundError,
    DataError (no posts recorded)."""
    from transformers import AutoTokenizer

    manifest = store.load_manifest(name)
    train, val = read_posts(store, name, manifest)
    tokenizer = AutoTokenizer.from_pretrained(store.local_model_dir(name))
    return Bot(name, manifest, tokenizer, eos_token_id(tokenizer), train, val)


def load_model(store: Store, bot: Bot) -> Any:
    """The bot's causal LM (a full model folder, or a LoRA adapter over its base) on the CPU in
    fp32, in eval mode. Raises ConfigError for a LoRA bot whose base here is not the one it was
    trained on."""
    from transformers import AutoModelForCausalLM

    from murmur.models.base import quiet_loads

    folder = store.local_model_dir(bot.name)
    with quiet_loads():
        if bot.manifest.method == "lora":
            model = _load_lora(store, bot.name, bot.manifest, folder)
        else:
            model = AutoModelForCausalLM.from_pretrained(folder)
    return model.eval()


def _load_lora(store: Store, name: str, manifest: ModelManifest, folder: str) -> Any:
    """The bot's base (murmur.models.base.resolve_base: the store's `tiny`, a folder or a hub id)
    with its adapter on top; the base must have the content hash the manifest records."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from murmur.models.base import resolve_base

    with open(os.path.join(folder, "adapter_config.json"), encoding="utf-8") as f:
        adapter = json.load(f)
    ref = (
        manifest.base_model
        if manifest.base_model == "tiny"
        else adapter.get("base_model_name_or_path")
    )
    info = resolve_base(str(ref or manifest.base_model), store)
    if manifest.base_model_hash and info.hash != manifest.base_model_hash:
        raise ConfigError(
            f"LoRA bot {name!r} was trained on base {manifest.base_model_hash}, but its base "
            f"{ref!r} here is {info.hash}: restore that base or train the bot again"
        )
    base = AutoModelForCausalLM.from_pretrained(info.path)
    return PeftModel.from_pretrained(base, folder)


def check_tokenizers(bots: list[Bot]) -> None:
    """All bots on one tokenizer (bots on different bases are fine where it agrees). Raises
    ConfigError naming the groups: evaluate each group on its own."""
    groups: dict[str, list[str]] = {}
    for bot in bots:
        groups.setdefault(bot.tokenizer_id, []).append(bot.name)
    if len(groups) > 1:
        described = "; ".join(
            f"{', '.join(names)} on {_base_of(bots, names[0])}" for names in groups.values()
        )
        raise ConfigError(
            f"the bots use {len(groups)} different tokenizers ({described}): eval compares bots "
            "whose tokenizers agree; evaluate each group on its own"
        )


def _base_of(bots: list[Bot], name: str) -> str:
    return next(b.manifest.base_model for b in bots if b.name == name)
