"""Training: packing, configuration, publishing, and Ray Train + DeepSpeed runs of tiny models."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from murmur.core.errors import ConfigError
from murmur.core.generation import EOS
from murmur.core.handles import ModelSpec, parse_model_spec
from murmur.core.manifest import HandleStats
from murmur.core.seeds import DEFAULT_SEED, model_seed
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.prepare import PreparedModel, prepare_model
from murmur.train import TrainConfig, TrainProgress, TrainResult, train_models
from murmur.train.loop import evaluate, pack_blocks, plan_steps, tokenize

PUBLISHED, FAILED = ModelState.PUBLISHED, ModelState.FAILED

# A tiny run: block 128, 4 blocks a step, an lr high enough to learn in a few steps.
TINY = {
    "base_model": "tiny",
    "block_size": 128,
    "micro_batch": 4,
    "lr": 2e-3,
    "log_every": 20,
    "wandb": False,
}


# ---- packing ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n_tokens", "block", "keep", "lengths"),
    [
        (10, 4, False, [4, 4]),  # the partial last block is dropped for training
        (10, 4, True, [4, 4, 2]),  # and kept for validation
        (8, 4, False, [4, 4]),
        (8, 4, True, [4, 4]),
        (3, 4, False, [3]),  # shorter than one block: one short block either way
        (3, 4, True, [3]),
        (9, 4, True, [4, 4]),  # a 1-token remainder predicts nothing
        (1, 4, True, []),
        (0, 4, False, []),
    ],
)
def test_pack_blocks(n_tokens: int, block: int, keep: bool, lengths: list[int]) -> None:
    ids = list(range(n_tokens))
    blocks = pack_blocks(ids, block, keep_remainder=keep)
    assert [len(b) for b in blocks] == lengths
    flat = [t for b in blocks for t in b]
    assert flat == ids[: len(flat)]  # consecutive, in order, nothing invented


@pytest.mark.parametrize(
    ("blocks", "micro", "accum", "steps", "used"),
    [
        (254, 1, 1, 254, 254),  # huggingtweets: one block a step
        (254, 16, 1, 15, 240),
        (254, 4, 4, 15, 240),  # the same global batch, however many ranks share it
        (3, 4, 1, 0, 0),
    ],
)
def test_plan_steps(blocks: int, micro: int, accum: int, steps: int, used: int) -> None:
    assert plan_steps(blocks, micro, accum) == (steps, used)


# ---- configuration ---------------------------------------------------------------------------
def test_defaults_are_the_fast_recipe_and_huggingtweets_is_one_flag_away() -> None:
    """Rewritten (the default recipe was huggingtweets'): `fast` won the recipe benchmark."""
    c = TrainConfig()
    assert (c.recipe, c.micro_batch, c.grad_accum, c.lr) == ("fast", 8, 1, pytest.approx(1.0976e-3))
    assert (c.zero_stage, c.num_workers, c.gpus_per_worker, c.precision) == (2, 1, 0, "fp32")
    assert (c.workers_per_model, c.global_batch) == (1, 8)
    ht = TrainConfig(recipe="huggingtweets")
    assert (ht.base_model, ht.block_size, ht.lr, ht.micro_batch, ht.grad_accum, ht.seed) == (
        "gpt2",
        1024,
        1.372e-4,
        1,
        1,
        42,
    )
    assert TrainConfig(gpus_per_worker=1).precision == "bf16"


def test_a_recipe_fills_what_is_not_given() -> None:
    fast = TrainConfig(recipe="fast")
    assert (fast.micro_batch, fast.grad_accum) == (8, 1)
    assert fast.lr == pytest.approx(1.372e-4 * 8)  # the linear scaling rule
    mine = TrainConfig(recipe="fast", micro_batch=4, lr=1e-3)
    assert (mine.micro_batch, mine.grad_accum, mine.lr) == (4, 1, 1e-3)  # given values win
    assert TrainConfig.from_json(mine.to_json()) == mine


def test_the_recipe_does_not_depend_on_the_cluster() -> None:
    """N trainers or K ranks per model: the same global batch, steps and hyperparameters."""
    from murmur.train import hyperparameters

    one = TrainConfig(micro_batch=1, grad_accum=4)
    many = TrainConfig(micro_batch=1, grad_accum=4, num_workers=8, workers_per_model=2)
    assert (one.global_batch, many.global_batch, many.accum_per_rank, many.ranks) == (4, 4, 2, 16)
    hp = [
        hyperparameters(c, block_size=128, steps=10, model_seed=7, worker=f"h:{i}")
        for i, c in enumerate((one, many))
    ]
    assert hp[0]["worker"] != hp[1]["worker"]
    hp[0].pop("worker"), hp[1].pop("worker")
    hp[0].pop("ranks_per_model"), hp[1].pop("ranks_per_model")
    assert hp[0] == hp[1] and hp[0]["recipe"] == "fast"


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"block_size": 0}, "--block-size"),
        ({"lr": 0}, "--lr"),
        ({"lr": float("nan")}, "--lr"),
        ({"micro_batch": 0}, "--micro-batch"),
        ({"grad_accum": 0}, "--grad-accum"),
        ({"zero_stage": 4}, "--zero-stage"),
        ({"num_workers": 0}, "--workers"),
        ({"gpus_per_worker": -1}, "--gpus-per-worker"),
        ({"workers_per_model": 2, "gpus_per_worker": 0.5}, "--gpus-per-worker"),
        ({"workers_per_model": 0}, "--workers-per-model"),
        ({"grad_accum": 3, "workers_per_model": 2}, "--workers-per-model"),
        ({"recipe": "slow"}, "--recipe"),
        ({"cpu_offload": True}, "--cpu-offload"),
        ({"log_every": 0}, "--log-every"),
        ({"base_model": ""}, "--base-model"),
    ],
)
def test_config_errors_name_the_flag(changes: dict[str, Any], flag: str) -> None:
    with pytest.raises(ConfigError, match=flag):
        TrainConfig(**changes)


def test_config_errors_are_reported_together_and_json_round_trips() -> None:
    with pytest.raises(ConfigError) as e:
        TrainConfig(block_size=0, micro_batch=0)
    assert "--block-size" in str(e.value) and "--micro-batch" in str(e.value)
    c = TrainConfig(base_model="tiny", zero_stage=3, num_workers=2)
    assert TrainConfig.from_json(json.loads(json.dumps(c.to_json()))) == c
    with pytest.raises(ConfigError, match="unknown training option"):
        TrainConfig.from_json({"learning_rate": 1})


def test_cli_refuses_a_bad_option_before_any_work(store_dir: Path) -> None:
    from murmur.cli import app

    args = ["train", "sample_baker", "--block-size", "0", "--store", str(store_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "--block-size 0" in result.output
    assert not (store_dir / "raw").exists()  # nothing fetched


# ---- pieces of the worker, without Ray ---------------------------------------------------------
def test_tokenize_keeps_text_and_end_of_text(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    text = f"{EOS}my starter rose 🍞 #sourdough{EOS}café at 6am{EOS}"
    ids = tokenize(tok, text)
    eos = tok.convert_tokens_to_ids(EOS)
    assert ids.count(eos) == 3 and ids[0] == eos and ids[-1] == eos
    assert tok.decode(ids) == text


def test_tokenize_by_tweet_equals_tokenizing_the_whole_text(
    tiny_model_dir: Path, samples: Path, store_dir: Path
) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    prepared = _prepared(samples, Store(str(store_dir)), "sample_hiker")
    for text in (prepared.train_text, prepared.val_text, "no end of text", ""):
        assert tokenize(tok, text) == tok(text, add_special_tokens=False)["input_ids"]


def test_evaluate_weights_blocks_by_tokens(tiny_model_dir: Path) -> None:
    """The mean over blocks of different lengths is the mean over all predicted tokens."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    g = torch.Generator().manual_seed(0)
    blocks = [torch.randint(0, 500, (n,), generator=g).tolist() for n in (16, 16, 16, 5)]
    expected_sum, expected_n = 0.0, 0
    with torch.no_grad():
        for b in blocks:
            ids = torch.tensor([b])
            expected_sum += model(input_ids=ids, labels=ids).loss.item() * (len(b) - 1)
            expected_n += len(b) - 1
    for micro in (1, 2, 4):
        assert evaluate(model, blocks, micro) == pytest.approx(expected_sum / expected_n, rel=1e-5)
    assert model.training  # left in training mode


def test_fresh_model_restores_base_and_keeps_ties(tiny_model_dir: Path, store_dir: Path) -> None:
    import torch

    from murmur.train.engine import fresh_model, load_base

    base = load_base(TrainConfig(**TINY), Store(str(store_dir)))
    assert base.block_size == 128
    first = fresh_model(base)
    assert first.lm_head.weight is first.transformer.wte.weight  # tied, as in GPT-2
    with torch.no_grad():
        for p in first.parameters():
            p.add_(1.0)  # "training" must not touch the resident copy
    second = fresh_model(base)
    for name, tensor in second.state_dict().items():
        assert torch.equal(tensor, base.state[name]), name


def test_publish_folder_loads_in_a_plain_pipeline(tiny_model_dir: Path, store_dir: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

    from murmur.models import publish

    store = Store(str(store_dir))
    prepared = PreparedModel(
        spec=ModelSpec(("alpha",)),
        stats=[HandleStats("alpha", 10, 2, 1, 7, display_name="Alpha A")],
        train_text="",
        val_text="",
    )
    manifest = publish.build_manifest(
        prepared,
        base_model="tiny",
        hyperparameters={"learning_rate": 1e-3},
        val_loss_before=7.0,
        val_loss_after=2.0,
        train_tokens=1000,
        train_seconds=1.0,
    )
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    folder = publish.build_model_folder(
        store_dir / "tmp-alpha",
        state_dict=model.state_dict(),
        model_config=model.config,
        tokenizer=tok,
        manifest=manifest,
        model_ref=publish.model_ref(store, "alpha"),
    )
    path = publish.publish_folder(store, "alpha", folder)
    assert path == str(store_dir / "models" / "alpha")
    files = {p.name for p in Path(path).iterdir()}
    assert {
        "model.safetensors",
        "config.json",
        "generation_config.json",
        "README.md",
        "murmur.json",
        "tokenizer.json",
    } <= files
    gen = json.loads((Path(path) / "generation_config.json").read_text())
    sampling = (gen["top_p"], gen["top_k"], gen["max_length"], gen["do_sample"])
    assert sampling == (0.95, 50, 160, True)  # huggingtweets' (core/generation.py gives the source)
    saved = store.load_manifest("alpha")
    assert saved.versions["torch"] and saved.versions["transformers"] and saved.versions["ray"]
    assert saved.created and saved.version and saved.stats[0].display_name == "Alpha A"
    assert f'model="{path}"' in store.read_card("alpha")
    generator = pipeline("text-generation", model=path)
    out = generator("My dream is", num_return_sequences=2, max_new_tokens=12)
    assert len(out) == 2 and all(o["generated_text"].startswith("My dream is") for o in out)


def test_a_trainer_of_any_rank_publishes_the_weights(
    tiny_model_dir: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each trainer of a parallel job publishes its own models whatever its torch.distributed
    rank; transformers' save_pretrained writes nothing on a rank other than 0 (found by
    bench/gpu.sh's dry run: folders from rank 1 held no weights and no config.json), and weights
    that are views into one flat buffer are saved too."""
    import torch
    import torch.distributed as dist
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.models import publish

    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    monkeypatch.setattr(dist, "get_rank", lambda group=None: 1)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    prepared = PreparedModel(
        spec=ModelSpec(("alpha",)),
        stats=[HandleStats("alpha", 10, 2, 1, 7)],
        train_text="",
        val_text="",
    )
    manifest = publish.build_manifest(
        prepared,
        base_model="tiny",
        hyperparameters={},
        val_loss_before=None,
        val_loss_after=None,
        train_tokens=0,
        train_seconds=0.0,
    )
    # A trainer's weights are views into one flat buffer (DeepSpeed), which safetensors refuses.
    flat = torch.cat([v.reshape(-1) for v in model.state_dict().values()])
    views, offset = {}, 0
    for key, value in model.state_dict().items():
        views[key] = flat[offset : offset + value.numel()].view_as(value)
        offset += value.numel()
    folder = publish.build_model_folder(
        store_dir / "rank1-alpha",
        state_dict=views,
        model_config=model.config,
        tokenizer=AutoTokenizer.from_pretrained(tiny_model_dir),
        manifest=manifest,
        model_ref="alpha",
    )
    monkeypatch.undo()
    reloaded = AutoModelForCausalLM.from_pretrained(folder)
    for key, value in model.state_dict().items():
        assert torch.equal(reloaded.state_dict()[key], value), key


# ---- Ray Train + DeepSpeed ---------------------------------------------------------------------
def _prepared(samples: Path, store: Store, raw: str) -> PreparedModel:
    outcome = prepare_model(parse_model_spec(raw), tweets_dir=samples, store=store)
    assert outcome.prepared is not None, outcome.error
    return outcome.prepared


def test_a_model_is_prepared_from_its_own_seed(samples: Path, store_dir: Path) -> None:
    """prepare_model takes the job's seed; the model's seed derives from it and the model's name."""
    store = Store(str(store_dir))
    hiker = _prepared(samples, store, "sample_hiker")
    assert hiker.seed == model_seed(DEFAULT_SEED, "sample_hiker") != DEFAULT_SEED
    other_job = prepare_model(
        parse_model_spec("sample_hiker"), tweets_dir=samples, store=store, seed=7
    ).prepared
    assert other_job is not None and other_job.seed == model_seed(7, "sample_hiker")
    assert other_job.val_text != hiker.val_text  # another split of the same tweets


def _assert_published(store: Store, name: str, result: TrainResult) -> None:
    from transformers import pipeline

    assert result.status == PUBLISHED, result.error
    assert result.path == store.model_path(name)
    assert result.val_loss_after < result.val_loss_before  # beats its base on held-out tweets
    assert result.train_tokens > 0 and result.steps > 0 and result.tokens_per_s > 0
    manifest = store.load_manifest(name)
    assert manifest.val_loss_after == result.val_loss_after
    assert manifest.hyperparameters["block_size"] == 128
    assert manifest.train_tokens == result.train_tokens and manifest.train_seconds > 0
    assert {"torch", "transformers", "deepspeed", "ray"} <= set(manifest.versions)
    assert all(
        s.tweets_downloaded == s.retweets + s.short_tweets + s.tweets_kept for s in manifest.stats
    )
    card = store.read_card(name)
    assert "## Training data" in card and f"@{manifest.handles[0]}" in card
    generator = pipeline("text-generation", model=store.model_path(name))
    out = generator("My dream is", num_return_sequences=2, max_new_tokens=12)
    assert len(out) == 2


@pytest.mark.ray
@pytest.mark.slow
def test_cli_train_publishes_models_from_archive_and_jsonl(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    from murmur.cli import app

    args = [
        "train",
        "sample_baker",
        "@Sample_Hiker",
        "bad/handle",
        "sample_gardener+sample_coder",
        "--tweets",
        str(samples),
        "--store",
        str(store_dir),
        "--base-model",
        "tiny",
        "--block-size",
        "128",
        "--micro-batch",
        "4",
        "--lr",
        "2e-3",
        "--workers-per-model",
        "2",
        "--grad-accum",
        "2",
        "--zero-stage",
        "3",
        "--no-wandb",
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # the invalid handle fails alone
    doc = {d["model"]: d for d in json.loads(result.stdout)}
    assert set(doc) == {
        "sample_baker",
        "sample_hiker",
        "bad/handle",
        "sample_coder-sample_gardener",
    }
    assert (
        doc["bad/handle"]["status"] == "failed" and "letters, digits" in doc["bad/handle"]["error"]
    )
    store = Store(str(store_dir))
    # An archive .zip, a .jsonl, and a .js with a two-part .zip combined; 2 ranks per model, ZeRO-3.
    for name in ("sample_baker", "sample_hiker", "sample_coder-sample_gardener"):
        d = doc[name]
        assert d["status"] == "published" and d["error"] is None, d
        assert d["val_loss_after"] < d["val_loss_before"]
        for h in d["handles"]:
            assert h["tweets_downloaded"] == h["retweets"] + h["short_tweets"] + h["tweets_kept"]
        result_file = next((store_dir / "train").glob(f"*/results/{name}.json"))
        _assert_published(store, name, TrainResult.from_json(json.loads(result_file.read_text())))
    manifest = store.load_manifest("sample_coder-sample_gardener")
    hp = manifest.hyperparameters
    assert (hp["ranks_per_model"], hp["zero_stage"], hp["global_batch"]) == (2, 3, 8)
    assert [s.handle for s in manifest.stats] == ["sample_coder", "sample_gardener"]
    assert "🤖 AI CYBORG 🤖" in store.read_card("sample_coder-sample_gardener")

    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["models", "--store", str(store_dir), "--json"]).stdout)
    assert [m["model"] for m in listed] == [
        "sample_baker",
        "sample_coder-sample_gardener",
        "sample_hiker",
    ]
    assert (
        listed[0]["handles"][0]["tweets_kept"] == doc["sample_baker"]["handles"][0]["tweets_kept"]
    )
    card = runner.invoke(app, ["card", "sample_hiker", "--store", str(store_dir)])
    assert card.exit_code == 0 and "🤖 AI BOT 🤖" in card.stdout

    # Again: what is published is skipped (no training), the rest still reported.
    again = runner.invoke(app, [*args[:3], *args[4:]])
    assert again.exit_code == 0, again.output
    assert all(d["status"] == "published" and d["skipped"] for d in json.loads(again.stdout))

    deleted = runner.invoke(app, ["delete", "sample_baker", "--yes", "--store", str(store_dir)])
    assert deleted.exit_code == 0 and not store.has_model("sample_baker")
    missing = runner.invoke(app, ["card", "sample_baker", "--store", str(store_dir)])
    assert missing.exit_code == 1 and "no published model" in missing.output


@pytest.mark.ray
@pytest.mark.slow
def test_failed_account_goes_alone_a_crash_is_retried_and_a_rerun_resumes(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    """Three crashes in one run (more than Ray Train's default budget would allow): a model whose
    trainer is killed twice is failed with the reason, the next model crashed once is published
    at its second attempt, and the run goes on to its end."""
    store = Store(str(store_dir))
    coder, hiker = (_prepared(samples, store, h) for h in ("sample_coder", "sample_hiker"))
    broken = PreparedModel(  # no held-out tweets: fails in the worker, with its reason
        spec=ModelSpec(("broken",)),
        stats=[HandleStats("broken", 3, 0, 0, 3)],
        train_text=f"{EOS}one tweet here{EOS}",
        val_text="",
    )
    events: list[TrainProgress] = []
    to_kill = {("sample_coder", 1), ("sample_coder", 2), ("sample_hiker", 1)}

    def kill_while_training(p: TrainProgress) -> None:
        """Kill the trainer of each (model, attempt) in `to_kill` once it trains: Ray Train must
        restart the worker group each time."""
        events.append(p)
        if p.state == "training" and p.step and (p.model, p.attempt) in to_kill:
            assert p.pid is not None and p.worker  # `host:rank` of the trainer
            to_kill.discard((p.model, p.attempt))
            os.kill(p.pid, signal.SIGKILL)

    # micro-batch 1: ~230 steps, so that each kill lands while its model trains.
    config = TrainConfig(**{**TINY, "micro_batch": 1, "log_every": 10})
    first = train_models(
        [broken, coder, hiker],
        config,
        store,
        run_name="resume-test",
        on_progress=kill_while_training,
        poll_s=0.2,
    )
    assert not to_kill  # every kill happened
    assert [r.model for r in first] == ["broken", "sample_coder", "sample_hiker"]
    assert first[0].status == FAILED and "validation text has 0 tokens" in (first[0].error or "")
    assert first[0].attempt == 1  # a model's own failure is not retried
    assert first[1].status == FAILED and first[1].attempt == 2
    assert "crashed its worker 2 times" in (first[1].error or ""), first[1].error
    _assert_published(store, "sample_hiker", first[2])
    assert first[2].attempt == 2  # retried after the crash, from the start
    states = [(e.model, e.state, e.attempt) for e in events]
    assert ("sample_hiker", "training", 1) in states and ("sample_hiker", "training", 2) in states
    assert ("sample_hiker", PUBLISHED, 2) in states and ("broken", FAILED, 1) in states
    assert {"data", "engine_init", "eval_before", "train", "eval_after", "publish"} <= set(
        first[2].timings
    )

    # The same run again: nothing is trained twice (no worker group is even started).
    again = train_models([broken, coder, hiker], config, store, run_name="resume-test")
    assert again == first


@pytest.mark.ray
@pytest.mark.slow
def test_ranks_that_crash_before_any_model_end_the_run_with_the_reason(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    """No run-wide crash budget, yet no endless restarts: every rank dies loading a base that is
    not there, before it takes a model; after `max_idle_restarts` such restarts the queue gives
    up, the next group's ranks return at once, and the models left fail with that reason."""
    store = Store(str(store_dir))
    coder = _prepared(samples, store, "sample_coder")
    missing = str(store_dir / "no-such-base")
    config = TrainConfig(**{**TINY, "base_model": missing, "max_idle_restarts": 0})
    [result] = train_models([coder], config, store, run_name="give-up-test")
    assert result.status == FAILED, result
    assert "gave up: the worker group crashed 1 time in a row" in (result.error or ""), result


# With W&B on, steps enough for the second model to train while the first's predictions table
# is sampled in the tracking thread (a tiny step is ~0.03 s; the table takes seconds).
OVERLAP_STEPS = 80


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.parametrize("wandb_mode", ["disabled", "offline"])
def test_a_model_trains_the_same_alone_or_after_another(
    ray_cluster: None,
    samples: Path,
    store_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wandb_mode: str,
) -> None:
    """A model's seed is its own: trained alone in one run and after another account in a second
    run, it gets the same losses and weights (CPU, fp32). With W&B on (offline), the first
    model's predictions table is sampled while the second model trains (checked from the times
    the run records): the table must draw nothing from torch's global generator, which the second
    model's dropout draws from."""
    import torch
    from safetensors.torch import load_file

    from murmur.core.clock import parse_stamp

    tracked = wandb_mode == "offline"
    monkeypatch.setenv("WANDB_MODE", wandb_mode)
    monkeypatch.setenv("WANDB_SILENT", "true")
    hiker = _prepared(samples, Store(str(store_dir)), "sample_hiker")
    baker = _prepared(samples, Store(str(store_dir)), "sample_baker")
    steps = OVERLAP_STEPS if tracked else 4
    config = TrainConfig(**{**TINY, "max_steps": steps, "wandb": tracked})
    alone_store, after_store = Store(str(store_dir / "alone")), Store(str(store_dir / "after"))
    monkeypatch.setenv("WANDB_DIR", str(tmp_path / "wandb-alone"))
    [alone] = train_models([hiker], config, alone_store, run_name="seed-alone")
    monkeypatch.setenv("WANDB_DIR", str(tmp_path / "wandb-after"))
    after = train_models([baker, hiker], config, after_store, run_name="seed-after")[1]
    assert alone.status == after.status == PUBLISHED, (alone.error, after.error)
    if tracked:  # the first model's table was sampled while the second one trained
        from test_wandb import _offline_runs

        first = _offline_runs(tmp_path / "wandb-after", 2)["train-sample_baker"].summary
        began = parse_stamp(first["predictions/started"])
        ended = began + first["predictions/seconds"]
        assert after.training_started and after.training_ended
        trained = (parse_stamp(after.training_started), parse_stamp(after.training_ended))
        assert began < trained[1] and ended > trained[0], (began, ended, trained)
    assert alone.val_loss_before == pytest.approx(after.val_loss_before, abs=1e-6)
    assert alone.val_loss_after == pytest.approx(after.val_loss_after, abs=1e-6)
    assert alone.val_loss_after != alone.val_loss_before  # it did train
    weights = [
        load_file(str(Path(s.model_path("sample_hiker")) / "model.safetensors"))
        for s in (alone_store, after_store)
    ]
    assert all(torch.allclose(weights[0][k], weights[1][k], atol=1e-6) for k in weights[0])
    hp = alone_store.load_manifest("sample_hiker").hyperparameters
    assert (hp["seed"], hp["job_seed"]) == (hiker.seed, DEFAULT_SEED)
