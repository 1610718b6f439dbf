"""bench/serve_load.py's options and its result file, on a tiny run of its in-process ways (the
serving engine in-process, the decode loops; no Ray, no training: two LoRA bots published here
stand in for the bench's trained ones)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import serve_load  # noqa: E402
from test_lora_serving import publish_lora  # noqa: E402

from murmur.core.store import Store  # noqa: E402


def test_quick_sets_the_defaults_not_given_and_bad_ways_end_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    a = serve_load.parse_args(["--quick", "--clients", "3", "--ways", "limit,endpoint"])
    assert (a.bots, a.clients, a.repeats, a.ways) == (4, 3, 1, ["endpoint", "limit"])
    assert serve_load.parse_args([]).clients == 16
    for argv, said in (
        (["--ways", "endpoint,warp"], "--ways warp: not a way"),
        (["--ways", "limit"], "need --limit-rows"),
    ):
        with pytest.raises(SystemExit):
            serve_load.parse_args(argv)
        assert said in capsys.readouterr().err


@pytest.mark.slow  # ~15 s at a load average of 40 on 2 cores (imports, the tiny base, two repeats)
def test_a_tiny_run_writes_every_way_its_figures_and_its_ratios(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    store = Store(str(tmp_path / "store"))
    for seed, name in enumerate(["serve_0000", "serve_0001"]):
        publish_lora(store, tmp_path, name, seed)
    out, ways = tmp_path / "result.json", "engine,limit,base,argmax"
    argv = ["--bots", "2", "--clients", "2", "--repeats", "2", "--duration", "0.05",
            "--ways", ways, "--limit-rows", "12", "--argmax-rows", "16", "--steps", "8",
            "--store", store.uri, "--out", str(out)]  # fmt: skip
    assert serve_load.main(argv) == out
    doc = json.loads(out.read_text())
    assert doc["command"].endswith(" ".join(argv)) and doc["commit"] != "unknown"
    assert doc["machine"]["cores"] >= 1 and len(doc["load_average_end"]) == 3
    assert doc["request"]["top_k"] == 50 and doc["request"]["n"] == 10
    assert len(doc["runs"]) == 2 and set(doc["ways"]) == set(ways.split(","))
    for run in doc["runs"]:
        assert run["limit"]["rows"] == 12 and run["argmax"]["rows"] == 16
        assert run["limit"]["steps"] == 8 and run["limit"]["tokens_per_row"] == 8
        assert all(w["tokens_per_s"] > 0 and w["requests"] >= 1 for w in run.values())
        assert 1 <= run["limit"]["bots_per_step"] <= 2
        engine = run["engine"]  # the serving engine in-process, its own stats read
        assert 0 < engine["active_rows"] <= 20 and 0 < engine["occupancy"] <= 1
        assert 1 <= engine["bots_per_step"] <= 2 and engine["errors"] == {}
    per = [r["base"]["tokens_per_s"] / r["limit"]["tokens_per_s"] for r in doc["runs"]]
    assert doc["ratios"]["base/limit"]["runs"] == pytest.approx(per)
    tokens = doc["ways"]["limit"]["tokens_per_s"]
    assert tokens["min"] <= tokens["median"] <= tokens["max"]


@pytest.mark.slow  # a few seconds on a quiet machine (PEFT, two adapters); 40 s at a load of 60
def test_the_limits_adapter_bank_writes_what_peft_writes(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    """Rows of two bots in one forward (ranks 4 and 8, different layers, one with an embedding
    LoRA): each row's logits are its bot's alone through PEFT."""
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from serve_bots import AdapterBank
    from transformers import AutoModelForCausalLM, AutoTokenizer

    store = Store(str(tmp_path / "store"))
    shapes = {"b0": (4, ["c_attn", "wte"]), "b1": (8, ["c_attn", "c_proj", "c_fc", "wte"])}
    for seed, (name, (rank, targets)) in enumerate(shapes.items()):
        torch.manual_seed(seed)
        config = LoraConfig(
            r=rank, lora_alpha=2 * rank, target_modules=targets, fan_in_fan_out=True
        )
        peft = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir), config)
        for key, p in peft.named_parameters():
            if "lora_B" in key or "lora_embedding_B" in key:
                p.data.normal_(0, 0.1)  # PEFT starts B at 0: the bot would be the base
        peft.save_pretrained(str(tmp_path / name))
    store.local_model_dir = lambda name: str(tmp_path / name)  # type: ignore[method-assign]
    bank = AdapterBank.load(store, list(shapes))
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    prompts = ["My dream is to bake bread", "I like the fog on the ridge"]
    ids = torch.tensor([tokenizer(p).input_ids[:5] for p in prompts])  # (2, 5)
    hooks = bank.attach(model, torch.tensor([1, 0]))
    with torch.no_grad():
        mixed = model(ids).logits
    for h in hooks:
        h.remove()
    for row, name in enumerate(["b1", "b0"]):
        alone = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                                          str(tmp_path / name)).eval()  # fmt: skip
        with torch.no_grad():
            want, base = alone(ids[row : row + 1]).logits[0], model(ids[row : row + 1]).logits[0]
        assert (mixed[row] - want).abs().max() < 1e-4 < (want - base).abs().max()
