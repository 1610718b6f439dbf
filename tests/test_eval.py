"""`murmur eval`: the loss matrix against a direct computation, attribution above chance on distinct
personas, the record in the store, the heatmap, and the one-line errors.

Bots here are the `tiny` base fine-tuned in-process for a few seconds on one synthetic persona
each (no Ray: a plain AdamW loop), then published with the store's own functions, posts.json too.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import torch
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.generation import EOS
from murmur.core.handles import parse_model_spec
from murmur.core.manifest import HandleStats
from murmur.core.store import Store
from murmur.data import rules
from murmur.data.prepare import PreparedModel
from murmur.data.synthetic import generate_account
from murmur.models import publish

PERSONAS = ("sample_baker", "sample_hiker", "sample_coder")


def _prepared(handle: str) -> PreparedModel:
    """A persona's 300 tweets through huggingtweets' rules and murmur's split, as training
    prepares them."""
    kept = rules.filter_tweets(generate_account(handle, 300, seed=1).tweets).kept
    train, val = rules.split_validation(kept, seed=7)
    stats = HandleStats(handle, len(kept), 0, 0, len(kept), len(EOS.join(kept)))
    return PreparedModel(
        spec=parse_model_spec(handle),
        stats=[stats],
        train_text=rules.build_training_text([train], seed=7),
        val_text=rules.build_validation_text([val]),
    )


def _fine_tune(base: Path, prepared: PreparedModel, steps: int) -> Any:
    """The tiny base after `steps` AdamW steps of 4 blocks of 64 tokens of the persona's text."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(base)
    ids = AutoTokenizer.from_pretrained(base)(prepared.train_text)["input_ids"]
    blocks = torch.tensor(ids[: len(ids) // 64 * 64]).view(-1, 64)  # (N, 64)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for step in range(steps):
        batch = blocks[torch.randint(len(blocks), (4,))]  # (4, 64)
        model(input_ids=batch, labels=batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        del step
    return model.eval()


def _publish(store: Store, base: Path, prepared: PreparedModel, steps: int, tmp: Path) -> None:
    from transformers import AutoTokenizer

    model = _fine_tune(base, prepared, steps)
    manifest = publish.build_manifest(
        prepared,
        base_model="tiny",
        hyperparameters={},
        val_loss_before=None,
        val_loss_after=None,
        train_tokens=0,
        train_seconds=0.0,
    )
    folder = tmp / prepared.name
    publish.write_posts(folder, prepared, manifest)
    publish.build_model_folder(
        folder,
        state_dict=model.state_dict(),
        model_config=model.config,
        tokenizer=AutoTokenizer.from_pretrained(base),
        manifest=manifest,
        model_ref=prepared.name,
    )
    store.publish_model(prepared.name, folder)


@pytest.fixture(scope="module")
def eval_store(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Three persona bots (full fine-tunes of tiny, 40 steps each) in one store."""
    root = tmp_path_factory.mktemp("eval")
    store = Store(str(root / "store"))
    for handle in PERSONAS:
        _publish(store, tiny_model_dir, _prepared(handle), 40, root)
    return store


def _direct_nats_per_byte(folder: str, posts: list[str]) -> float:
    """Each post alone, unbatched: -sum log p(token | before) over post + EOS, over its bytes."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    eos = tok.convert_tokens_to_ids(EOS)
    nats = 0.0
    for post in posts:
        ids = torch.tensor([[eos, *tok(post)["input_ids"], eos]])
        with torch.no_grad():
            logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].double(), dim=-1)
        nats -= sum(float(logp[i, ids[0, i + 1]]) for i in range(ids.shape[1] - 1))
    return nats / sum(len(p.encode()) for p in posts)


def test_loss_matrix_matches_a_direct_computation(eval_store: Store) -> None:
    from murmur.evals.bots import load_model, read_bot
    from murmur.evals.cross_loss import posts_nats

    baker, hiker = read_bot(eval_store, "sample_baker"), read_bot(eval_store, "sample_hiker")
    model = load_model(eval_store, baker)
    for account in (baker, hiker):
        posts = account.val_posts[:20]  # padded batches of unequal lengths
        nats, n_bytes = posts_nats(model, baker.tokenizer, baker.eos_id, posts, 256)
        direct = _direct_nats_per_byte(eval_store.local_model_dir("sample_baker"), posts)
        assert n_bytes == sum(len(p.encode()) for p in posts)
        assert nats / n_bytes == pytest.approx(direct, rel=1e-4)


def test_eval_scores_ranks_and_attributes_distinct_personas(
    eval_store: Store, tmp_path: Path
) -> None:
    plot = tmp_path / "eval.png"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            *PERSONAS,
            "--store",
            eval_store.uri,
            "--posts",
            "24",
            "--plot",
            str(plot),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    # The validation posts are the ones training held out, recorded at publish.
    for account in doc["accounts"]:
        folder = Path(eval_store.local_model_dir(account["name"]))
        recorded = json.loads((folder / "posts.json").read_text())
        assert account["validation_posts"] == len(recorded["validation"]) > 0
    assert all(r["rank"] == 1 and r["margin"] > 0 for r in doc["ranks"])
    att = doc["attribution"]
    assert att["chance"] == pytest.approx(1 / 3)
    assert att["overall"] > 2 * att["chance"]  # well above chance: each persona has its own words
    assert all(sum(row.values()) == att["attributed"][b] for b, row in att["confusion"].items())
    assert set(doc["style"]["sample_baker"]) == {"real", "generated"}
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The record is in the store, and is each bot's latest.
    from murmur.evals import bot_row, latest_evaluation

    latest = latest_evaluation(eval_store, "sample_hiker")
    assert latest is not None and latest["id"] == doc["id"]
    assert bot_row(latest, "sample_hiker")["rank"] == 1
    # The card (`murmur card`) and the page end with the bot's row.
    from murmur.serving.page import render_model_page

    card = CliRunner().invoke(app, ["card", "sample_hiker", "--store", eval_store.uri]).stdout
    assert "## Fidelity (murmur eval)" in card and "| 1 of 3 |" in card
    status, html = render_model_page(eval_store, "sample_hiker")
    assert status == 200 and "<h2>Fidelity (murmur eval)</h2>" in html


def test_same_seed_same_posts(eval_store: Store) -> None:
    from murmur.evals.bots import load_model, read_bot
    from murmur.evals.generated import generate_posts

    bot = read_bot(eval_store, "sample_coder")
    model = load_model(eval_store, bot)
    first = generate_posts(model, bot.tokenizer, bot.eos_id, 5, seed=3, max_positions=256)
    again = generate_posts(model, bot.tokenizer, bot.eos_id, 5, seed=3, max_positions=256)
    other = generate_posts(model, bot.tokenizer, bot.eos_id, 5, seed=4, max_positions=256)
    assert first == again != other
    assert all(EOS not in p and "\n" not in p for p in first)


def test_copies_are_found_and_left_out() -> None:
    from murmur.evals.attribution import attribute, build_classifier

    train = {
        "a": [f"my sourdough starter rose again today number {i}" for i in range(30)],
        "b": [f"the ridge trail was cold and foggy at dawn {i}" for i in range(30)],
    }
    clf = build_classifier(train)
    generated = {
        "a": ["My sourdough starter rose again today number 3!", "the oven smelled of rye bread"],
        "b": ["the ridge trail was cold and foggy at dawn 7", "foggy summit trail again"],
    }
    result = attribute(clf, generated, train)
    assert result.copies == {"a": 0.5, "b": 0.5}
    assert result.attributed == {"a": 1, "b": 1}
    assert result.overall is not None and result.chance == 0.5
    assert not math.isnan(result.overall)


def _fail(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_unknown_bots_in_one_line(eval_store: Store) -> None:
    line = _fail(["eval", "sample_baker", "nobody", "ghost", "--store", eval_store.uri])
    assert "'nobody', 'ghost'" in line and "murmur models" in line
    assert "at least 2" in _fail(["eval", "sample_baker", "--store", eval_store.uri])


def test_plot_folder_is_checked_before_any_work(eval_store: Store, tmp_path: Path) -> None:
    stored = set(Path(eval_store.uri).glob("evals/*.json"))
    bots = ["eval", "sample_baker", "sample_hiker", "--store", eval_store.uri, "--plot"]
    missing = tmp_path / "nonexistent" / "x.png"
    assert (
        _fail([*bots, str(missing)]) == f"error: --plot {missing}: no such folder {missing.parent}"
    )
    (tmp_path / "d.png").mkdir()
    assert "is a folder" in _fail([*bots, str(tmp_path / "d.png")])
    assert "ending in .png" in _fail([*bots, str(tmp_path / "x.jpg")])
    assert set(Path(eval_store.uri).glob("evals/*.json")) == stored  # nothing evaluated or stored


def test_bot_without_validation_posts_in_one_line(eval_store: Store, tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s"))
    for name in ("sample_baker", "sample_hiker"):
        src = Path(eval_store.local_model_dir(name))
        folder = tmp_path / name
        folder.mkdir()
        for f in src.iterdir():
            (folder / f.name).write_bytes(f.read_bytes())
        if name == "sample_hiker":  # as published before murmur kept the split
            manifest = json.loads((folder / "murmur.json").read_text())
            manifest.pop("posts")
            (folder / "murmur.json").write_text(json.dumps(manifest))
        store.publish_model(name, folder)
    line = _fail(["eval", "sample_baker", "sample_hiker", "--store", store.uri])
    assert "'sample_hiker' has no recorded training and validation posts" in line


def test_bots_on_different_tokenizers_in_one_line(eval_store: Store, tmp_path: Path) -> None:
    from murmur.evals.fidelity import read_bots

    bots = read_bots(eval_store, ["sample_baker", "sample_hiker"])
    other = bots[1].tokenizer
    other.add_tokens(["sourdoughstarter"])  # now another vocabulary: another tokenizer
    from murmur.core.errors import ConfigError
    from murmur.evals.bots import check_tokenizers

    with pytest.raises(ConfigError, match="2 different tokenizers .* evaluate each group"):
        check_tokenizers(bots)


def test_train_eval_skips_with_fewer_than_two_models(
    store_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`murmur train --eval`'s end of job: says why it skips, and never fails the job."""
    from murmur.evals.fidelity import evaluate_after_job

    store = Store(str(store_dir))
    with caplog.at_level("WARNING"):
        assert evaluate_after_job(store, ["sample_baker"], "job-1") is None
        assert evaluate_after_job(store, ["sample_baker", "gone"], "job-2") is None
    lines = [r.getMessage() for r in caplog.records]
    assert any("job job-1: --eval skipped: 1 model published" in line for line in lines)
    assert any(
        "job job-2: --eval skipped: no published model 'sample_baker', 'gone'" in line
        for line in lines
    )
