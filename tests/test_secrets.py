"""Secrets (X token, W&B key) never reach logs, store files, W&B files or error messages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import responses
from typer.testing import CliRunner

from murmur.cli import app

X_TOKEN = "planted-x-token-7f3a9c"
WANDB_KEY = "planted0wandb0key0" + "0" * 22  # W&B keys are 40 characters


def _files_containing(root: Path, secrets: tuple[str, ...]) -> list[str]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            hits += [f"{p}: {s}" for s in secrets if s.encode() in data]
    return hits


@responses.activate
def test_prepare_with_planted_secrets(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("X_BEARER_TOKEN", X_TOKEN)
    monkeypatch.setenv("WANDB_API_KEY", WANDB_KEY)
    monkeypatch.setenv("WANDB_MODE", "offline")  # a run is written, nothing is sent
    monkeypatch.setenv("WANDB_SILENT", "true")
    responses.get(
        "https://api.twitter.com/2/users/by/username/someone",
        status=401,
        json={
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        },
    )
    store = tmp_path / "store"
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    # someone: from the (failing) X API; sample_baker: from a file, tracked by W&B offline.
    result = runner.invoke(app, ["prepare", "someone", "--store", str(store), "--json"])
    assert result.exit_code == 1
    assert "refused" in result.stdout or "Unauthorized" in result.stdout
    result2 = runner.invoke(
        app, ["prepare", "sample_baker", "--tweets", str(samples), "--store", str(store)]
    )
    assert result2.exit_code == 0, result2.output
    secrets = (X_TOKEN, WANDB_KEY)
    for text in (result.output, result2.output, caplog.text):
        assert not [s for s in secrets if s in text]
    assert (store / "raw" / "sample_baker.json").is_file()
    assert list((store / "wandb").rglob("*.wandb")), "the W&B offline run was written and searched"
    assert _files_containing(store, secrets) == []
    assert _files_containing(tmp_path, secrets) == []
