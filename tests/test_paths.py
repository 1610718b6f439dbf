"""The machine's local folders (murmur.core.paths)."""

from __future__ import annotations

import sys

import pytest

from murmur.core.paths import extensions_dir


def test_each_python_environment_builds_deepspeed_ops_in_its_own_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two environments of one machine never share torch's JIT build folder (a second checkout
    rebuilt the shared one under a running job); TORCH_EXTENSIONS_DIR, where set, wins."""
    monkeypatch.delenv("TORCH_EXTENSIONS_DIR", raising=False)
    monkeypatch.setattr(sys, "prefix", "/srv/one/.venv")
    one = extensions_dir()
    monkeypatch.setattr(sys, "prefix", "/srv/two/.venv")
    two = extensions_dir()
    assert one != two and one.rsplit("-", 1)[0] == two.rsplit("-", 1)[0]
    assert extensions_dir() == two  # stable for one environment
    monkeypatch.setenv("TORCH_EXTENSIONS_DIR", "/tmp/ops")
    assert extensions_dir() == "/tmp/ops"
