"""Models at rest: cards, publishing and base models. The store and the manifest live on the
ground floor (murmur.core.store, murmur.core.manifest) and are re-exported here.

    card.py      render_card: the model card (README.md), in huggingtweets' structure
    publish.py   build_manifest, build_model_folder, build_adapter_folder, publish_folder
    hub.py       push_models: published models to the Hugging Face Hub (`murmur push`)
    export.py    export_model, load_lines: bots that load outside murmur (`murmur export`)
    base.py      resolve_base: a base model's local path, content hash and description
    tiny.py      build_tiny: the offline `tiny` preset, a small GPT-2 pre-trained locally
    corpus.py    generate_corpus: the generated English-like text `tiny` is pre-trained on

Importing this package imports neither torch nor transformers.
"""

from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store, default_store_uri
from murmur.models.base import BaseModelInfo, check_base, folder_hash, resolve_base

__all__ = [
    "BaseModelInfo",
    "HandleStats",
    "ModelManifest",
    "Store",
    "check_base",
    "default_store_uri",
    "folder_hash",
    "resolve_base",
]
