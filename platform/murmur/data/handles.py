"""Handles and model specs: the one place where they are validated.

A *handle* is an X account name, lower-cased, without `@`. A *model spec* is one to three handles
(`a+b+c` on the command line); its *model name* is the handles sorted and joined with `-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from murmur.errors import HandleError

HANDLE_RE = re.compile(r"[a-z0-9_]{1,15}")
MAX_HANDLES_PER_MODEL = 3
# Model names are sorted handles joined by "-": the only characters are [a-z0-9_-].
MODEL_NAME_RE = re.compile(r"[a-z0-9_]{1,15}(?:-[a-z0-9_]{1,15}){0,2}")


def normalize_handle(raw: str) -> str:
    """`@Name` or `name` -> `name`, or HandleError saying why it is not an X handle."""
    if not isinstance(raw, str):
        raise HandleError(f"handle must be a string, got {type(raw).__name__}")
    handle = raw.strip()
    if handle.startswith("@"):
        handle = handle[1:]
    handle = handle.lower()
    if not handle:
        raise HandleError(f"empty handle {raw!r}: give an X account name such as 'jack'")
    if len(handle) > 15:
        raise HandleError(f"handle {raw!r} has {len(handle)} characters: X handles have at most 15")
    if not HANDLE_RE.fullmatch(handle):
        bad = sorted({c for c in handle if not re.fullmatch(r"[a-z0-9_]", c)})
        raise HandleError(
            f"handle {raw!r} contains {''.join(bad)!r}: X handles use only letters, digits and '_'"
        )
    return handle


@dataclass(frozen=True)
class ModelSpec:
    """One model to build: one handle, or up to three combined."""

    handles: tuple[str, ...]

    @property
    def name(self) -> str:
        return model_name(self.handles)

    @property
    def combined(self) -> bool:
        return len(self.handles) > 1


def model_name(handles: tuple[str, ...] | list[str]) -> str:
    """The model name of some handles: lower-cased, sorted, joined by '-'."""
    return "-".join(sorted({normalize_handle(h) for h in handles}))


def parse_model_spec(raw: str) -> ModelSpec:
    """`a`, `@A` or `a+b+c` -> ModelSpec; HandleError for anything else."""
    parts = [p for p in raw.split("+")]
    if len(parts) > MAX_HANDLES_PER_MODEL:
        raise HandleError(
            f"{raw!r} combines {len(parts)} handles: a model combines at most {MAX_HANDLES_PER_MODEL}"
        )
    handles = tuple(sorted(dict.fromkeys(normalize_handle(p) for p in parts)))
    return ModelSpec(handles)


def parse_model_specs_each(raws: list[str]) -> tuple[list[ModelSpec], list[tuple[str, str]]]:
    """Parse many specs one by one: (valid specs without duplicates, [(raw, reason)] refused)."""
    specs: dict[str, ModelSpec] = {}
    refused: list[tuple[str, str]] = []
    for raw in raws:
        try:
            spec = parse_model_spec(raw)
        except HandleError as e:
            refused.append((raw, str(e)))
            continue
        specs.setdefault(spec.name, spec)
    return list(specs.values()), refused


def validate_model_name(name: str) -> str:
    """A model name as it appears in a URL or path: refuse anything that is not one."""
    if not isinstance(name, str) or not MODEL_NAME_RE.fullmatch(name):
        raise HandleError(
            f"invalid model name {name!r}: a model name is 1-3 handles (letters, digits, '_') "
            "joined by '-'"
        )
    return name
