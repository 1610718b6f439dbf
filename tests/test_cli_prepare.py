"""`murmur prepare` as a user runs it: figures per handle, per-handle failures, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from murmur.cli import app
from murmur.data.synthetic import generate_account, write_archive_zip, write_jsonl

runner = CliRunner()


def test_prepare_json_over_archives_and_jsonl(tmp_path: Path) -> None:
    tweets = tmp_path / "tweets"
    tweets.mkdir()
    write_archive_zip(generate_account("alpha", 400, persona="sample_baker"), tweets / "alpha.zip")
    write_jsonl(generate_account("beta", 400, persona="sample_hiker"), tweets / "beta.jsonl")
    write_jsonl(generate_account("gamma", 20, persona="sample_coder"), tweets / "gamma.jsonl")
    args = [
        "prepare",
        "@Alpha",
        "beta",
        "gamma",
        "alpha+beta",
        "bad/handle",
        "alpha",
        "--tweets",
        str(tweets),
        "--store",
        str(tmp_path / "store"),
        "--json",
        "--no-wandb",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    by_model = {d["model"]: d for d in doc}
    assert set(by_model) == {"alpha", "beta", "gamma", "alpha-beta", "bad/handle"}
    for name in ("alpha", "beta", "alpha-beta"):
        assert by_model[name]["status"] == "ok" and by_model[name]["error"] is None
        for h in by_model[name]["handles"]:
            assert h["tweets_downloaded"] == h["retweets"] + h["short_tweets"] + h["tweets_kept"]
            assert h["tweets_downloaded"] == 400
    assert [h["handle"] for h in by_model["alpha-beta"]["handles"]] == ["alpha", "beta"]
    assert by_model["alpha-beta"]["handles"][0] == by_model["alpha"]["handles"][0]
    gamma = by_model["gamma"]
    assert gamma["status"] == "failed" and "too little data" in gamma["error"]
    assert gamma["handles"][0]["tweets_downloaded"] == 20  # figures still reported
    assert by_model["bad/handle"]["status"] == "failed"
    assert "letters, digits" in by_model["bad/handle"]["error"]


def test_prepare_table_and_exit_zero(samples: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "prepare",
            "sample_baker",
            "--tweets",
            str(samples),
            "--store",
            str(tmp_path / "s"),
            "--no-wandb",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "@sample_baker" in result.output and "700" in result.output
