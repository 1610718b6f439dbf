"""Every published model behind one Ray Serve endpoint.

The stage's public surface (what the CLI, serve/ and bench/ use):

- `ServeSettings`, `settings_from_config`: how the endpoint runs (murmur.serving.settings);
- `build_app`, `start_local`: the Serve application, and running it on a local Ray
  (murmur.serving.app; `murmur.serving.app:app` is the builder serve/config.yaml names);
- `GenerationSpec`, `GenerationResult`: one prompt of a request and its answer as a replica
  sees them
  (murmur.serving.events).

Importing this package imports neither Ray nor torch: `build_app` and `start_local` are loaded
(with Ray) on first use.

Modules: settings, schema (the OpenAI-style API), catalog (the store as the endpoint sees it),
auth (API keys), page, ingress (FastAPI + the Ingress deployment), completions (a request's specs,
answers and OpenAI shapes), chat (chat completions on top of them), client (ingress -> replica),
replica (the ModelServer deployment: models in memory, requests into its engine), the engine:
decode_loop (`DecodeEngine`: the scheduler and its thread), slot_rows (prefill, decode, sampling
of the running rows), kv_slots (the fixed-slot KV cache), decode_step (GPT-2's forward over
per-row slots and positions: the kernel seam), adapter_bank (each row's LoRA by index, by rank);
batching (the engine run to the end in the calling thread), budget (token limits), outputs (text,
stop sequences, echo and logprobs as they are written), scoring (raw logprobs), events, loading,
adapters (LoRA bots resident over one base, within adapter_memory_mb), lora_pool (the adapters'
slots), request_metrics (murmur's Prometheus metrics as the endpoint records them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from murmur.serving.events import GenerationResult, GenerationSpec
from murmur.serving.settings import ServeSettings, settings_from_config

if TYPE_CHECKING:
    from murmur.serving.app import build_app, start_local

__all__ = [
    "GenerationResult",
    "GenerationSpec",
    "ServeSettings",
    "build_app",
    "settings_from_config",
    "start_local",
]


def __getattr__(name: str) -> Any:
    """`build_app` and `start_local`, imported (with Ray) when first asked for."""
    if name == "build_app":
        from murmur.serving.app import build_app

        return build_app
    if name == "start_local":
        from murmur.serving.app import start_local

        return start_local
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
