"""LoRA bots: `--method lora` trains an adapter per account over one frozen base and
publishes a PEFT adapter folder that a plain transformers pipeline loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import LORA_BOTS
from typer.testing import CliRunner

from murmur.core.errors import ConfigError
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store
from murmur.models.card import render_card
from murmur.train.config import HUGGINGTWEETS_LR, LORA_LR_SCALE, RECIPES, TrainConfig

GPT2_LINEAR = ["c_attn", "c_fc", "c_proj"]
GPT2_DEFAULT = [*GPT2_LINEAR, "lm_head"]  # LoRA's default targets: every linear layer and the head


# ---- configuration -----------------------------------------------------------------------------
def test_lora_is_one_flag_away_and_its_lr_is_the_recipes_times_ten() -> None:
    assert TrainConfig().method == "full"
    lora = TrainConfig(method="lora")
    assert lora.lr == pytest.approx(RECIPES["fast"].lr * LORA_LR_SCALE)
    assert TrainConfig(method="lora", recipe="huggingtweets").lr == pytest.approx(
        HUGGINGTWEETS_LR * LORA_LR_SCALE
    )
    assert TrainConfig(method="lora", lr=3e-3).lr == 3e-3  # a given lr wins
    for config in (lora, TrainConfig(), TrainConfig(method="lora", lora_targets=["c_fc"])):
        assert TrainConfig.from_json(config.to_json()) == config  # how the workers get it


def test_lora_with_zero3_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError) as e:
        TrainConfig(method="lora", zero_stage=3)
    message = str(e.value)
    assert "\n" not in message
    assert "--method lora with --zero-stage 3" in message and "use --zero-stage 2" in message
    for stage in (0, 1, 2):
        assert TrainConfig(method="lora", zero_stage=stage).zero_stage == stage


def test_lora_options_are_checked_and_name_their_flags() -> None:
    with pytest.raises(ConfigError, match="--lora-rank 0: must be at least 1"):
        TrainConfig(method="lora", lora_rank=0)
    with pytest.raises(ConfigError, match="--lora-rank applies to --method lora only"):
        TrainConfig(lora_rank=8)
    with pytest.raises(ConfigError, match="--method 'adapter'"):
        TrainConfig(method="adapter")


def test_cli_refuses_lora_with_zero3_before_any_work(store_dir: Path) -> None:
    from murmur.cli import app

    args = ["train", "sample_baker", "--method", "lora", "--zero-stage", "3"]
    result = CliRunner().invoke(app, [*args, "--store", str(store_dir)])
    assert result.exit_code == 2 and "--method lora with --zero-stage 3" in result.output
    assert not (store_dir / "raw").exists()  # nothing fetched


# ---- the adapter over the shared base, without Ray ---------------------------------------------
def test_a_fresh_adapter_per_model_leaves_the_shared_base_as_it_was(store_dir: Path) -> None:
    import torch

    from murmur.train.engine import fresh_adapter, load_base
    from murmur.train.lora import detach_adapter, linear_layers

    config = TrainConfig(base_model="tiny", method="lora", wandb=False)
    base = load_base(config, Store(str(store_dir)))
    assert linear_layers(base.module) == GPT2_LINEAR  # attention and MLP; not the head
    before = {k: v.clone() for k, v in base.module.state_dict().items()}
    assert not any(p.requires_grad for p in base.module.parameters())  # frozen

    for _ in range(2):  # two models, one after the other, on the same base module
        model = fresh_adapter(base, config)
        trainable = {n for n, p in model.named_parameters() if p.requires_grad}
        assert trainable and all(".lora_" in n for n in trainable)
        lora_b = [p for n, p in model.named_parameters() if "lora_B" in n]
        assert all(torch.count_nonzero(p) == 0 for p in lora_b)  # fresh: starts as the base
        with torch.no_grad():
            for p in lora_b:
                p.add_(1.0)  # as if trained
        detach_adapter(model)

    assert not any("lora" in name for name, _ in base.module.named_modules())
    after = base.module.state_dict()
    assert after.keys() == before.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert base.adapter is not None and base.adapter["fan_in_fan_out"] is True  # GPT-2's Conv1D
    assert base.adapter["target_modules"] == GPT2_DEFAULT
    assert base.adapter["base_model_name_or_path"] == base.path  # the store's tiny folder

    wrong = TrainConfig(base_model="tiny", method="lora", lora_targets=["q_proj"], wandb=False)
    base.adapter = None
    with pytest.raises(ConfigError, match=r"--lora-targets q_proj: .* c_attn, c_fc, c_proj"):
        fresh_adapter(base, wrong)


# ---- card and manifest -------------------------------------------------------------------------
def _lora_manifest() -> ModelManifest:
    return ModelManifest(
        name="baker",
        handles=["baker"],
        stats=[HandleStats("baker", 10, 1, 1, 8)],
        base_model="gpt2",
        method="lora",
        adapter_bytes=4_718_592,
        lora={"rank": 16, "alpha": 32, "targets": GPT2_LINEAR},
    )


def test_lora_card_states_method_settings_and_how_to_load_it() -> None:
    card = render_card(_lora_manifest(), "/srv/store/models/baker")
    procedure = card.split("## Training procedure", 1)[1].split("## How to use", 1)[0]
    assert "LoRA adapter (PEFT)" in procedure and "rank 16, alpha 32" in procedure
    assert "`c_attn`, `c_fc`, `c_proj`" in procedure and "4.72 MB" in procedure
    assert "provisional" in procedure
    snippets = re.findall(r"```python\n(.*?)```", card, re.S)
    assert len(snippets) == 2
    for snippet in snippets:
        compile(snippet, "card", "exec")
    assert "pipeline('text-generation', model=\"/srv/store/models/baker\")" in snippets[0]
    assert 'AutoPeftModelForCausalLM.from_pretrained("/srv/store/models/baker")' in snippets[1]


def test_older_manifests_read_as_full_models() -> None:
    old = {k: v for k, v in _lora_manifest().to_json().items()}
    for field in ("method", "adapter_bytes", "lora"):
        old.pop(field)
    m = ModelManifest.from_json(old)
    assert (m.method, m.adapter_bytes, m.lora) == ("full", 0, None)
    assert "LoRA" not in render_card(m, "x")
    again = ModelManifest.from_json(json.loads(json.dumps(_lora_manifest().to_json())))
    assert again == _lora_manifest()


# ---- three LoRA bots trained by `murmur train --method lora` (Ray, the session's lora_store) ----
def _run_card_snippet(card: str, index: int) -> dict[str, object]:
    """Run the card's `index`-th Python snippet as written; its variables."""
    snippet = re.findall(r"```python\n(.*?)```", card, re.S)[index]
    scope: dict[str, object] = {}
    exec(compile(snippet, "card", "exec"), scope)
    return scope


@pytest.mark.ray
@pytest.mark.slow
def test_lora_bots_publish_adapter_folders_a_plain_pipeline_loads(lora_store: Store) -> None:
    import torch
    from peft import AutoPeftModelForCausalLM
    from transformers import AutoModelForCausalLM, pipeline

    from murmur.models.base import folder_hash
    from murmur.models.tiny import pretrain_steps, tiny_folder_name

    outputs = {}
    for name in LORA_BOTS:
        folder = Path(lora_store.model_path(name))
        files = {f.name for f in folder.iterdir()}
        assert {"adapter_config.json", "adapter_model.safetensors", "README.md"} <= files
        assert {"generation_config.json", "tokenizer.json", "murmur.json"} <= files
        assert "model.safetensors" not in files  # an adapter, not a whole model
        m = lora_store.load_manifest(name)
        assert m.method == "lora" and m.hyperparameters["method"] == "lora"
        assert m.lora == {"rank": 16, "alpha": 32, "targets": GPT2_DEFAULT}
        assert m.adapter_bytes == (folder / "adapter_model.safetensors").stat().st_size > 0
        assert m.val_loss_after is not None and m.val_loss_before is not None
        assert m.val_loss_after < m.val_loss_before
        adapter = json.loads((folder / "adapter_config.json").read_text())
        base_folder = adapter["base_model_name_or_path"]
        tiny = tiny_folder_name(pretrain_steps())
        assert base_folder == lora_store.path("base", tiny)  # the store's: resolves on any node
        assert m.base_model_hash == folder_hash(base_folder)
        assert adapter["fan_in_fan_out"] is True and adapter["r"] == 16

        # A plain pipeline loads the base and the adapter; greedy text = PEFT's own class.
        generator = pipeline("text-generation", model=str(folder))
        out = generator("My dream is", do_sample=False, max_new_tokens=12)
        peft_model = AutoPeftModelForCausalLM.from_pretrained(str(folder))
        ids = generator.tokenizer("My dream is", return_tensors="pt").input_ids
        with torch.no_grad():
            greedy = peft_model.generate(input_ids=ids, do_sample=False, max_new_tokens=12)
        assert out[0]["generated_text"] == generator.tokenizer.decode(
            greedy[0], skip_special_tokens=True
        )
        outputs[name] = out[0]["generated_text"]

    base = AutoModelForCausalLM.from_pretrained(base_folder)
    with torch.no_grad():
        plain = base.generate(input_ids=ids, do_sample=False, max_new_tokens=12)
    assert (
        generator.tokenizer.decode(plain[0], skip_special_tokens=True) not in outputs.values()
    )  # the adapters act
    assert len(set(outputs.values())) > 1  # each its own

    # The card's snippets run as written.
    card = lora_store.read_card(LORA_BOTS[0])
    sampled = _run_card_snippet(card, 0)
    texts = sampled["generator"]("My dream is", generation_config=sampled["sampling"])  # type: ignore[operator]
    assert len(texts) == 5 and all(t["generated_text"].startswith("My dream is") for t in texts)
    assert len(_run_card_snippet(card, 1)["outputs"]) == 5  # type: ignore[arg-type]


@pytest.mark.ray
@pytest.mark.slow
def test_murmur_models_shows_method_and_size(lora_store: Store) -> None:
    from murmur.cli import app

    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["models", "--store", lora_store.uri, "--json"]).stdout)
    assert [m["model"] for m in listed] == list(LORA_BOTS)
    for m in listed:
        assert m["method"] == "lora"
        folder = Path(lora_store.model_path(m["model"]))
        assert m["size_bytes"] == (folder / "adapter_model.safetensors").stat().st_size
    table = runner.invoke(app, ["models", "--store", lora_store.uri], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "method" in table.stdout and "lora" in table.stdout
    assert " kB" in table.stdout  # a tiny adapter is ~130 kB


@pytest.mark.ray
@pytest.mark.slow
def test_each_lora_bot_is_best_on_its_own_account(
    lora_store: Store, samples: Path, store_dir: Path
) -> None:
    """The cross-loss matrix: every bot scores its own account's validation tweets better than
    any other bot does (the validation split is the job's: the same seed and tweets)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.core.handles import parse_model_spec
    from murmur.data.prepare import prepare_model
    from murmur.train.loop import text_loss

    val = {}
    for name in LORA_BOTS:
        prepared = prepare_model(
            parse_model_spec(name), tweets_dir=samples, store=Store(str(store_dir))
        )
        assert prepared.prepared is not None
        val[name] = prepared.prepared.val_text
    losses = {}
    for bot in LORA_BOTS:
        folder = lora_store.model_path(bot)
        model = AutoModelForCausalLM.from_pretrained(folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        block = lora_store.load_manifest(bot).hyperparameters
        losses[bot] = {
            acc: text_loss(model, tokenizer, val[acc], block["block_size"]) for acc in val
        }
        own = lora_store.load_manifest(bot).val_loss_after
        assert losses[bot][bot] == pytest.approx(own, abs=2e-3)  # the same scoring as training
    for account in LORA_BOTS:
        scores = {bot: losses[bot][account] for bot in LORA_BOTS}
        assert min(scores, key=scores.__getitem__) == account, scores
