"""`murmur train`'s training options are TrainConfig's fields (cli/config_options.py): every field
has its flag and its docstring as help, given values reach the config, and the recipes are named
records whose default TrainConfig's defaults are."""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import murmur.cli.train
from murmur.cli import app
from murmur.core.errors import ConfigError
from murmur.samples import SAMPLE_HANDLES
from murmur.train.config import DEFAULT_RECIPE, RECIPES, RecipeName, TrainConfig, flag

runner = CliRunner()
FLAGS = {name: flag(name) for name in TrainConfig.model_fields if name != "wandb"}


def test_recipes_are_named_records_and_the_default_ones_are_the_config_defaults() -> None:
    assert set(typing.get_args(RecipeName)) == set(RECIPES)
    assert all(name == recipe.name for name, recipe in RECIPES.items())
    fields = TrainConfig.model_fields
    assert fields["recipe"].default == DEFAULT_RECIPE.name == "fast"
    assert {k: fields[k].default for k in DEFAULT_RECIPE.values()} == DEFAULT_RECIPE.values()
    assert TrainConfig(recipe="huggingtweets").lr == RECIPES["huggingtweets"].lr


def test_cli_train_declares_no_training_option_by_hand() -> None:
    source = Path(murmur.cli.train.__file__).read_text(encoding="utf-8")
    declared = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert declared & set(FLAGS.values()) == set()


def test_every_field_has_its_flag_with_its_docstring_as_help() -> None:
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.output.replace("│", " ").split())
    for name, option in FLAGS.items():
        first_words = " ".join((TrainConfig.model_fields[name].description or "").split()[:4])
        assert option in text and first_words in text, name


@pytest.fixture
def stopped_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, TrainConfig]]:
    """`murmur train` stopped where its job would start: each run's (JobRequest, TrainConfig)."""
    seen: list[tuple[Any, TrainConfig]] = []

    def run_here(request: Any, _store: Any, config: TrainConfig, **_: Any) -> None:
        seen.append((request, config))
        raise ConfigError("stopped by the test")

    monkeypatch.setattr(murmur.cli.train, "_run_here", run_here)
    monkeypatch.setattr(murmur.cli.train, "check_base", lambda _: None)
    return seen


def test_given_options_reach_the_config_and_others_keep_its_defaults(
    store_dir: Path, stopped_jobs: list[tuple[Any, TrainConfig]]
) -> None:
    args = ["train", "--sample", "--store", str(store_dir), "--no-wandb", "--method", "lora"]
    args += ["--weight-decay", "0.1", "--max-grad-norm", "0.5", "--log-every", "7"]
    args += ["--max-idle-restarts", "5", "--max-start-retries", "-1"]
    args += ["--lora-targets", "c_attn,c_fc", "--lora-targets", "c_proj"]
    result = runner.invoke(app, args)
    assert "stopped by the test" in result.output, result.output
    ((_, config),) = stopped_jobs
    assert (config.weight_decay, config.max_grad_norm, config.log_every) == (0.1, 0.5, 7)
    assert (config.max_idle_restarts, config.max_start_retries) == (5, -1)
    assert config.lora_targets == ["c_attn", "c_fc", "c_proj"]
    assert config.base_model == "tiny" and not config.wandb  # --sample's base, --no-wandb
    assert config.lr == TrainConfig(method="lora").lr  # the recipe's, scaled for LoRA


def test_boolean_fields_have_a_no_form(
    store_dir: Path, stopped_jobs: list[tuple[Any, TrainConfig]]
) -> None:
    """`--x` and `--no-x` for every bool field (typer's own convention); the last one given wins."""
    args = ["train", "--sample", "--store", str(store_dir), "--no-wandb"]
    result = runner.invoke(app, [*args, "--cpu-offload", "--no-cpu-offload"])
    assert "stopped by the test" in result.output, result.output
    assert [c.cpu_offload for _, c in stopped_jobs] == [False]
    result = runner.invoke(app, [*args, "--no-cpu-offload", "--cpu-offload"])  # on a CPU: refused
    assert result.output.startswith(
        "error: Invalid value: invalid training configuration: --cpu-offload True: offloading"
    ), result.output


def test_sample_with_handles_trains_only_those(
    store_dir: Path, stopped_jobs: list[tuple[Any, TrainConfig]]
) -> None:
    """`--sample` alone trains every sample; with handles named, only those, from the samples'
    folder on the tiny base (new-user trial, 2026-12-07: it trained all four)."""
    args = ["train", "--sample", "--store", str(store_dir), "--no-wandb"]
    runner.invoke(app, [*args, "sample_coder"])
    runner.invoke(app, args)
    (named, _), (every, _) = stopped_jobs
    assert named.handles == ["sample_coder"] and named.base_model == "tiny"
    assert named.tweets_dir is not None and Path(named.tweets_dir, "sample_coder.js").exists()
    assert every.handles == list(SAMPLE_HANDLES)


def test_sample_with_a_tweets_folder_is_refused_in_one_line(
    store_dir: Path, tmp_path: Path, stopped_jobs: list[tuple[Any, TrainConfig]]
) -> None:
    """`--sample --tweets DIR` trained the samples, not DIR's accounts (new-user trial): which
    one was meant cannot be known, so it is a usage error, before any job."""
    args = ["train", "--sample", "--tweets", str(tmp_path), "--store", str(store_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and not stopped_jobs
    assert "--sample trains the bundled accounts from their own files: drop --tweets" in " ".join(
        result.output.split()
    )
