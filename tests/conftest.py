"""Shared fixtures: an offline environment, a temporary store, the tiny base model, one Ray cluster."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Never reach a hub or W&B from tests; DeepSpeed on the CPU.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("DS_ACCELERATOR", "cpu")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    d = tmp_path / "store"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """The pre-trained `tiny` preset (murmur.models.tiny) in the machine cache: built once a
    machine (~80 s on 2 free cores), then read from `$MURMUR_CACHE` or ~/.cache/murmur."""
    from murmur.models.base import ensure_tiny_model

    return ensure_tiny_model()


@pytest.fixture(scope="session")
def samples() -> Path:
    from murmur.samples import sample_dir

    return sample_dir()


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """One local Ray for the whole session (ray.init takes 6-9 s): every Ray test shares it."""
    import ray

    if not ray.is_initialized():
        ray.init(
            num_cpus=max(4, os.cpu_count() or 2),
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={
                "env_vars": {
                    "DS_ACCELERATOR": "cpu",
                    "WANDB_MODE": "disabled",
                    "HF_HUB_OFFLINE": "1",
                    "TOKENIZERS_PARALLELISM": "false",
                    # X reads in a job's tasks (tests/social_fakes.FakeX; tweepy wants a token).
                    "X_BEARER_TOKEN": "test-x-token",
                }
            },
        )
    yield
    try:
        from ray import serve

        serve.shutdown()
    except Exception:
        pass
    ray.shutdown()


# What enables the browser tests, by what their skip reason names.
BROWSER_SETUP = {
    "chromium": "sudo apt-get install -y chromium fonts-noto-color-emoji",
    "playwright": "pip install -e '.[dev]'",
}


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End the run by naming the browser tests skipped for want of Chromium or Playwright, and
    the one command that enables them: never skip them silently."""
    needs: dict[str, list[str]] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = _skip_reason(report).lower()
        for word, command in BROWSER_SETUP.items():
            if word in reason:
                needs.setdefault(command, []).append(report.nodeid)
    for command, nodeids in needs.items():
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True)
        terminalreporter.write_line(f"skipped: {', '.join(nodeids)}")
        terminalreporter.write_line(f"to run them: `{command}`, then scripts/test.sh again")


from murmur.core.store import Store  # noqa: E402  (for lora_store's annotation; light)

# The LoRA bots `lora_store` trains: three sample accounts, one adapter each.
LORA_BOTS = ("sample_baker", "sample_coder", "sample_hiker")


@pytest.fixture(scope="session")
def lora_store(ray_cluster: None, samples: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding three LoRA bots (LORA_BOTS) over the `tiny` base, trained once a session
    by `murmur train ... --method lora` (the default recipe and LoRA defaults, ~35 s on 2 cores,
    Ray's worker group start included). Read it, never write to it: other tests share it."""
    import json

    from typer.testing import CliRunner

    from murmur.cli import app

    folder = tmp_path_factory.mktemp("lora-store")
    args = [
        "train",
        *LORA_BOTS,
        *("--tweets", str(samples), "--store", str(folder), "--base-model", "tiny"),
        *("--method", "lora", "--no-wandb", "--json"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert all(d["status"] == "published" for d in json.loads(result.stdout)), result.stdout
    return Store(str(folder))
