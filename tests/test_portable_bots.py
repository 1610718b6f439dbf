"""Published bots work outside murmur, as their cards say.

A store holds three bots built as training publishes them (murmur.models.publish): a full model,
a LoRA bot over the store's `tiny` base, and a LoRA bot over a Hub base (served offline from a
Hugging Face cache made here, as a user who downloaded it once has one). The store is copied to
another folder and the original deleted; then a user's Python, in a fresh process, in a third
working directory, with no murmur imported and the Hub offline, loads every bot with
transformers, PEFT and huggingface_hub only: batched pipelines, the cards' snippets, the load
lines `murmur models NAME` prints, and the folders `murmur export` writes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import Store

HUB_BASE = "murmur-test/tiny-gpt2"  # a Hub id, resolved from the cache below
HUB_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _manifest(name: str, base: Any, method: str = "full") -> ModelManifest:
    return ModelManifest(
        name=name,
        handles=[name],
        stats=[HandleStats(name, 100, 10, 10, 80, display_name=name.title())],
        base_model=base.name,
        base_model_hash=base.hash,
        base_model_description=base.description,
        created="2026-12-06T21:00:00Z",
        version=f"v-{name}",
        method=method,
        lora={"rank": 4, "alpha": 8, "targets": ["c_attn"]} if method == "lora" else None,
    )


def _publish_full(store: Store, tmp: Path, base: Any) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.models.publish import build_model_folder, model_ref

    model = AutoModelForCausalLM.from_pretrained(base.path)
    tokenizer = AutoTokenizer.from_pretrained(base.path)
    folder = build_model_folder(
        tmp / "build-baker",
        state_dict=model.state_dict(),
        model_config=model.config,
        tokenizer=tokenizer,
        manifest=_manifest("baker", base),
        model_ref=model_ref(store, "baker"),
    )
    assert tokenizer.pad_token is None  # the trainer's tokenizer is left as it was
    store.publish_model("baker", folder)


def _publish_lora(store: Store, tmp: Path, name: str, base: Any, base_path: str) -> None:
    """A LoRA bot as training publishes one (train.lora's adapter config and state), its
    lora_B set away from zero as if trained; `base_path` is what the trainer named its base."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.models.publish import build_adapter_folder, model_ref
    from murmur.train.config import TrainConfig
    from murmur.train.lora import adapter_config, adapter_state, attach_adapter

    module = AutoModelForCausalLM.from_pretrained(base.path)
    config = TrainConfig(method="lora", lora_rank=4, lora_alpha=8)  # default targets: lm_head too
    fields = adapter_config(module, config, base_path)
    torch.manual_seed(len(name))
    peft_model = attach_adapter(module, fields)
    with torch.no_grad():
        for n, p in peft_model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.1)  # the bot then writes other text, and ends it
    folder = build_adapter_folder(
        tmp / f"build-{name}",
        adapter_state=adapter_state(peft_model),
        adapter_config=fields,
        tokenizer=AutoTokenizer.from_pretrained(base.path),
        manifest=_manifest(name, base, "lora"),
        model_ref=model_ref(store, name),
    )
    store.publish_model(name, folder)


def _hub_cache(hf_home: Path, base_folder: Path) -> None:
    """A Hugging Face cache holding HUB_BASE, as `from_pretrained` leaves one."""
    repo = hf_home / "hub" / f"models--{HUB_BASE.replace('/', '--')}"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(HUB_COMMIT)
    shutil.copytree(base_folder, repo / "snapshots" / HUB_COMMIT)


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Bots published in one store, which is then copied elsewhere and deleted; the copy, its
    old and new folders, and the Hugging Face home holding the Hub base."""
    from murmur.models.base import BaseModelInfo, resolve_base

    root = tmp_path_factory.mktemp("portable")
    first = Store(str(root / "first-store"))
    tiny = resolve_base("tiny", first)  # the store's own base/tiny-v1
    _hub_cache(root / "hf-home", Path(tiny.path))
    snapshot = root / "hf-home" / "hub" / f"models--{HUB_BASE.replace('/', '--')}"
    hub = BaseModelInfo(
        name=HUB_BASE,
        path=str(snapshot / "snapshots" / HUB_COMMIT),
        hash=f"hub:{HUB_BASE}@{HUB_COMMIT}",
        description=f"[{HUB_BASE}](https://huggingface.co/{HUB_BASE})",
    )
    _publish_full(first, root, tiny)
    _publish_lora(first, root, "hiker", tiny, tiny.path)
    _publish_lora(first, root, "coder", hub, hub.path)  # the trainer knew the base's snapshot
    copy = root / "elsewhere" / "store"
    shutil.copytree(first.root, copy, symlinks=True)
    shutil.rmtree(first.root)
    cwd = root / "somewhere-else"
    cwd.mkdir()
    return {"old": Path(first.root), "store": copy, "hf_home": root / "hf-home", "cwd": cwd}


EXPORTS = ("hiker", "hiker-merged", "coder", "baker")


@pytest.fixture(scope="module")
def exports(moved: dict[str, Path]) -> Path:
    """`murmur export` of each bot of the moved store (hiker also `--merged`), into new folders."""
    folder, s = moved["cwd"].parent / "exports", str(moved["store"])
    _cli("export", "hiker", str(folder / "hiker"), "--store", s)
    _cli("export", "hiker", str(folder / "hiker-merged"), "--merged", "--store", s)
    _cli("export", "coder", str(folder / "coder"), "--store", s)
    _cli("export", "baker", str(folder / "baker"), "--store", s)
    return folder


def _cli(*args: str) -> str:
    from murmur.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _snippets(card: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", card, re.S)


def _run_as_user(moved: dict[str, Path], checks: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run `checks` (Python that reads `inputs` and fills `out`) in a fresh process, in a third
    working directory, offline, with the Hugging Face home holding the Hub base."""
    script = moved["cwd"] / "user.py"
    script.write_text(
        "import json, os, sys\nsys.argv[1:] = map(os.path.abspath, sys.argv[1:])\n"
        "inputs = json.load(open(sys.argv[1]))\nout = {}\n"
        + textwrap.dedent(checks)
        + "\njson.dump(out, open(sys.argv[2], 'w'))\n"
    )
    (moved["cwd"] / "inputs.json").write_text(json.dumps(inputs))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MURMUR", "HF_"))}
    env.update(HF_HOME=str(moved["hf_home"]), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run(
        [sys.executable, str(script), "inputs.json", "out.json"],
        cwd=moved["cwd"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result: dict[str, Any] = json.loads((moved["cwd"] / "out.json").read_text())
    return result


# What a user runs: each card snippet (`exec`, as pasted), then batched and greedy checks.
USER_CHECKS = """
import torch
from peft import AutoPeftModelForCausalLM, PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

PROMPTS = ["My dream is", "I think that we all should go to the", "Today"]
GREEDY = dict(do_sample=False, max_new_tokens=12, min_new_tokens=3)

for key, code in inputs["snippets"].items():
    scope = {}
    exec(compile(code, key, "exec"), scope)
    out[key] = sorted(k for k in scope if not k.startswith("__"))

for key, folder in inputs["pipelines"].items():
    generator = pipeline("text-generation", model=folder)
    one = [generator(p, **GREEDY)[0]["generated_text"] for p in PROMPTS]
    batched = [o[0]["generated_text"] for o in generator(PROMPTS, batch_size=2, **GREEDY)]
    out[key] = {"one": one, "batched": batched}

def greedy(model, tokenizer):
    ids = tokenizer("My dream is", return_tensors="pt")
    with torch.no_grad():
        done = model.generate(**ids, **GREEDY)
    return tokenizer.decode(done[0], skip_special_tokens=True)

adapter, base = inputs["adapter"], inputs["adapter_base"]
tokenizer = AutoTokenizer.from_pretrained(adapter)
out["adapter"] = greedy(PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), adapter), tokenizer)
out["base"] = greedy(AutoModelForCausalLM.from_pretrained(base), tokenizer)
out["merged"] = greedy(AutoModelForCausalLM.from_pretrained(inputs["merged"]), tokenizer)
try:
    AutoPeftModelForCausalLM.from_pretrained(inputs["stale"])
    out["stale"] = "loaded"
except Exception as e:
    out["stale"] = type(e).__name__
import os
os.chdir(inputs["exported"])  # and from inside the exported folder too
out["from_inside"] = greedy(AutoPeftModelForCausalLM.from_pretrained("."), tokenizer)
"""


@pytest.mark.slow
def test_published_bots_load_outside_murmur_from_a_moved_store(
    moved: dict[str, Path], exports: Path
) -> None:
    store, old = moved["store"], str(moved["old"])
    s = str(store)
    lines = {n: _cli("models", n, "--store", s).split("\n\n")[-1] for n in ("hiker", "coder")}
    assert s + "/base/tiny-v1" in lines["hiker"] and f'"{HUB_BASE}"' in lines["coder"]

    # The store's card of a bot over a store base, with the store's new folder put in (as it
    # says); the exported cards as written (a full model's, a Hub-base adapter's, and hiker's).
    card = (store / "models/hiker/README.md").read_text()
    assert old in card and s not in card
    snippets = {f"store-hiker-{i}": code.replace(old, s) for i, code in enumerate(_snippets(card))}
    for name in ("hiker", "hiker-merged", "coder"):
        for i, code in enumerate(_snippets((exports / name / "README.md").read_text())):
            snippets[f"export-{name}-{i}"] = code
    snippets |= {f"models-{n}": "\n".join(code.splitlines()) for n, code in lines.items()}
    inputs = {
        "snippets": snippets,
        "pipelines": {
            "pipeline-full": f"{s}/models/baker",
            "pipeline-merged": str(exports / "hiker-merged"),
            "pipeline-export": str(exports / "hiker"),  # an adapter folder, from another cwd
        },
        "adapter": f"{s}/models/hiker",
        "adapter_base": f"{s}/base/tiny-v1",
        "merged": str(exports / "hiker-merged"),
        "stale": f"{s}/models/hiker",
        "exported": str(exports / "hiker"),
    }
    out = _run_as_user(moved, USER_CHECKS, inputs)

    assert set(snippets) <= set(out)  # every snippet ran
    assert {"generator", "sampling"} <= set(out["store-hiker-0"]) and "outputs" in out[
        "store-hiker-1"
    ]
    assert "model" in out["models-hiker"] and "model" in out["models-coder"]
    for key in (
        "pipeline-full",
        "pipeline-merged",
        "pipeline-export",
    ):  # batch_size=2 works, and batches change no greedy text
        assert out[key]["batched"] == out[key]["one"]
    assert out["merged"] == out["adapter"] != out["base"]  # merging keeps the bot's own text
    assert out["from_inside"] == out["adapter"]
    assert out["pipeline-export"]["one"][0] == out["adapter"]  # the bot's text, not its base's
    assert out["stale"] != "loaded"  # the defect the card's two lines avoid: its base moved


def test_published_folders_pad_left_with_end_of_text(moved: dict[str, Path]) -> None:
    from transformers import AutoTokenizer, GenerationConfig

    for name in ("baker", "hiker", "coder"):
        folder = moved["store"] / "models" / name
        tokenizer = AutoTokenizer.from_pretrained(folder)
        generation = GenerationConfig.from_pretrained(folder)
        assert tokenizer.pad_token == tokenizer.eos_token == "<|endoftext|>"
        assert tokenizer.padding_side == "left"
        assert generation.pad_token_id == tokenizer.pad_token_id == generation.eos_token_id
        saved = json.loads((folder / "tokenizer_config.json").read_text())
        assert "local_files_only" not in saved  # how murmur loaded it is no user's business


def test_adapters_name_a_hub_base_by_its_id(moved: dict[str, Path], exports: Path) -> None:
    coder = json.loads((moved["store"] / "models/coder/adapter_config.json").read_text())
    assert coder["base_model_name_or_path"] == HUB_BASE  # not the trainer's snapshot folder
    hiker = json.loads((moved["store"] / "models/hiker/adapter_config.json").read_text())
    assert hiker["base_model_name_or_path"] == str(moved["old"] / "base/tiny-v1")  # serving's
    exported = json.loads((exports / "hiker/adapter_config.json").read_text())
    # Absolute, so that PEFT finds it from any working directory (a relative one sent it to the Hub)
    assert exported["base_model_name_or_path"] == str(exports / "hiker" / "base")


CARD_FOLDERS = ("models/baker", "models/hiker", "models/coder")


def test_card_metadata_follows_the_hubs_rules(moved: dict[str, Path], exports: Path) -> None:
    """Parsed by huggingface_hub as the Hub does: library_name (peft for an adapter folder),
    pipeline_tag, and base_model only as a valid Hub id (never a local path)."""
    from huggingface_hub import ModelCard
    from huggingface_hub.utils import validate_repo_id

    folders = [moved["store"] / f for f in CARD_FOLDERS] + [exports / e for e in EXPORTS]
    seen = {}
    for folder in folders:
        data = ModelCard.load(folder / "README.md").data
        adapter = (folder / "adapter_config.json").is_file()
        assert data.library_name == ("peft" if adapter else "transformers")
        assert data.pipeline_tag == "text-generation"
        assert data.language == "en" and "murmur" in (data.tags or [])
        if data.base_model is not None:
            validate_repo_id(data.base_model)
            assert not os.path.exists(data.base_model)
        seen[folder.name] = data.base_model
    assert seen["coder"] == HUB_BASE
    assert seen["hiker"] is None and seen["baker"] is None  # `tiny` is on no Hub


def test_a_full_model_from_a_hub_base_names_it_and_paths_never() -> None:
    """base_model takes the Hub id from the base hash; a folder base or `tiny` gives none."""
    from huggingface_hub import ModelCard

    from murmur.models.base import BaseModelInfo
    from murmur.models.card import render_card

    def data(base_name: str, base_hash: str, method: str = "full") -> Any:
        info = BaseModelInfo(name=base_name, path="/x", hash=base_hash, description="d")
        return ModelCard(render_card(_manifest("baker", info, method), "/s/models/baker")).data

    hub = data("openai-community/gpt2", "hub:openai-community/gpt2@" + "a" * 40)
    assert (hub.base_model, hub.library_name) == ("openai-community/gpt2", "transformers")
    assert data("./my-gpt2", "sha256:" + "0" * 64).base_model is None
    assert data("tiny", "sha256:" + "0" * 64, "lora").library_name == "peft"


def test_an_export_says_whether_it_moves(moved: dict[str, Path], tmp_path: Path) -> None:
    """An adapter with its base in DIR/base names that folder by path (PEFT reads a relative one
    from the working directory): the command says so, and that --merged moves."""
    from murmur.cli import app

    s = str(moved["store"])
    result = CliRunner().invoke(app, ["export", "hiker", str(tmp_path / "a"), "--store", s])
    assert result.exit_code == 0, result.output
    assert "to move the folder, export with --merged instead" in result.stderr
    merged = CliRunner().invoke(
        app, ["export", "hiker", str(tmp_path / "m"), "--merged", "--store", s]
    )
    assert merged.exit_code == 0 and "--merged instead" not in merged.stderr, merged.output


def test_a_merged_export_writes_its_own_lines_only(moved: dict[str, Path], tmp_path: Path) -> None:
    """`murmur export --merged` as a user runs it (no DS_ACCELERATOR): no transformers progress
    bar, no PEFT warning that murmur answers (the tied head), no DeepSpeed accelerator line."""
    env = {k: v for k, v in os.environ.items() if k != "DS_ACCELERATOR"}
    murmur = Path(sys.executable).with_name("murmur")
    args = ["export", "hiker", str(tmp_path / "merged"), "--merged", "--store", str(moved["store"])]
    done = subprocess.run(
        [str(murmur), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == "", done.stderr[-3000:]
    assert done.stdout.startswith("exported hiker to ")
    assert not (tmp_path / "merged" / "posts.json").exists()  # the posts stay in the store


def test_export_and_models_name_mistakes_in_one_line(
    moved: dict[str, Path], tmp_path: Path
) -> None:
    from murmur.cli import app

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    runner, s = CliRunner(), str(moved["store"])
    taken = runner.invoke(app, ["export", "baker", str(tmp_path / "full"), "--store", s])
    assert taken.exit_code == 1
    assert taken.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'full'} exists and is not empty: give a new folder to export into"
    ]
    missing = runner.invoke(app, ["models", "nobody", "--store", s])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no published model")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_serving_finds_a_moved_stores_base_from_the_manifest(moved: dict[str, Path]) -> None:
    """The adapter still names the old store's base folder; serving reads `tiny` from the
    manifest and loads the moved store's own copy, checked against the recorded hash."""
    from murmur.serving.adapters import AdapterCache
    from murmur.serving.catalog import Catalog

    store = Store(str(moved["store"]))
    found = AdapterCache(store, "cpu", "float32", 64).bots([Catalog(store, 0).model_id("hiker")])
    (bot,) = found.values()
    assert not isinstance(bot, Exception), bot
